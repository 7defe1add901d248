"""How fast apidiff's engine is, measured against the speed targets of issue 2.

    python benchmarks/bench_engine.py [--runs N] [--deepdiff-runs N] [--cache DIR] [--wheels DIR]

(a) diff + projection of the bundled SageMaker pair (botocore 1.20.40 -> 1.20.41, from models/);
(b) the same for modern SageMaker (botocore 1.44.7 -> 1.44.8: ~3,300 shapes, 430 operations);
(c) `apidiff notes` end to end on (b), a fresh process per run: wall time and peak memory; then
    the same pipeline split into phases, again cold in a fresh process per run;
(d) DeepDiff over the two model documents of (b): the baseline (b) must beat fifty times over.

The wheels are fetched once with pip into the cache folder and read with zipfile, never
installed, so once they are cached no run needs the network.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from contextlib import redirect_stdout
from dataclasses import dataclass
from functools import partial, wraps
from pathlib import Path
from typing import IO, ParamSpec, TypeVar

REPO_ROOT = Path(__file__).resolve().parent.parent
# Measure the checkout this script sits in, whether or not (or whichever) apidiff is installed.
sys.path.insert(0, str(REPO_ROOT))

from apidiff import __version__, compare  # noqa: E402
from apidiff.cli import main as cli_main  # noqa: E402
from apidiff.diff import diff_models  # noqa: E402
from apidiff.model import ServiceModel  # noqa: E402
from apidiff.model.load import load_service_model  # noqa: E402
from apidiff.render import RENDERERS  # noqa: E402
from apidiff.sources import ModelSource, open_source  # noqa: E402

SERVICE = "sagemaker"
BUNDLED_PAIR = ("1.20.40", "1.20.41")
MODERN_PAIR = ("1.44.7", "1.44.8")
DEFAULT_CACHE = Path(__file__).resolve().parent / ".cache"

DIFF_TARGET_S = 0.050
DEEPDIFF_RATIO_TARGET = 50.0
NOTES_TARGET_S = 1.0
NOTES_MEMORY_TARGET_MIB = 250.0

# ru_maxrss is in KiB on Linux and in bytes on macOS.
_MAXRSS_BYTES = 1 if sys.platform == "darwin" else 1024
_MIB = 1024 * 1024

P = ParamSpec("P")
R = TypeVar("R")


class BenchmarkError(Exception):
    """The benchmark cannot run: a wheel is missing and cannot be fetched, or a command failed."""


@dataclass(frozen=True, slots=True)
class Samples:
    """Repeated measurements of one thing, in seconds or MiB."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)


@dataclass(frozen=True, slots=True)
class ModelPair:
    """Two parsed models of SERVICE, and the folders (botocore's data layout) they came from."""

    label: str
    old_dir: Path
    new_dir: Path
    old: ServiceModel
    new: ServiceModel


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    samples: Samples | None = None
    unit: str = "s"
    target: str = ""
    passed: bool | None = None


# --- wheels -----------------------------------------------------------------------------------


def wheel_for(version: str, cache: Path, seed: Path | None) -> Path:
    """The botocore wheel of `version` in the cache; copied from `seed` or fetched by pip if not."""
    cached = _find_wheel(cache, version)
    if cached is not None:
        return cached
    cache.mkdir(parents=True, exist_ok=True)
    seeded = _find_wheel(seed, version) if seed is not None else None
    if seeded is not None:
        shutil.copyfile(seeded, cache / seeded.name)
    else:
        _pip_download(version, cache)
    fetched = _find_wheel(cache, version)
    if fetched is None:
        raise BenchmarkError(f"pip ran but left no botocore {version} wheel in {cache}")
    return fetched


def _find_wheel(folder: Path, version: str) -> Path | None:
    return next(iter(sorted(folder.glob(f"botocore-{version}-*.whl"))), None)


def _pip_download(version: str, cache: Path) -> None:
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
        "--no-deps", "--only-binary=:all:", f"botocore=={version}", "-d", str(cache),
    ]  # fmt: skip
    print(f"fetching the botocore {version} wheel into {cache} ...", file=sys.stderr)
    if subprocess.run(command, capture_output=True, check=False).returncode != 0:
        raise BenchmarkError(
            f"the botocore {version} wheel is not in {cache} and pip could not download it"
            " (offline? pass --wheels DIR with the wheel)"
        )


def extract_service(wheel: Path, version: str, dest: Path) -> Path:
    """SERVICE's files of a botocore wheel, laid out as botocore's data/ folder under `dest`."""
    root = dest / f"botocore-{version}"
    prefix = f"botocore/data/{SERVICE}/"
    try:
        with zipfile.ZipFile(wheel) as archive:
            members = [n for n in archive.namelist() if n.startswith(prefix) and n[-1] != "/"]
            for name in members:
                target = root / name.removeprefix("botocore/data/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
    except zipfile.BadZipFile:
        raise BenchmarkError(
            f"{wheel} is not a readable wheel (delete it to fetch it again)"
        ) from None
    if not members:
        raise BenchmarkError(f"{wheel} holds no {SERVICE} model")
    # Names the versions in the notes; the release date is not in the wheel, so none is given.
    manifest = {"package": "botocore", "version": version}
    (root / "provenance.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


# --- models -----------------------------------------------------------------------------------


def load_pair(label: str, old_dir: Path, new_dir: Path) -> ModelPair:
    old, new = (_load(open_source(str(folder))) for folder in (old_dir, new_dir))
    return ModelPair(label, old_dir, new_dir, old, new)


def _load(source: ModelSource) -> ServiceModel:
    return load_service_model(source.service_files(SERVICE), source.provenance)


def bundled_pair_dirs() -> tuple[Path, Path] | None:
    """The bundled pair's folders in models/, or None while models/ does not hold them."""
    old, new = (REPO_ROOT / "models" / f"botocore-{version}" for version in BUNDLED_PAIR)
    return (old, new) if (old / SERVICE).is_dir() and (new / SERVICE).is_dir() else None


def fresh(model: ServiceModel) -> ServiceModel:
    """The same parsed documents in a new ServiceModel, so its cached indexes are built again."""
    return dataclasses.replace(model)


def describe(pair: ModelPair) -> str:
    result = diff_models(fresh(pair.old), fresh(pair.new))
    return (
        f"{pair.label}: {len(pair.new.shapes):,} shapes, {len(pair.new.operations):,} operations;"
        f" {len(result.changes):,} changes, {len(result.updated_operations)} updated,"
        f" {len(result.added_operations)} new, {len(result.removed_operations)} removed methods"
    )


# --- in-process timings -----------------------------------------------------------------------


def timed(action: Callable[[], object]) -> float:
    gc.collect()  # so one run's garbage is not collected on the next run's clock
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def time_diff(pair: ModelPair, runs: int) -> Samples:
    # Fresh models are made before the clock starts; their indexes are built inside the run.
    runs_of = (partial(diff_models, fresh(pair.old), fresh(pair.new)) for _ in range(runs))
    return Samples(tuple(timed(run) for run in runs_of))


def time_deepdiff(pair: ModelPair, runs: int) -> Samples:
    try:
        from deepdiff import DeepDiff  # only this measurement needs it, and it is slow to import
    except ImportError:
        raise BenchmarkError("deepdiff is not installed (pip install deepdiff)") from None
    documents = (pair.old.document, pair.new.document)
    return Samples(tuple(timed(partial(DeepDiff, *documents)) for _ in range(runs)))


# --- end to end, one fresh process per run ----------------------------------------------------


def run_measured(command: Sequence[str], stdout: IO[bytes]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process.

    os.wait4 returns the rusage of that one child; RUSAGE_CHILDREN would be the largest of
    every child so far, so a later run could never report less than an earlier one.
    """
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            stderr.seek(0)
            last = (stderr.read().decode(errors="replace").strip().splitlines() or ["?"])[-1]
            raise BenchmarkError(f"{' '.join(command[1:])} exited {process.returncode}: {last}")
    return wall, usage.ru_maxrss * _MAXRSS_BYTES / _MIB


def notes_command(pair: ModelPair) -> list[str]:
    return [
        sys.executable, "-m", "apidiff", "notes",
        str(pair.old_dir), str(pair.new_dir), "--service", SERVICE,
    ]  # fmt: skip


def time_notes(pair: ModelPair, runs: int) -> tuple[Samples, Samples]:
    """Wall time and peak memory of `apidiff notes`, each run in a fresh process."""
    walls, peaks = [], []
    with tempfile.TemporaryFile() as note:
        for _ in range(runs):
            note.seek(0)
            note.truncate()
            wall, peak = run_measured(notes_command(pair), note)
            walls.append(wall)
            peaks.append(peak)
        if os.fstat(note.fileno()).st_size == 0:
            raise BenchmarkError(f"{' '.join(notes_command(pair)[1:])} printed nothing")
    return Samples(tuple(walls)), Samples(tuple(peaks))


STARTUP = "start-up and imports"
REST = "rest of the CLI"
# The stage entry points `apidiff notes` goes through, timed where compare.py looks them up, so
# the split measures the CLI's own pipeline rather than a copy of it that could drift. A name
# that is gone is skipped: its time then shows under REST.
PHASE_HOOKS = (
    ("load_service_model", "load both models"),
    ("diff_models", "diff + projection"),
    ("classify_changes", "classification"),
    ("build_service_report", "report + method docs"),
)


def time_notes_phases(pair: ModelPair, runs: int) -> dict[str, Samples]:
    """`apidiff notes` split into phases, cold in a fresh process per run.

    The child times its phases itself; what its wall time has beyond them is start-up.
    """
    command = [sys.executable, __file__, "--phases-of", str(pair.old_dir), str(pair.new_dir)]
    found: dict[str, list[float]] = {STARTUP: []}
    for _ in range(runs):
        with tempfile.TemporaryFile() as output:
            wall, _ = run_measured(command, output)
            output.seek(0)
            phases: dict[str, float] = json.loads(output.read())
        found[STARTUP].append(wall - sum(phases.values()))
        for name, seconds in phases.items():
            found.setdefault(name, []).append(seconds)
    return {name: Samples(tuple(values)) for name, values in found.items()}


def notes_phases(old_dir: str, new_dir: str) -> dict[str, float]:
    """Runs `apidiff notes OLD NEW --service SERVICE` in this process, timing each stage."""
    phases: dict[str, float] = {}
    for attribute, phase in PHASE_HOOKS:
        if hasattr(compare, attribute):
            setattr(compare, attribute, _clocked(getattr(compare, attribute), phases, phase))
    # Renderers yield their text as it is written: the phase is the rendering of all of it.
    render_text = RENDERERS["text"]
    RENDERERS["text"] = _clocked(
        lambda report, layout: iter(list(render_text(report, layout))), phases, "text rendering"
    )
    start = time.perf_counter()
    with Path(os.devnull).open("w") as sink, redirect_stdout(sink):
        status = _run_cli(["notes", old_dir, new_dir, "--service", SERVICE])
    total = time.perf_counter() - start
    if status not in (0, None):
        raise BenchmarkError(f"apidiff notes {old_dir} {new_dir} exited {status}")
    phases[REST] = total - sum(phases.values())
    return phases


def _run_cli(argv: list[str]) -> int | str | None:
    try:
        cli_main(argv)
    except SystemExit as exit_:
        return exit_.code
    return 0


def _clocked(function: Callable[P, R], phases: dict[str, float], phase: str) -> Callable[P, R]:
    @wraps(function)
    def clocked(*args: P.args, **kwargs: P.kwargs) -> R:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            phases[phase] = phases.get(phase, 0.0) + time.perf_counter() - start

    return clocked


# --- the table --------------------------------------------------------------------------------


def format_value(value: float, unit: str) -> str:
    if unit == "MiB":
        return f"{value:.0f} MiB"
    if unit == "x":
        return f"{value:.0f}x"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def print_table(rows: Sequence[Row]) -> None:
    header = ("benchmark", "median", "min", "max", "target", "result")
    cells = [header] + [_cells(row) for row in rows]
    widths = [max(len(line[column]) for line in cells) for column in range(len(header))]
    for index, line in enumerate(cells):
        label, *figures = line
        aligned = [label.ljust(widths[0])] + [
            text.rjust(width) for text, width in zip(figures, widths[1:], strict=True)
        ]
        print("  ".join(aligned).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))


def _cells(row: Row) -> tuple[str, str, str, str, str, str]:
    verdict = "" if row.passed is None else ("PASS" if row.passed else "MISS")
    if row.samples is None:
        return (row.label, "", "", "", row.target, verdict)
    median, low, high = (
        format_value(value, row.unit)
        for value in (row.samples.median, row.samples.low, row.samples.high)
    )
    if len(row.samples.values) == 1:
        low = high = ""
    return (row.label, median, low, high, row.target, verdict)


def phase_rows(phases: dict[str, Samples]) -> list[Row]:
    total = sum(samples.median for samples in phases.values())
    return [
        Row(f"    {name} ({samples.median / total:.0%})", samples)
        for name, samples in phases.items()
    ]


# --- main -------------------------------------------------------------------------------------


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=_positive, default=7, help="runs of (a)-(c); default 7")
    parser.add_argument("--deepdiff-runs", type=_positive, default=3, help="of (d); default 3")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where wheels are kept")
    parser.add_argument("--wheels", type=Path, help="a folder to take the botocore wheels from")
    # The child side of time_notes_phases, not for people.
    parser.add_argument("--phases-of", nargs=2, metavar=("OLD", "NEW"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def prepare_pairs(args: argparse.Namespace, workdir: Path) -> tuple[ModelPair, ModelPair]:
    def from_wheels(version: str) -> Path:
        return extract_service(wheel_for(version, args.cache, args.wheels), version, workdir)

    bundled = bundled_pair_dirs()
    origin = "models/" if bundled else "wheels"
    old_dir, new_dir = bundled or tuple(from_wheels(version) for version in BUNDLED_PAIR)
    small = load_pair(f"(a) {SERVICE} {' -> '.join(BUNDLED_PAIR)}, from {origin}", old_dir, new_dir)
    modern_dirs = [from_wheels(version) for version in MODERN_PAIR]
    modern = load_pair(f"(b) {SERVICE} {' -> '.join(MODERN_PAIR)}, from wheels", *modern_dirs)
    return small, modern


def measure(args: argparse.Namespace, small: ModelPair, modern: ModelPair) -> list[Row]:
    say = partial(print, file=sys.stderr)
    say("measuring (a), (b): diff + projection ...")
    small_diff, modern_diff = time_diff(small, args.runs), time_diff(modern, args.runs)
    say("measuring (c): apidiff notes, a fresh process per run ...")
    notes_wall, notes_memory = time_notes(modern, args.runs)
    phases = time_notes_phases(modern, args.runs)
    say(f"measuring (d): DeepDiff, {args.deepdiff_runs} runs of a second or more each ...")
    deep = time_deepdiff(modern, args.deepdiff_runs)
    ratio = deep.median / modern_diff.median
    return [
        Row("(a) diff + projection, bundled pair", small_diff),
        Row("(b) diff + projection, modern pair", modern_diff, "s", "<= 50 ms",
            modern_diff.median <= DIFF_TARGET_S),
        Row("(d) DeepDiff(old, new), same pair as (b)", deep),
        Row("    (d) / (b), medians", Samples((ratio,)), "x", ">= 50x",
            ratio >= DEEPDIFF_RATIO_TARGET),
        Row("(c) apidiff notes, end to end, wall", notes_wall, "s", "<= 1 s",
            notes_wall.median <= NOTES_TARGET_S),
        # Judged on the largest run: a peak is a limit, not a typical value.
        Row("    peak memory (RSS)", notes_memory, "MiB", "<= 250 MiB",
            notes_memory.high <= NOTES_MEMORY_TARGET_MIB),
        Row("(c) in phases, cold, a fresh process per run:"),
        *phase_rows(phases),
    ]  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    try:
        if args.phases_of:
            print(json.dumps(notes_phases(*args.phases_of)))
            return 0
        with tempfile.TemporaryDirectory(prefix="apidiff-bench-") as workdir:
            small, modern = prepare_pairs(args, Path(workdir))
            context = [describe(small), describe(modern)]
            rows = measure(args, small, modern)
    except BenchmarkError as error:
        print(f"bench_engine: {error}", file=sys.stderr)
        return 1
    print(
        f"apidiff {__version__} engine benchmark, Python {sys.version.split()[0]}:"
        f" {args.runs} runs, DeepDiff {args.deepdiff_runs}; median, min, max"
    )
    print("\n".join(context), end="\n\n")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
