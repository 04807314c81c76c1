"""Who speaks in a passage: rule-based attribution that follows how the press writes.

One pass over a passage's tokens finds its *mentions* (a person with what stands
before the name: honorific, academic prefix, titles, office, country; an
institution; a title alone; a pronoun) and its *speech events* (a reporting
verb such as ``cho biết`` or ``chỉ đạo``, or a ``Theo X,`` lead). A verb's
speaker is the mention right before it, across fillers (``đã``, ``cũng``), a
bracket (``(đoàn Hà Nội)``) and an appositive office (``ông X, Thứ trưởng Bộ Y,
khẳng định`` -> X).

The article is then read in order: a short form (``ông Chính``, ``ông Tập``,
``Lavrov``) becomes the full name used in the article, a title alone
(``Thủ tướng nhấn mạnh``) its latest holder, a pronoun (``ông cũng nhấn
mạnh``) the latest person. Photo captions never speak. The lexicons live in
:mod:`search.ingest.titles` and :mod:`search.ingest.names`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from search.analysis import analyze, fold
from search.analysis.fold import has_marks
from search.analysis.tokens import Kind
from search.ingest.names import HONORIFICS, PREFIXES, person_start, short_forms
from search.ingest.titles import (
    COUNTRIES,
    DOMAIN,
    OFFICE,
    Phrases,
    institutions,
    title_starts,
    titles,
)

VERBS = [
    "cho biết", "cho hay", "cho rằng", "nói", "nói với", "khẳng định", "cảnh báo", "nhấn mạnh",
    "nhận xét", "nêu quan điểm", "nêu rõ", "phản biện", "thông báo", "tuyên bố", "lưu ý",
    "chỉ trích", "phủ nhận", "bác bỏ", "yêu cầu", "đề xuất", "đề nghị", "kiến nghị",
    "kêu gọi", "bày tỏ", "tường thuật", "đưa tin", "công bố", "chỉ ra", "phàn nàn",
    "lên tiếng", "đáp lại", "nhận định", "dự báo", "tiết lộ", "thừa nhận", "dẫn lời",
    "xác nhận", "trả lời", "giải thích", "bình luận", "cáo buộc", "hứa", "dự đoán",
    "khuyến cáo", "phát biểu", "viết", "dẫn", "kể", "kể lại", "chia sẻ", "thông tin",
    "quán triệt", "chỉ đạo", "nhắc lại", "phân tích", "khai", "tâm sự", "thông tin thêm",
    "đặt câu hỏi", "đánh giá", "lo ngại", "bổ sung", "nhấn mạnh thêm",
]
_VERBS = Phrases([(tuple(v.split()), "verb") for v in VERBS])
# the same words used otherwise: "nói chung", "kể từ", "đề nghị của", "khai mạc"
_NOT_VERB_AFTER = {"nói": {"trên", "chuyện", "chung", "riêng", "dối"},
                   "dẫn": {"khí", "đầu", "đến", "tới", "độ", "dắt"}, "viết": {"tắt"},
                   "kể": {"từ", "cả", "trên", "ra", "chuyện", "đầu", "tên"},
                   "đề nghị": {"của", "này", "đó"},
                   "khai": {"mạc", "thác", "báo", "trương", "triển", "giảng", "sinh", "tử"},
                   "yêu cầu": {"của", "này", "đó"}, "chỉ đạo": {"của", "này"},
                   "thông tin": {"này", "đó", "của", "trên"}, "đánh giá": {"của", "này"},
                   "bổ sung": {"vào", "thêm"}}
FILLERS = {"đã", "cũng", "còn", "vừa", "thì", "đều", "mới", "sẽ", "đó", "sau", "kế",
           "trước", "tiếp", "tục", "thêm", "hôm", "nay", "qua", "chính", "thức", "đang",
           "từng", "lại", "nữa", "trực", "khi", "nhiều", "lần",
           # manner: "Thu Thảo xúc động nói"
           "xúc", "động", "cười", "vui", "vẻ", "hào", "hứng"}
STATEMENT_NOUNS = {"thông báo", "thông cáo", "tuyên bố", "phát ngôn", "bản tin", "nội dung",
                   "báo cáo", "văn bản", "công văn", "thông tin"}
# organisations a person belongs to, written before the name ("Phụ tá Điện Kremlin X")
ORGS = Phrases([(tuple(o.split()), "org") for o in (
    "điện kremlin", "nhà trắng", "bộ ngoại giao", "bộ quốc phòng", "lầu năm góc", "quốc hội",
    "thượng viện", "hạ viện", "liên hợp quốc", "đại sứ quán", "ủy ban", "chính phủ")])
# news agencies credited at the end of captions: one glued to a name is not part of it
AGENCIES = {"reuters", "afp", "ap", "tass", "ria", "sputnik", "bloomberg", "ttxvn", "xinhua",
            "cnn", "bbc", "vna", "vgp"}
# capitalised at a sentence start but never a speaker on their own
NOT_NAMES = {"tin", "tài liệu", "thông cáo", "thông báo", "tuyên bố", "nguồn tin", "báo cáo",
             "đây", "điều", "việc", "họ", "theo", "trong", "khi", "sau", "trước", "một", "các",
             "những", "hai", "nhưng", "tuy nhiên", "trả lời", "như", "tôi", "chúng tôi",
             "chúng ta", "ta", "tây", "đáp", "ông", "bà", "người", "ai", "mọi người", "đó",
             "này", "ngoài ra", "bên cạnh đó", "do đó", "đại diện", "lãnh đạo", "vì vậy",
             "vì thế", "từ đó", "đồng thời"}
LEADING_NOISE = Phrases([(tuple(w.split()), "noise") for w in (
    "đối với", "nếu", "đồng thời", "theo", "về phía", "về", "trong", "như", "khi", "tại",
    "sau", "hồi", "trả lời", "đáp lại", "với", "còn", "nhưng", "và", "ngoài ra")])
# institution names continue over these lowercase words ("UBND tỉnh Quảng Ninh",
# "Tòa án nhân dân tối cao", "Bộ Kế hoạch và Đầu tư")
_ORG_LINKS = {"và", "tỉnh", "thành", "phố", "tp", "quận", "huyện", "xã", "phường", "thị",
              "trấn", "nhân", "dân", "tối", "cao", "cấp", "của", "trung", "ương", "khu", "vực"}
_ORG_GAPS = frozenset({"", "-", "–", ",", "."})
# "nhà lãnh đạo Nga" is whoever leads Russia in the article, whatever the office
LEADERS = {"tổng thống", "nhà lãnh đạo", "lãnh đạo", "thủ tướng", "chủ tịch", "quốc vương"}
_VERB_SET = frozenset(VERBS)
# "người đứng đầu ngành y tế thành phố": the field is "y tế"
_NOT_DOMAIN = {"ngành", "cơ", "quan", "thành", "phố", "tỉnh", "quận", "huyện", "địa", "phương",
               "cả", "nước", "này", "đó"}
# "Theo đề nghị của X,": at X's request, not X's words
_NOT_STATEMENTS = {"đề nghị", "đề xuất", "kiến nghị", "kế hoạch", "quyết định", "yêu cầu",
                   "chỉ đạo", "quy định", "chương trình", "lịch", "dự kiến", "cáo trạng"}
# words a lowercase institution name never goes on with
_NOT_IN_NAMES = {"tổ", "bước", "vào", "có", "là", "được", "bị", "về", "với", "và", "của",
                 "trong", "tại", "để", "đến", "từ", "ra", "họp", "ban", "hành", "phải", "cần",
                 "không", "chưa", "các", "những", "này", "đó", "người", "mà", "thì", "ở"}
# directive verbs: the one asked to act after them is not speaking
_DIRECTIVES = {"đề nghị", "yêu cầu", "kêu gọi", "chỉ đạo", "giao", "đề xuất", "kiến nghị"}
# words before a place name: "quận Gò Vấp" is where someone lives, not who speaks
_PLACE_WORDS = {"quận", "huyện", "tỉnh", "xã", "phường", "phố", "thị", "trấn", "làng", "thôn",
                "bản", "ấp", "đường", "sông", "núi", "vùng", "miền", "đảo"}
_PLURAL = {"hai", "ba", "các", "những", "nhiều", "mọi", "bốn", "năm"}
PERSON_PRONOUNS = {"ông", "bà", "anh", "chị", "cô", "chú", "bác", "cụ", "ngài"}
_CAPTION = re.compile(r"(?:^|[\s.(])Ảnh\s*:\s*\S.{0,80}$|^\s*\(?Ảnh\s*:")
_TITLES = titles()
_INSTITUTIONS = institutions()
_VERB_FIRST = frozenset(_VERBS.by_first)
_EVENT_FIRST = _VERB_FIRST | {"theo"}
_INST_FIRST = frozenset(_INSTITUTIONS.by_first)
_COUNTRY_FIRST = frozenset(COUNTRIES.by_first)
_NOISE_FIRST = frozenset(LEADING_NOISE.by_first)
_TITLE_OR_HONORIFIC = title_starts() | frozenset(HONORIFICS)


@dataclass(slots=True)
class Mention:
    """Who or what a stretch of tokens names, and what stood before the name."""

    start: int  # token span [start, end)
    end: int
    kind: str  # "person", "org", "title", "pronoun", "name" (capitalised, unknown kind)
    name: tuple[str, ...] = ()  # the name's syllables (an institution: its words)
    offices: tuple[str, ...] = ()  # office titles before the name, lowercase
    org: str | None = None  # the institution an office belongs to, as written
    country: str | None = None
    sex: str | None = None  # "m" / "f" when an honorific or "Thị" says so
    shown: str = ""  # a title alone, as written ("Bộ trưởng Bộ Y tế")
    open: bool = False  # an institution whose name may go on in lowercase ("Cục Y tế …")
    posts: tuple[tuple[str, str], ...] = ()  # (office, its institution lowercase)


@dataclass(slots=True)
class Event:
    """A speech event: the mention that speaks, or a phrase resolved in context."""

    mention: Mention | None
    kind: str = "subject"  # "subject", "official" ("quan chức Điện Kremlin"), "head"
    domain: tuple[str, ...] = ()  # "người đứng đầu ngành y tế": ("y", "tế")
    ministry: bool = False  # "ngành …": the minister


class Passage:
    """One passage's tokens with everything the rules ask about them, computed once."""

    __slots__ = ("text", "texts", "low", "own", "cap", "gaps", "n", "starts", "inside",
                 "hyphen")

    def __init__(self, text: str) -> None:
        a = analyze(text)  # cached: the indexer's term lists reuse it
        toks = a.tokens
        self.text = text
        self.n = n = len(toks)
        self.texts = texts = [t.text for t in toks]
        self.starts = [t.start for t in toks]
        self.low = low = [s.lower() for s in texts]
        # numbers and dates start with a digit: never capitalised
        self.own = own = [s[:1].isupper() for s in texts]
        cap = list(own)
        self.inside = inside = [False] * n  # a syllable inside a word, not its first
        # "Bộ Y tế", "Ngân hàng Nhà nước": the lowercase syllables of a capitalised
        # Vietnamese word belong to the name; a verb pyvi glued to a foreign name does not
        for w in a.words:
            if w.length == 1:
                continue
            first = w.first
            if not own[first]:  # "triển khai": no verb "khai" inside
                for k in range(first + 1, first + w.length):
                    inside[k] = True
                continue
            for k in range(first + 1, first + w.length):
                if toks[k].kind is not Kind.SYLLABLE or low[k] in _VERB_FIRST or not (
                        has_marks(texts[first]) or has_marks(texts[k])):
                    break  # "Hà đề xuất": pyvi glued a verb to a name
                cap[k] = True
        self.cap = cap
        raw = [text[a.end:b.start] for a, b in zip(toks, toks[1:], strict=False)]
        # a hyphen between letters belongs to the word ("Kim Sang-sik"): no gap
        self.gaps = ["" if g == " " or g == "-" else g.strip() for g in raw]
        self.hyphen = {k for k, g in enumerate(raw) if g == "-"} if "-" in text else set()
        self.gaps.append("<end>")

    def sentence_start(self, i: int) -> bool:
        return i == 0 or self.gaps[i - 1][-1:] in ('.', '!', '?', ':', ';', '"', '“', '”')

    def quoted(self, i: int) -> bool:
        """Token i stands inside a quotation opened earlier in the passage."""
        before = self.text[:self.starts[i]]
        return before.count('"') % 2 == 1 or before.count("“") > before.count("”")

    def words(self, i: int, j: int) -> tuple[str, ...]:
        """Tokens i..j-1 as a name's syllables, a hyphenated one kept whole ("Sang-sik")."""
        out = [self.texts[i]] if i < j else []
        for k in range(i + 1, j):
            if k - 1 in self.hyphen:
                out[-1] = f"{out[-1]}-{self.texts[k]}"
            else:
                out.append(self.texts[k])
        return tuple(out)

    def span(self, i: int, j: int) -> str:
        """Tokens i..j-1 as written, with their inner punctuation ("TP.HCM", " - ")."""
        out = [self.texts[i]]
        for k in range(i + 1, j):
            g = "-" if k - 1 in self.hyphen else self.gaps[k - 1]
            out.append(" " if not g else g if g == "." or k - 1 in self.hyphen else f"{g} "
                       if g == "," else f" {g} ")
            out.append(self.texts[k])
        return "".join(out)


def _institution_end(p: Passage, i: int) -> int | None:
    """End of an institution's name starting at token i, or None."""
    if not p.own[i] or p.low[i] not in _INST_FIRST:
        return None
    m = _INSTITUTIONS.match(p.low, i, p.gaps, _ORG_GAPS)
    if m is None:
        return None
    n, kind = m
    j = i + n
    if kind == "name":  # complete: only a country may follow ("Bộ Ngoại giao Nga")
        c = COUNTRIES.match(p.low, j) if j < p.n and p.gaps[j - 1] == "" and p.own[j] and \
            p.low[j] in _COUNTRY_FIRST else None
        return j + c[0] if c else j
    if kind == "head" and n == 1 and (j >= p.n or p.gaps[i] != "" or not (
            p.cap[j] or p.low[j] in _ORG_LINKS)):
        return None  # "Bộ" alone, "Hội" at a sentence start
    # its name: capitalised words, and lowercase links followed by more of them
    while j < p.n and p.gaps[j - 1] in _ORG_GAPS and p.gaps[j - 1] != ",":
        if p.gaps[j - 1] == "." and p.low[j - 1] != "tp":
            break
        if p.cap[j] and not (p.own[j] and p.low[j] in _TITLE_OR_HONORIFIC and _TITLES.match(
                p.low, j) and j + 1 < p.n and p.own[j + 1]):
            j += 1
            continue
        k = j
        while k < p.n and p.low[k] in _ORG_LINKS and not p.own[k] and p.gaps[k - 1] in _ORG_GAPS:
            k += 1
        if k > j and k < p.n and p.cap[k] and p.low[k - 1] == "và" and _INSTITUTIONS.match(
                p.low, k):
            break  # "Bộ Y tế và Bộ Tài chính": two institutions
        if k > j and k < p.n and (p.cap[k] or p.low[k - 1] in ("dân", "cao", "ương")):
            j = k
            continue
        break
    return j


def _org(p: Passage, i: int, end: int) -> Mention:
    """An institution; *open* when its name may go on in lowercase up to a verb (a
    head and one or two capitalised words: "Cục Y tế" of "Cục Y tế dự phòng")."""
    m = _INSTITUTIONS.match(p.low, i)
    is_open = m is not None and m[1] == "head" and end - i - m[0] <= 2 and not any(
        p.low[k] in _ORG_LINKS for k in range(i + m[0], end))
    return Mention(i, end, "org", p.words(i, end), shown=p.span(i, end), open=is_open)


def _cap_run(p: Passage, i: int, in_words: bool = False) -> int:
    """End of the run of capitalised tokens from i (``in_words``: counting the lowercase
    syllables of a capitalised word, as in "Tuổi trẻ")."""
    caps = p.cap if in_words else p.own
    j = i + 1
    while j < p.n and (caps[j] or j - 1 in p.hyphen) and p.gaps[j - 1] == "":
        j += 1
    return j


def _generic(p: Passage, i: int) -> Mention | None:
    """A capitalised run with no title before it: a foreign name, an outlet, a country,
    or a sentence's first words glued to one ("Đối với Điện Kremlin")."""
    end = _cap_run(p, i, in_words=True)
    low = p.low
    s = i
    # a new sentence glued without its full stop (a caption's credit "… qua Reuters"
    # before "Tổng thống Nga Vladimir Putin"), or a title inside the run, starts anew
    for k in range(i + 1, end):
        if low[k - 1] in AGENCIES or low[k - 1] == "theo":
            s = k
        if low[k] in _TITLE_OR_HONORIFIC and (_TITLES.match(low, k) or low[k] in HONORIFICS) \
                or p.texts[k] in PREFIXES \
                or p.own[k] and low[k] in _INSTITUTIONS.by_first and _institution_end(p, k):
            return Mention(i, k, "name", p.words(s, k)) if k > s else None
    while low[s] in _NOISE_FIRST and (noise := LEADING_NOISE.match(low, s)) and s + noise[
            0] < end:
        s += noise[0]
    if low[s] in _COUNTRY_FIRST and (c := COUNTRIES.match(low, s)) and s + c[0] < end:
        s += c[0]
    key = " ".join(low[s:end])
    if key in NOT_NAMES or s >= end or key in _VERB_SET:
        return None
    org = ORGS.match(low, s) if low[s] in ORGS.by_first else None
    if org and s + org[0] < end and p.own[s + org[0]]:
        rest = s + org[0]
        if (c := COUNTRIES.match(low, rest)) and rest + c[0] < end:
            rest += c[0]
        return Mention(s, end, "person", p.words(rest, end), org=p.span(s, s + org[0]))
    if 2 <= end - s <= 4 and person_start(low[s:end]) == 0 and all(
            p.own[k] and not p.texts[k].isupper() for k in range(s, end)):
        return Mention(s, end, "person", p.words(s, end))  # "Phan Quốc Việt"
    return Mention(s, end, "name", p.words(s, end))


def _parse(p: Passage, i: int) -> Mention | None:
    """The mention starting at token i, if one does."""
    low, own, gaps, n = p.low, p.own, p.gaps, p.n
    j, sex, honoured = i, None, False
    w = low[i]
    if w in HONORIFICS:
        if i + 1 < n and gaps[i] == "" and low[i + 1] == "ấy":
            return Mention(i, i + 2, "pronoun", sex=HONORIFICS[w])
        if i + 1 < n and gaps[i] == "" and (own[i + 1] or p.texts[i + 1] in PREFIXES):
            sex, j, honoured = HONORIFICS[w], i + 1, True
        elif w in PERSON_PRONOUNS:
            return Mention(i, i + 1, "pronoun", sex=HONORIFICS[w])
        else:
            return None
    if not honoured and own[i] and low[i] in _INST_FIRST and (inst := _INSTITUTIONS.match(
            low, i)) and (
            (t0 := _TITLES.match(low, i)) is None or inst[0] > t0[0]):
        end = _institution_end(p, i)
        if end is not None:
            return _org(p, i, end)
    offices: list[str] = []
    described = False
    org = country = None
    while j < n:
        if p.texts[j] in PREFIXES and j + 1 < n and gaps[j] in ("", ".") and own[j + 1]:
            j, described = j + 1, True
            continue
        t = _TITLES.match(low, j, gaps) if low[j] in _TITLE_OR_HONORIFIC else None
        if t is None or (t[1] == DOMAIN and not (offices or described)):
            break
        if t[1] == OFFICE:
            offices.append(" ".join(low[j:j + t[0]]))
        described = True
        j += t[0]
        if j >= n or gaps[j - 1] != "":
            break
        if low[j] in _COUNTRY_FIRST and (c := COUNTRIES.match(low, j)):
            country, j = " ".join(low[j:j + c[0]]), j + c[0]
            if j >= n or gaps[j - 1] != "":
                break
    if not described and not honoured:
        if not own[i]:
            return None
        end = _institution_end(p, i)
        if end is not None:
            return _org(p, i, end)
        return _generic(p, i)
    # what follows the titles: an institution, then the person's name
    name_at = j
    if j < n and j > i and gaps[j - 1] == "" and (end := _institution_end(p, j)) is not None:
        tail = end - 1 if own[end - 1] else end
        while tail - 1 > j and own[tail - 1] and gaps[tail - 1] == "":
            tail -= 1
        cut = person_start(low[tail:end]) if end - tail >= 2 else None
        if cut is not None and tail + cut > j:
            org, name_at, stop = p.span(j, tail + cut), tail + cut, end
        else:
            org, name_at = p.span(j, end), end
            stop = _cap_run(p, end) if end < n and gaps[end - 1] == "" and own[end] else end
    else:
        glued = j == i or gaps[j - 1] == "" or gaps[j - 1] == "." and p.texts[j - 1] in PREFIXES
        stop = _cap_run(p, j) if j < n and own[j] and glued else j
        if stop - j > 4 and (cut := person_start(low[j:stop])) is not None:
            org, name_at = p.span(j, j + cut), j + cut
    while stop > name_at and len(p.texts[stop - 1]) > 1 and p.texts[stop - 1].isupper():
        stop -= 1  # "TP", "THPT": an acronym ends the name, it is not part of it
    if stop > name_at and len(p.texts[name_at]) > 1 and p.texts[name_at].isupper():
        stop = name_at
    if stop > name_at:
        name = p.words(name_at, stop)
        if sex is None and len(name) >= 3 and name[1].lower() == "thị":
            sex = "f"
        return Mention(i, stop, "person", name, tuple(offices), org, country, sex,
                       posts=_posts(offices, org))
    if stop == j and j < n and low[j] == "này" and gaps[j - 1] == "":
        return Mention(i, j + 1, "pronoun", sex=sex)  # "chuyên gia này", "vị bộ trưởng này"
    if not offices:
        if country and low[i] == "phía" and i > 0 and low[i - 1] == "của" and (
                stop == i + 1 + len(country.split())):  # "thông cáo của phía Nga"
            return Mention(i, stop, "name", p.words(i + 1, stop))
        return None  # "chuyên gia", "các nhà nghiên cứu": nobody in particular
    return Mention(i, stop, "title", (), tuple(offices), org, country, sex,
                   shown=p.span(i, stop), posts=_posts(offices, org))


def _posts(offices: list[str], org: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((o, (org or "").lower()) for o in offices)


def mentions(p: Passage) -> list[Mention]:
    """Every mention of the passage, left to right, none overlapping. An office in
    apposition (``ông X, Thứ trưởng Bộ Y,``) is also recorded as the person's."""
    out: list[Mention] = []
    low, own = p.low, p.own
    starts = _TITLE_OR_HONORIFIC
    done = 0
    for i in [k for k in range(p.n) if own[k] or low[k] in starts]:
        if i >= done:
            if not own[i] and low[i] not in HONORIFICS and (
                    (t := _TITLES.match(low, i)) is None or t[1] == DOMAIN):
                continue  # "thủ đô", "báo cáo": not a title after all
            m = _parse(p, i)
            if m is not None:
                if m.kind == "title" and out and out[-1].kind == "person" and out[-1].end == \
                        m.start and p.gaps[m.start - 1] in (",", "-", "–") and m.offices:
                    prev = out[-1]
                    prev.offices = prev.offices + m.offices
                    prev.posts = prev.posts + m.posts
                    prev.org, prev.country = prev.org or m.org, prev.country or m.country
                out.append(m)
                done = m.end
    return out


def _verb_at(p: Passage, i: int) -> int:
    """Length of the reporting verb written at token i (0: none)."""
    if p.own[i] or p.low[i] not in _VERBS.by_first or p.inside[i]:
        return 0  # capitalised, it is a sentence start or a name ("Ban Chỉ đạo")
    m = _VERBS.match(p.low, i, p.gaps)
    if m is None:
        return 0
    n = m[0]
    verb = " ".join(p.low[i:i + n])
    nxt = p.low[i + n] if i + n < p.n and p.gaps[i + n - 1] == "" else ""
    return 0 if nxt in _NOT_VERB_AFTER.get(verb, ()) else n


def _appositive_owner(p: Passage, j: int, by_end: dict[int, Mention]) -> Mention | None:
    """The person a comma-delimited apposition before a verb describes: ``X, Thứ
    trưởng Bộ Y, Chủ tịch Z, cho hay``, ``Cụ X (78 tuổi), đang điều trị…, kể``. The
    person opens the clause, and no reporting verb stands in the apposition."""
    for k in range(j - 1, max(-1, j - 40), -1):
        if not (p.gaps[k].startswith(",") or p.gaps[k].startswith("(")):
            continue
        m = by_end.get(k)
        if m is None or m.kind != "person":
            continue
        if m.start > 0 and p.gaps[m.start - 1] == "" and not p.sentence_start(m.start):
            continue  # a name inside the apposition ("bán hàng ở chợ Đồng Xuân")
        if any(_verb_at(p, t) for t in range(k + 1, j + 1)):
            return None
        return m
    return None


def _with_lowercase_tail(p: Passage, j: int, by_end: dict[int, Mention]) -> Mention | None:
    """An institution whose name goes on in lowercase up to the verb, as Vietnamese
    names do (only their first word is capitalised): ``Trung tâm Dự báo khí tượng
    thủy văn quốc gia dự báo``, ``Giám đốc Trung tâm Kiểm soát bệnh tật tỉnh Đồng Nai``."""
    k = j
    while k > j - 8 and k > 0 and p.gaps[k - 1] == "" and (p.cap[k] or (
            p.low[k] not in FILLERS and p.low[k] not in _NOT_IN_NAMES and not _verb_at(p, k))):
        k -= 1
        m = by_end.get(k)
        if m is not None:
            if m.kind == "org" and m.open:
                return Mention(m.start, j + 1, "org", shown=p.span(m.start, j + 1))
            if m.kind == "title" and m.org:
                return Mention(m.start, j + 1, "title", (), m.offices,
                               f"{m.org} {p.span(m.end, j + 1)}", m.country,
                               shown=p.span(m.start, j + 1))
            return None
    return None


def _subject(p: Passage, v: int, by_end: dict[int, Mention], depth: int = 0) -> Event | None:
    """The speech event of a verb starting at token v."""
    low, gaps = p.low, p.gaps
    j, skipped = v - 1, 0
    while j >= 0 and low[j] in FILLERS and skipped < 4 and gaps[j] == "" and not p.cap[j]:
        j, skipped = j - 1, skipped + 1
    if j >= 1 and p.texts[j][:1].isdigit() and low[j - 1] in ("ngày", "hôm"):
        j -= 2
    if j >= 0 and gaps[j] == "),":  # "Chị X, công nhân … (Hà Nội), chia sẻ"
        who = _appositive_owner(p, j, by_end)
        return Event(who) if who is not None else None
    if j >= 0 and gaps[j] == ")":  # "Đại biểu X (đoàn Hà Nội) cho rằng"
        k = j
        while k > 0 and not gaps[k - 1].endswith("("):
            k -= 1
        j = k - 1 if k > 0 and j - k < 12 else -1
        if j >= 0 and gaps[j] != "(":
            return None
    elif j >= 0 and gaps[j] not in ("", "(", ","):
        return None
    if j < 0:
        return None
    # "người đứng đầu ngành y tế nói": the office's holder, found by its field
    for k in range(j, max(-1, j - 6), -1):
        if low[k] == "đầu" and k >= 2 and low[k - 2:k] == ["người", "đứng"]:
            words = low[k + 1:j + 1]
            domain = tuple(w for w in words if w not in _NOT_DOMAIN)
            return Event(None, "head", domain, ministry="ngành" in words)
    comma = gaps[j] == ","
    if comma:  # "ông X, Thứ trưởng Bộ Y, Chủ tịch Hội đồng Z, khẳng định"
        who = _appositive_owner(p, j, by_end)
        if who is not None:
            return Event(who)
    m = by_end.get(j)
    if m is None or m.kind == "name" and not comma and j > 0 and gaps[j - 1] == "":
        m = _with_lowercase_tail(p, j, by_end) or m  # "Ủy ban An toàn giao thông quốc gia"
    if m is None:
        return None
    if comma and m.kind not in ("title", "person"):
        return None
    if m.kind == "title" and m.start > 0 and gaps[m.start - 1] in (",", "-", "–") and (
            comma or m.org or m.country or not p.own[m.start]):
        prev = by_end.get(m.start - 1)
        if prev is not None and prev.kind == "person":
            return Event(prev)  # "ông X, Thứ trưởng Bộ Y, khẳng định"
    if comma and m.kind == "title":
        return None
    start = m.start
    if "nếu" in low[max(0, start - 4):start]:
        return None  # a condition ("nếu các đồng minh yêu cầu"), not a statement
    before = low[start - 1] if start > 0 and gaps[start - 1] == "" else ""
    if before in ("tại", "ở") and depth < 2 and start >= 2:
        return _subject(p, start - 1, by_end, depth + 1)
    if before == "thuộc" and start >= 2 and (owner := by_end.get(start - 2)) is not None:
        m, start = owner, owner.start
        before = low[start - 1] if start > 0 else ""
    if before == "của":
        noun = " ".join(low[max(0, start - 3):start - 1])
        if not any(noun.endswith(s) for s in STATEMENT_NOUNS) and low[start - 2] not in (
                "thông", "cáo"):
            return None
    if before in ("với", "cùng", "gặp", "tiếp") or before in _PLACE_WORDS and m.kind == "name":
        return None  # the object of another verb ("trao đổi với ông X nói"), a place
    if start >= 2 and gaps[start - 1] == "" and " ".join(low[start - 2:start]) in _DIRECTIVES:
        return None  # "đề nghị Chính phủ chỉ đạo": asked to act, not speaking
    if m.kind == "pronoun" and p.quoted(start):
        return None  # "Thầy yêu cầu chúng em…" inside a quotation: someone else's words
    if m.kind == "name" and before == "người":
        return None  # "chiến lược gia người Pháp": a nationality
    if m.kind == "title" and before in _PLURAL:
        return None  # "hai Tổng thống", "các bộ trưởng": nobody in particular
    if m.kind == "name" and before and (c := COUNTRIES.match(low, m.start)) and (
            m.end - m.start == c[0]):
        return None  # "tình báo Mỹ khẳng định": a country speaks only as a subject
    if low[max(0, start - 2):start] == ["quan", "chức"] and m.kind in ("org", "name"):
        return Event(m, "official")
    return Event(m)


def _theo(p: Passage, i: int, ms: list[Mention], by_end: dict[int, Mention]) -> Event | None:
    """``Theo X, …`` / ``Theo nội dung tường thuật lại của X, …`` at a clause start."""
    j = i + 1
    while j < p.n and "," not in p.gaps[j - 1]:
        j += 1
    last = j - 1
    if last <= i or j - i > 16:
        return None
    if p.gaps[last].startswith(")"):  # "Theo LS. X (Đoàn Luật sư TP.HCM), …"
        k = last
        while k > i and not p.gaps[k - 1].endswith("("):
            k -= 1
        last = k - 1
    if " ".join(p.low[i + 1:i + 3]) in _NOT_STATEMENTS or p.low[i + 1] in _NOT_STATEMENTS:
        return None
    m = by_end.get(last)
    if m is None or m.start < i or m.kind == "name" and last > 0 and p.gaps[last - 1] == "":
        m = _with_lowercase_tail(p, last, by_end) or m
    if m is None or m.start < i or m.kind == "name" and m.start > 0 and p.low[m.start - 1] == \
            "người":
        return None  # "Theo chiến lược gia người Pháp": a nationality, not who
    return Event(m)


def passage_events(p: Passage, ms: list[Mention]) -> list[tuple[int, Event]]:
    """Speech events of one passage with the token they stand at, in order."""
    if "Ảnh" in p.text and _CAPTION.search(p.text):
        return []
    low = p.low
    candidates = [k for k in range(p.n) if low[k] in _EVENT_FIRST]
    if not candidates:
        return []
    by_end = {m.end - 1: m for m in ms}
    out: list[tuple[int, Event]] = []
    done = 0
    for i in candidates:
        if i < done:
            continue
        if low[i] == "theo" and (p.sentence_start(i) or i > 0 and (p.gaps[i - 1] == "," or (
                low[i - 1] == "cũng" and p.sentence_start(i - 1)))):
            ev = _theo(p, i, ms, by_end)
            if ev is not None:
                out.append((i, ev))
        n = _verb_at(p, i)
        if n:
            ev = _subject(p, i, by_end)
            if ev is not None:
                out.append((i, ev))
            done = i + n
    return out


def is_person_name(name: str) -> bool:
    """A full name that can stand for its short forms corpus-wide: a person's, not an
    institution's (``Bộ Ngoại giao Nga`` must not swallow ``Nga``) or a place's."""
    words = name.split()
    low = [w.lower() for w in words]
    return 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words) and not (
        _INSTITUTIONS.match(low, 0) or ORGS.match(low, 0) or COUNTRIES.match(low, 0)
        and COUNTRIES.match(low, 0)[0] == len(low))


def is_country(name: str) -> bool:
    low = name.lower().split()
    return bool(low) and (c := COUNTRIES.match(low, 0)) is not None and c[0] == len(low)


def name_of(run: str) -> str | None:
    """The speaker a run of words names on its own, cleaned (for tests and tools)."""
    p = Passage(run)
    ms = [m for m in mentions(p) if m.end == p.n]
    if not ms or ms[-1].kind in ("title", "pronoun"):
        return None
    m = ms[-1]
    return m.shown if m.kind == "org" else " ".join(m.name)


def events(text: str) -> list[Event]:
    """Speech events of one passage, in order (for tests and tools)."""
    p = Passage(text)
    return [ev for _, ev in passage_events(p, mentions(p))]


def _folded(name: Sequence[str]) -> tuple[str, ...]:
    return tuple(fold(s.lower()) for s in name)


class _Article:
    """What the article has said so far: full names, office holders, latest persons."""

    def __init__(self, all_persons: list[Mention]) -> None:
        self.by_short_all: dict[str, set[tuple[str, ...]]] = {}
        self.pairs: set[tuple[str, ...]] = set()  # last two syllables of longer names
        for m in all_persons:
            if len(m.name) >= 2:
                for s in short_forms(m.name):
                    self.by_short_all.setdefault(fold(s), set()).add(m.name)
                if len(m.name) > 2:
                    self.pairs.add(_folded(m.name[-2:]))
        self.by_short: dict[str, tuple[str, ...]] = {}  # latest full name per short form
        self.holders: dict[str, tuple[str, ...]] = {}  # office (+ org/country) -> person
        self.heads: list[tuple[str, str, tuple[str, ...]]] = []  # (office, org, person)
        self.members: dict[tuple[str, ...], tuple[str, ...]] = {}  # org -> person
        self.sex: dict[tuple[str, ...], str] = {}
        self.people: set[tuple[str, ...]] = set()  # canonical names of persons
        self.leaders: dict[str, tuple[str, ...]] = {}  # country -> its leader named here

    def resolve(self, name: tuple[str, ...]) -> tuple[str, ...]:
        if len(name) > 2:
            return name
        if len(name) == 2 and _folded(name) not in self.pairs:
            return name
        key = fold(name[-1].lower())
        if key in self.by_short and (len(name) == 1 or _folded(self.by_short[key][-2:])
                                     == _folded(name)):
            return self.by_short[key]
        cands = {f for f in self.by_short_all.get(key, ()) if len(f) > len(name) and (
            len(name) == 1 or _folded(f[-2:]) == _folded(name))}
        by_last = {f for f in cands if fold(f[-1].lower()) == key}
        for group in (by_last, cands):
            if len(group) == 1:
                return next(iter(group))
        return name

    def learn(self, m: Mention) -> tuple[str, ...] | None:
        """Take a person mention into account; its canonical name."""
        if m.kind != "person" or not m.name:
            return None
        name = self.resolve(m.name)
        if len(name) >= 2:
            for s in short_forms(name):
                self.by_short[fold(s)] = name
        self.people.add(name)
        if m.sex:
            self.sex[name] = m.sex
        for office in m.offices:
            self.holders[office] = name
            if office in LEADERS and m.country:
                self.leaders[m.country] = name
            for extra in (m.org, m.country):
                if extra:
                    self.holders[f"{office} {extra.lower()}"] = name
        for office, org in m.posts:
            self.heads.append((office, org, name))
        if m.org:
            self.members[tuple(m.org.lower().split())] = name
        return name

    def holder(self, m: Mention) -> tuple[str, ...] | None:
        for office in reversed(m.offices):
            if office in LEADERS and m.country and (who := self.leaders.get(m.country)):
                return who
            for extra in (m.org, m.country):
                if extra and (who := self.holders.get(f"{office} {extra.lower()}")):
                    return who
            if (not m.org and (not m.country or m.country == "việt nam")) and (
                    who := self.holders.get(office)):
                return who  # offices at home are written without the country
        return None

    def head_of(self, domain: tuple[str, ...], ministry: bool) -> tuple[str, ...] | None:
        want = " ".join(domain)
        found = [(office, org, name) for office, org, name in reversed(self.heads)
                 if not office.startswith("phó") and office != "thứ trưởng" and (
                     not want or want in org or want == "chính phủ" and office == "thủ tướng")]
        ministers = [f for f in found if f[1].startswith("bộ ")]
        pick = ministers if ministry and ministers else found
        return pick[0][2] if pick else None


def attribute(passages: Sequence[str]) -> list[list[str]]:
    """Speakers of each passage of one article (canonical names, in order, unique)."""
    parsed = []
    for text in passages:
        p = Passage(text)
        ms = mentions(p)
        parsed.append((ms, passage_events(p, ms)))
    art = _Article([m for ms, _ in parsed for m in ms if m.kind == "person"])
    result: list[list[str]] = []
    previous: list[tuple[str, ...]] = []  # persons of earlier passages, latest last
    for ms, evs in parsed:
        speakers: list[tuple[str, ...]] = []
        persons: list[tuple[str, ...]] = []  # mentioned so far in this passage
        canonical: dict[int, tuple[str, ...]] = {}
        k = 0
        for at, ev in evs:
            while k < len(ms) and ms[k].start <= at:
                if (name := art.learn(ms[k])) is not None:
                    canonical[id(ms[k])] = name
                    persons.append(name)
                k += 1
            who = _speaker(ev, art, canonical, speakers, persons, previous)
            if who and who not in speakers:
                speakers.append(who)
        for m in ms[k:]:
            if (name := art.learn(m)) is not None:
                persons.append(name)
        result.append([" ".join(s) for s in speakers])
        # persons a pronoun may mean later, latest last; who spoke counts as latest
        for who in persons + [s for s in speakers if s in art.people]:
            if who in previous:
                previous.remove(who)
            previous.append(who)
        del previous[:-8]
    return result


def _speaker(ev: Event, art: _Article, canonical: dict[int, tuple[str, ...]],
             speakers: list[tuple[str, ...]], persons: list[tuple[str, ...]],
             previous: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    m = ev.mention
    if ev.kind == "head":
        return art.head_of(ev.domain, ev.ministry)
    if m is None:
        return None
    if m.kind == "pronoun":
        # the latest person who spoke in this passage, else was named in it, else
        # spoke or was named in the one before; "bà" never means a man
        for pool in ([s for s in speakers if s in art.people], persons, previous):
            for who in reversed(pool):
                if m.sex is None or art.sex.get(who, m.sex) == m.sex:
                    return who
        return None
    if m.kind == "person":
        return canonical.get(id(m)) or art.resolve(m.name)
    if m.kind == "title":
        who = art.holder(m)
        if who is not None:
            return who
        if m.country and not m.org:
            return None  # "Tổng thống Mỹ" with no president named: nobody to name
        return (m.shown[:1].upper() + m.shown[1:],) if m.shown else None
    if ev.kind == "official":
        member = art.members.get(tuple(s.lower() for s in m.name))
        return member if member and member in speakers + previous else m.name
    if m.kind == "org":
        return (m.shown,) if m.shown else m.name
    return art.resolve(m.name) if m.name else None
