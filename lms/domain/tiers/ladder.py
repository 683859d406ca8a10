"""The tier ladder: what the next tier needs, promotion when it is all met (once), demotion by an admin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from lms.domain import audit
from lms.domain.certification.golive import certificate_of
from lms.domain.curriculum.overview import get_programme
from lms.domain.errors import N_, DomainError
from lms.domain.kpi.scores import kpi_average
from lms.domain.practice.requirements import best_medal, best_scores
from lms.domain.practice.scoring import MEDAL_AT, at_least
from lms.domain.qc.spot_checks import AVERAGE_DAYS, spot_check_average
from lms.domain.transaction_memo import UNREAD, Unread, recalled, remember
from lms.mapped_rows import MappedRows
from lms.models import Attempt, Certificate, Cohort, Quiz, Role, Scenario, TierAward, User
from lms.models.certification import GO_LIVE
from lms.models.learning import GRADED

#: The score each medal starts at.
MEDAL_FLOOR = dict(MEDAL_AT)


@dataclass
class TierRequirement:
    """One requirement of the next tier, with the current value and the target."""

    key: str  # days_live | exam | kpi | spot_checks
    label: str
    current: float | None
    target: float
    met: bool
    detail: str
    params: dict[str, Any]

    @property
    def percent(self) -> int:
        """How far along, for a progress bar."""
        if self.current is None or not self.target:
            return 100 if self.met else 0
        return max(0, min(100, round(100 * self.current / self.target)))


def _n(value: float | int | None) -> float | int | None:
    """A number as people write it: 80 not 80.0, 95.3 not 95.30."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(float(value), 1)


#: The programme's tiers when the caller has them already (the Today page's kept schedule carries
#: them, so the page does not read the programme row for them).
Tiers = Sequence[dict[str, Any]]


def _tiers(session: Session, known: Tiers | None = None) -> list[dict[str, Any]]:
    if known is not None:
        return list(known)
    programme = get_programme(session)
    return list(programme.spec.get("tiers", [])) if programme else []


def tier_names(session: Session, *, known_tiers: Tiers | None = None) -> dict[str, dict[str, str]]:
    """Each tier's English and Chinese name, by slug (English falls back to the Chinese)."""
    return {t["slug"]: names_of_tier(t) for t in _tiers(session, known_tiers)}


def names_of_tier(tier: dict[str, Any]) -> dict[str, str]:
    """A stored tier's names: `name` is the Chinese and `en.name` the English.

    A programme stored before the bilingual format held the English in `name` and the Chinese in
    `name_zh`; that shape is still read until the next content sync rewrites it.
    """
    if "name_zh" in tier:
        return {"en": tier["name"], "zh": tier.get("name_zh") or tier["name"]}
    english = (tier.get("en") or {}).get("name")
    return {"en": english or tier["name"], "zh": tier["name"]}


_LATEST_AWARD = (
    select(TierAward)
    .where(TierAward.user_id == bindparam("user_id"))
    .order_by(TierAward.sequence.desc())
    .limit(1)
)


def current_tier(
    session: Session,
    user: User,
    cert: Certificate | None | Unread = UNREAD,
    *,
    known_tiers: Tiers | None = None,
) -> str | None:
    """The agent's tier: the latest award, the first tier once live, None before go-live.

    `cert` (the agent's go-live certificate) and `known_tiers` (the ladder) are what the caller has
    read already.
    """
    latest = session.scalars(_LATEST_AWARD, {"user_id": user.id}).first()
    if cert is UNREAD and latest is None:
        cert = certificate_of(session, user)
    return _tier_from(session, latest.tier if latest else None, cert, known_tiers)


def _tier_from(
    session: Session, awarded: str | None, cert: Certificate | None | Unread, known_tiers: Tiers | None
) -> str | None:
    if awarded is not None:
        return awarded
    ladder = _tiers(session, known_tiers)
    return ladder[0]["slug"] if isinstance(cert, Certificate) and cert.valid and ladder else None


#: The cohort's trainer, of whom the Today page shows only the name.
_TRAINER = aliased(User)
#: The agent's cohort with its trainer's name, go-live certificate and latest tier award, in one
#: statement (the Today page shows them all): the person's row anchors it, so it answers when there
#: is none. The trainer is read as a name, not a row: a person's row is a dozen columns, and building
#: it cost the Today page 28 µs of its 1.5 ms.
_COHORT_CERTIFICATE_AND_AWARD = (
    select(
        Cohort,
        Certificate,
        _LATEST_AWARD.with_only_columns(TierAward.tier).scalar_subquery(),
        _TRAINER.display_name,
    )
    .select_from(User)
    .outerjoin(Cohort, Cohort.id == User.cohort_id)
    .outerjoin(_TRAINER, _TRAINER.id == Cohort.trainer_id)
    .outerjoin(Certificate, (Certificate.user_id == User.id) & (Certificate.kind == GO_LIVE))
    .where(User.id == bindparam("user_id"))
)


def cohort_certificate_and_tier(
    session: Session, user: User, *, known_tiers: Tiers | None = None
) -> tuple[Cohort | None, Certificate | None, str | None, str | None]:
    """The agent's cohort, go-live certificate, tier (as `certificate_of` and `current_tier` say) and
    the cohort's trainer's name, in one read, or none when they came with the person's row
    (`with_cohort_certificate_and_award`). The cohort stays in the session, so `user.cohort` and
    the programme's start date need no read of their own."""
    kept = recalled(session, _KEPT_WITH_USER)
    if kept is not None and kept[0] == user.id:
        _user_id, cohort, cert, awarded, trainer = kept
    else:
        cohort, cert, awarded, trainer = session.execute(
            _COHORT_CERTIFICATE_AND_AWARD, {"user_id": user.id}
        ).one()
    return cohort, cert, _tier_from(session, awarded, cert, known_tiers), trainer


_COHORT_ROWS = MappedRows(Cohort)
_CERTIFICATE_ROWS = MappedRows(Certificate)
_KEPT_WITH_USER = "lms.cohort_certificate_and_award"
#: What `with_cohort_certificate_and_award` adds to a statement of the person's row: every column of
#: the cohort and of the go-live certificate (NULL when there is none), the latest award, the trainer.
_WITH_USER_COLUMNS = (
    *_COHORT_ROWS.columns,
    *_CERTIFICATE_ROWS.columns,
    _LATEST_AWARD.with_only_columns(TierAward.tier).scalar_subquery(),
    _TRAINER.display_name,
)


def with_cohort_certificate_and_award(statement: Select[Any]) -> Select[Any]:
    """A statement of one person's row (`users`, bound by `user_id`) that also reads what
    `cohort_certificate_and_tier` would: the Today page reads them with the signed-in person's row,
    one round trip fewer (`lms.web.identity.reads_with_user`). Its added values go to
    `keep_cohort_certificate_and_award`."""
    return (
        statement.add_columns(*_WITH_USER_COLUMNS)
        .outerjoin(Cohort, Cohort.id == User.cohort_id)
        .outerjoin(_TRAINER, _TRAINER.id == Cohort.trainer_id)
        .outerjoin(Certificate, (Certificate.user_id == User.id) & (Certificate.kind == GO_LIVE))
    )


def keep_cohort_certificate_and_award(session: Session, user_id: int, values: Sequence[Any]) -> None:
    """Make the cohort and the certificate read with the person's row the session's objects, and keep
    them with the award and the trainer's name for `cohort_certificate_and_tier`, in this
    transaction."""
    n_cohort = len(_COHORT_ROWS.columns)
    n_cert = len(_CERTIFICATE_ROWS.columns)
    cohort_values = values[:n_cohort]
    cert_values = values[n_cohort : n_cohort + n_cert]
    awarded, trainer = values[n_cohort + n_cert :]
    cohort = (
        _COHORT_ROWS.make(session, cohort_values)
        if cohort_values[_COHORT_ROWS.id_index] is not None
        else None
    )
    cert = (
        _CERTIFICATE_ROWS.make(session, cert_values)
        if cert_values[_CERTIFICATE_ROWS.id_index] is not None
        else None
    )
    remember(session, _KEPT_WITH_USER, (user_id, cohort, cert, awarded, trainer))


def next_tier_requirements(
    session: Session,
    user: User,
    today: dt.date,
    *,
    cert: Certificate | None | Unread = UNREAD,
    tier: str | None | Unread = UNREAD,
    known_tiers: Tiers | None = None,
) -> tuple[dict[str, Any] | None, list[TierRequirement]]:
    """The next tier and each of its requirements for this agent (met or not, current value, target).

    `cert`, `tier` and `known_tiers` (the ladder) are what the caller has read already.
    """
    if cert is UNREAD:
        cert = certificate_of(session, user)
    if tier is UNREAD:
        tier = current_tier(session, user, cert, known_tiers=known_tiers)
    tiers = _tiers(session, known_tiers)
    slugs = [t["slug"] for t in tiers]
    if tier is None or tier not in slugs or slugs.index(tier) + 1 >= len(tiers):
        return None, []
    nxt = tiers[slugs.index(tier) + 1]
    reqs: list[TierRequirement] = []
    days = (today - cert.issued_at.date()).days if cert is not None else 0
    reqs.append(
        TierRequirement(
            "days_live",
            N_("Days live"),
            days,
            nxt["days_live"],
            days >= nxt["days_live"],
            N_("%(current)s of %(target)s days"),
            {"current": days, "target": _n(nxt["days_live"])},
        )
    )
    best = None
    if nxt.get("exam"):
        best = session.scalar(
            select(func.max(Attempt.percent))
            .join(Quiz)
            .where(Attempt.user_id == user.id, Quiz.slug == nxt["exam"], Attempt.status == GRADED)
        )
        target = nxt["exam_pass_percent"]
        reqs.append(
            TierRequirement(
                "exam",
                N_("Tier exam"),
                best,
                target,
                best is not None and best >= target,
                N_("best %(current)s %% of %(target)s %% needed")
                if best is not None
                else N_("not taken yet"),
                {"current": _n(best or 0), "target": _n(target)},
            )
        )
    if nxt.get("kpi_months"):
        average, months = kpi_average(session, user, int(nxt["kpi_months"]))
        reqs.append(
            TierRequirement(
                "kpi",
                N_("KPI average"),
                average,
                nxt["kpi_min"],
                average is not None and average >= nxt["kpi_min"],
                N_("KPI %(current)s / %(target)s needed, last %(months)s months")
                if average is not None
                else N_("%(have)s of the %(months)s months needed have KPI data"),
                {
                    "current": _n(average),
                    "target": _n(nxt["kpi_min"]),
                    "months": nxt["kpi_months"],
                    "have": len(months),
                },
            )
        )
    if nxt.get("spot_check_min"):
        average_qc, checks = spot_check_average(session, user, today)
        reqs.append(
            TierRequirement(
                "spot_checks",
                N_("QC spot-check average"),
                average_qc,
                nxt["spot_check_min"],
                average_qc is not None and average_qc >= nxt["spot_check_min"],
                N_("%(current)s / %(target)s needed, %(count)s checks in the last %(days)s days")
                if average_qc is not None
                else N_("no spot checks in the last %(days)s days"),
                {
                    "current": _n(average_qc),
                    "target": _n(nxt["spot_check_min"]),
                    "count": checks,
                    "days": AVERAGE_DAYS,
                },
            )
        )
    for slug in nxt.get("scenarios", []) or []:
        wanted = str(nxt.get("scenario_medal") or "silver")
        scenario = session.scalars(select(Scenario).where(Scenario.slug == slug)).one_or_none()
        scores = best_scores(session, [user.id], [scenario.id]) if scenario else {}
        medal = best_medal(scores, user.id, scenario.id) if scenario else None
        score = scores.get((user.id, scenario.id)) if scenario else None
        reqs.append(
            TierRequirement(
                f"scenario:{slug}",
                N_("Practice chat"),
                score,
                MEDAL_FLOOR.get(wanted, 75),
                at_least(medal, wanted),
                N_("%(title)s: best %(current)s, %(target)s needed")
                if score is not None
                else N_("%(title)s: not played yet"),
                {
                    "title": scenario.title if scenario else slug,
                    "current": score,
                    "target": MEDAL_FLOOR.get(wanted, 75),
                },
            )
        )
    return nxt, reqs


def maybe_promote(session: Session, user: User, now: dt.datetime) -> TierAward | None:
    """Promote one tier when every requirement of the next tier is met — exactly once, even when events race."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(User.id).where(User.id == user.id).with_for_update())
    nxt, reqs = next_tier_requirements(session, user, now.date())
    if nxt is None or not reqs or not all(r.met for r in reqs):
        return None
    sequence = (
        session.scalar(select(func.max(TierAward.sequence)).where(TierAward.user_id == user.id)) or 0
    ) + 1
    award = TierAward(
        user_id=user.id,
        sequence=sequence,
        tier=nxt["slug"],
        kind="promotion",
        awarded_at=now,
        evidence={r.key: {"current": r.current, "target": r.target} for r in reqs},
    )
    try:
        with session.begin_nested():
            session.add(award)
    except IntegrityError:
        return None  # a parallel event took this step
    audit.record(
        session,
        "tier.promote",
        actor=user,
        target=user,
        after={"tier": nxt["slug"], "evidence": award.evidence},
    )
    return award


def demote(session: Session, admin: User, user: User, reason: str, now: dt.datetime) -> TierAward:
    """An admin moves an agent down one tier, with a reason."""
    if not admin.has_role(Role.ADMIN):
        raise DomainError(N_("Only administrators demote agents."))
    if not reason.strip():
        raise DomainError(N_("Give a reason for the demotion."), "reason")
    tier = current_tier(session, user)
    slugs = [t["slug"] for t in _tiers(session)]
    if tier is None or tier not in slugs or slugs.index(tier) == 0:
        raise DomainError(N_("The agent is already at the first tier."))
    sequence = (
        session.scalar(select(func.max(TierAward.sequence)).where(TierAward.user_id == user.id)) or 0
    ) + 1
    award = TierAward(
        user_id=user.id,
        sequence=sequence,
        tier=slugs[slugs.index(tier) - 1],
        kind="demotion",
        awarded_at=now,
        reason=reason.strip()[:500],
        actor_id=admin.id,
    )
    session.add(award)
    session.flush()
    audit.record(
        session,
        "tier.demote",
        actor=admin,
        target=user,
        before={"tier": tier},
        after={"tier": award.tier, "reason": award.reason},
    )
    return award


def on_tier(session: Session, user_ids: list[int], slug: str | None) -> list[int]:
    """Those of the given agents who stand on the tier `slug` now."""
    tiers = tiers_of(session, user_ids)
    return [i for i in user_ids if tiers.get(i) == slug]


def tiers_of(session: Session, user_ids: list[int] | None) -> dict[int, str]:
    """Each live agent's tier in two queries (for badges and leaderboards); `None` means every active
    person, without sending their ids."""
    if user_ids is not None and not user_ids:
        return {}

    def among(column: Any) -> Any:
        if user_ids is None:
            return column.in_(select(User.id).where(User.active.is_(True)))
        return column.in_(user_ids)

    tiers = _tiers(session)
    first = tiers[0]["slug"] if tiers else None
    result: dict[int, str] = {}
    if first:
        for user_id in session.scalars(
            select(Certificate.user_id).where(
                among(Certificate.user_id),
                Certificate.kind == "go-live",
                Certificate.revoked_at.is_(None),
            )
        ):
            result[user_id] = first
    latest = (
        select(TierAward.user_id, func.max(TierAward.sequence).label("seq"))
        .where(among(TierAward.user_id))
        .group_by(TierAward.user_id)
        .subquery()
    )
    for user_id, tier in session.execute(
        select(TierAward.user_id, TierAward.tier).join(
            latest, (latest.c.user_id == TierAward.user_id) & (latest.c.seq == TierAward.sequence)
        )
    ):
        result[user_id] = tier
    return result
