"""The chat_response condition on recorded transcripts (pure: no database)."""

import json
from datetime import date
from pathlib import Path

import pytest

from screening.rules import (
    MET,
    NOT_MET,
    PARTIAL,
    UNKNOWN,
    ChatTurn,
    chat_conditions,
    chat_turns,
    condition_errors,
    courtesy_used,
    evaluate,
    scenarios_read,
    with_scenarios,
)
from screening.rules.schemas import profile_reads

TODAY = date(2026, 11, 23)
GROUPS = [["查询", "核实", "物流"], ["补发", "退款", "重新发货"], ["我们来", "由我们", "不用您"]]
CONDITION = {
    "kind": "chat_response",
    "scenario": "chat_lost_parcel",
    "max_seconds": 15,
    "min_fast_share": 1.0,
    "min_courtesy_share": 1.0,
    "groups": GROUPS,
    "min_groups": 2,
}
BUYER = ["我的快递丢了！你们怎么回事？", "那怎么办？我急着用。", "你们能保证吗？"]
GOOD = [
    "亲，非常抱歉给您添麻烦了，我马上为您查询物流情况。",
    "您别着急，我们这边确认丢件后立即为您补发，运费由我们承担。",
    "请您放心，我会一直跟进，今天之内给您答复，谢谢您的耐心。",
]


def _profile(replies, seconds, *, measured=True, scenario="chat_lost_parcel"):
    turns = [{"buyer": b, "reply": r, "seconds": s} for b, r, s in zip(BUYER, replies, seconds, strict=True)]
    return {"chat": {scenario: {"measured": measured, "turns": turns}}}


def _codes(result):
    return [e["code"] for e in result.evidence]


def test_fast_courteous_and_to_the_point_is_met():
    result = evaluate(CONDITION, _profile(GOOD, [6.2, 9.0, 14.9]), today=TODAY)
    assert result.status == MET and result.fraction == 1.0
    assert _codes(result) == ["chat.first_fast_ok", "chat.courtesy_ok", "chat.points_ok"]
    points = result.evidence[2]["params"]
    assert points["count"] == 3 and points["matched"] == ["查询", "补发", "由我们"]


def test_slow_replies_fail_the_norm_and_earn_partial_credit_only_when_allowed():
    slow = [16.0, 40.5, 15.0]  # 15.0 is still within the norm ("15 秒以内")
    result = evaluate(CONDITION, _profile(GOOD, slow), today=TODAY)
    assert result.status == NOT_MET and _codes(result)[0] == "chat.first_fast_below"
    assert result.evidence[0]["params"] == {"fast": 1, "total": 3, "max_seconds": 15, "required": 1.0}
    partial = evaluate(CONDITION, _profile(GOOD, slow), today=TODAY, partial=True)
    assert partial.status == PARTIAL
    assert partial.fraction == pytest.approx((1 / 3 + 1 + 1) / 3)


def test_rude_replies_are_neither_courteous_nor_helpful():
    rude = ["不知道", "找快递去", "没办法"]
    result = evaluate(CONDITION, _profile(rude, [3, 3, 3]), today=TODAY, partial=True)
    assert result.status == PARTIAL  # fast is the only thing they did right
    assert result.fraction == pytest.approx(1 / 3)
    assert _codes(result) == ["chat.first_fast_ok", "chat.courtesy_below", "chat.points_below"]
    assert result.evidence[1]["params"]["courteous"] == 0
    assert result.evidence[2]["params"]["count"] == 0


def test_traditional_chinese_replies_count_like_simplified_ones():
    traditional = [
        "親，非常抱歉給您添麻煩了，我馬上為您查詢物流情況。",
        "您別著急，我們這邊確認丟件後立即為您補發，運費由我們承擔。",
        "請您放心，我會一直跟進，謝謝您的耐心。",
    ]
    result = evaluate(CONDITION, _profile(traditional, [5, 5, 5]), today=TODAY)
    assert result.status == MET
    assert result.evidence[2]["params"]["matched"] == ["查询", "补发", "由我们"]


def test_times_that_the_server_did_not_measure_are_never_fast():
    result = evaluate(CONDITION, _profile(GOOD, [1, 1, 1], measured=False), today=TODAY)
    assert result.status == NOT_MET
    assert _codes(result)[:2] == ["chat.not_measured", "chat.first_fast_below"]
    assert result.evidence[1]["params"]["fast"] == 0


def test_an_unanswered_message_is_not_fast_and_not_courteous():
    result = evaluate(CONDITION, _profile([GOOD[0], "", GOOD[2]], [2, None, 2]), today=TODAY)
    assert result.evidence[0]["params"]["fast"] == 2
    assert result.evidence[1]["params"]["courteous"] == 2


def test_no_transcript_is_unknown_not_failed():
    assert evaluate(CONDITION, {}, today=TODAY).status == UNKNOWN
    other = _profile(GOOD, [1, 1, 1], scenario="chat_haggle")
    assert evaluate(CONDITION, other, today=TODAY).status == UNKNOWN
    assert evaluate(CONDITION, {"chat": {"chat_lost_parcel": {"turns": "junk"}}}, today=TODAY).status == UNKNOWN


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("您好", ["您"]),
        ("我已经帮你申请退款了", []),  # 申请 is not 请
        ("我亲自跟进", []),  # 亲自 is not 亲
        ("亲，請稍等", ["请", "亲"]),
        ("不好意思，谢谢", ["谢谢", "不好意思"]),
    ],
)
def test_courtesy_expressions(reply, expected):
    assert courtesy_used(reply) == expected


def test_the_schema_defaults_and_validation():
    assert condition_errors({"kind": "chat_response", "scenario": "chat_haggle"}) == []
    assert condition_errors({"kind": "chat_response"}) == ['(condition): 缺少 "scenario"']
    assert condition_errors({"kind": "chat_response", "scenario": "x", "min_fast_share": 1.5}) == [
        "min_fast_share: 1.5 太大（最大 1）"
    ]
    (error,) = condition_errors({"kind": "chat_response", "scenario": "x", "max_seconds": 0})
    assert error.endswith("max_seconds: 0 太小（必须大于 0）")  # more than 0 seconds, not "at least 0"
    too_many = {"kind": "chat_response", "scenario": "x", "groups": [["a"]], "min_groups": 2}
    assert any("min_groups" in e for e in condition_errors(too_many))
    # defaults: 15 seconds, 80 % fast, 80 % courteous, every group
    bare = {"kind": "chat_response", "scenario": "chat_lost_parcel", "groups": GROUPS}
    result = evaluate(bare, _profile(GOOD, [14, 14, 20]), today=TODAY)
    assert result.evidence[0]["params"] == {"fast": 2, "total": 3, "max_seconds": 15, "required": 0.8}
    assert result.status == NOT_MET  # 2/3 < 80 %


def test_scenarios_are_read_and_resolved_into_plain_conditions():
    tree = {
        "kind": "any_of",
        "conditions": [{"kind": "chat_response", "scenario": "chat_a"}, {"kind": "skill_has", "skill": "excel"}],
    }
    assert scenarios_read(tree) == {"chat_a"}
    assert ("chat", "chat_a") in profile_reads(tree)
    resolved = with_scenarios(tree, {"chat_a": ([["x"]], 1)})
    assert resolved["conditions"][0]["groups"] == [["x"]] and resolved["conditions"][0]["min_groups"] == 1
    assert "groups" not in tree["conditions"][0]  # the stored condition is not changed
    own = {"kind": "chat_response", "scenario": "chat_a", "groups": [["y"]]}
    assert with_scenarios(own, {"chat_a": ([["x"]], 1)}) == own


SCENARIOS = json.loads((Path(__file__).resolve().parents[3] / "fixtures" / "chat_scenarios.json").read_text("utf-8"))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["code"] for s in SCENARIOS])
def test_each_fixture_scenarios_good_example_passes_and_poor_example_fails(scenario):
    condition = with_scenarios(
        {"kind": "chat_response", "scenario": scenario["code"]},
        {scenario["code"]: (scenario["keyword_groups"], scenario["min_groups"])},
    )

    def transcript(replies):
        turns = [
            {"buyer": m["text"], "reply": r, "seconds": 8.0} for m, r in zip(scenario["messages"], replies, strict=True)
        ]
        return {"chat": {scenario["code"]: {"measured": True, "turns": turns}}}

    assert evaluate(condition, transcript(scenario["good_reply_example"]), today=TODAY).status == MET
    poor = evaluate(condition, transcript(scenario["poor_reply_example"]), today=TODAY)
    assert poor.status == NOT_MET
    assert poor.evidence[1]["code"] == "chat.courtesy_below" and poor.evidence[2]["code"] == "chat.points_below"


def test_a_scenario_without_key_points_is_scored_on_time_and_courtesy_only():
    bare = {"kind": "chat_response", "scenario": "chat_lost_parcel", "min_fast_share": 1.0, "min_courtesy_share": 1.0}
    rude_and_slow = evaluate(bare, _profile(["不知道", "没办法", "找快递"], [30, 30, 30]), today=TODAY, partial=True)
    assert rude_and_slow.status == NOT_MET and rude_and_slow.fraction == 0  # no free credit for absent points
    half = evaluate(bare, _profile(GOOD, [30, 30, 30]), today=TODAY, partial=True)
    assert half.status == PARTIAL and half.fraction == pytest.approx(0.5)
    assert [e["code"] for e in half.evidence] == ["chat.first_fast_below", "chat.courtesy_ok"]


# -- the transcript as platforms time it: every reply timed from the buyer message's delivery -----------------
ACK = "亲，在的，我看一下"


def _turns(replies_per_turn, *, measured=True, scenario="chat_lost_parcel"):
    turns = [
        {"buyer": b, "replies": [{"text": text, "seconds": s} for text, s in replies]}
        for b, replies in zip(BUYER, replies_per_turn, strict=True)
    ]
    return {"chat": {scenario: {"measured": measured, "title": "快递丢件", "flags": [], "turns": turns}}}


def test_a_quick_acknowledgement_is_the_first_response():
    answered = _turns([[(ACK, 2.0), (answer, 60.0)] for answer in GOOD])
    result = evaluate(CONDITION, answered, today=TODAY)
    assert result.status == MET
    assert result.evidence[0] == {
        "code": "chat.first_fast_ok", "params": {"fast": 3, "total": 3, "max_seconds": 15, "required": 1.0}
    }  # fmt: skip
    # the same answers without the acknowledgement come a minute late
    late = evaluate(CONDITION, _turns([[(answer, 60.0)] for answer in GOOD]), today=TODAY)
    assert late.status == NOT_MET and late.evidence[0]["params"]["fast"] == 0


def test_only_the_first_reply_times_a_message():
    slow_then_quick = _turns([[(GOOD[0], 20.0), ("谢谢您", 21.0)], [(GOOD[1], 3.0)], [(GOOD[2], 3.0)]])
    assert evaluate(CONDITION, slow_then_quick, today=TODAY).evidence[0]["params"]["fast"] == 2


def test_courtesy_and_points_are_judged_on_all_replies_to_a_message():
    # each first reply is curt; the courtesy and the points come in the replies after it
    replies = [
        [("在的", 2.0), ("抱歉，我马上查询物流", 30.0)],
        [("嗯", 2.0), ("您放心，确认丢件就给您补发", 30.0)],
        [("好", 2.0), ("请放心，由我们来处理", 30.0)],
    ]
    result = evaluate(CONDITION, _turns(replies), today=TODAY)
    assert result.status == MET
    assert result.evidence[1]["params"]["courteous"] == 3
    assert result.evidence[2]["params"]["matched"] == ["查询", "补发", "我们来"]  # each group's first alternative


def test_both_transcript_formats_read_alike():
    old = chat_turns({"turns": [{"buyer": "在吗", "reply": "亲，在的", "seconds": 3}, {"buyer": "?", "reply": ""}]})
    new = chat_turns({"turns": [{"buyer": "在吗", "replies": [{"text": "亲，在的", "seconds": 3}]},
                                {"buyer": "?", "replies": []}]})  # fmt: skip
    assert old == new == [ChatTurn("在吗", (("亲，在的", 3.0),)), ChatTurn("?", ())]
    assert new[0].first == ("亲，在的", 3.0) and new[1].first == ("", None)
    assert chat_turns({"turns": []}) is None and chat_turns({"turns": ["junk"]}) is None


# -- how the norm is met: the share of messages answered in time, or the mean first-response time ------------
AVERAGE = {**CONDITION, "measure": "average"}


def test_the_average_measure_forgives_one_slow_message_that_the_share_does_not():
    times = _turns([[(GOOD[0], 2.0)], [(GOOD[1], 30.0)], [(GOOD[2], 5.0)]])
    by_share = evaluate(CONDITION, times, today=TODAY)
    assert by_share.status == NOT_MET and by_share.evidence[0]["params"]["fast"] == 2
    by_average = evaluate(AVERAGE, times, today=TODAY)
    assert by_average.status == MET
    assert by_average.evidence[0] == {
        "code": "chat.first_average_ok",
        "params": {"average": 12.3, "answered": 3, "total": 3, "max_seconds": 15},
    }


def test_the_average_needs_every_message_answered_and_measured():
    unanswered = evaluate(AVERAGE, _turns([[(GOOD[0], 2.0)], [], [(GOOD[2], 2.0)]]), today=TODAY, partial=True)
    assert unanswered.evidence[0]["code"] == "chat.first_average_below"
    assert unanswered.evidence[0]["params"]["answered"] == 2
    assert unanswered.status == PARTIAL
    slow = evaluate(AVERAGE, _turns([[(g, 30.0)] for g in GOOD]), today=TODAY, partial=True)
    assert slow.fraction == pytest.approx((15 / 30 + 1 + 1) / 3)  # credit falls as the mean grows
    unmeasured = evaluate(AVERAGE, _turns([[(g, 1.0)] for g in GOOD], measured=False), today=TODAY)
    assert unmeasured.evidence[1] == {
        "code": "chat.first_average_below",
        "params": {"average": None, "answered": 0, "total": 3, "max_seconds": 15},
    }


# -- shares compared exactly ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("required", "status"), [("2/3", MET), (0.67, NOT_MET), (0.66, MET), ("3/4", NOT_MET)])
def test_two_of_three_meets_two_thirds_as_written(required, status):
    condition = {**CONDITION, "min_fast_share": required, "min_courtesy_share": required}
    two_of_three = _turns([[(GOOD[0], 2.0)], [(GOOD[1], 2.0)], [("查一下补发", 30.0)]])  # the last: late and curt
    result = evaluate(condition, two_of_three, today=TODAY)
    assert result.status == status
    assert result.evidence[0]["params"]["required"] == required  # shown as written


@pytest.mark.parametrize(
    ("share", "errors"),
    [
        ("2/3", []),
        (0.5, []),
        ("4/3", ["min_fast_share: 4/3 太大（最大 1）"]),
        ("2:3", ['min_fast_share: "2:3" 格式不对（0 到 1 之间的数，或“2/3”这样的分数）']),
        ("2/0", ['min_fast_share: "2/0" 格式不对（0 到 1 之间的数，或“2/3”这样的分数）']),
    ],
)
def test_a_share_is_a_number_or_a_fraction(share, errors):
    assert condition_errors({"kind": "chat_response", "scenario": "x", "min_fast_share": share}) == errors


def test_the_measure_is_one_of_two():
    assert condition_errors({"kind": "chat_response", "scenario": "x", "measure": "average"}) == []
    assert condition_errors({"kind": "chat_response", "scenario": "x", "measure": "median"}) == [
        'measure: "median" 不是可选值；可选：share, average'
    ]


# -- the fixtures' own model answers, typed at the seeds' 50 字/分 -----------------------------------------------
FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
CHECKLIST_CHATS = [
    leaf
    for checklist in json.loads((FIXTURES / "checklists.json").read_text("utf-8"))
    for requirement in checklist["requirements"]
    for leaf in chat_conditions(requirement["condition"])
]


def _as_encoded(scenario):
    """The fixture checklists' conditions on the scenario, else the defaults, with its keyword groups."""
    encoded = [c for c in CHECKLIST_CHATS if c["scenario"] == scenario["code"]] or [
        {"kind": "chat_response", "scenario": scenario["code"]}
    ]
    groups = {scenario["code"]: (scenario["keyword_groups"], scenario["min_groups"])}
    return [with_scenarios(c, groups) for c in encoded]


def _typed_at_50_per_minute(scenario, *, acknowledge=True):
    """Each model answer typed at 50 字/分 after 2 s to read the message; first, a quick 亲，在的 at 2 s."""
    turns = []
    for message, answer in zip(scenario["messages"], scenario["good_reply_example"], strict=True):
        replies = [{"text": ACK, "seconds": 2.0}] if acknowledge else []
        replies.append({"text": answer, "seconds": round(len(answer) / 50 * 60 + 2, 1)})
        turns.append({"buyer": message["text"], "replies": replies})
    return {"chat": {scenario["code"]: {"measured": True, "title": scenario["title"], "flags": [], "turns": turns}}}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["code"] for s in SCENARIOS])
def test_model_answers_typed_at_50_a_minute_meet_the_fixture_conditions(scenario):
    replayed = _typed_at_50_per_minute(scenario)
    for condition in _as_encoded(scenario):
        for measure in ("share", "average"):
            result = evaluate({**condition, "measure": measure}, replayed, today=TODAY)
            assert result.status == MET, (condition, measure, result.evidence)
    # a model answer alone takes 39–82 s at 50 字/分: only the quick first response meets a 15-second norm
    alone = evaluate(_as_encoded(scenario)[0], _typed_at_50_per_minute(scenario, acknowledge=False), today=TODAY)
    assert alone.status == NOT_MET and alone.evidence[0]["params"]["fast"] == 0
