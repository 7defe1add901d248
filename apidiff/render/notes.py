"""What every release-note format shows, worked out once: headline, changelog line, and the
changes that are not api-method deltas, grouped by the shape (or operation) they happen on.
"""

from __future__ import annotations

from dataclasses import dataclass

from apidiff.classify import Perspective, Severity
from apidiff.diff import ChangeKind
from apidiff.render.deltas import MethodChanges, method_changes
from apidiff.report import ChangeRecord, OperationReport, Report, ServiceReport

# Shown through the api-method lists and deltas; every other kind is listed on its own.
_IN_DELTAS = frozenset(
    {
        ChangeKind.OPERATION_ADDED,
        ChangeKind.OPERATION_REMOVED,
        ChangeKind.SHAPE_ADDED,
        ChangeKind.SHAPE_REMOVED,
        ChangeKind.SHAPE_TYPE_CHANGED,
        ChangeKind.MEMBER_TYPE_CHANGED,
        ChangeKind.MEMBER_ADDED,
        ChangeKind.MEMBER_REMOVED,
        ChangeKind.MEMBER_REQUIRED_ADDED,
        ChangeKind.MEMBER_REQUIRED_REMOVED,
        ChangeKind.ENUM_VALUE_ADDED,
        ChangeKind.ENUM_VALUE_REMOVED,
    }
)
_LISTED_OPERATIONS = 5


def headline(service: ServiceReport) -> str:
    date = service.date.strftime("%Y/%m/%d") if service.date else "undated"
    counts = [
        f"{len(operations)} {label}"
        for operations, label in (
            (service.new_operations, "new"),
            (service.removed_operations, "removed"),
            (service.updated_operations, "updated"),
        )
        if operations
    ]
    summary = " ".join(counts) + " api methods" if counts else "no api method changes"
    if service.new_api_version is None:
        summary = "service removed"
    elif service.old_api_version is None:
        summary = f"new service - {summary}"
    return f"{date} - {service.full_name} - {summary}"


def changelog_text(service: ServiceReport) -> str:
    if service.changelog is None:
        return "(no changelog was given for this release; pass --changelog)"
    if not service.changelog:
        return "(the changelog has no entry for this service)"
    return " ".join(service.changelog)


# An overview line is cut to this width, its changelog text ending in "...".
_OVERVIEW_WIDTH = 100
_OVERVIEW_HEADINGS = ("Service", "New", "Updated", "Removed", "Breaking", "Changelog")


def overview_rows(report: Report) -> list[tuple[str, ...]]:
    """One row a changed service: its api methods new, updated and removed, its breaking
    findings (for Python callers) and the first line of its changelog entry."""
    return [
        (
            service.service + _service_status(service),
            str(len(service.new_operations)),
            str(len(service.updated_operations)),
            str(len(service.removed_operations)),
            str(
                sum(
                    record.severity.get(Perspective.SDK) is Severity.BREAKING
                    for record in service.changes
                )
            ),
            service.changelog[0].splitlines()[0] if service.changelog else "",
        )
        for service in report.services
    ]


def _service_status(service: ServiceReport) -> str:
    if service.old_api_version is None:
        return " (new)"
    if service.new_api_version is None:
        return " (removed)"
    return ""


def overview_lines(report: Report) -> list[str]:
    """The overview as a text table that fits 100 columns."""
    rows = [_OVERVIEW_HEADINGS, *overview_rows(report)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:-1], widths[1:], strict=True)]
        line = "  ".join(cells) + "  "
        room = _OVERVIEW_WIDTH - len(line)
        changelog = row[-1] if len(row[-1]) <= room else row[-1][: max(room - 3, 0)] + "..."
        lines.append((line + changelog).rstrip())
    return lines


def overview_summary(report: Report) -> str:
    """One sentence on the whole comparison: what changed, from what to what."""
    added = sum(service.old_api_version is None for service in report.services)
    removed = sum(service.new_api_version is None for service in report.services)
    parts = [f"{len(report.services)} services changed"]
    if added or removed:
        parts.append(f"{added} new, {removed} removed")
    parts.append(f"{len(report.unchanged_services)} unchanged")
    return f"{report.new.label} since {report.old.label}: {', '.join(parts)}."


@dataclass(frozen=True, slots=True)
class MethodBlock:
    """One api method of a release note: new, updated or removed, and what changed in it."""

    operation: OperationReport
    status: str
    changes: MethodChanges | None = None

    @property
    def title(self) -> str:
        return f"{self.operation.name} ({self.status})"


def method_blocks(service: ServiceReport) -> tuple[MethodBlock, ...]:
    """The service's api methods in the order a note shows them: new, updated, removed."""
    return (
        *(MethodBlock(operation, "new") for operation in service.new_operations),
        *(
            MethodBlock(operation, "updated", method_changes(operation.request, operation.response))
            for operation in service.updated_operations
        ),
        *(MethodBlock(operation, "removed") for operation in service.removed_operations),
    )


@dataclass(frozen=True, slots=True)
class ChangeGroup:
    """The other changes on one shape or operation, and the operations they reach."""

    subject: str
    descriptions: tuple[str, ...]
    reached: tuple[str, ...]

    @property
    def reach_summary(self) -> str:
        if not self.reached:
            return "reaches no operation"
        shown = ", ".join(self.reached[:_LISTED_OPERATIONS])
        more = len(self.reached) - _LISTED_OPERATIONS
        return f"reaches {shown}" + (f" and {more} more" if more > 0 else "")


def other_changes(service: ServiceReport) -> tuple[ChangeGroup, ...]:
    """Constraint, trait, documentation, error, http, metadata, paginator and waiter changes."""
    grouped: dict[str, list[ChangeRecord]] = {}
    for record in service.changes:
        if record.change.kind not in _IN_DELTAS:
            grouped.setdefault(_subject(record), []).append(record)
    return tuple(
        ChangeGroup(
            subject=subject,
            descriptions=_describe(records),
            reached=tuple(sorted({reach.operation for r in records for reach in r.reaches})),
        )
        for subject, records in sorted(grouped.items())
    )


def _subject(record: ChangeRecord) -> str:
    change = record.change
    if change.shape:
        return change.shape
    if change.operation:
        return change.operation
    return "(service)"


def _describe(records: list[ChangeRecord]) -> tuple[str, ...]:
    # Documentation edits are many and say little one by one: one line per shape or operation.
    docs = [r for r in records if r.change.kind.value.endswith(".documentation.changed")]
    lines = [
        r.change.description
        for r in records
        if not r.change.kind.value.endswith(".documentation.changed")
    ]
    if docs:
        members = sorted(r.change.member for r in docs if r.change.member)
        own = len(docs) - len(members)
        parts = (["its own"] if own else []) + (
            [f"members {', '.join(members)}"] if members else []
        )
        lines.append(f"documentation changed: {' and '.join(parts)}")
    return tuple(lines)
