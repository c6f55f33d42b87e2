"""The impact assessment of a job's screening (issue 16 item 6; PIPL art. 55–56, EU AI Act art. 26–27 deployer
duties), put together from the live configuration when asked: purposes, the personal data the checklists read,
the automated logic, retention, who has access, the latest adverse-impact figures and human-oversight statistics.
Reads only; no person is named (the hiring team by user name)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import fairness, labels, profile_keys, rules, selectors, sensitive
from ..models import Job, Requirement
from ..roles import HR_PERMISSIONS, HR_REVIEWER
from ..rules.schemas import profile_reads
from ..services import decisions
from ..worksamples import buyer_chat
from . import fairness_view

CATEGORY_LABELS = dict(Requirement.Category.choices)
# what each permission of the HR role lets a reviewer do (roles.HR_PERMISSIONS), in words
PERMISSION_LABELS = {
    "view_job": gettext_lazy("查看职位"),
    "view_checklist": gettext_lazy("查看要求清单"),
    "view_requirement": gettext_lazy("查看要求"),
    "view_question": gettext_lazy("查看筛选问题"),
    "view_applicant": gettext_lazy("查看应聘者"),
    "view_application": gettext_lazy("查看申请和评分说明"),
    "add_application": gettext_lazy("导入应聘者名单"),
    "change_application": gettext_lazy("推进或拒绝申请、写备注"),
    "view_evaluation": gettext_lazy("查看评分"),
    "view_chatscenario": gettext_lazy("查看模拟买家对话"),
}


def _data_categories(requirements: list[Requirement], resume_required: bool) -> list[dict]:
    reads = set().union(set(), *(profile_reads(r.condition) for r in requirements))
    rows = [
        {"label": _("姓名、邮箱、手机"), "kind": _("联系信息"), "note": _("用于联系应聘者，不参与评分")},
        {
            "label": _("简历"),
            "kind": _("文件"),
            "note": _("本职位必须上传") if resume_required else _("自愿上传；不参与评分"),
        },
    ]
    for key in profile_keys.asked(reads):
        note = ""
        if key.sensitive:
            note = _("敏感个人信息：单独同意后才询问，可不回答；不导出") + f"（{sensitive.LABELS[key.sensitive]}）"
        elif key.read == ("date_of_birth", None):
            note = _("按年龄筛选：见下方的必要性说明")
        rows.append({"label": key.row_title(), "kind": labels.label(labels.EVIDENCE_KINDS, key.evidence), "note": note})
    questions = sorted(sub for head, sub in reads if head == "answers")
    if questions:
        rows.append(
            {
                "label": _("筛选问题的回答（%(n)s 题）") % {"n": len(questions)},
                "kind": labels.label(labels.EVIDENCE_KINDS, "measured"),
                "note": ", ".join(questions),
            }
        )
    scenarios = sorted(sub for head, sub in reads if head == "chat")
    if scenarios:
        rows.append(
            {
                "label": _("模拟买家对话的记录（%(n)s 个情景）") % {"n": len(scenarios)},
                "kind": labels.label(labels.EVIDENCE_KINDS, "measured"),
                "note": ", ".join(scenarios),
            }
        )
    rows.append(
        {
            "label": _("性别（自愿填写）"),
            "kind": _("统计"),
            "note": _("投递后自愿填写、单独同意；与申请分开保存，只用于按组统计公平性，不参与评分，不对任何人单独显示"),
        }
    )
    return rows


def _logic(job: Job, requirements: list[Requirement]) -> list[dict]:
    as_rules = [r.as_rule() for r in requirements]
    merged = rules.merge_duplicates(as_rules)
    weights = rules.effective_weights(merged) if merged else None
    counted = {}
    for i, m in enumerate(merged):
        counted[(m.checklist, m.code)] = (weights.weights[i], weights.kinds[i])
        for other in m.merged:
            counted[(other["checklist"], other["code"])] = (None, weights.kinds[i])  # scored once, with the first
    rows = []
    for r in requirements:
        weight, kind = counted.get((r.checklist.slug, r.code), (None, rules.evidence_kind(r.condition)))
        needs = sorted(rules.sensitive_reads(r.condition) & {"age", "health"})
        rows.append(
            {
                "checklist": r.checklist.name,
                "source": r.checklist.source,
                "title": r.title,
                "description": r.description,
                "category": CATEGORY_LABELS.get(r.category, r.category),
                "kind": labels.label(labels.EVIDENCE_KINDS, kind),
                "weight": r.weight,
                "counted": f"{weight:.2f}".rstrip("0").rstrip(".") if weight is not None else _("已合并"),
                "knockout": r.knockout,
                "needs_justification": bool(needs),
                "justification": r.justification,
                "sensitive": "、".join(str(sensitive.LABELS[c]) for c in sorted(rules.sensitive_reads(r.condition))),
            }
        )
    return rows


def _retention() -> list[tuple[str, str]]:
    return [
        (_("已结束的申请（未通过、已入职、已撤回）"), _("决定后 %(n)s 天删除") % {"n": settings.RETENTION_DAYS}),
        (_("其他申请"), _("最后一次变动后 %(n)s 天删除") % {"n": settings.RETENTION_UNDECIDED_DAYS}),
        (_("私人进度链接"), _("%(n)s 天后失效并删除") % {"n": settings.STATUS_LINK_DAYS}),
        (_("未完成的模拟对话"), _("%(n)s 小时后删除") % {"n": buyer_chat.STALE_AFTER // 3600}),
        (
            _("随申请删除"),
            _("评分、同意记录、阶段记录、备注、简历文件、自愿填写的统计信息；应聘者没有其他申请时连同本人"),
        ),
        (_("访问记录"), _("保留：只记编号和数量，不记姓名")),
    ]


def _access(job: Job) -> list[tuple[str, str]]:
    team = list(job.hiring_team.order_by("username").values_list("username", flat=True))
    who = (
        _("本职位的招聘小组：%(names)s") % {"names": "、".join(team)}
        if team
        else _("所有 HR 审阅人员（本职位未设招聘小组）")
    )
    can = "、".join(str(PERMISSION_LABELS.get(p, p)) for p in HR_PERMISSIONS)
    return [
        (_("HR 审阅人员（%(group)s）") % {"group": HR_REVIEWER}, f"{who}；{can}"),
        (_("管理员"), _("编辑要求清单、职位和阈值；查看全部职位")),
        (_("访问记录"), _("查看申请、下载简历、导出和导入都记入访问日志")),
        (_("候选人本人"), _("通过私人进度链接查看、下载、删除自己的资料或撤回申请")),
    ]


def context(*, job: Job) -> dict:
    requirements = selectors.job_requirement_details(job=job)
    rows, keys = selectors.job_fairness_rows(job=job)
    report = fairness.report(rows, keys)
    oversight = selectors.job_oversight_stats(job=job)
    return {
        "job": job,
        "generated_at": timezone.localtime(),
        "revisions": selectors.job_current_revisions(job=job),
        "data_categories": _data_categories(requirements, job.resume_required),
        "logic": _logic(job, requirements),
        "threshold": job.advance_threshold,
        "self_rated_share": f"{rules.vocab.SELF_RATED_MAX_SHARE:.0%}",
        "retention": _retention(),
        "access": _access(job),
        "impact": fairness_view.context(report),
        "oversight": oversight,
        "review_requests": selectors.job_review_request_stats(job=job),
        "hr_stages": [str(s.label) for s in decisions.HR_STAGES],
    }
