"""Demo mode's hiring wave on the Double-11 job: marked, seeded (the same every time), created once."""

from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone

from screening.demo import demo_applicants_create
from screening.models import Application, Job, ReferralLink, StageChange
from screening.seed import load_fixtures
from screening.waves import analytics
from screening.waves.demo import JOB_SLUG, PLACE, _deadline, demo_wave_create
from screening.waves.models import Booking, Session, WavePlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def job():
    load_fixtures()
    job = Job.objects.get(slug=JOB_SLUG)
    demo_applicants_create(job=job, today=timezone.localdate())
    return job


def _fingerprint(job):
    return sorted(
        (
            a.applicant.name,
            a.stage,
            a.source,
            tuple(b.attendance for b in a.wave_bookings.all()),
            a.stage_changes.count(),
        )
        for a in Application.objects.filter(job=job).select_related("applicant").prefetch_related("wave_bookings")
    )


def test_the_double11_job_gets_a_marked_wave_once(job, hr_user):
    now = timezone.now()
    assert demo_wave_create(by=hr_user, now=now)
    plan = WavePlan.objects.get(job=job)
    assert plan.headcount_target == 30 and plan.deadline < date(plan.deadline.year, 11, 11)
    assert plan.deadline > timezone.localdate()
    assert set(Session.objects.values_list("job", flat=True)) == {job.pk}  # the other demo jobs: nothing
    assert all(s.place == PLACE and s.place.startswith("示例") for s in Session.objects.all())
    past = Booking.objects.filter(session__starts_at__lt=now, cancelled_at__isnull=True)
    assert {"attended", "late", "no_show"} <= set(past.values_list("attendance", flat=True))
    assert Booking.objects.filter(session__starts_at__gt=now, attendance="pending").exists()
    assert StageChange.objects.filter(application__job=job, to_stage="hired", created_at__lt=now).count() == 9
    referred = Application.objects.filter(job=job, source="referral").select_related("applicant", "referral")
    assert referred.count() == 6 and all(a.referral.owner == hr_user for a in referred)
    assert all(a.applicant.name.startswith("示例") and a.applicant.email.endswith(".invalid") for a in referred)
    # what the analytics make of it
    burndown = analytics.job_burndown(job=job)
    assert (burndown["state"], burndown["hires"]) == ("open", 9)
    assert analytics.job_attendance(job=job)["overall"]["show"].rate is not None
    assert [r["label"] for r in analytics.job_referrers(job=job)] == [hr_user.username]
    before = _fingerprint(job)
    assert not demo_wave_create(by=hr_user)  # once only
    assert _fingerprint(job) == before and ReferralLink.objects.count() == 2


def test_the_demo_wave_is_the_same_every_time(job, hr_user):
    now = timezone.now()
    prints = []
    for _ in range(2):
        with transaction.atomic():
            demo_wave_create(by=hr_user, now=now)
            prints.append(_fingerprint(job))
            transaction.set_rollback(True)
    assert prints[0] == prints[1] and any(p[1] == "hired" for p in prints[0])


def test_the_deadline_is_before_the_next_double_11_and_at_most_five_weeks_away():
    assert _deadline(date(2027, 10, 1)) == date(2027, 11, 1)
    assert _deadline(date(2027, 10, 31)) == date(2027, 11, 1)
    assert _deadline(date(2026, 12, 7)) == date(2027, 1, 11)  # a wave of weeks, not of eleven months
    assert _deadline(date(2027, 11, 2)) == date(2027, 12, 7)


def test_the_demo_wave_leaves_two_good_candidates_in_the_talent_pool(job, hr_user):
    from screening.models import TalentPoolEntry

    assert demo_wave_create(by=hr_user)
    entries = TalentPoolEntry.objects.select_related("application")
    assert entries.count() == 2
    assert all(e.is_active() and e.application.rejection_reason == "position_filled" for e in entries)
    assert all(hasattr(e.application, "pool_offer") for e in entries)  # HR asked first; they joined
