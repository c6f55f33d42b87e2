"""The calendar entry attached to a booking e-mail (RFC 5545, made with icalendar).

One UID per booking: a move sends the same event again with a higher SEQUENCE, so a calendar updates it in
place; a cancellation sends it with METHOD:CANCEL."""

from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

from .models import Booking


def booking_ics(*, booking: Booking, domain: str, summary: str, description: str, cancel: bool = False) -> bytes:
    session = booking.session
    calendar = Calendar()
    calendar.add("prodid", "-//kefu-screening-portal//waves//ZH")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", f"booking-{booking.pk}@{domain}")
    event.add("dtstamp", datetime.now(UTC))
    event.add("sequence", booking.sequence)
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", vText(session.where))
    if session.online_link:
        event.add("url", session.online_link)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    if booking.application.applicant.email:
        attendee = vCalAddress(f"mailto:{booking.application.applicant.email}")
        attendee.params["cn"] = vText(booking.application.applicant.name)
        event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()
