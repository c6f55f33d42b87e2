"""Writes: everything that changes the database in more than one step."""

import logging
from datetime import date

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import rules
from .models import Applicant, Application, Checklist, Evaluation, Job
from .selectors import job_requirements

logger = logging.getLogger(__name__)

EVALUATION_FIELDS = ["score", "max_possible", "recommendation", "results", "revisions", "evaluated_at"]


def checklist_bump_revision(*, checklist_id: int) -> None:
    Checklist.objects.filter(pk=checklist_id).update(revision=F("revision") + 1, updated_at=timezone.now())


def applicant_find_or_create(*, name: str, email: str, phone: str) -> Applicant:
    """The same e-mail or the same normalised mobile number is the same person."""
    email = email.strip().lower()
    applicant = Applicant.objects.filter(email=email).first() or Applicant.objects.filter(phone=phone).first()
    if applicant is None:
        return Applicant.objects.create(name=name, email=email, phone=phone)
    if (applicant.name, applicant.email, applicant.phone) != (name, email, phone):
        applicant.name, applicant.email, applicant.phone = name, email, phone
        applicant.save(update_fields=["name", "email", "phone", "updated_at"])
    return applicant


def application_submit(
    *,
    job: Job,
    name: str,
    email: str,
    phone: str,
    profile: dict,
    answers: dict,
    resume: UploadedFile | None = None,
    source: str = Application.Source.WEB,
) -> Application:
    from .tasks import score_application  # noqa: PLC0415 - tasks import services

    with transaction.atomic():
        applicant = applicant_find_or_create(name=name, email=email, phone=phone)
        application, _created = Application.objects.update_or_create(
            applicant=applicant,
            job=job,
            defaults={
                "profile": profile,
                "answers": answers,
                "source": source,
                "submitted_at": timezone.now(),
                "scoring_attempts": 0,
                "needs_manual_review": False,
            },
        )
        if resume is not None:
            application.resume.save(resume.name, resume, save=True)
        # The worker must see the committed row: enqueue only after commit.
        transaction.on_commit(lambda: score_application.delay(application.pk))
    return application


def application_score(*, application_id: int, today: date | None = None) -> Evaluation | None:
    """Score one application against its job's current checklists; scoring again replaces the evaluation."""
    application = Application.objects.select_related("job").filter(pk=application_id).first()
    if application is None:  # deleted since it was queued
        return None
    requirements, revisions = job_requirements(job=application.job)
    outcome = rules.score_profile(
        requirements,
        application.engine_profile(),
        threshold=application.job.advance_threshold,
        today=today or timezone.localdate(),
    )
    evaluation = Evaluation(
        application=application,
        score=outcome.score,
        max_possible=outcome.max_possible,
        recommendation=outcome.recommendation,
        results=outcome.results,
        revisions=revisions,
        evaluated_at=timezone.now(),
    )
    with transaction.atomic():
        # one statement (INSERT … ON CONFLICT DO UPDATE): two deliveries racing still leave one evaluation
        Evaluation.objects.bulk_create(
            [evaluation], update_conflicts=True, unique_fields=["application"], update_fields=EVALUATION_FIELDS
        )
        Application.objects.filter(pk=application.pk).update(scoring_attempts=0)
    return evaluation


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
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    return list(
        Application.objects.filter(evaluation__isnull=True, needs_manual_review=False, submitted_at__lt=cutoff)
        .exclude(stage=Application.Stage.WITHDRAWN)
        .values_list("pk", flat=True)[:1000]
    )


def application_enqueue_scoring(*, application: Application) -> None:
    from .tasks import score_application  # noqa: PLC0415

    Application.objects.filter(pk=application.pk).update(scoring_attempts=0, needs_manual_review=False)
    transaction.on_commit(lambda: score_application.delay(application.pk))
