"""Sessions, bookings, check-in and scorecards through the waves' services."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from screening.models import Application
from screening.waves import selectors, services
from screening.waves.models import Booking, Session
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory
from tests.waves.factories import SessionFactory, invited

pytestmark = pytest.mark.django_db


def test_a_day_of_sessions_every_30_minutes_from_nine_the_last_ending_by_five(hr_user):
    job = JobFactory()
    sessions = services.sessions_create_for_day(
        job=job, day=date(2027, 6, 1), every_minutes=30, capacity=8, kind="group", duration_minutes=30,
        place="3 楼会议室", interviewers=[hr_user],
    )  # fmt: skip
    starts = [timezone.localtime(s.starts_at).strftime("%H:%M") for s in sessions]
    assert starts[:3] == ["09:00", "09:30", "10:00"] and starts[-1] == "16:30" and len(starts) == 16
    assert {s.capacity for s in Session.objects.filter(job=job)} == {8}
    assert Session.interviewers.through.objects.filter(user=hr_user).count() == 16


def test_only_the_jobs_team_may_interview(hr_user, django_user_model):
    job = JobFactory()
    outsider = django_user_model.objects.create_user("outsider")
    with pytest.raises(services.BookingError):
        services.session_create(
            job=job, kind="group", starts_at=timezone.now(), duration_minutes=30, capacity=2, place="x",
            interviewers=[outsider],
        )  # fmt: skip
    job.hiring_team.add(django_user_model.objects.create_user("teammate"))
    assert [u.username for u in selectors.job_interviewers(job=job)] == ["teammate"]


def test_a_candidate_books_only_when_invited_and_holds_one_seat(hr_user):
    job = JobFactory()
    first, second = SessionFactory(job=job), SessionFactory(job=job)
    uninvited = invited(job, by=hr_user)
    uninvited.wave_invitation.delete()
    uninvited = Application.objects.get(pk=uninvited.pk)
    with pytest.raises(services.BookingError, match="邀请"):
        services.booking_book(application=uninvited, session=first)
    application = invited(job, by=hr_user)
    booking = services.booking_book(application=application, session=first)
    with pytest.raises(services.BookingError):
        services.booking_book(application=application, session=second)
    services.booking_cancel(booking=booking)
    first.refresh_from_db()
    assert first.booked_count == 0
    again = services.booking_book(application=application, session=second)
    assert Booking.objects.filter(application=application, cancelled_at__isnull=True).get() == again


def test_a_session_starting_within_two_hours_cannot_be_booked_by_the_candidate(hr_user):
    job = JobFactory()
    soon = SessionFactory(job=job, starts_at=timezone.now() + timedelta(minutes=90))
    with pytest.raises(services.BookingError, match="即将开始"):
        services.booking_book(application=invited(job, by=hr_user), session=soon)
    # HR may still seat someone there
    assert services.booking_book(application=invited(job, by=hr_user), session=soon, by=hr_user).pk


def test_check_in_in_time_is_attended_after_ten_minutes_late_and_not_before_the_hour(hr_user):
    job = JobFactory()
    session = SessionFactory(job=job)
    on_time, late = invited(job, by=hr_user), invited(job, by=hr_user)
    for a in (on_time, late):
        services.booking_book(application=a, session=session)
    with pytest.raises(services.BookingError):
        early = session.starts_at - timedelta(hours=2)
        services.booking_check_in(session=session, application_ids=[on_time.pk], now=early)
    assert (
        services.booking_check_in(
            session=session, application_ids=[on_time.pk], now=session.starts_at - timedelta(minutes=5)
        ).attendance
        == "attended"
    )
    assert (
        services.booking_check_in(
            session=session, application_ids=[late.pk], now=session.starts_at + timedelta(minutes=11)
        ).attendance
        == "late"
    )
    with pytest.raises(services.BookingError, match="没有找到"):
        services.booking_check_in(session=session, application_ids=[999999], now=session.starts_at)


def test_the_scorecard_rates_the_jobs_qualities_one_to_five(hr_user):
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "trait_at_least", "trait": "patience", "rating": 4})
    RequirementFactory(
        checklist=checklist,
        condition={"kind": "any_of", "conditions": [{"kind": "trait_at_least", "trait": "teamwork", "rating": 3}]},
    )
    job = JobFactory(checklists=[checklist])
    assert selectors.job_qualities(job=job) == [("patience", "耐心"), ("teamwork", "团队合作")]
    booking = services.booking_book(application=invited(job, by=hr_user), session=SessionFactory(job=job))
    with pytest.raises(services.BookingError):
        services.scorecard_save(booking=booking, interviewer=hr_user, ratings={"patience": 7})
    card = services.scorecard_save(
        booking=booking, interviewer=hr_user, ratings={"patience": "4", "teamwork": 5, "initiative": 1}, comment="主动"
    )
    assert card.ratings == {"patience": 4, "teamwork": 5}  # a quality the job does not ask for is dropped
    services.scorecard_save(booking=booking, interviewer=hr_user, ratings={"patience": 3})
    assert [c.ratings for c in selectors.application_scorecards(application=booking.application)] == [{"patience": 3}]


def test_a_withdrawn_candidates_seat_is_free_again_and_gets_no_reminder(hr_user, django_capture_on_commit_callbacks):
    from screening import services as domain

    job = JobFactory()
    session = SessionFactory(job=job, capacity=1, starts_at=timezone.now() + timedelta(hours=20))
    leaving = invited(job, by=hr_user)
    services.booking_book(application=leaving, session=session, by=hr_user)
    domain.application_withdraw(application=leaving)
    assert services.reminders_send_due() == 0

    taker = invited(job, by=hr_user)
    services.booking_book(application=taker, session=session, by=hr_user)
    session.refresh_from_db()
    assert session.booked_count == 1

    # erased with its application: the counter follows once the deletion commits
    with django_capture_on_commit_callbacks(execute=True):
        domain.application_delete(application=taker)
    session.refresh_from_db()
    assert session.booked_count == 0


def test_the_recount_brings_counters_of_upcoming_sessions_to_the_seats_held(hr_user):
    from screening.services.decisions import application_decide

    job = JobFactory()
    session = SessionFactory(job=job, capacity=3)
    kept, rejected = invited(job, by=hr_user), invited(job, by=hr_user)
    for a in (kept, rejected):
        services.booking_book(application=a, session=session, by=hr_user)
    application_decide(application=rejected, to_stage="rejected", by=hr_user, reason="skills")
    assert services.sessions_recount() == 1
    session.refresh_from_db()
    assert session.booked_count == 1
