"""Text from a model never reaches a terminal as control characters: an escape sequence in a
name or a documentation string is shown, not obeyed, in every text and Markdown output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from apidiff.cli import main
from apidiff.render.style import ansi, visible
from tests.conftest import FIXTURES

# What a hostile model can hold: retitle the window, clear the screen, overwrite the line.
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\r\x9b31m"
# Our own colour: Select Graphic Rendition sequences and nothing else.
OUR_SGR = re.compile("\x1b\\[[0-9;]*m")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def hostile_pair(tmp_path: Path) -> tuple[str, str]:
    document = json.loads((FIXTURES / "bad_models" / "valid.json").read_text(encoding="utf-8"))
    document["metadata"]["serviceFullName"] = f"Evil{HOSTILE} Service"
    old = tmp_path / "old.json"
    old.write_text(json.dumps(document), encoding="utf-8")
    operation = dict(next(iter(document["operations"].values())))
    operation["name"] = f"Op{HOSTILE}"
    operation["documentation"] = f"<p>Does {HOSTILE} things.</p>"
    document["operations"][operation["name"]] = operation
    new = tmp_path / "new.json"
    new.write_text(json.dumps(document), encoding="utf-8")
    return str(old), str(new)


@pytest.mark.parametrize(
    "args",
    [
        ("notes", "--color", "always"),
        ("notes", "--format", "markdown"),
        ("release", "--color", "always"),
        # The added operation is a safe finding, listed only down to --min-severity safe.
        ("check", "--fail-on", "none", "--min-severity", "safe"),
        ("check", "--fail-on", "none", "--min-severity", "safe", "--format", "markdown"),
        # Only breaking and risky findings are annotations: the method removed instead.
        ("check", "--fail-on", "none", "--format", "github", "--reversed"),
    ],
)
def test_control_characters_from_a_model_are_shown_not_obeyed(
    capsys: pytest.CaptureFixture[str], hostile_pair: tuple[str, str], args: tuple[str, ...]
) -> None:
    command, *options = args
    old, new = hostile_pair
    if "--reversed" in options:
        options.remove("--reversed")
        old, new = new, old
    with pytest.raises(SystemExit) as exit_info:
        if command == "release":
            main([command, new, "--since", old, *options])
        else:
            main([command, old, new, *options])
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    # Shown as the model file writes it (Markdown escapes the bracket after it).
    assert "\\u001b" in out
    assert CONTROL.findall(OUR_SGR.sub("", out)) == []


def test_a_coloured_line_keeps_its_colour_and_shows_the_models_escapes() -> None:
    line = ansi(f"Op{HOSTILE}", "title")
    assert visible(line) is line
    assert OUR_SGR.match(line)
    assert CONTROL.findall(OUR_SGR.sub("", line)) == []


def test_tabs_newlines_and_printable_text_are_left_alone() -> None:
    assert visible("a\tb\nc é ✓") == "a\tb\nc é ✓"
    assert visible(7) == 7
