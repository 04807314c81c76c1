"""Issue 22: what ``vnsearch index`` is given, and where an index may be created.
Real folders, links, pipes and files; the real command line for exit statuses."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from commands import cli, environment, vnsearch

from search import Engine
from search.errors import IndexNotFoundError, UsageError
from search.indexing.indexer import NothingReadError

ROOT = Path(__file__).resolve().parents[1]
PUTIN = "Tổng thống Putin cho biết Nga sẵn sàng đàm phán.\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def reasons(engine: Engine) -> dict[str, str]:
    assert engine.last_report is not None
    return {Path(s.path).name: s.reason for s in engine.last_report.skipped}


# item 4: a named pipe never blocks the run
def test_a_named_pipe_is_skipped_not_waited_on(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "a.txt", PUTIN)
    os.mkfifo(docs / "pipe.txt")
    os.mkfifo(docs / "feed.jsonl")
    proc = cli("--index", str(tmp_path / "ix"), "index", str(docs), timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert f"skipped {docs / 'pipe.txt'}: a named pipe" in proc.stderr
    assert f"skipped {docs / 'feed.jsonl'}: a named pipe" in proc.stderr
    # named on its own too
    proc = cli("--index", str(tmp_path / "ix"), "index", str(docs / "pipe.txt"), timeout=60)
    assert proc.returncode == 1 and "a named pipe" in proc.stderr


# item 10: files that are not articles are named and counted
def test_files_that_are_not_articles_are_named_and_counted(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for name in ("report.docx", "scan.pdf", "page.html", "notes.md"):
        write(docs / name, "Putin")
    write(docs / "a.txt", PUTIN)
    write(docs / "a.json", json.dumps({"title": "Putin"}))  # a sidecar: metadata, not "other"
    write(docs / ".hidden", "x")
    proc = cli("--index", str(tmp_path / "ix"), "index", str(docs))
    assert proc.returncode == 1
    not_read = sorted(line for line in proc.stderr.splitlines() if line.startswith("not read"))
    assert not_read == [f"not read {docs / n}: not an article file (only .txt, .jsonl and "
                        ".jsonl.gz files hold articles)"
                        for n in ("notes.md", "page.html", "report.docx", "scan.pdf")]
    assert "1 added" in proc.stderr and "4 other files not read" in proc.stderr


# item 11: links to folders are followed once; loops and second ways are reported
def test_links_to_folders_are_followed_once_and_loops_reported(tmp_path: Path) -> None:
    real = tmp_path / "real"
    write(real / "putin.txt", PUTIN)
    docs = tmp_path / "docs"
    write(docs / "own.txt", "Ông Biden nói về NATO.\n")
    (docs / "tin2024").symlink_to(real)
    (docs / "again").symlink_to(real)
    (docs / "loop").symlink_to(".")
    with Engine.build(tmp_path / "ix", [docs]) as e:
        assert {h.article for h in e.search("Putin")} == {"again/putin"}
        assert {h.article for h in e.search("Biden")} == {"own"}
        why = reasons(e)
        assert why["loop"] == f"a link back to {docs} (a loop): not followed"
        assert why["tin2024"] == f"the same folder as {docs / 'again'}, read once"


# item 13: a path that does not exist creates nothing
def test_a_missing_path_is_exit_4_and_creates_no_index(tmp_path: Path) -> None:
    proc = cli("--index", str(tmp_path / "ix"), "index", str(tmp_path / "nope"))
    assert proc.returncode == 4 and f"{tmp_path / 'nope'}: No such file" in proc.stderr
    assert not (tmp_path / "ix").exists()
    with pytest.raises(FileNotFoundError):
        Engine.build(tmp_path / "ix", [tmp_path / "nope"])
    assert not (tmp_path / "ix").exists()


def test_creating_an_index_says_so_with_the_folders_made_for_it(tmp_path: Path) -> None:
    docs = write(tmp_path / "docs" / "a.txt", PUTIN).parent
    proc = cli("index", str(docs), "--index", str(tmp_path / "data" / "vn-index"))
    assert proc.returncode == 0, proc.stderr
    assert (f"created a new index at {tmp_path / 'data' / 'vn-index'} (and the folder "
            f"{tmp_path / 'data'})") in proc.stderr
    proc = cli("index", str(docs), "--index", str(tmp_path / "data" / "vn-index"))
    assert proc.returncode == 0 and "created" not in proc.stderr


# item 24: an index never indexes itself
def test_the_index_folder_is_never_one_of_its_roots(tmp_path: Path, seeds: Path) -> None:
    index = tmp_path / "myidx"
    Engine.build(index, [seeds]).close()
    proc = cli("index", str(index), "--index", str(index))
    assert proc.returncode == 2 and "an index does not index itself" in proc.stderr
    with pytest.raises(UsageError):
        Engine.build(index, [write(index / "sub" / "a.txt", PUTIN).parent])
    # a folder holding the index: its articles, never the index's own files
    home = write(tmp_path / "home" / "a.txt", PUTIN).parent
    with Engine.build(home / "ix", [home]) as e:
        report = e.last_report
        assert report is not None and report.added == 1
        assert not any("ix" in Path(str(s)).parts for s in [*report.skipped, *report.not_read])


# item 23: lines are not files; a cut .gz says what happened
def test_bad_lines_and_bad_files_are_counted_apart(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    good = [json.dumps({"id": n, "text": PUTIN}) for n in range(3)]
    write(docs / "crawl.jsonl", "\n".join(good + ["{bad"] * 7) + "\n")
    for name in ("one.jsonl.gz", "two.jsonl.gz"):
        data = gzip.compress(("\n".join(good) + "\n").encode())
        (docs / name).write_bytes(data[: len(data) // 2])
    with Engine.build(tmp_path / "ix", [docs]) as e:
        report = e.last_report
        assert report is not None
        summary = report.summary()
        assert "2 files skipped" in summary and "7 lines of .jsonl files skipped" in summary
        cut = [s.reason for s in report.skipped if s.path.endswith("one.jsonl.gz")]
        assert len(cut) == 1 and "the compressed file is damaged or cut short" in cut[0]
        assert "cannot read on" not in summary + " ".join(cut)


# item 25: UTF-16 without its BOM is named
def test_utf16_without_a_bom_is_named(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "le.txt").write_bytes(PUTIN.encode("utf-16-le"))
    (docs / "be.txt").write_bytes(PUTIN.encode("utf-16-be"))
    (docs / "bom.txt").write_bytes(PUTIN.encode("utf-16"))
    (docs / "bin.txt").write_bytes(bytes(range(256)) * 4)
    with Engine.build(tmp_path / "ix", [docs]) as e:
        why = reasons(e)
        assert set(why) == {"le.txt", "be.txt", "bin.txt"}
        assert why["le.txt"].startswith("UTF-16 text without a byte-order mark (BOM)")
        assert why["be.txt"] == why["le.txt"]
        assert why["bin.txt"] == "binary file (contains NUL bytes)"
        assert {h.article for h in e.search("Putin")} == {"bom"}


# item 3 (the local half): a rebuild that reads nothing replaces nothing
def test_a_rebuild_that_reads_nothing_keeps_the_index(tmp_path: Path) -> None:
    docs = write(tmp_path / "docs" / "a.txt", PUTIN).parent
    index = tmp_path / "ix"
    Engine.build(index, [docs]).close()
    (docs / "a.txt").unlink()
    write(docs / "b.txt", "").write_bytes(b"\x00\x01\x02 binary")  # not text: skipped
    with pytest.raises(NothingReadError):
        Engine.build(index, [docs], rebuild=True)
    proc = cli("--index", str(index), "index", "--rebuild", str(docs))
    assert proc.returncode == 4 and "nothing was replaced" in proc.stderr
    assert "skipped" in proc.stderr
    with Engine.open(index) as e:
        assert e.search("Putin").total == 1


# item 7: only `index` (and the console) creates an index
@pytest.mark.parametrize("command", [["query", "Putin"], ["speakers"], ["explain", "Putin"]])
def test_reading_commands_never_create_an_index(tmp_path: Path, command: list[str]) -> None:
    proc = cli("--index", str(tmp_path / "typo"), *command)
    assert proc.returncode == 2 and f"no index at {tmp_path / 'typo'}" in proc.stderr
    assert not (tmp_path / "typo").exists()


# items 5 and 6: a first build stopped halfway is finished from its own folders
@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_a_stopped_first_build_resumes_from_its_folders_not_the_seeds(tmp_path: Path,
                                                                      sig: int) -> None:
    from test_reliability import write_corpus

    docs = tmp_path / "docs"
    write_corpus(docs, 120, seed=4)  # long enough to be stopped halfway
    index = tmp_path / "ix"
    proc = subprocess.Popen(vnsearch("--index", str(index), "index", str(docs), "--workers", "1",
                                     "--progress"), cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            env=environment())
    assert proc.stderr is not None
    progress = ""
    while "indexing " not in progress:  # articles are being analysed and written
        char = proc.stderr.read(1)
        assert char, progress
        progress += char
    assert (index / "vnsearch.json").exists()
    time.sleep(0.3)
    proc.send_signal(sig)
    if sig == signal.SIGINT:  # Ctrl-C: the build's files are removed, its folders kept
        assert proc.stderr.read().rstrip().endswith("interrupted")
        assert proc.wait(timeout=60) == 130
    else:  # kill -9: its files are left behind too
        assert proc.wait(timeout=60) == -signal.SIGKILL
        assert len(list(index.iterdir())) > 1
    with pytest.raises(IndexNotFoundError, match="did not finish"):
        Engine.open(index)
    stopped = cli("--index", str(index), "query", "Putin")  # no seeds built in its place
    assert stopped.returncode == 2 and "did not finish" in stopped.stderr
    done = cli("--index", str(index), "index")
    assert done.returncode == 0, done.stderr
    with Engine.open(index) as e:
        assert e.stats()["articles"] == 120 and e.article("003_12f5a146de662289") == []
