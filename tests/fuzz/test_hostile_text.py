"""The classes of issue 12's items 1-7, not only their instances: any text is inert in markdown
on GitHub and in a Mermaid label and reads as written; any line-break character stays in its
CSV cell; any figure or policy number is read or refused with a located message, and JSON
output is always strict JSON. ``ORGGRAPH_FUZZ=long`` runs twenty times more examples."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from hostile._payloads import BIDI_CONTROLS, LINK_TAGS, MARKDOWN, MERMAID, gfm_html, html_text
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from orggraph.cli import app
from orggraph.render.export import mermaid_label
from orggraph.render.markdown import md_escape

from ._fuzz import examples, time_budget

# pieces other programs read as syntax, and single characters to cut and join them
PIECES = [*MARKDOWN, *MERMAID, "@", ":", "//", ".", "www", "http", "%%", "{", "}", "$", "\\", " "]
hostile_text = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.sampled_from(BIDI_CONTROLS),
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    ),
    max_size=12,
).map("".join)


def _shown(text: str) -> str:
    """What the outputs show for ``text``: runs of whitespace as one space, bidi controls as
    escapes."""
    for ch in BIDI_CONTROLS:
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return text


@examples(1.0)
@given(hostile_text)
def test_any_text_is_inert_markdown_that_reads_as_written(text: str) -> None:
    rendered = gfm_html(f"| x |\n|---|\n| {md_escape(text)} |\n")
    assert not LINK_TAGS.search(rendered), rendered
    assert "raw HTML" not in rendered
    cell = re.search(r"<td>(.*)</td>", rendered, re.DOTALL)
    expected = " ".join(_shown(text).split())
    if cell is None:  # an empty or blank cell
        assert expected == ""
    else:
        assert " ".join(html_text(cell[1]).split()) == expected


_ENTITY = re.compile(r"#(\d+|[a-z]+);")
_NAMED = {"quot": '"', "lt": "<", "gt": ">", "amp": "&"}


@examples(1.0)
@given(hostile_text)
def test_any_text_is_an_inert_mermaid_label_that_reads_as_written(text: str) -> None:
    label = mermaid_label(text, limit=10_000)
    assert not set(label) & set('%{}"`|<>\\\n\r'), label
    decoded = _ENTITY.sub(lambda m: chr(int(m[1])) if m[1].isdigit() else _NAMED[m[1]], label)
    assert decoded == " ".join(text.split())


LINE_BREAKS = ["\u2028", "\u2029", "\x0c", "\x0b", "\x85", "\x1c", "\x1d", "\x1e"]


@examples(0.3)
@given(
    st.lists(
        st.text(st.sampled_from(["a", "b", *LINE_BREAKS]), min_size=1, max_size=5),
        min_size=1,
        max_size=4,
    )
)
def test_a_csv_cell_keeps_any_line_break_character(services: list[str]) -> None:
    rows = "".join(f"shop,desk{i},{s}\n" for i, s in enumerate(services))
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "edges.csv"
        source.write_text("consumer,supplier,service\n" + rows, encoding="utf-8")
        out = Path(folder) / "org.yaml"
        result = CliRunner().invoke(app, ["import", str(source), "-o", str(out)])
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
    assert text.count("  - id: desk") == len(services)


def _refuse_constant(word: str) -> float:
    raise AssertionError(f"{word} in JSON output")


figures = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e15, 1.0000000000000002e15, 1e-6, 9.9e-7, 5e-324, 1.7976931348623157e308]),
)


@examples(0.3)
@given(figures, figures, figures)
def test_any_figure_is_read_or_refused_and_json_stays_strict(
    weight: float, volume: float, capacity: float
) -> None:
    org = (
        f"units:\n  - id: a\n    capacity: {capacity!r}\n"
        f"  - id: b\n    depends_on: [{{supplier: a, volume: {volume!r}}}]\n"
        f"customers:\n  - id: c1\n    weight: {weight!r}\n    depends_on: [a, b]\n"
        f"  - id: c2\n    weight: {weight!r}\n    depends_on: [a]\n"
    )
    org = re.sub(r"(\d)e([+-])", r"\1.0e\2", org.replace(".0e", "e"))  # YAML 1.1 floats
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "org.yaml"
        path.write_text(org, encoding="utf-8")
        for args in (
            ["analyze", str(path), "-f", "json"],
            ["impact", str(path), "a", "-f", "json"],
            ["analyze", str(path)],
            ["check", str(path), "--max-impact-weight", "0"],
        ):
            with time_budget(30):
                result = CliRunner().invoke(app, args)
            assert result.exit_code in ((0, 1, 2) if args[0] == "check" else (0, 2)), (
                args,
                result.output,
                result.exception,
            )
            assert result.exception is None or isinstance(result.exception, SystemExit)
            if result.exit_code == 2:
                assert re.search(r"org\.yaml:\d+:\d+: ", result.stderr), result.stderr
            elif "-f" in args:
                json.loads(result.stdout, parse_constant=_refuse_constant)


policy_numbers = st.one_of(
    st.integers(min_value=-(10**500), max_value=10**500).map(str),
    st.floats().map(
        lambda f: {"nan": ".nan", "inf": ".inf", "-inf": "-.inf"}.get(repr(f), repr(f))
    ),
    st.sampled_from(["0", "0.0", "-0.0", "1e3", "1.0e+400", "0x10"]),
)


@examples(0.3)
@given(st.sampled_from(["max_utilization", "max_impact_weight"]), policy_numbers)
def test_any_policy_number_is_a_rule_or_a_located_error(rule: str, number: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        org = Path(folder) / "org.yaml"
        org.write_text(
            "units: [{id: a}]\ncustomers: [{id: c, depends_on: [a]}]\n", encoding="utf-8"
        )
        policy = Path(folder) / "policy.yaml"
        policy.write_text(f"{rule}: {number}\n", encoding="utf-8")
        result = CliRunner().invoke(app, ["check", str(org), "--policy", str(policy)])
    assert result.exit_code in (0, 1, 2), (result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "no rules to check" not in result.output
    if result.exit_code == 2:
        assert re.search(r"policy\.yaml:1:\d+: ", result.output), result.output
