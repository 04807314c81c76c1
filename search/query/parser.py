"""Query text -> AST, with errors that point at the column.

``parse`` is strict: the first problem raises :class:`QuerySyntaxError`.
``parse_lenient`` (for the REPL) runs the same code, and after each error
repairs the text (closes a quote, drops a dangling operator…) and tries again,
returning the best tree it got plus every error met on the way.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from dataclasses import dataclass

from lark import Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedInput
from lark.tree import Meta

from search.analysis import fold
from search.date_values import BadDate, DateValue, parse_date
from search.errors import QuerySyntaxError
from search.query.ast import (
    FIELDS,
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
    Wildcard,
)
from search.query.grammar import parser
from search.query.tree import rebuilt, transform, walk

MAX_QUERY_CHARS = 10_000
MAX_DEPTH = 64
MAX_FUZZY = 2
_CLOSERS = {'"': '"', "“": "”", "„": '"'}
_OPERATORS = {"_AND": "AND", "_OR": "OR", "_NOT": "NOT", "MINUS": "-", "PLUS": "+"}
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
FIELDS_HINT = "known fields: " + ", ".join(f"{f}:" for f in FIELDS)


@dataclass(frozen=True)
class _Repair:
    """How lenient parsing mends the text after an error."""

    start: int
    end: int
    insert: str = ""


class _Error(QuerySyntaxError):
    def __init__(self, message: str, position: int, hint: str, repair: _Repair) -> None:
        super().__init__(message, position, hint)
        self.repair = repair


def _unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text)


# --- positions: we parse NFC text but report offsets into what was typed --------
# pasted from web pages and word processors: zero-width spaces and joiners, the
# byte-order mark, word joiner and soft hyphen mean nothing in a query
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def _to_nfc(query: str) -> tuple[str, list[int]]:
    """NFC text without invisible characters and, for each of its characters (and
    its end), the offset in the text as typed."""
    out: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(query):
        if query[i] in _INVISIBLE:
            i += 1
            continue
        j = i + 1
        while j < len(query) and unicodedata.combining(query[j]):
            j += 1
        piece = unicodedata.normalize("NFC", query[i:j])
        out.append(piece)
        where.extend([i] * len(piece))
        i = j
    where.append(len(query))
    return "".join(out), where


def _clean(query: str) -> str:
    """Same length: control characters and lone surrogates (they reach us from pipes)
    and every kind of space (no-break, ideographic…) become a plain space."""
    return "".join(
        " " if (unicodedata.category(c) in ("Cc", "Cs", "Zs", "Zl", "Zp")
                and c not in "\t\n") else c
        for c in query
    )


# --- pasted text: "Lưu ý: ..." is words, not a field -----------------------------------
_FIELDISH = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])(?:\w|[\u0300-\u036f])*:")


def _is_field(name: str) -> bool:
    """A field, or close enough to one to be a mistyped field (``speeker:``), which
    gets its error and hint; any other word before a colon is text."""
    folded = fold(name).lower()
    return folded in FIELDS or (name.isascii() and bool(
        difflib.get_close_matches(folded, FIELDS, n=1, cutoff=0.8)))


def _text_colons(text: str) -> str:
    """Same length: the colon after a word that is not a field becomes a space, so a
    question pasted with ``Carolina:`` or ``Lưu ý:`` in it is searched as words."""
    out = list(text)
    i, quote = 0, ""
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if quote:
            if c == _CLOSERS[quote] or (quote == "„" and c in '"“”'):
                quote = ""
        elif c in _CLOSERS:
            quote = c
        elif (i == 0 or not (text[i - 1].isalnum() or unicodedata.combining(text[i - 1]))) and (
                m := _FIELDISH.match(text, i)):
            if not _is_field(m.group()[:-1]):
                out[m.end() - 1] = " "
            i = m.end()
            continue
        i += 1
    return "".join(out)


# --- a scan before lark, for the errors whose best position lark cannot know --------
def _prescan(text: str) -> None:
    stack: list[tuple[str, int]] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c in _CLOSERS:
            close = text.find(_CLOSERS[c], i + 1) if c != "„" else min(
                [p for p in (text.find(q, i + 1) for q in '"“”') if p >= 0], default=-1)
            while close > 0 and text[close - 1] == "\\" and c != "„":
                close = text.find(_CLOSERS[c], close + 1)
            if close < 0:
                raise _Error("unclosed quote", i, f"add {_CLOSERS[c]} to end the phrase",
                             _Repair(len(text), len(text), _CLOSERS[c]))
            i = close + 1
            continue
        if c == "(":
            stack.append((c, i))
            if len(stack) > MAX_DEPTH:
                raise _Error(f"nesting deeper than {MAX_DEPTH} levels", i,
                             "simplify the query", _Repair(i, i + 1))
        elif c in "[{":
            stack.append((c, i))
        elif c == ")":
            if not stack or stack[-1][0] != "(":
                if stack:
                    break  # a ')' inside a range: let the range error speak
                raise _Error("unmatched closing parenthesis", i,
                             "remove it, or add ( where the group starts", _Repair(i, i + 1))
            stack.pop()
        elif c in "]}":
            if stack and stack[-1][0] in "[{":
                stack.pop()
        i += 1
    for opener, pos in reversed(stack):
        if opener == "(":
            raise _Error("unclosed parenthesis", pos, "add ) to close the group",
                         _Repair(len(text), len(text), ")"))
        raise _Error("unterminated range", pos,
                     "close it with ] (inclusive) or } (exclusive), e.g. "
                     "date:[2021-12-01 TO 2021-12-31]", _Repair(pos, len(text)))


_EXAMPLES = {
    "speaker": 'speaker:Sullivan or speaker:"Jake Sullivan"',
    "date": "date:2021-12 or date:[2021-12-01 TO 2021-12-31]",
    "source": 'source:PLVN or source:"Tuổi trẻ"',
    "title": "title:(đột phá OR thỏa thuận)",
    "article": "article:000_8573dd3e2d4c80c7",
    "text": "text:Ukraine",
}


# --- lark's errors, in our words ---------------------------------------------------
def _previous_token(text: str, pos: int) -> Token | None:
    prev = None
    try:
        for tok in parser().lex(text[:pos]):
            prev = tok
    except UnexpectedInput:
        return None
    return prev


def _translate(exc: UnexpectedInput, text: str) -> _Error:
    if isinstance(exc, UnexpectedCharacters):
        pos, c = exc.pos_in_stream, text[exc.pos_in_stream]
        hints = {
            ":": "put a field name right before ':' (speaker:Putin), or escape it as \\:",
            "^": "a boost needs a number right after it: NATO^2",
            "~": "put ~ right after a word (Kremlinn~) or a phrase (\"Biden Putin\"~5)",
            "*": "put * right after the start of a word: Ushak*",
            "?": "? stands for one character inside a word (Put?n); "
                 "escape it as \\? to search for it literally",
            "<": "comparisons go with dates: date:<2022",
            ">": "comparisons go with dates: date:>=2021-12-07",
            "=": "comparisons go with dates: date:>=2021-12-07",
            "]": "ranges look like date:[2021-12-01 TO 2021-12-31]",
            "}": "ranges look like date:{2021-12-01 TO *]",
        }
        return _Error(f"unexpected '{c}'", pos,
                      hints.get(c, f"escape it as \\{c} to search for it literally"),
                      _Repair(pos, pos + 1))
    tok: Token | None = getattr(exc, "token", None)
    if tok is None or tok.type == "$END":
        return _unexpected_end(text)
    return _unexpected_token(tok, text)


def _dangling(prev: Token) -> _Error:
    op = prev.value  # the word typed: VÀ, &&, and…
    return _Error(f"{op} needs a term after it", prev.start_pos,
                  f"add a term after {op}, or remove it", _Repair(prev.start_pos, prev.end_pos))


def _empty_field(prev: Token) -> _Error:
    name = prev.value[:-1]
    return _Error(f"{name}: needs a value", prev.start_pos,
                  f"give a value, e.g. {_EXAMPLES.get(name, name + ':word')}",
                  _Repair(prev.start_pos, prev.end_pos))


def _unexpected_end(text: str) -> _Error:
    pos = len(text)
    prev = _previous_token(text, pos)
    if prev is not None and prev.type in _OPERATORS:
        return _dangling(prev)
    if prev is not None and prev.type == "FIELD_NAME":
        return _empty_field(prev)
    if prev is not None and prev.type == "CMP":
        return _Error(f"'{prev.value}' needs a date after it", prev.start_pos,
                      "e.g. date:>=2021-12-07", _Repair(prev.start_pos, prev.end_pos))
    return _Error("unexpected end of query", pos, "the query stops too early", _Repair(pos, pos))


def _unexpected_token(tok: Token, text: str) -> _Error:
    pos = tok.start_pos
    prev = _previous_token(text, pos)
    if prev is not None and prev.type in _OPERATORS and tok.type in ("_AND", "_OR", "RPAR"):
        return _dangling(prev)
    if prev is not None and prev.type == "FIELD_NAME":
        if tok.type == "FIELD_NAME":
            return _Error(f"{prev.value} needs a value, not another field '{tok.value}'", pos,
                          "escape a colon that belongs to the value: "
                          f"{prev.value}{tok.value[:-1]}\\:", _Repair(tok.end_pos - 1, tok.end_pos))
        return _empty_field(prev)
    if tok.type in ("_AND", "_OR"):
        op = tok.value
        return _Error(f"{op} needs a term before it", pos, f"add a term before {op}, or remove it",
                      _Repair(pos, tok.end_pos))
    if tok.type == "RPAR" and prev is not None and prev.type == "LPAR":
        return _Error("empty parentheses", prev.start_pos, "put terms inside, or remove them",
                      _Repair(prev.start_pos, tok.end_pos))
    return _Error(f"unexpected '{tok.value}'", pos, "escape it with \\ to search for it literally",
                  _Repair(pos, tok.end_pos))




# --- parse tree -> AST ---------------------------------------------------------------
def _span(meta: Meta) -> tuple[int, int]:
    return (getattr(meta, "start_pos", 0), getattr(meta, "end_pos", 0))


def _field_name(token: Token) -> str:
    raw = token.value[:-1]
    name = fold(raw).lower()
    if name in FIELDS:
        return name
    close = difflib.get_close_matches(name, FIELDS, n=1, cutoff=0.5)
    hint = (f"did you mean {close[0]}:? " if close else "") + FIELDS_HINT + \
        "; to search for a colon, write \\:"
    raise _Error(f"unknown field '{raw}'", token.start_pos, hint,
                 _Repair(token.end_pos - 1, token.end_pos))


def _date(text: str, start: int, end: int) -> DateValue:
    try:
        return parse_date(text)
    except BadDate as exc:
        raise _Error(exc.message, start, exc.hint, _Repair(start, end)) from None


Value = Node | DateRange


class _ToAst(Transformer[Token, Node | None]):
    """Builds AST nodes; lark's tree never leaves this module. Terminals that carry
    a value of their own (a field name, a boost, a phrase, a wildcard or fuzzy
    term) are converted by their own callbacks, rules only assemble nodes."""

    # terminals ----------------------------------------------------------------------
    def FIELD_NAME(self, token: Token) -> Token:  # lark calls a terminal's callback by its name
        return token.update(value=_field_name(token))

    def BOOST(self, token: Token) -> float:
        return float(token[1:])

    def PHRASE(self, t: Token) -> Phrase:
        body, slop = t.value, ""
        if m := re.search(r"~(\d+)$", t.value):
            body, slop = t.value[: m.start()], m.group(1)
        return Phrase(_unescape(body[1:-1]), int(slop) if slop else None,
                      span=(t.start_pos, t.end_pos))

    def WILDCARD(self, t: Token) -> Node:
        text = t.value
        span = (t.start_pos, t.end_pos)
        if len(text) > 2 and text.startswith("/") and text.endswith("/"):
            raise _Error("regular expressions are not supported", t.start_pos,
                         f"use wildcards instead: ? for one character, * for any run "
                         f"({text[1:-1]})", _Repair(t.start_pos, t.end_pos))
        body = text[:-1]
        if "*" not in body and "?" not in body.replace("\\?", ""):
            return Prefix(_unescape(body), span=span)
        return Wildcard(_unescape(text), span=span)

    def FUZZY(self, t: Token) -> Fuzzy:
        word, _, dist = t.value.rpartition("~")
        span = (t.start_pos, t.end_pos)
        if "." in dist:
            return Fuzzy(_unescape(word), _similarity_edits(float(dist), _unescape(word)),
                         span=span)
        if dist and int(dist) > MAX_FUZZY:
            raise _Error(f"fuzzy distance {dist} is too large", t.start_pos,
                         f"use at most ~{MAX_FUZZY}", _Repair(t.end_pos - len(dist), t.end_pos))
        return Fuzzy(_unescape(word), int(dist) if dist else None, span=span)

    # rules ----------------------------------------------------------------------------
    @v_args(meta=True)
    def start(self, meta: Meta, children: list[Node]) -> Node | None:
        return children[0] if children else None

    @v_args(meta=True)
    def or_expr(self, meta: Meta, children: list[Node]) -> Node:
        return Or(tuple(children), span=_span(meta))

    @v_args(meta=True)
    def and_expr(self, meta: Meta, children: list[Node]) -> Node:
        return And(tuple(children), explicit=True, span=_span(meta))

    @v_args(meta=True)
    def implicit(self, meta: Meta, children: list[Node]) -> Node:
        return And(tuple(children), explicit=False, span=_span(meta))

    @v_args(meta=True)
    def not_(self, meta: Meta, children: list[Node | Token]) -> Node:
        child = children[-1]
        assert isinstance(child, Node)
        return Not(child, span=_span(meta))

    @v_args(meta=True, inline=True)
    def must(self, meta: Meta, _plus: Token, child: Node) -> Node:
        return Must(child, span=_span(meta))

    @v_args(meta=True, inline=True)
    def boost(self, meta: Meta, child: Node, factor: float) -> Node:
        return Boost(child, factor, span=_span(meta))

    @v_args(inline=True)
    def group(self, _open: Token, child: Node, _close: Token) -> Node:
        return child

    @v_args(meta=True, inline=True)
    def field(self, meta: Meta, name: Token, value: Value) -> Node:
        span = _span(meta)
        if name.value == "date":
            if isinstance(value, Term):
                d = _date(value.text, value.span[0], value.span[1])
                return Field("date", DateRange(d, d, span=value.span), span=span)
            if not isinstance(value, DateRange):
                raise _Error("date: takes a date, a range or a comparison", value.span[0],
                             _EXAMPLES["date"], _Repair(span[0], span[1]))
        elif isinstance(value, DateRange):
            raise _Error(f"ranges and comparisons only work on date:, not {name.value}:",
                         value.span[0], _EXAMPLES["date"], _Repair(span[0], span[1]))
        if name.value == "text":
            return value
        return Field(name.value, value, span=span)

    @v_args(meta=True, inline=True)
    def range(self, meta: Meta, opener: Token, lo: DateValue | None, hi: DateValue | None,
              closer: Token) -> Node:
        span = _span(meta)
        if lo is not None and hi is not None and lo.bounds()[0] > hi.bounds()[1]:
            raise _Error(f"the range ends ({hi.to_text()}) before it starts ({lo.to_text()})",
                         span[0], f"swap them: [{hi.to_text()} TO {lo.to_text()}]",
                         _Repair(span[0], span[1]))
        return DateRange(lo, hi, include_start=lo is None or opener == "[",
                         include_end=hi is None or closer == "]", span=span)

    @v_args(inline=True)
    def bound(self, token: Token) -> DateValue:
        return _date(token.value, token.start_pos, token.end_pos)

    @v_args(inline=True)
    def open_bound(self, _star: Token) -> None:
        return None

    @v_args(meta=True, inline=True)
    def compare(self, meta: Meta, op: Token, token: Token) -> Node:
        d = _date(token.value, token.start_pos, token.end_pos)
        span = _span(meta)
        if op == ">=":
            return DateRange(d, None, span=span)
        if op == ">":
            return DateRange(d, None, include_start=False, span=span)
        if op == "<=":
            return DateRange(None, d, span=span)
        return DateRange(None, d, include_end=False, span=span)

    @v_args(inline=True)
    def term(self, t: Token) -> Node:
        return Term(_unescape(t.value), span=(t.start_pos, t.end_pos))

    @v_args(inline=True)
    def phrase(self, node: Phrase) -> Node:
        return node

    @v_args(inline=True)
    def wildcard(self, node: Node) -> Node:
        return node

    @v_args(inline=True)
    def fuzzy(self, node: Fuzzy) -> Node:
        return node


def _similarity_edits(similarity: float, word: str) -> int:
    """Lucene's old ``term~0.8`` (a minimum similarity) as an edit distance, the way
    Lucene itself converts it: ``(1 - similarity) * length``, at most 2; 1 and more
    are read as edits."""
    if similarity >= 1:
        return min(int(similarity), MAX_FUZZY)
    if similarity <= 0:
        return MAX_FUZZY
    return min(int((1 - similarity) * len(word) + 1e-9), MAX_FUZZY)


def _only_negative(node: Node) -> bool:
    """Is every part of the query's top-level AND an exclusion?"""
    return all(isinstance(n, And | Not)
               for n, _ in walk(node, into=lambda n: isinstance(n, And)))


_NO_WORDS_HINT = 'type a word, a "phrase" or field:value'


def _parse_nfc(text: str) -> Node:
    if not text.strip():
        raise _Error("empty query", 0, _NO_WORDS_HINT, _Repair(0, 0))
    text = _text_colons(text)
    _prescan(text)
    try:
        tree: Tree = parser().parse(text)
    except UnexpectedInput as exc:
        raise _translate(exc, text) from None
    try:
        node = _ToAst().transform(tree)
    except Exception as exc:  # lark wraps what our callbacks raise
        inner = getattr(exc, "orig_exc", exc)
        if isinstance(inner, _Error):
            raise inner from None
        raise
    if node is None:
        raise _Error("empty query", 0, 'type a word, a "phrase" or field:value', _Repair(0, 0))
    _check(node, len(text), text)
    return node


def _check(node: Node, length: int, text: str | None = None) -> None:
    """What the grammar cannot say: a query of exclusions only matches nothing.
    ``text``: the query typed (a tree built in code has none)."""
    if not _only_negative(node):
        return
    if text is not None and not any(c.isalnum() or c == "\\" for c in text):
        # "!!!...???" reads as exclusions of punctuation: say what is really wrong
        raise _Error("the query holds no words", 0, _NO_WORDS_HINT, _Repair(0, length))
    raise _Error("the query only excludes", 0,
                 "add something to search for, e.g. 'Ukraine -NATO': "
                 "exclusions filter matches, they do not make any",
                 _Repair(0, length))


def validate(node: Node) -> Node:
    """Check a tree built in code (``Q``) as a parsed one is checked."""
    try:
        _check(node, 0)
    except _Error as exc:
        raise QuerySyntaxError(exc.message, 0, exc.hint, node.to_text()) from None
    return node


def _remap(node: Node, where: list[int]) -> Node:
    """Spans of the NFC text -> spans of the text as typed."""
    last = len(where) - 1

    def moved(old: Node, subtrees: tuple[Node, ...], field: str) -> Node:
        new = rebuilt(old, subtrees)
        start, end = getattr(new, "span")  # noqa: B009 - every parsed node has one
        span = {"span": (where[min(start, last)], where[min(end, last)])}
        return dataclasses.replace(new, **span)  # the base Node has no span field

    out = transform(node, moved)
    assert out is not None  # moving spans drops nothing
    return out


def _attempt(query: str) -> Node:
    if len(query) > MAX_QUERY_CHARS:
        raise _Error(f"query too long ({len(query):,} characters)", MAX_QUERY_CHARS,
                     f"the limit is {MAX_QUERY_CHARS:,}", _Repair(MAX_QUERY_CHARS, len(query)))
    text, where = _to_nfc(_clean(query))
    try:
        return _remap(_parse_nfc(text), where)
    except _Error as exc:
        pos = where[min(exc.position, len(where) - 1)]
        r = exc.repair
        repair = _Repair(where[min(r.start, len(where) - 1)], where[min(r.end, len(where) - 1)],
                         r.insert)
        raise _Error(exc.message, pos, exc.hint, repair) from None


def _without_stray_quotes(query: str, first: _Error) -> str:
    """The query with its unclosed quotes removed, if that runs (pasted text often
    holds one stray quote); else ''."""
    text, exc = query, first
    for _ in range(8):
        if exc.message != "unclosed quote":
            return ""
        text = text[: exc.position] + text[exc.position + 1 :]
        try:
            _attempt(text)
            return text.strip()
        except _Error as again:
            exc = again
    return ""


def parse(query: str) -> Node:
    """The AST of ``query``; :class:`QuerySyntaxError` (message, position, hint and,
    when one is obvious, a runnable ``suggestion``) if bad."""
    try:
        return _attempt(query)
    except _Error as exc:
        suggestion = _without_stray_quotes(query, exc)
        raise QuerySyntaxError(exc.message, exc.position, exc.hint, query,
                               suggestion) from None


def parse_plain(query: str) -> Node:
    """``query`` as words and nothing else: operators, quotes, fields and wildcards
    are characters like any other (for pasted text and for programs). It fails
    only when too long or when it holds no word at all."""
    if len(query) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"query too long ({len(query):,} characters)",
                               MAX_QUERY_CHARS, f"the limit is {MAX_QUERY_CHARS:,}", query)
    # same length as typed, so word spans point into the query (suggestions rewrite it)
    text = "".join(" " if c in _INVISIBLE else c for c in _clean(query))
    if not any(c.isalnum() for c in text):
        raise QuerySyntaxError("the query holds no words", 0, "type a word", query)
    return Term(text, span=(0, len(query)))


def parse_lenient(query: str, max_repairs: int = 8) -> tuple[Node | None, list[QuerySyntaxError]]:
    """Best-effort AST plus every error found, for live feedback while typing."""
    errors: list[QuerySyntaxError] = []
    text = query
    for _ in range(max_repairs):
        try:
            return _attempt(text), errors
        except _Error as exc:
            errors.append(QuerySyntaxError(exc.message, min(exc.position, len(query)),
                                           exc.hint, query))
            r = exc.repair
            mended = text[: r.start] + " " * (r.end - r.start) + text[r.end :]
            if r.insert:
                mended = mended[: r.start] + r.insert + mended[r.start :]
            if mended == text or not mended.strip():
                break
            text = mended
    return None, errors
