"""Thin tasks: take ids, call a service. Reliability settings live in config/settings."""

import logging

from celery import shared_task

from . import progress, services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def score_application(application_id: int) -> None:
    if services.application_start_scoring_attempt(application_id=application_id):
        services.application_score(application_id=application_id)


@shared_task
def sweep_unscored() -> int:
    from django.conf import settings  # noqa: PLC0415

    ids = services.unscored_application_ids(older_than_seconds=settings.SCORING_SWEEP_AFTER)
    for pk in ids:
        score_application.delay(pk)
    if ids:
        logger.info("sweep re-enqueued %d unscored applications", len(ids))
    return len(ids)


# Bulk work runs on its own queue ("bulk", see CELERY_TASK_ROUTES) so it never delays a fresh application.
@shared_task
def rescore_checklist(checklist_id: int, everything: bool = False) -> int:
    return services.checklist_rescore(checklist_id=checklist_id, everything=everything)


@shared_task
def rescore_job(job_id: int, everything: bool = False) -> int:
    return services.job_rescore(job_id=job_id, everything=everything)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def score_chunk(application_ids: list[int], progress_key: str | None = None) -> int:
    scored = services.applications_score(application_ids=application_ids)
    if progress_key:
        progress.advance(progress_key, len(application_ids))
    return scored


@shared_task
def purge_pending_uploads() -> int:
    from .uploads import purge_pending

    return purge_pending()


@shared_task
def purge_expired_applications() -> int:
    from .retention import purge_expired

    return purge_expired().applications
