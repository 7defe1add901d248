"""Stage six: every output format, each reading only the Report."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from apidiff.render.style import Style, plain
from apidiff.report import Report


@dataclass(frozen=True, slots=True)
class Layout:
    """How much of a report to show, and how.

    `overview` opens the notes with a table of the services (for a whole release);
    `docs` shows each api method's documentation where the report has it; `style` colours
    text for a terminal.
    """

    overview: bool = False
    docs: bool = True
    style: Style = plain


def render_text(report: Report, layout: Layout = Layout()) -> Iterator[str]:
    return _render("notes.txt.j2", report, layout)


def render_markdown(report: Report, layout: Layout = Layout()) -> Iterator[str]:
    return _render("notes.md.j2", report, layout)


def render_json(report: Report, layout: Layout = Layout()) -> Iterator[str]:
    # The JSON is the Report: what it holds is decided when it is built, not here.
    # Imported here: its converter (cattrs, attrs) takes 35 ms to import, which text and
    # Markdown never use.
    from apidiff.report.serialize import report_json_chunks

    return report_json_chunks(report)


def _render(template: str, report: Report, layout: Layout) -> Iterator[str]:
    # Jinja is imported with the first template, so JSON output never pays for it.
    from apidiff.render.environment import environment

    return (
        environment()
        .get_template(template)
        .generate(
            report=report, style=layout.style, with_docs=layout.docs, overview=layout.overview
        )
    )


# Each renderer writes its output in pieces, so a large report is never held whole as text.
RENDERERS: dict[str, Callable[[Report, Layout], Iterator[str]]] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": render_json,
}

__all__ = ["RENDERERS", "Layout", "render_json", "render_markdown", "render_text"]
