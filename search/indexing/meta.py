"""What an index records about itself (``vnsearch.json`` in an index folder, the
shards' metadata in a cluster): one typed record with its defaults written once."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from search.backends import DEFAULT_ENGINE

META_FILE = "vnsearch.json"
FORMAT_VERSION = 5  # bump when the schema or stored data change


@dataclass(frozen=True)
class IndexMeta:
    engine: str = DEFAULT_ENGINE  # the engine the index was created with
    format: int | None = None  # the FORMAT_VERSION that wrote it (None: unknown)
    generation: str = "MAIN"  # the generation in use (a rebuild writes a new one; "": none
    # yet, the first build is under way or was stopped: its roots are recorded already)
    speakers: tuple[str, ...] = ()  # full speaker names, for new articles' short forms
    roots: tuple[str, ...] = ()  # the folders it was built from (re-scanned by default)
    recorded: bool = field(default=False, compare=False)  # read from a record, not defaults

    @classmethod
    def from_dict(cls, data: Any) -> IndexMeta:
        """From a parsed record; anything missing or malformed takes its default."""
        if not isinstance(data, dict):
            return cls()
        fmt = data.get("format")
        return cls(engine=str(data.get("engine") or cls.engine),
                   format=fmt if isinstance(fmt, int) else None,
                   generation=str(data["generation"] if isinstance(data.get("generation"), str)
                                  else cls.generation),
                   speakers=tuple(str(s) for s in data.get("speakers") or ()),
                   roots=tuple(str(r) for r in data.get("roots") or ()),
                   recorded=True)

    @classmethod
    def read(cls, path: Path) -> IndexMeta:
        """The record of the index folder ``path`` (defaults when it has none)."""
        try:
            text = (path / META_FILE).read_text(encoding="utf-8")
        except OSError:
            return cls()
        try:
            return cls.from_dict(json.loads(text))
        except ValueError:
            return cls()

    def to_dict(self) -> dict[str, Any]:
        return {"engine": self.engine, "format": self.format, "generation": self.generation,
                "speakers": list(self.speakers), "roots": list(self.roots)}

    def write(self, path: Path) -> None:
        """Replace the record atomically: a reader never sees half a file."""
        tmp = path / (META_FILE + ".tmp")
        tmp.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n",
                       encoding="utf-8")
        tmp.replace(path / META_FILE)

    def with_roots(self, roots: list[Path]) -> IndexMeta:
        """This record with ``roots`` added to the folders it knows (in order, once)."""
        known = list(self.roots)
        known += [str(r.resolve()) for r in roots if str(r.resolve()) not in known]
        return dataclasses.replace(self, roots=tuple(dict.fromkeys(known)))
