"""``python -m orggraph``: the same command as ``orggraph``."""

from __future__ import annotations

from orggraph.cli import run

if __name__ == "__main__":
    run()
