"""Résumés are judged by their content, not their name (hypothesis)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.uploads import validate_resume
from tests.strategies import JPEG, PDF, PNG, TEXT, docx

_SIGNATURES = {".pdf": b"%PDF-", ".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff"}


def _really(suffix: str, content: bytes) -> bool:
    """What the content is, judged independently of screening/uploads.py."""
    if suffix == ".docx":  # a zip (from its first byte: no prepended data) holding a Word document
        if not content.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                return {"word/document.xml", "[Content_Types].xml"} <= set(z.namelist())
        except zipfile.BadZipFile:
            return False
    return content.startswith(_SIGNATURES[suffix])


@settings(max_examples=300, deadline=None)
@given(
    suffix=st.sampled_from([".pdf", ".docx", ".png", ".jpg"]),
    content=st.one_of(
        st.binary(max_size=500),
        st.builds(bytes.__add__, st.sampled_from([PDF, PNG, JPEG, b"PK\x03\x04", b"GIF89a"]), st.binary(max_size=300)),
        st.builds(docx, st.binary(max_size=100)),
        st.builds(bytes.__add__, st.binary(min_size=1, max_size=8), st.sampled_from([PDF, PNG, JPEG, docx()])),
    ),
    stem=TEXT.filter(lambda s: s and not set(s) & set("/\\\x00")),  # ".pdf" alone has no suffix at all
    upper=st.booleans(),
)
def test_resumes_are_accepted_exactly_when_the_content_is_the_named_type(suffix, content, stem, upper):
    name = stem + (suffix.upper() if upper else suffix)
    try:
        validate_resume(SimpleUploadedFile(name, content))
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == _really(suffix, content)


def test_a_real_file_of_each_type_is_accepted_and_a_renamed_one_is_not():
    real = {".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".docx": docx()}
    for suffix, content in real.items():
        assert validate_resume(SimpleUploadedFile("cv" + suffix, content)) == suffix
        for other in real.keys() - {suffix}:
            with pytest.raises(ValidationError):
                validate_resume(SimpleUploadedFile("cv" + other, content))
