"""Likely renames: a removal next to a similar addition of the same type says what it may
have become; names that are not similar, or types that differ, say nothing."""

from __future__ import annotations

from typing import Any

import pytest

from apidiff.classify.renames import SIMILARITY, similarity
from apidiff.diff import ChangeKind
from tests.classify.conftest import ShapePairClassifier, classify_pair, the_change
from tests.conftest import ModelFactory, operation


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("AssetTypeId", "AssetTypeIdentifier"),  # the new name continues the old
        ("Arn", "ResourceArn"),  # the old name ends the new
        ("FormTypeID", "FormTypeId"),  # case only
        ("maxResults", "MaxResults"),
        ("DataSourceConfig", "DataSourceConfiguration"),
        ("KmsKeyId", "KMSKeyId"),
    ],
)
def test_similar_names(old: str, new: str) -> None:
    assert similarity(old, new) >= SIMILARITY


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("FooId", "FooArn"),
        ("Name", "Owner"),
        ("Status", "State"),
        ("Tags", "Tags"),  # the same name is no rename
        ("I", "Id"),  # one letter in common is not enough
    ],
)
def test_names_that_are_not_similar(old: str, new: str) -> None:
    assert similarity(old, new) < SIMILARITY


STRING = {"type": "string"}
NUMBER = {"type": "integer"}


def request(members: dict[str, Any], **shapes: Any) -> dict[str, Any]:
    return {
        "Request": {"type": "structure", "members": members},
        "String": STRING,
        "Number": NUMBER,
        **shapes,
    }


def removed_detail(classify_shapes: ShapePairClassifier, before: Any, after: Any) -> str | None:
    found = classify_shapes(before, after)
    return the_change(found, ChangeKind.MEMBER_REMOVED).classification.detail


def test_a_member_removed_beside_a_similar_one_of_its_type_is_possibly_renamed(
    classify_shapes: ShapePairClassifier,
) -> None:
    before = request({"AssetTypeId": {"shape": "String"}, "Name": {"shape": "String"}})
    after = request({"AssetTypeIdentifier": {"shape": "String"}, "Name": {"shape": "String"}})
    detail = removed_detail(classify_shapes, before, after)
    assert detail == "possibly renamed to AssetTypeIdentifier"


def test_a_similar_member_of_another_type_is_no_rename(
    classify_shapes: ShapePairClassifier,
) -> None:
    before = request({"AssetTypeId": {"shape": "String"}})
    after = request({"AssetTypeIdentifier": {"shape": "Number"}})
    assert removed_detail(classify_shapes, before, after) is None


def test_a_dissimilar_member_of_the_same_type_is_no_rename(
    classify_shapes: ShapePairClassifier,
) -> None:
    before = request({"AssetTypeId": {"shape": "String"}})
    after = request({"Owner": {"shape": "String"}})
    assert removed_detail(classify_shapes, before, after) is None


def test_a_similar_member_added_to_another_structure_is_no_rename(
    classify_shapes: ShapePairClassifier,
) -> None:
    other = {"type": "structure", "members": {"Id": {"shape": "String"}}}
    before = request({"AssetTypeId": {"shape": "String"}, "Other": {"shape": "Other"}}, Other=other)
    moved = {
        "type": "structure",
        "members": {"Id": {"shape": "String"}, "AssetTypeIdentifier": {"shape": "String"}},
    }
    after = request({"Other": {"shape": "Other"}}, Other=moved)
    found = classify_shapes(before, after)
    removed = [c for c in found if c.change.kind is ChangeKind.MEMBER_REMOVED]
    assert [c.change.member for c in removed] == ["AssetTypeId"]
    assert removed[0].classification.detail is None


def test_the_most_similar_of_several_candidates_is_named(
    classify_shapes: ShapePairClassifier,
) -> None:
    before = request({"RoleArn": {"shape": "String"}})
    after = request({"RoleArns": {"shape": "String"}, "Arn": {"shape": "String"}})
    assert removed_detail(classify_shapes, before, after) == "possibly renamed to RoleArns"


def models_with(make_model: ModelFactory, old_name: str, new_name: str, required: list[str]) -> Any:
    shapes = {
        "OldInput": {"type": "structure", "members": {"AssetId": {"shape": "String"}}},
        "NewInput": {
            "type": "structure",
            "required": required,
            "members": {name: {"shape": "String"} for name in ["AssetId", *required]},
        },
        "String": STRING,
    }
    old = make_model(shapes, {old_name: operation(old_name, "OldInput")})
    new = make_model(shapes, {new_name: operation(new_name, "NewInput")})
    found = classify_pair(old, new)
    return the_change(found, ChangeKind.OPERATION_REMOVED).classification.detail


def test_a_method_removed_beside_a_similar_one_taking_the_same_calls_is_possibly_renamed(
    make_model: ModelFactory,
) -> None:
    detail = models_with(make_model, "PutAssetType", "PutAssetTypeV2", ["AssetId"])
    assert detail == "possibly renamed to PutAssetTypeV2"


def test_a_similar_method_requiring_a_parameter_the_old_lacked_is_no_rename(
    make_model: ModelFactory,
) -> None:
    assert models_with(make_model, "PutAssetType", "PutAssetTypeV2", ["Owner"]) is None


def test_a_dissimilar_method_taking_the_same_calls_is_no_rename(
    make_model: ModelFactory,
) -> None:
    assert models_with(make_model, "PutAssetType", "DeleteDomain", []) is None


def test_an_enum_value_lost_behind_a_renamed_enum_names_the_old_enum(
    classify_shapes: ShapePairClassifier,
) -> None:
    before = request({"Kind": {"shape": "KindOld"}}, KindOld={"type": "string", "enum": ["A", "B"]})
    after = request({"Kind": {"shape": "KindNew"}}, KindNew={"type": "string", "enum": ["A"]})
    found = classify_shapes(before, after)
    removed = the_change(found, ChangeKind.ENUM_VALUE_REMOVED)
    # Reported on the new enum, which never held B.
    assert removed.change.shape == "KindNew"
    assert removed.classification.detail == "in the old model: KindOld"


def test_a_member_removed_from_a_shape_of_the_same_name_has_no_old_name(
    classify_shapes: ShapePairClassifier,
) -> None:
    before = request({"Gone": {"shape": "String"}, "Kept": {"shape": "String"}})
    after = request({"Kept": {"shape": "String"}})
    assert removed_detail(classify_shapes, before, after) is None
