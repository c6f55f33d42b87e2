"""The identity-takeover attack replayed through the real form in real browser sessions: the victim's data
stays theirs and the victim's own status link keeps working."""

import pytest
from django.core import mail

from screening.models import Applicant, Application
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

VICTIM = ("王芳", "v@example.com", "138 0013 8001")
ATTACKER = ("坏人", "attacker@evil.test", "138 0013 8001")  # the victim's mobile


def _job(slug, title):
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "education_at_least", "level": "senior_high"})
    return JobFactory(slug=slug, title=title, checklists=[checklist])


def _apply(page, base, job, person):
    name, email, phone = person
    page.goto(f"{base}/jobs/{job.slug}/apply/")
    page.fill("#id_name", name)
    page.fill("#id_email", email)
    page.fill("#id_phone", phone)
    page.select_option("#id_education", "bachelor")
    page.check("#id_consent_privacy")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(f"**/jobs/{job.slug}/applied/**")


def _links_to(address):
    return [m.body.split("/status/")[1].split("/")[0] for m in mail.outbox if m.to == [address]]


def test_attacker_with_the_victims_mobile_cannot_take_over(browser, live_server, settings, screenshot):
    settings.APPLY_RATE = "100/m"
    victims_job, other_job = _job("victims-job", "电商客服专员"), _job("other-job", "售后客服")
    victim = browser.new_context(**PHONE).new_page()
    _apply(victim, live_server.url, victims_job, VICTIM)
    (victim_token,) = _links_to("v@example.com")

    attacker = browser.new_context(**DESKTOP).new_page()
    _apply(attacker, live_server.url, other_job, ATTACKER)  # another job, the victim's mobile
    _apply(attacker, live_server.url, victims_job, ATTACKER)  # then the victim's job: "already applied"
    # the attacker's mailbox holds only the link to their own application
    attacker_links = _links_to("attacker@evil.test")
    assert len(attacker_links) == 1
    attacker.goto(f"{live_server.url}/status/{attacker_links[0]}/")
    assert "售后客服" in attacker.content() and "电商客服专员" not in attacker.content()

    person = Applicant.objects.get(email="v@example.com")
    assert (person.name, person.phone) == ("王芳", "13800138001")
    assert Application.objects.get(job=victims_job).applicant_id == person.pk
    # the victim's first link still opens their application, in their own browser
    victim.goto(f"{live_server.url}/status/{victim_token}/")
    assert victim.get_by_role("heading", name="申请进度").is_visible()
    assert "电商客服专员" in victim.content()
    screenshot(victim, "phone-takeover-victim-status")
