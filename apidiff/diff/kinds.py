"""Every kind of change the diff can find, with the sentence that describes one.

This module is the table of contents of the diff: each kind names the function in
`apidiff/diff/` that detects it. Severities live in `apidiff/classify/`.
"""

from enum import StrEnum


class ChangeKind(StrEnum):
    # service.py
    SERVICE_ADDED = "service.added"
    SERVICE_REMOVED = "service.removed"
    METADATA_CHANGED = "metadata.changed"
    SERVICE_DOCS_CHANGED = "service.documentation.changed"
    # operations.py
    OPERATION_ADDED = "operation.added"
    OPERATION_REMOVED = "operation.removed"
    OPERATION_INPUT_CHANGED = "operation.input.changed"
    OPERATION_OUTPUT_CHANGED = "operation.output.changed"
    OPERATION_ERROR_ADDED = "operation.error.added"
    OPERATION_ERROR_REMOVED = "operation.error.removed"
    OPERATION_HTTP_CHANGED = "operation.http.changed"
    OPERATION_TRAIT_CHANGED = "operation.trait.changed"
    OPERATION_DOCS_CHANGED = "operation.documentation.changed"
    # shapes.py
    SHAPE_ADDED = "shape.added"
    SHAPE_REMOVED = "shape.removed"
    SHAPE_TYPE_CHANGED = "shape.type.changed"
    SHAPE_TRAIT_CHANGED = "shape.trait.changed"
    SHAPE_DOCS_CHANGED = "shape.documentation.changed"
    CONSTRAINT_CHANGED = "constraint.changed"
    ENUM_VALUE_ADDED = "enum.value.added"
    ENUM_VALUE_REMOVED = "enum.value.removed"
    MEMBER_ADDED = "member.added"
    MEMBER_REMOVED = "member.removed"
    MEMBER_TARGET_CHANGED = "member.target.changed"
    MEMBER_TYPE_CHANGED = "member.type.changed"  # retarget.py
    MEMBER_REQUIRED_ADDED = "member.required.added"
    MEMBER_REQUIRED_REMOVED = "member.required.removed"
    MEMBER_TRAIT_CHANGED = "member.trait.changed"
    MEMBER_DOCS_CHANGED = "member.documentation.changed"
    # companions.py
    PAGINATOR_ADDED = "paginator.added"
    PAGINATOR_REMOVED = "paginator.removed"
    PAGINATOR_CHANGED = "paginator.changed"
    WAITER_ADDED = "waiter.added"
    WAITER_REMOVED = "waiter.removed"
    WAITER_CHANGED = "waiter.changed"
    # endpoints.py
    ENDPOINT_CHANGED = "endpoint.changed"
    ENDPOINT_AUTH_CHANGED = "endpoint.auth.changed"
    ENDPOINT_HEADERS_CHANGED = "endpoint.headers.changed"


# What an endpoint rule set resolves to: found for sets of parameters, in its own file.
ENDPOINT_KINDS = frozenset(
    {
        ChangeKind.ENDPOINT_CHANGED,
        ChangeKind.ENDPOINT_AUTH_CHANGED,
        ChangeKind.ENDPOINT_HEADERS_CHANGED,
    }
)


# What a reader is told about one change. Placeholders name the fields of `Change`.
DESCRIPTIONS: dict[ChangeKind, str] = {
    ChangeKind.SERVICE_ADDED: "service {aspect} added (api version {new})",
    ChangeKind.SERVICE_REMOVED: "service {aspect} removed (api version {old})",
    ChangeKind.METADATA_CHANGED: "service metadata {aspect} changed: {old} -> {new}",
    ChangeKind.SERVICE_DOCS_CHANGED: "service documentation changed",
    ChangeKind.OPERATION_ADDED: "operation {operation} added",
    ChangeKind.OPERATION_REMOVED: "operation {operation} removed",
    ChangeKind.OPERATION_INPUT_CHANGED: "operation {operation} input changed: {old} -> {new}",
    ChangeKind.OPERATION_OUTPUT_CHANGED: "operation {operation} output changed: {old} -> {new}",
    ChangeKind.OPERATION_ERROR_ADDED: "operation {operation} may now raise {aspect}",
    ChangeKind.OPERATION_ERROR_REMOVED: "operation {operation} no longer raises {aspect}",
    ChangeKind.OPERATION_HTTP_CHANGED: "operation {operation} http.{aspect}: {old} -> {new}",
    ChangeKind.OPERATION_TRAIT_CHANGED: "operation {operation} {aspect} changed: {old} -> {new}",
    ChangeKind.OPERATION_DOCS_CHANGED: "operation {operation} documentation changed",
    ChangeKind.SHAPE_ADDED: "shape {shape} added",
    ChangeKind.SHAPE_REMOVED: "shape {shape} removed",
    ChangeKind.SHAPE_TYPE_CHANGED: "shape {shape} type changed: {old} -> {new}",
    ChangeKind.SHAPE_TRAIT_CHANGED: "shape {shape} {aspect} changed: {old} -> {new}",
    ChangeKind.SHAPE_DOCS_CHANGED: "shape {shape} documentation changed",
    ChangeKind.CONSTRAINT_CHANGED: "shape {shape} {aspect} changed: {old} -> {new}",
    ChangeKind.ENUM_VALUE_ADDED: "shape {shape} enum value {new} added",
    ChangeKind.ENUM_VALUE_REMOVED: "shape {shape} enum value {old} removed",
    ChangeKind.MEMBER_ADDED: "member {shape}.{member} added",
    ChangeKind.MEMBER_REMOVED: "member {shape}.{member} removed",
    ChangeKind.MEMBER_TARGET_CHANGED: "member {shape}.{member} target changed: {old} -> {new}",
    ChangeKind.MEMBER_TYPE_CHANGED: "member {shape}.{member} type changed: {old} -> {new}",
    ChangeKind.MEMBER_REQUIRED_ADDED: "member {shape}.{member} is now required",
    ChangeKind.MEMBER_REQUIRED_REMOVED: "member {shape}.{member} is no longer required",
    ChangeKind.MEMBER_TRAIT_CHANGED: "member {shape}.{member} {aspect} changed: {old} -> {new}",
    ChangeKind.MEMBER_DOCS_CHANGED: "member {shape}.{member} documentation changed",
    ChangeKind.PAGINATOR_ADDED: "paginator {operation} added",
    ChangeKind.PAGINATOR_REMOVED: "paginator {operation} removed",
    ChangeKind.PAGINATOR_CHANGED: "paginator {operation} {aspect} changed: {old} -> {new}",
    ChangeKind.WAITER_ADDED: "waiter {aspect} added",
    ChangeKind.WAITER_REMOVED: "waiter {aspect} removed",
    ChangeKind.WAITER_CHANGED: "waiter {aspect} changed: {old} -> {new}",
    ChangeKind.ENDPOINT_CHANGED: "endpoint for {aspect} changed: {old} -> {new}",
    ChangeKind.ENDPOINT_AUTH_CHANGED: "endpoint for {aspect} signed as {old} -> {new}",
    ChangeKind.ENDPOINT_HEADERS_CHANGED: "endpoint for {aspect} headers changed: {old} -> {new}",
}
