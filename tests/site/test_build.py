"""The site built from the bundled releases: pages where their URLs say, marks inside the
syntax, stored Reports enough to rebuild it, re-runs that write nothing new, safe swaps."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from apidiff.cli import main
from apidiff.site import urls
from apidiff.site.build import build_site
from apidiff.site.errors import SiteError
from apidiff.site.pairs import ReleasePair, release_pairs
from apidiff.sources import PackageIndex

SAGEMAKER = ReleasePair("bundled:botocore-1.20.40", "bundled:botocore-1.20.41")
ROUTE53 = ReleasePair("bundled:botocore-1.44.7", "bundled:botocore-1.44.8")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> PackageIndex:
    return PackageIndex.from_environment(offline=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, index: PackageIndex) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(out, (SAGEMAKER, ROUTE53), index)
    return out


def page(site: Path, url: str) -> str:
    return (site / urls.file_of(url)).read_text("utf-8")


def test_method_slugs_are_readable_words() -> None:
    assert urls.method_slug("DescribeAutoMLJob") == "describe-auto-ml-job"
    assert urls.method_slug("ListV2LoggingLevels") == "list-v-2-logging-levels"


def test_bundled_pairs_only_releases_that_follow_each_other(index: PackageIndex) -> None:
    pairs = release_pairs(["bundled"], index)
    assert [pair.new.removeprefix("bundled:botocore-") for pair in pairs] == [
        "1.20.41",
        "1.20.73",
        "1.20.74",
        "1.20.95",
        "1.35.72",
        "1.44.8",
    ]
    assert SAGEMAKER in pairs


def test_a_range_must_name_botocore_releases_in_order(index: PackageIndex) -> None:
    with pytest.raises(SiteError, match="runs backwards"):
        release_pairs(["botocore==1.44.8..botocore==1.44.7"], index)
    with pytest.raises(SiteError, match=r"botocore==A\.\.botocore==B"):
        release_pairs(["installed..botocore==1.44.7"], index)


def test_the_service_page_marks_the_new_fields_inside_the_response_syntax(built: Path) -> None:
    html = page(built, urls.service_release_url("1.20.41", "sagemaker"))
    section = html.split('id="describe-auto-ml-job"', 1)[1].split("</section>", 1)[0]
    syntax = section.split('<pre class="syntax">')[2]  # the response's
    marked = [line for line in syntax.splitlines() if '<mark class="added"' in line]
    assert any("&#39;Explainability&#39;: &#39;string&#39;" in line for line in marked)
    assert any("&#39;PartialFailureMessage&#39;: &#39;string&#39;" in line for line in marked)
    assert "Changes (response)" in section
    assert 'href="#describe-auto-ml-job"' in section  # the permalink


def test_pages_link_home_to_release_to_service_to_method(built: Path) -> None:
    home = page(built, urls.home_url())
    assert f'href="{urls.release_url("1.20.41")}"' in home
    assert home.index("1.44.8") < home.index("1.20.41")  # newest first
    release = page(built, urls.release_url("1.20.41"))
    assert f'href="{urls.service_release_url("1.20.41", "sagemaker")}"' in release
    history = page(built, urls.method_history_url("sagemaker", "DescribeAutoMLJob"))
    assert urls.method_release_url("1.20.41", "sagemaker", "DescribeAutoMLJob") in history
    assert "<title>DescribeAutoMLJob of sagemaker: history · apidiff</title>" in history
    services = page(built, urls.services_url())
    assert services.index(">route53<") < services.index(">sagemaker<")


def test_every_page_carries_the_policy_and_no_inline_script_or_style(built: Path) -> None:
    pages = list(built.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        html = path.read_text("utf-8")
        assert 'http-equiv="Content-Security-Policy"' in html, path
        scripts = [line for line in html.splitlines() if "<script" in line]
        assert scripts in ([], ['<script type="module" src="/static/search.js"></script>']), path
        assert "<style" not in html and " style=" not in html, path


def test_a_rebuild_from_the_stored_reports_is_byte_identical(
    built: Path, tmp_path: Path, index: PackageIndex
) -> None:
    again = tmp_path / "again"
    build_site(again, (), index, from_reports=built / "reports")
    # Pagefind's filter index is not byte-stable from run to run; every page is.
    comparison = filecmp.dircmp(built, again, ignore=["pagefind"])
    assert _differences(comparison) == []
    assert (again / "pagefind" / "pagefind-entry.json").is_file()


def _differences(comparison: filecmp.dircmp[str]) -> list[str]:
    found = [*comparison.left_only, *comparison.right_only, *comparison.diff_files]
    for sub in comparison.subdirs.values():
        found += _differences(sub)
    return found


def test_a_rerun_diffs_only_new_pairs_and_rewrites_only_changed_pages(
    tmp_path: Path, index: PackageIndex
) -> None:
    out = tmp_path / "site"
    build_site(out, (SAGEMAKER,), index, search=False)
    service_page = out / urls.file_of(urls.service_release_url("1.20.41", "sagemaker"))
    before = service_page.stat().st_ino
    summary = build_site(out, (SAGEMAKER, ROUTE53), index, search=False)
    assert summary.diffed == 1 and summary.releases == 2
    assert service_page.stat().st_ino == before  # carried over, not written again
    again = build_site(out, (SAGEMAKER, ROUTE53), index, search=False)
    assert (again.diffed, again.written) == (0, 0)


def test_a_failed_build_leaves_the_previous_site_as_it_was(
    tmp_path: Path, index: PackageIndex
) -> None:
    out = tmp_path / "site"
    build_site(out, (SAGEMAKER,), index)
    files = sorted(str(path.relative_to(out)) for path in out.rglob("*"))
    with pytest.raises(SiteError):
        build_site(out, (SAGEMAKER,), index, from_reports=tmp_path / "empty-reports-missing")
    assert sorted(str(path.relative_to(out)) for path in out.rglob("*")) == files
    assert [path.name for path in tmp_path.iterdir()] == ["site"]  # no staging left behind


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(SystemExit) as exit_info:
        main(["site", "bundled:botocore-1.20.41", "--out", str(tmp_path)])
    assert exit_info.value.code == 3
    assert [path.name for path in tmp_path.iterdir()] == ["mine.txt"]


def test_the_command_builds_and_says_so_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["site", "bundled:botocore-1.20.41", "--out", str(tmp_path / "site")])
    assert exit_info.value.code == 0
    assert "1 releases (1 written anew)" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["site", "bundled:botocore-1.20.40", "--out", str(tmp_path / "site")])
    assert exit_info.value.code == 3
    assert capsys.readouterr().err.count("\n") == 1
