"""The security log counts repeats on one row per kind, person, address, route and hour; races too."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.domain.accounts import security_log
from lms.domain.accounts.security_log import Refusal, SecurityFilter
from lms.models import SecurityEvent
from tests.concurrency import run_in_parallel
from tests.factories import UserFactory

T0 = dt.datetime(2026, 11, 24, 9, 10, tzinfo=dt.UTC)


def _refusal(**changes: object) -> Refusal:
    fields: dict[str, object] = {
        "kind": "throttled",
        "user_id": None,
        "subject": "wangfang",
        "ip": "10.0.0.7",
        "method": "POST",
        "route": "/login",
        "path": "/login",
    }
    fields.update(changes)
    return Refusal(**fields)  # type: ignore[arg-type]


def _rows(db: Session) -> list[SecurityEvent]:
    db.expire_all()
    return list(db.scalars(select(SecurityEvent).order_by(SecurityEvent.id)))


def test_repeats_are_counted_on_one_row(db: Session) -> None:
    for minute in range(5):
        security_log.record(db, _refusal(), T0 + dt.timedelta(minutes=minute))
    db.commit()
    (row,) = _rows(db)
    assert row.count == 5 and row.first_at == T0 and row.last_at == T0 + dt.timedelta(minutes=4)
    assert row.window_start == dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def test_another_address_person_route_or_hour_is_another_row(db: Session) -> None:
    user = UserFactory()
    db.flush()
    security_log.record(db, _refusal(), T0)
    security_log.record(db, _refusal(ip="10.0.0.8"), T0)
    security_log.record(db, _refusal(kind="forbidden", user_id=user.id, subject=""), T0)
    security_log.record(db, _refusal(route="/reset"), T0)
    security_log.record(db, _refusal(), T0 + dt.timedelta(hours=1))
    db.commit()
    assert [r.count for r in _rows(db)] == [1, 1, 1, 1, 1]


def test_the_last_path_on_a_route_is_kept(db: Session) -> None:
    route = "/learn/attempts/<int:attempt_id>"
    for attempt_id in (1, 2, 3):
        security_log.record(
            db, _refusal(kind="not_owner", route=route, path=f"/learn/attempts/{attempt_id}", method="GET"), T0
        )
    db.commit()
    (row,) = _rows(db)
    assert row.count == 3 and row.path == "/learn/attempts/3"  # enumerating ids is one row, not three


def test_random_tokens_from_one_address_are_one_row(db: Session) -> None:
    for prefix in ("lms_aaaaaa", "lms_bbbbbb", "lms_cccccc"):
        security_log.record(
            db, _refusal(kind="bad_token", subject=prefix, method="GET", route="/api/v1/me", path="/api/v1/me"), T0
        )
    db.commit()
    (row,) = _rows(db)
    assert row.count == 3 and row.subject == "lms_cccccc"  # the last one seen


def test_parallel_refusals_make_one_row_with_every_count(app: Flask, db: Session) -> None:
    def refuse(session: Session) -> None:
        security_log.record(session, _refusal(), T0)

    assert run_in_parallel(app, 8, refuse) == []
    (row,) = _rows(db)
    assert row.count == 8


def test_the_filter_finds_by_kind_person_address_and_dates(db: Session) -> None:
    learner = UserFactory(username="lina")
    db.flush()
    security_log.record(db, _refusal(), T0)
    security_log.record(db, _refusal(kind="not_owner", user_id=learner.id, subject="", ip="10.9.9.9"), T0)
    security_log.record(db, _refusal(subject="zhangwei", ip="192.168.1.5"), T0 - dt.timedelta(days=3))
    db.commit()

    def subjects(flt: SecurityFilter) -> set[tuple[str, str]]:
        return {(r.kind, r.ip) for r in db.scalars(security_log.filtered(flt))}

    assert subjects(SecurityFilter(kind="not_owner")) == {("not_owner", "10.9.9.9")}
    assert subjects(SecurityFilter(who="LINA")) == {("not_owner", "10.9.9.9")}
    assert subjects(SecurityFilter(who="192.168.")) == {("throttled", "192.168.1.5")}
    assert subjects(SecurityFilter(who="wang")) == {("throttled", "10.0.0.7")}
    assert subjects(SecurityFilter(who="%")) == set()  # LIKE wildcards are taken literally
    assert subjects(SecurityFilter(since=T0.date())) == {("throttled", "10.0.0.7"), ("not_owner", "10.9.9.9")}
    assert subjects(SecurityFilter(until=T0.date() - dt.timedelta(days=1))) == {("throttled", "192.168.1.5")}


def test_old_rows_are_pruned(db: Session) -> None:
    security_log.record(db, _refusal(), T0 - security_log.KEEP - dt.timedelta(days=1))
    security_log.record(db, _refusal(ip="10.0.0.9"), T0)
    db.commit()
    assert security_log.prune(db, T0) == 1
    db.commit()
    assert db.scalar(select(func.count()).select_from(SecurityEvent)) == 1
