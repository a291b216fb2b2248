"""Run a reader in a worker process with a memory ceiling and a time limit, one file at a time.

A hostile file (a PDF whose page holds 50 MB of text, a .docx of 200 000 paragraphs) must not
take the machine: readers run in warm worker processes whose address space is capped
(`RLIMIT_AS`) and whose CPU time is bounded per file (`RLIMIT_CPU`, reset before each file), and
the caller waits no longer than the wall-clock limit. A worker over a limit is killed and a fresh
one started; the file is refused « document trop volumineux » naming the limit it went over.

One caller at a time uses one worker; callers in several threads (a batch reading ahead) each get
their own, up to `WORKERS` of them, every one under the same limits.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import math
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from workflow.parsers.base import Illisible, Motif, trop_volumineux

log = logging.getLogger(__name__)
T = TypeVar("T")

MEMORY_LIMIT = 1 << 30  # bytes of address space for the worker (its imports take about 150 MB)
TIME_LIMIT = 30.0  # seconds of CPU, and of waiting, for one file
GRACE = 2.0  # extra wall-clock seconds before a worker that no longer answers is killed
WORKERS = min(os.cpu_count() or 1, 4)  # workers reading at once, at most (each under MEMORY_LIMIT)


class ArretBrutal(RuntimeError):
    """The worker died without an answer (a crash in a C library): an internal error, logged."""


@dataclass(frozen=True)
class Mesure:
    """What the last file cost the worker: its peak resident memory so far and the time taken."""

    pic_memoire_kib: int
    cpu_s: float


derniere_mesure = Mesure(0, 0.0)


def run(func: Callable[..., T], *args: Any, time_limit: float | None = None) -> T:
    """Return `func(*args)` computed in a worker, or raise what it raised (`Illisible` kept)."""
    limit = TIME_LIMIT if time_limit is None else time_limit
    with _slots:
        worker = _take()
        try:
            answer = worker.call(func, args, limit)
        except _Silence:
            _drop(worker)
            raise trop_volumineux(f"sa lecture dépasse la limite de temps de {limit:.0f} s") from None
        except EOFError:
            code = worker.exitcode()
            _drop(worker)
            if code == -signal.SIGXCPU:
                raise trop_volumineux(f"sa lecture dépasse la limite de temps de {limit:.0f} s") from None
            if code == -signal.SIGKILL:
                raise trop_volumineux(_memoire()) from None
            raise ArretBrutal(f"le lecteur s'est arrêté brutalement (code {code})") from None
        except BaseException:  # interrupted while waiting: the worker's answer would be out of step
            _drop(worker)
            raise
        if answer[0] == "memoire":
            _drop(worker)  # a worker that ran out of memory is not trusted with the next file
        else:
            _give_back(worker)
    return _unpack(answer)


def start(count: int) -> None:
    """Start workers ahead of a batch (up to `WORKERS` in all), so that they load the readers while
    the caller opens the registry."""
    with _lock:
        missing = min(count, WORKERS) - len(_idle) - len(_busy)
    for _ in range(max(missing, 0)):
        worker = _Worker()
        with _lock:
            _idle.append(worker)


def reset() -> None:
    """Stop the workers, even those reading (their callers get a refusal); the next call starts a
    fresh one (its peak memory measured from zero)."""
    global _generation
    with _lock:
        _generation += 1
        idle, busy = _idle[:], list(_busy)
        _idle.clear()
    for worker in busy:
        worker.stop()  # its caller sees it gone, and discards it
    for worker in idle:
        worker.kill()


class _Silence(Exception):
    """The worker did not answer within the wall-clock limit."""


class _Worker:
    """A Python process started for reading (no fork of a big or threaded parent), fed by pipes."""

    def __init__(self) -> None:
        self.generation = _generation
        root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen(
            # -P: the current folder is not put first on the path (a `workflow/` there would be run instead)
            [sys.executable, "-P", "-m", "workflow.intake.sandbox", str(MEMORY_LIMIT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin, self.stdout = self.process.stdin, self.process.stdout

    def alive(self) -> bool:
        return self.process.poll() is None

    def call(self, func: Callable[..., Any], args: tuple[Any, ...], limit: float) -> tuple[Any, ...]:
        try:
            _send(self.stdin, (func, args, limit))
        except (BrokenPipeError, OSError):
            raise EOFError from None
        ready, _, _ = select.select([self.stdout], [], [], limit + GRACE)
        if not ready:
            raise _Silence
        answer: tuple[Any, ...] = _receive(self.stdout)
        return answer

    def exitcode(self) -> int | None:
        try:
            return self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return None

    def stop(self) -> None:
        """Kill the process, leaving its pipes to the thread that talks to it."""
        with contextlib.suppress(OSError):
            self.process.kill()

    def kill(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()
        self.stdin.close()
        self.stdout.close()


def _send(stream: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    size = struct.unpack("<Q", head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


_lock = threading.Lock()  # guards the idle workers and the generation
_slots = threading.BoundedSemaphore(WORKERS)
_idle: list[_Worker] = []
_busy: set[_Worker] = set()
_generation = 0


def _take() -> _Worker:
    """Return an idle worker still alive, or a new one."""
    with _lock:
        while _idle:
            worker = _idle.pop()
            if worker.alive() and worker.generation == _generation:
                _busy.add(worker)
                return worker
            worker.kill()
    worker = _Worker()
    with _lock:
        _busy.add(worker)
    return worker


def _give_back(worker: _Worker) -> None:
    with _lock:
        _busy.discard(worker)
        if worker.generation == _generation and worker.alive():
            _idle.append(worker)
            return
    worker.kill()


def _drop(worker: _Worker) -> None:
    with _lock:
        _busy.discard(worker)
    worker.kill()


atexit.register(reset)


def _memoire() -> str:
    return f"sa lecture dépasse la limite de mémoire de {MEMORY_LIMIT >> 20} Mo"


def _unpack(answer: tuple[Any, ...]) -> Any:
    global derniere_mesure
    kind, payload, mesure = answer
    derniere_mesure = mesure
    if kind == "ok":
        return payload
    if kind == "illisible":
        raise Illisible(Motif(payload[0]), payload[1])
    if kind == "memoire":
        raise trop_volumineux(_memoire())
    log.error("Erreur dans le lecteur :\n%s", payload[2])
    raise ArretBrutal("erreur interne du lecteur")


def _serve(memory: int) -> None:
    """The worker's loop: cap memory, then answer one call at a time until its input closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops us
    resource.setrlimit(resource.RLIMIT_AS, (memory, resource.getrlimit(resource.RLIMIT_AS)[1]))
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the answers
    while True:
        try:
            func, args, limit = _receive(source)
        except EOFError:
            return
        try:
            _send(sink, _answer(func, args, limit))
        except BrokenPipeError:
            return


def _answer(func: Callable[..., Any], args: tuple[Any, ...], limit: float) -> tuple[Any, ...]:
    start = _cpu()
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    resource.setrlimit(resource.RLIMIT_CPU, (math.ceil(start + limit), hard))
    try:
        result: tuple[Any, ...] = ("ok", func(*args))
    except Illisible as e:
        result = ("memoire", None) if _from_memory(e) else ("illisible", (e.motif.value, e.detail))
    except MemoryError:
        result = ("memoire", None)
    except Exception as e:
        result = ("erreur", (type(e).__name__, str(e)[:500], traceback.format_exc()))
    return (*result, Mesure(_peak_kib(), _cpu() - start))


def _peak_kib() -> int:
    """Return this process's own peak resident memory (VmHWM: `ru_maxrss` would count the parent's
    memory at the fork before our exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            line = next((raw for raw in status if raw.startswith("VmHWM:")), "")
        return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _from_memory(error: BaseException) -> bool:
    """Tell a refusal caused by running out of memory (a reader's broad `except`) apart."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, MemoryError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":  # the worker: run from the package's module, not as __main__, so answers unpickle
    import workflow.intake.document
    from workflow.intake.sandbox import _serve as serve

    workflow.intake.document.load_readers()  # the .docx readers, loaded once per worker (e-mails' on the first)

    serve(int(sys.argv[1]))
