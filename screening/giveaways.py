"""Keyed answers that a job's public text gives away (pure: plain data in, findings out).

A job's title and description are public; if they state the best-scoring option of one of the job's choice
questions ("首次响应时长需控制在15秒以内" next to a question whose keyed answer is "15秒以内"), or enough keywords to
pass one of its written questions, anyone who read the advert answers it right, and the question measures
nothing. Admin warns when it finds one (screening/admin.py); selectors.job_answers_given_away reads the job.
"""

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .rules import keyword_hits
from .rules.text import fold

# ours: shorter option labels ("是", "a") would be found in any text
MIN_LABEL_CHARS = 3


@dataclass(frozen=True)
class Giveaway:
    question: str  # its code
    answer: str  # the keyed option's label, or the keywords found


def normalise(text: str) -> str:
    """Folded as answers are (traditional → simplified, full- → half-width, case), letters and digits only, and
    以内/之内 read as 内, so "15秒内" in an advert matches the option "15秒以内"."""
    kept = "".join(ch for ch in fold(text) if unicodedata.category(ch)[0] in "LN")
    return kept.replace("以内", "内").replace("之内", "内")


def _leaves(condition: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    if condition.get("kind") in ("all_of", "any_of"):
        for child in condition.get("conditions", []):
            yield from _leaves(child)
    else:
        yield condition


def answers_given_away(
    *, public_text: str, conditions: Iterable[Mapping[str, Any]], options: Mapping[str, list[dict]]
) -> list[Giveaway]:
    """The keyed answers of the choice_answer and text_answer conditions that `public_text` states: a best-scoring
    option whose label (normalised) it contains, or a written question whose keyword groups it hits as many of
    as the question needs. `options` maps a question code to its options ([{"code", "label"}, …])."""
    text = normalise(public_text)
    found: list[Giveaway] = []
    for leaf in (leaf for condition in conditions for leaf in _leaves(condition)):
        if leaf.get("kind") == "choice_answer":
            best = max(leaf["points"].values(), default=0)
            labels = {o.get("code"): str(o.get("label", "")) for o in options.get(leaf["question"], [])}
            for code, points in leaf["points"].items():
                label = labels.get(code, "")
                if best > 0 and points == best and len(normalise(label)) >= MIN_LABEL_CHARS:
                    if normalise(label) in text:
                        found.append(Giveaway(leaf["question"], label))
        elif leaf.get("kind") == "text_answer":
            hits = keyword_hits(public_text, leaf["groups"])
            if hits and len(hits) >= leaf.get("min_groups", len(leaf["groups"])):
                found.append(Giveaway(leaf["question"], "、".join(hits)))
    return list(dict.fromkeys(found))  # a question in two checklists of the job is reported once
