"""An article becomes the documents an engine stores: one a passage, with every
field of the schema, the names of its speakers, and a key shared by wire copies."""

from __future__ import annotations

import unicodedata

import pytest

from search.indexing.documents import name_terms, passage_docs, text_key
from search.ingest.model import Article, Passage
from search.schema import (
    FOLD,
    SOURCE_FOLD,
    SOURCE_SYL,
    SPEAKER_FOLD,
    SPEAKER_SYL,
    SYL,
    TITLE_FOLD,
)


def test_names_are_syllables_with_a_gap_between_two_names() -> None:
    terms = name_terms(["Jake Sullivan", "Sergei Lavrov"])
    assert terms[SPEAKER_SYL] == ["jake", "sullivan", None, "sergei", "lavrov"]
    assert terms[SPEAKER_FOLD] == terms[SPEAKER_SYL]  # no marks to fold


def test_an_institution_is_also_indexed_under_its_other_form() -> None:
    terms = name_terms(["Ngân hàng Nhà nước"])
    assert terms[SPEAKER_SYL] == ["ngân", "hàng", "nhà", "nước", None, "nhnn"]
    assert terms[SPEAKER_FOLD] == ["ngan", "hang", "nha", "nuoc", None, "nhnn"]


@pytest.mark.parametrize("copy", [
    "Đường ống khí đốt",
    unicodedata.normalize("NFD", "Đường ống khí đốt"),  # another Unicode form
    "đường  ống khí   đốt",  # case and spacing
    "Đường ống khí đốt!",
])
def test_wire_copies_share_a_key(copy: str) -> None:
    assert text_key(copy) == text_key("Đường ống khí đốt")


@pytest.mark.parametrize("other", ["Đường ống khí", "Ống đường khí đốt", "Đường ông khí đốt"])
def test_other_words_get_another_key(other: str) -> None:
    assert text_key(other) != text_key("Đường ống khí đốt")


def test_each_passage_is_one_document_with_the_article_around_it() -> None:
    article = Article(
        id="crawl/a1", path="/data/crawl/a1.txt", sha256="ab" * 32, title="Đột phá",
        source="Tuổi trẻ", date="2021-12", url="https://example.org/a1",
        passages=(Passage(1, "Nga lo ngại NATO.", speakers=("Sergei Lavrov",)),
                  Passage(2, "Đường ống Nord Stream.", dates=("2021-12-07",))))
    first, second = passage_docs(article)
    assert (first.id, first.article, first.ordinal) == ("crawl/a1#1", "crawl/a1", 1)
    assert second.id == "crawl/a1#2"
    assert (first.date_lo, first.date_hi) == (20211201, 20211231)  # the month, as an interval
    assert first.terms[SYL][:2] == ["nga", "lo"] and first.terms[FOLD][:2] == ["nga", "lo"]
    assert first.terms[TITLE_FOLD] == ["dot", "pha"] == second.terms[TITLE_FOLD]
    assert first.terms[SOURCE_SYL] == ["tuổi", "trẻ"]
    assert first.terms[SOURCE_FOLD] == ["tuoi", "tre"]
    assert first.terms[SPEAKER_SYL] == ["sergei", "lavrov"] and second.terms[SPEAKER_SYL] == []
    assert first.stored["speakers"] == ["Sergei Lavrov"]
    assert second.stored["dates"] == ["2021-12-07"]
    assert second.stored["text"] == "Đường ống Nord Stream."
    assert first.stored["key"] != second.stored["key"]


def test_an_article_without_a_date_has_no_interval() -> None:
    article = Article(id="x", path="", sha256="", passages=(Passage(1, "Không ngày."),))
    (doc,) = passage_docs(article)
    assert (doc.date_lo, doc.date_hi) == (None, None) and doc.terms[TITLE_FOLD] == []
