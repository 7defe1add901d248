"""What botocore itself says about a request or a stubbed response, without a network.

A client validates a call's params in its serializer (`ParamValidationDecorator`), after
the `before-parameter-build` handlers have filled in top-level idempotency tokens; it skips
validation when the operation has no input. Stubber validates a stubbed response against
the output shape, and an error's modelled fields against the error code's shape, with the
same validator (stub.py `_validate_response`). These functions do exactly that, and
`test_botocore_proof.py` checks them against a real client and a real Stubber.
"""

from __future__ import annotations

import copy
from typing import Any

from botocore.handlers import generate_idempotent_uuid
from botocore.model import OperationModel, Shape
from botocore.model import ServiceModel as BotocoreModel
from botocore.validate import ParamValidator

from apidiff.model import ServiceModel


def botocore_model(model: ServiceModel) -> BotocoreModel:
    """botocore's own view of one of our models (it reads the same document)."""
    return BotocoreModel(dict(model.document), service_name=model.name)


def request_rejection(operation: OperationModel, params: dict[str, Any]) -> str | None:
    """botocore's ParamValidationError report for calling `operation` with `params`, if any."""
    if operation.input_shape is None:
        return None
    filled = copy.deepcopy(params)
    generate_idempotent_uuid(filled, operation)
    return shape_rejection(operation.input_shape, filled)


def response_rejection(operation: OperationModel, response: dict[str, Any]) -> str | None:
    """Stubber's ParamValidationError report for `add_response` with `response`, if any."""
    return stub_rejection(operation.output_shape, response)


def error_rejection(model: BotocoreModel, code: str, fields: dict[str, Any]) -> str | None:
    """Stubber's report for `add_client_error(code, modeled_fields=fields)`, if any."""
    # botocore-stubs types the code as int; botocore looks up the error's code string.
    return stub_rejection(model.shape_for_error_code(code), fields)  # type: ignore[arg-type]


def stub_rejection(shape: Shape | None, stubbed: dict[str, Any]) -> str | None:
    if shape is None:
        # Stubber: without an output shape the response must be empty but for its metadata.
        return "Service response should only contain ResponseMetadata." if stubbed else None
    return shape_rejection(shape, stubbed)


def shape_rejection(shape: Shape, value: Any) -> str | None:
    report = ParamValidator().validate(value, shape)
    return report.generate_report() if report.has_errors() else None
