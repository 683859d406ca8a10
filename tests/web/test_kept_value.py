"""A kept value is reused while its fingerprint holds and it is young enough, else loaded again."""

from __future__ import annotations

from lms.web.kept_value import KeptValue


def test_reused_while_the_fingerprint_holds_and_loaded_again_when_it_changes_or_ages() -> None:
    kept: KeptValue[int] = KeptValue()
    mark, loads = [1], []

    def load() -> int:
        loads.append(1)
        return len(loads)

    assert kept.get(lambda: tuple(mark), load, 60)[0] == 1
    assert kept.get(lambda: tuple(mark), load, 60)[0] == 1
    mark[0] = 2
    assert kept.get(lambda: tuple(mark), load, 60)[0] == 2
    assert kept.get(lambda: tuple(mark), load, 0)[0] == 3  # too old
