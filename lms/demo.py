"""Demo data for a laptop: the Xingzhe store, its staff and a cohort of five new hires."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from lms.domain.accounts import people
from lms.domain.curriculum.calendar_days import working_days_before
from lms.models import Role

MAIN_STORE = "行者旗舰店 Xingzhe Flagship (Tmall)"
SECOND_STORE = "行者箱包 Xingzhe Outlet (Taobao)"
COHORT = "November new hires"
#: The demo cohort started this many working days ago, so its learners are on day N + 1.
COHORT_DAYS_IN = 5

STAFF = [
    ("admin", "周敏 Zhou Min", [Role.ADMIN], []),
    ("trainer", "陈老师 Chen Jie", [Role.TRAINER], [MAIN_STORE]),
    ("qclead", "孙丽 Sun Li", [Role.QC], [MAIN_STORE, SECOND_STORE]),
]
NEW_HIRES = [
    ("wangfang", "王芳 Wang Fang", [MAIN_STORE]),
    ("lina", "李娜 Li Na", [MAIN_STORE]),
    ("zhangwei", "张伟 Zhang Wei", [MAIN_STORE, SECOND_STORE]),
    ("liuyang", "刘洋 Liu Yang", [SECOND_STORE]),
    ("chenjing", "陈静 Chen Jing", [MAIN_STORE]),
]


@dataclass
class DemoResult:
    """What `create_demo` made: (username, password, roles) per new account."""

    logins_file: Path
    created: list[tuple[str, str, str]] = field(default_factory=list)


def _password() -> str:
    # Readable but unguessable: 4 groups of 4 from an alphabet without look-alikes.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def create_demo(session: Session, instance: Path, today: dt.date | None = None) -> DemoResult:
    """Create whatever of the demo set is missing; never duplicates, never changes passwords."""
    today = today or dt.date.today()
    result = DemoResult(logins_file=instance / "demo-logins.txt")
    for name, platform, code in ((MAIN_STORE, "tmall", "XZ-TMALL"), (SECOND_STORE, "taobao", "XZ-OUTLET")):
        if people.find_store(session, name) is None:
            people.create_store(session, name, platform, code)

    def add(
        username: str, display: str, roles: list[Role], stores: list[str], cohort: str | None = None
    ) -> None:
        if people.find_user(session, username) is not None:
            return
        password = _password()
        people.create_user(
            session,
            people.UserData(
                username=username,
                display_name=display,
                roles=roles,
                stores=stores,
                cohort=cohort,
                password=password,
                hired_on=today if cohort else None,
                locale="zh_Hans" if cohort else "en",
            ),
        )
        result.created.append((username, password, ", ".join(str(r) for r in roles)))

    for username, display, staff_roles, stores in STAFF:
        add(username, display, staff_roles, stores)
    if people.find_cohort(session, COHORT) is None:
        trainer = people.find_user(session, "trainer")
        people.create_cohort(session, COHORT, working_days_before(today, COHORT_DAYS_IN), trainer)
    for username, display, stores in NEW_HIRES:
        add(username, display, [Role.LEARNER], stores, cohort=COHORT)
    if result.created:
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(result.logins_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            for username, password, roles in result.created:
                fh.write(f"{username}\t{password}\t{roles}\n")
    return result
