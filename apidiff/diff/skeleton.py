"""A shape drawn as the release notes draw a new or removed member: its type skeleton.

Structures are dicts of their members (sorted), lists are [item], maps are {'string': value}
and scalars are their type name, as boto3's docs write them. A string with enum values is an
`EnumString`, so the values stay data in the Report; `plain_skeleton` turns a skeleton into
what awsapichanges prints, where such a leaf reads 'PENDING | ACTIVE | FAILED'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from apidiff.diff.recursion import deep_recursion
from apidiff.model import ServiceModel


@dataclass(frozen=True, slots=True)
class EnumString:
    """A string member that takes one of these values, in the model's order."""

    values: tuple[str, ...]

    def __reduce__(self) -> tuple[type[EnumString], tuple[tuple[str, ...]]]:
        # Rebuilt from its fields in order, as Reach is (see there).
        return (EnumString, (self.values,))


# 'string', 'integer', ...; EnumString; [item]; {member: ...} or {'string': value} for a map.
Skeleton: TypeAlias = str | EnumString | list["Skeleton"] | dict[str, "Skeleton"]
# The same with each EnumString as the text awsapichanges prints for it.
PlainSkeleton: TypeAlias = str | list["PlainSkeleton"] | dict[str, "PlainSkeleton"]

_SCALAR_SKELETONS = {"string", "integer", "long", "float", "double", "boolean", "timestamp", "blob"}


def skeleton(model: ServiceModel, shape_name: str) -> Skeleton:
    """The full type skeleton of a shape: members sorted, lists as [item], maps as {key: value}.

    A shape met again inside itself is drawn as "<name> (recursive)".
    """
    with deep_recursion():
        return _skeleton(model, shape_name, ())


def _skeleton(model: ServiceModel, shape_name: str, stack: tuple[str, ...]) -> Skeleton:
    shape = model.shapes[shape_name]
    if shape_name in stack:
        return f"{shape_name} (recursive)"
    stack = (*stack, shape_name)
    shape_type = shape["type"]
    if shape_type == "structure":
        members = shape.get("members", {})
        return {name: _skeleton(model, members[name]["shape"], stack) for name in sorted(members)}
    if shape_type == "list":
        return [_skeleton(model, shape["member"]["shape"], stack)]
    if shape_type == "map":
        key = _skeleton(model, shape["key"]["shape"], stack)
        value = _skeleton(model, shape["value"]["shape"], stack)
        # boto3's docs write an enum-typed key as 'string' too: a dict key stays a type name.
        return {key if isinstance(key, str) else "string": value}
    return _scalar(shape)


def _scalar(shape: Mapping[str, Any]) -> Skeleton:
    shape_type = shape["type"]
    if shape_type == "string" and shape.get("enum"):
        return EnumString(tuple(shape["enum"]))
    return shape_type if shape_type in _SCALAR_SKELETONS else "string"


def plain_skeleton(drawn: Skeleton) -> PlainSkeleton:
    """The skeleton as awsapichanges prints it: dicts, lists and strings, each enum-typed
    string as its values joined by " | " ('PENDING | ACTIVE | FAILED')."""
    with deep_recursion():
        return _plain(drawn)


def _plain(drawn: Skeleton) -> PlainSkeleton:
    if isinstance(drawn, EnumString):
        return " | ".join(drawn.values)
    if isinstance(drawn, list):
        return [_plain(item) for item in drawn]
    if isinstance(drawn, dict):
        return {name: _plain(value) for name, value in drawn.items()}
    return drawn
