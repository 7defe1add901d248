"""Our method documentation against botocore.docs (the oracle), word for word, and what it adds:
nothing cut, member paths on every syntax line, marks inside the syntax."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import pickle
import random
from functools import cache
from pathlib import Path
from typing import Any

import botocore.model
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apidiff.model import ServiceModel
from apidiff.render.method_html import method_html
from apidiff.render.method_text import method_text_lines
from apidiff.report.method_docs import (
    MAX_NESTING,
    TOO_DEEP,
    AcyclicShapes,
    MemberDoc,
    MethodDoc,
    SpecialType,
    acyclic_shapes,
    document_method,
)
from apidiff.sources.base import Provenance
from tests.conftest import FIXTURES, MODELS
from tests.oracle.html_text import html_to_text_lines
from tests.oracle.proof import Cause, differences, oracle_lines, our_lines, tokens

REFERENCE = FIXTURES / "reference" / "sagemaker-2021-03-30.txt"
SAGEMAKER_1_20_41 = MODELS / "botocore-1.20.41" / "sagemaker" / "2017-07-24" / "service-2.json.gz"
# The updated methods of the reference page, in its order.
REFERENCE_METHODS = ("DescribeAutoMLJob", "ListAutoMLJobs", "ListCandidatesForAutoMLJob")


def read_model(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    document: dict[str, Any] = json.loads(gzip.decompress(data) if path.suffix == ".gz" else data)
    return document


def ours(document: dict[str, Any], name: str = "example") -> ServiceModel:
    return ServiceModel(name, "2020-01-01", document, Provenance(spec="test", location="test"))


def theirs(document: dict[str, Any], name: str = "example") -> botocore.model.ServiceModel:
    return botocore.model.ServiceModel(document, name)


def defects(document: dict[str, Any], operation: str) -> list[str]:
    """The differences from the oracle that are ours to fix, in our text and in our HTML."""
    oracle = tokens(oracle_lines(theirs(document), operation), ours=False)
    model = ours(document)
    text = tokens(our_lines(model, operation), ours=True)
    html = tokens(html_to_text_lines(method_html(document_method(model, operation))), ours=True)
    return [
        f"{form}: ours {difference.ours!r}, botocore {difference.oracle!r}"
        for form, produced in (("text", text), ("html", html))
        for difference in differences(produced, oracle)
        if difference.cause is Cause.OURS
    ]


@cache
def bundled_models() -> dict[str, Path]:
    """Every distinct bundled model, by a name that says where it is from."""
    found: dict[str, Path] = {}
    seen: set[str] = set()
    for path in sorted(MODELS.glob("*/*/*/service-2.json*")):
        digest = hashlib.sha256(json.dumps(read_model(path), sort_keys=True).encode()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            found[f"{path.parts[-4]}/{path.parts[-3]}"] = path
    return found


@pytest.mark.parametrize("model", sorted(bundled_models()))
def test_every_bundled_operation_says_what_botocore_docs_says(model: str) -> None:
    document = read_model(bundled_models()[model])
    found = {operation: defects(document, operation) for operation in document["operations"]}
    assert {operation: found for operation, found in found.items() if found} == {}


def reference_blocks() -> dict[str, list[str]]:
    """Each method's documentation on the reference page: the lines after its delta line."""
    blocks: list[list[str]] = []
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        if line.startswith("{'"):
            blocks.append([])
        elif blocks:
            blocks[-1].append(line)
    assert len(blocks) == len(REFERENCE_METHODS)
    return dict(zip(REFERENCE_METHODS, blocks, strict=True))


@pytest.mark.parametrize("operation", REFERENCE_METHODS)
def test_reference_methods_match_word_for_word(operation: str) -> None:
    model = ours(read_model(SAGEMAKER_1_20_41), "sagemaker")
    expected = tokens(reference_blocks()[operation], ours=False)
    assert tokens(our_lines(model, operation), ours=True) == expected


def test_syntax_lines_carry_the_member_paths_they_show() -> None:
    doc = document_method(ours(read_model(SAGEMAKER_1_20_41), "sagemaker"), "DescribeAutoMLJob")
    assert doc.response_syntax is not None
    paths = {line.text.strip(" ,"): line.path for line in doc.response_syntax}
    assert paths["'Explainability': 'string'"] == (
        "BestCandidate.CandidateProperties.CandidateArtifactLocations.Explainability"
    )
    assert (
        paths["'PartialFailureMessage': 'string'"]
        == "PartialFailureReasons[].PartialFailureMessage"
    )
    assert (doc.response_syntax[0].path, doc.response_syntax[-1].path) == (None, None)
    assert [line.path for line in doc.request_syntax] == [None, "AutoMLJobName", None]


def test_marks_inside_the_syntax_cover_the_member_and_what_is_under_it() -> None:
    doc = document_method(ours(read_model(SAGEMAKER_1_20_41), "sagemaker"), "DescribeAutoMLJob")
    html = method_html(
        doc, {"BestCandidate.CandidateProperties": "added", "PartialFailureReasons": "changed"}
    )
    added = [line for line in html.splitlines() if 'class="added"' in line]
    assert [line.split(">", 1)[1].split("<")[0].strip() for line in added if "<mark" in line] == [
        "&#39;CandidateProperties&#39;: {",
        "&#39;CandidateArtifactLocations&#39;: {",
        "&#39;Explainability&#39;: &#39;string&#39;",
        "}",
        "}",
    ]
    assert html.count('<mark class="changed"') == 5  # [ { 'PartialFailureMessage' }, ]
    assert method_html(doc).count("<mark") == 0


def one_operation(
    input_members: dict[str, Any] | None = None,
    output_members: dict[str, Any] | None = None,
    shapes: dict[str, Any] | None = None,
    **operation: Any,
) -> dict[str, Any]:
    """A model with one operation, Go, with the given input and output members."""
    model_shapes: dict[str, Any] = {"String": {"type": "string"}, **(shapes or {})}
    definition: dict[str, Any] = {
        "name": "Go",
        "http": {"method": "POST", "requestUri": "/"},
        "documentation": "<p>Does a thing.</p>",
        **operation,
    }
    for side, members in (("input", input_members), ("output", output_members)):
        if members is not None:
            extra = members.pop("__shape__", {})
            model_shapes[f"Go{side.title()}"] = {"type": "structure", "members": members, **extra}
            definition[side] = {"shape": f"Go{side.title()}"}
    return {
        "version": "2.0",
        "metadata": {
            "apiVersion": "2020-01-01",
            "endpointPrefix": "example",
            "protocol": "rest-json",
            "serviceFullName": "Example Service",
            "serviceId": "Example",
            "uid": "example-2020-01-01",
        },
        "operations": {"Go": definition},
        "shapes": model_shapes,
    }


def documented(shape: str, text: str = "<p>Documented.</p>", **traits: Any) -> dict[str, Any]:
    return {"shape": shape, "documentation": text, **traits}


FEATURES: dict[str, dict[str, Any]] = {
    "no input and no output": one_operation(),
    "empty input and output": one_operation({}, {}),
    "deprecated operation": one_operation({}, None, deprecated=True),
    "every scalar type": one_operation(
        {t: documented(t.title()) for t in ("blob", "boolean", "double", "float", "integer")},
        {t: documented(t.title()) for t in ("long", "timestamp", "character")},
        shapes={
            t.title(): {"type": t}
            for t in ("blob", "boolean", "double", "float", "integer", "long", "timestamp")
        }
        | {"Character": {"type": "character"}},
    ),
    "enums, lists and maps": one_operation(
        {"Sizes": documented("Sizes"), "Tags": documented("Tags", required=True)},
        {"Tags": documented("Tags")},
        shapes={
            "Size": {"type": "string", "enum": ["small", "large"], "documentation": "<p>S</p>"},
            "Sizes": {"type": "list", "member": {"shape": "Size"}},
            "Tags": {
                "type": "map",
                "key": {"shape": "String"},
                "value": {"shape": "Size"},
                "documentation": "<p>Tags.</p>",
            },
        },
    ),
    "required nested members": one_operation(
        {"Outer": documented("Outer"), "__shape__": {"required": ["Outer"]}},
        None,
        shapes={
            "Outer": {
                "type": "structure",
                "required": ["Inner"],
                "members": {"Inner": documented("String"), "Other": documented("String")},
            }
        },
    ),
    "recursive shapes": one_operation(
        {"Node": documented("Node")},
        {"Node": documented("Node")},
        shapes={
            "Node": {
                "type": "structure",
                "required": ["Children"],
                "members": {"Children": documented("Nodes"), "Name": documented("String")},
                "documentation": "<p>A node.</p>",
            },
            "Nodes": {"type": "list", "member": {"shape": "Node"}},
        },
    ),
    "streaming input and output": one_operation(
        {"Body": documented("Payload"), "__shape__": {"payload": "Body"}},
        {"Body": documented("Payload"), "__shape__": {"payload": "Body"}},
        shapes={"Payload": {"type": "blob", "streaming": True}},
    ),
    "event stream output": one_operation(
        {"Name": documented("String")},
        {"Events": documented("Events"), "__shape__": {"payload": "Events"}},
        shapes={
            "Events": {
                "type": "structure",
                "members": {"Ping": documented("Ping"), "Pong": documented("Ping")},
                "eventstream": True,
            },
            "Ping": {"type": "structure", "members": {"At": documented("String")}, "event": True},
        },
    ),
    "event stream input": one_operation(
        {"Events": documented("Events"), "__shape__": {"payload": "Events"}},
        {},
        shapes={
            "Events": {
                "type": "structure",
                "members": {"Ping": documented("Ping")},
                "eventstream": True,
            },
            "Ping": {"type": "structure", "members": {"At": documented("String")}, "event": True},
        },
    ),
    "documents and json value headers": one_operation(
        {"Doc": documented("Doc"), "Header": documented("Json", location="header")},
        {"Doc": documented("Doc"), "Header": documented("Json", location="header")},
        shapes={
            "Doc": {"type": "structure", "members": {}, "document": True},
            "Json": {"type": "string", "jsonvalue": True},
        },
    ),
    "tagged unions": one_operation(
        {"Choice": documented("Choice")},
        {"Choice": documented("Choice")},
        shapes={
            "Choice": {
                "type": "structure",
                "union": True,
                "members": {"A": documented("String"), "B": documented("String")},
            }
        },
    ),
    "idempotency tokens": one_operation(
        {"Token": documented("String", idempotencyToken=True), "Plain": documented("String")},
        None,
    ),
    "admonitions, links and lists in documentation": one_operation(
        {
            "Name": documented(
                "String",
                "<p>See <a href='https://example.com'>the guide</a>, <a href='https://x.y'></a>"
                " and <a>Other</a>.</p><note><p>Careful.</p></note><important>Really.</important>"
                "<ul><li><p>One</p></li><li>Two<ul><li>Nested</li></ul></li></ul>"
                "<fullname>Hidden</fullname><p>After<code>code</code>, <b>bold</b>, <i>it</i>.</p>",
            )
        },
        None,
        documentation="<fullname>Amazon Example</fullname><p>Does <danger>Danger!</danger></p>",
    ),
}


@pytest.mark.parametrize("feature", sorted(FEATURES))
def test_each_model_feature_is_documented_as_botocore_documents_it(feature: str) -> None:
    assert defects(json.loads(json.dumps(FEATURES[feature])), "Go") == []


def test_special_types_are_named_as_boto3_names_them() -> None:
    model = ours(FEATURES["streaming input and output"])
    doc = document_method(model, "Go")
    assert doc.parameters[0].type_name == SpecialType.STREAMING_INPUT
    assert doc.response is not None
    assert doc.response.children[0].type_name == SpecialType.STREAMING_OUTPUT
    events = document_method(ours(FEATURES["event stream output"]), "Go")
    assert events.event_stream
    assert events.response is not None
    assert events.response.children[0].type_name == SpecialType.EVENT_STREAM


def documented_members(count: int) -> dict[str, Any]:
    return {
        f"Member{i}": {"shape": "String", "documentation": f"<p>Member <code>{i}</code>.</p>"}
        for i in range(count)
    }


def test_sections_botocore_cuts_are_rendered_whole() -> None:
    document = one_operation({}, documented_members(2000))
    text = method_text_lines(document_method(ours(document), "Go"))
    assert "- Member1999 (string) --" in [line.strip() for line in text]
    found = differences(
        tokens(our_lines(ours(document), "Go"), ours=True),
        tokens(oracle_lines(theirs(document), "Go"), ours=False),
    )
    assert found
    assert {difference.cause for difference in found} == {Cause.TRUNCATION}


def test_documentation_is_the_same_whatever_was_documented_before() -> None:
    model = ours(read_model(SAGEMAKER_1_20_41), "sagemaker")
    first = document_method(model, "DescribeAutoMLJob")
    document_method(model, "ListCandidatesForAutoMLJob")
    assert document_method(model, "DescribeAutoMLJob") == first


def test_unknown_operation_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        document_method(ours(one_operation()), "NoSuchOperation")


def test_text_has_labels_on_their_own_lines_and_indented_bodies() -> None:
    lines = method_text_lines(document_method(ours(FEATURES["required nested members"]), "Go"))
    start = lines.index("type Outer:")
    assert lines[start : start + 6] == [
        "type Outer:",
        "    dict",
        "param Outer:",
        "    [REQUIRED]",
        "",
        "    Documented.",
    ]
    assert "    - Inner (string) -- [REQUIRED]" in lines
    assert lines[-1] == "    None"


def test_shapes_nested_past_the_limit_are_named_not_expanded() -> None:
    depth = 2000
    shapes: dict[str, Any] = {"S0": {"type": "string"}}
    for level in range(1, depth):
        shapes[f"S{level}"] = {"type": "structure", "members": {"Next": {"shape": f"S{level - 1}"}}}
    model = ours(one_operation({"Top": {"shape": f"S{depth - 1}"}}, None, shapes=shapes))
    doc = document_method(model, "Go")
    assert doc.request_syntax[-2].text.strip() == "}"
    assert [line.text.endswith(TOO_DEEP) for line in doc.request_syntax].count(True) == 1
    assert max(line.depth for line in doc.request_syntax) == MAX_NESTING
    nested = doc.parameters[0]
    levels = 0
    while nested.children:
        nested, levels = nested.children[0], levels + 1
    assert levels == MAX_NESTING - 1
    assert method_text_lines(doc)
    assert method_html(doc)


def test_documentation_sent_between_processes_arrives_whole() -> None:
    # MemberDoc and MethodDoc pickle by a constructor call of their own: every field must
    # be in it, in order, or a report made in worker processes would lose it.
    model = ours(read_model(bundled_models()["botocore-1.20.41/sagemaker"]), "sagemaker")
    for operation in model.operations:
        doc = document_method(model, operation)
        assert pickle.loads(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)) == doc
    for kind in (MethodDoc, MemberDoc):
        assert len(kind.__reduce__(_every_field_set(kind))[1]) == len(dataclasses.fields(kind))


def _every_field_set(kind: type[Any]) -> Any:
    return kind(*(f"value of {field.name}" for field in dataclasses.fields(kind)))


@pytest.mark.parametrize("seed", range(3))
def test_shapes_asked_about_one_by_one_are_acyclic_as_in_a_whole_walk(seed: int) -> None:
    # A documenter walks only from the shapes it asks about, in the order it asks: whatever
    # the order, each answer is the one a walk of the whole model gives.
    for path in bundled_models().values():
        shapes = read_model(path)["shapes"]
        whole = acyclic_shapes(shapes)
        names = [*shapes, "NotAShape"]
        random.Random(seed).shuffle(names)
        asked = AcyclicShapes(shapes)
        assert {name for name in names if name in asked} == whole


def _leads_into_a_cycle(shapes: dict[str, Any], start: str) -> bool:
    """Whether some shape reachable from `start` (itself included) reaches itself again."""

    def reachable(name: str) -> set[str]:
        found: set[str] = set()
        pending = [name]
        while pending:
            for ref in shapes[pending.pop()].get("members", {}).values():
                if ref["shape"] in shapes and ref["shape"] not in found:
                    found.add(ref["shape"])
                    pending.append(ref["shape"])
        return found

    return any(name in reachable(name) for name in {start} | reachable(start))


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from("ABCDEFGH"),
        st.lists(st.sampled_from("ABCDEFGHX"), max_size=3),
        min_size=1,
    ),
    st.randoms(use_true_random=False),
)
def test_a_shape_is_acyclic_where_nothing_it_reaches_is_on_a_cycle(
    graph: dict[str, list[str]], order: random.Random
) -> None:
    shapes = {
        name: {
            "type": "structure",
            "members": {f"m{i}": {"shape": t} for i, t in enumerate(targets)},
        }
        for name, targets in graph.items()
    }
    names = list(shapes)
    order.shuffle(names)
    asked = AcyclicShapes(shapes)
    assert {name for name in names if name in asked} == {
        name for name in shapes if not _leads_into_a_cycle(shapes, name)
    }


def test_a_shape_on_a_cycle_or_above_one_is_not_acyclic() -> None:
    def structure(*targets: str) -> dict[str, Any]:
        return {"type": "structure", "members": {t: {"shape": t} for t in targets}}

    shapes = {
        "Top": structure("Loop", "Leaf"),
        "Loop": structure("Back"),
        "Back": structure("Loop"),
        "Self": structure("Self"),
        "Leaf": {"type": "string"},
        "Tree": structure("Leaf"),
    }
    for first in shapes:
        asked = AcyclicShapes(shapes)
        # The first walk starts from `first`, the others from what it did not reach.
        assert (first in asked) == (first in {"Leaf", "Tree"})
        assert {name for name in shapes if name in asked} == {"Leaf", "Tree"}
