"""The rules table: complete (every change kind has a rule), consistent (every rule can be
chosen, ids are stable and well formed) and right about the behaviours that matter most.

What botocore itself does is proven in test_botocore_claims.py and test_botocore_proof.py;
here the table is read as the spec of our own verdicts.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable
from typing import Any

import pytest

from apidiff.classify import RULES, RULES_BY_ID, Perspective, Severity
from apidiff.classify.rules import RuleContext, rule_for
from apidiff.diff import Change, ChangeKind, diff_models
from apidiff.model import ServiceModel
from tests.classify.conftest import (
    ClassifiedChange,
    ShapePairClassifier,
    classify_pair,
    gate,
    the_change,
)
from tests.conftest import ModelFactory, operation
from tests.diff.bundled import BUNDLED_PAIRS, load_bundled

BREAKING, RISKY, SAFE, INFO = Severity.BREAKING, Severity.RISKY, Severity.SAFE, Severity.INFO
SDK, STUBBER, WIRE = Perspective.SDK, Perspective.STUBBER, Perspective.WIRE

# --- the table itself


def test_rule_ids_are_unique() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids)) == len(RULES_BY_ID)


@pytest.mark.parametrize("rule_id", [rule.id for rule in RULES])
def test_rule_id_is_dotted_lowercase(rule_id: str) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+", rule_id)


@pytest.mark.parametrize("rule_id", [rule.id for rule in RULES])
def test_rule_advice_is_one_or_two_sentences_for_each_side_and_perspective(rule_id: str) -> None:
    guidance = RULES_BY_ID[rule_id].guidance
    for advice in dataclasses.astuple(guidance):
        # A sentence ends at . ! or ? followed by a space or the end; "Error.Code" does not.
        sentences = re.findall(r"[.!?](?=\s|$)", advice)
        assert advice.endswith((".", "!", "?")) and 1 <= len(sentences) <= 2, advice


# What only a Python caller meets: exceptions, methods, types and tools of boto3 and botocore.
PYTHON_TERMS = re.compile(
    r"ParamValidationError|KeyError|AttributeError|ValueError|UnknownServiceError|"
    r"OperationNotPageableError|ClientError|\.get\(|client\.|boto3|botocore|Stubber|Python|"
    r"\bexcept\b|TypeDef|datetime|StreamingBody|EventStream|\bwait\(|build_full_result|"
    r"endpoint_url|\bstr\b|\bbytes\b|\bint\b|\bfloat\b|\bdict"
)


@pytest.mark.parametrize("rule_id", [rule.id for rule in RULES])
def test_wire_advice_never_speaks_python(rule_id: str) -> None:
    guidance = RULES_BY_ID[rule_id].guidance
    for advice in (guidance.wire, guidance.wire_response):
        assert not PYTHON_TERMS.search(advice), advice


def test_python_terms_are_found_in_python_advice() -> None:
    # The pattern above is not vacuous: the sdk advice of these rules trips it.
    for rule_id in ("member.removed", "operation.removed", "error.removed", "type.changed"):
        guidance = RULES_BY_ID[rule_id].guidance
        assert PYTHON_TERMS.search(guidance.request + guidance.response), rule_id


@pytest.mark.parametrize("perspective", list(Perspective))
def test_a_rule_rated_differently_per_side_advises_differently_per_side(
    perspective: Perspective,
) -> None:
    for rule in RULES:
        verdict = rule.verdicts[perspective]
        if verdict.request is not verdict.response:
            request = rule.guidance.for_side(perspective, "request")
            response = rule.guidance.for_side(perspective, "response")
            assert request != response, (rule.id, perspective)


def test_a_rule_rated_differently_for_stubbed_responses_advises_stubber_differently() -> None:
    for rule in RULES:
        sdk, stubber = rule.verdicts[SDK].response, rule.verdicts[STUBBER].response
        if sdk is not stubber:
            assert rule.guidance.stubbed != rule.guidance.response, rule.id


def test_advice_for_a_side_is_that_sides_advice() -> None:
    removed = RULES_BY_ID["member.removed"]
    request = removed.advice_for(SDK, frozenset({"request"}))
    response = removed.advice_for(SDK, frozenset({"response"}))
    assert "ParamValidationError" in request and "KeyError" not in request
    assert "KeyError" in response and ".get()" in response
    assert "request body" in removed.advice_for(WIRE, frozenset({"request"}))
    assert "response body" in removed.advice_for(WIRE, frozenset({"response"}))
    both = removed.advice_for(SDK, frozenset({"request", "response"}))
    assert both == f"In requests: {request} In responses: {response}"
    # Nowhere met (no api method reaches the change): both sides, as for a listing.
    assert removed.advice_for(SDK, frozenset()) == both == removed.advice


def test_stubber_advice_speaks_of_stubbed_responses() -> None:
    required = RULES_BY_ID["member.added.required"]
    assert "Stubber" in required.advice_for(STUBBER, frozenset({"response"}))
    assert "Stubber" not in required.advice_for(SDK, frozenset({"response"}))
    assert required.advice_for(STUBBER, frozenset({"request"})) == required.advice_for(
        SDK, frozenset({"request"})
    )


@pytest.mark.parametrize("rule_id", [rule.id for rule in RULES])
def test_rule_summary_is_one_phrase(rule_id: str) -> None:
    summary = RULES_BY_ID[rule_id].summary
    assert summary and "\n" not in summary and not summary.endswith(".")


def test_every_rule_has_a_verdict_for_every_perspective() -> None:
    for rule in RULES:
        assert set(rule.verdicts) == set(Perspective), rule.id


# --- completeness: every change kind the diff can report meets a rule

Parts = dict[str, Any]
Edit = Callable[[Parts], None]

STRING: dict[str, Any] = {"type": "string"}
BASE: Parts = {
    "documentation": "The service.",
    "metadata": {
        "apiVersion": "2020-01-01",
        "endpointPrefix": "example",
        "protocol": "json",
        "serviceFullName": "Example Service",
        "serviceId": "Example",
        "uid": "example-2020-01-01",
    },
    "shapes": {
        "Name": STRING,
        "Count": {"type": "integer"},
        "Names": {"type": "list", "member": {"shape": "Name"}},
        "Status": {"type": "string", "enum": ["A", "B"]},
        "PutRequest": {
            "type": "structure",
            "members": {"Name": {"shape": "Name"}, "Count": {"shape": "Count"}},
        },
        "GetResponse": {
            "type": "structure",
            "required": ["Names"],
            "members": {"Names": {"shape": "Names"}, "Status": {"shape": "Status"}},
        },
        "Oops": {"type": "structure", "members": {"Message": {"shape": "Name"}}, "exception": True},
    },
    "operations": {
        "Put": operation("Put", "PutRequest"),
        "Get": operation("Get", None, "GetResponse") | {"errors": [{"shape": "Oops"}]},
    },
    "paginators": {"pagination": {"Get": {"input_token": "T", "output_token": "T"}}},
    "waiters": {"version": 2, "waiters": {"Ready": {"operation": "Get", "delay": 5}}},
}


def _put_member(member: str, ref: dict[str, Any]) -> Edit:
    return lambda parts: parts["shapes"]["PutRequest"]["members"].__setitem__(member, ref)


def _set(*path: str, value: Any) -> Edit:
    def edit(parts: Parts) -> None:
        target = parts
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _delete(*path: str) -> Edit:
    def edit(parts: Parts) -> None:
        target = parts
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


def _then(*edits: Edit) -> Edit:
    def edit(parts: Parts) -> None:
        for each in edits:
            each(parts)

    return edit


ENDPOINT_CHANGE = Change(
    ChangeKind.ENDPOINT_CHANGED,
    aspect="Region=us-east-1",
    old="https://example.us-east-1.amazonaws.com",
    new="https://example.us-east-1.api.aws",
)

ENDPOINT_AUTH_CHANGE = Change(
    ChangeKind.ENDPOINT_AUTH_CHANGED,
    aspect="Region=cn-northwest-1, UseFIPS=true",
    old="sigv4 (signingName=iam, signingRegion=cn-northwest-1)",
    new="sigv4 (signingName=iam, signingRegion=cn-north-1)",
)
ENDPOINT_HEADERS_CHANGE = Change(
    ChangeKind.ENDPOINT_HEADERS_CHANGED,
    aspect="Region=us-east-1",
    old="none",
    new="x-amz-account-id: 123456789012",
)


def _no_service(parts: Parts) -> None:
    """The stand-in compare.py diffs for a release without the service: metadata only."""
    parts.update(operations={}, shapes={}, paginators=None, waiters=None)


# One edit of BASE that makes the diff report each kind (of the old side, for the kinds in
# OLD_SIDE_EXAMPLES), or the change itself where the model files alone cannot show it.
KIND_EXAMPLES: dict[ChangeKind, Edit | Change] = {
    ChangeKind.SERVICE_ADDED: _no_service,
    ChangeKind.SERVICE_REMOVED: _no_service,
    # Resolved from endpoint rule sets (diff/endpoints.py), not from the model document.
    ChangeKind.ENDPOINT_CHANGED: ENDPOINT_CHANGE,
    ChangeKind.ENDPOINT_AUTH_CHANGED: ENDPOINT_AUTH_CHANGE,
    ChangeKind.ENDPOINT_HEADERS_CHANGED: ENDPOINT_HEADERS_CHANGE,
    ChangeKind.METADATA_CHANGED: _set("metadata", "serviceFullName", value="Renamed"),
    ChangeKind.SERVICE_DOCS_CHANGED: _set("documentation", value="Reworded."),
    ChangeKind.OPERATION_ADDED: _set("operations", "Delete", value=operation("Delete")),
    ChangeKind.OPERATION_REMOVED: _delete("operations", "Put"),
    ChangeKind.OPERATION_INPUT_CHANGED: _then(
        _set("shapes", "PutInput", value=copy.deepcopy(BASE["shapes"]["PutRequest"])),
        _set("operations", "Put", "input", value={"shape": "PutInput"}),
    ),
    ChangeKind.OPERATION_OUTPUT_CHANGED: _delete("operations", "Get", "output"),
    ChangeKind.OPERATION_ERROR_ADDED: _set(
        "operations", "Put", "errors", value=[{"shape": "Oops"}]
    ),
    ChangeKind.OPERATION_ERROR_REMOVED: _set("operations", "Get", "errors", value=[]),
    ChangeKind.OPERATION_HTTP_CHANGED: _set("operations", "Put", "http", "requestUri", value="/p"),
    ChangeKind.OPERATION_TRAIT_CHANGED: _set("operations", "Put", "deprecated", value=True),
    ChangeKind.OPERATION_DOCS_CHANGED: _set("operations", "Put", "documentation", value="Puts."),
    ChangeKind.SHAPE_ADDED: _set("shapes", "Fresh", value=STRING),
    ChangeKind.SHAPE_REMOVED: _delete("shapes", "Oops"),
    ChangeKind.SHAPE_TYPE_CHANGED: _set("shapes", "Count", "type", value="long"),
    ChangeKind.SHAPE_TRAIT_CHANGED: _set("shapes", "Name", value=STRING | {"sensitive": True}),
    ChangeKind.SHAPE_DOCS_CHANGED: _set("shapes", "Name", value=STRING | {"documentation": "A."}),
    ChangeKind.CONSTRAINT_CHANGED: _set("shapes", "Name", value=STRING | {"max": 10}),
    ChangeKind.ENUM_VALUE_ADDED: _set("shapes", "Status", "enum", value=["A", "B", "C"]),
    ChangeKind.ENUM_VALUE_REMOVED: _set("shapes", "Status", "enum", value=["A"]),
    ChangeKind.MEMBER_ADDED: _put_member("Extra", {"shape": "Name"}),
    ChangeKind.MEMBER_REMOVED: _delete("shapes", "PutRequest", "members", "Count"),
    ChangeKind.MEMBER_TARGET_CHANGED: _then(
        _set("shapes", "Label", value=STRING), _put_member("Name", {"shape": "Label"})
    ),
    ChangeKind.MEMBER_TYPE_CHANGED: _then(
        _set("shapes", "Ratio", value={"type": "double"}), _put_member("Count", {"shape": "Ratio"})
    ),
    ChangeKind.MEMBER_REQUIRED_ADDED: _set("shapes", "PutRequest", "required", value=["Name"]),
    ChangeKind.MEMBER_REQUIRED_REMOVED: _set("shapes", "GetResponse", "required", value=[]),
    ChangeKind.MEMBER_TRAIT_CHANGED: _put_member("Name", {"shape": "Name", "locationName": "n"}),
    ChangeKind.MEMBER_DOCS_CHANGED: _put_member("Name", {"shape": "Name", "documentation": "N."}),
    ChangeKind.PAGINATOR_ADDED: _set("paginators", "pagination", "Put", value={"input_token": "T"}),
    ChangeKind.PAGINATOR_REMOVED: _delete("paginators", "pagination", "Get"),
    ChangeKind.PAGINATOR_CHANGED: _set("paginators", "pagination", "Get", "result_key", value="N"),
    ChangeKind.WAITER_ADDED: _set("waiters", "waiters", "Gone", value={"operation": "Get"}),
    ChangeKind.WAITER_REMOVED: _delete("waiters", "waiters", "Ready"),
    ChangeKind.WAITER_CHANGED: _set("waiters", "waiters", "Ready", "delay", value=15),
}


OLD_SIDE_EXAMPLES = frozenset({ChangeKind.SERVICE_ADDED})


def _model_of(parts: Parts, make_model: ModelFactory) -> ServiceModel:
    model = make_model(
        parts["shapes"],
        parts["operations"],
        parts["metadata"],
        paginators=parts["paginators"],
        waiters=parts["waiters"],
    )
    document = {**model.document, "documentation": parts["documentation"]}
    return dataclasses.replace(model, document=document)


def test_every_change_kind_has_an_example() -> None:
    assert set(KIND_EXAMPLES) == set(ChangeKind)


@pytest.mark.parametrize("kind", list(ChangeKind))
def test_every_change_kind_meets_a_rule(kind: ChangeKind, make_model: ModelFactory) -> None:
    example = KIND_EXAMPLES[kind]
    if isinstance(example, Change):
        base = _model_of(BASE, make_model)
        assert rule_for(example, RuleContext(base, base)).applies(example, RuleContext(base, base))
        return
    edited = copy.deepcopy(BASE)
    example(edited)
    old, new = _model_of(BASE, make_model), _model_of(edited, make_model)
    if kind in OLD_SIDE_EXAMPLES:
        old, new = new, old
    found = [classified for classified in classify_pair(old, new) if classified.change.kind is kind]
    assert found, f"the example of {kind} produced no such change"
    context = RuleContext(old, new)
    for classified in found:
        assert RULES_BY_ID[classified.rule].applies(classified.change, context)


@pytest.mark.parametrize(("old", "new", "service"), BUNDLED_PAIRS)
def test_the_rule_of_a_change_is_the_first_of_the_table_that_applies(
    old: str, new: str, service: str
) -> None:
    # rule_for looks among the rules of the change's kind only.
    model_diff = diff_models(load_bundled(old, service), load_bundled(new, service))
    context = RuleContext(model_diff.old, model_diff.new)
    for projected in model_diff.changes:
        change = projected.change
        first = next(rule for rule in RULES if rule.applies(change, context))
        assert rule_for(change, context) is first, change


# --- consistency: each rule is the first to apply to some change (none is shadowed)

# Models that give the context-dependent predicates something to look at.
# The new model speaks another protocol and signs otherwise, and lists its protocols.
CONTEXT_OLD_METADATA: dict[str, Any] = {
    "apiVersion": "2020-01-01",
    "endpointPrefix": "example",
    "protocol": "json",
    "serviceId": "Example",
    "signatureVersion": "v4",
}
CONTEXT_NEW_METADATA: dict[str, Any] = CONTEXT_OLD_METADATA | {
    "protocol": "rest-json",
    "protocols": ["rest-json"],
    "signatureVersion": "v4a",
}
CONTEXT_OLD: dict[str, Any] = {
    "Name": STRING,
    "Labels": {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Name"}},
    "Status": {"type": "string", "enum": ["A"]},
    "Color": {"type": "string", "enum": ["R", "G"]},
    "FreeText": STRING,
    "Req": {
        "type": "structure",
        "required": ["Name"],
        "members": {
            "Name": {"shape": "Name"},
            "Extra": {"shape": "Name"},
            "Token": {"shape": "Name", "idempotencyToken": True},
        },
    },
    "Choice": {"type": "structure", "union": True, "members": {"A": {"shape": "Name"}}},
    "Oops": {"type": "structure", "members": {}, "exception": True},
}
CONTEXT_NEW: dict[str, Any] = CONTEXT_OLD | {
    "Status": STRING,
    "Color": {"type": "string", "enum": ["R"]},
    "FreeText": {"type": "string", "enum": ["B"]},
    "Req": {
        "type": "structure",
        "required": ["Name", "Extra", "Token", "New"],
        "members": {
            "Name": {"shape": "Name"},
            "Extra": {"shape": "Name"},
            "Token": {"shape": "Name", "idempotencyToken": True},
            "New": {"shape": "Name"},
            "Other": {"shape": "Name"},
        },
    },
    "Choice": {
        "type": "structure",
        "union": True,
        "members": {"A": {"shape": "Name"}, "B": {"shape": "Name"}},
    },
}

K = ChangeKind


def _meta(key: str) -> Change:
    return Change(K.METADATA_CHANGED, aspect=key, old="a", new="b")


def _op_trait(aspect: str) -> Change:
    return Change(K.OPERATION_TRAIT_CHANGED, operation="Put", aspect=aspect, old=None, new=True)


def _shape_trait(shape: str, aspect: str, old: Any = None, new: Any = True) -> Change:
    return Change(K.SHAPE_TRAIT_CHANGED, shape=shape, aspect=aspect, old=old, new=new)


def _member_trait(aspect: str, old: Any = None, new: Any = True) -> Change:
    return Change(
        K.MEMBER_TRAIT_CHANGED, shape="Req", member="Name", aspect=aspect, old=old, new=new
    )


def _type(old: str, new: str) -> Change:
    return Change(K.SHAPE_TYPE_CHANGED, shape="Name", old=old, new=new)


def _constraint(shape: str, aspect: str, old: Any, new: Any) -> Change:
    return Change(K.CONSTRAINT_CHANGED, shape=shape, aspect=aspect, old=old, new=new)


RULE_EXAMPLES: dict[str, Change] = {
    "service.removed": Change(K.SERVICE_REMOVED, aspect="example", old="2020-01-01"),
    "service.added": Change(K.SERVICE_ADDED, aspect="example", new="2020-01-01"),
    "endpoint.changed": ENDPOINT_CHANGE,
    "endpoint.auth.changed": ENDPOINT_AUTH_CHANGE,
    "endpoint.headers.changed": ENDPOINT_HEADERS_CHANGE,
    "error.exception.removed": _shape_trait("Oops", "exception", old=True, new=None),
    "metadata.protocol.changed": _meta("protocols"),
    "metadata.protocols-or-auth.listed": _meta("protocol"),
    "metadata.service-id.changed": _meta("serviceId"),
    "metadata.endpoint.changed": _meta("endpointPrefix"),
    "metadata.auth.changed": _meta("signatureVersion"),
    "metadata.wire.changed": _meta("targetPrefix"),
    "metadata.awsquerycompatible.changed": _meta("awsQueryCompatible"),
    "metadata.changed": _meta("serviceFullName"),
    "documentation.changed": Change(K.SERVICE_DOCS_CHANGED, old="a", new="b"),
    "operation.added": Change(K.OPERATION_ADDED, operation="Put"),
    "operation.removed": Change(K.OPERATION_REMOVED, operation="Put"),
    "operation.output.removed": Change(K.OPERATION_OUTPUT_CHANGED, operation="Get", old="Out"),
    "operation.input.removed": Change(K.OPERATION_INPUT_CHANGED, operation="Put", old="Req"),
    "operation.input.added.required": Change(K.OPERATION_INPUT_CHANGED, operation="Put", new="Req"),
    "operation.input.added": Change(K.OPERATION_INPUT_CHANGED, operation="Put", new="Choice"),
    "operation.output.added.required": Change(
        K.OPERATION_OUTPUT_CHANGED, operation="Get", new="Req"
    ),
    "operation.output.added": Change(K.OPERATION_OUTPUT_CHANGED, operation="Get", new="Choice"),
    "operation.io.retargeted": Change(
        K.OPERATION_INPUT_CHANGED, operation="Put", old="Req", new="Req2"
    ),
    "operation.error.added": Change(K.OPERATION_ERROR_ADDED, operation="Put", aspect="Oops"),
    "operation.error.removed": Change(K.OPERATION_ERROR_REMOVED, operation="Put", aspect="Oops"),
    "operation.http.response-code.changed": Change(
        K.OPERATION_HTTP_CHANGED, operation="Put", aspect="responseCode", old=200, new=201
    ),
    "operation.http.changed": Change(
        K.OPERATION_HTTP_CHANGED, operation="Put", aspect="requestUri", old="/", new="/p"
    ),
    "operation.auth.changed": _op_trait("auth"),
    "operation.host-prefix.changed": _op_trait("endpoint"),
    "operation.envelope.changed": _op_trait("output.resultWrapper"),
    "operation.routing.changed": _op_trait("httpChecksum"),
    "operation.semantics.changed": _op_trait("idempotent"),
    "operation.trait.changed": _op_trait("deprecated"),
    "error.removed": Change(K.SHAPE_REMOVED, shape="Oops", old="structure"),
    "error.code.changed": _shape_trait("Oops", "error", new={"code": "Oh"}),
    "error.behaviour.throttling-by-name": _shape_trait(
        "ThrottlingException", "retryable", new={"throttling": True}
    ),
    "error.behaviour.changed": _shape_trait("Oops", "retryable", new={"throttling": False}),
    "shape.added": Change(K.SHAPE_ADDED, shape="Fresh", new="string"),
    "shape.removed": Change(K.SHAPE_REMOVED, shape="Gone", old="string"),
    "member.added.required": Change(K.MEMBER_ADDED, shape="Req", member="New", new="Name"),
    "union.member.added": Change(K.MEMBER_ADDED, shape="Choice", member="B", new="Name"),
    "member.added": Change(K.MEMBER_ADDED, shape="Req", member="Other", new="Name"),
    "member.removed": Change(K.MEMBER_REMOVED, shape="Req", member="Gone", old="Name"),
    "member.required.added": Change(K.MEMBER_REQUIRED_ADDED, shape="Req", member="Extra"),
    "member.required.added.idempotency-token": Change(
        K.MEMBER_REQUIRED_ADDED, shape="Req", member="Token"
    ),
    "member.required.removed": Change(K.MEMBER_REQUIRED_REMOVED, shape="Req", member="Extra"),
    "member.retargeted": Change(
        K.MEMBER_TARGET_CHANGED, shape="Req", member="Name", old="Name", new="Label"
    ),
    "type.same-python": _type("integer", "long"),
    "type.widened": _type("integer", "double"),
    "type.narrowed": _type("float", "long"),
    "type.string-to-blob": _type("string", "blob"),
    "type.changed": _type("string", "integer"),
    "type.union.added": _shape_trait("Choice", "union"),
    "type.document.removed": _shape_trait("Choice", "document", old=True, new=None),
    "type.traits.changed": _shape_trait("Choice", "union", old=True, new=None),
    "wire.streaming.changed": _shape_trait("Name", "streaming"),
    "wire.jsonvalue.changed": _member_trait("jsonvalue"),
    "wire.idempotency-token.removed.required": _member_trait(
        "idempotencyToken", old=True, new=None
    ),
    "wire.idempotency-token.removed": Change(
        K.MEMBER_TRAIT_CHANGED, "Req", "Other", aspect="idempotencyToken", old=True
    ),
    "wire.host-label.added": _member_trait("hostLabel"),
    "wire.host-label.changed": _member_trait("hostLabel", old=True, new=None),
    "wire.context-param.changed": _member_trait("contextParam", new={"name": "Bucket"}),
    "wire.timestamp-format.changed": _shape_trait("Name", "timestampFormat", new="iso8601"),
    "wire.requires-length.added": _shape_trait("Name", "requiresLength"),
    "wire.name.changed": _member_trait("locationName", old="a", new="b"),
    "trait.no-op.changed": _member_trait("deprecated"),
    "trait.changed": _shape_trait("Name", "synthetic"),
    "constraint.min.raised": _constraint("Name", "min", 1, 5),
    "constraint.min.raised.unchecked": _constraint("Labels", "min", None, 1),
    "constraint.min.lowered": _constraint("Name", "min", 5, 1),
    "constraint.max.lowered": _constraint("Name", "max", 10, 5),
    "constraint.max.raised": _constraint("Name", "max", 5, None),
    "constraint.min.zero": _constraint("Name", "min", None, 0),
    "constraint.pattern.removed": _constraint("Name", "pattern", "^a$", None),
    "constraint.pattern.equivalent": _constraint("Name", "pattern", "^[0-9]+$", r"^\d+$"),
    "constraint.pattern.loosened": _constraint("Name", "pattern", "^a$", "^a+$"),
    "constraint.pattern.tightened": _constraint("Name", "pattern", None, "^a$"),
    "constraint.pattern.undecided": _constraint("Name", "pattern", None, r"^\p{L}+$"),
    "enum.added": Change(K.ENUM_VALUE_ADDED, shape="FreeText", new="B"),
    "enum.value.added": Change(K.ENUM_VALUE_ADDED, shape="Color", new="B"),
    "enum.removed": Change(K.ENUM_VALUE_REMOVED, shape="Status", old="A"),
    "enum.value.removed": Change(K.ENUM_VALUE_REMOVED, shape="Color", old="G"),
    "paginator.removed": Change(K.PAGINATOR_REMOVED, operation="Get"),
    "paginator.token.changed": Change(K.PAGINATOR_CHANGED, operation="Get", aspect="input_token"),
    "paginator.non-aggregate.added": Change(
        K.PAGINATOR_CHANGED, operation="Get", aspect="non_aggregate_keys", old=["A"], new=["A", "B"]
    ),
    "paginator.changed": Change(K.PAGINATOR_CHANGED, operation="Get", aspect="result_key"),
    "paginator.added": Change(K.PAGINATOR_ADDED, operation="Get"),
    "waiter.removed": Change(K.WAITER_REMOVED, operation="Get", aspect="Ready"),
    "waiter.changed": Change(K.WAITER_CHANGED, operation="Get", aspect="Ready.delay"),
    "waiter.description.changed": Change(
        K.WAITER_CHANGED, operation="Get", aspect="Ready.description"
    ),
    "error.trait.changed": _shape_trait("Oops", "error", new={"httpStatusCode": 400}),
    "waiter.added": Change(K.WAITER_ADDED, operation="Get", aspect="Ready"),
}


def test_every_rule_has_an_example() -> None:
    assert set(RULE_EXAMPLES) == set(RULES_BY_ID)


@pytest.mark.parametrize("rule_id", list(RULE_EXAMPLES))
def test_rule_is_chosen_for_its_example(rule_id: str, make_model: ModelFactory) -> None:
    # Req is Put's input: top-level idempotency tokens are the ones botocore fills in.
    operations = {"Put": operation("Put", "Req")}
    old = make_model(CONTEXT_OLD, operations, CONTEXT_OLD_METADATA)
    context = RuleContext(old, make_model(CONTEXT_NEW, operations, CONTEXT_NEW_METADATA))
    assert rule_for(RULE_EXAMPLES[rule_id], context).id == rule_id


@pytest.mark.parametrize(
    ("change", "rule_id"),
    [
        # A code botocore retries as throttling by name, found through the error's own code.
        (
            _shape_trait("Slow", "retryable", new={"throttling": True}),
            "error.behaviour.throttling-by-name",
        ),
        (_shape_trait("Oops", "retryable", new={"throttling": True}), "error.behaviour.changed"),
        (
            _shape_trait("ThrottlingException", "retryable", new={"throttling": False}),
            "error.behaviour.changed",
        ),
        (
            Change(K.PAGINATOR_CHANGED, operation="Get", aspect="non_aggregate_keys", new=["B"]),
            "paginator.non-aggregate.added",
        ),
        (
            Change(
                K.PAGINATOR_CHANGED,
                operation="Get",
                aspect="non_aggregate_keys",
                old=["A"],
                new=["B"],
            ),
            "paginator.changed",
        ),
    ],
)
def test_only_what_botocore_already_does_is_info(
    change: Change, rule_id: str, make_model: ModelFactory
) -> None:
    operations = {"Put": operation("Put", "Req")}
    shapes = CONTEXT_NEW | {
        "Slow": {
            "type": "structure",
            "members": {},
            "exception": True,
            "error": {"code": "SlowDown"},
        }
    }
    context = RuleContext(
        make_model(CONTEXT_OLD, operations, CONTEXT_OLD_METADATA),
        make_model(shapes, operations, CONTEXT_NEW_METADATA),
    )
    assert rule_for(change, context).id == rule_id


def test_a_throttling_flag_botocore_already_applies_is_info_except_on_the_wire() -> None:
    verdicts = RULES_BY_ID["error.behaviour.throttling-by-name"].verdicts
    assert [verdicts[each].request for each in (SDK, STUBBER, WIRE)] == [INFO, INFO, RISKY]


# --- behaviours, one synthetic pair each


def _structure(*members: str, required: tuple[str, ...] = (), **shapes: str) -> dict[str, Any]:
    """A structure whose members target the shape of the same name unless `shapes` says."""
    definition: dict[str, Any] = {
        "type": "structure",
        "members": {member: {"shape": shapes.get(member, "Name")} for member in members},
    }
    if required:
        definition["required"] = list(required)
    return definition


PLAIN: dict[str, Any] = {
    "Name": STRING,
    "PutRequest": _structure("Name"),
    "GetResponse": _structure("Name"),
}
OPERATIONS_WITHOUT_ERRORS = {"Get": operation("Get", None, "GetResponse")}
OPERATIONS_WITH_DELETE = OPERATIONS_WITHOUT_ERRORS | {"Delete": operation("Delete")}


def _one(found: tuple[ClassifiedChange, ...], kind: ChangeKind, rule: str) -> ClassifiedChange:
    classified = the_change(found, kind)
    assert classified.rule == rule
    return classified


def _verdicts(classified: ClassifiedChange) -> str:
    """The severity for sdk, stubber and wire, as letters the way rules.py writes them: "B S B"."""
    return " ".join(classified.severity(each).value[0].upper() for each in (SDK, STUBBER, WIRE))


def test_removed_request_member_is_breaking(classify_shapes: ShapePairClassifier) -> None:
    before = PLAIN | {"PutRequest": _structure("Name", "Old")}
    found = classify_shapes(before, PLAIN)
    assert _verdicts(_one(found, K.MEMBER_REMOVED, "member.removed")) == "B B R"


def test_removed_response_member_is_breaking(classify_shapes: ShapePairClassifier) -> None:
    before = PLAIN | {"GetResponse": _structure("Name", "Old")}
    found = classify_shapes(before, PLAIN)
    assert _one(found, K.MEMBER_REMOVED, "member.removed").severity() is BREAKING


def test_new_optional_request_member_is_safe(classify_shapes: ShapePairClassifier) -> None:
    found = classify_shapes(PLAIN, PLAIN | {"PutRequest": _structure("Name", "Extra")})
    assert _verdicts(_one(found, K.MEMBER_ADDED, "member.added")) == "S S S"


def test_new_optional_response_member_is_safe(classify_shapes: ShapePairClassifier) -> None:
    found = classify_shapes(PLAIN, PLAIN | {"GetResponse": _structure("Name", "Extra")})
    assert _verdicts(_one(found, K.MEMBER_ADDED, "member.added")) == "S S S"


def test_new_required_request_member_is_breaking(classify_shapes: ShapePairClassifier) -> None:
    after = PLAIN | {"PutRequest": _structure("Name", "Id", required=("Id",))}
    found = classify_shapes(PLAIN, after)
    assert _verdicts(_one(found, K.MEMBER_ADDED, "member.added.required")) == "B B B"


def test_new_required_response_member_breaks_only_stubbed_responses(
    classify_shapes: ShapePairClassifier,
) -> None:
    after = PLAIN | {"GetResponse": _structure("Name", "Id", required=("Id",))}
    found = classify_shapes(PLAIN, after)
    assert _verdicts(_one(found, K.MEMBER_ADDED, "member.added.required")) == "S B S"


def test_member_becoming_required_in_a_request_is_breaking(
    classify_shapes: ShapePairClassifier,
) -> None:
    after = PLAIN | {"PutRequest": _structure("Name", required=("Name",))}
    found = classify_shapes(PLAIN, after)
    assert _one(found, K.MEMBER_REQUIRED_ADDED, "member.required.added").severity() is BREAKING


def test_member_no_longer_required_in_a_response_is_risky(
    classify_shapes: ShapePairClassifier,
) -> None:
    before = PLAIN | {"GetResponse": _structure("Name", required=("Name",))}
    found = classify_shapes(before, PLAIN)
    assert _one(found, K.MEMBER_REQUIRED_REMOVED, "member.required.removed").severity() is RISKY


def test_required_idempotency_token_is_safe(classify_shapes: ShapePairClassifier) -> None:
    def request(*required: str) -> dict[str, Any]:
        token = {"shape": "Name", "idempotencyToken": True}
        definition = _structure("Name") | {"required": list(required)}
        return definition | {"members": definition["members"] | {"ClientToken": token}}

    found = classify_shapes(
        PLAIN | {"PutRequest": request()}, PLAIN | {"PutRequest": request("ClientToken")}
    )
    classified = _one(found, K.MEMBER_REQUIRED_ADDED, "member.required.added.idempotency-token")
    assert classified.severity() is SAFE


def test_required_nested_idempotency_token_is_breaking(
    classify_shapes: ShapePairClassifier,
) -> None:
    # botocore fills only the input's own tokens (OperationModel.idempotent_members).
    def spec(*required: str) -> dict[str, Any]:
        token = {"shape": "Name", "idempotencyToken": True}
        return {"type": "structure", "members": {"ClientToken": token}, "required": list(required)}

    def shapes(*required: str) -> dict[str, Any]:
        return PLAIN | {"Spec": spec(*required), "PutRequest": _structure("Spec", Spec="Spec")}

    found = classify_shapes(shapes(), shapes("ClientToken"))
    classified = _one(found, K.MEMBER_REQUIRED_ADDED, "member.required.added")
    assert classified.severity() is BREAKING


def _enum_pair(where: str, before: list[str], after: list[str]) -> tuple[dict[str, Any], ...]:
    def shapes(values: list[str]) -> dict[str, Any]:
        return PLAIN | {
            "Status": {"type": "string", "enum": values},
            where: _structure("Name", "Status", Status="Status"),
        }

    return shapes(before), shapes(after)


def test_enum_value_added_in_request_is_safe(classify_shapes: ShapePairClassifier) -> None:
    found = classify_shapes(*_enum_pair("PutRequest", ["A"], ["A", "B"]))
    assert _one(found, K.ENUM_VALUE_ADDED, "enum.value.added").severity() is SAFE


def test_enum_value_removed_in_request_is_risky_because_botocore_does_not_check_it(
    classify_shapes: ShapePairClassifier,
) -> None:
    found = classify_shapes(*_enum_pair("PutRequest", ["A", "B"], ["A"]))
    assert _verdicts(_one(found, K.ENUM_VALUE_REMOVED, "enum.value.removed")) == "R R B"


def test_shape_used_in_both_positions_takes_the_worse(
    classify_shapes: ShapePairClassifier,
) -> None:
    def shapes(values: list[str]) -> dict[str, Any]:
        status = {"type": "string", "enum": values}
        shared = _structure("Name", "Status", Status="Status")
        return PLAIN | {"Status": status, "PutRequest": shared, "GetResponse": shared}

    found = classify_shapes(shapes(["A"]), shapes(["A", "B"]))
    classified = _one(found, K.ENUM_VALUE_ADDED, "enum.value.added")
    assert {reach.position.value for reach in classified.reaches} == {"request", "response"}
    # Safe in the request, info in the response: the shared shape is safe; on the wire the
    # response makes it risky.
    assert classified.severity() is SAFE and classified.severity(WIRE) is RISKY


def _constrained(shape: dict[str, Any], where: str = "PutRequest") -> dict[str, Any]:
    return PLAIN | {"Limited": shape, where: _structure("Name", "Value", Value="Limited")}


def _constraint_change(
    classify_shapes: ShapePairClassifier,
    before: dict[str, Any],
    after: dict[str, Any],
    rule: str,
    where: str = "PutRequest",
) -> ClassifiedChange:
    found = classify_shapes(_constrained(before, where), _constrained(after, where))
    return _one(found, K.CONSTRAINT_CHANGED, rule)


def test_min_raised_on_string_is_breaking(classify_shapes: ShapePairClassifier) -> None:
    before, after = STRING | {"min": 1}, STRING | {"min": 5}
    changed = _constraint_change(classify_shapes, before, after, "constraint.min.raised")
    assert _verdicts(changed) == "B B B"


@pytest.mark.parametrize("shape_type", ["integer", "long", "float", "double"])
def test_min_added_on_number_is_breaking(
    classify_shapes: ShapePairClassifier, shape_type: str
) -> None:
    before, after = {"type": shape_type}, {"type": shape_type, "min": 10}
    changed = _constraint_change(classify_shapes, before, after, "constraint.min.raised")
    assert changed.severity() is BREAKING


def test_min_raised_on_list_is_breaking(classify_shapes: ShapePairClassifier) -> None:
    names: dict[str, Any] = {"type": "list", "member": {"shape": "Name"}}
    changed = _constraint_change(
        classify_shapes, names, names | {"min": 2}, "constraint.min.raised"
    )
    assert changed.severity() is BREAKING


def test_min_raised_on_map_is_only_risky(classify_shapes: ShapePairClassifier) -> None:
    labels = {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Name"}}
    changed = _constraint_change(
        classify_shapes, labels, labels | {"min": 2}, "constraint.min.raised.unchecked"
    )
    assert _verdicts(changed) == "R R B"


def test_min_raised_on_blob_is_only_risky(classify_shapes: ShapePairClassifier) -> None:
    blob = {"type": "blob"}
    changed = _constraint_change(
        classify_shapes, blob, blob | {"min": 2}, "constraint.min.raised.unchecked"
    )
    assert changed.severity() is RISKY


def test_min_raised_in_response_breaks_only_stubbed_responses(
    classify_shapes: ShapePairClassifier,
) -> None:
    changed = _constraint_change(
        classify_shapes, STRING, STRING | {"min": 3}, "constraint.min.raised", where="GetResponse"
    )
    assert _verdicts(changed) == "S B S"


def test_max_lowered_is_risky_because_botocore_does_not_check_it(
    classify_shapes: ShapePairClassifier,
) -> None:
    before, after = STRING | {"max": 10}, STRING | {"max": 5}
    changed = _constraint_change(classify_shapes, before, after, "constraint.max.lowered")
    assert _verdicts(changed) == "R R B"


def test_pattern_added_in_request_is_risky_because_botocore_does_not_check_it(
    classify_shapes: ShapePairClassifier,
) -> None:
    after = STRING | {"pattern": "^[a-z]+$"}
    changed = _constraint_change(classify_shapes, STRING, after, "constraint.pattern.tightened")
    assert _verdicts(changed) == "R R R"
    assert changed.classification.detail == "'' matches the old pattern and not the new one"


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        # An anchor dropped: searched, the pattern accepts more (bedrock-agentcore 1.43.88).
        ("^[a-z]+$", "[a-z]+", "constraint.pattern.loosened"),
        ("^arn:aws:[a-z]+$", "^arn:aws(-cn)?:[a-z]+$", "constraint.pattern.loosened"),
        ("^[a-z]{1,10}$", "^[a-z]+$", "constraint.pattern.loosened"),
        ("^[a-z]+$", "^([a-z]+)$", "constraint.pattern.equivalent"),
        (r"^\d{12}$", "^[0-9]{12}$", "constraint.pattern.equivalent"),
    ],
)
def test_pattern_loosened_or_kept_in_a_request_is_not_risky(
    classify_shapes: ShapePairClassifier, old: str, new: str, rule: str
) -> None:
    before, after = STRING | {"pattern": old}, STRING | {"pattern": new}
    changed = _constraint_change(classify_shapes, before, after, rule)
    assert changed.severity(SDK).rank <= SAFE.rank and changed.severity(WIRE).rank <= SAFE.rank


def test_pattern_tightened_in_a_request_names_a_string_it_now_rejects(
    classify_shapes: ShapePairClassifier,
) -> None:
    before, after = STRING | {"pattern": "^[a-z]+$"}, STRING | {"pattern": "^[a-z]{1,3}$"}
    changed = _constraint_change(classify_shapes, before, after, "constraint.pattern.tightened")
    assert _verdicts(changed) == "R R R"
    assert changed.classification.detail == "'aaaa' matches the old pattern and not the new one"


def test_pattern_that_cannot_be_compared_is_info_for_a_caller_and_risky_on_the_wire(
    classify_shapes: ShapePairClassifier,
) -> None:
    before, after = STRING | {"pattern": "^[a-z]+$"}, STRING | {"pattern": r"^\p{L}+$"}
    changed = _constraint_change(classify_shapes, before, after, "constraint.pattern.undecided")
    assert _verdicts(changed) == "I I R"
    assert (changed.classification.detail or "").startswith("not decided: ")


def test_pattern_loosened_in_a_response_is_risky_only_on_the_wire(
    classify_shapes: ShapePairClassifier,
) -> None:
    before, after = STRING | {"pattern": "^[a-z]+$"}, STRING | {"pattern": "^[a-z0-9]+$"}
    changed = _constraint_change(
        classify_shapes, before, after, "constraint.pattern.loosened", where="GetResponse"
    )
    assert _verdicts(changed) == "I I R"


@pytest.mark.parametrize(
    ("before", "after", "rule"),
    [
        (STRING | {"max": 5}, STRING | {"max": 10}, "constraint.max.raised"),
        (STRING | {"min": 5}, STRING | {"min": 1}, "constraint.min.lowered"),
        (STRING | {"pattern": "^a$"}, STRING, "constraint.pattern.removed"),
    ],
)
def test_response_relaxation_is_info_for_callers_and_risky_on_the_wire(
    classify_shapes: ShapePairClassifier, before: Any, after: Any, rule: str
) -> None:
    changed = _constraint_change(classify_shapes, before, after, rule, where="GetResponse")
    assert _verdicts(changed) == "I I R"


def test_new_enum_value_in_a_response_is_risky_only_on_the_wire(
    classify_shapes: ShapePairClassifier,
) -> None:
    found = classify_shapes(*_enum_pair("GetResponse", ["A"], ["A", "B"]))
    assert _verdicts(_one(found, K.ENUM_VALUE_ADDED, "enum.value.added")) == "I I R"


def test_new_union_variant_in_a_response_is_risky_only_on_the_wire(
    classify_shapes: ShapePairClassifier,
) -> None:
    def shapes(*variants: str) -> dict[str, Any]:
        choice = _structure(*variants) | {"union": True}
        return PLAIN | {"Choice": choice, "GetResponse": _structure("Choice", Choice="Choice")}

    found = classify_shapes(shapes("A"), shapes("A", "B"))
    assert _verdicts(_one(found, K.MEMBER_ADDED, "union.member.added")) == "I I R"


@pytest.mark.parametrize("where", ["PutRequest", "GetResponse"])
def test_minimum_of_zero_added_changes_nothing(
    classify_shapes: ShapePairClassifier, where: str
) -> None:
    for shape in (STRING, {"type": "integer"}, {"type": "list", "member": {"shape": "Name"}}):
        changed = _constraint_change(
            classify_shapes, shape, shape | {"min": 0}, "constraint.min.zero", where=where
        )
        assert _verdicts(changed) == "I I I"


def test_type_change_in_a_request_is_breaking(classify_shapes: ShapePairClassifier) -> None:
    found = classify_shapes(_constrained(STRING), _constrained({"type": "integer"}))
    assert _one(found, K.SHAPE_TYPE_CHANGED, "type.changed").severity() is BREAKING


def test_integer_to_long_is_safe(classify_shapes: ShapePairClassifier) -> None:
    before, after = _constrained({"type": "integer"}), _constrained({"type": "long"})
    found = classify_shapes(before, after)
    assert _one(found, K.SHAPE_TYPE_CHANGED, "type.same-python").severity() is SAFE


def test_integer_to_double_is_risky_only_in_responses(
    classify_shapes: ShapePairClassifier,
) -> None:
    for where, expected in (("PutRequest", SAFE), ("GetResponse", RISKY)):
        before = _constrained({"type": "integer"}, where)
        found = classify_shapes(before, _constrained({"type": "double"}, where))
        assert _one(found, K.SHAPE_TYPE_CHANGED, "type.widened").severity() is expected


def test_structure_becoming_union_breaks_requests(classify_shapes: ShapePairClassifier) -> None:
    choice = _structure("A", "B")
    before = PLAIN | {"Choice": choice, "PutRequest": _structure("Choice", Choice="Choice")}
    after = before | {"Choice": choice | {"union": True}}
    found = classify_shapes(before, after)
    assert _one(found, K.SHAPE_TRAIT_CHANGED, "type.union.added").severity() is BREAKING


def test_unreachable_shape_change_is_info(classify_shapes: ShapePairClassifier) -> None:
    before = PLAIN | {"Orphan": _structure("Name", "Old")}
    found = classify_shapes(before, PLAIN | {"Orphan": _structure("Name")})
    classified = _one(found, K.MEMBER_REMOVED, "member.removed")
    assert classified.reaches == ()
    assert _verdicts(classified) == "I I I"


def _oops() -> dict[str, Any]:
    return _structure("Message", Message="Name") | {"exception": True}


def test_error_shape_removed_is_breaking(classify_shapes: ShapePairClassifier) -> None:
    operations = {"Get": operation("Get", None, "GetResponse") | {"errors": [{"shape": "Oops"}]}}
    found = classify_shapes(PLAIN | {"Oops": _oops()}, PLAIN, operations, OPERATIONS_WITHOUT_ERRORS)
    assert _one(found, K.SHAPE_REMOVED, "error.removed").severity() is BREAKING


def test_unreferenced_error_shape_removed_is_breaking_too(
    classify_shapes: ShapePairClassifier,
) -> None:
    # client.exceptions is built from every exception shape, referenced by an operation or not.
    found = classify_shapes(PLAIN | {"Oops": _oops()}, PLAIN)
    classified = _one(found, K.SHAPE_REMOVED, "error.removed")
    assert classified.reaches == () and classified.severity() is BREAKING


def test_retarget_to_equal_structure_is_info(classify_shapes: ShapePairClassifier) -> None:
    renamed = {"Put": operation("Put", "PutInput"), "Get": operation("Get", None, "GetResponse")}
    found = classify_shapes(
        PLAIN, PLAIN | {"PutInput": PLAIN["PutRequest"]}, new_operations=renamed
    )
    retarget = _one(found, K.OPERATION_INPUT_CHANGED, "operation.io.retargeted")
    assert _verdicts(retarget) == "I I I"
    # The new name itself is only an added shape; nothing a caller passes changed.
    assert gate(found, SDK) is SAFE


def test_member_retarget_to_equal_shape_is_info(classify_shapes: ShapePairClassifier) -> None:
    after = PLAIN | {"Label": STRING, "PutRequest": _structure("Name", Name="Label")}
    found = classify_shapes(PLAIN, after)
    assert _one(found, K.MEMBER_TARGET_CHANGED, "member.retargeted").severity() is INFO
    assert gate(found, SDK) is SAFE


def test_member_removed_behind_a_shared_retarget_reaches_every_operation(
    classify_shapes: ShapePairClassifier,
) -> None:
    # As MediaLive 1.20.46 did: every Vpc member moved to a new shape lacking one member.
    spec = _structure("Name", "Old")
    before = PLAIN | {
        "Spec": spec,
        "PutRequest": _structure("Spec", Spec="Spec"),
        "GetResponse": _structure("Spec", Spec="Spec"),
    }
    after = PLAIN | {
        "SpecV2": _structure("Name"),
        "PutRequest": _structure("Spec", Spec="SpecV2"),
        "GetResponse": _structure("Spec", Spec="SpecV2"),
    }
    removed = _one(classify_shapes(before, after), K.MEMBER_REMOVED, "member.removed")
    assert {reach.operation for reach in removed.reaches} == {"Put", "Get"}
    assert removed.severity() is BREAKING


def test_operation_removed_is_breaking(make_model: ModelFactory) -> None:
    found = classify_pair(
        make_model(PLAIN, OPERATIONS_WITH_DELETE), make_model(PLAIN, OPERATIONS_WITHOUT_ERRORS)
    )
    removed = _one(found, K.OPERATION_REMOVED, "operation.removed")
    assert _verdicts(removed) == "B B B"


def test_operation_added_is_safe(make_model: ModelFactory) -> None:
    found = classify_pair(
        make_model(PLAIN, OPERATIONS_WITHOUT_ERRORS), make_model(PLAIN, OPERATIONS_WITH_DELETE)
    )
    assert _verdicts(_one(found, K.OPERATION_ADDED, "operation.added")) == "S S S"


def test_protocol_change_breaks_only_the_wire(make_model: ModelFactory) -> None:
    old = make_model(PLAIN)
    new = make_model(PLAIN, metadata={**old.metadata, "protocol": "rest-json"})
    changed = _one(classify_pair(old, new), K.METADATA_CHANGED, "metadata.protocol.changed")
    assert _verdicts(changed) == "R R B"


def test_wire_name_change_breaks_only_the_wire(classify_shapes: ShapePairClassifier) -> None:
    renamed = {"type": "structure", "members": {"Name": {"shape": "Name", "locationName": "n"}}}
    found = classify_shapes(PLAIN, PLAIN | {"PutRequest": renamed})
    assert _verdicts(_one(found, K.MEMBER_TRAIT_CHANGED, "wire.name.changed")) == "S S B"


def test_documentation_change_is_info(classify_shapes: ShapePairClassifier) -> None:
    documented = PLAIN | {"Name": STRING | {"documentation": "A name."}}
    found = classify_shapes(PLAIN, documented)
    assert _verdicts(_one(found, K.SHAPE_DOCS_CHANGED, "documentation.changed")) == "I I I"


def test_fingerprint_is_stable_and_differs_per_change(
    classify_shapes: ShapePairClassifier,
) -> None:
    after = PLAIN | {"PutRequest": _structure("Name", "A", "B")}
    first, second = classify_shapes(PLAIN, after), classify_shapes(PLAIN, after)
    prints = [classified.classification.fingerprint for classified in first]
    assert prints == [classified.classification.fingerprint for classified in second]
    assert len(set(prints)) == len(prints) and all(re.fullmatch(r"[0-9a-f]{12}", p) for p in prints)
