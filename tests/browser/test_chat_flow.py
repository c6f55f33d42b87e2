"""The buyer-chat work sample on a phone, with the fixture's real delays; HR reads the transcript."""

import json
import time

import pytest

from screening.models import Application, ChatScenario, Job, Requirement
from screening.seed import FIXTURES
from tests.browser.conftest import DESKTOP, PHONE, SHOTS
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory

from .helpers import log_in_to_hr, take_chat

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

    # the server holds each buyer message back for its delay: nothing can be answered early
    started = time.monotonic()
    widget.locator("[data-chat=start]").click()
    widget.locator("[data-chat=typing]").wait_for(state="visible")
    assert widget.locator("[data-chat=input]").is_disabled()
    widget.locator(".chat-buyer").first.wait_for()
    assert time.monotonic() - started >= data["messages"][0]["delay_seconds"] - 0.3
    box = widget.locator("[data-chat=input]")
    box.press_sequentially("亲，您好！", delay=5)
    widget.screenshot(path=SHOTS / "phone-chat-1-typing.png")
    box.fill("")
    # the candidate's replies: courteous and to the point, except a curt second one
    replies = [
        "亲，您好！非常抱歉，这双白色38码目前已经售罄了，给您添麻烦了。",
        "14号补货",
        "您可以点到货提醒，补货后第一时间通知您；灰色38码现在有货，只是颜色不同，48小时内发货，谢谢您的理解！",
    ]
    assert take_chat(widget, replies) == len(data["messages"])
    assert widget.locator("[data-chat=done]").is_visible()
    times = widget.locator(".chat-me .chat-meta").all_inner_texts()
    assert len(times) == 3 and all("秒" in t for t in times)
    widget.screenshot(path=SHOTS / "phone-chat-2-done.png")

    page.fill("#id_name", "赵敏")
    page.fill("#id_email", "zhaomin@example.com")
    page.fill("#id_phone", "139 0013 9000")
    page.select_option("#id_education", "junior_college")
    page.check("#id_consent_privacy")
    page.get_by_role("button", name="提交申请").click()
    assert page.get_by_role("heading", name="申请已收到").is_visible()
    phone.close()

    application = Application.objects.get(applicant__phone="13900139000")
    turns = application.profile["chat"]["chat_stock"]["turns"]
    assert [t["reply"] for t in turns] == replies
    assert all(0 < t["seconds"] < 15 for t in turns)  # measured by the server, delivery to reply
    deadline = time.monotonic() + 10
    while not hasattr(Application.objects.get(pk=application.pk), "evaluation"):
        assert time.monotonic() < deadline, "not scored within 10 seconds"
        time.sleep(0.2)

    _hr_reads_the_transcript(browser, live_server.url, hr_user, screenshot, application, data, replies)
    assert Job.objects.filter(slug=job.slug).exists()


def _hr_reads_the_transcript(browser, url, hr_user, screenshot, application, data, replies):
    for device, options in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(**options)
        hr = context.new_page()
        log_in_to_hr(hr, f"{url}/hr/applications/{application.pk}/", hr_user.username)
        transcript = hr.locator("#chat-chat_stock")
        assert transcript.get_by_text(data["messages"][0]["text"]).is_visible()
        assert transcript.get_by_text(replies[1]).is_visible()
        assert transcript.get_by_text("秒，及时").count() == 3
        assert transcript.get_by_text("没有礼貌用语").count() == 1  # the curt reply
        results = hr.locator("#results")
        assert results.get_by_text("3 / 3 条回复在 15 秒内").is_visible()
        assert results.get_by_text("2 / 3 条回复使用礼貌用语").is_visible()
        screenshot(hr, f"{device}-hr-chat-transcript")
        if device == "desktop":
            hr.get_by_role("button", name="English").click()
            assert hr.locator("#chat-chat_stock").is_visible()
            screenshot(hr, "desktop-hr-chat-transcript-en")
        context.close()
