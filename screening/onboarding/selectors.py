"""Reads after the hire, scoped: employee data is seen by HR of the job's team and by the hire's mentor and
assessor, nobody else (one scoping rule, used by every onboarding page)."""

from django.db.models import Count, Q, QuerySet

from screening import selectors as screening_selectors
from screening.models import Job, Requirement

from . import quality
from .models import Assessment, Employment, Outcome

# the five demands of a team lead (seed 004) when a job names no qualities (素质) of its own
DEFAULT_QUALITIES = {
    "ability": "有能力",
    "attitude": "有态度",
    "responsibility": "有责任",
    "initiative": "有主动",
    "teamwork": "有团队",
}


def employments_visible_to(user) -> QuerySet[Employment]:
    if not user.is_authenticated:
        return Employment.objects.none()
    hr_jobs = screening_selectors.jobs_visible_to(user)
    return Employment.objects.filter(Q(application__job__in=hr_jobs) | Q(mentor=user) | Q(assessor=user)).distinct()


def employment_is_hr(*, user, employment: Employment) -> bool:
    """HR of the job's team (not only its mentor or assessor): may assign people and grant permissions."""
    return screening_selectors.jobs_visible_to(user).filter(pk=employment.application.job_id).exists()


def employment_may_assess(*, user, employment: Employment) -> bool:
    return employment.assessor_id == user.pk or employment_is_hr(user=user, employment=employment)


def employment_list(*, user) -> QuerySet[Employment]:
    return (
        employments_visible_to(user)
        .select_related("application__applicant", "application__job", "mentor", "assessor")
        .annotate(
            n_tasks=Count("tasks", distinct=True),
            n_done=Count("tasks", filter=Q(tasks__done_at__isnull=False), distinct=True),
        )
        .order_by("-started_on", "-pk")
    )


def job_qualities(*, job: Job) -> dict[str, str]:
    """{code: title} of the qualities (素质) the job screens for: what supervisors rate 1–5."""
    rows = (
        Requirement.objects.filter(checklist__job_checklists__job=job, category=Requirement.Category.TRAIT)
        .order_by("checklist__job_checklists__order", "order", "id")
        .values_list("code", "title")
    )
    found: dict[str, str] = {}
    for code, title in rows:
        found.setdefault(code, title)
    return found or dict(DEFAULT_QUALITIES)


def job_hire_outcomes(*, job: Job) -> list[quality.Hire]:
    """Each hire of the job whose first decided assessment (pass or fail, in due order) is recorded, with the
    screening evaluation it was hired on."""
    decided = (
        Assessment.objects.filter(employment__application__job=job, outcome__in=[Outcome.PASS, Outcome.FAIL])
        .order_by("employment_id", "due_on", "attempt", "pk")
        .values_list("employment_id", "outcome", "employment__application__evaluation__score",
                     "employment__application__evaluation__results")
    )  # fmt: skip
    hires, seen = [], set()
    for employment_id, outcome, score, results in decided:
        if employment_id in seen:
            continue
        seen.add(employment_id)
        statuses = {f"{r['checklist']}/{r['code']}": r["status"] for r in results or []}
        hires.append(quality.Hire(passed=outcome == Outcome.PASS, score=float(score) if score is not None else None,
                                  statuses=statuses))  # fmt: skip
    return hires


def job_requirement_keys(*, job: Job) -> list[tuple[str, str, int]]:
    """(key, title, checklist id) of the job's requirements in its order, as evaluations name them."""
    rows = (
        Requirement.objects.filter(checklist__job_checklists__job=job)
        .order_by("checklist__job_checklists__order", "order", "id")
        .values_list("checklist__slug", "code", "title", "checklist_id")
    )
    return [(f"{slug}/{code}", title, checklist_id) for slug, code, title, checklist_id in rows]


def job_quality_report(*, job: Job) -> tuple[quality.Report, dict[str, int]]:
    """The report and {requirement key: its checklist id} (the what-if preview lives on the checklist)."""
    keys = job_requirement_keys(job=job)
    report = quality.quality_report(job_hire_outcomes(job=job), [(key, title) for key, title, _c in keys])
    return report, {key: checklist_id for key, _t, checklist_id in keys}
