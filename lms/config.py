"""Settings: every environment variable the academy reads is read here, and only here."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The environment variables, with what each one does (the README's table is built from this).
ENVIRONMENT: dict[str, str] = {
    "LMS_DATABASE_URL": "SQLAlchemy URL of the database; default SQLite in instance/lms.sqlite3",
    "LMS_SECRET_KEY": "key that signs session cookies; default generated once into instance/",
    "LMS_REDIS_URL": "Redis for rate-limit storage shared by all workers; default in-process memory",
    "LMS_SMTP_URL": "smtp://user:password@host:port for email notices; unset = in-app only",
    "LMS_REFRESHER_DUE_DAYS": "days a learner has to finish a refresher after a course's major revision (14)",
    "LMS_MAIL_FROM": "sender address of email notices; default academy@localhost",
    "LMS_BASE_URL": "the site's address for links in emails, e.g. https://academy.example.com",
    "LMS_HTTPS": "1 when served over https: marks cookies Secure and sends HSTS",
    "LMS_PROXY_FIX": "number of reverse proxies in front (trust their X-Forwarded-* headers)",
    "LMS_LOGIN_RATE_IP": "login attempts allowed per client address; default '30 per 5 minutes'",
    "LMS_LOGIN_RATE_USER": "login attempts allowed per username; default '10 per 5 minutes'",
    "LMS_RESET_RATE_IP": "password-reset emails asked for per client address; default '10 per hour'",
    "LMS_RESET_RATE_ACCOUNT": "password-reset emails asked for per account; default '3 per hour'",
    "LMS_DATABASE_TIMEOUT": "seconds a request waits for the database (a lock, a connection) before a 503; default 5",
    "LMS_RELAXED_AUTOSAVES": "1: on SQLite, answer autosaves commit without waiting for the disk; default off",
    "LMS_CONTENT_DIR": "folder holding courses/ and quizzes/; default the checkout's root",
    "LMS_INSTANCE_PATH": "folder for the SQLite file and the generated secret key; default instance/",
    "LMS_DEFAULT_LOCALE": "language for visitors who have not chosen one: en or zh_Hans",
    "LMS_XAPI_ENDPOINT": "xAPI endpoint of a learning record store (…/xAPI/); unset = no xAPI statements",
    "LMS_XAPI_USERNAME": "the store's Basic-auth user (key) for the xAPI endpoint",
    "LMS_XAPI_PASSWORD": "the store's Basic-auth password (secret) for the xAPI endpoint",
    "LMS_XAPI_HOMEPAGE": "homePage of the learners' xAPI accounts; default LMS_BASE_URL",
}

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: What turns an on/off LMS_* variable on, whatever its case and surrounding spaces.
_ON = frozenset({"1", "true", "yes", "on"})


def _switched_on(env: Mapping[str, str], name: str) -> bool:
    """An on/off variable: on for 1, true, yes or on (`LMS_HTTPS=True` too); anything else is off."""
    return env.get(name, "").strip().lower() in _ON


@dataclass
class Config:
    """The app's settings; tests build one directly, the app builds one from the environment."""

    database_url: str = ""
    secret_key: str = ""
    redis_url: str = ""
    smtp_url: str = ""
    mail_from: str = "academy@localhost"
    base_url: str = "http://127.0.0.1:5000"
    refresher_due_days: int = 14
    https: bool = False
    proxy_fix: int = 0
    login_rate_ip: str = "30 per 5 minutes"
    login_rate_user: str = "10 per 5 minutes"
    reset_rate_ip: str = "10 per hour"
    reset_rate_account: str = "3 per hour"
    database_timeout: float = 5.0
    #: On SQLite, answer autosaves commit without waiting for the disk (see lms.db.RELAXED_COMMIT).
    relaxed_autosaves: bool = False
    content_dir: Path = PROJECT_ROOT
    instance_path: Path = PROJECT_ROOT / "instance"
    default_locale: str = "en"
    xapi_endpoint: str = ""
    xapi_username: str = ""
    xapi_password: str = ""
    xapi_homepage: str = ""
    testing: bool = False
    csrf: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Config:
        """Read the LMS_* environment variables."""
        env = os.environ if environ is None else environ
        instance = Path(env.get("LMS_INSTANCE_PATH") or PROJECT_ROOT / "instance")
        return cls(
            database_url=env.get("LMS_DATABASE_URL", ""),
            secret_key=env.get("LMS_SECRET_KEY", ""),
            redis_url=env.get("LMS_REDIS_URL", ""),
            smtp_url=env.get("LMS_SMTP_URL", ""),
            mail_from=env.get("LMS_MAIL_FROM", "academy@localhost"),
            base_url=env.get("LMS_BASE_URL") or cls.base_url,
            refresher_due_days=int(env.get("LMS_REFRESHER_DUE_DAYS") or 14),
            https=_switched_on(env, "LMS_HTTPS"),
            proxy_fix=int(env.get("LMS_PROXY_FIX") or 0),
            login_rate_ip=env.get("LMS_LOGIN_RATE_IP") or cls.login_rate_ip,
            login_rate_user=env.get("LMS_LOGIN_RATE_USER") or cls.login_rate_user,
            reset_rate_ip=env.get("LMS_RESET_RATE_IP") or cls.reset_rate_ip,
            reset_rate_account=env.get("LMS_RESET_RATE_ACCOUNT") or cls.reset_rate_account,
            database_timeout=float(env.get("LMS_DATABASE_TIMEOUT") or cls.database_timeout),
            relaxed_autosaves=_switched_on(env, "LMS_RELAXED_AUTOSAVES"),
            content_dir=Path(env.get("LMS_CONTENT_DIR") or PROJECT_ROOT),
            instance_path=instance,
            default_locale=env.get("LMS_DEFAULT_LOCALE") or "en",
            xapi_endpoint=env.get("LMS_XAPI_ENDPOINT", ""),
            xapi_username=env.get("LMS_XAPI_USERNAME", ""),
            xapi_password=env.get("LMS_XAPI_PASSWORD", ""),
            xapi_homepage=env.get("LMS_XAPI_HOMEPAGE", ""),
        )

    @property
    def xapi_home(self) -> str:
        """The homePage of learners' xAPI accounts (the site's address unless set)."""
        return (self.xapi_homepage or self.base_url).rstrip("/")

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to SQLite inside the instance folder."""
        if self.database_url:
            return self.database_url
        self.instance_path.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.instance_path / 'lms.sqlite3'}"

    def resolved_secret_key(self) -> str:
        """The signing key: from the environment, else generated once into the instance folder."""
        if self.secret_key:
            return self.secret_key
        self.instance_path.mkdir(parents=True, exist_ok=True)
        key_file = self.instance_path / "secret_key"
        if not key_file.exists():
            # O_EXCL: two workers starting together must not write two different keys.
            try:
                fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w") as fh:
                    fh.write(secrets.token_urlsafe(48))
        key = key_file.read_text().strip()
        if not key:
            raise RuntimeError(f"{key_file} is empty; delete it to generate a new key")
        return key
