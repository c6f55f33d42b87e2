"""Checklists that filter on age or collect health or criminal-record data: what admins must be warned of,
and their acknowledgement (anti-discrimination law, PIPL art. 28–29, GDPR art. 9–10)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Checklist
from .rules import sensitive_reads

NOTES = {
    "age": _(
        "按年龄筛选：《就业促进法》禁止就业歧视，法律只规定了年满16周岁的最低就业年龄；年龄上限或与岗位无关的"
        "年龄条件可能构成年龄歧视（在欧盟受 2000/78/EC 指令约束）。请确认该条件确为岗位所必需（例如长时间坐班"
        "或夜班要求年满18岁），并能向应聘者说明理由。"
    ),
    "health": _(
        "收集健康信息：健康信息是敏感个人信息（《个人信息保护法》第28条，GDPR 第9条），只能为岗位确需的目的收集，"
        "并须取得单独同意（申请表会要求单独勾选）；不得以与岗位无关的健康状况区别对待应聘者。"
    ),
    "criminal_record": _(
        "收集犯罪记录：犯罪记录是敏感个人信息（《个人信息保护法》第28条），须有特定目的和充分的必要性，并取得单独"
        "同意（申请表会要求单独勾选）；GDPR 第10条对刑事定罪信息另有限制。请确认该岗位确有法定或充分的理由。"
    ),
}
LABELS = {"age": _("年龄"), "health": _("健康信息"), "criminal_record": _("犯罪记录")}


def findings(checklist: Checklist) -> list[str]:
    """Sorted "category:requirement code" for every sensitive read of the checklist's requirements."""
    return sorted(
        f"{category}:{requirement.code}"
        for requirement in checklist.requirements.all()
        for category in sensitive_reads(requirement.condition)
    )


def unacknowledged(checklist: Checklist) -> list[str]:
    done = set(checklist.sensitive_acknowledged or [])
    return [f for f in findings(checklist) if f not in done]


def warnings_for(items: list[str]) -> list[dict]:
    """One entry per category: its label, the requirement codes and the legal note, for templates."""
    by_category: dict[str, list[str]] = {}
    for item in items:
        category, code = item.split(":", 1)
        by_category.setdefault(category, []).append(code)
    return [
        {"category": c, "label": LABELS[c], "codes": codes, "note": NOTES[c], "findings": [f"{c}:{x}" for x in codes]}
        for c, codes in sorted(by_category.items(), key=lambda kv: list(NOTES).index(kv[0]))
    ]


def acknowledge(*, checklist: Checklist, user, shown: list[str]) -> None:
    """Record what the admin acknowledged: the findings they were shown that are still there."""
    current = findings(checklist)
    done = sorted(set(checklist.sensitive_acknowledged or []) & set(current) | set(shown) & set(current))
    # .update(): an acknowledgement is not an edit of the checklist and must not bump its revision
    Checklist.objects.filter(pk=checklist.pk).update(
        sensitive_acknowledged=done,
        sensitive_acknowledged_by=user,
        sensitive_acknowledged_at=timezone.now(),
    )
