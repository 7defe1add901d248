"""A real botocore client built from any model document, to ask botocore itself.

The model is written where botocore's loader looks first, beside an endpoint rule set that
sends every request to one fixed URL. The client never sends anything: every call goes
through a `Stubber`, which answers after the client has validated and serialized the call.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import botocore.session
from botocore.client import BaseClient
from botocore.exceptions import ClientError, ParamValidationError
from botocore.stub import Stubber

# The smallest rule set the endpoint resolver accepts: one unconditional endpoint.
ENDPOINT_RULE_SET: Mapping[str, Any] = {
    "version": "1.0",
    "parameters": {
        "Region": {"builtIn": "AWS::Region", "required": False, "type": "String"},
    },
    "rules": [
        {
            "conditions": [],
            "endpoint": {"url": "https://example.test", "properties": {}, "headers": {}},
            "type": "endpoint",
        }
    ],
}


class ModelClients:
    """Real clients of several models, built by one botocore session.

    Every model is written before the session starts: botocore's loader lists the services
    it can find once, and a session is costly enough (endpoints, handlers) to share.
    """

    def __init__(self, documents: Mapping[str, Mapping[str, Any]], data_dir: Path) -> None:
        for service, document in documents.items():
            folder = data_dir / service / document["metadata"]["apiVersion"]
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "service-2.json").write_text(json.dumps(document), encoding="utf-8")
            (folder / "endpoint-rule-set-1.json").write_text(
                json.dumps(ENDPOINT_RULE_SET), encoding="utf-8"
            )
        self._documents = documents
        self._session = botocore.session.Session()
        self._session.get_component("data_loader").search_paths.insert(0, str(data_dir))

    @contextmanager
    def client(self, service: str) -> Iterator[BaseClient]:
        client = self._session.create_client(
            service,
            region_name="us-east-1",
            # A service none of the models is: botocore looks for it in its own data.
            api_version=self._documents.get(service, {}).get("metadata", {}).get("apiVersion"),
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        try:
            yield client
        finally:
            client.close()


def call_rejection(client: BaseClient, operation: str, params: dict[str, Any]) -> str | None:
    """The ParamValidationError a real call raises, if any (the call itself is stubbed)."""
    method = _method_name(client, operation)
    with Stubber(client) as stubber:
        # An error answer is never validated, so it stands in for any response.
        stubber.add_client_error(method, service_error_code="Stubbed")
        try:
            getattr(client, method)(**params)
        except ParamValidationError as error:
            return str(error)
        except ClientError:
            return None
    raise AssertionError("the stubbed call returned instead of raising the stubbed error")


def stub_rejection(client: BaseClient, operation: str, response: dict[str, Any]) -> str | None:
    """The ParamValidationError Stubber.add_response raises for `response`, if any."""
    with Stubber(client) as stubber:
        try:
            stubber.add_response(_method_name(client, operation), response)
        except ParamValidationError as error:
            return str(error)
    return None


def stub_error_rejection(client: BaseClient, code: str, fields: dict[str, Any]) -> str | None:
    """The ParamValidationError Stubber.add_client_error raises for modelled fields, if any."""
    method = next(iter(client.meta.method_to_api_mapping))
    with Stubber(client) as stubber:
        try:
            stubber.add_client_error(method, service_error_code=code, modeled_fields=fields)
        except ParamValidationError as error:
            return str(error)
    return None


def _method_name(client: BaseClient, operation: str) -> str:
    methods = {api: method for method, api in client.meta.method_to_api_mapping.items()}
    return methods[operation]
