"""The access log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .jobs import Job


class AuditEvent(models.Model):
    """Who looked at or took out personal data, and when. Written, never changed."""

    class Action(models.TextChoices):
        VIEW_APPLICATION = "view_application", _("查看申请")
        VIEW_APPLICANT = "view_applicant", _("查看应聘者")
        DOWNLOAD_RESUME = "download_resume", _("查看/下载简历")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")
        PURGE = "purge", _("到期删除")
        PREVIEW_CHECKLIST = "preview_checklist", _("预览清单修改的影响")
        VIEW_REVIEW_QUEUE = "view_review_queue", _("查看人工复核申请")

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
