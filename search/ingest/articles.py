"""Find article files and decode them, refusing clearly what is not text.

Accepted: UTF-8 with or without BOM, UTF-16 with BOM. Anything else is an
:class:`UnreadableFile` carrying the reason, so one bad file in a crawl of
thousands costs one line of output, not the run.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from search.ingest.model import Article, Skipped
from search.ingest.passages import build_article

ARTICLE_SUFFIXES = (".txt",)
MAX_FILE_BYTES = 64 * 1024 * 1024


class UnreadableFile(Exception):
    """A file we will not index, with a reason a user can act on."""


def decode(data: bytes) -> str:
    """Bytes to text by BOM or strict UTF-8; raise :class:`UnreadableFile` otherwise."""
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", data
    else:
        encoding, body = "utf-8", data
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"not {encoding.upper()} text (bad byte 0x{body[exc.start]:02x} at offset {exc.start});"
            " convert it to UTF-8"
        ) from None
    if "\x00" in text:
        raise UnreadableFile("binary file (contains NUL bytes)")
    return text


def read_article(path: Path) -> Article:
    """Load one article file; raise :class:`UnreadableFile` with the reason."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableFile(f"too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(exc.strerror or str(exc)) from None
    text = decode(data)
    article = build_article(path.stem, text, path=str(path.resolve()),
                            sha256=hashlib.sha256(data).hexdigest())
    if not article.passages:
        raise UnreadableFile("empty file (no paragraph of text)")
    return article


def discover(paths: Iterable[Path]) -> Iterator[Path | Skipped]:
    """Article files under ``paths`` (files or directories, recursively), sorted.

    Missing paths are yielded as :class:`Skipped`; symlink loops are not followed.
    """
    for root in paths:
        if root.is_file():
            yield root
        elif root.is_dir():
            found: list[Path] = []
            for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
                dirnames.sort()
                found.extend(Path(dirpath, f) for f in filenames if f.endswith(ARTICLE_SUFFIXES))
            yield from sorted(found)
        else:
            yield Skipped(str(root), "no such file or directory")
