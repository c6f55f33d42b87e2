from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from config.celery_app import app as celery_app


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


def _workers() -> int:
    try:
        replies = celery_app.control.ping(timeout=1.0)
    except Exception:
        return 0
    return len(replies or [])


@never_cache
def healthz(request):
    database, redis = _database(), _redis()
    workers = _workers() if redis else 0
    ok = database and redis and workers > 0
    body = {"status": "ok" if ok else "degraded", "database": database, "redis": redis, "celery_workers": workers}
    return JsonResponse(body, status=200 if ok else 503)
