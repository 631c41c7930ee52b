"""orggraph: where an organization's service really comes from."""

from __future__ import annotations

__version__ = "0.1.0"
