import os
import socket
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    """The session starts (or joins) the embedded PostgreSQL and Redis where DATABASE_URL / REDIS_URL name none;
    it stops when the last process using it exits. The settings only say where it lives."""
    if config.getoption("help") or config.getoption("version"):
        return
    from config.embedded import setup_environment

    if not setup_environment(ROOT):
        return
    # pytest-django read the settings before this ran, from the same var/: they already name these servers unless
    # pgserver put PostgreSQL's socket elsewhere (a var/ path too long for a unix socket). Nothing has connected yet.
    import environ
    from django.conf import settings

    started = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    database = settings.DATABASES["default"]
    for key in ("HOST", "PORT", "NAME", "USER", "PASSWORD"):
        database[key] = started[key]
    database["OPTIONS"] = {**database.get("OPTIONS", {}), **started["OPTIONS"]}


def _database_url(s: dict) -> str:
    host = s.get("HOST") or s.get("OPTIONS", {}).get("host", "")
    auth = quote(s["USER"]) + (f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else "")
    if host.startswith("/"):
        return f"postgres://{auth}@/{s['NAME']}?host={quote(host)}"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{s['NAME']}"


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker process on the real Redis, using the test database."""
    from django.db import connection

    from config.celery_app import app, worker_command

    app.control.purge()  # nothing left over from an earlier run
    env = {**os.environ, "DATABASE_URL": _database_url(connection.settings_dict), "CONN_MAX_AGE": "0"}
    name = f"test-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
    from django.conf import settings

    (settings.VAR_DIR / "log").mkdir(parents=True, exist_ok=True)  # with external servers nothing else makes it
    log = open(settings.VAR_DIR / "log" / "test-worker.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        worker_command(name=name, extra=("--without-mingle", "--without-gossip")),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[name], timeout=0.5):  # this run's worker, not another's
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"Celery worker did not start; see {log.name}")
    with django_db_blocker.unblock():
        _outwait_the_worker_in_deadlocks()
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
    with django_db_blocker.unblock():
        _wait_for_other_sessions_to_leave(connection)


DEADLOCK_TIMEOUT_HERE = "20s"


def _outwait_the_worker_in_deadlocks() -> None:
    """A transactional test's teardown truncates every table, one lock after another; a task the worker runs at
    that moment (scoring what the test submitted) may hold one of them and want another: a deadlock, in which
    PostgreSQL ends the transaction of whichever backend checks first (after its deadlock_timeout, 1 s by default).
    This process checks later, so the worker's transaction is the one ended (its task is retried and finds
    nothing), never the teardown (CI once had five tests "error" in their flush). Needs a superuser connection,
    as the embedded stack's is; elsewhere it changes nothing."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    def lengthen(sender, connection, **kwargs):
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SET deadlock_timeout = '{DEADLOCK_TIMEOUT_HERE}'")
        except Exception:  # not a superuser: PostgreSQL's default stands
            pass

    connection_created.connect(lengthen, weak=False)
    if connection.connection is not None:
        lengthen(None, connection)


def _wait_for_other_sessions_to_leave(connection, timeout: float = 10.0) -> None:
    """The worker's backends linger a moment after it exits; the test database can't be dropped until then."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cur:
        while time.monotonic() < deadline:
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cur.fetchone()[0] == 0:
                return
            time.sleep(0.1)


def wait_for(predicate, timeout: float = 15.0, interval: float = 0.1):
    """Poll until predicate() is truthy; return its value or fail with the time waited."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"condition not reached within {timeout}s")
        time.sleep(interval)


@pytest.fixture
def hr_user(db, django_user_model):
    from screening.roles import ensure_roles

    user = django_user_model.objects.create_user("hr-test", password="pw-for-tests-only", is_staff=True)
    user.groups.add(ensure_roles())
    return user


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    return client


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (rate limits, rescoring markers, progress)."""
    from django.core.cache import cache

    from screening import selectors

    cache.clear()
    selectors._FORM_PARTS.clear()  # the process's copy of the form parts, too


@pytest.fixture(autouse=True)
def _rate_limit_clock(monkeypatch):
    """django-ratelimit counts in fixed windows aligned to the clock: a test that makes N requests and expects the
    N+1st refused would, run across a window's end, test the clock instead of the limit (CI once read a window's
    time_left as 0 in its last second). Its clock stands still during each test."""
    import time
    from types import SimpleNamespace

    now = time.time()
    monkeypatch.setattr("django_ratelimit.core.time", SimpleNamespace(time=lambda: now))


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run (Playwright's sync API allows one per thread)."""
    from tests.browser.conftest import ARGS, CHROMIUM

    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"no Chromium at {CHROMIUM} and REQUIRE_BROWSER is set")
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium fonts-noto-cjk to run browser tests")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in these tests are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def free_port() -> int:
    """A local TCP port nobody listens on now (for a server a test starts, or a relay that answers nobody)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def relay_out_of_reach(settings) -> None:
    """E-mail goes through SMTP to a port nobody listens on: every send fails before anything is handed over."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
