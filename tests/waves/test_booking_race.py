"""Two candidates racing for a session's last seat, in two real transactions on PostgreSQL: one gets it, the other
is told the session is full and offered the next free sessions."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from screening.waves import services
from screening.waves.models import Booking, Session
from tests.factories import JobFactory
from tests.screening.services.test_decision_races import race
from tests.waves.factories import SessionFactory, invited

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_candidates_racing_for_the_last_seat_one_wins_the_other_sees_the_next_free_sessions(hr_user):
    job = JobFactory()
    last_seat = SessionFactory(job=job, capacity=2)
    later = SessionFactory(job=job, starts_at=last_seat.starts_at + timedelta(hours=1))
    full = SessionFactory(job=job, starts_at=last_seat.starts_at + timedelta(minutes=30), capacity=1)
    services.booking_book(application=invited(job, by=hr_user), session=full)
    services.booking_book(application=invited(job, by=hr_user, name="早约"), session=last_seat)  # one seat left
    first, second = invited(job, by=hr_user, name="先到"), invited(job, by=hr_user, name="后到")

    a, b, waited = race(
        lambda: services.booking_book(application=first, session=last_seat),
        lambda: services.booking_book(application=second, session=last_seat),
    )

    assert waited, "the second booking did not wait for the first one's lock on the session"
    assert isinstance(b.error, services.SessionFull)
    assert [s.pk for s in b.error.alternatives] == [later.pk]  # the full one is not offered
    assert a.result.application_id == first.pk
    seated = Booking.objects.filter(session=last_seat, cancelled_at__isnull=True)
    assert sorted(seated.values_list("application__applicant__name", flat=True)) == ["先到", "早约"]
    assert not Booking.objects.filter(application=second).exists()
    last_seat.refresh_from_db()
    assert last_seat.booked_count == 2


def test_the_database_refuses_a_session_with_more_seats_taken_than_it_has():
    session = SessionFactory(capacity=3)
    with pytest.raises(IntegrityError):
        Session.objects.filter(pk=session.pk).update(booked_count=F("capacity") + 1)


def test_the_database_refuses_a_booking_written_past_the_services_into_a_full_session(hr_user):
    job = JobFactory()
    full, other = SessionFactory(job=job, capacity=1), SessionFactory(job=job, capacity=1)
    services.booking_book(application=invited(job, by=hr_user), session=full)
    intruder = invited(job, by=hr_user)
    with pytest.raises(IntegrityError, match="no free seat"), transaction.atomic():
        Booking.objects.create(session=full, application=intruder)  # no lock, no count: the trigger refuses it
    booking = Booking.objects.create(session=other, application=intruder)
    with pytest.raises(IntegrityError, match="no free seat"), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(session=full)
    # a cancelled booking's seat is free again
    Booking.objects.filter(session=full).update(cancelled_at=timezone.now())
    assert Booking.objects.filter(pk=booking.pk).update(session=full) == 1


def test_two_candidates_moving_into_the_last_seat_one_wins(hr_user):
    job = JobFactory()
    target = SessionFactory(job=job, capacity=1)
    one, two = SessionFactory(job=job), SessionFactory(job=job)
    first = services.booking_book(application=invited(job, by=hr_user), session=one)
    second = services.booking_book(application=invited(job, by=hr_user), session=two)

    _a, b, waited = race(
        lambda: services.booking_move(booking=first, to_session=target),
        lambda: services.booking_move(booking=second, to_session=target),
    )

    assert waited
    assert isinstance(b.error, services.SessionFull)
    assert list(Booking.objects.filter(session=target).values_list("pk", flat=True)) == [first.pk]
    second.refresh_from_db()
    assert second.session_id == two.pk  # the loser keeps the seat they had
    counts = dict(Session.objects.filter(job=job).values_list("pk", "booked_count"))
    assert counts == {target.pk: 1, one.pk: 0, two.pk: 1}
