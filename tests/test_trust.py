"""Issue 18: nothing indexed is lost or mixed up, and every mistake gets a clear
answer. Real indexes on disk, real pyvi, the real command line."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from commands import cli, environment, vnsearch

from search import Engine

ROOT = Path(__file__).resolve().parents[1]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def ids(engine: Engine, query: str) -> set[str]:
    return {h.article for h in engine.search(query, limit=50)}


# 1. ids --------------------------------------------------------------------------
def test_same_named_files_in_two_folders_both_stay(tmp_path: Path) -> None:
    coll = tmp_path / "coll"
    write(coll / "2021" / "001.txt", "Tổng thống Putin cho biết Nga sẵn sàng đàm phán.")
    write(coll / "2022" / "001.txt", "Tổng thống Zelensky cho biết Ukraine sẵn sàng.")
    index = tmp_path / "ix"
    for run in range(3):
        with Engine.build(index, [coll]) as e:
            report = e.last_report
            assert report is not None
            assert (report.added, report.updated) == ((2, 0) if run == 0 else (0, 0))
            assert ids(e, "Putin") == {"2021/001"} and ids(e, "Zelensky") == {"2022/001"}


def test_jsonl_ids_are_namespaced_and_collisions_name_both_sources(tmp_path: Path) -> None:
    coll = tmp_path / "coll"
    write(coll / "a.jsonl", json.dumps({"id": 7, "text": "Ông Biden nói về NATO."}) + "\n"
          + json.dumps({"id": 7, "text": "Ông Blinken nói về Nga."}) + "\n")
    write(coll / "b.jsonl", json.dumps({"id": 7, "text": "Ông Macron nói về Pháp."}) + "\n")
    write(coll / "a" / "7.txt", "Ông Scholz nói về Đức.")
    with Engine.build(tmp_path / "ix", [coll]) as e:
        report = e.last_report
        assert report is not None
        assert ids(e, "Macron") == {"b/7"} and ids(e, "Blinken") == set()
        # a/7.txt comes first (a folder sorts before a.jsonl): it keeps the id
        assert ids(e, "Scholz") == {"a/7"} and ids(e, "Biden") == set()
        clashes = [str(s) for s in report.skipped if "already taken" in s.reason]
        assert len(clashes) == 2
        assert all(str(coll / "a" / "7.txt") in c for c in clashes)
        assert {c.split(": ")[0] for c in clashes} == {f"{coll / 'a.jsonl'}:1",
                                                      f"{coll / 'a.jsonl'}:2"}


def test_seed_ids_are_unchanged(engine: Engine) -> None:
    assert "003_12f5a146de662289" in ids(engine, '"đường ống"')


def test_an_index_with_bare_ids_keeps_them_and_gains_the_lost_article(tmp_path: Path) -> None:
    """An index where ``001`` stood for a file in a subfolder (how ids were made
    before) keeps working: that file keeps its id, the other gets its own."""
    coll = tmp_path / "coll"
    write(coll / "2021" / "001.txt", "Tổng thống Putin cho biết Nga sẵn sàng đàm phán.")
    write(coll / "2022" / "001.txt", "Tổng thống Zelensky cho biết Ukraine sẵn sàng.")
    index = tmp_path / "ix"
    Engine.build(index, [coll / "2021"]).close()  # ids relative to 2021/: bare "001"
    with Engine.build(index, [coll]) as e:
        assert ids(e, "Putin") == {"001"} and ids(e, "Zelensky") == {"2022/001"}
        assert e.last_report is not None and e.last_report.unchanged == 1


# 2. no paths: the index's own roots ---------------------------------------------
def test_index_without_paths_rescans_the_recorded_roots_not_the_seeds(tmp_path: Path) -> None:
    coll = tmp_path / "coll"
    write(coll / "x.txt", "Ông Scholz nói về Đức.")
    index = tmp_path / "ix"
    Engine.build(index, [coll]).close()
    write(coll / "y.txt", "Ông Macron nói về Pháp.")
    with Engine.build(index) as e:
        assert ids(e, "Macron") == {"y"}
        assert e.stats()["articles"] == 2  # no seed article came in
        assert e.roots() == [str(coll.resolve())]


# 3. --index only where nothing is -------------------------------------------------
@pytest.mark.slow
def test_a_folder_of_other_files_is_refused_and_left_untouched(tmp_path: Path) -> None:
    own = tmp_path / "docs"
    write(own / "letter.odt", "not an index")
    before = sorted(p.name for p in own.iterdir())
    proc = cli("--index", str(own), "query", "Putin")
    assert proc.returncode == 2 and "not a vnsearch index" in proc.stderr
    assert str(own) in proc.stderr and "Traceback" not in proc.stderr
    proc = cli("--index", str(own), "index", str(ROOT / "seeds"))
    assert proc.returncode == 2 and "not a vnsearch index" in proc.stderr
    assert sorted(p.name for p in own.iterdir()) == before
    a_file = tmp_path / "file"
    a_file.write_text("x")
    proc = cli("query", "Putin", env={**os.environ, "VNSEARCH_INDEX": str(a_file)})
    assert proc.returncode == 2 and f"{a_file} is a file" in proc.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = cli("--index", str(empty), "query", "Putin")  # a query never creates an index
    assert proc.returncode == 2 and f"no index at {empty}" in proc.stderr
    proc = cli("--index", str(empty), "index")
    assert proc.returncode == 0 and f"created a new index at {empty}" in proc.stderr


# 4. wire copies --------------------------------------------------------------------
@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory, seeds: Path):
    """The seeds and 21 copies of each, in folders of their own."""
    folder = tmp_path_factory.mktemp("wire")
    for n in range(22):
        for f in seeds.glob("*.txt"):
            write(folder / f"copy{n:02d}" / f.name, f.read_text(encoding="utf-8"))
    with Engine.build(tmp_path_factory.mktemp("wire-ix"), [folder]) as e:
        yield e


def test_a_wire_copy_is_listed_once_across_pages_and_limits(wire: Engine) -> None:
    from search.retrieval.searcher import COPIES_SAMPLE_SIZE

    few = wire.search('"đường ống"', limit=10)  # 2 passages, 22 prints each: counted exactly
    assert few.total == len(few.hits) == 2 and few.copies == 2 * 21
    assert {h.duplicate_count for h in few} == {21}
    first = wire.search("Putin", limit=10)
    texts = [h.text for h in first]
    assert len(texts) == len(set(texts)) and first.hits[0].duplicate_count == 21
    everything = wire.search("Putin", limit=1000)
    unique = [h.text for h in everything]
    assert len(unique) == len(set(unique)) and len(unique) * 22 > COPIES_SAMPLE_SIZE  # estimated
    assert abs(first.total - len(unique)) <= 0.1 * len(unique)  # the estimate is close
    assert first.total + first.copies == len(unique) * 22  # every match is in one or other
    paged = []
    for offset in range(0, len(unique) + 10, 3):
        paged += [h.text for h in wire.search("Putin", limit=3, offset=offset)]
    assert paged == unique  # each once, in the same order, whatever the page size
    as_json = wire.search("Putin", limit=100).to_dict()  # reads every match: exact
    assert [h["text"] for h in as_json["hits"]] == unique
    assert (as_json["total"], as_json["copies"]) == (len(unique), len(unique) * 21)


@pytest.mark.slow
def test_the_console_pages_through_copies_once(wire: Engine) -> None:
    from search.repl.commands import Console

    console = Console(wire, color=False, limit=4)
    shown = [console.handle("Putin")]
    while "no more results" not in shown[-1]:
        shown.append(console.handle(":more"))
    ranks = [m.group(1) for page in shown for line in page.splitlines()
             if (m := re.match(r"\s*(\d+)\. ", line))]
    assert ranks == [str(n) for n in range(1, len(ranks) + 1)]
    assert len(ranks) == len(wire.search("Putin", limit=1000).hits)


# 6. JSON Lines crawls -----------------------------------------------------------------
def _crawl_line(n: int) -> str:
    return json.dumps({"id": f"a{n}", "text": f"Bài số {n}: ông Lavrov cho biết Nga sẵn sàng."},
                      ensure_ascii=False)


def test_a_large_compressed_crawl_streams_and_reindexes_only_what_changed(
        tmp_path: Path) -> None:
    lines = [_crawl_line(n) for n in range(450)]
    lines[300] = '{"id": "broken", "text": '  # cut mid-line, as a crawler might leave it
    crawl = tmp_path / "crawl.jsonl.gz"
    with gzip.open(crawl, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    seen: list[str] = []
    with Engine.build(tmp_path / "ix", [crawl], workers=1,
                      progress=lambda done, total, label: seen.append(label)) as e:
        report = e.last_report
        assert report is not None and report.added == 449
        assert [str(s) for s in report.skipped] == [f"{crawl}:301: not valid JSON "
                                                    "(Expecting value)"]
        assert f"{crawl}:201" in seen and f"{crawl}:401" in seen  # progress within the file
        assert e.search("article:crawl/a449").total == 1
        lines[7] = _crawl_line(7).replace("Nga", "Ukraine")
        with gzip.open(crawl, "wt", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        again = e.index([crawl])
        assert (again.updated, again.unchanged, again.added, again.removed) == (1, 448, 0, 0)


def test_a_jsonl_over_the_old_32_mib_limit_is_read(tmp_path: Path) -> None:
    crawl = tmp_path / "big.jsonl"
    with crawl.open("w", encoding="utf-8") as f:
        f.write(_crawl_line(1) + "\n")
        f.write((" " * 1023 + "\n") * (33 * 1024))  # 33 MiB of blank lines
        f.write(_crawl_line(2) + "\n")
    with Engine.build(tmp_path / "ix", [crawl], workers=1) as e:
        assert e.last_report is not None and e.last_report.added == 2


# 5. pyvi's model --------------------------------------------------------------------
@pytest.mark.slow
def test_loading_pyvi_leaves_no_file_behind_even_on_kill_9(tmp_path: Path) -> None:
    private = tmp_path / "tmp"
    private.mkdir()
    code = ("from search.analysis.segment import segment\n"
            "print(len(segment('Tổng thống Vladimir Putin cho biết')), flush=True)\n"
            "import time; time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "TMPDIR": str(private)})
    try:
        assert proc.stdout is not None and int(proc.stdout.readline()) > 0  # model in use
    finally:
        proc.kill()
        proc.wait()
    assert list(private.iterdir()) == []


# 7. untrusted text never drives the terminal ---------------------------------------------
HOSTILE = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x1b\\\u202e\x9b31m\x85\x07"


def _no_controls(text: str) -> bool:
    return not any(c in text for c in "\x1b\x07\x9b\x85\u202e")


@pytest.mark.slow
def test_hostile_text_is_stripped_at_ingest_and_never_printed(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "evil.txt", f"Tiêu đề{HOSTILE} lạ\nÔng Putin{HOSTILE} cho biết Nga "
          f"sẵn sàng đàm phán.{HOSTILE}\nĐoạn hai về NATO{HOSTILE}.\n")
    write(docs / "evil.json", json.dumps({"title": f"Tựa{HOSTILE} đề", "source": f"B{HOSTILE}C"}))
    index = tmp_path / "ix"
    with Engine.build(index, [docs]) as e:
        hit = e.search("Putin").hits[0]
        assert _no_controls(hit.text + (hit.title or "") + (hit.source or ""))
        assert hit.text == "Ông Putin cho biết Nga sẵn sàng đàm phán."  # nothing else lost
        from search.repl.commands import Console

        console = Console(e, color=False)
        for line in ("Putin", ":open 1", ":speakers", f"Putin{HOSTILE}", ":explain 1"):
            assert _no_controls(console.handle(line)), line
    for args in (["query", "Putin"], ["query", f"Putin {HOSTILE}"], ["speakers"],
                 ["explain", f"Putin{HOSTILE}"], ["query", f'"Putin{HOSTILE}']):
        proc = cli("--index", str(index), *args)
        assert _no_controls(proc.stdout + proc.stderr), args


def test_text_handed_to_the_printer_is_made_visible_keeping_offsets() -> None:
    from search import Hit, Results
    from search.render import format_results

    text = f"a\x1b[2Jb NATO {HOSTILE}"
    start = text.index("NATO")
    hit = Hit(article="x\x1b]0;t\x07", passage=1, text=text, score=1.0,
              speakers=[f"S{HOSTILE}"], highlights=[[start, start + 4]])
    out = format_results(Results("NATO", [hit], 1, 1.0), color=True)
    assert "\x1b[1mNATO\x1b[0m" in out  # the highlight is still on the word
    assert _no_controls(out.replace("\x1b[1m", "").replace("\x1b[0m", ""))
    assert "␛[2J" in out  # visible, not acted on
    assert Results("NATO", [hit], 1, 1.0).to_dict()["hits"][0]["text"] == text  # JSON exact


# 8, 10, 12: mistakes and the environment get one clear line and a documented status -------
@pytest.mark.slow
@pytest.mark.parametrize("args", [["query", "Putin", "--limit", "0"],
                                  ["query", "Putin", "--limit", "-1"],
                                  ["query", "Putin", "--offset", "-5"],
                                  ["batch", "-", "--limit", "0"],
                                  ["index", "--workers", "0"]])
def test_bad_options_are_usage_errors(tmp_path: Path, args: list[str]) -> None:
    proc = cli("--index", str(tmp_path / "ix"), *args, input="")
    assert proc.returncode == 2 and "damaged" not in proc.stderr
    assert "must be" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "ix").exists()  # refused before anything was built


@pytest.mark.parametrize("limit, offset", [(0, 0), (-1, 0), (10, -5), (1.5, 0)])
def test_search_rejects_bad_limits_with_a_value_error(engine: Engine, limit: object,
                                                      offset: int) -> None:
    with pytest.raises(ValueError, match="must be"):
        engine.search("Putin", limit=limit, offset=offset)  # type: ignore[arg-type]


@pytest.mark.slow
def test_workers_are_capped_with_a_message(engine: Engine) -> None:
    proc = cli("--index", str(engine.path), "batch", "-", "--workers", "1000",
               input="Putin\nNATO\n")
    assert proc.returncode == 0 and "--workers 1000 capped at" in proc.stderr
    assert len(proc.stdout.splitlines()) == 2


@pytest.mark.slow
def test_global_options_after_the_command(tmp_path: Path, seeds: Path) -> None:
    index = tmp_path / "ix"
    proc = cli("index", str(seeds / "003_12f5a146de662289.txt"), "--index", str(index))
    assert proc.returncode == 0, proc.stderr
    proc = cli("query", "Putin", "--index", str(index), "--format", "json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["hits"][0]["article"] == \
        "003_12f5a146de662289"
    assert cli("--help").stdout.count("later issues") == 0


@pytest.mark.slow
def test_eval_refuses_what_it_cannot_read(tmp_path: Path, engine: Engine) -> None:
    qrels = ROOT / "tests" / "data" / "relevance" / "qrels.txt"
    spaced = write(tmp_path / "q.txt", "Q1 Putin\nQ2 NATO\n")
    proc = cli("--index", str(engine.path), "eval", str(spaced), str(qrels))
    assert proc.returncode == 2 and f"{spaced}:1: not a query line" in proc.stderr
    missing = tmp_path / "nope.tsv"
    proc = cli("--index", str(engine.path), "eval", str(missing), str(qrels))
    assert proc.returncode == 4 and proc.stderr.strip() == \
        f"vnsearch: {missing}: No such file or directory [ENOENT]"


@pytest.mark.slow
def test_an_index_path_that_is_a_file_or_unreadable(tmp_path: Path) -> None:
    a_file = write(tmp_path / "f", "x")
    for args in (["query", "x"], ["index"]):
        proc = cli(*args, env={**os.environ, "VNSEARCH_INDEX": str(a_file)})
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
        assert f"{a_file} is a file, not an index folder" in proc.stderr


# 10. a full or read-only disk ----------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path):
    """A 1.5 MB tmpfs: a real full file system (needs the right to mount)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", str(mnt)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


@pytest.mark.slow
def test_a_full_then_read_only_disk_is_named_and_leaves_the_index_as_it_was(
        small_disk: Path, tmp_path: Path, seeds: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import Generator

    corpus = tmp_path / "corpus"
    for name, text in Generator(3).articles(60):
        write(corpus / f"{name}.txt", text)
    index = small_disk / "ix"
    Engine.build(index, [seeds], engine="whoosh").close()
    with Engine.open(index) as e:
        before = [(h.article, h.passage) for h in e.search("Putin", limit=50)]
    # twice in one long-lived process (as the console's :reindex): Whoosh's cancel fails on
    # the full disk before releasing its write lock, which must be released all the same,
    # so the second try meets the full disk again, not "another process is writing"
    update = ("import sys\nfrom search import Engine, IndexBusyError\n"
              "e = Engine.open(sys.argv[1])\n"
              "e._backend.pool_mb = 0.02\n"  # spill sorted runs early, as a big update does
              "for _ in range(2):\n"
              "    try:\n        e.index([sys.argv[2]])\n"
              "    except IndexBusyError:\n        print('busy')\n"
              "    except OSError as exc:\n        print(exc.errno)\n")
    proc = subprocess.run([sys.executable, "-c", update, str(index), str(corpus)], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.stdout.split() == ["28", "28"], proc.stderr  # ENOSPC, twice
    assert not [p.name for p in index.iterdir() if p.name.endswith(".tmp")]  # spill removed
    with Engine.open(index) as e:
        assert [(h.article, h.passage) for h in e.search("Putin", limit=50)] == before
    proc = cli("--index", str(index), "index", str(corpus), "--workers", "1")
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith(f"vnsearch: {index}")
    assert "No space left on device [ENOSPC]" in proc.stderr
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    proc = cli("--index", str(index), "index", str(seeds))
    assert proc.returncode == 4 and proc.stderr.strip() == \
        f"vnsearch: {index / 'vnsearch.lock'}: Read-only file system [EROFS]"
    proc = cli("--index", str(index), "query", "Putin", "--format", "json")
    assert proc.returncode == 0 and len(json.loads(proc.stdout)["hits"]) == min(10, len(before))


# 11. Ctrl-C while indexing ---------------------------------------------------------------
@pytest.mark.slow
def test_ctrl_c_while_indexing_prints_one_line_and_keeps_the_index(tmp_path: Path,
                                                                   seeds: Path) -> None:
    import signal
    import time

    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import Generator

    corpus = tmp_path / "corpus"
    for name, text in Generator(5).articles(400):
        write(corpus / f"{name}.txt", text)
    index = tmp_path / "ix"
    Engine.build(index, [seeds]).close()
    with Engine.open(index) as e:
        before = [(h.article, h.passage, h.score) for h in e.search("Putin", limit=50)]
    proc = subprocess.Popen(
        vnsearch("--index", str(index), "index", str(corpus), "--workers", "2", "--progress"),
        cwd=ROOT, stderr=subprocess.PIPE, text=True, env=environment(),
        start_new_session=True)  # its own process group, as a terminal's foreground job
    assert proc.stderr is not None
    progress = ""
    while "indexing 25/" not in progress:  # workers are analysing
        char = proc.stderr.read(1)
        assert char, progress
        progress += char
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: the whole group
    rest = proc.stderr.read()
    assert proc.wait() == 130
    lines = [line for line in rest.split("\n") if line.strip()]  # "\r" redraws progress
    assert lines[-1] == "interrupted"
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest
    # progress lines (as many as the machine's speed allowed), then "interrupted"
    assert all(re.search(r"\d+ files/s\)$", line) for line in lines[:-1]), lines
    with Engine.open(index) as e:
        assert [(h.article, h.passage, h.score) for h in e.search("Putin", limit=50)] == before


# 13. the console ---------------------------------------------------------------------------
def test_ctrl_c_and_ctrl_d_leave_the_history_search(engine: Engine) -> None:
    from prompt_toolkit.history import InMemoryHistory
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from search.repl.app import run

    history = InMemoryHistory()
    with create_pipe_input() as inp:
        # Ctrl-R, type, then Ctrl-C or Ctrl-D: out of the search, so what is typed next is
        # a query again (before, both keys did nothing and only Esc left the search)
        inp.send_text("Lavrov\r\x12Lav\x03NATO\r\x12Lav\x04X\r:quit\r")
        assert run(engine, input=inp, output=DummyOutput(), history=history) == 0
    assert list(history.load_history_strings())[::-1] == ["Lavrov", "NATO", "X", ":quit"]


def test_open_takes_numbers_from_every_page_and_explains_a_bad_one(engine: Engine) -> None:
    from search.repl.commands import Console

    console = Console(engine, color=False, limit=3)
    console.handle("Ukraine")
    console.handle(":more")
    assert ":open N" in console.handle(":open abc") and "Error" not in console.handle(":open x")
    for n in (1, 4, 6):
        opened = console.handle(f":open {n}")
        assert opened.count(">>>") == 1, n
    assert "no hit 7: the hits shown are 1-6" in console.handle(":open 7")
    assert "score:" in console.handle(":explain 2")


def test_completion_learns_new_speakers_after_reindex(tmp_path: Path) -> None:
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from search.repl.app import QueryCompleter
    from search.repl.commands import Console

    docs = tmp_path / "docs"
    write(docs / "a.txt", "Ông Olaf Scholz cho biết Đức sẵn sàng.")
    with Engine.build(tmp_path / "ix", [docs]) as e:
        console = Console(e, color=False)
        completer = QueryCompleter(e, console)
        def names() -> list[str]:
            return [c.text for c in completer.get_completions(
                Document("speaker:"), CompleteEvent())]
        assert names() == ['speaker:"Olaf Scholz"']
        write(docs / "b.txt", "Tổng thống Emmanuel Macron cho biết Pháp ủng hộ.")
        console.handle(":reindex")
        assert sorted(names()) == ['speaker:"Emmanuel Macron"', 'speaker:"Olaf Scholz"']


# 14. rough edges ---------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["a", "b", "xq"])
def test_one_or_two_letters_get_no_spelling_guess(engine: Engine, typed: str) -> None:
    tips = engine.search(typed).suggestions
    assert tips and all(t.query is None and "did you mean" not in t.message for t in tips)
    assert tips[0].message == f"'{typed}' is not in the index"


def test_a_longer_typo_is_still_corrected(engine: Engine) -> None:
    assert any(t.query == "Kremlin" for t in engine.search("Kremlinn").suggestions)


def test_a_sidecar_title_keeps_a_different_first_line(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "a.txt", "Nga và Ukraine nối lại đàm phán\nĐoạn hai về NATO.\n")
    write(docs / "a.json", json.dumps({"title": "Tựa đề do trang báo đặt"}))
    write(docs / "b.txt", "Nga và Ukraine nối lại đàm phán\nĐoạn hai về NATO.\n")
    write(docs / "b.json", json.dumps({"title": "nga và ukraine  nối lại đàm phán"}))
    with Engine.build(tmp_path / "ix", [docs]) as e:
        a, b = e.article("a"), e.article("b")
        assert [p["text"] for p in a][0] == "Nga và Ukraine nối lại đàm phán"
        assert a[0]["title"] == "Tựa đề do trang báo đặt"
        assert [p["text"] for p in b] == ["Đoạn hai về NATO."]  # the same title: dropped


@pytest.mark.slow
def test_json_errors_have_one_shape_everywhere(engine: Engine) -> None:
    ok = json.loads(cli("--index", str(engine.path), "query", "Putin", "--format",
                        "json").stdout)
    for args in (["query", "NATO AND", "--format", "json"],
                 ["explain", "NATO AND", "--format", "json"]):
        proc = cli("--index", str(engine.path), *args)
        bad = json.loads(proc.stdout)
        assert proc.returncode == 2 and set(bad) == set(ok)
        assert bad["error"] == {"message": "AND needs a term after it", "position": 5,
                                "hint": "add a term after AND, or remove it"}
    proc = cli("--index", str(engine.path), "batch", "-", input="NATO AND\n{bad\n")
    for line in proc.stdout.splitlines():
        assert set(json.loads(line)) == set(ok) | {"id"}


@pytest.mark.slow
def test_batch_warns_about_repeated_ids(engine: Engine) -> None:
    queries = "\n".join(json.dumps({"id": qid, "query": q})
                        for qid, q in [("q1", "Putin"), ("q1", "NATO"), ("q2", "Nga")])
    proc = cli("--index", str(engine.path), "batch", "-", "--format", "trec", input=queries)
    assert proc.returncode == 0
    assert "warning: repeated query ids 'q1' (2 times)" in proc.stderr


@pytest.mark.slow
def test_speakers_says_when_none_matched(engine: Engine) -> None:
    proc = cli("--index", str(engine.path), "speakers", "zzz")
    assert proc.returncode == 0 and proc.stdout == ""
    assert proc.stderr.strip() == "no speaker matches 'zzz'"


# 16. the README's figures come from the command it shows ------------------------------------
def test_readme_relevance_figures_are_what_eval_measures(engine: Engine) -> None:
    from search.evaluation import baseline_run, engine_run, evaluate, read_qrels, read_queries

    data = ROOT / "tests" / "data" / "relevance"
    queries, qrels = read_queries(data / "queries.tsv"), read_qrels(data / "qrels.txt")
    ours = evaluate(qrels, engine_run(engine, queries)).total
    naive = evaluate(qrels, baseline_run(engine, queries)).total
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    names = ("nDCG@10", "MRR@10", "Recall@10")
    stated = (f"{len(queries)} judged queries on the seeds" in readme,
              f"nDCG@10 {ours['nDCG@10']:.3f}, MRR@10 {ours['MRR@10']:.3f}, "
              f"Recall@10 {ours['Recall@10']:.3f}, against "
              + " / ".join(f"{naive[n]:.3f}" for n in names) in readme)
    assert stated == (True, True), {n: (round(ours[n], 3), round(naive[n], 3)) for n in names}


def test_a_cut_gzip_crawl_keeps_what_it_holds_and_loses_nothing_indexed(
        tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.jsonl.gz"
    whole = gzip.compress(("\n".join(_crawl_line(n) for n in range(300)) + "\n").encode())
    crawl.write_bytes(whole)
    with Engine.build(tmp_path / "ix", [crawl], workers=1) as e:
        assert e.last_report is not None and e.last_report.added == 300
        crawl.write_bytes(whole[: len(whole) // 2])  # a copy cut short
        again = e.index([crawl])
        [cut] = again.skipped
        assert cut.path == str(crawl) and "damaged or cut short" in cut.reason
        assert again.removed == 0 and e.stats()["articles"] == 300
