"""Speaker attribution scored on the real-news set (issue 25), strict and lenient.

    python bench/attribution_realnews.py [FOLDER ...] [--errors]

FOLDER defaults to tests/data/realnews/dev1 and dev2. Each folder holds ``rn_*.txt``
and ``speakers.tsv``; passages are numbered as ``read_article`` numbers them, scored
as tests/test_attribution.py scores the seeds: per passage, speakers as sets, true
and false positives and misses summed (micro precision, recall, F1). The *lenient*
score also counts a short form for its full name and the reverse (``Lavrov`` for
``Sergei Lavrov``, ``Park`` for ``Park Hang-seo``), so that it tells a wrong speaker
from a canonicalisation miss. ``--errors`` prints every passage scored wrong: for
the development parts only, never for the held-out ``test`` and ``test2`` parts.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # after PYTHONPATH: PYTHONPATH=/tmp/base scores another checkout

from search.analysis import fold  # noqa: E402
from search.ingest.annotate import annotate  # noqa: E402
from search.ingest.articles import read_article  # noqa: E402

REALNEWS = ROOT / "tests" / "data" / "realnews"
DEV = (REALNEWS / "dev1", REALNEWS / "dev2")
HELD_OUT = {"test", "test2", "test4"}  # aggregates only: their errors are never printed
Gold = dict[tuple[str, int], set[str]]


def gold(path: Path) -> Gold:
    """``article<TAB>passage<TAB>A|B``. The parts were written by different hands: a
    header that says ``1-based`` numbers passages as ``Passage.ordinal``; otherwise they
    are 0-based, as the folder's README says, and shifted by one."""
    text = path.read_text("utf-8")
    header = "\n".join(s for s in text.splitlines() if s.startswith("#"))
    shift = 0 if re.search(r"1-based", header, re.I) else 1
    out: Gold = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        article, passage, names = (line.split("\t") + ["", ""])[:3]
        if not passage.strip().isdigit():
            continue
        want = {s.strip() for s in names.split("|") if s.strip()}
        if want:
            out.setdefault((article.strip(), int(passage) + shift), set()).update(want)
    return out


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0

    def __str__(self) -> str:
        p, r, f = self.prf
        return f"P {p:.3f} R {r:.3f} F1 {f:.3f} (tp {self.tp}, fp {self.fp}, fn {self.fn})"


def _words(name: str) -> tuple[str, ...]:
    return tuple(fold(name.lower()).replace("-", " ").split())


def same_speaker(a: str, b: str) -> bool:
    """One name is the other or a short form of it: its words run inside the other's."""
    x, y = _words(a), _words(b)
    if len(x) > len(y):
        x, y = y, x
    return any(y[k:k + len(x)] == x for k in range(len(y) - len(x) + 1)) if x else False


def lenient(got: set[str], want: set[str]) -> Counts:
    """Pairs a speaker shown with one annotated when either names the other."""
    left = set(want)
    tp = 0
    for g in sorted(got, key=lambda s: (s not in want, s)):
        match = g if g in left else next((w for w in sorted(left) if same_speaker(g, w)), None)
        if match is not None:
            left.discard(match)
            tp += 1
    return Counts(tp, len(got) - tp, len(left))


@dataclass
class Scored:
    strict: Counts
    lenient: Counts
    passages: int
    articles: int
    errors: list[tuple[str, int, str, list[str], list[str]]]
    kinds: dict[str, int]


def score(folder: Path) -> Scored:
    files = sorted(folder.glob("rn_*.txt"))
    truth = gold(folder / "speakers.tsv")
    done = annotate([read_article(p) for p in files])
    sizes = {a.id: len(a.passages) for a in done}
    if wrong := [k for k in truth if not 1 <= k[1] <= sizes.get(k[0], 0)]:
        print(f"{folder.name}: {len(wrong)} gold rows point at no passage", file=sys.stderr)
    strict, loose, errors, n = Counts(), Counts(), [], 0
    kinds: dict[str, int] = {}
    for article in done:
        for p in article.passages:
            n += 1
            want = truth.get((article.id, p.ordinal), set())
            got = set(p.speakers)
            strict.add(Counts(len(got & want), len(got - want), len(want - got)))
            loose.add(lenient(got, want))
            if got != want:
                errors.append((article.id, p.ordinal, p.text, sorted(want), list(p.speakers)))
                for key in error_kinds(p.text, got, want):
                    kinds[key] = kinds.get(key, 0) + 1
    return Scored(strict, loose, n, len(done), errors, kinds)


_QUOTE_MARKS = re.compile('["“”]')
_FIRST_PERSON = re.compile(r"\b(?:tôi|chúng tôi|chúng ta|mình)\b", re.I)


def _written(name: str, text: str) -> bool:
    """Some word of the name (its last, or its first for an institution) is in the text."""
    words, body = _words(name), set(_words(text.replace(",", " ").replace(".", " ")))
    return bool(words) and (words[-1] in body or words[0] in body and len(words[0]) > 2)


def error_kinds(text: str, got: set[str], want: set[str]) -> list[str]:
    """Aggregate kinds of one passage's errors, readable for a held-out part because
    they name no text: a miss whose speaker is written in the passage or not (a
    back-reference), with a quotation mark or not; a false speaker in a passage
    nobody speaks in, or beside the right ones, or instead of them."""
    quoted = "quote" if _QUOTE_MARKS.search(text) else "no-quote"
    first = "+1st-person" if _FIRST_PERSON.search(text) else ""
    out = []
    for w in sorted(want - got):
        if any(same_speaker(w, g) for g in got):
            out.append("miss: short/long form shown instead")
        elif _written(w, text):
            out.append(f"miss: written in passage, {quoted}")
        else:
            out.append(f"miss: not written in passage, {quoted}{first}")
    for g in sorted(got - want):
        if any(same_speaker(w, g) for w in want):
            continue
        where = "written" if _written(g, text) else "resolved from elsewhere"
        if not want:
            out.append(f"false: nobody speaks ({where})")
        elif want & got:
            out.append(f"false: beside a right one ({where})")
        else:
            out.append(f"false: instead of the speaker ({where})")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("folders", nargs="*", type=Path, default=list(DEV))
    ap.add_argument("--errors", action="store_true", help="print the passages scored wrong")
    ap.add_argument("--kinds", action="store_true",
                    help="count the errors by kind (no text: allowed for held-out parts)")
    args = ap.parse_args()
    strict, loose = Counts(), Counts()
    for folder in args.folders:
        if not (folder / "speakers.tsv").exists():
            print(f"{folder.name}: no speakers.tsv yet")
            continue
        s = score(folder)
        strict.add(s.strict)
        loose.add(s.lenient)
        print(f"{folder.name}: {s.articles} articles, {s.passages} passages")
        print(f"  strict  {s.strict}\n  lenient {s.lenient}")
        if args.kinds:
            for key, count in sorted(s.kinds.items(), key=lambda kv: -kv[1]):
                print(f"    {count:4d}  {key}")
        if args.errors and folder.name not in HELD_OUT:
            for art, ordinal, text, want, got in s.errors:
                print(f"--- {art} {ordinal}: want {want} got {got}\n    {text[:400]}")
    if len(args.folders) > 1:
        print(f"all: strict {strict}\n     lenient {loose}")


if __name__ == "__main__":
    main()
