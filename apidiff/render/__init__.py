"""Stage six: every output format, each reading only the Report."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from apidiff.render.style import Style, plain
from apidiff.report import Report
from apidiff.report.serialize import report_json_chunks


def render_text(report: Report, style: Style | None = None) -> Iterator[str]:
    return _render("notes.txt.j2", report, style)


def render_markdown(report: Report, style: Style | None = None) -> Iterator[str]:
    return _render("notes.md.j2", report, style)


def _render(template: str, report: Report, style: Style | None) -> Iterator[str]:
    # Jinja is imported with the first template, so JSON output never pays for it.
    from apidiff.render.environment import environment

    return (
        environment()
        .get_template(template)
        .generate(report=report, style=style or plain, with_docs=True)
    )


# Each renderer writes its output in pieces, so a large report is never held whole as text.
RENDERERS: dict[str, Callable[[Report], Iterator[str]]] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": report_json_chunks,
}

__all__ = ["RENDERERS", "render_markdown", "render_text"]
