"""The reading worker: a memory ceiling and a time limit named in French, and a fresh worker after."""

from __future__ import annotations

import time

import pytest

from workflow.intake import sandbox
from workflow.parsers import Illisible, Motif


@pytest.mark.timeout(60)
def test_reading_past_the_time_limit_is_stopped_and_named():
    start = time.perf_counter()
    with pytest.raises(Illisible) as refused:
        sandbox.run(sum, range(10**12), time_limit=1)  # pure CPU: RLIMIT_CPU stops it
    assert refused.value.motif == Motif.TROP_VOLUMINEUX
    assert "limite de temps de 1 s" in refused.value.detail and time.perf_counter() - start < 10
    with pytest.raises(Illisible, match="limite de temps"):
        sandbox.run(time.sleep, 30, time_limit=1)  # waiting, no CPU: the wall clock stops it
    assert sandbox.run(sum, [1, 2, 3]) == 6, "a fresh worker takes the next file"


@pytest.mark.timeout(60)
def test_reading_past_the_memory_ceiling_is_stopped_and_named():
    with pytest.raises(Illisible) as refused:
        sandbox.run(bytearray, 2 * sandbox.MEMORY_LIMIT)
    assert (
        refused.value.detail == f"document trop volumineux : sa lecture dépasse la limite de mémoire de "
        f"{sandbox.MEMORY_LIMIT >> 20} Mo"
    )
    assert sandbox.run(len, b"abc") == 3


def test_a_crash_of_the_reader_is_an_internal_error_not_a_lost_file():
    with pytest.raises(sandbox.ArretBrutal):
        sandbox.run(int, "pas un nombre")
