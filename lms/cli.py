"""The `lms` command: database, accounts, demo data and the dev server (also `flask --app lms`)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from lms.db import db_session, get_db
from lms.domain.accounts.people import PLATFORMS
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
        # Migration 0007 inserts the default checklist with its table; this only helps a database
        # that reached 0007 before the seed moved into the migration.
        from lms.domain.qc.checklist import ensure_default_checklist

        session = db_session()
        if ensure_default_checklist(session):
            click.echo("Added the default QC checklist.")
        session.commit()
    click.echo(
        f"Database at {get_db().engine.url.render_as_string(hide_password=True)} is at revision {revision}."
    )


@db_group.command("downgrade", context_settings={"ignore_unknown_options": True})
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


@click.group("stores")
def stores_group() -> None:
    """The stores agents work in."""


@stores_group.command("add")
@click.argument("name")
@click.option("--code", default=None, help="Short code (2–20 letters, digits, dashes), e.g. XZ-TMALL.")
@click.option("--platform", type=click.Choice(PLATFORMS), default="tmall", show_default=True)
@with_appcontext
def stores_add(name: str, code: str | None, platform: str) -> None:
    """Create a store (audited); an identical store that exists already is left as it is."""
    from sqlalchemy.exc import IntegrityError

    from lms.domain.accounts import people

    session = db_session()
    try:
        existing = people.find_store(session, name)
        if existing is not None:
            _same_or_refuse(
                f"store {existing.name!r}",
                {"code": existing.code, "platform": existing.platform},
                {"code": people.check_store_code(code) if code else existing.code, "platform": platform},
            )
            return
        store = people.create_store(session, name, platform, code)
        session.commit()
    except DomainError as err:
        session.rollback()
        raise click.ClickException(str(err)) from None
    except IntegrityError:
        session.rollback()
        raise click.ClickException(
            f"a store named {name.strip()!r} or coded {code!r} was just added"
        ) from None
    click.echo(
        f"Created store {store.name!r}" + (f" ({store.code})" if store.code else "") + f" on {platform}."
    )


@stores_group.command("list")
@with_appcontext
def stores_list() -> None:
    """Every store: code, platform, agents, name."""
    from sqlalchemy import func, select

    from lms.models import Store, UserStore

    rows = (
        db_session()
        .execute(
            select(Store, func.count(UserStore.user_id))
            .outerjoin(UserStore)
            .group_by(Store.id)
            .order_by(Store.name)
        )
        .all()
    )
    if not rows:
        click.echo("No stores yet: add one with `lms stores add NAME`.")
        return
    click.echo(f"{'code':<20}  {'platform':<8}  {'agents':>6}  name")
    for store, agents in rows:
        click.echo(f"{store.code or '-':<20}  {store.platform:<8}  {agents:>6}  {store.name}")


@click.group("cohorts")
def cohorts_group() -> None:
    """Cohorts of new hires."""


@cohorts_group.command("add")
@click.argument("name")
@click.option(
    "--start", "start", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="Day 1, YYYY-MM-DD."
)
@click.option("--trainer", "trainer_name", default=None, help="Username of the trainer who leads it.")
@with_appcontext
def cohorts_add(name: str, start: dt.datetime, trainer_name: str | None) -> None:
    """Create a cohort (audited); an identical cohort that exists already is left as it is."""
    from sqlalchemy.exc import IntegrityError

    from lms.domain.accounts import people

    session = db_session()
    trainer = None
    if trainer_name:
        trainer = people.find_user(session, trainer_name)
        if trainer is None:
            raise click.ClickException(f"no user {trainer_name!r}")
    existing = people.find_cohort(session, name)
    if existing is not None:
        led_by = existing.trainer.username if existing.trainer else None
        _same_or_refuse(
            f"cohort {existing.name!r}",
            {"start": existing.start_date.isoformat(), "trainer": led_by},
            {"start": start.date().isoformat(), "trainer": trainer.username if trainer else led_by},
        )
        return
    try:
        cohort = people.create_cohort(session, name, start.date(), trainer)
        session.commit()
    except DomainError as err:
        session.rollback()
        raise click.ClickException(str(err)) from None
    except IntegrityError:
        session.rollback()
        raise click.ClickException(f"a cohort named {name.strip()!r} was just added") from None
    click.echo(
        f"Created cohort {cohort.name!r} starting {cohort.start_date.isoformat()}"
        + (f", led by {trainer.username}." if trainer else " (no trainer yet).")
    )


@cohorts_group.command("list")
@with_appcontext
def cohorts_list() -> None:
    """Every cohort, newest start first: start date, trainer, people, name."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import joinedload

    from lms.models import Cohort, User

    sizes = (
        select(User.cohort_id, func.count().label("size"))
        .where(User.cohort_id.is_not(None))
        .group_by(User.cohort_id)
        .subquery()
    )
    rows = (
        db_session()
        .execute(
            select(Cohort, func.coalesce(sizes.c.size, 0))
            .outerjoin(sizes, sizes.c.cohort_id == Cohort.id)
            .options(joinedload(Cohort.trainer))
            .order_by(Cohort.start_date.desc(), Cohort.name)
        )
        .all()
    )
    if not rows:
        click.echo("No cohorts yet: add one with `lms cohorts add NAME --start YYYY-MM-DD`.")
        return
    click.echo(f"{'start':<10}  {'trainer':<16}  {'people':>6}  name")
    for cohort, size in rows:
        trainer = cohort.trainer.username if cohort.trainer else "-"
        click.echo(f"{cohort.start_date.isoformat():<10}  {trainer:<16}  {size:>6}  {cohort.name}")


def _same_or_refuse(what: str, existing: dict[str, object], asked: dict[str, object]) -> None:
    """Repeating a set-up script is safe: the same thing again is fine, a different one is refused."""
    differs = [
        f"{key} is {existing[key]!r}, not {asked[key]!r}" for key in existing if existing[key] != asked[key]
    ]
    if differs:
        raise click.ClickException(
            f"{what} exists already and differs: {'; '.join(differs)} (change it on the admin page)"
        )
    click.echo(f"{what[0].upper()}{what[1:]} exists already; nothing changed.")


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
    """Validate courses/ and quizzes/; every problem as path:line: message.

    PATHS may name another curriculum (a folder holding courses/ and quizzes/, e.g. a working
    copy), anything inside one (checked with the rest of it as context), or a lone quiz file or
    course folder (checked as if it stood in the configured content folder).

    Translation warnings (no English version, a stale one) are shown but do not fail the check
    unless --strict-translations is given.
    """
    from lms.content.loader import check
    from lms.content.named_paths import PathRefused, check_paths

    if paths:
        try:
            result = check_paths(_content_root(), paths, strict_translations=strict_translations)
        except PathRefused as err:
            raise click.ClickException(str(err)) from None
        problems, warnings = result.problems, result.warnings
        clean = [f"{shown} (in a curriculum of {summary})" for shown, summary in result.checked]
    else:
        tree, problems = check(_content_root())
        warnings = _translation_warnings(tree, strict_translations)
        clean = [tree.summary()]
    for problem in problems:
        click.echo(str(problem), err=True)
    for warning in warnings:
        click.echo(f"{warning.path}:{warning.line}: warning: {warning.message}", err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) found")
    if strict_translations and warnings:
        raise click.ClickException(f"{len(warnings)} translation warning(s) (--strict-translations)")
    noted = f"; {len(warnings)} translation warning(s)" if warnings else ""
    for line in clean:
        click.echo(f"Content is clean: {line}{noted}.")


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


def _utf8(file: Path) -> str:
    try:
        return file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException(f"{file} is not UTF-8 text") from None


def _import_questions(kind: str, file: Path, quiz_slug: str, english: Path | None = None) -> None:
    from lms.content.aiken import parse_aiken
    from lms.content.gift import parse_gift
    from lms.domain.authoring.question_import import import_questions

    if kind == "xlsx":
        from lms.content.xlsx import parse_xlsx

        questions, problems = parse_xlsx(file.read_bytes())
    elif kind == "moodle-xml":
        from lms.content.moodle_xml import read_moodle_xml

        found = read_moodle_xml(file.read_bytes())
        for line, message in found.notes:
            click.echo(f"{file}:{line}: note: {message}", err=True)
        questions, problems = ([], found.problems) if found.problems else (found.questions, [])
    elif kind == "gift":
        questions, problems = parse_gift(_utf8(file))
    else:
        questions, problems = parse_aiken(
            _utf8(file), english=_utf8(english) if english is not None else None
        )
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
@click.option(
    "--english",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The same questions in English, as a second Aiken file (same order, options and answers).",
)
@with_appcontext
def content_import_aiken(file: Path, quiz_slug: str, english: Path | None) -> None:
    """Import an Aiken file (single-choice questions) into a quiz, with its English if given."""
    _import_questions("aiken", file, quiz_slug, english)


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
    settings: dict[str, Any] = {
        "title": quiz.title,
        "course": quiz.course.slug if quiz.course else None,
        "pass_percent": quiz.pass_percent,
    }
    english = {k: v for k, v in (("title", quiz.title_en), ("description", quiz.description_en)) if v}
    if english:
        settings["en"] = english
    text = export_gift(questions, settings)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {len(questions)} question(s) to {output}.")


@content_group.command("import-xlsx")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--quiz", "quiz_slug", required=True, help="Slug of the quiz (created if new).")
@with_appcontext
def content_import_xlsx(file: Path, quiz_slug: str) -> None:
    """Import an Excel question template (.xlsx) into a quiz; a file with any error imports nothing."""
    _import_questions("xlsx", file, quiz_slug)


def _export_binary(quiz_slug: str, output: Path | None, suffix: str, write: Any) -> None:
    """Export a quiz's questions with `write(quiz, questions) -> (bytes, left_out)`."""
    from lms.domain.authoring.question_import import quiz_questions

    try:
        quiz, questions = quiz_questions(db_session(), quiz_slug)
    except DomainError as err:
        raise click.ClickException(str(err)) from None
    data, left_out = write(quiz, questions)
    for message in left_out:
        click.echo(message, err=True)
    target = output or Path(f"{quiz_slug}{suffix}")
    target.write_bytes(data)
    click.echo(f"Wrote {len(questions)} question(s) to {target}.")


@content_group.command("export-xlsx")
@click.option("--quiz", "quiz_slug", required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@with_appcontext
def content_export_xlsx(quiz_slug: str, output: Path | None) -> None:
    """Export a quiz's questions as the Excel template (to -o FILE, or SLUG.xlsx)."""
    from lms.content.xlsx import export_xlsx

    _export_binary(quiz_slug, output, ".xlsx", lambda _quiz, questions: export_xlsx(questions))


@content_group.command("import-moodle-xml")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--quiz", "quiz_slug", required=True, help="Slug of the quiz (created if new).")
@with_appcontext
def content_import_moodle_xml(file: Path, quiz_slug: str) -> None:
    """Import a Moodle XML question file into a quiz; a file with any error imports nothing."""
    _import_questions("moodle-xml", file, quiz_slug)


@content_group.command("export-moodle-xml")
@click.option("--quiz", "quiz_slug", required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@with_appcontext
def content_export_moodle_xml(quiz_slug: str, output: Path | None) -> None:
    """Export a quiz's questions as Moodle XML (to -o FILE, or SLUG.xml); every type, restorable."""
    from lms.content.moodle_xml import export_moodle_xml

    _export_binary(quiz_slug, output, ".xml", lambda _quiz, questions: (export_moodle_xml(questions), []))


@content_group.command("export-qti")
@click.option("--quiz", "quiz_slug", required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@with_appcontext
def content_export_qti(quiz_slug: str, output: Path | None) -> None:
    """Export a quiz as an IMS QTI 1.2 package for Canvas or Blackboard (to -o FILE.zip, or SLUG.qti.zip)."""
    from lms.content.qti import export_qti

    _export_binary(
        quiz_slug, output, ".qti.zip", lambda quiz, questions: export_qti(quiz.slug, quiz.title, questions)
    )


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
    stores_group,
    cohorts_group,
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
