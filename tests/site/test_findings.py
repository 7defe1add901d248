"""A finding on the site says what `apidiff check` says of it: the change where a boto3 caller
meets it, the advice for the sides it meets, where it is in the model's names; and a site
whose catalog is of an older format is made again from the Reports it stores.

1.20.73 -> 1.20.74 removes iotdeviceadvisor's SuiteRunConfiguration.secondaryDevice (passed
to StartSuiteRun, read from GetSuiteRun) and adds enum values only GetSuiteRun's response
carries, whose advice is the response's alone.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path

import markupsafe
import pytest

from apidiff.classify import Severity
from apidiff.report.check import Finding, evaluate_check
from apidiff.report.serialize import load_report
from apidiff.site import urls
from apidiff.site.build import build_site, report_file
from apidiff.site.catalog import CATALOG_FORMAT, release_entry
from apidiff.site.pairs import ReleasePair
from apidiff.site.staging import MARKER
from apidiff.sources import PackageIndex

IOT_BEFORE = ReleasePair("bundled:botocore-1.20.72", "bundled:botocore-1.20.73")
IOT = ReleasePair("bundled:botocore-1.20.73", "bundled:botocore-1.20.74")
_ITEM = re.compile(
    r'<li class="finding [a-z]+"[^>]*>.*?<span class="finding-text">(.*?)</span>\n'
    r'(?:<span class="advice">(.*?)</span>)?.*?<code>([^<]*)</code> on <code>([^<]*)</code>',
    re.DOTALL,
)


@pytest.fixture(scope="module")
def index() -> PackageIndex:
    return PackageIndex.from_environment(offline=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, index: PackageIndex) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(out, (IOT,), index, search=False)
    return out


def page(site: Path, url: str) -> str:
    return (site / urls.file_of(url)).read_text("utf-8")


def checked(site: Path, version: str, service: str) -> list[Finding]:
    """What `apidiff check` finds of a service in the release's stored Report, every severity."""
    report = load_report(site / report_file(version))
    result = evaluate_check(report, fail_on=None, min_severity=Severity.INFO)
    return [finding for finding in result.findings if finding.service == service]


def shown(section: str) -> set[tuple[str, str, str, str]]:
    """(text, advice, rule, where) of each finding a page's section lists, unescaped."""
    return {
        (html.unescape(text), html.unescape(advice or ""), rule, html.unescape(where))
        for text, advice, rule, where in _ITEM.findall(section)
    }


def as_shown(finding: Finding) -> tuple[str, str, str, str]:
    return (finding.message, finding.explanation, finding.rule.id, finding.where)


def method_section(text: str, slug: str) -> str:
    return text.split(f'id="{slug}"', 1)[1].split("</section>", 1)[0]


def test_a_removed_request_member_reads_as_the_check_says_it(built: Path) -> None:
    (removed,) = [
        finding
        for finding in checked(built, "1.20.74", "iotdeviceadvisor")
        if finding.rule.id == "member.removed"
    ]
    assert "client.start_suite_run(suiteRunConfiguration=" in removed.message
    section = method_section(
        page(built, urls.service_release_url("1.20.74", "iotdeviceadvisor")), "start-suite-run"
    )
    assert as_shown(removed) in shown(section)
    assert str(markupsafe.escape(removed.record.change.description)) not in section


def test_every_finding_of_a_method_has_the_advice_the_check_gives_for_its_sides(
    built: Path,
) -> None:
    text = page(built, urls.service_release_url("1.20.74", "iotdeviceadvisor"))
    reaching = [
        finding
        for finding in checked(built, "1.20.74", "iotdeviceadvisor")
        if "GetSuiteRun" in finding.operations
    ]
    listed = shown(method_section(text, "get-suite-run"))
    assert {as_shown(finding) for finding in reaching} == listed
    # The new enum values meet responses alone: their advice is the response's, not the
    # rule's advice for both sides.
    assert any(finding.advice != finding.rule.advice for finding in reaching)


def test_a_methods_history_says_what_its_release_page_says(built: Path) -> None:
    release = page(built, urls.service_release_url("1.20.74", "iotdeviceadvisor"))
    history = page(built, urls.method_history_url("iotdeviceadvisor", "StartSuiteRun"))
    assert shown(history) == shown(method_section(release, "start-suite-run"))
    assert shown(history)


def test_the_breaking_changes_page_says_what_the_check_says(built: Path) -> None:
    text = page(built, urls.breaking_url("1.20.74"))
    breaking = [
        finding
        for finding in checked(built, "1.20.74", "iotdeviceadvisor")
        if finding.severity is Severity.BREAKING
    ]
    assert len(breaking) == 2
    for finding in breaking:
        assert f'<span class="finding-text">{markupsafe.escape(finding.message)}</span>' in text


def test_a_finding_of_a_rule_apidiff_no_longer_has_keeps_the_models_wording(
    built: Path,
) -> None:
    report = load_report(built / report_file("1.20.74"))
    service = report.services[0]
    record = dataclasses.replace(service.changes[0], rule="rule.since.removed")
    stale = dataclasses.replace(service, changes=(record,))
    entry = release_entry(dataclasses.replace(report, services=(stale,)))
    (finding,) = entry.services[0].findings
    assert (finding.message, finding.sides) == (record.change.description, ())


def test_a_site_whose_catalog_is_of_an_older_format_is_made_again_from_its_reports(
    tmp_path: Path, index: PackageIndex
) -> None:
    out = tmp_path / "site"
    build_site(out, (IOT_BEFORE,), index, search=False)
    stored = out / MARKER
    document = json.loads(stored.read_bytes())
    stored.write_text(json.dumps(document | {"catalog_format": CATALOG_FORMAT - 1}), "utf-8")

    build_site(out, (IOT,), index, search=False)
    scratch = tmp_path / "scratch"
    build_site(scratch, (IOT_BEFORE, IOT), index, search=False)
    assert _every_file(out) == _every_file(scratch)


def _every_file(site: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(site)): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }
