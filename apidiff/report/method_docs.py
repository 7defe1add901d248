"""An api method's boto3-style documentation, as data, straight from the service model.

What botocore.docs writes for a client method — description, "See also", Request Syntax,
parameters, return type, Response Syntax, Response Structure — built from the model's dicts in
one walk per side, with no reStructuredText and no docutils in between. Renderers lay it out as
text or HTML; each line of the syntax blocks and each documented member carries the member path
it shows (`BestCandidate.CandidateProperties`, `Candidates[].CandidateName`), written as the
projection writes reach paths, so a renderer can mark what changed inside the documentation.

botocore.docs is the oracle: `tests/oracle` renders the same methods through it and the tests
prove the two give the same words. Unlike botocore, nothing is cut: botocore replaces a section
over a few thousand lines with "This section is too large to render", often the very section
where a change is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from botocore import xform_name

from apidiff.model import ServiceModel
from apidiff.report.doc_html import clean_documentation

API_REFERENCE_BASE = "https://docs.aws.amazon.com/goto/WebAPI"
DEPRECATED_OPERATION = (
    "This operation is deprecated and may not function as expected. This operation should not "
    "be used going forward and is only kept for the purpose of backwards compatiblity."
)


@dataclass(frozen=True, slots=True)
class SyntaxLine:
    """One line of a Request or Response Syntax block.

    `depth` counts nesting levels (botocore indents four spaces a level). `path` is the member
    the line shows, or whose brackets it closes; None for the lines of the call or the
    response itself.
    """

    depth: int
    text: str
    path: str | None = None


class SpecialType(StrEnum):
    """Members botocore documents by what a caller handles, not by their model type."""

    DOCUMENT = "document"
    JSON_VALUE = "JSON serializable"
    STREAMING_INPUT = "bytes or seekable file-like object"
    STREAMING_OUTPUT = "StreamingBody"
    EVENT_STREAM = "EventStream"


@dataclass(frozen=True, slots=True)
class MemberDoc:
    """One documented member of a request or response, and the members inside it.

    `name` is None for a list's items, a map's keys and values, and the response itself.
    `type_name` is the Python type botocore names (`string`, `dict`, `list`, `datetime`, or a
    SpecialType's text). `documentation` is a safe HTML fragment. A member whose shape recurs
    on its own path is documented without children, as botocore does.
    """

    name: str | None
    type_name: str
    path: str
    documentation: str = ""
    required: bool = False
    # Shown for a structure of which exactly one member may be set (a tagged union).
    union_members: tuple[str, ...] = ()
    # An idempotency token, which botocore fills in when the caller leaves it out.
    autopopulated: bool = False
    children: tuple[MemberDoc, ...] = ()


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


def document_method(model: ServiceModel, operation_name: str) -> MethodDoc:
    """The documentation of one operation of the model. Raises KeyError for an unknown one."""
    operation = model.operations[operation_name]
    method = xform_name(operation_name)
    shapes = model.shapes
    input_ref = operation.get("input")
    output_ref = operation.get("output")
    uid = model.metadata.get("uid")
    request = _Side(shapes, input_ref, streaming=SpecialType.STREAMING_INPUT)
    response = _Side(shapes, output_ref, streaming=SpecialType.STREAMING_OUTPUT)
    return MethodDoc(
        method=method,
        description=clean_documentation(operation.get("documentation", "")),
        deprecated=bool(operation.get("deprecated")),
        api_reference=f"{API_REFERENCE_BASE}/{uid}/{operation_name}" if uid else None,
        request_syntax=tuple(request.request_syntax(f"client.{method}")),
        parameters=request.parameters(),
        response_syntax=tuple(response.response_syntax()) if output_ref else None,
        response=response.response() if output_ref else None,
        event_stream=response.event_stream_member is not None,
    )


@dataclass(frozen=True, slots=True)
class _Ref:
    """A member's view of a shape: the shape's dict with the member's own traits laid over it,
    as botocore resolves a shape reference."""

    name: str
    shape: Mapping[str, Any]

    @property
    def type(self) -> str:
        return str(self.shape["type"])


_PY_TYPES = {
    "blob": "bytes",
    "character": "string",
    "double": "float",
    "long": "integer",
    "map": "dict",
    "structure": "dict",
    "timestamp": "datetime",
}
_PY_DEFAULTS = {
    "double": "123.0",
    "long": "123",
    "integer": "123",
    "string": "'string'",
    "blob": "b'bytes'",
    "boolean": "True|False",
    "list": "[...]",
    "map": "{...}",
    "structure": "{...}",
    "timestamp": "datetime(2015, 1, 1)",
}
_SPECIAL_DEFAULTS = {
    SpecialType.DOCUMENT: "{...}|[...]|123|123.4|'string'|True|None",
    SpecialType.JSON_VALUE: "{...}|[...]|123|123.4|'string'|True|None",
    SpecialType.STREAMING_INPUT: "b'bytes'|file",
    SpecialType.STREAMING_OUTPUT: "StreamingBody()",
    SpecialType.EVENT_STREAM: "EventStream()",
}


class _Side:
    """The request or the response of one operation, documented by walking its shapes.

    Each walk carries the shape names on its path (botocore's "history"): a shape met again on
    its own path is recursive and is not expanded a second time.
    """

    def __init__(
        self,
        shapes: Mapping[str, Mapping[str, Any]],
        root_ref: Mapping[str, Any] | None,
        streaming: SpecialType,
    ) -> None:
        self.shapes = shapes
        self.streaming = streaming
        self.root = self._resolve(root_ref) if root_ref else None
        self._history: list[str] = []
        # Only the payload member of the input or output itself is special, as in botocore.
        self.streaming_member: str | None = None
        self.event_stream_member: str | None = None
        if self.root is None:
            return
        members = self._members(self.root)
        payload = self.root.shape.get("payload")
        if payload in members and members[payload].type == "blob":
            self.streaming_member = payload
        if streaming is SpecialType.STREAMING_OUTPUT:
            self.event_stream_member = next(
                (name for name, ref in members.items() if ref.shape.get("eventstream")), None
            )

    # -- resolving ----------------------------------------------------------------------------

    def _resolve(self, ref: Mapping[str, Any]) -> _Ref:
        name = ref["shape"]
        shape = self.shapes[name]
        if len(ref) > 1:
            shape = {**shape, **{key: value for key, value in ref.items() if key != "shape"}}
        return _Ref(name, shape)

    def _members(self, ref: _Ref) -> dict[str, _Ref]:
        return {
            name: self._resolve(member) for name, member in ref.shape.get("members", {}).items()
        }

    def _special(self, ref: _Ref, member: str | None, path: str) -> SpecialType | None:
        shape = ref.shape
        if shape.get("jsonvalue") and shape.get("location") == "header" and ref.type == "string":
            return SpecialType.JSON_VALUE
        if ref.type == "structure" and shape.get("document"):
            return SpecialType.DOCUMENT
        # Only a member of the input or output itself has the path of its own name.
        if member is not None and path == member:
            if member == self.streaming_member:
                return self.streaming
            if member == self.event_stream_member:
                return SpecialType.EVENT_STREAM
        return None

    def _type_name(self, ref: _Ref, member: str | None, path: str) -> str:
        special = self._special(ref, member, path)
        return str(special) if special else _PY_TYPES.get(ref.type, ref.type)

    # -- syntax -------------------------------------------------------------------------------

    def request_syntax(self, call: str) -> Iterator[SyntaxLine]:
        if self.root is None:
            yield SyntaxLine(0, f"{call}()")
            return
        members = self._members(self.root)
        if not members:
            yield SyntaxLine(0, f"{call}()")
            return
        yield SyntaxLine(0, f"{call}(")
        self._history = [self.root.name]
        yield from self._member_lines(members, 1, "", request=True, call=True)
        yield SyntaxLine(0, ")")

    def response_syntax(self) -> Iterator[SyntaxLine]:
        assert self.root is not None
        self._history = []
        yield from self._value_lines(self.root, 0, None, "", request=False)

    def _member_lines(
        self,
        members: Mapping[str, _Ref],
        depth: int,
        parent: str,
        *,
        request: bool,
        call: bool = False,
    ) -> Iterator[SyntaxLine]:
        last = len(members) - 1
        for index, (name, ref) in enumerate(members.items()):
            path = f"{parent}.{name}" if parent else name
            label = f"{name}=" if call else f"'{name}': "
            lines = list(self._value_lines(ref, depth, name, path, request=request))
            first = lines[0]
            lines[0] = SyntaxLine(depth, label + first.text, path)
            if index < last:
                final = lines[-1]
                lines[-1] = SyntaxLine(final.depth, final.text + ",", final.path)
            yield from lines

    def _value_lines(
        self,
        ref: _Ref,
        depth: int,
        member: str | None,
        path: str,
        *,
        request: bool,
    ) -> Iterator[SyntaxLine]:
        """The lines of one value: the first is written after its member's name."""
        line_path = path if member is not None or path else None
        if ref.name in self._history:
            yield SyntaxLine(depth, "{'... recursive ...'}", line_path)
            return
        self._history.append(ref.name)
        try:
            yield from self._expanded_value_lines(
                ref, depth, member, path, line_path, request=request
            )
        finally:
            self._history.pop()

    def _expanded_value_lines(
        self,
        ref: _Ref,
        depth: int,
        member: str | None,
        path: str,
        line_path: str | None,
        *,
        request: bool,
    ) -> Iterator[SyntaxLine]:
        special = self._special(ref, member, path)
        kind = ref.type
        if ref.shape.get("eventstream") and not request:
            members = self._members(ref)
            yield SyntaxLine(depth, "EventStream({", line_path)
            yield from self._member_lines(members, depth + 1, path, request=False)
            yield SyntaxLine(depth, "})", line_path)
        elif special is not None or ref.shape.get("eventstream"):
            default = _SPECIAL_DEFAULTS.get(special) if special else None
            yield SyntaxLine(depth, default or _PY_DEFAULTS["structure"], line_path)
        elif kind == "structure":
            members = self._members(ref)
            if not members:
                yield SyntaxLine(depth, "{}", line_path)
                return
            yield SyntaxLine(depth, "{", line_path)
            yield from self._member_lines(members, depth + 1, path, request=request)
            yield SyntaxLine(depth, "}", line_path)
        elif kind == "list":
            item = self._resolve(ref.shape["member"])
            item_path = f"{path}[]"
            yield SyntaxLine(depth, "[", line_path)
            items = list(self._value_lines(item, depth + 1, None, item_path, request=request))
            final = items[-1]
            items[-1] = SyntaxLine(final.depth, final.text + ",", final.path)
            yield from items
            yield SyntaxLine(depth, "]", line_path)
        elif kind == "map":
            value = self._resolve(ref.shape["value"])
            value_path = f"{path}{{}}"
            yield SyntaxLine(depth, "{", line_path)
            values = list(self._value_lines(value, depth + 1, None, value_path, request=request))
            values[0] = SyntaxLine(values[0].depth, "'string': " + values[0].text, value_path)
            yield from values
            yield SyntaxLine(depth, "}", line_path)
        elif kind == "string" and "enum" in ref.shape:
            yield SyntaxLine(
                depth, "|".join(f"'{value}'" for value in ref.shape["enum"]), line_path
            )
        else:
            yield SyntaxLine(depth, _PY_DEFAULTS.get(kind, "..."), line_path)

    # -- members ------------------------------------------------------------------------------

    def parameters(self) -> tuple[MemberDoc, ...]:
        if self.root is None:
            return ()
        self._history = [self.root.name]
        required = set(self.root.shape.get("required", ()))
        return tuple(
            self._member_doc(ref, name, name, required=name in required, request=True)
            for name, ref in self._members(self.root).items()
        )

    def response(self) -> MemberDoc:
        assert self.root is not None
        self._history = []
        return self._member_doc(self.root, None, "", required=False, request=False)

    def _member_doc(
        self,
        ref: _Ref,
        member: str | None,
        path: str,
        *,
        required: bool,
        request: bool,
    ) -> MemberDoc:
        shape = ref.shape
        documentation = clean_documentation(shape.get("documentation", ""))
        recursive = ref.name in self._history
        doc = MemberDoc(
            name=member,
            type_name=self._type_name(ref, member, path),
            path=path,
            documentation=documentation,
            # botocore documents a recursive member by its name alone, required or not.
            required=required and request and not recursive,
            union_members=(
                tuple(shape.get("members", ())) if documentation and shape.get("union") else ()
            ),
            autopopulated=request and bool(documentation) and bool(shape.get("idempotencyToken")),
        )
        if recursive:
            return doc
        self._history.append(ref.name)
        try:
            children = tuple(self._children(ref, member, path, request=request))
        finally:
            self._history.pop()
        return replace(doc, children=children)

    def _children(
        self, ref: _Ref, member: str | None, path: str, *, request: bool
    ) -> Iterator[MemberDoc]:
        kind = ref.type
        special = self._special(ref, member, path)
        eventstream = bool(ref.shape.get("eventstream"))
        if special is not None and not (eventstream and not request):
            return
        if kind == "structure" and not (eventstream and request):
            required = set(ref.shape.get("required", ()))
            for name, child in self._members(ref).items():
                child_path = f"{path}.{name}" if path else name
                yield self._member_doc(
                    child, name, child_path, required=name in required, request=request
                )
        elif kind == "list":
            item = self._resolve(ref.shape["member"])
            yield self._member_doc(item, None, f"{path}[]", required=False, request=request)
        elif kind == "map":
            key = self._resolve(ref.shape["key"])
            value = self._resolve(ref.shape["value"])
            yield MemberDoc(
                name=None,
                type_name=_PY_TYPES.get(key.type, key.type),
                path=f"{path}{{key}}",
                documentation=clean_documentation(key.shape.get("documentation", "")),
            )
            yield self._member_doc(value, None, f"{path}{{}}", required=False, request=request)
