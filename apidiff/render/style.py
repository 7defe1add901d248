"""Colour for text output on a terminal: what each kind of line looks like.

Templates call a Style on the lines worth telling apart (headlines, method titles, the fields a
method gained or lost); `plain` leaves every line as it is, so output that is piped or saved
stays the same bytes with or without a terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.color import ColorSystem
    from rich.style import Style as RichStyle

# A line's text and its kind ("headline", "title", "changes", "added", "removed", "mark").
Style = Callable[[str, str], str]

_THEME = {
    "headline": "bold",
    "title": "bold cyan",
    "changes": "cyan",
    "added": "green",
    "removed": "red",
    "mark": "yellow",
}


def plain(text: str, kind: str) -> str:
    return text


def ansi(text: str, kind: str) -> str:
    """The line in the theme's colour, as ANSI escape codes (the 16 standard colours)."""
    style = _styles().get(kind)
    return style.render(text, color_system=_standard()) if style and text else text


@cache
def _styles() -> dict[str, RichStyle]:
    from rich.style import Style as RichStyle

    return {kind: RichStyle.parse(definition) for kind, definition in _THEME.items()}


@cache
def _standard() -> ColorSystem:
    from rich.color import ColorSystem

    return ColorSystem.STANDARD
