"""KPI: the monthly scheme (metrics, weights, mappings, bonus bands) and the imported monthly numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, intpk, timestamp
from lms.models.people import Store, User


class KpiScheme(Base):
    """The KPI scheme in force from a month on (weights change with what the company needs)."""

    __tablename__ = "kpi_schemes"

    id: Mapped[intpk]
    from_month: Mapped[str] = mapped_column(String(7), unique=True)  # YYYY-MM
    metrics: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    bands: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    store_weights: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[timestamp]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class KpiRecord(Base):
    """One agent's raw numbers in one store for one month."""

    __tablename__ = "kpi_records"
    __table_args__ = (UniqueConstraint("user_id", "store_id", "month"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    month: Mapped[str] = mapped_column(String(7), index=True)
    conversion_rate: Mapped[float | None]
    avg_response_seconds: Mapped[float | None]
    satisfaction: Mapped[float | None]
    invite_rate: Mapped[float | None]
    push_completion: Mapped[float | None]
    imported_at: Mapped[timestamp] = mapped_column(index=True)

    user: Mapped[User] = relationship()
    store: Mapped[Store] = relationship()

    @property
    def when(self) -> dt.date:
        """The first day of the record's month."""
        return dt.date.fromisoformat(self.month + "-01")


class TierAward(Base):
    """A step on the tier ladder (a promotion, or an admin's demotion), with the evidence that earned it."""

    __tablename__ = "tier_awards"
    __table_args__ = (UniqueConstraint("user_id", "sequence"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # 1, 2, 3… per person: two racing promotions cannot both take the same step.
    sequence: Mapped[int]
    tier: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(12), default="promotion")  # promotion | demotion
    awarded_at: Mapped[timestamp]
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(String(500))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
