"""CPU time of this process and of every process it started (the sandbox worker, LibreOffice)."""

from __future__ import annotations

import os
import resource
import statistics
from collections.abc import Callable
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu() -> float:
    """CPU seconds used so far by this process, its finished children and its live descendants."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + done.ru_utime + done.ru_stime
    return total + sum(_cpu_of(pid) for pid in _descendants(os.getpid()))


def median_cpu(action: Callable[[], object], repetitions: int) -> float:
    """Median CPU seconds of `action`, whichever process does the work."""
    spent = []
    for _ in range(repetitions):
        start = tree_cpu()
        action()
        spent.append(tree_cpu() - start)
    return statistics.median(spent)


def _descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            found += [child, *_descendants(child)]
    return found


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
