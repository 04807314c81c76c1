"""The console: completion, highlighting, commands, the app, and a real terminal."""

from __future__ import annotations

import json
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
from search.repl.commands import Console, Quit
from search.repl.completion import completions
from search.repl.lexer import fragments, spans

SPEAKERS = ["Điện Kremlin", "Jake Sullivan", "Vladimir Putin", "Sergei Lavrov"]
SOURCES = ["PLVN", "Tuổi trẻ"]
REAL_QUERIES = ['speaker:"Jake Sullivan" date:[2021-12-01 TO 2021-12-31] "Nord Stream"',
                'title:(đột phá OR thỏa thuận) -NATO Ushak* Kremlinn~1 NATO^2', ":open 3",
                'source:"tuoi tre" AND (Lavrov OR Blinken)', "biên giới „Nord Stream\""]


@pytest.mark.parametrize(("before", "expected"), [
    ("speaker:sul", ['speaker:"Jake Sullivan"']),
    ("speaker:SUL", ['speaker:"Jake Sullivan"']),
    ("speaker:dien", ['speaker:"Điện Kremlin"']),
    ("Ukraine speaker:kreml", ['speaker:"Điện Kremlin"']),
    ('speaker:"lav', ['speaker:"Sergei Lavrov"']),
    ("source:", ["source:PLVN", 'source:"Tuổi trẻ"']),
    ("source:tuoi", ['source:"Tuổi trẻ"']),
    ("spe", ["speaker:"]),
    ("NATO A", ["article:", "AND"]),
    ('speaker:"jake su', ['speaker:"Jake Sullivan"']),
    ("NATO a", ["article:"]),
    (":ex", [":explain"]),
    (":", None),
])
def test_completions(before: str, expected: list[str] | None) -> None:
    got = [c.text for c in completions(before, SPEAKERS, SOURCES)]
    if expected is None:
        assert len(got) >= 10 and ":help" in got
    else:
        assert got == expected
    for c in completions(before, SPEAKERS, SOURCES):  # it replaces exactly the word being typed
        replaced = before[len(before) + c.start:]
        assert -c.start <= len(before) and replaced == replaced.lstrip()


def test_completions_and_highlighting_cover_every_prefix_of_real_queries() -> None:
    for q in REAL_QUERIES:
        for i in range(len(q) + 1):
            for c in completions(q[:i], SPEAKERS, SOURCES):
                assert c.text and -c.start <= i  # replaces at most what was typed
            # the highlighted fragments are the text typed, cut into styled pieces
            assert "".join(text for _, text in fragments(q[:i])) == q[:i]


def test_highlighting_uses_the_grammar_tokens() -> None:
    kinds = {kind for _, _, kind in spans('speaker:Putin AND "Nord Stream" date:>=2021 x~ a*')}
    assert {"FIELD_NAME", "_AND", "PHRASE", "CMP", "FUZZY", "WILDCARD"} <= kinds
    per_char = [style for style, text in fragments("NATO AND") for _ in text]
    assert per_char[5] == "class:error", "the error position is red"
    assert per_char[6] == "class:operator"
    unclosed = fragments('Ukraine "Nord Str')
    assert unclosed[-1] == ("class:error", '"Nord Str')


@pytest.fixture()
def console(engine: Engine) -> Console:
    return Console(engine, color=False, width=100)


def test_console_searches_and_pages(console: Console) -> None:
    first = console.handle("Ukraine")
    assert first.startswith(" 1. ") and "(Enter or :more for the next page)" in first
    second = console.handle("")
    assert second.startswith("11. ")
    assert console.handle(":more").startswith("21. ")
    assert console.status().endswith("page 3")


def test_console_open_explain_limit_format(console: Console) -> None:
    console.handle(":limit 3")
    assert console.handle("Lavrov").count("·") >= 3
    opened = console.handle(":open 2")
    assert opened.startswith("004_12fe0e7d6c291417") and opened.count(">>>") == 1
    assert "score:" in console.handle(":explain 1")
    assert "no hit 9: the hits shown are 1-3" in console.handle(":open 9")
    console.handle(":format json")
    assert json.loads(console.handle("Lavrov"))["total"] == 3
    assert "usage" in console.handle(":limit zero")


def test_console_suggestions_run_by_number(console: Console) -> None:
    out = console.handle("Kremlinn")
    assert "[1]" in out and "try: Kremlin" in out
    assert "Điện Kremlin" in console.handle(":1")


def test_console_survives_everything(console: Console) -> None:
    assert "unclosed quote" in console.handle('"Nord Stream')
    assert "unknown command" in console.handle(":frobnicate")
    assert "run a query first" in Console(console.engine, color=False).handle(":explain")
    assert "Jake Sullivan" in console.handle(":speakers sul")
    assert "articles" in console.handle(":stats")
    with pytest.raises(Quit):
        console.handle(":quit")


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


def test_an_invalid_query_clears_the_previous_hits(console: Console) -> None:
    """Issue 22, item 26: the bar and :open must not go on naming the last hits."""
    console.handle("Lavrov")
    assert "page 1" in console.status()
    assert "unclosed quote" in console.handle('"Nord Stream')
    assert console.status() == " :help for syntax · Ctrl-D quits"
    assert console.handle(":open 1") == "run a query first"
    assert console.handle("") == ""  # Enter pages nothing


@pytest.mark.parametrize("line", ["Putin", ":stats", ":reindex", ":speakers", "NATO"])
def test_a_removed_index_is_named_as_removed(tmp_path: Path, seeds: Path, line: str) -> None:
    """Issue 22, item 19: the index folder deleted while the console is open."""
    import shutil

    index = tmp_path / "ix"
    with Engine.build(index, [seeds]) as engine:
        console = Console(engine, color=False)
        console.handle("NATO")
        shutil.rmtree(index)
        engine.refresh()
        out = console.handle(line)
        assert out == (f"the index at {index} was removed while the console was open; quit "
                       f"(Ctrl-D) and build it again with: vnsearch index --index {index}"), out
