"""A botocore wheel as a source: only the members asked for are read out of the zip.

The wheel is never installed or unpacked. Its services are listed from the zip's name list
(`botocore/data/<service>/<api-version>/service-2.json[.gz]`, the newest api version of each
service being current), and one service's files are read when asked for.

A member is inflated straight from its bytes in the wheel, not through zipfile's file
objects: a release compared whole reads every model of two wheels (40 MB) before it can
prove most services unchanged, and zipfile's reads in small pieces took three times as long.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from functools import cached_property
from pathlib import Path

from apidiff.errors import SourceError
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
# A member's local header: its signature, then (after 22 bytes) its name's and extra
# field's lengths; the member's bytes follow them.
_LOCAL_HEADER = struct.Struct("<4s22xHH")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_ENCRYPTED = 0x1


class WheelSource:
    """The models inside a botocore wheel, read from its bytes.

    `data` is the whole wheel (already checked against its sha256 where it was downloaded);
    `version` and `released`, where the package index told them, win over what the wheel
    itself says: the dist-info folder's name and the zip timestamp of botocore/__init__.py.
    """

    def __init__(
        self,
        data: bytes,
        spec: str,
        location: str,
        *,
        opened: zipfile.ZipFile | None = None,
        version: str | None = None,
        released: dt.date | None = None,
    ) -> None:
        self._location = location
        self._data = memoryview(data)
        if opened is not None:  # `data` opened already, by the package index.
            self._zip = opened
        else:
            try:
                self._zip = zipfile.ZipFile(io.BytesIO(data))
            except zipfile.BadZipFile as error:
                raise SourceError(location, f"not a wheel (a zip file): {error}") from None
        self._folders = _index_services(self._zip.namelist())
        if not self._folders:
            raise SourceError(location, "not a botocore wheel (no botocore/data/ models inside)")
        self.provenance = Provenance(
            spec=spec,
            location=location,
            package="botocore",
            version=version or _dist_info_version(self._zip, "botocore"),
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
            try:
                self._zip.getinfo(DATA_PREFIX + name)
            except KeyError:
                continue
            return ModelFile(DATA_PREFIX + name, self._read(DATA_PREFIX + name))
        return None  # Releases before rule sets (1.28) have none.

    def changelog(self) -> tuple[ChangelogEntry, ...] | None:
        return None  # No file in a wheel carries botocore's changelog.

    def _first(self, folder: str, files: frozenset[str], kind: str) -> ModelFile | None:
        """The file of `kind` in `folder`, with its extras where the folder has them."""
        name = _first_name(files, file_names(kind))
        if name is None:
            return None
        extras = _first_name(files, extras_names(kind))
        return ModelFile(
            folder + name,
            self._read(folder + name),
            None if extras is None else ModelFile(folder + extras, self._read(folder + extras)),
        )

    def _read(self, member: str) -> bytes:
        try:
            info = self._zip.getinfo(member)
            plain = _inflated(self._data, info)
            return self._zip.read(info) if plain is None else plain
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, struct.error) as error:
            raise SourceError(f"{self._location}!{member}", f"cannot be read: {error}") from None

    def _init_timestamp(self) -> dt.date | None:
        # botocore's release tooling stamps the zip entries in UTC, so the date is the UTC date.
        try:
            return dt.date(*self._zip.getinfo(_INIT_MEMBER).date_time[:3])
        except (KeyError, ValueError):
            return None


def _inflated(wheel: memoryview, info: zipfile.ZipInfo) -> bytes | None:
    """A stored or deflated member's bytes, checked against its CRC-32 as zipfile checks
    them; None for any other kind of member (zipfile reads those)."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    if info.flag_bits & _ENCRYPTED:
        return None
    signature, name_length, extra_length = _LOCAL_HEADER.unpack_from(wheel, info.header_offset)
    if signature != _LOCAL_SIGNATURE:
        raise zipfile.BadZipFile("bad magic number for file header")
    start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
    packed = wheel[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        plain = bytes(packed)
    else:
        # Negative window bits: a raw deflate stream, no zlib header or trailer.
        plain = zlib.decompress(packed, -zlib.MAX_WBITS, max(info.file_size, 1))
    if len(plain) != info.file_size or zlib.crc32(plain) != info.CRC:
        raise zipfile.BadZipFile(f"bad CRC-32 for file {info.filename!r}")
    return plain


def _first_name(files: frozenset[str], names: tuple[str, ...]) -> str | None:
    return next((name for name in names if name in files), None)


def open_zip(data: bytes) -> zipfile.ZipFile | None:
    """The zip file `data` holds, its directory read once; None where it is no zip."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None


def wheel_version(wheel: zipfile.ZipFile | None, package: str) -> str | None:
    """The version of `package` a wheel holds, from its dist-info folder's name; None where it
    has none or is no zip."""
    return _dist_info_version(wheel, package) if wheel is not None else None


def _dist_info_version(wheel: zipfile.ZipFile, package: str) -> str | None:
    """The version in the name of the wheel's `<package>-<version>.dist-info` folder."""
    for name in wheel.namelist():
        match = _DIST_INFO.fullmatch(name)
        if match and match["name"].lower().replace("_", "-") == package:
            return match["version"]
    return None


def _index_services(names: list[str]) -> dict[str, tuple[str, frozenset[str]]]:
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
