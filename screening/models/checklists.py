"""Requirement checklists taken from the seed documents: requirements, questions, chat scenarios."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import rules
from ..rules import condition_errors, questions_read
from .base import TimeStamped


class Checklist(TimeStamped):
    """A requirement template taken from a seed document; jobs screen against an ordered set of them."""

    slug = models.SlugField(_("标识"), max_length=80, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    name_en = models.CharField(_("名称（英文）"), max_length=200, blank=True)
    description_en = models.TextField(_("说明（英文）"), blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    # Bumped by every change to the checklist or its items; evaluations record the revision they used.
    revision = models.PositiveIntegerField(_("版本"), default=1)
    # What an admin acknowledged of the checklist's sensitive reads (age, health, criminal record):
    # e.g. ["age:age_min", "criminal_record:no_record"]. A new sensitive requirement brings the warning back.
    sensitive_acknowledged = models.JSONField(_("已确认的敏感条件"), default=list, blank=True, editable=False)
    sensitive_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False,
        verbose_name=_("确认人"),
    )  # fmt: skip
    sensitive_acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("要求清单")
        verbose_name_plural = _("要求清单")

    def __str__(self):
        return f"{self.name} ({self.slug})"

    # written only by their own services (revision bumps, acknowledgements), never by an edit's save()
    _NOT_WRITTEN_BY_EDITS = frozenset(
        {"id", "revision", "created_at", "sensitive_acknowledged", "sensitive_acknowledged_by",
         "sensitive_acknowledged_at"}
    )  # fmt: skip

    def save(self, *args, **kwargs):
        # The revision only ever moves through F("revision") + 1 (services.checklist_bump_revision): an
        # edit must not write back the number this instance loaded, or a bump made meanwhile is lost.
        if not self._state.adding and "update_fields" not in kwargs:
            kwargs["update_fields"] = [
                f.attname for f in self._meta.concrete_fields if f.name not in self._NOT_WRITTEN_BY_EDITS
            ]
        super().save(*args, **kwargs)


class ChecklistRevision(models.Model):
    """What a checklist was at one revision: its requirements (with their justifications) and questions, as
    services.checklist_bump_revision found them. Configuration, not personal data: it outlives the checklist (no
    database constraint, nothing deleted with it), so an assessment can say what screened people when."""

    checklist = models.ForeignKey(
        Checklist,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="revisions",
        verbose_name=_("要求清单"),
    )
    revision = models.PositiveIntegerField(_("版本"))
    snapshot = models.JSONField(_("内容"), default=dict)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["checklist", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "revision"], name="one_snapshot_per_checklist_revision")
        ]
        verbose_name = _("清单版本")
        verbose_name_plural = _("清单版本")

    def __str__(self):
        return f"{self.checklist_id} r{self.revision}"


class Requirement(TimeStamped):
    class Category(models.TextChoices):
        BASIC = "basic", _("基本条件")
        EXPERIENCE = "experience", _("工作经验")
        SKILL = "skill", _("技能")
        TRAIT = "trait", _("素质")
        CERTIFICATION = "certification", _("职业资格")
        DECLARATION = "declaration", _("声明")
        SITUATIONAL = "situational", _("情景题")

    checklist = models.ForeignKey(
        Checklist, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("要求清单")
    )
    code = models.SlugField(_("代码"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    title_en = models.CharField(_("标题（英文）"), max_length=200, blank=True)
    description_en = models.TextField(_("说明（英文）"), blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, default=Category.BASIC)
    condition = models.JSONField(_("条件"))
    weight = models.PositiveSmallIntegerField(_("权重"), default=1)
    knockout = models.BooleanField(_("硬性条件"), default=False, help_text=_("不满足即建议淘汰（最终由人工决定）"))
    partial_credit = models.BooleanField(
        _("允许部分得分"), default=False, help_text=_("数值条件按 实际值/要求值 计分，最高 1")
    )
    order = models.PositiveIntegerField(_("顺序"), default=0)
    # Why a condition on age or health is needed for the job: admin's form requires it for those conditions (not
    # the model, so fixtures and imports without one still load); kept in each revision's snapshot.
    justification = models.TextField(
        _("必要性说明"), blank=True, help_text=_("按年龄或健康状况筛选时必填：说明该条件为何为岗位所必需")
    )

    class Meta:
        ordering = ["checklist", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="requirement_code_unique_in_checklist"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="requirement_weight_positive"),
        ]
        verbose_name = _("要求")
        verbose_name_plural = _("要求")

    def __str__(self):
        return self.title

    def as_rule(self, scenarios: dict | None = None) -> rules.Requirement:
        """The plain rule-engine form (needs `checklist` loaded); `scenarios` ({code: (groups, min_groups)})
        fills in the keyword groups of chat_response conditions."""
        return rules.Requirement(
            checklist=self.checklist.slug,
            code=self.code,
            title=self.title,
            condition=rules.with_scenarios(self.condition, scenarios) if scenarios else self.condition,
            weight=self.weight,
            knockout=self.knockout,
            partial_credit=self.partial_credit,
        )

    def clean(self):
        errors = condition_errors(self.condition)
        if errors:
            raise ValidationError({"condition": errors})
        wanted = questions_read(self.condition)
        if wanted and self.checklist_id:
            have = set(
                Question.objects.filter(checklist_id=self.checklist_id, code__in=wanted).values_list("code", flat=True)
            )
            missing = sorted(wanted - have)
            if missing:
                raise ValidationError(
                    {
                        "condition": _("条件用到的问题 %(codes)s 不在本清单中（新问题请先保存）")
                        % {"codes": ", ".join(missing)}
                    }
                )
        scenarios = rules.scenarios_read(self.condition)
        if scenarios and self.checklist_id:
            have = set(
                ChatScenario.objects.filter(checklist_id=self.checklist_id, code__in=scenarios).values_list(
                    "code", flat=True
                )
            )
            missing = sorted(scenarios - have)
            if missing:
                raise ValidationError(
                    {
                        "condition": _("条件用到的对话情景 %(codes)s 不在本清单中（新情景请先保存）")
                        % {"codes": ", ".join(missing)}
                    }
                )


class Question(TimeStamped):
    class Kind(models.TextChoices):
        CHOICE = "choice", _("单选")
        TEXT = "text", _("简答")

    checklist = models.ForeignKey(
        Checklist, on_delete=models.CASCADE, related_name="questions", verbose_name=_("要求清单")
    )
    code = models.SlugField(_("代码"), max_length=64, unique=True)
    prompt = models.TextField(_("题目"))
    prompt_en = models.TextField(_("题目（英文）"), blank=True)
    kind = models.CharField(_("题型"), max_length=10, choices=Kind.choices, default=Kind.CHOICE)
    # [{"code": "a", "label": "…", "label_en": "…"}, …] for choice questions (label_en optional)
    options = models.JSONField(_("选项"), default=list, blank=True)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["checklist", "order", "id"]
        verbose_name = _("筛选问题")
        verbose_name_plural = _("筛选问题")

    def __str__(self):
        return self.code

    def clean(self):
        if self.kind == self.Kind.CHOICE:
            ok = (
                isinstance(self.options, list)
                and len(self.options) >= 2
                and all(isinstance(o, dict) and o.get("code") and o.get("label") for o in self.options)
            )
            if not ok:
                raise ValidationError({"options": _('单选题至少需要两个选项，每个选项写成 {"code": …, "label": …}')})
            codes = [o["code"] for o in self.options]
            if len(set(codes)) != len(codes):
                raise ValidationError({"options": _("选项代码不能重复")})


def _chat_messages_errors(messages) -> list[str]:
    if not isinstance(messages, list) or not 1 <= len(messages) <= 10:
        return [_("买家消息应为 1–10 条的列表")]
    errors = []
    for i, m in enumerate(messages):
        ok = (
            isinstance(m, dict)
            and set(m) == {"delay_seconds", "text"}
            and isinstance(m["text"], str)
            and m["text"].strip()
            and isinstance(m["delay_seconds"], int | float)
            and not isinstance(m["delay_seconds"], bool)
            and 0 <= m["delay_seconds"] <= 120
        )
        if not ok:
            errors.append(_('第 %(n)s 条应写成 {"delay_seconds": 0–120 秒, "text": "买家说的话"}') % {"n": i + 1})
    return errors


class ChatScenario(TimeStamped):
    """A simulated buyer chat (work-sample test): buyer messages with the delay before each, and what good
    replies contain. Conditions of kind chat_response name it by code."""

    checklist = models.ForeignKey(
        Checklist, on_delete=models.CASCADE, related_name="chat_scenarios", verbose_name=_("要求清单")
    )
    code = models.SlugField(_("代码"), max_length=64, unique=True)
    title = models.CharField(_("标题"), max_length=100)
    context = models.TextField(_("情景说明"), help_text=_("开始前给应聘者看的背景：店铺、商品、可用的政策等"))
    title_en = models.CharField(_("标题（英文）"), max_length=100, blank=True)
    context_en = models.TextField(_("情景说明（英文）"), blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    # [{"delay_seconds": 2, "text": "在吗？"}, …]: the first delay counts from the start, each later one
    # from the candidate's reply to the message before
    messages = models.JSONField(_("买家消息"), default=list)
    keyword_groups = models.JSONField(
        _("要点关键词组"), default=list, blank=True, help_text=_('例如 [["抱歉", "不好意思"], ["补发", "退款"]]')
    )
    min_groups = models.PositiveSmallIntegerField(
        _("至少命中的关键词组数"), null=True, blank=True, help_text=_("留空表示全部")
    )
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["checklist", "order", "id"]
        verbose_name = _("模拟买家对话")
        verbose_name_plural = _("模拟买家对话")

    def __str__(self):
        return f"{self.title} ({self.code})"

    def clean(self):
        errors = {}
        message_errors = _chat_messages_errors(self.messages)
        if message_errors:
            errors["messages"] = message_errors
        groups_ok = isinstance(self.keyword_groups, list) and all(
            isinstance(g, list) and g and all(isinstance(k, str) and k.strip() for k in g) for g in self.keyword_groups
        )
        if not groups_ok:
            errors["keyword_groups"] = _("关键词组应为非空字符串列表的列表")
        elif self.min_groups is not None and self.min_groups > len(self.keyword_groups):
            errors["min_groups"] = _("大于关键词组的数量")
        if errors:
            raise ValidationError(errors)

    def as_engine_data(self) -> tuple[list[list[str]], int | None]:
        return self.keyword_groups, self.min_groups
