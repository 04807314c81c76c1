"""``/metrics`` in Prometheus's text format: requests, a latency histogram and
errors by code, per process (with ``--workers N`` each worker counts its own)."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
ROUTES = ("/", "/health", "/metrics", "/openapi.json", "/api/search", "/api/speakers",
          "/api/sources", "/api/explain")


def route_of(path: str) -> str:
    """A bounded label: a route's template, never the path a client made up."""
    if path in ROUTES:
        return path
    if path.startswith("/api/articles/"):
        return "/api/articles/{id}"
    if path.startswith("/static/"):
        return "/static"
    return "other"


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[tuple[str, str, int]] = Counter()
        self.errors: Counter[str] = Counter()
        self.buckets: Counter[tuple[str, float]] = Counter()
        self.sums: defaultdict[str, float] = defaultdict(float)
        self.counts: Counter[str] = Counter()

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(route, method, status)] += 1
            self.sums[route] += seconds
            self.counts[route] += 1
            for bound in BUCKETS:
                if seconds <= bound:
                    self.buckets[(route, bound)] += 1

    def error(self, code: str) -> None:
        with self._lock:
            self.errors[code] += 1

    def render(self) -> str:
        lines = ["# HELP vnsearch_requests_total HTTP requests answered.",
                 "# TYPE vnsearch_requests_total counter"]
        with self._lock:
            for (route, method, status), n in sorted(self.requests.items()):
                lines.append(f'vnsearch_requests_total{{route="{route}",method="{method}",'
                             f'status="{status}"}} {n}')
            lines += ["# HELP vnsearch_request_seconds Time to answer a request.",
                      "# TYPE vnsearch_request_seconds histogram"]
            for route in sorted(self.counts):
                for bound in BUCKETS:
                    lines.append(f'vnsearch_request_seconds_bucket{{route="{route}",'
                                 f'le="{bound}"}} {self.buckets[(route, bound)]}')
                lines.append(f'vnsearch_request_seconds_bucket{{route="{route}",le="+Inf"}} '
                             f"{self.counts[route]}")
                lines.append(f'vnsearch_request_seconds_sum{{route="{route}"}} '
                             f"{self.sums[route]:.6f}")
                lines.append(f'vnsearch_request_seconds_count{{route="{route}"}} '
                             f"{self.counts[route]}")
            lines += ["# HELP vnsearch_errors_total Error answers by code.",
                      "# TYPE vnsearch_errors_total counter"]
            for code, n in sorted(self.errors.items()):
                lines.append(f'vnsearch_errors_total{{code="{code}"}} {n}')
        return "\n".join(lines) + "\n"
