"""Operational hardening (issue 11): upload size, health polling, login throttling, production settings, sessions."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# -- 8. production settings follow DEBUG=0, not the database --------------------------------------------
def test_debug_off_without_database_and_redis_refuses_to_start_instead_of_dropping_https():
    env = {name: value for name, value in os.environ.items() if name not in ("DATABASE_URL", "REDIS_URL")}
    for leftover in ("PORTAL_EMBEDDED", "DJANGO_ALLOW_ASYNC_UNSAFE", "PRODUCTION", "DEBUG"):
        env.pop(leftover, None)
    env.update(
        DEBUG="0",
        SECRET_KEY="x8$Jq1-" + "k" * 60,
        ALLOWED_HOSTS="jobs.example.com",
        DJANGO_SETTINGS_MODULE="config.settings.base",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "no issues" not in result.stdout
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr, result.stdout[-2000:] + result.stderr[-2000:]
    assert "DATABASE_URL, REDIS_URL" in result.stderr
