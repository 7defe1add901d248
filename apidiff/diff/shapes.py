"""Shape-level detectors: each shape present in both models is compared once, by name.

Shapes whose dicts are equal are skipped with one C-level comparison, which is what makes
diffing a 3,000-shape model cheap: most shapes are unchanged in most releases.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from apidiff.diff.change import Change, changed_values
from apidiff.diff.kinds import ChangeKind
from apidiff.model import ServiceModel

Shape = Mapping[str, Any]

CONSTRAINTS = ("min", "max", "pattern")
# Keys of a shape compared by their own detectors; every other key is a trait.
_STRUCTURAL_KEYS = frozenset(
    {"type", "members", "member", "key", "value", "enum", "required", "documentation", *CONSTRAINTS}
)
_REF_STRUCTURAL_KEYS = frozenset({"shape", "documentation"})


def redefined_shapes(old: ServiceModel, new: ServiceModel) -> frozenset[str]:
    """The shapes only one model defines, or the two define differently: all a diff of
    their shapes has to look at."""
    old_shapes, new_shapes = old.shapes, new.shapes
    # One pass over the old shapes, one look-up each, then the names only the new one has:
    # half the time of comparing over the union of both models' names.
    defined_now = new_shapes.get
    redefined = [name for name, shape in old_shapes.items() if defined_now(name) != shape]
    redefined.extend(new_shapes.keys() - old_shapes.keys())
    return frozenset(redefined)


def diff_shapes(
    old: ServiceModel, new: ServiceModel, redefined: Collection[str] | None = None
) -> Iterator[Change]:
    """Every change between the shapes of two models; `redefined` is their
    `redefined_shapes`, where the caller has it already."""
    old_shapes, new_shapes = old.shapes, new.shapes
    for name in redefined_shapes(old, new) if redefined is None else redefined:
        if name not in new_shapes:
            yield Change(ChangeKind.SHAPE_REMOVED, shape=name, old=old_shapes[name].get("type"))
        elif name not in old_shapes:
            yield Change(ChangeKind.SHAPE_ADDED, shape=name, new=new_shapes[name].get("type"))
        else:
            yield from diff_shape(name, old_shapes[name], new_shapes[name])


def diff_shape(name: str, before: Shape, after: Shape) -> Iterator[Change]:
    """Every change between two definitions of the shape called `name`."""
    if before.get("type") != after.get("type"):
        yield Change(
            ChangeKind.SHAPE_TYPE_CHANGED, shape=name, old=before.get("type"), new=after.get("type")
        )
        return
    yield from _enum_values(name, before, after)
    yield from _constraints(name, before, after)
    yield from _shape_traits(name, before, after)
    if before.get("documentation") != after.get("documentation"):
        yield Change(
            ChangeKind.SHAPE_DOCS_CHANGED,
            shape=name,
            old=before.get("documentation"),
            new=after.get("documentation"),
        )
    if "members" in before or "members" in after:
        yield from _members(name, before, after)
    else:
        for label in ("member", "key", "value"):
            yield from _reference(name, label, before.get(label), after.get(label))


def _enum_values(name: str, before: Shape, after: Shape) -> Iterator[Change]:
    old_values, new_values = before.get("enum", ()), after.get("enum", ())
    if old_values == new_values:
        return
    kept = set(old_values) & set(new_values)
    for value in old_values:
        if value not in kept:
            yield Change(ChangeKind.ENUM_VALUE_REMOVED, shape=name, old=value)
    for value in new_values:
        if value not in kept:
            yield Change(ChangeKind.ENUM_VALUE_ADDED, shape=name, new=value)


def _constraints(name: str, before: Shape, after: Shape) -> Iterator[Change]:
    for constraint, old, new in changed_values(before, after, CONSTRAINTS):
        yield Change(ChangeKind.CONSTRAINT_CHANGED, shape=name, aspect=constraint, old=old, new=new)


def _shape_traits(name: str, before: Shape, after: Shape) -> Iterator[Change]:
    for trait, old, new in changed_values(before, after, skip=_STRUCTURAL_KEYS):
        yield Change(ChangeKind.SHAPE_TRAIT_CHANGED, shape=name, aspect=trait, old=old, new=new)


def _members(name: str, before: Shape, after: Shape) -> Iterator[Change]:
    old_members: Mapping[str, Any] = before.get("members", {})
    new_members: Mapping[str, Any] = after.get("members", {})
    for member, ref in old_members.items():
        if member not in new_members:
            yield Change(ChangeKind.MEMBER_REMOVED, shape=name, member=member, old=ref["shape"])
    for member, ref in new_members.items():
        if member not in old_members:
            yield Change(ChangeKind.MEMBER_ADDED, shape=name, member=member, new=ref["shape"])
        else:
            yield from _reference(name, member, old_members[member], ref)
    # Only members on both sides: a new required member is "member.added" (classified by its
    # required flag), a removed one "member.removed", so both directions say it once.
    kept = old_members.keys() & new_members.keys()
    old_required = set(before.get("required", ())) & kept
    new_required = set(after.get("required", ())) & kept
    for member in sorted(new_required - old_required):
        yield Change(ChangeKind.MEMBER_REQUIRED_ADDED, shape=name, member=member)
    for member in sorted(old_required - new_required):
        yield Change(ChangeKind.MEMBER_REQUIRED_REMOVED, shape=name, member=member)


def _reference(
    name: str, member: str, before: Shape | None, after: Shape | None
) -> Iterator[Change]:
    """A structure member, list member or map key/value: its target, traits and docs."""
    if before == after:
        return
    if before is None or after is None:
        # A list became a map or the like: the shape's type changed and was reported as such.
        return
    if before["shape"] != after["shape"]:
        yield Change(
            ChangeKind.MEMBER_TARGET_CHANGED,
            shape=name,
            member=member,
            old=before["shape"],
            new=after["shape"],
        )
    for trait, old, new in changed_values(before, after, skip=_REF_STRUCTURAL_KEYS):
        yield Change(
            ChangeKind.MEMBER_TRAIT_CHANGED,
            shape=name,
            member=member,
            aspect=trait,
            old=old,
            new=new,
        )
    if before.get("documentation") != after.get("documentation"):
        yield Change(
            ChangeKind.MEMBER_DOCS_CHANGED,
            shape=name,
            member=member,
            old=before.get("documentation"),
            new=after.get("documentation"),
        )
