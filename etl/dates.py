"""Dates: parse absolute dates from metadata, find a report's own date, and resolve the time
expressions of a sentence against the report's date.

Pure functions, no I/O. The conventions for relative expressions are those of the dev gold set
(`../shared/data/dev-gold/README.md`, "Annotation conventions" -> "Dates"):

- "on Saturday" is the latest such day on or before the report date; "last Saturday" the latest
  one strictly before it.
- "this week" is the 7 days ending on the report date; "last week" is the previous Monday-Sunday.
- "over the past N days/weeks/months" runs from N units before the report date to the report date.
- "last July" is the latest July strictly before the report's month; "in May" the latest May on
  or before it ("in August" in March 2016 is August 2015; "in March" in March is that March,
  up to the report date).
- "early/mid/late March" are the 1st-10th, 11th-20th and 20th-end of the month.
- "earlier this month" runs from the 1st to the report date; "since X" from X to the report date.

A past-referring expression never ends after the report date (the current month or year is cut
at the report date). Explicit dates are returned as written, and "next week", "tomorrow" resolve
into the future, so a caller can tell plans apart.

Speed: a sentence whose tokens include no date word (most sentences) returns after one set
check; otherwise one combined regex, with one alternative per kind of expression, is tried only
at the word starts shortly before each date word. No dateparser: it is slow, and it guesses.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import PurePath
from typing import Callable

__all__ = [
    "TimeExpression",
    "parse_date",
    "find_report_date",
    "date_from_filename",
    "find_time_expressions",
]

# A report date outside these years is a misreading (a page number, a phone number, ...).
MIN_REPORT_YEAR = 1990
MAX_REPORT_YEAR = 2035
# How far into a report's text its own date is looked for (dateline, byline, header).
REPORT_DATE_WINDOW = 600

DATE_PRECISIONS = ("day", "week", "month", "year")


@dataclass(frozen=True)
class TimeExpression:
    """One time expression of a sentence, resolved to a span of days (both ends inclusive).
    `span_start`/`span_end` are offsets in the sentence; `text` is `sentence[span_start:span_end]`."""

    start: date
    end: date
    precision: str  # day | week | month | year
    span_start: int
    span_end: int
    text: str


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------
# A season's first and last month (winter runs into the next year); northern hemisphere.
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
_MONTH_BY_PREFIX = {name[:3]: i for i, name in enumerate(_MONTH_NAMES, start=1)}
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_BY_PREFIX = {name[:3]: i for i, name in enumerate(_WEEKDAY_NAMES)}

_ONES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
# "a few days", "several weeks", "recent months": a vague count, resolved to a fixed look-back.
_VAGUE = -1
_VAGUE_LOOKBACK = {"day": (7, "day", "week"), "week": (3, "week", "week"),
                   "month": (3, "month", "month"), "year": (3, "year", "year"),
                   "hour": (24, "hour", "day")}

# Month names that are also common English words: only a capitalised form is a month.
_AMBIGUOUS_MONTH_WORDS = {"may", "march"}

# --------------------------------------------------------------------------------------------
# Regex building blocks (all used with re.IGNORECASE)
# --------------------------------------------------------------------------------------------
_MONTH_FULL = r"(?:" + "|".join(_MONTH_NAMES) + r")\b"
_MONTH_ANY = (r"(?:(?:" + "|".join(_MONTH_NAMES) + r")\b"
              r"|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?:\.|\b))")
_WEEKDAY_FULL = r"(?:" + "|".join(_WEEKDAY_NAMES) + r")"
_WEEKDAY_ANY = (r"(?:(?:" + "|".join(_WEEKDAY_NAMES) + r")\b"
                r"|(?:mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)(?:\.|\b))")
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)[0-9]{2}"
_NUM = (r"(?:[0-9]{1,3}|an?\s+couple\s+of|couple\s+of|a\s+few|few|several"
        r"|(?:" + "|".join(_TENS) + r")(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?"
        r"|" + "|".join(sorted(_ONES, key=len, reverse=True)) + r"|an?)")
_UNIT = r"(?:day|week|month|year|hour)s?\b"
_PREP = r"(?:in|during|by|until|till|throughout|from|of)"
_QUAL = (r"(?:early|late|mid|the\s+end\s+of|end\s+of|the\s+beginning\s+of|beginning\s+of"
         r"|the\s+start\s+of|start\s+of|the\s+middle\s+of|middle\s+of)")
# "the first week of June": a week of a month (1-7, 8-14, 15-21, 22-28, the last seven days).
_WEEK_OF = r"(?:the\s+)?(?:first|second|third|fourth|last|final)\s+week\s+of"
_PART_OF_DAY = r"(?:\s+(?:night|morning|afternoon|evening))?"
_WEEKDAY_PREFIX = r"(?:(?:on\s+)?" + _WEEKDAY_FULL + r",?\s+)?(?:on\s+)?(?:the\s+)?"
_RANGE_SEP = r"\s*(?:-|–|—|to|and|until|till)\s*"
_CLOCK = r"(?:\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?\s+)?"  # ("8 a.m. Thursday")

# One alternative per expression kind, in priority order: where two could start at the same
# place, the longer, more specific one comes first ("17 January 2015" before "17 January",
# "late last week" before "last week"). Group names are prefixed by kind to stay unique.
_KINDS: list[tuple[str, str]] = [
    ("range_dm", r"(?:(?:from|between|on)\s+)?(?P<rdm_d1>" + _DAY + r")" + _RANGE_SEP
     + r"(?P<rdm_d2>" + _DAY + r")\s+(?:of\s+)?(?P<rdm_m>" + _MONTH_ANY + r")"
     + r"(?:,?\s+(?P<rdm_y>" + _YEAR + r")\b)?"),
    ("range_md", r"(?:(?:from|between|on)\s+)?(?P<rmd_m>" + _MONTH_ANY + r")\s*(?P<rmd_d1>" + _DAY
     + r")" + _RANGE_SEP + r"(?P<rmd_d2>" + _DAY + r")\b"
     # "on October 9 and 11 people were killed": a date and a count, not a range
     + r"(?!\s+(?:people|persons|civilians|fighters|soldiers|troops|members|militants|children|women|men|others|were|killed|dead|more|of)\b)"
     + r"(?:,?\s+(?P<rmd_y>" + _YEAR + r")\b)?"),
    # "between May 6 and May 12", "from 28 April to 3 May 2016": a range across two dates.
    ("range_md2", r"(?:(?:from|between|on)\s+)?(?P<rm2_m1>" + _MONTH_ANY + r")\s*(?P<rm2_d1>" + _DAY + r")" + _RANGE_SEP
     + r"(?P<rm2_m2>" + _MONTH_ANY + r")\s*(?P<rm2_d2>" + _DAY + r")\b(?:,?\s+(?P<rm2_y>" + _YEAR + r")\b)?"),
    ("range_dm2", r"(?:(?:from|between|on)\s+)?(?P<rd2_d1>" + _DAY + r")\s+(?:of\s+)?(?P<rd2_m1>" + _MONTH_ANY + r")" + _RANGE_SEP
     + r"(?P<rd2_d2>" + _DAY + r")\s+(?:of\s+)?(?P<rd2_m2>" + _MONTH_ANY + r")(?:,?\s+(?P<rd2_y>" + _YEAR + r")\b)?"),
    ("iso", r"(?<![0-9./-])(?P<iso_y>" + _YEAR + r")-(?P<iso_m>[01]?[0-9])-(?P<iso_d>[0-3]?[0-9])"
     r"(?:[T ][0-2][0-9]:[0-5][0-9](?::[0-5][0-9])?)?(?![0-9-])"),
    ("ymd", r"(?<![0-9./-])(?P<ymd_y>" + _YEAR + r")/(?P<ymd_m>[01]?[0-9])/(?P<ymd_d>[0-3]?[0-9])"
     r"(?![0-9/])"),
    ("num", r"(?<![0-9./-])(?P<num_a>[0-3]?[0-9])(?P<num_sep>[/.])(?P<num_b>[01]?[0-9])"
     r"(?P=num_sep)(?P<num_y>" + _YEAR + r")(?![0-9])"),
    # "on 06/09", "since 12.04": a numeric day and month in running text (a preposition first:
    # "3/4 of the town" is no date)
    ("num_dm", r"(?:on|since|from|until|till|by)\s+(?P<nd_a>[0-3]?[0-9])[/.](?P<nd_b>[0-3]?[0-9])(?![0-9]|[/.][0-9])"),
    # "[15.03.21 23:40]": a messaging channel's post stamp (Telegram's: day first, dots, a
    # two-digit year, a 24-hour time; not WhatsApp's month-first "[5/3/21, 10:41 PM]")
    ("num_stamp", r"(?<=\[)(?P<nst_a>[0-3]?[0-9])\.(?P<nst_b>[01]?[0-9])\.(?P<nst_y>[0-9]{2})(?=,?\s+[0-2]?[0-9]:[0-5][0-9](?::[0-5][0-9])?\])"),
    # "(22/03)" after an item's event, in sitreps
    ("num_dm_paren", r"(?<=\()(?P<ndp_a>[0-3]?[0-9])[/.](?P<ndp_b>[0-3]?[0-9])(?=\))"),
    ("dmy", _WEEKDAY_PREFIX + r"(?P<dmy_d>" + _DAY + r")(?:\s+of)?\s+(?P<dmy_m>" + _MONTH_ANY
     + r"),?\s+(?P<dmy_y>" + _YEAR + r")\b"),
    ("mdy", _WEEKDAY_PREFIX + r"(?P<mdy_m>" + _MONTH_ANY + r")\s*(?P<mdy_d>" + _DAY
     + r")\b,?\s+(?P<mdy_y>" + _YEAR + r")\b"),
    ("month_year", r"(?:" + _PREP + r"\s+)?(?:(?P<my_w>" + _WEEK_OF + r")\s+|(?P<my_q>" + _QUAL + r")[\s-]*)?(?P<my_m>"
     + _MONTH_ANY + r"),?\s+(?P<my_y>" + _YEAR + r")\b(?![-/.][0-9])"),
    ("dm", _WEEKDAY_PREFIX + r"(?P<dm_d>" + _DAY + r")(?:\s+of)?\s+(?P<dm_m>" + _MONTH_ANY + r")"),
    ("md", _WEEKDAY_PREFIX + r"(?P<md_m>" + _MONTH_ANY + r")\s*(?P<md_d>" + _DAY + r")\b"
     r"(?!\s*(?:[,.:]\s*)?[0-9])"),
    # "Q3 2020", "the third quarter of 2020": a calendar quarter
    ("quarter", r"(?:" + _PREP + r"\s+)?(?:q(?P<qt_n>[1-4])\s*|(?:the\s+)?(?P<qt_w>first|second|third|fourth|final|last|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?)"
     r"(?P<qt_y>" + _YEAR + r")\b(?![-/.][0-9])"),
    ("year_q", r"(?:" + _PREP + r"\s+)?(?P<yq_q>" + _QUAL + r")[\s-]*(?P<yq_y>" + _YEAR + r")\b"
     r"(?![-/.][0-9])"),
    ("year", r"(?(since)|" + _PREP + r"\s+(?:the\s+year\s+)?)(?P<yr_y>" + _YEAR + r")\b"
     r"(?![-/.][0-9])"),
    ("qual_rel", r"(?P<qr_q>" + _QUAL + r")[\s-]*(?P<qr_which>last|this|the\s+previous|the)"
     r"\s+(?P<qr_u>week|month|year)\b"),
    # "in May last year", "in March of this year"
    ("month_rel_year", r"(?:(?:in|during|since|of|by|until|till)\s+)?(?P<mr_m>" + _MONTH_FULL + r"),?\s+(?:of\s+)?"
     r"(?P<mr_which>last|this|the\s+previous|the\s+same)\s+year\b"),
    ("month_q", r"(?:" + _PREP + r"\s+)?(?:(?P<mq_w>" + _WEEK_OF + r")\s+|(?P<mq_q>" + _QUAL + r")[\s-]*)(?P<mq_last>last\s+)?"
     r"(?P<mq_m>" + _MONTH_FULL + r")"),
    ("month_last", r"(?:(?:in|during|since|of)\s+)?(?:last|this\s+past|past)\s+(?P<ml_m>"
     + _MONTH_FULL + r")"),
    ("month_in", r"(?(since)|(?:" + _PREP + r"|this)\s+)(?P<mi_m>" + _MONTH_FULL + r")"
     r"(?!\s*[0-9])"),
    ("earlier_this", r"earlier\s+(?:this|in\s+the)\s+(?P<et_u>week|month|year)\b"),
    ("ago", r"(?P<ago_n>" + _NUM + r")\s+(?P<ago_u>" + _UNIT + r")\s+ago(?:\s+this\s+(?:week|month)|(?P<ago_today>,?\s+(?:today|to\s+the\s+day)))?\b"),  # ("ninety years ago this week": then, not now; "one year ago today": that day)
    ("past_n", r"(?:(?:over|in|during|for|within|throughout)\s+)?(?:the\s+)?(?:past|last|previous)"
     r"\s+(?P<pn_n>" + _NUM + r")\s+(?P<pn_u>" + _UNIT + r")"),
    ("recent", r"(?:(?:over|in|during|within|throughout)\s+)?(?:the\s+)?(?:recent|past\s+few"
     r"|last\s+few)\s+(?P<rc_u>days|weeks|months|years)\b"),
    ("past_1", r"(?:(?:over|in|during|for|within|throughout)\s+)?(?:the\s+past|the\s+last|past)"
     r"\s+(?P<p1_u>day|week|month|year|24\s+hours)\b(?P<p1_half>\s+and\s+a\s+half\b)?"),
    ("weekend", r"(?:(?:over|during|at|on|in)\s+)?(?P<we_which>the\s+past|the\s+last|last"
     r"|this\s+past|this|the|all)\s+weekend\b"),  # ("pounded Tal Rifaat all weekend")
    ("calendar", r"(?P<cal_which>last|this|next|the\s+previous)\s+(?P<cal_u>week|month|year)\b"),
    # "over the summer", "last winter", "the spring of 2016", "summer 2014": a season's months
    ("season", r"(?:(?:over|in|during|throughout|through|since)\s+)?(?:(?P<se_which>last|this\s+past|the\s+past|this|the)\s+)?"
     r"(?P<se_s>spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?(?P<se_y>" + _YEAR + r"))?\b"),
    ("day_word", r"(?P<dw>the\s+day\s+before\s+yesterday|yesterday|today|tonight|tomorrow"
     r"|last\s+night|overnight|this\s+morning|this\s+afternoon|this\s+evening|earlier\s+today"
     r"|the\s+previous\s+(?:day|night)"
     r"|the\s+day\s+before(?!\s+(?:the|a|an|its|his|her|their|that|this|it|they|he|she)\b))"
     r"(?:\s+(?:morning|afternoon|evening|night))?\b"),
    # "on Saturday and Sunday", "from Friday to Sunday", "between Thursday and Saturday nights"
    # (a strike release's "between 8 a.m. Thursday and 8 a.m. Friday" too)
    ("weekday_range", r"(?:(?:on|from|between|over)\s+)?" + _CLOCK + r"(?P<wr_d1>" + _WEEKDAY_FULL + r")(?:\s+(?:night|morning|afternoon|evening))?"
     + _RANGE_SEP + r"(?:(?:on|to)\s+)?" + _CLOCK + r"(?P<wr_d2>" + _WEEKDAY_FULL + r")\b" + _PART_OF_DAY + r"\b"),
    # "on the 6th" (of the report's month, or the month before): a bare ordinal day, not a
    # unit's name ("the 5th Corps", "the 17th Division")
    # (without "on", nor "the 4th bridge": a bare day is not followed by a noun of its own)
    ("ordinal_day", r"(?:on\s+the\s+|the\s+(?=\d{1,2}(?:st|nd|rd|th)\b(?!\s+(?!(?:of|and|to|at|in|on|when|after|before|during|until|while|as|or|through|till|from)\b)[a-z][a-z-]*\b)))"
     r"(?P<od_d>3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)\b"
     r"(?!\s+(?:of\s+)?(?:" + "|".join(_MONTH_NAMES) + r"|division|brigade|corps|regiment|battalion|army|armou?red|infantry"
     r"|mechani[sz]ed|anniversary|century|floor|time|round|grade|day|week|month|year|consecutive|straight|batch|convoy|joint|patrol|of)\b)"),
    ("weekday", r"(?:(?:late|early)\s+(?:on\s+)?)?(?:(?P<wd_which>last|this\s+past|past|next|this"
     r"|on)\s+)?(?<!\ba )(?<!\bevery )(?<!\beach )(?<!\bany )(?<!\bone )(?P<wd_d>" + _WEEKDAY_FULL + r")\b" + _PART_OF_DAY + r"\b(?P<wd_lw>\s+(?:of\s+)?last\s+week\b)?"),
]

_COMBINED_PATTERN = (
    r"(?P<since>\b(?:ever\s+)?since\s+)?\b(?:"
    + "|".join(f"(?P<k_{name}>{pattern})" for name, pattern in _KINDS)
    + r")"
)
# Matched on the lower-cased sentence: the patterns' letters are all lower case ("T" of ISO
# times aside), and this is about twice as fast as re.IGNORECASE. Case still matters for "May"
# and "March", so resolvers read the groups' text from the original (_CasedMatch).
assert not re.search(r"[A-Z]", re.sub(r"\(\?P[<=]|\\[A-Za-z]|\[T ", "", _COMBINED_PATTERN))
_COMBINED = re.compile(_COMBINED_PATTERN.replace("[T ", "[t "))

# Every alternative above contains one of these words or a 4-digit year ("anchors"): a
# sentence without any has no time expression. Checking a set of its lower-cased tokens is the
# fast exit for most sentences (about 6x faster than a gate regex with word boundaries).
_ANCHOR_WORDS = frozenset(
    list(_MONTH_NAMES) + ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
                          "nov", "dec"]
    + list(_WEEKDAY_NAMES)
    + ["today", "tonight", "tomorrow", "yesterday", "night", "overnight", "morning", "afternoon",
       "evening", "weekend"]
    + [f"{unit}{s}" for unit in ("day", "week", "month", "year", "hour") for s in ("", "s")]
    + [str(year) for year in range(1900, 2100)]
    + ["st", "nd", "rd", "th"]  # "the 6th" (tokens: "6", "th")
    + list(_SEASON_MONTHS)
)
# Words an expression can start with; the combined regex is only tried at these.
_STARTER_WORDS = _ANCHOR_WORDS | frozenset(
    ["since", "ever", "on", "in", "during", "by", "until", "till", "throughout", "from", "of",
     "between", "over", "for", "within", "at", "the", "a", "an", "couple", "few", "several",
     "last", "this", "past", "previous", "next", "early", "late", "mid", "end", "beginning",
     "start", "middle", "earlier", "recent", "first", "second", "third", "fourth", "final", "all", "q"]
    + list(_ONES) + list(_TENS)
)
_TOKEN = re.compile(r"[a-z]+|[0-9]+")
_NUMERIC_DAY_MONTH = re.compile(r"[0-3]?[0-9][/.][0-3]?[0-9](?![0-9])")  # "06/09": an anchor of the num_dm kind
# How many tokens an expression may have before its first anchor word
# ("ever since the start of the | month", "over the past twenty - one | days").
_MAX_TOKENS_BEFORE_ANCHOR = 8

# Absolute dates (for metadata and datelines): abbreviated weekday names are fine here.
_ABS_WEEKDAY_PREFIX = r"(?:" + _WEEKDAY_ANY + r",?\s*)?"
_ABSOLUTE = re.compile(
    r"(?:"
    r"(?P<iso>(?<![0-9])(?P<iso_y>[0-9]{4})-(?P<iso_m>[0-9]{1,2})-(?P<iso_d>[0-9]{1,2})(?![0-9]))"
    r"|(?P<ymd>(?<![0-9])(?P<ymd_y>[0-9]{4})/(?P<ymd_m>[0-9]{1,2})/(?P<ymd_d>[0-9]{1,2})(?![0-9]))"
    r"|(?P<num>(?<![0-9./-])(?P<num_a>[0-9]{1,2})(?P<num_sep>[/.])(?P<num_b>[0-9]{1,2})"
    r"(?P=num_sep)(?P<num_y>[0-9]{4})(?![0-9]))"
    r"|(?P<dmy>\b" + _ABS_WEEKDAY_PREFIX + r"(?:the\s+)?(?P<dmy_d>" + _DAY + r")(?:\s+of)?[\s-]+"
    r"(?P<dmy_m>" + _MONTH_ANY + r"),?[\s-]+(?P<dmy_y>[0-9]{4})\b)"
    r"|(?P<mdy>\b" + _ABS_WEEKDAY_PREFIX + r"(?P<mdy_m>" + _MONTH_ANY + r")\s*(?P<mdy_d>" + _DAY
    + r")\b,?\s+(?P<mdy_y>[0-9]{4})\b)"
    r")",
    re.IGNORECASE,
)
# What may follow a date in a metadata value: a time, a zone ("January 19, 2015 10:00 AM GMT").
_TIME_TAIL = re.compile(
    r"[\s,T|-]*(?:at\s+)?(?:[0-2]?[0-9][:.][0-5][0-9](?::[0-5][0-9])?(?:\.[0-9]+)?\s*"
    r"(?:[ap]\.?m\.?)?)?\s*(?:Z|UTC|GMT|(?-i:[A-Z]{2,5})|[+-][0-9]{2}:?[0-9]{2})?\s*",
    re.IGNORECASE,
)
_ISO_PREFIX = re.compile(r"\s*([0-9]{4})-([0-9]{2})-([0-9]{2})(?=$|[T\s])")
_RFC2822 = re.compile(
    r"\s*(?:[a-z]{3},?\s+)?[0-9]{1,2}\s+[a-z]{3}\s+[0-9]{2,4}\s+[0-9]{1,2}:[0-9]{2}", re.IGNORECASE
)
_FILENAME_DATE = re.compile(
    r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})(?P<sep>[-_.]?)(?P<m>[01][0-9])(?P=sep)(?P<d>[0-3][0-9])"
    r"(?![0-9])"
)


# --------------------------------------------------------------------------------------------
# Absolute dates
# --------------------------------------------------------------------------------------------
def parse_date(s: str, fmt: str | None = None) -> date | None:
    """An absolute date string as metadata holds it, or None when it is not one (never a guess).

    Accepts ISO dates and datetimes ("2015-01-19", "2015-01-19T10:00:00Z"), "January 19, 2015",
    "19 January 2015", "Jan. 19, 2015", "Wed 05 Apr 2017", RFC 2822 feed dates
    ("Mon, 19 Jan 2015 10:00:00 GMT"), "2015/01/19", and day/month/year numbers only where
    they cannot be month/day ("23/11/2015"). With `fmt`, only `datetime.strptime(s, fmt)`
    (FA-KES: `fmt="%m/%d/%y"`). The date is the one written, in the writer's time zone.
    """
    if s is None:
        return None
    s = str(s).strip()
    if not s:
        return None
    if fmt:
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            return None
    iso = _ISO_PREFIX.match(s)
    if iso:
        try:
            return datetime.fromisoformat(s.replace("Z", "+00:00")).date()
        except ValueError:
            pass
        rest = s[iso.end():]
        if _TIME_TAIL.fullmatch(rest):
            return _safe_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        return None
    if _RFC2822.match(s):
        try:
            return parsedate_to_datetime(s).date()
        except (TypeError, ValueError, IndexError):
            pass
    m = _ABSOLUTE.match(s)
    if m and _TIME_TAIL.fullmatch(s, m.end()):
        return _absolute_from_match(m)
    return None


def find_report_date(text: str) -> date | None:
    """The report's own date from a dateline, byline or header near the top of `text` (its
    first ~600 characters): the first full date with a year between 1990 and 2035.
    "BEIRUT, Jan 19 (Reuters)" has no year and gives nothing."""
    if not text:
        return None
    for m in _ABSOLUTE.finditer(text, 0, REPORT_DATE_WINDOW):
        found = _absolute_from_match(m)
        if found is not None and MIN_REPORT_YEAR <= found.year <= MAX_REPORT_YEAR:
            return found
    return None


def date_from_filename(name: str) -> date | None:
    """A date in a file name: `2015-01-19-slug.md`, `20150119_x.txt`, `report_2015-01-19.html`."""
    stem = PurePath(str(name)).name
    for m in _FILENAME_DATE.finditer(stem):
        found = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if found is not None and MIN_REPORT_YEAR <= found.year <= MAX_REPORT_YEAR:
            return found
    return None


def _absolute_from_match(m: re.Match) -> date | None:
    if m["iso"]:
        return _safe_date(int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"]))
    if m["ymd"]:
        return _safe_date(int(m["ymd_y"]), int(m["ymd_m"]), int(m["ymd_d"]))
    if m["num"]:
        return _day_month_numbers(int(m["num_a"]), int(m["num_b"]), int(m["num_y"]))
    if m["dmy"]:
        return _safe_date(int(m["dmy_y"]), _month_number(m["dmy_m"]), _day_number(m["dmy_d"]))
    if m["mdy"]:
        return _safe_date(int(m["mdy_y"]), _month_number(m["mdy_m"]), _day_number(m["mdy_d"]))
    return None


def _day_month_numbers(a: int, b: int, year: int) -> date | None:
    """"23/11/2015" is day/month, "11/23/2015" month/day; "05/04/2017" could be either: None."""
    if a > 12 and b <= 12:
        return _safe_date(year, b, a)
    if b > 12 and a <= 12:
        return _safe_date(year, a, b)
    if a == b:
        return _safe_date(year, a, b)
    return None


# --------------------------------------------------------------------------------------------
# Relative and absolute expressions in a sentence
# --------------------------------------------------------------------------------------------
def find_time_expressions(sentence: str, report_date: date) -> list[TimeExpression]:
    """Every time expression of `sentence`, resolved against `report_date`, in text order and
    non-overlapping (at each place the longest, most specific reading wins)."""
    if not sentence:
        return []
    lower = sentence.lower()
    if len(lower) != len(sentence):  # "İ" grows when lowered: keep offsets into the original
        lower = "".join(c.lower()[0] for c in sentence)
    numeric = _NUMERIC_DAY_MONTH.search(lower) is not None if ("/" in lower or "." in lower) else False
    if not numeric and _ANCHOR_WORDS.isdisjoint(_TOKEN.findall(lower)):
        return []
    tokens = [(t.start(), t.group()) for t in _TOKEN.finditer(lower)]
    found: list[TimeExpression] = []
    last_end = 0
    first_free = 0  # index of the first token at or after last_end
    for i, (anchor_start, word) in enumerate(tokens):
        if anchor_start < last_end or (word not in _ANCHOR_WORDS and not (
                numeric and word.isdigit() and _NUMERIC_DAY_MONTH.match(lower, anchor_start))):
            continue
        while tokens[first_free][0] < last_end:
            first_free += 1
        # The leftmost match that covers this anchor: try the token starts before it, furthest
        # first (anchored matches only: scanning every position with the combined regex is
        # 30x slower).
        for j in range(max(first_free, i - _MAX_TOKENS_BEFORE_ANCHOR), i + 1):
            if not (tokens[j][1] in _STARTER_WORDS or tokens[j][1].isdigit()):
                continue
            m = _COMBINED.match(lower, tokens[j][0])
            if m is None or m.end() <= anchor_start:
                continue
            last_end = m.end()
            expression = _resolve(_CasedMatch(m, sentence), report_date)
            if expression is not None and expression.text == "Today" and _NAME_BEFORE.search(sentence, 0, expression.span_start):
                expression = None  # "according to a tally kept by Al-Mirbad Today", "USA Today": an outlet's name
            if expression is not None:
                if found and found[-1].text.lower() == "overnight" and _OVERNIGHT_GAP.fullmatch(lower, found[-1].span_end, expression.span_start):
                    # "overnight from Saturday to Sunday": the days named; "overnight Friday":
                    # the night into Friday, from the day before
                    night = found.pop()
                    if expression.precision == "day" and expression.start == expression.end:
                        # ("overnight Saturday into Sunday", "overnight from Saturday": the night after that day)
                        into = _INTO_DAY_AFTER.match(lower, expression.span_end)
                        from_day = "from" in lower[night.span_end:expression.span_start]
                        start, end = (expression.start, expression.start + timedelta(days=1)) if into or from_day else (expression.start - timedelta(days=1), expression.end)
                        span_end = into.end() if into else expression.span_end
                        expression = TimeExpression(start, min(end, report_date), "day", night.span_start, span_end, sentence[night.span_start:span_end])
                        last_end = max(last_end, span_end)
                found.append(expression)
            break
    return found


_OVERNIGHT_GAP = re.compile(r"\s+(?:from\s+|on\s+)?")
_NAME_BEFORE = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-Z][\w’'-]*\s$")  # (a capitalised word, not a sentence's first, right before)
_INTO_DAY_AFTER = re.compile(r"\s*(?:into|to|-|–)\s*(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")


class _CasedMatch:
    """A match on the lower-cased sentence that gives its groups' text in the original case."""
    __slots__ = ("m", "original", "lastgroup")

    def __init__(self, m: re.Match, original: str):
        self.m, self.original, self.lastgroup = m, original, m.lastgroup

    def group(self, name: str | int = 0) -> str | None:
        start, end = self.m.span(name)
        return None if start < 0 else self.original[start:end]

    __getitem__ = group

    def start(self, name: str | int = 0) -> int:
        return self.m.start(name)

    def end(self, name: str | int = 0) -> int:
        return self.m.end(name)


def _resolve(m: _CasedMatch, report_date: date) -> TimeExpression | None:
    kind = m.lastgroup
    if kind is None or not kind.startswith("k_"):  # pragma: no cover - defensive
        kind = next(k for k in _KIND_GROUPS if m.group(k) is not None)
    resolved = _RESOLVERS[kind](m, report_date)
    if resolved is None:
        return None
    start, end, precision = resolved
    if m["since"] and start <= report_date:
        end = max(end, report_date)  # "since X": from X up to the report
    if start > end:
        return None
    return TimeExpression(start, end, precision, m.start(), m.end(), m.group())


_Span = tuple[date, date, str]
_Resolver = Callable[[_CasedMatch, date], "_Span | None"]


def _resolve_range_dm(m: _CasedMatch, ref: date) -> _Span | None:
    return _day_range(m, ref, "rdm")


def _resolve_range_md(m: _CasedMatch, ref: date) -> _Span | None:
    return _day_range(m, ref, "rmd")


def _day_range(m: _CasedMatch, ref: date, p: str) -> _Span | None:
    month_token = m[f"{p}_m"]
    if _is_common_word(month_token):
        return None
    month = _month_number(month_token)
    d1, d2 = _day_number(m[f"{p}_d1"]), _day_number(m[f"{p}_d2"])
    if d1 >= d2:
        return None
    if m[f"{p}_y"]:
        year = int(m[f"{p}_y"])
    else:
        start = _latest_day_on_or_before(month, d1, ref)
        if start is None:
            return None
        year = start.year
    start, end = _safe_date(year, month, d1), _safe_date(year, month, d2)
    if start is None or end is None:
        return None
    return start, end, "day"


def _resolve_iso(m: _CasedMatch, ref: date) -> _Span | None:
    return _day(_safe_date(int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"])))


def _resolve_ymd(m: _CasedMatch, ref: date) -> _Span | None:
    return _day(_safe_date(int(m["ymd_y"]), int(m["ymd_m"]), int(m["ymd_d"])))


def _resolve_num(m: _CasedMatch, ref: date) -> _Span | None:
    a, b, year = int(m["num_a"]), int(m["num_b"]), int(m["num_y"])
    return _day(_day_month_numbers(a, b, year) or numeric_day(a, b, year, ref))


def _resolve_num_dm(m: _CasedMatch, ref: date) -> _Span | None:
    return _day(numeric_day(int(m["nd_a"]), int(m["nd_b"]), None, ref))


def _resolve_num_stamp(m: _CasedMatch, ref: date) -> _Span | None:
    return _day(_safe_date(2000 + int(m["nst_y"]), int(m["nst_b"]), int(m["nst_a"])))


def _resolve_num_dm_paren(m: _CasedMatch, ref: date) -> _Span | None:
    return _day(numeric_day(int(m["ndp_a"]), int(m["ndp_b"]), None, ref))


def numeric_day(a: int, b: int, year: int | None, published: date) -> date | None:
    """A numeric "06/09" or "05/04/2017" without a sure order: day first (as the region writes
    it), else month first, whichever falls within the 90 days up to the report; the report's
    year (or the one before) unless a year is given."""
    for day, month in ((a, b), (b, a)):
        for yr in (year,) if year else (published.year, published.year - 1):
            candidate = _safe_date(yr, month, day)
            if candidate is not None and timedelta(0) <= published - candidate <= timedelta(days=90):
                return candidate
    return None


def _resolve_dmy(m: _CasedMatch, ref: date) -> _Span | None:
    if _is_common_word(m["dmy_m"]):
        return None
    return _day(_safe_date(int(m["dmy_y"]), _month_number(m["dmy_m"]), _day_number(m["dmy_d"])))


def _resolve_mdy(m: _CasedMatch, ref: date) -> _Span | None:
    if _is_common_word(m["mdy_m"]):
        return None
    return _day(_safe_date(int(m["mdy_y"]), _month_number(m["mdy_m"]), _day_number(m["mdy_d"])))


def _resolve_dm(m: _CasedMatch, ref: date) -> _Span | None:
    if _is_common_word(m["dm_m"]):
        return None
    return _day(_latest_day_on_or_before(_month_number(m["dm_m"]), _day_number(m["dm_d"]), ref))


def _resolve_md(m: _CasedMatch, ref: date) -> _Span | None:
    if _is_common_word(m["md_m"]):
        return None
    return _day(_latest_day_on_or_before(_month_number(m["md_m"]), _day_number(m["md_d"]), ref))


def _resolve_month_year(m: _CasedMatch, ref: date) -> _Span | None:
    if _is_common_word(m["my_m"]):
        return None
    year, month = int(m["my_y"]), _month_number(m["my_m"])
    if m["my_w"]:
        start, end = _week_of_month(year, month, m["my_w"])
        return start, _clamp_end(start, end, ref), "week"
    start, end = _qualified_month(year, month, m["my_q"])
    return start, _clamp_end(start, end, ref), "month"


def _resolve_quarter(m: _CasedMatch, ref: date) -> _Span | None:
    n = int(m["qt_n"]) if m["qt_n"] else {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}.get(m["qt_w"].lower(), 4)
    year = int(m["qt_y"])
    start = date(year, 3 * n - 2, 1)
    end = date(year, 3 * n, calendar.monthrange(year, 3 * n)[1])
    return start, _clamp_end(start, end, ref), "month"


def _resolve_year_q(m: _CasedMatch, ref: date) -> _Span | None:
    start, end = _qualified_year(int(m["yq_y"]), m["yq_q"])
    return start, _clamp_end(start, end, ref), "month"


def _resolve_year(m: _CasedMatch, ref: date) -> _Span | None:
    year = int(m["yr_y"])
    start, end = date(year, 1, 1), date(year, 12, 31)
    return start, _clamp_end(start, end, ref), "year"


def _resolve_qual_rel(m: _CasedMatch, ref: date) -> _Span | None:
    qualifier, which, unit = _qualifier(m["qr_q"]), _words(m["qr_which"]), m["qr_u"].lower()
    previous = which in ("last", "the previous")
    if unit == "week":
        monday = ref - timedelta(days=ref.weekday()) - (timedelta(days=7) if previous else timedelta())
        offsets = {"early": (0, 2), "mid": (1, 3), "late": (3, 6)}[qualifier]
        start, end = monday + timedelta(days=offsets[0]), monday + timedelta(days=offsets[1])
        precision = "week"
    elif unit == "month":
        year, month = (ref.year, ref.month) if not previous else _shift_month(ref.year, ref.month, -1)
        start, end = _qualified_month(year, month, m["qr_q"])
        precision = "month"
    else:
        year = ref.year - 1 if previous else ref.year
        start, end = _qualified_year(year, m["qr_q"])
        precision = "month"
    if start > ref:
        return None  # "late this month" said early in the month: a plan, not a past span
    return start, min(end, ref), precision


def _resolve_month_q(m: _CasedMatch, ref: date) -> _Span | None:
    token = m["mq_m"]
    if _is_common_word(token):
        return None
    month = _month_number(token)
    strictly_before = bool(m["mq_last"])
    for year in _years_back(ref, month, strictly_before):
        if m["mq_w"]:
            start, end = _week_of_month(year, month, m["mq_w"])
            if start <= ref:
                return start, min(end, ref), "week"
            continue
        start, end = _qualified_month(year, month, m["mq_q"])
        if start <= ref:
            return start, min(end, ref), "month"
    return None  # pragma: no cover - the previous year always qualifies


def _resolve_month_last(m: _CasedMatch, ref: date) -> _Span | None:
    token = m["ml_m"]
    if _is_common_word(token):
        return None
    month = _month_number(token)
    year = ref.year if month < ref.month else ref.year - 1
    return (*_month_span(year, month), "month")


def _resolve_month_in(m: _CasedMatch, ref: date) -> _Span | None:
    token = m["mi_m"]
    if _is_common_word(token):
        return None
    month = _month_number(token)
    year = ref.year if month <= ref.month else ref.year - 1
    start, end = _month_span(year, month)
    return start, min(end, ref), "month"


def _resolve_earlier_this(m: _CasedMatch, ref: date) -> _Span | None:
    unit = m["et_u"].lower()
    if unit == "week":
        return ref - timedelta(days=6), ref, "week"
    if unit == "month":
        return ref.replace(day=1), ref, "month"
    return date(ref.year, 1, 1), ref, "year"


def _resolve_ago(m: _CasedMatch, ref: date) -> _Span | None:
    count, unit = _count(m["ago_n"]), _unit(m["ago_u"])
    if count is None or count == 0:
        return None
    if count == _VAGUE:
        # "a few days ago": somewhere between a week and two days before the report
        count, unit, precision = _VAGUE_LOOKBACK[unit]
        return _shift(ref, -count, unit), _shift(ref, -(2 if unit == "day" else 1), unit), precision
    point = _shift(ref, -count, unit)
    return point, point, "day" if unit == "hour" or m["ago_today"] else unit


def _resolve_past_n(m: _CasedMatch, ref: date) -> _Span | None:
    return _look_back(ref, _count(m["pn_n"]), _unit(m["pn_u"]))


def _resolve_recent(m: _CasedMatch, ref: date) -> _Span | None:
    return _look_back(ref, _VAGUE, _unit(m["rc_u"]))


def _resolve_past_1(m: _CasedMatch, ref: date) -> _Span | None:
    unit = _words(m["p1_u"])
    if unit == "24 hours":
        return ref - timedelta(days=1), ref, "day"
    if m["p1_half"] and unit in ("year", "month"):
        # "over the past year and a half": eighteen months (a month and a half: six weeks)
        return (_shift(ref, -18, "month"), ref, "month") if unit == "year" else (ref - timedelta(weeks=6), ref, "week")
    return _look_back(ref, 1, unit)


def _resolve_weekend(m: _CasedMatch, ref: date) -> _Span | None:
    which = _words(m["we_which"])
    saturday = _weekday_on_or_before(ref, 5)
    if which in ("the past", "the last", "last", "this past"):
        # the latest whole weekend before the report ("last weekend" in a Sunday report is
        # the one before)
        if saturday + timedelta(days=1) >= ref:
            saturday -= timedelta(days=7)
        return saturday, saturday + timedelta(days=1), "day"
    return saturday, min(saturday + timedelta(days=1), ref), "day"


def _resolve_calendar(m: _CasedMatch, ref: date) -> _Span | None:
    which, unit = _words(m["cal_which"]), m["cal_u"].lower()
    if unit == "week":
        monday = ref - timedelta(days=ref.weekday())
        if which == "this":
            return ref - timedelta(days=6), ref, "week"
        if which == "next":
            return monday + timedelta(days=7), monday + timedelta(days=13), "week"
        return monday - timedelta(days=7), monday - timedelta(days=1), "week"
    if unit == "month":
        if which == "this":
            return ref.replace(day=1), ref, "month"
        year, month = _shift_month(ref.year, ref.month, 1 if which == "next" else -1)
        return (*_month_span(year, month), "month")
    if which == "this":
        return date(ref.year, 1, 1), ref, "year"
    year = ref.year + (1 if which == "next" else -1)
    return date(year, 1, 1), date(year, 12, 31), "year"


_SEASON_PREPOSITION = re.compile(r"(?:over|during|throughout|through|since|in)\s", re.IGNORECASE)
_OF_AFTER = re.compile(r"\s+of\b", re.IGNORECASE)


def _resolve_season(m: _CasedMatch, ref: date) -> _Span | None:
    """A season of a given year, else the latest one begun by the report date ("over the
    summer", "this spring": up to the report date if still going on) or, with "last", the
    latest one over before it."""
    which, first, last = _words(m["se_which"] or ""), *_SEASON_MONTHS[m["se_s"].lower()]
    if m["se_y"] is None and (which == "" or (which == "the" and m["se_s"].lower() in ("fall", "spring") and not (
            _SEASON_PREPOSITION.match(m.group(0)) and not _OF_AFTER.match(m.original, m.end())))):
        return None  # "spring" alone, "the fall of Mosul": words of their own (but "since the spring")

    def span(year):  # the season that begins in `year`
        end_year = year + 1 if last < first else year
        return date(year, first, 1), _month_span(end_year, last)[1]
    if m["se_y"] is not None:
        start, end = span(int(m["se_y"]))
        return start, min(end, ref) if start <= ref else end, "month"
    start, end = span(ref.year)
    if which == "last" and end >= ref or start > ref:
        start, end = span(ref.year - 1)
        if which == "last" and end >= ref:
            start, end = span(ref.year - 2)
    return start, min(end, ref), "month"


_DAY_WORD_OFFSETS = {
    "the day before yesterday": (-2, -2), "yesterday": (-1, -1), "today": (0, 0),
    "tonight": (0, 0), "tomorrow": (1, 1), "last night": (-1, 0), "overnight": (-1, 0),
    "this morning": (0, 0), "this afternoon": (0, 0), "this evening": (0, 0),
    "earlier today": (0, 0), "the previous day": (-1, -1), "the previous night": (-1, 0),
    "the day before": (-1, -1),
}


def _resolve_day_word(m: _CasedMatch, ref: date) -> _Span | None:
    first, last = _DAY_WORD_OFFSETS[_words(m["dw"])]
    return ref + timedelta(days=first), ref + timedelta(days=last), "day"


def _resolve_weekday(m: _CasedMatch, ref: date) -> _Span | None:
    weekday = _WEEKDAY_BY_PREFIX[m["wd_d"][:3].lower()]
    which = _words(m["wd_which"] or "")
    if m["wd_lw"]:
        # "on Thursday last week": that day of the Monday-Sunday week before the report's
        monday = ref - timedelta(days=ref.weekday() + 7)
        day = monday + timedelta(days=weekday)
        return day, day, "day"
    if which == "last":
        day = _weekday_on_or_before(ref - timedelta(days=1), weekday)
    elif which == "next":
        day = ref + timedelta(days=(weekday - ref.weekday() - 1) % 7 + 1)
    else:
        day = _weekday_on_or_before(ref, weekday)
    return day, day, "day"


def _resolve_ordinal_day(m: _CasedMatch, ref: date) -> _Span | None:
    day = _day_number(m["od_d"])
    year, month = ref.year, ref.month
    if day > ref.day:
        year, month = _shift_month(ref.year, ref.month, -1)
    found = _safe_date(year, month, day)
    return (found, found, "day") if found is not None else None


def _resolve_weekday_range(m: _CasedMatch, ref: date) -> _Span | None:
    last = _weekday_on_or_before(ref, _WEEKDAY_BY_PREFIX[m["wr_d2"][:3].lower()])
    first_weekday = _WEEKDAY_BY_PREFIX[m["wr_d1"][:3].lower()]
    first = last - timedelta(days=(last.weekday() - first_weekday) % 7)
    return (first, last, "day") if first < last else None


def _resolve_range_md2(m: _CasedMatch, ref: date) -> _Span | None:
    return _two_date_range(m["rm2_m1"], m["rm2_d1"], m["rm2_m2"], m["rm2_d2"], m["rm2_y"], ref)


def _resolve_range_dm2(m: _CasedMatch, ref: date) -> _Span | None:
    return _two_date_range(m["rd2_m1"], m["rd2_d1"], m["rd2_m2"], m["rd2_d2"], m["rd2_y"], ref)


def _two_date_range(m1: str, d1: str, m2: str, d2: str, year: str | None, ref: date) -> _Span | None:
    if _is_common_word(m1) or _is_common_word(m2):
        return None
    month1, month2 = _month_number(m1), _month_number(m2)
    if year:
        end = _safe_date(int(year), month2, _day_number(d2))
    else:
        end = _latest_day_on_or_before(month2, _day_number(d2), ref)
    if end is None:
        return None
    start = _safe_date(end.year if month1 <= month2 else end.year - 1, month1, _day_number(d1))
    if start is None or start >= end:
        return None
    return start, end, "day"


def _resolve_month_rel_year(m: _CasedMatch, ref: date) -> _Span | None:
    if _is_common_word(m["mr_m"]):
        return None
    month = _month_number(m["mr_m"])
    which = _words(m["mr_which"])
    year = ref.year - 1 if which in ("last", "the previous") else ref.year
    start, end = _month_span(year, month)
    if start > ref:
        return None  # "in June this year" said in May: a plan
    return start, min(end, ref), "month"


# The resolver of each kind of expression, by its group name in _COMBINED.
_RESOLVERS: dict[str, _Resolver] = {
    "k_range_md2": _resolve_range_md2,
    "k_range_dm2": _resolve_range_dm2,
    "k_month_rel_year": _resolve_month_rel_year,
    "k_weekday_range": _resolve_weekday_range,
    "k_ordinal_day": _resolve_ordinal_day,
    "k_range_dm": _resolve_range_dm,
    "k_range_md": _resolve_range_md,
    "k_iso": _resolve_iso,
    "k_ymd": _resolve_ymd,
    "k_num": _resolve_num,
    "k_num_dm": _resolve_num_dm,
    "k_num_stamp": _resolve_num_stamp,
    "k_num_dm_paren": _resolve_num_dm_paren,
    "k_dmy": _resolve_dmy,
    "k_mdy": _resolve_mdy,
    "k_dm": _resolve_dm,
    "k_md": _resolve_md,
    "k_month_year": _resolve_month_year,
    "k_quarter": _resolve_quarter,
    "k_year_q": _resolve_year_q,
    "k_year": _resolve_year,
    "k_qual_rel": _resolve_qual_rel,
    "k_month_q": _resolve_month_q,
    "k_month_last": _resolve_month_last,
    "k_month_in": _resolve_month_in,
    "k_earlier_this": _resolve_earlier_this,
    "k_ago": _resolve_ago,
    "k_past_n": _resolve_past_n,
    "k_recent": _resolve_recent,
    "k_past_1": _resolve_past_1,
    "k_weekend": _resolve_weekend,
    "k_calendar": _resolve_calendar,
    "k_season": _resolve_season,
    "k_day_word": _resolve_day_word,
    "k_weekday": _resolve_weekday,
}
if set(_RESOLVERS) != {f"k_{name}" for name, _ in _KINDS}:  # pragma: no cover
    raise RuntimeError("every kind of time expression needs exactly one resolver")
_KIND_GROUPS = tuple(_RESOLVERS)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------
def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _clamp_end(start: date, end: date, ref: date) -> date:
    """A period that the report is in ("in 2015" in a 2015 report) ends on the report date."""
    return ref if start <= ref < end else end


def _day(d: date | None) -> _Span | None:
    return None if d is None else (d, d, "day")


def _words(s: str) -> str:
    return " ".join(s.lower().split())


def _month_number(token: str) -> int:
    return _MONTH_BY_PREFIX[token[:3].lower()]


def _day_number(token: str) -> int:
    return int(token.rstrip("stndrhSTNDRH"))


def _is_common_word(month_token: str) -> bool:
    """"may" and "march" in lower case are a verb, not a month ("they may return")."""
    return month_token in _AMBIGUOUS_MONTH_WORDS


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _shift(ref: date, count: int, unit: str) -> date:
    """`ref` moved by `count` units (negative: back); months and years keep the day where
    they can ("3 months before 31 May" is 28/29 February)."""
    if unit == "day":
        return ref + timedelta(days=count)
    if unit == "hour":  # "the past 48 hours": whole days, rounded up
        days = -(-abs(count) // 24)
        return ref + timedelta(days=days if count > 0 else -days)
    if unit == "week":
        return ref + timedelta(weeks=count)
    months = count * (12 if unit == "year" else 1)
    year, month = _shift_month(ref.year, ref.month, months)
    return date(year, month, min(ref.day, calendar.monthrange(year, month)[1]))


def _look_back(ref: date, count: int | None, unit: str) -> _Span | None:
    """"over the past N units": from N units before the report date to the report date."""
    if count is None or count == 0:
        return None
    if count == _VAGUE:
        count, unit, precision = _VAGUE_LOOKBACK[unit]
    else:
        precision = "day" if unit == "hour" else unit
    return _shift(ref, -count, unit), ref, precision


def _count(token: str) -> int | None:
    words = _words(token).replace("-", " ")
    if words.isdigit():
        return int(words)
    if words in ("a", "an"):
        return 1
    if words in ("a couple of", "an couple of", "couple of"):
        return 2
    if words in ("a few", "few", "several"):
        return _VAGUE
    parts = words.split()
    if parts[0] in _TENS:
        return _TENS[parts[0]] + (_ONES.get(parts[1], 0) if len(parts) > 1 else 0)
    return _ONES.get(words)


def _unit(token: str) -> str:
    unit = token.lower()
    return unit[:-1] if unit.endswith("s") else unit


def _qualifier(token: str | None) -> str | None:
    if not token:
        return None
    words = _words(token)
    if words in ("early", "the beginning of", "beginning of", "the start of", "start of"):
        return "early"
    if words in ("mid", "the middle of", "middle of"):
        return "mid"
    return "late"  # late, (the) end of


def _qualified_month(year: int, month: int, token: str | None) -> tuple[date, date]:
    """Early = 1st-10th, mid = 11th-20th, late = 20th-end (dev-gold convention)."""
    start, end = _month_span(year, month)
    qualifier = _qualifier(token)
    if qualifier == "early":
        return start, start.replace(day=10)
    if qualifier == "mid":
        return start.replace(day=11), start.replace(day=20)
    if qualifier == "late":
        return start.replace(day=20), end
    return start, end


def _week_of_month(year: int, month: int, token: str) -> tuple[date, date]:
    start, end = _month_span(year, month)
    which = _words(token).split()[-3]  # "(the) first week of"
    if which in ("last", "final"):
        return end - timedelta(days=6), end
    first_day = 1 + 7 * ("first", "second", "third", "fourth").index(which)
    return start.replace(day=first_day), start.replace(day=first_day + 6)


def _qualified_year(year: int, token: str | None) -> tuple[date, date]:
    """Early = January-April, mid = May-August, late = September-December."""
    qualifier = _qualifier(token)
    if qualifier == "early":
        return date(year, 1, 1), date(year, 4, 30)
    if qualifier == "mid":
        return date(year, 5, 1), date(year, 8, 31)
    if qualifier == "late":
        return date(year, 9, 1), date(year, 12, 31)
    return date(year, 1, 1), date(year, 12, 31)


def _years_back(ref: date, month: int, strictly_before: bool) -> tuple[int, int]:
    """Candidate years, newest first, for a month named without a year."""
    if month > ref.month or (strictly_before and month == ref.month):
        return ref.year - 1, ref.year - 2
    return ref.year, ref.year - 1


def _weekday_on_or_before(ref: date, weekday: int) -> date:
    return ref - timedelta(days=(ref.weekday() - weekday) % 7)


def _latest_day_on_or_before(month: int, day: int, ref: date) -> date | None:
    """"on 17 January" in a report of 2015-01-19 is 2015-01-17; "29 February" looks back up to
    eight years for a leap year."""
    for year in range(ref.year, ref.year - 9, -1):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate <= ref:
            return candidate
    return None
