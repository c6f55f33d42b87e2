"""Import applicants into a job from a job board's CSV/XLSX export (service: writes)."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import profile_keys
from ..models import Application, Job, contact_keys
from ..selectors import job_profile_reads
from ..tabular import ParsedRow, read_rows
from .applications import application_create
from .scoring import applications_request_scoring


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


def _wanted(key: str, reads: set[tuple[str, str | None]]) -> bool:
    """A dotted key the job's requirements read (the age column stands in for a date of birth). Never a health
    or criminal-record answer: those need the person's own consent (PIPL art. 29), which a list never carries."""
    declared = profile_keys.column(key)
    return declared is not None and declared[0].read in reads and not declared[0].sensitive


def profile_minimal(profile: dict, reads: set[tuple[str, str | None]]) -> tuple[dict, set[str]]:
    """Only what the job's requirements read (selectors.job_profile_reads), and the dotted keys left out, never
    stored: personal data the screening has no use for. The import and the API keep profiles this way."""
    kept: dict = {}
    dropped: set[str] = set()
    for key, value in profile.items():
        if isinstance(value, dict):
            sub = {k: v for k, v in value.items() if _wanted(f"{key}.{k}", reads)}
            dropped |= {f"{key}.{k}" for k in value if k not in sub}
            if sub:
                kept[key] = sub
        elif _wanted(key, reads):
            kept[key] = value
        else:
            dropped.add(key)
    return kept, dropped


def job_import_applicants(*, job: Job, path: Path) -> ImportReport:
    """Every valid row becomes an application (source: import) and is scored; invalid rows are reported
    with their row number and reason; a person who already applied to the job is not added twice."""
    report = ImportReport()
    rows = read_rows(path)  # TabularError for an unreadable file: nothing is written
    dropped = {c for row in rows for c in row.dropped}
    reads = job_profile_reads(job=job)
    today = timezone.localdate().isoformat()
    # who already applied to the job, among the file's contacts: one query, not one per row
    seen = _applied_contacts(job, rows)
    for row in rows:
        problems = row.errors + _identity_errors(row)
        if problems:
            report.errors.extend((row.number, column, message) for column, message in problems)
            continue
        email, phone = row.identity.get("email", ""), row.identity.get("phone", "")
        keys = contact_keys(email, phone)
        if keys & seen:
            report.duplicates.append((row.number, row.identity["name"]))
            continue
        seen |= keys
        profile, left_out = profile_minimal(row.profile, reads)
        dropped |= left_out
        application = application_create(
            job=job, name=row.identity["name"], email=email, phone=phone,
            profile={**profile, "applied_on": today},  # age at the import date
            answers={q: a for q, a in row.answers.items() if ("answers", q) in reads},
            source=Application.Source.IMPORT,
        )  # fmt: skip
        report.created.append(application.pk)
    report.dropped = sorted(dropped)
    applications_request_scoring(application_ids=report.created)
    return report


def _applied_contacts(job: Job, rows: list[ParsedRow]) -> set[str]:
    """The contact keys of the file's people who already applied to the job: same_contact, for many at once."""
    emails = {r.identity["email"] for r in rows if r.identity.get("email")}
    phones = {r.identity["phone"] for r in rows if r.identity.get("phone")}
    found = (
        Application.objects.filter(job=job)
        .filter(Q(applicant__email__in=emails) | Q(applicant__phone__in=phones))
        .values_list("applicant__email", "applicant__phone")
    )
    return {k for email, phone in found for k in contact_keys(email, phone)}
