"""Reading the store's product sheet: products.toml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lms.content.checks import TableReader, locator
from lms.content.problems import Problems, SourceLines, load_toml
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
    rel = str(path.relative_to(root))
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    data = load_toml(text, rel, problems)
    if data is None:
        return []
    lines = SourceLines(text)
    top = TableReader(data, rel, problems, lambda key: lines.key(key) if key else 1)
    top.unknown_keys({"products"})
    headers = lines.tables("products")
    products, seen = [], set()
    for index, table in enumerate(top.tables("products", required=True)):
        start = headers[index] if index < len(headers) else 1
        end = headers[index + 1] if index + 1 < len(headers) else None
        reader = TableReader(table, rel, problems, locator(lines, start, end))
        reader.unknown_keys(PRODUCT_KEYS, "a product")
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
