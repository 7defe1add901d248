"""The Jinja2 environments of the renderers: one factory with the shared settings, and the
notes' environment with the filters their templates use."""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from apidiff.render.method_text import method_text_lines
from apidiff.render.notes import (
    changelog_text,
    headline,
    method_blocks,
    other_changes,
    overview_lines,
    overview_rows,
    overview_summary,
)
from apidiff.render.style import visible
from apidiff.resources import templates_dir
from apidiff.sources.cache import default_cache_dir

_BACKQUOTES = re.compile(r"`+")
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]<>()#+!|~]")


# HTML pages and Atom feeds are escaped; text and Markdown are written as they are.
AUTOESCAPED = ("html", "html.j2", "atom.j2")


def new_environment(
    finalize: Callable[[object], object] | None = None, **globals_: object
) -> jinja2.Environment:
    """An environment over the templates folder, with the settings every renderer shares and
    the names its templates use; `finalize` is applied to the value of every expression."""
    env = jinja2.Environment(
        finalize=finalize,
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=jinja2.select_autoescape(AUTOESCAPED, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(globals_)
    return env


# The folder of apidiff's cache that holds compiled templates (see TemplateCodeCache).
TEMPLATES_FOLDER = "templates"


class TemplateCodeCache(jinja2.FileSystemBytecodeCache):
    """Templates compiled once per machine, in a folder of apidiff's cache.

    Compiling the notes' templates took a tenth of the README's notes command. Jinja keys each
    template's code by its source, and the folder is named by what else the code depends on:
    Jinja's version and this module (the environment's settings shape the code). Like the
    model verdicts, it is a shortcut: a folder that cannot be written, or a file that cannot be
    read back, costs a compile and nothing else.
    """

    def __init__(self, cache_root: Path) -> None:
        digest = hashlib.sha256(jinja2.__version__.encode())
        digest.update(Path(__file__).read_bytes())
        super().__init__(str(cache_root / TEMPLATES_FOLDER / digest.hexdigest()[:16]))

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError, TypeError, pickle.UnpicklingError):
            bucket.reset()  # unreadable: compiled again, and written over

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


@cache
def environment() -> jinja2.Environment:
    """The environment of the text and Markdown notes and checks, which a terminal shows."""
    env = new_environment(finalize=visible)
    env.bytecode_cache = TemplateCodeCache(default_cache_dir())
    env.globals.update(
        headline=headline,
        changelog_text=changelog_text,
        other_changes=other_changes,
        method_blocks=method_blocks,
        overview_lines=overview_lines,
        overview_rows=overview_rows,
        overview_summary=overview_summary,
    )
    env.filters["text_lines"] = lambda doc: method_text_lines(doc) if doc else []
    env.filters["md_escape"] = escape_markdown
    env.globals["fence_for"] = fence_for
    return env


def escape_markdown(text: str) -> str:
    """Model text (patterns, doc snippets) shown literally in Markdown, not as markup."""
    return _MARKDOWN_SPECIAL.sub(lambda match: "\\" + match.group(0), text)


def fence_for(lines: list[str]) -> str:
    """A Markdown code fence that no backquotes in the block can close early."""
    longest = max((len(run) for line in lines for run in _BACKQUOTES.findall(line)), default=0)
    return "`" * max(3, longest + 1)


def render_template(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)
