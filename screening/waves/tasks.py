"""Thin tasks of the waves: call a service."""

from celery import shared_task

from ..tasks import RETRY_WHILE_DATABASE_AWAY
from . import services


@shared_task(**RETRY_WHILE_DATABASE_AWAY)
def send_due_reminders() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): the upcoming sessions' seat counters brought up to date, then the due
    reminders. Each reminder is claimed before it is sent, so overlapping or repeated
    runs, or a restarted worker, send none twice."""
    services.sessions_recount()  # seats of applications withdrawn or rejected since are free again
    return services.reminders_send_due()
