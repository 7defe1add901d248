"""History pages written on every core are the pages written in one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from apidiff import parallel
from apidiff.site import pages
from apidiff.site.build import build_site
from apidiff.site.catalog import load_catalog
from apidiff.site.pairs import ReleasePair
from apidiff.sources import PackageIndex

PAIRS = (
    ReleasePair("bundled:botocore-1.20.40", "bundled:botocore-1.20.41"),
    ReleasePair("bundled:botocore-1.44.7", "bundled:botocore-1.44.8"),
)


@pytest.mark.skipif(not parallel.can_fork(), reason="pages are written in processes on Linux")
def test_history_pages_written_in_processes_are_the_pages_written_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    build_site(site, PAIRS, PackageIndex.from_environment(offline=True), search=False)
    catalog = load_catalog(site / "reports" / "catalog.json")
    assert catalog is not None
    forked: list[int] = []
    ordered_map = parallel.ordered_map

    def counted(*arguments, **options):  # type: ignore[no-untyped-def]
        forked.append(options["processes"])
        return ordered_map(*arguments, **options)

    monkeypatch.setattr(pages, "ordered_map", counted)
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "2")
    monkeypatch.setattr(pages, "_HISTORY_PAGES_WORTH_FORKING", 10**9)
    alone = list(pages.catalog_pages(catalog))
    monkeypatch.setattr(pages, "_HISTORY_PAGES_WORTH_FORKING", 0)
    spread = list(pages.catalog_pages(catalog))
    assert forked == [1, 2]
    assert len(alone) > 20 and spread == alone
