"""Reminders: once per assignment, "due in 2 days" and "overdue", in-app and (when mail is set up) by email."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from lms.domain.errors import N_
from lms.models import Assignment, Notification, User

log = logging.getLogger(__name__)

DUE_SOON_DAYS = 2
MAX_EMAIL_TRIES = 3

#: What each notice says (translated where it is shown or mailed).
NOTICE_TEXT = {
    "assigned": N_("New assignment: “%(title)s”, due %(due_on)s."),
    "due_soon": N_("Reminder: “%(title)s” is due on %(due_on)s."),
    "overdue": N_("Overdue: “%(title)s” was due on %(due_on)s."),
    # A certificate's expiry (certification.validity): 30, 7 and 1 days before, once each.
    "cert_expiry_30": N_("Your certificate expires on %(date)s (in 30 days)."),
    "cert_expiry_7": N_("Your certificate expires on %(date)s (in 7 days)."),
    "cert_expiry_1": N_("Your certificate expires on %(date)s (tomorrow)."),
    "cert_renewed": N_("Your certificate is renewed until %(date)s."),
}

#: Sends one email: (user, notification) -> None, raising on failure.
Sender = Callable[[User, Notification], None]


@dataclass
class ReminderRun:
    """What one run of the reminder job did."""

    due_soon: int = 0
    overdue: int = 0
    emailed: int = 0
    email_failures: int = 0


def create_reminders(session: Session, today: dt.date, *, mail_enabled: bool) -> ReminderRun:
    """Add the missing reminders for open assignments; each (assignment, kind) exists once, whatever races."""
    run = ReminderRun()
    open_work = session.execute(
        select(Assignment, User.email)
        .join(User, User.id == Assignment.user_id)
        .where(
            Assignment.closed_at.is_(None),
            Assignment.due_on <= today + dt.timedelta(days=DUE_SOON_DAYS),
            User.active.is_(True),
        )
        .options(selectinload(Assignment.course), selectinload(Assignment.quiz))
    ).all()
    rows = []
    for assignment, email in open_work:
        kind = "overdue" if assignment.due_on < today else "due_soon"
        rows.append(
            {
                "user_id": assignment.user_id,
                "kind": kind,
                "assignment_id": assignment.id,
                "params": {"title": assignment.title, "due_on": assignment.due_on.isoformat()},
                "email_status": "pending" if mail_enabled and email else "none",
            }
        )
    if not rows:
        return run
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    created = (
        session.execute(insert(Notification).on_conflict_do_nothing().returning(Notification.kind), rows)
        .scalars()
        .all()
    )
    run.due_soon = sum(1 for k in created if k == "due_soon")
    run.overdue = sum(1 for k in created if k == "overdue")
    return run


def send_pending_emails(session: Session, send: Sender, now: dt.datetime, run: ReminderRun) -> None:
    """Email each pending notice; a failure is counted and retried on a later run, never raised.

    Commits after each notice so a crash mid-way neither loses an in-app notice nor mails twice.
    """
    pending = session.scalars(
        select(Notification)
        .where(Notification.email_status == "pending")
        .options(selectinload(Notification.user))
        .order_by(Notification.id)
    ).all()
    for notice in pending:
        try:
            send(notice.user, notice)
        except Exception as exc:  # noqa: BLE001 - any mail failure is logged and retried later
            log.warning("email to user %s failed: %s", notice.user_id, exc)
            notice.email_attempts += 1
            notice.email_status = "failed" if notice.email_attempts >= MAX_EMAIL_TRIES else "pending"
            run.email_failures += 1
        else:
            notice.email_status, notice.emailed_at = "sent", now
            notice.email_attempts += 1
            run.emailed += 1
        session.commit()


def notices_for(session: Session, user: User, limit: int = 20) -> list[Notification]:
    """The user's latest notices, unread first."""
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(
                Notification.read_at.is_not(None), Notification.created_at.desc(), Notification.id.desc()
            )
            .limit(limit)
        )
    )


def mark_read(session: Session, user: User, now: dt.datetime) -> int:
    """Mark all the user's notices read."""
    notices = session.scalars(
        select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).all()
    for notice in notices:
        notice.read_at = now
    return len(notices)
