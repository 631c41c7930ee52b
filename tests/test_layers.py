"""The pipeline's layers, and what the command modules may import.

The layers themselves (each imports only the ones below it, and no package's modules import each
other in a cycle) are import-linter contracts in pyproject.toml; this test runs them.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "orggraph"
COMMANDS = PACKAGE / "commands"
SHARED = "orggraph.commands._common"
# how usage errors are worded: shared by every command through ``_common``, which re-exports it
USAGE = "orggraph.commands._usage"


@pytest.mark.skipif(shutil.which("lint-imports") is None, reason="import-linter is a test extra")
def test_import_contracts_hold() -> None:
    result = subprocess.run(
        ["lint-imports", "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _imported_names(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every ``from orggraph... import name`` in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        for alias in node.names
        if node.module.startswith("orggraph")
    ]


def test_commands_are_independent_and_import_no_private_names() -> None:
    """A command module shares only through ``_common``: never another command, never the app,
    never another module's private name."""
    wrong: list[str] = []
    for path in sorted(COMMANDS.glob("*.py")):
        for module, name in _imported_names(path):
            target = f"{module}.{name}"
            if module == "orggraph.commands" or (
                module.startswith("orggraph.commands.") and module not in (SHARED, USAGE)
            ):
                wrong.append(f"{path.name} imports the command {target}")
            elif module == "orggraph.cli":
                wrong.append(f"{path.name} imports the app: {target}")
            elif name.startswith("_") and not (module == "orggraph" and name == "__version__"):
                wrong.append(f"{path.name} imports the private {target}")
    assert wrong == []


def test_the_app_only_assembles_commands() -> None:
    """``cli`` takes the commands and the exit code it needs from ``commands``, nothing else of
    orggraph but the version."""
    found = _imported_names(PACKAGE / "cli.py")
    assert {m for m, _ in found} <= {"orggraph", "orggraph.commands", SHARED}
    assert {n for m, n in found if m == "orggraph"} == {"__version__"}
