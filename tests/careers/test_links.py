"""Where e-mailed links point: the configured site, else the address the request came to."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from screening import links

ROOT = Path(__file__).resolve().parents[2]


def test_the_configured_site_wins_over_the_request(settings):
    settings.SITE_URL = "https://jobs.example.com/"
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8123")
    assert links.site_url(request) == "https://jobs.example.com"


def test_without_a_configured_site_the_request_gives_host_and_port(settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8123")
    assert links.site_url(request) == "http://127.0.0.1:8123"


def test_a_host_outside_allowed_hosts_never_becomes_a_link(settings):
    """An attacker's Host header would put a victim's token into a link to the attacker's site."""
    from django.core.exceptions import DisallowedHost

    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    with pytest.raises(DisallowedHost):
        links.site_url(RequestFactory().get("/", HTTP_HOST="evil.test"))


def _production_site_url(**extra):
    env = {n: v for n, v in os.environ.items() if n not in ("DATABASE_URL", "REDIS_URL", "PORTAL_EMBEDDED")}
    env.update(
        DEBUG="0", SECRET_KEY="x8$Jq1-" + "k" * 60, DATABASE_URL="postgres://u:p@db.invalid/x",
        REDIS_URL="redis://cache.invalid:6379/0", DJANGO_SETTINGS_MODULE="config.settings.base", **extra,
    )  # fmt: skip
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    return subprocess.run(
        [sys.executable, "-c", code], check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_links_go_to_the_first_allowed_host_over_https():
    result = _production_site_url(ALLOWED_HOSTS="jobs.example.com,www.example.com")
    assert result.stdout.strip() == "https://jobs.example.com", result.stderr[-1500:]


def test_production_with_a_wildcard_host_refuses_without_site_url():
    result = _production_site_url(ALLOWED_HOSTS=".example.com")
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr
    assert _production_site_url(ALLOWED_HOSTS=".example.com", SITE_URL="https://jobs.example.com").stdout.strip() == (
        "https://jobs.example.com"
    )
