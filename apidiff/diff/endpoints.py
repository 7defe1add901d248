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
both sides is none: a call fails either way, whatever the message says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

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
    """One ENDPOINT_CHANGED per distinct way the endpoints changed, or none.

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
    old_resolver = _Resolver(old_rules, partitions, old.endpoint_rules.path)
    new_resolver = _Resolver(new_rules, partitions, new.endpoint_rules.path)
    differing = []
    for case in endpoint_cases(old_rules, new_rules, partitions, (old, new)):
        before, after = old_resolver.resolve(case), new_resolver.resolve(case)
        if before != after and not (before.failed and after.failed):
            differing.append((case, before, after))
    return _grouped(differing)


def _grouped(differing: list[tuple[EndpointCase, _Outcome, _Outcome]]) -> list[Change]:
    """One change per distinct (old pattern -> new pattern), shown by the first parameters
    that give it and how many more do.

    A rule set rewritten for a new DNS scheme changes the URL of every region alike; a reader
    needs that once, with a real pair of URLs, and what else it reaches. A change seen only
    in one partition or with FIPS on stays its own finding.
    """
    groups: dict[tuple[str, str], list[tuple[EndpointCase, _Outcome, _Outcome]]] = {}
    for case, before, after in differing:
        key = (case.pattern(before.text), case.pattern(after.text))
        groups.setdefault(key, []).append((case, before, after))
    changes = []
    for members in groups.values():
        case, before, after = members[0]
        more = len(members) - 1
        aspect = case.text + (f" (and {more} more parameter sets)" if more else "")
        changes.append(
            Change(ChangeKind.ENDPOINT_CHANGED, aspect=aspect, old=before.text, new=after.text)
        )
    return changes


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What resolving gave: a URL, or botocore's error (its first line)."""

    url: str | None
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.url is None

    @property
    def text(self) -> str:
        return self.url if self.url is not None else f"no endpoint ({self.error})"


class _Resolver:
    """botocore's endpoint provider for one rule set."""

    def __init__(self, rules: dict[str, Any], partitions: dict[str, Any], path: str) -> None:
        # Imported here: only the few services whose rule sets changed need botocore's resolver.
        from botocore.endpoint_provider import EndpointProvider

        try:
            self._provider = EndpointProvider(rules, partitions)
        except Exception as error:  # botocore raises whatever a malformed rule set trips on
            reason = f"botocore cannot read this endpoint rule set: {error!r}"
            raise ModelLoadError(path, reason) from None
        self._parameters = frozenset(rules["parameters"])

    def resolve(self, case: EndpointCase) -> _Outcome:
        from botocore.exceptions import EndpointProviderError

        # A parameter this rule set does not declare is not passed: it would not know it.
        given = {name: value for name, value in case.parameters if name in self._parameters}
        try:
            return _Outcome(self._provider.resolve_endpoint(**given).url)
        except EndpointProviderError as error:
            return _Outcome(None, str(error).splitlines()[0] if str(error) else "no rule matched")
        except (KeyError, TypeError, ValueError, IndexError) as error:
            # A rule that trips botocore's resolver: a client of that release fails the same.
            return _Outcome(None, f"botocore fails: {error!r}")


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
