import tempfile
from collections import Counter
from pathlib import Path, PurePath

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from .. import fairness, links, rules, selectors, services
from ..audit import audit
from ..evidence import render_all
from ..labels import EVIDENCE_KINDS as EVIDENCE_LABELS
from ..labels import STATUSES as STATUS_LABELS
from ..models import Application, AuditEvent, Job, Note, PoolOffer, RejectionReason, ReviewRequest
from ..services import decisions, pool, reviews
from ..services.importing import job_import_applicants
from ..tabular import TabularError
from . import analytics, assessment, exports, fairness_view, summary
from .filters import ApplicationFilter
from .forms import ImportForm, ReviewAnswerForm
from .profile_view import answer_rows, chat_transcripts, profile_rows

# -- HR ------------------------------------------------------------------------------------------
hr_required = permission_required("screening.view_application", raise_exception=False)


def hr_change_action(view):
    """A POST that changes an application: HR role, change permission, POST only."""
    view = require_http_methods(["POST"])(view)
    view = permission_required("screening.change_application", raise_exception=True)(view)
    return hr_required(view)


def _job(request, slug) -> Job:
    """The job if this person may see it; 404 otherwise (its existence is not revealed)."""
    return get_object_or_404(selectors.jobs_visible_to(request.user), slug=slug)


def _application(request, pk) -> Application:
    visible = Application.objects.filter(job__in=selectors.jobs_visible_to(request.user))
    return get_object_or_404(visible.select_related("applicant", "job", "evaluation", "referral__owner"), pk=pk)


@hr_required
def hr_job_list(request):
    open_reviews = selectors.review_queue(user=request.user).filter(status="open").count()
    context = {"jobs": selectors.dashboard_jobs(user=request.user), "open_reviews": open_reviews}
    return render(request, "hr/job_list.html", context)


PAGE_SIZES = (25, 50, 100)


@hr_required
def hr_job_applications(request, slug):
    job = _job(request, slug)
    filters = ApplicationFilter(request.GET or None, queryset=selectors.job_ranked_applications(job=job))
    try:
        per_page = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        per_page = PAGE_SIZES[0]
    per_page = per_page if per_page in PAGE_SIZES else PAGE_SIZES[0]
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    rows, has_next = selectors.job_list_page(applications=filters.qs, page=number, per_page=per_page)
    current = selectors.job_current_revisions(job=job)
    for a in rows:
        evaluation = getattr(a, "evaluation", None)
        a.stale = evaluation is not None and evaluation.revisions != current
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "job": job,
        "filter": filters,
        "page": {"number": number, "has_next": has_next, "has_previous": number > 1, "start": (number - 1) * per_page},
        "applications": rows,
        "query": query.urlencode(),
        "page_sizes": PAGE_SIZES,
        "per_page": per_page,
        "move_stages": [(s, Application.Stage(s).label) for s in decisions.HR_STAGES if s != "rejected"],
        "reasons": RejectionReason.choices,
    }
    return render(request, "hr/job_applications.html", context)


@hr_required
@permission_required("screening.change_application", raise_exception=True)
def hr_job_reject_recommended(request, slug):
    """The deliberate step before rejecting every "reject" recommendation: how many, and a confirmation.
    The form posts the applications it counted, with their stages: only those, if still as they were
    (see hr_job_bulk), are rejected, not ones that arrive or change after the page was shown."""
    job = _job(request, slug)
    shown = list(selectors.job_recommended_rejections(job=job).order_by("pk").values_list("pk", "stage"))
    stale = (
        selectors.job_stale_applications(job=job)
        .filter(evaluation__recommendation="reject")
        .exclude(stage__in=["rejected", "withdrawn"])
        .count()
    )
    context = {
        "job": job,
        "pending": len(shown),
        "stale": stale,
        "under_review": selectors.job_recommended_rejections_under_review(job=job),
        "shown": ",".join(f"{pk}:{stage}" for pk, stage in shown),
        "reasons": RejectionReason.choices,
    }
    return render(request, "hr/reject_recommended.html", context)


def _shown(value: str) -> dict[int, str]:
    """{id: stage} from the confirmation page's "id:stage,…" (malformed entries are ignored)."""
    pairs = (entry.partition(":") for entry in value.split(","))
    return {int(pk): stage for pk, _sep, stage in pairs if pk.isdigit() and stage}


@hr_change_action
def hr_job_bulk(request, slug):
    """One person's decision for the selected applications; rejecting every "reject" recommendation is
    a separate, deliberate action that needs its own confirmation and a reason."""
    job = _job(request, slug)
    action = request.POST.get("action", "")
    applications = Application.objects.filter(job=job)
    if action == "reject_recommended":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("请勾选确认：您已查看这些申请并决定不通过"))
            return redirect("hr:job_applications", slug=slug)
        # what the confirmation page counted, if still recommended for rejection on a current score and at the
        # stage it had then: re-checked in the service's locking read
        expected = _shown(request.POST.get("shown", ""))
        chosen = selectors.job_recommended_rejections(job=job).filter(pk__in=list(expected))
        to_stage = "rejected"
    else:
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        # the stage each row had in the list the person decided on (an id posted without one is not checked)
        expected = {pk: request.POST[f"seen_{pk}"] for pk in ids if request.POST.get(f"seen_{pk}")}
        chosen = applications.filter(pk__in=ids)
        to_stage = "rejected" if action == "reject" else action
    try:
        moved = decisions.applications_decide_ids(
            applications=chosen,  # withdrawn ones, those already there and those changed meanwhile are skipped
            to_stage=to_stage,
            by=request.user,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", "").strip()[:2000],
            expected_stages=expected,
            offer_pool=request.POST.get("offer_pool") == "yes",  # a rejection: the candidates are asked, not put in
        )
    except decisions.DecisionError as exc:
        messages.error(request, str(exc))
    else:
        # only those rejected now; asked to join the pool, they are told (the rejection e-mail carries the offer,
        # otherwise an offer nobody hears of could never be sent again)
        offered = request.POST.get("offer_pool") == "yes"
        if to_stage == "rejected" and (request.POST.get("notify") == "yes" or offered):
            decisions.notify_rejection(
                application_ids=moved, language=translation.get_language(), site=links.site_url(request)
            )
        messages.success(request, _("已处理 %(n)s 份申请") % {"n": len(moved)})
        skipped = len(expected if action == "reject_recommended" else set(ids)) - len(moved)
        if skipped:
            text = _("%(n)s 份申请未处理：已撤回、已处于该阶段，或在您查看后有了变化")
            messages.warning(request, text % {"n": skipped})
    return redirect(f"{reverse('hr:job_applications', args=[slug])}?{request.POST.get('return_query', '')}")


@hr_required
def hr_application_detail(request, pk):
    application = _application(request, pk)
    audit(request, AuditEvent.Action.VIEW_APPLICATION, application=application)
    evaluation = getattr(application, "evaluation", None)
    questions = selectors.job_question_texts(job=application.job)
    requirements, current = selectors.job_requirements(job=application.job)
    transcripts = chat_transcripts(application.profile, requirements) if application.profile.get("chat") else []
    titles = selectors.scenario_titles(t["code"] for t in transcripts)
    for transcript in transcripts:
        transcript["title"] = titles.get(transcript["code"], transcript["title"])
    history = list(application.stage_changes.select_related("by"))
    results, status_counts, stale, score_parts, loose_transcripts = [], Counter(), False, [], transcripts
    scored = rules.merge_duplicates(requirements)  # the requirements as the results name them: merged once
    if evaluation is not None:
        results = [
            {
                **r,
                "text": render_all(r["evidence"], questions),
                "children_text": _children_text(r, questions),
                "kind_label": EVIDENCE_LABELS.get(r.get("kind"), ""),
                # self-ratings past the job's cap count for less than configured (rules.effective_weights)
                "counted_as": r["effective_weight"] if r.get("effective_weight", r["weight"]) < r["weight"] else None,
            }
            for r in selectors.localized_results(evaluation.results)
        ]
        loose_transcripts = summary.attach_transcripts(results, transcripts, scored)
        status_counts = Counter(r["status"] for r in evaluation.results)
        points = rules.points_by_kind(evaluation.results, float(evaluation.score))
        score_parts = [(kind, label, points[kind]) for kind, label in EVIDENCE_LABELS.items() if kind in points]
        stale = evaluation.revisions != current
    knockouts_failed, knockouts_unknown = summary.knockouts(results)
    return render(
        request,
        "hr/application_detail.html",
        {
            "application": application,
            "evaluation": evaluation,
            "groups": summary.groups(results, scored),
            "transcripts": loose_transcripts,
            "decision": summary.decision(application, history),
            "primary": summary.primary_action(evaluation and evaluation.recommendation, application.stage),
            "knockouts_failed": knockouts_failed,
            "knockouts_unknown": knockouts_unknown,
            "measured": summary.measured(application.profile, transcripts),
            "stale": stale,
            "score_parts": score_parts,
            "summary": [(status, label, status_counts.get(status, 0)) for status, label in STATUS_LABELS.items()],
            "history": history,
            "hr_stages": [(s, Application.Stage(s).label) for s in decisions.HR_STAGES if s != "rejected"],
            "reasons": RejectionReason.choices,
            "profile_rows": profile_rows(application.profile),
            "answer_rows": answer_rows(application.answers, questions),
            "notes": application.notes.select_related("author"),
            "others": Application.objects.filter(
                applicant=application.applicant, job__in=selectors.jobs_visible_to(request.user)
            )
            .exclude(pk=application.pk)
            .select_related("job", "evaluation"),
            "possible_duplicates": selectors.application_possible_duplicates(
                application=application, user=request.user
            ),
            "review_requests": selectors.application_review_requests(application=application),
            "pool_offerable": application.stage in pool.OFFERABLE
            and not PoolOffer.objects.filter(application=application).exists(),
        },
    )


def _children_text(result: dict, questions) -> list[dict]:
    return [
        {
            "status": c["status"],
            "text": render_all(c["evidence"], questions),
            "children_text": _children_text(c, questions),
        }
        for c in result.get("children", [])
    ]


@hr_change_action
def hr_application_rescore(request, pk):
    application = _application(request, pk)
    services.application_enqueue_scoring(application=application)
    messages.info(request, _("已加入评分队列"))
    return redirect("hr:application_detail", pk=pk)


@hr_required
@permission_required("screening.add_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def hr_job_import(request, slug):
    job = _job(request, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.NamedTemporaryFile(suffix=PurePath(upload.name).suffix.lower()) as tmp:
            for chunk in upload.chunks():
                tmp.write(chunk)
            tmp.flush()
            try:
                report = job_import_applicants(job=job, path=Path(tmp.name))
                audit(request, AuditEvent.Action.IMPORT, job=job, created=len(report.created))
            except TabularError as exc:
                form.add_error("file", str(exc))
    return render(request, "hr/job_import.html", {"job": job, "form": form, "report": report})


_INLINE_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".png": "image/png"}


@hr_required
@xframe_options_sameorigin  # the detail page previews it in a frame
def hr_application_resume(request, pk):
    """The résumé, only to HR staff who may see the job; PDFs and images inline for the preview."""
    application = _application(request, pk)
    if not application.resume:
        raise Http404
    audit(request, AuditEvent.Action.DOWNLOAD_RESUME, application=application)
    suffix = PurePath(application.resume.name).suffix.lower()
    inline = suffix in _INLINE_TYPES and request.GET.get("download") is None
    response = FileResponse(
        application.resume.open("rb"),
        as_attachment=not inline,
        filename=f"{application.applicant.name}-resume{suffix}",
        content_type=_INLINE_TYPES.get(suffix, "application/octet-stream"),
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; plugin-types application/pdf"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@hr_change_action
def hr_application_decide(request, pk):
    offer_pool = request.POST.get("offer_pool") == "yes" and request.POST.get("to_stage") == "rejected"

    def decide(application):
        decisions.application_decide(
            application=application,
            to_stage=request.POST.get("to_stage", ""),
            by=request.user,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", "").strip()[:2000],
            expected_stage=request.POST.get("from_stage", ""),  # the stage the page showed
            offer_pool=offer_pool,
        )
        if offer_pool:  # the rejection e-mail carries the offer (a new status link): the candidate decides
            decisions.notify_rejection(
                application_ids=[application.pk], language=translation.get_language(), site=links.site_url(request)
            )

    return _decide(request, pk, decide, _("已记录您的决定"))


@hr_change_action
def hr_application_offer_pool(request, pk):
    """Ask the candidate of an application that already ended (rejected, or withdrawn) to join the talent pool."""

    def offer(application):
        if not pool.pool_offer_one(
            application=application, by=request.user, language=translation.get_language(), site=links.site_url(request)
        ):
            raise decisions.DecisionError(_("这份申请已经邀请过，或还没有结束"))

    return _decide(request, pk, offer, _("已邀请候选人加入人才库；候选人自己决定是否加入"))


@hr_change_action
def hr_application_undo_rejection(request, pk):
    return _decide(
        request,
        pk,
        lambda application: decisions.application_undo_rejection(application=application, by=request.user),
        _("已撤销未通过"),
    )


def _decide(request, pk, decide, done: str):
    """Run a person's decision on the application; its refusal is said to them, not raised."""
    try:
        decide(_application(request, pk))
    except decisions.DecisionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("hr:application_detail", pk=pk)


@hr_change_action
def hr_application_note(request, pk):
    application = _application(request, pk)
    text = request.POST.get("text", "").strip()[:5000]
    if text:
        Note.objects.create(application=application, author=request.user, text=text)
    return redirect("hr:application_detail", pk=pk)


@hr_required
@require_http_methods(["GET", "POST"])
def hr_job_export(request, slug, fmt):
    """The job's (filtered) list with scores, recommendation and every requirement's status."""
    job = _job(request, slug)
    filters = ApplicationFilter(request.GET or None, queryset=selectors.job_ranked_applications(job=job))
    applications = filters.qs
    # a POST from the list's bulk bar exports the selected rows (and carries the CSRF token, not the URL)
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()] if request.method == "POST" else []
    if ids:
        applications = applications.filter(pk__in=ids)
    header, rows = exports.job_rows(job=job, applications=applications)
    # the filters, but not the free-text search: it may be a person's name, and the audit log outlives purges
    filters = {k: v for k, v in request.GET.lists() if k != "q"}
    audit(request, AuditEvent.Action.EXPORT, job=job, format=fmt, rows=len(rows), filters=filters,
          searched=bool(request.GET.get("q")))  # fmt: skip
    return exports.response(header, rows, fmt=fmt, filename=f"{job.slug}-applicants")


@hr_required
def hr_job_analytics(request, slug):
    job = _job(request, slug)
    histogram = analytics.score_histogram(job=job)
    funnel = analytics.funnel(job=job)
    failures = analytics.requirement_failures(job=job)
    chart_data = {
        "histogram": {"labels": [b for b, _n in histogram], "values": [n for _b, n in histogram]},
        "funnel": {"labels": [s for s, _n in funnel], "values": [n for _s, n in funnel]},
        "failures": {"labels": [f["title"] for f in failures[:10]], "values": [f["share"] for f in failures[:10]]},
    }
    context = {"job": job, "histogram": histogram, "funnel": funnel, "failures": failures, "chart_data": chart_data}
    return render(request, "hr/job_analytics.html", context)


# -- human review on request (services/reviews.py) -------------------------------------------------------------
QUEUE_ANSWERED_SHOWN = 50


@hr_required
def hr_review_queue(request):
    """Candidates' requests for a human review in the jobs this person may see: the open ones soonest due first
    (overdue marked), then the latest answered."""
    requests = selectors.review_queue(user=request.user)
    open_requests = list(requests.filter(status="open"))
    answered = list(requests.filter(status="answered").order_by("-answered_at", "-pk")[:QUEUE_ANSWERED_SHOWN])
    audit(request, AuditEvent.Action.VIEW_REVIEW_QUEUE, open=len(open_requests), answered=len(answered))
    return render(request, "hr/review_queue.html", {"open_requests": open_requests, "answered": answered})


@hr_change_action
def hr_application_review_answer(request, pk):
    """Answer a review request of an application this person may see; back to the page it was answered on."""
    application = _application(request, pk)
    form = ReviewAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写答复（最多 %(n)s 字）") % {"n": ReviewRequest.ANSWER_MAX_LENGTH})
    else:
        try:
            reviews.review_request_answer(
                application=application,
                review_request_id=form.cleaned_data["review"],
                answer=form.cleaned_data["answer"],
                by=request.user,
            )
        except reviews.ReviewError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已答复，候选人会在进度页面看到并收到邮件"))
    if request.POST.get("back") == "queue":
        return redirect("hr:review_queue")
    return redirect("hr:application_detail", pk=pk)


@hr_required
def hr_job_fairness(request, slug):
    """Adverse impact by age band and by voluntarily self-identified sex: counts and rates of groups, no one named."""
    job = _job(request, slug)
    rows, requirements = selectors.job_fairness_rows(job=job)
    context = {"job": job, **fairness_view.context(fairness.report(rows, requirements))}
    return render(request, "hr/job_fairness.html", context)


@hr_required
def hr_job_assessment(request, slug):
    """The job's impact assessment as one printable page, from the live configuration (no external assets)."""
    job = _job(request, slug)
    return render(request, "hr/job_assessment.html", assessment.context(job=job))
