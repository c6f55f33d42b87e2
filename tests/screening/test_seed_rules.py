"""The fixture checklists read as the seed documents say: each requirement evaluated through the engine against
profiles built for the seed line it encodes (fixtures/checklists.json, seeds 000–004)."""

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest

from screening.rules import MET, NOT_MET, PARTIAL, REJECT, Requirement, evaluate, score_profile

ROOT = Path(__file__).resolve().parents[2]
CHECKLISTS = {c["slug"]: c for c in json.loads((ROOT / "fixtures" / "checklists.json").read_text("utf-8"))}
SCENARIOS = json.loads((ROOT / "fixtures" / "chat_scenarios.json").read_text("utf-8"))
DEMO_JOBS = json.loads((ROOT / "fixtures" / "demo_jobs.json").read_text("utf-8"))
TODAY = date(2025, 7, 1)  # a month's first day: N whole months of work end exactly here


def requirement(slug: str, code: str) -> dict:
    (found,) = [r for r in CHECKLISTS[slug]["requirements"] if r["code"] == code]
    return found


def months_ago(n: int) -> str:
    """The month n months before TODAY's, as work_history writes it."""
    total = TODAY.year * 12 + TODAY.month - 1 - n
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def profile(*, education="junior_middle", major=None, work=(), certificates=()) -> dict:
    """A dated profile: work as (field, months ago it started, months ago it ended or None: ongoing),
    certificates as (level, months ago obtained) on that month's first day. Education is known (初中) unless
    given, so a route through education is not met rather than unknown."""
    p: dict = {"applied_on": TODAY.isoformat(), "work_history": [], "certificates": []}
    if education:
        p["education"] = education
    if major:
        p["major"] = major
    for field, start, end in work:
        ended = None if end is None else months_ago(end + 1)  # ends with the month before `end` months ago
        p["work_history"].append({"field": field, "start": months_ago(start), "end": ended})
    for level, obtained in certificates:
        p["certificates"].append({"level": level, "obtained_on": f"{months_ago(obtained)}-01"})
    return p


def run(condition: dict, p: dict, partial: bool = False):
    return evaluate(condition, p, today=TODAY, partial=partial)


# -- the certification (seed 002 客服工作证考试 二、报考条件) ---------------------------------------------------
# For each level: (the seed's line, a profile meeting that route alone, one just short of it). Work is customer
# service unless said; 12 × N months is N years exactly, one month less is short.
def _years(n, field="customer_service", short=False):
    return profile(work=[(field, 12 * n - short, None)])


def _after(level, n, short=False, education="junior_middle"):
    """Certificate of `level` obtained 12 × n months ago (a month later when short), related work ever since and
    only since (so no route counting all work applies)."""
    months = 12 * n - short
    return profile(education=education, work=[("after_sales", months, None)], certificates=[(level, months)])


def _edu_and_years(level, n, short=False):
    return profile(education=level, work=[("ecommerce", 12 * n - short, None)])


ROUTES = {
    "cs-cert-representative": [
        ("(1)具有中专、高中及以上学历;", profile(education="secondary_vocational"), profile(education="junior_middle")),
        ("(2)从事相关工作2年以上。", _years(2), _years(2, short=True)),
    ],
    "cs-cert-senior-representative": [
        ("(1)具有大专及以上学历;", profile(education="junior_college"), profile(education="senior_high")),
        (
            "(2)获得客户服务代表证书后从事相关工作2年以上;",
            _after("representative", 2),
            _after("representative", 2, True),
        ),
        ("(3)从事相关工作4年以上。", _years(4, "ecommerce"), _years(4, "ecommerce", short=True)),
    ],
    "cs-cert-assistant-manager": [
        ("(1)具有本科及以上学历;", profile(education="bachelor"), profile(education="junior_college")),
        (
            "(2)获得高级客户服务代表证书后从事相关工作2年以上;",
            _after("senior_representative", 2),
            _after("senior_representative", 2, True),
        ),
        (
            "(3)获得客户服务代表证书后从事相关工作4年以上。",
            _after("representative", 4),
            _after("representative", 4, True),
        ),
    ],
    "cs-cert-manager": [
        (
            "(1)具有本科及以上学历并从事相关工作2年以上;",
            _edu_and_years("bachelor", 2),
            _edu_and_years("bachelor", 2, True),
        ),
        (
            "(2)获得助理客户服务经理证书后从事相关工作1年以上;",
            _after("assistant_manager", 1),
            _after("assistant_manager", 1, True),
        ),
        (
            "(3)获得高级客户服务代表证书后从事相关工作3年以上;",
            _after("senior_representative", 3),
            _after("senior_representative", 3, True),
        ),
        (
            "(4)获得客户服务代表证书后从事相关工作5年以上。",
            _after("representative", 5),
            _after("representative", 5, True),
        ),
    ],
    "cs-cert-senior-manager": [
        (
            "(1)相关专业研究生学历并从事相关工作2年以上;",
            profile(education="master", major="客户服务管理", work=[("customer_service", 24, None)]),
            profile(education="master", major="客户服务管理", work=[("customer_service", 23, None)]),
        ),
        (
            "(2)具有本科及以上学历并从事相关工作5年以上;",
            _edu_and_years("bachelor", 5),
            _edu_and_years("bachelor", 5, True),
        ),
        (
            "(3)获得助理客户服务经理证书后从事相关工作2年以上;",
            _after("assistant_manager", 2),
            _after("assistant_manager", 2, True),
        ),
        (
            "(4)获得高级客户服务代表证书后从事相关工作4年以上;",
            _after("senior_representative", 4),
            _after("senior_representative", 4, True),
        ),
        (
            "(5)获得客户服务代表证书后从事相关工作6年以上。",
            _after("representative", 6),
            _after("representative", 6, True),
        ),
    ],
}
CASES = [
    pytest.param(slug, i, line, met, short, id=f"{slug}-{i + 1}")
    for slug, routes in ROUTES.items()
    for i, (line, met, short) in enumerate(routes)
]


def test_every_level_has_one_route_per_alternative_the_seed_lists():
    """「具备以下条件之一」: two alternatives for 客户服务代表, three, three, four and five for the levels above."""
    for slug, routes in ROUTES.items():
        eligibility = requirement(slug, "eligibility")
        assert eligibility["knockout"] is True
        assert eligibility["condition"]["kind"] == "any_of"
        assert len(eligibility["condition"]["conditions"]) == len(routes), slug


@pytest.mark.parametrize(("slug", "index", "line", "met", "short"), CASES)
def test_each_certification_route_is_met_on_its_own_and_fails_just_short(slug, index, line, met, short):
    """二、报考条件: 「1、客户服务代表(具备以下条件之一):」… each numbered alternative (the case's `line`) is a route of
    its own: meeting it alone qualifies, a month of work or one step of education short does not."""
    eligibility = requirement(slug, "eligibility")
    assert f"「{line}」" in eligibility["description"]
    result = run(eligibility["condition"], met)
    assert (result.status, result.children[index].status) == (MET, MET), result.children[index].evidence
    missed = run(eligibility["condition"], short)
    assert (missed.status, missed.children[index].status) == (NOT_MET, NOT_MET), missed.children[index].evidence


def test_a_lower_certificate_older_than_the_higher_one_still_opens_its_route():
    """「(3)获得客户服务代表证书后从事相关工作4年以上。」 (助理客户服务经理): someone who went on to
    高级客户服务代表 last year keeps the route through the 客户服务代表 certificate obtained four years ago."""
    condition = requirement("cs-cert-assistant-manager", "eligibility")["condition"]
    person = profile(
        education="senior_high",
        work=[("customer_service", 48, None)],
        certificates=[("senior_representative", 10), ("representative", 48)],
    )
    result = run(condition, person)
    assert result.status == MET
    assert [child.status for child in result.children] == [NOT_MET, NOT_MET, MET]  # 10 months after the higher one


def test_work_before_a_certificate_does_not_count_after_it():
    """「(2)获得客户服务代表证书后从事相关工作2年以上;」 (高级客户服务代表): two years of work before the
    certificate and one after it are one year after it, even with the certificate held three years and three
    years of work in all (the reading 'certificate held N years and N years of work' would let this person
    through)."""
    condition = requirement("cs-cert-senior-representative", "eligibility")["condition"]
    before_and_after = profile(
        work=[("customer_service", 60, 36), ("customer_service", 12, None)], certificates=[("representative", 36)]
    )
    result = run(condition, before_and_after)
    assert result.status == NOT_MET
    assert result.children[1].evidence[0]["params"]["years"] == 1.0
    # the same three years, all of them after the certificate
    all_after = profile(
        work=[("customer_service", 36, 12), ("customer_service", 12, None)], certificates=[("representative", 36)]
    )
    assert run(condition, all_after).children[1].status == MET


def test_related_work_is_customer_service_after_sales_and_ecommerce_counted_once():
    """「(2)从事相关工作2年以上。」 (客户服务代表): a year of after-sales and a year of e-commerce are two years of
    related work (the set is ours); clerical work is not related, and overlapping years count once."""
    condition = requirement("cs-cert-representative", "eligibility")["condition"]
    assert run(condition, profile(work=[("after_sales", 24, 12), ("ecommerce", 12, None)])).status == MET
    assert run(condition, profile(work=[("clerical", 36, None)])).status == NOT_MET
    overlapping = profile(work=[("customer_service", 23, None), ("ecommerce", 23, None)])
    assert run(condition, overlapping).status == NOT_MET  # 23 months, not 46


# -- after-sales staff (seed 002 售后人员应具有的条件) -----------------------------------------------------------
def _after_sales_requirements() -> list[Requirement]:
    return [
        Requirement("after-sales-staff", r["code"], r["title"], r["condition"], r["weight"], r["knockout"],
                    r["partial_credit"])
        for r in CHECKLISTS["after-sales-staff"]["requirements"]
    ]  # fmt: skip


def test_after_sales_needs_five_years_of_trade_work_across_its_fields():
    """「1、从事行内工作至少有五年以上经验」: two years of after-sales and three of sales are five years in the
    trade; four years are not, and 至少 makes it a knockout."""
    industry = requirement("after-sales-staff", "industry_experience")
    assert industry["knockout"] is True
    two_and_three = profile(work=[("after_sales", 60, 36), ("sales", 36, None)])
    assert run(industry["condition"], two_and_three).status == MET
    four = profile(work=[("after_sales", 48, 24), ("sales", 24, None)])
    assert run(industry["condition"], four).status == NOT_MET
    assert run(industry["condition"], profile(work=[("technical", 60, None)])).status == MET
    outcome = score_profile(_after_sales_requirements(), four, threshold=0, today=TODAY)
    assert outcome.recommendation == REJECT


def test_after_sales_prefers_technical_or_sales_work_without_requiring_it():
    """「最好是从事技术工作或销售工作有几年经验」: technical or sales work earns credit (three years for all of it,
    ours); five years of after-sales alone still passes the knockout."""
    preferred = requirement("after-sales-staff", "technical_or_sales")
    assert preferred["knockout"] is False and preferred["weight"] <= 2
    assert run(preferred["condition"], profile(work=[("technical", 36, None)]), partial=True).status == MET
    half = run(preferred["condition"], profile(work=[("sales", 18, None)]), partial=True)
    assert (half.status, half.fraction) == (PARTIAL, 0.5)
    after_sales_only = profile(education="bachelor", work=[("after_sales", 60, None)])
    assert run(preferred["condition"], after_sales_only, partial=True).status == NOT_MET
    outcome = score_profile(_after_sales_requirements(), after_sales_only, threshold=0, today=TODAY)
    assert outcome.recommendation != REJECT


# -- knockouts exactly where a seed states a requirement ----------------------------------------------------------
KNOCKOUTS = {
    "ecommerce-cs-basic": {"education", "no_criminal_record"},
    "ecommerce-cs-skills": set(),
    "cs-work-abilities": set(),
    "cs-qualities-knowledge-skills": set(),
    "cs-eight-must-haves": set(),
    "cs-dept-thirteen-conditions": set(),
    "cs-clerk": {"education", "experience", "age", "typing"},
    "refurbisher": {"education", "age", "good_health"},
    "after-sales-staff": {"industry_experience"},
    "cs-specialist": {"education"},
    "cs-cert-representative": {"eligibility"},
    "cs-cert-senior-representative": {"eligibility"},
    "cs-cert-assistant-manager": {"eligibility"},
    "cs-cert-manager": {"eligibility"},
    "cs-cert-senior-manager": {"eligibility"},
    "ecommerce-cs-duties": set(),
    "team-lead-five-demands": set(),
}


def test_knockouts_are_exactly_where_a_seed_states_a_requirement():
    """「至少拥有高中或同等学历」「要求客服人员没有犯罪记录」, the job descriptions' 任职资格 (「3.年龄:20-30岁」,
    「F 身体健康」, 「打字速度50字/分」, 「6. 本科及以上学历」), 「从事行内工作至少有五年以上经验」 and the
    certification's 「具备以下条件之一」; nothing else."""
    found = {slug: {r["code"] for r in c["requirements"] if r["knockout"]} for slug, c in CHECKLISTS.items()}
    assert found == KNOCKOUTS


def test_the_basic_checklist_sets_no_age_and_weighs_health():
    """「大部分电商平台对客服人员的年龄没有明确的限制」: no age requirement; 「因此要求客服人员身体健康」 is weighed,
    not a knockout (the refurbisher's 「F 身体健康」 is one)."""
    basic = CHECKLISTS["ecommerce-cs-basic"]["requirements"]
    assert not [r for r in basic if "age_between" in json.dumps(r["condition"])]
    assert requirement("ecommerce-cs-basic", "good_health")["knockout"] is False
    assert requirement("refurbisher", "good_health")["knockout"] is True


def test_no_checklist_asks_for_peak_overtime():
    """「但是對待客服我會有基本的5點要求」: ability, attitude, responsibility, initiative, team. None of the seeds
    asks a candidate to accept overtime in the peak season."""
    assert "accepts_peak_overtime" not in json.dumps(list(CHECKLISTS.values()))


# -- self-ratings and the chat ----------------------------------------------------------------------------------
def test_a_self_rated_quality_asks_the_same_rating_everywhere_and_weighs_little():
    """「客服人员需要具备耐心、细心、责任心强等性格特点」: the seeds name qualities, not scores; the rating asked (4)
    and the weight (1) are ours, one of each across every checklist, so measured evidence and claims carry a job."""
    traits = [
        (r["condition"]["trait"], r["condition"]["rating"], r["weight"], r["partial_credit"], r["knockout"])
        for c in CHECKLISTS.values()
        for r in c["requirements"]
        if r["condition"]["kind"] == "trait_at_least"
    ]
    assert len(traits) > 50
    assert {(rating, weight, partial, knockout) for _trait, rating, weight, partial, knockout in traits} == {
        (4, 1, True, False)
    }


def test_every_chat_says_its_measure_and_every_scenario_is_used_by_a_demo_job():
    """「我一直都是穩(wěn)定維持在15秒內(nèi)的響應時長」: each buyer chat is held to a 15-second first response,
    measured as the share of messages answered in time (2/3, ours), and each of the five scenarios is taken in
    some demo job."""
    chats = {
        r["condition"]["scenario"]: (slug, r)
        for slug, c in CHECKLISTS.items()
        for r in c["requirements"]
        if r["condition"]["kind"] == "chat_response"
    }
    for _slug, r in chats.values():
        condition = r["condition"]
        assert (condition["measure"], condition["min_fast_share"], condition["max_seconds"]) == ("share", "2/3", 15)
        assert "穩(wěn)定維持在15秒內(nèi)的響應時長" in r["description"]
    demo_checklists = {slug for job in DEMO_JOBS for slug in job["checklists"]}
    assert {s["code"]: s["checklist"] for s in SCENARIOS} == {code: slug for code, (slug, _r) in chats.items()}
    assert {slug for slug, _r in chats.values()} <= demo_checklists
    assert len(chats) == 5
    assert all("你" not in s["context"] for s in SCENARIOS)  # the candidate is 您


# -- the descriptions quote the seeds ----------------------------------------------------------------------------
SEEDS = Path(os.environ.get("SEEDS_DIR", ROOT.parent / "shared" / "seeds"))


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the seed documents are not at {SEEDS} (set SEEDS_DIR)")
def test_every_requirement_quotes_its_seed_verbatim():
    """Every description opens with the seed's own words in 「」; each quote occurs in a seed document as written
    (whitespace aside)."""
    seeds = re.sub(r"\s+", "", "".join(p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))))
    problems = []
    for slug, c in CHECKLISTS.items():
        for r in c["requirements"]:
            quotes = re.findall(r"「(.+?)」", r["description"])
            if not r["description"].startswith("「") or not quotes:
                problems.append((slug, r["code"], "no quote first"))
            problems += [(slug, r["code"], q) for q in quotes if re.sub(r"\s+", "", q) not in seeds]
    assert problems == []
