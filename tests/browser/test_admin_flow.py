"""Admins in the browser: the sensitive-conditions warning and its acknowledgement, chat scenarios inline, the
preview of a checklist change."""

import json

import pytest

from screening.models import Checklist, Evaluation, Requirement
from screening.seed import load_fixtures
from screening.services import applications_score
from screening.services.preview import preview_run
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import log_in_to_admin
from tests.factories import ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_admin_acknowledges_the_warning_on_a_checklist_that_filters_on_age(
    browser, live_server, django_user_model, screenshot
):
    load_fixtures(jobs=False)
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-for-tests-only")
    checklist = Checklist.objects.get(slug="cs-clerk")  # age 20–30 (seed 002's 客服部文员)
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    log_in_to_admin(page, live_server.url)
    page.goto(f"{live_server.url}/admin/screening/checklist/")
    assert page.locator("#result_list").get_by_text("待确认").count() >= 1
    screenshot(page, "desktop-admin-checklists")

    page.goto(f"{live_server.url}/admin/screening/checklist/{checklist.pk}/change/")
    warning = page.locator(".sensitive-warning")
    assert warning.get_by_text("就业促进法", exact=False).is_visible()
    assert warning.get_by_text("年龄", exact=False).first.is_visible()
    screenshot(page, "desktop-admin-sensitive-warning")
    warning.get_by_role("button").click()
    page.locator(".messagelist").get_by_text("已确认该清单的敏感条件").wait_for()  # after the redirect
    assert page.locator(".sensitive-warning").count() == 0
    assert page.locator(".sensitive-acknowledged").get_by_text("boss", exact=False).is_visible()

    chat_list = Checklist.objects.get(slug="ecommerce-cs-duties")  # the lost-parcel chat (快递)
    page.goto(f"{live_server.url}/admin/screening/checklist/{chat_list.pk}/change/")
    assert page.locator("#chat_scenarios-group").get_by_text("快递", exact=False).first.is_visible()
    page.locator("#chat_scenarios-group").scroll_into_view_if_needed()
    screenshot(page, "desktop-admin-chat-scenarios")
    context.close()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_admin_previews_a_stricter_requirement_before_saving_it(
    browser, live_server, django_user_model, screenshot, settings, device
):
    """On the phone the preview goes to the background: the page polls until the work is done (done here, as the
    worker's task does it, so that the waiting page is seen), then shows the table."""
    if device == "phone":
        settings.WHATIF_INLINE_LIMIT = 0
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-for-tests-only")
    checklist = ChecklistFactory(slug="basic", name="电商客服基本条件")
    edu = RequirementFactory(
        checklist=checklist, code="edu", title="学历", knockout=True, weight=2,
        condition={"kind": "education_at_least", "level": "senior_high"},
    )  # fmt: skip
    RequirementFactory(
        checklist=checklist, code="exp", title="客服经验", order=1,
        condition={"kind": "experience_at_least", "field": "customer_service", "years": 1},
    )  # fmt: skip
    job = JobFactory(title="电商客服专员（双11）", checklists=[checklist])
    people = {"钱多多": "bachelor", "孙小美": "senior_high", "李中专": "secondary_vocational"}
    for name, education in {**people, "周大专": "junior_college"}.items():
        ApplicationFactory(
            job=job, applicant__name=name, profile={"education": education, "experience": {"customer_service": 2}}
        )
    applications_score(application_ids=list(job.applications.values_list("pk", flat=True)))
    stored = sorted(Evaluation.objects.values_list("application_id", "score", "recommendation"))

    context = browser.new_context(**(PHONE if device == "phone" else DESKTOP))
    page = context.new_page()
    log_in_to_admin(page, live_server.url)
    page.goto(f"{live_server.url}/admin/screening/checklist/{checklist.pk}/change/")
    bachelor = json.dumps({"kind": "education_at_least", "level": "bachelor"})
    page.fill("#id_requirements-0-condition", bachelor)
    button = page.get_by_role("button", name="预览修改的影响")
    button.scroll_into_view_if_needed()
    screenshot(page, f"admin-{device}-preview-1-form")
    with context.expect_page() as opened:
        button.click()
    preview = opened.value  # a new tab: the edits stay in this one
    if device == "phone":
        # the waiting page; or, when a worker of this test session took the task already, its progress or result
        preview.locator("[data-preview-progress], .whatif-matrix").first.wait_for()
        screenshot(preview, f"admin-{device}-preview-2-waiting")
        if not preview.locator(".whatif-matrix").count():
            preview_run(preview_id=preview.url.rstrip("/").rsplit("/", 1)[1])  # what the worker's task runs
    matrix = preview.locator(".whatif-matrix")
    matrix.wait_for(timeout=20_000)  # on the phone: once the page has polled and reloaded
    # advance → reject: the three whose 高中 / 中专 / 大专 no longer meets 本科
    assert matrix.locator("tbody tr").nth(0).locator("td").nth(2).inner_text() == "3"
    assert preview.locator(".whatif-sample").get_by_text("孙小美").is_visible()
    assert preview.locator(".whatif-sample").get_by_text("学历").first.is_visible()
    screenshot(preview, f"admin-{device}-preview-3-result")

    # nothing saved: the edit waits in the form, the database has the old requirement and scores
    assert page.input_value("#id_requirements-0-condition") == bachelor
    assert Requirement.objects.get(pk=edu.pk).condition["level"] == "senior_high"
    assert sorted(Evaluation.objects.values_list("application_id", "score", "recommendation")) == stored
    context.close()
