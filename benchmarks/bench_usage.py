"""How fast `apidiff usage` scans a large code base: the speed target of issue 12.

    python benchmarks/bench_usage.py [--files N] [--runs N] [--keep DIR]

Writes N Python files (10,000 by default) into a temporary folder, half of them calling boto3
in the forms the scan follows (clients in names, `self` attributes and factories, paginators,
waiters, nested dict literals, response reads in loops), half ordinary code that never names
boto3, then runs `python -m apidiff usage FOLDER --format json` as whole processes (this
checkout's code; the operation names come from the installed botocore): once to warm up, then
`--runs` times (3 by default). Prints the median wall and CPU seconds, the peak RSS, and PASS
or MISS against the target: at most 10 s wall for 10,000 files. The scan spreads the files over
every core (APIDIFF_JOBS=N sets how many processes); the load average before
and after the runs is printed too: other work stretches the wall time, hardly the CPU time.

Every run's JSON must hold exactly the calls the generator wrote, so a scan that got faster by
missing calls fails the benchmark instead of passing it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 10.0
TARGET_FILES = 10_000
_MAXRSS_BYTES = 1 if sys.platform == "darwin" else 1024
_MIB = 2**20

# Calls per file that uses boto3 in the template below: describe_instances, the waiter,
# receive_message, the paginator and put_object (making a client is not a call).
CALLS_PER_CLIENT_FILE = 5

_CLIENT_FILE = '''\
"""Module {index}: jobs against S3, EC2 and SQS."""

import logging

import boto3

LOG = logging.getLogger(__name__)
QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/queue-{index}"


def make_s3(region="us-east-1"):
    return boto3.client("s3", region_name=region)


class Worker{index}:
    def __init__(self, region):
        self.ec2 = boto3.client("ec2", region_name=region)
        self.sqs = boto3.Session(region_name=region).client("sqs")

    def running(self, tag):
        response = self.ec2.describe_instances(
            Filters=[
                {{"Name": "tag:team", "Values": [tag]}},
                {{"Name": "instance-state-name", "Values": ["running"]}},
            ]
        )
        for reservation in response["Reservations"]:
            for instance in reservation["Instances"]:
                LOG.info("instance %s", instance["InstanceId"])

    def wait_running(self, ids):
        self.ec2.get_waiter("instance_running").wait(InstanceIds=ids)

    def drain(self):
        message = self.sqs.receive_message(QueueUrl=QUEUE_URL, MaxNumberOfMessages=10)
        return [item["Body"] for item in message.get("Messages", [])]


def list_keys(bucket):
    s3 = make_s3()
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="{index}/"):
        for item in page.get("Contents", []):
            keys.append(item["Key"])
    return keys


def upload(bucket, body):
    options = {{"Bucket": bucket, "Key": "report-{index}.json", "Body": body}}
    return make_s3().put_object(**options)["ETag"]
'''

_PLAIN_FILE = '''\
"""Module {index}: arithmetic and text helpers, nothing about AWS."""

from dataclasses import dataclass


@dataclass
class Point{index}:
    x: float
    y: float

    def scaled(self, factor):
        return Point{index}(self.x * factor, self.y * factor)

    def distance(self, other):
        return ((self.x - other.x) ** 2 + (self.y - other.y) ** 2) ** 0.5


def words(text):
    counts = {{}}
    for word in text.lower().split():
        counts[word] = counts.get(word, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def fibonacci(limit):
    first, second = 0, 1
    while first < limit:
        yield first
        first, second = second, first + second


def table(rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(*rows)]
    return "\\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)) for row in rows
    )
'''


class BenchmarkError(Exception):
    """A command failed or found other calls than the generator wrote; the message says which."""


def write_code_base(folder: Path, files: int) -> int:
    """`files` modules in packages of 100; returns how many calls they make."""
    calls = 0
    for index in range(files):
        package = folder / f"package_{index // 100:03d}"
        package.mkdir(exist_ok=True)
        uses_boto3 = index % 2 == 0
        template = _CLIENT_FILE if uses_boto3 else _PLAIN_FILE
        (package / f"module_{index:05d}.py").write_text(template.format(index=index))
        calls += CALLS_PER_CLIENT_FILE if uses_boto3 else 0
    return calls


def run_scan(folder: Path, env: dict[str, str]) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak MiB and calls found of one `apidiff usage` process."""
    command = [sys.executable, "-m", "apidiff", "usage", str(folder), "--format", "json"]
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            stderr.seek(0)
            last = (stderr.read().decode(errors="replace").strip().splitlines() or ["?"])[-1]
            raise BenchmarkError(f"apidiff usage failed: {last}")
        stdout.seek(0)
        found = len(json.load(stdout)["calls"])
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * _MAXRSS_BYTES / _MIB, found


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=_positive, default=TARGET_FILES)
    parser.add_argument("--runs", type=_positive, default=3, help="runs after the warm-up")
    parser.add_argument("--keep", type=Path, help="write the code base here and keep it")
    options = parser.parse_args()

    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env |= {"PYTHONPATH": str(REPO_ROOT), "APIDIFF_OFFLINE": "1"}
    with tempfile.TemporaryDirectory(prefix="apidiff-bench-usage-") as scratch:
        folder = options.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        expected = write_code_base(folder, options.files)
        load_before = os.getloadavg()[0]
        try:
            runs = [run_scan(folder, env) for _ in range(options.runs + 1)][1:]
            for *_, found in runs:
                if found != expected:
                    raise BenchmarkError(f"found {found} calls; the code base makes {expected}")
        except BenchmarkError as error:
            print(f"bench_usage: {error}", file=sys.stderr)
            return 1
    load_after = os.getloadavg()[0]
    walls, cpus, peaks, _ = zip(*runs, strict=True)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    # The target is for 10,000 files; other sizes are judged pro rata.
    target = TARGET_S * options.files / TARGET_FILES
    verdict = "PASS" if wall <= target else "MISS"
    print(
        f"usage scan of {options.files} files ({expected} calls): {wall:.2f} s wall,"
        f" {cpu:.2f} s CPU (medians of {options.runs}), {max(peaks):.0f} MiB peak"
        f"  (target <= {target:g} s: {verdict}; load average {load_before:.1f} before,"
        f" {load_after:.1f} after)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
