"""`lms stores add|list` and `lms cohorts add|list`: a company scripts its set-up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.domain.accounts import people
from lms.models import AuditEvent, Cohort, Store
from tests.concurrency import run_in_parallel
from tests.factories import UserFactory


def _invoke(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


def _count(db: Session, model: type) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_stores_add_creates_an_audited_store_with_a_code(app: Flask, db: Session) -> None:
    result = _invoke(app, "stores", "add", "行者旗舰店", "--code", "xz-tmall", "--platform", "tmall")
    assert result.exit_code == 0, result.output
    assert "Created store '行者旗舰店' (XZ-TMALL) on tmall." in result.output
    store = db.scalars(select(Store)).one()
    assert (store.code, store.platform) == ("XZ-TMALL", "tmall")
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "store.create")).one()
    assert event.target_id == str(store.id) and event.after["code"] == "XZ-TMALL"
    # Safe to repeat in a set-up script; a different store under the same name is refused.
    again = _invoke(app, "stores", "add", "行者旗舰店", "--code", "XZ-TMALL")
    assert again.exit_code == 0 and "exists already; nothing changed" in again.output
    other = _invoke(app, "stores", "add", "行者旗舰店", "--platform", "jd")
    assert other.exit_code == 1
    assert "store '行者旗舰店' exists already and differs: platform is 'tmall', not 'jd'" in other.output
    assert _count(db, Store) == 1


def test_stores_add_explains_what_is_wrong(app: Flask, db: Session) -> None:
    _invoke(app, "stores", "add", "Flagship", "--code", "XZ")
    for args, message in [
        (["Outlet", "--code", "XZ"], "The store code “XZ” is taken by “Flagship”."),
        (["Outlet", "--code", "店"], "A store code is 2–20 characters"),
        (["x" * 81], "A store name is 1–80 characters."),
        (["Outlet", "--platform", "ebay"], "'ebay' is not one of"),
    ]:
        result = _invoke(app, "stores", "add", *args)
        assert result.exit_code != 0 and message in result.output, result.output
        assert "Traceback" not in result.output
    assert _count(db, Store) == 1


def test_stores_list(app: Flask, db: Session) -> None:
    assert "No stores yet" in _invoke(app, "stores", "list").output
    _invoke(app, "stores", "add", "行者旗舰店 Xingzhe Flagship (Tmall)", "--code", "XZ-TMALL")
    _invoke(app, "stores", "add", "行者箱包 Xingzhe Outlet (Taobao)", "--platform", "taobao")
    lines = _invoke(app, "stores", "list").output.splitlines()
    assert lines[0].split() == ["code", "platform", "agents", "name"]
    assert lines[1].split() == ["XZ-TMALL", "tmall", "0", "行者旗舰店", "Xingzhe", "Flagship", "(Tmall)"]
    assert lines[2].split()[:3] == ["-", "taobao", "0"]


def test_parallel_stores_add_with_one_code_makes_one_store(app: Flask, db: Session) -> None:
    errors = run_in_parallel(app, 4, lambda s: people.create_store(s, f"Shop {id(s)}", "tmall", "XZ-TMALL"))
    assert len(errors) == 3
    assert _count(db, Store) == 1


def test_cohorts_add_with_a_trainer(app: Flask, db: Session) -> None:
    UserFactory(username="chen", roles=["trainer"])
    UserFactory(username="wangfang", roles=["learner"])
    db.commit()
    result = _invoke(app, "cohorts", "add", "December hires", "--start", "2026-12-01", "--trainer", "chen")
    assert result.exit_code == 0, result.output
    assert "Created cohort 'December hires' starting 2026-12-01, led by chen." in result.output
    cohort = db.scalars(select(Cohort)).one()
    assert cohort.start_date == dt.date(2026, 12, 1) and cohort.trainer.username == "chen"
    assert db.scalars(select(AuditEvent).where(AuditEvent.action == "cohort.create")).one().actor_id is None
    again = _invoke(app, "cohorts", "add", "December hires", "--start", "2026-12-01")
    assert again.exit_code == 0 and "exists already; nothing changed" in again.output
    for args, message in [
        (["December hires", "--start", "2026-12-03"], "start is '2026-12-01', not '2026-12-03'"),
        (["January hires", "--start", "2027-01-05", "--trainer", "ghost"], "no user 'ghost'"),
        (["January hires", "--start", "2027-01-05", "--trainer", "wangfang"], "must hold the trainer role"),
        (["January hires", "--start", "5.1.2027"], "'5.1.2027' does not match the format '%Y-%m-%d'"),
        (["January hires"], "Missing option '--start'"),
    ]:
        result = _invoke(app, "cohorts", "add", *args)
        assert result.exit_code != 0 and message in result.output, result.output
    assert _count(db, Cohort) == 1


def test_cohorts_list_and_a_scripted_set_up(app: Flask, db: Session, tmp_path: Path) -> None:
    assert "No cohorts yet" in _invoke(app, "cohorts", "list").output
    UserFactory(username="chen", roles=["trainer"])
    db.commit()
    _invoke(app, "stores", "add", "Flagship", "--code", "XZ")
    _invoke(app, "cohorts", "add", "November hires", "--start", "2026-11-03", "--trainer", "chen")
    _invoke(app, "cohorts", "add", "December hires", "--start", "2026-12-01")
    users = tmp_path / "users.csv"
    users.write_text(
        "username,display_name,email,roles,cohort,stores\nlina,李娜,,learner,November hires,Flagship\n"
    )
    assert _invoke(app, "users", "import", str(users)).exit_code == 0
    lines = _invoke(app, "cohorts", "list").output.splitlines()
    assert lines[0].split() == ["start", "trainer", "people", "name"]
    assert lines[1].split() == ["2026-12-01", "-", "0", "December", "hires"]
    assert lines[2].split() == ["2026-11-03", "chen", "1", "November", "hires"]
