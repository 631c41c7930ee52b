"""The notebooks run top to bottom on a fresh install, in a real Jupyter kernel (nbclient)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture
def kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The kernel the notebooks ask for, ``python3``, made to run this very interpreter (the
    environment orggraph is installed in) whatever other ``python3`` kernels the machine has:
    JUPYTER_PATH is searched before the user's and the system's kernel folders."""
    spec = tmp_path / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "Python 3 (orggraph tests)", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    return "python3"


def run(notebook: Any, kernel: str, cwd: Path) -> Any:
    client = NotebookClient(
        notebook, timeout=300, kernel_name=kernel, resources={"metadata": {"path": str(cwd)}}
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    return notebook


def outputs(notebook: Any) -> list[Any]:
    return [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    ]


def test_there_are_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01-tour.ipynb",
        "02-org-design.ipynb",
        "03-internal-customers.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_saved_clean(path: Path) -> None:
    # saved without outputs, so the repository stays small and diffs stay readable
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None


def test_the_kernel_is_this_interpreter(kernel: str, tmp_path: Path) -> None:
    probe = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import sys; print(sys.executable)")]
    )
    (printed,) = outputs(run(probe, kernel, tmp_path))
    assert printed["text"].strip() == sys.executable


@pytest.mark.parametrize("where", ["notebooks", "root"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(path: Path, where: str, kernel: str) -> None:
    cwd = path.parent if where == "notebooks" else ROOT
    notebook = run(nbformat.read(path, as_version=4), kernel, cwd)
    found = outputs(notebook)
    assert [o for o in found if o.get("output_type") == "error"] == []
    # the report, the results and the view display as HTML, the figures as images
    kinds = {key for o in found for key in o.get("data", {})}
    assert {"text/html", "image/png"} <= kinds
