"""The waves on the portal's admin site (admins only). Sessions, bookings, invitations and scorecards change
through HR's pages, which lock, re-check and tell the candidates; here they are read (and go with a person an admin
erases). Reminders can be tried again after an outage; the reminder wording is edited with the same check as on
HR's page, and a job's wave plan as on the wave analytics page."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..admin import ReadOnlyAdmin
from .models import Booking, Invitation, Reminder, ReminderWording, Scorecard, Session, WavePlan
from .services import wording_validate


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ("starts_at", "job", "kind", "where", "seats", "cancelled_at", "hr_page")
    list_filter = ("kind", "job", ("cancelled_at", admin.EmptyFieldListFilter))
    list_select_related = ("job",)
    date_hierarchy = "starts_at"
    filter_horizontal = ("interviewers",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("已预约 / 名额"))
    def seats(self, session):
        return f"{session.booked_count} / {session.capacity}"

    @admin.display(description=_("管理"))
    def hr_page(self, session):
        return format_html('<a href="{}">{}</a>', reverse("hr:session_detail", args=[session.pk]), _("HR 场次页"))


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ("application", "session", "attendance", "checked_in_at", "cancelled_at")
    list_filter = ("attendance", ("cancelled_at", admin.EmptyFieldListFilter), "session__job")
    list_select_related = ("application__applicant", "application__job", "session__job")
    raw_id_fields = ("application", "session")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("application", "kind", "invited_by", "sent_count", "sms_opt_out", "created_at")
    list_filter = ("kind", "sms_opt_out")
    list_select_related = ("application__applicant", "application__job", "invited_by")
    raw_id_fields = ("application",)


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = ("booking", "interviewer", "created_at")
    list_select_related = ("booking__application__applicant", "booking__session__job", "interviewer")
    raw_id_fields = ("booking",)


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("booking_id", "lead", "channel", "starts_at", "claimed_at", "sent_at", "attempts", "error")
    list_filter = ("lead", "channel", ("sent_at", admin.EmptyFieldListFilter))
    actions = ["try_again"]

    def has_retry_permission(self, request):
        return request.user.is_superuser

    @admin.action(description=_("重新尝试发送未发出的提醒"), permissions=["retry"])
    def try_again(self, request, queryset):
        # only the unsent ones whose session is still ahead: the next run (every minute) sends each once, under its
        # row's lock; one whose outcome was unknown may reach the candidate a second time (admin's call)
        count = queryset.filter(sent_at__isnull=True, starts_at__gt=timezone.now()).update(attempts=0, error="")
        self.message_user(
            request,
            ngettext("%(n)s 条提醒会在下一分钟重新发送", "%(n)s 条提醒会在下一分钟重新发送", count) % {"n": count},
            messages.SUCCESS,
        )


class ReminderWordingForm(forms.ModelForm):
    class Meta:
        model = ReminderWording
        fields = ["job", "text"]

    def clean_text(self):
        return wording_validate(self.cleaned_data["text"])


@admin.register(ReminderWording)
class ReminderWordingAdmin(admin.ModelAdmin):
    form = ReminderWordingForm
    list_display = ("job", "text", "updated_at")
    list_select_related = ("job",)


@admin.register(WavePlan)
class WavePlanAdmin(admin.ModelAdmin):
    list_display = ("job", "headcount_target", "start_date", "deadline", "updated_at")
    list_select_related = ("job",)
    search_fields = ("job__title", "job__slug")
    raw_id_fields = ("job",)
