"""A booking erased with its application (the candidate's own deletion, the retention purge) frees its seat."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Booking


@receiver(post_delete, sender=Booking)
def _recount_after_delete(sender, instance: Booking, **kwargs):
    from .services import sessions_recount

    session_id = instance.session_id
    transaction.on_commit(lambda: sessions_recount(session_ids=[session_id]))
