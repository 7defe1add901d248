"""Building a site: diff the release pairs not yet stored, then write the pages.

Each pair's Report is stored as JSON in the site's `reports/` folder (without indentation:
it is data, and a release's is tens of megabytes), with the catalog that sums them up. A
re-run reuses every stored Report whose sources are the same, so it only diffs new pairs;
pages are written only where their bytes change (see staging.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from apidiff.compare import CompareOptions, ProgressCallback, compare_sources
from apidiff.parallel import default_processes, ordered_map
from apidiff.report import Report, ServiceReport
from apidiff.report.serialize import load_report, report_json_chunks
from apidiff.resources import templates_dir
from apidiff.site.catalog import Catalog, ReleaseEntry, catalog_to_json, load_catalog, release_entry
from apidiff.site.errors import SiteError
from apidiff.site.indexing import SearchIndexing
from apidiff.site.pages import (
    catalog_pages,
    changed_histories,
    layout_fingerprint,
    load_service_page_templates,
    release_summary_pages,
    service_page,
)
from apidiff.site.pairs import ReleasePair
from apidiff.site.staging import MARKER, StagedSite, staged_site, write_chunks
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
        build = _Build(site, stored if stored is not None else Catalog(layout), search)
        fresh = stored is None or stored.layout != layout
        try:
            reports = _stored_reports(from_reports) if from_reports else []
            for number, path in enumerate(reports, start=1):
                _note(step, f"reading {path.name}", number, len(reports))
                build.add(load_report(path))
            for number, pair in enumerate(pairs, start=1):
                known = _stored_pair(build.catalog, pair)
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
                build.add(report)
            releases = build.catalog.releases
            for number, release in enumerate(releases, start=1):
                if release.version in build.rendered:
                    continue
                if fresh:
                    _note(step, f"rewriting {release.version}", number, len(releases))
                    build.add(load_report(site.live_file(report_file(release.version))))
                else:
                    site.keep(f"releases/{release.version}")
                    site.keep(report_file(release.version))
            catalog = Catalog(layout, build.catalog.releases)
            if build.indexing is not None:
                build.indexing.start(site, catalog)
            _note(step, "writing pages", 0, 1)
            rewritten = (
                None
                if fresh or stored is None
                else changed_histories(stored, catalog, build.changed)
            )
            for relative, data in catalog_pages(catalog, search=search, rewritten=rewritten):
                if data is None:
                    site.keep(relative)
                else:
                    site.write(relative, data)
            for name in _STATIC_FILES:
                site.write(
                    f"{STATIC}/{name}", (templates_dir() / "site" / STATIC / name).read_bytes()
                )
            site.write(MARKER, catalog_to_json(catalog))
            if build.indexing is not None:
                build.indexing.finish(site, step)
        finally:
            if build.indexing is not None:
                build.indexing.close()
        _note(step, "writing pages", 1, 1)
        return BuildSummary(
            diffed=len(build.rendered),
            releases=len(catalog.releases),
            written=site.written,
            kept=site.kept,
        )


class _Build:
    """What one build has done so far: the catalog, the releases written anew (and the
    entries they replace), and the search index's copy of their pages."""

    def __init__(self, site: StagedSite, catalog: Catalog, search: bool) -> None:
        self.site = site
        self.catalog = catalog
        self.rendered: set[str] = set()
        self.changed: list[ReleaseEntry] = []
        self.indexing = SearchIndexing() if search else None

    def add(self, report: Report) -> None:
        """Store one release pair's Report, write its pages, and add it to the catalog; its
        entry (and the one it replaces) change the histories of what they hold."""
        entry = release_entry(report)
        replaced = self.catalog.release(entry.version)
        self.changed.extend((entry,) if replaced is None else (entry, replaced))
        for relative, data in _release_files(self.site, report, entry):
            self.site.write(relative, data)
            if self.indexing is not None:
                self.indexing.add_page(relative, data)
        self.rendered.add(entry.version)
        self.catalog = self.catalog.with_release(entry)


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


# Syntax lines of a release's methods below which its pages are written in this process:
# starting the processes (a tenth of a second or more) would cost more than they save.
_WORTH_FORKING = 4000

# A job of a release's files: its page of a service (file, bytes), or its stored Report,
# which the job writes into the staging folder itself (the digest of what it wrote).
_FileJob = Callable[[], tuple[str, bytes] | str]


def _release_files(
    site: StagedSite, report: Report, entry: ReleaseEntry
) -> Iterator[tuple[str, bytes]]:
    """Store a release's Report and make the pages of the services it changed, on every core
    (forked processes, see apidiff/parallel.py); then its own pages. The pages come as they
    are made, in order; the Report is taken into the site once it is written."""
    stored = report_file(entry.version)
    target = site.reserve(stored)
    jobs: list[_FileJob] = [functools.partial(_store_report, target, report)]
    jobs.extend(
        functools.partial(service_page, report, entry, number)
        for number in range(len(report.services))
    )
    sizes = [_syntax_lines(service) for service in report.services]
    load_service_page_templates()
    processes = default_processes() if sum(sizes) >= _WORTH_FORKING else 1
    # The Report is the largest job (it holds every service's documentation): started first.
    made = ordered_map(_run, jobs, processes=processes, sizes=[sum(sizes) + 1, *sizes])
    for result in made:
        if isinstance(result, str):
            site.settle(stored, result)
        else:
            yield result
    yield from release_summary_pages(entry)


def _run(job: _FileJob) -> tuple[str, bytes] | str:
    return job()


def _store_report(target: Path, report: Report) -> str:
    chunks = report_json_chunks(report, compact=True)
    return write_chunks(target, (chunk.encode() for chunk in chunks))


def _syntax_lines(service: ServiceReport) -> int:
    """How long a service's page takes to write, roughly: the lines of its methods' Request
    and Response Syntax, and one for each method."""
    return sum(
        1
        + len(operation.documentation.request_syntax or ())
        + len(operation.documentation.response_syntax or ())
        if operation.documentation
        else 1
        for operation in (
            *service.new_operations,
            *service.updated_operations,
            *service.removed_operations,
        )
    )
