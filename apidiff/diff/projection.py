"""Projection: which operations each change reaches, and by which member path.

A change is detected once, on the shape where it happens; here it is mapped onto every
operation whose request, response or errors can reach that shape. The graph is walked
upwards from the changed shape once (memoised per shape), never downwards per operation.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from apidiff.diff.change import Change
from apidiff.diff.kinds import ChangeKind
from apidiff.model import Position, ServiceModel

# Kinds found on the old model only: where they reach is where they used to reach.
_OLD_SIDE_KINDS = frozenset(
    {ChangeKind.SHAPE_REMOVED, ChangeKind.MEMBER_REMOVED, ChangeKind.ENUM_VALUE_REMOVED}
)
# How a list, map key or map value shows in a member path.
_CONTAINER_MARKS = {"member": "[]", "key": "{key}", "value": "{}"}
_POSITION_ORDER = {position: index for index, position in enumerate(Position)}


@dataclass(frozen=True, slots=True)
class Reach:
    """An operation a change reaches, where (request, response, error), and the member path.

    The path is dotted member names from the operation's input or output shape, with `[]`
    after a list and `{}` after a map: `Candidates[].CandidateProperties`.
    """

    operation: str
    position: Position
    path: str = ""


class ReachFinder:
    """Answers "which operations reach this shape, and how" for one model, memoised per shape."""

    def __init__(self, model: ServiceModel) -> None:
        self._model = model
        self._memo: dict[str, tuple[Reach, ...]] = {}

    def reaches(self, shape: str) -> tuple[Reach, ...]:
        if shape not in self._memo:
            self._memo[shape] = self._walk_up(shape)
        return self._memo[shape]

    def _walk_up(self, shape: str) -> tuple[Reach, ...]:
        # Breadth first, so each operation gets its shortest path to the shape.
        below: dict[str, tuple[str, str]] = {shape: ("", "")}
        queue = deque([shape])
        referrers, roots = self._model.referrers, self._model.roots
        found: dict[tuple[str, Position], Reach] = {}
        while queue:
            current = queue.popleft()
            for operation, position in roots.get(current, ()):
                if (operation, position) not in found:
                    found[operation, position] = Reach(
                        operation, position, _path_down(current, below)
                    )
            for parent, label in referrers.get(current, ()):
                if parent not in below:
                    below[parent] = (current, label)
                    queue.append(parent)
        return tuple(
            sorted(
                found.values(), key=lambda reach: (reach.operation, _POSITION_ORDER[reach.position])
            )
        )


def _path_down(start: str, below: Mapping[str, tuple[str, str]]) -> str:
    path = ""
    current = start
    while True:
        child, label = below[current]
        if not child:
            return path
        if label in _CONTAINER_MARKS:
            path += _CONTAINER_MARKS[label]
        else:
            path = f"{path}.{label}" if path else label
        current = child


def reaches_of_change(change: Change, old: ReachFinder, new: ReachFinder) -> tuple[Reach, ...]:
    """Every operation a change concerns, with the path to the changed shape or member."""
    if change.shape is None:
        if change.operation is None:
            return ()
        return (Reach(change.operation, Position.OPERATION),)
    finder = old if change.kind in _OLD_SIDE_KINDS else new
    reaches = finder.reaches(change.shape)
    if change.member is None or change.member in _CONTAINER_MARKS:
        return reaches
    return tuple(
        Reach(
            reach.operation,
            reach.position,
            f"{reach.path}.{change.member}" if reach.path else change.member,
        )
        for reach in reaches
    )
