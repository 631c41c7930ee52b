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

from orggraph._version import __version__

_EXPORTS: dict[str, str] = {
    "Bottleneck": "orggraph.analysis",
    "CriticalSupplier": "orggraph.analysis",
    "GroupDependency": "orggraph.analysis",
    "GroupImpact": "orggraph.analysis",
    "Impact": "orggraph.analysis",
    "Report": "orggraph.analysis",
    "ServiceChain": "orggraph.analysis",
    "analyze": "orggraph.analysis",
    "betweenness_centrality": "orggraph.analysis",
    "bottlenecks": "orggraph.analysis",
    "critical_suppliers": "orggraph.analysis",
    "cycles": "orggraph.analysis",
    "disconnected_units": "orggraph.analysis",
    "failure_impact": "orggraph.analysis",
    "double_failures": "orggraph.analysis",
    "failover": "orggraph.analysis",
    "illusory_redundancy": "orggraph.analysis",
    "group_dependencies": "orggraph.analysis",
    "groups": "orggraph.analysis",
    "members": "orggraph.analysis",
    "line_of_sight": "orggraph.analysis",
    "loads": "orggraph.analysis",
    "service_chains": "orggraph.analysis",
    "single_failure_impacts": "orggraph.analysis",
    "EffectiveLevels": "orggraph.analysis",
    "Expectation": "orggraph.analysis",
    "PerceivedQuality": "orggraph.analysis",
    "Promise": "orggraph.analysis",
    "effective_levels": "orggraph.analysis",
    "expectations": "orggraph.analysis",
    "perceived_quality": "orggraph.analysis",
    "promises": "orggraph.analysis",
    "recovery_hours": "orggraph.analysis",
    "Survey": "orggraph.model.survey",
    "load_survey": "orggraph.model.survey",
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
    "load_sources": "orggraph.model",
    "render_json": "orggraph.render.json",
    "render_markdown": "orggraph.render.markdown",
    "render_text": "orggraph.render.text",
    "View": "orggraph.render.notebook",
    "export": "orggraph.render.notebook",
    "figure": "orggraph.render.notebook",
    "to_pandas": "orggraph.render.notebook",
    "view": "orggraph.render.notebook",
}

__all__ = [
    "Bottleneck",
    "CriticalSupplier",
    "EffectiveLevels",
    "Expectation",
    "GroupDependency",
    "GroupImpact",
    "Impact",
    "Location",
    "Org",
    "OrgError",
    "OrgValidationError",
    "PerceivedQuality",
    "Problem",
    "Promise",
    "Report",
    "ServiceChain",
    "Survey",
    "UsageError",
    "View",
    "__version__",
    "analyze",
    "betweenness_centrality",
    "bottlenecks",
    "build_graph",
    "critical_suppliers",
    "cycles",
    "disconnected_units",
    "double_failures",
    "effective_levels",
    "expectations",
    "export",
    "failover",
    "failure_impact",
    "figure",
    "group_dependencies",
    "groups",
    "illusory_redundancy",
    "line_of_sight",
    "load",
    "load_dict",
    "load_sources",
    "load_survey",
    "load_text",
    "loads",
    "members",
    "perceived_quality",
    "promises",
    "recovery_hours",
    "render_json",
    "render_markdown",
    "render_text",
    "service_chains",
    "single_failure_impacts",
    "to_pandas",
    "view",
]

if TYPE_CHECKING:
    from orggraph.analysis import (
        Bottleneck,
        CriticalSupplier,
        EffectiveLevels,
        Expectation,
        GroupDependency,
        GroupImpact,
        Impact,
        PerceivedQuality,
        Promise,
        Report,
        ServiceChain,
        analyze,
        betweenness_centrality,
        bottlenecks,
        critical_suppliers,
        cycles,
        disconnected_units,
        double_failures,
        effective_levels,
        expectations,
        failover,
        failure_impact,
        group_dependencies,
        groups,
        illusory_redundancy,
        line_of_sight,
        loads,
        members,
        perceived_quality,
        promises,
        recovery_hours,
        service_chains,
        single_failure_impacts,
    )
    from orggraph.errors import Location, OrgError, OrgValidationError, Problem, UsageError
    from orggraph.graph import build_graph
    from orggraph.model import Org, load, load_dict, load_sources, load_text
    from orggraph.model.survey import Survey, load_survey
    from orggraph.render.json import render_json
    from orggraph.render.markdown import render_markdown
    from orggraph.render.notebook import View, export, figure, to_pandas, view
    from orggraph.render.text import render_text


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'orggraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
