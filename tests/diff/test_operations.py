"""Operation-, service- and companion-file detectors."""

from __future__ import annotations

from typing import Any

from apidiff.diff import Change, ChangeKind
from apidiff.diff.model_diff import diff_models, find_changes
from tests.conftest import ModelFactory, operation

SHAPES: dict[str, Any] = {
    "In": {"type": "structure", "members": {}},
    "In2": {"type": "structure", "members": {}},
    "Out": {"type": "structure", "members": {}},
    "Boom": {"type": "structure", "members": {}, "exception": True},
    "Bang": {"type": "structure", "members": {}, "exception": True},
}


def _operation_changes(make_model: ModelFactory, before: Any, after: Any) -> list[Change]:
    return find_changes(make_model(SHAPES, before), make_model(SHAPES, after))


def test_operations_added_and_removed(make_model: ModelFactory) -> None:
    changes = _operation_changes(
        make_model, {"Old": operation("Old", "In")}, {"New": operation("New", "In")}
    )
    assert changes == [
        Change(ChangeKind.OPERATION_ADDED, operation="New"),
        Change(ChangeKind.OPERATION_REMOVED, operation="Old"),
    ]


def test_input_output_errors_http_traits_and_docs(make_model: ModelFactory) -> None:
    before = operation("Run", "In", "Out") | {"errors": [{"shape": "Boom"}], "documentation": "a"}
    after = operation("Run", "In2") | {
        "errors": [{"shape": "Bang"}],
        "documentation": "b",
        "deprecated": True,
        "http": {"method": "PUT", "requestUri": "/run"},
    }
    changes = _operation_changes(make_model, {"Run": before}, {"Run": after})
    assert [(c.kind, c.aspect, c.old, c.new) for c in changes] == [
        (ChangeKind.OPERATION_DOCS_CHANGED, None, "a", "b"),
        (ChangeKind.OPERATION_ERROR_ADDED, "Bang", None, None),
        (ChangeKind.OPERATION_ERROR_REMOVED, "Boom", None, None),
        (ChangeKind.OPERATION_HTTP_CHANGED, "method", "POST", "PUT"),
        (ChangeKind.OPERATION_HTTP_CHANGED, "requestUri", "/", "/run"),
        (ChangeKind.OPERATION_INPUT_CHANGED, None, "In", "In2"),
        (ChangeKind.OPERATION_OUTPUT_CHANGED, None, "Out", None),
        (ChangeKind.OPERATION_TRAIT_CHANGED, "deprecated", None, True),
    ]


def test_metadata_and_service_documentation(make_model: ModelFactory) -> None:
    before = make_model(SHAPES)
    after_metadata = dict(before.metadata) | {"protocol": "rest-json", "signingName": "ex"}
    after = make_model(SHAPES, metadata=after_metadata)
    after.document["documentation"] = "<p>now documented</p>"  # type: ignore[index]
    changes = find_changes(before, after)
    assert [(c.kind, c.aspect, c.old, c.new) for c in changes] == [
        (ChangeKind.METADATA_CHANGED, "protocol", "json", "rest-json"),
        (ChangeKind.METADATA_CHANGED, "signingName", None, "ex"),
        (ChangeKind.SERVICE_DOCS_CHANGED, None, None, "<p>now documented</p>"),
    ]


def test_paginators_added_removed_and_changed(make_model: ModelFactory) -> None:
    before = {"pagination": {"ListA": {"input_token": "NextToken", "result_key": "A"}, "ListB": {}}}
    after = {"pagination": {"ListA": {"input_token": "Marker", "result_key": "A"}, "ListC": {}}}
    changes = find_changes(
        make_model(SHAPES, paginators=before), make_model(SHAPES, paginators=after)
    )
    assert [(c.kind, c.operation, c.aspect) for c in changes] == [
        (ChangeKind.PAGINATOR_CHANGED, "ListA", "input_token"),
        (ChangeKind.PAGINATOR_REMOVED, "ListB", None),
        (ChangeKind.PAGINATOR_ADDED, "ListC", None),
    ]


def test_waiters_added_removed_and_changed(make_model: ModelFactory) -> None:
    ready = {"operation": "Describe", "delay": 5, "maxAttempts": 10, "acceptors": []}
    before = {"version": 2, "waiters": {"Ready": ready, "Gone": ready}}
    after = {"version": 2, "waiters": {"Ready": ready | {"delay": 15}, "Fresh": ready}}
    changes = find_changes(make_model(SHAPES, waiters=before), make_model(SHAPES, waiters=after))
    assert sorted(changes, key=lambda c: c.kind) == [
        Change(ChangeKind.WAITER_ADDED, operation="Describe", aspect="Fresh", new=ready),
        Change(
            ChangeKind.WAITER_CHANGED, operation="Describe", aspect="Ready.delay", old=5, new=15
        ),
        Change(ChangeKind.WAITER_REMOVED, operation="Describe", aspect="Gone", old=ready),
    ]


def test_a_waiter_acceptor_inserted_is_one_change_of_its_acceptors(
    make_model: ModelFactory,
) -> None:
    acceptors = [
        {"state": "success", "matcher": "path", "argument": "Status", "expected": "READY"},
        {"state": "failure", "matcher": "error", "expected": "Gone"},
    ]
    ready = {"operation": "Describe", "delay": 5, "maxAttempts": 10, "acceptors": acceptors}
    inserted = [{"state": "retry", "matcher": "error", "expected": "Busy"}, *acceptors]
    changes = find_changes(
        make_model(SHAPES, waiters={"version": 2, "waiters": {"Ready": ready}}),
        make_model(
            SHAPES, waiters={"version": 2, "waiters": {"Ready": ready | {"acceptors": inserted}}}
        ),
    )
    assert [(c.aspect, c.old, c.new) for c in changes] == [("Ready.acceptors", acceptors, inserted)]


def test_a_removed_service_is_one_change_and_still_lists_its_methods(
    make_model: ModelFactory,
) -> None:
    # A release without the service: the stand-in is an empty model (no operations, no shapes).
    old = make_model(SHAPES, {"Run": operation("Run", "In", "Out"), "Stop": operation("Stop")})
    gone = make_model({}, {})

    diff = diff_models(old, gone)

    assert [projected.change for projected in diff.changes] == [
        Change(ChangeKind.SERVICE_REMOVED, aspect=old.name, old=old.api_version)
    ]
    assert diff.removed_operations == ("Run", "Stop")


def test_an_added_service_keeps_its_new_methods(make_model: ModelFactory) -> None:
    new = make_model(SHAPES, {"Run": operation("Run", "In", "Out")})

    changes = find_changes(make_model({}, {}), new)

    assert changes[0] == Change(ChangeKind.SERVICE_ADDED, aspect=new.name, new=new.api_version)
    assert Change(ChangeKind.OPERATION_ADDED, operation="Run") in changes
