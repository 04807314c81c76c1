"""Mentions in a passage: who or what a stretch of tokens names.

One pass over a passage's tokens finds a *person* with what stands before the
name (honorific, academic prefix, titles and office, country: ``PGS.TS``,
``Bộ trưởng Bộ Kế hoạch và Đầu tư``, ``Thủ tướng Nhật Bản``), an *institution*
(``UBND tỉnh Quảng Ninh``, ``Bộ Lao động - Thương binh và Xã hội``), a *title*
alone (``Thủ tướng``), a *pronoun* (``ông``, ``chuyên gia này``) or a capitalised
*name* of unknown kind (a foreign name, an outlet, a country). Offices end where
a Vietnamese name begins, found by its family name (:mod:`search.ingest.names`);
the lexicons are in :mod:`search.ingest.titles`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter, or_

from search.analysis.fold import fold, has_marks
from search.ingest.names import HONORIFICS, PREFIXES, person_start
from search.ingest.titles import (
    COUNTRIES,
    DESCRIPTOR,
    DOMAIN,
    OFFICE,
    Phrases,
    institutions,
    title_starts,
    titles,
)
from search.ingest.tokens import Passage, marked
from search.ingest.verbs import VERB_SET

# organisations a person belongs to, written before the name ("Phụ tá Điện Kremlin X")
ORGS = Phrases([(tuple(o.split()), "org") for o in (
    "điện kremlin", "nhà trắng", "bộ ngoại giao", "bộ quốc phòng", "lầu năm góc", "quốc hội",
    "thượng viện", "hạ viện", "liên hợp quốc", "liên hiệp quốc", "đại sứ quán", "ủy ban",
    "chính phủ")])
# news agencies credited at the end of captions: one glued to a name is not part of it
AGENCIES = {"reuters", "afp", "ap", "tass", "ria", "sputnik", "bloomberg", "ttxvn", "xinhua",
            "cnn", "bbc", "vna", "vgp"}
# capitalised at a sentence start but never a speaker on their own
NOT_NAMES = {"tin", "tài liệu", "thông cáo", "thông báo", "tuyên bố", "nguồn tin", "báo cáo",
             "đây", "điều", "việc", "họ", "theo", "trong", "khi", "sau", "trước", "một", "các",
             "những", "hai", "nhưng", "tuy nhiên", "trả lời", "như", "tôi", "chúng tôi",
             "chúng ta", "ta", "tây", "đáp", "ông", "bà", "người", "ai", "mọi người", "đó",
             "này", "ngoài ra", "bên cạnh đó", "do đó", "đại diện", "lãnh đạo", "vì vậy",
             "vì thế", "từ đó", "đồng thời",
             # quantifiers that open a sentence: "Tất cả đều khẳng định"
             "tất cả", "cả hai", "nhiều", "một số", "phần lớn", "hầu hết", "đa số", "số đông",
             "không ai", "mọi", "ai nấy", "nhiều người", "cả",
             # a noun or adverb that opens a sentence: "Cách trả lời ấy …", "Đừng nói …"
             "cách", "lời", "câu", "đừng", "hãy", "chỉ", "cũng", "vẫn", "lễ", "buổi", "phiên"}
LEADING_NOISE = Phrases([(tuple(w.split()), "noise") for w in (
    "đối với", "nếu", "đồng thời", "theo", "về phía", "về", "trong", "như", "khi", "tại",
    "sau", "hồi", "trả lời", "đáp lại", "với", "còn", "nhưng", "và", "ngoài ra", "việc")])
# institution names continue over these lowercase words ("UBND tỉnh Quảng Ninh",
# "Tòa án nhân dân tối cao", "Bộ Kế hoạch và Đầu tư")
_ORG_LINKS = {"và", "tỉnh", "thành", "phố", "tp", "quận", "huyện", "xã", "phường", "thị",
              "trấn", "nhân", "dân", "tối", "cao", "cấp", "của", "trung", "ương", "khu", "vực"}
# "xã Hồ Bốn", "phường Kim Long": a place, however much it looks like a name
_PLACE_BEFORE = {"xã", "phường", "huyện", "quận", "tỉnh", "thôn", "làng", "bản", "ấp", "thị",
                 "trấn", "phố", "đường", "sông", "núi", "đèo", "cầu", "chợ", "hồ"}
# missions abroad are named by where they sit: "Tổng Lãnh sự quán Việt Nam tại Osaka"
_MISSIONS = {"đại sứ", "tổng lãnh", "lãnh sự"}
# lowercase words inside foreign names, never Vietnamese words between two capitalised ones
FOREIGN_LINKS = {"of", "in", "for", "the", "and", "on", "de", "du", "des", "von", "der"}
_ORG_GAPS = frozenset({"", "-", "–", ",", ".", "&"})  # "Bộ GD&ĐT"
# what a news outlet is called before its name: "báo Tuổi Trẻ", "Đài Sputnik", "hãng tin AP"
OUTLET_WORDS = {"báo", "tờ", "tin", "đài", "kênh", "chí", "trang", "tấn", "xã"}
_FORMER = {"nguyên", "cựu"}
PERSON_PRONOUNS = {"ông", "bà", "anh", "chị", "cô", "chú", "bác", "cụ", "ngài"}
_TITLES = titles()
_INSTITUTIONS = institutions()
_INST_FIRST = frozenset(_INSTITUTIONS.by_first)
_COUNTRY_FIRST = frozenset(COUNTRIES.by_first)
_NOISE_FIRST = frozenset(LEADING_NOISE.by_first)
_TITLE_OR_HONORIFIC = title_starts() | frozenset(HONORIFICS)
_TEXT = attrgetter("text")


# an office and its field written out, and the one word the press also uses for it
OFFICE_ALIASES = {("bộ trưởng", "ngoại giao"): "ngoại trưởng"}
# one office under two names (a spokesperson of the White House is its press secretary)
SAME_OFFICE = {"phát ngôn viên": "người phát ngôn", "người phát ngôn": "phát ngôn viên",
               "thư ký báo chí": "người phát ngôn"}


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
    former: bool = False  # "nguyên Thủ tướng X", "cựu Bộ trưởng Y": no longer holds it
    roles: tuple[str, ...] = ()  # what the person is, lowercase ("luật sư", "tiền đạo")


def _given_name(p: Passage, j: int, n: int) -> bool:
    """``Đức Thịnh``, ``Anh Tuấn``: a one-word country that opens a Vietnamese given
    name (one marked syllable follows), not the country of an office."""
    k = j + n
    return n == 1 and k < p.n and p.gaps[j] == "" and p.own[k] and marked(p.texts[k]) and (
        k + 1 >= p.n or p.gaps[k] != "" or not p.own[k + 1])


def _institution_end(p: Passage, i: int) -> int | None:
    """End of an institution's name starting at token i, or None."""
    if not p.own[i] or p.low[i] not in _INST_FIRST or i + 1 in p.hyphen and i + 2 < p.n and \
            not p.own[i + 2]:
        return None  # (a head before a hyphenated name is a person's: "Ban Ki-moon")
    m = _INSTITUTIONS.match(p.low, i, p.gaps, _ORG_GAPS)
    if m is None:
        return None
    n, kind = m
    j = i + n
    if kind == "name":  # complete: only a country may follow ("Bộ Ngoại giao Nga")
        if p.low[i] == "sở" and j < p.n and p.gaps[j - 1] == "":  # or a department's place
            if j + 1 < p.n and p.low[j] in _PLACE_BEFORE and p.own[j + 1]:
                return _cap_run(p, j + 1)  # "Sở Y tế tỉnh Nghệ An"
            return _cap_run(p, j) if p.own[j] else j  # "Sở Y tế TPHCM"
        c = COUNTRIES.match(p.low, j) if j < p.n and p.gaps[j - 1] == "" and p.own[j] and \
            p.low[j] in _COUNTRY_FIRST else None
        return j + c[0] if c else j
    if kind == "head" and n == 1 and (j >= p.n or p.gaps[i] != "" or not (
            p.cap[j] or p.low[j] in _ORG_LINKS)):
        # "Bộ" alone, "Hội" at a sentence start; an abbreviation is whole ("VKS", "QH")
        return j if len(p.texts[i]) > 1 and p.texts[i].isupper() else None
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
    if j + 1 < p.n and p.low[j] == "tại" and p.gaps[j - 1] == "" and p.cap[j + 1] and \
            " ".join(p.low[i:i + 2]) in _MISSIONS:
        return _cap_run(p, j + 1)  # "Đại sứ quán Việt Nam tại Ấn Độ": where it sits is its name
    return j


# one Vietnamese syllable, folded: what a foreign name's words are not ("Jeremy", "Foster")
_VIETNAMESE_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
                                  r"[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?")


# institutions often named after a person: their name is never cut into a person's
_NAMED_AFTER_PEOPLE = {"trường", "bệnh", "viện", "học", "đại", "đường", "quỹ", "giải", "cầu",
                       "phố", "quảng", "nhà", "chùa", "đền", "làng", "khu", "lớp", "thpt",
                       "thcs", "th", "đh", "cđ"}


def _foreign(low: str) -> bool:
    return not _VIETNAMESE_SYLLABLE.fullmatch(fold(low))


def _person_tail(p: Passage, i: int, end: int, foreign_after_words: bool) -> int | None:
    """Where a person's name begins at the end of a capitalised run that an office or an
    institution opened: after an acronym (``CLB HAGL Nguyễn Tấn Anh``, ``DUP Arlen
    Foster``), or, with ``foreign_after_words``, a foreign name after Vietnamese words
    (``Đảng Lao Động Jeremy Corbyn``). The tail looks like a person's name: a
    Vietnamese family name first, or words no Vietnamese syllable spells."""
    low = p.low
    if low[i] in _NAMED_AFTER_PEOPLE:
        return None  # "Trường THPT Nguyễn Thượng Hiền", "Bệnh viện Chợ Rẫy": one name
    acronyms = [k for k in range(i, end - 2) if len(p.texts[k]) > 1 and p.texts[k].isupper()]
    if acronyms:
        k = acronyms[-1] + 1
    elif foreign_after_words:
        k = end
        while k > i and p.own[k - 1] and _foreign(low[k - 1]):
            k -= 1
        if k == i or k == end or not any(map(has_marks, p.texts[i:k])):
            return None  # the words before are no Vietnamese ones ("The Washington Post")
    else:
        return None
    if not 2 <= end - k <= 4 or not all(p.own[t] and not p.texts[t].isupper()
                                        for t in range(k, end)):
        return None
    tail = low[k:end]
    return k if person_start(tail) == 0 or all(map(_foreign, tail)) else None


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
    while j < p.n and (p.gaps[j - 1] == "" or j - 1 in p.initials):
        if caps[j] or j - 1 in p.hyphen:
            j += 1
        elif p.low[j] in FOREIGN_LINKS and j + 1 < p.n and p.own[j + 1] and p.gaps[j] == "":
            j += 2  # "Our World in Data", "Bank of America": a foreign name's small words
        else:
            break
    return j


def _generic(p: Passage, i: int) -> Mention | None:
    """A capitalised run with no title before it: a foreign name, an outlet, a country,
    or a sentence's first words glued to one ("Đối với Điện Kremlin")."""
    end = _cap_run(p, i, in_words=True)
    low = p.low
    if end == i + 1:  # the common case: one capitalised word
        w = low[i]
        if w in NOT_NAMES or w in _NOISE_FIRST or w in VERB_SET:
            return None
        return Mention(i, end, "name", (p.texts[i],))
    s = i
    # a new sentence glued without its full stop (a caption's credit "… qua Reuters"
    # before "Tổng thống Nga Vladimir Putin"), or a title inside the run, starts anew
    for k in range(i + 1, end):
        if low[k - 1] in AGENCIES or low[k - 1] == "theo":
            s = k
        if low[k] in _TITLE_OR_HONORIFIC and (_TITLES.match(low, k) or low[k] in HONORIFICS
                                              and k < end - 1) \
                or p.texts[k] in PREFIXES \
                or p.own[k] and low[k] in _INSTITUTIONS.by_first and _institution_end(p, k):
            return Mention(i, k, "name", p.words(s, k)) if k > s else None
    while low[s] in _NOISE_FIRST and (noise := LEADING_NOISE.match(low, s)) and s + noise[
            0] < end:
        s += noise[0]
    if (cut := _person_tail(p, s, end, False)) is not None:  # "đảng DUP Arlen Foster"
        kind = "person" if person_start(low[cut:end]) == 0 else "name"
        return Mention(s, end, kind, p.words(cut, end), org=p.span(s, cut))
    if low[s] in _COUNTRY_FIRST and (c := COUNTRIES.match(low, s)) and s + c[0] < end:
        s += c[0]
    key = " ".join(low[s:end])
    if key in NOT_NAMES or s >= end or key in VERB_SET:
        return None
    org = ORGS.match(low, s) if low[s] in ORGS.by_first else None
    if org and s + org[0] < end and p.own[s + org[0]]:
        rest = s + org[0]
        if (c := COUNTRIES.match(low, rest)) and rest + c[0] < end:
            rest += c[0]
        return Mention(s, end, "person", p.words(rest, end), org=p.span(s, s + org[0]))
    if 2 <= end - s <= 4 and person_start(low[s:end]) == 0 and not (
            s > 0 and low[s - 1] in _PLACE_BEFORE) and not (
            (c := COUNTRIES.match(low, s)) and c[0] == end - s) and all(
            p.own[k] and not p.texts[k].isupper() for k in range(s, end)):
        return Mention(s, end, "person", p.words(s, end))  # "Phan Quốc Việt"
    if end - s > 2 and (cut := person_start(low[s:end])) and all(
            p.own[k] and not p.texts[k].isupper() for k in range(s + cut, end)):
        return Mention(s + cut, end, "person", p.words(s + cut, end))  # "Hà Nội Phạm Văn Quân"
    return Mention(s, end, "name", p.words(s, end))


def _parse(p: Passage, i: int) -> Mention | None:
    """The mention starting at token i, if one does."""
    low, own, gaps, n = p.low, p.own, p.gaps, p.n
    j, sex, honoured = i, None, False
    w = low[i]
    if own[i] and w not in _TITLE_OR_HONORIFIC and w not in _INST_FIRST and \
            p.texts[i] not in PREFIXES:
        return _generic(p, i)  # no title, honorific or institution can start here
    if w in HONORIFICS:
        if i + 1 < n and gaps[i] == "" and low[i + 1] in ("ấy", "này"):  # "ông này"
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
        if end is not None:  # "CLB HAGL Nguyễn Tấn Anh": the club, then the person
            return _org(p, i, _person_tail(p, i, end, False) or end)
    offices: list[str] = []
    roles: list[str] = []
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
            if (same := SAME_OFFICE.get(offices[-1])) is not None:
                offices.append(same)  # "Phát ngôn viên X" is the "người phát ngôn" asked later
        elif offices and (alias := OFFICE_ALIASES.get((offices[-1], " ".join(low[j:j + t[0]])))):
            offices.append(alias)  # "Bộ trưởng Ngoại giao Nga" is also the "Ngoại trưởng Nga"
        elif t[1] == DESCRIPTOR:
            roles.append(" ".join(low[j:j + t[0]]))
        described = True
        j += t[0]
        if j >= n or gaps[j - 1] != "":
            break
        if low[j] in _COUNTRY_FIRST and (c := COUNTRIES.match(low, j)) and not _given_name(
                p, j, c[0]):
            country, j = " ".join(low[j:j + c[0]]), j + c[0]
            if j >= n or gaps[j - 1] != "":
                break
    if not described and not honoured:
        if not own[i]:
            return None
        end = _institution_end(p, i)
        if end is not None:
            return _org(p, i, _person_tail(p, i, end, False) or end)
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
    if offices and stop - name_at >= 2 and name_at == j and low[name_at] == "tp" and not org:
        place = p.span(name_at, stop)  # "Chủ tịch TP Hà Nội": the office of a city, no name
        return Mention(i, stop, "title", (), tuple(offices), place, country, sex,
                       shown=p.span(i, stop), posts=_posts(offices, place))
    if stop - name_at >= 3 and (cut := _person_tail(p, name_at, stop, True)) is not None:
        org = p.span(name_at, cut)  # "lãnh đạo Đảng Lao Động Jeremy Corbyn"
        name_at = cut
    while stop > name_at and len(p.texts[stop - 1]) > 1 and p.texts[stop - 1].isupper():
        stop -= 1  # "TP", "THPT": an acronym ends the name, it is not part of it
    if stop > name_at and len(p.texts[name_at]) > 1 and p.texts[name_at].isupper():
        stop = name_at
    if stop > name_at:
        name = p.words(name_at, stop)
        if sex is None and len(name) >= 3 and name[1].lower() == "thị":
            sex = "f"
        kind = "name" if not offices and low[name_at - 1] in OUTLET_WORDS and not (
            low[name_at - 2:name_at] == ["đồng", "chí"]) else "person"  # "tạp chí", not
        # the comrade
        return Mention(i, stop, kind, name, tuple(offices), org, country, sex,  # "Đài Sputnik"
                       posts=_posts(offices, org), roles=tuple(roles))
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
    for i in compress(range(p.n), map(or_, own, map(starts.__contains__, low))):
        if i >= done:
            if not own[i] and low[i] not in HONORIFICS and (
                    (t := _TITLES.match(low, i)) is None or t[1] == DOMAIN):
                continue  # "thủ đô", "báo cáo": not a title after all
            m = _parse(p, i)
            if m is not None:
                if m.kind == "title" and out and out[-1].kind == "person" and out[-1].end == \
                        m.start and p.gaps[m.start - 1] in (",", "-", "–", "(") and m.offices:
                    prev = out[-1]
                    prev.offices = prev.offices + m.offices
                    prev.posts = prev.posts + m.posts
                    prev.org, prev.country = prev.org or m.org, prev.country or m.country
                if m.kind == "person" and m.offices and _FORMER.intersection(
                        low[max(0, m.start - 1):m.start + 1]):
                    m.former = True
                out.append(m)
                done = m.end
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
