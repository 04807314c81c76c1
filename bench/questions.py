"""Questions pasted as typed: question -> paragraph retrieval on XQuAD's Vietnamese set.

Run by hand (never in the test suite)::

    python bench/questions.py                       # both engines, both BM25 anchors
    python bench/questions.py --engines tantivy --work /tmp/xq   # keep the indexes

Each XQuAD paragraph is one passage (an article per title, a paragraph a line);
real Vietnamese paragraphs from Debian's ``libreoffice-help-vi`` are the
distractors (``apt-get download`` + ``dpkg-deb -x``: nothing is installed). Every
question is run exactly as written; the paragraph it was asked on is its one right
answer. Printed beside vnsearch, in the same run: two BM25 anchors that know
nothing of Vietnamese (Whoosh's default analyser, tantivy with lowercase and
ASCII folding, the question's words OR-ed).

``--half even|odd`` keeps every other title (sorted): tune on one, check on the
other. The data set is read from ``../shared/data/xquad-vi-dev/``; none of it is
copied into the repository.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from search import Engine, QuerySyntaxError

ROOT = Path(__file__).resolve().parents[1]
XQUAD = ROOT.parent / "shared" / "data" / "xquad-vi-dev" / "xquad.vi.dev.json"
Question = tuple[str, str]  # (question, id of the right paragraph)


def read_xquad(path: Path, half: str) -> tuple[dict[str, list[str]], list[Question]]:
    """Articles (title -> paragraphs) and questions, each with its paragraph's id."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    titles = sorted(a["title"] for a in data)
    keep = {t for i, t in enumerate(titles)
            if half == "all" or (i % 2 == 0) == (half == "even")}
    articles: dict[str, list[str]] = {}
    questions: list[Question] = []
    for n, art in enumerate(sorted(data, key=lambda a: a["title"])):
        if art["title"] not in keep:
            continue
        aid = f"xq{n:02d}"
        articles[aid] = []
        for p, para in enumerate(art["paragraphs"]):
            articles[aid].append(" ".join(para["context"].split()))
            questions += [(qa["question"], f"{aid}#{p}") for qa in para["qas"]]
    return articles, questions


_P = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_VI = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def distractors(folder: Path) -> dict[str, list[str]]:
    """Paragraphs of Vietnamese prose from LibreOffice's help, a page an article."""
    if not folder.exists():
        folder.mkdir(parents=True)
        subprocess.run(["apt-get", "download", "libreoffice-help-vi"], cwd=folder, check=True,
                       capture_output=True)
        deb = next(folder.glob("*.deb"))
        subprocess.run(["dpkg-deb", "-x", str(deb), str(folder)], check=True)
    out: dict[str, list[str]] = {}
    for n, page in enumerate(sorted(folder.rglob("*.html"))):
        paras = []
        for m in _P.finditer(page.read_text(encoding="utf-8", errors="replace")):
            text = " ".join(html.unescape(_TAG.sub(" ", m.group(1))).split())
            if len(text.split()) >= 6 and len(_VI.findall(text)) >= 3:
                paras.append(text)
        if paras:
            out[f"lo{n:04d}"] = list(dict.fromkeys(paras))
    return out


def write_corpus(folder: Path, articles: dict[str, list[str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for aid, paras in articles.items():
        # a neutral title line, so that no paragraph is taken for the title
        (folder / f"{aid}.txt").write_text(f"Bài {aid}\n" + "\n".join(paras) + "\n",
                                           encoding="utf-8")


def scores(ranks: list[int | None]) -> dict[str, float]:
    """MRR@10, success@10 and success@1 from each question's rank (None: not in top 10)."""
    n = len(ranks)
    return {"MRR@10": sum(1 / r for r in ranks if r) / n,
            "S@10": sum(1 for r in ranks if r) / n,
            "S@1": sum(1 for r in ranks if r == 1) / n}


def rank_of(found: list[str], right: str) -> int | None:
    return next((i + 1 for i, f in enumerate(found[:10]) if f == right), None)


def run(name: str, questions: list[Question], search: Callable[[str], list[str]]) -> dict:
    ranks, times, errors = [], [], 0
    for q, right in questions:
        t0 = time.perf_counter()
        try:
            found = search(q)
        except QuerySyntaxError as exc:
            # what a user does next: run the suggestion the error offers, if any
            errors += 1
            alternative = getattr(exc, "suggestion", "")  # older versions offer none
            found = search(alternative) if alternative else []
        times.append(time.perf_counter() - t0)
        ranks.append(rank_of(found, right))
    out = scores(ranks)
    times.sort()
    out.update(errors=errors, p50_ms=1000 * statistics.median(times),
               p95_ms=1000 * times[int(0.95 * (len(times) - 1))], qps=len(times) / sum(times))
    print(f"{name:<34} MRR@10 {out['MRR@10']:.3f}  S@10 {out['S@10']:.3f}  "
          f"S@1 {out['S@1']:.3f}  errors {errors:<3} p50 {out['p50_ms']:6.1f} ms  "
          f"p95 {out['p95_ms']:6.1f} ms  {out['qps']:5.1f} q/s", flush=True)
    return out


def vnsearch_search(engine: Engine, paragraph_of: dict[tuple[str, int], str],
                    plain: bool) -> Callable[[str], list[str]]:
    def search(q: str) -> list[str]:
        res = engine.search(q, limit=10, plain=plain) if plain else engine.search(q, limit=10)
        return [paragraph_of.get((h.article, h.passage), "?") for h in res.hits]
    return search


def whoosh_anchor(work: Path, passages: list[tuple[str, str]]) -> Callable[[str], list[str]]:
    from whoosh import fields, index, qparser
    schema = fields.Schema(pid=fields.ID(stored=True), text=fields.TEXT())
    folder = work / "anchor-whoosh"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    ix = index.create_in(str(folder), schema)
    with ix.writer(limitmb=256) as w:
        for pid, text in passages:
            w.add_document(pid=pid, text=text)
    searcher = ix.searcher()
    parser = qparser.QueryParser("text", schema, group=qparser.OrGroup)
    parser.remove_plugin_class(qparser.FieldsPlugin)

    def search(q: str) -> list[str]:
        return [h["pid"] for h in searcher.search(parser.parse(q), limit=10)]
    return search


def tantivy_anchor(passages: list[tuple[str, str]]) -> Callable[[str], list[str]]:
    import tantivy
    analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()).build())
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("pid", stored=True, tokenizer_name="raw")
    sb.add_text_field("text", tokenizer_name="fold")
    schema = sb.build()
    ix = tantivy.Index(schema)
    ix.register_tokenizer("fold", analyzer)
    w = ix.writer()
    for pid, text in passages:
        w.add_document(tantivy.Document(pid=pid, text=text))
    w.commit()
    ix.reload()
    searcher = ix.searcher()
    words = re.compile(r"\w+")

    def search(q: str) -> list[str]:
        terms = " ".join(words.findall(q))
        if not terms:
            return []
        query = ix.parse_query(terms, ["text"])
        return [searcher.doc(a)["pid"][0] for _, a in searcher.search(query, 10).hits]
    return search


def short_queries(paragraphs: list[str], n: int, seed: int = 7) -> list[str]:
    """Three consecutive words of a paragraph: the keyword query of a search box."""
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        words = [w for w in re.findall(r"\w+", rng.choice(paragraphs)) if not w.isdigit()]
        if len(words) > 3:
            i = rng.randrange(len(words) - 3)
            out.append(" ".join(words[i : i + 3]))
    return out


def speed(name: str, engine: Engine, short: list[str], long: list[str]) -> None:
    """p50/p95 and throughput of 3-word queries and of long questions, one process,
    measured in alternating rounds (the machine is noisy): the ratio is the figure."""
    timings: dict[str, list[float]] = {"short": [], "long": []}
    for q in short[:20] + long[:20]:
        engine.search(q)  # warm caches and the snapshot
    for _ in range(2):
        for label, queries in (("short", short), ("long", long)):
            for q in queries:
                t0 = time.perf_counter()
                try:
                    engine.search(q, limit=10)
                except QuerySyntaxError as exc:
                    if getattr(exc, "suggestion", ""):
                        engine.search(exc.suggestion, limit=10)
                timings[label].append(time.perf_counter() - t0)
    stats = {}
    for label, t in timings.items():
        t.sort()
        stats[label] = (1000 * statistics.median(t), 1000 * t[int(0.95 * (len(t) - 1))],
                        len(t) / sum(t))
    (s50, s95, sq), (l50, l95, lq) = stats["short"], stats["long"]
    print(f"{name:<9} 3 words: p50 {s50:6.1f} p95 {s95:6.1f} ms {sq:6.1f} q/s | "
          f"questions of {MIN_LONG}+ words: p50 {l50:6.1f} p95 {l95:6.1f} ms {lq:6.1f} q/s | "
          f"p95 ratio {l95 / s95:.2f}, throughput ratio {lq / sq:.2f}", flush=True)


MIN_LONG = 12


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=XQUAD)
    ap.add_argument("--half", choices=("all", "even", "odd"), default="all")
    ap.add_argument("--engines", default="whoosh,tantivy")
    ap.add_argument("--work", type=Path, help="keep corpus and indexes here (reused)")
    ap.add_argument("--no-anchors", action="store_true")
    ap.add_argument("--plain", action="store_true", help="also run vnsearch with plain=True")
    ap.add_argument("--speed", action="store_true",
                    help="also time 3-word queries against long questions on each engine")
    args = ap.parse_args()
    if not args.data.exists():
        print(f"skipped: {args.data} is absent (the XQuAD development half)")
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="vnsearch-xquad-"))
    articles, questions = read_xquad(args.data, args.half)
    every, _ = read_xquad(args.data, "all")
    extra = distractors(work / "libreoffice-help-vi")
    corpus = work / "corpus"
    if not corpus.exists():
        write_corpus(corpus, {**every, **extra})
    paragraphs = {**every, **extra}
    n_par = sum(len(p) for p in paragraphs.values())
    print(f"{len(questions)} questions ({args.half}) over {sum(map(len, every.values()))} "
          f"XQuAD paragraphs + {n_par - sum(map(len, every.values()))} distractor paragraphs")
    results = {}
    for name in args.engines.split(","):
        folder = work / f"index-{name}"
        t0 = time.perf_counter()
        engine = Engine.open(folder) if folder.exists() else Engine.build(
            folder, [corpus], engine=name)
        print(f"{name}: index ready in {time.perf_counter() - t0:.0f} s")
        # the indexed passages mapped to paragraph ids by their text
        ids = {(aid, text): f"{aid}#{i}" for aid, paras in every.items()
               for i, text in enumerate(paras)}
        paragraph_of = {(aid, int(p["passage"])): ids.get((aid, p["text"]), "?")
                        for aid in every for p in engine.article(aid)}
        results[name] = run(f"vnsearch {name}, as typed", questions,
                            vnsearch_search(engine, paragraph_of, False))
        if args.speed:
            texts = [t for paras in every.values() for t in paras]
            long = [q for q, _ in questions if len(q.split()) >= MIN_LONG]
            speed(name, engine, short_queries(texts, len(long)), long)
        if args.plain:
            results[f"{name} plain"] = run(f"vnsearch {name}, plain=True", questions,
                                           vnsearch_search(engine, paragraph_of, True))
        engine.close()
    if not args.no_anchors:
        passages = [(f"{aid}#{i}", text) for aid, paras in paragraphs.items()
                    for i, text in enumerate(paras)]
        results["whoosh anchor"] = run("Whoosh default analyser, OR", questions,
                                       whoosh_anchor(work, passages))
        results["tantivy anchor"] = run("tantivy lowercase+ascii_fold, OR", questions,
                                        tantivy_anchor(passages))
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
