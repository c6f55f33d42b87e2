"""The waves in admin: every list opens for an admin; nothing there adds or edits a seat; an unsent reminder can be
tried again; the wording is checked as on HR's page; the wave plan is edited with its checks."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from screening.waves import services
from screening.waves.models import Booking, Reminder, ReminderWording, Session, WavePlan
from tests.factories import JobFactory
from tests.waves.factories import SessionFactory, invited

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(hr_user):
    job = JobFactory(title="电商客服专员")
    session = SessionFactory(job=job, starts_at=timezone.now() + timedelta(minutes=50))
    return services.booking_book(application=invited(job, by=hr_user, name="王芳"), session=session, by=hr_user)


@pytest.mark.parametrize("model", ["session", "booking", "invitation", "scorecard", "reminder", "reminderwording"])
def test_every_waves_list_opens_for_an_admin(admin_client, booked, model):
    assert admin_client.get(reverse(f"admin:waves_{model}_changelist")).status_code == 200


def test_seats_are_not_added_or_edited_in_admin(admin_client, booked):
    assert admin_client.get(reverse("admin:waves_booking_add")).status_code == 403
    page = admin_client.get(reverse("admin:waves_session_change", args=[booked.session_id])).content.decode()
    assert 'name="capacity"' not in page  # shown, not a field
    assert (
        reverse("hr:session_detail", args=[booked.session_id])
        in admin_client.get(reverse("admin:waves_session_changelist")).content.decode()
    )  # where it is changed
    response = admin_client.post(reverse("admin:waves_session_change", args=[booked.session_id]), {"capacity": 1})
    assert response.status_code == 403
    assert Session.objects.get(pk=booked.session_id).capacity == 6


def test_an_unsent_reminder_is_tried_again_by_the_next_run(admin_client, booked, settings):
    settings.SMS_BACKEND = "screening.waves.sms.MemoryBackend"
    services.reminders_send_due()
    Reminder.objects.filter(channel="sms").update(sent_at=None, attempts=3, error="isv.BUSINESS_LIMIT_CONTROL")
    assert services.reminders_send_due() == 0  # given up after three refusals
    admin_client.post(
        reverse("admin:waves_reminder_changelist"),
        {"action": "try_again", "_selected_action": list(Reminder.objects.values_list("pk", flat=True))},
    )
    assert services.reminders_send_due() == 1
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
    assert Booking.objects.count() == 1


def test_the_wording_is_checked_in_admin_as_on_hrs_page(admin_client, booked):
    url = reverse("admin:waves_reminderwording_add")
    page = admin_client.post(url, {"job": booked.session.job_id, "text": "{name} {phone}"}).content.decode()
    assert "phone" in page and not ReminderWording.objects.exists()
    admin_client.post(url, {"job": booked.session.job_id, "text": "{name}，{start} 见"})
    assert ReminderWording.objects.get().text == "{name}，{start} 见"


def test_admins_list_and_edit_wave_plans(admin_client):
    plan = WavePlan.objects.create(job=JobFactory(title="双11客服"), headcount_target=30, deadline=date(2027, 11, 1))
    assert "双11客服" in admin_client.get(reverse("admin:waves_waveplan_changelist")).content.decode()
    url = reverse("admin:waves_waveplan_change", args=[plan.pk])
    response = admin_client.post(url, {"job": plan.job_id, "headcount_target": 0, "deadline": "2027-11-01"})
    assert response.status_code == 200  # refused: a plan hires someone
    response = admin_client.post(url, {"job": plan.job_id, "headcount_target": 25, "deadline": "2027-10-31"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.headcount_target, plan.deadline) == (25, date(2027, 10, 31))


def test_an_admin_erasing_a_person_with_a_booking_is_not_refused(admin_client, booked, settings):
    from screening.models import Applicant

    settings.SMS_BACKEND = "screening.waves.sms.MemoryBackend"
    services.reminders_send_due()  # the booking has reminders too
    applicant_id = booked.application.applicant_id
    response = admin_client.post(reverse("admin:screening_applicant_delete", args=[applicant_id]), {"post": "yes"})
    assert response.status_code == 302
    assert not Applicant.objects.filter(pk=applicant_id).exists() and not Booking.objects.exists()
    assert not Reminder.objects.exists()
    assert admin_client.get(reverse("admin:waves_booking_changelist")).status_code == 200
