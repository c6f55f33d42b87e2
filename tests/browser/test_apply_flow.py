"""Candidates apply on a phone and on a desktop; HR sees the scored, explained result in the browser."""

import time

import pytest
from django.core import mail

from screening.models import Application, ChatScenario, Job
from screening.seed import load_fixtures
from tests.browser.conftest import DESKTOP, PHONE, SHOTS

from .helpers import GOOD_TEXT, answer_everything, log_in_to_hr, take_chats, take_typing_test

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def no_chat_delays():
    """These tests are about the rest of the form: buyer messages come at once (test_chat_flow waits)."""
    for scenario in ChatScenario.objects.all():
        messages = [{**m, "delay_seconds": 0} for m in scenario.messages]
        ChatScenario.objects.filter(pk=scenario.pk).update(messages=messages)


def _finished_chats_are_shown_again(page):
    page.locator("[data-chat=done]").first.wait_for()
    log = page.locator("[data-chat=log]").first
    assert log.locator(".chat-me").count() == log.locator(".chat-buyer").count()  # every reply shown again
    assert log.evaluate("el => el.scrollTop + el.clientHeight >= el.scrollHeight - 2")  # scrolled to its end


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_candidate_browses_applies_with_typing_test_and_resume_then_withdraws(
    browser, live_server, screenshot, tmp_path, device
):
    load_fixtures()
    no_chat_delays()
    Job.objects.filter(slug="double11-cs-specialist").update(resume_required=True)
    resume = tmp_path / "我的简历.pdf"
    resume.write_bytes(PDF)
    context = browser.new_context(**(PHONE if device == "phone" else DESKTOP))
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.fill("#id_q", "双11")
    page.get_by_role("button", name="筛选").click()
    screenshot(page, f"{device}-1-careers")
    page.get_by_text("电商客服专员（双11）").first.click()
    assert page.locator("#must-have").get_by_text("学历").count() == 1
    screenshot(page, f"{device}-2-job")
    page.get_by_role("link", name="立即申请").click()

    passage, result = take_typing_test(
        page, shot=lambda widget: widget.screenshot(path=SHOTS / f"{device}-2b-typing-test.png")
    )
    assert "字/分钟" in result
    take_chats(page)
    answer_everything(page)
    page.set_input_files("input[name=resume]", str(resume))
    page.fill("#id_phone", "12345")  # a mistake: everything typed and uploaded must survive it
    page.get_by_role("button", name="提交申请").click()
    assert page.get_by_text("请填写 11 位中国大陆手机号").is_visible()
    assert page.input_value("#id_name") == "李小明"
    # the Double-11 job asks no written answer (its buyer chat is the writing test): any the form shows is kept
    for area in page.locator("textarea:not([data-typing]):not([data-chat])").all():
        assert area.input_value() == GOOD_TEXT
    _finished_chats_are_shown_again(page)
    assert page.locator("#pending-resume").get_by_text("我的简历.pdf").is_visible()
    assert page.locator("[data-typing=result]").is_visible()  # the measured result is kept too
    screenshot(page, f"{device}-3-apply-error")

    page.fill("#id_phone", "138 0013 8000")
    page.get_by_role("button", name="提交申请").click()
    assert page.get_by_role("heading", name="申请已收到").is_visible()
    screenshot(page, f"{device}-4-applied")
    application = Application.objects.get(applicant__phone="13800138000")
    assert application.profile["typing"]["measured"] is True
    assert application.resume.read() == PDF

    # the private link arrives by e-mail (Django's locmem backend in tests)
    link = next(m.body for m in mail.outbox if "xiaoming@example.com" in m.to)
    path = "/status/" + link.split("/status/")[1].split()[0]
    page.goto(f"{live_server.url}{path}")
    assert "/status/" not in page.url  # the secret does not stay in the address bar
    assert page.locator("#stage").get_by_text("我们已收到您的申请").is_visible()
    screenshot(page, f"{device}-5-status")
    page.locator("#withdraw").click()
    screenshot(page, f"{device}-6-withdraw-confirm")
    page.get_by_role("button", name="确认撤回").click()
    assert page.locator("#stage").get_by_text("您已撤回这份申请").is_visible()
    screenshot(page, f"{device}-7-withdrawn")
    assert Application.objects.get(pk=application.pk).stage == Application.Stage.WITHDRAWN
    context.close()


@pytest.mark.worker
def test_hr_sees_the_scored_explained_result_within_seconds(browser, live_server, celery_worker, hr_user, screenshot):
    load_fixtures()
    no_chat_delays()
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(f"{live_server.url}/jobs/double11-cs-specialist/apply/")
    take_typing_test(page, composition=False)
    take_chats(page)
    answer_everything(page)
    page.get_by_role("button", name="提交申请").click()
    submitted = time.monotonic()
    assert page.get_by_role("heading", name="申请已收到").is_visible()
    phone.close()

    desk = browser.new_context(**DESKTOP)
    hr = desk.new_page()
    log_in_to_hr(hr, f"{live_server.url}/hr/", hr_user.username)
    hr.get_by_role("link", name="电商客服专员（双11）").click()
    row = hr.locator("#applicants tr", has_text="李小明")
    while not row.locator(".badge", has_text="建议").count() and not row.locator(".badge", has_text="审核").count():
        assert time.monotonic() - submitted < 5, "not scored within 5 seconds of submitting"
        time.sleep(0.25)
        hr.reload()
    screenshot(hr, "desktop-hr-list")
    application = Application.objects.get(applicant__phone="13800138000")
    assert row.locator(".score").inner_text().startswith(str(application.evaluation.score))
    row.get_by_role("link", name="李小明").click()
    assert hr.locator("#results").get_by_text("学历 本科 ≥ 要求 高中").is_visible()
    assert hr.locator("#results").get_by_text("打字").count() >= 1
    screenshot(hr, "desktop-hr-detail")
    hr.get_by_role("button", name="English").click()
    assert (
        hr.locator("#results")
        .get_by_text("Education: bachelor's degree, meets the required senior high school")
        .is_visible()
    )
    desk.close()
