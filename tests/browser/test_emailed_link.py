"""The status link e-mailed to a candidate opens their application on whatever port the portal runs on: the live
server listens on a port the system picks, never the development default 8000."""

import re

import pytest
from django.core import mail

from tests.browser.conftest import PHONE
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_emailed_status_link_follows_the_port_the_portal_runs_on(browser, live_server, settings):
    settings.SITE_URL = ""  # development: no site configured
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "education_at_least", "level": "senior_high"})
    job = JobFactory(slug="link-job", title="电商客服专员", checklists=[checklist])
    assert not live_server.url.endswith(":8000")

    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/jobs/{job.slug}/apply/")
    page.fill("#id_name", "王芳")
    page.fill("#id_email", "wf@example.com")
    page.fill("#id_phone", "13800138001")
    page.select_option("#id_education", "bachelor")
    page.check("#id_consent_privacy")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(f"**/jobs/{job.slug}/applied/**")

    (message,) = mail.outbox
    (link,) = re.findall(r"https?://\S+/status/\S+/", message.body)
    assert link.startswith(live_server.url + "/status/")
    reader = browser.new_context(**PHONE).new_page()  # another browser: only the link gives access
    reader.goto(link)
    assert reader.get_by_role("heading", name="申请进度").is_visible()
    assert "电商客服专员" in reader.content()
