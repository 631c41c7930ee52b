"""Small hand-built Reports: the renderers only read a Report, so their tests need no analysis."""

from __future__ import annotations

import dataclasses

from orggraph.analysis.report import (
    BetweennessInfo,
    Bottleneck,
    CriticalSupplier,
    GroupImpact,
    Report,
    ServiceChain,
    Summary,
)

__all__ = ["clinic_groups_report", "clinic_report", "empty_report"]


def clinic_report(
    *,
    name: str | None = "Northside Clinics",
    period: str | None = "week",
    supplier_id: str = "ehr-platform",
    sampled: bool = False,
) -> Report:
    """A clinic network: one platform every customer needs, an overloaded pharmacy, a cycle."""
    return Report(
        organization={"name": name, "period": period},
        summary=Summary(units=6, customers=3, vendors=1, dependencies=9),
        critical_suppliers=(
            CriticalSupplier(
                id=supplier_id,
                party="unit",
                impact_weight=12.0,
                impacted_customers=("patients", "insurers", "gps"),
                impacted_units=3,
                betweenness=0.1234567,
            ),
            CriticalSupplier(
                id="vendor-ehr",
                party="vendor",
                impact_weight=12.0,
                impacted_customers=("patients", "insurers", "gps"),
                impacted_units=4,
                betweenness=0.0,
            ),
            CriticalSupplier(
                id="pharmacy-satellite",
                party="unit",
                impact_weight=10.0,
                impacted_customers=("patients",),
                impacted_units=0,
                betweenness=0.05,
            ),
        ),
        bottlenecks=(
            Bottleneck(
                id="pharmacy-satellite",
                load=70.0,
                capacity=50.0,
                utilization=1.4,
                fan_in=2,
                betweenness=0.05,
                reasons=("overloaded: utilization 1.40",),
            ),
            Bottleneck(
                id="lab",
                load=45.0,
                capacity=50.0,
                utilization=0.9,
                fan_in=3,
                betweenness=0.2,
                reasons=("near capacity: utilization 0.90 ≥ threshold 0.85",),
            ),
            Bottleneck(
                id=supplier_id,
                load=None,
                capacity=None,
                utilization=None,
                fan_in=12,
                betweenness=0.1234567,
                reasons=("structural: betweenness 0.12", "fan-in 12"),
            ),
        ),
        service_chains=(
            ServiceChain(
                customer="patients",
                upstream_units=4,
                upstream_vendors=1,
                depth=3,
                critical_chain=("vendor-ehr", supplier_id, "pharmacy-satellite", "patients"),
                lead_time_hours=54.0,
                quality=0.8,
                weakest_link="pharmacy-satellite",
            ),
            ServiceChain(
                customer="insurers",
                upstream_units=2,
                upstream_vendors=1,
                depth=2,
                critical_chain=("vendor-ehr", supplier_id, "insurers"),
                lead_time_hours=0.75,
                quality=1.0,
                weakest_link=None,
            ),
        ),
        line_of_sight=((supplier_id, 1), ("lab", 2), ("pharmacy-satellite", 1)),
        disconnected_units=("archive", "library"),
        cycles=(("finance", "procurement"),),
        warnings=(
            "2 units have no path to any customer: archive, library",
            "dependency cycle: finance → procurement → finance",
        ),
        betweenness_info=(
            BetweennessInfo("sampled", k=256, seed=42) if sampled else BetweennessInfo("exact")
        ),
        threshold=0.85,
    )


def empty_report(customers: int = 2) -> Report:
    """Nothing to report: no critical supplier, bottleneck, chain, cycle or warning."""
    return Report(
        organization={"name": None, "period": None},
        summary=Summary(units=1, customers=customers, vendors=0, dependencies=0),
        critical_suppliers=(),
        bottlenecks=(),
        service_chains=(),
        line_of_sight=(),
        disconnected_units=(),
        cycles=(),
        warnings=(),
        betweenness_info=BetweennessInfo("exact"),
        threshold=0.85,
    )


def clinic_groups_report(*, critical: bool = True) -> Report:
    """The clinic network with its org chart: a digital department that fails with the
    platform team, one that never reaches a customer, and (``critical=False``) none that does."""
    groups = (
        GroupImpact(
            id="digital",
            members=2,
            impact_weight=12.0 if critical else 0.0,
            impacted_customers=("patients", "insurers", "gps") if critical else (),
            impacted_customer_count=3 if critical else 0,
            impacted_units=3 if critical else 0,
            critical_members=1 if critical else 0,
            name="Digital <Health> | IT",
        ),
        GroupImpact(
            id="back-office",
            members=3,
            impact_weight=0.0,
            impacted_customers=(),
            impacted_customer_count=0,
            impacted_units=1,
            critical_members=0,
            name="back-office",
        ),
    )
    return dataclasses.replace(clinic_report(), groups=groups)
