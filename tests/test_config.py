"""Settings: the environment, the generated secret key, the README's table."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.config import ENVIRONMENT, PROJECT_ROOT, Config


def test_every_variable_is_documented_in_the_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name in ENVIRONMENT:
        assert f"`{name}`" in readme, name


def test_the_environment_is_read(tmp_path: Path) -> None:
    config = Config.from_env(
        {
            "LMS_DATABASE_URL": "postgresql+psycopg://x@y/z",
            "LMS_REDIS_URL": "redis://127.0.0.1:6379/2",
            "LMS_HTTPS": "1",
            "LMS_PROXY_FIX": "2",
            "LMS_INSTANCE_PATH": str(tmp_path),
        }
    )
    assert config.resolved_database_url() == "postgresql+psycopg://x@y/z"
    assert config.https and config.proxy_fix == 2 and config.redis_url.endswith("/2")


def test_sqlite_in_the_instance_folder_by_default(tmp_path: Path) -> None:
    config = Config.from_env({"LMS_INSTANCE_PATH": str(tmp_path)})
    assert config.resolved_database_url() == f"sqlite:///{tmp_path / 'lms.sqlite3'}"


def test_the_secret_key_is_generated_once_and_private(tmp_path: Path) -> None:
    config = Config.from_env({"LMS_INSTANCE_PATH": str(tmp_path)})
    first = config.resolved_secret_key()
    assert len(first) >= 40
    assert config.resolved_secret_key() == first
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    other = Config.from_env({"LMS_INSTANCE_PATH": str(tmp_path / "elsewhere")})
    assert other.resolved_secret_key() != first


def test_a_given_secret_key_wins(tmp_path: Path) -> None:
    config = Config.from_env({"LMS_SECRET_KEY": "from-the-environment", "LMS_INSTANCE_PATH": str(tmp_path)})
    assert config.resolved_secret_key() == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("value", "on"),
    [
        ("1", True),
        ("True", True),
        (" yes ", True),
        ("ON", True),
        ("0", False),
        ("false", False),
        ("", False),
        ("y", False),
    ],
)
def test_an_on_off_variable_reads_any_case(value: str, on: bool) -> None:
    # `LMS_HTTPS=True` must not leave cookies without their Secure flag.
    assert Config.from_env({"LMS_HTTPS": value}).https is on
