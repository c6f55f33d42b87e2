"""The impact assessment export (issue 16 item 6): one printable page generated from the live configuration, with
no external asset: purposes, the data the checklists read, the logic with justifications, retention, access,
adverse-impact figures and human-oversight statistics."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from screening.models import Application, Question, ReviewRequest, VoluntarySelfId
from screening.services import applications_score
from tests.factories import ApplicantFactory, ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(hr_user, django_user_model):
    checklist = ChecklistFactory(slug="basic", name="电商客服基本要求", source="seed 000 一、基本要求")
    RequirementFactory(checklist=checklist, code="edu", title="学历：高中及以上", knockout=True, weight=3,
                       description="大多数平台要求高中或同等学历。",
                       condition={"kind": "education_at_least", "level": "senior_high"})  # fmt: skip
    RequirementFactory(checklist=checklist, code="age", title="年满18岁", order=1,
                       justification="夜班坐席：未成年工不得安排夜班",
                       condition={"kind": "age_between", "min": 18})  # fmt: skip
    RequirementFactory(checklist=checklist, code="health", title="身体健康", order=2,
                       condition={"kind": "declared", "declaration": "good_health"})  # fmt: skip
    Question.objects.create(checklist=checklist, code="refund", prompt="买家要退款怎么办？", kind="text")
    answer = {"kind": "text_answer", "question": "refund", "groups": [["抱歉"], ["退款"]]}
    RequirementFactory(checklist=checklist, code="answer", title="退款处理", order=3, condition=answer)
    job = JobFactory(slug="cs", title="电商客服专员", checklists=[checklist])
    job.hiring_team.add(hr_user, django_user_model.objects.create_user("zhang-hr", password="pw"))
    for education in ["bachelor", "senior_high", "junior_middle", "bachelor"]:
        ApplicationFactory(job=job, applicant=ApplicantFactory(), profile={
            "education": education, "date_of_birth": "1995-05-01", "declarations": {"good_health": True},
        })  # fmt: skip
    applications_score(application_ids=list(Application.objects.values_list("pk", flat=True)))
    advanced, rejected, *_ = Application.objects.order_by("pk")
    Application.objects.filter(pk=advanced.pk).update(stage="interview", decided_by=hr_user)
    Application.objects.filter(pk=rejected.pk).update(stage="rejected", decided_by=hr_user, rejection_reason="skills")
    VoluntarySelfId.objects.create(application=advanced, sex="female", notice_version="t")
    return job


def _section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    following = html.find("<h2", start)
    return html[start : following if following > 0 else None]


def test_the_page_is_self_contained_and_printable(hr_client, job):
    response = hr_client.get(reverse("hr:job_assessment", args=[job.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    for asset in ("<link", "<script", " src=", "@import", "url(", "http://", "https://"):
        assert asset not in html, asset
    assert "@media print" in html and "@page" in html


def test_it_says_what_data_is_read_and_how_it_is_used(hr_client, job, settings):
    settings.RETENTION_DAYS, settings.RETENTION_UNDECIDED_DAYS = 99, 321
    html = hr_client.get(reverse("hr:job_assessment", args=[job.slug])).content.decode()
    data = _section(html, "data")
    for read in ("出生日期", "学历", "身体健康", "筛选问题的回答（1 题）", "性别（自愿填写）"):
        assert read in data, read
    assert "敏感个人信息" in data and "打字" not in data  # no requirement reads typing: not listed
    logic = _section(html, "logic")
    assert "夜班坐席：未成年工不得安排夜班" in logic  # the age condition's justification
    [health] = re.findall(r'<tr data-requirement="身体健康">.*?</tr>', logic, re.S)
    assert "未填写（按年龄或健康状况筛选必须说明理由）" in health
    assert "seed 000 一、基本要求" in logic and "大多数平台要求高中或同等学历。" in logic
    assert "达到 60 分建议进入下一轮" in logic  # the job's threshold
    retention = _section(html, "retention")
    assert "决定后 99 天删除" in retention and "最后一次变动后 321 天删除" in retention
    access = _section(html, "access")
    assert "hr-test、zhang-hr" in access and "推进或拒绝申请" in access


def test_it_gives_the_figures_and_human_oversight(hr_client, job):
    ReviewRequest.objects.create(
        application=Application.objects.filter(job=job).first(), due_at=timezone.now() + timedelta(days=15)
    )
    html = hr_client.get(reverse("hr:job_assessment", args=[job.slug])).content.decode()
    impact = _section(html, "impact")
    assert "共 4 份申请" in impact and "25–34 岁" in impact and "样本少" in impact
    assert "female" not in html and "女" not in impact  # one answer: no sex group large enough to show
    oversight = _section(html, "oversight")
    cells = re.findall(r"<th>([^<]+)</th><td class=\"num\"[^>]*>([^<]+)</td>", oversight)
    figures = dict(cells)
    assert figures["申请"] == "4" and figures["已评分"] == "4"
    assert figures["已由 HR 决定（推进或拒绝）"] == "2"
    # bachelor → advance, interview: followed; senior high → advance too (threshold 60), rejected: against it
    assert figures["决定与系统建议一致"] == "1" and figures["建议进入下一轮但 HR 拒绝"] == "1"
    assert figures["应聘者申请人工复核"] == "1"  # the candidates' requests for a human review (issue 16 item 3)


def test_the_assessment_reads_in_english(hr_client, job):
    hr_client.cookies["django_language"] = "en"
    html = hr_client.get(reverse("hr:job_assessment", args=[job.slug]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in html
    assert "Human oversight" in html and re.search(r'id="review-requests">0<', html)


def test_only_people_who_may_see_the_job_see_its_assessment(client, django_user_model, job):
    from screening.roles import ensure_roles

    outsider = django_user_model.objects.create_user("outsider", password="pw", is_staff=True)
    outsider.groups.add(ensure_roles())
    client.force_login(outsider)
    assert client.get(reverse("hr:job_assessment", args=[job.slug])).status_code == 404
