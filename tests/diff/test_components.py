"""Strongly connected components of a graph explored as it is asked about."""

from __future__ import annotations

import itertools

from apidiff.diff.components import ComponentFinder

GRAPH = {
    "a": ["b"],
    "b": ["c", "d"],
    "c": ["b"],
    "d": ["d", "e"],
    "e": [],
}


def _groups(order: list[str]) -> dict[str, tuple[frozenset[str], bool]]:
    finder = ComponentFinder(GRAPH.__getitem__)
    found = {node: finder.component(node) for node in order}
    return {
        node: (
            frozenset(other for other in GRAPH if found[other] == component),
            component.cyclic,
        )
        for node, component in found.items()
    }


def test_components_and_their_cycles() -> None:
    groups = _groups(list(GRAPH))
    assert groups["b"] == groups["c"] == (frozenset("bc"), True)
    assert groups["a"] == (frozenset("a"), False)
    assert groups["d"] == (frozenset("d"), True)  # through itself
    assert groups["e"] == (frozenset("e"), False)


def test_components_do_not_depend_on_the_order_nodes_are_asked_about() -> None:
    expected = _groups(list(GRAPH))
    for order in itertools.permutations(GRAPH):
        assert _groups(list(order)) == expected


def test_a_long_chain_and_ring_are_explored_without_recursion() -> None:
    length = 20_000
    chain = ComponentFinder(lambda node: [node + 1] if node < length else [])
    assert not chain.component(0).cyclic
    assert chain.component(length).size == 1
    ring = ComponentFinder(lambda node: [(node + 1) % length])
    assert ring.component(0).size == length
    assert ring.component(0).cyclic
