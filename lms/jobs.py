"""`lms jobs run`: the periodic work (cron every few minutes), each step committed on its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.config import Config
from lms.domain.accounts import security_log
from lms.domain.assignments.refreshers import assign_refreshers
from lms.domain.assignments.reminders import ReminderRun, create_reminders, send_pending_emails
from lms.domain.learning.attempts import close_overdue_attempts
from lms.domain.tiers.ladder import maybe_promote
from lms.domain.xapi.sender import SendReport, http_post, send_pending
from lms.models import Certificate, User


@dataclass
class JobsReport:
    closed: int
    promoted: int
    refresher_assignments: int
    reminders: ReminderRun
    security_rows_pruned: int = 0
    xapi: SendReport | None = None

    def line(self) -> str:
        r = self.reminders
        return (
            f"Closed {self.closed} overdue attempt(s). Promoted {self.promoted} agent(s). "
            f"Assigned {self.refresher_assignments} refresher(s). "
            f"Reminders: {r.due_soon} due soon, {r.overdue} overdue; "
            f"emails sent {r.emailed}, failed {r.email_failures}. "
            f"Pruned {self.security_rows_pruned} old security log line(s)."
            + (f" {self.xapi.line()}" if self.xapi is not None else "")
        )


def run_jobs(session: Session, config: Config, now: dt.datetime) -> JobsReport:
    """Close timed-out attempts, promote, assign refreshers, remind, prune the security log, send xAPI.

    A failing email or learning record store blocks nothing.
    """
    closed = close_overdue_attempts(session, now)
    session.commit()
    promoted = 0
    for user_id in session.scalars(select(Certificate.user_id).where(Certificate.revoked_at.is_(None))).all():
        user = session.get(User, user_id)
        if user is not None and user.active and maybe_promote(session, user, now) is not None:
            promoted += 1
        session.commit()
    refreshers = assign_refreshers(session, now, config.refresher_due_days)
    session.commit()
    reminders = create_reminders(session, now.date(), mail_enabled=bool(config.smtp_url))
    session.commit()
    if config.smtp_url:
        from lms.mail import SmtpSender

        send_pending_emails(
            session, SmtpSender(config.smtp_url, config.mail_from, config.base_url), now, reminders
        )
    pruned = security_log.prune(session, now)
    session.commit()
    xapi = None
    if config.xapi_endpoint:
        post = http_post(config.xapi_endpoint, config.xapi_username, config.xapi_password)
        xapi = send_pending(session, post, now)
    return JobsReport(closed, promoted, refreshers.assigned, reminders, pruned, xapi)
