"""The `lms` command: database, accounts, demo data and the dev server (also `flask --app lms`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from lms.db import db_session, get_db
from lms.domain.errors import DomainError


def _create_app() -> Flask:
    from lms import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def main() -> None:
    """The customer-service academy. Reads LMS_DATABASE_URL and the other LMS_* variables."""


def _read_password(password_stdin: bool, prompt: str = "Password") -> str:
    if password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise click.ClickException("no password on standard input")
        return line.rstrip("\r\n")
    value: str = click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return value


@click.group("db")
def db_group() -> None:
    """Database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Migrate the database to the newest schema (or REVISION)."""
    from lms.migrations.alembic import upgrade

    url = get_db().url
    upgrade(url, revision)
    if revision == "head":
        from lms.domain.qc.checklist import ensure_default_checklist

        session = db_session()
        if ensure_default_checklist(session):
            click.echo("Added the default QC checklist.")
        session.commit()
    click.echo(
        f"Database at {get_db().engine.url.render_as_string(hide_password=True)} is at revision {revision}."
    )


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION (e.g. -1 or base)."""
    from lms.migrations.alembic import downgrade

    downgrade(get_db().url, revision)
    click.echo(f"Database downgraded to {revision}.")


@click.command("init")
@click.option("--admin", "admin_name", required=True, help="Username of the first admin.")
@click.option("--display-name", default=None, help="Name shown on pages (default: the username).")
@click.option("--email", default=None)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def init_command(admin_name: str, display_name: str | None, email: str | None, password_stdin: bool) -> None:
    """Create the first administrator."""
    from lms.domain.accounts import people
    from lms.models import Role

    session = db_session()
    if people.find_user(session, admin_name) is not None:
        raise click.ClickException(f"user {admin_name!r} exists already")
    password = _read_password(password_stdin)
    try:
        user = people.create_user(
            session,
            people.UserData(
                username=admin_name,
                display_name=display_name or admin_name,
                email=email,
                roles=[Role.ADMIN],
                password=password,
            ),
        )
    except DomainError as err:
        session.rollback()
        raise click.ClickException(str(err)) from None
    session.commit()
    click.echo(f"Created admin {user.username}.")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Create the demo store, staff and a cohort of new hires (safe to run again)."""
    from lms.demo import create_demo

    session = db_session()
    result = create_demo(session, Path(current_app.instance_path))
    session.commit()
    if not result.created:
        click.echo(
            "Demo accounts exist already (their passwords were printed when they were "
            f"made; see {result.logins_file})."
        )
        return
    click.echo(f"Demo accounts created. Passwords are shown this once (also saved to {result.logins_file}):")
    width = max(len(u) for u, _p, _r in result.created)
    for username, password, roles in result.created:
        click.echo(f"  {username:<{width}}  {password}  ({roles})")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Reload on code changes and show tracebacks.")
@with_appcontext
def serve_command(host: str, port: int, debug: bool) -> None:
    """Serve the app with the development server (use gunicorn in production)."""
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    click.echo(f"Serving the academy on http://{host}:{port}/ (Ctrl+C to stop)")
    # Flask refuses app.run() inside its own CLI, so serve with Werkzeug directly.
    run_simple(host, port, app, threaded=True, use_reloader=debug, use_debugger=debug)


@click.group("users")
def users_group() -> None:
    """Accounts."""


@users_group.command("add")
@click.argument("username")
@click.option("--name", "display_name", default=None, help="Display name (default: username).")
@click.option("--email", default=None)
@click.option(
    "--role", "roles", multiple=True, required=True, type=click.Choice(["learner", "trainer", "qc", "admin"])
)
@click.option("--cohort", default=None, help="Cohort name.")
@click.option("--store", "stores", multiple=True, help="Store name; the first is the main store.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def users_add(
    username: str,
    display_name: str | None,
    email: str | None,
    roles: tuple[str, ...],
    cohort: str | None,
    stores: tuple[str, ...],
    password_stdin: bool,
) -> None:
    """Create one user."""
    from lms.domain.accounts import people

    session = db_session()
    password = _read_password(password_stdin) if password_stdin else None
    try:
        user = people.create_user(
            session,
            people.UserData(
                username=username,
                display_name=display_name or username,
                email=email,
                roles=people.parse_roles(roles),
                cohort=cohort,
                stores=list(stores),
                password=password,
            ),
        )
    except DomainError as err:
        session.rollback()
        raise click.ClickException(str(err)) from None
    session.commit()
    click.echo(
        f"Created {user.username} ({', '.join(sorted(user.roles))})"
        + ("" if password else "; set a password with the admin page before they sign in")
    )


@users_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def users_import(file: Path) -> None:
    """Create users from a CSV (username, display_name, email, roles, cohort, stores).

    UTF-8 (with or without BOM) or GBK. Every bad row is reported; nothing is written if any row
    is bad. Each new user gets a random password, printed once.
    """
    from lms.domain.accounts.user_import import import_users, parse_users_csv

    session = db_session()
    rows, problems = parse_users_csv(session, file.read_bytes())
    if problems:
        for problem in problems:
            click.echo(f"{file}:{problem}", err=True)
        raise click.ClickException(f"{len(problems)} problem(s); nothing was imported")
    created = import_users(session, rows)
    session.commit()
    click.echo(f"Imported {len(created)} user(s). Initial passwords (shown this once):")
    for username, password in created:
        click.echo(f"  {username}  {password}")


@click.group("tokens")
def tokens_group() -> None:
    """Personal access tokens for the JSON API."""


@tokens_group.command("create")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for, e.g. 'seat allocation'.")
@click.option("--scope", type=click.Choice(["learner", "staff"]), default="learner", show_default=True)
@with_appcontext
def tokens_create(username: str, name: str, scope: str) -> None:
    """Create a token for USERNAME; it is printed once, alone on the last line."""
    from lms.domain.accounts import people, tokens

    session = db_session()
    user = people.find_user(session, username)
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    try:
        token, secret = tokens.create_token(session, user, name, scope)
    except DomainError as err:
        session.rollback()
        raise click.ClickException(str(err)) from None
    session.commit()
    click.echo(f"Created {scope} token {token.name!r} for {user.username}. It is shown this once:")
    click.echo(secret)


@click.group("content")
def content_group() -> None:
    """The curriculum files: check, load, GIFT and Aiken."""


if TYPE_CHECKING:
    from lms.content.problems import Problem
    from lms.content.specs import ContentTree


def _content_root() -> Path:
    return Path(current_app.config["LMS"].content_dir)


@content_group.command("check")
@click.argument("paths", nargs=-1)
@click.option(
    "--strict-translations",
    is_flag=True,
    help="Fail on translation warnings too (missing or stale English, English in a chat line).",
)
@with_appcontext
def content_check(paths: tuple[str, ...], strict_translations: bool) -> None:
    """Validate courses/ and quizzes/ (or just PATHS); every problem as path:line: message.

    Translation warnings (no English version, a stale one) are shown but do not fail the check
    unless --strict-translations is given.
    """
    from lms.content.loader import check

    tree, problems = check(_content_root(), list(paths) or None)
    for problem in problems:
        click.echo(str(problem), err=True)
    warnings = _translation_warnings(tree, strict_translations)
    for warning in warnings:
        click.echo(f"{warning.path}:{warning.line}: warning: {warning.message}", err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) found")
    if strict_translations and warnings:
        raise click.ClickException(f"{len(warnings)} translation warning(s) (--strict-translations)")
    noted = f"; {len(warnings)} translation warning(s)" if warnings else ""
    click.echo(f"Content is clean: {tree.summary()}{noted}.")


def _translation_warnings(tree: ContentTree, strict: bool) -> list[Problem]:
    """The freshness warnings, plus (when strict) what the curriculum walk finds."""
    from lms.content.curriculum_walk import walk

    found = list(tree.translation_warnings)
    if strict:
        found = sorted(set(found) | set(walk(tree)))
    return found


@content_group.command("translations")
@click.argument("paths", nargs=-1)
@click.option("--stamp", is_flag=True, help="Record the Chinese each English version was written for.")
@with_appcontext
def content_translations(paths: tuple[str, ...], stamp: bool) -> None:
    """Translation status; with --stamp, write courses/translations.lock for PATHS (default: all).

    Run --stamp after writing or updating the English of an item: it records a fingerprint of the
    item's Chinese, so that a later change to the Chinese shows the English as stale.
    """
    from lms.content import translations
    from lms.content.loader import check, relative_paths

    root = _content_root()
    tree, problems = check(root)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(problems)} problem(s) found; fix them first")
    wanted = relative_paths(root, paths) if paths else None
    if stamp:
        count = translations.stamp(root, tree.translatable, wanted)
        click.echo(f"Stamped {count} translated item(s) in {translations.LOCK}.")
        return
    items = [i for i in tree.translatable if wanted is None or translations.inside(i.path, wanted)]
    warnings = [w for w in tree.translation_warnings if wanted is None or translations.inside(w.path, wanted)]
    for warning in warnings:
        click.echo(f"{warning.path}:{warning.line}: warning: {warning.message}", err=True)
    english = sum(1 for i in items if i.has_english)
    click.echo(f"{english} of {len(items)} item(s) have English; {len(warnings)} translation warning(s).")


@content_group.command("sync")
@with_appcontext
def content_sync() -> None:
    """Validate, then load the curriculum into the database in one transaction (idempotent)."""
    from lms.content.loader import check
    from lms.domain.curriculum.sync import sync_content

    tree, problems = check(_content_root())
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) found; nothing was loaded")
    session = db_session()
    report = sync_content(session, tree)
    session.commit()
    click.echo(f"Loaded {tree.summary()}.")
    for line in report.lines():
        click.echo(f"  {line}")
    if report.revisions:
        from flask import current_app

        from lms.db import utcnow
        from lms.domain.assignments.refreshers import assign_refreshers

        run = assign_refreshers(session, utcnow(), current_app.config["LMS"].refresher_due_days)
        session.commit()
        click.echo(f"  refreshers: {run.assigned} assigned for {run.revisions} revision(s)")


def _import_questions(kind: str, file: Path, quiz_slug: str) -> None:
    from lms.content.aiken import parse_aiken
    from lms.content.gift import parse_gift
    from lms.domain.authoring.question_import import import_questions

    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException(f"{file} is not UTF-8 text") from None
    questions, problems = (parse_gift if kind == "gift" else parse_aiken)(text)
    for line, message in problems:
        click.echo(f"{file}:{line}: {message}", err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s); nothing was imported")
    session = db_session()
    try:
        result = import_questions(session, quiz_slug, questions)
    except DomainError as err:
        session.rollback()
        raise click.ClickException(str(err)) from None
    session.commit()
    click.echo(
        f"Imported {len(questions)} question(s) into quiz {quiz_slug!r}: "
        f"{result['created']} new, {result['updated']} changed, {result['unchanged']} unchanged."
    )


@content_group.command("import-gift")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--quiz", "quiz_slug", required=True, help="Slug of the quiz (created if new).")
@with_appcontext
def content_import_gift(file: Path, quiz_slug: str) -> None:
    """Import a Moodle GIFT file into a quiz; a file with any error imports nothing."""
    _import_questions("gift", file, quiz_slug)


@content_group.command("import-aiken")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--quiz", "quiz_slug", required=True, help="Slug of the quiz (created if new).")
@with_appcontext
def content_import_aiken(file: Path, quiz_slug: str) -> None:
    """Import an Aiken file (single-choice questions) into a quiz."""
    _import_questions("aiken", file, quiz_slug)


@content_group.command("export-gift")
@click.option("--quiz", "quiz_slug", required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@with_appcontext
def content_export_gift(quiz_slug: str, output: Path | None) -> None:
    """Export a quiz's questions as GIFT (to standard output, or -o FILE)."""
    from lms.content.gift import export_gift
    from lms.domain.authoring.question_import import quiz_questions

    try:
        quiz, questions = quiz_questions(db_session(), quiz_slug)
    except DomainError as err:
        raise click.ClickException(str(err)) from None
    settings = {
        "title": quiz.title,
        "course": quiz.course.slug if quiz.course else None,
        "pass_percent": quiz.pass_percent,
    }
    text = export_gift(questions, settings)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {len(questions)} question(s) to {output}.")


@click.group("jobs")
def jobs_group() -> None:
    """Periodic work; run `lms jobs run` from cron (e.g. every 5 minutes)."""


@jobs_group.command("run")
@with_appcontext
def jobs_run() -> None:
    """Close timed-out attempts, promote agents, assign refreshers for major revisions, send reminders."""
    from flask import current_app

    from lms.db import utcnow
    from lms.jobs import run_jobs

    report = run_jobs(db_session(), current_app.config["LMS"], utcnow())
    click.echo(report.line())


@click.group("kpi")
def kpi_group() -> None:
    """Monthly KPI numbers."""


@kpi_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def kpi_import(file: Path) -> None:
    """Import a KPI CSV (agent, store, month, conversion_rate, avg_response_seconds, satisfaction,
    invite_rate, push_completion); any problem → exit 1 and nothing written. A month replaces itself.
    """
    from lms.db import utcnow
    from lms.domain.kpi.csv_import import apply_kpi_import, parse_kpi_csv
    from lms.domain.kpi.scores import month_scores

    session = db_session()
    preview = parse_kpi_csv(session, file.read_bytes(), utcnow().date())
    for problem in preview.problems:
        click.echo(f"{file}:{problem}", err=True)
    if preview.problems:
        raise click.ClickException(f"{len(preview.problems)} problem(s); nothing was imported")
    count = apply_kpi_import(session, preview)
    session.commit()
    replaced = ", ".join(f"{m} ({n} replaced)" for m, n in preview.replaced.items())
    click.echo(
        f"Imported {count} record(s) for {', '.join(preview.months)}."
        + (f" Replaced: {replaced}." if replaced else "")
    )
    for month in preview.months:
        for entry in month_scores(session, month):
            click.echo(
                f"  {month}  {entry.user.username:<12} KPI {entry.score:6.2f}  base {entry.base:6.0f}  bonus {entry.bonus:8.2f}"
            )


COMMANDS = [
    db_group,
    init_command,
    demo_command,
    serve_command,
    users_group,
    tokens_group,
    content_group,
    jobs_group,
    kpi_group,
]


def register_commands(app: Flask) -> None:
    """Make the commands reachable through `lms …` and `flask --app lms …`."""
    for command in COMMANDS:
        app.cli.add_command(command)


if __name__ == "__main__":
    main()
