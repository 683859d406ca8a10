"""People: users and their roles, stores, cohorts."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, intpk, str80, str200, timestamp


class Role(enum.StrEnum):
    """What a person may do; a person may hold several."""

    LEARNER = "learner"
    TRAINER = "trainer"
    QC = "qc"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.TRAINER, Role.QC, Role.ADMIN})
LOCALES = ("en", "zh_Hans")


class User(Base):
    """A person who signs in: a new hire, an agent, a trainer, QC staff or an admin."""

    __tablename__ = "users"

    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str80]
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    #: The saved interface language; None: follow the browser (its cookie, then Accept-Language).
    locale: Mapped[str] = mapped_column(String(10), default="")
    hired_on: Mapped[dt.date | None] = mapped_column(Date)
    # Bumped on logout, password change and deactivation: every other session then ends.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[timestamp]
    last_login_at: Mapped[dt.datetime | None]

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    store_links: Mapped[list[UserStore]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="UserStore.position"
    )
    cohort: Mapped[Cohort | None] = relationship(back_populates="members", foreign_keys=[cohort_id])

    @property
    def roles(self) -> frozenset[Role]:
        """The roles this person holds."""
        return frozenset(Role(name) for name in self.role_names)

    @property
    def role_names(self) -> frozenset[str]:
        """The names of the roles this person holds: as read with the signed-in user's row (see
        `keep_role_names`), else from their role rows."""
        kept: frozenset[str] | None = self.__dict__.get(_KEPT_ROLE_NAMES)
        if kept is None:
            return frozenset(r.role for r in self.role_rows)
        return kept

    def keep_role_names(self, names: str | None) -> None:
        """Keep the role names read in the same statement as this row (comma-separated, as
        `role_names_of` selects them), so the roles need no rows loaded: the signed-in user's row is
        read on every request, and the role rows' eager load was about a fifth of that statement's
        cost. Changing the role rows drops what was kept."""
        self.__dict__[_KEPT_ROLE_NAMES] = frozenset(names.split(",")) if names else frozenset()

    def has_role(self, *roles: Role | str) -> bool:
        """Whether this person holds any of the given roles."""
        mine = self.role_names
        return any(str(role) in mine for role in roles)

    @property
    def is_staff(self) -> bool:
        """Trainers, QC and admins see the staff side."""
        return bool(self.roles & STAFF_ROLES)

    # flask-login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The session identity: id and session version, so a bumped version logs out."""
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.username}>"


#: Where `User.keep_role_names` keeps them (an instance attribute the ORM does not map).
_KEPT_ROLE_NAMES = "_lms_role_names"


@event.listens_for(User.role_rows, "append")
@event.listens_for(User.role_rows, "remove")
@event.listens_for(User.role_rows, "bulk_replace")
def _roles_changed(target: User, *_args: Any) -> None:
    """The role rows changed: the roles are the rows again."""
    target.__dict__.pop(_KEPT_ROLE_NAMES, None)


class UserRole(Base):
    """One role held by one user."""

    __tablename__ = "user_roles"
    __table_args__ = (CheckConstraint("role IN ('learner', 'trainer', 'qc', 'admin')", name="known_role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class Store(Base):
    """A shop on a platform that agents serve (a Tmall flagship store, a Taobao shop…)."""

    __tablename__ = "stores"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(80), unique=True)
    #: A short handle (e.g. "XZ-TMALL") that survives renames; KPI files may name the store by it.
    code: Mapped[str | None] = mapped_column(String(20), unique=True)
    platform: Mapped[str] = mapped_column(String(20), default="tmall")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[timestamp]

    agent_links: Mapped[list[UserStore]] = relationship(back_populates="store")


MAX_STORES_PER_AGENT = 3


class UserStore(Base):
    """An agent works in a store; one of an agent's 1–3 stores is the main one."""

    __tablename__ = "user_stores"
    __table_args__ = (
        Index(
            "uq_user_stores_one_main",
            "user_id",
            unique=True,
            sqlite_where=text("is_main"),
            postgresql_where=text("is_main"),
        ),
        CheckConstraint("weight IS NULL OR (weight > 0 AND weight <= 100)", name="weight_range"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True)
    is_main: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Share of this store in the agent's KPI, in percent; None = the scheme's default (60/40).
    weight: Mapped[int | None] = mapped_column(Integer)

    user: Mapped[User] = relationship(back_populates="store_links")
    store: Mapped[Store] = relationship(back_populates="agent_links", lazy="joined")


class Cohort(Base):
    """A group of new hires who start the onboarding programme together, led by a trainer."""

    __tablename__ = "cohorts"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(80), unique=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    # use_alter: users and cohorts refer to each other, so this key is added after both exist.
    trainer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL", use_alter=True)
    )
    notes: Mapped[str200 | None]
    created_at: Mapped[timestamp]

    trainer: Mapped[User | None] = relationship(foreign_keys=[trainer_id])
    members: Mapped[list[User]] = relationship(
        back_populates="cohort", foreign_keys=[User.cohort_id], order_by=User.display_name
    )
