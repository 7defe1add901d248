"""Where a method's delta shows inside its documentation: the member paths to mark as added,
changed or removed in the Request and Response Syntax, and removed members put back, struck
through, at the place they were.

A delta tree names members through structures only (lists and maps are transparent); the
documentation's paths also step through list items (`[]`) and map values (`{}`). Both are
matched on the names alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from apidiff.diff import DeltaTree, Skeleton, plain_skeleton
from apidiff.report.doc_records import MethodDoc, SyntaxLine, member_path

ADDED, CHANGED, REMOVED = "added", "changed", "removed"


@dataclass(frozen=True, slots=True)
class MarkedDoc:
    """A method's documentation with its removed members put back, and the marks of each side."""

    doc: MethodDoc
    request_marks: dict[str, str]
    response_marks: dict[str, str]


def mark_method_doc(doc: MethodDoc, request: DeltaTree, response: DeltaTree) -> MarkedDoc:
    request_lines, request_marks = _marked_side(doc.request_syntax, request, top_level_call=True)
    response_marks: dict[str, str] = {}
    response_lines = doc.response_syntax
    if response_lines is not None:
        response_lines, response_marks = _marked_side(response_lines, response)
    return MarkedDoc(
        replace(doc, request_syntax=request_lines, response_syntax=response_lines),
        request_marks,
        response_marks,
    )


def _marked_side(
    lines: tuple[SyntaxLine, ...], tree: DeltaTree, *, top_level_call: bool = False
) -> tuple[tuple[SyntaxLine, ...], dict[str, str]]:
    doc_paths = _doc_paths(lines)
    marks: dict[str, str] = {}
    placed = list(lines)
    for names, kind in _delta_marks(tree, ()):
        path = doc_paths.get(".".join(names))
        if path is not None:
            marks[path] = kind
    for parent, name, drawn in _removed_members(tree, ()):
        line = _removed_line(placed, doc_paths, parent, name, drawn, top_level_call)
        if line is not None:
            index, removed = line
            placed.insert(index, removed)
            assert removed.path is not None
            marks[removed.path] = REMOVED
    return tuple(placed), marks


def _doc_paths(lines: tuple[SyntaxLine, ...]) -> dict[str, str]:
    """Each documented member path by its names alone: `A.B` → `A[].B`."""
    found: dict[str, str] = {}
    for line in lines:
        if line.path is not None:
            found.setdefault(_names_only(line.path), line.path)
    return found


def _names_only(path: str) -> str:
    # Plain replacing, quicker than the pattern (a call for each line of the syntax).
    return path.replace("[]", "").replace("{key}", "").replace("{}", "")


def _delta_marks(tree: DeltaTree, names: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    for name in tree.added:
        yield (*names, name), ADDED
    if (tree.enum_added or tree.enum_removed or tree.type_change) and names:
        yield names, CHANGED
    for name in (*tree.required_added, *tree.required_removed):
        yield (*names, name), CHANGED
    for name, nested in tree.nested.items():
        yield from _delta_marks(nested, (*names, name))


def _removed_members(
    tree: DeltaTree, names: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], str, Skeleton]]:
    for name in sorted(tree.removed):
        yield names, name, tree.removed[name]
    for name, nested in tree.nested.items():
        yield from _removed_members(nested, (*names, name))


def _removed_line(
    lines: list[SyntaxLine],
    doc_paths: dict[str, str],
    parent: tuple[str, ...],
    name: str,
    drawn: Skeleton,
    top_level_call: bool,
) -> tuple[int, SyntaxLine] | None:
    """Where a removed member goes (before the first member still in its structure), and
    its line; None where its structure is gone from the documentation too."""
    parent_key = ".".join(parent)
    parent_path = doc_paths.get(parent_key) if parent else ""
    if parent_path is None:
        return None
    index = next(
        (
            number
            for number, line in enumerate(lines)
            if line.path is not None and _is_child(_names_only(line.path), parent_key)
        ),
        None,
    )
    if index is None:
        return None
    skeleton = repr(plain_skeleton(drawn))
    text = f"{name}={skeleton}," if top_level_call and not parent else f"'{name}': {skeleton},"
    return index, SyntaxLine(lines[index].depth, text, member_path(parent_path, name))


def _is_child(names: str, parent: str) -> bool:
    if not parent:
        return bool(names) and "." not in names
    return names.startswith(parent + ".") and "." not in names[len(parent) + 1 :]
