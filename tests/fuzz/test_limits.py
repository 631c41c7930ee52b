"""The documented limits (docs/format.md, "Limits"): each is a located error with a hint, just
past its value and not before, and hostile files end quickly in bounded memory.

The bombs run in a child process of the installed package, under a wall-clock timeout, and
report the child's peak resident memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from orggraph.errors import Location, OrgValidationError
from orggraph.model import load, load_text
from orggraph.model.yamlsource import ALIAS_BUDGET, MAX_DEPTH, MAX_INT_BITS

from ._fuzz import time_budget


def refused(text: str, name: str = "org.yaml") -> OrgValidationError:
    with time_budget(30), pytest.raises(OrgValidationError) as info:
        load_text(text, name)
    return info.value


def nested(depth: int) -> str:
    """A document whose deepest value sits ``depth`` levels down (the top mapping is one)."""
    lists = depth - 4  # inside the top mapping, units, the unit and its attributes
    return "units:\n  - id: a\n    attributes: {x: " + "[" * lists + "]" * lists + "}\n"


def test_nesting_up_to_the_limit_is_read() -> None:
    assert load_text(nested(MAX_DEPTH), "org.yaml").units[0].id == "a"


def test_nesting_past_the_limit_is_refused_where_it_goes_too_deep() -> None:
    (problem,) = refused(nested(MAX_DEPTH + 1)).problems
    # at the list that is one level too many, on the line of "    attributes: {x: [[[..."
    assert problem.location == Location("org.yaml", 3, 21 + (MAX_DEPTH + 1 - 4) - 1)
    assert problem.message == f"nesting deeper than {MAX_DEPTH} levels"
    assert problem.hint == "flatten the document"


def aliases(copies: int) -> str:
    """An anchored list of 1,000 values and ``copies`` aliases to it."""
    values = ", ".join(["1"] * 999)
    return (
        "units:\n  - id: a\n    attributes:\n      base: &b ["
        + values
        + "]\n"
        + "".join(f"      c{i}: *b\n" for i in range(copies))
    )


def test_aliases_up_to_the_budget_are_read() -> None:
    # each alias adds the list and its 999 values
    assert load_text(aliases(ALIAS_BUDGET // 1000), "org.yaml").units[0].id == "a"


def test_aliases_past_the_budget_are_refused_at_the_alias_that_goes_over() -> None:
    copies = ALIAS_BUDGET // 1000 + 1
    (problem,) = refused(aliases(copies)).problems
    assert problem.location == Location("org.yaml", 4 + copies, len(f"      c{copies - 1}: *"))
    assert problem.message == f"aliases expand to more than {ALIAS_BUDGET:,} values"
    assert problem.hint == "this looks like an alias bomb; write the repeated parts out"


def test_a_whole_number_past_the_limit_is_refused() -> None:
    fits, too_long = hex((1 << MAX_INT_BITS) - 1), hex(1 << MAX_INT_BITS)
    text = "units:\n  - id: a\n    attributes: {{x: {}}}\n"
    assert load_text(text.format(fits), "org.yaml").units[0].attributes["x"] > 0
    (problem,) = refused(text.format(too_long)).problems
    assert problem.message == f"cannot read '{too_long[:59]}…' as a number"
    assert problem.hint == "quote it to keep it as text"


def test_a_second_document_is_refused() -> None:
    (problem,) = refused("units: []\n---\nunits: []\n").problems
    assert problem.location == Location("org.yaml", 2, 1)
    assert problem.message == "more than one YAML document in the file"
    assert problem.hint == "keep one document: remove the extra '---' line"


def test_the_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a 1 GiB file is too slow to write in a test: the same check with a smaller limit
    import orggraph.model.yamlsource as yamlsource

    path = tmp_path / "org.yaml"
    path.write_bytes(b"units: [{id: a}]\n" + b"#" * 3 * 2**20)
    monkeypatch.setattr(yamlsource, "MAX_FILE_BYTES", 2 * 2**20)
    with pytest.raises(OrgValidationError) as info:
        load(path)
    (problem,) = info.value.problems
    assert problem.location == Location(str(path), 1, 1)
    assert problem.message == "file is 3 MiB; the limit is 2 MiB"
    assert (
        problem.hint == "split the organization into several files: a folder of them, or include:"
    )


MiB = 2**20
# name: (text, the child's peak memory allowed in MiB). About 50 MiB is Python with orggraph
# loaded (test_an_empty_run_is_small); a bomb may cost its own size a few times over, and the
# 100k-party files what 100,000 parties cost, but never the expansion.
BOMBS: dict[str, tuple[str, int]] = {
    "billion laughs": (
        "units:\n  - id: a\n    attributes:\n      a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"      {chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
            for i in range(9)
        ),
        100,
    ),
    "merge-key laughs": (
        "a: &a {k0: 1, k1: 1, k2: 1, k3: 1, k4: 1, k5: 1, k6: 1, k7: 1}\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} {{<<: [{', '.join(['*' + chr(97 + i)] * 10)}]}}\n"
            for i in range(9)
        ),
        100,
    ),
    "100 levels of flow nesting": ("units: " + "[" * 100 + "]" * 100 + "\n", 100),
    "100 levels of block nesting": ("".join("  " * i + f"k{i}:\n" for i in range(100)), 100),
    "5000 levels of flow nesting": ("units: " + "[" * 5000 + "]" * 5000 + "\n", 100),
    "5000 levels of JSON nesting": ('{"units": ' + "[" * 5000 + "]" * 5000 + "}", 100),
    "10 MB single-line scalar": ("units: [{id: a, name: " + "x" * 10 * MiB + "}]\n", 160),
    # the fast line reader once kept a regex backtracking point per character of a block value
    "10 MB block-style scalar": ("units:\n  - id: a\n    name: " + "x" * 10 * MiB + "\n", 160),
    "10 MB block-style scalar of colons": (
        "units:\n  - id: a\n    name: " + "a:" * 5 * MiB + "\n",
        160,
    ),
    "10 MB quoted scalar of escapes": ('units: [{id: a, name: "' + "\\t" * 5 * MiB + '"}]\n', 160),
    # an unknown key: "did you mean" once cost 50 times the key's size
    "10 MB key": ("? " + "k" * 10 * MiB + "\n: 1\n", 160),
    "a 10 MB JSON string": (json.dumps({"units": [{"id": "a", "name": "x" * 10 * MiB}]}), 160),
    "100k-element flow list": (
        "units: [" + ", ".join(f"{{id: u{i}}}" for i in range(100_000)) + "]\n",
        450,
    ),
    "20k unknown suppliers": (
        "units:\n" + "".join(f"  - id: u{i}\n    depends_on: [v{i}]\n" for i in range(20_000)),
        250,
    ),
    "100k duplicate keys": ("units:\n  - id: a\n    attributes:\n" + "      k: 1\n" * 100_000, 250),
    "100k anchors": (
        "units:\n  - id: a\n    attributes:\n"
        + "".join(f"      k{i}: &a{i} {i}\n" for i in range(100_000)),
        200,
    ),
}
JSON_BOMBS = {"a 10 MB JSON string", "5000 levels of JSON nesting"}

# The child's own peak: VmHWM belongs to the memory of the program exec'd; ru_maxrss on Linux
# keeps the peak of the process before exec, here a copy of the whole test run.
CHILD = """\
import resource, sys
from orggraph.cli import main
sys.argv = ["orggraph", "validate", sys.argv[1]]
try:
    main()
finally:
    try:
        with open("/proc/self/status") as status:
            peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    except (OSError, StopIteration):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print("PEAK", peak, file=sys.stderr)
"""


def test_an_empty_run_is_small() -> None:
    """The baseline the bombs are measured against: a Python child with orggraph loaded."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "/nonexistent.yaml"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert _peak_mib(done.stderr) < 200


def _peak_mib(stderr: str) -> float:
    return int(stderr.rsplit("PEAK", 1)[1].split()[0]) / 1024


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bombs_end_quickly_in_bounded_memory(name: str, tmp_path: Path) -> None:
    text, limit = BOMBS[name]
    path = tmp_path / ("bomb.json" if name in JSON_BOMBS else "bomb.yaml")
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode in (0, 2), done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    messages = [line for line in done.stderr.splitlines() if not line.startswith("PEAK")]
    assert all(len(line) < 500 for line in messages), "a message repeats too much of the file"
    assert _peak_mib(done.stderr) < limit, (name, _peak_mib(done.stderr), limit)
