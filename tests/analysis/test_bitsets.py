"""Bit positions and bit-sliced counts, narrow (plain Python) and wide (numpy), against the
obvious loop."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from orggraph.analysis._structure import BitCounter, bit_positions, bit_positions_of_rows

WIDTHS = st.sampled_from([1, 7, 64, 4095, 4096, 5000, 20000])


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_counts_and_positions_match_the_obvious_loop(data: st.DataObject) -> None:
    width = data.draw(WIDTHS)
    rows = data.draw(st.lists(st.integers(0, (1 << width) - 1), max_size=12))
    counter = BitCounter()
    for bits in rows:
        counter.add(bits)
    assert counter.counts(width) == [sum(bits >> i & 1 for bits in rows) for i in range(width)]
    for bits in rows:
        assert bit_positions(bits) == [i for i in range(width) if bits >> i & 1]


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_counts_stay_exact_past_the_small_counter(data: st.DataObject) -> None:
    """Hundreds of bitsets: the small counter is emptied into the big one every 255 additions,
    also between two reads of the counts."""
    width = data.draw(st.sampled_from([3, 70, 4100]))
    dense = st.integers(0, (1 << width) - 1) | st.just((1 << width) - 1)
    rows = data.draw(st.lists(dense, min_size=200, max_size=800))
    split = data.draw(st.integers(0, len(rows)))
    counter = BitCounter()
    for bits in rows[:split]:
        counter.add(bits)
    assert counter.counts(width) == [
        sum(bits >> i & 1 for bits in rows[:split]) for i in range(width)
    ]
    for bits in rows[split:]:
        counter.add(bits)
    assert counter.counts(width) == [sum(bits >> i & 1 for bits in rows) for i in range(width)]
    # the same through add_all, mixed with add, zeros among the rows
    together = BitCounter()
    together.add_all([*rows[:split], 0])
    for bits in rows[split : split + 3]:
        together.add(bits)
    together.add_all(rows[split + 3 :])
    assert together.counts(width) == counter.counts(width)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_positions_of_many_rows_match_one_row_at_a_time(data: st.DataObject) -> None:
    width = data.draw(WIDTHS)
    rows = data.draw(st.lists(st.integers(0, (1 << width) - 1), max_size=12))
    labels = data.draw(st.permutations(range(width)))
    assert bit_positions_of_rows(rows, width) == [bit_positions(bits) for bits in rows]
    assert bit_positions_of_rows(rows, width, labels) == [
        [labels[b] for b in bit_positions(bits)] for bits in rows
    ]
