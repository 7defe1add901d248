"""The bundled real models as tests walk them: every model, and every pair of consecutive
bundled releases that both hold a service."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from itertools import pairwise

from apidiff.model import ServiceModel
from apidiff.model.load import load_service_model
from apidiff.sources import open_source
from tests.conftest import MODELS


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


RELEASES = sorted(
    (path.name.removeprefix("botocore-") for path in MODELS.glob("botocore-*")), key=_release
)


@cache
def services_of(version: str) -> tuple[str, ...]:
    return tuple(open_source(f"bundled:botocore-{version}").services())


def load_bundled(version: str, service: str) -> ServiceModel:
    """A fresh model (no index computed yet) of one bundled service."""
    source = open_source(f"bundled:botocore-{version}")
    return load_service_model(source.service_files(service), source.provenance)


BUNDLED_MODELS = [(version, service) for version in RELEASES for service in services_of(version)]
BUNDLED_PAIRS = [
    (old, new, service)
    for old, new in pairwise(RELEASES)
    for service in services_of(old)
    if service in services_of(new)
]


def as_multisets(referrers: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """A referrers index in a form that compares equal whatever the order of its lists."""
    return {target: sorted(names) for target, names in referrers.items()}
