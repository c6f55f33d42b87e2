"""The candidate's side of the talent pool and of referral links: joining and leaving the pool through the status
link, the invitation's private link, applying to another job pre-filled, and an employee's referral link (内推).

What a browser may pre-fill is kept in its session, per job (`PREFILL`): the hash of the invitation it opened, or
the application whose status link it opened; job_apply checks it again on every request."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import links, selectors, services
from ..models import Application, Job
from ..services import pool

PREFILL = "prefill"
REFERRAL = "referral"


def _private(response):
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _by_session(request, pk: int) -> Application:
    token_hash = request.session.get("status_access", {}).get(str(pk))  # views._ACCESS
    application = services.application_by_token_hash(pk=pk, token_hash=token_hash)
    if application is None:
        raise Http404
    return application


@never_cache
@require_http_methods(["POST"])
def application_pool_join(request, pk):
    """The candidate's own consent to the pool, bound to the status link this browser opened."""
    application = _by_session(request, pk)
    if request.POST.get("consent") != "yes":
        messages.error(request, _("请勾选同意后再加入人才库"))
    elif request.POST.get("notice_version") != settings.TALENT_POOL_NOTICE_VERSION:
        # the page showed an earlier text: consent is to what was read, so it is read again first
        messages.error(request, _("人才库说明刚刚更新，请阅读后再决定是否加入"))
    else:
        try:
            pool.pool_join(application=application, language=translation.get_language(), site=links.site_url(request))
        except pool.PoolError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("您已加入人才库。有合适的职位时我们会邮件邀请您；您可以随时退出。"))
    return _private(redirect(f"{_status_url(pk)}#pool"))


@never_cache
@require_http_methods(["POST"])
def application_pool_leave(request, pk):
    application = _by_session(request, pk)
    if pool.pool_leave(application=application):
        messages.success(request, _("您已退出人才库。"))
    return _private(redirect(f"{_status_url(pk)}#pool"))


def _status_url(pk):
    from django.urls import reverse

    return reverse("application_status_page", args=[pk])


@never_cache
def application_apply_again(request, pk):
    """ "Apply to another job": the open jobs this person has not applied to; choosing one opens its form pre-filled."""
    application = _by_session(request, pk)
    applied = Application.objects.filter(applicant_id=application.applicant_id).values("job_id")
    jobs = selectors.open_jobs().exclude(pk__in=applied)
    return _private(render(request, "careers/apply_again.html", {"application": application, "jobs": jobs}))


@never_cache
def application_apply_again_job(request, pk, slug):
    _by_session(request, pk)  # this browser opened its status link
    job = get_object_or_404(Job, slug=slug, status=Job.Status.OPEN)
    token_hash = request.session["status_access"][str(pk)]
    _remember(request, job, {"status": pk, "hash": token_hash})
    return _private(redirect("job_apply", slug=job.slug))


@never_cache
def pool_invitation(request, token):
    """The invitation's e-mailed link: this browser may pre-fill the job's form for the invited person; the
    redirect's address holds no secret."""
    invitation = pool.pool_invitation_by_token(token)
    if invitation is None:
        raise Http404
    _remember(request, invitation.job, {"invite": pool.token_hash(token)})
    return _private(redirect("job_apply", slug=invitation.job.slug))


def _remember(request, job: Job, value: dict) -> None:
    prefill = request.session.get(PREFILL, {})
    prefill[job.slug] = value
    request.session[PREFILL] = prefill


@dataclass(frozen=True)
class Prefill:
    """Whose data this browser may pre-fill a job's form with, from which of their applications, whether they come
    from the pool, and the invitation's hash when it came through one (used up once they apply)."""

    applicant_id: int
    application_id: int
    from_pool: bool
    invitation_hash: str = ""


def prefill_for(request, job: Job) -> Prefill | None:
    """As checked now: the invitation still usable (its entry active, not used, the person not applied to the job
    yet), or the status link still valid. The data is that of the application the person joined the pool through,
    or whose status link they opened: never whatever application came last under their name."""
    held = request.session.get(PREFILL, {}).get(job.slug)
    if not isinstance(held, dict):
        return None
    if held.get("invite"):
        invitation = pool.pool_invitation_by_hash(str(held["invite"]), job=job)
        if invitation is None:
            return None
        entry = invitation.entry
        return Prefill(entry.applicant_id, entry.application_id, True, invitation.token_hash)
    if held.get("status"):
        application = services.application_by_token_hash(pk=int(held["status"]), token_hash=str(held.get("hash", "")))
        if application is None:
            return None
        in_pool = pool.pool_entry_of(application.applicant_id) is not None
        return Prefill(application.applicant_id, application.pk, in_pool)
    return None


def forget(request, job: Job) -> None:
    """After a submission: this browser pre-fills nothing more for the job, and attributes no later applicant
    (a job-fair tablet, a shared phone) to the referrer it came through."""
    prefill = request.session.get(PREFILL, {})
    if prefill.pop(job.slug, None) is not None:
        request.session[PREFILL] = prefill
    request.session.pop(REFERRAL, None)


@never_cache
def referral(request, code):
    """An employee's referral link: the code is remembered for this browser's session (attribution only; it
    grants nothing) and the visitor goes on to the job, or the job list. An unknown or ended code just redirects."""
    link = selectors.referral_link_active(code)
    if link is None:
        return redirect("careers")
    request.session[REFERRAL] = link.code
    if link.job is not None and link.job.status == Job.Status.OPEN:
        return redirect("job_detail", slug=link.job.slug)
    return redirect("careers")


def referral_for(request, job: Job, *, name: str, email: str, phone: str) -> int | None:
    """The referral link this browser came through, if still active and for this job (or every job), for a new
    person: not the employee applying through their own link, and not someone already on file (a referral brings
    someone in; it does not claim who came before)."""
    link = selectors.referral_link_active(str(request.session.get(REFERRAL, "")))
    if link is None or (link.job_id is not None and link.job_id != job.pk):
        return None
    if link.owner.email and email and link.owner.email.lower() == email.lower():
        return None
    if selectors.applicant_on_file(name=name, email=email, phone=phone):
        return None
    return link.pk
