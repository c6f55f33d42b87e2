"""The candidate's booking page and the QR check-in, reached only through the status link's access."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from screening import services
from screening.waves import services as waves
from screening.waves.models import Booking, Invitation
from tests.factories import JobFactory
from tests.waves.factories import SessionFactory, invited

pytestmark = pytest.mark.django_db


def _open_link(client, application):
    token = services.application_issue_status_token(application=application)
    client.get(reverse("application_status", args=[token]))


def test_the_status_page_invites_to_book_and_the_booking_page_books_a_seat(client, hr_user):
    job = JobFactory()
    session = SessionFactory(job=job, place="文三路 90 号")
    application = invited(job, by=hr_user)
    _open_link(client, application)
    status = client.get(reverse("application_status_page", args=[application.pk])).content.decode()
    assert 'id="choose-slot"' in status
    page = client.get(reverse("application_booking", args=[application.pk])).content.decode()
    assert f'data-slot="{session.pk}"' in page and "文三路 90 号" in page

    booking_url = reverse("application_booking", args=[application.pk])
    response = client.post(booking_url, {"action": "book", "session": session.pk})
    assert response.status_code == 302
    assert Booking.objects.get(application=application).session == session
    status = client.get(reverse("application_status_page", args=[application.pk])).content.decode()
    assert 'id="manage-booking"' in status


def test_without_the_status_link_the_booking_page_is_not_found(client, hr_user):
    application = invited(JobFactory(), by=hr_user)
    assert client.get(reverse("application_booking", args=[application.pk])).status_code == 404


def test_a_full_session_says_so_and_offers_the_next_free_one(client, hr_user):
    job = JobFactory()
    full = SessionFactory(job=job, capacity=1)
    free = SessionFactory(job=job, starts_at=full.starts_at + timedelta(hours=1))
    waves.booking_book(application=invited(job, by=hr_user), session=full)
    application = invited(job, by=hr_user)
    _open_link(client, application)
    url = reverse("application_booking", args=[application.pk])
    response = client.post(url, {"action": "book", "session": full.pk})
    assert response.status_code == 409
    page = response.content.decode()
    assert "刚刚约满" in page and f'data-slot="{free.pk}"' in page and f'data-slot="{full.pk}"' not in page


def test_the_candidate_turns_sms_reminders_off(client, hr_user):
    application = invited(JobFactory(), by=hr_user)
    _open_link(client, application)
    client.post(reverse("application_booking", args=[application.pk]), {"action": "sms"})
    assert Invitation.objects.get(application=application).sms_opt_out is True


def test_the_qr_check_in_marks_the_browsers_own_booking_and_nobody_elses(client, hr_user):
    job = JobFactory()
    session = SessionFactory(job=job, starts_at=timezone.now() + timedelta(minutes=20))
    mine, other = invited(job, by=hr_user), invited(job, by=hr_user)
    for a in (mine, other):
        waves.booking_book(application=a, session=session, by=hr_user)
    url = reverse("session_check_in", args=[session.checkin_token])
    assert 'id="no-access"' in client.get(url).content.decode()  # no status link opened in this browser
    _open_link(client, mine)
    assert client.get(url).status_code == 200 and Booking.objects.get(application=mine).attendance == "pending"
    assert 'id="checked-in"' in client.post(url).content.decode()
    assert dict(Booking.objects.values_list("application_id", "attendance")) == {
        mine.pk: "attended",
        other.pk: "pending",
    }
    assert client.get(reverse("session_check_in", args=["not-a-token"])).status_code == 404


def test_a_candidate_books_only_the_kind_of_session_they_were_invited_to_and_bad_input_is_not_found(client, hr_user):
    job = JobFactory()
    training = SessionFactory(job=job, kind="training")
    application = invited(job, by=hr_user)  # to a group interview
    _open_link(client, application)
    url = reverse("application_booking", args=[application.pk])
    response = client.post(url, {"action": "book", "session": training.pk})
    assert response.status_code == 409 and "不是您受邀参加的类型" in response.content.decode()
    assert client.post(url, {"action": "book", "session": ""}).status_code == 404
    assert client.post(url, {"action": "book", "session": "1 OR 1=1"}).status_code == 404
    assert not Booking.objects.exists()
