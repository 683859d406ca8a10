"""The QC dashboard's template context (charts as JSON in data attributes: the CSP forbids inline script).

Its two lists of agents are paged (a contact centre has thousands): the agents not checked lately by
`?page=`, the monthly scores by agent by `?scores=`, 50 a page each."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy.orm import Session

from lms.domain.qc.dashboard import failing_topics, overdue_count, scores_by_agent
from lms.domain.qc.desk import not_checked
from lms.domain.qc.spot_checks import recent_spot_checks
from lms.web.pagination import Page, asked_page

PER_PAGE = 50


def _page(items: list[Any], total: int, number: int) -> Page[Any]:
    return Page(items=items, number=number, per_page=PER_PAGE, total=total)


def dashboard_context(session: Session, today: dt.date, days: int) -> dict[str, Any]:
    scores_number = asked_page("scores")
    scores = scores_by_agent(session, today, offset=(scores_number - 1) * PER_PAGE, limit=PER_PAGE)
    if scores.total and not scores.series:  # past the last page: show the last one
        scores_number = -(-scores.total // PER_PAGE)
        scores = scores_by_agent(session, today, offset=(scores_number - 1) * PER_PAGE, limit=PER_PAGE)
    unchecked_number = asked_page("page")
    unchecked = not_checked(session, today, days, limit=PER_PAGE, offset=(unchecked_number - 1) * PER_PAGE)
    if unchecked.count and not unchecked.first:
        unchecked_number = -(-unchecked.count // PER_PAGE)
        unchecked = not_checked(
            session, today, days, limit=PER_PAGE, offset=(unchecked_number - 1) * PER_PAGE
        )
    topics = failing_topics(session, today)
    return {
        "months": scores.months,
        "series": scores.series,
        "scores_page": _page(scores.series, scores.total, scores_number),
        "lines_chart": json.dumps(
            {
                "labels": scores.months,
                "series": [{"label": s.agent.display_name, "data": s.values} for s in scores.series],
            }
        ),
        "topics": topics,
        "topics_chart": json.dumps({"labels": [t for t, _n in topics], "counts": [n for _t, n in topics]}),
        "unchecked": unchecked.first,
        "unchecked_page": _page(unchecked.first, unchecked.count, unchecked_number),
        "days": days,
        "recent": recent_spot_checks(session),
        "overdue": overdue_count(session, today),
        "today": today,
    }
