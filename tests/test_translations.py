"""The Chinese catalog is complete and keeps every placeholder."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from lms.config import PROJECT_ROOT

PO = PROJECT_ROOT / "lms" / "translations" / "zh_Hans" / "LC_MESSAGES" / "messages.po"
POT = PROJECT_ROOT / "lms" / "translations" / "messages.pot"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")


def test_every_message_is_translated_with_its_placeholders() -> None:
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    untranslated, broken = [], []
    for message in catalog:
        if not message.id:
            continue
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        target = message.string[0] if isinstance(message.string, tuple) else message.string
        if not target or message.fuzzy:
            untranslated.append(source)
        elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target)):
            broken.append(source)
    assert untranslated == [] and broken == []


def test_the_catalog_covers_the_template() -> None:
    with POT.open("rb") as fh:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    with PO.open("rb") as fh:
        translated = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert template - translated == set()
