"""Damaged and hostile workbooks (issue 12, item 11): each is a message and exit 2, quickly.

The workbooks are made here: a good one saved by openpyxl, then one part of its zip replaced.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from orggraph.cli import app

runner = CliRunner()
SHEET = "xl/worksheets/sheet1.xml"


def _good() -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["consumer", "supplier", "required"])
    ws.append(["b", "a", "no"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _replace(data: bytes, part: str, whole: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            text = src.read(item.filename)
            if item.filename == part:
                text = whole.encode()
            dst.writestr(item, text)
    return out.getvalue()


def _sheet(rows: str, dimension: str = "A1:C2") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


HEADER = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>consumer</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>supplier</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>required</t></is></c></row>'
)


def _row(cells: str) -> str:
    return f'<row r="2">{cells}</row>'


B_A = '<c r="A2" t="inlineStr"><is><t>b</t></is></c><c r="B2" t="inlineStr"><is><t>a</t></is></c>'

DAMAGED: dict[str, str] = {
    "truncated XML": _sheet(HEADER + _row(B_A))[:-40],
    "bad shared-string index": _sheet(HEADER + _row('<c r="A2" t="s"><v>999</v></c>')),
    "bad number": _sheet(HEADER + _row(B_A + '<c r="C2"><v>1.2.3</v></c>')),
    "bad date": _sheet(HEADER + _row(B_A + '<c r="C2" t="d"><v>not a date</v></c>')),
    "bad cell reference": _sheet(HEADER + _row('<c r="2A" t="inlineStr"><is><t>b</t></is></c>')),
    "undefined entity": _sheet(HEADER + _row('<c r="A2" t="inlineStr"><is><t>&nope;</t></is></c>')),
    "entity amplification": (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + "]>"
        + _sheet(HEADER + _row('<c r="A2" t="inlineStr"><is><t>&i;</t></is></c>')).split("?>", 1)[1]
    ),
}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_a_damaged_sheet_is_a_message(name: str, tmp_path: Path) -> None:
    path = tmp_path / "org.xlsx"
    path.write_bytes(_replace(_good(), SHEET, whole=DAMAGED[name]))
    result = runner.invoke(app, ["import", str(path), "-o", "-"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr


def test_a_huge_declared_dimension_reads_only_the_cells_written(tmp_path: Path) -> None:
    path = tmp_path / "org.xlsx"
    rows = HEADER + _row(B_A + '<c r="C2" t="inlineStr"><is><t>no</t></is></c>')
    path.write_bytes(_replace(_good(), SHEET, whole=_sheet(rows, "A1:XFD1048576")))
    result = runner.invoke(app, ["import", str(path), "-o", "-"])
    assert result.exit_code == 0, result.stderr
    assert "depends_on:\n      - supplier: a\n        required: false" in result.stdout


def test_a_formula_without_a_saved_value_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "org.xlsx"
    formula = B_A + '<c r="C2"><f>IF(1,"no","yes")</f></c>'
    path.write_bytes(_replace(_good(), SHEET, whole=_sheet(HEADER + _row(formula))))
    result = runner.invoke(app, ["import", str(path), "-o", "-"])
    assert result.exit_code == 2
    assert 'org.xlsx:2: cell C2 holds a formula with no saved value (=IF(1,"no","yes"))' in (
        result.stderr
    )


def test_a_formula_with_its_saved_value_is_read(tmp_path: Path) -> None:
    path = tmp_path / "org.xlsx"
    formula = B_A + '<c r="C2" t="str"><f>IF(1,"no","yes")</f><v>no</v></c>'
    path.write_bytes(_replace(_good(), SHEET, whole=_sheet(HEADER + _row(formula))))
    result = runner.invoke(app, ["import", str(path), "-o", "-"])
    assert result.exit_code == 0, result.stderr
    assert "required: false" in result.stdout
