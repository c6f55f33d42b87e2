"""A JSON schema per condition kind, and a validator whose messages say where a condition is wrong."""

import json
from datetime import date
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from . import vocab

# Years as the application form and the import take them (0–60), and typing speeds a person can reach: a
# number beyond them is a typo, and past 15 digits PostgreSQL's jsonb would not even keep it as typed.
_YEARS = {"type": "number", "minimum": 0, "maximum": 60}
MAX_CPM = 400


def _leaf(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"kind": {"type": "string"}, **properties},
        "required": ["kind", *required],
        "additionalProperties": False,
    }


_QUESTION = {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$", "maxLength": 64}
_KEYWORDS = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}
_CHILDREN = {"type": "array", "minItems": 2, "items": {"type": "object"}}
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DATE = {"type": "string", "pattern": DATE_PATTERN}
# a share as a number 0–1 or an exact fraction "2/3" (minimum/maximum apply to numbers, the pattern to strings)
SHARE_PATTERN = r"^[0-9]{1,4}/[1-9][0-9]{0,3}$"
_SHARE = {"type": ["number", "string"], "minimum": 0, "maximum": 1, "pattern": SHARE_PATTERN}

SCHEMAS: dict[str, dict[str, Any]] = {
    "education_at_least": _leaf({"level": {"enum": list(vocab.EDUCATION_LEVELS)}}, ["level"]),
    "age_between": {
        **_leaf(
            {
                "min": {"type": "integer", "minimum": 0, "maximum": 120},
                "max": {"type": "integer", "minimum": 0, "maximum": 120},
            },
            [],
        ),
        "anyOf": [{"required": ["min"]}, {"required": ["max"]}],
    },
    # one field, or "fields" whose union counts ("related work"); "after": only work after that date counts
    "experience_at_least": _leaf(
        {
            "field": {"enum": list(vocab.EXPERIENCE_FIELDS)},
            "fields": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"enum": list(vocab.EXPERIENCE_FIELDS)},
            },
            "years": _YEARS,
            "after": {
                "type": "object",
                "properties": {"certificate": {"enum": list(vocab.CERTIFICATE_LEVELS[1:])}, "date": _DATE},
                "additionalProperties": False,
            },
        },
        ["years"],
    ),
    "typing_at_least": _leaf(
        {
            "cpm": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_CPM},
            "accuracy": {"type": "number", "minimum": 0, "maximum": 1},
            "measured_only": {"type": "boolean"},
        },
        ["cpm"],
    ),
    "language_at_least": _leaf(
        {"language": {"type": "string", "pattern": "^[a-z]{2,3}$"}, "level": {"enum": list(vocab.LANGUAGE_LEVELS)}},
        ["language", "level"],
    ),
    "certificate_at_least": _leaf(
        {"level": {"enum": list(vocab.CERTIFICATE_LEVELS)}, "years_since": _YEARS}, ["level"]
    ),
    "declared": _leaf({"declaration": {"enum": list(vocab.DECLARATIONS)}}, ["declaration"]),
    "platforms_any": _leaf(
        {"platforms": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": list(vocab.PLATFORMS)}}},
        ["platforms"],
    ),
    "major_matches": _leaf({"keywords": _KEYWORDS}, ["keywords"]),
    "trait_at_least": _leaf(
        {
            "trait": {"enum": list(vocab.TRAITS)},
            "rating": {"type": "integer", "minimum": vocab.TRAIT_MIN, "maximum": vocab.TRAIT_MAX},
        },
        ["trait", "rating"],
    ),
    "skill_has": _leaf({"skill": {"enum": list(vocab.SKILLS)}}, ["skill"]),
    "choice_answer": _leaf(
        {
            "question": _QUESTION,
            "points": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1},
            },
        },
        ["question", "points"],
    ),
    "text_answer": _leaf(
        {
            "question": _QUESTION,
            "groups": {"type": "array", "minItems": 1, "items": _KEYWORDS},
            "min_groups": {"type": "integer", "minimum": 1},
        },
        ["question", "groups"],
    ),
    # the buyer-chat work sample; "groups"/"min_groups" come from the scenario (with_scenarios) unless given
    "chat_response": _leaf(
        {
            "scenario": _QUESTION,
            "max_seconds": {"type": "number", "exclusiveMinimum": 0, "maximum": 600},
            "measure": {"enum": list(vocab.CHAT_MEASURES)},
            "min_fast_share": _SHARE,
            "min_courtesy_share": _SHARE,
            "groups": {"type": "array", "items": _KEYWORDS},
            "min_groups": {"type": "integer", "minimum": 0},
        },
        ["scenario"],
    ),
    "all_of": _leaf({"conditions": _CHILDREN}, ["conditions"]),
    "any_of": _leaf({"conditions": _CHILDREN}, ["conditions"]),
}
KINDS = tuple(SCHEMAS)
COMBINATORS = ("all_of", "any_of")

# What backs each leaf kind's evidence (DESIGN.md): the portal measured it, the person claims it, or rates
# themself. Keyed situational answers are measured: the portal keys them, the person cannot rate them.
EVIDENCE: dict[str, str] = {
    "typing_at_least": vocab.MEASURED,
    "chat_response": vocab.MEASURED,
    "choice_answer": vocab.MEASURED,
    "text_answer": vocab.MEASURED,
    "education_at_least": vocab.CLAIMED,
    "age_between": vocab.CLAIMED,
    "experience_at_least": vocab.CLAIMED,
    "certificate_at_least": vocab.CLAIMED,
    "declared": vocab.CLAIMED,
    "platforms_any": vocab.CLAIMED,
    "major_matches": vocab.CLAIMED,
    "language_at_least": vocab.CLAIMED,
    "skill_has": vocab.CLAIMED,
    "trait_at_least": vocab.SELF_RATED,
}


def evidence_kind(condition: dict[str, Any]) -> str:
    """The evidence kind of a (valid) condition tree: a combinator's is its weakest child's
    (self_rated < claimed < measured), since the requirement is only as sure as that child."""
    if condition["kind"] in COMBINATORS:
        return min((evidence_kind(c) for c in condition["conditions"]), key=vocab.EVIDENCE_RANK.__getitem__)
    return EVIDENCE[condition["kind"]]


_VALIDATORS = {kind: Draft202012Validator(schema) for kind, schema in SCHEMAS.items()}


def _where(path: str, extra: Any) -> str:
    parts = [path] if path else []
    for p in extra:
        parts.append(f"[{p}]" if isinstance(p, int) else f".{p}")
    return "".join(parts).lstrip(".") or "(condition)"


def _message(error: Any) -> str:
    """jsonschema's finding in the reader's language (admins see these next to the condition)."""
    v, value, instance = error.validator, error.validator_value, error.instance
    if v == "enum":
        return _("%(value)s 不是可选值；可选：%(options)s") % {
            "value": json.dumps(instance, ensure_ascii=False),
            "options": ", ".join(map(str, value)),
        }
    if v == "required":
        missing = [k for k in value if isinstance(instance, dict) and k not in instance]
        return _("缺少 %(keys)s") % {"keys": ", ".join(f'"{k}"' for k in missing)}
    if v == "additionalProperties":
        extra = sorted(set(instance) - set(error.schema.get("properties", {})))
        return _("不允许的键：%(keys)s") % {"keys": ", ".join(f'"{k}"' for k in extra)}
    if v == "type":
        return _("应为 %(type)s，实际是 %(value)s") % {"type": value, "value": json.dumps(instance, ensure_ascii=False)}
    if v == "minimum":
        return _("%(value)s 太小（最小 %(limit)s）") % {"value": instance, "limit": value}
    if v == "exclusiveMinimum":
        return _("%(value)s 太小（必须大于 %(limit)s）") % {"value": instance, "limit": value}
    if v in ("maximum", "exclusiveMaximum"):
        return _("%(value)s 太大（最大 %(limit)s）") % {"value": instance, "limit": value}
    if v in ("minItems", "minProperties"):
        return _("至少需要 %(n)s 项") % {"n": value}
    if v == "uniqueItems":
        return _("不能有重复项")
    if v == "pattern":
        shown = json.dumps(instance, ensure_ascii=False)
        if value == DATE_PATTERN:
            return _("%(value)s 格式不对（日期，如 2024-06-30）") % {"value": shown}
        if value == SHARE_PATTERN:
            return _("%(value)s 格式不对（0 到 1 之间的数，或“2/3”这样的分数）") % {"value": shown}
        return _("%(value)s 格式不对（小写字母、数字和下划线）") % {"value": shown}
    if v == "anyOf":  # only age_between uses it
        return _('需要 "min"、"max" 或两者')
    return error.message


def condition_errors(condition: Any, path: str = "") -> list[str]:
    """Every problem with a condition tree, each prefixed with where it is ("conditions[1].level: …")."""
    if not isinstance(condition, dict):
        return [f'{path or "(condition)"}: must be an object with a "kind"']
    kind = condition.get("kind")
    if not isinstance(kind, str) or kind not in SCHEMAS:
        return [
            f"{_where(path, ['kind'])}: "
            + _("未知的条件类型 %(kind)s；可用：%(kinds)s")
            % {"kind": json.dumps(kind, ensure_ascii=False), "kinds": ", ".join(KINDS)}
        ]
    errors = [
        f"{_where(path, e.absolute_path)}: {_message(e)}"
        for e in sorted(_VALIDATORS[kind].iter_errors(condition), key=lambda e: list(e.absolute_path))
    ]
    if kind == "age_between" and not errors and "min" in condition and "max" in condition:
        if condition["min"] > condition["max"]:
            errors.append(f"{_where(path, ['min'])}: " + _("最小年龄 %(min)s 大于最大年龄 %(max)s") % condition)
    if kind == "text_answer" and not errors and condition.get("min_groups", 1) > len(condition["groups"]):
        errors.append(f"{_where(path, ['min_groups'])}: " + _("大于关键词组的数量"))
    if kind == "chat_response" and not errors and condition.get("min_groups", 0) > len(condition.get("groups", [])):
        if "groups" in condition:
            errors.append(f"{_where(path, ['min_groups'])}: " + _("大于关键词组的数量"))
    if kind == "experience_at_least" and not errors:
        errors.extend(_experience_errors(condition, path))
    if kind == "chat_response" and not errors:
        for key in ("min_fast_share", "min_courtesy_share"):
            share = condition.get(key)
            if isinstance(share, str) and Fraction(share) > 1:
                errors.append(
                    f"{_where(path, [key])}: " + _("%(value)s 太大（最大 %(limit)s）") % {"value": share, "limit": 1}
                )
    if kind in COMBINATORS and isinstance(condition.get("conditions"), list):
        for i, child in enumerate(condition["conditions"]):
            errors.extend(condition_errors(child, _where(path, ["conditions", i])))
    return errors


def _experience_errors(condition: dict[str, Any], path: str) -> list[str]:
    errors = []
    if ("field" in condition) == ("fields" in condition):
        errors.append(f"{_where(path, [])}: " + _('需要 "field" 或 "fields"，且只能有其一'))
    after = condition.get("after")
    if after is not None:
        if len(after) != 1:
            errors.append(f"{_where(path, ['after'])}: " + _('需要 "certificate" 或 "date"，且只能有其一'))
        elif "date" in after:
            try:
                date.fromisoformat(after["date"])
            except ValueError:
                errors.append(
                    f"{_where(path, ['after', 'date'])}: " + _("%(value)s 不是有效日期") % {"value": after["date"]}
                )
    return errors


def questions_read(condition: dict[str, Any]) -> set[str]:
    """Question codes a (valid) condition tree reads."""
    if condition.get("kind") in COMBINATORS:
        return set().union(*(questions_read(c) for c in condition["conditions"]))
    if "question" in condition:
        return {condition["question"]}
    return set()


def chat_conditions(condition: dict[str, Any]) -> list[dict[str, Any]]:
    """The chat_response leaves of a (valid) condition tree."""
    if condition.get("kind") in COMBINATORS:
        return [leaf for c in condition["conditions"] for leaf in chat_conditions(c)]
    return [condition] if condition.get("kind") == "chat_response" else []


def scenarios_read(condition: dict[str, Any]) -> set[str]:
    """Chat scenario codes a (valid) condition tree reads."""
    return {leaf["scenario"] for leaf in chat_conditions(condition)}


def with_scenarios(condition: dict[str, Any], scenarios: dict[str, tuple[list[list[str]], int | None]]) -> dict:
    """The condition with each chat_response's keyword groups filled in from its scenario
    ({code: (groups, min_groups)}), so the engine sees plain data. Groups written in the condition win."""
    kind = condition.get("kind")
    if kind in COMBINATORS:
        return {**condition, "conditions": [with_scenarios(c, scenarios) for c in condition["conditions"]]}
    if kind == "chat_response" and "groups" not in condition and condition["scenario"] in scenarios:
        groups, min_groups = scenarios[condition["scenario"]]
        filled = {**condition, "groups": groups}
        if min_groups is not None and "min_groups" not in condition:
            filled["min_groups"] = min_groups
        return filled
    return condition


# What each leaf kind reads of the profile: (profile key, sub-key or None). The application form
# asks exactly these (data minimisation), nothing more.
def profile_reads(condition: dict[str, Any]) -> set[tuple[str, str | None]]:
    kind = condition.get("kind")
    if kind in COMBINATORS:
        return set().union(*(profile_reads(c) for c in condition["conditions"]))
    match kind:
        case "education_at_least":
            return {("education", None)}
        case "age_between":
            return {("date_of_birth", None)}
        case "experience_at_least":
            # the dated history (work_history, declared in the registry: the form asks it, an import reads it) gives
            # these totals when present; the job-board totals stay for imports that have no history
            reads = {("experience", f) for f in condition.get("fields") or [condition["field"]]}
            reads.add(("work_history", None))  # the only reading of what came after a date, too
            if "certificate" in condition.get("after", {}):
                reads.add(("certificates", None))
            return reads
        case "typing_at_least":
            return {("typing", None)}
        case "language_at_least":
            return {("languages", condition["language"])}
        case "certificate_at_least":
            # "certificates" (every one held, dated; declared in the registry) is read first, the job-board
            # "certificate" (the highest, with its years) when a profile has no list
            reads = {("certificates", None), ("certificate", "level")}
            if "years_since" in condition:
                reads.add(("certificate", "years_since"))
            return reads
        case "declared":
            return {("declarations", condition["declaration"])}
        case "platforms_any":
            return {("platforms", None)}
        case "major_matches":
            return {("major", None)}
        case "trait_at_least":
            return {("traits", condition["trait"])}
        case "skill_has":
            return {("skills", None)}
        case "choice_answer" | "text_answer":
            return {("answers", condition["question"])}
        case "chat_response":
            return {("chat", condition["scenario"])}
    return set()


def sensitive_reads(condition: dict[str, Any]) -> set[str]:
    """What a (valid) condition reads that law treats with care: "age" (discrimination), and the sensitive
    personal information "health" and "criminal_record" (PIPL art. 28, GDPR art. 9/10)."""
    found = set()
    for key, sub in profile_reads(condition):
        if key == "date_of_birth":
            found.add("age")
        elif key == "declarations" and sub in vocab.SENSITIVE_DECLARATIONS:
            found.add(vocab.SENSITIVE_DECLARATIONS[sub])
    return found
