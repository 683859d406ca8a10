"""The customer-service academy: a training-and-certification LMS for e-commerce support teams."""

from __future__ import annotations

from flask import Flask

from lms.config import PROJECT_ROOT, Config


def create_app(config: Config | None = None) -> Flask:
    """Build the app; the only way to get one. Nothing happens at import time."""
    config = config or Config.from_env()
    from lms.flask_app import AcademyFlask
    from lms.web.cookie_sessions import SignedCookieSessions

    app = AcademyFlask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(config.instance_path.resolve()),
    )
    from lms.web.template_translations import TranslatedEnvironment

    app.jinja_environment = TranslatedEnvironment  # templates translated once per language
    app.session_interface = SignedCookieSessions()
    app.config.update(
        SECRET_KEY=config.resolved_secret_key(),
        TESTING=config.testing,
        WTF_CSRF_ENABLED=config.csrf,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.https,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=config.https,
        PREFERRED_URL_SCHEME="https" if config.https else "http",
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,
        # A text field may hold a few MB (a pasted day of chat): the view then says what is wrong
        # in place, instead of the request failing before it (Flask's default is 500 kB).
        MAX_FORM_MEMORY_SIZE=4 * 1024 * 1024,
        BABEL_DEFAULT_LOCALE="en",
        RATELIMIT_STORAGE_URI=config.redis_url or "memory://",
        RATELIMIT_HEADERS_ENABLED=True,
        RATELIMIT_ENABLED=config.extra.get("ratelimit", True),
        LMS=config,
    )
    app.config.update(config.extra)

    from lms.domain import reactions

    reactions.subscribe()

    if config.proxy_fix:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=config.proxy_fix,
            x_proto=config.proxy_fix,
            x_host=config.proxy_fix,
        )

    from lms import db

    database = db.init_app(
        app,
        config.resolved_database_url(),
        config.database_timeout,
        relaxed_autosaves=config.relaxed_autosaves,
    )
    if config.xapi_endpoint:
        from lms.domain.xapi.outbox import enable

        enable(database.sessionmaker, database.read_sessionmaker, home=config.xapi_home)

    from lms.web import init_web

    init_web(app)

    from lms.cli import register_commands

    register_commands(app)
    return app
