"""The public careers site: jobs, the application form, and the candidate's private status page."""

import dataclasses
import json
import math
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage, is_ratelimited

from .. import links, selectors, services
from ..models import Application, Job
from ..services import pool, reviews, self_id
from ..uploads import pending_name
from .browser import holder as typing_holder
from .filters import JobFilter
from .forms import ApplicationForm, ReviewRequestForm, SelfIdForm
from .pool_views import forget, prefill_for, referral_for


def careers(request):
    jobs = JobFilter(request.GET or None, queryset=selectors.open_jobs())
    return render(request, "careers/job_list.html", {"filter": jobs, "jobs": jobs.qs})


def job_detail(request, slug):
    job = get_object_or_404(Job, slug=slug, status=Job.Status.OPEN)
    page = selectors.job_page(job=job)
    timed = {"typing": math.ceil(page.estimate.typing_test / 60), "chats": math.ceil(page.estimate.chats / 60)}
    return render(request, "careers/job_detail.html", {"job": job, "page": page, "timed": timed})


@never_cache
@require_http_methods(["GET", "POST"])
def job_apply(request, slug):
    job = get_object_or_404(Job, slug=slug, status=Job.Status.OPEN)
    requirements, questions, scenarios = selectors.job_form_parts(job=job)
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        requirements=requirements,
        questions=questions,
        resume_required=job.resume_required,
        scenarios=scenarios,
    )
    if form.is_bound and form.takes_tests:
        # only then: a session row is written for a browser that has none, and most visitors only look
        form.typing_holder = typing_holder(request)
    prefill = prefill_for(request, job)  # opened through a pool invitation or the person's own status link
    if prefill and not form.is_bound:
        source = selectors.applicant_prefill_source(
            applicant_id=prefill.applicant_id, application_id=prefill.application_id
        )
        if source is not None:
            form.prefill(source)
    duplicate = None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            existing = services.application_find_existing(job=job, email=data["email"], phone=data["phone"])
            duplicate = next((a for a in existing if _has_access(request, a)), None)  # opened through its link
            if not existing or duplicate is None or data["confirm_update"]:
                if _over_limit(request):  # counted here: nothing is written past the limit
                    return render(request, "careers/rate_limited.html", {"job": job}, status=429)
                if existing and duplicate is None:
                    # Whoever typed this e-mail or number may not be its owner: change nothing, reveal nothing,
                    # and send each owner a link to their application at the address already on file.
                    for application in existing:
                        services.application_send_existing_link(
                            application=application, language=translation.get_language(), site=links.site_url(request)
                        )
                    return _applied_redirect(job, None)  # the same page as any submission
                return _submit(request, job, form, application=duplicate, prefill=prefill)
            form.data = form.data.copy()
            form.data["confirm_update"] = "1"  # the owner (status link opened here) confirms the update
        form.keep_resume_for_retry()
    context = _apply_context(job, form, duplicate)
    context["prefilled"] = bool(prefill) and not form.is_bound and "name" in form.initial
    context["prefill_held"] = bool(prefill)  # also once bound: the pre-filled details are not kept on the device
    return render(request, "careers/job_apply.html", context)


def _over_limit(request) -> bool:
    """Counts one submission the portal would accept and says whether this client is past APPLY_RATE. Only
    those count, in one call: correcting a typo never locks anyone out, and a form refused for its errors
    writes nothing."""
    usage = get_usage(request, group="apply", key="ip", rate=settings.APPLY_RATE, method="POST", increment=True)
    return usage is not None and usage["should_limit"]


def _apply_context(job, form, duplicate):
    kept = pending_name(form.data.get("resume_pending", "")) if form.is_bound else None
    if kept:  # said next to the file field: the browser cannot show a file it did not just pick
        form["resume"].help_text = format_html(  # the bound field: it copied the help text when created
            '<span class="text-success" id="pending-resume">{}</span>',
            _("已保留您上传的简历：%(name)s（如需更换，重新选择文件即可）") % {"name": kept},
        )
    return {
        "job": job,
        "form": form,
        "duplicate": duplicate,
        # verified by the form already (this browser, not used yet)
        "typing_previous": getattr(form, "cleaned_data", {}).get("typing_result"),
        # the result travels in a hidden input, whose errors crispy does not show: the widget does
        "typing_errors": form.errors.get("typing_result", []),
        "screening_notice_version": settings.SCREENING_NOTICE_VERSION,  # careers/_screening_notice.html
    }


def _submit(request, job, form, *, application, prefill=None):
    draft = dataclasses.replace(form.draft(language=translation.get_language()), site=links.site_url(request))
    if application is None:  # a new application records where it came from (an update keeps its referrer)
        draft = dataclasses.replace(draft, **_sources(request, job, draft, prefill))
    try:
        application, _token = services.application_submit(job=job, draft=draft, application=application)
    except services.ResultsRefused as refused:
        for field, message in refused.problems:
            form.add_error(field, message)
        if refused.typing_used:
            form.cleaned_data.pop("typing_result", None)  # used up: the widget asks for a new test
        return render(request, "careers/job_apply.html", _apply_context(job, form, None))
    if prefill and prefill.invitation_hash:
        pool.pool_invitation_use(hashed=prefill.invitation_hash)
    forget(request, job)
    return _applied_redirect(job, application)


def _sources(request, job, draft, prefill) -> dict:
    """The referral link this browser came through (attribution only), and the source: the talent pool when the
    form was opened through a pool invitation (or a pooled person's status link) and submitted by that same person
    (name, e-mail and mobile as on file, the rule by which it joins them), else a referral, else the web."""
    if prefill and prefill.from_pool:
        person = selectors.applicant_prefill_source(applicant_id=prefill.applicant_id)
        if person and (person.name, person.email, person.phone) == (draft.name, draft.email, draft.phone):
            return {"referral_id": None, "source": Application.Source.POOL}  # HR found them: nobody's referral
    referral = referral_for(request, job, name=draft.name, email=draft.email, phone=draft.phone)
    return {"referral_id": referral, "source": Application.Source.REFERRAL if referral else Application.Source.WEB}


_APPLIED_SALT = "applied"
_APPLIED_SECONDS = self_id.OFFER_SECONDS


def _applied_redirect(job: Job, application: Application | None):
    """To the confirmation page, with a signed mark that this browser just applied (no session write). The mark
    carries the offer of the voluntary question, which looks the same whether it names an application or not
    (someone who typed another person's e-mail is shown the same page)."""
    offer = self_id.self_id_offer(application=application)
    mark = signing.dumps({"job": job.slug, "offer": offer}, salt=_APPLIED_SALT, compress=False)
    return redirect(f"{reverse('job_applied', args=[job.slug])}?{urlencode({'done': mark})}")


def _applied_mark(done: str, job: Job) -> dict | None:
    """The mark of a browser that applied to this job within the hour, or None."""
    try:
        mark = signing.loads(done, salt=_APPLIED_SALT, max_age=_APPLIED_SECONDS)
    except signing.BadSignature:
        return None
    return mark if isinstance(mark, dict) and mark.get("job") == job.slug else None


@never_cache
def job_applied(request, slug):
    job = get_object_or_404(Job, slug=slug)
    done = request.GET.get("done", "")
    if _applied_mark(done, job) is None:  # only right after applying: the page says "we received your application"
        return redirect("job_detail", slug=slug)
    answered = request.GET.get("self_id") == "answered"
    context = {"job": job, "done": done, "self_id_form": SelfIdForm(), "self_id_answered": answered}
    return render(request, "careers/job_applied.html", context)


@never_cache
@require_http_methods(["POST"])
def job_self_id(request, slug):
    """The answer to the voluntary question, with its consent; kept apart from the application (services.self_id)."""
    job = get_object_or_404(Job, slug=slug)
    done = request.POST.get("done", "")
    mark = _applied_mark(done, job)
    if mark is None:
        return redirect("job_detail", slug=slug)
    form = SelfIdForm(request.POST)
    if not form.is_valid():
        context = {"job": job, "done": done, "self_id_form": form, "self_id_answered": False}
        return render(request, "careers/job_applied.html", context)
    self_id.self_id_record(offer=str(mark.get("offer", "")), sex=form.cleaned_data["sex"])
    query = urlencode({"done": done, "self_id": "answered"})
    return redirect(f"{reverse('job_applied', args=[slug])}?{query}#self-id")


def privacy(request):
    return render(request, "careers/privacy.html", {"version": settings.PRIVACY_NOTICE_VERSION})


# -- the candidate's private status link -----------------------------------------------------------
# The e-mailed link carries the token; opening it binds the application to this browser's session and
# redirects to a page whose URL holds no secret. The link's response is never sent as a Referer.
_ACCESS = "status_access"


def _private(response):
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def application_status(request, token):
    application = services.application_by_status_token(token)
    if application is None:
        raise Http404
    _grant_access(request, application, token)
    response = redirect("application_status_page", pk=application.pk)
    response.headers["Referrer-Policy"] = "no-referrer"
    return _private(response)


def _grant_access(request, application: Application, token: str) -> None:
    access = request.session.get(_ACCESS, {})
    access[str(application.pk)] = services.status_token_hash(token)  # the link opened, while it is valid
    request.session[_ACCESS] = access


def _has_access(request, application: Application) -> bool:
    token_hash = request.session.get(_ACCESS, {}).get(str(application.pk))
    return services.application_by_token_hash(pk=application.pk, token_hash=token_hash) is not None


def _by_session(request, pk: int) -> Application:
    token_hash = request.session.get(_ACCESS, {}).get(str(pk))
    application = services.application_by_token_hash(pk=pk, token_hash=token_hash)
    if application is None:
        raise Http404
    return application


@never_cache
def application_status_page(request, pk):
    application = _by_session(request, pk)
    return _private(_status_page(request, application, ReviewRequestForm()))


def _status_page(request, application: Application, review_form, *, status: int = 200):
    review_requests = selectors.application_review_requests(application=application)
    open_review = next((r for r in review_requests if r.status == r.Status.OPEN), None)
    context = {
        "application": application,
        "explanation": selectors.application_explanation(application=application),
        "review_requests": review_requests,
        "open_review": open_review,
        "review_errors": review_form.non_field_errors() if review_form.is_bound else [],
        # one open request at a time; none for a withdrawn application
        "review_form": None if open_review or application.stage == Application.Stage.WITHDRAWN else review_form,
        # the talent pool: offered when HR asked (the person decides here), or their entry, which they may leave
        "pool_entry": pool.pool_entry_of(application.applicant_id),
        "pool_offered": pool.pool_can_join(application),
        "pool_days": settings.TALENT_POOL_RETENTION_DAYS,
        "pool_notice_version": settings.TALENT_POOL_NOTICE_VERSION,  # the text shown is the one consented to
    }
    return render(request, "careers/status.html", context, status=status)


@never_cache
@require_http_methods(["POST"])
def application_status_review(request, pk):
    """The candidate asks for a person to review their application (only through this browser's status link)."""
    application = _by_session(request, pk)
    form = ReviewRequestForm(request.POST)
    if form.is_valid():
        if is_ratelimited(
            request, group="review-request", key="ip", rate=settings.REVIEW_REQUEST_RATE, method="POST", increment=True
        ):
            form.add_error(None, _("操作太频繁，请稍后再试。"))
            return _private(_status_page(request, application, form, status=429))
        try:
            reviews.review_request_create(
                application=application, message=form.cleaned_data["message"], language=translation.get_language()
            )
        except reviews.ReviewError as exc:
            form.add_error(None, str(exc))
        else:
            return _private(redirect(f"{reverse('application_status_page', args=[pk])}#review"))
    return _private(_status_page(request, application, form, status=400))


@never_cache
@require_http_methods(["GET", "POST"])
def application_status_withdraw(request, pk):
    application = _by_session(request, pk)
    if request.method == "GET":  # one mistaken tap on a phone must not withdraw
        return _private(render(request, "careers/withdraw_confirm.html", {"application": application}))
    if application.stage not in (Application.Stage.WITHDRAWN, Application.Stage.HIRED):
        services.application_withdraw(application=application)
    return _private(redirect("application_status_page", pk=pk))


@never_cache
def application_status_data(request, pk):
    application = _by_session(request, pk)
    body = json.dumps(services.application_export(application=application), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="my-application.json"'
    return _private(response)


@never_cache
@require_http_methods(["GET", "POST"])
def application_status_delete(request, pk):
    application = _by_session(request, pk)
    # hired and onboarded: employee data now, erased with the employee retention (EMPLOYEE_RETENTION_DAYS), not here
    employed = hasattr(application, "employment")
    if request.method == "POST" and request.POST.get("confirm") == "yes" and not employed:
        services.application_delete(application=application)
        request.session.get(_ACCESS, {}).pop(str(pk), None)
        request.session.modified = True
        return _private(render(request, "careers/deleted.html"))
    error = _("请勾选确认后再删除") if request.method == "POST" else None
    if employed:
        error = _("您已入职：这份申请已成为员工资料，按员工资料的保存期限保存和删除；如有疑问，请联系 HR。")
    context = {"application": application, "error": error}
    return _private(render(request, "careers/delete_confirm.html", context))
