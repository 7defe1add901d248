"""A finding names only what exists on the side it speaks of: the old model for a removal,
the new one for an addition or a change. Its location (Shape.member, or a member path from
a shape both sides hold), the client methods, exception classes and parameter or response
paths its message writes are all looked up in that model, over every finding of every
bundled release pair and over a member lost behind a renamed shape (the healthlake case).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from botocore import xform_name

from apidiff.classify import Severity
from apidiff.compare import CompareOptions, compare_sources
from apidiff.diff import Change, ChangeKind
from apidiff.model import Position, ServiceModel
from apidiff.model.load import load_service_model
from apidiff.report.callers import path_steps, reach_expression
from apidiff.report.check import Finding, evaluate_check
from apidiff.report.messages import OLD_SIDE_KINDS
from apidiff.report.report import ChangeRecord, Report
from apidiff.sources import open_source
from tests.classify.conftest import classify_pair
from tests.classify.test_rules import BASE, KIND_EXAMPLES, OLD_SIDE_EXAMPLES
from tests.classify.test_rules import _model_of as model_of
from tests.conftest import MODELS, ModelFactory, operation
from tests.report.test_check import TODAY, report_of, service_report

_CONTAINER_STEPS = {"[]": "member", "{}": "value", "{key}": "key"}
_CLIENT_METHOD = re.compile(r"client\.(\w+)\(")
_EXCEPTION = re.compile(r"client\.exceptions\.(\w+)")
_OLD_NAME = re.compile(r"in the old model: (\w+)\.(\w+)")


def walk(model: ServiceModel, shape: str, path: str) -> str | None:
    """The shape `path` leads to from `shape` in `model`, None where a step is not there."""
    current: str | None = shape
    for step in path_steps(path):
        definition: Mapping[str, Any] = model.shapes.get(current or "", {})
        if step in _CONTAINER_STEPS:
            reference = definition.get(_CONTAINER_STEPS[step])
        else:
            reference = definition.get("members", {}).get(step)
        if reference is None:
            return None
        current = reference["shape"]
    return current if current in model.shapes else None


def side_of(finding: Finding, old: ServiceModel, new: ServiceModel) -> ServiceModel:
    return old if finding.record.change.kind in OLD_SIDE_KINDS else new


def misnamed(finding: Finding, old: ServiceModel, new: ServiceModel) -> Iterator[str]:
    """What `finding` names that its side does not hold; nothing where all is there."""
    model = side_of(finding, old, new)
    change = finding.record.change
    where = finding.where
    if change.shape:
        if change.via and change.kind in OLD_SIDE_KINDS and change.via[0].shape:
            owner, _, path = where.partition(".")
            if walk(model, owner, path) is None:
                yield f"location {where}"
        elif change.via and change.kind in OLD_SIDE_KINDS:
            operation, position, path = where.split(" ", 2)
            side = "input" if position == "request" else "output"
            root = model.operations[operation][side]["shape"]
            if walk(model, root, path) is None:
                yield f"location {where}"
        else:
            definition = model.shapes.get(change.shape)
            if definition is None:
                yield f"shape {change.shape}"
            elif change.member and change.member not in {
                *definition.get("members", {}),
                *(key for key in ("member", "key", "value") if key in definition),
            }:
                yield f"member {change.shape}.{change.member}"
    methods = {xform_name(name) for name in model.operations}
    for method in _CLIENT_METHOD.findall(finding.message):
        if method not in methods and method not in ("get_paginator", "get_waiter"):
            yield f"method client.{method}"
    for shape, member in _OLD_NAME.findall(finding.message):
        if member not in old.shapes.get(shape, {}).get("members", {}):
            yield f"old model's {shape}.{member}"
    for error in _EXCEPTION.findall(finding.message):
        if error not in model.shapes:
            yield f"exception {error}"
    written = [
        reach
        for reach in finding.record.reaches
        if reach.position is not Position.OPERATION
        and reach_expression(reach).split(" e.response")[-1] in finding.message
    ]
    if change.shape and finding.record.reaches and not written:
        yield "no path the finding reaches is what the message writes"
    for reach in written:
        definition = model.operations.get(reach.operation)
        if definition is None:
            yield f"operation {reach.operation}"
            continue
        if reach.position is Position.ERROR:
            roots = [error["shape"] for error in definition.get("errors", ())]
        else:
            side = "input" if reach.position is Position.REQUEST else "output"
            roots = [definition[side]["shape"]] if side in definition else []
        if not any(walk(model, root, reach.path) for root in roots):
            yield f"path {reach.operation} {reach.position.value} {reach.path}"


BUNDLED_PAIRS = [
    ("botocore-1.20.40", "botocore-1.20.41"),
    ("botocore-1.20.72", "botocore-1.20.73"),
    ("botocore-1.20.73", "botocore-1.20.74"),
    ("botocore-1.20.94", "botocore-1.20.95"),
    ("botocore-1.35.71", "botocore-1.35.72"),
    ("botocore-1.44.7", "botocore-1.44.8"),
]


def test_every_bundled_release_is_in_a_pair() -> None:
    bundled = {path.name for path in MODELS.iterdir() if path.name.startswith("botocore-")}
    assert bundled == {name for pair in BUNDLED_PAIRS for name in pair}


@pytest.mark.parametrize(("old_name", "new_name"), BUNDLED_PAIRS)
def test_every_finding_of_a_bundled_pair_names_what_its_side_holds(
    old_name: str, new_name: str
) -> None:
    old_source = open_source(f"bundled:{old_name}")
    new_source = open_source(f"bundled:{new_name}")
    report = compare_sources(old_source, new_source, CompareOptions(with_docs=False))
    result = evaluate_check(report, min_severity=Severity.INFO, today=TODAY)
    assert result.findings
    models: dict[str, tuple[ServiceModel, ServiceModel]] = {}
    problems = []
    for finding in result.findings:
        if finding.service not in models:
            models[finding.service] = (
                load_service_model(
                    old_source.service_files(finding.service), old_source.provenance
                ),
                load_service_model(
                    new_source.service_files(finding.service), new_source.provenance
                ),
            )
        problems += [
            f"{finding.location} [{finding.rule.id}]: {problem}"
            for problem in misnamed(finding, *models[finding.service])
        ]
    assert problems == []


def lost_behind_a_renamed_shape(make_model: ModelFactory) -> tuple[ServiceModel, ServiceModel]:
    """healthlake 1.43 -> 1.44: a response member retargeted from a stream shape to a
    differently named one that lacks two of its members."""
    string = {"type": "string"}
    operations = {"UpdateProfile": operation("UpdateProfile", None, "UpdateProfileResponse")}
    old = make_model(
        {
            "UpdateProfileResponse": {
                "type": "structure",
                "members": {"AgentResponse": {"shape": "AgentResponseStream"}},
            },
            "AgentResponseStream": {
                "type": "structure",
                "members": {"Body": {"shape": "String"}, "Type": {"shape": "String"}},
            },
            "String": string,
        },
        operations,
    )
    new = make_model(
        {
            "UpdateProfileResponse": {
                "type": "structure",
                "members": {"AgentResponse": {"shape": "AgentOutputMessageStream"}},
            },
            "AgentOutputMessageStream": {
                "type": "structure",
                "members": {"Text": {"shape": "String"}},
            },
            "String": string,
        },
        operations,
    )
    return old, new


def findings_of(old: ServiceModel, new: ServiceModel) -> tuple[Finding, ...]:
    records = [
        ChangeRecord(
            change=found.change,
            reaches=found.reaches,
            rule=found.classification.rule,
            severity=found.classification.severity,
            fingerprint=found.classification.fingerprint,
            detail=found.classification.detail,
        )
        for found in classify_pair(old, new)
    ]
    report: Report = report_of(service_report("example", records))
    return evaluate_check(report, min_severity=Severity.INFO, today=TODAY).findings


def test_a_member_lost_behind_a_renamed_shape_is_named_from_a_shape_both_sides_hold(
    make_model: ModelFactory,
) -> None:
    old, new = lost_behind_a_renamed_shape(make_model)
    findings = findings_of(old, new)
    removed = {
        finding.record.change.member: finding
        for finding in findings
        if finding.record.change.kind is ChangeKind.MEMBER_REMOVED
    }
    assert set(removed) == {"Body", "Type"}
    body = removed["Body"]
    # Reported on the new shape, which never held Body: the location walks there instead.
    assert body.record.change.shape == "AgentOutputMessageStream"
    assert body.where == "UpdateProfileResponse.AgentResponse.Body"
    assert "AgentOutputMessageStream" not in body.message
    # The shape that lost it, as the old model calls it, is in the finding's detail.
    assert body.message == (
        "Body removed from client.update_profile(...)['AgentResponse']['Body'] "
        "(in the old model: AgentResponseStream.Body)"
    )
    for finding in findings:
        assert list(misnamed(finding, old, new)) == [], finding.location


def test_the_name_check_finds_a_member_named_on_the_wrong_side(
    make_model: ModelFactory,
) -> None:
    # The check itself can fail: the new shape's name with the lost member, as messages
    # named it before, is reported.
    old, new = lost_behind_a_renamed_shape(make_model)
    body = next(
        finding
        for finding in findings_of(old, new)
        if finding.record.change.member == "Body"
        and finding.record.change.kind is ChangeKind.MEMBER_REMOVED
    )
    unrouted = Change(
        ChangeKind.MEMBER_REMOVED, shape="AgentOutputMessageStream", member="Body", old="String"
    )
    misplaced = Finding(
        body.service, dataclasses.replace(body.record, change=unrouted), body.severity
    )
    assert list(misnamed(misplaced, old, new)) == ["shape AgentOutputMessageStream"]
    assert list(misnamed(misplaced, new, new)) == [
        "member AgentOutputMessageStream.Body",
        "old model's AgentResponseStream.Body",
        "path UpdateProfile response AgentResponse.Body",
    ]


@pytest.mark.parametrize("kind", [kind for kind in ChangeKind if callable(KIND_EXAMPLES[kind])])
def test_every_kind_of_change_of_a_synthetic_pair_names_what_its_side_holds(
    kind: ChangeKind, make_model: ModelFactory
) -> None:
    edit = KIND_EXAMPLES[kind]
    assert callable(edit)
    edited = copy.deepcopy(BASE)
    edit(edited)
    old, new = model_of(BASE, make_model), model_of(edited, make_model)
    if kind in OLD_SIDE_EXAMPLES:
        old, new = new, old
    findings = findings_of(old, new)
    assert any(finding.record.change.kind is kind for finding in findings)
    for finding in findings:
        assert list(misnamed(finding, old, new)) == [], (finding.location, finding.message)
