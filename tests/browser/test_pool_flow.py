"""The next wave in the browser: HR rejects a good candidate with no seat and offers the talent pool; the candidate
joins on a phone from the rejection e-mail; HR invites the pool to a new job in one action; the candidate opens the
e-mailed link and finds the form pre-filled (the typing test to take again), submits, and HR sees 人才库邀请."""

import pytest
from django.core import mail

from screening.models import Application, TalentPoolEntry
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import ApplicantFactory, ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory
from tests.pool_helpers import PROFILE

from .helpers import log_in_to_hr, take_typing_test

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _link(message, marker):
    return next(w for w in message.body.split() if marker in w)


def test_rejected_joins_the_pool_is_invited_and_reapplies_prefilled(
    browser, live_server, hr_user, settings, screenshot
):
    settings.SITE_URL = live_server.url
    first_wave = JobFactory(title="618 售前客服")
    checklist = ChecklistFactory()
    for condition in (
        {"kind": "education_at_least", "level": "senior_high"},
        {"kind": "experience_at_least", "field": "customer_service", "years": 1},
        {"kind": "certificate_at_least", "level": "representative"},
        {"kind": "declared", "declaration": "accepts_shifts"},
        {"kind": "typing_at_least", "cpm": 20},
    ):
        RequirementFactory(checklist=checklist, condition=condition)
    next_wave = JobFactory(title="双11 售后客服", checklists=[checklist])
    application = ApplicationFactory(
        job=first_wave,
        stage=Application.Stage.INTERVIEW,
        applicant=ApplicantFactory(name="王芳", email="wangfang@example.com", phone="13900000001"),
        profile=dict(PROFILE),
    )

    hr = browser.new_context(**DESKTOP).new_page()
    log_in_to_hr(hr, f"{live_server.url}/hr/applications/{application.pk}/", "hr-test")
    hr.select_option("#reject-form select[name=reason]", "position_filled")
    hr.check("#offer-pool")
    hr.click("#reject")
    hr.get_by_text("已记录您的决定").wait_for()

    (rejection,) = mail.outbox
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(_link(rejection, "/status/"))
    phone.locator("#pool").scroll_into_view_if_needed()
    screenshot(phone, "phone-pool-1-offer")
    phone.check("#pool-consent")
    phone.click("#pool-join")
    phone.locator("#pool-member").wait_for()
    assert TalentPoolEntry.objects.get().applicant_id == application.applicant_id

    hr.goto(f"{live_server.url}/hr/pool/")
    screenshot(hr, "desktop-pool-2-hr-pool")
    hr.check(f"#entry-{TalentPoolEntry.objects.get().pk}")
    hr.select_option("#invite-job", next_wave.slug)
    hr.click("#invite-selected")
    hr.get_by_text("已向 1 人发出邀请").wait_for()

    _leave_someone_elses_draft(phone, live_server.url, next_wave.slug)  # the phone is shared
    invitation = next(m for m in mail.outbox if "/invited/" in m.body)
    phone.goto(_link(invitation, "/invited/"))
    phone.locator("#id_name").wait_for()
    # the pre-filled form takes nothing from that draft, and drops it
    assert phone.input_value("#id_name") == "王芳" and phone.input_value("#id_phone") == "13900000001"
    assert phone.evaluate(f"localStorage.getItem('apply-draft:{next_wave.slug}')") is None
    assert phone.input_value("#id_education") == "bachelor"
    assert phone.input_value("#id_work_history-0-start") == "2021-03"
    assert phone.is_checked("#id_work_history-0-now")
    assert phone.input_value("#id_certificates-0-level") == "representative"
    assert not phone.is_checked("#id_consent_privacy")  # asked again
    assert phone.locator("input[name=typing_result]").input_value() == ""  # the typing test is taken again
    assert phone.locator("#prefilled-notice").is_visible()
    screenshot(phone, "phone-pool-3-prefilled")
    take_typing_test(phone, composition=False)
    phone.check("#id_consent_privacy")
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_url(lambda url: "/applied/" in url)

    new = Application.objects.get(job=next_wave)
    assert new.applicant_id == application.applicant_id and new.source == Application.Source.POOL
    hr.goto(f"{live_server.url}/hr/applications/{new.pk}/")
    assert "人才库邀请" in hr.locator("#source").inner_text()


def _leave_someone_elses_draft(page, base: str, slug: str) -> None:
    """A draft of the job's form that another person left on this device (apply-form.js keeps drafts there)."""
    page.goto(f"{base}/")
    values = {"name": "别人的草稿", "education": "junior_middle"}
    page.evaluate(
        "([key, values]) => localStorage.setItem(key, JSON.stringify({savedAt: Date.now(), values}))",
        [f"apply-draft:{slug}", values],
    )
