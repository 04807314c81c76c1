"""The console's state and commands; ``handle(line)`` returns what to print.

No prompt_toolkit here: the app feeds lines in and prints what comes out, so
all of it can be tested with plain strings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from search.analysis.controls import visible
from search.engine import Engine
from search.errors import QuerySyntaxError
from search.render import BOLD, RESET, format_explain, format_results, summary, wrap_marked
from search.retrieval.results import Hit, Results, error_object

HELP = """\
Type a query; Enter on an empty line (or :more) shows the next page.

  biên giới Ukraine            words (segmented like the text; no accents is fine: dam bao)
  "Nord Stream"                exact phrase        "Biden Putin"~5   within 5 words
  Lavrov AND Blinken           AND OR NOT - +  ( )  (VÀ HOẶC KHÔNG in capitals)
  speaker:Sullivan             who speaks           speaker:"Jake Sullivan"
  date:2021-12                 article date         date:[2021-12-01 TO 2021-12-31]  date:>=2022
  source:PLVN   title:(đột phá OR thỏa thuận)   article:003_12f5a146de662289
  Ushak*   Kremlinn~   NATO^2   \\"  \\:          prefix, fuzzy, boost, escapes

Commands: :open N  :explain [N]  :limit N  :format text|json  :speakers [prefix]
          :stats  :reindex  :more  :N (run suggestion N)  :help  :quit   (Ctrl-D quits)"""


class Quit(Exception):
    """The user asked to leave."""


class _Usage(Exception):
    """A command used wrongly: its message is the answer, not an error report."""


@dataclass
class Console:
    engine: Engine
    color: bool = True
    width: int = 100
    limit: int = 10
    fmt: str = "text"
    query: str | None = None
    offset: int = 0
    results: Results | None = None
    shown: dict[int, Hit] = field(default_factory=dict)  # rank -> hit, every page of the query
    revision: int = 0  # bumped when the index changes under the console (:reindex)

    # entry point ----------------------------------------------------------------
    def handle(self, line: str) -> str:
        """Run one line (query or command); never raises but :class:`Quit`."""
        line = line.strip()
        try:
            if not line:
                return self._more() if self.query else ""
            if line.startswith(":"):
                return self._command(line)
            return self._search(line, 0)
        except Quit:
            raise
        except _Usage as exc:
            return str(exc)
        except QuerySyntaxError as exc:
            # the bar and :open must not go on naming the previous query's hits
            self.query, self.results, self.shown, self.offset = None, None, {}, 0
            if self.fmt == "json":
                return json.dumps(error_object(line, exc.message, exc.position, exc.hint),
                                  ensure_ascii=False)
            text = exc.pretty()
            return f"\x1b[31m{text}{RESET}" if self.color else text
        except Exception as exc:  # one bad line never ends the session
            removed = self._removed()
            if removed:
                return removed
            return visible(f"error: {type(exc).__name__}: {exc}")

    def _removed(self) -> str:
        """The index folder deleted under the console: say that, not "damaged" or an
        engine's own error."""
        path = Path(self.engine.path)
        if not self.engine.location.vanished():
            return ""
        return visible(f"the index at {path} was removed while the console was open; quit "
                       f"(Ctrl-D) and build it again with: vnsearch index --index {path}")

    # queries ----------------------------------------------------------------------
    def _search(self, query: str, offset: int) -> str:
        results = self.engine.search(query, limit=self.limit, offset=offset)
        if query != self.query or offset == 0:
            self.shown = {}
        self.query, self.offset, self.results = query, offset, results
        self.shown.update({offset + n: hit for n, hit in enumerate(results.hits, 1)})
        if self.fmt == "json":
            return json.dumps(results.to_dict(), ensure_ascii=False)
        text = format_results(results, color=self.color, offset=offset)
        if offset + len(results.hits) < results.total or len(results.hits) == self.limit:
            text += "\n(Enter or :more for the next page)"
        if results.incomplete:  # a cluster with a shard down: say so under the hits
            warning = results.shard_warning()
            text += "\n" + (f"\x1b[33m{warning}{RESET}" if self.color else warning)
        return text

    def _more(self) -> str:
        """The next page; the end is where a page comes back empty (beyond 200 matches
        the total of unique passages is an estimate)."""
        assert self.query is not None
        if self.results is not None and (len(self.results.hits) < self.limit or
                                         self.offset + self.limit >= self.results.total):
            nxt = self.engine.search(self.query, limit=1, offset=self.offset + self.limit)
            if not nxt.hits:
                return "no more results"
        return self._search(self.query, self.offset + self.limit)

    def _hit(self, arg: str, command: str) -> Hit:
        """Hit number ``arg`` of the current query, from any page shown so far."""
        if self.results is None or not self.shown:
            raise _Usage("run a query first")
        if not arg.strip().isdigit():
            raise _Usage(f"usage: {command} N  (N: a hit number, "
                         f"{min(self.shown)}-{max(self.shown)})")
        hit = self.shown.get(int(arg))
        if hit is None:
            raise _Usage(f"no hit {int(arg)}: the hits shown are "
                         f"{min(self.shown)}-{max(self.shown)}")
        return hit

    # commands ---------------------------------------------------------------------
    def _command(self, line: str) -> str:
        name, _, arg = line.partition(" ")
        arg = arg.strip()
        if name[1:].isdigit():
            return self._run_suggestion(int(name[1:]))
        handler = {
            ":help": lambda: HELP, ":quit": self._quit, ":q": self._quit, ":exit": self._quit,
            ":more": lambda: self._more() if self.query else "run a query first",
            ":open": lambda: self._open(arg), ":explain": lambda: self._explain(arg),
            ":limit": lambda: self._set_limit(arg), ":format": lambda: self._set_format(arg),
            ":speakers": lambda: self._speakers(arg), ":stats": self._stats,
            ":reindex": self._reindex,
        }.get(name)
        if handler is None:
            return f"unknown command {name}; :help lists them"
        return handler()

    def _quit(self) -> str:
        raise Quit

    def _run_suggestion(self, n: int) -> str:
        tips = self.results.suggestions if self.results is not None else []
        if not 1 <= n <= len(tips) or tips[n - 1].query is None:
            return f"no runnable suggestion {n}"
        return self._search(tips[n - 1].query or "", 0)

    def _open(self, arg: str) -> str:
        hit = self._hit(arg or str(min(self.shown, default=1)), ":open")
        head = [hit.article] + [x for x in (hit.title, hit.date, hit.source) if x]
        lines = [visible(" · ".join(head))]
        for p in self.engine.article(hit.article):
            mark = p["passage"] == hit.passage
            body = wrap_marked(visible(p["text"]), hit.highlights if mark else [], color=self.color,
                               width=self.width)
            if mark:
                body = body.replace("    ", ">>> ", 1)
                if self.color:
                    body = BOLD + body + RESET
            lines.append(body)
        return "\n\n".join(lines)

    def _explain(self, arg: str) -> str:
        if not self.query:
            return "run a query first"
        hit = self._hit(arg, ":explain") if arg else None
        return format_explain(self.engine.explain(self.query, hit))

    def _set_limit(self, arg: str) -> str:
        if not arg.isdigit() or not 1 <= int(arg) <= 1000:
            return "usage: :limit N  (1 to 1000)"
        self.limit = int(arg)
        return f"{self.limit} hits per page"

    def _set_format(self, arg: str) -> str:
        if arg not in ("text", "json"):
            return "usage: :format text|json"
        self.fmt = arg
        return f"results as {arg}"

    def _speakers(self, prefix: str) -> str:
        rows = self.engine.speakers(prefix)
        return "\n".join(f"{n:>5}  {visible(name)}" for name, n in rows[:100]) or (
            f"no speaker matches {visible(prefix)!r}" if prefix else "no speakers indexed")

    def _stats(self) -> str:
        s = self.engine.stats()
        return f"{s['articles']} articles, {s['passages']} passages in {self.engine.path}"

    def _reindex(self) -> str:
        report = self.engine.index(self.engine.roots())
        self.revision += 1  # new speakers and outlets for completion
        return report.summary()

    def status(self) -> str:
        """The bottom bar's resting text."""
        if self.results is None:
            return " :help for syntax · Ctrl-D quits"
        return f" {summary(self.results)} · page {self.offset // self.limit + 1}"
