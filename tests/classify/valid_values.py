"""Values botocore's ParamValidator accepts, generated from a botocore shape.

What the validator checks decides every choice here (botocore/validate.py): types, `required`,
`min` (string and list length, number value), unions (exactly one member) and documents.
It does not check `max`, `pattern` or `enum`, so values ignore them: a string is
"x" * max(min, 1), whatever its enum or pattern says.

A *minimal* value holds required members only; a *full* one every member, with one item in
each list and one entry in each map. Recursion is bounded: an optional member that would
re-enter a structure already being built is left out.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape
from botocore.utils import is_json_value_header

# A required member never re-enters its own structure in a real model; this is a guard.
MAX_DEPTH = 40
TIMESTAMP = dt.datetime(2021, 3, 30, 12, 0, tzinfo=dt.UTC)
DOCUMENT = {"key": ["value", 1, True]}
# A jsonvalue header holds any JSON value; callers typically pass a dict (Lex session state).
JSON_VALUE = {"key": "value"}


def request_params(operation: OperationModel, *, full: bool) -> dict[str, Any]:
    """Keyword arguments for a call of `operation` that the validator accepts.

    Minimal params leave out top-level idempotency tokens even when required: botocore
    fills those in itself (handlers.generate_idempotent_uuid), so callers never pass them.
    """
    shape = operation.input_shape
    if shape is None:
        return {}
    params: dict[str, Any] = ValueBuilder(full=full).value(shape)
    if not full:
        for name in operation.idempotent_members:
            params.pop(name, None)
    return params


def response_dict(shape: Shape | None, *, full: bool) -> dict[str, Any]:
    """A stubbed response (or error's modelled fields) that Stubber accepts for `shape`."""
    if shape is None:
        return {}
    response: dict[str, Any] = ValueBuilder(full=full).value(shape)
    return response


class ValueBuilder:
    """Builds one value per shape; `full` chooses every member over required ones only."""

    def __init__(self, *, full: bool) -> None:
        self._full = full
        self._building: list[str] = []

    def value(self, shape: Shape) -> Any:
        if is_json_value_header(shape):
            return dict(JSON_VALUE)
        if len(self._building) > MAX_DEPTH:
            raise RecursionError(f"required members recurse through {self._building}")
        builder = getattr(self, f"_{shape.type_name}")
        return builder(shape)

    def _structure(self, shape: StructureShape) -> dict[str, Any]:
        if shape.is_document_type:
            return dict(DOCUMENT)
        self._building.append(shape.name)
        try:
            return {name: self.value(shape.members[name]) for name in self._chosen_members(shape)}
        finally:
            self._building.pop()

    def _chosen_members(self, shape: StructureShape) -> list[str]:
        finite = [name for name, member in shape.members.items() if not self._reenters(member)]
        if shape.is_tagged_union:
            # Exactly one member: the validator rejects an empty union and a crowded one.
            return (finite or list(shape.members))[:1]
        required = list(shape.required_members)
        optional = [name for name in finite if name not in required] if self._full else []
        return required + optional

    def _reenters(self, shape: Shape) -> bool:
        """Whether a value of `shape` would build a structure that is being built already."""
        while isinstance(shape, ListShape | MapShape):
            shape = shape.member if isinstance(shape, ListShape) else shape.value
        return shape.name in self._building

    def _list(self, shape: ListShape) -> list[Any]:
        return [self.value(shape.member) for _ in range(_length(shape))]

    def _map(self, shape: MapShape) -> dict[Any, Any]:
        return {self.value(shape.key): self.value(shape.value)}

    def _string(self, shape: Shape) -> str:
        return "x" * _length(shape)

    def _integer(self, shape: Shape) -> int:
        return _length(shape)

    _long = _integer

    def _double(self, shape: Shape) -> float:
        # A float, not an int: an int would pass a later float-to-integer narrowing unseen.
        return float(max(_min(shape), 1)) + 0.5

    _float = _double

    def _boolean(self, _shape: Shape) -> bool:
        return True

    def _timestamp(self, _shape: Shape) -> dt.datetime:
        return TIMESTAMP

    def _blob(self, shape: Shape) -> bytes:
        return b"x" * _length(shape)


def _length(shape: Shape) -> int:
    """The smallest length (or integer) the validator accepts, and never empty."""
    return max(math.ceil(_min(shape)), 1)


def _min(shape: Shape) -> float:
    value = shape.metadata.get("min", 0)
    return float(value) if isinstance(value, int | float) else 0.0


# Where a value sits inside another: member names, list indexes and map keys, outermost first.
Path = tuple[str | int, ...]


def omissions(value: Any, shape: Shape) -> Iterator[tuple[Path, Any]]:
    """Copies of `value` that each leave out one optional member somewhere inside it, with
    the path of what was left out. Each stays valid where `value` was: only members the
    shape does not require are left out, and never a union's one member.
    """
    if isinstance(shape, StructureShape) and isinstance(value, dict) and not shape.is_document_type:
        yield from _structure_omissions(value, shape)
    elif isinstance(shape, ListShape) and isinstance(value, list) and value:
        for path, item in omissions(value[0], shape.member):
            yield (0, *path), [item, *value[1:]]
    elif isinstance(shape, MapShape) and isinstance(value, dict):
        for key, entry in value.items():
            for path, inner in omissions(entry, shape.value):
                yield (key, *path), value | {key: inner}


def _structure_omissions(
    value: dict[str, Any], shape: StructureShape
) -> Iterator[tuple[Path, Any]]:
    for name in value:
        if name not in shape.required_members and not shape.is_tagged_union:
            yield (name,), {key: inner for key, inner in value.items() if key != name}
    for name, inner in value.items():
        for path, without in omissions(inner, shape.members[name]):
            yield (name, *path), value | {name: without}


def shape_at(shape: Shape | None, path: Path) -> Shape | None:
    """The shape a value at `path` inside a value of `shape` has; None where there is none."""
    for step in path:
        if isinstance(shape, StructureShape) and isinstance(step, str):
            shape = shape.members.get(step)
        elif isinstance(shape, ListShape):
            shape = shape.member
        elif isinstance(shape, MapShape):
            shape = shape.value
        else:
            return None
    return shape


def is_required_at(shape: Shape | None, path: Path) -> bool:
    """Whether the member `path` ends with is required by its structure under `shape`."""
    parent = shape_at(shape, path[:-1])
    return isinstance(parent, StructureShape) and path[-1] in parent.required_members


def path_text(path: Path) -> str:
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)[1:]
