"""How fast `apidiff site` builds, and how big the site is: the targets of issue 9.

    python benchmarks/bench_site.py [--cache DIR] [--first 1.43.127] [--last 1.44.8] [--next 1.44.9]
                                     [--rounds 3]

(a) from scratch: every release from FIRST to LAST (10 by default), each with the one before
    it, wheels from the cache: at most 60 s wall and 500 MiB peak memory;
(b) adding one release to that site, as the issue does it (`apidiff site botocore==NEXT
    --out site/`, NEXT the release after LAST, 1.44.9 by default): at most 20% of (a). Twice:
    to the site of (a) as built in one go, and to a site that was kept up to date release by
    release (its staging folder beside it, see apidiff/site/staging.py);
(b') the same measure for the heaviest pair of the ten: LAST added to the site of
    FIRST..(the release before LAST), both ways, and LAST's pair alone built as a site of its
    own. The issue's 20% assumes the new pair is a tenth of the work; 1.44.8 holds a third of
    the ten releases' pages, so its pair alone is about a fifth of (a) and (b') cannot go
    below it. What (b') costs beyond its pair alone is the site around it (lists,
    histories, feeds, the swap): that share is printed, as the part incrementality owns;
(c) the size on disk per release (pages, search index and stored Reports);
(d) from (a) and (c), an estimate for every botocore release since ESTIMATE_FROM (1.20.0).

Wall time on a shared machine is noisy: the CPU time (user + system, the build's and its
children's) is printed beside it, and the share of (b) in (a) is given for both. Each round
measures (a), both (b) and (b') one after the other and the verdict is on the median of the rounds'
shares; the load average at the start and end of each round is shown.

Each build runs as a whole process (`python -m apidiff site ...`, this checkout's code) that
`os.wait4` measures. A warm-up first fetches any wheel missing from the cache (APIDIFF_CACHE_DIR,
by default benchmarks/.cache) from PyPI; the timed builds run offline.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from apidiff.sources import PackageIndex  # noqa: E402
from apidiff.sources.pypi import version_key  # noqa: E402

WALL_TARGET = 60.0
MEMORY_TARGET_MIB = 500.0
ADD_ONE_SHARE = 0.20
_MIB = 1024 * 1024


def run_site(arguments: list[str], environment: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MiB) of one `apidiff site` process (its
    children included: the peak is that of the largest process, Pagefind's or ours)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "apidiff", "site", *arguments],
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"apidiff site {' '.join(arguments)} failed")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # KiB on Linux


def size_of(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


@dataclass(frozen=True, slots=True)
class Run:
    """What one `apidiff site` process cost."""

    wall: float
    cpu: float
    peak: float


@dataclass(frozen=True, slots=True)
class Round:
    """One round: from scratch, then LAST added to a site built in one go, then LAST added
    to a site that was updated release by release (its staging folder in place)."""

    scratch: Run
    first_add: Run
    steady_add: Run
    alone: Run
    next_first_add: Run
    next_steady_add: Run
    load: str


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def one_round(
    root: Path, ranges: dict[str, str], offline: dict[str, str], last: str, following: str
) -> Round:
    load = load_average()
    for name in ("scratch", "grown", "updated", "alone"):
        shutil.rmtree(root / name, ignore_errors=True)
        shutil.rmtree(root / f".apidiff-site-{name}", ignore_errors=True)
    scratch = Run(*run_site([ranges["all"], "--out", str(root / "scratch")], offline))
    run_site([ranges["all_but_last"], "--out", str(root / "grown")], offline)
    first_add = Run(*run_site([f"botocore=={last}", "--out", str(root / "grown")], offline))
    run_site([ranges["all_but_two"], "--out", str(root / "updated")], offline)
    run_site([ranges["before_last"], "--out", str(root / "updated")], offline)
    steady_add = Run(*run_site([f"botocore=={last}", "--out", str(root / "updated")], offline))
    alone = Run(*run_site([f"botocore=={last}", "--out", str(root / "alone")], offline))
    # The issue's own case: the release after LAST added to the ten-release site, built in
    # one go (a copy of (a)'s, which (c) measures as it is) and kept up to date.
    shutil.copytree(root / "scratch", root / "grown-next", symlinks=True)
    next_first_add = Run(
        *run_site([f"botocore=={following}", "--out", str(root / "grown-next")], offline)
    )
    shutil.rmtree(root / "grown-next")
    shutil.rmtree(root / ".apidiff-site-grown-next", ignore_errors=True)
    next_steady_add = Run(
        *run_site([f"botocore=={following}", "--out", str(root / "updated")], offline)
    )
    return Round(
        scratch,
        first_add,
        steady_add,
        alone,
        next_first_add,
        next_steady_add,
        f"{load} -> {load_average()}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=REPO_ROOT / "benchmarks" / ".cache")
    parser.add_argument("--first", default="1.43.127")
    parser.add_argument("--last", default="1.44.8")
    parser.add_argument(
        "--next", dest="following", help="the release added in (b); default: the one after LAST"
    )
    parser.add_argument("--estimate-from", default="1.20.0")
    parser.add_argument("--rounds", type=int, default=3, help="rounds measured (medians shown)")
    options = parser.parse_args()
    environment = {**os.environ, "APIDIFF_CACHE_DIR": str(options.cache.resolve())}
    os.environ["APIDIFF_CACHE_DIR"] = environment["APIDIFF_CACHE_DIR"]
    index = PackageIndex.from_environment()
    before_last = index.previous_version("botocore", options.last, options.last)
    before_that = index.previous_version("botocore", before_last, options.last)
    ranges = {
        "all": f"botocore=={options.first}..botocore=={options.last}",
        "all_but_last": f"botocore=={options.first}..botocore=={before_last}",
        "all_but_two": f"botocore=={options.first}..botocore=={before_that}",
        "before_last": f"botocore=={before_last}",
    }
    following = options.following or next_version(index, options.last)
    offline = {**environment, "APIDIFF_OFFLINE": "1"}
    rounds: list[Round] = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        print(
            f"warm-up: fetching the wheels of {ranges['all']} and {following} into {options.cache}",
            flush=True,
        )
        run_site([ranges["all"], "--out", str(root / "warm-up")], environment)
        run_site([f"botocore=={following}", "--out", str(root / "warm-up")], environment)
        shutil.rmtree(root / "warm-up")
        shutil.rmtree(root / ".apidiff-site-warm-up", ignore_errors=True)
        for number in range(1, options.rounds + 1):
            rounds.append(one_round(root, ranges, offline, options.last, following))
            done = rounds[-1]
            print(
                f"round {number}: from scratch {done.scratch.wall:.1f} s"
                f" ({done.scratch.cpu:.1f} s CPU),"
                f" adding {following} {done.next_first_add.wall:.1f} s"
                f" ({_shares(done.next_first_add, done.scratch)}),"
                f" to a site updated before {done.next_steady_add.wall:.1f} s"
                f" ({_shares(done.next_steady_add, done.scratch)});"
                f" adding {options.last} {done.first_add.wall:.1f} s"
                f" ({_shares(done.first_add, done.scratch)}),"
                f" to a site updated before {done.steady_add.wall:.1f} s"
                f" ({_shares(done.steady_add, done.scratch)}); load {done.load}",
                flush=True,
            )
        site = root / "scratch"
        releases = len(list((site / "releases").glob("*/index.html")))
        total = size_of(site)
        reports = size_of(site / "reports")
        search = size_of(site / "pagefind")
        pages = size_of(site / "releases")
        last_pages = size_of(site / "releases" / options.last)
    report(options, index, following, rounds, releases, (total, reports, search, pages, last_pages))


def next_version(index: PackageIndex, version: str) -> str:
    """The release after `version` on the index (from its cached list of releases)."""
    versions = sorted(index.cache.read_versions("botocore") or [], key=version_key)
    later = [found for found in versions if version_key(found) > version_key(version)]
    if not later:
        raise SystemExit(f"no botocore release after {version} is known; pass --next")
    return later[0]


def _shares(add: Run, scratch: Run) -> str:
    """An add's share of from scratch, in wall time and in CPU time (the steadier of the two
    on a machine that is doing other work)."""
    return f"{add.wall / scratch.wall:.0%}; CPU {add.cpu / scratch.cpu:.0%}"


def median(values: list[float]) -> float:
    return statistics.median(values)


def _add_line(adds: list[Run], rounds: list[Round]) -> tuple[float, str]:
    """The median share of (a) that adding a release took, and a line saying what it cost."""
    paired = list(zip(adds, rounds, strict=True))
    share = median([add.wall / done.scratch.wall for add, done in paired])
    cpu_share = median([add.cpu / done.scratch.cpu for add, done in paired])
    return share, (
        f"{median([add.wall for add in adds]):.1f} s wall ({share:.0%} of (a)),"
        f" {median([add.cpu for add in adds]):.1f} s CPU ({cpu_share:.0%} of (a)),"
        f" {max(add.peak for add in adds):.0f} MiB peak"
    )


def report(
    options: argparse.Namespace,
    index: PackageIndex,
    following: str,
    rounds: list[Round],
    releases: int,
    sizes: tuple[int, int, int, int, int],
) -> None:
    total, reports, search, pages, last_pages = sizes
    wall = median([done.scratch.wall for done in rounds])
    cpu = median([done.scratch.cpu for done in rounds])
    peak = max(done.scratch.peak for done in rounds)
    verdict = "PASS" if wall <= WALL_TARGET and peak <= MEMORY_TARGET_MIB else "MISS"
    print(
        f"medians of {len(rounds)} rounds (each round's share is its add over its own from-scratch"
        " build, so load that changes between rounds falls on both)"
    )
    print(
        f"(a) from scratch, {releases} releases: {wall:.1f} s wall ({cpu:.1f} s CPU),"
        f" {peak:.0f} MiB peak  {verdict}"
    )
    for label, adds in (
        ("to the site of (a), built in one go", [done.next_first_add for done in rounds]),
        ("to a site updated release by release", [done.next_steady_add for done in rounds]),
    ):
        share, line = _add_line(adds, rounds)
        verdict = "PASS" if share <= ADD_ONE_SHARE else "MISS"
        print(f"(b) adding botocore {following} {label}: {line}  {verdict}")
    alone = [done.alone for done in rounds]
    alone_wall = [run.wall / done.scratch.wall for run, done in zip(alone, rounds, strict=True)]
    print(
        f"(b') the heaviest pair: botocore {options.last} holds {last_pages / pages:.0%} of the"
        f" ten releases' pages; its pair alone, as a site of its own from scratch:"
        f" {median([run.wall for run in alone]):.1f} s wall ({median(alone_wall):.0%} of (a)),"
        f" {median([run.cpu for run in alone]):.1f} s CPU"
    )
    for label, adds in (
        ("to the site built in one go", [done.first_add for done in rounds]),
        ("to a site updated release by release", [done.steady_add for done in rounds]),
    ):
        _share, line = _add_line(adds, rounds)
        beyond = median(
            [
                (add.wall - run.wall) / done.scratch.wall
                for add, run, done in zip(adds, alone, rounds, strict=True)
            ]
        )
        print(
            f"     adding botocore {options.last} {label}: {line};"
            f" {beyond:.0%} of (a) beyond its pair alone"
        )
    print(
        f"(c) size: {total / _MIB:.1f} MiB in all, {total / releases / _MIB:.1f} MiB a release"
        f" ({reports / releases / _MIB:.1f} MiB of it the stored Report,"
        f" {search / releases / _MIB:.2f} MiB the search index)"
    )
    every = [
        version
        for version in index.cache.read_versions("botocore") or []
        if version_key(options.estimate_from) <= version_key(version) <= version_key(options.last)
    ]
    print(
        f"(d) every release from {options.estimate_from} to {options.last} ({len(every)}):"
        f" about {len(every) * wall / releases / 3600:.1f} h from scratch"
        f" ({len(every) * cpu / releases / 3600:.1f} h of CPU),"
        f" {len(every) * total / releases / 1024**3:.1f} GiB, at the rate of (a) and (c)"
    )


if __name__ == "__main__":
    main()
