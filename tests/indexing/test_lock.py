"""One writer at a time per index folder: a second writer waits, then is told
who holds the index; the lock goes with its holder."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from commands import environment

from search.errors import IndexBusyError
from search.indexing.lock import LOCK_FILE, exclusive


def test_a_second_writer_is_refused_after_its_wait(tmp_path: Path) -> None:
    with exclusive(tmp_path, timeout=0):
        start = time.monotonic()
        with pytest.raises(IndexBusyError, match="another process is writing"):
            with exclusive(tmp_path, timeout=0.2):
                pass
        assert time.monotonic() - start >= 0.2
    with exclusive(tmp_path, timeout=0):  # released on leaving
        assert (tmp_path / LOCK_FILE).exists()


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from search.indexing.lock import exclusive\n"
         "with exclusive(Path(sys.argv[1]), timeout=0):\n"
         "    print('held', flush=True); time.sleep(60)", str(tmp_path)],
        stdout=subprocess.PIPE, text=True, env=environment())
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with pytest.raises(IndexBusyError):
        with exclusive(tmp_path, timeout=0):
            pass
    holder.kill()
    holder.wait()
    with exclusive(tmp_path, timeout=5):  # the kernel released it with its holder
        pass
