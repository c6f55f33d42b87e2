"""The whole path: the real form view, the real worker on real Redis and PostgreSQL, the HR page."""

import pytest
from django.urls import reverse

from screening.models import Application, Evaluation
from screening.seed import load_fixtures
from tests.conftest import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def _fill(client, form_fields: dict) -> dict:
    """Answer every field the form shows, well."""
    data = {"name": "张三", "email": "zhangsan@example.com", "phone": "+86 138-0013-8000"}
    for name, field in form_fields.items():
        if name in data:
            continue
        if name == "typing_result":  # taken in this browser, through the real endpoints
            test = client.post(reverse("typing_start")).json()
            typed = {"token": test["token"], "typed": test["passage"]}
            finish = client.post(reverse("typing_finish"), typed, content_type="application/json")
            data[name] = finish.json()["result"]
        elif name.startswith("chat_"):  # the buyer chat, through the real endpoints
            data[name] = _take_chat(client, name.removeprefix("chat_"))
        elif name.startswith("consent_"):
            data[name] = "on"
        elif name in ("confirm_update", "resume_pending", "resume"):
            continue
        elif name == "date_of_birth":
            data[name] = "1998-05-01"
        elif name == "education":
            data[name] = "bachelor"
        elif name.startswith("experience_") or name == "certificate_years":
            data[name] = "3"
        elif name == "typing_cpm":
            data[name] = "80"
        elif name.startswith("trait_"):
            data[name] = "5"
        elif name.startswith("declare_"):
            data[name] = "yes"
        elif hasattr(field, "choices") and field.choices:
            choices = [c for c, _label in field.choices if c]
            data[name] = choices if field.widget.allow_multiple_selected else choices[0]
        else:
            data[name] = "非常抱歉给您带来不便，我马上帮您核实查询，并尽快为您补发或退款，谢谢您的耐心。"
    return data


def _take_chat(client, code: str) -> str:
    from screening.models import ChatScenario

    scenario = ChatScenario.objects.get(code=code)
    job_slug = scenario.checklist.job_checklists.first().job.slug
    state = client.post(reverse("chat_start", args=[job_slug, code])).json()
    for i, _message in enumerate(scenario.messages):
        delivered = client.post(reverse("chat_next"), {"session": state["session"]}, content_type="application/json")
        assert delivered.json()["index"] == i
        reply = {"session": state["session"], "index": i, "text": "亲，抱歉让您久等了，我马上为您查询核实，请您放心。"}
        client.post(reverse("chat_reply"), reply, content_type="application/json")
    finished = client.post(reverse("chat_finish"), {"session": state["session"]}, content_type="application/json")
    return finished.json()["result"]


def test_application_submitted_through_the_form_is_scored_by_the_worker_and_shown_to_hr(celery_worker, client, hr_user):
    from screening.models import ChatScenario

    load_fixtures()
    for scenario in ChatScenario.objects.all():  # no waiting between buyer messages in this test
        messages = [{**m, "delay_seconds": 0} for m in scenario.messages]
        ChatScenario.objects.filter(pk=scenario.pk).update(messages=messages)
    job = Application._meta.get_field("job").related_model.objects.get(slug="double11-cs-specialist")
    page = client.get(reverse("job_apply", args=[job.slug]))
    assert page.status_code == 200
    response = client.post(reverse("job_apply", args=[job.slug]), _fill(client, page.context["form"].fields))
    assert response.status_code == 302, response.context["form"].errors if response.context else response

    application = Application.objects.get(job=job)
    assert application.applicant.phone == "13800138000"
    evaluation = wait_for(lambda: Evaluation.objects.filter(application=application).first(), timeout=20)
    assert evaluation.results and evaluation.revisions
    assert evaluation.recommendation in {"advance", "review", "reject"}

    client.force_login(hr_user)
    listing = client.get(reverse("hr:job_applications", args=[job.slug])).content.decode()
    assert "张三" in listing and str(evaluation.score) in listing
    detail = client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()
    assert "学历 本科 ≥ 要求 高中" in detail
    assert 'id="chat-chat_stock"' in detail  # the Double-11 job's one buyer chat


def test_scoring_again_leaves_one_evaluation_with_the_latest_result(celery_worker):
    from screening.selectors import job_current_revisions
    from screening.tasks import score_application
    from tests.factories import ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

    checklist = ChecklistFactory()
    requirement = RequirementFactory(
        checklist=checklist, condition={"kind": "education_at_least", "level": "senior_high"}
    )
    job = JobFactory(checklists=[checklist])
    application = ApplicationFactory(job=job, profile={"education": "senior_high"})
    score_application.delay(application.pk)
    first = wait_for(lambda: Evaluation.objects.filter(application=application).first())
    assert first.score == 100

    requirement.condition = {"kind": "education_at_least", "level": "bachelor"}
    requirement.save()  # new revision: the rescore it queues and two more deliveries race
    score_application.delay(application.pk)
    score_application.delay(application.pk)
    current = job_current_revisions(job=job)
    latest = wait_for(lambda: Evaluation.objects.filter(application=application, revisions=current).first())
    wait_for(lambda: Application.objects.get(pk=application.pk).scoring_attempts == 0)
    assert Evaluation.objects.filter(application=application).count() == 1
    assert (latest.score, latest.recommendation) == (0, "review")
    assert latest.evaluated_at > first.evaluated_at
