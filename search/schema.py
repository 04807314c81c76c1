"""Every index field, named once, with its role.

Analysis fills the fields, the plan chooses which to match and how to weigh
them, and each engine declares them in its own schema from this table: a
field renamed here is renamed everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypedDict

Kind = Literal["terms", "id", "facet", "int", "stored"]


@dataclass(frozen=True, slots=True)
class IndexField:
    name: str
    kind: Kind
    positions: bool = False  # term positions kept: phrases and proximity run here


# syllables: one term a position (None in a term list leaves a gap)
SYL = "syl"  # exact syllables, lowercased: phrases and marked query syllables
FOLD = "fold"  # the same positions without tone or vowel marks
WORD = "word"  # segmented words of two syllables or more (a bag: ranking only)
WFOLD = "wfold"  # the same words, folded; also the query segmenter's vocabulary
TITLE_SYL, TITLE_FOLD = "title_syl", "title_fold"
SPEAKER_SYL, SPEAKER_FOLD = "speaker_syl", "speaker"  # exact and folded syllables of names
SOURCE_SYL, SOURCE_FOLD = "source_syl", "source"
SPEAKER_NAME, SOURCE_NAME = "speaker_name", "source_name"  # one term a canonical name
ID, ARTICLE, KEY = "id", "article", "key"
DATE_LO, DATE_HI = "date_lo", "date_hi"  # the article date's interval, yyyymmdd
DATA = "data"

FIELDS: tuple[IndexField, ...] = (
    IndexField(ID, "id"),  # article#ordinal, unique; stored
    IndexField(ARTICLE, "id"),  # deletes and article: filters
    IndexField(KEY, "id"),  # normalised text hash: the same passage in other articles
    IndexField(SYL, "terms", positions=True),
    IndexField(FOLD, "terms", positions=True),
    IndexField(WORD, "terms"),
    IndexField(WFOLD, "terms"),
    IndexField(TITLE_SYL, "terms", positions=True),
    IndexField(TITLE_FOLD, "terms", positions=True),
    IndexField(SPEAKER_SYL, "terms", positions=True),
    IndexField(SPEAKER_FOLD, "terms", positions=True),
    IndexField(SOURCE_SYL, "terms", positions=True),
    IndexField(SOURCE_FOLD, "terms", positions=True),
    IndexField(SPEAKER_NAME, "facet"),  # counted per name, never read from stored data
    IndexField(SOURCE_NAME, "facet"),
    IndexField(DATE_LO, "int"),
    IndexField(DATE_HI, "int"),
    IndexField(DATA, "stored"),  # everything a hit shows
)

POSITIONAL = tuple(f.name for f in FIELDS if f.kind == "terms" and f.positions)
BAGS = tuple(f.name for f in FIELDS if f.kind == "terms" and not f.positions)
FACETS = {"speakers": SPEAKER_NAME, "source": SOURCE_NAME}  # stored key -> facet field

# query field -> (index field of exact syllables, index field of folded syllables)
SYLLABLE_FIELDS = {"text": (SYL, FOLD), "title": (TITLE_SYL, TITLE_FOLD),
                   "speaker": (SPEAKER_SYL, SPEAKER_FOLD), "source": (SOURCE_SYL, SOURCE_FOLD)}


class StoredPassage(TypedDict):
    """What an engine stores for one passage and hands back with each hit: the record
    a result, the console and the server are made of (and article, passage and key,
    which listing, counting and wire copies read)."""

    article: str
    passage: int  # 1-based ordinal in the article
    text: str
    title: str | None
    source: str | None
    date: str | None  # ISO, as precise as the article says
    speakers: list[str]
    dates: list[str]
    path: str
    sha256: str
    url: str | None
    key: str  # the wire-copy key: the same words in the same order share it
