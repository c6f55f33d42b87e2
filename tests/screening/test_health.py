import pytest
from celery import Celery

from screening import health

pytestmark = pytest.mark.django_db


@pytest.mark.worker
def test_healthz_is_200_with_database_redis_and_a_worker(client, celery_worker):
    response = client.get("/healthz")
    # celery_worker started one worker on this run's broker: exactly it answers the ping
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "redis": True, "celery_workers": 1}


def test_healthz_is_503_when_no_worker_listens(client, settings, monkeypatch):
    # the same real Redis, but a broker database no worker consumes from
    from config.settings.base import redis_url

    lonely = Celery("lonely", broker=redis_url(settings.REDIS_URL, 9, for_celery=True), set_as_current=False)
    monkeypatch.setattr(health, "celery_app", lonely)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": True, "redis": True, "celery_workers": 0}


def test_healthz_is_503_when_redis_is_unreachable(client, monkeypatch, tmp_path):
    gone = Celery("gone", broker=f"redis+socket://{tmp_path}/no-such.sock", set_as_current=False)
    monkeypatch.setattr(health, "celery_app", gone)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": True, "redis": False, "celery_workers": 0}
