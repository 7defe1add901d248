"""Fixtures for the sources' tests: a package index on loopback, and fetch settings for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from apidiff.sources.pypi import FetchSettings, PackageIndex
from tests.sources.local_index import LocalIndex, serve, standard_releases

# Small enough to keep the suite fast, large enough for a loopback server to answer in time.
TIMEOUT = 0.5


@pytest.fixture
def index() -> Iterator[LocalIndex]:
    """A package index on 127.0.0.1 holding the standard test releases."""
    local = LocalIndex()
    for release in standard_releases():
        local.add(release)
    with serve(local) as served:
        yield served


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def settings(index: LocalIndex, cache_dir: Path) -> FetchSettings:
    return FetchSettings(
        cache_dir=cache_dir, index_url=index.url, timeout=TIMEOUT, retries=2, backoff=0.01
    )


@pytest.fixture
def packages(settings: FetchSettings) -> PackageIndex:
    return PackageIndex(settings)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy configured on the machine must not stand between the tests and loopback."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("APIDIFF_OFFLINE", raising=False)
