"""Any change to a checklist's requirements or questions bumps the checklist's revision."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Question, Requirement
from .services import checklist_bump_revision


@receiver([post_save, post_delete], sender=Requirement)
@receiver([post_save, post_delete], sender=Question)
def _item_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        checklist_bump_revision(checklist_id=instance.checklist_id)
