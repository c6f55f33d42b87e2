"""Exports, the detail page's content, notes, and the access log."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from screening.models import Application, AuditEvent
from screening.services import applications_score
from tests.factories import ApplicantFactory, ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def job():
    checklist = ChecklistFactory()
    RequirementFactory(
        checklist=checklist, code="edu", title="学历", condition={"kind": "education_at_least", "level": "senior_high"}
    )
    RequirementFactory(
        checklist=checklist,
        code="health",
        title="身体健康",
        condition={"kind": "declared", "declaration": "good_health"},
    )
    job = JobFactory(checklists=[checklist])
    for name, education in (("周一", "bachelor"), ("吴二", "junior_middle")):
        ApplicationFactory(job=job, applicant=ApplicantFactory(name=name), profile={
            "education": education, "declarations": {"good_health": True}, "major": "电子商务"})  # fmt: skip
    applications_score(application_ids=list(Application.objects.values_list("pk", flat=True)))
    return job


def test_csv_export_has_scores_and_statuses_but_never_health(hr_client, hr_user, job):
    response = hr_client.get(reverse("hr:job_export_csv", args=[job.slug]))
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert "得分" in header and any(h.startswith("学历") for h in header)
    assert not any("健康" in h for h in header)
    assert {r[0] for r in body} == {"周一", "吴二"}
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.job, event.detail["rows"]) == (hr_user, job, 2)


def test_xlsx_export_of_a_filtered_list_and_of_a_selection(hr_client, job):
    response = hr_client.get(reverse("hr:job_export_xlsx", args=[job.slug]), {"recommendation": "advance"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["周一"]
    wu = Application.objects.get(applicant__name="吴二")
    selected = hr_client.post(reverse("hr:job_export_xlsx", args=[job.slug]), {"ids": [wu.pk]})
    sheet = load_workbook(io.BytesIO(selected.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["吴二"]


def test_detail_shows_profile_answers_notes_and_logs_the_view(hr_client, hr_user, job):
    application = Application.objects.get(applicant__name="周一")
    url = reverse("hr:application_detail", args=[application.pk])
    hr_client.post(reverse("hr:application_note", args=[application.pk]), {"text": "电话沟通很顺畅"})
    html = hr_client.get(url).content.decode()
    assert "电子商务" in html and "本科" in html
    assert "电话沟通很顺畅" in html
    profile_section = html[html.index('id="profile"') : html.index('id="answers"')]
    assert "身体健康" not in profile_section  # a sensitive answer is never displayed, only its requirement's status
    assert AuditEvent.objects.filter(actor=hr_user, action="view_application", application=application).exists()


def test_resume_download_is_logged(hr_client, hr_user, job):
    application = Application.objects.get(applicant__name="周一")
    application.resume.save("cv.pdf", SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n%%EOF\n"))
    response = hr_client.get(reverse("hr:application_resume", args=[application.pk]))
    assert response.status_code == 200 and response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert AuditEvent.objects.filter(actor=hr_user, action="download_resume", application=application).count() == 1


def test_audit_events_are_never_changed(hr_user):
    event = AuditEvent.objects.create(actor=hr_user, action="export")
    event.detail = {"rows": 0}
    with pytest.raises(ValueError):
        event.save()
