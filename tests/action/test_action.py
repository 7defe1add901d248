"""The GitHub Action (action.yml), its steps run as the runner runs them, in a clone whose
branch bumps botocore 1.20.73 -> 1.20.74 (which removes iotdeviceadvisor's ListTestCases and
a member of StartSuiteRun's request): annotations at the lines of the calls it breaks, the
job summary (findings, then release notes), the exit status per fail-on, and the path where
the lock files' botocore did not change."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from apidiff.cli.check import STEP_SUMMARY_LIMIT
from tests.action.conftest import (
    DEVICES,
    Project,
    clone,
    requirements,
    uv_lock,
    write_project,
)
from tests.action.runner import EXPRESSION, ActionRun, load_action, run_action

# A runner's own programs: its python3 and git, and no apidiff.
SYSTEM = {"PATH": "/usr/bin:/bin"}


def run(project: Project, tmp_path: Path, **inputs: str) -> ActionRun:
    temp = tmp_path / "runner"
    temp.mkdir(exist_ok=True)
    return run_action(
        {name.replace("_", "-"): value for name, value in inputs.items()},
        workspace=project.root,
        temp=temp,
        environment={**project.environment, "GITHUB_BASE_REF": "main"},
    )


def summary(tmp_path: Path) -> str:
    return (tmp_path / "runner" / "step_summary.md").read_text(encoding="utf-8")


def bump(project: Project, *names: str, version: str = "1.20.74") -> None:
    """The bot's commit: the lock files named moved to botocore `version`."""
    writers = {"requirements.txt": requirements, "uv.lock": uv_lock}
    for name in names:
        project.write(name, writers[name](version))
    project.commit(f"Bump botocore to {version}", *names)


def place(call: str) -> tuple[int, int]:
    """The line and column (from 1) of `call` in DEVICES, which holds it once."""
    lines = DEVICES.splitlines()
    (line,) = [number for number, source in enumerate(lines, start=1) if call in source]
    return line, lines[line - 1].index(call) + 1


def annotations(out: str) -> list[str]:
    return [line for line in out.splitlines() if re.match(r"::(error|warning) ", line)]


# --- the action's structure


def test_the_action_is_a_composite_of_bash_steps_with_described_inputs() -> None:
    action = load_action()
    assert action["name"] and action["description"]
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        assert step["shell"] == "bash" and step["run"].strip()
    for name, spec in action["inputs"].items():
        assert spec["description"].strip(), name
        assert "default" in spec and spec.get("required", False) is False, name


def test_every_input_reaches_a_step_only_through_env_or_the_working_directory() -> None:
    action = load_action()
    used = set()
    for step in action["runs"]["steps"]:
        # Text put into a script by an expression is code: a branch name or an input of
        # `$(curl ...)` would run. Values reach the script as environment variables only.
        assert not EXPRESSION.search(step["run"]), step["run"]
        places = [*step.get("env", {}).values()]
        if "working-directory" in step:
            places.append(step["working-directory"])
        for value in places:
            # Each value one expression, nothing built around it.
            found = EXPRESSION.fullmatch(str(value))
            assert found, value
            used.update(re.findall(r"^inputs\.([\w-]+)$", found.group(1)))
    assert used == set(action["inputs"])


# --- a pull request bumping botocore


def test_annotations_at_the_calls_the_upgrade_breaks(checkout: Project, tmp_path: Path) -> None:
    bump(checkout, "requirements.txt")
    done = run(checkout, tmp_path, usage="app", lockfile="requirements.txt")
    assert done.status == 1
    line, column = place("advisor.list_test_cases")
    removed = (
        f"::error file=app/devices.py,line={line},col={column},"
        "title=operation.removed (iotdeviceadvisor.list_test_cases)::"
    )
    line, column = place("advisor.start_suite_run")
    member = (
        f"::error file=app/devices.py,line={line},col={column},"
        "title=member.removed (iotdeviceadvisor.start_suite_run)::"
    )
    found = annotations(done.stdout)
    assert found[0].startswith(removed)
    assert found[1].startswith(member)
    assert len(found) == 2
    assert (
        "apidiff upgrade: requirements.txt: botocore 1.20.73 (at origin/main) -> 1.20.74"
        in done.stdout.splitlines()
    )


def test_the_summary_has_the_findings_then_the_notes_of_the_services_the_code_calls(
    checkout: Project, tmp_path: Path
) -> None:
    bump(checkout, "requirements.txt")
    run(checkout, tmp_path, usage="app", lockfile="requirements.txt")
    text = summary(tmp_path)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## apidiff check: botocore 1.20.73 → botocore 1.20.74",
        "## Release notes: botocore 1.20.73 → botocore 1.20.74",
        "## 2021/05/17 - AWS IoT Core Device Advisor - 1 new 1 removed 3 updated api methods",
    ]
    line, column = place("advisor.list_test_cases")
    assert f"`app/devices.py:{line}:{column}: iotdeviceadvisor.list_test_cases — calls it" in text
    assert (
        "Of the services your code calls (events, iotdeviceadvisor), the upgrade changes "
        "iotdeviceadvisor." in text.splitlines()
    )
    # The notes are the deltas: ListTestCases gone, StartSuiteRun's request changed.
    assert "### ListTestCases (removed)" in text
    assert "### StartSuiteRun (updated)" in text


def test_without_usage_every_finding_and_the_notes_of_every_changed_service(
    checkout: Project, tmp_path: Path
) -> None:
    bump(checkout, "requirements.txt")
    done = run(checkout, tmp_path, lockfile="requirements.txt")
    assert done.status == 1
    titles = [annotation.split("::")[1] for annotation in annotations(done.stdout)]
    assert titles == [
        "error title=operation.removed (iotdeviceadvisor%3A ListTestCases)",
        "error title=member.removed (iotdeviceadvisor%3A SuiteRunConfiguration.secondaryDevice)",
    ]
    text = summary(tmp_path)
    assert "The 2 services the upgrade changes." in text.splitlines()
    services = [line for line in text.splitlines() if line.startswith("## 2021/05/17 - ")]
    assert services == [
        "## 2021/05/17 - AWS IoT Core Device Advisor - 1 new 1 removed 3 updated api methods",
        "## 2021/05/17 - Amazon Augmented AI Runtime - no api method changes",
    ]
    assert text.index("## apidiff check:") < text.index("## Release notes:")


@pytest.mark.parametrize(
    ("inputs", "status"),
    [
        ({}, 1),
        ({"fail_on": "none"}, 0),
        # The code under usage calls only events, which the upgrade leaves as it was.
        ({"usage": "app/events.py", "fail_on": "info"}, 0),
        ({"usage": "app/events.py\napp/devices.py"}, 1),
    ],
    ids=["breaking", "none", "untouched-code", "two-paths"],
)
def test_the_step_fails_on_findings_at_fail_on(
    checkout: Project, tmp_path: Path, inputs: dict[str, str], status: int
) -> None:
    bump(checkout, "requirements.txt")
    done = run(checkout, tmp_path, lockfile="requirements.txt", **inputs)
    assert (done.status, done.steps[-1].stderr) == (status, "")


def test_code_calling_no_changed_service_gets_no_notes(checkout: Project, tmp_path: Path) -> None:
    bump(checkout, "requirements.txt")
    done = run(checkout, tmp_path, usage="app/events.py", lockfile="requirements.txt")
    assert annotations(done.stdout) == []
    text = summary(tmp_path)
    assert "The upgrade changes none of the services your code calls (events)." in text.splitlines()
    assert "## 2021/05/17" not in text


def test_code_naming_no_service_gets_no_notes(checkout: Project, tmp_path: Path) -> None:
    bump(checkout, "requirements.txt")
    checkout.write(
        "tools/any.py", "import boto3\n\n\ndef buses(name):\n    return boto3.client(name)\n"
    )
    done = run(checkout, tmp_path, usage="tools", lockfile="requirements.txt")
    assert done.status == 0
    assert summary(tmp_path).endswith(
        "## Release notes: botocore 1.20.73 → botocore 1.20.74\n\n"
        "Your code names no service of this release in its calls.\n"
    )


def test_a_lock_file_whose_botocore_did_not_change_passes(
    checkout: Project, tmp_path: Path
) -> None:
    checkout.write("requirements.txt", requirements("1.20.73", "requests==2.32.3"))
    checkout.commit("Bump requests", "requirements.txt")
    done = run(checkout, tmp_path, lockfile="requirements.txt", fail_on="info")
    assert done.status == 0
    assert done.stdout.splitlines() == [
        "apidiff upgrade: requirements.txt: botocore 1.20.73, as at origin/main: "
        "no upgrade to check"
    ]
    assert summary(tmp_path) == (
        "## apidiff upgrade\n\nrequirements.txt: botocore 1.20.73, as at origin/main: "
        "no upgrade to check.\n"
    )


def test_notes_that_do_not_fit_in_the_step_summary_are_counted(
    checkout: Project, tmp_path: Path
) -> None:
    """GitHub drops a step summary over 1 MiB whole: what earlier steps wrote is kept, and
    the services whose notes no longer fit are counted, not written."""
    bump(checkout, "requirements.txt")
    earlier = "x" * (STEP_SUMMARY_LIMIT - 3_000) + "\n"
    (tmp_path / "runner").mkdir()
    (tmp_path / "runner" / "step_summary.md").write_text(earlier, encoding="utf-8")
    done = run(checkout, tmp_path, lockfile="requirements.txt")
    assert done.status == 1
    text = summary(tmp_path)
    assert text.startswith(earlier)
    assert len(text.encode("utf-8")) <= STEP_SUMMARY_LIMIT
    assert "## 2021/05/17" not in text
    assert text.endswith(
        "_The notes of 2 more services do not fit in the step summary: `apidiff notes "
        "botocore==1.20.73 botocore==1.20.74 --format markdown` has them all._\n"
    )


def test_the_lock_files_present_are_found_and_one_upgrade_is_checked_once(
    checkout: Project, tmp_path: Path
) -> None:
    bump(checkout, "requirements.txt", "uv.lock")
    done = run(checkout, tmp_path)
    assert done.status == 1
    assert (
        "apidiff upgrade: uv.lock, requirements.txt: botocore 1.20.73 (at origin/main) -> 1.20.74"
        in done.stdout.splitlines()
    )
    assert summary(tmp_path).count("## apidiff check:") == 1


def test_a_shallow_checkout_fetches_the_base_branch(upstream: Project, tmp_path: Path) -> None:
    upstream.git("checkout", "--quiet", "-b", "bump")
    bump(upstream, "uv.lock")
    checkout = clone(upstream, branch="bump", shallow=True)
    assert checkout.git("for-each-ref", "refs/remotes/origin/main") == ""
    done = run(checkout, tmp_path, lockfile="uv.lock", usage="app")
    assert done.status == 1
    assert len(annotations(done.stdout)) == 2


def test_a_project_in_a_folder_is_annotated_from_the_repository_root(
    upstream: Project, tmp_path: Path
) -> None:
    write_project(upstream, "1.20.73", folder="service/")
    upstream.commit("A second project", "service")
    checkout = clone(upstream)
    checkout.write("service/requirements.txt", requirements("1.20.74"))
    checkout.commit("Bump", "service/requirements.txt")
    done = run(checkout, tmp_path, working_directory="service", usage="app")
    assert done.status == 1
    line, column = place("advisor.list_test_cases")
    assert annotations(done.stdout)[0].startswith(
        f"::error file=service/app/devices.py,line={line},col={column},"
    )


# --- bad input


def test_a_lock_file_that_does_not_exist_is_one_line_and_status_3(
    checkout: Project, tmp_path: Path
) -> None:
    done = run(checkout, tmp_path, lockfile="poetry.lock")
    assert done.status == 3
    assert done.steps[-1].stderr.count("\n") == 1
    assert done.steps[-1].stderr.startswith("apidiff: error: poetry.lock")


def test_a_base_that_does_not_exist_is_one_line_and_status_3(
    checkout: Project, tmp_path: Path
) -> None:
    done = run(checkout, tmp_path, lockfile="uv.lock", base="v9.9.9")
    assert done.status == 3
    (line,) = done.steps[-1].stderr.splitlines()
    assert line.startswith("apidiff: error: ") and "v9.9.9" in line


@pytest.mark.parametrize(
    "hostile",
    ["$(touch pwned)", "`touch pwned`", "x; touch pwned", "--base=$(touch pwned)"],
)
def test_inputs_are_data_never_code(checkout: Project, tmp_path: Path, hostile: str) -> None:
    done = run(checkout, tmp_path, lockfile=hostile, usage=hostile, base=hostile)
    assert done.status != 0
    assert not list(tmp_path.rglob("pwned"))


# --- the install step


@pytest.mark.pypi
def test_without_apidiff_on_the_path_the_action_installs_its_own(
    checkout: Project, tmp_path: Path
) -> None:
    """pip installs the action's checkout, and its dependencies from PyPI, into a virtual
    environment in RUNNER_TEMP, which only the action's next step uses."""
    assert subprocess.run(["sh", "-c", "command -v apidiff"], env=SYSTEM, check=False).returncode
    bump(checkout, "requirements.txt")
    checkout.environment["PATH"] = SYSTEM["PATH"]
    done = run(checkout, tmp_path, lockfile="requirements.txt", usage="app")
    installed = tmp_path / "runner" / "apidiff-venv" / "bin" / "apidiff"
    assert done.step("install").outputs == {"apidiff": str(installed)}
    assert done.status == 1
    assert len(annotations(done.stdout)) == 2
