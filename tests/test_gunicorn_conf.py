"""gunicorn.conf.py: the timeouts nest (database < statement < worker), and the README says so."""

from __future__ import annotations

import runpy

from lms.config import PROJECT_ROOT, Config
from lms.db import DEFAULT_TIMEOUT, STATEMENT_TIMEOUT


def test_the_worker_outlives_every_database_wait() -> None:
    settings = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    assert settings["wsgi_app"] == "lms:create_app()"
    assert Config().database_timeout == DEFAULT_TIMEOUT
    # A request may wait for a lock, then run a statement, and still answer before it is killed.
    assert settings["timeout"] > DEFAULT_TIMEOUT + STATEMENT_TIMEOUT
    assert settings["graceful_timeout"] <= settings["timeout"]
    assert "x-request-id" in settings["access_log_format"]


def test_the_readme_shows_the_timeouts_and_the_health_check() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for needle in ("gunicorn -c gunicorn.conf.py", "/healthz?write=1", "LMS_DATABASE_TIMEOUT", "proxy_read_timeout"):
        assert needle in readme, needle


def test_a_worker_hides_its_start_up_objects_from_the_garbage_collector() -> None:
    import gc

    settings = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    try:
        settings["post_worker_init"](object())
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
