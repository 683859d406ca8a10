"""Schemathesis fuzzes /api/v1 from its OpenAPI document: no 5xx, responses match the schema."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from lms import create_app
from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.accounts.tokens import create_token
from lms.domain.curriculum.sync import sync_content
from tests.conftest import _empty_tables, make_config
from tests.factories import UserFactory, bind


@pytest.fixture
def api_schema(database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    app = create_app(make_config(database_url, tmp_path))
    database = app.extensions["lms.db"]
    session = database.session()
    tree, _problems = check(PROJECT_ROOT)
    sync_content(session, tree)
    bind(session)
    user = UserFactory(username="fuzzer")
    session.flush()
    _t, secret = create_token(session, user, "schemathesis")
    session.commit()
    session.close()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    schema.config.headers = {"Authorization": f"Bearer {secret}"}
    yield schema
    _empty_tables(database)
    database.engine.dispose()


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_survives_generated_requests(case) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate()
