import json

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Applicant, Application, Checklist, Evaluation, Job, JobChecklist, Question, Requirement


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
    list_display = ["slug", "name", "revision", "requirement_count", "updated_at"]
    search_fields = ["slug", "name"]
    readonly_fields = ["revision", "created_at", "updated_at"]
    inlines = [RequirementInline, QuestionInline]

    @admin.display(description=_("要求数"))
    def requirement_count(self, obj):
        return obj.requirements.count()


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
