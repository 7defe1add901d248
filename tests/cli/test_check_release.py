"""The check's CI outputs on a whole real release: botocore 1.44.7 -> 1.44.8, where Glue loses
PutAssetType and DeleteAssetType among 29 breaking findings, next to 12 risky and about 1,800
safe and info ones in other services. Before, the GitHub annotations stopped at ten sorted by
name (PutAssetType was not annotated) and the step summary was cut before any breaking finding.

The wheels are fetched from PyPI into apidiff's cache once (APIDIFF_CACHE_DIR), then read from it.
"""

from __future__ import annotations

import functools
import gzip
import json
import xml.etree.ElementTree as ElementTree

import jsonschema
import pytest

from apidiff.classify import Severity
from apidiff.compare import CompareOptions, compare_sources
from apidiff.render.check import (
    CHECK_RENDERERS,
    MARKDOWN_LIMIT,
    render_check_github,
    render_check_junit,
    render_check_markdown,
    render_check_sarif,
)
from apidiff.report.check import CheckResult, evaluate_check
from apidiff.report.regions import ModelFileKind, Side, find_regions, model_place, source_reader
from apidiff.report.serialize import check_from_json, check_to_json
from apidiff.sources import ModelSource, PackageIndex, open_source
from tests.cli.test_check import SARIF_SCHEMA
from tests.cli.test_check_render import without_regions

pytestmark = pytest.mark.network

OLD, NEW = "botocore==1.44.7", "botocore==1.44.8"


@functools.cache
def sources() -> tuple[ModelSource, ModelSource]:
    index = PackageIndex.from_environment()
    return open_source(OLD, index), open_source(NEW, index)


@functools.cache
def checked(min_severity: Severity) -> CheckResult:
    old, new = sources()
    report = compare_sources(old, new, CompareOptions(with_docs=False))
    return evaluate_check(report, min_severity=min_severity)


def test_the_release_is_big_enough_to_cap() -> None:
    result = checked(Severity.RISKY)
    # Breaking: 23 member.removed, 4 constraint.min.raised, 2 operation.removed. Risky, all in
    # requests but the waiter: 9 constraint.max.lowered, 2 constraint.pattern.tightened,
    # 1 waiter.changed. More than GitHub annotates at each level.
    assert (result.count(Severity.BREAKING), result.count(Severity.RISKY)) == (29, 12)
    assert len(checked(Severity.INFO).findings) > 1_500


def test_github_annotates_the_removed_methods_first_and_counts_the_rest() -> None:
    result = checked(Severity.RISKY)
    lines = render_check_github(result).splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 10
    assert errors[0].startswith("::error title=operation.removed (glue%3A DeleteAssetType)::")
    assert errors[1].startswith("::error title=operation.removed (glue%3A PutAssetType)::")
    assert sum(line.startswith("::warning ") for line in lines) == 10
    # 29 breaking and 12 risky shown, 10 of each annotated.
    notice = f"::notice title=apidiff::and {41 - 20} more (see the full report: "
    assert [line for line in lines if line.startswith(notice)] == [lines[21]]
    start = lines.index("::group::apidiff check: every finding, most severe first")
    listed = lines[start + 1 : lines.index("::endgroup::")]
    assert len(listed) == 41
    assert [line.split(" ", 1)[0] for line in listed] == ["breaking"] * 29 + ["risky"] * 12


@pytest.mark.parametrize("min_severity", [Severity.RISKY, Severity.INFO], ids=str)
def test_the_summary_fits_and_lists_every_breaking_finding_first(min_severity: Severity) -> None:
    result = checked(min_severity)
    markdown = render_check_markdown(result)
    assert len(markdown) <= MARKDOWN_LIMIT
    assert len(markdown.encode("utf-8")) < 1 << 20
    headings = [line for line in markdown.splitlines() if line.startswith("### ")]
    assert headings[:2] == ["### Breaking (29)", "### Risky (12)"]
    rows = [line for line in markdown.splitlines() if line.startswith("| glue |")]
    assert sum("`operation.removed`" in row for row in rows) == 2
    if min_severity is Severity.INFO:
        listed = sum(1 for line in markdown.splitlines() if line.startswith("| ") and "`" in line)
        assert markdown.endswith(
            f"_and {len(result.findings) - listed} more (see the full report: the text or JSON "
            "output of `apidiff check` (`--format text`, `--format json`))._\n"
        )
    else:
        assert "more (see the full report" not in markdown


def test_sarif_points_each_finding_at_its_line_of_the_model_file() -> None:
    result = checked(Severity.SAFE)
    old, new = sources()
    regions = find_regions(result.findings, source_reader(old, new))
    document = json.loads(render_check_sarif(result, regions))
    validator = jsonschema.Draft7Validator(
        SARIF_SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    assert [error.message for error in validator.iter_errors(document)] == []
    results = document["runs"][0]["results"]
    assert {result["level"] for result in results} == {"error", "warning", "note"}
    texts: dict[tuple[Side, str, ModelFileKind], list[str]] = {}
    located = 0
    for finding, sarif in zip(result.findings, results, strict=True):
        location = sarif["locations"][0]
        region = location["physicalLocation"].get("region")
        change = finding.record.change
        if region is None:
            continue
        place = model_place(change)
        assert location["physicalLocation"]["artifactLocation"]["uri"].endswith(place.file)
        key = (place.side, finding.service, place.file)
        if key not in texts:
            files = (old if place.side is Side.OLD else new).service_files(finding.service)
            chosen = {
                ModelFileKind.SERVICE: files.model,
                ModelFileKind.PAGINATORS: files.paginators,
                ModelFileKind.WAITERS: files.waiters,
            }[place.file]
            assert chosen is not None
            # Lines as editors and GitHub count them: U+2028 in a string is no break.
            data = gzip.decompress(chosen.data) if chosen.gzipped else chosen.data
            texts[key] = data.decode().split("\n")
        line = texts[key][region["startLine"] - 1]
        name = change.member or change.shape or change.operation or change.aspect
        assert line[region["startColumn"] - 1 :].startswith(f'"{name}":'), finding.location
        located += 1
    assert located > 0.9 * len(results)
    removal = next(
        sarif
        for sarif in results
        if sarif["message"]["text"].startswith("client.put_asset_type(...) removed")
    )
    location = removal["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == (
        "botocore/data/glue/2017-03-31/service-2.json"
    )
    assert {
        "name": "PutAssetType",
        "fullyQualifiedName": "glue.PutAssetType",
        "kind": "function",
    } in (location["logicalLocations"])


def test_junit_failures_name_the_method_and_the_member_path() -> None:
    result = checked(Severity.RISKY)
    root = ElementTree.fromstring(render_check_junit(result).encode("utf-8"))
    failures = {
        case.get("name"): case.find("failure")
        for case in root.iter("testcase")
        if case.find("failure") is not None
    }
    assert len(failures) == 29
    failure = failures["glue: PutAssetRequest.AssetTypeId"]
    assert failure is not None
    # The call a caller writes, and the member that likely replaces the one removed.
    assert failure.get("message") == (
        "AssetTypeId removed from client.put_asset(AssetTypeId=...) (possibly renamed to "
        "AssetTypeIdentifier) (in PutAsset request AssetTypeId)"
    )
    assert "operations: PutAsset" in (failure.text or "")


@pytest.mark.parametrize("min_severity", [Severity.RISKY, Severity.INFO], ids=str)
def test_the_saved_check_renders_as_the_check(min_severity: Severity) -> None:
    result = checked(min_severity)
    saved = json.loads(CHECK_RENDERERS["json"](result))
    again = check_from_json(saved, "check.json")
    for name, renderer in CHECK_RENDERERS.items():
        if name == "sarif":
            old, new = sources()
            regions = find_regions(result.findings, source_reader(old, new))
            direct = without_regions(json.loads(render_check_sarif(result, regions)))
            assert json.loads(renderer(again)) == direct
        else:
            assert renderer(again) == renderer(result), name
    assert check_to_json(again) == saved
