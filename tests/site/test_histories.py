"""An added release rewrites the history pages of the api methods it changed, and carries
the other methods' pages over: the site is still the one a build from scratch gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from apidiff.compare import CompareOptions, compare_sources
from apidiff.report import Report
from apidiff.site import build, pages, urls
from apidiff.site.build import build_site
from apidiff.site.pairs import ReleasePair
from apidiff.sources import PackageIndex, open_source

# The api methods of each release of a small service, with their request members.
RELEASES: dict[str, dict[str, list[str]]] = {
    "0.0.1": {"Other": ["Id"]},
    "0.0.2": {"Other": ["Id"], "GetThing": ["Id"]},
    "0.0.3": {"Other": ["Id", "Extra"], "GetThing": ["Id"], "PutThing": ["Id"]},
    # GetTHING's slug is GetThing's: from now on both pages have a digest in their paths.
    "0.0.4": {"Other": ["Id", "Extra"], "GetThing": ["Id"], "PutThing": ["Id"], "GetTHING": []},
}


def model(folder: Path, operations: dict[str, list[str]]) -> Path:
    shapes: dict[str, Any] = {"Text": {"type": "string"}}
    for name, members in operations.items():
        shapes[f"{name}Request"] = {
            "type": "structure",
            "members": {member: {"shape": "Text"} for member in members},
        }
    document = {
        "version": "2.0",
        "metadata": {
            "apiVersion": "2020-01-01",
            "endpointPrefix": "things",
            "protocol": "json",
            "serviceFullName": "Thing Service",
            "serviceId": "Things",
            "uid": "things-2020-01-01",
        },
        "operations": {
            name: {
                "name": name,
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": f"{name}Request"},
                "documentation": f"<p>{name} does its thing.</p>",
            }
            for name in operations
        },
        "shapes": shapes,
    }
    path = folder / "things" / "service-2.json"  # a single model's service is its folder's name
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(document))
    return path


def spec(version: str) -> str:
    return f"things=={version}"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    """Each release's Report against the one before it, by the new release's spec."""
    tmp = tmp_path_factory.mktemp("histories")
    models = {version: model(tmp / version, methods) for version, methods in RELEASES.items()}
    found = {}
    for number, (old, new) in enumerate(itertools.pairwise(RELEASES), start=2):
        report = compare_sources(
            open_source(str(models[old])),
            open_source(str(models[new])),
            CompareOptions(with_docs=True),
        )
        found[spec(new)] = dataclasses.replace(
            report,
            old=dataclasses.replace(report.old, spec=spec(old), version=old),
            new=dataclasses.replace(
                report.new, spec=spec(new), version=new, released=dt.date(2020, 1, number)
            ),
        )
    return found


@pytest.fixture
def site_of(reports: dict[str, Report], monkeypatch: pytest.MonkeyPatch) -> Any:
    """A build of the site in a folder from the releases named, their Reports made above."""
    monkeypatch.setattr(build, "open_source", lambda source, _index: source)
    monkeypatch.setattr(
        build, "compare_sources", lambda _old, new, _options, progress: reports[new]
    )
    index = PackageIndex.from_environment(offline=True)
    versions = list(RELEASES)

    def site_of(out: Path, *releases: str) -> None:
        pairs = tuple(
            ReleasePair(spec(versions[versions.index(new) - 1]), spec(new)) for new in releases
        )
        build_site(out, pairs, index, search=False)

    return site_of


def every_file(site: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(site)): path.read_bytes() for path in site.rglob("*") if path.is_file()
    }


def history_page(site: Path, method: str, slug: str | None = None) -> Path:
    return site / urls.file_of(urls.method_history_url("things", method, slug))


def test_an_added_release_rewrites_the_pages_of_the_methods_it_changed_alone(
    site_of: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    site_of(out, "0.0.2")
    untouched = history_page(out, "GetThing").stat().st_ino
    rendered: list[str] = []
    render = pages._render

    def spied(template: str, **context: Any) -> bytes:
        if template == "method_history.html.j2":
            rendered.append(context["method"])
        return render(template, **context)

    monkeypatch.setattr(pages, "_render", spied)
    site_of(out, "0.0.2", "0.0.3")
    assert sorted(rendered) == ["Other", "PutThing"]
    assert history_page(out, "GetThing").stat().st_ino == untouched  # carried over
    assert "botocore 0.0.3" in history_page(out, "Other").read_text()
    assert "botocore 0.0.3" in history_page(out, "PutThing").read_text()
    scratch = tmp_path / "scratch"
    site_of(scratch, "0.0.2", "0.0.3")
    assert every_file(out) == every_file(scratch)


def test_a_method_whose_slug_an_added_release_shares_has_its_page_moved(
    site_of: Any, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    site_of(out, "0.0.2", "0.0.3")
    site_of(out, "0.0.2", "0.0.3", "0.0.4")
    moved = history_page(out, "GetThing", urls.clashing_slug("GetThing"))
    assert "botocore 0.0.2" in moved.read_text()
    assert "GetTHING" in history_page(out, "GetThing").read_text()  # the shared slug: both
    scratch = tmp_path / "scratch"
    site_of(scratch, "0.0.2", "0.0.3", "0.0.4")
    assert every_file(out) == every_file(scratch)
