"""Against a real learning record store (Ralph, started locally): a lesson and a quiz arrive exactly once."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms import create_app
from lms.db import Database
from lms.domain.xapi import outbox
from lms.jobs import run_jobs
from lms.models import Certificate, XapiStatement
from lms.models.certification import GO_LIVE
from tests import factories
from tests.conftest import _empty_tables, make_config
from tests.domain.xapi.conftest import Lrs
from tests.domain.xapi.test_outbox import T0, learn, make_quiz


def test_a_lesson_and_a_quiz_reach_ralph_exactly_once_even_when_the_job_runs_twice(
    database_url: str, tmp_path: Path, ralph: Lrs
) -> None:
    config = make_config(
        database_url,
        tmp_path,
        xapi_endpoint=ralph.endpoint,
        xapi_username=ralph.username,
        xapi_password=ralph.password,
        base_url="https://academy.example.com",
    )
    configured = create_app(config)
    database: Database = configured.extensions["lms.db"]
    db: Session = database.session()  # the app's own sessions record statements
    factories.bind(db)
    try:
        user = factories.UserFactory(username="xiaoli")
        db.commit()
        learn(db, user, make_quiz(db))
        certificate = Certificate(
            user_id=user.id, kind=GO_LIVE, code="xapi-test-code", issued_at=T0, evidence={}
        )
        db.add(certificate)
        db.flush()
        outbox.certificate_earned(db, certificate)
        db.commit()
        recorded = {r.statement_id: r.kind for r in db.scalars(select(XapiStatement))}
        assert sorted(Counter(recorded.values()).items()) == [
            ("answered", 2),
            ("certificate-earned", 1),
            ("lesson-completed", 1),
            ("passed", 1),
        ]

        first = run_jobs(db, config, T0 + dt.timedelta(minutes=5))
        second = run_jobs(db, config, T0 + dt.timedelta(minutes=10))

        assert first.xapi is not None and (first.xapi.sent, first.xapi.failed) == (5, 0)
        assert second.xapi is not None and (second.xapi.sent, second.xapi.batches) == (0, 0)
        assert "xAPI: 5 statement(s) sent" in first.line()

        stored = ralph.statements()
        assert Counter(s["id"] for s in stored) == Counter(list(recorded))  # each exactly once
        by_id = {s["id"]: s for s in stored}
        passed = next(by_id[sid] for sid, kind in recorded.items() if kind == "passed")
        assert passed["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
        assert passed["actor"]["account"] == {"homePage": "https://academy.example.com", "name": "xiaoli"}
        assert passed["result"]["score"]["scaled"] == 1
        lesson = next(by_id[sid] for sid, kind in recorded.items() if kind == "lesson-completed")
        assert lesson["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
        earned = next(by_id[sid] for sid, kind in recorded.items() if kind == "certificate-earned")
        assert earned["object"]["id"] == "https://academy.example.com/certificates/go-live"

        # the store forgets nothing and duplicates nothing when we send the same statements again
        for row in db.scalars(select(XapiStatement)):
            row.sent_at = None
        db.commit()
        again = run_jobs(db, config, T0 + dt.timedelta(minutes=15))
        assert again.xapi is not None and again.xapi.failed == 0
        assert Counter(s["id"] for s in ralph.statements()) == Counter(list(recorded))
    finally:
        db.close()
        _empty_tables(database)
        database.engine.dispose()
