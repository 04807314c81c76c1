"""The console as an app: prompt_toolkit fed from a pipe, plain text when stdin is
not a terminal, and one session in a real terminal (pexpect)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from commands import cli
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from search import Engine
from search.repl.app import run


def test_app_with_pipe_input(engine: Engine) -> None:
    with create_pipe_input() as inp:
        inp.send_text("Lavrov\r:open 1\r\x03:quit\r")
        assert run(engine, input=inp, output=DummyOutput()) == 0
    with create_pipe_input() as inp:
        inp.send_text("NATO\r")
        inp.close()  # end of input is Ctrl-D
        assert run(engine, input=inp, output=DummyOutput()) == 0


@pytest.mark.slow
def test_piped_stdin_prints_plain_text(engine: Engine) -> None:
    proc = cli("--index", str(engine.path), input="Lavrov\n\nKremlinn\n")
    assert proc.returncode == 0, proc.stderr
    assert "\x1b[" not in proc.stdout and "vnsearch>" not in proc.stdout
    assert "Sergei Lavrov" in proc.stdout and "try: Kremlin" in proc.stdout


@pytest.mark.slow
def test_real_terminal_session(engine: Engine, tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path), "TERM": "xterm", "COLUMNS": "100",
           "PROMPT_TOOLKIT_NO_CPR": "1"}  # nobody answers cursor-position requests here
    child = pexpect.spawn(sys.executable, ["-m", "search", "--index", str(engine.path)],
                          env=env, encoding="utf-8", timeout=30, dimensions=(40, 100))
    def prompt_then(keys: str) -> None:
        # input sent while the tty is being switched to raw mode is discarded, so wait
        # for the prompt to be drawn and settle, as a person would
        child.expect("vnsearch>")
        child.expect(r"\x1b\[\?25h")
        time.sleep(0.5)
        child.send(keys)

    try:
        prompt_then("Ukraine\r")
        child.expect(r"\x1b\[(?:0;)?1mUkraine")  # a highlighted match
        child.expect("next page")
        prompt_then("\r")
        child.expect(r"11\. ")  # the second page
        prompt_then(":open 11\r")
        child.expect(">>> ")
        prompt_then(":quit\r")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert (tmp_path / "vnsearch" / "history").read_text(encoding="utf-8").count("Ukraine") == 1
