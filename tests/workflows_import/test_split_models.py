"""Organizations split across files: folders, include:, errors in the right file, the guard."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orggraph.cli import app
from orggraph.errors import OrgValidationError, UsageError
from orggraph.model import load, load_sources, load_text

MAIN = """\
organization: {name: Split, period: week}
include: [teams, vendors.yaml]
customers:
  - id: shoppers
    weight: 5
    depends_on: [stores]
"""
IT = """\
units:
  - id: desk
    capacity: 10
    depends_on: [{supplier: cloud, volume: 4}]
"""
SHOP = """\
units:
  - id: stores
    depends_on: [desk]
"""
VENDORS = """\
vendors:
  - id: cloud
    lead_time: 1d
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write(
        tmp_path,
        {"main.yaml": MAIN, "teams/it.yaml": IT, "teams/shop.yaml": SHOP, "vendors.yaml": VENDORS},
    )


def problems_of(path: str | Path) -> list[str]:
    with pytest.raises(OrgValidationError) as info:
        load(path)
    return [p.render() for p in info.value.problems]


def test_include_merges_files_and_references_cross_them(split: Path) -> None:
    sources = load_sources("main.yaml")
    org = sources.org
    assert [u.id for u in org.units] == ["desk", "stores"]
    assert [c.id for c in org.customers] == ["shoppers"]
    assert [v.id for v in org.vendors] == ["cloud"]
    assert org.organization.name == "Split"
    assert org.include == []
    assert sources.files == tuple(
        Path(p) for p in ("main.yaml", "teams/it.yaml", "teams/shop.yaml", "vendors.yaml")
    )
    assert sources.folders == (Path("teams"),)


def test_a_folder_is_every_org_file_in_it_in_sorted_order(split: Path) -> None:
    (split / "main.yaml").write_text(MAIN.replace("include: [teams, vendors.yaml]\n", ""))
    (split / "notes.txt").write_text("not an org file")
    (split / ".hidden.yaml").write_text("broken: [")
    (split / "extra.json").write_text('{"vendors": [{"id": "bank"}]}')
    sources = load_sources(".")
    assert [str(p) for p in sources.files] == [
        "extra.json",
        "main.yaml",
        "teams/it.yaml",
        "teams/shop.yaml",
        "vendors.yaml",
    ]
    assert [v.id for v in sources.org.vendors] == ["bank", "cloud"]


def test_a_folder_with_includes_reads_each_file_once(split: Path) -> None:
    org = load(".")
    assert sorted(u.id for u in org.units) == ["desk", "stores"]


def test_the_same_org_from_one_file_and_from_a_folder(split: Path) -> None:
    whole = load_text(
        MAIN.replace("include: [teams, vendors.yaml]\n", "")
        + IT
        + SHOP.replace("units:\n", "")
        + VENDORS
    )
    assert load("main.yaml") == whole


def test_duplicate_ids_across_files_name_both_places(split: Path) -> None:
    (split / "teams" / "shop.yaml").write_text(SHOP + "  - id: desk\n")
    assert problems_of("main.yaml") == [
        "teams/shop.yaml:4:9: units[1](desk).id: duplicate id 'desk': already the id of "
        "units[0] (teams/it.yaml:2:9)\n"
        "    hint: ids must be unique across units, customers and vendors; rename one"
    ]


def test_errors_name_the_file_and_line_they_are_in(split: Path) -> None:
    (split / "teams" / "shop.yaml").write_text(SHOP.replace("[desk]", "[dsk]") + "    lead: 4h\n")
    assert problems_of(".") == [
        "teams/shop.yaml:3:18: units[0](stores).depends_on[0]: unknown supplier 'dsk'\n"
        "    hint: did you mean 'desk'?",
        "teams/shop.yaml:4:5: units[0](stores): unknown key 'lead' for a unit\n"
        "    hint: did you mean 'lead_time'?",
    ]


def test_broken_yaml_in_one_file_and_rule_errors_in_another(split: Path) -> None:
    (split / "vendors.yaml").write_text("vendors: [\n")
    rendered = problems_of("main.yaml")
    assert rendered[0].startswith("teams/it.yaml:4:29: units[0](desk).depends_on[0].supplier: ")
    assert "unknown supplier 'cloud'" in rendered[0]
    assert rendered[1].startswith("vendors.yaml:2:1: invalid YAML")


def test_include_cycle_is_a_located_error(split: Path) -> None:
    (split / "teams" / "it.yaml").write_text("include: [../main.yaml]\n" + IT)
    assert problems_of("main.yaml") == [
        "teams/it.yaml:1:11: include[0]: include cycle: main.yaml → teams/it.yaml → main.yaml\n"
        "    hint: a file must not include itself, directly or through others: "
        "remove one of these includes"
    ]


def test_a_file_including_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"org.yaml": "include: [./org.yaml]\nunits: [{id: a}]\n"})
    assert problems_of("org.yaml")[0].startswith(
        "org.yaml:1:11: include[0]: include cycle: org.yaml → org.yaml"
    )


def test_missing_absolute_and_outside_includes(split: Path) -> None:
    (split / "main.yaml").write_text(
        MAIN.replace("[teams, vendors.yaml]", "[teams, vendor.yaml, /etc/passwd, ../up.yaml, ' ']")
    )
    rendered = problems_of("main.yaml")
    assert rendered[:4] == [
        "main.yaml:2:18: include[1]: no such file or folder: vendor.yaml\n"
        "    hint: did you mean 'vendors.yaml'?",
        "main.yaml:2:31: include[2]: include paths are relative to the including file, "
        "but '/etc/passwd' is not\n    hint: write the path from this file's folder, "
        "e.g. teams/it.yaml",
        "main.yaml:2:44: include[3]: '../up.yaml' is outside this folder\n"
        "    hint: included files stay in the folder of the main file or below it; "
        "to combine folders, run orggraph on a folder that holds them all",
        "main.yaml:2:56: include[4]: the include path is empty\n    hint: name a file",
    ]
    # and the supplier only the missing file would have declared
    assert "unknown supplier 'cloud'" in rendered[4]


def test_organization_is_set_in_one_file_only(split: Path) -> None:
    (split / "vendors.yaml").write_text("organization: {name: Other}\n" + VENDORS)
    assert problems_of("main.yaml") == [
        "vendors.yaml:1:1: organization: organization is already set in main.yaml:1:1\n"
        "    hint: set organization: in one file only, usually the main one"
    ]


def test_include_entries_are_checked_by_the_schema(split: Path) -> None:
    (split / "main.yaml").write_text(MAIN.replace("[teams, vendors.yaml]", "teams"))
    rendered = problems_of("main.yaml")
    assert rendered[0].startswith("main.yaml:2:10: include: expected a list")


def test_text_cannot_include(tmp_path: Path) -> None:
    with pytest.raises(OrgValidationError) as info:
        load_text("include: [a.yaml]\nunits: [{id: a}]\n", "t.yaml")
    assert (
        info.value.problems[0]
        .render()
        .startswith("t.yaml:1:1: include: text read without a file cannot include other files")
    )


def test_an_empty_file_in_a_folder_is_an_error(split: Path) -> None:
    (split / "teams" / "empty.yml").write_text("# nothing yet\n")
    assert problems_of(".")[0].startswith("teams/empty.yml:1:1: the file is empty")


def test_an_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no org files"):
        load(tmp_path)
    write(tmp_path, {"org.yaml": "include: [sub]\nunits: [{id: a}]\n"})
    (tmp_path / "sub").mkdir()
    with pytest.raises(OrgValidationError, match="include\\[0\\]: no org files"):
        load(tmp_path / "org.yaml")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside", {"secret.yaml": "units: [{id: s}]\n"})
    inside = write(tmp_path / "org", {"a.yaml": "units: [{id: a}]\n"})
    (inside / "b.yaml").symlink_to(outside / "secret.yaml")
    with pytest.raises(OrgValidationError, match=r"links to .* outside the folder"):
        load(inside)


# -- the command line ---------------------------------------------------------------------------

runner = CliRunner()


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "."],
        ["analyze", "."],
        ["analyze", "main.yaml", "-f", "json"],
        ["impact", ".", "desk"],
        ["export", ".", "-f", "mermaid"],
        ["view", ".", "-o", "-"],
    ],
)
def test_every_command_reads_a_folder(split: Path, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout


def test_plot_reads_a_folder(split: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["plot", "teams/..", "-o", str(tmp_path.parent / "fig.svg")])
    assert result.exit_code == 0, result.output
    assert (tmp_path.parent / "fig.svg").read_bytes().startswith(b"<?xml")


def test_view_names_its_default_output_after_the_folder(split: Path) -> None:
    result = runner.invoke(app, ["view", "."])
    assert result.exit_code == 0, result.output
    assert (split / f"{split.name}.html").is_file()


@pytest.mark.parametrize("target", ["teams/shop.yaml", "vendors.yaml", "main.yaml"])
def test_output_never_overwrites_a_merged_input(split: Path, target: str) -> None:
    before = (split / target).read_bytes()
    result = runner.invoke(app, ["analyze", "main.yaml", "-o", target])
    assert result.exit_code == 2
    assert result.stderr == f"error: refusing to overwrite the input file {target}\n"
    assert (split / target).read_bytes() == before


def test_output_is_not_written_into_an_input_folder_as_an_org_file(split: Path) -> None:
    result = runner.invoke(app, ["export", ".", "-o", "teams/graph.json"])
    assert result.exit_code == 2
    assert "refusing to write teams/graph.json inside the input folder" in result.stderr
    assert not (split / "teams" / "graph.json").exists()
    # other kinds of output may go there
    result = runner.invoke(app, ["export", ".", "-o", "teams/graph.mmd"])
    assert result.exit_code == 0, result.output


# -- scenarios (SPEC §7) in a split model ---------------------------------------------------------

SCENARIOS_MAIN = """\
scenarios:
  - id: cloud-down
    name: Cloud down
    fail: [cloud]
"""
SCENARIOS_IT = """\
scenarios:
  - id: site-lost
    where: {site: Dublin, tags: it}
"""


def _with_scenarios(split: Path) -> None:
    (split / "main.yaml").write_text(MAIN + SCENARIOS_MAIN, encoding="utf-8")
    it = IT.replace(
        "  - id: desk\n", "  - id: desk\n    tags: [it]\n    attributes: {site: Dublin}\n"
    )
    (split / "teams" / "it.yaml").write_text(it + SCENARIOS_IT, encoding="utf-8")


@pytest.mark.parametrize("target", ["main.yaml", "."])
def test_scenarios_merge_across_files_in_file_order(split: Path, target: str) -> None:
    _with_scenarios(split)
    org = load(target)
    # main.yaml is read before teams/it.yaml, by include and in a folder alike
    assert [x.id for x in org.scenarios] == ["cloud-down", "site-lost"]
    from orggraph import analyze, build_graph

    report = analyze(build_graph(org))
    # cloud-down: cloud fails, desk needs it, stores need desk, shoppers need stores (5)
    # site-lost: desk (site Dublin, tag it) fails, stores and shoppers with it
    assert [(x.id, x.failed, x.impacted_units, x.impacted_customers) for x in report.scenarios] == [
        ("cloud-down", ("cloud",), ("desk", "stores"), ("shoppers",)),
        ("site-lost", ("desk",), ("stores",), ("shoppers",)),
    ]


def test_a_scenario_id_in_two_files_names_both(split: Path) -> None:
    _with_scenarios(split)
    (split / "vendors.yaml").write_text(VENDORS + SCENARIOS_MAIN, encoding="utf-8")
    assert problems_of("main.yaml") == [
        "vendors.yaml:5:9: scenarios[0].id: duplicate scenario id 'cloud-down': already the id"
        " of scenarios[0] (main.yaml:8:9)\n"
        "    hint: scenario ids must be unique among scenarios; rename one"
    ]


def test_a_scenario_may_name_a_party_of_another_file_and_a_typo_is_located(split: Path) -> None:
    _with_scenarios(split)
    (split / "vendors.yaml").write_text(
        VENDORS + "scenarios:\n  - id: desk-down\n    fail: [dsek]\n", encoding="utf-8"
    )
    (found,) = problems_of("main.yaml")
    assert found == (
        "vendors.yaml:6:12: scenarios[0].fail[0]: unknown party 'dsek' in fail\n"
        "    hint: did you mean 'desk'?"
    )


def test_split_scenarios_read_the_same_with_and_without_the_fast_reader(
    split: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orggraph.model import fastyaml, sources

    _with_scenarios(split)
    calls: list[bool] = []

    def spy(text: str) -> object:
        data = fastyaml.read_simple_yaml(text)
        calls.append(data is not fastyaml.DECLINED)
        return data

    monkeypatch.setattr(sources, "read_simple_yaml", spy)
    fast = runner.invoke(app, ["analyze", "main.yaml", "--format", "json"])
    assert fast.exit_code == 0, fast.output
    assert calls and all(calls), "the fast reader did not read every file"
    monkeypatch.setattr(sources, "read_simple_yaml", lambda text: fastyaml.DECLINED)
    slow = runner.invoke(app, ["analyze", "main.yaml", "--format", "json"])
    assert slow.exit_code == 0, slow.output
    assert fast.stdout == slow.stdout
    assert '"id": "site-lost"' in fast.stdout
