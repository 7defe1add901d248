"""Which findings of a compatibility check touch the user's calls, and where.

A finding touches a call when it concerns the call itself (a removed operation, the
service, the paginator or waiter the call uses) or a member path the call uses: a
parameter it passes (for a removed enum value, the value passed as a literal), a parameter
newly required where the call passes the structure around it but not the member, a response
key it reads. Findings that reach an operation the code calls, but only on paths it does
not use, are kept apart: "in operations you call, on paths you do not use".

A call whose parameters are not all visible (`**kwargs` built elsewhere) may pass anything:
it is touched by every risky or breaking finding on its request, saying so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from apidiff.classify import Severity
from apidiff.diff import Reach
from apidiff.diff.kinds import ChangeKind
from apidiff.model import Position
from apidiff.report.check import CheckResult, Finding
from apidiff.usage.calls import CallKind, CallSite, Usage

_PAGINATOR_KINDS = frozenset(
    {ChangeKind.PAGINATOR_ADDED, ChangeKind.PAGINATOR_REMOVED, ChangeKind.PAGINATOR_CHANGED}
)
_WAITER_KINDS = frozenset(
    {ChangeKind.WAITER_ADDED, ChangeKind.WAITER_REMOVED, ChangeKind.WAITER_CHANGED}
)


@dataclass(frozen=True, slots=True)
class Touch:
    """One call a finding touches, by which of the finding's reaches, and why."""

    call: CallSite
    reach: Reach | None
    why: str


@dataclass(frozen=True, slots=True)
class TouchedFinding:
    finding: Finding
    touches: tuple[Touch, ...]  # in (file, line, column) order


@dataclass(frozen=True, slots=True)
class UsageMatch:
    """A check's findings against a code base's calls.

    `touching` are the findings that touch at least one call, in the check's order (most
    severe first); `untouched` those that reach an operation the code calls, on paths it
    does not use; `elsewhere` counts the rest, which concern nothing the code calls.
    """

    usage: Usage
    touching: tuple[TouchedFinding, ...]
    untouched: tuple[Finding, ...]
    elsewhere: int

    def failing(self, result: CheckResult, *, strict: bool = False) -> tuple[Finding, ...]:
        """The findings that fail the build: those at or above `--fail-on` that touch a
        call, and with `strict` (`--strict-usage`) those in called operations too."""
        if result.fail_on is None:
            return ()
        threshold = result.fail_on.rank
        candidates = [touched.finding for touched in self.touching]
        if strict:
            candidates.extend(self.untouched)
        return tuple(finding for finding in candidates if finding.severity.rank >= threshold)

    @property
    def by_call(self) -> tuple[tuple[CallSite, tuple[tuple[Finding, Touch], ...]], ...]:
        """Each touched call with the findings that touch it: one entry per place in the
        code, for formats that annotate lines."""
        return touches_by_call(self.touching)


def touches_by_call(
    touching: Iterable[TouchedFinding],
) -> tuple[tuple[CallSite, tuple[tuple[Finding, Touch], ...]], ...]:
    """Each call the findings touch, in (file, line, column) order, with each finding and
    how it touches that call, in the findings' order."""
    grouped: dict[CallSite, list[tuple[Finding, Touch]]] = defaultdict(list)
    for touched in touching:
        for touch in touched.touches:
            grouped[touch.call].append((touched.finding, touch))
    order = sorted(grouped, key=lambda call: (call.location, call.operation or ""))
    return tuple((call, tuple(grouped[call])) for call in order)


def match_usage(result: CheckResult, usage: Usage) -> UsageMatch:
    """Match every finding the check gates on (ignored ones are not) against the calls."""
    calls = _CallIndex(usage.calls)
    touching: list[TouchedFinding] = []
    untouched: list[Finding] = []
    elsewhere = 0
    for finding in result.gated:
        touches = tuple(_touches(finding, calls))
        if touches:
            ordered = sorted(touches, key=lambda touch: (touch.call.location, touch.why))
            touching.append(TouchedFinding(finding, tuple(ordered)))
        elif any(calls.of(finding.service, reach.operation) for reach in finding.record.reaches):
            untouched.append(finding)
        else:
            elsewhere += 1
    return UsageMatch(usage, tuple(touching), tuple(untouched), elsewhere)


class _CallIndex:
    """The calls by service and by (service, operation)."""

    def __init__(self, calls: Iterable[CallSite]) -> None:
        self._by_service: dict[str, list[CallSite]] = defaultdict(list)
        self._by_operation: dict[tuple[str, str], list[CallSite]] = defaultdict(list)
        for call in calls:
            if call.service is not None and call.operation is not None:
                self._by_service[call.service].append(call)
                self._by_operation[call.service, call.operation].append(call)

    def of(self, service: str, operation: str) -> list[CallSite]:
        return self._by_operation.get((service, operation), [])

    def of_service(self, service: str) -> list[CallSite]:
        return self._by_service.get(service, [])


def _touches(finding: Finding, calls: _CallIndex) -> Iterable[Touch]:
    change = finding.record.change
    if not finding.record.reaches:
        # A change to the whole service (removed, its metadata or endpoints): every call.
        for call in calls.of_service(finding.service):
            yield Touch(call, None, f"the service: {change.description}")
        return
    seen: set[int] = set()
    for reach in finding.record.reaches:
        for call in calls.of(finding.service, reach.operation):
            why = _why(finding, reach, call)
            if why is not None and id(call) not in seen:
                seen.add(id(call))
                yield Touch(call, reach, why)


def _why(finding: Finding, reach: Reach, call: CallSite) -> str | None:
    """Why this reach of the finding touches this call; None where it does not."""
    kind = finding.record.change.kind
    if reach.position is Position.OPERATION:
        return _operation_touch(finding, call)
    if reach.position is Position.RESPONSE:
        if reach.path in call.response_keys:
            return f"reads response key '{reach.path}'"
        return None
    if reach.position is not Position.REQUEST:
        return None  # Errors: which exceptions the code catches is not scanned.
    if not call.visible and finding.severity.rank >= Severity.RISKY.rank:
        return f"parameters not visible ({call.reason}): may pass '{reach.path}'"
    if kind is ChangeKind.MEMBER_REQUIRED_ADDED:
        return _required_touch(reach.path, call.parameters)
    if reach.path not in call.parameters:
        return None
    if kind is ChangeKind.ENUM_VALUE_REMOVED:
        return _enum_touch(reach.path, str(finding.record.change.old), call)
    return f"passes parameter '{reach.path}'"


def _operation_touch(finding: Finding, call: CallSite) -> str | None:
    change = finding.record.change
    if change.kind in _PAGINATOR_KINDS:
        return f"paginates: {change.description}" if call.kind is CallKind.PAGINATE else None
    if change.kind in _WAITER_KINDS:
        waiter = (change.aspect or "").split(".")[0]
        if call.kind is CallKind.WAIT and call.waiter == waiter:
            return f"waits: {change.description}"
        return None
    return f"calls it: {change.description}"


def _required_touch(path: str, parameters: tuple[str, ...]) -> str | None:
    """A newly required member breaks a call that passes what holds it but not the member."""
    if path in parameters:
        return None
    holder = _holder(path)
    if holder and holder not in parameters:
        return None
    return f"does not pass newly required '{path}'"


def _holder(path: str) -> str:
    """The path of what holds the last member: `A[].B` → `A[]`, `A` → `` (the request)."""
    cut = path.rfind(".")
    return path[:cut] if cut >= 0 else ""


def _enum_touch(path: str, value: str, call: CallSite) -> str | None:
    passed = _literals_at(call).get(path)
    if passed is None:
        return f"passes '{path}', value not visible (may be '{value}')"
    if value in passed:
        return f"passes '{value}' as '{path}'"
    return None


def _literals_at(call: CallSite) -> Mapping[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for literal in call.literals:
        found[literal.path].add(literal.value)
    return found
