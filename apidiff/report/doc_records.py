"""An api method's documentation as data: the MethodDoc a report carries and its parts, which
the documenter (method_docs) builds and the renderers read.

Apart from the documenter so that a report without documentation (`release --no-docs`, the
default) never imports it, its HTML cleaning and `html`: 7 ms of every such run.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass, fields
from typing import Any, Generic, NamedTuple, TypeVar

# Shapes nested deeper than this are not expanded. botocore's deepest are nested about 20 deep;
# a model nested hundreds deep (which botocore.docs cannot document at all) still gets its
# documentation, to this depth.
MAX_NESTING = 100
TOO_DEEP = "{'... nested too deep to show ...'}"
DEPRECATED_OPERATION = (
    "This operation is deprecated and may not function as expected. This operation should not "
    "be used going forward and is only kept for the purpose of backwards compatiblity."
)


_V = TypeVar("_V")


class SyntaxLine(NamedTuple):
    """One line of a Request or Response Syntax block (a plain tuple: there are many).

    `depth` counts nesting levels (botocore indents four spaces a level). `path` is the member
    the line shows, or whose brackets it closes; None for the lines of the call or the
    response itself.
    """

    depth: int
    text: str
    path: str | None = None


# (A weak reference slot: renderers keep what they make of a member while it lives, MemberMemo.)
@dataclass(frozen=True, slots=True, weakref_slot=True)
class MemberDoc:
    """One documented member of a request or response, and the members inside it.

    `name` is None for a list's items, a map's keys and values, and the response itself.
    `step` is how the member extends the path of the one it is in, as the projection writes
    paths: its name, `[]` for a list's items, `{key}` and `{}` for a map's keys and values, ``
    for the response itself (`member_path` joins them). `type_name` is the Python type botocore
    names (`string`, `dict`, `list`, `datetime`, or a SpecialType's text). `documentation` is a
    safe HTML fragment. A member whose shape recurs on its own path is documented without
    children, as botocore does.

    A member's documentation does not depend on where it is, so one shape's is built once and
    shared wherever the shape appears.
    """

    name: str | None
    step: str
    type_name: str
    documentation: str = ""
    required: bool = False
    # Shown for a structure of which exactly one member may be set (a tagged union).
    union_members: tuple[str, ...] = ()
    # An idempotency token, which botocore fills in when the caller leaves it out.
    autopopulated: bool = False
    children: tuple[MemberDoc, ...] = ()

    def __reduce__(self) -> tuple[Callable[..., MemberDoc], tuple[Any, ...]]:
        # A release's documentation comes back from the worker processes as tens of
        # thousands of these: rebuilt by one call each (new_member_doc, below), not field by
        # field as a slotted dataclass is by default (which looks its fields up again for
        # every one).
        return new_member_doc, (
            self.name,
            self.step,
            self.type_name,
            self.documentation,
            self.required,
            self.union_members,
            self.autopopulated,
            self.children,
        )


# A frozen dataclass's __init__ sets each field through object.__setattr__: 1.1 µs for
# MemberDoc's eight, paid for every member documented (a sixth of the time of a median
# operation, and of bringing a release's documentation back from the worker processes).
# Setting the slots through their own descriptors makes the same frozen object in 0.5 µs.
(
    _set_name,
    _set_step,
    _set_type_name,
    _set_documentation,
    _set_required,
    _set_union_members,
    _set_autopopulated,
    _set_children,
) = (getattr(MemberDoc, field.name).__set__ for field in fields(MemberDoc))


def new_member_doc(
    name: str | None,
    step: str,
    type_name: str,
    documentation: str,
    required: bool,
    union_members: tuple[str, ...],
    autopopulated: bool,
    children: tuple[MemberDoc, ...],
) -> MemberDoc:
    """MemberDoc(...) with every field given, in the order of its fields, made faster."""
    made = object.__new__(MemberDoc)
    _set_name(made, name)
    _set_step(made, step)
    _set_type_name(made, type_name)
    _set_documentation(made, documentation)
    _set_required(made, required)
    _set_union_members(made, union_members)
    _set_autopopulated(made, autopopulated)
    _set_children(made, children)
    return made


class MemberMemo(Generic[_V]):
    """What a renderer made of each MemberDoc, kept for as long as the MemberDoc lives.

    The documenter shares one MemberDoc wherever its shape appears, so a renderer can build what
    it shows of a member once and reuse it. An entry goes when its member does (a weak
    reference calls back), so the memo keeps no documentation alive and never answers for a
    member that took a dead one's place (and id).
    """

    def __init__(self) -> None:
        self._made: dict[tuple[int, Hashable], tuple[weakref.ref[MemberDoc], _V]] = {}

    def get(self, member: MemberDoc, variant: Hashable) -> _V | None:
        """What was made of `member` in `variant` (what else it depends on), if anything."""
        found = self._made.get((id(member), variant))
        return None if found is None else found[1]

    def put(self, member: MemberDoc, variant: Hashable, made: _V) -> None:
        key = (id(member), variant)
        self._made[key] = (weakref.ref(member, lambda _: self._made.pop(key, None)), made)

    def clear(self) -> None:
        self._made.clear()

    def __len__(self) -> int:
        return len(self._made)


@dataclass(frozen=True, slots=True)
class MethodDoc:
    """An api method's documentation as boto3's client reference shows it."""

    method: str
    description: str
    deprecated: bool
    api_reference: str | None
    request_syntax: tuple[SyntaxLine, ...]
    parameters: tuple[MemberDoc, ...]
    # None where the operation has no output: the method returns None.
    response_syntax: tuple[SyntaxLine, ...] | None
    response: MemberDoc | None
    event_stream: bool = False

    def __reduce__(self) -> tuple[type[MethodDoc], tuple[Any, ...]]:
        # As MemberDoc's: one call to rebuild it after a worker process sends it back.
        return MethodDoc, (
            self.method,
            self.description,
            self.deprecated,
            self.api_reference,
            self.request_syntax,
            self.parameters,
            self.response_syntax,
            self.response,
            self.event_stream,
        )


def member_path(parent: str, step: str) -> str:
    """The path of a member whose `step` extends the path `parent`."""
    if not parent or not step or step[0] in "[{":
        return parent + step
    return f"{parent}.{step}"
