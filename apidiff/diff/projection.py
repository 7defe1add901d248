"""Projection: which operations each change reaches, and by which member path.

A change is detected once, on the shape where it happens; here it is mapped onto every
operation whose request, response or errors can reach that shape. The graph is walked
upwards from the changed shape once (memoised per shape), never downwards per operation.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from apidiff.diff.change import Change, Via
from apidiff.diff.kinds import ChangeKind
from apidiff.model import Position, ServiceModel
from apidiff.model.service_model import CONTAINER_LABELS, labels_towards

# Kinds found on the old model only: where they reach is where they used to reach.
_OLD_SIDE_KINDS = frozenset(
    {ChangeKind.SHAPE_REMOVED, ChangeKind.MEMBER_REMOVED, ChangeKind.ENUM_VALUE_REMOVED}
)
_POSITION_ORDER = {position: index for index, position in enumerate(Position)}

# An operation and where in it: its request, its response or its errors.
Place = tuple[str, Position]


@dataclass(frozen=True, slots=True)
class Reach:
    """An operation a change reaches, where (request, response, error), and the member path.

    The path is dotted member names from the operation's input or output shape, with `[]`
    after a list and `{}` after a map: `Candidates[].CandidateProperties`.
    """

    operation: str
    position: Position
    path: str = ""

    def __reduce__(self) -> tuple[type[Reach], tuple[str, Position, str]]:
        # Rebuilt from its fields in order: the dataclass way (fields() looked up for each
        # object) was most of the time a release's report took between processes.
        return (Reach, (self.operation, self.position, self.path))


class ReachFinder:
    """Answers "which operations reach this shape, and how" for one model, memoised per shape."""

    def __init__(self, model: ServiceModel) -> None:
        self._model = model
        self._memo: dict[str, tuple[Reach, ...]] = {}
        self._places: dict[str, frozenset[Place]] = {}
        self._sorted_referrers: dict[str, list[str]] = {}
        self._labels: dict[tuple[str, str], str] = {}

    def member_label(self, change: Change) -> str:
        """How the changed member shows in a path: its name, or `[]`/`{key}`/`{}`."""
        shape = self._model.shapes.get(change.shape or "", {})
        member = change.member or ""
        if "members" not in shape and member in CONTAINER_LABELS:
            return CONTAINER_LABELS[member]
        return member

    def reaches(self, shape: str) -> tuple[Reach, ...]:
        if shape not in self._memo:
            self._memo[shape] = self._walk_up(shape)
        return self._memo[shape]

    def reached_from(self, shape: str) -> frozenset[Place]:
        """The (operation, position) of every reach of `shape`, without the paths: the roots
        among the shapes it can be reached from, found in any order."""
        found = self._places.get(shape)
        if found is None:
            referrers, roots = self._model.referrers, self._model.roots
            seen = {shape}
            pending = [shape]
            places: set[Place] = set()
            while pending:
                current = pending.pop()
                places.update(roots.get(current, ()))
                for parent in referrers.get(current, ()):
                    if parent not in seen:
                        seen.add(parent)
                        pending.append(parent)
            found = self._places[shape] = frozenset(places)
        return found

    def _walk_up(self, shape: str) -> tuple[Reach, ...]:
        # Breadth first, so each operation gets its shortest path to the shape.
        child_of: dict[str, str] = {shape: ""}
        queue = deque([shape])
        roots = self._model.roots
        found: dict[Place, Reach] = {}
        while queue:
            current = queue.popleft()
            for place in roots.get(current, ()):
                if place not in found:
                    found[place] = Reach(*place, self._path_down(current, child_of))
            for parent in self._parents(current):
                if parent not in child_of:
                    child_of[parent] = current
                    queue.append(parent)
        return tuple(
            sorted(
                found.values(), key=lambda reach: (reach.operation, _POSITION_ORDER[reach.position])
            )
        )

    def _parents(self, shape: str) -> list[str]:
        """The shapes that refer to `shape`, once each and sorted: equally short paths are
        chosen the same whatever the file's order. Walks up from many shapes meet the same
        shapes again, so each shape's are sorted once."""
        found = self._sorted_referrers.get(shape)
        if found is None:
            found = sorted(set(self._model.referrers.get(shape, ())))
            self._sorted_referrers[shape] = found
        return found

    def _path_down(self, start: str, child_of: Mapping[str, str]) -> str:
        """The member path from `start` down the walk to the shape it began at."""
        path = ""
        current = start
        while child := child_of[current]:
            label = self._label(current, child)
            if label in CONTAINER_LABELS.values():
                path += label
            else:
                path = f"{path}.{label}" if path else label
            current = child
        return path

    def _label(self, parent: str, child: str) -> str:
        """The first label by which `parent` refers to `child`: the one a path takes."""
        found = self._labels.get((parent, child))
        if found is None:
            found = min(labels_towards(self._model.shapes[parent], child))
            self._labels[parent, child] = found
        return found


def reaches_of_change(change: Change, old: ReachFinder, new: ReachFinder) -> tuple[Reach, ...]:
    """Every operation a change concerns, with the path to the changed shape or member."""
    if change.shape is None:
        if change.operation is None:
            return ()
        return (Reach(change.operation, Position.OPERATION),)
    finder = old if change.kind in _OLD_SIDE_KINDS else new
    if change.via:
        reaches = tuple(
            sorted(
                {reach for via in change.via for reach in _reaches_via(via, new)},
                key=lambda reach: (reach.operation, _POSITION_ORDER[reach.position], reach.path),
            )
        )
    else:
        reaches = finder.reaches(change.shape)
    if change.member is None:
        return reaches
    return tuple(
        Reach(reach.operation, reach.position, _join(reach.path, finder.member_label(change)))
        for reach in reaches
    )


def _reaches_via(via: Via, new: ReachFinder) -> tuple[Reach, ...]:
    """Where a change behind a retarget is seen: below the retargeted member or operation."""
    if via.shape is not None:
        return tuple(
            Reach(reach.operation, reach.position, _join(reach.path, via.path))
            for reach in new.reaches(via.shape)
        )
    assert via.operation is not None and via.position is not None
    return (Reach(via.operation, via.position, via.path),)


def _join(path: str, label: str) -> str:
    if not label:
        return path
    if label[0] in "[{" or not path:
        return path + label
    return f"{path}.{label}"
