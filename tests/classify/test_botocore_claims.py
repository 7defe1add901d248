"""Each rule's claim about botocore, checked against botocore itself on a micro-model pair.

A rule that says "fails client-side with ParamValidationError" must name a change after
which a real client rejects a call it accepted before; a rule that says "botocore does not
check it" must name one after which the same call still passes. Responses are checked the
same way with a real Stubber. For every pair the verdict must agree with what botocore did:
a call botocore rejects is BREAKING for the sdk perspective, and a call it accepts is not;
a stubbed response Stubber rejects is BREAKING for the stubber perspective.

The same pairs also show that `botocore_oracle` (the fast stand-in that the real-release
proof uses) answers exactly as the real client and the real Stubber do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import UnknownServiceError

from apidiff.classify import Perspective, Severity
from apidiff.model import ServiceModel
from tests.classify import botocore_client, botocore_oracle
from tests.classify.conftest import CLIENT_METADATA, ClassifiedChange, classify_pair, gate
from tests.conftest import _model, operation


class Side(Enum):
    REQUEST = "request"  # a call of Put with `value` as its params
    RESPONSE = "response"  # Stubber.add_response for Get with `value`
    ERROR = "error"  # Stubber.add_client_error("Oops", modeled_fields=value)


def struct(members: Mapping[str, Any], *required: str, **traits: Any) -> dict[str, Any]:
    """A structure; a member given as a string targets the shape of that name."""
    refs = {name: {"shape": ref} if isinstance(ref, str) else ref for name, ref in members.items()}
    definition: dict[str, Any] = {"type": "structure", "members": refs, **traits}
    if required:
        definition["required"] = list(required)
    return definition


STRING: dict[str, Any] = {"type": "string"}
BASE: dict[str, Any] = {
    "Name": STRING,
    "PutRequest": struct({"Name": "Name"}),
    "GetResponse": struct({"Name": "Name"}),
    "Oops": struct({"Message": "Name"}, exception=True),
}
OPERATIONS: dict[str, Any] = {
    "Put": operation("Put", "PutRequest") | {"errors": [{"shape": "Oops"}]},
    "Get": operation("Get", None, "GetResponse"),
}


@dataclass(frozen=True)
class Claim:
    """A change (BASE plus `before`, then plus `after`) and a value valid before it."""

    name: str
    rule: str  # the rule that classifies the change
    before: Mapping[str, Any]
    after: Mapping[str, Any]
    value: dict[str, Any]
    rejected: bool  # what botocore does with `value` after the change, as the rule claims
    side: Side = Side.REQUEST
    operations_before: Mapping[str, Any] = field(default_factory=lambda: OPERATIONS)
    operations_after: Mapping[str, Any] = field(default_factory=lambda: OPERATIONS)

    def models(self) -> tuple[ServiceModel, ServiceModel]:
        def model(shapes: Mapping[str, Any], operations: Mapping[str, Any]) -> ServiceModel:
            present = {
                name: shape for name, shape in {**BASE, **shapes}.items() if shape is not None
            }
            return _model(present, operations, CLIENT_METADATA)

        return model(self.before, self.operations_before), model(self.after, self.operations_after)


def request(members: Mapping[str, Any], *required: str) -> dict[str, Any]:
    return {"PutRequest": struct(members, *required)}


def response(members: Mapping[str, Any], *required: str) -> dict[str, Any]:
    return {"GetResponse": struct(members, *required)}


def with_shape(name: str, shape: Mapping[str, Any]) -> dict[str, Any]:
    """Put's request carrying one member `Value` of the shape `name`."""
    return {name: shape} | request({"Value": name})


def in_response(name: str, shape: Mapping[str, Any]) -> dict[str, Any]:
    return {name: shape} | response({"Value": name})


LIST = {"type": "list", "member": {"shape": "Name"}}
MAP = {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Name"}}
CHOICE = struct({"A": "Name", "B": "Name"})
DOCUMENT = {"type": "structure", "members": {}, "document": True}
TOKEN = {"shape": "Name", "idempotencyToken": True}
JSON_HEADER = {"shape": "Name", "location": "header", "locationName": "x-attrs", "jsonvalue": True}
NO_INPUT = OPERATIONS | {"Put": operation("Put") | {"errors": [{"shape": "Oops"}]}}
NO_OUTPUT = OPERATIONS | {"Get": operation("Get")}
RENAMED_INPUT = OPERATIONS | {"Put": OPERATIONS["Put"] | {"input": {"shape": "PutInput"}}}

CLAIMS: tuple[Claim, ...] = (
    # --- rules that say botocore rejects the call client-side
    Claim(
        "member-removed",
        "member.removed",
        request({"Name": "Name", "Old": "Name"}),
        {},
        {"Old": "x"},
        rejected=True,
    ),
    Claim(
        "required-member-added",
        "member.added.required",
        {},
        request({"Name": "Name", "Id": "Name"}, "Id"),
        {},
        rejected=True,
    ),
    Claim(
        "member-made-required",
        "member.required.added",
        {},
        request({"Name": "Name"}, "Name"),
        {},
        rejected=True,
    ),
    Claim(
        "min-raised-on-string",
        "constraint.min.raised",
        with_shape("Text", STRING | {"min": 1}),
        with_shape("Text", STRING | {"min": 5}),
        {"Value": "x"},
        rejected=True,
    ),
    Claim(
        "min-added-on-list",
        "constraint.min.raised",
        with_shape("Names", LIST),
        with_shape("Names", LIST | {"min": 2}),
        {"Value": ["x"]},
        rejected=True,
    ),
    Claim(
        "min-added-on-integer",
        "constraint.min.raised",
        with_shape("Count", {"type": "integer"}),
        with_shape("Count", {"type": "integer", "min": 10}),
        {"Value": 1},
        rejected=True,
    ),
    Claim(
        "min-added-on-double",
        "constraint.min.raised",
        with_shape("Ratio", {"type": "double"}),
        with_shape("Ratio", {"type": "double", "min": 2}),
        {"Value": 1.5},
        rejected=True,
    ),
    Claim(
        "string-became-integer",
        "type.changed",
        with_shape("Text", STRING),
        with_shape("Text", {"type": "integer"}),
        {"Value": "x"},
        rejected=True,
    ),
    Claim(
        "double-narrowed-to-integer",
        "type.narrowed",
        with_shape("Ratio", {"type": "double"}),
        with_shape("Ratio", {"type": "integer"}),
        {"Value": 1.5},
        rejected=True,
    ),
    Claim(
        "structure-became-union",
        "type.union.added",
        with_shape("Choice", CHOICE),
        with_shape("Choice", CHOICE | {"union": True}),
        {"Value": {"A": "x", "B": "x"}},
        rejected=True,
    ),
    Claim(
        "document-became-structure",
        "type.document.removed",
        with_shape("Doc", DOCUMENT),
        with_shape("Doc", struct({"A": "Name"})),
        {"Value": {"any": 1}},
        rejected=True,
    ),
    # --- rules that say botocore does not check it
    Claim(
        "max-lowered",
        "constraint.max.lowered",
        with_shape("Text", STRING | {"max": 10}),
        with_shape("Text", STRING | {"max": 1}),
        {"Value": "xxxxx"},
        rejected=False,
    ),
    Claim(
        "pattern-added",
        "constraint.pattern.tightened",
        with_shape("Text", STRING),
        with_shape("Text", STRING | {"pattern": "^[0-9]+$"}),
        {"Value": "x"},
        rejected=False,
    ),
    Claim(
        "enum-value-removed",
        "enum.value.removed",
        with_shape("Status", STRING | {"enum": ["A", "B"]}),
        with_shape("Status", STRING | {"enum": ["A"]}),
        {"Value": "B"},
        rejected=False,
    ),
    Claim(
        "string-became-enum",
        "enum.added",
        with_shape("Status", STRING),
        with_shape("Status", STRING | {"enum": ["A"]}),
        {"Value": "anything"},
        rejected=False,
    ),
    Claim(
        "min-added-on-map",
        "constraint.min.raised.unchecked",
        with_shape("Labels", MAP),
        with_shape("Labels", MAP | {"min": 3}),
        {"Value": {"k": "v"}},
        rejected=False,
    ),
    Claim(
        "min-added-on-blob",
        "constraint.min.raised.unchecked",
        with_shape("Body", {"type": "blob"}),
        with_shape("Body", {"type": "blob", "min": 5}),
        {"Value": b"x"},
        rejected=False,
    ),
    # --- rules that say nothing breaks
    Claim(
        "optional-member-added",
        "member.added",
        {},
        request({"Name": "Name", "Extra": "Name"}),
        {"Name": "x"},
        rejected=False,
    ),
    Claim(
        "idempotency-token-made-required",
        "member.required.added.idempotency-token",
        request({"Name": "Name", "Token": TOKEN}),
        request({"Name": "Name", "Token": TOKEN}, "Token"),
        {},
        rejected=False,
    ),
    Claim(
        "integer-became-long",
        "type.same-python",
        with_shape("Count", {"type": "integer"}),
        with_shape("Count", {"type": "long"}),
        {"Value": 1},
        rejected=False,
    ),
    Claim(
        "integer-widened-to-double",
        "type.widened",
        with_shape("Count", {"type": "integer"}),
        with_shape("Count", {"type": "double"}),
        {"Value": 1},
        rejected=False,
    ),
    Claim(
        "string-became-blob",
        "type.string-to-blob",
        with_shape("Text", STRING),
        with_shape("Text", {"type": "blob"}),
        {"Value": "x"},
        rejected=False,
    ),
    Claim(
        "union-variant-added",
        "union.member.added",
        with_shape("Choice", struct({"A": "Name"}, union=True)),
        with_shape("Choice", CHOICE | {"union": True}),
        {"Value": {"A": "x"}},
        rejected=False,
    ),
    Claim(
        "union-became-structure",
        "type.traits.changed",
        with_shape("Choice", CHOICE | {"union": True}),
        with_shape("Choice", CHOICE),
        {"Value": {"A": "x"}},
        rejected=False,
    ),
    Claim(
        "min-lowered",
        "constraint.min.lowered",
        with_shape("Text", STRING | {"min": 5}),
        with_shape("Text", STRING | {"min": 1}),
        {"Value": "xxxxx"},
        rejected=False,
    ),
    # --- where our rules and botocore disagree (see each name)
    Claim(
        "nested-idempotency-token-made-required",
        "member.required.added",
        with_shape("Spec", struct({"Token": TOKEN})),
        with_shape("Spec", struct({"Token": TOKEN}, "Token")),
        {"Value": {}},
        rejected=True,  # botocore fills top-level tokens only (OperationModel.idempotent_members)
    ),
    Claim(
        "required-idempotency-token-no-longer-filled",
        "wire.idempotency-token.removed.required",
        request({"Name": "Name", "Token": TOKEN}, "Token"),
        request({"Name": "Name", "Token": "Name"}, "Token"),
        {},
        rejected=True,  # callers relied on botocore filling it in
    ),
    Claim(
        "host-label-added",
        "wire.host-label.added",
        {},
        request({"Name": {"shape": "Name", "hostLabel": True}}),
        {"Name": ""},
        rejected=True,  # a hostLabel member has an implicit min of 1 (validate.range_check)
    ),
    Claim(
        "json-value-header-became-plain-string",
        "wire.jsonvalue.changed",
        request({"Attrs": JSON_HEADER}),
        request({"Attrs": JSON_HEADER | {"jsonvalue": False}}),
        {"Attrs": {"k": "v"}},
        rejected=True,
    ),
    Claim(
        "operation-gained-an-input-with-a-required-member",
        "operation.input.added.required",
        {"PutRequest": None},
        request({"Name": "Name"}, "Name"),
        {},
        rejected=True,
        operations_before=NO_INPUT,
    ),
    Claim(
        "member-retargeted-to-a-structure-without-a-member",
        "member.removed",
        with_shape("Spec", struct({"Name": "Name", "Old": "Name"})),
        {"Spec": None, "SpecV2": struct({"Name": "Name"})} | request({"Value": "SpecV2"}),
        {"Value": {"Old": "x"}},
        rejected=True,
    ),
    Claim(
        "input-renamed-to-a-structure-without-a-member",
        "member.removed",
        request({"Name": "Name", "Old": "Name"}),
        {"PutRequest": None, "PutInput": struct({"Name": "Name"})},
        {"Old": "x"},
        rejected=True,
        operations_after=RENAMED_INPUT,
    ),
    # --- responses, as Stubber sees them
    Claim(
        "required-member-added-to-response",
        "member.added.required",
        {},
        response({"Name": "Name", "Id": "Name"}, "Id"),
        {},
        rejected=True,
        side=Side.RESPONSE,
    ),
    Claim(
        "member-removed-from-response",
        "member.removed",
        response({"Name": "Name", "Old": "Name"}),
        {},
        {"Old": "x"},
        rejected=True,
        side=Side.RESPONSE,
    ),
    Claim(
        "min-raised-in-response",
        "constraint.min.raised",
        in_response("Text", STRING),
        in_response("Text", STRING | {"min": 5}),
        {"Value": "x"},
        rejected=True,
        side=Side.RESPONSE,
    ),
    Claim(
        "output-removed",
        "operation.output.removed",
        {},
        {},
        {"Name": "x"},
        rejected=True,
        side=Side.RESPONSE,
        operations_after=NO_OUTPUT,
    ),
    Claim(
        "member-no-longer-required-in-response",
        "member.required.removed",
        response({"Name": "Name"}, "Name"),
        {},
        {"Name": "x"},
        rejected=False,
        side=Side.RESPONSE,
    ),
    Claim(
        "enum-value-added-in-response",
        "enum.value.added",
        in_response("Status", STRING | {"enum": ["A"]}),
        in_response("Status", STRING | {"enum": ["A", "B"]}),
        {"Value": "A"},
        rejected=False,
        side=Side.RESPONSE,
    ),
    Claim(
        "max-lowered-in-response",
        "constraint.max.lowered",
        in_response("Text", STRING),
        in_response("Text", STRING | {"max": 1}),
        {"Value": "xxxxx"},
        rejected=False,
        side=Side.RESPONSE,
    ),
    Claim(
        "double-narrowed-to-integer-in-response",
        "type.narrowed",
        in_response("Ratio", {"type": "double"}),
        in_response("Ratio", {"type": "integer"}),
        {"Value": 1.5},
        rejected=True,
        side=Side.RESPONSE,
    ),
    Claim(
        "structure-became-union-in-response",
        "type.union.added",
        in_response("Choice", CHOICE),
        in_response("Choice", CHOICE | {"union": True}),
        {"Value": {"A": "x", "B": "x"}},
        rejected=True,
        side=Side.RESPONSE,
    ),
    Claim(
        "document-became-structure-in-response",
        "type.document.removed",
        in_response("Doc", DOCUMENT),
        in_response("Doc", struct({"A": "Name"})),
        {"Value": {"any": 1}},
        rejected=True,
        side=Side.RESPONSE,
    ),
    Claim(
        "operation-gained-an-output-with-a-required-member",
        "operation.output.added.required",
        {"GetResponse": None},
        response({"Name": "Name"}, "Name"),
        {},
        rejected=True,
        side=Side.RESPONSE,
        operations_before=NO_OUTPUT,
    ),
    # --- modelled error fields, as Stubber.add_client_error sees them
    Claim(
        "error-removed",
        "error.removed",
        {},
        {"Oops": None},
        {"Message": "x"},
        rejected=True,
        side=Side.ERROR,
        operations_after=OPERATIONS | {"Put": operation("Put", "PutRequest")},
    ),
    Claim(
        "error-code-changed",
        "error.code.changed",
        {},
        {"Oops": BASE["Oops"] | {"error": {"code": "OopsCode"}}},
        {"Message": "x"},
        rejected=True,
        side=Side.ERROR,
    ),
    Claim(
        "required-member-added-to-error",
        "member.added.required",
        {},
        {"Oops": struct({"Message": "Name", "Reason": "Name"}, "Reason", exception=True)},
        {"Message": "x"},
        rejected=True,
        side=Side.ERROR,
    ),
)


def _ids(claims: tuple[Claim, ...]) -> list[Any]:
    return [pytest.param(claim, id=claim.name) for claim in claims]


def _oracle_rejection(model: ServiceModel, claim: Claim) -> str | None:
    botocore_model = botocore_oracle.botocore_model(model)
    if claim.side is Side.REQUEST:
        operation_model = botocore_model.operation_model("Put")
        return botocore_oracle.request_rejection(operation_model, claim.value)
    if claim.side is Side.RESPONSE:
        operation_model = botocore_model.operation_model("Get")
        return botocore_oracle.response_rejection(operation_model, claim.value)
    return botocore_oracle.error_rejection(botocore_model, "Oops", claim.value)


def _real_rejection(clients: botocore_client.ModelClients, claim: Claim) -> str | None:
    with clients.client(_service_name(claim)) as client:
        if claim.side is Side.REQUEST:
            return botocore_client.call_rejection(client, "Put", claim.value)
        if claim.side is Side.RESPONSE:
            return botocore_client.stub_rejection(client, "Get", claim.value)
        return botocore_client.stub_error_rejection(client, "Oops", claim.value)


def _service_name(claim: Claim) -> str:
    return f"claim-{claim.name}"


@pytest.fixture(scope="module")
def real_rejections(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | None]:
    """What a real client or Stubber built from each claim's new model says about its value."""
    documents = {_service_name(claim): claim.models()[1].document for claim in CLAIMS}
    clients = botocore_client.ModelClients(documents, tmp_path_factory.mktemp("claims"))
    return {claim.name: _real_rejection(clients, claim) for claim in CLAIMS}


@pytest.mark.parametrize("claim", _ids(CLAIMS))
def test_value_is_valid_before_the_change(claim: Claim) -> None:
    assert _oracle_rejection(claim.models()[0], claim) is None


@pytest.mark.parametrize("claim", _ids(CLAIMS))
def test_botocore_does_what_the_rule_claims(
    claim: Claim, real_rejections: dict[str, str | None]
) -> None:
    rejection = real_rejections[claim.name]
    assert (rejection is not None) == claim.rejected, rejection


@pytest.mark.parametrize("claim", _ids(CLAIMS))
def test_oracle_answers_as_the_real_client_does(
    claim: Claim, real_rejections: dict[str, str | None]
) -> None:
    assert _oracle_rejection(claim.models()[1], claim) == _report(real_rejections[claim.name])


def _report(message: str | None) -> str | None:
    """The validator's report inside a ParamValidationError message."""
    if message is None:
        return None
    return message.removeprefix("Parameter validation failed:\n")


@pytest.mark.parametrize("claim", _ids(CLAIMS))
def test_the_rule_classifies_the_change(claim: Claim) -> None:
    found = classify_pair(*claim.models())
    assert claim.rule in {classified.rule for classified in found}, _describe(found)


@pytest.mark.parametrize("claim", _ids(CLAIMS))
def test_verdict_agrees_with_botocore(claim: Claim) -> None:
    found = classify_pair(*claim.models())
    sdk, stubber = gate(found, Perspective.SDK), gate(found, Perspective.STUBBER)
    if claim.side is Side.REQUEST:
        # A call botocore rejects is breaking; one it accepts is not.
        assert (sdk is Severity.BREAKING) == claim.rejected, _describe(found)
    elif claim.rejected:
        assert stubber is Severity.BREAKING, _describe(found)
    else:
        # Stubber accepts it: the stubber perspective adds nothing to the runtime verdict.
        assert stubber.rank <= sdk.rank, _describe(found)


def _describe(found: tuple[ClassifiedChange, ...]) -> str:
    return "\n".join(
        f"{classified.rule}: {classified.change.description} "
        f"(sdk {classified.severity(Perspective.SDK)}, "
        f"stubber {classified.severity(Perspective.STUBBER)}, reaches {classified.reaches})"
        for classified in found
    )


# --- what a client exposes at all: the service itself and its exception classes


def test_client_for_a_service_botocore_lacks_raises_unknown_service_error(
    tmp_path: Path,
) -> None:
    old, new = _service_pair()
    clients = botocore_client.ModelClients({"claim-kept": old.document}, tmp_path)
    with clients.client("claim-kept"):
        pass  # the service botocore has: a client
    with pytest.raises(UnknownServiceError), clients.client("claim-gone"):
        pass
    found = classify_pair(old, new)
    removed = next(classified for classified in found if classified.rule == "service.removed")
    assert removed.severity() is Severity.BREAKING


def test_service_added_is_info(tmp_path: Path) -> None:
    old, new = _service_pair()
    found = classify_pair(new, old)
    added = next(classified for classified in found if classified.rule == "service.added")
    assert added.severity() is Severity.INFO


def _service_pair() -> tuple[ServiceModel, ServiceModel]:
    """A service, and the stand-in compare.py diffs for a release without it."""
    model = _model(BASE, OPERATIONS, CLIENT_METADATA)
    return model, _model({}, {}, CLIENT_METADATA)


def test_error_losing_its_exception_trait_loses_its_exception_class(tmp_path: Path) -> None:
    before = _model(BASE, OPERATIONS, CLIENT_METADATA)
    plain = {key: value for key, value in BASE["Oops"].items() if key != "exception"}
    after = _model(BASE | {"Oops": plain}, OPERATIONS, CLIENT_METADATA)
    clients = botocore_client.ModelClients(
        {"claim-exception-before": before.document, "claim-exception-after": after.document},
        tmp_path,
    )
    with clients.client("claim-exception-before") as client:
        assert hasattr(client.exceptions, "Oops")
    with clients.client("claim-exception-after") as client:
        assert not hasattr(client.exceptions, "Oops")  # AttributeError in an `except` clause
    found = classify_pair(before, after)
    assert "error.exception.removed" in {classified.rule for classified in found}
    assert gate(found, Perspective.SDK) is Severity.BREAKING
