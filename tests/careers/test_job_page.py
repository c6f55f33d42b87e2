"""A job's public page never contradicts its application form: what it lists as required the form requires, what
the form asks only with consent the page shows as optional, one thing is one line, and the time and the timed
parts are stated before the candidate starts."""

import re

import pytest
from django.urls import reverse

from screening import profile_keys
from screening.models import Job, Question
from screening.seed import load_fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs():
    load_fixtures()
    return list(Job.objects.filter(status=Job.Status.OPEN))


def _texts(html: str, list_id: str) -> list[str]:
    """The items of a list (<li>) or a row of chips (<span>) on the page, as text."""
    block = re.search(rf'id="{list_id}">(.*?)</(ul|div)>', html, re.S)
    if not block:
        return []
    tag = "li" if block[2] == "ul" else "span"
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", block[1], re.S)]


def test_nothing_the_page_requires_is_optional_on_the_form(client, jobs):
    sensitive = {str(key.label) for key in profile_keys.held({}) if key.sensitive}
    for job in jobs:
        page = client.get(reverse("job_detail", args=[job.slug])).content.decode()
        form = client.get(reverse("job_apply", args=[job.slug])).context["form"]
        optional_fields = {str(f.label) for f in form.fields.values() if not f.required}
        must = [t.removeprefix("必须").strip() for t in _texts(page, "must-have")]
        # the Double-11 page listed 无犯罪记录 and 身体健康 as 必须 while the form said 不同意也可以申请
        assert not [t for t in must if any(label in t for label in sensitive)], (job.slug, must)
        assert not set(must) & optional_fields, job.slug
        shown_optional = [t.removeprefix("可选").strip() for t in _texts(page, "optional")]
        asked_sensitive = [str(f.label) for name, f in form.fields.items() if name.startswith("declare_")
                           and name.removeprefix("declare_") in ("good_health", "no_criminal_record")]  # fmt: skip
        assert sorted(shown_optional) == sorted(asked_sensitive), job.slug


def test_one_thing_is_one_line(client, jobs):
    for job in jobs:
        page = client.get(reverse("job_detail", args=[job.slug])).content.decode()
        lines = _texts(page, "must-have") + _texts(page, "claims") + _texts(page, "optional")
        assert len(lines) == len(set(lines)), (job.slug, lines)
        assert len(lines) <= 15, (job.slug, len(lines))  # the Double-11 page had 20–30 tags
        rated = re.search(r'id="self-rated">(.*?)</p>', page, re.S)
        if rated:
            qualities = rated[1].split("：")[-1].split("、")
            assert len(qualities) == len(set(qualities)), job.slug


def test_the_time_and_the_timed_parts_are_announced(client, jobs):
    double11 = next(j for j in jobs if j.slug == "double11-cs-specialist")
    page = client.get(reverse("job_detail", args=[double11.slug])).content.decode()
    minutes = int(re.search(r'id="estimate">预计用时约 (\d+) 分钟', page)[1])
    assert 1 <= minutes <= 10
    parts = dict(re.findall(r'<li data-part="(\w+)">(.*?)</li>', page, re.S))
    assert set(parts) == {"typing", "chats", "questions"}
    assert "计时打字测试" in parts["typing"] and "1 段计时模拟买家对话" in parts["chats"]
    english = client.get(reverse("job_detail", args=[double11.slug]), HTTP_COOKIE="django_language=en")
    assert "timed typing test" in english.content.decode()


def test_no_situational_answer_is_on_the_public_page(client, jobs):
    """Situational questions are counted on the page, never titled: a title such as 首次响应时长15秒以内 gave the
    keyed answer of the question away to anyone who read the page."""
    for job in jobs:
        page = client.get(reverse("job_detail", args=[job.slug])).content.decode()
        for question in Question.objects.filter(checklist__job_checklists__job=job, kind=Question.Kind.CHOICE):
            for option in question.options:
                assert option["label"] not in page, (job.slug, question.code, option["label"])


def test_what_a_knockout_asks_is_not_listed_again(client, jobs):
    double11 = next(j for j in jobs if j.slug == "double11-cs-specialist")
    page = client.get(reverse("job_detail", args=[double11.slug])).content.decode()
    must = " ".join(_texts(page, "must-have"))
    assert "学历" in must and "学历" not in _texts(page, "claims")
