"""Structural comparison of retargeted references.

When a member, or an operation's input or output, points at a differently named shape,
comparing shapes by name says only "A removed, B added". A caller sees the structure, not
the name, so the old target is compared with the new one member by member, as if B were
the next version of A. Their differences are reported on the new shape's name; when the
two are structurally equal nothing is reported beyond the retarget itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from apidiff.diff.change import Change, Via
from apidiff.diff.kinds import ChangeKind
from apidiff.diff.shapes import diff_shape
from apidiff.model import Position, ServiceModel, edges_of
from apidiff.model.service_model import CONTAINER_LABELS


@dataclass(frozen=True, slots=True)
class _Retarget:
    """A reference that points at a differently named shape: the old and the new target."""

    old_target: str
    new_target: str
    # Where callers meet the targets; for the first retarget of a member, its own position.
    via: Via
    # The structure member that points at them, where it is a member (not an operation).
    owner: str | None = None
    member: str | None = None
    # Found below another retarget, rather than a retarget the by-name diff reported.
    nested: bool = False


def diff_retargets(
    old: ServiceModel, new: ServiceModel, changes: Iterable[Change]
) -> Iterator[Change]:
    """The structural differences behind every retarget among `changes`."""
    pending = [_retarget_of(change, new) for change in changes]
    # A pair is compared once per retarget it is seen behind: a shape shared by several
    # retargeted members is met by the callers of each; a cycle stops where it closes.
    seen: set[tuple[str, str, str | None, str | None]] = set()
    while pending:
        retarget = pending.pop()
        if retarget is None or retarget.old_target not in old.shapes:
            continue
        if retarget.new_target not in new.shapes:
            continue
        via = retarget.via
        pair = (retarget.old_target, retarget.new_target)
        place = (*pair, via.shape, via.operation)
        if place in seen:
            continue
        seen.add(place)
        before, after = old.shapes[pair[0]], new.shapes[pair[1]]
        if before.get("type") != after.get("type"):
            yield Change(
                ChangeKind.MEMBER_TYPE_CHANGED,
                shape=retarget.owner,
                member=retarget.member,
                old=before.get("type"),
                new=after.get("type"),
                # A reported retarget's member is where it happens; deeper ones, below it.
                via=(_parent(via),) if retarget.nested else (),
            )
            continue
        for change in diff_shape(retarget.new_target, before, after):
            yield dataclasses.replace(change, via=(via,))
        new_edges = {edge.label: edge.target for edge in edges_of(after)}
        for edge in edges_of(before):
            target = new_edges.get(edge.label)
            # Same-named targets are compared by the by-name diff; only renames need a pair.
            if target is not None and target != edge.target:
                label = _label(after, edge.label)
                pending.append(
                    _Retarget(
                        edge.target,
                        target,
                        dataclasses.replace(via, path=_join(via.path, label)),
                        retarget.new_target,
                        edge.label,
                        nested=True,
                    )
                )


def _retarget_of(change: Change, new: ServiceModel) -> _Retarget | None:
    if not isinstance(change.old, str) or not isinstance(change.new, str):
        return None
    if change.kind is ChangeKind.MEMBER_TARGET_CHANGED and change.shape and change.member:
        label = _label(new.shapes[change.shape], change.member)
        via = Via(path=label, shape=change.shape)
        return _Retarget(change.old, change.new, via, change.shape, change.member)
    if change.kind is ChangeKind.OPERATION_INPUT_CHANGED:
        via = Via("", operation=change.operation, position=Position.REQUEST)
        return _Retarget(change.old, change.new, via)
    if change.kind is ChangeKind.OPERATION_OUTPUT_CHANGED:
        via = Via("", operation=change.operation, position=Position.RESPONSE)
        return _Retarget(change.old, change.new, via)
    return None


def _label(shape: Mapping[str, Any], member: str) -> str:
    """A member's name, or how a list's items or a map's keys or values show in a path."""
    return member if "members" in shape else CONTAINER_LABELS.get(member, member)


def _join(path: str, label: str) -> str:
    if not path or label in CONTAINER_LABELS.values():
        return path + label
    return f"{path}.{label}"


def _parent(via: Via) -> Via:
    """The via of the shape that holds the last step of `via`'s path."""
    cut = max(via.path.rfind("."), via.path.rfind("["), via.path.rfind("{"))
    return dataclasses.replace(via, path=via.path[: max(cut, 0)])
