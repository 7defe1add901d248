"""Every source yields the model botocore loads: a file merged with the `.sdk-extras.json`
beside it. botocore's own loader is the oracle, on every service of a real release."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import gzip
import json
import zipfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from botocore.exceptions import DataNotFoundError, UnknownServiceError
from botocore.loaders import Loader
from botocore.utils import deep_merge

from apidiff.errors import ModelLoadError
from apidiff.model.load import load_service_model, merge_extras
from apidiff.sources import ModelSource, PackageIndex, open_source, same_content
from apidiff.sources.cache import WheelCache
from apidiff.sources.local import DirectorySource
from apidiff.sources.wheel import DATA_PREFIX
from tests.conftest import MODELS
from tests.sources.local_index import build_wheel

PROOF_RELEASE = "1.44.8"
BUNDLED = sorted(path.name for path in MODELS.glob("botocore-*"))


def _loaded_as_botocore_loads(source: ModelSource, loader: Loader) -> int:
    """Assert that each service's model, paginators and waiters are what `loader` loads;
    return how many of the files had extras merged into them."""
    merged = 0
    for service in source.services():
        files = source.service_files(service)
        ours = load_service_model(files, source.provenance)
        for kind, document, file in (
            ("service-2", ours.document, files.model),
            ("paginators-1", ours.paginators, files.paginators),
            ("waiters-2", ours.waiters, files.waiters),
        ):
            theirs = _botocore_loads(loader, service, kind, files.api_version)
            # Compared as JSON text: the same keys, values and order of keys.
            assert (None if document is None else orjson.dumps(document)) == (
                None if theirs is None else orjson.dumps(theirs)
            ), f"{service} {kind}"
            merged += file is not None and file.extras is not None
    return merged


def _data_loader(data: Path) -> Loader:
    """botocore's loader reading only `data` (not ~/.aws/models, not its own models)."""
    return Loader(extra_search_paths=[str(data)], include_default_search_paths=False)


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_service_loads_as_botocore_loads_it(name: str) -> None:
    source = open_source(f"bundled:{name}")
    merged = _loaded_as_botocore_loads(source, _data_loader(MODELS / name))
    # The releases whose bundled services carry extras: redshift-data's and qbusiness's
    # paginators.
    assert merged == (1 if name in EXTRAS_BUNDLED else 0)


EXTRAS_BUNDLED = ("botocore-1.20.94", "botocore-1.20.95", "botocore-1.35.71", "botocore-1.35.72")


@functools.cache
def _release(version: str) -> ModelSource:
    # The environment's index and cache: the wheel is downloaded once, then read from the cache.
    return open_source(f"botocore=={version}", PackageIndex.from_environment())


def _extract_data(version: str, target: Path) -> Path:
    """The release's botocore/data/ unpacked under `target`, as an installed botocore has it."""
    settings = PackageIndex.from_environment().settings
    cache = WheelCache(settings.cache_dir)
    record = cache.read_release("botocore", version)
    assert record is not None, f"botocore {version} is not in the cache"
    with zipfile.ZipFile(cache.wheel_path(record.sha256)) as archive:
        members = [name for name in archive.namelist() if name.startswith(DATA_PREFIX)]
        archive.extractall(target, members)
    return target / DATA_PREFIX


def _botocore_loads(loader: Loader, service: str, kind: str, api_version: str) -> Any:
    try:
        return loader.load_service_model(service, kind, api_version)
    except (DataNotFoundError, UnknownServiceError):
        return None


@pytest.mark.network
def test_every_service_of_a_release_loads_as_botocore_loads_it(tmp_path: Path) -> None:
    source = _release(PROOF_RELEASE)
    merged = _loaded_as_botocore_loads(source, _data_loader(_extract_data(PROOF_RELEASE, tmp_path)))
    # 6 service models and 53 paginators of this release carry extras.
    assert merged == 59


# --- the merge, against botocore's own


@pytest.mark.parametrize(
    ("base", "extras"),
    [
        # S3 1.43.90: the extras keep a shape a timestamp that the model made a string.
        (
            {"shapes": {"Expires": {"type": "string"}, "Key": {"type": "string"}}},
            {"shapes": {"Expires": {"type": "timestamp"}}},
        ),
        # A new key comes last; a list is replaced, not extended.
        ({"a": {"x": 1, "y": [1, 2]}, "b": 2}, {"a": {"y": [3], "z": {"k": "v"}}, "c": 3}),
        # An object over a scalar, and a scalar over an object, replace it.
        ({"a": "text", "b": {"c": 1}}, {"a": {"now": "object"}, "b": 5}),
        ({"a": {"b": 1}}, {}),
    ],
)
def test_extras_merge_as_botocores_loader_merges_them(
    base: dict[str, Any], extras: dict[str, Any]
) -> None:
    expected = copy.deepcopy(base)
    deep_merge(expected, copy.deepcopy(extras))
    untouched = copy.deepcopy(base)

    merged = merge_extras(base, extras)

    assert json.dumps(merged) == json.dumps(expected)
    assert base == untouched


# --- every kind of source finds the extras


def _s3_like_folder(root: Path, *, extras: bytes | None) -> Path:
    """A service folder whose model makes `Expires` a string and whose extras (S3's own, as
    1.43.90 ships them) keep it a timestamp."""
    folder = root / "s3" / "2006-03-01"
    folder.mkdir(parents=True)
    model = json.loads(gzip.decompress(ROUTE53.read_bytes()))
    model["shapes"]["Expires"] = {"type": "string"}
    (folder / "service-2.json").write_text(json.dumps(model))
    if extras is not None:
        (folder / "service-2.sdk-extras.json").write_bytes(extras)
    return folder / "service-2.json"


ROUTE53 = MODELS / "botocore-1.44.8" / "route53" / "2013-04-01" / "service-2.json.gz"
S3_EXTRAS = b'{"version": 1.0, "merge": {"shapes": {"Expires": {"type": "timestamp"}}}}'


@pytest.mark.parametrize("kind", ["folder", "file", "wheel"])
def test_each_source_merges_the_extras_beside_the_model(tmp_path: Path, kind: str) -> None:
    model_path = _s3_like_folder(tmp_path / "data", extras=S3_EXTRAS)
    if kind == "folder":
        source: ModelSource = open_source(str(tmp_path / "data"))
    elif kind == "file":
        source = open_source(str(model_path))
    else:
        members = {
            f"botocore/data/{path.relative_to(tmp_path / 'data').as_posix()}": path.read_bytes()
            for path in (tmp_path / "data").rglob("*.json")
        }
        wheel = tmp_path / "botocore-1.0-py3-none-any.whl"
        wheel.write_bytes(build_wheel(members, dt.datetime(2026, 1, 1)))
        source = open_source(str(wheel))

    files = source.service_files("s3")
    model = load_service_model(files, source.provenance)

    assert files.model.extras is not None
    assert files.model.extras.path.endswith("s3/2006-03-01/service-2.sdk-extras.json")
    assert model.shapes["Expires"] == {"type": "timestamp"}


def test_a_service_whose_extras_alone_changed_is_not_the_same(tmp_path: Path) -> None:
    old = DirectorySource(_s3_like_folder(tmp_path / "old", extras=None).parents[2], "old")
    new = DirectorySource(_s3_like_folder(tmp_path / "new", extras=S3_EXTRAS).parents[2], "new")
    same = DirectorySource(_s3_like_folder(tmp_path / "same", extras=None).parents[2], "same")

    assert not same_content(old.service_files("s3"), new.service_files("s3"))
    assert same_content(old.service_files("s3"), same.service_files("s3"))


@pytest.mark.parametrize(
    ("extras", "reason"),
    [
        (b"{not json", "not a botocore sdk-extras file: "),
        (b"[1]", "not a botocore sdk-extras file (not a JSON object)"),
        (b'{"merge": []}', 'not a botocore sdk-extras file ("merge" is no object)'),
    ],
)
def test_unreadable_extras_are_an_error_naming_them(
    tmp_path: Path, extras: bytes, reason: str
) -> None:
    source = DirectorySource(_s3_like_folder(tmp_path, extras=extras).parents[2], "data")

    with pytest.raises(ModelLoadError) as error:
        load_service_model(source.service_files("s3"), source.provenance)

    assert error.value.where.endswith("s3/2006-03-01/service-2.sdk-extras.json")
    assert error.value.reason.startswith(reason)


def test_extras_that_break_the_model_are_an_error_naming_them(tmp_path: Path) -> None:
    broken = b'{"merge": {"shapes": {"Expires": {"type": "list", "member": {"shape": "Nope"}}}}}'
    source = DirectorySource(_s3_like_folder(tmp_path, extras=broken).parents[2], "data")

    with pytest.raises(ModelLoadError, match="refers to missing shape 'Nope'") as error:
        load_service_model(source.service_files("s3"), source.provenance)

    assert "service-2.sdk-extras.json (merged into" in error.value.where
