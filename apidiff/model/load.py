"""Turn one service's files into a `ServiceModel`: parse, merge, validate, and keep where it
came from.

The model is the one botocore uses, which is not always the file alone: botocore's loader
merges a `<kind>.sdk-extras.json` beside a file into it as it loads it (S3's keeps `Expires`
a timestamp, RDS's adds `SourceRegion` members, many add paginators). Only the extras'
`merge` object is applied, key by key: where both sides hold an object the two are merged,
anything else (a list, a string, an object over a string) replaces what was there.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from apidiff.errors import ModelLoadError
from apidiff.model.document import parse_companion_document, parse_model_document
from apidiff.model.service_model import ServiceModel
from apidiff.model.verdicts import ModelVerdicts
from apidiff.sources.base import ModelFile, Provenance, ServiceFiles


def load_service_model(
    files: ServiceFiles, provenance: Provenance, verdicts: ModelVerdicts | None = None
) -> ServiceModel:
    """The model in `files` as botocore loads it, checked (unless `verdicts` knows it valid)."""
    return ServiceModel(
        name=files.service,
        api_version=files.api_version,
        document=_model_document(files.model, verdicts),
        provenance=provenance,
        paginators=_companion_document(files.paginators),
        waiters=_companion_document(files.waiters),
        endpoint_rules=files.endpoint_rules,
        partitions=files.partitions,
    )


def read_json_object(file: ModelFile, what: str) -> dict[str, Any]:
    """The JSON object in `file` (gzipped or not); ModelLoadError naming it and `what` it
    should be where it holds none."""
    try:
        text = gzip.decompress(file.data) if file.gzipped else file.data
        document = orjson.loads(text)
    except (OSError, EOFError, zlib.error, orjson.JSONDecodeError) as error:
        raise ModelLoadError(file.path, f"not a botocore {what}: {error}") from None
    if not isinstance(document, dict):
        raise ModelLoadError(file.path, f"not a botocore {what} (not a JSON object)")
    return document


def merge_extras(base: Mapping[str, Any], extras: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with `extras` merged into it as botocore merges a `.sdk-extras.json`'s `merge`
    object: a new dict, `base` untouched; a replaced key keeps its place, a new one comes last."""
    merged = dict(base)
    for key, value in extras.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merged[key] = merge_extras(current, value)
        else:
            merged[key] = value
    return merged


def _model_document(file: ModelFile, verdicts: ModelVerdicts | None) -> dict[str, Any]:
    document = parse_model_document(file.data, Path(file.path), verdicts)
    if file.extras is None:
        return document
    merged = merge_extras(document, _extras_merge(file.extras))
    # The extras may add members and shapes: the merged model is checked as the model.
    return parse_model_document(orjson.dumps(merged), _merged_label(file.extras), verdicts)


def _companion_document(file: ModelFile | None) -> dict[str, Any] | None:
    if file is None:
        return None
    document = parse_companion_document(file.data, Path(file.path))
    if file.extras is None:
        return document
    merged = merge_extras(document, _extras_merge(file.extras))
    return parse_companion_document(orjson.dumps(merged), _merged_label(file.extras))


def _merged_label(extras: ModelFile) -> Path:
    # What errors in a merged document name: the extras made it what it is. The label never
    # ends in ".gz", so the merged JSON text is not taken for gzip.
    return Path(f"{extras.path} (merged into the file beside it)")


def _extras_merge(extras: ModelFile) -> Mapping[str, Any]:
    """The `merge` object of an extras file, {} where it has none: botocore applies no other."""
    merge = read_json_object(extras, "sdk-extras file").get("merge", {})
    if not isinstance(merge, dict):
        raise ModelLoadError(extras.path, 'not a botocore sdk-extras file ("merge" is no object)')
    return merge
