"""What the site knows of every release it holds, in brief: enough for the home page, the
release and breaking pages, the history pages and the feeds, without the full Reports.

A release's full Report (documentation included) is read only to write its own service
pages; everything that spans releases is drawn from this catalog, so adding a release reads
one new Report, not all of them. The catalog is stored beside the Reports as JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import cattrs
import orjson

from apidiff.classify import RULES_BY_ID, Perspective, Severity
from apidiff.render.notes import headline, method_blocks, other_changes
from apidiff.report import ChangeRecord, Report, ServiceReport
from apidiff.report.check import Finding
from apidiff.report.serialize import load_report
from apidiff.site import urls
from apidiff.site.errors import SiteError
from apidiff.sources.pypi import version_key

# Raised whenever what the catalog holds changes shape, so an older catalog is rebuilt.
# 2: a finding says what `apidiff check` says (its message, where, the sides it meets).
CATALOG_FORMAT = 2


@dataclass(frozen=True, slots=True)
class FindingEntry:
    """A classified change: its rule, its severity for Python callers (and for the other
    perspectives, where they differ), what happened and where, and the api methods it
    reaches; said as `apidiff check` says it to a boto3 caller."""

    rule: str
    severity: Severity
    stubber: Severity
    wire: Severity
    # The check's message (`FormTypeId removed from client.put_asset(Forms=[...])`) and
    # where in the model's names (`FormInput.FormTypeId`), what the model's wording adds.
    message: str
    where: str
    # "request" and/or "response": which side's advice the check gives.
    sides: tuple[str, ...]
    operations: tuple[str, ...]

    @property
    def advice(self) -> str:
        """The rule's advice to a boto3 caller for the sides the change meets, as the check
        gives it."""
        return _caller_advice(self.rule, self.sides)


@dataclass(frozen=True, slots=True)
class DeltaBlock:
    """One dict of a method's delta as pprint writes it, under its heading (if any)."""

    heading: str | None
    lines: tuple[str, ...]

    @property
    def removed(self) -> bool:
        return bool(self.heading and self.heading.startswith("Removed"))


@dataclass(frozen=True, slots=True)
class MethodEntry:
    """An api method a release changed: new, updated or removed, and its delta."""

    name: str
    status: str
    where: str | None
    deltas: tuple[DeltaBlock, ...]
    marks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ServiceEntry:
    """A service a release changed, added or removed."""

    service: str
    full_name: str
    headline: str
    status: str
    changelog: tuple[str, ...] | None
    methods: tuple[MethodEntry, ...]
    findings: tuple[FindingEntry, ...]
    other_changes: int

    def count(self, status: str) -> int:
        return sum(method.status == status for method in self.methods)

    def findings_of(self, severity: Severity) -> tuple[FindingEntry, ...]:
        return tuple(finding for finding in self.findings if finding.severity is severity)

    def findings_for(self, method: str) -> tuple[FindingEntry, ...]:
        return tuple(finding for finding in self.findings if method in finding.operations)

    def unlisted_findings(self) -> tuple[FindingEntry, ...]:
        """The findings above info that reach none of the service's listed methods (a
        waiter's, a constraint's on a method whose request and response did not change):
        no method's section shows them."""
        listed = {method.name for method in self.methods}
        return tuple(
            finding
            for finding in self.findings
            if finding.severity is not Severity.INFO and listed.isdisjoint(finding.operations)
        )

    def anchor(self, method: str) -> str:
        """The anchor of an api method on this service's page."""
        names = tuple(entry.name for entry in self.methods)
        anchors = _anchors(names)
        if method in anchors:
            return anchors[method]
        return urls.method_slugs([*names, method])[method]


@cache
def _caller_advice(rule: str, sides: tuple[str, ...]) -> str:
    # A page lists thousands of findings, of a few dozen rules and sides: each advice is
    # chosen once.
    return RULES_BY_ID[rule].advice_for(Perspective.SDK, frozenset(sides))


@lru_cache(maxsize=4096)
def _anchors(names: tuple[str, ...]) -> dict[str, str]:
    # A page asks for the anchors of a service's methods once a method (a history page, once
    # a release that changed it): made once, not once a method.
    return urls.method_slugs(names)


@dataclass(frozen=True, slots=True)
class ReleaseEntry:
    """One release pair of the site: the release, the one it is compared with, and where
    both came from (so a stored Report is reused only for the same sources)."""

    version: str
    old_version: str
    date: dt.date | None
    old_spec: str
    new_spec: str
    services: tuple[ServiceEntry, ...]
    unchanged: int

    @property
    def breaking(self) -> int:
        return sum(len(service.findings_of(Severity.BREAKING)) for service in self.services)

    def count(self, status: str) -> int:
        return sum(service.count(status) for service in self.services)


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every release of the site, oldest first, and the layout its pages were written with."""

    layout: str
    releases: tuple[ReleaseEntry, ...] = ()

    def with_release(self, release: ReleaseEntry) -> Catalog:
        kept = [entry for entry in self.releases if entry.version != release.version]
        ordered = sorted([*kept, release], key=lambda entry: version_key(entry.version))
        return Catalog(self.layout, tuple(ordered))

    def release(self, version: str) -> ReleaseEntry | None:
        return next((entry for entry in self.releases if entry.version == version), None)


def release_entry(report: Report) -> ReleaseEntry:
    """The catalog's summary of one release pair's Report."""
    old, new = report.old, report.new
    for side in (old, new):
        if side.version is None:
            raise SiteError(side.spec, "a site needs releases with a botocore version")
    assert old.version is not None and new.version is not None
    return ReleaseEntry(
        version=new.version,
        old_version=old.version,
        date=new.released,
        old_spec=old.spec,
        new_spec=new.spec,
        services=tuple(_service_entry(service) for service in report.services),
        unchanged=len(report.unchanged_services),
    )


def _service_entry(service: ServiceReport) -> ServiceEntry:
    if service.old_api_version is None:
        status = "new"
    elif service.new_api_version is None:
        status = "removed"
    else:
        status = "changed"
    methods = []
    for block in method_blocks(service):
        changes = block.changes
        methods.append(
            MethodEntry(
                name=block.operation.name,
                status=block.status,
                where=changes.where if changes else None,
                deltas=tuple(
                    DeltaBlock(section.heading, section.lines) for section in changes.sections
                )
                if changes
                else (),
                marks=changes.marks if changes else (),
            )
        )
    return ServiceEntry(
        service=service.service,
        full_name=service.full_name,
        headline=headline(service),
        status=status,
        changelog=service.changelog,
        methods=tuple(methods),
        findings=tuple(_finding_entry(service.service, record) for record in service.changes),
        other_changes=len(other_changes(service)),
    )


def _finding_entry(service: str, record: ChangeRecord) -> FindingEntry:
    finding = Finding(service, record, record.severity[Perspective.SDK], Perspective.SDK)
    # A stored Report may hold a rule this apidiff no longer has: its finding keeps the
    # model's wording, and no advice.
    known = record.rule in RULES_BY_ID
    return FindingEntry(
        rule=record.rule,
        severity=finding.severity,
        stubber=record.severity[Perspective.STUBBER],
        wire=record.severity[Perspective.WIRE],
        message=finding.message if known else record.change.description,
        where=finding.where,
        sides=tuple(sorted(finding.sides)) if known else (),
        operations=finding.operations,
    )


@cache
def _converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_structure_hook(dt.date, lambda value, _type: dt.date.fromisoformat(value))
    return converter


def catalog_to_json(catalog: Catalog) -> bytes:
    document = {"catalog_format": CATALOG_FORMAT, **_converter().unstructure(catalog)}
    text: bytes = orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    return text


def load_catalog(path: Path) -> Catalog | None:
    """The stored catalog, or None where there is none. One of another format is made again
    from the Reports stored beside it, under no layout, so that every page is written again
    (taken for no catalog, a site would keep only the releases a build names)."""
    try:
        document: Any = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise SiteError(str(path), f"cannot be read: {error}") from None
    if not isinstance(document, dict):
        return None
    if document.pop("catalog_format", None) != CATALOG_FORMAT:
        stored = sorted(report for report in path.parent.glob("*.json") if report != path)
        releases = (release_entry(load_report(report)) for report in stored)
        return Catalog("", tuple(sorted(releases, key=lambda entry: version_key(entry.version))))
    try:
        return _converter().structure(document, Catalog)
    except (cattrs.BaseValidationError, ValueError, KeyError, TypeError) as error:
        raise SiteError(str(path), f"not a site catalog: {error}") from None
