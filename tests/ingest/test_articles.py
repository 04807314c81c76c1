"""Reading an article file: metadata of the seeds, encodings refused or read."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from search.ingest.articles import UnreadableFile, decode, read_article


def seed(seeds: Path, prefix: str) -> Path:
    return next(seeds.glob(f"{prefix}_*.txt"))


def test_seed_metadata(seeds: Path) -> None:
    a = read_article(seed(seeds, "003"))
    assert a.id == "003_12f5a146de662289"
    assert a.title == "Hội đàm Nga-Mỹ không có đột phá cho quan hệ song phương"
    assert a.source == "PLVN"
    assert all("0:00" not in p.text for p in a.passages)
    texts = [p.text for p in a.passages]
    assert len(texts) == len(set(texts)), "a caption printed twice is indexed once"
    assert [p.ordinal for p in a.passages] == list(range(1, len(a.passages) + 1))


def test_date_header_is_metadata_not_text(seeds: Path) -> None:
    a = read_article(seed(seeds, "002"))
    assert a.date == "2021-12"
    assert a.passages[0].text.startswith("Ngày 8-12, Tổng thống Mỹ Joe Biden")


def test_credit_line_is_source_not_passage(seeds: Path) -> None:
    a = read_article(seed(seeds, "001"))
    assert a.source == "Tuổi trẻ"
    assert a.passages[-1].text.startswith('"Hai giờ đồng hồ nói chuyện')


def test_no_title_when_first_line_is_a_sentence(seeds: Path) -> None:
    for prefix in ("000", "001", "002", "004"):
        assert read_article(seed(seeds, prefix)).title is None


def test_decode_boms_and_refusals() -> None:
    text = "Điện Kremlin"
    assert decode(codecs.BOM_UTF8 + text.encode()) == text
    assert decode(text.encode("utf-16")) == text
    with pytest.raises(UnreadableFile, match="not UTF-8"):
        decode("Đá bóng".encode("cp1258"))
    with pytest.raises(UnreadableFile, match="binary"):
        decode(b"abc\x00def")


def test_empty_file_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_text("\n  \n0:00\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="empty"):
        read_article(p)
