"""html_to_text_lines: the visible text of HTML, one line per block, as the reference shows it."""

from __future__ import annotations

import pytest
from docutils.core import publish_parts
from hypothesis import given
from hypothesis import strategies as st

from tests.oracle.html_text import html_to_text_lines

# docutils' deprecations as errors here too: publish_parts(writer_name=...) warned three times.
pytestmark = [
    pytest.mark.filterwarnings("error::DeprecationWarning"),
    pytest.mark.filterwarnings("error::PendingDeprecationWarning"),
]


def test_each_block_is_one_line_and_inline_elements_flow() -> None:
    html = "<p>Returns <strong>Name</strong> <em>(string) --</em></p><p>The <code>x</code>s.</p>"
    assert html_to_text_lines(html) == ["Returns Name (string) --", "The xs."]


def test_whitespace_is_collapsed_and_empty_blocks_dropped() -> None:
    html = "<div>\n  <p>  a\n\tb  </p>\n  <p> </p>\n</div>"
    assert html_to_text_lines(html) == ["a b"]


def test_pre_block_becomes_one_line() -> None:
    html = "<p><strong>Request Syntax</strong></p><pre>client.get(\n    Name='string'\n)</pre>"
    assert html_to_text_lines(html) == ["Request Syntax", "client.get( Name='string' )"]


def test_line_breaks_and_nested_lists_start_lines() -> None:
    html = "<ul><li><p>a</p><ul><li>b<br>c</li></ul></li></ul>"
    assert html_to_text_lines(html) == ["a", "b", "c"]


def test_character_references_are_decoded() -> None:
    html = "<p>&lt;code&gt; &amp; &#39;quoted&#x27; &quot;x&quot;&nbsp;y</p>"
    assert html_to_text_lines(html) == ["<code> & 'quoted' \"x\" y"]


def test_script_and_style_are_ignored() -> None:
    html = (
        "<style>p { color: red; }</style><p>shown</p>"
        "<script>if (a < b) { document.write('<p>no</p>'); }</script><p>also shown</p>"
    )
    assert html_to_text_lines(html) == ["shown", "also shown"]


def test_field_list_names_are_dropped_and_bodies_kept() -> None:
    # docutils' html5 writer: the names of ":type X:", ":param X:" and ":rtype:".
    html = (
        '<dl class="field-list simple">'
        '<dt>type Name<span class="colon">:</span></dt><dd><p>string</p></dd>'
        '<dt>param Name<span class="colon">:</span></dt>'
        "<dd><p><strong>[REQUIRED]</strong></p><p>The name.</p></dd>"
        '<dt>rtype<span class="colon">:</span></dt><dd><p>dict</p></dd>'
        "</dl>"
    )
    assert html_to_text_lines(html) == ["string", "[REQUIRED]", "The name.", "dict"]


def test_definition_list_terms_are_kept() -> None:
    html = '<dl class="simple"><dt>term</dt><dd><p>definition</p></dd></dl>'
    assert html_to_text_lines(html) == ["term", "definition"]


def test_definition_list_inside_a_field_body_keeps_its_terms() -> None:
    html = (
        '<dl class="field-list"><dt>returns</dt><dd>'
        "<dl><dt>term</dt><dd>definition</dd></dl>"
        "</dd><dt>rtype</dt><dd>dict</dd></dl>"
    )
    assert html_to_text_lines(html) == ["term", "definition", "dict"]


def test_docutils_field_lists_lose_their_names_in_both_html_writers() -> None:
    # Not first in the document, where docutils would take the field list for the docinfo.
    rst = "Text.\n\n:type Name: string\n:param Name: The name.\n:rtype: dict\n"
    for writer in ("html5", "html4"):
        body = publish_parts(rst, writer=writer)["body"]
        assert html_to_text_lines(body) == ["Text.", "string", "The name.", "dict"], writer


def test_admonition_title_is_a_line() -> None:
    body = publish_parts("Text.\n\n.. note::\n\n   Careful.\n", writer="html5")["body"]
    assert html_to_text_lines(body) == ["Text.", "Note", "Careful."]


plain_text = st.text(st.characters(codec="utf-8", exclude_characters="<&"))


@given(plain_text)
def test_text_of_a_paragraph_is_its_words(text: str) -> None:
    words = text.split()
    assert html_to_text_lines(f"<p>{text}</p>") == ([" ".join(words)] if words else [])


@given(st.lists(plain_text))
def test_lines_are_never_empty_nor_padded(texts: list[str]) -> None:
    html = "".join(f"<li>{text}<br/>{text}</li>" for text in texts)
    for line in html_to_text_lines(html):
        assert line
        assert line == " ".join(line.split())
