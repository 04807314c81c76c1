"""The benchmark: vnsearch against raw Whoosh on the same generated corpus, in one run.

    python bench/run.py --articles 10000 [--workers 2] [--out bench/RESULTS.md]

Reports indexing passages/s with its split (read+clean, attribution, analysis,
engine), peak RSS and index size; query latency p50/p95/p99 per query class;
start-up to first result; batch queries/s. Raw Whoosh indexes the same
passages pre-tokenised (syllables, one positional field) and answers the
nearest equivalent query; every figure is also given as a ratio to it.
Run by hand, never in the test suite.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import Generator  # noqa: E402

from search import Engine  # noqa: E402
from search.analysis import fold  # noqa: E402


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(fn, repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def percentiles(values: list[float]) -> str:
    """p50 / p95 / p99 of latencies in ms, as the tables print them."""
    return f"{pct(values, 50):.1f} / {pct(values, 95):.1f} / {pct(values, 99):.1f}"


def vnsearch(index: Path, *args: str, check: bool = True) -> float:
    """Seconds for one ``vnsearch`` command in a new process: start-up included."""
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "search", "--index", str(index), *args], check=check,
                   capture_output=True)
    return time.perf_counter() - t


def batch_line(index: Path, queries: list[str], qfile: Path, check: bool = True) -> str:
    """Batch throughput of ``queries`` written to ``qfile``, a line of the report."""
    qfile.write_text("\n".join(queries) + "\n", encoding="utf-8")
    seconds = vnsearch(index, "batch", str(qfile), check=check)
    return (f"Batch: {len(queries)} queries in {seconds:.1f} s "
            f"({len(queries) / seconds:.1f} queries/s, start-up included).\n")


def bounds(stored: dict[str, Any]) -> tuple[int | None, int | None]:
    """The yyyymmdd interval of a passage's article date, as our index holds it."""
    from search.date_values import parse_iso

    value = parse_iso(stored["date"]) if stored.get("date") else None
    return value.bounds() if value else (None, None)


def build_raw(index_dir: Path, engine: Engine) -> tuple[float, int, object]:
    """Raw Whoosh: the same passages, pre-tokenised syllables, one positional field."""
    from whoosh import index as windex
    from whoosh.analysis import SpaceSeparatedTokenizer
    from whoosh.fields import ID, NUMERIC, TEXT, Schema

    docs = [(f"{d['article']}#{d['passage']}", d["text"], bounds(d))
            for d in engine.iter_passages()]
    from search.analysis import analyze

    pretokenised = [(i, " ".join(fold(s) for s in analyze(t, segment=False).syllables), b)
                    for i, t, b in docs]
    schema = Schema(id=ID(stored=True), date_lo=NUMERIC(bits=32), date_hi=NUMERIC(bits=32),
                    text=TEXT(analyzer=SpaceSeparatedTokenizer(),
                                                  phrase=True))
    index_dir.mkdir(parents=True)
    ix = windex.create_in(str(index_dir), schema)
    t = time.perf_counter()
    w = ix.writer(limitmb=256)
    for i, text, (lo, hi) in pretokenised:
        dates = {"date_lo": lo, "date_hi": hi} if lo is not None else {}
        w.add_document(id=i, text=text, **dates)
    w.commit()
    return time.perf_counter() - t, len(pretokenised), ix


Pairs = dict[str, list[tuple[str, object]]]


def build_raw_tantivy(index_dir: Path, engine: Engine) -> tuple[float, int, object]:
    """Raw tantivy: the same passages, pre-tokenised syllables, one positional field."""
    import tantivy

    from search.analysis import analyze

    docs = [(f"{d['article']}#{d['passage']}", [fold(s) for s in
             analyze(d["text"], segment=False).syllables], d["text"], bounds(d))
            for d in engine.iter_passages()]
    out: list[tuple[float, Any]] = []
    # the second raw index also stores each passage's text: a search engine that shows
    # passages must, so it is the fairer yardstick for the size of ours
    for folder, store_text in ((index_dir, False), (index_dir.with_name("raw-stored"), True)):
        shutil.rmtree(folder, ignore_errors=True)
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("id", stored=True, tokenizer_name="raw")
        sb.add_text_field("text", tokenizer_name="raw", index_option="position")
        sb.add_integer_field("date_lo", indexed=True, fast=True)
        sb.add_integer_field("date_hi", indexed=True, fast=True)
        if store_text:
            sb.add_bytes_field("body", stored=True)
        schema = sb.build()
        folder.mkdir(parents=True)
        ix = tantivy.Index(schema, path=str(folder))
        t = time.perf_counter()
        w = ix.writer(heap_size=256 * 1024 * 1024, num_threads=1)
        for i, terms, text, (lo, hi) in docs:
            d = tantivy.Document(id=i)
            if lo is not None:
                d.add_integer("date_lo", lo)
                d.add_integer("date_hi", hi)
            toks = [tantivy.Token(x, p, 0, 0) for p, x in enumerate(terms)]
            d.add_pre_tokenized_text("text", tantivy.PreTokenizedString(" ".join(terms), toks))
            if store_text:
                d.add_bytes("body", text.encode("utf-8"))
            w.add_document(d)
        w.commit()
        w.wait_merging_threads()
        ix.reload()
        out.append((time.perf_counter() - t, ix))
    return out[0][0], len(docs), out[0][1]


def to_tantivy(q: object, schema: object) -> object:
    """The raw Whoosh query of a pair, as the same raw tantivy query."""
    import tantivy
    from tantivy import Occur, Query
    from whoosh import query as wq

    if isinstance(q, wq.Term):
        return Query.term_query(schema, "text", q.text)
    if isinstance(q, wq.And):
        return Query.boolean_query([(Occur.Must, to_tantivy(c, schema)) for c in q.subqueries])
    if isinstance(q, wq.Phrase):
        return Query.phrase_query(schema, "text", list(q.words))
    if isinstance(q, wq.NumericRange):
        return Query.range_query(schema, q.fieldname, tantivy.FieldType.Integer, q.start, q.end)
    if isinstance(q, wq.FuzzyTerm):
        return Query.fuzzy_term_query(schema, "text", q.text, q.maxdist, False)
    if isinstance(q, wq.Prefix):
        return Query.regex_query(schema, "text", re.escape(q.text) + ".*")
    raise TypeError(q)


def query_classes(engine: Engine, rng: random.Random, n: int) -> Pairs:
    """(vnsearch query, raw Whoosh query) pairs per class, drawn from the corpus itself."""
    from whoosh import query as wq

    # every k-th passage, about 20,000 in all: the whole archive need not be in memory
    stride = max(1, engine.stats()["passages"] // 20_000)
    passages = list(itertools.islice(engine.iter_passages(), 0, None, stride))
    counts: Counter[str] = Counter()
    for d in rng.sample(passages, min(400, len(passages))):
        counts.update(w for w in d["text"].split() if w.isalpha() and len(w) > 2)
    common = [w for w, _ in counts.most_common(300)[20:]]
    speakers = [s for s, _ in engine.speakers()[:20]] or ["Putin"]

    def syl(w: str) -> str:
        return fold(w.lower())

    def pair_phrase() -> tuple[str, str]:
        d = rng.choice(passages)
        words = [w for w in d["text"].split() if w.isalpha()]
        i = rng.randrange(max(1, len(words) - 1))
        return (words[i], words[min(i + 1, len(words) - 1)])

    out: Pairs = {k: [] for k in (
        "one term", "two terms", "phrase", "no-accent", "speaker+phrase", "date range+term",
        "prefix", "fuzzy")}
    for _ in range(n):
        a, b = rng.choice(common), rng.choice(common)
        out["one term"].append((a, wq.Term("text", syl(a))))
        out["two terms"].append((f"{a} AND {b}", wq.And([wq.Term("text", syl(a)),
                                                          wq.Term("text", syl(b))])))
        x, y = pair_phrase()
        out["phrase"].append((f'"{x} {y}"', wq.Phrase("text", [syl(x), syl(y)])))
        out["no-accent"].append((fold(f"{x} {y}"), wq.And([wq.Term("text", syl(x)),
                                                            wq.Term("text", syl(y))])))
        s = rng.choice(speakers)
        out["speaker+phrase"].append((f'speaker:"{s}" "{x} {y}"',
                                      wq.Phrase("text", [syl(x), syl(y)])))
        year = rng.randint(2019, 2024)
        # the raw side filters the same interval on its own date fields
        out["date range+term"].append((f"date:[{year}-01 TO {year}-06] {a}", wq.And([
            wq.Term("text", syl(a)), wq.NumericRange("date_lo", year * 10000 + 101, None),
            wq.NumericRange("date_hi", None, year * 10000 + 630)])))
        out["prefix"].append((f"{a[:3]}*", wq.Prefix("text", syl(a[:3]))))
        out["fuzzy"].append((f"{a}x~1", wq.FuzzyTerm("text", syl(a) + "x", maxdist=1)))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--articles", type=int, default=1000)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--engine", choices=("whoosh", "tantivy"), default="whoosh")
    p.add_argument("--queries", type=int, default=30, help="queries per class")
    p.add_argument("--keep", type=Path, help="keep the corpus and indexes here")
    p.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = p.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="vnbench-"))
    corpus, index, raw_dir = work / "corpus", work / "index", work / "raw"
    for d in (index, raw_dir, raw_dir.with_name("raw-stored")):
        shutil.rmtree(d, ignore_errors=True)
    if not corpus.exists():
        corpus.mkdir(parents=True)
        for name, text in Generator(1).articles(args.articles):
            (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    cmd = [sys.executable, "-m", "search", "--index", str(index), "index", str(corpus),
           "--engine", args.engine]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run(cmd, check=False, capture_output=True)
    index_seconds = time.perf_counter() - t
    rss_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    meta = json.loads((index / "vnsearch.json").read_text())
    engine = Engine.open(index)
    passages = engine.stats()["passages"]
    build = build_raw_tantivy if args.engine == "tantivy" else build_raw
    raw_seconds, raw_docs, raw_ix = build(raw_dir, engine)
    raw_name = f"raw {args.engine}"
    ours_rate, raw_rate = passages / index_seconds, raw_docs / raw_seconds
    lines = [f"\n## {datetime.date.today()} — {args.articles:,} generated articles "
             f"({passages:,} passages)\n",
             f"Machine: {platform.processor() or platform.machine()}, "
             f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}. "
             f"Command: `python bench/run.py --engine {args.engine} --articles {args.articles}"
             + (f" --workers {args.workers}" if args.workers else "") + "`.\n",
             f"| indexing ({args.engine}) | vnsearch | {raw_name} (pre-tokenised) | ratio |",
             "|---|---|---|---|",
             f"| passages/s end to end | {ours_rate:,.0f} | {raw_rate:,.0f} | "
             f"{ours_rate / raw_rate:.2f} |",
             f"| index size | {du(index) / 2**20:,.0f} MiB | {du(raw_dir) / 2**20:,.0f} MiB | "
             f"{du(index) / max(1, du(raw_dir)):.2f} |",
             f"| peak RSS while indexing | {rss_mb:,.0f} MiB | | |\n"]
    stored_raw = raw_dir.with_name("raw-stored")
    if stored_raw.exists():
        lines.insert(-1, f"| index size, raw also storing the text | "
                     f"{du(index) / 2**20:,.0f} MiB | {du(stored_raw) / 2**20:,.0f} MiB | "
                     f"{du(index) / max(1, du(stored_raw)):.2f} |")
    # the split comes from an in-process run on a slice (the subprocess does not return it)
    sample = sorted(corpus.glob("*.txt"))[: min(300, args.articles)]
    with tempfile.TemporaryDirectory() as tmp:
        slice_dir = Path(tmp) / "c"
        slice_dir.mkdir()
        for f in sample:
            shutil.copy(f, slice_dir)
        rep = Engine.build(Path(tmp) / "ix", [slice_dir], workers=1,
                           engine=args.engine).last_report
        assert rep is not None
        total = sum(rep.timings.values())
        lines.append("Split of one-process indexing time (first 300 articles): " + ", ".join(
            f"{k} {v / total:.0%}" for k, v in rep.timings.items()) + ".\n")
    rng = random.Random(5)
    classes = query_classes(engine, rng, args.queries)
    # vnsearch reports the exact total with every page; tantivy's search counts by
    # default, Whoosh's does not: its raw side is also timed counting (len(results))
    counted = args.engine == "whoosh"
    lines += [f"| query class | vnsearch p50 / p95 / p99 ms | {raw_name} p50 / p95 / p99 ms | "
              "p50 ratio |" + (" raw counting the total, p50 ms | p50 ratio |" if counted else ""),
              "|---|---|---|---|" + ("---|---|" if counted else "")]
    engine.search("khởi động")  # load pyvi before timing
    if args.engine == "tantivy":
        rsearch = raw_ix.searcher()  # type: ignore[attr-defined]
        schema = raw_ix.schema  # type: ignore[attr-defined]

        def run_raw(r: object) -> None:
            rsearch.search(to_tantivy(r, schema), 10)
    else:
        rsearch = raw_ix.searcher()  # type: ignore[attr-defined]

        def run_raw(r: object) -> None:
            rsearch.search(r, limit=10)

        def run_raw_counted(r: object) -> None:
            len(rsearch.search(r, limit=10))
    for name, pairs in classes.items():
        ours = [timed(lambda q=q: engine.search(q, limit=10))[0] for q, _ in pairs]
        raw = [timed(lambda r=r: run_raw(r))[0] for _, r in pairs]
        row = (f"| {name} | {percentiles(ours)} | {percentiles(raw)} | "
               f"{pct(ours, 50) / max(1e-6, pct(raw, 50)):.1f} |")
        if counted:
            both = [timed(lambda r=r: run_raw_counted(r))[0] for _, r in pairs]
            row += f" {pct(both, 50):.1f} | {pct(ours, 50) / max(1e-6, pct(both, 50)):.1f} |"
        lines.append(row)
    start_ours = vnsearch(index, "query", "Putin", "--limit", "1")
    raw_start = ("import sys\nfrom whoosh import index, query\nix = index.open_dir(sys.argv[1])\n"
                 "ix.searcher().search(query.Term('text', 'putin'), limit=1)\n")
    if args.engine == "tantivy":
        raw_start = ("import sys, tantivy\nix = tantivy.Index.open(sys.argv[1])\n"
                     "ix.searcher().search(tantivy.Query.term_query(ix.schema, 'text', 'putin'),"
                     " 1)\n")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", raw_start, str(raw_dir)], check=True,
                   capture_output=True)
    start_raw = time.perf_counter() - t
    lines.append(f"\nStart-up to first result (new process): vnsearch {start_ours:.2f} s, "
                 f"{raw_name} {start_raw:.2f} s (ratio {start_ours / start_raw:.1f}).")
    lines.append(batch_line(index, [q for pairs in classes.values() for q, _ in pairs],
                            work / "batch.txt", check=False))
    engine.close()
    text = "\n".join(lines) + "\n"
    del meta
    print(text)
    with args.out.open("a", encoding="utf-8") as f:
        f.write(text)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
