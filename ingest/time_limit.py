"""Run one reader in a worker process with a time limit: a small hostile file (a PDF whose content
streams take minutes to interpret) cannot hold an ingest hostage, and the limit is reported as a limit."""

from __future__ import annotations

import atexit
import multiprocessing
import threading
from collections.abc import Callable
from multiprocessing.pool import Pool
from typing import TypeVar

from ingest.errors import IngestError
from partnership_qa.quiet import quiet_libraries

T = TypeVar("T")
_pool: Pool | None = None
_lock = threading.Lock()


def _worker() -> Pool:
    """One spawned worker, started on first use and kept: a fresh interpreter (no torch, no threads of
    ours) costs about half a second once, not per file."""
    global _pool
    if _pool is None:
        _pool = multiprocessing.get_context("spawn").Pool(1, initializer=quiet_libraries)  # pypdf's own warnings
        atexit.register(_stop)
    return _pool


def _stop() -> None:
    global _pool
    if _pool is not None:
        _pool.terminate()
        _pool = None


def within(seconds: float, what: str, function: Callable[..., T], *args: object) -> T:
    """function(*args) in the worker; an IngestError naming the limit when it takes longer than seconds."""
    with _lock:  # one file at a time through the one worker
        pending = _worker().apply_async(function, args)
        try:
            return pending.get(timeout=seconds)
        except multiprocessing.TimeoutError:
            _stop()  # the worker is stuck in the file: end it, the next file gets a new one
            raise IngestError(
                f"{what} took over {seconds:.0f} s, the limit: re-export or print it to a new PDF and ingest that"
            ) from None
