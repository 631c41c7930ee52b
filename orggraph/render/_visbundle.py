"""vis-network, the one thing the HTML view takes from pyvis: the bundle it ships, read as a file
from the installed package (pyvis is never imported) and inlined, so the page makes no request.

Relying on a file inside another package is only honest with the releases known to ship it pinned:
pyvis 0.3.0, 0.3.1 and 0.3.2 all carry the same vis-network 9.1.2 bundle at
``pyvis/lib/vis-9.1.2/vis-network.min.js`` (0.2.x loads vis from a CDN and ships none).
:data:`PYVIS_REQUIREMENT` is that range, as pinned in pyproject.toml; any other install gets an
:class:`~orggraph.errors.OrgError` naming what was found, never a page without its drawing.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import re
from pathlib import Path
from typing import NoReturn

from orggraph.errors import OrgError

__all__ = [
    "PYVIS_REQUIREMENT",
    "VIS_VERSION",
    "find_vis_bundle",
    "installed_pyvis_version",
    "vis_network_js",
]

VIS_VERSION = "9.1.2"
#: The pyvis releases that ship vis-network :data:`VIS_VERSION` (the same range as pyproject.toml).
PYVIS_REQUIREMENT = "pyvis>=0.3.0,<0.4"

_BUNDLE = f"vis-{VIS_VERSION}/vis-network.min.js"
_VERSION_TAG = re.compile(r"@version\s+(\S+)")


def installed_pyvis_version() -> str | None:
    """The installed pyvis release, or None when there is none."""
    try:
        return importlib.metadata.version("pyvis")
    except importlib.metadata.PackageNotFoundError:
        return None


def find_vis_bundle() -> Path | None:
    """The vis-network file inside the installed pyvis package, or None when it ships none."""
    spec = importlib.util.find_spec("pyvis")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for base in locations:
        # pyvis 0.3.1+ keeps a copy under templates/ too (the same bytes); 0.3.0 only under lib/
        for lib in ("templates/lib", "lib"):
            path = Path(base) / lib / _BUNDLE
            if path.is_file():
                return path
    return None


@functools.cache
def vis_network_js() -> str:
    """vis-network :data:`VIS_VERSION` as shipped by pyvis, ready to inline in a ``<script>``.

    Raises :class:`~orggraph.errors.OrgError` when pyvis is missing, ships no such file, or the
    file holds another version of vis-network.
    """
    path = find_vis_bundle()
    if path is None:
        found = installed_pyvis_version()
        _mismatch(
            "pyvis is not installed"
            if found is None
            else f"pyvis {found} is installed and ships no lib/{_BUNDLE}"
        )
    try:
        js = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _mismatch(f"{path} cannot be read ({exc})")
    # the version banner is in the first lines; a bundle without one is not the file we know
    tag = _VERSION_TAG.search(js, 0, 2000)
    if tag is None or tag.group(1) != VIS_VERSION:
        shown = f"vis-network {tag.group(1)}" if tag is not None else "no vis-network version tag"
        found = installed_pyvis_version() or "of unknown version"
        _mismatch(f"pyvis {found} has {shown} in {path}")
    # the page has no source map next to it; and nothing may end the script early
    js = re.sub(r"//# sourceMappingURL=\S*", "", js)
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    return js.replace("<!--", "<\\!--")


def _mismatch(problem: str) -> NoReturn:
    raise OrgError(
        f"the interactive view needs vis-network {VIS_VERSION} as shipped by {PYVIS_REQUIREMENT},"
        f" but {problem}: install a release in that range with"
        f" 'pip install \"{PYVIS_REQUIREMENT}\"'"
    )
