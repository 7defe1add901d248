"""Service-level detectors: the service added or removed, metadata (protocol, apiVersion,
signingName, ...) and documentation."""

from __future__ import annotations

from collections.abc import Iterator

from apidiff.diff.change import Change, changed_values
from apidiff.diff.kinds import ChangeKind
from apidiff.model import ServiceModel


def diff_service(old: ServiceModel, new: ServiceModel) -> Iterator[Change]:
    presence = service_presence(old, new)
    if presence is not None:
        # The far side is a stand-in with no definitions: its metadata and documentation
        # are not a change.
        yield presence
        return
    for key, before, after in changed_values(old.metadata, new.metadata):
        yield Change(ChangeKind.METADATA_CHANGED, aspect=key, old=before, new=after)
    old_docs, new_docs = old.document.get("documentation"), new.document.get("documentation")
    if old_docs != new_docs:
        yield Change(ChangeKind.SERVICE_DOCS_CHANGED, old=old_docs, new=new_docs)


def service_presence(old: ServiceModel, new: ServiceModel) -> Change | None:
    """SERVICE_ADDED or SERVICE_REMOVED where one side has no operations and no shapes: the
    stand-in for a service that release does not have (botocore ships no empty model)."""
    if _is_absent(new) and not _is_absent(old):
        return Change(ChangeKind.SERVICE_REMOVED, aspect=old.name, old=old.api_version)
    if _is_absent(old) and not _is_absent(new):
        return Change(ChangeKind.SERVICE_ADDED, aspect=new.name, new=new.api_version)
    return None


def _is_absent(model: ServiceModel) -> bool:
    return not model.operations and not model.shapes
