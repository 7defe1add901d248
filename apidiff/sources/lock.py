"""`lock:PATH[@GITREF]`: the botocore release a project's lock file resolves.

PATH is a lock or requirements file (see `lockfiles`); with `@GITREF` it is read as it was
at that commit, branch or tag (out of git, in the file's repository: no checkout, no
network), and so are the files it includes. The release is then opened as `botocore==X`
is, from the same package index and cache. The wheel is fetched only when a model is read,
so a check that finds both sides the same release downloads nothing.

The ref follows the first `@` of what follows `lock:`, unless the whole is a file that
exists (a path holding `@` reads without a ref).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from apidiff.errors import SourceError
from apidiff.sources import LOCK_PREFIX
from apidiff.sources.base import ChangelogEntry, Provenance, ServiceFiles
from apidiff.sources.lockfiles import ProjectFiles, read_locked_release
from apidiff.sources.pypi import PackageIndex
from apidiff.sources.wheel import WheelSource


@dataclass(frozen=True, slots=True)
class LockSpec:
    """A `lock:` spec taken apart: the file, and the git ref to read it at (None: as it is)."""

    path: Path
    ref: str | None = None


def parse_lock_spec(spec: str) -> LockSpec:
    """The file and ref a `lock:` spec names; SourceError for one that names no file."""
    text = spec.removeprefix(LOCK_PREFIX)
    path_text, ref = text, None
    if "@" in text and not Path(text).expanduser().is_file():
        path_text, ref = text.split("@", 1)
        if not ref.strip():
            raise SourceError(spec, "names no git ref after @ (say lock:PATH@REF, or lock:PATH)")
        if ref.startswith("-"):
            raise SourceError(spec, f"not a git ref: {ref!r}")
    if not path_text.strip():
        raise SourceError(
            spec, "names no file (say lock:uv.lock, lock:requirements.txt@HEAD~1, ...)"
        )
    return LockSpec(Path(path_text).expanduser(), ref)


class LockSource:
    """The botocore release a lock file resolves, read from its wheel when first asked for."""

    def __init__(self, spec: str, version: str, index: PackageIndex) -> None:
        # Errors of the index name the release as well as the file it came from.
        self._spec = f"{spec} (botocore {version})"
        self._index = index
        release = index.release("botocore", version, self._spec)
        self.provenance = Provenance(
            spec=spec,
            location=release.filename,
            package="botocore",
            version=release.version,
            released=release.released,
        )

    def services(self) -> tuple[str, ...]:
        return self._wheel.services()

    def service_files(self, service: str) -> ServiceFiles:
        return self._wheel.service_files(service)

    def changelog(self) -> tuple[ChangelogEntry, ...] | None:
        return None  # No file in a wheel carries botocore's changelog.

    @cached_property
    def _wheel(self) -> WheelSource:
        return self._index.open_botocore(self.provenance.version or "", self._spec)


def open_lock(spec: str, index: PackageIndex) -> LockSource:
    """The source a `lock:` spec names."""
    named = parse_lock_spec(spec)
    locked = read_locked_release(named.path, ProjectFiles(named.ref))
    version = locked.version
    if locked.package == "boto3":
        version = index.botocore_version_of_boto3(version, f"{spec} (boto3 {version})")
    return LockSource(spec, version, index)
