"""The rule engine: pure functions over plain data, no ORM and no I/O (DESIGN.md)."""

from .conditions import (
    MET,
    NOT_MET,
    PARTIAL,
    UNKNOWN,
    Result,
    age_on,
    courtesy_used,
    evaluate,
    keyword_hits,
    reply_is_fast,
)
from .schemas import (
    KINDS,
    SCHEMAS,
    chat_conditions,
    condition_errors,
    questions_read,
    scenarios_read,
    sensitive_reads,
    with_scenarios,
)
from .scoring import ADVANCE, REJECT, REVIEW, Outcome, Requirement, score_profile

__all__ = [
    "ADVANCE",
    "KINDS",
    "MET",
    "NOT_MET",
    "PARTIAL",
    "REJECT",
    "REVIEW",
    "SCHEMAS",
    "UNKNOWN",
    "Outcome",
    "Requirement",
    "Result",
    "age_on",
    "chat_conditions",
    "courtesy_used",
    "keyword_hits",
    "condition_errors",
    "evaluate",
    "questions_read",
    "reply_is_fast",
    "scenarios_read",
    "score_profile",
    "sensitive_reads",
    "with_scenarios",
]
