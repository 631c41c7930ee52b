"""orggraph: where an organization's service really comes from.

>>> import orggraph
>>> org = orggraph.load_text('''
... units: [{id: desk}, {id: stores, depends_on: [desk]}]
... customers: [{id: shoppers, depends_on: [stores]}]
... ''')
>>> report = orggraph.analyze(orggraph.build_graph(org))
>>> [c.id for c in report.critical_suppliers]
['desk', 'stores']

Names are imported on first use, so ``import orggraph`` (and ``orggraph --version``) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "Bottleneck": "orggraph.analysis",
    "CriticalSupplier": "orggraph.analysis",
    "Impact": "orggraph.analysis",
    "Report": "orggraph.analysis",
    "ServiceChain": "orggraph.analysis",
    "analyze": "orggraph.analysis",
    "failure_impact": "orggraph.analysis",
    "Location": "orggraph.errors",
    "OrgError": "orggraph.errors",
    "OrgValidationError": "orggraph.errors",
    "Problem": "orggraph.errors",
    "UsageError": "orggraph.errors",
    "build_graph": "orggraph.graph",
    "Org": "orggraph.model",
    "load": "orggraph.model",
    "load_dict": "orggraph.model",
    "load_text": "orggraph.model",
}

__all__ = [
    "Bottleneck",
    "CriticalSupplier",
    "Impact",
    "Location",
    "Org",
    "OrgError",
    "OrgValidationError",
    "Problem",
    "Report",
    "ServiceChain",
    "UsageError",
    "__version__",
    "analyze",
    "build_graph",
    "failure_impact",
    "load",
    "load_dict",
    "load_text",
]

if TYPE_CHECKING:
    from orggraph.analysis import (
        Bottleneck,
        CriticalSupplier,
        Impact,
        Report,
        ServiceChain,
        analyze,
        failure_impact,
    )
    from orggraph.errors import Location, OrgError, OrgValidationError, Problem, UsageError
    from orggraph.graph import build_graph
    from orggraph.model import Org, load, load_dict, load_text


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'orggraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
