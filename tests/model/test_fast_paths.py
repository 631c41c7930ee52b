"""The fast path of validation: what it keeps between files, and what it does to the
collector, must not show in any result."""

from __future__ import annotations

import gc

import pytest

from orggraph.errors import OrgValidationError
from orggraph.generate import generate_org
from orggraph.graph import build_graph
from orggraph.model import load_dict


def test_loading_and_building_leave_objects_the_program_froze_frozen() -> None:
    org = load_dict(generate_org(50, seed=4))
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        build_graph(org)
        load_dict(generate_org(50, seed=5))
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_lead_times_read_again_give_the_same_hours_and_the_same_errors() -> None:
    # lead times already read are remembered; a bad one must fail every time, the same way
    def messages(lead_time: object) -> list[str]:
        with pytest.raises(OrgValidationError) as info:
            load_dict({"units": [{"id": "a", "lead_time": lead_time}]})
        return [p.render() for p in info.value.problems]

    first = [messages("3 parsecs"), messages("12"), messages(12), messages("P1M")]
    for _ in range(2):
        org = load_dict(
            {"units": [{"id": "a", "lead_time": "1.5d"}, {"id": "b", "lead_time": "PT6H"}]}
        )
        assert [u.lead_time for u in org.units] == [36.0, 6.0]
        assert [messages("3 parsecs"), messages("12"), messages(12), messages("P1M")] == first
