"""Relevance evaluation: run judged queries, score the run with ir-measures.

Queries are TSV (``id<TAB>query``), judgments TREC qrels
(``qid 0 article#passage grade``). The naive baseline indexes the same
passages with plain word tokens (no normalisation, folding or segmentation)
so the report shows what the Vietnamese analysis buys.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ir_measures
from ir_measures import RR, R, nDCG

from search.engine import Engine
from search.errors import QuerySyntaxError, UsageError

MEASURES = (nDCG @ 10, RR @ 10, R @ 10)
NAMES = {str(nDCG @ 10): "nDCG@10", str(RR @ 10): "MRR@10", str(R @ 10): "Recall@10"}


@dataclass(frozen=True)
class Report:
    per_query: dict[str, dict[str, float]]
    total: dict[str, float]

    def table(self, title: str) -> str:
        cols = list(NAMES.values())
        lines = [title, "query  " + "  ".join(f"{c:>9}" for c in cols)]
        for qid in sorted(self.per_query):
            row = self.per_query[qid]
            lines.append(f"{qid:<6} " + "  ".join(f"{row.get(c, 0.0):>9.3f}" for c in cols))
        lines.append("all    " + "  ".join(f"{self.total[c]:>9.3f}" for c in cols))
        return "\n".join(lines)


def read_queries(path: Path) -> list[tuple[str, str]]:
    """``id<TAB>query`` lines (``#`` comments); anything else is a usage error naming
    the line, not a run that scores zero."""
    out = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            qid, tab, query = line.partition("\t")
            if not tab or not qid.strip() or not query.strip():
                raise UsageError(f"{path}:{n}: not a query line (id<TAB>query): {line[:60]!r}")
            out.append((qid.strip(), query.strip()))
    if not out:
        raise UsageError(f"{path}: no queries (id<TAB>query a line)")
    return out


def read_qrels(path: Path) -> list[Any]:
    """TREC qrels (``qid 0 doc grade``); a malformed line is a usage error."""
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        fields = line.split()
        if fields and (len(fields) != 4 or not fields[3].lstrip("-").isdigit()):
            raise UsageError(f"{path}:{n}: not a qrels line (qid 0 article#passage grade): "
                             f"{line[:60]!r}")
    qrels = list(ir_measures.read_trec_qrels(str(path)))
    if not qrels:
        raise UsageError(f"{path}: no judgments (qid 0 article#passage grade a line)")
    return qrels


def check_judged(queries: list[tuple[str, str]], qrels: list[Any], where: Path) -> None:
    """Queries none of which are judged would score zero: say so instead."""
    if not {q for q, _ in queries} & {j.query_id for j in qrels}:
        raise UsageError(f"none of the query ids is judged in {where}; are the two files "
                         "from the same set?")


def engine_run(engine: Engine, queries: Iterable[tuple[str, str]], depth: int = 10) -> list[Any]:
    run = []
    for qid, query in queries:
        try:
            results = engine.search(query, limit=depth)
        except QuerySyntaxError:
            continue
        for rank, hit in enumerate(results):
            # scores only order hits within a query; ranks keep partial matches after full ones
            run.append(ir_measures.ScoredDoc(qid, f"{hit.article}#{hit.passage}",
                                             float(depth - rank)))
    return run


def read_run(path: Path) -> list[Any]:
    return list(ir_measures.read_trec_run(str(path)))


def write_run(run: list[Any], path: Path, tag: str = "vnsearch") -> None:
    by_q: dict[str, list[Any]] = {}
    for d in run:
        by_q.setdefault(d.query_id, []).append(d)
    with path.open("w", encoding="utf-8") as f:
        for qid, docs in by_q.items():
            for rank, d in enumerate(sorted(docs, key=lambda d: -d.score), 1):
                f.write(f"{qid} Q0 {d.doc_id} {rank} {d.score:.4f} {tag}\n")


def evaluate(qrels: list[Any], run: list[Any]) -> Report:
    judged = {q.query_id for q in qrels}
    per: dict[str, dict[str, float]] = {qid: {} for qid in judged}
    for m in ir_measures.iter_calc(MEASURES, qrels, run):
        per.setdefault(m.query_id, {})[NAMES[str(m.measure)]] = m.value
    total = {name: sum(row.get(name, 0.0) for row in per.values()) / max(1, len(per))
             for name in NAMES.values()}
    return Report(per, total)


def baseline_run(engine: Engine, queries: Iterable[tuple[str, str]], depth: int = 10) -> list[Any]:
    """The same passages in a plain Whoosh index: lowercased word tokens, BM25, OR."""
    from whoosh import index as windex
    from whoosh.analysis import LowercaseFilter, RegexTokenizer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import OrGroup, QueryParser

    analyzer = RegexTokenizer() | LowercaseFilter()
    schema = Schema(id=ID(stored=True), text=TEXT(analyzer=analyzer))
    with tempfile.TemporaryDirectory() as tmp:
        ix = windex.create_in(tmp, schema)
        writer = ix.writer()
        for data in engine.iter_passages():
            writer.add_document(id=f"{data['article']}#{data['passage']}", text=data["text"])
        writer.commit()
        parser = QueryParser("text", schema, group=OrGroup)
        run = []
        with ix.searcher() as s:
            for qid, query in queries:
                plain = " ".join(w.split(":", 1)[-1] for w in query.replace('"', " ").split())
                for rank, hit in enumerate(s.search(parser.parse(plain), limit=depth)):
                    run.append(ir_measures.ScoredDoc(qid, hit["id"], float(depth - rank)))
        ix.close()
    return run
