"""A pattern's witness counts only if the old model allowed it otherwise: within its old
length limits and, for an enum, one of its values. resiliencehubv2's ClientToken (botocore
1.44.5 -> 1.44.6) first lost the empty string, which its minimum of 1 refused already:
botocore itself raises ParamValidationError for it in both releases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from botocore.serialize import create_serializer
from hypothesis import given, settings
from hypothesis import strategies as st

from apidiff.classify import Perspective, Severity
from apidiff.classify.pattern_verdicts import PatternVerdicts
from apidiff.classify.patterns import (
    NO_LIMITS,
    PatternChange,
    PatternVerdict,
    StringLimits,
    compare_patterns,
    pattern_accepts,
    remembering,
)
from apidiff.diff import ChangeKind
from apidiff.model import ServiceModel
from apidiff.model.load import load_service_model
from apidiff.sources import PackageIndex, open_source
from tests.classify.botocore_oracle import botocore_model, request_rejection
from tests.classify.conftest import CLIENT_METADATA, ClassifiedChange, classify_pair
from tests.conftest import ModelFactory, operation

TIGHTENED, LOOSENED = PatternChange.TIGHTENED, PatternChange.LOOSENED
EQUIVALENT, UNDECIDED = PatternChange.EQUIVALENT, PatternChange.UNDECIDED
SDK, WIRE = Perspective.SDK, Perspective.WIRE

# resiliencehubv2 ClientToken, 1.44.5 -> 1.44.6: searched, not anchored.
CLIENT_TOKEN = (r"[A-Za-z0-9_.-]{0,63}", r"[A-Za-z0-9_.-]{1,64}")
# The same change as a full match would read it, which only the empty string tells apart.
ANCHORED_CLIENT_TOKEN = (r"^[A-Za-z0-9_.-]{0,63}$", r"^[A-Za-z0-9_.-]{1,64}$")


def _token_pair(
    make_model: ModelFactory, patterns: tuple[str, str]
) -> tuple[ServiceModel, ServiceModel]:
    """CreateAssertion with its clientToken, as in 1.44.5 and 1.44.6, cut down."""

    def model(pattern: str, low: int, high: int) -> ServiceModel:
        token = {"type": "string", "min": low, "max": high, "pattern": pattern}
        request = {
            "type": "structure",
            "members": {"clientToken": {"shape": "ClientToken", "idempotencyToken": True}},
        }
        shapes = {"ClientToken": token, "CreateAssertionRequest": request}
        operations = {"CreateAssertion": operation("CreateAssertion", "CreateAssertionRequest")}
        return make_model(shapes, operations, CLIENT_METADATA)

    return model(patterns[0], 1, 63), model(patterns[1], 1, 64)


def _pattern_change(found: tuple[ClassifiedChange, ...]) -> ClassifiedChange:
    (classified,) = [c for c in found if c.change.aspect == "pattern"]
    assert classified.change.kind is ChangeKind.CONSTRAINT_CHANGED
    return classified


def _sent(model: ServiceModel, token: str) -> Any:
    """What botocore's serializer puts on the wire for CreateAssertion(clientToken=token)."""
    operation_model = botocore_model(model).operation_model("CreateAssertion")
    request = create_serializer("rest-json").serialize_to_request(
        {"clientToken": token}, operation_model
    )
    return json.loads(request["body"])["clientToken"]


def test_an_empty_witness_the_old_minimum_refused_proves_nothing(
    make_model: ModelFactory,
) -> None:
    old, new = _token_pair(make_model, ANCHORED_CLIENT_TOKEN)

    classified = _pattern_change(classify_pair(old, new))

    # Unlimited, the empty string is the one string lost...
    assert compare_patterns(*ANCHORED_CLIENT_TOKEN).witness == ""
    # ...which botocore refuses under both models before anything is sent.
    for model in (old, new):
        operation_model = botocore_model(model).operation_model("CreateAssertion")
        refusal = request_rejection(operation_model, {"clientToken": ""})
        assert refusal is not None and "valid min length: 1" in refusal
    assert classified.rule == "constraint.pattern.equivalent"
    assert classified.severity(SDK) is Severity.INFO
    assert classified.severity(WIRE) is Severity.INFO
    detail = classified.classification.detail
    assert detail is not None and "'' matches the old pattern" in detail
    assert "already refused it" in detail


def test_a_searched_token_still_loses_a_string_the_old_limits_allow(
    make_model: ModelFactory,
) -> None:
    old, new = _token_pair(make_model, CLIENT_TOKEN)

    classified = _pattern_change(classify_pair(old, new))

    verdict = compare_patterns(*CLIENT_TOKEN, StringLimits(min_length=1, max_length=63))
    assert classified.rule == "constraint.pattern.tightened"
    assert classified.severity(SDK) is Severity.RISKY
    witness = verdict.witness
    assert witness is not None and 1 <= len(witness) <= 63
    assert pattern_accepts(CLIENT_TOKEN[0], witness)
    assert not pattern_accepts(CLIENT_TOKEN[1], witness)
    detail = classified.classification.detail
    assert detail is not None and f"{witness!r} matches the old pattern" in detail
    # botocore checks no pattern: the witness passes its validation and goes out unchanged,
    # for the service to refuse under the new pattern.
    for model in (old, new):
        operation_model = botocore_model(model).operation_model("CreateAssertion")
        assert request_rejection(operation_model, {"clientToken": witness}) is None
        assert _sent(model, witness) == witness


@pytest.mark.parametrize(
    ("old", "new", "limits", "change"),
    [
        # Longer strings are lost, but the old maximum refused them.
        ("^a+$", "^a{1,3}$", StringLimits(max_length=3), EQUIVALENT),
        ("^a+$", "^a{1,3}$", StringLimits(max_length=4), TIGHTENED),
        # Every enum value matches the new pattern.
        (None, "^[A-Z_]+$", StringLimits(enum=("INGEST", "QUERY")), EQUIVALENT),
        (None, "^[A-Z_]+$", StringLimits(enum=("INGEST", "query")), TIGHTENED),
        # The enum refused what is lost; the new pattern lets one more value through.
        ("^(A|B)$", "^(A|C)$", StringLimits(enum=("A", "C")), LOOSENED),
        # A minimum the shortest witness misses leaves a longer one.
        (None, "[a-z]", StringLimits(min_length=2), TIGHTENED),
    ],
)
def test_a_witness_is_sought_among_the_strings_the_limits_allow(
    old: str | None, new: str, limits: StringLimits, change: PatternChange
) -> None:
    verdict = compare_patterns(old, new, limits)

    assert verdict.change is change
    if change is TIGHTENED:
        assert verdict.witness is not None and limits.allow(verdict.witness)
    else:
        assert verdict.refused_before is not None and not limits.allow(verdict.refused_before)


def test_the_limits_of_a_shape_are_its_min_max_and_enum() -> None:
    shape = {"type": "string", "min": 1, "max": 4, "enum": ["A", "B"], "pattern": "x"}

    assert StringLimits.of_shape(shape) == StringLimits(1, 4, ("A", "B"))
    assert StringLimits.of_shape({"type": "string"}) == NO_LIMITS


PATTERNS = [None, "^[a-c]+$", "^[a-c]{1,3}$", "[ab]", "^a|c$", "b{2}", "(ab)+", "^[^b]*$"]


@settings(max_examples=300, deadline=None)
@given(
    old=st.sampled_from(PATTERNS),
    new=st.sampled_from(PATTERNS),
    low=st.integers(0, 3),
    extra=st.one_of(st.none(), st.integers(0, 3)),
    enum=st.one_of(st.none(), st.lists(st.text("abc", max_size=4), min_size=1, max_size=3)),
    value=st.text(alphabet="abc\n", max_size=6),
)
def test_a_verdict_within_limits_holds_for_every_string_they_allow(
    old: str | None,
    new: str | None,
    low: int,
    extra: int | None,
    enum: list[str] | None,
    value: str,
) -> None:
    limits = StringLimits(
        low, None if extra is None else low + extra, tuple(enum) if enum else None
    )
    verdict = compare_patterns(old, new, limits)
    assert verdict.change is not UNDECIDED
    if verdict.change is TIGHTENED:
        witness = verdict.witness
        assert witness is not None and limits.allow(witness)
        assert pattern_accepts(old, witness) and not pattern_accepts(new, witness)
    elif limits.allow(value):
        assert not pattern_accepts(old, value) or pattern_accepts(new, value), (old, new, value)
        if verdict.change is EQUIVALENT:
            assert pattern_accepts(old, value) == pattern_accepts(new, value)


def test_a_verdict_within_limits_is_remembered_apart_from_the_unlimited_one(
    tmp_path: Path,
) -> None:
    limits = StringLimits(min_length=1, max_length=63)
    compare_patterns.cache_clear()
    with remembering(PatternVerdicts(tmp_path)):
        unlimited = compare_patterns(*ANCHORED_CLIENT_TOKEN)
        limited = compare_patterns(*ANCHORED_CLIENT_TOKEN, limits)
    compare_patterns.cache_clear()

    verdicts = PatternVerdicts(tmp_path)
    assert verdicts.recall(*ANCHORED_CLIENT_TOKEN) == unlimited
    assert verdicts.recall(*ANCHORED_CLIENT_TOKEN, limits) == limited
    assert unlimited.change is TIGHTENED and limited.change is EQUIVALENT
    assert verdicts.recall(*ANCHORED_CLIENT_TOKEN, StringLimits(min_length=2)) is None
    # A remembered verdict keeps the string the limits refused, for the reader.
    assert limited == PatternVerdict(EQUIVALENT, refused_before="")


def test_the_witness_is_the_same_in_every_process() -> None:
    # The automaton library lists a pattern's character classes in set order, which string
    # hashing changes from one process to the next.
    script = (
        "from apidiff.classify.patterns import compare_patterns;"
        "print(compare_patterns('mrsa-[A-Za-z0-9]{13}', 'mrsa-[a-z0-9]{13}').witness)"
    )
    witnesses = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(witnesses) == 1


@pytest.mark.network
def test_resiliencehubv2_1_44_6_client_token_is_judged_within_its_old_limits() -> None:
    index = PackageIndex.from_environment()
    old, new = (_release(version, index) for version in ("1.44.5", "1.44.6"))

    found = classify_pair(old, new)

    classified = _pattern_change(tuple(c for c in found if c.change.shape == "ClientToken"))
    assert (classified.change.old, classified.change.new) == CLIENT_TOKEN
    witness = compare_patterns(*CLIENT_TOKEN, StringLimits.of_shape(old.shapes["ClientToken"]))
    assert witness.witness and 1 <= len(witness.witness) <= 63
    detail = classified.classification.detail
    assert detail is not None and detail.startswith(repr(witness.witness))
    operation_model = botocore_model(old).operation_model("CreateAssertion")
    refusal = request_rejection(
        operation_model, {"serviceArn": "a", "text": "t", "clientToken": ""}
    )
    assert refusal is not None and "valid min length: 1" in refusal


def _release(version: str, index: PackageIndex) -> ServiceModel:
    source = open_source(f"botocore=={version}", index)
    return load_service_model(source.service_files("resiliencehubv2"), source.provenance)
