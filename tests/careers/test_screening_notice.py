"""Before submitting, the form says that answers are scored automatically against the job's published
requirements, that a person makes every decision, and how to ask for a human review; the version of that notice
is recorded with the submission (PIPL art. 24, EU AI Act art. 86)."""

import json

import pytest
from django.urls import reverse

from screening import services
from screening.models import Application
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def job():
    checklist = ChecklistFactory()
    RequirementFactory(
        checklist=checklist, title="学历：高中及以上", condition={"kind": "education_at_least", "level": "senior_high"}
    )
    return JobFactory(checklists=[checklist])


def _data(**extra):
    return {"name": "陈静", "email": "chenjing@example.com", "phone": "13912345678", "education": "bachelor",
            "consent_privacy": "on", **extra}  # fmt: skip


def _post(client, job, **extra):
    return client.post(reverse("job_apply", args=[job.slug]), _data(**extra), REMOTE_ADDR="10.1.1.1")


def test_the_form_shows_the_notice_with_its_version_before_the_submit_button(client, job, settings):
    settings.SCREENING_NOTICE_VERSION = "2031-02-03"
    page = client.get(reverse("job_apply", args=[job.slug])).content.decode()
    notice = page.index('id="screening-notice"')
    assert notice < page.index('type="submit"')
    section = page[notice : page.index("</section>", notice)]
    assert "自动评分" in section and "每一项决定都由招聘人员做出" in section and "人工复核" in section
    assert "版本 2031-02-03" in section
    assert reverse("job_detail", args=[job.slug]) in section  # the published requirements it is scored against


def test_the_notice_is_in_english_on_request(client, job, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("job_apply", args=[job.slug])).content.decode()
    assert 'id="screening-notice"' in page and "Version " + settings.SCREENING_NOTICE_VERSION in page


def test_the_submission_records_the_notice_version_and_an_update_the_version_shown_then(
    client, job, settings, django_capture_on_commit_callbacks
):
    settings.SCREENING_NOTICE_VERSION = "2031-02-03"
    with django_capture_on_commit_callbacks(execute=False):
        assert _post(client, job).status_code == 302
    application = Application.objects.get()
    assert application.screening_notice_version == "2031-02-03"

    # the owner updates after the notice changed: the version they saw this time
    settings.SCREENING_NOTICE_VERSION = "2031-05-06"
    token = services.application_issue_status_token(application=application)
    client.get(reverse("application_status", args=[token]))
    with django_capture_on_commit_callbacks(execute=False):
        assert _post(client, job, confirm_update="1").status_code == 302
    application.refresh_from_db()
    assert application.screening_notice_version == "2031-05-06"
    exported = json.loads(client.get(reverse("application_status_data", args=[application.pk])).content)
    assert exported["screening_notice_version"] == "2031-05-06"


def test_an_imported_application_saw_no_notice(job):
    application = services.application_create(
        job=job, name="导入的人", email="", phone="13800000009", profile={}, answers={}, source="import"
    )
    assert application.screening_notice_version == ""
