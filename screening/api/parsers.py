"""The one request body the API reads: a JSON object, small, that PostgreSQL's jsonb can store."""

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from .errors import TooLarge

MAX_DEPTH = 20


def _refuse_constant(name):
    raise ValueError(name)


def _check(value, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ParseError(_("JSON 嵌套过深"))
    if isinstance(value, str):
        if "\x00" in value:
            raise ParseError(_("JSON 中不能有 NUL 字符"))
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, depth + 1)
            _check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**63:
        raise ParseError(_("数字过大"))


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            length = 0
        if length > settings.API_MAX_BODY_BYTES:
            raise TooLarge(_("请求体过大（上限 %(n)s 字节）") % {"n": settings.API_MAX_BODY_BYTES})
        raw = stream.read(settings.API_MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(raw) > settings.API_MAX_BODY_BYTES:
            raise TooLarge(_("请求体过大（上限 %(n)s 字节）") % {"n": settings.API_MAX_BODY_BYTES})
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise ParseError(_("请求体不是有效的 JSON：%(error)s") % {"error": str(exc)[:100]}) from None
        _check(data)
        if not isinstance(data, dict):
            raise ParseError(_("请求体必须是一个 JSON 对象"))
        return data
