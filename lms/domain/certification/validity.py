"""How long a certificate stays true: its validity period, its status today, reminders before it ends.

The programme says it (`[go_live] valid_days`, `expiring_days`); no period means a certificate never
expires. Status is one of valid, expiring (within the window before the end), expired, revoked. A
missed "what changed" refresher sets `lapses_at` (see `what_changed`), which can only end it sooner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from lms.domain.assignments.automatic import claim
from lms.domain.curriculum.overview import get_programme
from lms.domain.errors import N_
from lms.models import Certificate, Notification, User
from lms.models.certification import GO_LIVE

VALID, EXPIRING, EXPIRED, REVOKED = "valid", "expiring", "expired", "revoked"
#: The words each status shows (translated where shown).
STATUS_LABELS = {
    VALID: N_("valid"),
    EXPIRING: N_("expiring"),
    EXPIRED: N_("expired"),
    REVOKED: N_("revoked"),
}
#: Reminders go out this many days before a certificate ends, once each.
REMINDER_DAYS = (30, 7, 1)
DEFAULT_WINDOW = 30


@dataclass(frozen=True)
class Validity:
    """A certification's validity rules, from the programme."""

    valid_days: int | None = None
    expiring_days: int = DEFAULT_WINDOW
    recertify_days_before: int | None = None
    recertify_quiz: str | None = None
    changed_due_days: int = 14

    @classmethod
    def from_spec(cls, go_live: dict[str, Any]) -> Validity:
        def positive(key: str) -> int | None:
            value = go_live.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None

        return cls(
            valid_days=positive("valid_days"),
            expiring_days=positive("expiring_days") or DEFAULT_WINDOW,
            recertify_days_before=positive("recertify_days_before"),
            recertify_quiz=go_live.get("recertify_quiz") or None,
            changed_due_days=positive("changed_due_days") or 14,
        )

    @property
    def period(self) -> dt.timedelta | None:
        return dt.timedelta(days=self.valid_days) if self.valid_days else None

    def ends(self, cert: Certificate) -> dt.datetime | None:
        """When the certificate stops being valid (None: never)."""
        ends = cert.issued_at + self.period if self.period else None
        if cert.lapses_at is not None and (ends is None or cert.lapses_at < ends):
            ends = cert.lapses_at
        return ends

    def status(self, cert: Certificate, now: dt.datetime) -> str:
        """valid | expiring | expired | revoked."""
        if cert.revoked_at is not None:
            return REVOKED
        ends = self.ends(cert)
        if ends is None:
            return VALID
        if now >= ends:
            return EXPIRED
        if now >= ends - dt.timedelta(days=self.expiring_days):
            return EXPIRING
        return VALID

    def live(self, now: dt.datetime) -> ColumnElement[bool]:
        """SQL: the certificate is neither revoked nor expired at `now`."""
        clauses = [
            Certificate.revoked_at.is_(None),
            or_(Certificate.lapses_at.is_(None), Certificate.lapses_at > now),
        ]
        if self.period:
            clauses.append(Certificate.issued_at > now - self.period)
        return and_(*clauses)


def validity_of(session: Session, kind: str = GO_LIVE) -> Validity:
    """The programme's validity rules for a kind of certificate (go-live; tiers carry none yet)."""
    programme = get_programme(session)
    if programme is None or kind != GO_LIVE:
        return Validity()
    return Validity.from_spec(dict(programme.spec.get("go_live") or {}))


@dataclass(frozen=True)
class CertStatus:
    """A certificate's standing at one moment."""

    state: str
    ends: dt.datetime | None

    @property
    def live(self) -> bool:
        return self.state in (VALID, EXPIRING)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.state]


def status_of(session: Session, cert: Certificate, now: dt.datetime) -> CertStatus:
    """The certificate's status and end under the programme's rules."""
    rules = validity_of(session, cert.kind)
    return CertStatus(rules.status(cert, now), rules.ends(cert))


def is_certified_live(session: Session, user: User, now: dt.datetime) -> bool:
    """The holder's go-live certificate is neither revoked nor expired (the status API, seats)."""
    cert = session.scalars(
        select(Certificate).where(Certificate.user_id == user.id, Certificate.kind == GO_LIVE)
    ).one_or_none()
    return cert is not None and status_of(session, cert, now).live


def expiry_reminders(session: Session, now: dt.datetime, *, mail_enabled: bool) -> int:
    """In-app (and, with mail, email) notices 30, 7 and 1 days before each certificate ends, once each
    per certificate cycle; a run that missed a day sends only the nearest one. Returns how many."""
    rules = validity_of(session)
    if rules.period is None:
        return 0
    horizon = now + dt.timedelta(days=max(REMINDER_DAYS))
    certs = session.execute(
        select(Certificate, User.email)
        .join(User, User.id == Certificate.user_id)
        .where(
            Certificate.kind == GO_LIVE,
            rules.live(now),
            User.active.is_(True),
            or_(Certificate.issued_at <= horizon - rules.period, Certificate.lapses_at <= horizon),
        )
    ).all()
    created = 0
    for cert, email in certs:
        ends = rules.ends(cert)
        if ends is None:
            continue
        left = ends - now
        due = [d for d in REMINDER_DAYS if left <= dt.timedelta(days=d)]
        if not due:
            continue
        nearest = min(due)
        keys = {f"cert-expiry:{cert.id}:{cert.cycle}:{d}": cert.user_id for d in due}
        mine = claim(session, keys, now)
        if f"cert-expiry:{cert.id}:{cert.cycle}:{nearest}" not in mine:
            continue  # this reminder went out already (or a parallel run sends it)
        session.add(
            Notification(
                user_id=cert.user_id,
                kind=f"cert_expiry_{nearest}",
                params={"date": ends.date().isoformat(), "code": cert.code},
                email_status="pending" if mail_enabled and email else "none",
                created_at=now,
            )
        )
        created += 1
    session.flush()
    return created
