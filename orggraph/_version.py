"""The version of orggraph: declared once, here (pyproject.toml reads it when building)."""

__version__ = "0.1.0"
