"""Service-level detectors: metadata (protocol, apiVersion, signingName, ...) and documentation."""

from __future__ import annotations

from collections.abc import Iterator

from apidiff.diff.change import Change, changed_values
from apidiff.diff.kinds import ChangeKind
from apidiff.model import ServiceModel


def diff_service(old: ServiceModel, new: ServiceModel) -> Iterator[Change]:
    for key, before, after in changed_values(old.metadata, new.metadata):
        yield Change(ChangeKind.METADATA_CHANGED, aspect=key, old=before, new=after)
    old_docs, new_docs = old.document.get("documentation"), new.document.get("documentation")
    if old_docs != new_docs:
        yield Change(ChangeKind.SERVICE_DOCS_CHANGED, old=old_docs, new=new_docs)
