from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .uploads import mark_sender


class LanguageMiddleware:
    """Simplified Chinese unless the reader chose English with the language switch.

    Unlike Django's LocaleMiddleware it ignores Accept-Language: candidates and HR staff on
    English-language browsers still get the Chinese site until they ask otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


class RequestSizeMiddleware:
    """Answers 413 to a body over REQUEST_MAX_BYTES before any of it is read or written to disk (a 300 MB upload was
    written out in full before the form found it over 5 MB): by its Content-Length, and while a multipart body is
    parsed (LimitedUploadHandler). It is parsed here, so no view ever sees half a form; then each uploaded file
    learns which client sent it (uploads.keep_pending caps kept résumés per client)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body without a valid length
        if length > settings.REQUEST_MAX_BYTES:
            return self._too_large(request)
        if request.method == "POST" and request.content_type == "multipart/form-data":
            mark_sender(request)  # reads request.FILES: the body is parsed through LimitedUploadHandler now
            if getattr(request, "upload_too_large", False):
                return self._too_large(request)
        return self.get_response(request)

    @staticmethod
    def _too_large(request):
        return render(request, "upload_too_large.html", status=413)
