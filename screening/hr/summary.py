"""What HR's detail page leads with: the decision taken and the system's advice, the knockouts, the measured
results; then the requirements grouped by what backs them, each chat transcript beside the requirement it
explains. Plain data for the template, in the reader's language."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import labels, rules
from ..models import Application, StageChange
from ..rules.schemas import profile_reads

# the groups of the requirement table, in the order HR reads them: the work samples the portal timed first, then
# the situational questions (measured too, but many and each small), what the person states, self-ratings
GROUP_ORDER = ("work_sample", "measured", "claimed", "self_rated")
_PROBLEMS = ("not_met", "unknown", "partial")
_GROUP_LABELS = {"work_sample": gettext_lazy("实测：打字与模拟对话"), "measured": gettext_lazy("实测：情景题")}


@dataclass
class Group:
    kind: str
    label: str
    rows: list[dict]
    counts: list[tuple[str, str, int]] = field(default_factory=list)  # (status, label, n), the non-zero ones
    open: bool = False


def decision(application: Application, history: list[StageChange]) -> dict:
    """The person's decision as it stands: the stage, who set it and when (None: nobody decided yet)."""
    latest = max((c for c in history if c.to_stage == application.stage), key=lambda c: c.created_at, default=None)
    decided = application.stage not in (Application.Stage.APPLIED,)
    return {
        "stage": application.stage,
        "label": application.get_stage_display() if decided else _("尚未决定"),
        "decided": decided,
        "by": (latest.by.get_username() if latest.by else _("候选人本人")) if latest and decided else "",
        "at": latest.created_at if latest and decided else None,
        "reason": latest.get_reason_display() if latest and latest.reason else "",
    }


def primary_action(recommendation: str | None, stage: str) -> str:
    """The filled button on the decision panel: the one the system advises (none while it only asks for review,
    and none once the person has decided)."""
    if stage != Application.Stage.APPLIED:
        return ""
    return {"advance": "advance", "reject": "reject"}.get(recommendation or "", "")


def _transcript_keys(requirements: list[rules.Requirement]) -> dict[tuple[str, str], list[str]]:
    """{(checklist, code): scenario codes} of the requirements that read a chat, merged ones included."""
    keys: dict[tuple[str, str], list[str]] = {}
    for requirement in requirements:
        scenarios = sorted(rules.scenarios_read(requirement.condition))
        if scenarios:
            keys[(requirement.checklist, requirement.code)] = scenarios
    return keys


def attach_transcripts(results: list[dict], transcripts: list[dict], requirements: list[rules.Requirement]) -> list:
    # `requirements` as scored: duplicates merged (rules.merge_duplicates), so each row's (checklist, code) is one
    """Put each transcript on the first requirement row that reads its chat; returns the ones no row reads
    (a chat kept from before the checklist changed), shown after the table."""
    by_code = {t["code"]: t for t in transcripts}
    keys = _transcript_keys(requirements)
    placed: set[str] = set()
    for row in results:
        row["transcripts"] = []
        for code in keys.get((row.get("checklist"), row.get("code")), []):
            if code in by_code and code not in placed:
                row["transcripts"].append(by_code[code])
                placed.add(code)
    return [t for t in transcripts if t["code"] not in placed]


def _work_samples(requirements: list[rules.Requirement]) -> set[tuple[str, str]]:
    """(checklist, code) of the requirements that read the typing test or a chat."""
    return {
        (r.checklist, r.code)
        for r in requirements
        if any(head in ("typing", "chat") for head, _sub in profile_reads(r.condition))
    }


def groups(results: list[dict], requirements: list[rules.Requirement]) -> list[Group]:
    """The requirement rows by what backs them, knockouts and problems first within a group. The work samples
    are open; another group opens when a knockout in it failed or is unknown, or (but for self-ratings, which
    count for little) a claim is not met; the rest stay folded with their counts on the fold."""
    samples = _work_samples(requirements)
    by_kind: dict[str, list[dict]] = {}
    for row in results:
        kind = "work_sample" if (row.get("checklist"), row.get("code")) in samples else row.get("kind") or "claimed"
        by_kind.setdefault(kind, []).append(row)
    order = {status: i for i, status in enumerate(("not_met", "unknown", "partial", "met"))}
    out = []
    for kind in GROUP_ORDER + tuple(k for k in by_kind if k not in GROUP_ORDER):
        rows = by_kind.get(kind)
        if not rows:
            continue
        rows = sorted(rows, key=lambda r: (not r.get("knockout"), order.get(r["status"], 9)))
        counted = Counter(r["status"] for r in rows)
        counts = [(s, label, counted[s]) for s, label in labels.STATUSES.items() if counted[s]]
        troubled = any(
            r["status"] in _PROBLEMS and (r.get("knockout") or (kind == "claimed" and r["status"] == "not_met"))
            for r in rows
        )
        out.append(Group(kind, str(_GROUP_LABELS.get(kind) or labels.EVIDENCE_KINDS.get(kind, kind)), rows, counts,
                         kind == "work_sample" or troubled))  # fmt: skip
    return out


def knockouts(results: list[dict]) -> tuple[list[str], list[str]]:
    """Titles of the knockout requirements failed, and of those not yet known."""
    failed = [r["title"] for r in results if r.get("knockout") and r["status"] == "not_met"]
    unknown = [r["title"] for r in results if r.get("knockout") and r["status"] == "unknown"]
    return failed, unknown


def measured(profile: dict, transcripts: list[dict]) -> dict:
    """The typing test and each chat in one line each: what the portal itself measured."""
    typing = profile.get("typing") if isinstance(profile.get("typing"), dict) else None
    chats = []
    for t in transcripts:
        answered = [turn for turn in t["turns"] if turn["seconds"] is not None]
        fast = sum(1 for turn in t["turns"] if turn["fast"])
        seconds = [turn["seconds"] for turn in answered]
        chats.append(
            {
                "code": t["code"],
                "title": t["title"],
                "fast": fast,
                "turns": len(t["turns"]),
                "average": sum(seconds) / len(seconds) if seconds else None,
                "points": len(t["points"]),
                "groups": t["groups"],
                "norm": t["norm"],
                "measured": t["measured"],
            }
        )
    return {"typing": typing, "chats": chats}
