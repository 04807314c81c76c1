"""The engine registry: engines by name, what is installed, and the one place the
rest of the package learns about engines (nothing outside search/backends names one)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from search.backends import (
    DEFAULT_ENGINE,
    ENGINES,
    encoder,
    engine_class,
    installed_engines,
    is_cluster,
)
from search.errors import SearchError

ROOT = Path(__file__).resolve().parents[2]


def test_engines_are_found_by_name_and_know_their_lifecycle(tmp_path: Path) -> None:
    assert DEFAULT_ENGINE in ENGINES
    for cls in installed_engines():
        assert cls.name in ENGINES
        assert not cls.exists(tmp_path, "G1") and cls.generations(tmp_path) == set()
        backend = cls.create(tmp_path / cls.name, "G1")
        writer = backend.writer()
        writer.commit()
        assert cls.exists(tmp_path / cls.name, "G1")
        assert "G1" in cls.generations(tmp_path / cls.name)
        backend.close()
        cls.drop(tmp_path / cls.name, "G1")
        assert not cls.exists(tmp_path / cls.name, "G1")
    assert callable(encoder(DEFAULT_ENGINE))


def test_an_unknown_engine_is_named_with_the_choices() -> None:
    with pytest.raises(SearchError, match="unknown engine 'lucene'; choose one of: " +
                       ", ".join(ENGINES)):
        engine_class("lucene")


def test_a_cluster_is_told_by_its_file_name() -> None:
    assert is_cluster("x/cluster.toml") and not is_cluster("x/index")


def test_no_module_outside_the_backends_names_an_engine() -> None:
    """The registry and the locations hold the engines: the rest of the package asks
    them, so a new engine is added in one place."""
    names = "|".join(ENGINES)
    named = re.compile(rf"""["'](?:{names})["']|(?:import|from) (?:{names})\b""")
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "search").rglob("*.py")
                 if "backends" not in p.parts and named.search(p.read_text("utf-8"))]
    # the evaluation's naive baseline is a plain index built with the Whoosh library
    # itself (lowercased tokens, BM25, OR), to compare against: not an engine of ours
    assert offenders == ["search/evaluation.py"]
