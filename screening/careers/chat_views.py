"""JSON endpoints of the buyer-chat test (templates/careers/_chat_test.html, static/js/chat-test.js)."""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from ..models import Job
from ..selectors import job_form_parts
from ..worksamples import buyer_chat as chat
from .browser import count, holder, json_body


def _body(request) -> dict:
    data = json_body(request)
    if data is None or not isinstance(data.get("session"), str):
        raise chat.ChatError(_("请求格式不正确，请刷新页面后重试。"))
    return data


def _json(call) -> JsonResponse:
    try:
        return JsonResponse(call())
    except chat.ChatError as exc:
        return JsonResponse({"error": str(exc)}, status=exc.status)


@never_cache
@csrf_protect
@require_POST
def chat_start(request, slug, code):
    # each start may create a run (a row): a client starting runs by the dozen is not a candidate
    if is_ratelimited(request, group="chat-start", key="ip", rate=settings.TEST_START_RATE, increment=True):
        return JsonResponse({"error": _("操作太频繁，请稍后再试。")}, status=429)
    job = get_object_or_404(Job, slug=slug, status=Job.Status.OPEN)
    _requirements, _questions, scenarios = job_form_parts(job=job)  # the scenarios the form shows
    scenario = scenarios.get(code)
    if scenario is None:
        raise Http404
    return JsonResponse(chat.state(chat.start(scenario=scenario, holder=holder(request))))


@never_cache
@csrf_protect
@require_POST
def chat_next(request):
    return _json(lambda: chat.next_message(key=_body(request)["session"], holder=holder(request)))


@never_cache
@csrf_protect
@require_POST
def chat_reply(request):
    def reply():
        data = _body(request)
        if not isinstance(data.get("text"), str):
            raise chat.ChatError(_("回复不能为空。"))
        # only the message index and the text are taken: any time the browser sends is ignored
        return chat.post_reply(
            key=data["session"],
            holder=holder(request),
            index=data.get("index"),
            text=data["text"],
            pastes=count(data.get("pastes", 0), limit=100),
            reply_id=data.get("reply_id"),
        )

    return _json(reply)


@never_cache
@csrf_protect
@require_POST
def chat_finish(request):
    return _json(lambda: chat.finish(key=_body(request)["session"], holder=holder(request)))
