"""Who a speech event names: a person's full name as the article uses it, the
latest holder of a title, the latest person a pronoun or a role stands for, or an
institution as written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from search.ingest.discourse import COACHES, MANY_HOLDERS
from search.ingest.mentions import Mention
from search.ingest.people import Referents

# roles any office holder answers to: "vị lãnh đạo" is the Bí thư named before
ANY_OFFICE = {"lãnh đạo", "nhà lãnh đạo", "đại diện", "quan chức", "người đứng đầu"}


@dataclass(slots=True)
class Event:
    """A speech event: the mention that speaks, or a phrase resolved in context."""

    mention: Mention | None
    kind: str = "subject"  # "subject", "official" ("quan chức Điện Kremlin"), "head"
    domain: tuple[str, ...] = ()  # "người đứng đầu ngành y tế": ("y", "tế")
    ministry: bool = False  # "ngành …": the minister


def _latest(pools: tuple[list[tuple[str, ...]], ...],
            fits: Callable[[tuple[str, ...]], bool]) -> tuple[str, ...] | None:
    """The latest person of the first pool that has one who fits."""
    for pool in pools:
        for who in reversed(pool):
            if fits(who):
                return who
    return None


def speaker_of(ev: Event, art: Referents, canonical: dict[int, tuple[str, ...]],
             speakers: list[tuple[str, ...]], persons: list[tuple[str, ...]],
             previous: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The speaker an event names, read with what the article has said so far (a
    pronoun or a role needs the persons named before it, a title its holder)."""
    m = ev.mention
    if ev.kind == "head":
        return art.head_of(ev.domain, ev.ministry)
    if m is None:
        return None
    if m.kind == "pronoun":
        # the latest person who spoke in this passage, else was named in it, else
        # spoke or was named in the one before; "bà" never means a man
        pools = ([s for s in speakers if s in art.people], persons, previous)

        def same_sex(who: tuple[str, ...]) -> bool:
            return m.sex is None or art.sex.get(who, m.sex) == m.sex

        if m.offices:  # a role: the latest who holds it ("Bí thư huyện …", a coach's)
            like = COACHES if m.offices[0] in COACHES else set(m.offices)
            who = _latest(pools, lambda w: bool(
                art.offices_of.get(w, set()) & like or m.offices[0] in ANY_OFFICE
                and art.offices_of.get(w) or art.roles_of.get(w, set()) & like))
            if who is None and not m.former:  # nobody holds it: not one who holds another
                # office ("tiền đạo sinh năm 1997" is the player, not his coach)
                who = _latest(pools, lambda w: not art.offices_of.get(w) and same_sex(w))
            if who is not None:
                return who
        return _latest(pools, same_sex)
    if m.kind == "person":
        return canonical.get(id(m)) or art.resolve(m.name)
    if m.kind == "title":
        who = art.holder(m)
        if who is not None:
            return who
        if m.country and not m.org:
            return None  # "Tổng thống Mỹ" with no president named: nobody to name
        if not m.org and set(m.offices) <= MANY_HOLDERS:
            return None  # "Đại biểu đặt câu hỏi": one of many, nobody in particular
        return (m.shown[:1].upper() + m.shown[1:],) if m.shown else None
    if ev.kind == "official":
        member = art.members.get(tuple(s.lower() for s in m.name))
        return member if member and member in speakers + previous else m.name
    if m.kind == "org":
        return (m.shown,) if m.shown else m.name
    return art.resolve(m.name) if m.name else None
