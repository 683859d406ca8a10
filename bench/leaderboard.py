"""The tier ladder at contact-centre size: N live agents (go-live certificates, some promoted, one KPI
month each in one of three stores), bulk-inserted; the staff page against the bare-Flask ceiling."""

from __future__ import annotations

import datetime as dt
import shutil
import time

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bench.pages import PASSWORD, _bare_ceiling, bench_app, first_request
from lms.models import Certificate, KpiRecord, Role, Store, TierAward, User, UserRole, UserStore
from lms.models.certification import GO_LIVE

MONTH = "2027-03"
TIERS = ("advanced", "elite", "expert", "gold")


def seed_agents(session: Session, agents: int, now: dt.datetime, *, first: int = 0) -> None:
    """`agents` more live agents (numbered from `first`): every one certified, one in three promoted,
    each with a KPI month in one of three stores."""
    stores = list(session.scalars(select(Store).where(Store.name.like("ladder store %")).order_by(Store.id)))
    if not stores:
        stores = [Store(name=f"ladder store {n}") for n in range(3)]
        session.add_all(stores)
        session.flush()
    numbers = range(first, first + agents)
    session.execute(
        insert(User),
        [{"username": f"agent{i}", "display_name": f"Agent {i:05d}", "locale": "zh_Hans"} for i in numbers],
    )
    ids = list(
        session.scalars(
            select(User.id).where(User.username.in_([f"agent{i}" for i in numbers])).order_by(User.id)
        )
    )
    session.execute(insert(UserRole), [{"user_id": u, "role": "learner"} for u in ids])
    session.execute(
        insert(Certificate),
        [
            {
                "user_id": u,
                "kind": GO_LIVE,
                "code": f"L-{u}",
                "issued_at": now - dt.timedelta(days=90),
                "evidence": {},
            }
            for u in ids
        ],
    )
    session.execute(
        insert(TierAward),
        [
            {"user_id": u, "sequence": 1, "tier": TIERS[n % len(TIERS)], "awarded_at": now, "evidence": {}}
            for n, u in enumerate(ids)
            if n % 3 == 0
        ],
    )
    session.execute(
        insert(UserStore),
        [
            {"user_id": u, "store_id": stores[n % 3].id, "is_main": True, "position": 0}
            for n, u in enumerate(ids)
        ],
    )
    session.execute(
        insert(KpiRecord),
        [
            {
                "user_id": u,
                "store_id": stores[n % 3].id,
                "month": MONTH,
                "conversion_rate": 20 + n % 30,
                "avg_response_seconds": 10 + n % 40,
                "satisfaction": 80 + n % 20,
                "invite_rate": 50 + n % 50,
                "push_completion": 60 + n % 40,
                "imported_at": now,
            }
            for n, u in enumerate(ids)
        ],
    )
    session.flush()


def bench_leaderboard(seconds: float = 3.0, agents: int = 10_000) -> list[dict[str, object]]:
    """Requests per second, page size and queries for the tier ladder over `agents` live agents."""
    app, tmp, _tree = bench_app("ladder", Role.TRAINER, "lms-bench-ladder-")
    database = app.extensions["lms.db"]
    session = database.session()
    seed_agents(session, agents, dt.datetime.now(dt.UTC))
    session.commit()
    session.close()
    ceiling = _bare_ceiling(seconds)
    client = app.test_client()
    client.post("/login", data={"username": "ladder", "password": PASSWORD})
    rows: list[dict[str, object]] = []
    for name, path in (
        (f"tier ladder, {agents} agents", "/staff/tiers"),
        ("tier ladder, sorted by KPI, page 20", "/staff/tiers?sort=kpi&page=20"),
        ("tier ladder, searched", "/staff/tiers?q=Agent%200999"),
    ):
        measured = first_request(database, client, path)
        response, queries, first_ms = measured.response, measured.queries, measured.ms
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds or done < 3:
            client.get(path)
            done += 1
        rps = done / (time.perf_counter() - start)
        rows.append(
            {
                "page": name,
                "rps": rps,
                "ceiling_rps": ceiling,
                "ratio": rps / ceiling,
                "ms_per_request": 1000 / rps,
                "first_ms": first_ms,
                "bytes": len(response.data),
                "queries": queries,
            }
        )
    database.engine.dispose()
    shutil.rmtree(tmp, ignore_errors=True)
    return rows


if __name__ == "__main__":
    for row in bench_leaderboard():
        print(
            f"{row['page']:<40} {row['ms_per_request']:>8.1f} ms/request  ratio {row['ratio']:.4f}  "
            f"{row['bytes']:>9} bytes  {row['queries']} queries"
        )
