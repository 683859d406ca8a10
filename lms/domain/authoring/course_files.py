"""Pictures uploaded for a course's lessons: checked to be real images, stored beside its lessons.

They go into `courses/<slug>/images/` of the content folder, where the loader and the learner's
pages already read course files, so exporting a course (or committing the folder) carries them.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

from lms.domain.errors import N_, DomainError

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp"}
FOLDER = "images"


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


def save_image(content_dir: Path, course_slug: str, filename: str, data: bytes) -> str:
    """Store the picture under a safe, unused name; returns its path relative to the course folder."""
    extension = check_image(data)
    folder = Path(content_dir) / "courses" / course_slug / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stem, n = _safe_stem(filename), 1
    name = f"{stem}{extension}"
    while (folder / name).exists():
        if (folder / name).read_bytes() == data:
            return f"{FOLDER}/{name}"  # the same picture again
        n += 1
        name = f"{stem}-{n}{extension}"
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, folder / name)  # appears whole or not at all
    return f"{FOLDER}/{name}"


def course_images(content_dir: Path, course_slug: str) -> list[str]:
    """The course's pictures, as paths relative to its folder."""
    folder = Path(content_dir) / "courses" / course_slug / FOLDER
    if not folder.is_dir():
        return []
    return sorted(
        f"{FOLDER}/{p.name}" for p in folder.iterdir() if p.is_file() and p.suffix.lower() in FORMATS.values()
    )
