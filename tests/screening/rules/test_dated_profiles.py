"""Dated profiles (work_history, certificates) and the experience/certificate options that read them (issue 12).

Seed 002, 客服工作证考试 · 二、报考条件, 2、高级客户服务代表(具备以下条件之一):
    "(2)获得客户服务代表证书后从事相关工作2年以上;"
and 一:售后人员应具有的条件: "1、从事行内工作至少有五年以上经验,最好是从事技术工作或销售工作有几年经验".
"""

from datetime import date

import pytest

from screening.rules import MET, NOT_MET, PARTIAL, UNKNOWN, condition_errors, evaluate, period_years
from screening.rules.schemas import profile_reads

TODAY = date(2026, 11, 23)
RELATED = ["customer_service", "after_sales", "ecommerce"]


def ev(condition, profile, partial=False):
    return evaluate(condition, profile, today=TODAY, partial=partial)


def exp(years, **option):
    if "field" not in option and "fields" not in option:
        option["field"] = "customer_service"
    return {"kind": "experience_at_least", "years": years, **option}


def job(field, start, end=None):
    return {"field": field, "start": start, "end": end}


# -- work_history gives the totals ------------------------------------------------------------
def test_overlapping_periods_in_one_field_count_once():
    history = [job("customer_service", "2020-01", "2021-12"), job("customer_service", "2021-01", "2022-06")]
    r = ev(exp(2.5), {"work_history": history, "applied_on": "2026-11-23"})
    assert r.status == MET  # 2020-01 to 2022-06 is 30 months, not 24 + 18
    assert r.evidence == [
        {"code": "experience.ok", "params": {"field": "customer_service", "years": 2.5, "required": 2.5}}
    ]
    assert ev(exp(2.6), {"work_history": history}).status == NOT_MET


def test_total_is_the_union_of_all_periods():
    history = [job("sales", "2019-01", "2019-12"), job("customer_service", "2019-07", "2020-06")]
    r = ev(exp(1.5, field="total"), {"work_history": history})
    assert r.status == MET and r.evidence[0]["params"]["years"] == 1.5  # 18 months, not 12 + 12


def test_a_period_still_running_counts_until_applied_on():
    history = [job("customer_service", "2024-11")]
    assert ev(exp(2), {"work_history": history, "applied_on": "2026-11-01"}).status == MET  # 24 months to the day
    short = ev(exp(2), {"work_history": history, "applied_on": "2026-10-31"}, partial=True)
    assert short.status == PARTIAL and short.evidence[0]["params"]["years"] == 1.9  # never shown rounded up to 2


def test_work_history_wins_over_the_job_board_totals_and_an_empty_one_means_none():
    profile = {"work_history": [job("clerical", "2020-01", "2025-12")], "experience": {"customer_service": 9}}
    r = ev(exp(1), profile)
    assert (r.status, r.evidence[0]["params"]["years"]) == (NOT_MET, 0.0)  # a history without 客服 work
    assert ev(exp(1), {"work_history": [], "experience": {"customer_service": 9}}).status == NOT_MET


def test_a_malformed_history_falls_back_to_the_totals():
    for bad in (
        [job("customer_service", "2020-13")],
        [job("nursing", "2020-01")],
        [job("sales", "2021-01", "2020-01")],
    ):
        assert ev(exp(2), {"work_history": bad, "experience": {"customer_service": 3}}).status == MET


# -- fields: a set of related work whose union counts -----------------------------------------
def test_fields_count_the_union_of_their_periods():
    history = [
        job("customer_service", "2020-01", "2021-12"),
        job("after_sales", "2021-07", "2022-12"),  # half of it overlaps the 客服 work
        job("technical", "2023-01", "2025-12"),  # not in the set
    ]
    r = ev(exp(3, fields=RELATED), {"work_history": history})
    assert r.status == MET and r.evidence[0]["params"] == {"field": RELATED, "years": 3.0, "required": 3}
    assert ev(exp(3.1, fields=RELATED), {"work_history": history}).status == NOT_MET


@pytest.mark.parametrize(
    ("experience", "status", "evidence"),
    [
        # the largest field alone reaches the threshold
        ({"customer_service": 5, "after_sales": 1, "ecommerce": 0}, MET,
         ("experience.range", {"low": 5.0, "high": 6.0})),
        # even without any overlap they fall short
        ({"customer_service": 2, "after_sales": 1, "ecommerce": 1}, NOT_MET,
         ("experience.range", {"low": 2.0, "high": 4.0})),
        # whether they reach 5 depends on how much the periods overlap
        ({"customer_service": 3, "after_sales": 3, "ecommerce": 0}, UNKNOWN,
         ("experience.range", {"low": 3.0, "high": 6.0})),
        # the total bounds the union from above
        ({"customer_service": 3, "after_sales": 3, "total": 4}, NOT_MET,
         ("experience.range", {"low": 3.0, "high": 4.0})),
        # a field not given leaves no upper bound
        ({"customer_service": 3}, UNKNOWN, ("experience.at_least", {"low": 3.0})),
        ({"customer_service": 5, "after_sales": 0, "ecommerce": 0}, MET, ("experience.ok", {"years": 5.0})),
    ],
)  # fmt: skip
def test_fields_with_job_board_totals_only_are_judged_by_the_range_they_allow(experience, status, evidence):
    r = ev(exp(5, fields=RELATED), {"experience": experience})
    code, params = evidence
    assert r.status == status
    assert r.evidence[0]["code"] == code and params.items() <= r.evidence[0]["params"].items()


def test_the_range_earns_partial_credit_for_what_is_certain():
    r = ev(exp(5, fields=RELATED), {"experience": {"customer_service": 2, "after_sales": 4}}, partial=True)
    assert (r.status, r.fraction, r.best) == (UNKNOWN, 0.8, 1.0)


# -- after: only work after a date counts -------------------------------------------------------
CERT_ROUTE = exp(2, after={"certificate": "representative"})


def test_work_before_the_certificate_does_not_count():
    profile = {
        "applied_on": "2026-11-23",
        "work_history": [job("customer_service", "2019-03")],  # seven years of 客服 work …
        "certificates": [{"level": "representative", "obtained_on": "2025-06-01"}],  # … but the 证书 came last year
    }
    r = ev(CERT_ROUTE, profile, partial=True)
    assert r.status == PARTIAL
    assert r.evidence == [{"code": "experience.after_below", "params": {
        "field": "customer_service", "required": 2, "certificate": "representative", "since": "2025-06-01",
        "years": 1.4}}]  # fmt: skip
    profile["certificates"] = [{"level": "representative", "obtained_on": "2024-11-23"}]
    assert ev(CERT_ROUTE, profile).status == MET  # exactly two years after


def test_the_certificate_must_be_of_exactly_that_level():
    history = [job("customer_service", "2015-01")]
    higher = {
        "work_history": history,
        "certificates": [{"level": "senior_representative", "obtained_on": "2016-01-01"}],
    }
    r = ev(CERT_ROUTE, higher)
    assert (r.status, r.evidence[0]["code"]) == (NOT_MET, "experience.after_no_certificate")
    assert ev(CERT_ROUTE, {"work_history": history, "certificates": []}).status == NOT_MET


def test_the_earliest_certificate_of_the_level_counts():
    certificates = [
        {"level": "representative", "obtained_on": "2024-01-10"},
        {"level": "representative", "obtained_on": "2021-05-10"},  # taken again later, e.g. a renewal
    ]
    profile = {"work_history": [job("customer_service", "2018-01")], "certificates": certificates}
    assert ev(CERT_ROUTE, profile).evidence[0]["params"]["since"] == "2021-05-10"


def test_after_is_unknown_without_dates_and_never_met_from_totals():
    certified = {"certificates": [{"level": "representative", "obtained_on": "2020-01-01"}]}
    r = ev(CERT_ROUTE, {**certified, "experience": {"customer_service": 20}})
    assert (r.status, r.evidence[0]["code"]) == (UNKNOWN, "experience.after_unknown")
    r = ev(CERT_ROUTE, {"work_history": [job("customer_service", "2010-01")], "certificate": {"level": "manager"}})
    assert (r.status, r.evidence[0]["code"]) == (UNKNOWN, "experience.after_certificate_unknown")


def test_after_a_date_with_a_set_of_fields():
    condition = exp(1, fields=RELATED, after={"date": "2025-01-01"})
    history = [job("ecommerce", "2024-01", "2025-06"), job("after_sales", "2025-05", "2025-12")]
    r = ev(condition, {"work_history": history}, partial=True)
    # January–December 2025 in the set: 12 months; 2024 does not count
    assert r.status == MET and r.evidence[0]["params"]["years"] == 1.0
    assert ev(exp(1.1, fields=RELATED, after={"date": "2025-01-01"}), {"work_history": history}).status == NOT_MET


SENIOR_REPRESENTATIVE = {  # seed 002 报考条件 2, with (2) read strictly
    "kind": "any_of",
    "conditions": [
        {"kind": "education_at_least", "level": "junior_college"},
        {"kind": "experience_at_least", "field": "customer_service", "years": 2,
         "after": {"certificate": "representative"}},
        {"kind": "experience_at_least", "field": "customer_service", "years": 4},
    ],
}  # fmt: skip


def test_the_senior_representative_eligibility_by_its_three_routes():
    assert condition_errors(SENIOR_REPRESENTATIVE) == []
    base = {"education": "senior_high", "applied_on": "2026-11-23"}
    three_years = [job("customer_service", "2023-11")]
    late = [{"level": "representative", "obtained_on": "2025-11-01"}]
    early = [{"level": "representative", "obtained_on": "2024-06-01"}]
    assert ev(SENIOR_REPRESENTATIVE, {**base, "work_history": three_years, "certificates": late}).status == NOT_MET
    assert ev(SENIOR_REPRESENTATIVE, {**base, "work_history": three_years, "certificates": early}).status == MET
    five_years = [job("customer_service", "2021-09")]
    assert ev(SENIOR_REPRESENTATIVE, {**base, "work_history": five_years, "certificates": late}).status == MET


# -- certificate_at_least reads every certificate held ------------------------------------------
def test_certificate_route_with_an_older_lower_certificate():
    profile = {
        "applied_on": "2026-11-23",
        "certificates": [
            {"level": "representative", "obtained_on": "2019-06-01"},
            {"level": "senior_representative", "obtained_on": "2025-09-01"},
        ],
    }
    # 4、客户服务经理 "(3)获得高级客户服务代表证书后从事相关工作3年以上": the older, lower 客户服务代表 does not count
    senior = ev({"kind": "certificate_at_least", "level": "senior_representative", "years_since": 3}, profile)
    assert senior.status == NOT_MET
    assert senior.evidence == [{"code": "certificate.held_short", "params": {
        "value": "senior_representative", "required": "senior_representative", "years": 1.1, "required_years": 3,
    }}]  # 14 months, in completed tenths of a year  # fmt: skip
    # … while "(4)获得客户服务代表证书后从事相关工作5年以上" can count from 2019
    representative = ev({"kind": "certificate_at_least", "level": "representative", "years_since": 5}, profile)
    assert representative.status == MET and representative.evidence[0]["params"]["value"] == "representative"
    assert ev({"kind": "certificate_at_least", "level": "manager"}, profile).evidence[0] == {
        "code": "certificate.below",
        "params": {"value": "senior_representative", "required": "manager"},
    }


def test_years_since_a_certificate_are_whole_months_to_applied_on():
    condition = {"kind": "certificate_at_least", "level": "representative", "years_since": 2}
    held = {"certificates": [{"level": "representative", "obtained_on": "2024-11-23"}]}
    assert ev(condition, {**held, "applied_on": "2026-11-23"}).status == MET
    assert ev(condition, {**held, "applied_on": "2026-11-22"}).status == NOT_MET
    assert ev(condition, held).status == MET  # applied_on missing: today


def test_certificates_win_over_the_legacy_key_which_stays_readable():
    condition = {"kind": "certificate_at_least", "level": "representative", "years_since": 2}
    legacy = {"certificate": {"level": "manager", "years_since": 4}}
    assert ev(condition, legacy).status == MET
    assert ev(condition, {**legacy, "certificates": []}).status == NOT_MET
    assert ev(condition, {"certificates": [{"level": "manager", "obtained_on": "junk"}], **legacy}).status == MET


# -- schemas and what the options read ------------------------------------------------------------
@pytest.mark.parametrize(
    ("condition", "errors"),
    [
        (exp(2, fields=RELATED), []),
        (exp(2, field="sales", after={"certificate": "representative"}), []),
        (exp(2, fields=["sales"], after={"date": "2025-02-28"}), []),
        ({"kind": "experience_at_least", "years": 2}, ['(condition): 需要 "field" 或 "fields"，且只能有其一']),
        (exp(2, field="sales", fields=["sales"]), ['(condition): 需要 "field" 或 "fields"，且只能有其一']),
        (exp(2, fields=[]), ["fields: 至少需要 1 项"]),
        (exp(2, fields=["sales", "nursing"]), [
            'fields[1]: "nursing" 不是可选值；可选：customer_service, ecommerce, after_sales, clerical, sales, '
            "technical, total"]),
        (exp(2, field="sales", after={}), ['after: 需要 "certificate" 或 "date"，且只能有其一']),
        (exp(2, field="sales", after={"certificate": "none"}), [
            'after.certificate: "none" 不是可选值；可选：representative, senior_representative, assistant_manager, '
            "manager, senior_manager"]),
        (exp(2, field="sales", after={"date": "2025-02-30"}), ["after.date: 2025-02-30 不是有效日期"]),
        (exp(2, field="sales", after={"date": "2025/02/01"}),
         ['after.date: "2025/02/01" 格式不对（日期，如 2024-06-30）']),
    ],
)  # fmt: skip
def test_experience_options_are_validated_with_messages_that_say_where(condition, errors):
    assert condition_errors(condition) == errors


def test_what_the_new_options_read():
    # the dated history is asked wherever experience is read (the registry declares it); the totals stay for imports
    assert profile_reads(exp(2, fields=["sales", "technical"])) == {
        ("experience", "sales"),
        ("experience", "technical"),
        ("work_history", None),
    }
    assert profile_reads(CERT_ROUTE) == {
        ("experience", "customer_service"), ("work_history", None), ("certificates", None)
    }  # fmt: skip
    assert ("certificates", None) not in profile_reads(exp(1, field="sales", after={"date": "2025-01-01"}))
    assert profile_reads({"kind": "certificate_at_least", "level": "manager"}) == {
        ("certificates", None),
        ("certificate", "level"),
    }


def test_period_years_count_one_entry_as_experience_at_least_does():
    profile = {"applied_on": "2026-11-23"}
    assert period_years(job("sales", "2019-03", "2021-06"), profile, TODAY) == 2.3  # 28 months
    assert period_years(job("sales", "2026-01"), profile, TODAY) == 0.8  # running: until applied_on
    assert period_years(job("sales", "2026-01", "2027-06"), profile, TODAY) == 0.8  # cut at applied_on
    assert period_years(job("cooking", "2026-01"), profile, TODAY) is None


def test_a_field_not_given_stays_unknown_whatever_the_total():
    r = ev(exp(2, fields=RELATED), {"experience": {"total": 1, "sales": 1}})
    assert (r.status, r.evidence[0]["code"]) == (UNKNOWN, "experience.unknown")
    assert ev(exp(2), {"experience": {"total": 1}}).status == UNKNOWN  # as before: the key is missing
