"""Where a finding is written in its model file: the line and column SARIF points at, found in
the file's JSON text and checked against the text itself."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apidiff.classify import Severity
from apidiff.compare import CompareOptions, compare_sources
from apidiff.diff import Change, ChangeKind
from apidiff.report.check import evaluate_check
from apidiff.report.regions import (
    ModelFileKind,
    ModelText,
    Side,
    find_regions,
    model_place,
    source_reader,
)
from apidiff.sources import open_source
from tests.conftest import MODELS
from tests.report.test_check import TODAY, record, report_of, service_report

REAL_MODELS = sorted((MODELS / "botocore-1.20.74").glob("*/*/service-2.json.gz")) + sorted(
    (MODELS / "botocore-1.35.72").glob("*/*/service-2.json.gz")
)


def text_of(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8")


def at(text: str, line: int, column: int) -> str:
    """The text from a 1-based line and column to the end of that line."""
    return text.split("\n")[line - 1][column - 1 :]


@pytest.mark.parametrize("path", REAL_MODELS, ids=lambda path: path.parts[-3])
def test_every_operation_shape_and_member_of_a_real_model_is_found_at_its_key(
    path: Path,
) -> None:
    text = text_of(path)
    model = json.loads(text)
    found = ModelText(text)
    wanted = [("operations", name) for name in model["operations"]]
    for shape, body in model["shapes"].items():
        wanted.append(("shapes", shape))
        wanted += [("shapes", shape, "members", member) for member in body.get("members", {})]
        wanted += [("shapes", shape, key) for key in ("member", "key", "value") if key in body]
    assert len(wanted) > 50
    for key_path in wanted:
        region = found.find([key_path])
        assert region is not None, key_path
        assert at(text, region.line, region.column).startswith(json.dumps(key_path[-1]) + ":")


def test_a_key_is_found_only_at_its_own_depth() -> None:
    # "Name" is a member of Thing and a shape of its own, and every key below also appears
    # where it locates nothing: inside documentation, in an array, deeper in a member.
    text = """{
  "metadata": {"serviceId": "x"},
  "operations": {
    "Get": {"name": "Get", "documentation": "<p>\\"Name\\": {[ not a key ]}</p>"}
  },
  "shapes": {
    "Thing": {
      "type": "structure",
      "members": {
        "Other": {"shape": "Name", "documentation": "\\"Name\\":"},
        "Name": {"shape": "Name"}
      },
      "x": [{"Name": 1}]
    },
    "Name": {"type": "string"},
    "List": {"type": "list", "member": {"shape": "Name"}}
  }
}"""
    found = ModelText(text)
    assert found.find([("shapes", "Thing", "members", "Name")]) == found.find(
        [("shapes", "Thing", "members", "Name"), ("shapes", "Name")]
    )
    member = found.find([("shapes", "Thing", "members", "Name")])
    shape = found.find([("shapes", "Name")])
    assert member is not None and shape is not None
    assert (member.line, member.column) == (11, 9)
    assert (shape.line, shape.column) == (15, 5)
    assert found.find([("operations", "Name")]) is None
    container = found.find([("shapes", "List", "member")])
    assert container is not None and container.line == 16
    metadata = found.find([("metadata", "serviceId")])
    assert metadata is not None and (metadata.line, metadata.column) == (2, 16)


def test_a_model_on_one_line_is_located_by_column() -> None:
    text = '{"shapes":{"A":{"type":"structure","members":{"B":{"shape":"A"}}}}}'
    region = ModelText(text).find([("shapes", "A", "members", "B")])
    assert region is not None
    assert (region.line, text[region.column - 1 :].startswith('"B":')) == (1, True)


def test_an_escaped_key_is_found_by_its_name() -> None:
    text = '{\n"shapes": {\n  "Caf\\u00e9": {"type": "string"}\n}}'
    region = ModelText(text).find([("shapes", "Café")])
    assert region is not None and region.line == 3


@pytest.mark.parametrize("text", ["", "[1, 2]", "not json", '{"a" 1}', '{"shapes": ["A"]}'])
def test_text_that_is_not_a_model_locates_nothing_and_never_fails(text: str) -> None:
    assert ModelText(text).find([("shapes", "A")]) is None


def test_text_cut_short_keeps_the_keys_before_the_cut() -> None:
    found = ModelText('{"shapes": {"A": {"type": "str')
    assert found.find([("shapes", "A")]) is not None
    assert found.find([("shapes", "B")]) is None


def test_removals_are_read_in_the_old_model_and_companions_in_their_files() -> None:
    removed = model_place(Change(ChangeKind.MEMBER_REMOVED, shape="S", member="M"))
    added = model_place(Change(ChangeKind.MEMBER_ADDED, shape="S", member="M"))
    paginator = model_place(Change(ChangeKind.PAGINATOR_REMOVED, operation="ListThings"))
    waiter = model_place(Change(ChangeKind.WAITER_CHANGED, aspect="ThingReady"))
    assert (removed.side, removed.file) == (Side.OLD, ModelFileKind.SERVICE)
    assert (added.side, added.file) == (Side.NEW, ModelFileKind.SERVICE)
    assert (paginator.side, paginator.file) == (Side.OLD, ModelFileKind.PAGINATORS)
    assert (waiter.side, waiter.file) == (Side.NEW, ModelFileKind.WAITERS)


def test_findings_of_a_real_pair_point_at_their_lines_on_the_side_that_has_them() -> None:

    old = open_source("bundled:botocore-1.20.73")
    new = open_source("bundled:botocore-1.20.74")
    options = CompareOptions(services=("iotdeviceadvisor",), with_docs=False)
    report = compare_sources(old, new, options)
    result = evaluate_check(report, min_severity=Severity.INFO, today=TODAY)
    regions = find_regions(result.findings, source_reader(old, new))
    texts = {
        side: text_of(next((MODELS / folder / "iotdeviceadvisor").glob("*/service-2.json.gz")))
        for side, folder in ((Side.OLD, "botocore-1.20.73"), (Side.NEW, "botocore-1.20.74"))
    }
    checked = 0
    for finding in result.findings:
        change = finding.record.change
        region = regions.get((finding.service, finding.record.fingerprint))
        if change.kind is ChangeKind.SERVICE_DOCS_CHANGED:
            assert region is None
            continue
        assert region is not None, finding.location
        line = at(texts[model_place(change).side], region.line, region.column)
        name = change.member or change.shape or change.operation
        assert line.startswith(f'"{name}":'), (finding.location, line)
        checked += 1
    assert checked > 50
    removed = next(f for f in result.findings if f.rule.id == "operation.removed")
    region = regions[(removed.service, removed.record.fingerprint)]
    assert at(texts[Side.OLD], region.line, region.column).startswith('"ListTestCases":')
    assert '"ListTestCases":' not in texts[Side.NEW]


def test_a_service_a_source_lacks_has_no_region() -> None:
    change = Change(ChangeKind.SHAPE_ADDED, shape="Thing")
    finding_report = report_of(service_report("nowhere", [record(change, "shape.added")]))

    result = evaluate_check(finding_report, min_severity=Severity.INFO, today=TODAY)
    source = open_source("bundled:botocore-1.20.74")
    assert find_regions(result.findings, source_reader(source, source)) == {}


NAMES = st.text(min_size=1, max_size=8)


@st.composite
def models_as_text(draw: st.DrawFn) -> tuple[dict[str, Any], str, bool]:
    """A model of structures whose names may hold quotes, backslashes, braces and any
    character, written out with one of the layouts JSON allows."""
    shapes = draw(
        st.dictionaries(
            NAMES,
            st.builds(
                lambda members, docs: {
                    "type": "structure",
                    "members": members,
                    "documentation": docs,
                },
                st.dictionaries(
                    NAMES, st.fixed_dictionaries({"shape": NAMES, "documentation": NAMES})
                ),
                NAMES,
            ),
            min_size=1,
            max_size=6,
        )
    )
    model = {"metadata": {"serviceId": draw(NAMES)}, "shapes": shapes}
    ascii_only = draw(st.booleans())
    indent = draw(st.sampled_from([None, 0, 1, 4, "\t"]))
    separators = draw(st.sampled_from([(",", ":"), (", ", ": "), (",", " : ")]))
    text = json.dumps(model, indent=indent, separators=separators, ensure_ascii=ascii_only)
    return model, text, ascii_only


@given(models_as_text())
@settings(max_examples=200, deadline=None)
def test_every_shape_and_member_is_found_whatever_the_names_and_layout(
    drawn: tuple[dict[str, Any], str, bool],
) -> None:
    model, text, ascii_only = drawn
    found = ModelText(text)
    for shape, body in model["shapes"].items():
        for key_path in [("shapes", shape)] + [
            ("shapes", shape, "members", member) for member in body["members"]
        ]:
            region = found.find([key_path])
            assert region is not None, key_path
            written = json.dumps(key_path[-1], ensure_ascii=ascii_only)
            assert at(text, region.line, region.column).startswith(written), key_path
