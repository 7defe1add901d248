"""Service-level detectors: metadata (protocol, apiVersion, signingName, ...) and documentation."""

from __future__ import annotations

from collections.abc import Iterator

from apidiff.diff.change import Change
from apidiff.diff.kinds import ChangeKind
from apidiff.model import ServiceModel


def diff_service(old: ServiceModel, new: ServiceModel) -> Iterator[Change]:
    before, after = old.metadata, new.metadata
    for key in sorted(before.keys() | after.keys()):
        if before.get(key) != after.get(key):
            yield Change(
                ChangeKind.METADATA_CHANGED, aspect=key, old=before.get(key), new=after.get(key)
            )
    old_docs, new_docs = old.document.get("documentation"), new.document.get("documentation")
    if old_docs != new_docs:
        yield Change(ChangeKind.SERVICE_DOCS_CHANGED, old=old_docs, new=new_docs)
