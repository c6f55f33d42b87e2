"""HR changes a session, calls it off, or cancels one candidate's seat: the candidates holding a seat are told
(with the calendar entry updated or cancelled), reminders follow the new time, a session called off takes no
booking, and a change never leaves fewer seats than people holding one, even racing a booking."""

import email
from datetime import timedelta
from email import policy

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from screening.waves import selectors, services
from screening.waves.models import Booking, Reminder, Session
from tests.factories import JobFactory
from tests.screening.services.test_decision_races import race
from tests.waves.factories import SessionFactory, invited

pytestmark = pytest.mark.django_db


def _change(session, **changes):
    values = {
        "kind": session.kind, "starts_at": session.starts_at, "duration_minutes": session.duration_minutes,
        "capacity": session.capacity, "place": session.place, "online_link": session.online_link,
    }  # fmt: skip
    return services.session_update(session=session, **{**values, **changes})


def _calendar(message) -> Calendar:
    raw = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    part = next(p for p in raw.walk() if p.get_content_type() == "text/calendar")
    return Calendar.from_ical(part.get_payload(decode=True))


def _booked(hr_user, n=2, **session):
    job = JobFactory(title="电商客服专员")
    session = SessionFactory(job=job, **session)
    bookings = [
        services.booking_book(application=invited(job, by=hr_user, name=f"候选人{i}"), session=session, by=hr_user)
        for i in range(n)
    ]
    return session, bookings


def test_a_new_time_is_mailed_to_each_seat_with_the_calendar_entry_moved(hr_user, django_capture_on_commit_callbacks):
    session, bookings = _booked(hr_user)
    mail.outbox.clear()
    new_start = session.starts_at + timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        _change(session, starts_at=new_start, place="杭州市文三路 100 号 5 楼")

    assert sorted(m.to[0] for m in mail.outbox) == sorted(b.application.applicant.email for b in bookings)
    message = mail.outbox[0]
    assert "场次有变动" in message.subject and "文三路 100 号 5 楼" in message.body
    (event,) = _calendar(message).walk("VEVENT")
    assert event.decoded("dtstart") == new_start and int(event["sequence"]) == 1
    assert str(_calendar(message)["method"]) == "REQUEST"


def test_a_capacity_below_the_seats_held_or_another_kind_is_refused(hr_user):
    session, _bookings = _booked(hr_user, n=3, capacity=4)
    with pytest.raises(services.BookingError, match="3"):
        _change(session, capacity=2)
    with pytest.raises(services.BookingError):
        _change(session, kind=Session.Kind.TYPING_TEST)
    session.refresh_from_db()
    assert (session.capacity, session.kind) == (4, Session.Kind.GROUP)
    assert _change(session, capacity=3).capacity == 3  # down to the seats held is fine


def test_reminders_start_again_for_the_new_time(hr_user, settings):
    settings.SMS_BACKEND = "screening.waves.sms.MemoryBackend"
    session, (booking,) = _booked(hr_user, n=1, starts_at=timezone.now() + timedelta(minutes=50))
    assert services.reminders_send_due() == 2  # the hour-ahead reminder, e-mail and SMS
    _change(session, starts_at=timezone.now() + timedelta(minutes=40))
    assert services.reminders_send_due() == 2  # the new time announced
    assert services.reminders_send_due() == 0
    assert Reminder.objects.filter(booking=booking).values("starts_at").distinct().count() == 2


def test_a_session_called_off_cancels_each_seat_tells_each_candidate_and_takes_no_booking(
    hr_user, django_capture_on_commit_callbacks
):
    session, bookings = _booked(hr_user)
    other = SessionFactory(job=session.job, starts_at=session.starts_at + timedelta(days=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.session_call_off(session=session) is False

    session.refresh_from_db()
    assert session.cancelled_at is not None and session.booked_count == 0
    assert not Booking.objects.filter(session=session, cancelled_at__isnull=True).exists()
    assert len(mail.outbox) == 2 and all("请重新预约" in m.subject for m in mail.outbox)
    assert str(_calendar(mail.outbox[0])["method"]) == "CANCEL"
    assert selectors.bookable_sessions(job=session.job, kind=session.kind) == [other]
    application = bookings[0].application
    with pytest.raises(services.BookingError):
        services.booking_book(application=application, session=session)  # the candidate
    with pytest.raises(services.BookingError):
        services.booking_book(application=application, session=session, by=hr_user)  # nor HR
    assert services.booking_book(application=application, session=other).session == other  # they rebook


def test_a_session_nobody_ever_booked_is_deleted(hr_user):
    session = SessionFactory()
    assert services.session_call_off(session=session) is True
    assert not Session.objects.filter(pk=session.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_capacity_cut_racing_a_booking_never_leaves_more_people_than_seats(hr_user):
    session, _bookings = _booked(hr_user, n=1, capacity=2)
    newcomer = invited(session.job, by=hr_user, name="最后一位")

    def cut():
        return _change(session, capacity=1)

    def book():
        return services.booking_book(application=newcomer, session=session, by=hr_user)

    a, b, waited = race(cut, book)
    assert waited, "the booking did not wait for the change's lock"
    assert a.error is None and isinstance(b.error, services.SessionFull)  # the cut came first: the seat is gone
    session.refresh_from_db()
    held = selectors.seat_holders(Booking.objects.filter(session=session)).count()
    assert (session.capacity, held) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_a_booking_racing_a_capacity_cut_makes_the_cut_refused(hr_user):
    session, _bookings = _booked(hr_user, n=1, capacity=2)
    newcomer = invited(session.job, by=hr_user, name="最后一位")

    a, b, waited = race(
        lambda: services.booking_book(application=newcomer, session=session, by=hr_user),
        lambda: _change(session, capacity=1),
    )
    assert waited, "the change did not wait for the booking's lock"
    assert a.error is None and isinstance(b.error, services.BookingError)  # two hold a seat now: not below 2
    session.refresh_from_db()
    assert session.capacity == 2 and session.booked_count == 2


def test_hr_pages_change_and_call_off_a_session_and_cancel_a_seat(
    hr_client, hr_user, django_capture_on_commit_callbacks
):
    session, (kept, cancelled) = _booked(hr_user, capacity=4)
    day = timezone.localtime(session.starts_at).date().isoformat()
    url = reverse("hr:session_edit", args=[session.pk])
    assert "已有 2 人预约" in hr_client.get(url).content.decode()
    form = {"kind": "group", "day": day, "start": "10:30", "duration_minutes": 45, "capacity": 1, "place": "五楼 A 室"}
    page = hr_client.post(url, form).content.decode()
    assert "名额不能少于 2" in page and 'value="五楼 A 室"' in page  # the error, and what was typed kept
    assert hr_client.post(url, {**form, "capacity": 3}).status_code == 302
    session.refresh_from_db()
    assert (session.capacity, session.place, timezone.localtime(session.starts_at).strftime("%H:%M")) == (
        3, "五楼 A 室", "10:30",
    )  # fmt: skip

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(reverse("hr:session_cancel_booking", args=[session.pk]), {"booking": cancelled.pk})
    assert response.status_code == 302
    cancelled.refresh_from_db()
    assert cancelled.cancelled_at is not None
    assert [m.to[0] for m in mail.outbox] == [cancelled.application.applicant.email]
    assert "已由招聘方取消" in mail.outbox[0].body

    confirm = hr_client.get(reverse("hr:session_call_off", args=[session.pk])).content.decode()
    holders = confirm.split('id="holders">')[1].split("</ul>")[0]
    assert kept.application.applicant.name in holders and cancelled.application.applicant.name not in holders
    hr_client.post(reverse("hr:session_call_off", args=[session.pk]))
    session.refresh_from_db()
    assert session.cancelled_at is not None
    calendar = hr_client.get(reverse("hr:job_sessions", args=[session.job.slug]), {"day": day}).content.decode()
    assert "session-called-off" in calendar
    assert hr_client.get(url).status_code == 302  # a session called off is not changed any more


def test_a_reviewer_without_the_change_permission_and_another_team_cannot_change_sessions(
    client, hr_user, django_user_model
):
    from django.contrib.auth.models import Permission

    session, (booking,) = _booked(hr_user, n=1)
    viewer = django_user_model.objects.create_user("viewer", password="pw-for-tests-only", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_application"))
    client.force_login(viewer)
    for name, data in (
        ("session_edit", {}),
        ("session_call_off", {}),
        ("session_cancel_booking", {"booking": booking.pk}),
    ):
        assert client.post(reverse(f"hr:{name}", args=[session.pk]), data).status_code in (403, 404)
    session.refresh_from_db()
    assert session.cancelled_at is None and Booking.objects.get(pk=booking.pk).cancelled_at is None

    other = django_user_model.objects.create_user("other-team", password="pw-for-tests-only", is_staff=True)
    other.groups.add(*hr_user.groups.all())
    session.job.hiring_team.add(hr_user)  # the job now has a team, and the other HR is not in it
    client.force_login(other)
    assert client.get(reverse("hr:session_edit", args=[session.pk])).status_code == 404
    assert client.post(reverse("hr:session_call_off", args=[session.pk])).status_code == 404
