"""The `lms` command: init, users add/import, demo, db upgrade."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.cli import main
from lms.models import Cohort, Store, User
from tests.factories import CohortFactory, StoreFactory


def _invoke(app: Flask, *args: str, input: str | None = None):  # noqa: A002
    runner = app.test_cli_runner()
    return runner.invoke(args=list(args), input=input)


def test_the_commands_are_reachable_from_both_entry_points(app: Flask) -> None:
    names = set(app.cli.list_commands(None))  # type: ignore[arg-type]
    assert {"db", "init", "demo", "serve", "users"} <= names
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0


def test_init_creates_the_first_admin(app: Flask, db: Session) -> None:
    result = _invoke(app, "init", "--admin", "boss", "--password-stdin", input="a-strong-password\n")
    assert result.exit_code == 0, result.output
    assert "Created admin boss" in result.output
    user = db.scalars(select(User).where(User.username == "boss")).one()
    assert user.has_role("admin")
    again = _invoke(app, "init", "--admin", "boss", "--password-stdin", input="a-strong-password\n")
    assert again.exit_code != 0 and "exists already" in again.output


def test_init_refuses_a_weak_password(app: Flask, db: Session) -> None:
    result = _invoke(app, "init", "--admin", "boss", "--password-stdin", input="short\n")
    assert result.exit_code == 1 and "at least 10" in result.output
    assert db.scalar(select(func.count()).select_from(User)) == 0


def test_users_add(app: Flask, db: Session) -> None:
    StoreFactory(name="Main")
    CohortFactory(name="Nov")
    db.commit()
    result = _invoke(
        app,
        "users",
        "add",
        "wangfang",
        "--name",
        "王芳",
        "--role",
        "learner",
        "--cohort",
        "Nov",
        "--store",
        "Main",
        "--password-stdin",
        input="wang-fang-password\n",
    )
    assert result.exit_code == 0, result.output
    bad = _invoke(app, "users", "add", "x y", "--role", "learner")
    assert bad.exit_code == 1 and "username" in bad.output.lower()
    unknown_store = _invoke(app, "users", "add", "lina", "--role", "learner", "--store", "Nope")
    assert unknown_store.exit_code == 1 and "Unknown store" in unknown_store.output


def _write(tmp_path: Path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "users.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_users_import_gbk_and_bom(app: Flask, db: Session, tmp_path: Path) -> None:
    StoreFactory(name="行者旗舰店")
    StoreFactory(name="行者箱包")
    CohortFactory(name="十一月新人")
    db.commit()
    csv_text = (
        "username,display_name,email,roles,cohort,stores\r\n"
        "wangfang,王芳,wf@example.com,learner,十一月新人,行者旗舰店;行者箱包\r\n"
        "chenjie,陈杰,,trainer;qc,,\r\n"
    )
    result = _invoke(app, "users", "import", _write(tmp_path, csv_text, "gbk"))
    assert result.exit_code == 0, result.output
    assert "Imported 2 user(s)" in result.output
    wang = db.scalars(select(User).where(User.username == "wangfang")).one()
    assert wang.display_name == "王芳" and len(wang.store_links) == 2
    bom = "\ufeffusername,display_name,roles\nlina,李娜,learner\n"
    assert _invoke(app, "users", "import", _write(tmp_path, bom)).exit_code == 0


def test_users_import_reports_every_bad_row_and_writes_nothing(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    StoreFactory(name="A")
    db.commit()
    csv_text = (
        "username,display_name,email,roles,cohort,stores\n"
        "good,Good Person,,learner,,A\n"
        "bad name,Someone,,learner,,\n"
        "good,Again,,learner,,\n"
        "other,Other,not-an-email,learner,,\n"
        "third,Third,,pilot,,\n"
        "fourth,Fourth,,learner,No Such Cohort,\n"
        "fifth,Fifth,,learner,,A;B;C;D\n"
    )
    result = _invoke(app, "users", "import", _write(tmp_path, csv_text))
    assert result.exit_code == 1
    out = result.output
    for line in (3, 4, 5, 6, 7, 8):
        assert f"users.csv:{line}:" in out, out
    assert "nothing was imported" in out
    assert db.scalar(select(func.count()).select_from(User)) == 0


def test_users_import_bad_header(app: Flask, tmp_path: Path) -> None:
    result = _invoke(app, "users", "import", _write(tmp_path, "name,role\nx,y\n"))
    assert result.exit_code == 1 and "missing column(s)" in result.output


def test_demo_is_idempotent(app: Flask, db: Session) -> None:
    first = _invoke(app, "demo")
    assert first.exit_code == 0, first.output
    assert "wangfang" in first.output and "admin" in first.output
    users = db.scalar(select(func.count()).select_from(User))
    assert users == 8
    second = _invoke(app, "demo")
    assert second.exit_code == 0 and "exist already" in second.output
    assert db.scalar(select(func.count()).select_from(User)) == 8
    assert db.scalar(select(func.count()).select_from(Store)) == 2
    assert db.scalar(select(func.count()).select_from(Cohort)) == 1
    logins = Path(app.instance_path) / "demo-logins.txt"
    assert logins.read_text(encoding="utf-8").count("\n") == 8
    assert oct(logins.stat().st_mode)[-3:] == "600"


def test_db_upgrade_is_idempotent(app: Flask) -> None:
    result = _invoke(app, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "is at revision head" in result.output


def test_serve_really_serves(tmp_path: Path, database_url: str) -> None:
    """`lms serve` answers HTTP (Flask ignores app.run() inside its CLI, so this is worth a test)."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "LMS_DATABASE_URL": database_url, "LMS_INSTANCE_PATH": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "lms.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("lms serve did not answer")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()


def test_every_command_is_in_the_readme(app: Flask) -> None:
    from lms.cli import COMMANDS
    from lms.config import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    names = []
    for command in COMMANDS:
        subcommands = getattr(command, "commands", None)
        names += (
            [f"lms {command.name} {sub}" for sub in subcommands] if subcommands else [f"lms {command.name}"]
        )
    missing = [name for name in names if f"`{name}" not in readme]
    assert not missing, missing
