"""HR's wave analytics of a job: the plan (headcount target and deadline), the funnel with the time in each stage,
booking and show rates per slot time, sources and referrers, and the burndown of hires; each chart with its table."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..waves import analytics, planning
from .views import _job, hr_change_action, hr_required


class WavePlanForm(forms.Form):
    headcount_target = forms.IntegerField(
        label=gettext_lazy("招聘目标人数"), min_value=1, max_value=planning.MAX_HEADCOUNT
    )
    deadline = forms.DateField(
        label=gettext_lazy("截止日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_date = forms.DateField(
        label=gettext_lazy("开始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("不填则从第一份申请当天算起"),
    )


def _plan_form(plan, form=None):
    if form is not None:
        return form
    if plan is None:
        return WavePlanForm()
    return WavePlanForm(
        initial={"headcount_target": plan.headcount_target, "deadline": plan.deadline, "start_date": plan.start_date}
    )


def _rate(ratio) -> float | None:
    return ratio.percent


def _chart_data(*, funnel, durations, attendance, sources, referrers, burndown) -> dict:
    hours = attendance["by_hour"]
    weekdays = attendance["by_weekday"]
    per_source = ("applications", "interview", "booked", "showed", "hired")
    source_labels = {
        "applications": _("申请"),
        "interview": _("进入面试"),
        "booked": _("已预约场次"),
        "showed": _("到场"),
        "hired": _("已入职"),
    }

    def grouped(rows):
        return {
            "labels": [str(r["label"]) for r in rows],
            "datasets": [{"label": source_labels[k], "values": [r[k] for r in rows]} for k in per_source],
        }

    def rates(rows, labels):
        return {
            "labels": labels,
            "datasets": [
                {"label": _("未到场率"), "values": [_rate(r["no_show_rate"]) for r in rows]},
                {"label": _("迟到率"), "values": [_rate(r["late_rate"]) for r in rows]},
            ],
        }

    data = {
        "funnel": {
            "labels": [str(s["label"]) for s in funnel["steps"]],
            "values": [s["count"] for s in funnel["steps"]],
        },
        "durations": {
            "labels": [str(d["label"]) for d in durations],
            "datasets": [
                {"label": _("中位数（天）"), "values": [d["median_days"] for d in durations]},
                {"label": _("第 80 百分位（天）"), "values": [d["p80_days"] for d in durations]},
            ],
        },
        "no_show_hour": rates(hours, [f"{r['hour']:02d}:00" for r in hours]),
        "no_show_weekday": rates(weekdays, [str(WEEKDAYS[r["weekday"] - 1]) for r in weekdays]),
        "sources": grouped(sources),
        "referrers": grouped(referrers),
    }
    if burndown["state"] != "no_plan":
        series = burndown["series"]
        data["burndown"] = {
            "labels": [formats.date_format(p["day"], "MONTH_DAY_FORMAT") for p in series],
            "datasets": [
                {"label": _("尚需招聘"), "values": [p["remaining"] for p in series]},
                {"label": _("理想进度"), "values": [p["ideal"] for p in series], "dashed": True},
            ],
        }
    return data


@hr_required
def hr_job_wave_analytics(request, slug, form=None):
    job = _job(request, slug)
    funnel = analytics.job_funnel(job=job)
    durations = analytics.job_stage_durations(job=job)
    attendance = analytics.job_attendance(job=job)
    sources = analytics.job_sources(job=job)
    referrers = analytics.job_referrers(job=job)
    burndown = analytics.job_burndown(job=job)
    for row in attendance["by_weekday"]:
        row["label"] = WEEKDAYS[row["weekday"] - 1]
    context = {
        "job": job,
        "form": _plan_form(burndown["plan"], form),
        "can_plan": request.user.has_perm("screening.change_application"),
        "funnel": funnel,
        "durations": durations,
        "attendance": attendance,
        "sources": sources,
        "referrers": referrers,
        "burndown": burndown,
        "chart_data": _chart_data(
            funnel=funnel,
            durations=durations,
            attendance=attendance,
            sources=sources,
            referrers=referrers,
            burndown=burndown,
        ),
    }
    return render(request, "hr/wave_analytics.html", context, status=400 if form is not None else 200)


@hr_change_action
def hr_job_wave_plan(request, slug):
    job = _job(request, slug)
    form = WavePlanForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            planning.wave_plan_save(
                job=job, by=request.user, headcount_target=data["headcount_target"], deadline=data["deadline"],
                start_date=data["start_date"],
            )  # fmt: skip
        except planning.PlanInvalid as exc:
            for field, message in exc.errors.items():
                form.add_error(field, message)
        else:
            messages.success(request, _("招聘计划已保存"))
            return redirect("hr:job_wave_analytics", slug=slug)
    return hr_job_wave_analytics(request, slug, form=form)
