"""A team's decisions about findings: which to ignore (and why, and until when), and which
rules to rate differently. Read from an ignore file or `[tool.apidiff]` in pyproject.toml:

    [[ignore]]                       # or [[tool.apidiff.ignore]], as in pyproject.toml
    rule = "member.removed"          # a rule id, or a dotted prefix of ids ("member")
    service = "sagemaker"            # globs; each defaults to "*"
    operation = "DescribeAutoMLJob"
    shape = "AutoML*"
    member = "*"
    reason = "We do not use AutoML"  # required
    expires = 2027-01-31             # optional (or "2027-01-31"): stops applying after this day

    [overrides]                      # or [tool.apidiff.overrides]
    "enum.value.added" = "safe"                  # every perspective
    "constraint.max.lowered" = { sdk = "breaking" }

Both places share one JSON Schema (`POLICY_SCHEMA`): a key or table it does not name is an
error naming it, never skipped, so a misspelt entry cannot silently stop applying.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apidiff.classify.rules import RULES
from apidiff.classify.severity import Perspective, Severity
from apidiff.errors import ConfigError

if TYPE_CHECKING:
    from jsonschema import ValidationError

PYPROJECT = "pyproject.toml"


@dataclass(frozen=True, slots=True)
class IgnoreEntry:
    rule: str
    reason: str
    where: str
    service: str = "*"
    operation: str = "*"
    shape: str = "*"
    member: str = "*"
    expires: dt.date | None = None

    def covers_rule(self, rule_id: str) -> bool:
        return rule_id == self.rule or rule_id.startswith(self.rule + ".")

    def covers(
        self,
        rule_id: str,
        service: str,
        operations: tuple[str, ...],
        shape: str | None,
        member: str | None,
    ) -> bool:
        return (
            self.covers_rule(rule_id)
            and fnmatchcase(service, self.service)
            and fnmatchcase(shape or "", self.shape)
            and fnmatchcase(member or "", self.member)
            and (self.operation == "*" or any(fnmatchcase(op, self.operation) for op in operations))
        )

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and today > self.expires


@dataclass(frozen=True, slots=True)
class Policy:
    ignores: tuple[IgnoreEntry, ...] = ()
    overrides: Mapping[str, Mapping[Perspective, Severity]] = field(default_factory=dict)

    def severity(self, rule_id: str, perspective: Perspective, found: Severity) -> Severity:
        return self.overrides.get(rule_id, {}).get(perspective, found)


# --- the schema: TOML read as JSON (dates and times as their ISO text, as taplo reads them)

_GLOB = {"type": "string", "description": 'a glob such as "AutoML*" (a string)'}
_SEVERITY = {
    "type": "string",
    "enum": [severity.value for severity in Severity],
    "description": "a severity: " + ", ".join(severity.value for severity in Severity),
}
_IGNORE_ENTRY = {
    "type": "object",
    "description": "a table",
    "properties": {
        "rule": {"type": "string", "description": "a rule id or a dotted prefix of rule ids"},
        "reason": {
            "type": "string",
            "pattern": r"\S",
            "description": "a sentence saying why this finding is accepted",
        },
        "service": _GLOB,
        "operation": _GLOB,
        "shape": _GLOB,
        "member": _GLOB,
        "expires": {
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": 'a date: 2027-01-31 or "2027-01-31"',
        },
    },
    "required": ["rule", "reason"],
    "additionalProperties": False,
}
_OVERRIDE = {
    # One severity for every perspective, or a table of severities by perspective.
    "if": {"type": "string"},
    "then": _SEVERITY,
    "else": {
        "type": "object",
        "properties": {perspective.value: _SEVERITY for perspective in Perspective},
        "additionalProperties": False,
        "description": "a severity or a table of severities by perspective",
    },
}
POLICY_SCHEMA: Mapping[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "apidiff policy: [tool.apidiff] of pyproject.toml, or an ignore file",
    "type": "object",
    "description": "a table",
    "properties": {
        "ignore": {
            "type": "array",
            "items": _IGNORE_ENTRY,
            "description": "an array of tables, one [[ignore]] per entry",
        },
        "overrides": {
            "type": "object",
            "additionalProperties": _OVERRIDE,
            "description": "a table of rule ids ([overrides])",
        },
    },
    "additionalProperties": False,
}
# A standalone ignore file: the policy at the top, or spelt as in pyproject.toml.
_IGNORE_FILE_SCHEMA: Mapping[str, Any] = {
    **POLICY_SCHEMA,
    "properties": {
        **POLICY_SCHEMA["properties"],
        "tool": {
            "type": "object",
            "properties": {"apidiff": POLICY_SCHEMA},
            "additionalProperties": False,
            "description": "a table holding [tool.apidiff]",
        },
    },
}

_KNOWN_RULES = tuple(rule.id for rule in RULES)
_RULE_PREFIXES = frozenset(
    ".".join(rule_id.split(".")[:end])
    for rule_id in _KNOWN_RULES
    for end in range(1, rule_id.count(".") + 2)
)
_TOOL_PATH = ("tool", "apidiff")
_SEE_KINDS = " (`apidiff kinds` lists the rules)"
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def load_policy(path: Path, label: str | None = None) -> Policy:
    """A policy from an ignore file, or from `[tool.apidiff]` when `path` is a pyproject.toml
    (none there: the empty policy). `label` names the file in messages (default: `path`)."""
    name = label or str(path)
    document = _read_toml(path, name)
    if path.name == PYPROJECT:
        return _pyproject_policy(document, name) or Policy()
    return ignore_file_policy(document, name)


def ignore_file_policy(document: Mapping[str, Any], name: str) -> Policy:
    """The policy of an ignore file's parsed TOML, in either spelling; `name` is the file's."""
    _check_schema(document, _IGNORE_FILE_SCHEMA, (), name)
    at_top: dict[str, Any] = {k: document[k] for k in ("ignore", "overrides") if k in document}
    if at_top and "tool" in document:
        raise ConfigError(
            name, "holds both [[ignore]]/[overrides] and [tool.apidiff]: use one spelling"
        )
    if "tool" in document:
        return _policy(document["tool"].get("apidiff", {}), _TOOL_PATH, name)
    return _policy(at_top, (), name)


def discover_policy(ignore_file: Path | None, start: Path) -> Policy:
    """The policy `apidiff check` applies: `ignore_file` when given, else `[tool.apidiff]` of
    the nearest pyproject.toml that has one, from `start` upward (as ruff finds [tool.ruff]:
    a pyproject.toml without the table is passed over). None anywhere: the empty policy.
    A pyproject.toml found is named relative to `start` in messages."""
    if ignore_file is not None:
        return load_policy(ignore_file)
    start = start.absolute()
    for folder in (start, *start.parents):
        candidate = folder / PYPROJECT
        if candidate.is_file():
            name = os.path.relpath(candidate, start)
            policy = _pyproject_policy(_read_toml(candidate, name), name)
            if policy is not None:
                return policy
    return Policy()


def _read_toml(path: Path, name: str) -> dict[str, Any]:
    # Imported here: a JSON report imports this module (for its ignore entries), and reads
    # no TOML.
    import tomllib

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(name, "no such file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(name, f"not valid TOML: {error}") from None


def _pyproject_policy(document: dict[str, Any], name: str) -> Policy | None:
    """The policy of `[tool.apidiff]`; None when the file has no such table."""
    for misplaced, header in (("ignore", "[[{}]]"), ("overrides", "[{}]")):
        if misplaced in document:
            # pyproject.toml's top level belongs to the packaging standards, not to tools.
            raise ConfigError(
                name,
                f"{header.format(misplaced)} is not read in {PYPROJECT}: "
                f"write {header.format('tool.apidiff.' + misplaced)}",
            )
    tool = document.get("tool", {})
    if not isinstance(tool, dict) or "apidiff" not in tool:
        return None
    _check_schema(tool["apidiff"], POLICY_SCHEMA, _TOOL_PATH, name)
    return _policy(tool["apidiff"], _TOOL_PATH, name)


def _policy(table: Mapping[str, Any], path: tuple[str, ...], name: str) -> Policy:
    """A policy from a table the schema accepted."""
    entries = table.get("ignore", [])
    return Policy(
        ignores=tuple(
            _ignore_entry(entry, (*path, "ignore", index), name)
            for index, entry in enumerate(entries)
        ),
        overrides=_overrides(table.get("overrides", {}), (*path, "overrides"), name),
    )


def _ignore_entry(entry: Mapping[str, Any], path: tuple[Any, ...], name: str) -> IgnoreEntry:
    rule = entry["rule"]
    if rule not in _RULE_PREFIXES:
        raise ConfigError(
            name,
            f'{_table(path)}: "rule" must name a rule or a dotted prefix of rule ids, '
            f"not {json.dumps(rule)}{_did_you_mean(rule, _KNOWN_RULES) or _SEE_KINDS}",
        )
    expires = entry.get("expires")
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires)
        except ValueError:
            raise ConfigError(
                name,
                f'{_table(path)}: "expires" is not a day of the calendar: {json.dumps(expires)}',
            ) from None
    globs = {key: entry.get(key, "*") for key in ("service", "operation", "shape", "member")}
    # The label reports print; the table's own spelling is for errors in the file.
    where = f"{name}: ignore #{path[-1] + 1}"
    return IgnoreEntry(rule=rule, reason=entry["reason"], where=where, expires=expires, **globs)


def _overrides(
    table: Mapping[str, Any], path: tuple[str, ...], name: str
) -> Mapping[str, Mapping[Perspective, Severity]]:
    overrides: dict[str, Mapping[Perspective, Severity]] = {}
    for rule_id, value in table.items():
        if rule_id not in _KNOWN_RULES:
            raise ConfigError(
                name,
                f"{_table(path)}: unknown rule {json.dumps(rule_id)}"
                f"{_did_you_mean(rule_id, _KNOWN_RULES) or _SEE_KINDS}",
            )
        chosen = value if isinstance(value, dict) else dict.fromkeys(Perspective, value)
        overrides[rule_id] = {
            Perspective(perspective): Severity(severity) for perspective, severity in chosen.items()
        }
    return overrides


# --- schema errors as one line naming the table and key


def _check_schema(
    document: Any, schema: Mapping[str, Any], path: tuple[str, ...], name: str
) -> None:
    # Imported here: jsonschema takes ~35 ms to import, and most runs read no policy.
    from jsonschema import Draft202012Validator

    as_json = _as_json(document)
    errors = list(Draft202012Validator(schema).iter_errors(as_json))
    if errors:
        first = min(errors, key=lambda error: _document_order(as_json, error))
        raise ConfigError(name, _explain(first, path))


def _as_json(value: Any) -> Any:
    """A TOML document as JSON: dates, times and datetimes as their ISO text."""
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _document_order(document: Any, error: ValidationError) -> tuple[Any, ...]:
    """Where an error sits in the file (keys keep the file's order), and within one table an
    unknown key first: a misspelt key is what makes a required one go missing."""
    positions = []
    value = document
    for part in error.absolute_path:
        positions.append(list(value).index(part) if isinstance(value, dict) else part)
        value = value[part]
    return (*positions, error.validator != "additionalProperties")


def _explain(error: ValidationError, prefix: tuple[str, ...]) -> str:
    path = (*prefix, *error.absolute_path)
    # jsonschema types these as anything a schema can hold; ours are tables.
    instance: Any = error.instance
    schema: Any = error.schema
    if error.validator == "additionalProperties":
        known = list(schema.get("properties", {}))
        unknown = next(key for key in instance if key not in known)
        value = instance[unknown]
        kind = "table" if _header(path, value) else "key"
        hint = _did_you_mean(unknown, known, lambda key: _spelt((*path, key), value))
        if not hint and known:
            hint = f" (known: {', '.join(known)})"
        return _at(path, f"unknown {kind} {_spelt((*path, unknown), value)}{hint}")
    if error.validator == "required":
        required: list[str] = schema["required"]
        missing = next(key for key in required if key not in instance)
        described = schema["properties"][missing]["description"]
        return _at(path, f'"{missing}" is required: {described}')
    described = schema.get("description") or error.message
    *table, key = path
    if isinstance(key, int):
        return f"{_table(path)} must be {described}, not {_shown(instance)}"
    return _at(tuple(table), f"{json.dumps(key)} must be {described}, not {_shown(instance)}")


def _at(path: Sequence[Any], problem: str) -> str:
    return f"{_table(path)}: {problem}" if path else problem


def _table(path: Sequence[Any]) -> str:
    """A table as the file writes its header: `[overrides]`, `[[ignore]] entry 2`."""
    for position, part in enumerate(path):
        if isinstance(part, int):
            return f"[[{_dotted(path[:position])}]] entry {part + 1}"
    return f"[{_dotted(path)}]"


def _header(path: Sequence[Any], value: Any) -> str | None:
    """The header that writes `value` as a table (`[a.b]`, `[[a.b]]`), if it is one."""
    if isinstance(value, dict):
        return f"[{_dotted(path)}]"
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return f"[[{_dotted(path)}]]"
    return None


def _spelt(path: Sequence[Any], value: Any) -> str:
    """A key as the file writes it: a table's header, or the key's name in quotes."""
    return _header(path, value) or json.dumps(path[-1])


def _dotted(path: Sequence[Any]) -> str:
    return ".".join(
        part if _BARE_KEY.fullmatch(part) else json.dumps(part) for part in map(str, path)
    )


def _did_you_mean(word: str, known: Sequence[str], spell: Callable[[str], str] = json.dumps) -> str:
    close = difflib.get_close_matches(word, known, n=1)
    return f" (did you mean {spell(close[0])}?)" if close else ""


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


__all__ = [
    "POLICY_SCHEMA",
    "IgnoreEntry",
    "Policy",
    "discover_policy",
    "ignore_file_policy",
    "load_policy",
]
