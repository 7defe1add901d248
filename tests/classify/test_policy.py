"""The policy file: one schema for an ignore file and `[tool.apidiff]`, read from either
spelling, every unknown table or key an error naming it, and pyproject.toml found upward."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from apidiff.classify import Perspective, Severity
from apidiff.classify.policy import (
    POLICY_SCHEMA,
    IgnoreEntry,
    Policy,
    discover_policy,
    ignore_file_policy,
    load_policy,
)
from apidiff.errors import ConfigError

ENTRY = 'rule = "member.removed"\nservice = "sagemaker"\nreason = "We do not use AutoML"\n'
OVERRIDE = '"enum.value.added" = "safe"\n"constraint.max.lowered" = { sdk = "breaking" }\n'
TOP_LEVEL = f"[[ignore]]\n{ENTRY}\n[overrides]\n{OVERRIDE}"
TOOL_TABLE = f"[[tool.apidiff.ignore]]\n{ENTRY}\n[tool.apidiff.overrides]\n{OVERRIDE}"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as raised:
        load_policy(path)
    message = str(raised.value)
    assert "\n" not in message
    return message


def expected_policy(where: str) -> Policy:
    return Policy(
        ignores=(
            IgnoreEntry(
                rule="member.removed",
                service="sagemaker",
                reason="We do not use AutoML",
                where=where,
            ),
        ),
        overrides={
            "enum.value.added": dict.fromkeys(Perspective, Severity.SAFE),
            "constraint.max.lowered": {Perspective.SDK: Severity.BREAKING},
        },
    )


# --- one schema, two spellings


def test_policy_schema_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(POLICY_SCHEMA)


@pytest.mark.parametrize("text", [TOP_LEVEL, TOOL_TABLE], ids=["top-level", "tool-table"])
def test_an_ignore_file_is_read_in_either_spelling(tmp_path: Path, text: str) -> None:
    ignores = write(tmp_path / "ignore.toml", text)
    assert load_policy(ignores) == expected_policy(f"{ignores}: ignore #1")


def test_pyproject_reads_the_tool_table_and_leaves_other_tables_to_their_tools(
    tmp_path: Path,
) -> None:
    text = '[project]\nname = "mine"\n\n[tool.ruff]\nline-length = 100\n\n' + TOOL_TABLE
    pyproject = write(tmp_path / "pyproject.toml", text)
    assert load_policy(pyproject) == expected_policy(f"{pyproject}: ignore #1")


def test_pyproject_without_the_tool_table_is_the_empty_policy(tmp_path: Path) -> None:
    assert load_policy(write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')) == Policy()


def test_an_ignore_file_in_both_spellings_at_once_is_refused(tmp_path: Path) -> None:
    both = write(tmp_path / "ignore.toml", f"[[ignore]]\n{ENTRY}\n[tool.apidiff.overrides]\n")
    assert error_of(both) == (
        f"{both}: holds both [[ignore]]/[overrides] and [tool.apidiff]: use one spelling"
    )


def test_the_top_level_spelling_in_pyproject_names_the_right_one(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", f"[[ignore]]\n{ENTRY}")
    assert error_of(pyproject) == (
        f"{pyproject}: [[ignore]] is not read in pyproject.toml: write [[tool.apidiff.ignore]]"
    )


# --- every unknown table or key is an error naming it

SPELLINGS = pytest.mark.parametrize(
    ("name", "header"),
    [
        ("ignore.toml", "[[ignore]]"),
        ("ignore.toml", "[[tool.apidiff.ignore]]"),
        ("pyproject.toml", "[[tool.apidiff.ignore]]"),
    ],
    ids=["ignore-file", "ignore-file-tool-table", "pyproject"],
)


@SPELLINGS
def test_a_misspelt_key_is_named_with_its_entry_and_the_likely_key(
    tmp_path: Path, name: str, header: str
) -> None:
    path = write(tmp_path / name, f"{header}\n{ENTRY}\n{header}\n{ENTRY}servce = 'x'\n")
    assert error_of(path) == (
        f'{path}: {header} entry 2: unknown key "servce" (did you mean "service"?)'
    )


@SPELLINGS
def test_a_misspelt_required_key_is_named_rather_than_reported_missing(
    tmp_path: Path, name: str, header: str
) -> None:
    path = write(tmp_path / name, f'{header}\nrule = "member"\nreasn = "x"\n')
    assert error_of(path).endswith(
        f'{header} entry 1: unknown key "reasn" (did you mean "reason"?)'
    )


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        (
            "ignore.toml",
            "[[ignores]]\n" + ENTRY,
            "unknown table [[ignores]] (did you mean [[ignore]]?)",
        ),
        ("ignore.toml", "[override]\n", "unknown table [override] (did you mean [overrides]?)"),
        (
            "ignore.toml",
            "fail_on = 'risky'\n",
            'unknown key "fail_on" (known: ignore, overrides, tool)',
        ),
        ("ignore.toml", "[tool.ruff]\n", "[tool]: unknown table [tool.ruff] (known: apidiff)"),
        (
            "pyproject.toml",
            "[tool.apidiff.overide]\n",
            "[tool.apidiff]: unknown table [tool.apidiff.overide] "
            "(did you mean [tool.apidiff.overrides]?)",
        ),
        (
            "pyproject.toml",
            '[tool.apidiff.overrides]\n"member.removed" = { python = "risky" }\n',
            '[tool.apidiff.overrides."member.removed"]: unknown key "python" '
            "(known: sdk, stubber, wire)",
        ),
    ],
    ids=["array-of-tables", "table", "key", "other-tool", "pyproject-table", "perspective"],
)
def test_an_unknown_table_or_key_is_an_error_naming_it(
    tmp_path: Path, name: str, text: str, problem: str
) -> None:
    path = write(tmp_path / name, text)
    assert error_of(path) == f"{path}: {problem}"


# --- values


@pytest.mark.parametrize(
    ("expires", "date"),
    [("2027-01-31", dt.date(2027, 1, 31)), ('"2027-01-31"', dt.date(2027, 1, 31))],
    ids=["toml-date", "string"],
)
def test_expiry_is_a_toml_date_or_a_date_string(
    tmp_path: Path, expires: str, date: dt.date
) -> None:
    path = write(tmp_path / "ignore.toml", f"[[ignore]]\n{ENTRY}expires = {expires}\n")
    assert load_policy(path).ignores[0].expires == date


@pytest.mark.parametrize(
    ("expires", "problem"),
    [
        (
            "2027-01-31T00:00:00",
            '"expires" must be a date: 2027-01-31 or "2027-01-31", not "2027-01-31T00:00:00"',
        ),
        ('"soon"', '"expires" must be a date: 2027-01-31 or "2027-01-31", not "soon"'),
        ('"20270131"', '"expires" must be a date: 2027-01-31 or "2027-01-31", not "20270131"'),
        ('"2027-02-30"', '"expires" is not a day of the calendar: "2027-02-30"'),
        # The schema's pattern ends in $, which Python's re also matches before a final "\n".
        ('"2027-01-31\\n"', '"expires" is not a day of the calendar: "2027-01-31\\n"'),
    ],
    ids=["datetime", "word", "basic-format", "no-such-day", "trailing-newline"],
)
def test_an_expiry_that_is_not_a_date_is_refused(
    tmp_path: Path, expires: str, problem: str
) -> None:
    path = write(tmp_path / "ignore.toml", f"[[ignore]]\n{ENTRY}expires = {expires}\n")
    assert error_of(path) == f"{path}: [[ignore]] entry 1: {problem}"


def test_a_rule_prefix_covers_the_rules_below_it(tmp_path: Path) -> None:
    path = write(tmp_path / "ignore.toml", '[[ignore]]\nrule = "member"\nreason = "x"\n')
    entry = load_policy(path).ignores[0]
    assert entry.covers_rule("member.removed")
    assert not entry.covers_rule("members.removed")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            '[[ignore]]\nrule = "membr.removed"\nreason = "x"\n',
            '[[ignore]] entry 1: "rule" must name a rule or a dotted prefix of rule ids, '
            'not "membr.removed" (did you mean "member.removed"?)',
        ),
        (
            '[[ignore]]\nrule = "oper"\nreason = "x"\n',
            '[[ignore]] entry 1: "rule" must name a rule or a dotted prefix of rule ids, '
            'not "oper" (`apidiff kinds` lists the rules)',
        ),
        (
            '[[ignore]]\nrule = "member.removed"\n',
            '[[ignore]] entry 1: "reason" is required: '
            "a sentence saying why this finding is accepted",
        ),
        (
            '[[ignore]]\nrule = "member.removed"\nreason = "  "\n',
            '[[ignore]] entry 1: "reason" must be a sentence saying why this finding is '
            'accepted, not "  "',
        ),
        (
            '[[ignore]]\nrule = "member"\nreason = "x"\nshape = 3\n',
            '[[ignore]] entry 1: "shape" must be a glob such as "AutoML*" (a string), not 3',
        ),
        ('ignore = "member"\n', '"ignore" must be an array of tables, one [[ignore]] per entry'),
        ("ignore = [1]\n", "[[ignore]] entry 1 must be a table, not 1"),
        (
            '[overrides]\n"operation.removed" = "fatal"\n',
            '[overrides]: "operation.removed" must be a severity: info, safe, risky, '
            'breaking, not "fatal"',
        ),
        (
            '[overrides]\n"operation.remved" = "risky"\n',
            '[overrides]: unknown rule "operation.remved" (did you mean "operation.removed"?)',
        ),
    ],
    ids=[
        "unknown-rule",
        "partial-prefix",
        "missing-reason",
        "blank-reason",
        "glob-not-a-string",
        "ignore-not-a-list",
        "entry-not-a-table",
        "bad-severity",
        "unknown-override",
    ],
)
def test_a_bad_value_is_named_with_its_table(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path / "ignore.toml", text)
    assert error_of(path).startswith(f"{path}: {problem}")


@pytest.mark.parametrize(
    ("text", "problem"),
    [("", "no such file"), ("[[ignore]\n", "not valid TOML: ")],
    ids=["missing", "bad-toml"],
)
def test_an_unreadable_file_is_named(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "ignore.toml"
    if text:
        write(path, text)
    assert error_of(path).startswith(f"{path}: {problem}")


# --- pyproject.toml found upward, as ruff finds [tool.ruff]


@pytest.fixture
def nested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder holding a pyproject.toml with a policy; the current folder two below."""
    write(tmp_path / "project" / "pyproject.toml", TOOL_TABLE)
    inner = tmp_path / "project" / "src" / "pkg"
    inner.mkdir(parents=True)
    monkeypatch.chdir(inner)
    return tmp_path / "project"


def test_the_pyproject_of_a_parent_folder_is_found(nested: Path) -> None:
    policy = discover_policy(None, Path.cwd())
    assert policy == expected_policy(str(Path("..", "..", "pyproject.toml")) + ": ignore #1")


def test_a_relative_start_folder_is_searched_upward(nested: Path) -> None:
    assert discover_policy(None, Path()).ignores


def test_a_pyproject_without_the_tool_table_is_passed_over(nested: Path) -> None:
    write(nested / "src" / "pyproject.toml", '[project]\nname = "inner"\n')
    assert discover_policy(None, Path.cwd()).ignores


def test_the_nearest_pyproject_with_the_tool_table_wins_alone(nested: Path) -> None:
    write(
        nested / "src" / "pyproject.toml", '[tool.apidiff.overrides]\n"member.removed" = "risky"\n'
    )
    policy = discover_policy(None, Path.cwd())
    assert policy.ignores == ()
    assert policy.overrides == {"member.removed": dict.fromkeys(Perspective, Severity.RISKY)}


def test_an_empty_tool_table_stops_the_search(nested: Path) -> None:
    write(nested / "src" / "pyproject.toml", "[tool.apidiff]\n")
    assert discover_policy(None, Path.cwd()) == Policy()


def test_a_broken_pyproject_on_the_way_up_is_named(nested: Path) -> None:
    write(nested / "src" / "pyproject.toml", "[project\n")
    with pytest.raises(ConfigError, match=r"^\.\./pyproject\.toml: not valid TOML"):
        discover_policy(None, Path.cwd())


def test_an_ignore_file_replaces_the_search(nested: Path) -> None:
    write(nested / "src" / "pkg" / "empty.toml", "")
    assert discover_policy(Path("empty.toml"), Path.cwd()) == Policy()


def test_no_pyproject_anywhere_is_the_empty_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not any((folder / "pyproject.toml").exists() for folder in tmp_path.parents)
    monkeypatch.chdir(tmp_path)
    assert discover_policy(None, Path.cwd()) == Policy()


# --- any TOML: a policy, or one line naming the file

_KEYS = st.sampled_from(
    [
        "ignore",
        "overrides",
        "tool",
        "apidiff",
        "rule",
        "reason",
        "service",
        "operation",
        "shape",
        "member",
        "expires",
        "sdk",
        "stubber",
        "wire",
        "member.removed",
        "member",
        "servce",
        "ignores",
    ]
) | st.text(max_size=6)
_SCALARS = (
    st.sampled_from(["member.removed", "member", "safe", "breaking", "2027-01-31", "sdk", " "])
    | st.text(max_size=12)
    | st.integers()
    | st.floats()
    | st.booleans()
    | st.dates()
    | st.datetimes()
    | st.times()
)
_TOML_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_KEYS, _TOML_VALUES, max_size=4))
def test_any_toml_document_is_a_policy_or_one_line_naming_the_file(
    document: dict[str, Any],
) -> None:
    try:
        policy = ignore_file_policy(document, "ignore.toml")
    except ConfigError as error:
        assert str(error).startswith("ignore.toml: ")
        assert "\n" not in str(error) and "\r" not in str(error)
        return
    for entry in policy.ignores:
        assert entry.reason.strip()
        assert entry.expires is None or type(entry.expires) is dt.date


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {"rule": st.sampled_from(["member.removed", "member", "operation.removed"])},
            optional={
                "reason": st.text(max_size=8),
                "service": st.text(max_size=4),
                "expires": st.dates() | st.text(max_size=11),
                "servce": st.text(max_size=4),
            },
        ),
        max_size=3,
    )
)
def test_ignore_entries_of_either_spelling_read_alike(entries: list[dict[str, Any]]) -> None:
    def outcome(document: dict[str, Any]) -> Any:
        try:
            policy = ignore_file_policy(document, "f")
        except ConfigError as error:
            # The spelling differs by design: the table as the file writes it.
            return str(error).replace("[[tool.apidiff.ignore]]", "[[ignore]]")
        return policy

    top = outcome({"ignore": entries})
    assert top == outcome({"tool": {"apidiff": {"ignore": entries}}})
