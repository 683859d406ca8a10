"""How fast the rule book checks a reply: a 300-character reply against the whole shipped book.

Reported per reply, for three kinds of text: a clean reply, one that trips several rules (about
50 hits), and one with a space between every character (加 微 信 style). Compiling is measured
apart: it happens once per rule-book version, never per request. `python_baseline_us` (summing
range(1000)) says how fast the machine was at the time: about 8 µs on an idle laptop.
"""

from __future__ import annotations

import random
import time

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.content.rulebook import RuleBook, compiled, match_key_points

CLEAN = (
    "亲，在的！这款是头层牛皮公文包，铜五金，14寸加厚电脑仓，走线、拉链和五金一年保修，还有运费险。"
    "16点前付款今天就能发出，圆通一般2-3天到，需要顺丰的话加12元。您平时装的电脑是几寸的呢？"
)
DIRTY = (
    "亲，这款是全网最好的公文包，质量第一，绝对不会坏，保证明天到！加我微信vx 138-0000-0000，"
    "私下给你便宜20，好评返现哦。最后一件了，爱买不买。"
)


def _reply(seed: str, rng: random.Random, length: int = 300) -> str:
    """A reply of `length` characters made of shuffled pieces of the seed."""
    pieces = [p for p in seed.replace("！", "，").replace("。", "，").split("，") if p]
    text = ""
    while len(text) < length:
        text += rng.choice(pieces) + "，"
    return text[:length]


def _per_reply_us(book: RuleBook, texts: list[str], rounds: int) -> float:
    """The best of five runs (a shared machine's load only ever adds time)."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds // 5):
            for text in texts:
                book.check(text)
        best = min(best, (time.perf_counter() - start) / ((rounds // 5) * len(texts)))
    return best * 1e6


def bench_compliance(rounds: int = 200) -> dict[str, float]:
    """Microseconds per 300-character reply for each kind of text, and the compile time."""
    tree, _problems = check(PROJECT_ROOT)
    assert tree.rulebook is not None, "courses/compliance.toml is missing"
    start = time.perf_counter()
    book = RuleBook(tree.rulebook)  # uncached: the one-off cost of a new version
    compile_ms = (time.perf_counter() - start) * 1e3
    assert compiled(tree.rulebook) is not None
    rng = random.Random(14)
    clean = [_reply(CLEAN, rng) for _ in range(20)]
    dirty = [_reply(DIRTY, rng) for _ in range(20)]
    spaced = [" ".join(_reply(DIRTY, rng, 150)) for _ in range(20)]  # 300 characters, every other a space
    groups = [["头层", "full-grain"], ["保修", "warranty"], ["16点", "今天发"], ["不可以", "没法"]]
    keypoints_us = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds // 5):
            for text in clean:
                match_key_points(text, groups, ordered=True)
        keypoints_us = min(keypoints_us, (time.perf_counter() - start) / ((rounds // 5) * len(clean)) * 1e6)
    start = time.perf_counter()
    for _ in range(2000):
        sum(range(1000))
    baseline_us = (time.perf_counter() - start) / 2000 * 1e6
    return {
        "rules": len(book),
        "python_baseline_us": baseline_us,
        "reply_characters": 300,
        "compile_ms": compile_ms,
        "clean_us": _per_reply_us(book, clean, rounds),
        "dirty_us": _per_reply_us(book, dirty, rounds),
        "spaced_us": _per_reply_us(book, spaced, rounds),
        "hits_in_dirty": float(len(book.check(dirty[0]))),
        "key_points_us": keypoints_us,
    }
