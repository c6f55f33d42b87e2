"""A candidate applies on a phone; HR sees the scored, explained result in the browser."""

import time

import pytest

from screening.models import Application
from screening.seed import load_fixtures

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.worker]

GOOD_TEXT = "您好，非常抱歉给您带来不便，我马上帮您核实查询物流，尽快为您补发或退款，谢谢您的耐心。"


def _answer_everything(page):
    """Answer every question the form shows, the way a good candidate would."""
    page.fill("#id_name", "李小明")
    page.fill("#id_email", "xiaoming@example.com")
    page.fill("#id_phone", "138 0013 8000")
    if page.locator("#id_date_of_birth").count():
        page.fill("#id_date_of_birth", "1999-03-15")
    if page.locator("#id_education").count():
        page.select_option("#id_education", "bachelor")
    for number in page.locator("input[type=number]").all():
        number.fill("80" if number.get_attribute("name") == "typing_cpm" else "3")
    names = {r.get_attribute("name") for r in page.locator("input[type=radio]").all()}
    for name in sorted(names):
        radios = page.locator(f"input[type=radio][name={name}]")
        values = [r.get_attribute("value") for r in radios.all()]
        best = "5" if "5" in values else "yes" if "yes" in values else None
        page.check(
            f"input[type=radio][name={name}][value='{best}']" if best else f"input[type=radio][name={name}] >> nth=0"
        )
    for box in page.locator("input[type=checkbox]").all():
        box.check()
    for area in page.locator("textarea").all():
        area.fill(GOOD_TEXT)


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
    _answer_everything(page)
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
