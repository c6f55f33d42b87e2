"""The buyer-chat work sample: server-timed delivery and replies, the application form, HR's transcript."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from screening.models import Application, ChatScenario, ChatSession, Requirement
from screening.services import applications_score
from screening.worksamples import buyer_chat as chat
from tests.factories import ChecklistFactory, JobFactory

pytestmark = pytest.mark.django_db

MESSAGES = [
    {"delay_seconds": 0, "text": "在吗？我的快递三天没动了。"},
    {"delay_seconds": 0, "text": "能不能快点？"},
]
MESSAGES_JSON = json.dumps(MESSAGES, ensure_ascii=False)
GOOD = ["亲，您好，抱歉让您久等了，我马上帮您查询物流。", "您放心，查不到我们就给您补发，谢谢您的耐心。"]


@pytest.fixture
def job():
    checklist = ChecklistFactory()
    ChatScenario.objects.create(
        checklist=checklist,
        code="chat_slow_parcel",
        title="快递不动",
        context="你是一家小店的客服。",
        messages=MESSAGES,
        keyword_groups=[["查询", "物流"], ["补发", "退款"]],
    )
    Requirement.objects.create(
        checklist=checklist,
        code="chat",
        title="模拟对话",
        weight=4,
        partial_credit=True,
        condition={"kind": "chat_response", "scenario": "chat_slow_parcel", "min_fast_share": 1.0},
    )
    return JobFactory(checklists=[checklist])


def _post(client, name, body):
    return client.post(reverse(name), data=json.dumps(body), content_type="application/json")


def _start(client, job):
    response = client.post(reverse("chat_start", args=[job.slug, "chat_slow_parcel"]))
    assert response.status_code == 200
    return response.json()


def _take_chat(client, job, replies=GOOD):
    state = _start(client, job)
    result = None
    for i, text in enumerate(replies):
        delivered = _post(client, "chat_next", {"session": state["session"]}).json()
        assert delivered == {"index": i, "text": MESSAGES[i]["text"]}
        answer = _post(client, "chat_reply", {"session": state["session"], "index": i, "text": text}).json()
        result = answer.get("result")
    return state["session"], result


def _apply(client, job, result, **extra):
    data = {"name": "林晓", "email": "linxiao@example.com", "phone": "13812345678", "consent_privacy": "on",
            "chat_chat_slow_parcel": result, **extra}  # fmt: skip
    return client.post(reverse("job_apply", args=[job.slug]), data, REMOTE_ADDR="10.9.9.9")


def test_the_chat_is_delivered_one_message_at_a_time_and_timed_by_the_server(client, job):
    session_key, result = _take_chat(client, job)
    assert result
    session = ChatSession.objects.get(key=session_key)
    assert session.finished_at is not None
    for turn in session.turns:
        assert 0 <= turn["replied"] - turn["delivered"] < 5


def test_a_message_is_not_delivered_before_its_delay(client, job):
    ChatScenario.objects.filter(code="chat_slow_parcel").update(
        messages=[{"delay_seconds": 30, "text": "在吗？"}, {"delay_seconds": 0, "text": "？"}]
    )
    state = _start(client, job)
    waited = _post(client, "chat_next", {"session": state["session"]}).json()
    assert 29 < waited["wait"] <= 30
    assert ChatSession.objects.get(key=state["session"]).turns == []


def test_a_reply_to_a_message_not_yet_delivered_is_refused_and_not_counted(client, job):
    state = _start(client, job)
    early = _post(client, "chat_reply", {"session": state["session"], "index": 0, "text": "您好，马上帮您查询"})
    assert early.status_code == 409 and "还没有送达" in early.json()["error"]
    assert ChatSession.objects.get(key=state["session"]).turns == []
    _post(client, "chat_next", {"session": state["session"]})
    ahead = _post(client, "chat_reply", {"session": state["session"], "index": 1, "text": "您好，给您补发"})
    assert ahead.status_code == 409
    turn = ChatSession.objects.get(key=state["session"]).turns[0]
    assert turn["replied"] is None and turn["reply"] == ""


def test_a_forged_time_from_the_browser_is_ignored(client, job):
    state = _start(client, job)
    _post(client, "chat_next", {"session": state["session"]})
    # 40 seconds pass between the delivery and the reply (moved back instead of sleeping)
    session = ChatSession.objects.get(key=state["session"])
    session.turns[0]["delivered"] -= 40
    session.save()
    forged = {"session": state["session"], "index": 0, "text": GOOD[0], "seconds": 1.5, "sent_at": 0, "replied": 0}
    answer = _post(client, "chat_reply", forged).json()
    assert answer["seconds"] >= 40
    _post(client, "chat_next", {"session": state["session"]})
    result = _post(client, "chat_reply", {"session": state["session"], "index": 1, "text": GOOD[1]}).json()["result"]

    assert _apply(client, job, result).status_code == 302
    application = Application.objects.get()
    turns = application.profile["chat"]["chat_slow_parcel"]["turns"]
    assert turns[0]["seconds"] >= 40 and turns[1]["seconds"] < 5
    applications_score(application_ids=[application.pk])
    evidence = {e["code"]: e["params"] for e in application.evaluation.results[0]["evidence"]}
    assert evidence["chat.fast_below"]["fast"] == 1
    # the second reply came back within milliseconds of its message: not typing, and HR is told so
    assert evidence["chat.flagged"] == {"flags": ["too_fast"]}


def test_another_browser_cannot_use_or_continue_the_run(client, job, django_user_model):
    from django.test import Client

    session_key, result = _take_chat(client, job)
    other = Client()
    assert _post(other, "chat_next", {"session": session_key}).status_code == 404
    response = _apply(other, job, result)
    assert response.status_code == 200 and not Application.objects.exists()
    assert "模拟对话结果无效" in response.content.decode()


def test_the_application_carries_the_transcript_and_the_run_counts_once(client, job):
    _session_key, result = _take_chat(client, job)
    assert _apply(client, job, result).status_code == 302
    application = Application.objects.get()
    chat_profile = application.profile["chat"]["chat_slow_parcel"]
    assert chat_profile["measured"] is True and [t["reply"] for t in chat_profile["turns"]] == GOOD
    assert ChatSession.objects.get().turns == []  # the replies live in the application only
    applications_score(application_ids=[application.pk])
    assert application.evaluation.results[0]["status"] == "met"
    # the same result for a second application (another job, same browser) is refused
    again = _apply(client, job, result, email="other@example.com", phone="13912345678")
    assert again.status_code == 200 and Application.objects.count() == 1


def test_the_form_asks_for_the_chat_and_keeps_it_across_an_error(client, job):
    page = client.get(reverse("job_apply", args=[job.slug])).content.decode()
    assert "data-chat-test" in page and "快递不动" in page and "chat-test.js" in page
    missing = _apply(client, job, "")
    assert missing.status_code == 200 and "请完成模拟对话测试" in missing.content.decode()
    _key, result = _take_chat(client, job)
    wrong_phone = _apply(client, job, result, phone="123")
    assert wrong_phone.status_code == 200
    assert f'value="{result}"' in wrong_phone.content.decode()  # the run is kept for the corrected submission
    assert _apply(client, job, result).status_code == 302


def test_reloading_continues_the_same_run(client, job):
    first = _start(client, job)
    _post(client, "chat_next", {"session": first["session"]})
    again = _start(client, job)
    assert again["session"] == first["session"]
    assert again["turns"] == [{"text": MESSAGES[0]["text"], "reply": None, "seconds": None}]
    assert _post(client, "chat_next", {"session": again["session"]}).json() == {"awaiting_reply": 0}


def test_hr_sees_the_transcript_with_times_against_the_norm(client, job, hr_client):
    session_key, result = _take_chat(client, job)
    _apply(client, job, result)
    application = Application.objects.get()
    applications_score(application_ids=[application.pk])
    page = hr_client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()
    section = page.split('id="chat-chat_slow_parcel"')[1].split("</section>")[0]
    assert MESSAGES[0]["text"] in section and GOOD[1] in section
    assert "秒，及时" in section and "礼貌用语" in section and "查询" in section and "补发" in section
    assert "整段对话命中 2 / 2 组要点：查询、补发" in section
    assert "2 / 2 条回复在 15 秒内" in page  # the requirement's evidence


def test_bad_requests_get_clear_errors(client, job):
    assert client.post(reverse("chat_next"), data="junk", content_type="application/json").status_code == 400
    gone = _post(client, "chat_next", {"session": "nope"})
    assert gone.status_code == 404 and "对话测试已失效" in gone.json()["error"]
    state = _start(client, job)
    _post(client, "chat_next", {"session": state["session"]})
    empty = _post(client, "chat_reply", {"session": state["session"], "index": 0, "text": "   "})
    assert empty.status_code == 400 and "回复不能为空" in empty.json()["error"]
    assert client.post(reverse("chat_start", args=[job.slug, "chat_unknown"])).status_code == 404


def test_old_runs_are_purged(client, job):
    from datetime import timedelta

    from django.utils import timezone

    state = _start(client, job)
    ChatSession.objects.filter(key=state["session"]).update(started_at=timezone.now() - timedelta(days=2))
    assert chat.purge_stale() == 1 and not ChatSession.objects.exists()


def test_the_seed_fixtures_bring_five_scenarios_used_by_two_checklists():
    call_command("load_seed", verbosity=0)
    assert ChatScenario.objects.count() >= 5
    titles = " ".join(ChatScenario.objects.values_list("title", flat=True))
    for topic in ("还价", "快递", "货不对板", "有没有货", "售后"):
        assert topic in titles, topic
    kinds = {
        r.checklist.slug
        for r in Requirement.objects.select_related("checklist")
        if r.condition.get("kind") == "chat_response"
    }
    assert {"team-lead-five-demands", "cs-eight-must-haves"} <= kinds


def test_admin_edits_scenarios_inline_and_malformed_ones_are_refused(client, django_user_model, job):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    scenario = ChatScenario.objects.get()
    checklist = scenario.checklist
    revision = type(checklist).objects.get(pk=checklist.pk).revision

    def post(messages, groups='[["查询"]]', code=scenario.code, delete=False):
        return client.post(
            reverse("admin:screening_checklist_change", args=[checklist.pk]),
            {
                "slug": checklist.slug, "name": checklist.name, "description": "", "source": "",
                **{f"{p}-{k}": v for p in ("requirements", "questions") for k, v in
                   (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"), ("MIN_NUM_FORMS", "0"), ("MAX_NUM_FORMS", "1000"))},
                "chat_scenarios-TOTAL_FORMS": "1", "chat_scenarios-INITIAL_FORMS": "1",
                "chat_scenarios-MIN_NUM_FORMS": "0", "chat_scenarios-MAX_NUM_FORMS": "1000",
                "chat_scenarios-0-id": str(scenario.pk), "chat_scenarios-0-checklist": str(checklist.pk),
                "chat_scenarios-0-code": code, "chat_scenarios-0-title": scenario.title,
                **({"chat_scenarios-0-DELETE": "on"} if delete else {}),
                "chat_scenarios-0-order": "0", "chat_scenarios-0-context": scenario.context,
                "chat_scenarios-0-source": "", "chat_scenarios-0-messages": messages,
                "chat_scenarios-0-keyword_groups": groups, "chat_scenarios-0-min_groups": "",
            },
        )  # fmt: skip

    page = client.get(reverse("admin:screening_checklist_change", args=[checklist.pk])).content.decode()
    # one message per line, its delay first
    assert "\n  {&quot;delay_seconds&quot;: 0, &quot;text&quot;: &quot;在吗？我的快递三天没动了。&quot;},\n" in page

    bad = post('[{"text": "在吗？"}]')
    assert bad.status_code == 200
    assert "第 1 条应写成" in bad.content.decode()
    assert ChatScenario.objects.get().messages == MESSAGES

    good = post(
        '[{"delay_seconds": 1, "text": "在吗？"}, {"delay_seconds": 3, "text": "还有货吗？"}]', '[["有货", "现货"]]'
    )
    assert good.status_code == 302
    assert ChatScenario.objects.get().messages[1] == {"delay_seconds": 3, "text": "还有货吗？"}
    revised = type(checklist).objects.get(pk=checklist.pk).revision
    assert revised > revision  # new keyword groups: scored again

    # new buyer wording only: scores do not depend on it, nothing is rescored
    same_groups = json.dumps(ChatScenario.objects.get().keyword_groups, ensure_ascii=False)
    assert post('[{"delay_seconds": 1, "text": "在吗在吗？"}]', same_groups).status_code == 302
    assert type(checklist).objects.get(pk=checklist.pk).revision == revised

    # a requirement reads it: it can be neither renamed nor deleted
    for attempt in (post(MESSAGES_JSON, code="chat_renamed"), post(MESSAGES_JSON, delete=True)):
        assert attempt.status_code == 200 and "仍被本清单的要求使用" in attempt.content.decode()
    assert ChatScenario.objects.filter(code="chat_slow_parcel").exists()


def test_starting_runs_by_the_dozen_is_refused(client, job, settings):
    settings.TEST_START_RATE = "3/m"
    url = reverse("chat_start", args=[job.slug, "chat_slow_parcel"])
    assert [client.post(url, REMOTE_ADDR="10.7.7.7").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.post(url, REMOTE_ADDR="10.7.7.8").status_code == 200  # another client is not affected


def test_a_message_is_answered_once_a_quick_hello_cannot_be_completed_later(client, job):
    state = _start(client, job)
    _post(client, "chat_next", {"session": state["session"]})
    first = _post(client, "chat_reply", {"session": state["session"], "index": 0, "text": "亲"}).json()
    later = _post(client, "chat_reply", {"session": state["session"], "index": 0, "text": "马上为您查询物流，补发"})
    assert later.status_code == 409 and "已经回复过" in later.json()["error"]
    retry = _post(client, "chat_reply", {"session": state["session"], "index": 0, "text": "亲"}).json()
    assert retry["seconds"] == first["seconds"]  # a network retry of the same reply is answered as before
    assert ChatSession.objects.get(key=state["session"]).turns[0]["reply"] == "亲"


def test_reloading_before_answering_the_last_message_lets_the_candidate_answer_it(client, job):
    state = _start(client, job)
    for i in range(2):
        _post(client, "chat_next", {"session": state["session"]})
        if i == 0:
            _post(client, "chat_reply", {"session": state["session"], "index": 0, "text": GOOD[0]})
    again = _start(client, job)
    assert [t["reply"] for t in again["turns"]] == [GOOD[0], None] and not again["done"]
    assert again["turns"][0]["seconds"] >= 0 and again["turns"][1]["seconds"] is None  # times shown again
    assert _post(client, "chat_next", {"session": again["session"]}).json() == {"awaiting_reply": 1}


def test_a_run_keeps_the_messages_it_started_with_when_an_admin_edits_the_scenario(client, job):
    state = _start(client, job)
    _post(client, "chat_next", {"session": state["session"]})
    scenario = ChatScenario.objects.get()
    scenario.messages = [{"delay_seconds": 0, "text": "新的第一条"}]
    scenario.save()
    _post(client, "chat_reply", {"session": state["session"], "index": 0, "text": GOOD[0]})
    assert _post(client, "chat_next", {"session": state["session"]}).json()["text"] == MESSAGES[1]["text"]
    assert _start(client, job)["total"] == 2


def test_a_reply_postgresql_cannot_store_is_refused_with_a_message(client, job):
    state = _start(client, job)
    _post(client, "chat_next", {"session": state["session"]})
    bad = _post(client, "chat_reply", {"session": state["session"], "index": 0, "text": "您好\x00"})
    assert bad.status_code == 400 and "无法保存的字符" in bad.json()["error"]


def test_the_widget_states_the_norm_of_the_job(client, job):
    Requirement.objects.filter(code="chat").update(
        condition={"kind": "chat_response", "scenario": "chat_slow_parcel", "max_seconds": 30}
    )
    page = client.get(reverse("job_apply", args=[job.slug])).content.decode()
    assert 'data-norm="30"' in page and "30 秒内回复算及时" in page


def _timed_transcript(replies):
    """The transcript of a run answered with the server's clock given: each (reply, seconds after delivery)."""
    session = chat.start(scenario=ChatScenario.objects.get(), holder="browser")
    now = session.started_at.timestamp() + 5
    for i, (text, seconds) in enumerate(replies):
        assert chat.next_message(key=session.key, holder="browser", now=now)["index"] == i
        now += seconds
        chat.post_reply(key=session.key, holder="browser", index=i, text=text, now=now)
    session.refresh_from_db()
    return chat.transcript(session)


@pytest.mark.parametrize(("reply", "seconds"), [("亲，您好，请问有什么", 0.3), ("好的", 0.5), ("在", 0.2)])
def test_a_short_reply_sent_within_a_second_of_the_message_is_flagged_too_fast(job, reply, seconds):
    transcript = _timed_transcript([(reply, seconds), (GOOD[1], 30)])
    assert [t["seconds"] for t in transcript["turns"]] == [seconds, 30]
    assert transcript["flags"] == ["too_fast"]


@pytest.mark.parametrize("seconds", [1.0, 1.5, 2.0])
def test_a_quick_human_greeting_is_not_flagged(job, seconds):
    transcript = _timed_transcript([("亲，在的", seconds), (GOOD[1], 30)])
    assert transcript["flags"] == []


ACK = "亲，在的"


def _hr_section(hr_client, job, chat_profile):
    from tests.factories import ApplicationFactory

    application = ApplicationFactory(job=job, profile={"chat": {"chat_slow_parcel": chat_profile}})
    page = hr_client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()
    return page.split('id="chat-chat_slow_parcel"')[1].split("</section>")[0]


def test_hr_sees_every_reply_with_its_time_and_the_first_reply_against_the_norm(job, hr_client):
    section = _hr_section(hr_client, job, {
        "measured": True, "title": "快递不动", "flags": [],
        "turns": [
            {"buyer": MESSAGES[0]["text"],
             "replies": [{"text": ACK, "seconds": 0.8}, {"text": "马上帮您查物流", "seconds": 9}]},
            {"buyer": MESSAGES[1]["text"],
             "replies": [{"text": "好的", "seconds": 21}, {"text": "可以补发", "seconds": 30.3}]},
        ],
    })  # fmt: skip
    assert section.count('class="mt-1 chat-reply"') == 4
    # each reply with its time, one decimal everywhere
    for text, seconds in ((ACK, "0.8"), ("马上帮您查物流", "9.0"), ("好的", "21.0"), ("可以补发", "30.3")):
        assert text in section and f"{seconds} 秒</span>" in section
    # the response time is the first reply's: the acknowledgement made the first message timely
    assert "首次回复 <span" in section
    assert "0.8 秒，及时" in section and "21.0 秒，超时" in section and "9.0 秒，及时" not in section
    # courtesy and points over all replies of the message: 亲 from the acknowledgement, 查 and 补发 from the rest
    first, second = section.split('class="border rounded p-2 mb-2 small chat-turn"')[1:]
    assert "礼貌用语：您、亲" in first and "命中要点：物流" in first
    assert "没有礼貌用语" in second and "命中要点：补发" in second
    assert "整段对话命中 2 / 2 组要点：物流、补发" in section


def test_hr_still_reads_a_transcript_stored_with_one_reply_per_message(job, hr_client):
    section = _hr_section(hr_client, job, {
        "measured": True, "title": "快递不动", "flags": ["too_fast"],
        "turns": [
            {"buyer": MESSAGES[0]["text"], "reply": GOOD[0], "seconds": 4.2},
            {"buyer": MESSAGES[1]["text"], "reply": "", "seconds": None},
        ],
    })  # fmt: skip
    assert GOOD[0] in section and "4.2 秒</span>" in section and "4.2 秒，及时" in section
    assert "没有回复" in section and "对话结果可疑" in section
    assert "整段对话命中 1 / 2 组要点：查询" in section
