"""Lock files that list every resolved package as a `[[package]]` table with its name and
version: uv.lock, poetry.lock and pdm.lock, and PEP 751's pylock.toml (`[[packages]]`). They
differ in how a package that did not come from a package index says where it came from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from apidiff.errors import SourceError
from apidiff.sources.lockfiles.versions import StatedVersion, exact, release_package

# Where a package did not come from an index, what it came from instead (a git URL, a
# path), or None.
OriginReader = Callable[[Mapping[str, Any]], str | None]


def stated_in_packages(
    document: Mapping[str, Any], file: str, origin_of: OriginReader, key: str = "package"
) -> tuple[StatedVersion, ...]:
    """The botocore and boto3 versions of a lock file's `[[package]]` (or `key`) tables."""
    packages = document.get(key, [])
    if not isinstance(packages, list):
        raise SourceError(file, f"its `{key}` is not an array of tables")
    stated = []
    for entry in packages:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise SourceError(file, f"a [[{key}]] table without a name")
        package = release_package(entry["name"])
        if package is None:
            continue
        origin = origin_of(entry)
        if origin is not None:
            raise SourceError(file, f"{package} comes from {origin}, not from a package index")
        stated.append(exact(package, entry.get("version"), file))
    return tuple(stated)


def uv_origin(entry: Mapping[str, Any]) -> str | None:
    """uv's `source = { registry = ... }` is an index; git, url, path, directory, editable
    and virtual sources are not."""
    source = entry.get("source")
    if not isinstance(source, dict) or "registry" in source:
        return None
    return _described_origin(source)


def poetry_origin(entry: Mapping[str, Any]) -> str | None:
    """poetry's `[package.source]`, where there is one: type `legacy` (a private index) or
    `pypi` is an index; git, directory, file and url are not."""
    source = entry.get("source")
    if not isinstance(source, dict) or source.get("type") in (None, "legacy", "pypi"):
        return None
    return f"{source['type']} {source.get('url', '')}".rstrip()


def pdm_origin(entry: Mapping[str, Any]) -> str | None:
    """pdm writes a package from git, a path or a URL with that key beside its name."""
    return _described_origin({key: entry[key] for key in ("git", "path", "url") if key in entry})


def pylock_origin(entry: Mapping[str, Any]) -> str | None:
    """pylock.toml gives a package from elsewhere than an index a vcs, directory or archive
    table, each with a url or a path."""
    for kind in ("vcs", "directory", "archive"):
        source = entry.get(kind)
        if isinstance(source, dict):
            return f"{kind} {source.get('url') or source.get('path') or ''}".rstrip()
    return None


def _described_origin(source: Mapping[str, Any]) -> str | None:
    for kind, where in source.items():
        return f"{kind} {where}"
    return None
