"""The go-live certificate as printed: the PDF's text and QR code never overlap, in either language.

A printed certificate is what an agent frames, so the test reads the PDF WeasyPrint made (its words,
lines and the QR image, with their boxes) rather than trusting the HTML it came from.
Set LMS_CERTIFICATE_PNG_DIR to also get each page as a PNG, to look at.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from itertools import combinations
from pathlib import Path

import pdfplumber
import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms.models import Certificate
from tests.factories import UserFactory

LONG_CHINESE_NAME = "欧阳娜娜娜娜娜娜娜娜"
#: The longest display name an account may have (80 characters).
LONGEST_NAME = ("Alexandra Konstantinopoulou-Vanderbilt " + "欧阳娜娜" * 12)[:80]
#: Boxes closer than this (PDF points) count as touching: glyph boxes of one line abut exactly.
GAP = 0.5

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


def _pdf(client: FlaskClient, db: Session, display_name: str, locale: str) -> bytes:
    user = UserFactory(username="framed", display_name=display_name, locale=locale)
    db.flush()
    cert = Certificate(
        user_id=user.id,
        kind="go-live",
        code="Xq3-certificate-9",
        issued_at=dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC),
        evidence={},
    )
    db.add(cert)
    db.commit()
    client.post("/login", data={"username": "framed", "password": "correct-horse-battery"})
    response = client.get(f"/certificates/{cert.code}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.data


def _lines(page: pdfplumber.page.Page) -> list[tuple[str, Box]]:
    """Each printed line of text with its box (words on one baseline, of one size, joined)."""
    words = page.extract_words(keep_blank_chars=True, use_text_flow=True, extra_attrs=["size"])
    lines: list[tuple[str, Box]] = []
    for word in words:
        box = (word["x0"], word["top"], word["x1"], word["bottom"])
        if lines:
            text, last = lines[-1]
            if abs(last[3] - box[3]) < 1 and box[0] - last[2] < word["size"]:
                lines[-1] = (
                    text + word["text"],
                    (min(last[0], box[0]), min(last[1], box[1]), max(last[2], box[2]), max(last[3], box[3])),
                )
                continue
        lines.append((word["text"], box))
    return lines


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] - GAP and b[0] < a[2] - GAP and a[1] < b[3] - GAP and b[1] < a[3] - GAP


def _save_png(data: bytes, name: str) -> None:
    folder = os.environ.get("LMS_CERTIFICATE_PNG_DIR")
    if folder:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pdf.pages[0].to_image(resolution=110).save(Path(folder) / f"{name}.png")
        (Path(folder) / f"{name}.pdf").write_bytes(data)


@pytest.mark.parametrize(
    ("locale", "name", "expected"),
    [
        (
            "en",
            "王芳 Wang Fang",
            ["Certificate of readiness for live service", "Issued", "Xq3-certificate-9"],
        ),
        ("zh_Hans", LONG_CHINESE_NAME, [LONG_CHINESE_NAME, "Xq3-certificate-9"]),
        ("en", LONG_CHINESE_NAME, [LONG_CHINESE_NAME]),
        ("zh_Hans", LONGEST_NAME, ["Konstantinopoulou", "Xq3-certificate-9"]),
    ],
)
def test_no_text_or_qr_code_overlaps_on_the_printed_page(
    client: FlaskClient, db: Session, locale: str, name: str, expected: list[str]
) -> None:
    data = _pdf(client, db, name, locale)
    _save_png(data, f"certificate-{locale}-{len(name)}")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1, "the certificate is one page"
        page = pdf.pages[0]
        lines = _lines(page)
        images = [(img["x0"], img["top"], img["x1"], img["bottom"]) for img in page.images]
        text = "".join(t for t, _ in lines).replace(" ", "")
        page_box = (0.0, 0.0, float(page.width), float(page.height))
    for fragment in expected:
        assert fragment.replace(" ", "") in text
    assert len(images) == 1, "one QR code"
    boxes = [(t, b) for t, b in lines] + [("[QR code]", images[0])]
    clashes = [
        f"{a!r} overlaps {b!r}" for (a, box_a), (b, box_b) in combinations(boxes, 2) if _overlap(box_a, box_b)
    ]
    assert not clashes, "\n".join(clashes)
    for label, box in boxes:
        assert (
            page_box[0] <= box[0]
            and box[2] <= page_box[2]
            and page_box[1] <= box[1]
            and box[3] <= page_box[3]
        ), label
