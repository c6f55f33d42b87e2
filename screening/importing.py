"""Import applicants into a job from a job board's CSV/XLSX export (service: writes)."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Application, Job
from .services import applicant_find_or_create, application_find_existing, enqueue_bulk_scoring
from .tabular import ParsedRow, read_rows


@dataclass
class ImportReport:
    created: list[int] = field(default_factory=list)  # application ids
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (row number, who)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row number, column, message)
    dropped: list[str] = field(default_factory=list)  # columns read but never stored


def _identity_errors(row: ParsedRow) -> list[tuple[str, str]]:
    errors = []
    if not row.identity.get("name"):
        errors.append(("姓名", _("缺少姓名")))
    if not row.identity.get("email") and not row.identity.get("phone"):
        errors.append(("邮箱/手机", _("邮箱和手机号至少要有一项")))
    return errors


def job_import_applicants(*, job: Job, path: Path) -> ImportReport:
    """Every valid row becomes an application (source: import) and is scored; invalid rows are reported
    with their row number and reason; a person who already applied to the job is not added twice."""
    report = ImportReport()
    rows = read_rows(path)  # TabularError for an unreadable file: nothing is written
    report.dropped = sorted({c for row in rows for c in row.dropped})
    seen: set[str] = set()
    for row in rows:
        problems = row.errors + _identity_errors(row)
        if problems:
            report.errors.extend((row.number, column, message) for column, message in problems)
            continue
        email, phone = row.identity.get("email", ""), row.identity.get("phone", "")
        keys = {k for k in (f"e:{email}" if email else "", f"p:{phone}" if phone else "") if k}
        if keys & seen or application_find_existing(job=job, email=email, phone=phone):
            report.duplicates.append((row.number, row.identity["name"]))
            continue
        seen |= keys
        with transaction.atomic():
            applicant = applicant_find_or_create(name=row.identity["name"], email=email, phone=phone)
            application = Application.objects.create(
                applicant=applicant,
                job=job,
                profile=row.profile,
                answers=row.answers,
                source=Application.Source.IMPORT,
            )
        report.created.append(application.pk)
    enqueue_bulk_scoring(application_ids=report.created)
    return report
