"""A job's advert must not state the keyed answer of a question the job scores: the check, and admin's warning."""

import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from screening import selectors
from screening.giveaways import Giveaway, answers_given_away
from screening.models import Job, JobChecklist, Question
from screening.seed import load_fixtures
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory

FIRST_RESPONSE = {"kind": "choice_answer", "question": "first", "points": {"a": 1, "b": 0.5, "c": 0}}
OPTIONS = {
    "first": [
        {"code": "a", "label": "15秒以内"},
        {"code": "b", "label": "30秒以内"},
        {"code": "c", "label": "是"},
    ]
}
LATE = {
    "kind": "text_answer",
    "question": "late",
    "groups": [["抱歉", "对不起"], ["仓库", "物流"], ["尽快", "马上"]],
    "min_groups": 2,
}


def found(text, *conditions):
    return answers_given_away(public_text=text, conditions=conditions, options=OPTIONS)


def test_an_advert_stating_the_best_option_gives_it_away_however_it_is_written():
    expected = [Giveaway("first", "15秒以内")]
    assert found("首次响应时长需控制在15秒以内。", FIRST_RESPONSE) == expected
    # traditional characters, full-width digits, spaces and 内 for 以内 say the same
    assert found("首次響應需在１５ 秒內完成", FIRST_RESPONSE) == expected
    assert found("首次响应不超过十五秒", FIRST_RESPONSE) == []  # not the option's wording: a person judges


def test_only_the_keyed_option_counts_and_short_labels_are_not_looked_for():
    assert found("首次响应30秒以内即可", FIRST_RESPONSE) == []  # a wrong option in the advert gives nothing away
    keyed_yes = {"kind": "choice_answer", "question": "first", "points": {"c": 1, "a": 0, "b": 0}}
    assert found("是否接受轮班：是", keyed_yes) == []  # "是" would be found anywhere


def test_a_written_question_is_given_away_when_the_advert_has_the_keywords_it_needs():
    assert found("仓库发货延迟时请尽快处理", LATE) == [Giveaway("late", "仓库、尽快")]
    assert found("与仓库协作", LATE) == []  # one group of the two it needs


def test_questions_inside_combinators_are_checked_and_each_is_reported_once():
    tree = {"kind": "any_of", "conditions": [FIRST_RESPONSE, {"kind": "skill_has", "skill": "excel"}]}
    assert found("15秒以内回复", tree, FIRST_RESPONSE) == [Giveaway("first", "15秒以内")]


# -- the demo adverts and admin's warning -----------------------------------------------------------------------
@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    return client


def _job_with_first_response(description, code="first"):
    checklist = ChecklistFactory()
    Question.objects.create(
        checklist=checklist, code=code, prompt="首次响应应控制在多长时间内？", options=OPTIONS["first"]
    )
    RequirementFactory(checklist=checklist, weight=4, condition={**FIRST_RESPONSE, "question": code})
    return JobFactory(checklists=[checklist], title="双11客服", description=description), checklist


def _warnings(response):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


@pytest.mark.django_db
def test_no_demo_advert_gives_a_keyed_answer_away():
    """The Double-11 advert said 首次响应时长需控制在15秒以内, the keyed answer of its weight-4 quiz question."""
    load_fixtures()
    assert {job.slug: selectors.job_answers_given_away(job=job) for job in Job.objects.all()} == {
        job.slug: [] for job in Job.objects.all()
    }


@pytest.mark.django_db
def test_the_job_admin_page_warns_of_a_keyed_answer_in_the_advert(admin_client):
    job, _checklist = _job_with_first_response("首次响应时长需控制在15秒以内")
    response = admin_client.get(reverse("admin:screening_job_change", args=[job.pk]))
    (warning,) = _warnings(response)
    assert "双11客服" in warning and "first（15秒以内）" in warning
    clean, _other = _job_with_first_response("回复及时、礼貌", code="first_again")
    assert _warnings(admin_client.get(reverse("admin:screening_job_change", args=[clean.pk]))) == []


@pytest.mark.django_db
def test_saving_the_job_warns_once(admin_client):
    job, checklist = _job_with_first_response("回复及时、礼貌")
    link = JobChecklist.objects.get(job=job)
    data = {
        "slug": job.slug, "title": job.title, "description": "首次响应15秒内", "location": job.location,
        "employment_type": job.employment_type, "status": job.status, "advance_threshold": "60",
        "job_checklists-TOTAL_FORMS": "1", "job_checklists-INITIAL_FORMS": "1",
        "job_checklists-MIN_NUM_FORMS": "0", "job_checklists-MAX_NUM_FORMS": "1000",
        "job_checklists-0-id": str(link.pk), "job_checklists-0-job": str(job.pk),
        "job_checklists-0-checklist": str(checklist.pk), "job_checklists-0-order": "0",
    }  # fmt: skip
    url = reverse("admin:screening_job_change", args=[job.pk])
    saved = admin_client.post(url, {**data, "_save": "1"}, follow=True)
    assert Job.objects.get(pk=job.pk).description == "首次响应15秒内"
    assert [w for w in _warnings(saved) if "first（15秒以内）" in w] != []
    kept = admin_client.post(url, {**data, "_continue": "1"}, follow=True)  # back on the change page: one warning
    assert len([w for w in _warnings(kept) if "first（15秒以内）" in w]) == 1


@pytest.mark.django_db
def test_saving_a_checklist_warns_of_the_jobs_whose_advert_now_gives_an_answer_away(admin_client):
    job, checklist = _job_with_first_response("首次响应时长需控制在15秒以内")
    requirement = checklist.requirements.get()
    question = checklist.questions.get()
    data = {
        "slug": checklist.slug, "name": checklist.name, "description": "", "source": "",
        "requirements-TOTAL_FORMS": "1", "requirements-INITIAL_FORMS": "1",
        "requirements-MIN_NUM_FORMS": "0", "requirements-MAX_NUM_FORMS": "1000",
        "requirements-0-id": str(requirement.pk), "requirements-0-checklist": str(checklist.pk),
        "requirements-0-code": requirement.code, "requirements-0-title": requirement.title,
        "requirements-0-category": "situational", "requirements-0-description": "",
        "requirements-0-condition": json.dumps({**FIRST_RESPONSE, "points": {"a": 1, "b": 0, "c": 0}}),
        "requirements-0-weight": "4", "requirements-0-order": "0",
        "questions-TOTAL_FORMS": "1", "questions-INITIAL_FORMS": "1",
        "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000",
        "questions-0-id": str(question.pk), "questions-0-checklist": str(checklist.pk),
        "questions-0-code": "first", "questions-0-kind": "choice", "questions-0-order": "0",
        "questions-0-prompt": question.prompt, "questions-0-options": '[{"code": "a", "label": "15秒以内"}, '
        '{"code": "b", "label": "30秒以内"}, {"code": "c", "label": "是"}]',
        "chat_scenarios-TOTAL_FORMS": "0", "chat_scenarios-INITIAL_FORMS": "0",
        "chat_scenarios-MIN_NUM_FORMS": "0", "chat_scenarios-MAX_NUM_FORMS": "1000",
        "_save": "1",
    }  # fmt: skip
    response = admin_client.post(reverse("admin:screening_checklist_change", args=[checklist.pk]), data, follow=True)
    assert response.redirect_chain, response.context["adminform"].form.errors
    assert [w for w in _warnings(response) if "双11客服" in w and "first（15秒以内）" in w] != []
