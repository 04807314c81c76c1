"""The embeddable API: query builder, snapshots and refresh, threads, typing."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from commands import cli
from hypothesis import given, settings
from hypothesis import strategies as st

import search
from search import Engine, Q, QuerySyntaxError
from search.query.parser import parse, validate

ROOT = Path(__file__).resolve().parents[1]


def test_public_surface_is_the_package_namespace() -> None:
    assert set(search.__all__) >= {"Engine", "Results", "Hit", "Suggestion", "QuerySyntaxError",
                                   "IndexNotFoundError", "Q"}
    assert (ROOT / "search" / "py.typed").exists()


def test_builder_and_parser_agree_on_examples(engine: Engine) -> None:
    q = Q.phrase("Nord Stream") & Q.speaker("Sullivan") & Q.date("2021-12")
    assert q.to_text() == '"Nord Stream" AND speaker:Sullivan AND date:2021-12'
    assert parse(q.to_text()) == q.node
    built = Q.speaker("Jake Sullivan") & Q.date(start="2021-12-01", end="2021-12-31")
    typed = 'speaker:"Jake Sullivan" AND date:[2021-12-01 TO 2021-12-31]'
    assert [h.passage for h in engine.search(built)] == [h.passage for h in engine.search(typed)]


_leaf = st.one_of(
    st.sampled_from(["Ukraine", "NATO", "biên giới", "Putin"]).map(Q.term),
    st.sampled_from(["Nord Stream", "đường ống"]).map(Q.phrase),
    st.sampled_from(["Sullivan", "Jake Sullivan", "Điện Kremlin"]).map(Q.speaker),
    st.sampled_from(["PLVN", "Tuổi trẻ"]).map(Q.source),
    st.sampled_from(["2021", "2021-12", "2021-12-07"]).map(Q.date),
    st.sampled_from(["Ushak", "Krem"]).map(Q.prefix),
    st.builds(Q.fuzzy, st.sampled_from(["Kremlinn"]), st.sampled_from([None, 1, 2])),
)


def _combine(children: st.SearchStrategy[Q]) -> st.SearchStrategy[Q]:
    return st.one_of(
        st.builds(lambda a, b: a & b, children, children),
        st.builds(lambda a, b: a | b, children, children),
        st.builds(lambda a: ~a, children),
        st.builds(lambda a: +a, children),
        st.builds(lambda a, f: a.boost(f), children, st.sampled_from([2, 0.5])),
    )


@settings(max_examples=200, deadline=None)
@given(st.recursive(_leaf, _combine, max_leaves=6))
def test_builder_makes_the_tree_the_parser_makes(q: Q) -> None:
    try:
        validate(q.node)
    except QuerySyntaxError:  # exclusions only: both front doors refuse it
        with pytest.raises(QuerySyntaxError, match="only excludes"):
            parse(q.to_text())
        return
    assert parse(q.to_text()) == q.node


def test_builder_queries_are_checked_like_typed_ones(engine: Engine) -> None:
    with pytest.raises(QuerySyntaxError, match="only excludes"):
        engine.search(~Q.term("NATO"))


def test_threads_search_safely(engine: Engine) -> None:
    queries = ["NATO", "biên giới Ukraine", 'speaker:Sullivan "đồng minh"', "lang gieng", "Moskva"]
    expected = {q: [(h.article, h.passage) for h in engine.search(q)] for q in queries}
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(10):
                for q in queries:
                    assert [(h.article, h.passage) for h in engine.search(q)] == expected[q]
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@pytest.mark.slow
def test_refresh_picks_up_another_process_commit(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Điện Kremlin cho biết.", encoding="utf-8")
    index = tmp_path / "ix"
    Engine.build(index, [docs]).close()
    with Engine.open(index) as reader:
        reader.refresh_interval = 3600.0  # no automatic refresh during the test
        assert reader.search("Kremlin").total == 1 and reader.search("Lavrov").total == 0
        (docs / "b.txt").write_text("Ngoại trưởng Lavrov nói.", encoding="utf-8")
        assert cli("--index", str(index), "index", str(docs)).returncode == 0
        assert reader.search("Lavrov").total == 0, "a reader keeps its snapshot"
        reader.refresh()
        assert reader.search("Lavrov").total == 1
        (docs / "c.txt").write_text("Nhà Trắng cho biết Lavrov.", encoding="utf-8")
        assert cli("--index", str(index), "index", str(docs)).returncode == 0
        reader.refresh_interval = 0.0  # automatic: look before every search
        assert reader.search("Lavrov").total == 2


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is in the test extras")
def test_public_modules_type_check_strictly() -> None:
    public = ["search/__init__.py", "search/engine.py", "search/errors.py",
              "search/retrieval/results.py", "search/retrieval/suggest.py",
              "search/query/builder.py", "search/query/ast.py", "search/date_values.py",
              "search/exit_status.py"]
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
                           "--ignore-missing-imports", *public], cwd=ROOT, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout


@pytest.mark.slow
def test_example_script_prints_json_lines() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / "top_passages.py")],
                          capture_output=True, text=True, check=True)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 4 and all(r["total"] > 0 and r["top"] for r in rows)
    assert rows[-1]["query"] == '"Nord Stream" OR speaker:Lavrov'


def test_answering_queries_never_loads_the_segmenter(engine: Engine) -> None:
    # the index vocabulary segments query words; pyvi's model (a second to load)
    # is only for indexing, so a fresh process answers without it
    script = (
        "import sys\nfrom search import Engine\n"
        "e = Engine.open(sys.argv[1])\n"
        "hits = [e.search(q).total for q in ('dam bao an ninh', 'biên giới Ukraine', "
        "'speaker:Sullivan \"đồng minh\"', 'Putin')]\n"
        "print(hits, 'pyvi' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", script, str(engine.path)], capture_output=True,
                         text=True, check=True).stdout.split()
    assert out[-1] == "False"
    assert all(int(n.strip("[],")) > 0 for n in out[:-1])
