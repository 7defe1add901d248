"""The Report as JSON: written a service at a time, exactly as written whole, and read back."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from apidiff.compare import CompareOptions, compare_sources
from apidiff.diff import ChangeKind, EnumString
from apidiff.errors import ReportLoadError
from apidiff.report import Report
from apidiff.report.serialize import (
    json_text,
    report_from_json,
    report_json_chunks,
    report_schema,
    report_to_json,
)
from apidiff.sources import open_source


@pytest.fixture(scope="module")
def report() -> Report:
    # A new service (invoicing) and a changed one (qbusiness), with their documentation.
    return compare_sources(
        open_source("bundled:botocore-1.35.71"),
        open_source("bundled:botocore-1.35.72"),
        # Bundled models hold some services: only so is invoicing compared (as new).
        CompareOptions(all_services=True),
    )


def test_written_in_pieces_it_is_the_json_written_whole(report: Report) -> None:
    assert len(report.services) >= 2
    assert "".join(report_json_chunks(report)) == json_text(report_to_json(report))


def test_a_report_without_services_is_written_the_same_way(report: Report) -> None:
    empty = replace(report, services=())
    assert "".join(report_json_chunks(empty)) == json_text(report_to_json(empty))


@pytest.mark.parametrize("services", ["all", "none"])
def test_written_compact_it_is_the_same_json_on_one_line(report: Report, services: str) -> None:
    import json

    chosen = report if services == "all" else replace(report, services=())
    compact = "".join(report_json_chunks(chosen, compact=True))
    assert compact.endswith("\n") and compact.count("\n") == 1
    assert json.loads(compact) == json.loads(json_text(report_to_json(chosen)))
    assert len(compact) < len(json_text(report_to_json(chosen))) * 0.8


def test_it_reads_back_to_the_same_report(report: Report) -> None:
    import json

    document = json.loads("".join(report_json_chunks(report)))
    assert report_from_json(document, "test") == report


def test_enum_values_of_new_members_are_written_tagged_and_read_back(report: Report) -> None:
    # qbusiness CreateDataSource gains a structure whose one leaf is an enum-typed string.
    (qbusiness,) = [service for service in report.services if service.service == "qbusiness"]
    (create,) = [op for op in qbusiness.updated_operations if op.name == "CreateDataSource"]
    drawn = create.request.added["mediaExtractionConfiguration"]
    assert drawn == {
        "imageExtractionConfiguration": {
            "imageExtractionStatus": EnumString(("ENABLED", "DISABLED")),
        }
    }
    document = report_to_json(report)
    (written,) = [
        op
        for service in document["services"]
        if service["service"] == "qbusiness"
        for op in service["updated_operations"]
        if op["name"] == "CreateDataSource"
    ]
    assert written["request"]["added"]["mediaExtractionConfiguration"] == {
        "imageExtractionConfiguration": {
            "imageExtractionStatus": {"$enum": ["ENABLED", "DISABLED"]}
        }
    }
    assert report_from_json(document, "test") == report


def test_a_structure_member_cannot_pass_for_an_enum_in_the_schema(report: Report) -> None:
    document = report_to_json(report)
    (qbusiness,) = [
        service for service in document["services"] if service["service"] == "qbusiness"
    ]
    operation = qbusiness["updated_operations"][0]
    operation["request"]["added"] = {"Mixed": {"$enum": ["A"], "Other": "string"}}
    with pytest.raises(ReportLoadError, match="added"):
        report_from_json(document, "test")


def test_services_left_out_and_partial_sources_are_written_and_read_back() -> None:
    import json

    from apidiff.report.serialize import report_schema

    # Compared as partial sources, invoicing (only in 1.35.72) is left out.
    partial = compare_sources(
        open_source("bundled:botocore-1.35.71"),
        open_source("bundled:botocore-1.35.72"),
        CompareOptions(with_docs=False),
    )
    assert [(group.side, group.services) for group in partial.left_out] == [("new", ("invoicing",))]
    document = json.loads("".join(report_json_chunks(partial)))
    assert document["left_out"] == [
        {
            "side": "new",
            "services": ["invoicing"],
            "reason": "bundled:botocore-1.35.71 holds only some services",
        }
    ]
    assert (document["old"]["partial"], document["new"]["partial"]) == (True, True)
    assert report_from_json(document, "test") == partial
    assert report_schema()["properties"]["left_out"]


def test_a_report_saved_before_left_out_was_recorded_still_loads(report: Report) -> None:
    document = report_to_json(report)
    del document["left_out"]
    for side in ("old", "new"):
        del document[side]["partial"]
    loaded = report_from_json(document, "test")
    assert loaded.left_out == ()
    assert not loaded.old.partial


def _damage(document: dict[str, Any], how: str) -> None:
    qbusiness = next(s for s in document["services"] if s["service"] == "qbusiness")
    if how == "a key missing":
        del document["old"]
    elif how == "a number for a name":
        qbusiness["service"] = 7
    elif how == "a severity unknown":
        qbusiness["changes"][0]["severity"] = "catastrophic"
    elif how == "a key unknown":
        qbusiness["updated_operations"][0]["surprise"] = True
    elif how == "a list for a delta":
        qbusiness["updated_operations"][0]["request"]["added"] = []


@pytest.mark.parametrize(
    "how",
    [
        "a key missing",
        "a number for a name",
        "a severity unknown",
        "a key unknown",
        "a list for a delta",
    ],
)
def test_both_validators_refuse_a_damaged_report(report: Report, how: str) -> None:
    # Loading asks the fast validator whether a report is valid and the other one why not:
    # they must agree, or a damaged report would load.
    import jsonschema
    import jsonschema_rs

    document = report_to_json(report)
    _damage(document, how)
    schema = report_schema()
    assert not jsonschema_rs.Draft202012Validator(schema).is_valid(document)
    assert not jsonschema.Draft202012Validator(schema).is_valid(document)
    with pytest.raises(ReportLoadError, match="not an apidiff report: at "):
        report_from_json(document, "test")


def test_the_schema_allows_every_change_kind_and_no_other() -> None:
    allowed = report_schema()["$defs"]["change"]["properties"]["kind"]["enum"]
    assert sorted(allowed) == sorted(kind.value for kind in ChangeKind)
