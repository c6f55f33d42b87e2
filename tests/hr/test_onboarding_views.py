"""The onboarding pages: employee data for HR of the job's team and the hire's mentor and assessor only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from screening.onboarding.models import Assessment
from screening.roles import ensure_roles
from tests.factories import JobFactory
from tests.onboarding.planted import planted_hires

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model, hire):
    def user(name, *, hr=False):
        person = django_user_model.objects.create_user(name, password="pw-for-tests-only", is_staff=True)
        if hr:
            person.groups.add(ensure_roles())
        return person

    team_hr, other_hr, mentor, assessor, stranger = (
        user("team-hr", hr=True), user("other-hr", hr=True), user("mentor"), user("assessor"), user("stranger"),
    )  # fmt: skip
    job = hire.application.job
    job.hiring_team.add(team_hr)  # a job with a team: only its members among HR see it
    hire.mentor, hire.assessor = mentor, assessor
    hire.save()
    return {"team_hr": team_hr, "other_hr": other_hr, "mentor": mentor, "assessor": assessor, "stranger": stranger}


@pytest.mark.parametrize(
    ("who", "detail", "assess", "grant"),
    [
        ("team_hr", 200, 200, 302),
        ("mentor", 200, 403, 403),
        ("assessor", 200, 200, 403),
        ("other_hr", 404, 404, 404),  # HR, but not of this job's team
        ("stranger", 404, 404, 404),
    ],
)
def test_who_sees_and_does_what(client, hire, people, who, detail, assess, grant):
    client.force_login(people[who])
    three = hire.assessments.get(code="probation_3m")
    assert client.get(reverse("hr:onboarding_detail", args=[hire.pk])).status_code == detail
    assert client.get(reverse("hr:assessment", args=[hire.pk, three.pk])).status_code == assess
    assert client.post(reverse("hr:onboarding_grant", args=[hire.pk])).status_code == grant
    listed = client.get(reverse("hr:onboarding_list"))
    assert (hire.application.applicant.name in listed.content.decode()) == (detail == 200)


def test_the_mentor_ticks_an_item_and_the_page_says_who(client, hire, people):
    client.force_login(people["mentor"])
    task = hire.tasks.get(title__contains="老员工带教一周")
    client.post(reverse("hr:onboarding_tick", args=[hire.pk, task.pk]), {"done": "1"})
    task.refresh_from_db()
    assert task.done_by == people["mentor"]
    page = client.get(reverse("hr:onboarding_detail", args=[hire.pk])).content.decode()
    assert "mentor 于" in page


def test_a_stranger_cannot_tick(client, hire, people):
    client.force_login(people["stranger"])
    task = hire.tasks.first()
    assert client.post(reverse("hr:onboarding_tick", args=[hire.pk, task.pk]), {"done": "1"}).status_code == 404
    task.refresh_from_db()
    assert task.done_at is None


def test_the_assessor_enters_a_result_through_the_form(client, hire, people):
    client.force_login(people["assessor"])
    three = hire.assessments.get(code="probation_3m")
    url = reverse("hr:assessment", args=[hire.pk, three.pk])
    bad = client.post(url, {"outcome": "pass", "satisfaction": "120"})
    assert bad.status_code == 200 and Assessment.objects.get(pk=three.pk).outcome == ""
    response = client.post(url, {"outcome": "pass", "satisfaction": "97", "first_response_seconds": "11",
                                 "reply_rate": "99.5", "rating_ability": "4"})  # fmt: skip
    assert response.status_code == 302
    three.refresh_from_db()
    assert (three.outcome, three.assessed_by, three.ratings) == ("pass", people["assessor"], {"ability": 4})


def test_the_import_page_reports_each_bad_row(client, hire, people):
    client.force_login(people["team_hr"])
    pk = hire.application_id
    body = f"application,assessment,outcome\n{pk},probation_3m,合格\n{pk},probation_3m,合格\n".encode()
    response = client.post(
        reverse("hr:assessment_import", args=[hire.application.job.slug]),
        {"file": SimpleUploadedFile("results.csv", body, content_type="text/csv")},
    )
    page = response.content.decode()
    assert "已录入 1 条结果" in page and "第 3 行：本职位没有这位员工待录入的这项考核" in page


def test_the_quality_page_is_for_the_jobs_hr_only(client, hire, people):
    url = reverse("hr:job_quality", args=[hire.application.job.slug])
    for who, status in (("team_hr", 200), ("other_hr", 404), ("mentor", 302), ("stranger", 302)):
        client.force_login(people[who])
        assert client.get(url).status_code == status, who


def test_the_quality_page_on_a_planted_population(client, plans, hr_user):
    """300 hires through the database: the page names the requirement that predicts passing as related and
    lists the other one as a suggestion."""
    from screening.onboarding import selectors

    job = JobFactory()
    rows = planted_hires(job=job, assessor=hr_user)
    hires = selectors.job_hire_outcomes(job=job)
    assert len(hires) == 300 and sum(h.passed for h in hires) == sum(p for _a, _b, p in rows)
    client.force_login(hr_user)
    page = client.get(reverse("hr:job_quality", args=[job.slug])).content.decode()
    assert 'data-requirement="c/a" data-verdict="relation"' in page
    assert 'data-requirement="c/b" data-verdict="no_relation"' in page
    assert "要求“要求乙”在 300 名员工中与考核通过没有显示出关系" in page
    assert "要求甲”在" not in page


def test_an_admin_gets_the_link_to_the_checklists_what_if_preview(client, django_user_model, hr_user):
    job = JobFactory()
    planted_hires(job=job, assessor=hr_user)
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "x"))
    page = client.get(reverse("hr:job_quality", args=[job.slug])).content.decode()
    checklist = job.job_checklists.get().checklist
    assert f'href="{reverse("admin:screening_checklist_change", args=[checklist.pk])}"' in page
    client.force_login(hr_user)  # HR reads the suggestion; only an admin may act on it
    assert "admin/" not in client.get(reverse("hr:job_quality", args=[job.slug])).content.decode()


def test_the_onboarding_pages_read_a_fixed_number_of_queries(client, plans, hr_user, django_assert_max_num_queries):
    from screening.services import decisions
    from tests.factories import ApplicationFactory

    def hire_some(n):
        job = JobFactory()
        for _ in range(n):
            decisions.application_decide(application=ApplicationFactory(job=job), to_stage="hired", by=hr_user)

    client.force_login(hr_user)
    hire_some(2)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("hr:onboarding_list"))
    hire_some(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("hr:onboarding_list")).content.decode().count("data-employment=") == 12
