"""What the property suites (hypothesis) share: values a person (or a script) may send, file contents, and how
an example runs against the database.

Every example runs inside a savepoint that is rolled back afterwards (`rolled_back`), so each one starts from
the same database while the function-scoped fixtures (job, client, settings) are shared by all examples; that is
why the function_scoped_fixture health check is suppressed (`DB_SETTINGS`).
"""

import io
import zipfile
from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck
from hypothesis import strategies as st

from screening.rules import vocab

DB_SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@contextmanager
def rolled_back():
    """One example's writes are undone after it (a savepoint inside the test's transaction)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# -- values a person (or a script) may send --------------------------------------------------------------
# Any code point but lone surrogates: those cannot be encoded by any client, so they never reach the server.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
HUGE = st.sampled_from(["x" * 7_000_000, "字" * 70_000, "1" * 5000, "\x00" * 1000])
NUMBERISH = st.one_of(
    st.integers().map(str),
    st.floats().map(str),
    st.decimals().map(str),
    st.sampled_from(["1e999999999", "-0", "NaN", "Infinity", "1_000", "٣", "３", " 2 ", "0x10", "1,5"]),
)
DATEISH = st.one_of(
    st.dates().map(str),
    st.datetimes().map(str),
    st.sampled_from(["0000-00-00", "9999-12-31", "2000-02-30", "99999-01-01", "1990/01/01", "1990年1月1日"]),
)
CODES = (
    vocab.EDUCATION_LEVELS
    + vocab.CERTIFICATE_LEVELS
    + vocab.LANGUAGE_LEVELS
    + vocab.PLATFORMS
    + vocab.SKILLS
    + ("", "yes", "no", "on", "off", "true", "1", "a", "b", "0", "6")
)
OWNER_EMAIL, OWNER_PHONE = "owner@example.com", "13900000001"
EMAILS = st.one_of(st.emails(), st.sampled_from([OWNER_EMAIL, " Owner@Example.com ", "a@b", "@", "a@-x.com"]))
PHONES = st.one_of(
    st.from_regex(r"(\+86 ?)?1[3-9][0-9]{9}", fullmatch=True),
    st.from_regex(r"1[3-9]\d{9}", fullmatch=True),  # \d: digits of any script
    st.sampled_from(["+86 139-0000-0001", "008613900000001", "123", "1" * 21]),
)
SCALAR = st.one_of(TEXT, NUMBERISH, DATEISH, st.sampled_from(CODES), EMAILS, PHONES, HUGE)
VALUE = st.one_of(SCALAR, st.lists(SCALAR, max_size=3))  # a list posts the key several times

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def docx(extra: bytes = b"") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document/>" + extra)
    return buf.getvalue()
