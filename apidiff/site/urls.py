"""Where each page of the site lives: stable, readable paths, the same from build to build.

Every path is root-relative (`/releases/1.44.8/sagemaker/`): the site is served from the root
of its host. A page's file is its path plus `index.html`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

# Words of an api method name: "DescribeAutoMLJob" → Describe, Auto, ML, Job.
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def method_slug(name: str) -> str:
    """The anchor and path segment of an api method: `describe-auto-ml-job`."""
    return "-".join(word.lower() for word in _WORDS.findall(name)) or "method"


def method_slugs(names: Iterable[str]) -> dict[str, str]:
    """A unique anchor for each of `names`: its slug, or where several names share one (they
    differ only in case: GetApiKey, GetAPIKey), for each of those the slug and a digest of the
    exact name, which no other name changes."""
    groups: dict[str, list[str]] = {}
    for name in sorted(set(names)):
        groups.setdefault(method_slug(name), []).append(name)
    return {
        name: slug if len(group) == 1 else clashing_slug(name)
        for slug, group in groups.items()
        for name in group
    }


def clashing_slug(name: str) -> str:
    """The anchor of a name whose slug other names share."""
    return f"{method_slug(name)}-{hashlib.sha256(name.encode()).hexdigest()[:6]}"


def home_url() -> str:
    return "/"


def releases_url() -> str:
    return "/releases/"


def release_url(version: str) -> str:
    return f"/releases/{version}/"


def breaking_url(version: str) -> str:
    return f"/releases/{version}/breaking/"


def service_release_url(version: str, service: str) -> str:
    return f"/releases/{version}/{service}/"


def method_release_url(version: str, service: str, method: str, anchor: str | None = None) -> str:
    """The permalink of an api method on its service's page (`anchor`: where its slug clashes
    with another's on that page)."""
    return f"{service_release_url(version, service)}#{anchor or method_slug(method)}"


def services_url() -> str:
    return "/services/"


def service_history_url(service: str) -> str:
    return f"/services/{service}/"


def method_history_url(service: str, method: str, slug: str | None = None) -> str:
    """The history page of an api method (`slug`: where its slug clashes with another's)."""
    return f"/services/{service}/{slug or method_slug(method)}/"


def search_url() -> str:
    return "/search/"


def search_bundle_url(name: str) -> str:
    """The folder of a search index bundle (of a release, `1.44.8`, or ten, `1.44.0-9`)."""
    return f"/pagefind/{name}/"


def feed_url(name: str) -> str:
    """`all`, `breaking`, or a service's name."""
    if name in ("all", "breaking"):
        return f"/feeds/{name}.atom"
    return f"/feeds/services/{name}.atom"


def file_of(url: str) -> str:
    """The file, relative to the site's root, that serves a page's path."""
    path = url.split("#", 1)[0].lstrip("/")
    return path + "index.html" if not path or path.endswith("/") else path
