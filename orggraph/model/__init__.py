"""The input model: pydantic models of org.yaml and the loader that reads them with positions."""

from __future__ import annotations

from orggraph.model.load import Sources, load, load_dict, load_sources, load_text
from orggraph.model.schema import (
    AnyOf,
    Customer,
    Dependency,
    DependsOnItem,
    Org,
    OrgInfo,
    Party,
    Scenario,
    Unit,
    UnitKind,
    Vendor,
)

__all__ = [
    "AnyOf",
    "Customer",
    "Dependency",
    "DependsOnItem",
    "Org",
    "OrgInfo",
    "Party",
    "Scenario",
    "Sources",
    "Unit",
    "UnitKind",
    "Vendor",
    "load",
    "load_dict",
    "load_sources",
    "load_text",
]
