"""The audit log is append-only in the database itself: UPDATE and DELETE are refused by a trigger."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.domain import audit
from lms.models import AuditEvent
from tests.factories import UserFactory


@pytest.fixture
def event_id(db: Session) -> int:
    user = UserFactory()
    db.flush()
    event = audit.record(db, "user.create", actor=user, target=user, after={"username": user.username})
    db.commit()
    return event.id


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'nothing.happened' WHERE id = :id",
        "UPDATE audit_events SET actor_id = NULL WHERE id = :id",
        "DELETE FROM audit_events WHERE id = :id",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_audit_event(
    app: Flask, event_id: int, db: Session, statement: str
) -> None:
    # A raw connection, past the ORM's own guard: the trigger is what refuses.
    with app.extensions["lms.db"].engine.connect() as conn:
        with pytest.raises(IntegrityError, match="append-only"):
            conn.execute(text(statement), {"id": event_id})
        conn.rollback()
    assert db.scalar(select(AuditEvent.action).where(AuditEvent.id == event_id)) == "user.create"


def test_appending_still_works(db: Session, event_id: int) -> None:
    audit.record(db, "user.update", target_type="user", target_id=1)
    db.commit()
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == 2
