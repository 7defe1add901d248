"""Each lock file format lock: reads, hand-written after its tool's documented format, and
the errors a file that does not resolve exactly one release gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apidiff.errors import SourceError
from apidiff.sources.lockfiles import LockFormat, ProjectFiles, read_locked_release
from tests.conftest import FIXTURES

LOCKFILES = FIXTURES / "lockfiles"


def locked(path: Path) -> tuple[str, str, LockFormat]:
    release = read_locked_release(path, ProjectFiles())
    return release.package, release.version, release.format


def refused(tmp_path: Path, name: str, text: str) -> str:
    """The reason reading `text` saved as `name` fails (the file named as given)."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    with pytest.raises(SourceError) as raised:
        read_locked_release(path, ProjectFiles())
    assert raised.value.where == path.as_posix()
    return raised.value.reason


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("uv/uv.lock", ("botocore", "1.35.72", LockFormat.UV)),
        ("poetry/poetry.lock", ("botocore", "1.35.71", LockFormat.POETRY)),
        ("pdm/pdm.lock", ("botocore", "1.20.41", LockFormat.PDM)),
        ("pylock/pylock.toml", ("botocore", "1.20.40", LockFormat.PYLOCK)),
        ("pipenv/Pipfile.lock", ("botocore", "1.35.72", LockFormat.PIPENV)),
        ("requirements/requirements.txt", ("botocore", "1.35.72", LockFormat.REQUIREMENTS)),
        ("pyproject/pyproject.toml", ("boto3", "1.17.40", LockFormat.PYPROJECT)),
        ("poetry-project/pyproject.toml", ("boto3", "1.35.72", LockFormat.PYPROJECT)),
        # Written by the tools (see generated/README.md).
        ("generated/poetry/poetry.lock", ("botocore", "1.35.72", LockFormat.POETRY)),
        ("generated/poetry/pyproject.toml", ("botocore", "1.35.72", LockFormat.PYPROJECT)),
        ("generated/pipenv/Pipfile.lock", ("botocore", "1.35.72", LockFormat.PIPENV)),
    ],
)
def test_each_format_names_its_release(
    relative: str, expected: tuple[str, str, LockFormat]
) -> None:
    assert locked(LOCKFILES / relative) == expected


def test_a_botocore_pin_wins_over_boto3s(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("boto3==1.17.41\nbotocore==1.20.40\n")

    assert locked(path)[:2] == ("botocore", "1.20.40")


def test_a_file_of_another_name_is_read_by_its_content(tmp_path: Path) -> None:
    for name, fixture in (
        ("prod.uv.lock", "uv/uv.lock"),
        ("locks/poetry-2024.lock", "poetry/poetry.lock"),
        ("pdm.dev.lock", "pdm/pdm.lock"),
        ("pylock.prod.toml", "pylock/pylock.toml"),
        ("locked.toml", "pylock/pylock.toml"),
        ("Pipfile.prod.lock", "pipenv/Pipfile.lock"),
        ("service.toml", "pyproject/pyproject.toml"),
        ("pinned", "requirements/constraints.txt"),
    ):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((LOCKFILES / fixture).read_text())
        assert locked(path)[2] is locked(LOCKFILES / fixture)[2], name


def test_a_requirements_file_reads_continuations_comments_hashes_and_markers(
    tmp_path: Path,
) -> None:
    path = tmp_path / "requirements-prod.txt"
    path.write_text(
        "# botocore==1.0.0 in a comment is no pin\n"
        "--require-hashes\n"
        "requests==2.32.3#not-a-comment-without-a-space-before\n"
        "boto3 \\\n"
        "  ==1.17.41 \\\n"
        '  ; python_version >= "3.8" \\\n'
        "  --hash=sha256:00 --hash=sha256:01  # via -r requirements.in\n"
        "git+https://github.com/example/tool.git#egg=tool\n"
        "./local/checkout\n"
    )

    assert locked(path)[:2] == ("boto3", "1.17.41")


def test_includes_are_relative_to_the_including_file(tmp_path: Path) -> None:
    (tmp_path / "requirements" / "prod").mkdir(parents=True)
    (tmp_path / "requirements" / "prod" / "app.txt").write_text("-r ../common.txt\n")
    (tmp_path / "requirements" / "common.txt").write_text(
        "--requirement=../pins/aws.txt\n-c../pins/none.txt\n"
    )
    (tmp_path / "pins").mkdir()
    (tmp_path / "pins" / "aws.txt").write_text("botocore===1.20.41\n")
    (tmp_path / "pins" / "none.txt").write_text("-r aws.txt\n")  # and round again: read once

    assert locked(tmp_path / "requirements" / "prod" / "app.txt")[:2] == ("botocore", "1.20.41")


def test_a_pyproject_reads_every_list_of_requirements(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    for table in (
        '[project]\nname = "a"\ndependencies = ["botocore==1.20.41"]\n',
        '[project.optional-dependencies]\naws = ["botocore==1.20.41"]\n',
        '[dependency-groups]\naws = ["botocore==1.20.41"]\n',
        '[tool.uv]\noverride-dependencies = ["botocore==1.20.41"]\n',
        '[tool.pdm.dev-dependencies]\naws = ["botocore==1.20.41"]\n',
        '[tool.poetry.dependencies]\nbotocore = "==1.20.41"\n',
        '[tool.poetry.dev-dependencies]\nbotocore = { version = "1.20.41" }\n',
        '[tool.poetry.group.aws.dependencies]\nbotocore = [{ version = "1.20.41" }]\n',
    ):
        path.write_text(table)
        assert locked(path)[:2] == ("botocore", "1.20.41"), table


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("requirements.txt", "requests==2.32.3\n", "pins neither botocore nor boto3"),
        (
            "uv.lock",
            'version = 1\n[[package]]\nname = "requests"\nversion = "2.32.3"\n',
            "pins neither botocore nor boto3",
        ),
        (
            "requirements.txt",
            "boto3>=1.35\n",
            "boto3>=1.35 is a range, not an exact pin (line 1); pin botocore or boto3",
        ),
        (
            "requirements.txt",
            "boto3\n",
            "boto3 (any version) is a range, not an exact pin (line 1); pin botocore or boto3",
        ),
        (
            "requirements.txt",
            "botocore==1.35.*\n",
            "botocore==1.35.* is a range, not an exact pin (line 1); pin botocore or boto3",
        ),
        (
            "pyproject.toml",
            '[tool.poetry.dependencies]\nboto3 = "^1.35"\n',
            "boto3 ^1.35 is a range, not an exact pin; pin botocore or boto3",
        ),
        (
            "requirements.txt",
            'botocore==1.20.40 ; python_version < "3.12"\n'
            'botocore==1.20.41 ; python_version >= "3.12"\n',
            "botocore is pinned to 2 versions: 1.20.40 (line 1), 1.20.41 (line 2);"
            " a lock: source needs exactly one",
        ),
        (
            "uv.lock",
            "version = 1\n"
            "resolution-markers = [\"python_full_version < '3.12'\","
            " \"python_full_version >= '3.12'\"]\n"
            '[[package]]\nname = "botocore"\nversion = "1.20.40"\n'
            "resolution-markers = [\"python_full_version < '3.12'\"]\n"
            '[[package]]\nname = "botocore"\nversion = "1.20.41"\n'
            "resolution-markers = [\"python_full_version >= '3.12'\"]\n",
            "botocore is pinned to 2 versions: 1.20.40, 1.20.41; a lock: source needs exactly one",
        ),
        ("uv.lock", "version = 1\n[[package]\n", "not valid TOML: "),
        (
            "uv.lock",
            'version = 1\n[[package]]\nname = "botocore"\nsource = { registry = "x" }\n',
            "its entry for botocore has no version",
        ),
        (
            "pdm.lock",
            '[metadata]\nlock_version = "4.5.0"\n[[package]]\nname = "boto3"\nversion = "latest"\n',
            "boto3's locked version is not a version: 'latest'",
        ),
        ("Pipfile.lock", '{"default": {', "not valid JSON: "),
        (
            "Pipfile.lock",
            '{"_meta": {}}',
            "not a Pipfile.lock: it has no default or develop section",
        ),
        ("pyproject.toml", "project = 3\n", "project is not a table"),
        (
            "uv.lock",
            'version = 1\n[[package]]\nname = "botocore"\nversion = "1.35.72"\n'
            'source = { git = "https://github.com/boto/botocore?rev=develop#abc" }\n',
            "botocore comes from git https://github.com/boto/botocore?rev=develop#abc,"
            " not from a package index",
        ),
        (
            "poetry.lock",
            '[[package]]\nname = "botocore"\nversion = "1.35.72"\n'
            '[package.source]\ntype = "directory"\nurl = "../botocore"\n'
            '[metadata]\nlock-version = "2.0"\n',
            "botocore comes from directory ../botocore, not from a package index",
        ),
        (
            "pylock.toml",
            'lock-version = "1.0"\n[[packages]]\nname = "boto3"\n'
            'vcs = { type = "git", url = "https://github.com/boto/boto3", commit-id = "abc" }\n',
            "boto3 comes from vcs https://github.com/boto/boto3, not from a package index",
        ),
        (
            "requirements.txt",
            "botocore @ https://example.com/botocore-1.35.72-py3-none-any.whl\n",
            "line 1: botocore comes from https://example.com/botocore-1.35.72-py3-none-any.whl,"
            " not from a package index",
        ),
        ("requirements.txt", "boto3 ==1.35.72 junk\n", "line 1: not a requirement: "),
        (
            "requirements.txt",
            "-r https://example.com/r.txt\n",
            "line 1: https://example.com/r.txt is a URL; only files are read",
        ),
        ("requirements.txt", "botocore==1.35.72\n-r\n", "line 2: -r names no file"),
        (
            "settings.toml",
            "[server]\nport = 1\n",
            "TOML, but none of the files a lock: source reads",
        ),
    ],
)
def test_a_file_that_does_not_name_one_release_is_refused(
    tmp_path: Path, name: str, text: str, reason: str
) -> None:
    assert refused(tmp_path, name, text).startswith(reason)


def test_a_range_in_an_included_file_names_it(tmp_path: Path) -> None:
    (tmp_path / "base.txt").write_text("requests\nboto3~=1.35.0\n")

    reason = refused(tmp_path, "requirements.txt", "-r base.txt\n")

    assert reason == (
        f"boto3~=1.35.0 is a range, not an exact pin ({(tmp_path / 'base.txt').as_posix()},"
        " line 2); pin botocore or boto3"
    )


def test_a_range_of_botocore_beside_boto3s_pin_is_no_error(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("botocore>=1.20\nboto3==1.17.41\n")

    assert locked(path)[:2] == ("boto3", "1.17.41")


def test_a_missing_file_and_a_folder_are_named(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"uv\.lock: no such file$"):
        read_locked_release(tmp_path / "uv.lock", ProjectFiles())
    (tmp_path / "requirements.txt").mkdir()
    with pytest.raises(SourceError, match="a folder, not a lock or requirements file"):
        read_locked_release(tmp_path / "requirements.txt", ProjectFiles())


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_bytes(b"botocore==1.35.72 # caf\xe9\n")

    with pytest.raises(SourceError, match="not UTF-8 text"):
        read_locked_release(path, ProjectFiles())


# Lines a requirements file may hold around the pin, none of which pins botocore or boto3.
_NOISE = st.sampled_from(
    [
        "",
        "# botocore==9.9.9 in a comment",
        "   # via boto3",
        "--index-url https://pypi.org/simple",
        "--require-hashes",
        "requests==2.32.3",
        'urllib3==2.2.3 ; python_version >= "3.10"',
        "botocore-stubs==1.35.0",
        "boto3-stubs[s3]>=1.35",
        "-e ./local/package",
        "git+https://example.com/tool.git#egg=tool",
        "jmespath==1.0.1 --hash=sha256:00",
    ]
)


@st.composite
def _pinned_line(draw: st.DrawFn) -> str:
    """`botocore==1.20.41` spelled as pip would accept it, maybe continued over lines."""
    name = draw(st.sampled_from(["botocore", "Botocore", "BOTOCORE"]))
    extras = draw(st.sampled_from(["", "[crt]"]))
    operator = draw(st.sampled_from(["==", " == ", "==="]))
    parts = [f"{name}{extras}{operator}1.20.41"]
    if draw(st.booleans()):
        parts.append('; python_version >= "3.8"')
    parts += ["--hash=sha256:0" + str(n) for n in range(draw(st.integers(0, 2)))]
    if draw(st.booleans()):
        parts.append("# via boto3")
    joiner = draw(st.sampled_from([" ", " \\\n    "]))
    return joiner.join(parts)


@settings(max_examples=80, deadline=None)
@given(before=st.lists(_NOISE, max_size=5), pin=_pinned_line(), after=st.lists(_NOISE, max_size=5))
def test_a_pin_among_any_other_lines_is_found(
    tmp_path_factory: pytest.TempPathFactory, before: list[str], pin: str, after: list[str]
) -> None:
    path = tmp_path_factory.mktemp("requirements") / "requirements.txt"
    path.write_text("\n".join([*before, pin, *after]) + "\n")

    assert locked(path)[:2] == ("botocore", "1.20.41")
