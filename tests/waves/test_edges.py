"""The edges a careful reader found: a reminder racing a cancellation, a send whose outcome cannot be known, a row
that kills its worker, a wording that would build a huge string, HR and a candidate locking in opposite orders,
a call-off reaching people who left, a session already held, a session deleted under a booking, a stale form, and
SMS template values a provider refuses."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from screening.models import Application
from screening.waves import services, sms
from screening.waves.models import Booking, Reminder, Session
from tests.conftest import relay_out_of_reach, wait_for
from tests.factories import JobFactory
from tests.screening.services.test_decision_races import Racer, _waits_for, race
from tests.waves.factories import SessionFactory, invited

pytestmark = pytest.mark.django_db


class TimesOutOnce:
    """A provider that takes the first message and then times out (the message may well have gone)."""

    calls: list[str] = []

    def send(self, phone, text, *, params=None, ref=""):
        TimesOutOnce.calls.append(ref)
        if len(TimesOutOnce.calls) == 1:
            raise TimeoutError("read timed out")


def _booked(hr_user, *, starts_in=timedelta(minutes=50), name="王芳", **session):
    job = JobFactory(title="电商客服专员")
    session = SessionFactory(job=job, starts_at=timezone.now() + starts_in, **session)
    application = invited(job, by=hr_user, name=name)
    return services.booking_book(application=application, session=session, by=hr_user)


def test_a_send_of_unknown_outcome_is_not_repeated_by_itself(hr_user, settings):
    settings.SMS_BACKEND = "tests.waves.test_edges.TimesOutOnce"
    TimesOutOnce.calls = []
    booking = _booked(hr_user)
    assert services.reminders_send_due() == 1  # the e-mail; the SMS timed out
    unknown = Reminder.objects.get(channel="sms")
    assert unknown.sent_at is None and unknown.error.startswith(services.UNKNOWN)
    assert services.reminders_send_due() == 0 and len(TimesOutOnce.calls) == 1  # not sent a second time
    Reminder.objects.filter(pk=unknown.pk).update(attempts=0, error="")  # admin's "try again"
    assert services.reminders_send_due() == 1 and TimesOutOnce.calls == [f"reminder-{unknown.pk}"] * 2
    assert Reminder.objects.filter(booking=booking, sent_at__isnull=False).count() == 2


def test_a_relay_out_of_reach_is_tried_again_by_the_next_run(hr_user, settings):
    relay_out_of_reach(settings)
    settings.SMS_BACKEND = "screening.waves.sms.MemoryBackend"
    _booked(hr_user)
    services.reminders_send_due()
    refused = Reminder.objects.get(channel="email")
    assert refused.sent_at is None and refused.attempts == 1 and not refused.error.startswith(services.UNKNOWN)
    services.reminders_send_due()
    refused.refresh_from_db()
    assert refused.attempts == 2  # tried again: nothing had gone out


def test_a_row_that_used_up_its_attempts_does_not_hold_up_the_others(hr_user, settings):
    settings.SMS_BACKEND = "screening.waves.sms.MemoryBackend"
    sms.outbox.clear()
    first = _booked(hr_user, name="第一位")
    services.reminders_send_due()
    # as if every worker that sent the first one's e-mail had died: its attempts are used up, and it stays unsent
    Reminder.objects.filter(booking=first, channel="email").update(
        sent_at=None, attempts=services.REMINDER_MAX_ATTEMPTS
    )
    second = _booked(hr_user, name="第二位")
    assert services.reminders_send_due() == 2  # the second one's e-mail and SMS go out behind it
    assert Reminder.objects.filter(booking=second, sent_at__isnull=False).count() == 2


def test_a_wording_with_a_format_is_refused():
    for wording in ("{name:>99999999}", "{name!r}", "{start:%Y}"):
        with pytest.raises(ValidationError):
            services.wording_validate(wording)
    assert services.wording_validate("{name}，{start} 见") == "{name}，{start} 见"


def test_sms_values_name_an_online_session_without_its_link_and_stay_within_the_providers_limit(hr_user):
    booking = _booked(hr_user, place="", online_link="https://meeting.example.com/very/long/path/abc")
    values = services.reminder_values(booking, for_sms=True)
    assert "http" not in values["place"] and values["place"]
    booking.session.place = "杭州市西湖区文三路 90 号华星时代广场 A 座 3 楼 301 室（从北门进，电梯上三楼右转）"
    values = services.reminder_values(booking, for_sms=True)
    assert all(len(v) <= services.SMS_VALUE_MAX for v in values.values())
    assert services.reminder_values(booking)["place"] == booking.session.place  # e-mail keeps it whole


class HoldsTheLine:
    """An SMS provider that keeps the reminder run inside its send until the test lets it go."""

    sending = threading.Event()
    release = threading.Event()

    def send(self, phone, text, *, params=None, ref=""):
        HoldsTheLine.sending.set()
        assert HoldsTheLine.release.wait(timeout=30), "never released"
        sms.outbox.append(sms.Message(phone, text, params or {}, ref))


@pytest.mark.django_db(transaction=True)
def test_a_cancellation_waits_for_a_reminder_being_sent_and_none_is_sent_after_it(hr_user, settings):
    settings.SMS_BACKEND = "tests.waves.test_edges.HoldsTheLine"
    HoldsTheLine.sending.clear(), HoldsTheLine.release.clear(), sms.outbox.clear()
    booking = _booked(hr_user)

    run = Racer(services.reminders_send_due).start()  # as beat starts it: no transaction around the run
    assert HoldsTheLine.sending.wait(timeout=30), run.error
    cancel = Racer(lambda: services.booking_cancel(booking=booking, by=hr_user)).start()  # HR: until the start
    cancel.started.wait(timeout=30)
    wait_for(lambda: _waits_for(cancel, run) or cancel.done())
    waited = not cancel.done()
    HoldsTheLine.release.set()
    run.join(), cancel.join()
    assert waited, "the cancellation did not wait for the reminder being sent"
    assert (run.result, run.error, cancel.error) == (2, None, None)
    assert Booking.objects.get(pk=booking.pk).cancelled_at is not None

    settings.SMS_BACKEND = "screening.waves.sms.MemoryBackend"
    other = _booked(hr_user, name="另一位")
    a, b, waited = race(lambda: services.booking_cancel(booking=other, by=hr_user), services.reminders_send_due)
    assert waited and b.result == 0  # it waited for the cancellation, then found no seat to remind of
    assert not Reminder.objects.filter(booking=other, sent_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_hr_calling_off_a_session_while_a_candidate_cancels_does_not_deadlock(hr_user):
    booking = _booked(hr_user, starts_in=timedelta(days=2))

    def call_off():
        with transaction.atomic():
            return services.session_call_off(session=booking.session)

    a, b, waited = race(call_off, lambda: services.booking_cancel(booking=booking))
    assert waited and a.error is None and b.error is None  # both in the same order: session, then booking
    assert Session.objects.get(pk=booking.session_id).cancelled_at is not None


def test_a_call_off_asks_only_those_still_in_the_running_to_book_again(hr_user, django_capture_on_commit_callbacks):
    stays = _booked(hr_user, starts_in=timedelta(days=2), name="还在")
    left = invited(stays.session.job, by=hr_user, name="已撤回")
    gone = services.booking_book(application=left, session=stays.session, by=hr_user)
    Application.objects.filter(pk=left.pk).update(stage=Application.Stage.WITHDRAWN)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_call_off(session=stays.session)
    assert [m.to[0] for m in mail.outbox] == [stays.application.applicant.email]
    assert Booking.objects.get(pk=gone.pk).cancelled_at is not None  # its row is closed all the same


def test_a_session_that_has_started_keeps_its_bookings_as_the_attendance_record(hr_user):
    booking = _booked(hr_user, starts_in=timedelta(days=2))
    services.booking_mark_attendance(booking=booking, attendance="attended", by=hr_user)
    Session.objects.filter(pk=booking.session_id).update(starts_at=timezone.now() - timedelta(hours=1))
    session = Session.objects.get(pk=booking.session_id)
    with pytest.raises(services.BookingError):
        services.session_call_off(session=session)
    with pytest.raises(services.BookingError):
        services.booking_cancel(booking=booking, by=hr_user)
    with pytest.raises(services.BookingError):
        services.session_update(
            session=session, kind=session.kind, starts_at=timezone.now() + timedelta(days=1),
            duration_minutes=45, capacity=6, place="x",
        )  # fmt: skip
    later = SessionFactory(job=session.job, starts_at=timezone.now() + timedelta(days=1))
    with pytest.raises(services.BookingError):
        services.booking_move(booking=booking, to_session=later, by=hr_user)  # the record stays with its session
    booking.refresh_from_db()
    assert booking.cancelled_at is None and booking.attendance == "attended" and booking.session_id == session.pk


def test_a_session_deleted_under_a_booking_is_a_clear_refusal(hr_user):
    session = SessionFactory()
    application = invited(session.job, by=hr_user)
    services.session_call_off(session=session)  # nobody had booked: deleted
    with pytest.raises(services.BookingError):
        services.booking_book(application=application, session=session)


def test_a_form_opened_before_another_change_cannot_undo_it(hr_user):
    booking = _booked(hr_user, starts_in=timedelta(days=2))
    session = Session.objects.get(pk=booking.session_id)
    seen = session.updated_at
    values = {"kind": session.kind, "duration_minutes": 45, "capacity": 6, "place": "x"}
    services.session_update(session=session, starts_at=session.starts_at + timedelta(hours=1), seen=seen, **values)
    with pytest.raises(services.BookingError):
        services.session_update(session=session, starts_at=session.starts_at, seen=seen, **values)
