"""The Excel (.xlsx) question template: one row per question, the way Chinese training teams keep banks.

The sheet `题目 Questions` has a header row (each header Chinese and English; either half alone is
read too, so a team's own sheet with 题型/题干/选项A/答案 columns imports) and one question per row:
type, stem, options A–Z, the answer (letters for choices; 对/错 for true/false; `|` between accepted
texts; `2700`, `2700±5` or `18~22` for numbers; gaps split by `；`; an essay's rubric), points,
explanation, tags, category, the reply columns (customer's message, key points and forbidden words
as `2：抱歉|对不起` one group a line, model reply, seconds) and the English beside the Chinese
(question, options one a line, explanation, customer, model reply). The sheet `说明 Help` explains
every column.

Import reads what the cells hold (formulas as their last computed values, as Excel and WPS save
them) and reports every problem by sheet, row and column; a file with any problem imports nothing.
Matching and ordering questions have no form in the template and are refused by row, naming the
type column. Export writes the same sheet; what a question has beyond the template (per-option
feedback, partial weights, a pattern …) is reported, never dropped silently, and a cell beginning
with `= + - @` is written as text with Excel's quote prefix, so it is never taken for a formula.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from lms.content.gift import slugify
from lms.content.questions.base import number_of
from lms.content.questions.reply import DEFAULT_TARGET
from lms.content.quizzes import parse_question
from lms.content.specs import QuestionSpec

SHEET = "题目 Questions"
HELP_SHEET = "说明 Help"
#: Option columns the template always shows (more are read, up to Z).
TEMPLATE_OPTIONS = 6
MAX_ROWS = 5000
#: The most an uploaded workbook may unpack to (a small zip can hold a huge sheet).
MAX_UNPACKED = 50_000_000


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    help_zh: str
    help_en: str

    @property
    def header(self) -> str:
        return f"{self.zh} {self.en}"


COLUMNS: tuple[Column, ...] = (
    Column(
        "id",
        "题号",
        "ID",
        "可留空；填写则为字母、数字和短横线，同一题再次导入会成为新版本",
        "Optional; a-z, 0-9 and dashes. Importing the same id again makes a new version",
    ),
    Column(
        "type",
        "题型",
        "Type",
        "单选题、多选题、判断题、填空题、数值题、完形填空、问答题、回复题",
        "single, multiple, truefalse, short, numeric, cloze, essay, reply",
    ),
    Column(
        "text",
        "题干",
        "Question",
        "题目正文（中文）。完形填空用 {{1}} {{2}} 标出空位",
        "The question (Chinese). A cloze marks its gaps {{1}} {{2}}",
    ),
    # the option columns go here (选项A Option A …)
    Column(
        "answer",
        "答案",
        "Answer",
        "单选填一个字母（B）；多选填多个字母（ACD）；判断填 对 或 错；填空用 | 分隔可接受的答案；"
        "数值填 2700、2700±5 或 18~22；完形填空每空用 ； 分隔；问答题可填评分要点；回复题留空",
        "Single: one letter (B); multiple: letters (ACD); true/false: 对 or 错; short: accepted answers "
        "split by |; numeric: 2700, 2700±5 or 18~22; cloze: gaps split by ；; essay: the rubric; reply: empty",
    ),
    Column(
        "points",
        "分值",
        "Points",
        "可留空（默认1分；回复题为关键点分值之和）",
        "Optional (1; a reply: the sum of its key points)",
    ),
    Column("explanation", "解析", "Explanation", "交卷后显示", "Shown after submission"),
    Column(
        "tags",
        "标签",
        "Tags",
        "用逗号分隔，如 returns, after-sales",
        "Split by commas, e.g. returns, after-sales",
    ),
    Column("category", "分类", "Category", "可留空", "Optional"),
    Column(
        "customer", "顾客消息", "Customer message", "回复题：顾客发来的消息", "Reply: the shopper's message"
    ),
    Column(
        "key_points",
        "关键点",
        "Key points",
        "回复题：每行一组，“分值：短语|短语”，任一短语出现即得分，如 2：抱歉|对不起",
        "Reply: one group a line, 'points: phrase|phrase', any phrase counts, e.g. 2：抱歉|对不起",
    ),
    Column(
        "forbidden",
        "禁用语",
        "Forbidden words",
        "回复题：每行一组，“扣分：短语|短语”，如 3：爱买不买|不买拉倒",
        "Reply: one group a line, 'penalty: phrase|phrase', e.g. 3：爱买不买|不买拉倒",
    ),
    Column(
        "model_answer",
        "参考回复",
        "Model reply",
        "回复题：满分示范（须含全部关键点）",
        "Reply: a full-marks example (must meet every key point)",
    ),
    Column(
        "target_seconds",
        "时限秒",
        "Target seconds",
        f"回复题：首次回复时限，默认 {DEFAULT_TARGET} 秒",
        f"Reply: seconds for the first answer, {DEFAULT_TARGET} by default",
    ),
    Column(
        "en_text", "题干（英文）", "Question (English)", "英文对照，可留空", "The English beside it, optional"
    ),
    Column(
        "en_choices",
        "选项（英文）",
        "Options (English)",
        "每行一个选项，顺序同 A、B、C…",
        "One option a line, in the order A, B, C…",
    ),
    Column("en_explanation", "解析（英文）", "Explanation (English)", "可留空", "Optional"),
    Column(
        "en_customer", "顾客消息（英文）", "Customer message (English)", "回复题，可留空", "Reply, optional"
    ),
    Column(
        "en_model_answer", "参考回复（英文）", "Model reply (English)", "回复题，可留空", "Reply, optional"
    ),
)
BY_KEY = {c.key: c for c in COLUMNS}
OPTION_HEADER = re.compile(r"^(?:选项\s*([A-Z])|option\s*([A-Z]))(?:\s+option\s*[A-Z])?$", re.IGNORECASE)

#: Type names read (Chinese as the teams write them, and ours); the first is what export writes.
TYPE_NAMES: dict[str, tuple[str, ...]] = {
    "single": ("单选题", "单选", "单项选择题", "single"),
    "multiple": ("多选题", "多选", "多项选择题", "不定项选择题", "multiple"),
    "truefalse": ("判断题", "判断", "truefalse", "true/false"),
    "short": ("填空题", "填空", "short"),
    "numeric": ("数值题", "数值", "计算题", "numeric"),
    "cloze": ("完形填空", "多空填空", "cloze"),
    "essay": ("问答题", "简答题", "论述题", "essay"),
    "reply": ("回复题", "话术题", "reply"),
}
NOT_HELD = {"matching": ("匹配题", "连线题", "matching"), "ordering": ("排序题", "ordering")}
TRUE_WORDS = {"对", "正确", "是", "√", "✓", "T", "TRUE", "Y", "YES"}
FALSE_WORDS = {"错", "错误", "否", "×", "✗", "F", "FALSE", "N", "NO"}
GROUP = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[:：]\s*(.*)$")
BLANKS = re.compile(r"_{3,}")
#: What a cell may not begin with unescaped: a spreadsheet takes it for a formula.
FORMULA_START = ("=", "+", "-", "@")

Problem = tuple[int, str]


def _type_of(name: str) -> str | None:
    wanted = unicodedata.normalize("NFKC", name).strip().lower()
    for key, names in {**TYPE_NAMES, **NOT_HELD}.items():
        if wanted in {n.lower() for n in names}:
            return key
    return None


def _cell_text(value: Any) -> str:
    """A cell's value as text: numbers without a trailing .0, booleans as TRUE/FALSE."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return str(number_of(value)) if value == value else ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _split(text: str, pattern: str) -> list[str]:
    return [part.strip() for part in re.split(pattern, text) if part.strip()]


def _number(text: str) -> float | None:
    try:
        value = float(unicodedata.normalize("NFKC", text).replace(",", ""))
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


# -- reading -------------------------------------------------------------------------------------


@dataclass
class _Row:
    """One question row: its cells by column key (options as a list), and where each cell is."""

    number: int
    cells: dict[str, str]
    options: list[str]
    letters: dict[str, str]  # column key → column letter

    def get(self, key: str) -> str:
        return self.cells.get(key, "")


class _RowReader:
    def __init__(self, sheet: str, columns: dict[str, int], option_columns: list[int]) -> None:
        self.sheet = sheet
        self.columns = columns
        self.option_columns = option_columns
        self.problems: list[Problem] = []

    def problem(self, row: _Row, key: str | None, message: str, option: int | None = None) -> None:
        if option is not None and option < len(self.option_columns):
            letter = get_column_letter(self.option_columns[option])
            place = f"column {letter} (选项{chr(65 + option)} Option {chr(65 + option)})"
        elif key is not None and key in self.columns:
            place = f"column {get_column_letter(self.columns[key])} ({BY_KEY[key].header})"
        elif key is not None and key in BY_KEY:
            place = f"column {BY_KEY[key].header} (not in the sheet)"
        else:
            place = ""
        self.problems.append(
            (
                row.number,
                f"sheet {self.sheet!r}, row {row.number}" + (f", {place}" if place else "") + f": {message}",
            )
        )

    def question(self, row: _Row, used: set[str]) -> QuestionSpec | None:
        before = len(self.problems)
        type_cell = row.get("type")
        if not type_cell:
            self.problem(
                row,
                "type",
                "no question type (单选题, 多选题, 判断题, 填空题, 数值题, 完形填空, 问答题 or 回复题)",
            )
            return None
        qtype = _type_of(type_cell)
        if qtype in NOT_HELD:
            self.problem(
                row,
                "type",
                f"a {qtype} question ({type_cell}) cannot be written in the Excel template: "
                "import it as GIFT or Moodle XML",
            )
            return None
        if qtype is None:
            self.problem(row, "type", f"unknown question type {type_cell!r}")
            return None
        raw: dict[str, Any] = {"type": qtype, "text": row.get("text")}
        if qtype == "cloze" and "{{" not in raw["text"]:
            counter = iter(range(1, 100))
            raw["text"] = BLANKS.sub(lambda _m: f"{{{{{next(counter)}}}}}", raw["text"])
        self._body(row, qtype, raw)
        for key in ("explanation", "category"):
            if row.get(key):
                raw[key] = row.get(key)
        if row.get("tags"):
            raw["tags"] = _split(row.get("tags"), r"[,，、;；\s]+")
        if row.get("points"):
            points = _number(row.get("points"))
            if points is None:
                self.problem(row, "points", f"{row.get('points')!r} is not a number")
            else:
                raw["points"] = number_of(points)
        english = self._english(row, qtype)
        if english:
            raw["en"] = english
        raw["id"] = self._id(row, raw, used)
        if len(self.problems) > before:
            return None

        def where(message: str, *at: str | int) -> None:
            key = str(at[0]) if at else None
            option = at[1] if key == "choices" and len(at) > 1 and isinstance(at[1], int) else None
            column = KEY_COLUMNS.get(key or "", key)
            if key == "en":
                column = "en_text"
            self.problem(row, column if column in BY_KEY else None, message, option)

        return parse_question(raw, where, row.number)

    def _id(self, row: _Row, raw: dict[str, Any], used: set[str]) -> str:
        given = row.get("id")
        if given:
            if given in used:
                self.problem(row, "id", f"the id {given!r} is used twice")
            used.add(given)
            return given
        text = re.sub(r"\{\{\d+\}\}", " ", str(raw.get("text", "")))[:50]
        base = (
            slugify(text)
            if re.search(r"[A-Za-z0-9]", text)
            else "q-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        )
        qid, n = base, 2
        while qid in used:
            qid, n = f"{base}-{n}", n + 1
        used.add(qid)
        return qid

    def _body(self, row: _Row, qtype: str, raw: dict[str, Any]) -> None:
        answer = row.get("answer")
        if qtype in ("single", "multiple"):
            self._choices(row, qtype, raw, answer)
            return
        self._no_options(row, qtype)
        if qtype == "truefalse":
            word = unicodedata.normalize("NFKC", answer).strip().upper()
            if word in TRUE_WORDS:
                raw["answer"] = True
            elif word in FALSE_WORDS:
                raw["answer"] = False
            else:
                self.problem(row, "answer", f"{answer!r} is not 对 or 错 (true or false)")
        elif qtype == "short":
            texts = _split(answer, r"[|｜]")
            if not texts:
                self.problem(row, "answer", "give the accepted answers, split by |")
            raw["answers"] = [{"text": t, "weight": 100} for t in texts]
        elif qtype == "numeric":
            raw["answers"] = self._numeric(row, answer)
        elif qtype == "cloze":
            gaps = _split(answer, r"[;；\n]")
            raw["gaps"] = [{"answers": _split(gap, r"[|｜]")} for gap in gaps]
            if not gaps:
                self.problem(row, "answer", "give each gap's answers, gaps split by ；")
        elif qtype == "essay":
            if answer:
                raw["rubric"] = answer
        elif qtype == "reply":
            if answer:
                self.problem(row, "answer", "a reply question's answer goes in 关键点 Key points, not here")
            raw["customer"] = row.get("customer")
            raw["key_points"] = self._groups(row, "key_points", "points")
            raw["forbidden"] = self._groups(row, "forbidden", "penalty")
            if row.get("model_answer"):
                raw["model_answer"] = row.get("model_answer")
            if row.get("target_seconds"):
                seconds = _number(row.get("target_seconds"))
                if seconds is None:
                    self.problem(
                        row, "target_seconds", f"{row.get('target_seconds')!r} is not a number of seconds"
                    )
                else:
                    raw["target_seconds"] = number_of(seconds)
        if qtype != "reply":
            for key in ("customer", "key_points", "forbidden", "model_answer", "target_seconds"):
                if row.get(key):
                    self.problem(row, key, f"only a reply question has {BY_KEY[key].header}")

    def _choices(self, row: _Row, qtype: str, raw: dict[str, Any], answer: str) -> None:
        options = list(row.options)
        while options and not options[-1]:
            options.pop()
        for index, text in enumerate(options):
            if not text:
                self.problem(row, None, f"option {chr(65 + index)} is empty but a later option is not", index)
        letters = [
            c for c in unicodedata.normalize("NFKC", answer).upper() if not re.match(r"[\s,，、;；]", c)
        ]
        allowed = [chr(65 + i) for i in range(len(options))]
        if not letters:
            self.problem(
                row, "answer", "give the right option's letter" + ("s" if qtype == "multiple" else "")
            )
        for letter in letters:
            if letter not in allowed:
                shown = f"{allowed[0]}–{allowed[-1]}" if allowed else "none"
                self.problem(row, "answer", f"{letter!r} is not one of the options ({shown})")
        if len(set(letters)) != len(letters):
            self.problem(row, "answer", "a letter is given twice")
        if qtype == "single" and len(letters) > 1:
            self.problem(
                row,
                "answer",
                f"a single-choice question has one right letter, not {''.join(letters)} (use 多选题)",
            )
        share = number_of(round(100 / len(set(letters)), 5)) if letters else 0
        raw["choices"] = [
            {"text": text, "weight": (100 if qtype == "single" else share) if chr(65 + i) in letters else 0}
            for i, text in enumerate(options)
        ]

    def _no_options(self, row: _Row, qtype: str) -> None:
        for index, text in enumerate(row.options):
            if text:
                self.problem(row, None, f"a {qtype} question has no options", index)
                return

    def _numeric(self, row: _Row, answer: str) -> list[dict[str, Any]]:
        text = unicodedata.normalize("NFKC", answer).replace(" ", "")
        found = re.fullmatch(r"(.+?)(?:±|\+-|\+/-)(.+)", text)
        span = re.fullmatch(r"(-?[\d.,]+)[~～](-?[\d.,]+)", text)
        if found:
            value, tolerance = _number(found.group(1)), _number(found.group(2))
            if value is not None and tolerance is not None:
                return [{"value": number_of(value), "tolerance": number_of(tolerance), "weight": 100}]
        elif span:
            low, high = _number(span.group(1)), _number(span.group(2))
            if low is not None and high is not None:
                return [{"min": number_of(low), "max": number_of(high), "weight": 100}]
        else:
            value = _number(text)
            if value is not None:
                return [{"value": number_of(value), "tolerance": 0, "weight": 100}]
        self.problem(row, "answer", f"{answer!r} is not a number, number±tolerance or min~max")
        return []

    def _groups(self, row: _Row, key: str, amount: str) -> list[dict[str, Any]]:
        groups = []
        for line in _split(row.get(key), r"[\n;；]"):
            found = GROUP.match(line)
            value: int | float = 1
            if found:
                value = number_of(float(found.group(1)))
                line = found.group(2)
            groups.append({amount: value, "phrases": _split(line, r"[|｜]")})
        return groups

    def _english(self, row: _Row, qtype: str) -> dict[str, Any]:
        english: dict[str, Any] = {}
        for key, column in (("text", "en_text"), ("explanation", "en_explanation")):
            if row.get(column):
                english[key] = row.get(column)
        if qtype == "reply":
            for key in ("customer", "model_answer"):
                if row.get(f"en_{key}"):
                    english[key] = row.get(f"en_{key}")
        else:
            for key in ("en_customer", "en_model_answer"):
                if row.get(key):
                    self.problem(row, key, f"only a reply question has {BY_KEY[key].header}")
        if row.get("en_choices"):
            lines = [line.strip() for line in row.get("en_choices").split("\n")]
            options = [o for o in row.options if o]
            if qtype not in ("single", "multiple"):
                self.problem(row, "en_choices", f"a {qtype} question has no options")
            elif len(lines) != len(options):
                self.problem(
                    row,
                    "en_choices",
                    f"{len(lines)} English option line(s) for {len(options)} option(s): one a line",
                )
            else:
                english["choices"] = [{"text": line} for line in lines]
        return english


#: Which column a problem about a question key points to.
KEY_COLUMNS = {
    "choices": "answer",
    "answer": "answer",
    "answers": "answer",
    "gaps": "answer",
    "pattern": "answer",
    "rubric": "answer",
    "text": "text",
    "id": "id",
    "type": "type",
    "points": "points",
    "tags": "tags",
    "explanation": "explanation",
    "category": "category",
    "customer": "customer",
    "key_points": "key_points",
    "forbidden": "forbidden",
    "model_answer": "model_answer",
    "target_seconds": "target_seconds",
}


def _header_key(value: str) -> tuple[str, int | None] | None:
    """The column key a header names (either language, or both), or ("option", index)."""
    text = " ".join(unicodedata.normalize("NFKC", value).split())
    if not text:
        return None
    found = OPTION_HEADER.match(text)
    if found:
        return "option", ord((found.group(1) or found.group(2)).upper()) - 65
    lowered = text.lower()
    for column in COLUMNS:
        names = {column.header, column.zh, column.en}
        if lowered in {unicodedata.normalize("NFKC", n).lower() for n in names}:
            return column.key, None
    return None


def parse_xlsx(data: bytes) -> tuple[list[QuestionSpec], list[Problem]]:
    """Questions from an .xlsx file, and every problem as (row, message); any problem means none."""
    try:
        unpacked = sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        unpacked = 0
    if unpacked > MAX_UNPACKED:
        return [], [(1, f"the workbook unpacks to more than {MAX_UNPACKED // 1_000_000} MB: not a question sheet")]
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        return [], [(1, f"not an .xlsx workbook ({type(err).__name__}): save it as Excel Workbook (.xlsx)")]
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        return _read_sheet(sheet)
    finally:
        book.close()


def _read_sheet(sheet: Any) -> tuple[list[QuestionSpec], list[Problem]]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns: dict[str, int] = {}
    options: dict[int, int] = {}
    problems: list[Problem] = []
    for index, value in enumerate(header, start=1):
        found = _header_key(_cell_text(value))
        if found is None:
            continue
        key, option = found
        if key == "option" and option is not None:
            options[option] = index
        elif key in columns:
            problems.append(
                (1, f"sheet {sheet.title!r}, row 1: the column {BY_KEY[key].header} appears twice")
            )
        else:
            columns[key] = index
    for key in ("type", "text"):
        if key not in columns:
            problems.append((1, f"sheet {sheet.title!r}, row 1: no {BY_KEY[key].header} column"))
    if problems:
        return [], problems
    option_columns = [options[i] for i in range(len(options)) if i in options]
    if len(option_columns) != len(options):
        problems.append(
            (1, f"sheet {sheet.title!r}, row 1: the option columns must run 选项A, 选项B, … without a gap")
        )
        return [], problems
    reader = _RowReader(sheet.title, columns, option_columns)
    questions: list[QuestionSpec] = []
    used: set[str] = set()
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            reader.problems.append((number, f"sheet {sheet.title!r}: more than {MAX_ROWS} rows"))
            break
        cells = {key: _cell_text(values[i - 1]) if i - 1 < len(values) else "" for key, i in columns.items()}
        opts = [_cell_text(values[i - 1]) if i - 1 < len(values) else "" for i in option_columns]
        if not any(cells.values()) and not any(opts):
            continue
        question = reader.question(_Row(number, cells, opts, {}), used)
        if question is not None:
            questions.append(question)
    if reader.problems:
        return [], sorted(reader.problems)
    if not questions:
        return [], [(2, f"sheet {sheet.title!r}: no question rows under the header")]
    return questions, []


# -- writing -------------------------------------------------------------------------------------


def _groups_text(groups: list[dict[str, Any]], amount: str) -> str:
    return "\n".join(f"{number_of(g[amount])}：" + "|".join(g["phrases"]) for g in groups)


def _numeric_text(answer: dict[str, Any]) -> str:
    if "min" in answer:
        return f"{number_of(answer['min'])}~{number_of(answer['max'])}"
    if answer.get("tolerance"):
        return f"{number_of(answer['value'])}±{number_of(answer['tolerance'])}"
    return str(number_of(answer["value"]))


def row_of(question: QuestionSpec) -> tuple[dict[str, Any], list[str]] | None:
    """A question as template cells (column key → value) and option texts; None for a type it lacks."""
    body, qtype = question.body, question.type
    if qtype not in TYPE_NAMES:
        return None
    cells: dict[str, Any] = {"id": question.id, "type": TYPE_NAMES[qtype][0], "text": question.text}
    options: list[str] = []
    if qtype in ("single", "multiple"):
        options = [c["text"] for c in body["choices"]]
        cells["answer"] = "".join(
            chr(65 + i) for i, c in enumerate(body["choices"]) if c.get("weight", 0) > 0
        )
    elif qtype == "truefalse":
        cells["answer"] = "对" if body["answer"] else "错"
    elif qtype == "short":
        cells["answer"] = "|".join(a["text"] for a in body["answers"])
    elif qtype == "numeric":
        cells["answer"] = _numeric_text(body["answers"][0]) if body["answers"] else ""
    elif qtype == "cloze":
        cells["answer"] = "；".join("|".join(g["answers"]) for g in body["gaps"])
    elif qtype == "essay":
        cells["answer"] = body.get("rubric", "")
    elif qtype == "reply":
        cells.update(
            customer=body["customer"],
            key_points=_groups_text(body["key_points"], "points"),
            forbidden=_groups_text(body["forbidden"], "penalty"),
            model_answer=body.get("model_answer", ""),
            target_seconds=number_of(body["target_seconds"]),
        )
    cells["points"] = number_of(question.points)
    cells["explanation"] = question.explanation
    cells["tags"] = ", ".join(question.tags)
    cells["category"] = body.get("category", "")
    english = question.en or {}
    cells["en_text"] = english.get("text", "")
    cells["en_explanation"] = english.get("explanation", "")
    if english.get("choices"):
        cells["en_choices"] = "\n".join(str(c.get("text", "")) for c in english["choices"])
    cells["en_customer"] = english.get("customer", "")
    cells["en_model_answer"] = english.get("model_answer", "")
    return cells, options


def _read_back(cells: dict[str, Any], options: list[str]) -> QuestionSpec | None:
    """What importing these cells gives (the same reader, without a workbook)."""
    columns = {c.key: i for i, c in enumerate(COLUMNS, start=1)}
    reader = _RowReader(SHEET, columns, list(range(100, 100 + max(len(options), 1))))
    row = _Row(2, {k: _cell_text(v) for k, v in cells.items()}, [_cell_text(o) for o in options], {})
    question = reader.question(row, set())
    return None if reader.problems else question


def _lost(question: QuestionSpec, back: QuestionSpec | None) -> list[str]:
    if back is None:
        return ["it"]
    lost = [
        name
        for name in ("text", "points", "tags", "explanation")
        if getattr(back, name) != getattr(question, name)
    ]
    lost += sorted(k for k in set(question.body) | set(back.body) if question.body.get(k) != back.body.get(k))
    if back.en != question.en:
        lost.append("English")
    return lost


def export_xlsx(questions: list[QuestionSpec]) -> tuple[bytes, list[str]]:
    """The questions as the template, and what could not be written, one message per question."""
    rows: list[tuple[dict[str, Any], list[str]]] = []
    left_out: list[str] = []
    for question in questions:
        found = row_of(question)
        if found is None:
            left_out.append(f"{question.id}: a {question.type} question has no Excel form (skipped)")
            continue
        lost = _lost(replace(question, line=0), _read_back(*found))
        if lost:
            left_out.append(
                f"{question.id}: the Excel template cannot hold its {', '.join(lost)} (exported without)"
            )
        rows.append(found)
    return _workbook(rows), left_out


def _write(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=column)
    if value is None or value == "":
        return
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever it begins with
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
        if "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _workbook(rows: list[tuple[dict[str, Any], list[str]]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    option_count = max([TEMPLATE_OPTIONS, *(len(options) for _cells, options in rows)])
    layout = _layout(option_count)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for index, (key, header) in enumerate(layout, start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = (
            40 if key in ("text", "customer", "model_answer") else 16
        )
    for number, (cells, options) in enumerate(rows, start=2):
        for index, (key, _header) in enumerate(layout, start=1):
            if key.startswith("option:"):
                position = int(key.split(":")[1])
                value: Any = options[position] if position < len(options) else None
            else:
                value = cells.get(key)
            _write(sheet, number, index, value)
    sheet.freeze_panes = "C2"
    names = ",".join(names[0] for names in TYPE_NAMES.values())
    choice = DataValidation(type="list", formula1=f'"{names}"', allow_blank=True)
    choice.error = "单选题、多选题、判断题、填空题、数值题、完形填空、问答题、回复题"
    sheet.add_data_validation(choice)
    choice.add(f"B2:B{MAX_ROWS + 1}")
    _help_sheet(book.create_sheet(HELP_SHEET), option_count)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _layout(option_count: int) -> list[tuple[str, str]]:
    layout: list[tuple[str, str]] = []
    for column in COLUMNS:
        if column.key == "answer":
            layout += [
                (f"option:{i}", f"选项{chr(65 + i)} Option {chr(65 + i)}") for i in range(option_count)
            ]
        layout.append((column.key, column.header))
    return layout


def _help_sheet(sheet: Worksheet, option_count: int) -> None:
    sheet.append(["列 Column", "说明", "Meaning"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        if column.key == "answer":
            sheet.append(
                [
                    f"选项A … 选项{chr(64 + option_count)} Option A …",
                    "单选题、多选题的选项，从 A 起连续填写；可在右侧加列至 选项Z",
                    "The options of single and multiple choice, from A on without gaps; add columns up to 选项Z",
                ]
            )
        sheet.append([column.header, column.help_zh, column.help_en])
    sheet.append([])
    sheet.append(
        [
            "规则 Rules",
            "任何一行有问题，整个文件都不会导入；预览会按工作表、行、列列出每个问题。公式按计算结果读取。"
            "匹配题和排序题无法用表格表示，请用 GIFT 或 Moodle XML。",
            "A file with any problem imports nothing; the preview lists every problem by sheet, row and column. "
            "Formulas are read as their values. Matching and ordering questions have no form here: use GIFT or Moodle XML.",
        ]
    )
    for letter, width in (("A", 30), ("B", 60), ("C", 70)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def template_xlsx(examples: Callable[[], list[QuestionSpec]] | None = None) -> bytes:
    """The downloadable template: the example rows of every type it holds, and the help sheet."""
    from lms.content.xlsx_examples import example_questions

    data, left_out = export_xlsx((examples or example_questions)())
    assert not left_out, left_out
    return data
