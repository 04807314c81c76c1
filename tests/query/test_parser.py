"""The query language: query -> canonical tree, errors with positions, round trips.

Tables read as ``query -> s-expression`` (see ``search.query.ast.dump``):
``all`` is the implicit AND of juxtaposed clauses, ``and`` an explicit AND.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import QuerySyntaxError
from search.query.ast import (
    And,
    Boost,
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
    dump,
)
from search.query.parser import parse, parse_lenient
from search.query.rewrite import rewrite

TREES = [
    # terms and Vietnamese runs
    ("Ukraine", "(term 'Ukraine')"),
    ("biên giới Ukraine", "(all (term 'biên') (term 'giới') (term 'Ukraine'))"),
    ("Nga-Mỹ COVID-19", "(all (term 'Nga-Mỹ') (term 'COVID-19'))"),
    ("175.000 7/12/2021", "(all (term '175.000') (term '7/12/2021'))"),
    (unicodedata.normalize("NFD", "thoả thuận"), "(all (term 'thoả') (term 'thuận'))"),
    # phrases, in all three quote styles, and proximity
    ('"Nord Stream"', "(phrase 'Nord Stream')"),
    ("“Nord Stream”", "(phrase 'Nord Stream')"),
    ('„Nord Stream"', "(phrase 'Nord Stream')"),
    ('"Biden Putin"~5', "(phrase 'Biden Putin' ~5)"),
    ('"a \\"b\\" c"', "(phrase 'a \"b\" c')"),
    # booleans and precedence: NOT > AND > OR; juxtaposition is AND
    ("a AND b", "(and (term 'a') (term 'b'))"),
    ("a and b", "(and (term 'a') (term 'b'))"),
    ("a VÀ b", "(and (term 'a') (term 'b'))"),
    ("a OR b", "(or (term 'a') (term 'b'))"),
    ("a HOẶC b", "(or (term 'a') (term 'b'))"),
    ("a OR b AND c", "(or (term 'a') (and (term 'b') (term 'c')))"),
    ("a AND b OR c", "(or (and (term 'a') (term 'b')) (term 'c'))"),
    ("NOT a AND b", "(and (not (term 'a')) (term 'b'))"),
    ("KHÔNG a b", "(all (not (term 'a')) (term 'b'))"),
    ("a b OR c", "(or (all (term 'a') (term 'b')) (term 'c'))"),
    ("a -b +c", "(all (term 'a') (not (term 'b')) (must (term 'c')))"),
    ("(a OR b) c", "(all (or (term 'a') (term 'b')) (term 'c'))"),
    ("không có đột phá", "(all (term 'không') (term 'có') (term 'đột') (term 'phá'))"),
    ("android notebook order", "(all (term 'android') (term 'notebook') (term 'order'))"),
    # fields
    ("speaker:Sullivan", "(speaker (term 'Sullivan'))"),
    ('speaker:"Jake Sullivan"', "(speaker (phrase 'Jake Sullivan'))"),
    ("SPEAKER:Putin", "(speaker (term 'Putin'))"),
    ("spêaker:Putin", "(speaker (term 'Putin'))"),
    ("title:(đột phá OR thỏa thuận)",
     "(title (or (all (term 'đột') (term 'phá')) (all (term 'thỏa') (term 'thuận'))))"),
    ("source:PLVN", "(source (term 'PLVN'))"),
    ("text:Ukraine", "(term 'Ukraine')"),
    ("article:000_8573dd3e2d4c80c7", "(article (term '000_8573dd3e2d4c80c7'))"),
    ("speaker: Sullivan", "(speaker (term 'Sullivan'))"),
    # dates: partial dates are ranges of their own extent
    ("date:2021-12", "(date (date [2021-12 2021-12]))"),
    ("date:2021-12-07", "(date (date [2021-12-07 2021-12-07]))"),
    ("date:2022", "(date (date [2022 2022]))"),
    ("date:7/12/2021", "(date (date [2021-12-07 2021-12-07]))"),
    ("date:12/2021", "(date (date [2021-12 2021-12]))"),
    ("date:[2021-12-01 TO 2021-12-31]", "(date (date [2021-12-01 2021-12-31]))"),
    ("date:{2021-12-01 TO *]", "(date (date {2021-12-01 *]))"),
    ("date:>=2021-12-07", "(date (date [2021-12-07 *]))"),
    ("date:>2021-12-07", "(date (date {2021-12-07 *]))"),
    ("date:<2022", "(date (date [* 2022}))"),
    ("date:<=2022", "(date (date [* 2022]))"),
    # prefix, fuzzy, boost, escapes
    ("Ushak*", "(prefix 'Ushak')"),
    ("Kremlinn~", "(fuzzy 'Kremlinn' auto)"),
    ("Kremlinn~1", "(fuzzy 'Kremlinn' 1)"),
    ("NATO^2", "(boost 2 (term 'NATO'))"),
    ("(a b)^0.5", "(boost 0.5 (all (term 'a') (term 'b')))"),
    ('"a b"~3^2', "(boost 2 (phrase 'a b' ~3))"),
    ("a\\:b", "(term 'a:b')"),
    ('\\"quoted', "(term '\"quoted')"),
    ("\\*", "(term '*')"),
    ("\\AND x", "(all (term 'AND') (term 'x'))"),
    ("NOTa", "(term 'NOTa')"),  # tantivy: a keyword glued to letters is a word
]


@pytest.mark.parametrize(("query", "tree"), TREES)
def test_tree(query: str, tree: str) -> None:
    assert dump(parse(query)) == tree


@pytest.mark.parametrize(("query", "tree"), TREES)
def test_canonical_text_round_trips(query: str, tree: str) -> None:
    node = parse(query)
    assert parse(node.to_text()) == node


ERRORS = [
    # (query, position, words the message must contain)
    ('"Nord Stream', 0, "unclosed quote"),
    ('Ukraine "Nord Stream', 8, "unclosed quote"),
    ("(NATO OR Nga", 0, "unclosed parenthesis"),
    ("NATO)", 4, "unmatched closing parenthesis"),
    ("NATO AND", 5, "AND needs a term after it"),
    ("NATO OR", 5, "OR needs a term after it"),
    ("AND NATO", 0, "AND needs a term before it"),
    ("a OR OR b", 2, "OR needs a term after it"),
    ("NOT", 0, "NOT needs a term after it"),
    ("speaker:", 0, "speaker: needs a value"),
    ("Ukraine speaker:", 8, "speaker: needs a value"),
    ("spaeker:Putin", 0, "unknown field 'spaeker'"),
    ("date:2021-13", 5, "impossible month 13"),
    ("date:2021-02-30", 5, "impossible day 30"),
    ("date:[2022 TO", 5, "unterminated range"),
    ("date:[2021-12 TO 2022-13]", 17, "impossible month 13"),
    ("date:hôm qua", 5, "not a date"),
    ('date:"2021"', 5, "date: takes a date"),
    ("speaker:[2021 TO 2022]", 8, "only work on date:"),
    ("-NATO", 0, "only excludes"),
    ("-NATO -Putin", 0, "only excludes"),
    ("", 0, "empty query"),
    ("   ", 0, "empty query"),
    ("a ^ b", 2, "unexpected '^'"),
    ("a^2^3", 3, "unexpected"),
    ('"a b"~', 5, "unexpected '~'"),
    ("x~5", 0, "fuzzy distance 5 is too large"),
    ("()", 0, "empty parentheses"),
    ("a : b", 2, "unexpected ':'"),
    ("date:>=", 5, "'>=' needs a date"),
]


@pytest.mark.parametrize(("query", "position", "message"), ERRORS)
def test_errors_point_at_the_column(query: str, position: int, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse(query)
    err = info.value
    assert message in err.message
    assert err.position == position
    assert err.hint, "every error carries a hint"
    expected = {"message": err.message, "position": position, "hint": err.hint}
    if err.suggestion:  # a stray quote: the query without it, which runs
        expected["suggestion"] = err.suggestion
        assert parse(err.suggestion) is not None
    assert err.to_dict() == expected


def test_error_is_printed_with_a_caret() -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse('"Nord Stream')
    assert info.value.pretty() == ('"Nord Stream\n^ unclosed quote: add " to end the phrase'
                                   "\ntry: Nord Stream")


def test_unknown_field_suggests_the_closest() -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse("spaeker:Putin")
    assert "did you mean speaker:?" in info.value.hint
    assert "title:" in info.value.hint


def test_positions_refer_to_the_text_as_typed_even_in_nfd() -> None:
    query = unicodedata.normalize("NFD", "biên giới AND")
    with pytest.raises(QuerySyntaxError) as info:
        parse(query)
    assert query[info.value.position :].startswith("AND")
    typed = unicodedata.normalize("NFD", "đảm bảo Ukraine")
    node = parse(typed)
    assert isinstance(node, And)
    first, last = node.children[0], node.children[-1]
    assert typed[last.span[0] : last.span[1]] == "Ukraine" and last.span[1] == len(typed)
    assert unicodedata.normalize("NFC", typed[first.span[0] : first.span[1]]) == "đảm"


def test_lenient_returns_a_tree_and_the_errors() -> None:
    node, errors = parse_lenient('Ukraine AND "Nord Stream')
    assert [e.message for e in errors] == ["unclosed quote"]
    assert node is not None and dump(node) == "(and (term 'Ukraine') (phrase 'Nord Stream'))"
    node, errors = parse_lenient("NATO AND")
    assert dump(node) == "(term 'NATO')" and errors[0].position == 5
    node, errors = parse_lenient("biên giới")
    assert errors == [] and node == parse("biên giới")


def test_rewrite_segments_runs_like_the_text() -> None:
    analysed = rewrite(parse("biên giới Ukraine"))
    assert dump(analysed) == ("(all (word 'biên giới') (or (word 'ukraine') "
                              "(variant 'ucraina' 0.4) (variant 'u crai na' 0.4)))")
    analysed = rewrite(parse('Moskva "Moskva"'))
    assert dump(analysed).startswith("(all (or (word 'moskva') (variant 'moscow' 0.4)")
    assert dump(analysed).endswith("(sequence 'moskva'))"), "a quoted phrase is never expanded"
    analysed = rewrite(parse('speaker:Jake Sullivan "Nord Stream"'))
    assert dump(analysed) == (
        "(all (speaker (word 'jake')) (word 'sullivan') (sequence 'nord stream'))")
    assert rewrite(parse("... ,")) is None


def test_deep_nesting_has_a_clear_limit() -> None:
    ok = "(" * 30 + "a" + ")" * 30
    assert dump(parse(ok)) == "(term 'a')"
    with pytest.raises(QuerySyntaxError, match="nesting deeper"):
        parse("(" * 200 + "a" + ")" * 200)


def test_huge_query_has_a_clear_limit() -> None:
    with pytest.raises(QuerySyntaxError, match="too long"):
        parse("a " * 20_000)


# --- properties -------------------------------------------------------------------
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list('ab đêô "“”„()[]{}:^~*+-<>=\\!|&') + [
    " AND ", " OR ", "NOT ", " TO ", "speaker:", "date:", "2021-12", " VÀ ", "\x00", "\ud800"]),
    max_size=40).map("".join) | st.text(max_size=40))
def test_any_string_parses_or_fails_cleanly(query: str) -> None:
    try:
        node = parse(query)
    except QuerySyntaxError as err:
        assert 0 <= err.position <= len(query)
        assert err.message and err.hint
        err.pretty()
    else:
        assert parse(node.to_text()) == node
    parse_lenient(query)  # never raises


_words = st.sampled_from(["Ukraine", "biên", "giới", "Nord", "Putin", "đảm", "bảo", "175.000",
                          "a:b", "x*y", "and", "NOT", "Nga-Mỹ", "(", "7/12/2021"])
_leaf = st.one_of(
    _words.map(Term),
    st.lists(_words, min_size=1, max_size=3).map(" ".join).map(Phrase),
    st.builds(Phrase, st.lists(_words, min_size=2, max_size=3).map(" ".join),
              st.integers(0, 9)),
    st.sampled_from(["Ushak", "Krem", "bi"]).map(Prefix),
    st.builds(Fuzzy, st.sampled_from(["Kremlinn", "Sulivan"]), st.sampled_from([None, 1, 2])),
    st.builds(Field, st.sampled_from(["speaker", "source", "title"]), _words.map(Term)),
)


def _tree(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    many = st.lists(children, min_size=2, max_size=3).map(tuple)
    return st.one_of(
        st.builds(And, many, st.booleans()),
        st.builds(Or, many),
        st.builds(Must, children),
        st.builds(Boost, children, st.sampled_from([2.0, 0.5, 1.5])),
        st.builds(lambda a, b: And((a, Not(b)), False), children, children),
    )


@settings(max_examples=300, deadline=None)
@given(st.recursive(_leaf, _tree, max_leaves=8))
def test_generated_trees_round_trip(node: Node) -> None:
    text = node.to_text()
    reparsed = parse(text)
    assert parse(reparsed.to_text()) == reparsed
    assert rewrite(reparsed) == rewrite(node)  # the text means what the tree meant


def test_date_range_round_trip_keeps_bounds() -> None:
    node = parse("date:{2021-12-01 TO 2022}")
    assert isinstance(node, Field) and isinstance(node.child, DateRange)
    assert node.child.include_start is False and node.child.include_end is False
    assert parse(node.to_text()) == node


# --- parity with peers ---------------------------------------------------------------
# Cases adapted from tantivy (query-grammar/src/query_grammar.rs) and Whoosh
# (tests/test_parsing.py) for the syntax we share, rewritten in our own notation.
PEER_SAME = [
    # Whoosh test_andor: AND binds tighter than OR
    ("a AND b OR c AND d OR e AND f",
     "(or (and (term 'a') (term 'b')) (and (term 'c') (term 'd')) (and (term 'e') (term 'f')))"),
    # Whoosh test_andor: keywords glued to letters are words
    ("aORb", "(term 'aORb')"),
    ("aOR b", "(all (term 'aOR') (term 'b'))"),
    ("a ORb", "(all (term 'a') (term 'ORb'))"),
    # Whoosh test_boost / tantivy test_boosting: boosted groups
    ("a (b c)^2.5", "(all (term 'a') (boost 2.5 (all (term 'b') (term 'c'))))"),
    # Whoosh test_endstar
    ("first* second", "(all (prefix 'first') (term 'second'))"),
    # Whoosh test_phrase_phrase (field "test" becomes our speaker:)
    ('"alfa bravo" "charlie delta echo"^2.2 speaker:"foxtrot golf"',
     "(all (phrase 'alfa bravo') (boost 2.2 (phrase 'charlie delta echo')) "
     "(speaker (phrase 'foxtrot golf')))"),
    # Whoosh test_fieldnames: nested field groups, the innermost field wins
    ("speaker:b c title:(e source:(g h)) i",
     "(all (speaker (term 'b')) (term 'c') (title (all (term 'e') (source (all (term 'g') "
     "(term 'h'))))) (term 'i'))"),
    # tantivy test_parse_query_to_triming_spaces
    ("(  a OR abc )", "(or (term 'a') (term 'abc'))"),
    # tantivy test_parse_query_to_ast_not_op: NOTa is a word, NOT a negates
    ("NOT a b", "(all (not (term 'a')) (term 'b'))"),
    # tantivy test_slop: slop after a phrase, boost after the slop
    ('"a b"~3', "(phrase 'a b' ~3)"),
    ('"a b"~300^2', "(boost 2 (phrase 'a b' ~300))"),
    # tantivy test_parse_elastic_query_ranges: a space may follow the colon
    ("date: >=2021-12-07", "(date (date [2021-12-07 *]))"),
    ("date:{2021-12-01 TO 2021-12-31]", "(date (date {2021-12-01 2021-12-31]))"),
]

# Where we differ on purpose, and why.
PEER_DIFFERENT = [
    # Whoosh reads a lone OR as the word "OR"; we say the operator lacks operands.
    ("OR", "OR needs a term before it"),
    # Whoosh reads "^2 a" as the word "^2"; a stray boost is reported instead.
    ("^2 a", "unexpected '^2'"),
    # Whoosh boosts the word "a^2" by 3; tantivy rejects it, as we do.
    ("a^2^3", "unexpected '^3'"),
    # tantivy: "--abc" is an error; for us it is a query of exclusions only.
    ("--abc", "only excludes"),
    # Whoosh reads "speaker:b:" as speaker "b:"; here a colon after a word that is no
    # field is text ("b"), but a field name right after a field is an error.
    ("speaker:title:", "needs a value, not another field 'title:'"),
    # tantivy: "a b"~ is an error too.
    ('"a b"~', "unexpected '~'"),
]


@pytest.mark.parametrize(("query", "tree"), PEER_SAME)
def test_peer_parity(query: str, tree: str) -> None:
    assert dump(parse(query)) == tree


@pytest.mark.parametrize(("query", "message"), PEER_DIFFERENT)
def test_peer_deliberate_differences(query: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=re.escape(message)):
        parse(query)


def test_mixing_or_with_juxtaposition_is_allowed() -> None:
    # tantivy rejects "a OR b aaa"; we read juxtaposition as a tighter AND
    assert dump(parse("a OR b aaa")) == "(or (term 'a') (all (term 'b') (term 'aaa')))"


# Habits from Lucene and Elasticsearch, and text pasted from elsewhere ----------------------
@pytest.mark.parametrize(("query", "tree"), [
    ("Put?n", "(wildcard 'Put?n')"),
    ("Pu*n", "(wildcard 'Pu*n')"),
    ("Ushak*", "(prefix 'Ushak')"),
    ("!Putin Biden", "(all (not (term 'Putin')) (term 'Biden'))"),
    ("Putin~0.8", "(fuzzy 'Putin' 1)"),  # Lucene: (1 - 0.8) * 5 letters
    ("Kremlinn~0.5", "(fuzzy 'Kremlinn' 2)"),
    ("Putin~1", "(fuzzy 'Putin' 1)"),
    ("Ai nói vậy?", "(all (term 'Ai') (term 'nói') (term 'vậy?'))"),
    ("Ai nói vậy ?", "(all (term 'Ai') (term 'nói') (term 'vậy'))"),
    ("đường\u00a0ống", "(all (term 'đường') (term 'ống'))"),
    ("đư\u200bờng", "(term 'đường')"),
    ("Put\\?n", "(term 'Put?n')"),
])
def test_lucene_habits_and_pasted_text(query: str, tree: str) -> None:
    assert dump(parse(query)) == tree


def test_the_digits_after_a_tilde_are_never_a_term() -> None:
    node = parse("Putin~0.8 NATO")
    assert dump(node) == "(all (fuzzy 'Putin' 1) (term 'NATO'))"


@pytest.mark.parametrize(("query", "message", "column"), [
    ("/joh?n/", "regular expressions are not supported", 0),
    ("speaker:/joh?n/", "regular expressions are not supported", 8),
    ("date:[2022 TO 2021]", "the range ends (2021) before it starts (2022)", 5),
    ("VÀ", "VÀ needs a term before it", 0),
    ("Putin VÀ", "VÀ needs a term after it", 6),
    ("Putin &&", "&& needs a term after it", 6),
])
def test_errors_name_what_was_typed(query: str, message: str, column: int) -> None:
    with pytest.raises(QuerySyntaxError) as err:
        parse(query)
    assert err.value.message == message and err.value.position == column


def test_wildcard_text_round_trips() -> None:
    for query in ("Put?n", "Pu*n AND x", "Ushak*", "!a b", "Putin~1"):
        node = parse(query)
        assert parse(node.to_text()) == node


def test_a_long_query_is_flat_and_each_word_looked_up_once() -> None:
    words = " ".join(["Putin", "Biden"] * 500)
    analysed = rewrite(parse(words), vocab=lambda word: False)  # an index without them
    assert dump(analysed) == "(all (word 'putin') (word 'biden'))"
    many = " OR ".join(f"w{i}" for i in range(1000))
    node = parse(many)
    assert isinstance(node, Or) and len(node.children) == 1000
    analysed = rewrite(parse(" AND ".join(["Nga"] * 1000)))
    assert dump(analysed) == "(word 'nga')"
