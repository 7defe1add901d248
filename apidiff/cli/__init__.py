"""The command line: parse arguments, run the pipeline, print. Errors become one line here.

Each command lives in its own module of this package and registers itself on `cli` when
it is imported, which happens only when the command is run or listed.
The exit statuses, the same for every command, are listed in EXIT_STATUSES (shown by
`apidiff --help`).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from typing import NoReturn

import click

from apidiff import __version__
from apidiff.errors import ApidiffError, ExitStatus

EXIT_STATUSES = f"""\b
Exit status, the same for every command:
  {ExitStatus.OK:>3}  success
  {ExitStatus.FINDINGS:>3}  findings at or above --fail-on (check)
  {ExitStatus.USAGE:>3}  usage error
  {ExitStatus.INPUT:>3}  a file or release that cannot be read, fetched or written
  {ExitStatus.BUG:>3}  a bug in apidiff: --debug (or APIDIFF_DEBUG=1) shows its traceback
  {ExitStatus.INTERRUPTED:>3}  interrupted (Ctrl-C)
  {ExitStatus.OUTPUT_CLOSED:>3}  standard output closed before the end (| head)
"""


# Each command's module, by the command's name.
_COMMAND_MODULES = (
    "cache",
    "check",
    "kinds",
    "notes",
    "release",
    "render",
    "serve",
    "site",
    "upgrade",
    "usage",
)


class _CommandsOnDemand(click.Group):
    """The commands, each imported when it is run (or listed): importing them all took half
    of the README's notes command, `check` and `site` alone a fifth of a second."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*_COMMAND_MODULES, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _COMMAND_MODULES and cmd_name not in self.commands:
            # The module adds its command to `cli` as it is imported.
            importlib.import_module(f"{__name__}.{cmd_name}")
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=_CommandsOnDemand,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXIT_STATUSES,
)
@click.version_option(__version__, prog_name="apidiff")
@click.option(
    "--debug",
    is_flag=True,
    help="On an unexpected error, print its traceback (also APIDIFF_DEBUG=1).",
)
def cli(debug: bool) -> None:
    """What changed between two versions of AWS service models.

    A SOURCE is a service-2.json[.gz] file, a folder in botocore's data/ layout, a
    botocore wheel, botocore==X.Y.Z or boto3==X.Y.Z (fetched from PyPI and cached),
    installed (the botocore in this Python), lock:PATH[@GITREF] for the release a lock
    file pins (uv.lock, poetry.lock, Pipfile.lock, pdm.lock, pylock.toml, requirements
    files, pyproject.toml; as a git ref holds it), or bundled:NAME for models shipped
    with apidiff (bundled:botocore-1.20.41).
    """
    del debug  # `main` reads it from the context, where it outlives this call.


# Comparing one service makes tens of thousands of dicts and lists in a burst (its parsed
# models, their indexes, its documentation), nearly all alive until the service is done and
# none in a cycle; at the default threshold, a collection every 700 new containers, the
# collector scans them again and again for nothing. Raised, it cut `apidiff release` over a
# whole botocore release by 12% without documentation and by 20% with it, at the same peak
# memory. Cycles are still collected, only less often.
_COLLECTION_THRESHOLDS = (100_000, 50, 50)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Raise the garbage collector's thresholds for one command, then put them back."""
    previous = gc.get_threshold()
    gc.set_threshold(*_COLLECTION_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run the command in `argv`, or (None) this process's own command line and end it."""
    if argv is not None:
        with _fewer_collections():
            status = _run(list(argv))
        sys.exit(status)
    _answer_shell_completion()
    # The process ends with its command, so the thresholds stay raised to the end: put back,
    # they set off at once a collection of every object made since the last one (the whole
    # report), 30 ms between the README's notes command writing its output and exiting.
    gc.set_threshold(*_COLLECTION_THRESHOLDS)
    status = _run(sys.argv[1:])
    if status in (ExitStatus.OK, ExitStatus.FINDINGS):
        _end_process(status)
    sys.exit(status)


# Set by the script `_APIDIFF_COMPLETE=bash_source apidiff` prints (zsh_source, fish_source).
_COMPLETION_VARIABLE = "_APIDIFF_COMPLETE"


def _answer_shell_completion() -> None:
    """When the shell asks for completions, answer and end: click's own `main` does this,
    and `_run` does not go through it."""
    instruction = os.environ.get(_COMPLETION_VARIABLE)
    if instruction:
        from click.shell_completion import shell_complete

        sys.exit(shell_complete(cli, {}, "apidiff", _COMPLETION_VARIABLE, instruction))


def _end_process(status: int) -> None:
    """End the process at once after a command that ran to its end, without tearing down the
    interpreter: freeing every object one by one (the modules, then a release's models and
    report) took a sixth of the CPU time of the README's notes command. Nothing needs it by
    then: the output is written and its files closed, worker processes reaped. Only the
    standard streams may hold buffered text; where it cannot be written, the process ends
    the ordinary way, which reports that as it always has. So does a process being profiled
    or traced (python -m cProfile, coverage): they write what they measured at exit."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(status)


def _run(args: list[str]) -> int:
    """Run one command; turn every way it can end into a status and at most one line."""
    debug = os.environ.get("APIDIFF_DEBUG", "") not in ("", "0")
    try:
        # Not click's own `main`: it reads an EOFError (a truncated .gz) as Ctrl-C and
        # exits 1, the status of findings, on a closed pipe.
        with cli.make_context("apidiff", args) as context:
            debug = debug or bool(context.params.get("debug"))
            status = cli.invoke(context)
    except click.exceptions.Exit as leaving:  # --help, --version
        return leaving.exit_code
    except click.exceptions.NoArgsIsHelpError as error:  # `apidiff` alone: the help
        error.show()
        return ExitStatus.USAGE
    except click.ClickException as error:
        # One line, like every other error (click's own takes four); the help is a flag away.
        command = (
            error.ctx.command_path if isinstance(error, click.UsageError) and error.ctx else ""
        )
        hint = f" (see '{command} --help')" if command else ""
        click.echo(f"apidiff: error: {_one_line(error.format_message())}{hint}", err=True)
        return ExitStatus.USAGE
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("apidiff: interrupted", err=True)
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        _silence_standard_output()
        return ExitStatus.OUTPUT_CLOSED
    except ApidiffError as error:
        _show_traceback(debug)
        click.echo(f"apidiff: error: {_one_line(str(error))}", err=True)
        return error.exit_status
    except OSError as error:
        _show_traceback(debug)
        where = error.filename or "apidiff"
        click.echo(f"apidiff: error: {_one_line(f'{where}: {error.strerror or error}')}", err=True)
        return ExitStatus.INPUT
    except Exception as error:
        _show_traceback(debug)
        click.echo(
            f"apidiff: internal error (a bug): {type(error).__name__}: {_one_line(str(error))}"
            " -- run again with --debug or APIDIFF_DEBUG=1 for the traceback, and report it",
            err=True,
        )
        return ExitStatus.BUG
    return status if isinstance(status, int) else ExitStatus.OK


_LONGEST_MESSAGE = 1000


def _one_line(message: str) -> str:
    """A message as one line of bounded length: it may quote a hostile input."""
    line = " ".join(message.split())
    if len(line) > _LONGEST_MESSAGE:
        return line[: _LONGEST_MESSAGE - 3] + "..."
    return line


def _show_traceback(debug: bool) -> None:
    if debug:
        import traceback  # 10 ms, for the rare run that shows one

        traceback.print_exc(file=sys.stderr)


def _silence_standard_output() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush of what is
    still buffered for the closed pipe does not print a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        # Standard output is no file descriptor (a test captures it): nothing to flush.
        pass
