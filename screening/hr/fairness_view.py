"""The adverse-impact report as HR's pages show it: labels in the reader's language, rates and ratios as text."""

from django.utils.translation import gettext as _

from .. import fairness

LABELS = {"age": fairness.AGE_LABELS, "sex": fairness.SEX_LABELS}


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _group(dimension: str, group: fairness.Group) -> dict:
    return {
        "code": group.code,
        "label": str(LABELS[dimension][group.code]),
        "n": group.n,
        "selected": group.selected,
        "rate": _percent(group.rate),
        "ratio": _ratio(group.ratio),
        "small": group.small,
        "reference": group.reference,
        "flagged": group.flagged,
    }


def comparison(c: fairness.Comparison) -> dict:
    return {
        "dimension": c.dimension,
        "label": str(fairness.DIMENSIONS[c.dimension]),
        "groups": [_group(c.dimension, g) for g in c.groups],
        "not_compared": c.not_compared,
        "flagged": c.flagged,
    }


def _cells(c: fairness.Comparison) -> list[dict | None]:
    """One cell per group of the dimension in order (None: no one of it to show)."""
    shown = {g.code: g for g in c.groups}
    order = fairness.GROUPINGS[c.dimension][1]
    return [_group(c.dimension, shown[code]) if code in shown else None for code in order]


def context(report: fairness.Report) -> dict:
    headers = {d: [str(LABELS[d][code]) for code in fairness.GROUPINGS[d][1]] for d in fairness.GROUPINGS}
    selections = [
        ("recommendation", _("系统建议：建议进入下一轮的比例"), _("已评分的申请中，系统建议进入下一轮的比例。")),
        (
            "decision",
            _("HR 的决定：推进到下一阶段的比例"),
            _("已有决定的申请中（不含仍待处理和已撤回的），HR 推进到筛选中、面试、录用或已入职的比例。"),
        ),
    ]
    return {
        "total": report.total,
        "flagged": report.flagged,
        "selections": [
            {
                "key": key,
                "title": title,
                "help": help_text,
                "comparisons": [comparison(c) for c in getattr(report, key).values()],
            }
            for key, title, help_text in selections
        ],
        "requirement_tables": [
            {
                "dimension": dimension,
                "label": str(fairness.DIMENSIONS[dimension]),
                "headers": headers[dimension],
                "rows": [
                    {
                        "key": r.key,
                        "title": r.title,
                        "knockout": r.knockout,
                        "flagged": r.by_dimension[dimension].flagged,
                        "cells": _cells(r.by_dimension[dimension]),
                        "not_compared": r.by_dimension[dimension].not_compared,
                    }
                    for r in report.requirements
                ],
            }
            for dimension in fairness.GROUPINGS
        ],
        "flagged_requirements": [r.title for r in report.flagged_requirements],
        "small_sample": fairness.SMALL_SAMPLE,
        "min_shown": fairness.MIN_SHOWN,
        "four_fifths": fairness.FOUR_FIFTHS,
    }
