"""Any change to a checklist or its items bumps its revision; the affected applications get rescored."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Application, ChatScenario, Checklist, JobChecklist, Question, Requirement
from .services import checklist_bump_revision, job_request_rescore

_paused: ContextVar[bool] = ContextVar("revision_bumps_paused", default=False)


@contextmanager
def revision_bumps_paused():
    """For loaders that write a whole checklist at once and set its revision themselves."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


@receiver([post_save, post_delete], sender=Requirement)
@receiver([post_save, post_delete], sender=Question)
@receiver([post_save, post_delete], sender=ChatScenario)
def _item_changed(sender, instance, raw=False, **kwargs):
    if not raw and not _paused.get():
        checklist_bump_revision(checklist_id=instance.checklist_id)


@receiver(post_save, sender=Checklist)
def _checklist_changed(sender, instance, created, raw=False, **kwargs):
    if not raw and not created and not _paused.get():
        checklist_bump_revision(checklist_id=instance.pk)


@receiver([post_save, post_delete], sender=JobChecklist)
def _job_checklists_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        job_request_rescore(job_id=instance.job_id)


@receiver(post_delete, sender=Application)
def _application_deleted(sender, instance, **kwargs):
    """However an application goes (candidate, retention purge, admin), its résumé file goes with it,
    once the deletion is committed."""
    if instance.resume:
        storage, name = instance.resume.storage, instance.resume.name
        transaction.on_commit(lambda: storage.delete(name))
