"""The wave analytics, from constructed data against figures worked out by hand."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from screening.models import Application, ReferralLink, StageChange
from screening.waves import analytics
from screening.waves.models import Booking, Invitation, WavePlan
from tests.factories import ApplicationFactory, JobFactory
from tests.waves.factories import SessionFactory

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 10, 5, 9, 0, tzinfo=SH)  # a Monday
DAY = timedelta(days=1)


def plain(ratio) -> str:
    """The ratio as text with ordinary spaces (the page keeps its parts together with no-break spaces)."""
    return str(ratio).replace("\xa0", " ")


def _moves(application, *steps, by=None):
    """steps: (days after T0, to_stage); each from the stage before it. Leaves the application in the last one."""
    stage = Application.Stage.APPLIED
    for days, to in steps:
        StageChange.objects.create(
            application=application, from_stage=stage, to_stage=to, created_at=T0 + days * DAY, by=by
        )
        stage = to
    decided = {"decided_by": by, "rejection_reason": "skills"} if stage == "rejected" else {}
    Application.objects.filter(pk=application.pk).update(stage=stage, **decided)


@pytest.fixture
def pipeline(hr_user):
    job = JobFactory()
    a = ApplicationFactory(job=job, submitted_at=T0)
    _moves(a, (1, "reviewing"), (3, "interview"), (6, "offer"), (7, "hired"))
    b = ApplicationFactory(job=job, submitted_at=T0)
    _moves(b, (3, "reviewing"), (7, "rejected"), by=hr_user)
    c = ApplicationFactory(job=job, submitted_at=T0)
    _moves(c, (5, "reviewing"))  # still reviewing: waiting, its stay not counted
    ApplicationFactory(job=job, submitted_at=T0)  # still applied
    return job


def test_stage_durations_count_ended_stays_only_and_say_who_is_waiting(pipeline):
    rows = {r["stage"]: r for r in analytics.job_stage_durations(job=pipeline)}
    # applied: 1, 3, 5 days → median 3, 80th percentile 3 + 0.6 × 2 = 4.2; D still applied is not a stay
    assert (rows["applied"]["ended"], rows["applied"]["median_days"], rows["applied"]["p80_days"]) == (3, 3.0, 4.2)
    assert rows["applied"]["waiting"] == 1
    # reviewing: A 2 days, B 4 days (to its rejection); C still reviewing
    assert (rows["reviewing"]["ended"], rows["reviewing"]["median_days"], rows["reviewing"]["p80_days"]) == (
        2,
        3.0,
        3.6,
    )
    assert rows["reviewing"]["waiting"] == 1
    assert (rows["interview"]["median_days"], rows["offer"]["median_days"]) == (3.0, 1.0)
    assert rows["offer"]["waiting"] == 0


def test_a_stage_nobody_left_has_no_duration(hr_user):
    job = JobFactory()
    ApplicationFactory(job=job, submitted_at=T0)
    rows = {r["stage"]: r for r in analytics.job_stage_durations(job=job)}
    assert (rows["applied"]["ended"], rows["applied"]["median_days"], rows["applied"]["waiting"]) == (0, None, 1)


def test_the_funnel_counts_every_step_reached_with_its_conversion(pipeline):
    funnel = analytics.job_funnel(job=pipeline)
    steps = {s["code"]: s for s in funnel["steps"]}
    assert [s["code"] for s in funnel["steps"]] == [
        "applied", "reviewing", "interview", "invited", "booked", "attended", "offer", "hired",
    ]  # fmt: skip
    assert {code: s["count"] for code, s in steps.items()} == {
        "applied": 4, "reviewing": 3, "interview": 1, "invited": 0, "booked": 0, "attended": 0, "offer": 1, "hired": 1,
    }  # fmt: skip
    assert plain(steps["reviewing"]["conversion"]) == "3 / 4 · 75 %"
    assert plain(steps["interview"]["conversion"]) == "1 / 3 · 33 %"
    assert plain(steps["booked"]["conversion"]) == "0 / 0 · —"  # nobody invited: no rate, not 0 %
    assert plain(steps["offer"]["conversion"]) == "1 / 1 · 100 %"
    assert steps["applied"]["conversion"] is None
    assert funnel["waiting"]["applied"] == 1 and funnel["waiting"]["reviewing"] == 1
    assert plain(funnel["booking"]) == "0 / 0 · —"


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=SH)


@pytest.fixture
def attendance(hr_user):
    job = JobFactory()
    monday = _at(date(2026, 11, 2), 10)  # a Monday, 10:00 in China (02:00 UTC)
    wednesday = _at(date(2026, 11, 4), 14)
    ten = SessionFactory(job=job, starts_at=monday)
    two = SessionFactory(job=job, starts_at=wednesday)
    later = SessionFactory(job=job, starts_at=timezone.now() + timedelta(days=3))

    def booked(session, attendance="pending", *, cancelled=False, invite=True):
        application = ApplicationFactory(job=job, stage=Application.Stage.INTERVIEW)
        if invite:
            Invitation.objects.create(application=application, invited_by=hr_user)
        Booking.objects.create(
            session=session, application=application, attendance=attendance,
            cancelled_at=timezone.now() if cancelled else None,
        )  # fmt: skip
        return application

    for mark in ("attended", "late", "no_show", "pending"):
        booked(ten, mark)
    booked(ten, "no_show", cancelled=True)  # cancelled: not counted
    booked(two, "no_show")
    booked(two, "attended", invite=False)  # booked without an invitation (HR put them in)
    booked(later, "attended")  # a future session: not counted, whatever is marked
    invited_only = ApplicationFactory(job=job, stage=Application.Stage.INTERVIEW)
    Invitation.objects.create(application=invited_only, invited_by=hr_user)
    return job


def test_show_rate_counts_past_sessions_not_cancelled(attendance):
    figures = analytics.job_attendance(job=attendance, now=_at(date(2026, 11, 20), 9))
    overall = figures["overall"]
    # 4 at ten o'clock (the cancelled one left out) + 2 at two; the future session's booking left out
    assert (overall["bookings"], overall["attended"], overall["late"], overall["no_show"], overall["unmarked"]) == (
        6, 2, 1, 2, 1,
    )  # fmt: skip
    # rates of the five marked (the unmarked one says nothing yet); late of the three who came
    assert plain(overall["show"]) == "3 / 5 · 60 %"
    assert plain(overall["late_rate"]) == "1 / 3 · 33 %"
    assert plain(overall["no_show_rate"]) == "2 / 5 · 40 %"


def test_no_show_per_hour_of_the_day_in_china_and_per_weekday(attendance):
    figures = analytics.job_attendance(job=attendance, now=_at(date(2026, 11, 20), 9))
    hours = {r["hour"]: r for r in figures["by_hour"]}
    assert set(hours) == {10, 14}  # China's hours, not UTC's 2 and 6
    # ten o'clock: attended, late, no-show marked (the pending one not); two o'clock: a no-show and one who came
    assert plain(hours[10]["no_show_rate"]) == "1 / 3 · 33 %" and plain(hours[10]["late_rate"]) == "1 / 2 · 50 %"
    assert plain(hours[14]["no_show_rate"]) == "1 / 2 · 50 %" and plain(hours[14]["late_rate"]) == "0 / 1 · 0 %"
    weekdays = {r["weekday"]: r["bookings"] for r in figures["by_weekday"]}
    assert weekdays == {1: 4, 3: 2}


def test_before_any_session_has_started_there_is_no_show_rate(attendance):
    figures = analytics.job_attendance(job=attendance, now=_at(date(2026, 11, 1), 9))
    assert plain(figures["overall"]["show"]) == "0 / 0 · —" and figures["by_hour"] == []


def test_booking_rate_is_of_the_invited(attendance):
    # invited: the ten o'clock five (the cancelled one too), two's no-show, the future one and one who never
    # booked: 8, of whom 7 booked a seat at some time; the booking without an invitation is in no rate of the invited
    funnel = analytics.job_funnel(job=attendance, now=_at(date(2026, 11, 20), 9))
    assert plain(funnel["booking"]) == "7 / 8 · 88 %"
    steps = {s["code"]: s for s in funnel["steps"]}
    # the funnel's booked step converts from the invited the same way (never "9 of 8"), though it counts all 8
    assert steps["booked"]["count"] == 8 and plain(steps["booked"]["conversion"]) == "7 / 8 · 88 %"
    # came: of the five whose past session is marked, three came; the future session's mark is not a visit
    assert steps["attended"]["count"] == 3 and plain(steps["attended"]["conversion"]) == "3 / 5 · 60 %"
    assert steps["invited"]["count"] == 8


def test_sources_and_referrers(hr_user, django_user_model):
    job = JobFactory()
    alice = django_user_model.objects.create_user("alice", first_name="丽", last_name="王")
    bob = django_user_model.objects.create_user("bob")
    alice_link, bob_link = ReferralLink.objects.create(owner=alice), ReferralLink.objects.create(owner=bob, job=job)
    ApplicationFactory(job=job, source="web")
    hired = ApplicationFactory(job=job, source="web")
    _moves(hired, (1, "interview"), (2, "offer"), (3, "hired"))
    r1 = ApplicationFactory(job=job, source="referral", referral=alice_link)
    _moves(r1, (1, "interview"))
    session = SessionFactory(job=job, starts_at=T0 + DAY)
    Booking.objects.create(session=session, application=r1, attendance="late")
    ApplicationFactory(job=job, source="referral", referral=alice_link)
    ApplicationFactory(job=job, source="referral", referral=bob_link)
    ApplicationFactory(source="referral", referral=bob_link)  # another job's

    sources = {r["source"]: r for r in analytics.job_sources(job=job)}
    assert {
        k: (r["applications"], r["interview"], r["booked"], r["showed"], r["hired"]) for k, r in sources.items()
    } == {
        "web": (2, 1, 0, 0, 1),
        "referral": (3, 1, 1, 1, 0),
    }
    assert plain(sources["web"]["hire_rate"]) == "1 / 2 · 50 %"
    assert plain(sources["referral"]["hire_rate"]) == "0 / 3 · 0 %"
    referrers = analytics.job_referrers(job=job)
    assert [(r["label"], r["applications"], r["interview"], r["showed"]) for r in referrers] == [
        ("王丽", 2, 1, 1),
        ("bob", 1, 0, 0),
    ]


@pytest.fixture
def hires(hr_user):
    job = JobFactory()

    def hire(at):
        application = ApplicationFactory(job=job, submitted_at=_at(date(2026, 10, 20), 9))
        StageChange.objects.create(application=application, from_stage="offer", to_stage="hired", created_at=at)
        Application.objects.filter(pk=application.pk).update(stage="hired")
        return application

    hire(_at(date(2026, 10, 30), 10))  # before the plan's start: an earlier wave's hire, not this one's
    hire(datetime(2026, 11, 1, 16, 30, tzinfo=ZoneInfo("UTC")))  # 00:30 on 2 November in China
    hire(_at(date(2026, 11, 4), 11))
    hire(_at(date(2026, 11, 4), 15))
    undone = hire(_at(date(2026, 11, 3), 15))
    Application.objects.filter(pk=undone.pk).update(stage="offer")  # moved back: not a hire
    return job


def test_burndown_days_remaining_and_ideal_line(hires):
    WavePlan.objects.create(job=hires, headcount_target=10, start_date=date(2026, 11, 1), deadline=date(2026, 11, 11))
    burndown = analytics.job_burndown(job=hires, today=date(2026, 11, 5))
    assert burndown["state"] == "open"
    series = {p["day"]: p for p in burndown["series"]}
    assert len(series) == 11
    assert [series[date(2026, 11, d)]["remaining"] for d in range(1, 6)] == [10, 9, 9, 7, 7]
    assert series[date(2026, 11, 6)]["remaining"] is None  # the future: not drawn
    assert [series[date(2026, 11, d)]["ideal"] for d in (1, 2, 6, 11)] == [10.0, 9.0, 5.0, 0.0]
    assert (burndown["hires"], burndown["remaining"], burndown["days_left"], burndown["per_day"]) == (3, 7, 7, 1.0)
    assert plain(burndown["progress"]) == "3 / 10 · 30 %"


def test_burndown_without_a_start_date_starts_at_the_first_application(hires):
    WavePlan.objects.create(job=hires, headcount_target=8, deadline=date(2026, 11, 11))
    burndown = analytics.job_burndown(job=hires, today=date(2026, 11, 5))
    assert burndown["start"] == date(2026, 10, 20)
    # 22 days: a day at a time
    assert burndown["series"][0]["day"] == date(2026, 10, 20) and burndown["series"][0]["ideal"] == 8.0


def test_burndown_after_the_deadline(hires):
    WavePlan.objects.create(job=hires, headcount_target=10, start_date=date(2026, 11, 1), deadline=date(2026, 11, 11))
    burndown = analytics.job_burndown(job=hires, today=date(2026, 11, 12))
    assert (burndown["state"], burndown["days_left"], burndown["per_day"], burndown["remaining"]) == (
        "passed",
        0,
        None,
        7,
    )
    assert burndown["series"][-1]["remaining"] == 7


def test_burndown_without_a_plan(hires):
    burndown = analytics.job_burndown(job=hires, today=date(2026, 11, 5))
    assert burndown == {"state": "no_plan", "plan": None, "hires": 4}


def test_a_long_wave_is_drawn_a_week_at_a_time(hires):
    WavePlan.objects.create(job=hires, headcount_target=30, start_date=date(2026, 11, 1), deadline=date(2027, 10, 31))
    days = [p["day"] for p in analytics.job_burndown(job=hires, today=date(2026, 11, 5))["series"]]
    assert days[:3] == [date(2026, 11, 1), date(2026, 11, 5), date(2026, 11, 8)]  # the start, today, a week on
    assert days[-1] == date(2027, 10, 31) and len(days) < 60


def test_ratio_of_nobody_has_no_rate():
    assert analytics.Ratio(0, 0).rate is None and plain(analytics.Ratio(0, 0)) == "0 / 0 · —"
    assert plain(analytics.Ratio(34, 50)) == "34 / 50 · 68 %"
    assert str(analytics.Ratio(34, 50)) == "34\u00a0/\u00a050 · 68\u00a0%"  # never broken inside a figure


def _grow(job, n, hr_user):
    session = SessionFactory(job=job, starts_at=T0, capacity=max(n, 1))
    for i in range(n):
        application = ApplicationFactory(job=job, source="referral" if i % 2 else "web", submitted_at=T0)
        _moves(application, (1, "reviewing"), (2, "interview"), (3 + i % 3, "offer"), (5, "hired"))
        Invitation.objects.create(application=application, invited_by=hr_user)
        Booking.objects.create(session=session, application=application, attendance="attended")


def test_the_figures_take_as_many_queries_for_many_applications_as_for_few(hr_user):
    counts = []
    for n in (3, 30):
        job = JobFactory()
        _grow(job, n, hr_user)
        WavePlan.objects.create(job=job, headcount_target=40, deadline=date(2026, 12, 1))
        with CaptureQueriesContext(connection) as queries:
            analytics.job_funnel(job=job)
            analytics.job_stage_durations(job=job)
            analytics.job_attendance(job=job)
            analytics.job_sources(job=job)
            analytics.job_referrers(job=job)
            burndown = analytics.job_burndown(job=job, today=date(2026, 11, 5))
        assert burndown["hires"] == n
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 11
