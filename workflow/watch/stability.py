"""Take a file only once it is complete: closed by its writer or moved in, or else size and mtime
unchanged for a quiet delay; and openable.

watchdog's "created" event fires when a copy starts (watchdog #586), so most events only say
"look at this path". inotify also says when a writer closed the file (CLOSE_WRITE) or a rename
put it in place (MOVED_TO): such a file is taken at once, unless it changed again since. Polling
observers, network shares and files still growing keep the quiet delay.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path

IGNORED = ("~$*", ".~lock.*#", "*.part", "*.crdownload", "*.tmp", "*.swp", ".*", "Thumbs.db", "desktop.ini")


def is_ignored(path: Path, quarantine: Path) -> bool:
    """Office lock files, partial downloads, temporary and hidden files, and the quarantine."""
    if path.is_relative_to(quarantine):
        return True
    return any(fnmatch.fnmatch(path.name, pattern) for pattern in IGNORED)


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float
    closed: bool = False  # its writer closed it, or it was moved in, and it has not changed since


class StabilityTracker:
    """Remember candidate files and release those that stopped changing."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._seen: dict[Path, _Seen] = {}
        self._lock = threading.Lock()

    def touch(self, path: Path, closed: bool = False) -> None:
        """Note that `path` may have changed (an event, or a rescan found it), or that it is complete
        as it stands (`closed`: its writer closed it, or a rename put it in place)."""
        with self._lock:
            if self._observe(path, time.monotonic()) and closed:
                self._seen[path].closed = True

    def ready(self) -> list[Path]:
        """Return the files unchanged for the delay and readable now; forget them."""
        now = time.monotonic()
        out = []
        with self._lock:
            for path in list(self._seen):
                if not self._observe(path, now):
                    continue
                seen = self._seen[path]
                if (seen.closed or now - seen.since >= self.delay) and _openable(path):
                    out.append(path)
                    del self._seen[path]
        return sorted(out)

    def pending(self) -> int:
        with self._lock:
            return len(self._seen)

    def _observe(self, path: Path, now: float) -> bool:
        try:
            info = path.lstat()  # a link or a pipe is judged itself, never followed nor opened
        except OSError:
            self._seen.pop(path, None)  # gone (moved away, deleted): nothing to take
            return False
        seen = self._seen.get(path)
        if seen is None or (seen.size, seen.mtime_ns) != (info.st_size, info.st_mtime_ns):
            self._seen[path] = _Seen(info.st_size, info.st_mtime_ns, now)
        return True


def _openable(path: Path) -> bool:
    """Whether a regular file opens now (a pipe, a device or a link is handed on unopened, to be refused)."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return True
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
        return True
    except OSError:
        return False
