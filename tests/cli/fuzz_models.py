"""Hypothesis strategies for the CLI fuzz test: model files as a user might hand them over.

A `ModelFile` is the bytes of one service-2.json (or .json.gz) with a label saying what kind
of input it is: `valid` (what botocore ships: generated, cyclic, huge, deeply nested, or
with hostile documentation), `invalid` (a valid model with one thing wrong, or no model at
all). Only valid inputs promise a successful run; every input promises a clean one.
"""

from __future__ import annotations

import copy
import gzip
import json
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import DrawFn

from apidiff.model.document import MAX_NESTING
from tests.diff.strategies import METADATA, cyclic_documents, mutations, service_documents

Document = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ModelFile:
    content: bytes
    valid: bool
    gzipped: bool
    # What the strategy made, for reading a failing example.
    label: str

    @property
    def filename(self) -> str:
        return "service-2.json.gz" if self.gzipped else "service-2.json"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis prints a failing example with this: the label and the start of the
        content, not a megabyte of JSON."""
        head = self.content[:300] + (b"..." if len(self.content) > 300 else b"")
        printer.text(
            f"ModelFile({self.label!r}, valid={self.valid}, {len(self.content)} bytes: {head!r})"
        )


# Text that has broken renderers before, or could: markup of every format we write,
# template syntax, terminal escapes, control characters, bidi overrides.
HOSTILE_TEXT = st.sampled_from(
    (
        "<script>alert(1)</script>",
        "<p>Unclosed <b>bold <i>and <code>code",
        "</code></pre></div></body></html>",
        "{{ 7 * 7 }} {% raw %} {# comment",
        "\x1b[31mred\x1b[0m \x1b]0;title\x07",
        "NUL\x00byte and \x7f DEL",
        "line\r\nbreak\rcarriage\x0bvertical\x0cform",
        "\u202eevil\u202c right-to-left",
        "| a | table | break |\n|---|---|",
        "```\ncode fence\n```",
        "&bogus; &amp;&lt;&#0;&#x110000;",
        "%s %d {0} {name}",
        "]]> <![CDATA[",
        "<a href='javascript:alert(1)'>link</a>",
        "💥" * 50,
        "x" * 20_000,
        "<p>" * 300,
    )
)
HOSTILE_NAMES = st.sampled_from(
    ("../../etc/passwd", "a/b", "<x>", "with space", "ütf", "..", ".", "-", "CON", "a" * 300)
)


def encode(document: Any, *, gzipped: bool) -> bytes:
    # ensure_ascii: a lone surrogate must reach the parser as \ud800, as JSON allows.
    data = json.dumps(document, ensure_ascii=True).encode()
    return gzip.compress(data, mtime=0) if gzipped else data


@st.composite
def valid_documents(draw: DrawFn) -> tuple[Document, str]:
    kind = draw(st.sampled_from(("generated", "cyclic", "huge", "deep", "hostile")))
    if kind == "cyclic":
        return draw(cyclic_documents()), kind
    document = draw(service_documents(max_shapes=12, max_operations=5))
    if kind == "huge":
        widen(document, draw(st.integers(200, 1500)))
    elif kind == "deep":
        # As deep as a valid model may nest: the chain, its operation's input and the string
        # at its end (deeper ones are refused: test_a_model_nested_too_deep_...).
        depth = draw(st.integers(50, MAX_NESTING - 2))
        deepen(document, depth, draw(st.sampled_from(("structure", "list"))))
    elif kind == "hostile":
        draw(hostile_documentation(document))
    return document, kind


_CHAIN = 40


def widen(document: Document, count: int) -> None:
    """Many structures in chains of _CHAIN, the head of each chain a member of one
    operation's input. (Each member of a request prints its whole type in the method's
    documentation: one input reaching every shape through every member would make the
    documentation quadratic in the size of the model, here and in botocore's.)"""
    shapes = document["shapes"]
    names = [f"Wide{index}" for index in range(count)]
    for index, name in enumerate(names):
        members = {"Name": {"shape": "String"}}
        if (index + 1) % _CHAIN and index + 1 < count:
            members["Next"] = {"shape": names[index + 1]}
        shapes[name] = {
            "type": "structure",
            "members": members,
            "documentation": f"<p>Shape {index}.</p>",
        }
    shapes["WideList"] = {"type": "list", "member": {"shape": names[0]}}
    shapes["WideInput"] = {
        "type": "structure",
        "members": {name: {"shape": name} for name in names[::_CHAIN]},
    }
    document["operations"]["ListWide"] = {
        "name": "ListWide",
        "http": {"method": "POST", "requestUri": "/"},
        "input": {"shape": "WideInput"},
        "output": {"shape": names[-1]},
    }


def deepen(document: Document, depth: int, kind: str) -> None:
    """A chain of `depth` shapes, each holding the next, at the end of one operation."""
    shapes = document["shapes"]
    for level in range(depth):
        inner = f"Deep{level + 1}" if level + 1 < depth else "String"
        if kind == "list":
            shapes[f"Deep{level}"] = {"type": "list", "member": {"shape": inner}}
        else:
            shapes[f"Deep{level}"] = {"type": "structure", "members": {"Inner": {"shape": inner}}}
    shapes["DeepInput"] = {"type": "structure", "members": {"Root": {"shape": "Deep0"}}}
    document["operations"]["GetDeep"] = {
        "name": "GetDeep",
        "http": {"method": "POST", "requestUri": "/"},
        "input": {"shape": "DeepInput"},
        "output": {"shape": "DeepInput"},
    }


@st.composite
def hostile_documentation(draw: DrawFn, document: Document) -> None:
    """Hostile text in every place a model carries free text, and in names."""
    text = HOSTILE_TEXT
    document["documentation"] = draw(text)
    metadata = document["metadata"]
    for key in draw(st.sets(st.sampled_from(("serviceFullName", "serviceId", "uid")))):
        metadata[key] = draw(text)
    for operation in document["operations"].values():
        operation["documentation"] = draw(text)
        if draw(st.booleans()):
            operation["deprecatedMessage"] = draw(text)
            operation["deprecated"] = True
    for shape in document["shapes"].values():
        shape["documentation"] = draw(text)
        for member in shape.get("members", {}).values():
            member["documentation"] = draw(text)
        if shape["type"] == "string" and draw(st.booleans()):
            shape["enum"] = draw(st.lists(text, min_size=1, max_size=3, unique=True))
    if document["shapes"] and draw(st.booleans()):
        rename_shape(
            document, draw(st.sampled_from(sorted(document["shapes"]))), draw(HOSTILE_NAMES)
        )
    if document["operations"] and draw(st.booleans()):
        rename_operation(
            document, draw(st.sampled_from(sorted(document["operations"]))), draw(HOSTILE_NAMES)
        )


def rename_shape(document: Document, old: str, new: str) -> None:
    shapes = document["shapes"]
    if new in shapes:
        return
    shapes[new] = shapes.pop(old)
    for reference in references(document):
        if reference.get("shape") == old:
            reference["shape"] = new


def rename_operation(document: Document, old: str, new: str) -> None:
    operations = document["operations"]
    if new in operations:
        return
    operation = operations.pop(old)
    operation["name"] = new
    operations[new] = operation


def references(document: Document) -> list[Document]:
    found: list[Document] = []
    for operation in document["operations"].values():
        found.extend(operation[side] for side in ("input", "output") if side in operation)
        found.extend(operation.get("errors", []))
    for shape in document["shapes"].values():
        found.extend(shape.get("members", {}).values())
        found.extend(shape[part] for part in ("member", "key", "value") if part in shape)
    return found


# One thing wrong with an otherwise valid model: each a function of (draw, document).
def _missing_top_key(draw: DrawFn, document: Document) -> None:
    del document[draw(st.sampled_from(("metadata", "shapes", "operations")))]


def _dangling_reference(draw: DrawFn, document: Document) -> None:
    found = references(document)
    if found:
        draw(st.sampled_from(found))["shape"] = "NoSuchShape"
    else:
        document["operations"]["Broken"] = {"name": "Broken", "input": {"shape": "Nowhere"}}


def _wrong_type(draw: DrawFn, document: Document) -> None:
    value: object = draw(st.sampled_from((None, 7, [], "text", {"a": 1}, True)))
    where = draw(st.sampled_from(("shapes", "operations", "metadata", "shape", "member")))
    if where in ("shapes", "operations", "metadata"):
        document[where] = value
        return
    found = references(document)
    if found and where == "member":
        draw(st.sampled_from(found))["shape"] = value
    elif document["shapes"]:
        document["shapes"][draw(st.sampled_from(sorted(document["shapes"])))] = value
    else:
        document["shapes"] = value


def _unknown_shape_type(draw: DrawFn, document: Document) -> None:
    name = draw(st.sampled_from(sorted(document["shapes"])))
    document["shapes"][name]["type"] = draw(st.sampled_from(("union-ish", "", "STRUCTURE")))


def _bad_required(draw: DrawFn, document: Document) -> None:
    structures = [shape for shape in document["shapes"].values() if shape["type"] == "structure"]
    if structures:
        draw(st.sampled_from(structures))["required"] = draw(
            st.sampled_from((["NoSuchMember"], "Name", [1, None]))
        )
    else:
        document["shapes"]["String"]["required"] = ["Name"]


def _operation_on_a_list(draw: DrawFn, document: Document) -> None:
    document["shapes"]["NotAStructure"] = {"type": "list", "member": {"shape": "String"}}
    document["operations"]["OnList"] = {
        "name": "OnList",
        "http": {"method": "POST", "requestUri": "/"},
        "input": {"shape": draw(st.sampled_from(("NotAStructure", "String")))},
    }


def _bad_constraint(draw: DrawFn, document: Document) -> None:
    name = draw(st.sampled_from(sorted(document["shapes"])))
    key = draw(st.sampled_from(("min", "max", "enum", "pattern")))
    document["shapes"][name][key] = draw(st.sampled_from(("ten", -1e308, None, [1], {"x": 1})))


def _bad_metadata(draw: DrawFn, document: Document) -> None:
    metadata = document["metadata"]
    key = draw(st.sampled_from(sorted(METADATA)))
    if draw(st.booleans()):
        del metadata[key]
    else:
        metadata[key] = draw(st.sampled_from((None, 1, "", ["x"], "../../x")))


def _lone_surrogate(draw: DrawFn, document: Document) -> None:
    """Valid JSON (`"\\ud800"`) that no UTF-8 output can hold."""
    if draw(st.booleans()):
        document["documentation"] = "\ud800"
    else:
        document["metadata"]["serviceFullName"] = "a\udfffb"


_CORRUPTIONS = (
    _lone_surrogate,
    _missing_top_key,
    _dangling_reference,
    _wrong_type,
    _unknown_shape_type,
    _bad_required,
    _operation_on_a_list,
    _bad_constraint,
    _bad_metadata,
)

# Files that hold no model at all.
_NOT_MODELS: tuple[bytes, ...] = (
    b"",
    b"{",
    b"\xff\xfe\x00{",
    b"null",
    b"[]",
    b'"a string"',
    b"1e999999",
    b'{"version": NaN}',
    b"[" * 50_000 + b"]" * 50_000,
    b'{"a": ' * 5_000 + b"1" + b"}" * 5_000,
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
    gzip.compress(b'{"version": "2.0"', mtime=0)[:-6],
)


@st.composite
def invalid_files(draw: DrawFn) -> ModelFile:
    if draw(st.integers(0, 3)) == 0:
        content = draw(st.sampled_from(_NOT_MODELS))
        gzipped = content.startswith(b"\x1f\x8b")
        return ModelFile(content, valid=False, gzipped=gzipped, label="not a model")
    document = draw(service_documents(max_shapes=8, max_operations=3))
    document["shapes"].setdefault("String", {"type": "string"})
    corruption = draw(st.sampled_from(_CORRUPTIONS))
    corruption(draw, document)
    gzipped = draw(st.booleans())
    return ModelFile(
        encode(document, gzipped=gzipped), valid=False, gzipped=gzipped, label=corruption.__name__
    )


@st.composite
def model_pairs(draw: DrawFn) -> tuple[ModelFile, ModelFile]:
    """Two versions of one service: valid both (the new a mutation of the old), or one of
    them (or both) invalid."""
    document, kind = draw(valid_documents())
    gzipped = draw(st.booleans())
    if kind in ("huge", "deep"):
        # Mutations pick shapes at random: on a thousand shapes, drawing is the slow part.
        new_document = copy.deepcopy(document)
        new_document["shapes"]["String"]["documentation"] = "<p>Changed.</p>"
    else:
        new_document = draw(mutations(document)).document
    old = ModelFile(encode(document, gzipped=gzipped), True, gzipped, f"{kind} old")
    new = ModelFile(encode(new_document, gzipped=gzipped), True, gzipped, f"{kind} new")
    broken = draw(st.sampled_from(("neither", "neither", "neither", "old", "new", "both")))
    if broken in ("old", "both"):
        old = draw(invalid_files())
    if broken in ("new", "both"):
        new = draw(invalid_files())
    return old, new
