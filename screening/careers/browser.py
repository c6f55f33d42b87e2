"""What the application form's JSON endpoints (typing test, buyer chat) share about the browser."""

import hashlib
import json

from django.http.request import RawPostDataException

MAX_COUNT = 1000


def holder(request) -> str:
    """Who took a test: this browser's session (a result taken elsewhere is not accepted)."""
    if not request.session.session_key:
        request.session.save()
    return hashlib.sha256(request.session.session_key.encode()).hexdigest()[:20]


def json_body(request) -> dict | None:
    """The request's JSON object, or None when the body is not one."""
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RawPostDataException):  # the last: a form body, read as a form already
        return None
    return data if isinstance(data, dict) else None


def count(value, limit: int = MAX_COUNT) -> int:
    """A count the browser reports (paste attempts): a whole number from 0 to `limit`, 0 when it is not one."""
    try:
        return min(max(int(value), 0), limit)
    except (TypeError, ValueError, OverflowError):
        return 0
