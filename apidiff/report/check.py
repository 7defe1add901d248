"""The compatibility check: a Report's classified changes seen from one perspective, with the
team's policy applied, and whether they should fail the build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from apidiff.classify import RULES_BY_ID, Perspective, Rule, Severity
from apidiff.classify.policy import IgnoreEntry, Policy
from apidiff.diff import ENDPOINT_KINDS, ChangeKind
from apidiff.model import Position
from apidiff.report.messages import OLD_SIDE_KINDS, caller_message, via_where
from apidiff.report.report import ChangeRecord, Report

# Shown unless asked otherwise: what can break a caller. Safe changes are counted in every
# summary, and listed with --min-severity safe.
DEFAULT_MIN_SEVERITY = Severity.RISKY


@dataclass(frozen=True, slots=True)
class Finding:
    """One classified change, as the chosen perspective rates it after overrides."""

    service: str
    record: ChangeRecord
    severity: Severity
    perspective: Perspective = Perspective.SDK

    @property
    def rule(self) -> Rule:
        return RULES_BY_ID[self.record.rule]

    @property
    def operations(self) -> tuple[str, ...]:
        return tuple(sorted({reach.operation for reach in self.record.reaches}))

    @property
    def sides(self) -> frozenset[str]:
        """Where the change meets a caller: "request" and/or "response" (errors included);
        empty where no api method reaches it."""
        change = self.record.change
        sides = set()
        for reach in self.record.reaches:
            if reach.position is Position.REQUEST:
                sides.add("request")
            elif reach.position is not Position.OPERATION:
                sides.add("response")
            elif change.kind is ChangeKind.OPERATION_INPUT_CHANGED:
                sides.add("request")
            elif change.kind is ChangeKind.OPERATION_OUTPUT_CHANGED:
                sides.add("response")
            else:
                sides.update(("request", "response"))
        if not sides and self.rule.id.startswith("error."):
            sides.add("response")
        return frozenset(sides)

    @property
    def advice(self) -> str:
        """The rule's advice for this finding's perspective and the sides the change meets."""
        return self.rule.advice_for(self.perspective, self.sides)

    @property
    def explanation(self) -> str:
        return f"{self.rule.summary}. {self.advice}"

    @property
    def where(self) -> str:
        """Where in the service the change happens, in the model's names: Shape.member,
        Shape or Operation, each as the side the change speaks of calls it (a member removed
        behind a renamed shape is named by its path from a shape both sides hold)."""
        change = self.record.change
        if change.via and change.kind in OLD_SIDE_KINDS:
            return via_where(change)
        if change.shape:
            return f"{change.shape}.{change.member}" if change.member else change.shape
        if change.kind in ENDPOINT_KINDS:
            # Its aspect, the parameters resolved, is already the subject of its description.
            return "endpoint rule set"
        return change.operation or change.aspect or "(service)"

    @property
    def message(self) -> str:
        """The change as a boto3 caller writes the place it reaches (a peer on the wire: the
        operation and body path), and what is found beyond it (a pattern's counterexample, a
        likely rename)."""
        description = caller_message(
            self.record.change,
            self.record.reaches,
            self.rule.id,
            wire=self.perspective is Perspective.WIRE,
        )
        return f"{description} ({self.record.detail})" if self.record.detail else description

    @property
    def location(self) -> str:
        """Where the change happens: service, then shape.member or operation."""
        return f"{self.service}: {self.where}"

    @property
    def sort_key(self) -> tuple[int, str, int, str, str, str]:
        """Most severe first across every service, then by service, then what it reaches most
        broadly (the service, an api method, a shape), place and rule: one order for every
        output, so what a capped output leaves out is the least severe and the narrowest."""
        change = self.record.change
        scope = 2 if change.shape else 1 if change.operation else 0
        return (
            -self.severity.rank,
            self.service,
            scope,
            self.where,
            self.rule.id,
            self.record.fingerprint,
        )


@dataclass(frozen=True, slots=True)
class Suppressed:
    finding: Finding
    entry: IgnoreEntry


@dataclass(frozen=True, slots=True)
class CheckResult:
    perspective: Perspective
    fail_on: Severity | None
    min_severity: Severity
    # Every finding that is not ignored; `findings` are those at or above `min_severity`.
    gated: tuple[Finding, ...]
    findings: tuple[Finding, ...]
    suppressed: tuple[Suppressed, ...]
    unused_ignores: tuple[IgnoreEntry, ...]
    expired_ignores: tuple[IgnoreEntry, ...]
    report: Report

    @property
    def failing(self) -> tuple[Finding, ...]:
        if self.fail_on is None:
            return ()
        threshold = self.fail_on.rank
        return tuple(finding for finding in self.gated if finding.severity.rank >= threshold)

    def count(self, severity: Severity) -> int:
        """How many findings of this severity there are, shown or not."""
        return sum(1 for finding in self.gated if finding.severity is severity)

    @property
    def by_service(self) -> dict[str, list[Finding]]:
        """The shown findings grouped by service, services in name order."""
        grouped: dict[str, list[Finding]] = {}
        for finding in sorted(self.findings, key=lambda finding: finding.service):
            grouped.setdefault(finding.service, []).append(finding)
        return grouped

    @property
    def summary(self) -> str:
        """One line: counts per severity, the perspective, and the verdict."""
        order = sorted(Severity, key=lambda severity: -severity.rank)
        counts = ", ".join(f"{self.count(severity)} {severity.value}" for severity in order)
        if self.failing and self.fail_on:
            verdict = f"fails: {len(self.failing)} at or above {self.fail_on.value}"
        else:
            verdict = "passes"
        return f"{counts} ({self.perspective.value} perspective); {verdict}"


def evaluate_check(
    report: Report,
    *,
    perspective: Perspective = Perspective.SDK,
    policy: Policy | None = None,
    fail_on: Severity | None = Severity.BREAKING,
    min_severity: Severity = DEFAULT_MIN_SEVERITY,
    today: dt.date | None = None,
) -> CheckResult:
    """Findings most severe first, ignored ones set aside; `min_severity` limits only what is
    shown, never what fails the build."""
    policy = policy or Policy()
    today = today or dt.date.today()
    live = tuple(entry for entry in policy.ignores if not entry.expired(today))
    used: set[int] = set()
    findings: list[Finding] = []
    suppressed: list[Suppressed] = []
    for service in report.services:
        for record in service.changes:
            severity = policy.severity(record.rule, perspective, record.severity[perspective])
            finding = Finding(service.service, record, severity, perspective)
            entry = _matching_entry(live, finding)
            if entry is not None:
                used.add(id(entry))
                suppressed.append(Suppressed(finding, entry))
            else:
                findings.append(finding)
    findings.sort(key=lambda finding: finding.sort_key)
    return CheckResult(
        perspective=perspective,
        fail_on=fail_on,
        min_severity=min_severity,
        gated=tuple(findings),
        findings=tuple(f for f in findings if f.severity.rank >= min_severity.rank),
        suppressed=tuple(suppressed),
        unused_ignores=tuple(entry for entry in live if id(entry) not in used),
        expired_ignores=tuple(entry for entry in policy.ignores if entry.expired(today)),
        report=report,
    )


def _matching_entry(entries: tuple[IgnoreEntry, ...], finding: Finding) -> IgnoreEntry | None:
    change = finding.record.change
    operations = finding.operations or ((change.operation,) if change.operation else ())
    return next(
        (
            entry
            for entry in entries
            if entry.covers(
                finding.record.rule, finding.service, operations, change.shape, change.member
            )
        ),
        None,
    )
