"""The import's pause of the cycle collector is shared by overlapping imports.

The web app runs imports on threads; the collector is process-wide. Whatever
order overlapping imports end in, the collector is off while any runs and
back as it was once the last ends.
"""

from __future__ import annotations

import gc

import pytest

from quotes.ingest.importing.run import _no_cycle_collection


@pytest.mark.parametrize("initially", [True, False])
def test_overlapping_pauses_restore_the_collector_after_the_last(initially: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if initially else gc.disable()
        first = _no_cycle_collection()
        second = _no_cycle_collection()
        first.__enter__()
        assert not gc.isenabled()
        second.__enter__()
        first.__exit__(None, None, None)  # the first import ends before the second
        assert not gc.isenabled()
        second.__exit__(None, None, None)
        assert gc.isenabled() is initially
    finally:
        gc.enable() if was else gc.disable()


def test_a_failing_import_still_restores_the_collector() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), _no_cycle_collection():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()
