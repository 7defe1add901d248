"""A team's decisions about findings: which to ignore (and why, and until when), and which
rules to rate differently. Read from an ignore file or `[tool.apidiff]` in pyproject.toml:

    [[ignore]]
    rule = "member.removed"          # a rule id, or a dotted prefix of ids ("member")
    service = "sagemaker"            # globs; each defaults to "*"
    operation = "DescribeAutoMLJob"
    shape = "AutoML*"
    member = "*"
    reason = "We do not use AutoML"  # required
    expires = 2027-01-31             # optional: the entry stops applying after this date

    [overrides]
    "enum.value.added" = "safe"                  # every perspective
    "constraint.max.lowered" = { sdk = "breaking" }
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from apidiff.classify.rules import RULES
from apidiff.classify.severity import Perspective, Severity
from apidiff.errors import ConfigError


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


def load_policy(path: Path) -> Policy:
    """A policy from an ignore file, or from `[tool.apidiff]` when `path` is a pyproject.toml."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(str(path), "no such file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(str(path), f"not valid TOML: {error}") from None
    if path.name == "pyproject.toml":
        document = document.get("tool", {}).get("apidiff", {})
    return Policy(
        ignores=tuple(
            _ignore_entry(entry, f"{path}: ignore #{number}")
            for number, entry in enumerate(_list(document.get("ignore", []), str(path)), start=1)
        ),
        overrides=_overrides(document.get("overrides", {}), str(path)),
    )


_KNOWN_RULES = frozenset(rule.id for rule in RULES)
_ENTRY_KEYS = frozenset({"rule", "reason", "service", "operation", "shape", "member", "expires"})


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ConfigError(where, "'ignore' must be a list of tables ([[ignore]])")
    return value


def _ignore_entry(entry: Any, where: str) -> IgnoreEntry:
    if not isinstance(entry, dict):
        raise ConfigError(where, "must be a table")
    unknown = sorted(entry.keys() - _ENTRY_KEYS)
    if unknown:
        raise ConfigError(where, f"unknown key {unknown[0]!r}")
    rule = entry.get("rule")
    if not isinstance(rule, str) or not any(
        known == rule or known.startswith(rule + ".") for known in _KNOWN_RULES
    ):
        raise ConfigError(where, f"'rule' must name a rule or a prefix of rule ids, not {rule!r}")
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ConfigError(where, "'reason' is required: say why this finding is accepted")
    expires = entry.get("expires")
    # TOML reads 2027-01-31T00:00:00 as a datetime, which is also a date: refuse it plainly.
    if expires is not None and (
        isinstance(expires, dt.datetime) or not isinstance(expires, dt.date)
    ):
        raise ConfigError(where, "'expires' must be a date (2027-01-31)")
    globs = {key: entry.get(key, "*") for key in ("service", "operation", "shape", "member")}
    for key, value in globs.items():
        if not isinstance(value, str):
            raise ConfigError(where, f"{key!r} must be a string")
    return IgnoreEntry(rule=rule, reason=reason, where=where, expires=expires, **globs)


def _overrides(table: Any, where: str) -> Mapping[str, Mapping[Perspective, Severity]]:
    if not isinstance(table, dict):
        raise ConfigError(where, "'overrides' must be a table")
    overrides: dict[str, Mapping[Perspective, Severity]] = {}
    for rule_id, value in table.items():
        if rule_id not in _KNOWN_RULES:
            raise ConfigError(where, f"overrides: unknown rule {rule_id!r} (see `apidiff kinds`)")
        chosen: dict[Any, Any] = (
            value if isinstance(value, dict) else dict.fromkeys(Perspective, value)
        )
        try:
            overrides[rule_id] = {
                Perspective(perspective): Severity(severity)
                for perspective, severity in chosen.items()
            }
        except ValueError as error:
            raise ConfigError(where, f"overrides: {rule_id}: {error}") from None
    return overrides
