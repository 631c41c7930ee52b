"""The loader: the repository's examples, load_dict, positions, the fast and the slow path,
lead times, and random damage to a valid file never escaping as anything but a located error."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orggraph.errors import OrgValidationError, UsageError
from orggraph.model import Org, load, load_dict, load_text, sources
from orggraph.model.durations import DurationError, format_hours, parse_duration
from orggraph.model.fastyaml import DECLINED
from orggraph.model.messages import org_problems
from orggraph.model.yamlsource import ALIAS_BUDGET, parse_yaml

# ``orggraph.model.load`` as an attribute is the function the package re-exports; the module
# that holds the reader it calls is only reachable by its import name.
load_module = importlib.import_module("orggraph.model.load")

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent / "example-files"
EXAMPLES = sorted([*ROOT.glob("examples/*.yaml"), *ROOT.glob("examples/*.json")])

ORG = """\
version: 1
organization:
  name: Acme Retail
  period: week
units:
  - id: it
    kind: department
  - id: desk-eu
    name: Service Desk EU
    parent: it
    capacity: 120
    lead_time: 4h
    quality: 0.92
    tags: [support]
    attributes: {site: Dublin}
    depends_on:
      - vendor-itsm
      - supplier: payroll
        service: monthly pay run
        volume: 4
        required: false
  - id: desk-us
    parent: it
  - id: payroll
  - id: stores
    depends_on:
      - any_of: [desk-eu, desk-us]
        service: IT support
        volume: 60
customers:
  - id: shoppers
    weight: 10
    depends_on: [stores]
vendors:
  - id: vendor-itsm
    lead_time: 1d
"""


def problems_of(text: str, filename: str = "org.yaml") -> list[Any]:
    with pytest.raises(OrgValidationError) as info:
        load_text(text, filename)
    return list(info.value.problems)


# --------------------------------------------------------------------------------------------
# The repository's examples (written elsewhere; picked up as they appear)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_loads(path: Path) -> None:
    org = load(path)
    assert isinstance(org, Org)


def test_the_module_org_is_valid() -> None:
    org = load_text(ORG, "org.yaml")
    assert [u.id for u in org.units] == ["it", "desk-eu", "desk-us", "payroll", "stores"]


# --------------------------------------------------------------------------------------------
# load_dict: problems name their place in the data and have no line and column


def test_load_dict_problems_have_where_paths_and_no_location() -> None:
    data = {
        "version": 2,
        "units": [
            {"id": "desk", "capacty": 10},
            {"id": "stores", "depends_on": ["dsk", {"supplier": "desk", "volume": -1}]},
        ],
        "customers": [{"id": "shoppers", "weight": 0}],
    }
    with pytest.raises(OrgValidationError) as info:
        load_dict(data)
    assert all(p.location is None for p in info.value.problems)
    assert info.value.render() == (
        "customers[0](shoppers).weight: weight must be > 0, got 0\n"
        "units[0](desk): unknown key 'capacty' for a unit\n"
        "    hint: did you mean 'capacity'?\n"
        "units[1](stores).depends_on[0]: unknown supplier 'dsk'\n"
        "    hint: did you mean 'desk'?\n"
        "units[1](stores).depends_on[1].volume: volume must be >= 0, got -1\n"
        "version: unsupported version 2: this orggraph reads version 1\n"
        "    hint: write version: 1, or remove the key\n"
        "5 errors found"
    )


def test_load_dict_sorts_list_indexes_as_numbers() -> None:
    units: list[dict[str, Any]] = [{"id": f"u{i}"} for i in range(12)]
    units[10]["capacity"] = 0
    units[2]["capacity"] = 0
    with pytest.raises(OrgValidationError) as info:
        load_dict({"units": units})
    assert [p.where for p in info.value.problems] == [
        "units[2](u2).capacity",
        "units[10](u10).capacity",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "no data (None)"),
        ([{"id": "a"}], "the top level must be a mapping of keys such as 'units:', not a list"),
        ("units", "the top level must be a mapping of keys such as 'units:', not the text 'units'"),
    ],
)
def test_load_dict_refuses_what_is_not_a_mapping(data: Any, message: str) -> None:
    with pytest.raises(OrgValidationError) as info:
        load_dict(data)
    (problem,) = info.value.problems
    assert (problem.location, problem.where, problem.message) == (None, "", message)


def test_load_dict_accepts_what_the_yaml_reader_builds() -> None:
    data, _, _ = parse_yaml(ORG, "org.yaml", track=False)
    assert load_dict(data) == load_text(ORG)


# --------------------------------------------------------------------------------------------
# Positions: 1-based; at the key for an unknown key, at the value otherwise


@pytest.mark.parametrize(
    ("text", "line", "col", "there"),
    [
        ("unit: []\n", 1, 1, "unit:"),
        ("units:\n  - id: a\n    colour: blue\n", 3, 5, "colour: blue"),
        ("units: [{id: a, colour: blue}]\n", 1, 17, "colour: blue"),
        ("organization:\n  nmae: Acme\n", 2, 3, "nmae"),
        ("units:\n  - id: a\n    capacity: 0\n", 3, 15, "0"),
        ("units:\r\n  - id: a\r\n    capacity: 0\r\n", 3, 15, "0"),
        ("units: [{id: a, capacity: -1}]\n", 1, 27, "-1"),
        ("units:\n  - id: a\n    depends_on: [a]\n", 3, 18, "a]"),
        ("units:\n  - id: a\n    depends_on:\n      - supplier: b\n", 4, 19, "b"),
        ("units:\n  - id: a\n    name: x\n    name: y\n", 4, 5, "name: y"),
        ("units:\n  - name: x\n", 2, 5, "name: x"),  # a missing key: at its mapping
        ("vendors:\n  - id: v\n    depends_on: []\n", 3, 5, "depends_on"),
        ("units:\n  - id: no\n", 2, 9, "no"),
        ("units:\n  - id: a\n    tags: [x, on]\n", 3, 15, "on]"),
        ("units:\n  - id: a\n    parent: a\n", 3, 13, "a"),
    ],
)
def test_a_problem_points_at_what_it_is_about(text: str, line: int, col: int, there: str) -> None:
    (problem,) = problems_of(text)
    assert problem.location is not None
    assert (problem.location.file, problem.location.line, problem.location.col) == (
        "org.yaml",
        line,
        col,
    )
    assert text.splitlines()[line - 1][col - 1 :].startswith(there)


def test_positions_are_counted_in_characters_not_bytes() -> None:
    line = "  - {id: a, name: Café Zoë, capacity: 0}"
    (problem,) = problems_of(f"units:\n{line}\n")
    assert problem.location is not None
    assert (problem.location.line, problem.location.col) == (2, line.index("0}") + 1) == (2, 39)


def test_the_version_accepts_only_the_integer_1() -> None:
    assert load_dict({"version": 1}).version == 1
    for version in (True, 1.0, "1", None, 2):
        with pytest.raises(OrgValidationError):
            load_dict({"version": version})
    assert Org.model_json_schema()["properties"]["version"]["const"] == 1


def test_a_duplicate_id_names_both_places() -> None:
    (problem,) = problems_of("units:\n  - id: a\nvendors:\n  - id: a\n")
    assert problem.render() == (
        "org.yaml:4:9: vendors[0](a).id: duplicate id 'a': already the id of units[0] (line 2)\n"
        "    hint: ids must be unique across units, customers and vendors; rename one"
    )


def test_a_non_utf8_file_written_by_the_test(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_bytes("units:\n  - id: a\n    name: Zoë\n".encode("utf-16"))
    with pytest.raises(OrgValidationError) as info:
        load(path)
    assert info.value.render() == (
        f"{path}:1:1: the file is not UTF-8 text (byte 0xff)\n"
        "    hint: save it as UTF-8\n"
        "1 error found"
    )


def test_a_file_that_cannot_be_read_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="No such file"):
        load(tmp_path / "missing.yaml")
    with pytest.raises(UsageError, match="no org files"):
        load(tmp_path)


# --------------------------------------------------------------------------------------------
# The fast path (no positions) and the slow path (positions) agree


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record each YAML read the loader makes: False for a fast one (the line reader, or
    parse_yaml without positions when the line reader declines), True for the slow one."""
    calls: list[bool] = []
    real = parse_yaml
    real_fast = sources.read_simple_yaml

    def spy(text: str, filename: str, *, track: bool, **kwargs: Any) -> Any:
        calls.append(track)
        return real(text, filename, track=track, **kwargs)

    def fast_spy(text: str) -> Any:
        data = real_fast(text)
        if data is not DECLINED:
            calls.append(False)
        return data

    # the fast reads go through sources.yaml_data, the slow one is the loader's own
    monkeypatch.setattr(sources, "parse_yaml", spy)
    monkeypatch.setattr(load_module, "parse_yaml", spy)
    monkeypatch.setattr(sources, "read_simple_yaml", fast_spy)
    return calls


VALID_FILES = sorted((HERE / "valid").iterdir())


@pytest.mark.parametrize("path", VALID_FILES, ids=lambda p: p.name)
def test_a_valid_file_never_reaches_the_slow_path(path: Path, reads: list[bool]) -> None:
    load(path)
    assert reads == ([] if path.suffix == ".json" else [False])


def test_an_invalid_file_is_read_twice(reads: list[bool]) -> None:
    problems_of("units:\n  - id: a\n    capacity: 0\n")
    assert reads == [False, True]


def test_an_invalid_json_file_is_located_by_the_yaml_reader(reads: list[bool]) -> None:
    problems_of('{"units": [{"id": "a", "capacity": 0}]}', "org.json")
    assert reads == [True]


@pytest.mark.parametrize("path", VALID_FILES, ids=lambda p: p.name)
def test_both_reads_of_a_valid_file_build_the_same_data(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    is_json = path.suffix == ".json"
    fast = json.loads(text) if is_json else parse_yaml(text, path.name, track=False)[0]
    slow, smap, problems = parse_yaml(text, path.name, track=True, json_numbers=is_json)
    assert slow == fast
    assert problems == []
    assert smap is not None
    assert not smap.refused
    # the slow path's own checks find nothing either
    assert org_problems(slow, smap, path.name) == []


def test_json_numbers_are_read_alike_on_the_slow_path() -> None:
    text = '{"units": [{"id": "a", "capacity": 1e3, "quality": 5E-1, "colour": "x"}]}'
    (problem,) = problems_of(text, "org.json")
    assert problem.message == "unknown key 'colour' for a unit"


def test_merge_keys_and_anchors_share_fields() -> None:
    org = load(HERE / "valid" / "anchors-and-merge-keys.yaml")
    eu, us, stores = org.units
    assert (us.kind, us.lead_time, us.tags, us.capacity) == (eu.kind, 4.0, eu.tags, 60.0)
    assert us.attributes == {"site": "Austin", "floor": 2}
    assert stores.tags == ["support", "first-line"]


def test_quoted_number_like_ids_stay_text() -> None:
    org = load(HERE / "valid" / "quoted-ids.yaml")
    assert [u.id for u in org.units] == ["0700", "1", "no", "2024-01-01"]
    assert org.units[3].depends_on == ["0700", "1", "no"]


def test_dates_in_attributes_become_iso_text() -> None:
    org = load(HERE / "valid" / "free-form-attributes.yaml")
    assert org.units[0].attributes["opened"] == "2019-05-01"


def test_an_alias_bomb_is_refused_before_it_expands() -> None:
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 12)]
    (problem,) = problems_of("\n".join(levels) + "\n")
    assert problem.message == f"aliases expand to more than {ALIAS_BUDGET:,} values"


# --------------------------------------------------------------------------------------------
# Lead times


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("30m", 0.5),
        ("4h", 4.0),
        ("1.5d", 36.0),
        ("2w", 336.0),
        (".5h", 0.5),
        (" 3 h ", 3.0),
        ("0h", 0.0),
        ("P2D", 48.0),
        ("PT6H", 6.0),
        ("P1DT12H", 36.0),
        ("PT1H30M", 1.5),
        ("PT1M", 1 / 60),  # M after T is minutes
        ("PT90S", 0.025),
        ("P1W", 168.0),
        ("p1dt1h", 25.0),
        ("P0.5D", 12.0),
    ],
)
def test_parse_duration(text: str, hours: float) -> None:
    assert parse_duration(text) == pytest.approx(hours)


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("4", "lead time '4' has no unit", "add a unit, e.g. 4h or 4d"),
        ("P2M", "lead time 'P2M' uses years or months, which have no fixed length", None),
        ("P1Y", "lead time 'P1Y' uses years or months, which have no fixed length", None),
        (
            "P1Y2M3DT4H",
            "lead time 'P1Y2M3DT4H' uses years or months, which have no fixed length",
            None,
        ),
        ("soon", "cannot read lead time 'soon'", None),
        ("4 hours", "cannot read lead time '4 hours'", None),
        ("-4h", "cannot read lead time '-4h'", None),
        ("P", "cannot read lead time 'P'", None),
        ("PT", "cannot read lead time 'PT'", None),
        ("4x", "cannot read lead time '4x'", None),
        ("", "cannot read lead time ''", None),
        ("9" * 400 + "h", "lead time '" + "9" * 400 + "h' is too large", "use a smaller number"),
    ],
)
def test_parse_duration_refuses(text: str, message: str, hint: str | None) -> None:
    with pytest.raises(DurationError) as info:
        parse_duration(text)
    assert info.value.message == message
    if hint is not None:
        assert info.value.hint == hint


def test_years_and_months_get_advice_in_days() -> None:
    with pytest.raises(DurationError) as info:
        parse_duration("P2M")
    assert info.value.hint == "write it in days or weeks, e.g. P30D or 4w"


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        (0, "0h"),
        (0.25, "15m"),
        (0.75, "45m"),
        (0.9999, "1h"),
        (1, "1h"),
        (4.5, "4h 30m"),
        (77 + 10 / 60, "3d 5h 10m"),
        (48 + 5 / 60, "2d 5m"),
        (1e300, "4.16667e+298d"),
        (23.999, "1d"),
        (24, "1d"),
        (30, "1d 6h"),
        (47.999, "2d"),
        (54, "2d 6h"),
        (168, "1w"),
        (504, "3w"),
        (192, "8d"),
    ],
)
def test_format_hours(hours: float, text: str) -> None:
    assert format_hours(hours) == text


@given(st.integers(min_value=1, max_value=10_000), st.sampled_from("mhdw"))
def test_a_simple_lead_time_round_trips(amount: int, unit: str) -> None:
    hours = parse_duration(f"{amount}{unit}")
    assert hours == pytest.approx(amount * {"m": 1 / 60, "h": 1, "d": 24, "w": 168}[unit])
    assert parse_duration(f"PT{hours}H") == pytest.approx(hours)


# --------------------------------------------------------------------------------------------
# Random damage to a valid file: it loads, or every problem is located inside the file

ORG_JSON = json.dumps(load_text(ORG).model_dump(mode="json", exclude_defaults=True), indent=2)
YAML_NOISE = [*":-[]{}&*!|>'\"#%@`,?~<=\t\r\n ", "\x00", "\x85", "\u2028", "\ufeff", "é"]


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, str]:
    filename, text = draw(st.sampled_from([("org.yaml", ORG), ("org.json", ORG_JSON)]))
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate"]))
        if action == "delete" and text:
            at = draw(st.integers(0, len(text) - 1))
            text = text[:at] + text[at + 1 :]
        elif action == "duplicate":
            at = draw(st.integers(0, len(lines) - 1))
            lines.insert(at, lines[at])
            text = "\n".join(lines)
        elif action == "swap":
            a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
        elif action == "insert":
            at = draw(st.integers(0, len(text)))
            noise = draw(st.one_of(st.sampled_from(YAML_NOISE), st.text(min_size=1, max_size=3)))
            text = text[:at] + noise + text[at:]
        else:
            text = text[: draw(st.integers(0, len(text)))]
    return filename, text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damage_loads_or_is_reported_inside_the_file(case: tuple[str, str]) -> None:
    filename, text = case
    try:
        load_text(text, filename)
    except OrgValidationError as exc:
        assert exc.problems
        last_line = len(text.splitlines()) + 1
        for problem in exc.problems:
            assert problem.location is not None, problem.render()
            assert problem.location.file == filename
            assert 1 <= problem.location.line <= last_line, problem.render()
            assert problem.location.col >= 1
            assert "Input should" not in problem.message
            assert problem.message != "the file could not be validated"
            # one line per problem, plus at most one hint line
            assert len(problem.render().split("\n")) <= 2, problem.render()
