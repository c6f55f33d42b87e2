"""JSON endpoints of the typing test (the widget in templates/careers/_typing_test.html calls them)."""

import hashlib
import json

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from . import typing as typing_test

MAX_TYPED = 2000
MAX_PASTE_ATTEMPTS = 1000


def holder(request) -> str:
    """Who took the test: this browser's session (a result taken elsewhere is not accepted)."""
    if not request.session.session_key:
        request.session.save()
    return hashlib.sha256(request.session.session_key.encode()).hexdigest()[:20]


def _error(message) -> JsonResponse:
    return JsonResponse({"error": str(message)}, status=400)


def _count(value) -> int:
    try:
        return min(max(int(value), 0), MAX_PASTE_ATTEMPTS)
    except (TypeError, ValueError, OverflowError):
        return 0


@never_cache
@csrf_protect
@require_POST
def typing_start(request):
    return JsonResponse(typing_test.start(holder=holder(request)))


@never_cache
@csrf_protect
@require_POST
def typing_finish(request):
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("token"), str) or not isinstance(data.get("typed"), str):
        return _error(_("请求格式不正确，请刷新页面后重试。"))
    try:
        figures = typing_test.finish(
            data["token"],
            data["typed"][:MAX_TYPED],
            paste_attempts=_count(data.get("paste_attempts", 0)),
            holder=holder(request),
        )
    except typing_test.TypingTestError as exc:
        return _error(exc)
    return JsonResponse(figures)
