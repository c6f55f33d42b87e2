"""Reading the settings starts no server and creates no directory (STYLE.md 8).

Each test runs a fresh process with neither DATABASE_URL nor REDIS_URL and a VAR_DIR that does not exist yet:
importing what gunicorn, the Celery worker and beat import, or running `manage.py check`, must leave VAR_DIR
absent and no PostgreSQL or Redis running on it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What gunicorn (config.wsgi), a worker and beat (config.celery_app) read, then every server the settings name.
READ_SETTINGS = """
import json, os, psutil
import config.wsgi
from config.celery_app import app
from django.conf import settings
var = os.environ["VAR_DIR"]
running = [
    " ".join(p.info["cmdline"] or [p.info["name"]])
    for p in psutil.process_iter(["name", "cmdline"])
    if p.pid != os.getpid() and var in " ".join(p.info["cmdline"] or [])
]
print(json.dumps({
    "database": settings.DATABASES["default"],
    "redis": settings.REDIS_URL,
    "broker": app.conf.broker_url,
    "running": running,
    "embedded": settings.EMBEDDED,
    "production": settings.PRODUCTION,
}, default=str))
"""


def _bare_environment(var: Path) -> dict[str, str]:
    """This process's environment without anything naming a server or a running stack; VAR_DIR is `var`."""
    env = dict(os.environ)
    for name in (
        "DATABASE_URL", "REDIS_URL", "PORTAL_EMBEDDED", "SECRET_KEY", "DEBUG", "PRODUCTION", "DEMO_MODE",
        "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_BROKER_DB", "REDIS_CACHE_DB",
    ):  # fmt: skip
        env.pop(name, None)
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", VAR_DIR=str(var))
    return env


def _servers_on(var: Path) -> list[str]:
    import psutil

    return [
        " ".join(p.info["cmdline"])
        for p in psutil.process_iter(["cmdline"])
        if p.info["cmdline"] and str(var) in " ".join(p.info["cmdline"])
    ]


def _run(command: list[str], var: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(
        command, cwd=ROOT, env=_bare_environment(var), capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert not var.exists(), f"reading the settings created {sorted(str(p) for p in var.rglob('*'))[:10]}"
    assert _servers_on(var) == []
    return result


@pytest.fixture
def var(tmp_path) -> Path:
    return tmp_path / "var"  # does not exist: whatever creates it fails the test


def test_importing_the_settings_as_gunicorn_and_celery_do_starts_nothing(var):
    result = _run([sys.executable, "-c", READ_SETTINGS], var)
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["running"] == []  # nothing was started (and stopped again at exit) while the settings were read
    # development on the embedded stack: the settings name where its servers live, nothing more
    assert seen["embedded"] is True and seen["production"] is False
    assert seen["database"]["OPTIONS"]["host"] == str(var / "pgdata") and seen["database"]["NAME"] == "portal"
    assert seen["redis"] == f"unix://{var / 'run' / 'redis.sock'}"
    assert seen["broker"].startswith(f"redis+socket://{var / 'run' / 'redis.sock'}")


@pytest.mark.parametrize(
    "command",
    [["check"], ["makemigrations", "--check", "--dry-run"]],
    ids=["check", "makemigrations"],
)
def test_manage_commands_that_need_no_server_run_with_none(var, command):
    result = _run([sys.executable, "manage.py", *command], var)
    assert "no issues" in result.stdout or "No changes detected" in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("argv", "environ", "starts"),
    [
        (["manage.py", "migrate"], {}, True),
        (["manage.py", "shell", "-c", "pass"], {}, True),
        (["manage.py", "portal"], {}, True),
        (["manage.py", "load_seed"], {}, True),
        (["manage.py", "screen", "a", "b.json"], {}, True),
        (["manage.py", "check"], {}, False),
        (["manage.py", "makemigrations", "--check"], {}, False),
        (["manage.py", "collectstatic", "--noinput"], {}, False),
        (["manage.py", "compilemessages"], {}, False),
        (["manage.py", "help"], {}, False),
        (["manage.py"], {}, False),
        (["manage.py", "--version"], {}, False),
        (["manage.py", "migrate"], {"EMBEDDED": "0"}, False),
        (["manage.py", "check"], {"EMBEDDED": "1"}, True),
        # either URL given: production unless DEBUG or PRODUCTION says otherwise, and nothing embedded stands in
        (["manage.py", "migrate"], {"DATABASE_URL": "postgres://db.internal/portal"}, False),
        (["manage.py", "migrate"], {"DATABASE_URL": "postgres://x/p", "REDIS_URL": "redis://r:6379"}, False),
        # production declared: refused by the settings, never started here
        (["manage.py", "migrate"], {"DEBUG": "0"}, False),
        (["manage.py", "migrate"], {"PRODUCTION": "1"}, False),
        (["manage.py", "migrate"], {"DEBUG": "0", "EMBEDDED": "1"}, False),
        (["manage.py", "migrate"], {"DEBUG": "1"}, True),
        (["manage.py", "migrate"], {"DEBUG": "1", "DATABASE_URL": "postgres://db.internal/portal"}, True),  # Redis
    ],
)
def test_which_commands_start_the_embedded_stack(argv, environ, starts):
    from config.embedded import wanted_by

    assert wanted_by(argv, environ) is starts
