"""Pictures uploaded for a course's lessons: checked to be real images, stored in the database.

A lesson shows a picture as `images/<name>`, the same address whether the picture is a file the
curriculum ships in `courses/<slug>/images/` or one a trainer uploaded in the browser. Uploads live
in the database so that every app server behind a proxy serves them; exporting the course writes
them out as files beside its lessons.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.domain.errors import N_, DomainError
from lms.models import CourseImage

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp"}
FOLDER = "images"
_MIMETYPES = {".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp"}


def _safe_stem(filename: str) -> str:
    stem = Path(filename or "").stem.lower()
    stem = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:60]
    return stem or "image"


def check_image(data: bytes) -> str:
    """The file extension for a PNG, JPEG, GIF or WebP picture; DomainError for anything else."""
    if not data:
        raise DomainError(N_("The file is empty."), "image")
    if len(data) > MAX_IMAGE_BYTES:
        raise DomainError(N_("The picture is larger than 2 MB."), "image")
    from PIL import Image, UnidentifiedImageError  # only uploads need Pillow (keeps the workers small)

    try:
        with Image.open(io.BytesIO(data)) as picture:
            kind = picture.format
            width, height = picture.size
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise DomainError(N_("The file is not a picture (PNG, JPEG, GIF or WebP)."), "image") from None
    if kind not in FORMATS:
        raise DomainError(N_("The file is not a picture (PNG, JPEG, GIF or WebP)."), "image")
    if width * height > MAX_PIXELS:
        raise DomainError(N_("The picture has too many pixels."), "image")
    return FORMATS[kind]


def save_image(session: Session, content_dir: Path, course_slug: str, filename: str, data: bytes) -> str:
    """Store the picture in the database under a safe name unused in the course (its files included);
    returns its path relative to the course folder. The same picture again keeps its first name."""
    extension = check_image(data)
    digest = hashlib.sha256(data).hexdigest()
    same = session.scalar(
        select(CourseImage.name).where(CourseImage.course_slug == course_slug, CourseImage.sha256 == digest)
    )
    if same is not None:
        return f"{FOLDER}/{same}"
    folder = Path(content_dir) / "courses" / course_slug / FOLDER
    stem, n = _safe_stem(filename), 1
    taken = set(session.scalars(select(CourseImage.name).where(CourseImage.course_slug == course_slug)))
    while True:
        name = f"{stem}{extension}" if n == 1 else f"{stem}-{n}{extension}"
        n += 1
        on_disk = folder / name
        if on_disk.is_file() and on_disk.read_bytes() == data:
            return f"{FOLDER}/{name}"  # the very picture the curriculum ships
        if name in taken or on_disk.exists():
            continue
        try:
            with session.begin_nested():  # another server may take the name at the same moment
                session.add(
                    CourseImage(
                        course_slug=course_slug, name=name, sha256=digest, mimetype=_MIMETYPES[extension], data=data
                    )
                )
        except IntegrityError:
            taken.add(name)
            continue
        return f"{FOLDER}/{name}"


def image_by_path(session: Session, course_slug: str, path: str) -> CourseImage | None:
    """An uploaded picture by its path inside the course folder (``images/<name>``)."""
    folder, _, name = path.partition("/")
    if folder != FOLDER or not name or "/" in name:
        return None
    return session.scalar(
        select(CourseImage).where(CourseImage.course_slug == course_slug, CourseImage.name == name)
    )


def uploaded_images(session: Session, course_slug: str) -> dict[str, bytes]:
    """Every uploaded picture of the course, by its path inside the course folder (for exports)."""
    rows = session.execute(
        select(CourseImage.name, CourseImage.data).where(CourseImage.course_slug == course_slug)
    )
    return {f"{FOLDER}/{name}": bytes(data) for name, data in rows}


def course_images(session: Session, content_dir: Path, course_slug: str) -> list[str]:
    """The course's pictures (files it ships and pictures uploaded), as paths relative to its folder."""
    folder = Path(content_dir) / "courses" / course_slug / FOLDER
    files = (
        {f"{FOLDER}/{p.name}" for p in folder.iterdir() if p.is_file() and p.suffix.lower() in FORMATS.values()}
        if folder.is_dir()
        else set()
    )
    uploaded = session.scalars(select(CourseImage.name).where(CourseImage.course_slug == course_slug))
    return sorted(files | {f"{FOLDER}/{name}" for name in uploaded})
