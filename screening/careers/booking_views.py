"""The candidate books, moves or cancels a seat in a hiring-wave session, and checks in with the session's QR code,
all through the access their status link gave this browser (views._by_session)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import links, services
from ..waves import selectors as waves
from ..waves import services as booking_services
from ..waves.models import Session
from .views import _ACCESS, _by_session, _private


def _context(application, *, full=None, error=None):
    invitation = waves.application_invitation(application=application)
    booking = waves.application_booking(application=application)
    slots = []
    if invitation is not None:
        slots = waves.bookable_sessions(
            job=application.job, kind=invitation.kind, exclude=booking.session_id if booking else None
        )
    now = timezone.now()
    return {
        "application": application,
        "invitation": invitation,
        "booking": booking,
        "changeable": booking is not None and booking.session.starts_at > now + waves.CHANGE_UNTIL,
        "slots": slots,
        "full": full,
        "error": error,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def application_booking(request, pk):
    application = _by_session(request, pk)
    if request.method == "GET":
        return _private(render(request, "careers/booking.html", _context(application)))
    action = request.POST.get("action", "")
    kwargs = {"language": translation.get_language(), "site": links.site_url(request)}
    try:
        if action in ("book", "move"):
            session = get_object_or_404(Session, pk=_number(request.POST.get("session")), job=application.job)
            booking = waves.application_booking(application=application)
            if booking is None:
                booking_services.booking_book(application=application, session=session, **kwargs)
                messages.success(request, _("预约成功，确认邮件已发送"))
            else:
                booking_services.booking_move(booking=booking, to_session=session, **kwargs)
                messages.success(request, _("已改约，新的确认邮件已发送"))
        elif action == "cancel":
            booking = waves.application_booking(application=application)
            if booking is not None:
                booking_services.booking_cancel(booking=booking, **kwargs)
                messages.success(request, _("已取消预约"))
        elif action == "sms":
            booking_services.invitation_set_sms_opt_out(
                application=application, opt_out=request.POST.get("sms") != "yes"
            )
            messages.success(request, _("短信提醒设置已保存"))
    except booking_services.SessionFull as full:
        context = _context(application, full=full.alternatives, error=str(full))
        return _private(render(request, "careers/booking.html", context, status=409))
    except booking_services.BookingError as exc:
        return _private(render(request, "careers/booking.html", _context(application, error=str(exc)), status=409))
    return _private(redirect("application_booking", pk=pk))


def _number(value) -> int | None:
    return int(value) if value and value.isdigit() else None


def _accessible_ids(request) -> list[int]:
    """The applications whose (still valid) status link this browser opened."""
    ids = []
    for pk, token_hash in request.session.get(_ACCESS, {}).items():
        if pk.isdigit() and services.application_by_token_hash(pk=int(pk), token_hash=token_hash) is not None:
            ids.append(int(pk))
    return ids


@never_cache
@require_http_methods(["GET", "POST"])
def session_check_in(request, token):
    """What the session's QR code opens on the candidate's phone: a button that checks them in (a GET changes
    nothing: link previews and scanners open it too)."""
    session = Session.objects.select_related("job").filter(checkin_token=token).first()
    if session is None:
        raise Http404
    ids = _accessible_ids(request)
    booking, error = None, None
    if request.method == "POST":
        try:
            booking = booking_services.booking_check_in(session=session, application_ids=ids)
        except booking_services.BookingError as exc:
            error = str(exc)
    context = {"session": session, "has_access": bool(ids), "booking": booking, "error": error}
    return _private(render(request, "careers/check_in.html", context))
