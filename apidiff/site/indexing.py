"""A build's search bundles, indexed while the build writes the rest of the site.

Pagefind reads a copy of the releases' service pages of its own, in a scratch folder, without
each method's documentation (which it leaves out of the index anyway, see `lean_page`): a
tenth of the bytes, the same index. The build puts each release's pages there as it writes
them; once every release is in, the bundles to index are known and a thread runs Pagefind
(a process of its own, so the wait costs the build nothing) while the pages that span
releases are written. The thread only returns what it indexed: the build writes it into the
site.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from apidiff.site.catalog import Catalog
from apidiff.site.search import (
    BUNDLE_ENTRY,
    RUNTIME_FILES,
    BundlePlan,
    SearchBundle,
    index_bundle,
    is_bundle_data,
    is_searched_page,
    lean_page,
    plan_bundles,
)
from apidiff.site.staging import StagedSite

# Called with (what is being done, done, total) while the build waits for an index.
NoteCallback = Callable[[str, int, int], None]


class SearchIndexing:
    """The bundles of a site: those carried over as they were, and those being indexed."""

    def __init__(self) -> None:
        self._pages = Path(tempfile.mkdtemp(prefix="apidiff-search-"))
        self._written: set[str] = set()  # releases whose pages this build wrote
        self._copied: set[str] = set()  # releases whose pages Pagefind has
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="apidiff-search")
        self._plans: tuple[BundlePlan, ...] = ()
        self._pending: list[tuple[BundlePlan, Future[SearchBundle]]] = []

    def add_page(self, relative: str, page: bytes) -> None:
        """Take a page the build writes: a release's service page is copied for Pagefind."""
        if is_searched_page(relative):
            version = relative.split("/", 2)[1]
            self._written.add(version)
            self._copied.add(version)
            self._copy(relative, page)

    def start(self, site: StagedSite, catalog: Catalog) -> None:
        """Carry over the bundles none of whose releases was written anew (where the live
        site holds them), and start indexing the others, one at a time."""
        self._plans = plan_bundles(
            [release.version for release in catalog.releases if release.services]
        )
        for plan in self._plans:
            live = site.live_file(f"{plan.folder}/{BUNDLE_ENTRY}").is_file()
            if live and not self._written.intersection(plan.versions):
                site.keep(plan.folder, only=is_bundle_data)
                continue
            self._pending.append((plan, self._submit(site, plan)))

    def finish(self, site: StagedSite, note: NoteCallback | None = None) -> None:
        """Write the bundles indexed into the site, and the runtime into the newest one."""
        runtime: dict[str, bytes] = {}
        for number, (plan, future) in enumerate(self._pending, start=1):
            if note is not None:
                note(f"indexing {plan.name} for search", number, len(self._pending))
            bundle = future.result()
            for name, data in bundle.data.items():
                site.write(f"{plan.folder}/{name}", data)
            runtime = bundle.runtime or runtime
        if not self._plans:
            return
        newest = self._plans[-1]
        if not runtime:
            folder = site.live_file(newest.folder)
            runtime = {
                name: (folder / name).read_bytes()
                for name in RUNTIME_FILES
                if (folder / name).is_file()
            }
        if set(runtime) != set(RUNTIME_FILES):
            bundle = self._submit(site, newest).result()
            for name, data in bundle.data.items():
                site.write(f"{newest.folder}/{name}", data)
            runtime = bundle.runtime
        for name, data in runtime.items():
            site.write(f"{newest.folder}/{name}", data)

    def close(self) -> None:
        """Stop: the bundles not started are dropped, the one being indexed is waited for,
        and the pages copied for Pagefind are removed."""
        self._executor.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._pages, ignore_errors=True)

    def _submit(self, site: StagedSite, plan: BundlePlan) -> Future[SearchBundle]:
        # A release of the bundle not written anew: its pages are the live site's.
        for version in plan.versions:
            if version not in self._copied:
                for page in sorted(site.live_file(f"releases/{version}").glob("*/index.html")):
                    self._copy(
                        f"releases/{version}/{page.parent.name}/index.html", page.read_bytes()
                    )
                self._copied.add(version)
        return self._executor.submit(index_bundle, self._pages, plan)

    def _copy(self, relative: str, page: bytes) -> None:
        target = self._pages / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(lean_page(page))
