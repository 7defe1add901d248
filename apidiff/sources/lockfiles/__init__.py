"""The botocore release a project resolves, read out of its lock or requirements file.

The formats, told apart by the file's name, or by its content where the name is another:
- `uv.lock`, `poetry.lock`, `pdm.lock`: TOML, a `[[package]]` table per resolved package;
- `pylock.toml` (and `pylock.NAME.toml`, PEP 751): TOML, a `[[packages]]` table each;
- `Pipfile.lock`: JSON, its `default` and `develop` sections;
- `requirements*.txt` (any `.txt` or `.in`): pip's format, with `-r` and `-c` includes;
- `pyproject.toml`: the exact pins among the requirements it states.

The release is botocore's pin where the file pins botocore, else boto3's (which stands for
the botocore release that boto3 release was built for, as `boto3==X` does). A file that
names neither, names one only by a range, or pins one to two versions (a uv.lock forked by
environment markers, a requirements file pinning it per Python version) is an error:
one lock: source is one release.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from apidiff.errors import SourceError
from apidiff.sources.lockfiles.files import NotAtRefError, ProjectFiles
from apidiff.sources.lockfiles.package_tables import (
    pdm_origin,
    poetry_origin,
    pylock_origin,
    stated_in_packages,
    uv_origin,
)
from apidiff.sources.lockfiles.pipfile import stated_in_pipfile_lock
from apidiff.sources.lockfiles.pyproject import stated_in_pyproject
from apidiff.sources.lockfiles.requirements import stated_in_requirements
from apidiff.sources.lockfiles.versions import StatedVersion


class LockFormat(Enum):
    UV = "uv.lock"
    POETRY = "poetry.lock"
    PDM = "pdm.lock"
    PYLOCK = "pylock.toml"
    PIPENV = "Pipfile.lock"
    PYPROJECT = "pyproject.toml"
    REQUIREMENTS = "requirements file"


_REQUIREMENTS_SUFFIXES = (".txt", ".in")
_PROJECT_TABLES = ("project", "tool", "dependency-groups", "build-system")


@dataclass(frozen=True, slots=True)
class LockedRelease:
    """The release a file resolves: `package` is `botocore`, or `boto3` where the file pins
    boto3 and not botocore."""

    package: str
    version: str
    file: str
    format: LockFormat


def read_locked_release(path: Path, files: ProjectFiles) -> LockedRelease:
    """The release the file at `path` (now, or at `files.ref`) resolves; SourceError naming
    the file where it cannot be read or does not resolve exactly one."""
    lock_format, stated = _read_stated(path, files)
    package, version = chosen_release(stated, files.name(path))
    return LockedRelease(package, version, files.name(path), lock_format)


def format_by_name(name: str) -> LockFormat | None:
    for lock_format in LockFormat:
        if name == lock_format.value:
            return lock_format
    if name.endswith(_REQUIREMENTS_SUFFIXES):
        return LockFormat.REQUIREMENTS
    if name.startswith("pylock.") and name.endswith(".toml"):
        return LockFormat.PYLOCK
    return None


def chosen_release(stated: tuple[StatedVersion, ...], file: str) -> tuple[str, str]:
    """(package, version): botocore's one pinned version, else boto3's."""
    from packaging.version import Version

    for package in ("botocore", "boto3"):
        pinned = [mention for mention in stated if mention.package == package and mention.version]
        versions = sorted({mention.version for mention in pinned if mention.version}, key=Version)
        if len(versions) > 1:
            listed = ", ".join(
                version + _places([m for m in pinned if m.version == version], file)
                for version in versions
            )
            raise SourceError(
                file,
                f"{package} is pinned to {len(versions)} versions: {listed};"
                " a lock: source needs exactly one",
            )
        if versions:
            return package, versions[0]
    ranges = [mention for mention in stated if mention.version is None]
    if ranges:
        first = ranges[0]
        raise SourceError(
            file,
            f"{first.described} is a range, not an exact pin{_places([first], file)};"
            " pin botocore or boto3",
        )
    raise SourceError(file, "pins neither botocore nor boto3")


def _places(mentions: list[StatedVersion], file: str) -> str:
    """Where in `file` (or the files it includes) the mentions are, in parentheses; nothing
    where the file has no lines to name (a lock file's tables)."""
    places = sorted(
        {
            mention.place if mention.file != file else f"line {mention.line}"
            for mention in mentions
            if mention.file != file or mention.line
        }
    )
    return f" ({', '.join(places)})" if places else ""


def _read_stated(path: Path, files: ProjectFiles) -> tuple[LockFormat, tuple[StatedVersion, ...]]:
    lock_format = format_by_name(path.name)
    if lock_format is LockFormat.REQUIREMENTS:
        return lock_format, stated_in_requirements(path, files)
    name = files.name(path)
    text = files.read(path)
    if lock_format is LockFormat.PIPENV or (lock_format is None and text.lstrip()[:1] == "{"):
        return LockFormat.PIPENV, stated_in_pipfile_lock(_parsed_json(text, name), name)
    if lock_format is None and not _reads_as_toml(text):
        return LockFormat.REQUIREMENTS, stated_in_requirements(path, files)
    document = _parsed_toml(text, name)
    lock_format = lock_format or _format_by_content(document, name)
    if lock_format is LockFormat.PYPROJECT:
        return lock_format, stated_in_pyproject(document, name)
    if lock_format is LockFormat.PYLOCK:
        return lock_format, stated_in_packages(document, name, pylock_origin, key="packages")
    origin_of = {LockFormat.UV: uv_origin, LockFormat.POETRY: poetry_origin}.get(
        lock_format, pdm_origin
    )
    return lock_format, stated_in_packages(document, name, origin_of)


def _format_by_content(document: dict[str, Any], file: str) -> LockFormat:
    metadata = document.get("metadata")
    if isinstance(metadata, dict) and "lock-version" in metadata:
        return LockFormat.POETRY
    if isinstance(metadata, dict) and "lock_version" in metadata:
        return LockFormat.PDM
    if isinstance(document.get("version"), int) and "package" in document:
        return LockFormat.UV
    if "lock-version" in document and "packages" in document:
        return LockFormat.PYLOCK
    if any(table in document for table in _PROJECT_TABLES):
        return LockFormat.PYPROJECT
    known = ", ".join(lock_format.value for lock_format in LockFormat)
    raise SourceError(file, f"TOML, but none of the files a lock: source reads ({known})")


def _reads_as_toml(text: str) -> bool:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return True


def _parsed_toml(text: str, file: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SourceError(file, f"not valid TOML: {error}") from None


def _parsed_json(text: str, file: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(file, f"not valid JSON: {error}") from None


__all__ = [
    "LockFormat",
    "LockedRelease",
    "NotAtRefError",
    "ProjectFiles",
    "read_locked_release",
]
