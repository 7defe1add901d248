"""Each method's changes as the reference pages show them: which sides, and the pprint dicts."""

from __future__ import annotations

import pprint

import pytest

from apidiff.compare import CompareOptions, compare_sources
from apidiff.diff import DeltaTree
from apidiff.render.deltas import DeltaSection, method_changes, pretty
from apidiff.render.notes import method_blocks
from apidiff.report import ServiceReport
from apidiff.sources import open_source

NAME = DeltaTree(added={"Name": "string"})


@pytest.fixture(scope="module")
def route53() -> ServiceReport:
    report = compare_sources(
        open_source("bundled:botocore-1.44.7"),
        open_source("bundled:botocore-1.44.8"),
        CompareOptions(services=("route53",)),
    )
    (service,) = report.services
    return service


def changes_of(service: ServiceReport, operation: str) -> str | None:
    (block,) = [block for block in method_blocks(service) if block.operation.name == operation]
    assert block.changes is not None
    return block.changes.where


def test_real_methods_changed_on_one_side_or_on_both(route53: ServiceReport) -> None:
    assert changes_of(route53, "ChangeResourceRecordSets") == "request"
    assert changes_of(route53, "GetHostedZone") == "response"
    assert changes_of(route53, "CreateHostedZone") == "request, response"


def test_new_methods_come_first_then_updated_then_removed(route53: ServiceReport) -> None:
    statuses = [block.status for block in method_blocks(route53)]
    assert statuses == sorted(statuses, key=["new", "updated", "removed"].index)
    assert statuses.count("new") == 4


def test_a_side_alone_is_shown_without_a_heading() -> None:
    changes = method_changes(NAME, DeltaTree())
    assert changes.where == "request"
    assert changes.sections == (DeltaSection(None, ("{'Name': 'string'}",)),)


def test_the_same_change_on_both_sides_is_shown_once() -> None:
    changes = method_changes(NAME, NAME)
    assert changes.where == "both"
    assert changes.sections == (DeltaSection(None, ("{'Name': 'string'}",)),)


def test_different_changes_on_the_two_sides_each_get_their_heading() -> None:
    changes = method_changes(NAME, DeltaTree(enum_added=("FAILED",)))
    assert changes.where == "request, response"
    assert changes.sections == (
        DeltaSection("Request", ("{'Name': 'string'}",)),
        DeltaSection("Response", ("{'FAILED'}",)),
    )


def test_removals_types_and_required_flags_are_shown_beneath() -> None:
    request = DeltaTree(
        removed={"Old": "string"},
        required_added=("Name",),
        nested={"Size": DeltaTree(type_change=("string", "integer"))},
    )
    changes = method_changes(request, DeltaTree())
    assert changes.where == "request"
    assert changes.sections == (DeltaSection("Removed from the request", ("{'Old': 'string'}",)),)
    assert changes.marks == (
        "Now required in the request: Name",
        "Type changed in the request: Size: string -> integer",
    )


def test_nothing_a_caller_sees_gives_no_changes_line() -> None:
    assert method_changes(DeltaTree(), DeltaTree()).where is None


def test_long_deltas_wrap_as_pprint_wraps_them() -> None:
    members = {f"Member{number:02}": "string" for number in range(12)}
    lines = pretty(members)
    assert lines == pprint.pformat(members).splitlines()
    assert len(lines) == 12
    assert max(len(line) for line in lines) <= 80


def test_enum_value_sets_print_as_sets_sorted() -> None:
    assert pretty({"Status": frozenset({"B", "A"})}) == ["{'Status': {'A', 'B'}}"]


def test_enum_typed_members_of_new_structures_show_their_values(route53: ServiceReport) -> None:
    (block,) = [
        block for block in method_blocks(route53) if block.title == "GetHostedZone (updated)"
    ]
    assert block.changes is not None
    text = "\n".join(line for section in block.changes.sections for line in section.lines)
    assert "'HostedZoneTier': 'STANDARD | ADVANCED'" in text
    # Too long for one line, the values are split as pprint splits a long string.
    assert "'NS_FORMAT_CHECK | '" in text
