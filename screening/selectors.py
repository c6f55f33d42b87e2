"""Reads for the pages and the worker."""

from django.db.models import F, QuerySet

from . import rules
from .models import Application, Checklist, Job, Requirement


def job_requirements(*, job: Job) -> tuple[list[rules.Requirement], dict[str, int]]:
    """The job's requirements in checklist order, as plain rule-engine data, and the revisions used."""
    checklists = list(Checklist.objects.filter(job_checklists__job=job).order_by("job_checklists__order",
                                                                                  "job_checklists__id"))
    order = {c.id: i for i, c in enumerate(checklists)}
    reqs = sorted(Requirement.objects.filter(checklist__in=checklists).select_related("checklist"),
                  key=lambda r: (order[r.checklist_id], r.order, r.id))
    plain = [
        rules.Requirement(checklist=r.checklist.slug, code=r.code, title=r.title, condition=r.condition,
                          weight=r.weight, knockout=r.knockout, partial_credit=r.partial_credit)
        for r in reqs
    ]
    return plain, {c.slug: c.revision for c in checklists}


def job_current_revisions(*, job: Job) -> dict[str, int]:
    return dict(Checklist.objects.filter(job_checklists__job=job).values_list("slug", "revision"))


def job_ranked_applications(*, job: Job) -> QuerySet[Application]:
    return (
        Application.objects.filter(job=job)
        .select_related("applicant", "evaluation")
        .order_by(F("evaluation__score").desc(nulls_last=True), "submitted_at")
    )


def open_jobs() -> QuerySet[Job]:
    return Job.objects.filter(status=Job.Status.OPEN).order_by("-created_at")
