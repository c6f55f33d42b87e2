from contextlib import contextmanager

import pytest
from celery.signals import after_task_publish
from django.urls import reverse

from screening.models import Application, Job
from screening.seed import load_fixtures
from tests.factories import ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def test_careers_lists_only_open_jobs(client):
    JobFactory(title="开放职位", status=Job.Status.OPEN)
    JobFactory(title="草稿职位", status=Job.Status.DRAFT)
    html = client.get(reverse("careers")).content.decode()
    assert "开放职位" in html and "草稿职位" not in html


def test_interface_is_chinese_by_default_and_english_on_request(client):
    html = client.get(reverse("careers"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "正在招聘的客服职位" in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("careers")).content.decode()
    assert "Customer service jobs" in html


def test_form_asks_only_what_the_requirements_read(client):
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "typing_at_least", "cpm": 50})
    job = JobFactory(checklists=[checklist])
    fields = set(client.get(reverse("job_apply", args=[job.slug])).context["form"].fields)
    assert fields == {
        "name",
        "email",
        "phone",
        "typing_result",
        "confirm_update",
        "resume_pending",
        "resume",
        "consent_privacy",
    }


def test_job_page_says_how_long_applying_takes(client):
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "typing_at_least", "cpm": 50})
    job = JobFactory(checklists=[checklist])
    html = client.get(reverse("job_detail", args=[job.slug])).content.decode()
    # contact details, privacy and submitting 44 s, the typing test 99 s: 143 s
    assert "预计用时约 3 分钟" in html


def test_invalid_submission_keeps_what_was_typed_and_says_why(client):
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist)
    job = JobFactory(checklists=[checklist])
    response = client.post(
        reverse("job_apply", args=[job.slug]),
        {"name": "李四", "email": "lisi@example.com", "phone": "12345", "education": "bachelor"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "请填写 11 位中国大陆手机号" in html
    assert 'value="李四"' in html and 'value="lisi@example.com"' in html
    assert not Application.objects.exists()


@contextmanager
def _published():
    """The tasks sent to the broker meanwhile, as (task name, args): Celery's own after_task_publish signal,
    sent once the message was handed to the broker, so the real publishing path runs."""
    sent = []

    def record(sender=None, headers=None, body=None, **_kwargs):
        sent.append((headers["task"], list(body[0])))

    after_task_publish.connect(record, weak=False)
    try:
        yield sent
    finally:
        after_task_publish.disconnect(record)


def test_scoring_is_enqueued_only_after_commit(client, django_capture_on_commit_callbacks, mailoutbox):
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist)
    job = JobFactory(checklists=[checklist])
    data = {"name": "赵六", "email": "zl@example.com", "phone": "13700001111", "education": "senior_high",
            "consent_privacy": "on"}  # fmt: skip
    with _published() as sent:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(reverse("job_apply", args=[job.slug]), data)
        assert response.status_code == 302
        application = Application.objects.get()
        # nothing reached the queue or the mail server inside the transaction: scoring and the e-mail wait
        assert sent == []
        assert mailoutbox == []
        for callback in callbacks:  # what the commit runs
            callback()
    assert sent == [("screening.tasks.score_application", [application.pk])]
    assert [m.to for m in mailoutbox] == [["zl@example.com"]]


@pytest.mark.parametrize("url_name", ["hr:job_list"])
def test_hr_pages_need_login(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_hr_pages_refuse_anonymous_for_job_and_detail(client):
    application = ApplicationFactory()
    for url in (
        reverse("hr:job_applications", args=[application.job.slug]),
        reverse("hr:application_detail", args=[application.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_hr_list_query_count_is_independent_of_page_size(hr_client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from screening.services import applications_score

    load_fixtures()
    job = Job.objects.get(slug="double11-cs-specialist")
    apps = [ApplicationFactory(job=job, profile={"education": "bachelor"}) for _ in range(110)]
    applications_score(application_ids=[a.pk for a in apps])
    url = reverse("hr:job_applications", args=[job.slug])
    counts = {}
    for per_page in (25, 100):
        with CaptureQueriesContext(connection) as queries:
            response = hr_client.get(url, {"per_page": per_page, "recommendation": "review"})
        assert response.status_code == 200
        assert response.content.decode().count('name="ids"') == per_page
        counts[per_page] = len(queries.captured_queries)
    assert counts[25] == counts[100] <= 12


def test_flagged_typing_evidence_renders_in_words():
    from screening.evidence import render

    assert render({"code": "typing.flagged", "params": {"flags": ["too_fast", "pasted"]}}) == (
        "测试结果可疑：速度快得不合常理、尝试粘贴，请人工核实"
    )
