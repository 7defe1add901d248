"""The command-line entry point itself, apart from any one command."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from apidiff.cli import cli, main
from apidiff.errors import ExitStatus, ModelLoadError
from tests.conftest import MODELS, REPO


@pytest.fixture
def thresholds_seen() -> Iterator[list[tuple[int, int, int]]]:
    """A throwaway command that records the collector's thresholds while it runs."""
    seen: list[tuple[int, int, int]] = []

    @cli.command("record-gc")
    def record() -> None:
        seen.append(gc.get_threshold())

    try:
        yield seen
    finally:
        del cli.commands["record-gc"]


def test_a_command_runs_with_fewer_garbage_collections(
    thresholds_seen: list[tuple[int, int, int]],
) -> None:
    before = gc.get_threshold()
    with pytest.raises(SystemExit) as exited:
        main(["record-gc"])
    assert exited.value.code == 0
    (during,) = thresholds_seen
    assert during[0] > before[0]


def test_the_collector_is_left_as_it_was_found(
    thresholds_seen: list[tuple[int, int, int]],
) -> None:
    before = gc.get_threshold()
    with pytest.raises(SystemExit):
        main(["record-gc"])
    with pytest.raises(SystemExit):
        main(["no-such-command"])
    assert gc.get_threshold() == before


def test_a_process_ends_with_the_collector_as_its_command_ran(
    thresholds_seen: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Thresholds put back before the end would set off a collection of everything the
    # command made, just before the process ends and frees it all anyway.
    before = gc.get_threshold()
    ending: list[tuple[int, int, int]] = []
    monkeypatch.setattr(sys, "argv", ["apidiff", "record-gc"])
    monkeypatch.setattr("apidiff.cli._end_process", lambda _: ending.append(gc.get_threshold()))
    try:
        with pytest.raises(SystemExit) as exited:
            main()
    finally:
        gc.set_threshold(*before)
    assert exited.value.code == 0
    assert ending == thresholds_seen
    assert ending[0][0] > before[0]


@pytest.fixture
def failing_command() -> Iterator[list[BaseException]]:
    """A throwaway command that raises whatever the test puts in the list."""
    raised: list[BaseException] = []

    @cli.command("fail")
    def fail() -> None:
        raise raised[0]

    try:
        yield raised
    finally:
        del cli.commands["fail"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


def test_a_crash_exits_with_the_bug_status_and_one_line(
    capsys: pytest.CaptureFixture[str],
    failing_command: list[BaseException],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("APIDIFF_DEBUG", raising=False)
    failing_command.append(ValueError("unknown url type:\n'notaurl'"))
    status, out, err = run(capsys, "fail")
    assert (status, out) == (ExitStatus.BUG, "")
    assert status == 70
    assert err.count("\n") == 1
    assert err.startswith(
        "apidiff: internal error (a bug): ValueError: unknown url type: 'notaurl'"
    )
    assert "--debug" in err and "APIDIFF_DEBUG=1" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("arguments", "environment"), [(["--debug", "fail"], {}), (["fail"], {"APIDIFF_DEBUG": "1"})]
)
def test_debug_shows_the_traceback_of_a_crash(
    capsys: pytest.CaptureFixture[str],
    failing_command: list[BaseException],
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
    environment: dict[str, str],
) -> None:
    monkeypatch.delenv("APIDIFF_DEBUG", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    failing_command.append(ValueError("broken"))
    status, _out, err = run(capsys, *arguments)
    assert status == ExitStatus.BUG
    assert err.startswith("Traceback (most recent call last):")
    assert "ValueError: broken" in err


def test_an_expected_error_is_one_line_even_when_its_reason_is_not(
    capsys: pytest.CaptureFixture[str], failing_command: list[BaseException]
) -> None:
    failing_command.append(ModelLoadError("a.json", "bad\ndocumentation\n\n<b>"))
    assert run(capsys, "fail") == (3, "", "apidiff: error: a.json: bad documentation <b>\n")


@pytest.mark.parametrize("interruption", [KeyboardInterrupt(), click.exceptions.Abort()])
def test_an_interrupt_exits_130_without_a_traceback(
    capsys: pytest.CaptureFixture[str],
    failing_command: list[BaseException],
    interruption: BaseException,
) -> None:
    failing_command.append(interruption)
    assert run(capsys, "fail") == (130, "", "apidiff: interrupted\n")


def test_an_end_of_file_inside_a_command_is_a_bug_not_an_interrupt(
    capsys: pytest.CaptureFixture[str], failing_command: list[BaseException]
) -> None:
    """A truncated gzip stream raises EOFError, which click's own main takes for Ctrl-C."""
    failing_command.append(EOFError("Compressed file ended before the end-of-stream marker"))
    status, _out, err = run(capsys, "fail")
    assert status == ExitStatus.BUG
    assert "EOFError: Compressed file ended" in err


def test_a_closed_standard_output_ends_quietly_in_process(
    capsys: pytest.CaptureFixture[str],
    failing_command: list[BaseException],
) -> None:
    failing_command.append(BrokenPipeError(32, "Broken pipe"))
    assert run(capsys, "fail") == (ExitStatus.OUTPUT_CLOSED, "", "")


def test_a_closed_pipe_ends_quietly_with_the_sigpipe_status() -> None:
    """`apidiff notes ... | head -1`: the reader goes away while apidiff still writes."""
    notes = [
        sys.executable,
        "-m",
        "apidiff",
        "notes",
        str(MODELS / "botocore-1.20.40"),
        str(MODELS / "botocore-1.20.41"),
    ]
    process = subprocess.Popen(notes, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read()
    process.stderr.close()
    assert (process.wait(timeout=120), err) == (ExitStatus.OUTPUT_CLOSED, b"")


def test_help_documents_every_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "--help")
    assert status == 0
    listed = {
        int(line.split()[0]) for line in out.splitlines() if line.strip()[:3].strip().isdigit()
    }
    assert listed == {int(member) for member in ExitStatus}
    assert "--debug" in out and "APIDIFF_DEBUG=1" in out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["no-such-command"], "No such command 'no-such-command'. (see 'apidiff --help')"),
        (
            ["kinds", "--format", "yaml"],
            "Invalid value for '--format': 'yaml' is not one of 'text', 'markdown', 'json'."
            " (see 'apidiff kinds --help')",
        ),
    ],
)
def test_a_usage_error_is_one_line(
    capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    assert run(capsys, *arguments) == (ExitStatus.USAGE, "", f"apidiff: error: {message}\n")


def test_no_command_at_all_shows_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys)
    assert status == ExitStatus.USAGE
    assert "Commands:" in out + err


def test_an_os_error_names_its_file_in_one_line(
    capsys: pytest.CaptureFixture[str], failing_command: list[BaseException]
) -> None:
    failing_command.append(PermissionError(13, "Permission denied", "a\nb.json"))
    assert run(capsys, "fail") == (3, "", "apidiff: error: a b.json: Permission denied\n")


def test_an_index_url_without_a_scheme_is_a_usage_error_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The issue's own reproduction: it printed a traceback and exited 1, as for findings."""
    monkeypatch.setenv("APIDIFF_PYPI_URL", "notaurl")
    monkeypatch.setenv("APIDIFF_CACHE_DIR", str(tmp_path))
    status, out, err = run(
        capsys, "check", "botocore==1.20.40", "botocore==1.20.41", "--fail-on", "none"
    )
    assert (status, out) == (ExitStatus.USAGE, "")
    assert err.startswith("apidiff: error: APIDIFF_PYPI_URL: ")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["notes", "--format", "markdown"], ExitStatus.OK),
        (["check", "--fail-on", "safe"], ExitStatus.FINDINGS),
    ],
)
def test_a_process_that_ends_without_teardown_has_written_everything(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], status: ExitStatus
) -> None:
    # A command run as a program ends with os._exit: what it printed and what it wrote to a
    # file must be there whole all the same, with the status it ran to.
    command, *options = args
    models = [str(MODELS / "botocore-1.20.40"), str(MODELS / "botocore-1.20.41")]
    written = tmp_path / "notes.md"
    with pytest.raises(SystemExit) as exit_info:
        main([command, *models, *options])
    expected = capsys.readouterr().out
    assert exit_info.value.code == status
    for output in ([], ["--output", str(written)]):
        process = subprocess.run(
            [sys.executable, "-m", "apidiff", command, *models, *options, *output],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )
        assert process.returncode == status
        assert (written.read_text() if output else process.stdout) == expected


def test_a_profiled_run_ends_the_ordinary_way_so_the_profile_is_written() -> None:
    # cProfile (and coverage) write what they measured as the interpreter ends: os._exit
    # would lose it.
    process = subprocess.run(
        [sys.executable, "-m", "cProfile", "-m", "apidiff", "kinds", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert process.returncode == 0
    assert "function calls" in process.stdout and "Ordered by:" in process.stdout


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("apidiff ch", "plain,check"),
        ("apidiff check --fail", "plain,--fail-on"),
        ("apidiff release --format ", "plain,json"),
    ],
)
def test_the_shell_gets_completions_from_the_program(words: str, expected: str) -> None:
    # What the script of `_APIDIFF_COMPLETE=bash_source apidiff` asks at each Tab.
    completion = {"_APIDIFF_COMPLETE": "bash_complete", "COMP_WORDS": words}
    process = subprocess.run(
        [sys.executable, "-m", "apidiff"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env={**os.environ, **completion, "COMP_CWORD": str(len(words.split(" ")) - 1)},
    )
    assert process.returncode == 0, process.stderr
    assert expected in process.stdout.splitlines()


def test_the_shell_gets_the_completion_script() -> None:
    process = subprocess.run(
        [sys.executable, "-m", "apidiff"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env={**os.environ, "_APIDIFF_COMPLETE": "bash_source"},
    )
    assert process.returncode == 0
    assert "complete -o nosort -F _apidiff_completion apidiff" in process.stdout
