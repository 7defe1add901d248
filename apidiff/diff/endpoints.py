"""Endpoint rule sets: where a client sends its requests, compared by resolving both.

A rule set (`endpoint-rule-set-1.json`) is a program, not a table: two rule sets are
compared by what they resolve to. botocore's own resolver runs both over one fixed matrix
of parameters: a region or two of each partition (its `implicitGlobalRegion` and its
`<partition>-global` pseudo-region) and every region the rule sets name, each with FIPS
and dual-stack off and on; a custom endpoint; and each other parameter of the rule sets
(the model's client and static context parameters, S3's and STS's built-ins, ...) set to
representative values: those the rule sets compare it with, those the model's operations
set it to, else one typical value. Both sides resolve against the same partitions (the
new release's where the source has them), so what differs is the rule set's doing.

A parameter only the new rule set declares is set to a value only where a call written
for the old model can make the new client set it (a built-in, or a binding on an
operation and member the old model has): one bound only by the release's new operations
(kinesis's QueueARN in 1.44.5) changes no endpoint any existing call resolves.

Only rule sets whose text differs are resolved (most releases change a handful), and a
change is a URL that differs, or an endpoint that appeared or became an error. An error on
both sides is none: a call fails either way, whatever the message says. Where the URL is the
same, what else the endpoint carries is compared too: how requests to it are signed (its
`authSchemes`: sigv4 or sigv4a, signing name and region, which botocore signs with) and the
headers it adds. Each is a change of its own kind, as a request to the same URL signed
otherwise is another request on the wire.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from apidiff.diff.change import Change
from apidiff.diff.kinds import ChangeKind
from apidiff.errors import ModelLoadError
from apidiff.model import ServiceModel
from apidiff.model.load import read_json_object
from apidiff.sources.base import ModelFile, same_file_content

# The built-ins the matrix varies itself; any other parameter gets representative values.
_REGION, _FIPS, _DUAL_STACK, _ENDPOINT = (
    "AWS::Region",
    "AWS::UseFIPS",
    "AWS::UseDualStack",
    "SDK::Endpoint",
)
_CUSTOM_ENDPOINT = "https://example.com"
# Typical values of built-ins that the rule sets never compare with a literal.
_BUILT_IN_VALUES: Mapping[str, tuple[str, ...]] = {
    "AWS::Auth::AccountId": ("123456789012",),
    "AWS::Auth::AccountIdEndpointMode": ("preferred", "disabled", "required"),
}
_TYPICAL_STRING = "example"

ParameterValue = str | bool


@dataclass(frozen=True, slots=True)
class EndpointCase:
    """One set of parameters the rule sets are resolved with, in the order a reader wants
    them (region, FIPS, dual-stack, endpoint, then the others by name).

    `placeholders` are what of a URL is this case's own (its region, its partition's home
    region and DNS suffixes), each with the placeholder it reads as in a URL pattern.
    """

    parameters: tuple[tuple[str, ParameterValue], ...]
    placeholders: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        return ", ".join(f"{name}={_value_text(value)}" for name, value in self.parameters)

    def pattern(self, outcome: str) -> str:
        """`outcome` with what is this case's own as placeholders, so one change seen in
        every region and partition reads as one."""
        for text, placeholder in self.placeholders:
            outcome = outcome.replace(text, placeholder)
        return outcome

    def with_parameters(self, *extra: tuple[str, ParameterValue]) -> EndpointCase:
        return EndpointCase((*self.parameters, *extra), self.placeholders)


def _value_text(value: ParameterValue) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else value


def diff_endpoints(old: ServiceModel, new: ServiceModel) -> list[Change]:
    """One ENDPOINT_CHANGED per distinct way the endpoints' URLs changed, one
    ENDPOINT_AUTH_CHANGED or ENDPOINT_HEADERS_CHANGED per distinct way the signing or
    headers of an unchanged URL did, or none.

    A service without a rule set on one side (added, removed, or from before botocore had
    rule sets) has nothing to compare it with.
    """
    if old.endpoint_rules is None or new.endpoint_rules is None:
        return []
    if same_file_content(old.endpoint_rules, new.endpoint_rules):
        return []
    old_rules = _rule_set(old.endpoint_rules)
    new_rules = _rule_set(new.endpoint_rules)
    partitions = _partitions(new.partitions or old.partitions)
    # The new model's signing defaults on both sides, as its partitions: what differs is the
    # rule set's doing (a model's own signingName change is metadata.changed).
    signing = _ModelSigning.of(new, {**old_rules["parameters"], **new_rules["parameters"]})
    old_resolver = _Resolver(old_rules, partitions, old.endpoint_rules.path, signing)
    new_resolver = _Resolver(new_rules, partitions, new.endpoint_rules.path, signing)
    differing: list[_Difference] = []
    for case in endpoint_cases(old_rules, new_rules, partitions, (old, new)):
        before, after = old_resolver.resolve(case), new_resolver.resolve(case)
        if before != after and not (before.failed and after.failed):
            differing.extend(_differences(case, before, after, signing))
    return _grouped(differing)


class _Difference(NamedTuple):
    """One way one parameter set resolves otherwise: its kind and each side as text."""

    kind: ChangeKind
    case: EndpointCase
    old: str
    new: str


def _differences(
    case: EndpointCase, before: _Outcome, after: _Outcome, signing: _ModelSigning
) -> list[_Difference]:
    """A URL that changed (or an endpoint that came or went) is the change; only where the
    URL stayed do its signing and headers speak for themselves."""
    if before.url != after.url:
        return [_Difference(ChangeKind.ENDPOINT_CHANGED, case, before.text, after.text)]
    differences = []
    if before.auth_schemes != after.auth_schemes:
        # Only now what the client signs with where a scheme states nothing (it reads
        # botocore's endpoints.json): the rule sets of a release rarely change their schemes.
        old_schemes = signing.signed(before.auth_schemes, case)
        new_schemes = signing.signed(after.auth_schemes, case)
        if old_schemes != new_schemes:
            old, new = _auth_text(old_schemes), _auth_text(new_schemes)
            differences.append(_Difference(ChangeKind.ENDPOINT_AUTH_CHANGED, case, old, new))
    if before.headers != after.headers:
        old, new = _headers_text(before.headers), _headers_text(after.headers)
        differences.append(_Difference(ChangeKind.ENDPOINT_HEADERS_CHANGED, case, old, new))
    return differences


def _grouped(differing: list[_Difference]) -> list[Change]:
    """One change per kind and distinct (old pattern -> new pattern), shown by the first
    parameters that give it and how many more do.

    A rule set rewritten for a new DNS scheme changes the URL of every region alike (a new
    signing scheme, the signing of every region alike); a reader needs that once, with a real
    pair of URLs (or signings), and what else it reaches. A change seen only in one partition
    or with FIPS on stays its own finding.
    """
    groups: dict[tuple[ChangeKind, str, str], list[_Difference]] = {}
    for difference in differing:
        case = difference.case
        key = (difference.kind, case.pattern(difference.old), case.pattern(difference.new))
        groups.setdefault(key, []).append(difference)
    changes = []
    for members in groups.values():
        kind, case, old, new = members[0]
        more = len(members) - 1
        aspect = case.text + (f" (and {more} more parameter sets)" if more else "")
        changes.append(Change(kind, aspect=aspect, old=old, new=new))
    return changes


# A value of an auth scheme's property, frozen: a list (signingRegionSet) as a tuple.
FrozenValue = str | bool | int | float | None | tuple["FrozenValue", ...]
# One auth scheme of an endpoint: its properties by name, sorted.
AuthScheme = tuple[tuple[str, FrozenValue], ...]
# An endpoint's headers: each name, sorted, with its values in order.
EndpointHeaders = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What resolving gave: a URL, the endpoint's auth schemes (in the rule set's order of
    preference, as botocore signs with them) and headers; or botocore's error (its first
    line)."""

    url: str | None
    error: str | None = None
    auth_schemes: tuple[AuthScheme, ...] = ()
    headers: EndpointHeaders = ()

    @property
    def failed(self) -> bool:
        return self.url is None

    @property
    def text(self) -> str:
        return self.url if self.url is not None else f"no endpoint ({self.error})"


@dataclass(frozen=True, slots=True)
class _ModelSigning:
    """How botocore signs where the endpoint leaves it open: as the service model says (its
    first auth scheme, its signing name), in the client's signing region."""

    scheme: str
    signing_name: str
    endpoint_prefix: str
    # The rule sets' names of the AWS::Region and SDK::Endpoint built-ins.
    region_parameter: str | None
    endpoint_parameter: str | None

    @classmethod
    def of(cls, model: ServiceModel, parameters: Mapping[str, Any]) -> _ModelSigning:
        metadata = model.metadata
        auth = metadata.get("auth")
        if isinstance(auth, list) and auth and isinstance(auth[0], str):
            scheme = auth[0].split("#")[-1]
        else:
            version = str(metadata.get("signatureVersion", ""))
            scheme = _SIGNATURE_VERSION_SCHEMES.get(version, version)
        prefix = str(metadata.get("endpointPrefix") or model.name)
        by_built_in = {spec.get("builtIn"): parameter for parameter, spec in parameters.items()}
        return cls(
            scheme,
            str(metadata.get("signingName") or prefix),
            prefix,
            by_built_in.get(_REGION),
            by_built_in.get(_ENDPOINT),
        )

    def effective(self, schemes: Iterable[Mapping[str, Any]]) -> tuple[AuthScheme, ...]:
        """The schemes botocore picks from (`auth_schemes_to_signing_ctx`), frozen; no scheme
        at all is the model's. What a scheme leaves unstated is filled by `signed`."""
        return tuple(_frozen_scheme(scheme) for scheme in schemes) or ((("name", self.scheme),),)

    def signed(self, schemes: tuple[AuthScheme, ...], case: EndpointCase) -> tuple[AuthScheme, ...]:
        """`schemes` as botocore signs with them for `case`: a scheme stating no signing name
        or no signing region (nor region set) is signed with the client's. So a rule set that
        spells out what botocore did anyway changes nothing."""
        name, region = self._client_signing(dict(case.parameters))
        return tuple(_filled(scheme, name, region) for scheme in schemes)

    def _client_signing(self, parameters: Mapping[str, ParameterValue]) -> tuple[str, str | None]:
        """The signing name and region botocore's client signs with where the endpoint names
        none (`ClientEndpointBridge`): the credential scope its endpoints.json gives the
        service in the client's region (us-east-1 for aws-global and for any region of a
        global service), else the model's signing name and the region it resolves to; with
        a custom endpoint, the client's region. The installed botocore's endpoints.json, on
        both sides alike."""
        region = parameters.get(self.region_parameter or "")
        if not isinstance(region, str):
            return self.signing_name, None
        resolved = _installed_endpoints().construct_endpoint(self.endpoint_prefix, region)
        if not resolved:
            return self.signing_name, region
        scope = resolved.get("credentialScope") or {}
        name = str(scope.get("service") or self.signing_name)
        if parameters.get(self.endpoint_parameter or ""):
            return name, region
        return name, str(scope.get("region") or resolved.get("endpointName") or region)


def _filled(scheme: AuthScheme, name: str, region: str | None) -> AuthScheme:
    stated = dict(scheme)
    defaults = {"signingName": name} if "signingName" not in stated else {}
    if region is not None and not _REGION_KEYS & stated.keys():
        defaults["signingRegion"] = region
    return tuple(sorted((*scheme, *defaults.items()))) if defaults else scheme


_REGION_KEYS = frozenset({"signingRegion", "signingRegionSet"})


@cache
def _installed_endpoints() -> Any:
    """botocore's resolver of its own endpoints.json (a `botocore.regions.EndpointResolver`)."""
    from botocore.loaders import create_loader
    from botocore.regions import EndpointResolver

    return EndpointResolver(create_loader().load_data("endpoints"))


# The rule sets' names of botocore's signature versions (`signatureVersion` in old models).
_SIGNATURE_VERSION_SCHEMES = {"v4": "sigv4", "s3v4": "sigv4", "v4a": "sigv4a", "s3v4a": "sigv4a"}


def _frozen_scheme(scheme: Mapping[str, Any]) -> AuthScheme:
    return tuple(sorted((key, _frozen(value)) for key, value in scheme.items()))


def _frozen(value: Any) -> FrozenValue:
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(key), _frozen(item)) for key, item in value.items()))
    return value if isinstance(value, str | bool | int | float) or value is None else repr(value)


def _auth_text(schemes: tuple[AuthScheme, ...]) -> str:
    """`sigv4a (signingName=s3, signingRegionSet=[*])`, the preferred scheme first, each
    alternative after "else"; botocore signs with the first it supports."""
    return " else ".join(_scheme_text(dict(scheme)) for scheme in schemes)


def _scheme_text(scheme: dict[str, FrozenValue]) -> str:
    name = scheme.pop("name", "?")
    properties = ", ".join(f"{key}={_frozen_text(value)}" for key, value in scheme.items())
    return f"{name} ({properties})" if properties else str(name)


def _frozen_text(value: FrozenValue) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_frozen_text(item) for item in value) + "]"
    return _value_text(value) if isinstance(value, str | bool) else str(value)


def _headers_text(headers: EndpointHeaders) -> str:
    if not headers:
        return "none"
    return "; ".join(f"{name}: {', '.join(values)}" for name, values in headers)


class _Resolver:
    """botocore's endpoint provider for one rule set, and how the model signs by default."""

    def __init__(
        self,
        rules: dict[str, Any],
        partitions: dict[str, Any],
        path: str,
        signing: _ModelSigning,
    ) -> None:
        # Imported here: only the few services whose rule sets changed need botocore's resolver.
        from botocore.endpoint_provider import EndpointProvider

        try:
            self._provider = EndpointProvider(rules, partitions)
        except Exception as error:  # botocore raises whatever a malformed rule set trips on
            reason = f"botocore cannot read this endpoint rule set: {error!r}"
            raise ModelLoadError(path, reason) from None
        self._parameters = frozenset(rules["parameters"])
        self._signing = signing

    def resolve(self, case: EndpointCase) -> _Outcome:
        from botocore.exceptions import EndpointProviderError

        # A parameter this rule set does not declare is not passed: it would not know it.
        given = {name: value for name, value in case.parameters if name in self._parameters}
        try:
            endpoint = self._provider.resolve_endpoint(**given)
        except EndpointProviderError as error:
            return _Outcome(None, str(error).splitlines()[0] if str(error) else "no rule matched")
        except (KeyError, TypeError, ValueError, IndexError) as error:
            # A rule that trips botocore's resolver: a client of that release fails the same.
            return _Outcome(None, f"botocore fails: {error!r}")
        schemes = endpoint.properties.get("authSchemes") or ()
        return _Outcome(
            endpoint.url,
            auth_schemes=self._signing.effective(schemes),
            headers=tuple(
                sorted((name, tuple(map(str, values))) for name, values in endpoint.headers.items())
            ),
        )


def _rule_set(file: ModelFile) -> dict[str, Any]:
    rules = read_json_object(file, "endpoint rule set")
    if not isinstance(rules.get("parameters"), dict) or not isinstance(rules.get("rules"), list):
        raise ModelLoadError(
            file.path, 'not a botocore endpoint rule set (no "parameters", "rules")'
        )
    return rules


def _partitions(file: ModelFile | None) -> dict[str, Any]:
    return read_json_object(file, "partitions file") if file else _installed_partitions()


@cache
def _installed_partitions() -> dict[str, Any]:
    """The installed botocore's partitions: for sources that carry none (a file, a folder)."""
    import botocore

    path = Path(botocore.__file__).parent / "data" / "partitions.json"
    return read_json_object(ModelFile(str(path), path.read_bytes()), "partitions file")


# --- the matrix


def endpoint_cases(
    old_rules: Mapping[str, Any],
    new_rules: Mapping[str, Any],
    partitions: Mapping[str, Any],
    models: tuple[ServiceModel, ServiceModel] | None = None,
) -> list[EndpointCase]:
    """The parameter sets both rule sets are resolved with, in a fixed order, no repeats.

    With the two `models` (old, new), a parameter new in the new rule set takes only the
    values a call of the old model can make the new client pass (see `_old_call_values`).
    """
    declared: dict[str, Any] = {**old_rules["parameters"], **new_rules["parameters"]}
    by_built_in = {spec.get("builtIn"): name for name, spec in declared.items()}
    literals = _compared_literals((old_rules["rules"], new_rules["rules"]))
    region: str | None = by_built_in.get(_REGION)
    flags = [by_built_in[built_in] for built_in in (_FIPS, _DUAL_STACK) if built_in in by_built_in]
    places = [EndpointCase(())]
    if region is not None:
        regions = _regions(partitions, literals.get(region, []))
        places = [EndpointCase(((region, name),), marks) for name, marks in regions] or places
    cases = [place.with_parameters(*combo) for place in places for combo in _flag_combos(flags)]
    base = cases[0]
    endpoint: str | None = by_built_in.get(_ENDPOINT)
    if endpoint is not None:
        cases += [
            places[0].with_parameters(*combo, (endpoint, _CUSTOM_ENDPOINT))
            for combo in _flag_combos(flags)
        ]
    static = _static_values(models or ())
    for name in sorted(set(declared) - {region, endpoint, *flags}):
        values = _representative_values(name, declared[name], literals, static)
        if models is not None and name not in old_rules["parameters"]:
            reachable = _old_call_values(name, declared[name], *models)
            values = [value for value in values if reachable is None or value in reachable]
        cases.extend(base.with_parameters((name, value)) for value in values)
    return list(dict.fromkeys(cases))


def _old_call_values(
    name: str, spec: Mapping[str, Any], old: ServiceModel, new: ServiceModel
) -> frozenset[ParameterValue] | None:
    """The values of `name`, a parameter new in the new rule set, that the new client passes
    on a call written for the old model: any (None) for a built-in, which botocore fills on
    every call, or for a binding to the call's input (a member the old input has too, or an
    operation context path); a static binding's own value; none for a binding only on a
    new operation or member, or a client context parameter, which no old code configures."""
    if spec.get("builtIn"):
        return None
    values: set[ParameterValue] = set()
    for operation_name, operation in new.operations.items():
        old_operation = old.operations.get(operation_name)
        if old_operation is None:
            continue
        if name in operation.get("operationContextParams", {}):
            return None
        setting = operation.get("staticContextParams", {}).get(name)
        if isinstance(setting, dict) and isinstance(setting.get("value"), str | bool):
            values.add(setting["value"])
        if _members_bound_to(name, new, operation) & _input_members(old, old_operation).keys():
            return None
    return frozenset(values)


def _members_bound_to(name: str, model: ServiceModel, operation: Mapping[str, Any]) -> set[str]:
    """The input members of `operation` whose value is passed as parameter `name`
    (`contextParam`): botocore reads the trait on top-level input members only."""
    return {
        member
        for member, ref in _input_members(model, operation).items()
        if isinstance(ref.get("contextParam"), dict) and ref["contextParam"].get("name") == name
    }


def _input_members(model: ServiceModel, operation: Mapping[str, Any]) -> Mapping[str, Any]:
    shape = model.shapes.get(operation.get("input", {}).get("shape", ""), {})
    members: Mapping[str, Any] = shape.get("members", {})
    return members


def _flag_combos(flags: list[str]) -> list[tuple[tuple[str, bool], ...]]:
    combos: list[tuple[tuple[str, bool], ...]] = [()]
    for flag in flags:
        combos = [(*combo, (flag, value)) for combo in combos for value in (False, True)]
    return combos


def _regions(
    partitions: Mapping[str, Any], named: list[ParameterValue]
) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Each partition's representative regions, then the regions the rule sets name, each
    with its placeholders (see `EndpointCase`)."""
    found: dict[str, tuple[tuple[str, str], ...]] = {}
    for partition in partitions.get("partitions", ()):
        outputs = partition.get("outputs", {})
        regions = partition.get("regions", {})
        for name in (outputs.get("implicitGlobalRegion"), f"{partition.get('id')}-global"):
            if isinstance(name, str) and name in regions:
                found.setdefault(name, _placeholders(name, outputs))
    for name in named:
        if isinstance(name, str):
            found.setdefault(name, _placeholders(name, _partition_outputs(partitions, name)))
    return list(found.items())


def _placeholders(region: str, outputs: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    home = outputs.get("implicitGlobalRegion")
    # The longer suffix first: "amazonaws.com.cn" before "amazonaws.com".
    suffixes = {outputs.get("dualStackDnsSuffix"), outputs.get("dnsSuffix")}
    return (
        (region, "{Region}"),
        *(((home, "{partitionRegion}"),) if isinstance(home, str) and home != region else ()),
        *(
            (suffix, "{dnsSuffix}")
            for suffix in sorted((s for s in suffixes if isinstance(s, str) and s), key=len)[::-1]
        ),
    )


def _partition_outputs(partitions: Mapping[str, Any], region: str) -> Mapping[str, Any]:
    """The outputs of the partition a region belongs to, as botocore's aws.partition finds it:
    the partition listing it, else the first whose regionRegex matches it."""
    listed = [p for p in partitions.get("partitions", ()) if region in p.get("regions", {})]
    matching = [
        p for p in partitions.get("partitions", ()) if re.match(p.get("regionRegex", "$^"), region)
    ]
    chosen = (listed or matching or [{}])[0]
    outputs: Mapping[str, Any] = chosen.get("outputs", {})
    return outputs


def _representative_values(
    name: str,
    spec: Mapping[str, Any],
    literals: Mapping[str, list[ParameterValue]],
    static: Mapping[str, list[ParameterValue]],
) -> list[ParameterValue]:
    kind = str(spec.get("type", "")).lower()
    if kind == "boolean":
        # The value other than its default; both where it has none (unset is the base case).
        return [value for value in (True, False) if value != spec.get("default")]
    if kind != "string":
        # A stringArray is left unset: botocore's resolver memoises on its (unhashable) lists.
        return []
    known = [
        *literals.get(name, []),
        *static.get(name, []),
        *_BUILT_IN_VALUES.get(spec.get("builtIn", ""), ()),
    ]
    values: list[ParameterValue] = [v for v in dict.fromkeys(known) if isinstance(v, str)]
    return values or [_TYPICAL_STRING]


def _static_values(models: Iterable[ServiceModel]) -> dict[str, list[ParameterValue]]:
    """The values the models' operations set parameters to (`staticContextParams`)."""
    found: dict[str, list[ParameterValue]] = {}
    for model in models:
        for operation in model.operations.values():
            for name, setting in operation.get("staticContextParams", {}).items():
                value = setting.get("value") if isinstance(setting, dict) else None
                if isinstance(value, str | bool):
                    found.setdefault(name, []).append(value)
    return found


def _compared_literals(rule_trees: Iterable[Any]) -> dict[str, list[ParameterValue]]:
    """For each parameter, the literals the rules compare it with (`stringEquals(Region,
    "us-east-1")`), in the order they appear."""
    found: dict[str, list[ParameterValue]] = {}
    for name, value in _comparisons(rule_trees):
        values = found.setdefault(name, [])
        if value not in values:
            values.append(value)
    return found


def _comparisons(node: Any) -> Iterator[tuple[str, ParameterValue]]:
    if isinstance(node, dict):
        arguments = node.get("argv")
        compares = node.get("fn") in ("stringEquals", "booleanEquals")
        if compares and isinstance(arguments, list) and len(arguments) == 2:
            for ref, literal in (arguments, arguments[::-1]):
                named = isinstance(ref, dict) and isinstance(ref.get("ref"), str)
                if named and isinstance(literal, str | bool):
                    yield ref["ref"], literal
        for value in node.values():
            yield from _comparisons(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _comparisons(item)
