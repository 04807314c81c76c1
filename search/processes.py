"""Worker process pools that leave Ctrl-C to the parent.

A terminal sends Ctrl-C's SIGINT to every process in the foreground group. Each
worker would raise its own KeyboardInterrupt and print a traceback (about 25
lines for a 2-core run), some of them before they even finish starting. Workers
are started with SIGINT ignored (an ignored signal stays ignored across the
exec of a spawned process), so only the parent hears it: it says
``interrupted`` once, cancels its write and the pool is terminated.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Callable
from multiprocessing.pool import Pool
from typing import Any


def quiet_pool(workers: int, initializer: Callable[..., None] | None = None,
               initargs: tuple[Any, ...] = ()) -> Pool:
    """A spawn pool (no inherited locks or open index files) whose workers ignore
    SIGINT."""
    ctx = multiprocessing.get_context("spawn")
    if threading.current_thread() is not threading.main_thread():
        return ctx.Pool(workers, initializer=initializer, initargs=initargs)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return ctx.Pool(workers, initializer=initializer, initargs=initargs)
    finally:
        signal.signal(signal.SIGINT, previous)
