"""Where the files that ship with apidiff live: templates, bundled models and schemas.

In a wheel, `templates/` and `models/` are packaged under `apidiff/_data/`; in a source
checkout (including an editable install) they sit at the top of the repository.
"""

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    packaged = _PACKAGE_DIR / "_data"
    return packaged if packaged.is_dir() else _PACKAGE_DIR.parent


def templates_dir() -> Path:
    return data_root() / "templates"


def models_dir() -> Path:
    return data_root() / "models"


def schema_path(name: str) -> Path:
    return _PACKAGE_DIR / "schemas" / name
