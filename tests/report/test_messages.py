"""A finding's message and advice in boto3's terms: the method and parameter a caller
writes, or the response path it reads, and advice for that side and perspective."""

from __future__ import annotations

import dataclasses

import pytest

from apidiff.classify import Perspective, Severity
from apidiff.diff import Change, ChangeKind, Reach
from apidiff.model import Position
from apidiff.report.callers import (
    path_steps,
    reach_expression,
    request_expression,
    response_expression,
)
from apidiff.report.check import Finding, evaluate_check
from tests.report.test_check import TODAY, record, report_of, service_report


def test_a_member_path_splits_into_members_list_items_and_map_values() -> None:
    assert path_steps("Forms[].FormTypeId") == ["Forms", "[]", "FormTypeId"]
    assert path_steps("Tags{}.Value") == ["Tags", "{}", "Value"]
    assert path_steps("Tags{key}") == ["Tags", "{key}"]
    assert path_steps("") == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("Forms[].FormTypeId", "client.put_asset(Forms=[{'FormTypeId': ...}])"),
        ("Name", "client.put_asset(Name=...)"),
        ("Tags{}", "client.put_asset(Tags={'...': ...})"),
        ("Tags{key}", "client.put_asset(Tags={...: ...})"),
        ("Forms[].Content.Items[]", "client.put_asset(Forms=[{'Content': {'Items': [...]}}])"),
        ("", "client.put_asset(...)"),
    ],
)
def test_a_request_path_is_the_call_that_passes_it(path: str, expected: str) -> None:
    assert request_expression("PutAsset", path) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("Forms[].FormTypeId", "client.get_asset(...)['Forms'][0]['FormTypeId']"),
        ("Tags{}", "client.get_asset(...)['Tags']['...']"),
        ("Tags{key}", "client.get_asset(...)['Tags'].keys()"),
        ("", "client.get_asset(...)"),
    ],
)
def test_a_response_path_is_the_subscripts_that_read_it(path: str, expected: str) -> None:
    assert response_expression("GetAsset", path) == expected


def test_an_error_path_is_read_from_the_exception_caught() -> None:
    reach = Reach("GetAsset", Position.ERROR, "Reason")
    assert reach_expression(reach, error="NotFound") == (
        "client.exceptions.NotFound e.response['Reason']"
    )


def test_method_names_are_botocores() -> None:
    reach = Reach("ListObjectsV2", Position.OPERATION)
    assert reach_expression(reach) == "client.list_objects_v2(...)"


def finding_of(
    change: Change,
    rule: str,
    *reaches: Reach,
    perspective: Perspective = Perspective.SDK,
    detail: str | None = None,
) -> Finding:
    found = dataclasses.replace(
        record(change, rule, position=reaches[0].position if reaches else Position.REQUEST),
        reaches=reaches,
        detail=detail,
    )
    result = evaluate_check(
        report_of(service_report("datazone", [found])),
        perspective=perspective,
        min_severity=Severity.INFO,
        today=TODAY,
    )
    (finding,) = result.findings
    return finding


FORM_TYPE_ID = Change(
    ChangeKind.MEMBER_REMOVED, shape="AssetFormInput", member="FormTypeId", old="String"
)


def test_a_removed_request_member_names_the_call_and_advises_on_passing_it() -> None:
    finding = finding_of(
        FORM_TYPE_ID,
        "member.removed",
        Reach("PutAsset", Position.REQUEST, "Forms[].FormTypeId"),
        detail="possibly renamed to FormTypeIdentifier",
    )
    assert finding.message == (
        "FormTypeId removed from client.put_asset(Forms=[{'FormTypeId': ...}]) "
        "(possibly renamed to FormTypeIdentifier)"
    )
    # The model's names stay, as the location.
    assert finding.location == "datazone: AssetFormInput.FormTypeId"
    assert finding.sides == {"request"}
    assert "ParamValidationError" in finding.advice
    assert "KeyError" not in finding.advice


def test_a_removed_response_member_names_the_response_path_and_advises_get() -> None:
    finding = finding_of(
        FORM_TYPE_ID, "member.removed", Reach("GetAsset", Position.RESPONSE, "Forms[].FormTypeId")
    )
    assert finding.message == (
        "FormTypeId removed from client.get_asset(...)['Forms'][0]['FormTypeId']"
    )
    assert finding.sides == {"response"}
    assert "KeyError" in finding.advice and ".get()" in finding.advice
    assert "ParamValidationError" not in finding.advice


def test_a_member_reached_from_both_sides_is_advised_for_each() -> None:
    finding = finding_of(
        FORM_TYPE_ID,
        "member.removed",
        Reach("GetAsset", Position.RESPONSE, "Forms[].FormTypeId"),
        Reach("PutAsset", Position.REQUEST, "Forms[].FormTypeId"),
    )
    # One place a caller writes on each side, the request first.
    assert finding.message == (
        "FormTypeId removed from client.put_asset(Forms=[{'FormTypeId': ...}]) and "
        "client.get_asset(...)['Forms'][0]['FormTypeId']"
    )
    assert finding.advice.startswith("In requests: Passing it raises ParamValidationError")
    assert "In responses: Reading it with response[...] raises KeyError" in finding.advice


def test_wire_findings_are_advised_about_the_bodies_peers_exchange() -> None:
    request = finding_of(
        FORM_TYPE_ID,
        "member.removed",
        Reach("PutAsset", Position.REQUEST, "Forms[].FormTypeId"),
        perspective=Perspective.WIRE,
    )
    response = finding_of(
        FORM_TYPE_ID,
        "member.removed",
        Reach("GetAsset", Position.RESPONSE, "Forms[].FormTypeId"),
        perspective=Perspective.WIRE,
    )
    assert "request body" in request.advice and "response body" in response.advice
    for advice in (request.advice, response.advice):
        assert "ParamValidationError" not in advice and "KeyError" not in advice


def test_a_stubber_finding_on_a_response_speaks_of_stubbed_responses() -> None:
    change = Change(ChangeKind.MEMBER_ADDED, shape="Asset", member="Owner", new="String")
    reach = Reach("GetAsset", Position.RESPONSE, "Owner")
    stubber = finding_of(change, "member.added.required", reach, perspective=Perspective.STUBBER)
    sdk = finding_of(change, "member.added.required", reach)
    assert "Stubber" in stubber.advice and "Stubber" not in sdk.advice
    assert stubber.message == "Owner added in client.get_asset(...)['Owner']"


def test_an_operation_output_change_is_advised_for_the_response_only() -> None:
    change = Change(
        ChangeKind.OPERATION_OUTPUT_CHANGED, operation="GetAsset", old=None, new="GetAssetOutput"
    )
    finding = finding_of(
        change, "operation.output.added.required", Reach("GetAsset", Position.OPERATION)
    )
    assert finding.sides == {"response"}
    assert finding.message == "client.get_asset(...) output shape nothing -> GetAssetOutput"


@pytest.mark.parametrize(
    ("change", "rule", "expected"),
    [
        (
            Change(ChangeKind.OPERATION_REMOVED, operation="PutAssetType"),
            "operation.removed",
            "client.put_asset_type(...) removed",
        ),
        (
            Change(ChangeKind.OPERATION_ERROR_ADDED, operation="Chat", aspect="Throttled"),
            "operation.error.added",
            "client.chat(...) may now raise client.exceptions.Throttled",
        ),
        (
            Change(ChangeKind.PAGINATOR_REMOVED, operation="ListAssets"),
            "paginator.removed",
            "client.get_paginator('list_assets') removed",
        ),
        (
            Change(ChangeKind.WAITER_CHANGED, aspect="AssetReady.delay", old=5, new=10),
            "waiter.changed",
            "client.get_waiter('asset_ready') delay 5 -> 10",
        ),
        (
            Change(ChangeKind.SERVICE_REMOVED, aspect="finspace", old="2021-03-12"),
            "service.removed",
            "boto3.client('finspace') removed (api version 2021-03-12)",
        ),
    ],
)
def test_methods_paginators_waiters_and_clients_are_named_as_called(
    change: Change, rule: str, expected: str
) -> None:
    reaches = (Reach(change.operation, Position.OPERATION),) if change.operation else ()
    assert finding_of(change, rule, *reaches).message == expected


def test_an_error_no_method_reaches_is_named_as_its_exception_class() -> None:
    change = Change(ChangeKind.SHAPE_REMOVED, shape="LegacyFault")
    finding = finding_of(change, "error.removed")
    assert finding.message == "client.exceptions.LegacyFault removed"
    assert finding.sides == {"response"}


def test_an_error_methods_raise_is_named_as_its_exception_class_too() -> None:
    change = Change(ChangeKind.SHAPE_REMOVED, shape="LegacyFault")
    finding = finding_of(change, "error.removed", Reach("GetAsset", Position.ERROR))
    assert finding.message == "client.exceptions.LegacyFault removed"


def test_an_error_losing_its_exception_trait_is_named_as_its_exception_class() -> None:
    change = Change(
        ChangeKind.SHAPE_TRAIT_CHANGED, shape="LegacyFault", aspect="exception", old=True
    )
    finding = finding_of(change, "error.exception.removed")
    assert finding.message == "client.exceptions.LegacyFault: exception True -> nothing"


def test_a_change_on_an_error_member_reads_it_from_the_exception() -> None:
    change = Change(ChangeKind.MEMBER_ADDED, shape="NotFound", member="Reason", new="String")
    finding = finding_of(change, "member.added", Reach("GetAsset", Position.ERROR, "Reason"))
    assert finding.message == "Reason added in client.exceptions.NotFound e.response['Reason']"


def test_a_wire_finding_names_the_operation_and_body_path_not_a_python_call() -> None:
    both = (
        Reach("GetAsset", Position.RESPONSE, "Forms[].FormTypeId"),
        Reach("PutAsset", Position.REQUEST, "Forms[].FormTypeId"),
    )
    finding = finding_of(FORM_TYPE_ID, "member.removed", *both, perspective=Perspective.WIRE)
    assert finding.message == (
        "FormTypeId removed from PutAsset request Forms[].FormTypeId and GetAsset response "
        "Forms[].FormTypeId"
    )
    error = Change(ChangeKind.OPERATION_ERROR_ADDED, operation="Chat", aspect="Throttled")
    reach = Reach("Chat", Position.OPERATION)
    added = finding_of(error, "operation.error.added", reach, perspective=Perspective.WIRE)
    assert added.message == "Chat may now raise error Throttled"
    removed = finding_of(
        Change(ChangeKind.SHAPE_REMOVED, shape="LegacyFault"),
        "error.removed",
        perspective=Perspective.WIRE,
    )
    assert removed.message == "error LegacyFault removed"
