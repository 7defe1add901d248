"""Stage three: compare two models of one service, then project each change onto operations."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from apidiff.diff.change import Change
from apidiff.diff.companions import diff_paginators, diff_waiters
from apidiff.diff.delta import DeltaBuilder, DeltaTree, reshaped_shapes
from apidiff.diff.endpoints import diff_endpoints
from apidiff.diff.kinds import ChangeKind
from apidiff.diff.operations import diff_operations
from apidiff.diff.projection import Reach, ReachFinder, reaches_of_change
from apidiff.diff.recursion import deep_recursion
from apidiff.diff.retarget import diff_retargets
from apidiff.diff.service import diff_service, service_presence
from apidiff.diff.shapes import diff_shapes, redefined_shapes
from apidiff.model import ServiceModel


@dataclass(frozen=True, slots=True)
class ProjectedChange:
    """A change and every operation it reaches."""

    change: Change
    reaches: tuple[Reach, ...]


@dataclass(frozen=True, slots=True)
class OperationDelta:
    """What a caller of one operation sees change: in what it sends, and in what it gets back."""

    operation: str
    request: DeltaTree
    response: DeltaTree


@dataclass(frozen=True)
class ModelDiff:
    """What changed between two versions of one service's model, by change and by operation."""

    old: ServiceModel
    new: ServiceModel
    changes: tuple[ProjectedChange, ...]
    added_operations: tuple[str, ...]
    removed_operations: tuple[str, ...]
    updated_operations: tuple[OperationDelta, ...]

    def __bool__(self) -> bool:
        return bool(self.changes)


def find_changes(
    old: ServiceModel, new: ServiceModel, redefined: Collection[str] | None = None
) -> list[Change]:
    """Every change between two models, each reported once, in a stable order; `redefined`
    is their `redefined_shapes`, where the caller has it already."""
    presence = service_presence(old, new)
    if presence is not None and presence.kind is ChangeKind.SERVICE_REMOVED:
        # One finding: the client cannot be made at all (UnknownServiceError), so listing
        # each operation, error and paginator it loses would only repeat that.
        return [presence]
    changes = [
        *diff_service(old, new),
        *diff_operations(old, new),
        *diff_shapes(old, new, redefined),
        *diff_paginators(old, new),
        *diff_waiters(old, new),
        *diff_endpoints(old, new),
    ]
    changes += _merged(diff_retargets(old, new, changes), changes)
    changes.sort(key=lambda change: change.sort_key)
    return changes


def _identity(change: Change) -> tuple[str, ...]:
    return (*change.sort_key[:-1], repr(change.old))


def _merged(found: Iterable[Change], known: list[Change]) -> list[Change]:
    """Changes behind retargets, one per shape, member and kind, with every place it is seen.

    A shape shared by several retargeted members is compared behind each; the same change
    found twice is one change seen in two places. One that restates a by-name change of
    the same shape is dropped.
    """
    merged: dict[tuple[str, ...], Change] = {}
    for change in found:
        key = _identity(change)
        seen = merged.get(key)
        if seen is None:
            merged[key] = change
        elif change.via and set(change.via) - set(seen.via):
            merged[key] = dataclasses.replace(
                seen, via=tuple(sorted({*seen.via, *change.via}, key=repr))
            )
    taken = {_identity(change) for change in known}
    return [change for key, change in merged.items() if key not in taken]


def diff_models(old: ServiceModel, new: ServiceModel) -> ModelDiff:
    with deep_recursion():
        return _diff_models(old, new)


def _diff_models(old: ServiceModel, new: ServiceModel) -> ModelDiff:
    redefined = redefined_shapes(old, new)
    # Most shapes are the same in both models: the new one's index is the old one's, mended.
    new.take_referrers_from(old, redefined)
    changes = find_changes(old, new, redefined)
    old_reach, new_reach = ReachFinder(old), ReachFinder(new)
    projected = tuple(
        ProjectedChange(change, reaches_of_change(change, old_reach, new_reach))
        for change in changes
    )
    return ModelDiff(
        old=old,
        new=new,
        changes=projected,
        added_operations=_operations_of(changes, ChangeKind.OPERATION_ADDED),
        # From the models, not the changes: a removed service's methods are gone too, though
        # its one change does not list them.
        removed_operations=tuple(sorted(old.operations.keys() - new.operations.keys())),
        updated_operations=_updated_operations(old, new, redefined),
    )


def _operations_of(changes: list[Change], kind: ChangeKind) -> tuple[str, ...]:
    return tuple(
        sorted(change.operation for change in changes if change.kind is kind and change.operation)
    )


def _updated_operations(
    old: ServiceModel, new: ServiceModel, redefined: Collection[str]
) -> tuple[OperationDelta, ...]:
    """Operations in both models whose request or response changed shape for a caller;
    `redefined` is the models' `redefined_shapes`."""
    builder = DeltaBuilder(old, new, reshaped_shapes(old, new, redefined))
    deltas = []
    for name in sorted(old.operations.keys() & new.operations.keys()):
        before, after = old.operations[name], new.operations[name]
        request = builder.delta(_shape(before, "input"), _shape(after, "input"))
        response = builder.delta(_shape(before, "output"), _shape(after, "output"))
        if request or response:
            deltas.append(OperationDelta(name, request, response))
    return tuple(deltas)


def _shape(operation: Mapping[str, Any], side: str) -> str | None:
    ref: Mapping[str, str] = operation.get(side, {})
    return ref.get("shape")
