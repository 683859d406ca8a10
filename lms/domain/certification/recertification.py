"""Recertification: the work assigned before a certificate ends, and the renewal when it is passed.

`recertify_days_before` the end, the programme's `recertify_quiz` is assigned (trigger "recert",
claimed once per certificate cycle). The old certificate stays valid meanwhile, until it ends. A pass
of that quiz started after the assignment renews the certificate in place: a new code, issue date
and content version, cycle + 1; the earlier cycle goes to `certificate_history` (its code still
verifies, as renewed). Attempt limits and the grade count only the new cycle's attempts
(`learning.attempts.quiz_status`), so nothing of the earlier cycle leaks into it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lms.domain import audit
from lms.domain.assignments.automatic import assign_once
from lms.domain.certification.content_version import snapshot
from lms.domain.certification.golive import go_live_rules
from lms.domain.certification.validity import validity_of
from lms.models import Attempt, Certificate, CertificateHistory, Notification, Quiz, User
from lms.models.certification import GO_LIVE


@dataclass
class RecertRun:
    """What one pass over the certificates did."""

    assigned: int = 0


def assign_recertification(session: Session, now: dt.datetime) -> RecertRun:
    """Assign the recertification quiz to every live holder whose certificate ends within the lead
    time, once per certificate cycle, whatever runs in parallel."""
    run = RecertRun()
    rules = validity_of(session)
    if rules.period is None or rules.recertify_days_before is None or not rules.recertify_quiz:
        return run
    quiz = session.scalars(select(Quiz).where(Quiz.slug == rules.recertify_quiz)).one_or_none()
    if quiz is None:
        return run
    lead = dt.timedelta(days=rules.recertify_days_before)
    certs = session.scalars(
        select(Certificate)
        .join(User, User.id == Certificate.user_id)
        .where(
            Certificate.kind == GO_LIVE,
            rules.live(now),
            Certificate.recert_started_at.is_(None),
            Certificate.issued_at <= now + lead - rules.period,
            User.active.is_(True),
        )
        .order_by(Certificate.id)
    ).all()
    for cert in certs:
        ends = rules.ends(cert)
        assert ends is not None
        started = session.execute(
            update(Certificate)
            .where(
                Certificate.id == cert.id,
                Certificate.cycle == cert.cycle,
                Certificate.recert_started_at.is_(None),
            )
            .values(recert_started_at=now)
            .returning(Certificate.id)
        ).first()
        if not started:
            continue  # a parallel run took it
        assignment = assign_once(
            session,
            f"recert:{cert.id}:{cert.cycle}",
            cert.user_id,
            trigger="recert",
            quiz=quiz,
            due_on=max(now.date(), (ends - dt.timedelta(days=1)).date()),
            reason=f"重新认证：上岗证书将于 {ends.date().isoformat()} 到期，请在此之前通过“{quiz.title}”。"
            f" / Recertification: your go-live certificate ends on {ends.date().isoformat()}.",
            now=now,
            evidence={"certificate": cert.code, "cycle": cert.cycle, "ends": ends.isoformat()},
        )
        if assignment is not None:
            run.assigned += 1
    return run


def maybe_recertify(session: Session, attempt: Attempt, now: dt.datetime) -> Certificate | None:
    """A passed recertification quiz, started in the open cycle, renews the certificate (exactly once)."""
    if not attempt.passed:
        return None
    rules = validity_of(session)
    if not rules.recertify_quiz or attempt.quiz.slug != rules.recertify_quiz:
        return None
    cert = session.scalars(
        select(Certificate).where(Certificate.user_id == attempt.user_id, Certificate.kind == GO_LIVE)
    ).one_or_none()
    if (
        cert is None
        or cert.revoked_at is not None
        or cert.recert_started_at is None
        or attempt.started_at < cert.recert_started_at
    ):
        return None
    old_code, old_cycle, old_issued = cert.code, cert.cycle, cert.issued_at
    old_evidence, old_content = dict(cert.evidence or {}), cert.content_version
    code = secrets.token_urlsafe(12)
    golive = go_live_rules(session)
    renewed = session.execute(
        update(Certificate)
        .where(Certificate.id == cert.id, Certificate.cycle == old_cycle, Certificate.revoked_at.is_(None))
        .values(
            code=code,
            cycle=old_cycle + 1,
            issued_at=now,
            first_issued_at=cert.live_since,
            recert_started_at=None,
            lapses_at=None,
            evidence={"recertified_by_attempt": attempt.id, "previous": old_code},
            content_version=snapshot(session, golive) if golive is not None else None,
        )
        .returning(Certificate.id)
    ).first()
    if not renewed:
        return None  # a parallel grading renewed it first
    session.add(
        CertificateHistory(
            certificate_id=cert.id,
            user_id=cert.user_id,
            kind=cert.kind,
            code=old_code,
            cycle=old_cycle,
            issued_at=old_issued,
            renewed_at=now,
            evidence=old_evidence,
            content_version=old_content,
        )
    )
    session.flush()
    session.refresh(cert)
    ends = rules.ends(cert)
    session.add(
        Notification(
            user_id=cert.user_id,
            kind="cert_renewed",
            params={"date": ends.date().isoformat() if ends else "", "code": cert.code},
            created_at=now,
        )
    )
    audit.record(
        session,
        "certificate.renew",
        actor=attempt.user,
        target=cert,
        before={"code": old_code, "cycle": old_cycle},
        after={"code": cert.code, "cycle": cert.cycle, "attempt": attempt.id},
    )
    return cert


def history_of(session: Session, cert: Certificate) -> list[CertificateHistory]:
    """The certificate's earlier cycles, latest first."""
    return list(
        session.scalars(
            select(CertificateHistory)
            .where(CertificateHistory.certificate_id == cert.id)
            .order_by(CertificateHistory.cycle.desc())
        )
    )
