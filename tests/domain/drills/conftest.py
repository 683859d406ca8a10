from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.programme import Schedule, load_schedule
from lms.domain.curriculum.sync import sync_content

#: A Monday; working day 10 of a cohort starting here is Friday 12 March.
START = dt.date(2027, 3, 1)
DAY_10 = dt.datetime(2027, 3, 12, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def programme(db: Session) -> Schedule:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    db.commit()
    schedule = load_schedule(db)
    assert schedule is not None
    return schedule
