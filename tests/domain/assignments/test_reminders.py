"""Reminders: due in two days and overdue, once each, in-app always and by email when mail is set up."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.config import Config
from lms.domain.assignments import assigning
from lms.jobs import run_jobs
from lms.models import Notification, User
from tests.factories import CourseFactory, LessonFactory, UserFactory

# A frozen clock: the job is run "on" these instants.
MONDAY = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message["Subject"] + "\n" + message.get_content()))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def work(db: Session) -> dict[str, User]:
    """Three agents: due Wednesday (2 days), due Friday (4 days), overdue since Saturday."""
    qc = UserFactory(roles=("qc",))
    course = CourseFactory(title="House rules refresher")
    LessonFactory(course=course)
    people = {
        "soon": UserFactory(email="soon@example.com", locale="zh_Hans"),
        "later": UserFactory(email="later@example.com"),
        "late": UserFactory(email="late@example.com"),
    }
    db.commit()
    for key, due in (("soon", 2), ("later", 4), ("late", -2)):
        assigning.assign(
            db,
            qc,
            [people[key].id],
            course=course,
            due_on=MONDAY.date() + dt.timedelta(days=due),
            reason="Spot check",
            source="qc",
            now=MONDAY - dt.timedelta(days=10),
        )
    db.commit()
    return people


def _reminders(db: Session) -> list[tuple[int, str, str]]:
    return sorted(
        db.execute(
            select(Notification.user_id, Notification.kind, Notification.email_status).where(
                Notification.kind != "assigned"
            )
        ).all()
    )


def test_in_app_only_without_mail_and_once_each(db: Session, work, app: Flask) -> None:
    config = Config(smtp_url="")
    report = run_jobs(db, config, MONDAY)
    assert (report.reminders.due_soon, report.reminders.overdue) == (1, 1)
    assert _reminders(db) == sorted(
        [(work["soon"].id, "due_soon", "none"), (work["late"].id, "overdue", "none")]
    )
    again = run_jobs(db, config, MONDAY + dt.timedelta(hours=1))
    assert (again.reminders.due_soon, again.reminders.overdue) == (0, 0)
    # Two days on, "later" is due soon and "soon" is overdue: one new notice each.
    wednesday = run_jobs(db, config, MONDAY + dt.timedelta(days=3))
    assert (wednesday.reminders.due_soon, wednesday.reminders.overdue) == (1, 1)
    assert (
        db.scalar(select(func.count()).select_from(Notification).where(Notification.kind != "assigned")) == 4
    )


def test_emails_go_out_once_in_the_readers_language(db: Session, work, smtp, app: Flask) -> None:
    inbox, port = smtp
    config = Config(
        smtp_url=f"smtp://127.0.0.1:{port}",
        mail_from="academy@xingzhe.example",
        base_url="https://academy.xingzhe.example",
    )
    with app.test_request_context():
        report = run_jobs(db, config, MONDAY)
        run_jobs(db, config, MONDAY + dt.timedelta(minutes=5))
    assert report.reminders.emailed == 2 and report.reminders.email_failures == 0
    assert sorted(to[0] for to, _body in inbox.messages) == ["late@example.com", "soon@example.com"]
    chinese = next(body for to, body in inbox.messages if to == ["soon@example.com"])
    assert "提醒：“House rules refresher”将于2026-11-25截止。" in chinese and "您好" in chinese
    english = next(body for to, body in inbox.messages if to == ["late@example.com"])
    assert "Overdue: “House rules refresher” was due on 2026-11-21." in english
    assert "https://academy.xingzhe.example/learn/" in english
    assert all(status == "sent" for _u, _k, status in _reminders(db))


def test_a_failing_mail_server_blocks_nothing_and_keeps_the_notices(db: Session, work, app: Flask) -> None:
    config = Config(smtp_url=f"smtp://127.0.0.1:{_closed_port()}")
    with app.test_request_context():
        report = run_jobs(db, config, MONDAY)
    assert report.reminders.email_failures == 2 and report.reminders.emailed == 0
    assert len(_reminders(db)) == 2
    assert all(status == "pending" for _u, _k, status in _reminders(db))  # retried on the next run
    with app.test_request_context():
        for minute in range(1, 3):
            run_jobs(db, config, MONDAY + dt.timedelta(minutes=minute))
    assert all(status == "failed" for _u, _k, status in _reminders(db))  # given up after three tries
