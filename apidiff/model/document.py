"""Reading one botocore model file into a checked JSON document.

A service model (service-2.json, gzipped as service-2.json.gz since botocore 1.32) is read,
decompressed, parsed, validated against `schemas/service-model.schema.json` and checked for
references to shapes it does not define. Anything wrong raises `ModelLoadError` with a one-line
reason; nothing is returned half-checked.

The schema is the single source of truth. jsonschema-rs (compiled, ~1 ms for the 3,300-shape
SageMaker model, where jsonschema takes 0.4 s) says whether a document is valid; only when it
says no does jsonschema walk the document again to say where and why, in the words our errors
have always used. That costs nothing on the path every valid model takes.
"""

import json
import re
from collections.abc import Iterator
from functools import cache
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import orjson
from zlib_ng import zlib_ng

from apidiff.errors import ModelLoadError
from apidiff.model.verdicts import SCHEMA_NAME, ModelVerdicts
from apidiff.resources import schema_path

if TYPE_CHECKING:
    import jsonschema_rs
    from jsonschema import Draft202012Validator, ValidationError

_GZIP_MAGIC = b"\x1f\x8b"
# Half of a UTF-16 surrogate pair, alone: JSON's \uD800 escapes admit it, but it names no
# character, so no UTF-8 output (text, JSON, HTML) could hold it.
_SURROGATE = re.compile("[\ud800-\udfff]")
# How deep shapes may nest: past a few hundred levels the renderers' recursion and the JSON
# writer's (orjson stops at 255) would fail; botocore's models nest at most 23 levels.
MAX_NESTING = 100
_GZIP_WBITS = 16 + zlib_ng.MAX_WBITS  # zlib's way of saying "expect a gzip header and trailer"
# zlib-ng's type stub declares its error an instance of Exception; it is the class.
_InflateError = cast(type[Exception], zlib_ng.error)

# (file name prefix, the key such a document must hold, what the file is called)
_COMPANIONS = (
    ("paginators", "pagination", "paginators"),
    ("waiters", "waiters", "waiters"),
)

_TOP_LEVEL_KEYS = ("metadata", "operations", "shapes")


def read_model_document(path: Path) -> dict[str, Any]:
    """Read, decompress (if .gz), parse and validate one service-2.json[.gz] file."""
    return parse_model_document(_read_bytes(path), path)


def parse_model_document(
    data: bytes, path: Path, verdicts: ModelVerdicts | None = None
) -> dict[str, Any]:
    """The same for bytes already read (from a zip member, say); `path` is only named in errors.

    Bytes that `verdicts` knows to be a valid model skip the schema and reference checks.
    """
    document = _parse_json(data, path)
    _require_service_model(document, path)
    if verdicts is not None and verdicts.known_valid(data):
        return document
    if not _schema_check().is_valid(document):
        _raise_schema_violation(document, path)
    _check_references(document, path)
    if verdicts is not None:
        verdicts.remember_valid(data)
    return document


def read_companion_document(path: Path) -> dict[str, Any]:
    """Read and parse a paginators-1.json or waiters-2.json[.gz] file beside a service model."""
    return parse_companion_document(_read_bytes(path), path)


def parse_companion_document(data: bytes, path: Path) -> dict[str, Any]:
    """The same for bytes already read; the file name says which kind of companion is expected."""
    document = _parse_json(data, path)
    kinds = [kind for kind in _COMPANIONS if path.name.startswith(kind[0])] or list(_COMPANIONS)
    if not any(isinstance(document.get(key), dict) for _, key, _ in kinds):
        labels = _or_list([label for _, _, label in kinds])
        keys = _or_list([f'"{key}"' for _, key, _ in kinds])
        raise ModelLoadError(str(path), f"not a botocore {labels} file (no {keys} object)")
    return document


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ModelLoadError(str(path), _describe_os_error(error, path)) from None


def _describe_os_error(error: OSError, path: Path) -> str:
    # Checked first because Windows reports reading a directory as "permission denied".
    if path.is_dir():
        return "is a directory, not a file"
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return "no such file"
    if isinstance(error, PermissionError):
        return "permission denied"
    return f"cannot read: {(error.strerror or str(error)).lower()}"


def _parse_json(data: bytes, path: Path) -> dict[str, Any]:
    """Bytes to a JSON object, gunzipping first when the name or the content says gzip."""
    if not data:
        raise ModelLoadError(str(path), "empty file")
    if path.suffix == ".gz" or data.startswith(_GZIP_MAGIC):
        data = _gunzip(data, path)
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError:
        # orjson is several times faster on valid models; json explains bad ones better.
        document = _parse_json_slowly(data, path)
    if not isinstance(document, dict):
        kind = _json_kind(document)
        reason = f"not a botocore model file (the top level is {kind}, not an object)"
        raise ModelLoadError(str(path), reason)
    return document


def _parse_json_slowly(data: bytes, path: Path) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ModelLoadError(str(path), "not UTF-8 text") from None
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        reason = "empty file" if not text.strip() else _describe_json_error(error)
        raise ModelLoadError(str(path), reason) from None
    except ValueError as error:
        # NaN/Infinity, and integers longer than Python converts by default.
        raise ModelLoadError(str(path), f"not valid JSON: {error}") from None
    except RecursionError:
        raise ModelLoadError(str(path), "not valid JSON: nested too deeply") from None
    # orjson refuses lone surrogates and json takes them; refuse them here too.
    where = _lone_surrogate(document)
    if where is not None:
        raise ModelLoadError(
            str(path), f"not valid JSON text: a lone surrogate (not a character) in {where}"
        )
    return document


def _lone_surrogate(value: Any, where: str = "the top level") -> str | None:
    """Where in a parsed document a string (or key) holds a lone surrogate; None if nowhere."""
    if isinstance(value, str):
        return where if _SURROGATE.search(value) else None
    if isinstance(value, list):
        items: Iterator[tuple[str, Any]] = ((f"{where}[{i}]", item) for i, item in enumerate(value))
    elif isinstance(value, dict):
        items = chain.from_iterable(
            ((f"{where} (a key)", key), (f"{where}.{key}", item)) for key, item in value.items()
        )
    else:
        return None
    for place, item in items:
        found = _lone_surrogate(item, place.removeprefix("the top level."))
        if found is not None:
            return found
    return None


def _gunzip(data: bytes, path: Path) -> bytes:
    # zlib-ng, not the standard library's zlib: it inflates a model twice as fast
    # (113 → 56 ms for the 70 models botocore 1.44.8 changes), and gunzipping is most of what
    # reading a model costs before parsing it. Its inflater directly, not gzip.decompress, to
    # tell a truncated stream (not at eof) apart from a corrupt one (its error).
    pieces: list[bytes] = []
    while data:
        # A gzip file may hold several members one after the other; each needs a fresh inflater.
        inflater = zlib_ng.decompressobj(wbits=_GZIP_WBITS)
        try:
            pieces.append(inflater.decompress(data))
        except _InflateError:
            raise ModelLoadError(str(path), "not valid gzip data") from None
        if not inflater.eof:
            raise ModelLoadError(str(path), "truncated gzip data")
        data = inflater.unused_data
    plain = b"".join(pieces)
    if not plain:
        raise ModelLoadError(str(path), "empty file (after gzip decompression)")
    return plain


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _describe_json_error(error: json.JSONDecodeError) -> str:
    return f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"


def _require_service_model(document: dict[str, Any], path: Path) -> None:
    """Tell a file that is not a service model at all apart from a broken one."""
    missing = [key for key in _TOP_LEVEL_KEYS if not isinstance(document.get(key), dict)]
    if missing:
        names = _or_list([f'"{key}"' for key in missing])
        raise ModelLoadError(str(path), f"not a botocore service model (no {names} object)")


def _raise_schema_violation(document: dict[str, Any], path: Path) -> None:
    # Imported here: jsonschema takes ~35 ms to import and is only needed to explain a failure.
    from jsonschema.exceptions import best_match

    error = best_match(_schema_explainer().iter_errors(document))
    if error is None:
        # The two validators disagree (jsonschema-rs refuses an infinite number, say):
        # jsonschema is the reference, so accept.
        return
    where = _json_path(error)
    location = f" at {where}" if where else ""
    raise ModelLoadError(str(path), f"invalid service model{location}: {_describe(error)}")


def _json_path(error: "ValidationError") -> str:
    parts: list[str] = []
    for step in error.absolute_path:
        parts.append(f"[{step}]" if isinstance(step, int) else f".{step}")
    return "".join(parts).removeprefix(".")


_MAX_QUOTED = 60


def _describe(error: "ValidationError") -> str:
    """jsonschema's message, without quoting a whole object or a page of documentation."""
    quoted = repr(error.instance)
    message = error.message
    if len(quoted) <= _MAX_QUOTED or not message.startswith(quoted):
        return message
    return _json_kind(error.instance) + message[len(quoted) :]


def _or_list(items: list[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} or {items[-1]}"


def _json_kind(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"


def _check_references(document: dict[str, Any], path: Path) -> None:
    """Every shape named anywhere must be defined; operations exchange structures."""
    shapes: dict[str, dict[str, Any]] = document["shapes"]
    problems = chain(
        _shape_reference_problems(shapes),
        _operation_reference_problems(document["operations"], shapes),
    )
    first = next(problems, None)
    if first is not None:
        raise ModelLoadError(str(path), first)
    depth, root = _deepest_nesting(shapes)
    if depth > MAX_NESTING:
        raise ModelLoadError(
            str(path),
            f"shapes nest {depth} levels deep from '{root}' (apidiff reads at most"
            f" {MAX_NESTING}; botocore's deepest, bedrock-agent-runtime's, nest 23)",
        )


def _deepest_nesting(shapes: dict[str, dict[str, Any]]) -> tuple[int, str]:
    """How many shapes deep the deepest chain of shapes goes (a recursive shape counted once
    on each path), and the shape it starts from.

    Walked with a stack of our own, not by recursion: the chains it measures are the ones too
    deep for Python's recursion in the renderers and the JSON writer.
    """
    depth: dict[str, int] = {}
    for root in shapes:
        if root in depth:
            continue
        deepest_below = {root: 0}
        stack = [(root, iter(_nested_shapes(shapes[root])))]
        while stack:
            name, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                depth[name] = 1 + deepest_below.pop(name)
                if stack:
                    parent = stack[-1][0]
                    deepest_below[parent] = max(deepest_below[parent], depth[name])
            elif child in depth:
                deepest_below[name] = max(deepest_below[name], depth[child])
            elif child not in deepest_below:  # not a shape on the path down to here
                deepest_below[child] = 0
                stack.append((child, iter(_nested_shapes(shapes[child]))))
    root = max(depth, key=depth.__getitem__, default="")
    return depth.get(root, 0), root


def _nested_shapes(shape: dict[str, Any]) -> Iterator[str]:
    kind = shape["type"]
    if kind == "structure":
        yield from (member["shape"] for member in shape["members"].values())
    elif kind == "list":
        yield shape["member"]["shape"]
    elif kind == "map":
        yield shape["key"]["shape"]
        yield shape["value"]["shape"]


def _shape_reference_problems(shapes: dict[str, dict[str, Any]]) -> Iterator[str]:
    for name, shape in shapes.items():
        kind = shape["type"]
        if kind == "structure":
            members: dict[str, dict[str, Any]] = shape["members"]
            for member_name, member in members.items():
                if member["shape"] not in shapes:
                    yield (
                        f"shape '{name}' member '{member_name}' refers to missing shape "
                        f"'{member['shape']}'"
                    )
            for required in shape.get("required", ()):
                if required not in members:
                    yield f"shape '{name}' requires '{required}', which is not one of its members"
        elif kind == "list":
            if shape["member"]["shape"] not in shapes:
                target = shape["member"]["shape"]
                yield f"shape '{name}' list member refers to missing shape '{target}'"
        elif kind == "map":
            for part in ("key", "value"):
                if shape[part]["shape"] not in shapes:
                    target = shape[part]["shape"]
                    yield f"shape '{name}' map {part} refers to missing shape '{target}'"


def _operation_reference_problems(
    operations: dict[str, dict[str, Any]], shapes: dict[str, dict[str, Any]]
) -> Iterator[str]:
    for name, operation in operations.items():
        uses: list[tuple[str, dict[str, Any]]] = [
            (role, operation[role]) for role in ("input", "output") if role in operation
        ]
        uses += [("error", error) for error in operation.get("errors", ())]
        for role, ref in uses:
            target = shapes.get(ref["shape"])
            if target is None:
                yield f"operation '{name}' {role} refers to missing shape '{ref['shape']}'"
            elif target["type"] != "structure":
                yield (
                    f"operation '{name}' {role} '{ref['shape']}' is a {target['type']} shape, "
                    "not a structure"
                )


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path(SCHEMA_NAME).read_text(encoding="utf-8"))
    return schema


@cache
def _schema_check() -> "jsonschema_rs.Draft202012Validator":
    # Imported here: 20 ms (it loads email, socket and decimal), which a run whose models
    # are all known valid (see ModelVerdicts) never needs.
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(_schema())


@cache
def _schema_explainer() -> "Draft202012Validator":
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_schema())
