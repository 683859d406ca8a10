"""The English beside the Chinese: `en` tables in TOML items, shape-checked against the Chinese.

Chinese is the teaching language: every text key of an item holds Chinese. An item may carry an
`en` table with the English of its *translatable* keys only (never an id, a weight or a grading
key), under the same names and in the same shapes: a text for a text, a list of texts of the same
length for a list of texts, a list of inline tables of the same length (holding only their
translatable keys) for a list of tables. A cloze text keeps the same `{{n}}` gap markers.

`SHAPES` names the translatable keys per kind of item; `read_english` checks one item's `en` table
and returns what is usable of it. `chinese_text` is what a translation answers to: the Chinese of
the translatable keys (translations.py fingerprints it to tell a stale English version).
"""

from __future__ import annotations

import re
from typing import Any

from lms.content.problems import Where

#: A shape: key → "text" | "texts" | {sub key: "text"} (a list of inline tables).
Shape = dict[str, Any]

_QUESTION_COMMON: Shape = {"text": "text", "explanation": "text"}
_CHOICES: Shape = {"choices": {"text": "text", "feedback": "text"}}

#: The translatable keys of each question type (beyond `text` and `explanation`).
QUESTION_SHAPES: dict[str, Shape] = {
    "single": _CHOICES,
    "multiple": _CHOICES,
    "truefalse": {"feedback_true": "text", "feedback_false": "text"},
    "matching": {"pairs": {"left": "text", "right": "text"}, "distractors": "texts"},
    "ordering": {"items": "texts"},
    "cloze": {},
    "numeric": {},
    "short": {},
    "essay": {"rubric": "text"},
    "reply": {"customer": "text", "model_answer": "text"},
}

#: The translatable keys of every other kind of item.
SHAPES: dict[str, Shape] = {
    "course": {"title": "text", "summary": "text"},
    "lesson": {"title": "text"},
    "programme": {"title": "text"},
    "tier": {"name": "text", "description": "text"},
    "quiz": {"title": "text", "description": "text"},
    "faq": {"question": "text", "answer": "text", "steps": "texts"},
    "rulebook": {"title": "text"},
    "scenario": {"title": "text", "summary": "text", "persona": "text"},
    "scenario_node": {"shopper": "texts", "model": "text", "tip": "text"},
    "rule": {"hint": "text", "description": "text"},
    "product": {
        "name": "text",
        "material": "text",
        "size": "text",
        "capacity": "text",
        "care": "text",
        "suits": "text",
        "misuse": "texts",
    },
}

#: Legacy keys (English main key + Chinese `_zh` key), read until the shipped content is converted.
#: TODO(issue 15): remove LEGACY_ZH and `apply_legacy_zh` once courses/ and quizzes/ are Chinese-first.
LEGACY_ZH = {"title_zh": "title", "name_zh": "name"}

GAP_MARKER = re.compile(r"\{\{(\d+)\}\}")


def question_shape(type_name: str) -> Shape:
    """The translatable keys of a question of a type (the common ones for an unknown type)."""
    return {**_QUESTION_COMMON, **QUESTION_SHAPES.get(type_name, {})}


def apply_legacy_zh(raw: dict[str, Any]) -> dict[str, Any]:
    """LEGACY SHIM (remove with LEGACY_ZH): `title` English + `title_zh` Chinese → Chinese + `en`.

    Returns a copy in the new format: the `_zh` value becomes the main key and the old main key
    moves into the `en` table (an `en` value written in the file wins).
    """
    if not any(key in raw for key in LEGACY_ZH):
        return raw
    data = dict(raw)
    english = dict(data["en"]) if isinstance(data.get("en"), dict) else {}
    for legacy, main in LEGACY_ZH.items():
        chinese = data.pop(legacy, None)
        if not isinstance(chinese, str) or not chinese.strip():
            continue
        if isinstance(data.get(main), str) and data[main].strip():
            english.setdefault(main, data[main])
        data[main] = chinese
    if english or "en" in raw:
        data["en"] = english
    return data


def read_english(raw: dict[str, Any], shape: Shape, where: Where, what: str) -> dict[str, Any]:
    """The item's `en` table checked against its Chinese; every problem goes to `where` under `en`.

    Returns only the well-formed translations (an ill-formed key is reported and left out).
    """
    english = raw.get("en")
    if english is None:
        return {}
    if not isinstance(english, dict):
        where("`en` must be a table holding the English of the item's texts", "en")
        return {}
    good: dict[str, Any] = {}
    for key, value in english.items():
        kind = shape.get(key)
        if kind is None:
            allowed = ", ".join(sorted(shape)) or "nothing"
            where(f"`en.{key}` is not a translatable text of {what} (translate only: {allowed})", "en", key)
            continue
        chinese = raw.get(key)
        if chinese is None:
            where(f"`en.{key}` translates nothing: the item has no Chinese `{key}`", "en", key)
            continue
        checked = _shaped(key, kind, value, chinese, where)
        if checked is not None:
            good[key] = checked
    if "text" in good and "text" in shape and isinstance(raw.get("text"), str):
        chinese_gaps = sorted(GAP_MARKER.findall(raw["text"]))
        english_gaps = sorted(GAP_MARKER.findall(good["text"]))
        if chinese_gaps != english_gaps:
            shown = ", ".join(f"{{{{{n}}}}}" for n in chinese_gaps) or "no gap markers"
            where(f"`en.text` must keep the Chinese gap markers ({shown})", "en", "text")
            good.pop("text")
    return good


def _shaped(key: str, kind: Any, value: Any, chinese: Any, where: Where) -> Any:
    """One translated value if it has the Chinese value's shape (else reported, None)."""
    if kind == "text":
        if not isinstance(value, str):
            where(f"`en.{key}` must be text", "en", key)
            return None
        if not value.strip():
            where(f"`en.{key}` is empty: leave it out until it is translated", "en", key)
            return None
        return value
    if not isinstance(value, list) or not isinstance(chinese, list):
        where(f"`en.{key}` must be a list like the Chinese `{key}`", "en", key)
        return None
    if len(value) != len(chinese):
        where(
            f"`en.{key}` has {len(value)} items but the Chinese `{key}` has {len(chinese)}: "
            "translate each, in the same order",
            "en",
            key,
        )
        return None
    if kind == "texts":
        if not all(isinstance(item, str) and item.strip() for item in value):
            where(f"`en.{key}` must hold only non-empty texts", "en", key)
            return None
        return list(value)
    items = []
    for index, (item, original) in enumerate(zip(value, chinese, strict=True)):
        if not isinstance(item, dict):
            where(f"`en.{key}` item {index + 1} must be an inline table", "en", key, index)
            return None
        for sub, text in item.items():
            if sub not in kind:
                allowed = ", ".join(sorted(kind))
                where(
                    f"`en.{key}` item {index + 1}: `{sub}` is not translatable (translate only: {allowed})",
                    "en",
                    key,
                    index,
                )
                return None
            if not isinstance(original, dict) or original.get(sub) in (None, ""):
                where(f"`en.{key}` item {index + 1}: the Chinese item has no `{sub}`", "en", key, index)
                return None
            if not isinstance(text, str) or not text.strip():
                where(f"`en.{key}` item {index + 1}: `{sub}` must be a non-empty text", "en", key, index)
                return None
        items.append(dict(item))
    return items


def chinese_text(raw: dict[str, Any], shape: Shape) -> dict[str, Any]:
    """The Chinese of an item's translatable keys (what its English version translates)."""
    found: dict[str, Any] = {}
    for key, kind in shape.items():
        value = raw.get(key)
        if value in (None, "", []):
            continue
        if isinstance(kind, dict) and isinstance(value, list):
            found[key] = [
                {sub: item.get(sub) for sub in kind if isinstance(item, dict) and item.get(sub)}
                for item in value
            ]
        else:
            found[key] = value
    return found


def untranslated(raw: dict[str, Any], english: dict[str, Any], shape: Shape) -> list[str]:
    """The translatable keys the item has in Chinese but not (fully) in English."""
    missing = []
    for key, chinese in chinese_text(raw, shape).items():
        value = english.get(key)
        if value is None:
            missing.append(key)
        elif isinstance(shape[key], dict):
            for item, original in zip(value, chinese, strict=False):
                if set(original) - set(item):
                    missing.append(key)
                    break
    return missing


# -- showing the English ------------------------------------------------------------------------


def english_body(body: dict[str, Any], english: dict[str, Any] | None) -> dict[str, Any]:
    """A question body with its English texts put in place (keys untouched), for reading only.

    Lists are replaced item by item (same positions), inline tables key by key; a text with no
    English keeps its Chinese. Never grade with it: grading uses the Chinese body.
    """
    if not english:
        return body
    merged = dict(body)
    for key, value in english.items():
        original = body.get(key)
        if original is None:
            continue
        if isinstance(value, str):
            merged[key] = value
        elif isinstance(value, list) and isinstance(original, list) and len(value) == len(original):
            merged[key] = [
                {**item, **{k: v for k, v in tr.items() if v}}
                if isinstance(item, dict) and isinstance(tr, dict)
                else (tr if isinstance(tr, str) and tr else item)
                for item, tr in zip(original, value, strict=True)
            ]
    return merged


def english_display(public: dict[str, Any], display: dict[str, Any]) -> dict[str, Any]:
    """An attempt's stored display (Chinese, in its shuffled order) with the English texts.

    `public` is the question type's public view of the English body: each list entry keeps its
    `index` (the position in the file), so the stored order is kept and only the texts change.
    """
    shown = dict(display)
    for key, entries in display.items():
        english = public.get(key)
        if isinstance(entries, list) and isinstance(english, list):
            texts = {e.get("index"): e.get("text") for e in english if isinstance(e, dict)}
            shown[key] = [
                {**e, "text": texts.get(e.get("index"), e.get("text"))} if isinstance(e, dict) else e
                for e in entries
            ]
        elif isinstance(entries, str) and isinstance(english, str):
            shown[key] = english
    return shown
