"""vnsearch: search Vietnamese news by who said what, when.

Index folders of articles (plain text, JSON Lines), then query them from the
command line, in batches or in the interactive console."""

from __future__ import annotations

import argparse
import errno
import os
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from search.analysis.controls import visible
from search.backends import ENGINES
from search.engine import Engine
from search.errors import QuerySyntaxError, SearchError
from search.exit_status import ExitStatus, help_text
from search.indexing.indexer import IndexReport, NothingReadError
from search.indexing.location import locate
from search.render import (
    format_explain,
    format_results,
    index_report_lines,
    partial_figures_warning,
    to_json,
)
from search.resources import default_index_dir
from search.retrieval.results import error_object

_open_line = False  # a progress line without its newline is on stderr


def _end_progress_line() -> None:
    global _open_line
    if _open_line:
        print(file=sys.stderr)
        _open_line = False


def _progress_printer(enabled: bool) -> Callable[[int, int, str], None]:
    """Files done, at most twice a second; inside a ``.jsonl`` crawl, its line too."""
    start = time.perf_counter()
    last = 0.0

    def show(done: int, total: int, label: str) -> None:
        global _open_line
        nonlocal last
        now = time.perf_counter()
        if not enabled or (done < total and now - last < 0.5 and done % 25):
            return
        last = now
        rate = done / max(1e-9, now - start)
        where = label.rsplit(":", 1)[-1] if ".jsonl" in label and ":" in label else ""
        at = f", {Path(label.rsplit(':', 1)[0]).name} line {where}" if where.isdigit() else ""
        print(f"\rindexing {done}/{total} files ({rate:.0f} files/s{at})",
              end="", file=sys.stderr, flush=True)
        _open_line = True
        if done == total and not at:  # the engine's final merge: minutes for a large archive
            _end_progress_line()
            print("writing the index to disk…", file=sys.stderr, flush=True)
    return show


def _open_existing(index: Path) -> Engine:
    """Only ``index`` (and the console, saying so) creates an index: a mistyped
    ``--index`` for a query is an error (exit 2), not a new index of the seeds."""
    locate(index).check_openable()  # a file, or a folder of other files: says so
    return Engine.open(index)


def _open_or_build(index: Path) -> Engine:
    try:
        return Engine.open(index)
    except SearchError as exc:
        from search.errors import IndexNotFoundError

        if not isinstance(exc, IndexNotFoundError):
            raise
    location = locate(index)
    location.check_openable()  # before saying anything: the folder may not be ours
    roots = location.meta().roots  # a first build stopped halfway: its own folders
    print(f"no index at {index}; building it from " + (", ".join(roots) if roots else
          "the bundled seeds") + "…", file=sys.stderr)
    engine = Engine.build(index, progress=_progress_printer(sys.stderr.isatty()))
    if engine.last_report:
        print(engine.last_report.summary(), file=sys.stderr)
    return engine


def _print_report(report: IndexReport) -> None:
    _end_progress_line()
    for line in index_report_lines(report):
        print(line, file=sys.stderr)


def cmd_index(args: argparse.Namespace) -> int:
    sources = args.paths or None
    index = Path(args.index)
    new = not locate(index).exists()
    made = [p for p in index.absolute().parents if not p.exists()]  # folders it will need
    try:
        engine = Engine.build(index, sources, rebuild=args.rebuild, workers=args.workers,
                              engine=args.engine, dask=args.dask,
                              progress=_progress_printer(sys.stderr.isatty() or args.progress))
    except NothingReadError as exc:
        _print_report(exc.report)
        print(visible(f"vnsearch: {exc}"), file=sys.stderr)
        return ExitStatus.SYSTEM
    report = engine.last_report
    engine.close()
    assert report is not None
    _print_report(report)
    print(report.summary(), file=sys.stderr)
    if new:  # and the folders made for it (--index /data/vn-index made /data): say so
        also = f" (and the folder {made[-1]})" if made else ""
        print(visible(f"created a new index at {index}{also}"), file=sys.stderr)
    return ExitStatus.SKIPPED if report.incomplete else ExitStatus.DONE


def _print_query_error(exc: QuerySyntaxError, args: argparse.Namespace) -> None:
    """``--format json`` gets the error as JSON on stdout (what a script parses);
    text gets the caret picture on stderr."""
    if args.format == "json":
        print(to_json(error_object(args.query, exc.message, exc.position, exc.hint,
                                   exc.suggestion)))
    else:
        print(exc.pretty(), file=sys.stderr)


def cmd_query(args: argparse.Namespace) -> int:
    with _open_existing(args.index) as engine:
        try:
            results = engine.search(args.query, limit=args.limit, offset=args.offset,
                                    plain=args.plain)
        except QuerySyntaxError as exc:
            _print_query_error(exc, args)
            return ExitStatus.USAGE
        explained = [engine.explain(args.query, h, plain=args.plain) for h in results] \
            if args.explain else []
    if results.incomplete:
        print(results.shard_warning(), file=sys.stderr)
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
    return ExitStatus.PARTIAL if results.incomplete else ExitStatus.DONE


def _missing_shards(shards: dict[str, Any] | None) -> bool:
    """Warn on stderr when a cluster answered without some shard (status 5)."""
    warning = partial_figures_warning(shards)
    if warning:
        print(warning, file=sys.stderr)
    return bool(warning)


def cmd_explain(args: argparse.Namespace) -> int:
    with _open_existing(args.index) as engine:
        try:
            info = engine.explain(args.query)
        except QuerySyntaxError as exc:
            _print_query_error(exc, args)
            return ExitStatus.USAGE
    print(to_json(info) if args.format == "json" else format_explain(info))
    return ExitStatus.PARTIAL if _missing_shards(info.get("shards")) else ExitStatus.DONE


def cmd_speakers(args: argparse.Namespace) -> int:
    with _open_existing(args.index) as engine:
        rows = engine.speakers(args.prefix)
        shards = engine.shards()
    partial = _missing_shards(shards)
    if args.format == "json":
        print(to_json({"speakers": [{"name": n, "passages": c} for n, c in rows],
                       **({"shards": shards} if partial else {})}))
    else:
        for name, count in rows:
            print(f"{count:>5}  {visible(name)}")
        if not rows:
            print(f"no speaker matches {visible(args.prefix)!r}" if args.prefix
                  else "no speakers in this index", file=sys.stderr)
    return ExitStatus.PARTIAL if partial else ExitStatus.DONE


def cmd_eval(args: argparse.Namespace) -> int:
    from search.evaluation import (
        baseline_run,
        check_judged,
        engine_run,
        evaluate,
        read_qrels,
        read_queries,
        read_run,
        write_run,
    )

    queries = read_queries(args.queries)
    qrels = read_qrels(args.qrels)
    check_judged(queries, qrels, args.qrels)
    with _open_existing(args.index) as engine:
        run = read_run(args.run) if args.run else engine_run(engine, queries)
        if args.save_run:
            write_run(run, args.save_run)
        report = evaluate(qrels, run)
        print(report.table(f"vnsearch ({len(queries)} queries)"))
        if args.baseline:
            base = evaluate(qrels, baseline_run(engine, queries))
            print()
            print(base.table("naive baseline: word tokens, lowercase, BM25, OR"))
    return ExitStatus.DONE


def cmd_batch(args: argparse.Namespace) -> int:
    from search import batch

    try:
        return batch.run(args.index, args.file, fmt=args.format, limit=args.limit,
                         workers=args.workers, plain=args.plain)
    except SearchError as exc:
        print(f"vnsearch batch: {exc}", file=sys.stderr)
        return ExitStatus.USAGE


def cmd_cluster_status(args: argparse.Namespace) -> int:
    """Each copy of each shard: reachable, passages, revision (commits so far)."""
    rows = locate(args.index).status()
    if args.format == "json":
        print(to_json({"cluster": str(args.index), "copies": rows}))
    else:
        for r in rows:
            state = (f"up  {r['passages']:>9} passages  revision {r['revision']}"
                     if r["reachable"] else f"DOWN  {r['reason']}")
            if "lag" in r:
                state += f"  {r['lag']} behind" + ("  BEHIND" if r["behind"] else "")
            print(f"{r['shard']:<8} {r['role']:<8} {r['address']:<22} {state}")
    down = {r["shard"] for r in rows if not r["reachable"]}
    live = {r["shard"] for r in rows if r["reachable"]}
    if down - live:
        return ExitStatus.USAGE
    behind = [r for r in rows if r.get("behind")]
    for r in behind:
        print(f"warning: {r['shard']}'s replica {r['address']} is {r['lag']} revisions behind "
              "its primary (max_lag in the cluster file)", file=sys.stderr)
    return ExitStatus.PARTIAL if down or behind else ExitStatus.DONE


def cmd_serve(args: argparse.Namespace) -> int:
    from search.server.serve import cmd_serve as serve

    return serve(args, _open_or_build)


def cmd_repl(args: argparse.Namespace) -> int:
    from search.repl.app import main as repl_main

    with _open_or_build(args.index) as engine:
        return repl_main(engine)


MAX_WORKERS_PER_CORE = 2  # more processes than this only share the same cores


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def not_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def capped_workers(requested: int | None) -> int | None:
    """``--workers`` above what the machine can run at once is capped, with a note:
    a thousand processes each loading the analysers take minutes to do nothing."""
    cap = MAX_WORKERS_PER_CORE * (os.cpu_count() or 1)
    if requested is not None and requested > cap:
        print(f"vnsearch: --workers {requested} capped at {cap} "
              f"({MAX_WORKERS_PER_CORE} per core)", file=sys.stderr)
        return cap
    return requested


def _system_error(exc: OSError | Exception, args: argparse.Namespace) -> str:
    """One line: which path, and what the system said."""
    if isinstance(exc, OSError):
        where = exc.filename if exc.filename is not None else getattr(args, "index", "")
        cause = exc.strerror or str(exc)
        code = errno.errorcode.get(exc.errno or 0)
        return visible(f"vnsearch: {where}: {cause}" + (f" [{code}]" if code else ""))
    return visible(f"vnsearch: {getattr(args, 'index', '')}: {exc}")


_SYSTEM_MESSAGES = ("No space left on device", "Read-only file system", "Permission denied",
                    "Disk quota exceeded")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: given after the command it wins, not given it leaves the global one
    common.add_argument("--index", type=Path, default=argparse.SUPPRESS,
                        help="index directory (default: $VNSEARCH_INDEX or ./index)")
    description = f"{__doc__}\n\n{textwrap.fill(help_text(), 84)}"
    parser = argparse.ArgumentParser(prog="vnsearch", description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=None,
                        help="index directory (default: $VNSEARCH_INDEX or ./index)")
    sub = parser.add_subparsers(dest="command")

    def add(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help)

    p = add("index", help="build or update the index")
    p.add_argument("paths", nargs="*", help="files or directories (default: the index's own "
                   "folders again; the bundled seeds for a new index)")
    p.add_argument("--rebuild", action="store_true", help="start from an empty index")
    p.add_argument("--progress", action="store_true", help="show progress even when piped")
    p.add_argument("--workers", type=positive, default=None,
                   help="analysis processes (default: the number of cores)")
    p.add_argument("--engine", choices=ENGINES, default=None,
                   help="the search engine, chosen when the index is created (default: "
                        "the index's own, else whoosh); another one rebuilds the index")
    p.add_argument("--dask", metavar="tcp://HOST:8786", default=None,
                   help="analyse on the workers of this Dask scheduler (they must read "
                        "the same paths) instead of local processes")
    p.set_defaults(func=cmd_index)

    p = add("query", help="run one query")
    p.add_argument("query")
    p.add_argument("--limit", type=positive, default=10)
    p.add_argument("--offset", type=not_negative, default=0)
    p.add_argument("--plain", action="store_true",
                   help="search the text as words: operators, quotes and fields are text")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--explain", action="store_true",
                   help="break each hit's score down by clause and field")
    p.set_defaults(func=cmd_query)

    p = add("explain", help="show how a query is parsed, analysed and compiled")
    p.add_argument("query")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_explain)

    p = add("speakers", help="list who is quoted, with passage counts")
    p.add_argument("prefix", nargs="?", default="", help="only names with a word starting so")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_speakers)

    p = add("repl", help="the interactive console (also: vnsearch with no command)")
    p.set_defaults(func=cmd_repl)

    p = add("batch", help="run a file of queries; JSON Lines, TSV or TREC out")
    p.add_argument("file", help="one query a line, or JSON Lines {id, query}; - for stdin")
    p.add_argument("--format", choices=("jsonl", "tsv", "trec"), default="jsonl")
    p.add_argument("--limit", type=positive, default=10, help="hits per query")
    p.add_argument("--plain", action="store_true",
                   help='search each line as words, operators and all (a JSON line\'s '
                        '"plain" overrides it)')
    p.add_argument("--workers", type=positive, default=None,
                   help="processes (default: the number of cores; 1 for small batches)")
    p.set_defaults(func=cmd_batch)

    p = add("serve", help="a search page and a JSON API over HTTP (127.0.0.1 by default)")
    from search.server.serve import add_options as add_serve_options

    add_serve_options(p)
    p.set_defaults(func=cmd_serve)

    p = add("cluster", help="a cluster of shards (--index cluster.toml)")
    csub = p.add_subparsers(dest="cluster_command", required=True)
    c = csub.add_parser("status", help="each shard's copies: reachable, passages, revision")
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.set_defaults(func=cmd_cluster_status)

    p = add("eval", help="nDCG@10, MRR@10, Recall@10 on judged queries")
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
    if hasattr(args, "workers"):
        args.workers = capped_workers(args.workers)
    try:
        return int(args.func(args))
    except SearchError as exc:
        _end_progress_line()
        print(visible(f"vnsearch: {exc}"), file=sys.stderr)
        return ExitStatus.USAGE
    except KeyboardInterrupt:
        _end_progress_line()
        print("interrupted", file=sys.stderr)
        return ExitStatus.INTERRUPTED
    except OSError as exc:  # the user's disk or files, not a bug of ours
        if isinstance(exc, BrokenPipeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return ExitStatus.BROKEN_PIPE
        _end_progress_line()
        print(_system_error(exc, args), file=sys.stderr)
        return ExitStatus.SYSTEM
    except Exception as exc:
        _end_progress_line()  # a bug of ours: say so in one line, never a traceback
        if any(m in str(exc) for m in _SYSTEM_MESSAGES):  # tantivy's I/O errors
            print(_system_error(exc, args), file=sys.stderr)
            return ExitStatus.SYSTEM
        print(visible(f"vnsearch: internal error ({type(exc).__name__}: {exc}); "
                      "please report it with the command you ran"), file=sys.stderr)
        return ExitStatus.INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
