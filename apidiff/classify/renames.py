"""Likely renames: a member removed from a structure while one of a similar name and the same
type is added to it, or an api method removed while one of a similar name that takes the
same calls is added. The diff reports both halves; the removal's finding says which
addition it may have become, so a caller knows what to pass or read instead.

A change found behind a renamed shape (a retarget, see apidiff/diff/retarget.py) is reported
on the new shape's name; where it removes something, the shape that held it is named too,
as the old model calls it.

Similar names: not equal, and, ignoring case, one begins or ends the other with at least
two characters in common (AssetTypeId and AssetTypeIdentifier), or difflib's ratio of the
two is at least 0.8 (FormTypeID and FormTypeId).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from typing import Any

from apidiff.diff import Change, ChangeKind
from apidiff.diff.change import Via
from apidiff.model import Position, ServiceModel
from apidiff.model.service_model import CONTAINER_LABELS

SIMILARITY = 0.8
_AFFIX = 2
# A via's member path: member names, `[]`, `{}` and `{key}`.
_STEPS = re.compile(r"\[\]|\{key\}|\{\}|[^.\[{]+")
_CONTAINER_KEYS = {label: key for key, label in CONTAINER_LABELS.items()}


def similarity(old: str, new: str) -> float:
    """How alike two names are, 0 for unalike, up to 1; at least SIMILARITY where one name
    begins or ends the other."""
    if old == new:
        return 0.0
    first, second = old.lower(), new.lower()
    ratio = SequenceMatcher(None, first, second).ratio()
    short, long = sorted((first, second), key=len)
    affix = len(short) >= _AFFIX and (long.startswith(short) or long.endswith(short))
    return max(ratio, SIMILARITY) if affix else ratio


def rename_hints(changes: Sequence[Change], old: ServiceModel, new: ServiceModel) -> dict[int, str]:
    """For the index of each removal among `changes` that likely became an addition among
    them: "possibly renamed to <name>"."""
    members: dict[tuple[object, ...], list[Change]] = {}
    operations: list[str] = []
    for change in changes:
        if change.kind is ChangeKind.MEMBER_ADDED:
            members.setdefault((change.shape, change.via), []).append(change)
        elif change.kind is ChangeKind.OPERATION_ADDED and change.operation:
            operations.append(change.operation)
    hints = {}
    for index, change in enumerate(changes):
        if change.kind is ChangeKind.MEMBER_REMOVED and change.member:
            added = members.get((change.shape, change.via), [])
            names = [
                candidate.member or ""
                for candidate in added
                if _type(old, change.old) == _type(new, candidate.new)
            ]
            found = _most_similar(change.member, names)
        elif change.kind is ChangeKind.OPERATION_REMOVED and change.operation:
            takes = [
                name for name in operations if _takes_same_calls(old, new, change.operation, name)
            ]
            found = _most_similar(change.operation, takes)
        else:
            continue
        if found:
            hints[index] = f"possibly renamed to {found}"
    return hints


def _most_similar(name: str, candidates: Sequence[str]) -> str | None:
    scored = [(similarity(name, candidate), candidate) for candidate in candidates]
    alike = sorted((-score, candidate) for score, candidate in scored if score >= SIMILARITY)
    return alike[0][1] if alike else None


def _type(model: ServiceModel, shape: object) -> object:
    return model.shapes.get(shape, {}).get("type") if isinstance(shape, str) else None


def _takes_same_calls(old: ServiceModel, new: ServiceModel, removed: str, added: str) -> bool:
    """Every member the added method requires was a parameter of the removed one."""
    before = _input(old, removed).get("members", {})
    required = _input(new, added).get("required", ())
    return all(name in before for name in required)


def _input(model: ServiceModel, operation: str) -> Mapping[str, Any]:
    shape = model.operations.get(operation, {}).get("input", {}).get("shape")
    return model.shapes.get(shape, {}) if isinstance(shape, str) else {}


def old_names(changes: Sequence[Change], old: ServiceModel) -> dict[int, str]:
    """For the index of each member or enum value removed behind a renamed shape: "in the
    old model: <OldShape>.<member>" (or the old enum's name), found by walking the via's
    path through the old model."""
    named = {}
    for index, change in enumerate(changes):
        if not change.via or change.kind not in (
            ChangeKind.MEMBER_REMOVED,
            ChangeKind.ENUM_VALUE_REMOVED,
        ):
            continue
        shape = _old_shape(change.via[0], old)
        if shape is None or shape == change.shape:
            continue
        held = old.shapes[shape]
        if change.kind is ChangeKind.MEMBER_REMOVED and change.member in held.get("members", {}):
            named[index] = f"in the old model: {shape}.{change.member}"
        elif change.kind is ChangeKind.ENUM_VALUE_REMOVED and change.old in held.get("enum", ()):
            named[index] = f"in the old model: {shape}"
    return named


def _old_shape(via: Via, old: ServiceModel) -> str | None:
    """The shape a via's path leads to in the old model."""
    if via.shape is not None:
        current: str | None = via.shape
    else:
        operation = old.operations.get(via.operation or "", {})
        side = "input" if via.position is Position.REQUEST else "output"
        current = operation.get(side, {}).get("shape")
    for step in _STEPS.findall(via.path):
        definition = old.shapes.get(current or "", {})
        key = _CONTAINER_KEYS.get(step)
        reference = definition.get(key) if key else definition.get("members", {}).get(step)
        if not isinstance(reference, Mapping):
            return None
        current = reference.get("shape")
    return current if current in old.shapes else None
