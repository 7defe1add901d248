"""A finding's message in boto3's terms: what changed, said of the place a caller writes
(`removed from client.put_asset(Forms=[{'FormTypeId': ...}])`), the model's names kept for
what no api method reaches and for the finding's location.
"""

from __future__ import annotations

from collections.abc import Sequence

from botocore import xform_name

from apidiff.diff import Change, ChangeKind, Reach
from apidiff.diff.change import ModelValue
from apidiff.model import Position
from apidiff.report.callers import method_call, path_steps, reach_expression

# Kinds that speak of the old model: what they name is found there, not in the new one.
OLD_SIDE_KINDS = frozenset(
    {
        ChangeKind.SERVICE_REMOVED,
        ChangeKind.OPERATION_REMOVED,
        ChangeKind.OPERATION_ERROR_REMOVED,
        ChangeKind.SHAPE_REMOVED,
        ChangeKind.MEMBER_REMOVED,
        ChangeKind.ENUM_VALUE_REMOVED,
        ChangeKind.PAGINATOR_REMOVED,
        ChangeKind.WAITER_REMOVED,
    }
)

# A message writes a place on each side a change meets while both fit in this many
# characters, about a line and a half of the text output; else the request's alone.
_BOTH_SIDES_UP_TO = 140
# What happened to the value a member path leads to, said before the place it is said of.
_SHAPE_PHRASES = {
    ChangeKind.SHAPE_ADDED: "new shape {shape}",
    ChangeKind.SHAPE_REMOVED: "shape {shape} removed",
    ChangeKind.SHAPE_TYPE_CHANGED: "type {old} -> {new}",
    ChangeKind.SHAPE_TRAIT_CHANGED: "{aspect} {old} -> {new}",
    ChangeKind.SHAPE_DOCS_CHANGED: "documentation changed",
    ChangeKind.CONSTRAINT_CHANGED: "{aspect} {old} -> {new}",
    ChangeKind.ENUM_VALUE_ADDED: "new value {new}",
    ChangeKind.ENUM_VALUE_REMOVED: "value {old} removed",
    ChangeKind.MEMBER_ADDED: "{member} added",
    ChangeKind.MEMBER_REMOVED: "{member} removed",
    ChangeKind.MEMBER_TARGET_CHANGED: "shape {old} -> {new}",
    ChangeKind.MEMBER_TYPE_CHANGED: "type {old} -> {new}",
    ChangeKind.MEMBER_REQUIRED_ADDED: "{member} now required",
    ChangeKind.MEMBER_REQUIRED_REMOVED: "{member} no longer required",
    ChangeKind.MEMBER_TRAIT_CHANGED: "{aspect} {old} -> {new}",
    ChangeKind.MEMBER_DOCS_CHANGED: "documentation changed",
}
_OPERATION_PHRASES = {
    ChangeKind.OPERATION_ADDED: "{call} added",
    ChangeKind.OPERATION_REMOVED: "{call} removed",
    ChangeKind.OPERATION_INPUT_CHANGED: "{call} input shape {old} -> {new}",
    ChangeKind.OPERATION_OUTPUT_CHANGED: "{call} output shape {old} -> {new}",
    ChangeKind.OPERATION_ERROR_ADDED: "{call} may now raise {error}",
    ChangeKind.OPERATION_ERROR_REMOVED: "{call} no longer lists {error}",
    ChangeKind.OPERATION_HTTP_CHANGED: "{call} http.{aspect} {old} -> {new}",
    ChangeKind.OPERATION_TRAIT_CHANGED: "{call} {aspect} {old} -> {new}",
    ChangeKind.OPERATION_DOCS_CHANGED: "{call} documentation changed",
    ChangeKind.PAGINATOR_ADDED: "client.get_paginator({method!r}) added",
    ChangeKind.PAGINATOR_REMOVED: "client.get_paginator({method!r}) removed",
    ChangeKind.PAGINATOR_CHANGED: "client.get_paginator({method!r}) {aspect} {old} -> {new}",
    ChangeKind.WAITER_ADDED: "client.get_waiter({waiter!r}) added",
    ChangeKind.WAITER_REMOVED: "client.get_waiter({waiter!r}) removed",
    ChangeKind.WAITER_CHANGED: "client.get_waiter({waiter!r}) {key} {old} -> {new}",
    ChangeKind.SERVICE_ADDED: "boto3.client({aspect!r}) added (api version {new})",
    ChangeKind.SERVICE_REMOVED: "boto3.client({aspect!r}) removed (api version {old})",
}


def caller_message(
    change: Change, reaches: Sequence[Reach], rule_id: str, *, wire: bool = False
) -> str:
    """What changed, where a caller meets it: the first place it reaches on each side (the
    finding lists every api method); the change's own description where no api method
    reaches it. `wire` writes the places as a peer sees them, the operation and the member
    path of its request or response body, instead of a boto3 call."""
    if change.kind in _OPERATION_PHRASES:
        return _operation_message(change, wire=wire)
    phrase = _SHAPE_PHRASES.get(change.kind)
    if phrase is None:
        return change.description  # service metadata, documentation and endpoints
    said = phrase.format(
        shape=change.shape,
        member=change.member,
        aspect=change.aspect,
        old=_short(change.old),
        new=_short(change.new),
    )
    if rule_id.startswith("error."):
        # The error as a whole: its class, whichever methods raise it.
        error = _error(change.shape, wire=wire)
        if change.kind is ChangeKind.SHAPE_REMOVED:
            return f"{error} removed"
        return f"{error}: {said}"
    if reaches:
        place = "from" if change.kind in OLD_SIDE_KINDS else "in"
        written = [
            _wire_place(reach)
            if wire
            else reach_expression(reach, error=_error_name(change, reach))
            for reach in _examples(reaches)
        ]
        if len(written) > 1 and sum(map(len, written)) > _BOTH_SIDES_UP_TO:
            written = written[:1]
        return f"{said} {place} {' and '.join(written)}"
    return change.description


def _examples(reaches: Sequence[Reach]) -> list[Reach]:
    """The places a message may write: the first request and the first response or error,
    as the finding's advice speaks of each side it meets (the finding lists every method)."""
    request = [reach for reach in reaches if reach.position is Position.REQUEST][:1]
    response = [
        reach for reach in reaches if reach.position in (Position.RESPONSE, Position.ERROR)
    ][:1]
    return [*request, *response] or list(reaches[:1])


def via_where(change: Change) -> str:
    """A change behind a retarget, named from what both models hold: the structure whose
    member was retargeted (or the api method whose input or output was), the member path
    below it, then the changed member. The retarget's shapes differ in name, so the one
    that held the member in the old model is not the one the change is reported on."""
    via = change.via[0]
    path = via.path
    if change.member:
        path = f"{path}.{change.member}" if path else change.member
    if via.shape is not None:
        return f"{via.shape}.{path}"
    position = via.position.value if via.position else ""
    return f"{via.operation} {position} {path}".strip()


def _error(shape: str | None, *, wire: bool) -> str:
    """An error as boto3 raises it, or as a peer receives it."""
    return f"error {shape}" if wire else f"client.exceptions.{shape}"


def _wire_place(reach: Reach) -> str:
    """`PutAsset request Forms[].FormTypeId`: the operation, the body, the member path."""
    return " ".join(part for part in (reach.operation, reach.position.value, reach.path) if part)


def _operation_message(change: Change, *, wire: bool) -> str:
    operation = change.operation or ""
    waiter, _, key = (change.aspect or "").partition(".")
    call = operation if wire else method_call(operation) if operation else ""
    return _OPERATION_PHRASES[change.kind].format(
        call=call,
        error=_error(change.aspect, wire=wire),
        method=xform_name(operation) if operation else "",
        waiter=xform_name(waiter),
        key=key,
        aspect=change.aspect,
        old=_short(change.old),
        new=_short(change.new),
    )


def _error_name(change: Change, reach: Reach) -> str | None:
    """The error a reach meets, where the change is on the error shape itself."""
    if reach.position is not Position.ERROR or change.via:
        return None
    steps = path_steps(reach.path)
    direct = steps == [change.member] if change.member else not steps
    return change.shape if direct else None


def _short(value: ModelValue) -> str:
    if value is None:
        return "nothing"
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
