"""The records of a usage scan: what the user's code passes to and reads from boto3 clients.

The scan (scan.py) reads Python sources and keeps what it sees as `ScannedCall`s: a method
name on a client of some service, the arguments as far as literals show them, and the keys
read from the result. Mapping them onto a service model (operations.py) turns them into
`CallSite`s, in botocore's names and the member path notation of `Reach.path`: dotted member
names, `[]` after a list element, `{}` after a map value.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CallKind(StrEnum):
    """How the code reaches an operation."""

    CALL = "call"  # client.list_objects_v2(...)
    PAGINATE = "paginate"  # client.get_paginator("list_objects_v2").paginate(...)
    WAIT = "wait"  # client.get_waiter("bucket_exists").wait(...)
    RESOURCE = "resource"  # boto3.resource("s3"): operations not mapped


class ArgumentForm(StrEnum):
    """What the code passes for a parameter, as far as the source shows it."""

    DICT = "dict"  # a dict literal: its string keys are seen
    LIST = "list"  # a list, tuple or set literal: its items are seen
    CONSTANT = "constant"  # a literal str, number, bool or None
    OPAQUE = "opaque"  # anything else: a name, a call, an f-string


@dataclass(frozen=True, slots=True)
class Argument:
    """One value passed to a call, with what literals show below it."""

    form: ArgumentForm
    entries: tuple[tuple[str, Argument], ...] = ()
    items: tuple[Argument, ...] = ()
    # A string constant: what an enum value is compared with.
    text: str | None = None

    # Scans come back from other processes (scan_paths): pickled as their fields, not
    # through the Python-level state methods slotted dataclasses get (twice the time).
    def __reduce__(self) -> tuple[type[Argument], tuple[object, ...]]:
        return Argument, (self.form, self.entries, self.items, self.text)


OPAQUE = Argument(ArgumentForm.OPAQUE)

# Steps of a response read besides keys: into a list's items, into a map's values.
ITEMS = "[]"
VALUES = "{}"
MAP_KEYS = "{key}"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in the user's code: the file as found from the path given, then line and
    column, both from 1 and the column in characters, as ruff, mypy, editors and GitHub's
    annotations read `file:line:col`."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def __reduce__(self) -> tuple[type[Location], tuple[object, ...]]:
        return Location, (self.file, self.line, self.column)


@dataclass(frozen=True, slots=True)
class ScannedCall:
    """A call on a client as the source shows it, before any model is consulted.

    `method` is the Python name: the client method, the paginator's or the waiter's name;
    None where it is chosen at run time. `service` is None where the client's service name
    is not a literal. `reads` are the keys read from the result, one tuple of steps (keys,
    ITEMS, VALUES) per read. `hidden` says why the parameters are not all visible.
    """

    location: Location
    service: str | None
    kind: CallKind
    method: str | None
    arguments: tuple[tuple[str, Argument], ...]
    reads: tuple[tuple[str, ...], ...]
    hidden: str | None = None
    # The client came from `.client("name")` on something not known as a session: it is
    # one only where the models hold a service of that name.
    inferred: bool = False

    def __reduce__(self) -> tuple[type[ScannedCall], tuple[object, ...]]:
        fields = (self.service, self.kind, self.method, self.arguments, self.reads)
        return ScannedCall, (self.location, *fields, self.hidden, self.inferred)


@dataclass(frozen=True, slots=True)
class ScanProblem:
    """A file the scan could not read or parse, skipped."""

    file: str
    line: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class ScanResult:
    files: int
    calls: tuple[ScannedCall, ...]
    problems: tuple[ScanProblem, ...]


@dataclass(frozen=True, slots=True)
class LiteralValue:
    """A string constant passed at a parameter path (for enum values)."""

    path: str
    value: str


@dataclass(frozen=True, slots=True)
class CallSite:
    """One call of one operation, in botocore's terms.

    `operation` is the model's operation name (None where the method or the service is not
    known); for a wait, the operation the waiter polls, `waiter` naming the waiter.
    `parameters` and `response_keys` are member paths; `visible` is False where some of the
    parameters (or the operation itself) cannot be seen, `reason` saying why.
    """

    location: Location
    service: str | None
    operation: str | None
    method: str | None
    kind: CallKind
    parameters: tuple[str, ...] = ()
    response_keys: tuple[str, ...] = ()
    literals: tuple[LiteralValue, ...] = ()
    visible: bool = True
    reason: str | None = None
    waiter: str | None = None


@dataclass(frozen=True, slots=True)
class Usage:
    """What a code base calls: every call site in (file, line, column) order, and the files
    that could not be read."""

    files: int
    calls: tuple[CallSite, ...]
    problems: tuple[ScanProblem, ...]
    models: str  # the source the operation names were taken from, as its provenance labels it
