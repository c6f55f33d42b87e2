"""The invitation and booking e-mails through a real SMTP server (aiosmtpd in a thread): the invitation carries a
status link that opens the application; the booking carries an .ics that icalendar reads back as the session."""

import email
from datetime import UTC
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from icalendar import Calendar

from screening.models import Application
from screening.waves import services
from tests.conftest import free_port
from tests.factories import ApplicationFactory, JobFactory
from tests.waves.factories import SessionFactory

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.SITE_URL = "https://jobs.example.com"
    yield inbox
    controller.stop()


def test_invitation_and_booking_arrive_by_smtp_with_a_calendar_entry_for_the_session(
    smtp, hr_user, client, django_capture_on_commit_callbacks
):
    job = JobFactory(title="电商客服专员")
    application = ApplicationFactory(
        job=job, stage=Application.Stage.INTERVIEW, applicant__name="王芳", applicant__email="wf@example.com"
    )
    session = SessionFactory(job=job, place="杭州市文三路 90 号 3 楼", duration_minutes=45)

    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(applications=[application], by=hr_user, kind="group", language="zh-hans")
    (invitation,) = smtp.messages
    assert invitation["To"] == "wf@example.com"
    assert "电商客服专员" in invitation["Subject"]
    link = next(w for w in invitation.get_content().split() if w.startswith("https://jobs.example.com/status/"))
    response = client.get(link.removeprefix("https://jobs.example.com"))
    assert response.status_code == 302 and response["Location"] == f"/my-application/{application.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_book(application=application, session=session, language="zh-hans")
    booked = smtp.messages[1]
    assert "预约成功" in booked["Subject"]
    (attachment,) = list(booked.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "invite.ics"
    calendar = Calendar.from_ical(attachment.get_content())
    assert str(calendar["method"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == session.starts_at.astimezone(UTC)
    assert (event.decoded("dtend") - event.decoded("dtstart")).total_seconds() == 45 * 60
    assert str(event["location"]) == "杭州市文三路 90 号 3 楼"
    assert "电商客服专员" in str(event["summary"])
    assert str(event["uid"]) == f"booking-{booking.pk}@jobs.example.com"
    local = timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")
    assert local in booked.get_body(("plain",)).get_content()

    # moved: the same event again, later and with a higher sequence, so a calendar updates it
    later = SessionFactory(job=job, starts_at=session.starts_at.replace(hour=(session.starts_at.hour + 2) % 24))
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_move(booking=booking, to_session=later, language="zh-hans")
    (moved,) = Calendar.from_ical(next(smtp.messages[2].iter_attachments()).get_content()).walk("VEVENT")
    assert str(moved["uid"]) == str(event["uid"])
    assert moved.decoded("dtstart") == later.starts_at.astimezone(UTC)
    assert (int(event["sequence"]), int(moved["sequence"])) == (0, 1)
