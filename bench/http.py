"""`python -m bench.http`: the pages that matter at contact-centre size, over HTTP through gunicorn.

What it does, in one run:
- seeds one database (SQLite in a temporary folder, or `--postgres URL`, which is EMPTIED first) with
  the curriculum, a cohort of 200 learners (400 in two cohorts), 10,000 live agents with a KPI month
  and 50,000 graded attempts at one quiz, all bulk-inserted; on PostgreSQL the seeded tables are
  then vacuumed and analysed, as autovacuum would have done on a server in use (the test cluster here
  runs with autovacuum off, and a never-analysed table plans `max()` as a full scan and reads the
  heap for every index entry);
- serves it with gunicorn (2 sync workers, the project's gunicorn.conf.py) and serves the bare-Flask
  ceiling (`bench/ceiling.py`) with the same settings;
- for each endpoint, three rounds alternating ceiling and app, each a `wrk` run (16 connections) of
  `--seconds`; CPU per request is read from /proc for the server's processes (master and workers),
  so the figure does not depend on how busy the machine is with other work;
- for the statistics page, also its first view after a grading (the report recomputed from the
  saved blocks: `statistics_blocks`), timed over HTTP after regrading one attempt, three times;
- then the floor the pages stand on, measured the same way on `bench/floor_app.py` (the app with
  pages that do nothing of their own: public, signed in, the shared layout, an API call with a
  token), so each page's ratio reads as floor plus its own work;
- prints a table (ratio = app CPU per request / ceiling CPU per request, median of the rounds;
  p50/p99 latency and requests per second of the last round) and writes bench/results/latest.json
  (latest-postgresql.json with `--postgres`),
  with the workers' resident memory after the run and the machine's description.

wrk comes from Debian (`apt-get install wrk`); gunicorn from the project's dev extras.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select, text, update

from bench.desk import seed_team
from bench.grading import sample_response
from bench.leaderboard import seed_agents
from bench.statistics import QUIZ as STATS_QUIZ
from bench.statistics import seed_attempts
from lms import create_app
from lms.config import PROJECT_ROOT, Config
from lms.content.loader import check
from lms.domain.accounts import people
from lms.domain.accounts.tokens import create_token
from lms.domain.curriculum.sync import sync_content
from lms.migrations.alembic import upgrade
from lms.models import Cohort, Quiz, Role

PASSWORD = "benchmark-password-1"
FLOW_QUIZ = "warehouse-week-exam"
LESSON = "/learn/courses/warehouse-week/lessons/03-leather"
CONNECTIONS = 16
AGENT = "lms-bench"
TICKS = os.sysconf("SC_CLK_TCK")
RESULTS = Path(__file__).parent / "results"


@dataclass
class Endpoint:
    """One row of the table: who asks for what, and how wrk sends it."""

    name: str
    path: str
    who: str  # learner | trainer | api | flow
    method: str = "GET"
    body: str = ""
    ceiling_method: str = "GET"


@dataclass
class Seeded:
    """What the seeding left for the endpoints: ids, paths, API tokens."""

    url: str
    cohort_id: int = 0
    attempt_id: int = 0
    save_question: str = ""
    save_body: str = ""
    tokens: list[str] = field(default_factory=list)
    flow_saves: list[tuple[str, str]] = field(default_factory=list)


def _endpoints(seeded: Seeded) -> list[Endpoint]:
    return [
        Endpoint("learner Today page", "/learn/", "learner"),
        Endpoint("lesson reader", LESSON, "learner"),
        Endpoint("quiz page", f"/learn/quizzes/{STATS_QUIZ}", "learner"),
        Endpoint(
            "save one answer (API)",
            f"/api/v1/attempts/{seeded.attempt_id}/responses/{seeded.save_question}",
            "api",
            "PUT",
            seeded.save_body,
            "PUT",
        ),
        Endpoint(
            "start + 20 saves + submit, per request",
            f"/api/v1/quizzes/{FLOW_QUIZ}/attempts",
            "flow",
            "POST",
            "",
            "PUT",
        ),
        Endpoint("tier leaderboard, 10,000 agents", "/staff/tiers", "trainer"),
        Endpoint("cohort matrix, 200 learners", f"/author/cohorts/{seeded.cohort_id}", "trainer"),
        Endpoint(
            "question statistics, 50,000 attempts", f"/author/statistics/quizzes/{STATS_QUIZ}", "trainer"
        ),
    ]


# -- seeding -------------------------------------------------------------------------------------


def _empty_postgres(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def seed(url: str, tmp: Path, *, agents: int, attempts: int, cohort: int) -> Seeded:
    """Migrate, load the curriculum and bulk-insert every size the endpoints need."""
    upgrade(url)
    app = create_app(Config(database_url=url, secret_key="bench", instance_path=tmp, csrf=False))
    database = app.extensions["lms.db"]
    session = database.session()
    tree, _problems = check(PROJECT_ROOT)
    sync_content(session, tree)
    now = dt.datetime.now(dt.UTC)
    trainer = people.create_user(
        session,
        people.UserData(
            "trainer", "Bench trainer", roles=[Role.TRAINER, Role.QC, Role.ADMIN], password=PASSWORD
        ),
    )
    session.flush()
    seed_team(session, trainer, cohort * 2, now, prefix="bench")
    session.flush()
    cohort_ids = list(
        session.scalars(select(Cohort.id).where(Cohort.name.like("bench %")).order_by(Cohort.id))
    )
    learner = people.create_user(
        session, people.UserData("learner", "Bench learner", roles=[Role.LEARNER], password=PASSWORD)
    )
    session.flush()
    learner.cohort_id = cohort_ids[-1]  # the cohort on about day 6
    seed_agents(session, agents, now)
    stats_quiz = session.scalars(select(Quiz).where(Quiz.slug == STATS_QUIZ)).one()
    session.commit()
    seed_attempts(session, stats_quiz, list(tree.quizzes[STATS_QUIZ].questions), attempts)
    # The flow quiz takes any number of attempts, back to back, for the benchmark's API users.
    session.execute(
        update(Quiz)
        .where(Quiz.slug == FLOW_QUIZ)
        .values(max_attempts=0, cooldown_minutes=0, time_limit_minutes=0)
    )
    seeded = Seeded(url, cohort_id=cohort_ids[0])
    api_users = [
        people.create_user(
            session, people.UserData(f"api{n}", f"API learner {n}", roles=[Role.LEARNER], password=PASSWORD)
        )
        for n in range(CONNECTIONS)
    ]
    session.flush()
    seeded.tokens = [create_token(session, user, "bench")[1] for user in api_users]
    session.commit()
    rng = random.Random(5)
    for spec in tree.quizzes[FLOW_QUIZ].questions:
        if spec.type not in ("reply", "essay"):
            seeded.flow_saves.append((spec.id, json.dumps(sample_response(spec, rng), ensure_ascii=False)))
    seeded.flow_saves = (seeded.flow_saves * 3)[:20]
    session.close()
    if database.engine.dialect.name == "postgresql":
        with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    database.engine.dispose()
    return seeded


# -- servers -------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn serving one WSGI app; CPU and memory read from /proc for the master and its workers."""

    def __init__(self, app: str, env: dict[str, str]) -> None:
        self.port = _free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "-c",
                str(PROJECT_ROOT / "gunicorn.conf.py"),
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                app,
            ],
            cwd=PROJECT_ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn for {app} did not start")
        time.sleep(1.0)  # both workers booted

    def pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [self.process.pid, *map(int, children)]

    def cpu_seconds(self) -> float:
        total = 0
        for pid in self.pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / TICKS

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.pids()[1:]:
            match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
            sizes.append(int(match.group(1)) / 1024 if match else 0.0)
        return sizes

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def statistics_after_grading(base: str, endpoint: Endpoint, headers: dict[str, str], url: str) -> float:
    """The statistics page's first view after a grading (the report recomputed): three graded
    attempts at the quiz are regraded in turn (their grading time moved to now), each followed by one
    timed view; the median in milliseconds, wall time over HTTP."""
    from sqlalchemy import create_engine

    from lms.models import Attempt

    engine = create_engine(url)
    times = []
    with engine.begin() as conn:
        quiz_id = conn.scalar(select(Quiz.id).where(Quiz.slug == STATS_QUIZ))
        graded = list(
            conn.scalars(
                select(Attempt.id)
                .where(Attempt.quiz_id == quiz_id, Attempt.status == "graded")
                .order_by(Attempt.id)
            )
        )
    for attempt_id in (graded[0], graded[len(graded) // 2], graded[-1]):
        with engine.begin() as conn:
            conn.execute(
                update(Attempt).where(Attempt.id == attempt_id).values(graded_at=dt.datetime.now(dt.UTC))
            )
        started = time.perf_counter()
        urllib.request.urlopen(urllib.request.Request(base + endpoint.path, headers=headers)).read()
        times.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return round(statistics.median(times), 1)


def login_cookie(base: str, username: str) -> str:
    """Sign in through the form (CSRF token and all) and return the Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    # flask-login's strong session protection ties the session to the browser: wrk sends the same agent.
    opener.addheaders = [("User-Agent", AGENT)]
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    form = {"username": username, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
    opener.open(f"{base}/login", urllib.parse.urlencode(form).encode())
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session=" not in cookies:
        raise RuntimeError(f"could not sign in as {username}")
    return cookies


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def probe(base: str, endpoint: Endpoint, headers: dict[str, str]) -> None:
    """Refuse to measure an endpoint that does not answer 200 (a redirect to sign-in, an error page)."""
    if endpoint.who == "flow":
        return
    request = urllib.request.Request(
        base + endpoint.path, data=endpoint.body.encode() or None, method=endpoint.method, headers=headers
    )
    try:
        status = urllib.request.build_opener(_NoRedirect).open(request).status
    except urllib.error.HTTPError as err:
        status = err.code
    if status != 200:
        raise RuntimeError(f"{endpoint.name}: {endpoint.method} {endpoint.path} answered {status}")


# -- load ----------------------------------------------------------------------------------------

_DONE = """
function done(summary, latency, requests)
  io.write(string.format('{"requests": %d, "non2xx": %d, "errors": %d, "seconds": %f, "p50_ms": %f, "p99_ms": %f}\\n',
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def _lua_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _script(endpoint: Endpoint, headers: dict[str, str], seeded: Seeded) -> str:
    if endpoint.who == "flow":
        tokens = ", ".join(_lua_string(t) for t in seeded.tokens)
        saves = ", ".join(f"{{{_lua_string(q)}, {_lua_string(b)}}}" for q, b in seeded.flow_saves)
        return (
            f"""
local tokens = {{{tokens}}}
local saves = {{{saves}}}
local counter = 0
function setup(thread) thread:set("id", counter); counter = counter + 1 end
function init(args) token = tokens[(id % #tokens) + 1]; step = 0; attempt = nil end
function request()
  local h = {{["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}}
  if attempt == nil then return wrk.format("POST", "{endpoint.path}", h, "") end
  if step <= #saves then
    local s = saves[step]
    return wrk.format("PUT", "/api/v1/attempts/" .. attempt .. "/responses/" .. s[1], h, s[2])
  end
  return wrk.format("POST", "/api/v1/attempts/" .. attempt .. "/submit", h, "")
end
function response(status, headers, body)
  if attempt == nil then attempt = string.match(body, '"id":%s*(%d+)'); step = 1
  elseif step <= #saves then step = step + 1
  else attempt = nil end
end
"""
            + _DONE
        )
    lines = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
    return (
        f"""
local h = {{{lines}}}
function request() return wrk.format({_lua_string(endpoint.method)}, {_lua_string(endpoint.path)}, h, {_lua_string(endpoint.body)}) end
"""
        + _DONE
    )


def run_wrk(base: str, script: str, seconds: float, tmp: Path, *, threads: int = 2) -> dict[str, Any]:
    """One wrk run of `seconds` at CONNECTIONS connections; its summary."""
    lua = tmp / "bench.lua"
    lua.write_text(script)
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(CONNECTIONS),
            "-d",
            f"{max(1, round(seconds))}s",
            "--timeout",
            "15s",
            "-s",
            str(lua),
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(server: Server, script: str, seconds: float, tmp: Path, *, threads: int = 2) -> dict[str, Any]:
    """CPU milliseconds per request of the server's processes, with wrk's figures."""
    before = server.cpu_seconds()
    result = run_wrk(server.base, script, seconds, tmp, threads=threads)
    used = server.cpu_seconds() - before
    result["cpu_ms"] = 1000 * used / result["requests"] if result["requests"] else float("inf")
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    return result


#: The floor under the table (`bench/floor_app.py`): what a page costs before its own work.
FLOORS = [
    Endpoint("floor: public page, nothing rendered", "/bench-floor/public", ""),
    Endpoint("floor: signed in, nothing rendered", "/bench-floor/signed-in", "learner"),
    Endpoint("floor: signed in, the shared layout", "/bench-floor/layout", "learner"),
    Endpoint("floor: API call with a token", "/api/bench-floor", "api"),
]


def measure_row(
    app: Server,
    ceiling: Server,
    endpoint: Endpoint,
    headers: dict[str, str],
    seeded: Seeded,
    args: argparse.Namespace,
    tmp: Path,
) -> dict[str, Any]:
    """One row of the table: a warm-up, then rounds alternating the ceiling and the app."""
    ceiling_script = _script(
        Endpoint(
            "ceiling",
            "/ping",
            "",
            endpoint.ceiling_method,
            '{"choice": 0}' if endpoint.ceiling_method != "GET" else "",
        ),
        {"Content-Type": "application/json"},
        seeded,
    )
    app_script = _script(endpoint, headers, seeded)
    probe(app.base, endpoint, headers)
    threads = CONNECTIONS if endpoint.who == "flow" else 2
    run_wrk(app.base, app_script, 1, tmp, threads=threads)  # warm-up (caches, imports)
    rounds = []
    for _ in range(args.rounds):
        base_run = measure(ceiling, ceiling_script, args.seconds, tmp)
        app_run = measure(app, app_script, args.seconds, tmp, threads=threads)
        rounds.append((base_run, app_run))
    ratios = [a["cpu_ms"] / b["cpu_ms"] for b, a in rounds if b["cpu_ms"]]
    _last_base, last = rounds[-1]
    return {
        "name": endpoint.name,
        "ratio": round(statistics.median(ratios), 2),
        "cpu_ms": round(statistics.median(a["cpu_ms"] for _b, a in rounds), 3),
        "ceiling_cpu_ms": round(statistics.median(b["cpu_ms"] for b, _a in rounds), 3),
        "p50_ms": round(last["p50_ms"], 2),
        "p99_ms": round(last["p99_ms"], 2),
        "rps": round(last["rps"], 1),
        "errors": last["errors"],
        "non2xx": last["non2xx"],
        # The largest worker once this row has run: which page makes the workers grow.
        "rss_after_mb": round(max(app.worker_rss_mb(), default=0.0), 1),
    }


def _print_row(row: dict[str, Any]) -> None:
    print(
        f"{row['name']:<42}{row['ratio']:>9.1f}×{row['cpu_ms']:>9.2f} ms{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}"
        f"{row['rps']:>9.1f}{'  non-2xx ' + str(row['non2xx']) if row['non2xx'] else ''}"
        + (f"  after a grading {row['cold_ms']:.0f} ms" if "cold_ms" in row else "")
        + f"  ({row['rss_after_mb']:.0f} MB)",
        flush=True,
    )


def _machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgres", metavar="URL", help="run on this PostgreSQL database (it is emptied first)"
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each wrk run (5)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds alternating ceiling and app (3)")
    parser.add_argument("--only", default="", help="run only endpoints whose name contains this text")
    parser.add_argument("--agents", type=int, default=10_000)
    parser.add_argument("--attempts", type=int, default=50_000)
    parser.add_argument("--cohort", type=int, default=200)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="lms-bench-http-"))
    url = args.postgres or f"sqlite:///{tmp / 'bench.sqlite3'}"
    if args.postgres:
        _empty_postgres(url)
    started = time.monotonic()
    seeded = seed(url, tmp, agents=args.agents, attempts=args.attempts, cohort=args.cohort)
    print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)
    env = {
        "LMS_DATABASE_URL": url,
        "LMS_SECRET_KEY": "bench",
        "LMS_INSTANCE_PATH": str(tmp),
        "LMS_LOGIN_RATE_IP": "10000 per minute",
        "LMS_LOGIN_RATE_USER": "10000 per minute",
    }
    app = Server("lms:create_app()", env)
    ceiling = Server("bench.ceiling:app", {})
    rows: list[dict[str, Any]] = []
    try:
        headers = {
            "learner": {"Cookie": login_cookie(app.base, "learner"), "User-Agent": AGENT},
            "trainer": {"Cookie": login_cookie(app.base, "trainer"), "User-Agent": AGENT},
            "api": {"Authorization": f"Bearer {seeded.tokens[0]}", "Content-Type": "application/json"},
        }
        started_attempt = json.loads(
            urllib.request.urlopen(
                urllib.request.Request(
                    f"{app.base}/api/v1/quizzes/{STATS_QUIZ}/attempts", method="POST", headers=headers["api"]
                )
            ).read()
        )
        question = next(q for q in started_attempt["questions"] if q["type"] == "single")
        seeded.attempt_id, seeded.save_question = started_attempt["id"], question["id"]
        seeded.save_body = json.dumps({"choice": 0})
        for endpoint in _endpoints(seeded):
            if args.only and args.only not in endpoint.name:
                continue
            rows.append(measure_row(app, ceiling, endpoint, headers.get(endpoint.who, {}), seeded, args, tmp))
            if endpoint.path.startswith("/author/statistics/"):
                rows[-1]["cold_ms"] = statistics_after_grading(app.base, endpoint, headers["trainer"], url)
            _print_row(rows[-1])
        rss = app.worker_rss_mb()
        floors = [e for e in FLOORS if not args.only or args.only in e.name]
        if floors:
            floor_app = Server("bench.floor_app:app", env)
            try:
                floor_headers = {
                    "": {},
                    "learner": {"Cookie": login_cookie(floor_app.base, "learner"), "User-Agent": AGENT},
                    "api": {"Authorization": f"Bearer {seeded.tokens[0]}"},
                }
                for endpoint in floors:
                    rows.append(
                        measure_row(
                            floor_app, ceiling, endpoint, floor_headers[endpoint.who], seeded, args, tmp
                        )
                    )
                    _print_row(rows[-1])
            finally:
                floor_app.stop()
    finally:
        app.stop()
        ceiling.stop()
    result = {
        "database": "postgresql" if args.postgres else "sqlite",
        "machine": _machine(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "connections": CONNECTIONS,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "endpoints": rows,
        "rss_mb": round(max(rss), 1) if rss else None,
    }
    RESULTS.mkdir(exist_ok=True)
    name = "latest.json" if result["database"] == "sqlite" else "latest-postgresql.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"worker memory: {result['rss_mb']} MB RSS (largest worker after the run)")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
