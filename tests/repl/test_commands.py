"""The console's commands and output on a real index: search, pages, :open,
:explain, suggestions by number, bad input, an index removed under it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search import Engine
from search.repl.commands import Console, Quit


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
