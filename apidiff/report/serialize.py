"""The Report as JSON and back. The shape of the JSON is published in
`apidiff/schemas/report.schema.json`; a loaded file is checked against it first.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import cattrs
import orjson
from cattrs.gen import make_dict_unstructure_fn

from apidiff.diff import DeltaTree
from apidiff.errors import ReportLoadError
from apidiff.report.method_docs import MemberDoc, SyntaxLine
from apidiff.report.report import Report
from apidiff.resources import schema_path

REPORT_FORMAT = 2
_JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS
_NESTED_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
_EMPTY_SERVICES = '"services": []'


@cache
def _converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_structure_hook(dt.date, lambda value, _type: dt.date.fromisoformat(value))
    # Most of a delta tree is empty; leaving the empty parts out keeps big reports readable.
    # A syntax line is a plain triple in JSON, as in memory: a release has millions.
    converter.register_unstructure_hook(SyntaxLine, list)
    converter.register_structure_hook(SyntaxLine, lambda value, _type: SyntaxLine(*value))
    for sparse in (DeltaTree, MemberDoc):
        converter.register_unstructure_hook(
            sparse, make_dict_unstructure_fn(sparse, converter, _cattrs_omit_if_default=True)
        )
    return converter


@cache
def report_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path("report.schema.json").read_text("utf-8"))
    return schema


def report_to_json(report: Report) -> dict[str, Any]:
    document: dict[str, Any] = {"report_format": REPORT_FORMAT}
    document.update(_converter().unstructure(report))
    return document


def report_to_json_text(report: Report) -> str:
    return "".join(report_json_chunks(report))


def report_json_chunks(report: Report) -> Iterator[str]:
    """The report's JSON text (as `json_text` writes it) a service at a time.

    A release's report with documentation is tens of megabytes of JSON; made whole, its
    dicts and text would take several times that in memory at once.
    """
    head = json_text(report_to_json(replace(report, services=())))
    before, after = head.split(_EMPTY_SERVICES, 1)
    yield before + '"services": ['
    converter = _converter()
    for number, service in enumerate(report.services):
        body: bytes = orjson.dumps(converter.unstructure(service), option=_NESTED_OPTIONS)
        # One level deeper than orjson indents it; JSON text holds no raw line breaks.
        yield ("," if number else "") + "\n    " + body.decode("utf-8").replace("\n", "\n    ")
    yield ("\n  ]" if report.services else "]") + after


def json_text(document: Any) -> str:
    """Indented JSON, as every JSON output of apidiff is written."""
    # orjson: the standard library's encoder falls back to pure Python once asked to indent.
    text: bytes = orjson.dumps(document, option=_JSON_OPTIONS)
    return text.decode("utf-8")


def report_from_json(document: Any, where: str) -> Report:
    import jsonschema  # only loading a saved report needs it

    errors = sorted(
        jsonschema.Draft202012Validator(report_schema()).iter_errors(document),
        key=lambda error: list(error.absolute_path),
    )
    if errors:
        first = errors[0]
        location = "/".join(str(part) for part in first.absolute_path) or "(top)"
        raise ReportLoadError(where, f"not an apidiff report: at {location}: {first.message}")
    body = {key: value for key, value in document.items() if key != "report_format"}
    return _converter().structure(body, Report)


def load_report(path: Path) -> Report:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportLoadError(str(path), "no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReportLoadError(str(path), f"cannot be read: {error}") from None
    return report_from_json(document, str(path))
