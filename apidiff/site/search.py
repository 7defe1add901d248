"""The site's search index: Pagefind (the `pagefind[bin]` package ships its binary), run over
the staged pages. Only the service pages of each release are indexed (they carry
`data-pagefind-body`), with filters by service, kind of change and severity.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from apidiff.site.errors import SiteError

SEARCH_INDEX = "pagefind"


def search_available() -> bool:
    return importlib.util.find_spec("pagefind_bin") is not None


def index_site(root: Path) -> None:
    """Write the search index into `root/pagefind/`."""
    if not search_available():
        raise SiteError("pagefind", "the search index needs pagefind: pip install 'pagefind[bin]'")
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(root),
            "--output-subdir",
            SEARCH_INDEX,
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode != 0:
        reason = (finished.stderr or finished.stdout).strip().splitlines()
        raise SiteError("pagefind", reason[-1] if reason else f"exit {finished.returncode}")
