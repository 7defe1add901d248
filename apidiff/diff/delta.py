"""The delta of one operation's request or response: what a caller sees change, as a tree.

The walk goes through the old and new shape graphs side by side, from the operation's input
(or output) shape down through members, lists and maps, and a cycle is cut where it closes:
its changes are shown where the walk first meets the recursive shape, and not again one turn
further down. Trees of (old shape, new shape) pairs are memoised, so a shape shared by many
operations costs one comparison, but only where that cannot make an operation's delta depend
on which operations were walked before it (see DeltaBuilder). A map's keys show as a member
called `{key}` when they changed (enum keys, say).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from apidiff.diff.components import ComponentFinder
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

    def __reduce__(self) -> tuple[type[DeltaTree], tuple[Any, ...]]:
        # Rebuilt from its fields in order, as Reach is (see there).
        return (
            DeltaTree,
            (
                self.added,
                self.removed,
                self.enum_added,
                self.enum_removed,
                self.required_added,
                self.required_removed,
                self.type_change,
                self.nested,
            ),
        )

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

Pair = tuple[str, str]

# Within one cyclic group of pairs, past this many comparisons per pair of the group, a walk
# stops telling apart the paths it came by (see _GroupWalk).
_COMPARISONS_PER_PAIR = 64


@dataclass(slots=True)
class _GroupWalk:
    """A walk inside one cyclic group of pairs (a strongly connected component of the pair
    graph), from the pair where the group was entered.

    Inside the group, a pair's tree depends on which pairs of the group are on the path to it,
    so trees are kept per (pair, the group's pairs on the path). On a densely cyclic group that
    is exponential work; past the budget, trees are kept per pair alone. That is no longer
    exact (a tree may lack what a cut elsewhere hid, though each change still shows somewhere
    below the entry), but it depends on nothing but the pair the walk started from, and the
    walk is kept for its entry alone, so an operation's delta still does not depend on others.
    """

    budget: int
    on_path: set[Pair] = field(default_factory=set)
    trees: dict[tuple[Pair, frozenset[Pair] | None], DeltaTree] = field(default_factory=dict)
    compared: int = 0


class DeltaBuilder:
    """Builds request and response deltas for every operation of one pair of models.

    A pair's tree depends on where it is reached from only through the pairs of its own
    cyclic group (strongly connected component of the pair graph) on the path to it, where
    the walk cuts. So the tree of a pair reached with none of those on the path is the same
    from everywhere and is memoised: a pair outside every cycle is compared once, a cyclic
    group is walked once from each pair it is entered at (see _GroupWalk). Which operations
    were walked before never changes an operation's delta.
    """

    def __init__(self, old: ServiceModel, new: ServiceModel, changed_shapes: Iterable[str]) -> None:
        self._old = old
        self._new = new
        self._graph = _PairGraph(old, new, changed_shapes)
        # Trees of pairs reached with no pair of their group on the path. A tree made inside
        # a cycle carries the cuts of the walk that made it; reused from another place in the
        # cycle it showed the cycle's changes again, one turn further down.
        self._memo: dict[Pair, DeltaTree] = {}
        # The graph's method, not one of the builder's: the finder keeps what it is given, and
        # a builder holding a finder holding the builder would be a cycle, keeping both models
        # alive until a cyclic collection (compare pauses those while it compares a service).
        self._groups = ComponentFinder(self._graph.successors)
        self._walks: dict[int, _GroupWalk] = {}

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
        pair = (old_name, new_name)
        if self._graph.unchanged(pair):
            return EMPTY_DELTA
        group = self._groups.component(pair)
        walk = self._walks.get(group.number)
        if walk is not None:
            return EMPTY_DELTA if pair in walk.on_path else self._walk_to(walk, pair)
        tree = self._memo.get(pair)
        if tree is None:
            if group.cyclic:
                walk = _GroupWalk(budget=_COMPARISONS_PER_PAIR * group.size)
                self._walks[group.number] = walk
                tree = self._walk_to(walk, pair)
                del self._walks[group.number]
            else:
                tree = self._compare(pair)
            self._memo[pair] = tree
        return tree

    def _walk_to(self, walk: _GroupWalk, pair: Pair) -> DeltaTree:
        key = (pair, frozenset(walk.on_path) if walk.compared < walk.budget else None)
        tree = walk.trees.get(key)
        if tree is None:
            walk.compared += 1
            walk.on_path.add(pair)
            tree = self._compare(pair)
            walk.on_path.discard(pair)
            walk.trees[key] = tree
        return tree

    def _compare(self, pair: Pair) -> DeltaTree:
        before, after = self._old.shapes[pair[0]], self._new.shapes[pair[1]]
        old_type, new_type = before["type"], after["type"]
        if old_type != new_type:
            return DeltaTree(type_change=(old_type, new_type))
        inner = {label: self._pair(*link) for label, link in self._graph.links(pair).items()}
        if old_type == "structure":
            return self._compare_structures(before, after, inner)
        if old_type == "list":
            return inner[_ITEMS]
        if old_type == "map":
            values, keys = inner[_VALUES], inner[_KEYS]
            if not keys:
                return values
            return dataclasses.replace(values, nested={_KEYS: keys, **values.nested})
        old_values, new_values = before.get("enum", ()), after.get("enum", ())
        if old_values == new_values:
            return EMPTY_DELTA
        return DeltaTree(
            enum_added=tuple(value for value in new_values if value not in old_values),
            enum_removed=tuple(value for value in old_values if value not in new_values),
        )

    def _compare_structures(
        self, before: Mapping[str, Any], after: Mapping[str, Any], inner: Mapping[str, DeltaTree]
    ) -> DeltaTree:
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
        kept = old_members.keys() & new_members.keys()
        old_required = set(before.get("required", ())) & kept
        new_required = set(after.get("required", ())) & kept
        return DeltaTree(
            added=added,
            removed=removed,
            required_added=tuple(sorted(new_required - old_required)),
            required_removed=tuple(sorted(old_required - new_required)),
            nested={name: tree for name, tree in inner.items() if tree},
        )


class _PairGraph:
    """The graph of (old shape, new shape) pairs a delta walks: a pair leads to the pairs of
    its links, and a pair of one unchanged shape, under which nothing changed, to none."""

    def __init__(self, old: ServiceModel, new: ServiceModel, changed_shapes: Iterable[str]) -> None:
        self._old_shapes = old.shapes
        self._new_shapes = new.shapes
        self._dirty = frozenset(_ancestors(changed_shapes, old) | _ancestors(changed_shapes, new))
        # A pair's links are asked for when its group is found and again when it is compared.
        self._links: dict[Pair, dict[str, Pair]] = {}

    def unchanged(self, pair: Pair) -> bool:
        return pair[0] == pair[1] and pair[0] not in self._dirty

    def links(self, pair: Pair) -> Mapping[str, Pair]:
        """The pairs the pair's tree is made of, by label (see `_links`)."""
        found = self._links.get(pair)
        if found is None:
            found = _links(self._old_shapes[pair[0]], self._new_shapes[pair[1]])
            self._links[pair] = found
        return found

    def successors(self, pair: Pair) -> Iterable[Pair]:
        if self.unchanged(pair):
            return ()
        return self.links(pair).values()


# How a list's items, a map's values and its keys are labelled among a pair's links.
_ITEMS, _VALUES, _KEYS = "[]", "{}", "{key}"


def _links(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Pair]:
    """The pairs a pair's tree is made of: its kept members', its items', its values' and
    keys'; none where the two shapes' types differ."""
    shape_type = before["type"]
    if shape_type != after["type"]:
        return {}
    if shape_type == "structure":
        old_members: Mapping[str, Any] = before.get("members", {})
        new_members: Mapping[str, Any] = after.get("members", {})
        return {
            name: (old_members[name]["shape"], new_members[name]["shape"])
            for name in sorted(old_members.keys() & new_members.keys())
        }
    if shape_type == "list":
        return {_ITEMS: (before["member"]["shape"], after["member"]["shape"])}
    if shape_type == "map":
        return {
            _VALUES: (before["value"]["shape"], after["value"]["shape"]),
            _KEYS: (before["key"]["shape"], after["key"]["shape"]),
        }
    return {}


def _as_members(value: Skeleton) -> Mapping[str, Skeleton]:
    return value if isinstance(value, dict) else {}


def reshaped_shapes(old: ServiceModel, new: ServiceModel, names: Iterable[str]) -> set[str]:
    """Of the shapes called `names`, those whose outline differs between the two models: the
    changes a delta can show are of these (a documentation or a trait is not in a delta)."""
    return {
        name for name in names if _outline(old.shapes.get(name)) != _outline(new.shapes.get(name))
    }


def _outline(shape: Mapping[str, Any] | None) -> tuple[Any, ...] | None:
    """All of a shape that its trees read (`_compare`, `_links`): its type, what its
    members, items, keys and values refer to, its required members and its enum."""
    if shape is None:
        return None
    return (
        shape.get("type"),
        {name: ref["shape"] for name, ref in shape.get("members", {}).items()},
        {label: shape[label]["shape"] for label in ("member", "key", "value") if label in shape},
        shape.get("required"),
        shape.get("enum"),
    )


def _ancestors(start: Iterable[str], model: ServiceModel) -> set[str]:
    """The given shapes and every shape from which one of them can be reached."""
    seen = set(start)
    pending = list(seen)
    referrers = model.referrers
    while pending:
        for parent in referrers.get(pending.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                pending.append(parent)
    return seen
