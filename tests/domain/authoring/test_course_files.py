"""Course pictures: only real images, at most 2 MB, kept in the database under safe unused names."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy.orm import Session

from lms.domain.authoring.course_files import course_images, image_by_path, save_image, uploaded_images
from lms.domain.errors import DomainError
from tests.concurrency import run_in_parallel


def picture(kind: str = "PNG", size: tuple[int, int] = (40, 30), colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


def test_pictures_are_stored_under_safe_names(db: Session, tmp_path: Path) -> None:
    assert save_image(db, tmp_path, "returns", "Return Label 退货.PNG", picture()) == "images/return-label.png"
    assert (
        save_image(db, tmp_path, "returns", "../../etc/passwd.png", picture(colour="red")) == "images/passwd.png"
    )
    # the same name again: a new name unless it is the very same picture
    assert save_image(db, tmp_path, "returns", "return label.png", picture()) == "images/return-label.png"
    assert (
        save_image(db, tmp_path, "returns", "return label.png", picture(colour="blue"))
        == "images/return-label-2.png"
    )
    assert save_image(db, tmp_path, "returns", "photo.jpeg", picture("JPEG")) == "images/photo.jpg"
    db.commit()
    assert course_images(db, tmp_path, "returns") == [
        "images/passwd.png",
        "images/photo.jpg",
        "images/return-label-2.png",
        "images/return-label.png",
    ]
    found = image_by_path(db, "returns", "images/photo.jpg")
    assert found is not None and found.mimetype == "image/jpeg" and len(found.sha256) == 64
    assert image_by_path(db, "returns", "images/../photo.jpg") is None
    assert image_by_path(db, "other-course", "images/photo.jpg") is None
    assert set(uploaded_images(db, "returns")) == set(course_images(db, tmp_path, "returns"))
    assert not (tmp_path / "courses").exists()  # nothing written to this server's disk


def test_a_shipped_file_keeps_its_name(db: Session, tmp_path: Path) -> None:
    shipped = tmp_path / "courses" / "returns" / "images"
    shipped.mkdir(parents=True)
    (shipped / "label.png").write_bytes(picture())
    assert save_image(db, tmp_path, "returns", "label.png", picture()) == "images/label.png"  # the same file
    assert save_image(db, tmp_path, "returns", "label.png", picture(colour="red")) == "images/label-2.png"
    db.commit()
    assert course_images(db, tmp_path, "returns") == ["images/label-2.png", "images/label.png"]


def test_two_servers_uploading_the_same_name_at_once_get_two_names(app, db: Session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pictures = [picture(colour=c) for c in ("red", "blue", "green", "navy")]
    which = itertools.count()  # each thread takes its own picture (next() is atomic)
    names: list[str] = []
    errors = run_in_parallel(
        app, 4, lambda session: names.append(save_image(session, tmp_path, "returns", "x.png", pictures[next(which)]))
    )
    assert errors == []
    assert sorted(course_images(db, tmp_path, "returns")) == sorted(set(names)) and len(set(names)) == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"<svg onload=alert(1)></svg>", "not a picture"),
        (b"GIF89a" + b"\x00" * 10, "not a picture"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024), "larger than 2 MB"),
    ],
)
def test_anything_else_is_refused(db: Session, tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        save_image(db, tmp_path, "returns", "x.png", data)
    assert course_images(db, tmp_path, "returns") == []
