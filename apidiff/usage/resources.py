"""boto3's resource models: which operation a resource's action or collection calls.

boto3 ships one `resources-1.json` per service that has resources (s3, dynamodb, ec2, iam,
sqs, sns, cloudformation, cloudwatch, glacier). The service resource and each resource
type name their sub-resources (`has`), actions and collections (`hasMany`), each action or
collection with the operation it requests and the parameters boto3 fills in itself from the
resource's identifiers (`Bucket`, `TableName`). Python names are `xform_name` of the model's
(`PutItem` → `put_item`, `Objects` → `objects`), as boto3's resource factory makes them.

The models are read from the importable boto3's data folder, found without importing it;
without boto3, resource calls are listed with their operations not mapped.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore import xform_name

# What a collection is called with to make its request (`batch` actions aside).
_COLLECTION_METHODS = frozenset({"all", "filter", "limit", "page_size", "pages"})
_LOAD_METHODS = frozenset({"load", "reload"})
# boto3 writes a parameter's place as a JMESPath-like target: `Delete.Objects[*].Key`.
_TARGET_INDEX = re.compile(r"\[[^\]]*\]")

Definition = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ResourceRequest:
    """The operation a resource call requests, and the parameters boto3 passes itself."""

    operation: str
    filled: tuple[str, ...]
    # A collection's method passes the code's arguments only when it is `filter`; an
    # action always does.
    takes_arguments: bool


class ResourceModels:
    """The resource models of one boto3 data folder, each read when first asked for."""

    def __init__(self, data: Path | None) -> None:
        self._data = data
        self._models: dict[str, Definition | None] = {}

    @classmethod
    def installed(cls) -> ResourceModels:
        """The importable boto3's models (none where boto3 is not installed)."""
        spec = importlib.util.find_spec("boto3")
        origin = spec.origin if spec is not None else None
        return cls(Path(origin).parent / "data" if origin else None)

    @property
    def available(self) -> bool:
        return self._data is not None and self._data.is_dir()

    def request(self, service: str, names: str) -> ResourceRequest | None:
        """What `names` (`Bucket.objects.filter`, `Table.put_item`, `create_bucket`) calls on
        the service's resource; None where the models do not say."""
        model = self._model(service)
        if model is None:
            return None
        parts = names.split(".")
        definition: Definition | None = model.get("service", {})
        while parts and parts[0][:1].isupper() and definition is not None:
            definition = _sub_resource(model, definition, parts.pop(0))
        if definition is None or not parts:
            return None
        return _member_request(definition, parts)

    def _model(self, service: str) -> Definition | None:
        if service not in self._models:
            self._models[service] = self._read(service)
        return self._models[service]

    def _read(self, service: str) -> Definition | None:
        if self._data is None:
            return None
        folder = self._data / service
        versions = sorted(folder.iterdir()) if folder.is_dir() else []
        for version in reversed(versions):
            path = version / "resources-1.json"
            if path.is_file():
                model: Definition = json.loads(path.read_text(encoding="utf-8"))
                return model
        return None


def _sub_resource(model: Definition, definition: Definition, name: str) -> Definition | None:
    reference = definition.get("has", {}).get(name)
    if reference is None:
        return None
    found: Definition | None = model.get("resources", {}).get(reference["resource"]["type"])
    return found


def _member_request(definition: Definition, parts: list[str]) -> ResourceRequest | None:
    name, rest = parts[0], parts[1:]
    if not rest and name in _LOAD_METHODS and "load" in definition:
        return _request(definition["load"]["request"], takes_arguments=False)
    if not rest:
        action = _by_python_name(definition.get("actions", {}), name)
        return _request(action["request"], takes_arguments=True) if action else None
    collection = _by_python_name(definition.get("hasMany", {}), name)
    if collection is None or rest[-1] not in _COLLECTION_METHODS:
        return None
    return _request(collection["request"], takes_arguments="filter" in rest)


def _by_python_name(members: Mapping[str, Definition], name: str) -> Definition | None:
    return next(
        (member for model_name, member in members.items() if xform_name(model_name) == name),
        None,
    )


def _request(request: Definition, *, takes_arguments: bool) -> ResourceRequest:
    filled = sorted(
        {_TARGET_INDEX.sub("[]", param["target"]) for param in request.get("params", ())}
    )
    return ResourceRequest(str(request["operation"]), tuple(filled), takes_arguments)
