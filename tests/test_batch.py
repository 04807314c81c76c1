"""vnsearch batch: inputs, formats, per-line errors, exit statuses, workers."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from commands import cli

from search import Engine
from search.batch import parse_input


def run(index: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return cli("--index", str(index), "batch", *args, input=stdin)


QUERIES = 'NATO\n\n"Nord Stream\nspeaker:Sullivan date:2021-12\nKremlinn\n'


def test_input_detection() -> None:
    plain = parse_input(["NATO", "", "  biên giới  "])
    assert [(q.id, q.query) for q in plain] == [("1", "NATO"), ("3", "biên giới")]
    js = parse_input(['{"id": "x", "query": "NATO"}', '{"query": "Putin"}', "{bad", '{"id": 1}'])
    assert [(q.id, q.query) for q in js[:2]] == [("x", "NATO"), ("2", "Putin")]
    assert "not valid JSON" in js[2].error and '"query"' in js[3].error


def test_jsonl_in_input_order_with_errors_inline(engine: Engine, tmp_path: Path) -> None:
    f = tmp_path / "q.txt"
    f.write_text(QUERIES, encoding="utf-8")
    proc = run(engine.path, str(f), "--limit", "3")
    assert proc.returncode == 1, "one query had an error"
    rows = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["1", "3", "4", "5"]
    assert set(rows[0]) >= {"id", "query", "total", "took_ms", "hits", "error", "suggestions"}
    assert len(rows[0]["hits"]) == 3 and rows[0]["error"] is None
    assert rows[1]["error"]["message"] == "unclosed quote" and rows[1]["hits"] == []
    assert rows[2]["hits"] and all("Jake Sullivan" in h["speakers"] for h in rows[2]["hits"])
    assert rows[3]["suggestions"][0]["query"] == "Kremlin"
    assert "batch: 4 queries, 1 errors" in proc.stderr


def test_tsv_and_trec(engine: Engine) -> None:
    tsv = run(engine.path, "-", "--format", "tsv", "--limit", "2", stdin="NATO\nLavrov\n")
    assert tsv.returncode == 0
    rows = [line.split("\t") for line in tsv.stdout.splitlines()]
    assert [r[:2] for r in rows] == [["1", "1"], ["1", "2"], ["2", "1"], ["2", "2"]]
    assert all(len(r) == 6 and r[5] for r in rows)
    trec = run(engine.path, "-", "--format", "trec", "--limit", "2",
               stdin='{"id": "q 1", "query": "Lavrov"}\n')
    fields = trec.stdout.split()
    assert fields[:2] == ["q_1", "Q0"] and "#" in fields[2] and fields[3] == "1"
    assert fields[5] == "vnsearch"


@pytest.mark.slow
def test_the_same_results_with_two_workers(engine: Engine, tmp_path: Path) -> None:
    queries = ["NATO", "Lavrov", "biên giới", "dam bao", "speaker:Sullivan"] * 6
    f = tmp_path / "q.txt"
    f.write_text("\n".join(queries), encoding="utf-8")
    one = run(engine.path, str(f), "--workers", "1")
    two = run(engine.path, str(f), "--workers", "2")
    assert one.returncode == two.returncode == 0

    def strip(out: str) -> list[dict[str, object]]:
        rows = [json.loads(x) for x in out.splitlines()]
        for r in rows:
            r.pop("took_ms")
        return rows
    assert strip(one.stdout) == strip(two.stdout)


@pytest.mark.parametrize("args", [["/no/such/file.txt"], ["-", "--limit", "0"]])
def test_cannot_run_is_status_2(engine: Engine, args: list[str]) -> None:
    proc = run(engine.path, *args, stdin="")
    assert proc.returncode == 2 and "vnsearch batch:" in proc.stderr


def test_missing_index_is_status_2(tmp_path: Path) -> None:
    proc = run(tmp_path / "nothing", "-", stdin="NATO\n")
    assert proc.returncode == 2 and "no index" in proc.stderr
