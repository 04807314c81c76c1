"""What an article has said so far, for reading it in order: the full names its
persons go by (so ``ông Chính`` and ``Lavrov`` become them), who holds which office
(``Thủ tướng nhấn mạnh``), who heads what, and who was named or spoke latest.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from search.analysis import fold
from search.ingest.discourse import MANY_HOLDERS
from search.ingest.mentions import SAME_OFFICE, Mention, is_person_name
from search.ingest.names import places, short_forms
from search.ingest.titles import OFFICE, titles

# "nhà lãnh đạo Nga" is whoever leads Russia in the article, whatever the office
_TITLES = titles()
# offices of a team, written with or without the team ("HLV", "HLV ĐT Việt Nam")
TEAM_OFFICES = {"hlv", "huấn luyện viên", "huấn luyện viên trưởng", "đội trưởng", "thủ quân"}
LEADERS = {"tổng thống", "nhà lãnh đạo", "lãnh đạo", "thủ tướng", "chủ tịch", "quốc vương"}


# one country, two names: the holder of "Ngoại trưởng Nga" is the "Bộ trưởng Ngoại giao
# Liên bang Nga"
_LANDS = {"liên bang nga": "nga", "hoa kỳ": "mỹ", "vương quốc anh": "anh", "anh quốc": "anh",
          "đông timor": "timor leste"}


def land(country: str | None) -> str | None:
    """A country under the name the office keys use."""
    return _LANDS.get(country, country) if country else country


def _folded(name: Sequence[str]) -> tuple[str, ...]:
    return tuple(fold(s.lower()) for s in name)


class Referents:
    """What the article has said so far: full names, office holders, latest persons."""

    def __init__(self, all_persons: list[Mention]) -> None:
        self.by_short_all: dict[str, set[tuple[str, ...]]] = {}
        self.pairs: set[tuple[str, ...]] = set()  # last two syllables of longer names
        self.anywhere: dict[str, tuple[str, ...]] = {}  # office + org -> its first holder
        self.anywhere_bare: dict[str, tuple[str, ...]] = {}  # office -> its first holder
        for m in all_persons:
            m.name = _once(m.name)
            for office in m.offices:
                if not m.former and office not in MANY_HOLDERS:
                    self.anywhere_bare.setdefault(office, m.name)
                for extra in (m.org, land(m.country)):
                    if extra:
                        self.anywhere.setdefault(f"{office} {extra.lower()}", m.name)
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
        self.not_people: set[tuple[str, ...]] = set()  # speakers that are no person's name
        self.offices_of: dict[tuple[str, ...], set[str]] = {}
        self.roles_of: dict[tuple[str, ...], set[str]] = {}  # descriptors, not offices
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
        m.name = _once(m.name)
        name = self.resolve(m.name)
        if len(name) >= 2:
            for s in short_forms(name):
                self.by_short[fold(s)] = name
        self.people.add(name)
        self.offices_of.setdefault(name, set()).update(m.offices)
        if m.roles:  # what a role refers back to ("vị luật sư", "tiền đạo sinh năm 1997")
            self.roles_of.setdefault(name, set()).update(m.roles)
        if m.sex:
            self.sex[name] = m.sex
        # a former holder ("nguyên Thủ tướng X") does not answer to the title alone
        for office in () if m.former else m.offices + _shorter(m.offices):
            self.holders[office] = name
            if office in LEADERS and m.country:
                self.leaders[land(m.country)] = name
            for extra in (m.org, land(m.country)):
                if extra:
                    self.holders[f"{office} {extra.lower()}"] = name
        for office, org in m.posts:
            self.heads.append((office, org, name))
        if m.org:
            self.members[tuple(m.org.lower().split())] = name
        return name

    def take_speaker(self, name: tuple[str, ...]) -> bool:
        """A speaker named without a title or honorific (``Tiến Linh chia sẻ``, ``Hồng Vân
        nói``: artists and players go by their given names) is a person a later pronoun
        or role may mean, when the name looks like a person's and no place's."""
        if name in self.people:
            return True
        if name in self.not_people:
            return False
        low = tuple(w.lower() for w in name)
        if not is_person_name(" ".join(name)) or low in places() or any(
                low[k:k + 2] in places() for k in range(len(low) - 1)):
            self.not_people.add(name)
            return False
        self.people.add(name)
        return True

    def holder(self, m: Mention) -> tuple[str, ...] | None:
        for office in reversed(m.offices):
            if office in LEADERS and m.country and (who := self.leaders.get(land(m.country))):
                return who
            for extra in (m.org, land(m.country)):
                if extra and (who := self.holders.get(f"{office} {extra.lower()}")):
                    return who
            if (not m.org and (not m.country or m.country == "việt nam")) and (
                    who := self.holders.get(office)):
                return who  # offices at home are written without the country
        for office in reversed(m.offices):  # "HLV ĐT Việt Nam" is the coach named "HLV X"
            if office in TEAM_OFFICES and (who := self.holders.get(office)):
                return who
        for office in reversed(m.offices):  # "Chủ tịch UBND xã X cho hay …": named later
            for same in (office, SAME_OFFICE.get(office)):  # under either of its names
                if same and m.org and (who := self.anywhere.get(f"{same} {m.org.lower()}")):
                    return self.resolve(who)
        if not m.org and not m.country:  # "Thư ký báo chí Nhà Trắng nói", the holder named
            for office in reversed(m.offices):  # later as "người phát ngôn Nhà Trắng X"
                if who := self.anywhere_bare.get(office):
                    return self.resolve(who)
        return None

    def head_of(self, domain: tuple[str, ...], ministry: bool) -> tuple[str, ...] | None:
        want = " ".join(domain)
        found = [(office, org, name) for office, org, name in reversed(self.heads)
                 if not office.startswith("phó") and office != "thứ trưởng" and (
                     not want or want in org or want == "chính phủ" and office == "thủ tướng")]
        ministers = [f for f in found if f[1].startswith("bộ ")]
        pick = ministers if ministry and ministers else found
        return pick[0][2] if pick else None


def _once(name: tuple[str, ...]) -> tuple[str, ...]:
    """``Tô Lâm Tô Lâm``: a name typed twice is the name."""
    half = len(name) // 2
    return name[:half] if len(name) >= 4 and name[:half] == name[half:] else name


@lru_cache(maxsize=4096)
def _shorter(offices: tuple[str, ...]) -> tuple[str, ...]:
    """The offices a longer one also is: "đại biểu quốc hội" is an "đại biểu"."""
    out = []
    for office in offices:
        words = office.split()
        for k in range(len(words) - 1, 0, -1):
            if _TITLES.match(words[:k], 0) == (k, OFFICE):
                out.append(" ".join(words[:k]))
    return tuple(out)
