"""Importing a month of KPI numbers from a spreadsheet: checked line by line, previewed, then applied whole."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lms.domain import audit, events
from lms.domain.accounts.user_import import ImportProblem, decode_csv
from lms.domain.kpi.metrics import METRICS
from lms.models import KpiRecord, Store, User

COLUMNS = ["agent", "store", "month", *METRICS]
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_ROWS = 20000


@dataclass
class KpiRow:
    """One checked line of the file."""

    line: int
    user: User
    store: Store
    month: str
    values: dict[str, float | None]


@dataclass
class KpiPreview:
    """What an import would do: rows to write, months it replaces, and every problem."""

    rows: list[KpiRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    replaced: dict[str, int] = field(default_factory=dict)  # month -> records that will be replaced

    @property
    def months(self) -> list[str]:
        return sorted({r.month for r in self.rows})


def _number(raw: str) -> float | None:
    raw = raw.strip().rstrip("%").replace(",", ".")
    if raw == "":
        return None
    return float(raw)


def parse_kpi_csv(session: Session, data: bytes, today: dt.date) -> KpiPreview:
    """Read and check a KPI file (UTF-8 with or without BOM, or GBK); nothing is written."""
    preview = KpiPreview()
    try:
        text = decode_csv(data)
    except UnicodeDecodeError:
        preview.problems.append(ImportProblem(1, "the file is neither UTF-8 nor GBK text"))
        return preview
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        preview.problems.append(ImportProblem(1, "the file is empty"))
        return preview
    if header != COLUMNS:
        preview.problems.append(ImportProblem(1, f"the columns must be, in this order: {', '.join(COLUMNS)}"))
        return preview
    users = {u.username: u for u in session.scalars(select(User))}
    all_stores = session.scalars(select(Store)).all()
    # A store is named by its full name or by its short code (any case): platform exports carry
    # the shop's own name, and a code survives a rename. Names and codes never collide (accounts).
    stores = {s.name: s for s in all_stores}
    codes = {s.code: s for s in all_stores if s.code}
    this_month = f"{today.year:04d}-{today.month:02d}"
    seen: dict[tuple[str, str, str], int] = {}
    for line, record in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            preview.problems.append(ImportProblem(line, f"at most {MAX_ROWS} rows per file"))
            break
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(COLUMNS):
            preview.problems.append(
                ImportProblem(line, f"expected {len(COLUMNS)} cells, found {len(record)}")
            )
            continue
        agent, store_name, month, *raw_values = (cell.strip() for cell in record)
        problems_before = len(preview.problems)
        user = users.get(agent.lower())
        if user is None:
            preview.problems.append(ImportProblem(line, f"unknown agent {agent!r}"))
        store = stores.get(store_name) or codes.get(store_name.upper())
        if store is None:
            preview.problems.append(ImportProblem(line, f"unknown store {store_name!r}"))
        if not MONTH.match(month):
            preview.problems.append(ImportProblem(line, f"month {month!r} is not YYYY-MM"))
        elif month > this_month:
            preview.problems.append(ImportProblem(line, f"month {month} is in the future"))
        values: dict[str, float | None] = {}
        for key, raw in zip(METRICS, raw_values, strict=True):
            try:
                value = _number(raw)
            except ValueError:
                preview.problems.append(ImportProblem(line, f"{key}: {raw!r} is not a number"))
                continue
            if value is not None and (
                value < 0 or (key != "avg_response_seconds" and value > 100) or value > 86400
            ):
                preview.problems.append(ImportProblem(line, f"{key}: {raw} is out of range"))
            values[key] = value
        key3 = (agent.lower(), str(store.id) if store is not None else store_name, month)
        if key3 in seen:
            preview.problems.append(
                ImportProblem(line, f"the same agent, store and month as line {seen[key3]}")
            )
        seen[key3] = line
        if len(preview.problems) == problems_before and user is not None and store is not None:
            preview.rows.append(KpiRow(line, user, store, month, values))
    for month in preview.months:
        count = len(session.scalars(select(KpiRecord.id).where(KpiRecord.month == month)).all())
        if count:
            preview.replaced[month] = count
    return preview


def apply_kpi_import(session: Session, preview: KpiPreview, *, actor: User | None = None) -> int:
    """Write a clean preview: each month in the file replaces that month's records (audited)."""
    if preview.problems:
        raise ValueError("a file with problems writes nothing")
    for month in preview.months:
        session.execute(delete(KpiRecord).where(KpiRecord.month == month))
    for row in preview.rows:
        session.add(KpiRecord(user_id=row.user.id, store_id=row.store.id, month=row.month, **row.values))
    session.flush()
    users = list({row.user.id: row.user for row in preview.rows}.values())
    events.publish(events.kpi_month_imported, session, users=users, now=dt.datetime.now(dt.UTC))
    audit.record(
        session,
        "kpi.import",
        actor=actor,
        target_type="kpi_month",
        target_id=",".join(preview.months),
        before={"replaced": preview.replaced},
        after={"rows": len(preview.rows)},
    )
    return len(preview.rows)
