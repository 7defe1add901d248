"""What a command imports: every module is start-up time paid before any work, so a run
imports none that only other runs use."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from apidiff.cli import main
from tests.conftest import MODELS, REPO
from tests.sources.local_index import LocalIndex

# Each was measured on a path that never uses it: Jinja 40 ms (text only), the process pool
# 21 ms (a release of several services only), tomllib and secrets a few (a TOML policy and
# nothing on these paths).
_NEVER_IMPORTED = {
    "text": ("multiprocessing", "concurrent.futures", "tomllib", "secrets"),
    "json": ("jinja2", "multiprocessing", "concurrent.futures", "tomllib", "secrets"),
}


@pytest.mark.parametrize("output_format", sorted(_NEVER_IMPORTED))
def test_one_service_s_notes_import_no_module_they_do_not_use(
    tmp_path: Path, output_format: str
) -> None:
    models = [str(MODELS / "botocore-1.20.40"), str(MODELS / "botocore-1.20.41")]
    arguments = [
        "notes",
        *models,
        "--service",
        "sagemaker",
        "--format",
        output_format,
        "--output",
        str(tmp_path / "notes"),
    ]
    imported, _output = _imported_among(arguments, _NEVER_IMPORTED[output_format])

    assert imported == []
    assert (tmp_path / "notes").stat().st_size > 0


# Each was measured on `release --format json --no-docs` of two cached releases, which uses
# none of them: packaging's specifiers 7 ms (a pin of a plain version is read without them)
# and versions 4 ms, the policy and check modules 9 ms (checks only), the documenter with
# its HTML cleaning 7 ms (--docs only).
_NEVER_IMPORTED_BY_A_RELEASE = (
    "apidiff.report.method_docs",
    "apidiff.report.doc_html",
    "html",
    "packaging.version",
    "packaging.specifiers",
    "packaging.requirements",
    "apidiff.classify.policy",
    "apidiff.report.check",
)


def test_a_cached_release_s_json_imports_no_module_it_does_not_use(
    capsys: pytest.CaptureFixture[str], index: LocalIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    new, old = "botocore==1.35.72", "botocore==1.35.71"
    # Fetched into the cache first, in this process: the run measured is an offline one.
    with pytest.raises(SystemExit) as fetched:
        main(["release", new, "--since", old, "--format", "json", "--no-docs"])
    assert fetched.value.code in (0, None)
    capsys.readouterr()
    monkeypatch.setenv("APIDIFF_OFFLINE", "1")
    arguments = ["release", new, "--since", old, "--format", "json", "--no-docs"]

    imported, output = _imported_among(arguments, _NEVER_IMPORTED_BY_A_RELEASE)

    assert imported == []
    assert json.loads(output)["new"]["version"] == "1.35.72"


def _imported_among(arguments: list[str], modules: Iterable[str]) -> tuple[list[str], str]:
    """Which of `modules` `apidiff arguments` imports, run in a new process, and what it
    wrote to standard output."""
    script = (
        "import sys\n"
        "from apidiff.cli import main\n"
        "try:\n"
        f"    main({arguments!r})\n"
        "except SystemExit as exit:\n"
        "    assert exit.code in (0, None), exit.code\n"
        f"print(sorted(set({sorted(modules)!r}) & set(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=True,
    )
    return ast.literal_eval(result.stderr.strip()), result.stdout
