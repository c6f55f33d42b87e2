"""Scoring writes: evaluations, revisions, and asking for (re)scoring in the background."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from psycopg2.extras import Json, execute_values

from .. import background, events, rules
from ..models import Application, Checklist, ChecklistRevision, Evaluation, Job, Question, Requirement
from ..selectors import job_requirements

logger = logging.getLogger(__name__)


def checklist_bump_revision(*, checklist_id: int) -> None:
    """A change to the checklist or its items: new revision, and its jobs' applications rescored after commit."""
    Checklist.objects.filter(pk=checklist_id).update(revision=F("revision") + 1, updated_at=timezone.now())
    checklist_record_revision(checklist_id=checklist_id)
    checklist_request_rescore(checklist_id=checklist_id)


_SNAPSHOT_REQUIREMENT = (
    "code", "title", "description", "category", "condition", "weight", "knockout", "partial_credit", "justification"
)  # fmt: skip


def checklist_record_revision(*, checklist_id: int) -> None:
    """Keep what the checklist is at its current revision: its requirements, each with the justification of an age
    or health condition, and its questions. Written again if the same revision is recorded twice (one upsert)."""
    revision = Checklist.objects.filter(pk=checklist_id).values_list("revision", flat=True).first()
    if revision is None:
        return
    snapshot = {
        "requirements": list(
            Requirement.objects.filter(checklist_id=checklist_id).order_by("order", "id").values(*_SNAPSHOT_REQUIREMENT)
        ),
        "questions": list(
            Question.objects.filter(checklist_id=checklist_id)
            .order_by("order", "id")
            .values("code", "prompt", "kind", "options")
        ),
    }
    ChecklistRevision.objects.bulk_create(
        [ChecklistRevision(checklist_id=checklist_id, revision=revision, snapshot=snapshot)],
        update_conflicts=True,
        unique_fields=["checklist", "revision"],
        update_fields=["snapshot"],
    )


def checklist_request_rescore(*, checklist_id: int, everything: bool = False) -> None:
    """The stale (with `everything`: all) applications of the checklist's jobs rescored in the background."""
    once = f"checklist:{checklist_id}:{everything}"
    background.enqueue(background.RESCORE_CHECKLIST, checklist_id, everything, once=once)


def job_request_rescore(*, job_id: int, everything: bool = False) -> None:
    once = f"job:{job_id}:{everything}"
    background.enqueue(background.RESCORE_JOB, job_id, everything, once=once)


def applications_request_scoring(*, application_ids: list[int]) -> None:
    """Many new applications (an import) scored in the background, on the bulk queue."""
    Application.objects.filter(pk__in=application_ids).update(scoring_enqueued_at=timezone.now())
    if application_ids:
        background.enqueue(background.SCORE_MANY, application_ids)


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
        events.emit(
            events.SCORED,
            (
                {
                    "application_id": v[0],
                    "job_id": r[1],
                    "score": float(v[1]),
                    "max_possible": float(v[2]),
                    "recommendation": v[3],
                }
                for r, v in zip(rows, values, strict=True)
            ),
        )
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
    """HR asks for a fresh score: the attempt counter and manual-review flag start again."""
    Application.objects.filter(pk=application.pk).update(
        scoring_attempts=0, needs_manual_review=False, scoring_enqueued_at=timezone.now()
    )
    background.enqueue(background.SCORE_APPLICATION, application.pk)
