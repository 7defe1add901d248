"""A botocore wheel as a source: only the members asked for are read out of the zip.

The wheel is never installed or unpacked. Its services are listed from the zip's name list
(`botocore/data/<service>/<api-version>/service-2.json[.gz]`, the newest api version of each
service being current), and one service's files are handed on unread: each is inflated when
its bytes are first asked for. A release compared whole holds two wheels' worth of models
(40 MB), most of them unchanged, and an unchanged file is proven so by its packed form in the
two wheels (see `_StoredMember.same_as`) without ever being inflated.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from apidiff.errors import SourceError
from apidiff.sources.archive import ZipArchive, ZipData, ZipError, ZipMember
from apidiff.sources.base import (
    ENDPOINT_RULES_KIND,
    MODEL_KIND,
    PAGINATORS_KIND,
    PARTITIONS_KIND,
    WAITERS_KIND,
    ChangelogEntry,
    ModelFile,
    Provenance,
    ServiceFiles,
    StoredBytes,
    extras_names,
    file_names,
    portable_location,
)

DATA_PREFIX = "botocore/data/"
_MODEL_NAMES = file_names(MODEL_KIND)
_MEMBER = re.compile(
    r"botocore/data/(?P<service>[^/]+)/(?P<api_version>\d{4}-\d{2}-\d{2})/(?P<file>[^/]+)"
)
_DIST_INFO = re.compile(r"(?P<name>[^/-]+)-(?P<version>[^/-]+)\.dist-info/METADATA")
_INIT_MEMBER = "botocore/__init__.py"
# The names each kind of file in a service's folder goes by, and those of its extras.
_NAMES_OF_KIND = {
    kind: (file_names(kind), extras_names(kind))
    for kind in (MODEL_KIND, PAGINATORS_KIND, WAITERS_KIND, ENDPOINT_RULES_KIND)
}
# What a member that cannot be read raises, from the zip, zlib or the zip's own bytes.
_UNREADABLE = (ZipError, zlib.error, EOFError, OSError, struct.error)


class WheelSource:
    """The models inside a botocore wheel, read from its bytes.

    `data` is the whole wheel; `checked` says it was checked against the sha256 the package
    index gave for it, so its members' CRC-32s need not be worked out again. `version` and
    `released`, where the package index told them, win over what the wheel itself says: the
    dist-info folder's name and the zip timestamp of botocore/__init__.py.
    """

    def __init__(
        self,
        data: ZipData,
        spec: str,
        location: str,
        *,
        opened: ZipArchive | None = None,
        version: str | None = None,
        released: dt.date | None = None,
        checked: bool = False,
    ) -> None:
        self._location = location
        self._checked = checked
        if opened is not None:  # `data` opened already, by the package index.
            self._archive = opened
        else:
            try:
                self._archive = ZipArchive(data)
            except ZipError as error:
                raise SourceError(location, f"not a wheel (a zip file): {error}") from None
        self._folders = _index_services(self._archive.names())
        if not self._folders:
            raise SourceError(location, "not a botocore wheel (no botocore/data/ models inside)")
        self.provenance = Provenance(
            spec=spec,
            location=location,
            package="botocore",
            version=version or _dist_info_version(self._archive, "botocore"),
            released=released or self._init_timestamp(),
        )

    @classmethod
    def from_path(cls, path: Path, spec: str) -> WheelSource:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise SourceError(str(path), error.strerror or "cannot be read") from None
        return cls(data, spec, portable_location(path))

    def services(self) -> tuple[str, ...]:
        return tuple(sorted(self._folders))

    def service_files(self, service: str) -> ServiceFiles:
        if service not in self._folders:
            raise SourceError(self._location, f"holds no service {service!r}")
        api_version, files = self._folders[service]
        folder = f"{DATA_PREFIX}{service}/{api_version}/"
        model = self._first(folder, files, MODEL_KIND)
        assert model is not None  # A folder is indexed only where it holds a model.
        return ServiceFiles(
            service=service,
            api_version=api_version,
            model=model,
            paginators=self._first(folder, files, PAGINATORS_KIND),
            waiters=self._first(folder, files, WAITERS_KIND),
            endpoint_rules=self._first(folder, files, ENDPOINT_RULES_KIND),
            partitions=self._partitions,
        )

    @cached_property
    def _partitions(self) -> ModelFile | None:
        for name in file_names(PARTITIONS_KIND):
            if DATA_PREFIX + name in self._archive:
                return self._file(self._archive.member(DATA_PREFIX + name))
        return None  # Releases before rule sets (1.28) have none.

    def changelog(self) -> tuple[ChangelogEntry, ...] | None:
        return None  # No file in a wheel carries botocore's changelog.

    def _first(self, folder: str, files: frozenset[str], kind: str) -> ModelFile | None:
        """The file of `kind` in `folder`, with its extras where the folder has them."""
        names, names_of_extras = _NAMES_OF_KIND[kind]
        name = _first_name(files, names)
        if name is None:
            return None
        extras = _first_name(files, names_of_extras)
        return self._file(
            self._archive.member(folder + name),
            None if extras is None else self._file(self._archive.member(folder + extras)),
        )

    def _file(self, member: ZipMember, extras: ModelFile | None = None) -> ModelFile:
        return ModelFile(
            member.name,
            extras=extras,
            stored=_StoredMember(self._archive, member, self._location, self._checked),
        )

    def _init_timestamp(self) -> dt.date | None:
        # botocore's release tooling stamps the zip entries in UTC, so the date is the UTC date.
        try:
            return dt.date(*self._archive.member(_INIT_MEMBER).date_time[:3])
        except (KeyError, ValueError):
            return None


class _StoredMember(NamedTuple):
    """A member of a wheel as the stored bytes of a model file."""

    archive: ZipArchive
    member: ZipMember
    location: str  # The wheel's, as errors name it.
    checked: bool  # Whether the whole wheel was checked against its sha256.

    def read(self) -> bytes:
        try:
            return self.archive.read(self.member, check=not self.checked)
        except _UNREADABLE as error:
            raise SourceError(
                f"{self.location}!{self.member.name}", f"cannot be read: {error}"
            ) from None

    @property
    def size(self) -> int:
        return self.member.size

    def same_as(self, other: StoredBytes) -> bool:
        """The same method, CRC-32, size and packed bytes: inflating is a function of the
        method and the packed bytes alone, so the two inflate to the same bytes."""
        if not isinstance(other, _StoredMember):
            return False
        mine, theirs = self.member, other.member
        if (mine.method, mine.crc, mine.size) != (theirs.method, theirs.crc, theirs.size):
            return False  # What nearly every changed file shows, told from the directories.
        if not (mine.inflatable and theirs.inflatable):
            return False
        try:
            # As bytes: two memoryviews compare item by item, ten times slower.
            return bytes(self.archive.packed(mine)) == bytes(other.archive.packed(theirs))
        except _UNREADABLE:
            return False  # Unsure: the member is read, and its error names it.


def _first_name(files: frozenset[str], names: tuple[str, ...]) -> str | None:
    for name in names:
        if name in files:
            return name
    return None


def open_zip(data: ZipData) -> ZipArchive | None:
    """The zip file `data` holds, its directory read once; None where it is no zip."""
    try:
        return ZipArchive(data)
    except ZipError:
        return None


def wheel_version(wheel: ZipArchive | None, package: str) -> str | None:
    """The version of `package` a wheel holds, from its dist-info folder's name; None where it
    has none or is no zip."""
    return _dist_info_version(wheel, package) if wheel is not None else None


def _dist_info_version(wheel: ZipArchive, package: str) -> str | None:
    """The version in the name of the wheel's `<package>-<version>.dist-info` folder."""
    for name in wheel.names():
        match = _DIST_INFO.fullmatch(name)
        if match and match["name"].lower().replace("_", "-") == package:
            return match["version"]
    return None


def _index_services(names: Iterable[str]) -> dict[str, tuple[str, frozenset[str]]]:
    """Each service's newest api version holding a model, and the file names in that folder."""
    folders: dict[tuple[str, str], set[str]] = {}
    for name in names:
        match = _MEMBER.fullmatch(name)
        if match:
            folders.setdefault((match["service"], match["api_version"]), set()).add(match["file"])
    newest: dict[str, tuple[str, frozenset[str]]] = {}
    # Api versions are ISO dates, so the newest sorts last and overwrites the older ones.
    for (service, api_version), files in sorted(folders.items()):
        if any(model in files for model in _MODEL_NAMES):
            newest[service] = (api_version, frozenset(files))
    return newest
