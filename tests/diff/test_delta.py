"""Per-operation deltas: what a caller of each api method sees change."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from apidiff.collector import collections_paused
from apidiff.diff import DeltaTree, diff_models
from apidiff.diff.delta import DeltaBuilder
from apidiff.diff.model_diff import find_changes
from apidiff.model import ServiceModel
from apidiff.model.load import load_service_model
from apidiff.sources import open_source
from tests.conftest import ModelFactory, operation
from tests.diff.bundled import BUNDLED_PAIRS, load_bundled
from tests.diff.test_properties import assert_reshaped_shapes_make_the_deltas_of_every_change

BASE: dict[str, Any] = {
    "Name": {"type": "string"},
    "Count": {"type": "integer"},
    "Status": {"type": "string", "enum": ["On", "Off"]},
    "Tags": {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Name"}},
    "Item": {"type": "structure", "members": {"Id": {"shape": "Name"}}},
    "Items": {"type": "list", "member": {"shape": "Item"}},
    "GetRequest": {"type": "structure", "members": {"Id": {"shape": "Name"}}},
    "GetResponse": {
        "type": "structure",
        "members": {"Items": {"shape": "Items"}, "Status": {"shape": "Status"}},
    },
}
OPERATIONS = {"Get": operation("Get", "GetRequest", "GetResponse")}


def _deltas(make_model: ModelFactory, after: dict[str, Any]) -> tuple[DeltaTree, DeltaTree]:
    model_diff = diff_models(make_model(BASE, OPERATIONS), make_model(after, OPERATIONS))
    (updated,) = model_diff.updated_operations
    return updated.request, updated.response


def test_member_added_through_a_list_is_nested_without_brackets(make_model: ModelFactory) -> None:
    after = BASE | {
        "Item": {
            "type": "structure",
            "members": {"Id": {"shape": "Name"}, "Tags": {"shape": "Tags"}},
        }
    }
    request, response = _deltas(make_model, after)
    assert not request
    assert response == DeltaTree(nested={"Items": DeltaTree(added={"Tags": {"string": "string"}})})


def test_enum_values_added_and_removed(make_model: ModelFactory) -> None:
    after = BASE | {"Status": {"type": "string", "enum": ["On", "Standby"]}}
    _request, response = _deltas(make_model, after)
    assert response == DeltaTree(
        nested={"Status": DeltaTree(enum_added=("Standby",), enum_removed=("Off",))}
    )


def test_type_change_and_required_flags(make_model: ModelFactory) -> None:
    after = BASE | {
        "GetRequest": {
            "type": "structure",
            "members": {"Id": {"shape": "Count"}, "Extra": {"shape": "Name"}},
            "required": ["Extra", "Id"],
        }
    }
    request, _response = _deltas(make_model, after)
    assert request == DeltaTree(
        added={"Extra": "string"},
        required_added=("Id",),
        nested={"Id": DeltaTree(type_change=("string", "integer"))},
    )


def test_retargeted_member_is_compared_structurally(make_model: ModelFactory) -> None:
    # The member now points at a differently named shape: only the real difference shows.
    after = BASE | {
        "Item2": {
            "type": "structure",
            "members": {"Id": {"shape": "Name"}, "Size": {"shape": "Count"}},
        },
        "Items": {"type": "list", "member": {"shape": "Item2"}},
    }
    _request, response = _deltas(make_model, after)
    assert response == DeltaTree(nested={"Items": DeltaTree(added={"Size": "integer"})})


def test_unchanged_operations_are_not_updated(make_model: ModelFactory) -> None:
    operations = OPERATIONS | {"Other": operation("Other", "Item")}
    after = BASE | {"Status": {"type": "string", "enum": ["On", "Off", "Standby"]}}
    model_diff = diff_models(make_model(BASE, operations), make_model(after, operations))
    assert [delta.operation for delta in model_diff.updated_operations] == ["Get"]


def test_documentation_and_constraints_do_not_update_a_method(make_model: ModelFactory) -> None:
    after = BASE | {"Name": {"type": "string", "max": 5, "documentation": "short"}}
    model_diff = diff_models(make_model(BASE, OPERATIONS), make_model(after, OPERATIONS))
    assert model_diff.updated_operations == ()
    assert model_diff.changes


def test_change_inside_a_cycle_is_shown_where_the_cycle_is_entered(
    make_model: ModelFactory,
) -> None:
    before = {
        "Node": {
            "type": "structure",
            "members": {"Name": {"shape": "Name"}, "Next": {"shape": "Node"}},
        },
        "Name": {"type": "string"},
        "Req": {"type": "structure", "members": {"Root": {"shape": "Node"}}},
    }
    after = before | {
        "Node": {
            "type": "structure",
            "members": {
                "Name": {"shape": "Name"},
                "Next": {"shape": "Node"},
                "Size": {"shape": "Name"},
            },
        }
    }
    operations = {"Put": operation("Put", "Req")}
    model_diff = diff_models(make_model(before, operations), make_model(after, operations))
    (updated,) = model_diff.updated_operations
    assert updated.request == DeltaTree(nested={"Root": DeltaTree(added={"Size": "string"})})


# --- cycles: an operation's delta is the same whichever other operations were walked ----

RING: dict[str, Any] = {
    "Name": {"type": "string"},
    "Ring0": {
        "type": "structure",
        "members": {"Next": {"shape": "Ring1"}, "Label": {"shape": "Name"}},
    },
    "Ring1": {
        "type": "structure",
        "members": {"Next": {"shape": "Ring0"}, "Label": {"shape": "Name"}},
    },
}


def test_a_cycle_entered_at_two_shapes_is_cut_where_each_walk_closes_it(
    make_model: ModelFactory,
) -> None:
    # The request enters the ring at Ring1, the response at Ring0: each shows Ring0's new
    # member once, and not again one turn of the ring further down.
    after = RING | {
        "Ring0": {
            "type": "structure",
            "members": {
                "Next": {"shape": "Ring1"},
                "Label": {"shape": "Name"},
                "Extra": {"shape": "Name"},
            },
        }
    }
    operations = {"Go": operation("Go", "Ring1", "Ring0")}
    (updated,) = diff_models(
        make_model(RING, operations), make_model(after, operations)
    ).updated_operations
    assert updated.request == DeltaTree(nested={"Next": DeltaTree(added={"Extra": "string"})})
    assert updated.response == DeltaTree(added={"Extra": "string"})


# --- real models: fsx and wafv2, botocore 1.44.7 -> 1.44.8 ------------------------------


def _bundled(version: str, service: str) -> ServiceModel:
    source = open_source(f"bundled:botocore-{version}")
    return load_service_model(source.service_files(service), source.provenance)


def _paths(tree: DeltaTree, prefix: str = "") -> list[str]:
    """Every change in a tree as one line: the member path, then what changed there."""
    found = [f"{prefix}{name} added" for name in tree.added]
    found += [f"{prefix.rstrip('.')} +{value}" for value in tree.enum_added]
    for name, nested in tree.nested.items():
        found += _paths(nested, f"{prefix}{name}.")
    return found


def _each_alone(old: ServiceModel, new: ServiceModel, name: str) -> tuple[DeltaTree, DeltaTree]:
    changed = {change.shape for change in find_changes(old, new) if change.shape is not None}
    before, after = old.operations[name], new.operations[name]
    request, response = (
        DeltaBuilder(old, new, changed).delta(
            before.get(side, {}).get("shape"), after.get(side, {}).get("shape")
        )
        for side in ("input", "output")
    )
    return request, response


# OntapFileSystemConfiguration.DeploymentType (OntapDeploymentType) gains SINGLE_AZ_3 and
# MULTI_AZ_3. It is reached through AdministrativeAction.TargetFileSystemValues, and
# AdministrativeAction leads back to itself (TargetVolumeValues.AdministrativeActions,
# TargetFileSystemValues.AdministrativeActions, TargetSnapshotValues.AdministrativeActions).
FSX_DEPLOYMENT_TYPE = (
    "AdministrativeActions.TargetFileSystemValues.OntapConfiguration.DeploymentType"
)
FSX_CASES = {
    "CopySnapshotAndUpdateVolume": FSX_DEPLOYMENT_TYPE,
    "CreateSnapshot": f"Snapshot.{FSX_DEPLOYMENT_TYPE}",
    "DescribeSnapshots": f"Snapshots.{FSX_DEPLOYMENT_TYPE}",
    "RestoreVolumeFromSnapshot": FSX_DEPLOYMENT_TYPE,
    "UpdateSnapshot": f"Snapshot.{FSX_DEPLOYMENT_TYPE}",
}


@pytest.mark.parametrize(("name", "path"), sorted(FSX_CASES.items()))
def test_fsx_enum_values_inside_a_cycle_show_once_and_as_when_diffed_alone(
    name: str, path: str
) -> None:
    old, new = _bundled("1.44.7", "fsx"), _bundled("1.44.8", "fsx")
    updated = {delta.operation: delta for delta in diff_models(old, new).updated_operations}
    delta = updated[name]
    assert (delta.request, delta.response) == _each_alone(old, new, name)
    assert not delta.request
    assert _paths(delta.response) == [f"{path} +SINGLE_AZ_3", f"{path} +MULTI_AZ_3"]


def test_wafv2_get_web_acl_shows_each_change_once_and_as_when_diffed_alone() -> None:
    # ManagedRuleGroupConfig gains AWSManagedRulesAISecurityRuleSet. ManagedRuleGroupStatement
    # leads back to itself through ScopeDownStatement (a Statement), so from the firewall
    # manager's rule groups the walk stops there; from Rules it enters at Statement.
    old, new = _bundled("1.44.7", "wafv2"), _bundled("1.44.8", "wafv2")
    updated = {delta.operation: delta for delta in diff_models(old, new).updated_operations}
    delta = updated["GetWebACL"]
    assert (delta.request, delta.response) == _each_alone(old, new, "GetWebACL")
    assert not delta.request
    config = "ManagedRuleGroupStatement.ManagedRuleGroupConfigs.AWSManagedRulesAISecurityRuleSet"
    assert _paths(delta.response) == [
        "WebACL.AssociationConfig.ChallengeJavascriptSdkInjection.{key} +APPLICATION_LOAD_BALANCER",
        "WebACL.AssociationConfig.RequestBody.{key} +APPLICATION_LOAD_BALANCER",
        "WebACL.AssociationConfig.RequestBody.DefaultSizeInspectionLimit +KB_8",
        f"WebACL.PostProcessFirewallManagerRuleGroups.FirewallManagerStatement.{config} added",
        f"WebACL.PreProcessFirewallManagerRuleGroups.FirewallManagerStatement.{config} added",
        f"WebACL.Rules.Statement.{config} added",
    ]


@pytest.mark.parametrize("service", ["fsx", "wafv2"])
def test_every_real_operation_delta_is_the_same_diffed_alone(service: str) -> None:
    old, new = _bundled("1.44.7", service), _bundled("1.44.8", service)
    for delta in diff_models(old, new).updated_operations:
        assert (delta.request, delta.response) == _each_alone(old, new, delta.operation)


def test_a_diff_makes_no_reference_cycles() -> None:
    # compare pauses the cyclic collector while it compares a service: what a diff makes,
    # the models with it, must be freed when the last reference goes, not at a collection.
    old, new = _bundled("1.44.7", "fsx"), _bundled("1.44.8", "fsx")
    gc.collect()
    with collections_paused():
        model_diff = diff_models(old, new)
        assert model_diff.updated_operations
        del model_diff, old, new
        assert gc.collect() == 0


@pytest.mark.parametrize(("old", "new", "service"), BUNDLED_PAIRS)
def test_only_reshaped_shapes_change_the_deltas_of_bundled_models(
    old: str, new: str, service: str
) -> None:
    assert_reshaped_shapes_make_the_deltas_of_every_change(
        load_bundled(old, service), load_bundled(new, service)
    )
