"""Organizations for the view tests: the Acme example, a hostile one, and large synthetic ones."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import networkx as nx

from orggraph.graph import build_graph
from orggraph.model import load, load_dict

__all__ = ["ACME", "HOSTILE_NAMES", "acme", "hostile", "synthetic"]

ACME = Path(__file__).resolve().parent / "data" / "acme.yaml"

#: Each sets a window flag and opens a dialog if it ever runs as code.
IMG = '<img src=x onerror="window.__xss=1;alert(1)">'
SCRIPT = "</script><script>window.__xss=2;alert(2)</script>"
HREF = '<a href="javascript:window.__xss=3" onmouseover="window.__xss=3">link href</a>'
COMMENT = "<!-- <script>window.__xss=4</script>"
QUOTES = "\"quoted\" 'single' & ampersand ` backtick # hash ; semi [brackets] {braces} |pipe|"
SEPARATORS = "line\u2028separator\u2029paragraph\ttab"
HOSTILE_NAMES = (IMG, SCRIPT, HREF, COMMENT, QUOTES, SEPARATORS)


def acme() -> nx.DiGraph:
    return build_graph(load(ACME))


def hostile() -> nx.DiGraph:
    """Every free-text field that reaches a view carries a payload."""
    data: dict[str, Any] = {
        "organization": {"name": SCRIPT + IMG, "period": IMG},
        "units": [
            {"id": "dept", "name": COMMENT, "kind": "department"},
            {
                "id": "img",
                "name": IMG,
                "parent": "dept",
                "owner": SCRIPT,
                "description": HREF,
                "tags": [IMG, SCRIPT],
                "attributes": {IMG: SCRIPT, "nested": {"k": [IMG, HREF]}},
                "capacity": 10,
                "depends_on": [
                    {"supplier": "vendor", "service": SCRIPT, "note": IMG, "volume": 12}
                ],
            },
            {
                "id": "script",
                "name": SCRIPT,
                "parent": "dept",
                "depends_on": [
                    {"any_of": ["img", "href"], "service": HREF, "note": COMMENT, "volume": 4}
                ],
            },
            {"id": "href", "name": HREF, "description": QUOTES, "depends_on": ["vendor"]},
            {
                "id": "quotes",
                "name": QUOTES,
                "depends_on": [{"supplier": "script", "required": False}],
            },
            {"id": "separators", "name": SEPARATORS, "depends_on": ["script"]},
        ],
        "customers": [
            {"id": "customer", "name": IMG, "weight": 2, "depends_on": ["script", "separators"]},
            {"id": "customer-2", "name": QUOTES, "depends_on": ["quotes", "img"]},
        ],
        "vendors": [{"id": "vendor", "name": SCRIPT, "description": IMG}],
    }
    return build_graph(load_dict(data))


def synthetic(
    units: int, customers: int = 40, vendors: int = 20, departments: int = 12, seed: int = 7
) -> nx.DiGraph:
    """A layered organization of the given size: vendors feed the first units, each unit depends
    on one to three earlier ones (some optional, some any_of), customers on the last units."""
    rng = random.Random(seed)
    heads = [f"dept-{d:02d}" for d in range(departments)]
    unit_rows: list[dict[str, Any]] = [{"id": h, "kind": "department"} for h in heads]
    ids: list[str] = []
    vendor_ids = [f"vendor-{v:03d}" for v in range(vendors)]
    for i in range(units - departments):
        uid = f"u{i:05d}"
        deps: list[Any] = []
        pool = ids[-300:] if ids else []
        if not pool or rng.random() < 0.05:
            deps.append(rng.choice(vendor_ids))
        if pool:
            for s in sorted(set(rng.sample(pool, min(len(pool), rng.randint(1, 3))))):
                roll = rng.random()
                if roll < 0.15:
                    deps.append({"supplier": s, "required": False})
                else:
                    deps.append({"supplier": s, "volume": rng.randint(1, 20)})
            if len(pool) > 4 and rng.random() < 0.1:
                alternatives = sorted(
                    set(rng.sample(pool, 2))
                    - {d if isinstance(d, str) else d.get("supplier") for d in deps}
                )
                if len(alternatives) == 2:
                    deps.append({"any_of": alternatives, "volume": 10})
        unit_rows.append(
            {
                "id": uid,
                "parent": heads[i % departments],
                "capacity": rng.randint(20, 120),
                "depends_on": deps,
            }
        )
        ids.append(uid)
    tail = ids[-max(customers * 3, 10) :]
    customer_rows = [
        {
            "id": f"customer-{c:03d}",
            "weight": rng.randint(1, 10),
            "depends_on": sorted(set(rng.sample(tail, min(len(tail), 2)))),
        }
        for c in range(customers)
    ]
    data = {
        "organization": {"name": f"Synthetic {units}", "period": "week"},
        "units": unit_rows,
        "customers": customer_rows,
        "vendors": [{"id": v} for v in vendor_ids],
    }
    return build_graph(load_dict(data))
