"""Detectors for the files botocore keeps beside a model: paginators-1.json and waiters-2.json.

A paginator is keyed by its operation name, a waiter by its own name. Within one known to
differ, DeepDiff finds each changed value down to its path (`acceptors[1].expected`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from apidiff.diff.change import Change
from apidiff.diff.kinds import ChangeKind
from apidiff.model import ServiceModel


def diff_paginators(old: ServiceModel, new: ServiceModel) -> Iterator[Change]:
    before = (old.paginators or {}).get("pagination", {})
    after = (new.paginators or {}).get("pagination", {})
    for operation in before.keys() - after.keys():
        yield Change(ChangeKind.PAGINATOR_REMOVED, operation=operation, old=before[operation])
    for operation in after.keys() - before.keys():
        yield Change(ChangeKind.PAGINATOR_ADDED, operation=operation, new=after[operation])
    for operation in before.keys() & after.keys():
        for key, old_value, new_value in _changed_keys(before[operation], after[operation]):
            yield Change(
                ChangeKind.PAGINATOR_CHANGED,
                operation=operation,
                aspect=key,
                old=old_value,
                new=new_value,
            )


def diff_waiters(old: ServiceModel, new: ServiceModel) -> Iterator[Change]:
    before = (old.waiters or {}).get("waiters", {})
    after = (new.waiters or {}).get("waiters", {})
    for waiter in before.keys() - after.keys():
        yield Change(
            ChangeKind.WAITER_REMOVED,
            operation=before[waiter].get("operation"),
            aspect=waiter,
            old=before[waiter],
        )
    for waiter in after.keys() - before.keys():
        yield Change(
            ChangeKind.WAITER_ADDED,
            operation=after[waiter].get("operation"),
            aspect=waiter,
            new=after[waiter],
        )
    for waiter in before.keys() & after.keys():
        for key, old_value, new_value in _changed_keys(before[waiter], after[waiter]):
            yield Change(
                ChangeKind.WAITER_CHANGED,
                operation=after[waiter].get("operation"),
                aspect=f"{waiter}.{key}",
                old=old_value,
                new=new_value,
            )


def _changed_keys(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> Iterator[tuple[str, Any, Any]]:
    """(path, old value, new value) for every difference, None where a side has nothing."""
    if before == after:
        return
    # Imported here: deepdiff costs a tenth of a second to import, and most diffs never get here.
    from deepdiff import DeepDiff

    tree = DeepDiff(before, after, view="tree")
    levels = [level for report in tree.values() for level in report]
    for path, old_value, new_value in sorted(
        ((_dotted(level.path(output_format="list")), level.t1, level.t2) for level in levels),
        key=lambda found: found[0],
    ):
        yield path, _present(old_value), _present(new_value)


def _dotted(steps: list[str | int]) -> str:
    path = ""
    for step in steps:
        path += f"[{step}]" if isinstance(step, int) else (f".{step}" if path else str(step))
    return path


def _present(value: Any) -> Any:
    from deepdiff.helper import notpresent

    return None if value is notpresent else value
