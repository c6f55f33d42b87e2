"""Reads of the waves: what the candidate's booking page, HR's session pages and the reminder task need."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from .. import selectors as domain
from ..models import Application, Job
from ..profile_keys import sub_labels
from ..roles import HR_REVIEWER
from .models import Booking, Invitation, Scorecard, Session

INVITABLE_STAGES = (Application.Stage.INTERVIEW, Application.Stage.OFFER)
# an application here holds no seat, gets no reminder and cannot book (a hired one may still come to a training day)
CLOSED_STAGES = (Application.Stage.WITHDRAWN, Application.Stage.REJECTED)
# a candidate books, moves or cancels until this long before the session starts
CHANGE_UNTIL = timedelta(hours=2)


def seat_holders(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """The bookings that hold a seat: not cancelled, of an application still in the running."""
    return bookings.filter(cancelled_at__isnull=True).exclude(application__stage__in=CLOSED_STAGES)


def application_invitation(*, application: Application) -> Invitation | None:
    return Invitation.objects.filter(application=application).first()


def application_booking(*, application: Application) -> Booking | None:
    """The seat the application holds now (at most one: a database constraint)."""
    return Booking.objects.filter(application=application, cancelled_at__isnull=True).select_related("session").first()


def bookable_sessions(*, job: Job, kind: str, exclude: int | None = None, now: datetime | None = None) -> list[Session]:
    """Sessions of the job and kind with a free seat that a candidate may still book, soonest first."""
    now = now or timezone.now()
    sessions = Session.objects.filter(
        job=job, kind=kind, starts_at__gt=now + CHANGE_UNTIL, cancelled_at__isnull=True
    ).filter(booked_count__lt=F("capacity"))
    if exclude is not None:
        sessions = sessions.exclude(pk=exclude)
    return list(sessions.order_by("starts_at", "pk")[:50])


def sessions_visible_to(user) -> QuerySet[Session]:
    """Sessions of the jobs this staff member may see (selectors.jobs_visible_to): every HR page goes through it."""
    return Session.objects.filter(job__in=domain.jobs_visible_to(user))


def job_interviewers(*, job: Job) -> QuerySet:
    """Who may sit on the job's sessions: its hiring team, or, for a job without one, every HR reviewer."""
    users = get_user_model().objects.filter(is_active=True)
    if job.hiring_team.exists():
        return users.filter(hiring_jobs=job).order_by("username")
    return users.filter(Q(groups__name=HR_REVIEWER) | Q(is_superuser=True)).distinct().order_by("username")


def job_session_days(*, job: Job) -> list[date]:
    tz = timezone.get_current_timezone()
    starts = Session.objects.filter(job=job).values_list("starts_at", flat=True).order_by("starts_at")
    return sorted({s.astimezone(tz).date() for s in starts})


def job_sessions_on(*, job: Job, day: date) -> list[Session]:
    """The day's sessions with their current bookings and people (two queries, however many sessions)."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    active = Booking.objects.filter(cancelled_at__isnull=True).select_related("application__applicant")
    return list(
        Session.objects.filter(job=job, starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
        .prefetch_related(Prefetch("bookings", queryset=active, to_attr="active_bookings"), "interviewers")
        .order_by("starts_at", "pk")
    )


def session_bookings(*, session: Session) -> list[Booking]:
    return list(
        session.bookings.filter(cancelled_at__isnull=True)
        .select_related("application__applicant")
        .prefetch_related("scorecards")
        .order_by("application__applicant__name", "pk")
    )


def job_invitable_applications(*, job: Job) -> list[Application]:
    """Applications HR advanced (interview or offer) with no seat booked now, and whether each was invited."""
    return list(
        Application.objects.filter(job=job, stage__in=INVITABLE_STAGES)
        .exclude(pk__in=Booking.objects.filter(cancelled_at__isnull=True).values("application_id"))
        .select_related("applicant", "wave_invitation")
        .order_by("applicant__name", "pk")
    )


def job_qualities(*, job: Job) -> list[tuple[str, str]]:
    """(trait code, label) of the qualities the job's checklists ask for (its trait_at_least requirements), in
    their order; the scorecard rates these. A job asking for none is rated on communication and teamwork."""
    requirements, _revisions = domain.job_requirements(job=job)
    codes: list[str] = []

    def walk(condition: dict):
        if condition.get("kind") == "trait_at_least" and condition.get("trait") not in codes:
            codes.append(condition["trait"])
        for child in condition.get("conditions", ()) or ():
            walk(child)

    for requirement in requirements:
        walk(requirement.condition)
    labels = sub_labels("traits")
    return [(code, str(labels.get(code, code))) for code in codes or ["communication", "teamwork", "stress_tolerance"]]


def application_scorecards(*, application: Application) -> list[Scorecard]:
    return list(
        Scorecard.objects.filter(booking__application=application)
        .select_related("interviewer", "booking__session")
        .order_by("created_at")
    )


def reminders_due(*, now: datetime, lead: timedelta, until: timedelta) -> QuerySet[Booking]:
    """Active bookings whose session starts between now + `until` and now + `lead` (a reminder `lead` ahead is
    due from then until the next, shorter reminder takes over)."""
    return (
        seat_holders(Booking.objects.all())
        .filter(session__starts_at__gt=now + until, session__starts_at__lte=now + lead)
        .select_related("session__job", "application__applicant", "application__wave_invitation")
    )
