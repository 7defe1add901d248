"""The pages of the site, each rendered from the catalog or, for a release's service pages,
from that release's Report. Every page extends one layout (`templates/site/base.html.j2`).

Nothing here depends on the time of the build: the same catalog and Reports give the same
bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from apidiff import __version__
from apidiff.classify import RULES_BY_ID, Severity
from apidiff.parallel import default_processes, ordered_map
from apidiff.render import method_html as method_html_module
from apidiff.render.environment import new_environment
from apidiff.render.method_html import method_html
from apidiff.render.notes import changelog_text, other_changes
from apidiff.report import OperationReport, Report, ServiceReport, doc_html
from apidiff.resources import templates_dir
from apidiff.site import urls
from apidiff.site.catalog import (
    CATALOG_FORMAT,
    Catalog,
    FindingEntry,
    MethodEntry,
    ReleaseEntry,
    ServiceEntry,
)
from apidiff.site.feeds import site_feeds
from apidiff.site.marks import mark_method_doc
from apidiff.site.search import plan_bundles

# Scripts and styles come from the site's own files only; the search index's WebAssembly
# needs compiling ('wasm-unsafe-eval'), which allows no eval of JavaScript.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'"
)
# What the `serve` header adds: directives a meta tag cannot carry.
HEADER_ONLY_POLICY = "; frame-ancestors 'none'"
HOME_RELEASES = 30
SEVERITY_ORDER = (Severity.BREAKING, Severity.RISKY, Severity.SAFE, Severity.INFO)
_SITE_TEMPLATES = "site"
_PRE_TAG = re.compile(r"<pre(?=[\s>])(?![^>]*\btabindex=)")


# The modules whose code decides the bytes of a method's documentation on a page.
_PAGE_WRITERS = (method_html_module, doc_html)


def layout_fingerprint() -> str:
    """What the pages' look depends on besides their data: the tool's version, the site's
    templates and the code that writes a method's documentation as HTML.

    Pages written under another fingerprint are all written again.
    """
    digest = hashlib.sha256(f"{__version__}/{CATALOG_FORMAT}".encode())
    root = templates_dir()
    files = [
        *((path, path.relative_to(root)) for path in (root / _SITE_TEMPLATES).rglob("*")),
        *((Path(module.__file__ or ""), Path(module.__name__)) for module in _PAGE_WRITERS),
    ]
    for path, name in sorted(files, key=lambda file: str(file[1])):
        if path.is_file():
            digest.update(str(name).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def site_environment() -> jinja2.Environment:
    # Every page and feed is HTML or XML, so autoescaped: nothing from a model goes in as markup.
    return new_environment(
        urls=urls,
        csp=CONTENT_SECURITY_POLICY,
        rules=RULES_BY_ID,
        severity_order=SEVERITY_ORDER,
        Severity=Severity,
        date_text=date_text,
        most_severe_first=most_severe_first,
    )


def most_severe_first(findings: Iterable[FindingEntry]) -> list[FindingEntry]:
    """Findings from breaking down, in their order within a severity (what Jinja's sort
    filter gives, at a fraction of its cost: it looks each attribute up through the sandbox
    hooks, and a release lists tens of thousands of findings)."""
    return sorted(findings, key=lambda finding: finding.severity.rank, reverse=True)


def date_text(date: dt.date | None) -> str:
    return date.isoformat() if date else "undated"


@dataclass(frozen=True, slots=True)
class Crumb:
    label: str
    url: str | None = None


def _render(template: str, **context: object) -> bytes:
    text = site_environment().get_template(f"{_SITE_TEMPLATES}/{template}").render(**context)
    return text.encode("utf-8")


def _release_crumbs(release: ReleaseEntry) -> list[Crumb]:
    return [
        Crumb("Home", urls.home_url()),
        Crumb("Releases", urls.releases_url()),
        Crumb(release.version, urls.release_url(release.version)),
    ]


def catalog_pages(
    catalog: Catalog,
    *,
    search: bool = True,
    rewritten: Mapping[str, frozenset[str] | None] | None = None,
) -> Iterator[tuple[str, bytes | None]]:
    """(file, bytes) of every page drawn from the catalog but the pages of each release (see
    `release_pages`); (file or folder, None) where the live site's is carried over as it is.

    `rewritten` says which history pages change (see `changed_histories`); where None, every
    one is written. The search page loads the search bundles of releases with service pages,
    newest first, unless the site is built without them."""
    newest_first = tuple(reversed(catalog.releases))
    yield (
        urls.file_of(urls.home_url()),
        _render(
            "home.html.j2",
            title="AWS API changes",
            crumbs=[Crumb("Home")],
            releases=newest_first[:HOME_RELEASES],
            more=max(len(newest_first) - HOME_RELEASES, 0),
        ),
    )
    yield (
        urls.file_of(urls.releases_url()),
        _render(
            "releases.html.j2",
            title="All releases",
            crumbs=[Crumb("Home", urls.home_url()), Crumb("Releases")],
            releases=newest_first,
        ),
    )
    histories = service_histories(catalog)
    yield (
        urls.file_of(urls.services_url()),
        _render(
            "services.html.j2",
            title="Services A to Z",
            crumbs=[Crumb("Home", urls.home_url()), Crumb("Services")],
            letters=_by_letter(histories),
        ),
    )

    def changed(history: ServiceHistory) -> bool:
        return rewritten is None or history.service in rewritten

    written = [
        (history, None if rewritten is None else rewritten[history.service])
        for history in histories
        if changed(history)
    ]
    # A method's history page per api method that changed: thousands over a few releases,
    # written on every core where there are enough of them (see apidiff/parallel.py).
    sizes = [len(history.methods()) if only is None else len(only) for history, only in written]
    made = ordered_map(
        _history_page_list,
        written,
        processes=default_processes() if sum(sizes) >= _HISTORY_PAGES_WORTH_FORKING else 1,
        sizes=sizes,
    )
    for history in histories:
        if changed(history):
            yield from next(made)
        else:
            yield urls.service_history_url(history.service).strip("/"), None
    yield (
        urls.file_of(urls.search_url()),
        _render(
            "search.html.j2",
            title="Search",
            crumbs=[Crumb("Home", urls.home_url()), Crumb("Search")],
            bundles=[
                urls.search_bundle_url(plan.name)
                for plan in reversed(
                    plan_bundles(
                        [release.version for release in catalog.releases if release.services]
                    )
                )
                if search
            ],
        ),
    )
    for feed in site_feeds(catalog):
        yield urls.file_of(feed.url), _render("feed.atom.j2", feed=feed)


def release_summary_pages(release: ReleaseEntry) -> Iterator[tuple[str, bytes]]:
    """(file, bytes) of a release's own page and its breaking changes' page."""
    crumbs = _release_crumbs(release)
    yield (
        urls.file_of(urls.release_url(release.version)),
        _render(
            "release.html.j2",
            title=f"botocore {release.version}",
            crumbs=[*crumbs[:-1], Crumb(release.version)],
            release=release,
        ),
    )
    breaking = [
        (service, service.findings_of(Severity.BREAKING))
        for service in release.services
        if service.findings_of(Severity.BREAKING)
    ]
    yield (
        urls.file_of(urls.breaking_url(release.version)),
        _render(
            "breaking.html.j2",
            title=f"Breaking changes in botocore {release.version}",
            crumbs=[*crumbs, Crumb("Breaking changes")],
            release=release,
            breaking=breaking,
        ),
    )


@dataclass(frozen=True, slots=True)
class ServiceChange:
    """One release's change to a service, as its history lists it."""

    release: ReleaseEntry
    service: ServiceEntry


@dataclass(frozen=True, slots=True)
class ServiceHistory:
    """Every release that changed a service, newest first."""

    service: str
    full_name: str
    changes: tuple[ServiceChange, ...]

    @property
    def last_change(self) -> ServiceChange:
        return self.changes[0]

    def methods(self) -> dict[str, list[tuple[ServiceChange, MethodEntry]]]:
        """Each api method the releases changed, with those changes, newest first."""
        found: dict[str, list[tuple[ServiceChange, MethodEntry]]] = {}
        for change in self.changes:
            for method in change.service.methods:
                found.setdefault(method.name, []).append((change, method))
        return dict(sorted(found.items()))


def service_histories(catalog: Catalog) -> tuple[ServiceHistory, ...]:
    changes: dict[str, list[ServiceChange]] = {}
    for release in reversed(catalog.releases):
        for service in release.services:
            changes.setdefault(service.service, []).append(ServiceChange(release, service))
    return tuple(
        ServiceHistory(name, found[0].service.full_name, tuple(found))
        for name, found in sorted(changes.items())
    )


def _by_letter(histories: tuple[ServiceHistory, ...]) -> list[tuple[str, list[ServiceHistory]]]:
    letters: dict[str, list[ServiceHistory]] = {}
    for history in histories:
        letters.setdefault(history.service[:1].upper(), []).append(history)
    return sorted(letters.items())


def changed_histories(
    previous: Catalog, catalog: Catalog, written: Iterable[ReleaseEntry]
) -> dict[str, frozenset[str] | None]:
    """The history pages that releases written anew (and the entries they replace) change,
    by service: the api methods whose pages change, or None where every page of the service
    does (its full name or a method's slug is no longer what it was).

    An api method's page shows only the releases that changed that method: the others'
    pages stay as they are, however many releases change the service.
    """
    methods: dict[str, set[str]] = {}
    for release in written:
        for service in release.services:
            methods.setdefault(service.service, set()).update(m.name for m in service.methods)
    before = {history.service: history for history in service_histories(previous)}
    after = {history.service: history for history in service_histories(catalog)}
    changed: dict[str, frozenset[str] | None] = {}
    for name, touched in sorted(methods.items()):
        old, new = before.get(name), after.get(name)
        same = old is not None and new is not None and _same_layout(old, new)
        changed[name] = frozenset(touched) if same else None
    return changed


def _same_layout(old: ServiceHistory, new: ServiceHistory) -> bool:
    """Whether what every method page of a service shows besides its own changes is as it
    was: the service's full name, and the methods' slugs (the pages' paths)."""
    old_slugs, new_slugs = urls.method_slugs(old.methods()), urls.method_slugs(new.methods())
    return old.full_name == new.full_name and all(
        new_slugs[name] == slug for name, slug in old_slugs.items() if name in new_slugs
    )


# History pages to write below which they are written in this process: starting the processes
# (a tenth of a second or more) would cost more than they save.
_HISTORY_PAGES_WORTH_FORKING = 400


def _history_page_list(
    job: tuple[ServiceHistory, frozenset[str] | None],
) -> list[tuple[str, bytes | None]]:
    return list(_history_pages(*job))


def _history_pages(
    history: ServiceHistory, written: frozenset[str] | None = None
) -> Iterator[tuple[str, bytes | None]]:
    """The pages of a service's history; of its api methods', those in `written` (or every
    one), the others carried over."""
    home = Crumb("Home", urls.home_url())
    services = Crumb("Services", urls.services_url())
    methods = history.methods()
    slugs = urls.method_slugs(methods)
    yield (
        urls.file_of(urls.service_history_url(history.service)),
        _render(
            "service_history.html.j2",
            title=f"{history.full_name}: history",
            crumbs=[home, services, Crumb(history.service)],
            history=history,
            methods=methods,
            slugs=slugs,
        ),
    )
    yield from _clash_pages(history, slugs)
    for name, changes in methods.items():
        page = urls.file_of(urls.method_history_url(history.service, name, slugs[name]))
        if written is not None and name not in written:
            yield page, None
            continue
        yield (
            page,
            _render(
                "method_history.html.j2",
                title=f"{name} of {history.service}: history",
                crumbs=[
                    home,
                    services,
                    Crumb(history.service, urls.service_history_url(history.service)),
                    Crumb(name),
                ],
                history=history,
                method=name,
                changes=changes,
            ),
        )


def _clash_pages(history: ServiceHistory, slugs: dict[str, str]) -> Iterator[tuple[str, bytes]]:
    """Where api methods of a service differ only in case, their shared slug's page lists them:
    a link made before the second of them came (with the plain slug) still leads to both."""
    clashes: dict[str, list[str]] = {}
    for name, slug in slugs.items():
        if slug != urls.method_slug(name):
            clashes.setdefault(urls.method_slug(name), []).append(name)
    for slug, names in clashes.items():
        yield (
            urls.file_of(urls.method_history_url(history.service, names[0], slug)),
            _render(
                "method_clash.html.j2",
                title=f"{' or '.join(names)} of {history.service}",
                crumbs=[
                    Crumb("Home", urls.home_url()),
                    Crumb("Services", urls.services_url()),
                    Crumb(history.service, urls.service_history_url(history.service)),
                    Crumb(" or ".join(names)),
                ],
                history=history,
                names=names,
                slugs=slugs,
            ),
        )


@dataclass(frozen=True, slots=True)
class MethodSection:
    """An api method on its service's page for a release: its anchor, block, findings, docs."""

    slug: str
    entry: MethodEntry
    findings: tuple[FindingEntry, ...]
    documentation: str | None


def release_pages(report: Report, release: ReleaseEntry) -> Iterator[tuple[str, bytes]]:
    """(file, bytes) of the pages of one release: the page of each service it changed (from
    its full Report, see `service_page`), its own page and its breaking changes' page."""
    for number in range(len(report.services)):
        yield service_page(report, release, number)
    yield from release_summary_pages(release)


def load_service_page_templates() -> None:
    """Compile the templates of a service page now: processes forked afterwards to write
    service pages share them, instead of each compiling its own."""
    for name in ("service_release.html.j2", "base.html.j2", "macros.html.j2"):
        site_environment().get_template(f"{_SITE_TEMPLATES}/{name}")


def service_page(report: Report, release: ReleaseEntry, number: int) -> tuple[str, bytes]:
    """(file, bytes) of the page of the `number`th service a release changed."""
    service, entry = report.services[number], release.services[number]
    return (
        urls.file_of(urls.service_release_url(release.version, service.service)),
        _render(
            "service_release.html.j2",
            title=f"{service.full_name} in botocore {release.version}",
            crumbs=[*_release_crumbs(release), Crumb(service.service)],
            release=release,
            service=entry,
            changelog=changelog_text(service),
            sections=_method_sections(service, entry),
            other_changes=other_changes(service),
        ),
    )


def _method_sections(service: ServiceReport, entry: ServiceEntry) -> list[MethodSection]:
    # The operations in the order of the entry's methods (see render.notes.method_blocks).
    operations = (
        *service.new_operations,
        *service.updated_operations,
        *service.removed_operations,
    )
    return [
        MethodSection(
            entry.anchor(method.name),
            method,
            entry.findings_for(method.name),
            _documentation(operation),
        )
        for operation, method in zip(operations, entry.methods, strict=True)
    ]


def _documentation(operation: OperationReport) -> str | None:
    if operation.documentation is None:
        return None
    marked = mark_method_doc(operation.documentation, operation.request, operation.response)
    return focusable_code_blocks(
        method_html(marked.doc, marked.request_marks, marked.response_marks)
    )


def focusable_code_blocks(html: str) -> str:
    """Code blocks keep their long lines and scroll sideways: each is made one a keyboard
    reaches (where it is not already)."""
    return _PRE_TAG.sub('<pre tabindex="0"', html)
