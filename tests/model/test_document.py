"""Reading one model file: every failure is one clear line, every real model loads."""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path
from typing import Any

import botocore
import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from apidiff.errors import ModelLoadError
from apidiff.model.document import (
    MAX_NESTING,
    SCHEMA_NAME,
    _deepest_nesting,
    parse_companion_document,
    parse_model_document,
    read_companion_document,
    read_model_document,
)
from apidiff.resources import schema_path
from tests.conftest import FIXTURES, MODELS

BAD_MODELS = FIXTURES / "bad_models"
SAGEMAKER_DIR = MODELS / "botocore-1.20.41" / "sagemaker" / "2017-07-24"
SAGEMAKER = SAGEMAKER_DIR / "service-2.json.gz"
BOTOCORE_DATA = Path(botocore.__file__).parent / "data"

SHAPE_TYPES = (
    "['structure', 'list', 'map', 'string', 'blob', 'boolean', 'timestamp', "
    "'integer', 'long', 'float', 'double']"
)
LOCATIONS = "['uri', 'querystring', 'header', 'headers', 'statusCode']"

# One file per failure mode, each a copy of valid.json broken in one way (or not JSON at all).
EXPECTED_REASONS = {
    "empty.json": "empty file",
    "blank.json": "empty file",
    "not-json.json": "not valid JSON: Expecting ',' delimiter at line 4 column 3",
    "nan.json": "not valid JSON: NaN is not a JSON value",
    "not-utf8.json": "not UTF-8 text",
    "truncated.json.gz": "truncated gzip data",
    "not-gzip.json.gz": "not valid gzip data",
    "bad-checksum.json.gz": "not valid gzip data",
    "empty-inside.json.gz": "empty file (after gzip decompression)",
    "not-an-object.json": "not a botocore model file (the top level is an array, not an object)",
    "no-shapes.json": 'not a botocore service model (no "shapes" object)',
    "paginators-1.json": (
        'not a botocore service model (no "metadata", "operations" or "shapes" object)'
    ),
    "member-without-shape.json": (
        "invalid service model at shapes.GetFooRequest.members.Name: 'shape' is a required property"
    ),
    "bad-shape-type.json": (
        f"invalid service model at shapes.Name.type: 'text' is not one of {SHAPE_TYPES}"
    ),
    "wrong-type-for-min.json": (
        "invalid service model at shapes.Name.min: '1' is not of type 'number'"
    ),
    "list-without-member.json": (
        "invalid service model at shapes.NameList: 'member' is a required property"
    ),
    "structure-without-members.json": (
        "invalid service model at shapes.NotFound: 'members' is a required property"
    ),
    "members-not-an-object.json": (
        "invalid service model at shapes.GetFooResponse.members: an array is not of type 'object'"
    ),
    "enum-not-strings.json": (
        "invalid service model at shapes.Name.enum[1]: 2 is not of type 'string'"
    ),
    "bad-location.json": (
        "invalid service model at shapes.GetFooRequest.members.Name.location: "
        f"'body' is not one of {LOCATIONS}"
    ),
    "operation-without-http.json": (
        "invalid service model at operations.GetFoo: 'http' is a required property"
    ),
    "error-not-an-object.json": (
        "invalid service model at operations.GetFoo.errors[0]: 'NotFound' is not of type 'object'"
    ),
    "metadata-without-protocol.json": (
        "invalid service model at metadata: 'protocol' is a required property"
    ),
    "shape-not-an-object.json": (
        "invalid service model at shapes.Size: 'long' is not of type 'object'"
    ),
    "missing-member-shape.json": (
        "shape 'GetFooResponse' member 'Size' refers to missing shape 'Bytes'"
    ),
    "missing-list-member-shape.json": (
        "shape 'NameList' list member refers to missing shape 'Names'"
    ),
    "missing-map-value-shape.json": "shape 'TagMap' map value refers to missing shape 'TagValue'",
    "missing-input-shape.json": (
        "operation 'GetFoo' input refers to missing shape 'GetFooRequest'"
    ),
    "missing-error-shape.json": "operation 'GetFoo' error refers to missing shape 'Throttled'",
    "input-not-a-structure.json": (
        "operation 'GetFoo' input 'Name' is a string shape, not a structure"
    ),
    "required-not-a-member.json": (
        "shape 'GetFooRequest' requires 'Nmae', which is not one of its members"
    ),
}

SCHEMA_VIOLATIONS = sorted(
    name for name, reason in EXPECTED_REASONS.items() if reason.startswith("invalid service model")
)
REFERENCE_PROBLEMS = sorted(
    name for name, reason in EXPECTED_REASONS.items() if reason.startswith(("shape ", "operation "))
)


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path(SCHEMA_NAME).read_text(encoding="utf-8"))
    return schema


def _valid_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((BAD_MODELS / "valid.json").read_text(encoding="utf-8"))
    return document


@pytest.mark.parametrize("name", sorted(EXPECTED_REASONS))
def test_bad_model_is_refused_with_one_clear_line(name: str) -> None:
    path = BAD_MODELS / name
    with pytest.raises(ModelLoadError) as raised:
        read_model_document(path)
    assert raised.value.reason == EXPECTED_REASONS[name]
    assert raised.value.where == str(path)
    assert str(raised.value) == f"{path}: {EXPECTED_REASONS[name]}"


def test_every_file_in_the_bad_corpus_has_an_expected_reason() -> None:
    corpus = {path.name for path in BAD_MODELS.iterdir()} - {"valid.json"}
    assert corpus == set(EXPECTED_REASONS)


def test_the_corpus_base_model_is_valid() -> None:
    document = read_model_document(BAD_MODELS / "valid.json")
    assert set(document["shapes"]) >= {"GetFooRequest", "GetFooResponse", "NameList", "TagMap"}


def test_real_sagemaker_model_loads() -> None:
    document = read_model_document(SAGEMAKER)
    assert document["metadata"]["serviceFullName"] == "Amazon SageMaker Service"
    assert "CreateEndpointConfig" in document["operations"]
    assert len(document["shapes"]) > 1000


def test_json_and_json_gz_give_the_same_document(tmp_path: Path) -> None:
    plain = tmp_path / "service-2.json"
    plain.write_bytes(gzip.decompress(SAGEMAKER.read_bytes()))
    assert read_model_document(plain) == read_model_document(SAGEMAKER)


def test_bytes_from_a_zip_member_name_the_member_in_errors() -> None:
    member = Path("botocore-1.20.41-py2.py3-none-any.whl/botocore/data/x/1/service-2.json.gz")
    with pytest.raises(ModelLoadError) as raised:
        parse_model_document(b'{"metadata": {}}', member)
    assert raised.value.where == str(member)
    assert raised.value.reason == "not valid gzip data"


def test_gzip_content_is_recognised_without_the_gz_suffix() -> None:
    data = gzip.compress((BAD_MODELS / "valid.json").read_bytes())
    assert parse_model_document(data, Path("service-2.json")) == _valid_document()


def test_concatenated_gzip_members_are_one_file() -> None:
    text = (BAD_MODELS / "valid.json").read_bytes()
    data = gzip.compress(text[:100]) + gzip.compress(text[100:])
    assert parse_model_document(data, Path("service-2.json.gz")) == _valid_document()


def test_a_utf8_byte_order_mark_is_accepted() -> None:
    data = b"\xef\xbb\xbf" + (BAD_MODELS / "valid.json").read_bytes()
    assert parse_model_document(data, Path("service-2.json")) == _valid_document()


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError) as raised:
        read_model_document(tmp_path / "service-2.json")
    assert raised.value.reason == "no such file"


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError) as raised:
        read_model_document(tmp_path)
    assert raised.value.reason == "is a directory, not a file"


def test_unreadable_file_is_permission_denied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulated: the suite may run as root, who can read a chmod 000 file.
    path = tmp_path / "service-2.json"
    path.write_text("{}")

    def deny(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(ModelLoadError) as raised:
        read_model_document(path)
    assert raised.value.reason == "permission denied"


def test_real_paginators_and_waiters_are_read() -> None:
    paginators = read_companion_document(SAGEMAKER_DIR / "paginators-1.json.gz")
    waiters = read_companion_document(SAGEMAKER_DIR / "waiters-2.json.gz")
    assert "ListEndpoints" in paginators["pagination"]
    assert "EndpointInService" in waiters["waiters"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("paginators-1.json", 'not a botocore paginators file (no "pagination" object)'),
        ("waiters-2.json", 'not a botocore waiters file (no "waiters" object)'),
        (
            "companion.json",
            'not a botocore paginators or waiters file (no "pagination" or "waiters" object)',
        ),
    ],
)
def test_companion_without_its_key_is_refused(name: str, reason: str) -> None:
    with pytest.raises(ModelLoadError) as raised:
        parse_companion_document(b'{"shapes": {}}', Path(name))
    assert raised.value.reason == reason


def test_companion_shares_the_parse_errors() -> None:
    with pytest.raises(ModelLoadError) as raised:
        read_companion_document(BAD_MODELS / "truncated.json.gz")
    assert raised.value.reason == "truncated gzip data"


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(_schema())


@pytest.mark.parametrize("name", SCHEMA_VIOLATIONS)
def test_fast_check_and_jsonschema_both_refuse_schema_violations(name: str) -> None:
    document = json.loads((BAD_MODELS / name).read_text(encoding="utf-8"))
    assert not jsonschema_rs.Draft202012Validator(_schema()).is_valid(document)
    assert not Draft202012Validator(_schema()).is_valid(document)


@pytest.mark.parametrize("name", REFERENCE_PROBLEMS)
def test_reference_problems_pass_the_schema(name: str) -> None:
    document = json.loads((BAD_MODELS / name).read_text(encoding="utf-8"))
    assert jsonschema_rs.Draft202012Validator(_schema()).is_valid(document)


def test_where_the_validators_disagree_jsonschema_decides() -> None:
    # 1e400 parses to infinity: a number to jsonschema, not one to jsonschema-rs.
    text = (BAD_MODELS / "valid.json").read_text(encoding="utf-8")
    data = text.replace('"max": 64', '"max": 1e400', 1).encode()
    document = parse_model_document(data, Path("service-2.json"))
    assert document["shapes"]["Name"]["max"] == float("inf")


def _paths(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


_BASE = _valid_document()
_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(-2, 2, allow_nan=False)
    | st.sampled_from(["", "structure", "list", "map", "string", "uri", "POST", "Name"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(
    where=st.sampled_from(_paths(_BASE)[1:]),
    replacement=_JSON_VALUES,
    delete=st.booleans(),
)
def test_fast_check_agrees_with_jsonschema(
    where: tuple[str | int, ...], replacement: Any, delete: bool
) -> None:
    document = copy.deepcopy(_BASE)
    parent: Any = document
    for step in where[:-1]:
        parent = parent[step]
    if delete:
        del parent[where[-1]]
    else:
        parent[where[-1]] = replacement
    schema = _schema()
    assert jsonschema_rs.Draft202012Validator(schema).is_valid(document) == Draft202012Validator(
        schema
    ).is_valid(document)


def test_every_installed_botocore_service_model_loads() -> None:
    paths = sorted(BOTOCORE_DATA.glob("*/*/service-2.json*"))
    assert len(paths) > 300
    for path in paths:
        read_model_document(path)


@pytest.mark.parametrize(
    ("escaped", "where"),
    [
        (
            '{"metadata": {"protocol": "json", "serviceFullName": "x\\ud800"}',
            "metadata.serviceFullName",
        ),
        ('{"metadata": {"protocol": "json"}, "x": ["\\udc00"]', "x[0]"),
        ('{"metadata": {"protocol": "json", "a\\ud83d": 1}', "metadata (a key)"),
    ],
)
def test_a_lone_surrogate_is_refused_naming_where_it_is(
    tmp_path: Path, escaped: str, where: str
) -> None:
    # json takes "\ud800" as a one-character string that no UTF-8 output can hold.
    path = tmp_path / "service-2.json"
    path.write_text(escaped + ', "operations": {}, "shapes": {}}', encoding="ascii")
    with pytest.raises(ModelLoadError) as refused:
        read_model_document(path)
    assert refused.value.reason == (
        f"not valid JSON text: a lone surrogate (not a character) in {where}"
    )


def test_a_surrogate_pair_is_one_character_and_accepted(tmp_path: Path) -> None:
    path = tmp_path / "service-2.json"
    document = json.loads((FIXTURES / "bad_models" / "valid.json").read_text(encoding="utf-8"))
    document["metadata"]["serviceFullName"] = "Smile \U0001f600"
    path.write_text(json.dumps(document, ensure_ascii=True), encoding="ascii")
    assert read_model_document(path)["metadata"]["serviceFullName"] == "Smile \U0001f600"


def chain_of_shapes(depth: int, *, cycle: bool = False) -> dict[str, Any]:
    """The corpus's valid model with a chain of `depth` shapes, each holding the next: the
    last a string, or (a cycle) the first again."""
    document: dict[str, Any] = json.loads(
        (FIXTURES / "bad_models" / "valid.json").read_text(encoding="utf-8")
    )
    structures = depth if cycle else depth - 1
    for level in range(structures):
        inner = f"Deep{level + 1}" if level + 1 < structures else ("Deep0" if cycle else "String")
        document["shapes"][f"Deep{level}"] = {
            "type": "structure",
            "members": {"Inner": {"shape": inner}},
        }
    document["shapes"].setdefault("String", {"type": "string"})
    return document


def test_shapes_nested_deeper_than_apidiff_reads_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "service-2.json"
    path.write_text(json.dumps(chain_of_shapes(MAX_NESTING + 1)), encoding="utf-8")
    with pytest.raises(ModelLoadError) as refused:
        read_model_document(path)
    assert refused.value.reason.startswith(
        f"shapes nest {MAX_NESTING + 1} levels deep from 'Deep0' (apidiff reads at most 100;"
    )


@pytest.mark.parametrize(("depth", "cycle"), [(MAX_NESTING, False), (5000, True)])
def test_a_chain_as_deep_as_the_bound_is_read_and_a_longer_cycle_is_not(
    tmp_path: Path, depth: int, cycle: bool
) -> None:
    # A chain of exactly the bound is read; a cycle counts each of its shapes once on a path,
    # so one longer than the bound nests too deep like any chain.
    path = tmp_path / "service-2.json"
    path.write_text(json.dumps(chain_of_shapes(depth, cycle=cycle)), encoding="utf-8")
    if depth > MAX_NESTING:
        with pytest.raises(ModelLoadError, match="shapes nest 5000 levels deep"):
            read_model_document(path)
    else:
        assert f"Deep{depth - 2}" in read_model_document(path)["shapes"]


def test_every_installed_botocore_model_nests_within_the_bound() -> None:
    data = Path(botocore.__file__).parent / "data"
    for model in sorted(data.glob("*/*/service-2.json.gz")):
        document = json.loads(gzip.decompress(model.read_bytes()))
        assert _deepest_nesting(document["shapes"])[0] <= 30, model
