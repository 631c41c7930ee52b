"""``orggraph diff`` output: escaped markdown tables, one-line text, strict JSON, the same bytes
whatever the order of the files, and the installed command's streams and exit codes."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from orggraph.cli import app

runner = CliRunner()
# the console script the package installs, or the module where it is not on the PATH
ORGGRAPH = [
    shutil.which("orggraph") or sys.executable,
    *([] if shutil.which("orggraph") else ["-m", "orggraph"]),
]

OLD = """\
units:
  - id: desk
    capacity: 10
    description: plain
    depends_on: [vendor-x]
customers:
  - id: shoppers
    depends_on: [{supplier: desk, volume: 9}]
vendors:
  - id: vendor-x
"""
# every changed value is something markdown would act on, or a line break
NEW = """\
units:
  - id: desk
    name: "Desk | EU"
    capacity: 10
    description: "two\\nlines *bold* <img src=x> `tick` [a](b)"
    tags: ["x|y"]
    attributes: {since: 2024-01-01, ratio: .nan}
    depends_on: [vendor-x]
customers:
  - id: shoppers
    depends_on: [{supplier: desk, volume: 9, service: "pay <b>|</b>"}]
vendors:
  - id: vendor-x
"""


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return old, new


def diff_of(old: Path, new: Path, *args: str) -> str:
    result = runner.invoke(app, ["diff", str(old), str(new), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_markdown_escapes_every_value_in_its_cell(pair: tuple[Path, Path]) -> None:
    out = diff_of(*pair, "--format", "markdown")
    assert out == (
        "## orggraph diff\n"
        "\n"
        "0 parties added, 0 removed, 1 changed; 0 dependencies added, 0 removed, 1 changed. "
        "No change to critical suppliers, lead times, capacity or cycles.\n"
        "\n"
        "### Parties changed\n"
        "\n"
        "| Party | Field | Before | After |\n"
        "|:---|:---|:---|:---|\n"
        "| `desk` | name | desk | Desk \\| EU |\n"
        "| `desk` | description | plain | "
        "two lines \\*bold\\* \\<img src=x\\> \\`tick\\` \\[a\\](b) |\n"
        "| `desk` | tags | \\[\\] | \\[x\\|y\\] |\n"
        '| `desk` | attributes | {} | {"ratio": "nan", "since": "2024-01-01"} |\n'
        "\n"
        "### Dependencies changed\n"
        "\n"
        "| Supplier | Consumer | Field | Before | After |\n"
        "|:---|:---|:---|:---|:---|\n"
        "| `desk` | `shoppers` | service | — | pay \\<b\\>\\|\\</b\\> |\n"
    )
    # every row of a table has as many cell borders as its header: no value split a cell
    for table in re.findall(r"(?:^\|.*\n)+", out, flags=re.MULTILINE):
        rows = table.splitlines()
        borders = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(borders) == 1, rows


def test_text_keeps_each_change_on_one_line(pair: tuple[Path, Path]) -> None:
    out = diff_of(*pair)
    assert out.splitlines()[2:4] == [
        "Parties changed",
        "  desk: name desk → Desk | EU; "
        "description plain → two lines *bold* <img src=x> `tick` [a](b); tags [] → [x|y]; "
        'attributes {} → {"ratio": "nan", "since": "2024-01-01"}',
    ]


def test_json_is_strict_json(pair: tuple[Path, Path]) -> None:
    out = diff_of(*pair, "--format", "json")

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    data = json.loads(out, parse_constant=refuse)
    changes = data["model"]["parties_changed"][0]["changes"]
    assert changes[-1] == {
        "field": "attributes",
        "old": {},
        "new": {"since": "2024-01-01", "ratio": "nan"},
    }


RETAILER = Path(__file__).parents[2] / "examples" / "retailer.yaml"
AFTER = Path(__file__).parent / "data" / "retailer-after.yaml"


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_same_bytes_whatever_the_order_of_the_files(tmp_path: Path, fmt: str) -> None:
    """Shuffle the parties and their dependencies of both files: the diff does not move."""
    rng = random.Random(7)
    shuffled = []
    for source in (RETAILER, AFTER):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        for section in ("units", "customers", "vendors"):
            rng.shuffle(data.get(section) or [])
            for party in data.get(section) or []:
                rng.shuffle(party.get("depends_on") or [])
        path = tmp_path / source.name
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        shuffled.append(path)
    assert diff_of(shuffled[0], shuffled[1], "-f", fmt) == diff_of(RETAILER, AFTER, "-f", fmt)


def test_installed_command_streams_and_exit_codes(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*ORGGRAPH, "diff", *args],
            capture_output=True,
            text=True,
            check=False,
        )

    done = run(str(RETAILER), str(AFTER), "-f", "markdown")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("## orggraph diff\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("units:\n  - id: a\n    depends_on: [b]\n", encoding="utf-8")
    done = run(str(RETAILER), str(bad))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"{bad}:3:18: units[0](a).depends_on[0]: unknown supplier 'b'")
    assert "Traceback" not in done.stderr
    done = run(str(RETAILER), str(AFTER), "--threshold", "-1")
    assert (done.returncode, done.stdout) == (2, "")
