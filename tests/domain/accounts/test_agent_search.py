"""Finding an agent by what staff type: part of a name or username, and the one an entry names."""

from __future__ import annotations

from sqlalchemy.orm import Session

from lms.domain.accounts.agent_search import agent_by_entry, find_agents
from tests.factories import UserFactory


def _people(db: Session) -> dict[str, int]:
    made = {
        "wangfang": UserFactory(username="wangfang", display_name="王芳 Wang Fang"),
        "wangli": UserFactory(username="wangli", display_name="王丽"),
        "fangwang": UserFactory(username="fangwang", display_name="方旺"),
        "10086": UserFactory(username="10086", display_name="工号客服"),
        "odd": UserFactory(username="odd_50%", display_name="百分之五十"),
        "gone": UserFactory(username="wanggone", display_name="王离职", active=False),
        "trainer": UserFactory(username="wangtrainer", display_name="王培训", roles=["trainer"]),
    }
    db.commit()
    return {key: user.id for key, user in made.items()}


def test_matches_are_active_learners_by_name_or_username_usernames_starting_with_it_first(
    db: Session,
) -> None:
    ids = _people(db)
    found = find_agents(db, "  WANG ")
    # usernames starting "wang" first, each group by name (丽 before 芳); not the gone, not staff
    assert [m.username for m in found] == ["wangli", "wangfang", "fangwang"]
    assert [m.id for m in find_agents(db, "王")] == [ids["wangli"], ids["wangfang"]]
    assert [m.username for m in find_agents(db, "wang", limit=1)] == ["wangli"]
    assert find_agents(db, "") == [] and find_agents(db, "   ") == []


def test_like_wildcards_typed_are_matched_as_themselves(db: Session) -> None:
    _people(db)
    assert [m.username for m in find_agents(db, "50%")] == ["odd_50%"]
    assert [m.username for m in find_agents(db, "_")] == ["odd_50%"]
    assert [m.username for m in find_agents(db, "%")] == ["odd_50%"]


def test_an_entry_names_an_agent_by_username_then_by_id(db: Session) -> None:
    ids = _people(db)
    assert agent_by_entry(db, " WangFang ").id == ids["wangfang"]  # type: ignore[union-attr]
    assert agent_by_entry(db, str(ids["wangli"])).id == ids["wangli"]  # type: ignore[union-attr]
    assert agent_by_entry(db, "10086").id == ids["10086"]  # a staff number as username wins over an id  # type: ignore[union-attr]
    for nobody in (
        "",
        "wang",
        "wanggone",
        "wangtrainer",
        str(ids["gone"]),
        "99999999999",
        "2147483648",
        "99999999999999999",
        "王芳",
    ):
        assert agent_by_entry(db, nobody) is None, nobody
