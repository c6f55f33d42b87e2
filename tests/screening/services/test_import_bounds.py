"""A small import file cannot make the reader take the server's memory: columns are bounded by the header,
rows by a limit."""

import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from screening.tabular import TabularError, read_rows

PEOPLE = 200


def _workbook(path: Path, *, stray_far_right: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "手机"])
    for i in range(PEOPLE):
        ws.append([f"应聘者{i}", f"1380013{i:04d}"])
        if stray_far_right:
            ws.cell(row=i + 2, column=16384, value=None).number_format = "0"  # a styled, empty cell at XFD
    wb.save(path)
    return path


def _claim_dimension(path: Path, ref: str) -> None:
    """Rewrite the sheet's <dimension ref=…>, which read-only openpyxl trusts, as a hostile file would."""
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in entries:
            if info.filename == "xl/worksheets/sheet1.xml":
                claimed, count = re.subn(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
                assert count == 1
                out.writestr(info, claimed)
            else:
                out.writestr(info, data)


def _peak_bytes(path: Path) -> tuple[list, int]:
    tracemalloc.start()
    try:
        rows = read_rows(path)
        return rows, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("hostile", ["dimension", "stray cell"])
def test_an_xlsx_claiming_16384_columns_is_read_no_wider_than_its_header(tmp_path: Path, hostile):
    path = _workbook(tmp_path / "a.xlsx", stray_far_right=hostile == "stray cell")
    if hostile == "dimension":
        _claim_dimension(path, f"A1:XFD{PEOPLE + 1}")
    assert path.stat().st_size < 40_000
    rows, peak = _peak_bytes(path)
    # 200 rows padded to 16,384 columns are 3.3 million cells, some 30 MB; two columns are a few hundred KB
    assert peak < 4 * 1024 * 1024
    assert len(rows) == PEOPLE
    assert (rows[-1].number, rows[-1].identity, rows[-1].errors) == (
        PEOPLE + 1,
        {"name": f"应聘者{PEOPLE - 1}", "phone": f"1380013{PEOPLE - 1:04d}"},
        [],
    )


def test_an_xlsx_claiming_a_million_rows_reads_the_rows_it_has(tmp_path: Path):
    path = _workbook(tmp_path / "a.xlsx")
    _claim_dimension(path, "A1:XFD1048576")
    rows, peak = _peak_bytes(path)
    assert peak < 4 * 1024 * 1024
    assert [r.number for r in rows] == list(range(2, PEOPLE + 2))


def test_a_header_wider_than_256_columns_is_refused(tmp_path: Path):
    wb = Workbook()
    wb.active.append([f"列{i}" for i in range(257)])
    wb.active.append(["张三"])
    path = tmp_path / "a.xlsx"
    wb.save(path)
    with pytest.raises(TabularError, match="^表头超过 256 列$"):
        read_rows(path)


def test_a_file_of_more_than_10000_people_is_refused_but_10000_are_read(tmp_path: Path):
    people = [f"应聘者{i},138{i:08d}" for i in range(10_000)]
    path = tmp_path / "a.csv"
    path.write_text("\n".join(["姓名,手机", *people, "", ""]), encoding="utf-8")  # blank rows do not count
    assert len(read_rows(path)) == 10_000
    path.write_text("\n".join(["姓名,手机", *people, "多一位,13900139000"]), encoding="utf-8")
    with pytest.raises(TabularError, match="^文件超过 10000 行数据：请分成几个文件导入$"):
        read_rows(path)
