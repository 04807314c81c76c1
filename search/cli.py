"""The ``vnsearch`` command: index, query, and the commands later issues add."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from search.analysis.controls import visible
from search.engine import Engine
from search.errors import QuerySyntaxError, SearchError
from search.render import format_explain, format_results, to_json
from search.resources import default_index_dir


def _progress_printer(enabled: bool) -> Callable[[int, int, str], None]:
    start = time.perf_counter()

    def show(done: int, total: int, path: str) -> None:
        if enabled and (done == total or done % 25 == 0):
            rate = done / max(1e-9, time.perf_counter() - start)
            print(f"\rindexing {done}/{total} files ({rate:.0f} files/s)",
                  end="" if done < total else "\n", file=sys.stderr, flush=True)
            if done == total:  # the engine's final merge: minutes for a large archive
                print("writing the index to disk…", file=sys.stderr, flush=True)
    return show


def _open_or_build(index: Path) -> Engine:
    try:
        return Engine.open(index)
    except SearchError as exc:
        from search.errors import IndexNotFoundError

        if not isinstance(exc, IndexNotFoundError):
            raise
    print(f"no index at {index}; building it from the bundled seeds…", file=sys.stderr)
    engine = Engine.build(index, progress=_progress_printer(sys.stderr.isatty()))
    if engine.last_report:
        print(engine.last_report.summary(), file=sys.stderr)
    return engine


def cmd_index(args: argparse.Namespace) -> int:
    sources = args.paths or None
    engine = Engine.build(args.index, sources, rebuild=args.rebuild, workers=args.workers,
                          engine=args.engine,
                          progress=_progress_printer(sys.stderr.isatty() or args.progress))
    report = engine.last_report
    engine.close()
    assert report is not None
    for skipped in report.skipped:
        print(visible(f"skipped {skipped}"), file=sys.stderr)
    for note in report.notes:
        print(visible(f"warning: {note}"), file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    return 1 if report.skipped else 0


def cmd_query(args: argparse.Namespace) -> int:
    with _open_or_build(args.index) as engine:
        try:
            results = engine.search(args.query, limit=args.limit, offset=args.offset)
        except QuerySyntaxError as exc:
            if args.format == "json":
                print(to_json({"query": args.query, "total": 0, "took_ms": 0, "hits": [],
                               "error": exc.to_dict()}))
            else:
                print(exc.pretty(), file=sys.stderr)
            return 2
        explained = [engine.explain(args.query, h) for h in results] if args.explain else []
    if args.format == "json":
        out = results.to_dict()
        if args.explain:
            for hit, info in zip(out["hits"], explained, strict=True):
                hit["explain"] = {"score": info["score"], "clauses": info["clauses"],
                                  "rewrites": info["rewrites"]}
        print(to_json(out))
    else:
        print(format_results(results, color=sys.stdout.isatty(), offset=args.offset))
        for info in explained:
            print("\n" + format_explain(info))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    with _open_or_build(args.index) as engine:
        try:
            info = engine.explain(args.query)
        except QuerySyntaxError as exc:
            print(exc.pretty(), file=sys.stderr)
            return 2
    print(to_json(info) if args.format == "json" else format_explain(info))
    return 0


def cmd_speakers(args: argparse.Namespace) -> int:
    with _open_or_build(args.index) as engine:
        rows = engine.speakers(args.prefix)
    if args.format == "json":
        print(to_json({"speakers": [{"name": n, "passages": c} for n, c in rows]}))
    else:
        for name, count in rows:
            print(f"{count:>5}  {visible(name)}")
        if not rows:
            print(f"no speaker matches {visible(args.prefix)!r}" if args.prefix
                  else "no speakers in this index", file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from search.evaluation import (
        baseline_run,
        engine_run,
        evaluate,
        read_qrels,
        read_queries,
        read_run,
        write_run,
    )

    queries = read_queries(args.queries)
    qrels = read_qrels(args.qrels)
    with _open_or_build(args.index) as engine:
        run = read_run(args.run) if args.run else engine_run(engine, queries)
        if args.save_run:
            write_run(run, args.save_run)
        report = evaluate(qrels, run)
        print(report.table(f"vnsearch ({len(queries)} queries)"))
        if args.baseline:
            base = evaluate(qrels, baseline_run(engine, queries))
            print()
            print(base.table("naive baseline: word tokens, lowercase, BM25, OR"))
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from search import batch

    try:
        return batch.run(args.index, args.file, fmt=args.format, limit=args.limit,
                         workers=args.workers)
    except SearchError as exc:
        print(f"vnsearch batch: {exc}", file=sys.stderr)
        return 2


def cmd_repl(args: argparse.Namespace) -> int:
    from search.repl.app import main as repl_main

    with _open_or_build(args.index) as engine:
        return repl_main(engine)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vnsearch", description=__doc__)
    parser.add_argument("--index", type=Path, default=None,
                        help="index directory (default: $VNSEARCH_INDEX or ./index)")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("index", help="build or update the index")
    p.add_argument("paths", nargs="*", help="files or directories (default: bundled seeds)")
    p.add_argument("--rebuild", action="store_true", help="start from an empty index")
    p.add_argument("--progress", action="store_true", help="show progress even when piped")
    p.add_argument("--workers", type=int, default=None,
                   help="analysis processes (default: the number of cores)")
    p.add_argument("--engine", choices=("whoosh", "tantivy"), default=None,
                   help="the search engine, chosen when the index is created (default: "
                        "the index's own, else whoosh); another one rebuilds the index")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("query", help="run one query")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--explain", action="store_true",
                   help="break each hit's score down by clause and field")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("explain", help="show how a query is parsed, analysed and compiled")
    p.add_argument("query")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("speakers", help="list who is quoted, with passage counts")
    p.add_argument("prefix", nargs="?", default="", help="only names with a word starting so")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_speakers)

    p = sub.add_parser("repl", help="the interactive console (also: vnsearch with no command)")
    p.set_defaults(func=cmd_repl)

    p = sub.add_parser("batch", help="run a file of queries; JSON Lines, TSV or TREC out")
    p.add_argument("file", help="one query a line, or JSON Lines {id, query}; - for stdin")
    p.add_argument("--format", choices=("jsonl", "tsv", "trec"), default="jsonl")
    p.add_argument("--limit", type=int, default=10, help="hits per query")
    p.add_argument("--workers", type=int, default=None,
                   help="processes (default: the number of cores; 1 for small batches)")
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("eval", help="nDCG@10, MRR@10, Recall@10 on judged queries")
    p.add_argument("queries", type=Path, help="TSV: id<TAB>query")
    p.add_argument("qrels", type=Path, help="TREC qrels: qid 0 article#passage grade")
    p.add_argument("--run", type=Path, help="evaluate this TREC run instead of querying")
    p.add_argument("--save-run", type=Path, help="write the run produced, in TREC format")
    p.add_argument("--baseline", action="store_true",
                   help="also evaluate a naive index without Vietnamese analysis")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.index is None:
        args.index = default_index_dir()
    if not getattr(args, "func", None):
        args.func = cmd_repl  # a terminal gets the console; a pipe gets its queries run
    try:
        return int(args.func(args))
    except SearchError as exc:
        print(visible(f"vnsearch: {exc}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `vnsearch … | head`: the reader left; leave quietly like cat
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # a bug of ours: say so in one line, never a traceback
        print(f"vnsearch: internal error ({type(exc).__name__}: {exc}); "
              "please report it with the command you ran", file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
