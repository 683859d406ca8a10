"""KPI import: every problem by line and nothing written; months replace themselves; the bonus sheet by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.demo import create_demo
from lms.domain.accounts import people
from lms.domain.kpi.csv_import import apply_kpi_import, parse_kpi_csv
from lms.domain.kpi.scores import month_scores
from lms.models import AuditEvent, KpiRecord

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "kpi-sample.csv"
TODAY = dt.date(2026, 11, 24)
HEADER = "agent,store,month,conversion_rate,avg_response_seconds,satisfaction,invite_rate,push_completion\n"
MAIN = "行者旗舰店 Xingzhe Flagship (Tmall)"


@pytest.fixture
def demo(app: Flask, db: Session) -> None:
    create_demo(db, Path(app.instance_path), today=TODAY)
    db.commit()


def test_the_sample_file_imports_and_the_bonus_sheet_matches_a_hand_calculation(db: Session, demo) -> None:
    preview = parse_kpi_csv(db, SAMPLE.read_bytes(), TODAY)
    assert (
        preview.problems == []
        and len(preview.rows) == 30
        and preview.months == ["2026-08", "2026-09", "2026-10"]
    )
    apply_kpi_import(db, preview)
    db.commit()
    sheet = {e.user.username: e for e in month_scores(db, "2026-10")}
    # wangfang, October: the main store (60 %) is at or beyond every target → 100.
    # The secondary store (40 %): conversion 37 % → 88, response 17 s → 93.33, satisfaction 97.7 % → 97.69,
    # invitations 91 % → 100, push 90 % → 80; weighted 44 + 18.667 + 14.654 + 10 + 4 = 91.32.
    secondary = 88 * 0.5 + (28 / 30 * 100) * 0.2 + (12.7 / 13 * 100) * 0.15 + 100 * 0.1 + 80 * 0.05
    expected = round(100 * 0.6 + round(secondary, 2) * 0.4, 2)
    assert sheet["wangfang"].score == pytest.approx(expected, abs=0.01)
    assert sheet["wangfang"].base == 3000 and sheet["wangfang"].bonus == pytest.approx(
        3000 * expected / 100, abs=0.02
    )
    # chenjing is in the lowest band
    assert sheet["chenjing"].score < 80 and sheet["chenjing"].base == 1000
    assert (
        db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "kpi.import")) == 1
    )


def test_every_problem_is_reported_by_line_and_nothing_is_written(db: Session, demo) -> None:
    text = (
        HEADER
        + "\n".join(
            [
                f"wangfang,{MAIN},2026-10,38,16,97,92,100",
                f"nobody,{MAIN},2026-10,38,16,97,92,100",
                "wangfang,Unknown shop,2026-10,38,16,97,92,100",
                f"lina,{MAIN},2026-13,38,16,97,92,100",
                f"lina,{MAIN},2027-01,38,16,97,92,100",
                f"zhangwei,{MAIN},2026-10,thirty,16,97,92,100",
                f"wangfang,{MAIN},2026-10,38,16,97,92,100",
                f"liuyang,{MAIN},2026-10,380,16,97,92,100",
            ]
        )
        + "\n"
    )
    preview = parse_kpi_csv(db, text.encode("utf-8"), TODAY)
    lines = {p.line for p in preview.problems}
    assert lines == {3, 4, 5, 6, 7, 8, 9}
    messages = " ".join(str(p) for p in preview.problems)
    for fragment in (
        "unknown agent",
        "unknown store",
        "not YYYY-MM",
        "in the future",
        "not a number",
        "same agent",
        "out of range",
    ):
        assert fragment in messages
    with pytest.raises(ValueError):
        apply_kpi_import(db, preview)
    assert db.scalar(select(func.count()).select_from(KpiRecord)) == 0


def test_a_store_is_named_by_its_code_which_survives_a_rename(db: Session, demo) -> None:
    store = people.find_store(db, MAIN)
    assert store is not None and store.code == "XZ-TMALL"
    people.update_store(db, store, "行者旗舰店", "tmall", "XZ-TMALL")
    preview = parse_kpi_csv(db, (HEADER + "wangfang,xz-tmall,2026-10,38,16,97,92,100\n").encode(), TODAY)
    assert preview.problems == [] and preview.rows[0].store is store
    twice = (
        HEADER + "wangfang,XZ-TMALL,2026-10,38,16,97,92,100\nwangfang,行者旗舰店,2026-10,38,16,97,92,100\n"
    )
    problems = parse_kpi_csv(db, twice.encode(), TODAY).problems
    assert [str(p) for p in problems] == ["3: the same agent, store and month as line 2"]
    old_name = parse_kpi_csv(db, (HEADER + f"wangfang,{MAIN},2026-10,38,16,97,92,100\n").encode(), TODAY)
    assert "unknown store" in str(old_name.problems[0])


def test_gbk_and_a_missing_metric(db: Session, demo) -> None:
    text = HEADER + f"wangfang,{MAIN},2026-10,38,16,97,92,\n"
    preview = parse_kpi_csv(db, text.encode("gbk"), TODAY)
    assert preview.problems == [] and preview.rows[0].values["push_completion"] is None
    apply_kpi_import(db, preview)
    db.commit()
    (entry,) = month_scores(db, "2026-10")
    assert entry.stores[0][1].missing == ["push_completion"]


def test_reimporting_a_month_replaces_it(db: Session, demo) -> None:
    apply_kpi_import(db, parse_kpi_csv(db, SAMPLE.read_bytes(), TODAY))
    db.commit()
    again = parse_kpi_csv(db, (HEADER + f"wangfang,{MAIN},2026-10,20,30,90,60,60\n").encode(), TODAY)
    assert again.replaced == {"2026-10": 10}
    apply_kpi_import(db, again)
    db.commit()
    assert db.scalar(select(func.count()).select_from(KpiRecord).where(KpiRecord.month == "2026-10")) == 1
    assert db.scalar(select(func.count()).select_from(KpiRecord)) == 21


def test_the_cli_refuses_a_bad_file_and_imports_a_good_one(app: Flask, demo, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"ghost,{MAIN},2026-10,1,1,1,1,1\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["kpi", "import", str(bad)])
    assert result.exit_code == 1 and "bad.csv:2: unknown agent 'ghost'" in result.output
    good = app.test_cli_runner().invoke(args=["kpi", "import", str(SAMPLE)])
    assert good.exit_code == 0, good.output
    assert "Imported 30 record(s)" in good.output and "wangfang" in good.output
