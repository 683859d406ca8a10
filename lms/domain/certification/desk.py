"""The trainer's desk, from certification: who waits only for the sign-off, who is behind in each cohort,
and (when the programme defines a validity period) whose certificate expires soon.

"Ready" is the go-live rule itself (`golive.requirements_of`), evaluated for the whole scope at once;
"behind" is the cohort matrix's rule (`cohort_matrix.behind_by_cohort`). Neither is restated here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import distinct, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload

from lms.domain.accounts.desk import SHORTLIST, Shortlist, people, shortlist
from lms.domain.certification.cohort_matrix import CohortBehind, behind_by_cohort
from lms.domain.certification.golive import GoLiveRules, only_signoff_missing, requirements_of
from lms.domain.certification.validity import DEFAULT_WINDOW, Validity
from lms.domain.curriculum.programme import Schedule
from lms.models import Attempt, Certificate, Cohort, GoLiveSignoff, User
from lms.models.certification import GO_LIVE
from lms.models.learning import GRADED

#: A certificate is "expiring" this many days before its validity period ends (unless the programme
#: says otherwise: `[go_live] expiring_days`).
EXPIRY_WINDOW_DAYS = DEFAULT_WINDOW


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
    """How many days a go-live certificate stays valid (`[go_live] valid_days`), None: never expires."""
    return Validity.from_spec(go_live).valid_days


@dataclass
class Expiring:
    """Certificates ending within the window, and those already ended but never revoked (their
    holders are not live until they recertify), under the programme's validity rules."""

    rules: Validity
    soon: Shortlist[Certificate]
    ended: Shortlist[Certificate]

    @property
    def valid_days(self) -> int | None:
        return self.rules.valid_days

    def ends(self, cert: Certificate) -> dt.datetime:
        """When this certificate stops being valid."""
        ends = self.rules.ends(cert)
        assert ends is not None
        return ends


def expiring_certificates(
    session: Session,
    schedule: Schedule | None,
    cohort_ids: list[int],
    now: dt.datetime,
    limit: int = SHORTLIST,
) -> Expiring | None:
    """Live go-live certificates of these cohorts' people ending within the window (the period's
    last days, or a missed "what changed" refresher), soonest first, and those that have ended and
    were not revoked, the longest ended first; None when the programme defines no validity period
    (nothing expires by age, there is nothing to show). Up to four queries."""
    rules = Validity.from_spec(schedule.go_live) if schedule else Validity()
    if rules.period is None:
        return None
    horizon = now + dt.timedelta(days=rules.expiring_days)
    ours = (
        select(Certificate)
        .join(User, User.id == Certificate.user_id)
        .where(
            User.cohort_id.in_(cohort_ids),
            User.active.is_(True),
            Certificate.kind == GO_LIVE,
            Certificate.revoked_at.is_(None),
        )
        .options(joinedload(Certificate.user).lazyload(User.role_rows))
    )
    soon = ours.where(
        rules.live(now),
        or_(Certificate.issued_at <= horizon - rules.period, Certificate.lapses_at <= horizon),
    ).order_by(Certificate.issued_at, Certificate.id)
    # Ended: past the period, or past the date a missed refresher set. The order is the period's
    # end (issue date), which a lapse can only bring forward.
    ended = ours.where(~rules.live(now)).order_by(Certificate.issued_at, Certificate.id)
    return Expiring(rules, shortlist(session, soon, limit), shortlist(session, ended, limit))
