"""Accounts: creating and changing users, roles, stores and cohorts; signing in."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.db import utcnow
from lms.domain import audit
from lms.domain.accounts.passwords import check_policy, hash_password, needs_rehash, verify_password
from lms.domain.errors import N_, Conflict, DomainError, NotFound
from lms.models import Cohort, Role, Store, User, UserRole, UserStore
from lms.models.people import LOCALES, MAX_STORES_PER_AGENT

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: Short, upper case, safe in a file name and a spreadsheet cell ("XZ-TMALL").
STORE_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,19}$")
#: The platforms a store can be on (the admin form shows their names).
PLATFORMS = ("tmall", "taobao", "jd", "pdd", "douyin")


def normalise_username(username: str) -> str:
    """Usernames are compared without case or surrounding spaces."""
    return username.strip().lower()


def check_username(username: str) -> str:
    """A valid, normalised username, or a DomainError."""
    name = normalise_username(username)
    if not USERNAME_RE.match(name):
        raise DomainError(
            N_(
                "A username is 2–40 characters: letters, digits, dot, dash or underscore, "
                "starting with a letter or digit."
            ),
            "username",
        )
    return name


def parse_roles(values: Iterable[str]) -> set[Role]:
    """Roles from their names; unknown names are an error."""
    roles: set[Role] = set()
    for value in values:
        value = value.strip().lower()
        if not value:
            continue
        try:
            roles.add(Role(value))
        except ValueError:
            raise DomainError(
                N_("Unknown role “%(role)s” (choose from learner, trainer, qc, admin)."),
                "roles",
                role=value,
            ) from None
    return roles


def get_user(session: Session, user_id: int) -> User:
    """A user by id, or NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(N_("No such user."))
    return user


def find_user(session: Session, username: str) -> User | None:
    """A user by username (case-insensitive), or None."""
    return session.scalars(select(User).where(User.username == normalise_username(username))).one_or_none()


def find_store(session: Session, name: str) -> Store | None:
    """A store by exact name, or None."""
    return session.scalars(select(Store).where(Store.name == name.strip())).one_or_none()


def find_cohort(session: Session, name: str) -> Cohort | None:
    """A cohort by exact name, or None."""
    return session.scalars(select(Cohort).where(Cohort.name == name.strip())).one_or_none()


@dataclass
class UserData:
    """What an admin (or an import) says about a user."""

    username: str
    display_name: str
    email: str | None = None
    roles: Iterable[Role | str] = (Role.LEARNER,)
    locale: str = "en"
    hired_on: dt.date | None = None
    cohort: str | None = None
    stores: Sequence[str] = ()
    password: str | None = None


def check_fields(data: UserData) -> None:
    name = data.display_name.strip()
    if not name or len(name) > 80:
        raise DomainError(N_("A display name is 1–80 characters."), "display_name")
    if data.email and (len(data.email) > 200 or not EMAIL_RE.match(data.email.strip())):
        raise DomainError(N_("“%(email)s” is not an email address."), "email", email=data.email)
    if data.locale not in LOCALES:
        raise DomainError(N_("Unknown language."), "locale")
    if not data.roles:
        raise DomainError(N_("Give the user at least one role."), "roles")


def _snapshot(user: User) -> dict[str, object]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "roles": sorted(r.role for r in user.role_rows),
        "active": user.active,
        "locale": user.locale,
        "hired_on": user.hired_on.isoformat() if user.hired_on else None,
        "cohort_id": user.cohort_id,
        "stores": [link.store_id for link in user.store_links],
    }


def resolve_stores(session: Session, names: Sequence[str]) -> list[Store]:
    names = [n.strip() for n in names if n.strip()]
    if len(names) > MAX_STORES_PER_AGENT:
        raise DomainError(N_("An agent works in at most %(n)s stores."), "stores", n=MAX_STORES_PER_AGENT)
    if len(set(names)) != len(names):
        raise DomainError(N_("A store is listed twice."), "stores")
    stores = []
    for name in names:
        store = find_store(session, name)
        if store is None:
            raise DomainError(N_("Unknown store “%(name)s”."), "stores", name=name)
        stores.append(store)
    return stores


def resolve_cohort(session: Session, name: str | None) -> Cohort | None:
    if not name or not name.strip():
        return None
    cohort = find_cohort(session, name)
    if cohort is None:
        raise DomainError(N_("Unknown cohort “%(name)s”."), "cohort", name=name)
    return cohort


def set_roles(user: User, roles: Iterable[Role | str]) -> None:
    """Replace the user's roles."""
    wanted = {str(Role(r)) for r in roles}
    user.role_rows = [r for r in user.role_rows if r.role in wanted] + [
        UserRole(role=r) for r in sorted(wanted - {x.role for x in user.role_rows})
    ]


def set_stores(session: Session, user: User, stores: Sequence[Store]) -> None:
    """Replace the user's stores; the first one listed is the main store."""
    keep = {link.store_id: link for link in user.store_links}
    if any(link.is_main for link in user.store_links) and user.id is not None:
        # Clear the old main flag first so the one-main unique index never sees two.
        for link in user.store_links:
            link.is_main = False
        session.flush()
    links = []
    for position, store in enumerate(stores):
        link = keep.get(store.id) or UserStore(store=store)
        link.is_main = position == 0
        link.position = position
        links.append(link)
    user.store_links = links


def create_user(session: Session, data: UserData, *, actor: User | None = None) -> User:
    """Create a user; the password, when given, must meet the policy."""
    username = check_username(data.username)
    check_fields(data)
    if find_user(session, username) is not None:
        raise Conflict(N_("The username “%(name)s” is taken."), "username", name=username)
    cohort = resolve_cohort(session, data.cohort)
    stores = resolve_stores(session, data.stores)
    if data.password is not None:
        check_policy(data.password, username)
    user = User(
        username=username,
        display_name=data.display_name.strip(),
        email=(data.email or "").strip() or None,
        locale=data.locale,
        hired_on=data.hired_on,
        password_hash=hash_password(data.password) if data.password else "",
        cohort=cohort,
    )
    set_roles(user, data.roles)
    session.add(user)
    set_stores(session, user, stores)
    session.flush()
    audit.record(session, "user.create", actor=actor, target=user, after=_snapshot(user))
    return user


def update_user(session: Session, user: User, data: UserData, *, actor: User | None = None) -> User:
    """Change a user's details, roles, cohort and stores (not the username or password)."""
    check_fields(data)
    before = _snapshot(user)
    cohort = resolve_cohort(session, data.cohort)
    stores = resolve_stores(session, data.stores)
    new_roles = {str(Role(r)) for r in data.roles}
    if (
        actor is not None
        and actor.id == user.id
        and Role.ADMIN in user.roles
        and str(Role.ADMIN) not in new_roles
    ):
        raise DomainError(N_("You cannot take the admin role from yourself."), "roles")
    user.display_name = data.display_name.strip()
    user.email = (data.email or "").strip() or None
    user.locale = data.locale
    user.hired_on = data.hired_on
    user.cohort = cohort
    set_roles(user, new_roles)
    set_stores(session, user, stores)
    session.flush()
    after = _snapshot(user)
    if before != after:
        audit.record(session, "user.update", actor=actor, target=user, before=before, after=after)
        if before["roles"] != after["roles"]:
            audit.record(
                session,
                "user.roles",
                actor=actor,
                target=user,
                before={"roles": before["roles"]},
                after={"roles": after["roles"]},
            )
    return user


def set_active(session: Session, user: User, active: bool, *, actor: User | None = None) -> None:
    """Deactivate (ends every open session) or reactivate a user."""
    if user.active == active:
        return
    if not active and actor is not None and actor.id == user.id:
        raise DomainError(N_("You cannot deactivate yourself."))
    user.active = active
    if not active:
        user.session_version += 1
    audit.record(
        session,
        "user.deactivate" if not active else "user.reactivate",
        actor=actor,
        target=user,
        before={"active": not active},
        after={"active": active},
    )


def set_password(session: Session, user: User, password: str, *, actor: User | None = None) -> None:
    """Set a new password and end the user's other sessions."""
    check_policy(password, user.username)
    user.password_hash = hash_password(password)
    user.session_version += 1
    audit.record(session, "user.password", actor=actor, target=user)


def change_own_password(session: Session, user: User, current: str, new: str) -> None:
    """A user changes their own password, proving they know the current one."""
    if not verify_password(user.password_hash, current):
        raise DomainError(N_("The current password is not right."), "current_password")
    if current == new:
        raise DomainError(N_("Choose a password different from the current one."), "new_password")
    set_password(session, user, new, actor=user)


def authenticate(session: Session, username: str, password: str, *, ip: str | None = None) -> User | None:
    """The user these credentials belong to, or None; both outcomes are audited."""
    user = find_user(session, username)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        audit.record(
            session,
            "login.failure",
            actor=user,
            target_type="user",
            target_id=user.id if user else None,
            after={
                "username": normalise_username(username)[:40],
                "reason": "inactive" if user is not None and ok else "credentials",
            },
            ip=ip,
        )
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    audit.record(session, "login.success", actor=user, target=user, ip=ip)
    return user


def end_other_sessions(user: User) -> None:
    """Invalidate every session of this user (the caller re-logs the current one in if wanted)."""
    user.session_version += 1


def count_admins(session: Session) -> int:
    """How many active admins exist."""
    return (
        session.scalar(
            select(func.count())
            .select_from(User)
            .join(UserRole)
            .where(UserRole.role == Role.ADMIN.value, User.active.is_(True))
        )
        or 0
    )


def find_store_by_code(session: Session, code: str) -> Store | None:
    """A store by its short code (any case), or None."""
    return session.scalars(select(Store).where(Store.code == code.strip().upper())).one_or_none()


def check_store_code(code: str | None) -> str | None:
    """A valid store code in upper case, None when blank, or a DomainError."""
    code = (code or "").strip().upper()
    if not code:
        return None
    if not STORE_CODE_RE.match(code):
        raise DomainError(
            N_("A store code is 2–20 characters: letters A–Z, digits, dash or underscore."), "code"
        )
    return code


def _check_store(session: Session, store: Store | None, name: str, platform: str, code: str | None) -> None:
    """Name, platform and code fit, and none is taken by another store (a code never reads as a name)."""
    if not name or len(name) > 80:
        raise DomainError(N_("A store name is 1–80 characters."), "name")
    if platform not in PLATFORMS:
        raise DomainError(N_("Unknown platform."), "platform")
    other = find_store(session, name)
    if other is not None and other is not store:
        raise Conflict(N_("A store named “%(name)s” exists."), "name", name=name)
    if code is not None:
        other = find_store_by_code(session, code)
        if other is not None and other is not store:
            raise Conflict(
                N_("The store code “%(code)s” is taken by “%(name)s”."), "code", code=code, name=other.name
            )
        other = session.scalars(select(Store).where(func.upper(Store.name) == code)).first()
        if other is not None and other is not store:
            raise Conflict(N_("“%(code)s” is another store's name."), "code", code=code)
    other = session.scalars(select(Store).where(Store.code == name.upper())).first()
    if other is not None and other is not store:
        raise Conflict(N_("“%(name)s” is another store's code."), "name", name=name)


def _store_snapshot(store: Store) -> dict[str, object]:
    return {"name": store.name, "code": store.code, "platform": store.platform}


def create_store(
    session: Session,
    name: str,
    platform: str = "tmall",
    code: str | None = None,
    *,
    actor: User | None = None,
) -> Store:
    """Create a store with a unique name and, optionally, a unique short code."""
    name = name.strip()
    code = check_store_code(code)
    _check_store(session, None, name, platform, code)
    store = Store(name=name, platform=platform, code=code)
    session.add(store)
    session.flush()
    audit.record(session, "store.create", actor=actor, target=store, after=_store_snapshot(store))
    return store


def update_store(
    session: Session,
    store: Store,
    name: str,
    platform: str,
    code: str | None,
    *,
    actor: User | None = None,
) -> None:
    """Rename a store, change its platform or its code (KPI files may use either name or code)."""
    name = name.strip()
    code = check_store_code(code)
    _check_store(session, store, name, platform, code)
    before = _store_snapshot(store)
    store.name, store.platform, store.code = name, platform, code
    session.flush()
    after = _store_snapshot(store)
    if before != after:
        audit.record(session, "store.update", actor=actor, target=store, before=before, after=after)


def create_cohort(
    session: Session,
    name: str,
    start_date: dt.date,
    trainer: User | None = None,
    *,
    actor: User | None = None,
) -> Cohort:
    """Create a cohort of new hires starting on a date, led by a trainer."""
    name = name.strip()
    if not name or len(name) > 80:
        raise DomainError(N_("A cohort name is 1–80 characters."), "name")
    if find_cohort(session, name) is not None:
        raise Conflict(N_("A cohort named “%(name)s” exists."), "name", name=name)
    if trainer is not None and Role.TRAINER not in trainer.roles:
        raise DomainError(N_("The cohort's trainer must hold the trainer role."), "trainer")
    cohort = Cohort(name=name, start_date=start_date, trainer=trainer)
    session.add(cohort)
    session.flush()
    audit.record(
        session,
        "cohort.create",
        actor=actor,
        target=cohort,
        after={
            "name": name,
            "start_date": start_date.isoformat(),
            "trainer_id": trainer.id if trainer else None,
        },
    )
    return cohort


def update_cohort(
    session: Session,
    cohort: Cohort,
    name: str,
    start_date: dt.date,
    trainer: User | None,
    *,
    actor: User | None = None,
) -> None:
    """Rename a cohort, move its start date or change its trainer."""
    name = name.strip()
    if not name or len(name) > 80:
        raise DomainError(N_("A cohort name is 1–80 characters."), "name")
    other = find_cohort(session, name)
    if other is not None and other.id != cohort.id:
        raise Conflict(N_("A cohort named “%(name)s” exists."), "name", name=name)
    if trainer is not None and Role.TRAINER not in trainer.roles:
        raise DomainError(N_("The cohort's trainer must hold the trainer role."), "trainer")
    before = {
        "name": cohort.name,
        "start_date": cohort.start_date.isoformat(),
        "trainer_id": cohort.trainer_id,
    }
    cohort.name, cohort.start_date, cohort.trainer = name, start_date, trainer
    session.flush()
    after = {
        "name": cohort.name,
        "start_date": cohort.start_date.isoformat(),
        "trainer_id": cohort.trainer_id,
    }
    if before != after:
        audit.record(session, "cohort.update", actor=actor, target=cohort, before=before, after=after)
