"""The FAQ drill heatmap at scale: a cohort of N agents × every script-library entry, each card in a
varied FSRS state (mastered, learning, leech), bulk-inserted; the page against the bare-Flask
ceiling at two cohort sizes, with its query count."""

from __future__ import annotations

import datetime as dt
import shutil
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bench.pages import PASSWORD, _bare_ceiling, _rps, bench_app, first_request
from lms.models import Cohort, DrillCard, FaqEntry, Role, TypingRun, User, UserRole


def seed_drill_cohort(
    session: Session, cohort: Cohort, agents: int, now: dt.datetime, *, first: int = 0
) -> None:
    """`agents` learners in the cohort, each with a card on every required entry: agent i has mastered
    the first (i * 7) % 100 percent of them, has two leeches when i % 5 == 0, and one typing run."""
    entries = list(
        session.scalars(select(FaqEntry.id).where(FaqEntry.active.is_(True), FaqEntry.day.is_not(None)))
    )
    users = [
        {
            "username": f"drill{cohort.id}-{i:05d}",
            "display_name": f"Agent {i:05d}",
            "password_hash": "x",
            "locale": "en",
            "cohort_id": cohort.id,
        }
        for i in range(first, first + agents)
    ]
    session.execute(insert(User), users)
    ids = list(
        session.scalars(
            select(User.id).where(User.username.in_([u["username"] for u in users])).order_by(User.username)
        )
    )
    session.execute(insert(UserRole), [{"user_id": uid, "role": "learner"} for uid in ids])
    cards: list[dict[str, Any]] = []
    runs: list[dict[str, Any]] = []
    for offset, user_id in enumerate(ids):
        i = first + offset
        mastered = len(entries) * ((i * 7) % 100) // 100
        for n, entry_id in enumerate(entries):
            good = n < mastered
            leech = i % 5 == 0 and n >= len(entries) - 2
            cards.append(
                {
                    "user_id": user_id,
                    "entry_id": entry_id,
                    "state": 2 if good else 3 if leech else 1,
                    "step": None if good else 0,
                    "stability": 25.0 if good else 1.5,
                    "difficulty": 5.0,
                    "due": now + dt.timedelta(days=20 if good else 0),
                    "last_review": now,
                    "review_days": 3 if good else 1,
                    "reps": 4 if good else 1,
                    "lapses": 5 if leech else 0,
                    "serve": 0,
                    "answered_serve": 0,
                    "hinted": False,
                    "created_at": now,
                }
            )
        runs.append(
            {
                "user_id": user_id,
                "started_at": now,
                "finished_at": now,
                "characters": 60,
                "cpm": 40.0 + i % 40,
            }
        )
    session.execute(insert(DrillCard), cards)
    session.execute(insert(TypingRun), runs)


def bench_drills(seconds: float = 2.0, sizes: tuple[int, ...] = (20, 200)) -> list[dict[str, object]]:
    """Requests per second for a trainer's cohort heatmap at each cohort size."""
    app, tmp, _tree = bench_app("heat", Role.TRAINER, "lms-bench-drills-")
    database = app.extensions["lms.db"]
    session = database.session()
    cohort = Cohort(name="drill cohort", start_date=dt.date.today() - dt.timedelta(days=30))
    session.add(cohort)
    session.commit()
    ceiling = _bare_ceiling(seconds)
    rows: list[dict[str, object]] = []
    seeded = 0
    now = dt.datetime.now(dt.UTC)
    for size in sizes:
        seed_drill_cohort(session, cohort, size - seeded, now, first=seeded)
        session.commit()
        seeded = size
        client = app.test_client()
        client.post("/login", data={"username": "heat", "password": PASSWORD})
        url = f"/author/drills/cohorts/{cohort.id}"
        queries = first_request(database, client, url).queries
        rps = _rps(client, url, seconds)
        rows.append(
            {
                "page": f"drill heatmap, {size} agents",
                "rps": rps,
                "ceiling_rps": ceiling,
                "ratio": rps / ceiling,
                "queries": queries,
            }
        )
    session.close()
    database.engine.dispose()
    shutil.rmtree(tmp, ignore_errors=True)
    return rows
