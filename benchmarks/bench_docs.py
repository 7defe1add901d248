"""How fast method documentation is: our renderer against botocore.docs + docutils (issue 7).

    python benchmarks/bench_docs.py [--runs N] [--cache DIR] [--service sagemaker]

(a) Per operation, over every operation of SageMaker in botocore 1.44.8: the median time to
    document one operation
      - the old way: botocore.docs' reStructuredText rendered by docutils into HTML (the code
        the tool ran before, kept as the test oracle in tests/oracle/botocore_docs.py), with one
        botocore model for the service, as the tool built it;
      - our way: the MethodDoc a Report holds, alone, then with its HTML fragment, then with its
        text (the outputs the tool shows, each like for like with the old way's HTML).
    Each pass documents every operation in model order; the figure of a pass is the median over
    its operations. Ours starts each pass cold (a new documenter, every memo emptied) and uses
    one documenter for the service's operations, as a release does for each service (the old
    way likewise kept one botocore model per service). The passes of the old way and of ours
    take turns, so that a change in the machine's load falls on both: each round gives a ratio
    (old / ours), and the verdict is on the median ratio over `--runs` rounds (min and max
    shown). Target: at least 50 times faster.
(a') The same with each operation alone: a new documenter and empty memos for every operation
    (the model's acyclic shapes, a walk of the whole model done once per service like the old
    way's botocore model, computed beforehand). Shown for what it says, not the target.
(b) The README's notes command end to end, as whole processes (one warm-up, then `--runs`):
    `apidiff notes bundled:botocore-1.20.40 bundled:botocore-1.20.41 --service sagemaker`.
    Target: at most 0.5 s.

The wheel comes from apidiff's cache (`--cache`, default benchmarks/.cache, shared with
bench_release.py); the first run downloads it from APIDIFF_PYPI_URL or PyPI.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import botocore.model  # noqa: E402

from apidiff.model import ServiceModel  # noqa: E402
from apidiff.model.load import load_service_model  # noqa: E402
from apidiff.render import method_html as method_html_module  # noqa: E402
from apidiff.render import method_text  # noqa: E402
from apidiff.render.method_html import method_html  # noqa: E402
from apidiff.render.method_text import method_text_lines  # noqa: E402
from apidiff.report import doc_html  # noqa: E402
from apidiff.report.method_docs import (  # noqa: E402
    MethodDoc,
    MethodDocumenter,
    acyclic_shapes,
)
from apidiff.sources import open_source  # noqa: E402
from tests.oracle.botocore_docs import document_method as botocore_document_method  # noqa: E402

RELEASE = "botocore==1.44.8"
RATIO_TARGET = 50.0
NOTES = ("notes", "bundled:botocore-1.20.40", "bundled:botocore-1.20.41", "--service", "sagemaker")
NOTES_TARGET_S = 0.5


Render = Callable[[MethodDoc], object]


def per_operation(document: Callable[[str], object], operations: list[str]) -> float:
    """The median seconds to document one operation, over all of them, in one pass."""
    times = []
    for operation in operations:
        start = time.perf_counter()
        document(operation)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def forget_memos() -> None:
    doc_html.clean_documentation.cache_clear()
    method_text.clear_memos()
    method_html_module.clear_memo()


def ours(model: ServiceModel, render: Render | None) -> Callable[[str], object]:
    """One pass of ours, cold: a new documenter for the service, every memo emptied."""
    forget_memos()
    documenter = MethodDocumenter(model)

    def document(operation: str) -> object:
        doc = documenter.document(operation)
        return render(doc) if render else doc

    return document


def alone(
    model: ServiceModel, acyclic: frozenset[str], render: Render | None
) -> Callable[[str], object]:
    """Ours with each operation alone: a new documenter and empty memos for every one."""

    def document(operation: str) -> object:
        forget_memos()
        doc = MethodDocumenter(model, acyclic).document(operation)
        return render(doc) if render else doc

    return document


def milliseconds(passes: list[float]) -> str:
    """The median of the passes, and their spread, in milliseconds."""
    return (
        f"{statistics.median(passes) * 1000:8.3f} ms"
        f" ({min(passes) * 1000:.3f}-{max(passes) * 1000:.3f})"
    )


def notes_seconds(runs: int) -> float:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(REPO_ROOT)
    command = [sys.executable, "-m", "apidiff", *NOTES]
    walls = []
    for run in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, check=True)
        if run:  # the first is the warm-up
            walls.append(time.perf_counter() - start)
    return statistics.median(walls)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds (and processes) to time")
    parser.add_argument("--cache", type=Path, default=REPO_ROOT / "benchmarks" / ".cache")
    parser.add_argument("--service", default="sagemaker")
    options = parser.parse_args()
    os.environ["APIDIFF_CACHE_DIR"] = str(options.cache)

    source = open_source(RELEASE)
    model = load_service_model(source.service_files(options.service), source.provenance)
    operations = list(model.operations)
    old_model = botocore.model.ServiceModel(dict(model.document), service_name=options.service)
    acyclic = acyclic_shapes(model.shapes)
    renders: dict[str, Render | None] = {
        "MethodDoc": None,
        "MethodDoc + HTML": method_html,
        "MethodDoc + text": method_text_lines,
    }
    print(f"load average before: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    old: list[float] = []
    timed: dict[tuple[str, bool], list[float]] = {
        (label, lone): [] for label in renders for lone in (False, True)
    }
    for _ in range(options.runs):
        old.append(
            per_operation(lambda name: botocore_document_method(old_model, name), operations)
        )
        for label, render in renders.items():
            timed[label, False].append(per_operation(ours(model, render), operations))
            timed[label, True].append(per_operation(alone(model, acyclic, render), operations))
    forget_memos()
    print(f"(a) {options.service} in {RELEASE}, {len(operations)} operations, median per operation")
    print(f"    botocore.docs + docutils (HTML)   {milliseconds(old)}")
    for heading, lone in (
        ("one documenter per service (the target)", False),
        ("each operation alone (a')", True),
    ):
        print(f"    ours, {heading}:")
        for label in renders:
            seconds = timed[label, lone]
            ratios = [before / after for before, after in zip(old, seconds, strict=True)]
            ratio = statistics.median(ratios)
            verdict = "PASS" if ratio >= RATIO_TARGET else "MISS"
            print(
                f"      {label:30} {milliseconds(seconds)}  {ratio:6.1f}x faster"
                f" ({min(ratios):.1f}-{max(ratios):.1f})"
                + (f"  (target >= {RATIO_TARGET:g}x: {verdict})" if not lone else "")
            )
    print(f"load average after: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    wall = notes_seconds(options.runs)
    verdict = "PASS" if wall <= NOTES_TARGET_S else "MISS"
    print(
        f"(b) apidiff {' '.join(NOTES)}: {wall:.3f} s wall, median"
        f"  (target <= {NOTES_TARGET_S:g} s: {verdict})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
