"""Hiring waves in the browser: a candidate on a phone books, moves, is reminded (at a simulated clock) and checks
in with the session's QR URL; HR on a tablet (1024x768) sees the day's calendar, marks arrivals and rates a group
interview, and changes a session."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from screening.models import Application
from screening.waves import services as waves
from screening.waves import sms
from screening.waves.models import Booking, Scorecard, Session
from tests.browser.conftest import PHONE
from tests.conftest import wait_for
from tests.factories import ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory
from tests.waves.factories import SessionFactory, invited

from .helpers import log_in_to_hr

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

TABLET_LANDSCAPE = {"viewport": {"width": 1024, "height": 768}, "device_scale_factor": 1, "has_touch": True}


def _tomorrow_at(hour: int, minute: int = 0):
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(timezone.datetime.combine(tomorrow, timezone.datetime.min.time())).replace(
        hour=hour, minute=minute
    )


def test_a_candidate_books_moves_and_checks_in_on_a_phone(browser, live_server, hr_user, settings, screenshot):
    settings.SITE_URL = live_server.url
    job = JobFactory(title="电商客服专员")
    first = SessionFactory(job=job, starts_at=_tomorrow_at(10), place="杭州市西湖区文三路 90 号 3 楼")
    second = SessionFactory(job=job, starts_at=_tomorrow_at(14, 30), place="杭州市西湖区文三路 90 号 3 楼", capacity=4)
    SessionFactory(job=job, starts_at=_tomorrow_at(16), capacity=1, place="杭州市西湖区文三路 90 号 3 楼")
    application = ApplicationFactory(
        job=job, stage=Application.Stage.INTERVIEW, applicant__name="王芳", applicant__email="wf@example.com"
    )
    waves.invitations_send(applications=[application], by=hr_user, kind="group", language="zh-hans")
    (invitation,) = mail.outbox
    link = next(w for w in invitation.body.split() if "/status/" in w)

    phone = browser.new_context(**PHONE).new_page()
    phone.goto(link)
    phone.get_by_role("link", name="选择面试时间").click()
    phone.locator(f"[data-slot='{first.pk}'] button").click()
    phone.get_by_text("预约成功，确认邮件已发送").wait_for()
    assert phone.locator("#current-booking").inner_text().count("10:00") == 1
    screenshot(phone, "phone-waves-1-booked")
    assert any(m.attachments for m in mail.outbox)  # the booking's mail, with its calendar entry

    phone.locator(f"[data-slot='{second.pk}'] button").click()
    phone.get_by_text("已改约，新的确认邮件已发送").wait_for()
    assert "14:30" in phone.locator("#current-booking").inner_text()
    screenshot(phone, "phone-waves-2-moved")
    booking = Booking.objects.get(application=application, cancelled_at__isnull=True)
    assert booking.session_id == second.pk
    assert dict(Session.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "booked_count")) == {
        first.pk: 0,
        second.pk: 1,
    }
    phone.goto(f"{live_server.url}{reverse('application_status_page', args=[application.pk])}")
    assert "14:30" in phone.locator("#booking-panel").inner_text()

    # the reminders, at a simulated clock: 23 hours before the new session (the day-ahead one), then 50 minutes
    # before (the hour-ahead one); each run again sends nothing more
    settings.SMS_BACKEND = "screening.waves.sms.MemoryBackend"
    sms.outbox.clear()
    mail.outbox.clear()
    for ahead, lead in ((timedelta(hours=23), "24h"), (timedelta(minutes=50), "1h")):
        assert waves.reminders_send_due(now=second.starts_at - ahead) == 2
        assert waves.reminders_send_due(now=second.starts_at - ahead) == 0
        reminder = mail.outbox[-1]
        assert reminder.to == ["wf@example.com"] and "reminder-" in reminder.extra_headers["Message-ID"]
        assert (
            "14:30" in reminder.body
            and "王芳您好" in reminder.body
            and f"-{lead}@" in reminder.extra_headers["Message-ID"]
        )
        assert "14:30" in sms.outbox[-1].text and sms.outbox[-1].phone == application.applicant.phone
    assert len(mail.outbox) == 2 and len(sms.outbox) == 2  # nothing for the first session, left

    # the day comes: the session starts in a quarter of an hour, and the candidate scans the QR code at the desk
    Session.objects.filter(pk=second.pk).update(starts_at=timezone.now() + timedelta(minutes=15))
    qr_url = f"{live_server.url}{reverse('session_check_in', args=[second.checkin_token])}"
    phone.goto(qr_url)
    phone.get_by_role("button", name="我已到场，签到").click()
    phone.locator("#checked-in").wait_for()
    assert "签到成功" in phone.locator("#checked-in").inner_text()
    screenshot(phone, "phone-waves-3-checked-in")
    booking.refresh_from_db()
    assert booking.attendance == "attended" and booking.checked_in_at is not None


def test_hr_on_a_tablet_marks_arrivals_and_rates_a_group_interview(browser, live_server, hr_user, screenshot):
    checklist = ChecklistFactory()
    for trait in ("patience", "communication", "stress_tolerance"):
        RequirementFactory(checklist=checklist, condition={"kind": "trait_at_least", "trait": trait, "rating": 4})
    job = JobFactory(title="电商客服专员（双11）", checklists=[checklist])
    tomorrow = timezone.localdate() + timedelta(days=1)
    sessions = waves.sessions_create_for_day(
        job=job, day=tomorrow, every_minutes=60, capacity=6, kind="group", duration_minutes=45,
        place="3 楼大会议室", interviewers=[hr_user],
    )  # fmt: skip
    session = sessions[2]  # 11:00
    came, stayed_away = invited(job, by=hr_user, name="李雷"), invited(job, by=hr_user, name="韩梅梅")
    for a in (came, stayed_away):
        waves.booking_book(application=a, session=session, by=hr_user)
    waves.booking_book(application=invited(job, by=hr_user, name="张伟"), session=sessions[0], by=hr_user)

    page = browser.new_context(**TABLET_LANDSCAPE).new_page()
    log_in_to_hr(page, f"{live_server.url}{reverse('hr:job_applications', args=[job.slug])}", hr_user.username)
    page.locator("#sessions-link").click()  # the calendar opens on the next day with sessions
    assert tomorrow.isoformat() in page.locator("#days .active").get_attribute("href")
    assert page.locator("#sessions [data-session]").count() == len(sessions)
    row = page.locator(f"#sessions [data-session='{session.pk}']")
    assert "11:00–11:45" in row.inner_text() and "2/6" in row.inner_text() and "李雷、韩梅梅" in row.inner_text()
    screenshot(page, "tablet-waves-1-calendar")

    row.get_by_role("link").click()
    assert page.locator("#checkin-qr svg").is_visible()
    card = page.locator("[data-booking]:has-text('李雷')")
    card.get_by_role("button", name="已到场").click()
    assert card.locator(".attendance-state").inner_text() == "已到场"
    for label, value in (("耐心", "4"), ("沟通能力", "5"), ("抗压能力", "3")):
        card.get_by_role("group", name=label).get_by_text(value, exact=True).click()
    card.get_by_placeholder("一句话评语（可选）").fill("表达清楚，能安抚情绪")
    card.get_by_role("button", name="保存评分").click()
    page.get_by_text("评分已保存：李雷").wait_for()
    page.locator("[data-booking]:has-text('韩梅梅')").get_by_role("button", name="未到场").click()
    absent = page.locator("[data-booking]:has-text('韩梅梅')")
    assert absent.locator(".attendance-state").inner_text() == "未到场"
    assert absent.locator(".scorecard").count() == 0  # nobody to rate
    screenshot(page, "tablet-waves-2-session")

    assert dict(Booking.objects.filter(session=session).values_list("application__applicant__name", "attendance")) == {
        "李雷": "attended",
        "韩梅梅": "no_show",
    }
    assert Scorecard.objects.get(booking__application=came).ratings == {
        "patience": 4, "communication": 5, "stress_tolerance": 3,
    }  # fmt: skip
    page.locator("[data-booking]:has-text('李雷') h2 a").click()
    ratings = page.locator("#interviewer-ratings")
    assert "沟通能力 5/5" in ratings.inner_text() and "表达清楚" in ratings.inner_text()
    screenshot(page, "tablet-waves-3-application")


def test_hr_on_a_tablet_changes_a_session_and_calls_one_off(browser, live_server, hr_user, screenshot):
    job = JobFactory(title="电商客服专员（双11）")
    tomorrow = timezone.localdate() + timedelta(days=1)
    sessions = waves.sessions_create_for_day(
        job=job, day=tomorrow, every_minutes=60, capacity=6, kind="group", duration_minutes=45,
        place="3 楼大会议室", interviewers=[hr_user],
    )  # fmt: skip
    waves.booking_book(application=invited(job, by=hr_user, name="张伟"), session=sessions[0], by=hr_user)
    page = browser.new_context(**TABLET_LANDSCAPE).new_page()
    log_in_to_hr(page, f"{live_server.url}{reverse('hr:job_applications', args=[job.slug])}", hr_user.username)

    # the 9:00 group interview moves to 9:30: its one candidate is told, with the calendar entry moved
    mail.outbox.clear()
    page.goto(f"{live_server.url}{reverse('hr:session_detail', args=[sessions[0].pk])}")
    page.locator("#edit-session").click()
    assert "已有 1 人预约" in page.locator("#held-note").inner_text()
    assert page.get_by_label("日期").input_value() == tomorrow.isoformat()  # the form opens with the session
    page.get_by_label("开始时间").fill("09:30")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("场次已更新").wait_for()
    assert "09:30" in page.locator("h1").inner_text()
    wait_for(lambda: len(mail.outbox) == 1)
    assert "场次有变动" in mail.outbox[0].subject and "09:30" in mail.outbox[0].body
    # nobody booked 10:00: calling it off deletes it
    page.goto(f"{live_server.url}{reverse('hr:session_call_off', args=[sessions[1].pk])}")
    page.locator("#confirm-call-off").click()
    page.get_by_text("场次已删除").wait_for()
    assert page.locator(f"#sessions [data-session='{sessions[1].pk}']").count() == 0
    screenshot(page, "tablet-waves-4-calendar-after-changes")
