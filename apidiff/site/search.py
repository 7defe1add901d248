"""The site's search index: Pagefind (the `pagefind[bin]` package ships its binary), one
bundle per release.

Each release's service pages (they carry `data-pagefind-body`, with filters by service, kind
of change and severity) are indexed into `pagefind/<version>/`, only when they were written
anew, so adding a release indexes that release alone and the memory an index takes is that
of one release. The search page loads the newest bundle and merges the others into it
(Pagefind's `mergeIndex`); filters are merged across bundles.

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

# What the browser needs besides an index: loaded once, from the newest release's bundle.
RUNTIME_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.en.pagefind", "wasm.unknown.pagefind")
BUNDLE_ENTRY = "pagefind-entry.json"
_DATA_FOLDERS = ("index/", "fragment/", "filter/")
_SIGNATURE = b"pagefind_dcd"
_META_FILTERS = 3  # the meta's fields: version, pages, index chunks, filters, sorts, meta fields


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


def index_release(root: Path, version: str, services: Sequence[str]) -> SearchBundle:
    """Index the service pages of one release of the site in `root`."""
    if not services:
        raise SiteError(version, "a release without service pages has nothing to index")
    pages = services[0] if len(services) == 1 else "{" + ",".join(services) + "}"
    with tempfile.TemporaryDirectory(prefix="apidiff-search-") as scratch:
        _run_pagefind(
            [
                "--site",
                str(root),
                "--glob",
                f"releases/{version}/{pages}/index.html",
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
        for name, old_hash in sorted(meta[_META_FILTERS]):
            chunk = _decode(stable.pop(f"filter/{old_hash}.pf_filter"))
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


def _decode(data: bytes) -> Any:
    plain = gzip.decompress(data)
    if not plain.startswith(_SIGNATURE):
        raise SiteError("pagefind", "wrote an index file of a format this apidiff does not know")
    return cbor2.loads(plain[len(_SIGNATURE) :])


def _encode(value: Any) -> tuple[str, bytes]:
    """The digest of a value's file content, and the file (compressed, without a timestamp)."""
    plain = _SIGNATURE + cbor2.dumps(value)
    return hashlib.sha256(plain).hexdigest(), gzip.compress(plain, mtime=0)
