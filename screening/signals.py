"""Any change to a checklist or its items bumps its revision; the affected applications get rescored."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Application, ChatScenario, Checklist, Job, JobChecklist, Question, Requirement
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
@receiver(post_delete, sender=ChatScenario)
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
        # robust: a file that cannot be deleted is logged, and the other callbacks of the commit still run
        transaction.on_commit(lambda: storage.delete(name), robust=True)


def _scored_part(scenario) -> tuple:
    return scenario.code, scenario.checklist_id, scenario.keyword_groups, scenario.min_groups


@receiver(pre_save, sender=ChatScenario)
def _remember_scored_part(sender, instance, raw=False, **kwargs):
    before = ChatScenario.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._scored_before = _scored_part(before) if before else None


@receiver(post_save, sender=ChatScenario)
def _scenario_changed(sender, instance, created, raw=False, **kwargs):
    """Only what scores depend on (code and keyword groups) makes a new revision: a typo fixed in the
    situation text or a buyer message must not rescore every applicant."""
    if raw or _paused.get():
        return
    if created or getattr(instance, "_scored_before", None) != _scored_part(instance):
        checklist_bump_revision(checklist_id=instance.checklist_id)
    else:  # no new revision, but the form must show the new wording (its cache key has updated_at)
        Checklist.objects.filter(pk=instance.checklist_id).update(updated_at=timezone.now())


@receiver(pre_save, sender=Job)
def _remember_threshold(sender, instance, raw=False, **kwargs):
    instance._threshold_before = (
        Job.objects.filter(pk=instance.pk).values_list("advance_threshold", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=Job)
def _job_threshold_changed(sender, instance, created, raw=False, **kwargs):
    """Recommendations depend on the threshold: a new one recomputes them all, however it was changed
    (admin, a fixture update, the shell)."""
    if not raw and not created and instance._threshold_before != instance.advance_threshold:
        job_request_rescore(job_id=instance.pk, everything=True)
