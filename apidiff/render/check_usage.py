"""A check seen through the user's own code (`apidiff check --usage`): the findings that touch
the code's calls, each at the calls' file:line:col, and what the check's formats share to
show them.

The match of findings against calls is usage/match.py's; here it gains the one choice the
check adds (`--strict-usage`), its summary, and a way back from a saved check's JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from apidiff.classify import Severity
from apidiff.errors import ReportLoadError
from apidiff.report.check import CheckResult, Finding
from apidiff.usage.calls import CallKind, CallSite, Location, ScanProblem, Usage
from apidiff.usage.match import Touch, TouchedFinding, UsageMatch
from apidiff.usage.output import match_to_json

UNTOUCHED_TITLE = "in operations you call, on paths you do not use"


@dataclass(frozen=True, slots=True)
class UsageGate:
    """A check's findings against the user's calls, and whether the findings in operations
    the code calls, on paths it does not use, fail the build too (`--strict-usage`)."""

    match: UsageMatch
    strict: bool = False

    def failing(self, result: CheckResult) -> tuple[Finding, ...]:
        return self.match.failing(result, strict=self.strict)

    def touching(self, result: CheckResult) -> tuple[TouchedFinding, ...]:
        """The touching findings the check lists (at or above --min-severity)."""
        shown = {id(finding) for finding in result.findings}
        return tuple(t for t in self.match.touching if id(t.finding) in shown)

    def untouched(self, result: CheckResult) -> tuple[Finding, ...]:
        shown = {id(finding) for finding in result.findings}
        return tuple(finding for finding in self.match.untouched if id(finding) in shown)

    def unlisted(self, result: CheckResult) -> int:
        """Touching or untouched findings below --min-severity: counted, not listed."""
        listed = len(self.touching(result)) + len(self.untouched(result))
        return len(self.match.touching) + len(self.match.untouched) - listed


def usage_summary(result: CheckResult, gate: UsageGate) -> str:
    """One line: the findings touching the code by severity, the others counted, the verdict."""
    touching = [touched.finding for touched in gate.match.touching]
    by_severity = ", ".join(
        f"{sum(1 for finding in touching if finding.severity is severity)} {severity.value}"
        for severity in sorted(Severity, key=lambda severity: -severity.rank)
    )
    failing = gate.failing(result)
    if failing and result.fail_on:
        counted = "" if gate.strict else " touching your calls"
        verdict = f"fails: {len(failing)}{counted} at or above {result.fail_on.value}"
    else:
        verdict = "passes"
    return (
        f"{_count(len(touching), 'finding')} touch your calls ({by_severity}); "
        f"{len(gate.match.untouched)} {UNTOUCHED_TITLE}; {gate.match.elsewhere} elsewhere "
        f"({result.perspective.value} perspective{', strict usage' if gate.strict else ''}); "
        f"{verdict}"
    )


def scanned_line(gate: UsageGate) -> str:
    usage = gate.match.usage
    line = f"Your code: {_count(usage.files, 'Python file')} scanned ({usage.models})"
    if usage.problems:
        line += f", {len(usage.problems)} not read"
    return line


def elsewhere_line(gate: UsageGate) -> str:
    return (
        f"{_count(gate.match.elsewhere, 'finding')} in operations your code never calls "
        "(not listed; run the check without --usage to see them)."
    )


def call_name(call: CallSite) -> str:
    """`sagemaker.describe_auto_ml_job`, `route53 paginator list_resource_record_set_changes`."""
    service, method = call.service or "?", call.method or "?"
    if call.kind is CallKind.CALL:
        return f"{service}.{method}"
    label = {CallKind.PAGINATE: "paginator", CallKind.WAIT: "waiter"}.get(call.kind, "resource")
    return f"{service} {label} {method}"


def touch_line(finding: Finding, touch: Touch, *, described: bool = False) -> str:
    """`app/jobs.py:42:8: sagemaker.describe_auto_ml_job — why (breaking, member.removed)`;
    `described`, for a line read alone, says what changed too."""
    if described:
        why = touch_message(finding, touch)
    else:
        why = _why_naming_the_change(finding, touch) or touch.why
    return (
        f"{touch.call.location}: {call_name(touch.call)} — {why} "
        f"({finding.severity.value}, {finding.rule.id})"
    )


def touch_message(finding: Finding, touch: Touch) -> str:
    """Why the call is touched and what changed, in the finding's message: `reads response
    key 'A.B': B removed from client.get_x(...)['A']['B']` (a call of a removed operation
    says so once)."""
    return _why_naming_the_change(finding, touch) or f"{touch.why}: {finding.message}"


def _why_naming_the_change(finding: Finding, touch: Touch) -> str | None:
    """Where the why names the change (`calls it: operation X removed`: the match's words
    for a call of a changed operation, paginator or waiter, or of a changed service), the
    why naming it as the finding's message does; else None."""
    description = finding.record.change.description
    if description and touch.why.endswith(description):
        return touch.why.removesuffix(description) + finding.message
    return None


def problem_line(problem: ScanProblem) -> str:
    where = f"{problem.file}:{problem.line}" if problem.line else problem.file
    return f"{where}: {problem.reason}"


def rebase_usage(match: UsageMatch, root: str) -> UsageMatch:
    """The match with its files named relative to the folder `root` where they lie below it
    (absolute files stay absolute elsewhere): a relative name is read from the current
    folder, as the scan wrote it."""

    base = Path(root).resolve()

    def moved(file: str) -> str:
        try:
            return Path(file).resolve().relative_to(base).as_posix()
        except ValueError:
            return file

    def call(site: CallSite) -> CallSite:
        location = site.location
        return replace(
            site, location=Location(moved(location.file), location.line, location.column)
        )

    touching = tuple(
        TouchedFinding(
            touched.finding,
            tuple(
                sorted(
                    (replace(touch, call=call(touch.call)) for touch in touched.touches),
                    key=lambda touch: (touch.call.location, touch.why),
                )
            ),
        )
        for touched in match.touching
    )
    usage = match.usage
    moved_usage = replace(
        usage,
        calls=tuple(sorted((call(site) for site in usage.calls), key=lambda site: site.location)),
        problems=tuple(
            sorted(
                (replace(problem, file=moved(problem.file)) for problem in usage.problems),
                key=lambda problem: problem.file,
            )
        ),
    )
    return replace(match, usage=moved_usage, touching=touching)


def gate_to_json(gate: UsageGate) -> dict[str, Any]:
    return match_to_json(gate.match)


def gate_from_json(
    value: Mapping[str, Any], result: CheckResult, *, strict: bool, where: str
) -> UsageGate:
    """The UsageGate a saved check holds (its JSON already checked against the schema):
    the touching findings with each call's place and why, enough for every format."""
    by_fingerprint = {finding.record.fingerprint: finding for finding in result.gated}

    def finding(fingerprint: str) -> Finding:
        found = by_fingerprint.get(fingerprint)
        if found is None:
            raise ReportLoadError(where, f"usage names finding {fingerprint}, not in the check")
        return found

    calls: dict[CallSite, CallSite] = {}
    touching = []
    for item in value["touching"]:
        touches = []
        for touch in item["touches"]:
            site = CallSite(
                location=Location(touch["file"], touch["line"], touch["column"]),
                service=touch["service"],
                operation=touch["operation"],
                method=touch["method"],
                kind=CallKind(touch["kind"]),
            )
            touches.append(Touch(calls.setdefault(site, site), None, touch["why"]))
        touching.append(TouchedFinding(finding(item["fingerprint"]), tuple(touches)))
    usage = Usage(
        files=value["files"],
        calls=tuple(sorted(calls, key=lambda site: site.location)),
        problems=tuple(
            ScanProblem(problem["file"], problem["line"], problem["reason"])
            for problem in value["problems"]
        ),
        models=value["models"],
    )
    match = UsageMatch(
        usage,
        tuple(sorted(touching, key=lambda touched: touched.finding.sort_key)),
        tuple(sorted(map(finding, value["untouched"]), key=lambda found: found.sort_key)),
        value["elsewhere"],
    )
    return UsageGate(match, strict)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
