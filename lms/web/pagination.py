"""Pages of query results: a count and one slice, two queries whatever the table's size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import Flask, request, url_for
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from lms.web.forms import form_int

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


def asked_page(param: str = "page") -> int:
    """The page number asked for by `?<param>=` (1 when missing or not a page number)."""
    return form_int(request.args, param, low=1, high=999_999) or 1


def paginate(session: Session, stmt: Select[tuple[T]], per_page: int = 50) -> Page[T]:
    """The page named by ?page= of the statement's results."""
    number = asked_page()
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
