"""Where in its model file each finding is written: the file, and the line and column of the
operation, shape or member it concerns, for outputs that point a reader at the source (SARIF).

orjson parses without positions, so the text is scanned once per file with a tokenizer that
knows only strings and brackets: enough to follow the nesting and note where each key that
names an operation, a shape, a member, a paginator or a waiter begins.
"""

from __future__ import annotations

import bisect
import contextlib
import gzip
import json
import re
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from apidiff.diff import Change, ChangeKind
from apidiff.errors import SourceError
from apidiff.report.check import Finding
from apidiff.sources.base import ModelFile, ModelSource, ServiceFiles


class ModelFileKind(StrEnum):
    """The file of a service's folder a change is written in, by its name in botocore."""

    SERVICE = "service-2.json"
    PAGINATORS = "paginators-1.json"
    WAITERS = "waiters-2.json"
    ENDPOINTS = "endpoint-rule-set-1.json"


class Side(StrEnum):
    OLD = "old"
    NEW = "new"


@dataclass(frozen=True, slots=True)
class ModelPlace:
    """The file a change is read in: which side's, and which of the service's files."""

    side: Side
    file: ModelFileKind


@dataclass(frozen=True, slots=True)
class Region:
    """A position in a model file's text: 1-based line, and column in code points."""

    line: int
    column: int


# What a reader looks for is what went away in the old model, anything else in the new.
_READ_IN_OLD = frozenset(
    {
        ChangeKind.SERVICE_REMOVED,
        ChangeKind.OPERATION_REMOVED,
        ChangeKind.SHAPE_REMOVED,
        ChangeKind.MEMBER_REMOVED,
        ChangeKind.ENUM_VALUE_REMOVED,
        ChangeKind.PAGINATOR_REMOVED,
        ChangeKind.WAITER_REMOVED,
    }
)
_FILE_OF = {
    ChangeKind.PAGINATOR_ADDED: ModelFileKind.PAGINATORS,
    ChangeKind.PAGINATOR_REMOVED: ModelFileKind.PAGINATORS,
    ChangeKind.PAGINATOR_CHANGED: ModelFileKind.PAGINATORS,
    ChangeKind.WAITER_ADDED: ModelFileKind.WAITERS,
    ChangeKind.WAITER_REMOVED: ModelFileKind.WAITERS,
    ChangeKind.WAITER_CHANGED: ModelFileKind.WAITERS,
    ChangeKind.ENDPOINT_CHANGED: ModelFileKind.ENDPOINTS,
}


def model_place(change: Change) -> ModelPlace:
    side = Side.OLD if change.kind in _READ_IN_OLD else Side.NEW
    return ModelPlace(side, _FILE_OF.get(change.kind, ModelFileKind.SERVICE))


def key_path(change: Change) -> tuple[tuple[str, ...], ...]:
    """The key paths that locate `change` in its file, the most precise first."""
    kind = change.kind
    if kind in (ChangeKind.SERVICE_ADDED, ChangeKind.SERVICE_REMOVED, ChangeKind.ENDPOINT_CHANGED):
        return ()
    if kind in (ChangeKind.WAITER_ADDED, ChangeKind.WAITER_REMOVED, ChangeKind.WAITER_CHANGED):
        return (("waiters", change.aspect or ""),)
    if kind in (
        ChangeKind.PAGINATOR_ADDED,
        ChangeKind.PAGINATOR_REMOVED,
        ChangeKind.PAGINATOR_CHANGED,
    ):
        return (("pagination", change.operation or ""),)
    if kind is ChangeKind.METADATA_CHANGED:
        return (("metadata", change.aspect or ""), ("metadata",))
    if change.shape:
        shape = ("shapes", change.shape)
        if change.member:
            # A list's `member`, a map's `key` and `value` sit beside `type`, not in `members`.
            return ((*shape, "members", change.member), (*shape, change.member), shape)
        return (shape,)
    if change.operation:
        return (("operations", change.operation),)
    return ()


# Keys worth walking into, by the path of keys above them: the sections at the top, every
# shape, and a shape's members. Any other value is skipped whole by the C scanner.
_SECTIONS = frozenset({"operations", "shapes", "metadata", "pagination", "waiters"})
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class ModelText:
    """One model file's key positions: `find` answers with the region of a key path."""

    def __init__(self, text: str) -> None:
        self._offsets = _key_offsets(text)
        self._line_starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def find(self, paths: Iterable[tuple[str, ...]]) -> Region | None:
        """The region of the first of `paths` the file holds."""
        for path in paths:
            offset = self._offsets.get(path)
            if offset is not None:
                line = bisect.bisect_right(self._line_starts, offset)
                return Region(line, offset - self._line_starts[line - 1] + 1)
        return None


def _key_offsets(text: str) -> dict[tuple[str, ...], int]:
    """Where each key that names a section, an operation, a shape, a shape's field or a
    member begins, by its path of keys; empty for text that is not a JSON object."""
    offsets: dict[tuple[str, ...], int] = {}
    start = _WHITESPACE.match(text, 0)
    index = start.end() if start else 0
    if text[index : index + 1] == "{":
        # Keep what was found before the text stopped being JSON.
        with contextlib.suppress(ValueError, IndexError):
            _walk_object(text, index + 1, (), offsets)
    return offsets


def _walk_object(
    text: str, index: int, path: tuple[str, ...], offsets: dict[tuple[str, ...], int]
) -> int:
    """Note the keys of the object whose body starts at `index`; where it ends."""
    index = _skip(text, index)
    if text[index] == "}":
        return index + 1
    while True:
        if text[index] != '"':
            raise ValueError("a key was expected")
        key_start = index
        key, index = _DECODER.raw_decode(text, index)
        index = _skip(text, index)
        if text[index] != ":":
            raise ValueError("a colon was expected")
        index = _skip(text, index + 1)
        below = (*path, key)
        offsets.setdefault(below, key_start)
        if text[index] == "{" and _walked_into(below):
            index = _walk_object(text, index + 1, below, offsets)
        else:
            _value, index = _DECODER.raw_decode(text, index)
        index = _skip(text, index)
        if text[index] == "}":
            return index + 1
        if text[index] != ",":
            raise ValueError("a comma was expected")
        index = _skip(text, index + 1)


def _walked_into(path: tuple[str, ...]) -> bool:
    depth = len(path)
    if depth == 1:
        return path[0] in _SECTIONS
    if path[0] != "shapes":
        return False
    return depth == 2 or (depth == 3 and path[2] == "members")


def _skip(text: str, index: int) -> int:
    if text[index] in " \t\n\r":
        match = _WHITESPACE.match(text, index)
        assert match is not None  # it matches the empty string anywhere
        return match.end()
    return index


# How a side's files of one service are read again: None where that side lacks the service.
ServiceReader = Callable[[Side, str], ServiceFiles | None]


class RegionFinder:
    """The regions of changes in one comparison's model files, each file scanned once."""

    def __init__(self, read: ServiceReader) -> None:
        self._read = read
        self._texts: dict[tuple[Side, str, ModelFileKind], ModelText | None] = {}

    def region(self, service: str, change: Change) -> Region | None:
        paths = key_path(change)
        if not paths:
            return None
        place = model_place(change)
        text = self._text(place.side, service, place.file)
        return text.find(paths) if text else None

    def _text(self, side: Side, service: str, kind: ModelFileKind) -> ModelText | None:
        key = (side, service, kind)
        if key not in self._texts:
            self._texts[key] = self._scan(side, service, kind)
        return self._texts[key]

    def _scan(self, side: Side, service: str, kind: ModelFileKind) -> ModelText | None:
        files = self._read(side, service)
        if files is None:
            return None
        chosen = _file_of_kind(files, kind)
        text = _text_of(chosen) if chosen else None
        return ModelText(text) if text is not None else None


def _file_of_kind(files: ServiceFiles, kind: ModelFileKind) -> ModelFile | None:
    by_kind: Mapping[ModelFileKind, ModelFile | None] = {
        ModelFileKind.SERVICE: files.model,
        ModelFileKind.PAGINATORS: files.paginators,
        ModelFileKind.WAITERS: files.waiters,
    }
    return by_kind.get(kind)


def _text_of(file: ModelFile) -> str | None:
    try:
        data = gzip.decompress(file.data) if file.gzipped else file.data
        return data.decode("utf-8")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError):
        return None  # the comparison read it, so this is a file changed since: no regions


def source_reader(old: ModelSource, new: ModelSource) -> ServiceReader:
    """A reader over the comparison's two sources."""

    def read(side: Side, service: str) -> ServiceFiles | None:
        source = old if side is Side.OLD else new
        try:
            return source.service_files(service)
        except SourceError:
            return None

    return read


def find_regions(findings: Iterable[Finding], read: ServiceReader) -> dict[tuple[str, str], Region]:
    """The region of each finding whose model file says where it is, by service and
    fingerprint (as SARIF renders them)."""
    finder = RegionFinder(read)
    regions: dict[tuple[str, str], Region] = {}
    for finding in findings:
        region = finder.region(finding.service, finding.record.change)
        if region is not None:
            regions[(finding.service, finding.record.fingerprint)] = region
    return regions
