"""Synthetic organizations for benchmarks and tests: a realistic shape, valid by construction.

:func:`generate_org` builds plain data in the shape of SPEC §1 (the dict a YAML or JSON file
parses to) and :func:`pathological` builds the extreme shapes the loader and the analyses must
survive; :func:`orggraph.model.dump.write_org` writes either as YAML or JSON. Everything is
deterministic for a given seed and costs time linear in the size: a million units generate in
seconds.

The module is longer than most (about 600 lines) because most of it is one class: a generation
run's state (the layers, the ids, the load the picks add up) is shared by every step, and
splitting the steps apart would only pass that state around.

The shape of a generated organization:

- a tree of departments (organizational containers: they group teams and depend on nothing);
- teams in layers: customers depend on the front line (layer 0), each layer depends mostly on
  deeper ones, and every team serves at least one team of the layer above it, so every team is on
  some chain to a customer;
- a few dozen shared services (payroll, IT desk, HR, finance ...) that many teams depend on, with
  fan-in skewed so that the first ones serve the most;
- vendors at the bottom, depending on nothing;
- about 10% of dependencies are ``any_of`` groups of 2–3 alternatives, about 10% are optional;
- a few small cycles of required dependencies (finance and procurement need each other, and a
  few rings of teams), and a few units that no chain connects to any customer;
- volumes on many dependencies and capacities set from the resulting load, so that some units
  are overloaded, some near capacity and most comfortably below; lead times and quality scores
  on many parties.

One module of over 500 lines on purpose: every part of the generated organization draws from
one random stream in a fixed order, so the same seed gives the same file; splitting the parts
would scatter that order across modules.
"""

from __future__ import annotations

import math
from bisect import bisect
from collections.abc import Callable
from itertools import accumulate
from random import Random
from typing import Any, Literal

from orggraph._perf import paused_gc

__all__ = [
    "PATHOLOGICAL_KINDS",
    "PATHOLOGICAL_SIZES",
    "generate_org",
    "pathological",
]

Data = dict[str, Any]

# The shared services: (id, name, the service it gives, kind). Ids are words YAML 1.1 reads as
# text; the first ones get the most consumers.
_HUBS: tuple[tuple[str, str, str, str], ...] = (
    ("it-desk", "IT Service Desk", "IT support", "team"),
    ("payroll", "Payroll", "monthly pay run", "team"),
    ("hr", "Human Resources", "people services", "team"),
    ("finance", "Finance", "budget and accounting", "team"),
    ("identity", "Identity and Access", "accounts and access", "system"),
    ("email", "Email and Calendar", "messaging", "system"),
    ("network", "Network Operations", "connectivity", "team"),
    ("procurement", "Procurement", "purchasing", "team"),
    ("facilities", "Facilities", "workplace", "team"),
    ("security", "Information Security", "security reviews", "team"),
    ("legal", "Legal", "contracts and advice", "team"),
    ("erp", "ERP Platform", "enterprise resource planning", "system"),
    ("crm", "CRM Platform", "customer records", "system"),
    ("data-platform", "Data Platform", "data feeds", "system"),
    ("cloud-ops", "Cloud Operations", "hosting", "team"),
    ("billing", "Billing", "invoicing", "system"),
    ("accounts-payable", "Accounts Payable", "supplier payments", "team"),
    ("accounts-receivable", "Accounts Receivable", "collections", "team"),
    ("treasury", "Treasury", "cash management", "team"),
    ("tax", "Tax", "tax filings", "team"),
    ("compliance", "Compliance", "regulatory reporting", "team"),
    ("internal-audit", "Internal Audit", "audits", "team"),
    ("recruiting", "Recruiting", "hiring", "team"),
    ("learning", "Learning and Development", "training", "team"),
    ("travel", "Travel Desk", "travel booking", "team"),
    ("fleet", "Fleet Management", "vehicles", "team"),
    ("mailroom", "Mailroom", "post and parcels", "team"),
    ("print-services", "Print Services", "printing", "team"),
    ("telephony", "Telephony", "phones and contact center", "system"),
    ("database-ops", "Database Operations", "databases", "team"),
    ("monitoring", "Monitoring", "alerting", "system"),
    ("backup", "Backup and Recovery", "backups", "system"),
    ("architecture", "Enterprise Architecture", "design reviews", "team"),
    ("pmo", "Project Management Office", "project governance", "team"),
    ("translation", "Translation Services", "translation", "team"),
    ("analytics", "Analytics Center", "reports and dashboards", "team"),
)
# finance and procurement need each other: the cycle every organization has
_HUB_CYCLE = ("procurement", "finance")

_AREAS = (
    "Payments", "Claims", "Logistics", "Store Ops", "Marketing", "Pricing", "Analytics",
    "Platform", "Customer Care", "Onboarding", "Fulfilment", "Returns", "Catalog", "Search",
    "Mobile", "Web", "Risk", "Fraud", "Lending", "Supply", "Quality", "Research", "Sales",
)  # fmt: skip
_SERVICES = (
    "approvals", "reporting", "data feed", "integration", "reviews", "order handling",
    "case handling", "scheduling", "stock updates", "pricing updates", "content", "testing",
)  # fmt: skip
_LEAD_TIMES = ("30m", "1h", "2h", "4h", "4h", "8h", "1d", "1d", "2d", "3d", "5d", "1w",
               "1.5d", "PT6H", "P2D")  # fmt: skip
_TAGS = ("support", "ops", "digital", "finance", "people", "data", "retail", "regulated")
_SITES = ("Dublin", "Lisbon", "Austin", "Pune", "Krakow", "Manila", "Toronto", "Leeds")
_FIRST = ("jane", "li", "omar", "ana", "raj", "mia", "tom", "eva", "ken", "sara", "ivan")
_LAST = ("doe", "wong", "haddad", "silva", "patel", "berg", "ng", "kowal", "mori", "diaz")
_VOLUMES = (1, 2, 3, 5, 8, 10, 15, 20, 40, 60, 100)
_KINDS = ("team",) * 17 + ("system", "role", "person")

# Probabilities of the dependency forms and of the sources of a team's supplier picks.
_P_ANY_OF = 0.13
_P_OPTIONAL = 0.12
_P_LONG = 0.45  # long form with a service (and a volume where the supplier is a unit)
_PICK_TEAM = 0.55
_PICK_HUB = 0.85  # else a vendor
_ENTRIES_PER_TEAM = (1, 2, 3, 3, 3, 4, 4, 4, 5, 6)  # random picks, on top of guaranteed links


def generate_org(
    units: int,
    *,
    seed: int = 0,
    customers_ratio: float = 0.02,
    vendors: int | None = None,
    scenarios: bool = False,
) -> Data:
    """A realistic synthetic organization of ``units`` units, as plain data (SPEC §1).

    Customers number ``round(units * customers_ratio)`` (at least one) and vendors ``vendors``
    (default 1% of the units, at least one). The same arguments always give the same data.
    ``scenarios=True`` appends three SPEC §7 scenarios (a site lost, found by the ``site``
    attribute; the first vendor down; the first department below the top unavailable) after
    everything else, so the rest of the data is the same as without them.

    >>> org = generate_org(200, seed=1)
    >>> len(org["units"]), len(org["customers"]), len(org["vendors"])
    (200, 4, 2)
    >>> org == generate_org(200, seed=1)
    True
    >>> [x["id"] for x in generate_org(200, seed=1, scenarios=True)["scenarios"]]
    ['site-lost', 'vendor-down', 'department-unavailable']
    """
    if units < 10:
        raise ValueError(f"units must be at least 10, got {units}")
    if not (0.0 <= customers_ratio <= 1.0):
        raise ValueError(f"customers_ratio must be between 0 and 1, got {customers_ratio}")
    if vendors is not None and vendors < 0:
        raise ValueError(f"vendors must be >= 0, got {vendors}")
    with paused_gc():
        data = _Generator(units, seed, customers_ratio, vendors).run()
    if scenarios:
        data["scenarios"] = _scenarios(data)
    return data


def _scenarios(data: Data) -> list[Data]:
    """A site, a vendor and a department failing: the three disruptions of SPEC §7's examples."""
    depts = [u["id"] for u in data["units"] if u.get("kind") == "department"]
    out: list[Data] = [
        {"id": "site-lost", "name": f"{_SITES[0]} site lost", "where": {"site": _SITES[0]}}
    ]
    if data["vendors"]:
        vendor = data["vendors"][0]["id"]
        out.append({"id": "vendor-down", "name": f"{vendor} down", "fail": [vendor]})
    dept = depts[1] if len(depts) > 1 else depts[0]
    out.append({"id": "department-unavailable", "name": f"{dept} unavailable", "fail": [dept]})
    return out


class _Generator:
    """One generation run; the state is plain lists indexed by position for speed at 1M."""

    def __init__(self, n: int, seed: int, customers_ratio: float, vendors: int | None) -> None:
        self.n = n
        self.seed = seed
        rng = Random(seed)
        self.rnd: Callable[[], float] = rng.random
        self.rng = rng
        width = max(6, len(str(n)))
        self.n_depts = max(1, n // 40)
        self.n_hubs = min(len(_HUBS), max(1, n // 100))
        self.n_orphans = max(2, n // 20_000) if n >= 100 else 0
        self.n_teams = n - self.n_depts - self.n_hubs - self.n_orphans
        self.n_customers = max(1, round(n * customers_ratio))
        self.n_vendors = max(1, round(n * 0.01)) if vendors is None else vendors

        self.dept_ids = [f"d-{i:0{width}d}" for i in range(self.n_depts)]
        self.hub_ids = [h[0] for h in _HUBS[: self.n_hubs]]
        self.team_ids = [f"t-{i:0{width}d}" for i in range(self.n_teams + self.n_orphans)]
        self.customer_ids = [f"c-{i:0{width}d}" for i in range(self.n_customers)]
        self.vendor_ids = [f"v-{i:0{width}d}" for i in range(self.n_vendors)]
        self.unit_ids = frozenset(self.hub_ids) | frozenset(self.team_ids)

        # layers of teams: the front line is ~12%, the rest split evenly
        layers = max(2, min(8, round(math.log10(n)) + 2))
        layers = max(1, min(layers, self.n_teams // 3))
        front = max(1, round(self.n_teams * 0.12)) if layers > 1 else self.n_teams
        self.starts = [0, front]
        rest = self.n_teams - front
        for k in range(1, layers):
            self.starts.append(front + rest * k // (layers - 1))
        self.starts[-1] = self.n_teams
        self.starts.append(self.n_teams)  # sentinel: "the layer after the last" is empty
        self.layers = layers

        # Zipf-like: the first shared services get the most consumers
        self.hub_cw = list(accumulate(1.0 / (i + 1) ** 0.8 for i in range(self.n_hubs)))
        self.load: dict[str, float] = {}
        self.dept_is_leaf: list[bool] = []

    # -- picks -----------------------------------------------------------------------------

    def pick_hub(self) -> str:
        return self.hub_ids[bisect(self.hub_cw, self.rnd() * self.hub_cw[-1])]

    def pick_vendor(self) -> str:
        return self.vendor_ids[int(self.rnd() * self.n_vendors)]

    def pick_team_below(self, layer: int) -> str | None:
        """A team of a deeper layer: the next one half of the time, else any deeper one."""
        lo = self.starts[layer + 1]
        if lo >= self.n_teams:
            return None
        hi = self.starts[layer + 2] if self.rnd() < 0.5 else self.n_teams
        return self.team_ids[lo + int(self.rnd() * (hi - lo))]

    def pick_for_team(self, layer: int) -> str:
        r = self.rnd()
        if r < _PICK_TEAM:
            team = self.pick_team_below(layer)
            if team is not None:
                return team
        if r < _PICK_HUB or not self.n_vendors:
            return self.pick_hub()
        return self.pick_vendor()

    # -- dependency entries ----------------------------------------------------------------

    def volume(self) -> int:
        return _VOLUMES[int(self.rnd() * len(_VOLUMES))]

    def single(self, supplier: str, *, may_be_optional: bool = True) -> str | Data:
        """One dependency on ``supplier``, in short or long form; its volume counts as load."""
        rnd = self.rnd
        r = rnd()
        if may_be_optional and r < _P_OPTIONAL:
            entry: Data = {"supplier": supplier, "required": False}
            if supplier in self.unit_ids and rnd() < 0.5:
                entry["volume"] = v = self.volume()
                self.load[supplier] = self.load.get(supplier, 0.0) + v
            return entry
        if r < _P_LONG:
            entry = {"supplier": supplier, "service": _SERVICES[int(rnd() * len(_SERVICES))]}
            if supplier in self.unit_ids:
                entry["volume"] = v = self.volume()
                self.load[supplier] = self.load.get(supplier, 0.0) + v
            return entry
        return supplier

    def group(self, pick: Callable[[], str | None], used: set[str], units: bool) -> Data | None:
        """An any_of group of 2–3 distinct alternatives not yet used by the consumer."""
        size = 2 if self.rnd() < 0.7 else 3
        alternatives: list[str] = []
        for _ in range(size * 4):
            s = pick()
            if s is not None and s not in used and s not in alternatives:
                alternatives.append(s)
                if len(alternatives) == size:
                    break
        if len(alternatives) < 2:
            return None
        used.update(alternatives)
        entry: Data = {"any_of": alternatives}
        if self.rnd() < 0.5:
            entry["service"] = _SERVICES[int(self.rnd() * len(_SERVICES))]
        if units and self.rnd() < 0.6:
            entry["volume"] = v = self.volume()
            share = v / len(alternatives)
            for a in alternatives:
                self.load[a] = self.load.get(a, 0.0) + share
        if self.rnd() < _P_OPTIONAL:
            entry["required"] = False
        return entry

    def team_group(self, layer: int, used: set[str]) -> Data | None:
        r = self.rnd()
        if r < 0.5 and self.starts[layer + 1] < self.n_teams:
            return self.group(lambda: self.pick_team_below(layer), used, True)
        if (r < 0.8 or self.n_vendors < 2) and self.n_hubs >= 3:
            return self.group(self.pick_hub, used, True)
        if self.n_vendors >= 2:
            return self.group(self.pick_vendor, used, False)
        return None

    def team_deps(self, layer: int, guaranteed: list[str] | None) -> list[str | Data]:
        entries: list[str | Data] = []
        used: set[str] = set()
        for s in guaranteed or ():
            if s not in used:
                used.add(s)
                entries.append(self.single(s, may_be_optional=False))
        for _ in range(_ENTRIES_PER_TEAM[int(self.rnd() * len(_ENTRIES_PER_TEAM))]):
            if self.rnd() < _P_ANY_OF:
                g = self.team_group(layer, used)
                if g is not None:
                    entries.append(g)
                continue
            for _attempt in range(3):
                s = self.pick_for_team(layer)
                if s not in used:
                    used.add(s)
                    entries.append(self.single(s))
                    break
        return entries

    # -- the whole organization ------------------------------------------------------------

    def run(self) -> Data:
        rnd = self.rnd
        n_teams, n_hubs = self.n_teams, self.n_hubs
        team_ids, hub_ids = self.team_ids, self.hub_ids

        # Guaranteed links, so that every party is on some chain: each team serves a team of the
        # layer above, each front-line team a customer, each hub a team, each vendor a hub or team.
        team_extra: list[list[str] | None] = [None] * n_teams
        hub_extra: list[list[str]] = [[] for _ in range(n_hubs)]
        for layer in range(1, self.layers):
            lo, hi = self.starts[layer - 1], self.starts[layer]
            for t in range(self.starts[layer], self.starts[layer + 1]):
                c = lo + int(rnd() * (hi - lo))
                extra = team_extra[c]
                if extra is None:
                    team_extra[c] = [team_ids[t]]
                else:
                    extra.append(team_ids[t])
        for h in range(n_hubs):
            c = int(rnd() * n_teams)
            extra = team_extra[c]
            if extra is None:
                team_extra[c] = [hub_ids[h]]
            else:
                extra.append(hub_ids[h])
        for v in self.vendor_ids:
            if rnd() < 0.7:
                hub_extra[int(rnd() * n_hubs)].append(v)
            else:
                lo = self.starts[self.layers - 1]
                c = lo + int(rnd() * (n_teams - lo))
                extra = team_extra[c]
                if extra is None:
                    team_extra[c] = [v]
                else:
                    extra.append(v)

        team_deps = [
            self.team_deps(layer, team_extra[t])
            for layer in range(self.layers)
            for t in range(self.starts[layer], self.starts[layer + 1])
        ]
        self.add_team_cycles(team_deps)
        hub_deps = self.hub_deps(hub_extra)
        orphan_deps = [self.orphan_deps() for _ in range(self.n_orphans)]
        customers = self.customers()

        depts = self.departments()
        leaves = [d for d, leaf in zip(self.dept_ids, self.dept_is_leaf, strict=True) if leaf]
        shared = self.dept_ids[1] if self.n_depts > 1 else self.dept_ids[0]

        out_units: list[Data] = depts
        for h in range(n_hubs):
            hid, name, _service, kind = _HUBS[h]
            out_units.append(self.unit(hid, name, kind, shared, hub_deps[h]))
        n_leaves = len(leaves)
        for t in range(n_teams + self.n_orphans):
            parent = leaves[t] if t < n_leaves else leaves[int(rnd() * n_leaves)]
            area = _AREAS[int(rnd() * len(_AREAS))]
            deps = team_deps[t] if t < n_teams else orphan_deps[t - n_teams]
            kind = _KINDS[int(rnd() * len(_KINDS))]
            out_units.append(self.unit(team_ids[t], f"{area} team {t}", kind, parent, deps))

        out_vendors: list[Data] = []
        for i, vid in enumerate(self.vendor_ids):
            vendor: Data = {"id": vid, "name": f"Vendor {i}"}
            if rnd() < 0.5:
                vendor["lead_time"] = _LEAD_TIMES[int(rnd() * len(_LEAD_TIMES))]
            if rnd() < 0.3:
                vendor["quality"] = round(0.7 + 0.29 * rnd(), 2)
            out_vendors.append(vendor)

        return {
            "version": 1,
            "organization": {
                "name": f"Synthetic org of {self.n} units (seed {self.seed})",
                "period": "week",
            },
            "units": out_units,
            "customers": customers,
            "vendors": out_vendors,
        }

    def add_team_cycles(self, team_deps: list[list[str | Data]]) -> None:
        """A few small rings of required dependencies between teams of one layer."""
        rnd = self.rnd
        count = 2 + self.n // 100_000
        for _ in range(count):
            layer = int(rnd() * self.layers)
            lo, hi = self.starts[layer], self.starts[layer + 1]
            size = 2 if rnd() < 0.5 else 3
            if hi - lo < size:
                continue
            ring = sorted({lo + int(rnd() * (hi - lo)) for _ in range(size)})
            if len(ring) < 2:
                continue
            suppliers_of = [_suppliers(team_deps[t]) for t in ring]
            members = {self.team_ids[t] for t in ring}
            if any(members & s for s in suppliers_of):
                continue  # already linked: adding the ring would repeat a supplier
            for k, t in enumerate(ring):
                team_deps[t].append(self.team_ids[ring[(k + 1) % len(ring)]])

    def hub_deps(self, hub_extra: list[list[str]]) -> list[list[str | Data]]:
        """Shared services depend on vendors and on later shared services, plus one cycle."""
        rnd = self.rnd
        out: list[list[str | Data]] = []
        for h in range(self.n_hubs):
            used: set[str] = set()
            entries: list[str | Data] = []
            for s in hub_extra[h]:
                used.add(s)
                entries.append(self.single(s, may_be_optional=False))
            for _ in range(1 + int(rnd() * 3) if self.n_vendors else 0):
                v = self.pick_vendor()
                if v not in used:
                    used.add(v)
                    entries.append(self.single(v))
            later = self.n_hubs - h - 1
            for _ in range(min(later, int(rnd() * 3))):
                s = self.hub_ids[h + 1 + int(rnd() * later)]
                if s not in used:
                    used.add(s)
                    entries.append(self.single(s))
            out.append(entries)
        a, b = _HUB_CYCLE
        if a in self.hub_ids and b in self.hub_ids:
            ia, ib = self.hub_ids.index(a), self.hub_ids.index(b)
            for consumer, supplier in ((ia, b), (ib, a)):
                if supplier not in _suppliers(out[consumer]):
                    out[consumer].append(
                        {"supplier": supplier, "service": _HUBS[ib if supplier == b else ia][2]}
                    )
        return out

    def orphan_deps(self) -> list[str | Data]:
        """Units nobody depends on: reported as disconnected."""
        used: set[str] = set()
        entries: list[str | Data] = []
        for _ in range(2):
            s = self.pick_hub()
            if s not in used:
                used.add(s)
                entries.append(self.single(s))
        return entries

    def customers(self) -> list[Data]:
        rnd = self.rnd
        front = self.starts[1]
        deps: list[list[str]] = [[] for _ in range(self.n_customers)]
        for f in range(front):
            k = f if f < self.n_customers else int(rnd() * self.n_customers)
            deps[k].append(self.team_ids[f])
        out: list[Data] = []
        for i, cid in enumerate(self.customer_ids):
            used = set(deps[i])
            entries: list[str | Data] = []
            for s in deps[i]:
                if rnd() < 0.4:
                    entries.append({"supplier": s, "volume": (v := self.volume())})
                    self.load[s] = self.load.get(s, 0.0) + v
                else:
                    entries.append(s)
            if rnd() < 0.5 or not entries:
                s = self.team_ids[int(rnd() * front)]
                if s not in used:
                    used.add(s)
                    entries.append(s)
            if front >= 3 and rnd() < 0.3:
                g = self.group(lambda: self.team_ids[int(rnd() * front)], used, True)
                if g is not None:
                    entries.append(g)
            customer: Data = {"id": cid, "name": f"Customer segment {i}"}
            customer["weight"] = max(0.1, round(self.rng.lognormvariate(1.0, 1.0), 1))
            customer["depends_on"] = entries
            out.append(customer)
        return out

    def departments(self) -> list[Data]:
        rnd = self.rnd
        is_leaf = [True] * self.n_depts
        out: list[Data] = [{"id": self.dept_ids[0], "name": "Headquarters", "kind": "department"}]
        for i in range(1, self.n_depts):
            p = int(rnd() * max(1, (i + 5) // 6))
            is_leaf[p] = False
            area = _AREAS[int(rnd() * len(_AREAS))]
            dept: Data = {
                "id": self.dept_ids[i],
                "name": f"{area} department {i}",
                "kind": "department",
                "parent": self.dept_ids[p],
            }
            if rnd() < 0.5:
                dept["owner"] = self.owner()
            out.append(dept)
        if self.n_depts > 1:
            out[1]["name"] = "Shared services"  # the parent of the shared services
        self.dept_is_leaf = is_leaf
        return out

    def owner(self) -> str:
        rnd = self.rnd
        return f"{_FIRST[int(rnd() * len(_FIRST))]}.{_LAST[int(rnd() * len(_LAST))]}"

    def unit(self, uid: str, name: str, kind: str, parent: str, deps: list[str | Data]) -> Data:
        rnd = self.rnd
        unit: Data = {"id": uid, "name": name}
        if kind != "team":
            unit["kind"] = kind
        unit["parent"] = parent
        load = self.load.get(uid)
        r = rnd()
        if load is not None and r < 0.995:  # a few loaded units have no capacity
            # 7% overloaded, 10% near capacity, the rest comfortable
            r = rnd()
            if r < 0.07:
                utilization = 1.05 + 0.55 * rnd()
            elif r < 0.17:
                utilization = 0.86 + 0.13 * rnd()
            else:
                utilization = 0.2 + 0.6 * rnd()
            unit["capacity"] = max(0.1, round(load / utilization, 1))
        elif load is None and r < 0.2:
            unit["capacity"] = float(_VOLUMES[int(rnd() * len(_VOLUMES))] * 10)
        if rnd() < 0.7:
            unit["lead_time"] = _LEAD_TIMES[int(rnd() * len(_LEAD_TIMES))]
        if rnd() < 0.6:
            unit["quality"] = round(0.55 + 0.44 * rnd() ** 0.5, 2)
        r = rnd()
        if r < 0.3:
            unit["tags"] = [_TAGS[int(rnd() * len(_TAGS))]]
        if rnd() < 0.4:
            unit["owner"] = self.owner()
        if rnd() < 0.1:
            unit["attributes"] = {
                "site": _SITES[int(rnd() * len(_SITES))],
                "cost_center": f"cc-{int(rnd() * 9000) + 1000}",
            }
        unit["depends_on"] = deps
        return unit


def _suppliers(entries: list[str | Data]) -> set[str]:
    out: set[str] = set()
    for e in entries:
        if isinstance(e, str):
            out.add(e)
        elif "any_of" in e:
            out.update(e["any_of"])
        else:
            out.add(e["supplier"])
    return out


# ------------------------------------------------------------------------------------------
# Pathological shapes

PathologicalKind = Literal["chain", "wide_any_of", "big_cycle"]
PATHOLOGICAL_KINDS: tuple[PathologicalKind, ...] = ("chain", "wide_any_of", "big_cycle")
PATHOLOGICAL_SIZES: dict[str, int] = {"chain": 100_000, "wide_any_of": 10_000, "big_cycle": 50_000}


def pathological(kind: PathologicalKind, n: int | None = None) -> Data:
    """An extreme shape an analysis must handle without recursion limits or quadratic cost.

    - ``chain``: ``n`` units (default 100,000) in one required chain from a vendor to a customer;
    - ``wide_any_of``: one unit whose single ``any_of`` group has ``n`` alternatives
      (default 10,000), each a unit depending on a vendor;
    - ``big_cycle``: ``n`` units (default 50,000) in one ring of required dependencies, fed by a
      vendor and serving a customer.

    Every unit has a lead time and a quality score, so the chain computations walk the whole shape.

    >>> org = pathological("big_cycle", 3)
    >>> [(u["id"], u["depends_on"]) for u in org["units"]]
    [('u-000000', ['u-000001', 'v-000000']), ('u-000001', ['u-000002']), ('u-000002', ['u-000000'])]
    """
    if kind not in PATHOLOGICAL_SIZES:
        raise ValueError(f"unknown shape {kind!r}; expected one of {', '.join(PATHOLOGICAL_KINDS)}")
    size = PATHOLOGICAL_SIZES[kind] if n is None else n
    if size < 2:
        raise ValueError(f"n must be at least 2, got {size}")
    width = max(6, len(str(size)))
    ids = [f"u-{i:0{width}d}" for i in range(size)]
    vendor = f"v-{0:0{width}d}"
    customer = f"c-{0:0{width}d}"
    units: list[Data] = []
    with paused_gc():
        if kind == "chain":
            for i, uid in enumerate(ids):
                units.append(_plain_unit(uid, i, [ids[i - 1] if i else vendor]))
            served = ids[-1]
        elif kind == "big_cycle":
            for i, uid in enumerate(ids):
                deps: list[str | Data] = [ids[(i + 1) % size]]
                if i == 0:
                    deps.append(vendor)
                units.append(_plain_unit(uid, i, deps))
            served = ids[0]
        else:
            units = [_plain_unit(uid, i, [vendor]) for i, uid in enumerate(ids)]
            served = "u-consumer"
            units.append(_plain_unit(served, size, [{"any_of": list(ids), "volume": float(size)}]))
    return {
        "version": 1,
        "organization": {"name": f"Pathological {kind} of {size}", "period": "week"},
        "units": units,
        "customers": [{"id": customer, "depends_on": [served]}],
        "vendors": [{"id": vendor, "lead_time": "1d"}],
    }


def _plain_unit(uid: str, i: int, deps: list[str | Data]) -> Data:
    return {
        "id": uid,
        "lead_time": _LEAD_TIMES[i % len(_LEAD_TIMES)],
        "quality": round(0.6 + (i % 40) / 100, 2),
        "depends_on": deps,
    }
