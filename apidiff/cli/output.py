"""Options and output shared by the commands: format, output file, atomic writes."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import click

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
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (atomically) instead of standard output.",
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
    if color == "never" or output is not None or os.environ.get("NO_COLOR"):
        return plain
    return ansi if sys.stdout.isatty() else plain


def write_output(text: str | Iterable[str], output: Path | None) -> None:
    """Print, or write to `output`: one text, or its pieces in order."""
    pieces = [text] if isinstance(text, str) else text
    if output is None:
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
    else:
        write_atomically(output, pieces)


def write_atomically(path: Path, pieces: Iterable[str]) -> None:
    """Write a file so that it is either complete or absent, never half written."""
    directory = path.parent if str(path.parent) else Path()
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.writelines(pieces)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
