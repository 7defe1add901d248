"""The GitHub runner's part in a composite action, done here: the action's YAML read, each
step's `env:` and `working-directory:` given the values of the `${{ }}` expressions it
holds, its `run:` written to a file and run with bash as the runner runs it
(`bash --noprofile --norc -eo pipefail FILE`), each step's GITHUB_OUTPUT read back for
the steps after it. A failing step ends the run, as on GitHub.

Only property lookups (`inputs.fail-on`, `steps.install.outputs.apidiff`,
`github.action_path`) are evaluated: the action is meant to hold nothing else, and a test
that meets anything else fails.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
ACTION = REPO / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_LOOKUP = re.compile(r"[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*")
# What bash runs a step's script with for `shell: bash` (GitHub's documented default).
BASH = ("bash", "--noprofile", "--norc", "-eo", "pipefail")


def load_action() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return document


@dataclass
class StepRun:
    id: str
    status: int
    stdout: str
    stderr: str
    outputs: dict[str, str]


@dataclass
class ActionRun:
    steps: list[StepRun] = field(default_factory=list)

    @property
    def status(self) -> int:
        return self.steps[-1].status

    @property
    def stdout(self) -> str:
        return "".join(step.stdout for step in self.steps)

    def step(self, step_id: str) -> StepRun:
        return next(step for step in self.steps if step.id == step_id)


def evaluate(text: str, context: Mapping[str, Any]) -> str:
    """`text` with each `${{ lookup }}` replaced by its value ('' where it has none)."""

    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        if not _LOOKUP.fullmatch(expression):
            raise AssertionError(f"an expression the tests do not evaluate: {expression}")
        found: Any = context
        for part in expression.split("."):
            found = found.get(part, "") if isinstance(found, Mapping) else ""
        return str(found)

    return EXPRESSION.sub(value, text)


def run_action(
    inputs: Mapping[str, str], *, workspace: Path, temp: Path, environment: Mapping[str, str]
) -> ActionRun:
    """Run the action's steps as a job's step `uses: ./` with `with: inputs` would, in the
    job's `workspace`; `temp` stands for RUNNER_TEMP and holds the runner's files."""
    action = load_action()
    declared = action["inputs"]
    unknown = set(inputs) - set(declared)
    assert not unknown, f"inputs the action does not declare: {unknown}"
    given = {name: str(spec.get("default", "")) for name, spec in declared.items()}
    given.update(inputs)
    context: dict[str, Any] = {
        "inputs": given,
        "github": {"action_path": str(REPO), "workspace": str(workspace)},
        "steps": {},
    }
    base = {
        **environment,
        "GITHUB_ACTIONS": "true",
        "CI": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "RUNNER_TEMP": str(temp),
        "GITHUB_STEP_SUMMARY": str(temp / "step_summary.md"),
    }
    run = ActionRun()
    for number, step in enumerate(action["runs"]["steps"]):
        step_id = step.get("id", f"__step{number}")
        script = temp / f"{step_id}.sh"
        script.write_text(step["run"], encoding="utf-8")
        outputs_file = temp / f"{step_id}.output"
        outputs_file.write_text("", encoding="utf-8")
        step_env = {
            name: evaluate(str(value), context) for name, value in step.get("env", {}).items()
        }
        folder = workspace / evaluate(step.get("working-directory", "."), context)
        done = subprocess.run(
            [*BASH, str(script)],
            cwd=folder,
            env={**base, **step_env, "GITHUB_OUTPUT": str(outputs_file)},
            capture_output=True,
            text=True,
            check=False,
        )
        outputs = read_outputs(outputs_file)
        context["steps"][step_id] = {"outputs": outputs}
        run.steps.append(StepRun(step_id, done.returncode, done.stdout, done.stderr, outputs))
        if done.returncode != 0:
            break
    return run


def read_outputs(path: Path) -> dict[str, str]:
    """A step's outputs as GITHUB_OUTPUT holds them: `name=value` lines, or
    `name<<DELIMITER` followed by the value's lines and the delimiter."""
    outputs: dict[str, str] = {}
    lines = iter(path.read_text(encoding="utf-8").splitlines())
    for line in lines:
        name, equals, value = line.partition("=")
        if equals and "<<" not in name:
            outputs[name] = value
            continue
        name, _, delimiter = line.partition("<<")
        value_lines = []
        for text in lines:
            if text == delimiter:
                break
            value_lines.append(text)
        outputs[name] = "\n".join(value_lines)
    return outputs
