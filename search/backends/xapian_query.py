"""Our analysed query tree -> Xapian queries: the one place that knows how a
node maps onto Xapian's operators. Storage (schema, writer, snapshots) lives in
``xapian.py``; this module only needs a vocabulary to expand prefix and fuzzy
terms, so the same mapping serves a local database and a cluster of shards.

Prefix and fuzzy terms are expanded here into plain term sets (never
``OP_WILDCARD``/``OP_SYNONYM``, whose statistics a combined database of
remote shards estimates per shard): the scores of a cluster then equal those
of one local index holding the same passages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import xapian

from search.analysis import fold
from search.backends.base import UnsupportedQuery
from search.query.ast import (
    And,
    AtLeast,
    DateRange,
    Field,
    Fuzzy,
    Must,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Term,
    Word,
)
from search.query.ast import Boost as BoostNode
from search.query.rewrite import fuzzy_term, phrase_word

# The ranking weights of the other engines (one ranking module comes with the shared plan).
W_EXACT = 1.0
W_FOLD = 0.45
W_WORD = 0.5
W_TITLE = 0.3
W_SPEAKER = 0.3
W_DAY_MONTH = 0.5
_FULL_DATE = re.compile(r"(\d{1,2}/\d{1,2})/\d{4}")

# field -> term prefix. Every prefix ends in ":" so no term can be read as another field's.
PREFIXES = {
    "syl": "S:", "fold": "F:", "word": "W:", "wfold": "V:", "title_syl": "T:",
    "title_fold": "U:", "speaker": "P:", "source": "O:",
    "speaker_name": "XP:", "source_name": "XO:",  # canonical names (facets), boolean
    "id": "Q", "article": "XA:", "key": "XK:",  # boolean filter terms
}
SLOT_LO, SLOT_HI = 0, 1  # value slots: the article date interval, yyyymmdd, sortable
SLOT_ORDER = 2  # article, then passage: equal scores rank the same on every layout
MAX_EXPANSION = 2_000  # terms a prefix or fuzzy leaf expands to, most frequent kept

Vocabulary = Callable[[str], Iterable[tuple[str, int]]]  # term prefix -> (term, doc freq)


def term(field: str, text: str) -> str:
    return PREFIXES[field] + text


def _scaled(q: xapian.Query, factor: float) -> xapian.Query:
    return q if factor == 1.0 else xapian.Query(xapian.Query.OP_SCALE_WEIGHT, q, factor)


def _filter(q: xapian.Query) -> xapian.Query:
    """Matches as ``q`` does and adds nothing to the score (speaker:, source:, date:)."""
    return xapian.Query(xapian.Query.OP_SCALE_WEIGHT, q, 0.0)


def _or(qs: list[xapian.Query]) -> xapian.Query:
    return qs[0] if len(qs) == 1 else xapian.Query(xapian.Query.OP_OR, qs)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance (a transposition counts two), ``limit + 1`` once beyond it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def sortable(n: int) -> bytes:
    return xapian.sortable_serialise(n)


class Compiler:
    """Walks our AST and builds a Xapian query, clause for clause as the other engines."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._vocab = vocabulary

    def compile(self, node: Node, field: str = "text") -> xapian.Query:
        method = getattr(self, f"_{type(node).__name__.lower()}", None)
        if method is None:
            raise UnsupportedQuery(f"the Xapian backend cannot run {type(node).__name__}")
        return method(node, field)

    # helpers ------------------------------------------------------------------------
    def _seq(self, field: str, terms: tuple[str, ...], boost: float,
             slop: int | None = None) -> xapian.Query:
        ts = [term(field, t) for t in terms]
        if len(ts) == 1:
            return _scaled(xapian.Query(ts[0]), boost)
        if slop:  # any order, each next term within ``slop`` positions (as Whoosh's span)
            q = xapian.Query(xapian.Query.OP_NEAR, ts, max(1, slop) + len(ts) - 1)
        else:
            q = xapian.Query(xapian.Query.OP_PHRASE, ts, len(ts))
        return _scaled(q, boost)

    def _expanded(self, field: str, matches: Callable[[str], bool], start: str,
                  boost: float) -> xapian.Query:
        """Terms of ``field`` starting with ``start`` that ``matches`` accepts, as an OR."""
        prefix = PREFIXES[field]
        found = [(t, df) for t, df in self._vocab(prefix + start) if matches(t[len(prefix):])]
        found.sort(key=lambda x: (-x[1], x[0]))
        if not found:
            return xapian.Query.MatchNothing
        return _scaled(_or([xapian.Query(t) for t, _ in found[:MAX_EXPANSION]]), boost)

    def _prefix_terms(self, field: str, text: str, boost: float) -> xapian.Query:
        return self._expanded(field, lambda t: True, text, boost)

    def _fuzzy_terms(self, field: str, text: str, dist: int, boost: float) -> xapian.Query:
        # the first letter must agree, as in Whoosh's FuzzyTerm (and it keeps the scan short)
        if not text:
            return xapian.Query.MatchNothing
        return self._expanded(field, lambda t: edit_distance(t, text, dist) <= dist,
                              text[0], boost)

    # leaves -------------------------------------------------------------------------
    def _word(self, node: Word, field: str) -> xapian.Query:
        if field == "text":
            # matches on the folded syllables in sequence; the rest only adds score
            n = len(node.syllables)
            match = self._seq("fold", node.folded, W_FOLD / n)
            if n == 1 and (m := _FULL_DATE.fullmatch(node.syllables[0])):
                match = _or([match, _scaled(xapian.Query(term("syl", m.group(1))),
                                            W_DAY_MONTH)])
            extra = [_scaled(xapian.Query(term("syl", s)), W_EXACT / n) for s in node.syllables]
            extra += [self._seq("title_syl", node.syllables, W_TITLE / n),
                      self._seq("speaker", node.folded, W_SPEAKER / n)]
            if n > 1:
                extra.append(_scaled(xapian.Query(term("word", " ".join(node.syllables))),
                                     W_WORD))
                extra.append(_scaled(xapian.Query(term("wfold", " ".join(node.folded))),
                                     W_WORD * W_FOLD))
            return xapian.Query(xapian.Query.OP_AND_MAYBE, match, _or(extra))
        if field == "title":
            return _or([self._seq("title_syl", node.syllables, W_EXACT),
                        self._seq("title_fold", node.folded, W_FOLD)])
        if field in ("speaker", "source"):
            return _filter(self._seq(field, node.folded, 1.0))
        if field == "article":
            return xapian.Query(term("article", "".join(node.syllables)))
        raise UnsupportedQuery(f"{field}: takes a date, not words")

    def _term(self, node: Term, field: str) -> xapian.Query:
        if field == "article":
            return xapian.Query(term("article", node.text))
        raise UnsupportedQuery("unanalysed term reached the backend")

    def _phrase(self, node: Phrase, field: str) -> xapian.Query:
        word = phrase_word(node.text)
        if word is None:
            return xapian.Query.MatchNothing
        if field in ("text", "title"):
            exact, loose = ("syl", "fold") if field == "text" else ("title_syl", "title_fold")
            return xapian.Query(xapian.Query.OP_AND_MAYBE,
                                self._seq(loose, word.folded, W_FOLD, node.slop),
                                self._seq(exact, word.syllables, W_EXACT, node.slop))
        return self._word(word, field)

    def _prefix(self, node: Prefix, field: str) -> xapian.Query:
        text = node.text.lower()
        if field == "article":
            return self._prefix_terms("article", node.text, 1.0)
        if field in ("speaker", "source"):
            return _filter(self._prefix_terms(field, fold(text), 1.0))
        exact, folded = ("syl", "fold") if field == "text" else ("title_syl", "title_fold")
        return _or([self._prefix_terms(exact, text, W_EXACT),
                    self._prefix_terms(folded, fold(text), W_FOLD)])

    def _fuzzy(self, node: Fuzzy, field: str) -> xapian.Query:
        text = fuzzy_term(node)
        dist = node.edits(text)
        if field in ("speaker", "source"):
            return _filter(self._fuzzy_terms(field, fold(text), dist, 1.0))
        exact, folded = ("syl", "fold") if field == "text" else ("title_syl", "title_fold")
        return _or([self._fuzzy_terms(exact, text, dist, W_EXACT),
                    self._fuzzy_terms(folded, fold(text), dist, W_FOLD)])

    def _daterange(self, node: DateRange, field: str) -> xapian.Query:
        clauses = []
        if node.start is not None:
            lo, hi = node.start.bounds()
            clauses.append(xapian.Query(xapian.Query.OP_VALUE_GE, SLOT_LO,
                                        sortable(lo if node.include_start else hi + 1)))
        if node.end is not None:
            lo, hi = node.end.bounds()
            clauses.append(xapian.Query(xapian.Query.OP_VALUE_LE, SLOT_HI,
                                        sortable(hi if node.include_end else lo - 1)))
        if not clauses:  # [* TO *]: any known date
            clauses.append(xapian.Query(xapian.Query.OP_VALUE_GE, SLOT_LO, sortable(0)))
        q = clauses[0] if len(clauses) == 1 else xapian.Query(xapian.Query.OP_AND, clauses)
        return _filter(q)

    # structure ------------------------------------------------------------------------
    def _field(self, node: Field, field: str) -> xapian.Query:
        return self.compile(node.child, node.name)

    def _and(self, node: And, field: str) -> xapian.Query:
        pos = [self.compile(c, field) for c in node.children if not isinstance(c, Not)]
        neg = [self.compile(c.child, field) for c in node.children if isinstance(c, Not)]
        q = (xapian.Query(xapian.Query.OP_AND, pos) if pos
             else xapian.Query.MatchAll)
        return xapian.Query(xapian.Query.OP_AND_NOT, q, _or(neg)) if neg else q

    def _or(self, node: Or, field: str) -> xapian.Query:
        return _or([self.compile(c, field) for c in node.children])

    def _not(self, node: Not, field: str) -> xapian.Query:
        return xapian.Query(xapian.Query.OP_AND_NOT, xapian.Query.MatchAll,
                            self.compile(node.child, field))

    def _must(self, node: Must, field: str) -> xapian.Query:
        return self.compile(node.child, field)

    def _boost(self, node: BoostNode, field: str) -> xapian.Query:
        return xapian.Query(xapian.Query.OP_SCALE_WEIGHT, self.compile(node.child, field),
                            node.factor)

    def _atleast(self, node: AtLeast, field: str) -> xapian.Query:
        # scores as the union; the snapshot restricts it to passages matching enough
        # children (Xapian has no k-of-n operator)
        return _or([self.compile(c, field) for c in node.children])


def ids_filter(ids: Iterable[str]) -> xapian.Query:
    """The passages whose id is in ``ids``, as a filter that scores nothing."""
    qs = [xapian.Query(term("id", i)) for i in sorted(ids)]
    return _filter(_or(qs)) if qs else xapian.Query.MatchNothing
