"""The rule book: one set of rules for what an agent may write, checked everywhere.

The store's rules live in `courses/compliance.toml` (rules.py says the format). This package is
the engine, free of the database and of Flask; the domain passes it the book loaded from the
database, so replies, drills, practice chats and QC transcripts are all read the same way.

The API::

    from lms.content.rulebook import compiled, match_key_points

    book = compiled(spec)                  # once per rule-book version (cached by content hash)
    for hit in book.check("亲，加 微 信 聊吧"):
        hit.rule.id, hit.category, hit.severity   # "off-platform-wechat", "off_platform", "block"
        hit.start, hit.end, hit.words              # where, in the text as typed: "加 微 信"
        hit.hint, hit.rule.hint_en, hit.rule.source

    book.check(text, exempted=True)        # also the hits an exemption covers, marked `exempted_by`
    book.blocking(text)                    # only the red lines
    marked_runs(text, hits)                # the text in runs marked block / warn / exempt, for pages

    match_key_points("不可以退哦", [["可以退"]])       # → [KeyPointMatch(index=0, met=False, negated=True)]
    match_key_points(text, groups, ordered=True)      # key points count only in the listed order
    find_phrase(text, "今天发")                        # every occurrence, each marked negated or not

How a text is read (folded and compact forms) is in text.py, what counts as a hit in book.py,
what counts as meeting a key point in keypoints.py, and which lines of the curriculum are checked
in sendable.py.
"""

from lms.content.rulebook.book import Hit, RuleBook, cached_book, compiled, compiled_from_json, marked_runs
from lms.content.rulebook.categories import CATEGORIES, SEVERITIES, Category
from lms.content.rulebook.keypoints import KeyPointMatch, Occurrence, contains, find_phrase, match_key_points
from lms.content.rulebook.rules import Rule, RuleBookSpec, read_rulebook
from lms.content.rulebook.text import Prepared, prepare

__all__ = [
    "CATEGORIES",
    "SEVERITIES",
    "Category",
    "Hit",
    "KeyPointMatch",
    "Occurrence",
    "Prepared",
    "Rule",
    "RuleBook",
    "RuleBookSpec",
    "cached_book",
    "compiled",
    "compiled_from_json",
    "contains",
    "find_phrase",
    "marked_runs",
    "match_key_points",
    "prepare",
    "read_rulebook",
]
