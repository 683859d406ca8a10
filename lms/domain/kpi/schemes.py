"""Editing the KPI scheme: a new version in force from a month on, checked whole before it is saved."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.domain import audit
from lms.domain.errors import N_, DomainError
from lms.domain.kpi.metrics import METRICS, SchemeError, check_scheme
from lms.domain.kpi.scores import scheme_for
from lms.models import KpiScheme, Role, User

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _number(raw: Any, field: str, *, low: float | None = None, high: float | None = None) -> float:
    try:
        value = float(str(raw).strip().replace(",", "."))
    except ValueError:
        raise DomainError(N_("Enter a number."), field) from None
    if value != value or (low is not None and value < low) or (high is not None and value > high):
        raise DomainError(N_("Enter a number between %(low)s and %(high)s."), field, low=low, high=high)
    return value


def parse_scheme_form(
    form: Mapping[str, str],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, float]]:
    """The editor's fields -> metrics, bands and store weights (each bad field named)."""
    current = {m["key"]: m for m in scheme_for_defaults()}
    metrics = []
    for key in METRICS:
        metrics.append(
            {
                "key": key,
                "label": current[key]["label"],
                "weight": _number(form.get(f"{key}-weight", ""), f"{key}-weight", low=0, high=100),
                "higher_is_better": current[key]["higher_is_better"],
                "target": _number(form.get(f"{key}-target", ""), f"{key}-target", low=0, high=100_000),
                "floor": _number(form.get(f"{key}-floor", ""), f"{key}-floor", low=0, high=100_000),
            }
        )
    bands = []
    for n in range(3):
        low = _number(form.get(f"band{n}-min", ""), f"band{n}-min", low=0, high=100)
        base = _number(form.get(f"band{n}-base", ""), f"band{n}-base", low=0, high=1_000_000)
        bands.append({"min": low, "base": base})
    main = _number(form.get("main-weight", ""), "main-weight", low=0, high=100)
    secondary = _number(form.get("secondary-weight", ""), "secondary-weight", low=0, high=100)
    return metrics, bands, {"main": main, "secondary": secondary}


def scheme_for_defaults() -> list[dict[str, Any]]:
    from lms.domain.kpi.metrics import DEFAULT_METRICS

    return DEFAULT_METRICS


def save_scheme(
    session: Session,
    admin: User,
    *,
    from_month: str,
    metrics: list[dict[str, Any]],
    bands: list[dict[str, Any]],
    store_weights: dict[str, float],
    today: dt.date,
) -> KpiScheme:
    """Save the scheme in force from `from_month` (replacing that month's version); audited."""
    if not admin.has_role(Role.ADMIN):
        raise DomainError(N_("Only administrators change the KPI scheme."))
    if not MONTH.match(from_month):
        raise DomainError(N_("Enter the month as YYYY-MM."), "from_month")
    if from_month > f"{today.year + 1:04d}-{today.month:02d}":
        raise DomainError(N_("The month is more than a year ahead."), "from_month")
    for metric in metrics:
        higher = metric["higher_is_better"]
        if (higher and metric["target"] <= metric["floor"]) or (
            not higher and metric["target"] >= metric["floor"]
        ):
            raise DomainError(
                N_("The target must be better than the floor (higher, or lower for a time)."),
                f"{metric['key']}-target",
            )
    mins = [b["min"] for b in bands]
    if len(set(mins)) != len(mins):
        raise DomainError(N_("Each bonus band needs its own lower bound."), "band0-min")
    if abs(store_weights["main"] + store_weights["secondary"] - 100) > 1e-9:
        raise DomainError(N_("The main and secondary store weights must add up to 100."), "main-weight")
    try:
        check_scheme(metrics, bands)
    except SchemeError as err:
        total = sum(m["weight"] for m in metrics)
        if abs(total - 100) > 1e-9:
            raise DomainError(
                N_("The weights add up to %(total)s, not 100."), "weights", total=f"{total:g}"
            ) from None
        raise DomainError(N_("The bonus bands must start at 0."), "band0-min") from err
    bands = sorted(bands, key=lambda b: -b["min"])
    row = session.scalars(select(KpiScheme).where(KpiScheme.from_month == from_month)).one_or_none()
    before = None
    if row is None:
        row = KpiScheme(from_month=from_month)
        session.add(row)
    else:
        before = {"metrics": row.metrics, "bands": row.bands, "store_weights": row.store_weights}
    row.metrics, row.bands, row.store_weights, row.created_by_id = metrics, bands, store_weights, admin.id
    session.flush()
    audit.record(
        session,
        "kpi.scheme",
        actor=admin,
        target=row,
        before=before,
        after={"from_month": from_month, "metrics": metrics, "bands": bands, "store_weights": store_weights},
    )
    return row


def schemes(session: Session) -> list[KpiScheme]:
    """Every saved version, newest month first."""
    return list(session.scalars(select(KpiScheme).order_by(KpiScheme.from_month.desc())))


__all__ = ["parse_scheme_form", "save_scheme", "scheme_for", "schemes"]
