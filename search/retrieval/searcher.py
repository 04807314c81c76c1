"""From a parsed query to ranked passages.

1. Analyse the query's leaves with the index's own vocabulary (one snapshot
   serves the look-ups and the search, so they agree).
2. Strict matches first.
3. A plain query of several words (no operator, field or phrase: how people
   type into a search box, or paste a question) is matched and ranked by
   :mod:`search.retrieval.plain`: its function words decide nothing, and when
   few passages hold all the other words, passages holding some of them follow,
   marked ``partial`` with the words they miss. Explicit AND, ``+`` and phrases
   stay strict.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.backends.base import RawHit
from search.query.ast import Analysed, And, Node, Or, Term, Variant, Word
from search.query.rewrite import rewrite
from search.query.tree import positive, walk
from search.retrieval import plain, proximity
from search.retrieval.highlight import Pattern, word_pattern
from search.retrieval.plain import first_word
from search.retrieval.view import View
from search.schema import KEY

FEW = 10  # fewer full matches than this, and partial matches follow


@dataclass(frozen=True)
class Ranked:
    raw: RawHit
    partial: bool = False
    missing: tuple[str, ...] = ()


def is_plain(parsed: Node) -> bool:
    """Bare words only, juxtaposed: the search-box case."""
    if isinstance(parsed, Term):
        return True
    return isinstance(parsed, And) and not parsed.explicit and all(
        isinstance(c, Term) for c in parsed.children)


def _with_variants(node: Node) -> list[Word]:
    """The text-field words of a query, as typed, that also stand for variants
    (``Or(word, Variant…)``), but those excluded."""
    return [n.children[0] for n, field in walk(node, into=positive) if field == "text"
            and isinstance(n, Or) and n.children and isinstance(n.children[0], Word)
            and any(isinstance(c, Variant) for c in n.children)]


def _word_units(analysed: Analysed) -> list[Analysed]:
    if isinstance(analysed, And) and not analysed.explicit:
        return list(analysed.children)
    return [analysed]


@dataclass(frozen=True)
class Found:
    analysed: Analysed | None
    total: int  # unique passages, full + partial: wire copies count once
    partial: int
    page: list[Ranked]
    copies: int = 0  # matching passages not listed: copies of a listed one's text
    exact: bool = True  # every match was read, so the counts are exact


# the matches read whatever the page: all of them when there are no more (exact counts,
# copies included), else the sample that estimates the copies among the rest. Each
# match read costs a stored-document read: 50 made one-word queries 20-40% slower on
# tantivy than 10, 20 costs nothing measurable (bench/RESULTS.md)
COPIES_SAMPLE_SIZE = 20
EXACT_UP_TO = 50  # a result this small is read whole: its counts are exact, not estimated


def _parts(parsed: Node, analysed: Analysed) -> plain.Split | None:
    units = _word_units(analysed)
    return plain.split(units) if is_plain(parsed) and len(units) >= 2 else None


def full_node(parsed: Node, analysed: Analysed) -> Analysed:
    """What a full match holds: the query, but a plain query's function words."""
    return _full_of(analysed, _parts(parsed, analysed))


def _full_of(analysed: Analysed, parts: plain.Split | None) -> Analysed:
    if parts is None or not parts.function:
        return analysed
    return parts.content[0] if len(parts.content) == 1 else And(parts.content, False)


class Reach:
    """What a query finds, worked out only as far as a comparison needs: full
    matches, then how many of its words the index holds at all (how a suggested
    query is weighed against the one typed: a respelled word the index holds finds
    more, even among the same passages; counting every passage that holds any word
    of a long question would cost more than the search)."""

    def __init__(self, snapshot: View, parsed: Node) -> None:
        self.snapshot = snapshot
        self.parsed = parsed
        self.analysed = rewrite(parsed, vocab=snapshot.has_word)
        self._full: int | None = None

    def full(self) -> int:
        if self._full is None:
            self._full = 0 if self.analysed is None else self.snapshot.count(
                full_node(self.parsed, self.analysed))
        return self._full

    def _content(self) -> tuple[Analysed, ...]:
        parts = None if self.analysed is None else _parts(self.parsed, self.analysed)
        return parts.content if parts is not None else ()

    def held(self) -> int:
        """Words the index holds, by their syllables' document frequencies (cheap)."""
        return sum(1 for u in self._content() if plain.known(self.snapshot, u))

    def __gt__(self, other: Reach) -> bool:
        for measure in (Reach.full, Reach.held):
            mine, theirs = measure(self), measure(other)
            if mine != theirs:
                return mine > theirs
        return False


def _ranked(snapshot: View, parsed: Node, analysed: Analysed,
            n: int) -> tuple[int, int, list[Ranked]]:
    """Matches in final order, the first ``n``; with the full and partial totals."""
    parts = _parts(parsed, analysed)
    strict = _full_of(analysed, parts)
    units = _word_units(analysed)
    scoring = list(parts.content) if parts is not None else units
    near = [Pattern(w.folded) for w in (first_word(u) for u in scoring) if w is not None]
    typed = [word_pattern(w) for w in _with_variants(strict)]
    if (len(near) >= 2 and len(near) == len(scoring)) or typed:
        total, raw = snapshot.search(strict, max(proximity.WINDOW, n), 0)
        head = raw[: proximity.WINDOW]
        order = proximity.rerank([(r.stored["text"], r.score) for r in head],
                                 near if len(near) == len(scoring) else [], typed)
        raw = ([head[i] for i in order] + raw[proximity.WINDOW :])[:n]
    else:
        total, raw = snapshot.search(strict, n, 0)
    page = [Ranked(r) for r in raw]
    if parts is None or len(parts.content) < 2 or total >= FEW:
        return total, 0, page
    full_ids = snapshot.ids(strict) if total else set()
    partial_total, partial = plain.partial_matches(snapshot, parts.content, max(0, n - total),
                                                   full_ids)
    page += [Ranked(r, True, tuple(u.to_text() for u in missing)) for r, missing in partial]
    return total, partial_total, page


def _first_copies(ranked: list[Ranked]) -> list[Ranked]:
    """Each passage text once, where it ranks best: wire copy printed by many
    outlets is one hit (its copies are listed with it), on every page."""
    seen: set[str] = set()
    out = []
    for r in ranked:
        key = r.raw.stored.get("key") or r.raw.stored["article"] + "#" + str(
            r.raw.stored["passage"])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def search(snapshot: View, parsed: Node, limit: int, offset: int) -> Found:
    """The analysed query and one page of ranked passages, on one snapshot.

    Pages are cut from the matches with copies removed, so a passage shows once
    across all pages; ``total`` counts unique passages: exactly up to
    ``COPIES_SAMPLE_SIZE`` matches; beyond, the share of copies among the matches read is
    taken for the rest, each weighed by how many passages print its text (reading
    every match of a common word to count its copies would cost more than the
    search)."""
    analysed = rewrite(parsed, vocab=snapshot.has_word)
    if analysed is None:
        return Found(None, 0, 0, [])
    need = offset + limit
    # the first COPIES_SAMPLE_SIZE matches are always read: all of them when there are no
    # more (exact counts), else a sample of the same size whatever the page, so
    # the estimated total does not change from one page to the next
    full, partial, ranked = _ranked(snapshot, parsed, analysed, max(need, COPIES_SAMPLE_SIZE))
    everything = full + partial
    if len(ranked) < everything <= EXACT_UP_TO:
        full, partial, ranked = _ranked(snapshot, parsed, analysed, everything)
    unique = _first_copies(ranked)
    # each match is 1/c of a unique passage, c the number of passages printing its
    # text (its key's document frequency, a look-up): copies rank side by side, so
    # counting distinct texts in the sample would over-count the unique ones
    sample = [1 / max(1, snapshot.doc_frequency(KEY, r.raw.stored["key"]))
              for r in ranked[:COPIES_SAMPLE_SIZE]]
    while len(unique) < need and len(ranked) < everything:
        # many copies among the best: read further, in proportion to the copies seen
        n = min(everything, max(2 * len(ranked), need * len(ranked) // max(1, len(unique))))
        full, partial, ranked = _ranked(snapshot, parsed, analysed, n)
        unique = _first_copies(ranked)
    if len(ranked) >= everything:
        copies = len(ranked) - len(unique)
    else:  # the matches not read are taken to hold copies as often as the sample
        share = sum(sample) / len(sample)
        copies = everything - max(len(unique), round(everything * share))
    partial_copies = min(partial, sum(r.partial for r in ranked) - sum(r.partial for r in unique))
    total = everything - copies
    # the copies among partial matches not read are unknown: never more partial than all
    return Found(analysed, total, min(total, partial - partial_copies),
                 unique[offset:need], copies, exact=len(ranked) >= everything)
