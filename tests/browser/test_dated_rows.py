"""On a phone: the work history and the certificates typed as rows, rows added and removed with the buttons,
a wrong row explained with everything typed kept, and the stored profile holds the dated lists."""

import pytest

from screening.models import Application
from tests.browser.conftest import PHONE, SHOTS
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _job():
    checklist = ChecklistFactory()
    for condition in (
        {"kind": "experience_at_least", "fields": ["customer_service", "after_sales", "ecommerce"], "years": 2},
        {"kind": "certificate_at_least", "level": "representative", "years_since": 1},
    ):
        RequirementFactory(checklist=checklist, condition=condition)
    return JobFactory(checklists=[checklist], title="售后客服", slug="after-sales-rows")


def test_a_candidate_on_a_phone_adds_two_periods_and_a_certificate(browser, live_server, screenshot):
    job = _job()
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/jobs/{job.slug}/apply/")
    history = page.locator("#id_work_history")
    periods = history.locator("[data-rows-list] > li")
    add = history.get_by_role("button", name="添加一段经历")
    assert periods.count() == 1  # the script keeps one of the blank rows a browser without it shows
    assert add.is_visible()

    first = periods.nth(0)
    first.locator("[data-rows-column=field]").select_option("after_sales")
    first.locator("[data-rows-column=start]").fill("2019-03")
    first.locator("[data-rows-column=end]").fill("2018-06")  # a mistake, corrected after the page says so
    add.click()
    second = periods.nth(1)
    assert second.locator("[data-rows-title]").inner_text() == "第 2 段经历"
    assert second.locator("[data-rows-column=field]").evaluate("el => el === document.activeElement")
    second.locator("[data-rows-column=field]").select_option("ecommerce")
    second.locator("[data-rows-column=start]").fill("2021-07")
    second.get_by_label("至今").check()
    assert second.locator("[data-rows-column=end]").is_disabled()
    add.click()  # one too many: removed again
    periods.nth(2).get_by_role("button", name="删除").click()
    assert periods.count() == 2

    certificates = page.locator("#id_certificates [data-rows-list] > li")
    assert certificates.count() == 1
    certificates.nth(0).locator("[data-rows-column=level]").select_option("representative")
    certificates.nth(0).locator("[data-rows-column=obtained_on]").fill("2018-05-01")
    # the form's 教育与经历 section, to look at
    page.locator("fieldset", has=page.locator("#id_work_history")).first.screenshot(path=SHOTS / "phone-dated-rows.png")

    page.fill("#id_name", "周敏")
    page.fill("#id_email", "zhoumin@example.com")
    page.fill("#id_phone", "12345")  # a mistake elsewhere: the rows must survive it
    page.check("#id_consent_privacy")
    page.get_by_role("button", name="提交申请").click()
    assert page.get_by_text("请填写 11 位中国大陆手机号").is_visible()
    assert page.get_by_text("第 1 段经历：结束月份 2018-06 早于开始月份 2019-03").is_visible()
    assert periods.count() == 2  # the rows typed, no blank one
    assert periods.nth(1).locator("[data-rows-column=start]").input_value() == "2021-07"
    assert periods.nth(1).get_by_label("至今").is_checked()
    assert periods.nth(1).locator("[data-rows-column=end]").is_disabled()
    page.locator("fieldset", has=page.locator("#id_work_history")).first.screenshot(
        path=SHOTS / "phone-dated-rows-error.png"
    )

    periods.nth(0).locator("[data-rows-column=end]").fill("2021-06")
    page.fill("#id_phone", "138 0013 8021")
    page.get_by_role("button", name="提交申请").click()
    assert page.get_by_role("heading", name="申请已收到").is_visible()
    profile = Application.objects.get(job=job).profile
    assert profile["work_history"] == [
        {"field": "after_sales", "start": "2019-03", "end": "2021-06"},
        {"field": "ecommerce", "start": "2021-07", "end": None},
    ]
    assert profile["certificates"] == [{"level": "representative", "obtained_on": "2018-05-01"}]
