"""Turn one service's files into a `ServiceModel`: parse, validate, and keep where it came from."""

from __future__ import annotations

from pathlib import Path

from apidiff.model.document import parse_companion_document, parse_model_document
from apidiff.model.service_model import ServiceModel
from apidiff.model.verdicts import ModelVerdicts
from apidiff.sources.base import Provenance, ServiceFiles


def load_service_model(
    files: ServiceFiles, provenance: Provenance, verdicts: ModelVerdicts | None = None
) -> ServiceModel:
    """The model in `files`, checked (unless `verdicts` knows its bytes to be valid)."""
    return ServiceModel(
        name=files.service,
        api_version=files.api_version,
        document=parse_model_document(files.model.data, Path(files.model.path), verdicts),
        provenance=provenance,
        paginators=(
            parse_companion_document(files.paginators.data, Path(files.paginators.path))
            if files.paginators
            else None
        ),
        waiters=(
            parse_companion_document(files.waiters.data, Path(files.waiters.path))
            if files.waiters
            else None
        ),
    )
