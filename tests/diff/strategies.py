"""Hypothesis strategies: botocore-like service models, and mutations of them.

A generated model is a plain service-2.json document: metadata, operations whose input,
output and errors name structure shapes, and shapes of every type botocore uses, with
required lists, documentation, constraints and traits. References are drawn freely among
the shapes, so structures pointing back at themselves, directly or through a list or a
map, come up as often as in real models; `recursive` shapes add such cycles on purpose.

`cyclic_documents` draws models that are mostly one ring of structures, entered by several
operations at different places: where an operation's delta could depend on the others.

A mutation is a deep copy of a document with a few edits applied, each on a shape or an
operation no other edit touches, together with the `Change` each edit must produce.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import DrawFn

from apidiff.diff import Change, ChangeKind
from apidiff.model import ServiceModel
from apidiff.sources.base import Provenance

Document = dict[str, Any]

SCALAR_TYPES = ("string", "integer", "long", "boolean", "timestamp", "blob")
_SHAPE_TYPES = ("structure", "structure", "structure", "list", "map", *SCALAR_TYPES)
_WORDS = (
    "Arn",
    "Bucket",
    "Config",
    "Data",
    "Endpoint",
    "Filter",
    "Group",
    "Host",
    "Item",
    "Job",
    "Key",
    "Limit",
    "Model",
    "Name",
    "Output",
    "Policy",
    "Queue",
    "Role",
    "Status",
    "Tag",
    "Token",
    "User",
    "Value",
    "Version",
    "Zone",
)
# Member names as real models spell them: PascalCase, plus the lowercase `key`, `value` and
# `member` that 128 services of botocore 1.43 use (glue `Tag.key`, rds-data `SqlParameter.value`).
_MEMBER_NAMES = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from(("key", "value", "member", "name", "nextToken")),
)
# Regular expressions would be more varied, but drawing from them costs most of a run.
_SHAPE_NAMES = st.builds("{}{}".format, st.sampled_from(_WORDS), st.sampled_from(("", *"12")))
_OPERATION_NAMES = st.builds(
    "{}{}".format,
    st.sampled_from(("Get", "Put", "List", "Describe", "Delete")),
    st.sampled_from(_WORDS),
)
_ENUM_VALUES = st.sampled_from(
    [
        "ACTIVE",
        "INACTIVE",
        "PENDING",
        "FAILED",
        "Enabled",
        "Disabled",
        "gp2",
        "gp3",
        "io1",
        "on-demand",
    ]
)
_DOCS = st.sampled_from(
    ("<p>The name.</p>", "<p>The name of the thing.</p>", "", "<p>Deprecated.</p>")
)
_PATTERNS = st.sampled_from(("^[a-z]+$", "[\\s\\S]*", "^arn:aws:.*$", ".*"))
_LOCATION_NAMES = st.sampled_from(("name", "x-amz-name", "nextToken", "item"))
_BOUNDS = st.integers(min_value=0, max_value=4096)

METADATA: Document = {
    "apiVersion": "2020-01-01",
    "endpointPrefix": "generated",
    "jsonVersion": "1.1",
    "protocol": "json",
    "serviceFullName": "Generated Service",
    "serviceId": "Generated",
    "signatureVersion": "v4",
    "targetPrefix": "Generated",
    "uid": "generated-2020-01-01",
}
# A plain string every model has; map keys point at it or at another string shape.
KEY_SHAPE = "String"
# Cycles every kind of walk must survive: through a list, through a map, and direct.
_CYCLES: Document = {
    "Node": {
        "type": "structure",
        "members": {
            "Children": {"shape": "NodeList"},
            "ByName": {"shape": "NodeMap"},
            "Label": {"shape": KEY_SHAPE},
        },
        "required": ["Label"],
    },
    "NodeList": {"type": "list", "member": {"shape": "Node"}},
    "NodeMap": {"type": "map", "key": {"shape": KEY_SHAPE}, "value": {"shape": "Node"}},
    "SelfRef": {
        "type": "structure",
        "members": {"Next": {"shape": "SelfRef"}, "Tree": {"shape": "Node"}},
    },
}
_RESERVED = {KEY_SHAPE, *_CYCLES}


def build_model(document: Mapping[str, Any], name: str = "generated") -> ServiceModel:
    return ServiceModel(
        name=name,
        api_version=str(document["metadata"]["apiVersion"]),
        document=document,
        provenance=Provenance(spec="generated", location="generated"),
    )


@st.composite
def service_documents(
    draw: DrawFn, *, max_shapes: int = 10, max_operations: int = 4, recursive: bool = False
) -> Document:
    """A valid service-2.json document: every reference names a shape of the document."""
    names = draw(
        st.lists(
            _SHAPE_NAMES.filter(lambda n: n not in _RESERVED), max_size=max_shapes, unique=True
        )
    )
    types = {name: draw(st.sampled_from(_SHAPE_TYPES)) for name in names}
    types[KEY_SHAPE] = "string"
    with_cycles = recursive or draw(st.booleans())
    targets = sorted(types.keys() | (_CYCLES.keys() if with_cycles else set()))
    keys = sorted(name for name, shape_type in types.items() if shape_type == "string")
    definitions = _shape_definitions(targets, keys)
    shapes = {name: draw(definitions[shape_type]) for name, shape_type in types.items()}
    if with_cycles:
        shapes |= copy.deepcopy(_CYCLES)
    structures = sorted(name for name, shape in shapes.items() if shape["type"] == "structure")
    operations = draw(_operations(structures, max_operations))
    document: Document = {
        "version": "2.0",
        "metadata": dict(METADATA),
        "operations": operations,
        "shapes": shapes,
    }
    if draw(st.booleans()):
        document["documentation"] = draw(_DOCS)
    return document


def service_models(**options: Any) -> st.SearchStrategy[ServiceModel]:
    return service_documents(**options).map(build_model)


def _shape_definitions(names: list[str], keys: list[str]) -> dict[str, st.SearchStrategy[Document]]:
    """One strategy per shape type, built once per model: building strategies is costly."""
    targets, key_targets = st.sampled_from(names), st.sampled_from(keys)
    return {
        shape_type: _shape(shape_type, targets, key_targets) for shape_type in set(_SHAPE_TYPES)
    }


def _shape(
    shape_type: str, targets: st.SearchStrategy[str], keys: st.SearchStrategy[str]
) -> st.SearchStrategy[Document]:
    if shape_type == "structure":
        return _structure(st.dictionaries(_MEMBER_NAMES, _reference(targets), max_size=4))
    if shape_type == "list":
        return st.fixed_dictionaries(
            {"type": st.just("list"), "member": _reference(targets)},
            optional={"min": _BOUNDS, "max": _BOUNDS, "documentation": _DOCS},
        )
    if shape_type == "map":
        return st.fixed_dictionaries(
            {
                "type": st.just("map"),
                "key": st.fixed_dictionaries({"shape": keys}),
                "value": _reference(targets),
            },
            optional={"min": _BOUNDS, "max": _BOUNDS, "flattened": st.just(True)},
        )
    return _scalar(shape_type)


@functools.cache
def _scalar(shape_type: str) -> st.SearchStrategy[Document]:
    optional: dict[str, st.SearchStrategy[Any]] = {
        "documentation": _DOCS,
        "sensitive": st.just(True),
        "deprecated": st.just(True),
    }
    if shape_type == "string":
        optional |= {
            "enum": st.lists(_ENUM_VALUES, min_size=1, max_size=4, unique=True),
            "min": _BOUNDS,
            "max": _BOUNDS,
            "pattern": _PATTERNS,
        }
    elif shape_type in ("integer", "long"):
        optional |= {"min": _BOUNDS, "max": _BOUNDS, "box": st.just(True)}
    elif shape_type == "timestamp":
        optional["timestampFormat"] = st.sampled_from(("iso8601", "unixTimestamp"))
    elif shape_type == "blob":
        optional["streaming"] = st.just(True)
    return st.fixed_dictionaries({"type": st.just(shape_type)}, optional=optional)


def _reference(targets: st.SearchStrategy[str]) -> st.SearchStrategy[Document]:
    return st.fixed_dictionaries(
        {"shape": targets},
        optional={
            "documentation": _DOCS,
            "locationName": _LOCATION_NAMES,
            "location": st.sampled_from(("header", "querystring", "uri")),
            "idempotencyToken": st.just(True),
        },
    )


@st.composite
def _structure(draw: DrawFn, member_dicts: st.SearchStrategy[Document]) -> Document:
    members = draw(member_dicts)
    shape: Document = {"type": "structure", "members": members}
    required = [member for member in members if draw(st.booleans())]
    if required:
        shape["required"] = required
    if draw(st.booleans()):
        shape["documentation"] = draw(_DOCS)
    if draw(st.integers(0, 5)) == 0:
        shape["exception"] = True
    return shape


@st.composite
def _operations(draw: DrawFn, structures: list[str], max_operations: int) -> Document:
    if not structures:
        return {}
    names = draw(st.lists(_OPERATION_NAMES, min_size=1, max_size=max_operations, unique=True))
    return {name: draw(_operation(name, structures)) for name in names}


@st.composite
def _operation(draw: DrawFn, name: str, structures: list[str]) -> Document:
    shapes = st.sampled_from(structures)
    operation: Document = {
        "name": name,
        "http": {"method": draw(st.sampled_from(("POST", "GET"))), "requestUri": "/"},
    }
    if draw(st.integers(0, 4)):
        operation["input"] = {"shape": draw(shapes)}
    if draw(st.integers(0, 4)):
        operation["output"] = {"shape": draw(shapes)}
    errors = draw(st.lists(shapes, max_size=2, unique=True))
    if errors:
        operation["errors"] = [{"shape": error} for error in errors]
    if draw(st.booleans()):
        operation["documentation"] = draw(_DOCS)
    return operation


@dataclass(frozen=True)
class Mutation:
    """A mutated deep copy of a document, and the changes a diff from the original must find."""

    document: Document
    expected: tuple[Change, ...]


class _Editor:
    """Applies edits to a copy, keeping one edit per shape or operation so none undoes another."""

    def __init__(self, document: Document) -> None:
        self.original = document
        self.document = copy.deepcopy(document)
        self.shapes: Document = self.document["shapes"]
        self.operations: Document = self.document["operations"]
        self.touched: set[str] = set()
        self.expected: list[Change] = []

    def untouched(self, names: Iterable[str], type_filter: Callable[[Document], bool]) -> list[str]:
        return sorted(
            name for name in names if name not in self.touched and type_filter(self.shapes[name])
        )

    def referenced(self) -> set[str]:
        found = {KEY_SHAPE}
        for shape in self.shapes.values():
            for ref in (
                *shape.get("members", {}).values(),
                shape.get("member"),
                shape.get("value"),
            ):
                if ref is not None:
                    found.add(ref["shape"])
            if shape.get("key") is not None:
                found.add(shape["key"]["shape"])
        for operation in self.operations.values():
            for side in ("input", "output"):
                if side in operation:
                    found.add(operation[side]["shape"])
            found.update(error["shape"] for error in operation.get("errors", ()))
        return found

    def expect(self, kind: ChangeKind, **fields: Any) -> None:
        self.expected.append(Change(kind, **fields))


def _is_structure(shape: Document) -> bool:
    return bool(shape["type"] == "structure")


def _has_members(shape: Document) -> bool:
    return bool(_is_structure(shape) and shape["members"])


def _is_string(shape: Document) -> bool:
    return bool(shape["type"] == "string")


def _has_enum(shape: Document) -> bool:
    return bool(shape.get("enum"))


def _any(shape: Document) -> bool:
    return True


def _add_member(draw: DrawFn, editor: _Editor) -> None:
    candidates = editor.untouched(editor.shapes, _is_structure)
    if not candidates:
        return
    name = draw(st.sampled_from(candidates))
    shape = editor.shapes[name]
    member = draw(_MEMBER_NAMES.filter(lambda m: m not in shape["members"]))
    target = draw(st.sampled_from(sorted(editor.shapes)))
    shape["members"][member] = draw(_reference(st.just(target)))
    editor.touched.add(name)
    editor.expect(ChangeKind.MEMBER_ADDED, shape=name, member=member, new=target)
    if draw(st.booleans()):
        shape["required"] = [*shape.get("required", ()), member]


def _remove_member(draw: DrawFn, editor: _Editor) -> None:
    candidates = editor.untouched(editor.shapes, _has_members)
    if not candidates:
        return
    name = draw(st.sampled_from(candidates))
    shape = editor.shapes[name]
    member = draw(st.sampled_from(sorted(shape["members"])))
    target = shape["members"].pop(member)["shape"]
    _set_required(shape, [m for m in shape.get("required", ()) if m != member])
    editor.touched.add(name)
    editor.expect(ChangeKind.MEMBER_REMOVED, shape=name, member=member, old=target)


def _toggle_required(draw: DrawFn, editor: _Editor) -> None:
    candidates = editor.untouched(editor.shapes, _has_members)
    if not candidates:
        return
    name = draw(st.sampled_from(candidates))
    shape = editor.shapes[name]
    member = draw(st.sampled_from(sorted(shape["members"])))
    required = list(shape.get("required", ()))
    editor.touched.add(name)
    if member in required:
        _set_required(shape, [m for m in required if m != member])
        editor.expect(ChangeKind.MEMBER_REQUIRED_REMOVED, shape=name, member=member)
    else:
        _set_required(shape, [*required, member])
        editor.expect(ChangeKind.MEMBER_REQUIRED_ADDED, shape=name, member=member)


def _set_required(shape: Document, required: list[str]) -> None:
    if required:
        shape["required"] = required
    else:
        shape.pop("required", None)


def _add_enum_value(draw: DrawFn, editor: _Editor) -> None:
    candidates = editor.untouched(editor.shapes, _is_string)
    if not candidates:
        return
    name = draw(st.sampled_from(candidates))
    shape = editor.shapes[name]
    values = list(shape.get("enum", ()))
    value = draw(_ENUM_VALUES.filter(lambda v: v not in values))
    values.insert(draw(st.integers(0, len(values))), value)
    shape["enum"] = values
    editor.touched.add(name)
    editor.expect(ChangeKind.ENUM_VALUE_ADDED, shape=name, new=value)


def _remove_enum_value(draw: DrawFn, editor: _Editor) -> None:
    candidates = editor.untouched(editor.shapes, _has_enum)
    if not candidates:
        return
    name = draw(st.sampled_from(candidates))
    shape = editor.shapes[name]
    value = draw(st.sampled_from(shape["enum"]))
    shape["enum"] = [v for v in shape["enum"] if v != value]
    if not shape["enum"]:
        del shape["enum"]
    editor.touched.add(name)
    editor.expect(ChangeKind.ENUM_VALUE_REMOVED, shape=name, old=value)


def _retarget_member(draw: DrawFn, editor: _Editor, *, same_type: bool) -> None:
    """Point a member at another shape: of another type, or (same_type) of any type."""
    candidates = editor.untouched(editor.shapes, _has_members)
    if not candidates:
        return
    name = draw(st.sampled_from(candidates))
    shape = editor.shapes[name]
    member = draw(st.sampled_from(sorted(shape["members"])))
    old_target = shape["members"][member]["shape"]
    if old_target in editor.touched:
        return
    old_type = editor.original["shapes"][old_target]["type"]
    targets = [
        target
        for target in editor.untouched(editor.shapes, _any)
        if target != old_target and (same_type or editor.shapes[target]["type"] != old_type)
    ]
    alike = [target for target in targets if editor.shapes[target]["type"] == old_type]
    prefer_alike: bool = draw(st.booleans())
    if alike and prefer_alike:
        targets = alike
    if not targets:
        return
    target = draw(st.sampled_from(targets))
    shape["members"][member]["shape"] = target
    editor.touched.update((name, old_target, target))
    editor.expect(
        ChangeKind.MEMBER_TARGET_CHANGED, shape=name, member=member, old=old_target, new=target
    )
    new_type = editor.shapes[target]["type"]
    if new_type != old_type:
        editor.expect(
            ChangeKind.MEMBER_TYPE_CHANGED, shape=name, member=member, old=old_type, new=new_type
        )


def _change_scalar_type(draw: DrawFn, editor: _Editor) -> None:
    keys = {shape["key"]["shape"] for shape in editor.shapes.values() if "key" in shape}
    keys.add(KEY_SHAPE)  # Kept a string, so a map added later has a key to point at.
    candidates = [
        name
        for name in editor.untouched(editor.shapes, lambda s: s["type"] in SCALAR_TYPES)
        if name not in keys
    ]
    if not candidates:
        return
    name = draw(st.sampled_from(candidates))
    old_type = editor.shapes[name]["type"]
    new_type = draw(st.sampled_from([t for t in SCALAR_TYPES if t != old_type]))
    editor.shapes[name] = draw(_scalar(new_type))
    editor.touched.add(name)
    editor.expect(ChangeKind.SHAPE_TYPE_CHANGED, shape=name, old=old_type, new=new_type)


def _change_constraint(draw: DrawFn, editor: _Editor) -> None:
    candidates = editor.untouched(editor.shapes, lambda s: s["type"] != "structure")
    if not candidates:
        return
    name = draw(st.sampled_from(candidates))
    shape = editor.shapes[name]
    aspects = ("min", "max", "pattern") if _is_string(shape) else ("min", "max")
    aspect = draw(st.sampled_from(aspects))
    values: st.SearchStrategy[Any] = _PATTERNS if aspect == "pattern" else _BOUNDS
    old = shape.get(aspect)
    new = draw(st.one_of(st.none(), values).filter(lambda v: v != old))
    _set_key(shape, aspect, new)
    editor.touched.add(name)
    editor.expect(ChangeKind.CONSTRAINT_CHANGED, shape=name, aspect=aspect, old=old, new=new)


def _change_shape_docs_or_trait(draw: DrawFn, editor: _Editor) -> None:
    candidates = editor.untouched(editor.shapes, _any)
    if not candidates:
        return
    name = draw(st.sampled_from(candidates))
    shape = editor.shapes[name]
    aspect = draw(st.sampled_from(("documentation", "deprecated", "sensitive")))
    old = shape.get(aspect)
    values = _DOCS if aspect == "documentation" else st.just(True)
    new = draw(st.one_of(st.none(), values).filter(lambda v: v != old))
    _set_key(shape, aspect, new)
    editor.touched.add(name)
    if aspect == "documentation":
        editor.expect(ChangeKind.SHAPE_DOCS_CHANGED, shape=name, old=old, new=new)
    else:
        editor.expect(ChangeKind.SHAPE_TRAIT_CHANGED, shape=name, aspect=aspect, old=old, new=new)


def _change_member_docs_or_trait(draw: DrawFn, editor: _Editor) -> None:
    candidates = editor.untouched(editor.shapes, _has_members)
    if not candidates:
        return
    name = draw(st.sampled_from(candidates))
    member = draw(st.sampled_from(sorted(editor.shapes[name]["members"])))
    ref = editor.shapes[name]["members"][member]
    aspect = draw(st.sampled_from(("documentation", "locationName")))
    old = ref.get(aspect)
    values = _DOCS if aspect == "documentation" else _LOCATION_NAMES
    new = draw(st.one_of(st.none(), values).filter(lambda v: v != old))
    _set_key(ref, aspect, new)
    editor.touched.add(name)
    if aspect == "documentation":
        editor.expect(ChangeKind.MEMBER_DOCS_CHANGED, shape=name, member=member, old=old, new=new)
    else:
        editor.expect(
            ChangeKind.MEMBER_TRAIT_CHANGED,
            shape=name,
            member=member,
            aspect=aspect,
            old=old,
            new=new,
        )


def _set_key(mapping: Document, key: str, value: Any) -> None:
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value


def _add_shape(draw: DrawFn, editor: _Editor) -> None:
    name = draw(_SHAPE_NAMES.filter(lambda n: n not in editor.shapes and n not in editor.touched))
    shape_type = draw(st.sampled_from(_SHAPE_TYPES))
    keys = sorted(n for n, shape in editor.shapes.items() if _is_string(shape))
    targets = st.sampled_from(sorted(editor.shapes))
    editor.shapes[name] = draw(_shape(shape_type, targets, st.sampled_from(keys)))
    editor.touched.add(name)
    editor.expect(ChangeKind.SHAPE_ADDED, shape=name, new=shape_type)


def _remove_shape(draw: DrawFn, editor: _Editor) -> None:
    referenced = editor.referenced()
    candidates = [name for name in editor.untouched(editor.shapes, _any) if name not in referenced]
    if not candidates:
        return
    name = draw(st.sampled_from(candidates))
    shape = editor.shapes.pop(name)
    editor.touched.add(name)
    editor.expect(ChangeKind.SHAPE_REMOVED, shape=name, old=shape["type"])


def _add_operation(draw: DrawFn, editor: _Editor) -> None:
    structures = sorted(n for n, s in editor.shapes.items() if _is_structure(s))
    if not structures:
        return
    taken = editor.operations.keys() | editor.touched
    name = draw(_OPERATION_NAMES.filter(lambda n: n not in taken))
    editor.operations[name] = draw(_operation(name, structures))
    editor.touched.add(name)
    editor.expect(ChangeKind.OPERATION_ADDED, operation=name)


def _remove_operation(draw: DrawFn, editor: _Editor) -> None:
    candidates = sorted(editor.operations.keys() - editor.touched)
    if not candidates:
        return
    name = draw(st.sampled_from(candidates))
    del editor.operations[name]
    editor.touched.add(name)
    editor.expect(ChangeKind.OPERATION_REMOVED, operation=name)


_EDITS: tuple[Callable[[DrawFn, _Editor], None], ...] = (
    _add_member,
    _remove_member,
    _toggle_required,
    _add_enum_value,
    _remove_enum_value,
    _change_scalar_type,
    _change_constraint,
    _change_shape_docs_or_trait,
    _change_member_docs_or_trait,
    _add_shape,
    _remove_shape,
    _add_operation,
    _remove_operation,
)


@st.composite
def mutations(
    draw: DrawFn, document: Document, *, max_edits: int = 4, same_type_retargets: bool = True
) -> Mutation:
    """A deep copy of `document` with 1..max_edits edits; the original is never touched.

    Retargets always go to a shape of another type unless `same_type_retargets`: pointing a
    member at another structure makes the diff compare the two structurally (retarget.py).
    """
    editor = _Editor(document)

    def retarget(draw: DrawFn, editor: _Editor) -> None:
        _retarget_member(draw, editor, same_type=same_type_retargets)

    # Retargets weigh triple: they are the one edit that makes the diff compare two shapes.
    edits = st.sampled_from((*_EDITS, retarget, retarget, retarget))
    for edit in draw(st.lists(edits, min_size=1, max_size=max_edits)):
        edit(draw, editor)
    return Mutation(editor.document, tuple(editor.expected))


@st.composite
def document_pairs(
    draw: DrawFn, /, *, same_type_retargets: bool = True, **options: Any
) -> tuple[Document, Mutation]:
    document = draw(service_documents(**options))
    return document, draw(mutations(document, same_type_retargets=same_type_retargets))


@st.composite
def cyclic_documents(draw: DrawFn, *, max_structures: int = 5, max_operations: int = 5) -> Document:
    """A model that is mostly one cyclic group: structures in a ring (directly, through a
    list or through a map), with more references drawn among them, and operations entering
    the ring at different structures, directly or through a request or response wrapper.
    """
    count = draw(st.integers(2, max_structures))
    ring = [f"Ring{index}" for index in range(count)]
    shapes: Document = {
        KEY_SHAPE: {"type": "string"},
        "State": {"type": "string", "enum": ["ACTIVE", "FAILED"]},
    }
    for name in ring:
        shapes[f"{name}List"] = {"type": "list", "member": {"shape": name}}
        shapes[f"{name}Map"] = {
            "type": "map",
            "key": {"shape": KEY_SHAPE},
            "value": {"shape": name},
        }
    containers = sorted(shapes.keys() - {KEY_SHAPE, "State"})
    targets = st.sampled_from([*ring, *containers, KEY_SHAPE, "State"])
    for index, name in enumerate(ring):
        following = ring[(index + 1) % count]
        next_shape = draw(st.sampled_from((following, f"{following}List", f"{following}Map")))
        members: Document = {"Next": {"shape": next_shape}, "Label": {"shape": KEY_SHAPE}}
        for member in draw(st.lists(st.sampled_from(_WORDS), max_size=3, unique=True)):
            members[member] = {"shape": draw(targets)}
        shapes[name] = {"type": "structure", "members": members}
    entries = st.sampled_from(ring)
    operations: Document = {}
    names = draw(st.lists(_OPERATION_NAMES, min_size=2, max_size=max_operations, unique=True))
    for name in names:
        operation: Document = {"name": name, "http": {"method": "POST", "requestUri": "/"}}
        for side in ("input", "output"):
            entry = draw(entries)
            if draw(st.booleans()):
                wrapper = f"{name}{side.title()}"
                shapes[wrapper] = {
                    "type": "structure",
                    "members": {draw(st.sampled_from(_WORDS)): {"shape": draw(targets)}},
                }
                entry = wrapper
            operation[side] = {"shape": entry}
        operations[name] = operation
    return {
        "version": "2.0",
        "metadata": dict(METADATA),
        "operations": operations,
        "shapes": shapes,
    }


@st.composite
def cyclic_document_pairs(draw: DrawFn) -> tuple[Document, Mutation]:
    document = draw(cyclic_documents())
    return document, draw(mutations(document))
