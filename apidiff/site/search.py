"""The site's search index: Pagefind (the `pagefind[bin]` package ships its binary), in
bundles of a few releases each.

The service pages of releases (they carry `data-pagefind-body`, with filters by service, kind
of change and severity) are indexed into bundles under `pagefind/`, each only when a release
of it was written anew: adding a release indexes that release alone, and an index takes the
memory of a few releases, never of the site. The search page loads the newest bundle and
merges the others into it (Pagefind's `mergeIndex`); filters are merged across bundles.

A release has a bundle of its own (`pagefind/1.44.8/`) until the ten releases around it are
complete (a release after 1.44.9 exists): then the ten share one (`pagefind/1.44.0-9/`),
indexed once, so a site of a thousand releases asks the browser for a hundred-odd bundles.

Pagefind writes its filters in the order of a hash map seeded at random, so two runs over the
same pages give different filter files (and names). Each bundle is made byte-stable here: the
filters are put in order by name and their files named after their content.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import importlib.util
import json
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2

from apidiff.site import urls
from apidiff.site.errors import SiteError
from apidiff.sources.pypi import version_key

# What the browser needs besides an index: loaded once, from the newest bundle.
RUNTIME_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.en.pagefind", "wasm.unknown.pagefind")
BUNDLE_ENTRY = "pagefind-entry.json"
_DATA_FOLDERS = ("index/", "fragment/", "filter/")
_SIGNATURE = b"pagefind_dcd"
_SEARCHED_DEPTH = 4  # releases/1.44.8/sagemaker/index.html
_DOCUMENTATION = b'<details class="documentation'
_GROUP = 10  # releases that share a bundle once complete: 1.44.0 to 1.44.9
_META_FILTERS = 3  # the meta's fields: version, pages, index chunks, filters, sorts, meta fields


@dataclass(frozen=True, slots=True)
class BundlePlan:
    """A bundle of the site and the releases (with service pages) it indexes."""

    name: str
    versions: tuple[str, ...]

    @property
    def folder(self) -> str:
        return bundle_folder(self.name)


def plan_bundles(versions: Sequence[str]) -> tuple[BundlePlan, ...]:
    """The bundles of releases (those with service pages), oldest first."""
    ordered = sorted(versions, key=version_key)
    newest = version_key(ordered[-1]) if ordered else ()
    sealed: dict[str, list[str]] = {}
    plans: list[BundlePlan] = []
    for version in ordered:
        decade = _decade(version)
        if decade is not None and newest > (*decade[:2], decade[2] + _GROUP - 1):
            name = f"{decade[0]}.{decade[1]}.{decade[2]}-{decade[2] + _GROUP - 1}"
            if name not in sealed:
                sealed[name] = []
                plans.append(BundlePlan(name, ()))
            sealed[name].append(version)
        else:
            plans.append(BundlePlan(version, (version,)))
    return tuple(
        BundlePlan(plan.name, tuple(sealed[plan.name])) if plan.name in sealed else plan
        for plan in plans
    )


def _decade(version: str) -> tuple[int, int, int] | None:
    numbers = version_key(version)
    if len(numbers) != 3 or ".".join(map(str, numbers)) != version:
        return None
    return numbers[0], numbers[1], numbers[2] - numbers[2] % _GROUP


@dataclass(frozen=True, slots=True)
class SearchBundle:
    """One release's index: its data files, and the runtime files Pagefind wrote with them
    (the same for every bundle of one Pagefind version), by path inside the bundle."""

    data: dict[str, bytes]
    runtime: dict[str, bytes]


def search_available() -> bool:
    return importlib.util.find_spec("pagefind_bin") is not None


def bundle_folder(version: str) -> str:
    return urls.search_bundle_url(version).strip("/")


def is_bundle_data(name: str) -> bool:
    """A file of a bundle's index, not of the runtime (which only the newest bundle holds)."""
    return name == BUNDLE_ENTRY or name.endswith(".pf_meta") or name.startswith(_DATA_FOLDERS)


def is_searched_page(relative: str) -> bool:
    """Whether Pagefind reads a page of the site: those of a release's services. (Each
    release's breaking page is one too, but Pagefind leaves out pages without
    `data-pagefind-body`.)"""
    parts = relative.split("/")
    return len(parts) == _SEARCHED_DEPTH and parts[0] == "releases" and parts[-1] == "index.html"


def lean_page(page: bytes) -> bytes:
    """A page without the content of its methods' documentation, which Pagefind leaves out
    of the index (`data-pagefind-ignore`) but must still read: most of a service page's
    bytes. Pagefind indexes the lean page into the same bundle as the page."""
    pieces = []
    at = 0
    while (start := page.find(_DOCUMENTATION, at)) >= 0:
        inside = page.index(b">", start) + 1
        pieces.append(page[at:inside])
        at = _closing_tag(page, inside)
    pieces.append(page[at:])
    return b"".join(pieces)


def _closing_tag(page: bytes, inside: int) -> int:
    """Where the `</details>` that closes the element whose content starts at `inside` is
    (documentation may hold elements of its own of that name)."""
    depth, at = 1, inside
    while True:
        closing = page.find(b"</details>", at)
        if closing < 0:
            return len(page)
        opening = page.find(b"<details", at, closing)
        if opening >= 0:
            depth, at = depth + 1, opening + len(b"<details")
            continue
        depth -= 1
        if depth == 0:
            return closing
        at = closing + len(b"</details>")


def index_bundle(root: Path, plan: BundlePlan) -> SearchBundle:
    """Index the service pages of a bundle's releases in `root` (the pages copied for
    Pagefind, with the paths they have in the site)."""
    releases = plan.versions[0] if len(plan.versions) == 1 else "{" + ",".join(plan.versions) + "}"
    with tempfile.TemporaryDirectory(prefix="apidiff-search-") as scratch:
        _run_pagefind(
            [
                "--site",
                str(root),
                "--glob",
                f"releases/{releases}/*/index.html",
                "--output-path",
                scratch,
                "--force-language",
                "en",
                "--quiet",
            ]
        )
        written = {
            str(path.relative_to(scratch)): path.read_bytes()
            for path in sorted(Path(scratch).rglob("*"))
            if path.is_file()
        }
    return SearchBundle(
        data=stable_bundle({name: data for name, data in written.items() if is_bundle_data(name)}),
        runtime={name: written[name] for name in RUNTIME_FILES if name in written},
    )


def _run_pagefind(arguments: list[str]) -> None:
    if not search_available():
        raise SiteError("pagefind", "the search index needs pagefind: pip install 'pagefind[bin]'")
    executable = str(importlib.import_module("pagefind_bin").get_executable())
    finished = subprocess.run([executable, *arguments], capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        reason = (finished.stderr or finished.stdout).strip().splitlines()
        raise SiteError("pagefind", reason[-1] if reason else f"exit {finished.returncode}")


def stable_bundle(files: dict[str, bytes]) -> dict[str, bytes]:
    """A bundle whose filters are in order, named after their content: the same pages give
    the same bytes whatever order Pagefind wrote them in."""
    entry = json.loads(files[BUNDLE_ENTRY])
    stable = dict(files)
    for language, about in entry["languages"].items():
        meta_name = f"pagefind.{about['hash']}.pf_meta"
        meta = _decode(stable.pop(meta_name))
        filters = []
        for name, old_hash in sorted(_filters_of(meta, entry)):
            chunk = _decode(stable.pop(f"filter/{old_hash}.pf_filter"))
            if not (isinstance(chunk, list) and len(chunk) == 2 and _is_pairs(chunk[1])):
                raise _unknown_layout(entry)
            chunk = [chunk[0], sorted(chunk[1], key=lambda value: value[0])]
            digest, encoded = _encode(chunk)
            new_hash = f"{language}_{digest[:7]}"
            stable[f"filter/{new_hash}.pf_filter"] = encoded
            filters.append([name, new_hash])
        meta[_META_FILTERS] = filters
        digest, encoded = _encode(meta)
        about["hash"] = f"{language}_{digest[:10]}"
        stable[f"pagefind.{about['hash']}.pf_meta"] = encoded
    stable[BUNDLE_ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return dict(sorted(stable.items()))


def _filters_of(meta: Any, entry: Any) -> list[list[str]]:
    """The (name, file hash) of each filter, from the meta file of a bundle."""
    if not isinstance(meta, list) or len(meta) <= _META_FILTERS:
        raise _unknown_layout(entry)
    found: Any = meta[_META_FILTERS]
    if not _is_pairs(found) or not all(isinstance(pair[1], str) for pair in found):
        raise _unknown_layout(entry)
    return list(found)


def _is_pairs(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str) for pair in value
    )


def _unknown_layout(entry: Any) -> SiteError:
    return SiteError(
        "pagefind",
        f"wrote an index of a layout this apidiff does not know (Pagefind {entry.get('version')})",
    )


def _decode(data: bytes) -> Any:
    plain = gzip.decompress(data)
    if not plain.startswith(_SIGNATURE):
        raise SiteError("pagefind", "wrote an index file of a format this apidiff does not know")
    return cbor2.loads(plain[len(_SIGNATURE) :])


def _encode(value: Any) -> tuple[str, bytes]:
    """The digest of a value's file content, and the file (compressed, without a timestamp)."""
    plain = _SIGNATURE + cbor2.dumps(value)
    return hashlib.sha256(plain).hexdigest(), gzip.compress(plain, mtime=0)
