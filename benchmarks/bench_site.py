"""How fast `apidiff site` builds, and how big the site is: the targets of issue 9.

    python benchmarks/bench_site.py [--cache DIR] [--first 1.43.127] [--last 1.44.8]

(a) from scratch: every release from FIRST to LAST (10 by default), each with the one before
    it, wheels from the cache: at most 60 s wall and 500 MiB peak memory;
(b) adding LAST to the site of FIRST..(the release before LAST): at most 20% of (a);
(c) the size on disk per release (pages and stored Reports).

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

WALL_TARGET = 60.0
MEMORY_TARGET_MIB = 500.0
ADD_ONE_SHARE = 0.20
_MIB = 1024 * 1024


def run_site(arguments: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MiB) of one `apidiff site` process."""
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
    return wall, usage.ru_maxrss / 1024  # KiB on Linux


def size_of(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=REPO_ROOT / "benchmarks" / ".cache")
    parser.add_argument("--first", default="1.43.127")
    parser.add_argument("--last", default="1.44.8")
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
        wall, peak = run_site([everything, "--out", str(root / "scratch")], offline)
        releases = len(list((root / "scratch" / "releases").glob("*/index.html")))
        total = size_of(root / "scratch")
        reports = size_of(root / "scratch" / "reports")
        run_site([all_but_last, "--out", str(root / "grown")], offline)
        add_wall, add_peak = run_site(
            [f"botocore=={options.last}", "--out", str(root / "grown")], offline
        )
    verdict = "PASS" if wall <= WALL_TARGET and peak <= MEMORY_TARGET_MIB else "MISS"
    add_verdict = "PASS" if add_wall <= ADD_ONE_SHARE * wall else "MISS"
    print(
        f"(a) from scratch, {releases} releases: {wall:.1f} s wall, {peak:.0f} MiB peak  {verdict}"
    )
    print(
        f"(b) adding botocore {options.last}: {add_wall:.1f} s wall"
        f" ({add_wall / wall:.0%} of (a)), {add_peak:.0f} MiB peak  {add_verdict}"
    )
    print(
        f"(c) size: {total / _MIB:.1f} MiB in all, {total / releases / _MIB:.1f} MiB a release"
        f" ({reports / releases / _MIB:.1f} MiB of it the stored Report)"
    )


if __name__ == "__main__":
    main()
