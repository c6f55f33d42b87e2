"""The one way to ask for background work: a task by name, sent once the current transaction commits.

Tasks import services, never the other way round; so services (and signals, admin, views) name the task
they want here instead of importing it. Sent after commit, a task never reads a row its caller has not
committed yet, and a rolled-back request sends nothing. Outside a transaction it is sent at once.
Routing (which queue) follows the name, as CELERY_TASK_ROUTES says.
"""

from celery import current_app
from django.core.cache import cache
from django.db import transaction

SCORE_APPLICATION = "screening.tasks.score_application"
SCORE_CHUNK = "screening.tasks.score_chunk"
SCORE_MANY = "screening.tasks.score_many"
RESCORE_CHECKLIST = "screening.tasks.rescore_checklist"
RESCORE_JOB = "screening.tasks.rescore_job"
PREVIEW_CHECKLIST_CHANGE = "screening.tasks.preview_checklist_change"
NAMES = {SCORE_APPLICATION, SCORE_CHUNK, SCORE_MANY, RESCORE_CHECKLIST, RESCORE_JOB, PREVIEW_CHECKLIST_CHANGE}


def register(*names: str) -> None:
    """An audience app's own tasks (the API's webhook deliveries), named by that app when it is ready: the
    domain names none of them."""
    NAMES.update(names)


def enqueue(name: str, *args, once: str | None = None, once_seconds: int = 60) -> None:
    """Send task `name` with `args` after commit. With `once`, a key: not again while the same key was sent
    in the last `once_seconds` and the task has not yet started (it calls `started(once)`): one admin save
    edits several inlines, and each would ask for the same rescore."""
    if name not in NAMES:  # a typo fails here, in the request, not silently in a worker
        raise KeyError(f"no such task: {name}")

    def send():
        if once is None or cache.add(_once_key(once), 1, timeout=once_seconds):
            current_app.send_task(name, args=args)

    transaction.on_commit(send)


def started(once: str) -> None:
    """The task asked for under `once` has started: a change from now on asks for a new run."""
    cache.delete(_once_key(once))


def _once_key(once: str) -> str:
    return f"enqueued-once:{once}"
