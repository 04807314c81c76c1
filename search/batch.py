"""Scripted queries: a file of queries in, one result per query out, in order.

Input: one query a line (blank lines skipped; the id is the line number), or
JSON Lines ``{"id": …, "query": …}`` — detected from the first non-blank
line. Output streams in input order as queries finish: ``jsonl`` (the API's
result objects), ``tsv`` (a row per hit) or ``trec`` (a TREC run). A bad query
is reported on its own and the batch goes on.

Exit status (``search.exit_status``): 0 every query ran, 1 some had errors, 2 the
batch could not run, 5 every query ran but some on a cluster with a shard missing
(partial results, each marked in its ``shards`` block and warned about on stderr).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from search.analysis.controls import visible
from search.engine import Engine
from search.errors import QuerySyntaxError, SearchError
from search.exit_status import ExitStatus
from search.processes import quiet_pool
from search.retrieval.results import error_object

FORMATS = ("jsonl", "tsv", "trec")
SMALL_BATCH = 200  # below this, worker start-up (loading pyvi) costs more than it saves


class BatchError(SearchError):
    """The batch cannot run at all (exit status 2)."""


@dataclass(frozen=True, slots=True)
class BatchQuery:
    id: str
    query: str
    error: str | None = None  # the input line itself was unusable
    plain: bool = False  # search the text as words (pasted text), not the query language


def parse_input(lines: Iterable[str], plain: bool = False) -> list[BatchQuery]:
    """Queries from plain lines or JSON Lines (auto-detected); ``plain`` is every
    line's default, a JSON line's ``"plain": true/false`` its own choice."""
    numbered = [(n, line.rstrip("\n")) for n, line in enumerate(lines, 1)]
    content = [(n, line) for n, line in numbered if line.strip()]
    if not content:
        return []
    if not content[0][1].lstrip().startswith("{"):
        return [BatchQuery(str(n), line.strip(), plain=plain) for n, line in content]
    out = []
    for n, line in content:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append(BatchQuery(str(n), line, f"line {n} is not valid JSON ({exc.msg})"))
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("query"), str):
            out.append(BatchQuery(str(n), line, f'line {n} needs an object with a "query" string'))
            continue
        if not isinstance(obj.get("plain", plain), bool):
            out.append(BatchQuery(str(n), line, f'line {n}: "plain" must be true or false'))
            continue
        qid = obj.get("id", n)
        out.append(BatchQuery(str(qid) if not isinstance(qid, str) else qid, obj["query"],
                              plain=obj.get("plain", plain)))
    return out


def run_one(engine: Engine, item: BatchQuery, limit: int) -> dict[str, Any]:
    """One output object; never raises for a bad query."""
    if item.error:
        out = error_object(item.query, item.error, 0, "fix the input line")
    else:
        try:
            out = engine.search(item.query, limit=limit, plain=item.plain).to_dict()
        except QuerySyntaxError as exc:
            out = error_object(item.query, exc.message, exc.position, exc.hint, exc.suggestion)
        except Exception as exc:  # one broken query must not end an overnight batch
            out = error_object(item.query, f"internal error: {type(exc).__name__}: {exc}", 0,
                               "please report this query")
    return {"id": item.id, **out}


# --- worker processes ------------------------------------------------------------
_engine: Engine | None = None
_limit = 10


def _init_worker(index: str, limit: int) -> None:
    global _engine, _limit
    _engine, _limit = Engine.open(index), limit


def _work(item: BatchQuery) -> dict[str, Any]:
    assert _engine is not None
    return run_one(_engine, item, _limit)


def results(index: Path, items: list[BatchQuery], limit: int,
            workers: int) -> Iterator[dict[str, Any]]:
    """Results in input order, each as soon as it and those before it are done."""
    if workers <= 1:
        with Engine.open(index) as engine:
            for item in items:
                yield run_one(engine, item, limit)
        return
    with quiet_pool(workers, initializer=_init_worker, initargs=(str(index), limit)) as pool:
        yield from pool.imap(_work, items, chunksize=max(1, min(64, len(items) // (workers * 8))))


# --- output formats ------------------------------------------------------------------
def _clean(text: str) -> str:
    """One line of text that cannot act on a terminal (TSV is read there too)."""
    return visible(" ".join(text.split()))


def write(result: dict[str, Any], fmt: str, out: IO[str], err: IO[str]) -> None:
    if fmt == "jsonl":
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        return
    if result["error"]:
        e = result["error"]
        err.write(f"query {result['id']}: {e['message']} at {e['position']} ({e['hint']})\n")
        return
    for rank, h in enumerate(result["hits"], 1):
        doc = f"{h['article']}#{h['passage']}"
        if fmt == "tsv":
            out.write(f"{result['id']}\t{rank}\t{h['article']}\t{h['passage']}\t"
                      f"{h['score']:.4f}\t{_clean(h['text'])}\n")
        else:  # a TREC run line; qids carry no white space
            qid = "_".join(str(result["id"]).split()) or "0"
            out.write(f"{qid} Q0 {doc} {rank} {h['score']:.4f} vnsearch\n")


def run(index: Path, source: str, *, fmt: str = "jsonl", limit: int = 10,
        workers: int | None = None, out: IO[str] = sys.stdout, err: IO[str] = sys.stderr,
        progress: bool | None = None, plain: bool = False) -> int:
    """Run a batch file (``-``: standard input); return the exit status."""
    if fmt not in FORMATS:
        raise BatchError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if limit < 1:
        raise BatchError("--limit must be at least 1")
    try:
        if source == "-":
            lines = sys.stdin.read().splitlines()
        else:
            lines = Path(source).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchError(f"cannot read {source}: {exc}") from None
    Engine.open(index).close()  # fail early, with the index's own message
    items = parse_input(lines, plain)
    counts = Counter(item.id for item in items)
    repeated = [qid for qid, n in counts.items() if n > 1]
    if repeated:  # a TREC run, and tools reading JSON by id, would merge their hits
        shown = ", ".join(f"{visible(q)!r} ({counts[q]} times)" for q in repeated[:5])
        more = f" and {len(repeated) - 5} more" if len(repeated) > 5 else ""
        err.write(f"batch: warning: repeated query ids {shown}{more}; give each query "
                  "its own id\n")
    if workers is None:
        workers = 1 if len(items) < SMALL_BATCH else (os.cpu_count() or 1)
    show = err.isatty() if progress is None else progress
    start, errors, incomplete = time.perf_counter(), 0, 0
    for n, result in enumerate(results(index, items, limit, max(1, workers)), 1):
        write(result, fmt, out, err)
        out.flush()
        errors += result["error"] is not None
        failed = (result.get("shards") or {}).get("failed")
        if failed:
            incomplete += 1
            names = ", ".join(f["shard"] for f in failed)
            err.write(f"warning: query {result['id']}: partial results, shards missing: "
                      f"{names}\n")
        if show and (n % 50 == 0 or n == len(items)):
            err.write(f"\r{n}/{len(items)} queries")
            err.flush()
    seconds = time.perf_counter() - start
    if show and items:
        err.write("\n")
    rate = len(items) / seconds if seconds > 0 else 0.0
    partial = f", {incomplete} partial (shards missing)" if incomplete else ""
    err.write(f"batch: {len(items)} queries, {errors} errors{partial}, {seconds:.2f}s, "
              f"{rate:.1f} queries/s\n")
    return ExitStatus.SKIPPED if errors else ExitStatus.PARTIAL if incomplete else ExitStatus.DONE
