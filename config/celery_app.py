import os

from celery import Celery
from celery.signals import task_prerun, worker_init

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


@task_prerun.connect
def _close_unusable_connections(task=None, **kwargs):
    # with CELERY_DB_REUSE_MAX the connection outlives a task: drop it when broken (a PostgreSQL restart)
    # or older than CONN_MAX_AGE, as Django does between requests (not for a task run eagerly in a request)
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


def worker_command(
    *, name: str, concurrency: int = 2, loglevel: str = "INFO", extra: tuple[str, ...] = (), queues: str = ""
) -> list[str]:
    """The command that starts a worker on every queue this app routes to (make run, tests, benchmarks), or on
    `queues` only (a test's worker of its own)."""
    import sys

    queues = queues or ",".join(q.name for q in app.conf.task_queues)
    return [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queues, "--concurrency", str(concurrency),
        "-l", loglevel, "-n", name, *extra,
    ]  # fmt: skip
