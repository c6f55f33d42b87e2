"""After the hire: the hire's checklist, assessments, permissions, the results import and the quality of hire.

Employee data: every page reads through onboarding.selectors.employments_visible_to (HR of the job's team, the
hire's mentor and assessor); assigning people, granting permissions and the job pages are HR's alone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import selectors
from ..onboarding import quality, services
from ..onboarding import selectors as onboarding
from ..onboarding.models import Employment
from .onboarding_forms import AssessmentForm, AssessmentImportForm, AssignForm

hr_required = permission_required("screening.view_application", raise_exception=False)


def _employment(request, pk) -> Employment:
    """The hire if this person may see it (HR of its job's team, its mentor or assessor); 404 otherwise."""
    visible = onboarding.employments_visible_to(request.user)
    return get_object_or_404(
        visible.select_related("application__applicant", "application__job", "mentor", "assessor", "plan"), pk=pk
    )


def _hr_only(request, employment: Employment) -> None:
    if not onboarding.employment_is_hr(user=request.user, employment=employment):
        raise PermissionDenied


@login_required
def hr_onboarding_list(request):
    return render(request, "hr/onboarding/list.html", {"employments": onboarding.employment_list(user=request.user)})


@login_required
def hr_onboarding_detail(request, pk):
    employment = _employment(request, pk)
    is_hr = onboarding.employment_is_hr(user=request.user, employment=employment)
    assessments = list(employment.assessments.select_related("assessed_by"))
    context = {
        "employment": employment,
        "tasks": employment.tasks.select_related("done_by"),
        "assessments": assessments,
        "is_hr": is_hr,
        "may_assess": is_hr or employment.assessor_id == request.user.pk,
        "may_grant": is_hr and services.employment_may_get_permissions(employment),
        "assign_form": AssignForm(initial={"mentor": employment.mentor, "assessor": employment.assessor})
        if is_hr
        else None,
        "qualities": onboarding.job_qualities(job=employment.application.job),
    }
    return render(request, "hr/onboarding/detail.html", context)


@login_required
def hr_onboarding_tick(request, pk, task_pk):
    employment = _employment(request, pk)  # first: outside the scope a URL is 404 whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    task = get_object_or_404(employment.tasks, pk=task_pk)
    services.task_tick(task=task, by=request.user, done=request.POST.get("done") == "1")
    return redirect(f"{reverse('hr:onboarding_detail', args=[pk])}#task-{task.pk}")


@login_required
def hr_onboarding_assign(request, pk):
    employment = _employment(request, pk)  # first: outside the scope a URL is 404 whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _hr_only(request, employment)
    form = AssignForm(request.POST)
    if form.is_valid():
        services.employment_assign(
            employment=employment, mentor=form.cleaned_data["mentor"], assessor=form.cleaned_data["assessor"]
        )
        messages.success(request, _("已保存导师和考核人"))
    else:
        messages.error(request, _("请从列表中选择"))
    return redirect("hr:onboarding_detail", pk=pk)


@login_required
def hr_onboarding_grant(request, pk):
    employment = _employment(request, pk)  # first: outside the scope a URL is 404 whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _hr_only(request, employment)
    try:
        services.employment_grant_permissions(employment=employment, by=request.user)
    except services.OnboardingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已开通用户权限"))
    return redirect("hr:onboarding_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def hr_assessment(request, pk, assessment_pk):
    employment = _employment(request, pk)
    if not onboarding.employment_may_assess(user=request.user, employment=employment):
        raise PermissionDenied
    assessment = get_object_or_404(employment.assessments.select_related("assessed_by"), pk=assessment_pk)
    qualities = onboarding.job_qualities(job=employment.application.job)
    form = AssessmentForm(request.POST or None, qualities=qualities)
    if request.method == "POST" and not assessment.outcome and form.is_valid():
        try:
            retake = services.assessment_record(assessment=assessment, result=form.result(), by=request.user)
        except services.OnboardingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已录入考核结果"))
            employment.refresh_from_db()
            if employment.transfer_flagged:
                messages.warning(request, _("两次考核不合格：按规定要求调离相关岗位"))
            elif retake is not None:
                messages.info(request, _("已安排补考，日期 %(date)s") % {"date": retake.due_on.isoformat()})
            return redirect("hr:onboarding_detail", pk=pk)
    context = {"employment": employment, "assessment": assessment, "form": form, "qualities": qualities}
    return render(request, "hr/onboarding/assessment.html", context)


@hr_required
@permission_required("screening.change_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def hr_job_assessment_import(request, slug):
    job = get_object_or_404(selectors.jobs_visible_to(request.user), slug=slug)
    qualities = onboarding.job_qualities(job=job)
    form = AssessmentImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.assessments_import(job=job, text=form.cleaned_data["file"], by=request.user,
                                             qualities=qualities)  # fmt: skip
    columns = [*services.IMPORT_COLUMNS, *(f"{services.RATING_PREFIX}{code}" for code in qualities)]
    context = {"job": job, "form": form, "report": report, "columns": columns, "qualities": qualities}
    return render(request, "hr/onboarding/import.html", context)


def _checklist_admin_url(checklist_id: int) -> str | None:
    try:
        return reverse("admin:screening_checklist_change", args=[checklist_id])
    except NoReverseMatch:
        return None


@hr_required
def hr_job_quality(request, slug):
    job = get_object_or_404(selectors.jobs_visible_to(request.user), slug=slug)
    report, checklists = onboarding.job_quality_report(job=job)
    rows = [q for q in report.requirements if q.met.n + q.not_met.n]
    suggestions = [(q, _checklist_admin_url(checklists[q.key])) for q in report.suggestions]
    context = {
        "job": job,
        "report": report,
        "rows": rows,
        "suggestions": suggestions,
        "min_arm": quality.MIN_ARM,
        "is_admin": request.user.is_superuser,
    }
    return render(request, "hr/onboarding/quality.html", context)
