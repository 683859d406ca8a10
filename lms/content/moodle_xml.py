"""Moodle XML: import the question types of Moodle's that map to ours; export every type of ours.

Import (`read_moodle_xml`) reads a `<quiz>` of `<question type="…">` elements as Moodle writes them:

- `multichoice` (`<single>` true → `single`, false → `multiple`, each `fraction` a weight),
  `truefalse`, `shortanswer`, `numerical` (value ± tolerance; units are ignored, with a note),
  `matching` (a subquestion without text is a distractor), `essay` (its grader information is the
  rubric), `ddwtos` and `gapselect` (each `[[n]]` place a gap answered by the n-th choice) and
  `cloze` (Moodle's multianswer: the `{1:SHORTANSWER:=…}` parts become gaps, answered by their
  full-credit answers) into ours; `description` is skipped with a note;
- categories (`$course$/…` → the question's `category`), tags, the name (`title`), `idnumber`
  (the id, when it is one of ours), `defaultgrade` (points), general feedback (the explanation)
  and per-answer feedback;
- HTML is sanitised (`lms.markdown.sanitise_html`) where a question text stays HTML, and turned
  into plain text for answers and feedback.

Every problem is reported with its line, and a file with any problem imports nothing. The XML is
parsed without DTDs, entities or network access (defusedxml first, then lxml for line numbers).

Export (`export_moodle_xml`) writes each question as the nearest Moodle type (ordering as matching,
reply as essay) and checks it by importing it again: what Moodle's XML cannot say travels in a tag
`lms-data:{json}` (and the English in `lms-en:{json}`), which our import applies on top, so
export → import gives every question back exactly.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

import defusedxml.ElementTree as SafeET
import nh3
from defusedxml import DefusedXmlException
from lxml import etree

from lms.content.gift import slugify
from lms.content.questions.cloze import GAP
from lms.content.quizzes import QUESTION_ID, parse_question
from lms.content.specs import QuestionSpec
from lms.markdown import sanitise_html

Problem = tuple[int, str]
#: Moodle's text formats and ours.
FROM_MOODLE_FORMAT = {
    "html": "html",
    "moodle_auto_format": "moodle",
    "plain_text": "plain",
    "markdown": "markdown",
}
TO_MOODLE_FORMAT = {ours: theirs for theirs, ours in FROM_MOODLE_FORMAT.items()}
DATA_TAG = "lms-data:"
ENGLISH_TAG = "lms-en:"
DATA_FIELDS = ("type", "text", "points", "explanation", "tags", "body")
CATEGORY_PREFIX = re.compile(r"^\$(course|system|module|cat\d*)\$/|^top/")
EMBEDDED = re.compile(r"\{(\d*):([A-Z_]+):((?:\\.|[^}])*)\}")
PLACE = re.compile(r"\[\[(\d+)\]\]")


@dataclass
class MoodleImport:
    """What a Moodle XML file holds: questions, problems (line, message) and notes (line, message)."""

    questions: list[QuestionSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def html_to_text(value: str) -> str:
    """HTML as plain text: line breaks kept, tags dropped, entities decoded."""
    value = re.sub(r"(?i)<br\s*/?>|</p>\s*<p[^>]*>", "\n", value)
    return html.unescape(nh3.clean(value, tags=set())).strip()


def _text(element: Any, path: str = "text") -> str:
    found = element.find(path) if element is not None else None
    return (found.text or "") if found is not None else ""


def _formatted(element: Any) -> tuple[str, str]:
    """A `<… format="…"><text>` element as (text, our format)."""
    if element is None:
        return "", "markdown"
    return _text(element), FROM_MOODLE_FORMAT.get(element.get("format", "html"), "html")


def _plain(element: Any) -> str:
    """The text of an element with a format, as plain text (answers, feedback)."""
    text, fmt = _formatted(element)
    return html_to_text(text) if fmt in ("html", "moodle") else text.strip()


def _fraction(answer: Any) -> float:
    try:
        value = float(answer.get("fraction", "0"))
    except ValueError:
        return 0.0
    return int(value) if value.is_integer() else round(value, 5)


class _Reader:
    def __init__(self) -> None:
        self.result = MoodleImport()
        self.category = ""
        self.used: set[str] = set()

    def problem(self, element: Any, message: str) -> None:
        self.result.problems.append((element.sourceline or 1, message))

    def note(self, element: Any, message: str) -> None:
        self.result.notes.append((element.sourceline or 1, message))

    def read(self, root: Any) -> None:
        if root.tag != "quiz":
            self.problem(
                root, f"the root element is <{root.tag}>, not <quiz>: not a Moodle XML question file"
            )
            return
        for element in root:
            if not isinstance(element.tag, str):
                continue
            if element.tag != "question":
                self.problem(element, f"<{element.tag}> where a <question> should be")
                continue
            self.question(element)

    def question(self, element: Any) -> None:
        kind = element.get("type", "")
        if kind == "category":
            path = _text(element, "category/text").strip()
            path = CATEGORY_PREFIX.sub("", path)
            path = CATEGORY_PREFIX.sub("", path + "/").strip("/")
            self.category = "" if path == "top" else path
            return
        name = html_to_text(_text(element, "name/text"))
        if kind == "description":
            self.note(element, f"the description {name!r} is skipped: it is not a question")
            return
        reader = {
            "multichoice": self._multichoice,
            "truefalse": self._truefalse,
            "shortanswer": self._shortanswer,
            "numerical": self._numerical,
            "matching": self._matching,
            "essay": self._essay,
            "ddwtos": self._ddwtos,
            "gapselect": self._gapselect,
            "cloze": self._cloze,
        }.get(kind)
        if reader is None:
            self.problem(element, f"the Moodle question type {kind!r} ({name!r}) has no counterpart here")
            return
        text, fmt = _formatted(element.find("questiontext"))
        if fmt == "html":
            text = sanitise_html(text).strip()
            if "@@PLUGINFILE@@" in text:
                self.note(element, f"{name!r}: embedded files (pictures, sounds) are not imported")
        raw: dict[str, Any] = {"type": kind, "text": text}
        before = len(self.result.problems)
        reader(element, raw)
        if len(self.result.problems) > before:
            return
        if fmt != "markdown":
            raw["format"] = fmt
        if name:
            raw["title"] = name
        if self.category:
            raw["category"] = self.category
        explanation = _plain(element.find("generalfeedback"))
        if explanation:
            raw["explanation"] = explanation
        grade = element.findtext("defaultgrade") or ""
        try:
            points = float(grade) if grade.strip() else 1.0
        except ValueError:
            self.problem(element, f"<defaultgrade> {grade!r} is not a number")
            return
        if points != 1:
            raw["points"] = int(points) if points.is_integer() else points
        tags, data, english = self._tags(element)
        if tags:
            raw["tags"] = tags
        raw["id"] = self._id(element, element.findtext("idnumber") or "", name, raw["text"])
        if raw.get("title") == raw["id"]:
            del raw["title"]
        if data is not None:
            keep = {k: raw[k] for k in ("id",)}
            raw.clear()
            raw.update({**data.get("body", {}), **keep})
            for key in ("type", "text", "points", "explanation", "tags"):
                if key in data:
                    raw[key] = data[key]
        if english is not None:
            raw["en"] = english
        line = element.sourceline or 1

        def where(message: str, *_at: str | int) -> None:
            self.result.problems.append((line, f"{name or raw['id']!r}: {message}"))

        question = parse_question(raw, where, line)
        if question is not None:
            self.result.questions.append(question)

    def _tags(self, element: Any) -> tuple[list[str], dict[str, Any] | None, dict[str, Any] | None]:
        tags: list[str] = []
        data = english = None
        for tag in element.findall("tags/tag"):
            value = _text(tag).strip()
            for prefix in (DATA_TAG, ENGLISH_TAG):
                if value.startswith(prefix):
                    try:
                        loaded = json.loads(value[len(prefix) :])
                    except json.JSONDecodeError as err:
                        self.problem(tag, f"the tag {prefix} is not valid JSON: {err}")
                        break
                    if not isinstance(loaded, dict):
                        self.problem(tag, f"the tag {prefix} must hold a JSON object")
                    elif prefix == DATA_TAG:
                        data = loaded
                    else:
                        english = loaded
                    break
            else:
                if value and value not in tags:
                    tags.append(value)
        return tags, data, english

    def _id(self, element: Any, idnumber: str, name: str, text: str) -> str:
        idnumber = idnumber.strip()
        if idnumber and QUESTION_ID.match(idnumber):
            if idnumber in self.used:
                self.problem(element, f"the idnumber {idnumber!r} is used twice")
            self.used.add(idnumber)
            return idnumber
        base = slugify(idnumber or name or html_to_text(text)[:50])
        qid, n = base, 2
        while qid in self.used:
            qid, n = f"{base}-{n}", n + 1
        self.used.add(qid)
        return qid

    # -- the types ------------------------------------------------------------------------------

    def _answers(self, element: Any) -> list[Any]:
        return element.findall("answer")

    def _multichoice(self, element: Any, raw: dict[str, Any]) -> None:
        single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
        raw["type"] = "single" if single else "multiple"
        choices = []
        for answer in self._answers(element):
            choice: dict[str, Any] = {"text": _plain(answer), "weight": _fraction(answer)}
            feedback = _plain(answer.find("feedback"))
            if feedback:
                choice["feedback"] = feedback
            choices.append(choice)
        raw["choices"] = choices

    def _truefalse(self, element: Any, raw: dict[str, Any]) -> None:
        values: dict[bool, Any] = {}
        for answer in self._answers(element):
            word = _plain(answer).lower()
            if word in ("true", "false"):
                values[word == "true"] = answer
        if set(values) != {True, False}:
            self.problem(element, "a truefalse question needs a 'true' and a 'false' answer")
            return
        raw["answer"] = _fraction(values[True]) > _fraction(values[False])
        for value, key in ((True, "feedback_true"), (False, "feedback_false")):
            feedback = _plain(values[value].find("feedback"))
            if feedback:
                raw[key] = feedback

    def _shortanswer(self, element: Any, raw: dict[str, Any]) -> None:
        raw["type"] = "short"
        answers = []
        for answer in self._answers(element):
            text, feedback = _plain(answer), _plain(answer.find("feedback"))
            if text == "*" and _fraction(answer) == 0:
                if feedback:
                    raw["other_feedback"] = feedback
                continue
            if "*" in text:
                self.problem(answer, f"the wildcard answer {text!r} has no counterpart here (only a 0 % '*')")
                continue
            item: dict[str, Any] = {"text": text, "weight": _fraction(answer)}
            if feedback:
                item["feedback"] = feedback
            answers.append(item)
        raw["answers"] = answers

    def _numerical(self, element: Any, raw: dict[str, Any]) -> None:
        raw["type"] = "numeric"
        if element.find("units/unit") is not None:
            self.note(element, "units are ignored: the answer is the number alone")
        answers = []
        for answer in self._answers(element):
            text, feedback = _plain(answer), _plain(answer.find("feedback"))
            if text == "*":
                if feedback:
                    raw["other_feedback"] = feedback
                continue
            try:
                value = float(text)
                tolerance = abs(float((answer.findtext("tolerance") or "0").strip() or 0))
            except ValueError:
                self.problem(answer, f"the numerical answer {text!r} is not a number")
                continue
            item: dict[str, Any] = {
                "value": int(value) if value.is_integer() else value,
                "tolerance": int(tolerance) if tolerance.is_integer() else tolerance,
                "weight": _fraction(answer),
            }
            if feedback:
                item["feedback"] = feedback
            answers.append(item)
        raw["answers"] = answers

    def _matching(self, element: Any, raw: dict[str, Any]) -> None:
        pairs, distractors = [], []
        for sub in element.findall("subquestion"):
            left = (
                html_to_text(_text(sub))
                if sub.get("format", "html") in ("html", "moodle_auto_format")
                else _text(sub).strip()
            )
            right = _text(sub, "answer/text").strip()
            if left:
                pairs.append({"left": left, "right": right})
            elif right:
                distractors.append(right)
        raw["pairs"] = pairs
        if distractors:
            raw["distractors"] = distractors

    def _essay(self, element: Any, raw: dict[str, Any]) -> None:
        rubric = _plain(element.find("graderinfo"))
        if rubric:
            raw["rubric"] = rubric

    def _places(self, element: Any, raw: dict[str, Any], tag: str) -> None:
        choices = [html_to_text(_text(choice)) for choice in element.findall(tag)]
        counter = iter(range(1, 1000))
        gaps: list[dict[str, Any]] = []

        def gap(found: re.Match[str]) -> str:
            number = int(found.group(1))
            if not 1 <= number <= len(choices):
                self.problem(element, f"the place [[{number}]] has no choice {number}")
                return found.group(0)
            gaps.append({"answers": [choices[number - 1]]})
            return "{{" + str(next(counter)) + "}}"

        raw["type"] = "cloze"
        raw["text"] = PLACE.sub(gap, raw["text"])
        raw["gaps"] = gaps
        self.note(element, "the choices to drag or select become gaps to type the right choice into")

    def _ddwtos(self, element: Any, raw: dict[str, Any]) -> None:
        self._places(element, raw, "dragbox")

    def _gapselect(self, element: Any, raw: dict[str, Any]) -> None:
        self._places(element, raw, "selectoption")

    def _cloze(self, element: Any, raw: dict[str, Any]) -> None:
        counter = iter(range(1, 1000))
        gaps: list[dict[str, Any]] = []
        dropped = False

        def gap(found: re.Match[str]) -> str:
            nonlocal dropped
            kind = found.group(2)
            if kind in ("MULTIRESPONSE", "MR", "MRS", "MULTIRESPONSE_H", "MRH", "MULTIRESPONSE_HS", "MRHS"):
                self.problem(element, f"a {kind} part has no counterpart here")
                return found.group(0)
            right = []
            for part in re.split(r"(?<!\\)~", found.group(3)):
                answer = re.split(r"(?<!\\)#", part, maxsplit=1)[0]
                weight = re.match(r"^(=|%(-?[\d.]+)%)", answer)
                full = weight is not None and (weight.group(1) == "=" or float(weight.group(2) or 0) == 100)
                text = html_to_text(answer[weight.end() :] if weight else answer).replace("\\", "")
                if kind in ("NUMERICAL", "NM") and ":" in text:
                    text, _tolerance = text.split(":", 1)  # a typed gap: the number itself
                if full and text and text != "*":
                    right.append(text)
                elif text:
                    dropped = True
            if not right:
                self.problem(element, f"the part {found.group(0)[:40]!r} has no full-credit answer")
            gaps.append({"answers": right})
            return "{{" + str(next(counter)) + "}}"

        raw["text"] = EMBEDDED.sub(gap, raw["text"])
        raw["gaps"] = gaps
        if dropped:
            self.note(
                element, "only full-credit answers are kept: each gap is typed, partial credit is dropped"
            )


def _root(data: bytes) -> tuple[Any, Problem | None]:
    try:
        SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as err:
        return None, (1, f"the XML declares a DTD or entities, which are refused ({type(err).__name__})")
    except SafeET.ParseError as err:
        return None, (err.position[0] if err.position else 1, f"not well-formed XML: {err}")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True)
    try:
        return etree.fromstring(data, parser), None
    except etree.XMLSyntaxError as err:
        return None, (err.lineno or 1, f"not well-formed XML: {err.msg}")


def read_moodle_xml(data: bytes) -> MoodleImport:
    """Questions, problems and notes from a Moodle XML file; any problem means no questions."""
    root, problem = _root(data)
    if problem is not None:
        return MoodleImport(problems=[problem])
    reader = _Reader()
    reader.read(root)
    result = reader.result
    if result.problems:
        return MoodleImport(problems=sorted(set(result.problems)), notes=sorted(result.notes))
    if not result.questions:
        result.problems.append((1, "the file holds no questions"))
    return result


def parse_moodle_xml(data: bytes) -> tuple[list[QuestionSpec], list[Problem]]:
    """Questions from a Moodle XML file and every problem as (line, message); any problem means none."""
    result = read_moodle_xml(data)
    return ([], result.problems) if result.problems else (result.questions, [])


# -- export ---------------------------------------------------------------------------------------


def _sub(parent: Any, tag: str, text: str | None = None, **attributes: str) -> Any:
    element = etree.SubElement(parent, tag, **attributes)
    if text is not None:
        etree.SubElement(element, "text").text = text
    return element


def _value(parent: Any, tag: str, value: str) -> None:
    etree.SubElement(parent, tag).text = value


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _answer(parent: Any, text: str, weight: float, feedback: str = "") -> Any:
    answer = _sub(parent, "answer", text, fraction=_number(weight), format="plain_text")
    _sub(answer, "feedback", feedback, format="plain_text")
    return answer


def _escape_cloze(text: str) -> str:
    return re.sub(r"([}#~/\\\"])", r"\\\1", text)


def _native(question: QuestionSpec) -> tuple[str, str, Any]:
    """The Moodle type, question text and a function adding the type's elements."""
    body, qtype = question.body, question.type
    text = question.text

    def nothing(_element: Any) -> None:
        return None

    if qtype in ("single", "multiple"):

        def choices(element: Any) -> None:
            _value(element, "single", "true" if qtype == "single" else "false")
            _value(element, "shuffleanswers", "true")
            _value(element, "answernumbering", "abc")
            for choice in body["choices"]:
                _answer(element, choice["text"], choice["weight"], choice.get("feedback", ""))

        return "multichoice", text, choices
    if qtype == "truefalse":

        def truefalse(element: Any) -> None:
            _answer(element, "true", 100 if body["answer"] else 0, body.get("feedback_true", ""))
            _answer(element, "false", 0 if body["answer"] else 100, body.get("feedback_false", ""))

        return "truefalse", text, truefalse
    if qtype == "short":

        def short(element: Any) -> None:
            _value(element, "usecase", "0")
            for answer in body["answers"]:
                _answer(element, answer["text"], answer["weight"], answer.get("feedback", ""))
            if body.get("other_feedback"):
                _answer(element, "*", 0, body["other_feedback"])

        return "shortanswer", text, short
    if qtype == "numeric":

        def numeric(element: Any) -> None:
            for answer in body["answers"]:
                if "min" in answer:
                    middle = (answer["min"] + answer["max"]) / 2
                    value, tolerance = middle, answer["max"] - middle
                else:
                    value, tolerance = answer["value"], answer.get("tolerance", 0)
                item = _answer(element, _number(value), answer["weight"], answer.get("feedback", ""))
                _value(item, "tolerance", _number(tolerance))
            if body.get("other_feedback"):
                _answer(element, "*", 0, body["other_feedback"])

        return "numerical", text, numeric
    if qtype in ("matching", "ordering"):
        pairs = body.get("pairs") or [
            {"left": str(n), "right": item} for n, item in enumerate(body["items"], 1)
        ]

        def matching(element: Any) -> None:
            _value(element, "shuffleanswers", "true")
            for pair in pairs:
                sub = _sub(element, "subquestion", pair["left"], format="plain_text")
                _sub(sub, "answer", pair["right"])
            for distractor in body.get("distractors", []):
                sub = _sub(element, "subquestion", "", format="plain_text")
                _sub(sub, "answer", distractor)

        return "matching", text, matching
    if qtype == "cloze":

        def part(found: re.Match[str]) -> str:
            answers = body["gaps"][int(found.group(1)) - 1]["answers"]
            return "{1:SHORTANSWER:" + "~".join("=" + _escape_cloze(a) for a in answers) + "}"

        return "cloze", GAP.sub(part, text), nothing
    if qtype == "essay":

        def essay(element: Any) -> None:
            _value(element, "responseformat", "editor")
            _sub(element, "graderinfo", body.get("rubric", ""), format="plain_text")

        return "essay", text, essay
    # reply (and any type Moodle lacks): an essay showing the shopper's message, graded by hand there
    customer = body.get("customer", "")

    def stand_in(element: Any) -> None:
        _value(element, "responseformat", "plain")
        info = "\n".join(
            [
                f"{g.get('points', g.get('penalty'))}: {' | '.join(g['phrases'])}"
                for g in body.get("key_points", [])
            ]
            + ([body["model_answer"]] if body.get("model_answer") else [])
        )
        _sub(element, "graderinfo", info, format="plain_text")

    return "essay", text + (f"\n\n> {customer}" if customer else ""), stand_in


def _fields(question: QuestionSpec) -> dict[str, Any]:
    return json.loads(
        json.dumps(
            {
                "type": question.type,
                "text": question.text,
                "points": question.points,
                "explanation": question.explanation,
                "tags": list(question.tags),
                "body": question.body,
            }
        )
    )


def _element(question: QuestionSpec, extra: dict[str, Any] | None) -> Any:
    kind, text, add = _native(question)
    fmt = TO_MOODLE_FORMAT.get(question.body.get("format", "markdown"), "markdown")
    element = etree.Element("question", type=kind)
    _sub(element, "name", question.body.get("title") or question.id)
    _sub(element, "questiontext", text, format=fmt)
    _sub(element, "generalfeedback", question.explanation, format="markdown")
    _value(element, "defaultgrade", _number(question.points))
    _value(element, "penalty", "0")
    _value(element, "hidden", "0")
    _value(element, "idnumber", question.id)
    add(element)
    tags = [t for t in question.tags if t.strip() == t and t]
    if extra:
        tags.append(DATA_TAG + json.dumps(extra, ensure_ascii=False, sort_keys=True))
    if question.en:
        tags.append(ENGLISH_TAG + json.dumps(question.en, ensure_ascii=False, sort_keys=True))
    if tags:
        holder = etree.SubElement(element, "tags")
        for tag in tags:
            _sub(holder, "tag", tag)
    return element


def _document(elements: list[Any]) -> bytes:
    root = etree.Element("quiz")
    root.extend(elements)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _category(name: str) -> Any:
    element = etree.Element("question", type="category")
    _sub(element, "category", f"$course$/{name}" if name else "$course$/top")
    return element


def to_moodle_element(question: QuestionSpec) -> Any:
    """One question as a Moodle `<question>`, with an `lms-data:` tag when Moodle's XML falls short."""
    plain = _element(question, None)
    category = [_category(question.body["category"])] if question.body.get("category") else []
    back = read_moodle_xml(_document([*category, plain]))
    wanted = replace(question, line=0)
    if len(back.questions) == 1 and replace(back.questions[0], line=0) == wanted:
        return plain
    return _element(question, _fields(question))


def export_moodle_xml(questions: list[QuestionSpec]) -> bytes:
    """A Moodle XML file of the questions, a category question before each change of category."""
    elements = []
    category: str | None = None
    for question in questions:
        wanted = question.body.get("category", "")
        if wanted != category and (wanted or category is not None):
            elements.append(_category(wanted))
        category = wanted
        elements.append(to_moodle_element(question))
    return _document(elements)
