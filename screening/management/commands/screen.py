"""Score the profiles in a file against checklists, without storing anything.

Usage: python manage.py screen SLUG[,SLUG...] FILE [--format table|json] [--threshold N]
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.utils import OperationalError, ProgrammingError
from django.utils import timezone, translation

from screening import rules, selectors
from screening.evidence import Questions, render_all
from screening.seed import FIXTURES, load_scenarios
from screening.tabular import ParsedRow, TabularError, read_rows

FIXTURE_FILE = FIXTURES / "checklists.json"
RESULT_KEYS = ("checklist", "code", "title", "knockout", "weight", "status", "fraction", "evidence")

# slug -> (its requirements in order, its questions for rendering evidence)
Loaded = dict[str, tuple[list[rules.Requirement], Questions]]


def _question_texts(rows) -> Questions:
    return {code: (prompt, {o.get("code"): o.get("label") for o in options or []}) for code, prompt, options in rows}


def _from_database(slugs: list[str]) -> Loaded:
    """The checklists the database has; none when its tables are missing or it cannot be reached."""
    try:
        # a savepoint, so a missing table cannot break an outer transaction (tests run inside one)
        with transaction.atomic():
            return selectors.checklists_for_screening(slugs=slugs)
    except (ProgrammingError, OperationalError):
        return {}


def _from_fixture(slugs: list[str]) -> Loaded:
    data = {c["slug"]: c for c in json.loads(FIXTURE_FILE.read_text(encoding="utf-8"))}
    scenarios = {
        s["code"]: (s.get("keyword_groups", []), s.get("min_groups"))
        for group in load_scenarios(FIXTURES).values()
        for s in group
    }
    loaded: Loaded = {}
    for slug in slugs:
        if slug not in data:
            continue
        plain = [
            rules.Requirement(
                checklist=slug,
                code=r["code"],
                title=r["title"],
                condition=rules.with_scenarios(r["condition"], scenarios),
                weight=r.get("weight", 1),
                knockout=r.get("knockout", False),
                partial_credit=r.get("partial_credit", False),
            )
            for r in data[slug].get("requirements", [])
        ]
        questions = _question_texts((q["code"], q["prompt"], q.get("options")) for q in data[slug].get("questions", []))
        loaded[slug] = (plain, questions)
    return loaded


def _result_json(result: dict[str, Any]) -> dict[str, Any]:
    return {k: result[k] for k in RESULT_KEYS}


def _evidence(result: dict[str, Any], questions: Questions) -> str:
    return "；".join(render_all(result["evidence"], questions))


def _explain(result: dict[str, Any], questions: Questions, pad: str) -> list[str]:
    """The children of a combinator that are not met, nested: why an any_of/all_of did not hold."""
    lines = []
    for child in result.get("children", []):
        if child["status"] != rules.MET:
            lines.append(f"{pad}- {child['status']}: {_evidence(child, questions)}")
            lines.extend(_explain(child, questions, pad + "  "))
    return lines


class Command(BaseCommand):
    help = (
        "Score the profiles in a .csv, .xlsx or .json file against checklists (comma-separated slugs). "
        "Reads the checklists from the database, or from fixtures/checklists.json when it lacks them. "
        "Stores nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", help="checklist slugs, comma-separated, e.g. ecommerce-cs-basic,cs-clerk")
        parser.add_argument("file", type=Path, help=".csv (UTF-8 or GB18030), .xlsx or .json")
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument("--threshold", type=float, default=60, help="score at which to advance (default 60)")

    def handle(self, *args, slugs: str, file: Path, format: str, threshold: float, **options):
        if not 0 <= threshold <= 100:
            raise CommandError(f"threshold {threshold:g} is outside 0–100")
        wanted = list(dict.fromkeys(s.strip() for s in slugs.split(",") if s.strip()))
        if not wanted:
            raise CommandError("no checklist slug given")
        loaded = self._checklists(wanted)
        rows = self._rows(file)
        requirements = [r for slug in wanted for r in loaded[slug][0]]
        questions: Questions = {k: v for slug in wanted for k, v in loaded[slug][1].items()}
        today = timezone.localdate()
        scored = [
            (
                row,
                rules.score_profile(
                    requirements, {**row.profile, "answers": row.answers}, threshold=threshold, today=today
                ),
            )
            for row in rows
        ]
        if format == "json":
            self._write_json(wanted, scored)
        else:
            self._write_table(scored, questions)

    def _checklists(self, wanted: list[str]) -> Loaded:
        loaded = _from_database(wanted)
        missing = [s for s in wanted if s not in loaded]
        if missing:
            loaded.update(_from_fixture(missing))
            unknown = [s for s in wanted if s not in loaded]
            if unknown:
                raise CommandError("; ".join(f"unknown checklist {s!r}" for s in unknown))
            self.stderr.write(f"read {', '.join(missing)} from the fixture file {FIXTURE_FILE} (not in the database)")
        for slug in wanted:
            for req in loaded[slug][0]:
                errors = rules.condition_errors(req.condition)
                if errors:
                    raise CommandError(f"checklist {slug!r}, requirement {req.code!r}: " + "; ".join(errors))
        return loaded

    def _rows(self, file: Path) -> list[ParsedRow]:
        try:
            rows = read_rows(file)
        except TabularError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        problems = [f"row {row.number}, {column}: {message}" for row in rows for column, message in row.errors]
        if problems:
            raise CommandError(f"{file} has {len(problems)} invalid value(s):\n" + "\n".join(problems))
        if not rows:
            raise CommandError(f"{file}: no profiles in the file")
        dropped = list(dict.fromkeys(c for row in rows for c in row.dropped))
        if dropped:
            self.stderr.write(f"columns not used (never stored): {', '.join(dropped)}")
        return rows

    def _write_json(self, wanted: list[str], scored: list[tuple[ParsedRow, rules.Outcome]]) -> None:
        out = [
            {
                "profile": row.identity.get("name") or row.number,
                "checklists": wanted,
                "score": float(outcome.score),
                "max_possible": float(outcome.max_possible),
                "recommendation": outcome.recommendation,
                "requirements": [_result_json(r) for r in outcome.results],
            }
            for row, outcome in scored
        ]
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))

    def _write_table(self, scored: list[tuple[ParsedRow, rules.Outcome]], questions: Questions) -> None:
        # evidence is rendered in Chinese, the language of the checklists and of the HR users
        with translation.override("zh-hans"):
            for row, outcome in scored:
                name = row.identity.get("name")
                who = f"row {row.number} {name}" if name else f"row {row.number}"
                self.stdout.write(
                    f"{who}  score {outcome.score:.1f}  max {outcome.max_possible:.1f}  {outcome.recommendation}"
                )
                for r in outcome.results:
                    if r["status"] == rules.MET:
                        continue
                    knockout = " [knockout]" if r["knockout"] else ""
                    self.stdout.write(f"    {r['status']}  {r['checklist']}/{r['code']} {r['title']}{knockout}")
                    self.stdout.write(f"        {_evidence(r, questions)}")
                    for line in _explain(r, questions, "          "):
                        self.stdout.write(line)
