"""Turning a question form into the JSON response the engine checks (the API's exact shapes)."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict


def _int(value: str | None) -> int | None:
    """A whole number from a form field (None when absent or not one: "²", "--1", 5,000 digits…)."""
    raw = (value or "").strip()
    digits = raw.removeprefix("-")
    return int(raw) if digits.isdecimal() and len(digits) <= 12 else None


def response_from_form(qtype: str, form: MultiDict[str, str], display: dict[str, Any]) -> Any | None:
    """The response a form describes, or None when nothing was answered yet."""
    if qtype == "single":
        choice = _int(form.get("choice"))
        return None if choice is None else {"choice": choice}
    if qtype == "multiple":
        picked = [c for c in (_int(v) for v in form.getlist("choices")) if c is not None]
        return {"choices": picked} if "choices-shown" in form else None
    if qtype == "truefalse":
        value = form.get("value")
        return None if value not in ("true", "false") else {"value": value == "true"}
    if qtype in ("short", "essay", "reply"):
        text = form.get("text")
        return None if text is None else {"text": text}
    if qtype == "numeric":
        raw = (form.get("value") or "").strip().replace(",", ".")
        if not raw:
            return None
        try:
            return {"value": float(raw) if "." in raw or "e" in raw.lower() else int(raw)}
        except ValueError:
            return {"value": raw}  # refused by the engine with a clear message
    if qtype == "matching":
        pairs = {}
        for left in display.get("lefts", []):
            chosen = _int(form.get(f"pair-{left['index']}"))
            if chosen is not None:
                pairs[str(left["index"])] = chosen
        return {"pairs": pairs} if pairs else None
    if qtype == "ordering":
        count = len(display.get("items", []))
        order = [_int(form.get(f"order-{pos}")) for pos in range(count)]
        if all(o is None for o in order):
            return None
        return {"order": order}
    if qtype == "cloze":
        gaps = [form.get(f"gap-{n}", "") for n in range(1, int(display.get("gaps", 0)) + 1)]
        return {"gaps": gaps} if any(g.strip() for g in gaps) else None
    return None
