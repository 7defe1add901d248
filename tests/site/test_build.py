"""The site built from the bundled releases: pages where their URLs say, marks inside the
syntax, stored Reports enough to rebuild it, re-runs that write nothing new, safe swaps."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cbor2
import jinja2
import markupsafe
import pytest
from filelock import FileLock

from apidiff import parallel
from apidiff.cli import main
from apidiff.render.environment import environment
from apidiff.report.check import evaluate_check
from apidiff.report.serialize import load_report
from apidiff.site import build, indexing, pages, urls
from apidiff.site.build import build_site
from apidiff.site.errors import SiteError
from apidiff.site.pages import site_environment
from apidiff.site.pairs import ReleasePair, release_pairs
from apidiff.site.search import (
    BundlePlan,
    SearchBundle,
    index_bundle,
    lean_page,
    plan_bundles,
    stable_bundle,
)
from apidiff.site.staging import StagedSite
from apidiff.sources import PackageIndex

SAGEMAKER = ReleasePair("bundled:botocore-1.20.40", "bundled:botocore-1.20.41")
ROUTE53 = ReleasePair("bundled:botocore-1.44.7", "bundled:botocore-1.44.8")
IOT_BEFORE = ReleasePair("bundled:botocore-1.20.72", "bundled:botocore-1.20.73")
IOT = ReleasePair("bundled:botocore-1.20.73", "bundled:botocore-1.20.74")


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
    syntax = section.split('class="syntax">')[2]  # the response's
    marked = [line for line in syntax.splitlines() if '<mark class="added"' in line]
    assert any("&#39;Explainability&#39;: &#39;string&#39;" in line for line in marked)
    assert any("&#39;PartialFailureMessage&#39;: &#39;string&#39;" in line for line in marked)
    assert "Changes (response)" in section
    assert 'href="#describe-auto-ml-job"' in section  # the permalink


def test_a_finding_on_a_method_whose_request_and_response_did_not_change_is_shown(
    built: Path,
) -> None:
    # 1.44.8 lets route53's HealthCheckSourceCreated waiter poll 100 times, not 40: a risky
    # finding on GetHealthCheckSource, whose request and response are as they were.
    html = page(built, urls.service_release_url("1.44.8", "route53"))
    assert 'id="get-health-check-source"' not in html  # no section of its own
    section = html.split('id="other-findings"', 1)[1].split("</section>", 1)[0]
    report = load_report(built / build.report_file("1.44.8"))
    (waiter,) = [
        finding
        for finding in evaluate_check(report).findings
        if finding.service == "route53" and finding.rule.id == "waiter.changed"
    ]
    assert "health_check_source_created" in waiter.message
    assert f'<span class="finding-text">{markupsafe.escape(waiter.message)}</span>' in section
    assert '<span class="badge risky">risky</span>' in section
    assert "Api methods: GetHealthCheckSource" in section
    assert "documentation changed" not in section  # info findings stay in "Other changes"


def test_a_service_page_without_such_findings_has_no_section_for_them(built: Path) -> None:
    html = page(built, urls.service_release_url("1.20.41", "sagemaker"))
    assert 'id="other-findings"' not in html


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
    assert _every_file(again) == _every_file(built)  # search index included
    assert (again / "pagefind" / "1.44.8" / "pagefind-entry.json").is_file()


def _every_file(site: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(site)): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def test_search_filters_are_stored_in_order_whatever_order_pagefind_wrote() -> None:
    files = _pagefind_bundle([["service", "en_1"], ["kind", "en_2"]])
    files["filter/en_1.pf_filter"] = _pagefind_file(["service", [["s3", [1]], ["ec2", [0]]]])
    files["filter/en_2.pf_filter"] = _pagefind_file(["kind", [["updated", [1]], ["new", [0]]]])
    shuffled = _pagefind_bundle([["kind", "en_4"], ["service", "en_3"]])
    shuffled["filter/en_3.pf_filter"] = _pagefind_file(["service", [["ec2", [0]], ["s3", [1]]]])
    shuffled["filter/en_4.pf_filter"] = _pagefind_file(["kind", [["new", [0]], ["updated", [1]]]])
    stable = stable_bundle(files)
    assert stable == stable_bundle(shuffled)
    entry = json.loads(stable["pagefind-entry.json"])
    meta = _pagefind_value(stable[f"pagefind.{entry['languages']['en']['hash']}.pf_meta"])
    assert [name for name, _ in meta[3]] == ["kind", "service"]
    service = _pagefind_value(stable[f"filter/{meta[3][1][1]}.pf_filter"])
    assert service == ["service", [["ec2", [0]], ["s3", [1]]]]


def _pagefind_file(value: object) -> bytes:
    return gzip.compress(b"pagefind_dcd" + cbor2.dumps(value))


def _pagefind_value(data: bytes) -> Any:
    return cbor2.loads(gzip.decompress(data).removeprefix(b"pagefind_dcd"))


def _pagefind_bundle(filters: list[list[str]]) -> dict[str, bytes]:
    entry = {"version": "1.5.2", "languages": {"en": {"hash": "en_m", "wasm": "en"}}}
    return {
        "pagefind-entry.json": json.dumps(entry).encode(),
        "pagefind.en_m.pf_meta": _pagefind_file(["1.5.2", [], [], filters, [], ["title"]]),
        "index/en_i.pf_index": b"kept as it is",
    }


def test_adding_a_release_indexes_that_release_alone(tmp_path: Path, index: PackageIndex) -> None:
    out = tmp_path / "site"
    build_site(out, (IOT_BEFORE,), index)
    older = out / "pagefind" / "1.20.73"
    entry = (older / "pagefind-entry.json").stat().st_ino
    assert (older / "pagefind.js").is_file()  # the newest bundle brings the runtime
    build_site(out, (IOT_BEFORE, IOT), index)
    assert (older / "pagefind-entry.json").stat().st_ino == entry  # carried over, not indexed
    assert not (older / "pagefind.js").exists()
    assert (out / "pagefind" / "1.20.74" / "pagefind.js").is_file()
    search = page(out, urls.search_url())
    assert 'data-bundles="/pagefind/1.20.74/ /pagefind/1.20.73/"' in search


def test_pagefind_indexes_a_page_without_its_documentation_into_the_same_bundle(
    built: Path, tmp_path: Path
) -> None:
    full, lean = tmp_path / "full", tmp_path / "lean"
    for page in built.glob("releases/1.20.41/*/index.html"):
        relative = page.relative_to(built)
        for root, data in ((full, page.read_bytes()), (lean, lean_page(page.read_bytes()))):
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_bytes(data)
    documented = full / urls.file_of(urls.service_release_url("1.20.41", "sagemaker"))
    assert documented.stat().st_size > 2 * (lean / documented.relative_to(full)).stat().st_size
    plan = BundlePlan("1.20.41", ("1.20.41",))
    assert index_bundle(lean, plan).data == index_bundle(full, plan).data


def test_a_lean_page_leaves_out_the_documentation_whatever_it_holds() -> None:
    page = (
        b'<p>a</p><details class="documentation" open data-pagefind-ignore><summary>D</summary>'
        b"<details><summary>x</summary>y</details>z</details><p>b</p>"
        b'<details class="documentation removed" open data-pagefind-ignore>w</details>'
    )
    assert lean_page(page) == (
        b'<p>a</p><details class="documentation" open data-pagefind-ignore></details><p>b</p>'
        b'<details class="documentation removed" open data-pagefind-ignore></details>'
    )


def test_ten_releases_share_a_bundle_once_a_later_one_exists() -> None:
    versions = ["1.44.8", "1.43.127", "1.44.10", "1.44.0", "0.0.2"]
    assert [(plan.name, plan.versions) for plan in plan_bundles(versions)] == [
        ("0.0.0-9", ("0.0.2",)),
        ("1.43.120-129", ("1.43.127",)),
        ("1.44.0-9", ("1.44.0", "1.44.8")),
        ("1.44.10", ("1.44.10",)),
    ]
    assert [plan.name for plan in plan_bundles(["1.44.0", "1.44.9"])] == ["1.44.0", "1.44.9"]


def test_a_site_searches_its_sealed_bundles_and_the_newest(built: Path) -> None:
    search = page(built, urls.search_url())
    assert 'data-bundles="/pagefind/1.44.8/ /pagefind/1.20.40-49/"' in search
    assert (built / "pagefind" / "1.20.40-49" / "pagefind-entry.json").is_file()
    assert not (built / "pagefind" / "1.20.41").exists()


def test_the_documentation_is_not_indexed_for_search(built: Path) -> None:
    html = page(built, urls.service_release_url("1.20.41", "sagemaker"))
    assert html.count('<details class="documentation') == html.count("open data-pagefind-ignore>")


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


def test_a_large_release_is_written_on_every_core_a_small_one_in_this_process(
    built: Path, tmp_path: Path, index: PackageIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []

    def spied(work: Any, items: Any, *, processes: int, sizes: Any) -> Any:
        asked.append(processes)
        return parallel.ordered_map(work, items, processes=processes, sizes=sizes)

    monkeypatch.setattr(build, "ordered_map", spied)
    monkeypatch.setenv("APIDIFF_JOBS", "2")
    out = tmp_path / "site"
    build_site(out, (SAGEMAKER, ROUTE53), index)
    # 1.20.41 changes a few sagemaker methods; 1.44.8 changes fsx and wafv2 a lot.
    assert asked == [1, 2]
    assert _every_file(out) == _every_file(built)


def test_a_failed_build_leaves_the_previous_site_as_it_was(
    tmp_path: Path, index: PackageIndex
) -> None:
    out = tmp_path / "site"
    build_site(out, (SAGEMAKER,), index)
    files = sorted(str(path.relative_to(out)) for path in out.rglob("*"))
    with pytest.raises(SiteError):
        build_site(out, (SAGEMAKER,), index, from_reports=tmp_path / "empty-reports-missing")
    assert sorted(str(path.relative_to(out)) for path in out.rglob("*")) == files
    assert [path.name for path in tmp_path.iterdir() if path.is_dir()] == ["site"]  # no staging


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


def test_one_environment_factory_escapes_every_page_and_feed_and_no_text() -> None:
    notes, site = environment(), site_environment()
    templates = notes.list_templates(filter_func=lambda name: name.endswith(".j2"))
    pages = [name for name in templates if name.startswith("site/")]
    assert any(name.endswith(".atom.j2") for name in pages)
    for env in (notes, site):
        assert callable(env.autoescape)
        assert all(env.autoescape(name) for name in pages)
        assert not any(env.autoescape(name) for name in templates if name not in pages)
        assert (env.undefined, env.trim_blocks, env.lstrip_blocks) == (
            jinja2.StrictUndefined,
            True,
            True,
        )


def test_an_added_release_gives_the_site_a_build_from_scratch_gives(
    built: Path, tmp_path: Path, index: PackageIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build_site(out, (SAGEMAKER,), index)
    histories: list[str] = []
    history_pages = pages._history_pages

    def spied(
        history: pages.ServiceHistory, written: frozenset[str] | None = None
    ) -> Iterator[tuple[str, bytes | None]]:
        histories.append(history.service)
        return history_pages(history, written)

    monkeypatch.setattr(pages, "_history_pages", spied)
    build_site(out, (SAGEMAKER, ROUTE53), index)
    assert _every_file(out) == _every_file(built)
    # Only the services of the added release have a new history; sagemaker's is carried over.
    assert sorted(histories) == ["fsx", "route53", "wafv2"]


def test_a_large_file_is_written_in_pieces_and_linked_where_the_same(tmp_path: Path) -> None:
    live, root = tmp_path / "live", tmp_path / "staged"
    (live / "reports").mkdir(parents=True)
    (live / "reports" / "a.json").write_bytes(b"[1, 2]")
    site = StagedSite(live, root)
    pieces: list[bytes] = []

    def chunks(*parts: bytes) -> Iterator[bytes]:
        for part in parts:
            pieces.append(part)
            yield part

    site.write_stream("reports/a.json", chunks(b"[1, ", b"2]"))
    assert (root / "reports" / "a.json").stat().st_ino == (live / "reports/a.json").stat().st_ino
    site.write_stream("reports/b.json", chunks(b"[3]"))
    assert (root / "reports" / "b.json").read_bytes() == b"[3]"
    assert (site.kept, site.written) == (1, 1)
    assert pieces == [b"[1, ", b"2]", b"[3]"]


def test_an_index_of_a_layout_apidiff_does_not_know_is_a_clear_error() -> None:
    files = _pagefind_bundle([["service", "en_1"]])
    files["pagefind.en_m.pf_meta"] = _pagefind_file(["9.0.0", {"filters": "elsewhere"}])
    with pytest.raises(SiteError, match="layout this apidiff does not know"):
        stable_bundle(files)
    files = _pagefind_bundle([["service", "en_1"]])
    files["filter/en_1.pf_filter"] = _pagefind_file({"service": ["s3"]})
    with pytest.raises(SiteError, match="layout this apidiff does not know"):
        stable_bundle(files)


def test_every_code_block_of_the_documentation_is_reached_by_keyboard_once() -> None:
    html = '<pre class="syntax">a</pre><pre>b</pre><pre tabindex="0">c</pre><p>pre</p>'
    assert pages.focusable_code_blocks(html) == (
        '<pre tabindex="0" class="syntax">a</pre><pre tabindex="0">b</pre>'
        '<pre tabindex="0">c</pre><p>pre</p>'
    )


def test_a_build_reuses_the_previous_sites_folders_and_links_only_what_changed(
    tmp_path: Path, index: PackageIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build_site(out, (SAGEMAKER,), index, search=False)
    release = out / "releases" / "1.20.41"
    folder, service_page = release.stat().st_ino, (release / "sagemaker" / "index.html")
    first_page = service_page.stat().st_ino
    build_site(out, (SAGEMAKER, IOT_BEFORE), index, search=False)
    spare = tmp_path / ".apidiff-site-site"
    assert all(path.stat().st_nlink > 1 for path in spare.rglob("*") if path.is_file())
    linked: list[str] = []
    link = os.link

    def spied(source: str | Path, target: str | Path) -> None:
        linked.append(str(Path(target).relative_to(spare)))
        link(source, target)

    monkeypatch.setattr(os, "link", spied)
    build_site(out, (SAGEMAKER, IOT_BEFORE, IOT), index, search=False)
    # The third build wrote into the first site's folders, where the untouched release's
    # pages were linked already: nothing of it was linked or made again.
    assert release.stat().st_ino == folder
    assert service_page.stat().st_ino == first_page
    assert not [name for name in linked if name.startswith("releases/1.20.41")]
    scratch = tmp_path / "scratch"
    build_site(scratch, (SAGEMAKER, IOT_BEFORE, IOT), index, search=False)
    assert _every_file(out) == _every_file(scratch)


def test_a_killed_build_leaves_the_site_served_and_the_next_build_mends_it(
    built: Path, tmp_path: Path, index: PackageIndex
) -> None:
    out = tmp_path / "site"
    build_site(out, (SAGEMAKER,), index)
    before = _every_file(out)
    sources = [pair.new for pair in (SAGEMAKER, ROUTE53)]
    started = subprocess.Popen(
        [sys.executable, "-m", "apidiff", "site", *sources, "--out", str(out)],
        env={**os.environ, "APIDIFF_OFFLINE": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # killed with the processes it forked, as a shell kills a job
    )
    deadline = time.monotonic() + 120
    # Halfway: the added release's pages are being written into the staging folder.
    while (
        not list(tmp_path.glob(".apidiff-site-*/releases/1.44.8"))
        and started.poll() is None
        and time.monotonic() < deadline
    ):
        time.sleep(0.005)
    os.killpg(started.pid, signal.SIGKILL)
    assert started.wait() == -signal.SIGKILL  # killed halfway, not finished
    assert _every_file(out) == before
    build_site(out, (SAGEMAKER, ROUTE53), index)
    assert _every_file(out) == _every_file(built)


def test_what_the_staging_folder_holds_never_reaches_the_site_or_beyond_it(
    tmp_path: Path, index: PackageIndex
) -> None:
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    build_site(out, (SAGEMAKER,), index, search=False)
    elsewhere.mkdir()
    spare = tmp_path / ".apidiff-site-site"
    (spare / "releases" / "1.20.41").mkdir(parents=True)
    (spare / "releases" / "1.20.41" / "stray.html").write_text("left by a killed build")
    (spare / "releases" / "1.20.41" / "index.html").mkdir()  # a folder where a page goes
    (spare / "services").symlink_to(elsewhere)
    build_site(out, (SAGEMAKER,), index, search=False)
    assert list(elsewhere.iterdir()) == []
    scratch = tmp_path / "scratch"
    build_site(scratch, (SAGEMAKER,), index, search=False)
    assert _every_file(out) == _every_file(scratch)


def test_two_builds_of_one_site_do_not_run_at_once(tmp_path: Path, index: PackageIndex) -> None:
    out = tmp_path / "site"
    with (
        FileLock(tmp_path / ".apidiff-site-site.lock"),
        pytest.raises(SiteError, match="another build of this site is running"),
    ):
        build_site(out, (SAGEMAKER,), index, search=False)
    assert not out.exists()


def test_the_search_index_is_made_while_the_pages_that_span_releases_are_written(
    tmp_path: Path, index: PackageIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build_site(out, (SAGEMAKER,), index)
    started = threading.Event()
    history_pages = pages._history_pages

    def indexed(root: Path, plan: BundlePlan) -> SearchBundle:
        started.set()
        return index_bundle(root, plan)

    def waited(
        history: pages.ServiceHistory, written: frozenset[str] | None = None
    ) -> Iterator[tuple[str, bytes | None]]:
        assert started.wait(timeout=20), "the index is not being made yet"
        return history_pages(history, written)

    monkeypatch.setattr(indexing, "index_bundle", indexed)
    monkeypatch.setattr(pages, "_history_pages", waited)
    build_site(out, (SAGEMAKER, ROUTE53), index)
    assert (out / "pagefind" / "1.44.8" / "pagefind.js").is_file()


def test_a_page_left_in_the_staging_folder_is_not_indexed_for_search(
    built: Path, tmp_path: Path, index: PackageIndex
) -> None:
    out = tmp_path / "site"
    build_site(out, (SAGEMAKER,), index)
    stale = tmp_path / ".apidiff-site-site" / "releases" / "1.44.8" / "gone"
    stale.mkdir(parents=True)
    (stale / "index.html").write_text(
        "<html><body><main data-pagefind-body><h1>Zzyzx</h1></main></body></html>"
    )
    build_site(out, (SAGEMAKER, ROUTE53), index)
    assert _every_file(out) == _every_file(built)
