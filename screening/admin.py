import json

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import progress, services
from .models import Applicant, Application, Checklist, Evaluation, Job, JobChecklist, Question, Requirement
from .tasks import rescore_checklist


class PrettyJSONField(forms.JSONField):
    def prepare_value(self, value):
        if isinstance(value, str):  # re-displaying invalid input: keep what the admin typed
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)


class RequirementForm(forms.ModelForm):
    condition = PrettyJSONField(
        label=_("条件"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60, "class": "vLargeTextField"}),
        help_text=_('JSON，例如 {"kind": "education_at_least", "level": "senior_high"}'),
    )

    class Meta:
        model = Requirement
        fields = [
            "code",
            "title",
            "category",
            "description",
            "condition",
            "weight",
            "knockout",
            "partial_credit",
            "order",
        ]


class RequirementInline(admin.StackedInline):
    model = Requirement
    form = RequirementForm
    extra = 0
    fields = [
        ("code", "title", "category"),
        "description",
        "condition",
        ("weight", "knockout", "partial_credit", "order"),
    ]


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = [("code", "kind", "order"), "prompt", "options"]


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "revision", "requirement_count", "rescore_progress", "updated_at"]
    search_fields = ["slug", "name"]
    readonly_fields = ["revision", "created_at", "updated_at"]
    inlines = [RequirementInline, QuestionInline]
    actions = ["rescore"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(requirement_total=Count("requirements"))

    @admin.display(description=_("要求数"), ordering="requirement_total")
    def requirement_count(self, obj):
        return obj.requirement_total

    @admin.display(description=_("重新评分进度"))
    def rescore_progress(self, obj):
        state = progress.read(progress.checklist_key(obj.pk))
        if state is None:
            return "—"
        done, total = state
        return _("%(done)s / %(total)s") % {"done": min(done, total), "total": total}

    @admin.action(description=_("重新评分使用这些清单的申请"), permissions=["change"])
    def rescore(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        for checklist_id in ids:
            progress.forget(progress.checklist_key(checklist_id))  # the page shows "queued" until the task starts
            rescore_checklist.delay(checklist_id, True)  # on demand: every application, stale or not
        self.message_user(
            request,
            ngettext("已为 %(n)d 个清单排队重新评分。", "已为 %(n)d 个清单排队重新评分。", len(ids)) % {"n": len(ids)},
            messages.SUCCESS,
        )
        url = reverse("admin:screening_checklist_rescore_progress")
        return redirect(f"{url}?ids={','.join(map(str, ids))}")

    def get_urls(self):
        progress_view = self.admin_site.admin_view(self.rescore_progress_view)
        return [
            path("rescore-progress/", progress_view, name="screening_checklist_rescore_progress"),
            *super().get_urls(),
        ]

    def rescore_progress_view(self, request):
        ids = [int(i) for i in request.GET.get("ids", "").split(",") if i.isdigit()]
        rows, running = [], False
        for checklist in Checklist.objects.filter(pk__in=ids):
            state = progress.read(progress.checklist_key(checklist.pk))
            done, total = state if state else (0, None)
            finished = total is not None and done >= total
            running |= not finished
            percent = 100 if total == 0 else (min(100, round(100 * done / total)) if total else 0)
            rows.append({"checklist": checklist, "done": min(done, total or 0), "total": total, "percent": percent})
        context = {
            **self.admin_site.each_context(request),
            "title": _("重新评分进度"),
            "rows": rows,
            "running": running,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/screening/checklist/rescore_progress.html", context)


class JobChecklistInline(admin.TabularInline):
    model = JobChecklist
    extra = 1
    autocomplete_fields = ["checklist"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "location", "employment_type", "status", "advance_threshold"]
    list_filter = ["status", "employment_type"]
    search_fields = ["title", "slug", "location"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [JobChecklistInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "advance_threshold" in form.changed_data:
            # recommendations depend on the threshold: recompute them all
            services.job_request_rescore(job_id=obj.pk, everything=True)


@admin.register(Applicant)
class ApplicantAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "phone", "created_at"]
    search_fields = ["name", "email", "phone"]


class EvaluationInline(admin.StackedInline):
    model = Evaluation
    can_delete = False
    readonly_fields = ["score", "max_possible", "recommendation", "revisions", "evaluated_at", "results"]
    fields = readonly_fields


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["applicant", "job", "stage", "score", "recommendation", "source", "submitted_at"]
    list_filter = ["stage", "source", "job", "evaluation__recommendation", "needs_manual_review"]
    list_select_related = ["applicant", "job", "evaluation"]
    search_fields = ["applicant__name", "applicant__email", "applicant__phone"]
    raw_id_fields = ["applicant"]
    readonly_fields = ["scoring_attempts", "created_at", "updated_at"]
    inlines = [EvaluationInline]

    @admin.display(description=_("得分"), ordering="evaluation__score")
    def score(self, obj):
        evaluation = getattr(obj, "evaluation", None)
        return evaluation.score if evaluation else None

    @admin.display(description=_("建议"))
    def recommendation(self, obj):
        evaluation = getattr(obj, "evaluation", None)
        return evaluation.get_recommendation_display() if evaluation else None
