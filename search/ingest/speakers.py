"""Who speaks in a passage: rule-based quote and statement attribution.

A *speech event* is a reporting verb (``cho biết``, ``khẳng định``…) or a
``Theo X,`` lead. Its speaker is the run of capitalised words right before the
verb (skipping adverbs such as ``đã``, ``cũng`` and a ``ngày 12/2``), cleaned of
titles, honorifics and countries (``cố vấn an ninh quốc gia Mỹ Jake Sullivan``
-> ``Jake Sullivan``), split from an organisation it belongs to (``Phụ tá Điện
Kremlin Yuri Ushakov`` -> ``Yuri Ushakov``) and finally resolved to the full
name used elsewhere (``Lavrov`` -> ``Sergei Lavrov``).

A pronoun subject (``ông cũng nhấn mạnh``) or an unnamed official of a known
organisation (``quan chức Điện Kremlin cho biết``) goes to the latest matching
speaker of the same or the previous paragraph. Photo captions never speak.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from search.analysis import analyze, fold
from search.analysis.fold import has_marks
from search.analysis.tokens import Kind, Token


class _Phrases:
    """Phrases looked up by their first syllable, longest first: the prefix test runs
    for every capitalised run of every passage, so it must not scan the whole list."""

    def __init__(self, phrases: Sequence[tuple[str, ...]]) -> None:
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for p in sorted(phrases, key=len, reverse=True):
            self.by_first.setdefault(p[0], []).append(p)


VERBS = [
    "cho biết", "cho hay", "nói", "nói với", "khẳng định", "cảnh báo", "nhấn mạnh", "nhận xét",
    "nêu quan điểm", "nêu rõ", "phản biện", "thông báo", "tuyên bố", "lưu ý", "chỉ trích",
    "phủ nhận", "bác bỏ", "yêu cầu", "đề xuất", "kêu gọi", "bày tỏ", "tường thuật", "đưa tin",
    "công bố", "chỉ ra", "phàn nàn", "lên tiếng", "đáp lại", "nhận định", "tiết lộ", "thừa nhận",
    "dẫn lời", "xác nhận", "trả lời", "giải thích", "bình luận", "cáo buộc", "hứa",
    "dự đoán", "khuyến cáo", "phát biểu", "viết", "dẫn",
]
_VERBS = sorted((tuple(v.split()) for v in VERBS), key=len, reverse=True)
_VERBS_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _v in _VERBS:  # longest first within each list
    _VERBS_BY_FIRST.setdefault(_v[0], []).append(_v)
_NOT_VERB_AFTER = {("nói",): {"trên", "chuyện"}, ("dẫn",): {"khí", "đầu", "đến", "tới"},
                   ("viết",): {"tắt"}}
FILLERS = {"đã", "cũng", "còn", "vừa", "thì", "đều", "mới", "sẽ", "đó", "sau", "kế",
           "trước", "tiếp", "tục", "thêm", "hôm", "nay", "qua", "chính", "thức", "đang"}
PRONOUNS = {"ông", "bà", "ông ấy", "bà ấy", "họ"}
STATEMENT_NOUNS = {"thông báo", "thông cáo", "tuyên bố", "phát ngôn", "bản tin", "nội dung"}
TITLES = [
    "tổng thống", "phó tổng thống", "thủ tướng", "chủ tịch", "ngoại trưởng", "bộ trưởng",
    "thứ trưởng", "phụ tá", "cố vấn", "trợ lý", "người phát ngôn", "phát ngôn viên",
    "đại sứ", "tướng", "quốc phòng", "ngoại giao", "an ninh", "quốc gia", "nhà lãnh đạo",
    "lãnh đạo", "chuyên gia", "giáo sư", "tiến sĩ", "ông", "bà", "ngài", "tờ", "báo",
    "đài", "hãng", "hãng tin", "thông tấn xã", "chính quyền", "phía", "người đồng cấp",
    "đối ngoại", "các vấn đề chính trị", "nhà trắng", "thượng nghị sĩ", "hạ nghị sĩ",
]
_TITLES = _Phrases([tuple(t.split()) for t in TITLES])
# titles that only ever stand before a person: written capitalised inside a run, they
# start a new name, and what precedes them belongs elsewhere (a photo credit glued to
# the sentence: "… phát qua Reuters Tổng thống Nga Vladimir Putin cho biết")
PERSON_TITLES = [
    "tổng thống", "phó tổng thống", "thủ tướng", "chủ tịch", "ngoại trưởng", "bộ trưởng",
    "thứ trưởng", "phụ tá", "cố vấn", "trợ lý", "người phát ngôn", "phát ngôn viên",
    "đại sứ", "nhà lãnh đạo", "thượng nghị sĩ", "hạ nghị sĩ", "ông", "bà", "ngài",
]
_PERSON_TITLES = _Phrases([tuple(t.split()) for t in PERSON_TITLES])
# news agencies credited at the end of captions: one glued to a name is not part of it
AGENCIES = {"reuters", "afp", "ap", "tass", "ria", "sputnik", "bloomberg", "ttxvn", "xinhua",
            "cnn", "bbc"}
LEADER_TITLES = {("tổng", "thống"), ("nhà", "lãnh", "đạo"), ("lãnh", "đạo"), ("thủ", "tướng")}
COUNTRIES = {"mỹ", "nga", "hoa kỳ", "ukraine", "pháp", "đức", "anh", "ý", "trung quốc",
             "nhật bản", "việt nam", "hàn quốc", "ấn độ", "úc", "belarus", "ba lan", "eu"}
ORGS = [
    "điện kremlin", "nhà trắng", "bộ ngoại giao", "bộ quốc phòng", "lầu năm góc", "quốc hội",
    "thượng viện", "hạ viện", "liên hợp quốc", "đại sứ quán", "ủy ban", "chính phủ",
]
_ORGS = _Phrases([tuple(o.split()) for o in ORGS])
# capitalised at a sentence start but never a speaker on their own
NOT_NAMES = {"tin", "tài liệu", "thông cáo", "thông báo", "tuyên bố", "nguồn tin", "báo cáo",
             "đây", "điều", "việc", "họ", "theo", "trong", "khi", "sau", "trước", "một", "các",
             "những", "hai", "nhưng", "tuy nhiên", "trả lời", "như", "tôi", "chúng tôi",
             "chúng ta", "ta", "tây", "đáp", "ông", "bà"}
# function words a capitalised run may start with at a sentence start
LEADING_NOISE = [
    ("đối", "với"), ("nếu",), ("đồng", "thời"), ("theo",), ("về", "phía"), ("về",), ("trong",),
    ("như",), ("khi",), ("tại",), ("sau",), ("hồi",), ("trả", "lời"), ("đáp", "lại"),
]
_NOISE = _Phrases(LEADING_NOISE)
_CAPTION = re.compile(r"Ảnh\s*:\s*[^.]{1,80}\.?\s*$")


@dataclass
class Mention:
    """A capitalised run, cleaned: a name, and what stood before it."""

    name: tuple[str, ...]  # syllables as written (normalised)
    titles: tuple[tuple[str, ...], ...] = ()  # stripped title phrases, lowercased
    country: str | None = None  # a country stripped from the front
    org: tuple[str, ...] | None = None  # an organisation the person belongs to


@dataclass
class _Event:
    kind: str  # "name", "pronoun", "official"
    mention: Mention | None = None


def _starts_with(seq: Sequence[str], phrases: _Phrases) -> tuple[str, ...] | None:
    if not seq:
        return None
    for p in phrases.by_first.get(seq[0], ()):
        if len(p) == 1 or tuple(seq[: len(p)]) == p:
            return p
    return None


def _country_at(low: Sequence[str]) -> str | None:
    for n in (2, 1):
        if len(low) >= n and " ".join(low[:n]) in COUNTRIES:
            return " ".join(low[:n])
    return None


def _after_glued_start(syl: list[str]) -> list[str]:
    """Where a new sentence was glued to a capitalised run without its full stop (a
    caption's credit "… qua Reuters" before "Tổng thống Nga Vladimir Putin cho
    biết"), the name is what follows the break: a capitalised person title, a
    capitalised ``Theo`` or an agency's name inside the run."""
    low = [s.lower() for s in syl]
    for k in range(len(syl) - 2, -1, -1):
        if low[k] in AGENCIES or (k > 0 and low[k] == "theo" and syl[k][:1].isupper()):
            return syl[k + 1:]
        if k == 0 or not syl[k][:1].isupper():
            continue
        t = _starts_with(low[k:], _PERSON_TITLES)
        if t and k + len(t) < len(syl) and not _starts_with(low[:k], _TITLES):
            return syl[k:]
    return syl


def clean(run: Sequence[str]) -> Mention | None:
    """Strip titles, honorifics, a leading country and an owning organisation."""
    syl = _after_glued_start(list(run))
    titles: list[tuple[str, ...]] = []
    country = None
    while (noise := _starts_with([s.lower() for s in syl], _NOISE)) and len(noise) < len(
            syl):
        syl = syl[len(noise):]
    while syl:
        low = [s.lower() for s in syl]
        t = _starts_with(low, _TITLES)
        c = _country_at(low)
        if t and len(t) < len(syl) and (syl[len(t)][:1].isupper() or _starts_with(
                low[len(t):], _TITLES)):
            titles.append(t)
            syl = syl[len(t):]
        elif c and len(c.split()) < len(syl):
            country = c
            syl = syl[len(c.split()):]
        else:
            break
    low = [s.lower() for s in syl]
    if not syl or " ".join(low) in NOT_NAMES or " ".join(low) in COUNTRIES:
        return Mention((), tuple(titles), country or (" ".join(low) if " ".join(low) in COUNTRIES
                                                      else None)) if titles else None
    org = _starts_with(low, _ORGS)
    if org and len(org) < len(syl):
        rest = syl[len(org):]
        c = _country_at([s.lower() for s in rest])
        if c:
            rest = rest[len(c.split()):]
        if rest and rest[0][:1].isupper():
            return Mention(tuple(rest), tuple(titles), country, org=tuple(syl[: len(org)]))
    return Mention(tuple(syl), tuple(titles), country)


class _Passage:
    """Tokens of one passage with the helpers the rules need."""

    def __init__(self, text: str) -> None:
        a = analyze(text)
        self.text = text
        self.tokens: tuple[Token, ...] = a.tokens
        self.low = [t.text.lower() for t in a.tokens]
        self.word_start = [0] * len(a.tokens)
        for w in a.words:
            for k in range(w.first, w.first + w.length):
                self.word_start[k] = w.first

    def glued(self, i: int) -> bool:
        """Only white space between token i and i + 1."""
        return self.text[self.tokens[i].end : self.tokens[i + 1].start].strip() == ""

    def capital(self, k: int) -> bool:
        """Capitalised, or inside a Vietnamese word that is (``Bộ Ngoại giao``); pyvi
        sometimes glues a lowercase syllable to a foreign name, which does not count."""
        t = self.tokens[k]
        if t.kind not in (Kind.SYLLABLE, Kind.MIXED):
            return False
        if t.text[:1].isupper():
            return True
        head = self.tokens[self.word_start[k]].text
        return head[:1].isupper() and has_marks(head)

    def run_ending_at(self, j: int) -> tuple[int, int]:
        k = j
        while k >= 0 and self.capital(k) and (k == j or self.glued(k)):
            k -= 1
        return k + 1, j + 1

    def sentence_start(self, i: int) -> bool:
        before = self.text[: self.tokens[i].start].rstrip()
        return before == "" or before[-1] in '.!?:;"“”'


def _subject(p: _Passage, i: int, depth: int = 0) -> _Event | None:
    """The speaker event for a verb starting at token i."""
    j = i - 1
    skipped = 0
    while j >= 0 and p.low[j] in FILLERS and skipped < 4 and p.glued(j):
        j, skipped = j - 1, skipped + 1
    if j >= 1 and p.tokens[j].kind is Kind.DATE and p.low[j - 1] in ("ngày", "hôm"):
        j -= 2
    if j < 0:
        return None
    if not p.capital(j) or not p.glued(j) and j + 1 < len(p.tokens) and j + 1 != i:
        two = " ".join(p.low[max(0, j - 1) : j + 1])
        if p.low[j] in PRONOUNS or two in PRONOUNS:
            return _Event("pronoun")
        return None
    start, end = p.run_ending_at(j)
    if "nếu" in p.low[max(0, start - 4) : start]:
        return None  # a condition ("nếu các đồng minh yêu cầu"), not a statement
    run = [t.text for t in p.tokens[start:end]]
    if " ".join(run).lower() in PRONOUNS:
        return _Event("pronoun")
    mention = clean(run)
    before = p.low[start - 1] if start > 0 else ""
    if before in ("tại", "ở") and depth < 2 and start >= 2:
        return _subject(p, start - 1, depth + 1)
    if before == "thuộc" and start >= 2 and p.capital(start - 2):
        s2, e2 = p.run_ending_at(start - 2)
        mention = clean([t.text for t in p.tokens[s2:e2]])
        before = p.low[s2 - 1] if s2 > 0 else ""
    if before == "của":
        noun = " ".join(p.low[max(0, start - 3) : start - 1])
        noun1 = p.low[start - 2] if start >= 2 else ""
        if noun not in STATEMENT_NOUNS and not any(
                noun.endswith(n) for n in STATEMENT_NOUNS) and noun1 not in ("thông", "cáo"):
            return None
    if " ".join(p.low[max(0, start - 2) : start]) == "quan chức" and mention is not None:
        return _Event("official", mention)
    if mention is None or not mention.name:
        if mention is not None and mention.titles and mention.country:
            return _Event("name", mention)  # "Tổng thống Mỹ": resolved via the article
        return None
    return _Event("name", mention)


def _theo(p: _Passage, i: int) -> _Event | None:
    """``Theo X, …`` / ``Theo nội dung tường thuật lại của X, …`` at a sentence start."""
    j = i + 1
    while j < len(p.tokens) and "," not in p.text[p.tokens[j - 1].end : p.tokens[j].start]:
        j += 1
    last = j - 1
    if last <= i or j - i > 16 or not p.capital(last):
        return None
    start, end = p.run_ending_at(last)
    mention = clean([t.text for t in p.tokens[max(start, i + 1) : end]])
    return _Event("name", mention) if mention and mention.name else None


def events(text: str, passage: _Passage | None = None) -> list[_Event]:
    """Speech events of one passage, in order."""
    if _CAPTION.search(text):
        return []
    p = passage or _Passage(text)
    out: list[_Event] = []
    i = 0
    while i < len(p.tokens):
        if p.tokens[i].text == "Theo" and p.sentence_start(i):
            ev = _theo(p, i)
            if ev:
                out.append(ev)
        verb = None
        for v in _VERBS_BY_FIRST.get(p.low[i], ()):
            n = len(v)
            if tuple(p.low[i : i + n]) == v and all(p.glued(k) for k in range(i, i + n - 1)):
                nxt = p.low[i + n] if i + n < len(p.low) else ""
                if nxt not in _NOT_VERB_AFTER.get(v, set()):
                    verb = v
                    break
        if verb:
            ev = _subject(p, i)
            if ev:
                out.append(ev)
            i += len(verb)
        else:
            i += 1
    return out


@dataclass
class ArticleNames:
    """Full names seen anywhere in an article, to resolve short forms."""

    full: set[tuple[str, ...]] = field(default_factory=set)
    leaders: dict[str, tuple[str, ...]] = field(default_factory=dict)  # country -> person
    members: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)  # org->person

    def learn(self, text: str, passage: _Passage | None = None) -> None:
        p = passage or _Passage(text)
        k = 0
        while k < len(p.tokens):
            if p.capital(k):
                j = k
                while j + 1 < len(p.tokens) and p.capital(j + 1) and p.glued(j):
                    j += 1
                m = clean([t.text for t in p.tokens[k : j + 1]])
                if m and len(m.name) >= 2 and all(s[:1].isupper() for s in m.name) and not \
                        _starts_with([s.lower() for s in m.name], _ORGS):
                    self.full.add(m.name)
                    if m.country and set(m.titles) & LEADER_TITLES:
                        self.leaders[m.country] = m.name
                    if m.org:
                        self.members[tuple(s.lower() for s in m.org)] = m.name
                k = j + 1
            else:
                k += 1

    def resolve(self, name: tuple[str, ...]) -> tuple[str, ...]:
        low = tuple(fold(s.lower()) for s in name)
        matches = {f for f in self.full
                   if len(f) > len(name) and tuple(fold(s.lower()) for s in f[-len(name):]) == low}
        return matches.pop() if len(matches) == 1 else name


def attribute(passages: Sequence[str]) -> list[list[str]]:
    """Speakers of each passage of one article (canonical names, in order, unique)."""
    analysed = [_Passage(text) for text in passages]  # pyvi once per passage
    names = ArticleNames()
    for text, p in zip(passages, analysed, strict=True):
        names.learn(text, p)
    result: list[list[str]] = []
    for text, p in zip(passages, analysed, strict=True):
        speakers: list[str] = []
        for ev in events(text, p):
            who: tuple[str, ...] | None = None
            if ev.kind == "pronoun":
                recent = speakers or (result[-1] if result else [])
                persons = [s for s in recent if not _starts_with(s.lower().split(), _ORGS)]
                who = tuple(persons[-1].split()) if persons else None
            elif ev.kind == "official" and ev.mention is not None:
                org = tuple(s.lower() for s in ev.mention.name)
                recent = speakers + (result[-1] if result else [])
                member = names.members.get(org)
                who = member if member and " ".join(member) in recent else ev.mention.name
            elif ev.mention is not None:
                m = ev.mention
                if not m.name and m.country:
                    leader = bool(set(m.titles) & LEADER_TITLES)
                    who = names.leaders.get(m.country) if leader else None
                else:
                    who = names.resolve(m.name) if m.name else None
            if who:
                name = " ".join(who)
                if name not in speakers:
                    speakers.append(name)
        result.append(speakers)
    return result
