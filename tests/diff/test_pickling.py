"""The diff's records survive pickling whole, as they travel from worker processes."""

from __future__ import annotations

import pickle

from apidiff.diff import ChangeKind, DeltaTree, EnumString, Reach, diff_models
from apidiff.diff.change import Change, Via
from apidiff.model import Position
from tests.conftest import ModelFactory
from tests.diff.test_projection import OPERATIONS, SHAPES


def _round_trip(value: object) -> object:
    return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def test_every_field_of_every_record_survives_pickling() -> None:
    records = [
        Reach("Put", Position.REQUEST, "Tags[].Key"),
        Reach("Get", Position.ERROR),
        Via("Member.Inner", shape="Outer"),
        Via("Input", operation="Put", position=Position.REQUEST),
        Change(
            ChangeKind.CONSTRAINT_CHANGED,
            shape="Name",
            member="Key",
            operation="Put",
            aspect="pattern",
            old="^a$",
            new={"nested": [1, 2.5, None, True]},
            via=(Via("Key", shape="Tag"),),
        ),
        EnumString(("A", "B")),
        DeltaTree(
            added={"New": {"Inner": ["string"], "Kind": EnumString(("X",))}},
            removed={"Old": "integer"},
            enum_added=("C",),
            enum_removed=("D",),
            required_added=("New",),
            required_removed=("Old",),
            type_change=("string", "integer"),
            nested={"Deep": DeltaTree(enum_added=("E",))},
        ),
    ]
    for record in records:
        copy = _round_trip(record)
        assert copy == record and type(copy) is type(record)


def test_a_whole_model_diff_survives_pickling(make_model: ModelFactory) -> None:
    after = SHAPES | {
        "Tag": {
            "type": "structure",
            "members": {"Key": {"shape": "Name"}, "Value": {"shape": "Name"}},
        }
    }
    model_diff = diff_models(make_model(SHAPES, OPERATIONS), make_model(after, OPERATIONS))
    assert model_diff.changes and model_diff.updated_operations
    assert _round_trip(model_diff.changes) == model_diff.changes
    assert _round_trip(model_diff.updated_operations) == model_diff.updated_operations
