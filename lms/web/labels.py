"""Translated names for stored words shown on pages: roles, statuses, question types, settings.

Pages never show a stored word (`learner`, `in_progress`, `single`) as is: the `label` filter
turns it into its translated name, or shows the word itself when it is not one we know.
"""

from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l

LABELS: dict[str, dict[str, object]] = {
    "role": {
        "learner": _l("Learner"),
        "trainer": _l("Trainer"),
        "qc": _l("Quality control"),
        "admin": _l("Administrator"),
    },
    "status": {
        "in_progress": _l("in progress"),
        "submitted": _l("waiting for a trainer"),
        "graded": _l("graded"),
    },
    "type": {
        "single": _l("single choice"),
        "multiple": _l("multiple choice"),
        "truefalse": _l("true or false"),
        "short": _l("short answer"),
        "numeric": _l("number"),
        "matching": _l("matching"),
        "ordering": _l("ordering"),
        "cloze": _l("fill the gaps"),
        "essay": _l("essay"),
        "reply": _l("chat reply"),
    },
    "grading": {"highest": _l("highest"), "last": _l("last"), "first": _l("first"), "mean": _l("mean")},
    "review": {
        "after_submit": _l("answers after each attempt"),
        "after_pass": _l("answers once passed"),
        "score_only": _l("the score only"),
        "never": _l("nothing"),
    },
    "scope": {"learner": _l("Learner"), "staff": _l("Staff")},
    "cell": {
        "done": _l("done"),
        "in_progress": _l("in progress"),
        "failed": _l("failed"),
        "overdue": _l("overdue"),
        "todo": _l("not started"),
    },
    "cert": {
        "valid": _l("valid"),
        "expiring": _l("expiring"),
        "expired": _l("expired"),
        "revoked": _l("revoked"),
    },
    # KPI metrics (kpi_records' columns), as the KPI pages name them.
    "metric": {
        "conversion_rate": _l("Conversion rate"),
        "avg_response_seconds": _l("Average response time"),
        "satisfaction": _l("Satisfaction"),
        "invite_rate": _l("Rating-invitation rate"),
        "push_completion": _l("Product-push completion"),
    },
    # Why an automatic assignment exists (assignments.trigger).
    "trigger": {
        "recert": _l("Recertification"),
        "changed": _l("What changed"),
        "kpi": _l("KPI dip"),
        "qc_repeat": _l("Repeated QC failures"),
        "calendar": _l("Promotion period"),
    },
}


def label(value: object, kind: str) -> str:
    """The translated name of a stored word of a kind (the word itself when unknown).

    Each name is translated once per request: a cohort matrix names thousands of cells, and every
    lazy translation asks Flask-Babel for the locale and the catalogue again.
    """
    key = (kind, str(value))
    names: dict[tuple[str, str], str] = g.setdefault("lms_labels", {})
    name = names.get(key)
    if name is None:
        found = LABELS.get(kind, {}).get(key[1])
        name = names[key] = str(found) if found is not None else key[1]
    return name
