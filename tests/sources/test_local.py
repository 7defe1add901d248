"""Sources on the local disk: names from botocore's layout or the model's metadata, standard
input, and locations that do not vary with where the files sit."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import botocore
import pytest

from apidiff.errors import SourceError
from apidiff.sources.base import portable_location
from apidiff.sources.local import DirectorySource, FileSource, botocore_name, open_stdin
from tests.conftest import MODELS

SAGEMAKER = MODELS / "botocore-1.20.41" / "sagemaker" / "2017-07-24" / "service-2.json.gz"
INSTALLED_DATA = Path(botocore.__file__).parent / "data"


def model_text(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def installed_metadata(service: str) -> dict[str, object]:
    (version_dir,) = sorted((INSTALLED_DATA / service).iterdir())[-1:]
    model = version_dir / "service-2.json.gz"
    metadata: dict[str, object] = json.loads(gzip.decompress(model.read_bytes()))["metadata"]
    return metadata


# --- names


def test_a_model_file_outside_botocores_layout_is_named_from_its_metadata(
    tmp_path: Path,
) -> None:
    path = tmp_path / "new" / "new.json"
    path.parent.mkdir()
    path.write_bytes(model_text(SAGEMAKER))

    source = FileSource(path, str(path))

    assert source.services() == ("sagemaker",)
    files = source.service_files("sagemaker")
    assert (files.service, files.api_version) == ("sagemaker", "2017-07-24")


def test_a_model_file_in_botocores_layout_is_named_after_its_folders(tmp_path: Path) -> None:
    # The folders win: botocore itself loads the model by its folder's name.
    path = tmp_path / "my-sagemaker" / "2017-07-24" / "service-2.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(model_text(SAGEMAKER))

    files = FileSource(path, str(path)).service_files("my-sagemaker")

    assert (files.service, files.api_version) == ("my-sagemaker", "2017-07-24")


def test_a_folder_holding_one_model_is_named_from_its_metadata(tmp_path: Path) -> None:
    folder = tmp_path / "candidate"
    folder.mkdir()
    (folder / "service-2.json").write_bytes(model_text(SAGEMAKER))

    source = DirectorySource(folder, "candidate")

    assert source.services() == ("sagemaker",)
    assert source.service_files("sagemaker").api_version == "2017-07-24"


def test_a_file_that_is_not_a_model_keeps_a_name_for_the_model_stage_to_reject(
    tmp_path: Path,
) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")

    assert FileSource(path, str(path)).services() == (tmp_path.name,)


@pytest.mark.parametrize(
    "service",
    # serviceId lower-cased with hyphens, botocore's own exceptions to that, and a service
    # whose endpointPrefix is not its name.
    ["sagemaker", "elbv2", "elb", "stepfunctions", "dynamodbstreams", "s3control", "logs"],
)
def test_botocore_name_gives_the_installed_botocores_folder_name(service: str) -> None:
    assert botocore_name(installed_metadata(service)) == service


def test_a_model_without_service_id_is_named_by_its_endpoint_prefix() -> None:
    assert botocore_name({"endpointPrefix": "example", "signingName": "other"}) == "example"
    assert botocore_name({"signingName": "other"}) == "other"
    assert botocore_name({}) is None


# --- standard input


class Terminal(io.BytesIO):
    def isatty(self) -> bool:
        return True


def test_standard_input_is_read_once_and_named_from_its_metadata() -> None:
    source = open_stdin("-", io.BytesIO(SAGEMAKER.read_bytes()))

    assert source.services() == ("sagemaker",)
    files = source.service_files("sagemaker")
    assert (files.api_version, files.model.path) == ("2017-07-24", "<stdin>")
    assert source.provenance.partial
    assert (source.provenance.spec, source.provenance.location) == ("-", "<stdin>")


def test_empty_standard_input_is_an_error_naming_it() -> None:
    with pytest.raises(SourceError, match=r"^-: standard input is empty"):
        open_stdin("-", io.BytesIO(b""))


def test_a_terminal_on_standard_input_is_an_error_not_a_wait() -> None:
    with pytest.raises(SourceError, match=r"^/dev/stdin: standard input is a terminal"):
        open_stdin("/dev/stdin", Terminal(b"{}"))


# --- partial sources and portable locations


def test_local_sources_say_they_hold_only_some_services(tmp_path: Path) -> None:
    folder = DirectorySource(MODELS / "botocore-1.20.41", "bundled:botocore-1.20.41")
    path = tmp_path / "service-2.json"
    path.write_bytes(model_text(SAGEMAKER))

    assert folder.provenance.partial
    assert FileSource(path, str(path)).provenance.partial


def test_bundled_models_are_located_relative_to_apidiffs_models_folder() -> None:
    assert portable_location(MODELS / "botocore-1.20.41") == "models/botocore-1.20.41"


def test_paths_under_the_current_folder_are_recorded_relative_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert portable_location(tmp_path / "old" / "models") == "old/models"
    assert portable_location(Path("given/as/typed")) == "given/as/typed"
    assert portable_location(tmp_path) == "."


@pytest.mark.parametrize(
    ("manifest", "reason"),
    [
        ({"released": "yesterday"}, "\"released\" is not a YYYY-MM-DD date: 'yesterday'"),
        ({"released": "2021-02-30"}, "\"released\" is not a YYYY-MM-DD date: '2021-02-30'"),
        ({"released": 20210330}, '"released" is not a string'),
        ({"version": ["1.2"]}, '"version" is not a string'),
        ({"changelog": 7}, '"changelog" is not a list of objects'),
        ({"changelog": ["not an entry"]}, '"changelog" is not a list of objects'),
    ],
)
def test_a_provenance_file_that_cannot_be_read_is_named(
    tmp_path: Path, manifest: dict[str, object], reason: str
) -> None:
    models = tmp_path / "models"
    (models / "sagemaker" / "2017-07-24").mkdir(parents=True)
    (models / "sagemaker" / "2017-07-24" / "service-2.json.gz").write_bytes(SAGEMAKER.read_bytes())
    (models / "provenance.json").write_text(json.dumps(manifest), encoding="utf-8")
    source = DirectorySource(models, str(models))
    with pytest.raises(SourceError) as refused:
        (source.provenance, source.changelog())
    assert refused.value.where == str(models / "provenance.json")
    assert refused.value.reason == f"unreadable provenance: {reason}"
