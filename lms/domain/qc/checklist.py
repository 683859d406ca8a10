"""The QC checklist: the shipped default items and the admin's edits."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.domain import audit
from lms.domain.errors import N_, Conflict, DomainError
from lms.models import ChecklistItem, User

#: The default checklist, from what QC checks in every chat (DOMAIN.md): key, label, 中文, points, topics.
DEFAULT_ITEMS: tuple[tuple[str, str, str, int, tuple[str, ...]], ...] = (
    ("first-reply", "First reply within 20 seconds", "20秒内首次响应", 15, ("response-time",)),
    (
        "product-facts",
        "Product facts correct (material, size, care)",
        "产品信息准确（材质、尺寸、保养）",
        20,
        ("products", "materials", "sizes", "care"),
    ),
    (
        "platform-rule",
        "Platform rule applied correctly",
        "平台规则运用正确",
        15,
        ("platform-rules", "returns", "disputes", "advertising-law"),
    ),
    ("no-argument", "No argument with the customer", "不与顾客争辩", 20, ("no-argument",)),
    (
        "value-talk",
        "Value talk instead of discounting",
        "用价值沟通代替降价",
        10,
        ("value-talk", "closing"),
    ),
    ("rating-invite", "Rating invitation sent", "已发送评价邀请", 10, ("rating-invite",)),
    ("handover", "Correct handover", "交接规范", 10, ("handover",)),
)

TOPIC = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def ensure_default_checklist(session: Session) -> int:
    """Create the default items when the checklist has never had any; returns how many were made."""
    if session.scalar(select(func.count()).select_from(ChecklistItem)):
        return 0
    for position, (key, label, label_zh, points, topics) in enumerate(DEFAULT_ITEMS):
        session.add(
            ChecklistItem(
                key=key, label=label, label_zh=label_zh, points=points, topics=list(topics), position=position
            )
        )
    session.flush()
    return len(DEFAULT_ITEMS)


def active_items(session: Session) -> list[ChecklistItem]:
    """The checklist as QC fills it in, in order."""
    return list(
        session.scalars(
            select(ChecklistItem)
            .where(ChecklistItem.active.is_(True))
            .order_by(ChecklistItem.position, ChecklistItem.id)
        )
    )


def all_items(session: Session) -> list[ChecklistItem]:
    """Every item, retired ones last (the admin's page)."""
    return list(
        session.scalars(
            select(ChecklistItem).order_by(
                ChecklistItem.active.desc(), ChecklistItem.position, ChecklistItem.id
            )
        )
    )


def parse_topics(raw: str) -> list[str]:
    """'response-time, handover' -> ['response-time', 'handover'], each checked."""
    topics = [t.strip().lower() for t in re.split(r"[,，\s]+", raw) if t.strip()]
    if not topics:
        raise DomainError(N_("Give at least one topic."), "topics")
    bad = [t for t in topics if not TOPIC.match(t)]
    if bad:
        raise DomainError(
            N_("Topics are lowercase words joined by hyphens, like response-time: %(bad)s"),
            "topics",
            bad=", ".join(bad),
        )
    return list(dict.fromkeys(topics))


def save_item(
    session: Session,
    admin: User,
    *,
    item: ChecklistItem | None,
    label: str,
    label_zh: str,
    points: int,
    topics: list[str],
    position: int,
    active: bool,
) -> ChecklistItem:
    """Create or change a checklist item (spot checks already recorded keep the text they were scored on)."""
    label = label.strip()
    if not label:
        raise DomainError(N_("The item needs a text."), "label")
    if not 1 <= points <= 100:
        raise DomainError(N_("Points must be between 1 and 100."), "points")
    before = None
    if item is None:
        key = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:50] or "item"
        if session.scalar(select(ChecklistItem.id).where(ChecklistItem.key == key)) is not None:
            raise Conflict(N_("An item with this text exists already."), "label")
        item = ChecklistItem(key=key)
        session.add(item)
    else:
        before = {"label": item.label, "points": item.points, "topics": item.topics, "active": item.active}
    item.label, item.label_zh = label[:200], (label_zh.strip() or None)
    item.points, item.topics, item.position, item.active = points, topics, position, active
    session.flush()
    audit.record(
        session,
        "checklist.save",
        actor=admin,
        target=item,
        before=before,
        after={"label": item.label, "points": item.points, "topics": item.topics, "active": item.active},
    )
    return item
