"""A candidate's request that a person review their application (PIPL art. 24, EU AI Act art. 86)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .base import TimeStamped


class ReviewRequest(TimeStamped):
    """Asked from the private status page; answered by HR staff who may see the job, who and when recorded.
    While one is open, no bulk rejection or automatic erasure touches the application."""

    MESSAGE_MAX_LENGTH = 1000
    ANSWER_MAX_LENGTH = 2000

    class Status(models.TextChoices):
        OPEN = "open", _("待答复")
        ANSWERED = "answered", _("已答复")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="review_requests", verbose_name=_("申请")
    )
    # varchar, so the database holds the bound whatever path writes it
    message = models.CharField(_("候选人留言"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    due_at = models.DateTimeField(_("答复期限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # the language the candidate asked in: the answer is e-mailed in it
    language = models.CharField(_("语言"), max_length=10, default="zh-hans")
    answer = models.CharField(_("答复"), max_length=ANSWER_MAX_LENGTH, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("答复人"),
    )  # fmt: skip

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            # one open request per application, whatever two requests racing each other do
            models.UniqueConstraint(
                fields=["application"], condition=Q(status="open"), name="one_open_review_request_per_application"
            ),
            # answered means a person, a time and a text; open means none of them
            models.CheckConstraint(
                condition=(
                    Q(status="open", answered_by__isnull=True, answered_at__isnull=True, answer="")
                    | (Q(status="answered", answered_by__isnull=False, answered_at__isnull=False) & ~Q(answer=""))
                ),
                name="review_request_answered_by_a_person",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="review_request_queue")]
        verbose_name = _("人工复核申请")
        verbose_name_plural = _("人工复核申请")

    def __str__(self):
        return f"{self.application_id}: {self.status} ({self.due_at:%Y-%m-%d})"

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_at < timezone.now()
