"""How fast `apidiff site` builds, and how big the site is: the targets of issue 9.

    python benchmarks/bench_site.py [--cache DIR] [--first 1.43.127] [--last 1.44.8]

(a) from scratch: every release from FIRST to LAST (10 by default), each with the one before
    it, wheels from the cache: at most 60 s wall and 500 MiB peak memory;
(b) adding LAST to the site of FIRST..(the release before LAST): at most 20% of (a);
(c) the size on disk per release (pages, search index and stored Reports);
(d) from (a) and (c), an estimate for every botocore release since ESTIMATE_FROM (1.20.0).

Wall time on a shared machine is noisy: the CPU time (user + system, the build's and its
children's) is printed beside it, and the share of (b) in (a) is given for both.

Each build runs as a whole process (`python -m apidiff site ...`, this checkout's code) that
`os.wait4` measures. A warm-up first fetches any wheel missing from the cache (APIDIFF_CACHE_DIR,
by default benchmarks/.cache) from PyPI; the timed builds run offline.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=REPO_ROOT / "benchmarks" / ".cache")
    parser.add_argument("--first", default="1.43.127")
    parser.add_argument("--last", default="1.44.8")
    parser.add_argument("--estimate-from", default="1.20.0")
    options = parser.parse_args()
    environment = {**os.environ, "APIDIFF_CACHE_DIR": str(options.cache.resolve())}
    os.environ["APIDIFF_CACHE_DIR"] = environment["APIDIFF_CACHE_DIR"]
    index = PackageIndex.from_environment()
    before_last = index.previous_version("botocore", options.last, options.last)
    everything = f"botocore=={options.first}..botocore=={options.last}"
    all_but_last = f"botocore=={options.first}..botocore=={before_last}"
    offline = {**environment, "APIDIFF_OFFLINE": "1"}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        print(f"warm-up: fetching the wheels of {everything} into {options.cache}", flush=True)
        run_site([everything, "--out", str(root / "warm-up")], environment)
        shutil.rmtree(root / "warm-up")
        wall, cpu, peak = run_site([everything, "--out", str(root / "scratch")], offline)
        releases = len(list((root / "scratch" / "releases").glob("*/index.html")))
        total = size_of(root / "scratch")
        reports = size_of(root / "scratch" / "reports")
        search = size_of(root / "scratch" / "pagefind")
        pages = size_of(root / "scratch" / "releases")
        last_pages = size_of(root / "scratch" / "releases" / options.last)
        run_site([all_but_last, "--out", str(root / "grown")], offline)
        add_wall, add_cpu, add_peak = run_site(
            [f"botocore=={options.last}", "--out", str(root / "grown")], offline
        )
    verdict = "PASS" if wall <= WALL_TARGET and peak <= MEMORY_TARGET_MIB else "MISS"
    add_verdict = "PASS" if add_wall <= ADD_ONE_SHARE * wall else "MISS"
    print(
        f"(a) from scratch, {releases} releases: {wall:.1f} s wall ({cpu:.1f} s CPU),"
        f" {peak:.0f} MiB peak  {verdict}"
    )
    print(
        f"(b) adding botocore {options.last}: {add_wall:.1f} s wall ({add_wall / wall:.0%} of (a)),"
        f" {add_cpu:.1f} s CPU ({add_cpu / cpu:.0%} of (a)), {add_peak:.0f} MiB peak  {add_verdict}"
    )
    print(
        f"    botocore {options.last} holds {last_pages / pages:.0%} of the ten releases' pages:"
        " (b) is its own work and what spans releases (lists, histories, feeds, the swap)"
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
