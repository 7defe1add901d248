"""The interface every source of models speaks, and the records it hands on.

A source lists its services, reads one service's files as bytes, and says where they came
from. Parsing is the model stage's job, so a source never opens the JSON.
"""

from __future__ import annotations

import datetime as dt
import gzip
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from apidiff.resources import models_dir


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a model came from, as far as the source knows.

    `location` is the file, folder or wheel as the user named it, or relative to the current
    folder, never an absolute path the user did not type: a saved report must not vary with
    where the files happen to sit. `partial` says the source holds only some of a botocore
    release's services (a folder, the bundled models, one file), so a service it lacks was
    not removed, only left out; a release, a wheel and `installed` hold them all.
    """

    spec: str
    location: str
    package: str | None = None
    version: str | None = None
    released: dt.date | None = None
    partial: bool = False

    @property
    def label(self) -> str:
        if not (self.package and self.version):
            return self.spec
        release = f"{self.package} {self.version}"
        # A release read off a lock file is shown with the file (and ref) it was read from.
        return f"{self.spec} ({release})" if self.spec.startswith("lock:") else release


# The kinds of file botocore keeps in a service's api-version folder, as named there.
MODEL_KIND = "service-2"
PAGINATORS_KIND = "paginators-1"
WAITERS_KIND = "waiters-2"
ENDPOINT_RULES_KIND = "endpoint-rule-set-1"
# The release's partitions (regions, DNS suffixes), in the data folder itself.
PARTITIONS_KIND = "partitions"


def file_names(kind: str) -> tuple[str, str]:
    """The names a file of `kind` is stored under, in the order botocore's loader tries them
    (and so the one read where both exist): plain JSON first, then gzipped."""
    return (f"{kind}.json", f"{kind}.json.gz")


def extras_names(kind: str) -> tuple[str, str]:
    """The names of the file botocore merges into a `kind` file as it loads it
    (`service-2.sdk-extras.json` beside `service-2.json`): botocore's only extras type, sdk."""
    return file_names(f"{kind}.sdk-extras")


class StoredBytes(Protocol):
    """A file's bytes as a source stores them (a member of a zip), not yet read."""

    def read(self) -> bytes:
        """The bytes; ApidiffError where they cannot be read."""
        ...

    def same_as(self, other: StoredBytes) -> bool:
        """Whether the two surely hold the same bytes, told without reading them where
        possible (False where unsure: the caller reads and compares them)."""
        ...

    @property
    def size(self) -> int:
        """How many bytes `read` gives, as the source records it (a zip's directory)."""
        ...


class ModelFile:
    """The bytes of one model file, as stored (gzipped or not), and where they were read from.

    `extras` is the `.sdk-extras.json` beside it, which botocore's loader merges into it: the
    model botocore uses is the two together (see `apidiff.model.load`).

    A source may hand a file on unread (`stored`): its bytes are read when first asked for
    (`data`), and kept. A wheel's files come so: most of a release's files are proven
    unchanged from their packed form in the two wheels and are never inflated (see
    `same_file_content`). A file is equal, hashed and pickled as its path, bytes and extras,
    as a frozen dataclass of those would be.
    """

    __slots__ = ("_data", "extras", "path", "stored")

    def __init__(
        self,
        path: str,
        data: bytes | None = None,
        extras: ModelFile | None = None,
        *,
        stored: StoredBytes | None = None,
    ) -> None:
        if (data is None) == (stored is None):
            raise TypeError("a ModelFile is made with its bytes or with where they are stored")
        self.path = path
        self.extras = extras
        self.stored = stored
        self._data = data

    @property
    def data(self) -> bytes:
        if self._data is None:
            assert self.stored is not None
            self._data = self.stored.read()
        return self._data

    def read_unkept(self) -> bytes:
        """Its bytes, as `data` gives them, but not kept where they had to be read: proving a
        release's files unchanged reads most of them once and never again, and keeping them
        took 30 MB of fresh memory, a third of the time of the proof."""
        if self._data is None:
            assert self.stored is not None
            return self.stored.read()
        return self._data

    @property
    def size(self) -> int:
        """Its length in bytes, known without reading a stored file."""
        if self._data is None:
            assert self.stored is not None
            return self.stored.size
        return len(self._data)

    @property
    def gzipped(self) -> bool:
        return self.data[:2] == b"\x1f\x8b"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ModelFile):
            return NotImplemented
        return (self.path, self.data, self.extras) == (other.path, other.data, other.extras)

    def __hash__(self) -> int:
        return hash((self.path, self.data, self.extras))

    def __repr__(self) -> str:
        return f"ModelFile(path={self.path!r}, extras={self.extras!r})"

    def __reduce__(self) -> tuple[type[ModelFile], tuple[str, bytes, ModelFile | None]]:
        return type(self), (self.path, self.data, self.extras)


@dataclass(frozen=True, slots=True)
class ServiceFiles:
    """The files of the current api version of one service.

    `endpoint_rules` is its endpoint rule set; `partitions` the release's `partitions.json`
    (the regions and DNS suffixes the rule set resolves against), where the source has one.
    """

    service: str
    api_version: str
    model: ModelFile
    paginators: ModelFile | None = None
    waiters: ModelFile | None = None
    endpoint_rules: ModelFile | None = None
    partitions: ModelFile | None = None


@dataclass(frozen=True, slots=True)
class ChangelogEntry:
    """One line of botocore's changelog: `api-change`, ``` ``sagemaker`` ```, and its text."""

    type: str
    category: str
    description: str

    @property
    def category_name(self) -> str:
        return self.category.strip("`").strip()


class ModelSource(Protocol):
    """Somewhere models of one or more services can be read from."""

    @property
    def provenance(self) -> Provenance: ...

    def services(self) -> tuple[str, ...]:
        """The botocore names (data folder names) of the services it holds, sorted."""
        ...

    def service_files(self, service: str) -> ServiceFiles:
        """The current api version's files of one service; SourceError if it has none."""
        ...

    def changelog(self) -> tuple[ChangelogEntry, ...] | None:
        """The changelog entries of this release, or None where the source does not know them."""
        ...


def portable_location(path: Path) -> str:
    """`path` as a report records it: the bundled models as `models/...` wherever apidiff
    is installed, anything under the current folder relative to it, and any other path as it
    was given. So the same command in two copies of a folder writes the same bytes.
    """
    if not path.is_absolute():
        return path.as_posix()
    bundled = models_dir()
    if path.is_relative_to(bundled):
        return (Path(bundled.name) / path.relative_to(bundled)).as_posix()
    here = Path.cwd()
    if path.is_relative_to(here):
        return path.relative_to(here).as_posix() or "."
    return path.as_posix()


def same_content(old: ServiceFiles, new: ServiceFiles) -> bool:
    """Whether two services' files hold the same models and endpoint rules, without parsing
    any JSON. The partitions are the release's, not the service's: they are left out.

    Two files stored alike (two wheel members with the same packed bytes) are the same
    unread. Otherwise their bytes are read: gzip members carry a timestamp, so equal models
    can differ in bytes. Two gzip members made by the same compressor from the same text
    have the same deflate stream after their headers; only when those differ are the files
    decompressed and compared.
    """
    return old.api_version == new.api_version and all(
        same_file_content(a, b)
        for a, b in (
            (old.model, new.model),
            (old.paginators, new.paginators),
            (old.waiters, new.waiters),
            (old.endpoint_rules, new.endpoint_rules),
        )
    )


def same_file_content(old: ModelFile | None, new: ModelFile | None) -> bool:
    """Whether two files (and their extras) hold the same text; two missing ones do."""
    if old is None or new is None:
        return old is new
    same_stored = (
        old.stored is not None and new.stored is not None and old.stored.same_as(new.stored)
    )
    return (
        same_stored or _same_bytes_content(old.read_unkept(), new.read_unkept())
    ) and same_file_content(old.extras, new.extras)


def _same_bytes_content(old: bytes, new: bytes) -> bool:
    if old == new:
        return True
    if old[:2] == new[:2] == b"\x1f\x8b":
        old_start, new_start = _deflate_stream_start(old), _deflate_stream_start(new)
        if (
            old_start is not None
            and new_start is not None
            and len(old) - old_start == len(new) - new_start
            # The two deflate streams compared where they lie, not copied out first.
            and old.endswith(memoryview(new)[new_start:])
        ):
            return True
        if old[-8:] != new[-8:]:
            return False  # The trailers differ in CRC-32 or length: the texts differ.
    old_text = _decompressed(old)
    return old_text is not None and old_text == _decompressed(new)


def _deflate_stream_start(data: bytes) -> int | None:
    """Where a gzip member's body starts after its header (RFC 1952), or None where the
    header is cut short."""
    if len(data) < 18:
        return None
    flags, offset = data[3], 10
    if flags & 0x04:  # FEXTRA: two length bytes, then that many bytes
        offset += 2 + int.from_bytes(data[offset : offset + 2], "little")
    for flag in (0x08, 0x10):  # FNAME, FCOMMENT: zero-terminated
        if flags & flag:
            end = data.find(b"\x00", offset)
            if end < 0:
                return None
            offset = end + 1
    if flags & 0x02:  # FHCRC
        offset += 2
    return offset


def _decompressed(data: bytes) -> bytes | None:
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return None
