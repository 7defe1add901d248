#!/usr/bin/env python3
"""Prove our method documentation against botocore.docs over every operation of a release.

    python scripts/prove_docs.py botocore==1.44.8 [--service NAME ...] [--jobs N]
        [--out proof.json] [--offline]

For every operation of every service in the source (any apidiff source: `botocore==X`, a wheel,
a data folder, `bundled:NAME`), renders the method documentation twice: with apidiff's own
renderer, and with botocore.docs + docutils (the oracle in tests/oracle). Both texts become
tokens, whitespace and layout aside (tests/oracle/proof.py), and every stretch where they
differ is classified: `truncation` (botocore replaced a section with "This section is too large
to render"), `botocore` (its reStructuredText misread the model's text as markup) or `ours`.

Prints one line per service (operations, operations that differ, differences by cause, time
in each renderer), then the totals and every difference of cause `ours`. `--out` writes all of
it as JSON, with the first differences of each cause per service as examples. The oracle runs
the installed botocore's documenters: the figures are for that botocore.

Exit status: 0 when no difference is ours, 1 when some are, 3 when the source cannot be had.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import botocore  # noqa: E402
import botocore.model  # noqa: E402

from apidiff.errors import ApidiffError  # noqa: E402
from apidiff.model.load import load_service_model  # noqa: E402
from apidiff.report.method_docs import MethodDocumenter  # noqa: E402
from apidiff.sources import open_source  # noqa: E402
from tests.oracle.proof import Cause, differences, oracle_lines, our_lines, tokens  # noqa: E402

# How many differences of each cause a service keeps as examples.
EXAMPLES = 3


@dataclass
class ServiceProof:
    service: str
    operations: int = 0
    differing: int = 0
    causes: dict[str, int] = field(default_factory=dict)
    ours_seconds: float = 0.0
    oracle_seconds: float = 0.0
    examples: list[dict[str, str]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def prove_service(spec: str, service: str) -> ServiceProof:
    source = open_source(spec)
    model = load_service_model(source.service_files(service), source.provenance)
    oracle_model = botocore.model.ServiceModel(dict(model.document), service_name=service)
    proof = ServiceProof(service)
    kept: Counter[str] = Counter()
    documenter = MethodDocumenter(model)
    for operation in model.operations:
        proof.operations += 1
        started = time.perf_counter()
        ours = tokens(our_lines(model, operation, documenter), ours=True)
        proof.ours_seconds += time.perf_counter() - started
        started = time.perf_counter()
        try:
            oracle = tokens(oracle_lines(oracle_model, operation), ours=False)
        except Exception as error:  # the oracle itself failing is a finding, not a crash
            proof.failures.append(f"{operation}: botocore.docs failed: {error!r}")
            continue
        finally:
            proof.oracle_seconds += time.perf_counter() - started
        found = differences(ours, oracle)
        proof.differing += bool(found)
        for difference in found:
            proof.causes[difference.cause] = proof.causes.get(difference.cause, 0) + 1
            if kept[difference.cause] < EXAMPLES or difference.cause is Cause.OURS:
                kept[difference.cause] += 1
                proof.examples.append(
                    {
                        "operation": operation,
                        "cause": difference.cause,
                        "ours": difference.ours[:400],
                        "botocore": difference.oracle[:400],
                    }
                )
    return proof


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="an apidiff source, e.g. botocore==1.44.8")
    parser.add_argument("--service", action="append", default=[], help="only these services")
    parser.add_argument("--jobs", type=int, default=1, help="services proven at once")
    parser.add_argument("--out", type=Path, help="write the results as JSON")
    parser.add_argument("--offline", action="store_true", help="use the download cache only")
    args = parser.parse_args(argv)
    if args.offline:
        import os

        os.environ["APIDIFF_OFFLINE"] = "1"
    try:
        services = args.service or list(open_source(args.source).services())
    except ApidiffError as error:
        print(f"prove_docs: {error}", file=sys.stderr)
        return 3
    started = time.perf_counter()
    proofs = list(_proofs(args.source, services, args.jobs))
    elapsed = time.perf_counter() - started
    totals = _totals(proofs)
    print(
        f"\n{totals['services']} services, {totals['operations']} operations in {elapsed:.0f} s;"
        f" {totals['differing']} differ from botocore.docs ({dict(totals['causes'])})."
        f" Rendering: ours {totals['ours_seconds']:.1f} s,"
        f" botocore.docs + docutils {totals['oracle_seconds']:.1f} s"
        f" (botocore {botocore.__version__})."
    )
    ours = [
        (proof.service, example)
        for proof in proofs
        for example in proof.examples
        if example["cause"] == Cause.OURS
    ]
    for service, example in ours:
        print(f"OURS {service}.{example['operation']}: ours {example['ours']!r}")
        print(f"     botocore {example['botocore']!r}")
    for proof in proofs:
        for failure in proof.failures:
            print(f"ORACLE FAILED {proof.service}.{failure}")
    if args.out:
        document: dict[str, Any] = {
            "source": args.source,
            "botocore": botocore.__version__,
            "totals": totals,
            "services": [asdict(proof) for proof in proofs],
        }
        args.out.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", "utf-8")
    return 1 if totals["causes"].get(Cause.OURS) else 0


def _proofs(spec: str, services: list[str], jobs: int) -> Iterator[ServiceProof]:
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for proof in pool.map(prove_service, [spec] * len(services), services):
            causes = ", ".join(f"{cause} {count}" for cause, count in sorted(proof.causes.items()))
            print(
                f"{proof.service:40} {proof.operations:5} operations {proof.differing:4} differ"
                f"  ours {proof.ours_seconds:6.2f} s  botocore {proof.oracle_seconds:7.2f} s"
                f"  {causes}",
                flush=True,
            )
            yield proof


def _totals(proofs: list[ServiceProof]) -> dict[str, Any]:
    causes: Counter[str] = Counter()
    for proof in proofs:
        causes.update(proof.causes)
    return {
        "services": len(proofs),
        "operations": sum(proof.operations for proof in proofs),
        "differing": sum(proof.differing for proof in proofs),
        "causes": {str(cause): count for cause, count in sorted(causes.items())},
        "ours_seconds": round(sum(proof.ours_seconds for proof in proofs), 2),
        "oracle_seconds": round(sum(proof.oracle_seconds for proof in proofs), 2),
        "oracle_failures": sum(len(proof.failures) for proof in proofs),
    }


if __name__ == "__main__":
    sys.exit(main())
