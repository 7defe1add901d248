"""`apidiff check OLD NEW`: classify every change, explain it, and gate the build."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from apidiff import __version__
from apidiff.classify import Perspective, Severity
from apidiff.classify.policy import discover_policy
from apidiff.cli import cli
from apidiff.cli.notes import ALL_SERVICES_OPTION
from apidiff.cli.output import OFFLINE_OPTION, OUTPUT_OPTION, SERVICE_OPTION, warn, write_output
from apidiff.cli.progress import ProgressDisplay
from apidiff.compare import CompareOptions, compare_sources
from apidiff.errors import ExitStatus, OutputError
from apidiff.render.check import (
    CHECK_RENDERERS,
    GITHUB_FULL_REPORT,
    MARKDOWN_LIMIT,
    check_markdown,
    render_check_sarif,
)
from apidiff.report.check import DEFAULT_MIN_SEVERITY, CheckResult, evaluate_check
from apidiff.report.regions import find_regions, source_reader
from apidiff.report.report import Report
from apidiff.sources import PackageIndex, open_source
from apidiff.sources.base import ModelSource, Provenance

if TYPE_CHECKING:
    # Imported where a check has --usage: the scan's package takes a third of a check's start.
    from apidiff.render.check_usage import UsageGate
    from apidiff.usage.calls import ScanResult

_SEVERITIES = [severity.value for severity in Severity]

# Shared with `apidiff upgrade`, which runs this check.
PERSPECTIVE_OPTION = click.option(
    "--perspective",
    type=click.Choice([perspective.value for perspective in Perspective]),
    default=Perspective.SDK.value,
    show_default=True,
    help="sdk: code calling boto3; stubber: tests using Stubber; wire: peers on the protocol.",
)
FAIL_ON_OPTION = click.option(
    "--fail-on",
    type=click.Choice([*_SEVERITIES, "none"]),
    default=Severity.BREAKING.value,
    show_default=True,
    help="Exit 1 when a finding is this severe or worse.",
)

# GitHub's limit for one step's summary file, in bytes.
STEP_SUMMARY_LIMIT = 1 << 20


@cli.command()
@click.argument("old")
@click.argument("new")
@SERVICE_OPTION
@ALL_SERVICES_OPTION
@PERSPECTIVE_OPTION
@FAIL_ON_OPTION
@click.option(
    "--min-severity",
    type=click.Choice(_SEVERITIES),
    default=DEFAULT_MIN_SEVERITY.value,
    show_default=True,
    help="List findings this severe or worse (every finding is counted, and --fail-on "
    "decides alone what fails).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(CHECK_RENDERERS)),
    default="text",
    show_default=True,
)
@click.option(
    "--ignore-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Ignore entries and severity overrides (TOML: [[ignore]] or [[tool.apidiff.ignore]]); "
    "default: [tool.apidiff] of the nearest pyproject.toml that has one, from the current "
    "folder upward.",
)
@click.option(
    "--usage",
    "usage_paths",
    multiple=True,
    metavar="PATH",
    help="Only the findings that touch the boto3 calls of the Python code under PATH "
    "(repeatable), each at file:line:col; the code is read, never run.",
)
@click.option(
    "--strict-usage",
    is_flag=True,
    help="With --usage, fail also on findings in operations the code calls, on paths it "
    "does not use.",
)
@OFFLINE_OPTION
@OUTPUT_OPTION
def check(
    old: str,
    new: str,
    services: Sequence[str],
    all_services: bool,
    perspective: str,
    fail_on: str,
    min_severity: str,
    output_format: str,
    ignore_file: Path | None,
    usage_paths: Sequence[str],
    strict_usage: bool,
    offline: bool,
    output: Path | None,
) -> int:
    """What in NEW can break code written against OLD. Exit 1 on findings at --fail-on
    (with --usage, on those touching the code's calls)."""
    if strict_usage and not usage_paths:
        raise click.UsageError("--strict-usage applies with --usage PATH")
    checked = run_check(
        old,
        new,
        services=tuple(services),
        all_services=all_services,
        perspective=Perspective(perspective),
        fail_on=fail_on_severity(fail_on),
        min_severity=Severity(min_severity),
        ignore_file=ignore_file,
        usage_paths=tuple(usage_paths),
        strict_usage=strict_usage,
        offline=offline,
    )
    return write_check(checked, output_format, output)


def fail_on_severity(option: str) -> Severity | None:
    """--fail-on's value as the severity a finding fails the check at; None for `none`."""
    return None if option == "none" else Severity(option)


@dataclass(frozen=True, slots=True)
class CheckRun:
    """A check done and not yet written (`write_check`): the two sources opened, the
    findings and the Report they come from (`result.report`), `same_release` where both
    sides are one release (nothing was compared), and with --usage the code's calls as
    read (`code`) and the findings set against them."""

    old_source: ModelSource
    new_source: ModelSource
    result: CheckResult
    same_release: str | None
    code: ScanResult | None
    usage: UsageGate | None

    @property
    def report(self) -> Report:
        return self.result.report


def run_check(
    old: str,
    new: str,
    *,
    perspective: Perspective,
    fail_on: Severity | None,
    services: tuple[str, ...] = (),
    all_services: bool = False,
    min_severity: Severity = DEFAULT_MIN_SEVERITY,
    ignore_file: Path | None = None,
    usage_paths: tuple[str, ...] = (),
    strict_usage: bool = False,
    offline: bool = False,
) -> CheckRun:
    """`apidiff check OLD NEW` up to its output: both sources opened and compared (without
    documentation), the findings under the policy the command finds (`ignore_file`, else
    the nearest pyproject.toml's), and with `usage_paths` the code scanned and matched."""
    policy = discover_policy(ignore_file, Path.cwd())
    with ProgressDisplay() as display:
        index = PackageIndex.from_environment(offline=offline, progress=display.downloading)
        old_source, new_source = open_source(old, index), open_source(new, index)
        same = same_release(old_source.provenance, new_source.provenance)
        if same is not None:
            # Nothing to compare: no model is read, and no wheel a lock: source names fetched.
            report = Report(__version__, old_source.provenance, new_source.provenance, ())
        else:
            report = compare_sources(
                old_source,
                new_source,
                CompareOptions(services=services, all_services=all_services, with_docs=False),
                progress=display.comparing,
            )
    result = evaluate_check(
        report,
        perspective=perspective,
        policy=policy,
        fail_on=fail_on,
        min_severity=min_severity,
    )
    # One release on both sides has no finding to set against the code: it is not scanned.
    code = _scan_code(usage_paths) if usage_paths and same is None else None
    usage = _usage_gate(code, old_source, result, strict_usage) if code is not None else None
    return CheckRun(old_source, new_source, result, same, code, usage)


def write_check(checked: CheckRun, output_format: str, output: Path | None) -> int:
    """Write the check in `output_format` to `output` (None: standard output) and, for the
    github format where GITHUB_STEP_SUMMARY is set, to the step summary; the exit status."""
    result = checked.result
    if checked.same_release is not None:
        return _nothing_to_check(checked.same_release, result, output_format, output)
    usage = located_for(checked.usage, output_format) if checked.usage else None
    if output_format == "sarif":
        # Only SARIF points into the model files: read again, a service at a time.
        regions = find_regions(
            result.findings, source_reader(checked.old_source, checked.new_source)
        )
        write_output(render_check_sarif(result, regions, usage=usage), output)
    else:
        write_output(CHECK_RENDERERS[output_format](result, usage=usage), output)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if output_format == "github" and step_summary:
        append_step_summary(Path(step_summary), result, usage)
    failing = usage.failing(result) if usage else result.failing
    return ExitStatus.FINDINGS if failing else ExitStatus.OK


def same_release(old: Provenance, new: Provenance) -> str | None:
    """`botocore X.Y.Z` where both sides are that one whole release read from the same file
    (the same wheel from the index, however each side named it: botocore==, boto3==, lock:);
    None otherwise. Two folders or wheels saying the same version may hold different models,
    so they are compared."""
    if old.partial or new.partial or not (old.package and old.version):
        return None
    if (old.package, old.version, old.location) != (new.package, new.version, new.location):
        return None
    return f"{old.package} {old.version}"


def _nothing_to_check(
    release: str, result: CheckResult, output_format: str, output: Path | None
) -> int:
    """Both sides one release: the text says so in a line; every other format is written as
    for a check without findings, valid for its readers, and the line goes to standard
    error."""
    old, new = result.report.old.spec, result.report.new.spec
    line = f"apidiff check: both sides are {release} ({old}, {new}): nothing to check"
    if output_format == "text":
        write_output(line + "\n", output)
        return ExitStatus.OK
    write_output(CHECK_RENDERERS[output_format](result, usage=None), output)
    click.echo(line, err=True)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if output_format == "github" and step_summary:
        append_step_summary(Path(step_summary), result)
    return ExitStatus.OK


def _scan_code(paths: Sequence[str]) -> ScanResult:
    from apidiff.usage import scan_paths

    return scan_paths(paths)


def _usage_gate(
    code: ScanResult, old_source: ModelSource, result: CheckResult, strict: bool
) -> UsageGate:
    from apidiff.model.verdicts import ModelVerdicts
    from apidiff.render.check_usage import UsageGate
    from apidiff.sources.cache import default_cache_dir
    from apidiff.usage import OperationCatalog, map_usage
    from apidiff.usage.match import match_usage

    # OLD's models name the calls: the code was written against them.
    found = map_usage(code, OperationCatalog(old_source, ModelVerdicts(default_cache_dir())))
    return UsageGate(match_usage(result, found), strict)


def located_for(usage: UsageGate, output_format: str) -> UsageGate:
    """The user's files named relative to the current folder where they lie below it; for
    GitHub's annotations and code scanning (SARIF), relative to the repository's root
    (GITHUB_WORKSPACE), which a step with a `working-directory` is below."""
    from apidiff.render.check_usage import UsageGate, rebase_usage

    in_repository = output_format in ("github", "sarif")
    root = os.environ.get("GITHUB_WORKSPACE") if in_repository else None
    return UsageGate(rebase_usage(usage.match, root or str(Path.cwd())), usage.strict)


def append_step_summary(path: Path, result: CheckResult, usage: UsageGate | None = None) -> None:
    """The check as Markdown after what earlier commands of the step wrote, within what is
    left of GitHub's limit for the whole file (which it drops whole when it is over)."""
    try:
        written = path.stat().st_size
    except OSError:
        written = 0
    # Characters of at most four UTF-8 bytes each.
    room = (STEP_SUMMARY_LIMIT - written) // 4
    markdown = check_markdown(
        result, limit=min(MARKDOWN_LIMIT, room), rest=GITHUB_FULL_REPORT, usage=usage
    )
    if written + len(markdown.encode("utf-8")) > STEP_SUMMARY_LIMIT:
        warn(f"{path}: the step summary is nearly full; the check's summary was not added")
        return
    try:
        with path.open("a", encoding="utf-8") as summary:
            summary.write(markdown)
    except OSError as error:
        raise OutputError(str(path), f"cannot write the step summary: {error.strerror}") from None
