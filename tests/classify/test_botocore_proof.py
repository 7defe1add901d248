"""Proof against botocore itself, on real releases: every call and every stubbed response
that botocore accepts under the old model and rejects under the new one is explained by a
BREAKING finding that reaches that operation.

For every operation present in both models of a real model pair, minimal and full request
params valid under the old model are validated under the new one the way a client does
(`botocore_oracle.request_rejection`); stubbed responses and modelled error fields the way
Stubber does. A rejection with no BREAKING finding at that operation (sdk perspective for
requests, stubber perspective for responses and errors) is a misclassification: a change
we called safe, info or risky makes a working call fail.

The oracle is checked against a real client and a real Stubber here (on real models) and in
test_botocore_claims.py (on every micro-model claim).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.model import OperationModel, Shape, StructureShape
from botocore.model import ServiceModel as BotocoreModel

from apidiff.classify import Perspective, Severity
from apidiff.errors import ApidiffError
from apidiff.model import Position, ServiceModel
from apidiff.model.load import load_service_model
from apidiff.sources import BUNDLED_PREFIX, ModelSource, PackageIndex, open_source
from tests.classify import botocore_client, botocore_oracle
from tests.classify.conftest import ClassifiedChange, classify_pair
from tests.classify.valid_values import (
    is_required_at,
    omissions,
    path_text,
    request_params,
    response_dict,
)


@dataclass(frozen=True, slots=True)
class ReleasePair:
    """Two releases to compare; `services` None means every service both hold."""

    old: str
    new: str
    services: tuple[str, ...] | None = None

    @property
    def label(self) -> str:
        return f"{_version(self.old)}-{_version(self.new)}"


def _version(spec: str) -> str:
    return spec.removeprefix("bundled:botocore-").removeprefix("botocore==")


def _bundled(old: str, new: str) -> ReleasePair:
    return ReleasePair(f"bundled:botocore-{old}", f"bundled:botocore-{new}")


def _released(old: str, new: str, service: str) -> ReleasePair:
    return ReleasePair(f"botocore=={old}", f"botocore=={new}", services=(service,))


PAIRS = (
    _bundled("1.20.40", "1.20.41"),
    _bundled("1.20.72", "1.20.73"),
    _bundled("1.20.73", "1.20.74"),
    _bundled("1.20.94", "1.20.95"),
    _bundled("1.35.71", "1.35.72"),
    _bundled("1.44.7", "1.44.8"),
    # Read out of botocore's wheels, fetched from PyPI into apidiff's cache on the first run:
    # modern SageMaker, and two services whose releases broke stubbed responses (a retargeted
    # member lost a member; a structure became a union).
    _released("1.44.7", "1.44.8", "sagemaker"),
    _released("1.20.45", "1.20.46", "medialive"),
    _released("1.20.54", "1.20.55", "groundstation"),
)


def _cases() -> Iterator[Any]:
    for pair in PAIRS:
        # Only the bundled pairs are listed here: collecting must not fetch anything.
        services = pair.services or sorted(
            set(open_source(pair.old).services()) & set(open_source(pair.new).services())
        )
        # A release is fetched once, then read from the cache: without the network and with
        # nothing cached, deselect these with -m "not network" (they fail, never skip).
        marks = () if pair.old.startswith(BUNDLED_PREFIX) else (pytest.mark.network,)
        for service in services:
            yield pytest.param(pair, service, id=f"{pair.label}-{service}", marks=marks)


CASES = list(_cases())


@dataclass(frozen=True)
class ComparedService:
    """One service in two releases: botocore's view of each, and our classified changes."""

    old: BotocoreModel
    new: BotocoreModel
    changes: tuple[ClassifiedChange, ...]
    old_shapes: Mapping[str, Any]
    new_shapes: Mapping[str, Any]

    def shapes_differ(self, old_root: str | None, new_root: str | None) -> bool:
        """Whether what botocore validates under two roots can differ: their shape closures."""
        return _closure(self.old_shapes, old_root) != _closure(self.new_shapes, new_root)

    @property
    def common_operations(self) -> list[str]:
        return sorted(set(self.old.operation_names) & set(self.new.operation_names))

    def breaks(self, operation: str, perspective: Perspective, sides: frozenset[Position]) -> bool:
        """Whether a change BREAKING for `perspective` reaches `operation` on one of `sides`."""
        return any(
            classified.severity(perspective) is Severity.BREAKING
            and any(
                reach.operation == operation and reach.position in sides
                for reach in classified.reaches
            )
            for classified in self.changes
        )

    def findings_at(self, operation: str) -> str:
        return "; ".join(
            f"{classified.rule} {classified.change.description} "
            f"(sdk {classified.severity(Perspective.SDK)}, "
            f"stubber {classified.severity(Perspective.STUBBER)})"
            for classified in self.changes
            if any(reach.operation == operation for reach in classified.reaches)
        )


REQUEST_SIDES = frozenset({Position.REQUEST, Position.OPERATION})
RESPONSE_SIDES = frozenset({Position.RESPONSE, Position.ERROR, Position.OPERATION})


@functools.cache
def _index() -> PackageIndex:
    # The environment's index and cache (tox keeps APIDIFF_CACHE_DIR across runs): each
    # wheel is downloaded once, checked against PyPI's sha256, then read from the cache.
    return PackageIndex.from_environment()


@functools.cache
def _opened(spec: str) -> ModelSource | str:
    """The source of `spec`, or why it cannot be had (kept, so one failure is not retried
    for every test of the pair)."""
    try:
        return open_source(spec, _index())
    except ApidiffError as error:
        return str(error)


def _source(spec: str) -> ModelSource:
    source = _opened(spec)
    if isinstance(source, str):
        pytest.fail(
            f"the proof needs botocore's wheel for {spec}, fetched through apidiff's PyPI "
            f"source into {_index().settings.cache_dir}: {source}. Without the network, "
            'deselect these tests with -m "not network".',
            pytrace=False,
        )
    return source


@functools.cache
def _model(spec: str, service: str) -> ServiceModel:
    source = _source(spec)
    return load_service_model(source.service_files(service), source.provenance)


@functools.cache
def compare(pair: ReleasePair, service: str) -> ComparedService:
    old, new = _model(pair.old, service), _model(pair.new, service)
    return ComparedService(
        old=botocore_oracle.botocore_model(old),
        new=botocore_oracle.botocore_model(new),
        changes=classify_pair(old, new),
        old_shapes=old.shapes,
        new_shapes=new.shapes,
    )


def _closure(shapes: Mapping[str, Any], root: str | None) -> dict[str, Any]:
    """Every shape reachable from `root`, without documentation (the validator ignores it)."""
    found: dict[str, Any] = {}
    pending = [root] if root else []
    while pending:
        name = pending.pop()
        if name in found:
            continue
        shape = shapes[name]
        found[name] = _without_documentation(shape)
        refs = list(shape.get("members", {}).values())
        refs += [shape[label] for label in ("member", "key", "value") if label in shape]
        pending += [ref["shape"] for ref in refs]
    return found


def _without_documentation(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_documentation(v) for k, v in value.items() if k != "documentation"}
    return value


FULLNESS = {"minimal": False, "full": True}


def _requests(
    operation: OperationModel, *, omitting_for: Shape | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Minimal and full params; with `omitting_for` (the new input shape), also the full ones
    less each optional member that shape requires.
    """
    for label, full in FULLNESS.items():
        yield label, request_params(operation, full=full)
    if omitting_for is not None and operation.input_shape is not None:
        full_params = request_params(operation, full=True)
        yield from _omissions(full_params, operation.input_shape, omitting_for)


def _responses(
    operation: OperationModel, *, omitting_for: Shape | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    for label, full in FULLNESS.items():
        yield label, response_dict(operation.output_shape, full=full)
    if omitting_for is not None and operation.output_shape is not None:
        full_response = response_dict(operation.output_shape, full=True)
        yield from _omissions(full_response, operation.output_shape, omitting_for)


def _omissions(value: Any, old: Shape, new: Shape) -> Iterator[tuple[str, Any]]:
    # The validator reports a missing member only where its structure requires it
    # (validate.py _validate_structure): other omissions cannot be rejected, and validating
    # each of them would cost the size of the value again, for thousands of members.
    for path, without in omissions(value, old):
        if is_required_at(new, path):
            yield f"full without {path_text(path)}", without


def _errors(operation: OperationModel) -> Iterator[tuple[str, dict[str, Any]]]:
    for shape in operation.error_shapes:
        if isinstance(shape, StructureShape) and shape.error_code is not None:
            for label, full in FULLNESS.items():
                yield f"{label} {shape.error_code}", response_dict(shape, full=full)


# --- (a) the generated values are valid under the old model


@pytest.mark.parametrize(("pair", "service"), CASES)
def test_generated_requests_are_valid_under_the_old_model(pair: ReleasePair, service: str) -> None:
    compared = compare(pair, service)
    invalid = []
    for name in compared.old.operation_names:
        operation = compared.old.operation_model(name)
        for label, params in _requests(operation):
            if rejection := botocore_oracle.request_rejection(operation, params):
                invalid.append(f"{name} ({label}): {rejection}")
    assert not invalid, "\n".join(invalid)


@pytest.mark.parametrize(("pair", "service"), CASES)
def test_generated_responses_are_valid_under_the_old_model(pair: ReleasePair, service: str) -> None:
    compared = compare(pair, service)
    invalid = []
    for name in compared.old.operation_names:
        operation = compared.old.operation_model(name)
        for label, response in _responses(operation):
            if rejection := botocore_oracle.response_rejection(operation, response):
                invalid.append(f"{name} response ({label}): {rejection}")
        for label, fields in _errors(operation):
            code = label.split()[-1]
            if rejection := botocore_oracle.error_rejection(compared.old, code, fields):
                invalid.append(f"{name} error ({label}): {rejection}")
    assert not invalid, "\n".join(invalid)


# --- (b) requests: every rejection is explained by a breaking finding


def _input_name(operation: OperationModel) -> str | None:
    return operation.input_shape.name if operation.input_shape is not None else None


def _output_name(operation: OperationModel) -> str | None:
    return operation.output_shape.name if operation.output_shape is not None else None


def _unexplained_requests(compared: ComparedService, name: str) -> Iterator[str]:
    """The first call of `name` the new model rejects, unless a breaking finding explains it."""
    if compared.breaks(name, Perspective.SDK, REQUEST_SIDES):
        return  # Any rejection is explained: nothing to look for.
    old, new = compared.old.operation_model(name), compared.new.operation_model(name)
    # Only where the validated shapes differ can a call be rejected: try more calls there.
    differ = compared.shapes_differ(_input_name(old), _input_name(new))
    for label, params in _requests(old, omitting_for=new.input_shape if differ else None):
        rejection = botocore_oracle.request_rejection(new, params)
        if rejection is not None:
            assert botocore_oracle.request_rejection(old, params) is None, f"{name} ({label})"
            yield (
                f"{name} ({label} request) rejected: {rejection}\n"
                f"  findings at {name}: {compared.findings_at(name) or 'none'}"
            )
            return


@pytest.mark.parametrize(("pair", "service"), CASES)
def test_every_request_the_new_model_rejects_is_explained_by_a_breaking_finding(
    pair: ReleasePair, service: str
) -> None:
    compared = compare(pair, service)
    unexplained = [
        message
        for name in compared.common_operations
        for message in _unexplained_requests(compared, name)
    ]
    assert not unexplained, "\n".join(unexplained)


# --- (c) stubbed responses and errors: every rejection is explained by a breaking finding


def _unexplained_stubs(compared: ComparedService, name: str) -> Iterator[str]:
    """The first stub for `name` the new model rejects, unless a breaking finding explains it."""
    if compared.breaks(name, Perspective.STUBBER, RESPONSE_SIDES):
        return
    old, new = compared.old.operation_model(name), compared.new.operation_model(name)
    differ = compared.shapes_differ(_output_name(old), _output_name(new))
    rejections = (
        (f"{label} response", response, botocore_oracle.response_rejection(new, response))
        for label, response in _responses(old, omitting_for=new.output_shape if differ else None)
    )
    errors = (
        (f"{label} error fields", fields, _error_rejection(compared.new, label, fields))
        for label, fields in _errors(old)
    )
    for what, stubbed, rejection in itertools.chain(rejections, errors):
        if rejection is not None:
            if what.endswith("response"):
                assert botocore_oracle.response_rejection(old, stubbed) is None, f"{name} {what}"
            yield (
                f"{name} ({what}) rejected by Stubber: {rejection}\n"
                f"  findings at {name}: {compared.findings_at(name) or 'none'}"
            )
            return


def _error_rejection(model: BotocoreModel, label: str, fields: dict[str, Any]) -> str | None:
    code = label.split()[-1]
    return botocore_oracle.error_rejection(model, code, fields)


@pytest.mark.parametrize(("pair", "service"), CASES)
def test_every_stubbed_response_the_new_model_rejects_is_explained_by_a_breaking_finding(
    pair: ReleasePair, service: str
) -> None:
    compared = compare(pair, service)
    unexplained = [
        message
        for name in compared.common_operations
        for message in _unexplained_stubs(compared, name)
    ]
    assert not unexplained, "\n".join(unexplained)


# --- the oracle is botocore: a real client and a real Stubber agree with it on real models

REAL_CLIENT_CASES = (
    ("bundled:botocore-1.20.95", "lexv2-runtime"),
    ("bundled:botocore-1.35.72", "qbusiness"),
    ("bundled:botocore-1.44.8", "route53"),
)


@pytest.fixture(scope="module")
def real_clients(tmp_path_factory: pytest.TempPathFactory) -> botocore_client.ModelClients:
    documents = {service: _model(spec, service).document for spec, service in REAL_CLIENT_CASES}
    return botocore_client.ModelClients(documents, tmp_path_factory.mktemp("real"))


@pytest.mark.parametrize(("spec", "service"), REAL_CLIENT_CASES)
def test_real_client_and_stubber_answer_as_the_oracle(
    spec: str, service: str, real_clients: botocore_client.ModelClients
) -> None:
    model = botocore_oracle.botocore_model(_model(spec, service))
    with real_clients.client(service) as client:
        # botocore leaves some operations off the client (Lex's bidirectional StartConversation).
        for method, name in sorted(client.meta.method_to_api_mapping.items()):
            if not hasattr(client, method):
                continue
            operation = model.operation_model(name)
            for _label, valid in _requests(operation):
                for params in (valid, _with_unknown_member(valid)):
                    expected = botocore_oracle.request_rejection(operation, params)
                    actual = botocore_client.call_rejection(client, name, params)
                    assert actual == _as_error(expected), name
            broken = _with_unknown_member(response_dict(operation.output_shape, full=True))
            expected = botocore_oracle.response_rejection(operation, broken)
            assert botocore_client.stub_rejection(client, name, broken) == _as_error(expected)


def _with_unknown_member(value: dict[str, Any]) -> dict[str, Any]:
    # A key no shape has: both must reject it, and with the same report.
    return value | {"NotAMemberOfAnyShape": "x"}


def _as_error(report: str | None) -> str | None:
    return None if report is None else f"Parameter validation failed:\n{report}"


def test_stubber_of_an_installed_service_validates_responses_as_the_oracle() -> None:
    session = botocore.session.Session()
    client = session.create_client(
        "sts", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    model = client.meta.service_model
    for name in model.operation_names:
        operation = model.operation_model(name)
        for response in (
            response_dict(operation.output_shape, full=True),
            _with_unknown_member(response_dict(operation.output_shape, full=False)),
        ):
            expected = botocore_oracle.response_rejection(operation, response)
            assert botocore_client.stub_rejection(client, name, response) == _as_error(expected)
    client.close()


# --- every case runs: a release the proof cannot fetch fails it, never skips it


def test_no_proof_case_is_skipped_and_each_release_pair_needs_the_network() -> None:
    marks = {case.id: {mark.name for mark in case.marks} for case in CASES}
    assert not [case for case, names in marks.items() if names & {"skip", "skipif", "xfail"}]
    released = [case for case in CASES if not case.values[0].old.startswith(BUNDLED_PREFIX)]
    assert len(released) == 3
    assert all(marks[case.id] == {"network"} for case in released)


def test_a_release_that_cannot_be_fetched_fails_the_proof(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("APIDIFF_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("APIDIFF_OFFLINE", "1")
    _index.cache_clear()
    _opened.cache_clear()
    try:
        with pytest.raises(
            pytest.fail.Exception, match='deselect these tests with -m "not network"'
        ):
            _source("botocore==1.20.45")
    finally:
        # Later cases must fetch through the environment's own index, not this offline one.
        _index.cache_clear()
        _opened.cache_clear()
