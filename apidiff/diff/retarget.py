"""Structural comparison of retargeted references.

When a member, or an operation's input or output, points at a differently named shape,
comparing shapes by name says only "A removed, B added". A caller sees the structure, not
the name, so the old target is compared with the new one member by member, as if B were
the next version of A. Their differences are reported on the new shape's name; when the
two are structurally equal nothing is reported beyond the retarget itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from apidiff.diff.change import Change
from apidiff.diff.kinds import ChangeKind
from apidiff.diff.shapes import diff_shape
from apidiff.model import ServiceModel, edges_of


@dataclass(frozen=True, slots=True)
class _Retarget:
    old_target: str
    new_target: str
    # The structure member that points at them, where it is a member (not an operation).
    owner: str | None = None
    member: str | None = None


def diff_retargets(
    old: ServiceModel, new: ServiceModel, changes: Iterable[Change]
) -> Iterator[Change]:
    """The structural differences behind every retarget among `changes`."""
    pending = [_retarget_of(change) for change in changes]
    seen: set[tuple[str, str]] = set()
    while pending:
        retarget = pending.pop()
        if retarget is None or retarget.old_target not in old.shapes:
            continue
        if retarget.new_target not in new.shapes:
            continue
        pair = (retarget.old_target, retarget.new_target)
        if pair in seen:
            continue
        seen.add(pair)
        before, after = old.shapes[pair[0]], new.shapes[pair[1]]
        if before.get("type") != after.get("type"):
            yield Change(
                ChangeKind.MEMBER_TYPE_CHANGED,
                shape=retarget.owner,
                member=retarget.member,
                old=before.get("type"),
                new=after.get("type"),
            )
            continue
        yield from diff_shape(retarget.new_target, before, after)
        new_edges = {edge.label: edge.target for edge in edges_of(after)}
        for edge in edges_of(before):
            target = new_edges.get(edge.label)
            # Same-named targets are compared by the by-name diff; only renames need a pair.
            if target is not None and target != edge.target:
                pending.append(_Retarget(edge.target, target, retarget.new_target, edge.label))


def _retarget_of(change: Change) -> _Retarget | None:
    if not isinstance(change.old, str) or not isinstance(change.new, str):
        return None
    if change.kind is ChangeKind.MEMBER_TARGET_CHANGED:
        return _Retarget(change.old, change.new, change.shape, change.member)
    if change.kind in (ChangeKind.OPERATION_INPUT_CHANGED, ChangeKind.OPERATION_OUTPUT_CHANGED):
        return _Retarget(change.old, change.new)
    return None
