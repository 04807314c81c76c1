"""Find the article files under what ``vnsearch index`` is given.

Links to folders are followed, each folder read once: a link back to a folder being
read (a loop) or a second way to one already read is reported, never walked again.
Only regular files are opened (a named pipe would wait for a writer forever), and
the files that are not articles are listed, so a folder of ``.docx`` files does not
look like a folder of nothing.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from search.ingest.articles import ARTICLE_SUFFIXES, article_base, kind, shown
from search.ingest.model import Skipped

ARTICLE_KINDS = ".txt, .jsonl and .jsonl.gz"


@dataclass(frozen=True, slots=True)
class Source:
    """An article file found under an indexed root, with the id it gets."""

    path: Path
    base: str


@dataclass(frozen=True, slots=True)
class NotArticle:
    """A file found and left alone: its name does not say it holds articles."""

    path: str

    def __str__(self) -> str:
        return f"{self.path}: not an article file (only {ARTICLE_KINDS} files hold articles)"


Found = Source | Skipped | NotArticle
Key = tuple[int, int]  # (device, inode): a folder, whatever the path that led to it


def _key(st: os.stat_result) -> Key:
    return st.st_dev, st.st_ino


def _not_regular(path: Path, st: os.stat_result) -> Skipped:
    return Skipped(shown(path), f"{kind(st.st_mode)}, not a file of text: not read")


@dataclass
class _Walk:
    skip: frozenset[Key]  # folders never read (the index itself)
    seen: dict[Key, Path]
    found: list[Path]
    others: list[Path]

    def folder(self, folder: Path, ancestors: tuple[Key, ...]) -> Iterator[Skipped]:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield Skipped(shown(folder), f"cannot list the folder ({exc.strerror or exc})")
            return
        names = {e.name for e in entries}
        for entry in entries:
            path = Path(entry.path)
            try:
                st = os.stat(path)  # through links
            except OSError as exc:
                if entry.name.endswith(ARTICLE_SUFFIXES) or entry.is_symlink():
                    yield Skipped(shown(path), exc.strerror or str(exc))
                continue
            if stat.S_ISDIR(st.st_mode):
                key = _key(st)
                if key in self.skip:
                    continue
                if key in ancestors:
                    yield Skipped(shown(path), f"a link back to {shown(self.seen[key])} (a "
                                  "loop): not followed")
                elif key in self.seen:
                    yield Skipped(shown(path), f"the same folder as {shown(self.seen[key])}, "
                                  "read once")
                else:
                    self.seen[key] = path
                    yield from self.folder(path, (*ancestors, key))
            elif entry.name.endswith(ARTICLE_SUFFIXES):
                if stat.S_ISREG(st.st_mode):
                    self.found.append(path)
                else:
                    yield _not_regular(path, st)
            elif not entry.name.startswith(".") and not _is_sidecar(entry.name, names):
                self.others.append(path)


def _is_sidecar(name: str, names: set[str]) -> bool:
    """``NAME.json`` beside ``NAME.txt`` is that article's metadata."""
    return name.endswith(".json") and name[: -len(".json")] + ".txt" in names


def sources(paths: Iterable[Path], skip: Iterable[Path] = ()) -> Iterator[Found]:
    """Article files under ``paths`` (files or folders, recursively), sorted, each with
    its id relative to the root it was found under; then the files found that are not
    articles. What cannot be read is yielded as :class:`Skipped`; the folders in
    ``skip`` are not entered."""
    skipped: set[Key] = set()
    for folder in skip:
        try:
            skipped.add(_key(os.stat(folder)))
        except OSError:
            continue
    for root in paths:
        try:
            st = os.stat(root)
        except OSError as exc:
            reason = "no such file or directory" if isinstance(exc, FileNotFoundError) else (
                exc.strerror or str(exc))
            yield Skipped(shown(root), reason)
            continue
        if stat.S_ISREG(st.st_mode):
            yield Source(root, article_base(root, None))
        elif stat.S_ISDIR(st.st_mode):
            walk = _Walk(frozenset(skipped), {_key(st): root}, [], [])
            yield from walk.folder(root, (_key(st),))
            for path in sorted(walk.found):
                yield Source(path, article_base(path, root))
            for path in sorted(walk.others):
                yield NotArticle(shown(path))
        else:
            yield _not_regular(root, st)


def discover(paths: Iterable[Path]) -> Iterator[Path | Skipped]:
    """The article files of :func:`sources`, without their ids."""
    for item in sources(paths):
        if isinstance(item, Source):
            yield item.path
        elif isinstance(item, Skipped):
            yield item
