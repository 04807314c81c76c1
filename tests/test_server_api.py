"""The API in process (Starlette's test client) over a real index on disk: every
endpoint, every error in its one shape, the limits, the key, the metrics."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from serving import HOSTILE_ID, WIRE_TEXT, write_corpus
from starlette.testclient import TestClient

from search import Engine
from search.analysis import fold
from search.server import Settings, create_app
from search.server.api import Runner
from search.server.errors import ApiError
from search.server.format import formatted

ERROR_KEYS = {"message", "code", "type", "status"}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = write_corpus(tmp_path_factory.mktemp("corpus"))
    path = tmp_path_factory.mktemp("index") / "ix"
    Engine.build(path, [corpus]).close()
    return path


@pytest.fixture(scope="module")
def engine(index: Path):
    with Engine.open(index) as e:
        yield e


@pytest.fixture(scope="module")
def client(engine: Engine) -> TestClient:
    return TestClient(create_app(engine), raise_server_exceptions=False)


def error_of(response, status: int, code: str) -> dict:
    body = response.json()
    assert response.status_code == status, body
    assert ERROR_KEYS <= set(body) and body["status"] == status and body["code"] == code
    assert "Traceback" not in response.text
    return body


def test_search_returns_ranked_passages_with_highlights_in_code_points(client) -> None:
    body = client.get("/api/search", params={"q": "khí đốt", "limit": 5}).json()
    assert body["total"] >= 14 and len(body["hits"]) == 5
    assert body["total_relation"] in ("eq", "gte")
    scores = [h["score"] for h in body["hits"]]
    assert scores == sorted(scores, reverse=True)
    for hit in body["hits"]:
        assert hit["highlights"], hit
        for start, end in hit["highlights"]:
            assert fold(hit["text"][start:end].lower()) in ("khi", "dot", "khi dot")
        assert "<mark>" in hit["formatted"]
        assert hit["url"].startswith("https://example.org/gas/")


def test_get_and_post_answer_alike(client) -> None:
    params = {"q": "Putin", "offset": 3, "limit": 4, "facets": "speaker,source"}
    got = client.get("/api/search", params=params).json()
    posted = client.post("/api/search", json={**params, "facets": ["speaker", "source"]}).json()
    for body in (got, posted):
        body.pop("took_ms")
    assert got == posted and got["offset"] == 3 and len(got["hits"]) == 4


def test_a_wire_story_is_one_hit_with_its_copy(client) -> None:
    body = client.get("/api/search", params={"q": "Seychelles"}).json()
    assert (body["total"], body["copies"], len(body["hits"])) == (1, 1, 1)
    hit = body["hits"][0]
    assert hit["text"] == WIRE_TEXT and hit["duplicate_count"] == 1
    assert hit["duplicates"][0].startswith("crawl/wire-") and hit["article"] not in hit[
        "duplicates"][0]


def test_pages_do_not_overlap(client) -> None:
    first = client.get("/api/search", params={"q": "khí đốt", "limit": 10}).json()
    second = client.get("/api/search", params={"q": "khí đốt", "limit": 10, "offset": 10}).json()
    ids = lambda b: {f"{h['article']}#{h['passage']}" for h in b["hits"]}  # noqa: E731
    assert second["hits"] and not ids(first) & ids(second)


def test_facets_count_all_matches_not_only_the_page(client) -> None:
    one = client.get("/api/search", params={"q": "khí đốt", "limit": 1,
                                            "facets": "source,date"}).json()
    every = client.get("/api/search", params={"q": "khí đốt", "limit": 100}).json()
    assert one["total"] == every["total"] == len(every["hits"])
    assert one["facets_exact"] is True
    assert one["facets"]["source"] == dict(Counter(h["source"] for h in every["hits"]
                                                   if h["source"]))
    months = Counter(h["date"][:7] for h in every["hits"] if h["date"])
    assert one["facets"]["date"] == dict(months) and set(months) == {
        "2024-01", "2024-02", "2024-03"}


def test_formatted_is_escaped_cropped_and_uses_the_callers_tags(client) -> None:
    body = client.get("/api/search", params={
        "q": "pwned", "highlight_pre_tag": "[", "highlight_post_tag": "]",
        "crop_length": 5}).json()
    hit = body["hits"][0]
    assert hit["article"] == HOSTILE_ID
    assert "<script>" in hit["text"] and "<" not in hit["formatted"]
    assert "&lt;script&gt;" in hit["formatted"] and "[pwned]" in hit["formatted"]
    assert len(hit["formatted"].strip("…").split()) <= 5


def test_crop_keeps_the_match_and_marks_what_was_cut() -> None:
    text = " ".join(f"w{i}" for i in range(100)) + " đích " + " ".join(
        f"v{i}" for i in range(100))
    start = text.index("đích")
    out = formatted(text, [[start, start + 4]], "<b>", "</b>", 9)
    assert out.startswith("…") and out.endswith("…") and "<b>đích</b>" in out
    assert len(out.strip("…").split()) == 9


def test_suggestions_are_runnable_when_nothing_matches(client) -> None:
    body = client.get("/api/search", params={"q": "Kremlinn AND Putin"}).json()
    runnable = [s["query"] for s in body["suggestions"] if s["query"]]
    assert body["total"] == 0 and runnable
    for q in runnable:
        assert client.get("/api/search", params={"q": q}).json()["total"] > 0


def test_a_query_error_says_where(client) -> None:
    body = error_of(client.get("/api/search", params={"q": 'Putin AND "Nord'}), 400,
                    "invalid_query")
    assert body["position"] == 10 and body["hint"]
    explained = error_of(client.get("/api/explain", params={"q": "(Putin"}), 400,
                         "invalid_query")
    assert explained["position"] == 0


@pytest.mark.parametrize(("params", "name"), [
    ({"q": "x", "limit": 0}, "limit"), ({"q": "x", "limit": 101}, "limit"),
    ({"q": "x", "limit": "ten"}, "limit"), ({"q": "x", "offset": -1}, "offset"),
    ({"q": "x", "offset": 10_001}, "offset"), ({"q": "x", "facets": "colour"}, "facets"),
    ({"q": "x", "plain": "maybe"}, "plain"), ({"q": "x", "crop_length": 0}, "crop_length"),
    ({"q": "x", "sort": "date"}, "sort"), ({}, "q"), ({"q": "   "}, "q"),
    ({"q": "x" * 10_001}, "q"), ({"q": "x", "highlight_pre_tag": "<" * 101},
                                 "highlight_pre_tag"),
])
def test_bad_parameters_are_400_and_named(client, params: dict, name: str) -> None:
    assert error_of(client.get("/api/search", params=params), 400,
                    "invalid_parameter")["parameter"] == name
    assert error_of(client.post("/api/search", json=params), 400,
                    "invalid_parameter")["parameter"] == name


def test_bad_bodies(client) -> None:
    error_of(client.post("/api/search", content=b"{not json"), 400, "invalid_body")
    error_of(client.post("/api/search", json=["q", "x"]), 400, "invalid_body")
    error_of(client.post("/api/search", content=b" " * (64 * 1024 + 1)), 413,
             "payload_too_large")

    def chunks():
        for _ in range(70):
            yield b" " * 1024

    error_of(client.post("/api/search", content=chunks()), 413, "payload_too_large")


def test_unknown_things_and_methods(client) -> None:
    error_of(client.get("/api/articles/no-such-article"), 404, "article_not_found")
    error_of(client.get("/api/nothing-here"), 404, "not_found")
    error_of(client.delete("/api/search"), 405, "method_not_allowed")
    error_of(client.get("/api/speakers", params={"limit": "0"}), 400, "invalid_parameter")


def test_article_comes_whole_in_order(client, engine: Engine) -> None:
    hit = engine.search("Sullivan")[0]
    body = client.get(f"/api/articles/{hit.article}").json()
    numbers = [p["passage"] for p in body["passages"]]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > hit.passage
    assert body["passages"][hit.passage - 1]["text"] == hit.text
    crawl = client.get(f"/api/articles/{HOSTILE_ID}").json()  # an id with a slash
    assert crawl["title"].startswith("<script>") and crawl["source"] == "Báo <b>Thử</b>"


def test_speakers_complete_a_prefix_and_sources_count(client, engine: Engine) -> None:
    body = client.get("/api/speakers", params={"prefix": "sul"}).json()
    assert body["speakers"] and all(
        any(w.startswith("sul") for w in fold(s["name"].lower()).split())
        for s in body["speakers"])
    assert body["speakers"] == [{"name": n, "count": c} for n, c in engine.speakers("sul")]
    sources = client.get("/api/sources").json()["sources"]
    counts = [s["count"] for s in sources]
    assert counts == sorted(counts, reverse=True)
    assert {s["name"] for s in sources} >= {"PLVN", "Tin Kinh Tế", "Báo Năng Lượng"}


def test_explain_shows_the_plan(client) -> None:
    body = client.get("/api/explain", params={"q": "đường ống"}).json()
    assert body["query"] == "đường ống" and body["plan"] and body["rewrites"]


def test_health_and_openapi(client, engine: Engine) -> None:
    health = client.get("/health").json()
    assert health["status"] == "available" and health["passages"] == engine.stats()["passages"]
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {"/api/search", "/api/articles/{id}", "/api/speakers",
                                  "/api/sources", "/api/explain", "/health"}


def test_metrics_count_requests_latency_and_errors(engine: Engine) -> None:
    client = TestClient(create_app(engine))
    for _ in range(3):
        client.get("/api/search", params={"q": "Putin"})
    client.get("/api/search", params={"q": "(Putin"})
    text = client.get("/metrics").text
    assert 'vnsearch_requests_total{route="/api/search",method="GET",status="200"} 3' in text
    assert 'vnsearch_errors_total{code="invalid_query"} 1' in text
    buckets = [int(n) for n in re.findall(
        r'vnsearch_request_seconds_bucket\{route="/api/search",le="[^"]+"\} (\d+)', text)]
    assert buckets == sorted(buckets) and buckets[-1] == 4


def test_the_key_guards_the_api_and_metrics_not_health(engine: Engine) -> None:
    client = TestClient(create_app(engine, Settings(api_key="s3cret")))
    error_of(client.get("/api/search", params={"q": "Putin"}), 401, "missing_api_key")
    wrong = {"Authorization": "Bearer nope"}
    error_of(client.get("/api/sources", headers=wrong), 401, "invalid_api_key")
    error_of(client.get("/metrics"), 401, "missing_api_key")
    good = {"Authorization": "Bearer s3cret"}
    assert client.get("/api/search", params={"q": "Putin"}, headers=good).status_code == 200
    assert client.get("/metrics", headers=good).status_code == 200
    assert client.get("/health").status_code == 200


def test_cors_is_off_unless_an_origin_is_given(engine: Engine) -> None:
    origin = {"Origin": "https://news.example"}
    closed = TestClient(create_app(engine)).get("/api/sources", headers=origin)
    assert "access-control-allow-origin" not in closed.headers
    opened = TestClient(create_app(engine, Settings(cors=("https://news.example",))))
    answer = opened.get("/api/sources", headers=origin)
    assert answer.headers["access-control-allow-origin"] == "https://news.example"


def test_past_the_searches_in_flight_a_503_with_retry_after(engine: Engine) -> None:
    client = TestClient(create_app(engine, Settings(max_in_flight=0)))
    response = client.get("/api/search", params={"q": "Putin"})
    error_of(response, 503, "overloaded")
    assert response.headers["retry-after"] == "1"


def test_runner_bounds_searches_in_flight_and_their_time() -> None:
    import anyio

    release = threading.Event()
    runner = Runner(limit=1, timeout=5)

    async def two_at_once() -> str:
        async with anyio.create_task_group() as tg:
            tg.start_soon(runner, release.wait)
            await anyio.sleep(0.1)
            try:
                await runner(time.sleep, 0)
            except ApiError as exc:
                release.set()
                return exc.code
        return "both ran"

    assert anyio.run(two_at_once) == "overloaded"
    slow = Runner(limit=2, timeout=0.2)
    with pytest.raises(ApiError) as caught:
        anyio.run(slow, time.sleep, 1.0)
    assert caught.value.status == 503 and caught.value.code == "search_timeout"
    assert slow.in_flight == 1  # the slow search holds its slot until its thread ends
    time.sleep(1.0)
    assert slow.in_flight == 0


def test_commits_made_while_serving_are_seen(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    extra = tmp_path / "more"
    extra.mkdir()
    (tmp_path / "first").mkdir()
    (tmp_path / "first" / "a.txt").write_text("Giá khí đốt tăng.\n", encoding="utf-8")
    Engine.build(path, [tmp_path / "first"]).close()
    with Engine.open(path) as served:
        client = TestClient(create_app(served))
        assert client.get("/api/search", params={"q": "Zelensky"}).json()["total"] == 0
        (extra / "b.txt").write_text("Ông Zelensky đến Washington.\n", encoding="utf-8")
        with Engine.open(path) as writer:
            writer.index([extra])
        deadline = time.monotonic() + 5
        while client.get("/api/search", params={"q": "Zelensky"}).json()["total"] == 0:
            assert time.monotonic() < deadline, "the commit was not picked up"
            time.sleep(0.2)


def test_the_page_runs_only_its_own_files(client) -> None:
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)  # no inline script
    refs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert refs and all(r.startswith("/static/") for r in refs)
    for ref in refs:
        assert client.get(ref).status_code == 200
    assert "innerHTML" not in client.get("/static/app.js").text


def test_plain_searches_the_text_as_words(client) -> None:
    assert client.get("/api/search", params={"q": 'Putin AND "Nord'}).status_code == 400
    body = client.get("/api/search", params={"q": 'Putin AND "Nord', "plain": "true",
                                             "facets": "speaker"}).json()
    assert body["total"] >= 1 and body["facets"]["speaker"]


def test_a_search_held_in_its_thread_blocks_no_other_request(engine: Engine) -> None:
    """The event loop never waits on a search: while one engine call is stuck in
    its thread, other searches and the health check are answered."""
    import anyio
    import httpx

    app = create_app(engine)
    release = threading.Event()

    async def scenario() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c, \
                anyio.create_task_group() as tg:
            tg.start_soon(app.state.runner, release.wait)
            await anyio.sleep(0.05)
            try:
                with anyio.fail_after(5):
                    return [(await c.get(path)).status_code
                            for path in ("/api/search?q=Putin", "/health")]
            finally:
                release.set()

    assert anyio.run(scenario) == [200, 200]
