"""Reading the store's product sheet: products.toml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lms.content.checks import array_of_tables
from lms.content.problems import Problems
from lms.content.specs import ProductSpec

PRODUCT_KEYS = {
    "sku",
    "name",
    "name_zh",
    "price",
    "material",
    "size",
    "capacity",
    "weight_g",
    "care",
    "suits",
    "misuse",
}


def read_products(path: Path, root: Path, problems: Problems) -> list[ProductSpec]:
    """Every [[products]] table."""
    products, seen = [], set()
    for reader in array_of_tables(path, root, problems, "products", PRODUCT_KEYS, "a product"):
        table = reader.table
        sku = reader.text("sku")
        if sku in seen:
            reader.report(f"SKU {sku!r} is used twice", "sku")
        seen.add(sku)
        details: dict[str, Any] = {
            k: table[k]
            for k in ("material", "size", "capacity", "weight_g", "care", "suits", "misuse")
            if k in table
        }
        products.append(
            ProductSpec(
                sku,
                reader.text("name"),
                reader.optional_text("name_zh"),
                reader.number("price", 0, 0, 100000),
                details,
            )
        )
    return products
