"""An api method's documentation as plain text, laid out as boto3's client reference reads.

Paragraphs are separated by blank lines, list items start with "- ", syntax blocks keep their
lines and indentation, and each parameter opens with boto3's field labels (`type X:`,
`param X:`, `rtype:`, `returns:`) on lines of their own, its body indented beneath.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from html import unescape

from apidiff.report.doc_records import (
    DEPRECATED_OPERATION,
    MAX_NESTING,
    MemberDoc,
    MemberMemo,
    MethodDoc,
    SyntaxLine,
)

INDENT = "    "
# How many documentation strings the memo of their lines holds before it starts afresh.
MEMO_SIZE = 65_536
TAGGED_UNION_REQUEST = (
    "This is a Tagged Union structure. Only one of the following top level keys can be set: {}."
)
TAGGED_UNION_RESPONSE = (
    "This is a Tagged Union structure. Only one of the following top level keys will be set:"
    " {}. If a client receives an unknown member it will set SDK_UNKNOWN_MEMBER as the top"
    " level key, which maps to the name or tag of the unknown member. The structure of"
    " SDK_UNKNOWN_MEMBER is as follows:"
)
UNKNOWN_MEMBER_EXAMPLE = "'SDK_UNKNOWN_MEMBER': {'name': 'UnknownMemberName'}"
AUTOPOPULATED = "This field is autopopulated if not provided."
EVENT_STREAM_RESPONSE = (
    "The response of this operation contains an EventStream member. When iterated the"
    " EventStream will yield events based on the structure below, where only one of the top"
    " level keys will be present for any given event."
)


def method_text_lines(doc: MethodDoc, *, bullet: str = "- ") -> list[str]:
    """The documentation as lines of text, with blank lines between blocks, none at either end.

    Members and list items start with `bullet`.
    """
    # Written into one list: a member's lines are copied once, not once per level above it.
    lines: list[str] = []
    _add_block(lines, documentation_lines(doc.description, bullet))
    if doc.deprecated:
        _add_block(lines, ["Danger", DEPRECATED_OPERATION])
    if doc.api_reference:
        _add_block(lines, ["See also: AWS API Documentation"])
    _add_block(lines, ["Request Syntax"])
    _add_block(lines, syntax_lines(doc.request_syntax, ""))
    for parameter in doc.parameters:
        _add_block(
            lines,
            [f"type {parameter.name}:", INDENT + parameter.type_name, f"param {parameter.name}:"],
        )
        _write_body(lines, parameter, True, bullet, INDENT)
    if doc.response is None or doc.response_syntax is None:
        _add_block(lines, ["returns:", INDENT + "None"])
        return lines
    _add_block(lines, ["rtype:", INDENT + "dict", "returns:"])
    if doc.event_stream:
        lines += [INDENT + EVENT_STREAM_RESPONSE, ""]
    lines += [INDENT + "Response Syntax", ""]
    lines += syntax_lines(doc.response_syntax, INDENT)
    lines += ["", INDENT + "Response Structure", ""]
    # The response and the members in it are the operation's own: written, not kept.
    lines.append(_title(doc.response, bullet, INDENT))
    _write_body(
        lines, doc.response, False, bullet, INDENT * 2, title_has_required=True, own_children=True
    )
    return lines


def _add_block(lines: list[str], block: Sequence[str]) -> None:
    """`block` after the lines, a blank line between (an empty block adds nothing)."""
    if block:
        if lines:
            lines.append("")
        lines.extend(block)


def syntax_lines(lines: tuple[SyntaxLine, ...], prefix: str) -> list[str]:
    indents = _SYNTAX_INDENTS.get(prefix)
    if indents is None:
        indents = _SYNTAX_INDENTS[prefix] = tuple(
            prefix + INDENT * depth for depth in range(MAX_NESTING + 3)
        )
    try:
        return [indents[depth] + text for depth, text, _ in lines]
    except IndexError:  # a line deeper than the documenter writes
        return [prefix + INDENT * depth + text for depth, text, _ in lines]


# A syntax block's indentations by depth, made once for each prefix it is shown after (the
# request's and the response's): the documenter nests lines at most MAX_NESTING and a few
# levels deep, and a block has thousands of lines.
_SYNTAX_INDENTS: dict[str, tuple[str, ...]] = {}


def _member_lines(member: MemberDoc, request: bool, bullet: str, prefix: str) -> tuple[str, ...]:
    """A nested member with members inside it, each line after `prefix`: its title line, then
    its body indented.

    The documenter shares one MemberDoc wherever its shape appears, and so do these lines.
    """
    variant = (request, bullet, prefix)
    found = _MEMBER_LINES.get(member, variant)
    if found is not None:
        return found
    lines = [_title(member, bullet, prefix)]
    _write_body(lines, member, request, bullet, prefix + INDENT, title_has_required=True)
    made = tuple(lines)
    _MEMBER_LINES.put(member, variant, made)
    return made


def _title(member: MemberDoc, bullet: str, prefix: str) -> str:
    if member.name is None:
        title = f"{prefix}{bullet}({member.type_name}) --"
    else:
        title = f"{prefix}{bullet}{member.name} ({member.type_name}) --"
    return title + " [REQUIRED]" if member.required else title


def _write_body(
    lines: list[str],
    member: MemberDoc,
    request: bool,
    bullet: str,
    prefix: str,
    *,
    title_has_required: bool = False,
    own_children: bool = False,
) -> None:
    """A member's body after `lines`, each line after `prefix` (blank lines stay empty), its
    blocks a blank line apart. `own_children`: the members in it are written, not kept."""
    # Whether a block was written, which the next one is a blank line apart from.
    separate = False
    if member.required and not title_has_required:
        lines.append(prefix + "[REQUIRED]")
        separate = True
    if member.documentation or member.autopopulated:
        description = (
            _documentation_lines(member.documentation, bullet) if member.documentation else ()
        )
        if member.autopopulated:
            description += (AUTOPOPULATED,)
        if description:
            if separate:
                lines.append("")
            _add_indented(lines, description, prefix)
            separate = True
    if member.union_members:
        if separate:
            lines.append("")
        keys = ", ".join(member.union_members)
        if request:
            lines += (prefix + "Note", prefix + TAGGED_UNION_REQUEST.format(keys))
        else:
            lines += (
                prefix + "Note",
                prefix + TAGGED_UNION_RESPONSE.format(keys),
                "",
                prefix + INDENT + UNKNOWN_MEMBER_EXAMPLE,
            )
        separate = True
    if not member.children:
        return
    inner = prefix + INDENT
    for child in member.children:
        if separate:
            lines.append("")
        separate = True
        if child.children and not own_children:
            lines += _member_lines(child, request, bullet, prefix)
            continue
        # Written here: the members of one written, not kept, and any member without members
        # inside it (quicker to write than to look up).
        lines.append(_title(child, bullet, prefix))
        if child.children or child.union_members or child.autopopulated:
            _write_body(lines, child, request, bullet, inner, title_has_required=True)
        elif child.documentation:
            # The commonest member of all: a title and documentation, nothing else, most
            # often one line (never an empty one alone).
            described = _documentation_lines(child.documentation, bullet)
            if len(described) == 1:
                lines.append(inner + described[0])
            else:
                _add_indented(lines, described, inner)


def _add_indented(lines: list[str], added: Sequence[str], prefix: str) -> None:
    """`added` after the lines, each after `prefix` (blank lines stay empty)."""
    if len(added) == 1 and added[0]:
        # Most documentation is one line: written without a list made for it.
        lines.append(prefix + added[0])
    else:
        lines += [prefix + line if line else "" for line in added]


# By member, whether it is in a request, the bullet and the indentation.
_MEMBER_LINES: MemberMemo[tuple[str, ...]] = MemberMemo()


def clear_memos() -> None:
    """Forget every rendered member and documentation string (a benchmark's cold start)."""
    _MEMBER_LINES.clear()
    _documentation_lines.cache_clear()


def documentation_lines(html: str, bullet: str = "- ") -> list[str]:
    """A documentation fragment (as `clean_documentation` writes it) as lines of text.

    One line per paragraph or list item, list items as "- " nested two spaces a level, a blank
    line between paragraphs.
    """
    return list(_documentation_lines(html, bullet)) if html else []


@lru_cache(maxsize=MEMO_SIZE)
def _documentation_lines(html: str, bullet: str) -> tuple[str, ...]:
    # Shapes share documentation, and one method's is rendered in several formats: once each.
    if html.startswith("<p>") and html.endswith("</p>"):
        # One paragraph (the commonest documentation): its text is the one line.
        inner = html[3:-4]
        if "<" not in inner or not _LINE_BREAKING_TAG.search(inner):
            if "<" in inner:
                inner = _TAG.sub("", inner)
            if "&" in inner:
                inner = unescape(inner)
            text = " ".join(inner.split())
            return (text,) if text else ()
    if "<ul" not in html and "<ol" not in html and "<li" not in html:
        # No lists (most documentation): a line is what stands between two blocks' tags, and
        # lines are paragraphs, a blank line apart. The sanitizer writes every "&" of the text
        # as a reference of its own, so removing the tags first joins no two pieces into one.
        pieces = _PARAGRAPH_BREAKING.split(_INLINE_TAG.sub("", html) if "<" in html else html)
        if "&" in html:
            pieces = [unescape(piece) for piece in pieces]
        texts = [text for piece in pieces if (text := " ".join(piece.split()))]
        if len(texts) < 2:
            return tuple(texts)
        lines = [""] * (2 * len(texts) - 1)
        lines[::2] = texts
        return tuple(lines)
    return tuple(_lines_with_lists(html, bullet))


# The markup of a fragment as clean_documentation writes it: the sanitizer's serializer writes
# every tag whole, its attribute values quoted, and every "<" of the text escaped, so a tag is
# all that starts with "<" (tests/render/test_method_text.py holds this against html.parser).
# A tag's attributes are read a run at a time, quoted values whole: Python's re runs the
# same reading character by character (an alternation per character) several times slower.
_TAG = re.compile(
    r"""<(?P<end>/?)(?P<name>[A-Za-z][A-Za-z0-9]*)[^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+>"""
)
_LINE_BREAKING_TAG = re.compile(r"</?(?:p|ul|ol|li|div|pre)\b", re.IGNORECASE)
_PARAGRAPH_BREAKING = re.compile(
    r"""</?(?:p|div|pre)\b[^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+>"""
)
_INLINE_TAG = re.compile(
    r"""</?(?!(?:p|div|pre)\b)[A-Za-z][A-Za-z0-9]*[^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+>"""
)
# For fragments with lists, tags as _TAG reads them: those that break a line, with the white
# space after them, their "/" and whether they are a list item or a list caught; and all the
# others. (White space in an ASCII pattern is white space to str.split too.)
_LINE_BREAKING_SPLIT = re.compile(
    r"""<(/?)(?:(li)|(ul|ol)|p|div|pre)(?![A-Za-z0-9])"""
    r"""[^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+>\s*+""",
    re.IGNORECASE | re.ASCII,
)
_NOT_LINE_BREAKING_TAG = re.compile(
    r"""</?(?!(?:p|ul|ol|li|div|pre)(?![A-Za-z0-9]))[A-Za-z][A-Za-z0-9]*"""
    r"""[^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+>""",
    re.IGNORECASE | re.ASCII,
)


def _lines_with_lists(html: str, bullet: str) -> list[str]:
    """The lines of a fragment with lists: a line is what stands between two blocks' tags, a
    list item's first line starts with `bullet`, and lines are a blank line apart but for a
    list item's from the line before it in a list."""
    continued = " " * len(bullet)
    lines: list[str] = []
    list_depth = 0
    # Whether the open list item has shown its first line (which carries the bullet), and
    # whether the last line was in a list.
    item_started = previous_item = False
    # Text, then each line-breaking tag as its "/" (or none), "li" or None, "ul" or "ol" or
    # None, and the text after it: four pieces a tag, the last text made four by a tag that
    # is none of these. The white space after a tag goes with it (most text between two is
    # white space alone: so it is "", looked at no further). As where there are no
    # lists, the inline tags go first without joining any two references.
    pieces = _LINE_BREAKING_SPLIT.split(_NOT_LINE_BREAKING_TAG.sub("", html))
    if "&" in html:
        pieces[::4] = [unescape(piece) for piece in pieces[::4]]
    pieces += ("", None, None)
    tags = iter(pieces)
    for piece, closing, item, list_tag in zip(tags, tags, tags, tags, strict=True):
        if piece and (text := " ".join(piece.split())):
            if list_depth:
                marker = continued if item_started else bullet
                item_started = True
                if lines and not previous_item:
                    lines.append("")
                lines.append("  " * (list_depth - 1) + marker + text)
                previous_item = True
            else:
                if lines:
                    lines.append("")
                lines.append(text)
                previous_item = False
        if item is not None:
            item_started = bool(closing)
        elif list_tag is not None:
            list_depth = max(0, list_depth - 1) if closing else list_depth + 1
    return lines
