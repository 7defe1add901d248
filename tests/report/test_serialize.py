"""The Report as JSON: written a service at a time, exactly as written whole, and read back."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from dataclasses import MISSING, fields, is_dataclass, replace
from typing import Any

import pytest

from apidiff.compare import CompareOptions, compare_sources
from apidiff.diff import ChangeKind, DeltaTree, EnumString
from apidiff.errors import ReportLoadError
from apidiff.report import Report
from apidiff.report.method_docs import MemberDoc
from apidiff.report.report import ChangeRecord
from apidiff.report.serialize import (
    _PLAIN,
    _plain,
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


def test_it_is_indented_as_the_standard_library_indents_it(report: Report) -> None:
    # Two spaces a level, ", " and ": " between items, UTF-8 as it is, a line break at the end.
    text = "".join(report_json_chunks(report))
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_a_report_without_services_is_written_the_same_way(report: Report) -> None:
    empty = replace(report, services=())
    assert "".join(report_json_chunks(empty)) == json_text(report_to_json(empty))


@pytest.mark.parametrize("services", ["all", "none"])
def test_written_compact_it_is_the_same_json_on_one_line(report: Report, services: str) -> None:
    chosen = report if services == "all" else replace(report, services=())
    compact = "".join(report_json_chunks(chosen, compact=True))
    assert compact.endswith("\n") and compact.count("\n") == 1
    assert json.loads(compact) == json.loads(json_text(report_to_json(chosen)))
    assert len(compact) < len(json_text(report_to_json(chosen))) * 0.8


def test_it_reads_back_to_the_same_report(report: Report) -> None:
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


_WRITTEN_BY_FIELD = [kind for kind in _PLAIN if is_dataclass(kind) and kind is not EnumString]
# Written without the fields that hold their default, as every other object is written whole.
_LEAVING_OUT_DEFAULTS = {ChangeRecord, DeltaTree, MemberDoc}


@pytest.mark.parametrize("kind", _WRITTEN_BY_FIELD, ids=lambda kind: kind.__name__)
def test_every_field_is_written_by_its_name_in_its_order(kind: type[Any]) -> None:
    # Each object is written field by field: a field added to its class must be written too.
    held = {field.name: f"the {field.name}" for field in fields(kind)}
    assert list(_plain(kind(**held))) == list(held)


@pytest.mark.parametrize("kind", _WRITTEN_BY_FIELD, ids=lambda kind: kind.__name__)
def test_only_records_delta_trees_and_member_docs_leave_out_their_defaults(
    kind: type[Any],
) -> None:
    required = {
        field.name: f"the {field.name}"
        for field in fields(kind)
        if field.default is MISSING and field.default_factory is MISSING
    }
    written = _plain(kind(**required))
    if kind in _LEAVING_OUT_DEFAULTS:
        assert written == required
    else:
        assert list(written) == [field.name for field in fields(kind)]


def test_writing_a_report_does_not_import_cattrs(report: Report) -> None:
    # Only reading a report back needs cattrs (and attrs): 70 ms of every JSON output.
    code = (
        "import pickle, sys\n"
        "from apidiff.report.serialize import report_json_chunks\n"
        "report = pickle.load(sys.stdin.buffer)\n"
        "''.join(report_json_chunks(report))\n"
        "''.join(report_json_chunks(report, compact=True))\n"
        "imported = {name.partition('.')[0] for name in sys.modules}\n"
        "print(sorted(imported & {'cattrs', 'attrs', 'attr'}))\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", code],
        input=pickle.dumps(report),
        capture_output=True,
        check=True,
    )
    assert finished.stdout.decode().strip() == "[]"
