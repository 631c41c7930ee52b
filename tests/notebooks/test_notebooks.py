"""The notebooks run top to bottom on a fresh install, in a real Jupyter kernel (nbclient)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))


@pytest.fixture
def kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A kernel spec that runs this very interpreter (the environment orggraph is installed
    in), whatever other Python kernels the machine has."""
    spec = tmp_path / "kernels" / "orggraph-tests"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "orggraph tests", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    return "orggraph-tests"


def test_there_are_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS] == ["01-tour.ipynb", "02-org-design.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(path: Path, kernel: str) -> None:
    notebook = nbformat.read(path, as_version=4)
    # saved without outputs, so the repository stays small and diffs stay readable
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name=kernel,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert errors == []
    # the report and the view display as HTML, the figure as an image
    kinds = {
        key
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        for key in output.get("data", {})
    }
    assert "text/html" in kinds
