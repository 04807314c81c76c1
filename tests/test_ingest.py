"""Reading files and cutting articles into passages, on the seeds and on bad input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from search.ingest.articles import UnreadableFile, decode, read_article
from search.ingest.model import Skipped
from search.ingest.passages import build_article
from search.ingest.sources import credit_line, lead_source
from search.ingest.walk import discover


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


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Theo Tuổi trẻ", "Tuổi trẻ"),
        ("Nguồn: VnExpress", "VnExpress"),
        ("Theo Bloomberg, ông Biden dự định sẽ thảo luận về kết quả.", None),
        ("Theo Điện Kremlin, Tổng thống Nga Vladimir Putin và người đồng cấp", None),
    ],
)
def test_credit_line(line: str, expected: str | None) -> None:
    assert credit_line(line) == expected


def test_lead_source() -> None:
    assert lead_source("(PLVN) - Không có đột phá nào") == "PLVN"
    assert lead_source("(giờ Việt Nam) là") is None


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


def test_discover_recurses_and_reports_missing(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "y.md").write_text("y", encoding="utf-8")
    found = list(discover([tmp_path, tmp_path / "missing"]))
    assert found[0] == tmp_path / "a" / "b" / "x.txt"
    assert isinstance(found[1], Skipped) and "no such file" in found[1].reason
    assert len(found) == 2


def test_build_article_keeps_nfd_text() -> None:
    import unicodedata

    raw = unicodedata.normalize("NFD", "Đoạn một có dấu.\nĐoạn hai.")
    a = build_article("x", raw)
    assert a.passages[0].text == raw.splitlines()[0]
