"""Resume uploads: checked by content (magic bytes), not by the name or the browser's content type."""

import re
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from .clients import client_address

ALLOWED = {".pdf": "pdf", ".docx": "docx", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}
_PENDING_SALT = "resume-pending"
# exactly what keep_pending makes: nothing else under MEDIA_ROOT can be named by a reference
_PENDING_NAME = re.compile(r"pending/[A-Za-z0-9]{32}\.(pdf|docx|jpg|png)")


class LimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts the bytes of a request's files as they arrive and stops the upload
    once they pass REQUEST_MAX_BYTES, before the handlers after it keep them in memory or write them to disk.
    Django reads no further than the Content-Length RequestSizeMiddleware checked; this holds whatever the stream."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.REQUEST_MAX_BYTES:
            self.request.upload_too_large = True  # RequestSizeMiddleware answers 413; the view never runs
            raise StopUpload(connection_reset=True)  # the parser closes (deletes) the partial temp file
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler makes the file


def mark_sender(request) -> None:
    """Each file uploaded with `request` remembers the client that sent it (keep_pending counts per client)."""
    sender = client_address(request)
    for _field, uploads in request.FILES.lists():
        for upload in uploads:
            upload.sender = sender


def sniff(head: bytes, data: File) -> str | None:
    """The real type of the file from its first bytes (and, for DOCX, its zip directory)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        data.seek(0)
        try:
            with zipfile.ZipFile(data) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
    return None


def validate_resume(upload: File) -> str:
    """The normalised file extension, or ValidationError. A polyglot (PNG header + HTML named .pdf) fails:
    the name must agree with the content, and the content must be one of the allowed types."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in ALLOWED:
        raise ValidationError(_("简历只接受 PDF、DOCX、JPG 或 PNG 文件"), code="type")
    if upload.size > settings.RESUME_MAX_BYTES:
        raise ValidationError(_("简历文件不能超过 5 MB"), code="size")
    upload.seek(0)
    head = upload.read(16)
    kind = sniff(head, upload)
    upload.seek(0)
    if kind is None or kind != ALLOWED[suffix]:
        raise ValidationError(_("文件内容不是真正的 %(type)s 文件，请重新导出后上传") % {"type": suffix[1:].upper()},
                              code="content")  # fmt: skip
    return ".jpg" if suffix == ".jpeg" else suffix


# A résumé kept for a corrected submission lasts a day; then the hourly purge deletes it.
PENDING_MAX_AGE = 24 * 3600


def keep_pending(upload: File, suffix: str, *, replaces: str = "") -> str | None:
    """Keep a valid upload while the rest of the form is corrected; returns a signed reference. `replaces` is the
    reference the form held so far: its résumé goes, so a form keeps one at a time. None, nothing kept, once the
    client that sent the upload had PENDING_RESUMES_PER_CLIENT kept in PENDING_MAX_AGE (the candidate picks the
    file again): invalid submissions are not rate-limited, and each kept 5 MB for a day."""
    previous = _stored_name(replaces)
    if previous:
        discard_pending(previous)
    sender = getattr(upload, "sender", None)  # set by mark_sender for every upload that came with a request
    if sender is not None and _kept_for(sender) > settings.PENDING_RESUMES_PER_CLIENT:
        return None
    name = default_storage.save(f"pending/{get_random_string(32)}{suffix}", upload)
    return signing.dumps({"name": name, "original": PurePath(upload.name).name[:100]}, salt=_PENDING_SALT)


def _kept_for(sender: str) -> int:
    """Counts one more résumé kept for `sender`; the count lasts as long as the files do (PENDING_MAX_AGE)."""
    key = f"pending-resumes:{sender}"
    cache.add(key, 0, timeout=PENDING_MAX_AGE)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=PENDING_MAX_AGE)
        return 1


def _stored_name(reference: str) -> str | None:
    if not reference:
        return None
    try:
        return signing.loads(reference, salt=_PENDING_SALT, max_age=PENDING_MAX_AGE).get("name")
    except signing.BadSignature:
        return None


def load_pending(reference: str, max_age: int = PENDING_MAX_AGE) -> tuple[ContentFile, str] | None:
    """(file, storage name) for a signed reference made by keep_pending, or None. The pending copy stays
    until discard_pending(): the submission that uses it may still be refused."""
    try:
        data = signing.loads(reference, salt=_PENDING_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    name = data.get("name", "")
    if not _PENDING_NAME.fullmatch(name) or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as f:
        content = ContentFile(f.read(), name=data.get("original") or PurePath(name).name)
    return content, name


def discard_pending(name: str) -> None:
    if _PENDING_NAME.fullmatch(name):
        default_storage.delete(name)


def pending_name(reference: str) -> str | None:
    try:
        return signing.loads(reference, salt=_PENDING_SALT, max_age=PENDING_MAX_AGE).get("original")
    except signing.BadSignature:
        return None


def purge_pending(*, older_than_seconds: int = PENDING_MAX_AGE) -> int:
    """Delete résumés kept for a retry that never came (they are personal data)."""
    from datetime import UTC, datetime, timedelta

    cutoff = datetime.now(UTC) - timedelta(seconds=older_than_seconds)
    try:
        _dirs, files = default_storage.listdir("pending")
    except FileNotFoundError:
        return 0
    removed = 0
    for name in files:
        path = f"pending/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed
