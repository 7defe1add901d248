import gc

import pytest

from apidiff.collector import collections_paused


@pytest.fixture(autouse=True)
def _collector_restored():
    collecting = gc.isenabled()
    yield
    if collecting:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_pauses_inside_and_runs_again_after():
    gc.enable()
    with collections_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    with collections_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_the_collector_runs_again_after_an_error():
    gc.enable()
    with pytest.raises(ValueError), collections_paused():
        raise ValueError("boom")
    assert gc.isenabled()
