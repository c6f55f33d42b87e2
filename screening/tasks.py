"""Thin tasks: take ids, call a service. Reliability settings live in config/settings."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import background, progress, selectors, services
from .services import pool as talent_pool
from .services import preview as whatif

logger = logging.getLogger(__name__)

# A database that is briefly away (restart, failover, a cut connection) is no reason to drop the work:
# without this the delivery is acked as failed and the application waits for the sweep (10 minutes).
# Retried 20 times with growing, jittered pauses (up to 30 s); the sweep covers longer outages. An outage
# is not taken for lost deliveries: the attempt counter only moves while the database answers, and the
# scoring that succeeds after it resets the counter.
RETRY_WHILE_DATABASE_AWAY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 1,
    "retry_backoff_max": 30,
    "retry_jitter": True,
    "max_retries": 20,
}


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY_WHILE_DATABASE_AWAY)
def score_application(application_id: int) -> None:
    if services.application_start_scoring_attempt(application_id=application_id):
        services.application_score(application_id=application_id)


@shared_task
def sweep_unscored() -> int:
    ids = services.unscored_application_ids(older_than_seconds=settings.SCORING_SWEEP_AFTER)
    for pk in ids:
        background.enqueue(background.SCORE_APPLICATION, pk)
    if ids:
        logger.info("sweep re-enqueued %d unscored applications", len(ids))
    return len(ids)


# Bulk work runs on its own queue ("bulk", see CELERY_TASK_ROUTES) so it never delays a fresh application.
# These fan out: they read which applications need scoring and queue them in chunks.
@shared_task(**RETRY_WHILE_DATABASE_AWAY)
def rescore_checklist(checklist_id: int, everything: bool = False) -> int:
    background.started(f"checklist:{checklist_id}:{everything}")  # a change from now on asks for a new run
    ids = selectors.checklist_application_ids_to_score(checklist_id=checklist_id, everything=everything)
    _score_in_chunks(ids, progress.start(progress.checklist_key(checklist_id), len(ids)))
    return len(ids)


@shared_task(**RETRY_WHILE_DATABASE_AWAY)
def rescore_job(job_id: int, everything: bool = False) -> int:
    background.started(f"job:{job_id}:{everything}")
    ids = selectors.job_application_ids_to_score(job_id=job_id, everything=everything)
    _score_in_chunks(ids, None)
    return len(ids)


@shared_task(**RETRY_WHILE_DATABASE_AWAY)
def score_many(application_ids: list[int]) -> int:
    _score_in_chunks(application_ids, None)
    return len(application_ids)


def _score_in_chunks(ids: list[int], progress_key: str | None) -> None:
    size = settings.RESCORE_CHUNK_SIZE
    for i in range(0, len(ids), size):
        background.enqueue(background.SCORE_CHUNK, ids[i : i + size], progress_key)


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY_WHILE_DATABASE_AWAY)
def score_chunk(application_ids: list[int], progress_key: str | None = None) -> int:
    scored = services.applications_score(application_ids=application_ids)
    if progress_key:
        progress.advance(progress_key, len(application_ids))
    return scored


@shared_task(**RETRY_WHILE_DATABASE_AWAY)
def preview_checklist_change(preview_id: str) -> None:
    """A what-if preview too large for the admin's request (services/preview.py): reads only, result in the cache."""
    whatif.preview_run(preview_id=preview_id)


@shared_task(**RETRY_WHILE_DATABASE_AWAY)
def send_pool_invitations() -> int:
    """The talent pool's invitations not sent yet (after HR's invite, and every minute by beat for failures)."""
    return talent_pool.pool_invitations_send()


@shared_task
def purge_pending_uploads() -> int:
    from .uploads import purge_pending

    return purge_pending()


@shared_task
def clear_expired_sessions() -> None:
    # the database session backend never deletes a session row by itself, not even long expired ones
    from django.core.management import call_command

    call_command("clearsessions")


@shared_task
def purge_expired_applications() -> int:
    from .services.retention import purge_expired

    return purge_expired().applications
