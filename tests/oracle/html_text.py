"""The visible text of an HTML fragment, laid out as the reference release notes show it.

The reference pages are text scraped from HTML: one line per block, whitespace collapsed, so a
multi-line code block becomes one line. Field lists lose their names ("Parameters", "Return type"),
keeping only the bodies: "string", "[REQUIRED]", "dict".
"""

from html.parser import HTMLParser

# Elements that start and end a line of text; everything else flows inline.
# fmt: off
_BLOCK_ELEMENTS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "legend", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
# fmt: on
# Elements whose content is never shown.
_HIDDEN_ELEMENTS = frozenset({"head", "noscript", "script", "style", "template", "title"})


def html_to_text_lines(html: str) -> list[str]:
    """The visible text of an HTML fragment, one line per block.

    Whitespace is collapsed (a <pre> block becomes one line), character references are decoded,
    and the names of docutils field lists are dropped, keeping their bodies.
    """
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return extractor.lines


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._pending: list[str] = []
        # The tag that hides what we are inside of, and how deep in same-named tags we are.
        self._hidden_tag: str | None = None
        self._hidden_depth = 0
        # For each open <dl>: is it a docutils field list (html5 writer)?
        self._field_lists: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._hidden_tag is not None:
            if tag == self._hidden_tag:
                self._hidden_depth += 1
            return
        if tag in _BLOCK_ELEMENTS:
            self._end_line()
        if tag == "dl":
            self._field_lists.append("field-list" in _classes(attrs))
        if tag in _HIDDEN_ELEMENTS or self._is_field_name(tag, attrs):
            self._hidden_tag, self._hidden_depth = tag, 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A self-closed element has no content to hide, so only its line break matters.
        if self._hidden_tag is None and tag in _BLOCK_ELEMENTS:
            self._end_line()

    def handle_endtag(self, tag: str) -> None:
        if self._hidden_tag is not None:
            if tag == self._hidden_tag:
                self._hidden_depth -= 1
                if self._hidden_depth == 0:
                    self._hidden_tag = None
            return
        if tag == "dl" and self._field_lists:
            self._field_lists.pop()
        if tag in _BLOCK_ELEMENTS:
            self._end_line()

    def handle_data(self, data: str) -> None:
        if self._hidden_tag is None:
            self._pending.append(data)

    def close(self) -> None:
        super().close()
        self._end_line()

    def _is_field_name(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        # html5 writes a field list as <dl class="field-list"><dt>name</dt><dd>body</dd>;
        # html4 as a table whose name cells are <th class="field-name">.
        if tag == "dt":
            return bool(self._field_lists) and self._field_lists[-1]
        return tag == "th" and "field-name" in _classes(attrs)

    def _end_line(self) -> None:
        line = " ".join("".join(self._pending).split())
        self._pending.clear()
        if line:
            self.lines.append(line)


def _classes(attrs: list[tuple[str, str | None]]) -> list[str]:
    return " ".join(value or "" for name, value in attrs if name == "class").split()
