"""The buyer-chat work sample: server-timed delivery and replies, the application form, HR's transcript.

A buyer message takes several replies (a quick "亲，在的", then the answer); the first one's time is the
response time. The engine that scores these transcripts is being changed to read that format elsewhere, so
these tests check what is stored and what HR's transcript shows, and from the score only the flags (which
both formats carry alike)."""

import json
import time

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
    for i, text in enumerate(replies):
        delivered = _post(client, "chat_next", {"session": state["session"]}).json()
        assert delivered == {"index": i, "text": MESSAGES[i]["text"]}
        answer = _post(client, "chat_reply", {"session": state["session"], "index": i, "text": text}).json()
        assert answer["first"] and answer["can_finish"] == (i == len(MESSAGES) - 1)
    finished = _post(client, "chat_finish", {"session": state["session"]}).json()
    assert finished["done"] is True
    return state["session"], finished["result"]


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
        assert [0 <= r["at"] - turn["delivered"] < 5 for r in turn["replies"]] == [True]


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
    assert ChatSession.objects.get(key=state["session"]).turns[0]["replies"] == []


def test_a_forged_time_from_the_browser_is_ignored(client, job):
    state = _start(client, job)
    _post(client, "chat_next", {"session": state["session"]})
    # 40 seconds pass between the delivery and the reply (moved back instead of sleeping)
    session = ChatSession.objects.get(key=state["session"])
    session.turns[0]["delivered"] -= 40
    session.save()
    forged = {"session": state["session"], "index": 0, "text": GOOD[0], "seconds": 1.5, "sent_at": 0, "at": 0}
    answer = _post(client, "chat_reply", forged).json()
    assert answer["seconds"] >= 40
    forged.update(text="亲，在的", delivered=time.time(), replied=time.time())  # a second reply, with more lies
    assert _post(client, "chat_reply", forged).json()["seconds"] >= 40
    _post(client, "chat_next", {"session": state["session"]})
    _post(client, "chat_reply", {"session": state["session"], "index": 1, "text": GOOD[1], "seconds": 30})
    result = _post(client, "chat_finish", {"session": state["session"], "seconds": 99}).json()["result"]

    assert _apply(client, job, result).status_code == 302
    application = Application.objects.get()
    turns = application.profile["chat"]["chat_slow_parcel"]["turns"]
    assert [r["seconds"] >= 40 for r in turns[0]["replies"]] == [True, True]
    assert turns[1]["replies"][0]["seconds"] < 5
    applications_score(application_ids=[application.pk])
    evidence = {e["code"]: e["params"] for e in application.evaluation.results[0]["evidence"]}
    assert evidence["chat.first_fast_below"]["fast"] == 1  # timed by its first (here: only) reply
    # the last reply came back within milliseconds of its message: not typing, and HR is told so
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
    assert chat_profile["measured"] is True
    assert [[r["text"] for r in t["replies"]] for t in chat_profile["turns"]] == [[GOOD[0]], [GOOD[1]]]
    assert ChatSession.objects.get().turns == []  # the replies live in the application only
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
    assert again["turns"] == [{"text": MESSAGES[0]["text"], "replies": [], "since": again["turns"][0]["since"]}]
    assert 0 <= again["turns"][0]["since"] < 5  # the first-reply countdown goes on, it does not start again
    assert _post(client, "chat_next", {"session": again["session"]}).json()["awaiting_reply"] == 0


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
    assert "2 / 2 条买家消息在 15 秒内得到首次回复" in page  # the requirement's evidence: first responses


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


def test_reloading_before_answering_the_last_message_lets_the_candidate_answer_it(client, job):
    state = _start(client, job)
    for i in range(2):
        _post(client, "chat_next", {"session": state["session"]})
        if i == 0:
            _post(client, "chat_reply", {"session": state["session"], "index": 0, "text": GOOD[0]})
    again = _start(client, job)
    assert [[r["text"] for r in t["replies"]] for t in again["turns"]] == [[GOOD[0]], []] and not again["done"]
    assert again["turns"][0]["replies"][0]["seconds"] >= 0 and "since" in again["turns"][1]  # times shown again
    assert _post(client, "chat_next", {"session": again["session"]}).json()["awaiting_reply"] == 1


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
    assert 'data-norm="30"' in page and "首次回复由服务器计时，30 秒内算及时" in page
    assert "已超过 30 秒，请尽快回复" in page  # the countdown's text once the norm has passed


def _timed_transcript(replies):
    """The transcript of a run answered with the server's clock given: for each buyer message its replies,
    each (text, seconds after the message's delivery); a single (text, seconds) is one reply."""
    holder = f"browser-{ChatSession.objects.count()}"  # a run of its own each time
    session = chat.start(scenario=ChatScenario.objects.get(), holder=holder)
    now = session.started_at.timestamp() + 5
    for i, message_replies in enumerate(replies):
        assert chat.next_message(key=session.key, holder=holder, now=now)["index"] == i
        delivered = now
        for text, seconds in [message_replies] if isinstance(message_replies, tuple) else message_replies:
            now = delivered + seconds
            chat.post_reply(key=session.key, holder=holder, index=i, text=text, now=now)
    assert chat.finish(key=session.key, holder=holder)["done"]
    session.refresh_from_db()
    return chat.transcript(session)


@pytest.mark.parametrize(("reply", "seconds"), [("亲，您好，请问有什么", 0.3), ("好的", 0.5), ("在", 0.2)])
def test_a_short_reply_sent_within_a_second_of_the_message_is_flagged_too_fast(job, reply, seconds):
    transcript = _timed_transcript([(reply, seconds), (GOOD[1], 30)])
    assert [[r["seconds"] for r in t["replies"]] for t in transcript["turns"]] == [[seconds], [30]]
    assert transcript["flags"] == ["too_fast"]


@pytest.mark.parametrize("seconds", [1.0, 1.5, 2.0])
def test_a_quick_human_greeting_is_not_flagged(job, seconds):
    transcript = _timed_transcript([("亲，在的", seconds), (GOOD[1], 30)])
    assert transcript["flags"] == []


# several replies to one buyer message: the quick acknowledgement every shop sends, then the answer

ACK = "亲，在的"


def _run(messages=MESSAGES):
    """A run started by the service with the server's clock given; returns (session key, its start)."""
    ChatScenario.objects.filter(code="chat_slow_parcel").update(messages=messages)
    session = chat.start(scenario=ChatScenario.objects.get(), holder="browser")
    return session.key, session.started_at.timestamp()


def _next(key, now):
    return chat.next_message(key=key, holder="browser", now=now)


def _reply(key, index, text, now, **extra):
    return chat.post_reply(key=key, holder="browser", index=index, text=text, now=now, **extra)


def test_an_acknowledgement_then_the_answer_are_both_stored_with_their_own_server_times(client, job):
    state = _start(client, job)
    _post(client, "chat_next", {"session": state["session"]})
    ack = _post(client, "chat_reply", {"session": state["session"], "index": 0, "text": ACK}).json()
    # the answer comes 9 seconds after the acknowledgement (the clock moved back instead of sleeping)
    session = ChatSession.objects.get(key=state["session"])
    session.turns[0]["delivered"] -= 9
    session.turns[0]["replies"][0]["at"] -= 9
    session.save()
    answer = _post(client, "chat_reply", {"session": state["session"], "index": 0, "text": GOOD[0]}).json()
    assert (ack["first"], answer["first"], answer["count"]) == (True, False, 2)
    assert ack["seconds"] < 1 and 9 <= answer["seconds"] < 10
    turn = ChatSession.objects.get(key=state["session"]).turns[0]
    assert [r["text"] for r in turn["replies"]] == [ACK, GOOD[0]]
    assert turn["replies"][0]["at"] < turn["replies"][1]["at"]


def test_the_transcript_keeps_every_reply_with_its_seconds_from_the_message(job):
    transcript = _timed_transcript([[(ACK, 1.5), (GOOD[0], 12)], [(GOOD[1], 30)]])
    assert transcript == {
        "measured": True,
        "title": "快递不动",
        "flags": [],
        "turns": [
            {
                "buyer": MESSAGES[0]["text"],
                "replies": [{"text": ACK, "seconds": 1.5}, {"text": GOOD[0], "seconds": 12}],
            },
            {"buyer": MESSAGES[1]["text"], "replies": [{"text": GOOD[1], "seconds": 30}]},
        ],
    }


def test_the_next_message_comes_its_delay_after_the_latest_reply(job):
    key, started = _run([{"delay_seconds": 0, "text": "在吗？"}, {"delay_seconds": 5, "text": "还有货吗？"}])
    assert _next(key, started + 1)["index"] == 0
    _reply(key, 0, ACK, started + 3)
    assert _next(key, started + 7) == {"wait": 1}  # 5 seconds after the acknowledgement
    _reply(key, 0, GOOD[0], started + 7)
    assert _next(key, started + 8) == {"wait": 4}  # now 5 seconds after the answer
    assert _next(key, started + 12)["index"] == 1


def test_a_message_takes_at_most_five_replies(job):
    key, started = _run()
    _next(key, started)
    for i in range(chat.MAX_REPLIES):
        assert _reply(key, 0, f"第{i}条", started + 2 + i)["count"] == i + 1
    with pytest.raises(chat.ChatError, match="最多回复 5 次") as refused:
        _reply(key, 0, "再来一条", started + 10)
    assert refused.value.status == 409
    assert len(ChatSession.objects.get(key=key).turns[0]["replies"]) == 5


def test_a_reply_longer_than_the_limit_is_refused_not_cut(client, job):
    state = _start(client, job)
    _post(client, "chat_next", {"session": state["session"]})
    long = _post(client, "chat_reply", {"session": state["session"], "index": 0, "text": "好" * 501})
    assert long.status_code == 400 and "最多 500 个字" in long.json()["error"]
    ok = _post(client, "chat_reply", {"session": state["session"], "index": 0, "text": "好" * 500})
    assert ok.status_code == 200
    assert ChatSession.objects.get(key=state["session"]).turns[0]["replies"][0]["text"] == "好" * 500


def test_a_retried_reply_is_stored_once(job):
    key, started = _run()
    _next(key, started)
    first = _reply(key, 0, ACK, started + 2, reply_id="abc123")
    assert _reply(key, 0, ACK, started + 4, reply_id="abc123") == first  # the network retry: answered as before
    _reply(key, 0, ACK, started + 5, reply_id="def456")  # the same words sent again on purpose
    assert [r["at"] - started for r in ChatSession.objects.get(key=key).turns[0]["replies"]] == [2, 5]


def test_the_candidate_finishes_once_the_last_message_has_a_reply_and_nothing_is_taken_after(job):
    key, started = _run()
    _next(key, started)
    with pytest.raises(chat.ChatError, match="请先回复买家的最后一条消息") as early:
        chat.finish(key=key, holder="browser")
    assert early.value.status == 409
    _reply(key, 0, GOOD[0], started + 5)
    assert _next(key, started + 6)["index"] == 1
    assert _reply(key, 1, GOOD[1], started + 20)["can_finish"] is True
    assert _next(key, started + 21) == {"can_finish": True, "finish_in": chat.FINISH_AFTER - 1}
    _reply(key, 1, "还有什么可以帮您？", started + 25)  # more replies until the candidate finishes
    result = chat.finish(key=key, holder="browser")["result"]
    assert chat.verify_result(result, holder="browser", scenario_code="chat_slow_parcel") is not None
    with pytest.raises(chat.ChatError, match="对话已经结束") as late:
        _reply(key, 1, "亲？", started + 26)
    assert late.value.status == 409
    assert _next(key, started + 27) == {"done": True, "result": result}
    assert chat.finish(key=key, holder="browser")["result"] == result  # pressed twice: the same end


def test_the_chat_ends_by_itself_a_minute_after_the_latest_reply(job):
    key, started = _run()
    _next(key, started)
    _reply(key, 0, GOOD[0], started + 5)
    _next(key, started + 6)
    _reply(key, 1, GOOD[1], started + 20)
    _reply(key, 1, "还有什么可以帮您？", started + 30)
    assert _next(key, started + 30 + chat.FINISH_AFTER - 5) == {"can_finish": True, "finish_in": 5}
    with pytest.raises(chat.ChatError, match="对话已经结束"):  # nobody asked meanwhile: still over
        _reply(key, 1, "亲？", started + 30 + chat.FINISH_AFTER)
    ended = _next(key, started + 30 + chat.FINISH_AFTER + 1)
    assert ended["done"] is True
    assert chat.verify_result(ended["result"], holder="browser", scenario_code="chat_slow_parcel") is not None


def test_a_reply_to_an_earlier_message_counts_for_that_message(job):
    """The widget sends a reply for the message that was newest when the candidate began typing it, so an
    answer finished after the next buyer message arrived is not taken as the next message's response."""
    key, started = _run()
    _next(key, started)
    _reply(key, 0, ACK, started + 2)
    _next(key, started + 3)
    _reply(key, 0, GOOD[0], started + 15)
    _reply(key, 1, GOOD[1], started + 20)
    chat.finish(key=key, holder="browser")
    session = ChatSession.objects.get(key=key)
    turns = chat.transcript(session)["turns"]
    assert [[(r["text"], r["seconds"]) for r in t["replies"]] for t in turns] == [
        [(ACK, 2), (GOOD[0], 15)],
        [(GOOD[1], 17)],
    ]


def test_an_answer_typed_implausibly_fast_after_the_acknowledgement_is_flagged(job):
    # 23 characters two seconds after the acknowledgement: though the message came 22 seconds before, there is
    # one box, so typing began with the acknowledgement sent
    transcript = _timed_transcript([[(ACK, 20), (GOOD[0], 22)], [(GOOD[1], 30)]])
    assert transcript["flags"] == ["too_fast"]
    # typed at a human pace after the acknowledgement: not flagged
    transcript = _timed_transcript([[(ACK, 2), (GOOD[0], 12)], [(GOOD[1], 30)]])
    assert transcript["flags"] == []


def test_a_run_started_before_several_replies_keeps_going(job):
    """A run under way when this version is deployed holds its one reply as "replied" and "reply"."""
    key, started = _run()
    session = ChatSession.objects.get(key=key)
    session.turns = [{"delivered": started + 1, "replied": started + 4, "reply": GOOD[0], "pastes": 0}]
    session.save()
    _reply(key, 0, "还有什么可以帮您？", started + 6)
    assert _next(key, started + 7)["index"] == 1
    _reply(key, 1, GOOD[1], started + 10)
    chat.finish(key=key, holder="browser")
    turns = chat.transcript(ChatSession.objects.get(key=key))["turns"]
    assert [[r["seconds"] for r in t["replies"]] for t in turns] == [[3, 5], [3]]


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
