"""Options and output shared by the commands: format, output file, atomic writes."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from apidiff.errors import OutputError
from apidiff.render import RENDERERS, Layout
from apidiff.render.style import Style, ansi, plain
from apidiff.report import Report

FORMAT_OPTION = click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(RENDERERS)),
    default="text",
    show_default=True,
    help="Output format.",
)
SERVICE_OPTION = click.option(
    "--service", "services", multiple=True, help="Only this service (repeatable)."
)
CHANGELOG_OPTION = click.option(
    "--changelog",
    "changelog_path",
    type=click.Path(exists=True, path_type=Path),
    help="botocore's .changes/<version>.json, CHANGELOG.rst, or a botocore checkout.",
)
NO_DOCS_OPTION = click.option("--no-docs", is_flag=True, help="Leave out the method documentation.")
OFFLINE_OPTION = click.option(
    "--offline",
    is_flag=True,
    help="Use only the download cache; say what is missing from it (also APIDIFF_OFFLINE=1).",
)
COLOR_OPTION = click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour text output: auto colours it on a terminal unless NO_COLOR is set.",
)
OUTPUT_OPTION = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write to this file instead of standard output (`-`): a regular file is replaced "
    "atomically, keeping its permissions; a device, FIFO or /dev/fd/N is written to.",
)


_BATCH = 1 << 16


def emit_report(
    report: Report,
    output_format: str,
    output: Path | None,
    *,
    color: str = "never",
    overview: bool = False,
    docs: bool = True,
) -> None:
    style = text_style(color, output) if output_format == "text" else plain
    layout = Layout(overview=overview, docs=docs, style=style)
    write_output(RENDERERS[output_format](report, layout), output)


def text_style(color: str, output: Path | None) -> Style:
    """Colour for `--color`: always, never, or (auto) where standard output is a terminal
    that NO_COLOR (https://no-color.org) does not turn off."""
    if color == "always":
        return ansi
    if color == "never" or not is_standard_output(output) or os.environ.get("NO_COLOR"):
        return plain
    return ansi if sys.stdout.isatty() else plain


def write_output(text: str | Iterable[str], output: Path | None) -> None:
    """Print, or write to `output`: one text, or its pieces in order. `-` is standard output."""
    pieces = [text] if isinstance(text, str) else text
    if is_standard_output(output):
        _print(pieces)
    else:
        assert output is not None
        write_file(output, pieces)


def warn(message: str) -> None:
    """A warning on standard error, one line, where the report on standard output is not."""
    click.echo(f"apidiff: warning: {message}", err=True)


def is_standard_output(output: Path | None) -> bool:
    return output is None or str(output) == "-"


def _print(pieces: Iterable[str]) -> None:
    # click.echo flushes each time: templates yield many small pieces, so gather them.
    # It would also strip colour where it sees no terminal: --color has decided that.
    batch: list[str] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= _BATCH:
            click.echo("".join(batch), nl=False, color=True)
            batch, size = [], 0
    click.echo("".join(batch), nl=False, color=True)


# Paths that name an open file descriptor (`-o >(cmd)` passes /dev/fd/63): there is no
# folder to put a temporary file in, and the descriptor is the destination itself.
_DESCRIPTOR_PATHS = ("/dev/fd/", "/proc/self/fd/", "/dev/stdout", "/dev/stderr")


def write_file(path: Path, pieces: Iterable[str]) -> None:
    """Write `pieces` to the file at `path` the way a user who named it expects.

    A regular file or a new path is replaced atomically (complete or untouched); a symlink
    is followed and its target replaced; anything else (a character device such as
    /dev/null, a FIFO, a /dev/fd/N descriptor) is opened and written to, never replaced.
    Failures raise OutputError naming `path` as the user gave it.
    """
    try:
        if str(path).startswith(_DESCRIPTOR_PATHS):
            _write_in_place(path, pieces)
            return
        try:
            status = path.stat()
        except FileNotFoundError:
            # A new path, or a symlink to one: create the file where the link points.
            write_atomically(Path(os.path.realpath(path)), pieces)
            return
        if stat.S_ISREG(status.st_mode):
            write_atomically(Path(os.path.realpath(path)), pieces)
        else:
            _write_in_place(path, pieces)
    except OSError as error:
        raise OutputError(str(path), error.strerror or str(error)) from error


def _write_in_place(path: Path, pieces: Iterable[str]) -> None:
    with path.open("w", encoding="utf-8") as stream:
        stream.writelines(pieces)


def write_atomically(path: Path, pieces: Iterable[str]) -> None:
    """Write a regular file so that it is either complete or absent, never half written.

    An existing file keeps its permissions; a new one gets those the umask allows, as if
    created by `open`. `path` must not be a symlink (callers resolve it: see write_file).
    """
    directory = path.parent if str(path.parent) else Path()
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    handle, temporary = _create_temporary(directory, path.name)
    try:
        if mode is not None:
            os.fchmod(handle, mode)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.writelines(pieces)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _create_temporary(directory: Path, name: str) -> tuple[int, Path]:
    """A new file beside the destination, created with mode 0666 so the umask applies
    (mkstemp's 0600 would be the final file's mode after the rename). The random part is
    what secrets.token_hex makes, without importing secrets (and hmac, base64) in every
    command for the few that write a file."""
    while True:
        candidate = directory / f".{name}.{os.urandom(4).hex()}.tmp"
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
            return os.open(candidate, flags, 0o666), candidate
        except FileExistsError:
            continue
