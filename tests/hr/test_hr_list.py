"""The ranked, filterable applicant list and its bulk actions."""

import pytest
from django.urls import reverse

from screening.models import Application
from screening.services import applications_score
from tests.factories import ApplicantFactory, ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def job():
    checklist = ChecklistFactory()
    RequirementFactory(
        checklist=checklist, knockout=True, weight=3, condition={"kind": "education_at_least", "level": "senior_high"}
    )
    RequirementFactory(checklist=checklist, condition={"kind": "typing_at_least", "cpm": 50})
    job = JobFactory(checklists=[checklist])
    people = [
        ("王强", "13800000001", {"education": "bachelor", "typing": {"cpm": 80}, "platforms": ["taobao"]}, "web"),
        ("李娟", "13800000002", {"education": "junior_middle", "typing": {"cpm": 80}}, "web"),  # knockout fails
        ("赵敏", "13800000003", {"education": "senior_high"}, "import"),  # typing unknown
    ]
    for name, phone, profile, source in people:
        ApplicationFactory(job=job, applicant=ApplicantFactory(name=name, phone=phone), profile=profile, source=source)
    applications_score(application_ids=list(Application.objects.values_list("pk", flat=True)))
    return job


def names(client, job, **params):
    response = client.get(reverse("hr:job_applications", args=[job.slug]), params)
    return [a.applicant.name for a in response.context["applications"]]


def test_list_is_ranked_by_score(hr_client, job):
    assert names(hr_client, job) == ["王强", "赵敏", "李娟"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"recommendation": "reject"}, ["李娟"]),
        ({"knockout_failed": "true"}, ["李娟"]),
        ({"has_unknowns": "true"}, ["赵敏"]),
        ({"score_min": "80"}, ["王强"]),  # 100, 75, 25
        ({"score_max": "30"}, ["李娟"]),
        ({"education": "senior_high"}, ["赵敏"]),
        ({"platform": "taobao"}, ["王强"]),
        ({"source": "import"}, ["赵敏"]),
        ({"q": "李"}, ["李娟"]),
        ({"q": "+86 138-0000-0003"}, ["赵敏"]),
        ({"stage": "interview"}, []),
    ],
)
def test_filters(hr_client, job, params, expected):
    assert names(hr_client, job, **params) == expected


def test_pagination_keeps_the_filters(hr_client, job):
    response = hr_client.get(reverse("hr:job_applications", args=[job.slug]), {"per_page": 25, "source": "web"})
    assert "source=web" in response.context["query"]
    assert len(response.context["applications"]) == 2 and not response.context["page"]["has_next"]


def test_pages_follow_the_ranking(hr_client, job):
    first = hr_client.get(reverse("hr:job_applications", args=[job.slug]), {"per_page": 25})
    assert first.context["page"] == {"number": 1, "has_next": False, "has_previous": False, "start": 0}
    for _ in range(30):
        ApplicationFactory(job=job)  # unscored: ranked last
    page2 = hr_client.get(reverse("hr:job_applications", args=[job.slug]), {"per_page": 25, "page": 2})
    assert len(page2.context["applications"]) == 8 and page2.context["page"]["has_previous"]
    page1 = hr_client.get(reverse("hr:job_applications", args=[job.slug]), {"per_page": 25})
    assert [a.applicant.name for a in page1.context["applications"][:3]] == ["王强", "赵敏", "李娟"]


def test_bulk_move_and_bulk_reject_need_a_person_and_a_reason(hr_client, job, hr_user):
    url = reverse("hr:job_bulk", args=[job.slug])
    ids = list(Application.objects.filter(applicant__name__in=["王强", "赵敏"]).values_list("pk", flat=True))
    hr_client.post(url, {"action": "interview", "ids": ids})
    assert set(Application.objects.filter(pk__in=ids).values_list("stage", flat=True)) == {"interview"}
    hr_client.post(url, {"action": "reject", "ids": ids})  # no reason: refused
    assert set(Application.objects.filter(pk__in=ids).values_list("stage", flat=True)) == {"interview"}
    hr_client.post(url, {"action": "reject", "ids": ids, "reason": "position_filled"})
    rejected = Application.objects.filter(pk__in=ids)
    assert {(a.stage, a.decided_by_id, a.rejection_reason) for a in rejected} == {
        ("rejected", hr_user.pk, "position_filled")
    }


def test_rejecting_all_reject_recommendations_is_a_deliberate_confirmed_action(hr_client, job, hr_user):
    url = reverse("hr:job_bulk", args=[job.slug])
    page = hr_client.get(reverse("hr:job_reject_recommended", args=[job.slug]))
    assert "系统建议淘汰 1 人" in page.content.decode() and "这不会自动执行" in page.content.decode()
    shown = page.context["shown"]  # the applications the page counted, posted back with the confirmation
    hr_client.post(url, {"action": "reject_recommended", "reason": "knockout", "shown": shown})  # not confirmed
    assert Application.objects.get(applicant__name="李娟").stage == "applied"
    hr_client.post(url, {"action": "reject_recommended", "reason": "knockout", "confirm": "yes", "shown": shown})
    li = Application.objects.get(applicant__name="李娟")
    assert (li.stage, li.decided_by, li.rejection_reason) == ("rejected", hr_user, "knockout")
    assert Application.objects.filter(stage="rejected").count() == 1


def test_dashboard_counts_stages_recommendations_queue_and_stale(hr_client, job):
    ApplicationFactory(job=job)  # not scored yet
    from screening.models import Requirement

    requirement = Requirement.objects.filter(checklist__jobs=job).first()
    requirement.weight = 2
    requirement.save()  # every scored application is now stale
    jobs = {j.slug: j for j in hr_client.get(reverse("hr:job_list")).context["jobs"]}
    j = jobs[job.slug]
    assert (j.n_total, j.n_scored, j.n_queued, j.n_stale) == (4, 3, 1, 3)
    assert (j.n_advance, j.n_review, j.n_reject) == (2, 0, 1)
    assert dict((label, n) for label, n in j.stages)["已投递"] == 4


def test_analytics_histogram_funnel_and_which_requirement_removes_most(hr_client, job, hr_user):
    from screening.services.decisions import application_decide

    wang = Application.objects.get(applicant__name="王强")
    application_decide(application=wang, to_stage="interview", by=hr_user)
    application_decide(application=wang, to_stage="rejected", by=hr_user, reason="declined")
    response = hr_client.get(reverse("hr:job_analytics", args=[job.slug]))
    ctx = response.context
    assert dict(ctx["histogram"])["90–100"] == 1 and dict(ctx["histogram"])["20–29"] == 1
    funnel = dict(ctx["funnel"])
    assert (funnel["已投递"], funnel["筛选中"], funnel["面试"], funnel["录用"]) == (
        3,
        1,
        1,
        0,
    )  # reached, then rejected
    first = ctx["failures"][0]
    assert (first["failed"], first["total"], first["knockout"]) == (1, 3, True)  # education: 李娟
    html = response.content.decode()
    assert 'id="chart-data"' in html and "chart.umd.min.js" in html
    assert "<table" in html  # readable without JavaScript


def test_bulk_rejection_can_tell_candidates_by_a_templated_email(
    hr_client, job, mailoutbox, django_capture_on_commit_callbacks
):
    ids = list(Application.objects.filter(applicant__name="李娟").values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        hr_client.post(
            reverse("hr:job_bulk", args=[job.slug]),
            {"action": "reject", "ids": ids, "reason": "knockout", "notify": "yes"},
        )
    li = Application.objects.get(pk=ids[0])
    assert [m.to for m in mailoutbox] == [[li.applicant.email]]
    assert "感谢您申请" in mailoutbox[0].body and "不通过" not in mailoutbox[0].subject
