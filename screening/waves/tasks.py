"""Thin tasks of the waves: call a service."""

from celery import shared_task

from ..tasks import RETRY_WHILE_DATABASE_AWAY
from . import services


@shared_task(**RETRY_WHILE_DATABASE_AWAY)
def send_due_reminders() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): the upcoming sessions' seat counters brought up to date, then the due
    reminders, each sent once under its row's lock (services.reminders_send_due): overlapping runs never send one
    twice, and one a dead worker was sending goes with the next run."""
    services.sessions_recount()  # seats of applications withdrawn or rejected since are free again
    return services.reminders_send_due()
