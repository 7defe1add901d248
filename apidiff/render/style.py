"""Colour for text output on a terminal: what each kind of line looks like.

Templates call a Style on the lines worth telling apart (headlines, method titles, the fields a
method gained or lost); `plain` leaves every line as it is, so output that is piped or saved
stays the same bytes with or without a terminal.
"""

from __future__ import annotations

import re
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


# Control characters other than tab and newline: from a model's names or documentation, an
# escape sequence would drive the reader's terminal (move the cursor, retitle the window, hide
# the lines before it), and a carriage return would overwrite what was printed.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Styled(str):
    """A line that a Style has coloured: its escape codes are ours, and stay."""


def visible(value: object) -> object:
    """Text from a model as a terminal should show it: each control character written as JSON
    writes it (`\\u001b`), the notation the model file itself uses. Other values, and lines
    a Style has coloured, as they are."""
    if isinstance(value, str) and not isinstance(value, Styled):
        return _CONTROL.sub(lambda match: f"\\u{ord(match[0]):04x}", value)
    return value


def plain(text: str, kind: str) -> str:
    return text


def ansi(text: str, kind: str) -> str:
    """The line in the theme's colour, as ANSI escape codes (the 16 standard colours)."""
    style = _styles().get(kind)
    if not (style and text):
        return text
    return Styled(style.render(str(visible(text)), color_system=_standard()))


@cache
def _styles() -> dict[str, RichStyle]:
    from rich.style import Style as RichStyle

    return {kind: RichStyle.parse(definition) for kind, definition in _THEME.items()}


@cache
def _standard() -> ColorSystem:
    from rich.color import ColorSystem

    return ColorSystem.STANDARD
