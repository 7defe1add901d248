"""The indexes of a model: those made from another model's are the model's own."""

from __future__ import annotations

import pytest

from apidiff.diff.shapes import redefined_shapes
from tests.diff.bundled import BUNDLED_PAIRS, as_multisets, load_bundled


@pytest.mark.parametrize(("old", "new", "service"), BUNDLED_PAIRS)
@pytest.mark.parametrize("reverse", [False, True], ids=["forward", "backward"])
def test_referrers_mended_from_the_other_release_are_the_models_own(
    old: str, new: str, service: str, reverse: bool
) -> None:
    earlier, later = load_bundled(old, service), load_bundled(new, service)
    if reverse:
        earlier, later = later, earlier
    computed = as_multisets(later.referrers)
    mended = load_bundled(new if not reverse else old, service)
    mended.take_referrers_from(earlier, redefined_shapes(earlier, later))
    assert as_multisets(mended.referrers) == computed


@pytest.mark.parametrize(("old", "new", "service"), BUNDLED_PAIRS[:3])
def test_referrers_mended_with_every_shape_redefined_are_the_models_own(
    old: str, new: str, service: str
) -> None:
    earlier, later = load_bundled(old, service), load_bundled(new, service)
    mended = load_bundled(new, service)
    mended.take_referrers_from(earlier, earlier.shapes.keys() | later.shapes.keys())
    assert as_multisets(mended.referrers) == as_multisets(later.referrers)
