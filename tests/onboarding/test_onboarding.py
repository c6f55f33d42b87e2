"""After the hire: the checklist on hire, ticks, assessments and seed 002's rules, import, reminders, retention."""

import json
import os
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from screening.models import Application
from screening.onboarding import services
from screening.onboarding.models import Assessment, Employment, OnboardingPlan, Outcome
from screening.rules.text import fold
from screening.seed import FIXTURES
from screening.services import application_export, decisions
from screening.services.retention import purge_expired
from tests.factories import ApplicationFactory, JobFactory

pytestmark = pytest.mark.django_db

FAIL = services.AssessmentResult(outcome=Outcome.FAIL)
PASS = services.AssessmentResult(outcome=Outcome.PASS, ratings={"ability": 4}, satisfaction=Decimal("96.5"),
                                 first_response_seconds=Decimal("12"), reply_rate=Decimal("99"))  # fmt: skip


def test_hiring_instantiates_the_plan_with_due_dates_and_the_seed_lines(hire):
    today = timezone.localdate()
    tasks = list(hire.tasks.all())
    assert len(tasks) == 11 and hire.plan.slug == "cs-onboarding" and hire.started_on == today
    shadow = next(t for t in tasks if "老员工带教一周" in t.title)
    assert shadow.owner == "mentor" and shadow.due_on == today + timedelta(days=7)
    assert "安排老员工带他带了将近一个星期" in shadow.description  # seed 004, quoted
    assessments = {a.code: a for a in hire.assessments.all()}
    assert assessments["probation_3m"].due_on == today + timedelta(days=90)
    assert assessments["probation_3m"].unlocks_permissions
    assert assessments["exam_6m"].due_on == today + timedelta(days=180)
    assert not assessments["exam_6m"].unlocks_permissions


def test_a_bulk_hire_instantiates_it_too_and_other_stages_do_not(plans, hr_user):
    job = JobFactory()
    hired, interviewed = ApplicationFactory(job=job), ApplicationFactory(job=job)
    decisions.applications_decide_ids(applications=[hired], to_stage="hired", by=hr_user)
    decisions.applications_decide_ids(applications=[interviewed], to_stage="interview", by=hr_user)
    assert list(Employment.objects.values_list("application_id", flat=True)) == [hired.pk]
    assert Employment.objects.get().tasks.count() == 11


def test_a_job_with_its_own_plan_gets_that_one(plans, hr_user):
    job = JobFactory()
    own = OnboardingPlan.objects.create(slug="own", name="自己的计划")
    own.jobs.add(job)
    application = ApplicationFactory(job=job)
    decisions.application_decide(application=application, to_stage="hired", by=hr_user)
    assert application.employment.plan == own and application.employment.tasks.count() == 0


def test_ticking_records_who_and_when_and_unticking_clears_it(hire, hr_user):
    task = hire.tasks.first()
    services.task_tick(task=task, by=hr_user, done=True)
    assert task.done_by == hr_user and task.done_at is not None
    services.task_tick(task=task, by=hr_user, done=False)
    assert task.done_by is None and task.done_at is None


def test_no_permissions_before_a_pass_and_a_pass_unlocks_them(hire, hr_user):
    with pytest.raises(services.OnboardingError, match="考核合格之前不能开通用户权限"):
        services.employment_grant_permissions(employment=hire, by=hr_user)
    three_months = hire.assessments.get(code="probation_3m")
    services.assessment_record(assessment=three_months, result=PASS, by=hr_user)
    assert three_months.outcome == "pass" and three_months.ratings == {"ability": 4}
    assert three_months.satisfaction == Decimal("96.5") and three_months.assessed_by == hr_user
    services.employment_grant_permissions(employment=hire, by=hr_user)
    assert hire.permissions_granted and hire.permissions_granted_by == hr_user


def test_a_pass_of_the_six_month_exam_alone_does_not_unlock_permissions(hire, hr_user):
    services.assessment_record(assessment=hire.assessments.get(code="exam_6m"), result=PASS, by=hr_user)
    with pytest.raises(services.OnboardingError):
        services.employment_grant_permissions(employment=hire, by=hr_user)


def test_one_fail_gets_a_retake_and_the_second_fail_flags_a_transfer(hire, hr_user):
    exam = hire.assessments.get(code="exam_6m")
    retake = services.assessment_record(assessment=exam, result=FAIL, by=hr_user)
    hire.refresh_from_db()
    assert not hire.transfer_flagged
    assert retake.code == "exam_6m" and retake.attempt == 2 and retake.due_on == exam.due_on + timedelta(days=30)
    assert services.assessment_record(assessment=retake, result=FAIL, by=hr_user) is None  # no third attempt
    hire.refresh_from_db()
    assert hire.transfer_flagged
    with pytest.raises(services.OnboardingError, match="已要求调岗"):
        services.employment_grant_permissions(employment=hire, by=hr_user)


def test_an_extension_gets_a_retake_and_is_no_fail(hire, hr_user):
    three = hire.assessments.get(code="probation_3m")
    retake = services.assessment_record(
        assessment=three, result=services.AssessmentResult(outcome=Outcome.EXTENDED), by=hr_user
    )
    services.assessment_record(assessment=retake, result=FAIL, by=hr_user)
    hire.refresh_from_db()
    assert not hire.transfer_flagged  # one fail so far
    assert hire.assessments.filter(code="probation_3m").count() == 3


def test_a_recorded_result_is_not_overwritten(hire, hr_user):
    three = hire.assessments.get(code="probation_3m")
    services.assessment_record(assessment=three, result=PASS, by=hr_user)
    with pytest.raises(services.OnboardingError, match="已经录入"):
        services.assessment_record(assessment=three, result=FAIL, by=hr_user)
    assert Assessment.objects.get(pk=three.pk).outcome == "pass"


def test_the_csv_import_records_good_rows_and_names_each_bad_one(hire, hr_user):
    job, pk = hire.application.job, hire.application_id
    other = ApplicationFactory()  # another job's application
    text = (
        "application,assessment,outcome,satisfaction,first_response_seconds,reply_rate,rating_ability\n"
        f"{pk},probation_3m,合格,95%,14,98.5,5\n"
        f"{pk},exam_6m,maybe,90,14,98,4\n"
        f"{other.pk},probation_3m,pass,90,14,98,4\n"
        f"{pk},exam_6m,fail,101,14,98,4\n"
        f"{pk},exam_6m,fail,90,-3,98,4\n"
        f"{pk},exam_6m,fail,90,20,98,7\n"
        f"x,exam_6m,fail,90,20,98,3\n"
    )
    report = services.assessments_import(job=job, text=text, by=hr_user, qualities={"ability": "有能力"})
    assert [line for line, _msg in report.errors] == [3, 4, 5, 6, 7, 8]
    messages = dict(report.errors)
    assert "maybe" in messages[3] and "本职位没有" in messages[4] and "客户满意度" in messages[5]
    assert "首次响应时间" in messages[6] and "有能力" in messages[7] and "申请编号" in messages[8]
    three = hire.assessments.get(code="probation_3m")
    assert report.recorded == [three.pk]
    assert (three.outcome, three.satisfaction, three.first_response_seconds, three.reply_rate, three.ratings) == (
        "pass", Decimal("95.0"), Decimal("14.0"), Decimal("98.5"), {"ability": 5}
    )  # fmt: skip
    assert hire.assessments.get(code="exam_6m").outcome == ""


def test_reminders_go_to_the_assessor_once_before_the_due_date(hire, hr_user, django_user_model, settings):
    settings.ASSESSMENT_REMINDER_DAYS = 7
    assessor = django_user_model.objects.create_user("boss", email="boss@example.com")
    services.employment_assign(employment=hire, mentor=None, assessor=assessor)
    start = timezone.now()
    assert services.assessments_remind(now=start) == 0  # 90 days away
    assert services.assessments_remind(now=start + timedelta(days=84)) == 1
    assert mail.outbox[-1].to == ["boss@example.com"] and "3 个月业务考核" in mail.outbox[-1].subject
    three = hire.assessments.get(code="probation_3m")
    assert f"/hr/onboarding/{hire.pk}/assessments/{three.pk}/" in mail.outbox[-1].body
    assert services.assessments_remind(now=start + timedelta(days=85)) == 0  # sent once
    assert len(mail.outbox) == 1


def test_the_candidate_export_of_an_employed_application_holds_no_employee_data(hire, hr_user):
    services.assessment_record(assessment=hire.assessments.get(code="probation_3m"), result=PASS, by=hr_user)
    exported = application_export(application=hire.application)
    text = repr(exported)
    assert "probation_3m" not in text and "96.5" not in text and "employment" not in exported
    assert set(exported) == {
        "job", "submitted_at", "stage", "applicant", "profile", "answers", "resume", "consents",
        "screening_notice_version", "explanation", "review_requests", "voluntary_self_id",  # their own (issue 16)
    }  # fmt: skip


def test_an_employed_application_follows_the_employee_retention(hire, settings):
    settings.RETENTION_DAYS, settings.EMPLOYEE_RETENTION_DAYS = 180, 1000
    hired_plain = ApplicationFactory(stage="hired")  # hired before onboarding existed: no employment
    long_ago = timezone.now() - timedelta(days=400)
    Application.objects.filter(pk__in=[hire.application_id, hired_plain.pk]).update(
        decided_at=long_ago, updated_at=long_ago
    )
    purge_expired()
    assert Application.objects.filter(pk=hire.application_id).exists()  # employee data: 1000 days
    assert not Application.objects.filter(pk=hired_plain.pk).exists()  # candidate data: 180 days
    Employment.objects.filter(pk=hire.pk).update(updated_at=timezone.now() - timedelta(days=1001))
    purge_expired()
    assert not Application.objects.filter(pk=hire.application_id).exists()
    assert not Employment.objects.exists()


def test_beat_runs_the_reminders_through_a_registered_task(hire, django_user_model, settings):
    from config.celery_app import app
    from screening.onboarding import tasks

    app.loader.import_default_modules()  # autodiscovery, as a worker starts
    assert "screening.onboarding.tasks.remind_assessors" in app.tasks
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "screening.onboarding.tasks.remind_assessors" in scheduled
    mentor = django_user_model.objects.create_user("mentor", email="mentor@example.com")
    services.employment_assign(employment=hire, mentor=mentor, assessor=None)  # no assessor: the mentor is told
    Assessment.objects.filter(employment=hire, code="probation_3m").update(due_on=timezone.localdate())
    assert tasks.remind_assessors() == 1
    assert mail.outbox[0].to == ["mentor@example.com"] and hire.application.applicant.name in mail.outbox[0].body


def test_the_candidates_own_deletion_leaves_an_employment_to_the_employee_retention(client, hire):
    from django.urls import reverse

    from screening.services import application_issue_status_token

    token = application_issue_status_token(application=hire.application)
    client.get(reverse("application_status", args=[token]))  # the e-mailed link binds the application
    response = client.post(reverse("application_status_delete", args=[hire.application_id]), {"confirm": "yes"})
    assert response.status_code == 200 and "员工资料" in response.content.decode()
    assert Application.objects.filter(pk=hire.application_id).exists()
    assert Employment.objects.filter(pk=hire.pk).exists()


def test_admins_edit_plans_on_the_portal_admin_site(client, plans, django_user_model, hr_user):
    from django.urls import reverse

    plan = OnboardingPlan.objects.get(slug="cs-onboarding")
    change = reverse("admin:onboarding_onboardingplan_change", args=[plan.pk])
    client.force_login(hr_user)  # HR staff: not on the admin site at all
    assert client.get(change).status_code == 302
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "x"))
    page = client.get(change).content.decode()
    assert "老员工带教一周" in page and "3 个月业务考核" in page
    assert client.get(reverse("admin:onboarding_employment_changelist")).status_code == 200


SEEDS = Path(os.environ.get("SEEDS_DIR", "/work/shared/seeds"))


def test_every_plan_item_quotes_a_line_of_the_seed_it_names():
    """Each item and assessment point quotes its seed in “…”; where the seed documents are at hand, every quote is
    found in the numbered seed (traditional/simplified and full/half-width folded, spaces and the site's pinyin
    annotations ignored)."""
    plans = json.loads((FIXTURES / "onboarding_plans.json").read_text(encoding="utf-8"))
    entries = [e for plan in plans for e in plan["items"] + plan["assessments"]]
    quotes = []
    for entry in entries:
        found = re.match(r"种子 (\d{3})[^“]*“(.+?)”", entry["description"])
        assert found, entry["title"]
        quotes.append(found.groups())
    assert {number for number, _q in quotes} == {"000", "002", "003", "004"}
    if not SEEDS.is_dir():
        pytest.skip(f"no seed documents at {SEEDS} to check the quotes against")

    def folded(text):
        # the download site annotates some characters with pinyin: 稳(wěn)定
        return re.sub(r"\s+|\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", fold(text))

    for number, quote in quotes:
        (seed,) = SEEDS.glob(f"{number}_*.txt")
        assert folded(quote) in folded(seed.read_text(encoding="utf-8")), (number, quote)


def test_hired_again_after_a_move_back_keeps_the_one_employment(hire, hr_user):
    application = hire.application
    services.task_tick(task=hire.tasks.first(), by=hr_user, done=True)
    decisions.application_decide(application=application, to_stage="offer", by=hr_user)
    decisions.application_decide(application=application, to_stage="hired", by=hr_user)
    assert Employment.objects.filter(application=application).count() == 1
    assert hire.tasks.count() == 11 and hire.tasks.filter(done_at__isnull=False).count() == 1
