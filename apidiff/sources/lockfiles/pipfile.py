"""Pipfile.lock (pipenv): JSON whose `default` and `develop` sections map each package to
what was locked, `"version": "==1.35.10"` for a package from an index."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apidiff.errors import SourceError
from apidiff.sources.lockfiles.versions import StatedVersion, release_package, stated_by_specifier

SECTIONS = ("default", "develop")
# The keys of an entry that came from elsewhere than an index (an editable one has one too).
_ORIGINS = ("git", "path", "file")


def stated_in_pipfile_lock(document: Any, file: str) -> tuple[StatedVersion, ...]:
    if not isinstance(document, dict) or not any(section in document for section in SECTIONS):
        raise SourceError(file, "not a Pipfile.lock: it has no default or develop section")
    stated = []
    for section in SECTIONS:
        packages = document.get(section, {})
        if not isinstance(packages, dict):
            raise SourceError(file, f"its {section!r} section is not an object")
        for name, entry in packages.items():
            package = release_package(name)
            if package is not None:
                stated.append(_stated(package, entry, file))
    return tuple(stated)


def _stated(package: str, entry: Mapping[str, Any], file: str) -> StatedVersion:
    if not isinstance(entry, dict):
        raise SourceError(file, f"its entry for {package} is not an object")
    for origin in _ORIGINS:
        if origin in entry:
            raise SourceError(
                file, f"{package} comes from {origin} {entry[origin]}, not from a package index"
            )
    version = entry.get("version")
    if not isinstance(version, str):
        raise SourceError(file, f"its entry for {package} has no version")
    return stated_by_specifier(package, version, file)
