"""HR's side of the hiring waves: a job's session calendar, creating sessions (one or a day of them), inviting
advanced candidates, and the session page used on a tablet on the day (attendance, scorecards, QR check-in)."""

from datetime import date, datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import links
from ..models import Application
from ..waves import selectors as waves
from ..waves import services as wave_services
from ..waves.models import Booking, ReminderWording, Session
from ..waves.qr import qr_svg
from .session_forms import DayForm, SessionForm, WordingForm
from .views import _job, hr_change_action, hr_required


def _session(request, pk) -> Session:
    return get_object_or_404(waves.sessions_visible_to(request.user).select_related("job"), pk=pk)


def _day(request, days: list[date]) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        today = timezone.localdate()
        return next((d for d in days if d >= today), days[-1] if days else today)


@hr_required
def hr_job_sessions(request, slug, session_form=None, day_form=None):
    job = _job(request, slug)
    days = waves.job_session_days(job=job)
    day = _day(request, days)
    context = {
        "job": job,
        "day": day,
        "days": days,
        "sessions": waves.job_sessions_on(job=job, day=day),
        "session_form": session_form or SessionForm(job=job, initial={"day": day}),
        "day_form": day_form or DayForm(job=job, initial={"day": day}),
        "invitable": waves.job_invitable_applications(job=job),
        "kinds": Session.Kind.choices,
    }
    return render(request, "hr/job_sessions.html", context)


@hr_change_action
def hr_job_session_add(request, slug):
    job = _job(request, slug)
    form = SessionForm(request.POST, job=job)
    if not form.is_valid():
        return hr_job_sessions(request, slug, session_form=form)
    data = form.cleaned_data
    wave_services.session_create(
        job=job, kind=data["kind"], starts_at=form.starts_at(), duration_minutes=data["duration_minutes"],
        capacity=data["capacity"], place=data["place"], online_link=data["online_link"],
        interviewers=data["interviewers"],
    )  # fmt: skip
    messages.success(request, _("已添加场次"))
    return redirect(f"{reverse('hr:job_sessions', args=[slug])}?day={data['day'].isoformat()}")


@hr_change_action
def hr_job_session_day(request, slug):
    job = _job(request, slug)
    form = DayForm(request.POST, job=job)
    if not form.is_valid():
        return hr_job_sessions(request, slug, day_form=form)
    data = form.cleaned_data
    try:
        created = wave_services.sessions_create_for_day(
            job=job, day=data["day"], first=data["first"], last=data["last"], every_minutes=data["every_minutes"],
            capacity=data["capacity"], kind=data["kind"], duration_minutes=data["duration_minutes"],
            place=data["place"], online_link=data["online_link"], interviewers=data["interviewers"],
        )  # fmt: skip
    except wave_services.BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已添加 %(n)s 个场次") % {"n": len(created)})
    return redirect(f"{reverse('hr:job_sessions', args=[slug])}?day={data['day'].isoformat()}")


@hr_change_action
def hr_job_invite(request, slug):
    job = _job(request, slug)
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    kind = request.POST.get("kind", Session.Kind.GROUP)
    if kind not in Session.Kind.values:
        kind = Session.Kind.GROUP
    invited = wave_services.invitations_send(
        applications=Application.objects.filter(job=job, pk__in=ids).select_related("applicant", "job"),
        by=request.user,
        kind=kind,
        language=settings.LANGUAGE_CODE,  # the candidates' language: the portal records none per person
        site=links.site_url(request),
    )
    messages.success(request, _("已邀请 %(n)s 位候选人，邀请邮件已发送") % {"n": len(invited)})
    return redirect("hr:job_sessions", slug=slug)


@hr_required
@require_http_methods(["GET", "POST"])
def hr_job_reminder_wording(request, slug):
    job = _job(request, slug)
    instance = ReminderWording.objects.filter(job=job).first() or ReminderWording(job=job)
    if request.method == "POST" and not request.user.has_perm("screening.change_application"):
        raise PermissionDenied
    form = WordingForm(request.POST or None, instance=instance)
    if not instance.pk and not form.is_bound:
        form.initial["text"] = str(wave_services.DEFAULT_REMINDER)
    if request.method == "POST" and form.is_valid():
        wave_services.reminder_wording_save(job=job, text=form.cleaned_data["text"])
        messages.success(request, _("提醒内容已保存"))
        return redirect("hr:job_sessions", slug=slug)
    return render(request, "hr/reminder_wording.html", {"job": job, "form": form})


@hr_required
def hr_session_detail(request, pk):
    session = _session(request, pk)
    bookings = waves.session_bookings(session=session)
    qualities = waves.job_qualities(job=session.job)
    for booking in bookings:
        mine = next((c for c in booking.scorecards.all() if c.interviewer_id == request.user.pk), None)
        booking.my_ratings = [(code, label, (mine.ratings.get(code) if mine else None)) for code, label in qualities]
        booking.my_comment = mine.comment if mine else ""
        booking.scored = mine is not None
    checkin_url = links.site_url(request) + reverse("session_check_in", args=[session.checkin_token])
    context = {
        "session": session,
        "bookings": bookings,
        "qualities": qualities,
        "attendance": Booking.Attendance.choices,
        "scorecards": session.kind == Session.Kind.GROUP,
        "others": Session.objects.filter(
            job=session.job, starts_at__gte=timezone.now(), kind=session.kind, cancelled_at__isnull=True
        )
        .exclude(pk=session.pk)
        .order_by("starts_at")[:40],
        "checkin_url": checkin_url,
        "started": _started(session),
        "qr": qr_svg(checkin_url),
    }
    return render(request, "hr/session_detail.html", context)


def _started(session: Session) -> bool:
    return session.starts_at <= timezone.now()


@hr_required
@require_http_methods(["GET", "POST"])
def hr_session_edit(request, pk):
    session = _session(request, pk)
    if request.method == "POST" and not request.user.has_perm("screening.change_application"):
        raise PermissionDenied
    if session.cancelled_at is not None or _started(session):
        messages.error(request, _("这个场次已取消或已经开始，不能再修改"))
        return redirect("hr:session_detail", pk=pk)
    local = timezone.localtime(session.starts_at)
    initial = {
        "kind": session.kind, "day": local.date(), "start": local.time(), "duration_minutes": session.duration_minutes,
        "capacity": session.capacity, "place": session.place, "online_link": session.online_link,
        "interviewers": list(session.interviewers.all()),
    }  # fmt: skip
    form = SessionForm(request.POST or None, job=session.job, initial=initial)
    # the version the form was opened on: saving over a change made since is refused, not silently undone
    seen = request.POST.get("seen") or session.updated_at.isoformat()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wave_services.session_update(
                session=session, kind=data["kind"], starts_at=form.starts_at(),
                duration_minutes=data["duration_minutes"], capacity=data["capacity"], place=data["place"],
                online_link=data["online_link"], interviewers=data["interviewers"], seen=_seen(seen),
                site=links.site_url(request),
            )  # fmt: skip
        except wave_services.BookingError as exc:
            form.add_error(None, str(exc))  # the form keeps what was typed
        else:
            messages.success(request, _("场次已更新；已预约的候选人会收到新的时间和地点"))
            return redirect("hr:session_detail", pk=pk)
    held = waves.seat_holders(Booking.objects.filter(session=session)).count()
    return render(request, "hr/session_edit.html", {"session": session, "form": form, "held": held, "seen": seen})


def _seen(value: str):
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


@hr_required
@require_http_methods(["GET", "POST"])
def hr_session_call_off(request, pk):
    session = _session(request, pk)
    if request.method == "POST":
        if not request.user.has_perm("screening.change_application"):
            raise PermissionDenied
        day = timezone.localtime(session.starts_at).date().isoformat()
        slug = session.job.slug
        try:
            deleted = wave_services.session_call_off(session=session, site=links.site_url(request))
        except wave_services.BookingError as exc:
            messages.error(request, str(exc))
            return redirect("hr:session_detail", pk=pk)
        if deleted:
            messages.success(request, _("场次已删除"))
        else:
            messages.success(request, _("场次已取消，已通知预约的候选人重新预约"))
        return redirect(f"{reverse('hr:job_sessions', args=[slug])}?day={day}")
    # the people who will be asked to book again (withdrawn or rejected ones lose their booking quietly)
    holders = waves.seat_holders(Booking.objects.filter(session=session)).select_related("application__applicant")
    context = {
        "session": session,
        "holders": list(holders),
        "started": _started(session),
        "deletable": not Booking.objects.filter(session=session).exists(),  # nobody ever booked: deleted
    }
    return render(request, "hr/session_call_off.html", context)


@hr_change_action
def hr_session_cancel_booking(request, pk):
    session = _session(request, pk)
    booking = _booking(request, session)
    try:
        wave_services.booking_cancel(booking=booking, by=request.user, site=links.site_url(request))
    except wave_services.BookingError as exc:
        messages.error(request, str(exc))
    else:
        name = booking.application.applicant.name
        messages.success(request, _("已取消 %(name)s 的预约，并已发邮件通知") % {"name": name})
    return redirect("hr:session_detail", pk=pk)


def _booking(request, session) -> Booking:
    active = Booking.objects.filter(session=session, cancelled_at__isnull=True)
    return get_object_or_404(active, pk=_number(request.POST.get("booking")))


def _number(value) -> int | None:
    return int(value) if value and value.isdigit() else None


@hr_change_action
def hr_session_attendance(request, pk):
    session = _session(request, pk)
    booking = _booking(request, session)
    attendance = request.POST.get("attendance", "")
    try:
        wave_services.booking_mark_attendance(booking=booking, attendance=attendance, by=request.user)
    except wave_services.BookingError as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('hr:session_detail', args=[pk])}#booking-{booking.pk}")


@hr_change_action
def hr_session_scorecard(request, pk):
    session = _session(request, pk)
    booking = _booking(request, session)
    ratings = {code: request.POST.get(f"rating_{code}", "") for code, _label in waves.job_qualities(job=session.job)}
    try:
        wave_services.scorecard_save(
            booking=booking, interviewer=request.user, ratings=ratings, comment=request.POST.get("comment", "")
        )
    except (wave_services.BookingError, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("评分已保存：%(name)s") % {"name": booking.application.applicant.name})
    return redirect(f"{reverse('hr:session_detail', args=[pk])}#booking-{booking.pk}")


@hr_change_action
def hr_session_move(request, pk):
    session = _session(request, pk)
    booking = _booking(request, session)
    target = get_object_or_404(waves.sessions_visible_to(request.user), pk=_number(request.POST.get("to_session")))
    try:
        wave_services.booking_move(booking=booking, to_session=target, by=request.user, site=links.site_url(request))
    except (wave_services.BookingError, IntegrityError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已把 %(name)s 改到其他场次") % {"name": booking.application.applicant.name})
    return redirect("hr:session_detail", pk=pk)
