import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from screening.careers import typing_views
from screening.worksamples import typing_test
from screening.worksamples.typing_test import PASSAGES, TypingTestError, finish, start, verify_result

T0 = 1_750_000_000.0  # 2025-06-15, the 618 rush


class Clock:
    """The server's clock, as both the signer and the typing module read it."""

    def __init__(self, now: float = T0):
        self.now = now

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(signing, "time", c)
    monkeypatch.setattr(typing_test, "time", c)
    return c


def typed_after(clock, seconds: float, typed_of=lambda passage: passage, passage_id: int = 0, **kwargs) -> dict:
    test = start(passage_id)
    clock.advance(seconds)
    return finish(test["token"], typed_of(test["passage"]), **kwargs)


# -- passages -------------------------------------------------------------------------------------
def test_passages_are_short_simplified_chinese_customer_service_replies():
    assert 4 <= len(PASSAGES) <= 6
    assert len(set(PASSAGES)) == len(PASSAGES)
    for passage in PASSAGES:
        assert 60 <= len(passage) <= 90, passage
        assert "，" in passage and passage[-1] in "。！？"
        assert not re.search(r"[A-Za-z\s]", passage), passage
        assert "您" in passage


def test_start_returns_the_chosen_passage_and_a_fresh_token_each_time(clock):
    first, second = start(2), start(2)
    assert first["passage_id"] == 2 and first["passage"] == PASSAGES[2]
    assert first["token"] != second["token"]  # the nonce
    assert signing.TimestampSigner(salt="typing-test").unsign_object(first["token"])["p"] == 2
    picked = {start()["passage_id"] for _ in range(60)}
    assert picked <= set(range(len(PASSAGES))) and len(picked) > 1


def test_start_refuses_an_unknown_passage():
    with pytest.raises(TypingTestError):
        start(len(PASSAGES))


# -- finish: the figures ----------------------------------------------------------------------------
def test_whole_passage_in_a_minute_is_its_length_per_minute_and_fully_accurate(clock):
    figures = typed_after(clock, 60)
    assert figures["accuracy"] == 1.0
    assert figures["cpm"] == len(PASSAGES[0])
    assert figures["elapsed"] == 60.0
    assert figures["flags"] == []
    assert verify_result(figures["result"]) == {
        "cpm": len(PASSAGES[0]),
        "accuracy": 1.0,
        "measured": True,
        "flags": [],
    }


def test_elapsed_time_is_the_servers_not_the_clients(clock):
    figures = typed_after(clock, 90.25, passage_id=3)
    assert figures["elapsed"] == 90.2 or figures["elapsed"] == 90.3
    assert figures["cpm"] == round(len(PASSAGES[3]) * 60 / 90.25)


def test_half_the_passage_is_half_accurate(clock):
    half = len(PASSAGES[1]) // 2
    figures = typed_after(clock, 60, lambda p: p[:half], passage_id=1)
    assert figures["accuracy"] == round(half / len(PASSAGES[1]), 3)
    assert figures["accuracy"] == pytest.approx(0.5, abs=0.01)
    assert figures["cpm"] == half
    assert figures["flags"] == []


def test_mistakes_cost_only_the_wrong_characters(clock):
    passage = PASSAGES[2]
    wrong = passage.replace("七天", "十天").replace("退款", "退货")
    figures = typed_after(clock, 60, lambda p: wrong, passage_id=2)
    assert figures["accuracy"] == round((len(passage) - 2) / len(passage), 3)
    assert figures["cpm"] == len(passage) - 2


def test_half_width_punctuation_and_spaces_do_not_count_against_the_candidate(clock):
    def phone_keyboard(passage):
        return passage.replace("，", ",").replace("！", "!").replace("。", ".\n").replace("？", "? ")

    figures = typed_after(clock, 60, phone_keyboard)
    assert figures["accuracy"] == 1.0 and figures["cpm"] == len(PASSAGES[0])


def test_typing_the_passage_in_two_seconds_is_flagged_too_fast(clock):
    figures = typed_after(clock, 2)
    assert figures["flags"] == ["too_fast"]
    assert figures["elapsed"] == 2.0
    assert figures["cpm"] == len(PASSAGES[0]) * 30
    assert verify_result(figures["result"])["flags"] == ["too_fast"]


def test_more_than_200_characters_a_minute_is_flagged_too_fast(clock):
    assert typed_after(clock, 15)["flags"] == ["too_fast"]  # 65 chars in 15 s = 260/min
    assert typed_after(clock, 30)["flags"] == []  # 130/min


def test_paste_attempts_are_flagged(clock):
    figures = typed_after(clock, 60, paste_attempts=3)
    assert figures["flags"] == ["pasted"]
    assert figures["accuracy"] == 1.0  # still measured: HR decides what a paste attempt means
    assert verify_result(figures["result"])["flags"] == ["pasted"]
    assert typed_after(clock, 60, paste_attempts=0)["flags"] == []


def test_a_few_characters_are_flagged_too_short(clock):
    figures = typed_after(clock, 60, lambda p: p[:10])
    assert figures["flags"] == ["too_short"]
    assert figures["cpm"] == 10
    assert figures["accuracy"] == round(10 / len(PASSAGES[0]), 3)


def test_garbage_scores_nothing(clock):
    figures = typed_after(clock, 60, lambda p: "asdfghjkl;" * 7)
    assert figures["accuracy"] == 0.0
    assert figures["cpm"] == 0
    assert figures["flags"] == []


def test_unrelated_chinese_text_scores_low(clock):
    other = "今天天气很好，我和朋友一起去公园散步，然后去超市买了水果和面包，晚上回家做饭看电视。"
    figures = typed_after(clock, 60, lambda p: other, passage_id=4)
    assert figures["accuracy"] < 0.25
    assert figures["cpm"] == round(figures["accuracy"] * len(PASSAGES[4]))


def test_nothing_typed_is_an_error_not_a_zero(clock):
    test = start(0)
    clock.advance(30)
    with pytest.raises(TypingTestError, match="还没有输入文字"):
        finish(test["token"], " \n ")


# -- finish: the start token ----------------------------------------------------------------------
def test_a_tampered_start_token_is_refused(clock):
    test = start(0)
    payload, timestamp, signature = test["token"].rsplit(":", 2)
    forged = signing.b64_encode(json.dumps({"p": 0, "n": "x", "t": T0 - 3600}).encode()).decode()
    clock.advance(60)
    for token in (
        f"{forged}:{timestamp}:{signature}",
        f"{payload}:{timestamp}:{signature[:-2]}xx",
        "not-a-token",
        "",
        signing.TimestampSigner(salt="typing-result").sign_object({"p": 0, "n": "x", "t": T0}),
    ):
        with pytest.raises(TypingTestError, match="测试凭证无效"):
            finish(token, test["passage"])


def test_a_start_token_older_than_max_age_is_refused(clock):
    test = start(0)
    clock.advance(601)
    with pytest.raises(TypingTestError, match="测试已超时"):
        finish(test["token"], test["passage"])
    assert finish(test["token"], test["passage"], max_age=700)["accuracy"] == 1.0


def test_error_messages_are_translated(clock):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(TypingTestError) as info:
        finish("forged", "您好")
    assert str(info.value) == "测试凭证无效，请重新开始。"


# -- verify_result --------------------------------------------------------------------------------
def test_result_round_trip_gives_the_profile_typing_value(clock):
    figures = typed_after(clock, 45, lambda p: p[:40], passage_id=1)
    typing = verify_result(figures["result"])
    assert typing == {"cpm": round(40 * 60 / 45), "accuracy": round(40 / len(PASSAGES[1]), 3), "measured": True,
                      "flags": []}  # fmt: skip
    assert set(typing) == {"cpm", "accuracy", "measured", "flags"}


def test_a_tampered_result_is_refused(clock):
    figures = typed_after(clock, 60)
    payload, timestamp, signature = figures["result"].rsplit(":", 2)
    boasted = signing.b64_encode(
        json.dumps({"cpm": 150, "accuracy": 1.0, "measured": True, "flags": [], "p": 0}).encode()
    ).decode()
    assert verify_result(f"{boasted}:{timestamp}:{signature}") is None
    assert verify_result(figures["result"] + "x") is None
    assert verify_result("") is None
    assert verify_result(None) is None
    # a start token is signed too, but not as a result
    assert verify_result(start(0)["token"]) is None
    # signed with the right salt but not a measurement
    unmeasured = signing.TimestampSigner(salt="typing-result").sign_object({"cpm": 150, "accuracy": 1.0, "flags": []})
    assert verify_result(unmeasured) is None


def test_a_result_older_than_max_age_is_refused(clock):
    figures = typed_after(clock, 60)
    clock.advance(3599)
    assert verify_result(figures["result"])["cpm"] == len(PASSAGES[0])
    clock.advance(2)
    assert verify_result(figures["result"]) is None
    assert verify_result(figures["result"], max_age=7200)["cpm"] == len(PASSAGES[0])


# -- endpoints ------------------------------------------------------------------------------------
def csrf_from_page(client: Client) -> str:
    """The token the widget's JS reads from the form's csrfmiddlewaretoken input."""
    html = client.get(reverse("careers")).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def post_json(client: Client, name: str, body=None, token: str | None = None):
    headers = {"X-CSRFToken": token} if token else {}
    return client.post(
        reverse(name),
        data=json.dumps(body or {}) if not isinstance(body, str) else body,
        content_type="application/json",
        headers=headers,
    )


@pytest.mark.django_db
@pytest.mark.urls("tests.screening.worksamples.typing_urls")
def test_endpoints_refuse_requests_without_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    csrf_from_page(client)  # the cookie is there; the header is not
    assert post_json(client, "typing_start").status_code == 403
    test = start(0)
    response = post_json(client, "typing_finish", {"token": test["token"], "typed": test["passage"]})
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.urls("tests.screening.worksamples.typing_urls")
def test_endpoints_measure_a_whole_attempt(clock):
    client = Client(enforce_csrf_checks=True)
    token = csrf_from_page(client)
    response = post_json(client, "typing_start", token=token)
    assert response.status_code == 200
    assert "no-cache" in response.headers["Cache-Control"]
    test = response.json()
    assert set(test) == {"passage_id", "passage", "token"}
    assert test["passage"] == PASSAGES[test["passage_id"]]

    clock.advance(60)
    body = {"token": test["token"], "typed": test["passage"], "paste_attempts": 1}
    response = post_json(client, "typing_finish", body, token=token)
    assert response.status_code == 200
    figures = response.json()
    assert figures["cpm"] == len(test["passage"])
    assert figures["accuracy"] == 1.0
    assert figures["elapsed"] == 60.0
    assert figures["flags"] == ["pasted"]
    assert verify_result(figures["result"]) == {
        "cpm": len(test["passage"]),
        "accuracy": 1.0,
        "measured": True,
        "flags": ["pasted"],
    }


@pytest.mark.django_db
@pytest.mark.urls("tests.screening.worksamples.typing_urls")
def test_finish_endpoint_with_real_time_flags_an_instant_answer():
    client = Client(enforce_csrf_checks=True)
    token = csrf_from_page(client)
    test = post_json(client, "typing_start", token=token).json()
    response = post_json(client, "typing_finish", {"token": test["token"], "typed": test["passage"]}, token=token)
    assert response.status_code == 200
    assert "too_fast" in response.json()["flags"]
    assert verify_result(response.json()["result"])["measured"] is True


@pytest.mark.django_db  # the test is bound to the browser's session
@pytest.mark.urls("tests.screening.worksamples.typing_urls")
def test_finish_endpoint_explains_bad_requests(client):
    test = client.post(reverse("typing_start")).json()  # started in this browser
    for body, message in (
        ("{not json", "请求格式不正确"),
        ([1, 2], "请求格式不正确"),
        ({"token": test["token"]}, "请求格式不正确"),
        ({"token": 5, "typed": "您好"}, "请求格式不正确"),
        ({"token": test["token"] + "x", "typed": "您好"}, "测试凭证无效"),
        ({"token": test["token"], "typed": "   "}, "还没有输入文字"),
    ):
        response = post_json(client, "typing_finish", body if isinstance(body, str) else body)
        assert response.status_code == 400, body
        assert message in response.json()["error"], body
    assert client.get(reverse("typing_finish")).status_code == 405
    assert client.get(reverse("typing_start")).status_code == 405


@pytest.mark.django_db  # the test is bound to the browser's session
@pytest.mark.urls("tests.screening.worksamples.typing_urls")
def test_finish_endpoint_caps_the_text_and_cleans_the_paste_count(client, monkeypatch, clock):
    seen = {}

    def spy(token, typed, **kwargs):
        seen.update(typed=typed, **kwargs)
        return finish(token, typed, **kwargs)

    monkeypatch.setattr(typing_views.typing_test, "finish", spy)
    test = client.post(reverse("typing_start")).json()  # started in this browser
    clock.advance(60)
    body = {"token": test["token"], "typed": test["passage"] + "好" * 5000, "paste_attempts": "lots"}
    response = post_json(client, "typing_finish", body)
    assert response.status_code == 200
    assert len(seen["typed"]) == 2000 and seen["paste_attempts"] == 0
    assert response.json()["accuracy"] == 1.0
    response = post_json(client, "typing_finish", {**body, "paste_attempts": -4})
    assert seen["paste_attempts"] == 0 and response.json()["flags"] == []
    response = post_json(client, "typing_finish", {**body, "paste_attempts": 2})
    assert seen["paste_attempts"] == 2 and response.json()["flags"] == ["pasted"]


# -- the widget -----------------------------------------------------------------------------------
class Parts(HTMLParser):
    """Attributes of the widget's elements by their data-typing role, plus anything CSP would refuse."""

    def __init__(self):
        super().__init__()
        self.roles, self.root, self.scripts, self.handlers = {}, None, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-typing-test" in attrs:
            self.root = attrs
        if "data-typing" in attrs:
            self.roles[attrs["data-typing"]] = {"tag": tag, **attrs}
        if tag == "script":
            self.scripts.append(attrs)
        self.handlers += [name for name in attrs if name.startswith("on")]


def render_widget(rf, typing_previous=None):
    request = rf.get("/")
    html = render_to_string("careers/_typing_test.html", {"typing_previous": typing_previous}, request=request)
    parts = Parts()
    parts.feed(html)
    return html, parts


@pytest.mark.urls("tests.screening.worksamples.typing_urls")
def test_widget_markup(rf):
    html, parts = render_widget(rf)
    assert parts.root["data-start-url"] == "/typing/start/"
    assert parts.root["data-finish-url"] == "/typing/finish/"
    assert parts.root["data-result-template"] == "测得 %(cpm)s 字/分钟，准确率 %(accuracy)s"
    assert parts.root["data-count-template"] == "已输入 %(count)s / %(total)s 字"
    assert parts.root["data-msg-paste"] == "不能粘贴，请用输入法输入。"
    assert "用您自己的输入法输入下面这段文字，不能粘贴；计时从点“开始”起" in html
    textarea = parts.roles["input"]
    assert textarea["tag"] == "textarea" and "name" not in textarea  # the typed text is not part of the application
    assert (textarea["lang"], textarea["autocomplete"], textarea["autocapitalize"], textarea["spellcheck"]) == (
        "zh-CN",
        "off",
        "off",
        "false",
    )
    for button in ("start", "retest", "finish"):
        assert parts.roles[button]["tag"] == "button" and parts.roles[button]["type"] == "button"
        assert "btn-lg" in parts.roles[button]["class"] and "w-100" in parts.roles[button]["class"]
    assert "d-none" not in parts.roles["start"]["class"]
    assert "d-none" in parts.roles["retest"]["class"]
    assert "d-none" in parts.roles["result"]["class"]
    assert "d-none" in parts.roles["test"]["class"]
    assert parts.roles["passage"]["tag"] == "p" and "timer" in parts.roles
    # strict CSP later: no inline script, no inline handlers, no inline styles
    assert parts.scripts == [
        {"src": "/static/js/widgets.js", "defer": None},
        {"src": "/static/js/typing-test.js", "defer": None},
    ]
    assert parts.handlers == []
    assert "style=" not in html


@pytest.mark.urls("tests.screening.worksamples.typing_urls")
def test_widget_shows_the_previous_result_and_offers_a_new_test(rf):
    html, parts = render_widget(rf, {"cpm": 57, "accuracy": 0.963, "measured": True, "flags": []})
    assert "测得 57 字/分钟，准确率 96%" in html
    assert "d-none" not in parts.roles["result"]["class"]
    assert "d-none" not in parts.roles["retest"]["class"]
    assert "d-none" in parts.roles["start"]["class"]


def test_widget_script_is_a_static_file():
    assert finders.find("js/typing-test.js") is not None


# -- the widget in a phone browser ----------------------------------------------------------------
@pytest.fixture
def chromium(browser):
    return browser


@pytest.fixture
def phone_page(chromium, live_server):
    from tests.browser.conftest import PHONE

    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.clock.install()  # the widget's timers; the server's clock is the `clock` fixture
    page.goto(f"{live_server.url}/typing/demo/")
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.screening.worksamples.typing_urls")
def test_candidate_takes_the_test_with_an_input_method_on_a_phone(phone_page, clock):
    from playwright.sync_api import expect

    page = phone_page
    first, second = page.locator("#form-1"), page.locator("#form-2")
    expect(second.locator("[data-typing=test]")).to_be_hidden()
    second.get_by_role("button", name="开始").click()
    passage = second.locator("[data-typing=passage]")
    expect(passage).to_be_visible()
    text = passage.inner_text()
    assert text in PASSAGES
    box = second.get_by_role("textbox")
    expect(box).to_be_focused()
    count = second.locator("[data-typing=count]")
    expect(count).to_have_text(f"已输入 0 / {len(text)} 字")

    # pinyin being composed is not typed text; the committed characters are
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "ninhao", "selectionStart": 6, "selectionEnd": 6})
    expect(box).to_have_value("ninhao")
    expect(count).to_have_text(f"已输入 0 / {len(text)} 字")
    cdp.send("Input.insertText", {"text": text[:2]})
    expect(box).to_have_value(text[:2])
    expect(count).to_have_text(f"已输入 2 / {len(text)} 字")

    # paste is refused, counted and explained
    refused = box.evaluate(
        "el => { const d = new DataTransfer(); d.setData('text/plain', 'x');"
        " return !el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: d, bubbles: true, cancelable: true})); }"
    )
    assert refused is True
    expect(box).to_have_value(text[:2])
    expect(second.get_by_role("alert")).to_have_text("不能粘贴，请用输入法输入。")
    expect(first.get_by_role("alert")).to_be_hidden()

    page.keyboard.insert_text(text[2:])
    expect(count).to_have_text(f"已输入 {len(text)} / {len(text)} 字")
    clock.advance(60)
    page.clock.fast_forward(60_000)
    expect(second.get_by_role("timer")).to_have_text(re.compile(r"^1:0\d$"))
    second.get_by_role("button", name="完成").click()

    expect(second.locator("[data-typing=result]")).to_have_text(f"测得 {len(text)} 字/分钟，准确率 100%")
    expect(second.get_by_role("button", name="重新测试")).to_be_visible()
    expect(second.locator("[data-typing=test]")).to_be_hidden()
    signed = second.locator("input[name=typing_result]").input_value()
    assert verify_result(signed) == {"cpm": len(text), "accuracy": 1.0, "measured": True, "flags": ["pasted"]}
    # the other form on the page is untouched
    assert first.locator("input[name=typing_result]").input_value() == ""
    expect(first.get_by_role("button", name="开始")).to_be_visible()

    # the application form posts the signed result
    second.get_by_role("button", name="提交 2").click()
    assert json.loads(page.locator("body").inner_text())["typing"]["cpm"] == len(text)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.screening.worksamples.typing_urls")
def test_the_test_finishes_by_itself_after_two_minutes(phone_page, clock):
    from playwright.sync_api import expect

    form = phone_page.locator("#form-1")
    form.get_by_role("button", name="开始").click()
    passage = form.locator("[data-typing=passage]")
    expect(passage).to_be_visible()
    text = passage.inner_text()
    phone_page.keyboard.insert_text(text[:30])
    clock.advance(120)
    phone_page.clock.fast_forward(119_000)
    expect(form.locator("[data-typing=test]")).to_be_visible()
    phone_page.clock.fast_forward(1_500)
    expect(form.locator("[data-typing=result]")).to_have_text(
        f"测得 15 字/分钟，准确率 {int(round(30 / len(text), 3) * 100 + 0.5)}%"  # the server's 3 decimals, JS rounding
    )
    expect(form.locator("[data-typing=test]")).to_be_hidden()
    assert verify_result(form.locator("input[name=typing_result]").input_value())["cpm"] == 15


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.screening.worksamples.typing_urls")
def test_server_errors_are_shown_and_the_test_can_start_again(phone_page, clock):
    from playwright.sync_api import expect

    form = phone_page.locator("#form-1")
    form.get_by_role("button", name="开始").click()
    expect(form.locator("[data-typing=passage]")).to_be_visible()
    phone_page.keyboard.insert_text("您好")
    clock.advance(601)  # the start token has expired on the server
    form.get_by_role("button", name="完成").click()
    expect(form.get_by_role("alert")).to_have_text("测试已超时，请重新开始。")
    assert form.locator("input[name=typing_result]").input_value() == ""
    form.get_by_role("button", name="重新测试").click()
    expect(form.get_by_role("textbox")).to_have_value("")
    expect(form.get_by_role("alert")).to_be_hidden()


@pytest.mark.django_db
@pytest.mark.urls("tests.screening.worksamples.typing_urls")
def test_a_result_taken_in_another_browser_or_used_twice_is_refused(clock):
    taker, other = Client(), Client()
    started = taker.post(reverse("typing_start")).json()
    clock.advance(60)
    result = taker.post(
        reverse("typing_finish"),
        json.dumps({"token": started["token"], "typed": started["passage"]}),
        content_type="application/json",
    ).json()["result"]
    # the start token does not work in another browser either
    stolen = other.post(
        reverse("typing_finish"),
        json.dumps({"token": started["token"], "typed": started["passage"]}),
        content_type="application/json",
    )
    assert stolen.status_code == 400
    import hashlib

    taker_holder = hashlib.sha256(taker.session.session_key.encode()).hexdigest()[:20]
    assert verify_result(result, holder=taker_holder) is not None
    assert verify_result(result, holder="someone-else") is None
    assert typing_test.claim_result(result)
    assert verify_result(result, holder=taker_holder) is None  # used once: not again
    assert not typing_test.claim_result(result)


@pytest.mark.django_db
def test_a_multipart_body_to_a_json_endpoint_is_a_clear_400_not_a_500(client):
    for url in (reverse("typing_finish"), reverse("chat_reply")):
        response = client.post(url, {"file": SimpleUploadedFile("x.txt", b"x")})
        assert response.status_code == 400, (url, response.status_code)
