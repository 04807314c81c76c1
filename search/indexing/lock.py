"""One writer at a time per index directory, across processes.

``flock`` is released by the kernel when its holder dies, even by ``kill -9``,
so a crashed run never leaves a stale lock behind."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from search.backends.base import lock_timeout
from search.errors import IndexBusyError

LOCK_FILE = "vnsearch.lock"


@contextmanager
def exclusive(index: Path, timeout: float | None = None) -> Iterator[None]:
    wait = lock_timeout() if timeout is None else timeout
    fd = os.open(index / LOCK_FILE, os.O_CREAT | os.O_RDWR, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusyError(
                        f"another process is writing to the index at {index} (waited "
                        f"{wait:g}s); try again when it has finished") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock
