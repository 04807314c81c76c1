"""``vnsearch`` run as a user runs it: a new process, from this checkout's code.

The one way the tests run the command line, so that every test runs the same code
(``PYTHONPATH`` names the checkout whatever the working folder) and a hung command
fails its test instead of the whole session."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def vnsearch(*args: str) -> list[str]:
    """The argv of ``vnsearch ARGS`` (for ``subprocess.Popen``: a command to stop midway)."""
    return [sys.executable, "-m", "search", *args]


def environment(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: this process's) with this checkout first on the module path."""
    return {**(os.environ if env is None else env), "PYTHONPATH": str(ROOT)}


def cli(*args: str, cwd: Path = ROOT, timeout: float = 300, input: str | None = None,
        env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``vnsearch ARGS`` to its end; its exit status, stdout and stderr as text."""
    return subprocess.run(vnsearch(*args), capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, input=input, env=environment(env))
