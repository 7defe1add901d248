"""Documentation HTML from a model is text from outside: whatever it holds, it is shown safely
and never stops a run."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apidiff.cli import main
from apidiff.model import ServiceModel
from apidiff.render.method_html import method_html
from apidiff.render.method_text import documentation_lines, method_text_lines
from apidiff.report import doc_html
from apidiff.report.doc_html import (
    _MARKUP,
    _ONE_PLAIN_PARAGRAPH,
    _PLAIN,
    _Converter,
    _sanitized,
    _sanitizer,
    _word_runs_into_spaced,
    clean_documentation,
    kept_but_for_rel,
    unchanged_by_sanitizer,
)
from apidiff.report.method_docs import document_method
from apidiff.sources.base import Provenance
from tests.conftest import MODELS
from tests.report.test_method_docs import read_model

ALLOWED = {
    "p": {"class"},
    "ul": set(),
    "ol": set(),
    "li": set(),
    "b": set(),
    "i": set(),
    "code": set(),
    "pre": set(),
    "a": {"href", "rel"},
    "div": {"class"},
}
# What the method documentation's own template writes around the documentation.
ALLOWED_IN_METHOD_DOCS = {
    **ALLOWED,
    "div": {"class"},
    "strong": set(),
    "em": set(),
    "mark": {"class", "data-path"},
    "dl": {"class"},
    "dt": {"class", "data-path"},
    "dd": set(),
    "ul": {"class"},
    "li": {"class", "data-path"},
    "p": {"class"},
    "pre": {"class"},
}
SAFE_SCHEMES = ("http://", "https://", "mailto:")

HOSTILE = {
    "script": "<p>Hi<script>alert(1)</script></p>",
    "script in a code block": "<code><script>alert(1)</script></code>",
    "unclosed script": "<p>a<script>alert(1)",
    "event handlers": '<p onclick="alert(1)">x<img src=x onerror=alert(1)><b onmouseover=x>y</b>',
    "javascript link": '<a href="javascript:alert(1)">click</a>',
    "obfuscated javascript link": (
        '<a href=" JaVaScRiPt&#58;alert(1)">click</a><a href="java\tscript:x">y</a>'
    ),
    "data link": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "empty javascript link": '<a href="javascript:alert(1)"></a>',
    "iframe, object and embed": (
        '<iframe src="https://evil"></iframe><object data=x></object><embed src=x>'
    ),
    "svg and math": "<svg onload=alert(1)><circle/></svg><math><mi xlink:href=x>y</mi></math>",
    "style": "<style>body{display:none}</style><p style='color:red'>x</p>",
    "form": '<form action="https://evil"><input name=x><button>go</button></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil">',
    "unclosed tags": "<p><b><i><code>never closed <ul><li>item",
    "stray closing tags": "</p></b>text</li></ul></note>",
    "unterminated tag": "<p>text <a href='https://x",
    "unterminated comment": "<p>a<!-- b <script>alert(1)</script>",
    "attribute breaking out": '<a href="https://x" title=""><script>alert(1)</script>">y</a>',
    "nested links": '<a href="https://a">one <a href="https://b">two</a></a>',
    "deep nesting": "<b>" * 5000 + "deep" + "</b>" * 5000,
    "a megabyte of text": "<p>" + "word " * 200_000 + "</p>",
    "a megabyte of tags": "<p>x</p>" * 120_000,
    "control characters": "<p>a\x00b\x01c\x1bd\x7f</p>",
    "lone surrogates": "<p>\udcff\ud800 x</p>",
    "replacement and odd characters": "<p>\ufffd \u202e \ufeff</p>",
    "character references": "<p>&#0; &#x110000; &#xD800; &bogus; &lt;script&gt;</p>",
    "aws tags": "<fullname>F</fullname><note><important><danger>x</danger></important></note>",
}


class AllowlistChecker(HTMLParser):
    """Fails on any tag, attribute or link the allowlist does not let through."""

    def __init__(self, allowed: dict[str, set[str]]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed = allowed
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.allowed:
            self.problems.append(f"tag <{tag}>")
            return
        for name, value in attrs:
            if name not in self.allowed[tag]:
                self.problems.append(f"attribute {name} on <{tag}>")
            if name == "href" and not (value or "").startswith(SAFE_SCHEMES):
                self.problems.append(f"link {value!r}")


def unsafe_parts(html: str, allowed: dict[str, set[str]] = ALLOWED) -> list[str]:
    checker = AllowlistChecker(allowed)
    checker.feed(html)
    checker.close()
    return checker.problems


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_documentation_comes_out_safe(case: str) -> None:
    html = clean_documentation(HOSTILE[case])
    assert unsafe_parts(html) == []
    assert "<script" not in html.lower()
    assert 'href="javascript' not in html.lower()
    documentation_lines(html)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_documentation_in_a_model_never_stops_the_documentation(case: str) -> None:
    doc = document_method(hostile_model(HOSTILE[case]), "Go")
    assert unsafe_parts(method_html(doc), ALLOWED_IN_METHOD_DOCS) == []
    assert method_text_lines(doc)


def test_text_shows_the_words_of_scripts_as_text_never_as_markup() -> None:
    html = clean_documentation("<p>Hi<script>alert(1)</script></p>")
    assert html == "<p>Hialert(1)</p>"


def test_safe_links_keep_their_target_and_links_without_text_show_it() -> None:
    html = clean_documentation(
        '<p>See <a href="https://example.com/a?b=1&amp;c=2">the guide</a>'
        ' and <a href="https://example.com/x"></a>.</p>'
    )
    assert 'href="https://example.com/a?b=1&amp;c=2"' in html
    assert ">https://example.com/x</a>" in html


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=20),
            st.sampled_from(
                [
                    "<p>",
                    "</p>",
                    "<b>",
                    "</b>",
                    "<i>",
                    "<code>",
                    "</code>",
                    "<ul>",
                    "<li>",
                    "</li>",
                    "</ul>",
                    "<note>",
                    "</note>",
                    "<fullname>",
                    "</fullname>",
                    '<a href="https://x">',
                    '<a href="javascript:x">',
                    "</a>",
                    "<a>",
                    "<script>",
                    "</script>",
                    "<img src=x onerror=y>",
                    "<!--",
                    "-->",
                    "&amp;",
                    "&#",
                    "<",
                    ">",
                    '"',
                    "'",
                    "=",
                ]
            ),
        ),
        max_size=40,
    )
)
def test_any_documentation_is_cleaned_without_error(parts: list[str]) -> None:
    html = clean_documentation("".join(parts))
    assert unsafe_parts(html) == []
    documentation_lines(html)


# Text mostly of characters the sanitizer keeps, and now and then one it rewrites.
_SAFE_CHARACTERS = st.sampled_from(" abcXYZ019.,;:'\"()/=-\n\t\u00e9\u2019\u4e2d")
_PARAGRAPH_TEXT = st.one_of(
    st.text(alphabet=_SAFE_CHARACTERS, max_size=12),
    st.text(alphabet=st.one_of(_SAFE_CHARACTERS, st.characters()), max_size=12),
)
_PARAGRAPH = st.lists(
    st.one_of(
        _PARAGRAPH_TEXT,
        st.tuples(st.sampled_from(["code", "b", "i"]), _PARAGRAPH_TEXT).map(
            lambda tagged: f"<{tagged[0]}>{tagged[1]}</{tagged[0]}>"
        ),
    ),
    max_size=6,
).map(lambda parts: "<p>" + "".join(parts) + "</p>")


_ITEM = st.one_of(_PARAGRAPH, _PARAGRAPH.map(lambda paragraph: paragraph[3:-4]))
_LIST = st.tuples(
    st.sampled_from(["ul", "ol"]), st.lists(st.lists(_ITEM, max_size=3), max_size=3)
).map(
    lambda listed: (
        f"<{listed[0]}>"
        + " ".join(f"<li>{' '.join(item)}</li>" for item in listed[1])
        + f"</{listed[0]}>"
    )
)


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", " ", "\n ", "\t", "\r", "\u00a0"]), st.one_of(_PARAGRAPH, _LIST)
        )
    )
)
def test_documentation_taken_as_it_is_is_what_the_sanitizer_gives_back(
    paragraphs: list[tuple[str, str]],
) -> None:
    html = "".join(space + paragraph for space, paragraph in paragraphs)
    if unchanged_by_sanitizer().match(html):
        assert _sanitizer().clean(html) == html


def test_real_documentation_taken_as_it_is_is_what_the_sanitizer_gives_back() -> None:
    taken = 0
    for path in sorted(MODELS.glob("*/*/*/service-2.json*")):
        for html in documentation_strings(read_model(path)):
            if unchanged_by_sanitizer().match(html):
                taken += 1
                assert _sanitizer().clean(html) == html
    assert taken > 10_000


# Addresses the sanitizer keeps, and some it drops or may: other schemes, hosts it cannot parse
# (punycode, a number for a last label, an empty one), a port, characters it rewrites.
_ADDRESSES = st.one_of(
    st.sampled_from(
        [
            *("https://docs.aws.amazon.com/sagemaker/latest/dg/x.html#y", "http://a.b/c?d=e;f,g"),
            *("https://EXAMPLE.com/%zz/[x]@!$()*+~", "https://x-y.z0", "https://x", "http://x/"),
        ]
    ),
    st.sampled_from(
        [
            *("https://xn--zz.com", "https://a.XN--b.c", "https://a.1", "https://a.0x1f"),
            *("https://", "https://a..b", "https://a:99999", "https://a:80/x", "x/y", "//a.b"),
            *("javascript:alert(1)", "mailto:a@b.c", "https://a/b c", "https://a/&amp;b"),
            "https://a/b\\c",
        ]
    ),
)
# Text the sanitizer writes back as it is, now and then a reference it rewrites (the text
# itself is what the sanitizer keeps in documentation taken as it is, tested above).
_KEPT_WORDS = st.sampled_from(
    ["", " ", "word", " x.", "&amp;", "&lt;", "&gt;", "\n", "\t", "\u3000", "&quot;"]
)
_KEPT_INLINE = st.one_of(
    _KEPT_WORDS,
    st.tuples(st.sampled_from(["code", "b", "i"]), _KEPT_WORDS).map(
        lambda t: f"<{t[0]}>{t[1]}</{t[0]}>"
    ),
    st.tuples(_ADDRESSES, _KEPT_WORDS, st.sampled_from(["", "code", "b"])).map(
        lambda t: f'<a href="{t[0]}">' + (f"<{t[2]}>{t[1]}</{t[2]}>" if t[2] else t[1]) + "</a>"
    ),
)
_KEPT_PARAGRAPH = st.lists(_KEPT_INLINE, max_size=5).map(lambda parts: f"<p>{''.join(parts)}</p>")
_KEPT_LIST = st.tuples(
    st.sampled_from(["ul", "ol"]),
    st.lists(st.lists(st.one_of(_KEPT_PARAGRAPH, _KEPT_INLINE), max_size=3), max_size=3),
).map(lambda t: f"<{t[0]}>" + "\n".join(f"<li>{''.join(i)}</li>" for i in t[1]) + f"</{t[0]}>")
_KEPT_ADMONITION = st.tuples(
    st.sampled_from(["note", "warning", "danger", "tip"]),
    st.lists(st.one_of(_KEPT_PARAGRAPH, _KEPT_LIST, _KEPT_INLINE), max_size=3),
).map(
    lambda t: (
        f'<div class="admonition {t[0]}"><p class="admonition-title">'
        f"{t[0].capitalize()}</p>{''.join(t[1])}</div>"
    )
)


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", " ", "\n ", "\r"]),
            st.one_of(_KEPT_PARAGRAPH, _KEPT_LIST, _KEPT_ADMONITION),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_documentation_the_sanitizer_keeps_but_for_rel_is_what_it_gives_back(
    blocks: list[tuple[str, str]],
) -> None:
    html = "".join(space + block for space, block in blocks)
    assert _sanitized(html, patterns=True) == _sanitizer().clean(html)


def test_real_documentation_kept_but_for_rel_is_what_the_sanitizer_gives_back() -> None:
    kept = 0
    for path in sorted(MODELS.glob("*/*/*/service-2.json*")):
        for html in set(documentation_strings(read_model(path))):
            converter = _Converter()
            converter.feed(html)
            for given_to_sanitizer in (html, converter.html()):
                if kept_but_for_rel().match(given_to_sanitizer):
                    kept += 1
                    sanitized = _sanitized(given_to_sanitizer, patterns=True)
                    assert sanitized == _sanitizer().clean(given_to_sanitizer)
    assert kept > 10_000


def test_documentation_is_cleaned_the_same_with_the_patterns_as_without(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    strings = sorted(
        {
            html
            for path in MODELS.glob("*/*/*/service-2.json*")
            for html in documentation_strings(read_model(path))
        }
    )

    def cleaned(sanitized_before_patterns: int) -> list[str]:
        monkeypatch.setattr(doc_html, "_sanitized_before_patterns", sanitized_before_patterns)
        clean_documentation.cache_clear()
        return [clean_documentation(html) for html in strings]

    assert cleaned(len(strings)) == cleaned(0)
    clean_documentation.cache_clear()


def test_the_patterns_are_compiled_once_enough_fragments_came_to_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(doc_html, "_sanitized_before_patterns", 2)
    for compiled in (unchanged_by_sanitizer, kept_but_for_rel, clean_documentation):
        compiled.cache_clear()

    # Not one plain paragraph (the commonest documentation, known without any pattern).
    cleaned = [clean_documentation(f"<p>See <code>Name{n}</code>.</p>") for n in range(2)]
    assert cleaned == ["<p>See <code>Name0</code>.</p>", "<p>See <code>Name1</code>.</p>"]
    assert unchanged_by_sanitizer.cache_info().currsize == 0
    assert kept_but_for_rel.cache_info().currsize == 0

    assert clean_documentation("<p>See <code>Name2</code>.</p>") == (
        "<p>See <code>Name2</code>.</p>"
    )
    assert unchanged_by_sanitizer.cache_info().currsize == 1


def converted(html: str) -> str:
    """The documentation through the converter, then the sanitizer: the path for any markup."""
    converter = _Converter()
    converter.feed(html)
    return _sanitizer().clean(converter.html())


_WORDS = st.sampled_from(["", " ", "word", " x.", "&amp;", "&quot;", "\n", "\u00a0", "_"])
_LINKS = st.sampled_from(
    ['<a href="https://x/y?z=1">', '<a href=" https://x">', "<a href=x>", '<a href="x&amp;y">']
)
_INLINE = st.one_of(
    _WORDS,
    st.text(max_size=6).filter(lambda text: "<" not in text),
    st.tuples(st.sampled_from(["code", "b", "i"]), _WORDS).map(
        lambda t: f"<{t[0]}>{t[1]}</{t[0]}>"
    ),
    st.tuples(_LINKS, _WORDS, st.sampled_from(["", "<code>", "<b>"])).map(
        lambda t: f"{t[0]}{t[2]}{t[1]}{t[2].replace('<', '</')}</a>"
    ),
)


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["p", "li"]), st.lists(_INLINE, max_size=6)).map(
            lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"
        ),
        max_size=4,
    )
)
def test_plain_documentation_is_what_the_converter_makes_of_it(blocks: list[str]) -> None:
    html = "".join(blocks)
    if _PLAIN.match(html) and not _word_runs_into_spaced(html):
        assert _sanitizer().clean(html) == converted(html)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=20))
def test_one_paragraph_of_text_reads_as_what_the_converter_makes_of_it(text: str) -> None:
    html = f"<p>{text}</p>"
    # The same words; the markup may differ where the text opens blocks inside the paragraph
    # ("<p><p></p>": the sanitizer closes the first, the converter writes three), which real
    # documentation never does (every bundled fragment is held to the same bytes below).
    assert _words(clean_documentation(html)) == _words(converted(html))


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["<p>", "</p>", "<", ">", "&", "\t", "\n", "\x7f", "\x00", " ", "é"]),
            st.text(max_size=5),
        ),
        max_size=12,
    ),
    st.booleans(),
)
def test_one_plain_paragraph_is_what_it_was_first_written_as(
    parts: list[str], paragraph: bool
) -> None:
    html = "".join(parts)
    if paragraph:
        html = f"<p>{html}</p>"
    as_first_written = (
        html.startswith("<p>")
        and html.count("<") == 2
        and html.endswith("</p>")
        and html.count(">") == 2
        and "&" not in html
        and html.isascii()
        and html.isprintable()
    )
    assert bool(_ONE_PLAIN_PARAGRAPH.match(html)) == as_first_written


# The converter's markup pattern as first written: a tag's attributes read character by
# character (which Python's re runs slowly).
_MARKUP_BY_CHARACTER = re.compile(
    r"<!--.*?(?:-->|\Z)|<(?P<end>/)?(?P<tag>[A-Za-z][A-Za-z0-9]*)"
    r"(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL,
)


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["<", ">", "/", '"', "'", "=", " ", "a", "P", "x1", "<!--", "-->"]),
            st.text(max_size=3),
        ),
        max_size=30,
    )
)
def test_markup_matches_as_its_form_reading_attributes_by_character(parts: list[str]) -> None:
    html = "".join(parts)
    found = [(match.span(), match.groupdict()) for match in _MARKUP.finditer(html)]
    assert found == [
        (match.span(), match.groupdict()) for match in _MARKUP_BY_CHARACTER.finditer(html)
    ]


def _words(fragment: str) -> list[str]:
    return unescape(re.sub(r"<[^>]*>", " ", fragment)).split()


def test_every_bundled_documentation_is_what_the_converter_makes_of_it() -> None:
    for path in sorted(MODELS.glob("*/*/*/service-2.json*")):
        for html in set(documentation_strings(read_model(path))):
            assert clean_documentation(html) == converted(html), html


def documentation_strings(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "documentation" and isinstance(value, str):
                yield value
            else:
                yield from documentation_strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from documentation_strings(value)


def hostile_model(documentation: str) -> ServiceModel:
    """A model with hostile documentation on the operation, its shapes and its members."""
    return ServiceModel(
        "example", "2020-01-01", hostile_document(documentation), Provenance("test", "test")
    )


def hostile_document(documentation: str) -> dict[str, object]:
    return {
        "version": "2.0",
        "metadata": {
            "apiVersion": "2020-01-01",
            "endpointPrefix": "example",
            "protocol": "json",
            "serviceFullName": "Example Service",
            "serviceId": "Example",
            "signatureVersion": "v4",
            "uid": "example-2020-01-01",
        },
        "documentation": documentation,
        "operations": {
            "Go": {
                "name": "Go",
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "GoInput"},
                "output": {"shape": "GoOutput"},
                "documentation": documentation,
            }
        },
        "shapes": {
            "GoInput": {
                "type": "structure",
                "members": {"Name": {"shape": "Name", "documentation": documentation}},
                "documentation": documentation,
            },
            "GoOutput": {
                "type": "structure",
                "members": {"Items": {"shape": "Items"}},
                "documentation": documentation,
            },
            "Items": {"type": "list", "member": {"shape": "Name"}, "documentation": documentation},
            "Name": {"type": "string", "documentation": documentation},
        },
    }


def test_notes_of_models_with_hostile_documentation_run_to_the_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(hostile_document(HOSTILE["script"])), encoding="utf-8")
    changed = hostile_document(HOSTILE["event handlers"])
    changed["shapes"]["GoOutput"]["members"]["Extra"] = {"shape": "Name"}  # type: ignore[index]
    new.write_text(json.dumps(changed), encoding="utf-8")
    for output_format in ("text", "markdown", "json"):
        with pytest.raises(SystemExit) as exit_info:
            main(["notes", str(old), str(new), "--format", output_format])
        captured = capsys.readouterr()
        assert (exit_info.value.code or 0, captured.err) == (0, ""), output_format
        if output_format == "markdown":
            # GitHub renders the HTML in Markdown: none of the model's may come through.
            assert "<script" not in captured.out
            assert "<img" not in captured.out


def test_backquotes_in_documentation_never_close_the_markdown_fence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(hostile_document("<p>Plain.</p>")), encoding="utf-8")
    changed = hostile_document("<p>Run <code>```` rm -rf / ````</code> and ``` this.</p>")
    changed["shapes"]["GoOutput"]["members"]["Extra"] = {"shape": "Name"}  # type: ignore[index]
    new.write_text(json.dumps(changed), encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["notes", str(old), str(new), "--format", "markdown"])
    out = capsys.readouterr().out
    assert "`````text" in out
    opened = out.index("`````text")
    assert out.index("\n`````\n", opened) > out.index("rm -rf", opened)
