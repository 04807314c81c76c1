"""Help when a query matches nothing: which part emptied it, what each part
finds alone, spelling corrections from the index's own vocabulary, accents.

Every suggestion says why; where a runnable alternative exists, ``query``
holds it (the REPL runs it by number)."""

from __future__ import annotations

from dataclasses import dataclass

from search.analysis import fold
from search.backends.base import Snapshot
from search.query.ast import And, Field, Fuzzy, Node, Or, Phrase, Prefix, Term, Word

MAX_SUGGESTIONS = 6
# "the words occur in other passages of these articles" is worked out only when the
# filter holds in at most this many passages: it reads their articles, and a longer
# list of articles would not make a query anyone runs
MAX_FILTER_PASSAGES = 200


@dataclass(frozen=True, slots=True)
class Suggestion:
    message: str
    query: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"message": self.message, "query": self.query}


def _field_of(node: Node) -> tuple[str, Node]:
    return (node.name, node.child) if isinstance(node, Field) else ("text", node)


def _is_filter(node: Node) -> bool:
    return isinstance(node, Field) and node.name in ("speaker", "source", "date")


def _replace(query: str, span: tuple[int, int], text: str) -> str:
    return query[: span[0]] + text + query[span[1] :]


def _cased(candidate: str, typed: str) -> str:
    return candidate[:1].upper() + candidate[1:] if typed[:1].isupper() else candidate


# query field -> (index field of exact syllables, index field of folded syllables)
_SPELLING_FIELDS = {"text": ("syl", "fold"), "title": ("title_syl", "title_fold"),
                    "speaker": ("speaker", "speaker"), "source": ("source", "source")}


def _spelling(snap: Snapshot, query: str, node: Node, field: str) -> list[Suggestion]:
    """Corrections for the syllables of ``node`` that the index never saw."""
    if isinstance(node, Word):
        sylls = list(zip(node.syllables, node.folded, strict=True))
    elif isinstance(node, Fuzzy | Prefix):
        sylls = [(node.text.lower(), fold(node.text.lower()))]
    else:
        return []
    fields = _SPELLING_FIELDS.get(field)
    if fields is None:
        return []
    exact_field, fold_field = fields
    out: list[Suggestion] = []
    typed = query[node.span[0] : node.span[1]]
    for syl, folded in sylls:
        if snap.doc_frequency(fold_field, folded):
            if field == "text" and syl != folded and not snap.doc_frequency(exact_field, syl):
                forms = [t for t, _ in snap.similar(exact_field, syl, 2) if fold(t) == folded]
                if forms:
                    out.append(Suggestion(
                        f"no passage spells '{syl}' with these accents; '{forms[0]}' is in the "
                        "index", _replace(query, node.span, typed.lower().replace(syl, forms[0]))))
            continue
        # Elasticsearch's AUTO fuzziness: one or two letters have no typo to correct
        # (one edit away from "a" is "va", "ba", "an": other words, not a spelling)
        dist = 0 if len(folded) <= 2 else 1 if len(folded) <= 5 else 2
        found = (snap.similar(fold_field, folded, dist) or snap.similar(exact_field, syl, dist)
                 ) if dist else []
        if found:
            best = found[0][0]
            if field == "text":
                exact = [t for t, _ in snap.similar(exact_field, best, 2) if fold(t) == best]
                best = exact[0] if exact else best
            fixed = _cased(best, typed) if len(sylls) == 1 else typed.lower().replace(syl, best)
            out.append(Suggestion(f"'{syl}' is not in the index; did you mean '{best}'?",
                                  _replace(query, node.span, fixed)))
        else:
            out.append(Suggestion(f"'{syl}' is not in the index" + (
                ", nor anything close to it" if dist else "")))
    return out


def _shown(query: str, node: Node) -> str:
    """The part as the user typed it, when its span is known."""
    start, end = getattr(node, "span", (0, 0))
    return query[start:end] if end > start else node.to_text()


def _common_articles(snap: Snapshot, first: Node, others: list[Node]) -> set[str]:
    """Articles where every part holds in some passage, not necessarily the same.
    The articles of ``first`` (a filter the caller found in few passages) are read,
    and the other parts are looked for only inside them, never across the archive."""
    common = snap.articles(first)
    for part in others:
        if not common:
            break
        within = Field("article", Or(tuple(Term(a) for a in sorted(common))))
        common = snap.articles(And((part, within)))
    return common


def suggest(snap: Snapshot, query: str, analysed: Node | None) -> list[Suggestion]:
    """Why ``analysed`` matched nothing in full, and what to try instead."""
    if analysed is None:
        return [Suggestion("nothing in the query can be searched (punctuation only?)")]
    parts = list(analysed.children) if isinstance(analysed, And) else [analysed]
    out: list[Suggestion] = []
    counts = [snap.count(p) for p in parts]
    for part, n in zip(parts, counts, strict=True):
        if n:
            continue
        field, leaf = _field_of(part)
        leaves = leaf.children if isinstance(leaf, Or | And) else (leaf,)
        for x in leaves:
            x = x.children[0] if isinstance(x, Or) else x
            out.extend(_spelling(snap, query, x, field))
        if len(parts) > 1:
            rest = [p for p in parts if p is not part]
            out.append(Suggestion(f"{_shown(query, part)} matches nothing; without it: "
                                  f"{snap.count(And(tuple(rest)))} passages",
                                  " ".join(_shown(query, p) for p in rest)))
    if len(parts) > 1 and all(counts):
        alone = ", ".join(f"{_shown(query, p)}: {n}" for p, n in zip(parts, counts, strict=True))
        out.append(Suggestion(f"each part matches alone ({alone}), but no passage has them all"))
        filters = [p for p in parts if _is_filter(p)]
        texts = [p for p in parts if not _is_filter(p)]
        common: set[str] = set()
        if filters and texts:
            n, first = min((n, i) for i, n in enumerate(counts) if _is_filter(parts[i]))
            if n <= MAX_FILTER_PASSAGES:
                common = _common_articles(snap, parts[first],
                                          [p for i, p in enumerate(parts) if i != first])
        if common:
            text_q = " ".join(_shown(query, p) for p in texts)
            within = " OR ".join(sorted(common))
            who = " ".join(_shown(query, f) for f in filters)
            out.append(Suggestion(
                f"{text_q} occurs in {len(common)} article(s) matching {who}, "
                "in other passages", f"{text_q} article:({within})"))
    if not out and isinstance(analysed, Phrase | Word):
        out.extend(_spelling(snap, query, analysed, "text"))
    return out[:MAX_SUGGESTIONS]


