"""Classifying synthetic model pairs: each change with the operations it reaches and its verdict."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from apidiff.classify import Classification, Perspective, Severity, classify_changes
from apidiff.classify.severity import most_severe
from apidiff.diff import Change, ChangeKind, Reach, diff_models
from apidiff.model import ServiceModel
from tests.conftest import ModelFactory, operation

# Enough metadata for botocore to build a real client from a synthetic model.
CLIENT_METADATA: Mapping[str, Any] = {
    "apiVersion": "2020-01-01",
    "endpointPrefix": "example",
    "protocol": "rest-json",
    "serviceFullName": "Example Service",
    "serviceId": "Example",
    "signatureVersion": "v4",
    "uid": "example-2020-01-01",
}
# The operations of most synthetic pairs: one call that sends, one that receives.
OPERATIONS: Mapping[str, Any] = {
    "Put": operation("Put", "PutRequest"),
    "Get": operation("Get", None, "GetResponse"),
}


@dataclass(frozen=True, slots=True)
class ClassifiedChange:
    """A change of a model pair, the operations it reaches, and how it was classified."""

    change: Change
    reaches: tuple[Reach, ...]
    classification: Classification

    @property
    def rule(self) -> str:
        return self.classification.rule

    def severity(self, perspective: Perspective = Perspective.SDK) -> Severity:
        return self.classification.severity[perspective]


def classify_pair(old: ServiceModel, new: ServiceModel) -> tuple[ClassifiedChange, ...]:
    model_diff = diff_models(old, new)
    return tuple(
        ClassifiedChange(projected.change, projected.reaches, classification)
        for projected, classification in zip(
            model_diff.changes, classify_changes(model_diff), strict=True
        )
    )


def the_change(found: tuple[ClassifiedChange, ...], kind: ChangeKind) -> ClassifiedChange:
    """The one change of `kind` among `found`; fails the test when there is not exactly one."""
    matching = [classified for classified in found if classified.change.kind is kind]
    assert len(matching) == 1, f"expected one {kind}, found {[c.change for c in found]}"
    return matching[0]


def gate(found: tuple[ClassifiedChange, ...], perspective: Perspective) -> Severity:
    """The severity a CI gate sees for a pair: the worst of its findings."""
    return most_severe([classified.severity(perspective) for classified in found])


ShapePairClassifier = Callable[..., tuple[ClassifiedChange, ...]]


@pytest.fixture
def classify_shapes(make_model: ModelFactory) -> ShapePairClassifier:
    """Classify the changes between two sets of shapes used by the same operations."""

    def classify(
        before: Mapping[str, Any],
        after: Mapping[str, Any],
        operations: Mapping[str, Any] = OPERATIONS,
        new_operations: Mapping[str, Any] | None = None,
    ) -> tuple[ClassifiedChange, ...]:
        return classify_pair(
            make_model(before, operations), make_model(after, new_operations or operations)
        )

    return classify
