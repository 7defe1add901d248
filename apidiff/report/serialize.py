"""The Report, and a check's outcome with its Report, as JSON and back. The shapes of the
JSON are published in `apidiff/schemas/report.schema.json` and `check.schema.json`; a loaded
file is checked against them first.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from apidiff.classify import Perspective, Severity
from apidiff.diff import Change, DeltaTree, EnumString, Reach, Skeleton
from apidiff.diff.change import Via
from apidiff.errors import ReportLoadError
from apidiff.report.doc_records import MemberDoc, MethodDoc, SyntaxLine
from apidiff.report.report import ChangeRecord, LeftOut, OperationReport, Report, ServiceReport
from apidiff.resources import schema_path
from apidiff.sources.base import Provenance

if TYPE_CHECKING:
    import cattrs

    from apidiff.classify.policy import IgnoreEntry
    from apidiff.report.check import CheckResult, Finding

# 3: an enum-typed string in a skeleton is {"$enum": [values]} (in 2, "string").
REPORT_FORMAT = 3
# orjson asks `_plain` for each of a report's objects (dataclasses included). It takes a
# str subclass as a dict key (a change record's Perspective) only with OPT_NON_STR_KEYS.
_WRITE_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS
_EMPTY_SERVICES = '"services": []'
_EMPTY_SERVICES_COMPACT = '"services":[]'
# The text around the one service of a report that holds no more, as orjson indents it.
_SERVICE_OPENS = b'{\n  "services": [\n'
_SERVICE_CLOSES = b"\n  ]\n}"
# No member of a real model is named so (they are letters, digits and underscores), so an
# enum-typed string cannot be read as a structure.
_ENUM_TAG = "$enum"


# A report's objects as JSON, one level at a time: orjson writes what each function returns
# and asks again for the objects inside it. Tuples, dicts, enumerations (by value) and dates
# (ISO 8601) it writes itself. Written out field by field: a third of the time of zipping
# each object's fields with their names, for the thousands of objects of a release.


def _report(report: Report) -> dict[str, Any]:
    return {
        "tool_version": report.tool_version,
        "old": report.old,
        "new": report.new,
        "services": report.services,
        "unchanged_services": report.unchanged_services,
        "left_out": report.left_out,
    }


def _provenance(provenance: Provenance) -> dict[str, Any]:
    return {
        "spec": provenance.spec,
        "location": provenance.location,
        "package": provenance.package,
        "version": provenance.version,
        "released": provenance.released,
        "partial": provenance.partial,
    }


def _left_out(left_out: LeftOut) -> dict[str, Any]:
    return {"side": left_out.side, "services": left_out.services, "reason": left_out.reason}


def _service(service: ServiceReport) -> dict[str, Any]:
    return {
        "service": service.service,
        "full_name": service.full_name,
        "old_api_version": service.old_api_version,
        "new_api_version": service.new_api_version,
        "date": service.date,
        "changelog": service.changelog,
        "new_operations": service.new_operations,
        "removed_operations": service.removed_operations,
        "updated_operations": service.updated_operations,
        "changes": service.changes,
    }


def _operation(operation: OperationReport) -> dict[str, Any]:
    return {
        "name": operation.name,
        "method": operation.method,
        "request": operation.request,
        "response": operation.response,
        "documentation": operation.documentation,
    }


def _change_record(record: ChangeRecord) -> dict[str, Any]:
    written: dict[str, Any] = {
        "change": record.change,
        "reaches": record.reaches,
        "rule": record.rule,
        "severity": record.severity,
        "fingerprint": record.fingerprint,
    }
    # A change record's detail is rare (a pattern's counterexample): absent, not null, elsewhere.
    if record.detail is not None:
        written["detail"] = record.detail
    return written


def _change(change: Change) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "shape": change.shape,
        "member": change.member,
        "operation": change.operation,
        "aspect": change.aspect,
        "old": change.old,
        "new": change.new,
        "via": change.via,
    }


def _via(via: Via) -> dict[str, Any]:
    return {
        "path": via.path,
        "shape": via.shape,
        "operation": via.operation,
        "position": via.position,
    }


def _reach(reach: Reach) -> dict[str, Any]:
    return {"operation": reach.operation, "position": reach.position, "path": reach.path}


def _delta_tree(tree: DeltaTree) -> dict[str, Any]:
    # Most of a delta tree is empty; leaving the empty parts out keeps big reports readable.
    written: dict[str, Any] = {}
    if tree.added:
        written["added"] = tree.added
    if tree.removed:
        written["removed"] = tree.removed
    if tree.enum_added:
        written["enum_added"] = tree.enum_added
    if tree.enum_removed:
        written["enum_removed"] = tree.enum_removed
    if tree.required_added:
        written["required_added"] = tree.required_added
    if tree.required_removed:
        written["required_removed"] = tree.required_removed
    if tree.type_change is not None:
        written["type_change"] = tree.type_change
    if tree.nested:
        written["nested"] = tree.nested
    return written


def _method_doc(doc: MethodDoc) -> dict[str, Any]:
    return {
        "method": doc.method,
        "description": doc.description,
        "deprecated": doc.deprecated,
        "api_reference": doc.api_reference,
        "request_syntax": _syntax_lines(doc.request_syntax),
        "parameters": doc.parameters,
        "response_syntax": _syntax_lines(doc.response_syntax),
        "response": doc.response,
        "event_stream": doc.event_stream,
    }


def _syntax_lines(lines: tuple[SyntaxLine, ...] | None) -> list[tuple[Any, ...]] | None:
    # A syntax line is a plain triple in JSON, as in memory: a release has millions, which
    # orjson would hand back one by one (a NamedTuple is not a tuple to it).
    return None if lines is None else list(map(tuple, lines))


def _member_doc(member: MemberDoc) -> dict[str, Any]:
    written: dict[str, Any] = {
        "name": member.name,
        "step": member.step,
        "type_name": member.type_name,
    }
    if member.documentation:
        written["documentation"] = member.documentation
    if member.required:
        written["required"] = member.required
    if member.union_members:
        written["union_members"] = member.union_members
    if member.autopopulated:
        written["autopopulated"] = member.autopopulated
    if member.children:
        written["children"] = member.children
    return written


# What writes each of a report's objects, by its type.
_PLAIN: dict[type[Any], Callable[[Any], Any]] = {
    Report: _report,
    Provenance: _provenance,
    LeftOut: _left_out,
    ServiceReport: _service,
    OperationReport: _operation,
    ChangeRecord: _change_record,
    Change: _change,
    Via: _via,
    Reach: _reach,
    DeltaTree: _delta_tree,
    EnumString: lambda drawn: {_ENUM_TAG: drawn.values},
    MethodDoc: _method_doc,
    MemberDoc: _member_doc,
}


def _plain(value: Any) -> Any:
    """orjson's `default`: what stands for one of a Report's objects in JSON."""
    return _PLAIN[type(value)](value)


@cache
def _converter() -> cattrs.Converter:
    # Imported here: reading a report back needs cattrs (and attrs), 70 ms to import, which
    # writing one does not.
    import cattrs
    from cattrs.gen import make_dict_structure_fn, override

    converter = cattrs.Converter()
    converter.register_structure_hook(dt.date, lambda value, _type: dt.date.fromisoformat(value))
    converter.register_structure_hook(SyntaxLine, lambda value, _type: SyntaxLine(*value))
    # Skeletons are a recursive union, which cattrs cannot follow: read by hand.
    from_json = override(struct_hook=_members_from_json)
    converter.register_structure_hook(
        DeltaTree, make_dict_structure_fn(DeltaTree, converter, added=from_json, removed=from_json)
    )
    return converter


def _members_from_json(value: Mapping[str, Any], _type: Any) -> dict[str, Skeleton]:
    return {name: _skeleton_from_json(drawn) for name, drawn in value.items()}


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
    document: dict[str, Any] = orjson.loads(_write(_document(report)))
    return document


def _document(report: Report) -> dict[str, Any]:
    """The report's JSON document, its objects left for orjson to write."""
    return {"report_format": REPORT_FORMAT} | _report(report)


def _write(document: Any, options: int = 0) -> bytes:
    text: bytes = orjson.dumps(document, default=_plain, option=options | _WRITE_OPTIONS)
    return text


def report_to_json_text(report: Report) -> str:
    return "".join(report_json_chunks(report))


def report_json_chunks(report: Report, *, compact: bool = False) -> Iterator[str]:
    """The report's JSON text (as `json_text` writes it) a service at a time.

    A release's report with documentation is tens of megabytes of JSON; made whole, its
    text would take several times that in memory at once. `compact` leaves out the
    indentation and line breaks, for a report kept as data (a site's): 43% of the bytes of a
    release's report with documentation are indentation.
    """
    head = _document(replace(report, services=()))
    if compact:
        before, after = _compact(head).split(_EMPTY_SERVICES_COMPACT, 1)
        yield before + '"services":['
        for number, service in enumerate(report.services):
            yield ("," if number else "") + _compact(service)
        yield "]" + after + "\n"
        return
    before, after = json_text(head).split(_EMPTY_SERVICES, 1)
    yield before + '"services": ['
    for number, service in enumerate(report.services):
        yield ",\n" if number else "\n"
        # Written as the one service of a report, so orjson indents it as deep as it stands
        # in the report; the text around it is left out.
        written = memoryview(_write({"services": [service]}, orjson.OPT_INDENT_2))
        yield str(written[len(_SERVICE_OPENS) : -len(_SERVICE_CLOSES)], "utf-8")
    yield ("\n  ]" if report.services else "]") + after


def _compact(document: Any) -> str:
    return _write(document).decode("utf-8")


def json_text(document: Any) -> str:
    """Indented JSON, as every JSON output of apidiff is written."""
    # orjson: the standard library's encoder falls back to pure Python once asked to indent.
    return _write(document, orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode("utf-8")


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
    # Imported here, as in _entry_from_json: only checks need them, and the policy and
    # check modules took 9 ms of every run that writes a report as JSON.
    from apidiff.report.check import CheckResult, Finding, Suppressed

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
    from apidiff.classify.policy import IgnoreEntry

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
