"""Readers: one per kind of input, each yielding `Report | Rejected`.

Readers read, decode and map fields; they do nothing else (no extraction, no database). Every
file is checked before it is parsed (`check_file`: size, emptiness, NUL bytes, encoding), and
`read_reports` turns any reader exception into a `Rejected` row so that one bad file never
stops the scheduled refresh.

Text offsets matter downstream (evidence spans), so a Report's text is only normalised in ways
that keep its paragraphs: Unicode NFC, `\\r\\n`/`\\r` -> `\\n`, outer whitespace stripped.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import http.client
import io
import json
import os
import re
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

from etl import settings
from etl.dates import date_from_filename, find_report_date, parse_date
from etl.models import Rejected, Report, make_report_id

__all__ = [
    "READER_VERSION",
    "CSV_COLUMN_CANDIDATES",
    "FAKES_COLUMNS",
    "FAKES_DATE_FORMAT",
    "FeedFetch",
    "check_file",
    "read_csv",
    "read_feed",
    "read_html",
    "read_file",
    "read_json",
    "folder_files",
    "read_reports",
    "source_files",
    "read_text_file",
]

# What a file reads as depends on this code: a refresh reads every file again, whatever its
# stored size and times, when this changes (bump it with any change to what a reader yields).
READER_VERSION = "1"

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)
FEED_SUFFIXES = (".rss", ".atom")  # a feed saved as .xml is read when named as a feed source
URL_SCHEMES = ("http://", "https://")
DEFAULT_FEED_TIMEOUT_SECONDS = 30.0
FEED_USER_AGENT = "presence-etl/0.1 (+scheduled refresh; conditional requests)"
# Documentation that sits beside reports in a folder (data/reports/README.md, SOURCE.md).
SKIPPED_IN_FOLDERS = frozenset({"readme.md", "source.md"})

BINARY_SNIFF_BYTES = 8192  # a NUL byte in these means a binary file
CHARSET_SNIFF_BYTES = 4096  # where an HTML/XML page declares its charset
READ_CHUNK_BYTES = 1 << 20
TITLE_MAX_CHARS = 200

# FA-KES (../shared/data/fakes-dev/SOURCE.md): dates are M/D/YY ("1/19/15").
FAKES_DATE_FORMAT = "%m/%d/%y"
FAKES_COLUMNS: dict[str, str | None] = {
    "text": "article_content",
    "title": "article_title",
    "published": "date",
    "source": "source",
    "url": None,
    "id": "unit_id",
}
# Report field -> CSV column names tried in order (case-insensitive) when no mapping names one.
CSV_COLUMN_CANDIDATES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article_content"),
    "title": ("title", "headline", "article_title"),
    "published": ("published", "date"),
    "source": ("source",),
    "url": ("url", "link"),
    "id": ("id", "unit_id"),
}
_CSV_FIELDS = tuple(CSV_COLUMN_CANDIDATES)
_FAKES_HEADER = frozenset({"unit_id", "article_title", "article_content", "source", "date"})

_JSON_TEXT_FIELDS = ("text", "body", "content")
_JSON_DATE_FIELDS = ("published", "date")
_JSON_LIST_KEYS = ("reports", "items", "articles")

# Page clutter that is not a title ("3 min read" above the headline of the seed report).
_NOT_A_TITLE = re.compile(r"\s*(?:\d+\s+min(?:ute)?s?\s+read|share(?:\s+this(?:\s+article)?)?"
                          r"|advertisement)\s*", re.IGNORECASE)
# Charset declarations, as a browser's pre-scan finds them in the first bytes of a page.
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_:.-]+)", re.IGNORECASE)
# HTML meta tags that carry a page's publication date, most specific first.
_HTML_DATE_META = (
    "date", "article:published_time", "og:published_time", "datepublished", "pubdate",
    "publishdate", "publish-date", "publication_date", "dc.date", "dc.date.issued",
    "dcterms.created", "dcterms.date", "sailthru.date", "parsely-pub-date",
)


# --------------------------------------------------------------------------------------------
# Checking a file before any parser sees it
# --------------------------------------------------------------------------------------------
def check_file(path: str | os.PathLike, max_bytes: int | None = None) -> str | Rejected:
    """The encoding to open `path` with, or why the file cannot be taken: "too large",
    "empty" (0 bytes or whitespace only), "binary" (NUL in the first 8 KB), "invalid encoding"
    (not UTF-8, and no charset declared by the page). Reads in chunks: constant memory."""
    path = Path(path)
    name = str(path)
    limit = settings.max_bytes() if max_bytes is None else max_bytes
    size = path.stat().st_size
    if size > limit:
        return Rejected(name, "", "too large",
                        f"{size} bytes; the limit is {limit} (set PRESENCE_MAX_BYTES to raise it)")
    if size == 0:
        return Rejected(name, "", "empty", "0 bytes")
    with path.open("rb") as f:
        head = f.read(BINARY_SNIFF_BYTES)
        nul = head.find(b"\x00")
        if nul >= 0:
            return Rejected(name, "", "binary", f"NUL byte at offset {nul}")
        utf8 = _scan_utf8(head, f)
    if isinstance(utf8, bool):
        return "utf-8-sig" if utf8 else Rejected(name, "", "empty", "only whitespace")
    offset, error = utf8
    declared = _declared_charset(head)
    if declared is None:
        return Rejected(
            name, "", "invalid encoding",
            f"not UTF-8 at byte offset {offset} ({error}) and no charset declared; "
            "convert the file to UTF-8 (e.g. iconv -f cp1252 -t utf-8)")
    return _check_declared(path, declared, offset)


def _scan_utf8(head: bytes, rest) -> bool | tuple[int, str]:
    """True/False (valid UTF-8 with/without non-blank text), or (byte offset, reason) of the
    first invalid byte."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    chunk, offset = head, 0
    if chunk.startswith(codecs.BOM_UTF8):
        chunk, offset = chunk[len(codecs.BOM_UTF8):], len(codecs.BOM_UTF8)
    has_text = False
    final = False
    while True:
        pending = len(decoder.getstate()[0])  # bytes of a split character from the last chunk
        try:
            text = decoder.decode(chunk, final=final)
        except UnicodeDecodeError as e:
            return offset - pending + e.start, f"{e.reason}, byte 0x{e.object[e.start]:02x}"
        has_text = has_text or bool(text.strip())
        if final:
            return has_text
        offset += len(chunk)
        chunk = rest.read(READ_CHUNK_BYTES)
        final = not chunk


def _declared_charset(head: bytes) -> str | None:
    for pattern in (_META_CHARSET, _XML_ENCODING):
        m = pattern.search(head[:CHARSET_SNIFF_BYTES])
        if m:
            try:
                name = codecs.lookup(m.group(1).decode("ascii")).name
                b"".decode(name)  # a text encoding, not base64 or zip
            except LookupError:
                return None
            return name
    return None


def _check_declared(path: Path, declared: str, utf8_offset: int) -> str | Rejected:
    """A page that is not UTF-8 but says what it is ("windows-1252", "iso-8859-1", ...)."""
    if declared.startswith("utf"):
        return Rejected(str(path), "", "invalid encoding",
                        f"declares {declared} but is not valid UTF-8 at byte offset {utf8_offset}")
    # Browsers read a page labelled ISO-8859-1 as windows-1252 (WHATWG Encoding), so do we;
    # cp1252 leaves five bytes undefined, which only latin-1 can then take.
    candidates = ("cp1252", "latin-1") if declared in ("iso8859-1", "latin-1", "cp1252") else (declared,)
    data = path.read_bytes()
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as e:
            error = f"not valid {encoding} at byte offset {e.start} ({e.reason})"
            continue
        return encoding if text.strip() else Rejected(str(path), "", "empty", "only whitespace")
    return Rejected(str(path), "", "invalid encoding", f"declares {declared} but is {error}")


# --------------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------------
def read_text_file(path: str | os.PathLike, *, encoding: str | None = None
                   ) -> Iterator[Report | Rejected]:
    """A `.txt`/`.md` report with optional YAML front matter (title, date|published, source,
    url). Title: front matter, else the first short non-empty line. Date: front matter, else a
    dateline near the top of the text, else the file name."""
    path = Path(path)
    encoding = yield from _encoding_or_reject(path, encoding)
    if encoding is None:
        return
    yield _text_report(path, path.read_text(encoding=encoding))


def _text_report(path: Path, raw: str) -> Report | Rejected:
    """read_text_file's work once the file is decoded (newlines already "\\n")."""
    meta, content = _front_matter(raw)
    text = _normalise_text(content)
    if not text:
        return Rejected(str(path), "", "no text", "nothing after the front matter")
    title = _clean_title(meta.get("title")) or _first_title_line(text)
    meta_date = _first_present(meta, _JSON_DATE_FIELDS)
    published = (_metadata_date(meta_date) or find_report_date(text)
                 or date_from_filename(path.name))
    if published is None:
        return Rejected(str(path), "", "no report date", _no_date_detail(meta_date))
    return _report(path, None, "text", title, text, published, meta.get("source"), meta.get("url"))


# python-frontmatter's YAML delimiter (YAMLHandler.FM_BOUNDARY), to split the same way it does.
_FM_BOUNDARY = re.compile(r"^-{3,}\s*$", re.MULTILINE)
# Front matter lines whose YAML meaning is plain: `key: "text"`, `key: 'text'`, `key: 2015-03-09`,
# `key: words` (a plain scalar starting with a letter), `key:` (null). Anything else (escapes,
# numbers, lists, comments after a value...) goes to the YAML parser itself.
_FM_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +([^ ].*?))? *")
_FM_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"')
_FM_SINGLE_QUOTED = re.compile(r"'([^']*)'")
_FM_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# Plain scalars that YAML 1.1 (PyYAML's SafeLoader) reads as booleans or null, not text.
_YAML_WORDS = frozenset(
    w for base in ("yes", "no", "true", "false", "on", "off", "null") for w in (base, base.title(), base.upper()))
# Characters PyYAML refuses anywhere in a document (yaml.reader.Reader.NON_PRINTABLE).
_YAML_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")
_YAML_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")


def _front_matter(raw: str) -> tuple[dict, str]:
    """(metadata, content) exactly as `frontmatter.loads(raw)` gives them (post.metadata,
    post.content), without the YAML parser for the simple front matter reports carry."""
    stripped = raw.strip()
    if _FM_BOUNDARY.match(stripped):
        parts = _FM_BOUNDARY.split(stripped, 2)
        if len(parts) < 3:
            return {}, stripped
        meta = _simple_yaml(parts[1])
        if meta is not None:
            return meta, parts[2].strip()
    elif not stripped.startswith(("{", "}", "+")):  # no JSON or TOML front matter either
        return {}, stripped
    import frontmatter  # the general case

    post = frontmatter.loads(raw)
    return post.metadata, post.content


def _simple_yaml(block: str) -> dict | None:
    """The mapping a block of `key: value` lines is in YAML, when every line is one of the
    plain forms of _FM_LINE; None when the YAML parser must decide."""
    if _YAML_NON_PRINTABLE.search(block) or _YAML_LINE_BREAKS.search(block):
        return None  # (and YAML's other line breaks, NEL and the Unicode separators: the parser decides)
    meta: dict = {}
    for line in block.split("\n"):
        if not line.strip(" "):
            continue
        m = _FM_LINE.fullmatch(line)
        if m is None or m.group(1) in _YAML_WORDS:
            return None
        value = m.group(2)
        if value is None:
            meta[m.group(1)] = None
            continue
        quoted = _FM_DOUBLE_QUOTED.fullmatch(value) or _FM_SINGLE_QUOTED.fullmatch(value)
        if quoted:
            meta[m.group(1)] = quoted.group(1)
            continue
        day = _FM_DATE.fullmatch(value)
        if day:
            try:
                meta[m.group(1)] = date(int(day.group(1)), int(day.group(2)), int(day.group(3)))
            except ValueError:
                return None
            continue
        if (not ("a" <= value[0] <= "z" or "A" <= value[0] <= "Z") or value in _YAML_WORDS
                or ": " in value or " #" in value or "\t" in value or value.endswith(":")):
            return None
        meta[m.group(1)] = value
    return meta


def read_html(path: str | os.PathLike, *, encoding: str | None = None
              ) -> Iterator[Report | Rejected]:
    """An `.html` page: main text by trafilatura; title, date, source and url from the page's
    metadata (meta tags, then trafilatura's), the date else from the text, else the file name."""
    path = Path(path)
    encoding = yield from _encoding_or_reject(path, encoding)
    if encoding is None:
        return
    html = path.read_text(encoding=encoding)
    import trafilatura  # imported when a page is read: a refresh of text files never pays for it

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, favor_recall=True,
        # Only dates the page states: no guessing from arbitrary text (htmldate's extensive
        # search), and the original publication date rather than the last update.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = _normalise_text(getattr(doc, "text", None) or "") if doc is not None else ""
    if not text:
        yield Rejected(str(path), "", "no text", "trafilatura found no main text")
        return
    meta = _html_metadata(html)
    title = (_clean_title(getattr(doc, "title", None)) or _clean_title(meta.get("og:title"))
             or _clean_title(meta.get("<title>")) or _first_title_line(text))
    published = None
    for key in _HTML_DATE_META:
        published = parse_date(meta.get(key, ""))
        if published is not None:
            break
    published = (published or parse_date(getattr(doc, "date", None) or "")
                 or find_report_date(text) or date_from_filename(path.name))
    if published is None:
        yield Rejected(str(path), "", "no report date",
                       "no date in the page metadata, the text or the file name")
        return
    source = meta.get("og:site_name") or getattr(doc, "sitename", None)
    url = meta.get("<canonical>") or meta.get("og:url") or getattr(doc, "url", None)
    yield _report(path, None, "html", title, text, published, source, url)


def read_json(path: str | os.PathLike, *, encoding: str | None = None
              ) -> Iterator[Report | Rejected]:
    """`.json` (an object, a list of objects, or {"reports"|"items"|"articles": [...]}) or
    `.jsonl` (one object per line). Fields: title, text|body|content, published|date, source,
    url, id. Record key: `id`, else the list index (from 0) or the line number (from 1); a
    repeated id gets its position appended."""
    path = Path(path)
    encoding = yield from _encoding_or_reject(path, encoding)
    if encoding is None:
        return
    if path.suffix.lower() in JSONL_SUFFIXES:
        seen_keys: set[str] = set()
        with path.open(encoding=encoding) as lines:
            for line_number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line.strip())
                except json.JSONDecodeError as e:
                    yield Rejected(str(path), str(line_number), "unreadable",
                                   f"line {line_number}: invalid JSON: {e.msg} at column {e.colno}")
                    continue
                yield _json_report(path, record, line_number, multi=True, seen_keys=seen_keys)
        return
    try:
        data = json.loads(path.read_text(encoding=encoding))
    except json.JSONDecodeError as e:
        yield Rejected(str(path), "", "unreadable",
                       f"invalid JSON: {e.msg} at line {e.lineno} column {e.colno}")
        return
    if isinstance(data, dict):
        listed = next((data[k] for k in _JSON_LIST_KEYS if isinstance(data.get(k), list)), None)
        if listed is None:
            yield _json_report(path, data, 0, multi=False)
            return
        data = listed
    if not isinstance(data, list):
        yield Rejected(str(path), "", "unreadable",
                       f"top level is a {type(data).__name__}; expected an object or a list")
        return
    seen_keys = set()
    for index, record in enumerate(data):
        yield _json_report(path, record, index, multi=True, seen_keys=seen_keys)


def read_csv(path: str | os.PathLike, columns: Mapping[str, str | None] | None = None,
             date_format: str | None = None, *, encoding: str | None = None
             ) -> Iterator[Report | Rejected]:
    """A `.csv` of reports, one per row, streamed. `columns` maps Report fields (text, title,
    published, source, url, id) to column names; None means "no such column", and fields it
    leaves out are found among CSV_COLUMN_CANDIDATES. `date_format` is a strptime format for
    the date column (FA-KES: "%m/%d/%y", used by default when the header is FA-KES's). Record
    key: the id column (id|unit_id), else the 1-based data row number; a repeated id gets its
    row number appended. Date fallback: a date near the top of the text."""
    path = Path(path)
    encoding = yield from _encoding_or_reject(path, encoding)
    if encoding is None:
        return
    # The csv module's default cell limit (128 KiB) is below a long article; the file was
    # already checked against max_bytes, so no cell can be larger than the file.
    csv.field_size_limit(max(csv.field_size_limit(), path.stat().st_size))
    with path.open(encoding=encoding, newline="") as f:
        rows = csv.reader(f)
        header = [cell.strip() for cell in next(rows, [])]
        indexes = _csv_column_indexes(header, columns)
        if indexes["text"] is None:
            yield Rejected(str(path), "", "no text",
                           f"no text column; columns are {header}; pass a mapping such as "
                           "{'text': 'article_content'}")
            return
        if date_format is None and _FAKES_HEADER <= {h.lower() for h in header}:
            date_format = FAKES_DATE_FORMAT
        seen_keys: set[str] = set()
        row_number = 0
        for row_number, row in enumerate(rows, start=1):
            if not any(cell.strip() for cell in row):
                continue
            values = {field: (row[i] if i is not None and i < len(row) else "")
                      for field, i in indexes.items()}
            key = _unique_key(seen_keys, values["id"].strip(), row_number)
            text = _normalise_text(values["text"])
            if not text:
                yield Rejected(str(path), key, "no text", f"empty {header[indexes['text']]!r}")
                continue
            published = parse_date(values["published"], date_format) or find_report_date(text)
            if published is None:
                yield Rejected(str(path), key, "no report date",
                               _no_date_detail(values["published"] or None, date_format))
                continue
            yield _report(path, key, "csv", _clean_title(values["title"]), text, published,
                          values["source"], values["url"])
        if row_number == 0:
            yield Rejected(str(path), "", "empty", "a header and no rows")


# --------------------------------------------------------------------------------------------
# RSS and Atom feeds
# --------------------------------------------------------------------------------------------
@dataclass
class FeedFetch:
    """A feed request's conditional-request state (RFC 9110 If-None-Match/If-Modified-Since):
    the caller passes what the last answer said, read_feed fills in what this one says.
    `status`: the HTTP status (0 for a file, None when the server never answered)."""

    etag: str | None = None
    last_modified: str | None = None
    status: int | None = None
    not_modified: bool = False


def is_url(location: str | os.PathLike) -> bool:
    return isinstance(location, str) and location.lower().startswith(URL_SCHEMES)


def read_feed(path_or_url: str | os.PathLike, *, fetch: FeedFetch | None = None,
              timeout: float = DEFAULT_FEED_TIMEOUT_SECONDS, max_bytes: int | None = None,
              encoding: str | None = None) -> Iterator[Report | Rejected]:
    """An RSS or Atom feed, from a file or an http(s) URL, one Report per entry: title; text
    from the entry's content, else its summary (HTML turned into text with the standard
    library's parser, scripts and styles dropped); published date, else updated date, else a
    date near the top of the text; link as url; the feed's title as source. Record key: the
    entry's id, else its link, else its position.
    A URL is fetched with `timeout` seconds (for the whole answer) and, when `fetch` carries an
    ETag or Last-Modified from the last answer, as a conditional request: "304 Not Modified"
    yields nothing and sets `fetch.not_modified`. A server that cannot be reached, answers
    with an error or times out yields one Rejected "source unreachable". A file is checked
    (`check_file`) unless `encoding` says the caller did; feedparser then decodes it from its
    XML declaration (and a URL's answer from its HTTP charset)."""
    fetch = fetch if fetch is not None else FeedFetch()
    limit = settings.max_bytes() if max_bytes is None else max_bytes
    location = str(path_or_url)
    headers: dict[str, str] = {}
    if is_url(location):
        answer = _fetch_feed(location, fetch, timeout, limit)
        if isinstance(answer, Rejected) or answer is None:
            if answer is not None:
                yield answer
            return
        data, headers = answer
    else:
        checked = check_file(location, limit) if encoding is None else encoding
        if isinstance(checked, Rejected):
            yield checked
            return
        data = Path(location).read_bytes()
        fetch.status = 0
    import feedparser  # imported when a feed is read

    # A stream, never a string: feedparser fetches strings that look like URLs or file names.
    parsed = feedparser.parse(io.BytesIO(data), response_headers={
        "content-type": headers.get("content-type", "application/xml"),
        "content-location": location if is_url(location) else "",
    })
    if not parsed.entries:
        if parsed.bozo or not parsed.version:
            problem = parsed.get("bozo_exception") or "no RSS or Atom elements"
            yield Rejected(location, "", "unreadable", f"not an RSS or Atom feed: {problem}")
        return
    source = _html_to_text(parsed.feed.get("title", "")) if parsed.feed.get("title") else ""
    seen_keys: set[str] = set()
    for index, entry in enumerate(parsed.entries):
        key = _unique_key(seen_keys, str(entry.get("id") or entry.get("link") or "").strip(), index)
        yield _feed_report(location, key, entry, source)


def _fetch_feed(url: str, fetch: FeedFetch, timeout: float, limit: int
                ) -> tuple[bytes, dict[str, str]] | Rejected | None:
    """(body, headers), None for 304 Not Modified, or a Rejected "source unreachable"."""
    request = urllib.request.Request(url, headers={
        "User-Agent": FEED_USER_AGENT,
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
    })
    if fetch.etag:
        request.add_header("If-None-Match", fetch.etag)
    if fetch.last_modified:
        request.add_header("If-Modified-Since", fetch.last_modified)
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            chunks, size = [], 0
            while True:  # the socket timeout is per read; the deadline bounds the whole answer
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no complete answer within {timeout:g}s")
                chunk = response.read(READ_CHUNK_BYTES)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    return Rejected(url, "", "too large", f"more than {limit} bytes; the limit is {limit} "
                                    "(max_bytes in the config, --max-bytes or PRESENCE_MAX_BYTES)")
                chunks.append(chunk)
            fetch.status = response.status
            headers = {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as e:
        fetch.status = e.code
        if e.code == 304:
            fetch.not_modified = True
            return None
        return Rejected(url, "", "source unreachable", f"HTTP {e.code} {e.reason}")
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as e:
        fetch.status = None
        reason = getattr(e, "reason", None) or e
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            return Rejected(url, "", "source unreachable", f"timed out after {timeout:g}s ({reason})")
        return Rejected(url, "", "source unreachable", f"{type(e).__name__}: {reason}")
    fetch.etag = headers.get("etag") or None
    fetch.last_modified = headers.get("last-modified") or None
    fetch.not_modified = False
    return b"".join(chunks), headers


def _feed_report(location: str, key: str, entry, source: str) -> Report | Rejected:
    title = _feed_text(entry.get("title_detail")) or _clean_title(entry.get("title"))
    content = entry.get("content") or []
    body = content[0] if content else entry.get("summary_detail")
    text = _feed_text(body) if body else _normalise_text(entry.get("summary") or "")
    if not text:
        return Rejected(location, key, "no text", "the entry has no content and no summary")
    published = None
    # `field in entry` first: feedparser maps a missing "updated" to "published" with a warning.
    for field in ("published_parsed", "updated_parsed"):
        parsed = entry.get(field) if field in entry else None
        if parsed:
            published = date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            break
    published = published or find_report_date(text)
    if published is None:
        stated = next((entry[f] for f in ("published", "updated") if f in entry and entry[f]), None)
        return Rejected(location, key, "no report date", _no_date_detail(stated))
    title = _clean_title(title)
    return Report(
        report_id=make_report_id(title, text), source=_clean_title(source),
        url=str(entry.get("link") or "").strip(), title=title, published=published, text=text,
        path=location, source_key=f"{location}#{key}", reader="feed",
    )


def _feed_text(detail) -> str:
    """A feedparser text construct ({"type", "value"}) as plain text."""
    if not detail:
        return ""
    value = detail.get("value") or ""
    kind = (detail.get("type") or "").lower()
    return _html_to_text(value) if ("html" in kind or "xml" in kind) else _normalise_text(value)


class _TextCollector(HTMLParser):
    """Text of an HTML fragment: scripts, styles and templates dropped, one paragraph per block
    element (feed entries are fragments, too short for trafilatura's main-text heuristics)."""

    SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "title"})
    BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                        "tr", "table", "blockquote", "pre", "section", "article", "hr", "figure",
                        "figcaption", "dd", "dt"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.SKIPPED:
            self._skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _html_to_text(html: str) -> str:
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    paragraphs = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return _normalise_text("\n\n".join(p for p in paragraphs if p))


_READERS = {
    **{suffix: read_text_file for suffix in TEXT_SUFFIXES},
    **{suffix: read_html for suffix in HTML_SUFFIXES},
    **{suffix: read_json for suffix in JSON_SUFFIXES + JSONL_SUFFIXES},
    **{suffix: read_csv for suffix in CSV_SUFFIXES},
    **{suffix: read_feed for suffix in FEED_SUFFIXES},
}
SUPPORTED_SUFFIXES = tuple(sorted(_READERS))


def read_reports(paths: str | os.PathLike | Iterable[str | os.PathLike],
                 csv_columns: Mapping[str, str | None] | None = None,
                 csv_date_format: str | None = None,
                 max_bytes: int | None = None) -> Iterator[Report | Rejected]:
    """Every report under `paths` (files or folders), in a stable order. Folders are walked
    recursively in sorted order, skipping hidden files and folders, README.md/SOURCE.md, and
    files of other kinds; a file named explicitly with an unknown suffix is Rejected
    "unsupported type". Each file is checked (`check_file`) before it is parsed, and a reader
    error on one file is Rejected "unreadable" while the iteration goes on. An http(s) URL is
    read as a feed (`read_feed`, unconditional; the refresh keeps ETags for conditional
    requests). `max_bytes` defaults to settings.max_bytes() (PRESENCE_MAX_BYTES)."""
    limit = settings.max_bytes() if max_bytes is None else max_bytes
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for given in paths:
        if is_url(given):
            yield from read_feed(given, max_bytes=limit)
            continue
        path = Path(given)
        if path.is_dir():
            for file in _walk(path):
                yield from _read_file(file, limit, csv_columns, csv_date_format)
        elif path.is_file():
            if path.suffix.lower() not in _READERS:
                yield Rejected(str(path), "", "unsupported type",
                               f"{path.suffix or 'no suffix'}; supported: "
                               + " ".join(SUPPORTED_SUFFIXES))
                continue
            yield from _read_file(path, limit, csv_columns, csv_date_format)
        else:
            yield Rejected(str(path), "", "unreadable", "no such file or directory")


def _walk(root: Path) -> Iterator[Path]:
    for name, _stat in _walk_stat(str(root)):
        yield Path(name)


def _walk_stat(root: str) -> Iterator[tuple[str, os.stat_result]]:
    """The files of a folder that read_reports reads, in its order (sorted by path parts: each
    folder's entries sorted by name, depth first), with their stat. Hidden files and folders,
    README.md/SOURCE.md and other kinds are left out; as with Path.rglob (3.11) and
    Path.is_file, a link to a file is read and a link to a folder is not walked into."""
    try:
        with os.scandir(root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk_stat(entry.path)
                continue
            dot = name.rfind(".")
            if dot <= 0 or name[dot:].lower() not in _READERS or name.lower() in SKIPPED_IN_FOLDERS:
                continue
            stat = entry.stat()
        except OSError:
            continue
        if not (stat.st_mode & 0o170000 == 0o100000):  # a regular file (after links)
            continue
        yield entry.path, stat


def folder_files(root: str | os.PathLike) -> Iterator[tuple[str, os.stat_result]]:
    """(path, stat) of each file of a folder that read_reports reads, in its order."""
    return _walk_stat(str(Path(root)))


def source_files(given: str | os.PathLike) -> Iterator[tuple[str, os.stat_result] | Rejected]:
    """What read_reports([given]) reads, file by file, without reading: (path, stat) of each
    file it would read, or the Rejected it would give for a named file it cannot read."""
    path = Path(given)
    if path.is_dir():
        yield from _walk_stat(str(path))  # str(Path): the spelling read_reports gives paths
    elif path.is_file():
        if path.suffix.lower() not in _READERS:
            yield Rejected(str(path), "", "unsupported type",
                           f"{path.suffix or 'no suffix'}; supported: " + " ".join(SUPPORTED_SUFFIXES))
            return
        yield str(path), path.stat()
    else:
        yield Rejected(str(path), "", "unreadable", "no such file or directory")


def read_file(path: str | os.PathLike, max_bytes: int | None = None,
              csv_columns: Mapping[str, str | None] | None = None,
              csv_date_format: str | None = None) -> Iterator[Report | Rejected]:
    """The reports of one file, as read_reports reads each file: checked first, then read by
    the reader of its kind; any error is one Rejected "unreadable"."""
    limit = settings.max_bytes() if max_bytes is None else max_bytes
    yield from _read_file(Path(path), limit, csv_columns, csv_date_format)


def _read_file(path: Path, max_bytes: int, csv_columns, csv_date_format
               ) -> Iterator[Report | Rejected]:
    try:
        if path.suffix.lower() in TEXT_SUFFIXES:
            quick = _read_text_quickly(path, max_bytes)
            if quick is not None:
                yield quick
                return
        checked = check_file(path, max_bytes)
        if isinstance(checked, Rejected):
            yield checked
            return
        reader = _READERS[path.suffix.lower()]
        if reader is read_csv:
            records = read_csv(path, csv_columns, csv_date_format, encoding=checked)
        else:
            records = reader(path, encoding=checked)
        yield from records
    except Exception as e:  # one bad file must not stop the refresh: record it and go on
        yield Rejected(str(path), "", "unreadable", f"{type(e).__name__}: {e}")


def _read_text_quickly(path: Path, max_bytes: int) -> Report | Rejected | None:
    """A text report in one read, when the file is plain UTF-8 text of an allowed size (the
    common case); None when check_file must look at it (and say why it is rejected)."""
    with path.open("rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size == 0 or size > max_bytes:
            return None
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes or b"\x00" in data[:BINARY_SNIFF_BYTES]:
        return None
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if not raw.strip():
        return None
    # What Path.read_text gives: universal newlines.
    return _text_report(path, raw.replace("\r\n", "\n").replace("\r", "\n"))


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------
def _encoding_or_reject(path: Path, encoding: str | None):
    """For a reader called on its own: check the file first (a generator helper: yields the
    Rejected and returns None, or returns the encoding)."""
    if encoding is not None:
        return encoding
    checked = check_file(path)
    if isinstance(checked, Rejected):
        yield checked
        return None
    return checked


def _report(path: Path, record: str | int | None, reader: str, title, text: str,
            published: date, source, url) -> Report:
    title = _clean_title(title)
    return Report(
        report_id=report_id_of(title, text),
        source=_clean_title(source),
        url=str(url).strip() if url else "",
        title=title,
        published=published,
        text=text,
        path=str(path),
        source_key=str(path) if record is None else f"{path}#{record}",
        reader=reader,
    )


def report_id_of(title: str, text: str) -> str:
    """models.make_report_id, faster: str.split() splits on exactly the characters the
    regex \\s matches, and NFC text joined by a newline stays NFC (tests check both)."""
    body = " ".join(unicodedata.normalize("NFC", f"{title}\n{text}").split())
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:24]


def _json_report(path: Path, record, default_key: int, multi: bool,
                 seen_keys: set[str] | None = None) -> Report | Rejected:
    if not isinstance(record, dict):
        return Rejected(str(path), str(default_key), "unreadable",
                        f"record is a {type(record).__name__}; expected an object")
    record_id = record.get("id")
    record_id = str(record_id).strip() if record_id is not None else ""
    key = _unique_key(seen_keys if seen_keys is not None else set(), record_id, default_key)
    rejected_key = key if multi else ""
    raw_text = _first_present(record, _JSON_TEXT_FIELDS)
    text = _normalise_text(raw_text) if isinstance(raw_text, str) else ""
    if not text:
        return Rejected(str(path), rejected_key, "no text",
                        "no non-empty 'text', 'body' or 'content' field")
    raw_date = _first_present(record, _JSON_DATE_FIELDS)
    published = _metadata_date(raw_date) or find_report_date(text)
    if published is None:
        return Rejected(str(path), rejected_key, "no report date", _no_date_detail(raw_date))
    return _report(path, key if multi else None, "json", record.get("title"), text, published,
                   record.get("source"), record.get("url"))


def _unique_key(seen: set[str], record_id: str, position: int) -> str:
    """The record's id, else its position; an id seen before in the same file gets its
    position appended ("1926479112@57"): FA-KES repeats four unit_ids, and one source_key must
    name one record."""
    key = record_id or str(position)
    if key in seen:
        key = f"{key}@{position}"
    seen.add(key)
    return key


def _csv_column_indexes(header: list[str], columns: Mapping[str, str | None] | None
                        ) -> dict[str, int | None]:
    by_name = {}
    for i, name in enumerate(header):
        by_name.setdefault(name.lower(), i)
    columns = dict(columns or {})
    unknown_fields = set(columns) - set(_CSV_FIELDS)
    if unknown_fields:
        raise ValueError(f"unknown report fields in the column mapping: {sorted(unknown_fields)}; "
                         f"known: {list(_CSV_FIELDS)}")
    missing = [name for name in columns.values() if name and name.lower() not in by_name]
    if missing:
        raise ValueError(f"columns {missing} are not in the CSV header {header}")
    indexes: dict[str, int | None] = {}
    for field in _CSV_FIELDS:
        if field in columns:
            name = columns[field]
            indexes[field] = by_name[name.lower()] if name else None
        else:
            indexes[field] = next((by_name[c] for c in CSV_COLUMN_CANDIDATES[field]
                                   if c in by_name), None)
    return indexes


class _MetaCollector(HTMLParser):
    """<meta name|property|itemprop=... content=...>, <title>, <link rel=canonical>, and
    <time datetime> of a page, read with the standard library's HTML parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._in_title = False
        self._title: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("name") or a.get("property") or a.get("itemprop")
                   or a.get("http-equiv") or "").strip().lower()
            if key and a.get("content", "").strip():
                self.values.setdefault(key, a["content"].strip())
        elif tag == "title":
            self._in_title = True
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            self.values.setdefault("<canonical>", a["href"].strip())
        elif tag == "time" and a.get("itemprop", "").lower() == "datepublished" and a.get("datetime"):
            self.values.setdefault("datepublished", a["datetime"].strip())

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)

    def close(self) -> None:
        super().close()
        title = "".join(self._title).strip()
        if title:
            self.values.setdefault("<title>", title)


def _html_metadata(html: str) -> dict[str, str]:
    collector = _MetaCollector()
    collector.feed(html)
    collector.close()
    return collector.values


def _normalise_text(text: str) -> str:
    """NFC, Windows and old Mac line ends -> "\\n", outer whitespace stripped; paragraphs and
    inner spacing kept, since evidence offsets point into this text."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _clean_title(value) -> str:
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _first_title_line(text: str) -> str:
    for line in text.split("\n"):
        line = line.strip()
        if not line or len(line) >= TITLE_MAX_CHARS:
            continue
        if _NOT_A_TITLE.fullmatch(line) or parse_date(line) is not None:
            continue
        return _clean_title(line)
    return ""


def _first_present(record: Mapping, keys: tuple[str, ...]):
    for key in keys:
        value = record.get(key)
        if value not in (None, ""):
            return value
    return None


def _metadata_date(value) -> date | None:
    """A date from front matter or JSON: YAML gives date/datetime objects, JSON strings."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    return None


def _no_date_detail(value, date_format: str | None = None) -> str:
    if value in (None, ""):
        return "no date field, no date near the top of the text, none in the file name"
    as_format = f" as {date_format}" if date_format else ""
    return f"date {str(value)!r} does not parse{as_format}, and no date near the top of the text"
