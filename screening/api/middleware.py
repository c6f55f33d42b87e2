"""A body too large for the API is refused as the API refuses anything: JSON, before a byte of it is read.

Placed before screening.middleware.RequestSizeMiddleware, whose 413 is a page for people (its limit, the largest
upload, is far above the API's)."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _

PREFIX = "/api/"


class ApiBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(PREFIX):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.API_MAX_BODY_BYTES:
                message = _("请求体过大（上限 %(n)s 字节）") % {"n": settings.API_MAX_BODY_BYTES}
                return JsonResponse({"error": {"code": "body_too_large", "message": message}}, status=413,
                                    json_dumps_params={"ensure_ascii": False})  # fmt: skip
        return self.get_response(request)
