"""How fast `apidiff release` is with its wheels cached: the speed targets of issue 3.

    python benchmarks/bench_release.py [--runs N] [--wheels DIR] [--cache DIR]

(a) `apidiff release botocore==1.44.8 --since botocore==1.44.7 --format json --no-docs`, all
    services, both wheels in the cache: wall time (median of fresh processes) and peak memory;
(b) the same in text with the documentation of every changed operation;
(c) the source side of (a) alone, in process: opening both cached wheels (read, sha256, zip
    index), then reading every service's files and proving the unchanged ones unchanged.

With --wheels, the cache is seeded from wheels already on disk (named botocore-X-*.whl), so no
run needs the network; otherwise the first run fetches them from APIDIFF_PYPI_URL or PyPI.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import resource
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from apidiff.sources import PackageIndex, open_source, same_content  # noqa: E402
from apidiff.sources.cache import ReleaseFile, WheelCache  # noqa: E402
from apidiff.sources.pypi import FetchSettings  # noqa: E402

OLD, NEW = "1.44.7", "1.44.8"
TARGET_S = 1.0
TARGET_MIB = 300.0
_MAXRSS_BYTES = 1 if sys.platform == "darwin" else 1024
_RUN = "import sys; from apidiff.cli import main; main(sys.argv[1:])"


def seed(cache: WheelCache, wheels: Path) -> None:
    """Put wheels from disk into the cache as if they had been downloaded."""
    for version in (OLD, NEW):
        (path,) = wheels.glob(f"botocore-{version}-*.whl")
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


def run_cli(args: list[str], runs: int, env: dict[str, str]) -> tuple[float, float, float]:
    """Median wall seconds, median CPU seconds and peak MiB of `apidiff ARGS`, each run in a
    fresh process. CPU time is the steadier figure on a machine shared with other work."""
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", _RUN, *args],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=REPO_ROOT,
        )
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        # RUSAGE_CHILDREN keeps the largest child's peak, so a smaller later run shows none.
        peaks.append(max(before.ru_maxrss, after.ru_maxrss) * _MAXRSS_BYTES / 2**20)
    return statistics.median(walls), statistics.median(cpus), max(peaks)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--wheels", type=Path, help="seed the cache from these wheels")
    parser.add_argument("--cache", type=Path, default=REPO_ROOT / "benchmarks" / ".cache")
    parser.add_argument("--docs-runs", type=int, default=3)
    parser.add_argument("--skip-docs", action="store_true", help="leave out (b)")
    options = parser.parse_args()

    settings = FetchSettings.from_environment()
    settings = FetchSettings(cache_dir=options.cache, index_url=settings.index_url)
    if options.wheels:
        seed(WheelCache(options.cache), options.wheels)
    env = {**os.environ, "APIDIFF_CACHE_DIR": str(options.cache), "PYTHONPATH": str(REPO_ROOT)}
    release = ["release", f"botocore=={NEW}", "--since", f"botocore=={OLD}"]
    run_cli([*release, "--format", "json", "--no-docs"], 1, env)  # Fetches, if need be.

    env["APIDIFF_OFFLINE"] = "1"
    wall, cpu, peak = run_cli([*release, "--format", "json", "--no-docs"], options.runs, env)
    verdict = "ok" if wall <= TARGET_S and peak <= TARGET_MIB else "MISSED"
    print(
        f"(a) release json, no docs: {wall:.3f} s wall, {cpu:.3f} s CPU (medians),"
        f" {peak:.0f} MiB peak  (target <= {TARGET_S} s, <= {TARGET_MIB:.0f} MiB: {verdict})"
    )
    if not options.skip_docs:
        wall, cpu, peak = run_cli([*release, "--format", "text"], options.docs_runs, env)
        print(
            f"(b) release text, with docs: {wall:.3f} s wall, {cpu:.3f} s CPU (medians),"
            f" {peak:.0f} MiB peak"
        )
    opening, proving, unchanged = source_side(settings, options.runs)
    print(
        f"(c) source side: open both wheels {opening * 1000:.0f} ms;"
        f" read every service and prove {unchanged} unchanged {proving * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
