"""`lms jobs run`: the periodic work (cron every few minutes), each step committed on its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.config import Config
from lms.domain.accounts import security_log
from lms.domain.assignments.refreshers import assign_refreshers
from lms.domain.assignments.reminders import ReminderRun, create_reminders, send_pending_emails
from lms.domain.authoring.statistics_blocks import refresh_all as refresh_statistics
from lms.domain.certification.promotions import assign_promotion_prep
from lms.domain.certification.recertification import assign_recertification
from lms.domain.certification.validity import expiry_reminders
from lms.domain.certification.what_changed import assign_what_changed, lapse_missed_refreshers
from lms.domain.kpi.dips import assign_kpi_refreshers
from lms.domain.learning.attempts import close_overdue_attempts
from lms.domain.qc.repeats import escalate_repeated_failures
from lms.domain.tiers.ladder import maybe_promote
from lms.domain.tiers.renewal import assign_tier_recertification
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
    expiry_reminders: int = 0
    recertifications: int = 0
    automatic: dict[str, int] = field(default_factory=dict)
    statistics_blocks: int = 0

    def line(self) -> str:
        r = self.reminders
        return (
            f"Closed {self.closed} overdue attempt(s). Promoted {self.promoted} agent(s). "
            f"Assigned {self.refresher_assignments} refresher(s). "
            f"Reminders: {r.due_soon} due soon, {r.overdue} overdue; "
            f"emails sent {r.emailed}, failed {r.email_failures}. "
            f"Pruned {self.security_rows_pruned} old security log line(s). "
            f"Certificate expiry reminders {self.expiry_reminders}; "
            f"recertifications assigned {self.recertifications}"
            + "".join(f"; {name} {count}" for name, count in sorted(self.automatic.items()))
            + f". Question statistics: {self.statistics_blocks} block(s) brought up to date."
            + (f" {self.xapi.line()}" if self.xapi is not None else "")
        )


def run_jobs(session: Session, config: Config, now: dt.datetime) -> JobsReport:
    """Close timed-out attempts, promote, assign refreshers, recertification and the automatic work
    (what changed, KPI dips, QC repeats, promotion periods), remind, prune the security log, send xAPI.

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
    recert = assign_recertification(session, now)
    session.commit()
    recert.assigned += assign_tier_recertification(session, now)
    session.commit()
    changed = assign_what_changed(session, now)
    session.commit()
    lapsed = lapse_missed_refreshers(session, now)
    session.commit()
    kpi_dips = assign_kpi_refreshers(session, now)
    session.commit()
    qc_repeats = escalate_repeated_failures(session, now)
    session.commit()
    calendar = assign_promotion_prep(session, now)
    session.commit()
    reminders = create_reminders(session, now.date(), mail_enabled=bool(config.smtp_url))
    session.commit()
    expiry = expiry_reminders(session, now, mail_enabled=bool(config.smtp_url))
    session.commit()
    if config.smtp_url:
        from lms.mail import SmtpSender

        send_pending_emails(
            session, SmtpSender(config.smtp_url, config.mail_from, config.base_url), now, reminders
        )
    pruned = security_log.prune(session, now)
    session.commit()
    statistics = refresh_statistics(session)
    xapi = None
    if config.xapi_endpoint:
        post = http_post(config.xapi_endpoint, config.xapi_username, config.xapi_password)
        xapi = send_pending(session, post, now)
    return JobsReport(
        closed,
        promoted,
        refreshers.assigned,
        reminders,
        pruned,
        xapi,
        expiry,
        recert.assigned,
        {
            "what-changed refreshers": changed.assigned,
            "certificates lapsing": lapsed.lapsed,
            "KPI-dip refreshers": kpi_dips,
            "QC-repeat assignments": qc_repeats,
            "promotion preparation": calendar,
        },
        statistics,
    )
