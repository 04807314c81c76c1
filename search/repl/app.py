"""Assemble the prompt from its parts and run the loop.

The pieces live elsewhere: completion (``completion``), colours (``lexer``),
keys (``keys``), commands and output (``commands``, ``search.render``)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import ANSI
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output
from prompt_toolkit.shortcuts import print_formatted_text
from prompt_toolkit.styles import Style

from search.analysis.controls import visible
from search.engine import Engine
from search.query.parser import parse_lenient
from search.repl.commands import Console, Quit
from search.repl.completion import completions
from search.repl.keys import bindings
from search.repl.lexer import QueryLexer

STYLE = Style.from_dict({
    "field": "ansicyan bold", "operator": "ansimagenta bold", "phrase": "ansigreen",
    "range": "ansiyellow", "modifier": "ansiyellow", "paren": "ansiblue",
    "error": "bg:ansired ansiwhite", "bottom-toolbar": "noreverse bg:#303030 #d0d0d0",
    "bottom-toolbar.error": "noreverse bg:#303030 ansired bold",
})


class QueryCompleter(Completer):
    """Feeds :func:`completions` the names the index knows, read again after the
    console changed the index (``:reindex``)."""

    def __init__(self, engine: Engine, console: Console | None = None) -> None:
        self._engine = engine
        self._console = console
        self._facets: tuple[list[str], list[str]] | None = None
        self._revision = -1

    def facets(self) -> tuple[list[str], list[str]]:
        revision = self._console.revision if self._console is not None else 0
        if self._facets is None or revision != self._revision:
            self._facets = ([n for n, _ in self._engine.speakers()],
                            [n for n, _ in self._engine.sources()])
            self._revision = revision
        return self._facets

    def get_completions(self, document: Document,
                        complete_event: CompleteEvent) -> Iterable[Completion]:
        speakers, sources = self.facets()
        for c in completions(document.text_before_cursor, speakers, sources):
            yield Completion(visible(c.text), start_position=c.start, display_meta=c.meta)


def history_file() -> Path:
    from platformdirs import user_state_dir

    path = Path(user_state_dir("vnsearch")) / "history"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def run_piped(engine: Engine, lines: Iterable[str], out: IO[str]) -> int:
    """Queries from a pipe: plain text, no prompt, no colours."""
    console = Console(engine, color=False)
    for line in lines:
        if not line.strip():
            continue
        try:
            out.write(console.handle(line) + "\n\n")
        except Quit:
            break
    return 0


def run(engine: Engine, *, input: Input | None = None, output: Output | None = None,
        history: History | None = None) -> int:
    """The interactive loop; ``input``/``output`` let tests drive it without a terminal."""
    console = Console(engine, color=True, width=shutil.get_terminal_size((100, 24)).columns)
    if history is None:
        try:
            history = FileHistory(str(history_file()))
        except OSError:
            history = InMemoryHistory()

    def toolbar() -> list[tuple[str, str]]:
        text = session.default_buffer.text
        if text.strip() and not text.lstrip().startswith(":"):
            _, errors = parse_lenient(text)
            if errors:
                e = errors[0]
                return [("class:bottom-toolbar.error",
                         f" col {e.position + 1}: {e.message}: {e.hint}")]
        return [("class:bottom-toolbar", console.status())]

    session: PromptSession[str] = PromptSession(
        message="vnsearch> ", lexer=QueryLexer(), completer=QueryCompleter(engine, console),
        complete_while_typing=True, auto_suggest=AutoSuggestFromHistory(), history=history,
        key_bindings=bindings(), bottom_toolbar=toolbar, style=STYLE, input=input,
        output=output)
    print_formatted_text(f"vnsearch on {engine.path} — :help for syntax, Ctrl-D to quit",
                         output=output)
    while True:
        try:
            line = session.prompt()
        except KeyboardInterrupt:
            continue
        except EOFError:
            return 0
        try:
            text = console.handle(line)
        except Quit:
            return 0
        if text:
            print_formatted_text(ANSI(text), output=output)


def main(engine: Engine) -> int:
    if not sys.stdin.isatty():
        return run_piped(engine, sys.stdin, sys.stdout)
    return run(engine)
