"""The candidate's explanation as a pure function (screening/explanation.py): titles and results, the revisions,
nothing while stale, and nothing of the evidence whatever the results carry."""

import json
from datetime import UTC, datetime

from django.utils import translation

from screening.explanation import explain

# results as score_profile writes them, evidence and all
RESULTS = [
    {"checklist": "basic", "code": "education", "title": "学历：高中及以上", "knockout": True, "weight": 3,
     "kind": "claimed", "effective_weight": 3, "points": 30.0, "status": "met", "fraction": 1.0, "best": 1.0,
     "evidence": [{"code": "education.ok", "params": {"value": "bachelor", "required": "senior_high"}}]},
    {"checklist": "basic", "code": "late_parcel", "title": "情景题：快递延误", "knockout": False, "weight": 2,
     "kind": "measured", "effective_weight": 2, "points": 7.0, "status": "partial", "fraction": 0.35, "best": 0.35,
     "evidence": [{"code": "choice.answer", "params": {"question": "q_late", "option": "b", "points": 0.35,
                                                       "best": 1}}]},
    {"checklist": "basic", "code": "refund", "title": "简答：退款处理", "knockout": False, "weight": 2,
     "kind": "measured", "effective_weight": 2, "points": 0.0, "status": "not_met", "fraction": 0.0, "best": 0.0,
     "evidence": [{"code": "text.below", "params": {"question": "q_refund", "matched": ["查订单"], "count": 1,
                                                    "required": 2}}],
     "merged": [{"checklist": "lead", "code": "refund2", "title": "退款要会处理", "weight": 1, "knockout": False}]},
    {"checklist": "lead", "code": "typing", "title": "打字 50 字/分", "knockout": False, "weight": 1,
     "kind": "measured", "effective_weight": 1, "points": 0.0, "status": "unknown", "fraction": 0.0, "best": 1.0,
     "evidence": [{"code": "typing.unknown", "params": {"required": 50}}]},
]  # fmt: skip
REVISIONS = {"basic": 4, "lead": 2}
WHEN = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)


def _explain(**kwargs):
    args = {"results": RESULTS, "revisions": REVISIONS, "current": REVISIONS, "evaluated_at": WHEN,
            "checklist_names": {"basic": "客服基本要求", "lead": "组长五条"}, **kwargs}  # fmt: skip
    return explain(**args)


def test_each_requirement_with_its_result_in_the_order_met_partial_not_met_unknown():
    explanation = _explain()
    with translation.override("zh-hans"):
        groups = [(status, label, [i.title for i in items]) for status, label, items in explanation.groups]
    assert groups == [
        ("met", "满足", ["学历：高中及以上"]),
        ("partial", "部分满足", ["情景题：快递延误"]),
        ("not_met", "不满足", ["简答：退款处理"]),
        ("unknown", "未知", ["打字 50 字/分"]),
    ]
    assert explanation.has_unknown
    assert [(c.name, c.revision) for c in explanation.checklists] == [("客服基本要求", 4), ("组长五条", 2)]
    education, _late, refund, _typing = explanation.items
    assert (education.required, education.weight) == (True, 3)
    assert refund.also == ("退款要会处理",)


def test_the_results_read_in_the_readers_language():
    with translation.override("en"):
        labels = [label for _status, label, _items in _explain().groups]
        exported = _explain().as_dict()
    assert labels == ["Met", "Partially met", "Not met", "Unknown"]
    assert [r["result_text"] for r in exported["requirements"]] == labels


def test_nothing_is_explained_from_a_stale_score():
    assert _explain(current={"basic": 5, "lead": 2}) is None  # a checklist changed since
    assert _explain(current={"basic": 4}) is None  # a checklist left the job
    assert _explain(current={"basic": 4, "lead": 2, "new": 1}) is None  # one was added


def test_no_evidence_threshold_option_or_point_leaves_the_function():
    exported = _explain().as_dict()
    assert exported == {
        "evaluated_at": "2026-12-01T08:30:00+00:00",
        "checklists": [{"name": "客服基本要求", "revision": 4}, {"name": "组长五条", "revision": 2}],
        "requirements": [
            {"title": "学历：高中及以上", "result": "met", "result_text": "满足", "required": True, "weight": 3},
            {"title": "情景题：快递延误", "result": "partial", "result_text": "部分满足", "required": False,
             "weight": 2},
            {"title": "简答：退款处理", "result": "not_met", "result_text": "不满足", "required": False, "weight": 2,
             "also_listed_as": ["退款要会处理"]},
            {"title": "打字 50 字/分", "result": "unknown", "result_text": "未知", "required": False, "weight": 1},
        ],
    }  # fmt: skip
    text = json.dumps(exported, ensure_ascii=False)
    for secret in ("查订单", "q_late", "0.35", "evidence", "points", "fraction", "bachelor"):
        assert secret not in text


def test_an_unrecognised_status_reads_as_unknown():
    explanation = _explain(results=[{**RESULTS[0], "status": "something-new"}])
    assert [i.status for i in explanation.items] == ["unknown"]
