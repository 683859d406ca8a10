"""Page throughput in-process (WSGI test client), as a ratio of a bare Flask app in the same run."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from werkzeug.test import TestResponse

from lms import create_app
from lms.config import PROJECT_ROOT, Config
from lms.content.loader import check
from lms.content.specs import ContentTree
from lms.db import Database
from lms.domain.accounts import people
from lms.domain.curriculum.sync import sync_content
from lms.migrations.alembic import upgrade
from lms.models import Role

PASSWORD = "benchmark-password-1"
PAGES = [
    ("login page", "/login", False),
    ("learner home", "/learn/", True),
    ("course page", "/learn/courses/warehouse-week", True),
    ("lesson reader", "/learn/courses/warehouse-week/lessons/03-leather", True),
    ("quiz page", "/learn/quizzes/warehouse-week-check", True),
]


def bench_app(username: str, role: Role, prefix: str) -> tuple[Flask, Path, ContentTree]:
    """A migrated SQLite app in a temporary folder with the curriculum loaded and one user."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    upgrade(url)
    app = create_app(
        Config(
            database_url=url, secret_key="bench", instance_path=tmp, csrf=False, extra={"ratelimit": False}
        )
    )
    session = app.extensions["lms.db"].session()
    tree, _problems = check(PROJECT_ROOT)
    sync_content(session, tree)
    people.create_user(session, people.UserData(username, f"Bench {role}", roles=[role], password=PASSWORD))
    session.commit()
    session.close()
    return app, tmp, tree


@dataclass
class FirstRequest:
    """One request measured once: its response, the statements it ran and its wall time."""

    response: TestResponse
    queries: int
    ms: float


def first_request(database: Database, client: FlaskClient, path: str) -> FirstRequest:
    """GET `path` once, counting the statements the database runs for it (it must answer 200)."""
    queries = 0

    def count(*_args: object) -> None:
        nonlocal queries
        queries += 1

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        started = time.perf_counter()
        response = client.get(path)
        ms = (time.perf_counter() - started) * 1000
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    assert response.status_code == 200, (path, response.status_code)
    return FirstRequest(response, queries, ms)


def _bare_ceiling(seconds: float) -> float:
    bare = Flask("bare")

    @bare.get("/")
    def index() -> str:
        return "<html><body>" + "x" * 8000 + "</body></html>"

    return _rps(bare.test_client(), "/", seconds)


def _rps(client, path: str, seconds: float) -> float:  # type: ignore[no-untyped-def]
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        count += 1
    return count / (time.perf_counter() - start)


def bench_pages(seconds: float = 2.0) -> list[dict[str, object]]:
    """Requests per second for the learner's main pages against the bare-Flask ceiling."""
    app, _tmp, _tree = bench_app("bench", Role.LEARNER, "lms-bench-")
    database = app.extensions["lms.db"]
    ceiling = _bare_ceiling(seconds)
    rows = []
    for name, path, needs_login in PAGES:
        client = app.test_client()
        if needs_login:
            client.post("/login", data={"username": "bench", "password": PASSWORD})
        queries = first_request(database, client, path).queries
        rps = _rps(client, path, seconds)
        rows.append(
            {"page": name, "rps": rps, "ceiling_rps": ceiling, "ratio": rps / ceiling, "queries": queries}
        )
    return rows
