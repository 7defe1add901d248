"""Replay probes in whichever botocore comes first on sys.path; run by replay_history.py.

    PYTHONPATH=<extracted botocore wheel>:<repo> python scripts/replay_worker.py [--data-dir D]
        < probes.json > outcomes.json

Reads a list of probes (JSON) on stdin and writes one outcome per probe on stdout. A probe
names a service and what to try on a real client of it (made by `botocore.session`, region
us-east-1, fake credentials): a call of an operation, an exception class, a waiter, a
paginator, an endpoint resolution. Nothing leaves the machine: a `before-send` handler
records the serialized request and answers with a canned HTTP response.

A probe either brings its params and canned response (the replay under the new release) or
asks for them to be built (under the old release): params valid for the operation, with a
value placed at the path of the change (`Forms[].FormTypeId`), and a response valid for its
output, encoded on the wire as the service's protocol would send it. `--data-dir` puts a
folder of models first on the loader's search path (the bundled models in tests).

This module imports botocore and the value builder of tests/classify only, never apidiff:
botocore is the release under test.
"""

from __future__ import annotations

import argparse
import ast
import base64
import contextlib
import datetime as dt
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(REPO_ROOT))

import botocore  # noqa: E402
import botocore.session  # noqa: E402
from botocore.awsrequest import AWSResponse  # noqa: E402
from botocore.client import BaseClient  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import (  # noqa: E402
    BotoCoreError,
    UnknownServiceError,
    WaiterError,
)
from botocore.model import (  # noqa: E402
    ListShape,
    MapShape,
    OperationModel,
    Shape,
    StructureShape,
)
from botocore.parsers import RpcV2CBORParser  # noqa: E402
from botocore.serialize import create_serializer  # noqa: E402

from tests.classify.valid_values import ValueBuilder  # noqa: E402

Json = Any
# One thing to try on a client: its "probe" kind (client, exception, paginator, waiter,
# endpoint, call), its service, the change it meets, and what the kind needs.
Probe = dict[str, Any]


# --- JSON for values botocore takes and gives: timestamps, bytes and streams are tagged.


def encode_value(value: Any) -> Json:
    if isinstance(value, dt.datetime):
        return {"$timestamp": value.isoformat()}
    if isinstance(value, bytes | bytearray):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if hasattr(value, "read") and callable(value.read):
        return {"$bytes": base64.b64encode(value.read()).decode("ascii")}
    if isinstance(value, dict):
        return {str(key): encode_value(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [encode_value(inner) for inner in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    # An event stream and the like: what it is, not what it holds.
    return {"$object": type(value).__name__}


def decode_value(value: Json) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$timestamp"}:
            return dt.datetime.fromisoformat(value["$timestamp"])
        if set(value) == {"$bytes"}:
            return base64.b64decode(value["$bytes"])
        return {key: decode_value(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [decode_value(inner) for inner in value]
    return value


# --- values with something placed at a member path


def path_steps(path: str) -> list[str]:
    """`Forms[].Items{}.Name` -> ["Forms", "[]", "Items", "{}", "Name"]; `{key}` is a map's key."""
    return [step for step in PATH_STEP.findall(path) if step != "."]


PATH_STEP = re.compile(r"\[\]|\{key\}|\{\}|[^.\[{]+|\.")


def place(value: Any, shape: Shape, steps: list[str], leaf: Callable[[Shape], Any] | None) -> Any:
    """`value` (built for `shape`) with the member at `steps` present: `leaf(shape)` where it
    is given, else the value there or a minimal one. Raises KeyError where a step is not in
    the shape."""
    if not steps:
        if leaf is not None:
            return leaf(shape)
        return value if value is not None else ValueBuilder(full=False).value(shape)
    step, rest = steps[0], steps[1:]
    if step == "[]" and isinstance(shape, ListShape):
        item = value[0] if isinstance(value, list) and value else None
        return [place(item, shape.member, rest, leaf)]
    if step == "{key}" and isinstance(shape, MapShape):
        key = place(None, shape.key, rest, leaf)
        return {key: ValueBuilder(full=False).value(shape.value)}
    if step == "{}" and isinstance(shape, MapShape):
        key = ValueBuilder(full=False).value(shape.key)
        inner = next(iter(value.values()), None) if isinstance(value, dict) and value else None
        return {key: place(inner, shape.value, rest, leaf)}
    if not isinstance(shape, StructureShape):
        raise KeyError(f"{step} in a {shape.type_name}")
    if value is None or not isinstance(value, dict):
        value = ValueBuilder(full=False).value(shape)
    if shape.is_tagged_union:
        value = {}
    if step not in shape.members and not rest and leaf is not None:
        # A member the old model does not have, which its callers leave out.
        return {key: inner for key, inner in value.items() if key != step}
    placed = place(value.get(step), shape.members[step], rest, leaf)
    if placed is OMIT:
        return {key: inner for key, inner in value.items() if key != step}
    return {**value, step: placed}


def leaf_for(
    change: dict[str, Any], detail: str | None, side: str
) -> Callable[[Shape], Any] | None:
    """The value that meets the change at its path, where the change asks for one: on the
    old release's side ("old"), what a caller or service of the old model may send (a short
    string for a raised minimum, the removed enum value, no member that was optional); on
    the new side ("new"), what a service of the new model may send (no member that is no
    longer required)."""
    kind, aspect, old, new = change["kind"], change["aspect"], change["old"], change["new"]
    if side == "new":
        return (lambda _shape: OMIT) if kind == "member.required.removed" else None
    if kind == "constraint.changed" and aspect == "min":
        low = old if isinstance(old, int | float) else 0
        return lambda shape: _sized(shape, int(low))
    if kind == "constraint.changed" and aspect == "max" and isinstance(new, int | float):
        return lambda shape: _sized(shape, int(new) + 1)
    if kind == "constraint.changed" and aspect == "pattern" and detail and " matches " in detail:
        witness = ast.literal_eval(detail.split(" matches ")[0])
        return lambda _shape: witness
    if kind == "enum.value.removed":
        return lambda _shape: old
    if kind in ("member.required.added", "member.added"):
        # A caller of the old release leaves the member out.
        return lambda _shape: OMIT
    return None


# A leaf that leaves the member at the end of the path out.
OMIT = object()


def _sized(shape: Shape, size: int) -> Any:
    if shape.type_name == "string":
        return "x" * size
    if shape.type_name == "blob":
        return b"x" * size
    if isinstance(shape, ListShape):
        return [ValueBuilder(full=False).value(shape.member) for _ in range(size)]
    if isinstance(shape, MapShape):
        builder = ValueBuilder(full=False)
        return {f"k{index}": builder.value(shape.value) for index in range(size)}
    if shape.type_name in ("double", "float"):
        return float(size)
    return size


# --- canned HTTP responses, as the service's protocol sends them


class CannedBody:
    def __init__(self, body: bytes) -> None:
        self._body = body
        self._read = False

    def stream(self, **_kwargs: Any) -> Iterator[bytes]:
        yield self.read()

    def read(self, amt: int | None = None) -> bytes:
        if self._read:
            return b""
        self._read = True
        return self._body


def encode_response(
    client: BaseClient, operation: OperationModel, value: dict[str, Any]
) -> dict[str, Any]:
    """The HTTP response a service of this protocol sends for `value` of the output shape:
    botocore's own serializer run over the output shape as if it were an input, then
    rearranged where responses differ from requests (XML envelopes, status code)."""
    protocol = _protocol(client)
    output = operation.output_shape
    status = 200
    if output is None:
        return {"status": status, "headers": {}, "body": ""}
    for name, member in output.members.items():
        if member.serialization.get("location") == "statusCode" and name in value:
            status = int(value.pop(name))
    as_input = OperationModel(
        {
            "name": operation.name,
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": output.name},
        },
        client.meta.service_model,
        operation.name,
    )
    serializer_protocol = "rest-xml" if protocol in ("query", "ec2") else protocol
    request = create_serializer(serializer_protocol, include_validation=False).serialize_to_request(
        value, as_input
    )
    body = request["body"]
    body = body if isinstance(body, bytes) else str(body).encode("utf-8")
    headers = dict(request["headers"])
    if protocol in ("query", "ec2"):
        body = _query_envelope(body, operation, output, protocol)
        headers = {}
    if protocol == "smithy-rpc-v2-cbor":
        headers["smithy-protocol"] = "rpc-v2-cbor"
    headers.pop("Content-Type", None)
    return {"status": status, "headers": headers, "body": base64.b64encode(body).decode("ascii")}


def _query_envelope(body: bytes, operation: OperationModel, output: Shape, protocol: str) -> bytes:
    inner = ET.fromstring(body) if body else ET.Element("x")
    root = ET.Element(f"{operation.name}Response")
    holder = root
    wrapper = output.serialization.get("resultWrapper")
    if protocol == "query":
        holder = ET.SubElement(root, wrapper or f"{operation.name}Result")
    holder.extend(list(inner))
    return ET.tostring(root)


def _protocol(client: BaseClient) -> str:
    """The protocol the client speaks: botocore picks one of a model's `protocols` where it
    can, and older botocore reads `protocol` only."""
    model = client.meta.service_model
    return str(getattr(model, "resolved_protocol", model.protocol))


def error_response(client: BaseClient, code: str) -> dict[str, Any]:
    """An error answer with `code`, as the protocol sends one."""
    protocol = _protocol(client)
    if protocol in ("json", "rest-json"):
        body = json.dumps({"__type": code, "message": "replayed"}).encode()
        headers = {"x-amzn-ErrorType": code}
    elif protocol == "query":
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
            "<Message>replayed</Message></Error><RequestId>r</RequestId></ErrorResponse>"
        ).encode()
        headers = {}
    elif protocol == "ec2":
        body = (
            f"<Response><Errors><Error><Code>{code}</Code><Message>replayed</Message>"
            "</Error></Errors><RequestID>r</RequestID></Response>"
        ).encode()
        headers = {}
    else:
        body = f"<Error><Code>{code}</Code><Message>replayed</Message></Error>".encode()
        headers = {}
    return {"status": 400, "headers": headers, "body": base64.b64encode(body).decode("ascii")}


# --- the client and its answered calls


class Replayer:
    def __init__(self, data_dir: str | None) -> None:
        self.session = botocore.session.Session()
        if data_dir:
            self.session.get_component("data_loader").search_paths.insert(0, data_dir)
        self.sent: list[dict[str, Any]] = []
        self.answer: dict[str, Any] = {"status": 200, "headers": {}, "body": ""}
        self.pages: list[dict[str, Any]] = []
        self._clients: dict[str, BaseClient] = {}

    def client(self, service: str) -> BaseClient:
        """One client per service, made once (a model of thousands of shapes is slow to load)."""
        if service not in self._clients:
            self._clients[service] = self._new_client(service)
        return self._clients[service]

    def _new_client(self, service: str) -> BaseClient:
        client = self.session.create_client(
            service,
            region_name="us-east-1",
            # Both releases retry alike, so a changed retry count is the model's doing.
            config=Config(retries={"mode": "standard", "max_attempts": 3}),
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        client.meta.events.register("before-send", self._send)
        return client

    def _send(self, request: Any, **_kwargs: Any) -> AWSResponse:
        self.sent.append(
            {
                "method": request.method,
                "url": request.url,
                "body": canonical_body(request.body),
                "headers": {
                    key: value.decode() if isinstance(value, bytes) else value
                    for key, value in request.headers.items()
                    if key.lower() not in VOLATILE_HEADERS
                },
            }
        )
        # Pages are answered in turn; any other call gets the one answer.
        answer = self.pages.pop(0) if self.pages else self.answer
        return AWSResponse(
            request.url,
            answer["status"],
            answer["headers"],
            CannedBody(base64.b64decode(answer["body"])),
        )


def canonical_body(body: Any) -> Any:
    """A request body as a value to compare: JSON and CBOR decoded (member order is not a
    difference), anything else as text."""
    if hasattr(body, "read"):
        body = body.read()
    if isinstance(body, str):
        body = body.encode("utf-8")
    if not body:
        return ""
    try:
        return json.loads(body)
    except ValueError:
        pass
    try:
        parser = RpcV2CBORParser()
        return encode_value(parser.parse_data_item(parser.get_peekable_stream_from_bytes(body)))
    except Exception:  # not CBOR either: compared as text
        return body.decode("utf-8", "replace")


# Headers that differ between two runs of the same call.
VOLATILE_HEADERS = {
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "user-agent",
    "x-amz-user-agent",
    "x-amz-content-sha256",
    "content-length",
    "expect",
    "x-amz-client-context",
    "x-amzn-trace-id",
}


def outcome_of(call: Callable[[], Any]) -> dict[str, Any]:
    """What a call returned (without its ResponseMetadata, which differs run to run) or
    raised."""
    try:
        result = call()
    except Exception as error:  # what the call raised is the outcome
        return {"error": f"{type(error).__name__}: {error}"}
    if isinstance(result, dict):
        result = {key: value for key, value in result.items() if key != "ResponseMetadata"}
    return {"result": encode_value(result)}


def run_probe(replayer: Replayer, probe: Probe) -> dict[str, Any]:
    try:
        client = replayer.client(probe["service"])
    except UnknownServiceError as error:
        return {"client": f"UnknownServiceError: {error}"}
    return PROBES[probe["probe"]](replayer, client, probe)


def run_guarded(replayer: Replayer, probe: Probe) -> dict[str, Any]:
    """A probe's outcome, or the exception it raised: one probe the replay cannot build (a
    path it cannot place a value at) does not stop the others."""
    try:
        return run_probe(replayer, probe)
    except Exception as error:  # reported as the probe's outcome
        return {"crash": f"{type(error).__name__}: {error}"}


def probe_client(_replayer: Replayer, _client: BaseClient, _probe: Probe) -> dict[str, Any]:
    return {"client": "made"}


def probe_exception(_replayer: Replayer, client: BaseClient, probe: Probe) -> dict[str, Any]:
    name = probe["name"]
    found = hasattr(client.exceptions, name)
    return {"exception": name if found else f"AttributeError: client.exceptions has no {name}"}


def probe_paginator(replayer: Replayer, client: BaseClient, probe: Probe) -> dict[str, Any]:
    """The paginator's configuration, and what build_full_result() makes of two pages that
    hold every result and non-aggregate key of both releases (built under the old one)."""
    method = botocore.xform_name(probe["operation"])
    if not client.can_paginate(method):
        return {"paginator": f"OperationNotPageableError: {method}"}
    config = client.get_paginator(method)._pagination_cfg  # type: ignore[attr-defined]
    built = probe if "pages" in probe else build_pages(client, probe, config)
    replayer.pages = list(built["pages"])
    paginator = client.get_paginator(method)
    full = outcome_of(
        lambda: paginator.paginate(**decode_value(built["params"])).build_full_result()
    )
    replayer.pages = []
    return {
        "paginator": {key: config[key] for key in sorted(config)},
        "full_result": full,
        "params": built["params"],
        "pages": built["pages"],
    }


def build_pages(client: BaseClient, probe: Probe, config: dict[str, Any]) -> dict[str, Any]:
    operation = client.meta.service_model.operation_model(probe["operation"])
    keys = set()
    for side in ("old", "new"):
        value = probe["change"].get(side)
        keys.update(value if isinstance(value, list) else [value] if isinstance(value, str) else [])
    for name in ("result_key", "non_aggregate_keys"):
        value = config.get(name)
        keys.update(value if isinstance(value, list) else [value] if value else [])
    token = config.get("output_token")
    pages = []
    for page in (1, 2):
        value = (
            ValueBuilder(full=False).value(operation.output_shape) if operation.output_shape else {}
        )
        for key in sorted(keys):
            with contextlib.suppress(KeyError):
                value = place(value, operation.output_shape, path_steps(key), None)
        if isinstance(token, str) and token.isidentifier():
            value = (
                {**value, token: "page-2"}
                if page == 1
                else {k: v for k, v in value.items() if k != token}
            )
        pages.append(encode_response(client, operation, value))
    return {"params": encode_value(request_params(operation)), "pages": pages}


def probe_waiter(replayer: Replayer, client: BaseClient, probe: Probe) -> dict[str, Any]:
    """Whether the waiter exists, and what it decides on each canned response (success,
    failure or another attempt); the responses are built for the acceptors of both releases
    under the old one."""
    name = botocore.xform_name(probe["name"])
    if name not in client.waiter_names:
        return {"waiter": f"ValueError: no waiter {name}"}
    built = probe if "answers" in probe else build_waiter_answers(client, probe)
    params = decode_value(built.get("params", {}))
    outcomes = {}
    for label, answer in built["answers"].items():
        replayer.answer = answer
        try:
            client.get_waiter(name).wait(**params, WaiterConfig={"Delay": 0, "MaxAttempts": 1})
            outcomes[label] = "success"
        except WaiterError as error:
            outcomes[label] = "failure" if "terminal failure" in str(error) else "retry"
    config = client.get_waiter(name).config
    return {
        "waiter": {
            "operation": config.operation,
            "delay": config.delay,
            "max_attempts": config.max_attempts,
        },
        "outcomes": outcomes,
        "params": encode_value(params),
        "answers": built["answers"],
    }


def build_waiter_answers(client: BaseClient, probe: Probe) -> dict[str, Any]:
    operation = client.meta.service_model.operation_model(probe["operation"])
    params: dict[str, Any] = {}
    if operation.input_shape is not None:
        params = ValueBuilder(full=False).value(operation.input_shape)
    answers: dict[str, Any] = {}
    for acceptor in probe["acceptors"]:
        matcher, expected = acceptor.get("matcher"), acceptor.get("expected")
        label = f"{matcher} {acceptor.get('argument', '')} == {expected!r}".replace("  ", " ")
        if matcher == "error":
            answers[label] = error_response(client, str(expected))
        elif matcher == "status":
            answers[label] = {"status": int(expected), "headers": {}, "body": ""}
        elif matcher in ("path", "pathAll", "pathAny") and operation.output_shape is not None:
            argument = str(acceptor.get("argument", "")).replace("[*]", "[]")
            value = ValueBuilder(full=False).value(operation.output_shape)
            try:
                value = place(
                    value,
                    operation.output_shape,
                    path_steps(argument),
                    lambda _shape, expected=expected: expected,
                )
            except KeyError:
                continue
            answers[label] = encode_response(client, operation, value)
    return {"params": encode_value(params), "answers": answers}


def probe_endpoint(_replayer: Replayer, client: BaseClient, probe: Probe) -> dict[str, Any]:
    provider = client._ruleset_resolver._provider  # type: ignore[attr-defined]
    try:
        endpoint = provider.resolve_endpoint(**probe["parameters"])
    except BotoCoreError as error:
        return {"endpoint": f"{type(error).__name__}: {error}"}
    return {"endpoint": endpoint.url}


def probe_call(replayer: Replayer, client: BaseClient, probe: Probe) -> dict[str, Any]:
    """A call of the operation, answered by a canned response; built here when the probe
    brings no params."""
    operation_name = probe["operation"]
    method = botocore.xform_name(operation_name)
    given = probe.get("answers")
    if "params" in probe:
        params = decode_value(probe["params"])
        answers = given
    else:
        built = build_call(client, probe)
        if "error" in built:
            return built
        params = decode_value(built["params"])
        answers = given or built["answers"]
    calls: dict[str, Any] = {}
    for label, answer in answers.items():
        replayer.answer = answer
        replayer.sent.clear()
        outcome = outcome_of(lambda: getattr(client, method)(**params))
        outcome["sent"] = replayer.sent[:1]
        outcome["attempts"] = len(replayer.sent)
        calls[label] = outcome
    if probe.get("error_code"):
        replayer.answer = error_response(client, probe["error_code"])
        replayer.sent.clear()
        outcome = outcome_of(lambda: getattr(client, method)(**params))
        calls["error"] = {"error": outcome.get("error"), "attempts": len(replayer.sent)}
    if given is not None and operation_name in client.meta.service_model.operation_names:
        # The response a service of this release sends: what a caller gets once it moved.
        replayer.answer = build_answer(client, probe, "new")
        calls["own response"] = outcome_of(lambda: getattr(client, method)(**params))
    return {"params": encode_value(params), "answers": answers, "calls": calls}


def build_call(client: BaseClient, probe: Probe) -> dict[str, Any]:
    model = client.meta.service_model
    if probe["operation"] not in model.operation_names:
        return {"error": f"no operation {probe['operation']}"}
    operation = model.operation_model(probe["operation"])
    params: dict[str, Any] = {}
    if operation.input_shape is not None:
        params = request_params(operation)
        if probe.get("position") == "request" and probe.get("path"):
            try:
                params = place(
                    params, operation.input_shape, path_steps(probe["path"]), _leaf(probe, "old")
                )
            except KeyError as error:
                return {"error": f"path {probe['path']} not in the request: {error!r}"}
    answer = build_answer(client, probe, "old")
    return {"params": encode_value(params), "answers": {"response": answer}}


# A caller's idempotency token; botocore would make a random one on each call.
TOKEN = "00000000-0000-4000-8000-000000000000"


def request_params(operation: OperationModel) -> dict[str, Any]:
    """Minimal params valid for the operation, its idempotency tokens fixed."""
    if operation.input_shape is None:
        return {}
    params: dict[str, Any] = ValueBuilder(full=False).value(operation.input_shape)
    for name in operation.idempotent_members:
        params[name] = TOKEN
    return params


def build_answer(client: BaseClient, probe: Probe, side: str) -> dict[str, Any]:
    operation = client.meta.service_model.operation_model(probe["operation"])
    value: dict[str, Any] = {}
    if operation.output_shape is not None:
        value = ValueBuilder(full=False).value(operation.output_shape)
        if probe.get("position") == "response" and probe.get("path"):
            # The path may be gone from the new model (a removed member): then its response
            # is the minimal one.
            with contextlib.suppress(KeyError):
                value = place(
                    value, operation.output_shape, path_steps(probe["path"]), _leaf(probe, side)
                )
    return encode_response(client, operation, value)


def _leaf(probe: Probe, side: str) -> Callable[[Shape], Any] | None:
    return leaf_for(probe["change"], probe.get("detail"), side) if probe.get("change") else None


PROBES: dict[str, Callable[[Replayer, BaseClient, Probe], dict[str, Any]]] = {
    "client": probe_client,
    "exception": probe_exception,
    "paginator": probe_paginator,
    "waiter": probe_waiter,
    "endpoint": probe_endpoint,
    "call": probe_call,
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="a folder of models searched before botocore's own")
    arguments = parser.parse_args(argv)
    replayer = Replayer(arguments.data_dir)
    probes = json.load(sys.stdin)
    outcomes = [run_guarded(replayer, probe) for probe in probes]
    json.dump({"botocore": botocore.__version__, "outcomes": outcomes}, sys.stdout, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
