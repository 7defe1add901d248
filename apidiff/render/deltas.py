"""How a DeltaTree reads in text: the nested dict of the reference page, and marked lines for
removals, type changes and required flags.

The added view is exactly the awsapichanges delta: keys sorted, new members as their type
skeleton, new enum values as a set, lists and maps passed through on the way to a change.
"""

from __future__ import annotations

import pprint
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from apidiff.diff import DeltaTree, plain_skeleton

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
    # New members as the pages print them: enum-typed strings as 'A | B | C'.
    view: dict[str, View] = {name: plain_skeleton(drawn) for name, drawn in members.items()}
    for name, subtree in tree.nested.items():
        nested = _view(subtree, pick)
        if nested is not None:
            view[name] = nested
    return {name: view[name] for name in sorted(view)} or None


def marked_lines(tree: DeltaTree, side: str) -> Iterator[str]:
    """Changes a caller must act on that the added/removed views do not show."""
    where = f" in the {side}" if side else ""
    for path, node in _walk(tree, ""):
        if node.type_change:
            before, after = node.type_change
            yield f"Type changed{where}: {path or '(root)'}: {before} -> {after}"
        for member in node.required_added:
            yield f"Now required{where}: {_join(path, member)}"
        for member in node.required_removed:
            yield f"No longer required{where}: {_join(path, member)}"


def _walk(tree: DeltaTree, path: str) -> Iterator[tuple[str, DeltaTree]]:
    yield path, tree
    for name, subtree in tree.nested.items():
        yield from _walk(subtree, _join(path, name))


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def pretty(value: View) -> list[str]:
    """A view as Python's pprint writes it at its default width: keys sorted, nested lines
    indented, long strings split. The lines of the deltas on the reference pages."""
    return pprint.pformat(_plain(value)).splitlines()


def _plain(value: View) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, frozenset):
        return _EnumValues(value)
    return value


class _EnumValues(frozenset[str]):
    """New enum values, written as the pages write them: a set, its values sorted.

    pprint writes a frozenset as "frozenset({...})", and a short set in hash order, which
    changes from run to run.
    """

    def __repr__(self) -> str:
        return "{" + ", ".join(repr(value) for value in sorted(self)) + "}"


@dataclass(frozen=True, slots=True)
class DeltaSection:
    """One dict of a method's changes, under its heading ("Request", "Removed from the
    response", ...; None where the Changes line says all)."""

    heading: str | None
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MethodChanges:
    """What a caller of one api method sees change, laid out as the reference pages do.

    `where` is what the "Changes (...)" line names: "request", "response", "both" (the two
    sides changed alike, so their dict is shown once) or "request, response"; None where
    nothing changed that a caller sees.
    """

    where: str | None
    sections: tuple[DeltaSection, ...]
    marks: tuple[str, ...]


def method_changes(request: DeltaTree, response: DeltaTree) -> MethodChanges:
    sides = {
        "request": (added_view(request), removed_view(request), [*marked_lines(request, "")]),
        "response": (added_view(response), removed_view(response), [*marked_lines(response, "")]),
    }
    changed = [side for side, (added, removed, marks) in sides.items() if added or removed or marks]
    marks = tuple(
        line
        for side in ("request", "response")
        for line in marked_lines(request if side == "request" else response, side)
    )
    if len(changed) == 2 and sides["request"] == sides["response"]:
        added, removed, _marks = sides["request"]
        return MethodChanges(
            "both", tuple(_sections(added, removed, "both", labelled=False)), marks
        )
    sections: list[DeltaSection] = []
    for side in changed:
        added, removed, _marks = sides[side]
        sections += _sections(added, removed, side, labelled=len(changed) == 2)
    return MethodChanges(", ".join(changed) or None, tuple(sections), marks)


def _sections(
    added: View | None, removed: View | None, side: str, *, labelled: bool
) -> list[DeltaSection]:
    """A side's added dict (under its name where both sides are shown), then its removals."""
    found = []
    if added is not None:
        found.append(DeltaSection(side.title() if labelled else None, tuple(pretty(added))))
    if removed is not None:
        where = "both sides" if side == "both" else f"the {side}"
        found.append(DeltaSection(f"Removed from {where}", tuple(pretty(removed))))
    return found
