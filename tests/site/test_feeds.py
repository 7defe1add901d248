"""The Atom feeds of a site parse as Atom, link to its pages and say how far back they reach."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apidiff.site import urls
from apidiff.site.build import build_site
from apidiff.site.pairs import ReleasePair
from apidiff.sources import PackageIndex

feedparser = pytest.importorskip("feedparser")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("feeds") / "site"
    pairs = (
        ReleasePair("bundled:botocore-1.20.40", "bundled:botocore-1.20.41"),
        ReleasePair("bundled:botocore-1.44.7", "bundled:botocore-1.44.8"),
    )
    build_site(out, pairs, PackageIndex.from_environment(offline=True))
    return out


def parsed(site: Path, name: str) -> Any:
    feed = feedparser.parse((site / urls.file_of(urls.feed_url(name))).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_the_all_feed_holds_the_releases_within_its_reach_newest_first(site: Path) -> None:
    feed = parsed(site, "all")
    # 1.20.41 is five years before 1.44.8: out of the 60 days' reach.
    assert [entry.link for entry in feed.entries] == [
        urls.service_release_url("1.44.8", service) for service in ("fsx", "route53", "wafv2")
    ]
    assert "60 days up to botocore 1.44.8 (2026-11-20)" in feed.feed.subtitle
    assert "new" in feed.entries[0].summary and "<p>" in feed.entries[0].summary


def test_a_service_feed_and_the_breaking_feed(site: Path) -> None:
    route53 = parsed(site, "route53")
    assert [entry.link for entry in route53.entries] == [
        urls.service_release_url("1.44.8", "route53")
    ]
    # The bundled 1.44.8 changes break nothing for Python callers: its breaking feed is empty.
    release = (site / urls.file_of(urls.release_url("1.44.8"))).read_text("utf-8")
    assert "breaking</span>" not in release
    assert parsed(site, "breaking").entries == []
    assert parsed(site, "sagemaker").entries == []


def test_the_breaking_feed_holds_the_services_with_breaking_changes(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # botocore 1.20.74 removed an api method of iotdeviceadvisor (ListTestCases): breaking;
    # its other changed services break nothing.
    out = tmp_path_factory.mktemp("breaking-feed") / "site"
    pair = ReleasePair("bundled:botocore-1.20.73", "bundled:botocore-1.20.74")
    build_site(out, (pair,), PackageIndex.from_environment(offline=True), search=False)
    every = parsed(out, "all")
    breaking = parsed(out, "breaking")
    assert len(every.entries) > len(breaking.entries)
    assert [entry.link for entry in breaking.entries] == [
        urls.service_release_url("1.20.74", "iotdeviceadvisor")
    ]
    entry = breaking.entries[0]
    assert entry.id == "tag:apidiff,2024:breaking/1.20.74/iotdeviceadvisor"
    assert "ListTestCases (removed)" in entry.summary
    assert "0 breaking changes" not in entry.summary and "breaking changes" in entry.summary
    assert (out / urls.file_of(entry.link)).is_file()
    assert "60 days up to botocore 1.20.74" in breaking.feed.subtitle
