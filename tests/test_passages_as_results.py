"""Hits as passages: highlights, duplicates, cropping, explain, suggestions."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from commands import cli
from engines import require_engine

from search import Engine, Hit
from search.backends import ENGINES
from search.render import CROP_AT, ELLIPSIS, crop, format_results


def test_highlights_are_offsets_into_nfd_and_old_tone_text(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    raw = unicodedata.normalize("NFD", "Hai bên đã thoả thuận về đảm bảo an ninh.")
    (docs / "a.txt").write_text(raw, encoding="utf-8")
    with Engine.build(tmp_path / "ix", [docs]) as e:
        for query in ("thỏa thuận", "thoa thuan", "dam bao", unicodedata.normalize("NFD", "đảm")):
            hit = e.search(query)[0]
            shown = [unicodedata.normalize("NFC", hit.text[s:e]) for s, e in hit.highlights]
            assert shown and all(x in ("thoả thuận", "đảm bảo", "đảm") for x in shown), query


def test_wire_copy_is_one_hit_naming_the_other(engine: Engine) -> None:
    results = engine.search("ngân hàng đồng rúp", limit=5)
    a = results.hits[0]
    assert a.article[:3] in ("000", "003") and len(a.duplicates) == 1
    assert a.duplicates[0][:3] == ({"000", "003"} - {a.article[:3]}).pop()
    assert a.text not in [h.text for h in results.hits[1:]] and results.copies >= 1
    text = format_results(engine.search("ngân hàng đồng rúp", limit=2), color=False)
    assert text.count("Một quan chức cho biết") == 1 and "also in" in text


@pytest.mark.parametrize("backend", ENGINES)
def test_wire_copy_printed_many_times_is_counted_and_listed_up_to_a_cap(
        tmp_path: Path, backend: str) -> None:
    from search.engine import COPIES_LISTED

    require_engine(backend)

    docs = tmp_path / "docs"
    docs.mkdir()
    wire = "Ngoại trưởng Lavrov cho biết Moskva sẵn sàng đối thoại."
    for i in range(COPIES_LISTED + 5):
        (docs / f"{i:03}.txt").write_text(f"Tin số {i}\n\n{wire}\n", encoding="utf-8")
    with Engine.build(tmp_path / "ix", [docs], engine=backend) as e:
        results = e.search('"sẵn sàng đối thoại"', limit=3)
        hit = results[0]
        assert hit.duplicate_count == COPIES_LISTED + 4  # every other article
        assert len(hit.duplicates) == COPIES_LISTED
        assert f"{hit.article}#{hit.passage}" not in hit.duplicates
        assert "and 4 more" in format_results(results, color=False)


def test_long_passages_are_cropped_around_the_matches(engine: Engine) -> None:
    hit = engine.search("Brussels")[0]
    assert len(hit.text) > CROP_AT
    shown, spans = crop(hit)
    assert shown.startswith(ELLIPSIS) and len(shown) < len(hit.text)
    assert [shown[s:e] for s, e in spans] == ["Brussels"]
    short = Hit(article="x", passage=1, text="ngắn", score=1.0, highlights=[[0, 4]])
    assert crop(short) == ("ngắn", [[0, 4]])


def test_bold_only_on_a_terminal(engine: Engine) -> None:
    results = engine.search("Brussels")
    assert "\x1b[1mBrussels\x1b[0m" in format_results(results, color=True)
    assert "\x1b[" not in format_results(results, color=False)


def test_explain_a_hit(engine: Engine) -> None:
    hit = engine.search("đảm bảo an ninh")[0]
    info = engine.explain("đảm bảo an ninh", hit)
    assert info["hit"] == f"{hit.article}#{hit.passage}"
    clauses = {c["clause"]: c for c in info["clauses"]}
    assert set(clauses) == {"đảm bảo", "an ninh"}
    fields = {f["field"] for f in clauses["đảm bảo"]["fields"]}
    # typed with its marks, a word matches its exact syllables only: no folded leaf;
    # typed bare ("an" and "ninh" have no marks), the folded match and the exact bonus
    assert "syl" in fields and "fold" not in fields
    assert {"syl", "fold"} <= {f["field"] for f in clauses["an ninh"]["fields"]}
    assert any(r.startswith("segmented: 'đảm bảo'") for r in info["rewrites"])
    variants = engine.explain("Moskva")["rewrites"]
    assert any(r.startswith("variants: 'moskva' also finds moscow") for r in variants)


def test_json_output_carries_partial_duplicates_and_suggestions(engine: Engine) -> None:
    out = cli("--index", str(engine.path), "query", "--format", "json", "Kremlinn")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["hits"] == [] and data["suggestions"][0]["query"] == "Kremlin"
    out = cli("--index", str(engine.path), "query", "--format", "json", "--explain",
              "ngân hàng đồng rúp")
    assert out.returncode == 0, out.stderr
    hit = json.loads(out.stdout)["hits"][0]
    assert {"partial", "missing", "duplicates", "explain"} <= set(hit)
    assert hit["explain"]["clauses"]
