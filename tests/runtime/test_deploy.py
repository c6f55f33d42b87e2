"""Production settings pass Django's deployment checklist, and every response carries the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_passes_with_production_environment(settings):
    env = {
        **os.environ,
        # external services (nothing embedded): the production defaults apply
        "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
        "REDIS_URL": "redis://redis.internal:6379",
        "SECRET_KEY": "x8$Jq1-" + "k" * 60,
        "ALLOWED_HOSTS": "jobs.example.com",
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
    }
    for leftover in ("PORTAL_EMBEDDED", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # set by other tests in this process
        env.pop(leftover, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_pages_carry_csp_without_inline_script_and_the_other_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_templates_have_no_inline_script():
    import re

    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
    handlers = re.compile(r"\son[a-z]+=\"", re.I)
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not inline.search(text), path
        assert not handlers.search(text), path


def test_hr_sessions_last_a_working_day(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_collectstatic_with_the_production_storage_succeeds(tmp_path):
    """Whitenoise's manifest storage fails on a missing file a CSS/JS file refers to (e.g. a source map)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DEMO_MODE": "false"}
    for leftover in ("DJANGO_ALLOW_ASYNC_UNSAFE",):
        env.pop(leftover, None)
    result = subprocess.run(
        [sys.executable, "-c", "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.base'); "
         "import django; django.setup(); from django.conf import settings; from django.core.management import "
         f"call_command; settings.STATIC_ROOT = {str(tmp_path)!r}; call_command('collectstatic', interactive=False, "
         "verbosity=0)"],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "staticfiles.json").exists()


@pytest.mark.django_db
def test_migrating_creates_the_hr_reviewer_role_with_its_permissions():
    from django.contrib.auth.models import Group

    from screening.roles import HR_REVIEWER

    group = Group.objects.get(name=HR_REVIEWER)  # no `portal` command ran: migrate made it
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_application", "change_application", "view_chatscenario"} <= codenames
    assert "delete_application" not in codenames
