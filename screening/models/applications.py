"""People, their applications and what happens to them: evaluation, consents, links, decisions, notes."""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import TimeStamped
from .jobs import Job


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


def contact_keys(email: str, phone: str) -> set[str]:
    """The one rule of who may be the same person: the same e-mail or the same normalised mobile (a blank
    matches nobody). As keys, for matching in memory and for locks."""
    return {k for k in (f"e:{email}" if email else "", f"p:{phone}" if phone else "") if k}


def same_contact(email: str, phone: str, *, via: str = "") -> Q:
    """The same rule as a query, on Applicant or (via="applicant__") on a model that points to one."""
    query = Q(pk__in=[])
    if email:
        query |= Q(**{f"{via}email": email})
    if phone:
        query |= Q(**{f"{via}phone": phone})
    return query


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
        DEMO = "demo", _("示例数据")  # synthetic applicants of demo mode (screening/demo.py)
        API = "api", _("开放接口")  # created by another system through the API (screening/api)
        REFERRAL = "referral", _("内推")  # through an employee's referral link (ReferralLink)
        POOL = "pool", _("人才库邀请")  # a talent-pool candidate invited to this job by HR

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
    # the employee's link the candidate came through (kept when the source is something else: a referred person
    # may later be re-invited from the pool, and the referral still counts for the referrer)
    referral = models.ForeignKey(
        "ReferralLink", on_delete=models.SET_NULL, null=True, blank=True, related_name="applications",
        verbose_name=_("内推链接"),
    )  # fmt: skip
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
    # The version of the screening notice (automatic scoring, a person decides, human review on request: PIPL art.
    # 24) the form showed with the latest submission; blank for applications that never came through the form.
    screening_notice_version = models.CharField(_("评估说明版本"), max_length=20, blank=True, editable=False)

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
