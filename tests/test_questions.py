"""Questions and long queries pasted as typed (issue 21): matched on their content
words, ranked by how much of them a passage holds, never an error for pasted text,
suggestions that only ever help. Real index on disk, real pyvi, real grammar."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from commands import cli

from search import Engine, QuerySyntaxError, Results
from search.query.ast import Word, dump
from search.query.function_words import function_mask
from search.query.parser import parse, parse_plain
from search.render import summary
from search.retrieval import plain

# written for these tests: a match report and its distractors
SPORT = """Trận đấu của đội Carolina
Đội Carolina bắt đầu ở vạch 24 yard khi trận đấu còn 4:51 và ghi bàn sau đó ba phút.
Hậu vệ Trần Minh Khang có 12 lần vật ngã đối thủ trong mùa giải, nhiều nhất toàn đội.
Ai là ai trong đội hình xuất phát vẫn là điều huấn luyện viên giữ kín.
Tỷ số chung cuộc là 2-1 nghiêng về đội khách.
"""
TOWN = """Tin ngắn trong ngày
Mùa này đội bóng của thành phố có nhiều cầu thủ mới đến từ các tỉnh phía nam.
Ông Chính cho biết đường ống dẫn nước ở phố Huế đã được sửa xong.
Ống nước bị vỡ làm ngập hai con phố trong nhiều giờ.
Người dân nói rằng họ đã chờ quá lâu để được sửa đường ống.
"""


def _words(*spellings: str) -> list[Word]:
    from search.analysis import fold

    out = []
    for s in spellings:
        syl = tuple(s.split())
        out.append(Word(syl, tuple(fold(x) for x in syl)))
    return out


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = tmp_path_factory.mktemp("questions")
    docs = root / "docs"
    docs.mkdir()
    (docs / "sport.txt").write_text(SPORT, encoding="utf-8")
    (docs / "town.txt").write_text(TOWN, encoding="utf-8")
    return Engine.build(root / "ix", [docs], engine="tantivy")


def first(results: Results) -> str:
    return results.hits[0].text if results.hits else ""


# --- function and question words --------------------------------------------------
def test_function_words_follow_the_list_and_the_tone_mark_rule() -> None:
    assert function_mask(_words("bao nhiêu", "binh sĩ")) == [True, False]
    # the list's "như thế nào" is found whatever the segmentation made of it
    assert function_mask(_words("như thế", "nào", "Putin")) == [True, True, False]
    assert function_mask(_words("ai", "ái", "ông", "ống")) == [True, False, False, False]
    # typed bare, a syllable stands for every form: "co" covers "có"
    assert function_mask(_words("co", "Kremlin")) == [True, False]
    # a list syllable alone is not a multi-syllable entry: "bao" (a bag) is content
    assert function_mask(_words("bao", "gạo")) == [False, False]


def test_a_question_finds_the_passage_that_lacks_its_question_words(small: Engine) -> None:
    res = small.search("Ai có được nhiều lần vật ngã nhất trong đội mùa này?")
    assert "12 lần vật ngã" in first(res)
    assert not res.suggestions, "every word of the question is in the index as typed"


def test_a_pasted_time_is_searchable_and_not_an_error(small: Engine) -> None:
    res = small.search("Carolina đã bắt đầu ở vạch nào khi trận đấu còn 4:51?")
    assert "4:51" in first(res)
    assert dump(parse("còn 4:51")) == "(all (term 'còn') (term '4:51'))"
    assert "2-1" in first(small.search("tỷ số 2-1"))


def test_a_query_of_function_words_only_is_searched_as_typed(small: Engine) -> None:
    assert "Ai là ai" in first(small.search("Ai"))
    phrase = small.search('"ai là ai"')
    assert phrase.total == 1 and "Ai là ai" in first(phrase)


def test_partial_matches_hold_some_words_and_name_only_content_words_missing(
        small: Engine) -> None:
    res = small.search("Tại sao đường ống ở phố Huế bị vỡ và ai đã sửa nó?")
    assert res.hits and res.partial == res.total, "no passage holds every content word"
    for hit in res.hits:
        assert hit.partial and hit.missing
        assert not {"tại sao", "ai", "đã", "và", "nó", "ở", "bị"} & set(hit.missing)
    # the passages holding more of the words come first
    assert "phố Huế" in res.hits[0].text


def test_coverage_beats_one_word_repeated(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "Bài một\nCá hồi sông Mê Kông di cư vào mùa lũ theo các nhà sinh vật học.\n"
        "Sông sông sông sông, sông nào cũng chảy ra biển, sông dài sông ngắn.\n",
        encoding="utf-8")
    with Engine.build(tmp_path / "ix", [docs]) as engine:
        res = engine.search("cá hồi di cư trên sông nào vào mùa lũ")
        assert "Cá hồi" in first(res)
        assert res.hits[1].partial and "cá hồi" in res.hits[1].missing


def test_plain_ranking_weights_rare_words_above_common_ones(small: Engine) -> None:
    rare = plain.first_word(plain.split(_words("Carolina", "đội")).content[0])
    assert rare is not None
    with small._backend.snapshot() as raw:  # noqa: SLF001 - a real snapshot of the index
        from search.retrieval.view import View

        view = View(raw)
        carolina, doi = _words("carolina", "đội")
        assert plain.weight(view, carolina) > plain.weight(view, doi)


# --- pasted text --------------------------------------------------------------------
def test_a_word_before_a_colon_that_is_no_field_is_text() -> None:
    assert dump(parse("Lưu ý: Putin")) == dump(parse("Lưu ý Putin"))
    assert dump(parse("Carolina: 24 yard")) == dump(parse("Carolina 24 yard"))
    with pytest.raises(QuerySyntaxError, match="unknown field 'speeker'") as err:
        parse("speeker:Putin")
    assert "did you mean speaker:" in err.value.hint


def test_an_unclosed_quote_is_an_error_with_a_suggestion_that_runs(small: Engine) -> None:
    query = "Ai tước bóng ở “lượt chơi thứ 3?"
    with pytest.raises(QuerySyntaxError) as err:
        small.search(query)
    assert err.value.message == "unclosed quote" and err.value.position == query.index("“")
    assert err.value.suggestion == "Ai tước bóng ở lượt chơi thứ 3?"
    assert err.value.to_dict()["suggestion"] == err.value.suggestion
    small.search(err.value.suggestion)  # runs


def test_plain_mode_searches_any_text_as_words(small: Engine) -> None:
    text = 'đường ống AND "phố Huế -Ống (NOT'
    with pytest.raises(QuerySyntaxError):
        small.search(text)
    res = small.search(text, plain=True)
    assert "phố Huế" in first(res)
    assert dump(parse_plain("a:b (c")) == "(term 'a:b (c')"
    with pytest.raises(QuerySyntaxError, match="holds no words"):
        small.search("!!!...???", plain=True)
    with pytest.raises(QuerySyntaxError, match="holds no words"):
        small.search("!!!...???")


# --- suggestions only ever help -----------------------------------------------------
def test_suggestions_respell_only_what_the_index_lacks_and_always_run(small: Engine) -> None:
    query = "Hậu vệ nào có nhiều lần vật ngã nhất trong đội ở Carolinna mùa này?"
    res = small.search(query)
    assert res.hits, "the other words still find passages"
    runnable = [s.query for s in res.suggestions if s.query]
    assert runnable, [s.message for s in res.suggestions]
    for q in runnable:
        # only the misspelled word changed: every word the index holds is kept
        assert q.replace("Carolina", "Carolinna") == query, q
        fixed = small.search(q)
        assert any("Carolina" in h.text and "Carolina" not in h.missing for h in fixed), \
            "the respelled word now counts"


def test_no_suggestion_that_does_not_run(small: Engine) -> None:
    for query in ("\\AND", "Kremlinn -b -c", "ống -ông"):
        for s in small.search(query).suggestions:
            if s.query:
                small.search(s.query)  # parses and runs


# --- totals ---------------------------------------------------------------------------
def test_totals_say_whether_they_are_exact(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(60):
        (docs / f"a{i:02d}.txt").write_text(f"Tin số {i}\nHà Nội có mưa lớn lần thứ {i}.\n",
                                             encoding="utf-8")
    with Engine.build(tmp_path / "ix", [docs], engine="tantivy") as engine:
        few = engine.search("\"lần thứ 7\"")
        assert few.total_relation == "eq"
        many = engine.search("mưa", limit=5)
        assert many.to_dict()["total_relation"] == "gte" and 50 < many.total <= 60
        assert summary(many).startswith(f"about {many.total} passages matched")
        assert summary(few).startswith("1 passage matched")
        everything = engine.search("mưa", limit=60)
        assert everything.total_relation == "eq" and everything.total == 60


@pytest.mark.slow
def test_cli_plain_text_and_json_totals_agree(small: Engine, tmp_path: Path) -> None:
    ix = str(small.path)
    query = "Ai sửa đường ống ở phố Huế?"
    text = cli("query", query, "--index", ix)
    data = json.loads(cli("query", query, "--index", ix, "--format", "json").stdout)
    assert text.returncode == 0
    assert f"{data['total']} passage" in text.stdout and data["partial"] <= data["total"]
    bad = 'phố "Huế'
    assert cli("query", bad, "--index", ix).returncode == 2
    assert cli("query", bad, "--index", ix, "--plain").returncode == 0
    err = json.loads(cli("query", bad, "--index", ix, "--format", "json").stdout)["error"]
    assert err["suggestion"] == "phố Huế"
    lines = tmp_path / "q.jsonl"
    lines.write_text(json.dumps({"id": "a", "query": bad, "plain": True}) + "\n"
                     + json.dumps({"id": "b", "query": bad}) + "\n", encoding="utf-8")
    out = [json.loads(x) for x in cli("batch", str(lines), "--index", ix).stdout.splitlines()]
    assert out[0]["error"] is None and out[0]["hits"]
    assert out[1]["error"]["suggestion"] == "phố Huế"
    plain_all = tmp_path / "q.txt"
    plain_all.write_text(bad + "\n", encoding="utf-8")
    out = [json.loads(x) for x in cli("batch", str(plain_all), "--index", ix,
                                      "--plain").stdout.splitlines()]
    assert out[0]["error"] is None


@pytest.mark.parametrize("question", [
    "Ai nói rằng Nga không có ý định tấn công Ukraine?",
    "Bao nhiêu binh sĩ Nga đang ở gần biên giới Ukraine?",
    "tong thong my va nga noi chuyen truc tuyen trong bao lau"])
def test_engines_agree_on_questions(engine: Engine, other_engine: Engine, question: str) -> None:
    # the same matches, full and partial (scores, hence the order, differ by engine)
    a, b = engine.search(question, limit=100), other_engine.search(question, limit=100)
    assert (a.total, a.partial) == (b.total, b.partial)
    assert {(h.article, h.passage, h.partial, tuple(h.missing)) for h in a} == \
        {(h.article, h.passage, h.partial, tuple(h.missing)) for h in b}
