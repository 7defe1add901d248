"""The strongly connected components of a graph explored as it is asked about.

Tarjan's algorithm, without recursion (shape graphs nest thousands deep), run from each node
asked about that no earlier run reached. The components do not depend on the order in which
nodes are asked about: they are a property of the graph.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

Node = TypeVar("Node", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Component:
    """One strongly connected component of `size` nodes: `cyclic` when a path leads from a node
    back to it."""

    number: int
    size: int
    cyclic: bool


class ComponentFinder(Generic[Node]):
    """The component of each node of the graph whose edges `successors` gives."""

    def __init__(self, successors: Callable[[Node], Iterable[Node]]) -> None:
        self._successors = successors
        self._components: dict[Node, Component] = {}
        # Tarjan's discovery order and low links; kept across runs, as the algorithm requires.
        self._order: dict[Node, int] = {}
        self._low: dict[Node, int] = {}

    def component(self, node: Node) -> Component:
        found = self._components.get(node)
        if found is None:
            self._explore(node)
            found = self._components[node]
        return found

    def _explore(self, root: Node) -> None:
        stack: list[Node] = []
        on_stack: set[Node] = set()
        pending: list[tuple[Node, Iterator[Node]]] = []

        def visit(node: Node) -> None:
            self._order[node] = self._low[node] = len(self._order)
            stack.append(node)
            on_stack.add(node)
            pending.append((node, iter(self._successors(node))))

        visit(root)
        while pending:
            node, successors = pending[-1]
            for successor in successors:
                if successor not in self._order:
                    visit(successor)
                    break
                if successor in on_stack:
                    self._low[node] = min(self._low[node], self._order[successor])
            else:
                pending.pop()
                if pending:
                    parent = pending[-1][0]
                    self._low[parent] = min(self._low[parent], self._low[node])
                if self._low[node] == self._order[node]:
                    self._close(node, stack, on_stack)

    def _close(self, root: Node, stack: list[Node], on_stack: set[Node]) -> None:
        members = [stack.pop()]
        while members[-1] != root:
            members.append(stack.pop())
        on_stack.difference_update(members)
        cyclic = len(members) > 1 or root in self._successors(root)
        component = Component(len(self._components), len(members), cyclic)
        for member in members:
            self._components[member] = component
