"""IMS QTI 1.2 export: a quiz as a zip Canvas (and Blackboard) import — `imsmanifest.xml` and one assessment.

The package holds `imsmanifest.xml` (IMS Content Packaging 1.1, one resource of type
`imsqti_xmlv1p2` per assessment, listing its file) and `<quiz>/<quiz>.xml`, a `<questestinterop>`
with one `<assessment>`, one `<section>` and an `<item>` per question in QTI 1.2's order
(`itemmetadata`, `presentation`, `resprocessing`, `itemfeedback`), typed the way Canvas reads them
(`question_type` and `points_possible` in the item metadata):

- single → `multiple_choice_question`, multiple → `multiple_answers_question`, truefalse →
  `true_false_question`, short → `short_answer_question`, numeric → `numerical_question` (value ±
  tolerance, or a range), matching → `matching_question`, essay → `essay_question`;
- reply becomes an essay (the shopper's message under the task; graded by hand there) and ordering a
  matching (position → item), each reported; cloze has no QTI 1.2 form Canvas reads and is skipped,
  reported.

Texts are Markdown here and HTML there (rendered and sanitised by `lms.markdown`).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from lxml import etree
from markupsafe import escape

from lms.content.specs import QuestionSpec
from lms.markdown import render_markdown, sanitise_html

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CANVAS_TYPES = {
    "single": "multiple_choice_question",
    "multiple": "multiple_answers_question",
    "truefalse": "true_false_question",
    "short": "short_answer_question",
    "numeric": "numerical_question",
    "matching": "matching_question",
    "essay": "essay_question",
    "reply": "essay_question",
    "ordering": "matching_question",
}


def _html(question_text: str, fmt: str | None) -> str:
    if fmt == "html":
        return sanitise_html(question_text)
    if fmt == "plain":
        return str(escape(question_text)).replace("\n", "<br>")
    return str(render_markdown(question_text))


def _el(parent: Any, tag: str, text: str | None = None, **attributes: str) -> Any:
    element = etree.SubElement(parent, tag, **attributes)
    if text is not None:
        element.text = text
    return element


def _material(parent: Any, text: str, html: bool = False) -> None:
    material = _el(parent, "material")
    _el(material, "mattext", text, texttype="text/html" if html else "text/plain")


def _metadata(item: Any, fields: dict[str, str]) -> None:
    holder = _el(_el(item, "itemmetadata"), "qtimetadata")
    for label, entry in fields.items():
        field = _el(holder, "qtimetadatafield")
        _el(field, "fieldlabel", label)
        _el(field, "fieldentry", entry)


def _outcomes(processing: Any) -> None:
    _el(
        _el(processing, "outcomes"),
        "decvar",
        maxvalue="100",
        minvalue="0",
        varname="SCORE",
        vartype="Decimal",
    )


def _set_score(condition: Any, value: float, action: str = "Set") -> None:
    _el(condition, "setvar", _num(value), action=action, varname="SCORE")


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{float(value):.4f}".rstrip("0")


def _choices(presentation: Any, texts: list[str], cardinality: str) -> list[str]:
    response = _el(presentation, "response_lid", ident="response1", rcardinality=cardinality)
    render = _el(response, "render_choice")
    idents = []
    for index, text in enumerate(texts):
        ident = f"choice{index + 1}"
        label = _el(render, "response_label", ident=ident)
        _material(label, text)
        idents.append(ident)
    return idents


def _item(question: QuestionSpec, qtype: str) -> Any:
    body = question.body
    item = etree.Element("item", ident=question.id, title=str(body.get("title") or question.id))
    _metadata(item, {"question_type": CANVAS_TYPES[qtype], "points_possible": _num(question.points)})
    presentation = _el(item, "presentation")
    text = question.text
    if qtype == "reply" and body.get("customer"):
        text = f"{text}\n\n> {body['customer']}"
    _material(presentation, _html(text, body.get("format")), html=True)
    processing = _el(item, "resprocessing")
    _outcomes(processing)
    if qtype in ("single", "multiple"):
        idents = _choices(
            presentation, [c["text"] for c in body["choices"]], "Single" if qtype == "single" else "Multiple"
        )
        if qtype == "single":
            for ident, choice in zip(idents, body["choices"], strict=True):
                if choice["weight"] > 0:
                    condition = _el(processing, "respcondition", **{"continue": "No"})
                    _el(_el(condition, "conditionvar"), "varequal", ident, respident="response1")
                    _set_score(condition, choice["weight"])
        else:
            condition = _el(processing, "respcondition", **{"continue": "No"})
            both = _el(_el(condition, "conditionvar"), "and")
            for ident, choice in zip(idents, body["choices"], strict=True):
                target = both if choice["weight"] > 0 else _el(both, "not")
                _el(target, "varequal", ident, respident="response1")
            _set_score(condition, 100)
    elif qtype == "truefalse":
        idents = _choices(presentation, ["True", "False"], "Single")
        condition = _el(processing, "respcondition", **{"continue": "No"})
        _el(
            _el(condition, "conditionvar"),
            "varequal",
            idents[0 if body["answer"] else 1],
            respident="response1",
        )
        _set_score(condition, 100)
    elif qtype in ("short", "numeric", "essay", "reply"):
        response = _el(presentation, "response_str", ident="response1", rcardinality="Single")
        render = _el(response, "render_fib", **({"fibtype": "Decimal"} if qtype == "numeric" else {}))
        _el(render, "response_label", ident="answer1", rshuffle="No")
        if qtype == "short":
            for answer in body["answers"]:
                if answer["weight"] > 0:
                    condition = _el(processing, "respcondition", **{"continue": "No"})
                    _el(_el(condition, "conditionvar"), "varequal", answer["text"], respident="response1")
                    _set_score(condition, answer["weight"])
        elif qtype == "numeric":
            for answer in body["answers"]:
                if answer["weight"] <= 0:
                    continue
                if "min" in answer:
                    low, high = answer["min"], answer["max"]
                else:
                    low, high = (
                        answer["value"] - answer.get("tolerance", 0),
                        answer["value"] + answer.get("tolerance", 0),
                    )
                condition = _el(processing, "respcondition", **{"continue": "No"})
                both = _el(_el(condition, "conditionvar"), "and")
                _el(both, "vargte", _num(low), respident="response1")
                _el(both, "varlte", _num(high), respident="response1")
                _set_score(condition, answer["weight"])
    elif qtype in ("matching", "ordering"):
        pairs = body.get("pairs") or [
            {"left": str(n), "right": item} for n, item in enumerate(body["items"], 1)
        ]
        rights = [p["right"] for p in pairs] + list(body.get("distractors", []))
        share = 100 / len(pairs)
        for index, pair in enumerate(pairs, start=1):
            response = _el(presentation, "response_lid", ident=f"response{index}")
            _material(response, pair["left"])
            render = _el(response, "render_choice")
            for number, right in enumerate(rights, start=1):
                _material(_el(render, "response_label", ident=f"right{number}"), right)
            condition = _el(processing, "respcondition")
            _el(_el(condition, "conditionvar"), "varequal", f"right{index}", respident=f"response{index}")
            _set_score(condition, share, "Add")
    if question.explanation:
        feedback = _el(item, "itemfeedback", ident="general_fb")
        flow = _el(feedback, "flow_mat")
        _material(flow, _html(question.explanation, None), html=True)
    return item


def _ident(slug: str) -> str:
    return "lms-" + re.sub(r"[^A-Za-z0-9_-]", "-", slug)


def export_qti(slug: str, title: str, questions: list[QuestionSpec]) -> tuple[bytes, list[str]]:
    """A QTI 1.2 package (zip bytes) of the quiz, and what was changed or left out, one line each."""
    left_out: list[str] = []
    root = etree.Element(
        f"{{{QTI_NS}}}questestinterop",
        nsmap={None: QTI_NS, "xsi": XSI},
        attrib={f"{{{XSI}}}schemaLocation": f"{QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"},
    )
    ident = _ident(slug)
    assessment = _el(root, "assessment", ident=ident, title=title)
    section = _el(assessment, "section", ident="root_section")
    for question in questions:
        if question.type not in CANVAS_TYPES:
            left_out.append(f"{question.id}: a {question.type} question has no QTI 1.2 form (skipped)")
            continue
        if question.type == "reply":
            left_out.append(f"{question.id}: a reply question becomes an essay (graded by hand there)")
        elif question.type == "ordering":
            left_out.append(f"{question.id}: an ordering question becomes a matching (position → item)")
        section.append(_item(question, question.type))
    _namespace(root)
    assessment_xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    href = f"{ident}/{ident}.xml"
    manifest = etree.Element(
        f"{{{CP_NS}}}manifest",
        nsmap={None: CP_NS, "xsi": XSI},
        identifier=f"{ident}-manifest",
        attrib={f"{{{XSI}}}schemaLocation": f"{CP_NS} http://www.imsglobal.org/xsd/imscp_v1p1.xsd"},
    )
    metadata = etree.SubElement(manifest, f"{{{CP_NS}}}metadata")
    etree.SubElement(metadata, f"{{{CP_NS}}}schema").text = "IMS Content"
    etree.SubElement(metadata, f"{{{CP_NS}}}schemaversion").text = "1.1.3"
    etree.SubElement(manifest, f"{{{CP_NS}}}organizations")
    resources = etree.SubElement(manifest, f"{{{CP_NS}}}resources")
    resource = etree.SubElement(
        resources, f"{{{CP_NS}}}resource", identifier=ident, type="imsqti_xmlv1p2", href=href
    )
    etree.SubElement(resource, f"{{{CP_NS}}}file", href=href)
    manifest_xml = etree.tostring(manifest, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("imsmanifest.xml", manifest_xml)
        package.writestr(href, assessment_xml)
    return out.getvalue(), left_out


def _namespace(root: Any) -> None:
    """Put every element built without a namespace into QTI's (the document's default namespace)."""
    for element in root.iter():
        if isinstance(element.tag, str) and not element.tag.startswith("{"):
            element.tag = f"{{{QTI_NS}}}{element.tag}"
