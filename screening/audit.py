"""The access log of personal data: who viewed, downloaded or exported what, and when."""

from .models import AuditEvent


def audit(request, action: str, *, application=None, job=None, **detail) -> None:
    AuditEvent.objects.create(
        actor=request.user,
        action=action,
        application=application,
        job=job or (application.job if application is not None else None),
        detail=detail,
    )
