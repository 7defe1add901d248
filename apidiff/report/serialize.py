"""The Report, and a check's outcome with its Report, as JSON and back. The shapes of the
JSON are published in `apidiff/schemas/report.schema.json` and `check.schema.json`; a loaded
file is checked against them first.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import cattrs
import orjson
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from apidiff.classify import Perspective, Severity
from apidiff.classify.policy import IgnoreEntry
from apidiff.diff import DeltaTree, EnumString, Skeleton
from apidiff.errors import ReportLoadError
from apidiff.report.check import CheckResult, Finding, Suppressed
from apidiff.report.method_docs import MemberDoc, SyntaxLine
from apidiff.report.report import ChangeRecord, Report
from apidiff.resources import schema_path

# 3: an enum-typed string in a skeleton is {"$enum": [values]} (in 2, "string").
REPORT_FORMAT = 3
_JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS
_NESTED_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
_EMPTY_SERVICES = '"services": []'
_EMPTY_SERVICES_COMPACT = '"services":[]'
# No member of a real model is named so (they are letters, digits and underscores), so an
# enum-typed string cannot be read as a structure.
_ENUM_TAG = "$enum"


@cache
def _converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_structure_hook(dt.date, lambda value, _type: dt.date.fromisoformat(value))
    # Most of a delta tree is empty; leaving the empty parts out keeps big reports readable.
    # A syntax line is a plain triple in JSON, as in memory: a release has millions.
    converter.register_unstructure_hook(SyntaxLine, list)
    converter.register_structure_hook(SyntaxLine, lambda value, _type: SyntaxLine(*value))
    converter.register_unstructure_hook(
        MemberDoc, make_dict_unstructure_fn(MemberDoc, converter, _cattrs_omit_if_default=True)
    )
    # A change record's detail is rare (a pattern's counterexample): absent, not null, elsewhere.
    converter.register_unstructure_hook(
        ChangeRecord,
        make_dict_unstructure_fn(ChangeRecord, converter, _cattrs_omit_if_default=True),
    )
    # Skeletons are a recursive union, which cattrs cannot follow: written and read by hand.
    to_json = override(unstruct_hook=_members_to_json)
    from_json = override(struct_hook=_members_from_json)
    converter.register_unstructure_hook(
        DeltaTree,
        make_dict_unstructure_fn(
            DeltaTree, converter, _cattrs_omit_if_default=True, added=to_json, removed=to_json
        ),
    )
    converter.register_structure_hook(
        DeltaTree, make_dict_structure_fn(DeltaTree, converter, added=from_json, removed=from_json)
    )
    return converter


def _members_to_json(members: Mapping[str, Skeleton]) -> dict[str, Any]:
    return {name: _skeleton_to_json(drawn) for name, drawn in members.items()}


def _members_from_json(value: Mapping[str, Any], _type: Any) -> dict[str, Skeleton]:
    return {name: _skeleton_from_json(drawn) for name, drawn in value.items()}


def _skeleton_to_json(drawn: Skeleton) -> Any:
    if isinstance(drawn, EnumString):
        return {_ENUM_TAG: list(drawn.values)}
    if isinstance(drawn, list):
        return [_skeleton_to_json(item) for item in drawn]
    if isinstance(drawn, dict):
        return {name: _skeleton_to_json(value) for name, value in drawn.items()}
    return drawn


def _skeleton_from_json(value: Any) -> Skeleton:
    if isinstance(value, list):
        return [_skeleton_from_json(item) for item in value]
    if isinstance(value, dict):
        if _ENUM_TAG in value:
            return EnumString(tuple(value[_ENUM_TAG]))
        return {name: _skeleton_from_json(item) for name, item in value.items()}
    return str(value)  # a type name: the schema allows nothing else


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


def report_json_chunks(report: Report, *, compact: bool = False) -> Iterator[str]:
    """The report's JSON text (as `json_text` writes it) a service at a time.

    A release's report with documentation is tens of megabytes of JSON; made whole, its
    dicts and text would take several times that in memory at once. `compact` leaves out the
    indentation and line breaks, for a report kept as data (a site's): 43% of the bytes of a
    release's report with documentation are indentation.
    """
    converter = _converter()
    head = report_to_json(replace(report, services=()))
    if compact:
        before, after = _compact(head).split(_EMPTY_SERVICES_COMPACT, 1)
        yield before + '"services":['
        for number, service in enumerate(report.services):
            yield ("," if number else "") + _compact(converter.unstructure(service))
        yield "]" + after + "\n"
        return
    before, after = json_text(head).split(_EMPTY_SERVICES, 1)
    yield before + '"services": ['
    for number, service in enumerate(report.services):
        body: bytes = orjson.dumps(converter.unstructure(service), option=_NESTED_OPTIONS)
        # One level deeper than orjson indents it; JSON text holds no raw line breaks.
        yield ("," if number else "") + "\n    " + body.decode("utf-8").replace("\n", "\n    ")
    yield ("\n  ]" if report.services else "]") + after


def _compact(document: Any) -> str:
    text: bytes = orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS)
    return text.decode("utf-8")


def json_text(document: Any) -> str:
    """Indented JSON, as every JSON output of apidiff is written."""
    # orjson: the standard library's encoder falls back to pure Python once asked to indent.
    text: bytes = orjson.dumps(document, option=_JSON_OPTIONS)
    return text.decode("utf-8")


def _require_valid(document: Any, schema_name: str, where: str, what: str) -> None:
    """Raise a one-line ReportLoadError naming the first place (in path order) the document
    breaks the schema `schema_name` (report or check)."""
    # jsonschema_rs answers whether it is valid: for a release's report with documentation,
    # 0.14 s where jsonschema took 21 s. jsonschema then explains a failure in its words.
    if _fast_validator(schema_name).is_valid(document):
        return
    import jsonschema  # only explaining a failure needs it

    schema = _SCHEMAS[schema_name]()

    errors = sorted(
        jsonschema.Draft202012Validator(schema).iter_errors(document),
        key=lambda error: list(error.absolute_path),
    )
    if errors:
        first = errors[0]
        location = "/".join(str(part) for part in first.absolute_path) or "(top)"
        raise ReportLoadError(where, f"not {what}: at {location}: {first.message}")


@cache
def _fast_validator(schema_name: str) -> Any:
    import jsonschema_rs  # only loading a saved report needs it

    return jsonschema_rs.Draft202012Validator(_SCHEMAS[schema_name]())


def report_from_json(document: Any, where: str) -> Report:
    _require_valid(document, "report", where, "an apidiff report")
    body = {key: value for key, value in document.items() if key != "report_format"}
    return _converter().structure(body, Report)


def load_report(path: Path) -> Report:
    return report_from_json(read_json_file(path), str(path))


# 1: the first check report that can be rendered again (`apidiff render check.json`).
CHECK_FORMAT = 1


@cache
def check_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path("check.schema.json").read_text("utf-8"))
    return schema


# The schemas saved documents are held to, by the name _require_valid is given.
_SCHEMAS = {"report": report_schema, "check": check_schema}


def check_to_json(result: CheckResult) -> dict[str, Any]:
    """A check's outcome and its report, enough to build the same CheckResult again.

    `findings` are those shown (at or above `min_severity`); `hidden` names the others that
    still count and gate, so a saved check renders as the check did, or shows more.
    """
    shown = {id(finding) for finding in result.findings}
    return {
        "check_format": CHECK_FORMAT,
        "check": {
            "perspective": result.perspective.value,
            "fail_on": result.fail_on.value if result.fail_on else None,
            "min_severity": result.min_severity.value,
            "failed": bool(result.failing),
            "counts": {severity.value: result.count(severity) for severity in _descending()},
            "findings": [_finding_to_json(finding) for finding in result.findings],
            "hidden": [
                {
                    "service": finding.service,
                    "fingerprint": finding.record.fingerprint,
                    "severity": finding.severity.value,
                }
                for finding in result.gated
                if id(finding) not in shown
            ],
            "suppressed": [
                _finding_to_json(item.finding) | {"ignored_by": _entry_to_json(item.entry)}
                for item in result.suppressed
            ],
            "unused_ignores": [_entry_to_json(entry) for entry in result.unused_ignores],
            "expired_ignores": [_entry_to_json(entry) for entry in result.expired_ignores],
        },
        "report": report_to_json(result.report),
    }


def check_from_json(
    document: Any, where: str, *, min_severity: Severity | None = None
) -> CheckResult:
    """The CheckResult a saved check report holds; `min_severity` (by default the saved one)
    decides which findings are shown."""
    written_as = document.get("check_format") if isinstance(document, dict) else None
    if written_as != CHECK_FORMAT:
        raise ReportLoadError(
            where,
            f"a check report of format {written_as or 'none'}, written by an older apidiff; this "
            f"one reads format {CHECK_FORMAT}: run the check again with --format json",
        )
    _require_valid(document, "check", where, "an apidiff check report")
    report = report_from_json(document["report"], where)
    check = document["check"]
    perspective = Perspective(check["perspective"])
    records = {
        (service.service, record.fingerprint): record
        for service in report.services
        for record in service.changes
    }

    def finding(item: Mapping[str, Any]) -> Finding:
        record = records.get((item["service"], item["fingerprint"]))
        if record is None:
            raise ReportLoadError(
                where,
                f"finding {item['fingerprint']} of {item['service']} is not in its report",
            )
        return Finding(item["service"], record, Severity(item["severity"]), perspective)

    gated = sorted(
        (finding(item) for item in (*check["findings"], *check["hidden"])),
        key=lambda found: found.sort_key,
    )
    shown_from = min_severity or Severity(check["min_severity"])
    return CheckResult(
        perspective=perspective,
        fail_on=Severity(check["fail_on"]) if check["fail_on"] else None,
        min_severity=shown_from,
        gated=tuple(gated),
        findings=tuple(found for found in gated if found.severity.rank >= shown_from.rank),
        suppressed=tuple(
            Suppressed(finding(item), _entry_from_json(item["ignored_by"]))
            for item in check["suppressed"]
        ),
        unused_ignores=tuple(_entry_from_json(entry) for entry in check["unused_ignores"]),
        expired_ignores=tuple(_entry_from_json(entry) for entry in check["expired_ignores"]),
        report=report,
    )


def is_check_document(document: Any) -> bool:
    """Whether a loaded JSON document is a check report (else it may be a plain report)."""
    return isinstance(document, dict) and "check" in document and "report" in document


def read_json_file(path: Path) -> Any:
    """A saved report's JSON, or ReportLoadError naming the file."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportLoadError(str(path), "no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReportLoadError(str(path), f"cannot be read: {error}") from None


def _finding_to_json(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule.id,
        "severity": finding.severity.value,
        "service": finding.service,
        "location": finding.location,
        "message": finding.message,
        "explanation": finding.explanation,
        "operations": list(finding.operations),
        "paths": [
            {"operation": reach.operation, "position": reach.position.value, "path": reach.path}
            for reach in finding.record.reaches
        ],
        "fingerprint": finding.record.fingerprint,
    }


def _entry_to_json(entry: IgnoreEntry) -> dict[str, Any]:
    return {
        "where": entry.where,
        "rule": entry.rule,
        "reason": entry.reason,
        "service": entry.service,
        "operation": entry.operation,
        "shape": entry.shape,
        "member": entry.member,
        "expires": entry.expires.isoformat() if entry.expires else None,
    }


def _entry_from_json(value: Mapping[str, Any]) -> IgnoreEntry:
    expires = value["expires"]
    return IgnoreEntry(
        rule=value["rule"],
        reason=value["reason"],
        where=value["where"],
        service=value["service"],
        operation=value["operation"],
        shape=value["shape"],
        member=value["member"],
        expires=dt.date.fromisoformat(expires) if expires else None,
    )


def _descending() -> list[Severity]:
    return sorted(Severity, key=lambda severity: -severity.rank)
