import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from config.celery_app import app as celery_app

# Pinging the workers waits a whole second for their replies: with six monitors polling, that held a gunicorn
# process per poll and pushed GET / from 8 ms to 2–3 s. The count is shared through the cache (Redis: every web
# server) and is fresh for HEALTH_WORKERS_TTL seconds; then one request at a time pings (PINGING is its lock), while
# the others answer with the LAST count instead of waiting.
FRESH = "healthz:workers:fresh"
LAST = "healthz:workers:last"
PINGING = "healthz:workers:pinging"
PING_TIMEOUT = 1.0


def _database() -> bool:
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        return True
    except Exception:
        return False


def _redis() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            conn.default_channel.client.ping()
        return True
    except Exception:
        return False


def _ping_workers() -> int:
    try:
        replies = celery_app.control.ping(timeout=PING_TIMEOUT)
    except Exception:
        return 0
    return len(replies or [])


def _workers() -> int:
    try:
        return _shared_worker_count()
    except Exception:  # the cache is unreachable although the broker answered: ask the workers directly
        return _ping_workers()


def _shared_worker_count() -> int:
    count = cache.get(FRESH)
    if count is not None:
        return count
    if cache.add(PINGING, 1, timeout=int(PING_TIMEOUT) + 5):  # expires should this process die while pinging
        try:
            count = _ping_workers()
            cache.set(LAST, count, timeout=3600)
            cache.set(FRESH, count, timeout=settings.HEALTH_WORKERS_TTL)
        finally:
            cache.delete(PINGING)
        return count
    # another request is pinging: its answer is a second away, the last one is here
    deadline = time.monotonic() + PING_TIMEOUT + 1
    while (count := cache.get(LAST)) is None and time.monotonic() < deadline:
        time.sleep(0.05)  # only until the very first count is known
    return count or 0


@never_cache
def healthz(request):
    database, redis = _database(), _redis()
    workers = _workers() if redis else 0
    ok = database and redis and workers > 0
    body = {"status": "ok" if ok else "degraded", "database": database, "redis": redis, "celery_workers": workers}
    return JsonResponse(body, status=200 if ok else 503)
