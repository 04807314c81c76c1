"""End to end on a real index of the seeds: the foundation's promises."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from commands import cli, environment, vnsearch

from search import Engine, IndexNotFoundError


def ids(results) -> list[tuple[str, int]]:
    return [(h.article[:3], h.passage) for h in results]


def test_phrase_finds_exactly_the_two_passages(engine: Engine) -> None:
    results = engine.search('"đường ống"')
    assert results.total == 2
    assert sorted(h.article[:3] for h in results) == ["000", "003"]
    for h in results:
        assert all(h.text[s:e] == "đường ống" for s, e in h.highlights)


def test_old_tone_placement_finds_new(engine: Engine) -> None:
    # "thỏa luận" (the seed's slip for "thảo luận") is two words to pyvi, so the plain
    # query also finds a passage holding both apart; the sequence itself ranks first
    results = engine.search("thoả luận")
    assert results[0].article[:3] == "000"
    s, e = results[0].highlights[0]
    assert results[0].text[s:e] == "thỏa luận"
    assert [h.article[:3] for h in engine.search('"thoả luận"')] == ["000"]


def test_unaccented_query_finds_accented_text_and_exact_ranks_first(engine: Engine) -> None:
    folded = engine.search("lang gieng")
    exact = engine.search("láng giềng")
    assert folded.total == exact.total == 3
    assert set(ids(folded)) == set(ids(exact))
    assert all(h.text[s:e] == "láng giềng" for h in folded for s, e in h.highlights)
    # the accented query scores its exact matches above what folding alone earns
    assert min(h.score for h in exact) > max(h.score for h in folded)


def test_marks_typed_are_meant_and_bare_syllables_match_every_form(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Họ đã bàn về đảm bảo an ninh.", encoding="utf-8")
    (docs / "b.txt").write_text("Họ đã bàn về đàm bão an ninh.", encoding="utf-8")
    with Engine.build(tmp_path / "ix", [docs]) as e:
        assert [h.article for h in e.search("đảm bảo")] == ["a"]
        assert {h.article for h in e.search("dam bao")} == {"a", "b"}
        assert [h.article for h in e.search("đàm bão")] == ["b"]


def test_numbers_with_thousands_separator(engine: Engine) -> None:
    results = engine.search("70000 binh sĩ")
    assert ids(results)[0][0] == "002"
    assert "70.000 binh sĩ" in [results[0].text[s:e] for s, e in results[0].highlights]
    assert engine.search("175.000").total == engine.search("175000").total == 1


def test_date_tokens_are_searchable(engine: Engine) -> None:
    full = engine.search("7/12/2021", limit=50)
    # the full date first; then "ngày 7/12" / "ngày 7.12" of the same day, lower
    exact = [h for h in full if "7/12/2021" in h.text]
    assert [h.article[:3] for h in exact] == ["003"] * len(exact) and exact
    assert full.hits[: len(exact)] == exact
    assert {h.article[:3] for h in full.hits[len(exact):]} == {"001", "003"}
    # 8-12 (article 002) and 8.12 (article 001) are one date written two ways
    assert {h.article[:3] for h in engine.search('"8-12"')} == {"001", "002"}


def test_nfd_query_equals_nfc_query(engine: Engine) -> None:
    q = "biên giới Ukraine"
    assert ids(engine.search(unicodedata.normalize("NFD", q))) == ids(engine.search(q))


def test_hit_fields(engine: Engine) -> None:
    hit = engine.search('"không có đột phá"', limit=50).hits
    h = next(h for h in hit if h.article.startswith("003"))
    assert h.title == "Hội đàm Nga-Mỹ không có đột phá cho quan hệ song phương"
    assert h.source == "PLVN"
    d = h.to_dict()
    assert set(d) >= {"article", "passage", "text", "score", "speakers", "date", "title",
                      "source", "highlights"}


def test_paging(engine: Engine) -> None:
    everything = ids(engine.search("Ukraine", limit=100))
    assert ids(engine.search("Ukraine", limit=5, offset=5)) == everything[5:10]


def test_incremental_update_and_removal(tmp_path: Path, seeds: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for p in sorted(seeds.glob("*.txt"))[:2]:
        (docs / p.name).write_bytes(p.read_bytes())
    with Engine.build(tmp_path / "ix", [docs]) as e:
        assert e.last_report.added == 2
        again = e.index([docs])
        assert (again.added, again.unchanged, again.updated) == (0, 2, 0)
        first = sorted(docs.glob("*.txt"))[0]
        first.write_text("Một bài mới về đường ống.", encoding="utf-8")
        (sorted(docs.glob("*.txt"))[1]).unlink()
        report = e.index([docs])
        assert (report.updated, report.removed) == (1, 1)
        assert e.stats() == {"passages": 1, "articles": 1}
        assert e.search("đường ống").total == 1


def test_bad_files_are_skipped_with_reasons(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text("Điện Kremlin cho biết.", encoding="utf-8")
    (docs / "latin.txt").write_bytes("Đá bóng".encode("cp1258"))
    (docs / "empty.txt").write_bytes(b"")
    with Engine.build(tmp_path / "ix", [docs]) as e:
        reasons = {Path(s.path).name: s.reason for s in e.last_report.skipped}
        assert set(reasons) == {"latin.txt", "empty.txt"}
        assert e.search("Kremlin").total == 1


def test_open_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    try:
        Engine.open(tmp_path / "nothing")
    except IndexNotFoundError as exc:
        assert "vnsearch index" in str(exc)
    else:
        raise AssertionError("expected IndexNotFoundError")


@pytest.mark.slow
def test_cli_index_then_query_json_on_the_bundled_seeds(tmp_path: Path) -> None:
    """The README's first command: ``vnsearch index`` builds the seeds, then a query."""
    run = [sys.executable, "-m", "search", "--index", str(tmp_path / "ix")]
    # as installed, not the repo
    built = subprocess.run([*run, "index"], capture_output=True, text=True, cwd=tmp_path)
    assert built.returncode == 0 and "created a new index" in built.stderr
    proc = subprocess.run([*run, "query", '"đường ống"', "--format", "json"],
                          capture_output=True, text=True, check=True, cwd=tmp_path)
    out = json.loads(proc.stdout)
    assert out["total"] == 2 and out["error"] is None
    assert sorted(h["article"][:3] for h in out["hits"]) == ["000", "003"]


def test_totals_count_every_matching_passage(engine: Engine) -> None:
    # Whoosh's AndMaybe used to drop required matches when collected in one pass
    for word in ("Putin", "NATO", "Ukraine", "Nga"):
        containing = sum(1 for p in engine.iter_passages()
                         if any(t.lower() == word.lower()
                                for t in p["text"].replace(",", " ").replace(".", " ").split()))
        bare, quoted = engine.search(word, limit=1), engine.search(f'"{word}"', limit=1)
        assert bare.total + bare.copies >= containing
        # the same passages match; beyond 50 matches the unique total (copies apart) is
        # estimated from the first ones read, which each ranking orders differently
        assert quoted.total + quoted.copies == bare.total + bare.copies


@pytest.mark.slow
def test_a_closed_pipe_is_not_an_error(engine: Engine) -> None:
    # more output than a pipe buffers (64 KiB), so the writer must meet the closed end
    proc = subprocess.Popen(vnsearch("--index", str(engine.path), "query",
                                     "Ukraine OR Nga OR Putin", "--limit", "100", "--explain"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment())
    assert proc.stdout is not None and proc.stdout.read(10)
    proc.stdout.close()  # the reader goes away, as `| head` does
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.wait() == 141
    assert "internal error" not in err and "Traceback" not in err


@pytest.mark.slow
def test_index_progress_says_when_files_are_done_and_the_index_is_being_written(
        tmp_path: Path, seeds: Path) -> None:
    out = cli("--index", str(tmp_path / "ix"), "index", "--progress", str(seeds))
    assert out.returncode == 0, out.stderr
    lines = [line.split("\r")[-1] for line in out.stderr.splitlines()]
    done = next(i for i, line in enumerate(lines) if line.startswith("indexing 5/5 files"))
    assert lines[done + 1] == "writing the index to disk…"
    assert lines[done + 2].startswith("indexed 74 passages")
