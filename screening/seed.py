"""Load the checklists and demo jobs in fixtures/ (our own nested JSON, easier to review than dumpdata)."""

import json
from collections.abc import Collection
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from . import rules
from .models import ChatScenario, Checklist, Job, JobChecklist, Question, Requirement
from .onboarding.fixtures import onboarding_plans_load
from .services import checklist_bump_revision, checklist_record_revision
from .signals import revision_bumps_paused

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


class SeedError(ValueError):
    pass


def _check_checklist(data: dict, scenarios: list[dict]) -> None:
    slug = data.get("slug", "?")
    questions = {q["code"]: q for q in data.get("questions", [])}
    for req in data.get("requirements", []):
        where = f"{slug}/{req.get('code', '?')}"
        errors = rules.condition_errors(req.get("condition"))
        if errors:
            raise SeedError(f"{where}: " + "; ".join(errors))
        for code in rules.questions_read(req["condition"]):
            if code not in questions:
                raise SeedError(f"{where}: condition reads question {code!r}, not defined in this checklist")
        for code in rules.scenarios_read(req["condition"]):
            if code not in {s["code"] for s in scenarios}:
                raise SeedError(f"{where}: condition reads chat scenario {code!r}, not defined for this checklist")
        _check_choice_points(req["condition"], questions, where)
    for scenario in scenarios:
        instance = ChatScenario(**{k: scenario[k] for k in SCENARIO_FIELDS if k in scenario})
        try:
            instance.clean()
        except ValidationError as exc:
            raise SeedError(f"{slug}/{scenario.get('code', '?')}: {exc.messages}") from exc


def load_scenarios(directory: Path = FIXTURES) -> dict[str, list[dict]]:
    """fixtures/chat_scenarios.json by checklist slug."""
    path = directory / "chat_scenarios.json"
    by_checklist: dict[str, list[dict]] = {}
    if path.exists():
        for scenario in json.loads(path.read_text(encoding="utf-8")):
            by_checklist.setdefault(scenario["checklist"], []).append(scenario)
    return by_checklist


def _check_choice_points(condition: dict, questions: dict, where: str) -> None:
    if condition["kind"] in ("all_of", "any_of"):
        for child in condition["conditions"]:
            _check_choice_points(child, questions, where)
    elif condition["kind"] == "choice_answer":
        options = {o["code"] for o in questions[condition["question"]].get("options", [])}
        if set(condition["points"]) != options:
            raise SeedError(f"{where}: points {sorted(condition['points'])} do not match options {sorted(options)}")


SCENARIO_FIELDS = (
    "code", "title", "context", "title_en", "context_en", "source", "messages", "keyword_groups", "min_groups",
)  # fmt: skip


def checklist_upsert(
    *, data: dict, update: bool, scenarios: list[dict] | None = None, moving: Collection[str] = ()
) -> tuple[Checklist, bool]:
    """Create the checklist (and its chat scenarios) from fixture data; with update=True also overwrite an
    existing one. Its scenarios are those of fixtures/chat_scenarios.json unless given (an update never
    deletes a checklist's scenarios just because the caller did not pass them). Question and scenario codes in
    `moving` belong to another checklist of the same load, which takes the row over: it is not deleted here
    (that would delete the candidates' chat runs with it)."""
    scenarios = load_scenarios().get(data["slug"], []) if scenarios is None else list(scenarios)
    _check_checklist(data, scenarios)
    checklist = Checklist.objects.filter(slug=data["slug"]).first()
    if checklist is not None and not update:
        return checklist, False
    existed = checklist is not None
    with transaction.atomic(), revision_bumps_paused():
        checklist, _ = Checklist.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "description": data.get("description", ""),
                "name_en": data.get("name_en", ""),
                "description_en": data.get("description_en", ""),
                "source": data.get("source", ""),
            },
        )
        codes = []
        for i, req in enumerate(data.get("requirements", [])):
            codes.append(req["code"])
            Requirement.objects.update_or_create(
                checklist=checklist,
                code=req["code"],
                defaults={
                    "title": req["title"],
                    "description": req.get("description", ""),
                    "title_en": req.get("title_en", ""),
                    "description_en": req.get("description_en", ""),
                    "category": req.get("category", Requirement.Category.BASIC),
                    "condition": req["condition"],
                    "weight": req.get("weight", 1),
                    "knockout": req.get("knockout", False),
                    "partial_credit": req.get("partial_credit", False),
                    "order": i,
                },
            )
        checklist.requirements.exclude(code__in=codes).delete()
        qcodes = []
        for i, q in enumerate(data.get("questions", [])):
            qcodes.append(q["code"])
            Question.objects.update_or_create(
                code=q["code"],
                defaults={
                    "checklist": checklist,
                    "prompt": q["prompt"],
                    "prompt_en": q.get("prompt_en", ""),
                    "kind": q.get("kind", "choice"),
                    "options": q.get("options", []),
                    "order": i,
                },
            )
        checklist.questions.exclude(code__in=[*qcodes, *moving]).delete()
        for i, scenario in enumerate(scenarios):
            ChatScenario.objects.update_or_create(
                code=scenario["code"],
                defaults={
                    **{k: scenario[k] for k in SCENARIO_FIELDS if k in scenario and k != "code"},
                    "checklist": checklist,
                    "order": i,
                },
            )
        checklist.chat_scenarios.exclude(code__in=[*(sc["code"] for sc in scenarios), *moving]).delete()
    if existed:  # one new revision for the whole update, and its applications rescored
        checklist_bump_revision(checklist_id=checklist.pk)
    else:
        checklist_record_revision(checklist_id=checklist.pk)
    return checklist, True


def job_upsert(*, data: dict, update: bool) -> tuple[Job, bool]:
    job = Job.objects.filter(slug=data["slug"]).first()
    if job is not None and not update:
        return job, False
    checklists = []
    for slug in data["checklists"]:
        checklist = Checklist.objects.filter(slug=slug).first()
        if checklist is None:
            raise SeedError(f"job {data['slug']}: unknown checklist {slug!r}")
        checklists.append(checklist)
    with transaction.atomic():
        job, _ = Job.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "description": data.get("description", ""),
                "title_en": data.get("title_en", ""),
                "description_en": data.get("description_en", ""),
                "location": data.get("location", ""),
                "employment_type": data.get("employment_type", Job.EmploymentType.FULL_TIME),
                "status": data.get("status", Job.Status.OPEN),
                "advance_threshold": data.get("advance_threshold", 60),
            },
        )
        job.job_checklists.all().delete()
        JobChecklist.objects.bulk_create(JobChecklist(job=job, checklist=c, order=i) for i, c in enumerate(checklists))
    return job, True


def load_fixtures(*, directory: Path = FIXTURES, update: bool = False, jobs: bool = True) -> dict[str, int]:
    counts = {"checklists": 0, "jobs": 0}
    scenarios = load_scenarios(directory)
    checklists = json.loads((directory / "checklists.json").read_text(encoding="utf-8"))
    # question and scenario codes are unique across checklists: one the file moves to another checklist is
    # taken over by that one's upsert, never deleted by its old checklist's
    codes = {
        c["slug"]: {q["code"] for q in c.get("questions", [])} | {s["code"] for s in scenarios.get(c["slug"], [])}
        for c in checklists
    }
    everyone = set().union(*codes.values())
    for data in checklists:
        counts["checklists"] += checklist_upsert(
            data=data, update=update, scenarios=scenarios.get(data["slug"], []), moving=everyone - codes[data["slug"]]
        )[1]
    if jobs:
        for data in json.loads((directory / "demo_jobs.json").read_text(encoding="utf-8")):
            counts["jobs"] += job_upsert(data=data, update=update)[1]
    counts["onboarding_plans"] = onboarding_plans_load(directory=directory, update=update)
    return counts
