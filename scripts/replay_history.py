#!/usr/bin/env python3
"""Replay sampled findings of check_history.py in the real botocore of their two releases.

    python scripts/replay_history.py history.json --out replay.json [--hand FIXTURE] [--offline]

For each breaking and risky finding in the `samples` of a check_history.py summary, a
caller of the old release is replayed: a real client of the old release's botocore (its
wheel extracted and put first on the path of a subprocess) builds a call that meets the
change (params valid for the old model, with a value at the changed member), sends it to a
`before-send` handler that records the request and answers with a canned response encoded as
the service's protocol sends it, and parses the answer. A subprocess with the new release's
botocore then makes the same call with the same answer, and parses a response its own model
allows. The finding is reproduced when the new release turns what the old one did into a
failure or a difference a caller sees: ParamValidationError naming the member,
AttributeError for a removed method or exception, UnknownServiceError, a request serialized
differently by a change that can do so (URL, body, headers), a response parsed without a
member or with another type, a waiter deciding otherwise, a retry count or an endpoint that
changed.

`--out` writes each finding with its replay (reproduced or not, and what happened); `--hand`
carries over the hand verdicts of a fixture with the same findings (by fingerprint), so the
fixture can be regenerated without losing them.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from replay_worker import path_steps  # noqa: E402

from apidiff.errors import ApidiffError  # noqa: E402
from apidiff.sources import PackageIndex  # noqa: E402

WORKER = Path(__file__).resolve().parent / "replay_worker.py"
CHANGE_IDENTITY = ("kind", "shape", "member", "operation", "aspect")
Finding = dict[str, Any]
Probe = dict[str, Any]
Outcome = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Botocore:
    """Where a replay finds botocore: a folder put first on PYTHONPATH (an extracted wheel)
    and/or a folder of models searched before botocore's own data."""

    version: str
    pythonpath: Path | None = None
    data_dir: Path | None = None


@dataclass(frozen=True, slots=True)
class Replay:
    """Whether the new release did something a caller of the old one sees, and what."""

    reproduced: bool
    outcome: str


# --- the releases


@contextmanager
def extracted_releases(
    index: PackageIndex, versions: Sequence[str], services: set[str]
) -> Iterator[dict[str, Botocore]]:
    """Each release's botocore package out of its wheel, with the data of `services` only
    (and the release-wide files: endpoints, partitions, retry and default configuration)."""
    with tempfile.TemporaryDirectory(prefix="apidiff-replay-") as root:
        releases = {}
        for version in versions:
            spec = f"botocore=={version}"
            wheel = index.wheel(index.release("botocore", version, spec), spec)
            folder = Path(root) / version
            with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
                archive.extractall(folder, _wanted(archive.namelist(), services))
            releases[version] = Botocore(version, pythonpath=folder)
        yield releases


def _wanted(names: Sequence[str], services: set[str]) -> list[str]:
    wanted = []
    for name in names:
        parts = name.split("/")
        if parts[0] != "botocore":
            continue
        if parts[1:2] == ["data"] and len(parts) > 3 and parts[2] not in services:
            continue
        wanted.append(name)
    return wanted


# --- probes: what to try for each finding


def probes_for(finding: Finding) -> list[Probe]:
    """The tries that meet the finding's change on a client of its service."""
    change, rule, service = finding["change"], finding["rule"], finding["service"]
    base: Probe = {"service": service, "change": change, "detail": finding.get("detail")}
    if rule == "service.removed":
        return [base | {"probe": "client"}]
    if rule in ("error.removed", "error.exception.removed"):
        return [base | {"probe": "exception", "name": change["shape"]}]
    if rule.startswith("paginator."):
        return [base | {"probe": "paginator", "operation": change["operation"]}]
    if rule.startswith("waiter."):
        return [_waiter_probe(base, finding)]
    if rule == "endpoint.changed":
        return [base | {"probe": "endpoint", "parameters": endpoint_parameters(finding)}]
    if rule == "error.behaviour.changed":
        operation = finding["reaches"][0]["operation"]
        return [base | {"probe": "call", "operation": operation, "error_code": change["shape"]}]
    return [
        base
        | {"probe": "call", "operation": reach["operation"], "position": reach["position"]}
        | {"path": reach["path"]}
        for reach in _chosen_reaches(finding)
    ]


def _chosen_reaches(finding: Finding) -> list[dict[str, Any]]:
    """The first reach in a request and the first in a response: a change met on both sides
    is replayed on both; one met by a whole operation once."""
    chosen: dict[str, dict[str, Any]] = {}
    for reach in finding["reaches"]:
        chosen.setdefault(reach["position"], reach)
    return [
        chosen[position] for position in ("operation", "request", "response") if position in chosen
    ][:2]


def _waiter_probe(base: Probe, finding: Finding) -> Probe:
    change = finding["change"]
    name = (change["aspect"] or "").split(".")[0]
    acceptors = []
    for side in ("old", "new"):
        value = change[side]
        if isinstance(value, list):
            acceptors.extend(acceptor for acceptor in value if isinstance(acceptor, dict))
    return base | {
        "probe": "waiter",
        "name": name,
        "operation": change["operation"],
        "acceptors": acceptors,
    }


def endpoint_parameters(finding: Finding) -> dict[str, Any]:
    """The first parameter set of an endpoint finding, as the resolver takes it."""
    text = finding["description"].split("endpoint for ", 1)[1].split(" changed:", 1)[0]
    text = text.split(" (and ", 1)[0]
    parameters: dict[str, Any] = {}
    for pair in text.split(", "):
        name, _, value = pair.partition("=")
        parameters[name] = {"true": True, "false": False}.get(value, value)
    return parameters


# --- running probes in a release


def run_probes(release: Botocore, probes: list[Probe]) -> list[Outcome]:
    """The outcomes of `probes` on clients of `release`'s botocore, in a process of its own."""
    environment = dict(os.environ)
    if release.pythonpath is not None:
        environment["PYTHONPATH"] = str(release.pythonpath)
    else:
        environment.pop("PYTHONPATH", None)
    command = [sys.executable, str(WORKER)]
    if release.data_dir is not None:
        command += ["--data-dir", str(release.data_dir)]
    done = subprocess.run(
        command,
        input=json.dumps(probes),
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"replay in botocore {release.version} failed:\n{done.stderr}")
    answer = json.loads(done.stdout)
    if release.pythonpath is not None and answer["botocore"] != release.version:
        raise RuntimeError(f"botocore {answer['botocore']} ran instead of {release.version}")
    outcomes: list[Outcome] = answer["outcomes"]
    return outcomes


def replay_pair(old: Botocore, new: Botocore, findings: Sequence[Finding]) -> list[Replay]:
    """Each finding replayed: built and run under `old`, run again under `new`."""
    probes = [probes_for(finding) for finding in findings]
    flat = [probe for group in probes for probe in group]
    old_outcomes = run_probes(old, flat)
    again = [_again(probe, outcome) for probe, outcome in zip(flat, old_outcomes, strict=True)]
    new_outcomes = run_probes(new, again)
    replays = []
    position = 0
    for finding, group in zip(findings, probes, strict=True):
        judged = [
            judge(probe, old_outcomes[position + offset], new_outcomes[position + offset])
            for offset, probe in enumerate(group)
        ]
        position += len(group)
        replays.append(_combined(finding, judged))
    return replays


def _again(probe: Probe, old: Outcome) -> Probe:
    """The probe for the new release: the old release's params and answers, but where the
    change is in a response, params the new release accepts (the request is not what is
    replayed, and may have changed for other reasons)."""
    keys = ("answers",) if probe.get("position") == "response" else ("params", "answers", "pages")
    return probe | {key: old[key] for key in keys if key in old}


def _combined(finding: Finding, judged: list[Replay]) -> Replay:
    if not judged:
        return Replay(False, "nothing to replay")
    reproduced = [replay for replay in judged if replay.reproduced]
    if reproduced:
        return Replay(True, "; ".join(replay.outcome for replay in reproduced))
    return Replay(False, "; ".join(replay.outcome for replay in judged))


# --- judging: what the new release does differently


def judge(probe: Probe, old: Outcome, new: Outcome) -> Replay:
    kind = probe["probe"]
    if kind == "call":
        return _judge_call(probe, old, new)
    if kind == "paginator" and isinstance(old.get("paginator"), dict):
        return _judge_paginator(old, new)
    key = {"client": "client", "exception": "exception", "paginator": "paginator"}.get(kind)
    if key is not None:
        return _judge_value(kind, old.get(key, old.get("client")), new.get(key, new.get("client")))
    if kind == "waiter":
        if old.get("waiter") != new.get("waiter"):
            return Replay(True, f"waiter: {old.get('waiter')} -> {new.get('waiter')}")
        differ = {
            label: (old["outcomes"][label], new["outcomes"].get(label))
            for label in old.get("outcomes", {})
            if old["outcomes"][label] != new["outcomes"].get(label)
        }
        if differ:
            shown = "; ".join(f"{label}: {was} -> {now}" for label, (was, now) in differ.items())
            return Replay(True, f"waiter decides otherwise: {shown}")
        return Replay(False, f"waiter decides alike on {len(old.get('outcomes', {}))} responses")
    return _judge_value("endpoint", old.get("endpoint"), new.get("endpoint"))


def _judge_paginator(old: Outcome, new: Outcome) -> Replay:
    """A paginator gone, or one whose build_full_result() gives another result for the same
    pages."""
    if not isinstance(new.get("paginator"), dict):
        return _judge_value(
            "paginator", old.get("paginator"), new.get("paginator", new.get("client"))
        )
    before, after = old["full_result"], new["full_result"]
    if before == after:
        return Replay(False, f"build_full_result() alike in both: {_short(before)}")
    return Replay(True, f"build_full_result(): {_short(before)} -> {_short(after)}")


def _judge_value(what: str, old: Any, new: Any) -> Replay:
    if old == new:
        return Replay(False, f"{what} alike in both: {_short(old)}")
    return Replay(True, f"{what}: {_short(old)} -> {_short(new)}")


def _judge_call(probe: Probe, old: Outcome, new: Outcome) -> Replay:
    where = f"{probe['operation']}"
    if "calls" not in old:
        return Replay(False, f"not replayed: {old.get('error') or old.get('crash')}")
    if "client" in new:
        return Replay(True, f"{where}: {new['client']}")
    if "calls" not in new:
        return Replay(
            False, f"not replayed in the new release: {new.get('error') or new.get('crash')}"
        )
    old_call, new_call = old["calls"]["response"], new["calls"]["response"]
    if "error" in old_call:
        return Replay(False, f"{where}: fails in the old release too: {_short(old_call['error'])}")
    if "error" in new_call:
        return _judge_failure(probe, where, new_call["error"])
    if "error" in old["calls"]:
        return _judge_retries(probe, where, old["calls"]["error"], new["calls"]["error"])
    if probe.get("position") == "response":
        return _judge_response(probe, old_call, new_call, new["calls"].get("own response"))
    sent_old, sent_new = old_call.get("sent", []), new_call.get("sent", [])
    if sent_old == sent_new:
        return Replay(False, f"{where}: accepted and sent alike in both")
    difference = _request_difference(sent_old, sent_new)
    if probe["change"]["kind"] not in SERIALIZING_KINDS:
        # A constraint, an enum or a requiredness never changes what botocore sends; another
        # change of the same release did.
        return Replay(False, f"{where}: accepted; sent otherwise, by other changes: {difference}")
    return Replay(True, f"{where}: request differs: {difference}")


def _judge_failure(probe: Probe, where: str, error: str) -> Replay:
    """A new failure counts where it is the change's doing: a removed method, or a
    ParamValidationError line that names the changed member (the others are other changes)."""
    if not error.startswith("ParamValidationError"):
        return Replay(True, f"{where}: {_short(error)}")
    name = _member_name(probe)
    lines = [line.split(", must be one of:")[0] for line in error.splitlines()[1:]]
    named = [
        line
        for line in lines
        if name and re.search(rf'"{name}"|\b{name}(\[\d+\])?[,:\s]|\b{name}$', line)
    ]
    if named:
        return Replay(True, f"{where}: ParamValidationError: {_short(named[0])}")
    return Replay(False, f"{where}: rejected, but for other changes: {_short(' / '.join(lines))}")


def _member_name(probe: Probe) -> str | None:
    steps = [
        step for step in re.split(r"[.\[\]{}]+", probe.get("path", "")) if step and step != "key"
    ]
    return steps[-1] if steps else probe["change"].get("member")


def _judge_retries(probe: Probe, where: str, old: Outcome, new: Outcome) -> Replay:
    code = probe["error_code"]
    if old["attempts"] != new["attempts"]:
        return Replay(True, f"{where}: {code} sent {old['attempts']} times -> {new['attempts']}")
    return Replay(False, f"{where}: {code} sent {old['attempts']} times in both")


def _judge_response(
    probe: Probe, old_call: Outcome, new_call: Outcome, own: Outcome | None
) -> Replay:
    where = f"{probe['operation']} response {probe['path']}"
    before = _at_path(old_call.get("result"), probe["path"])
    after = _at_path(new_call.get("result"), probe["path"])
    if before != after:
        return Replay(True, f"{where}: the same bytes parse as {_short(before)} -> {_short(after)}")
    if own is not None and probe["change"]["kind"] in SETTLED_KINDS:
        settled = _at_path(own.get("result"), probe["path"])
        if _kind(settled) != _kind(before):
            return Replay(
                True,
                f"{where}: a response of the new model gives {_short(settled)},"
                f" not {_short(before)}",
            )
    return Replay(False, f"{where}: parsed alike ({_short(before)})")


# Changes that can alter the request botocore serializes (its URL, method, headers or body).
SERIALIZING_KINDS = frozenset(
    {
        "operation.http.changed",
        "operation.trait.changed",
        "operation.input.changed",
        "member.trait.changed",
        "shape.trait.changed",
        "member.target.changed",
        "member.type.changed",
        "shape.type.changed",
        "metadata.changed",
    }
)
MISSING = "<missing>"
# Changes a caller meets once the service answers as the new model says (a member it may now
# leave out, a value of another type), not in the old service's bytes parsed anew.
SETTLED_KINDS = frozenset(
    {
        "member.required.removed",
        "member.type.changed",
        "shape.type.changed",
        "member.target.changed",
    }
)


def _at_path(value: Any, path: str) -> Any:
    for step in path_steps(path):
        if step == "[]":
            value = value[0] if isinstance(value, list) and value else MISSING
        elif step in ("{}", "{key}"):
            if not isinstance(value, dict) or not value:
                return MISSING
            value = next(iter(value)) if step == "{key}" else next(iter(value.values()))
        elif isinstance(value, dict) and step in value:
            value = value[step]
        else:
            return MISSING
    return value


def _kind(value: Any) -> str:
    if value == MISSING:
        return MISSING
    if isinstance(value, dict) and set(value) in ({"$timestamp"}, {"$bytes"}):
        return next(iter(value))
    return type(value).__name__


def _request_difference(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> str:
    if not old or not new:
        return f"{len(old)} -> {len(new)} requests sent"
    parts = []
    for key in ("method", "url", "body", "headers"):
        if old[0].get(key) != new[0].get(key):
            parts.append(f"{key} {_short(old[0].get(key))} -> {_short(new[0].get(key))}")
    return ", ".join(parts)


def _short(value: Any, limit: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- the command


def sampled_findings(summary: dict[str, Any]) -> list[Finding]:
    return [
        finding for severity in ("breaking", "risky") for finding in summary["samples"][severity]
    ]


def replay_findings(index: PackageIndex, findings: Sequence[Finding]) -> list[Replay]:
    by_pair: dict[str, list[int]] = {}
    for position, finding in enumerate(findings):
        by_pair.setdefault(finding["pair"], []).append(position)
    versions = sorted({version for pair in by_pair for version in pair.split(" -> ")})
    services = {finding["service"] for finding in findings}
    replays: list[Replay | None] = [None] * len(findings)
    with extracted_releases(index, versions, services) as releases:
        for pair, positions in by_pair.items():
            old, new = pair.split(" -> ")
            print(f"{pair}: {len(positions)} findings", file=sys.stderr)
            chosen = [findings[position] for position in positions]
            for position, replay in zip(
                positions, replay_pair(releases[old], releases[new], chosen), strict=True
            ):
                replays[position] = replay
    return [replay for replay in replays if replay is not None]


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("summary", type=Path, help="the JSON of check_history.py --out")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--hand", type=Path, help="a fixture whose hand verdicts to keep")
    parser.add_argument("--offline", action="store_true")
    arguments = parser.parse_args(argv)
    summary = json.loads(arguments.summary.read_text(encoding="utf-8"))
    if "samples" not in summary:
        print(
            f"replay_history: {arguments.summary} holds no samples of check_history.py --out",
            file=sys.stderr,
        )
        return 2
    findings = sampled_findings(summary)
    hand = {}
    if arguments.hand and arguments.hand.exists():
        hand = {
            entry["fingerprint"]: entry
            for entry in json.loads(arguments.hand.read_text())["findings"]
        }
    try:
        index = PackageIndex.from_environment(offline=arguments.offline)
        replays = replay_findings(index, findings)
    except ApidiffError as error:
        print(f"replay_history: {error}", file=sys.stderr)
        return int(error.exit_status)
    entries = []
    for finding, replay in zip(findings, replays, strict=True):
        kept = hand.get(finding["fingerprint"], {})
        entries.append(
            {
                key: finding[key]
                for key in (
                    "fingerprint",
                    "pair",
                    "service",
                    "rule",
                    "severity",
                    "location",
                    "description",
                )
            }
            | {
                # What identifies the change, for finding it again in a later run.
                "change": {key: finding["change"][key] for key in CHANGE_IDENTITY},
                "reproduced": replay.reproduced,
                "replay": replay.outcome,
                "hand": kept.get("hand"),
                "note": kept.get("note"),
            }
            # A false positive the check stopped listing after it was judged: by what change.
            | ({"fixed": kept["fixed"]} if kept.get("fixed") else {})
        )
    replayed = {
        "perspective": summary.get("perspective"),
        "releases": summary.get("releases"),
        "findings": entries,
    }
    arguments.out.write_text(json.dumps(replayed, indent=2) + "\n", encoding="utf-8")
    reproduced = sum(entry["reproduced"] for entry in entries)
    print(f"{reproduced} of {len(entries)} reproduced; wrote {arguments.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
