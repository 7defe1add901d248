"""Type skeletons of new and removed members, and what awsapichanges prints for them."""

from __future__ import annotations

from typing import Any

import pytest

from apidiff.diff import DeltaTree, EnumString, diff_models, plain_skeleton
from apidiff.diff.skeleton import skeleton
from apidiff.model import ServiceModel
from apidiff.model.load import load_service_model
from apidiff.sources import open_source
from tests.conftest import ModelFactory, operation

SHAPES: dict[str, Any] = {
    "Name": {"type": "string"},
    "Status": {"type": "string", "enum": ["PENDING", "ACTIVE", "FAILED"]},
    "Tags": {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Name"}},
    "Item": {"type": "structure", "members": {"Id": {"shape": "Name"}}},
    "Items": {"type": "list", "member": {"shape": "Item"}},
    "Job": {
        "type": "structure",
        "members": {"State": {"shape": "Status"}, "Name": {"shape": "Name"}},
    },
    "GetRequest": {"type": "structure", "members": {"Id": {"shape": "Name"}}},
}
OPERATIONS = {"Get": operation("Get", "GetRequest")}


def test_skeleton_draws_members_sorted_lists_and_maps(make_model: ModelFactory) -> None:
    shapes = SHAPES | {
        "Thing": {
            "type": "structure",
            "members": {"Zed": {"shape": "Tags"}, "Alpha": {"shape": "Items"}},
        }
    }
    drawn = skeleton(make_model(shapes), "Thing")
    assert drawn == {"Alpha": [{"Id": "string"}], "Zed": {"string": "string"}}
    assert isinstance(drawn, dict)
    assert list(drawn) == ["Alpha", "Zed"]


def test_skeleton_of_a_recursive_shape_stops_at_the_cycle(make_model: ModelFactory) -> None:
    shapes = {
        "Node": {"type": "structure", "members": {"Children": {"shape": "Nodes"}}},
        "Nodes": {"type": "list", "member": {"shape": "Node"}},
    }
    assert skeleton(make_model(shapes), "Node") == {"Children": ["Node (recursive)"]}


def test_an_enum_typed_string_keeps_its_values_in_model_order(make_model: ModelFactory) -> None:
    drawn = skeleton(make_model(SHAPES), "Job")
    assert drawn == {"Name": "string", "State": EnumString(("PENDING", "ACTIVE", "FAILED"))}


def test_an_enum_typed_map_key_is_drawn_as_string(make_model: ModelFactory) -> None:
    # boto3's docs write every map key as 'string'.
    shapes = SHAPES | {
        "ByStatus": {"type": "map", "key": {"shape": "Status"}, "value": {"shape": "Status"}}
    }
    assert skeleton(make_model(shapes), "ByStatus") == {
        "string": EnumString(("PENDING", "ACTIVE", "FAILED"))
    }


def test_plain_skeleton_joins_enum_values_as_the_pages_print_them() -> None:
    drawn = {
        "Jobs": [{"State": EnumString(("PENDING", "ACTIVE", "FAILED")), "Name": "string"}],
        "Labels": {"string": EnumString(("ON",))},
        "Mode": EnumString(("FAST", "SLOW")),
    }
    assert plain_skeleton(drawn) == {
        "Jobs": [{"State": "PENDING | ACTIVE | FAILED", "Name": "string"}],
        "Labels": {"string": "ON"},
        "Mode": "FAST | SLOW",
    }
    assert plain_skeleton("Node (recursive)") == "Node (recursive)"


def _request_delta(make_model: ModelFactory, request: dict[str, Any]) -> DeltaTree:
    after = SHAPES | {"GetRequest": request}
    model_diff = diff_models(make_model(SHAPES, OPERATIONS), make_model(after, OPERATIONS))
    (updated,) = model_diff.updated_operations
    return updated.request


def test_an_enum_member_inside_a_new_structure_keeps_its_values(
    make_model: ModelFactory,
) -> None:
    request = {"type": "structure", "members": {"Id": {"shape": "Name"}, "Job": {"shape": "Job"}}}
    delta = _request_delta(make_model, request)
    status = EnumString(("PENDING", "ACTIVE", "FAILED"))
    assert delta == DeltaTree(added={"Job": {"Name": "string", "State": status}})
    assert plain_skeleton(delta.added["Job"]) == {
        "Name": "string",
        "State": "PENDING | ACTIVE | FAILED",
    }


def test_a_new_enum_member_is_its_values_too(make_model: ModelFactory) -> None:
    request = {
        "type": "structure",
        "members": {"Id": {"shape": "Name"}, "State": {"shape": "Status"}},
    }
    delta = _request_delta(make_model, request)
    assert delta == DeltaTree(added={"State": EnumString(("PENDING", "ACTIVE", "FAILED"))})
    assert plain_skeleton(delta.added["State"]) == "PENDING | ACTIVE | FAILED"


def test_values_added_to_an_existing_enum_stay_a_set_of_new_values(
    make_model: ModelFactory,
) -> None:
    operations = {"Get": operation("Get", "Job")}
    after = SHAPES | {"Status": {"type": "string", "enum": ["PENDING", "ACTIVE", "FAILED", "GONE"]}}
    model_diff = diff_models(make_model(SHAPES, operations), make_model(after, operations))
    (updated,) = model_diff.updated_operations
    assert updated.request == DeltaTree(nested={"State": DeltaTree(enum_added=("GONE",))})


# --- real models ------------------------------------------------------------------------


def _bundled(version: str, service: str) -> ServiceModel:
    source = open_source(f"bundled:botocore-{version}")
    return load_service_model(source.service_files(service), source.provenance)


def _added(old: str, new: str, service: str, operation_name: str, side: str) -> dict[str, Any]:
    model_diff = diff_models(_bundled(old, service), _bundled(new, service))
    (updated,) = [
        delta for delta in model_diff.updated_operations if delta.operation == operation_name
    ]
    tree: DeltaTree = getattr(updated, side)
    found: dict[str, Any] = {}

    def collect(node: DeltaTree, path: str) -> None:
        found.update({path + name: plain_skeleton(drawn) for name, drawn in node.added.items()})
        for name, child in node.nested.items():
            collect(child, f"{path}{name}.")

    collect(tree, "")
    return found


@pytest.mark.parametrize(
    ("service", "operation_name", "path", "printed"),
    [
        # A new structure holding an enum member, and one holding a list of enum values.
        (
            "qbusiness",
            "CreateDataSource",
            "mediaExtractionConfiguration",
            {"imageExtractionConfiguration": {"imageExtractionStatus": "ENABLED | DISABLED"}},
        ),
        (
            "qbusiness",
            "CreateWebExperience",
            "browserExtensionConfiguration",
            {"enabledBrowserExtensions": ["FIREFOX | CHROME"]},
        ),
    ],
)
def test_qbusiness_new_structures_print_their_enum_values(
    service: str, operation_name: str, path: str, printed: Any
) -> None:
    added = _added("1.35.71", "1.35.72", service, operation_name, "request")
    assert added[path] == printed


def test_route53_new_enum_members_print_their_values() -> None:
    added = _added("1.44.7", "1.44.8", "route53", "CreateHostedZone", "request")
    # A new enum member of an existing structure, and enums inside a new list of structures.
    assert added["HostedZoneConfig.HostedZoneTier"] == "STANDARD | ADVANCED"
    assert added["ChangeGuardrails"] == [
        {
            "Name": "NS_FORMAT_CHECK | NS_DELEGATION_AUTHORITY_CHECK | NS_OCCLUSION_CHECK"
            " | ALIAS_TARGET_CHECK | ACTIVE_RECORD_CHECK | ACTIVE_DELEGATION_CHECK",
            "Status": "ENABLED | DISABLED",
        }
    ]
