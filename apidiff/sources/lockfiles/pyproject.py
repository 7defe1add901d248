"""pyproject.toml: the requirements a project states, where they pin a version.

Read: `project.dependencies` and `project.optional-dependencies` (PEP 621), `dependency-groups`
(PEP 735), uv's `tool.uv.dev-dependencies`, `constraint-dependencies` and
`override-dependencies`, pdm's `tool.pdm.dev-dependencies`, and poetry's
`tool.poetry.dependencies`, `dev-dependencies` and `group.<name>.dependencies`, where a
bare version (`boto3 = "1.35.10"`) pins it as `==1.35.10` does.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from apidiff.errors import SourceError
from apidiff.sources.lockfiles.versions import (
    StatedVersion,
    release_package,
    stated_by_requirement,
)


def stated_in_pyproject(document: Mapping[str, Any], file: str) -> tuple[StatedVersion, ...]:
    stated = (stated_by_requirement(text, file) for text in _requirement_strings(document, file))
    return (
        *(mention for mention in stated if mention is not None),
        *_stated_for_poetry(document, file),
    )


def _requirement_strings(document: Mapping[str, Any], file: str) -> Iterator[str]:
    project = _table(document, "project", file)
    tool = _table(document, "tool", file)
    uv = _table(tool, "uv", file)
    lists = [
        ("project.dependencies", project.get("dependencies", [])),
        *_lists_of(_table(project, "optional-dependencies", file), "project.optional-dependencies"),
        *_lists_of(_table(document, "dependency-groups", file), "dependency-groups"),
        *_lists_of(_table(_table(tool, "pdm", file), "dev-dependencies", file), "tool.pdm"),
        *(
            (f"tool.uv.{key}", uv.get(key, []))
            for key in ("dev-dependencies", "constraint-dependencies", "override-dependencies")
        ),
    ]
    for where, items in lists:
        if not isinstance(items, list):
            raise SourceError(file, f"{where} is not an array")
        # A dependency group may include another ({include-group = "..."}): read where it is.
        yield from (item for item in items if isinstance(item, str))


def _lists_of(table: Mapping[str, Any], where: str) -> Iterator[tuple[str, Any]]:
    return ((f"{where}.{name}", items) for name, items in table.items())


def _stated_for_poetry(document: Mapping[str, Any], file: str) -> Iterator[StatedVersion]:
    poetry = _table(_table(document, "tool", file), "poetry", file)
    tables = [
        _table(poetry, "dependencies", file),
        _table(poetry, "dev-dependencies", file),
        *(
            _table(group, "dependencies", file)
            for group in _table(poetry, "group", file).values()
            if isinstance(group, dict)
        ),
    ]
    for dependencies in tables:
        for name, constraint in dependencies.items():
            package = release_package(name)
            if package is not None:
                yield from _poetry_constraints(package, constraint, file)


def _poetry_constraints(package: str, constraint: Any, file: str) -> Iterator[StatedVersion]:
    """poetry's constraint: a string, a table with a `version` (or a git, path or url), or
    an array of tables, each for some markers."""
    if isinstance(constraint, list):
        for each in constraint:
            yield from _poetry_constraints(package, each, file)
        return
    if isinstance(constraint, dict):
        for origin in ("git", "path", "url"):
            if origin in constraint:
                raise SourceError(
                    file, f"{package} comes from {constraint[origin]}, not from a package index"
                )
        constraint = constraint.get("version", "*")
    if not isinstance(constraint, str):
        raise SourceError(file, f"tool.poetry's constraint for {package} is not a string")
    yield _stated_by_poetry_constraint(package, constraint.strip(), file)


def _stated_by_poetry_constraint(package: str, constraint: str, file: str) -> StatedVersion:
    """An exact pin where the constraint is a version, bare or after `==` (poetry reads a bare
    version as that version); any other (`^1.35`, `~1.35`, `>=1.35,<2`, `1.35.*`) a range,
    shown as written: poetry's carets and tildes have no PEP 440 spelling."""
    from packaging.version import InvalidVersion, Version

    try:
        version = str(Version(constraint.removeprefix("==").strip()))
    except InvalidVersion:
        return StatedVersion(package, f" {constraint or '*'}", None, file)
    return StatedVersion(package, f"=={version}", version, file)


def _table(document: Mapping[str, Any], key: str, file: str) -> Mapping[str, Any]:
    table = document.get(key, {})
    if not isinstance(table, dict):
        raise SourceError(file, f"{key} is not a table")
    return table
