"""The site in a real browser: headless Chromium (Debian's) driven by Playwright, against the
site served on loopback. One browser and one built site for the whole session.

Screenshots of each page type at 375 and 1280 pixels wide go to `tests/site/artifacts/`
(git-ignored). Skipped, with the reason, only where no Chromium is installed; CI installs it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from apidiff.compare import compare_sources
from apidiff.report.serialize import report_to_json_text
from apidiff.site import urls
from apidiff.site.build import build_site
from apidiff.site.pairs import ReleasePair
from apidiff.sources import PackageIndex, open_source

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
WIDTHS = (375, 1280)
HOSTILE_DOCS = (
    "<p>Hostile<script>window.__pwned = 1; alert(1)</script>"
    '<img src="x" onerror="window.__pwned = 2; alert(2)">'
    '<a href="javascript:alert(3)">javascript link</a>'
    '<iframe src="javascript:alert(4)"></iframe></p>'
)

if CHROMIUM is None:
    pytest.skip("no chromium on this machine (apt-get install chromium)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api")


def hostile_model(tmp: Path, with_new_member: bool) -> Path:
    members: dict[str, Any] = {"Name": {"shape": "Text", "documentation": HOSTILE_DOCS}}
    if with_new_member:
        members["Added"] = {"shape": "Text", "documentation": HOSTILE_DOCS}
    document = {
        "version": "2.0",
        "metadata": {
            "apiVersion": "2020-01-01",
            "endpointPrefix": "hostile",
            "protocol": "json",
            "serviceFullName": "Hostile <script>alert(5)</script> Service",
            "serviceId": "Hostile",
            "uid": "hostile-2020-01-01",
        },
        "operations": {
            "GetThing": {
                "name": "GetThing",
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "Thing"},
                "output": {"shape": "Thing"},
                "documentation": HOSTILE_DOCS,
            }
        },
        "shapes": {
            "Thing": {"type": "structure", "members": members},
            "Text": {"type": "string"},
        },
    }
    # A single model's service is named after its folder.
    path = tmp / ("new" if with_new_member else "old") / "hostile" / "service-2.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(document))
    return path


@pytest.fixture(scope="session")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sagemaker, route53 and iotdeviceadvisor releases (the last with breaking
    findings, for the severity filter), and a release of a hostile model."""
    tmp = tmp_path_factory.mktemp("browser-site")
    reports = tmp / "reports"
    reports.mkdir()
    hostile = compare_sources(
        open_source(str(hostile_model(tmp, False))), open_source(str(hostile_model(tmp, True)))
    )
    hostile = dataclasses.replace(
        hostile,
        old=dataclasses.replace(hostile.old, version="0.0.1"),
        new=dataclasses.replace(hostile.new, version="0.0.2", released=dt.date(2020, 1, 2)),
    )
    (reports / "0.0.2.json").write_text(report_to_json_text(hostile))
    out = tmp / "site"
    build_site(out, (), PackageIndex.from_environment(offline=True), from_reports=reports)
    index = PackageIndex.from_environment(offline=True)
    build_site(
        out,
        (
            ReleasePair("bundled:botocore-1.20.40", "bundled:botocore-1.20.41"),
            ReleasePair("bundled:botocore-1.20.73", "bundled:botocore-1.20.74"),
            ReleasePair("bundled:botocore-1.44.7", "bundled:botocore-1.44.8"),
        ),
        index,
    )
    return out


@pytest.fixture(scope="session")
def base_url(site_root: Path) -> Iterator[str]:
    from apidiff.cli.serve import site_server

    with site_server(site_root, 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}"
        server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    problems: list[str] = []

    def dismissed(dialog: Any) -> None:
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    opened.on("console", _errors_into(problems))
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.on("dialog", dismissed)
    opened.problems = problems
    yield opened
    context.close()


PAGE_TYPES = {
    "home": urls.home_url(),
    "search": urls.search_url(),
    "releases": urls.releases_url(),
    "release": urls.release_url("1.20.41"),
    "breaking": urls.breaking_url("1.44.8"),
    "service-release": urls.service_release_url("1.20.41", "sagemaker"),
    "services": urls.services_url(),
    "service-history": urls.service_history_url("sagemaker"),
    "method-history": urls.method_history_url("sagemaker", "DescribeAutoMLJob"),
}


def test_home_to_release_to_service_to_method_permalink(page: Any, base_url: str) -> None:
    page.goto(base_url + urls.home_url())
    page.get_by_role("link", name="1.20.41", exact=True).click()
    assert page.url == base_url + urls.release_url("1.20.41")
    page.get_by_role("link", name="Amazon SageMaker Service").click()
    assert page.url == base_url + urls.service_release_url("1.20.41", "sagemaker")
    page.get_by_role("link", name="Permalink to DescribeAutoMLJob").click()
    assert page.url.endswith("/releases/1.20.41/sagemaker/#describe-auto-ml-job")
    assert page.title() == "Amazon SageMaker Service in botocore 1.20.41 · apidiff"
    assert page.locator("#describe-auto-ml-job").is_visible()
    assert page.problems == []


def test_the_new_fields_are_marked_inside_the_syntax(page: Any, base_url: str) -> None:
    page.goto(base_url + urls.method_release_url("1.20.41", "sagemaker", "DescribeAutoMLJob"))
    section = page.locator("section", has=page.locator("#describe-auto-ml-job"))
    marked = section.locator("pre.syntax mark.added")
    texts = [text.strip() for text in marked.all_inner_texts()]
    assert "'Explainability': 'string'" in texts
    assert "'PartialFailureMessage': 'string'" in texts
    explainability = section.locator("pre.syntax mark.added", has_text="Explainability")
    assert explainability.first.is_visible()
    background = explainability.first.evaluate("node => getComputedStyle(node).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_hostile_documentation_runs_nothing(page: Any, base_url: str) -> None:
    page.goto(base_url + urls.service_release_url("0.0.2", "hostile"))
    assert "Hostile" in page.title()
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("iframe, script, [onerror]").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.problems == []


# Rules that read colours, the one thing the dark scheme changes: every other rule reads the
# document and its roles, the same in both schemes, so the dark scheme runs these alone.
COLOUR_RULES = ("color-contrast", "link-in-text-block")


@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_each_page_type_fits_a_phone_and_a_wide_screen_and_passes_axe(
    browser: Any, base_url: str, name: str
) -> None:
    """Each page type once loaded: at 1280 pixels in the light and the dark scheme, then at
    375 (the layout of a phone: what is shown and what scrolls differ), a screenshot of each
    width, no sideways scroll, no console error and no serious or critical axe violation."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    context = browser.new_context(viewport={"width": WIDTHS[-1], "height": 800})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", _errors_into(errors))
    opened.goto(base_url + PAGE_TYPES[name])
    found: list[str] = []
    for width in reversed(WIDTHS):
        opened.set_viewport_size({"width": width, "height": 800})
        overflow = _screenshot(opened, name, width)
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
        found += _serious(axe.run(opened), f"light {width}")
        if width == WIDTHS[-1]:
            opened.emulate_media(color_scheme="dark")
            only = {
                "resultTypes": ["violations"],
                "runOnly": {"type": "rule", "values": list(COLOUR_RULES)},
            }
            found += _serious(axe.run(opened, options=only), f"dark {width}")
            opened.emulate_media(color_scheme="light")
    context.close()
    assert found == []
    assert errors == []


def test_deeply_nested_documentation_stays_on_a_phones_screen(browser: Any, base_url: str) -> None:
    # route53's documentation nests lists nine deep (ResourceRecordSet's AliasTarget): with a
    # browser's own indent a level, its deepest lines ran 57px past a phone's edge.
    context = browser.new_context(viewport={"width": 375, "height": 800})
    opened = context.new_page()
    opened.goto(base_url + urls.service_release_url("1.44.8", "route53"))
    depth = opened.evaluate(
        """() => Math.max(...[...document.querySelectorAll('.method-doc li')].map(item => {
            let depth = 0;
            for (let node = item; node; node = node.parentElement) depth += node.tagName === 'UL';
            return depth;
        }))"""
    )
    assert depth >= 9
    overflow = _screenshot(opened, "service-release-nested", 375)
    assert overflow <= 0, f"scrolls sideways by {overflow}px"
    opened.locator("#other-findings").scroll_into_view_if_needed()
    opened.screenshot(path=str(ARTIFACTS / "service-release-other-findings-375.png"))
    assert opened.locator("#other-findings ~ ul .badge.risky").is_visible()
    context.close()


def _serious(results: Any, where: str) -> list[str]:
    return [
        f"{where}: {violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def _errors_into(found: list[str]) -> Callable[[Any], None]:
    """A console listener that keeps the text of each error message in `found`."""

    def listen(message: Any) -> None:
        if message.type == "error":
            found.append(message.text)

    return listen


def _screenshot(opened: Any, name: str, width: int) -> int:
    """Saves the page as it is seen (`width` pixels wide); how far it scrolls sideways."""
    ARTIFACTS.mkdir(exist_ok=True)
    opened.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"))
    overflow: int = opened.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return overflow


def test_code_keeps_its_lines_and_scrolls_inside_its_block_on_a_phone(
    browser: Any, base_url: str
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    opened = context.new_page()
    opened.goto(base_url + urls.method_release_url("1.20.41", "sagemaker", "DescribeAutoMLJob"))
    blocks = opened.locator("pre.syntax")
    assert blocks.count() > 0
    found = blocks.evaluate_all(
        """blocks => blocks.map(block => ({
            whiteSpace: getComputedStyle(block).whiteSpace,
            scrolls: block.scrollWidth > block.clientWidth,
            tabIndex: block.tabIndex,
        }))"""
    )
    assert {block["whiteSpace"] for block in found} == {"pre"}
    assert any(block["scrolls"] for block in found)
    assert {block["tabIndex"] for block in found} == {0}  # a keyboard can scroll it
    deltas = opened.locator("pre.delta").evaluate_all("blocks => blocks.map(b => b.tabIndex)")
    assert deltas and set(deltas) == {0}
    context.close()


def test_a_table_that_may_scroll_is_a_named_region_the_keyboard_reaches(
    browser: Any, base_url: str
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 800})
    opened = context.new_page()
    opened.goto(base_url + urls.releases_url())
    region = opened.get_by_role("region", name="Every release of this site, newest first")
    assert region.evaluate("node => node.tabIndex") == 0
    context.close()


@pytest.mark.parametrize("name", ["service-release", "method-history"])
def test_a_phone_gets_a_modest_title_and_a_one_line_trail(
    browser: Any, base_url: str, name: str
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    opened = context.new_page()
    opened.goto(base_url + PAGE_TYPES[name])
    title_size = opened.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"
    )
    assert title_size <= 28
    trail = opened.evaluate(
        """() => {
            const list = document.querySelector('.breadcrumbs ol');
            const shown = [...list.children].filter(item => item.offsetParent !== null);
            return {
                height: list.getBoundingClientRect().height,
                line: parseFloat(getComputedStyle(list).lineHeight) || 24,
                tops: new Set(shown.map(item => item.getBoundingClientRect().top)).size,
                last: shown[shown.length - 1].textContent.trim(),
            };
        }"""
    )
    assert trail["tops"] == 1, trail  # one line
    assert trail["last"] == opened.locator(".breadcrumbs [aria-current=page]").inner_text()
    context.close()


def test_a_methods_permalink_stays_beside_its_status_on_a_phone(
    browser: Any, base_url: str
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    opened = context.new_page()
    opened.goto(base_url + PAGE_TYPES["service-release"])
    lines = opened.evaluate(
        """() => [...document.querySelectorAll('section.method h2')].map(heading => {
            const top = selector => heading.querySelector(selector).getBoundingClientRect().top;
            return [heading.id, top('.status'), top('.permalink')];
        })"""
    )
    assert lines
    for slug, status, permalink in lines:
        assert abs(status - permalink) < 2, slug
    context.close()


def test_keyboard_focus_is_visible(page: Any, base_url: str) -> None:
    page.goto(base_url + urls.home_url())
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_search_finds_a_member_and_filters_by_severity(page: Any, base_url: str) -> None:
    page.goto(base_url + urls.search_url() + "?q=PartialFailureMessage")
    results = page.locator("#search-results > li > a")
    results.first.wait_for()
    assert base_url + urls.service_release_url("1.20.41", "sagemaker") in [
        page.evaluate("link => link.href", link) for link in results.element_handles()
    ]
    # The site's findings are safe or info for the sdk except iotdeviceadvisor's of 1.20.74 (a
    # method and a member removed): the one severity that tells the pages apart.
    page.select_option("#filter-severity", "breaking")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("0 pages found").wait_for()  # no sagemaker finding of 1.20.41 is breaking
    page.goto(base_url + urls.search_url() + "?severity=breaking")
    results.first.wait_for()
    found = {page.evaluate("link => link.pathname", link) for link in results.element_handles()}
    assert found == {urls.service_release_url("1.20.74", "iotdeviceadvisor")}
    assert page.problems == []
