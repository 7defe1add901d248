"""Scanned calls in botocore's terms: the operation a method calls, as botocore maps it, and
the member paths of what is passed and read.

A client's methods are its operations' names through `xform_name` (`ListObjectsV2` →
`list_objects_v2`); `get_paginator` takes an operation's method name, `get_waiter` a
waiter's name the same way. Anything else on a client (`close`, `meta`, `can_paginate`,
a name the model does not know) is no call of an operation. Only the services the code
names are read from the source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from botocore import xform_name
from botocore.utils import SERVICE_NAME_ALIASES

from apidiff.model import ServiceModel
from apidiff.model.load import load_service_model
from apidiff.model.verdicts import ModelVerdicts
from apidiff.sources.base import ModelSource
from apidiff.usage.calls import (
    ITEMS,
    MAP_KEYS,
    VALUES,
    Argument,
    ArgumentForm,
    CallKind,
    CallSite,
    LiteralValue,
    Location,
    ScannedCall,
    ScanResult,
    Usage,
)
from apidiff.usage.resources import ResourceModels

# What paginate() and wait() take besides the operation's parameters.
_CONFIG_PARAMETERS = {CallKind.PAGINATE: "PaginationConfig", CallKind.WAIT: "WaiterConfig"}

Shape = Mapping[str, Any]


class ServiceOperations:
    """One service's methods, paginators and waiters, by their Python names."""

    def __init__(self, model: ServiceModel) -> None:
        self.model = model
        self._shapes = model.shapes
        self.methods = {xform_name(name): name for name in model.operations}
        pagination = (model.paginators or {}).get("pagination", {})
        self.paginators = {xform_name(name): name for name in pagination}
        # Python name -> (waiter, the operation it polls).
        self.waiters = {
            xform_name(name): (name, str(waiter.get("operation", "")))
            for name, waiter in (model.waiters or {}).get("waiters", {}).items()
        }

    def shape(self, name: str | None) -> Shape | None:
        return self._shapes.get(name) if name else None

    def root(self, operation: str, key: str) -> Shape | None:
        reference = self.model.operations.get(operation, {}).get(key)
        return self.shape(reference["shape"]) if reference else None


class OperationCatalog:
    """The services of one source, each read when first asked for."""

    def __init__(
        self,
        source: ModelSource,
        verdicts: ModelVerdicts | None = None,
        resources: ResourceModels | None = None,
    ) -> None:
        self._source = source
        self._verdicts = verdicts
        self.resources = resources if resources is not None else ResourceModels.installed()
        self._held = frozenset(source.services())
        self._services: dict[str, ServiceOperations | None] = {}

    @property
    def label(self) -> str:
        return self._source.provenance.label

    def service(self, name: str) -> ServiceOperations | None:
        """A service's operations; None where the source does not hold it."""
        if name not in self._services:
            found = None
            if name in self._held:
                files = self._source.service_files(name)
                model = load_service_model(files, self._source.provenance, self._verdicts)
                found = ServiceOperations(model)
            self._services[name] = found
        return self._services[name]


def map_usage(scan: ScanResult, catalog: OperationCatalog) -> Usage:
    """The scan's calls as call sites of the catalog's operations, in (file, line, column)
    order; methods that are no operation are left out."""
    # A call's site depends on all it holds but its place: calls alike (the same method
    # with the same literals and reads, common in a large code base) are mapped once.
    mapped: dict[tuple[Any, ...], CallSite | None] = {}
    sites: list[CallSite] = []
    for call in scan.calls:
        key = (
            call.service,
            call.kind,
            call.method,
            call.arguments,
            call.reads,
            call.hidden,
            call.inferred,
        )
        if key not in mapped:
            mapped[key] = map_call(call, catalog)
        site = mapped[key]
        if site is not None:
            sites.append(_placed(site, call.location))
    calls = tuple(sorted(sites, key=_site_order))
    return Usage(files=scan.files, calls=calls, problems=scan.problems, models=catalog.label)


def _placed(site: CallSite, location: Location) -> CallSite:
    # Field by field: dataclasses.replace takes as long as the mapping it saves.
    return CallSite(
        location,
        site.service,
        site.operation,
        site.method,
        site.kind,
        site.parameters,
        site.response_keys,
        site.literals,
        site.visible,
        site.reason,
        site.waiter,
    )


def _site_order(site: CallSite) -> tuple[Any, ...]:
    return (site.location, site.service or "", site.operation or "", site.kind.value)


def map_call(call: ScannedCall, catalog: OperationCatalog) -> CallSite | None:
    """One scanned call in the catalog's terms; None where its method is no operation."""
    unseen = _unseen(call)
    if call.service is None:
        return unseen
    service_name = SERVICE_NAME_ALIASES.get(call.service, call.service)
    service = catalog.service(service_name)
    if service is None and call.inferred:
        return None  # `.client("x")` of something that is no boto3 session.
    if service is None:
        return _replace_reason(unseen, service_name, f"service not in {catalog.label}")
    if call.method is None:
        return _replace_reason(unseen, service_name, call.hidden)
    if call.kind is CallKind.RESOURCE:
        return _resource_site(call, service_name, service, catalog.resources)
    waiter = None
    if call.kind is CallKind.CALL:
        operation = service.methods.get(call.method)
    elif call.kind is CallKind.PAGINATE:
        operation = service.paginators.get(call.method)
    else:
        waiter, operation = service.waiters.get(call.method, (None, None))
    if operation is None:
        return None
    return _site(call, service_name, service, operation, waiter=waiter)


def _resource_site(
    call: ScannedCall, service_name: str, service: ServiceOperations, resources: ResourceModels
) -> CallSite:
    """A resource's action or collection, as the operation boto3 requests for it; the
    parameters boto3 fills in from the resource's identifiers count as passed."""
    assert call.method is not None
    request = resources.request(service_name, call.method)
    if request is None:
        reason = (
            f"resource: boto3's resource models do not map {call.method}"
            if resources.available
            else "resource: operations not mapped (boto3 is not installed)"
        )
        return _replace_reason(_unseen(call), service_name, reason)
    arguments = call.arguments if request.takes_arguments else ()
    scanned = ScannedCall(
        call.location, call.service, call.kind, call.method, arguments, call.reads, call.hidden
    )
    return _site(scanned, service_name, service, request.operation, filled=request.filled)


def _unseen(call: ScannedCall) -> CallSite:
    return CallSite(
        location=call.location,
        service=call.service,
        operation=None,
        method=call.method,
        kind=call.kind,
        visible=False,
        reason=call.hidden,
    )


def _site(
    call: ScannedCall,
    service_name: str,
    service: ServiceOperations,
    operation: str,
    *,
    waiter: str | None = None,
    filled: tuple[str, ...] = (),
) -> CallSite:
    parameters, literals = _parameter_paths(call, service, operation)
    if filled:
        parameters = tuple(sorted({*parameters, *(p for t in filled for p in _with_holders(t))}))
    reads = _response_paths(call.reads, service, operation)
    return CallSite(
        location=call.location,
        service=service_name,
        operation=operation,
        method=call.method,
        kind=call.kind,
        parameters=parameters,
        response_keys=reads if call.kind is not CallKind.WAIT else (),
        literals=literals,
        visible=call.hidden is None,
        reason=call.hidden,
        waiter=waiter,
    )


def _with_holders(path: str) -> list[str]:
    """A path and every path above it: `Delete.Objects[].Key` → `Delete`, `Delete.Objects`..."""
    cuts = [index for index, char in enumerate(path) if char in ".[{" and index > 0]
    return [path[:index] for index in cuts if path[index - 1] not in "[{"] + [path]


def _replace_reason(site: CallSite, service: str, reason: str | None) -> CallSite:
    return CallSite(
        location=site.location,
        service=service,
        operation=None,
        method=site.method,
        kind=site.kind,
        visible=False,
        reason=reason,
    )


def _parameter_paths(
    call: ScannedCall, service: ServiceOperations, operation: str
) -> tuple[tuple[str, ...], tuple[LiteralValue, ...]]:
    paths: set[str] = set()
    literals: set[LiteralValue] = set()
    skipped = _CONFIG_PARAMETERS.get(call.kind)
    request = service.root(operation, "input")
    for name, argument in call.arguments:
        if name != skipped:
            member = _member(service, request, name)
            _walk_argument(argument, name, member, service, paths, literals)
    return tuple(sorted(paths)), tuple(sorted(literals, key=lambda v: (v.path, v.value)))


def _walk_argument(
    argument: Argument,
    path: str,
    shape: Shape | None,
    service: ServiceOperations,
    paths: set[str],
    literals: set[LiteralValue],
) -> None:
    paths.add(path)
    if argument.form is ArgumentForm.CONSTANT and argument.text is not None:
        literals.add(LiteralValue(path, argument.text))
    elif argument.form is ArgumentForm.DICT:
        if shape is not None and shape.get("type") == "map":
            value = service.shape(shape["value"]["shape"])
            for key, entry in argument.entries:
                # A map's keys can be enum values too: `{key}`, as Reach.path writes them.
                paths.add(path + MAP_KEYS)
                literals.add(LiteralValue(path + MAP_KEYS, key))
                _walk_argument(entry, path + VALUES, value, service, paths, literals)
            return
        for name, entry in argument.entries:
            member = _member(service, shape, name)
            _walk_argument(entry, f"{path}.{name}", member, service, paths, literals)
    elif argument.form is ArgumentForm.LIST:
        item = (
            service.shape(shape["member"]["shape"])
            if shape is not None and shape.get("type") == "list"
            else None
        )
        for entry in argument.items:
            _walk_argument(entry, path + ITEMS, item, service, paths, literals)


def _member(service: ServiceOperations, shape: Shape | None, name: str) -> Shape | None:
    if shape is None:
        return None
    reference = shape.get("members", {}).get(name)
    return service.shape(reference["shape"]) if reference else None


def _response_paths(
    reads: Iterable[tuple[str, ...]], service: ServiceOperations, operation: str
) -> tuple[str, ...]:
    """Every path read, with every path above it: reading `A.B` reads `A`."""
    found: set[str] = set()
    response = service.root(operation, "output")
    for steps in reads:
        path, shape = "", response
        for step in steps:
            kind = shape.get("type") if shape is not None else None
            if kind == "map" and shape is not None:
                path, shape = path + VALUES, service.shape(shape["value"]["shape"])
            elif step in (ITEMS, VALUES):
                item = shape["member"]["shape"] if shape is not None and kind == "list" else None
                path, shape = path + ITEMS, service.shape(item)
            else:
                path = f"{path}.{step}" if path else step
                shape = _member(service, shape, step)
            found.add(path)
    return tuple(sorted(found))
