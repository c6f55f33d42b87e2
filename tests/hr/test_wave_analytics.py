"""HR's wave analytics page and its plan: who may set the plan, what a wrong plan is told, the page's scoping and the
same number of queries for a small and a large wave."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from screening.models import Application, StageChange
from screening.roles import ensure_roles
from screening.waves import planning
from screening.waves.models import Booking, Invitation, WavePlan
from tests.factories import ApplicationFactory, JobFactory
from tests.waves.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_job(django_user_model):
    insider = django_user_model.objects.create_user("insider", password="x", is_staff=True)
    insider.groups.add(ensure_roles())
    job = JobFactory(title="双11客服")
    job.hiring_team.add(insider)
    return job, insider


def test_hr_of_the_job_sets_the_plan(team_job):
    job, insider = team_job
    plan = planning.wave_plan_save(job=job, by=insider, headcount_target=30, deadline=date(2027, 10, 31))
    assert (plan.headcount_target, plan.deadline, plan.start_date) == (30, date(2027, 10, 31), None)
    planning.wave_plan_save(
        job=job, by=insider, headcount_target=25, deadline=date(2027, 10, 31), start_date=date(2027, 9, 1)
    )
    assert WavePlan.objects.filter(job=job).values_list("headcount_target", "start_date").get() == (
        25,
        date(2027, 9, 1),
    )


def test_a_reviewer_without_the_job_cannot_set_its_plan(team_job, hr_user):
    job, _insider = team_job  # hr_user is not on its hiring team
    with pytest.raises(PermissionDenied):
        planning.wave_plan_save(job=job, by=hr_user, headcount_target=30, deadline=date(2027, 10, 31))
    assert not WavePlan.objects.exists()


def test_a_reviewer_who_may_not_change_applications_cannot_set_a_plan(hr_user):
    hr_user.groups.clear()
    hr_user.user_permissions.add(Permission.objects.get(codename="view_application"))
    with pytest.raises(PermissionDenied):
        planning.wave_plan_save(job=JobFactory(), by=hr_user, headcount_target=3, deadline=date(2027, 1, 1))


def test_a_wrong_plan_is_refused_with_what_is_wrong(hr_user):
    job = JobFactory()
    with pytest.raises(planning.PlanInvalid) as refused:
        planning.wave_plan_save(
            job=job, by=hr_user, headcount_target=0, deadline=date(2027, 1, 1), start_date=date(2027, 2, 1)
        )
    assert set(refused.value.errors) == {"headcount_target", "start_date"}
    assert "至少为 1" in refused.value.errors["headcount_target"]
    assert not WavePlan.objects.exists()


def test_the_page_keeps_what_was_typed_when_the_plan_is_wrong(hr_client):
    job = JobFactory()
    url = reverse("hr:job_wave_plan", args=[job.slug])
    response = hr_client.post(url, {"headcount_target": "12", "deadline": "2027-01-01", "start_date": "2027-03-01"})
    page = response.content.decode().replace("\xa0", " ")
    assert response.status_code == 400
    assert "开始日期不能晚于截止日期" in page
    assert 'value="12"' in page and 'value="2027-03-01"' in page
    response = hr_client.post(url, {"headcount_target": "", "deadline": "2027-01-01"})
    assert response.status_code == 400 and 'value="2027-01-01"' in response.content.decode().replace("\xa0", " ")
    assert not WavePlan.objects.exists()
    response = hr_client.post(url, {"headcount_target": "12", "deadline": "2027-01-01"})
    assert response.status_code == 302 and WavePlan.objects.get().headcount_target == 12


def test_another_teams_job_is_not_found(team_job, hr_client):
    job, _insider = team_job
    assert hr_client.get(reverse("hr:job_wave_analytics", args=[job.slug])).status_code == 404
    response = hr_client.post(reverse("hr:job_wave_plan", args=[job.slug]), {"headcount_target": 3})
    assert response.status_code == 404 and not WavePlan.objects.exists()


def test_the_page_without_a_plan_asks_for_one_and_says_dash_for_no_one(hr_client):
    job = JobFactory()
    ApplicationFactory(job=job)
    page = hr_client.get(reverse("hr:job_wave_analytics", args=[job.slug])).content.decode().replace("\xa0", " ")
    assert 'id="burndown-no-plan"' in page
    assert "0 / 0 · —" in page.split('id="kpi-show"')[1].split("</div>")[0]
    assert "0 / 0 · —" in page.split('id="kpi-booking"')[1].split("</div>")[0]


def test_the_page_shows_the_plan_and_the_tables(hr_client, hr_user):
    job = JobFactory()
    today = timezone.localdate()
    WavePlan.objects.create(job=job, headcount_target=4, start_date=today - timedelta(days=3), deadline=today)
    hired = ApplicationFactory(job=job, stage=Application.Stage.HIRED)
    StageChange.objects.create(application=hired, from_stage="offer", to_stage="hired", created_at=timezone.now())
    page = hr_client.get(reverse("hr:job_wave_analytics", args=[job.slug])).content.decode().replace("\xa0", " ")
    assert "1 / 4 · 25 %" in page.split('id="kpi-hires"')[1].split("</div>")[0]
    assert page.split('id="kpi-days"')[1].split("</div>")[0].strip(">").strip() == "1"
    assert 'value="4"' in page  # the plan in its form
    for table in ("wave-burndown", "wave-funnel", "wave-durations", "wave-hours", "wave-weekdays", "wave-sources"):
        assert f'id="{table}"' in page


def _wave(job, n, hr_user):
    session = SessionFactory(job=job, capacity=n, starts_at=timezone.now() + timedelta(days=1))
    for i in range(n):
        application = ApplicationFactory(job=job, stage=Application.Stage.INTERVIEW, source="web" if i % 2 else "api")
        StageChange.objects.create(application=application, from_stage="applied", to_stage="interview")
        Invitation.objects.create(application=application, invited_by=hr_user)
        Booking.objects.create(session=session, application=application, attendance="no_show")  # marked: counted
    from screening.waves.models import Session

    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(days=1))
    WavePlan.objects.create(job=job, headcount_target=n, deadline=timezone.localdate() + timedelta(days=20))


@pytest.mark.parametrize("n", [2, 40])
def test_the_page_reads_a_large_wave_in_as_many_queries_as_a_small_one(
    hr_client, hr_user, n, django_assert_max_num_queries
):
    job = JobFactory()
    _wave(job, n, hr_user)
    with django_assert_max_num_queries(16):
        response = hr_client.get(reverse("hr:job_wave_analytics", args=[job.slug]))
    assert (
        f"0 / {n} · 0 %" in response.content.decode().replace("\xa0", " ").split('id="kpi-show"')[1].split("</div>")[0]
    )
