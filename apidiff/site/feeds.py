"""Atom feeds of the site: every change, breaking changes only, and one per service.

A feed reaches back `FEED_DAYS` days from its newest release (not from the day of the build,
so the same site gives the same feeds), and says so in its subtitle. Entries link to the
pages; ids are tag URIs, so they stay the same wherever the site is served.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from apidiff.classify import Severity
from apidiff.site import urls
from apidiff.site.catalog import Catalog, ReleaseEntry, ServiceEntry

FEED_DAYS = 60
_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    release: ReleaseEntry
    service: ServiceEntry
    breaking_only: bool

    @property
    def id(self) -> str:
        kind = "breaking" if self.breaking_only else "changes"
        return f"tag:apidiff,2024:{kind}/{self.release.version}/{self.service.service}"

    @property
    def url(self) -> str:
        return urls.service_release_url(self.release.version, self.service.service)

    @property
    def updated(self) -> dt.date:
        return self.release.date or _EPOCH


@dataclass(frozen=True, slots=True)
class Feed:
    name: str
    title: str
    reach: str
    entries: tuple[FeedEntry, ...]

    @property
    def id(self) -> str:
        return f"tag:apidiff,2024:feed/{self.name}"

    @property
    def url(self) -> str:
        return urls.feed_url(self.name)

    @property
    def updated(self) -> dt.date:
        return max((entry.updated for entry in self.entries), default=_EPOCH)


def site_feeds(catalog: Catalog) -> Iterator[Feed]:
    releases = _within_reach(catalog)
    reach = _reach_text(releases)
    changes = [(release, service) for release in reversed(releases) for service in release.services]
    yield Feed(
        "all",
        "AWS API changes",
        reach,
        tuple(FeedEntry(release, service, False) for release, service in changes),
    )
    yield Feed(
        "breaking",
        "Breaking AWS API changes",
        reach,
        tuple(
            FeedEntry(release, service, True)
            for release, service in changes
            if service.findings_of(Severity.BREAKING)
        ),
    )
    names = sorted(
        {service.service for release in catalog.releases for service in release.services}
    )
    for name in names:
        yield Feed(
            name,
            f"AWS API changes: {name}",
            reach,
            tuple(
                FeedEntry(release, service, False)
                for release, service in changes
                if service.service == name
            ),
        )


def _within_reach(catalog: Catalog) -> tuple[ReleaseEntry, ...]:
    dated = [release.date for release in catalog.releases if release.date]
    if not dated:
        return catalog.releases
    since = max(dated) - dt.timedelta(days=FEED_DAYS)
    return tuple(release for release in catalog.releases if release.date and release.date >= since)


def _reach_text(releases: tuple[ReleaseEntry, ...]) -> str:
    if not releases:
        return "No release yet."
    first, last = releases[0], releases[-1]
    return (
        f"The {FEED_DAYS} days up to botocore {last.version} ({_date(last)}): releases from"
        f" botocore {first.version} ({_date(first)}) on. Older releases are on the site."
    )


def _date(release: ReleaseEntry) -> str:
    return release.date.isoformat() if release.date else "undated"
