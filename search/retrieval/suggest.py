"""Help when a query matches nothing: which part emptied it, what each part
finds alone, spelling corrections from the index's own vocabulary, accents.

Every suggestion says why; where a runnable alternative exists, ``query``
holds it (the REPL runs it by number)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from search.analysis import fold
from search.analysis.normalize import normalize
from search.errors import QuerySyntaxError
from search.plan.lower import exact_form, exact_forms
from search.query.ast import (
    Analysed,
    And,
    ArticleId,
    Field,
    FuzzyWord,
    Node,
    Or,
    Sequence,
    TermPattern,
    Word,
    default_edits,
    quote,
)
from search.query.tree import positive, walk
from search.retrieval.highlight import Pattern, occurrences
from search.retrieval.plain import split
from search.retrieval.searcher import Reach
from search.retrieval.view import View
from search.schema import SYL, SYLLABLE_FIELDS, WORD

MAX_SUGGESTIONS = 6
SPELLINGS_READ = 20  # passages read to learn how the index spells a word typed with marks
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


def _spelling(snap: View, query: str, node: Node, field: str,
              accents: bool = True) -> list[Suggestion]:
    """Corrections for the syllables of ``node`` that the index never saw (and,
    with ``accents``, for syllables the index has with other marks only)."""
    if isinstance(node, Sequence):
        node = node.word
    # each syllable: as typed, folded, and the form a match must hold (the plan's rule)
    if isinstance(node, Word):
        sylls = list(zip(node.syllables, node.folded, exact_forms(node), strict=True))
    elif isinstance(node, FuzzyWord):
        sylls = [(node.syllable, fold(node.syllable), exact_form(node.syllable))]
    elif isinstance(node, TermPattern):
        bare = node.pattern.rstrip("*")
        if "*" in bare or "?" in bare:
            return []
        sylls = [(bare, fold(bare), exact_form(bare))]
    else:
        return []
    fields = SYLLABLE_FIELDS.get(field)
    if fields is None:
        return []
    exact_field, fold_field = fields
    out: list[Suggestion] = []
    typed = query[node.span[0] : node.span[1]]
    for syl, folded, exact in sylls:
        if snap.doc_frequency(fold_field, folded):
            if accents and field == "text" and exact is not None and \
                    not snap.doc_frequency(exact_field, exact):
                forms = [t for t, _ in snap.similar(exact_field, syl, 2) if fold(t) == folded]
                if forms:
                    out.append(Suggestion(
                        f"no passage spells '{syl}' with these accents; '{forms[0]}' is in the "
                        "index", _replace(query, node.span, typed.lower().replace(syl, forms[0]))))
            continue
        dist = default_edits(folded)
        found = (snap.similar(fold_field, folded, dist) or snap.similar(exact_field, syl, dist)
                 ) if dist else []
        if found:
            best = found[0][0]
            if field == "text":
                spelled = [t for t, _ in snap.similar(exact_field, best, 2) if fold(t) == best]
                best = spelled[0] if spelled else best
            fixed = _cased(best, typed) if len(sylls) == 1 else typed.lower().replace(syl, best)
            out.append(Suggestion(f"'{syl}' is not in the index; did you mean '{best}'?",
                                  _replace(query, node.span, fixed)))
        else:
            out.append(Suggestion(f"'{syl}' is not in the index" + (
                ", nor anything close to it" if dist else "")))
    return out


def _respellings(snap: View, query: str, part: Node, accents: bool) -> list[Suggestion]:
    """Spelling corrections for each word of one top-level part (a word with
    variants is corrected as typed)."""
    field, leaf = _field_of(part)
    out: list[Suggestion] = []
    for x in leaf.children if isinstance(leaf, Or | And) else (leaf,):
        out.extend(_spelling(snap, query, x.children[0] if isinstance(x, Or) else x, field,
                             accents))
    return out


def _shown(query: str, node: Node) -> str:
    """The part as the user typed it, when its span is known."""
    start, end = getattr(node, "span", (0, 0))
    return query[start:end] if end > start else node.to_text()


def _common_articles(snap: View, first: Analysed, others: list[Analysed]) -> set[str]:
    """Articles where every part holds in some passage, not necessarily the same.
    The articles of ``first`` (a filter the caller found in few passages) are read,
    and the other parts are looked for only inside them, never across the archive."""
    common = snap.articles(first)
    for part in others:
        if not common:
            break
        within = Field("article", Or(tuple(ArticleId(a) for a in sorted(common))))
        common = snap.articles(And((part, within)))
    return common


def _marked_leaves(node: Node) -> list[Word | Sequence]:
    """Text-field words and phrases typed with at least one mark that means itself
    (by the plan's rule), but those excluded."""
    return [n for n, field in walk(node, into=positive) if field == "text"
            and isinstance(n, Word | Sequence) and _marked(n.word if isinstance(n, Sequence)
                                                           else n)]


def _marked(word: Word) -> bool:
    return any(e is not None for e in exact_forms(word))


def _spelled(snap: View, word: Word) -> str | None:
    """How the passages that hold ``word``'s syllables in any form spell them most."""
    bare = Word(word.folded, word.folded)
    _, hits = snap.search(bare, SPELLINGS_READ, 0)
    pattern = Pattern(word.folded)
    forms = Counter(normalize(r.stored["text"][a:b]).lower()
                    for r in hits for a, b in occurrences(r.stored["text"], pattern))
    return forms.most_common(1)[0][0] if forms else None


def _held_as_typed(snap: View, leaf: Word | Sequence) -> bool:
    """Does the index hold this word or phrase with the marks typed? A word it
    holds is never replaced by a suggestion: only one it lacks."""
    word = leaf.word if isinstance(leaf, Sequence) else leaf
    if any(not snap.doc_frequency(SYL, e) for e in exact_forms(word) if e is not None):
        return False
    if len(word.syllables) == 1:
        return True
    if isinstance(leaf, Word) and snap.doc_frequency(WORD, " ".join(word.syllables)):
        return True
    return snap.count(leaf) > 0


def tone_alternatives(snap: View, query: str, analysed: Analysed) -> list[Suggestion]:
    """When the marks typed empty the result: the spelling the index has (``"bàn
    đạo"`` -> ``"bán đảo"``), and the query without marks, each runnable. Only
    the words and phrases the index lacks as typed are respelled."""
    leaves = sorted((n for n in _marked_leaves(analysed) if not _held_as_typed(snap, n)),
                    key=lambda n: n.span[0], reverse=True)
    if not leaves or any(n.span[1] <= n.span[0] for n in leaves):
        return []
    fixed = bare = query
    changed = False
    for leaf in leaves:
        word = leaf.word if isinstance(leaf, Sequence) else leaf
        typed = " ".join(word.syllables)
        spelled = _spelled(snap, word)
        if isinstance(leaf, Sequence):
            tail = f"~{leaf.slop}" if leaf.slop is not None else ""
            fixed = _replace(fixed, leaf.span, quote(spelled or typed) + tail)
            bare = _replace(bare, leaf.span, quote(fold(typed)) + tail)
        else:
            fixed = _replace(fixed, leaf.span, spelled or query[leaf.span[0]:leaf.span[1]])
            bare = _replace(bare, leaf.span, fold(query[leaf.span[0]:leaf.span[1]]))
        changed = changed or (spelled is not None and spelled != typed)
    out = []
    if changed and fixed != query:
        out.append(Suggestion(f"no passage has the tone marks typed; did you mean {fixed}?",
                              fixed))
    if bare != query and bare != fixed:
        out.append(Suggestion(f"search without tone marks: {bare}", bare))
    return out


def worth_offering(snap: View, tips: list[Suggestion], parsed: Node,
                   read: Callable[[str], Node]) -> list[Suggestion]:
    """The suggestions to show: a runnable one only if ``read`` (the parser the query
    went through) accepts it and it finds more than the query typed (more full
    matches; or as many, and more of its words in the index)."""
    typed: Reach | None = None  # worked out only when a suggestion runs
    out = []
    for tip in tips:
        if tip.query is not None:
            try:
                alternative = read(tip.query)
            except QuerySyntaxError:
                continue
            typed = typed or Reach(snap, parsed)
            if not Reach(snap, alternative) > typed:
                continue
        out.append(tip)
    return out


def suggest(snap: View, query: str, analysed: Analysed | None, *,
            partial: bool = False) -> list[Suggestion]:
    """Why ``analysed`` matched nothing in full, and what to try instead. With
    ``partial`` (passages holding some of a plain query's words were found), only
    the words the index lacks are respelled: the partial matches already show what
    each word finds."""
    if analysed is None:
        return [Suggestion("nothing in the query can be searched (punctuation only?)")]
    parts: list[Analysed] = list(analysed.children) if isinstance(analysed, And) else [analysed]
    # function and question words decide nothing: never respell them ("nào" -> "nam")
    parts = list(split(parts).content) if len(parts) > 1 else parts
    out: list[Suggestion] = tone_alternatives(snap, query, analysed)
    accents = not out  # the alternatives already say what the index spells
    if partial:
        for part in parts:
            out.extend(_respellings(snap, query, part, accents))
        return out[:MAX_SUGGESTIONS]
    counts = [snap.count(p) for p in parts]
    for part, n in zip(parts, counts, strict=True):
        if len(out) >= MAX_SUGGESTIONS:
            break  # a long query of unknown words: each further hint costs a scan
        if n:
            continue
        out.extend(_respellings(snap, query, part, accents))
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
    if not out and isinstance(analysed, Sequence | Word):
        out.extend(_spelling(snap, query, analysed, "text"))
    return out[:MAX_SUGGESTIONS]


