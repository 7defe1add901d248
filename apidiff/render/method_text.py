"""An api method's documentation as plain text, laid out as boto3's client reference reads.

Paragraphs are separated by blank lines, list items start with "- ", syntax blocks keep their
lines and indentation, and each parameter opens with boto3's field labels (`type X:`,
`param X:`, `rtype:`, `returns:`) on lines of their own, its body indented beneath.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from html import unescape

from apidiff.report.method_docs import DEPRECATED_OPERATION, MemberDoc, MethodDoc, SyntaxLine

INDENT = "    "
# How many documentation strings and members each memo holds before it starts afresh.
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
    blocks: list[list[str]] = [documentation_lines(doc.description, bullet)]
    if doc.deprecated:
        blocks.append(["Danger", DEPRECATED_OPERATION])
    if doc.api_reference:
        blocks.append(["See also: AWS API Documentation"])
    blocks.append(["Request Syntax"])
    blocks.append(syntax_lines(doc.request_syntax, ""))
    for parameter in doc.parameters:
        blocks.append(
            [
                f"type {parameter.name}:",
                INDENT + parameter.type_name,
                f"param {parameter.name}:",
                *_member_body(parameter, True, bullet, INDENT),
            ]
        )
    if doc.response is None or doc.response_syntax is None:
        blocks.append(["returns:", INDENT + "None"])
    else:
        returns = ["rtype:", INDENT + "dict", "returns:"]
        if doc.event_stream:
            returns += [INDENT + EVENT_STREAM_RESPONSE, ""]
        returns += [INDENT + "Response Syntax", ""]
        returns += syntax_lines(doc.response_syntax, INDENT)
        returns += ["", INDENT + "Response Structure", ""]
        returns += _member_lines(doc.response, False, bullet, INDENT)
        blocks.append(returns)
    return _joined(blocks)


def syntax_lines(lines: tuple[SyntaxLine, ...], prefix: str) -> list[str]:
    return [prefix + INDENT * line.depth + line.text for line in lines]


def _member_lines(member: MemberDoc, request: bool, bullet: str, prefix: str) -> tuple[str, ...]:
    """A nested member, each line after `prefix`: its title line, then its body indented.

    The documenter shares one MemberDoc wherever its shape appears, and so do these lines.
    """
    key = (id(member), request, bullet, prefix)
    found = _MEMBER_LINES.get(key)
    if found is not None:
        return found[1]
    if len(_MEMBER_LINES) >= MEMO_SIZE:
        _MEMBER_LINES.clear()
    lines = _new_member_lines(member, request, bullet, prefix)
    # The member is kept with its lines so that its id is not reused while the entry lives.
    _MEMBER_LINES[key] = (member, lines)
    return lines


def _new_member_lines(
    member: MemberDoc, request: bool, bullet: str, prefix: str
) -> tuple[str, ...]:
    title = prefix + bullet
    if member.name is not None:
        title += f"{member.name} "
    title += f"({member.type_name}) --"
    if member.required:
        title += " [REQUIRED]"
    body = _member_body(member, request, bullet, prefix + INDENT, title_has_required=True)
    return (title, *body)


def _member_body(
    member: MemberDoc,
    request: bool,
    bullet: str,
    prefix: str,
    *,
    title_has_required: bool = False,
) -> list[str]:
    """A member's body, each line after `prefix` (blank lines stay empty)."""
    blocks: list[Sequence[str]] = []
    if member.required and not title_has_required:
        blocks.append([prefix + "[REQUIRED]"])
    description = documentation_lines(member.documentation, bullet)
    if member.autopopulated:
        description.append(AUTOPOPULATED)
    if description:
        blocks.append(_indented(description, prefix) if prefix else description)
    if member.union_members:
        keys = ", ".join(member.union_members)
        if request:
            blocks.append([prefix + "Note", prefix + TAGGED_UNION_REQUEST.format(keys)])
        else:
            blocks.append([prefix + "Note", prefix + TAGGED_UNION_RESPONSE.format(keys)])
            blocks.append([prefix + INDENT + UNKNOWN_MEMBER_EXAMPLE])
    blocks.extend(_member_lines(child, request, bullet, prefix) for child in member.children)
    return _joined(blocks)


def _indented(lines: Sequence[str], prefix: str) -> list[str]:
    return [prefix + line if line else "" for line in lines]


def _joined(blocks: Sequence[Sequence[str]]) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if not block:
            continue
        if lines:
            lines.append("")
        lines.extend(block)
    return lines


# By the id of a member (kept in the entry), whether it is in a request, the bullet and the
# indentation.
_MEMBER_LINES: dict[tuple[int, bool, str, str], tuple[MemberDoc, tuple[str, ...]]] = {}


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
    return tuple(_paragraphs(_read_lines(html, bullet)))


def _paragraphs(lines: list[tuple[str, bool]]) -> Iterator[str]:
    previous_item = False
    for index, (line, item) in enumerate(lines):
        if index and not (item and previous_item):
            yield ""
        yield line
        previous_item = item


# The markup of a fragment as clean_documentation writes it: the sanitizer's serializer writes
# every tag whole, its attribute values quoted, and every "<" of the text escaped, so a tag is
# all that starts with "<" (tests/render/test_method_text.py holds this against html.parser).
_TAG = re.compile(r"""<(?P<end>/?)(?P<name>[A-Za-z][A-Za-z0-9]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
_LINE_BREAKING = frozenset({"p", "ul", "ol", "li", "div", "pre"})
_PARAGRAPH_BREAKING = re.compile(r"""</?(?:p|div|pre)\b(?:[^>"']|"[^"]*"|'[^']*')*>""")


def _read_lines(html: str, bullet: str) -> list[tuple[str, bool]]:
    """Each line of text of the fragment, and whether it is a list item."""
    if "<ul" not in html and "<ol" not in html and "<li" not in html:
        # No lists (most documentation): a line is what stands between two blocks' tags.
        # The sanitizer writes every "&" of the text as a reference of its own, so removing
        # the tags first joins no two pieces into one.
        return [
            (text, False) for piece in _PARAGRAPH_BREAKING.split(html) if (text := _text_of(piece))
        ]
    continued = " " * len(bullet)
    lines: list[tuple[str, bool]] = []
    pending: list[str] = []
    list_depth = 0
    # Whether the open list item has shown its first line (which carries the bullet).
    item_started = False

    def end_line() -> None:
        nonlocal item_started
        text = " ".join("".join(pending).split())
        pending.clear()
        if not text:
            return
        if list_depth:
            marker = continued if item_started else bullet
            item_started = True
            lines.append(("  " * (list_depth - 1) + marker + text, True))
        else:
            lines.append((text, False))

    position = 0
    for tag in _TAG.finditer(html):
        if tag.start() > position:
            data = html[position : tag.start()]
            pending.append(unescape(data) if "&" in data else data)
        position = tag.end()
        name = tag["name"].lower()
        if name in _LINE_BREAKING:
            end_line()
            if name == "li":
                item_started = bool(tag["end"])
            elif name != "p" and name != "div" and name != "pre":
                list_depth = max(0, list_depth - 1) if tag["end"] else list_depth + 1
    if position < len(html):
        data = html[position:]
        pending.append(unescape(data) if "&" in data else data)
    end_line()
    return lines


def _text_of(piece: str) -> str:
    if "<" in piece:
        piece = _TAG.sub("", piece)
    if "&" in piece:
        piece = unescape(piece)
    return " ".join(piece.split())
