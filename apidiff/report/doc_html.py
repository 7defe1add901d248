"""A model's documentation HTML made safe to show: the tags botocore understands, nothing else.

Service models carry documentation as HTML written by many hands: AWS's own tags (`<note>`,
`<important>`, `<fullname>`, `<examples>`), tags left open, stray markup. botocore reads it with a
small set of tag handlers and keeps the text of every other tag; this module does the same, so
the words a reader sees are the words boto3's documentation shows, and writes the result as
plain HTML: notes and warnings become admonition blocks, `<fullname>` and `<examples>` go with
their content. nh3, an allowlist sanitizer, then has the last word on what may reach a page:
whatever the conversion lets through, no script, handler attribute or `javascript:` link does.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from html.parser import HTMLParser

import nh3

# AWS's admonition tags and the title botocore (through reStructuredText) gives each.
_ADMONITIONS = {"note": "Note", "important": "Warning", "danger": "Danger"}
# Tags whose content botocore leaves out of the documentation.
_HIDDEN = frozenset({"fullname", "examples"})
# The tags we write, each standing for the tags of the model that mean it.
_INLINE = {"b": "strong", "bold": "strong", "i": "em", "italics": "em", "code": "code"}
_BLOCKS = frozenset({"p", "ul", "ol", "li"})
# Inline code and links get a space before them where a word runs into them, as botocore
# writes them ("the<code>Name</code>" reads "the Name").
_SPACED = frozenset({"code", "a"})

_ALLOWED_TAGS = frozenset({"p", "ul", "ol", "li", "strong", "em", "code", "a", "div", "pre"})
_ALLOWED_ATTRIBUTES = {"a": {"href"}, "div": {"class"}, "p": {"class"}}
_URL_SCHEMES = frozenset({"http", "https", "mailto"})


@lru_cache(maxsize=65_536)
def clean_documentation(html: str) -> str:
    """The documentation as a safe HTML fragment; the same string always gives the same fragment.

    Never raises: any text is documentation, however broken its markup.
    """
    if not html:
        return ""
    converter = _Converter()
    # JSON may escape lone surrogates, which no encoder writes: they read as U+FFFD.
    converter.feed(html.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
    converter.close()
    return nh3.clean(
        converter.html(),
        tags=set(_ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in _ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


class _Converter(HTMLParser):
    """Writes the model's HTML as the small HTML we allow, tag by tag, as botocore reads it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._out: list[str] = []
        # The tags we opened and must close, innermost last.
        self._open: list[str] = []
        self._hidden_depth = 0
        # The link being written: its target, and whether any text went into it yet.
        self._link_href: str | None = None
        self._link_has_text = False
        # The last character of text written, to tell where a word runs into a tag.
        self._last_char = ""

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
            self._open_tag(tag, f'<div class="admonition {kind}">')
            self._out.append(f'<p class="admonition-title">{_ADMONITIONS[tag]}</p>')
        elif tag in _BLOCKS:
            self._open_tag(tag, f"<{tag}>")
        elif tag in _INLINE:
            self._open_tag(tag, f"<{_INLINE[tag]}>")
        elif tag == "a":
            self._start_link(attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <p/> and the like open and close at once; what matters is that they hold nothing.
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

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

    def handle_data(self, data: str) -> None:
        if self._hidden_depth or not data:
            return
        if self._link_href is not None and data.strip():
            self._link_has_text = True
        self._out.append(escape(data, quote=False))
        self._last_char = data[-1]

    def _open_tag(self, tag: str, markup: str) -> None:
        self._open.append(tag)
        self._out.append(markup)

    def _close(self, tag: str) -> None:
        # Closing a tag closes whatever was left open inside it, as a browser would.
        while self._open:
            inner = self._open.pop()
            if inner == "a":
                self._finish_link()
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
