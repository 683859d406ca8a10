"""QTI 1.2 export: the package's manifest lists the assessment, which holds every item in QTI's shape."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.content.qti import CANVAS_TYPES, CP_NS, QTI_NS, export_qti
from lms.content.specs import QuestionSpec

Q = f"{{{QTI_NS}}}"
CP = f"{{{CP_NS}}}"
#: QTI 1.2's order of an item's children (ims_qtiasiv1p2: item = itemmetadata?, presentation?, resprocessing*, itemfeedback*).
ITEM_ORDER = ["itemmetadata", "presentation", "resprocessing", "itemfeedback"]


@pytest.fixture(scope="module")
def quizzes() -> dict[str, list[QuestionSpec]]:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    return {slug: list(quiz.questions) for slug, quiz in tree.quizzes.items()}


def unpack(data: bytes) -> tuple[etree._Element, dict[str, etree._Element]]:
    package = zipfile.ZipFile(io.BytesIO(data))
    manifest = etree.fromstring(package.read("imsmanifest.xml"))
    files = {}
    for resource in manifest.iter(f"{CP}resource"):
        assert resource.get("type") == "imsqti_xmlv1p2"
        for file in resource.iter(f"{CP}file"):
            files[file.get("href")] = etree.fromstring(package.read(file.get("href")))
    assert set(package.namelist()) == {"imsmanifest.xml", *files}
    return manifest, files


def check_item(item: etree._Element) -> str:
    """The item's Canvas type, after checking its children's order and its response shapes."""
    names = [etree.QName(child).localname for child in item]
    assert names == sorted(names, key=ITEM_ORDER.index), names
    assert item.get("ident")
    fields = {
        f.findtext(f"{Q}fieldlabel"): f.findtext(f"{Q}fieldentry") for f in item.iter(f"{Q}qtimetadatafield")
    }
    kind = fields["question_type"]
    assert float(fields["points_possible"]) > 0
    presentation = item.find(f"{Q}presentation")
    assert presentation is not None and presentation.find(f"{Q}material/{Q}mattext") is not None
    lids = presentation.findall(f"{Q}response_lid")
    strs = presentation.findall(f"{Q}response_str")
    conditions = item.findall(f"{Q}resprocessing/{Q}respcondition")
    labels = {label.get("ident") for lid in lids for label in lid.iter(f"{Q}response_label")}
    for equal in item.iter(f"{Q}varequal"):
        if lids:
            assert equal.text in labels  # every answer points at a choice that exists
    if kind in ("multiple_choice_question", "true_false_question"):
        assert len(lids) == 1 and lids[0].get("rcardinality") == "Single" and conditions
    elif kind == "multiple_answers_question":
        assert len(lids) == 1 and lids[0].get("rcardinality") == "Multiple" and len(conditions) == 1
    elif kind == "matching_question":
        assert len(lids) >= 2 and len(conditions) == len(lids)
    elif kind in ("short_answer_question", "numerical_question"):
        assert len(strs) == 1 and conditions
    elif kind == "essay_question":
        assert len(strs) == 1 and not conditions
    else:
        raise AssertionError(kind)
    return kind


def test_every_question_of_the_curriculum_is_an_item_listed_through_the_manifest(quizzes) -> None:
    total = 0
    for slug, questions in quizzes.items():
        data, left_out = export_qti(slug, slug, questions)
        manifest, files = unpack(data)
        assert len(files) == 1
        (assessment_file,) = files.values()
        assert etree.QName(assessment_file).localname == "questestinterop"
        items = {item.get("ident"): item for item in assessment_file.iter(f"{Q}item")}
        exported = [q for q in questions if q.type in CANVAS_TYPES]
        assert list(items) == [q.id for q in exported]
        for question in exported:
            assert check_item(items[question.id]) == CANVAS_TYPES[question.type]
        skipped = [q for q in questions if q.type not in CANVAS_TYPES]
        assert len([m for m in left_out if "skipped" in m]) == len(skipped)
        total += len(items)
    assert total > 250


def test_item_shapes_carry_the_key(quizzes) -> None:
    questions = [q for qs in quizzes.values() for q in qs]
    single = next(q for q in questions if q.type == "single")
    numeric = next(q for q in questions if q.type == "numeric" and "value" in q.body["answers"][0])
    data, _left_out = export_qti("mixed", "混合", [single, numeric])
    _manifest, files = unpack(data)
    (document,) = files.values()
    items = list(document.iter(f"{Q}item"))
    right = next(i for i, c in enumerate(single.body["choices"]) if c["weight"] == 100)
    assert items[0].find(f".//{Q}respcondition/{Q}conditionvar/{Q}varequal").text == f"choice{right + 1}"
    texts = [m.text for m in items[0].iter(f"{Q}mattext")]
    assert [c["text"] for c in single.body["choices"]] == texts[1 : 1 + len(single.body["choices"])]
    answer = numeric.body["answers"][0]
    low = float(items[1].find(f".//{Q}vargte").text)
    high = float(items[1].find(f".//{Q}varlte").text)
    assert low <= answer["value"] <= high
    assessment = document.find(f"{Q}assessment")
    assert assessment.get("title") == "混合" and assessment.find(f"{Q}section") is not None
