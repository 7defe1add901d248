"""A model's documentation HTML made safe to show: the tags botocore understands, nothing else.

Service models carry documentation as HTML written by many hands: AWS's own tags (`<note>`,
`<important>`, `<fullname>`, `<examples>`), tags left open, stray markup. botocore reads it with a
small set of tag handlers and keeps the text of every other tag; this module does the same, so
the words a reader sees are the words boto3's documentation shows, and writes the result as
plain HTML: notes and warnings become admonition blocks, `<fullname>` and `<examples>` go with
their content. nh3, an allowlist sanitizer, then has the last word on what may reach a page:
whatever the conversion lets through, no script, handler attribute or `javascript:` link does.
(Documentation made only of markup the sanitizer keeps, which it would give back as it is, is
not given to it.)
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from html import escape, unescape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import nh3

# AWS's admonition tags and the title botocore (through reStructuredText) gives each.
_ADMONITIONS = {"note": "Note", "important": "Warning", "danger": "Danger"}
# Tags whose content botocore leaves out of the documentation.
_HIDDEN = frozenset({"fullname", "examples"})
# The tags we write, each standing for the tags of the model that mean it.
_INLINE = {"b": "b", "bold": "b", "i": "i", "italics": "i", "code": "code"}
_BLOCKS = frozenset({"p", "ul", "ol", "li"})
# Inline code and links get a space before them where a word runs into them, as botocore
# writes them ("the<code>Name</code>" reads "the Name").
_SPACED = frozenset({"code", "a"})

_ALLOWED_TAGS = frozenset({"p", "ul", "ol", "li", "b", "i", "code", "a", "div", "pre"})
# Most documentation is paragraphs, lists, inline code and links with text and nothing else,
# which the converter would write as the sanitizer reads it anyway (a word running into inline
# code or a link aside): the sanitizer alone takes it. tests/report/test_doc_html.py holds this
# against the converter. (Possessive, so a string that is not plain fails in linear time.)
_PLAIN_TEXT = r"[^<&]++|&(?:amp|lt|gt|quot|#39);|</?(?:code|b|i)>"
_PLAIN = re.compile(
    rf"(?:{_PLAIN_TEXT}|</?(?:p|ul|ol|li)>"
    # A link to an address the converter writes back as it is, with text in it.
    r"|<a href=\"[^\"'<>&\s]++\">(?=(?:\s*+</?(?:code|b|i)>)*+\s*+[^<&\s])"
    rf"(?:{_PLAIN_TEXT})*+</a>"
    r")*+\Z"
)
# Paragraphs and lists of text with inline code, bold and italics, unnested: the most common
# documentation by far, which the sanitizer would give back unchanged (no markup it alters, no
# character its serializer escapes or its tokenizer rewrites: "&", "<", ">", no-break space,
# carriage return, other controls, surrogates, noncharacters). tests/report/test_doc_html.py
# holds this against nh3 itself. Taking it as it is spares the sanitizer most of its work.
_TEXT = r"[^<>&\x00-\x08\x0b-\x1f\x7f-\x9f\xa0\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
_INLINE_TEXT = rf"(?:{_TEXT}++|<code>{_TEXT}*+</code>|<b>{_TEXT}*+</b>|<i>{_TEXT}*+</i>)*+"
_PARAGRAPH = rf"<p>{_INLINE_TEXT}</p>"
_ITEMS = rf"(?:[ \t\n]*+<li>(?:[ \t\n]*+{_PARAGRAPH}|{_INLINE_TEXT})*+[ \t\n]*+</li>)*+[ \t\n]*+"
_UNCHANGED_BY_SANITIZER = (
    rf"(?:[ \t\n]*+(?:{_PARAGRAPH}|<ul>{_ITEMS}</ul>|<ol>{_ITEMS}</ol>))++[ \t\n]*+\Z"
)
# Beyond that: the same with links to plain web addresses, the references the sanitizer writes
# back as they are, and the converter's admonitions, which the sanitizer gives back as they are
# but for the rel it gives every link. An address the sanitizer keeps: http(s), a host it
# parses (no punycode, a last label that is not a number), no port, no character it rewrites.
# tests/report/test_doc_html.py holds this against nh3 too. Taken so, three sanitizer calls in
# four are spared (the documentation of botocore 1.44.8 and of the bundled models).
# Only ASCII documentation is taken so (most of it): the pattern is compiled once per process,
# and with _TEXT's class of every character the sanitizer rewrites it took 22 ms, with the
# ASCII ones alone 8 ms.
_ASCII_TEXT = r"[^<>&\x00-\x08\x0b-\x1f\x7f]"
_KEPT_TEXT = rf"(?:{_ASCII_TEXT}++|&(?:amp|lt|gt);)"
_KEPT_STYLED = (
    rf"(?:{_KEPT_TEXT}|<code>{_KEPT_TEXT}*+</code>|<b>{_KEPT_TEXT}*+</b>|<i>{_KEPT_TEXT}*+</i>)"
)
_LABEL = r"(?![Xx][Nn]--)[A-Za-z0-9-]++"
_ADDRESS = (
    rf"https?://(?:{_LABEL}\.)*+(?![Xx][Nn]--)[A-Za-z][A-Za-z0-9-]*+"
    r"(?:[/?#][A-Za-z0-9._~:/?#\[\]@!$()*+,;=%-]*+)?"
)
_KEPT_INLINE = rf"(?:{_KEPT_STYLED}|<a href=\"{_ADDRESS}\">{_KEPT_STYLED}*+</a>)"
_KEPT_PARAGRAPH = rf"<p>{_KEPT_INLINE}*+</p>"
_KEPT_ITEMS = (
    rf"(?:[ \t\n]*+<li>(?:[ \t\n]*+{_KEPT_PARAGRAPH}|{_KEPT_INLINE})*+[ \t\n]*+</li>)*+[ \t\n]*+"
)
_KEPT_BLOCK = rf"(?:{_KEPT_PARAGRAPH}|<ul>{_KEPT_ITEMS}</ul>|<ol>{_KEPT_ITEMS}</ol>)"
_KEPT_ADMONITION = (
    r'<div class="admonition (?:note|warning|danger)">'
    r'<p class="admonition-title">(?:Note|Warning|Danger)</p>'
    rf"(?:[ \t\n]*+{_KEPT_BLOCK}|{_KEPT_INLINE})*+[ \t\n]*+</div>"
)
_KEPT_BUT_FOR_REL = rf"(?:[ \t\n]*+(?:{_KEPT_BLOCK}|{_KEPT_ADMONITION}))++[ \t\n]*+\Z"
# One paragraph of printable ASCII text but "&", "<" and ">" (a class of characters below 256,
# which re tests a character at a time against a table: quicker than counting the "<" and ">"
# and asking whether the text is ASCII and printable, as this was first written).
_ONE_PLAIN_PARAGRAPH = re.compile(r"<p>[ -%'-;=?-~]*+</p>\Z")
_LINK_OPENING = re.compile(r'(<a href="[^"]*")>')
_LINK_REL = "noopener noreferrer nofollow"
_ALLOWED_ATTRIBUTES = {"a": {"href"}, "div": {"class"}, "p": {"class"}}
_URL_SCHEMES = frozenset({"http", "https", "mailto"})


@lru_cache(maxsize=65_536)
def clean_documentation(html: str) -> str:
    """The documentation as a safe HTML fragment; the same string always gives the same fragment.

    Never raises: any text is documentation, however broken its markup.
    """
    if not html:
        return ""
    if _ONE_PLAIN_PARAGRAPH.match(html):
        # One paragraph of printable ASCII text and nothing else, the commonest documentation
        # of all: what the sanitizer gives back, known without the sanitizer's patterns.
        return html
    if not html.isascii():
        # JSON may escape lone surrogates, which no encoder writes: they read as U+FFFD.
        html = html.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    patterns = _patterns_worth_it()
    if patterns and unchanged_by_sanitizer().match(html):
        if not _word_runs_into_spaced(html):
            return html
    elif _PLAIN.match(html) and not _word_runs_into_spaced(html):
        return _sanitized(html, patterns)
    converter = _Converter()
    converter.feed(html)
    return _sanitized(converter.html(), patterns)


def _sanitized(html: str, patterns: bool) -> str:
    """What the sanitizer gives back for `html`, without it where that is known beforehand
    (by the patterns, where they are worth it)."""
    if patterns and html.isascii() and kept_but_for_rel().match(html):
        return _LINK_OPENING.sub(rf'\1 rel="{_LINK_REL}">', html) if "<a " in html else html
    return _sanitizer().clean(html)


# The two patterns below spare the sanitizer three calls in four, some 20 microseconds each,
# but take about 35 ms to compile (once per process): more than a run that cleans a few
# hundred such fragments saves. The README's notes command cleans 9 (SageMaker 1.44.8 has
# 1,586): the first fragments go to the sanitizer alone, and the patterns are compiled for
# the rest. Either way a fragment comes out the same (tests/report/test_doc_html.py).
SANITIZED_BEFORE_PATTERNS = 200
_sanitized_before_patterns = SANITIZED_BEFORE_PATTERNS


def _patterns_worth_it() -> bool:
    """Whether a fragment is matched against the patterns: once enough have come to them."""
    global _sanitized_before_patterns
    if _sanitized_before_patterns:
        _sanitized_before_patterns -= 1
        return False
    return True


@cache
def unchanged_by_sanitizer() -> re.Pattern[str]:
    """The documentation the sanitizer gives back as it is, compiled on first use: 20 copies
    of a large character class take 10 ms to compile, which a run without documentation
    (and every process that imports this module) need not pay."""
    return re.compile(_UNCHANGED_BY_SANITIZER)


@cache
def kept_but_for_rel() -> re.Pattern[str]:
    """The documentation the sanitizer gives back as it is but for the rel of its links,
    compiled on first use (as `unchanged_by_sanitizer`)."""
    return re.compile(_KEPT_BUT_FOR_REL)


def _word_runs_into_spaced(html: str) -> bool:
    """Whether a word runs into inline code or a link, which the converter spaces apart.

    The converter looks at the last character of text before the tag, whatever tags come
    between. Text ending in ">" may be taken for a tag here, which can only say True where the
    converter sees no word: the converter then writes what it would anyway.
    """
    if "<code>" not in html and "<a " not in html:
        return False  # (most documentation: no loop for it)
    for tag in ("<code>", "<a "):
        start = html.find(tag)
        while start != -1:
            end = start
            while end and html[end - 1] == ">":
                end = max(0, html.rfind("<", 0, end - 1))
            if end and html[end - 1].isalnum():
                return True
            start = html.find(tag, start + len(tag))
    return False


@cache
def _sanitizer() -> nh3.Cleaner:
    import nh3  # A compiled extension: loaded with the first documentation that needs it.

    return nh3.Cleaner(
        tags=set(_ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in _ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(_URL_SCHEMES),
        link_rel=_LINK_REL,
        strip_comments=True,
    )


# What the converter tells apart in the model's HTML: comments, tags (with their attributes),
# and the text between. Anything else that looks like markup is text, as in a browser; the
# sanitizer, not this, decides what is safe.
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)|<(?P<end>/)?(?P<tag>[A-Za-z][A-Za-z0-9]*)"
    r"(?P<attrs>[^>\"']*+(?:(?:\"[^\"]*+\"|'[^']*+')[^>\"']*+)*+)>",
    re.DOTALL,
)
_ATTRIBUTE = re.compile(
    r"(?P<name>[^\s\"'>/=]+)(?:\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+)))?"
)


def _attributes(text: str) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for match in _ATTRIBUTE.finditer(text):
        value = match["dq"] if match["dq"] is not None else match["sq"]
        if value is None:
            value = match["bare"]
        found.append((match["name"].lower(), unescape(value) if value is not None else None))
    return found


class _Converter:
    """Writes the model's HTML as the small HTML we allow, tag by tag, as botocore reads it."""

    def __init__(self) -> None:
        self._out: list[str] = []
        # The tags we opened and must close, innermost last.
        self._open: list[str] = []
        self._hidden_depth = 0
        # The link being written: its target, and whether any text went into it yet.
        self._link_href: str | None = None
        self._link_has_text = False
        # The last character of text written, to tell where a word runs into a tag.
        self._last_char = ""
        # How many pieces of text were written, and for each open admonition, where it
        # starts in the output and how many there were then.
        self._texts = 0
        self._admonitions: list[tuple[int, int]] = []

    def feed(self, html: str) -> None:
        position = 0
        for match in _MARKUP.finditer(html):
            if match.start() > position:
                self.handle_data(html[position : match.start()])
            position = match.end()
            tag = match["tag"]
            if tag is None:
                continue  # a comment
            tag = tag.lower()
            if match["end"]:
                self.handle_endtag(tag)
                continue
            attrs = match["attrs"]
            self.handle_starttag(tag, _attributes(attrs) if attrs.strip() else [])
            if attrs.rstrip().endswith("/"):
                self.handle_endtag(tag)
        if position < len(html):
            self.handle_data(html[position:])

    def html(self) -> str:
        while self._open:
            self._close(self._open[-1])
        return "".join(self._out)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden_depth += 1
        if self._hidden_depth:
            return
        if tag in _SPACED and self._last_char.isalnum():
            self._out.append(" ")
            self._last_char = " "
        if tag in _ADMONITIONS:
            kind = "warning" if tag == "important" else tag
            # Where it starts, and how much text there was: an empty one is left out.
            self._admonitions.append((len(self._out), self._texts))
            self._open_tag(tag, f'<div class="admonition {kind}">')
            self._out.append(f'<p class="admonition-title">{_ADMONITIONS[tag]}</p>')
        elif tag in _BLOCKS:
            self._open_tag(tag, f"<{tag}>")
        elif tag in _INLINE:
            self._open_tag(tag, f"<{_INLINE[tag]}>")
        elif tag == "a":
            self._start_link(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN and self._hidden_depth:
            self._hidden_depth -= 1
            return
        if self._hidden_depth:
            return
        if tag == "a":
            self._end_link()
        elif tag in self._open:
            self._close(tag)

    def handle_data(self, text: str) -> None:
        """Text as it stands in the model, character references and all."""
        if self._hidden_depth or not text:
            return
        if "&" in text or "<" in text or ">" in text:
            # Written back escaped, the way the sanitizer would write it anyway.
            data = unescape(text)
            text = escape(data, quote=False)
        else:
            data = text
        if not data:
            return
        if self._link_href is not None and not data.isspace():
            self._link_has_text = True
        self._out.append(text)
        self._last_char = data[-1]
        if not data.isspace():
            self._texts += 1

    def _open_tag(self, tag: str, markup: str) -> None:
        self._open.append(tag)
        self._out.append(markup)

    def _close(self, tag: str) -> None:
        # Closing a tag closes whatever was left open inside it, as a browser would.
        while self._open:
            inner = self._open.pop()
            if inner == "a":
                self._finish_link()
            elif inner in _ADMONITIONS:
                start, texts = self._admonitions.pop()
                if texts == self._texts:
                    del self._out[start:]
                else:
                    self._out.append(_closing_markup(inner))
            else:
                self._out.append(_closing_markup(inner))
            if inner == tag:
                return

    def _start_link(self, attrs: list[tuple[str, str | None]]) -> None:
        if self._link_href is not None:
            self._close("a")
        href = next((value for name, value in attrs if name == "href" and value), None)
        self._link_href = href.strip() if href else ""
        self._link_has_text = False
        self._open.append("a")
        self._out.append(f'<a href="{escape(self._link_href)}">' if self._link_href else "")

    def _end_link(self) -> None:
        if "a" in self._open:
            self._close("a")

    def _finish_link(self) -> None:
        href = self._link_href or ""
        if href:
            # A link without text shows its address, as botocore writes it.
            if not self._link_has_text:
                self._out.append(escape(href, quote=False))
                self._last_char = href[-1]
            self._out.append("</a>")
        self._link_href = None


def _closing_markup(tag: str) -> str:
    if tag in _ADMONITIONS:
        return "</div>"
    return f"</{_INLINE.get(tag, tag)}>"
