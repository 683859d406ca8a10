"""The trainer's desk, from certification: who waits only for the sign-off, who is behind in each cohort,
and (once the programme defines validity periods) whose certificate expires soon.

"Ready" is the go-live rule itself (`golive.requirements_of`), evaluated for the whole scope at once;
"behind" is the cohort matrix's rule (`cohort_matrix.behind_by_cohort`). Neither is restated here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import distinct, exists, func, select
from sqlalchemy.orm import Session, joinedload

from lms.domain.accounts.desk import SHORTLIST, Shortlist, people, shortlist
from lms.domain.certification.cohort_matrix import CohortBehind, behind_by_cohort
from lms.domain.certification.golive import GoLiveRules, only_signoff_missing, requirements_of
from lms.domain.curriculum.programme import Schedule
from lms.models import Attempt, Certificate, Cohort, GoLiveSignoff, User
from lms.models.certification import GO_LIVE
from lms.models.learning import GRADED

#: A certificate is "expiring" this many days before its validity period ends.
EXPIRY_WINDOW_DAYS = 30


def ready_for_signoff(
    session: Session, rules: GoLiveRules | None, cohort_ids: list[int], limit: int = SHORTLIST
) -> Shortlist[User] | None:
    """People of these cohorts who met every go-live requirement but the trainer's sign-off, oldest
    cohort first; None when the programme asks for no sign-off (or is not loaded). Five queries."""
    if rules is None or not rules.trainer_signoff:
        return None
    waiting = (
        select(User.id)
        .join(Cohort, Cohort.id == User.cohort_id)
        .where(
            User.cohort_id.in_(cohort_ids),
            User.active.is_(True),
            ~exists().where(GoLiveSignoff.user_id == User.id),
            ~exists().where(Certificate.user_id == User.id, Certificate.kind == GO_LIVE),
        )
        .order_by(Cohort.start_date, User.display_name, User.id)
    )
    quiz_ids = [q.id for q in rules.quizzes.values()]
    if quiz_ids:
        # Only someone who passed every gating quiz can be ready: a cheap necessary condition in SQL,
        # so the rule itself (below) runs for the few near the end, not for a whole floor of agents.
        waiting = waiting.where(
            User.id.in_(
                select(Attempt.user_id)
                .where(Attempt.status == GRADED, Attempt.passed.is_(True), Attempt.quiz_id.in_(quiz_ids))
                .group_by(Attempt.user_id)
                .having(func.count(distinct(Attempt.quiz_id)) == len(quiz_ids))
            )
        )
    ready = [
        uid for uid, reqs in requirements_of(session, rules, waiting).items() if only_signoff_missing(reqs)
    ]
    if not ready:
        return Shortlist(0, [])
    shown = ready[:limit]
    users = {
        u.id: u
        for u in session.scalars(
            people(select(User).where(User.id.in_(shown)).options(joinedload(User.cohort)))
        )
    }
    return Shortlist(len(ready), [users[uid] for uid in shown])


@dataclass
class Behind:
    """Learners behind schedule across the cohorts, and the cohorts that have any, most behind first."""

    count: int = 0
    cohorts: list[CohortBehind] = field(default_factory=list)


def behind_schedule(
    session: Session,
    schedule: Schedule | None,
    rules: GoLiveRules | None,
    cohorts: list[Cohort],
    today: dt.date,
) -> Behind:
    """Who is behind in each cohort (the cohort matrix's rule), in the matrix's queries for all of them."""
    if schedule is None or rules is None:
        return Behind()
    groups = behind_by_cohort(session, cohorts, schedule, today, rules)
    return Behind(sum(len(g.rows) for g in groups), groups)


def validity_days(go_live: dict[str, Any]) -> int | None:
    """How many days a go-live certificate stays valid, when the programme says (`[go_live] valid_days`).

    The hook for validity periods (issue 19): today the programme defines none, so certificates never
    expire and the desk shows no expiry section. Point this at wherever validity periods are kept.
    """
    days = go_live.get("valid_days")
    return int(days) if isinstance(days, int) and not isinstance(days, bool) and days > 0 else None


@dataclass
class Expiring:
    """Certificates ending within the window, under the programme's validity period."""

    valid_days: int
    soon: Shortlist[Certificate]

    def ends(self, cert: Certificate) -> dt.datetime:
        """When this certificate stops being valid."""
        return cert.issued_at + dt.timedelta(days=self.valid_days)


def expiring_certificates(
    session: Session,
    schedule: Schedule | None,
    cohort_ids: list[int],
    now: dt.datetime,
    limit: int = SHORTLIST,
) -> Expiring | None:
    """Valid go-live certificates of these cohorts' people ending within the window, soonest first;
    None when the programme defines no validity period (nothing expires, there is nothing to show)."""
    days = validity_days(schedule.go_live) if schedule else None
    if days is None:
        return None
    period = dt.timedelta(days=days)
    stmt = (
        select(Certificate)
        .join(User, User.id == Certificate.user_id)
        .where(
            User.cohort_id.in_(cohort_ids),
            User.active.is_(True),
            Certificate.kind == GO_LIVE,
            Certificate.revoked_at.is_(None),
            Certificate.issued_at > now - period,
            Certificate.issued_at <= now + dt.timedelta(days=EXPIRY_WINDOW_DAYS) - period,
        )
        .options(joinedload(Certificate.user).lazyload(User.role_rows))
        .order_by(Certificate.issued_at, Certificate.id)
    )
    return Expiring(days, shortlist(session, stmt, limit))
