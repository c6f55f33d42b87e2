"""Synthetic applicants for demo mode, so a newcomer logging in as HR meets a ranked, explained list.

Each persona is built from what a demo job's requirements ask (the same condition trees the engine reads),
so the personas follow the checklists as admins edit them:

- strong: meets every requirement with room to spare; modest self-ratings (4);
- borderline: just meets the measured and claimed requirements; self-ratings 3;
- knockout: as strong, but fails the job's first knockout requirement;
- self_promoter: the worst measured answers and typing, everything else as borderline, every self-rating 5;
- weak: the worst of everything; self-ratings 2.

Clearly marked and never real: 示例 in every name, e-mail addresses under example.invalid, mobile numbers in
a range no operator issues (100…), source "demo". Created only in demo mode (manage.py portal).
"""

import random
from datetime import date, timedelta

from django.db import transaction

from . import rules, selectors, services
from .models import Application, ChatScenario, Job
from .rules import vocab

PERSONAS = ("strong", "borderline", "knockout", "self_promoter", "weak")
PER_PERSONA = 6  # 30 per job

# how each persona meets measured / claimed requirements, and the self-rating it gives itself
_LEVELS = {
    "strong": ("best", "best", 4),
    "borderline": ("mid", "mid", 3),
    "knockout": ("best", "best", 4),
    "self_promoter": ("worst", "mid", 5),
    "weak": ("worst", "worst", 2),
}
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = ("静", "敏", "磊", "婷", "杰", "芳", "强", "丽", "洋", "娟", "伟", "霞", "涛", "燕", "鹏")


def _years_ago(today: date, years: float) -> date:
    return today - timedelta(days=round(years * 365.25))


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


class _Builder:
    """Fills a profile and answers so that each condition comes out as the persona's level says."""

    def __init__(self, *, measured: str, claimed: str, rating: int, today: date, scenarios: dict, rng):
        self.measured, self.claimed, self.rating = measured, claimed, rating
        self.today, self.scenarios, self.rng = today, scenarios, rng
        self.profile: dict = {"applied_on": today.isoformat()}
        self.answers: dict = {}

    def fill(self, condition: dict, level: str | None = None) -> None:
        kind = condition["kind"]
        if kind in ("all_of", "any_of"):
            children = condition["conditions"] if kind == "all_of" else condition["conditions"][:1]
            for child in children:
                self.fill(child, level)
            return
        evidence = rules.evidence_kind(condition)
        if evidence == vocab.SELF_RATED:
            self.profile.setdefault("traits", {})[condition["trait"]] = self.rating
            return
        level = level or (self.measured if evidence == vocab.MEASURED else self.claimed)
        getattr(self, f"_{kind}")(condition, level)

    # -- claimed --------------------------------------------------------------------------------------------
    def _education_at_least(self, c, level):
        rank = vocab.EDUCATION_RANK[c["level"]] + {"best": 1, "mid": 0, "worst": -1}[level]
        by_rank = {r: code for code, r in reversed(vocab.EDUCATION_RANK.items())}
        self.profile["education"] = by_rank[min(max(rank, 0), max(by_rank))]

    def _age_between(self, c, level):
        low = c.get("min", 18)
        high = c.get("max", low + 20)
        age = low - 2 if level == "worst" else (low + high) / 2
        self.profile["date_of_birth"] = _years_ago(self.today, age + 0.3).isoformat()

    def _experience_at_least(self, c, level):
        years = c["years"] + {"best": 2, "mid": 0.2, "worst": -c["years"] * 0.6}[level]
        field = (c.get("fields") or [c.get("field")])[0]
        after = c.get("after", {})
        if "certificate" in after and level != "worst":
            obtained = _years_ago(self.today, years + 0.5)
            self.profile.setdefault("certificates", []).append(
                {"level": after["certificate"], "obtained_on": obtained.isoformat()}
            )
        if after or "work_history" in self.profile:
            start = _years_ago(self.today, max(years, 0))
            self.profile.setdefault("work_history", []).append({"field": field, "start": _month(start), "end": None})
        else:
            experience = self.profile.setdefault("experience", {})
            experience[field] = round(max(years, 0), 1)
            experience["total"] = max(experience.get("total", 0), experience[field])

    def _certificate_at_least(self, c, level):
        rank = vocab.CERTIFICATE_RANK[c["level"]] + (1 if level == "best" else 0 if level == "mid" else -1)
        code = vocab.CERTIFICATE_LEVELS[min(max(rank, 0), len(vocab.CERTIFICATE_LEVELS) - 1)]
        held = c.get("years_since", 0) + (1 if level != "worst" else -1)
        if code != "none":
            self.profile.setdefault("certificates", []).append(
                {"level": code, "obtained_on": _years_ago(self.today, max(held, 0.1)).isoformat()}
            )

    def _declared(self, c, level):
        self.profile.setdefault("declarations", {})[c["declaration"]] = level != "worst"

    def _platforms_any(self, c, level):
        self.profile["platforms"] = [] if level == "worst" else c["platforms"][:2]

    def _major_matches(self, c, level):
        self.profile["major"] = "市场营销" if level == "worst" else f"{c['keywords'][0]}专业"

    def _language_at_least(self, c, level):
        rank = vocab.LANGUAGE_RANK[c["level"]] + (1 if level == "best" else 0 if level == "mid" else -1)
        code = vocab.LANGUAGE_LEVELS[min(max(rank, 0), len(vocab.LANGUAGE_LEVELS) - 1)]
        self.profile.setdefault("languages", {})[c["language"]] = code

    def _skill_has(self, c, level):
        skills = self.profile.setdefault("skills", [])
        if level != "worst" and c["skill"] not in skills:
            skills.append(c["skill"])

    # -- measured ---------------------------------------------------------------------------------------------
    def _typing_at_least(self, c, level):
        # the borderline candidate just meets it: its noise never takes it under the threshold (a knockout on the clerk)
        noise = self.rng.uniform(0, 2) if level == "mid" else self.rng.uniform(-2, 2)
        cpm = c["cpm"] * {"best": 1.3, "mid": 1.02, "worst": 0.6}[level] + noise
        accuracy = {"best": 0.99, "mid": max(c.get("accuracy", 0.95), 0.95), "worst": 0.85}[level]
        self.profile["typing"] = {"cpm": round(cpm), "accuracy": accuracy, "measured": True}

    def _choice_answer(self, c, level):
        ranked = sorted(c["points"].items(), key=lambda item: item[1], reverse=True)
        pick = {"best": 0, "mid": len(ranked) // 2, "worst": len(ranked) - 1}[level]
        self.answers[c["question"]] = ranked[pick][0]

    def _text_answer(self, c, level):
        groups = c.get("groups", [])
        used = {"best": groups, "mid": groups[: (len(groups) + 1) // 2], "worst": []}[level]
        words = "，".join(group[0] for group in used)
        self.answers[c["question"]] = f"您好，{words}，谢谢您的耐心。" if used else "好的。"

    def _chat_response(self, c, level):
        code = c["scenario"]
        messages = self.scenarios.get(code, [])
        groups = c.get("groups", [])
        turns = []
        for i, message in enumerate(messages):
            points = "，".join(group[0] for group in groups[i :: max(len(messages), 1)]) or "马上为您处理"
            if level == "worst":
                replies = [{"text": f"{points}。", "seconds": 24.0 + i}]
            else:
                first = 2.0 if level == "best" else 9.0
                replies = [
                    {"text": "亲，在的，请稍等" if i == 0 else "好的亲", "seconds": first},
                    {"text": f"您好，非常抱歉让您久等了，{points}，谢谢您。", "seconds": first + 20.0},
                ]
            turns.append({"buyer": message.get("text", ""), "replies": replies})
        self.profile.setdefault("chat", {})[code] = {"measured": True, "title": code, "flags": [], "turns": turns}


def persona_profile(
    requirements: list[rules.Requirement], persona: str, *, today: date, scenarios: dict, rng
) -> tuple[dict, dict]:
    """(profile, answers) of one applicant of the persona for a job with these requirements."""
    measured, claimed, rating = _LEVELS[persona]
    builder = _Builder(measured=measured, claimed=claimed, rating=rating, today=today, scenarios=scenarios, rng=rng)
    knockouts = [r for r in requirements if r.knockout]
    failing = knockouts[0] if persona == "knockout" and knockouts else None
    for requirement in requirements:
        builder.fill(requirement.condition, "worst" if requirement is failing else None)
    return builder.profile, builder.answers


def demo_applicants_create(*, job: Job, today: date) -> list[int]:
    """PER_PERSONA applicants of each persona for the job, created and scored now; none if it has any."""
    if Application.objects.filter(job=job, source=Application.Source.DEMO).exists():
        return []
    requirements, _revisions = selectors.job_requirements(job=job)
    scenarios = {s.code: s.messages for s in ChatScenario.objects.filter(checklist__job_checklists__job=job)}
    rng = random.Random(job.slug)  # the same demo every time
    created = []
    with transaction.atomic():
        for p, persona in enumerate(PERSONAS):
            for i in range(PER_PERSONA):
                n = p * PER_PERSONA + i
                profile, answers = persona_profile(requirements, persona, today=today, scenarios=scenarios, rng=rng)
                name = f"示例·{_SURNAMES[(n + job.pk) % len(_SURNAMES)]}{_GIVEN[(n * 7 + job.pk) % len(_GIVEN)]}"
                application = services.application_create(
                    job=job, name=name, email=f"demo-{job.slug}-{n}@example.invalid",
                    phone=f"1000000{job.pk % 100:02d}{n:02d}",  # 100…: no operator issues these
                    profile=profile, answers=answers, source=Application.Source.DEMO,
                )  # fmt: skip
                created.append(application.pk)
    services.applications_score(application_ids=created, today=today)
    return created


def demo_applicants_seed(*, today: date) -> int:
    """Demo applicants for every open job that has none yet (demo mode only: manage.py portal)."""
    return sum(len(demo_applicants_create(job=job, today=today)) for job in Job.objects.filter(status=Job.Status.OPEN))
