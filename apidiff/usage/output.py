"""`apidiff usage` output: text for a terminal of 80 columns, and JSON (schema:
`apidiff/schemas/usage.schema.json`). Both list calls in (file, line, column) order.
"""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

import orjson

from apidiff import __version__
from apidiff.resources import schema_path
from apidiff.usage.calls import CallKind, CallSite, Usage
from apidiff.usage.match import UsageMatch

USAGE_FORMAT = 1
_WIDTH = 80
_LABEL = 12  # "    passes  " and "    reads   " line up their lists after it


@cache
def usage_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path("usage.schema.json").read_text("utf-8"))
    return schema


def usage_to_json(usage: Usage) -> dict[str, Any]:
    return {
        "usage_format": USAGE_FORMAT,
        "tool_version": __version__,
        "models": usage.models,
        "files": usage.files,
        "calls": [_call_to_json(call) for call in usage.calls],
        "problems": [
            {"file": problem.file, "line": problem.line, "reason": problem.reason}
            for problem in usage.problems
        ],
    }


def _call_to_json(call: CallSite) -> dict[str, Any]:
    return {
        "file": call.location.file,
        "line": call.location.line,
        "column": call.location.column,
        "service": call.service,
        "operation": call.operation,
        "method": call.method,
        "kind": call.kind.value,
        "waiter": call.waiter,
        "parameters": list(call.parameters),
        "response_keys": list(call.response_keys),
        "literals": [{"path": value.path, "value": value.value} for value in call.literals],
        "visible": call.visible,
        "reason": call.reason,
    }


def match_to_json(match: UsageMatch) -> dict[str, Any]:
    """A check's findings against the code, for the check's JSON to hold beside its findings
    (schema: `#/$defs/usage_match` of usage.schema.json). Findings are named by fingerprint."""
    return {
        "files": match.usage.files,
        "models": match.usage.models,
        "touching": [
            {
                "fingerprint": touched.finding.record.fingerprint,
                "touches": [
                    {
                        "file": touch.call.location.file,
                        "line": touch.call.location.line,
                        "column": touch.call.location.column,
                        "service": touch.call.service,
                        "operation": touch.call.operation,
                        "method": touch.call.method,
                        "kind": touch.call.kind.value,
                        "why": touch.why,
                    }
                    for touch in touched.touches
                ],
            }
            for touched in match.touching
        ],
        "untouched": [finding.record.fingerprint for finding in match.untouched],
        "elsewhere": match.elsewhere,
        "problems": [
            {"file": problem.file, "line": problem.line, "reason": problem.reason}
            for problem in match.usage.problems
        ],
    }


def render_usage_json(usage: Usage) -> str:
    document = usage_to_json(usage)
    try:
        # orjson writes what json.dumps(indent=2, ensure_ascii=False) writes, byte for byte,
        # in a tenth of the time (json indents in Python): a second of 25,000 calls.
        return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"
    except orjson.JSONEncodeError:
        # A file name that is not UTF-8 (kept by Python as lone surrogates) is for json alone.
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_usage_text(usage: Usage) -> str:
    return "".join(line + "\n" for line in _text_lines(usage))


def _text_lines(usage: Usage) -> Iterator[str]:
    yield from _wrapped(summary_line(usage), "")
    for service, operations in _services(usage.calls):
        yield from _wrapped(f"  {service}: {operations}", " " * 4)
    yield ""
    for call in usage.calls:
        yield from _wrapped(f"{call.location}  {call_title(call)}", " " * 4)
        if not call.visible:
            yield from _wrapped(f"    not visible: {call.reason}", " " * 6)
        yield from _listed("passes", leaf_paths(call.parameters))
        yield from _listed("reads", leaf_paths(call.response_keys))
    if usage.problems:
        yield ""
        yield f"Files not read ({len(usage.problems)}):"
        for problem in usage.problems:
            where = f"{problem.file}:{problem.line}" if problem.line else problem.file
            yield from _wrapped(f"  {where}: {problem.reason}", " " * 4)


def summary_line(usage: Usage) -> str:
    mapped = [call for call in usage.calls if call.operation is not None]
    operations = {(call.service, call.operation) for call in mapped}
    services = {call.service for call in mapped}
    hidden = sum(1 for call in usage.calls if not call.visible)
    return (
        f"{_count(len(usage.calls), 'call')} of {_count(len(operations), 'operation')} in "
        f"{_count(len(services), 'service')}, {hidden} not fully visible, in "
        f"{_count(usage.files, 'file')} ({usage.models})"
    )


def call_title(call: CallSite) -> str:
    """`s3.list_objects_v2 (ListObjectsV2)`, `s3 waiter bucket_exists (BucketExists,
    polls HeadBucket)`, `? .describe` where the service is not seen."""
    service = call.service or "?"
    method = call.method or "?"
    if call.kind is CallKind.RESOURCE:
        mapped = f" ({call.operation})" if call.operation else ""
        return f"{service} resource {method}{mapped}"
    if call.kind is CallKind.WAIT:
        mapped = f" ({call.waiter}, polls {call.operation})" if call.operation else ""
        return f"{service} waiter {method}{mapped}"
    if call.kind is CallKind.PAGINATE:
        mapped = f" ({call.operation})" if call.operation else ""
        return f"{service} paginator {method}{mapped}"
    return f"{service}.{method}" + (f" ({call.operation})" if call.operation else "")


def leaf_paths(paths: Iterable[str]) -> list[str]:
    """The paths no other path goes below: `A.B` stands for `A` too."""
    ordered = sorted(paths)
    return [
        path
        for index, path in enumerate(ordered)
        if not any(_below(other, path) for other in ordered[index + 1 :])
    ]


def _below(path: str, above: str) -> bool:
    return path.startswith(above) and path[len(above) : len(above) + 1] in (".", "[", "{")


def _services(calls: Iterable[CallSite]) -> Iterator[tuple[str, str]]:
    counted: dict[str, Counter[str]] = {}
    for call in calls:
        if call.service is not None and call.operation is not None:
            counted.setdefault(call.service, Counter())[call.operation] += 1
    for service in sorted(counted):
        operations = counted[service]
        yield (
            service,
            ", ".join(
                f"{name} x{operations[name]}" if operations[name] > 1 else name
                for name in sorted(operations)
            ),
        )


def _listed(label: str, paths: list[str]) -> Iterator[str]:
    if paths:
        yield from _wrapped(f"    {label:<{_LABEL - 4}}{', '.join(paths)}", " " * _LABEL)


def _wrapped(text: str, indent: str) -> list[str]:
    # Paths hold no spaces: lines break only after a comma, never inside a path.
    return textwrap.wrap(
        text,
        width=_WIDTH,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [""]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
