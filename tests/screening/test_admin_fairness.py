"""Admin refuses checklists that screen on prohibited grounds, and asks why for age and health (issue 16 item 5):
posted to the checklist's change form as a superuser, refused with a message that names the field and the words,
in Chinese and in English; nothing saved."""

import json

import pytest
from django.urls import reverse

from screening.models import Checklist, ChecklistRevision, Question, Requirement
from tests.factories import ChecklistFactory, RequirementFactory

pytestmark = pytest.mark.django_db

EDU = {"kind": "education_at_least", "level": "senior_high"}
OPTIONS = [{"code": "a", "label": "会"}, {"code": "b", "label": "不会"}]


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    return client


@pytest.fixture
def checklist():
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, code="req", title="学历", condition=EDU)
    Question.objects.create(checklist=checklist, code="q1", prompt="会用 Excel 吗？", kind="choice", options=OPTIONS)
    return checklist


def _post(checklist, requirement=None, question=None):
    """The change form as a browser posts it: one requirement and one question inline, with the fields given."""
    req = Requirement.objects.get(checklist=checklist)
    q = Question.objects.get(checklist=checklist)
    requirement = {"title": req.title, "description": "", "condition": json.dumps(EDU), "justification": "",
                   **(requirement or {})}  # fmt: skip
    question = {"prompt": q.prompt, "options": json.dumps(OPTIONS, ensure_ascii=False), **(question or {})}
    data = {
        "slug": checklist.slug, "name": checklist.name, "description": "", "source": "",
        "requirements-TOTAL_FORMS": "1", "requirements-INITIAL_FORMS": "1",
        "requirements-MIN_NUM_FORMS": "0", "requirements-MAX_NUM_FORMS": "1000",
        "requirements-0-id": str(req.pk), "requirements-0-checklist": str(checklist.pk),
        "requirements-0-code": req.code, "requirements-0-category": "basic", "requirements-0-weight": "1",
        "requirements-0-order": "0",
        "questions-TOTAL_FORMS": "1", "questions-INITIAL_FORMS": "1",
        "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000",
        "questions-0-id": str(q.pk), "questions-0-checklist": str(checklist.pk), "questions-0-code": q.code,
        "questions-0-kind": "choice", "questions-0-order": "0",
        "chat_scenarios-TOTAL_FORMS": "0", "chat_scenarios-INITIAL_FORMS": "0",
        "chat_scenarios-MIN_NUM_FORMS": "0", "chat_scenarios-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    data.update({f"requirements-0-{k}": v for k, v in requirement.items()})
    data.update({f"questions-0-{k}": v for k, v in question.items()})
    return data


def _errors(response) -> list[str]:
    requirements, questions, _scenarios = (inline.formset for inline in response.context["inline_admin_formsets"])
    return [e for errors in (*requirements.errors, *questions.errors) for field in errors.values() for e in field]


CASES = [
    # (requirement fields, question fields, the message in Chinese, the message in English)
    (
        {"title": "限女性"}, {},
        "标题含有“限女性”：不得以性别作为招聘条件",
        "Title contains “限女性”: sex may not be a condition of hiring",
    ),
    (
        {"description": "已婚已育者优先"}, {},
        "说明含有“已婚”：不得以婚姻状况作为招聘条件",
        "Description contains “已婚”: marital status may not be a condition of hiring",
    ),
    (
        {"condition": json.dumps({"kind": "major_matches", "keywords": ["电商", "无生育计划"]}, ensure_ascii=False)},
        {},
        "条件 keywords[1]含有“生育”：不得以生育状况作为招聘条件",
        "Condition keywords[1] contains “生育”: childbearing may not be a condition of hiring",
    ),
    (
        {}, {"prompt": "您是汉族吗？"},
        "题目含有“汉族”：不得以民族作为招聘条件",
        "Question contains “汉族”: ethnicity may not be a condition of hiring",
    ),
    (
        {}, {"options": json.dumps([{"code": "a", "label": "本地戶口"}, {"code": "b", "label": "其他"}],
                                   ensure_ascii=False)},
        "选项 [0].label含有“户口”：不得以户籍或籍贯作为招聘条件",
        "Options [0].label contains “户口”: hukou or native place may not be a condition of hiring",
    ),
    (
        {"condition": json.dumps({"kind": "text_answer", "question": "q1", "groups": [["乙肝"]]}, ensure_ascii=False)},
        {},
        "条件 groups[0][0]含有“乙肝”：不得以乙肝等传染病病原携带作为招聘条件",
        "Condition groups[0][0] contains “乙肝”: carrying hepatitis B or another infectious disease may not be a "
        "condition of hiring",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("requirement", "question", "zh", "en"), CASES)
def test_each_prohibited_ground_is_refused_with_the_field_and_the_words(
    admin_client, checklist, requirement, question, zh, en
):
    url = reverse("admin:screening_checklist_change", args=[checklist.pk])
    revision = Checklist.objects.get(pk=checklist.pk).revision
    response = admin_client.post(url, _post(checklist, requirement, question))
    assert response.status_code == 200  # the form again, not saved
    assert [e for e in _errors(response) if zh in e], _errors(response)
    admin_client.cookies["django_language"] = "en"
    english = admin_client.post(url, _post(checklist, requirement, question), HTTP_ACCEPT_LANGUAGE="en")
    assert [e for e in _errors(english) if en in e], _errors(english)
    assert Checklist.objects.get(pk=checklist.pk).revision == revision
    assert Requirement.objects.get(checklist=checklist).condition == EDU
    assert Question.objects.get(checklist=checklist).prompt == "会用 Excel 吗？"


def test_neutral_wording_is_saved(admin_client, checklist):
    url = reverse("admin:screening_checklist_change", args=[checklist.pk])
    response = admin_client.post(url, _post(checklist, {"description": "性别不限，男女均可"}))
    assert response.status_code == 302
    assert Requirement.objects.get(checklist=checklist).description == "性别不限，男女均可"


@pytest.mark.parametrize(
    ("condition", "zh", "en"),
    [
        ({"kind": "age_between", "min": 18}, "该条件按年龄筛选：请写明它为何为岗位所必需",
         "This condition screens by age: write down why the job needs it"),
        ({"kind": "declared", "declaration": "good_health"}, "该条件按健康信息筛选：请写明它为何为岗位所必需",
         "This condition screens by health information: write down why the job needs it"),
        ({"kind": "all_of", "conditions": [{"kind": "age_between", "max": 40}, {"kind": "declared",
          "declaration": "good_health"}]}, "该条件按年龄、健康信息筛选",
         "This condition screens by age, health information"),
    ],
)  # fmt: skip
def test_an_age_or_health_condition_needs_a_justification(admin_client, checklist, condition, zh, en):
    url = reverse("admin:screening_checklist_change", args=[checklist.pk])
    posted = _post(checklist, {"condition": json.dumps(condition)})
    response = admin_client.post(url, posted)
    assert response.status_code == 200
    requirements = response.context["inline_admin_formsets"][0].formset
    assert [e for e in requirements.errors[0].get("justification", []) if zh in e]
    admin_client.cookies["django_language"] = "en"
    english = admin_client.post(url, posted, HTTP_ACCEPT_LANGUAGE="en")
    assert [e for e in english.context["inline_admin_formsets"][0].formset.errors[0]["justification"] if en in e]
    assert Requirement.objects.get(checklist=checklist).condition == EDU

    reason = "夜班坐席：未成年工不得安排夜班（《未成年工特殊保护规定》）"
    saved = admin_client.post(url, _post(checklist, {"condition": json.dumps(condition), "justification": reason}))
    assert saved.status_code == 302
    requirement = Requirement.objects.get(checklist=checklist)
    assert (requirement.condition, requirement.justification) == (condition, reason)
    # the reason is part of the revision it was saved in
    current = Checklist.objects.get(pk=checklist.pk).revision
    snapshot = ChecklistRevision.objects.get(checklist=checklist, revision=current).snapshot
    assert snapshot["requirements"][0]["justification"] == reason


def test_other_conditions_need_no_justification(admin_client, checklist):
    url = reverse("admin:screening_checklist_change", args=[checklist.pk])
    typing = {"kind": "typing_at_least", "cpm": 50}
    assert admin_client.post(url, _post(checklist, {"condition": json.dumps(typing)})).status_code == 302
