"""Reading the store's product sheet: the `[[products]]` of a course's products.toml."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lms.content.english import SHAPES, apply_legacy_zh, read_english
from lms.content.faq import entry_readers
from lms.content.problems import Problems
from lms.content.specs import ProductSpec
from lms.content.tables import TableReader
from lms.content.toml_source import TomlSource
from lms.content.translations import note

TEXT_DETAILS = ("material", "size", "capacity", "care", "suits")
#: `name_zh` is the legacy Chinese name (see english.LEGACY_ZH), read until the content is converted.
PRODUCT_KEYS = {"sku", "name", "name_zh", "price", "weight_g", "misuse", "en", *TEXT_DETAILS}
SKU = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,39}$")


def read_products(path: Path, root: Path, problems: Problems) -> tuple[list[ProductSpec], TomlSource | None]:
    """Every product: SKU, names, price in yuan, and the details agents quote."""
    readers, source = entry_readers(path, root, problems, "products")
    products = []
    seen: dict[str, int] = {}
    for reader in readers:
        reader.unknown_keys(PRODUCT_KEYS, "a product")
        reader = TableReader(apply_legacy_zh(reader.table), reader.path, problems, reader.source, reader.base)
        sku = reader.text("sku")
        if sku and not SKU.match(sku):
            reader.report(f"`sku` must be capital letters, digits and dashes (is {sku!r})", "sku")
        if sku in seen:
            reader.report(f"SKU {sku!r} is used twice (first on line {seen[sku]})", "sku")
        seen.setdefault(sku, reader.line("sku"))
        details: dict[str, Any] = {}
        for key in TEXT_DETAILS:
            value = reader.optional_text(key, max_len=2000)
            if value is not None:
                details[key] = value
        if "weight_g" in reader.table:
            details["weight_g"] = reader.integer("weight_g", 0, 1, 100_000)
        if "misuse" in reader.table:
            details["misuse"] = list(reader.strings("misuse"))
        english = read_english(reader.table, SHAPES["product"], reader.report, "a product")
        note(
            problems, reader.path, f"products.{sku}", reader.line(), reader.table, english, SHAPES["product"]
        )
        products.append(
            ProductSpec(
                sku,
                reader.text("name", max_len=200),
                reader.number("price", 0, 0, 1_000_000, required=True),
                details,
                english,
            )
        )
    return products, source
