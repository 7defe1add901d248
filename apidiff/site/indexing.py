"""A build's search bundles, indexed while the build writes the rest of the site.

Pagefind runs as a process of its own, so a thread that starts it and waits costs the build
nothing: the bundles are indexed as soon as every release's pages are in the staging folder,
while the pages that span releases (lists, histories, feeds) are written beside them. Pagefind
only reads the releases' folders, which nothing writes to by then; the thread only returns
what it indexed, and the build writes it into the site.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from apidiff.site.catalog import Catalog
from apidiff.site.search import (
    BUNDLE_ENTRY,
    RUNTIME_FILES,
    BundlePlan,
    SearchBundle,
    index_bundle,
    is_bundle_data,
    plan_bundles,
)
from apidiff.site.staging import StagedSite

# Called with (what is being done, done, total) while the build waits for an index.
NoteCallback = Callable[[str, int, int], None]


class SearchIndexing:
    """The bundles of a site: those carried over as they were, and those being indexed."""

    def __init__(self, site: StagedSite, catalog: Catalog, rendered: set[str]) -> None:
        """Carry over the bundles no release written anew is in (where the live site holds
        them), and start indexing the others, one at a time."""
        self._plans = plan_bundles(
            [release.version for release in catalog.releases if release.services]
        )
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="apidiff-search")
        self._pending: list[tuple[BundlePlan, Future[SearchBundle]]] = []
        # Pagefind reads the releases' folders: nothing of an older site may be left in them.
        # (Every release's pages are in by now; the list of releases, pruned too, comes later.)
        site.prune("releases")
        for plan in self._plans:
            live = site.live_file(f"{plan.folder}/{BUNDLE_ENTRY}").is_file()
            if live and not rendered.intersection(plan.versions):
                site.keep(plan.folder, only=is_bundle_data)
                continue
            self._pending.append((plan, self._executor.submit(index_bundle, site.root, plan)))

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
            bundle = index_bundle(site.root, newest)
            for name, data in bundle.data.items():
                site.write(f"{newest.folder}/{name}", data)
            runtime = bundle.runtime
        for name, data in runtime.items():
            site.write(f"{newest.folder}/{name}", data)

    def close(self) -> None:
        """Stop: the bundles not started are dropped, the one being indexed is waited for."""
        self._executor.shutdown(wait=True, cancel_futures=True)
