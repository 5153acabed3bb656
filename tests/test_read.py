"""Readers over small made-up fixtures (tests/fixtures/reports/README.md lists them), bad inputs
generated in the test, and the real FA-KES development CSV where ../shared is present."""
from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from etl.dates import parse_date
from etl.models import Rejected, Report, make_report_id
from etl.read import (
    FAKES_COLUMNS,
    FAKES_DATE_FORMAT,
    check_file,
    read_csv,
    read_html,
    read_json,
    read_reports,
    read_text_file,
)

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
FAKES_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "fakes-dev" / "fakes-dev.csv"


def only(items):
    items = list(items)
    assert len(items) == 1, items
    return items[0]


def summary(item: Report | Rejected) -> tuple:
    """A comparable line per item: what was read, under which key, or why not."""
    if isinstance(item, Rejected):
        return ("rejected", Path(item.path).name, item.record, item.reason)
    key = Path(item.source_key).name
    return (item.reader, key, item.title, item.published.isoformat())


# ---- one reader per kind --------------------------------------------------------------------
def test_markdown_front_matter():
    report = only(read_text_file(FIXTURES / "front-matter.md"))
    assert report.title == "Checkpoints thin out in Exampletown"
    assert report.published == date(2015, 1, 19)
    assert report.source == "Example Monitor"
    assert report.url == "https://example.invalid/checkpoints-thin-out"
    assert report.text.startswith("Residents of Exampletown said on Monday")
    assert "---" not in report.text and "title:" not in report.text
    assert "\n\nA local source" in report.text  # paragraph breaks kept
    assert report.report_id == make_report_id(report.title, report.text)
    assert report.path == str(FIXTURES / "front-matter.md")
    assert report.source_key == report.path
    assert report.reader == "text"


def test_text_dateline_gives_title_and_date():
    report = only(read_text_file(FIXTURES / "dateline.txt"))
    assert report.title == "Patrols return to the market in Sampleville"
    assert report.published == date(2016, 3, 2)
    assert (report.source, report.url) == ("", "")


def test_text_dated_only_by_file_name():
    report = only(read_text_file(FIXTURES / "2016-03-05-dated-by-name.txt"))
    assert report.published == date(2016, 3, 5)
    assert report.title == "Field note: convoy seen on the desert road"


def test_undated_text_is_rejected():
    rejected = only(read_text_file(FIXTURES / "undated.txt"))
    assert rejected == Rejected(str(FIXTURES / "undated.txt"), "", "no report date",
                                rejected.detail)
    assert "file name" in rejected.detail


def test_clutter_line_is_not_the_title(tmp_path):
    path = tmp_path / "clutter.txt"
    path.write_text("3 min read\n\n19 January 2015\n\nFewer patrols in a border town\n\nText.\n")
    report = only(read_text_file(path))
    assert report.title == "Fewer patrols in a border town"
    assert report.published == date(2015, 1, 19)


def test_json_list():
    path = FIXTURES / "reports.json"
    assert [summary(i) for i in read_json(path)] == [
        ("json", "reports.json#r1", "Clashes near Testville", "2017-10-16"),
        ("json", "reports.json#1", "A second report", "2015-01-19"),  # dated by its text
        ("rejected", "reports.json", "r3", "no text"),
    ]
    first = next(iter(read_json(path)))
    assert (first.source, first.url) == ("Example Wire", "https://example.invalid/r1")
    assert first.source_key == f"{path}#r1"


def test_jsonl_bad_line_is_rejected_and_the_others_go_on():
    items = list(read_json(FIXTURES / "reports.jsonl"))
    assert [summary(i) for i in items] == [
        ("json", "reports.jsonl#j1", "Line one", "2015-01-19"),  # RFC 2822 date
        ("rejected", "reports.jsonl", "2", "unreadable"),
        ("json", "reports.jsonl#3", "Line three", "2015-01-18"),
    ]
    assert items[0].text == "A patrol was ambushed on the northern road on Sunday."
    assert "line 2" in items[1].detail


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"title": "One", "text": "Body.", "date": "2015-01-19"}, [("json", "one.json", "One", "2015-01-19")]),
        ({"articles": [{"title": "A", "content": "Body.", "published": "2015-01-19"}]},
         [("json", "one.json#0", "A", "2015-01-19")]),
        ({"items": [{"id": 7, "title": "A", "text": "Body.", "published": "2015-01-19"}, 3]},
         [("json", "one.json#7", "A", "2015-01-19"), ("rejected", "one.json", "1", "unreadable")]),
        ({"title": "No date", "text": "Body without a date."}, [("rejected", "one.json", "", "no report date")]),
        ("just a string", [("rejected", "one.json", "", "unreadable")]),
    ],
)
def test_json_shapes(tmp_path, content, expected):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(content))
    assert [summary(i) for i in read_json(path)] == expected


def test_invalid_json_file_is_unreadable(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"title": "x",')
    rejected = only(read_json(path))
    assert (rejected.reason, rejected.record) == ("unreadable", "")
    assert "line 1" in rejected.detail


def test_csv_fakes_layout():
    path = FIXTURES / "fakes-layout.csv"
    items = list(read_csv(path, FAKES_COLUMNS, FAKES_DATE_FORMAT))
    assert [summary(i) for i in items] == [
        ("csv", "fakes-layout.csv#1001", "Shelling hits Exampletown market", "2017-01-13"),
        ("csv", "fakes-layout.csv#1002", "Fighters withdraw from Testville, monitor says", "2016-10-02"),
        ("rejected", "fakes-layout.csv", "1003", "no report date"),
    ]
    assert items[0].source == "examplewire" and items[0].url == ""
    assert items[1].text == ("Fighters withdrew from Testville overnight, a monitor said.\n\n"
                             "Residents said the last convoy left before dawn.")
    assert "%m/%d/%y" in items[2].detail


def test_csv_auto_detects_columns_and_the_fakes_date_format():
    items = list(read_csv(FIXTURES / "fakes-layout.csv"))
    assert [summary(i)[:2] for i in items] == [
        ("csv", "fakes-layout.csv#1001"), ("csv", "fakes-layout.csv#1002"),
        ("rejected", "fakes-layout.csv"),
    ]
    assert items[1].published == date(2016, 10, 2)  # M/D/YY, not found in its text


def test_csv_common_column_names_and_row_numbers(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text(
        "Headline,Body,Date,Link\n"
        "Town retaken,Troops retook the town on Friday.,2017-11-17,https://example.invalid/a\n"
        "\n"
        "No date column value,\"19 January 2015\nGunmen shot two men.\",,\n"
        "Empty body,,2017-11-17,\n"
    )
    items = list(read_csv(path))
    assert [summary(i) for i in items] == [
        ("csv", "feed.csv#1", "Town retaken", "2017-11-17"),
        ("csv", "feed.csv#3", "No date column value", "2015-01-19"),  # date from the text
        ("rejected", "feed.csv", "4", "no text"),
    ]
    assert items[0].url == "https://example.invalid/a"


def test_repeated_ids_get_their_position(tmp_path):
    csv_path = tmp_path / "dup.csv"
    csv_path.write_text("id,text,date\n7,First.,2015-01-19\n7,Second.,2015-01-19\n8,Third.,2015-01-19\n")
    assert [Path(r.source_key).name for r in read_csv(csv_path)] == [
        "dup.csv#7", "dup.csv#7@2", "dup.csv#8"]
    jsonl_path = tmp_path / "dup.jsonl"
    jsonl_path.write_text("\n".join(json.dumps({"id": "a", "text": f"T{i}.", "date": "2015-01-19"})
                                    for i in range(2)))
    assert [Path(r.source_key).name for r in read_json(jsonl_path)] == ["dup.jsonl#a", "dup.jsonl#a@2"]


def test_csv_without_a_text_column(tmp_path):
    path = tmp_path / "numbers.csv"
    path.write_text("a,b\n1,2\n")
    rejected = only(read_csv(path))
    assert rejected.reason == "no text"
    assert "['a', 'b']" in rejected.detail


def test_csv_with_a_header_only_is_empty(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("title,text,date\n")
    assert only(read_reports([path])).reason == "empty"


def test_csv_mapping_naming_a_missing_column_is_unreadable(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("text,date\nSome text.,2015-01-19\n")
    rejected = only(read_reports([path], csv_columns={"text": "article_content"}))
    assert rejected.reason == "unreadable"
    assert "article_content" in rejected.detail


def test_html_page():
    report = only(read_html(FIXTURES / "page.html"))
    assert report.title == "Convoy leaves Sampleville for the border"
    assert report.published == date(2016, 6, 14)  # article:published_time, the stated day
    assert report.source == "Example News"
    assert report.url == "https://example.invalid/news/convoy-leaves-sampleville"
    assert "A convoy of seven pickups" in report.text
    assert "Home" not in report.text and "Copyright" not in report.text
    assert "<p>" not in report.text
    assert report.reader == "html"


def test_html_meta_date_and_declared_windows_1252(tmp_path):
    path = tmp_path / "legacy.html"
    body = ("<p>Les combattants ont quitté la ville samedi, selon des habitants du quartier "
            "est. Le poste de contrôle a été démonté.</p>" * 3)
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
            '<meta name="date" content="2015-01-19"><title>Départ</title></head>'
            f"<body><article>{body}</article></body></html>")
    path.write_bytes(html.encode("cp1252"))
    assert check_file(path) == "cp1252"
    report = only(read_reports([path]))
    assert report.published == date(2015, 1, 19)
    assert "quitté" in report.text


# ---- the folder walk --------------------------------------------------------------------
def test_folder_walk_in_sorted_order():
    assert [summary(i) for i in read_reports([FIXTURES])] == [
        ("text", "2016-03-05-dated-by-name.txt", "Field note: convoy seen on the desert road", "2016-03-05"),
        ("text", "dateline.txt", "Patrols return to the market in Sampleville", "2016-03-02"),
        ("csv", "fakes-layout.csv#1001", "Shelling hits Exampletown market", "2017-01-13"),
        ("csv", "fakes-layout.csv#1002", "Fighters withdraw from Testville, monitor says", "2016-10-02"),
        ("rejected", "fakes-layout.csv", "1003", "no report date"),
        ("text", "front-matter.md", "Checkpoints thin out in Exampletown", "2015-01-19"),
        ("html", "page.html", "Convoy leaves Sampleville for the border", "2016-06-14"),
        ("json", "reports.json#r1", "Clashes near Testville", "2017-10-16"),
        ("json", "reports.json#1", "A second report", "2015-01-19"),
        ("rejected", "reports.json", "r3", "no text"),
        ("json", "reports.jsonl#j1", "Line one", "2015-01-19"),
        ("rejected", "reports.jsonl", "2", "unreadable"),
        ("json", "reports.jsonl#3", "Line three", "2015-01-18"),
        ("rejected", "undated.txt", "", "no report date"),
    ]


def test_folder_skips_hidden_docs_and_other_kinds_but_not_explicit_files(tmp_path):
    shutil.copy(FIXTURES / "dateline.txt", tmp_path / "a.txt")
    (tmp_path / ".hidden.txt").write_text("19 January 2015\n\nHidden.")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "b.txt").write_text("19 January 2015\n\nIn a hidden folder.")
    (tmp_path / "README.md").write_text("# About\n\n19 January 2015")
    (tmp_path / "SOURCE.md").write_text("# Source\n\n19 January 2015")
    (tmp_path / "notes.xml").write_text("<x>19 January 2015</x>")
    (tmp_path / "sub").mkdir()
    shutil.copy(FIXTURES / "front-matter.md", tmp_path / "sub" / "c.md")
    assert [summary(i)[:2] for i in read_reports([tmp_path])] == [
        ("text", "a.txt"), ("text", "c.md"),
    ]
    assert [summary(i) for i in read_reports([tmp_path / "notes.xml", tmp_path / "missing.txt"])] == [
        ("rejected", "notes.xml", "", "unsupported type"),
        ("rejected", "missing.txt", "", "unreadable"),
    ]
    # an explicitly named README is read like any report
    assert summary(only(read_reports(tmp_path / "README.md")))[0] == "text"


# ---- bad inputs, checked before any parser sees them ------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\r\n\t \n", "empty"),
        ("binary.txt", b"19 January 2015\n\x00\x01\x02\x03", "binary"),
        ("binary.csv", b"text,date\n\x00\x00", "binary"),
        ("latin.txt", "19 January 2015\n\nLes combattants ont quitté la ville.".encode("cp1252"),
         "invalid encoding"),
        ("undeclared.html", "<html><body><p>Caf\u00e9</p></body></html>".encode("cp1252"),
         "invalid encoding"),
        ("lying.html", '<meta charset="utf-8"><p>Caf\u00e9</p>'.encode("cp1252"), "invalid encoding"),
    ],
)
def test_bad_files_are_rejected_before_parsing(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    rejected = only(read_reports([path]))
    assert (rejected.path, rejected.record, rejected.reason) == (str(path), "", reason)
    assert rejected.detail


def test_invalid_encoding_names_the_byte_offset(tmp_path):
    path = tmp_path / "bad.txt"
    # past the first read, with a two-byte character split across the two reads
    prefix = b"a" * 8191 + "é".encode() + b"b" * 5000
    path.write_bytes(prefix + b"\xff rest")
    rejected = only(read_reports([path]))
    assert rejected.reason == "invalid encoding"
    assert f"byte offset {len(prefix)}" in rejected.detail
    assert "iconv" in rejected.detail  # says how to fix it


def test_too_large(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("19 January 2015\n\n" + "Fighters left the town. " * 20)
    rejected = only(read_reports([path], max_bytes=100))
    assert rejected.reason == "too large"
    assert "PRESENCE_MAX_BYTES" in rejected.detail
    assert isinstance(only(read_reports([path], max_bytes=10_000)), Report)


def test_max_bytes_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_text("19 January 2015\n\nFighters left the town.")
    monkeypatch.setenv("PRESENCE_MAX_BYTES", "10")
    assert only(read_reports([path])).reason == "too large"
    assert only(read_text_file(path)).reason == "too large"  # a reader called on its own


def test_reader_error_is_unreadable_and_the_walk_goes_on(tmp_path):
    (tmp_path / "a-broken.md").write_text("---\ntitle: [unclosed\n---\n19 January 2015\n\nText.")
    shutil.copy(FIXTURES / "dateline.txt", tmp_path / "b.txt")
    items = list(read_reports([tmp_path]))
    assert [summary(i)[:2] for i in items] == [("rejected", "a-broken.md"), ("text", "b.txt")]
    assert items[0].reason == "unreadable"
    assert items[0].detail


def test_text_is_normalised_but_keeps_paragraphs(tmp_path):
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes("Title\r\n\r\n19 January 2015\r\n\r\nCafe\u0301 closed.\r\nSecond line.\r\n".encode())
    lf = tmp_path / "lf.txt"
    lf.write_text("Title\n\n19 January 2015\n\nCaf\u00e9 closed.\nSecond line.\n")
    a, b = only(read_reports([crlf])), only(read_reports([lf]))
    assert a.text == "Title\n\n19 January 2015\n\nCaf\u00e9 closed.\nSecond line."
    assert a.text == b.text
    assert a.report_id == b.report_id  # the same report read twice is one report


def test_utf8_bom_is_not_part_of_the_text(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfTitle\n\n19 January 2015\n\nText.")
    report = only(read_reports([path]))
    assert report.title == "Title"
    assert report.text.startswith("Title")


# ---- the real FA-KES development half -------------------------------------------------------
@pytest.mark.skipif(not FAKES_DEV.exists(), reason="../shared not present")
def test_real_fakes_dev_csv():
    items = list(read_csv(FAKES_DEV, FAKES_COLUMNS, FAKES_DATE_FORMAT))
    reports = [i for i in items if isinstance(i, Report)]
    assert len(items) == len(reports) == 408
    assert all(r.published is not None and r.text and r.title for r in reports)
    # FA-KES repeats four unit_ids: the repeats get their row number, so keys stay unique
    assert len({r.source_key for r in reports}) == 408
    with FAKES_DEV.open(encoding="utf-8-sig", newline="") as f:
        dates = [row["date"] for row in csv.DictReader(f)]
    for r, written in zip(reports, dates):
        assert r.published == parse_date(written, FAKES_DATE_FORMAT)
        assert r.reader == "csv" and r.url == ""


# ---- the fast paths agree with the general ones ---------------------------------------------
def test_source_files_lists_what_read_reports_reads_in_its_order(tmp_path):
    from etl.read import source_files

    shutil.copytree(FIXTURES, tmp_path / "r")
    (tmp_path / "r" / ".hidden.md").write_text("19 January 2015\n\nHidden.")
    (tmp_path / "r" / "README.md").write_text("# About")
    (tmp_path / "r" / "b").mkdir()
    (tmp_path / "r" / "b" / "x.md").write_text("19 January 2015\n\nIn a folder named b.")
    (tmp_path / "r" / "b.md").write_text("19 January 2015\n\nBeside the folder b.")
    (tmp_path / "r" / "linked").symlink_to(tmp_path / "r" / "b")  # not walked into, as Path.rglob
    (tmp_path / "r" / "link.md").symlink_to(tmp_path / "r" / "b.md")  # read, as Path.is_file
    for path in (tmp_path / "r", f"{tmp_path}/./r/", tmp_path / "r" / "b.md"):
        listed = [p for p, _stat in source_files(path)]
        read = list(dict.fromkeys(i.path for i in read_reports([path])))
        assert listed == read
    assert [summary(i) for i in source_files(tmp_path / "r" / "notes.xml")] == [("rejected", "notes.xml", "", "unreadable")]


@pytest.mark.parametrize("raw", [
    b'---\ntitle: "A title"\ndate: 2015-03-09\nsource: Deir Watch\nurl: https://x.org/a?b=1\n---\n\nBody text on 9 March.\n',
    b"\xef\xbb\xbf---\r\ntitle: 'BOM and CRLF'\r\ndate: 2015-03-09\r\n---\r\nBody\r\nmore\r\n",
    b"---\ntitle: yes\ndate: 2015-03-09\n---\nA yes title is a boolean in YAML 1.1.",
    b"---\ntitle: Foo: bar\n---\n19 January 2015\n\nA colon in a plain value.",
    b'---\ntitle: "esc \\"q\\""\ndate: 2015-02-30\n---\nAn impossible date.',
    b"---\ntags: [a, b]\n---\n19 January 2015\n\nA list.",
    b"No front matter at all.\n\n19 January 2015, a dateline.",
    b"---\n---\n19 January 2015\n\nAn empty front matter.",
    b"---\ntitle: x # comment\n---\n19 January 2015\n\nA comment.",
])
def test_quick_text_path_reads_what_the_checked_path_reads(tmp_path, raw):
    from etl.read import _read_text_quickly

    path = tmp_path / "r.md"
    path.write_bytes(raw)

    def outcome(read):
        try:
            return read()
        except Exception as e:  # the YAML parser refuses it: the refresh rejects it as unreadable
            return type(e), str(e)

    quick = outcome(lambda: _read_text_quickly(path, 1 << 20))
    assert quick is not None
    assert quick == outcome(lambda: only(read_text_file(path)))


yaml_values = st.one_of(
    st.sampled_from(['"abc"', "'a b'", '"a\\"b"', "2015-03-09", "2015-13-09", "2015-3-9", "12", "1.5", "yes",
                     "No", "null", "~", "plain words", "It's", "https://x.org/a?b=c", "a: b", "a #c", "a#c",
                     "[1, 2]", "{a: 1}", "", "  ", "-x", "é", "x:", "@x", "!x", "&x", "*x", "|", "'it''s'",
                     '""', "2015-03-09 10:00:00", "Off", "oN", "\u00a0x", "a\u0001b", "a\tb"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=12))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["title", "date", "source", "url", "on", "Null", "x-y", " k", "k"]),
                          st.sampled_from([": ", ":", ":  "]), yaml_values), max_size=5),
       st.sampled_from(["---", "----", "--- ", "", "{", "+++"]), st.sampled_from(["---", "", "---  "]),
       st.sampled_from(["Body.", "", "---\nmore", "  \n"]))
def test_front_matter_matches_python_frontmatter(lines, head, tail, body):
    import frontmatter

    from etl.read import _front_matter

    raw = head + "\n" + "\n".join(k + sep + v for k, sep, v in lines) + "\n" + tail + "\n" + body
    try:
        post = frontmatter.loads(raw)
        expected = (post.metadata, post.content)
    except Exception as e:
        expected = type(e)
    try:
        got = _front_matter(raw)
    except Exception as e:
        got = type(e)
    assert got == expected
    if isinstance(got, tuple):
        assert [type(v) for v in got[0].values()] == [type(v) for v in expected[0].values()]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20), st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_report_ids_of_the_readers_are_models_make_report_id(title, text):
    import unicodedata

    from etl.read import report_id_of

    title, text = unicodedata.normalize("NFC", title), unicodedata.normalize("NFC", text)
    assert report_id_of(title, text) == make_report_id(title, text)


def test_front_matter_with_a_yaml_line_break_in_a_value_reads_as_yaml_does():
    # NEL (U+0085) is a line break to YAML: the value ends before it (found by the property test above)
    from etl.read import _front_matter

    assert _front_matter("---\ntitle: A\x85\n---\nBody.") == ({"title": "A"}, "Body.")
