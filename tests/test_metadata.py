"""Metadata given with the articles: sidecar NAME.json and JSON Lines input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search import Engine

TEXT = "Ngoại trưởng Sergei Lavrov cho biết Nga sẵn sàng đối thoại.\nTheo Tuổi trẻ\n"


def test_sidecar_wins_over_the_text(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(TEXT, encoding="utf-8")
    (docs / "a.json").write_text(json.dumps({
        "title": "Lavrov nói về đối thoại", "date": "2022-01-15T08:30:00+07:00",
        "source": "VnExpress", "url": "https://example.org/a"}), encoding="utf-8")
    with Engine.build(tmp_path / "ix", [docs]) as e:
        hit = e.search("Lavrov")[0]
        assert (hit.title, hit.date, hit.source) == ("Lavrov nói về đối thoại", "2022-01-15",
                                                     "VnExpress")
        assert hit.speakers == ["Sergei Lavrov"]
        assert e.search("source:vnexpress date:2022-01").total == 1
        assert e.search('source:"tuoi tre"').total == 0
        assert e.search("title:đối thoại").total == 1


def test_bad_metadata_is_reported_and_ignored(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(TEXT, encoding="utf-8")
    (docs / "a.json").write_text(json.dumps({"date": "2021-13-45", "source": 7}),
                                 encoding="utf-8")
    (docs / "b.txt").write_text(TEXT, encoding="utf-8")
    (docs / "b.json").write_text("{not json", encoding="utf-8")
    with Engine.build(tmp_path / "ix", [docs]) as e:
        notes = e.last_report.notes
        assert any("bad date '2021-13-45'" in n for n in notes)
        assert any("source must be a non-empty string" in n for n in notes)
        assert any("not valid JSON" in n for n in notes)
        assert e.stats()["articles"] == 2
        hit = e.search("Lavrov")[0]
        assert hit.date is None and hit.source == "Tuổi trẻ"


def test_changing_a_sidecar_reindexes_the_article(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(TEXT, encoding="utf-8")
    with Engine.build(tmp_path / "ix", [docs]) as e:
        (docs / "a.json").write_text(json.dumps({"source": "PLVN"}), encoding="utf-8")
        assert e.index([docs]).updated == 1
        assert e.search("source:PLVN").total == 1


@pytest.mark.slow
def test_json_lines_input(tmp_path: Path) -> None:
    lines = [
        {"id": "x1", "text": "Điện Kremlin cho biết ông Putin sẵn sàng.\nĐoạn hai về NATO.",
         "date": "2021-12-07", "source": "TASS"},
        {"id": "x2", "text": "Nhà Trắng cho biết không có nhượng bộ.", "date": "not a date"},
        {"text": "no id"},
        "not an object",
    ]
    path = tmp_path / "crawl.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n{bad\n",
                    encoding="utf-8")
    with Engine.build(tmp_path / "ix", [path]) as e:
        report = e.last_report
        assert report.added == 2 and report.passages == 3
        assert sorted(s.path.rsplit(":", 1)[1] for s in report.skipped) == ["3", "4", "5"]
        assert any("bad date" in n for n in report.notes)
        assert [h.article for h in e.search("date:2021-12 source:tass")] == ["crawl/x1",
                                                                                "crawl/x1"]
        assert e.search("speaker:kremlin").hits[0].article == "crawl/x1"
        # dropping an article from the file removes it from the index
        path.write_text(json.dumps(lines[0], ensure_ascii=False) + "\n", encoding="utf-8")
        again = e.index([path])
        assert (again.removed, again.unchanged) == (1, 1)
        assert e.stats()["articles"] == 1
