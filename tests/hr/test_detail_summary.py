"""HR's detail page leads with the decision: the person's decision and the system's advice labelled as such, the
knockouts failed, the measured results; the requirement table grouped by what backs it, each chat transcript
beside the requirement it explains, and the filled button the one the system advises."""

import re

import pytest
from django.urls import reverse

from screening.models import Application, ChatScenario, Requirement
from screening.services import applications_score, decisions
from tests.factories import ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db

CHAT = {
    "measured": True,
    "turns": [
        {
            "buyer": "在吗",
            "replies": [{"text": "亲，在的", "seconds": 3.2}, {"text": "您好，请问查什么？", "seconds": 9}],
        },
        {"buyer": "快递丢了", "replies": [{"text": "我查一下物流", "seconds": 21.5}]},
    ],
}


@pytest.fixture
def job():
    checklist = ChecklistFactory()
    ChatScenario.objects.create(
        checklist=checklist, code="chat_parcel", title="快递不动", context="您是一家小店的客服。",
        messages=[{"text": "在吗"}, {"text": "快递丢了"}], keyword_groups=[["物流"], ["补发", "退款"]],
    )  # fmt: skip
    RequirementFactory(
        checklist=checklist, code="education", title="学历：高中及以上", knockout=True, weight=3,
        condition={"kind": "education_at_least", "level": "senior_high"},
    )  # fmt: skip
    RequirementFactory(
        checklist=checklist, code="typing", title="打字速度", weight=3,
        condition={"kind": "typing_at_least", "cpm": 50},
    )  # fmt: skip
    Requirement.objects.create(
        checklist=checklist, code="chat", title="模拟对话：快递", weight=4, partial_credit=True,
        condition={"kind": "chat_response", "scenario": "chat_parcel", "min_fast_share": "1/2"},
    )  # fmt: skip
    RequirementFactory(
        checklist=checklist, code="patience", title="有耐心", weight=1, partial_credit=True,
        condition={"kind": "trait_at_least", "trait": "patience", "rating": 4},
    )  # fmt: skip
    return JobFactory(checklists=[checklist], advance_threshold=60)


def _page(client, application) -> str:
    applications_score(application_ids=[application.pk])
    return client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()


def _profile(education):
    return {"education": education, "typing": {"cpm": 62, "accuracy": 0.97, "measured": True},
            "chat": {"chat_parcel": CHAT}, "traits": {"patience": 3}}  # fmt: skip


def test_the_summary_leads_with_knockouts_and_measured_results(hr_client, job):
    application = ApplicationFactory(job=job, profile=_profile("junior_middle"))
    page = _page(hr_client, application)
    top = page.index('id="summary-card"')
    assert top < page.index('id="decision"') < page.index('id="results"')
    failed = re.search(r'id="knockouts-failed">(.*?)</div>', page, re.S)[1]
    assert "学历：高中及以上" in failed
    typing = re.search(r'id="measured-typing">(.*?)</div>', page, re.S)[1]
    assert "62 字/分钟" in typing and "本站实测" in typing
    chat = re.search(r'data-measured-chat="chat_parcel">(.*?)</div>', page, re.S)[1]
    # one of two messages got its first reply within 15 s; first replies 3.2 and 21.5 s
    assert (
        "快递不动" in chat and "1/2 条消息在 15 秒内首次回复" in chat and "平均 12.4 秒" in chat
    )  # (3.2 + 21.5) / 2 = 12.35, rounded half up
    assert top < page.index('id="measured-typing"') < page.index('id="results"')


def test_a_rejection_recommended_makes_reject_the_filled_button(hr_client, job):
    application = ApplicationFactory(job=job, profile=_profile("junior_middle"))
    page = _page(hr_client, application)
    assert re.search(r'class="btn btn-danger" id="reject"', page)
    assert re.search(r'class="btn btn-outline-primary" id="advance"', page)


def test_an_advance_recommended_makes_advance_the_filled_button(hr_client, job):
    application = ApplicationFactory(job=job, profile=_profile("bachelor"))
    page = _page(hr_client, application)
    assert application.evaluation.recommendation == "advance"
    assert re.search(r'class="btn btn-primary" id="advance"', page)
    assert re.search(r'class="btn btn-outline-danger" id="reject"', page)


def test_after_a_rejection_the_persons_decision_and_the_advice_are_labelled_apart(hr_client, hr_user, job):
    application = ApplicationFactory(job=job, profile=_profile("bachelor"))
    applications_score(application_ids=[application.pk])
    decisions.application_decide(
        application=application, to_stage=Application.Stage.REJECTED, by=hr_user, reason="other",
        expected_stage=Application.Stage.APPLIED,
    )  # fmt: skip
    page = hr_client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()
    state = re.search(r'id="decision-state">(.*?)</div>\s*</div>', page, re.S)[1]
    decided, advised = state.split("系统建议")
    assert "HR 决定" in decided and 'data-decision="rejected"' in decided and hr_user.get_username() in decided
    assert "建议进入下一轮" in advised and "建议进入下一轮" not in decided
    assert 'id="reject"' not in page  # decided: no filled button pushes either way


def test_the_transcript_sits_beside_the_requirement_it_explains(hr_client, job):
    application = ApplicationFactory(job=job, profile=_profile("bachelor"))
    page = _page(hr_client, application)
    row = page.index(f'data-requirement="{job.checklists.get().slug}.chat"')
    transcript = page.index('id="chat-chat_parcel"')
    next_row = page.find("data-requirement=", row + 1)
    assert row < transcript and (next_row == -1 or transcript < next_row)
    assert transcript < page.index('id="profile"')
    assert "模拟买家对话：快递不动" in page  # the scenario's title, not its code


def test_groups_open_on_work_samples_and_fold_self_ratings(hr_client, job):
    application = ApplicationFactory(job=job, profile=_profile("bachelor"))
    page = _page(hr_client, application)
    opened = dict(re.findall(r'<details class="result-group[^"]*" data-group="(\w+)"( open)?>', page))
    assert opened == {"work_sample": " open", "claimed": "", "self_rated": ""}
    application = ApplicationFactory(job=job, profile=_profile("junior_middle"))
    page = _page(hr_client, application)
    opened = dict(re.findall(r'<details class="result-group[^"]*" data-group="(\w+)"( open)?>', page))
    assert opened["claimed"] == " open"  # a knockout failed in it


def test_no_dangling_colon_when_a_chat_covers_no_key_point(hr_client, job):
    silent = {"measured": True, "turns": [{"buyer": "在吗", "replies": [{"text": "嗯", "seconds": 2}]}]}
    application = ApplicationFactory(job=job, profile={**_profile("bachelor"), "chat": {"chat_parcel": silent}})
    page = _page(hr_client, application)
    assert "整段对话没有命中任何一组要点（共 2 组）" in page
    assert not re.search(r"组要点：\s*</p>", page)
