"""Writes of the waves: sessions, invitations, bookings (capacity held under the session's row lock), attendance,
scorecards and reminders (each sent once, under its row's lock). Mail leaves after commit; services never import tasks.
"""

import logging
import smtplib
import string
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from time import monotonic
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Least
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import links
from ..models import Application, Job, tr
from ..services import application_issue_status_token
from ..services.outbox import take_next
from . import selectors, sms
from .ics import booking_ics
from .models import DEFAULT_REMINDER, Booking, Invitation, Reminder, ReminderWording, Scorecard, Session

logger = logging.getLogger(__name__)


class BookingError(ValueError):
    """A booking, move or cancellation the candidate (or HR) can be told about: nothing was written."""


class SessionFull(BookingError):
    """The session's last seat went to someone else; `alternatives` are the next sessions with a free seat."""

    def __init__(self, alternatives: list[Session]):
        super().__init__(_("这个场次刚刚约满了，请选择其他时间"))
        self.alternatives = alternatives


# -- sessions --------------------------------------------------------------------------------------------------
def session_create(
    *,
    job: Job,
    kind: str,
    starts_at: datetime,
    duration_minutes: int,
    capacity: int,
    place: str = "",
    online_link: str = "",
    interviewers: Iterable = (),
) -> Session:
    _check_interviewers(job, interviewers)
    with transaction.atomic():
        session = Session.objects.create(
            job=job, kind=kind, starts_at=starts_at, duration_minutes=duration_minutes, capacity=capacity,
            place=place, online_link=online_link,
        )  # fmt: skip
        session.interviewers.set(interviewers)
    return session


def sessions_create_for_day(
    *,
    job: Job,
    day: date,
    every_minutes: int,
    capacity: int,
    kind: str,
    duration_minutes: int,
    first: time = time(9),
    last: time = time(17),
    place: str = "",
    online_link: str = "",
    interviewers: Iterable = (),
) -> list[Session]:
    """A session every `every_minutes` from `first`, the last one ending by `last` (local time), in one go."""
    if every_minutes < 5:
        raise BookingError(_("场次间隔至少 5 分钟"))
    _check_interviewers(job, interviewers)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, first), tz)
    end = timezone.make_aware(datetime.combine(day, last), tz)
    starts = []
    while start + timedelta(minutes=duration_minutes) <= end:
        starts.append(start)
        start += timedelta(minutes=every_minutes)
    interviewers = list(interviewers)
    with transaction.atomic():
        sessions = Session.objects.bulk_create(
            Session(job=job, kind=kind, starts_at=s, duration_minutes=duration_minutes, capacity=capacity,
                    place=place, online_link=online_link)
            for s in starts
        )  # fmt: skip
        Through = Session.interviewers.through  # noqa: N806
        Through.objects.bulk_create(
            Through(session_id=s.pk, user_id=u.pk) for s in sessions for u in interviewers
        )  # fmt: skip
    return sessions


def session_update(
    *,
    session: Session,
    kind: str,
    starts_at: datetime,
    duration_minutes: int,
    capacity: int,
    place: str = "",
    online_link: str = "",
    interviewers: Iterable = (),
    seen: datetime | None = None,
    language: str = "",
    site: str = "",
) -> Session:
    """HR changes a session. Under its row lock: not below the seats held, not to another kind while people hold a
    seat (they were invited to this kind), never a session called off or already started (its bookings are the
    attendance record), never to a time already past, and not over a change made since the form was opened
    (`seen`: the session's updated_at the form was built from). A new time or place is e-mailed to each candidate
    holding a seat with the calendar entry's next SEQUENCE (their calendar moves the event), and the reminders
    start again for the new time."""
    interviewers = list(interviewers)
    now = timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("job").get(pk=session.pk)
        _check_interviewers(session.job, interviewers)
        if session.cancelled_at is not None:
            raise BookingError(_("这个场次已取消，不能修改"))
        if session.starts_at <= now:
            raise BookingError(_("场次已经开始，不能再修改"))
        if starts_at <= now:
            raise BookingError(_("新的开始时间已经过去"))
        if seen is not None and session.updated_at != seen:
            raise BookingError(_("这个场次刚被其他人修改过，请重新打开后再改"))
        held = _seats_taken(session)
        if capacity < held:
            raise BookingError(_("已有 %(n)s 人预约，名额不能少于 %(n)s") % {"n": held})
        if kind != session.kind and held:
            raise BookingError(_("已有人预约，不能更改场次类型"))
        announced = (session.starts_at, session.duration_minutes, session.place, session.online_link)
        session.kind, session.starts_at, session.duration_minutes = kind, starts_at, duration_minutes
        session.capacity, session.place, session.online_link = capacity, place, online_link
        session.booked_count = held
        session.save()
        session.interviewers.set(interviewers)
        if announced != (starts_at, duration_minutes, place, online_link):
            bookings = list(
                selectors.seat_holders(Booking.objects.select_for_update(of=("self",)).filter(session=session))
            )
            for booking in bookings:
                booking.sequence += 1
            Booking.objects.bulk_update(bookings, ["sequence"])
            ids = [b.pk for b in bookings]
            transaction.on_commit(
                lambda: [_send_booking_mail(pk, language, site, note="changed") for pk in ids]
            )  # fmt: skip
    return session


def session_call_off(*, session: Session, language: str = "", site: str = "") -> bool:
    """HR calls a session off before it starts. One nobody ever booked is deleted (True). Otherwise it stays,
    marked cancelled, for the wave's figures: each booking is cancelled and each candidate still in the running
    e-mailed (with the calendar entry's cancellation) to book another session from their status page (False);
    withdrawn or rejected candidates are not asked to book again."""
    now = timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.starts_at <= now and session.cancelled_at is None:
            raise BookingError(_("场次已经开始，不能取消"))
        if not Booking.objects.filter(session=session).exists():
            session.delete()
            return True
        if session.cancelled_at is not None:
            return False
        active = Booking.objects.select_for_update(of=("self",)).filter(session=session, cancelled_at__isnull=True)
        bookings = list(active)
        told = set(selectors.seat_holders(active).values_list("pk", flat=True))
        for booking in bookings:
            booking.cancelled_at, booking.sequence = now, booking.sequence + 1
        Booking.objects.bulk_update(bookings, ["cancelled_at", "sequence"])
        session.cancelled_at, session.booked_count = now, 0
        session.save(update_fields=["cancelled_at", "booked_count", "updated_at"])
        ids = [b.pk for b in bookings if b.pk in told]
        transaction.on_commit(lambda: [_send_booking_mail(pk, language, site, note="called_off") for pk in ids])
    return False


def _check_interviewers(job: Job, interviewers: Iterable) -> None:
    allowed = set(selectors.job_interviewers(job=job).values_list("pk", flat=True))
    if any(u.pk not in allowed for u in interviewers):
        raise BookingError(_("面试官必须是这个职位招聘小组的 HR"))


# -- invitations -----------------------------------------------------------------------------------------------
def invitations_send(
    *, applications: Iterable[Application], by, kind: str, language: str, site: str = ""
) -> list[Invitation]:
    """Invite each advanced application (interview or offer stage) to book a session of `kind`; each gets an
    e-mail with a new private status link, after commit. Others are skipped. Inviting again re-sends."""
    invited = []
    with transaction.atomic():
        for application in applications:
            if application.stage not in selectors.INVITABLE_STAGES:
                continue
            invitation, created = Invitation.objects.get_or_create(
                application=application, defaults={"invited_by": by, "kind": kind}
            )
            if not created:
                invitation.kind, invitation.invited_by = kind, by
            invitation.sent_count += 1
            invitation.save()
            token = application_issue_status_token(application=application)
            transaction.on_commit(lambda a=application, t=token: _send_invitation(a, t, language, site))
            invited.append(invitation)
    return invited


def _local(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def _send_invitation(application: Application, token: str, language: str, site: str) -> None:
    if not application.applicant.email:
        return
    with translation.override(language):
        context = {"application": application, "link": links.status_url(token, site), "days": settings.STATUS_LINK_DAYS}
        subject = _("面试邀请：%(title)s") % {"title": tr(application.job, "title")}
        body = render_to_string("careers/email_wave_invitation.txt", context)
    try:
        send_mail(subject, body, None, [application.applicant.email])
    except Exception:  # the invitation stands; HR can send it again
        logger.exception("invitation e-mail for application %s failed", application.pk)


# -- bookings --------------------------------------------------------------------------------------------------
def _bookable(application: Application, session: Session, now: datetime) -> None:
    if application.stage in selectors.CLOSED_STAGES:
        raise BookingError(_("这份申请已结束，不能预约"))
    if session.job_id != application.job_id:
        raise BookingError(_("这个场次不属于您申请的职位"))
    if session.cancelled_at is not None:
        raise BookingError(_("这个场次已取消，请选择其他时间"))
    if session.starts_at <= now + selectors.CHANGE_UNTIL:
        raise BookingError(_("这个场次即将开始，已不能预约或更改"))


def _full(session: Session, count: int) -> bool:
    return count >= session.capacity


def _seats_taken(session: Session) -> int:
    """Active bookings of the session, but not those of applications withdrawn or rejected since: their seat is
    free again."""
    return selectors.seat_holders(Booking.objects.filter(session=session)).count()


def _take_seat(session: Session) -> None:
    """Under the session's row lock: count its active bookings (not the counter) and refuse the last seat twice."""
    count = _seats_taken(session)
    if _full(session, count):
        raise SessionFull(selectors.bookable_sessions(job=session.job, kind=session.kind, exclude=session.pk))
    session.booked_count = count + 1
    session.save(update_fields=["booked_count", "updated_at"])


def _free_seat(session: Session) -> None:
    session.booked_count = _seats_taken(session)
    session.save(update_fields=["booked_count", "updated_at"])


def booking_book(*, application: Application, session: Session, by=None, language: str = "", site: str = "") -> Booking:
    """A seat in `session` for the application. The session's row is locked and its bookings counted: of two
    candidates racing for the last seat one gets it, the other gets SessionFull with the next free sessions.
    `by`: the HR member booking for the candidate (None: the candidate, who must have been invited)."""
    now = timezone.now()
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("applicant", "job")
            .get(pk=application.pk)
        )  # one booking at a time per application
        invitation = Invitation.objects.filter(application=application).first()
        if by is None and invitation is None:
            raise BookingError(_("您还没有收到面试邀请"))
        session = Session.objects.select_for_update().select_related("job").filter(pk=session.pk).first()
        if session is None or session.cancelled_at is not None:  # deleted or called off meanwhile
            raise BookingError(_("这个场次已取消，请选择其他时间"))
        if by is None:
            _bookable(application, session, now)
            if session.kind != invitation.kind:
                raise BookingError(_("这个场次不是您受邀参加的类型"))
        if Booking.objects.filter(application=application, cancelled_at__isnull=True).exists():
            raise BookingError(_("您已经预约了一个场次，可以改约或取消"))
        _take_seat(session)
        booking = Booking.objects.create(session=session, application=application)
        transaction.on_commit(lambda: _send_booking_mail(booking.pk, language, site))
    return booking


def _lock_sessions_then_booking(booking: Booking, *session_pks: int) -> tuple[dict[int, Session], Booking]:
    """The locks in the one order every writer of seats takes: sessions (by id), then bookings. HR changing or
    calling off a session locks it, then its bookings; a move or a cancellation the same way round, so neither
    waits on the other's second lock. The booking is re-read under its lock: a move that happened meanwhile is
    refused rather than acted on with a stale session."""
    sessions = {
        s.pk: s
        for s in Session.objects.select_for_update()
        .select_related("job")
        .filter(pk__in=[booking.session_id, *session_pks])
        .order_by("pk")
    }
    locked = Booking.objects.select_for_update(of=("self",)).select_related("application__applicant").get(pk=booking.pk)
    if locked.session_id not in sessions:
        raise BookingError(_("这个预约刚刚有变动，请刷新页面后再试"))
    return sessions, locked


def booking_move(*, booking: Booking, to_session: Session, by=None, language: str = "", site: str = "") -> Booking:
    """The booking's seat moves to `to_session` (the candidate's own move, or HR's with `by`). Both sessions are
    locked in id order, then the booking, so two moves between the same sessions never wait on each other's second
    lock. A booking whose attendance is recorded stays where it was: the record belongs to that session."""
    now = timezone.now()
    with transaction.atomic():
        current = Booking.objects.only("pk", "session_id").get(pk=booking.pk)
        locked, booking = _lock_sessions_then_booking(current, to_session.pk)
        if booking.cancelled_at is not None:
            raise BookingError(_("这个预约已经取消"))
        if booking.session_id == to_session.pk:
            raise BookingError(_("您已经预约了这个场次"))
        if booking.attendance != Booking.Attendance.PENDING:
            raise BookingError(_("到场情况已经记录，不能再改约"))
        source, target = locked[booking.session_id], locked[to_session.pk]
        if by is None:
            if source.starts_at <= now + selectors.CHANGE_UNTIL:
                raise BookingError(_("这个场次即将开始，已不能预约或更改"))
            _bookable(booking.application, target, now)
            if target.kind != source.kind:
                raise BookingError(_("这个场次不是您受邀参加的类型"))
        elif target.job_id != booking.application.job_id:
            raise BookingError(_("这个场次不属于您申请的职位"))
        elif target.cancelled_at is not None:
            raise BookingError(_("这个场次已取消，请选择其他时间"))
        _take_seat(target)
        booking.session = target
        booking.attendance, booking.checked_in_at, booking.marked_by = Booking.Attendance.PENDING, None, None
        booking.sequence += 1
        booking.save(update_fields=["session", "attendance", "checked_in_at", "marked_by", "sequence", "updated_at"])
        _free_seat(source)
        transaction.on_commit(lambda: _send_booking_mail(booking.pk, language, site))
    return booking


def booking_cancel(*, booking: Booking, by=None, language: str = "", site: str = "") -> None:
    """The candidate's own cancellation (until shortly before the start) or HR's (`by`, until the start: after it
    the booking is the attendance record)."""
    now = timezone.now()
    with transaction.atomic():
        current = Booking.objects.only("pk", "session_id").get(pk=booking.pk)
        sessions, booking = _lock_sessions_then_booking(current)
        session = sessions[booking.session_id]
        if booking.cancelled_at is not None:
            return
        if by is None and session.starts_at <= now + selectors.CHANGE_UNTIL:
            raise BookingError(_("这个场次即将开始，已不能预约或更改"))
        if by is not None and session.starts_at <= now:
            raise BookingError(_("场次已经开始，预约留作到场记录，不能取消"))
        booking.cancelled_at = now
        booking.sequence += 1
        booking.save(update_fields=["cancelled_at", "sequence", "updated_at"])
        _free_seat(session)
        note = "cancelled_by_us" if by is not None else ""
        transaction.on_commit(lambda: _send_booking_mail(booking.pk, language, site, cancel=True, note=note))


def _send_booking_mail(booking_id: int, language: str, site: str, *, cancel: bool = False, note: str = "") -> None:
    """The booking's e-mail with its calendar entry. `note`: "changed" (HR changed the session), "called_off" (HR
    called the session off), "cancelled_by_us" (HR cancelled this seat); empty: the candidate's own booking."""
    cancel = cancel or note == "called_off"
    booking = Booking.objects.select_related("session__job", "application__applicant").get(pk=booking_id)
    application, session = booking.application, booking.session
    if not application.applicant.email:
        return
    site = site or links.site_url()
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "application": application,
            "session": session,
            "start": _local(session.starts_at),
            "end": date_format(timezone.localtime(session.ends_at), "H:i"),
            "cancel": cancel,
            "note": note,
        }
        title = application.job.title
        if note == "changed":
            subject = _("场次有变动：%(title)s") % {"title": title}
        elif note:
            subject = _("场次已取消，请重新预约：%(title)s") % {"title": title}
        else:
            subject = (_("已取消预约：%(title)s") if cancel else _("预约成功：%(title)s")) % {"title": title}
        body = render_to_string("careers/email_wave_booking.txt", context)
        summary = _("%(kind)s：%(title)s") % {"kind": session.get_kind_display(), "title": title}
        ics = booking_ics(
            booking=booking, domain=urlsplit(site).hostname or "localhost", summary=summary, description=body,
            cancel=cancel,
        )  # fmt: skip
    message = EmailMessage(subject, body, None, [application.applicant.email])
    method = "CANCEL" if cancel else "REQUEST"
    message.attach("invite.ics", ics, f"text/calendar; charset=utf-8; method={method}")
    try:
        message.send()
    except Exception:  # the booking stands; the status page shows it
        logger.exception("booking e-mail for booking %s failed", booking_id)


# -- on the day ------------------------------------------------------------------------------------------------
LATE_AFTER = timedelta(minutes=10)
CHECK_IN_FROM = timedelta(hours=1)


def booking_mark_attendance(*, booking: Booking, attendance: str, by) -> Booking:
    if attendance not in Booking.Attendance.values:
        raise BookingError(_("未知的到场情况"))
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        booking.attendance, booking.marked_by = attendance, by
        if attendance in (Booking.Attendance.ATTENDED, Booking.Attendance.LATE):
            booking.checked_in_at = booking.checked_in_at or timezone.now()
        else:
            booking.checked_in_at = None
        booking.save(update_fields=["attendance", "marked_by", "checked_in_at", "updated_at"])
    return booking


def booking_check_in(*, session: Session, application_ids: Iterable[int], now: datetime | None = None) -> Booking:
    """The candidate's own check-in through the session's QR code, for an application whose status link this
    browser opened: attended, or late past LATE_AFTER. Refused outside the hour before until the session ends."""
    now = now or timezone.now()
    if not session.starts_at - CHECK_IN_FROM <= now <= session.ends_at:
        raise BookingError(_("现在不在这个场次的签到时间内"))
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .filter(session=session, application_id__in=list(application_ids), cancelled_at__isnull=True)
            .first()
        )
        if booking is None:
            raise BookingError(_("没有找到您在这个场次的预约"))
        if booking.attendance == Booking.Attendance.PENDING:
            late = now > session.starts_at + LATE_AFTER
            booking.attendance = Booking.Attendance.LATE if late else Booking.Attendance.ATTENDED
            booking.checked_in_at = now
            booking.save(update_fields=["attendance", "checked_in_at", "updated_at"])
    return booking


RATING_RANGE = range(1, 6)


def scorecard_save(*, booking: Booking, interviewer, ratings: dict[str, int], comment: str = "") -> Scorecard:
    """The interviewer's ratings of the booking's candidate (the job's qualities, 1–5), one card per interviewer."""
    qualities = {code for code, _label in selectors.job_qualities(job=booking.session.job)}
    clean = {code: int(value) for code, value in ratings.items() if code in qualities and value not in ("", None)}
    if not clean or any(v not in RATING_RANGE for v in clean.values()):
        raise BookingError(_("请为每一项打 1–5 分"))
    card, _created = Scorecard.objects.update_or_create(
        booking=booking, interviewer=interviewer, defaults={"ratings": clean, "comment": comment.strip()[:2000]}
    )
    return card


# -- reminders -------------------------------------------------------------------------------------------------
PLACEHOLDERS = ("name", "job", "start", "place")


def wording_validate(text: str) -> str:
    """The wording as given, if it uses only {name} {job} {start} {place} and formats; ValidationError otherwise."""
    text = text.strip()
    if not text:
        raise ValidationError(_("提醒内容不能为空"))
    try:
        parts = [(f, spec, conv) for _lit, f, spec, conv in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        raise ValidationError(_("花括号不成对：%(error)s") % {"error": exc}) from exc
    if any(spec or conv for _f, spec, conv in parts):  # "{name:>99999999}" would build a string of 100 MB
        raise ValidationError(_("占位符只能写成 {name} 这样，不能带格式"))
    fields = [f for f, _spec, _conv in parts]
    unknown = sorted({f for f in fields if f not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("不认识的占位符：%(unknown)s（可用：{name} {job} {start} {place}）") % {"unknown": ", ".join(unknown)}
        )
    return text


def reminder_wording_save(*, job: Job, text: str) -> ReminderWording:
    wording, _created = ReminderWording.objects.update_or_create(job=job, defaults={"text": wording_validate(text)})
    return wording


def reminder_values(booking: Booking, *, for_sms: bool = False) -> dict[str, str]:
    """The placeholders of the job's wording; `for_sms`: what a provider's approved template is filled with, where
    a link is refused (an online session is named, its link goes by e-mail) and each value is at most SMS_VALUE_MAX
    characters (Alibaba Cloud's limit for a template variable)."""
    session = booking.session
    values = {
        "name": booking.application.applicant.name,
        "job": session.job.title,
        "start": _local(session.starts_at),
        "place": session.where,
    }
    if for_sms:
        values["place"] = session.place or str(_("线上（链接见邮件）"))
        values = {key: value[:SMS_VALUE_MAX] for key, value in values.items()}
    return values


SMS_VALUE_MAX = 35


def reminder_text(booking: Booking) -> str:
    wording = ReminderWording.objects.filter(job_id=booking.session.job_id).values_list("text", flat=True).first()
    values = reminder_values(booking)
    try:
        return (wording or str(DEFAULT_REMINDER)).format_map(values)
    except (KeyError, ValueError, IndexError):  # saved before a check, or edited in the database
        return str(DEFAULT_REMINDER).format_map(values)


# (lead, due from this long before the start, until this long before it: then the next reminder takes over)
LEADS = (
    (Reminder.Lead.DAY, timedelta(hours=24), timedelta(hours=1)),
    (Reminder.Lead.HOUR, timedelta(hours=1), timedelta(0)),
)
UNTIL = {lead: until for lead, _ahead, until in LEADS}
# a reminder the provider refused this many times is left (its error shown in admin); ours
REMINDER_MAX_ATTEMPTS = 3
UNKNOWN = "[unknown] "  # marks an error after which the reminder may have reached the candidate


class DeliveryRefused(Exception):
    """The channel refused the reminder or was never reached: nothing went out, a later run may try again."""


def _run_budget() -> float:
    """Seconds one run may spend sending: it stops taking reminders well before the task's hard time limit (a
    worker killed by the limit in the middle of a send is the one case that can send a reminder twice)."""
    return max(30.0, settings.CELERY_TASK_TIME_LIMIT - 60.0)


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Send every reminder due now (24 h and 1 h ahead, by e-mail and, unless the candidate opted out, SMS), each
    exactly once.

    Every due reminder gets its row (one per booking, session, announced start, lead and channel). Then, one at a
    time: the row is taken under a lock other runs skip and its attempt is counted and committed; then, under the
    row's lock and the booking's (a cancellation, a move or a change of the session waits for the send), it is
    re-checked, sent, and marked sent in the same transaction. A worker that dies while sending holds no lock any
    more (its transaction is rolled back with its connection): the row is unsent and the next run (beat, every
    minute) sends it; a row that kills every worker that sends it uses up its attempts and stops holding up the
    rest. A refusal (the relay or provider said no, or could not be reached) is tried again by later runs; an
    outcome that cannot be known (a timeout after the message was handed over) is not tried again by itself: it
    is marked for admin, who may try it again. A run stops taking reminders before the task's time limit.
    """
    now = now or timezone.now()
    _reminders_queue(now)
    deadline = monotonic() + _run_budget()
    sent, tried, channel = 0, set(), _Channels()
    while monotonic() < deadline and (outcome := _reminder_send_next(now, tried, channel)) is not None:
        sent += outcome
    return sent


def _reminders_queue(now: datetime) -> None:
    due = [
        (lead, booking)
        for lead, ahead, until in LEADS
        for booking in selectors.reminders_due(now=now, lead=ahead, until=until)
    ]
    made = set(
        Reminder.objects.filter(booking_id__in={b.pk for _lead, b in due}).values_list(
            "booking_id", "session_id", "starts_at", "lead", "channel"
        )
    )
    rows = []
    for lead, booking in due:
        invitation = getattr(booking.application, "wave_invitation", None)
        applicant = booking.application.applicant
        channels = []
        if applicant.email:
            channels.append(Reminder.Channel.EMAIL)
        if applicant.phone and not (invitation and invitation.sms_opt_out):
            channels.append(Reminder.Channel.SMS)
        key = (booking.pk, booking.session_id, booking.session.starts_at, lead)
        rows += [
            Reminder(
                booking=booking, session_id=booking.session_id, starts_at=booking.session.starts_at, lead=lead,
                channel=c, claimed_at=now,
            )
            for c in channels
            if (*key, c) not in made
        ]  # fmt: skip
    # a row another run inserts at the same moment waits for it, then is left alone: one row per reminder
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)


def _reminder_send_next(now: datetime, tried: set[int], channels: "_Channels") -> int | None:
    """Take, re-check, send and mark one unsent reminder: 1 sent, 0 not (refused, unknown, no longer due, or taken
    by another run), None: none left."""
    with transaction.atomic():  # the attempt counts before anything is sent, and stays counted if the worker dies
        pending = Reminder.objects.filter(sent_at__isnull=True, attempts__lt=REMINDER_MAX_ATTEMPTS, starts_at__gt=now)
        reminder = take_next(pending, tried)
        if reminder is None:
            return None
        Reminder.objects.filter(pk=reminder.pk).update(attempts=F("attempts") + 1)
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update(skip_locked=True).filter(pk=reminder.pk, sent_at=None).first()
        if reminder is None:  # another run holds it, or sent it meanwhile
            return 0
        booking = (
            selectors.seat_holders(
                Booking.objects.select_for_update(of=("self",)).filter(
                    pk=reminder.booking_id, session_id=reminder.session_id
                )
            )
            .select_related("session__job", "application__applicant", "application__wave_invitation")
            .first()
        )
        # re-checked under the booking's lock: the seat still held in this session, at the announced time, inside
        # the reminder's window, the candidate not opted out of SMS since the row was made
        invitation = booking and getattr(booking.application, "wave_invitation", None)
        if (
            booking is None
            or booking.session.starts_at != reminder.starts_at  # HR changed the time: the new one has its own
            or booking.session.starts_at <= now + UNTIL[reminder.lead]
            or booking.session.cancelled_at is not None
            or (reminder.channel == Reminder.Channel.SMS and invitation and invitation.sms_opt_out)
        ):
            return 0
        try:
            _reminder_deliver(reminder, booking, channels)
        except DeliveryRefused as exc:
            logger.warning("reminder %s refused (attempt %s): %s", reminder.pk, reminder.attempts, exc)
            reminder.error = str(exc)[:200]
            reminder.save(update_fields=["error"])
            return 0
        except Exception as exc:  # handed over, maybe delivered: never sent again by itself
            logger.exception("reminder %s: outcome unknown", reminder.pk)
            reminder.error = (UNKNOWN + str(exc))[:200]
            reminder.attempts = REMINDER_MAX_ATTEMPTS
            reminder.save(update_fields=["error", "attempts"])
            return 0
        reminder.sent_at = timezone.now()
        reminder.error = ""
        reminder.save(update_fields=["error", "sent_at"])
        return 1


class _Channels:
    """One run's SMS backend (a provider's client made once, not per message)."""

    def __init__(self):
        self._sms = None

    @property
    def sms(self):
        if self._sms is None:
            self._sms = sms.get_backend()
        return self._sms


# SMTP replies that refuse a message (the relay took nothing): a later run may try again
_SMTP_REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPResponseException)


def _reminder_deliver(reminder: Reminder, booking: Booking, channels: _Channels) -> None:
    applicant = booking.application.applicant
    with translation.override(settings.LANGUAGE_CODE):
        text = reminder_text(booking)
        if reminder.channel == Reminder.Channel.SMS:
            params = reminder_values(booking, for_sms=True)
            try:
                channels.sms.send(applicant.phone, text, params=params, ref=f"reminder-{reminder.pk}")
            except sms.SmsError as exc:
                raise DeliveryRefused(str(exc)) from exc
            return
        subject = _("面试提醒：%(title)s") % {"title": tr(booking.session.job, "title")}
        # a link of its own, made in the reminder's transaction: to move or cancel from the reminder itself
        link = links.status_url(application_issue_status_token(application=booking.application), "")
        text += "\n\n" + _("查看预约、改期或取消：%(link)s") % {"link": link}
    domain = urlsplit(links.site_url()).hostname or "localhost"
    connection = get_connection()
    try:
        connection.open()  # a relay that cannot be reached took nothing
    except Exception as exc:
        raise DeliveryRefused(str(exc)) from exc
    message = EmailMessage(subject, text, None, [applicant.email], connection=connection)
    message.extra_headers["Message-ID"] = f"<reminder-{reminder.pk}-{reminder.lead}@{domain}>"
    try:
        message.send()
    except _SMTP_REFUSALS as exc:
        raise DeliveryRefused(str(exc)) from exc
    finally:
        connection.close()


def sessions_recount(*, session_ids: Iterable[int] | None = None) -> int:
    """Set the seat counters of upcoming sessions (or of `session_ids`) to the seats held now: a withdrawal, a
    rejection or an erased application frees its seat without passing through the booking services. One UPDATE;
    the booking services never read the counter to decide, they count under the row lock."""
    sessions = (
        Session.objects.filter(pk__in=session_ids)
        if session_ids is not None
        else Session.objects.filter(starts_at__gt=timezone.now())
    )
    held = (
        selectors.seat_holders(Booking.objects.filter(session=OuterRef("pk")))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # capped: a rejection undone brings its booking back into a session that may have been filled meanwhile (the
    # trigger guards writes of bookings, not of stages); HR sees every booking on the session's page
    return sessions.update(booked_count=Least(Coalesce(Subquery(held), 0), F("capacity")))


def invitation_set_sms_opt_out(*, application: Application, opt_out: bool) -> None:
    Invitation.objects.filter(application=application).update(sms_opt_out=opt_out, updated_at=timezone.now())
