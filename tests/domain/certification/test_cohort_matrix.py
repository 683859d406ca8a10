"""The cohort matrix's certificate column: each learner's go-live certificate status, read on
PostgreSQL by the members' ids (one array value), through the cohort's select on SQLite."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.domain.certification.cohort_matrix import behind_by_cohort, cohort_matrix
from lms.domain.curriculum.programme import Schedule, load_schedule
from lms.models import Certificate, Programme, User
from lms.models.certification import GO_LIVE
from tests.domain.certification.test_golive import programme  # noqa: F401
from tests.factories import CohortFactory, UserFactory

TODAY = dt.date(2026, 11, 24)
MOMENT = dt.datetime.combine(TODAY, dt.time.min, tzinfo=dt.UTC)


def _certificate(db: Session, user: User, days_ago: int, *, revoked: bool = False) -> None:
    db.add(
        Certificate(
            user_id=user.id,
            kind=GO_LIVE,
            code=secrets.token_urlsafe(12),
            issued_at=MOMENT - dt.timedelta(days=days_ago),
            revoked_at=MOMENT if revoked else None,
            evidence={},
        )
    )


def _certificates_statement(statements: list[str]) -> str:
    found = [s for s in statements if s.lstrip().startswith("SELECT certificates.")]
    assert len(found) == 1, found
    return found[0]


def test_the_matrix_shows_each_certificate_status_and_reads_them_by_id_on_postgresql(
    db: Session,
    programme: Schedule,  # noqa: F811
    count_queries: Callable[..., object],
) -> None:
    row = db.scalars(select(Programme)).one()
    row.spec = {**row.spec, "go_live": {**row.spec["go_live"], "valid_days": 365}}
    cohort, other = CohortFactory(start_date=TODAY - dt.timedelta(days=30)), CohortFactory()
    db.flush()
    fresh, expiring, expired, revoked, none = (UserFactory(cohort_id=cohort.id) for _ in range(5))
    outsider = UserFactory(cohort_id=other.id)
    db.flush()
    _certificate(db, fresh, 10)
    _certificate(db, expiring, 355)
    _certificate(db, expired, 400)
    _certificate(db, revoked, 10, revoked=True)
    _certificate(db, outsider, 10)
    db.commit()
    schedule = load_schedule(db)
    with count_queries() as counted:
        matrix = cohort_matrix(db, cohort, schedule, TODAY)
    states = {r.user.id: (r.cert_state, r.live) for r in matrix.rows}
    assert states == {
        fresh.id: ("valid", True),
        expiring.id: ("expiring", True),
        expired.id: ("expired", False),
        revoked.id: ("revoked", False),
        none.id: (None, False),
    }
    statement = _certificates_statement(counted.statements)  # type: ignore[attr-defined]
    if db.get_bind().dialect.name == "postgresql":
        # One array of ids, so the planner looks each learner up in the index.
        assert "= ANY (" in statement and "users" not in statement and statement.count("%(") == 2
    else:
        assert "IN (SELECT users.id" in statement
    # The desk's "behind" list reads the same way; it leaves out everyone holding an unrevoked
    # certificate (the expired one is recertification's business, not onboarding's).
    with count_queries() as counted:
        behind = behind_by_cohort(db, [cohort], schedule, TODAY)
    listed = {r.user.id: r.cert_state for g in behind for r in g.rows}
    assert listed == {revoked.id: "revoked", none.id: None}
    statement = _certificates_statement(counted.statements)  # type: ignore[attr-defined]
    assert ("= ANY (" in statement) is (db.get_bind().dialect.name == "postgresql")
