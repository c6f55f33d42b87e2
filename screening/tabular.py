"""Rows from job-board exports (.csv, .xlsx) and profile files (.json) as plain DESIGN.md profiles.

Pure: no ORM and no Django settings, so the HR import, the `screen` command and tests share it.
Every cell is read leniently (the forms Chinese job boards export: "25岁", "1-3年", "CET-4",
"淘宝、京东") but stored strictly as vocabulary codes. An empty cell is *unknown*: its key is
left out, never stored as None or "no". Columns we do not use are listed in `dropped` and never
stored (personal data we have no reason to keep).

Messages are Chinese msgids translated when they are built (gettext, not at import), so each is in
the language active at that moment: Chinese by default, English when the user asks for it.
"""

import csv
import io
import itertools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from . import parsers, profile_keys
from .parsers import Parser, is_empty, text_of
from .profile_keys import Column


class TabularError(ValueError):
    """The file as a whole cannot be read (wrong type, undecodable, no header row)."""


@dataclass
class ParsedRow:
    number: int  # as a person sees it: spreadsheet row (header = 1) or JSON index + 1
    identity: dict[str, str] = field(default_factory=dict)
    profile: dict = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


# --- columns -------------------------------------------------------------------------------
# The profile's keys are declared in profile_keys.py, with their columns. Here the columns that are not profile
# keys: who the person is (kept apart from the profile), the date the `screen` command scores at (an import
# scores at its own date), and the answers to a checklist's questions (answers.<question code>).
IDENTITY = ("name", "email", "phone")


def _string(then: Parser) -> Parser:
    return parsers.strict(lambda v: isinstance(v, str), parsers.A_STRING, then)


_OWN_COLUMNS: dict[str, Column] = {
    "name": profile_keys.text_column(parsers.MAX_NAME, "姓名"),
    "email": Column(parsers.email, _string(parsers.email), ("邮箱", "电子邮箱")),
    "phone": Column(parsers.phone, _string(parsers.phone), ("手机", "手机号", "手机号码", "联系电话")),
    "applied_on": Column(parsers.date_of, parsers.iso_date),
}
_ANSWER = profile_keys.text_column(parsers.MAX_ANSWER)
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")  # question codes, as in rules/schemas.py

# what a job board's Chinese header names: {header, casefolded: dotted key}
_HEADERS = {h.casefold(): key for key, column in _OWN_COLUMNS.items() for h in column.headers} | profile_keys.HEADERS

# Never stored, whatever else happens: personal data that screening must not use.
ALWAYS_DROPPED = frozenset(
    h.casefold()
    for h in ("性别", "民族", "婚姻状况", "照片", "头像", "photo", "籍贯", "身高", "体重", "政治面貌")
    + ("gender", "sex", "ethnicity", "marital_status", "avatar", "hometown", "height", "weight")
)


def _reader(key: str) -> Column | None:
    """How a file fills a dotted key, or None when files do not fill it."""
    if key in _OWN_COLUMNS:
        return _OWN_COLUMNS[key]
    declared = profile_keys.column(key)
    if declared is not None:
        return declared[1]
    prefix, _dot, rest = key.partition(".")
    return _ANSWER if prefix == "answers" and _CODE.match(rest) else None


def _column(header: str) -> tuple[str, Parser] | None:
    """(dotted key, cell parser) for a header, or None when the column is not used."""
    key = header.strip().casefold()
    if key in ALWAYS_DROPPED:
        return None
    key = _HEADERS.get(key, key)
    reader = _reader(key)
    return (key, reader.cell) if reader is not None and reader.cell is not None else None


def _put(row: ParsedRow, key: str, value: Any) -> None:
    if key in IDENTITY:
        row.identity[key] = value
        return
    head, _dot, rest = key.partition(".")
    if head == "answers":
        row.answers[rest] = value
    elif rest:
        row.profile.setdefault(head, {})[rest] = value
    else:
        row.profile[head] = value


def _stored(row: ParsedRow, key: str) -> Any:
    if key in IDENTITY:
        return row.identity.get(key)
    head, _dot, rest = key.partition(".")
    if head == "answers":
        return row.answers.get(rest)
    if rest:
        return row.profile.get(head, {}).get(rest)
    return row.profile.get(head)


def parse_record(record: dict[str, object], number: int) -> ParsedRow:
    """One spreadsheet row ({header: cell}) as a profile; bad cells become errors, their keys left out."""
    row = ParsedRow(number=number)
    source: dict[str, str] = {}  # key -> header that set it, to name both sides of a conflict
    for header, cell in record.items():
        column = _column(str(header))
        if column is None:
            row.dropped.append(str(header))
            continue
        if is_empty(cell):
            continue  # unknown, not "no"
        key, parse = column
        try:
            value = parse(cell)
        except ValueError as exc:
            row.errors.append((str(header), str(exc)))
            continue
        earlier = _stored(row, key)
        if earlier is not None and earlier != value:
            row.errors.append(
                (
                    str(header),
                    _("%(value)s 与列 %(column)s 的值冲突")
                    % {"value": repr(text_of(cell)), "column": repr(source[key])},
                )
            )
            continue
        _put(row, key, value)
        source[key] = str(header)
    typing = row.profile.get("typing")
    if typing and "cpm" in typing:
        # a job board's figure is self-reported: the portal did not measure it (as the web form records)
        typing["measured"] = False
    return row


# --- JSON: already in the vocabulary, so checked strictly ----------------------------------
_NESTED = profile_keys.GROUPS | {"answers"}  # keys whose value is an object of keys


def _json_parser(key: str) -> Parser | None:
    reader = _reader(key)
    return reader.strict if reader is not None else None


def _flatten(obj: dict, row: ParsedRow) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in obj.items():
        if key in _NESTED and isinstance(value, dict):
            flat.update({f"{key}.{sub}": v for sub, v in value.items()})
        elif key in _NESTED and value is not None:
            row.errors.append((key, parsers.expected_message(parsers.AN_OBJECT, repr(value))))
        else:
            flat[key] = value
    return flat


def parse_profile(obj: Any, number: int) -> ParsedRow:
    """One JSON profile object (DESIGN.md keys, nested) checked strictly; errors name the key path."""
    row = ParsedRow(number=number)
    if not isinstance(obj, dict):
        row.errors.append(("", parsers.expected_message(parsers.A_PROFILE_OBJECT, type(obj).__name__)))
        return row
    for key, value in _flatten(obj, row).items():
        parse = _json_parser(key)
        if parse is None:
            row.dropped.append(key)
        elif value is None or (isinstance(value, str) and not value.strip()):
            continue  # unknown
        else:
            try:
                _put(row, key, parse(value))
            except ValueError as exc:
                row.errors.append((key, str(exc)))
    return row


# --- files ---------------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # with or without BOM (Excel adds one)
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # what Chinese job boards and Excel on Chinese Windows export
    except UnicodeDecodeError:
        raise TabularError(_("文件既不是 UTF-8 也不是 GB18030 编码的文本")) from None


# Bounds on what one file may hold, so that a small file cannot take the server's memory or time: a job
# board's list has a few dozen columns (256 was the old .xls limit) and an HR import a few hundred or
# thousand people (more is several files).
MAX_COLUMNS = 256
MAX_ROWS = 10_000


def _header_width(cells: Sequence[Any]) -> int:
    """How many columns the header names: up to its last cell with a name."""
    return max((i for i, c in enumerate(cells, start=1) if c is not None and text_of(c)), default=0)


def _blank(cells: Sequence[Any]) -> bool:
    # all None first, at C speed: a workbook's missing rows come as rows of None, up to a million of them
    return cells.count(None) == len(cells) or all(is_empty(c) for c in cells)


def _records(rows: Iterable[Sequence[Any]]) -> list[ParsedRow]:
    """Header row + data rows → ParsedRows numbered as spreadsheet rows; blank rows are skipped."""
    rows = iter(rows)
    first = next(rows, None)
    if not first or all(is_empty(c) for c in first):
        raise TabularError(_("没有表头行：第一行必须是各列的列名"))
    headers = [text_of(h) if h is not None else "" for h in first[: _header_width(first)]]
    if len(headers) > MAX_COLUMNS:
        raise TabularError(_("表头超过 %(limit)s 列") % {"limit": MAX_COLUMNS})
    seen: dict[str, str] = {}
    for h in filter(None, headers):
        key = h.casefold()
        if key in seen:
            raise TabularError(_("列名重复：%(column)s") % {"column": repr(h)})
        seen[key] = h
    parsed = []
    for number, cells in enumerate(rows, start=2):
        if _blank(cells):
            continue
        if len(parsed) == MAX_ROWS:
            raise TabularError(_("文件超过 %(limit)s 行数据：请分成几个文件导入") % {"limit": MAX_ROWS})
        record = {h: c for h, c in zip(headers, cells, strict=False) if h}
        row = parse_record(record, number)
        # cells beyond the named columns are data without a meaning: never stored
        extra = [
            i for i, c in enumerate(cells, start=1) if not is_empty(c) and (i > len(headers) or not headers[i - 1])
        ]
        row.dropped.extend(_("（未命名的第 %(number)s 列）") % {"number": i} for i in extra)
        parsed.append(row)
    return parsed


def _read_csv(path: Path) -> list[ParsedRow]:
    text = _decode(path.read_bytes())
    try:
        return _records(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:  # e.g. a cell longer than csv.field_size_limit()
        raise TabularError(_("CSV 文件无法读取：%(error)s") % {"error": exc}) from exc


def _read_xlsx(path: Path) -> list[ParsedRow]:
    from openpyxl import load_workbook  # only needed for spreadsheets

    try:
        # data_only: a formula cell gives the value Excel last computed, not the formula
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # The file's own <dimension> may claim the whole sheet (A1:XFD1048576), and read-only openpyxl
            # pads every row to it: rows are read as the cells they hold instead, no wider than the header.
            sheet.reset_dimensions()
            # min_row=1: number rows as Excel shows them even when the used range starts lower
            header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
            width = min(_header_width(header), MAX_COLUMNS + 1)  # wider is refused by _records
            data = sheet.iter_rows(min_row=2, max_col=max(width, 1), values_only=True)
            return _records(itertools.chain([header[:width]], data))
        finally:
            workbook.close()  # read-only mode keeps the file open until closed
    except (OSError, TabularError):
        raise  # the file itself could not be read (read_rows says so), or its rows are not a list of people
    except Exception as exc:
        # A damaged workbook fails in openpyxl's zip and XML layers, while loading or while reading rows, with
        # whatever they raise (fuzzing saw ParseError, BadZipFile, zlib.error and KeyError): all mean unreadable.
        raise TabularError(_("不是可读取的 .xlsx 工作簿：%(error)s") % {"error": exc}) from exc


def _read_json(path: Path) -> list[ParsedRow]:
    try:
        data = json.loads(_decode(path.read_bytes()))
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, numbers of 4300+ digits, deep nesting
        raise TabularError(_("JSON 格式无效：%(error)s") % {"error": exc}) from exc
    items = data if isinstance(data, list) else [data]
    return [parse_profile(obj, i) for i, obj in enumerate(items, start=1)]


_READERS = {".csv": _read_csv, ".xlsx": _read_xlsx, ".json": _read_json}


def read_rows(path: Path) -> list[ParsedRow]:
    """Every data row of a .csv, .xlsx or .json file; raises TabularError when the file cannot be read."""
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise TabularError(
            _("不支持的文件类型 %(type)s：请使用 .csv、.xlsx 或 .json") % {"type": repr(path.suffix or path.name)}
        )
    try:
        return reader(path)
    except OSError as exc:
        raise TabularError(
            _("无法读取 %(file)s：%(error)s") % {"file": path.name, "error": exc.strerror or exc}
        ) from exc
