"""HR's queue of candidates' review requests: scoped to the jobs a person may see (selectors.jobs_visible_to),
soonest due first with the overdue marked, logged in the access log; answered from the queue or the application's
page, with who and when; nobody outside the job's hiring team sees or answers a request."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from screening.models import AuditEvent, ReviewRequest
from screening.roles import ensure_roles
from screening.services.reviews import review_request_create
from tests.factories import ApplicantFactory, ApplicationFactory, JobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(django_user_model):
    insider = django_user_model.objects.create_user("insider", password="x", is_staff=True)
    outsider = django_user_model.objects.create_user("outsider", password="x", is_staff=True)
    for user in (insider, outsider):
        user.groups.add(ensure_roles())
    secret = JobFactory(title="保密职位")
    secret.hiring_team.add(insider)
    return insider, outsider, secret


def _ask(job, name, message, *, due_in_days):
    application = ApplicationFactory(job=job, applicant=ApplicantFactory(name=name))
    review = review_request_create(application=application, message=message)
    ReviewRequest.objects.filter(pk=review.pk).update(due_at=timezone.now() + timedelta(days=due_in_days))
    return application, ReviewRequest.objects.get(pk=review.pk)


def _rows(html: str) -> list[str]:
    table = html[html.index('id="review-queue"') :]
    return re.findall(r'<tr data-review="\d+"[^>]*>.*?<a href="[^"]+">([^<]+)</a>', table, re.S)


def test_the_queue_is_scoped_sorted_by_due_date_and_marks_the_overdue(client, team):
    insider, outsider, secret = team
    open_job = JobFactory(title="公开职位")
    _ask(open_job, "王强", "请复核学历", due_in_days=9)
    _ask(open_job, "李娟", "已经超期了", due_in_days=-2)
    _ask(secret, "保密的人", "保密职位的留言", due_in_days=3)

    client.force_login(insider)
    html = client.get(reverse("hr:review_queue")).content.decode()
    assert _rows(html) == ["李娟", "保密的人", "王强"]
    overdue = re.search(r'<tr data-review="\d+" class="table-danger">(.*?)</tr>', html, re.S)[1]
    assert "已逾期" in overdue and "李娟" in overdue and html.count("已逾期") == 1

    client.force_login(outsider)
    html = client.get(reverse("hr:review_queue")).content.decode()
    assert _rows(html) == ["李娟", "王强"]
    assert "保密的人" not in html and "保密职位的留言" not in html


def test_viewing_the_queue_is_in_the_access_log(client, team):
    insider, _outsider, secret = team
    _ask(secret, "保密的人", "", due_in_days=3)
    client.force_login(insider)
    client.get(reverse("hr:review_queue"))
    event = AuditEvent.objects.get(action="view_review_queue")
    assert (event.actor, event.detail) == (insider, {"open": 1, "answered": 0})


def test_hr_answers_from_the_queue_with_who_and_when(client, team, mailoutbox, django_capture_on_commit_callbacks):
    insider, _outsider, secret = team
    application, review = _ask(secret, "保密的人", "请复核", due_in_days=3)
    client.force_login(insider)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("hr:application_review_answer", args=[application.pk]),
            {"review": review.pk, "answer": "已复核，约您面试。", "back": "queue"},
        )
    assert response.status_code == 302 and response.url == reverse("hr:review_queue")
    review.refresh_from_db()
    assert (review.status, review.answered_by, review.answer) == ("answered", insider, "已复核，约您面试。")
    assert len(mailoutbox) == 1
    html = client.get(reverse("hr:review_queue")).content.decode()
    assert 'id="review-queue-empty"' in html and "已复核，约您面试。" in html and "由 insider 答复" in html


def test_hr_of_another_job_can_neither_see_nor_answer_it(client, team):
    _insider, outsider, secret = team
    application, review = _ask(secret, "保密的人", "请复核", due_in_days=3)
    client.force_login(outsider)
    detail = client.get(reverse("hr:application_detail", args=[application.pk]))
    assert detail.status_code == 404
    answer = client.post(
        reverse("hr:application_review_answer", args=[application.pk]), {"review": review.pk, "answer": "越权答复"}
    )
    assert answer.status_code == 404
    # nor through an application of a job they do see, naming the other's request
    visible = ApplicationFactory(job=JobFactory())
    client.post(reverse("hr:application_review_answer", args=[visible.pk]), {"review": review.pk, "answer": "越权答复"})
    review.refresh_from_db()
    assert (review.status, review.answer, review.answered_by) == ("open", "", None)


def test_the_detail_page_leads_with_an_open_request_and_answers_it(hr_client, hr_user):
    application, review = _ask(JobFactory(), "王强", "请看看我的经历", due_in_days=-1)
    html = hr_client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()
    assert html.index("<h1") < html.index('id="review-request"') < html.index('id="summary-card"')
    section = html[html.index('id="review-request"') : html.index("</section>", html.index('id="review-request"'))]
    assert '<section class="alert alert-danger mb-3" id="review-request"' in html and "已逾期" in section
    assert "请看看我的经历" in section and 'name="answer"' in section
    response = hr_client.post(
        reverse("hr:application_review_answer", args=[application.pk]), {"review": review.pk, "answer": "已复核"}
    )
    assert response.url == reverse("hr:application_detail", args=[application.pk])
    html = hr_client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()
    assert 'id="review-request"' not in html and "由 hr-test 答复" in html


def test_the_dashboard_links_the_queue_with_the_open_count(hr_client):
    _ask(JobFactory(), "王强", "", due_in_days=3)
    html = hr_client.get(reverse("hr:job_list")).content.decode()
    link = re.search(r'<a [^>]*id="review-queue-link">(.*?)</a>', html, re.S)[1]
    assert "人工复核申请" in link and ">1<" in link


def test_the_queue_costs_the_same_queries_however_many_requests(hr_client):
    job = JobFactory()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert hr_client.get(reverse("hr:review_queue")).status_code == 200
        return len(captured)

    for i in range(2):
        _ask(job, f"甲{i}", "留言", due_in_days=i)
    few = queries()
    for i in range(8):
        _ask(job, f"乙{i}", "留言", due_in_days=i)
    assert queries() == few
