"""Find article files and decode them, refusing clearly what is not text.

Accepted: UTF-8 with or without BOM, UTF-16 with BOM. Anything else is an
:class:`UnreadableFile` carrying the reason, so one bad file in a crawl of
thousands costs one line of output, not the run.
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from search.dates import BadDate, parse_date
from search.ingest.model import Article, Skipped
from search.ingest.passages import build_article

ARTICLE_SUFFIXES = (".txt", ".jsonl")
METADATA_FIELDS = ("title", "date", "source", "url")
MAX_LINE_CHARS = 200_000  # a "paragraph" longer than this is data, not prose
MAX_FILE_BYTES = 32 * 1024 * 1024  # a .jsonl crawl may be large; one article never is


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
        if b"\x00" in body[:65536]:  # before decoding: a binary file is not "bad UTF-8"
            raise UnreadableFile("binary file (contains NUL bytes)")
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


def _check_lines(text: str) -> None:
    longest = max((len(line) for line in text.splitlines()), default=0)
    if longest > MAX_LINE_CHARS:
        raise UnreadableFile(f"a line of {longest:,} characters (the limit is {MAX_LINE_CHARS:,}):"
                             " not an article of paragraphs")


def shown(path: Path | str) -> str:
    """A path printable anywhere: undecodable bytes of a file name become U+FFFD."""
    raw = os.fsencode(str(path))
    return raw.decode("utf-8", "replace")


def _check_name(path: Path) -> None:
    try:
        os.fsencode(path.name).decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableFile("the file name is not valid UTF-8; rename the file") from None


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableFile(f"too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(exc.strerror or str(exc)) from None


def apply_metadata(article: Article, meta: object, where: str) -> Article:
    """Given metadata wins over what the text suggests; a bad value is noted and ignored."""
    if not isinstance(meta, dict):
        return dataclasses.replace(article, notes=article.notes + (
            f"{where}: metadata is not a JSON object; ignored",))
    changes: dict[str, object] = {}
    notes = list(article.notes)
    for key in METADATA_FIELDS:
        value = meta.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            notes.append(f"{where}: {key} must be a non-empty string; ignored")
            continue
        value = value.strip()
        if key == "date":
            iso = value[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", value) else value
            try:
                value = parse_date(iso).to_text()
            except BadDate as exc:
                notes.append(f"{where}: bad date {value!r} ({exc.message}); ignored")
                continue
        changes[key] = value
    return dataclasses.replace(article, notes=tuple(notes), **changes)  # type: ignore[arg-type]


def read_article(path: Path) -> Article:
    """Load one ``.txt`` article (and its ``.json`` sidecar, if any); raise
    :class:`UnreadableFile` with the reason."""
    _check_name(path)
    data = _read_bytes(path)
    text = decode(data)
    _check_lines(text)
    sidecar = path.with_suffix(".json")
    meta_bytes = b""
    if sidecar.is_file():
        try:
            meta_bytes = sidecar.read_bytes()
        except OSError:
            meta_bytes = b""
    digest = hashlib.sha256(data + b"\0" + meta_bytes).hexdigest()
    article = build_article(path.stem, text, path=str(path.resolve()), sha256=digest)
    if not article.passages:
        raise UnreadableFile("empty file (no paragraph of text)")
    if meta_bytes:
        try:
            meta = json.loads(meta_bytes.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return dataclasses.replace(article, notes=(
                f"{sidecar}: not valid JSON ({exc}); metadata ignored",))
        article = apply_metadata(article, meta, str(sidecar))
    return article


def read_jsonl(path: Path) -> Iterator[Article | Skipped]:
    """Articles of a JSON Lines file: ``{"id", "text", "title"?, "date"?, "source"?, "url"?}``."""
    _check_name(path)
    text = decode(_read_bytes(path))
    resolved = str(path.resolve())
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"not valid JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str | int) or \
                not isinstance(obj.get("text"), str):
            yield Skipped(where, 'needs an object with "id" and "text"')
            continue
        if max((len(x) for x in obj["text"].splitlines()), default=0) > MAX_LINE_CHARS:
            yield Skipped(where, f"a paragraph over {MAX_LINE_CHARS:,} characters")
            continue
        article = build_article(str(obj["id"]), obj["text"], path=resolved,
                                sha256=hashlib.sha256(line.encode()).hexdigest())
        if not article.passages:
            yield Skipped(where, "empty text")
            continue
        yield apply_metadata(article, obj, where)


def read_any(path: Path) -> Iterator[Article | Skipped]:
    """Every article a file holds, or the reason it holds none."""
    try:
        if path.suffix == ".jsonl":
            yield from read_jsonl(path)
        else:
            yield read_article(path)
    except UnreadableFile as exc:
        yield Skipped(shown(path), str(exc))


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
            yield Skipped(shown(root), "no such file or directory")
