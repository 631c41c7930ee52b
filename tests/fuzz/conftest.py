"""Keep hypothesis failures readable under ``filterwarnings = error``.

When a property fails, hypothesis's pytest plugin imports its patch writer, which imports libcst,
which triggers a DeprecationWarning from mypy_extensions. Under ``filterwarnings = error`` that
turns a clean failure report into an INTERNALERROR. Importing the module once here, with that
warning ignored, leaves it cached for the plugin.
"""

from __future__ import annotations

import contextlib
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    with contextlib.suppress(ImportError):
        import hypothesis.extra._patching  # noqa: F401
