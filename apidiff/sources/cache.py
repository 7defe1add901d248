"""The download cache: wheels stored by their sha256, and what the package index said of them.

Layout under the cache folder:

    wheels/<sha256>.whl              a wheel, named by the hash of its bytes
    releases/<package>/<version>.json   that release's wheel: file name, url, sha256, upload time
    releases/<package>.json          the package's final, unyanked versions, as last listed
    .lock                            held by whoever writes a wheel or cleans the cache

Every file is written to a temporary name beside it (`.*.part`) and renamed into place once
complete, so a killed process leaves at most a stray temporary file, never one that reads as
valid; the next download or clean removes such leftovers. A wheel's name is its hash, so a
reader can always tell a damaged copy from a good one. Readers take no lock: a file read whole
in one call is unaffected by a concurrent removal, and a missing one is fetched again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import mmap
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from apidiff.errors import ApidiffError
from apidiff.sources.archive import ZipData

CACHE_DIR_VARIABLE = "APIDIFF_CACHE_DIR"
LOCK_NAME = ".lock"
_TEMPORARY_SUFFIX = ".part"
# A wheel's temporary file is written only under the lock, so while the lock is held every one
# is a leftover. A record's is written without it (a listing must not wait for another
# process's download) and lives for milliseconds: one an hour old belongs to a killed process.
# Not the writer's PID: the cache may be shared between machines or containers, and PIDs
# are reused.
RECORD_LEFTOVER_AGE = dt.timedelta(hours=1)


class CacheBusyError(ApidiffError):
    """The cache's lock is held by another process for longer than one would wait."""


@dataclass(frozen=True, slots=True)
class CachedFiles:
    """Files of one kind in the cache (wheels, release records, ...) and their total size."""

    kind: str
    paths: tuple[Path, ...] = ()
    size: int = 0

    @classmethod
    def of(cls, kind: str, paths: Iterable[Path]) -> CachedFiles:
        """The files among `paths` that exist (a concurrent clean may have taken some)."""
        kept: list[Path] = []
        size = 0
        for path in paths:
            try:
                size += path.stat().st_size
            except FileNotFoundError:
                continue
            kept.append(path)
        return cls(kind, tuple(kept), size)


def files_below(kind: str, folder: Path, excluding: Path | None = None) -> CachedFiles:
    """Every file under `folder` but those under `excluding`, in path order, as one kind."""
    if not folder.is_dir():
        return CachedFiles.of(kind, [])
    found = sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and not (excluding and path.is_relative_to(excluding))
    )
    return CachedFiles.of(kind, found)


def default_cache_dir() -> Path:
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    # Imported here: platformdirs (and tempfile, which it loads) take longer to import than
    # a cached wheel takes to open, and only a cache not configured needs them.
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("apidiff"))


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


def _modified(path: Path, default: float) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return default


def _older(paths: Iterable[Path], cutoff: float | None) -> list[Path]:
    """Those of `paths` last modified before `cutoff` (seconds since the epoch); all where
    it is None."""
    if cutoff is None:
        return list(paths)
    return [path for path in paths if _modified(path, default=cutoff) < cutoff]


def _mapped(path: Path) -> ZipData:
    """The file mapped into memory, or read where it cannot be mapped: an empty file, or
    one on a file system that maps no files."""
    with path.open("rb") as file:
        try:
            return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return file.read()


def _sha256_of(record: Path) -> str | None:
    value = WheelCache._read_json(record)
    sha256 = value.get("sha256") if isinstance(value, dict) else None
    return sha256.lower() if isinstance(sha256, str) else None


def _temporary_file(folder: Path) -> tuple[int, str]:
    """A new temporary file in `folder`, opened: its descriptor and name."""
    # Imported here: tempfile (and random, which it loads) only for the runs that write.
    import tempfile

    return tempfile.mkstemp(dir=folder, prefix=".", suffix=_TEMPORARY_SUFFIX)


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

    def read_wheel(self, sha256: str) -> ZipData | None:
        """The stored bytes of a wheel, unchecked; None where there is none.

        Mapped into memory, not read, where a mapped file can still be removed (POSIX; a
        damaged wheel is): reading copied a botocore wheel's 13 MB into fresh memory, 15 ms
        here, where a mapping costs only the pages used, straight from the page cache. A
        cached wheel is never rewritten in place by apidiff (a new copy is renamed over it),
        so apidiff never cuts a mapping short under a reader (a file rewritten in place by
        other means would end the run with a bus error).

        Its modification time is set to now: `clean --older-than` removes the wheels unused
        for that long, not those fetched long ago and used every day.
        """
        path = self.wheel_path(sha256)
        try:
            data = _mapped(path) if os.name == "posix" else path.read_bytes()
        except FileNotFoundError:
            return None
        with contextlib.suppress(OSError):  # A read-only cache is still a cache.
            os.utime(path)
        return data

    @contextlib.contextmanager
    def locked(self, patience: float) -> Iterator[None]:
        """Hold the cache's lock (a file lock, so across processes); CacheBusyError after
        waiting `patience` seconds for another holder."""
        # Imported on first use: a run that downloads nothing takes no lock.
        from filelock import FileLock, Timeout

        self.root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.root / LOCK_NAME, timeout=patience)
        try:
            lock.acquire()
        except Timeout:
            raise CacheBusyError(
                str(self.root),
                f"another apidiff process has held the cache's lock for {patience:g} s"
                " (a download or a clean); try again when it is done",
            ) from None
        try:
            yield
        finally:
            lock.release()

    def leftovers(self, *, locked: bool) -> CachedFiles:
        """Temporary files no live process is writing: every wheel's where the caller holds
        the lock (`locked`), and records' older than RECORD_LEFTOVER_AGE."""
        wheel_parts = list((self.root / "wheels").glob(f"*{_TEMPORARY_SUFFIX}")) if locked else []
        cutoff = time.time() - RECORD_LEFTOVER_AGE.total_seconds()
        record_parts = [
            path for path in self._record_parts() if _modified(path, default=cutoff) < cutoff
        ]
        return CachedFiles.of("leftovers", sorted([*wheel_parts, *record_parts]))

    def contents(self) -> tuple[CachedFiles, ...]:
        """What the cache holds, by kind: wheels, release records, release listings and
        temporary files (of downloads going on, or left by killed ones)."""
        releases = self.root / "releases"
        return (
            CachedFiles.of("wheels", sorted((self.root / "wheels").glob("*.whl"))),
            CachedFiles.of("release records", sorted(releases.glob("*/*.json"))),
            CachedFiles.of("release listings", sorted(releases.glob("*.json"))),
            CachedFiles.of(
                "temporary files",
                sorted(
                    [*(self.root / "wheels").glob(f"*{_TEMPORARY_SUFFIX}"), *self._record_parts()]
                ),
            ),
        )

    def clean(
        self,
        older_than: dt.timedelta | None,
        patience: float,
        others: Sequence[CachedFiles] = (),
    ) -> tuple[CachedFiles, ...]:
        """Remove, holding the lock, the cache's files (and `others`, files of other kinds
        kept under the same folder) unused for `older_than`, or all where it is None; and
        every leftover. What was removed, by kind.

        A release record goes with the wheel it names, and stays while that wheel stays.
        A temporary file of a download going on is never touched: the download holds the
        lock, so the clean waits for it (up to `patience` seconds, then removes nothing).
        """
        if not self.root.is_dir():
            kinds = ("wheels", "release records", "release listings")
            return (
                *(CachedFiles(kind) for kind in kinds),
                *(CachedFiles(files.kind) for files in others),
                CachedFiles("leftovers"),
            )
        with self.locked(patience):
            cutoff = None if older_than is None else time.time() - older_than.total_seconds()
            wheels, records, listings, _temporary = self.contents()
            old_wheels = _older(wheels.paths, cutoff)
            gone = {path.stem for path in old_wheels}
            kept = {path.stem for path in wheels.paths} - gone
            old_records = set(_older(records.paths, cutoff))
            named = {path: _sha256_of(path) for path in records.paths}
            others_removed = [
                CachedFiles.of(files.kind, _older(files.paths, cutoff)) for files in others
            ]
            removed = [
                CachedFiles.of("wheels", old_wheels),
                # A record lives as long as its wheel; one whose wheel is not cached, by age.
                CachedFiles.of(
                    "release records",
                    [
                        path
                        for path, sha256 in named.items()
                        if sha256 in gone or (path in old_records and sha256 not in kept)
                    ],
                ),
                CachedFiles.of("release listings", _older(listings.paths, cutoff)),
                *others_removed,
                self.leftovers(locked=True),
            ]
            for files in removed:
                for path in files.paths:
                    path.unlink(missing_ok=True)
            # The cache's own folders stay: a process writing a record (which takes no lock)
            # may have just made the one it writes into.
            for files in others_removed:
                for folder in sorted({path.parent for path in files.paths}):
                    with contextlib.suppress(OSError):  # Not empty, or just filled again.
                        folder.rmdir()
        return tuple(removed)

    def _record_parts(self) -> list[Path]:
        return list((self.root / "releases").rglob(f".*{_TEMPORARY_SUFFIX}"))

    def discard_wheel(self, sha256: str) -> None:
        self.wheel_path(sha256).unlink(missing_ok=True)

    @contextlib.contextmanager
    def new_wheel(self) -> Iterator[tuple[IO[bytes], Path]]:
        """A temporary file to download into, removed again unless `keep_wheel` took it."""
        folder = self.root / "wheels"
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = _temporary_file(folder)
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
        handle, name = _temporary_file(path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(value, stream, indent=1)
            Path(name).replace(path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
