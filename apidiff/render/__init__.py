"""Stage six: every output format, each reading only the Report."""

from __future__ import annotations

from collections.abc import Callable

from apidiff.render.environment import render_template
from apidiff.report import Report
from apidiff.report.serialize import report_to_json_text


def render_text(report: Report) -> str:
    return render_template("notes.txt.j2", report=report)


def render_markdown(report: Report) -> str:
    return render_template("notes.md.j2", report=report)


RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": report_to_json_text,
}

__all__ = ["RENDERERS", "render_markdown", "render_text"]
