"""The one writer of organization files: what it writes reads back as what it was given, under
YAML 1.1 safe loading and under orggraph's own loader, in both layouts."""

from __future__ import annotations

import doctest
import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import orggraph.model.dump
import orggraph.workflows.edgelist
from orggraph.generate import generate_org
from orggraph.model import load, load_dict, load_text
from orggraph.model.dump import (
    COMPACT,
    READABLE,
    Layout,
    dump_org,
    iter_yaml,
    write_org,
    yaml_float,
    yaml_text,
)
from orggraph.model.schema import MAX_FIGURE, MIN_CAPACITY

LAYOUTS = [COMPACT, READABLE]


def _yaml(data: dict[str, Any], layout: Layout) -> str:
    return "".join(iter_yaml(data, layout=layout))


def _safe_load(text: str) -> Any:
    return yaml.load(text, Loader=yaml.SafeLoader)


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_same_seed_same_bytes(tmp_path: Path, suffix: str) -> None:
    a = write_org(generate_org(2000, seed=5), tmp_path / f"a{suffix}")
    b = write_org(generate_org(2000, seed=5), tmp_path / f"b{suffix}")
    c = write_org(generate_org(2000, seed=6), tmp_path / f"c{suffix}")
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_written_files_read_back_as_the_same_data(tmp_path: Path, suffix: str) -> None:
    data = generate_org(1500, seed=8)
    path = write_org(data, tmp_path / f"org{suffix}")
    text = path.read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    parsed = json.loads(text) if suffix == ".json" else yaml.load(text, Loader=loader)
    assert parsed == data
    assert load(path) == load_dict(data)


def test_write_org_needs_a_known_suffix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.yaml, \.yml or \.json"):
        write_org(generate_org(10), tmp_path / "org.txt")
    assert write_org(generate_org(10), tmp_path / "org.txt", format="json").exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "org.txt"]  # no temporary file left behind
    with pytest.raises(ValueError, match="unknown format"):
        dump_org(generate_org(10), "toml")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "no", "Yes", "ON", "null", "~", "y", "0700", "1e5", "1.5e3", "2024-01-01", "12:30",
        "0x1F", ".inf", "-", "- a", "a: b", "a #b", "#x", "<<", "=", "", " ", "a ", "'q'",
        '"dq"', "tab\there", "line\nbreak", "nul\x00", "del\x7f", "nel\x85", "ls\u2028",
        "bom\ufeff", "é中😀", "back\\slash", "[a]", "{a: 1}", "*ref", "&anchor", "!tag", "%d",
        "@at", "`tick", "|", ">", "?", "a,b",
    ],
)  # fmt: skip
def test_yaml_text_reads_back_as_the_same_text(text: str) -> None:
    doc = {"units": [{"id": "a", "name": text, "attributes": {text: [text, {"k": text}]}}]}
    written = "".join(iter_yaml(doc))
    assert yaml.load(written, Loader=yaml.SafeLoader) == doc


@pytest.mark.parametrize(
    "number", [0.1, 1e-05, 1e16, 1.5e300, -2.5e-7, 3.0, -0.0, 7, -3, True, False, None]
)
def test_yaml_numbers_read_back_with_their_type(number: float | None) -> None:
    written = "".join(iter_yaml({"v": number}))
    value = yaml.load(written, Loader=yaml.SafeLoader)["v"]
    assert value == number
    assert type(value) is type(number)


def _in_every_place(text: str) -> dict[str, Any]:
    """An org holding ``text`` as a block value, a flow value, a flow key and a dependency's
    field (block or flow, by layout)."""
    return {
        "units": [
            {
                "id": "a",
                "name": text,
                "attributes": {text: [text, {"k": text}]},
                "depends_on": ["b", {"supplier": "c", "service": text}],
            }
        ]
    }


@pytest.mark.parametrize("layout", LAYOUTS)
@given(text=st.text())
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_reads_back_as_the_same_text(layout: Layout, text: str) -> None:
    doc = _in_every_place(text)
    assert _safe_load(_yaml(doc, layout)) == doc


# Text built from the characters the plain rule looks at, so that the near misses (0700, 1.5d,
# .inf, a trailing space, no, 1_0, 2024-01-01) come up often rather than by luck.
_TRICKY = st.text(alphabet="0123456789._-:#, ()'&@+/eExXoObBnNyYaAtTlL\t ~=<", max_size=12)


@pytest.mark.parametrize("layout", LAYOUTS)
@given(text=_TRICKY)
@settings(max_examples=1500)
def test_near_miss_text_reads_back_as_the_same_text(layout: Layout, text: str) -> None:
    doc = _in_every_place(text)
    assert _safe_load(_yaml(doc, layout)) == doc


@given(text=st.one_of(st.text(), _TRICKY), flow=st.booleans())
@settings(max_examples=400)
def test_plain_only_when_it_reads_back(text: str, flow: bool) -> None:
    written = yaml_text(text, flow=flow)
    if written == text:  # plain: printable ASCII, no space at either end
        assert text.isascii() and text.isprintable() and text == text.strip()
    else:
        assert written.startswith('"') and written.endswith('"')
    doc = f"v: [{written}, x]" if flow else f"v: {written}"
    assert _safe_load(doc) == {"v": [text, "x"] if flow else text}


@pytest.mark.parametrize("layout", LAYOUTS)
@given(text=st.one_of(st.text(), _TRICKY))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_orggraph_reads_any_text_back(layout: Layout, text: str) -> None:
    data = {
        "version": 1,
        "units": [{"id": "a", "name": text, "depends_on": [{"supplier": "b", "service": text}]}],
        "vendors": [{"id": "b", "name": text}],
    }
    org = load_text(_yaml(data, layout), "org.yaml")
    assert org.units[0].name == text
    assert org.vendors[0].name == text
    assert org == load_dict(data)


_NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.none(),
)


@pytest.mark.parametrize("layout", LAYOUTS)
@given(number=_NUMBERS)
@settings(max_examples=500)
def test_any_number_reads_back_equal(layout: Layout, number: float | None) -> None:
    value = _safe_load(_yaml({"v": number, "w": [number]}, layout))
    for got in (value["v"], value["w"][0]):
        if isinstance(number, float) and math.isnan(number):
            assert isinstance(got, float) and math.isnan(got)
        else:
            assert got == number
            assert type(got) is type(number) or (layout.whole_floats and type(got) is int)


@given(
    quality=st.floats(min_value=0, max_value=1),
    capacity=st.floats(min_value=MIN_CAPACITY, max_value=MAX_FIGURE),
)
@settings(max_examples=300)
def test_orggraph_reads_any_number_back(quality: float, capacity: float) -> None:
    data = {"version": 1, "units": [{"id": "a", "quality": quality, "capacity": capacity}]}
    for layout in LAYOUTS:
        assert load_text(_yaml(data, layout), "org.yaml") == load_dict(data)


@given(units=st.integers(min_value=10, max_value=400), seed=st.integers(0, 2**32))
@settings(max_examples=15, deadline=None)
def test_generated_orgs_load_to_the_same_model(units: int, seed: int) -> None:
    data = generate_org(units, seed=seed)
    model = load_dict(data)
    assert load_text(dump_org(data), "org.yaml") == model
    assert load_text(dump_org(data, "json"), "org.json") == model
    assert load_text(_yaml(data, READABLE), "org.yaml") == model


def test_the_two_layouts() -> None:
    data = {
        "version": 1,
        "units": [
            {"id": "a", "capacity": 60.0, "depends_on": ["b", {"supplier": "c", "volume": 2.0}]}
        ],
        "vendors": [],
    }
    assert _yaml(data, COMPACT) == (
        "version: 1\nunits:\n- id: a\n  capacity: 60.0\n  depends_on:\n  - b\n"
        "  - {supplier: c, volume: 2.0}\nvendors: []\n"
    )
    assert _yaml(data, READABLE) == (
        "version: 1\n\nunits:\n  - id: a\n    capacity: 60\n    depends_on:\n      - b\n"
        "      - supplier: c\n        volume: 2\n\nvendors: []\n"
    )


def test_floats_yaml_11_reads_as_text_get_a_dot() -> None:
    assert [yaml_float(v) for v in (1e-05, 1e16, 1e300)] == ["1.0e-05", "1.0e+16", "1.0e+300"]
    assert yaml_float(1e16, whole=True) == "1.0e+16"  # too big to be written as an integer


@pytest.mark.parametrize("module", [orggraph.model.dump, orggraph.workflows.edgelist])
def test_docstring_examples(module: Any) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
