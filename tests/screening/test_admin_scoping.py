"""Admin is for admins: HR reviewers work in /hr/, scoped to their jobs; in admin nobody moves an application
to another job or person or replaces its résumé, and every look at a person's record is in the access log."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from screening.models import AuditEvent
from tests.factories import ApplicantFactory, ApplicationFactory, JobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def two_jobs(hr_user, django_user_model):
    """The HR reviewer's own job and another team's job, one applicant each."""
    own = JobFactory(title="本组职位")
    own.hiring_team.add(hr_user)
    other = JobFactory(title="别组职位")
    other.hiring_team.add(django_user_model.objects.create_user("other-team", password="x", is_staff=True))
    mine = ApplicationFactory(job=own, applicant__name="本组的人")
    theirs = ApplicationFactory(job=other, applicant__name="别组的人")
    return mine, theirs


def _change_form(application, *, job, applicant, resume=None) -> dict:
    """The application change form as a browser posts it, asking for another job, person and résumé."""
    submitted = timezone.localtime(application.submitted_at)
    data = {
        "applicant": str(applicant.pk),
        "job": str(job.pk),
        "source": "web",
        "submitted_at_0": submitted.strftime("%Y-%m-%d"),
        "submitted_at_1": submitted.strftime("%H:%M:%S"),
        "evaluation-TOTAL_FORMS": "0",
        "evaluation-INITIAL_FORMS": "0",
        "evaluation-MIN_NUM_FORMS": "0",
        "evaluation-MAX_NUM_FORMS": "1",
    }
    if resume is not None:
        data["resume"] = resume
    return data


def _not_a_pdf():
    # what the careers form refuses: a page of script under a .pdf name
    return SimpleUploadedFile("cv.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")


def test_an_hr_reviewer_cannot_list_applicants_in_admin(hr_client, two_jobs):
    login = reverse("admin:login")
    for name in ("screening_application_changelist", "screening_applicant_changelist"):
        response = hr_client.get(reverse(f"admin:{name}"))
        assert response.status_code == 302, name
        assert response["Location"].startswith(login), name
        assert "别组的人" not in response.content.decode() and "本组的人" not in response.content.decode()


def test_an_hr_reviewer_cannot_open_any_applicant_in_admin(hr_client, two_jobs):
    login = reverse("admin:login")
    for application in two_jobs:  # neither another team's applicant nor one of the reviewer's own job
        for url in (
            reverse("admin:screening_application_change", args=[application.pk]),
            reverse("admin:screening_applicant_change", args=[application.applicant_id]),
        ):
            response = hr_client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(login), url
    assert AuditEvent.objects.count() == 0


def test_an_hr_reviewer_cannot_change_the_job_or_resume_in_admin(hr_client, two_jobs):
    mine, theirs = two_jobs
    url = reverse("admin:screening_application_change", args=[mine.pk])
    response = hr_client.post(url, _change_form(mine, job=theirs.job, applicant=mine.applicant, resume=_not_a_pdf()))
    mine.refresh_from_db()
    assert mine.job.title == "本组职位"
    assert mine.resume.name == ""
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_an_admin_cannot_change_the_job_applicant_or_resume_of_an_application(admin_client):
    application = ApplicationFactory(job=JobFactory(title="原职位"), applicant__name="原来的人")
    other_job = JobFactory(title="另一个职位")
    other_person = ApplicantFactory(name="另一个人")
    url = reverse("admin:screening_application_change", args=[application.pk])
    form = _change_form(application, job=other_job, applicant=other_person, resume=_not_a_pdf())
    form["needs_manual_review"] = "on"  # what admin may still correct
    response = admin_client.post(url, form)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.needs_manual_review is True
    assert application.job.title == "原职位"
    assert application.applicant.name == "原来的人"
    assert application.resume.name == ""


def test_applications_are_not_added_in_admin(admin_client):
    assert admin_client.get(reverse("admin:screening_application_add")).status_code == 403


def test_the_resume_in_admin_opens_through_the_logged_hr_route(admin_client):
    application = ApplicationFactory()
    application.resume.save("cv.pdf", SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n%%EOF\n"))
    page = admin_client.get(reverse("admin:screening_application_change", args=[application.pk])).content.decode()
    assert f'href="/hr/applications/{application.pk}/resume/"' in page
    assert 'type="file"' not in page


def test_an_admin_viewing_an_applicant_writes_an_access_log_line(admin_client):
    applicant = ApplicantFactory(name="被查看的人")
    response = admin_client.get(reverse("admin:screening_applicant_change", args=[applicant.pk]))
    assert response.status_code == 200 and "被查看的人" in response.content.decode()
    event = AuditEvent.objects.get()
    assert (event.actor_id, event.action, event.application_id, event.job_id) == (
        admin_client.user.pk,
        "view_applicant",
        None,
        None,
    )
    assert event.detail == {"applicant": applicant.pk, "via": "admin"}


def test_an_admin_viewing_an_application_writes_an_access_log_line(admin_client):
    job = JobFactory()
    application = ApplicationFactory(job=job, applicant__name="被查看的人")
    response = admin_client.get(reverse("admin:screening_application_change", args=[application.pk]))
    assert response.status_code == 200 and "被查看的人" in response.content.decode()
    event = AuditEvent.objects.get()
    assert (event.actor_id, event.action, event.application_id, event.job_id) == (
        admin_client.user.pk,
        "view_application",
        application.pk,
        job.pk,
    )
    assert event.detail == {"via": "admin"}
