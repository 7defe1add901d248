"""Stage four: the severity of every change, per perspective, where it meets the caller.

A change's position comes from the operations it reaches: in a request it gets the rule's
request severity, in a response or error the response severity, and the worst of them when
it reaches both. A shape no operation reaches cannot affect a caller: INFO, except errors,
which every client exposes as client.exceptions.

Only the places the old model reaches too count: code written for it sends and reads a
shape only where that model puts it. A list given a maximum as a new member of a request
brings it in (timestream-influxdb's InstanceModeList, 1.43.123) limits no value any
existing call sends; it is where it was, in responses, that callers meet it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from apidiff.classify.renames import old_names, rename_hints
from apidiff.classify.rules import RuleContext, Verdict, rule_for
from apidiff.classify.severity import Perspective, Severity, most_severe
from apidiff.diff import Change, ModelDiff, ProjectedChange, Reach
from apidiff.diff.projection import ReachFinder
from apidiff.model import Position


@dataclass(frozen=True, slots=True)
class Classification:
    """The rule a change falls under, its severity per perspective, a stable fingerprint,
    and what is found about this change beyond it (a pattern's witness string, the old
    model's name of a renamed shape that lost a member, a likely rename), if anything."""

    rule: str
    severity: Mapping[Perspective, Severity]
    fingerprint: str
    detail: str | None = None


def classify_changes(model_diff: ModelDiff) -> tuple[Classification, ...]:
    """One classification per change of `model_diff.changes`, in the same order."""
    context = RuleContext(model_diff.old, model_diff.new)
    old_reach = ReachFinder(model_diff.old)
    service = model_diff.new.name
    changes = [projected.change for projected in model_diff.changes]
    renamed = rename_hints(changes, model_diff.old, model_diff.new)
    named = old_names(changes, model_diff.old)
    hints = {
        index: "; ".join(hint for hint in (named.get(index), renamed.get(index)) if hint)
        for index in renamed.keys() | named.keys()
    }
    return tuple(
        _classify(projected, context, old_reach, service, hints.get(index))
        for index, projected in enumerate(model_diff.changes)
    )


def _classify(
    projected: ProjectedChange,
    context: RuleContext,
    old_reach: ReachFinder,
    service: str,
    hint: str | None,
) -> Classification:
    change = projected.change
    rule = rule_for(change, context)
    sides = _sides(projected, context, old_reach)
    found = [text for text in (rule.detail(change, context) if rule.detail else None, hint) if text]
    return Classification(
        rule=rule.id,
        severity={
            perspective: _severity(verdict, sides) for perspective, verdict in rule.verdicts.items()
        },
        fingerprint=fingerprint(rule.id, service, change),
        detail="; ".join(found) or None,
    )


def _sides(
    projected: ProjectedChange, context: RuleContext, old_reach: ReachFinder
) -> frozenset[str]:
    """ "request" and/or "response": where the change meets callers; empty where it cannot."""
    change = projected.change
    sides = {_side(reach) for reach in _reaches_met(projected, context, old_reach)}
    if change.shape is None:
        # Service, operation, paginator and waiter changes meet every caller of the method.
        return frozenset(sides or {"request", "response"})
    if not sides and (context.old_shape(change.shape) or context.new_shape(change.shape)).get(
        "exception"
    ):
        sides = {"response"}
    return frozenset(sides)


def _reaches_met(
    projected: ProjectedChange, context: RuleContext, old_reach: ReachFinder
) -> tuple[Reach, ...]:
    """The reaches of a change that callers of the old model meet: those whose operation
    and position the old model reaches the shape from too. A change behind a retarget
    (`via`), or on a shape the old model lacks, is where the projection put it."""
    change = projected.change
    if change.shape is None or change.via or change.shape not in context.old.shapes:
        return projected.reaches
    before = old_reach.reached_from(change.shape)
    return tuple(
        reach for reach in projected.reaches if (reach.operation, reach.position) in before
    )


def _side(reach: Reach) -> str:
    return "request" if reach.position is Position.REQUEST else "response"


def _severity(verdict: Verdict, sides: frozenset[str]) -> Severity:
    if not sides:
        return Severity.INFO
    if sides == {"request", "response"} and verdict.request == verdict.response:
        return verdict.request
    found = []
    if "request" in sides:
        found.append(verdict.request)
    if "response" in sides:
        found.append(verdict.response)
    return most_severe(found)


# What json.dumps(identity, sort_keys=True, default=str) makes anew for every call.
_IDENTITY_ENCODER = json.JSONEncoder(sort_keys=True, default=str)


def fingerprint(rule_id: str, service: str, change: Change) -> str:
    """12 hex digits that stay the same for the same finding across runs, for baselines."""
    identity = [
        rule_id,
        service,
        change.shape,
        change.member,
        change.operation,
        change.aspect,
        change.old if not isinstance(change.old, str) or len(change.old) < 200 else None,
        change.new if not isinstance(change.new, str) or len(change.new) < 200 else None,
    ]
    text = _IDENTITY_ENCODER.encode(identity)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
