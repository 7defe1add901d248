"""The Report: everything a renderer needs, and nothing it has to look up in a model.

A Report is plain data: it is saved as JSON (schema: `apidiff/schemas/report.schema.json`)
and loaded back, so every output, the HTML site included, can be rebuilt from a saved file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from apidiff.classify import Perspective, Severity
from apidiff.diff import Change, DeltaTree, Reach
from apidiff.report.doc_records import MethodDoc
from apidiff.sources.base import Provenance


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """One change, every operation (with position and member path) it reaches, and its
    classification: the rule id, the severity per perspective, and a stable fingerprint.
    """

    change: Change
    reaches: tuple[Reach, ...]
    rule: str
    severity: Mapping[Perspective, Severity]
    fingerprint: str
    # What the rule found beyond the change itself: for a pattern, a string the old pattern
    # accepts and the new one rejects, or why the two could not be compared.
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class OperationReport:
    """An api method that is new, removed or updated, with what a caller sees change.

    `documentation` is the method's boto3-style documentation, from the new model (the old one
    for a removed method); None where it was not asked for.
    """

    name: str
    method: str
    request: DeltaTree
    response: DeltaTree
    documentation: MethodDoc | None = None


@dataclass(frozen=True, slots=True)
class ServiceReport:
    """The release note of one service: its api methods, its changes, and where it came from."""

    service: str
    full_name: str
    old_api_version: str | None
    new_api_version: str | None
    date: dt.date | None
    # None where no changelog was available; empty where it has no entry for this service.
    changelog: tuple[str, ...] | None
    new_operations: tuple[OperationReport, ...]
    removed_operations: tuple[OperationReport, ...]
    updated_operations: tuple[OperationReport, ...]
    changes: tuple[ChangeRecord, ...]


@dataclass(frozen=True, slots=True)
class LeftOut:
    """Services one side holds and the other lacks, not compared, and why.

    `side` ("old" or "new") is the side that holds them. A source that holds only some of
    botocore's services (a folder, the bundled models, one file) lacks most services not
    because they were added or removed but because it never held them.
    """

    side: str
    services: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class Report:
    """The comparison of two sources: one ServiceReport per changed, added or removed service.

    A service added in the new source has no old api version (every method is new); a
    removed one has no new api version. The services compared are those of `services` and
    `unchanged_services`; `left_out` holds the others, which only one side holds.
    """

    tool_version: str
    old: Provenance
    new: Provenance
    services: tuple[ServiceReport, ...]
    unchanged_services: tuple[str, ...] = ()
    left_out: tuple[LeftOut, ...] = ()

    @property
    def compared_services(self) -> tuple[str, ...]:
        return tuple(
            sorted({*(service.service for service in self.services), *self.unchanged_services})
        )

    @property
    def coverage_summary(self) -> str | None:
        """One line on which services were compared and why the others were not; None where
        every service either side holds was compared."""
        if not self.left_out:
            return None
        compared = self.compared_services
        named = f" ({', '.join(compared)})" if 0 < len(compared) <= _NAMED_UP_TO else ""
        count = {0: "no service", 1: "the service"}.get(
            len(compared), f"the {len(compared)} services"
        )
        left = "; ".join(
            f"left out {len(group.services)} only {group.side} holds, as {group.reason}"
            for group in self.left_out
        )
        return f"Compared {count} both sides hold{named}; {left} (--all-services compares them)."


# A coverage line names the compared services up to this many; a terminal line, not a list.
_NAMED_UP_TO = 5
