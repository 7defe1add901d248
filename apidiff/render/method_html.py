"""An api method's documentation as an HTML fragment, with changed members marked inside it.

The fragment is what boto3's client reference shows, laid out with plain HTML (paragraphs,
lists, definition lists for the parameters, `<pre>` for the syntax); a page styles it. Each
syntax line and documented member carries its member path (`data-path`), and those a caller
sees change are marked: `marks` maps a member path to a kind ("added", "changed", "removed"),
which applies to that member and everything beneath it. Request and response paths are apart:
`response_marks`, where given, mark the response and `marks` the request alone.

Documentation strings are sanitized HTML already (report/doc_html.py) and go in as they are;
everything else is escaped. The fragment is written by string building rather than a template:
the documenter shares one MemberDoc wherever its shape appears, so the HTML of each member is
built once and reused at every path it shows up under (the path is the only thing that differs).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping

from apidiff.report.doc_records import (
    DEPRECATED_OPERATION,
    MAX_NESTING,
    MemberDoc,
    MemberMemo,
    MethodDoc,
    SyntaxLine,
    member_path,
)

_SDK_UNKNOWN_MEMBER = (
    "If a client receives an unknown member it will set <code>SDK_UNKNOWN_MEMBER</code> as the"
    " top level key, which maps to the name or tag of the unknown member. The structure of"
    " <code>SDK_UNKNOWN_MEMBER</code> is as follows:</p>\n"
    "<pre><code>'SDK_UNKNOWN_MEMBER': {'name': 'UnknownMemberName'}</code></pre>\n"
)
_EVENT_STREAM = (
    "<p>The response of this operation contains an <code>EventStream</code> member. When iterated"
    " the <code>EventStream</code> will yield events based on the structure below, where only one"
    " of the top level keys will be present for any given event.</p>\n"
)


def method_html(
    doc: MethodDoc,
    marks: Mapping[str, str] | None = None,
    response_marks: Mapping[str, str] | None = None,
) -> str:
    # No marker where nothing is marked (the commonest call): the members' HTML comes
    # straight from their memo.
    request_mark = _Marker(marks) if marks else None
    if response_marks is None:
        response_mark = request_mark
    else:
        response_mark = _Marker(response_marks) if response_marks else None
    out = ['<div class="method-doc">\n', doc.description]
    if doc.deprecated:
        out.append(
            '<div class="admonition danger"><p class="admonition-title">Danger</p>'
            f"<p>{_escape(DEPRECATED_OPERATION)}</p></div>\n"
        )
    if doc.api_reference:
        out.append(
            f'<p>See also: <a href="{_escape(doc.api_reference)}" rel="noopener noreferrer'
            ' nofollow">AWS API Documentation</a></p>\n'
        )
    out += ["<p><strong>Request Syntax</strong></p>\n", _syntax(doc.request_syntax, request_mark)]
    if doc.parameters:
        out.append('<dl class="parameters">\n')
        for parameter in doc.parameters:
            _add_parameter(out, parameter, request_mark)
        out.append("</dl>\n")
    out.append('<dl class="returns">\n')
    if doc.response is None or doc.response_syntax is None:
        out.append("<dt>returns:</dt>\n<dd><p>None</p></dd>\n")
    else:
        out.append("<dt>rtype:</dt>\n<dd><p>dict</p></dd>\n<dt>returns:</dt>\n<dd>\n")
        if doc.event_stream:
            out.append(_EVENT_STREAM)
        out += [
            "<p><strong>Response Syntax</strong></p>\n",
            _syntax(doc.response_syntax, response_mark),
            '<p><strong>Response Structure</strong></p>\n<ul class="members">\n',
        ]
        _add_item(out, doc.response, False, "", response_mark)
        out.append("\n</ul>\n</dd>\n")
    out.append("</dl>\n</div>\n")
    return "".join(out)


def clear_memo() -> None:
    """Forget every member's HTML (a benchmark's cold start)."""
    _ITEM_CHUNKS.clear()


def _escape(text: str) -> str:
    """Text as Jinja's autoescape (markupsafe) writes it, the references and all.

    A plain string, quicker than a Markup to make, and one that escapes nothing joined or
    added to it."""
    if text.isidentifier():
        # Member names and types, the commonest text here: nothing in them to escape.
        return text
    if "&" in text:
        text = text.replace("&", "&amp;")
    return (
        text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;").replace("'", "&#39;")
    )


# A syntax line's indentation by its depth, made once: the documenter nests lines at most
# MAX_NESTING and a few levels deep, and a block has thousands of lines.
_INDENTS = tuple("    " * depth for depth in range(MAX_NESTING + 3))


def _syntax(lines: tuple[SyntaxLine, ...], mark: _Marker | None) -> str:
    if mark is None:
        # Escaping works character by character: the block at once is every line escaped.
        try:
            text = "\n".join([_INDENTS[depth] + text for depth, text, _ in lines])
        except IndexError:  # a line deeper than the documenter writes
            text = "\n".join(["    " * depth + text for depth, text, _ in lines])
        return f'<pre class="syntax"><code>{_escape(text)}</code></pre>\n\n'
    shown = []
    unmarked: list[str] = []  # the lines since the last marked one, escaped together
    for line in lines:
        text = "    " * line.depth + line.text
        kind = mark(line.path)
        if not kind:
            unmarked.append(text)
            continue
        if unmarked:
            shown.append(_escape("\n".join(unmarked)))
            unmarked.clear()
        path = _escape(line.path or "")
        shown.append(f'<mark class="{_escape(kind)}" data-path="{path}">{_escape(text)}</mark>')
    if unmarked:
        shown.append(_escape("\n".join(unmarked)))
    return '<pre class="syntax"><code>' + "\n".join(shown) + "</code></pre>\n\n"


def _add_parameter(out: list[str], parameter: MemberDoc, mark: _Marker | None) -> None:
    path = parameter.step
    kind = mark(path) if mark is not None else None
    marked = f' class="{_escape(kind)}"' if kind else ""
    name = _escape(str(parameter.name))
    out.append(
        f'<dt{marked} data-path="{_escape(path)}">type {name}:</dt>\n'
        f"<dd><p>{_escape(parameter.type_name)}</p></dd>\n"
        f"<dt{marked}>param {name}:</dt>\n"
        + ("<dd><p><strong>[REQUIRED]</strong></p>" if parameter.required else "<dd>")
        + _own_body(parameter, True)
    )
    if parameter.children:
        _add_children(out, parameter, True, path, mark)
    out.append("</dd>\n")


def _add_children(
    out: list[str], member: MemberDoc, request: bool, path: str, mark: _Marker | None
) -> None:
    """The list of the members inside `member`, which is at `path`."""
    out.append('<ul class="members">\n')
    for child in member.children:
        _add_item(out, child, request, member_path(path, child.step), mark)
    out.append("</ul>\n")


def _own_body(member: MemberDoc, request: bool) -> str:
    """What a member's body shows before the members inside it; the same at every path."""
    body = member.documentation
    if member.autopopulated:
        body += "<p>This field is autopopulated if not provided.</p>"
    if member.union_members:
        keys = ", ".join(f"<code>{_escape(key)}</code>" for key in member.union_members)
        body += '<div class="admonition note"><p class="admonition-title">Note</p>\n'
        if request:
            body += (
                "<p>This is a Tagged Union structure. Only one of the following top level keys"
                f" can be set: {keys}.</p>\n"
            )
        else:
            body += (
                "<p>This is a Tagged Union structure. Only one of the following top level keys"
                f" will be set: {keys}. {_SDK_UNKNOWN_MEMBER}"
            )
        body += "</div>\n"
    return body


def _add_item(
    out: list[str], member: MemberDoc, request: bool, path: str, mark: _Marker | None
) -> None:
    """A member's list item, at `path`."""
    if path and (mark is None or mark.leaves_alone(path)):
        if member.children:
            out.append(_escape(path).join(_item_chunks(member, request)))
        else:
            # A member without children is quicker to write than to look up.
            out += (_OPENING, _escape(path), _leaf_rest(member, request))
        return
    kind = mark(path) if mark is not None else None
    marked = f' class="{_escape(kind)}"' if kind else ""
    out.append(f'<li{marked} data-path="{_escape(path)}' + _title_rest(member))
    out.append(_own_body(member, request))
    if member.children:
        _add_children(out, member, request, path, mark)
    out.append("</li>\n")


_OPENING = '<li data-path="'


def _title_rest(member: MemberDoc) -> str:
    """A member's list item title after its path."""
    name, type_name = member.name, member.type_name
    # (Names and types rarely have anything to escape: checked here, a call each is spared.)
    if not type_name.isidentifier():
        type_name = _escape(type_name)
    required = " <strong>[REQUIRED]</strong>" if member.required else ""
    if name is None:
        return f'"><p class="member"><em>({type_name}) --</em>{required}</p>\n'
    if not name.isidentifier():
        name = _escape(name)
    return f'"><p class="member"><strong>{name}</strong> <em>({type_name}) --</em>{required}</p>\n'


def _leaf_rest(member: MemberDoc, request: bool) -> str:
    """The list item of a member without children, after its path."""
    return _title_rest(member) + _own_body(member, request) + "</li>\n"


# By member and whether it is in a request: the member's list item, unmarked, cut at each place
# its path goes, so that the path joins it back together. (Members with children only: the
# item of one without is quicker to write than to look up.)
_ITEM_CHUNKS: MemberMemo[tuple[str, ...]] = MemberMemo()


def _item_chunks(member: MemberDoc, request: bool) -> tuple[str, ...]:
    """The unmarked list item of `member` (which has children) at any non-empty path P, as
    the pieces that `_escape(P).join` puts together: every path under P starts with P."""
    found = _ITEM_CHUNKS.get(member, request)
    if found is not None:
        return found
    chunks = [_OPENING]
    # The piece being written, up to the next place a path goes.
    piece = _title_rest(member) + _own_body(member, request) + '<ul class="members">\n'
    for child in member.children:
        # A child's path is the member's path with the child's step added (P is not empty).
        step = child.step
        if step.isidentifier():
            relative = "." + step
        else:
            relative = _escape(step if step[:1] in "[{" else "." + step)
        chunks.append(piece + _OPENING)
        if child.children:
            _, *inner, last = _item_chunks(child, request)
            chunks += [relative + chunk for chunk in inner]
            piece = relative + last
        else:
            piece = relative + _leaf_rest(child, request)
    chunks.append(piece + "</ul>\n</li>\n")
    made = tuple(chunks)
    _ITEM_CHUNKS.put(member, request, made)
    return made


class _Marker:
    """The mark of a member path: its own, or that of the nearest marked member above it.

    A syntax block asks for every line's path, and a line's parent was asked for just before
    it: each answer is kept, so a path's walk up stops at the first path already answered
    instead of going on to the top every time.
    """

    def __init__(self, marks: Mapping[str, str]) -> None:
        self._marks = marks
        self._found: dict[str, str | None] = {"": marks.get("")}
        # The marked paths in order, and their lengths (`leaves_alone`), once asked for.
        self._ordered: list[str] | None = None
        self._lengths: list[int] = []

    def __call__(self, path: str | None) -> str | None:
        if path is None:
            return None
        found = self._found
        if path in found:
            return found[path]
        unanswered = []
        while path not in found:
            kind = self._marks.get(path)
            if kind is not None:
                found[path] = kind
                break
            unanswered.append(path)
            path = _parent(path)
        kind = found[path]
        for below in unanswered:
            found[below] = kind
        return kind

    def leaves_alone(self, path: str) -> bool:
        """Whether no path at or under `path` can have a mark.

        Finding a path's mark looks only at its own prefixes (`_parent` shortens a path from
        its end), and every path under `path` starts with it: so no mark is found there if no
        marked path is a prefix of `path` or starts with it.
        """
        if self._ordered is None:
            self._ordered = sorted(self._marks)
            self._lengths = sorted({len(marked) for marked in self._marks})
        # The marked paths starting with `path`, if any, come first among those from it on
        # (a page can mark thousands of paths: none is looked at one by one).
        ordered = self._ordered
        first = bisect_left(ordered, path)
        if first < len(ordered) and ordered[first].startswith(path):
            return False
        marks = self._marks
        for length in self._lengths:
            if length > len(path):
                break
            if path[:length] in marks:
                return False
        return True


def _parent(path: str) -> str:
    """`A.B[]` → `A.B`, `A.B` → `A`, `A{}` → `A`, `A{key}` → `A`."""
    if path.endswith("[]") or path.endswith("{}"):
        return path[:-2]
    if path.endswith("{key}"):
        return path[: -len("{key}")]
    return path.rpartition(".")[0]
