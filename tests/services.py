"""The outside services some tests need (Redis, a learning record store, Chromium): a test skips,
visibly, on a machine without them — except in CI, where `LMS_TEST_REQUIRE_SERVICES=1` (set by
`.ci/run`) turns a missing service into a failure, so a skip there can never hide a broken set-up."""

from __future__ import annotations

import os

import pytest

REQUIRED = os.environ.get("LMS_TEST_REQUIRE_SERVICES", "") == "1"


def missing(reason: str) -> None:
    """Skip the test for this reason, or fail it when services are required."""
    if REQUIRED:
        pytest.fail(f"{reason} (LMS_TEST_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def require_redis(url: str) -> None:
    """The test needs a Redis server answering at `url`."""
    try:
        import redis
    except ImportError:
        missing("the redis package is not installed: make install-dev")
        return
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        missing(f"no Redis server at {url}")
