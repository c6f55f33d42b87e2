"""Onboarding plans edited like checklists, on the portal's admin site (admins only)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Assessment, AssessmentPoint, Employment, OnboardingPlan, OnboardingTask, PlanItem


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0
    fields = ("order", "day_offset", "owner", "title", "description")


class AssessmentPointInline(admin.TabularInline):
    model = AssessmentPoint
    extra = 0
    fields = ("code", "title", "day_offset", "unlocks_permissions", "description")


@admin.register(OnboardingPlan)
class OnboardingPlanAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_default", "item_count")
    filter_horizontal = ("jobs",)
    inlines = [PlanItemInline, AssessmentPointInline]

    @admin.display(description=_("事项数"))
    def item_count(self, plan):
        return plan.items.count()


class OnboardingTaskInline(admin.TabularInline):
    model = OnboardingTask
    extra = 0
    fields = ("title", "owner", "due_on", "done_at", "done_by")
    readonly_fields = ("done_at", "done_by")


class AssessmentInline(admin.TabularInline):
    model = Assessment
    extra = 0
    fields = ("title", "attempt", "due_on", "outcome", "assessed_by", "assessed_at", "reminder_sent_at")
    readonly_fields = ("outcome", "assessed_by", "assessed_at", "reminder_sent_at")


@admin.register(Employment)
class EmploymentAdmin(admin.ModelAdmin):
    list_display = ("application", "started_on", "mentor", "assessor", "permissions_granted_at", "transfer_flagged_at")
    list_select_related = ("application__applicant", "application__job", "mentor", "assessor")
    raw_id_fields = ("application",)
    readonly_fields = ("permissions_granted_at", "permissions_granted_by", "transfer_flagged_at")
    inlines = [OnboardingTaskInline, AssessmentInline]
