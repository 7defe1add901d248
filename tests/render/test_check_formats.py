"""The machine-read formats of `apidiff check` stay well-formed whatever a model's names hold:
JUnit is XML 1.0, SARIF is valid against its schema, and both encode as UTF-8."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apidiff.classify import Severity
from apidiff.diff import Change, ChangeKind
from apidiff.render.check import check_markdown, render_check_junit, render_check_sarif
from apidiff.report.check import CheckResult, evaluate_check
from tests.conftest import FIXTURES
from tests.report.test_check import (
    TODAY,
    enum_value_added,
    record,
    report_of,
    service_report,
    synthetic_report,
)

SARIF_SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))
# Every character XML 1.0 forbids, and how the report writes it instead.
FORBIDDEN = (
    [chr(code) for code in range(0x20) if chr(code) not in "\t\n\r"]
    + ["\ufffe", "\uffff"]
    # A lone surrogate: what json.loads makes of "\ud800" in a model (orjson refuses it, and
    # the model loader falls back to json to explain the error).
    + ["\ud800", "\udfff"]
)
# RFC 3986's characters of a URI reference.
URI_REFERENCE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")


def result_with_names(name: str, service: str = "example") -> CheckResult:
    """A failing check whose service, shape, member and operation names all hold `name`."""
    removal = record(
        Change(ChangeKind.MEMBER_REMOVED, shape=f"Shape{name}", member=f"Member{name}"),
        "member.removed",
        service=service,
        operations=[f"Operation{name}"],
    )
    report = report_of(service_report(service, [removal, enum_value_added(service)]))
    return evaluate_check(
        report, fail_on=Severity.BREAKING, min_severity=Severity.INFO, today=TODAY
    )


def junit_of(result: CheckResult) -> ElementTree.Element:
    # Parsed from the bytes a file would hold: a lone surrogate cannot even be encoded.
    return ElementTree.fromstring(render_check_junit(result).encode("utf-8"))


@pytest.mark.parametrize("character", FORBIDDEN, ids=[f"U+{ord(c):04X}" for c in FORBIDDEN])
def test_junit_is_well_formed_xml_whatever_a_name_holds(character: str) -> None:
    root = junit_of(result_with_names(f"A{character}B", service=f"svc{character}"))
    notation = f"\\u{ord(character):04x}"
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("name") == f"svc{notation}"
    names = [case.get("name") for case in root.iter("testcase")]
    assert f"svc{notation}: ShapeA{notation}B.MemberA{notation}B" in names
    failure = root.find(".//failure")
    assert failure is not None
    assert f"MemberA{notation}B" in failure.get("message", "")
    assert all(character not in text for text in root.itertext())


def test_junit_keeps_the_characters_xml_allows() -> None:
    name = 'Tab\tLine\nAmp&<Quote"é\U0001f600'
    root = junit_of(result_with_names(name))
    names = [case.get("name") for case in root.iter("testcase")]
    assert f"example: Shape{name}.Member{name}" in names


def test_two_names_differing_in_a_forbidden_character_stay_distinct() -> None:
    first = junit_of(result_with_names("\x00"))
    second = junit_of(result_with_names("\x01"))
    assert [case.get("name") for case in first.iter("testcase")] != [
        case.get("name") for case in second.iter("testcase")
    ]


@pytest.mark.parametrize(
    "name",
    ["".join(FORBIDDEN), "with space", "percent%20", "é\U0001f600"],
    ids=["forbidden", "space", "percent", "non-ascii"],
)
def test_sarif_is_valid_and_encodable_whatever_a_name_holds(name: str) -> None:
    text = render_check_sarif(result_with_names(name, service=f"svc{name}"))
    document = json.loads(text.encode("utf-8"))
    validator = jsonschema.Draft7Validator(
        SARIF_SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    assert [error.message for error in validator.iter_errors(document)] == []
    results = document["runs"][0]["results"]
    for result in results:
        for location in result["locations"]:
            uri = location["physicalLocation"]["artifactLocation"]["uri"]
            assert URI_REFERENCE.fullmatch(uri), uri
    assert not any(character in text for character in FORBIDDEN)


def test_sarif_names_the_model_file_and_the_member_as_written() -> None:
    document = json.loads(render_check_sarif(result_with_names("\x00", service="my svc")))
    location = document["runs"][0]["results"][0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == (
        "botocore/data/my%20svc/2020-01-01/service-2.json"
    )
    assert location["logicalLocations"][-1] == {
        "name": "Member\\u0000",
        "fullyQualifiedName": "my svc.Shape\\u0000.Member\\u0000",
        "kind": "member",
    }


@given(
    findings_per_service=st.integers(0, 60),
    services=st.integers(1, 4),
    limit=st.integers(1_500, 20_000),
    min_severity=st.sampled_from(list(Severity)),
)
@settings(max_examples=60, deadline=None)
def test_markdown_within_any_limit_keeps_the_first_findings_and_counts_the_rest(
    findings_per_service: int, services: int, limit: int, min_severity: Severity
) -> None:
    result = evaluate_check(
        synthetic_report(findings_per_service, services), min_severity=min_severity, today=TODAY
    )
    markdown = check_markdown(result, limit=limit, rest="elsewhere")
    assert len(markdown) <= limit
    rows = [line for line in markdown.splitlines() if line.startswith("| service0")]
    expected = [f"| {finding.service} | {finding.where} |" for finding in result.findings]
    assert [row[: len(prefix)] for row, prefix in zip(rows, expected, strict=False)] == (
        expected[: len(rows)]
    )
    left_out = len(result.findings) - len(rows)
    closing = f"_and {left_out} more (see the full report: elsewhere)._"
    assert (closing in markdown) is (left_out > 0)
