"""The voluntary self-identification on the confirmation page (issue 16 item 4): asked after the application is in,
behind its own unticked consent, stored apart from the application, and the same page for a stranger who typed
someone else's e-mail (whose answer is dropped)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from screening import services
from screening.models import Application, VoluntarySelfId
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def _job():
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "education_at_least", "level": "senior_high"})
    return JobFactory(checklists=[checklist])


def _apply(client, job, **extra):
    data = {"name": "陈静", "email": "chenjing@example.com", "phone": "13912345678", "education": "bachelor",
            "consent_privacy": "on", **extra}  # fmt: skip
    response = client.post(reverse("job_apply", args=[job.slug]), data, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 302
    return response.url


def _done(page_url: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(page_url).query)["done"][0]


@pytest.fixture
def quiet_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        yield callbacks


def test_the_question_comes_after_applying_with_its_own_unticked_consent(client, quiet_commit):
    job = _job()
    apply_page = client.get(reverse("job_apply", args=[job.slug])).content.decode()
    assert "您的性别" not in apply_page  # never part of the application form
    page = client.get(_apply(client, job)).content.decode()
    form = page[page.index('id="self-id"') :]
    assert "自愿回答" in form and "您的性别" in form
    consent = re.search(r'<input[^>]*id="id_self_id_consent"[^>]*>', form)[0]
    assert "checked" not in consent
    assert not re.search(r'type="radio"[^>]*checked', form)  # nothing chosen for them


def test_an_answer_without_consent_is_refused_and_nothing_is_kept(client, quiet_commit):
    job = _job()
    url = _apply(client, job)
    response = client.post(reverse("job_self_id", args=[job.slug]), {"done": _done(url), "sex": "female"})
    assert response.status_code == 200
    assert "请勾选同意后再提交" in response.content.decode()
    assert not VoluntarySelfId.objects.exists()


def test_an_answer_with_consent_is_kept_apart_from_the_application(client, quiet_commit, settings):
    job = _job()
    url = _apply(client, job)
    response = client.post(
        reverse("job_self_id", args=[job.slug]), {"done": _done(url), "sex": "female", "consent": "on"}
    )
    assert response.status_code == 302 and "self_id=answered" in response.url
    assert "谢谢，已收到您的回答" in client.get(response.url).content.decode()
    application = Application.objects.get()
    answer = VoluntarySelfId.objects.get()
    assert (answer.application_id, answer.sex, answer.notice_version) == (
        application.pk,
        "female",
        settings.PRIVACY_NOTICE_VERSION,
    )
    assert "female" not in str(application.profile) and "sex" not in application.profile
    # answered again: the one answer replaced, not a second row
    client.post(reverse("job_self_id", args=[job.slug]), {"done": _done(url), "sex": "prefer_not", "consent": "on"})
    assert list(VoluntarySelfId.objects.values_list("sex", flat=True)) == ["prefer_not"]


def test_a_stranger_gets_the_same_page_and_their_answer_goes_nowhere(client, quiet_commit):
    job = _job()
    _apply(client, job)
    stranger = Client()  # knows the e-mail, not the link
    url = _apply(stranger, job, name="冒名者")
    page = stranger.get(url).content.decode()
    assert "您的性别" in page  # nothing tells them this person had applied
    response = stranger.post(
        reverse("job_self_id", args=[job.slug]), {"done": _done(url), "sex": "male", "consent": "on"}
    )
    assert response.status_code == 302 and "self_id=answered" in response.url
    assert not VoluntarySelfId.objects.exists()


def test_a_forged_or_other_jobs_mark_records_nothing(client, quiet_commit):
    job, other = _job(), _job()
    url = _apply(client, job)
    forged = client.post(reverse("job_self_id", args=[job.slug]), {"done": "x", "sex": "male", "consent": "on"})
    elsewhere = client.post(
        reverse("job_self_id", args=[other.slug]), {"done": _done(url), "sex": "male", "consent": "on"}
    )
    assert forged.url == reverse("job_detail", args=[job.slug])
    assert elsewhere.url == reverse("job_detail", args=[other.slug])
    assert not VoluntarySelfId.objects.exists()


def test_the_answer_goes_with_the_application_and_is_in_the_persons_own_copy(client, quiet_commit):
    job = _job()
    url = _apply(client, job)
    client.post(reverse("job_self_id", args=[job.slug]), {"done": _done(url), "sex": "other", "consent": "on"})
    application = Application.objects.get()
    own = services.application_export(application=application)
    assert own["voluntary_self_id"]["sex"] == "other"  # PIPL art. 45: everything held about them
    services.application_delete(application=application)
    assert not VoluntarySelfId.objects.exists()
