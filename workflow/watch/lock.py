"""One watcher per workspace: an exclusive lock on registry/surveillance.lock."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from workflow.errors import CdvError
from workflow.workspace import Workspace

LOCK = "surveillance.lock"
STATUS = "etat.json"  # written by the watcher, read by `cdv etat`: here, so that reading it stays light


@contextmanager
def single_instance(workspace: Workspace) -> Iterator[None]:
    """Hold the workspace's watcher lock, or refuse with the pid of the one that holds it."""
    path = workspace.registry / LOCK
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            handle.seek(0)
            raise CdvError(f"Une surveillance tourne déjà pour cet espace (processus {handle.read().strip()}).") from e
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield


def running(workspace: Workspace) -> bool:
    """Tell whether a watcher holds the workspace's lock now."""
    path = workspace.registry / LOCK
    if not path.exists():
        return False
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
