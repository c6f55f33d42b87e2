"""Runs of the timed work samples (the buyer chat); the typing test keeps no row."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .checklists import ChatScenario


class ChatSession(models.Model):
    """One browser's run of a chat scenario. The server stamps each buyer message when it delivers it and
    each reply when it receives it (screening/worksamples/buyer_chat.py); nothing the browser says about time
    is used."""

    key = models.CharField(max_length=43, unique=True, editable=False)
    scenario = models.ForeignKey(ChatScenario, on_delete=models.CASCADE, related_name="+")
    holder = models.CharField(max_length=40, db_index=True)  # the browser session that took it
    # the buyer messages as they were when the run started (an admin's edit does not change a run under way)
    messages = models.JSONField(default=list)
    started_at = models.DateTimeField(default=timezone.now)
    # [{"delivered": epoch seconds, "replies": [{"at": epoch seconds, "text": "…", "id": "…"}], "pastes": n}], one
    # per delivered message (runs started before several replies held {"replied", "reply"}: read as one reply)
    turns = models.JSONField(default=list)
    finished_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)  # taken into an application: never again

    class Meta:
        verbose_name = _("对话测试记录")
        verbose_name_plural = _("对话测试记录")

    def __str__(self):
        return f"{self.scenario_id} @ {self.started_at:%Y-%m-%d %H:%M}"
