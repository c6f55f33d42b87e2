"""A hiring wave for demo mode (manage.py portal), so the wave analytics show something: the Double-11 job's plan
(30 hires before 1 November of the coming Double 11), sessions of the last weeks with attendance (some late, some
no-shows, more of them in the evening), upcoming sessions with seats booked, stage history up to hired, and a few
applications through referral links owned by the demo HR account.

Marked as demo like the demo applicants (示例 in every name and place, e-mails under example.invalid, source "demo"
or "referral" with a demo link); seeded, so the same every time; created once (nothing if the job already has a
demo session)."""

import random
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .. import services
from ..models import Application, Job, PoolOffer, ReferralLink, RejectionReason, StageChange, TalentPoolEntry
from .analytics import WAVE_TZ
from .models import Booking, Invitation, Session, WavePlan

JOB_SLUG = "double11-cs-specialist"
PLACE = "示例·杭州市西湖区文三路 90 号 3 楼"
TARGET = 30
REFERRALS = 6
Stage = Application.Stage


def _deadline(today: date) -> date:
    """1 November before the next Double 11 still ahead of us (a wave is hired before the rush), but no further
    than five weeks away: a wave runs for weeks, not for a year (ours)."""
    this_year = date(today.year, 11, 1)
    nov_1 = this_year if today < this_year else date(today.year + 1, 11, 1)
    return min(nov_1, today + timedelta(days=35))


def _local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=WAVE_TZ)


def demo_wave_create(*, by, now: datetime | None = None) -> bool:
    """The demo wave of the Double-11 job; False if there is no such open job or it has one already."""
    now = now or timezone.now()
    today = timezone.localdate(now, timezone=WAVE_TZ)
    job = Job.objects.filter(slug=JOB_SLUG, status=Job.Status.OPEN).first()
    if job is None or Session.objects.filter(job=job, place=PLACE).exists():
        return False
    demo = list(Application.objects.filter(job=job, source=Application.Source.DEMO).order_by("pk"))
    if not demo:
        return False
    rng = random.Random(f"wave-{JOB_SLUG}")  # the same wave every time
    start = today - timedelta(days=28)
    with transaction.atomic():
        WavePlan.objects.get_or_create(
            job=job, defaults={"headcount_target": TARGET, "deadline": _deadline(today), "start_date": start}
        )
        referred = _referrals(job=job, by=by, model=demo[0])
        people = demo + referred
        rng.shuffle(people)
        # who got how far: 9 hired, 4 offered, 12 in the interview stage, 4 rejected, 4 reviewing, the rest applied
        plan = [Stage.HIRED] * 9 + [Stage.OFFER] * 4 + [Stage.INTERVIEW] * 12 + [Stage.REJECTED] * 4
        plan += [Stage.REVIEWING] * 4
        plan += [Stage.APPLIED] * (len(people) - len(plan))
        past, upcoming = _sessions(job=job, today=today)
        seats = {s.pk: 0 for s in past + upcoming}
        for i, (application, final) in enumerate(zip(people, plan, strict=True)):
            left_interview = _history(application, final, by=by, rng=rng, now=now, start=start)
            if left_interview is not None:
                _wave(application, final, i, by=by, rng=rng, past=past, upcoming=upcoming, seats=seats,
                      before=left_interview)  # fmt: skip
        for session in past + upcoming:
            Session.objects.filter(pk=session.pk).update(
                booked_count=Booking.objects.filter(session=session, cancelled_at__isnull=True)
                .exclude(application__stage__in=(Stage.REJECTED, Stage.WITHDRAWN))
                .count()
            )
        _pool(job=job, by=by, now=now)
    services.applications_score(application_ids=[a.pk for a in referred], today=today)
    return True


def _pool(*, job: Job, by, now: datetime) -> None:
    """Two of the wave's rejected were good but found no seat: HR asked them, and they joined the talent pool (as
    they would from their status page), so the pool page has people to invite to the next job."""
    for application in Application.objects.filter(job=job, source=Application.Source.DEMO, stage=Stage.REJECTED)[:2]:
        Application.objects.filter(pk=application.pk).update(rejection_reason=RejectionReason.POSITION_FILLED)
        StageChange.objects.filter(application=application, to_stage=Stage.REJECTED).update(
            reason=RejectionReason.POSITION_FILLED
        )
        PoolOffer.objects.get_or_create(application=application, defaults={"offered_by": by})
        TalentPoolEntry.objects.get_or_create(
            applicant_id=application.applicant_id,
            left_at=None,
            defaults={
                "application": application,
                "notice_version": settings.TALENT_POOL_NOTICE_VERSION,
                "expires_at": now + timedelta(days=settings.TALENT_POOL_RETENTION_DAYS),
            },
        )


def _referrals(*, job: Job, by, model: Application) -> list[Application]:
    """A few applications through the demo HR account's referral links (one for this job, one for every job)."""
    links = [ReferralLink.objects.create(owner=by, job=job), ReferralLink.objects.create(owner=by)]
    created = []
    for n in range(REFERRALS):
        application = services.application_create(
            job=job, name=f"示例·内推{'甲乙丙丁戊己'[n]}", email=f"demo-referral-{job.slug}-{n}@example.invalid",
            phone=f"1000001{job.pk % 100:02d}{n:02d}", profile=model.profile, answers=model.answers,
            source=Application.Source.REFERRAL,
        )  # fmt: skip
        Application.objects.filter(pk=application.pk).update(referral=links[n % 2])
        created.append(application)
    return created


def _history(application: Application, final: str, *, by, rng, now: datetime, start: date) -> datetime | None:
    """Submitted in the last four weeks, moved stage by stage up to `final` (rejected after reviewing or the
    interview), each move a few days after the last and all of them in the past. Returns when it left the interview
    stage (now if it is still there), None if it never reached it."""
    far = {Stage.HIRED: 4, Stage.OFFER: 3, Stage.INTERVIEW: 2, Stage.REJECTED: 2, Stage.REVIEWING: 1}.get(final, 0)
    earliest = _local(start, 9)
    latest = now - timedelta(days=far * 3 + 1)
    submitted = earliest + (latest - earliest) * rng.random() if latest > earliest else earliest
    steps = [Stage.REVIEWING, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED][:far]
    if final == Stage.REJECTED:
        steps = steps[: 1 + rng.randrange(2)] + [Stage.REJECTED]
    at, stage, left_interview = submitted, Stage.APPLIED, None
    room = (now - timedelta(hours=2) - submitted) / max(len(steps), 1)
    for to in steps:
        at = at + room * rng.uniform(0.4, 1.0)
        if stage == Stage.INTERVIEW:
            left_interview = at
        StageChange.objects.create(
            application=application, from_stage=stage, to_stage=to, by=by, created_at=at,
            reason="skills" if to == Stage.REJECTED else "",
        )  # fmt: skip
        stage = to
    fields = {"stage": stage, "submitted_at": submitted}
    if stage in (Stage.REJECTED, Stage.HIRED, Stage.OFFER):
        fields |= {"decided_by": by, "decided_at": at}
    if stage == Stage.REJECTED:
        fields["rejection_reason"] = "skills"
    Application.objects.filter(pk=application.pk).update(**fields)
    application.stage = stage
    if stage == Stage.INTERVIEW:
        return now
    return left_interview


def _sessions(*, job: Job, today: date) -> tuple[list[Session], list[Session]]:
    """Group interviews at 10:00, 14:00 and 19:00 on several weekdays: six over the last three weeks, three coming."""

    def create(day, hour):
        return Session.objects.create(
            job=job, kind=Session.Kind.GROUP, place=PLACE, starts_at=_local(day, hour), duration_minutes=60, capacity=8
        )

    past = [
        create(today - timedelta(days=days), hour)
        for days, hour in ((20, 10), (18, 19), (15, 14), (11, 19), (8, 10), (2, 14))
    ]
    upcoming = [create(today + timedelta(days=days), hour) for days, hour in ((2, 10), (3, 19), (5, 14))]
    return past, upcoming


def _wave(application, final, i, *, by, rng, past, upcoming, seats, before: datetime):
    """Invited; then a seat in a past session (came on time, late or not at all) or one to come, or none yet."""
    Invitation.objects.create(application=application, invited_by=by, sent_count=1)
    if final == Stage.INTERVIEW and i % 4 == 0:
        return  # invited, not booked yet
    future = final == Stage.INTERVIEW and i % 4 == 1
    free = [s for s in (upcoming if future else past) if seats[s.pk] < s.capacity]
    choices = [s for s in free if future or s.starts_at < before] or free  # came before leaving the interview stage
    if not choices:
        return
    session = rng.choice(choices)
    seats[session.pk] += 1
    if future:
        Booking.objects.create(session=session, application=application)
        return
    evening = timezone.localtime(session.starts_at, WAVE_TZ).hour >= 18
    roll = rng.random()
    if final in (Stage.HIRED, Stage.OFFER):
        attendance = Booking.Attendance.LATE if roll < 0.2 else Booking.Attendance.ATTENDED
    else:
        no_show = 0.6 if evening else 0.35
        attendance = (
            Booking.Attendance.NO_SHOW if roll < no_show else
            Booking.Attendance.LATE if roll < no_show + 0.15 else Booking.Attendance.ATTENDED
        )  # fmt: skip
    booking = Booking.objects.create(session=session, application=application, attendance=attendance, marked_by=by)
    if attendance != Booking.Attendance.NO_SHOW:
        Booking.objects.filter(pk=booking.pk).update(checked_in_at=session.starts_at + timedelta(minutes=5))
    if final == Stage.INTERVIEW and i % 4 == 2:  # one who moved to another day, leaving a cancelled row behind
        Booking.objects.filter(pk=booking.pk).update(cancelled_at=session.starts_at - timedelta(days=1))
