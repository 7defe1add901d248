"""Shared test fixtures: small synthetic models, and the paths of the bundled real ones."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from apidiff.model import ServiceModel
from apidiff.sources.base import Provenance

REPO = Path(__file__).resolve().parent.parent
MODELS = REPO / "models"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

ModelFactory = Callable[..., ServiceModel]


def _model(
    shapes: Mapping[str, Any],
    operations: Mapping[str, Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    *,
    name: str = "example",
    paginators: Mapping[str, Any] | None = None,
    waiters: Mapping[str, Any] | None = None,
) -> ServiceModel:
    document = {
        "version": "2.0",
        "metadata": dict(
            metadata
            or {
                "apiVersion": "2020-01-01",
                "endpointPrefix": "example",
                "protocol": "json",
                "serviceFullName": "Example Service",
                "serviceId": "Example",
                "uid": "example-2020-01-01",
            }
        ),
        "operations": copy.deepcopy(dict(operations or {})),
        "shapes": copy.deepcopy(dict(shapes)),
    }
    return ServiceModel(
        name=name,
        api_version="2020-01-01",
        document=document,
        provenance=Provenance(spec="test", location="test"),
        paginators=paginators,
        waiters=waiters,
    )


@pytest.fixture
def make_model() -> ModelFactory:
    """Build a ServiceModel from shapes and operations (deep-copied, so tests can mutate)."""
    return _model


def operation(name: str, input_shape: str | None = None, output_shape: str | None = None) -> Any:
    """An operation definition as botocore writes it."""
    definition: dict[str, Any] = {"name": name, "http": {"method": "POST", "requestUri": "/"}}
    if input_shape:
        definition["input"] = {"shape": input_shape}
    if output_shape:
        definition["output"] = {"shape": output_shape}
    return definition
