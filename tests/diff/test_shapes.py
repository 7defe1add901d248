"""Each shape-level detector, alone, on the smallest model that shows it."""

from __future__ import annotations

from typing import Any

from apidiff.diff import Change, ChangeKind
from apidiff.diff.change import Via
from apidiff.diff.model_diff import find_changes
from tests.conftest import ModelFactory


def _changes(
    make_model: ModelFactory, before: dict[str, Any], after: dict[str, Any]
) -> list[Change]:
    return find_changes(make_model(before), make_model(after))


STRING = {"type": "string"}


def test_identical_models_have_no_changes(make_model: ModelFactory) -> None:
    shapes = {"Name": STRING, "Thing": {"type": "structure", "members": {"N": {"shape": "Name"}}}}
    assert _changes(make_model, shapes, shapes) == []


def test_added_and_removed_shapes_are_found(make_model: ModelFactory) -> None:
    changes = _changes(make_model, {"Old": STRING}, {"New": {"type": "integer"}})
    assert Change(ChangeKind.SHAPE_REMOVED, shape="Old", old="string") in changes
    assert Change(ChangeKind.SHAPE_ADDED, shape="New", new="integer") in changes


def test_type_change_is_reported_alone(make_model: ModelFactory) -> None:
    changes = _changes(
        make_model,
        {"Size": {"type": "string", "max": 5}},
        {"Size": {"type": "integer", "max": 9}},
    )
    assert changes == [
        Change(ChangeKind.SHAPE_TYPE_CHANGED, shape="Size", old="string", new="integer")
    ]


def test_enum_values_added_and_removed_keep_model_order(make_model: ModelFactory) -> None:
    changes = _changes(
        make_model,
        {"Status": {"type": "string", "enum": ["A", "B", "C"]}},
        {"Status": {"type": "string", "enum": ["A", "D", "C", "E"]}},
    )
    assert [(c.kind, c.old, c.new) for c in changes] == [
        (ChangeKind.ENUM_VALUE_ADDED, None, "D"),
        (ChangeKind.ENUM_VALUE_ADDED, None, "E"),
        (ChangeKind.ENUM_VALUE_REMOVED, "B", None),
    ]


def test_reordered_enum_is_no_value_change(make_model: ModelFactory) -> None:
    changes = _changes(
        make_model,
        {"Status": {"type": "string", "enum": ["A", "B"]}},
        {"Status": {"type": "string", "enum": ["B", "A"]}},
    )
    assert changes == []


def test_constraints_added_changed_and_removed(make_model: ModelFactory) -> None:
    changes = _changes(
        make_model,
        {"Name": {"type": "string", "min": 1, "pattern": "^a$"}},
        {"Name": {"type": "string", "min": 3, "max": 10}},
    )
    assert {(c.aspect, c.old, c.new) for c in changes} == {
        ("min", 1, 3),
        ("max", None, 10),
        ("pattern", "^a$", None),
    }
    assert all(c.kind is ChangeKind.CONSTRAINT_CHANGED for c in changes)


def test_shape_traits_are_reported_by_name(make_model: ModelFactory) -> None:
    changes = _changes(
        make_model,
        {"Secret": {"type": "string"}, "Body": {"type": "blob"}},
        {
            "Secret": {"type": "string", "sensitive": True},
            "Body": {"type": "blob", "streaming": True},
        },
    )
    assert (
        Change(ChangeKind.SHAPE_TRAIT_CHANGED, shape="Secret", aspect="sensitive", new=True)
        in changes
    )
    assert (
        Change(ChangeKind.SHAPE_TRAIT_CHANGED, shape="Body", aspect="streaming", new=True)
        in changes
    )


def test_shape_documentation_change(make_model: ModelFactory) -> None:
    changes = _changes(
        make_model,
        {"Name": {"type": "string", "documentation": "<p>old</p>"}},
        {"Name": {"type": "string", "documentation": "<p>new</p>"}},
    )
    assert changes == [
        Change(ChangeKind.SHAPE_DOCS_CHANGED, shape="Name", old="<p>old</p>", new="<p>new</p>")
    ]


def _structure(members: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    shape: dict[str, Any] = {"type": "structure", "members": members}
    if required is not None:
        shape["required"] = required
    return shape


def test_members_added_removed_and_retargeted(make_model: ModelFactory) -> None:
    before = {
        "Name": STRING,
        "Count": {"type": "integer"},
        "Thing": _structure({"Gone": {"shape": "Name"}, "Kept": {"shape": "Name"}}),
    }
    after = {
        "Name": STRING,
        "Count": {"type": "integer"},
        "Thing": _structure({"Kept": {"shape": "Count"}, "Fresh": {"shape": "Name"}}),
    }
    changes = _changes(make_model, before, after)
    assert changes == [
        Change(ChangeKind.MEMBER_ADDED, shape="Thing", member="Fresh", new="Name"),
        Change(ChangeKind.MEMBER_REMOVED, shape="Thing", member="Gone", old="Name"),
        Change(
            ChangeKind.MEMBER_TARGET_CHANGED, shape="Thing", member="Kept", old="Name", new="Count"
        ),
        Change(
            ChangeKind.MEMBER_TYPE_CHANGED,
            shape="Thing",
            member="Kept",
            old="string",
            new="integer",
        ),
    ]


def test_required_added_and_removed(make_model: ModelFactory) -> None:
    members = {"A": {"shape": "Name"}, "B": {"shape": "Name"}}
    changes = _changes(
        make_model,
        {"Name": STRING, "Thing": _structure(members, ["A"])},
        {"Name": STRING, "Thing": _structure(members, ["B"])},
    )
    assert changes == [
        Change(ChangeKind.MEMBER_REQUIRED_REMOVED, shape="Thing", member="A"),
        Change(ChangeKind.MEMBER_REQUIRED_ADDED, shape="Thing", member="B"),
    ]


def test_new_required_member_is_one_added_member(make_model: ModelFactory) -> None:
    # Its required flag is read by the classifier; "became required" is for existing members.
    changes = _changes(
        make_model,
        {"Name": STRING, "Thing": _structure({})},
        {"Name": STRING, "Thing": _structure({"A": {"shape": "Name"}}, ["A"])},
    )
    assert changes == [Change(ChangeKind.MEMBER_ADDED, shape="Thing", member="A", new="Name")]


def test_member_traits_and_documentation(make_model: ModelFactory) -> None:
    before = _structure({"Id": {"shape": "Name", "location": "uri", "locationName": "id"}})
    after = _structure(
        {
            "Id": {
                "shape": "Name",
                "location": "header",
                "locationName": "x-id",
                "documentation": "d",
            }
        }
    )
    changes = _changes(make_model, {"Name": STRING, "T": before}, {"Name": STRING, "T": after})
    assert changes == [
        Change(ChangeKind.MEMBER_DOCS_CHANGED, shape="T", member="Id", new="d"),
        Change(
            ChangeKind.MEMBER_TRAIT_CHANGED,
            shape="T",
            member="Id",
            aspect="location",
            old="uri",
            new="header",
        ),
        Change(
            ChangeKind.MEMBER_TRAIT_CHANGED,
            shape="T",
            member="Id",
            aspect="locationName",
            old="id",
            new="x-id",
        ),
    ]


def test_list_member_and_map_value_references(make_model: ModelFactory) -> None:
    before = {
        "Name": STRING,
        "Count": {"type": "integer"},
        "Names": {"type": "list", "member": {"shape": "Name"}},
        "Counts": {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Name"}},
    }
    after = {
        **before,
        "Names": {"type": "list", "member": {"shape": "Name", "locationName": "item"}},
        "Counts": {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Count"}},
    }
    changes = _changes(make_model, before, after)
    assert changes == [
        Change(
            ChangeKind.MEMBER_TARGET_CHANGED,
            shape="Counts",
            member="value",
            old="Name",
            new="Count",
        ),
        Change(
            ChangeKind.MEMBER_TYPE_CHANGED,
            shape="Counts",
            member="value",
            old="string",
            new="integer",
        ),
        Change(
            ChangeKind.MEMBER_TRAIT_CHANGED,
            shape="Names",
            member="member",
            aspect="locationName",
            new="item",
        ),
    ]


def test_retarget_to_an_equal_structure_reports_only_the_retarget(make_model: ModelFactory) -> None:
    old_item = _structure({"Id": {"shape": "Name"}})
    changes = _changes(
        make_model,
        {"Name": STRING, "Item": old_item, "Box": _structure({"Item": {"shape": "Item"}})},
        {"Name": STRING, "ItemV2": old_item, "Box": _structure({"Item": {"shape": "ItemV2"}})},
    )
    assert [c.kind for c in changes] == [
        ChangeKind.MEMBER_TARGET_CHANGED,
        ChangeKind.SHAPE_REMOVED,
        ChangeKind.SHAPE_ADDED,
    ]


def test_retarget_to_a_different_structure_reports_the_differences(
    make_model: ModelFactory,
) -> None:
    changes = _changes(
        make_model,
        {
            "Name": STRING,
            "Item": _structure({"Id": {"shape": "Name"}, "Old": {"shape": "Name"}}),
            "Box": _structure({"Item": {"shape": "Item"}}),
        },
        {
            "Name": STRING,
            "ItemV2": _structure({"Id": {"shape": "Name"}}, ["Id"]),
            "Box": _structure({"Item": {"shape": "ItemV2"}}),
        },
    )
    # Reported on the new shape, seen through the member that was retargeted.
    via = (Via(path="Item", shape="Box"),)
    assert Change(ChangeKind.MEMBER_REMOVED, "ItemV2", "Old", old="Name", via=via) in changes
    assert Change(ChangeKind.MEMBER_REQUIRED_ADDED, "ItemV2", "Id", via=via) in changes
