"""`apidiff notes`, end to end through the CLI, against the real reference page."""

from __future__ import annotations

import ast
import io
import json
import pprint
import re
import sys
from pathlib import Path

import jsonschema
import pytest
from markdown_it import MarkdownIt

from apidiff.cli import main
from apidiff.cli.output import text_style
from apidiff.render.style import ansi, plain
from apidiff.report.serialize import report_schema
from tests.conftest import FIXTURES, MODELS
from tests.oracle.proof import tokens

REFERENCE = FIXTURES / "reference" / "sagemaker-2021-03-30.txt"
METHOD_TITLE = re.compile(r"^\S+ \((?:new|updated|removed)\)$")
BULLET = re.compile(r"^\s*- ")
CHANGES_LINE = re.compile(r"^Changes \((?:request|response|both|request, response)\)$")
SAGEMAKER = ("bundled:botocore-1.20.40", "bundled:botocore-1.20.41", "--service", "sagemaker")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


def reference_lines() -> list[str]:
    return [line for line in REFERENCE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_notes_reproduce_the_reference_page_word_for_word(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "notes", *SAGEMAKER)
    assert (status, err) == (0, "")
    expected = reference_lines()
    produced = out.splitlines()
    # The headline and the changelog line exactly; then every word and mark in order. The
    # capture lost the page's layout: its method titles and "Changes (...)" lines, and the
    # field labels of the documentation ("type X:"), so those do not count.
    assert produced[:2] == expected[:2]
    ours = [
        # The bullets of members and list items are layout as well (no line of the page's
        # documentation starts with a dash).
        BULLET.sub("", line)
        for line in produced[: produced.index("Other changes")]
        if not METHOD_TITLE.match(line) and not CHANGES_LINE.match(line)
    ]
    assert tokens(ours, ours=True) == tokens(expected, ours=False)


def test_each_method_opens_with_its_title_and_the_sides_it_changed_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = run(capsys, "notes", *SAGEMAKER)
    lines = out.splitlines()
    titles = [number for number, line in enumerate(lines) if METHOD_TITLE.match(line)]
    assert [lines[number] for number in titles] == [
        "DescribeAutoMLJob (updated)",
        "ListAutoMLJobs (updated)",
        "ListCandidatesForAutoMLJob (updated)",
    ]
    assert [lines[number + 1] for number in titles] == ["Changes (response)"] * 3
    assert all(lines[number - 1] == "" for number in titles)


def delta_blocks(out: str) -> list[str]:
    """Each delta: the lines after a "Changes (...)" line (or a side's heading) to a blank."""
    blocks: list[str] = []
    current: list[str] | None = None
    for line in out.splitlines():
        if current is not None and line.startswith(("{", " ")):
            current.append(line)
            continue
        if current:
            blocks.append("\n".join(current))
        current = [] if CHANGES_LINE.match(line) or line in ("Request", "Response") else None
    return blocks


def test_notes_deltas_equal_the_reference_deltas_as_values(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = run(capsys, "notes", *SAGEMAKER)
    deltas = [line for line in reference_lines() if line.startswith("{'")]
    produced = delta_blocks(out)
    assert len(deltas) == 3
    assert [ast.literal_eval(block) for block in produced] == [
        ast.literal_eval(line) for line in deltas
    ]


def test_deltas_are_laid_out_as_pprint_lays_them_out(capsys: pytest.CaptureFixture[str]) -> None:
    _status, out, _err = run(capsys, "notes", *SAGEMAKER)
    for block in delta_blocks(out):
        assert block == pprint.pformat(ast.literal_eval(block))
    assert "{'BestCandidate': {'CandidateProperties': {'CandidateArtifactLocations': " in out
    assert "\n 'PartialFailureReasons': [{'PartialFailureMessage': 'string'}]}\n" in out


def test_notes_list_the_other_changes_after_the_reference_part(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = run(capsys, "notes", *SAGEMAKER)
    lines = out.splitlines()
    rest = lines[lines.index("Other changes") :]
    assert lines.count("Other changes") == 1
    assert "AutoMLChannel (reaches CreateAutoMLJob, DescribeAutoMLJob)" in rest


def test_notes_are_byte_identical_across_runs(capsys: pytest.CaptureFixture[str]) -> None:
    outputs = {run(capsys, "notes", *SAGEMAKER, "--format", fmt)[1] for fmt in ("json",) * 2}
    assert len(outputs) == 1


def test_json_report_is_valid_and_renders_back_to_the_same_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saved = tmp_path / "report.json"
    assert run(capsys, "notes", *SAGEMAKER, "--format", "json", "-o", str(saved))[0] == 0
    jsonschema.validate(json.loads(saved.read_text(encoding="utf-8")), report_schema())
    _status, direct, _err = run(capsys, "notes", *SAGEMAKER)
    _status, rebuilt, _err = run(capsys, "render", str(saved), "--format", "text")
    assert rebuilt == direct


def test_markdown_has_a_heading_per_service_fenced_deltas_and_collapsed_docs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = run(capsys, "notes", *SAGEMAKER, "--format", "markdown")
    assert out.startswith("## 2021/03/30 - Amazon SageMaker Service - 3 updated api methods\n")
    assert "### DescribeAutoMLJob (updated)\n\nChanges (response)\n\n```python\n" in out
    assert "```python\n{'AutoMLJobSummaries': {'PartialFailureReasons'" in out
    assert out.count("<details><summary>Documentation of <code>") == 3


@pytest.mark.parametrize(
    "pair",
    [
        SAGEMAKER,
        ("bundled:botocore-1.44.7", "bundled:botocore-1.44.8"),
        ("bundled:botocore-1.20.73", "bundled:botocore-1.20.74"),
    ],
)
def test_markdown_parses_into_what_github_shows(
    capsys: pytest.CaptureFixture[str], pair: tuple[str, ...]
) -> None:
    _status, out, _err = run(capsys, "notes", *pair, "--format", "markdown")
    parsed = MarkdownIt("commonmark").parse(out)
    headings = [token.tag for token in parsed if token.type == "heading_open"]
    # One heading a service and a method: no fence left open swallowed the ones after it.
    assert headings.count("h3") == sum(
        1 for line in out.splitlines() if re.match(r"### \S+ \((new|updated|removed)\)$", line)
    )
    assert headings.count("h2") == out.count("\n## ") + out.startswith("## ")
    for token in parsed:
        if token.type == "fence":
            assert token.info in ("python", "text")
        if token.type in ("html_block", "html_inline"):
            # GitHub keeps details and summary (and code inside summary), and strips the rest.
            assert set(re.findall(r"</?(\w+)", token.content)) <= {"details", "summary", "code"}


def test_date_option_overrides_the_release_date(capsys: pytest.CaptureFixture[str]) -> None:
    _status, out, _err = run(capsys, "notes", *SAGEMAKER, "--date", "2022-01-02", "--no-docs")
    assert out.startswith("2022/01/02 - Amazon SageMaker Service")


def test_changelog_file_replaces_the_bundled_entries(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    changes = tmp_path / "1.20.41.json"
    entry = {"type": "api-change", "category": "``sagemaker``", "description": "Hand written."}
    changes.write_text(json.dumps([entry]), encoding="utf-8")
    _status, out, _err = run(capsys, "notes", *SAGEMAKER, "--changelog", str(changes), "--no-docs")
    assert out.splitlines()[1] == "Changes Hand written."


def test_a_changes_file_of_another_release_is_used_with_a_one_line_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    changes = tmp_path / "1.20.39.json"
    entry = {"type": "api-change", "category": "``sagemaker``", "description": "Hand written."}
    changes.write_text(json.dumps([entry]), encoding="utf-8")
    status, out, err = run(capsys, "notes", *SAGEMAKER, "--changelog", str(changes), "--no-docs")
    assert status == 0
    assert out.splitlines()[1] == "Changes Hand written."
    assert err.startswith("apidiff: warning: ")
    assert err.count("\n") == 1
    assert "1.20.39" in err and "1.20.41" in err


def test_changelog_rst_section_of_the_new_version_is_used(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rst = tmp_path / "CHANGELOG.rst"
    rst.write_text(
        "CHANGELOG\n=========\n\n1.20.41\n=======\n\n"
        "* api-change:``sagemaker``: [``botocore``] From the rst.\n"
        "* api-change:``ec2``: [``botocore``] Not this one.\n\n\n"
        "1.20.40\n=======\n\n* api-change:``sagemaker``: [``botocore``] Older.\n",
        encoding="utf-8",
    )
    _status, out, _err = run(capsys, "notes", *SAGEMAKER, "--changelog", str(rst), "--no-docs")
    assert out.splitlines()[1] == "Changes From the rst."


def test_model_files_without_provenance_say_the_changelog_is_missing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    models = Path(__file__).resolve().parents[2] / "models"
    old = models / "botocore-1.20.73" / "iotdeviceadvisor" / "2020-09-18" / "service-2.json.gz"
    new = models / "botocore-1.20.74" / "iotdeviceadvisor" / "2020-09-18" / "service-2.json.gz"
    status, out, _err = run(capsys, "notes", str(old), str(new), "--no-docs")
    assert status == 0
    assert out.splitlines()[0].startswith("undated - AWS IoT Core Device Advisor - 1 new 1 removed")
    assert "no changelog was given" in out.splitlines()[1]
    assert "ListTestCases (removed)" in out.splitlines()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("notes", "nowhere", "bundled:botocore-1.20.41"),
            "apidiff: error: nowhere: no such file or directory\n",
        ),
        (
            ("notes", "bundled:botocore-0", "bundled:botocore-1.20.41"),
            "apidiff: error: bundled:botocore-0: no bundled models of that name",
        ),
        (
            ("notes", *SAGEMAKER[:2], "--service", "nosuch"),
            "apidiff: error: --service nosuch: neither old (bundled:botocore-1.20.40) nor new "
            "(bundled:botocore-1.20.41) holds it\n",
        ),
    ],
)
def test_bad_sources_exit_3_with_one_line(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    status, out, err = run(capsys, *args)
    assert (status, out) == (3, "")
    assert err.startswith(message)
    assert err.count("\n") == 1


def test_a_bad_model_file_exits_3_and_writes_no_output_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = FIXTURES / "bad_models" / "not-json.json"
    target = tmp_path / "notes.txt"
    status, _out, err = run(capsys, "notes", str(bad), str(bad), "-o", str(target))
    assert status == 3
    assert err.startswith(f"apidiff: error: {bad}: not valid JSON")
    assert list(tmp_path.iterdir()) == []


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "notes", "only-one")[0] == 2
    assert run(capsys, "notes", *SAGEMAKER, "--format", "pdf")[0] == 2


def test_colour_is_asked_for_or_left_out(capsys: pytest.CaptureFixture[str]) -> None:
    _status, coloured, _err = run(capsys, "notes", *SAGEMAKER, "--no-docs", "--color", "always")
    assert "\x1b[1m2021/03/30 - Amazon SageMaker Service - 3 updated api methods\x1b[0m" in coloured
    assert "\x1b[1;36mDescribeAutoMLJob (updated)\x1b[0m" in coloured
    assert "\x1b[32m{'BestCandidate'" in coloured
    _status, never, _err = run(capsys, "notes", *SAGEMAKER, "--no-docs", "--color", "never")
    _status, piped, _err = run(capsys, "notes", *SAGEMAKER, "--no-docs")
    assert "\x1b" not in never
    assert piped == never
    assert re.sub(r"\x1b\[[\d;]*m", "", coloured) == never


@pytest.mark.parametrize(
    ("color", "terminal", "no_color", "coloured"),
    [
        ("auto", True, None, True),
        ("auto", True, "1", False),
        ("auto", False, None, False),
        ("always", False, "1", True),
        ("never", True, None, False),
    ],
)
def test_colour_follows_the_terminal_and_no_color(
    monkeypatch: pytest.MonkeyPatch,
    color: str,
    terminal: bool,
    no_color: str | None,
    coloured: bool,
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: terminal)
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    assert (text_style(color, None) is ansi) is coloured
    assert text_style(color, Path("notes.txt")) is (ansi if color == "always" else plain)


# --- a partial source against a whole one


def test_bundled_models_against_a_whole_release_compare_only_the_services_both_hold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # `installed` is a whole botocore; the bundle holds fsx, route53 and wafv2 of 1.44.7.
    # Compared as wholes, every other installed service would be "new", documentation and all.
    status, out, err = run(
        capsys, "notes", "bundled:botocore-1.44.7", "installed", "--format", "json"
    )
    assert (status, err) == (0, "")
    report = json.loads(out)
    jsonschema.validate(report, report_schema())
    compared = {s["service"] for s in report["services"]} | set(report["unchanged_services"])
    assert compared == {"fsx", "route53", "wafv2"}
    assert all(service["old_api_version"] for service in report["services"])
    (left_out,) = report["left_out"]
    assert left_out["side"] == "new"
    assert len(left_out["services"]) > 300
    assert not {"fsx", "route53", "wafv2"} & set(left_out["services"])
    assert left_out["reason"] == "bundled:botocore-1.44.7 holds only some services"


def test_text_notes_open_with_one_line_on_the_services_left_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _err = run(capsys, "notes", "bundled:botocore-1.44.7", "installed", "--no-docs")
    assert status == 0
    first, blank = out.splitlines()[:2]
    assert first.startswith(
        "Compared the 3 services both sides hold (fsx, route53, wafv2); left out "
    )
    assert first.endswith(
        " only new holds, as bundled:botocore-1.44.7 holds only some services "
        "(--all-services compares them)."
    )
    assert blank == ""
    assert "new service" not in out


def test_markdown_notes_say_it_too(capsys: pytest.CaptureFixture[str]) -> None:
    _status, out, _err = run(
        capsys, "notes", "bundled:botocore-1.44.7", "installed", "--no-docs", "--format", "markdown"
    )
    assert out.startswith("Compared the 3 services both sides hold \\(fsx, route53, wafv2\\)")


def test_a_mistyped_service_gets_the_names_it_is_close_to(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "notes", *SAGEMAKER[:2], "--service", "sagemker")
    assert (status, out) == (3, "")
    assert err == (
        "apidiff: error: --service sagemker: neither old (bundled:botocore-1.20.40) nor new "
        "(bundled:botocore-1.20.41) holds it; did you mean 'sagemaker'?\n"
    )


def test_a_service_only_a_partial_side_lacks_names_that_side(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(
        capsys, "notes", "bundled:botocore-1.44.7", "installed", "--service", "route5"
    )
    assert (status, out) == (3, "")
    assert err.startswith(
        "apidiff: error: --service route5: neither old (bundled:botocore-1.44.7) nor new "
        "(installed) holds it; did you mean 'route53'"
    )
    status, out, err = run(
        capsys, "notes", "bundled:botocore-1.44.7", "installed", "--service", "s3"
    )
    assert (status, out) == (3, "")
    assert err == (
        "apidiff: error: --service s3: old (bundled:botocore-1.44.7) does not hold it: it holds "
        "only some of botocore's services (--all-services compares it as added)\n"
    )


# --- output that does not vary by machine


def test_json_notes_are_the_same_bytes_from_two_copies_of_the_models(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from apidiff import resources

    models = Path(__file__).resolve().parents[2] / "models"
    outputs = []
    for copy in ("one", "two"):
        root = tmp_path / copy
        for release in ("botocore-1.20.40", "botocore-1.20.41"):
            shutil.copytree(models / release, root / "models" / release)
        # Each copy is a checkout of its own: its bundled models, and a folder of the user's.
        shutil.copytree(models / "botocore-1.20.41", root / "work" / "mine")
        monkeypatch.setattr(resources, "data_root", lambda root=root: root)
        monkeypatch.chdir(root / "work")
        for args in (
            ("bundled:botocore-1.20.40", "bundled:botocore-1.20.41"),
            ("bundled:botocore-1.20.40", str(root / "work" / "mine")),
        ):
            status, out, err = run(capsys, "notes", *args[:1], args[1], "--format", "json")
            assert (status, err) == (0, "")
            outputs.append(out.replace(str(root), "ROOT"))
    assert outputs[0] == outputs[2]
    assert outputs[1] == outputs[3]
    assert "ROOT" not in "".join(outputs[:2]).replace('"spec": "ROOT/work/mine"', "")


@pytest.mark.parametrize("spec", ["-", "/dev/stdin"])
def test_a_model_on_standard_input_is_named_from_its_metadata(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, spec: str
) -> None:
    old = MODELS / "botocore-1.20.40" / "sagemaker" / "2017-07-24" / "service-2.json.gz"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(old.read_bytes())))
    status, out, err = run(
        capsys, "notes", spec, "bundled:botocore-1.20.41", "--no-docs", "--format", "json"
    )
    assert (status, err) == (0, "")
    report = json.loads(out)
    assert report["old"] == {
        "spec": spec,
        "location": "<stdin>",
        "package": None,
        "version": None,
        "released": None,
        "partial": True,
    }
    assert [service["service"] for service in report["services"]] == ["sagemaker"]


def test_standard_input_cannot_be_both_sides(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old = MODELS / "botocore-1.20.40" / "sagemaker" / "2017-07-24" / "service-2.json.gz"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(old.read_bytes())))
    status, out, err = run(capsys, "notes", "-", "-")
    assert (status, out) == (3, "")
    assert (
        err == "apidiff: error: -: standard input is empty (only one of OLD and NEW can read it)\n"
    )
