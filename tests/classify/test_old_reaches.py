"""A change is rated where callers of the old model meet it: a shape a new member brings
into a request limits no value an existing call sends (timestream-influxdb 1.43.122 ->
1.43.123, InstanceModeList), which botocore itself shows by refusing the new member in the
old release."""

from __future__ import annotations

from typing import Any

import pytest

from apidiff.classify import Perspective, Severity
from apidiff.diff import ChangeKind
from apidiff.model import Position, ServiceModel
from apidiff.model.load import load_service_model
from apidiff.sources import PackageIndex, open_source
from tests.classify.botocore_oracle import botocore_model, request_rejection
from tests.classify.conftest import CLIENT_METADATA, ClassifiedChange, classify_pair
from tests.conftest import ModelFactory, operation

SDK, WIRE = Perspective.SDK, Perspective.WIRE

# timestream-influxdb 1.43.122, cut down: instance modes are only read, from GetDbInstance.
_OLD_SHAPES: dict[str, Any] = {
    "CreateDbClusterInput": {
        "type": "structure",
        "required": ["name"],
        "members": {"name": {"shape": "String"}},
    },
    "GetDbInstanceOutput": {
        "type": "structure",
        "members": {"instanceModes": {"shape": "InstanceModeList"}},
    },
    "InstanceModeList": {"type": "list", "member": {"shape": "InstanceMode"}},
    "InstanceMode": {"type": "string", "enum": ["INGEST", "QUERY", "COMPACT"]},
    "String": {"type": "string"},
}
_OPERATIONS = {
    "CreateDbCluster": operation("CreateDbCluster", "CreateDbClusterInput"),
    "GetDbInstance": operation("GetDbInstance", None, "GetDbInstanceOutput"),
}


def _new_shapes() -> dict[str, Any]:
    """1.43.123: a cluster is created with node groups, each given 1 to 4 instance modes."""
    shapes = {key: dict(value) for key, value in _OLD_SHAPES.items()}
    shapes["CreateDbClusterInput"]["members"] = {
        "name": {"shape": "String"},
        "nodeGroups": {"shape": "NodeGroupList"},
    }
    shapes["NodeGroupList"] = {"type": "list", "member": {"shape": "NodeGroup"}}
    shapes["NodeGroup"] = {
        "type": "structure",
        "required": ["instanceModes"],
        "members": {"instanceModes": {"shape": "InstanceModeList"}},
    }
    shapes["InstanceModeList"] = {**shapes["InstanceModeList"], "min": 1, "max": 4}
    return shapes


def _pair(
    make_model: ModelFactory, old_shapes: dict[str, Any]
) -> tuple[ServiceModel, ServiceModel]:
    return (
        make_model(old_shapes, _OPERATIONS, CLIENT_METADATA),
        make_model(_new_shapes(), _OPERATIONS, CLIENT_METADATA),
    )


def _constraint(found: tuple[ClassifiedChange, ...], aspect: str) -> ClassifiedChange:
    (classified,) = [
        c
        for c in found
        if c.change.kind is ChangeKind.CONSTRAINT_CHANGED and c.change.aspect == aspect
    ]
    return classified


def test_limits_on_a_list_a_new_request_member_brings_in_break_no_existing_call(
    make_model: ModelFactory,
) -> None:
    old, new = _pair(make_model, _OLD_SHAPES)

    found = classify_pair(old, new)

    minimum, maximum = _constraint(found, "min"), _constraint(found, "max")
    # Projected where the new model puts the list, a request among them...
    assert Position.REQUEST in {reach.position for reach in minimum.reaches}
    # ...but rated where the old model's callers meet it: only in a response.
    assert (minimum.rule, minimum.severity(SDK), minimum.severity(WIRE)) == (
        "constraint.min.raised",
        Severity.SAFE,
        Severity.SAFE,
    )
    assert (maximum.rule, maximum.severity(SDK), maximum.severity(WIRE)) == (
        "constraint.max.lowered",
        Severity.SAFE,
        Severity.SAFE,
    )
    # botocore: the old release refuses the member that carries the list, so no call of it
    # sends one; the new release refuses the list the new minimum rules out.
    groups = {"name": "c", "nodeGroups": [{"instanceModes": []}]}
    old_refusal = request_rejection(botocore_model(old).operation_model("CreateDbCluster"), groups)
    new_refusal = request_rejection(botocore_model(new).operation_model("CreateDbCluster"), groups)
    assert old_refusal is not None and 'Unknown parameter in input: "nodeGroups"' in old_refusal
    assert new_refusal is not None and "valid min length: 1" in new_refusal


def test_limits_on_a_list_an_existing_request_sends_still_break_it(
    make_model: ModelFactory,
) -> None:
    already_sent = {key: dict(value) for key, value in _new_shapes().items()}
    already_sent["InstanceModeList"] = _OLD_SHAPES["InstanceModeList"]
    old, new = _pair(make_model, already_sent)

    minimum = _constraint(classify_pair(old, new), "min")

    assert minimum.severity(SDK) is Severity.BREAKING
    groups = {"name": "c", "nodeGroups": [{"instanceModes": []}]}
    assert request_rejection(botocore_model(old).operation_model("CreateDbCluster"), groups) is None


@pytest.mark.network
def test_timestream_influxdb_1_43_123_instance_mode_limits_are_rated_in_responses() -> None:
    index = PackageIndex.from_environment()
    old, new = (_release(version, index) for version in ("1.43.122", "1.43.123"))

    found = classify_pair(old, new)

    for aspect in ("min", "max"):
        classified = _constraint(found, aspect)
        assert classified.change.shape == "InstanceModeList"
        assert classified.severity(SDK) is Severity.SAFE
        assert classified.severity(WIRE) is Severity.SAFE
    modes: dict[str, list[str]] = {"instanceModes": []}
    path = {"InfluxDBv3Enterprise": {"nodeGroups": [modes]}}
    arguments = {"name": "c", "dbInstanceType": "db.influx.large", "deploymentConfiguration": path}
    old_refusal = request_rejection(
        botocore_model(old).operation_model("CreateDbCluster"), arguments
    )
    assert old_refusal is not None and "deploymentConfiguration" in old_refusal


def _release(version: str, index: PackageIndex) -> ServiceModel:
    source = open_source(f"botocore=={version}", index)
    return load_service_model(source.service_files("timestream-influxdb"), source.provenance)
