"""program.toml: validity, recertification, signals and promotion periods are checked like the rest."""

from __future__ import annotations

from pathlib import Path

from tests.content.test_loader import PROGRAMME, QUIZ, found, make_tree


def _with(extra_go_live: str, tail: str = "") -> str:
    programme = PROGRAMME.replace("[go_live]\n", "[go_live]\n" + extra_go_live, 1)
    return programme + tail


def test_validity_and_signals_are_checked(tmp_path: Path) -> None:
    programme = _with(
        'valid_days = 0\nrecertify_days_before = 30\n',
        '\n[signals.kpi]\nbelow = 80\nrefreshers = { sales = "house-rules" }\n'
        '\n[signals.qc]\nfailures = 1\n'
        '\n[[promotions]]\nslug = "double-11"\nname = "双十一"\nstarts = "11-31x"\nlead_days = 14\n',
    )
    make_tree(tmp_path, {"courses/program.toml": programme, "quizzes/house-rules-check.toml": QUIZ})
    problems = "\n".join(found(tmp_path))
    assert "`valid_days` must be between 1 and 3650 (is 0)" in problems
    assert "`recertify_days_before` needs the `recertify_quiz` to assign" in problems
    assert "`refreshers` maps a metric" in problems
    assert "`failures` must be between 2 and 50 (is 1)" in problems
    assert "`starts` is a yearly date MM-DD (is '11-31x')" in problems
    assert "a promotion period names one `course` or one `quiz` to prepare with" in problems


def test_a_good_validity_section_is_clean_and_names_known_work(tmp_path: Path) -> None:
    programme = _with(
        'valid_days = 365\nrecertify_days_before = 30\nrecertify_quiz = "ghost-exam"\n',
        '\n[[promotions]]\nslug = "double-11"\nname = "双十一"\nstarts = "11-11"\nlead_days = 14\ncourse = "house-rules"\n',
    )
    make_tree(tmp_path, {"courses/program.toml": programme, "quizzes/house-rules-check.toml": QUIZ})
    assert [p for p in found(tmp_path) if "program.toml" in p] == [
        next(p for p in found(tmp_path) if "recertification names unknown quiz 'ghost-exam'" in p)
    ]
