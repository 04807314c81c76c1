"""A learned speaker tagger (a CRF over the rules' tokens) tried against the rules on
the real-news set (issue 25). An experiment run by hand, not product code.

    python bench/attribution_crf.py            # dev out-of-fold only (by page)
    python bench/attribution_crf.py --held-out # then train on dev, score test, test2

Why: rules fitted to the development part stopped carrying over to held-out pages;
a model trained on the same part, with the rules' answer as one feature among many,
might generalise better. The gold gives names per passage, not spans, so each gold
speaker is found in its passage (full name, an abbreviation's other form, the last
or first word(s) of a person's name) and those tokens are labelled ``B-SPK``/``I-SPK``;
a speaker not written in the passage (a back-reference) labels nothing.

Combinations scored (strict and lenient, as ``attribution_realnews.py`` scores):
``rules``; ``crf`` alone; ``crf+backref`` (CRF names, plus the rules' names that are
not written in the passage: the back-references a tagger cannot see); ``union``;
``rules|crf`` (the CRF only where the rules found nobody); ``rules+sure`` (the
rules' names and those the CRF gives with every token's probability >= 0.9).
Held-out parts are scored in aggregate only, once.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # after PYTHONPATH
sys.path.append(str(ROOT / "bench"))

import sklearn_crfsuite  # noqa: E402
from attribution_realnews import Counts, gold, lenient, same_speaker  # noqa: E402
from pyvi import ViPosTagger  # noqa: E402

from search.analysis import analyze, fold  # noqa: E402
from search.ingest.abbreviations import forms, fuller, words  # noqa: E402
from search.ingest.annotate import NameRegistry, annotate  # noqa: E402
from search.ingest.articles import read_article  # noqa: E402
from search.ingest.mentions import is_person_name, mentions  # noqa: E402
from search.ingest.model import Article  # noqa: E402
from search.ingest.tokens import Passage as Tokens  # noqa: E402
from search.ingest.verbs import VERB_PHRASES  # noqa: E402

REALNEWS = ROOT / "tests" / "data" / "realnews"
DEV = ("dev1", "dev2")
HELD_OUT = ("test", "test2")
COMBOS = ("rules", "crf", "crf+backref", "union", "rules|crf", "rules+sure")
SURE = 0.9  # fixed before any run: the CRF's names added to the rules' in "rules+sure"
GRID = [(c1, c2) for c1 in (0.05, 0.2, 0.5) for c2 in (0.01, 0.05, 0.2)]
FOLDS = 5
USE_RULE = True  # the rules' answer as a feature; --no-rule leaves it out


@dataclass
class Para:
    """One passage: its tokens, what the rules said, the gold, and the CRF's view."""

    key: tuple[str, int]
    toks: Tokens
    rules: set[str]
    gold: set[str]
    feats: list[dict[str, object]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    crf: set[str] = field(default_factory=set)
    sure: set[str] = field(default_factory=set)  # the CRF's names it is sure of


@dataclass
class Page:
    folder: str
    article: Article
    paras: list[Para]


def _folded(toks: Tokens) -> list[str]:
    return [fold(t) for t in toks.low]


def name_forms(name: str) -> list[tuple[str, ...]]:
    """The ways a speaker's name may be written in a passage, longest first: as
    annotated, its abbreviation's other form, and a person's last or first words."""
    out = [words(name)] + [words(f) for f in forms(name)]
    ws = words(name)
    if is_person_name(name) and len(ws) >= 2:
        out += [ws[-2:], ws[-1:], ws[:1]]  # "Huỳnh Đức", "Đức"; "Park" of "Park Hang-seo"
        if len(ws) >= 4:
            out.append(ws[-3:])
    seen: list[tuple[str, ...]] = []
    for f in sorted(out, key=len, reverse=True):
        if f and f not in seen:
            seen.append(f)
    return seen


def find(toks: Tokens, folded: list[str], name: str) -> list[tuple[int, int]]:
    """Token spans in the passage where the name (or a short form of it) is written;
    a one-word short form only where the token is capitalised."""
    spans: list[tuple[int, int]] = []
    used: set[int] = set()
    for f in name_forms(name):
        n = len(f)
        for i in range(len(folded) - n + 1):
            if tuple(folded[i:i + n]) == f and not used.intersection(range(i, i + n)) and (
                    n > 1 or toks.own[i]):
                spans.append((i, i + n))
                used.update(range(i, i + n))
    return sorted(spans)


def _pos(toks: Tokens) -> list[str]:
    """pyvi's part of speech of the word each token stands in, B-/I- by position."""
    a = analyze(toks.text)
    ws = [w for w in a.words if w.text]
    tags = ["X"] * toks.n
    if not ws:
        return tags
    _, got = ViPosTagger.postagging(" ".join(w.text.replace(" ", "_") for w in ws))
    for w, tag in zip(ws, got, strict=False):
        for k in range(w.first, min(w.first + w.length, toks.n)):
            tags[k] = ("B-" if k == w.first else "I-") + str(tag)
    return tags


def _shape(t: str) -> str:
    if t.isdigit():
        return "d"
    if t.isupper() and len(t) > 1:
        return "AA"
    if t[:1].isupper():
        return "Aa"
    return "a"


def features(toks: Tokens, rules: Iterable[str], use_pos: bool = True) -> list[dict[str, object]]:
    """Per token: the word and its neighbours, shape, pyvi's part of speech,
    punctuation around it, reporting verbs near it, quotation, the rules' mention
    kinds (person, institution, title, pronoun) and whether the rules named a speaker
    written here."""
    n = toks.n
    low, folded = toks.low, _folded(toks)
    pos = _pos(toks) if use_pos else ["X"] * n
    verb_at = [0] * n
    k = 0
    while k < n:
        m = VERB_PHRASES.match(low, k, toks.gaps)
        if m:
            for j in range(k, k + m[0]):
                verb_at[j] = m[0]
            k += m[0]
        else:
            k += 1
    kind = ["O"] * n
    office = [False] * n
    for m in mentions(toks):
        for j in range(m.start, min(m.end, n)):
            kind[j] = ("B-" if j == m.start else "I-") + m.kind
            office[j] = bool(m.offices)
    ruled = [False] * n
    for name in rules:
        for i, j in find(toks, folded, name):
            for t in range(i, j):
                ruled[t] = True
    quoted, depth = [False] * n, 0
    for i in range(n):
        quoted[i] = depth % 2 == 1
        depth += toks.gaps[i].count('"') + toks.gaps[i].count("“") + toks.gaps[i].count("”")
    out: list[dict[str, object]] = []
    for i in range(n):
        before = toks.gaps[i - 1] if i else "<s>"
        f: dict[str, object] = {
            "w": folded[i], "low": low[i], "shape": _shape(toks.texts[i]), "cap": toks.cap[i],
            "pos": pos[i], "gap<": before, "gap>": toks.gaps[i], "start": toks.starts[i],
            "quoted": quoted[i], "kind": kind[i], "office": office[i], "rule": ruled[i],
            "verb": bool(verb_at[i]),
        }
        for d in (1, 2, 3, 4):
            if i + d < n and verb_at[i + d] and not verb_at[i]:
                f["verb+"] = d
                break
        for d in (1, 2, 3, 4):
            if i - d >= 0 and verb_at[i - d] and not verb_at[i]:
                f["verb-"] = d
                break
        if any(g in ("“", '"', "”") or g.endswith('"') for g in toks.gaps[max(0, i - 4):i]):
            f["after_quote"] = True
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f[f"{d}:w"] = folded[j]
                f[f"{d}:shape"] = _shape(toks.texts[j])
                f[f"{d}:kind"] = kind[j]
                f[f"{d}:rule"] = ruled[j]
                f[f"{d}:pos"] = pos[j]
            else:
                f[f"{d}:w"] = "<edge>"
        if i and low[i - 1] == "theo" or i > 1 and low[i - 2] == "theo":
            f["after_theo"] = True
        out.append(f)
    return out


def load(folder: str, use_pos: bool = True) -> tuple[list[Page], float, float]:
    """The folder's pages with the rules' answers and features; seconds spent in the
    rules (``annotate``) and in building the CRF's features."""
    path = REALNEWS / folder
    truth = gold(path / "speakers.tsv")
    articles = [read_article(p) for p in sorted(path.glob("rn_*.txt"))]
    t0 = time.perf_counter()
    done = annotate(articles)
    t_rules = time.perf_counter() - t0
    pages, t_feats, missing, found = [], 0.0, 0, 0
    for a in done:
        paras = []
        for p in a.passages:
            key = (a.id, p.ordinal)
            t0 = time.perf_counter()
            toks = Tokens(p.text)
            para = Para(key, toks, set(p.speakers), truth.get(key, set()))
            para.feats = features(toks, para.rules, use_pos)
            t_feats += time.perf_counter() - t0
            labels = ["O"] * toks.n
            folded = _folded(toks)
            for name in para.gold:
                spans = find(toks, folded, name)
                missing += not spans
                found += bool(spans)
                for i, j in spans:
                    labels[i] = "B-SPK"
                    for t in range(i + 1, j):
                        labels[t] = "I-SPK"
            para.labels = labels
            paras.append(para)
        pages.append(Page(folder, a, paras))
    print(f"{folder}: {len(pages)} pages, {sum(len(p.paras) for p in pages)} passages; "
          f"gold speakers written in their passage {found}, not written {missing}",
          file=sys.stderr)
    return pages, t_rules, t_feats


SPLIT_AT = frozenset("(),:;\"“”!?")


def spans(labels: Sequence[str], gaps: Sequence[str]) -> list[tuple[int, int]]:
    """Labelled runs of tokens, cut where punctuation other than a name's own ("-",
    ".", "&") stands between two tokens: ``Tổng cục Thống kê (TCTK`` is two."""
    out, i = [], 0
    while i < len(labels):
        if labels[i] in ("B-SPK", "I-SPK"):
            j = i + 1
            while j < len(labels) and labels[j] == "I-SPK" and not SPLIT_AT.intersection(
                    gaps[j - 1]):
                j += 1
            out.append((i, j))
            i = j
        else:
            i += 1
    return out


def canonical(pages: list[Page], predicted: dict[tuple[str, int], list[str]], into: str) -> None:
    """Predicted spans become names as the rules show them: a short form takes the
    longest name of the article it is part of (the rules' speakers and the persons
    the rules' mentions find), an abbreviation the fuller form its article uses; then
    one-word names are resolved across the folder, as ``annotate`` does."""
    registry = NameRegistry()
    for page in pages:
        names: Counter[str] = Counter()
        for para in page.paras:
            names.update(para.rules)
            for m in mentions(para.toks):
                if m.kind == "person" and len(m.name) > 1:
                    names[" ".join(m.name)] += 1
        pool = sorted(names, key=lambda s: (-len(words(s)), -names[s], s))
        for para in page.paras:
            got: set[str] = set()
            for s in predicted.get(para.key, []):
                ws = words(s)
                best = next((c for c in pool if len(words(c)) > len(ws) and same_speaker(s, c)
                             and is_person_name(c)), None)
                got.add(best or fuller(s, pool))
            setattr(para, into, got)
            for g in got:
                registry.add(g)
    for page in pages:
        for para in page.paras:
            setattr(para, into, set(registry.resolve(sorted(getattr(para, into)))))


def predict(crf: sklearn_crfsuite.CRF, pages: list[Page]) -> None:
    """The CRF's names per passage, and which of them it is sure of (every token of
    the span labelled with probability >= SURE)."""
    paras = [para for page in pages for para in page.paras]
    seen = [_view(p) for p in paras]
    out = crf.predict(seen)
    probs = crf.predict_marginals(seen)
    predicted, sure = {}, {}
    for p, labels, prob in zip(paras, out, probs, strict=True):
        found = spans(labels, p.toks.gaps)
        predicted[p.key] = [p.toks.span(i, j) for i, j in found]
        sure[p.key] = [p.toks.span(i, j) for i, j in found
                       if min(prob[t][labels[t]] for t in range(i, j)) >= SURE]
    canonical(pages, predicted, "crf")
    canonical(pages, sure, "sure")


def _view(para: Para) -> list[dict[str, object]]:
    """The features the model sees: all, or without the rules' answer (``--no-rule``),
    since on the development part the rules are fitted and that feature is too good."""
    if USE_RULE:
        return para.feats
    return [{k: v for k, v in f.items() if "rule" not in k} for f in para.feats]


def train(pages: list[Page], c1: float, c2: float) -> sklearn_crfsuite.CRF:
    crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=c1, c2=c2, max_iterations=150,
                               all_possible_transitions=True)
    paras = [para for page in pages for para in page.paras]
    crf.fit([_view(p) for p in paras], [p.labels for p in paras])
    return crf


def combined(para: Para, how: str) -> set[str]:
    if how == "rules":
        return para.rules
    if how == "crf":
        return para.crf
    if how == "crf+backref":
        folded = _folded(para.toks)
        back = {r for r in para.rules if not find(para.toks, folded, r)}
        return para.crf | back
    if how == "union":
        return para.rules | para.crf
    if how == "rules|crf":
        return para.rules or para.crf
    if how == "rules+sure":
        return para.rules | para.sure
    raise ValueError(how)


def scores(pages: list[Page], how: str) -> tuple[Counts, Counts]:
    strict, loose = Counts(), Counts()
    for page in pages:
        for para in page.paras:
            got, want = combined(para, how), para.gold
            strict.add(Counts(len(got & want), len(got - want), len(want - got)))
            loose.add(lenient(got, want))
    return strict, loose


def folds(pages: list[Page], k: int) -> list[tuple[list[Page], list[Page]]]:
    """By page, round robin over the pages in order (dev1 and dev2 mixed in each)."""
    return [([p for n, p in enumerate(pages) if n % k != f],
             [p for n, p in enumerate(pages) if n % k == f]) for f in range(k)]


def out_of_fold(pages: list[Page], c1: float, c2: float) -> None:
    for fit, held in folds(pages, FOLDS):
        predict(train(fit, c1, c2), held)


def _row(label: str, pages: list[Page]) -> list[str]:
    rows = []
    for how in COMBOS:
        s, loose = scores(pages, how)
        p, r, f = s.prf
        rows.append(f"| {label} | {how} | {p:.3f} / {r:.3f} / {f:.3f} | {loose.prf[2]:.3f} |")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--held-out", action="store_true",
                    help="train on all of dev and score test and test2 (aggregates, once)")
    ap.add_argument("--no-pos", action="store_true", help="leave pyvi's POS tagger out")
    ap.add_argument("--no-rule", action="store_true",
                    help="leave the rules' answer out of the features")
    ap.add_argument("--c1", type=float, help="skip the grid search: use these")
    ap.add_argument("--c2", type=float)
    args = ap.parse_args()
    use_pos = not args.no_pos
    global USE_RULE
    USE_RULE = not args.no_rule
    dev: list[Page] = []
    for folder in DEV:
        dev += load(folder, use_pos)[0]
    if args.c1 is not None and args.c2 is not None:
        best = (args.c1, args.c2)
    else:
        best, best_f = GRID[0], -1.0
        for c1, c2 in GRID:
            out_of_fold(dev, c1, c2)
            f = scores(dev, "crf")[0].prf[2]
            print(f"  c1 {c1} c2 {c2}: out-of-fold crf F1 {f:.3f}", file=sys.stderr)
            if f > best_f:
                best, best_f = (c1, c2), f
    out_of_fold(dev, *best)
    rows = ["| part | combination | strict P / R / F1 | lenient F1 |", "|---|---|---|---|"]
    rows += _row("dev (out of fold)", dev)
    if args.held_out:
        crf = train(dev, *best)
        for folder in HELD_OUT:
            pages, t_rules, t_feats = load(folder, use_pos)
            t0 = time.perf_counter()
            predict(crf, pages)
            t_crf = t_feats + time.perf_counter() - t0
            n = sum(len(p.paras) for p in pages)
            rows += _row(folder, pages)
            print(f"{folder}: rules {1000 * t_rules / n:.2f} ms/passage, CRF on top "
                  f"{1000 * t_crf / n:.2f} ms/passage (features {1000 * t_feats / n:.2f})")
    print(f"c1 {best[0]} c2 {best[1]}, {FOLDS} folds by page")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
