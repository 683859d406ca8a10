"""The script library (话术库) and the product sheet, as loaded from the content files."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.models import FaqEntry, Product


@dataclass
class Library:
    """Every active FAQ entry (in file order) and product (by SKU)."""

    entries: list[FaqEntry]
    products: list[Product]


def script_library(session: Session) -> Library:
    """The library in two queries, whatever its size."""
    entries = list(
        session.scalars(select(FaqEntry).where(FaqEntry.active.is_(True)).order_by(FaqEntry.position))
    )
    products = list(session.scalars(select(Product).where(Product.active.is_(True)).order_by(Product.sku)))
    return Library(entries, products)
