"""What a server allows: the limits, the key, the origins. One table, passed from the
command line to every worker process through one environment variable."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

SETTINGS_ENV = "VNSEARCH_SERVE"  # the JSON of Settings, read by app_from_env in each worker
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Settings:
    index: str = ""  # the index a worker process opens (create_app is given an Engine)
    api_key: str | None = None  # Bearer key for the API and /metrics; None: no key asked
    cors: tuple[str, ...] = ()  # origins allowed to call the API from a browser
    timeout: float = 10.0  # seconds a search may take before a 503
    max_in_flight: int = 32  # searches admitted (running or waiting); past it a 503
    threads: int = 4  # searches running at once: more only take turns holding the GIL
    max_query: int = 10_000  # characters
    max_body: int = 64 * 1024  # bytes of a POST body
    max_offset: int = 10_000
    max_limit: int = 100
    facet_values: int = 50  # values listed per facet, most frequent first

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> Settings:
        raw = json.loads(os.environ.get(SETTINGS_ENV, "{}"))
        raw["cors"] = tuple(raw.get("cors", ()))
        return cls(**raw)
