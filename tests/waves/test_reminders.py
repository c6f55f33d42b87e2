"""Reminders 24 h and 1 h before a session, by e-mail and SMS, each sent exactly once: the task run twice, two
runs at the same time (two real transactions), and a real worker given the task twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from screening.waves import services, sms, tasks
from screening.waves.models import Invitation, Reminder
from tests.conftest import wait_for
from tests.factories import JobFactory
from tests.screening.services.test_decision_races import race
from tests.waves.factories import SessionFactory, invited


@pytest.fixture
def sms_outbox(settings):
    settings.SMS_BACKEND = "screening.waves.sms.MemoryBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def _booked(hr_user, *, starts_in: timedelta, **session):
    job = JobFactory(title="电商客服专员")
    session = SessionFactory(job=job, **session)
    application = invited(job, by=hr_user, name="王芳")
    booking = services.booking_book(application=application, session=session, by=hr_user)
    session.starts_at = timezone.now().replace(microsecond=0) + starts_in
    session.save()
    booking.session = session
    return booking


@pytest.mark.django_db
def test_the_task_run_twice_sends_each_reminder_once_by_each_channel(hr_user, sms_outbox):
    booking = _booked(hr_user, starts_in=timedelta(hours=23), place="杭州市文三路 90 号")
    phone = booking.application.applicant.phone

    assert tasks.send_due_reminders() == 2
    assert tasks.send_due_reminders() == 0

    assert [m.to for m in mail.outbox] == [[booking.application.applicant.email]]
    assert [m.phone for m in sms_outbox] == [phone]
    assert "王芳您好" in sms_outbox[0].text and "电商客服专员" in sms_outbox[0].text
    assert "杭州市文三路 90 号" in mail.outbox[0].body
    # an hour before: the second reminder, once
    later = timezone.now() + timedelta(hours=22, minutes=30)
    assert services.reminders_send_due(now=later) == 2
    assert services.reminders_send_due(now=later) == 0
    assert len(mail.outbox) == 2 and len(sms_outbox) == 2
    assert sorted(Reminder.objects.values_list("lead", "channel")) == [
        ("1h", "email"), ("1h", "sms"), ("24h", "email"), ("24h", "sms"),
    ]  # fmt: skip


@pytest.mark.django_db
def test_the_emailed_reminder_carries_a_link_to_move_or_cancel(hr_user, sms_outbox, client):
    booking = _booked(hr_user, starts_in=timedelta(minutes=50))
    mail.outbox.clear()
    services.reminders_send_due()
    (reminder,) = mail.outbox
    link = next(w for w in reminder.body.split() if "/status/" in w)
    page = client.get(link[link.index("/status/") :], follow=True)
    assert page.status_code == 200 and booking.application.job.title in page.content.decode()
    assert "/status/" not in sms_outbox[0].text  # the SMS keeps the job's wording only


@pytest.mark.django_db
def test_a_candidate_who_opted_out_of_sms_gets_only_the_email(hr_user, sms_outbox):
    booking = _booked(hr_user, starts_in=timedelta(minutes=50))
    Invitation.objects.filter(application=booking.application).update(sms_opt_out=True)
    assert services.reminders_send_due() == 1
    assert len(mail.outbox) == 1 and sms_outbox == []


@pytest.mark.django_db
def test_a_moved_booking_is_reminded_of_its_new_session(hr_user, sms_outbox):
    booking = _booked(hr_user, starts_in=timedelta(minutes=50))
    services.reminders_send_due()
    other = SessionFactory(job=booking.session.job, starts_at=timezone.now() + timedelta(minutes=40))
    services.booking_move(booking=booking, to_session=other, by=hr_user)
    mail.outbox.clear()
    assert services.reminders_send_due() == 2


@pytest.mark.django_db
def test_the_job_wording_is_used_and_only_known_placeholders_are_accepted(hr_user, sms_outbox):
    booking = _booked(hr_user, starts_in=timedelta(minutes=50))
    services.reminder_wording_save(job=booking.session.job, text="【客服招聘】{name}，{start} 见，地点 {place}")
    with pytest.raises(ValidationError, match="phone"):
        services.reminder_wording_save(job=booking.session.job, text="{name} {phone}")
    with pytest.raises(ValidationError):
        services.reminder_wording_save(job=booking.session.job, text="{name")
    services.reminders_send_due()
    start = timezone.localtime(booking.session.starts_at).strftime("%Y-%m-%d %H:%M")
    assert sms_outbox[0].text == f"【客服招聘】王芳，{start} 见，地点 {booking.session.place}"


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_send_each_reminder_once(hr_user, sms_outbox):
    _booked(hr_user, starts_in=timedelta(hours=20))
    mail.outbox.clear()  # the booking's own confirmation

    def first():
        with transaction.atomic():  # its claims stay uncommitted while the second run tries the same rows
            return services.reminders_send_due()

    a, b, waited = race(first, services.reminders_send_due)

    assert waited, "the second run did not wait on the first run's claim"
    assert (a.result, b.result) == (2, 0)
    assert len(mail.outbox) == 1 and len(sms_outbox) == 1
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 2


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_given_the_task_twice_sends_each_reminder_once(hr_user, celery_worker):
    from config.celery_app import app

    booking = _booked(hr_user, starts_in=timedelta(hours=20))
    app.send_task("screening.waves.tasks.send_due_reminders")
    app.send_task("screening.waves.tasks.send_due_reminders")
    wait_for(lambda: Reminder.objects.filter(booking=booking, sent_at__isnull=False).count() == 2, timeout=30)
    assert sorted(Reminder.objects.values_list("lead", "channel")) == [("24h", "email"), ("24h", "sms")]
