"""The QC dashboard's template context (charts as JSON in data attributes: the CSP forbids inline script)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy.orm import Session

from lms.domain.qc.dashboard import failing_topics, not_checked_for, overdue_count, scores_by_agent
from lms.domain.qc.spot_checks import recent_spot_checks


def dashboard_context(session: Session, today: dt.date, days: int) -> dict[str, Any]:
    months, series = scores_by_agent(session, today)
    topics = failing_topics(session, today)
    return {
        "months": months,
        "series": series,
        "lines_chart": json.dumps(
            {"labels": months, "series": [{"label": s.agent.display_name, "data": s.values} for s in series]}
        ),
        "topics": topics,
        "topics_chart": json.dumps({"labels": [t for t, _n in topics], "counts": [n for _t, n in topics]}),
        "unchecked": not_checked_for(session, today, days),
        "days": days,
        "recent": recent_spot_checks(session),
        "overdue": overdue_count(session, today),
        "today": today,
    }
