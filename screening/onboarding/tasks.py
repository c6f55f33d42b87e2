"""Thin tasks after the hire: each calls a service."""

from celery import shared_task

from . import services


@shared_task
def remind_assessors() -> int:
    return services.assessments_remind()
