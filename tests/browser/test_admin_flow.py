"""Admins in the browser: the sensitive-conditions warning and its acknowledgement, chat scenarios inline."""

import pytest

from screening.models import Checklist
from screening.seed import load_fixtures
from tests.browser.conftest import DESKTOP

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_admin_acknowledges_the_warning_on_a_checklist_that_filters_on_age(
    browser, live_server, django_user_model, screenshot
):
    load_fixtures(jobs=False)
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-for-tests-only")
    checklist = Checklist.objects.get(slug="ecommerce-cs-basic")  # age 18+, criminal record, health
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "pw-for-tests-only")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/screening/checklist/")
    assert page.locator("#result_list").get_by_text("待确认").count() >= 1
    screenshot(page, "desktop-admin-checklists")

    page.goto(f"{live_server.url}/admin/screening/checklist/{checklist.pk}/change/")
    warning = page.locator(".sensitive-warning")
    assert warning.get_by_text("就业促进法", exact=False).is_visible()
    assert warning.get_by_text("犯罪记录", exact=False).first.is_visible()
    screenshot(page, "desktop-admin-sensitive-warning")
    warning.get_by_role("button").click()
    page.locator(".messagelist").get_by_text("已确认该清单的敏感条件").wait_for()  # after the redirect
    assert page.locator(".sensitive-warning").count() == 0
    assert page.locator(".sensitive-acknowledged").get_by_text("boss", exact=False).is_visible()

    chat_list = Checklist.objects.get(slug="cs-eight-must-haves")
    page.goto(f"{live_server.url}/admin/screening/checklist/{chat_list.pk}/change/")
    assert page.locator("#chat_scenarios-group").get_by_text("快递", exact=False).first.is_visible()
    page.locator("#chat_scenarios-group").scroll_into_view_if_needed()
    screenshot(page, "desktop-admin-chat-scenarios")
    context.close()
