"""Attachment checks: type by content (not by name), size and count limits."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_FILES = 5
MAX_SIZE = 10 * 1024 * 1024  # 10 MB each

PDF, JPEG, PNG, DOCX = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
EXTENSIONS = {PDF: {".pdf"}, JPEG: {".jpg", ".jpeg"}, PNG: {".png"}, DOCX: {".docx"}}


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    content_type: str
    name: str


def sniff(stream: IO[bytes]) -> str | None:
    """The file's real type from its first bytes (and, for DOCX, its zip directory)."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(stream) as archive:
                entries = archive.infolist()
                names = {entry.filename for entry in entries}
                # A real letter has a few dozen parts and inflates to a few MB: anything
                # far beyond is not a document (or is a zip bomb).
                if len(entries) > 1000 or sum(e.file_size for e in entries) > 100 * MAX_SIZE:
                    return None
                if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                    return None
                types = archive.read("[Content_Types].xml")[:200_000]
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        finally:
            stream.seek(0)
        if b"wordprocessingml.document.main+xml" in types:
            return DOCX
    return None


def check_files(files: list[UploadedFile]) -> list[CheckedFile]:
    """Validate every file or raise one ValidationError listing each problem."""
    errors: list[str] = []
    if len(files) > MAX_FILES:
        errors.append(
            _("You can attach at most %(max)d files; you chose %(count)d.")
            % {"max": MAX_FILES, "count": len(files)}
        )
    checked = []
    for upload in files:
        name = (upload.name or "tep").rsplit("/", 1)[-1][:200]
        size = upload.size or 0
        if size > MAX_SIZE:
            errors.append(
                _("“%(name)s” is %(size).1f MB; each file may be at most 10 MB.")
                % {"name": name, "size": size / 1024 / 1024}
            )
            continue
        kind = sniff(upload.file) if upload.file is not None else None
        suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if kind is None or suffix not in EXTENSIONS[kind]:
            errors.append(
                _(
                    "“%(name)s” is not a PDF, JPEG, PNG or DOCX file (its content was "
                    "checked, not only its name)."
                )
                % {"name": name}
            )
            continue
        checked.append(CheckedFile(upload, kind, name))
    if errors:
        raise ValidationError(errors)
    return checked
