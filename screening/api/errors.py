"""One error body for every refusal: {"error": {"code", "message", "fields"?}}, never an HTML page."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"


def _first_code(detail) -> str:
    codes = detail if isinstance(detail, (dict, list, str)) else ""
    while isinstance(codes, (dict, list)) and codes:
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return codes if isinstance(codes, str) else "invalid"


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("没有找到，或者这个令牌无权查看"))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_handler(exc, context)
    if response is None:
        return None  # a real error: a 500, logged as any other
    if isinstance(exc, exceptions.ValidationError):
        body = {"code": "invalid", "message": _("请求内容有误"), "fields": exc.detail}
        if isinstance(exc.detail, list):
            body = {"code": _first_code(exc.get_codes()), "message": " ".join(str(d) for d in exc.detail)}
    else:
        body = {"code": _first_code(exc.get_codes()), "message": str(exc.detail)}
    return Response({"error": body}, status=response.status_code, headers=dict(response.items()))
