"""Onboarding plans (admin-edited templates, like checklists) and what each hire goes through."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from screening.models import Application, Job, TimeStamped


class Owner(models.TextChoices):
    HR = "hr", _("HR")
    MENTOR = "mentor", _("导师")
    HIRE = "hire", _("新员工")


class Outcome(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")
    EXTENDED = "extended", _("延长考察")


class OnboardingPlan(TimeStamped):
    """A template: the items and assessment points every hire of its jobs gets (the default plan: every job
    that names none)."""

    slug = models.SlugField(_("标识"), max_length=80, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    is_default = models.BooleanField(_("默认计划"), default=False)
    jobs = models.ManyToManyField(Job, blank=True, related_name="onboarding_plans", verbose_name=_("职位"))

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_plan"),
        ]
        verbose_name = _("入职计划")
        verbose_name_plural = _("入职计划")

    def __str__(self):
        return self.name


class PlanItem(TimeStamped):
    plan = models.ForeignKey(OnboardingPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("入职计划"))
    title = models.CharField(_("事项"), max_length=200)
    description = models.TextField(_("说明"), blank=True, help_text=_("引用所依据的种子文档原文"))
    owner = models.CharField(_("负责人"), max_length=10, choices=Owner.choices, default=Owner.HR)
    day_offset = models.PositiveSmallIntegerField(_("入职后第几天"), default=0)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["plan", "day_offset", "order", "id"]
        verbose_name = _("入职事项")
        verbose_name_plural = _("入职事项")

    def __str__(self):
        return self.title


class AssessmentPoint(TimeStamped):
    """When a hire is assessed (seed 002: after 3 months; the on-the-job exam after 6)."""

    plan = models.ForeignKey(
        OnboardingPlan, on_delete=models.CASCADE, related_name="assessment_points", verbose_name=_("入职计划")
    )
    code = models.SlugField(_("代码"), max_length=40)
    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    day_offset = models.PositiveSmallIntegerField(_("入职后第几天"))
    # a pass here is what permissions wait for (seed 002: 考核合格者…方可申请用户权限)
    unlocks_permissions = models.BooleanField(_("合格后可申请用户权限"), default=False)

    class Meta:
        ordering = ["plan", "day_offset", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="assessment_point_code_unique")]
        verbose_name = _("考核节点")
        verbose_name_plural = _("考核节点")

    def __str__(self):
        return self.title


class Employment(TimeStamped):
    """An application that became a hire: employee data from here on (EMPLOYEE_RETENTION_DAYS)."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="employment", verbose_name=_("申请")
    )
    plan = models.ForeignKey(
        OnboardingPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("入职计划")
    )
    started_on = models.DateField(_("入职日期"))
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="mentored",
        verbose_name=_("导师"),
    )  # fmt: skip
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="assessed",
        verbose_name=_("考核人"),
    )  # fmt: skip
    permissions_granted_at = models.DateTimeField(_("用户权限开通时间"), null=True, blank=True)
    permissions_granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("开通人"),
    )  # fmt: skip
    transfer_flagged_at = models.DateTimeField(_("要求调岗时间"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("入职记录")
        verbose_name_plural = _("入职记录")

    def __str__(self):
        return str(self.application)

    @property
    def permissions_granted(self) -> bool:
        return self.permissions_granted_at is not None

    @property
    def transfer_flagged(self) -> bool:
        return self.transfer_flagged_at is not None


class OnboardingTask(TimeStamped):
    """One item of a hire's checklist, copied from the plan (a later edit of the plan leaves it as it was)."""

    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("事项"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    owner = models.CharField(_("负责人"), max_length=10, choices=Owner.choices)
    due_on = models.DateField(_("应完成日期"))
    order = models.PositiveIntegerField(_("顺序"), default=0)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("完成人"),
    )  # fmt: skip

    class Meta:
        ordering = ["due_on", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_by__isnull=True)
                | Q(done_at__isnull=False, done_by__isnull=False),
                name="onboarding_task_done_by_someone",
            ),
        ]
        verbose_name = _("入职清单事项")
        verbose_name_plural = _("入职清单事项")

    def __str__(self):
        return self.title


class Assessment(TimeStamped):
    """One assessment of a hire; its numbers are what HR enters or imports."""

    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="assessments")
    code = models.SlugField(_("代码"), max_length=40)
    title = models.CharField(_("名称"), max_length=200)
    due_on = models.DateField(_("应考核日期"))
    unlocks_permissions = models.BooleanField(_("合格后可申请用户权限"), default=False)
    # a retake after a fail or an extension
    attempt = models.PositiveSmallIntegerField(_("第几次"), default=1)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, blank=True)
    ratings = models.JSONField(_("主管评分"), default=dict, blank=True)  # {quality code: 1–5}
    satisfaction = models.DecimalField(_("客户满意度（%）"), max_digits=5, decimal_places=1, null=True, blank=True)
    first_response_seconds = models.DecimalField(
        _("首次响应时间（秒）"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    reply_rate = models.DecimalField(_("回复率（%）"), max_digits=5, decimal_places=1, null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    assessed_at = models.DateTimeField(_("考核时间"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("考核人"),
    )  # fmt: skip
    reminder_sent_at = models.DateTimeField(_("提醒发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["employment", "code", "attempt"], name="assessment_attempt_unique"),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(assessed_at__isnull=False, assessed_by__isnull=False),
                name="assessment_outcome_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=0, satisfaction__lte=100),
                name="assessment_satisfaction_percent",
            ),
            models.CheckConstraint(
                condition=Q(reply_rate__isnull=True) | Q(reply_rate__gte=0, reply_rate__lte=100),
                name="assessment_reply_rate_percent",
            ),
            models.CheckConstraint(
                condition=Q(first_response_seconds__isnull=True) | Q(first_response_seconds__gte=0),
                name="assessment_first_response_not_negative",
            ),
        ]
        verbose_name = _("考核")
        verbose_name_plural = _("考核")

    def __str__(self):
        return f"{self.title} ({self.attempt})"
