"""Room on the stack for walks through deeply nested shapes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

_RECURSION_LIMIT = 50_000


@contextmanager
def deep_recursion() -> Iterator[None]:
    """Room for walks through deeply nested shapes (a chain of thousands of structures).

    Real models nest a few dozen levels; generated or hand-written ones need not. Calls
    between Python functions use no C stack in 3.11+, so a higher limit is safe.
    """
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)
