"""The compiled rule book and `check(text)`: every hit, with its rule, words, place and hint.

What counts as a hit, in order:

1. The text is read in its folded and compact forms (text.py). A rule's phrases are found in the
   compact form by one Aho-Corasick automaton holding every phrase and exemption of the book; a
   phrase beginning or ending with a Latin letter or digit must start or end a word there ("top"
   is not found in "laptop"). Its patterns run on the folded form (RE2); a pattern with a group
   flags the group, otherwise the whole match.
2. An exemption of a rule covers any hit of a rule *of the same category* that lies inside it
   (最佳赏味期 covers 最佳 and 最). Covered hits are dropped, or kept marked `exempted_by` when
   asked for (the tester shows them).
3. Hits of one rule that overlap become one hit; a warn hit inside a block hit of the same
   category is dropped (最好 is reported once, as the block rule that names it).

Intent is not read: "我不能说最好" still contains 最好, as QC's own scan would say.

Compiling is done once per rule-book version: `compiled(spec)` caches by the content hash, so
every request after the first reuses the automaton and the compiled patterns.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import ahocorasick

from lms.content.rulebook.rules import Rule, RuleBookSpec, compile_pattern
from lms.content.rulebook.text import WORD, Prepared, compact_phrase, kind_of, prepare

#: How many compiled versions are kept (the current one, and the ones old attempts were graded with).
CACHE_SIZE = 8


@dataclass(frozen=True)
class Hit:
    """Words in a text that a rule catches, as typed: text[start:end] == words."""

    rule: Rule
    start: int
    end: int
    words: str
    #: The phrase or pattern that found it.
    matched: str
    #: The exemption that covers it (only when exemptions were asked for).
    exempted_by: str | None = None

    @property
    def category(self) -> str:
        return self.rule.category

    @property
    def severity(self) -> str:
        return self.rule.severity

    @property
    def hint(self) -> str:
        return self.rule.hint

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def as_json(self) -> dict[str, Any]:
        """The hit for a page or the API."""
        return {
            "rule": self.rule.id,
            "category": self.rule.category,
            "severity": self.rule.severity,
            "start": self.start,
            "end": self.end,
            "words": self.words,
            "hint": self.rule.hint,
            "hint_en": self.rule.hint_en,
            "source": self.rule.source,
            "exempted_by": self.exempted_by,
        }


def _bounded(text: Prepared, start: int, end: int, needle: str) -> bool:
    """A phrase starting (ending) with a Latin letter or digit must start (end) a word."""
    if kind_of(needle[0]) == WORD and text.is_word(start - 1):
        return False
    return not (kind_of(needle[-1]) == WORD and text.is_word(end))


class RuleBook:
    """A rule book compiled for checking: build it with `compiled(spec)`, then call `check`."""

    def __init__(self, spec: RuleBookSpec) -> None:
        self.spec = spec
        self.hash = spec.hash
        self.rules = spec.rules
        self.by_id = {rule.id: rule for rule in spec.rules}
        self._automaton: Any = ahocorasick.Automaton()
        entries: dict[str, list[tuple[int, bool, str]]] = {}
        for index, rule in enumerate(spec.rules):
            for phrase in rule.phrases:
                entries.setdefault(compact_phrase(phrase), []).append((index, False, phrase))
            for exemption in rule.exempt:
                entries.setdefault(compact_phrase(exemption), []).append((index, True, exemption))
        for needle, values in entries.items():
            if needle:
                self._automaton.add_word(needle, (needle, tuple(values)))
        self._empty = not entries
        if not self._empty:
            self._automaton.make_automaton()
        self._patterns = [
            (index, pattern, compile_pattern(pattern))
            for index, rule in enumerate(spec.rules)
            for pattern in rule.patterns
        ]
        # One pass tells whether any pattern matches at all: most replies need no pattern run.
        self._any_pattern = (
            compile_pattern("|".join(f"(?:{p})" for _i, p, _c in self._patterns)) if self._patterns else None
        )

    def __len__(self) -> int:
        return len(self.rules)

    def _raw(self, text: Prepared) -> tuple[list[Hit], dict[str, list[tuple[int, int, str]]]]:
        """Every phrase and pattern hit, and every exemption's place by category."""
        hits: list[Hit] = []
        exemptions: dict[str, list[tuple[int, int, str]]] = {}
        if not self._empty and text.compact:
            for last, (needle, values) in self._automaton.iter(text.compact):
                first = last - len(needle) + 1
                if not _bounded(text, first, last + 1, needle):
                    continue
                start, end = text.span(first, last + 1)
                for index, is_exemption, phrase in values:
                    rule = self.rules[index]
                    if is_exemption:
                        exemptions.setdefault(rule.category, []).append((start, end, phrase))
                    else:
                        hits.append(Hit(rule, start, end, text.original[start:end], phrase))
        if self._any_pattern is None or not self._any_pattern.search(text.folded):
            return hits, exemptions
        for index, pattern, compiled in self._patterns:
            for match in compiled.finditer(text.folded):
                group = 1 if match.re.groups else 0
                first, last = match.span(group)
                if last <= first:
                    continue
                start, end = text.span(first, last, compact=False)
                rule = self.rules[index]
                hits.append(Hit(rule, start, end, text.original[start:end], pattern))
        return hits, exemptions

    def check(self, text: str | Prepared, *, exempted: bool = False) -> list[Hit]:
        """Every hit in the text, in reading order (with `exempted`, covered ones too, marked)."""
        prepared = text if isinstance(text, Prepared) else prepare(text)
        raw, exemptions = self._raw(prepared)
        kept: list[Hit] = []
        covered: list[Hit] = []
        for hit in raw:
            cover = None
            for start, end, phrase in exemptions.get(hit.rule.category, ()):
                if start <= hit.start and hit.end <= end:
                    cover = phrase
                    break
            if cover is None:
                kept.append(hit)
            elif exempted:
                covered.append(Hit(hit.rule, hit.start, hit.end, hit.words, hit.matched, cover))
        merged = _merge(kept, prepared.original)
        blocks: dict[str, list[tuple[int, int]]] = {}
        for hit in merged:
            if hit.rule.blocks:
                blocks.setdefault(hit.rule.category, []).append((hit.start, hit.end))
        final = []
        for hit in merged:
            if not hit.rule.blocks:
                spans = blocks.get(hit.rule.category, ())
                if any(start < hit.end and hit.start < end for start, end in spans):
                    continue
            final.append(hit)
        if exempted:
            final += _merge(covered, prepared.original)
        return sorted(final, key=lambda h: (h.start, -h.end, h.rule.id, h.exempted_by or ""))

    def blocking(self, text: str | Prepared) -> list[Hit]:
        """Only the red-line hits."""
        return [h for h in self.check(text) if h.rule.blocks]


def _merge(hits: list[Hit], original: str) -> list[Hit]:
    """Overlapping hits of one rule become one hit over their union."""
    by_rule: dict[tuple[str, str | None], list[Hit]] = {}
    for hit in hits:
        by_rule.setdefault((hit.rule.id, hit.exempted_by), []).append(hit)
    merged: list[Hit] = []
    for group in by_rule.values():
        group.sort(key=lambda h: (h.start, -h.end))
        current = group[0]
        for hit in group[1:]:
            if hit.start < current.end:
                if hit.end > current.end:
                    current = Hit(
                        current.rule,
                        current.start,
                        hit.end,
                        original[current.start : hit.end],
                        current.matched,
                        current.exempted_by,
                    )
            else:
                merged.append(current)
                current = hit
        merged.append(current)
    return merged


_cache: OrderedDict[str, RuleBook] = OrderedDict()
_lock = threading.Lock()


def compiled(spec: RuleBookSpec) -> RuleBook:
    """The compiled book for a spec, built once per content hash and then reused."""
    key = spec.hash
    with _lock:
        book = _cache.get(key)
        if book is not None:
            _cache.move_to_end(key)
            return book
    book = RuleBook(spec)
    with _lock:
        _cache[key] = book
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return book


def compiled_from_json(data: dict[str, Any], content_hash: str) -> RuleBook:
    """The compiled book for a stored version, without rebuilding the spec when it is cached."""
    with _lock:
        book = _cache.get(content_hash)
        if book is not None:
            _cache.move_to_end(content_hash)
            return book
    return compiled(RuleBookSpec.from_json(data))


def cached_book(content_hash: str) -> RuleBook | None:
    """A compiled book already in the cache (lets callers skip loading the rules from the database)."""
    with _lock:
        return _cache.get(content_hash)


def marked_runs(text: str, hits: list[Hit]) -> list[dict[str, Any]]:
    """The text cut into runs, each plain or marked by the strongest hit over it (block, warn, exempt).

    For pages that show a text with its hits in place (the tester, the wording box, QC lines).
    """
    rank = {None: 0, "exempt": 1, "warn": 2, "block": 3}
    marks: list[str | None] = [None] * len(text)
    for hit in hits:
        mark: str = "exempt" if hit.exempted_by else ("block" if hit.rule.blocks else "warn")
        for i in range(max(0, hit.start), min(len(text), hit.end)):
            if rank[mark] > rank[marks[i]]:
                marks[i] = mark
    runs: list[dict[str, Any]] = []
    for char, marked in zip(text, marks, strict=True):
        if runs and runs[-1]["mark"] == marked:
            runs[-1]["text"] += char
        else:
            runs.append({"text": char, "mark": marked})
    return runs
