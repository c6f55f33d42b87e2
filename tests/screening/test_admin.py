import json

import pytest
from django.urls import reverse
from django.utils.html import escape

from screening.models import Checklist, Requirement
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory


def _inline_post(checklist, requirement, condition_text):
    """The admin change form as a browser posts it, with one requirement inline."""
    return {
        "slug": checklist.slug,
        "name": checklist.name,
        "description": "",
        "source": "",
        "requirements-TOTAL_FORMS": "1",
        "requirements-INITIAL_FORMS": "1",
        "requirements-MIN_NUM_FORMS": "0",
        "requirements-MAX_NUM_FORMS": "1000",
        "requirements-0-id": str(requirement.pk),
        "requirements-0-checklist": str(checklist.pk),
        "requirements-0-code": requirement.code,
        "requirements-0-title": requirement.title,
        "requirements-0-category": "basic",
        "requirements-0-description": "",
        "requirements-0-condition": condition_text,
        "requirements-0-weight": "1",
        "requirements-0-order": "0",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "chat_scenarios-TOTAL_FORMS": "0",
        "chat_scenarios-INITIAL_FORMS": "0",
        "chat_scenarios-MIN_NUM_FORMS": "0",
        "chat_scenarios-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    return client


@pytest.mark.django_db
def test_admin_refuses_a_condition_that_does_not_validate_and_says_where(admin_client):
    req = RequirementFactory()
    bad = json.dumps(
        {
            "kind": "any_of",
            "conditions": [{"kind": "skill_has", "skill": "excel"}, {"kind": "education_at_least", "level": "college"}],
        }
    )
    response = admin_client.post(
        f"/admin/screening/checklist/{req.checklist.pk}/change/", _inline_post(req.checklist, req, bad)
    )
    assert response.status_code == 200  # re-displayed with errors, not redirected
    assert "conditions[1].level" in response.content.decode()
    assert "college" in response.content.decode()  # what the admin typed is still there
    req.refresh_from_db()
    assert req.condition == {"kind": "education_at_least", "level": "senior_high"}


@pytest.mark.django_db
def test_admin_refuses_malformed_json(admin_client):
    req = RequirementFactory()
    typed = '{"kind": "skill_has", '
    response = admin_client.post(
        f"/admin/screening/checklist/{req.checklist.pk}/change/", _inline_post(req.checklist, req, typed)
    )
    assert response.status_code == 200
    # Django's message for malformed JSON, on the condition field and nowhere else
    requirements, questions, scenarios = (inline.formset for inline in response.context["inline_admin_formsets"])
    assert requirements.errors == [{"condition": ["输入一个有效的JSON。"]}]
    assert response.context["adminform"].form.errors == {} and questions.errors == scenarios.errors == []
    assert [f.non_form_errors() for f in (requirements, questions, scenarios)] == [[], [], []]
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_requirements-0-condition_error"><li>输入一个有效的JSON。</li></ul>' in html
    assert f'id="id_requirements-0-condition">\n{escape(typed)}</textarea>' in html  # as typed, to be corrected
    req.refresh_from_db()
    assert req.condition == {"kind": "education_at_least", "level": "senior_high"}


@pytest.mark.django_db
def test_admin_saves_a_valid_condition_and_bumps_the_revision(admin_client):
    req = RequirementFactory()
    before = Checklist.objects.get(pk=req.checklist.pk).revision
    good = json.dumps({"kind": "education_at_least", "level": "bachelor"})
    response = admin_client.post(
        f"/admin/screening/checklist/{req.checklist.pk}/change/", _inline_post(req.checklist, req, good)
    )
    assert response.status_code == 302
    assert Requirement.objects.get(pk=req.pk).condition["level"] == "bachelor"
    assert Checklist.objects.get(pk=req.checklist.pk).revision > before


@pytest.mark.django_db
def test_admin_refuses_a_condition_reading_a_question_the_checklist_lacks(admin_client):
    req = RequirementFactory()
    condition = json.dumps({"kind": "choice_answer", "question": "nowhere", "points": {"a": 1}})
    response = admin_client.post(
        f"/admin/screening/checklist/{req.checklist.pk}/change/", _inline_post(req.checklist, req, condition)
    )
    assert response.status_code == 200
    assert "nowhere" in response.content.decode()
    req.refresh_from_db()
    assert req.condition["kind"] == "education_at_least"


@pytest.mark.django_db
def test_the_job_page_shows_the_effective_weight_map(admin_client):
    checklist, other = ChecklistFactory(slug="a"), ChecklistFactory(slug="b")
    typing = {"kind": "typing_at_least", "cpm": 50}
    RequirementFactory(checklist=checklist, code="typing", title="打字", weight=4, condition=typing)
    RequirementFactory(checklist=other, code="typing2", title="打字速度", weight=2, condition=typing)  # the same
    RequirementFactory(
        checklist=other, code="patience", title="耐心", weight=6,
        condition={"kind": "trait_at_least", "trait": "patience", "rating": 4},
    )  # fmt: skip
    job = JobFactory(checklists=[checklist, other])
    page = admin_client.get(reverse("admin:screening_job_change", args=[job.pk])).content.decode()
    # typing once at weight 4 (the larger), patience 6 capped to 15 % of the job: 0.15 * 4 / 0.85 = 0.71
    assert "实测 85% · 自评 15%" in page
    assert "<td>打字</td><td>实测</td><td>4</td><td>4</td><td>b/typing2</td>" in page
    assert "<td>耐心</td><td>自评</td><td>6</td><td>0.71</td><td></td>" in page


def test_the_job_page_shows_how_long_applying_takes_and_where_the_time_goes(admin_client):
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "typing_at_least", "cpm": 50})
    RequirementFactory(checklist=checklist, condition={"kind": "trait_at_least", "trait": "patience", "rating": 4})
    job = JobFactory(checklists=[checklist])
    page = admin_client.get(reverse("admin:screening_job_change", args=[job.pk])).content.decode()
    # contact 24 s, one rating 4 s, privacy 5 s, submit 15 s; the longest passage typed at 50 字/分 after 15 s
    assert "约 3 分钟（表单 48 秒，情景题 0 秒，打字测试 99 秒，模拟对话 0 秒）" in page
