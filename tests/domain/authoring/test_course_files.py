"""Course pictures: only real images, at most 2 MB, stored under safe unused names."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from lms.domain.authoring.course_files import course_images, save_image
from lms.domain.errors import DomainError


def picture(kind: str = "PNG", size: tuple[int, int] = (40, 30), colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


def test_pictures_are_stored_under_safe_names(tmp_path: Path) -> None:
    assert save_image(tmp_path, "returns", "Return Label 退货.PNG", picture()) == "images/return-label.png"
    assert (
        save_image(tmp_path, "returns", "../../etc/passwd.png", picture(colour="red")) == "images/passwd.png"
    )
    # the same name again: a new name unless it is the very same picture
    assert save_image(tmp_path, "returns", "return label.png", picture()) == "images/return-label.png"
    assert (
        save_image(tmp_path, "returns", "return label.png", picture(colour="blue"))
        == "images/return-label-2.png"
    )
    assert save_image(tmp_path, "returns", "photo.jpeg", picture("JPEG")) == "images/photo.jpg"
    assert course_images(tmp_path, "returns") == [
        "images/passwd.png",
        "images/photo.jpg",
        "images/return-label-2.png",
        "images/return-label.png",
    ]
    assert not list((tmp_path / "courses" / "returns" / "images").glob(".upload-*"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"<svg onload=alert(1)></svg>", "not a picture"),
        (b"GIF89a" + b"\x00" * 10, "not a picture"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024), "larger than 2 MB"),
    ],
)
def test_anything_else_is_refused(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        save_image(tmp_path, "returns", "x.png", data)
    assert course_images(tmp_path, "returns") == []
