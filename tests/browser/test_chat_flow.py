"""The buyer-chat work sample on a phone, with the fixture's real delays; HR reads the transcript."""

import json
import re
import time

import pytest

from screening.models import Application, ChatScenario, Job, Requirement
from screening.seed import FIXTURES
from tests.browser.conftest import DESKTOP, PHONE, SHOTS
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory

from .helpers import log_in_to_hr

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.worker]


@pytest.fixture
def chat_job():
    """A job that asks only the stock-question chat from the fixtures (and education)."""
    data = next(
        s for s in json.loads((FIXTURES / "chat_scenarios.json").read_text("utf-8")) if s["code"] == "chat_stock"
    )
    checklist = ChecklistFactory(name="双11 接待")
    ChatScenario.objects.create(
        checklist=checklist,
        **{k: data[k] for k in ("code", "title", "context", "messages", "keyword_groups", "min_groups")},
    )
    Requirement.objects.create(
        checklist=checklist,
        code="chat_first_response",
        title="模拟买家对话：每次首次响应都在15秒以内",
        weight=4,
        partial_credit=True,
        condition={
            "kind": "chat_response",
            "scenario": "chat_stock",
            "min_fast_share": 1.0,
            "min_courtesy_share": 0.67,
        },
    )
    RequirementFactory(checklist=checklist, condition={"kind": "education_at_least", "level": "senior_high"})
    job = JobFactory(checklists=[checklist], title="双11 在线客服", slug="double11-chat")
    return job, data


def test_candidate_takes_the_chat_on_a_phone_and_hr_reads_the_transcript(
    browser, live_server, celery_worker, hr_user, screenshot, chat_job
):
    job, data = chat_job
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(f"{live_server.url}/jobs/{job.slug}/apply/")
    widget = page.locator("[data-chat-test]")
    assert widget.get_by_text(data["title"]).is_visible()
    widget.screenshot(path=SHOTS / "phone-chat-0-before.png")

    ack, answers = _reply_with_an_acknowledgement_first_and_finish(page, widget, screenshot, data)

    page.fill("#id_name", "赵敏")
    page.fill("#id_email", "zhaomin@example.com")
    page.fill("#id_phone", "139 0013 9000")
    page.select_option("#id_education", "junior_college")
    page.check("#id_consent_privacy")
    page.get_by_role("button", name="提交申请").click()
    assert page.get_by_role("heading", name="申请已收到").is_visible()
    phone.close()

    application = Application.objects.get(applicant__phone="13900139000")
    chat = application.profile["chat"]["chat_stock"]
    replies = [[r["text"] for r in t["replies"]] for t in chat["turns"]]
    assert replies == [[ack, answers[0]], [answers[1]], [answers[2]]]
    seconds = [[r["seconds"] for r in t["replies"]] for t in chat["turns"]]
    assert all(0 < t[0] < 15 for t in seconds) and seconds[0][0] < seconds[0][1]  # by the server, from delivery
    deadline = time.monotonic() + 10
    while not hasattr(Application.objects.get(pk=application.pk), "evaluation"):
        assert time.monotonic() < deadline, "not scored within 10 seconds"
        time.sleep(0.2)

    _hr_reads_the_transcript(browser, live_server.url, hr_user, screenshot, application, data, ack, answers, seconds)
    assert Job.objects.filter(slug=job.slug).exists()


ACK = "亲，在的"
# the candidate's answers, one per buyer message: courteous and to the point, except a curt second one
ANSWERS = [
    "非常抱歉，这双白色38码目前已经售罄了，给您添麻烦了。",
    "14号补货",
    "您可以点到货提醒，补货后第一时间通知您；灰色38码现在有货，只是颜色不同，48小时内发货，谢谢您的理解！",
]


def _reply_with_an_acknowledgement_first_and_finish(page, widget, screenshot, data):
    # the server holds each buyer message back for its delay: nothing can be answered early
    started = time.monotonic()
    widget.locator("[data-chat=start]").click()
    widget.locator("[data-chat=typing]").wait_for(state="visible")
    box, log = widget.locator("[data-chat=input]"), widget.locator("[data-chat=log]")
    assert box.is_disabled()
    log.locator(".chat-buyer").first.wait_for()
    assert time.monotonic() - started >= data["messages"][0]["delay_seconds"] - 0.3

    # the job's norm counts down from the message's arrival until the first reply
    countdown = widget.locator("[data-chat=countdown]")
    assert countdown.is_visible() and "秒内首次回复" in countdown.inner_text()
    # a quick acknowledgement first, then the full answer: two replies to the first message
    ack, answers = ACK, ANSWERS
    box.press_sequentially(ack, delay=5)
    box.press("Enter")
    log.locator(".chat-me").first.wait_for()
    countdown.wait_for(state="hidden")  # answered in time: the countdown stops
    box.press_sequentially(answers[0], delay=5)
    box.press("Enter")
    log.locator(".chat-me").nth(1).wait_for()
    assert box.input_value() == "" and box.is_enabled()  # more replies may follow

    # the next message comes its delay after the latest reply (the answer), its countdown with it
    log.locator(".chat-buyer").nth(1).wait_for()
    countdown.wait_for(state="visible")
    box.press_sequentially("亲", delay=5)
    widget.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "phone-chat-1-midway.png")
    widget.screenshot(path=SHOTS / "phone-chat-1-midway-widget.png")
    screenshot(page, "phone-chat-1-midway-page")
    box.fill("")
    for k, answer in enumerate(answers[1:], start=1):
        log.locator(".chat-buyer").nth(k).wait_for()
        box.press_sequentially(answer, delay=5)
        box.press("Enter")
        log.locator(".chat-me").nth(k + 1).wait_for()

    # the last message answered: the candidate may add more or finish
    finish = widget.locator("[data-chat=finish]")
    finish.wait_for()
    widget.screenshot(path=SHOTS / "phone-chat-2-can-finish-widget.png")
    times = widget.locator(".chat-me .chat-meta").all_inner_texts()
    assert len(times) == 4 and all(re.fullmatch(r"\d+\.\d\u00a0秒", t) for t in times), times
    finish.click()
    done = widget.locator("[data-chat=done]")
    done.wait_for()
    assert "对话已完成" in done.inner_text()
    # finished: no box waiting for input, no Send button, no countdown
    for name in ("compose", "input", "send", "countdown", "finish", "typing"):
        assert not widget.locator(f"[data-chat={name}]").is_visible(), name
    widget.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "phone-chat-2-done.png")
    widget.screenshot(path=SHOTS / "phone-chat-2-done-widget.png")
    screenshot(page, "phone-chat-2-done-page")
    return ack, answers


def _hr_reads_the_transcript(browser, url, hr_user, screenshot, application, data, ack, answers, seconds):
    for device, options in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(**options)
        hr = context.new_page()
        log_in_to_hr(hr, f"{url}/hr/applications/{application.pk}/", hr_user.username)
        transcript = hr.locator("#chat-chat_stock")
        assert transcript.get_by_text(data["messages"][0]["text"]).is_visible()
        first = transcript.locator(".chat-turn").first
        # both replies to the first message, each with its time, and the first one's time against the norm
        assert first.locator(".chat-reply").count() == 2
        assert first.get_by_text(ack).is_visible() and first.get_by_text(answers[0]).is_visible()
        for value in seconds[0]:
            assert first.get_by_text(f"{value:.1f} 秒", exact=True).is_visible()
        assert first.locator("[data-first-reply]").inner_text() == f"{seconds[0][0]:.1f} 秒，及时"
        assert transcript.get_by_text(answers[1]).is_visible()
        assert transcript.locator("[data-first-reply]").get_by_text("秒，及时").count() == 3
        assert transcript.get_by_text("没有礼貌用语").count() == 1  # the curt reply
        results = hr.locator("#results")
        assert results.get_by_text("3 / 3 条买家消息在 15 秒内得到首次回复").is_visible()
        assert results.get_by_text("2 / 3 条回复使用礼貌用语").is_visible()
        screenshot(hr, f"{device}-hr-chat-transcript")
        if device == "desktop":
            hr.get_by_role("button", name="English").click()
            assert hr.locator("#chat-chat_stock").is_visible()
            screenshot(hr, "desktop-hr-chat-transcript-en")
        context.close()


def test_submitting_with_every_message_answered_but_not_finished_finishes_the_chat_first(
    browser, live_server, chat_job
):
    job, data = chat_job
    ChatScenario.objects.filter(code="chat_stock").update(
        messages=[{**m, "delay_seconds": 0} for m in data["messages"]]
    )
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(f"{live_server.url}/jobs/{job.slug}/apply/")
    widget = page.locator("[data-chat-test]")
    widget.locator("[data-chat=start]").click()
    log, box = widget.locator("[data-chat=log]"), widget.locator("[data-chat=input]")
    for k, answer in enumerate(ANSWERS):
        log.locator(".chat-buyer").nth(k).wait_for()
        box.press_sequentially(answer, delay=5)
        box.press("Enter")
        log.locator(".chat-me").nth(k).wait_for()
    widget.locator("[data-chat=finish]").wait_for()  # not pressed: the candidate goes on to the form
    page.fill("#id_name", "周芷若")
    page.fill("#id_email", "zhouzhiruo@example.com")
    page.fill("#id_phone", "139 0013 9001")
    page.select_option("#id_education", "junior_college")
    page.check("#id_consent_privacy")
    page.get_by_role("button", name="提交申请").click()
    page.get_by_role("heading", name="申请已收到").wait_for()  # after the chat was finished on its own
    phone.close()
    chat = Application.objects.get(applicant__phone="13900139001").profile["chat"]["chat_stock"]
    assert [[r["text"] for r in t["replies"]] for t in chat["turns"]] == [[a] for a in ANSWERS]
