"""Scoring writes: evaluations, revisions, and asking for (re)scoring in the background."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from psycopg2.extras import Json, execute_values

from .. import progress, rules
from ..models import Application, Checklist, Evaluation, Job
from ..selectors import job_requirements, job_stale_applications

logger = logging.getLogger(__name__)


def checklist_bump_revision(*, checklist_id: int) -> None:
    """A change to the checklist or its items: new revision, and its jobs' applications rescored after commit."""
    Checklist.objects.filter(pk=checklist_id).update(revision=F("revision") + 1, updated_at=timezone.now())
    checklist_request_rescore(checklist_id=checklist_id)


def _enqueue_once(key: str, task, *args) -> None:
    """After commit, queue `task` unless the same one was queued in the last minute: one admin save edits
    several inlines (or job checklists) at once and each would ask for the same rescore."""

    def enqueue():
        if cache.add(f"rescore-pending:{key}", 1, timeout=60):
            task.delay(*args)

    transaction.on_commit(enqueue)


def checklist_request_rescore(*, checklist_id: int) -> None:
    from ..tasks import rescore_checklist

    _enqueue_once(f"checklist:{checklist_id}", rescore_checklist, checklist_id)


def job_request_rescore(*, job_id: int, everything: bool = False) -> None:
    from ..tasks import rescore_job

    _enqueue_once(f"job:{job_id}:{everything}", rescore_job, job_id, everything)


def checklist_rescore(*, checklist_id: int, everything: bool = False) -> int:
    """Queue the stale (or all) applications of every job using the checklist, in chunks, with progress."""
    cache.delete(f"rescore-pending:checklist:{checklist_id}")
    jobs = Job.objects.filter(job_checklists__checklist_id=checklist_id).distinct()
    chunks = [chunk for job in jobs for chunk in _chunks(_job_application_ids(job=job, everything=everything))]
    run = progress.start(progress.checklist_key(checklist_id), sum(len(c) for c in chunks))
    _enqueue_chunks(chunks, run)
    return sum(len(c) for c in chunks)


def job_rescore(*, job_id: int, everything: bool = False) -> int:
    cache.delete(f"rescore-pending:job:{job_id}:{everything}")  # a change from now on queues a new run
    job = Job.objects.filter(pk=job_id).first()
    if job is None:  # deleted meanwhile (its checklists went with it)
        return 0
    ids = _job_application_ids(job=job, everything=everything)
    _enqueue_chunks(list(_chunks(ids)), None)
    return len(ids)


def _job_application_ids(*, job: Job, everything: bool) -> list[int]:
    if everything:
        return list(Application.objects.filter(job=job).order_by("pk").values_list("pk", flat=True))
    return job_stale_application_ids(job=job)


def enqueue_bulk_scoring(*, application_ids: list[int]) -> None:
    """Score many applications on the bulk queue, in chunks, after the current transaction commits."""
    chunks = list(_chunks(application_ids))
    Application.objects.filter(pk__in=application_ids).update(scoring_enqueued_at=timezone.now())
    transaction.on_commit(lambda: _enqueue_chunks(chunks, None))


def _chunks(ids: list[int]):
    size = settings.RESCORE_CHUNK_SIZE
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _enqueue_chunks(chunks: list[list[int]], progress_key: str | None) -> None:
    from ..tasks import score_chunk

    for chunk in chunks:
        score_chunk.delay(chunk, progress_key)


def applications_score(*, application_ids: list[int], today: date | None = None) -> int:
    """Score applications against their jobs' current checklists and upsert one evaluation each.

    The one scoring path for a fresh application and for bulk rescoring: plain rows in, one
    INSERT … ON CONFLICT DO UPDATE out, so two deliveries racing still leave one evaluation. The
    evaluation's time is taken before the checklists are read, and an upsert never replaces a newer
    evaluation: a slow run that read an older revision cannot overwrite a faster run that read the new one.
    """
    today = today or timezone.localdate()
    started = timezone.now()
    rows = Application.objects.filter(pk__in=application_ids).values_list(
        "pk", "job_id", "job__advance_threshold", "profile", "answers"
    )
    by_job: dict[int, tuple[list[rules.Requirement], dict[str, int]]] = {}
    values = []
    for pk, job_id, threshold, profile, answers in rows:
        if job_id not in by_job:
            by_job[job_id] = job_requirements(job=Job(pk=job_id))
        requirements, revisions = by_job[job_id]
        outcome = rules.score_profile(requirements, {**profile, "answers": answers}, threshold=threshold, today=today)
        values.append(
            (pk, outcome.score, outcome.max_possible, outcome.recommendation, Json(outcome.results), Json(revisions),
             started, outcome.knockout_failed, outcome.unknown_count)
        )  # fmt: skip
    if values:
        with connection.cursor() as cur:
            execute_values(cur.cursor, _UPSERT, values, page_size=1000)
    return len(values)


_UPSERT = f"""
INSERT INTO {Evaluation._meta.db_table}
    (application_id, score, max_possible, recommendation, results, revisions, evaluated_at, knockout_failed,
     unknown_count)
VALUES %s
ON CONFLICT (application_id) DO UPDATE SET
    score = EXCLUDED.score, max_possible = EXCLUDED.max_possible, recommendation = EXCLUDED.recommendation,
    results = EXCLUDED.results, revisions = EXCLUDED.revisions, evaluated_at = EXCLUDED.evaluated_at,
    knockout_failed = EXCLUDED.knockout_failed, unknown_count = EXCLUDED.unknown_count
WHERE {Evaluation._meta.db_table}.evaluated_at <= EXCLUDED.evaluated_at
"""


def application_score(*, application_id: int, today: date | None = None) -> bool:
    """Score one application; False when it no longer exists."""
    with transaction.atomic():
        scored = applications_score(application_ids=[application_id], today=today)
        Application.objects.filter(pk=application_id).update(scoring_attempts=0)
    return bool(scored)


def job_stale_application_ids(*, job: Job) -> list[int]:
    """Applications of the job never scored, or scored against other checklist revisions than now."""
    unscored = Application.objects.filter(job=job, evaluation__isnull=True)
    stale = job_stale_applications(job=job)
    return sorted(unscored.values_list("pk", flat=True).union(stale.values_list("pk", flat=True)))


def application_start_scoring_attempt(*, application_id: int) -> bool:
    """Count a delivery of the scoring task; False (and flag for manual review) after too many."""
    updated = Application.objects.filter(pk=application_id).update(scoring_attempts=F("scoring_attempts") + 1)
    if not updated:
        return False
    attempts = Application.objects.values_list("scoring_attempts", flat=True).get(pk=application_id)
    if attempts > settings.SCORING_MAX_ATTEMPTS:
        Application.objects.filter(pk=application_id).update(needs_manual_review=True)
        logger.warning("application %s: %s scoring attempts, marked for manual review", application_id, attempts)
        return False
    return True


def unscored_application_ids(*, older_than_seconds: int) -> list[int]:
    """Unscored applications whose scoring was queued longer ago than a task can take (its message was lost),
    marked as queued again now. Waiting in a long queue is not lost: those are left alone."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=older_than_seconds)
    with transaction.atomic():
        ids = list(
            Application.objects.filter(evaluation__isnull=True, needs_manual_review=False)
            .filter(Q(scoring_enqueued_at__lt=cutoff) | Q(scoring_enqueued_at__isnull=True, submitted_at__lt=cutoff))
            .exclude(stage=Application.Stage.WITHDRAWN)
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:1000]
        )
        Application.objects.filter(pk__in=ids).update(scoring_enqueued_at=now)
    return ids


def application_enqueue_scoring(*, application: Application) -> None:
    from ..tasks import score_application  # noqa: PLC0415

    Application.objects.filter(pk=application.pk).update(
        scoring_attempts=0, needs_manual_review=False, scoring_enqueued_at=timezone.now()
    )
    transaction.on_commit(lambda: score_application.delay(application.pk))
