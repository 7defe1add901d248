"""The download cache: wheels stored by their sha256, and what the package index said of them.

Layout under the cache folder:

    wheels/<sha256>.whl              a wheel, named by the hash of its bytes
    releases/<package>/<version>.json   that release's wheel: file name, url, sha256, upload time
    releases/<package>.json          the package's final, unyanked versions, as last listed

Every file is written to a temporary name beside it and renamed into place once complete, so
a killed process leaves at most a stray temporary file, never one that reads as valid. A
wheel's name is its hash, so a reader can always tell a damaged copy from a good one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from platformdirs import user_cache_dir

CACHE_DIR_VARIABLE = "APIDIFF_CACHE_DIR"
_TEMPORARY_SUFFIX = ".part"


def default_cache_dir() -> Path:
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    return Path(configured).expanduser() if configured else Path(user_cache_dir("apidiff"))


@dataclass(frozen=True, slots=True)
class ReleaseFile:
    """The wheel of one release of a package, as the package index describes it."""

    package: str
    version: str
    filename: str
    url: str
    sha256: str
    size: int | None = None
    uploaded: dt.datetime | None = None

    @property
    def released(self) -> dt.date | None:
        return self.uploaded.astimezone(dt.UTC).date() if self.uploaded else None

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record["uploaded"] = self.uploaded.isoformat() if self.uploaded else None
        return record

    @classmethod
    def from_json(cls, record: Any) -> ReleaseFile | None:
        """The record read back; None where it is not one (a damaged file reads as absent)."""
        try:
            uploaded = record.get("uploaded")
            size = record.get("size")
            return cls(
                package=_text(record["package"]),
                version=_text(record["version"]),
                filename=_text(record["filename"]),
                url=_text(record["url"]),
                sha256=_text(record["sha256"]).lower(),
                size=size if isinstance(size, int) else None,
                uploaded=dt.datetime.fromisoformat(uploaded) if uploaded else None,
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            return None


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(value)
    return value


class WheelCache:
    """Wheels and release records under one folder; nothing in it is trusted unverified."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def wheel_path(self, sha256: str) -> Path:
        return self.root / "wheels" / f"{sha256}.whl"

    def read_wheel(self, sha256: str) -> bytes | None:
        """The stored bytes of a wheel, unchecked; None where there is none."""
        try:
            return self.wheel_path(sha256).read_bytes()
        except FileNotFoundError:
            return None

    def discard_wheel(self, sha256: str) -> None:
        self.wheel_path(sha256).unlink(missing_ok=True)

    @contextlib.contextmanager
    def new_wheel(self) -> Iterator[tuple[IO[bytes], Path]]:
        """A temporary file to download into, removed again unless `keep_wheel` took it."""
        folder = self.root / "wheels"
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, prefix=".", suffix=_TEMPORARY_SUFFIX)
        temporary = Path(name)
        try:
            with os.fdopen(handle, "wb") as stream:
                yield stream, temporary
        finally:
            temporary.unlink(missing_ok=True)

    def keep_wheel(self, temporary: Path, sha256: str) -> Path:
        """Move a complete, verified download into place under its hash."""
        path = self.wheel_path(sha256)
        temporary.replace(path)
        return path

    def read_release(self, package: str, version: str) -> ReleaseFile | None:
        record = self._read_json(self._release_path(package, version))
        release = ReleaseFile.from_json(record) if record is not None else None
        if release is None or (release.package, release.version) != (package, version):
            return None
        return release

    def discard_release(self, package: str, version: str) -> None:
        self._release_path(package, version).unlink(missing_ok=True)

    def write_release(self, release: ReleaseFile) -> None:
        self._write_json(self._release_path(release.package, release.version), release.to_json())

    def read_versions(self, package: str) -> tuple[str, ...] | None:
        record = self._read_json(self.root / "releases" / f"{package}.json")
        versions = record.get("versions") if isinstance(record, dict) else None
        if not isinstance(versions, list) or not all(isinstance(v, str) for v in versions):
            return None
        return tuple(versions)

    def write_versions(self, package: str, versions: tuple[str, ...]) -> None:
        self._write_json(self.root / "releases" / f"{package}.json", {"versions": list(versions)})

    def _release_path(self, package: str, version: str) -> Path:
        return self.root / "releases" / package / f"{version}.json"

    @staticmethod
    def _read_json(path: Path) -> Any:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return None  # Absent or damaged: either way it is fetched again.

    @staticmethod
    def _write_json(path: Path, value: Any) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=_TEMPORARY_SUFFIX)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(value, stream, indent=1)
            Path(name).replace(path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
