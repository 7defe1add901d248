"""Building a site: diff the release pairs not yet stored, then write the pages.

Each pair's Report is stored as JSON in the site's `reports/` folder, with the catalog that
sums them up. A re-run reuses every stored Report whose sources are the same, so it only
diffs new pairs; pages are written only where their bytes change (see staging.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from apidiff.compare import CompareOptions, ProgressCallback, compare_sources
from apidiff.report import Report
from apidiff.report.serialize import load_report, report_json_chunks
from apidiff.resources import templates_dir
from apidiff.site import urls
from apidiff.site.catalog import Catalog, ReleaseEntry, catalog_to_json, load_catalog, release_entry
from apidiff.site.errors import SiteError
from apidiff.site.indexing import SearchIndexing
from apidiff.site.pages import catalog_pages, layout_fingerprint, release_pages
from apidiff.site.pairs import ReleasePair
from apidiff.site.staging import MARKER, StagedSite, staged_site
from apidiff.sources import PackageIndex, open_source

REPORTS = "reports"
STATIC = "static"
_STATIC_FILES = ("site.css", "favicon.svg", "search.js")

# Called with (what is being done, done, total) as releases are diffed and pages written.
StepCallback = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class BuildSummary:
    """What a build did: releases diffed and held, pages written and kept as they were."""

    diffed: int
    releases: int
    written: int
    kept: int


def report_file(version: str) -> str:
    return f"{REPORTS}/{version}.json"


def build_site(
    out: Path,
    pairs: tuple[ReleasePair, ...],
    index: PackageIndex,
    *,
    from_reports: Path | None = None,
    step: StepCallback | None = None,
    comparing: ProgressCallback | None = None,
    search: bool = True,
) -> BuildSummary:
    """Build (or bring up to date) the site in `out` from release pairs or stored Reports."""
    layout = layout_fingerprint()
    with staged_site(out) as site:
        stored = None if from_reports else load_catalog(site.live_file(MARKER))
        catalog = stored if stored is not None else Catalog(layout)
        fresh = stored is None or stored.layout != layout
        rendered: set[str] = set()
        touched: set[str] = set()  # services whose history the releases written anew change
        reports = _stored_reports(from_reports) if from_reports else []
        for number, path in enumerate(reports, start=1):
            _note(step, f"reading {path.name}", number, len(reports))
            catalog = _add(site, catalog, load_report(path), rendered, touched)
        for number, pair in enumerate(pairs, start=1):
            known = _stored_pair(catalog, pair)
            if known is not None and not fresh:
                continue
            _note(step, f"diffing {pair.new}", number, len(pairs))
            if known is not None:
                report = load_report(site.live_file(report_file(known.version)))
            else:
                report = compare_sources(
                    open_source(pair.old, index),
                    open_source(pair.new, index),
                    CompareOptions(with_docs=True),
                    progress=comparing,
                )
            catalog = _add(site, catalog, report, rendered, touched)
        for number, release in enumerate(catalog.releases, start=1):
            if release.version in rendered:
                continue
            if fresh:
                _note(step, f"rewriting {release.version}", number, len(catalog.releases))
                report = load_report(site.live_file(report_file(release.version)))
                catalog = _add(site, catalog, report, rendered, touched)
            else:
                site.keep(f"releases/{release.version}")
                site.keep(report_file(release.version))
        catalog = Catalog(layout, catalog.releases)
        indexing = SearchIndexing(site, catalog, rendered) if search else None
        try:
            _note(step, "writing pages", 0, 1)
            _write_catalog_pages(
                site,
                catalog,
                search,
                set() if fresh else _services_of(catalog.releases) - touched,
            )
            for name in _STATIC_FILES:
                site.write(
                    f"{STATIC}/{name}", (templates_dir() / "site" / STATIC / name).read_bytes()
                )
            site.write(MARKER, catalog_to_json(catalog))
            if indexing is not None:
                indexing.finish(site, step)
        finally:
            if indexing is not None:
                indexing.close()
        _note(step, "writing pages", 1, 1)
        return BuildSummary(
            diffed=len(rendered),
            releases=len(catalog.releases),
            written=site.written,
            kept=site.kept,
        )


def _write_catalog_pages(
    site: StagedSite, catalog: Catalog, search: bool, kept_services: set[str]
) -> None:
    """The pages drawn from the catalog, but those of the service histories that no release
    written anew changes: those are carried over from the live site."""
    for service in sorted(kept_services):
        site.keep(urls.service_history_url(service).strip("/"))
    for relative, data in catalog_pages(
        catalog, search=search, kept_services=frozenset(kept_services)
    ):
        site.write(relative, data)


def _note(step: StepCallback | None, what: str, done: int, total: int) -> None:
    if step is not None:
        step(what, done, total)


def _stored_reports(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise SiteError(str(folder), "is not a folder of stored reports")
    found = sorted(path for path in folder.glob("*.json") if path.name != Path(MARKER).name)
    if not found:
        raise SiteError(str(folder), "holds no stored report (*.json)")
    return found


def _stored_pair(catalog: Catalog, pair: ReleasePair) -> ReleaseEntry | None:
    return next(
        (
            entry
            for entry in catalog.releases
            if entry.old_spec == pair.old and entry.new_spec == pair.new
        ),
        None,
    )


def _services_of(releases: tuple[ReleaseEntry, ...]) -> set[str]:
    return {service.service for release in releases for service in release.services}


def _add(
    site: StagedSite, catalog: Catalog, report: Report, rendered: set[str], touched: set[str]
) -> Catalog:
    """Store one release pair's Report, write its pages, and add it to the catalog;
    the services it changes (or, replacing a release, changed) have a new history."""
    entry = release_entry(report)
    replaced = catalog.release(entry.version)
    touched |= _services_of((entry,) if replaced is None else (entry, replaced))
    site.write_stream(
        report_file(entry.version), (chunk.encode() for chunk in report_json_chunks(report))
    )
    for relative, data in release_pages(report, entry):
        site.write(relative, data)
    rendered.add(entry.version)
    return catalog.with_release(entry)
