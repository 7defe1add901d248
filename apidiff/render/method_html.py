"""An api method's documentation as an HTML fragment, with changed members marked inside it.

The fragment is what boto3's client reference shows, laid out with plain HTML (paragraphs,
lists, definition lists for the parameters, `<pre>` for the syntax); a page styles it. Each
syntax line and documented member carries its member path (`data-path`), and those a caller
sees change are marked: `marks` maps a member path to a kind ("added", "changed", "removed"),
which applies to that member and everything beneath it. Request and response paths are apart:
`response_marks`, where given, mark the response and `marks` the request alone.
"""

from __future__ import annotations

from collections.abc import Mapping

from apidiff.report.method_docs import DEPRECATED_OPERATION, MethodDoc, member_path


def method_html(
    doc: MethodDoc,
    marks: Mapping[str, str] | None = None,
    response_marks: Mapping[str, str] | None = None,
) -> str:
    from apidiff.render.environment import render_template

    return render_template(
        "method_docs.html.j2",
        doc=doc,
        request_mark=_Marker(marks or {}),
        response_mark=_Marker(marks or {} if response_marks is None else response_marks),
        member_path=member_path,
        deprecated_operation=DEPRECATED_OPERATION,
    )


class _Marker:
    """The mark of a member path: its own, or that of the nearest marked member above it."""

    def __init__(self, marks: Mapping[str, str]) -> None:
        self._marks = marks

    def __call__(self, path: str | None) -> str | None:
        if not self._marks or path is None:
            return None
        while True:
            kind = self._marks.get(path)
            if kind is not None or not path:
                return kind
            path = _parent(path)


def _parent(path: str) -> str:
    """`A.B[]` → `A.B`, `A.B` → `A`, `A{}` → `A`, `A{key}` → `A`."""
    if path.endswith("[]") or path.endswith("{}"):
        return path[:-2]
    if path.endswith("{key}"):
        return path[: -len("{key}")]
    return path.rpartition(".")[0]
