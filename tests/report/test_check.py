"""evaluate_check: a Report's changes from one perspective, with the team's policy applied."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import pytest

from apidiff.classify import RULES_BY_ID, Perspective, Severity, fingerprint
from apidiff.classify.policy import IgnoreEntry, Policy
from apidiff.compare import CompareOptions, compare_sources
from apidiff.diff import Change, ChangeKind, Reach
from apidiff.model import Position
from apidiff.report.check import evaluate_check
from apidiff.report.report import ChangeRecord, Report, ServiceReport
from apidiff.sources import open_source
from apidiff.sources.base import Provenance

OLD = Provenance(spec="old", location="old", package="botocore", version="1.0.0")
NEW = Provenance(spec="new", location="new", package="botocore", version="1.0.1")
TODAY = dt.date(2025, 6, 1)


def record(
    change: Change,
    rule: str,
    *,
    service: str = "example",
    operations: Iterable[str] = ("DoThing",),
    position: Position = Position.REQUEST,
    severity: Mapping[Perspective, Severity] | None = None,
) -> ChangeRecord:
    """A change classified as the classifier would: each perspective's severity is the rule's
    verdict at `position` (request, else response) unless `severity` is given."""
    verdicts = RULES_BY_ID[rule].verdicts
    side = "request" if position is Position.REQUEST else "response"
    return ChangeRecord(
        change=change,
        reaches=tuple(Reach(operation, position, change.member or "") for operation in operations),
        rule=rule,
        severity=severity
        or {perspective: getattr(verdicts[perspective], side) for perspective in Perspective},
        fingerprint=fingerprint(rule, service, change),
    )


def service_report(service: str, records: Iterable[ChangeRecord]) -> ServiceReport:
    return ServiceReport(
        service=service,
        full_name=f"Amazon {service.title()}",
        old_api_version="2020-01-01",
        new_api_version="2020-01-01",
        date=None,
        changelog=None,
        new_operations=(),
        removed_operations=(),
        updated_operations=(),
        changes=tuple(records),
    )


def report_of(*services: ServiceReport) -> Report:
    return Report(tool_version="test", old=OLD, new=NEW, services=services)


def operation_removed(service: str = "example") -> ChangeRecord:
    return record(
        Change(ChangeKind.OPERATION_REMOVED, operation="DeleteThing"),
        "operation.removed",
        service=service,
        operations=["DeleteThing"],
        position=Position.OPERATION,
    )


def enum_value_added(service: str = "example") -> ChangeRecord:
    """Info for the sdk in a response (boto3 never validates responses), risky on the wire."""
    return record(
        Change(ChangeKind.ENUM_VALUE_ADDED, shape="Status", new="STOPPED"),
        "enum.value.added",
        service=service,
        operations=["GetThing"],
        position=Position.RESPONSE,
    )


def pattern_tightened(service: str = "example") -> ChangeRecord:
    """Risky in a request from every perspective: botocore does not check patterns, so a value
    the old pattern accepted ("A") now fails on the service."""
    return record(
        Change(
            ChangeKind.CONSTRAINT_CHANGED,
            shape="ThingName",
            aspect="pattern",
            old="^[a-zA-Z0-9-]+$",
            new="^[a-z0-9-]+$",
        ),
        "constraint.pattern.tightened",
        service=service,
    )


def member_added(service: str = "example") -> ChangeRecord:
    return record(
        Change(ChangeKind.MEMBER_ADDED, shape="ThingRequest", member="Colour"),
        "member.added",
        service=service,
    )


def docs_changed(service: str = "example") -> ChangeRecord:
    return record(
        Change(ChangeKind.SHAPE_DOCS_CHANGED, shape="Thing"),
        "documentation.changed",
        service=service,
    )


def wire_name_changed(service: str = "example") -> ChangeRecord:
    return record(
        Change(
            ChangeKind.MEMBER_TRAIT_CHANGED,
            shape="ThingRequest",
            member="MaxResults",
            aspect="locationName",
            old="maxResults",
            new="MaxResults",
        ),
        "wire.name.changed",
        service=service,
    )


def synthetic_report(findings_per_service: int, services: int = 3) -> Report:
    """A big report: in every service, as many breaking member removals as asked (each reached
    by two operations), plus one risky and one safe change."""
    reports = []
    for number in range(services):
        name = f"service{number:02d}"
        removals = [
            record(
                Change(ChangeKind.MEMBER_REMOVED, shape=f"Shape{index:05d}", member="Field"),
                "member.removed",
                service=name,
                operations=[f"Operation{index:05d}", f"OtherOperation{index:05d}"],
            )
            for index in range(findings_per_service)
        ]
        others = [pattern_tightened(name), member_added(name)]
        reports.append(service_report(name, [*removals, *others]))
    return report_of(*reports)


def entry(rule: str, *, expires: dt.date | None = None, **globs: str) -> IgnoreEntry:
    return IgnoreEntry(
        rule=rule, reason=f"accepted {rule}", where=f"test: {rule}", expires=expires, **globs
    )


# One change of each severity, in every perspective: info, safe, breaking, risky.
MIXED = report_of(
    service_report(
        "example", [docs_changed(), member_added(), operation_removed(), pattern_tightened()]
    )
)


# --- ordering and filtering


def test_findings_are_ordered_most_severe_first() -> None:
    result = evaluate_check(MIXED, min_severity=Severity.INFO, today=TODAY)
    assert [finding.severity for finding in result.findings] == [
        Severity.BREAKING,
        Severity.RISKY,
        Severity.SAFE,
        Severity.INFO,
    ]
    assert [finding.rule.id for finding in result.findings] == [
        "operation.removed",
        "constraint.pattern.tightened",
        "member.added",
        "documentation.changed",
    ]


def test_findings_of_equal_severity_are_ordered_by_location() -> None:
    records = [
        record(Change(ChangeKind.MEMBER_REMOVED, shape=shape, member="X"), "member.removed")
        for shape in ("Zebra", "Apple", "Mango")
    ]
    result = evaluate_check(report_of(service_report("example", records)), today=TODAY)
    assert [finding.location for finding in result.findings] == [
        "example: Apple.X",
        "example: Mango.X",
        "example: Zebra.X",
    ]


def test_findings_are_ordered_by_severity_across_services_then_by_service() -> None:
    report = report_of(
        service_report("zeta", [pattern_tightened("zeta"), operation_removed("zeta")]),
        service_report("s3", [pattern_tightened("s3"), operation_removed("s3")]),
        service_report("s3-x", [operation_removed("s3-x")]),
    )
    result = evaluate_check(report, today=TODAY)
    assert [(finding.severity.value, finding.service) for finding in result.findings] == [
        ("breaking", "s3"),
        ("breaking", "s3-x"),
        ("breaking", "zeta"),
        ("risky", "s3"),
        ("risky", "zeta"),
    ]


def test_safe_and_info_findings_are_hidden_by_default() -> None:
    result = evaluate_check(MIXED, today=TODAY)
    assert result.min_severity is Severity.RISKY
    assert [finding.severity for finding in result.findings] == [
        Severity.BREAKING,
        Severity.RISKY,
    ]
    assert len(result.gated) == 4


def test_min_severity_safe_lists_safe_findings_but_not_info() -> None:
    result = evaluate_check(MIXED, min_severity=Severity.SAFE, today=TODAY)
    assert Severity.INFO not in {finding.severity for finding in result.findings}
    assert len(result.findings) == 3


def test_min_severity_hides_less_severe_findings() -> None:
    result = evaluate_check(MIXED, min_severity=Severity.RISKY, today=TODAY)
    assert [finding.rule.id for finding in result.findings] == [
        "operation.removed",
        "constraint.pattern.tightened",
    ]
    # Counted all the same: the summary says what exists, the listing what was asked for.
    assert result.count(Severity.SAFE) == 1


def test_min_severity_does_not_change_what_fails_the_build() -> None:
    # Only what is shown is filtered: a risky finding still fails --fail-on risky when
    # --min-severity breaking hides it.
    report = report_of(service_report("example", [pattern_tightened(), member_added()]))
    shown_all = evaluate_check(report, fail_on=Severity.RISKY, today=TODAY)
    shown_breaking = evaluate_check(
        report, fail_on=Severity.RISKY, min_severity=Severity.BREAKING, today=TODAY
    )
    assert len(shown_all.failing) == 1
    assert len(shown_breaking.failing) == len(shown_all.failing)


# --- the gate


def test_removed_operation_fails_at_the_default_threshold() -> None:
    result = evaluate_check(MIXED, today=TODAY)
    assert result.fail_on is Severity.BREAKING
    assert [finding.rule.id for finding in result.failing] == ["operation.removed"]
    assert result.summary.endswith("fails: 1 at or above breaking")


def test_fail_on_risky_counts_breaking_and_risky_findings() -> None:
    result = evaluate_check(MIXED, fail_on=Severity.RISKY, today=TODAY)
    assert {finding.severity for finding in result.failing} == {Severity.BREAKING, Severity.RISKY}


def test_no_threshold_never_fails() -> None:
    result = evaluate_check(MIXED, fail_on=None, today=TODAY)
    assert result.failing == ()
    assert result.summary.endswith("passes")


def test_summary_counts_each_severity_and_names_the_perspective() -> None:
    result = evaluate_check(MIXED, perspective=Perspective.WIRE, today=TODAY)
    assert result.summary.startswith("1 breaking, 1 risky, 1 safe, 1 info (wire perspective)")


def test_an_empty_report_passes() -> None:
    result = evaluate_check(report_of(), today=TODAY)
    assert (result.findings, result.failing, result.summary) == (
        (),
        (),
        "0 breaking, 0 risky, 0 safe, 0 info (sdk perspective); passes",
    )


# --- perspectives


def test_each_perspective_reads_its_own_severity() -> None:
    report = report_of(service_report("example", [wire_name_changed()]))
    sdk = evaluate_check(report, perspective=Perspective.SDK, today=TODAY)
    wire = evaluate_check(report, perspective=Perspective.WIRE, today=TODAY)
    assert [finding.severity for finding in sdk.gated] == [Severity.SAFE]
    assert [finding.severity for finding in wire.findings] == [Severity.BREAKING]
    assert (bool(sdk.failing), bool(wire.failing)) == (False, True)


# --- overrides


def test_override_lowers_a_rule_in_every_perspective() -> None:
    lowered = dict.fromkeys(Perspective, Severity.RISKY)
    policy = Policy(overrides={"operation.removed": lowered})
    for perspective in Perspective:
        result = evaluate_check(MIXED, perspective=perspective, policy=policy, today=TODAY)
        assert result.failing == (), perspective
        assert result.findings[0].severity is Severity.RISKY


def test_override_raises_a_rule() -> None:
    policy = Policy(
        overrides={"constraint.pattern.tightened": {Perspective.SDK: Severity.BREAKING}}
    )
    result = evaluate_check(MIXED, policy=policy, today=TODAY)
    assert sorted(finding.rule.id for finding in result.failing) == [
        "constraint.pattern.tightened",
        "operation.removed",
    ]


def test_override_for_one_perspective_leaves_the_others_alone() -> None:
    policy = Policy(overrides={"wire.name.changed": {Perspective.WIRE: Severity.SAFE}})
    report = report_of(service_report("example", [wire_name_changed()]))
    wire = evaluate_check(report, perspective=Perspective.WIRE, policy=policy, today=TODAY)
    sdk = evaluate_check(report, perspective=Perspective.SDK, policy=policy, today=TODAY)
    assert [finding.severity for finding in wire.gated] == [Severity.SAFE]
    assert [finding.severity for finding in sdk.gated] == [Severity.SAFE]


def test_override_applies_before_min_severity() -> None:
    policy = Policy(overrides={"documentation.changed": {Perspective.SDK: Severity.RISKY}})
    result = evaluate_check(MIXED, policy=policy, today=TODAY)
    assert "documentation.changed" in {finding.rule.id for finding in result.findings}


# --- ignores


def test_ignored_finding_is_set_aside_with_its_entry() -> None:
    ignore = entry("operation", operation="Delete*")
    result = evaluate_check(MIXED, policy=Policy(ignores=(ignore,)), today=TODAY)
    assert "operation.removed" not in {finding.rule.id for finding in result.findings}
    assert [(item.finding.rule.id, item.entry) for item in result.suppressed] == [
        ("operation.removed", ignore)
    ]
    assert result.failing == ()
    assert result.unused_ignores == ()


def test_rule_prefix_stops_at_a_dot() -> None:
    records = [
        record(Change(ChangeKind.CONSTRAINT_CHANGED, shape="A", aspect="min", old=1, new=5), rule)
        for rule in ("constraint.min.raised", "constraint.max.lowered")
    ]
    report = report_of(service_report("example", records))
    result = evaluate_check(report, policy=Policy(ignores=(entry("constraint.min"),)), today=TODAY)
    assert [item.finding.rule.id for item in result.suppressed] == ["constraint.min.raised"]
    assert [finding.rule.id for finding in result.findings] == ["constraint.max.lowered"]


@pytest.mark.parametrize(
    ("globs", "ignored"),
    [
        ({"service": "exam*"}, True),
        ({"service": "other"}, False),
        ({"shape": "Thing*"}, True),
        ({"shape": "Other*"}, False),
        ({"member": "Colour"}, True),
        ({"member": "Color"}, False),
        ({"operation": "DoThing"}, True),
        ({"operation": "Do*", "shape": "ThingRequest", "member": "C*"}, True),
        ({"operation": "Describe*"}, False),
    ],
)
def test_ignore_globs_must_all_match(globs: dict[str, str], ignored: bool) -> None:
    report = report_of(service_report("example", [member_added()]))
    result = evaluate_check(report, policy=Policy(ignores=(entry("member", **globs),)), today=TODAY)
    assert bool(result.suppressed) is ignored
    assert bool(result.unused_ignores) is not ignored


def test_operation_glob_matches_any_operation_the_change_reaches() -> None:
    shared = record(
        Change(ChangeKind.MEMBER_REMOVED, shape="Shared", member="Old"),
        "member.removed",
        operations=["CreateThing", "DescribeThing", "ListThings"],
    )
    report = report_of(service_report("example", [shared]))
    policy = Policy(ignores=(entry("member.removed", operation="Describe*"),))
    assert len(evaluate_check(report, policy=policy, today=TODAY).suppressed) == 1


def test_entry_that_matches_nothing_is_reported_unused() -> None:
    unused = entry("waiter.removed")
    result = evaluate_check(MIXED, policy=Policy(ignores=(unused,)), today=TODAY)
    assert result.unused_ignores == (unused,)
    assert result.suppressed == ()


def test_expired_entry_is_not_applied_and_is_reported() -> None:
    expired = entry("operation.removed", expires=TODAY - dt.timedelta(days=1))
    result = evaluate_check(MIXED, policy=Policy(ignores=(expired,)), today=TODAY)
    assert result.expired_ignores == (expired,)
    assert result.suppressed == ()
    assert result.unused_ignores == ()
    assert [finding.rule.id for finding in result.failing] == ["operation.removed"]


def test_entry_still_applies_on_its_expiry_date() -> None:
    ignore = entry("operation.removed", expires=TODAY)
    result = evaluate_check(MIXED, policy=Policy(ignores=(ignore,)), today=TODAY)
    assert len(result.suppressed) == 1
    assert result.expired_ignores == ()


def test_today_decides_expiry() -> None:
    ignore = entry("operation.removed", expires=dt.date(2025, 1, 31))
    policy = Policy(ignores=(ignore,))
    before = evaluate_check(MIXED, policy=policy, today=dt.date(2025, 1, 1))
    after = evaluate_check(MIXED, policy=policy, today=dt.date(2025, 2, 1))
    assert (len(before.suppressed), len(before.expired_ignores)) == (1, 0)
    assert (len(after.suppressed), len(after.expired_ignores)) == (0, 1)


def test_first_matching_entry_takes_the_finding() -> None:
    first, second = entry("operation"), entry("operation.removed")
    result = evaluate_check(MIXED, policy=Policy(ignores=(first, second)), today=TODAY)
    assert [item.entry for item in result.suppressed] == [first]
    assert result.unused_ignores == (second,)


# --- findings


def test_finding_location_names_service_and_shape_member_or_operation() -> None:
    result = evaluate_check(MIXED, min_severity=Severity.INFO, today=TODAY)
    assert [finding.location for finding in result.findings] == [
        "example: DeleteThing",
        "example: ThingName",
        "example: ThingRequest.Colour",
        "example: Thing",
    ]


def test_finding_lists_each_reached_operation_once_sorted() -> None:
    shared = record(
        Change(ChangeKind.MEMBER_REMOVED, shape="Shared", member="Old"),
        "member.removed",
        operations=["ListThings", "CreateThing", "ListThings"],
    )
    result = evaluate_check(report_of(service_report("example", [shared])), today=TODAY)
    assert result.findings[0].operations == ("CreateThing", "ListThings")


# --- a real release


@pytest.fixture(scope="module")
def iot_report() -> Report:
    return compare_sources(
        open_source("bundled:botocore-1.20.73"),
        open_source("bundled:botocore-1.20.74"),
        CompareOptions(with_docs=False),
    )


def test_real_release_puts_the_removed_operation_and_member_first(iot_report: Report) -> None:
    result = evaluate_check(iot_report, today=TODAY)
    assert [(finding.rule.id, finding.location) for finding in result.failing] == [
        ("operation.removed", "iotdeviceadvisor: ListTestCases"),
        ("member.removed", "iotdeviceadvisor: SuiteRunConfiguration.secondaryDevice"),
    ]
    assert result.findings[: len(result.failing)] == result.failing


def test_real_release_member_removal_is_less_severe_on_the_wire(iot_report: Report) -> None:
    wire = evaluate_check(iot_report, perspective=Perspective.WIRE, today=TODAY)
    removed = next(finding for finding in wire.findings if finding.rule.id == "member.removed")
    assert removed.severity is Severity.RISKY
    assert [finding.rule.id for finding in wire.failing] == ["operation.removed"]


def test_real_release_fingerprints_are_distinct(iot_report: Report) -> None:
    result = evaluate_check(iot_report, min_severity=Severity.INFO, today=TODAY)
    fingerprints = [finding.record.fingerprint for finding in result.findings]
    assert len(fingerprints) == len(set(fingerprints)) > 10
