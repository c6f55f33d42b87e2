"""Reads for the API, each scoped by the client: its user sees the jobs an HR reviewer on the same hiring
teams would (selectors.jobs_visible_to), and nothing else."""

from types import SimpleNamespace

from django.db.models import Prefetch, QuerySet

from screening import selectors
from screening.evidence import render_all
from screening.models import Application, Checklist, Job, Requirement
from screening.rules import sensitive_reads
from screening.rules.vocab import SENSITIVE_DECLARATIONS

from . import pagination


def client_jobs(*, client) -> QuerySet[Job]:
    return selectors.jobs_visible_to(client.user)


def client_applications(*, client) -> QuerySet[Application]:
    return Application.objects.filter(job__in=client_jobs(client=client))


def client_checklists(*, client) -> QuerySet[Checklist]:
    return Checklist.objects.filter(job_checklists__job__in=client_jobs(client=client)).distinct()


def _requirements_prefetch():
    return Prefetch("requirements", queryset=Requirement.objects.order_by("order", "id"))


def job_detail(*, job: Job) -> Job:
    checklists = list(
        Checklist.objects.filter(job_checklists__job=job)
        .order_by("job_checklists__order", "job_checklists__id")
        .prefetch_related(_requirements_prefetch())
    )
    job.ordered_checklists = checklists
    job.revisions = {c.slug: c.revision for c in checklists}
    return job


def checklists_with_requirements(queryset: QuerySet[Checklist]) -> QuerySet[Checklist]:
    return queryset.prefetch_related(_requirements_prefetch()).order_by("slug")


def _flat(evaluation, current: dict) -> dict:
    return {
        "score": float(evaluation.score), "max_possible": float(evaluation.max_possible),
        "recommendation": evaluation.recommendation, "knockout_failed": evaluation.knockout_failed,
        "unknown_count": evaluation.unknown_count, "stale": evaluation.revisions != current,
    }  # fmt: skip


_EMPTY = dict.fromkeys(("score", "max_possible", "recommendation", "knockout_failed", "unknown_count"))


def application_page(*, job: Job, applications: QuerySet[Application], cursor: str | None, size: int):
    """One page of `applications` (selectors.job_ranked_applications, filtered: ranked as HR's list) and the cursor
    of the next, or None."""
    rows = list(pagination.after(applications, cursor).defer("profile", "answers", "evaluation__results")[: size + 1])
    current = selectors.job_current_revisions(job=job)
    page = rows[:size]
    for a in page:
        evaluation = getattr(a, "evaluation", None)
        a.job_slug = job.slug
        for key, value in (_flat(evaluation, current) if evaluation else {**_EMPTY, "stale": False}).items():
            setattr(a, key, value)
    return page, (pagination.encode(page[-1]) if len(rows) > size else None)


def _sensitive_requirements(requirements) -> set[tuple[str, str]]:
    keep_out = {"health", "criminal_record"}
    return {(r.checklist, r.code) for r in requirements if keep_out & sensitive_reads(r.condition)}


def _profile_without_sensitive(profile: dict) -> dict:
    """The profile as stored, less the health and criminal-record declarations (never sent out, as exports)."""
    profile = dict(profile)
    declarations = {k: v for k, v in (profile.get("declarations") or {}).items() if k not in SENSITIVE_DECLARATIONS}
    if "declarations" in profile:
        profile["declarations"] = declarations
    return profile


def application_detail(*, application: Application) -> SimpleNamespace:
    """Everything the API shows of one application, evidence rendered in the active language."""
    job = application.job
    requirements, current = selectors.job_requirements(job=job)
    hidden = _sensitive_requirements(requirements)
    questions = selectors.job_question_texts(job=job)
    evaluation = getattr(application, "evaluation", None)
    shown = None
    if evaluation is not None:
        shown = {
            **_flat(evaluation, current),
            "evaluated_at": evaluation.evaluated_at,
            "revisions": evaluation.revisions,
            "requirements": [
                {
                    "checklist": r["checklist"],
                    "code": r["code"],
                    "title": r["title"],
                    "status": r["status"],
                    "knockout": r["knockout"],
                    "weight": r["weight"],
                    "kind": r.get("kind"),
                    "evidence": render_all(r.get("evidence") or [], questions),
                }  # fmt: skip
                for r in evaluation.results
                if (r["checklist"], r["code"]) not in hidden
            ],
        }
    history = list(application.stage_changes.select_related("by"))
    for change in history:
        change.by_name = change.by.get_username() if change.by else None
    answers = []
    for code, answer in (application.answers or {}).items():
        prompt, options = questions.get(code, (code, {}))
        answers.append({"code": code, "prompt": prompt, "answer": str(answer), "answer_label": options.get(answer, "")})
    return SimpleNamespace(
        id=application.pk, job=job, applicant=application.applicant, stage=application.stage,
        source=application.source, submitted_at=application.submitted_at, decided_at=application.decided_at,
        rejection_reason=application.rejection_reason, needs_manual_review=application.needs_manual_review,
        profile=_profile_without_sensitive(application.profile or {}), answers=answers, evaluation=shown,
        history=history,
    )  # fmt: skip
