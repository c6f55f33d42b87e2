"""CSV/XLSX exports of a job's applicants (reads)."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from . import labels
from .rules import sensitive_reads
from .selectors import job_requirements

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sensitive(condition: dict) -> bool:
    return bool({"health", "criminal_record"} & sensitive_reads(condition))


def job_rows(*, job, applications) -> tuple[list[str], list[list]]:
    """One row per application; requirements that read health or criminal records are left out."""
    requirements, _revisions = job_requirements(job=job)
    columns = [(r.checklist, r.code, r.title) for r in requirements if not _sensitive(r.condition)]
    header = [
        _("姓名"), _("邮箱"), _("手机"), _("阶段"), _("得分"), _("最高可能得分"), _("建议"),
        _("硬性条件不满足"), _("未知项数"), _("来源"), _("投递时间"),
        *[f"{title} ({checklist}/{code})" for checklist, code, title in columns],
    ]  # fmt: skip
    rows = []
    for a in applications.iterator(chunk_size=2000):  # applicant and evaluation joined by the selector
        evaluation = getattr(a, "evaluation", None)
        statuses = {(r["checklist"], r["code"]): r["status"] for r in evaluation.results} if evaluation else {}
        rows.append([
            a.applicant.name, a.applicant.email, a.applicant.phone, a.get_stage_display(),
            float(evaluation.score) if evaluation else None,
            float(evaluation.max_possible) if evaluation else None,
            evaluation.get_recommendation_display() if evaluation else "",
            (_("是") if evaluation.knockout_failed else _("否")) if evaluation else "",
            evaluation.unknown_count if evaluation else None,
            a.get_source_display(), timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M"),
            *[labels.label(labels.STATUSES, statuses.get((c, k), "")) for c, k, _t in columns],
        ])  # fmt: skip
    return header, rows


def response(header: list[str], rows: list[list], *, fmt: str, filename: str) -> HttpResponse:
    if fmt == "csv":
        buf = io.StringIO()
        buf.write("\ufeff")  # Excel reads UTF-8 Chinese correctly only with the BOM
        writer = csv.writer(buf)
        writer.writerow(header)
        writer.writerows(rows)  # csv writes None as an empty field
        resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("申请人"))
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        resp = HttpResponse(out.getvalue(), content_type=XLSX)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
