#!/usr/bin/env python
"""Time ``double_failures`` for one customer with a large upstream (SPEC §9).

    python benchmarks/pairs.py [--upstream 10000] [--seed 1]

Builds a layered organization: every unit needs one unit of the layer below and, in one of three
cases, an any_of group of two more; the customer needs the top layer. Prints the upstream size,
the pairs found (capped at --limit) and the CPU time. A plain script, never part of the test run.
"""

from __future__ import annotations

import argparse
import random
import time

from orggraph.analysis import double_failures
from orggraph.graph import build_graph
from orggraph.model import load_dict


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, default=100, help="0: every pair")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    width = 100
    units = []
    for i in range(args.upstream):
        layer = i // width
        deps: list[object] = []
        if layer:
            below = list(range((layer - 1) * width, layer * width))
            picks = rng.sample(below, 3)
            deps.append(f"u{picks[0]}")
            if rng.random() < 1 / 3:
                deps.append({"any_of": [f"u{picks[1]}", f"u{picks[2]}"]})
        units.append({"id": f"u{i}", "depends_on": deps})
    top = [f"u{i}" for i in range(args.upstream - width, args.upstream)]
    data = {"units": units, "customers": [{"id": "c", "depends_on": [{"any_of": top}]}]}
    G = build_graph(load_dict(data))
    start = time.process_time()
    found = double_failures(G, "c", args.limit)
    took = time.process_time() - start
    print(
        f"upstream {args.upstream}: {len(found.pairs)} pairs, truncated {found.truncated}, "
        f"{took:.2f} s CPU"
    )


if __name__ == "__main__":
    main()
