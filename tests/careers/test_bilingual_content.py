"""Checklist content in two languages (issue 18 item 6): a job, its requirements, questions and chat scenarios
carry an English field an admin may fill; an English reader sees it, and the Chinese where it is empty."""

import pytest
from django.urls import reverse

from screening.models import ChatScenario, Question, Requirement
from screening.services import applications_score
from tests.factories import ApplicationFactory, ChecklistFactory, JobFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en", "HTTP_COOKIE": "django_language=en"}


@pytest.fixture
def job():
    checklist = ChecklistFactory()
    Requirement.objects.create(
        checklist=checklist, code="edu", title="学历：高中及以上", title_en="Education: senior high school or above",
        knockout=True, weight=3, condition={"kind": "education_at_least", "level": "senior_high"},
    )  # fmt: skip
    Requirement.objects.create(
        checklist=checklist, code="untranslated", title="只有中文的要求", weight=1,
        condition={"kind": "skill_has", "skill": "excel"},
    )  # fmt: skip
    Question.objects.create(
        checklist=checklist, code="refund", prompt="顾客要求退款，您怎么做？",
        prompt_en="A buyer asks for a refund. What do you do?",
        options=[{"code": "a", "label": "先核实订单", "label_en": "Check the order first"},
                 {"code": "b", "label": "直接拒绝"}],
    )  # fmt: skip
    Requirement.objects.create(
        checklist=checklist, code="refund_q", title="退款处理", title_en="Handling refunds", weight=2,
        condition={"kind": "choice_answer", "question": "refund", "points": {"a": 1, "b": 0}},
    )  # fmt: skip
    ChatScenario.objects.create(
        checklist=checklist, code="chat_bi", title="快递不动", title_en="Parcel not moving",
        context="您是一家小店的客服。", context_en="You are the customer service of a small shop.",
        messages=[{"delay_seconds": 1, "text": "在吗"}], keyword_groups=[["物流"]],
    )  # fmt: skip
    Requirement.objects.create(
        checklist=checklist, code="chat", title="模拟对话", weight=2,
        condition={"kind": "chat_response", "scenario": "chat_bi", "min_fast_share": "1/1"},
    )  # fmt: skip
    return JobFactory(
        slug="bilingual", title="售后客服", title_en="After-sales customer service", description="负责售后。",
        description_en="Handles after-sales questions.", checklists=[checklist],
    )  # fmt: skip


def test_the_job_page_in_english_and_in_chinese(client, job):
    english = client.get(reverse("job_detail", args=[job.slug]), **EN).content.decode()
    assert "After-sales customer service" in english and "Handles after-sales questions." in english
    assert "Education: senior high school or above" in english
    chinese = client.get(reverse("job_detail", args=[job.slug])).content.decode()
    assert "售后客服" in chinese and "After-sales customer service" not in chinese


def test_the_form_asks_in_english_and_falls_back_to_chinese(client, job):
    page = client.get(reverse("job_apply", args=[job.slug]), **EN).content.decode()
    assert "A buyer asks for a refund. What do you do?" in page
    assert "Check the order first" in page and "直接拒绝" in page  # an option without English: the Chinese
    assert "Parcel not moving" in page and "You are the customer service of a small shop." in page


def test_hr_reads_requirement_titles_in_english(client, hr_user, job):
    application = ApplicationFactory(job=job, profile={"education": "bachelor"}, answers={"refund": "a"})
    applications_score(application_ids=[application.pk])
    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()
    assert "Education: senior high school or above" in page and "Handling refunds" in page
    assert "只有中文的要求" in page  # no English given: the Chinese
    assert "A buyer asks for a refund" in page and "chose “Check the order first”" in page  # the evidence
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()
    assert "学历：高中及以上" in chinese and "Handling refunds" not in chinese
