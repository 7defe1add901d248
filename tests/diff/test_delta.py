"""Per-operation deltas: what a caller of each api method sees change."""

from __future__ import annotations

from typing import Any

from apidiff.diff import DeltaTree, diff_models
from tests.conftest import ModelFactory, operation

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
