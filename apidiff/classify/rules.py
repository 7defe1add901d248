"""Every compatibility rule: a stable id, when it applies, its severity per perspective and
position, and what a reader should know. This table is the whole of the classification.

Severities are written as letters (Breaking, Risky, Safe, Info), "request/response" where
the position matters: `sdk="B/S"` is breaking in a request and safe in a response. The
first rule whose `applies` matches a change classifies it, so specific rules come before
the general rule of the same kind. The facts behind them (what botocore validates on the
client, what Stubber checks) are in the tests under tests/classify/, checked against
botocore itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from apidiff.classify.patterns import PatternChange, PatternVerdict, StringLimits, compare_patterns
from apidiff.classify.severity import Perspective, Severity
from apidiff.diff import Change, ChangeKind
from apidiff.model import Position, ServiceModel

Predicate = Callable[[Change, "RuleContext"], bool]
# What a rule can add about one change beyond its advice (a witness string, a reason).
Detail = Callable[[Change, "RuleContext"], str | None]


@dataclass(frozen=True)
class RuleContext:
    """The two models a change came from, for rules that must look at more than the change."""

    old: ServiceModel
    new: ServiceModel

    def old_shape(self, name: str | None) -> Mapping[str, Any]:
        return self.old.shapes.get(name or "", {})

    def new_shape(self, name: str | None) -> Mapping[str, Any]:
        return self.new.shapes.get(name or "", {})


@dataclass(frozen=True, slots=True)
class Verdict:
    """The severity of a rule in a request (input) and in a response (output or error)."""

    request: Severity
    response: Severity

    @classmethod
    def parse(cls, letters: str) -> Verdict:
        request, _, response = letters.partition("/")
        return cls(Severity.from_letter(request), Severity.from_letter(response or request))


@dataclass(frozen=True, slots=True)
class Advice:
    """What to do about a change, told to the code it meets: a boto3 caller's requests and
    responses (sdk), a test's stubbed responses (stubber), and a peer that speaks the
    protocol with the other model (wire), whose advice never speaks Python."""

    request: str
    response: str
    stubbed: str
    wire: str
    wire_response: str

    def for_side(self, perspective: Perspective, side: str) -> str:
        """The advice for one perspective on one side, "request" or "response"."""
        if perspective is Perspective.WIRE:
            return self.wire if side == "request" else self.wire_response
        if side == "request":
            return self.request
        return self.stubbed if perspective is Perspective.STUBBER else self.response


def advice(
    request: str,
    response: str | None = None,
    *,
    stubbed: str | None = None,
    wire: str | None = None,
    wire_response: str | None = None,
) -> Advice:
    """A rule's advice: each side defaults to the request's, stubbed responses to the
    response's, and the wire's response to the wire's request."""
    response = response or request
    wire = wire or request
    return Advice(request, response, stubbed or response, wire, wire_response or wire)


@dataclass(frozen=True, slots=True)
class Rule:
    """One compatibility rule: its stable id, what it says, its verdict for each perspective
    and the changes it applies to."""

    id: str
    summary: str
    guidance: Advice
    verdicts: Mapping[Perspective, Verdict]
    applies: When
    detail: Detail | None = None

    @property
    def advice(self) -> str:
        """The advice to a boto3 caller, for a listing of the rules: one text, or one per side."""
        return self.advice_for(Perspective.SDK, frozenset({"request", "response"}))

    def advice_for(self, perspective: Perspective, sides: frozenset[str]) -> str:
        """The advice for `perspective` where a change meets callers on `sides` (empty where
        no caller meets it: both)."""
        texts = [self.guidance.for_side(perspective, side) for side in ("request", "response")]
        if texts[0] == texts[1] or not sides or sides == {"request", "response"}:
            if texts[0] == texts[1]:
                return texts[0]
            return f"In requests: {texts[0]} In responses: {texts[1]}"
        return texts[0] if "request" in sides else texts[1]


def rule(
    id: str,
    summary: str,
    guidance: Advice,
    *,
    sdk: str,
    stubber: str | None = None,
    wire: str | None = None,
    when: When,
    detail: Detail | None = None,
) -> Rule:
    """A table row. Stubber defaults to the sdk verdict; wire to the sdk verdict too."""
    return Rule(
        id=id,
        summary=summary,
        guidance=guidance,
        verdicts={
            Perspective.SDK: Verdict.parse(sdk),
            Perspective.STUBBER: Verdict.parse(stubber or sdk),
            Perspective.WIRE: Verdict.parse(wire or sdk),
        },
        applies=when,
        detail=detail,
    )


# Predicates, named for how they read in the table.


@dataclass(frozen=True, slots=True)
class When:
    """When a rule applies: to a change of one of `kinds` that passes `test`, if any."""

    kinds: frozenset[ChangeKind]
    test: Predicate | None = None

    def __call__(self, change: Change, context: RuleContext) -> bool:
        return change.kind in self.kinds and (self.test is None or self.test(change, context))


def kind(*kinds: ChangeKind) -> When:
    return When(frozenset(kinds))


def kind_and(kinds: ChangeKind | tuple[ChangeKind, ...], test: Predicate) -> When:
    return When(frozenset(kinds if isinstance(kinds, tuple) else (kinds,)), test)


def aspect_in(*aspects: str) -> Predicate:
    return lambda change, _context: (change.aspect or "").split(".")[-1] in aspects


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _tightened_min(change: Change, _context: RuleContext) -> bool:
    """A minimum added, or raised; an added minimum of 0 constrains nothing."""
    old, new = _number(change.old), _number(change.new)
    return new is not None and new > (old or 0)


def _min_unchanged(change: Change, _context: RuleContext) -> bool:
    """A minimum of 0 added or removed: no length or value is below 0 anyway."""
    return (_number(change.old) or 0) == (_number(change.new) or 0)


def _pattern_verdict(change: Change, context: RuleContext) -> PatternVerdict:
    """How the pattern changed among the strings the old shape allows otherwise (its
    length and enum): a witness outside them proves nothing."""
    limits = StringLimits.of_shape(context.old_shape(change.shape))
    return compare_patterns(change.old, change.new, limits)


def _pattern_is(*outcomes: PatternChange) -> When:
    """A pattern change that compare_patterns decides as one of `outcomes`."""
    return kind_and(
        ChangeKind.CONSTRAINT_CHANGED,
        lambda change, context: (
            change.aspect == "pattern" and _pattern_verdict(change, context).change in outcomes
        ),
    )


def _pattern_detail(change: Change, context: RuleContext) -> str | None:
    verdict = _pattern_verdict(change, context)
    if verdict.witness is not None:
        return f"{verdict.witness!r} matches the old pattern and not the new one"
    if verdict.refused_before is not None:
        return (
            f"{verdict.refused_before!r} matches the old pattern and not the new one, but the "
            "old length limits or enum already refused it"
        )
    return f"not decided: {verdict.reason}" if verdict.reason else None


def _exception_removed(change: Change, _context: RuleContext) -> bool:
    return change.aspect == "exception" and bool(change.old) and not change.new


def _tightened_max(change: Change, _context: RuleContext) -> bool:
    """A maximum added, or lowered."""
    old, new = _number(change.old), _number(change.new)
    return new is not None and (old is None or new < old)


def _min_checked_by_botocore(change: Change, context: RuleContext) -> bool:
    # botocore's validator checks min on strings, lists and numbers, not on maps or blobs.
    shape_type = context.new_shape(change.shape).get("type")
    return shape_type in {"string", "list", "integer", "long", "float", "double"}


def _is_idempotency_token(change: Change, context: RuleContext) -> bool:
    # botocore fills an idempotency token itself when the caller leaves it out, but only a
    # top-level one: a member of an operation's input shape, not of anything nested in it.
    members = context.new_shape(change.shape).get("members", {})
    is_token = bool(members.get(change.member or "", {}).get("idempotencyToken"))
    return is_token and any(
        position is Position.REQUEST
        for _operation, position in context.new.roots.get(change.shape or "", ())
    )


def _new_io_has_required(change: Change, context: RuleContext) -> bool:
    """The operation's new input or output has required members botocore will not fill."""
    shape = context.new_shape(change.new if isinstance(change.new, str) else None)
    members = shape.get("members", {})
    return any(
        not members.get(name, {}).get("idempotencyToken") for name in shape.get("required", ())
    )


# botocore's order of preference among a model's `protocols` (botocore.utils).
_PROTOCOL_PREFERENCE = ("json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2")
# How botocore names the auth schemes of a model's `auth` list, in signatureVersion terms.
_AUTH_SCHEMES = {
    "aws.auth#sigv4": "v4",
    "aws.auth#sigv4a": "v4a",
    "smithy.api#httpBearerAuth": "bearer",
    "smithy.api#noAuth": "none",
}


def _effective_protocol(metadata: Mapping[str, Any]) -> Any:
    listed = metadata.get("protocols") or ()
    preferred = [protocol for protocol in _PROTOCOL_PREFERENCE if protocol in listed]
    return preferred[0] if preferred else metadata.get("protocol")


def _effective_protocol_changed(change: Change, context: RuleContext) -> bool:
    # Reported on the `protocols` key where there is one, so a switch is one finding.
    if change.aspect not in ("protocol", "protocols"):
        return False
    either_lists = "protocols" in context.old.metadata or "protocols" in context.new.metadata
    if change.aspect == "protocol" and either_lists:
        return False
    return bool(
        _effective_protocol(context.old.metadata) != _effective_protocol(context.new.metadata)
    )


def _effective_auth(metadata: Mapping[str, Any]) -> Any:
    supported = [
        _AUTH_SCHEMES[name] for name in metadata.get("auth") or () if name in _AUTH_SCHEMES
    ]
    return supported[0] if supported else metadata.get("signatureVersion")


def _effective_auth_changed(change: Change, context: RuleContext) -> bool:
    # The first scheme botocore supports is the one it signs with.
    return change.aspect in ("auth", "signatureVersion") and bool(
        _effective_auth(context.old.metadata) != _effective_auth(context.new.metadata)
    )


def _error_code_changed(change: Change, context: RuleContext) -> bool:
    """The code an error is matched by: `error.code`, or else the shape's name."""
    if change.aspect != "error" or not _is_error_shape(change, context):
        return False
    name = change.shape
    old = change.old.get("code", name) if isinstance(change.old, dict) else name
    new = change.new.get("code", name) if isinstance(change.new, dict) else name
    return bool(old != new)


# The codes botocore's standard and adaptive retry modes treat as throttling by name
# (botocore/retries/standard.py, _THROTTLED_ERROR_CODES); a modelled flag on them changes
# nothing, and legacy mode does not read the flag at all.
_THROTTLED_BY_NAME = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    }
)


def _throttled_by_name(change: Change, context: RuleContext) -> bool:
    error = context.new_shape(change.shape).get("error") or {}
    code = error.get("code", change.shape) if isinstance(error, dict) else change.shape
    return (
        change.aspect == "retryable"
        and change.new == {"throttling": True}
        and code in _THROTTLED_BY_NAME
    )


def _only_adds_non_aggregate_keys(change: Change, _context: RuleContext) -> bool:
    old, new = change.old or [], change.new or []
    return (
        change.aspect == "non_aggregate_keys"
        and isinstance(old, list)
        and isinstance(new, list)
        and set(old) < set(new)
    )


def _in_a_request_root(change: Change, context: RuleContext) -> bool:
    roots = context.new.roots.get(change.shape or "", ())
    return any(position is Position.REQUEST for _operation, position in roots)


def _new_member_is_required(change: Change, context: RuleContext) -> bool:
    return change.member in context.new_shape(change.shape).get("required", ())


def _old_member_was_required(change: Change, context: RuleContext) -> bool:
    return change.member in context.old_shape(change.shape).get("required", ())


def _is_union(change: Change, context: RuleContext) -> bool:
    return bool(context.new_shape(change.shape).get("union"))


def _is_error_shape(change: Change, context: RuleContext) -> bool:
    shape = context.old_shape(change.shape) or context.new_shape(change.shape)
    return bool(shape.get("exception"))


def _first_enum(change: Change, context: RuleContext) -> bool:
    return not context.old_shape(change.shape).get("enum")


def _last_enum(change: Change, context: RuleContext) -> bool:
    return not context.new_shape(change.shape).get("enum")


def _types(*pairs: tuple[frozenset[str], frozenset[str]]) -> Predicate:
    def test(change: Change, _context: RuleContext) -> bool:
        return any(change.old in before and change.new in after for before, after in pairs)

    return test


def _set(*names: str) -> frozenset[str]:
    return frozenset(names)


def _added(change: Change, _context: RuleContext) -> bool:
    return change.old is None and change.new is not None


def _removed(change: Change, _context: RuleContext) -> bool:
    return change.old is not None and change.new is None


def _both(first: Predicate, second: Predicate) -> Predicate:
    return lambda change, context: first(change, context) and second(change, context)


_INTEGERS = _set("integer", "long")
_FLOATS = _set("float", "double")
_TYPE_KINDS = (ChangeKind.SHAPE_TYPE_CHANGED, ChangeKind.MEMBER_TYPE_CHANGED)
_TRAIT_KINDS = (ChangeKind.SHAPE_TRAIT_CHANGED, ChangeKind.MEMBER_TRAIT_CHANGED)
_WIRE_METADATA = (
    "jsonVersion",
    "targetPrefix",
    "xmlNamespace",
    "globalEndpoint",
    "protocolSettings",
    "checksumFormat",
)
_WIRE_MEMBER_TRAITS = ("location", "locationName", "queryName", "xmlNamespace", "xmlAttribute")
_NO_OP_TRAITS = ("deprecated", "deprecatedMessage", "deprecatedSince", "box", "sensitive")

RULES: tuple[Rule, ...] = (
    # --- the service itself
    rule(
        "service.removed",
        "The service is no longer in botocore",
        advice(
            "boto3.client(...) for it raises UnknownServiceError: every call, paginator and waiter "
            "of it goes with the client, so remove its uses before upgrading.",
            wire="The model no longer describes the service: peers built from the new models "
            "cannot call it.",
        ),
        sdk="B",
        when=kind(ChangeKind.SERVICE_REMOVED),
    ),
    rule(
        "service.added",
        "A new service",
        advice(
            "Nothing breaks; boto3.client(...) can now create a client for it.",
            wire="Nothing breaks; a new service peers may call.",
        ),
        sdk="I",
        when=kind(ChangeKind.SERVICE_ADDED),
    ),
    rule(
        "endpoint.changed",
        "A request now resolves to another endpoint URL",
        advice(
            "Calls go to a different URL for these parameters: check firewalls, proxies, VPC "
            "endpoints and custom endpoint_url settings.",
            wire="Requests for these parameters go to a different URL: peers on the old rule set "
            "send them elsewhere; check firewalls, proxies and recorded fixtures.",
        ),
        sdk="R",
        wire="B",
        when=kind(ChangeKind.ENDPOINT_CHANGED),
    ),
    # Same URL, signed otherwise. botocore signs as the endpoint's authSchemes say, so an
    # upgraded client signs as AWS now expects; it resolves (and picks its scheme) before
    # `before-call`, so stubbed calls meet a scheme it cannot sign with too. Peers on the old
    # rule set send requests of another credential scope: as metadata.endpoint.changed.
    rule(
        "endpoint.auth.changed",
        "Requests to an unchanged endpoint URL are signed otherwise",
        advice(
            "botocore now signs these requests as the new rule set says (another scheme, "
            "signing name or signing region), as AWS now expects: calls keep working, but "
            "sigv4a raises MissingDependencyException unless awscrt is installed (pip install "
            "botocore[crt]), a new signing region is what IAM and SCP conditions on "
            "aws:RequestedRegion see, and a client given a signature_version of another scheme "
            "keeps signing its own way.",
            stubbed="Stubbed calls are not signed, but a scheme botocore cannot sign with "
            "(sigv4a without awscrt) raises before the stub answers.",
            wire="Peers on the old rule set sign these requests with the old scheme, signing "
            "name or region: proxies, emulators and gateways that route or verify by the "
            "credential scope see another request; check that the service still accepts the "
            "old signing and re-record fixtures.",
        ),
        sdk="R",
        wire="B",
        when=kind(ChangeKind.ENDPOINT_AUTH_CHANGED),
    ),
    rule(
        "endpoint.headers.changed",
        "Requests to an unchanged endpoint URL carry other endpoint headers",
        advice(
            "botocore adds the endpoint's headers to each request itself: nothing to change in "
            "calling code; proxies that filter headers see the new ones.",
            stubbed="Stubbed calls are answered before any header is sent.",
            wire="Peers on the old rule set send these requests without the new headers (or "
            "with the old ones): check whether the service needs them.",
        ),
        sdk="I",
        wire="R",
        when=kind(ChangeKind.ENDPOINT_HEADERS_CHANGED),
    ),
    # --- service metadata
    rule(
        "metadata.protocol.changed",
        "The service's wire protocol changed",
        advice(
            "Call sites keep working, but error codes may differ: re-record fixtures and check "
            "emulator support.",
            wire="Peers on the old model speak another protocol: re-record fixtures and check "
            "emulator support.",
        ),
        sdk="R",
        wire="B",
        when=kind_and(ChangeKind.METADATA_CHANGED, _effective_protocol_changed),
    ),
    rule(
        "metadata.service-id.changed",
        "The serviceId changed",
        advice(
            "Event hooks (before-call.<service-id>...) and AWS_ENDPOINT_URL_<SERVICE_ID> or "
            "[services] config keyed by the old id stop applying: rename them.",
            wire="The serviceId is not sent on the wire; nothing changes for peers.",
        ),
        sdk="B",
        wire="I",
        when=kind_and(ChangeKind.METADATA_CHANGED, aspect_in("serviceId")),
    ),
    rule(
        "metadata.endpoint.changed",
        "The endpoint prefix or signing name changed",
        advice(
            "Requests go to a different host or are signed for a different scope: custom "
            "endpoints, VPC endpoints and IAM policies may need updating."
        ),
        sdk="R",
        wire="B",
        when=kind_and(ChangeKind.METADATA_CHANGED, aspect_in("endpointPrefix", "signingName")),
    ),
    rule(
        "metadata.auth.changed",
        "The service's authentication schemes changed",
        advice(
            "botocore picks the first supported scheme; sigv4a needs awscrt installed. Check that "
            "your environment supports the new scheme.",
            wire="Requests are signed with another scheme: peers and proxies that check signatures "
            "must support it.",
        ),
        sdk="R",
        wire="B",
        when=kind_and(ChangeKind.METADATA_CHANGED, _effective_auth_changed),
    ),
    rule(
        "metadata.wire.changed",
        "A wire-level setting of the service changed",
        advice(
            "Nothing changes for a boto3 caller.",
            wire="Peers on the old model (emulators, proxies, pinned SDKs) build or expect "
            "differently shaped requests.",
        ),
        sdk="S",
        wire="B",
        when=kind_and(ChangeKind.METADATA_CHANGED, aspect_in(*_WIRE_METADATA)),
    ),
    rule(
        "metadata.awsquerycompatible.changed",
        "awsQueryCompatible changed",
        advice(
            "Error codes may stop matching the legacy query codes that `except` clauses and "
            "Error.Code comparisons rely on.",
            wire="Error responses may carry other codes: peers matching the legacy query codes "
            "stop matching.",
        ),
        sdk="R",
        wire="B",
        when=kind_and(ChangeKind.METADATA_CHANGED, aspect_in("awsQueryCompatible")),
    ),
    rule(
        "metadata.protocols-or-auth.listed",
        "The listed protocols or auth schemes changed, not the ones botocore uses",
        advice(
            "botocore keeps the protocol and signing it used: nothing to do.",
            wire="SDKs that pick differently may speak another protocol or sign differently.",
        ),
        sdk="I",
        wire="R",
        when=kind_and(
            ChangeKind.METADATA_CHANGED,
            aspect_in("protocol", "protocols", "auth", "signatureVersion"),
        ),
    ),
    rule(
        "metadata.changed",
        "Descriptive service metadata changed",
        advice("Names, ids and versions used for display only; nothing to do."),
        sdk="I",
        when=kind(ChangeKind.METADATA_CHANGED),
    ),
    rule(
        "documentation.changed",
        "Documentation changed",
        advice("Nothing to do; read it if you rely on the documented behaviour."),
        sdk="I",
        when=kind(
            ChangeKind.SERVICE_DOCS_CHANGED,
            ChangeKind.OPERATION_DOCS_CHANGED,
            ChangeKind.SHAPE_DOCS_CHANGED,
            ChangeKind.MEMBER_DOCS_CHANGED,
        ),
    ),
    # --- operations
    rule(
        "operation.added",
        "A new api method",
        advice(
            "Nothing breaks; a new client method is available.",
            wire="Nothing breaks; a new operation peers may call.",
        ),
        sdk="S",
        when=kind(ChangeKind.OPERATION_ADDED),
    ),
    rule(
        "operation.removed",
        "An api method was removed",
        advice(
            "Calls to it fail with AttributeError, and paginators and waiters built on it go too: "
            "remove its uses before upgrading.",
            wire="The service may stop answering it: peers on the old model that call it get "
            "errors.",
        ),
        sdk="B",
        when=kind(ChangeKind.OPERATION_REMOVED),
    ),
    rule(
        "operation.output.removed",
        "An api method no longer returns a response structure",
        advice(
            "Keys your code reads from the response are gone: response[...] raises KeyError.",
            wire="The operation answers without a body: peers on the old model expect one.",
        ),
        sdk="B",
        wire="R",
        when=kind_and(ChangeKind.OPERATION_OUTPUT_CHANGED, _removed),
    ),
    rule(
        "operation.input.removed",
        "An api method no longer takes input",
        advice(
            "botocore skips validation for it, so arguments you pass are silently ignored.",
            wire="Peers on the old model send a body the operation no longer reads.",
        ),
        sdk="R",
        when=kind_and(ChangeKind.OPERATION_INPUT_CHANGED, _removed),
    ),
    rule(
        "operation.input.added.required",
        "An api method now takes input with required members",
        advice(
            "Calls that pass nothing raise ParamValidationError (Missing required parameter).",
            wire="Requests from peers on the old model lack members the service now requires.",
        ),
        sdk="B",
        when=kind_and(ChangeKind.OPERATION_INPUT_CHANGED, _both(_added, _new_io_has_required)),
    ),
    rule(
        "operation.input.added",
        "An api method now takes optional input",
        advice("Nothing breaks."),
        sdk="S",
        when=kind_and(ChangeKind.OPERATION_INPUT_CHANGED, _added),
    ),
    rule(
        "operation.output.added.required",
        "An api method now returns a response with required members",
        advice(
            "Nothing breaks: boto3 does not validate responses.",
            stubbed="Stubbed responses without its required members fail Stubber's validation.",
            wire="Nothing breaks; peers on the old model ignore the new response body.",
        ),
        sdk="S",
        stubber="B",
        when=kind_and(ChangeKind.OPERATION_OUTPUT_CHANGED, _both(_added, _new_io_has_required)),
    ),
    rule(
        "operation.output.added",
        "An api method now returns a response structure",
        advice("Nothing breaks."),
        sdk="S",
        when=kind_and(ChangeKind.OPERATION_OUTPUT_CHANGED, _added),
    ),
    rule(
        "operation.io.retargeted",
        "An api method's input or output shape was renamed or replaced",
        advice(
            "Shape names are invisible at runtime; structural differences are reported as their "
            "own findings. Typed stubs (TypeDef names) may change.",
            wire="Shape names are not on the wire; structural differences are reported as their "
            "own findings.",
        ),
        sdk="I",
        when=kind(ChangeKind.OPERATION_INPUT_CHANGED, ChangeKind.OPERATION_OUTPUT_CHANGED),
    ),
    rule(
        "operation.error.added",
        "An api method may raise a new modelled error",
        advice(
            "A new failure mode to handle; the exception class exists on client.exceptions.",
            wire="Peers on the old model may receive an error code they do not know.",
        ),
        sdk="S",
        wire="I",
        when=kind(ChangeKind.OPERATION_ERROR_ADDED),
    ),
    rule(
        "operation.error.removed",
        "An api method no longer lists a modelled error",
        advice(
            "The exception class may still exist; nothing breaks.",
            wire="Nothing breaks; the service may still return the error.",
        ),
        sdk="I",
        when=kind(ChangeKind.OPERATION_ERROR_REMOVED),
    ),
    rule(
        "operation.http.response-code.changed",
        "An api method's HTTP response code changed",
        advice(
            "Nothing changes for a boto3 caller.",
            wire="Recorded fixtures and emulators answer with another status code.",
        ),
        sdk="S",
        wire="R",
        when=kind_and(ChangeKind.OPERATION_HTTP_CHANGED, aspect_in("responseCode")),
    ),
    rule(
        "operation.http.changed",
        "An api method's HTTP method or request URI changed",
        advice(
            "Nothing changes for a boto3 caller.",
            wire="Proxies, allowlists, emulators and recorded fixtures see a different request "
            "line.",
        ),
        sdk="S",
        wire="B",
        when=kind(ChangeKind.OPERATION_HTTP_CHANGED),
    ),
    rule(
        "operation.auth.changed",
        "An api method's authentication changed",
        advice("Requests are signed differently (or not at all): check credentials and proxies."),
        sdk="R",
        wire="B",
        when=kind_and(
            ChangeKind.OPERATION_TRAIT_CHANGED, aspect_in("auth", "authtype", "unsignedPayload")
        ),
    ),
    rule(
        "operation.host-prefix.changed",
        "An api method's host prefix changed",
        advice(
            "Requests go to a different host name: custom endpoint_url, VPC endpoints and host "
            "allowlists may need updating.",
            wire="Requests go to a different host name: VPC endpoints, host allowlists and "
            "emulators may need updating.",
        ),
        sdk="R",
        wire="B",
        when=kind_and(ChangeKind.OPERATION_TRAIT_CHANGED, aspect_in("endpoint")),
    ),
    rule(
        "operation.envelope.changed",
        "An api method's request or response envelope changed",
        advice(
            "Nothing changes for a boto3 caller.",
            wire="Query and XML peers on the old model build or parse differently wrapped "
            "messages.",
        ),
        sdk="S",
        wire="B",
        when=kind_and(
            ChangeKind.OPERATION_TRAIT_CHANGED,
            aspect_in("locationName", "xmlNamespace", "resultWrapper", "wrapper"),
        ),
    ),
    rule(
        "operation.routing.changed",
        "An api method's checksum, endpoint discovery or endpoint parameters changed",
        advice(
            "Requests may carry new checksum headers or resolve to other endpoints; S3-compatible "
            "third-party endpoints and proxies are the usual victims."
        ),
        sdk="R",
        when=kind_and(
            ChangeKind.OPERATION_TRAIT_CHANGED,
            aspect_in(
                "httpChecksum",
                "httpChecksumRequired",
                "endpointdiscovery",
                "endpointoperation",
                "staticContextParams",
                "operationContextParams",
            ),
        ),
    ),
    rule(
        "operation.semantics.changed",
        "An api method's idempotent, readonly or compression setting changed",
        advice(
            "botocore does not consult these: nothing to do.",
            wire="Retry and caching layers of other tools and SDKs may treat the operation "
            "differently.",
        ),
        sdk="I",
        wire="R",
        when=kind_and(
            ChangeKind.OPERATION_TRAIT_CHANGED,
            aspect_in("idempotent", "readonly", "requestcompression"),
        ),
    ),
    rule(
        "operation.trait.changed",
        "An api method's deprecation or another descriptive trait changed",
        advice("No runtime effect; a deprecation starts the clock for a later removal."),
        sdk="I",
        when=kind(ChangeKind.OPERATION_TRAIT_CHANGED),
    ),
    # --- errors
    rule(
        "error.removed",
        "A modelled error (exception class) was removed",
        advice(
            "client.exceptions.<Name> no longer exists: an `except` clause naming it raises "
            "AttributeError when evaluated. Catch ClientError and check Error.Code instead.",
            wire="Peers may stop expecting its code; the service may still return it.",
        ),
        sdk="B",
        wire="I",
        when=kind_and(ChangeKind.SHAPE_REMOVED, _is_error_shape),
    ),
    rule(
        "error.code.changed",
        "A modelled error's code changed",
        advice(
            "Exception classes and Error.Code comparisons no longer match the errors the service "
            "returns.",
            wire="Error responses carry another code: peers matching the old one stop matching.",
        ),
        sdk="B",
        when=kind_and(ChangeKind.SHAPE_TRAIT_CHANGED, _error_code_changed),
    ),
    rule(
        "error.exception.removed",
        "A modelled error is no longer marked as an exception",
        advice(
            "client.exceptions.<Name> no longer exists: an `except` clause naming it raises "
            "AttributeError when evaluated. Catch ClientError and check Error.Code instead.",
            wire="Peers may stop expecting its code; the service may still return it.",
        ),
        sdk="B",
        wire="I",
        when=kind_and(ChangeKind.SHAPE_TRAIT_CHANGED, _exception_removed),
    ),
    rule(
        "error.trait.changed",
        "A modelled error's HTTP status or sender-fault flag changed, not its code",
        advice(
            "The exception class and Error.Code stay the same: nothing to do.",
            wire="Peers see another HTTP status or sender-fault flag for the error.",
        ),
        sdk="I",
        wire="R",
        when=kind_and(ChangeKind.SHAPE_TRAIT_CHANGED, aspect_in("error", "fault", "exception")),
    ),
    rule(
        "error.behaviour.throttling-by-name",
        "A throttling flag was added to an error botocore already treats as throttling",
        advice(
            "Nothing changes: botocore retries this code as throttling by its name.",
            wire="Retry policies of other SDKs keyed on the flag may retry it as throttling.",
        ),
        sdk="I",
        # Other SDKs need not share botocore's list of codes.
        wire="R",
        when=kind_and(ChangeKind.SHAPE_TRAIT_CHANGED, _throttled_by_name),
    ),
    rule(
        "error.behaviour.changed",
        "A modelled error's retryable or throttling flag changed",
        advice(
            "Standard and adaptive retry modes retry differently.",
            wire="Retry policies of other SDKs keyed on these flags retry differently.",
        ),
        sdk="R",
        when=kind_and(ChangeKind.SHAPE_TRAIT_CHANGED, aspect_in("retryable")),
    ),
    # --- shapes and members
    rule(
        "shape.added",
        "A new shape",
        advice("Nothing breaks."),
        sdk="S",
        when=kind(ChangeKind.SHAPE_ADDED),
    ),
    rule(
        "shape.removed",
        "A shape was removed",
        advice("Where a caller could reach it, the removal shows as member findings too."),
        sdk="I",
        when=kind(ChangeKind.SHAPE_REMOVED),
    ),
    rule(
        "member.added.required",
        "A new required member",
        advice(
            "Calls without it raise ParamValidationError (Missing required parameter): pass it.",
            response="Nothing breaks: responses now always carry it.",
            stubbed="Stubbed responses without it fail Stubber's validation: add it.",
            wire="Requests from peers on the old model lack it, and the service rejects them.",
            wire_response="Nothing breaks; peers on the old model ignore it.",
        ),
        sdk="B/S",
        stubber="B",
        wire="B/S",
        when=kind_and(
            ChangeKind.MEMBER_ADDED,
            lambda change, context: (
                _new_member_is_required(change, context)
                and not _is_idempotency_token(change, context)
            ),
        ),
    ),
    rule(
        "union.member.added",
        "A new variant of a union",
        advice(
            "Nothing breaks: a new variant you may set.",
            response="boto3 does not validate responses; code that switches on the variant set may "
            "meet one it does not know.",
            wire="Nothing breaks; peers on the old model never send it.",
            wire_response="Peers on the old model may receive a variant they do not know.",
        ),
        sdk="S/I",
        wire="S/R",
        when=kind_and(ChangeKind.MEMBER_ADDED, _is_union),
    ),
    rule(
        "member.added",
        "A new optional member",
        advice(
            "Nothing breaks: a new optional parameter.",
            response="Nothing breaks. Code that passes a response dict back as request parameters "
            "may now pass an unknown key.",
            wire="Nothing breaks; peers on the old model never send it.",
            wire_response="Nothing breaks; peers on the old model ignore it.",
        ),
        sdk="S",
        when=kind(ChangeKind.MEMBER_ADDED),
    ),
    rule(
        "member.removed",
        "A member was removed",
        advice(
            "Passing it raises ParamValidationError (Unknown parameter): stop passing it before "
            "upgrading.",
            response="Reading it with response[...] raises KeyError: use .get() or stop reading "
            "it.",
            wire="Peers on the old model still send it in the request body; the service ignores or "
            "rejects it.",
            wire_response="Peers on the old model expect it in the response body and no longer "
            "find it.",
        ),
        sdk="B",
        wire="R",
        when=kind(ChangeKind.MEMBER_REMOVED),
    ),
    rule(
        "member.required.added",
        "An existing member became required",
        advice(
            "Calls without it raise ParamValidationError (Missing required parameter): always pass "
            "it.",
            response="Nothing breaks: responses now always carry it.",
            stubbed="Stubbed responses without it fail Stubber's validation: add it.",
            wire="Requests from peers on the old model may lack it, and the service rejects them.",
            wire_response="Nothing breaks; responses now always carry it.",
        ),
        sdk="B/S",
        stubber="B",
        wire="B/S",
        when=kind_and(
            ChangeKind.MEMBER_REQUIRED_ADDED,
            lambda change, context: not _is_idempotency_token(change, context),
        ),
    ),
    rule(
        "member.required.added.idempotency-token",
        "An idempotency token became required",
        advice(
            "botocore fills it in when you leave it out: nothing to do.",
            wire="Peers that do not fill in idempotency tokens themselves must now send it.",
        ),
        sdk="S",
        when=kind(ChangeKind.MEMBER_REQUIRED_ADDED),
    ),
    rule(
        "member.required.removed",
        "A member is no longer required",
        advice(
            "Nothing breaks: you may now leave it out.",
            response="Responses may lack it: response[...] raises KeyError where .get() does not.",
            wire="Nothing breaks; peers on the old model still send it.",
            wire_response="Peers on the old model may receive responses without it.",
        ),
        sdk="S/R",
        when=kind(ChangeKind.MEMBER_REQUIRED_REMOVED),
    ),
    rule(
        "member.retargeted",
        "A member now refers to a differently named shape",
        advice(
            "Shape names are invisible at runtime; structural differences are reported as their "
            "own findings. Typed stubs (TypeDef names) may change.",
            wire="Shape names are not on the wire; structural differences are reported as their "
            "own findings.",
        ),
        sdk="I",
        when=kind(ChangeKind.MEMBER_TARGET_CHANGED),
    ),
    # --- types
    rule(
        "type.same-python",
        "A number type changed within the same Python type",
        advice(
            "integer and long are both int, float and double both float: nothing to do.",
            wire="A number on the wire either way; peers with fixed-width numbers may meet larger "
            "values.",
        ),
        sdk="S",
        when=kind_and(_TYPE_KINDS, _types((_INTEGERS, _INTEGERS), (_FLOATS, _FLOATS))),
    ),
    rule(
        "type.widened",
        "An integer became a floating-point number",
        advice(
            "int values are still accepted.",
            response="Responses now hold float values: code expecting int (indexing, range()) may "
            "break.",
            wire="Peers may now send fractional numbers.",
            wire_response="Peers on the old model may receive fractional numbers.",
        ),
        sdk="S/R",
        wire="S/R",
        when=kind_and(_TYPE_KINDS, _types((_INTEGERS, _FLOATS))),
    ),
    rule(
        "type.narrowed",
        "A floating-point number became an integer",
        advice(
            "Passing a float raises ParamValidationError: pass an int.",
            response="Responses now hold int values.",
            stubbed="Stubbed responses with float values fail Stubber's validation.",
            wire="Peers on the old model may send fractional numbers the service rejects.",
            wire_response="Peers receive whole numbers only.",
        ),
        sdk="B/R",
        stubber="B",
        when=kind_and(_TYPE_KINDS, _types((_FLOATS, _INTEGERS))),
    ),
    rule(
        "type.string-to-blob",
        "A string became a blob",
        advice(
            "str values are still accepted.",
            response="Responses now hold bytes instead of str: decode them.",
            wire="The value is encoded as binary (base64 in JSON and XML): peers on the old model "
            "send or read it wrongly.",
        ),
        sdk="S/B",
        wire="B",
        when=kind_and(_TYPE_KINDS, _types((_set("string"), _set("blob")))),
    ),
    rule(
        "type.changed",
        "A member's type changed",
        advice(
            "Passing a value of the old type raises ParamValidationError.",
            response="Responses hold a value of another Python type: code reading it must change.",
            wire="Peers on the old model send and expect values of the old type.",
        ),
        sdk="B",
        when=kind(*_TYPE_KINDS),
    ),
    rule(
        "type.union.added",
        "A structure became a union",
        advice(
            "Setting more than one member raises ParamValidationError: set exactly one.",
            response="Responses may carry SDK_UNKNOWN_MEMBER for variants this botocore does not "
            "know.",
            stubbed="Stubbed responses must set exactly one member, or fail Stubber's validation.",
            wire="The wire form is unchanged: one member is set as before.",
        ),
        sdk="B/R",
        stubber="B",
        wire="S",
        when=kind_and(ChangeKind.SHAPE_TRAIT_CHANGED, _both(aspect_in("union"), _added)),
    ),
    rule(
        "type.document.removed",
        "A free-form document became a structure",
        advice(
            "Keys the structure does not model raise ParamValidationError.",
            response="Responses hold only the keys the structure models.",
            stubbed="Stubbed responses with keys the structure does not model fail Stubber's "
            "validation.",
            wire="Peers on the old model may send keys the structure does not model, which the "
            "service rejects.",
            wire_response="Nothing breaks; peers receive the modelled keys only.",
        ),
        sdk="B/R",
        stubber="B",
        when=kind_and(ChangeKind.SHAPE_TRAIT_CHANGED, _both(aspect_in("document"), _removed)),
    ),
    rule(
        "type.traits.changed",
        "A union or document structure became a plain structure, or a document appeared",
        advice(
            "Nothing breaks.",
            response="Responses may be shaped differently.",
            wire="The wire form is unchanged.",
        ),
        sdk="S/R",
        wire="S",
        when=kind_and(ChangeKind.SHAPE_TRAIT_CHANGED, aspect_in("union", "document", "sparse")),
    ),
    rule(
        "wire.streaming.changed",
        "A streaming or event-stream setting changed",
        advice(
            "Request bodies may be passed as bytes or file objects as before.",
            response="Streaming responses are StreamingBody or EventStream objects, not bytes or "
            "dicts: code reading them must change.",
            wire="The body is framed differently (streamed or event-stream encoded): peers on the "
            "old model cannot read it.",
        ),
        sdk="S/B",
        wire="B",
        when=kind_and(
            _TRAIT_KINDS,
            aspect_in("streaming", "eventstream", "event", "eventpayload", "eventheader"),
        ),
    ),
    rule(
        "wire.jsonvalue.changed",
        "A header's JSON-value encoding changed",
        advice(
            "Pass the other form: a JSON string or a JSON-serialisable object.",
            response="Responses hold the other form: a JSON string or a parsed object.",
            wire="The header's value is encoded differently: peers on the old model send or read "
            "it wrongly.",
        ),
        sdk="B",
        wire="B",
        when=kind_and(ChangeKind.MEMBER_TRAIT_CHANGED, aspect_in("jsonvalue")),
    ),
    rule(
        "wire.idempotency-token.removed.required",
        "A required member is no longer an idempotency token",
        advice(
            "botocore stops filling it in, so calls that left it out raise ParamValidationError "
            "(Missing required parameter): pass it.",
            wire="Peers that relied on the SDK filling the token in must now send it.",
            response="Nothing changes in responses.",
            wire_response="Nothing changes in responses.",
        ),
        sdk="B/S",
        when=kind_and(
            ChangeKind.MEMBER_TRAIT_CHANGED,
            lambda change, context: (
                aspect_in("idempotencyToken")(change, context)
                and _removed(change, context)
                and _new_member_is_required(change, context)
                and _in_a_request_root(change, context)
            ),
        ),
    ),
    rule(
        "wire.idempotency-token.removed",
        "A member is no longer an idempotency token",
        advice(
            "botocore stops filling it in: retries of calls that leave it out are no longer "
            "idempotent.",
            wire="Peers that relied on the SDK filling the token in must send it for idempotent "
            "retries.",
            response="Nothing changes in responses.",
            wire_response="Nothing changes in responses.",
        ),
        sdk="R/S",
        when=kind_and(
            ChangeKind.MEMBER_TRAIT_CHANGED, _both(aspect_in("idempotencyToken"), _removed)
        ),
    ),
    rule(
        "wire.host-label.added",
        "A member became a host label",
        advice(
            "Its value goes into the host name, and botocore requires at least one character: "
            "empty strings raise ParamValidationError.",
            wire="Its value now goes into the host name: requests go to another host; check "
            "allowlists and endpoints.",
            response="Nothing changes in responses.",
        ),
        sdk="B/S",
        wire="B",
        when=kind_and(ChangeKind.MEMBER_TRAIT_CHANGED, _both(aspect_in("hostLabel"), _added)),
    ),
    rule(
        "wire.host-label.changed",
        "A member's host-label trait changed",
        advice(
            "Its value now goes into (or out of) the host name: custom endpoints and allowlists "
            "are affected.",
            response="Nothing changes in responses.",
            wire_response="Nothing changes in responses.",
        ),
        sdk="R/S",
        wire="B",
        when=kind_and(ChangeKind.MEMBER_TRAIT_CHANGED, aspect_in("hostLabel")),
    ),
    rule(
        "wire.context-param.changed",
        "A member's endpoint context parameter changed",
        advice("Endpoint resolution uses different inputs: requests may go elsewhere."),
        sdk="R",
        when=kind_and(ChangeKind.MEMBER_TRAIT_CHANGED, aspect_in("contextParam")),
    ),
    rule(
        "wire.timestamp-format.changed",
        "A timestamp's wire format changed",
        advice(
            "You keep passing and receiving datetime: nothing to do.",
            wire="Peers on the old model send or parse another timestamp format.",
            wire_response="Peers on the old model may fail to parse the timestamps it answers "
            "with.",
        ),
        sdk="S",
        wire="B/R",
        when=kind_and(_TRAIT_KINDS, aspect_in("timestampFormat")),
    ),
    rule(
        "wire.requires-length.added",
        "A streaming body now needs a known length",
        advice(
            "Non-seekable streams without a length fail: pass bytes, a file or a seekable stream.",
            wire="Request bodies must now carry a Content-Length: chunked bodies are refused.",
            response="Nothing changes in responses.",
            wire_response="Nothing changes in responses.",
        ),
        sdk="R/S",
        when=kind_and(ChangeKind.SHAPE_TRAIT_CHANGED, _both(aspect_in("requiresLength"), _added)),
    ),
    rule(
        "wire.name.changed",
        "A member's wire name, location or XML form changed",
        advice(
            "Nothing changes for a boto3 caller.",
            wire="Peers on the old model put or look for the value elsewhere (emulators, proxies, "
            "recorded fixtures).",
        ),
        sdk="S",
        wire="B",
        when=kind_and(
            _TRAIT_KINDS, aspect_in(*_WIRE_MEMBER_TRAITS, "flattened", "xmlOrder", "payload")
        ),
    ),
    rule(
        "trait.no-op.changed",
        "A deprecation, sensitivity or boxing flag changed",
        advice(
            "botocore neither warns, redacts nor boxes with these: nothing to do.",
            wire="Nothing changes on the wire.",
        ),
        sdk="I",
        when=kind_and(_TRAIT_KINDS, aspect_in(*_NO_OP_TRAITS)),
    ),
    rule(
        "trait.changed",
        "Another trait changed",
        advice("No known runtime effect; check the change if you depend on that trait."),
        sdk="I",
        wire="R",
        when=kind(ChangeKind.SHAPE_TRAIT_CHANGED, ChangeKind.MEMBER_TRAIT_CHANGED),
    ),
    # --- constraints and enums
    rule(
        "constraint.min.raised",
        "A minimum length or value was added or raised",
        advice(
            "Shorter or smaller values raise ParamValidationError.",
            response="Nothing breaks: boto3 does not validate responses.",
            stubbed="Stubbed responses with shorter or smaller values fail Stubber's validation.",
            wire="The service rejects shorter or smaller values peers on the old model may send.",
            wire_response="Nothing breaks; responses stay within the old limits.",
        ),
        sdk="B/S",
        stubber="B",
        wire="B/S",
        when=kind_and(
            ChangeKind.CONSTRAINT_CHANGED,
            lambda change, context: (
                aspect_in("min")(change, context)
                and _tightened_min(change, context)
                and _min_checked_by_botocore(change, context)
            ),
        ),
    ),
    rule(
        "constraint.min.raised.unchecked",
        "A minimum was added or raised on a map or blob",
        advice(
            "botocore does not check it: the service rejects smaller values at runtime.",
            response="Nothing breaks: boto3 does not validate responses.",
            wire="The service rejects smaller values peers on the old model may send.",
            wire_response="Nothing breaks; responses stay within the old limits.",
        ),
        sdk="R/S",
        wire="B/S",
        when=kind_and(ChangeKind.CONSTRAINT_CHANGED, _both(aspect_in("min"), _tightened_min)),
    ),
    rule(
        "constraint.min.zero",
        "A minimum of 0 was added or removed",
        advice("No length or value is below 0: nothing changes."),
        sdk="I",
        when=kind_and(ChangeKind.CONSTRAINT_CHANGED, _both(aspect_in("min"), _min_unchanged)),
    ),
    rule(
        "constraint.min.lowered",
        "A minimum was lowered or removed",
        advice(
            "Nothing breaks: shorter or smaller values are accepted.",
            response="Nothing breaks: boto3 does not validate responses.",
            wire="Nothing breaks; the service accepts more.",
            wire_response="Peers on the old model may receive shorter or smaller values than they "
            "allow.",
        ),
        sdk="S/I",
        wire="S/R",
        when=kind_and(ChangeKind.CONSTRAINT_CHANGED, aspect_in("min")),
    ),
    rule(
        "constraint.max.lowered",
        "A maximum was added or lowered",
        advice(
            "botocore does not check max: longer or larger values fail on the service.",
            response="Nothing breaks: boto3 does not validate responses.",
            wire="The service rejects longer or larger values peers on the old model may send.",
            wire_response="Nothing breaks; responses stay within the old limits.",
        ),
        sdk="R/S",
        wire="B/S",
        when=kind_and(ChangeKind.CONSTRAINT_CHANGED, _both(aspect_in("max"), _tightened_max)),
    ),
    rule(
        "constraint.max.raised",
        "A maximum was raised or removed",
        advice(
            "Nothing breaks: longer or larger values are accepted.",
            response="Nothing breaks: boto3 does not validate responses.",
            wire="Nothing breaks; the service accepts more.",
            wire_response="Peers on the old model may receive longer or larger values than they "
            "allow.",
        ),
        sdk="S/I",
        wire="S/R",
        when=kind_and(ChangeKind.CONSTRAINT_CHANGED, aspect_in("max")),
    ),
    rule(
        "constraint.pattern.removed",
        "A pattern was removed",
        advice(
            "Nothing breaks: any string is accepted.",
            response="Nothing breaks: boto3 does not validate responses.",
            wire="Nothing breaks; the service accepts more.",
            wire_response="Peers on the old model may receive values their pattern rejects.",
        ),
        sdk="S/I",
        wire="S/R",
        when=kind_and(ChangeKind.CONSTRAINT_CHANGED, _both(aspect_in("pattern"), _removed)),
    ),
    rule(
        "constraint.pattern.equivalent",
        "A pattern was rewritten to accept the same strings",
        advice("Nothing changes."),
        sdk="I",
        when=_pattern_is(PatternChange.EQUIVALENT),
        detail=_pattern_detail,
    ),
    rule(
        "constraint.pattern.loosened",
        "A pattern now accepts more strings, and every string it accepted",
        advice(
            "Nothing breaks: more strings are accepted.",
            response="Nothing breaks: boto3 does not validate responses.",
            wire="Nothing breaks; the service accepts more.",
            wire_response="Peers on the old model may receive values their pattern rejects.",
        ),
        sdk="S/I",
        wire="S/R",
        when=_pattern_is(PatternChange.LOOSENED),
        detail=_pattern_detail,
    ),
    rule(
        "constraint.pattern.tightened",
        "A pattern was added or changed to reject strings it accepted",
        advice(
            "botocore does not check patterns: values like the one shown fail on the service.",
            response="Nothing breaks: boto3 does not validate responses.",
            wire="The service rejects values like the one shown, which peers on the old model may "
            "send.",
            wire_response="Nothing breaks; responses match the old pattern too.",
        ),
        sdk="R/I",
        when=_pattern_is(PatternChange.TIGHTENED),
        detail=_pattern_detail,
    ),
    rule(
        "constraint.pattern.undecided",
        "A pattern was added or changed in a way that could not be compared",
        advice(
            "botocore does not check patterns: values that no longer match fail on the service.",
            response="Nothing breaks: boto3 does not validate responses.",
            wire="The service may reject values peers on the old model send.",
            wire_response="Peers on the old model may receive values their pattern rejects.",
        ),
        # Only a tightening is risky for a caller, and the ones left undecided in real
        # releases were loosenings (scripts/check_history.py's hand-checked sample).
        sdk="I",
        wire="R",
        when=kind_and(ChangeKind.CONSTRAINT_CHANGED, aspect_in("pattern")),
        detail=_pattern_detail,
    ),
    rule(
        "enum.added",
        "A free-form string became an enum",
        advice(
            "botocore does not check enums: the service may reject values it used to accept.",
            response="Responses hold one of the listed values.",
            wire="The service may reject values peers on the old model send.",
            wire_response="Nothing breaks; responses hold one of the listed values.",
        ),
        sdk="R/S",
        when=kind_and(ChangeKind.ENUM_VALUE_ADDED, _first_enum),
    ),
    rule(
        "enum.value.added",
        "A new enum value",
        advice(
            "Nothing breaks: a new value you may pass.",
            response="boto3 does not validate responses; code that handles each value (dispatch "
            "tables, Literal types) may meet one it does not know.",
            wire="Nothing breaks; peers on the old model never send it.",
            wire_response="Peers on the old model may receive a value they do not know.",
        ),
        sdk="S/I",
        wire="S/R",
        when=kind(ChangeKind.ENUM_VALUE_ADDED),
    ),
    rule(
        "enum.removed",
        "An enum became a free-form string",
        advice(
            "Nothing breaks: any string is accepted.",
            response="Responses may carry any string, not only the listed values.",
            wire="Nothing breaks; the service accepts any string.",
            wire_response="Peers on the old model may receive values outside the old list.",
        ),
        sdk="S/R",
        when=kind_and(ChangeKind.ENUM_VALUE_REMOVED, _last_enum),
    ),
    rule(
        "enum.value.removed",
        "An enum value was removed",
        advice(
            "botocore does not check enums: requests sending it fail on the service.",
            response="Nothing breaks: responses no longer carry it.",
            wire="Peers on the old model may send it, and the service rejects it.",
            wire_response="Nothing breaks; responses no longer carry it.",
        ),
        sdk="R/S",
        wire="B/S",
        when=kind(ChangeKind.ENUM_VALUE_REMOVED),
    ),
    # --- paginators and waiters
    rule(
        "paginator.removed",
        "A paginator was removed",
        advice(
            "client.get_paginator(...) for it raises OperationNotPageableError.",
            wire="Nothing changes on the wire: the operation keeps its tokens.",
        ),
        sdk="B",
        wire="I",
        when=kind(ChangeKind.PAGINATOR_REMOVED),
    ),
    rule(
        "paginator.token.changed",
        "A paginator's tokens or limit key changed",
        advice(
            "Pagination configs (PaginationConfig StartingToken, MaxItems) written for the old "
            "tokens break.",
            wire="Nothing changes on the wire; paginating peers follow other members.",
        ),
        sdk="B",
        wire="I",
        when=kind_and(
            ChangeKind.PAGINATOR_CHANGED, aspect_in("input_token", "output_token", "limit_key")
        ),
    ),
    rule(
        "paginator.non-aggregate.added",
        "A paginator keeps more keys from the first page",
        advice(
            "build_full_result() also carries the new keys; every key it returned before is "
            "the same.",
            wire="Nothing changes on the wire.",
        ),
        sdk="I",
        when=kind_and(ChangeKind.PAGINATOR_CHANGED, _only_adds_non_aggregate_keys),
    ),
    rule(
        "paginator.changed",
        "A paginator's result keys changed",
        advice(
            "build_full_result() and search() return differently aggregated results.",
            wire="Nothing changes on the wire.",
        ),
        sdk="R",
        wire="I",
        when=kind(ChangeKind.PAGINATOR_CHANGED),
    ),
    rule(
        "paginator.added",
        "A new paginator",
        advice("Nothing breaks."),
        sdk="S",
        when=kind(ChangeKind.PAGINATOR_ADDED),
    ),
    rule(
        "waiter.removed",
        "A waiter was removed",
        advice(
            "client.get_waiter(...) for it raises ValueError.", wire="Nothing changes on the wire."
        ),
        sdk="B",
        wire="I",
        when=kind(ChangeKind.WAITER_REMOVED),
    ),
    rule(
        "waiter.description.changed",
        "A waiter's description changed",
        advice("Nothing to do."),
        sdk="I",
        when=kind_and(ChangeKind.WAITER_CHANGED, aspect_in("description")),
    ),
    rule(
        "waiter.changed",
        "A waiter's operation, timing or acceptors changed",
        advice(
            "wait() may poll longer, shorter or succeed and fail on other states.",
            wire="Nothing changes on the wire; only the client-side polling does.",
        ),
        sdk="R",
        wire="I",
        when=kind(ChangeKind.WAITER_CHANGED),
    ),
    rule(
        "waiter.added",
        "A new waiter",
        advice("Nothing breaks."),
        sdk="S",
        when=kind(ChangeKind.WAITER_ADDED),
    ),
)

RULES_BY_ID: Mapping[str, Rule] = {rule.id: rule for rule in RULES}


# Each kind's rules in table order: the first of them that applies is the first of the table.
_RULES_BY_KIND: Mapping[ChangeKind, tuple[Rule, ...]] = {
    change_kind: tuple(rule for rule in RULES if change_kind in rule.applies.kinds)
    for change_kind in ChangeKind
}


def rule_for(change: Change, context: RuleContext) -> Rule:
    """The first rule that applies; every change kind has a rule (tests hold this)."""
    return next(rule for rule in _RULES_BY_KIND[change.kind] if rule.applies(change, context))
