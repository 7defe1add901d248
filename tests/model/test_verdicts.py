"""A model found valid once is not checked again; a bad one always is, and always fails."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from apidiff.errors import ModelLoadError
from apidiff.model import document
from apidiff.model.document import parse_model_document
from apidiff.model.verdicts import FOLDER, ModelVerdicts
from tests.conftest import MODELS

ROUTE53 = MODELS / "botocore-1.44.8" / "route53" / "2013-04-01" / "service-2.json.gz"


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the models whose references were checked, in order."""
    checked: list[str] = []
    real = document._check_references

    def counting(doc: dict[str, object], path: Path) -> None:
        checked.append(path.name)
        real(doc, path)  # type: ignore[arg-type]

    monkeypatch.setattr(document, "_check_references", counting)
    return checked


def test_a_valid_model_is_checked_once_then_known(tmp_path: Path, checks: list[str]) -> None:
    data = ROUTE53.read_bytes()
    first = parse_model_document(data, ROUTE53, ModelVerdicts(tmp_path))
    # A new ModelVerdicts over the same folder stands for the next process on this machine.
    second = parse_model_document(data, ROUTE53, ModelVerdicts(tmp_path))
    assert first == second
    assert checks == [ROUTE53.name]
    assert len(list((tmp_path / FOLDER).rglob("*"))) == 2  # the checker's folder, one verdict


def test_a_bad_model_is_never_remembered(tmp_path: Path, checks: list[str]) -> None:
    model = json.loads(_plain(ROUTE53))
    model["shapes"]["AliasTarget"]["members"]["DNSName"]["shape"] = "Missing"
    data = json.dumps(model).encode()
    for _ in range(2):
        with pytest.raises(ModelLoadError, match="refers to missing shape 'Missing'"):
            parse_model_document(data, Path("bad.json"), ModelVerdicts(tmp_path))
    assert checks == ["bad.json", "bad.json"]
    assert not [path for path in (tmp_path / FOLDER).rglob("*") if path.is_file()]


def test_other_bytes_are_checked_even_with_the_same_meaning(
    tmp_path: Path, checks: list[str]
) -> None:
    verdicts = ModelVerdicts(tmp_path)
    text = json.dumps(json.loads(_plain(ROUTE53)))
    parse_model_document(text.encode(), Path("a.json"), verdicts)
    parse_model_document((text + "\n").encode(), Path("b.json"), verdicts)
    assert checks == ["a.json", "b.json"]


def test_an_unwritable_cache_only_costs_the_check(tmp_path: Path, checks: list[str]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    verdicts = ModelVerdicts(blocker)  # valid-models/ cannot be made under a file
    data = ROUTE53.read_bytes()
    parse_model_document(data, ROUTE53, verdicts)
    parse_model_document(data, ROUTE53, verdicts)
    assert checks == [ROUTE53.name, ROUTE53.name]


def test_a_verdict_from_another_checker_is_not_trusted(
    tmp_path: Path, checks: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = ROUTE53.read_bytes()
    parse_model_document(data, ROUTE53, ModelVerdicts(tmp_path))
    monkeypatch.setattr("apidiff.model.verdicts._checker_fingerprint", lambda: "another")
    parse_model_document(data, ROUTE53, ModelVerdicts(tmp_path))
    assert checks == [ROUTE53.name, ROUTE53.name]


def _plain(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode()
