"""Importing users from a CSV: every bad row reported by line, nothing written unless all are good."""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from lms.domain.accounts import people
from lms.domain.errors import DomainError

COLUMNS = ["username", "display_name", "email", "roles", "cohort", "stores"]
MAX_ROWS = 5000


@dataclass
class ImportProblem:
    """A problem on one line of the file."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.message}"


def decode_csv(data: bytes) -> str:
    """Text of a CSV from Excel or WPS: UTF-8 with or without BOM, else GBK (GB18030)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _split(value: str) -> list[str]:
    # Spreadsheet users separate lists with ; , | or the Chinese 、；
    for sep in (";", "|", "、", "；", "，"):
        value = value.replace(sep, ",")
    return [v.strip() for v in value.split(",") if v.strip()]


def parse_users_csv(session: Session, data: bytes) -> tuple[list[people.UserData], list[ImportProblem]]:
    """Read and check every row; return the users to create and every problem found."""
    problems: list[ImportProblem] = []
    try:
        text = decode_csv(data)
    except UnicodeDecodeError:
        return [], [ImportProblem(1, "the file is neither UTF-8 nor GBK text")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [ImportProblem(1, "the file is empty")]
    except csv.Error as err:
        return [], [ImportProblem(1, f"not a CSV file: {err}")]
    missing = [c for c in ("username", "display_name", "roles") if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("missing column(s) " + ", ".join(missing))
        if unknown:
            parts.append("unknown column(s) " + ", ".join(unknown))
        return [], [ImportProblem(1, "; ".join(parts) + f" (expected: {', '.join(COLUMNS)})")]
    rows: list[people.UserData] = []
    seen: dict[str, int] = {}
    try:
        records = list(reader)
    except csv.Error as err:
        return [], [ImportProblem(reader.line_num, f"not a CSV file: {err}")]
    if len(records) > MAX_ROWS:
        return [], [ImportProblem(MAX_ROWS + 2, f"at most {MAX_ROWS} rows per file")]
    for index, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            problems.append(ImportProblem(index, f"expected {len(header)} cells, found {len(record)}"))
            continue
        row = dict(zip(header, (cell.strip() for cell in record), strict=True))
        try:
            username = people.check_username(row["username"])
            if username in seen:
                raise DomainError(f"username {username!r} repeats line {seen[username]}")
            seen[username] = index
            if people.find_user(session, username) is not None:
                raise DomainError(f"username {username!r} exists already")
            user_data = people.UserData(
                username=username,
                display_name=row["display_name"],
                email=row.get("email") or None,
                roles=sorted(people.parse_roles(_split(row["roles"]))),
                cohort=row.get("cohort") or None,
                stores=_split(row.get("stores", "")),
            )
            people.check_fields(user_data)
            people.resolve_cohort(session, user_data.cohort)
            people.resolve_stores(session, user_data.stores)
        except DomainError as err:
            problems.append(ImportProblem(index, str(err)))
            continue
        rows.append(user_data)
    if not rows and not problems:
        problems.append(ImportProblem(2, "no users in the file"))
    return rows, problems


def import_users(session: Session, rows: list[people.UserData]) -> list[tuple[str, str]]:
    """Create the checked users, each with a random initial password; return the passwords."""
    created = []
    for data in rows:
        data.password = secrets.token_urlsafe(9)
        user = people.create_user(session, data)
        created.append((user.username, data.password))
    return created
