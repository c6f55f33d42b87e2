"""What a candidate is told about how their application was scored (PIPL art. 24, EU AI Act art. 86): which of
the job's requirements they met, partly met, did not meet or that could not be judged, and the checklist
revisions the score was computed on. Pure: plain data in, plain data out (no ORM, no I/O).

Only what the job page already publishes leaves here: requirement titles, whether a requirement is a must, its
weight, and a result. Never evidence, conditions, thresholds, keyword groups or points per option: the evidence of
a situational question or a buyer chat names the keyed answer or the key points, and a candidate would pass them
on to the next applicant.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import labels

STATUSES = ("met", "partial", "not_met", "unknown")  # the order they are listed in
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Item:
    title: str
    status: str  # one of STATUSES
    required: bool  # a knockout: the job page lists it among the musts
    weight: int  # as configured; the job page does not show it, but it says nothing about how to answer
    also: tuple[str, ...] = ()  # titles of the same requirement in the job's other checklists (scored once)

    @property
    def status_label(self) -> str:
        return str(labels.STATUSES[self.status])


@dataclass(frozen=True, slots=True)
class Checklist:
    name: str
    revision: int


@dataclass(frozen=True, slots=True)
class Explanation:
    items: tuple[Item, ...]
    checklists: tuple[Checklist, ...]  # the revisions the score was computed on
    evaluated_at: datetime | None = None

    @property
    def groups(self) -> list[tuple[str, str, list[Item]]]:
        """(status, its label in the reader's language, the requirements with it), in STATUSES order, each
        status that occurs."""
        by_status: dict[str, list[Item]] = {s: [] for s in STATUSES}
        for item in self.items:
            by_status[item.status].append(item)
        return [(s, str(labels.STATUSES[s]), items) for s, items in by_status.items() if items]

    @property
    def has_unknown(self) -> bool:
        return any(item.status == UNKNOWN for item in self.items)

    def as_dict(self) -> dict[str, Any]:
        """For the candidate's JSON export: codes, and the words in the reader's language beside them."""
        return {
            "evaluated_at": self.evaluated_at.isoformat() if self.evaluated_at else None,
            "checklists": [{"name": c.name, "revision": c.revision} for c in self.checklists],
            "requirements": [
                {
                    "title": item.title,
                    "result": item.status,
                    "result_text": item.status_label,
                    "required": item.required,
                    "weight": item.weight,
                    **({"also_listed_as": list(item.also)} if item.also else {}),
                }
                for item in self.items
            ],
        }


def _item(result: Mapping[str, Any]) -> Item:
    status = result.get("status")
    title = str(result.get("title", ""))
    also = tuple(
        dict.fromkeys(str(m["title"]) for m in result.get("merged") or () if m.get("title") and m["title"] != title)
    )
    return Item(
        title=title,
        status=status if status in STATUSES else UNKNOWN,
        required=bool(result.get("knockout")),
        weight=int(result.get("weight", 1)),
        also=also,
    )


def explain(
    *,
    results: Sequence[Mapping[str, Any]],
    revisions: Mapping[str, int],
    current: Mapping[str, int],
    checklist_names: Mapping[str, str] | None = None,
    evaluated_at: datetime | None = None,
) -> Explanation | None:
    """The explanation of an evaluation's `results` (as score_profile writes them), or None while it is stale:
    scored on other checklist revisions (`revisions`, {slug: revision}) than the job's `current` ones, so what it
    says may no longer be what the job asks. Only each result's title, status, knockout, weight and the titles
    merged into it are read."""
    if dict(revisions) != dict(current):
        return None
    names = checklist_names or {}
    return Explanation(
        items=tuple(_item(r) for r in results),
        checklists=tuple(Checklist(names.get(slug, slug), revision) for slug, revision in sorted(revisions.items())),
        evaluated_at=evaluated_at,
    )
