"""The HTML of method documentation: each member's HTML is built once and reused at every path
its shape shows up under, marked or not; what comes out is the same as built afresh."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from dataclasses import replace

import markupsafe
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apidiff.render import method_html as method_html_module
from apidiff.render.method_html import method_html
from apidiff.report.method_docs import (
    MAX_NESTING,
    MemberDoc,
    MethodDoc,
    MethodDocumenter,
    SyntaxLine,
    member_path,
)
from tests.render.test_method_text import (
    a_method_with_a_member_in_a_member,
    a_method_with_one_member,
)
from tests.report.test_method_docs import bundled_models, ours, read_model

_ITEM_PATH = re.compile(r'<li(?: class="[a-z]+")? data-path="([^"]*)"')


def item_paths(doc: MethodDoc) -> Iterator[str]:
    """The path of every documented member, in the order the page lists them."""

    def under(member: MemberDoc, path: str) -> Iterator[str]:
        for child in member.children:
            child_path = member_path(path, child.step)
            yield child_path
            yield from under(child, child_path)

    for parameter in doc.parameters:
        yield from under(parameter, parameter.step)
    if doc.response is not None:
        yield ""
        yield from under(doc.response, "")


def marks_of(doc: MethodDoc) -> tuple[dict[str, str], dict[str, str]]:
    """Marks on every third path of the request syntax and every fourth of the response's."""
    kinds = ("added", "changed", "removed")
    request = {
        line.path: kinds[number % 3]
        for number, line in enumerate(doc.request_syntax)
        if line.path and number % 3 == 0
    }
    response = {
        line.path: kinds[number % 3]
        for number, line in enumerate(doc.response_syntax or ())
        if line.path and number % 4 == 1
    }
    return request, response


@pytest.mark.parametrize("model", sorted(bundled_models()))
def test_every_member_shows_its_own_path(model: str) -> None:
    service = ours(read_model(bundled_models()[model]))
    documenter = MethodDocumenter(service)
    for operation in service.operations:
        doc = documenter.document(operation)
        expected = list(item_paths(doc))
        assert _ITEM_PATH.findall(method_html(doc)) == expected, operation
        assert _ITEM_PATH.findall(method_html(doc, *marks_of(doc))) == expected, operation


@pytest.mark.parametrize("model", sorted(bundled_models()))
def test_html_is_the_same_whether_members_were_rendered_before_or_not(model: str) -> None:
    service = ours(read_model(bundled_models()[model]))
    documenter = MethodDocumenter(service)
    docs = [documenter.document(operation) for operation in service.operations]
    warm = [(method_html(doc), method_html(doc, *marks_of(doc))) for doc in docs]
    cold = []
    for doc in docs:
        method_html_module.clear_memo()
        unmarked = method_html(doc)
        method_html_module.clear_memo()
        cold.append((unmarked, method_html(doc, *marks_of(doc))))
    assert warm == cold


def test_a_marked_member_is_marked_wherever_its_shape_was_rendered_before() -> None:
    doc = a_method_with_one_member("Inner")
    plain = method_html(doc)
    marked = method_html(doc, {"Outer.Inner": "added"})
    assert '<li data-path="Outer.Inner">' in plain
    assert '<li class="added" data-path="Outer.Inner">' in marked
    assert method_html(doc) == plain


def test_a_member_memo_never_answers_for_another_member() -> None:
    # Freed MemberDocs leave their ids to new ones: each must still show its own name.
    for number in range(200):
        name = f"Member{number}"
        assert f"<strong>{name}</strong>" in method_html(a_method_with_one_member(name))


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_text_is_escaped_as_jinja_escapes_it(text: str) -> None:
    assert method_html_module._escape(text) == str(markupsafe.escape(text))


def test_the_memo_lets_go_of_members_no_longer_used() -> None:
    method_html_module.clear_memo()
    doc = a_method_with_a_member_in_a_member()
    method_html(doc)
    assert len(method_html_module._ITEM_CHUNKS) == 1
    del doc
    gc.collect()
    assert len(method_html_module._ITEM_CHUNKS) == 0


def test_request_syntax_at_any_depth_is_indented_four_spaces_a_level() -> None:
    depths = (0, 1, MAX_NESTING, MAX_NESTING + 2, MAX_NESTING + 3, 3 * MAX_NESTING)
    doc = replace(
        a_method_with_one_member("Inner"),
        request_syntax=tuple(SyntaxLine(depth, f"<{depth}>") for depth in depths),
    )
    shown = "\n".join(" " * 4 * depth + f"&lt;{depth}&gt;" for depth in depths)
    assert f'<pre class="syntax"><code>{shown}</code></pre>' in method_html(doc)
