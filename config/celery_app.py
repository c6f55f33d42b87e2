import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _check_time_limits(**kwargs):
    # A task running longer than the visibility timeout is delivered a second time while the
    # first run goes on: refuse to start a worker configured that way.
    visibility = app.conf.broker_transport_options.get("visibility_timeout", 3600)
    if not app.conf.task_time_limit or app.conf.task_time_limit >= visibility:
        raise RuntimeError(
            f"CELERY_TASK_TIME_LIMIT ({app.conf.task_time_limit}) must be set and below the Redis "
            f"visibility timeout ({visibility})"
        )
