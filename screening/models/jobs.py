"""Job postings and the checklists each screens against."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import TimeStamped
from .checklists import Checklist


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
    # English for English readers (models.base.tr); empty: the Chinese is shown
    title_en = models.CharField(_("职位名称（英文）"), max_length=200, blank=True)
    description_en = models.TextField(_("职位描述（英文）"), blank=True)
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
