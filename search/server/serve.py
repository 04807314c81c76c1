"""``vnsearch serve``: its options, and running the app on uvicorn. Kept apart
from ``search.cli`` so that the other commands do not import the web stack."""

from __future__ import annotations

import argparse
import os
import sys

from search.errors import UsageError
from search.server.settings import LOCAL_HOSTS, SETTINGS_ENV, Settings


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only; "
                        "any other needs --api-key)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--workers", type=int, default=1,
                   help="processes (Whoosh searches hold the GIL: more processes serve "
                        "more at once; tantivy and Xapian use threads in one)")
    p.add_argument("--api-key", default=os.environ.get("VNSEARCH_API_KEY"),
                   help="key clients send as 'Authorization: Bearer KEY' (default: "
                        "$VNSEARCH_API_KEY); needed to listen beyond this machine")
    p.add_argument("--cors", action="append", default=[], metavar="ORIGIN",
                   help="let pages from ORIGIN call the API (repeatable; default: none)")
    p.add_argument("--timeout", type=float, default=10.0,
                   help="seconds a search may take before a 503 (default 10)")
    p.add_argument("--max-in-flight", type=int, default=32,
                   help="searches admitted at once per process, running or waiting; past "
                        "it a 503 with Retry-After (default 32)")
    p.add_argument("--threads", type=int, default=4,
                   help="searches running at once per process (default 4)")


def settings_from(args: argparse.Namespace) -> Settings:
    """Refuse an open address without a key: the index would be readable by anyone
    on the network. With a key, say that it is open."""
    if args.host not in LOCAL_HOSTS and not args.api_key:
        raise UsageError(f"--host {args.host} listens beyond this machine: give "
                         "--api-key KEY (or set VNSEARCH_API_KEY)")
    if min(args.workers, args.max_in_flight, args.threads) < 1 or args.timeout <= 0:
        raise UsageError("--workers, --threads and --max-in-flight must be 1 or more, "
                         "--timeout above 0")
    if args.host not in LOCAL_HOSTS:
        print(f"warning: listening on {args.host}: anyone who can reach it and holds "
              "the API key can read the index", file=sys.stderr)
    return Settings(index=str(args.index.resolve()), api_key=args.api_key,
                    cors=tuple(args.cors), timeout=args.timeout,
                    max_in_flight=args.max_in_flight, threads=args.threads)


def cmd_serve(args: argparse.Namespace, open_engine: object) -> int:
    """Open (or build from the seeds) the index once here, so that its errors are
    reported before a worker starts; each worker then opens it itself."""
    import uvicorn

    settings = settings_from(args)
    engine = open_engine(args.index)  # type: ignore[operator]
    engine.close()
    os.environ[SETTINGS_ENV] = settings.to_env()
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"vnsearch: serving {args.index} on http://{shown}:{args.port}/ "
          "(Ctrl-C stops)", file=sys.stderr, flush=True)
    uvicorn.run("search.server.app:app_from_env", factory=True, host=args.host,
                port=args.port, workers=args.workers, log_level="warning",
                timeout_graceful_shutdown=5)
    print("vnsearch: stopped", file=sys.stderr)
    return 0
