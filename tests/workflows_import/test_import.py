"""``orggraph import`` (CSV and xlsx edge lists) and ``orggraph init``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from orggraph.cli import app
from orggraph.model import load, load_text

runner = CliRunner()

EDGES = """\
Consumer,Supplier,Service,Volume,Required,Any_of
stores,desk,IT support,60,,
web,desk-eu,IT,50,,g
web,desk-us,,,,g
shoppers,stores,,,,
shoppers,web,,,no,
desk,cloud,,,,
"""
PARTIES = """\
id,name,party,kind,parent,capacity,lead_time,weight,owner
shoppers,Shoppers,customer,,,,,10,
cloud,Cloud Inc,vendor,,,,1d,,
it,IT,unit,department,,,,,
desk,Service Desk,unit,team,it,120,4h,,jane
"""
EXPECTED = """\
# Imported by orggraph 0.1.0 from edges.csv and parties.csv
# (6 dependency rows; 6 units, 1 customer, 1 vendor).
# Check it with `orggraph validate`; see docs/format.md for every field.
version: 1

units:
  - id: it
    name: IT
    kind: department
  - id: desk
    name: Service Desk
    parent: it
    capacity: 120
    lead_time: 4h
    owner: jane
    depends_on:
      - cloud
  - id: stores
    depends_on:
      - supplier: desk
        service: IT support
        volume: 60
  - id: web
    depends_on:
      - any_of: [desk-eu, desk-us]
        service: IT
        volume: 50
  - id: desk-eu
  - id: desk-us

customers:
  - id: shoppers
    name: Shoppers
    weight: 10
    depends_on:
      - stores
      - supplier: web
        required: false

vendors:
  - id: cloud
    name: Cloud Inc
    lead_time: 1d
"""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def imported(*args: str) -> str:
    result = runner.invoke(app, ["import", *args, "-o", "-"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_csv_with_parties_gives_readable_valid_yaml(here: Path) -> None:
    write(here / "edges.csv", EDGES)
    write(here / "parties.csv", PARTIES)
    text = imported("edges.csv", "--parties", "parties.csv")
    assert text == EXPECTED
    org = load_text(text, "org.yaml")
    assert [c.id for c in org.customers] == ["shoppers"]
    # the same input, the same bytes
    assert imported("edges.csv", "--parties", "parties.csv") == text


def test_semicolon_csv_with_a_byte_order_mark(here: Path) -> None:
    write(here / "edges.csv", "\ufeff" + EDGES.replace(",", ";"))
    write(here / "parties.csv", "\ufeff" + PARTIES.replace(",", "\t"))
    text = imported("edges.csv", "-p", "parties.csv")
    assert text == EXPECTED


def test_edge_list_only_makes_every_party_a_unit(here: Path) -> None:
    write(here / "edges.csv", "consumer,supplier\nb,a\nc,b\n")
    org = load_text(imported("edges.csv"), "org.yaml")
    assert [u.id for u in org.units] == ["b", "a", "c"]
    assert org.customers == [] and org.vendors == []


def test_writes_a_file_and_it_analyzes(here: Path) -> None:
    write(here / "edges.csv", EDGES)
    write(here / "parties.csv", PARTIES)
    result = runner.invoke(app, ["import", "edges.csv", "-p", "parties.csv"])
    assert result.exit_code == 0, result.output
    assert result.stderr == "wrote org.yaml\n"
    assert len(load("org.yaml").units) == 6
    assert runner.invoke(app, ["analyze", "org.yaml"]).exit_code == 0
    # an existing file is kept unless --force
    again = runner.invoke(app, ["import", "edges.csv"])
    assert again.exit_code == 2
    assert "org.yaml exists; not overwriting it" in again.stderr
    assert runner.invoke(app, ["import", "edges.csv", "--force"]).exit_code == 0


def test_never_over_an_input(here: Path) -> None:
    write(here / "edges.csv", EDGES)
    write(here / "parties.csv", PARTIES)
    for target in ("edges.csv", "parties.csv"):
        result = runner.invoke(
            app, ["import", "edges.csv", "-p", "parties.csv", "-o", target, "--force"]
        )
        assert result.exit_code == 2
        assert result.stderr == f"error: refusing to overwrite the input file {target}\n"
    assert (here / "edges.csv").read_text() == EDGES


def test_bad_rows_are_all_reported_with_row_numbers(here: Path) -> None:
    write(
        here / "edges.csv",
        "consumer,supplier,volume,required,any_of\n"
        "stores,desk,abc,,\n"
        "stores,desk,,,\n"
        ",desk,,,\n"
        "web,a,1,,g\n"
        "web,b,2,,g\n"
        "web,c,,,solo\n"
        "x y,desk,-1,maybe,\n"
        "desk,shoppers,,,\n"
        "cloud,desk,,,\n",
    )
    write(
        here / "parties.csv",
        "id,party,kind,parent,lead_time\nshoppers,customer,,,\ncloud,vendor,,,\n"
        "desk,unit,teem,itt,4\n",
    )
    result = runner.invoke(app, ["import", "edges.csv", "-p", "parties.csv", "-o", "-"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "edges.csv:2: volume: expected a number, got 'abc'",
        "    hint: write a plain number such as 60",
        "edges.csv:3: supplier: 'stores' already depends on 'desk' (row 2)",
        "    hint: list each supplier once per consumer; merge the rows",
        "edges.csv:4: consumer: empty",
        "    hint: every row needs a consumer id",
        "edges.csv:6: volume: any_of group 'g' of 'web' has volume 1 on row 5, 2 here",
        "    hint: a group's volume is for the group as a whole: "
        "write it once, or the same on every row",
        "edges.csv:7: any_of: any_of group 'solo' of 'web' has one supplier",
        "    hint: alternatives need two or more rows with the same group label; "
        "or leave the label empty for a plain dependency",
        "edges.csv:8: consumer: 'x y' is not a valid id",
        "    hint: an id starts with a letter or digit and has only letters, digits, '.', '_' "
        "and '-'; e.g. x-y",
        "edges.csv:8: volume: must be >= 0, got -1",
        "    hint: leave it empty if unknown",
        "edges.csv:8: required: expected yes or no, got 'maybe'",
        "    hint: write true/false, yes/no or 1/0",
        "edges.csv:9: supplier: 'shoppers' is a customer (parties.csv:2); "
        "nobody depends on a customer",
        "    hint: service flows toward customers: swap consumer and supplier, or make it a unit",
        "edges.csv:10: consumer: 'cloud' is a vendor (parties.csv:3); vendors depend on nothing",
        "    hint: make it a unit in the parties sheet, or swap consumer and supplier",
        "parties.csv:4: kind: unknown kind 'teem'",
        "    hint: did you mean 'team'?",
        "parties.csv:4: parent: unknown parent 'itt'",
        "    hint: add the parent as a row of the parties sheet",
        "parties.csv:4: lead_time: lead time '4' has no unit",
        "    hint: add a unit, e.g. 4h or 4d",
        "13 errors found",
    ]


def test_unknown_and_missing_columns(here: Path) -> None:
    write(here / "edges.csv", "CONSUMER,suplier,Colour\na,b,red\n")
    result = runner.invoke(app, ["import", "edges.csv", "-o", "-"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "edges.csv:1: unknown column 'suplier'",
        "    hint: did you mean 'supplier'?",
        "edges.csv:1: unknown column 'Colour'",
        "    hint: the columns are consumer, supplier, service, volume, required, any_of, note",
        "edges.csv:1: no 'supplier' column",
        "    hint: the first row names the columns, e.g. consumer, supplier, service, volume",
        "3 errors found",
    ]


def test_not_utf8_and_not_a_table(here: Path) -> None:
    (here / "edges.csv").write_bytes("consumer,supplier\nb\xe9,a\n".encode("latin-1"))
    result = runner.invoke(app, ["import", "edges.csv", "-o", "-"])
    assert result.exit_code == 2
    assert result.stderr.startswith("edges.csv:2: the file is not UTF-8 text (byte 0xe9)")
    write(here / "edges.txt.json", "{}")
    result = runner.invoke(app, ["import", "edges.txt.json", "-o", "-"])
    assert result.exit_code == 2
    assert "expected a .csv or .xlsx file" in result.stderr
    result = runner.invoke(app, ["import", "missing.csv", "-o", "-"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot read missing.csv")


def test_xlsx_with_a_parties_sheet(here: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    edges = book.active
    edges.title = "Edges"
    for row in [
        ("Consumer", "Supplier", "Volume", "Required", "Any of"),
        ("stores", "desk", 60, None, None),
        (None, None, None, None, None),
        ("shoppers", "stores", None, True, None),
        ("desk", "cloud", 2.5, None, None),
        ("desk", "backup", "lots", None, None),
    ]:
        edges.append(row)
    parties = book.create_sheet("Parties")
    for row in [
        ("ID", "Party", "Capacity", "Lead time", "Weight"),
        ("shoppers", "customer", None, None, 3),
        ("cloud", "Vendor", None, "2h", None),
        ("desk", None, 100, 4, None),
    ]:
        parties.append(row)
    book.save(here / "org.xlsx")
    result = runner.invoke(app, ["import", "org.xlsx", "-o", "-"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "org.xlsx[Edges]:6: volume: expected a number, got 'lots'",
        "    hint: write a plain number such as 60",
        "org.xlsx[Parties]:4: lead_time: lead time 4 has no unit",
        "    hint: write e.g. 4h or 4d",
        "2 errors found",
    ]
    edges.delete_rows(6)
    parties["D4"] = "4h"
    book.save(here / "org.xlsx")
    org = load_text(imported("org.xlsx"), "org.yaml")
    assert [u.id for u in org.units] == ["desk", "stores"]
    assert org.units[0].capacity == 100
    assert org.units[0].lead_time == 4
    assert [(c.id, c.weight) for c in org.customers] == [("shoppers", 3)]
    assert [v.id for v in org.vendors] == ["cloud"]


def test_quotes_what_yaml_would_misread(here: Path) -> None:
    write(here / "edges.csv", "consumer,supplier,service\nno,0700,2024-01-01\n")
    text = imported("edges.csv")
    org = load_text(text, "org.yaml")
    assert [u.id for u in org.units] == ["no", "0700"]
    assert org.units[0].depends_on[0].service == "2024-01-01"  # type: ignore[union-attr]


# -- init ---------------------------------------------------------------------------------------


def test_init_writes_a_starter_that_validates_and_analyzes(here: Path) -> None:
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert result.stderr == "wrote org.yaml\nnext: orggraph analyze org.yaml\n"
    org = load("org.yaml")
    assert len(org.customers) == 2 and len(org.vendors) == 1
    assert any("any_of" in str(u.depends_on) for u in org.units)
    check = runner.invoke(app, ["validate", "org.yaml"])
    assert check.exit_code == 0 and check.stderr == ""  # no warnings either
    report = runner.invoke(app, ["analyze", "org.yaml", "-f", "json"])
    assert report.exit_code == 0
    assert '"critical_suppliers"' in report.stdout


def test_init_keeps_an_existing_file_unless_forced(here: Path) -> None:
    write(here / "org.yaml", "units: [{id: mine}]\n")
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 2
    assert "org.yaml exists; not overwriting it" in result.stderr
    assert (here / "org.yaml").read_text() == "units: [{id: mine}]\n"
    assert runner.invoke(app, ["init", "--force"]).exit_code == 0
    assert "Example Company" in (here / "org.yaml").read_text()
    assert runner.invoke(app, ["init", "-o", "-"]).stdout == (here / "org.yaml").read_text()


def test_a_row_with_more_cells_than_the_header_is_reported(here: Path) -> None:
    # row 3: an unquoted comma splits 'Sales, Dublin' into a fourth cell nothing would read;
    # row 4 ends with empty cells, as spreadsheets export them: nothing is lost, no problem
    write(
        here / "edges.csv",
        "consumer,supplier,service\nstores,desk,IT\nweb,desk,Sales, Dublin\nweb2,desk,,\n",
    )
    result = runner.invoke(app, ["import", "edges.csv", "-o", "-"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "edges.csv:3: 4 cells, but the header has 3 columns",
        '    hint: quote a cell that holds the delimiter ("Sales, Dublin"), '
        "or name the extra column in the header row",
        "1 error found",
    ]
    # the parties sheet is held to the same rule; quoted, the cell is one and the import works
    write(here / "edges.csv", 'consumer,supplier,service\nweb,desk,"Sales, Dublin"\n')
    write(here / "parties.csv", "id,name\ndesk,Desk,extra\n")
    result = runner.invoke(app, ["import", "edges.csv", "--parties", "parties.csv", "-o", "-"])
    assert result.exit_code == 2
    assert result.stderr.startswith("parties.csv:2: 3 cells, but the header has 2 columns\n")
    assert "service: Sales, Dublin" in imported("edges.csv")
