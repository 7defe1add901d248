"""Detectors for the files botocore keeps beside a model: paginators-1.json and waiters-2.json.

A paginator is keyed by its operation name, a waiter by its own name; each of their keys
(input_token, result_key, acceptors, ...) is compared as a whole. Acceptors are one value:
compared item by item, one inserted acceptor would shift and "change" every later one.
"""

from __future__ import annotations

from collections.abc import Iterator

from apidiff.diff.change import Change, changed_values
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
        for key, old_value, new_value in changed_values(before[operation], after[operation]):
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
        for key, old_value, new_value in changed_values(before[waiter], after[waiter]):
            yield Change(
                ChangeKind.WAITER_CHANGED,
                operation=after[waiter].get("operation"),
                aspect=f"{waiter}.{key}",
                old=old_value,
                new=new_value,
            )
