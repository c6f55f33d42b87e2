"""After the hire, in the browser: HR hires → the onboarding plan appears → the mentor ticks items → the assessor
enters the 3-month assessment → the pass unlocks permissions; on the 6-month exam a second fail flags a transfer.
Screenshots of the checklist, the assessment form and the quality-of-hire page on a desktop and a phone."""

import pytest

from screening.models import Application, Job
from screening.onboarding.models import Employment
from screening.seed import load_fixtures
from screening.services import applications_score
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import ApplicantFactory, ApplicationFactory, JobFactory
from tests.onboarding.planted import planted_hires

from .helpers import log_in_to_hr

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _as(browser, live_server, path, username, device=DESKTOP):
    context = browser.new_context(**device)
    page = context.new_page()
    log_in_to_hr(page, f"{live_server.url}{path}", username)
    # the login posts and redirects: wait for the page asked for, or a check would read the login page (CI did)
    page.wait_for_url(f"{live_server.url}{path}")
    page.wait_for_load_state()
    return page


def _enter_result(page, outcome: str, *, satisfaction="96", seconds="12", rate="99"):
    page.locator("#assessments .enter-result").first.click()
    for select in page.locator("#assessment-form select").all():
        select.select_option("4")
    page.fill("#id_satisfaction", satisfaction)
    page.fill("#id_first_response_seconds", seconds)
    page.fill("#id_reply_rate", rate)
    page.locator("#assessment-form").get_by_label(outcome, exact=True).check()
    page.locator("#save-assessment").click()


def _hired_application(django_user_model):
    """An offer on the seed's double-11 job, scored, and two colleagues to mentor and assess."""
    load_fixtures()
    job = Job.objects.get(slug="double11-cs-specialist")
    application = ApplicationFactory(
        job=job, applicant=ApplicantFactory(name="钱多多"), stage="offer",
        profile={"education": "bachelor", "date_of_birth": "1998-01-01", "typing": {"cpm": 70, "measured": True}},
    )  # fmt: skip
    applications_score(application_ids=[application.pk])
    for name in ("mentor-wang", "assessor-li"):
        django_user_model.objects.create_user(name, password="pw-for-tests-only", is_staff=True,
                                              email=f"{name}@example.com")  # fmt: skip
    return application


def test_hire_onboard_assess_and_transfer(browser, live_server, hr_user, django_user_model, screenshot):
    application = _hired_application(django_user_model)

    # HR hires; the plan appears
    page = _as(browser, live_server, f"/hr/applications/{application.pk}/", hr_user.username)
    page.select_option("#decision select[name=to_stage]", "hired")
    page.locator("#advance").click()
    page.locator("#onboarding-link").click()
    tasks = page.locator("#checklist [data-task]")
    assert tasks.count() == 11
    assert page.locator("#permissions [data-permissions=locked]").is_visible()
    assert page.locator("#grant").is_disabled()
    page.select_option("#id_mentor", label="mentor-wang")
    page.select_option("#id_assessor", label="assessor-li")
    page.locator("#assign").click()
    assert page.locator("#mentor").inner_text() == "mentor-wang"
    employment = Employment.objects.get(application=application)
    detail = f"/hr/onboarding/{employment.pk}/"

    # the mentor ticks two items
    mentor = _as(browser, live_server, detail, "mentor-wang")
    for title in ("老员工带教一周", "岗前培训：客服系统使用"):
        mentor.locator(f"#checklist [data-task*='{title}'] button.tick").click()
        assert mentor.locator(f"#checklist [data-task*='{title}']").get_attribute("data-done") == "1"
    assert mentor.locator("#checklist .done-by").count() == 2
    assert "mentor-wang 于" in mentor.locator("#checklist .done-by").first.inner_text()
    assert mentor.locator("#assessments .enter-result").count() == 0  # a mentor does not assess
    assert mentor.locator("#grant").count() == 0
    screenshot(mentor, "onboarding-desktop-1-checklist")
    phone = _as(browser, live_server, detail, "mentor-wang", PHONE)
    screenshot(phone, "onboarding-phone-1-checklist")

    # the assessor enters the 3-month assessment: a pass
    assessor = _as(browser, live_server, detail, "assessor-li")
    assessor.locator("#assessments .enter-result").first.click()
    assessor.locator("#assessment-form").wait_for()
    screenshot(assessor, "onboarding-desktop-2-assessment-form")
    phone = _as(browser, live_server, assessor.url.removeprefix(live_server.url), "assessor-li", PHONE)
    screenshot(phone, "onboarding-phone-2-assessment-form")
    assessor.go_back()
    _enter_result(assessor, "合格")
    assert assessor.locator("[data-assessment='probation_3m-1']").get_by_text("合格").is_visible()

    # the pass unlocks permissions: HR grants them
    page.reload()
    assert page.locator("#grant").is_enabled()
    page.locator("#grant").click()
    assert page.locator("#permissions [data-permissions=granted]").is_visible()
    employment.refresh_from_db()
    assert employment.permissions_granted_by == hr_user

    # the 6-month exam: a fail gets a retake, the second fail flags a transfer
    _enter_result(assessor, "不合格", satisfaction="70", seconds="300", rate="80")
    assert assessor.locator("[data-assessment='exam_6m-2']").is_visible()
    assert assessor.locator("#transfer-flag").count() == 0
    _enter_result(assessor, "不合格", satisfaction="72", seconds="280", rate="82")
    assert assessor.locator("#transfer-flag").is_visible()
    employment.refresh_from_db()
    assert employment.transfer_flagged
    screenshot(assessor, "onboarding-desktop-3-transfer")


def test_the_quality_of_hire_page(browser, live_server, hr_user, screenshot):
    job = JobFactory(title="电商客服（录用质量示例）")
    planted_hires(job=job, assessor=hr_user)
    for name, device in (("desktop", DESKTOP), ("phone", PHONE)):
        page = _as(browser, live_server, f"/hr/jobs/{job.slug}/quality/", hr_user.username, device)
        assert page.locator("[data-requirement='c/a'][data-verdict=relation]").is_visible()
        assert page.locator("#suggestions [data-requirement='c/b']").is_visible()
        assert page.locator("#overall [data-n='300']").is_visible()
        screenshot(page, f"onboarding-{name}-4-quality")
    assert Application.objects.filter(job=job).count() == 300
