import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules
from .rules import condition_errors, questions_read


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class Checklist(TimeStamped):
    """A requirement template taken from a seed document; jobs screen against an ordered set of them."""

    slug = models.SlugField(_("标识"), max_length=80, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
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
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, default=Category.BASIC)
    condition = models.JSONField(_("条件"))
    weight = models.PositiveSmallIntegerField(_("权重"), default=1)
    knockout = models.BooleanField(_("硬性条件"), default=False, help_text=_("不满足即建议淘汰（最终由人工决定）"))
    partial_credit = models.BooleanField(
        _("允许部分得分"), default=False, help_text=_("数值条件按 实际值/要求值 计分，最高 1")
    )
    order = models.PositiveIntegerField(_("顺序"), default=0)

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
    kind = models.CharField(_("题型"), max_length=10, choices=Kind.choices, default=Kind.CHOICE)
    # [{"code": "a", "label": "…"}, …] for choice questions
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


class ChatSession(models.Model):
    """One browser's run of a chat scenario. The server stamps each buyer message when it delivers it and
    each reply when it receives it (screening/chat.py); nothing the browser says about time is used."""

    key = models.CharField(max_length=43, unique=True, editable=False)
    scenario = models.ForeignKey(ChatScenario, on_delete=models.CASCADE, related_name="+")
    holder = models.CharField(max_length=40, db_index=True)  # the browser session that took it
    # the buyer messages as they were when the run started (an admin's edit does not change a run under way)
    messages = models.JSONField(default=list)
    started_at = models.DateTimeField(default=timezone.now)
    # [{"delivered": epoch seconds, "replied": epoch seconds | None, "reply": "…"}], one per delivered message
    turns = models.JSONField(default=list)
    finished_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)  # taken into an application: never again

    class Meta:
        verbose_name = _("对话测试记录")
        verbose_name_plural = _("对话测试记录")

    def __str__(self):
        return f"{self.scenario_id} @ {self.started_at:%Y-%m-%d %H:%M}"


class Job(TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("招聘中")
        CLOSED = "closed", _("已关闭")

    class EmploymentType(models.TextChoices):
        FULL_TIME = "full_time", _("全职")
        PART_TIME = "part_time", _("兼职")
        SEASONAL = "seasonal", _("大促临时")

    slug = models.SlugField(_("标识"), max_length=80, unique=True)
    title = models.CharField(_("职位名称"), max_length=200)
    description = models.TextField(_("职位描述"), blank=True)
    location = models.CharField(_("工作地点"), max_length=100, blank=True)
    employment_type = models.CharField(
        _("类型"), max_length=20, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    advance_threshold = models.PositiveSmallIntegerField(_("进入下一轮分数线"), default=60)
    resume_required = models.BooleanField(_("必须上传简历"), default=False)
    # Empty: every HR reviewer sees the job. Otherwise only these people (and admins) do.
    hiring_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="hiring_jobs", verbose_name=_("招聘小组")
    )
    checklists = models.ManyToManyField(
        Checklist, through="JobChecklist", related_name="jobs", verbose_name=_("要求清单")
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(advance_threshold__lte=100), name="job_threshold_at_most_100"),
        ]
        verbose_name = _("职位")
        verbose_name_plural = _("职位")

    def __str__(self):
        return self.title


class JobChecklist(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="job_checklists")
    checklist = models.ForeignKey(
        Checklist, on_delete=models.PROTECT, related_name="job_checklists", verbose_name=_("要求清单")
    )
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["job", "checklist"], name="job_checklist_unique")]
        verbose_name = _("职位的要求清单")
        verbose_name_plural = _("职位的要求清单")

    def __str__(self):
        return str(self.checklist)


class Applicant(TimeStamped):
    """A person as an unverified source (the public form, an import) described them.

    A submission joins an existing person only when everything it gives (name, e-mail, mobile) is what that
    person has on file (services.applicant_find_or_create); otherwise it is a person of its own, marked as a
    possible duplicate for HR. So an e-mail or mobile may stand on more than one person, and nobody can
    change someone else's name or contact details by typing their e-mail or number.
    """

    name = models.CharField(_("姓名"), max_length=100)
    # either may be blank for people imported from a job board list (the form asks both)
    email = models.EmailField(_("邮箱"), db_index=True, blank=True)
    phone = models.CharField(
        _("手机"), max_length=20, db_index=True, blank=True, help_text=_("规范化为 11 位大陆手机号")
    )
    # shares an e-mail or mobile with a person already on file but differs in something else
    possible_duplicate = models.BooleanField(_("可能重复"), default=False, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("应聘者")
        verbose_name_plural = _("应聘者")

    def __str__(self):
        return self.name


def resume_path(instance, filename):
    # A random name: the uploaded name is personal data and may be hostile.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"resumes/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{suffix}"


class Application(TimeStamped):
    class Stage(models.TextChoices):
        APPLIED = "applied", _("已投递")
        REVIEWING = "reviewing", _("筛选中")
        INTERVIEW = "interview", _("面试")
        OFFER = "offer", _("录用")
        HIRED = "hired", _("已入职")
        REJECTED = "rejected", _("未通过")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Source(models.TextChoices):
        WEB = "web", _("官网投递")
        IMPORT = "import", _("导入")

    applicant = models.ForeignKey(
        Applicant, on_delete=models.CASCADE, related_name="applications", verbose_name=_("应聘者")
    )
    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="applications", verbose_name=_("职位"))
    # The plain profile of DESIGN.md that the rule engine reads (answers kept apart, below).
    profile = models.JSONField(_("个人资料"), default=dict, blank=True)
    answers = models.JSONField(_("问题回答"), default=dict, blank=True)
    resume = models.FileField(_("简历"), upload_to=resume_path, blank=True)
    stage = models.CharField(_("阶段"), max_length=12, choices=Stage.choices, default=Stage.APPLIED)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.WEB)
    submitted_at = models.DateTimeField(_("投递时间"), default=timezone.now)
    # Deliveries of the scoring task that started; bumped before scoring, so lost workers are counted.
    scoring_attempts = models.PositiveSmallIntegerField(_("评分尝试次数"), default=0)
    # The engine only recommends: every move through the pipeline is a person's decision (PIPL art. 24).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("决定人"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    rejection_reason = models.CharField(_("未通过原因"), max_length=20, blank=True)
    # When scoring was last queued: the sweep re-queues only what has waited longer than a task can take.
    scoring_enqueued_at = models.DateTimeField(_("评分入队时间"), null=True, blank=True, editable=False)
    needs_manual_review = models.BooleanField(_("需人工复核"), default=False)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "job"], name="one_application_per_person_and_job"),
            # no code path, bulk update or shell included, can reject without a deciding person
            models.CheckConstraint(
                condition=~Q(stage="rejected") | (Q(decided_by__isnull=False) & ~Q(rejection_reason="")),
                name="rejection_needs_a_person_and_a_reason",
            ),
        ]
        indexes = [models.Index(fields=["job", "stage"])]
        verbose_name = _("申请")
        verbose_name_plural = _("申请")

    def __str__(self):
        return f"{self.applicant} → {self.job}"

    def engine_profile(self) -> dict:
        return {**self.profile, "answers": self.answers}


class StatusLink(models.Model):
    """A private status link of an application: only a hash of its token is kept. A person may hold several
    (the confirmation e-mail, a resend after applying again); a new one never ends the ones already sent."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_links")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("进度链接")
        verbose_name_plural = _("进度链接")

    def __str__(self):
        return f"{self.application_id} → {self.expires_at:%Y-%m-%d}"


class Evaluation(models.Model):
    """The one current evaluation of an application (scoring again replaces it)."""

    class Recommendation(models.TextChoices):
        ADVANCE = "advance", _("建议进入下一轮")
        REVIEW = "review", _("需人工审核")
        REJECT = "reject", _("建议淘汰")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="evaluation", verbose_name=_("申请")
    )
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    max_possible = models.DecimalField(_("最高可能得分"), max_digits=5, decimal_places=1)
    recommendation = models.CharField(_("建议"), max_length=10, choices=Recommendation.choices)
    results = models.JSONField(_("逐项结果"), default=list)
    revisions = models.JSONField(_("所用清单版本"), default=dict)  # {checklist slug: revision}
    # kept beside the results so HR lists can filter on them without reading the JSON
    knockout_failed = models.BooleanField(_("硬性条件不满足"), default=False)
    unknown_count = models.PositiveSmallIntegerField(_("未知项数"), default=0)
    evaluated_at = models.DateTimeField(_("评分时间"), default=timezone.now)

    class Meta:
        indexes = [models.Index(F("score").desc(), name="evaluation_score_desc")]
        verbose_name = _("评分")
        verbose_name_plural = _("评分")

    def __str__(self):
        return f"{self.application}: {self.score}"


class Consent(models.Model):
    """What a candidate agreed to, under which version of the privacy notice, and when (PIPL art. 14, 29)."""

    class Category(models.TextChoices):
        PRIVACY = "privacy", _("隐私说明")
        HEALTH = "health", _("健康信息")
        CRIMINAL_RECORD = "criminal_record", _("犯罪记录信息")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="consents")
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    notice_version = models.CharField(_("隐私说明版本"), max_length=20)
    given_at = models.DateTimeField(_("同意时间"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "category"], name="one_consent_per_category")]
        verbose_name = _("同意记录")
        verbose_name_plural = _("同意记录")

    def __str__(self):
        return f"{self.application_id}: {self.category} ({self.notice_version})"


class RejectionReason(models.TextChoices):
    KNOCKOUT = "knockout", _("不符合硬性条件")
    SKILLS = "skills", _("能力与岗位不匹配")
    EXPERIENCE = "experience", _("经验不足")
    POSITION_FILLED = "position_filled", _("岗位已招满")
    NO_RESPONSE = "no_response", _("联系不上")
    CANDIDATE_DECLINED = "declined", _("候选人放弃")
    OTHER = "other", _("其他")


class StageChange(models.Model):
    """Who moved an application from which stage to which, when and why (the pipeline's history)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("原阶段"), max_length=12, choices=Application.Stage.choices)
    to_stage = models.CharField(_("新阶段"), max_length=12, choices=Application.Stage.choices)
    # null only for the candidate's own withdrawal
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("操作人"),
    )  # fmt: skip
    reason = models.CharField(_("原因"), max_length=20, blank=True, choices=RejectionReason.choices)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(to_stage="rejected") | Q(by__isnull=False), name="stage_change_rejection_needs_a_person"
            ),
        ]
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")

    def __str__(self):
        return f"{self.application_id}: {self.from_stage} → {self.to_stage}"


class Note(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("备注")
        verbose_name_plural = _("备注")

    def __str__(self):
        return self.text[:40]


class AuditEvent(models.Model):
    """Who looked at or took out personal data, and when. Written, never changed."""

    class Action(models.TextChoices):
        VIEW_APPLICATION = "view_application", _("查看申请")
        VIEW_APPLICANT = "view_applicant", _("查看应聘者")
        DOWNLOAD_RESUME = "download_resume", _("查看/下载简历")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")
        PURGE = "purge", _("到期删除")

    # null: the system itself (the retention purge)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("操作人"),
    )  # fmt: skip
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("申请")
    )
    job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("职位")
    )
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("访问记录")
        verbose_name_plural = _("访问记录")

    def __str__(self):
        return f"{self.actor_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("audit events are never changed")
        super().save(*args, **kwargs)
