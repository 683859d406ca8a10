"""The Chinese-first walk over a read curriculum (issue 15's "done when"; `lms content check --strict-translations`).

It reports, with path and line:
- an item whose Chinese text holds no Chinese (a course, lesson, quiz, question, FAQ entry, product
  or tier still written in English), and a lesson whose body is mostly not Chinese;
- a chat line with Latin-script words other than product codes, units and the short allowlist in
  lms/content/chat.py: reply questions' `customer` and `model_answer`, FAQ questions, phrasings and
  answers, the `顾客：`/`客服：` lines of lessons' `!!! chat` blocks, and practice chats' shopper lines
  and model replies; a chat block paragraph with no known speaker;
- every freshness warning: an item without English, a partial, stale or unstamped one.
"""

from __future__ import annotations

from collections.abc import Iterator

from lms.content.chat import CHINESE_SPEAKERS, chat_lines, han_count, has_chinese, latin_words
from lms.content.problems import Problem
from lms.content.specs import ContentTree, QuizSpec
from lms.content.translations import TranslatableItem

#: A lesson counts as Chinese when it has at least this many Chinese characters per Latin word.
MIN_HAN_PER_LATIN_WORD = 2.0


def walk(tree: ContentTree) -> list[Problem]:
    """Everything the Chinese-first rules find in the tree, sorted by file and line."""
    places = _Places(tree.translatable)
    found: set[Problem] = set(tree.translation_warnings)
    found.update(_chinese_items(tree, places))
    found.update(_lessons(tree))
    found.update(_questions(tree))
    found.update(_faq(tree, places))
    found.update(_scenarios(tree))
    return sorted(found)


class _Places:
    """Where an item is (file and line), from what the readers noted."""

    def __init__(self, items: list[TranslatableItem]) -> None:
        self.by_item: dict[str, tuple[str, int]] = {}
        self.by_path: dict[tuple[str, str], int] = {}
        for item in items:
            self.by_item.setdefault(item.item, (item.path, item.line))
            self.by_path[(item.path, item.item)] = item.line

    def line(self, path: str, item: str) -> int:
        return self.by_path.get((path, item), 1)


def quiz_path(quiz: QuizSpec) -> str:
    """The file a quiz was read from."""
    return f"quizzes/{quiz.slug}.{'gift' if quiz.source_format == 'gift' else 'toml'}"


def _not_chinese(path: str, line: int, what: str, text: str) -> Iterator[Problem]:
    if text.strip() and not has_chinese(text):
        yield Problem(path, line, f"{what} is not Chinese: {_short(text)!r}")


def _short(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _chinese_items(tree: ContentTree, places: _Places) -> Iterator[Problem]:
    if tree.programme is not None:
        path = "courses/program.toml"
        yield from _not_chinese(path, 1, "the programme's `title`", tree.programme.title)
        for tier in tree.programme.tiers:
            line = places.line(path, f"tiers.{tier.slug}")
            yield from _not_chinese(path, line, f"tier {tier.slug}: `name`", tier.name)
    for course in tree.courses.values():
        path = f"courses/{course.slug}/course.toml"
        yield from _not_chinese(path, 1, "the course `title`", course.title)
        yield from _not_chinese(path, 1, "the course `summary`", course.summary)
        for lesson in course.lessons:
            line = places.line(path, f"lessons.{lesson.file}")
            yield from _not_chinese(path, line, f"lesson {lesson.file}: `title`", lesson.title)
    for quiz in tree.quizzes.values():
        path = quiz_path(quiz)
        yield from _not_chinese(path, 1, "the quiz `title`", quiz.title)
        yield from _not_chinese(path, 1, "the quiz `description`", quiz.description)
        for question in quiz.questions:
            yield from _not_chinese(path, question.line, f"question {question.id}: `text`", question.text)
            yield from _not_chinese(
                path, question.line, f"question {question.id}: `explanation`", question.explanation
            )
    for entry in tree.faq:
        path, line = places.by_item.get(f"entries.{entry.id}", ("courses", 1))
        yield from _not_chinese(path, line, f"FAQ entry {entry.id}: `question`", entry.question)
    for product in tree.products:
        path, line = places.by_item.get(f"products.{product.sku}", ("courses", 1))
        yield from _not_chinese(path, line, f"product {product.sku}: `name`", product.name)


def _lessons(tree: ContentTree) -> Iterator[Problem]:
    for course in tree.courses.values():
        for lesson in course.lessons:
            path = f"courses/{course.slug}/{lesson.file}"
            han = han_count(lesson.body)
            words = len(latin_words(lesson.body))
            if lesson.body.strip() and han < MIN_HAN_PER_LATIN_WORD * words:
                yield Problem(
                    path,
                    1,
                    f"the lesson is not written in Chinese ({han} Chinese characters, {words} Latin words): "
                    "the English goes to the .en.md file",
                )
            for chat in chat_lines(lesson.body):
                if not chat.speaker:
                    yield Problem(
                        path,
                        chat.line,
                        "a chat block paragraph needs a speaker: 顾客：, 客服： (or 错误示范： in a 反面示例 block)",
                    )
                elif chat.speaker in CHINESE_SPEAKERS:
                    yield from _latin(path, chat.line, f"the {chat.speaker} line", chat.text)


def _latin(path: str, line: int, what: str, text: str) -> Iterator[Problem]:
    words = latin_words(text)
    if words:
        shown = ", ".join(dict.fromkeys(words))
        yield Problem(
            path,
            line,
            f"{what} holds Latin-script words ({shown}): a chat line is sendable Chinese "
            "(only product codes and units may be Latin)",
        )


def _questions(tree: ContentTree) -> Iterator[Problem]:
    for quiz in tree.quizzes.values():
        path = quiz_path(quiz)
        for question in quiz.questions:
            if question.type != "reply":
                continue
            for key in ("customer", "model_answer"):
                value = question.body.get(key)
                if isinstance(value, str):
                    yield from _latin(path, question.line, f"question {question.id}: `{key}`", value)


def _faq(tree: ContentTree, places: _Places) -> Iterator[Problem]:
    for entry in tree.faq:
        path, line = places.by_item.get(f"entries.{entry.id}", ("courses", 1))
        if entry.kind == "reply":
            yield from _latin(path, line, f"FAQ entry {entry.id}: `answer`", entry.answer)
        yield from _latin(path, line, f"FAQ entry {entry.id}: `question`", entry.question)
        for phrasing in entry.phrasings:
            yield from _latin(path, line, f"FAQ entry {entry.id}: a phrasing", phrasing)


def _scenarios(tree: ContentTree) -> Iterator[Problem]:
    for scenario in tree.scenarios.values():
        path = scenario.path
        yield from _not_chinese(path, 1, "the scenario `title`", scenario.title)
        yield from _not_chinese(path, 1, "the scenario `persona`", scenario.persona)
        for node in scenario.nodes:
            for line in node.shopper:
                yield from _latin(path, node.line, f"node {node.id}: a shopper line", line)
            if node.model:
                yield from _latin(path, node.line, f"node {node.id}: `model`", node.model)
