"""A botocore service model: the parsed service-2.json plus the indexes every later stage needs.

Shapes stay the plain dicts botocore ships; they are looked up by name and never copied, so a
3,000-shape model costs only what a diff touches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from apidiff.sources.base import ModelFile, Provenance

Shape = Mapping[str, Any]


class Position(StrEnum):
    """Where a change meets an operation: the call itself, its request, response or errors."""

    OPERATION = "operation"
    REQUEST = "request"
    RESPONSE = "response"
    ERROR = "error"


# For each shape, the shapes that refer to it (see ServiceModel.referrers).
Referrers = Mapping[str, Sequence[str]]

# How a list's items and a map's keys and values are written in member paths.
CONTAINER_LABELS = {"member": "[]", "key": "{key}", "value": "{}"}


@dataclass(frozen=True, slots=True)
class Edge:
    """One way a shape refers to another: a structure member, a list member, a map key or value."""

    label: str
    target: str


def edges_of(shape: Shape) -> Iterator[Edge]:
    """The references of one shape, members in model order (botocore's documentation order)."""
    members = shape.get("members")
    if members is not None:
        for name, ref in members.items():
            yield Edge(name, ref["shape"])
        return
    for label in ("member", "key", "value"):
        ref = shape.get(label)
        if ref is not None:
            yield Edge(label, ref["shape"])


@dataclass(frozen=True)
class ServiceModel:
    """One version of one service: its model document and the files botocore keeps beside it.

    The endpoint rule set and the release's partitions stay files: they are read only where
    the rule sets of two versions differ (`apidiff.diff.endpoints`), rarely.
    """

    name: str
    api_version: str
    document: Mapping[str, Any]
    provenance: Provenance
    paginators: Mapping[str, Any] | None = None
    waiters: Mapping[str, Any] | None = None
    endpoint_rules: ModelFile | None = None
    partitions: ModelFile | None = None

    @property
    def shapes(self) -> Mapping[str, Shape]:
        return self.document["shapes"]  # type: ignore[no-any-return]

    @property
    def operations(self) -> Mapping[str, Mapping[str, Any]]:
        return self.document["operations"]  # type: ignore[no-any-return]

    @property
    def metadata(self) -> Mapping[str, Any]:
        return self.document["metadata"]  # type: ignore[no-any-return]

    @property
    def full_name(self) -> str:
        metadata = self.metadata
        return str(metadata.get("serviceFullName") or metadata.get("serviceId") or self.name)

    @cached_property
    def referrers(self) -> Referrers:
        """For each shape, the shapes that point at it, once for each reference, in no
        particular order: the graph upwards. `labels_towards` says by which members.

        Names alone, no labels: it is the one index over the whole model that every diff
        needs, so its cost is most of the cost of diffing two large models, and a walk up
        needs the labels of only the few references it takes.
        """
        found: defaultdict[str, list[str]] = defaultdict(list)
        for name, shape in self.shapes.items():
            members = shape.get("members")
            if members is not None:
                for ref in members.values():
                    found[ref["shape"]].append(name)
                continue
            for key in CONTAINER_LABELS:
                ref = shape.get(key)
                if ref is not None:
                    found[ref["shape"]].append(name)
        return found

    def take_referrers_from(self, earlier: ServiceModel, redefined: Collection[str]) -> None:
        """Make this model's `referrers` from `earlier`'s, where the two models define every
        shape alike but those in `redefined` (any that either defines otherwise, or only one
        defines; more do no harm): only those shapes' references can differ.

        From one release to the next most shapes are the same, so this costs the references
        of the few redefined ones, where computing `referrers` costs every reference.
        """
        # The index is what `referrers` would compute, so it is kept where that would be.
        object.__setattr__(self, "referrers", referrers_after(earlier, self, redefined))

    @cached_property
    def roots(self) -> Mapping[str, Sequence[tuple[str, Position]]]:
        """For each shape, the operations that use it directly as input, output or error."""
        found: defaultdict[str, list[tuple[str, Position]]] = defaultdict(list)
        # Each member looked up once: an enumeration's member is a slow class attribute.
        request, response, error = Position.REQUEST, Position.RESPONSE, Position.ERROR
        for name, operation in self.operations.items():
            if "input" in operation:
                found[operation["input"]["shape"]].append((name, request))
            if "output" in operation:
                found[operation["output"]["shape"]].append((name, response))
            for ref in operation.get("errors", ()):
                found[ref["shape"]].append((name, error))
        return dict(found)


def referrers_after(
    earlier: ServiceModel, later: ServiceModel, redefined: Collection[str]
) -> Referrers:
    """`later.referrers`, from `earlier.referrers`: see `ServiceModel.take_referrers_from`.

    The list of a shape no redefined shape refers to, in either model, is `earlier`'s own;
    any other is a copy of `earlier`'s, less one name for each reference a redefined shape
    made in `earlier`, plus one for each it makes in `later`.
    """
    previous = earlier.referrers
    mended: dict[str, list[str]] = {}

    def copied(target: str) -> list[str]:
        names = mended.get(target)
        if names is None:
            names = mended[target] = list(previous.get(target, ()))
        return names

    earlier_shapes, later_shapes = earlier.shapes, later.shapes
    for name in set(redefined):  # Once each, however often it is named.
        if name in earlier_shapes:
            for target in _targets(earlier_shapes[name]):
                copied(target).remove(name)
        if name in later_shapes:
            for target in _targets(later_shapes[name]):
                copied(target).append(name)
    found = dict(previous)
    for target, names in mended.items():
        if names:
            found[target] = names
        else:
            del found[target]  # No shape points at it any more: no entry, as `referrers` makes.
    return found


def _targets(shape: Shape) -> list[str]:
    """The shapes `shape` refers to, once for each reference: `edges_of` without the labels
    (an Edge costs more to make than the look-up it stands for)."""
    members = shape.get("members")
    if members is not None:
        return [ref["shape"] for ref in members.values()]
    return [ref["shape"] for key in CONTAINER_LABELS if (ref := shape.get(key)) is not None]


def labels_towards(shape: Shape, target: str) -> list[str]:
    """The labels by which `shape` refers to `target`: a structure's member names, or `[]`,
    `{key}` or `{}` for a list's items and a map's keys and values (members may be called
    "member", "key" or "value")."""
    members = shape.get("members")
    if members is not None:
        return [name for name, ref in members.items() if ref["shape"] == target]
    return [
        label
        for key, label in CONTAINER_LABELS.items()
        if key in shape and shape[key]["shape"] == target
    ]
