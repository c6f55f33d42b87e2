"""The voluntary self-identification is never shown for a person (issue 16 item 4): HR's detail page, the list,
the exports and admin's application page are the same, byte for byte, whether the person answered or not; and
scoring never reads it."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from screening.models import Application, Evaluation, VoluntarySelfId
from screening.services import applications_score
from tests.factories import ApplicantFactory, ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def application():
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, code="edu", title="学历",
                       condition={"kind": "education_at_least", "level": "senior_high"})  # fmt: skip
    job = JobFactory(checklists=[checklist])
    application = ApplicationFactory(job=job, applicant=ApplicantFactory(name="林小雨"),
                                     profile={"education": "bachelor", "date_of_birth": "1996-05-01"})  # fmt: skip
    applications_score(application_ids=[application.pk])
    return application


def _pages(client, application) -> dict[str, bytes]:
    job = application.job
    pages = {
        "detail": client.get(reverse("hr:application_detail", args=[application.pk])).content,
        "list": client.get(reverse("hr:job_applications", args=[job.slug])).content,
        "csv": client.get(reverse("hr:job_export_csv", args=[job.slug])).content,
    }
    sheet = load_workbook(io.BytesIO(client.get(reverse("hr:job_export_xlsx", args=[job.slug])).content)).active
    pages["xlsx"] = repr(list(sheet.iter_rows(values_only=True))).encode()
    return {name: _CSRF.sub("", body.decode()).encode() for name, body in pages.items()}


def test_hr_pages_and_exports_are_the_same_whether_or_not_the_person_answered(hr_client, application):
    before = _pages(hr_client, application)
    VoluntarySelfId.objects.create(application=application, sex="female", notice_version="test")
    after = _pages(hr_client, application)
    assert after == before
    header = next(csv.reader(io.StringIO(after["csv"].decode("utf-8-sig"))))
    assert not any("性别" in h for h in header)


def test_admins_application_page_does_not_show_it_either(client, django_user_model, application):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    url = reverse("admin:screening_application_change", args=[application.pk])
    before = _CSRF.sub("", client.get(url).content.decode())
    VoluntarySelfId.objects.create(application=application, sex="male", notice_version="test")
    assert _CSRF.sub("", client.get(url).content.decode()) == before
    # and it has no admin page of its own
    assert client.get("/admin/screening/voluntaryselfid/").status_code == 404


def test_scoring_never_reads_it(application):
    VoluntarySelfId.objects.create(application=application, sex="female", notice_version="test")
    before = Evaluation.objects.values("score", "recommendation", "results").get(application=application)
    with CaptureQueriesContext(connection) as queries:
        applications_score(application_ids=[application.pk])
    table = VoluntarySelfId._meta.db_table
    assert queries.captured_queries  # it did score
    assert not [q["sql"] for q in queries.captured_queries if table in q["sql"]]
    assert Evaluation.objects.values("score", "recommendation", "results").get(application=application) == before
    assert "sex" not in Application.objects.get(pk=application.pk).profile
