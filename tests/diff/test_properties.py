"""Invariants of the diff, checked on generated models (see `strategies.py`).

Each property runs on botocore-like models with cycles (and, where cycles are the point,
on models that are mostly one ring of structures); the recursion tests build chains
and rings of thousands of shapes by hand. The tests at the end pin, each on its smallest
model, the bugs the properties found.
"""

from __future__ import annotations

import copy
import json
import random
import re
import signal
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from apidiff.diff import Change, ChangeKind, DeltaTree, ModelDiff, diff_models
from apidiff.diff.delta import DeltaBuilder, reshaped_shapes
from apidiff.diff.model_diff import find_changes
from apidiff.diff.projection import ReachFinder, reaches_of_change
from apidiff.diff.shapes import redefined_shapes
from apidiff.diff.skeleton import skeleton
from apidiff.model import Position, ServiceModel, edges_of
from apidiff.model.document import parse_model_document
from tests.diff.bundled import as_multisets
from tests.diff.strategies import (
    KEY_SHAPE,
    METADATA,
    Document,
    Mutation,
    build_model,
    cyclic_document_pairs,
    document_pairs,
    mutations,
    service_documents,
)

# No explain phase: it imports libcst and reruns every failing example line by line.
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    report_multiple_bugs=False,
)

_MIRROR = {
    ChangeKind.SHAPE_ADDED: ChangeKind.SHAPE_REMOVED,
    ChangeKind.MEMBER_ADDED: ChangeKind.MEMBER_REMOVED,
    ChangeKind.ENUM_VALUE_ADDED: ChangeKind.ENUM_VALUE_REMOVED,
    ChangeKind.MEMBER_REQUIRED_ADDED: ChangeKind.MEMBER_REQUIRED_REMOVED,
    ChangeKind.OPERATION_ADDED: ChangeKind.OPERATION_REMOVED,
    ChangeKind.OPERATION_ERROR_ADDED: ChangeKind.OPERATION_ERROR_REMOVED,
    ChangeKind.PAGINATOR_ADDED: ChangeKind.PAGINATOR_REMOVED,
    ChangeKind.WAITER_ADDED: ChangeKind.WAITER_REMOVED,
}
_MIRROR |= {removed: added for added, removed in _MIRROR.items()}
# What exists only in the old model is found there; everything else in the new one.
_OLD_SIDE = {ChangeKind.SHAPE_REMOVED, ChangeKind.MEMBER_REMOVED, ChangeKind.ENUM_VALUE_REMOVED}
# Changes that make an operation "updated" for a caller (issue 2, item 5).
_UPDATE_KINDS = {
    ChangeKind.MEMBER_ADDED,
    ChangeKind.MEMBER_REMOVED,
    ChangeKind.ENUM_VALUE_ADDED,
    ChangeKind.ENUM_VALUE_REMOVED,
    ChangeKind.MEMBER_REQUIRED_ADDED,
    ChangeKind.MEMBER_REQUIRED_REMOVED,
    ChangeKind.MEMBER_TYPE_CHANGED,
    ChangeKind.SHAPE_TYPE_CHANGED,
}
_SIDES = ((Position.REQUEST, "input"), (Position.RESPONSE, "output"))
_PATH_TOKEN = re.compile(r"\[\]|\{key\}|\{\}|[^.\[\]{}]+")


def _diff(old: Document, new: Document) -> ModelDiff:
    return diff_models(build_model(old), build_model(new))


def _changes(model_diff: ModelDiff) -> list[Change]:
    return [projected.change for projected in model_diff.changes]


# --- the generator itself -------------------------------------------------------------


@PROPERTY
@given(st.one_of(document_pairs(), cyclic_document_pairs()))
def test_generated_models_and_mutations_pass_the_loaders_validation(
    pair: tuple[Document, Mutation],
) -> None:
    document, mutation = pair
    for generated in (document, mutation.document):
        parse_model_document(json.dumps(generated).encode(), Path("generated.json"))


@PROPERTY
@given(st.data())
def test_a_mutation_never_modifies_the_model_it_starts_from(data: st.DataObject) -> None:
    document = data.draw(service_documents())
    pristine = copy.deepcopy(document)
    data.draw(mutations(document))
    assert document == pristine


# --- diff(a, a) ------------------------------------------------------------------------


@PROPERTY
@given(service_documents())
def test_a_model_diffed_with_itself_has_no_changes(document: Document) -> None:
    model = build_model(document)
    for other in (model, build_model(copy.deepcopy(document))):
        model_diff = diff_models(model, other)
        assert model_diff.changes == ()
        assert not model_diff
        assert model_diff.added_operations == ()
        assert model_diff.removed_operations == ()
        assert model_diff.updated_operations == ()


# --- every edit is found ---------------------------------------------------------------


@PROPERTY
@given(document_pairs())
def test_every_edit_of_a_mutation_is_found(pair: tuple[Document, Mutation]) -> None:
    document, mutation = pair
    model_diff = _diff(document, mutation.document)
    found = _changes(model_diff)
    missing = [expected for expected in mutation.expected if expected not in found]
    assert not missing, f"not found: {missing}\nfound: {found}"
    for expected in mutation.expected:
        if expected.kind is ChangeKind.OPERATION_ADDED:
            assert expected.operation in model_diff.added_operations
        if expected.kind is ChangeKind.OPERATION_REMOVED:
            assert expected.operation in model_diff.removed_operations


@PROPERTY
@given(document_pairs())
def test_each_change_is_reported_once(pair: tuple[Document, Mutation]) -> None:
    document, mutation = pair
    counts = Counter(repr(change) for change in _changes(_diff(document, mutation.document)))
    assert [change for change, count in counts.items() if count > 1] == []


# --- old -> new and new -> old are mirror images ---------------------------------------


def _mirrored(change: Change) -> Change:
    return replace(
        change, kind=_MIRROR.get(change.kind, change.kind), old=change.new, new=change.old
    )


def _swapped(tree: DeltaTree) -> DeltaTree:
    return DeltaTree(
        added=tree.removed,
        removed=tree.added,
        enum_added=tree.enum_removed,
        enum_removed=tree.enum_added,
        required_added=tree.required_removed,
        required_removed=tree.required_added,
        type_change=(tree.type_change[1], tree.type_change[0]) if tree.type_change else None,
        nested={name: _swapped(nested) for name, nested in tree.nested.items()},
    )


def _assert_mirror_images(forward: list[Change], backward: list[Change]) -> None:
    expected = Counter(repr(_mirrored(change)) for change in forward)
    actual = Counter(repr(change) for change in backward)
    assert expected - actual == Counter() and actual - expected == Counter(), (
        f"mirrored forward changes missing backward: {sorted((expected - actual).elements())}\n"
        f"backward changes with no forward mirror: {sorted((actual - expected).elements())}"
    )


@PROPERTY
@given(document_pairs(same_type_retargets=False))
def test_reverse_diff_mirrors_every_change(pair: tuple[Document, Mutation]) -> None:
    # Retargets between same-typed shapes are left out: what they find is reported on the
    # target's name, which differs by direction (test_bug_changes_found_through_a_retarget_
    # are_not_mirror_images). Retargets across types are in: they report MEMBER_TYPE_CHANGED.
    document, mutation = pair
    forward = _diff(document, mutation.document)
    backward = _diff(mutation.document, document)
    _assert_mirror_images(_changes(forward), _changes(backward))
    assert forward.added_operations == backward.removed_operations
    assert forward.removed_operations == backward.added_operations


@PROPERTY
@given(document_pairs())
def test_reverse_diff_updates_the_same_operations_with_swapped_deltas(
    pair: tuple[Document, Mutation],
) -> None:
    document, mutation = pair
    forward = _diff(document, mutation.document).updated_operations
    backward = _diff(mutation.document, document).updated_operations
    assert [delta.operation for delta in forward] == [delta.operation for delta in backward]
    for ahead, behind in zip(forward, backward, strict=True):
        assert behind.request == _swapped(ahead.request), ahead.operation
        assert behind.response == _swapped(ahead.response), ahead.operation


# --- determinism -----------------------------------------------------------------------


def _shuffled(document: Document, seed: int) -> Document:
    shuffled = copy.deepcopy(document)
    rng = random.Random(seed)
    for key in ("shapes", "operations"):
        items = list(shuffled[key].items())
        rng.shuffle(items)
        shuffled[key] = dict(items)
    return shuffled


def _outline(model_diff: ModelDiff) -> list[tuple[Change, list[tuple[str, Position, int]]]]:
    """The changes in order, each with where it reaches and how far down (not by which path).

    Among equally short paths the one reported may follow the order of shapes in the file;
    `test_bug_reach_path_among_equally_short_ones_follows_the_order_of_shapes` pins that.
    """
    return [
        (
            projected.change,
            [
                (reach.operation, reach.position, len(_PATH_TOKEN.findall(reach.path)))
                for reach in projected.reaches
            ],
        )
        for projected in model_diff.changes
    ]


@PROPERTY
@given(document_pairs(), st.integers(0, 2**32 - 1))
def test_diff_is_deterministic_and_ignores_the_order_of_shapes(
    pair: tuple[Document, Mutation], seed: int
) -> None:
    document, mutation = pair
    first = _diff(document, mutation.document)
    assert _diff(document, mutation.document) == first
    shuffled = _diff(_shuffled(document, seed), _shuffled(mutation.document, seed + 1))
    assert repr(_outline(shuffled)) == repr(_outline(first))
    assert shuffled.updated_operations == first.updated_operations


def _deltas(model_diff: ModelDiff) -> dict[str, tuple[DeltaTree, DeltaTree]]:
    return {
        delta.operation: (delta.request, delta.response) for delta in model_diff.updated_operations
    }


def _alone(document: Document, operation: str) -> Document:
    alone = copy.deepcopy(document)
    alone["operations"] = {operation: alone["operations"][operation]}
    return alone


def _deltas_in_order(
    old: ServiceModel, new: ServiceModel, operations: list[str]
) -> dict[str, tuple[DeltaTree, DeltaTree]]:
    """Each operation's request and response delta, walked in this order by one builder."""
    changed = {change.shape for change in find_changes(old, new) if change.shape is not None}
    builder = DeltaBuilder(old, new, changed)
    found = {}
    for name in operations:
        sides = [
            builder.delta(
                old.operations[name].get(side, {}).get("shape"),
                new.operations[name].get(side, {}).get("shape"),
            )
            for side in ("input", "output")
        ]
        found[name] = (sides[0], sides[1])
    return found


def _deltas_of_every_operation(
    old: ServiceModel, new: ServiceModel, changed: Iterable[str]
) -> dict[str, tuple[DeltaTree, DeltaTree]]:
    builder = DeltaBuilder(old, new, changed)
    return {
        name: (
            builder.delta(
                old.operations[name].get("input", {}).get("shape"),
                new.operations[name].get("input", {}).get("shape"),
            ),
            builder.delta(
                old.operations[name].get("output", {}).get("shape"),
                new.operations[name].get("output", {}).get("shape"),
            ),
        )
        for name in sorted(old.operations.keys() & new.operations.keys())
    }


def assert_reshaped_shapes_make_the_deltas_of_every_change(
    old: ServiceModel, new: ServiceModel
) -> None:
    """The deltas made knowing only the reshaped shapes changed are those made knowing every
    shape a change was found on (by name or behind a retarget)."""
    changed = {change.shape for change in find_changes(old, new) if change.shape is not None}
    reshaped = reshaped_shapes(old, new, redefined_shapes(old, new))
    assert _deltas_of_every_operation(old, new, reshaped) == _deltas_of_every_operation(
        old, new, changed
    )


@PROPERTY
@given(st.one_of(document_pairs(), cyclic_document_pairs()))
def test_only_reshaped_shapes_change_deltas(pair: tuple[Document, Mutation]) -> None:
    assert_reshaped_shapes_make_the_deltas_of_every_change(
        build_model(pair[0]), build_model(pair[1].document)
    )


@PROPERTY
@given(cyclic_document_pairs(), st.randoms())
def test_an_operations_delta_does_not_depend_on_the_other_operations(
    pair: tuple[Document, Mutation], rng: random.Random
) -> None:
    # Pair deltas are memoised across operations; inside a cycle, a tree kept from one
    # operation's walk must not show up, one cycle deeper, in another's.
    document, mutation = pair
    whole = _deltas(_diff(document, mutation.document))
    kept = sorted(document["operations"].keys() & mutation.document["operations"].keys())
    for operation in kept:
        alone = _deltas(_diff(_alone(document, operation), _alone(mutation.document, operation)))
        expected = {operation: whole[operation]} if operation in whole else {}
        assert alone == expected, operation
    old, new = build_model(document), build_model(mutation.document)
    shuffled = rng.sample(kept, len(kept))
    in_order = _deltas_in_order(old, new, shuffled)
    assert {name: sides for name, sides in in_order.items() if any(sides)} == whole


@PROPERTY
@given(document_pairs())
def test_diff_leaves_both_models_untouched(pair: tuple[Document, Mutation]) -> None:
    document, mutation = pair
    before, after = copy.deepcopy(document), copy.deepcopy(mutation.document)
    _diff(document, mutation.document)
    assert document == before
    assert mutation.document == after


@PROPERTY
@given(st.one_of(document_pairs(), cyclic_document_pairs()), st.booleans())
def test_the_referrers_mended_from_the_old_models_are_the_new_models_own(
    pair: tuple[Document, Mutation], reverse: bool
) -> None:
    old, new = build_model(pair[0]), build_model(pair[1].document)
    if reverse:
        old, new = new, old
    mended = build_model(new.document)
    mended.take_referrers_from(old, redefined_shapes(old, new))
    assert as_multisets(mended.referrers) == as_multisets(new.referrers)


@PROPERTY
@given(service_documents(), service_documents())
def test_the_referrers_mended_from_any_other_models_are_a_models_own(
    other: Document, document: Document
) -> None:
    model, mended = build_model(document), build_model(document)
    mended.take_referrers_from(build_model(other), redefined_shapes(build_model(other), model))
    assert as_multisets(mended.referrers) == as_multisets(model.referrers)


# --- projection ------------------------------------------------------------------------


def _reachable(model: ServiceModel, root: str) -> set[str]:
    seen, pending = {root}, [root]
    while pending:
        for edge in edges_of(model.shapes[pending.pop()]):
            if edge.target not in seen:
                seen.add(edge.target)
                pending.append(edge.target)
    return seen


def _roots(model: ServiceModel, operation: str) -> Iterator[tuple[Position, str]]:
    definition = model.operations[operation]
    for position, side in _SIDES:
        if side in definition:
            yield position, definition[side]["shape"]
    for error in definition.get("errors", ()):
        yield Position.ERROR, error["shape"]


def _walk(model: ServiceModel, start: str, path: str) -> list[tuple[str, str]]:
    """The (shape, label) steps of a member path from `start`; AssertionError if it breaks."""
    steps, current = [], start
    for token in _PATH_TOKEN.findall(path):
        shape = model.shapes[current]
        label = {"[]": "member", "{}": "value", "{key}": "key"}.get(token)
        if label is None:
            assert shape["type"] == "structure", f"{path!r}: {token} on {current} ({shape['type']})"
            assert token in shape["members"], f"{path!r}: {current} has no member {token}"
            target = shape["members"][token]["shape"]
        else:
            assert label in shape and "members" not in shape, (
                f"{path!r}: {token} on {current} ({shape['type']})"
            )
            target = shape[label]["shape"]
        steps.append((current, token))
        current = target
    steps.append((current, ""))
    return steps


def _located(change: Change, model: ServiceModel) -> bool:
    """Whether the changed shape (and member) exists in the model the change belongs to."""
    if change.shape is None or change.shape not in model.shapes:
        return False
    members = model.shapes[change.shape].get("members")
    return change.member is None or members is None or change.member in members


def _assert_path_reaches(change: Change, model: ServiceModel, start: str, path: str) -> None:
    steps = _walk(model, start, path)
    structure = "members" in model.shapes.get(change.shape or "", {})
    if change.member is not None and structure:
        # The path ends with the member: its owner is the step before.
        assert len(steps) >= 2, f"{change}: path {path!r} stops before the member"
        owner, label = steps[-2]
        assert (owner, label) == (change.shape, change.member), f"{change}: path {path!r}"
    else:
        assert steps[-1][0] == change.shape, f"{change}: path {path!r} ends at {steps[-1][0]}"


@PROPERTY
@given(document_pairs(max_operations=5))
def test_every_change_reaches_the_operations_that_reach_its_shape_by_a_path_that_resolves(
    pair: tuple[Document, Mutation],
) -> None:
    document, mutation = pair
    old, new = build_model(document), build_model(mutation.document)
    for projected in diff_models(old, new).changes:
        change = projected.change
        # A change behind a retarget is seen where the retargeted member is, not wherever its
        # shape's name is used: test_changes_found_through_a_retarget_reach_the_holders_operations.
        if change.shape is None or change.via:
            continue
        model = old if change.kind in _OLD_SIDE else new
        reached = {(reach.operation, reach.position): reach.path for reach in projected.reaches}
        for (operation, position), path in reached.items():
            starts = [root for where, root in _roots(model, operation) if where is position]
            assert starts, f"{change} reaches {operation} {position} which has no such shape"
            assert any(_resolves(change, model, start, path) for start in starts), (
                f"{change}: {operation} {position} path {path!r} does not resolve"
            )
        if not _located(change, model):
            continue
        for operation in model.operations:
            for position, root in _roots(model, operation):
                if change.shape in _reachable(model, root):
                    assert (operation, position) in reached, (
                        f"{change} misses {operation} {position}: {projected.reaches}"
                    )


def _resolves(change: Change, model: ServiceModel, start: str, path: str) -> bool:
    try:
        _assert_path_reaches(change, model, start, path)
    except AssertionError:
        return False
    return True


def _closure(model: ServiceModel, root: str) -> dict[str, Any]:
    return {name: model.shapes[name] for name in _reachable(model, root)}


@PROPERTY
@given(document_pairs(max_operations=5))
def test_no_change_reaches_a_request_or_response_that_is_the_same_in_both_models(
    pair: tuple[Document, Mutation],
) -> None:
    document, mutation = pair
    old, new = build_model(document), build_model(mutation.document)
    unchanged = set()
    for operation in old.operations.keys() & new.operations.keys():
        before, after = dict(_roots(old, operation)), dict(_roots(new, operation))
        for position in (Position.REQUEST, Position.RESPONSE):
            root = before.get(position)
            if root is None or root != after.get(position):
                continue
            if _closure(old, root) == _closure(new, root):
                unchanged.add((operation, position))
    for projected in diff_models(old, new).changes:
        for reach in projected.reaches:
            assert (reach.operation, reach.position) not in unchanged, (
                f"{projected.change} reaches {reach}, whose shapes are the same in both models"
            )


@PROPERTY
@given(document_pairs(max_operations=5))
def test_a_caller_visible_change_in_a_request_or_response_updates_the_operation(
    pair: tuple[Document, Mutation],
) -> None:
    document, mutation = pair
    model_diff = _diff(document, mutation.document)
    updated = {delta.operation: delta for delta in model_diff.updated_operations}
    kept = document["operations"].keys() & mutation.document["operations"].keys()
    for projected in model_diff.changes:
        if projected.change.kind not in _UPDATE_KINDS:
            continue
        for reach in projected.reaches:
            if reach.operation in kept and reach.position in (Position.REQUEST, Position.RESPONSE):
                delta = updated.get(reach.operation)
                assert delta is not None, f"{projected.change} via {reach} updates nothing"
                side = delta.request if reach.position is Position.REQUEST else delta.response
                assert side, f"{projected.change} via {reach}: empty {reach.position} delta"


# --- no recursion limit ----------------------------------------------------------------

_DEPTH = 3000


def _chain(
    length: int, *, ring: bool = False, leaf_members: Mapping[str, Any] | None = None
) -> Document:
    """`Link0 -> Link1 -> ... -> Link{length-1}` (-> Link0 when `ring`), used by one operation."""
    shapes: Document = {KEY_SHAPE: {"type": "string"}}
    for index in range(length):
        following = (index + 1) % length if ring else index + 1
        members: Document = {"Name": {"shape": KEY_SHAPE}}
        if following < length:
            members["Next"] = {"shape": f"Link{following}"}
        shapes[f"Link{index}"] = {"type": "structure", "members": members}
    shapes[f"Link{length - 1}"]["members"] |= dict(leaf_members or {})
    shapes["Request"] = {"type": "structure", "members": {"Head": {"shape": "Link0"}}}
    operations = {"Walk": {"name": "Walk", "http": {"method": "POST", "requestUri": "/"}}}
    operations["Walk"]["input"] = {"shape": "Request"}
    return {
        "version": "2.0",
        "metadata": dict(METADATA),
        "operations": operations,
        "shapes": shapes,
    }


@pytest.mark.parametrize("ring", [False, True], ids=["chain", "ring"])
def test_a_change_at_the_end_of_a_long_chain_is_diffed_without_recursion_error(
    ring: bool,
) -> None:
    before = _chain(_DEPTH, ring=ring)
    after = _chain(_DEPTH, ring=ring, leaf_members={"Extra": {"shape": KEY_SHAPE}})
    model_diff = _diff(before, after)
    (projected,) = model_diff.changes
    assert projected.change == Change(
        ChangeKind.MEMBER_ADDED, shape=f"Link{_DEPTH - 1}", member="Extra", new=KEY_SHAPE
    )
    (reach,) = projected.reaches
    assert reach.path == "Head." + "Next." * (_DEPTH - 1) + "Extra"
    assert [delta.operation for delta in model_diff.updated_operations] == ["Walk"]


@pytest.mark.parametrize("ring", [False, True], ids=["chain", "ring"])
def test_a_change_at_the_end_of_a_long_chain_is_found_and_projected_without_recursion_error(
    ring: bool,
) -> None:
    # The same as above without the deltas: detection and projection alone.
    old = build_model(_chain(_DEPTH, ring=ring))
    new = build_model(_chain(_DEPTH, ring=ring, leaf_members={"Extra": {"shape": KEY_SHAPE}}))
    (change,) = find_changes(old, new)
    (reach,) = reaches_of_change(change, ReachFinder(old), ReachFinder(new))
    assert reach.path == "Head." + "Next." * (_DEPTH - 1) + "Extra"


def test_a_new_member_typed_by_a_long_chain_is_drawn_without_recursion_error() -> None:
    before = _chain(_DEPTH)
    after = copy.deepcopy(before)
    after["shapes"]["Request"]["members"]["Tail"] = {"shape": "Link0"}
    model_diff = _diff(before, after)
    (delta,) = model_diff.updated_operations
    drawn = delta.request.added["Tail"]
    for _ in range(_DEPTH - 1):
        drawn = drawn["Next"]
    assert drawn == {"Name": "string"}


def test_a_new_operation_on_a_long_chain_is_drawn_without_recursion_error() -> None:
    before = _chain(_DEPTH)
    after = copy.deepcopy(before)
    after["operations"]["Walk"]["output"] = {"shape": "Request"}
    model_diff = _diff(before, after)
    (delta,) = model_diff.updated_operations
    assert set(delta.response.added) == {"Head"}


def test_the_skeleton_of_a_long_chain_is_drawn_without_recursion_error() -> None:
    drawn = skeleton(build_model(_chain(_DEPTH)), "Link0")
    depth = 1
    while "Next" in drawn:
        drawn, depth = drawn["Next"], depth + 1
    assert depth == _DEPTH


@settings(max_examples=20, deadline=None)
@given(document_pairs(recursive=True))
def test_models_with_cycles_through_lists_maps_and_themselves_are_diffed_both_ways(
    pair: tuple[Document, Mutation],
) -> None:
    document, mutation = pair
    for old, new in ((document, mutation.document), (mutation.document, document)):
        model_diff = _diff(old, new)
        assert isinstance(model_diff.updated_operations, tuple)
        assert not _diff(new, copy.deepcopy(new))


# --- the bugs the properties found, each on its smallest model ------------------------


def _model(shapes: Document, operations: Document | None = None) -> Document:
    return {
        "version": "2.0",
        "metadata": dict(METADATA),
        "operations": operations or {},
        "shapes": {KEY_SHAPE: {"type": "string"}} | shapes,
    }


def _operation(
    name: str, input_shape: str | None = None, output_shape: str | None = None
) -> Document:
    definition: Document = {"name": name, "http": {"method": "POST", "requestUri": "/"}}
    if input_shape:
        definition["input"] = {"shape": input_shape}
    if output_shape:
        definition["output"] = {"shape": output_shape}
    return definition


def test_a_new_required_member_and_its_removal_are_mirror_images() -> None:
    # A new required member is one MEMBER_ADDED (the classifier reads its required flag), so
    # its removal, one MEMBER_REMOVED, mirrors it; "became required" is for kept members.
    before = _model(
        {"Req": {"type": "structure", "members": {}}}, {"Put": _operation("Put", "Req")}
    )
    after = copy.deepcopy(before)
    after["shapes"]["Req"] = {
        "type": "structure",
        "members": {"Token": {"shape": KEY_SHAPE}},
        "required": ["Token"],
    }
    _assert_mirror_images(_changes(_diff(before, after)), _changes(_diff(after, before)))


def test_the_delta_of_a_new_required_member_is_mirrored_by_its_removal() -> None:
    # Required flags in a delta are of members on both sides, so adding a required member
    # and removing it give swapped deltas.
    before = _model(
        {"Req": {"type": "structure", "members": {}}}, {"Put": _operation("Put", "Req")}
    )
    after = copy.deepcopy(before)
    after["shapes"]["Req"] = {
        "type": "structure",
        "members": {"Token": {"shape": KEY_SHAPE}},
        "required": ["Token"],
    }
    (forward,) = _diff(before, after).updated_operations
    (backward,) = _diff(after, before).updated_operations
    assert backward.request == _swapped(forward.request)


def test_members_named_key_value_or_member_are_drawn_as_members_in_paths() -> None:
    # Structure members may be called `value`, `key` or `member` (rds-data SqlParameter.value,
    # glue Tag.key: 128 services of botocore 1.43); paths must not take them for containers.
    shapes = {
        "Req": {"type": "structure", "members": {"value": {"shape": "Inner"}}},
        "Inner": {"type": "structure", "members": {"A": {"shape": KEY_SHAPE}}},
    }
    before = _model(shapes, {"Put": _operation("Put", "Req")})
    after = copy.deepcopy(before)
    after["shapes"]["Inner"]["members"]["B"] = {"shape": KEY_SHAPE}
    after["shapes"]["Req"]["members"]["key"] = {"shape": KEY_SHAPE}
    paths = {
        (projected.change.shape, projected.change.member): [r.path for r in projected.reaches]
        for projected in _diff(before, after).changes
    }
    assert paths == {("Inner", "B"): ["value.B"], ("Req", "key"): ["key"]}


def _retarget_pair() -> tuple[Document, Document]:
    """`Holder.M` moves from `Old` to `Target`, a shape `GetTarget` has always returned."""
    shapes = {
        "Holder": {"type": "structure", "members": {"M": {"shape": "Old"}}},
        "Old": {"type": "structure", "members": {"X": {"shape": KEY_SHAPE}}},
        "Target": {"type": "structure", "members": {"Y": {"shape": KEY_SHAPE}}},
    }
    operations = {
        "GetHolder": _operation("GetHolder", None, "Holder"),
        "GetTarget": _operation("GetTarget", None, "Target"),
    }
    before = _model(shapes, operations)
    after = copy.deepcopy(before)
    after["shapes"]["Holder"]["members"]["M"] = {"shape": "Target"}
    return before, after


def test_changes_found_through_a_retarget_reach_the_holders_operations() -> None:
    # Old -> Target differences are reported on the name `Target` but seen through the
    # retargeted member Holder.M: they reach GetHolder, whose response lost M.X, and not
    # GetTarget, whose response is the same in both models.
    before, after = _retarget_pair()
    reached = {
        (reach.operation, projected.change.kind, projected.change.member)
        for projected in _diff(before, after).changes
        for reach in projected.reaches
    }
    assert {operation for operation, _kind, _member in reached} == {"GetHolder"}, sorted(reached)
    assert ("GetHolder", ChangeKind.MEMBER_REMOVED, "X") in reached, sorted(reached)


def test_an_enum_value_added_to_a_map_key_updates_the_operation() -> None:
    # 115 maps of botocore 1.43 have enum keys (sqs QueueAttributeMap -> QueueAttributeName):
    # a new key value changes what a caller sees, so the method is updated.
    shapes = {
        "Req": {"type": "structure", "members": {"Tags": {"shape": "TagMap"}}},
        "TagMap": {"type": "map", "key": {"shape": "TagKey"}, "value": {"shape": KEY_SHAPE}},
        "TagKey": {"type": "string", "enum": ["Owner"]},
    }
    before = _model(shapes, {"Put": _operation("Put", "Req")})
    after = copy.deepcopy(before)
    after["shapes"]["TagKey"]["enum"].append("Team")
    model_diff = _diff(before, after)
    (projected,) = model_diff.changes
    assert projected.reaches[0].path == "Tags{key}"
    assert [delta.operation for delta in model_diff.updated_operations] == ["Put"]


def test_reach_path_among_equally_short_ones_does_not_follow_the_order_of_shapes() -> None:
    # `Item` is reached by `A[]` and by `B{}`, equally short: the path reported must not
    # depend on the order of shapes in the file.
    shapes = {
        "Req": {
            "type": "structure",
            "members": {"A": {"shape": "Items"}, "B": {"shape": "ItemMap"}},
        },
        "Items": {"type": "list", "member": {"shape": "Item"}},
        "ItemMap": {"type": "map", "key": {"shape": KEY_SHAPE}, "value": {"shape": "Item"}},
        "Item": {"type": "structure", "members": {"X": {"shape": KEY_SHAPE}}},
    }
    before = _model(shapes, {"Put": _operation("Put", "Req")})
    after = copy.deepcopy(before)
    after["shapes"]["Item"]["members"]["Y"] = {"shape": KEY_SHAPE}
    reordered = [_reorder(document, ["ItemMap", "Items"]) for document in (before, after)]
    assert _diff(*reordered).changes == _diff(before, after).changes


def _reorder(document: Document, first: list[str]) -> Document:
    reordered = copy.deepcopy(document)
    shapes = reordered["shapes"]
    reordered["shapes"] = {name: shapes[name] for name in first} | {
        name: shape for name, shape in shapes.items() if name not in first
    }
    return reordered


def _dense_cycle(size: int, *, extra: bool = False) -> Document:
    """`size` structures, each with a member pointing at every one of them."""
    shapes: Document = {
        f"S{index}": {
            "type": "structure",
            "members": {f"To{target}": {"shape": f"S{target}"} for target in range(size)},
        }
        for index in range(size)
    }
    if extra:
        shapes["S0"]["members"]["Extra"] = {"shape": KEY_SHAPE}
    shapes["Req"] = {"type": "structure", "members": {"Root": {"shape": f"S{size - 1}"}}}
    return _model(shapes, {"Put": _operation("Put", "Req")})


class _TimeoutError(Exception):
    pass


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise _TimeoutError


def test_the_delta_of_a_densely_cyclic_model_is_quick() -> None:
    # Walking every simple path inside a strongly connected group of structures takes
    # factorial time (11 structures: minutes); each shape pair must be compared once.
    before, after = _dense_cycle(10), _dense_cycle(10, extra=True)
    previous = signal.signal(signal.SIGALRM, _interrupt)
    signal.alarm(3)
    try:
        model_diff = _diff(before, after)
    except _TimeoutError:
        pytest.fail("diffing 10 mutually recursive structures took more than 3 s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [delta.operation for delta in model_diff.updated_operations] == ["Put"]


def test_a_densely_cyclic_model_entered_at_every_structure_updates_every_operation() -> None:
    # Past the budget of a walk through a cyclic group, trees are kept per pair; they must
    # not leak from one operation's walk into another's, where a cycle cut elsewhere would
    # hide the change (this model once updated 3 of its 11 operations).
    size = 10
    before, after = _dense_cycle(size), _dense_cycle(size, extra=True)
    for document in (before, after):
        for index in range(size):
            document["shapes"][f"Req{index}"] = {
                "type": "structure",
                "members": {"Root": {"shape": f"S{index}"}},
            }
            document["operations"][f"Put{index}"] = _operation(
                f"Put{index}", f"S{index}", f"Req{index}"
            )
    previous = signal.signal(signal.SIGALRM, _interrupt)
    signal.alarm(3)
    try:
        model_diff = _diff(before, after)
    except _TimeoutError:
        pytest.fail("diffing 10 mutually recursive structures from 11 operations took over 3 s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    updated = {delta.operation: delta for delta in model_diff.updated_operations}
    assert list(updated) == ["Put", *(f"Put{index}" for index in range(size))]
    assert updated["Put0"].request.added == {"Extra": "string"}
