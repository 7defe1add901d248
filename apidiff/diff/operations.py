"""Operation-level detectors: operations added or removed, and what changed on one operation."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from apidiff.diff.change import Change, changed_values
from apidiff.diff.kinds import ChangeKind
from apidiff.model import ServiceModel

Operation = Mapping[str, Any]

# Compared by their own detectors below; every other key of an operation is a trait.
_STRUCTURAL_KEYS = frozenset({"name", "http", "input", "output", "errors", "documentation"})


def diff_operations(old: ServiceModel, new: ServiceModel) -> Iterator[Change]:
    old_operations, new_operations = old.operations, new.operations
    for name in old_operations.keys() - new_operations.keys():
        yield Change(ChangeKind.OPERATION_REMOVED, operation=name)
    for name in new_operations.keys() - old_operations.keys():
        yield Change(ChangeKind.OPERATION_ADDED, operation=name)
    for name in old_operations.keys() & new_operations.keys():
        before, after = old_operations[name], new_operations[name]
        if before != after:
            yield from diff_operation(name, before, after)


def diff_operation(name: str, before: Operation, after: Operation) -> Iterator[Change]:
    yield from _io(name, "input", ChangeKind.OPERATION_INPUT_CHANGED, before, after)
    yield from _io(name, "output", ChangeKind.OPERATION_OUTPUT_CHANGED, before, after)
    yield from _errors(name, before, after)
    yield from _http(name, before.get("http", {}), after.get("http", {}))
    for trait, old, new in changed_values(before, after, skip=_STRUCTURAL_KEYS):
        yield Change(
            ChangeKind.OPERATION_TRAIT_CHANGED, operation=name, aspect=trait, old=old, new=new
        )
    if before.get("documentation") != after.get("documentation"):
        yield Change(
            ChangeKind.OPERATION_DOCS_CHANGED,
            operation=name,
            old=before.get("documentation"),
            new=after.get("documentation"),
        )


def _io(
    name: str, side: str, kind: ChangeKind, before: Operation, after: Operation
) -> Iterator[Change]:
    old_ref: Mapping[str, Any] = before.get(side, {})
    new_ref: Mapping[str, Any] = after.get(side, {})
    if old_ref.get("shape") != new_ref.get("shape"):
        yield Change(kind, operation=name, old=old_ref.get("shape"), new=new_ref.get("shape"))
    for trait, old, new in changed_values(old_ref, new_ref, skip={"shape", "documentation"}):
        yield Change(
            ChangeKind.OPERATION_TRAIT_CHANGED,
            operation=name,
            aspect=f"{side}.{trait}",
            old=old,
            new=new,
        )


def _errors(name: str, before: Operation, after: Operation) -> Iterator[Change]:
    old_errors = [error["shape"] for error in before.get("errors", ())]
    new_errors = [error["shape"] for error in after.get("errors", ())]
    for error in old_errors:
        if error not in new_errors:
            yield Change(ChangeKind.OPERATION_ERROR_REMOVED, operation=name, aspect=error)
    for error in new_errors:
        if error not in old_errors:
            yield Change(ChangeKind.OPERATION_ERROR_ADDED, operation=name, aspect=error)


def _http(name: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> Iterator[Change]:
    for key, old, new in changed_values(before, after):
        yield Change(
            ChangeKind.OPERATION_HTTP_CHANGED, operation=name, aspect=key, old=old, new=new
        )
