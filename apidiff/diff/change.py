"""The record every detector emits: what kind of change, where, and the values on each side."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Set
from dataclasses import dataclass
from typing import Any

from apidiff.diff.kinds import DESCRIPTIONS, ChangeKind
from apidiff.model import Position

# A value as it appears in a model file: string, number, bool, list or dict, or None when absent.
ModelValue = Any


@dataclass(frozen=True, slots=True)
class Via:
    """Where a change found by comparing a retarget's old and new shapes is seen by callers.

    The change's shape stands at `path` below either the structure `shape` (a retargeted
    member, `path` starting with the member's name) or the `position` of `operation` (a
    retargeted input or output). By name alone that shape may be new, or a different one.
    """

    path: str
    shape: str | None = None
    operation: str | None = None
    position: Position | None = None

    def __reduce__(self) -> tuple[type[Via], tuple[Any, ...]]:
        # Rebuilt from its fields in order: the dataclass way (fields() looked up for each
        # object) was most of the time a release's report took between processes.
        return (Via, (self.path, self.shape, self.operation, self.position))


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two models, reported once where it happens (not per operation).

    `shape`/`member` locate shape-level changes; `operation` locates operation, paginator
    and waiter changes; `aspect` names the trait, constraint, metadata key or error shape
    that changed. `old` and `new` are the model values (None where absent). `via` is set on
    changes found behind a retarget (see retarget.py): every place callers meet it.
    """

    kind: ChangeKind
    shape: str | None = None
    member: str | None = None
    operation: str | None = None
    aspect: str | None = None
    old: ModelValue = None
    new: ModelValue = None
    via: tuple[Via, ...] = ()

    def __reduce__(self) -> tuple[type[Change], tuple[Any, ...]]:
        # Rebuilt from its fields in order, as Via is (see there).
        fields = (self.kind, self.shape, self.member, self.operation, self.aspect)
        return (Change, (*fields, self.old, self.new, self.via))

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self.kind].format(
            shape=self.shape,
            member=self.member,
            operation=self.operation,
            aspect=self.aspect,
            old=_short(self.old),
            new=_short(self.new),
        )

    @property
    def sort_key(self) -> tuple[str, str, str, str, str, str, str]:
        return (
            self.shape or "",
            self.operation or "",
            self.member or "",
            self.kind.value,
            self.aspect or "",
            repr(self.new if self.new is not None else self.old),
            repr(self.via),
        )


def changed_values(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    keys: Iterable[str] | None = None,
    skip: Set[str] = frozenset(),
) -> Iterator[tuple[str, ModelValue, ModelValue]]:
    """(key, old value, new value) for each key whose values differ, None where absent.

    `keys` names the keys to compare, in order; by default every key of either side but
    those in `skip`, sorted.
    """
    for key in keys if keys is not None else sorted((before.keys() | after.keys()) - skip):
        old, new = before.get(key), after.get(key)
        if old != new:
            yield key, old, new


def _short(value: ModelValue) -> str:
    if value is None:
        return "nothing"
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
