"""`apidiff upgrade LOCKFILE...`: check the botocore upgrade a change to lock files makes.

For a pull request that bumps boto3, or a commit that does: each lock file is read twice,
as a git ref (`--base`) holds it and as the working tree does, and the check runs on each
distinct upgrade found: `apidiff check` itself, run and written as that command does. With
`--format github` the step summary gets the check's findings, then the release notes of
the services the code calls (with `--usage`) or of every service the upgrade changed, from
the Report the check made: each release pair is compared once.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from apidiff.classify import Perspective
from apidiff.cli import cli
from apidiff.cli.check import (
    FAIL_ON_OPTION,
    PERSPECTIVE_OPTION,
    STEP_SUMMARY_LIMIT,
    CheckRun,
    fail_on_severity,
    run_check,
    write_check,
)
from apidiff.cli.output import OFFLINE_OPTION
from apidiff.errors import ExitStatus, OutputError
from apidiff.render import Layout, render_markdown
from apidiff.render.environment import escape_markdown
from apidiff.report import Report
from apidiff.sources import PackageIndex, open_source
from apidiff.sources.lockfiles import NotAtRefError, ProjectFiles

if TYPE_CHECKING:
    from apidiff.usage.calls import ScanResult

# The lock files looked for in the current folder when none is named, in this order.
LOCK_FILE_NAMES = (
    "uv.lock",
    "poetry.lock",
    "Pipfile.lock",
    "pdm.lock",
    "pylock.toml",
    "requirements.txt",
)
# Room kept in the step summary for the line counting the services left out.
_CLOSING_ROOM = 1_000


@dataclass(frozen=True, slots=True)
class Upgrade:
    """One botocore upgrade, and the lock files that record it; `old_version` None where
    the lock files are new since the base (a pull request that adds uv.lock)."""

    old_version: str | None
    new_version: str
    lock_files: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.old_version not in (None, self.new_version)


@cli.command()
@click.argument("lock_files", nargs=-1, metavar="[LOCKFILE]...")
@click.option(
    "--base",
    metavar="REF",
    default="HEAD",
    show_default=True,
    help="The git ref holding the lock files before the upgrade (a pull request's base "
    "branch, origin/main); they are read from it with `git show`.",
)
@click.option(
    "--usage",
    "usage_paths",
    multiple=True,
    metavar="PATH",
    help="Only the findings that touch the boto3 calls of the Python code under PATH "
    "(repeatable), as `apidiff check --usage`; the release notes then cover the services "
    "the code calls.",
)
@PERSPECTIVE_OPTION
@FAIL_ON_OPTION
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["github", "markdown", "text"]),
    default="text",
    show_default=True,
    help="github: annotations, and the step summary (findings, then release notes) appended "
    "to $GITHUB_STEP_SUMMARY where it is set.",
)
@OFFLINE_OPTION
def upgrade(
    lock_files: Sequence[str],
    base: str,
    usage_paths: Sequence[str],
    perspective: str,
    fail_on: str,
    output_format: str,
    offline: bool,
) -> int:
    """Check the botocore upgrade recorded in each LOCKFILE since --base: uv.lock,
    poetry.lock, Pipfile.lock, pdm.lock, pylock.toml, requirements*.txt or pyproject.toml;
    by default the first five and requirements.txt where present. A lock file whose
    botocore did not change passes."""
    names = tuple(lock_files) or _lock_files_here()
    index = PackageIndex.from_environment(offline=offline)
    summary = _step_summary(output_format)
    status: int = ExitStatus.OK
    for found in _upgrades(names, base, index):
        files = ", ".join(found.lock_files)
        if not found.changed:
            said = (
                f"{files}: new since {base} (botocore {found.new_version}): no upgrade to check"
                if found.old_version is None
                else f"{files}: botocore {found.new_version}, as at {base}: no upgrade to check"
            )
            click.echo(f"apidiff upgrade: {said}")
            if summary:
                _append(summary, [f"## apidiff upgrade\n\n{escape_markdown(said)}.\n"])
            continue
        click.echo(
            f"apidiff upgrade: {files}: botocore {found.old_version} (at {base})"
            f" -> {found.new_version}"
        )
        checked = _check_upgrade(
            found, tuple(usage_paths), perspective, fail_on, output_format, index, summary
        )
        status = max(status, checked)
    return status


def _step_summary(output_format: str) -> Path | None:
    """Where GitHub reads the job summary from, for the github format (as the check does)."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    return Path(path) if path and output_format == "github" else None


def _lock_files_here() -> tuple[str, ...]:
    present = tuple(name for name in LOCK_FILE_NAMES if Path(name).is_file())
    if not present:
        raise click.UsageError(
            f"no LOCKFILE given, and none of {', '.join(LOCK_FILE_NAMES)} in the current folder"
        )
    return present


def _upgrades(names: Sequence[str], base: str, index: PackageIndex) -> Iterator[Upgrade]:
    """The distinct upgrades the lock files record, in the order of the first file naming
    each: a project's uv.lock and the requirements.txt exported from it are checked once."""
    files_by_pair: dict[tuple[str | None, str], list[str]] = {}
    for name in names:
        old = _botocore_version_at(name, base, index)
        new = _botocore_version(f"lock:{name}", index)
        files_by_pair.setdefault((old, new), []).append(name)
    for (old, new), files in files_by_pair.items():
        yield Upgrade(old, new, tuple(files))


def _botocore_version_at(name: str, base: str, index: PackageIndex) -> str | None:
    """The botocore version the lock file `name` records at `base`; None where `base`
    does not hold the file (a file it includes missing there is still an error)."""
    try:
        return _botocore_version(f"lock:{name}@{base}", index)
    except NotAtRefError as error:
        if error.where != ProjectFiles(base).name(Path(name)):
            raise
        return None


def _botocore_version(spec: str, index: PackageIndex) -> str:
    version = open_source(spec, index).provenance.version
    assert version is not None, f"{spec} resolves to a release, which has a version"
    return version


def _check_upgrade(
    found: Upgrade,
    usage_paths: tuple[str, ...],
    perspective: str,
    fail_on: str,
    output_format: str,
    index: PackageIndex,
    summary: Path | None,
) -> int:
    """`apidiff check` on the upgrade, in `output_format` (with github, it adds the findings
    to the step summary); then the release notes from the check's Report, after them in
    the summary."""
    checked = run_check(
        f"botocore=={found.old_version}",
        f"botocore=={found.new_version}",
        perspective=Perspective(perspective),
        fail_on=fail_on_severity(fail_on),
        usage_paths=usage_paths,
        offline=index.settings.offline,
    )
    status = write_check(checked, output_format, None)
    if summary:
        _append(summary, _fitting(_release_notes(checked), summary))
    return status


def _called_services(code: ScanResult) -> frozenset[str]:
    """The services the code makes clients of, by name."""
    return frozenset(call.service for call in code.calls if call.service)


@dataclass(frozen=True, slots=True)
class ReleaseNotes:
    """The release notes part of the step summary: its heading and scope, and the report
    whose services it shows (None where there is nothing to show)."""

    head: str
    report: Report | None


def _release_notes(checked: CheckRun) -> ReleaseNotes:
    """The services the code calls (where the check read code), or every service the
    upgrade changes, from the check's Report (compared without documentation)."""
    old, new = checked.old_source, checked.new_source
    head = (
        f"\n## Release notes: {escape_markdown(old.provenance.label)} → "
        f"{escape_markdown(new.provenance.label)}\n\n"
    )
    if checked.code is None:
        report = checked.report
        return ReleaseNotes(
            f"{head}The {_services(len(report.services))} the upgrade changes.\n\n", report
        )
    called = tuple(sorted(_called_services(checked.code) & {*old.services(), *new.services()}))
    if not called:
        return ReleaseNotes(
            f"{head}Your code names no service of this release in its calls.\n", None
        )
    report = _narrowed(checked.report, called)
    listed = escape_markdown(", ".join(called))
    changed = escape_markdown(", ".join(service.service for service in report.services))
    scope = (
        f"Of the services your code calls ({listed}), the upgrade changes {changed}."
        if changed
        else f"The upgrade changes none of the services your code calls ({listed})."
    )
    return ReleaseNotes(f"{head}{scope}\n\n", report)


def _narrowed(report: Report, services: Collection[str]) -> Report:
    """The part of a Report of two whole releases that holds `services`: what comparing
    those services alone makes, without comparing them again."""
    return replace(
        report,
        services=tuple(service for service in report.services if service.service in services),
        unchanged_services=tuple(name for name in report.unchanged_services if name in services),
        left_out=(),
    )


def _fitting(notes: ReleaseNotes, summary: Path) -> list[str]:
    """The notes, one service after another, in what is left of GitHub's limit for the
    summary; the services that do not fit are counted."""
    pieces = [notes.head]
    if notes.report is None:
        return pieces
    report = notes.report
    try:
        written = summary.stat().st_size
    except OSError:
        written = 0
    room = STEP_SUMMARY_LIMIT - written - _CLOSING_ROOM - len(notes.head.encode("utf-8"))
    for shown, service in enumerate(report.services):
        one = "".join(
            render_markdown(replace(report, services=(service,), left_out=()), Layout(docs=False))
        )
        size = len(one.encode("utf-8")) + 1
        if size > room:
            pieces.append(
                f"\n_The notes of {_services(len(report.services) - shown, 'more ')} do not fit "
                f"in the step summary: `apidiff notes botocore=={report.old.version} "
                f"botocore=={report.new.version} --format markdown` has them all._\n"
            )
            break
        pieces.append(one + "\n")
        room -= size
    return pieces


def _services(count: int, which: str = "") -> str:
    return f"{count} {which}service{'' if count == 1 else 's'}"


def _append(path: Path, pieces: Sequence[str]) -> None:
    try:
        with path.open("a", encoding="utf-8") as summary:
            summary.writelines(pieces)
    except OSError as error:
        raise OutputError(str(path), f"cannot write the step summary: {error.strerror}") from None
