"""How fast `apidiff release` is with both wheels cached: the speed targets of issue 3.

    python benchmarks/bench_release.py [--runs N] [--wheels DIR] [--cache DIR] [--skip-docs]

(a) `apidiff release botocore==1.44.8 --since botocore==1.44.7 --format json --no-docs`, all
    services: at most 0.8 s wall;
(b) the same with --docs, so with the documentation of every changed operation:
    at most 3 s wall and 250 MiB peak memory;
(c) the source side of (a) alone, in process: opening both cached wheels (read, sha256, zip
    index), then reading every service's files and proving the unchanged ones unchanged;
(d) (a) as the first run on a machine: the wheels cached, but none of what apidiff works out
    and keeps (model verdicts, pattern verdicts), so every changed model is checked against
    the schema and every changed pattern decided. Shown, not a target.

(a) and (b) each run as whole processes (`python -m apidiff ...`, this checkout's code): once to
warm up (which also writes the bytecode cache), then N times (5 by default) offline. Each
prints the median wall and CPU seconds, the largest peak RSS, and PASS or MISS against its
targets. (d) runs N times after them, each in a new cache linked to the wheels of the first.

With --wheels, the cache is seeded from wheels already on disk (named botocore-X-*.whl), so no
run needs the network; otherwise the warm-up fetches them from APIDIFF_PYPI_URL or PyPI.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from apidiff.sources import PackageIndex, open_source, same_content  # noqa: E402
from apidiff.sources.cache import ReleaseFile, WheelCache  # noqa: E402
from apidiff.sources.pypi import FetchSettings  # noqa: E402

OLD, NEW = "1.44.7", "1.44.8"
RELEASE = ("release", f"botocore=={NEW}", "--since", f"botocore=={OLD}", "--format", "json")
NO_DOCS_TARGET_S = 0.8
DOCS_TARGET_S = 3.0
DOCS_TARGET_MIB = 250.0
_MAXRSS_BYTES = 1 if sys.platform == "darwin" else 1024
_MIB = 2**20


class BenchmarkError(Exception):
    """A command failed or a wheel could not be had; the message says which."""


@dataclass(frozen=True, slots=True)
class ProcessRuns:
    """Medians of wall and CPU seconds over fresh processes, and the largest peak RSS."""

    wall_s: float
    cpu_s: float
    peak_mib: float


def seed(cache: WheelCache, wheels: Path) -> None:
    """Put wheels from disk into the cache as if they had been downloaded."""
    for version in (OLD, NEW):
        found = sorted(wheels.glob(f"botocore-{version}-*.whl"))
        if not found:
            raise BenchmarkError(f"no botocore-{version}-*.whl in {wheels}")
        path = found[0]
        data = path.read_bytes()
        sha256 = hashlib.sha256(data).hexdigest()
        stamp = zipfile.ZipFile(path).getinfo("botocore/__init__.py").date_time
        cache.wheel_path(sha256).parent.mkdir(parents=True, exist_ok=True)
        cache.wheel_path(sha256).write_bytes(data)
        cache.write_release(
            ReleaseFile(
                package="botocore",
                version=version,
                filename=path.name,
                url=path.resolve().as_uri(),
                sha256=sha256,
                size=len(data),
                uploaded=dt.datetime(*stamp, tzinfo=dt.UTC),
            )
        )


def run_process(args: tuple[str, ...], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MiB of one `python -m apidiff ARGS` process.

    os.wait4 gives the rusage of that one child; RUSAGE_CHILDREN would keep the largest peak
    of every child so far, so a later run could never report less than an earlier one.
    """
    command = [sys.executable, "-m", "apidiff", *args]
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            stderr.seek(0)
            last = (stderr.read().decode(errors="replace").strip().splitlines() or ["?"])[-1]
            raise BenchmarkError(f"apidiff {' '.join(args)} failed: {last}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * _MAXRSS_BYTES / _MIB


def measure_command(args: tuple[str, ...], runs: int, env: dict[str, str]) -> ProcessRuns:
    """One warm-up run (which may fetch the wheels), then `runs` offline runs."""
    run_process(args, env)
    offline = {**env, "APIDIFF_OFFLINE": "1"}
    walls, cpus, peaks = zip(*(run_process(args, offline) for _ in range(runs)), strict=True)
    return ProcessRuns(statistics.median(walls), statistics.median(cpus), max(peaks))


def measure_first_runs(
    args: tuple[str, ...], runs: int, env: dict[str, str], cache: Path
) -> ProcessRuns:
    """`runs` offline runs, each with a cache of its own that holds the wheels and the
    records of `cache` (linked, not copied) and nothing apidiff worked out."""
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as fresh:
            for kept in ("wheels", "releases"):
                (Path(fresh) / kept).symlink_to(cache.resolve() / kept, target_is_directory=True)
            first = {**env, "APIDIFF_OFFLINE": "1", "APIDIFF_CACHE_DIR": fresh}
            results.append(run_process(args, first))
    walls, cpus, peaks = zip(*results, strict=True)
    return ProcessRuns(statistics.median(walls), statistics.median(cpus), max(peaks))


def report_line(label: str, runs: ProcessRuns, target_s: float, target_mib: float | None) -> str:
    passed = runs.wall_s <= target_s and (target_mib is None or runs.peak_mib <= target_mib)
    targets = f"<= {target_s:g} s" + (f", <= {target_mib:g} MiB" if target_mib else "")
    return (
        f"{label}: {runs.wall_s:.3f} s wall, {runs.cpu_s:.3f} s CPU (medians),"
        f" {runs.peak_mib:.0f} MiB peak  (target {targets}: {'PASS' if passed else 'MISS'})"
    )


def source_side(settings: FetchSettings, runs: int) -> tuple[float, float, int]:
    """Median seconds to open both wheels, and to read and prove every service; unchanged."""
    opens, proofs, unchanged = [], [], 0
    for _ in range(runs):
        start = time.perf_counter()
        index = PackageIndex(settings)
        old, new = open_source(f"botocore=={OLD}", index), open_source(f"botocore=={NEW}", index)
        opened = time.perf_counter()
        unchanged = sum(
            same_content(old.service_files(name), new.service_files(name))
            for name in sorted(set(old.services()) & set(new.services()))
        )
        proofs.append(time.perf_counter() - opened)
        opens.append(opened - start)
    return statistics.median(opens), statistics.median(proofs), unchanged


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=_positive, default=5, help="runs after the warm-up")
    parser.add_argument("--wheels", type=Path, help="seed the cache from these wheels")
    parser.add_argument("--cache", type=Path, default=REPO_ROOT / "benchmarks" / ".cache")
    parser.add_argument("--skip-docs", action="store_true", help="leave out (b)")
    options = parser.parse_args()

    settings = FetchSettings(
        cache_dir=options.cache, index_url=FetchSettings.from_environment().index_url
    )
    # The warm-up writes the bytecode cache, as an installed apidiff has one; with
    # PYTHONDONTWRITEBYTECODE set, every run would compile the package again (~50 ms).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env |= {"APIDIFF_CACHE_DIR": str(options.cache), "PYTHONPATH": str(REPO_ROOT)}
    try:
        if options.wheels:
            seed(WheelCache(options.cache), options.wheels)
        no_docs = measure_command((*RELEASE, "--no-docs"), options.runs, env)
        print(report_line("(a) release json, no docs  ", no_docs, NO_DOCS_TARGET_S, None))
        if not options.skip_docs:
            docs = measure_command((*RELEASE, "--docs"), options.runs, env)
            print(report_line("(b) release json, with docs", docs, DOCS_TARGET_S, DOCS_TARGET_MIB))
    except BenchmarkError as error:
        print(f"bench_release: {error}", file=sys.stderr)
        return 1
    opening, proving, unchanged = source_side(settings, options.runs)
    print(
        f"(c) source side: open both wheels {opening * 1000:.0f} ms;"
        f" read every service and prove {unchanged} unchanged {proving * 1000:.0f} ms"
    )
    try:
        first = measure_first_runs((*RELEASE, "--no-docs"), options.runs, env, options.cache)
    except BenchmarkError as error:
        print(f"bench_release: {error}", file=sys.stderr)
        return 1
    print(
        f"(d) (a) as a first run, no verdicts cached: {first.wall_s:.3f} s wall,"
        f" {first.cpu_s:.3f} s CPU (medians), {first.peak_mib:.0f} MiB peak"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
