"""JSON endpoints of the typing test (the widget in templates/careers/_typing_test.html calls them)."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from ..worksamples import typing_test
from .browser import count, holder, json_body

MAX_TYPED = 2000


def _error(message) -> JsonResponse:
    return JsonResponse({"error": str(message)}, status=400)


@never_cache
@csrf_protect
@require_POST
def typing_start(request):
    # a browser without a session gets one here (a row): a client starting tests by the dozen is not a candidate
    if is_ratelimited(request, group="typing-start", key="ip", rate=settings.TEST_START_RATE, increment=True):
        return JsonResponse({"error": _("操作太频繁，请稍后再试。")}, status=429)
    return JsonResponse(typing_test.start(holder=holder(request)))


@never_cache
@csrf_protect
@require_POST
def typing_finish(request):
    data = json_body(request)
    if data is None or not isinstance(data.get("token"), str) or not isinstance(data.get("typed"), str):
        return _error(_("请求格式不正确，请刷新页面后重试。"))
    try:
        figures = typing_test.finish(
            data["token"],
            data["typed"][:MAX_TYPED],
            paste_attempts=count(data.get("paste_attempts", 0)),
            holder=holder(request),
        )
    except typing_test.TypingTestError as exc:
        return _error(exc)
    return JsonResponse(figures)
