"""Stage one: find and read model files, and say where they came from.

`open_source` turns what the user typed into a `ModelSource`:
- a path to a `service-2.json[.gz]`, or a folder in botocore's `data/` layout;
- a path to a botocore wheel (`botocore-1.44.8-py3-none-any.whl`), read without installing it;
  a zip file is read as a wheel whatever its name ends with;
- `botocore==X.Y.Z`: that release's wheel from the package index (cached, see `pypi.py`), or
  a range (`botocore>=1.44,<1.45`): the newest release it admits;
- `boto3==X.Y.Z` (or a range): the botocore release that boto3 release was built for;
- `installed`: the botocore importable in the running Python;
- `bundled:<name>`: a folder of `models/` shipped with apidiff (`bundled:botocore-1.20.41`);
- `lock:PATH[@GITREF]`: the botocore release a lock or requirements file resolves, as it is
  or at a git ref (`lock:uv.lock@origin/main`; see `lock.py`).

A file or folder that exists is read as one even where its name reads as a release
(`botocore==1.0`): the user who made it and typed its name means it, and the release is
still reachable as ` botocore == 1.0` or `botocore===1.0`.
"""

from __future__ import annotations

from pathlib import Path

from apidiff.errors import SourceError
from apidiff.resources import models_dir
from apidiff.sources.base import ChangelogEntry, ModelFile, ModelSource, ServiceFiles, same_content
from apidiff.sources.installed import InstalledSource
from apidiff.sources.local import STDIN_SPECS, DirectorySource, FileSource, open_stdin
from apidiff.sources.pypi import (
    RELEASE_PACKAGES,
    PackageIndex,
    ReleaseRequirement,
    parse_plain_pin,
    parse_requirement,
)
from apidiff.sources.wheel import WheelSource

BUNDLED_PREFIX = "bundled:"
LOCK_PREFIX = "lock:"
INSTALLED = "installed"


def open_source(spec: str, index: PackageIndex | None = None) -> ModelSource:
    """The source a spec names. `index` fetches releases; by default one configured from
    the environment (APIDIFF_PYPI_URL, APIDIFF_CACHE_DIR, APIDIFF_OFFLINE, ...)."""
    if spec in STDIN_SPECS:
        return open_stdin(spec)
    if spec.startswith(BUNDLED_PREFIX):
        return _open_bundled(spec)
    if spec == INSTALLED:
        return InstalledSource(spec)
    if spec.startswith(LOCK_PREFIX):
        # Imported here: only a lock: source needs TOML, JSON and git.
        from apidiff.sources.lock import open_lock

        return open_lock(spec, index or PackageIndex.from_environment())
    path = Path(spec).expanduser()
    if path.is_file():
        return _open_file(path, spec)
    if path.is_dir():
        return DirectorySource(path, spec)
    pin = parse_plain_pin(spec)
    if pin is not None:
        package, version = pin
        return _open_release(spec, package, version, index or PackageIndex.from_environment())
    requirement = parse_requirement(spec)
    if requirement is not None:
        index = index or PackageIndex.from_environment()
        return _open_release(spec, requirement.package, index.resolve(requirement, spec), index)
    if spec.strip().lower() in RELEASE_PACKAGES:
        raise SourceError(
            spec,
            f"no such file or directory (a release is {spec.strip()}==X.Y.Z"
            f" or a range such as '{spec.strip()}>=X.Y')",
        )
    raise SourceError(spec, "no such file or directory")


def previous_release(spec: str, source: ModelSource, index: PackageIndex) -> str:
    """The spec of the release just before the one `spec` names (opened as `source`).

    A boto3 release is followed by boto3's previous release; anything else with a botocore
    version (a release, a wheel, `installed`) by botocore's.
    """
    requirement = _release_requirement(spec)
    version: str | None
    if requirement is not None and requirement.package == "boto3":
        package, version = "boto3", index.resolve(requirement, spec)
    else:
        package, version = "botocore", source.provenance.version
    if version is None:
        raise SourceError(
            spec, "its botocore version is unknown, so the release before it cannot be found"
        )
    return f"{package}=={index.previous_version(package, version, spec)}"


def bundled_names() -> tuple[str, ...]:
    root = models_dir()
    return tuple(
        sorted(child.name for child in root.iterdir() if (child / "provenance.json").is_file())
    )


def _open_bundled(spec: str) -> ModelSource:
    name = spec.removeprefix(BUNDLED_PREFIX)
    if name not in bundled_names():
        raise SourceError(
            spec, f"no bundled models of that name (have: {', '.join(bundled_names())})"
        )
    return DirectorySource(models_dir() / name, spec)


def _open_file(path: Path, spec: str) -> ModelSource:
    # A wheel is a zip whatever its name: one renamed to .zip, or saved without a suffix,
    # is read by its content. A .whl that is no zip goes to WheelSource for its error.
    # zipfile is imported here, for a file named, not by every run that reads a release.
    import zipfile

    if path.suffix == ".whl" or zipfile.is_zipfile(path):
        return WheelSource.from_path(path, spec)
    return FileSource(path, spec)


def _release_requirement(spec: str) -> ReleaseRequirement | None:
    """The release `spec` names, where it names one and no existing path."""
    return None if Path(spec).expanduser().exists() else parse_requirement(spec)


def _open_release(spec: str, package: str, version: str, index: PackageIndex) -> ModelSource:
    if package == "boto3":
        version = index.botocore_version_of_boto3(version, spec)
    return index.open_botocore(version, spec)


__all__ = [
    "ChangelogEntry",
    "ModelFile",
    "ModelSource",
    "PackageIndex",
    "ServiceFiles",
    "open_source",
    "previous_release",
    "same_content",
]
