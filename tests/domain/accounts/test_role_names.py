"""Role names read beside the user's row answer `roles` and `has_role` without the role rows, until
the rows change."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from lms.domain.accounts.people import set_roles
from lms.domain.accounts.role_names import role_names_of
from lms.models import Role, User, UserRole
from tests.factories import UserFactory


def _read(app: Flask, user_id: int) -> tuple[Session, User]:
    """The user read as the sign-in reads them, in a session of its own (the caller closes it)."""
    session: Session = app.extensions["lms.db"].read_session()
    row = session.execute(
        select(User, role_names_of(User.id)).where(User.id == user_id).options(lazyload(User.role_rows))
    ).one()
    row[0].keep_role_names(row[1])
    return session, row[0]


def test_kept_names_answer_without_reading_the_role_rows(app: Flask, db: Session, count_queries) -> None:
    trainer = UserFactory(roles=["trainer", "qc"])
    nobody = UserFactory(roles=[])
    db.commit()
    session, user = _read(app, trainer.id)
    try:
        with count_queries() as counted:
            assert user.roles == {Role.TRAINER, Role.QC} and user.is_staff
            assert user.has_role(Role.QC, Role.ADMIN) and not user.has_role("learner")
        assert counted.count == 0  # no role rows read
    finally:
        session.close()
    session, user = _read(app, nobody.id)
    try:
        assert user.roles == frozenset() and not user.has_role(*Role)
    finally:
        session.close()


def test_changing_the_role_rows_drops_the_kept_names(app: Flask, db: Session) -> None:
    learner = UserFactory(roles=["learner"])
    db.commit()
    session, user = _read(app, learner.id)
    try:
        assert user.roles == {Role.LEARNER}
        set_roles(user, [Role.TRAINER])  # replaces the rows: the roles are the rows again
        assert user.roles == {Role.TRAINER}
        user.keep_role_names("trainer")
        user.role_rows.append(UserRole(role="qc"))  # one row added
        assert user.roles == {Role.TRAINER, Role.QC}
        user.keep_role_names("trainer,qc")
        user.role_rows.remove(next(r for r in user.role_rows if r.role == "trainer"))  # one removed
        assert user.roles == {Role.QC}
    finally:
        session.close()


def test_a_user_read_otherwise_answers_from_the_rows(db: Session) -> None:
    user = UserFactory(roles=["learner", "admin"])
    db.commit()
    db.expire_all()
    again = db.scalars(select(User).where(User.id == user.id)).one()
    assert again.roles == {Role.LEARNER, Role.ADMIN} and again.has_role("admin")
