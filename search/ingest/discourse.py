"""Speech that no reporting verb marks, as real news writes it (issue 25).

The verb rules of :mod:`search.ingest.speakers` find ``X cho biết``. Real pages
also attribute words by layout and by what came before:

- a name and a colon: ``HLV Hoàng Văn Phúc: Tỷ số chưa nói lên điều gì``, and a
  clause that ends in a colon before a quotation (``ông X trấn an: "…"``);
- a lead phrase: ``Phát biểu tại buổi lễ, X …``, ``Trả lời PV, X …``;
- a role instead of a name: ``chiến lược gia người Serbia cho biết``, ``nữ NSND
  chia sẻ`` (the latest person, as a pronoun would be);
- a quotation that runs over several paragraphs, or a paragraph of first-person
  words right after its speaker's (interviews): the speaker carries over;
- captions that end without a full stop (``HLV X phát biểu sau trận``) say nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from itertools import accumulate, compress, repeat
from operator import contains, or_

from search.ingest.mentions import AGENCIES, FOREIGN_LINKS, OUTLET_WORDS, Mention, Passage
from search.ingest.names import HONORIFICS, PREFIXES
from search.ingest.titles import Phrases, title_starts, titles
from search.ingest.verbs import FILLERS, VERB_PHRASES

# what opens a sentence whose subject, after the comma, speaks
LEADS = Phrases([(tuple(w.split()), "lead") for w in (
    "phát biểu", "trả lời", "chia sẻ", "nói về", "đánh giá", "bình luận", "giải thích",
    "lý giải", "trao đổi", "nhận định", "lên tiếng", "cho ý kiến", "góp ý", "thảo luận",
    "giải trình", "trình bày", "tiếp thu", "kết luận", "phân tích", "đề cập", "nhắc đến",
    "nhắc tới", "chia sẻ thêm", "đánh giá thêm", "nói thêm", "tâm sự", "khi được hỏi",
    "được hỏi", "đáp lời", "lý giải thêm", "giải đáp", "làm rõ")])
_LEAD_FIRST = frozenset(LEADS.by_first)
_SAID_FIRST = frozenset({"đó", "đây", "trên", "đấy"})
# before a role: "nữ NSND", "vị đại diện", "cựu thủ quân"
ROLE_MODIFIERS = {"nữ", "nam", "vị", "cựu", "tân", "ngài", "nhà", "chàng", "cô"}
# "người Hàn Quốc", "xứ Nghệ", "thành Nam": a capitalised word that is part of a role
_ROLE_LINKS = {"người", "xứ", "thành", "đất", "miền", "nước", "huyện", "tỉnh", "xã", "quận",
               "phường", "thị", "tp"}
_QUOTES = '"“”'
_CLOSING = frozenset('"”')
_AFTER_CLOSING = ('",', '”,', '" -', '” -', '" –', '” –', '"-', '”-')
_QUOTE_MIN = 6  # words: fewer are a title in quotation marks
# roles that mean a team's coach: "chiến lược gia người Serbia" is the coach named before
COACHES = {"hlv", "huấn luyện viên", "huấn luyện viên trưởng", "chiến lược gia", "nhà cầm quân",
           "thuyền trưởng"}
_QUESTION = re.compile(r"^\W*(?:PV|Phóng viên|Hỏi)\s*:|^\s*[-–]|.*\?\s*$")
# a sentence's final mark (read from the end: a regex search for it would try every position)
_FINAL = frozenset(".!?…:;\"“”')»")
_CAPTION_WORDS = ("ẢNH", "Ảnh", "Clip", "Video", "VIDEO", "CLIP")
_CAPTION = re.compile(r"(?:^|[\s(])(?:ẢNH|Ảnh|Clip|Video|VIDEO|CLIP)\s*:", re.UNICODE)
_FIRST_PERSON = re.compile(r"(?:^|[\s,(])(?:[Tt]ôi|[Cc]húng tôi|[Cc]húng ta)(?=[\s,.!?])")
_TITLES = titles()
_ROLE_STARTS = title_starts()
_SAID_BY = re.compile(r"\W*(?:Đó|Đây|Trên đây|Đấy)(?: cũng| chính)? là (?:những |một |lời )?"
                      r"(?:chia sẻ|ý kiến|nhận định|khẳng định|phát biểu|quan điểm|lời|câu trả lời|"
                      r"đánh giá|nhận xét|yêu cầu|chỉ đạo|cảnh báo|lời khuyên|tâm sự|bình luận|"
                      r"tâm tư|mong muốn|đề xuất|kiến nghị|tâm sự|lý giải|giải thích|thông tin)\b")
# verbs that report what was said, unlike a caption's "phát biểu", "trả lời phỏng vấn"
_CONTENT = re.compile(r"\b(?:cho biết|cho rằng|cho hay|khẳng định|nhấn mạnh|nêu rõ|đề nghị|"
                      r"yêu cầu|cảnh báo|thông tin(?! và| về| truyền)|nói rằng|tuyên bố|kêu gọi|"
                      r"dự báo)\b")  # "về thông tin và truyền thông": a field, not a verb
# offices many hold at once: alone, with nobody named, they are nobody in particular
MANY_HOLDERS = {"đại biểu", "đb", "đbqh", "đại biểu quốc hội", "thẩm phán", "kiểm sát viên",
                "cố vấn", "trợ lý", "phụ tá", "đại sứ", "thượng nghị sĩ", "hạ nghị sĩ",
                "trưởng đoàn", "phó trưởng đoàn", "hlv", "huấn luyện viên"}
_SUBJECT_KINDS = ("person", "title", "pronoun", "org")
_NOT_BEFORE_SUBJECT = {"với", "của", "cho", "về", "tại", "ở", "gặp", "tiếp", "cùng", "và"}


def is_caption(text: str) -> bool:
    """A photo or clip caption: a credit (``ẢNH: …``, ``(Clip: …)``), or a short line
    that ends without a sentence's final mark and reports no words (``HLV X phát
    biểu sau trận``, not ``Bộ GD-ĐT cho biết đã nhờ …``)."""
    # not cached: an LRU cache smaller than a batch of passages only churns (and its
    # entries are garbage to collect); the substring tests keep the regex for the few
    if any(w in text for w in _CAPTION_WORDS) and (m := _CAPTION.search(text)):
        # a paragraph that reports words and ends with its photo's credit is no caption
        return not reports_words(text[:m.start()])
    return text.rstrip()[-1:] not in _FINAL and len(text.split()) <= 40 and not _CONTENT.search(
        text)


def reports_words(text: str) -> bool:
    """The text before a photo credit reports what someone said (``Chủ tịch UBND xã, ông
    X cho biết, tối 16/8 … Ảnh: Y``): a paragraph with its credit, not a caption."""
    return len(text.split()) > 20 and bool(_CONTENT.search(text))


def outlet(p: Passage, m: Mention, known: bool = True) -> bool:
    """A news outlet named as one: after ``báo``, ``tờ``, ``hãng tin``, ``đài``; with
    ``known``, also an agency by its name alone (``AP``, ``Sputnik``)."""
    first = max(m.start, m.end - len(m.name))
    return known and bool(m.name) and (m.name[0].lower() in AGENCIES or " ".join(
        m.name).lower() in outlets()) or first > 0 and p.low[first - 1] in OUTLET_WORDS


@lru_cache(maxsize=1)
def outlets() -> frozenset[str]:
    """News outlets by name (``outlets.txt``): a report's source, never its speaker."""
    text = resources.files("search.ingest").joinpath("outlets.txt").read_text("utf-8")
    return frozenset(s.strip() for s in text.splitlines() if s.strip() and s[0] != "#")


def looks_like_a_name(p: Passage, m: Mention) -> bool:
    """A capitalised run of unknown kind can speak only if every syllable is written
    capitalised (not ``Gia đình``) and it is not the tail of a place (``TP.HCM``)."""
    first = max(m.start, m.end - len(m.name))  # the name, without what led to it
    if not all(p.own[k] or p.low[k] in FOREIGN_LINKS for k in range(first, m.end)):
        return False
    if m.end - first == 1 and p.sentence_start(first) and not p.texts[first].isupper() and (
            p.low[first] in p.texts[first + 1:] or p.low[first] in FILLERS):
        return False  # "Được hỏi …", "Cách trả lời ấy …": a word the passage also writes lowercase
    return not (first > 0 and p.gaps[first - 1] == "." and p.low[first - 1] == "tp")


def opens_quote(text: str) -> bool:
    return text.lstrip(" -–*•").startswith(tuple(_QUOTES))


def first_person(text: str) -> bool:
    return bool(_FIRST_PERSON.search(text))


def speaks_first_person(text: str) -> bool:
    """The paragraph opens in the first person: an interviewee's answer (``Theo tôi,
    …``, ``Tôi đã gắn bó …``)."""
    return bool(_FIRST_PERSON.search(" ".join(text.lstrip(" -–*•").split()[:3])))


def ends_with_colon(text: str) -> bool:
    return text.rstrip().endswith(":")


def _eligible(p: Passage, m: Mention) -> bool:
    before = p.low[m.start - 1] if m.start > 0 and p.gaps[m.start - 1] == "" else ""
    return m.kind in _SUBJECT_KINDS and before not in _NOT_BEFORE_SUBJECT and not (
        m.kind == "pronoun" and p.quoted(m.start))


def colon_subjects(p: Passage, ms: list[Mention]) -> list[tuple[int, Mention]]:
    """Who speaks after a colon: ``HLV X (U.23 VN): …`` at a paragraph's start, or the
    subject of a clause that ends in a colon before a quotation or at the end of the
    paragraph (``ĐBQH X mở màn với câu hỏi:``)."""
    if ":" not in p.text:
        return []
    out = []
    head = _heading_speaker(p, ms)
    if head is not None:
        out.append(head)
    gaps = p.gaps[:p.n - 1] + [":" if p.text.rstrip().endswith(":") else ""]
    for k in compress(range(len(gaps)), map(contains, gaps, repeat(":"))):
        gap = gaps[k]
        if head is not None and k == head[0]:
            continue
        after = gap[gap.index(":") + 1:]
        if after.strip()[:1].isdigit() or k + 1 < p.n and p.texts[k + 1][:1].isdigit():
            continue  # "2. Đào Duy Phong (…): 17-18 năm tù": a list, not words
        if not (any(q in after for q in _QUOTES) or k == p.n - 1 or (
                k + 1 < p.n and p.sentence_start(k + 1) and p.gaps[k] == ":" and
                first_person(p.text[p.tokens[k + 1].start:]))):
            continue
        s = p.sentence_of(k)
        inside = [m for m in ms if m.end - 1 <= k and m.end > s]
        for m in inside:
            if m.kind == "pronoun" and (k == p.n - 1 or m.end - 1 == k):
                break  # "Cụ thể:": nobody named before the words that follow
            if (m.start <= s or p.gaps[m.start - 1].endswith(",")) and _eligible(p, m):
                out.append((k, m))
                break
            if m.kind == "name" and (role := role_subject(p, m.end - 1, ms, s)) is not None \
                    and (role.start == s or p.gaps[role.start - 1] == ","):
                out.append((k, role))  # "Nhà cầm quân người Pháp mở lời: …"
                break
    return out


def _heading_speaker(p: Passage, ms: list[Mention]) -> tuple[int, Mention] | None:
    """``HLV X: …``, ``* HLV X (U.23 Brunei): …``, ``PGS. TS. X: …``, ``- Phó Giáo sư -
    Nhà giáo X: …``: a paragraph that opens with a name, maybe a bracket, and a colon."""
    if not ms or ms[0].kind not in ("person", "title", "org") or ms[0].start > 4 or p.texts[
            0][:1].isdigit() or any(not p.cap[t] for t in range(ms[0].start)):
        return None
    m = ms[0]
    k = m.end - 1
    if k + 1 < p.n and p.gaps[k] == "(":
        while k < min(p.n - 1, m.end + 8) and not p.gaps[k].startswith(")"):
            k += 1
    gap = p.gaps[k]
    if ":" not in gap or not gap.lstrip(")").startswith(":"):
        return None
    if k + 1 < p.n and p.texts[k + 1][:1].isdigit():
        return None  # "2. X (…): 17-18 năm tù"
    return k, m


def lead_subjects(p: Passage, ms: list[Mention]) -> list[tuple[int, Mention]]:
    """``Phát biểu tại Hội nghị, Phó Thống đốc X ghi nhận …``, ``Trong phần phát biểu
    chỉ đạo, X …``: a sentence whose first clause is about speaking; the mention right
    after its comma speaks."""
    low, gaps = p.low, p.gaps
    if _LEAD_FIRST.isdisjoint(low):
        return []
    leads = [t for t in compress(range(p.n), map(_LEAD_FIRST.__contains__, low))
             if LEADS.match(low, t)]
    if not leads:
        return []
    by_start = {m.start: m for m in ms}
    out = []
    done = -1
    for t in leads:
        if t <= done:
            continue
        s = t  # the lead must stand in its sentence's first clause
        while s > 0 and not p.sentence_start(s) and "," not in gaps[s - 1]:
            s -= 1
        if s > 0 and not p.sentence_start(s):
            continue
        j = t
        while j < p.n - 1 and j - s < 30 and "," not in gaps[j] and not p.sentence_start(j + 1):
            j += 1
        done = j
        if j - s < 30 and "," in gaps[j]:
            m = by_start.get(j + 1)
            if m is not None and _eligible(p, m):
                out.append((j + 1, m))
    return out


def said_by(p: Passage, ms: list[Mention]) -> list[tuple[int, Mention]]:
    """``Đó là chia sẻ của HLV X``, ``Đây là ý kiến của PGS.TS Y``: words named after
    they were given, the paragraph before being the words."""
    if " là " not in p.text:
        return []
    out = []
    for s in [k for k, w in enumerate(p.low) if w in _SAID_FIRST]:
        if not p.sentence_start(s) or not _SAID_BY.match(p.text, p.tokens[s].start):
            continue
        for k in range(s + 2, min(p.n, s + 12)):
            if p.low[k] == "của" and p.gaps[k] == "":
                m = next((m for m in ms if m.start == k + 1), None)
                if m is not None and m.kind in _SUBJECT_KINDS:
                    out.append((k, m))
                break
    return out


def after_quote(p: Passage, ms: list[Mention]) -> list[tuple[int, Mention]]:
    """``"…", ông Park mở đầu cuộc họp báo``, ``"…" - Tóc Tiên hài hước``: whoever opens
    the clause right after a closing quotation mark and a comma or dash said the words,
    whatever the verb. A short quotation is a title or a name ("Mùa ổi", …), not words."""
    text = p.text
    if not any(c in text for c in _AFTER_CLOSING):
        return []
    out = []
    for k, gap in enumerate(p.gaps[:p.n - 1]):
        if gap[:1] not in _CLOSING or gap[1:].strip()[:1] not in (",", "-", "–"):
            continue
        opened = max(p.text.rfind("“", 0, p.tokens[k].start), p.text.rfind('"', 0, p.tokens[
            k].start))
        words = sum(1 for t in p.tokens[:k + 1] if t.start > opened)
        if words < _QUOTE_MIN:
            continue
        m = next((m for m in ms if m.start == k + 1), None)
        if m is None:
            continue
        if m.kind == "name":
            end = next((t for t in range(k + 1, min(p.n, k + 10)) if p.gaps[t] != ""), m.end - 1)
            m = role_subject(p, end, ms, k + 1) or m
        if m.kind in _SUBJECT_KINDS and not (m.kind == "pronoun" and not m.offices and
                                              m.end - m.start > 1) or m.kind == "name" and len(
                m.name) >= 2 and looks_like_a_name(p, m) and not outlet(p, m):
            out.append((k + 1, m))  # a foreign name too: '"…", Tom Daley, VĐV người Anh, nói'

    return out


def role_subject(p: Passage, j: int, ms: list[Mention], start: int = 0) -> Mention | None:
    """A role standing for a person named before, ending at token j: ``chiến lược gia
    người Serbia``, ``nhà cầm quân người Hàn Quốc``, ``nữ NSND``, ``thuyền trưởng đội
    bóng thành Nam``; a pronoun-like mention of the latest person."""
    low = p.low
    if (marks := p.memo.get("roles")) is None:  # title words and prefixes counted up to a token
        marks = p.memo["roles"] = list(accumulate(map(or_, map(_ROLE_STARTS.__contains__, low),
                                                      map(PREFIXES.__contains__, p.texts)),
                                                  initial=0))
    if marks[j + 1] - marks[max(start, j - 8)] <= 0:
        return None  # no title, descriptor or prefix: no role
    c = j
    while c > start and j - c < 9 and p.gaps[c - 1] == "" and not p.sentence_start(c):
        c -= 1
    if c > start and not p.sentence_start(c) and p.gaps[c - 1][-1:] not in (",", "-", "–"):
        return None
    if any(low[t] in VERB_PHRASES.by_first and not p.own[t] and VERB_PHRASES.match(low, t)
           for t in range(c + 1, j + 1)):
        return None  # "Chủ tịch TP X yêu cầu các quận": a clause with a verb is no role
    names = [m for m in ms if c <= m.start <= j]
    if any(m.kind not in ("name", "title") or m.kind == "name" and not (
            p.texts[m.start] in PREFIXES or m.start > 0 and p.low[
            m.start - 1] in _ROLE_LINKS or m.start == c and p.low[c] in ROLE_MODIFIERS)
           for m in names):
        return None  # a name of its own ("HLV Jake Sullivan"), not a role
    k, sex, former = c, None, False
    while k < j and p.low[k] in ROLE_MODIFIERS and not _TITLES.match(p.low, k):
        sex = {"nữ": "f", "nam": "m"}.get(p.low[k], sex)
        former = former or p.low[k] == "cựu"
        k += 1
    if k > j:
        return None
    if p.texts[k] in PREFIXES or p.texts[k].upper() in PREFIXES:
        return Mention(c, j + 1, "pronoun", sex=sex)
    t = _TITLES.match(p.low, k)
    if t is None or p.low[k] in HONORIFICS:
        return None
    role = " ".join(p.low[k:k + t[0]])
    return Mention(c, j + 1, "pronoun", offices=(role,), sex=sex, former=former)


def carry_over(texts: Sequence[str], speakers: list[list[str]], spoken: Sequence[bool],
               events: Sequence[bool], interviewee: str | None = None,
               subjects: Sequence[str | None] = ()) -> list[list[str]]:
    """Speakers of paragraphs with no speech event of their own (``spoken``), from
    their neighbours: a quotation over two paragraphs has one speaker, named at its
    start or its end; a paragraph that opens a quotation, or speaks in the first
    person, right after a paragraph whose speaker introduced it (``… chia sẻ:``)
    goes on with that speaker's words."""
    out = [list(s) for s in speakers]
    n = len(texts)
    caption = [is_caption(t) for t in texts]
    left_open = [not caption[i] and quote_left_open(t) for i, t in enumerate(texts)]
    for i in range(n - 2, -1, -1):  # "“…" then "…”, X nói": back from the close
        if not events[i] and out[i + 1] and (left_open[i] and not opens_quote(texts[i + 1])
                                            or _SAID_BY.match(texts[i + 1])):
            out[i] = [out[i + 1][0]]  # "“…”" then "Đó là chia sẻ của X": the same X
    inside = _inside_quotation(texts, caption)
    prev = -1
    answering = False  # inside an interviewee's answer: after a question, first person
    for i, t in enumerate(texts):
        if caption[i]:
            continue
        if _QUESTION.match(t) and not out[i]:
            answering = bool(interviewee)
            continue  # "PV: …?": the interviewer, between an answer and the next
        if not out[i] and interviewee and not events[i] and answering and first_person(t) and (
                prev < 0 or not out[prev] or out[prev] == [interviewee]):
            out[i] = [interviewee]  # an interview: the answer to a question, by whom the
            prev = i                # title names ("Lệ Quyên kể chuyện …"), paragraph by
            continue                # paragraph while it speaks in the first person
        answering = False
        if not out[i] and prev >= 0 and not out[prev] and not events[i] and opens_quote(t) \
                and prev < len(subjects) and subjects[prev]:
            out[i] = [subjects[prev]]  # "HLV X lại không hài lòng …" then "“Tôi …”": X
        if not out[i] and prev >= 0 and out[prev] and (not spoken[i] and (
                left_open[prev] or ends_with_colon(texts[prev]) or first_person(t)) or
                not events[i] and (opens_quote(t) or speaks_first_person(t) or inside[i] and
                                   first_person(t))):
            out[i] = [out[prev][-1]]
        prev = i
    return out


def _inside_quotation(texts: Sequence[str], caption: Sequence[bool],
                      longest: int = 5) -> list[bool]:
    """Whether each paragraph stands inside a quotation an earlier one opened and none
    has closed yet (an answer over several paragraphs, only the last one closing it); at
    most ``longest`` paragraphs, so a stray mark does not run on to the article's end."""
    out, open_for = [], 0
    for t, cap in zip(texts, caption, strict=True):
        out.append(open_for > 0)
        if cap:
            continue
        if open_for:
            closes = "”" in t or t.count('"') % 2 == 1
            open_for = 0 if closes or open_for >= longest else open_for + 1
        elif quote_left_open(t):
            open_for = 1
    return out


def quote_left_open(text: str) -> bool:
    """The paragraph opens a quotation it does not close: it goes on in the next."""
    curly = text.count("“") - text.count("”")
    return curly > 0 if "“" in text or "”" in text else text.count('"') % 2 == 1
