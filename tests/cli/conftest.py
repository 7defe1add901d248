"""Fixtures of the command line's tests that read releases from a package index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sources.local_index import LocalIndex, serve, standard_releases


@pytest.fixture
def index(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LocalIndex]:
    """The standard test index, configured for apidiff through the environment."""
    local = LocalIndex()
    for release in standard_releases():
        local.add(release)
    with serve(local) as served:
        monkeypatch.setenv("APIDIFF_PYPI_URL", served.url)
        monkeypatch.setenv("APIDIFF_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.setenv("APIDIFF_TIMEOUT", "0.5")
        monkeypatch.setenv("APIDIFF_RETRIES", "1")
        monkeypatch.setenv("APIDIFF_BACKOFF", "0.01")
        monkeypatch.delenv("APIDIFF_OFFLINE", raising=False)
        monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
            monkeypatch.delenv(name, raising=False)
        yield served
