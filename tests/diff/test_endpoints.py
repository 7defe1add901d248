"""Endpoint rule sets compared by resolving both over a fixed matrix of parameters, with
botocore's own endpoint provider as the oracle of every URL a change names."""

from __future__ import annotations

import dataclasses
import gzip
import json
from typing import Any

import pytest
from botocore.endpoint_provider import EndpointProvider
from botocore.exceptions import EndpointProviderError, EndpointResolutionError
from botocore.hooks import HierarchicalEmitter
from botocore.model import ServiceModel as BotocoreModel
from botocore.regions import EndpointRulesetResolver

from apidiff.diff.endpoints import diff_endpoints, endpoint_cases
from apidiff.diff.kinds import ChangeKind
from apidiff.diff.model_diff import find_changes
from apidiff.errors import ModelLoadError
from apidiff.model import ServiceModel
from apidiff.model.load import load_service_model
from apidiff.sources import PackageIndex, open_source, same_content
from apidiff.sources.base import ModelFile
from tests.conftest import ModelFactory, operation

ROUTE53 = ("bundled:botocore-1.44.7", "bundled:botocore-1.44.8", "route53")


def _model(spec: str, service: str, index: PackageIndex | None = None) -> ServiceModel:
    source = open_source(spec, index)
    return load_service_model(source.service_files(service), source.provenance)


def _json(file: ModelFile | None) -> dict[str, Any]:
    assert file is not None
    loaded: dict[str, Any] = json.loads(
        gzip.decompress(file.data) if file.data[:2] == b"\x1f\x8b" else file.data
    )
    return loaded


def _rules(model: ServiceModel) -> dict[str, Any]:
    return _json(model.endpoint_rules)


def _partitions(model: ServiceModel) -> dict[str, Any]:
    return _json(model.partitions)


def _with_rules(model: ServiceModel, rules: dict[str, Any]) -> ServiceModel:
    """The model with another rule set, as a release that changed only that would ship it."""
    assert model.endpoint_rules is not None
    data = gzip.compress(json.dumps(rules).encode(), mtime=0)
    return dataclasses.replace(model, endpoint_rules=ModelFile(model.endpoint_rules.path, data))


def _rewritten(rules: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    rewritten: dict[str, Any] = json.loads(json.dumps(rules).replace(old, new))
    return rewritten


def _botocore_outcome(
    rules: dict[str, Any], partitions: dict[str, Any], parameters: dict[str, Any]
) -> str | None:
    """The URL botocore resolves, None where it resolves none."""
    given = {name: value for name, value in parameters.items() if name in rules["parameters"]}
    try:
        url: str = EndpointProvider(rules, partitions).resolve_endpoint(**given).url
    except EndpointProviderError:
        return None
    return url


def assert_changes_are_botocores(old: ServiceModel, new: ServiceModel) -> int:
    """Every change names the URLs botocore resolves for its parameters under each rule set,
    and the changes account for every parameter set of the matrix whose endpoint botocore
    resolves differently (and not to an error on both sides). Returns how many there are."""
    old_rules, new_rules, partitions = _rules(old), _rules(new), _partitions(new)
    matrix = endpoint_cases(old_rules, new_rules, partitions, (old, new))
    cases = {case.text: case for case in matrix}
    differing = 0
    for case in cases.values():
        parameters = dict(case.parameters)
        before = _botocore_outcome(old_rules, partitions, parameters)
        after = _botocore_outcome(new_rules, partitions, parameters)
        differing += before != after and (before, after) != (None, None)
    changes = diff_endpoints(old, new)
    shown = 0
    for change in changes:
        assert change.kind is ChangeKind.ENDPOINT_CHANGED
        text, _, more = str(change.aspect).partition(" (and ")
        parameters = dict(cases[text].parameters)
        for rules, outcome in ((old_rules, change.old), (new_rules, change.new)):
            url = _botocore_outcome(rules, partitions, parameters)
            assert outcome == url if url is not None else outcome.startswith("no endpoint (")
        shown += 1 + (int(more.split()[0]) if more else 0)
    assert shown == differing
    return len(changes)


def test_rule_sets_of_the_same_text_are_not_resolved() -> None:
    old, new = _model(ROUTE53[0], ROUTE53[2]), _model(ROUTE53[1], ROUTE53[2])

    assert old.endpoint_rules is not None and new.endpoint_rules is not None
    assert diff_endpoints(old, new) == []


def test_a_changed_host_is_one_change_per_url_pattern_as_botocore_resolves_it() -> None:
    old = _model(ROUTE53[1], ROUTE53[2])
    # The aws partition's global endpoint moves: one host, so one change, whatever the region.
    new = _with_rules(
        old,
        _rewritten(_rules(old), '"https://route53.amazonaws.com"', '"https://route53.global.aws"'),
    )

    assert assert_changes_are_botocores(old, new) == 1
    (change,) = diff_endpoints(old, new)
    assert change.aspect.startswith("Region=us-east-1, UseFIPS=false, UseDualStack=false")
    assert (change.old, change.new) == (
        "https://route53.amazonaws.com",
        "https://route53.global.aws",
    )


def test_fips_turned_into_an_error_is_a_change_and_an_error_on_both_sides_is_none() -> None:
    old = _model(ROUTE53[1], ROUTE53[2])
    message = "FIPS is enabled but this partition does not support FIPS"
    reworded = _with_rules(old, _rewritten(_rules(old), message, "No FIPS here"))
    # The FIPS endpoints of every partition become errors.
    rules = _rules(old)
    no_fips = _with_rules(old, _rewritten(rules, "https://route53-fips.", "https://gone-fips."))

    assert diff_endpoints(old, reworded) == []
    assert assert_changes_are_botocores(old, no_fips) >= 1


def test_a_service_without_a_rule_set_on_one_side_has_no_endpoint_change() -> None:
    old = _model(ROUTE53[1], ROUTE53[2])

    assert diff_endpoints(dataclasses.replace(old, endpoint_rules=None), old) == []


def test_the_matrix_covers_each_partition_fips_dual_stack_and_a_custom_endpoint() -> None:
    old = _model(ROUTE53[1], ROUTE53[2])
    rules, partitions = _rules(old), _partitions(old)

    cases = endpoint_cases(rules, rules, partitions)

    regions = {dict(case.parameters)["Region"] for case in cases}
    for partition in partitions["partitions"]:
        assert partition["outputs"]["implicitGlobalRegion"] in regions
    combos = {(dict(c.parameters)["UseFIPS"], dict(c.parameters)["UseDualStack"]) for c in cases}
    assert combos == {(False, False), (False, True), (True, False), (True, True)}
    assert any(dict(case.parameters).get("Endpoint") for case in cases)
    assert len(cases) == len(set(cases)) < 200


def test_a_rule_set_botocore_cannot_read_is_an_error_naming_it() -> None:
    old = _model(ROUTE53[1], ROUTE53[2])
    broken = _with_rules(old, {"version": "1.0", "parameters": {}, "rules": [{"type": "nope"}]})

    with pytest.raises(ModelLoadError) as error:
        diff_endpoints(old, broken)

    assert error.value.where.endswith("route53/2013-04-01/endpoint-rule-set-1.json.gz")


# --- a real release pair: support 1.44.5 -> 1.44.6 changed its rule set, not its model


@pytest.mark.network
def test_support_1_44_6_changed_only_its_endpoints_and_each_change_is_botocores() -> None:
    index = PackageIndex.from_environment()
    old_source = open_source("botocore==1.44.5", index)
    new_source = open_source("botocore==1.44.6", index)
    old_files, new_files = old_source.service_files("support"), new_source.service_files("support")
    old, new = (
        _model("botocore==1.44.5", "support", index),
        _model("botocore==1.44.6", "support", index),
    )

    # Compared, not passed over as unchanged, though its model is the same.
    assert old.document == new.document
    assert not same_content(old_files, new_files)
    # The diff of the two models finds the endpoint changes and nothing else.
    changes = find_changes(old, new)
    assert changes and {change.kind for change in changes} == {ChangeKind.ENDPOINT_CHANGED}
    assert assert_changes_are_botocores(old, new) == len(changes)
    # The one a reader must not miss: GovCloud's FIPS endpoint was not a FIPS one before.
    assert any(
        change.aspect.startswith("Region=us-gov-west-1, UseFIPS=true")
        and "-fips." not in change.old
        and "-fips." in change.new
        for change in changes
    )


# --- a parameter new in the rule set: only what a call of the old model can make it take

_PLAIN_RULE = {
    "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
    "endpoint": {"url": "https://example.{Region}.amazonaws.com", "properties": {}, "headers": {}},
    "type": "endpoint",
}
# As kinesis 1.44.5 added QueueARN: a rule reached only when the new parameter is set.
_QUEUE_RULE = {
    "conditions": [{"fn": "isSet", "argv": [{"ref": "QueueARN"}]}],
    "error": 'Invalid Configuration: ResourceType must be "queue" when QueueARN is set.',
    "type": "error",
}
_REGION_PARAMETER = {"builtIn": "AWS::Region", "required": False, "type": "String"}


def _rule_set(*rules: dict[str, Any], queue: bool) -> dict[str, Any]:
    parameters: dict[str, Any] = {"Region": _REGION_PARAMETER}
    if queue:
        parameters["QueueARN"] = {"required": False, "type": "String"}
    return {"version": "1.0", "parameters": parameters, "rules": list(rules)}


def _queue_pair(
    make_model: ModelFactory, new_operations: dict[str, Any], new_shapes: dict[str, Any]
) -> tuple[ServiceModel, ServiceModel]:
    """A service of one call, Put, whose next release declares QueueARN and binds it as
    `new_operations` and `new_shapes` say (kinesis 1.44.4 -> 1.44.5, cut down)."""
    put_input = {"type": "structure", "members": {"Name": {"shape": "String"}}}
    shapes = {"PutInput": put_input, "String": {"type": "string"}}
    old = make_model(shapes, {"Put": operation("Put", "PutInput")})
    new = make_model(
        {**shapes, **new_shapes}, {"Put": operation("Put", "PutInput"), **new_operations}
    )
    route53 = _model(ROUTE53[1], ROUTE53[2])
    old = dataclasses.replace(
        _with_rules(route53, _rule_set(_PLAIN_RULE, queue=False)), document=old.document
    )
    new = dataclasses.replace(
        _with_rules(route53, _rule_set(_QUEUE_RULE, _PLAIN_RULE, queue=True)), document=new.document
    )
    return old, new


def _bound_to_queue_arn() -> dict[str, Any]:
    """An input of a name and a QueueARN, bound to the parameter of its name."""
    return {
        "type": "structure",
        "members": {
            "Name": {"shape": "String"},
            "QueueARN": {"shape": "String", "contextParam": {"name": "QueueARN"}},
        },
    }


def test_a_parameter_bound_only_by_a_new_operation_changes_no_endpoint(
    make_model: ModelFactory,
) -> None:
    old, new = _queue_pair(
        make_model,
        {"DescribeQueue": operation("DescribeQueue", "DescribeQueueInput")},
        {"DescribeQueueInput": _bound_to_queue_arn()},
    )

    assert diff_endpoints(old, new) == []
    # What the old model's call resolves, botocore resolves alike under both rule sets.
    assert assert_changes_are_botocores(old, new) == 0


def test_a_new_parameter_bound_to_a_member_an_old_call_sends_is_resolved(
    make_model: ModelFactory,
) -> None:
    bound = _bound_to_queue_arn()
    bound["members"]["Name"]["contextParam"] = {"name": "QueueARN"}
    old, new = _queue_pair(make_model, {}, {"PutInput": bound})

    (change,) = diff_endpoints(old, new)

    assert "QueueARN=example" in str(change.aspect)
    assert str(change.new).startswith("no endpoint (Invalid Configuration")
    assert assert_changes_are_botocores(old, new) == 1


def test_a_new_parameter_an_old_operation_sets_statically_takes_that_value(
    make_model: ModelFactory,
) -> None:
    put = operation("Put", "PutInput")
    put["staticContextParams"] = {"QueueARN": {"value": "arn:aws:kinesis:::queue/q"}}
    old, new = _queue_pair(make_model, {"Put": put}, {})

    (change,) = diff_endpoints(old, new)

    assert str(change.aspect).endswith("QueueARN=arn:aws:kinesis:::queue/q")


@pytest.mark.network
def test_kinesis_1_44_5_queue_parameters_change_no_endpoint_an_old_call_resolves() -> None:
    index = PackageIndex.from_environment()
    old = _model("botocore==1.44.4", "kinesis", index)
    new = _model("botocore==1.44.5", "kinesis", index)
    new_parameters = _rules(new)["parameters"].keys() - _rules(old)["parameters"].keys()
    assert new_parameters == {"QueueARN", "ResourceType"}

    assert diff_endpoints(old, new) == []
    # botocore's own client-side resolution of every operation of 1.44.4, with its ARNs set,
    # under each release's model and rule set: the same endpoint.
    for fips in (False, True):
        for name, (before, after) in _resolved_old_calls(old, new, fips).items():
            assert before == after, name


def _resolved_old_calls(
    old: ServiceModel, new: ServiceModel, fips: bool
) -> dict[str, tuple[str, str]]:
    arns = {
        "StreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s",
        "ConsumerARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1",
        "ResourceARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s",
        "ChannelARN": "arn:aws:kinesis:us-east-1:123456789012:channel/c",
    }
    resolved: dict[str, list[str]] = {}
    for model in (old, new):
        botocore_model = BotocoreModel(dict(model.document), service_name=model.name)
        resolver = EndpointRulesetResolver(
            _rules(model),
            _partitions(new),
            botocore_model,
            {"AWS::Region": "us-east-1", "AWS::UseFIPS": fips, "AWS::UseDualStack": False},  # type: ignore[arg-type]
            {},
            HierarchicalEmitter(),
        )
        for name in old.operations:
            operation_model = botocore_model.operation_model(name)
            members = operation_model.input_shape.members if operation_model.input_shape else {}
            arguments = {member: arns[member] for member in members if member in arns}
            try:
                url = resolver.construct_endpoint(operation_model, arguments, {}).url
            except (EndpointResolutionError, EndpointProviderError) as error:
                url = f"error: {error}"
            resolved.setdefault(name, []).append(url)
    return {name: (urls[0], urls[1]) for name, urls in resolved.items()}
