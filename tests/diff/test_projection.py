"""Projection: each change is reported once, with every operation it reaches and the path."""

from __future__ import annotations

from typing import Any

import pytest

from apidiff.diff import ChangeKind, Reach, diff_models
from apidiff.diff.projection import ReachFinder
from apidiff.model import Position
from tests.conftest import ModelFactory, operation
from tests.diff.bundled import BUNDLED_MODELS, load_bundled

SHAPES: dict[str, Any] = {
    "Name": {"type": "string"},
    "Tag": {"type": "structure", "members": {"Key": {"shape": "Name"}}},
    "TagList": {"type": "list", "member": {"shape": "Tag"}},
    "TagMap": {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Tag"}},
    "PutRequest": {"type": "structure", "members": {"Tags": {"shape": "TagList"}}},
    "GetResponse": {"type": "structure", "members": {"ByName": {"shape": "TagMap"}}},
    "Oops": {"type": "structure", "members": {"Tag": {"shape": "Tag"}}, "exception": True},
}
OPERATIONS = {
    "Put": operation("Put", "PutRequest"),
    "Get": operation("Get", None, "GetResponse") | {"errors": [{"shape": "Oops"}]},
}


def test_shared_shape_change_is_one_change_reaching_every_operation(
    make_model: ModelFactory,
) -> None:
    after = SHAPES | {
        "Tag": {"type": "structure", "members": {"Key": {"shape": "Name"}}, "sensitive": True}
    }
    model_diff = diff_models(make_model(SHAPES, OPERATIONS), make_model(after, OPERATIONS))
    (projected,) = model_diff.changes
    assert projected.change.kind is ChangeKind.SHAPE_TRAIT_CHANGED
    assert projected.reaches == (
        Reach("Get", Position.RESPONSE, "ByName{}"),
        Reach("Get", Position.ERROR, "Tag"),
        Reach("Put", Position.REQUEST, "Tags[]"),
    )


def test_member_change_path_ends_with_the_member(make_model: ModelFactory) -> None:
    after = SHAPES | {
        "Tag": {
            "type": "structure",
            "members": {"Key": {"shape": "Name"}, "Value": {"shape": "Name"}},
        }
    }
    model_diff = diff_models(make_model(SHAPES, OPERATIONS), make_model(after, OPERATIONS))
    (projected,) = model_diff.changes
    assert [reach.path for reach in projected.reaches] == [
        "ByName{}.Value",
        "Tag.Value",
        "Tags[].Value",
    ]


def test_removed_member_is_projected_on_the_old_model(make_model: ModelFactory) -> None:
    after = SHAPES | {"PutRequest": {"type": "structure", "members": {}}}
    model_diff = diff_models(make_model(SHAPES, OPERATIONS), make_model(after, OPERATIONS))
    removed = [p for p in model_diff.changes if p.change.kind is ChangeKind.MEMBER_REMOVED]
    assert removed[0].reaches == (Reach("Put", Position.REQUEST, "Tags"),)


def test_operation_changes_reach_their_operation(make_model: ModelFactory) -> None:
    after_operations = OPERATIONS | {"Put": OPERATIONS["Put"] | {"deprecated": True}}
    model_diff = diff_models(make_model(SHAPES, OPERATIONS), make_model(SHAPES, after_operations))
    (projected,) = model_diff.changes
    assert projected.reaches == (Reach("Put", Position.OPERATION),)


def test_unreachable_shape_reaches_nothing(make_model: ModelFactory) -> None:
    after = SHAPES | {"Orphan": {"type": "string"}}
    model_diff = diff_models(make_model(SHAPES, OPERATIONS), make_model(after, OPERATIONS))
    (projected,) = model_diff.changes
    assert projected.reaches == ()


def test_of_two_references_from_one_shape_the_path_takes_the_first_label(
    make_model: ModelFactory,
) -> None:
    """Members `Zed` and `Alpha` both hold a Tag, a map's values and keys both are Names:
    paths go through `Alpha` and `{key}`, the labels that sort first, in any file order."""
    shapes: dict[str, Any] = {
        "Name": {"type": "string"},
        "Names": {"type": "map", "value": {"shape": "Name"}, "key": {"shape": "Name"}},
        "Tag": {"type": "structure", "members": {"Labels": {"shape": "Names"}}},
        "Request": {
            "type": "structure",
            "members": {"Zed": {"shape": "Tag"}, "Alpha": {"shape": "Tag"}},
        },
    }
    operations = {"Put": operation("Put", "Request")}
    after = shapes | {"Name": {"type": "string", "max": 5}}
    model_diff = diff_models(make_model(shapes, operations), make_model(after, operations))
    (projected,) = model_diff.changes
    assert projected.reaches == (Reach("Put", Position.REQUEST, "Alpha.Labels{key}"),)


@pytest.mark.parametrize(("version", "service"), BUNDLED_MODELS)
def test_reached_from_names_the_operation_and_position_of_every_reach(
    version: str, service: str
) -> None:
    model = load_bundled(version, service)
    finder = ReachFinder(model)
    for shape in model.shapes:
        places = {(reach.operation, reach.position) for reach in finder.reaches(shape)}
        assert finder.reached_from(shape) == places, shape
