"""What the portal sends once each (session reminders, talent-pool invitations) is taken one row at a time."""

from django.db.models import QuerySet


def take_next(pending: QuerySet, tried: set[int]):
    """In the caller's transaction: the first row of `pending` (by id) that no other run holds and this run has not
    tried yet, locked until the transaction ends (other runs skip it: two workers never take the same row), and
    noted in `tried` (a row this run could not send is not taken again in the same run). None: nothing left."""
    row = pending.select_for_update(skip_locked=True, of=("self",)).exclude(pk__in=tried).order_by("pk").first()
    if row is not None:
        tried.add(row.pk)
    return row
