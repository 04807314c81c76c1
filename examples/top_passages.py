"""Index a folder of articles and print the top passages for a few queries as JSON.

    python examples/top_passages.py [FOLDER] [QUERY ...]

FOLDER defaults to the bundled seeds; the index goes to a temporary directory.
"""

from __future__ import annotations

import json
import sys
import tempfile

from search import Engine, Q, QuerySyntaxError
from search.resources import seeds_dir

DEFAULT_QUERIES = ['speaker:Sullivan "đồng minh"', "dam bao an ninh", "Moskva date:2022"]


def main(argv: list[str]) -> int:
    folder = argv[0] if argv else str(seeds_dir())
    queries: list[str | Q] = list(argv[1:]) or list(DEFAULT_QUERIES)
    queries.append(Q.phrase("Nord Stream") | Q.speaker("Lavrov"))  # built in code, not typed
    with tempfile.TemporaryDirectory() as tmp, Engine.build(tmp, [folder]) as engine:
        for query in queries:
            try:
                results = engine.search(query, limit=3)
            except QuerySyntaxError as exc:
                print(json.dumps({"query": str(query), "error": exc.to_dict()},
                                 ensure_ascii=False))
                continue
            top = [{"article": h.article, "passage": h.passage, "score": h.score,
                    "speakers": h.speakers, "date": h.date, "text": h.text} for h in results]
            print(json.dumps({"query": results.query, "total": results.total, "top": top},
                             ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
