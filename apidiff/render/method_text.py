"""An api method's documentation as plain text, laid out as boto3's client reference reads.

Paragraphs are separated by blank lines, list items start with "- ", syntax blocks keep their
lines and indentation, and each parameter opens with boto3's field labels (`type X:`,
`param X:`, `rtype:`, `returns:`) on lines of their own, its body indented beneath.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from html.parser import HTMLParser

from apidiff.report.method_docs import DEPRECATED_OPERATION, MemberDoc, MethodDoc, SyntaxLine

INDENT = "    "
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
                *_indented(_member_body(parameter, True, bullet)),
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
        returns += _indented(_member_lines(doc.response, False, bullet))
        blocks.append(returns)
    return _joined(blocks)


def syntax_lines(lines: tuple[SyntaxLine, ...], prefix: str) -> list[str]:
    return [prefix + INDENT * line.depth + line.text for line in lines]


def _member_lines(member: MemberDoc, request: bool, bullet: str) -> list[str]:
    """A nested member: its title line, then its body indented."""
    title = bullet
    if member.name is not None:
        title += f"{member.name} "
    title += f"({member.type_name}) --"
    if member.required:
        title += " [REQUIRED]"
    return [title, *_indented(_member_body(member, request, bullet, title_has_required=True))]


def _member_body(
    member: MemberDoc, request: bool, bullet: str, *, title_has_required: bool = False
) -> list[str]:
    blocks: list[list[str]] = []
    if member.required and not title_has_required:
        blocks.append(["[REQUIRED]"])
    description = documentation_lines(member.documentation, bullet)
    if member.autopopulated:
        description.append(AUTOPOPULATED)
    if description:
        blocks.append(description)
    if member.union_members:
        keys = ", ".join(member.union_members)
        if request:
            blocks.append(["Note", TAGGED_UNION_REQUEST.format(keys)])
        else:
            blocks.append(["Note", TAGGED_UNION_RESPONSE.format(keys)])
            blocks.append([INDENT + UNKNOWN_MEMBER_EXAMPLE])
    blocks.extend(_member_lines(child, request, bullet) for child in member.children)
    return _joined(blocks)


def _indented(lines: list[str]) -> list[str]:
    return [INDENT + line if line else "" for line in lines]


def _joined(blocks: list[list[str]]) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if not block:
            continue
        if lines:
            lines.append("")
        lines.extend(block)
    return lines


def documentation_lines(html: str, bullet: str = "- ") -> list[str]:
    """A documentation fragment (as `clean_documentation` writes it) as lines of text.

    One line per paragraph or list item, list items as "- " nested two spaces a level, a blank
    line between paragraphs.
    """
    return list(_documentation_lines(html, bullet)) if html else []


@lru_cache(maxsize=65_536)
def _documentation_lines(html: str, bullet: str) -> tuple[str, ...]:
    # Shapes share documentation, and one method's is rendered in several formats: once each.
    reader = _DocumentationReader(bullet)
    reader.feed(html)
    reader.close()
    return tuple(_paragraphs(reader.lines))


def _paragraphs(lines: list[tuple[str, bool]]) -> Iterator[str]:
    previous_item = False
    for index, (line, item) in enumerate(lines):
        if index and not (item and previous_item):
            yield ""
        yield line
        previous_item = item


class _DocumentationReader(HTMLParser):
    _BLOCKS = frozenset({"p", "ul", "ol", "li", "div", "pre"})

    def __init__(self, bullet: str) -> None:
        super().__init__(convert_charrefs=True)
        self._bullet = bullet
        self._continued = " " * len(bullet)
        # Each line, and whether it is a list item.
        self.lines: list[tuple[str, bool]] = []
        self._pending: list[str] = []
        self._list_depth = 0
        # Whether the open list item has shown its first line (which carries the "- ").
        self._item_started = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:
            self._end_line()
        if tag in ("ul", "ol"):
            self._list_depth += 1
        elif tag == "li":
            self._item_started = False

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS:
            self._end_line()
        if tag in ("ul", "ol"):
            self._list_depth = max(0, self._list_depth - 1)
        elif tag == "li":
            self._item_started = True

    def handle_data(self, data: str) -> None:
        self._pending.append(data)

    def close(self) -> None:
        super().close()
        self._end_line()

    def _end_line(self) -> None:
        text = " ".join("".join(self._pending).split())
        self._pending.clear()
        if not text:
            return
        if self._list_depth:
            marker = self._continued if self._item_started else self._bullet
            self._item_started = True
            self.lines.append(("  " * (self._list_depth - 1) + marker + text, True))
        else:
            self.lines.append((text, False))
