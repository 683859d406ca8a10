"""Writing the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from lms.models import AuditEvent, User


def record(
    session: Session,
    action: str,
    *,
    actor: User | None = None,
    target: Any = None,
    target_type: str | None = None,
    target_id: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append an audit event (flushed with the caller's transaction)."""
    if target is not None:
        target_type = target_type or type(target).__tablename__.rstrip("s")
        target_id = target_id if target_id is not None else getattr(target, "id", None)
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        before=before,
        after=after,
        ip=ip,
    )
    session.add(event)
    return event
