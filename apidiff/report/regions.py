"""Where in its model file each finding is written: the file, and the line and column of the
operation, shape or member it concerns, for outputs that point a reader at the source (SARIF).

orjson parses without positions, so each file is walked once more: regular expressions match
the keys and separators of the objects that name things (the sections, operations, shapes,
the members of the shapes asked about, paginators, waiters), and the standard library's C
scanner skips every other value whole. Lines are those an editor counts (`\n`).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import zlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from apidiff.diff import ENDPOINT_KINDS, Change, ChangeKind
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
    **dict.fromkeys(ENDPOINT_KINDS, ModelFileKind.ENDPOINTS),
}


def model_place(change: Change) -> ModelPlace:
    side = Side.OLD if change.kind in _READ_IN_OLD else Side.NEW
    return ModelPlace(side, _FILE_OF.get(change.kind, ModelFileKind.SERVICE))


def key_paths(change: Change) -> tuple[tuple[str, ...], ...]:
    """The key paths that locate `change` in its file, the most precise first."""
    kind = change.kind
    if kind in (ChangeKind.SERVICE_ADDED, ChangeKind.SERVICE_REMOVED) or kind in ENDPOINT_KINDS:
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


# The sections whose keys name something a change concerns. Values not walked into are
# skipped whole by the standard library's C scanner.
_SECTIONS = frozenset({"operations", "shapes", "metadata", "pagination", "waiters"})
_SPACE = "[ \t\n\r]*"
_OPENING = re.compile(_SPACE + "{" + _SPACE)
# A key, its colon, and the space up to its value.
_KEY = re.compile(rf'"((?:[^"\\]|\\.)*)"{_SPACE}:{_SPACE}')
# What follows a value: a comma before the next key, or the end of the object.
_AFTER_VALUE = re.compile(f"{_SPACE}([,}}]){_SPACE}")
_DECODER = json.JSONDecoder()


class ModelText:
    """One model file's key positions: `find` answers with the region of a key path.

    Every section, operation and shape is noted; the fields and members of `shapes` only
    (of every shape where None), as walking into all of a big model's shapes costs more
    than parsing it.
    """

    def __init__(self, text: str, shapes: Collection[str] | None = None) -> None:
        self._text = text
        self._shapes = shapes
        offsets: dict[tuple[str, ...], int] = {}
        opening = _OPENING.match(text)
        if opening:
            # Keep what was found before the text stopped being JSON.
            with contextlib.suppress(ValueError, IndexError):
                self._walk_object(opening.end(), (), offsets)
        self._offsets = offsets

    def find(self, paths: Iterable[tuple[str, ...]]) -> Region | None:
        """The region of the first of `paths` the file holds."""
        return self.find_all([tuple(paths)])[0]

    def find_all(self, wanted: Sequence[Sequence[tuple[str, ...]]]) -> list[Region | None]:
        """For each entry of `wanted`, the region of the first of its paths the file holds."""
        found = [
            next((self._offsets[path] for path in paths if path in self._offsets), None)
            for paths in wanted
        ]
        # Lines counted in one pass over the text, in order, whatever the number asked for.
        lines: dict[int, Region] = {}
        line, counted = 1, 0
        for offset in sorted({offset for offset in found if offset is not None}):
            line += self._text.count("\n", counted, offset)
            counted = offset
            lines[offset] = Region(line, offset - self._text.rfind("\n", 0, offset))
        return [None if offset is None else lines[offset] for offset in found]

    def _walk_object(
        self, index: int, path: tuple[str, ...], offsets: dict[tuple[str, ...], int]
    ) -> int:
        """Note the keys of the object whose first key is at `index`; where it ends."""
        text = self._text
        if text[index] == "}":
            return index + 1
        while True:
            key_match = _KEY.match(text, index)
            if key_match is None:
                raise ValueError("a key was expected")
            key = key_match[1]
            if "\\" in key:
                key = json.loads(f'"{key}"')
            below = (*path, key)
            offsets.setdefault(below, index)
            index = key_match.end()
            opening = _OPENING.match(text, index) if self._walks_into(below) else None
            if opening:
                index = self._walk_object(opening.end(), below, offsets)
            else:
                _value, index = _DECODER.raw_decode(text, index)
            after = _AFTER_VALUE.match(text, index)
            if after is None:
                raise ValueError("a comma was expected")
            index = after.end()
            if after[1] == "}":
                return index

    def _walks_into(self, path: tuple[str, ...]) -> bool:
        depth = len(path)
        if depth == 1:
            return path[0] in _SECTIONS
        if path[0] != "shapes":
            return False
        if depth == 2:
            return self._shapes is None or path[1] in self._shapes
        return depth == 3 and path[2] == "members"


# How a side's files of one service are read again: None where that side lacks the service.
ServiceReader = Callable[[Side, str], ServiceFiles | None]


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
    fingerprint (as SARIF renders them). Each file is read and scanned once."""
    by_file: dict[tuple[Side, str, ModelFileKind], list[Finding]] = {}
    for finding in findings:
        change = finding.record.change
        if key_paths(change):
            place = model_place(change)
            by_file.setdefault((place.side, finding.service, place.file), []).append(finding)
    files: dict[tuple[Side, str], ServiceFiles | None] = {}
    regions: dict[tuple[str, str], Region] = {}
    for (side, service, kind), group in by_file.items():
        if (side, service) not in files:
            files[(side, service)] = read(side, service)
        service_files = files[(side, service)]
        chosen = _file_of_kind(service_files, kind) if service_files else None
        text = _text_of(chosen) if chosen else None
        if text is None:
            continue
        model = ModelText(text, {f.record.change.shape or "" for f in group})
        found = model.find_all([key_paths(finding.record.change) for finding in group])
        for finding, region in zip(group, found, strict=True):
            if region is not None:
                regions[(service, finding.record.fingerprint)] = region
    return regions
