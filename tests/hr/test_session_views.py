"""HR's session calendar, creating sessions, inviting, the session page on the day, and the scorecard on the
application page: scoped to the jobs the person may see."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from screening.models import Application
from screening.waves import services as waves
from screening.waves.models import Booking, Invitation, Scorecard, Session
from tests.factories import ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory
from tests.waves.factories import SessionFactory, invited

pytestmark = pytest.mark.django_db


def test_hr_adds_a_day_of_sessions_and_sees_them_on_the_calendar(hr_client, hr_user):
    job = JobFactory()
    response = hr_client.post(
        reverse("hr:job_session_day", args=[job.slug]),
        {"kind": "group", "day": "2027-06-01", "first": "09:00", "last": "12:00", "every_minutes": 60,
         "duration_minutes": 45, "capacity": 8, "place": "3 楼会议室", "interviewers": [hr_user.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    assert Session.objects.filter(job=job).count() == 3
    page = hr_client.get(reverse("hr:job_sessions", args=[job.slug]), {"day": "2027-06-01"}).content.decode()
    assert page.count("data-session=") == 3 and "09:00–09:45" in page and "0/8" in page


def test_the_calendar_reads_a_days_bookings_in_a_fixed_number_of_queries(hr_client, hr_user):
    job = JobFactory()
    day = date(2027, 6, 2)
    sessions = waves.sessions_create_for_day(
        job=job, day=day, every_minutes=60, capacity=4, kind="group", duration_minutes=45, place="x",
        interviewers=[hr_user],
    )  # fmt: skip
    url = reverse("hr:job_sessions", args=[job.slug])
    waves.booking_book(application=invited(job, by=hr_user), session=sessions[0], by=hr_user)
    with CaptureQueriesContext(connection) as few:
        hr_client.get(url, {"day": "2027-06-02"})
    for s in sessions[1:]:
        for _ in range(2):
            waves.booking_book(application=invited(job, by=hr_user), session=s, by=hr_user)
    with CaptureQueriesContext(connection) as many:
        page = hr_client.get(url, {"day": "2027-06-02"}).content.decode()
    assert len(many) == len(few)
    assert "2/4" in page


def test_hr_invites_advanced_candidates_in_bulk_and_each_gets_a_link(hr_client, hr_user):
    job = JobFactory()
    advanced = [ApplicationFactory(job=job, stage=Application.Stage.INTERVIEW) for _ in range(2)]
    not_yet = ApplicationFactory(job=job, stage=Application.Stage.APPLIED)
    response = hr_client.post(
        reverse("hr:job_invite", args=[job.slug]), {"ids": [a.pk for a in [*advanced, not_yet]], "kind": "group"}
    )
    assert response.status_code == 302
    assert set(Invitation.objects.values_list("application_id", flat=True)) == {a.pk for a in advanced}


def test_hr_of_another_team_sees_neither_the_calendar_nor_the_session(hr_client, django_user_model):
    job = JobFactory()
    job.hiring_team.add(django_user_model.objects.create_user("teammate"))
    session = SessionFactory(job=job)
    assert hr_client.get(reverse("hr:job_sessions", args=[job.slug])).status_code == 404
    assert hr_client.get(reverse("hr:session_detail", args=[session.pk])).status_code == 404


def test_the_session_page_marks_attendance_and_saves_a_scorecard_shown_on_the_application(hr_client, hr_user):
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "trait_at_least", "trait": "patience", "rating": 4})
    job = JobFactory(checklists=[checklist])
    session = SessionFactory(job=job, starts_at=timezone.now() + timedelta(minutes=5))
    booking = waves.booking_book(application=invited(job, by=hr_user, name="李雷"), session=session, by=hr_user)
    page = hr_client.get(reverse("hr:session_detail", args=[session.pk])).content.decode()
    assert "李雷" in page and "<svg" in page and session.checkin_token in page and "耐心" in page

    attendance_url = reverse("hr:session_attendance", args=[session.pk])
    hr_client.post(attendance_url, {"booking": booking.pk, "attendance": "no_show"})
    assert Booking.objects.get(pk=booking.pk).attendance == "no_show"
    hr_client.post(
        reverse("hr:session_scorecard", args=[session.pk]),
        {"booking": booking.pk, "rating_patience": "4", "comment": "回答有条理"},
    )
    assert Scorecard.objects.get(booking=booking).ratings == {"patience": 4}
    detail = hr_client.get(reverse("hr:application_detail", args=[booking.application.pk])).content.decode()
    assert 'id="interviewer-ratings"' in detail and "耐心 <strong>4</strong>/5" in detail and "回答有条理" in detail
    assert detail.index('id="interviewer-ratings"') < detail.index('id="profile"')


def test_hr_moves_a_candidate_to_another_session(hr_client, hr_user):
    job = JobFactory()
    one, two = SessionFactory(job=job), SessionFactory(job=job, starts_at=timezone.now() + timedelta(days=3))
    booking = waves.booking_book(application=invited(job, by=hr_user), session=one, by=hr_user)
    hr_client.post(reverse("hr:session_move", args=[one.pk]), {"booking": booking.pk, "to_session": two.pk})
    assert Booking.objects.get(pk=booking.pk).session == two
    assert dict(Session.objects.values_list("pk", "booked_count")) == {one.pk: 0, two.pk: 1}


def test_the_reminder_wording_form_refuses_an_unknown_placeholder(hr_client):
    job = JobFactory()
    url = reverse("hr:job_reminder_wording", args=[job.slug])
    assert "{name}" in hr_client.get(url).content.decode()
    response = hr_client.post(url, {"text": "{name} 请带 {idcard}"})
    assert response.status_code == 200 and "idcard" in response.content.decode()
    assert hr_client.post(url, {"text": "{name}，{start} 见"}).status_code == 302


def test_wave_figures_per_slot_time(hr_client, hr_user):
    job = JobFactory()
    session = SessionFactory(job=job, capacity=4)
    for attendance in ("attended", "no_show", "late"):
        b = waves.booking_book(application=invited(job, by=hr_user), session=session, by=hr_user)
        waves.booking_mark_attendance(booking=b, attendance=attendance, by=hr_user)
    # the session took place: the analytics count the sessions that have started
    Session.objects.filter(pk=session.pk).update(starts_at=session.starts_at - timedelta(days=3))
    session.refresh_from_db()
    page = hr_client.get(reverse("hr:job_wave_analytics", args=[job.slug])).content.decode()
    hour = timezone.localtime(session.starts_at).hour
    row = page.split('id="wave-hours"')[1].split(f'data-hour="{hour}"')[1].split("</tr>")[0]
    assert "1 / 3 · 33 %" in row.replace("\xa0", " ")  # one no-show of the three marked
    assert "2 / 3 · 67 %" in page.replace("\xa0", " ").split('id="kpi-show"')[1].split("</div>")[0]


def test_hr_adds_one_session_and_is_told_when_it_has_no_place(hr_client, hr_user):
    job = JobFactory()
    url = reverse("hr:job_session_add", args=[job.slug])
    fields = {"kind": "typing_test", "day": "2027-06-03", "start": "14:30", "duration_minutes": 20, "capacity": 12}
    response = hr_client.post(url, fields)
    assert response.status_code == 200 and "请填写地点或线上链接" in response.content.decode()
    assert not Session.objects.exists()
    hr_client.post(url, {**fields, "online_link": "https://meeting.example.com/abc", "interviewers": [hr_user.pk]})
    session = Session.objects.get()
    assert timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M") == "2027-06-03 14:30"
    assert (session.kind, session.capacity, session.where) == ("typing_test", 12, "https://meeting.example.com/abc")


def test_the_session_page_reads_its_bookings_in_a_fixed_number_of_queries(hr_client, hr_user):
    job = JobFactory()
    session = SessionFactory(job=job, capacity=10)
    url = reverse("hr:session_detail", args=[session.pk])

    def seat(n):
        for _ in range(n):
            booking = waves.booking_book(application=invited(job, by=hr_user), session=session, by=hr_user)
            waves.scorecard_save(booking=booking, interviewer=hr_user, ratings={"communication": 4})

    seat(1)
    with CaptureQueriesContext(connection) as few:
        hr_client.get(url)
    seat(4)
    with CaptureQueriesContext(connection) as many:
        page = hr_client.get(url).content.decode()
    assert len(many) == len(few)
    assert page.count("data-booking=") == 5
