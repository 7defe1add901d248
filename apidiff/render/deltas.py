"""How a DeltaTree reads in text: the nested dict of the reference page, and marked lines for
removals, type changes and required flags.

The added view is exactly the awsapichanges delta: keys sorted, new members as their type
skeleton, new enum values as a set, lists and maps passed through on the way to a change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from apidiff.diff import DeltaTree

# What a view holds: a dict of views and skeletons, a frozenset of enum values, or a skeleton.
View = Any


def added_view(tree: DeltaTree) -> View | None:
    return _view(tree, lambda node: (node.added, node.enum_added))


def removed_view(tree: DeltaTree) -> View | None:
    return _view(tree, lambda node: (node.removed, node.enum_removed))


def _view(
    tree: DeltaTree, pick: Callable[[DeltaTree], tuple[Mapping[str, Any], tuple[str, ...]]]
) -> View | None:
    members, enum_values = pick(tree)
    if enum_values and not members and not tree.nested:
        return frozenset(enum_values)
    view: dict[str, View] = dict(members)
    for name, subtree in tree.nested.items():
        nested = _view(subtree, pick)
        if nested is not None:
            view[name] = nested
    return {name: view[name] for name in sorted(view)} or None


def marked_lines(tree: DeltaTree, side: str) -> Iterator[str]:
    """Changes a caller must act on that the added/removed views do not show."""
    for path, node in _walk(tree, ""):
        if node.type_change:
            before, after = node.type_change
            yield f"type changed in {side}: {path or '(root)'}: {before} -> {after}"
        for member in node.required_added:
            yield f"now required in {side}: {_join(path, member)}"
        for member in node.required_removed:
            yield f"no longer required in {side}: {_join(path, member)}"


def _walk(tree: DeltaTree, path: str) -> Iterator[tuple[str, DeltaTree]]:
    yield path, tree
    for name, subtree in tree.nested.items():
        yield from _walk(subtree, _join(path, name))


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def python_literal(value: View) -> str:
    """A view written as Python writes it, with sets sorted so output is deterministic."""
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{key!r}: {python_literal(item)}" for key, item in value.items()) + "}"
        )
    if isinstance(value, list):
        return "[" + ", ".join(python_literal(item) for item in value) + "]"
    if isinstance(value, frozenset | set):
        return "{" + ", ".join(repr(item) for item in sorted(value)) + "}"
    return repr(value)


def delta_lines(request: DeltaTree, response: DeltaTree) -> list[str]:
    """The delta of one operation: a bare dict where only one side changed, labelled otherwise."""
    lines = _labelled(added_view(request), added_view(response), "")
    lines += _labelled(removed_view(request), removed_view(response), "removed from ")
    lines += [*marked_lines(request, "request"), *marked_lines(response, "response")]
    return lines


def _labelled(request: View | None, response: View | None, prefix: str) -> list[str]:
    if request is not None and response is not None:
        if request == response:
            return [f"{prefix}both: {python_literal(request)}"]
        return [
            f"{prefix}request: {python_literal(request)}",
            f"{prefix}response: {python_literal(response)}",
        ]
    only = request if request is not None else response
    if only is None:
        return []
    if not prefix:
        return [python_literal(only)]
    side = "request" if request is not None else "response"
    return [f"{prefix}{side}: {python_literal(only)}"]
