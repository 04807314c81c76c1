"""Find article files and decode them, refusing clearly what is not text.

Accepted: UTF-8 with or without BOM, UTF-16 with BOM. Anything else is an
:class:`UnreadableFile` carrying the reason, so one bad file in a crawl of
thousands costs one line of output, not the run.
"""

from __future__ import annotations

import codecs
import dataclasses
import gzip
import hashlib
import json
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from search.analysis.controls import strip_controls, visible
from search.date_values import BadDate, parse_date
from search.ingest.model import Article, Skipped
from search.ingest.passages import build_article

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")  # crawls are usually stored compressed
ARTICLE_SUFFIXES = (".txt", *JSONL_SUFFIXES)
METADATA_FIELDS = ("title", "date", "source", "url")
MAX_LINE_CHARS = 200_000  # a "paragraph" longer than this is data, not prose
MAX_FILE_BYTES = 32 * 1024 * 1024  # one .txt article never is this large
MAX_JSONL_LINE_BYTES = 32 * 1024 * 1024  # nor one article of a .jsonl: the limit is per line
CHUNK_LINES = 200  # .jsonl lines handed to a worker at once (memory stays bounded)


class UnreadableFile(Exception):
    """A file we will not index, with a reason a user can act on."""


def _looks_like_utf16(head: bytes) -> bool:
    """UTF-16 without its BOM: NUL bytes on one side of each pair only (the high byte
    of Latin letters, digits and spaces), and the whole decodes."""
    even, odd = head[0::2], head[1::2]
    for zeros, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if others.count(0) * 20 < zeros.count(0) and zeros.count(0) >= max(8, len(zeros) // 3):
            try:
                head[: len(head) // 2 * 2].decode(encoding)
            except UnicodeDecodeError:
                continue
            return True
    return False


def decode(data: bytes) -> str:
    """Bytes to text by BOM or strict UTF-8; raise :class:`UnreadableFile` otherwise."""
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", data
    else:
        encoding, body = "utf-8", data
        if b"\x00" in body[:65536]:  # before decoding: a binary file is not "bad UTF-8"
            if _looks_like_utf16(body[:65536]):
                raise UnreadableFile("UTF-16 text without a byte-order mark (BOM): save it "
                                     "as UTF-8, or as UTF-16 with a BOM")
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
    """A path printable anywhere: undecodable bytes of a file name become U+FFFD,
    control characters visible symbols."""
    raw = os.fsencode(str(path))
    return visible(raw.decode("utf-8", "replace"))


def _check_name(path: Path) -> None:
    try:
        os.fsencode(path.name).decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableFile("the file name is not valid UTF-8; rename the file") from None


def kind(mode: int) -> str:
    """What a file that is not a regular one is, in words."""
    for test, name in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a regular file"


def open_regular(path: Path) -> IO[bytes]:
    """``path`` opened for reading, if it is a regular file. Opening a named pipe
    waits for a writer, forever if none comes: the open does not wait (O_NONBLOCK)
    and the opened file is checked before a byte is read."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise UnreadableFile(f"{kind(mode)}, not a file of text: not read")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_bytes(path: Path) -> bytes:
    try:
        with open_regular(path) as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise UnreadableFile(
                    f"too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
            return f.read()
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
        if not isinstance(value, str) or not strip_controls(value).strip():
            notes.append(f"{where}: {key} must be a non-empty string; ignored")
            continue
        value = " ".join(strip_controls(value).split())
        if key == "date":
            iso = value[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", value) else value
            try:
                value = parse_date(iso).to_text()
            except BadDate as exc:
                notes.append(f"{where}: bad date {visible(value)!r} ({exc.message}); ignored")
                continue
        changes[key] = value
    return dataclasses.replace(article, notes=tuple(notes), **changes)  # type: ignore[arg-type]


def _given_title(meta: object) -> str | None:
    title = meta.get("title") if isinstance(meta, dict) else None
    return title if isinstance(title, str) and title.strip() else None


def article_base(path: Path, root: Path | None) -> str:
    """The id of the article in ``path`` (a ``.jsonl``: the prefix of its articles' ids):
    its path relative to the indexed folder ``root``, without the suffix, with ``/``
    (``2021/001``). Two ``001.txt`` in different folders never share an id; a file
    at the top of the folder, or named on its own, keeps its bare name (the seeds'
    ids are file names)."""
    rel = path.relative_to(root) if root is not None else Path(path.name)
    name = rel.name
    for suffix in (*JSONL_SUFFIXES, ".txt"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return (rel.parent / name).as_posix() if rel.parent != Path(".") else name


def read_article(path: Path, article_id: str | None = None) -> Article:
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
    meta: object = None
    bad_meta = ""
    if meta_bytes:
        try:
            meta = json.loads(meta_bytes.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            bad_meta = f"{shown(sidecar)}: not valid JSON ({exc}); metadata ignored"
    digest = hashlib.sha256(data + b"\0" + meta_bytes).hexdigest()
    article = build_article(article_id or path.stem, text, path=str(path.resolve()),
                            sha256=digest, given_title=_given_title(meta))
    if not article.passages:
        raise UnreadableFile("empty file (no paragraph of text)")
    if bad_meta:
        return dataclasses.replace(article, notes=(bad_meta,))
    if meta_bytes:
        article = apply_metadata(article, meta, shown(sidecar))
    return article


@dataclass(frozen=True, slots=True)
class JsonlChunk:
    """A run of lines of one ``.jsonl`` file: the unit a worker analyses, so a crawl
    of any size flows through in bounded memory."""

    path: Path
    base: str  # the file's id: its articles are ``base/id``
    first: int  # line number of ``lines[0]``
    lines: tuple[bytes, ...]  # b"" for a line already reported (too long)
    last: bool = False  # the file's final chunk
    error: str = ""  # why the file could not be read past these lines ("": it was)


def _open_jsonl(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    """The file, and the stream of its lines (the same, unless it is compressed)."""
    raw = open_regular(path)
    if path.name.endswith(".gz"):
        return raw, gzip.open(raw, "rb")  # type: ignore[return-value]  # a binary stream
    return raw, raw


def jsonl_chunks(path: Path, base: str,
                 size: int = CHUNK_LINES) -> Iterator[JsonlChunk | Skipped]:
    """Stream a ``.jsonl`` (or ``.jsonl.gz``) file line by line, ``size`` lines a
    chunk; a line over ``MAX_JSONL_LINE_BYTES`` is reported and skipped, a file that
    stops being readable ends with what was read."""
    try:
        _check_name(path)
        raw, f = _open_jsonl(path)
    except (UnreadableFile, OSError) as exc:
        reason = str(exc) if isinstance(exc, UnreadableFile) else (exc.strerror or str(exc))
        yield Skipped(shown(path), reason)
        return
    lines: list[bytes] = []
    first, n = 1, 0
    with raw, f:
        while True:
            try:
                line = f.readline(MAX_JSONL_LINE_BYTES + 1)
            except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
                damaged = "the compressed file is damaged or cut short" if \
                    path.name.endswith(".gz") else "the file stopped being readable"
                yield JsonlChunk(path, base, first, tuple(lines), last=True,
                                 error=f"cannot read past line {n}: {damaged} ({exc}); "
                                       f"the {n} lines before were read")
                return
            if not line:
                break
            n += 1
            if len(line) > MAX_JSONL_LINE_BYTES and not line.endswith(b"\n"):
                while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass  # the rest of the over-long line, read and dropped
                yield Skipped(f"{shown(path)}:{n}", f"a line over {MAX_JSONL_LINE_BYTES:,} "
                              "bytes: not one article", line=n)
                line = b""
            lines.append(line)
            if len(lines) >= size:
                yield JsonlChunk(path, base, first, tuple(lines))
                first, lines = n + 1, []
    yield JsonlChunk(path, base, first, tuple(lines), last=True)


def read_chunk(chunk: JsonlChunk) -> Iterator[Article | Skipped]:
    """Articles of some lines of a JSON Lines file:
    ``{"id", "text", "title"?, "date"?, "source"?, "url"?}`` a line; a bad line is
    reported with its number and the others are read."""
    resolved = str(chunk.path.resolve())
    for n, raw in enumerate(chunk.lines, chunk.first):
        if not raw.strip():
            continue
        where = f"{shown(chunk.path)}:{n}"
        try:
            line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield Skipped(where, f"not UTF-8 (bad byte 0x{raw[exc.start]:02x})", line=n)
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"not valid JSON ({exc.msg})", line=n)
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str | int) or \
                isinstance(obj.get("id"), bool) or not isinstance(obj.get("text"), str):
            yield Skipped(where, 'needs an object with "id" and "text"', line=n)
            continue
        own = " ".join(strip_controls(str(obj["id"])).split())
        if not own:
            yield Skipped(where, '"id" is empty', line=n)
            continue
        if max((len(x) for x in obj["text"].splitlines()), default=0) > MAX_LINE_CHARS:
            yield Skipped(where, f"a paragraph over {MAX_LINE_CHARS:,} characters", line=n)
            continue
        article = build_article(f"{chunk.base}/{own}", obj["text"], path=resolved,
                                sha256=hashlib.sha256(raw.strip()).hexdigest(),
                                given_title=_given_title(obj))
        if not article.passages:
            yield Skipped(where, "empty text", line=n)
            continue
        yield dataclasses.replace(apply_metadata(article, obj, where), origin=where)
    if chunk.error:
        yield Skipped(shown(chunk.path), chunk.error)


def read_jsonl(path: Path, base: str | None = None) -> Iterator[Article | Skipped]:
    """Every article of a ``.jsonl`` or ``.jsonl.gz`` file, streamed."""
    for chunk in jsonl_chunks(path, base if base is not None else article_base(path, None)):
        if isinstance(chunk, Skipped):
            yield chunk
        else:
            yield from read_chunk(chunk)


def is_jsonl(path: Path) -> bool:
    return path.name.endswith(JSONL_SUFFIXES)


def read_any(path: Path, base: str | None = None) -> Iterator[Article | Skipped]:
    """Every article a file holds, or the reason it holds none."""
    try:
        if is_jsonl(path):
            yield from read_jsonl(path, base)
        else:
            yield read_article(path, base)
    except UnreadableFile as exc:
        yield Skipped(shown(path), str(exc))
