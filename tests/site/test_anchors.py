"""Api methods whose names differ only in case (GetApiKey, GetAPIKey) share a slug: each still
gets its own anchor and history page, and the shared slug leads to both."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from apidiff.compare import compare_sources
from apidiff.report.serialize import report_to_json_text
from apidiff.site import urls
from apidiff.site.build import build_site
from apidiff.sources import PackageIndex, open_source

LOWER, UPPER = "GetApiKey", "GetAPIKey"


def model(folder: Path, operations: list[str]) -> Path:
    document: dict[str, Any] = {
        "version": "2.0",
        "metadata": {
            "apiVersion": "2020-01-01",
            "endpointPrefix": "keys",
            "protocol": "json",
            "serviceFullName": "Key Service",
            "serviceId": "Keys",
            "uid": "keys-2020-01-01",
        },
        "operations": {
            name: {
                "name": name,
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "Request"},
                "documentation": f"<p>{name} does its thing.</p>",
            }
            for name in operations
        },
        "shapes": {
            "Request": {"type": "structure", "members": {"Id": {"shape": "Text"}}},
            "Text": {"type": "string"},
        },
    }
    path = folder / "keys" / "service-2.json"  # a single model's service is its folder's name
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(document))
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("anchors")
    report = compare_sources(
        open_source(str(model(tmp / "old", ["Other"]))),
        open_source(str(model(tmp / "new", ["Other", LOWER, UPPER]))),
    )
    report = dataclasses.replace(
        report,
        old=dataclasses.replace(report.old, version="0.0.1"),
        new=dataclasses.replace(report.new, version="0.0.2", released=dt.date(2020, 1, 2)),
    )
    (tmp / "reports").mkdir()
    (tmp / "reports" / "0.0.2.json").write_text(report_to_json_text(report))
    out = tmp / "site"
    build_site(out, (), PackageIndex.from_environment(offline=True), from_reports=tmp / "reports")
    return out


def read(site: Path, url: str) -> str:
    return (site / urls.file_of(url)).read_text("utf-8")


def test_names_differing_only_in_case_get_their_own_stable_anchors() -> None:
    slugs = urls.method_slugs([LOWER, UPPER, "Other"])
    assert slugs["Other"] == "other"
    assert slugs[LOWER] != slugs[UPPER]
    assert {slugs[LOWER], slugs[UPPER]} == {urls.clashing_slug(LOWER), urls.clashing_slug(UPPER)}
    assert slugs[LOWER].startswith("get-api-key-")
    # A name's anchor does not depend on which other names clash with it.
    assert urls.method_slugs([LOWER, UPPER, "GetApikey"])[LOWER] == slugs[LOWER]


def test_the_service_page_gives_each_method_its_own_anchor(site: Path) -> None:
    html = read(site, urls.service_release_url("0.0.2", "keys"))
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    for name in (LOWER, UPPER):
        anchor = urls.clashing_slug(name)
        heading = html.split(f'<h2 id="{anchor}">', 1)[1].split("</h2>", 1)[0]
        assert heading.startswith(f"{name} ")
        assert f'href="#{anchor}"' in heading


def test_each_method_has_its_own_history_and_the_shared_slug_leads_to_both(site: Path) -> None:
    for name in (LOWER, UPPER):
        history = read(site, urls.method_history_url("keys", name, urls.clashing_slug(name)))
        assert f"<h1>What happened to {name} over time</h1>" in history
        anchor = urls.clashing_slug(name)
        assert urls.method_release_url("0.0.2", "keys", name, anchor) in history
    shared = read(site, urls.method_history_url("keys", LOWER))
    for name in (LOWER, UPPER):
        assert f'href="{urls.method_history_url("keys", name, urls.clashing_slug(name))}"' in shared
    service = read(site, urls.service_history_url("keys"))
    assert urls.method_history_url("keys", UPPER, urls.clashing_slug(UPPER)) in service
