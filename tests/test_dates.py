"""Dates: metadata parsing, report datelines, file names, and time expressions resolved against
the report date (dev-gold conventions; the founding report is of Monday 2015-01-19)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.dates import (
    TimeExpression,
    date_from_filename,
    find_report_date,
    find_time_expressions,
    parse_date,
)

REPORT = date(2015, 1, 19)  # a Monday, as in the CODEBOOK's worked example
D = date.fromisoformat

# (sentence, expected matched text, start, end, precision) with the report of 2015-01-19
EXPRESSIONS = [
    # weekdays: the latest such day on or before the report date
    ("the depot was hit on Saturday, a resident said", "on Saturday", "2015-01-17", "2015-01-17", "day"),
    ("Saturday night's raid", "Saturday night", "2015-01-17", "2015-01-17", "day"),
    ("Saturday the group withdrew", "Saturday", "2015-01-17", "2015-01-17", "day"),
    ("a witness told reporters on Monday", "on Monday", "2015-01-19", "2015-01-19", "day"),
    ("the gunfire stopped late on Sunday", "late on Sunday", "2015-01-18", "2015-01-18", "day"),
    ("two trucks were torched last Thursday", "last Thursday", "2015-01-15", "2015-01-15", "day"),
    ("two trucks were torched last Monday", "last Monday", "2015-01-12", "2015-01-12", "day"),
    ("they will vote next Friday", "next Friday", "2015-01-23", "2015-01-23", "day"),
    # days
    ("shops stayed shut today in the old town", "today", "2015-01-19", "2015-01-19", "day"),
    ("three men were shot yesterday", "yesterday", "2015-01-18", "2015-01-18", "day"),
    ("the water supply has failed since yesterday evening", "since yesterday evening", "2015-01-18", "2015-01-19", "day"),
    ("a checkpoint was set up the day before", "the day before", "2015-01-18", "2015-01-18", "day"),
    ("the day before yesterday", "the day before yesterday", "2015-01-17", "2015-01-17", "day"),
    ("a roadblock went up this morning", "this morning", "2015-01-19", "2015-01-19", "day"),
    ("the flag was removed overnight", "overnight", "2015-01-18", "2015-01-19", "day"),
    ("a guard was wounded last night", "last night", "2015-01-18", "2015-01-19", "day"),
    ("40 shells fell in the past 24 hours", "in the past 24 hours", "2015-01-18", "2015-01-19", "day"),
    # weeks
    ("a convoy of trucks left this week", "this week", "2015-01-13", "2015-01-19", "week"),
    ("clashes last week", "last week", "2015-01-12", "2015-01-18", "week"),
    ("clashes the previous week", "the previous week", "2015-01-12", "2015-01-18", "week"),
    ("Late last week, jets hit a bridge", "Late last week", "2015-01-15", "2015-01-18", "week"),
    ("killed over the past two weeks", "over the past two weeks", "2015-01-05", "2015-01-19", "week"),
    ("killed over the last 2 weeks", "over the last 2 weeks", "2015-01-05", "2015-01-19", "week"),
    ("strikes over the past week", "over the past week", "2015-01-12", "2015-01-19", "week"),
    ("killed in the past 10 days", "in the past 10 days", "2015-01-09", "2015-01-19", "day"),
    ("arrested in the last three days of raids", "in the last three days", "2015-01-16", "2015-01-19", "day"),
    ("shootings in recent weeks", "in recent weeks", "2014-12-29", "2015-01-19", "week"),
    ("arrests in recent days", "in recent days", "2015-01-12", "2015-01-19", "week"),
    ("retaken two weeks ago", "two weeks ago", "2015-01-05", "2015-01-05", "week"),
    ("retaken three days ago", "three days ago", "2015-01-16", "2015-01-16", "day"),
    ("raids over the weekend", "over the weekend", "2015-01-17", "2015-01-18", "day"),
    # months
    ("since it took the village last July", "last July", "2014-07-01", "2014-07-31", "month"),
    ("The rebels lost the village in May", "in May", "2014-05-01", "2014-05-31", "month"),
    ("In August, a farmer was shot", "In August", "2014-08-01", "2014-08-31", "month"),
    ("In January, a farmer was shot", "In January", "2015-01-01", "2015-01-19", "month"),
    ("the push started in late March", "in late March", "2014-03-20", "2014-03-31", "month"),
    ("early March", "early March", "2014-03-01", "2014-03-10", "month"),
    ("mid-March", "mid-March", "2014-03-11", "2014-03-20", "month"),
    ("IS seized Palmyra in May last year", "in May last year", "2014-05-01", "2014-05-31", "month"),
    ("in January of this year", "in January of this year", "2015-01-01", "2015-01-19", "month"),
    ("jets struck on Saturday and Sunday", "on Saturday and Sunday", "2015-01-17", "2015-01-18", "day"),
    ("clashes from Friday to Sunday", "from Friday to Sunday", "2015-01-16", "2015-01-18", "day"),
    ("14 strikes between January 6 and January 12", "between January 6 and January 12", "2015-01-06", "2015-01-12", "day"),
    ("from 28 December to 3 January", "from 28 December to 3 January", "2014-12-28", "2015-01-03", "day"),
    ("withdrew in the first week of June", "in the first week of June", "2014-06-01", "2014-06-07", "week"),
    ("troops entered the town on the 6th", "on the 6th", "2015-01-06", "2015-01-06", "day"),
    ("jets struck the dam on the 25th", "on the 25th", "2014-12-25", "2014-12-25", "day"),
    ("during the second week of December", "during the second week of December", "2014-12-08", "2014-12-14", "week"),
    ("the last week of March 2013", "the last week of March 2013", "2013-03-25", "2013-03-31", "week"),
    ("in the final week of January", "in the final week of January", "2014-01-25", "2014-01-31", "week"),
    ("since mid-September", "since mid-September", "2014-09-11", "2015-01-19", "month"),
    ("reached the village earlier this month", "earlier this month", "2015-01-01", "2015-01-19", "month"),
    ("raids grew since the start of the month", "since the start of the month", "2015-01-01", "2015-01-19", "month"),
    ("this month", "this month", "2015-01-01", "2015-01-19", "month"),
    ("a bridge was blown up last month", "last month", "2014-12-01", "2014-12-31", "month"),
    ("over the last 3 months", "over the last 3 months", "2014-10-19", "2015-01-19", "month"),
    ("in recent months", "in recent months", "2014-10-19", "2015-01-19", "month"),
    ("since last July", "since last July", "2014-07-01", "2015-01-19", "month"),
    ("since January 2014", "since January 2014", "2014-01-01", "2015-01-19", "month"),
    ("in January 2014", "in January 2014", "2014-01-01", "2014-01-31", "month"),
    ("lost the valley in June 2014", "in June 2014", "2014-06-01", "2014-06-30", "month"),
    ("since September the jets have flown", "since September", "2014-09-01", "2015-01-19", "month"),
    # years
    ("road accidents rose last year", "last year", "2014-01-01", "2014-12-31", "year"),
    ("prices doubled this year", "this year", "2015-01-01", "2015-01-19", "year"),
    ("the rebels took the hill in 2014", "in 2014", "2014-01-01", "2014-12-31", "year"),
    ("fought for the army since 2014", "since 2014", "2014-01-01", "2015-01-19", "year"),
    ("in late 2013", "in late 2013", "2013-09-01", "2013-12-31", "month"),
    # explicit dates
    ("January 19, 2015 By a staff writer", "January 19, 2015", "2015-01-19", "2015-01-19", "day"),
    ("19 January 2015", "19 January 2015", "2015-01-19", "2015-01-19", "day"),
    ("on Oct. 16, 2017 the hill fell", "on Oct. 16, 2017", "2017-10-16", "2017-10-16", "day"),
    ("dated 2015-01-19 in the log", "2015-01-19", "2015-01-19", "2015-01-19", "day"),
    ("the army said on January 17 that", "on January 17", "2015-01-17", "2015-01-17", "day"),
    ("the army said on 17 January that", "on 17 January", "2015-01-17", "2015-01-17", "day"),
    ("retaken on 28 January after", "on 28 January", "2014-01-28", "2014-01-28", "day"),
    ("flights halted since 15 January.", "since 15 January", "2015-01-15", "2015-01-19", "day"),
    ("Since 1 December 2019, some families", "Since 1 December 2019", "2019-12-01", "2019-12-01", "day"),
    ("on Saturday, January 17, 2015", "on Saturday, January 17, 2015", "2015-01-17", "2015-01-17", "day"),
    ("covering 1-14 November 2013", "1-14 November 2013", "2013-11-01", "2013-11-14", "day"),
    ("SUMMARY (15-17 January)", "15-17 January", "2015-01-15", "2015-01-17", "day"),
    ("NEWSLETTER - 23/11/2015", "23/11/2015", "2015-11-23", "2015-11-23", "day"),
    ("the 17th of January", "the 17th of January", "2015-01-17", "2015-01-17", "day"),
]


@pytest.mark.parametrize(("sentence", "text", "start", "end", "precision"), EXPRESSIONS)
def test_time_expression(sentence, text, start, end, precision):
    found = find_time_expressions(sentence, REPORT)
    assert [(e.text, e.start, e.end, e.precision) for e in found] == [
        (text, D(start), D(end), precision)
    ]
    (e,) = found
    assert sentence[e.span_start:e.span_end] == e.text


@pytest.mark.parametrize(
    "sentence",
    [
        "Residents said the fighters withdrew from the town centre near the market.",
        "They may return to the checkpoints, the mayor said.",
        "Supporters march through the streets.",
        "2000 fighters and 150 vehicles took part.",
        "Forces set up checkpoints ahead of a Friday protest.",  # ("a Friday", "every Friday": no day)
        "Thousands have protested every Friday in Idlib city.",
        "The town's end came around AD 256.",
        "05/04/2017",  # month/day or day/month, neither within 90 days before the report: not guessed
        "3/4 of the town",  # a fraction: a numeric day needs a preposition ("on 06/09")
        "fought a week after launching the offensive",
        "",
    ],
)
def test_no_time_expression(sentence):
    assert find_time_expressions(sentence, REPORT) == []


def test_several_expressions_in_text_order():
    sentence = ("Overnight (Friday to Saturday) jets struck the hill, and the rebels lost the "
                "village last month after taking it in May 2015.")
    found = find_time_expressions(sentence, date(2016, 5, 17))
    assert [(e.text, e.start.isoformat(), e.end.isoformat()) for e in found] == [
        ("Overnight", "2016-05-16", "2016-05-17"),
        ("Friday to Saturday", "2016-05-13", "2016-05-14"),
        ("last month", "2016-04-01", "2016-04-30"),
        ("in May 2015", "2015-05-01", "2015-05-31"),
    ]
    assert all(a.span_end <= b.span_start for a, b in zip(found, found[1:]))


@pytest.mark.parametrize(
    ("sentence", "published", "start", "end"),
    [
        # dev-gold README: "In August" in March 2016 is August 2015; "last May" too
        ("In August, a teacher was shot", "2016-03-28", "2015-08-01", "2015-08-31"),
        ("The rebels lost the village last May", "2016-03-28", "2015-05-01", "2015-05-31"),
        ("The army said in March that", "2016-03-28", "2016-03-01", "2016-03-28"),
        # a calendar quarter ("Table 1 - Deaths by district (Q3 2020)"), cut at the report's date
        ("Deaths by district (Q3 2020)", "2020-10-12", "2020-07-01", "2020-09-30"),
        ("in the fourth quarter of 2020", "2020-10-12", "2020-10-01", "2020-10-12"),
        ("left the valley last July", "2017-11-12", "2017-07-01", "2017-07-31"),
        ("the push started in late March", "2017-05-11", "2017-03-20", "2017-03-31"),
        ("last March", "2016-03-28", "2015-03-01", "2015-03-31"),
        ("late March", "2016-03-05", "2015-03-20", "2015-03-31"),
        ("late March", "2016-03-25", "2016-03-20", "2016-03-25"),
        ("on February 29", "2017-03-01", "2016-02-29", "2016-02-29"),
        ("last week", "2016-05-17", "2016-05-09", "2016-05-15"),
        ("This week", "2016-02-08", "2016-02-02", "2016-02-08"),
        ("since last week", "2018-04-10", "2018-04-02", "2018-04-10"),
        ("over the past two weeks", "2014-03-17", "2014-03-03", "2014-03-17"),
        ("two weeks ago", "2017-11-17", "2017-11-03", "2017-11-03"),
        ("in late September", "2017-11-17", "2017-09-20", "2017-09-30"),
        ("last weekend", "2015-01-18", "2015-01-10", "2015-01-11"),
        # numeric days: day first (as the region writes them), within 90 days before the report
        ("regained control of Thiban on 06/09", "2019-09-10", "2019-09-06", "2019-09-06"),
        ("on 12/04 the convoy left", "2021-04-20", "2021-04-12", "2021-04-12"),
        ("on 05/04/2017", "2017-04-20", "2017-04-05", "2017-04-05"),
        ("on 05/09/2017", "2017-05-10", "2017-05-09", "2017-05-09"),  # 5 September is still to come
        # a messaging channel's post stamp: day first, a two-digit year, a time
        ("[15.03.21 23:40] Daesh remnants attacked a checkpoint", "2021-03-16", "2021-03-15", "2021-03-15"),
        ("[12.04.21 09:10] convoy seen", "2021-12-20", "2021-04-12", "2021-04-12"),  # day first, always
    ],
)
def test_resolution_depends_on_the_report_date(sentence, published, start, end):
    (e,) = find_time_expressions(sentence, D(published))
    assert (e.start, e.end) == (D(start), D(end))


def test_a_month_first_chat_stamp_is_no_post_stamp():
    assert not find_time_expressions("[5/3/21, 10:41 PM] Daesh remnants attacked a checkpoint", D("2021-05-04"))


def test_time_expression_is_frozen():
    (e,) = find_time_expressions("on Saturday", REPORT)
    assert isinstance(e, TimeExpression)
    with pytest.raises(AttributeError):
        e.start = REPORT  # type: ignore[misc]


# ---- property tests ---------------------------------------------------------------------
report_dates = st.dates(min_value=date(1995, 1, 1), max_value=date(2034, 12, 31))
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
NUMBERS = ["two", "three", "five", "ten", "twelve", "twenty-one", "2", "7", "14", "30"]
PAST_EXPRESSIONS = st.one_of(
    st.sampled_from([
        "today", "yesterday", "the day before", "this week", "last week", "late last week",
        "this month", "earlier this month", "last month", "this year", "last year",
        "in recent weeks", "in recent days", "in recent months", "overnight", "last night",
        "over the weekend", "last weekend", "the past week", "since the start of the month",
        "in the past 24 hours", "a few days ago",
    ]),
    st.builds(lambda w, p: f"{p}{w}", st.sampled_from(WEEKDAYS),
              st.sampled_from(["", "on ", "last ", "late on "])),
    st.builds(lambda m, p: f"{p}{m}", st.sampled_from(MONTHS),
              st.sampled_from(["in ", "last ", "late ", "early ", "mid-", "since ", "since last "])),
    st.builds(lambda n, u, p: f"{p} {n} {u}", st.sampled_from(NUMBERS),
              st.sampled_from(["days", "weeks", "months", "years"]),
              st.sampled_from(["over the past", "in the last", "over the last", "the past"])),
    st.builds(lambda n, u: f"{n} {u} ago", st.sampled_from(NUMBERS),
              st.sampled_from(["days", "weeks", "months", "years"])),
    st.builds(lambda d, m: f"on {d} {m}", st.integers(1, 28), st.sampled_from(MONTHS)),
    st.builds(lambda d, m: f"on {m} {d}", st.integers(1, 28), st.sampled_from(MONTHS)),
)


@settings(max_examples=400, deadline=None)
@given(report_date=report_dates, expression=PAST_EXPRESSIONS)
def test_past_expressions_end_on_or_before_the_report_date(report_date, expression):
    sentence = f"Fighters were seen {expression}, residents said."
    found = find_time_expressions(sentence, report_date)
    assert len(found) == 1, (sentence, found)
    (e,) = found
    assert e.start <= e.end <= report_date
    assert e.precision in ("day", "week", "month", "year")
    assert sentence[e.span_start:e.span_end] == e.text
    assert expression in e.text or e.text in expression


@settings(max_examples=300, deadline=None)
@given(report_date=report_dates, weekday=st.integers(0, 6),
       prefix=st.sampled_from(["", "on ", "late on "]))
def test_weekday_is_the_latest_such_day_on_or_before_the_report(report_date, weekday, prefix):
    (e,) = find_time_expressions(f"It happened {prefix}{WEEKDAYS[weekday]}.", report_date)
    assert e.start == e.end
    assert e.start.weekday() == weekday
    assert report_date - timedelta(days=6) <= e.start <= report_date


@settings(max_examples=300, deadline=None)
@given(report_date=report_dates, weekday=st.integers(0, 6))
def test_last_weekday_is_within_the_seven_days_before(report_date, weekday):
    (e,) = find_time_expressions(f"It happened last {WEEKDAYS[weekday]}.", report_date)
    assert e.start.weekday() == weekday
    assert report_date - timedelta(days=7) <= e.start < report_date


@settings(max_examples=300, deadline=None)
@given(report_date=report_dates, text=st.text(max_size=120))
def test_any_text_gives_well_formed_spans(report_date, text):
    found = find_time_expressions(text, report_date)
    previous_end = 0
    for e in found:
        assert e.start <= e.end
        assert previous_end <= e.span_start < e.span_end <= len(text)
        assert text[e.span_start:e.span_end] == e.text
        previous_end = e.span_end


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)))
def test_absolute_formats_round_trip(day):
    for text in (day.isoformat(), day.strftime("%B %d, %Y"), day.strftime("%d %B %Y"),
                 day.strftime("%b %d, %Y"), day.strftime("%a %d %b %Y"),
                 day.strftime("%a, %d %b %Y 10:00:00 GMT")):
        assert parse_date(text) == day, text
        assert find_report_date(f"By a correspondent\n\n{text}\n\nText") == day, text
    assert parse_date(day.strftime("%m/%d/%y"), "%m/%d/%y") == day
    assert date_from_filename(f"{day.isoformat()}-slug.md") == day
    assert date_from_filename(f"{day.strftime('%Y%m%d')}_x.txt") == day


# ---- absolute dates ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("2015-01-19", None, "2015-01-19"),
        ("2015-01-19T10:00:00Z", None, "2015-01-19"),
        ("2015-01-19 10:00:00+03:00", None, "2015-01-19"),
        ("2015-01-19T10:00:00.000+0000", None, "2015-01-19"),
        ("January 19, 2015", None, "2015-01-19"),
        ("January 19, 2015 10:00 AM EST", None, "2015-01-19"),
        ("19 January 2015", None, "2015-01-19"),
        ("Jan. 19, 2015", None, "2015-01-19"),
        ("Wed 05 Apr 2017", None, "2017-04-05"),
        ("Mon, 19 Jan 2015 10:00:00 GMT", None, "2015-01-19"),
        ("Mon, 19 Jan 2015 23:30:00 -0500", None, "2015-01-19"),
        ("2015/01/19", None, "2015-01-19"),
        ("23/11/2015", None, "2015-11-23"),
        ("  19 January 2015  ", None, "2015-01-19"),
        ("1/19/15", "%m/%d/%y", "2015-01-19"),
        ("10/16/17", "%m/%d/%y", "2017-10-16"),
        ("05/04/2017", None, None),  # day/month or month/day: not guessed
        ("1/19/15", None, None),
        ("19/1/15", "%m/%d/%y", None),
        ("2015-13-45", None, None),
        ("30 February 2015", None, None),
        ("yesterday", None, None),
        ("Monday", None, None),
        ("19 January 2015 and some words", None, None),
        ("", None, None),
    ],
)
def test_parse_date(text, fmt, expected):
    assert parse_date(text, fmt) == (D(expected) if expected else None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 min read\n\nFewer patrols in a border town\n\nJanuary 19, 2015 By a correspondent", "2015-01-19"),
        ("3 min read\n\nHeadline\n\n19 January 2015\n\nJanuary 19, 2015", "2015-01-19"),
        ("Thu 06 Apr 2017 Clinics report a rise in patients after the shelling", "2017-04-06"),
        ("Posted 2015-01-19 by the editors", "2015-01-19"),
        ("WEEKLY NOTE - NORTHERN DISTRICTS - 23/11/2015\n\n1) The river road", "2015-11-23"),
        ("CITY UPDATE - Sunday 12 November 2017\n\nFighters in the east", "2017-11-12"),
        ("CAPITAL CITY, Jan 19 (Wire) - Fighters left the town", None),
        ("Founded in 1850-01-01 style", None),
        ("x" * 700 + " January 19, 2015", None),  # too far down to be the report's date
        ("", None),
    ],
)
def test_find_report_date(text, expected):
    assert find_report_date(text) == (D(expected) if expected else None)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2015-01-19-border-town.md", "2015-01-19"),
        ("20150119_x.txt", "2015-01-19"),
        ("report_2015-01-19.html", "2015-01-19"),
        ("/some/folder/2015_01_19.txt", "2015-01-19"),
        ("1914947530.txt", None),
        ("2015-13-01-x.txt", None),
        ("notes.txt", None),
    ],
)
def test_date_from_filename(name, expected):
    assert date_from_filename(name) == (D(expected) if expected else None)


# The fast path tries the combined regex only near date words; it must find exactly what a
# scan of every position finds.
_VOCABULARY = sorted(
    {"on", "in", "since", "last", "the", "past", "over", "two", "late", "mid", "early", "this",
     "a", "few", "of", "ago", "and", "-", "/", ",", ".", "17", "29", "2014", "2015", "1999",
     "killed", "fighters", "said", "Saturday", "Sunday", "January", "March", "May", "Sept.",
     "week", "weeks", "month", "days", "year", "night", "yesterday", "today", "weekend",
     "hours", "24", "start", "end", "between", "earlier", "recent", "next"}
)


@settings(max_examples=500, deadline=None)
@given(report_date=report_dates,
       words=st.lists(st.sampled_from(_VOCABULARY), min_size=1, max_size=12))
def test_fast_path_finds_what_a_full_scan_finds(report_date, words):
    from etl import dates

    sentence = " ".join(words)
    full_scan = [e for m in dates._COMBINED.finditer(sentence.lower())
                 if (e := dates._resolve(dates._CasedMatch(m, sentence), report_date)) is not None]
    assert find_time_expressions(sentence, report_date) == full_scan


@pytest.mark.parametrize("sentence", ["the 5th Corps entered Daraa", "the 17th Division shelled the town",
                                      "for the 3rd time", "the 4th Armoured Division moved north"])
def test_an_ordinal_that_names_a_unit_is_no_date(sentence):
    assert find_time_expressions(sentence, REPORT) == []


def test_today_in_an_outlet_name_is_no_time():
    # "Al-Mirbad Today", "USA Today": a capitalised "Today" after a name is the outlet's
    assert find_time_expressions("according to a tally kept by Al-Mirbad Today.", date(2021, 7, 11)) == []
    assert [t.text for t in find_time_expressions("Today, IS attacked the town.", date(2021, 7, 11))] == ["Today"]
