"""Stage five: turn the diff of one service into its release note, documentation included."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from botocore import xform_name

from apidiff.classify import Classification
from apidiff.diff import EMPTY_DELTA, ModelDiff, OperationDelta
from apidiff.report.report import ChangeRecord, OperationReport, ServiceReport

if TYPE_CHECKING:
    from apidiff.report.method_docs import MethodDocumenter


def build_service_report(
    model_diff: ModelDiff,
    classifications: tuple[Classification, ...],
    *,
    date: dt.date | None,
    changelog: tuple[str, ...] | None,
    with_docs: bool = True,
    old_exists: bool = True,
    new_exists: bool = True,
) -> ServiceReport:
    old, new = model_diff.old, model_diff.new
    new_docs = old_docs = None
    if with_docs:
        # Imported here: a report without documentation (the default) needs no documenter.
        from apidiff.report.method_docs import MethodDocumenter

        new_docs, old_docs = MethodDocumenter(new), MethodDocumenter(old)
    return ServiceReport(
        service=new.name,
        full_name=new.full_name,
        old_api_version=old.api_version if old_exists else None,
        new_api_version=new.api_version if new_exists else None,
        date=date,
        changelog=changelog,
        new_operations=tuple(
            _operation_report(OperationDelta(name, EMPTY_DELTA, EMPTY_DELTA), new_docs)
            for name in model_diff.added_operations
        ),
        removed_operations=tuple(
            _operation_report(OperationDelta(name, EMPTY_DELTA, EMPTY_DELTA), old_docs)
            for name in model_diff.removed_operations
        ),
        updated_operations=tuple(
            _operation_report(delta, new_docs) for delta in model_diff.updated_operations
        ),
        changes=tuple(
            ChangeRecord(
                change=projected.change,
                reaches=projected.reaches,
                rule=classification.rule,
                severity=classification.severity,
                fingerprint=classification.fingerprint,
                detail=classification.detail,
            )
            for projected, classification in zip(model_diff.changes, classifications, strict=True)
        ),
    )


def _operation_report(
    delta: OperationDelta, documenter: MethodDocumenter | None
) -> OperationReport:
    return OperationReport(
        name=delta.operation,
        method=xform_name(delta.operation),
        request=delta.request,
        response=delta.response,
        documentation=documenter.document(delta.operation) if documenter else None,
    )
