"""The script library (话术库) and the product sheet, as agents read them: searchable, in two queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lms.models import FaqEntry, Product

#: The longest search accepted (a word or two; longer input is cut).
MAX_QUERY = 100


@dataclass
class Library:
    """The active FAQ entries (in file order, those matching the search) and products (by SKU)."""

    entries: list[FaqEntry]
    products: list[Product]
    query: str = ""


def script_library(session: Session, query: str = "") -> Library:
    """The library in two queries, whatever its size; a query narrows the entries by question, answer or id."""
    statement = select(FaqEntry).where(FaqEntry.active.is_(True)).order_by(FaqEntry.position, FaqEntry.id)
    words = query.strip()[:MAX_QUERY]
    if words:
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        statement = statement.where(
            or_(
                FaqEntry.question.ilike(like, escape="\\"),
                FaqEntry.answer.ilike(like, escape="\\"),
                FaqEntry.key.ilike(like, escape="\\"),
            )
        )
    entries = list(session.scalars(statement))
    products = list(session.scalars(select(Product).where(Product.active.is_(True)).order_by(Product.sku)))
    return Library(entries, products, words)
