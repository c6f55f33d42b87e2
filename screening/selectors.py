"""Reads for the pages and the worker."""

import json
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from . import estimate, explanation, fairness, giveaways, labels, profile_keys, rules
from .models import (
    Applicant,
    Application,
    ChatScenario,
    Checklist,
    Evaluation,
    Job,
    JobChecklist,
    Question,
    ReferralLink,
    Requirement,
    ReviewRequest,
    StageChange,
    TalentPoolEntry,
    VoluntarySelfId,
    in_english,
    same_contact,
    tr,
)
from .phone import normalise_mobile
from .worksamples import typing_test

CACHE_SECONDS = 3600


def _job_checklist_rows(job: Job) -> tuple[list[tuple[int, str, int]], str]:
    """(checklist id, slug, revision) in the job's order, and a cache key that changes with any of them or
    with a checklist's updated_at (moved by edits that change no score, e.g. a scenario's wording)."""
    rows = list(
        JobChecklist.objects.filter(job=job)
        .order_by("order", "id")
        .values_list("checklist_id", "checklist__slug", "checklist__revision", "checklist__updated_at")
    )
    key = f"job:{job.pk}:" + ",".join(f"{pk}.{rev}.{changed.timestamp()}" for pk, _slug, rev, changed in rows)
    return [row[:3] for row in rows], key


def _load_requirements(checklist_ids: list[int]) -> list[rules.Requirement]:
    order = {pk: i for i, pk in enumerate(checklist_ids)}
    reqs = sorted(
        Requirement.objects.filter(checklist_id__in=checklist_ids).select_related("checklist"),
        key=lambda r: (order[r.checklist_id], r.order, r.id),
    )
    scenarios = {
        s.code: s.as_engine_data()
        for s in ChatScenario.objects.filter(checklist_id__in=checklist_ids).only(
            "code", "keyword_groups", "min_groups"
        )
    }
    return [r.as_rule(scenarios) for r in reqs]


def job_requirements(*, job: Job) -> tuple[list[rules.Requirement], dict[str, int]]:
    """The job's requirements in checklist order, as plain rule-engine data, and the revisions used.

    Cached by the checklists' revisions and change times (see _job_checklist_rows): each submission and each
    scoring reads one small row set instead of loading the checklists.
    """
    rows, key = _job_checklist_rows(job)
    requirements = cache.get_or_set(
        f"{key}:requirements", lambda: _load_requirements([pk for pk, _slug, _rev in rows]), CACHE_SECONDS
    )
    return requirements, {slug: revision for _pk, slug, revision in rows}


def applications_matching(queryset: QuerySet[Application], text: str) -> QuerySet[Application]:
    """Applications whose person's name or e-mail contains `text`, or whose mobile contains its digits (a
    number typed with spaces or +86 finds the stored one); NUL, which PostgreSQL refuses in a string, is dropped.
    HR's list and the API search alike."""
    text = text.strip().replace("\x00", "")
    if not text:
        return queryset
    digits = normalise_mobile(text) or text
    return queryset.filter(
        Q(applicant__name__icontains=text) | Q(applicant__email__icontains=text) | Q(applicant__phone__contains=digits)
    )


def job_profile_reads(*, job: Job) -> set[tuple[str, str | None]]:
    """What the job's requirements read of a profile (rules.schemas.profile_reads): what its form asks and what
    an import or the API may keep."""
    requirements, _revisions = job_requirements(job=job)
    return set().union(*(rules.schemas.profile_reads(r.condition) for r in requirements))


def checklist_jobs_requirements(*, checklist_id: int) -> dict[int, list[rules.Requirement]]:
    """{job id: its requirements in checklist order} for every job using the checklist, read as the database
    holds them in this transaction and never cached: the what-if preview reads them inside the transaction
    that saved a proposed change and is rolled back (a cached copy would outlive it)."""
    rows = list(
        JobChecklist.objects.filter(job__job_checklists__checklist_id=checklist_id)
        .order_by("job_id", "order", "id")
        .values_list("job_id", "checklist_id")
    )
    loaded = _load_requirements(list(dict.fromkeys(pk for _job, pk in rows)))
    slugs = dict(Checklist.objects.filter(pk__in=[pk for _job, pk in rows]).values_list("pk", "slug"))
    jobs: dict[int, list[str]] = {}
    for job_id, pk in rows:
        jobs.setdefault(job_id, []).append(slugs[pk])
    # _load_requirements keeps each checklist's own order; a stable sort by the job's order of checklists keeps it
    return {
        job_id: sorted((r for r in loaded if r.checklist in order), key=lambda r, order=order: order.index(r.checklist))
        for job_id, order in jobs.items()
    }


def job_form_parts(*, job: Job) -> tuple[list[rules.Requirement], list[Question], dict[str, ChatScenario]]:
    """What the application form is built from: requirements, questions and chat scenarios (cached like
    job_requirements)."""
    rows, key = _job_checklist_rows(job)
    ids = [pk for pk, _slug, _rev in rows]

    def load():
        questions = list(Question.objects.filter(checklist_id__in=ids))
        scenarios = {s.code: s for s in ChatScenario.objects.filter(checklist_id__in=ids)}
        return _load_requirements(ids), questions, scenarios

    parts = _FORM_PARTS.get(key)
    if parts is None:
        parts = cache.get_or_set(f"{key}:form", load, CACHE_SECONDS)
        if len(_FORM_PARTS) >= 64:  # a handful of open jobs; old revisions' entries are dropped wholesale
            _FORM_PARTS.clear()
        _FORM_PARTS[key] = parts
    return parts


# The form parts per cache key (the key changes with every checklist revision or edit), also kept in this
# process: read on every view and POST of the form, they cost a Redis round trip and an unpickling each.
_FORM_PARTS: dict[str, tuple] = {}


def job_application_estimate(*, job: Job) -> estimate.Estimate:
    """How long a prepared candidate takes to apply for the job: what its application form asks (as
    careers/forms.ApplicationForm builds it: only what a requirement reads), timed by screening/estimate.py."""
    requirements, questions, scenarios = job_form_parts(job=job)
    reads: set[tuple[str, str | None]] = set().union(*(rules.schemas.profile_reads(r.condition) for r in requirements))
    asked = [key for key in profile_keys.asked(reads) if key.field is not None]
    ratings = sum(key.evidence == profile_keys.Evidence.SELF_RATED for key in asked)
    asked_questions = [q for q in questions if ("answers", q.code) in reads]
    form = estimate.Form(
        fields=3 + len(asked) - ratings,  # name, e-mail, mobile
        ratings=ratings,
        consents=1 + sum(1 for key in asked if key.sensitive),  # the privacy notice, and each sensitive key's own
        choice_questions=tuple(
            q.prompt + "".join(str(o.get("label", "")) for o in q.options or [])
            for q in asked_questions
            if q.kind == Question.Kind.CHOICE
        ),
        text_questions=tuple(q.prompt for q in asked_questions if q.kind == Question.Kind.TEXT),
        # the longest passage the test may hand out
        typing_chars=max(map(len, typing_test.PASSAGES)) if ("typing", None) in reads else 0,
        chats=tuple(
            estimate.Chat(
                context=scenario.context,
                messages=tuple((float(m["delay_seconds"]), m["text"]) for m in scenario.messages),
            )
            for code, scenario in sorted(scenarios.items())
            if ("chat", code) in reads
        ),
        resume_required=job.resume_required,
    )
    return estimate.estimate(form)


def job_answers_given_away(*, job: Job) -> list[giveaways.Giveaway]:
    """Keyed answers of the job's scored questions that its public title and description state. Read as the
    database holds the checklists now, never cached: admin asks right after a save, inside its transaction."""
    ids = list(JobChecklist.objects.filter(job=job).values_list("checklist_id", flat=True))
    conditions = Requirement.objects.filter(checklist_id__in=ids).order_by("checklist_id", "order", "id")
    options = dict(Question.objects.filter(checklist_id__in=ids).values_list("code", "options"))
    return giveaways.answers_given_away(
        public_text=f"{job.title}\n{job.description}",
        conditions=conditions.values_list("condition", flat=True),
        options={code: opts or [] for code, opts in options.items()},
    )


def job_current_revisions(*, job: Job) -> dict[str, int]:
    return dict(Checklist.objects.filter(job_checklists__job=job).values_list("slug", "revision"))


def application_explanation(*, application: Application) -> explanation.Explanation | None:
    """What the candidate is told about their evaluation (screening/explanation.py): None while unscored or stale."""
    evaluation = Evaluation.objects.filter(application=application).only("results", "revisions", "evaluated_at").first()
    if evaluation is None:
        return None
    current = job_current_revisions(job=application.job)
    if evaluation.revisions != current:  # decided before the names are read
        return None
    names = {
        c.slug: tr(c, "name") for c in Checklist.objects.filter(slug__in=list(current)).only("slug", "name", "name_en")
    }
    return explanation.explain(
        results=localized_results(evaluation.results),
        revisions=evaluation.revisions,
        current=current,
        checklist_names=names,
        evaluated_at=evaluation.evaluated_at,
    )


def job_stale_applications(*, job: Job, current: dict[str, int] | None = None) -> QuerySet[Application]:
    """Scored against other checklist revisions than the job's current ones (the one definition of stale)."""
    current = job_current_revisions(job=job) if current is None else current
    return Application.objects.filter(job=job, evaluation__isnull=False).exclude(evaluation__revisions=current)


def job_stale_application_ids(*, job: Job) -> list[int]:
    """Applications of the job never scored, or scored against other checklist revisions than now."""
    unscored = Application.objects.filter(job=job, evaluation__isnull=True)
    stale = job_stale_applications(job=job)
    return sorted(unscored.values_list("pk", flat=True).union(stale.values_list("pk", flat=True)))


def job_application_ids_to_score(*, job_id: int, everything: bool) -> list[int]:
    """What a rescore of the job covers: every application, or the stale and unscored ones."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:  # deleted meanwhile (its checklists went with it)
        return []
    if everything:
        return list(Application.objects.filter(job=job).order_by("pk").values_list("pk", flat=True))
    return job_stale_application_ids(job=job)


def checklist_application_ids_to_score(*, checklist_id: int, everything: bool) -> list[int]:
    """The same over every job that uses the checklist."""
    job_ids = Job.objects.filter(job_checklists__checklist_id=checklist_id).values_list("pk", flat=True).distinct()
    return [pk for job_id in job_ids for pk in job_application_ids_to_score(job_id=job_id, everything=everything)]


def job_recommended_rejections(*, job: Job) -> QuerySet[Application]:
    """Open applications whose current score recommends rejecting them: scored, not stale, neither rejected nor
    withdrawn, and with no human review asked for and not yet answered (what "reject all recommended" may
    reject)."""
    return (
        Application.objects.filter(job=job, evaluation__recommendation="reject")
        .exclude(stage__in=[Application.Stage.REJECTED, Application.Stage.WITHDRAWN])
        .exclude(pk__in=job_stale_applications(job=job).values("pk"))
        .exclude(pk__in=_under_review())
    )


def _under_review() -> QuerySet:
    """The ids of applications with an open review request (a subquery)."""
    return ReviewRequest.objects.filter(status=ReviewRequest.Status.OPEN).values("application_id")


def job_recommended_rejections_under_review(*, job: Job) -> int:
    """How many applications "reject all recommended" leaves alone because their candidate asked for a review."""
    return (
        Application.objects.filter(job=job, evaluation__recommendation="reject", pk__in=_under_review())
        .exclude(stage__in=[Application.Stage.REJECTED, Application.Stage.WITHDRAWN])
        .count()
    )


def review_queue(*, user) -> QuerySet[ReviewRequest]:
    """Review requests of the applications to the jobs this person may see (jobs_visible_to), soonest due first."""
    return (
        ReviewRequest.objects.filter(application__job__in=jobs_visible_to(user))
        .select_related("application__applicant", "application__job", "answered_by")
        .order_by("due_at", "pk")
    )


def application_review_requests(*, application: Application) -> list[ReviewRequest]:
    """The application's review requests, newest first."""
    return list(application.review_requests.select_related("answered_by").order_by("-created_at", "-pk"))


def job_ranked_applications(*, job: Job) -> QuerySet[Application]:
    return (
        Application.objects.filter(job=job)
        .select_related("applicant", "evaluation")
        .order_by(F("evaluation__score").desc(nulls_last=True), "submitted_at", "pk")
    )


def job_list_page(*, applications: QuerySet[Application], page: int, per_page: int) -> tuple[list[Application], bool]:
    """One page of the ranked list and whether another follows. No COUNT over the whole job (at 100,000
    applicants it cost more than the page), and none of the large JSON columns the list does not show."""
    rows = list(
        applications.defer("profile", "answers", "evaluation__results")[(page - 1) * per_page : page * per_page + 1]
    )
    return rows[:per_page], len(rows) > per_page


def open_jobs() -> QuerySet[Job]:
    return Job.objects.filter(status=Job.Status.OPEN).order_by("-created_at")


@dataclass(frozen=True)
class JobPage:
    """What a job asks, as its public page tells a candidate before they start: from the same declarations the
    application form is built from (rules.schemas.profile_reads → profile_keys), so the page never says "must"
    where the form says "optional", and one thing read by several checklists is one line."""

    must: list[str]  # the knockout requirements' titles (the same condition in several checklists: once)
    optional: list[str]  # sensitive declarations: asked only with their own consent, never required to apply
    claims: list[str]  # what else the form asks of the person's background, by its form label
    self_rated: list[str]  # the qualities rated 1–5
    typing_test: bool
    chats: int
    questions: int  # situational questions (their wording and keyed answers stay on the form)
    estimate: estimate.Estimate


def job_page(*, job: Job) -> JobPage:
    requirements, questions, scenarios = job_form_parts(job=job)
    merged = rules.merge_duplicates(requirements)
    reads_of = {id(r): rules.schemas.profile_reads(r.condition) for r in merged}
    reads: set[tuple[str, str | None]] = set().union(*reads_of.values()) if reads_of else set()
    sensitive = {("declarations", code) for code in rules.vocab.SENSITIVE_DECLARATIONS}
    titles = requirement_titles(checklists={r.checklist for r in merged})  # English, for an English reader
    must = list(
        dict.fromkeys(
            titles.get((r.checklist, r.code), r.title) for r in merged if r.knockout and not reads_of[id(r)] & sensitive
        )
    )
    asked = [key for key in profile_keys.asked(reads) if key.field is not None]
    optional = [str(key.label) for key in asked if key.sensitive]
    self_rated = [str(key.label) for key in asked if key.evidence == profile_keys.Evidence.SELF_RATED]
    # the skills the requirements name rather than the form's one question about skills; age is a knockout or
    # nothing a candidate can work on
    skills = sorted({leaf["skill"] for r in merged for leaf in _leaves(r.condition) if leaf["kind"] == "skill_has"})
    # what a knockout reads is on the must list already, in the knockout's own words
    must_reads: set = set().union(*(reads_of[id(r)] for r in merged if r.knockout))
    claims = [
        str(key.label)
        for key in asked
        if not key.sensitive
        and key.evidence == profile_keys.Evidence.CLAIMED
        and key.key not in ("date_of_birth", "skills")
        and key.read not in must_reads
    ] + [labels.label(labels.SKILLS, code) for code in skills]
    return JobPage(
        must=must,
        optional=optional,
        claims=list(dict.fromkeys(claims)),
        self_rated=self_rated,
        typing_test=("typing", None) in reads,
        chats=sum(1 for code in scenarios if ("chat", code) in reads),
        questions=sum(1 for q in questions if ("answers", q.code) in reads),
        estimate=job_application_estimate(job=job),
    )


def _leaves(condition: dict):
    if condition.get("kind") in rules.schemas.COMBINATORS:
        for child in condition["conditions"]:
            yield from _leaves(child)
    else:
        yield condition


def _question_texts(questions) -> dict[str, tuple[str, dict[str, str]]]:
    """In the reader's language (an English prompt or label where an admin gave one)."""
    return {q.code: (tr(q, "prompt"), {o.get("code"): tr(o, "label") for o in q.options or []}) for q in questions}


def requirement_titles(*, checklists) -> dict[tuple[str, str], str]:
    """{(checklist slug, requirement code): title} in the reader's language, for stored evaluations (whose results
    carry the title as scored, in Chinese); {} for a Chinese reader, who reads the stored titles."""
    if not in_english():
        return {}
    rows = Requirement.objects.filter(checklist__slug__in=list(checklists)).exclude(title_en="")
    return {(slug, code): title for slug, code, title in rows.values_list("checklist__slug", "code", "title_en")}


def localized_results(results: list[dict]) -> list[dict]:
    """Evaluation results with each requirement's (and its merged ones') title in the reader's language."""
    titles = requirement_titles(checklists={r.get("checklist") for r in results})
    if not titles:
        return results

    def title(item: dict) -> str:
        return titles.get((item.get("checklist"), item.get("code")), item.get("title", ""))

    return [
        {
            **r,
            "title": title(r),
            **({"merged": [{**m, "title": title(m)} for m in r["merged"]]} if r.get("merged") else {}),
        }
        for r in results
    ]


def job_question_texts(*, job: Job) -> dict[str, tuple[str, dict[str, str]]]:
    """{question code: (prompt, {option code: label})} for rendering evidence about answers (from the cached
    form parts)."""
    _requirements, questions, _scenarios = job_form_parts(job=job)
    return _question_texts(questions)


def checklists_for_screening(*, slugs: list[str]) -> dict[str, tuple[list[rules.Requirement], dict]]:
    """The named checklists present in the database: {slug: (requirements as a job's are loaded, question
    texts)}, for the `screen` command."""
    ids = dict(Checklist.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    requirements = _load_requirements(list(ids.values()))
    questions = list(Question.objects.filter(checklist_id__in=ids.values()))
    return {
        slug: (
            [r for r in requirements if r.checklist == slug],
            _question_texts(q for q in questions if q.checklist_id == pk),
        )
        for slug, pk in ids.items()
    }


def jobs_visible_to(user) -> QuerySet[Job]:
    """The jobs a staff member may see: all for admins; for HR reviewers, the jobs with no hiring team
    and those whose team they are on. Every HR view goes through this."""
    if not user.is_authenticated or not user.has_perm("screening.view_application"):
        return Job.objects.none()
    if user.is_superuser:
        return Job.objects.all()
    return Job.objects.filter(Q(hiring_team=None) | Q(hiring_team=user)).distinct()


def application_possible_duplicates(*, application: Application, user) -> QuerySet[Application]:
    """Applications of other people on file with the same e-mail or mobile, in the jobs this user may see."""
    applicant = application.applicant
    same = same_contact(applicant.email, applicant.phone, via="applicant__")
    return (
        Application.objects.filter(same, job__in=jobs_visible_to(user))
        .exclude(applicant=applicant)
        .select_related("applicant", "job")
        .order_by("pk")
    )


def dashboard_jobs(*, user) -> list[Job]:
    """Jobs this person may see, with counts per stage and recommendation, scored/queued and stale."""
    stage_counts = {
        f"n_{stage}": Count("applications", filter=Q(applications__stage=stage)) for stage in Application.Stage.values
    }
    recommendation_counts = {
        f"n_{rec}": Count("applications", filter=Q(applications__evaluation__recommendation=rec))
        for rec in ("advance", "review", "reject")
    }
    jobs = list(
        jobs_visible_to(user)
        .annotate(
            n_total=Count("applications"),
            n_scored=Count("applications", filter=Q(applications__evaluation__isnull=False)),
            **stage_counts,
            **recommendation_counts,
        )
        .order_by("status", "-created_at")
    )
    revisions: dict[int, dict[str, int]] = {job.pk: {} for job in jobs}
    for job_id, slug, revision in JobChecklist.objects.filter(job__in=jobs).values_list(
        "job_id", "checklist__slug", "checklist__revision"
    ):
        revisions[job_id][slug] = revision
    for job in jobs:
        job.n_queued = job.n_total - job.n_scored
        job.n_stale = job_stale_applications(job=job, current=revisions[job.pk]).count()
        job.stages = [(label, getattr(job, f"n_{value}")) for value, label in Application.Stage.choices]
    return jobs


def application_names(*, application_ids) -> dict[int, str]:
    """{application id: the applicant's name}, for a page that names a few people it lists by id."""
    return dict(Application.objects.filter(pk__in=application_ids).values_list("pk", "applicant__name"))


def scenario_titles(codes) -> dict[str, str]:
    """{code: title} of the chat scenarios named, as an admin last titled them (a transcript stores its code)."""
    return {
        s.code: tr(s, "title")
        for s in ChatScenario.objects.filter(code__in=list(codes)).only("code", "title", "title_en")
    }


def job_fairness_rows(*, job: Job) -> tuple[list[fairness.Row], list[tuple[str, str, bool]]]:
    """What the adverse-impact report of a job reads (fairness.report): per application its age when submitted,
    its voluntary self-identification, recommendation, stage and each requirement's status, in one query; and the
    job's requirements as scored (duplicates merged) as (key, title, knockout). Nobody is named: the rows carry no
    id, and the self-identification is only ever read here and by the what-if preview, to be counted."""
    requirements = rules.merge_duplicates(job_requirements(job=job)[0])
    with connection.cursor() as cur:
        cur.execute(
            f"""
            SELECT a.profile->>'date_of_birth', a.profile->'age', a.submitted_at, a.stage, e.recommendation,
                   (SELECT jsonb_object_agg((r->>'checklist') || '/' || (r->>'code'), r->>'status')
                    FROM jsonb_array_elements(e.results) r),
                   s.sex
            FROM {Application._meta.db_table} a
            LEFT JOIN {Evaluation._meta.db_table} e ON e.application_id = a.id
            LEFT JOIN {VoluntarySelfId._meta.db_table} s ON s.application_id = a.id
            WHERE a.job_id = %s
            """,
            [job.pk],
        )
        # jsonb comes back as text (Django parses JSON itself): the age and the statuses are decoded here
        rows = [
            fairness.Row(
                age=fairness.age_at(
                    {"date_of_birth": born, "age": json.loads(age) if age else None}, timezone.localdate(submitted_at)
                ),
                sex=sex,
                recommendation=recommendation,
                stage=stage,
                statuses=json.loads(statuses) if statuses else {},
            )
            for born, age, submitted_at, stage, recommendation, statuses, sex in cur.fetchall()
        ]
    return rows, [(fairness.requirement_key(r.checklist, r.code), r.title, r.knockout) for r in requirements]


def job_requirement_details(*, job: Job) -> list[Requirement]:
    """The job's requirements as configured, in the job's order of checklists, with their checklist (for the impact
    assessment: descriptions, sources, justifications)."""
    return list(
        Requirement.objects.filter(checklist__job_checklists__job=job)
        .select_related("checklist")
        .order_by("checklist__job_checklists__order", "checklist__job_checklists__id", "order", "id")
    )


_ADVANCED = Q(stage__in=[s for s in Application.Stage.values if s not in ("applied", "withdrawn", "rejected")])


def job_oversight_stats(*, job: Job) -> dict[str, int]:
    """How people used the system's recommendations on this job (human oversight, in one query): decided
    applications, and those decided against the recommendation either way."""
    rejected = Q(stage=Application.Stage.REJECTED)
    stats = Application.objects.filter(job=job).aggregate(
        total=Count("pk"),
        scored=Count("pk", filter=Q(evaluation__isnull=False)),
        decided=Count("pk", filter=_ADVANCED | rejected),
        followed=Count(
            "pk",
            filter=(_ADVANCED & Q(evaluation__recommendation="advance"))
            | (rejected & Q(evaluation__recommendation="reject")),
        ),
        advanced_against_reject=Count("pk", filter=_ADVANCED & Q(evaluation__recommendation="reject")),
        rejected_against_advance=Count("pk", filter=rejected & Q(evaluation__recommendation="advance")),
        decided_on_review=Count("pk", filter=(_ADVANCED | rejected) & Q(evaluation__recommendation="review")),
        manual_review=Count("pk", filter=Q(needs_manual_review=True)),
    )
    stats["rejections_undone"] = StageChange.objects.filter(
        application__job=job, from_stage=Application.Stage.REJECTED
    ).count()
    return stats


def job_review_request_stats(*, job: Job) -> dict[str, int]:
    """Candidates' requests for a person to review the automated result: how many, and how many by status."""
    requests = ReviewRequest.objects.filter(application__job=job)
    return {"total": requests.count(), **dict(requests.values_list("status").annotate(n=Count("pk")).order_by())}


# -- the talent pool and referral links (models/pool.py, models/sourcing.py) -------------------------------------
def pool_entries_visible_to(user) -> QuerySet:
    """The pool entries a staff member may see: those that came from an application to a job they may see (an HR
    reviewer sees only their jobs' applicants, as everywhere)."""
    return TalentPoolEntry.objects.filter(application__job__in=jobs_visible_to(user))


def pool_entries_list(*, user, job: str = "", q: str = "", reason: str = "") -> QuerySet:
    """HR's pool page: the active entries this person may see, newest first, filtered by the job they came from,
    a name / e-mail / mobile, or the rejection reason."""
    entries = (
        pool_entries_visible_to(user)
        .filter(TalentPoolEntry.active_q())
        # an application back in the running (a rejection undone) is not "good, no seat" any more
        .filter(application__stage__in=(Application.Stage.REJECTED, Application.Stage.WITHDRAWN))
        .select_related("applicant", "application__job", "application__evaluation")
        .order_by("-consented_at", "-pk")
    )
    if job:
        entries = entries.filter(application__job__slug=job)
    if reason:
        entries = entries.filter(application__rejection_reason=reason)
    q = q.replace("\x00", "").strip()
    if q:
        entries = entries.filter(
            Q(applicant__name__icontains=q) | Q(applicant__email__icontains=q.lower()) | Q(applicant__phone__contains=q)
        )
    return entries


@dataclass(frozen=True)
class PrefillSource:
    """What a re-application's form starts from: the person's contacts on file, and the profile of their latest
    application if it is recent enough (PREFILL_VALID_DAYS; else {})."""

    name: str
    email: str
    phone: str
    profile: dict


def applicant_prefill_source(*, applicant_id: int, application_id: int | None = None) -> PrefillSource | None:
    """The person's contacts, and the profile of `application_id` (theirs, submitted within PREFILL_VALID_DAYS):
    the application they joined the pool through or whose status link they opened, never simply their latest (a
    later one may have been sent by someone else knowing their contacts)."""
    applicant = Applicant.objects.filter(pk=applicant_id).first()
    if applicant is None:
        return None
    since = timezone.now() - timedelta(days=settings.PREFILL_VALID_DAYS)
    source = applicant.applications.filter(pk=application_id, submitted_at__gte=since).first()
    return PrefillSource(applicant.name, applicant.email, applicant.phone, source.profile if source else {})


def applicant_on_file(*, name: str, email: str, phone: str) -> bool:
    """A person with exactly these details has applied before (the rule by which a submission joins them)."""
    return Applicant.objects.filter(name=name, email=email, phone=phone, applications__isnull=False).exists()


def referral_link_active(code: str):
    if not code or len(code) > 16:
        return None
    # an employee who left (inactive, or no longer staff) refers nobody any more
    return (
        ReferralLink.objects.select_related("job", "owner")
        .filter(code=code, active=True, owner__is_active=True, owner__is_staff=True)
        .first()
    )


def referral_links_of(*, user) -> QuerySet:
    """A staff member's own referral links, each with how many applied through it and how many were hired."""
    return (
        ReferralLink.objects.filter(owner=user)
        .select_related("job")
        .annotate(
            applied=Count("applications"),
            hired=Count("applications", filter=Q(applications__stage=Application.Stage.HIRED)),
        )
        .order_by("-created_at")
    )
