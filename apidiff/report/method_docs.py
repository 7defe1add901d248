"""An api method's boto3-style documentation, as data, straight from the service model.

What botocore.docs writes for a client method — description, "See also", Request Syntax,
parameters, return type, Response Syntax, Response Structure — built from the model's dicts in
one walk per side, with no reStructuredText and no docutils in between. Renderers lay it out as
text or HTML; each line of the syntax blocks and each documented member carries the member path
it shows (`BestCandidate.CandidateProperties`, `Candidates[].CandidateName`), written as the
projection writes reach paths, so a renderer can mark what changed inside the documentation.
The records it builds are in `doc_records`, which a report without documentation imports alone.

botocore.docs is the oracle: `tests/oracle` renders the same methods through it and the tests
prove the two give the same words. Unlike botocore, nothing is cut: botocore replaces a section
over a few thousand lines with "This section is too large to render", often the very section
where a change is.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from enum import StrEnum
from typing import Any, NamedTuple

from botocore import xform_name

from apidiff.model import ServiceModel
from apidiff.report.doc_html import clean_documentation
from apidiff.report.doc_records import (
    MAX_NESTING,
    TOO_DEEP,
    MemberDoc,
    MethodDoc,
    SyntaxLine,
    new_member_doc,
)
from apidiff.report.doc_records import member_path as member_path  # named here before too

API_REFERENCE_BASE = "https://docs.aws.amazon.com/goto/WebAPI"


class SpecialType(StrEnum):
    """Members botocore documents by what a caller handles, not by their model type."""

    DOCUMENT = "document"
    JSON_VALUE = "JSON serializable"
    STREAMING_INPUT = "bytes or seekable file-like object"
    STREAMING_OUTPUT = "StreamingBody"
    EVENT_STREAM = "EventStream"


def document_method(model: ServiceModel, operation_name: str) -> MethodDoc:
    """The documentation of one operation of the model. Raises KeyError for an unknown one."""
    return MethodDocumenter(model).document(operation_name)


class MethodDocumenter:
    """Documents the operations of one model, building each shape's documentation once.

    The documentation of a shape whose references never lead into a cycle is the same wherever
    the shape appears, so it is kept and shared: across the members of one operation and
    across operations. Only shapes on a cycle are documented afresh at each place, since what
    botocore expands there depends on the shapes above.
    """

    def __init__(self, model: ServiceModel, acyclic: Container[str] | None = None) -> None:
        """`acyclic` is the model's `acyclic_shapes` (or an `AcyclicShapes` of it), where the
        caller has them already: the documenters of one model may share them."""
        self._model = model
        self._shapes = model.shapes
        # Keyed by the shape's name for a reference that is the name alone, else by the
        # identity of the reference (a dict of the model, which lives as long as it).
        self._refs: dict[int | str, _Ref] = {}
        # By shape name, side and special type: what a shape holds does not depend on the
        # member that refers to it, only its own documentation and flags do.
        self._expansions: dict[_ShapeKey, _Expansion] = {}
        self._placed_lines: dict[
            tuple[str, int, bool, bool], tuple[tuple[_RelativeLine, ...], tuple[SyntaxLine, ...]]
        ] = {}
        self._acyclic = acyclic
        # The shapes above the one being documented (botocore's "history").
        self._history: list[str] = []

    def document(self, operation_name: str) -> MethodDoc:
        operation = self._model.operations[operation_name]
        method = xform_name(operation_name)
        uid = self._model.metadata.get("uid")
        input_ref, output_ref = operation.get("input"), operation.get("output")
        response_specials = self._root_specials(output_ref, request=False)
        request_syntax, parameters = self._request(
            input_ref, self._root_specials(input_ref, request=True), f"client.{method}"
        )
        response_syntax, response = (
            self._response(output_ref, response_specials) if output_ref else (None, None)
        )
        return MethodDoc(
            method=method,
            description=clean_documentation(operation.get("documentation", "")),
            deprecated=bool(operation.get("deprecated")),
            api_reference=f"{API_REFERENCE_BASE}/{uid}/{operation_name}" if uid else None,
            request_syntax=request_syntax,
            parameters=parameters,
            response_syntax=response_syntax,
            response=response,
            event_stream=SpecialType.EVENT_STREAM in response_specials.values(),
        )

    # -- the input and output themselves -----------------------------------------------------

    def _root_specials(
        self, root_ref: Mapping[str, Any] | None, *, request: bool
    ) -> dict[str, SpecialType]:
        """The members of the input or output that botocore documents by a special type: its
        streaming payload, and the output's event stream (only these, and only here)."""
        if root_ref is None:
            return {}
        root = self._resolve(root_ref)
        members = root.shape.get("members", {})
        found: dict[str, SpecialType] = {}
        payload: str | None = root.shape.get("payload")
        if (
            payload is not None
            and payload in members
            and self._resolve(members[payload]).type == "blob"
        ):
            found[payload] = (
                SpecialType.STREAMING_INPUT if request else SpecialType.STREAMING_OUTPUT
            )
        if not request:
            for name, ref in members.items():
                if self._resolve(ref).shape.get("eventstream"):
                    found[name] = SpecialType.EVENT_STREAM
                    break
        return found

    def _request(
        self, root_ref: Mapping[str, Any] | None, specials: dict[str, SpecialType], call: str
    ) -> tuple[tuple[SyntaxLine, ...], tuple[MemberDoc, ...]]:
        """The Request Syntax and the parameters, from one walk of the input."""
        root = self._resolve(root_ref) if root_ref else None
        members = root.shape.get("members", {}) if root else {}
        if root is None or not members:
            return (SyntaxLine(0, f"{call}()"),), ()
        lines, parameters = self._top_members(root, request=True, specials=specials, call=True)
        return (SyntaxLine(0, f"{call}("), *lines, SyntaxLine(0, ")")), parameters

    def _response(
        self, root_ref: Mapping[str, Any], specials: dict[str, SpecialType]
    ) -> tuple[tuple[SyntaxLine, ...], MemberDoc]:
        """The Response Syntax and the Response Structure, from one walk of the output."""
        root = self._resolve(root_ref)
        lines, children = self._top_members(root, request=False, specials=specials)
        documentation = clean_documentation(root.documentation)
        structure = new_member_doc(
            None,
            "",
            "dict",
            documentation,
            False,
            _union_members(root) if documentation else (),
            False,
            children,
        )
        if not children:
            return (SyntaxLine(0, "{}"),), structure
        return (SyntaxLine(0, "{"), *lines, SyntaxLine(0, "}")), structure

    def _top_members(
        self,
        root: _Ref,
        *,
        request: bool,
        specials: Mapping[str, SpecialType],
        call: bool = False,
    ) -> tuple[list[SyntaxLine], tuple[MemberDoc, ...]]:
        """The input's or output's member lines, placed (the one step no shape shares), and
        its members documented."""
        self._history = [root.name]
        members = root.shape.get("members", {})
        required = root.shape.get("required", ()) if request else ()
        lines: list[SyntaxLine] = []
        documented: list[MemberDoc] = []
        last = len(members) - 1
        for index, (name, raw_ref) in enumerate(members.items()):
            value, doc = self._member(
                raw_ref, name, name, request, name in required, specials.get(name)
            )
            lines += self._placed(name, value, call, index < last)
            documented.append(doc)
        return lines, tuple(documented)

    def _placed(
        self, name: str, value: tuple[_RelativeLine, ...], call: bool, comma: bool
    ) -> tuple[SyntaxLine, ...]:
        """A member's lines in the input or output: named, and their paths from the top."""
        # Operations share members (a name and its shape's lines) more often than whole
        # inputs or outputs. Keyed by the identity of the lines, which the entry keeps alive
        # (so no other lines can take that identity while it is kept).
        key = (name, id(value), call, comma)
        found = self._placed_lines.get(key)
        if found is not None:
            return found[1]
        label = f"{name}=" if call else f"'{name}': "
        end = len(value) - 1
        make = SyntaxLine._make  # a third of the cost of SyntaxLine(...), once for each line
        placed = tuple(
            [
                make(
                    (
                        depth + 1,
                        (label if number == 0 else "")
                        + text
                        + ("," if number == end and comma else ""),
                        name + suffix,
                    )
                )
                for number, (depth, text, suffix) in enumerate(value)
            ]
        )
        self._placed_lines[key] = (value, placed)
        return placed

    # -- what a shape holds -------------------------------------------------------------------

    def _expansion(self, ref: _Ref, request: bool, special: SpecialType | None) -> _Expansion:
        """What a value of `ref`'s shape shows where it is now: its syntax lines, and the
        members documented inside it. A shape already above it (recursive) or past
        MAX_NESTING is named, not expanded; an acyclic one is expanded once and shared."""
        history = self._history
        if ref.name in history:
            return _RECURSIVE
        if len(history) >= MAX_NESTING:
            return _NESTED_TOO_DEEP
        key = (ref.identity, request, special)
        found = self._expansions.get(key)
        if found is not None:
            return found
        history.append(ref.name)
        try:
            made = self._expand(ref, request, special)
        finally:
            history.pop()
        if ref.name in self._acyclic_shapes():
            self._expansions[key] = made
        return made

    def _expand(self, ref: _Ref, request: bool, special: SpecialType | None) -> _Expansion:
        shape, kind = ref.shape, ref.type
        eventstream = bool(shape.get("eventstream"))
        if eventstream and not request:
            lines, children = self._structure(shape, False)
            return _Expansion(((0, "EventStream({", ""), *lines, (0, "})", "")), children)
        if special is not None or eventstream:
            text = _SPECIAL_DEFAULTS.get(special, "{...}") if special else "{...}"
            return _Expansion(((0, text, ""),), ())
        if kind == "structure":
            if not shape.get("members"):
                return _Expansion(((0, "{}", ""),), ())
            lines, children = self._structure(shape, request)
            return _Expansion(((0, "{", ""), *lines, (0, "}", "")), children)
        if kind == "list":
            item, item_doc = self._member(shape["member"], None, "[]", request)
            end = len(item) - 1
            return _Expansion(
                (
                    (0, "[", ""),
                    *(
                        (depth + 1, text + ("," if number == end else ""), "[]" + suffix)
                        for number, (depth, text, suffix) in enumerate(item)
                    ),
                    (0, "]", ""),
                ),
                (item_doc,),
            )
        if kind == "map":
            value, value_doc = self._member(shape["value"], None, "{}", request)
            key = self._resolve(shape["key"])
            key_doc = MemberDoc(
                None,
                "{key}",
                _PY_TYPES.get(key.type, key.type),
                clean_documentation(key.documentation),
            )
            return _Expansion(
                (
                    (0, "{", ""),
                    *(
                        (depth + 1, ("'string': " if number == 0 else "") + text, "{}" + suffix)
                        for number, (depth, text, suffix) in enumerate(value)
                    ),
                    (0, "}", ""),
                ),
                (key_doc, value_doc),
            )
        if kind == "string" and "enum" in shape:
            return _Expansion(((0, "|".join(f"'{value}'" for value in shape["enum"]), ""),), ())
        return _Expansion(((0, _PY_DEFAULTS.get(kind, "..."), ""),), ())

    def _structure(
        self, shape: Mapping[str, Any], request: bool
    ) -> tuple[list[_RelativeLine], tuple[MemberDoc, ...]]:
        """A structure's member lines, one level in (`'Name': value,`), and its members."""
        members = shape.get("members", {})
        required = shape.get("required", ())
        lines: list[_RelativeLine] = []
        documented: list[MemberDoc] = []
        last = len(members) - 1
        for index, (name, raw_ref) in enumerate(members.items()):
            value, doc = self._member(raw_ref, name, name, request, name in required)
            documented.append(doc)
            label = f"'{name}': "
            step = f".{name}"
            end = len(value) - 1
            for number, (depth, text, suffix) in enumerate(value):
                if number == 0:
                    text = label + text
                if number == end and index < last:
                    text += ","
                lines.append((depth + 1, text, step + suffix))
        return lines, tuple(documented)

    def _member(
        self,
        raw_ref: Mapping[str, Any],
        name: str | None,
        step: str,
        request: bool,
        required: bool = False,
        special: SpecialType | None = None,
    ) -> tuple[tuple[_RelativeLine, ...], MemberDoc]:
        """A member: the lines of its value, and its documentation."""
        # Called for each member of each shape documented: positional arguments.
        ref = self._resolve(raw_ref)
        special = special or ref.special
        expansion = self._expansion(ref, request, special)
        shape = ref.shape
        documentation = clean_documentation(ref.documentation)
        # botocore documents a recursive member by its name alone, required or not.
        named_only = expansion is _RECURSIVE or expansion is _NESTED_TOO_DEEP
        # In the order of MemberDoc's fields: a keyword call costs twice as much, and one is
        # made for each member documented.
        return expansion.lines, new_member_doc(
            name,
            step,
            str(special) if special else ref.type_name,
            documentation,
            required and request and not named_only,
            _union_members(ref) if documentation else (),
            request and bool(documentation) and bool(shape.get("idempotencyToken")),
            expansion.children,
        )

    # -- the model ----------------------------------------------------------------------------

    def _resolve(self, raw_ref: Mapping[str, Any]) -> _Ref:
        """The shape a reference names, with the reference's own traits laid over it, as
        botocore resolves a shape reference."""
        # Most references are the shape's name alone, and resolve the same wherever they are.
        key: int | str = raw_ref["shape"] if len(raw_ref) == 1 else id(raw_ref)
        found = self._refs.get(key)
        if found is None:
            found = self._refs[key] = self._resolved(raw_ref)
        return found

    def _resolved(self, raw_ref: Mapping[str, Any]) -> _Ref:
        name = raw_ref["shape"]
        if len(raw_ref) == 2 and "documentation" in raw_ref:
            # The commonest reference of all: a member's own documentation over its shape,
            # which leaves all the rest as the shape's name alone resolves it.
            plain = self._resolve({"shape": name})
            return _Ref._make((*plain[:-1], raw_ref["documentation"]))
        shape = self._shapes[name]
        identity = name
        if len(raw_ref) > 1:
            merged = {**shape, **raw_ref}
            if "shape" in shape:
                merged["shape"] = shape["shape"]
            else:
                del merged["shape"]
            shape = merged
            identity = _identity(raw_ref, name)
        kind = str(shape["type"])
        special = _intrinsic_special(shape, kind)
        return _Ref(
            name,
            shape,
            kind,
            identity,
            special,
            str(special) if special else _PY_TYPES.get(kind, kind),
            shape.get("documentation", ""),
        )

    def _acyclic_shapes(self) -> Container[str]:
        if self._acyclic is None:
            self._acyclic = AcyclicShapes(self._shapes)
        return self._acyclic


def acyclic_shapes(shapes: Mapping[str, Mapping[str, Any]]) -> frozenset[str]:
    """The shapes from which no chain of references leads into a cycle (all of them at once)."""
    found = AcyclicShapes(shapes)
    return frozenset(name for name in shapes if name in found)


class AcyclicShapes:
    """Whether a chain of references from a shape leads into a cycle, found as shapes are
    asked about: only the shapes reachable from those are walked.

    A documenter asks about the shapes of the operations it documents, and a release
    documents a few operations of a service: walking the whole model for them took a third
    of the time documenting a release's changed operations (most of the walk was of shapes
    no changed operation reaches).

    A depth-first walk, without recursion, started from each shape asked about that no
    earlier walk reached. A shape is acyclic when every shape it refers to was walked to the
    end and found acyclic: one it refers to that is still on the walk's path (a cycle) or
    that leads into a cycle makes it, and every shape on the path above it, not acyclic.
    (Every shape reached is on the path or done, so "not yet found acyclic" is both.)
    """

    def __init__(self, shapes: Mapping[str, Mapping[str, Any]]) -> None:
        self._shapes = shapes
        self._acyclic: set[str] = set()
        # Every shape walked (or being walked).
        self._reached: set[str] = set()

    def __contains__(self, name: object) -> bool:
        if name not in self._reached:
            if not isinstance(name, str) or name not in self._shapes:
                return False
            self._walk_from(name)
        return name in self._acyclic

    def _targets(self, name: str) -> list[str]:
        """The shapes `name` refers to (as `edges_of` gives them, read here without making an
        Edge of each: the walk reads every reference of every shape it reaches)."""
        shapes = self._shapes
        shape = shapes[name]
        members = shape.get("members")
        if members is not None:
            return [target for ref in members.values() if (target := ref["shape"]) in shapes]
        return [
            shape[label]["shape"]
            for label in ("member", "key", "value")
            if label in shape and shape[label]["shape"] in shapes
        ]

    def _walk_from(self, start: str) -> None:
        reached, acyclic, targets = self._reached, self._acyclic, self._targets
        reached.add(start)
        # The path: each shape on it with what is left of its references to visit, and
        # whether it leads into a cycle as far as they were visited.
        path = [iter(targets(start))]
        names = [start]
        leads_into_cycle = [False]
        while path:
            for target in path[-1]:
                if target not in reached:
                    reached.add(target)
                    path.append(iter(targets(target)))
                    names.append(target)
                    leads_into_cycle.append(False)
                    break
                if target not in acyclic:
                    leads_into_cycle[-1] = True
            else:
                path.pop()
                name = names.pop()
                if leads_into_cycle.pop():
                    if leads_into_cycle:
                        leads_into_cycle[-1] = True
                else:
                    acyclic.add(name)


_ShapeKey = tuple[str, bool, "SpecialType | None"]

# A syntax line relative to the value it belongs to: depth, text, and the path suffix of the
# member it shows ("" for the value itself, ".Name", "[]", "{}" and so on beneath it).
_RelativeLine = tuple[int, str, str]


class _Expansion(NamedTuple):
    """What a value of a shape shows at one place: the syntax lines of the value (relative to
    the member it belongs to) and the members documented inside it. Both come from one walk."""

    lines: tuple[_RelativeLine, ...]
    children: tuple[MemberDoc, ...]


_RECURSIVE = _Expansion(((0, "{'... recursive ...'}", ""),), ())
_NESTED_TOO_DEEP = _Expansion(((0, TOO_DEEP, ""),), ())


class _Ref(NamedTuple):
    """A resolved reference: the shape's name, its dict with the reference's traits laid
    over it (but documentation), its type, what its value is built from (`_identity`), its
    special type and its documentation.

    (A plain tuple: one is made for each member of each structure documented.)"""

    name: str
    shape: Mapping[str, Any]
    type: str
    identity: str
    special: SpecialType | None
    # The type botocore names for a caller: its special type's name, or the Python type's.
    type_name: str
    # The reference's own documentation where it has some, else the shape's (the one trait
    # most references lay over their shape: kept apart, the shape's dict is not copied).
    documentation: str


# Traits a member's reference may lay over its shape that change what the shape holds or how
# its value is written; any other trait (documentation, location, ...) leaves both alone.
_SHAPING_TRAITS = frozenset(
    {"type", "members", "member", "key", "value", "required", "enum", "eventstream", "document"}
)


def _identity(raw_ref: Mapping[str, Any], name: str) -> str:
    """What a reference's value is built from: its shape, unless the reference reshapes it
    (botocore's models put an `enum` on a member of a plain string shape, for one)."""
    if len(raw_ref) > 1 and not _SHAPING_TRAITS.isdisjoint(raw_ref):
        return f"{name}#{id(raw_ref)}"
    return name


def _intrinsic_special(shape: Mapping[str, Any], kind: str) -> SpecialType | None:
    """The special types a shape has wherever it is (the others belong to the input or output)."""
    if shape.get("jsonvalue") and shape.get("location") == "header" and kind == "string":
        return SpecialType.JSON_VALUE
    if shape.get("document"):
        return SpecialType.DOCUMENT
    return None


def _union_members(ref: _Ref) -> tuple[str, ...]:
    return tuple(ref.shape.get("members", ())) if ref.shape.get("union") else ()


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
