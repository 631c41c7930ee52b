"""The pipeline's layers: each module imports only from its own layer and the ones before it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "orggraph"

# load → model → graph → analyses → workflows → output → commands → the app
LAYERS = [
    ("orggraph.errors", "orggraph.io", "orggraph._perf"),
    ("orggraph.model",),
    ("orggraph.graph",),
    ("orggraph.analysis",),
    (
        "orggraph.diff",
        "orggraph.policy",
        "orggraph.workflows",
        "orggraph.starter",
        "orggraph.generate",
    ),
    ("orggraph.render",),
    ("orggraph.commands",),
    ("orggraph.cli", "orggraph.__main__", "orggraph"),
]

COMMANDS = PACKAGE / "commands"
SHARED = "orggraph.commands._common"


def layer_of(module: str) -> int:
    best = -1
    for i, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and prefix != "orggraph":
                best = i
    if best < 0 and module in ("orggraph", "orggraph.__init__"):
        best = len(LAYERS) - 1
    assert best >= 0, f"{module} is in no layer: add it to LAYERS"
    return best


# The one way up: Jupyter asks the object itself for its HTML, so a model or result class has a
# ``_repr_html_`` hook; the hook imports this renderer when it is called (never at import time).
DISPLAY_HOOK = "_repr_html_"
DISPLAY_RENDERER = "orggraph.render.notebook"


def _display_hook_imports(tree: ast.AST) -> set[int]:
    """ids of the import nodes inside ``_repr_html_`` methods that import the notebook renderer."""
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == DISPLAY_HOOK:
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (
                    f"{inner.module}.{inner.names[0].name}" == DISPLAY_RENDERER
                    or inner.module == DISPLAY_RENDERER
                ):
                    allowed.add(id(inner))
    return allowed


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hooks = _display_hook_imports(tree)
    for node in ast.walk(tree):
        if id(node) in hooks:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {m for m in found if m == "orggraph" or m.startswith("orggraph.")}


def test_each_layer_imports_only_earlier_ones() -> None:
    wrong: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mine = layer_of(module)
        for target in sorted(imports(path)):
            if target == "orggraph":  # the package itself only re-exports
                continue
            if layer_of(target) > mine:
                wrong.append(f"{module} (layer {mine}) imports {target} (layer {layer_of(target)})")
    assert wrong == []


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
                module.startswith("orggraph.commands.") and module != SHARED
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
