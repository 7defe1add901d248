"""The delta of one operation's request or response: what a caller sees change, as a tree.

The walk goes through the old and new shape graphs side by side, from the operation's input
(or output) shape down through members, lists and maps. Each (old shape, new shape) pair is
computed once and memoised, so a shape shared by many operations costs one comparison, and a
cycle is cut where it closes: its changes are shown where the recursive shape first appears.
A map's keys show as a member called `{key}` when they changed (enum keys, say).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from apidiff.diff.skeleton import Skeleton, skeleton
from apidiff.model import ServiceModel


@dataclass(frozen=True, slots=True)
class DeltaTree:
    """What changed inside one shape, as seen from the member path that reaches it.

    Lists and maps are transparent: the tree of a list member is the tree of its items.
    """

    added: Mapping[str, Skeleton] = field(default_factory=dict)
    removed: Mapping[str, Skeleton] = field(default_factory=dict)
    enum_added: tuple[str, ...] = ()
    enum_removed: tuple[str, ...] = ()
    required_added: tuple[str, ...] = ()
    required_removed: tuple[str, ...] = ()
    type_change: tuple[str, str] | None = None
    nested: Mapping[str, DeltaTree] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(
            self.added
            or self.removed
            or self.enum_added
            or self.enum_removed
            or self.required_added
            or self.required_removed
            or self.type_change
            or self.nested
        )


EMPTY_DELTA = DeltaTree()

_NO_CUT = 1 << 30
# Beyond this many pair comparisons per shape, trees are memoised even where inexact.
_COMPARISONS_PER_SHAPE = 20


class DeltaBuilder:
    """Builds request and response deltas for every operation of one pair of models."""

    def __init__(self, old: ServiceModel, new: ServiceModel, changed_shapes: Iterable[str]) -> None:
        self._old = old
        self._new = new
        self._dirty = frozenset(_ancestors(changed_shapes, old) | _ancestors(changed_shapes, new))
        self._memo: dict[tuple[str, str], DeltaTree] = {}
        # The pairs being compared, with their depth on the walk's stack.
        self._in_progress: dict[tuple[str, str], int] = {}
        # The shallowest in-progress pair the current comparison cut a cycle at.
        self._lowest_cut = _NO_CUT
        self._compared = 0
        self._budget = _COMPARISONS_PER_SHAPE * (len(old.shapes) + len(new.shapes))

    def delta(self, old_shape: str | None, new_shape: str | None) -> DeltaTree:
        """The delta between an operation's old and new input (or output) shapes."""
        if old_shape is None and new_shape is None:
            return EMPTY_DELTA
        if old_shape is None or new_shape is None:
            # A request or response appears or vanishes as a whole: every member is new or gone.
            assert old_shape is not None or new_shape is not None
            if new_shape is not None:
                return DeltaTree(added=_as_members(skeleton(self._new, new_shape)))
            assert old_shape is not None
            return DeltaTree(removed=_as_members(skeleton(self._old, old_shape)))
        return self._pair(old_shape, new_shape)

    def _pair(self, old_name: str, new_name: str) -> DeltaTree:
        key = (old_name, new_name)
        if old_name == new_name and old_name not in self._dirty:
            return EMPTY_DELTA
        if key in self._memo:
            return self._memo[key]
        if key in self._in_progress:
            self._lowest_cut = min(self._lowest_cut, self._in_progress[key])
            return EMPTY_DELTA
        depth = len(self._in_progress)
        self._in_progress[key] = depth
        outer_cut, self._lowest_cut = self._lowest_cut, _NO_CUT
        self._compared += 1
        tree = self._compare(self._old.shapes[old_name], self._new.shapes[new_name])
        del self._in_progress[key]
        # A tree that cut a cycle at a pair above it is right only from that pair's side, so
        # it is kept only when it depends on nothing above it, like Tarjan's low link. On
        # densely cyclic shapes that is factorial work; past the budget, keep everything.
        if self._lowest_cut >= depth or self._compared > self._budget:
            self._memo[key] = tree
        self._lowest_cut = min(outer_cut, self._lowest_cut)
        return tree

    def _compare(self, before: Mapping[str, Any], after: Mapping[str, Any]) -> DeltaTree:
        old_type, new_type = before["type"], after["type"]
        if old_type != new_type:
            return DeltaTree(type_change=(old_type, new_type))
        if old_type == "structure":
            return self._compare_structures(before, after)
        if old_type == "list":
            return self._pair(before["member"]["shape"], after["member"]["shape"])
        if old_type == "map":
            values = self._pair(before["value"]["shape"], after["value"]["shape"])
            keys = self._pair(before["key"]["shape"], after["key"]["shape"])
            if not keys:
                return values
            return dataclasses.replace(values, nested={"{key}": keys, **values.nested})
        old_values, new_values = before.get("enum", ()), after.get("enum", ())
        if old_values == new_values:
            return EMPTY_DELTA
        return DeltaTree(
            enum_added=tuple(value for value in new_values if value not in old_values),
            enum_removed=tuple(value for value in old_values if value not in new_values),
        )

    def _compare_structures(self, before: Mapping[str, Any], after: Mapping[str, Any]) -> DeltaTree:
        old_members: Mapping[str, Any] = before.get("members", {})
        new_members: Mapping[str, Any] = after.get("members", {})
        added = {
            name: skeleton(self._new, new_members[name]["shape"])
            for name in sorted(new_members.keys() - old_members.keys())
        }
        removed = {
            name: skeleton(self._old, old_members[name]["shape"])
            for name in sorted(old_members.keys() - new_members.keys())
        }
        nested = {}
        for name in sorted(old_members.keys() & new_members.keys()):
            tree = self._pair(old_members[name]["shape"], new_members[name]["shape"])
            if tree:
                nested[name] = tree
        kept = old_members.keys() & new_members.keys()
        old_required = set(before.get("required", ())) & kept
        new_required = set(after.get("required", ())) & kept
        return DeltaTree(
            added=added,
            removed=removed,
            required_added=tuple(sorted(new_required - old_required)),
            required_removed=tuple(sorted(old_required - new_required)),
            nested=nested,
        )


def _as_members(value: Skeleton) -> Mapping[str, Skeleton]:
    return value if isinstance(value, dict) else {}


def _ancestors(start: Iterable[str], model: ServiceModel) -> set[str]:
    """The given shapes and every shape from which one of them can be reached."""
    seen = set(start)
    pending = list(seen)
    referrers = model.referrers
    while pending:
        for parent, _label in referrers.get(pending.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                pending.append(parent)
    return seen
