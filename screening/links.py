"""Absolute addresses for what leaves the site (the status links in e-mails)."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def site_url(request: HttpRequest | None = None) -> str:
    """The configured site (production), else the address this request came to: the host Django already checked
    against ALLOWED_HOSTS, on the port the portal actually runs on. Without either, the development default."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return "http://127.0.0.1:8000"


def status_url(token: str, site: str = "") -> str:
    """The address of a private status link, on `site` (what the request came to) or the configured site."""
    return (site or site_url()) + reverse("application_status", args=[token])
