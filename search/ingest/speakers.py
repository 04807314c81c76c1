"""Who speaks in a passage: rule-based attribution that follows how the press writes.

A passage's *speech events* are its reporting verbs (``cho biết``, ``chỉ đạo``,
``khuyến cáo``…) and its ``Theo X,`` leads. A verb's speaker is the mention
(:mod:`search.ingest.mentions`) right before it, across fillers (``đã``,
``cũng``), a bracket (``(đoàn Hà Nội)``) and an apposition (``ông X, Thứ trưởng
Bộ Y, khẳng định`` -> X).

The article is then read in order: a short form (``ông Chính``, ``ông Tập``,
``Lavrov``) becomes the full name used in the article, a title alone
(``Thủ tướng nhấn mạnh``) its latest holder, a pronoun (``ông cũng nhấn
mạnh``) the latest person. Photo captions never speak. The lexicons live in
:mod:`search.ingest.titles`, :mod:`search.ingest.names` and :mod:`search.ingest.verbs`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import compress

from search.analysis.fold import has_marks
from search.analysis.normalize import nfc
from search.ingest.abbreviations import fuller
from search.ingest.discourse import (
    after_quote,
    carry_over,
    colon_subjects,
    is_caption,
    lead_subjects,
    looks_like_a_name,
    outlet,
    reports_words,
    role_subject,
    said_by,
)
from search.ingest.events import Event, speaker_of
from search.ingest.mentions import Mention, Passage, is_country, is_person_name, mentions
from search.ingest.people import Referents
from search.ingest.titles import COUNTRIES, institutions
from search.ingest.verbs import FILLERS, NOT_VERB_AFTER, VERB_FIRST, VERB_PHRASES

# verbs that are also the noun for what was said: "theo chia sẻ của X", "nhận định của Y"
_STATEMENT_VERBS = {"chia sẻ", "nhận định", "đánh giá", "ý kiến", "lời", "lý giải", "giải thích",
                    "tiết lộ", "cảnh báo", "khuyến cáo", "phân tích", "nhận xét", "quan điểm"}
STATEMENT_NOUNS = {"thông báo", "thông cáo", "tuyên bố", "phát ngôn", "bản tin", "nội dung",
                   "báo cáo", "văn bản", "công văn", "thông tin"}
_STATEMENTS = STATEMENT_NOUNS | _STATEMENT_VERBS  # "theo <one of these> của X"
# "người đứng đầu ngành y tế thành phố": the field is "y tế"
_NOT_DOMAIN = {"ngành", "cơ", "quan", "thành", "phố", "tỉnh", "quận", "huyện", "địa", "phương",
               "cả", "nước", "này", "đó"}
# "Theo đề nghị của X,": at X's request, not X's words
_NOT_STATEMENTS = {"nguồn tin", "đề nghị", "đề xuất", "kiến nghị", "kế hoạch", "quyết định",
                   "yêu cầu", "chỉ đạo", "quy định", "chương trình", "lịch", "dự kiến", "cáo trạng",
                   # "theo nguyên tắc ai …, thì …": by a rule, not by someone's words
                   "nguyên tắc", "tiêu chí", "phương án", "lộ trình", "hướng dẫn", "điều",
                   "khoản", "luật", "dự thảo", "thông lệ", "hợp đồng", "kịch bản", "thứ tự"}
# words a lowercase institution name never goes on with
_NOT_IN_NAMES = {"tổ", "bước", "vào", "có", "là", "được", "bị", "về", "với", "và", "của",
                 "trong", "tại", "để", "đến", "từ", "ra", "họp", "ban", "hành", "phải", "cần",
                 "không", "chưa", "các", "những", "này", "đó", "người", "mà", "thì", "ở"}
# directive verbs: the one asked to act after them is not speaking
_DIRECTIVES = {"đề nghị", "yêu cầu", "kêu gọi", "chỉ đạo", "giao", "đề xuất", "kiến nghị"}
# words before a place name: "quận Gò Vấp" is where someone lives, not who speaks
_PLACE_WORDS = {"quận", "huyện", "tỉnh", "xã", "phường", "phố", "thị", "trấn", "làng", "thôn",
                "bản", "ấp", "đường", "sông", "núi", "vùng", "miền", "đảo"}
_INSTITUTIONS = institutions()
_INTERVIEWER = re.compile(r"\W*(?:PV|Phóng viên|Hỏi)\s*:")
_TIME_WORDS = {"sáng", "chiều", "tối", "trưa", "đêm", "hôm", "ngày", "tuần", "tháng", "năm"}
_PLURAL = {"hai", "ba", "các", "những", "nhiều", "mọi", "bốn", "năm"}
_CAPTION = re.compile(r"(?:^|[\s.(])Ảnh\s*:\s*\S.{0,80}$|^\s*\(?Ảnh\s*:")
_EVENT_FIRST = VERB_FIRST | {"theo", "trong"}
# "AP dẫn lời ông X": X speaks, the outlet only reports
_QUOTING = {"dẫn lời", "trích lời", "dẫn ý kiến"}
_DASHES = ("-", "–")
# "…, qua đó khẳng định", "…, đồng thời nhấn mạnh": the sentence's subject goes on
_SAME_SUBJECT = {"qua đó", "đồng thời", "từ đó"}
# a mention right after these is an agent, an object or a purpose, not a subject
_NOT_SUBJECT_AFTER = {"được", "bị", "gì", "việc", "lên", "xuống", "tới", "đến", "gửi", "trên",
                      "để"}
# a gesture between the speaker and the verb: "bật cười và nói", "gật đầu nói"
_MANNER = {"bật", "mỉm", "gật", "đầu", "cười"}
# a time written between a subject and its verb opens with one of these
_TIME_OPENERS = {"hồi", "hôm", "ngày", "sáng", "chiều", "tối", "trưa", "đêm", "tuần", "tháng",
                 "năm", "cuối", "đầu", "giữa"}
# a member of an institution, standing for a person named before
_MEMBERS = {"thành viên", "cầu thủ", "tuyển thủ", "học trò", "tiền đạo", "tiền vệ", "hậu vệ",
            "trung vệ", "thủ môn", "ngôi sao", "nhân viên", "cán bộ"}


def _verb_at(p: Passage, i: int) -> int:
    """Length of the reporting verb written at token i (0: none)."""
    if p.own[i] or p.low[i] not in VERB_PHRASES.by_first or p.inside_word(i):
        return 0  # capitalised, it is a sentence start or a name ("Ban Chỉ đạo")
    m = VERB_PHRASES.match(p.low, i, p.gaps)
    if m is None:
        return 0
    n = m[0]
    verb = " ".join(p.low[i:i + n])
    nxt = p.low[i + n] if i + n < p.n and p.gaps[i + n - 1] == "" else ""
    return 0 if nxt in NOT_VERB_AFTER.get(verb, ()) else n


def _appositive_owner(p: Passage, j: int, by_end: dict[int, Mention],
                      marks: tuple[str, ...] = (",", "(")) -> Mention | None:
    """The person a comma-delimited apposition before a verb describes: ``X, Thứ
    trưởng Bộ Y, Chủ tịch Z, cho hay``, ``Cụ X (78 tuổi), đang điều trị…, kể``. The
    person opens the clause, and no reporting verb stands in the apposition."""
    for k in range(j - 1, max(-1, j - 40), -1):
        if not p.gaps[k].startswith(marks):
            continue
        m = by_end.get(k)
        if m is None or m.kind != "person" and not (
                m.kind == "org" and p.sentence_start(m.start) and _timing(p, k + 1, j)):
            continue  # an institution only before a time: "Bộ GD&ĐT, chiều 22/9, đã trả lời"
        if m.start > 0 and p.gaps[m.start - 1] == "" and not p.sentence_start(m.start) and not (
                p.low[m.start - 1] in ("và", "cùng") and m.kind == "person" and (
                first := by_end.get(m.start - 2)) is not None and first.kind == "person" and (
                p.sentence_start(first.start) or "," in p.gaps[first.start - 1])):
            continue  # a name inside the apposition ("bán hàng ở chợ Đồng Xuân"), unless
            # the second of two subjects ("NSND X và NSND Y, chung quan điểm, cùng nhấn mạnh")
        if any(_verb_at(p, t) and not any(o.start <= t < o.end for o in by_end.values())
               and p.low[t - 1] not in ("bị", "được") for t in range(k + 1, j + 1)):
            return None  # a verb of its own, not one inside a title ("Trưởng nhóm phân tích"),
            # nor a passive ("Lê Văn A, người bị đề nghị án chung thân, nói")
        return m
    return None


def _unclosed_apposition(p: Passage, j: int, by_end: dict[int, Mention]) -> Mention | None:
    """The person before an apposition whose closing comma the writer left out, the
    verb following its last word: ``ông X, giám đốc Sở Lao động - thương binh và xã hội
    TP.HCM cho biết``, ``Thượng tá X, Trưởng Công an thành phố Y (Phú Yên) cho biết``,
    ``Ông X, Tổng giám đốc MobiFone cho rằng``. The apposition opens with an office and
    holds no reporting verb of its own."""
    for k in range(j - 1, max(-1, j - 25), -1):
        if p.starts[k + 1]:
            return None
        if "," not in p.gaps[k] and p.gaps[k] not in _DASHES:
            continue
        office = next((m for m in by_end.values() if m.start == k + 1), None)
        person = by_end.get(k)
        if office is None and "," not in p.gaps[k]:
            continue  # a dash inside a name: "Sở Lao động - Thương binh và Xã hội"
        if office is None or person is None or person.kind != "person" or not (
                office.kind == "title" or office.kind == "person" and _firm_like(office)
                and office.offices):
            return None  # (the office of "Công ty Lương Gia" read as a person "Lương Gia")
        if any(_verb_at(p, t) for t in range(office.end, j + 1)):
            return None
        return person
    return None


def _firm_like(m: Mention) -> bool:
    """The "person" after an office may be the firm it heads: one word (``MobiFone``),
    an institution's (``Công ty Lương Gia``), or unmarked words (``Hanoi Telecom``)."""
    return len(m.name) == 1 or m.org is not None or not any(map(has_marks, m.name))


def _ending(p: Passage, k: int, by_end: dict[int, Mention]) -> Mention | None:
    """The mention ending at token k, or right before a place word there
    (``Trưởng đoàn ĐBQH tỉnh``: the office of the province named before)."""
    m = by_end.get(k)
    if m is None and k > 0 and p.low[k] in _PLACE_WORDS and p.gaps[k - 1] == "":
        m = by_end.get(k - 1)
    return m


def _many(p: Passage, start: int) -> bool:
    """A plural right before a name, in the same phrase: "các thành viên Chính phủ"."""
    k = start - 1
    while k >= max(0, start - 3) and p.gaps[k] == "" and not p.own[k]:
        if p.low[k] in _PLURAL:
            return True
        k -= 1
    return False


def _described_person(p: Passage, start: int, by_end: dict[int, Mention]) -> Mention | None:
    """The person an institution describes after a comma: ``X, thành viên Hội đồng Y``."""
    k = start - 1
    while k >= max(0, start - 4) and p.gaps[k] == "" and not p.own[k]:
        if p.low[k] in ("bị", "được"):
            return None  # "X, người bị VKS đề nghị …": the passive's agent, not X's words
        k -= 1
    if k == start - 1 or k < 0 or p.gaps[k] != ",":
        return None
    m = by_end.get(k)
    return m if m is not None and m.kind == "person" else None


def _timing(p: Passage, i: int, j: int) -> bool:
    """Tokens i..j are a time (``chiều tối 22/9``, ``hôm qua``), as written between a
    subject and its verb."""
    return j - i < 6 and any(p.texts[t][:1].isdigit() or p.low[t] in _TIME_WORDS
                             for t in range(i, j + 1))


def _with_lowercase_tail(p: Passage, j: int, by_end: dict[int, Mention]) -> Mention | None:
    """An institution whose name goes on in lowercase up to the verb, as Vietnamese
    names do (only their first word is capitalised): ``Trung tâm Dự báo khí tượng
    thủy văn quốc gia dự báo``, ``Giám đốc Trung tâm Kiểm soát bệnh tật tỉnh Đồng Nai``."""
    k = j
    while k > j - 12 and k > 0 and p.gaps[k - 1] == "" and (p.cap[k] or (
            p.low[k] not in FILLERS and p.low[k] not in _NOT_IN_NAMES and not _verb_at(p, k))):
        k -= 1
        m = by_end.get(k)
        if m is not None:
            if m.kind == "org" and m.open and (not p.texts[m.start].isupper() or all(
                    p.low[t] in _PLACE_WORDS or p.cap[t] for t in range(m.end, j + 1))):
                # "UBND tỉnh", never "HĐXX vì": an abbreviation goes on only with a place
                return Mention(m.start, j + 1, "org", shown=p.span(m.start, j + 1))
            if m.kind == "title" and m.org:
                return Mention(m.start, j + 1, "title", (), m.offices,
                               f"{m.org} {p.span(m.end, j + 1)}", m.country,
                               shown=p.span(m.start, j + 1))
            if m.kind == "name" and m.end == m.start + 1 and j > m.end and (
                    head := _INSTITUTIONS.match(p.low, m.start)) and head == (1, "head"):
                return Mention(m.start, j + 1, "org", shown=p.span(m.start, j + 1))  # "Ban chỉ
            return None  # huy phòng thủ dân sự tỉnh Đắk Lắk cho hay"
    return None


def _subject(p: Passage, v: int, by_end: dict[int, Mention], ms: list[Mention],
             depth: int = 0) -> Event | None:
    """The speech event of a verb starting at token v."""
    low, gaps = p.low, p.gaps
    if v > 0 and low[v - 1] in ("được", "bị") and gaps[v - 1] == "":
        return None  # "Được hỏi, …", "X bị yêu cầu …": a passive, nobody speaks
    if v >= 3 and " ".join(low[v - 2:v]) in _SAME_SUBJECT and "," in gaps[v - 3] and \
            depth == 0:
        return _sentence_subject(p, v - 2, by_end, ms)  # "X chuyển …, qua đó khẳng định"
    if v > 0 and low[v - 1] in ("sẽ", "sắp") and gaps[v - 1] == "":
        return None  # "đại biểu sẽ đặt câu hỏi": words still to be said
    j, skipped = v - 1, 0
    while j >= 0 and (low[j] in FILLERS or low[j] == "và" and j > 0 and low[j - 1] in _MANNER
                      or low[j] in _MANNER) and skipped < 4 and gaps[j] == "" and not p.cap[j]:
        j, skipped = j - 1, skipped + 1  # "ông X bật cười và nói"
    if j >= 1 and p.texts[j][:1].isdigit() and low[j - 1] in ("ngày", "hôm"):
        j -= 2
    elif j >= 2 and (p.texts[j][:1].isdigit() or low[j] in ("qua", "nay")) and gaps[j] == "":
        k = j  # "VCBS hồi giữa tháng 2 dự báo", "Tổng cục Thống kê hôm 29/3 công bố"
        while k > j - 5 and k > 0 and gaps[k - 1] == "" and not p.own[k - 1] and low[
                k - 1] not in _TIME_OPENERS:
            k -= 1
        while k > 1 and low[k - 1] in _TIME_OPENERS and gaps[k - 2] == "" and not p.own[k - 1]:
            k -= 1
        if k < j and by_end.get(k - 1) is not None and low[k] in _TIME_OPENERS:
            j = k - 1
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
    elif j >= 0 and gaps[j] in ("-", "–"):  # "ông X - Giám đốc Sở Y - cho biết"
        who = _appositive_owner(p, j, by_end, _DASHES)
        if who is None and (office := by_end.get(j)) is not None and office.kind == "title" \
                and office.start > 0 and gaps[office.start - 1] in _DASHES:
            who = office  # "người đứng đầu Chính phủ - Thủ tướng - nêu rõ": the office
        return Event(who) if who is not None else None
    elif j >= 0 and gaps[j] not in ("", "(", ","):
        return None
    if j < 0:
        return None
    place = by_end.get(j)
    if place is not None and place.kind in ("name", "org") and place.start >= 2 and low[
            place.start - 1] in _PLACE_WORDS and gaps[place.start - 2] == "," and (
            office := by_end.get(place.start - 2)) is not None and office.kind in ("title", "org"):
        j = place.start - 2  # "Chủ tịch UBND huyện A, tỉnh B cho biết": B places the office
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
    if not comma and (m is None or m.kind in ("name", "org") or m.kind == "person" and (
            _firm_like(m)) and m.offices) and (
            who := _unclosed_apposition(p, j, by_end)):
        return Event(who)  # "ông X, giám đốc Sở Y … TP.HCM cho biết": X
    if m is None or m.kind == "name" and not comma and j > 0 and gaps[j - 1] == "":
        m = _with_lowercase_tail(p, j, by_end) or m  # "Ủy ban An toàn giao thông quốc gia"
    if (m is None or m.kind == "name") and not comma:
        m = role_subject(p, j, ms) or m  # "chiến lược gia người Serbia cho biết"
    if m is None:
        return None
    if comma and m.kind not in ("title", "person"):
        return None
    if m.kind == "title" and m.start > 0 and gaps[m.start - 1] in (",", "-", "–") and (
            comma or m.org or m.country or not p.own[m.start]):
        prev = _ending(p, m.start - 1, by_end)
        for _ in range(3):  # "ông X - TUV, Giám đốc Sở Y cho biết": back over the posts
            if prev is None or prev.kind == "person" or prev.start == 0 or gaps[
                    prev.start - 1] not in (",", "-", "–") or not (prev.kind == "title" or (
                    prev.end - prev.start == 1 and p.texts[prev.start].isupper())):
                break
            prev = _ending(p, prev.start - 1, by_end)
        if prev is not None and prev.kind == "person":
            return Event(prev)  # "ông X, Thứ trưởng Bộ Y, khẳng định"
    if comma and m.kind == "title":
        return None
    if m.kind == "org" and (who := _described_person(p, m.start, by_end)) is not None:
        return Event(who)  # "GS. X, thành viên Hội đồng Y thì cho rằng": X
    start = m.start
    if "nếu" in low[max(0, start - 4):start]:
        return None  # a condition ("nếu các đồng minh yêu cầu"), not a statement
    before = low[start - 1] if start > 0 and gaps[start - 1] == "" else ""
    if before in ("tại", "ở") and depth < 2 and start >= 2:
        return _subject(p, start - 1, by_end, ms, depth + 1)
    if before == "thuộc" and start >= 2 and (owner := by_end.get(start - 2)) is not None:
        m, start = owner, owner.start
        before = low[start - 1] if start > 0 else ""
    if before == "cho" and start >= 3:  # "Luật sư X bào chữa cho bị cáo Y cho rằng": X
        k = start - 1  # back over the verb before "cho" to the mention it follows
        while k > start - 5 and k > 0 and gaps[k - 1] == "" and by_end.get(k - 1) is None:
            k -= 1
        owner = by_end.get(k - 1) if k > 0 and gaps[k - 1] == "" else None
        if owner is not None and owner.kind in ("person", "title", "org"):
            return Event(owner)
        return None
    if before == "của":
        noun = " ".join(low[max(0, start - 3):start - 1])
        if noun in ("lãnh đạo", "đại diện") and m.kind == "org":
            return Event(m)  # "Một lãnh đạo của Trường THPT X thông tin": the school
        if not any(noun.endswith(s) for s in STATEMENT_NOUNS) and low[start - 2] not in (
                "thông", "cáo"):
            owner = by_end.get(start - 2) if start >= 2 and gaps[start - 2] == "" else None
            if owner is not None and owner.kind in ("person", "title") and m.kind in (
                    "name", "org"):
                return Event(owner)  # "HLV Trần Văn A của Khánh Hòa cho biết": A
            return None
    if before in _NOT_SUBJECT_AFTER and \
            m.kind != "pronoun" or m.kind in ("org", "name") and _many(p, start):
        return None  # a passive's agent, "những gì X nói", "việc X đánh giá", "để X phát biểu"
    if m.kind == "name" and outlet(p, m, known=False) and low[v] == "hỏi" or (
            before == "báo" and (low[start - 2] == "pv" or low[start - 3:start - 1] == [
            "phóng", "viên"])) or (
            m.kind == "name" and " ".join(low[v:v + 2]) in ("dẫn lời", "trích lời")
            and outlet(p, m)):
        return None  # "PV báo X hỏi", "AP dẫn lời ông Y": the reporter, the outlet
    if before in ("với", "cùng", "gặp", "tiếp", "tin") or before in _PLACE_WORDS and \
            m.kind == "name":
        return None  # the object of another verb ("trao đổi với ông X nói"), a place
    if start >= 2 and gaps[start - 1] == "" and " ".join(low[start - 2:start]) in _DIRECTIVES:
        return None  # "đề nghị Chính phủ chỉ đạo": asked to act, not speaking
    if m.kind == "pronoun" and p.quoted(start):
        return None  # "Thầy yêu cầu chúng em…" inside a quotation: someone else's words
    if m.kind == "name" and before == "người":
        return None  # "chiến lược gia người Pháp": a nationality
    if m.kind == "title" and before in _PLURAL:
        if start >= 3 and low[start - 2] == "và" and (first := by_end.get(start - 3)) \
                is not None and first.kind == "person":
            return Event(first)  # "X và nhiều đại biểu đồng tình": X
        return None  # "hai Tổng thống", "các bộ trưởng": nobody in particular
    if m.kind == "name" and (before or start > 0 and gaps[start - 1] == ",") and (
            c := COUNTRIES.match(low, m.start)) and m.end - m.start == c[0]:
        return None  # "tình báo Mỹ khẳng định", "CDC của TP.HCM, Việt Nam ngày 21/6 cho
        # biết": a country speaks only as a subject
    if low[max(0, start - 2):start] == ["quan", "chức"] and m.kind in ("org", "name"):
        return Event(m, "official")
    if m.kind == "name" and (not looks_like_a_name(p, m) or outlet(p, m)):
        return None  # "Bloomberg cho hay", "Yahoo News đưa tin": an outlet reports
    return Event(m)


def _sentence_subject(p: Passage, k: int, by_end: dict[int, Mention],
                      ms: list[Mention]) -> Event | None:
    """The subject of a sentence whose second verb phrase reports words (``Trung tâm X
    chuyển lịch trình tới phóng viên, qua đó khẳng định …``): the person, office or
    institution that opens it, if the clause before ``k`` has no speech event of its own."""
    s = p.sentence_of(k)
    first = next((m for m in ms if s <= m.start < k and (
        m.start == s or "," in p.gaps[m.start - 1]) and m.kind != "name"), None)
    if first is None or first.kind not in ("person", "title", "org"):
        return None  # "Tối 26/6, Trung tâm X chuyển …": the clause after a time
    for t in range(first.end, k):
        if _verb_at(p, t) and (ev := _subject(p, t, by_end, ms, 1)) is not None and \
                ev.mention is first:
            return None  # its own verb speaks for it already
    return Event(first)


def _theo(p: Passage, i: int, ms: list[Mention], by_end: dict[int, Mention]) -> Event | None:
    """``Theo X, …`` / ``Theo nội dung tường thuật lại của X, …`` at a clause start."""
    j = i + 1
    while j < p.n and "," not in p.gaps[j - 1] and ":" not in p.gaps[j - 1] and not (
            p.low[j] == "thì" and j > i + 1):
        j += 1  # "Theo X, …", "Theo X thì …", "Theo đánh giá của X - Title: …"
    last = j - 1
    if last <= i or j - i > 22:  # long names: "Theo Trung tâm Báo tin động đất … thuộc Viện …,"
        return None
    if p.gaps[last].startswith(")"):  # "Theo LS. X (Đoàn Luật sư TP.HCM), …"
        k = last
        while k > i and not p.gaps[k - 1].endswith("("):
            k -= 1
        last = k - 1
    if " ".join(p.low[i + 1:i + 3]) in _NOT_STATEMENTS or p.low[i + 1] in _NOT_STATEMENTS:
        return None
    # "Theo TS X - Giảng viên Đại học Y,", "Theo ông X- Giám đốc Sở Y,": the person
    first = next((m for m in ms if i < m.start <= last), None)
    if first is not None and first.kind in ("person", "name") and outlet(p, first):
        return None  # "theo Đài Sputnik", "theo báo Tuổi Trẻ": a report's source, not a speaker
    if first is not None and first.kind == "person" and (first.start <= i + 2 or p.low[
            first.start - 1] == "của" and " ".join(p.low[i + 1:first.start - 1]) in (
            _STATEMENTS)):
        return Event(first)  # "Theo X,", "Theo đánh giá của TS. X - Thành viên …:"
    if first is not None and first.kind == "org" and " ".join(p.low[i + 1:first.start]) in \
            _MEMBERS:  # "Theo thành viên CLB Bình Dương, anh …": a player, not the club
        return Event(Mention(i + 1, first.end, "pronoun"))
    m = by_end.get(last)
    if m is not None and m.start >= 2 and p.low[m.start - 1] == "thuộc":
        k = m.start - 2  # "theo số liệu của Cục Y tế dự phòng thuộc Bộ Y tế,": the Cục
        m = _with_lowercase_tail(p, k, by_end) or by_end.get(k) or m
    if first is not None and first.kind == "org" and m is not None and m.kind == "name":
        return Event(first)  # "theo thông tin từ Đại sứ quán X kiêm nhiệm Nepal,"
    if m is None or m.start < i or m.kind == "name" and last > 0 and p.gaps[last - 1] == "":
        m = _with_lowercase_tail(p, last, by_end) or m
    if m is None or m.start < i or m.kind == "name":
        # "Theo chiến lược gia người Pháp,", "Theo chia sẻ của nhà cầm quân người Hàn Quốc,"
        of = next((t + 1 for t in range(i + 2, min(last, i + 5)) if p.low[t] == "của" and " ".join(
            p.low[i + 1:t]) in _STATEMENTS), i + 1)
        role = role_subject(p, last, ms, of)
        if role is not None and role.start == of:
            return Event(role)
        if m is None or m.start < i or m.start > 0 and p.low[m.start - 1] == "người":
            return None
    if m.kind == "name" and (outlet(p, m) or not looks_like_a_name(p, m)):
        return None  # "theo Đài Sputnik": a report's source, not a speaker
    if m.kind == "title" and (named := next((o for o in ms if o.start == j), None)) and \
            named.kind == "person" and "," in p.gaps[named.end - 1]:
        return Event(named)  # "Theo Chánh Văn phòng UBND tỉnh X, ông Y, …": Y
    return Event(m)


def _report_of(p: Passage, i: int) -> bool:
    """``Trong báo cáo của X,``, ``Trong thông báo gửi báo chí, X``: a statement's source
    opens the sentence, as ``Theo X,`` does."""
    head = " ".join(p.low[i + 1:i + 3])
    return (head in STATEMENT_NOUNS or p.low[i + 1] in STATEMENT_NOUNS) and "của" in p.low[
        i + 2:i + 5]


def passage_events(p: Passage, ms: list[Mention]) -> list[tuple[int, Event]]:
    """Speech events of one passage with the token they stand at, in order."""
    return _events(p, ms)[0]


def _events(p: Passage, ms: list[Mention]) -> tuple[list[tuple[int, Event]], bool]:
    """The speech events, and whether the passage has a reporting verb at all (even
    one whose subject names nobody: "Một quan chức cho biết")."""
    if "Ảnh" in p.text and (c := _CAPTION.search(p.text)) and not reports_words(
            p.text[:c.start()]) or is_caption(p.text):
        return [], False
    if _INTERVIEWER.match(p.text):
        return [], True  # "PV: …": the interviewer's question, whoever it names
    low = p.low
    candidates = list(compress(range(p.n), map(_EVENT_FIRST.__contains__, low)))
    out: list[tuple[int, Event]] = []
    by_end = {m.end - 1: m for m in ms}
    done = 0
    verb = False
    for i in candidates:
        if i < done:
            continue
        if low[i] == "theo" and (p.sentence_start(i) or i > 0 and (p.gaps[i - 1].endswith(",") or (
                p.own[i] and p.gaps[i - 1][-1:] in _DASHES) or (  # "(PLO)- Theo X,"
                low[i - 1] == "cũng" and p.sentence_start(i - 1)))) or low[i] == "trong" and (
                p.sentence_start(i) or i > 0 and p.gaps[i - 1] == ",") and _report_of(p, i):
            ev = _theo(p, i, ms, by_end)  # "Theo X,", "Trong báo cáo của X,"
            if ev is not None:
                out.append((i, ev))
        n = _verb_at(p, i)
        if n:
            verb = True
            ev = _subject(p, i, by_end, ms)
            if ev is not None:
                out.append((i, ev))
            if " ".join(low[i:i + n]) in _QUOTING and (quoted := next(
                    (m for m in ms if m.start == i + n), None)) is not None and quoted.kind in (
                    "person", "title", "org"):
                out.append((i, Event(quoted)))  # "báo X trích lời ông Y, Giám đốc Sở …": Y
            done = i + n
    # "NSND X và NSND Y cùng nhấn mạnh", "X và Ngoại trưởng Y đánh giá": both speak
    for at, ev in list(out):
        m = ev.mention
        while m is not None and m.kind in ("person", "org") and m.start >= 2:
            if low[m.start - 1] in ("và", "cùng") and p.gaps[m.start - 2] == "":
                other = by_end.get(m.start - 2)  # "X và Y", "X cùng Y"
            else:
                other = None
            if other is None or other.kind != m.kind:
                break
            out.append((at, Event(other)))
            m = other
    # a colon or a lead phrase speaks for a sentence no reporting verb speaks for
    extra = colon_subjects(p, ms) + lead_subjects(p, ms) + said_by(p, ms) + after_quote(p, ms)
    if not extra:
        return out, verb
    spoken = {p.sentence_of(at) for at, _ in out}
    out += [(at, Event(m)) for at, m in extra if p.sentence_of(at) not in spoken]
    return sorted(out, key=lambda e: e[0]), verb


def _without_aliases(p: Passage, ms: list[Mention]) -> list[Mention]:
    """A person's other name in brackets right after it (``ông Steven Truong (Trương Quốc
    Hùng)``) is the same person: not a second one for later pronouns to mean."""
    out: list[Mention] = []
    for m in ms:
        if out and m.kind in ("person", "name") and out[-1].kind == "person" and out[
                -1].end == m.start and p.gaps[m.start - 1] == "(" and p.gaps[
                m.end - 1].startswith(")"):
            continue
        out.append(m)
    return out


def _in_full(speaker: str, orgs: list[str]) -> str:
    """A firm or body named bare (``Coupang cho biết``) by the fuller name its article
    gives it (``Công ty Coupang``); never a country (``Nga`` is not ``Bộ Ngoại giao Nga``)
    nor a person."""
    if " " in speaker and is_person_name(speaker) or is_country(speaker):
        return speaker
    tail = f" {speaker}"
    longer = [o for o in orgs if o.endswith(tail) and len(o.split()) <= len(
        speaker.split()) + 3 and _INSTITUTIONS.match(o.lower().split(), 0)]
    return max(longer, key=len) if longer else speaker


def attribute(passages: Sequence[str], title: str | None = None) -> list[list[str]]:
    """Speakers of each passage of one article (canonical names, in order, unique).
    The title (``HLV Park Hang-seo: …``) names persons the passages refer back to."""
    # the rules' words are composed (NFC) and spell Đ as Đ, as most pages do
    passages = [nfc(t) for t in passages]
    title = nfc(title) if title else title
    parsed = []
    spoken: list[bool] = []  # a reporting verb, even one whose subject is nobody named
    opener: list[Mention | None] = []  # whom a paragraph is about, at its start
    for text in passages:
        p = Passage(text)  # not kept: an article's worth of token lists is garbage to collect
        ms = _without_aliases(p, mentions(p))
        evs, verb = _events(p, ms)
        parsed.append((ms, evs))
        spoken.append(bool(evs) or verb)
        opener.append(next((m for m in ms[:3] if m.kind == "person" and (
            m.start == 0 or "," in p.gaps[m.start - 1])), None))
    heading_ms = mentions(Passage(title)) if title else []
    heading = [m for m in heading_ms if m.kind == "person"]
    art = Referents(heading + [m for ms, _ in parsed for m in ms if m.kind == "person"])
    result: list[list[str]] = []
    previous: list[tuple[str, ...]] = []  # persons of earlier passages, latest last
    for m in heading:
        if (name := art.learn(m)) is not None and name not in previous:
            previous.append(name)
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
            who = speaker_of(ev, art, canonical, speakers, persons, previous)
            if who and who not in speakers:
                speakers.append(who)
        for m in ms[k:]:
            if (name := art.learn(m)) is not None:
                persons.append(name)
        result.append([" ".join(s) for s in speakers])
        # persons a pronoun may mean later, latest last; who spoke counts as latest
        for who in persons + [s for s in speakers if art.take_speaker(s)]:
            if who in previous:
                previous.remove(who)
            previous.append(who)
        del previous[:-8]
    orgs = [m.shown for ms, _ in parsed for m in ms if m.kind == "org"] + [
        m.shown for m in heading_ms if m.kind == "org"]
    result = [[_in_full(fuller(s, orgs), orgs) for s in ss] for ss in result]
    first = next(iter(heading_ms), None)  # who the title opens with: an interviewee
    interviewee = None
    if first is not None and first.start == 0 and (first.kind == "person" or first.kind == \
            "name" and 2 <= len(first.name) <= 4 and first.name[0][:1].isupper()):
        interviewee = " ".join(art.resolve(first.name) if first.kind == "person" else first.name)
    subjects = [None if m is None else " ".join(art.resolve(m.name)) for m in opener]
    return carry_over(passages, result, spoken, [bool(evs) for _, evs in parsed], interviewee,
                      subjects)
