"""Stage six: every output format, each reading only the Report."""

from __future__ import annotations

from collections.abc import Callable

from apidiff.report import Report
from apidiff.report.serialize import report_to_json_text


def render_text(report: Report) -> str:
    return _render("notes.txt.j2", report)


def render_markdown(report: Report) -> str:
    return _render("notes.md.j2", report)


def _render(template: str, report: Report) -> str:
    # Jinja is imported with the first template, so JSON output never pays for it.
    from apidiff.render.environment import render_template

    return render_template(template, report=report)


RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": report_to_json_text,
}

__all__ = ["RENDERERS", "render_markdown", "render_text"]
