"""Pages of query results: a count and one slice, two queries whatever the table's size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import Flask, request, url_for
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """One page of results."""

    items: list[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(session: Session, stmt: Select[tuple[T]], per_page: int = 50) -> Page[T]:
    """The page named by ?page= of the statement's results."""
    raw = request.args.get("page", "1")
    number = int(raw) if raw.isdigit() and 0 < int(raw) < 1_000_000 else 1
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = list(session.scalars(stmt.limit(per_page).offset((number - 1) * per_page)).unique())
    return Page(items=items, number=number, per_page=per_page, total=total)


def page_url(number: int, param: str = "page", anchor: str | None = None) -> str:
    """The current page's URL with ?page= (or `param`, for a page that pages two lists) set to
    `number`, other query arguments kept; `anchor` names the list's place on the page."""
    values: dict[str, object] = {**(request.view_args or {}), **request.args.to_dict()}
    values[param] = str(number)
    if anchor:
        values["_anchor"] = anchor
    return url_for(request.endpoint or "home.index", **values)  # type: ignore[arg-type]


def init_app(app: Flask) -> None:
    """Make `page_url` available to templates."""
    app.jinja_env.globals["page_url"] = page_url
