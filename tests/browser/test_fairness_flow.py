"""Fairness in the browser (issue 16): the adverse-impact report and the impact assessment on a desktop, the
voluntary self-identification after applying on a phone. Screenshots in test-artifacts/ to look at."""

import pytest

from screening.models import Application, VoluntarySelfId
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory
from tests.hr.test_fairness_report import build_population

from .helpers import log_in_to_admin, log_in_to_hr

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_hr_reads_the_impact_report_and_prints_the_assessment(browser, live_server, hr_user, screenshot):
    job = build_population(hr_user)
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    log_in_to_hr(page, f"{live_server.url}/hr/jobs/{job.slug}/", hr_user.username)
    page.locator("#fairness-link").click()
    flagged = page.locator("#fairness-flagged")
    assert flagged.get_by_text("学历：高中及以上").is_visible()
    row = page.locator("table[data-dimension=age] tr[data-requirement='cs/education']")
    assert row.locator("[data-flag]").is_visible()
    screenshot(page, "desktop-fairness-1-report")
    page.locator("#requirements").scroll_into_view_if_needed()
    page.screenshot(path=str(_shot("desktop-fairness-2-requirements")))

    page.locator("#assessment-link").click()
    assert page.get_by_role("heading", name="招聘筛选影响评估").is_visible()
    assert page.locator("#review-requests").inner_text() == "0"  # no candidate asked for a human review
    screenshot(page, "desktop-assessment-1-screen")
    page.emulate_media(media="print")
    assert not page.locator(".screen-only").is_visible()
    screenshot(page, "desktop-assessment-2-print")
    context.close()


def _shot(name):
    from tests.browser.conftest import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"


def test_candidate_answers_the_voluntary_question_on_a_phone(browser, live_server, screenshot):
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "education_at_least", "level": "senior_high"})
    job = JobFactory(title="电商客服专员", checklists=[checklist])
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/jobs/{job.slug}/apply/")
    page.fill("#id_name", "李小明")
    page.fill("#id_email", "xiaoming@example.com")
    page.fill("#id_phone", "138 0013 8000")
    page.select_option("#id_education", "bachelor")
    page.check("#id_consent_privacy")
    page.get_by_role("button", name="提交申请").click()
    assert page.get_by_role("heading", name="申请已收到").is_visible()
    question = page.locator("#self-id")
    assert not question.locator("#id_self_id_consent").is_checked()
    question.scroll_into_view_if_needed()
    screenshot(page, "phone-self-id-1-question")

    question.get_by_label("女").check()
    question.locator("#self-id-submit").click()  # the consent not ticked: asked for, nothing kept
    assert page.locator("#self-id").get_by_text("请勾选同意后再提交").is_visible()
    assert not VoluntarySelfId.objects.exists()
    screenshot(page, "phone-self-id-2-needs-consent")

    page.locator("#id_self_id_consent").check()
    page.locator("#self-id-submit").click()
    assert page.locator("#self-id-thanks").is_visible()
    screenshot(page, "phone-self-id-3-thanks")
    answer = VoluntarySelfId.objects.get()
    assert (answer.application_id, answer.sex) == (Application.objects.get().pk, "female")
    context.close()


def test_admin_sees_the_adverse_impact_of_a_proposed_change(
    browser, live_server, hr_user, django_user_model, screenshot
):
    import json

    from screening.models import Checklist

    build_population(hr_user)
    Application.objects.update(stage="applied")  # all current: the preview compares open applications only
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-for-tests-only")
    checklist = Checklist.objects.get(slug="cs")
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    log_in_to_admin(page, live_server.url)
    page.goto(f"{live_server.url}/admin/screening/checklist/{checklist.pk}/change/")
    page.fill("#id_requirements-0-condition", json.dumps({"kind": "education_at_least", "level": "junior_middle"}))
    with context.expect_page() as opened:
        page.get_by_role("button", name="预览修改的影响").click()
    preview = opened.value
    table = preview.locator(".whatif-impact")
    table.wait_for(timeout=20_000)
    education = table.locator("tbody tr").filter(has_text="学历")
    # now flagged by age (45 and over fail it far more often); asking junior middle school instead, not
    table.scroll_into_view_if_needed()
    screenshot(preview, "desktop-admin-preview-impact")
    # cells: age now, age proposed, sex now, sex proposed: flagged now by age, not once junior middle school will do
    flags = [cell.get_attribute("data-flag") is not None for cell in education.locator("td").all()]
    assert flags == [True, False, False, False]
    context.close()
