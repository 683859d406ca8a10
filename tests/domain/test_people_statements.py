"""A statement over people is built once for lists of ids and answers the same as for a select of ids."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from lms.domain.accounts import people
from lms.domain.people_statements import Group, PerPeople, fixed_ids
from lms.models import User

builds: list[object] = []


def _names(who: object) -> object:
    builds.append(who)
    return (
        select(User.username)
        .where(User.id.in_(who), User.active == bindparam("active"))  # type: ignore[arg-type]
        .order_by(User.username)
    )


NAMES = PerPeople(_names)


def test_lists_share_one_statement_and_selects_are_built_into_theirs(db: Session) -> None:
    ids = [
        people.create_user(db, people.UserData(name, name.title())).id
        for name in ("lina", "wangfang", "zhoumin")
    ]
    db.flush()
    builds.clear()

    first, params = NAMES(ids[:2], active=True)
    assert list(db.scalars(first, params)) == ["lina", "wangfang"]
    again, params = NAMES(ids[1:], active=True)
    assert again is first and len(builds) == 1  # built once, only the values change
    assert list(db.scalars(again, params)) == ["wangfang", "zhoumin"]
    empty, params = NAMES([], active=True)
    assert list(db.scalars(empty, params)) == []
    assert len(builds) == 1

    # One person (a learner's own page) has a statement of its own, built once, with the person as a
    # plain value: nothing in it is expanded when it runs.
    alone, params = NAMES(ids[2:], active=True)
    assert alone is not first and len(builds) == 2 and params == {"person": ids[2], "active": True}
    assert list(db.scalars(alone, params)) == ["zhoumin"]
    assert not alone.compile().post_compile_params
    again, params = NAMES([ids[0]], active=True)
    assert again is alone and len(builds) == 2
    assert list(db.scalars(again, params)) == ["lina"]

    team = select(User.id).where(User.username.in_(["wangfang", "zhoumin"]))
    built, params = NAMES(team, active=True)
    assert built is not first and len(builds) == 3 and "who" not in params
    assert list(db.scalars(built, params)) == ["wangfang", "zhoumin"]


def test_a_group_is_built_in_once_and_bound_per_use(db: Session) -> None:
    lina, wangfang, zhoumin = (
        people.create_user(db, people.UserData(name, name.title()))
        for name in ("lina", "wangfang", "zhoumin")
    )
    db.flush()
    builds.clear()
    named = Group("named", select(User.id).where(User.username.in_(bindparam("names", expanding=True))))

    first, params = NAMES(named.bound(names=["lina", "zhoumin"]), active=True)
    assert params == {"names": ["lina", "zhoumin"], "active": True}
    assert list(db.scalars(first, params)) == ["lina", "zhoumin"]
    again, params = NAMES(named.bound(names=["wangfang"]), active=True)
    assert again is first and len(builds) == 1  # the group's select was built in once
    assert list(db.scalars(again, params)) == ["wangfang"]
    other, params = NAMES(Group("everyone", select(User.id)), active=True)
    assert other is not first and len(builds) == 2
    assert list(db.scalars(other, params)) == ["lina", "wangfang", "zhoumin"]
    assert {lina.id, wangfang.id, zhoumin.id} == set(db.scalars(select(User.id)))


def test_fixed_ids_are_written_into_the_sql_as_integers(db: Session) -> None:
    lina, wangfang = (
        people.create_user(db, people.UserData(name, name.title())) for name in ("lina", "wangfang")
    )
    db.flush()
    statement = (
        select(User.username).where(fixed_ids(User.id, [lina.id, wangfang.id])).order_by(User.username)
    )
    compiled = statement.compile(db.get_bind())
    assert f"IN ({lina.id}, {wangfang.id})" in str(compiled) and not compiled.params
    assert list(db.scalars(statement)) == ["lina", "wangfang"]
    assert list(db.scalars(select(User.username).where(fixed_ids(User.id, [])))) == []
    with pytest.raises(ValueError):
        fixed_ids(User.id, ["1) OR (1=1"])  # type: ignore[list-item]
