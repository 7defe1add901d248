"""The pipeline end to end: two sources in, one Report out.

sources → model → diff → report. Services whose files hold the same models in both
sources are proven unchanged from their bytes and never parsed; the proof runs here, largest
service first, while other processes already compare the services it found changed.

A partial source (a folder, the bundled models, one file) holds some of botocore's services;
a service it lacks was not added or removed, so by default only the services both sides hold
are compared, and the Report names the others as left out.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from apidiff import __version__
from apidiff.classify import classify_changes
from apidiff.classify.pattern_verdicts import PatternVerdicts
from apidiff.classify.patterns import remembering
from apidiff.collector import collections_paused
from apidiff.diff import diff_models
from apidiff.errors import SourceError
from apidiff.model import ServiceModel
from apidiff.model.load import load_service_model
from apidiff.model.verdicts import ModelVerdicts
from apidiff.parallel import default_processes, ordered_map
from apidiff.report import Report, ServiceReport, build_service_report
from apidiff.report.report import LeftOut
from apidiff.sources import ChangelogEntry, ModelSource, ServiceFiles, same_content
from apidiff.sources.base import Provenance
from apidiff.sources.cache import default_cache_dir
from apidiff.sources.changelog import descriptions_for


@dataclass(frozen=True, slots=True)
class CompareOptions:
    """What to compare and how much to render.

    `services` empty means all of them: all both sides hold where a side is partial, unless
    `all_services` (then a service one side lacks counts as added or removed). `changelog`,
    where given, replaces what the new source knows of its release's changelog.
    """

    services: tuple[str, ...] = ()
    all_services: bool = False
    date: dt.date | None = None
    changelog: tuple[ChangelogEntry, ...] | None = None
    with_docs: bool = True
    # Processes comparing services at once; None: APIDIFF_JOBS, else every core.
    processes: int | None = None


# Called with (service, done, total) as each service is compared, for progress bars: those
# proven unchanged from their bytes are neither compared nor counted.
ProgressCallback = Callable[[str, int, int], None]


def compare_sources(
    old: ModelSource,
    new: ModelSource,
    options: CompareOptions = CompareOptions(),
    progress: ProgressCallback | None = None,
) -> Report:
    pairs, left_out = _service_pairs(old, new, options.services, options.all_services)
    jobs = [
        _ServiceJob(
            new_name or old_name or "",
            old.service_files(old_name) if old_name else None,
            new.service_files(new_name) if new_name else None,
        )
        for old_name, new_name in pairs
    ]
    # Services named by the user are always read, so a bad file never passes unnoticed.
    chosen = bool(options.services) or len(pairs) == 1
    # The services not proven unchanged: every one is known before the first is compared,
    # so progress counts them alone.
    to_compare: set[str] = set()

    def needs_comparing(job: _ServiceJob) -> bool:
        """False for a service whose files hold the same models on both sides: proven from
        their bytes, never parsed."""
        if (
            chosen
            or not (job.old_files and job.new_files)
            or not same_content(job.old_files, job.new_files)
        ):
            to_compare.add(job.name)
            return True
        return False

    changelog = options.changelog if options.changelog is not None else new.changelog()
    cache_root = default_cache_dir()
    settings = _Settings(
        old=old.provenance,
        new=new.provenance,
        date=options.date or new.provenance.released,
        changelog=changelog,
        known_services=tuple(sorted({*old.services(), *new.services()})),
        with_docs=options.with_docs,
        verdicts=ModelVerdicts(cache_root),
    )
    _read_lone_models(old, new, left_out, settings.verdicts)
    reports: list[ServiceReport] = []
    unchanged: list[str] = []
    with remembering(PatternVerdicts(cache_root)):
        compared = ordered_map(
            functools.partial(_compare_service, settings=settings),
            jobs,
            processes=default_processes() if options.processes is None else options.processes,
            sizes=[job.size for job in jobs],
            needed=needs_comparing,
            # Unasked for, a second process only where the work is worth it.
            fork_from=_PARALLEL_FROM_BYTES if options.processes is None else 0,
        )
        done = 0
        for job, report in zip(jobs, compared, strict=True):
            if job.name in to_compare:
                done += 1
                if progress:
                    progress(job.name, done, len(to_compare))
            if report is None:
                unchanged.append(job.name)
            else:
                reports.append(report)
    return Report(
        tool_version=__version__,
        old=old.provenance,
        new=new.provenance,
        services=tuple(reports),
        unchanged_services=tuple(sorted(unchanged)),
        left_out=left_out,
    )


@dataclass(frozen=True, slots=True)
class _ServiceJob:
    """One service to compare: its files on each side (None where a side lacks it)."""

    name: str
    old_files: ServiceFiles | None
    new_files: ServiceFiles | None

    @property
    def size(self) -> int:
        """The bytes of its model files: what the cost of comparing them grows with (told
        without reading them: a wheel's are read in the process that compares them)."""
        return sum(files.model.size for files in (self.old_files, self.new_files) if files)


# Below this many bytes of models to compare, a second process costs more than it saves.
_PARALLEL_FROM_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class _Settings:
    """What every service's comparison needs besides its files, the same for all of them."""

    old: Provenance
    new: Provenance
    date: dt.date | None
    changelog: tuple[ChangelogEntry, ...] | None
    known_services: tuple[str, ...]
    with_docs: bool
    verdicts: ModelVerdicts


def _compare_service(job: _ServiceJob, settings: _Settings) -> ServiceReport | None:
    """One service's report, or None where its models turn out to hold no change."""
    with collections_paused():
        return _compare_models(job, settings)


def _compare_models(job: _ServiceJob, settings: _Settings) -> ServiceReport | None:
    old_model = (
        load_service_model(job.old_files, settings.old, settings.verdicts)
        if job.old_files
        else None
    )
    new_model = (
        load_service_model(job.new_files, settings.new, settings.verdicts)
        if job.new_files
        else None
    )
    model_diff = diff_models(
        old_model or _empty_like(new_model), new_model or _empty_like(old_model)
    )
    if not model_diff:
        return None
    changelog = settings.changelog
    return build_service_report(
        model_diff,
        classify_changes(model_diff),
        date=settings.date,
        changelog=(
            None
            if changelog is None
            else descriptions_for(changelog, job.name, settings.known_services)
        ),
        with_docs=settings.with_docs,
        old_exists=old_model is not None,
        new_exists=new_model is not None,
    )


def _read_lone_models(
    old: ModelSource, new: ModelSource, left_out: tuple[LeftOut, ...], verdicts: ModelVerdicts
) -> None:
    """Load the model of a one-model source (a file, standard input) even where it is left
    out: the user named that model, so a bad file must not pass unnoticed (ModelLoadError)."""
    for group in left_out:
        source = old if group.side == "old" else new
        if len(source.services()) == 1:
            load_service_model(source.service_files(group.services[0]), source.provenance, verdicts)


_Pair = tuple[str | None, str | None]


def _service_pairs(
    old: ModelSource, new: ModelSource, wanted: tuple[str, ...], all_services: bool
) -> tuple[list[_Pair], tuple[LeftOut, ...]]:
    """The (old name, new name) pairs to compare, None where a side lacks the service, and
    the services left out because the side that lacks them is partial."""
    old_names, new_names = old.services(), new.services()
    if len(old_names) == 1 and len(new_names) == 1 and not wanted:
        # Two single models are compared whatever their services are called.
        return [(old_names[0], new_names[0])], ()
    # Where a side is partial, a service it lacks was left out of it, not added or removed;
    # --all-services takes both sides as whole.
    old_whole = all_services or not old.provenance.partial
    new_whole = all_services or not new.provenance.partial
    for service in wanted:
        _check_wanted(service, old, new, old_whole, new_whole)
    only_old = sorted(set(old_names) - set(new_names))
    only_new = sorted(set(new_names) - set(old_names))
    left_out = tuple(
        LeftOut(side, tuple(names), _partial_reason(lacking))
        for side, names, lacking, lacking_whole in (
            ("old", only_old, new, new_whole),
            ("new", only_new, old, old_whole),
        )
        if names and not lacking_whole and not wanted
    )
    skipped = {name for group in left_out for name in group.services}
    names = sorted((set(old_names) | set(new_names)) - skipped)
    selected = [name for name in names if not wanted or name in wanted]
    pairs: list[_Pair] = [
        (name if name in old_names else None, name if name in new_names else None)
        for name in selected
    ]
    return pairs, left_out


def _partial_reason(source: ModelSource) -> str:
    return f"{source.provenance.spec} holds only some services"


def _check_wanted(
    service: str, old: ModelSource, new: ModelSource, old_whole: bool, new_whole: bool
) -> None:
    """Raise SourceError where a `--service` is one neither side holds, or one only a
    partial side lacks (it cannot be told added or removed), naming the side that lacks it."""
    in_old, in_new = service in old.services(), service in new.services()
    if in_old and in_new:
        return
    where = f"--service {service}"
    if not in_old and not in_new:
        reason = f"neither old ({old.provenance.spec}) nor new ({new.provenance.spec}) holds it"
        raise SourceError(where, reason + _suggestion(service, (*old.services(), *new.services())))
    side, lacking, whole = ("new", new, new_whole) if in_old else ("old", old, old_whole)
    if whole:
        return  # A whole release lacks it: the service was really added or removed.
    raise SourceError(
        where,
        f"{side} ({lacking.provenance.spec}) does not hold it: it holds only some of "
        f"botocore's services (--all-services compares it as {'removed' if in_old else 'added'})"
        + _suggestion(service, lacking.services()),
    )


def _suggestion(service: str, names: Sequence[str]) -> str:
    close = difflib.get_close_matches(service, sorted(set(names)), n=3)
    if not close:
        return ""
    return "; did you mean " + " or ".join(repr(name) for name in close) + "?"


def _empty_like(model: ServiceModel | None) -> ServiceModel:
    """A model with the other side's metadata and nothing else: the far side of an added service."""
    assert model is not None
    return ServiceModel(
        name=model.name,
        api_version=model.api_version,
        document={"metadata": model.metadata, "operations": {}, "shapes": {}},
        provenance=model.provenance,
    )
