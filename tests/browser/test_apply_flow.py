"""A candidate applies on a phone; HR sees the scored, explained result in the browser."""

import time

import pytest

from screening.models import Application
from screening.seed import load_fixtures

from .conftest import DESKTOP, PHONE
from .helpers import GOOD_TEXT, answer_everything

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.worker]


def test_candidate_applies_on_a_phone_and_hr_sees_the_scored_result(
    browser, live_server, celery_worker, hr_user, screenshot
):
    load_fixtures()
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", name="正在招聘的客服职位").is_visible()
    page.get_by_text("电商客服专员（双11）").first.click()
    assert page.locator("#must-have").get_by_text("学历").count() == 1
    screenshot(page, "phone-job")
    page.get_by_role("link", name="立即申请").click()

    # a wrong phone number: clear message next to the field, nothing typed is lost
    answer_everything(page)
    page.fill("#id_phone", "12345")
    page.get_by_role("button", name="提交申请").click()
    assert page.get_by_text("请填写 11 位中国大陆手机号").is_visible()
    assert page.input_value("#id_name") == "李小明"
    assert page.locator("textarea").first.input_value() == GOOD_TEXT
    screenshot(page, "phone-apply-error")

    page.fill("#id_phone", "138 0013 8000")
    page.get_by_role("button", name="提交申请").click()
    submitted = time.monotonic()
    assert page.get_by_role("heading", name="申请已提交").is_visible()
    screenshot(page, "phone-applied")
    phone.close()

    desk = browser.new_context(**DESKTOP)
    hr = desk.new_page()
    hr.goto(f"{live_server.url}/hr/")
    hr.fill("#id_username", hr_user.username)
    hr.fill("#id_password", "pw-for-tests-only")
    hr.get_by_role("button", name="登录").click()
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
    screenshot(hr, "desktop-hr-detail")

    # English on request: the evidence is rendered in the reader's language at display time
    hr.get_by_role("button", name="English").click()
    assert hr.locator("#results").get_by_text("education bachelor's degree ≥ required senior high school").is_visible()
    desk.close()
