"""The text of method documentation: documentation fragments read as html.parser reads them,
and members rendered once per shape read the same wherever they appear."""

from __future__ import annotations

import gc
import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apidiff.render import method_text
from apidiff.render.method_text import documentation_lines, method_text_lines, syntax_lines
from apidiff.report.doc_html import clean_documentation
from apidiff.report.method_docs import (
    MAX_NESTING,
    MemberDoc,
    MethodDoc,
    MethodDocumenter,
    SyntaxLine,
)
from tests.conftest import MODELS
from tests.report.test_doc_html import documentation_strings
from tests.report.test_method_docs import bundled_models, ours, read_model


class ReaderOracle(HTMLParser):
    """The documentation's lines as html.parser finds them (the reader the renderer used
    before its tokenizer): a line per block, list items with bullets nested two spaces."""

    _BLOCKS = frozenset({"p", "ul", "ol", "li", "div", "pre"})

    def __init__(self, bullet: str) -> None:
        super().__init__(convert_charrefs=True)
        self._bullet = bullet
        self._continued = " " * len(bullet)
        self.lines: list[tuple[str, bool]] = []
        self._pending: list[str] = []
        self._list_depth = 0
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


def oracle_lines(html: str, bullet: str = "- ") -> list[str]:
    reader = ReaderOracle(bullet)
    reader.feed(html)
    reader.close()
    lines: list[str] = []
    previous_item = False
    for line, item in reader.lines:
        if lines and not (item and previous_item):
            lines.append("")
        lines.append(line)
        previous_item = item
    return lines


def test_every_bundled_documentation_string_reads_as_html_parser_reads_it() -> None:
    read = 0
    for path in sorted(MODELS.glob("*/*/*/service-2.json*")):
        for html in set(documentation_strings(read_model(path))):
            cleaned = clean_documentation(html)
            for bullet in ("- ", "\ue000 "):
                assert documentation_lines(cleaned, bullet) == oracle_lines(cleaned, bullet), html
            read += 1
    assert read > 10_000


_MARKUP = st.sampled_from(
    [
        *("<p>", "</p>", "<ul>", "</ul>", "<ol>", "<li>", "</li>", "<code>", "</code>", "<b>"),
        *("<note>", "</note>", "<important>", '<a href="https://x?a=1&amp;b=>">', "</a>", "<a>"),
        *("&amp;", "&lt;", "&gt;", "&nbsp;", "&#39;", "&quot;", "&", "<", ">", "\r\n", "\xa0"),
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=10), _MARKUP), max_size=40))
def test_any_cleaned_documentation_reads_as_html_parser_reads_it(parts: list[str]) -> None:
    cleaned = clean_documentation("".join(parts))
    assert documentation_lines(cleaned) == oracle_lines(cleaned)


# Each tag pattern of the renderer as first written: a tag's attributes read character by
# character (which Python's re runs slowly), each "/" and name caught as the renderer needs.
_ATTRIBUTES_BY_CHARACTER = r"""(?:[^>"']|"[^"]*"|'[^']*')*>"""
_PATTERNS_BY_CHARACTER = {
    method_text._TAG: re.compile(
        r"<(?P<end>/?)(?P<name>[A-Za-z][A-Za-z0-9]*)" + _ATTRIBUTES_BY_CHARACTER
    ),
    method_text._PARAGRAPH_BREAKING: re.compile(r"</?(?:p|div|pre)\b" + _ATTRIBUTES_BY_CHARACTER),
    method_text._INLINE_TAG: re.compile(
        r"</?(?!(?:p|div|pre)\b)[A-Za-z][A-Za-z0-9]*" + _ATTRIBUTES_BY_CHARACTER
    ),
    method_text._LINE_BREAKING_SPLIT: re.compile(
        r"<(/?)(?:(li)|(ul|ol)|p|div|pre)(?![A-Za-z0-9])" + _ATTRIBUTES_BY_CHARACTER + r"\s*",
        re.IGNORECASE | re.ASCII,
    ),
    method_text._NOT_LINE_BREAKING_TAG: re.compile(
        r"</?(?!(?:p|ul|ol|li|div|pre)(?![A-Za-z0-9]))[A-Za-z][A-Za-z0-9]*"
        + _ATTRIBUTES_BY_CHARACTER,
        re.IGNORECASE | re.ASCII,
    ),
}
_TAG_PARTS = st.sampled_from(
    [
        *("<", ">", "/", '"', "'", "=", " ", "\n", "\xa0", "p", "P", "ul", "li", "Ol", "div"),
        *("pre", "code", "b", "a", "x1", "é", "_", "&amp;", "<p>", "</li>", '<a href="', "'>'"),
    ]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.one_of(_TAG_PARTS, st.text(max_size=3)), max_size=30))
def test_tag_patterns_match_as_their_forms_reading_attributes_by_character(
    parts: list[str],
) -> None:
    text = "".join(parts)
    for pattern, by_character in _PATTERNS_BY_CHARACTER.items():
        found = [(match.span(), match.groups()) for match in pattern.finditer(text)]
        assert found == [(match.span(), match.groups()) for match in by_character.finditer(text)]


@pytest.mark.parametrize("model", sorted(bundled_models()))
def test_text_is_the_same_whether_members_were_rendered_before_or_not(model: str) -> None:
    service = ours(read_model(bundled_models()[model]))
    documenter = MethodDocumenter(service)
    docs = [documenter.document(operation) for operation in service.operations]
    warm = [method_text_lines(doc) for doc in docs]
    cold = []
    for doc in docs:
        method_text.clear_memos()
        cold.append(method_text_lines(doc))
    assert warm == cold


def a_method_with_one_member(name: str) -> MethodDoc:
    """A method whose one parameter, Outer, holds one string member, `name`."""
    inner = MemberDoc(name=name, step=name, type_name="string", documentation="<p>Inner.</p>")
    outer = MemberDoc(name="Outer", step="Outer", type_name="dict", children=(inner,))
    return MethodDoc(
        method="go",
        description="",
        deprecated=False,
        api_reference=None,
        request_syntax=(SyntaxLine(0, "client.go()"),),
        parameters=(outer,),
        response_syntax=None,
        response=None,
    )


def a_method_with_a_member_in_a_member() -> MethodDoc:
    """A method whose one parameter, Outer, holds Middle, which holds one string member.

    (Renderers keep what they made of a nested member with members inside it: Middle.)"""
    doc = a_method_with_one_member("Inner")
    outer = doc.parameters[0]
    middle = MemberDoc(name="Middle", step="Middle", type_name="dict", children=outer.children)
    return replace(doc, parameters=(replace(outer, children=(middle,)),))


def test_a_member_memo_never_answers_for_another_member() -> None:
    # Freed MemberDocs leave their ids to new ones: each must still show its own name.
    for number in range(200):
        name = f"Member{number}"
        assert f"    - {name} (string) --" in method_text_lines(a_method_with_one_member(name))


def test_the_memo_lets_go_of_members_no_longer_used() -> None:
    method_text.clear_memos()
    doc = a_method_with_a_member_in_a_member()
    method_text_lines(doc)
    assert len(method_text._MEMBER_LINES) == 1
    del doc
    gc.collect()
    assert len(method_text._MEMBER_LINES) == 0


def test_syntax_lines_at_any_depth_are_indented_four_spaces_a_level() -> None:
    depths = (0, 1, MAX_NESTING, MAX_NESTING + 2, MAX_NESTING + 3, 3 * MAX_NESTING)
    for prefix in ("", "    ", "  "):
        lines = tuple(SyntaxLine(depth, f"'{depth}'") for depth in depths)
        assert syntax_lines(lines, prefix) == [
            prefix + " " * 4 * depth + f"'{depth}'" for depth in depths
        ]
