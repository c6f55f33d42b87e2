"""The candidate's explanation on the status page and in the JSON export: the job's requirements by title with a
plain result and the revisions scored on, in the reader's language; never a keyed answer, a key point or the
points an option earns; nothing while unscored or stale; only for the holder of the status link."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from screening import services
from screening.models import Application, ChatScenario, Checklist, Question, Requirement
from screening.services import applications_score, checklist_bump_revision
from tests.factories import ApplicantFactory, ChecklistFactory, JobFactory

pytestmark = pytest.mark.django_db

BEST_OPTION = "先向买家道歉并马上查物流"  # keyed best (1 point)
OPTIONS = [
    {"code": "a", "label": BEST_OPTION},
    {"code": "b", "label": "请买家自己联系快递公司"},  # 0.35: what this candidate chose
    {"code": "c", "label": "暂时不回复"},
]
POINTS = {"a": 1, "b": 0.35, "c": 0.15}
# keyword groups of the short answer and of the chat, none typed by this candidate...
TEXT_KEYS = ["核实订单号", "补偿红包", "七天无理由"]
CHAT_KEYS = ["重新补发", "全额赔付", "登记工单"]
# ...but for these two, typed in the short answer (so in the export's own copy of the answers, never elsewhere)
TYPED_KEYS = ["查物流", "优惠券"]
ANSWER = "您好，我这边先帮您查物流，再给您一张优惠券。"
CHAT = {
    "measured": True,
    "turns": [{"buyer": "我的包裹丢了", "replies": [{"text": "亲，您好，我帮您看看", "seconds": 4}]}],
}


@pytest.fixture
def job():
    checklist = ChecklistFactory(name="电商客服基本要求")
    Question.objects.create(checklist=checklist, code="q_late", prompt="买家催问快递延误，您怎么回复？",
                            kind="choice", options=OPTIONS)  # fmt: skip
    Question.objects.create(checklist=checklist, code="q_refund", prompt="买家要求退款，您怎么处理？", kind="text")
    ChatScenario.objects.create(
        checklist=checklist, code="chat_lost", title="包裹丢失", context="您是一家小店的客服。",
        messages=[{"delay_seconds": 1, "text": "我的包裹丢了"}], keyword_groups=[[k] for k in CHAT_KEYS], min_groups=2,
    )  # fmt: skip
    rows = [
        ("education", "学历：高中及以上", True, 3, {"kind": "education_at_least", "level": "senior_high"}),
        ("late", "情景题：快递延误", False, 2, {"kind": "choice_answer", "question": "q_late", "points": POINTS}),
        ("refund", "简答：退款处理", False, 2, {"kind": "text_answer", "question": "q_refund",
                                              "groups": [[TEXT_KEYS[0], TYPED_KEYS[0]], [TEXT_KEYS[1], TYPED_KEYS[1]],
                                                         [TEXT_KEYS[2]]], "min_groups": 2}),
        ("chat", "模拟对话：包裹丢失", False, 4, {"kind": "chat_response", "scenario": "chat_lost"}),
        ("typing", "打字每分钟 50 字", False, 1, {"kind": "typing_at_least", "cpm": 50}),
    ]  # fmt: skip
    for order, (code, title, knockout, weight, condition) in enumerate(rows):
        Requirement.objects.create(checklist=checklist, code=code, title=title, knockout=knockout, weight=weight,
                                   condition=condition, order=order)  # fmt: skip
    return JobFactory(checklists=[checklist])


@pytest.fixture
def application(job):
    return Application.objects.create(
        applicant=ApplicantFactory(), job=job, profile={"education": "bachelor", "chat": {"chat_lost": CHAT}},
        answers={"q_late": "b", "q_refund": ANSWER},
    )  # fmt: skip


def _holder(application) -> Client:
    client = Client()
    token = services.application_issue_status_token(application=application)
    assert client.get(reverse("application_status", args=[token])).status_code == 302
    return client


def _page(client, application) -> str:
    response = client.get(reverse("application_status_page", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _export(client, application) -> dict:
    return json.loads(client.get(reverse("application_status_data", args=[application.pk])).content)


def _section(page: str) -> str:
    start = page.index('id="explanation"')
    return page[start : page.index("</section>", start)]


def test_the_status_page_lists_each_requirement_with_a_plain_result(application):
    applications_score(application_ids=[application.pk])
    client = _holder(application)
    section = _section(_page(client, application))
    expected = [
        ("学历：高中及以上", "met"), ("情景题：快递延误", "partial"), ("简答：退款处理", "met"),
        ("模拟对话：包裹丢失", "not_met"), ("打字每分钟 50 字", "unknown"),
    ]  # fmt: skip
    for title, status in expected:
        group = section[section.index(f'data-status="{status}"') :]
        assert title in group[: group.index("</ul>")], (title, status)
    revision = Checklist.objects.get().revision  # each requirement and question saved bumped it
    assert f"电商客服基本要求（第 {revision} 版）" in section
    assert "“未知”表示您没有填写相关信息" in section


def test_no_keyed_answer_key_point_or_option_points_reach_the_candidate(application):
    applications_score(application_ids=[application.pk])
    client = _holder(application)
    page = _page(client, application)
    exported = _export(client, application)
    explanation = json.dumps(exported["explanation"], ensure_ascii=False)
    whole_export = json.dumps(exported, ensure_ascii=False)
    assert "情景题：快递延误" in page and "情景题：快递延误" in explanation  # the explanation is there
    for text in (page, explanation):
        for secret in [BEST_OPTION, *TEXT_KEYS, *CHAT_KEYS, *TYPED_KEYS, "0.35", "0.15", "要点", "命中", "得 "]:
            assert secret not in text, secret
    # the export also holds the candidate's own answers (PIPL art. 45), which give away nothing they did not type
    for secret in [BEST_OPTION, *TEXT_KEYS, *CHAT_KEYS, "0.35", "0.15"]:
        assert secret not in whole_export, secret
    assert exported["answers"]["q_refund"] == ANSWER


def test_the_explanation_reads_in_english_on_request(application, settings):
    applications_score(application_ids=[application.pk])
    client = _holder(application)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    section = _section(_page(client, application))
    for label in ("Met", "Partially met", "Not met", "Unknown", "Required", "Weight 3"):
        assert label in section, label
    assert "满足" not in section
    exported = _export(client, application)["explanation"]
    assert {r["title"]: r["result_text"] for r in exported["requirements"]}["模拟对话：包裹丢失"] == "Not met"


def test_nothing_is_explained_before_scoring_or_while_the_score_is_stale(application):
    client = _holder(application)
    page = _page(client, application)
    assert 'id="explanation"' not in page and 'id="explanation-pending"' in page
    assert _export(client, application)["explanation"] is None

    applications_score(application_ids=[application.pk])
    assert 'id="explanation"' in _page(client, application)
    checklist_bump_revision(checklist_id=Checklist.objects.get().pk)  # an admin edited the checklist: not rescored yet
    page = _page(client, application)
    assert 'id="explanation"' not in page and "情景题：快递延误" not in page
    assert _export(client, application)["explanation"] is None


def test_only_the_link_holder_sees_the_explanation(application, job):
    applications_score(application_ids=[application.pk])
    other = Application.objects.create(applicant=ApplicantFactory(), job=job, profile={"education": "bachelor"})
    client = _holder(other)  # holds a link, but to another application
    for name in ("application_status_page", "application_status_data"):
        response = client.get(reverse(name, args=[application.pk]))
        assert response.status_code == 404
        assert "情景题" not in response.content.decode()
