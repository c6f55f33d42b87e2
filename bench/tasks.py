"""The naive way, for comparison only: one task and one ORM save per application."""

from celery import shared_task
from django.utils import timezone

from screening import rules
from screening.models import Application, Evaluation
from screening.selectors import job_requirements


@shared_task
def score_one_naive(application_id: int) -> None:
    application = Application.objects.select_related("job").get(pk=application_id)
    requirements, revisions = job_requirements(job=application.job)
    outcome = rules.score_profile(
        requirements,
        {**application.profile, "answers": application.answers},  # what the engine reads
        threshold=application.job.advance_threshold,
        today=timezone.localdate(),
    )
    Evaluation.objects.update_or_create(
        application=application,
        defaults={
            "score": outcome.score,
            "max_possible": outcome.max_possible,
            "recommendation": outcome.recommendation,
            "results": outcome.results,
            "revisions": revisions,
            "evaluated_at": timezone.now(),
            "knockout_failed": outcome.knockout_failed,
            "unknown_count": outcome.unknown_count,
        },
    )
