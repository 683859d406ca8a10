"""Tier validity: a tier may be held for `valid_days` (`[[tiers]] valid_days`) before its exam is due
again. The exam is assigned `recertify_days_before` the end (the go-live setting, trigger "recert",
once per award); a pass started after that renews the tier (a "renewal" award, the same tier). Past
the end without it, the tier shows as expired (the status API says so); the ladder stays as it is
until an administrator decides (demotion is theirs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.domain import audit
from lms.domain.assignments.automatic import assign_once
from lms.domain.certification.validity import CertStatus, Validity, validity_of
from lms.domain.curriculum.overview import get_programme
from lms.models import Attempt, AutoClaim, Quiz, TierAward, User


def _tiers(session: Session) -> dict[str, dict[str, Any]]:
    programme = get_programme(session)
    return {t["slug"]: t for t in (programme.spec.get("tiers") or [])} if programme else {}


def _latest(session: Session, user_id: int) -> TierAward | None:
    return session.scalars(
        select(TierAward).where(TierAward.user_id == user_id).order_by(TierAward.sequence.desc()).limit(1)
    ).first()


def _rules(tier: dict[str, Any], go_live: Validity) -> Validity | None:
    days = tier.get("valid_days")
    if not isinstance(days, int) or days <= 0 or not tier.get("exam"):
        return None
    return Validity(
        valid_days=days,
        expiring_days=go_live.expiring_days,
        recertify_days_before=go_live.recertify_days_before or go_live.expiring_days,
        recertify_quiz=tier["exam"],
    )


def tier_status(session: Session, user: User, now: dt.datetime) -> CertStatus | None:
    """The current tier's standing (None: the first tier, or a tier held for good)."""
    award = _latest(session, user.id)
    if award is None or award.kind == "demotion":
        return None
    rules = _rules(_tiers(session).get(award.tier, {}), validity_of(session))
    if rules is None or rules.period is None:
        return None
    ends = award.awarded_at + rules.period
    state = "expired" if now >= ends else ("expiring" if now >= ends - dt.timedelta(days=rules.expiring_days) else "valid")
    return CertStatus(state, ends)


def assign_tier_recertification(session: Session, now: dt.datetime) -> int:
    """Assign the tier exam to everyone whose tier ends within the lead time, once per award."""
    tiers = _tiers(session)
    go_live = validity_of(session)
    if not any(_rules(t, go_live) for t in tiers.values()):
        return 0
    latest = (
        select(TierAward.user_id, func.max(TierAward.sequence).label("seq")).group_by(TierAward.user_id).subquery()
    )
    awards = session.scalars(
        select(TierAward)
        .join(latest, (latest.c.user_id == TierAward.user_id) & (latest.c.seq == TierAward.sequence))
        .join(User, User.id == TierAward.user_id)
        .where(TierAward.kind != "demotion", User.active.is_(True))
        .order_by(TierAward.id)
    ).all()
    assigned = 0
    for award in awards:
        rules = _rules(tiers.get(award.tier, {}), go_live)
        if rules is None or rules.period is None or rules.recertify_days_before is None:
            continue
        ends = award.awarded_at + rules.period
        if ends - now > dt.timedelta(days=rules.recertify_days_before):
            continue
        quiz = session.scalars(select(Quiz).where(Quiz.slug == rules.recertify_quiz)).one_or_none()
        if quiz is None:
            continue
        made = assign_once(
            session,
            f"tier-recert:{award.id}",
            award.user_id,
            trigger="recert",
            quiz=quiz,
            due_on=max(now.date(), (ends - dt.timedelta(days=1)).date()),
            reason=f"等级重新认证：{award.tier} 等级于 {ends.date().isoformat()} 到期，请通过“{quiz.title}”。"
            f" / Tier recertification: your {award.tier} tier ends on {ends.date().isoformat()}.",
            now=now,
            evidence={"tier": award.tier, "award": award.id, "ends": ends.isoformat()},
        )
        assigned += made is not None
    return assigned


def maybe_renew_tier(session: Session, attempt: Attempt, now: dt.datetime) -> TierAward | None:
    """A passed tier exam, started after its recertification was assigned, renews the tier (once)."""
    if not attempt.passed:
        return None
    award = _latest(session, attempt.user_id)
    if award is None or award.kind == "demotion":
        return None
    tier = _tiers(session).get(award.tier, {})
    if tier.get("exam") != attempt.quiz.slug:
        return None
    claimed_at = session.scalar(select(AutoClaim.at).where(AutoClaim.key == f"tier-recert:{award.id}"))
    if claimed_at is None or attempt.started_at < claimed_at:
        return None
    renewal = TierAward(
        user_id=attempt.user_id,
        sequence=award.sequence + 1,
        tier=award.tier,
        kind="renewal",
        awarded_at=now,
        evidence={"attempt": attempt.id, "renews": award.id},
    )
    try:
        with session.begin_nested():
            session.add(renewal)
    except IntegrityError:
        return None  # a parallel grading renewed it first
    audit.record(session, "tier.renew", actor=attempt.user, target=attempt.user, after={"tier": award.tier})
    return renewal
