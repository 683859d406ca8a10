"""Finding key points in a reply: negation-aware, and in order when the question asks for it.

A key point is a group of phrases (any one will do). A phrase *counts* where it occurs unless it
is negated, in order:

1. *Where*: phrases are found as rules are (text.py: folded, compact, 加 微 信 = 加微信); a phrase
   beginning with a Latin letter or digit must start a word ("best" is not in "honestbest") and
   may end inside one ("return" finds "returns").
2. *Negated before*: a negator (不 没 别 未 无 非 勿 莫 甭, 不能 没有 无法 …) right before the
   phrase in the same clause, or separated from it only by up to NEGATION_GAP characters of
   modal words (是 会 能 一定 保证 …: BRIDGES), negates it: 不可以 does not earn 可以, 不是今天 does
   not earn 今天, but 还没发货可以改 earns 可以 (发货 is what is negated). In Latin script, not / no /
   don't / can't / never … up to NEGATION_WORDS words before the phrase negates it ("we can't
   ship today"). Words that merely contain a negator do not negate: 不错 不仅 不过 特别 无论 无理由
   没关系 能不能 … (NOT_NEGATORS).
3. *Negated after*: 不了 / 不成 right after the phrase (at most AFTER_GAP characters later)
   negates it too: 今天发不了 does not earn 今天 or 今天发.
4. *Unless*: a phrase that itself begins with a negator (不能保证, 无理由) is the negated form the
   key point asks for, and counts as written.
5. *Order*: with `ordered`, key points count only in the order listed: each must occur after
   the place where the previous met key point was found (greet before answering). A key point
   found only out of order is reported as such and earns nothing.

`match_key_points(text, groups, ordered=False)` answers with one `KeyPointMatch` per group.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lms.content.rulebook.text import WORD, Prepared, compact_phrase, kind_of, prepare

#: How many characters of modal words may stand between a Chinese negator and the phrase.
NEGATION_GAP = 3
#: The words that may stand there (不是今天, 不能保证今天, 不一定能今天).
BRIDGES = (
    "一定",
    "保证",
    "确定",
    "肯定",
    "怎么",
    "那么",
    "这么",
    "是",
    "会",
    "能",
    "要",
    "可",
    "太",
    "再",
    "用",
    "敢",
    "很",
    "都",
    "也",
    "还",
    "就",
    "大",
)
#: How many words may stand between an English negator and the phrase ("can't really ship").
NEGATION_WORDS = 2

_CHINESE_NEGATORS = (
    "不能",
    "不会",
    "不要",
    "不用",
    "不可",
    "不是",
    "不行",
    "没有",
    "没法",
    "没办法",
    "无法",
    "未能",
    "别",
    "不",
    "没",
    "未",
    "无",
    "非",
    "勿",
    "莫",
    "甭",
)
#: Ordinary words that contain a negator but do not negate what follows.
NOT_NEGATORS = (
    "不错",
    "不仅",
    "不但",
    "不过",
    "不久",
    "不少",
    "不断",
    "不管",
    "不论",
    "不好意思",
    "不客气",
    "不然",
    "不如",
    "特别",
    "分别",
    "区别",
    "差别",
    "告别",
    "级别",
    "类别",
    "识别",
    "个别",
    "别的",
    "别人",
    "别家",
    "无论",
    "无理由",
    "无忧",
    "无线",
    "无缝",
    "无限",
    "无需担心",
    "没关系",
    "没问题",
    "未来",
    "非常",
    "并非",
    "除非",
    "莫过于",
    "别担心",
    "别着急",
    "别急",
    "不用担心",
    "不要担心",
    "不用急",
    "不着急",
    "没事",
    "能不能",
    "是不是",
    "可不可以",
    "要不要",
    "会不会",
    "有没有",
)
_ENGLISH_NEGATORS = frozenset(
    word.replace("'", "")
    for word in {
        "not",
        "no",
        "never",
        "cannot",
        "can't",
        "cant",
        "don't",
        "dont",
        "doesn't",
        "doesnt",
        "didn't",
        "didnt",
        "won't",
        "wont",
        "isn't",
        "isnt",
        "aren't",
        "arent",
        "wasn't",
        "wasnt",
        "shouldn't",
        "couldn't",
        "wouldn't",
        "without",
        "unable",
    }
)
_ENGLISH_NOT_NEGATING = ("not only", "no problem", "no worries", "no doubt", "no matter")
_AFTER_NEGATORS = ("不了", "不成")
#: How far after the phrase 不了 may start (今天 + 发 + 不了).
AFTER_GAP = 1
_NEGATOR_RE = re.compile("|".join(sorted(map(re.escape, _CHINESE_NEGATORS), key=len, reverse=True)))
_NOT_NEGATOR_RE = re.compile("|".join(sorted(map(re.escape, NOT_NEGATORS), key=len, reverse=True)))
_BRIDGE_RE = re.compile("(?:" + "|".join(map(re.escape, BRIDGES)) + ")*")
_ENGLISH_WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True)
class Occurrence:
    """Where a phrase was found in the typed text, and whether it was negated there."""

    phrase: str
    start: int
    end: int
    negated: bool = False


@dataclass(frozen=True)
class KeyPointMatch:
    """One key point's outcome: met (with where), or why not."""

    index: int
    met: bool
    phrase: str | None = None
    start: int | None = None
    end: int | None = None
    #: Found only negated (不可以 for 可以).
    negated: bool = False
    #: Found only before a key point that had to come first.
    out_of_order: bool = False

    def as_json(self) -> dict[str, Any]:
        """For the review page and the API."""
        return {
            "index": self.index,
            "met": self.met,
            "phrase": self.phrase,
            "start": self.start,
            "end": self.end,
            "negated": self.negated,
            "out_of_order": self.out_of_order,
        }


def _starts_negated(needle: str) -> bool:
    """Whether a phrase is itself the negated form (begins with a negator that is really one)."""
    if _NOT_NEGATOR_RE.match(needle):
        return False
    if _NEGATOR_RE.match(needle):
        return True
    first = _ENGLISH_WORD.match(needle)
    return bool(first and first.group(0) in _ENGLISH_NEGATORS)


def _clause_start(text: Prepared, index: int) -> int:
    """The compact index where the clause holding `index` begins."""
    while index > 0 and not text.clause_before[index]:
        index -= 1
    return index


def _negated_before(text: Prepared, first: int) -> bool:
    begin = _clause_start(text, first)
    before = text.compact[begin:first]
    if not before:
        return False
    if kind_of(before[-1]) == WORD or before.endswith(" "):
        words = _ENGLISH_WORD.findall(before)
        window = words[-(NEGATION_WORDS + 1) :]
        tail = " ".join(window)
        if any(tail.startswith(phrase) or f" {phrase}" in tail for phrase in _ENGLISH_NOT_NEGATING):
            return False
        return any(word in _ENGLISH_NEGATORS for word in window)
    harmless = [m.span() for m in _NOT_NEGATOR_RE.finditer(before)]
    for match in _NEGATOR_RE.finditer(before):
        if any(s <= match.start() < e for s, e in harmless):
            continue
        gap = before[match.end() :]
        if len(gap) <= NEGATION_GAP and _BRIDGE_RE.fullmatch(gap):
            return True
    return False


def _negated_after(text: Prepared, last: int) -> bool:
    after = text.compact[last : last + AFTER_GAP + 2]
    for marker in _AFTER_NEGATORS:
        at = after.find(marker)
        if 0 <= at <= AFTER_GAP and not any(text.clause_before[last + i] for i in range(at + 1)):
            return True
    return False


def find_phrase(text: str | Prepared, phrase: str, *, negation: bool = True) -> list[Occurrence]:
    """Every place a phrase occurs in a text (typed positions), each marked negated or not."""
    prepared = text if isinstance(text, Prepared) else prepare(text)
    needle = compact_phrase(phrase)
    if not needle:
        return []
    haystack = prepared.compact
    latin_start = kind_of(needle[0]) == WORD
    check_negation = negation and not _starts_negated(needle)
    found = []
    at = haystack.find(needle)
    while at >= 0:
        if not (latin_start and prepared.is_word(at - 1)):
            end = at + len(needle)
            negated = check_negation and (_negated_before(prepared, at) or _negated_after(prepared, end))
            start, stop = prepared.span(at, end)
            found.append(Occurrence(phrase, start, stop, negated))
        at = haystack.find(needle, at + 1)
    return found


def contains(text: str | Prepared, phrase: str) -> bool:
    """Whether the phrase occurs at least once, not negated."""
    return any(not o.negated for o in find_phrase(text, phrase))


def match_key_points(
    text: str | Prepared, groups: Sequence[Sequence[str]], *, ordered: bool = False
) -> list[KeyPointMatch]:
    """For each key point (a group of phrases), whether the text meets it and where (see the module)."""
    prepared = text if isinstance(text, Prepared) else prepare(text)
    results = []
    cursor = 0
    for index, phrases in enumerate(groups):
        occurrences = sorted(
            (o for phrase in phrases for o in find_phrase(prepared, phrase)), key=lambda o: (o.start, -o.end)
        )
        counted = [o for o in occurrences if not o.negated]
        in_order = [o for o in counted if o.start >= cursor] if ordered else counted
        if in_order:
            best = in_order[0]
            results.append(KeyPointMatch(index, True, best.phrase, best.start, best.end))
            if ordered:
                cursor = best.end
        elif counted:
            first = counted[0]
            results.append(
                KeyPointMatch(index, False, first.phrase, first.start, first.end, out_of_order=True)
            )
        elif occurrences:
            first = occurrences[0]
            results.append(KeyPointMatch(index, False, first.phrase, first.start, first.end, negated=True))
        else:
            results.append(KeyPointMatch(index, False))
    return results
