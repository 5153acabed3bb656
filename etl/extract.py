"""Extract stage: one Report -> its Observations (CODEBOOK.md), a pure function.

How it reads a report, sentence by sentence:
1. find   — trigger phrases (data/reference/lexicon.toml), group mentions (actors.csv),
            place mentions (the gazetteer), time expressions (etl.dates), quantities;
2. frame  — for each trigger, fill its roles from where the mentions stand: the group before
            it (subject), after it (object), after "by" (agent), next to the checkpoint or
            patrol noun (owner), the people killed (victims); the place it happened
            ("in X", "from X" for departures, "to X" for arrivals), its time, its count;
3. write  — an Observation with the sentence and trigger spans as evidence.
Context carries across sentences: "the group" is the last group named, "the city" the last
town named, and a sentence with no place of its own is about the last event place.
"""
from __future__ import annotations

import calendar
import itertools
import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple
from datetime import date, timedelta

from etl.dates import _MONTH_ANY, TimeExpression, _shift_month, find_time_expressions, numeric_day
from etl.models import UNLOCATED_PLACE_PREFIX, Observation, Place, Report
from etl.places import Gazetteer, distance_km, name_key
from etl.reference import Reference, Trigger, literal_alternation

EXTRACTOR_VERSION = "presence-rules-34"

# Page clutter that carries no news (seen in copied pages: "3 min read", "Share this article").
_CLUTTER = re.compile(r"^\s*(?:\d+\s+min(?:ute)?s?\s+read|share this article|advertisement|related:?|read more.*|"
                      r"for more from .*|follow us .*|photo:.*|image:.*"
                      # a byline of fields: "Interview | Raqqa Voices | Translated from Arabic"
                      r"|(?:[^|\n]{1,40}\|){1,4}[^|\n]{0,40}\b(?:translated|interview|analysis|opinion|feature|exclusive|min read|by [A-Z])\b[^|\n]{0,40}(?:\|[^|\n]{1,40}){0,4}"
                      r"|(?:interview|analysis|opinion|feature|exclusive)\s*\|.*"
                      r"|[^.\n]{0,80}\((?:translated|trans\.) from [a-z]+\))\s*$", re.IGNORECASE)  # "Dair al-Zour, Al-Watan agency (translated from Arabic)"
# A heading over links to other stories ("Read more:", "Related stories", "Most read").
_LINKS_HEADING = re.compile(r"^\s*(?:read more|related(?: stories| articles| news| content| coverage)?|most (?:read|popular|viewed)|more (?:stories|news|on this)"
                            r"|you (?:may|might) also like|recommended(?: for you)?|see also|trending|latest news)\s*:?\s*$", re.IGNORECASE)
# "AMMAN:", "BEIRUT (LWS) -", "BAGHDAD, Jan 19 (Reuters) -": where the reporter files from.
_DATELINE = re.compile(r"^\s*(?:[A-Z][A-Z .'’/-]{2,40}(?:,[^:\-–—\n]{0,30})?(?:\s*\([^)]{1,40}\))?\s*(?::|--?|–|—)"
                       r"|[A-Z][A-Z .'’-]{2,40},[^:–—\n(]{0,30}?\s*\([^)]{1,40}\)\s*(?::|--?|–|—)"  # "MOHASSAN, Deir ez-Zor (Syria Direct) —"
                       # "Baghdad - INA:", "Anbar - Shafaq News:", "Kirkuk (Shafaq News) -"
                       r"|[A-Z][a-z’'-]+(?:[ -][A-Z][a-z’'-]+)?(?:\s+-|\s*[–—])\s*[A-Z][\w.’' ]{1,30}:"  # (not "Al-Shafaa:", a heading)
                       r"|[A-Z][a-z’'-]+(?:[ -][A-Z][a-z’'-]+)?,?\s*\([^)]{1,40}\)\s*(?::|--?|–|—)"
                       # "Deir ez-Zor 24 –", "Aleppo 24 -": a local outlet's name
                       r"|[A-Z][\w’' -]{2,30}\s24\s*(?:--?|–|—|:))\s+")
_ABBREV = r"(?<!\b[NSEW])(?<!\b[NS][EW])(?<!\bU\.S)(?<!\bU\.N)(?<!\bMr)(?<!\bDr)(?<!\bGen)(?<!\bLt)(?<!\bCol)(?<!\bSt)(?<!\bNo)(?<!\bJan)(?<!\bFeb)(?<!\bAug)(?<!\bSept)(?<!\bSep)(?<!\bOct)(?<!\bNov)(?<!\bDec)(?<!\bMaj)(?<!\bSgt)(?<!\bBrig)(?<!\bapprox)"  # ("approx. 15 vehicles")
# Anchored on the punctuation first: the look-behinds of _ABBREV then run only there.
# ("between 8 a.m. Thursday and 8 a.m. Friday": a clock time before a weekday ends no sentence)
_SENTENCE_END = re.compile(r"(?=[.!?])(?<!\.)(?!\.{4,}\s*\d|\.{2,}\s*[\d,]+\s*(?:\(|$))(?!(?<=\b[ap]\.m)\.\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b)" + _ABBREV + r"[.!?]+[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9\u0600-\u06ff])")
_LIST_MARK = re.compile(r"\s*(?:[-•*]\s*)?\d{1,2}")
_WORD = re.compile(r"[A-Za-z\u00C0-\u024F\u0600-\u06FF0-9][\w\u0600-\u06FF’']*")
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ONES_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS_WORDS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_COUNT_MODIFIERS = ("more than", "over", "at least", "not less than", "not fewer than", "nearly", "almost", "about", "around", "approximately", "roughly",
                    "some", "up to", "as many as", "fewer than", "less than", "no fewer than", "no less than",
                    "an estimated", "between", "at most", "no more than", "not more than")
# Word lists as tries (literal_alternation): the quantity scan tries them at every word.
_NUM_WORD = (rf"(?:(?:{literal_alternation(_TENS_WORDS)})(?:[- ](?:{literal_alternation(_ONES_WORDS)}))?"
             rf"|{literal_alternation(_ONES_WORDS + _TEENS_WORDS)})")
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:a|one|{_NUM_WORD}) (?:hundred|thousand|dozen)|{_NUM_WORD})"
_QUANTITY = re.compile(
    rf"\b(?=[\da-z])(?P<mod>{literal_alternation(_COUNT_MODIFIERS)})?\s*"
    rf"(?P<n1>{_NUM})(?:\s*(?P<conn>-|–|to|and|or)\s*(?P<n2>{_NUM}))?(?:(?=\W|$)|(?P<times>x)(?=\s))",
)  # matched on the lowercased sentence (no re.IGNORECASE: several times faster); "2x SDF" in sitreps
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
_MONTH_BEFORE = re.compile(r"\b(?:" + "|".join(_MONTHS) + r")\.?\s*$")
_MONTH_AFTER = re.compile(r"\s*(?:" + "|".join(_MONTHS) + r")\b")
# "north of", "south-west of", "eastern ... of": a compass direction from a place; and the
# distance that may come before it ("50 km (32 miles) west of")
_COMPASS = r"(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?"
_DISTANCE = r"(?:about\s+|some\s+)?(?:\d+\s*(?:km|kilometres|kilometers|miles)\s+)?(?:\(\w+\)\s+)?(?:to the\s+)?"


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset in the report text
    line: int = 0  # which line (paragraph) of the report it is on


def _looks_like_place_name(name: str) -> bool:
    """"Moadamiyet al-Sham" looks like a place we do not know; "Also", "KEY DEVELOPMENTS"
    and "Update" do not."""
    tokens = re.findall(r"[\w’']+", name)
    return len(tokens) >= 2 and not name.isupper() and all(t[0].isupper() or t.lower() in ("al", "el", "ad", "as", "ash", "az", "ar", "an") for t in tokens)


# A bulletin line that opens with its town: "3) Al-Quriyah: ...", "- 04/06 Thiban: ...", "[02.05] Sinuni: ..."
_PLACE_LABEL_SENTENCE = re.compile(r"(?:[-•*]\s*)?(?P<name>[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,3}?\s+(?:province|governorate|countryside|city))\.")
_HEADING = re.compile(r"^(?:[-•*]\s*)?(?:\d+[).]\s*)?(?:\[?\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\]?\s+|\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+|\[[^\]\n]{1,25}\]\s+)?#?(?P<name>(?:(?:N|S|E|W|NE|NW|SE|SW)\.\s*)?[A-Z][\w’' -]{2,40}?)(?:\s*\([^)]{0,40}\))?:\s+\S")  # "[12 Dec, 18:40] #Aleppo: ..."
# "5. HADITHA. No change. ...", "6. BAIJI (Salahuddin). ...": a numbered upper-case town and a full stop
_SUB_LABEL = re.compile(r"(?:\s*\([^)]{0,40}\))?:\s+(?P<name>[A-Za-z][\w’' -]{2,40}?)(?:\s*\([^)]{0,40}\))?:\s+\S")
_NUMBERED_CAPS_HEADING = re.compile(r"^\s*(?:[-•*]\s*)?\d{1,2}[).]\s*(?P<name>[A-Z][A-Z’' -]{2,40}?)(?:\s*\([^)]{0,40}\))?\.(?:\s|$)")
# "Items refer to Monday 25 May unless stated otherwise": the day a bulletin's items took place
_ITEMS_REFER = re.compile(r"\b(?:items|events|entries|incidents|reports)\s+(?:below\s+)?(?:refer|relate|date)\s+(?:to|from)\b|\bunless (?:stated|noted|indicated) otherwise\b", re.IGNORECASE)
# "Town: Jasim — 6 March. ...": a labelled town, and often the day
_LABEL_PROVINCE_AFTER = re.compile(r"\s*\(([^)]{1,40})\)\s*:")
_LABELLED_HEADING = re.compile(r"^\s*(?:[-•*]\s*)?(?:Town|City|Village|Location|Area|District|Place)\s*:\s*(?P<name>[A-Z][\w’' -]{2,40}?)\s*(?:[—–]|\s-\s|:|\.|$)")
# A bulletin's title that dates its items: "field bulletin for Saturday 1 June", "security log, 5–7 March"
_TALLY_TITLE = re.compile(r"\d[\d,]*\s+(?:[\w-]+\s+){0,2}(?:killed|dead|deaths|died|civilians|casualties|attacks|incidents|strikes|raids)\b"
                          r"|\b(?:death toll|casualty figures|casualties|losses|tally|monthly|weekly|in numbers|by the numbers)\b", re.IGNORECASE)
_BULLETIN_TITLE = re.compile(r"\b(?:bulletin|log|roundup|round-up|digest|update|sitrep|summary|briefing|monitoring|situation report|security report|weekly report|daily report|monthly|weekly)\b", re.IGNORECASE)
# A line that is only a heading: "1. Al-Mayadeen", "### Raqqa", "**Hajin:**", "Al-Bukamal", "HAJIN".
_SECTION_LINE = re.compile(r"^\s*(?:[\u2600-\u27BF\U0001F300-\U0001FAFF\uFE0F]+\s*)?(?P<mark>#{1,4}\s*|(?:[-•*]\s*)?\(?\d{1,2}[).]\s*|\*\*|__)?(?:\*\*|__)?(?P<name>[A-Z\u0600-\u06FF][\w’' -]{2,40}?(?:\s/\s[\w’' -]{2,30}?)?(?:,\s+(?!\d{1,2}\s+[A-Za-z]{3,9}\b)[\w’' -]{2,30}?)?)"
                           r"(?:\s*\([^)]{0,40}\))?\s*(?::\s*)?(?:\*\*|__)?(?::\s*)?"
                           r"(?:(?:\s*(?:[—–]|\s-)\s*|,\s+(?=\d{1,2}\s+[A-Za-z]{3,9}\b))(?P<when>[^\n]{3,80}?)\s*)?(?:\s*\|\s*\d{1,2}[:.]\d{2})?\s*$")  # "1. SAFIRA — Friday 1 November": the items' day (and a live feed's "🔴 #Tafas | 07:45")
_HYPHENATED_DAY = re.compile(r"\b(\d{1,2})-([A-Za-z]{3,9})-(\d{2,4})\b")
_ROW_HEADER = re.compile(r"^\s*(?P<day>[^|\n]{5,30}?)\s*\|(?P<rest>[^\n]{3,160})$")
_STAMP_LINE = re.compile(r"^\s*[\[(]?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
                         r"(?:\d{1,2}\s+[a-z]{3,9}\.?,?\s+\d{4}|[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2}"
                         # (a live blog's "12 December, 10:40": no year, but a clock)
                         r"|(?=(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s+\d{1,2})?(?:,|\s+at|\s*[-–—|])?\s*\d{1,2}[:.]\d{2})"
                         r"(?:\d{1,2}\s+[a-z]{3,9}\.?|[a-z]{3,9}\.?\s+\d{1,2}))"
                         r"(?P<clock>(?:,|\s+at|\s*[-–—|])?\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*\([^)]{0,20}\))?)?[\])]?"
                         r"(?:\s+[^\n:]{2,50}:)?\s*$", re.IGNORECASE)  # (and who posted it: "[08 Feb 2021 - 21:14] Security Media Cell:")
# A social post's header line, "JaziraNow @JaziraNow · 13 Nov": the post's day, for the lines under it
_POST_HEADER = re.compile(r"^[^\n@]{0,60}@\w{2,30}\s*[·•|–-]\s*(?:(?P<when>\d{1,2}\s+[A-Za-z]{3,9}\.?(?:\s+\d{4})?|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:,?\s+\d{4})?)|\d{1,2}\s?[hm])\s*$")  # ("· 14h": of the report's day)
_OUTLOOK_HEADING = re.compile(r"^\W*(?:\d+[.)]\s*)?(?:outlook|forecast|recommendations?|advice|assessment|looking ahead|next week|next steps|what to watch)\b[^a-z]*$", re.IGNORECASE)
_INSIDE_THE_CITY = re.compile(r"\b(?:inside|within|into)\s+the\s+city\b")
_IN_THE_CITY_HEADING = re.compile(r"^\W*(?:inside|in|within)\s+the\s+city\W*$", re.IGNORECASE)
_FRONTED_EVENT_BEFORE = re.compile(r"\W*(?:after|since|following|before)\s+(?:the\s+)?(?:(?:fall|loss|capture|liberation|recapture|battle|siege)\s+(?:of|for)\s+)?", re.IGNORECASE)
_TITLE_GOAL_BEFORE = re.compile(r"\b(?:to|toward|towards|into|for|(?:sights|designs|eyes) on|eyes|eyeing|targets?|targeting|threatens?|nears?|approach(?:es)?)\s+(?:the\s+)?$", re.IGNORECASE)
_HIGHLIGHTS_HEADING = re.compile(r"^\W*(?:\d+[.)]\s*)?(?:highlights|key developments|key points|main developments|summary|at a glance|in brief|key events|headlines)\b[^a-z]*$", re.IGNORECASE)
_OUTLOOK_LABEL = re.compile(r"^\W*(?:outlook|forecast|recommendations?|looking ahead|next week|coming up|what to watch)\s*[:\-–—]", re.IGNORECASE)
# A live blog's stamped line: "23:55 - Iraqi state TV reports ...", "0735 Syrian MoD: ...", "Sat 0205 #Iraq: ..."
# (a bare four-digit stamp counts only where the report shows it is a clock: see _clock_lines)
_CLOCK_LINE = re.compile(r"^\s*[-*•]?\s*(?P<weekday>(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?\s+)?[\[(]?"
                         r"(?P<stamp>\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|(?P<hhmm>(?:[01]\d|2[0-3])[0-5]\d)(?=\s+[A-Z#\"“]))[\])]?\s*(?:[-–—:|]\s+|\s+(?=[A-Z#\"“]))\S")
_N_MORE_KILLED = re.compile(rf"\b(?:killing|killed|kills)\s+(?:another\s+)?(?P<n>\d+|{_NUM_WORD})\s+more(?=\s*(?:[,.;]|$)|\s+(?:in|at|near|on|and|when|as|during|after|before|overnight|later|there)\b)"  # (not "killed two more people")
                            rf"|\b(?P<n2>\d+|{_NUM_WORD})\s+more\s+(?:were|was|have\s+been|had\s+been)\s+killed\b", re.IGNORECASE)  # (no noun: the dead told before)
_SINCE_THE_EVENT = re.compile(r"since\s+(?:the|that|this)\s+(?:deadly\s+|latest\s+)?(?:clash(?:es)?|attack|fighting|incident|assault|bombing|blast|explosion|battle|ambush|raid|strike)\b")
# "06 JUN | 2210 | 40 km E of Rutba | ...": a log's clock cell, after its date cell
_LEFT_WITH_THEM = re.compile(r"\b(?:left|departed|bus+ed out|evacuated|pulled out|withdrew|went)\s+(?:[\w-]+\s+){0,2}?with them\b")


def _more_of(o: Observation, last: Observation, n, at: tuple[int, int]) -> Observation:
    """The killing of `n` at the words "killed four more" (`at`) as more of `last`'s dead."""
    if o.indicator != "killing" or o.negated or o.quantity_low != n or not (at[0] - 40 <= o.trigger_start <= at[1]):
        return o
    if last.change == "killed":  # (the same group's dead, by its killers)
        return replace(o, actor=last.actor, change="killed", counterpart=last.counterpart, unit=last.unit)
    return replace(o, actor=last.actor) if o.change == "killed_by" and o.actor == "unknown" else o


_CLOCK_CELL = re.compile(r"(?:\b\d{1,2}[\s-]+[A-Za-z]{3,9}\.?(?:[\s-]+\d{2,4})?|\b[A-Za-z]{3,9}\.?\s+\d{1,2}(?:,?\s+\d{4})?|\b\d{4}-\d{2}-\d{2}|\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?)"
                         r"\s*\|\s*(?:[01]\d|2[0-3])[0-5]\d\s*\|")  # ("06 JUN | 2210 |", "June 7 | 0815 |", "2020-06-07 | 0815 |")
_WEEKDAY_NAMES = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday", "sat": "Saturday", "sun": "Sunday"}
# A log's numbered entry label: "Incident 1 - November 1, 2017 - Al Qaim, Anbar governorate"
_ENTRY_LABEL = re.compile(r"(?:incident|event|entry|item|case|update|report|strike|attack)\s+(?:no\.?\s*)?\d{1,3}", re.IGNORECASE)


_OUTLET_NAME = re.compile(r"(?:[A-Z][\w’'-]*\s+){1,3}(?:Today|News|Times|Post|Voice|Monitor|Network)")  # (not "Friday 24 - Tabqa", a day)


def _section_heading(line: str, gaz: Gazetteer, words: dict, context_admin1: frozenset[str], published: date
                     ) -> tuple[str | None, PlaceMention | None, bool, str | None]:
    """What a line of its own says about the section it opens, whether it is upper case, and
    the time it gives its items ("1. SAFIRA — Friday 1 November"): ("place", its place),
    ("unknown", None) for a heading that names a place we cannot put on the map, ("end", None)
    for one that names none ("5. General", "OUTLOOK"), ("time", None) for a dated heading
    whose place we cannot tell, or (None, None)."""
    sm = _SECTION_LINE.match(line)
    if sm is None:
        return None, None, False, None
    caps = sm.group("name").isupper()
    when = sm.group("when")
    if "," in sm.group("name"):
        # only a day takes a comma ("Tuesday, October 5"); "Ras al-Ain, Syria" opens no section
        if when is None and _is_only_a_time(sm.group("name"), published):
            return "time", None, False, sm.group("name")
        return None, None, False, None
    outlet_name = _OUTLET_NAME.fullmatch(sm.group("name").strip()) is not None  # ("Al-Rafidain Today", "Ghouta Today": no day)
    if when is not None and _heading_time(when, published) is None and (outlet_name or _heading_time(sm.group("name"), published) is None) \
            and not find_place_names(sm.group("name"), gaz, words):
        where = find_place_names(when, gaz, words)
        if where and where[0].start == 0 and where[-1].end >= len(when.rstrip(" .")):
            return None, None, False, None  # "Al-Rafidain Today - Baghdad": an outlet and the city it files from
    if when is not None:
        # "Week of 29 October - 4 November 2018": one span told across the dash, not a day
        # ("29 October") heading the items of "4 November"
        joined = f"{sm.group('name')} - {when}"
        span = [t for t in find_time_expressions(joined, published) if t.span_start < len(sm.group("name")) < t.span_end]
        if span and span[0].start < span[0].end <= published:
            return "time", None, False, joined
    if when is not None and _heading_time(sm.group("name"), published) is not None:
        # "Tuesday 22 September — Tal Tamr countryside": the day first, then where
        places = [p for p in rank_place_names(find_place_names(when, gaz, words), gaz, context_admin1)
                  if p.place.kind in ("town", "landmark")]
        return ("place", places[-1], False, sm.group("name")) if places else ("time", None, False, sm.group("name"))
    if when is not None and _ENTRY_LABEL.fullmatch(sm.group("name").strip()) and _heading_time(when, published) is not None:
        # "Incident 3 - November 3-4, 2017 - Albu Kamal, Deir Ezzor governorate": the entry's day and town
        places = [p for p in rank_place_names(find_place_names(when, gaz, words), gaz, context_admin1)
                  if p.place.kind in ("town", "landmark")]
        return ("place", places[-1], False, when) if places else ("time", None, False, when)
    if when is not None and not sm.group("mark"):
        return None, None, False, None  # "Al-Mayadin — 26 August": a dateline, not a numbered item's heading
    if when is None and _is_only_a_time(sm.group("name"), published):
        return "time", None, False, sm.group("name")  # "Sunday 17 May" on a line of its own: a day-by-day log
    found = _heading_place(sm.group("name"), gaz, words, context_admin1)
    if found is None and "(" in line and _TALLY_LABEL.search(sm.group("name")):
        # "Weekly tally (all SDF-held Deir ez-Zor)": the tally's area, told in brackets
        inner = re.search(r"\(([^)]{2,40})\)", line)
        inner = inner if inner and not re.search(r"\d|\bincl", inner.group(1), re.IGNORECASE) else None  # (not "Deaths (incl. 3 in Diban)")
        areas = [p for p in find_places(inner.group(1), gaz, words, context_admin1) if p.place.kind in ("admin1", "town")] if inner else []
        if len(areas) == 1:
            province = areas[0].place if areas[0].place.kind == "admin1" else gaz.admin1_place(areas[0].place)
            found = replace(areas[0], place=province) if province is not None and _PROVINCE_AREA.search(inner.group(1)) else areas[0]
    if found is not None and found.place.kind != "country":  # (under "Syria", sentences name their places)
        return "place", found, caps, when
    if sm.group("mark") and sm.group("mark").lstrip(" -•*").startswith("("):
        return None, None, caps, None  # ("(2) Current situation": a bracketed number heads a section only with a place)
    if when is not None:
        return None, None, False, None  # "Fighting in Hama - residents flee": a sentence, not a heading
    if sm.group("mark") and _looks_like_place_name(sm.group("name")):
        return "unknown", None, caps, None
    if sm.group("mark") or caps:
        return "end", None, caps, None
    return None, None, caps, None


_SPEAKER_LABEL = re.compile(r"^\s*(?P<name>[A-Z][\w’'.-]*(?: [A-Z][\w’'.-]*){0,2}):\s")


def _is_only_a_time(text: str, published: date) -> bool:
    """"Sunday 17 May", "Tuesday, 19 May 2015": a day, named with its weekday (a bare "19
    January 2015" at the top of an article is its date line), and little else."""
    if not _WEEKDAY_START.match(text):
        return False
    given = find_time_expressions(text, published)
    return len(given) == 1 and given[0].start <= published and given[0].precision == "day" \
        and len(text.strip(" ,.:")) - (given[0].span_end - given[0].span_start) <= 10


_WEEKDAY_START = re.compile(r"\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b", re.IGNORECASE)


def _heading_time(when: str, published: date):
    """The time a heading gives ("Friday 1 November", "Monday 4 November to Wednesday 6
    November"): one expression, or the span from the first to the last."""
    given = [t for t in find_time_expressions(when, published) if t.start <= published]
    if not given:
        return None
    if len(given) == 1:
        return given[0]
    return replace(given[0], end=max(t.end for t in given), precision="day" if all(t.precision == "day" for t in given) else given[0].precision)


def _names_place_exactly(name: str, gaz: Gazetteer) -> bool:
    ids, inexact = gaz.candidates(name)
    return bool(ids) and not inexact


def _speaker_labels(text: str, gaz: Gazetteer) -> frozenset[str]:
    """The speakers of an interview: line labels ("TNH:", "Khalid:", "Q:") that come back,
    two or more of them, and that are no place's exact name (a bulletin's "Hajin:" is)."""
    counts: dict[str, int] = {}
    for line in text.split("\n"):
        m = _SPEAKER_LABEL.match(line)
        if m:
            counts[m.group("name")] = counts.get(m.group("name"), 0) + 1
    repeated = [name for name, n in counts.items() if n >= 2 and not _names_place_exactly(name, gaz)]
    return frozenset(repeated) if len(repeated) >= 2 else frozenset()


def _heading_place(name: str, gaz: Gazetteer, words: dict, context_admin1: frozenset[str]) -> PlaceMention | None:
    """The place a bulletin heading names, when the whole heading is one place name (or two
    names of one place: "RAS AL-AIN / SERE KANIYE")."""
    if " / " in name:
        # (two names of one place only: "RAQQA / TABQA" heads news of two towns, no one place)
        found = [_heading_place(part, gaz, words, context_admin1) for part in name.split(" / ")]
        ids = {f.place.place_id for f in found if f is not None}
        return next(f for f in found if f is not None) if len(ids) == 1 else None
    # "Deir ez-Zor city:", "Al-Qutayfah:" — the descriptor only says which one.
    descriptor = re.search(r"\s+(city|town|village|countryside|province|governorate|district|camp)$", name.strip(), flags=re.IGNORECASE)
    name = name.strip()[:descriptor.start()] if descriptor else name.strip()
    # "N. HAMA:", "Northern Aleppo:": a part of the province, not the town
    part = _COMPASS_PART.match(name)
    if part:
        name = name[part.end():]
    found = [p for p in find_places(name, gaz, words, context_admin1) if p.start == 0 and p.end == len(name)]
    if found and (part or (descriptor and descriptor.group(1).lower() in ("province", "governorate"))):
        # ("RAQQA GOVERNORATE": the province, not the city)
        province = found[0].place if found[0].place.kind == "admin1" else gaz.admin1_place(found[0].place)
        if part and province is not None and found[0].place.kind in ("town", "landmark") and found[0].place.name != province.name:
            return found[0]  # ("EAST MOSUL": a part of the city; Mosul names no province)
        return replace(found[0], place=province) if province is not None else None
    return found[0] if found else None


_TALLY_LABEL = re.compile(r"\b(?:tally|totals?|summary|figures|casualties|deaths|toll|breakdown)\b", re.IGNORECASE)
_PROVINCE_AREA = re.compile(r"\b(?:all|whole|entire|province|governorate|countryside|areas?|parts?)\b", re.IGNORECASE)  # ("all SDF-held Deir ez-Zor": the province, not the city)
_COMPASS_PART = re.compile(r"(?:(?:N|S|E|W|NE|NW|SE|SW)\.\s*|(?:northern|southern|eastern|western|north|south|east|west|north-?western|north-?eastern|south-?western|south-?eastern)\s+)", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    start: int  # offsets within the sentence
    end: int
    value: str  # canonical actor, or place_id
    text: str


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    place: Place
    text: str
    fuzzy: bool
    role: str  # event | source | excluded
    area: bool = False  # a town's countryside, given as its province: an area of its own, no general statement


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    low: int | None
    high: int | None
    unit: str | None
    noun_end: int  # where the counted noun ends (for tying a count to the victims)


# Alternations of the lexicon's word lists, joined once per list (they are hot).
_ALTERNATIONS: dict[tuple[int, str, bool], str] = {}


def _alt(words: dict, key: str, escape: bool = False) -> str:
    cache_key = (id(words), key, escape)
    if cache_key not in _ALTERNATIONS:
        items = words[key]
        _ALTERNATIONS[cache_key] = "|".join(map(re.escape, items) if escape else items)
    return _ALTERNATIONS[cache_key]


_WORD_REGEXES: dict[tuple, re.Pattern] = {}


def _words_re(words: dict, key: str, template: str, flags: int = 0, escape: bool = False,
              lowered: bool = False) -> re.Pattern:
    """`template` with @@ replaced by the alternation of a word list, compiled once;
    `lowered`: for matching lowercased text (instead of the slower re.IGNORECASE)."""
    cache_key = (id(words), key, template, flags, escape, lowered)
    rx = _WORD_REGEXES.get(cache_key)
    if rx is None:
        pattern = template.replace("@@", _alt(words, key, escape))
        rx = _WORD_REGEXES[cache_key] = re.compile(lower_pattern(pattern) if lowered else pattern, flags)
    return rx


# ---------------------------------------------------------------- sentences


_COUNT_LABEL = re.compile(r"\s*[-*•]\s+[A-Z][\w’' -]{2,40}:\s+\d[\d,]*")  # a breakdown's item label, "- Civilians: 9"
_PARTICIPLE_START = re.compile(r"\s*(?:Killed|Assassinated|Executed|Shot dead|Died|Slain|Murdered)\b")
# "Israeli forces entered the following villages on Tuesday:" over lines "- Jubata al-Khashab",
# "- Hader": a list of bare place names is the sentence's own list of towns.
_PLACE_LIST = re.compile(r"^[^\n]*\b(?:villages|towns|cities|areas|localities|neighbou?rhoods|districts|locations|sites|positions|hamlets|settlements)\b[^\n:]{0,40}:[ \t]*"
                         r"(?:\n(?:[ \t]*\n)*[ \t]*(?:[-•*]|\d{1,2}[.)])[ \t]+[A-Z][\w'’-]*(?:[ \t]+(?:[A-Z][\w'’-]*|(?:al|el|ad|ar|as|ash|az|ibn|bin|abu|umm|of|the)(?:-[\w'’-]+)?|town|village|city|camp|airbase|base|district|area|countryside|outskirts)){0,3}"
                         r"[ \t]*[.;,]?[ \t]*(?=\n|$)){2,}", re.MULTILINE)  # (names, not short sentences: "1. SDF entered Hajin")
_PLACE_LIST_BREAK = re.compile(r"[ \t]*[.;,]?[ \t]*\n(?:[ \t]*\n)*[ \t]*(?:[-•*]|\d{1,2}[.)])[ \t]+")


def _folded_place_lists(text: str) -> dict[int, tuple[int, str]]:
    """{start of a list's heading line: (end of its last item, the heading and items as one
    line)}: each break and bullet becomes a comma and spaces, so offsets stay those of the text."""
    folded = {}
    for m in _PLACE_LIST.finditer(text):
        block = m.group(0)
        first = True

        def comma(b: re.Match) -> str:
            nonlocal first
            sep = " " if first else ","  # (the heading's colon leads the first item)
            first = False
            return sep + " " * (len(b.group(0)) - 1)
        folded[m.start()] = (m.end(), _PLACE_LIST_BREAK.sub(comma, block))
    return folded


# "AL-QAIM - ISIS fighters took full control of the town ...", "RAWA / ANAH - Militants
# entered both towns": a digest's items, each led by its towns in capitals and a dash.
_LABEL_TOWNS = r"[ \t]*[A-Z][A-Z'’-]+(?:(?:[ \t]*[/&,][ \t]*|[ \t])[A-Z][A-Z'’-]+){0,3}[ \t]*(?:\([\w .'’-]{1,30}\))?"  # "PALMYRA (Homs)", "RAWA / ANAH"
_ITEM_LABEL_LINE = re.compile(_LABEL_TOWNS + r"(?:[ \t]+[-–—][ \t]+|:[ \t]+)(?=[A-Z]|\d{1,2}\b|(?:night|morning|evening|late|early|mid)\b)")  # ("AL-RASHAD (Kirkuk): ...", "PALMYRA (Homs) - 14 April: ...")


# Upper-case labels with a colon that lead no town's items: a report's sections ("KEY POINTS:",
# "OVERVIEW:") and wire datelines from the capitals reporters file from ("BEIRUT: ...").
_NO_ITEM_LABEL = re.compile(r"[ \t]*(?:KEY\s+POINTS|KEY\s+DEVELOPMENTS|OVERVIEW|SUMMARY|NOTES?|HIGHLIGHTS|BACKGROUND|CONTEXT|PROTECTION|EDUCATION|HEALTH|OUTLOOK|UPDATE|UPDATED|BREAKING|URGENT|LATEST|SOURCES?|METHODOLOGY|RESPONSE|ANALYSIS|COMMENT|CORRECTION|RELATED|PHOTO|VIDEO|INCIDENTS|SECURITY|DISPLACEMENT|HUMANITARIAN(?:\s+[A-Z]+)*|SITUATION(?:\s+[A-Z]+)*|AIR\s?STRIKES|CHECKPOINTS|PATROLS|KILLINGS|CASUALTIES|(?:TROOP\s+)?MOVEMENTS|CLASHES|ATTACKS|ARRESTS|CONTROL|FRONTLINES?|BEIRUT|ANKARA|AMMAN|MOSCOW|WASHINGTON|GENEVA|ISTANBUL|GAZIANTEP|LONDON|PARIS|CAIRO|TEHRAN|NEW\s+YORK|DUBAI|DOHA)[ \t]*:")

def _item_labels(text: str) -> set[int]:
    """Offsets of the lines a digest leads with a town label: two or more such lines are
    items, not datelines (which tell where the reporter was)."""
    starts, pos = [], 0
    for line in text.split("\n"):
        if _ITEM_LABEL_LINE.match(line) and not _NO_ITEM_LABEL.match(line):
            starts.append(pos)
        pos += len(line) + 1
    return set(starts) if len(starts) >= 2 else set()


@lru_cache(maxsize=4)  # the extractor and find_unresolved_places split the same text in turn
def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences with their offsets; clutter lines dropped, datelines blanked out (their place
    is where the reporter was, not where anything happened)."""
    out: list[Sentence] = []
    pos = 0
    in_links = False  # under a "Read more:" heading: the links' headlines are other stories
    lists = _folded_place_lists(text) if ":" in text else {}
    labels = _item_labels(text)
    list_end = -1
    for line_no, line in enumerate(text.split("\n")):
        line_start = pos
        pos += len(line) + 1
        if line_start < list_end or not line.strip():
            continue  # (a folded list's items are read with its heading)
        if line_start in lists:
            list_end, line = lists[line_start]
        if _LINKS_HEADING.match(line):
            in_links = True
            continue
        if in_links and len(line) <= 160 and not line.rstrip().endswith((".", "\"", "”")):
            continue  # "- Regime barrel bombs kill 20 in Douma": a linked headline
        in_links = False
        if _CLUTTER.match(line):
            continue
        m = _DATELINE.match(line) if line_start not in labels else None
        body_start = m.end() if m else 0
        last = body_start
        for end in _SENTENCE_END.finditer(line, body_start):
            if _LIST_MARK.fullmatch(line, last, end.start()):
                continue  # "5. HADITHA. ...": an item's number ends no sentence
            if _COUNT_LABEL.fullmatch(line, last, end.start()) and _PARTICIPLE_START.match(line, end.end()):
                continue  # "- Opposition fighters: 8. Killed in clashes near Baath City.": one item, its count and how
            out.append(Sentence(line[last:end.end()].rstrip(), line_start + last, line_no))
            last = end.end()
        if line[last:].strip():
            out.append(Sentence(line[last:].rstrip(), line_start + last, line_no))
    return tuple(out)


HEAD_CHARS = 3000  # the opening of a report that sets its context (provinces, country)


def _datelines(text: str, limit: int) -> list[tuple[int, str]]:
    """(offset, text) of the datelines ("DEIR EZ-ZOR, Syria (Reuters) -") of lines starting
    before `limit`."""
    out = []
    pos = 0
    labels = _item_labels(text)  # (a digest's town labels are no datelines)
    for line in text[:limit].split("\n"):
        m = _DATELINE.match(line) if pos not in labels else None
        if m and not _CLUTTER.match(line):
            out.append((pos, line[:m.end()]))
        pos += len(line) + 1
    return out


def _shifted(name: "PlaceName", by: int) -> "PlaceName":
    return PlaceName(name.start + by, name.end + by, name.text, name.ids, name.fuzzy, name.prefer)


# ---------------------------------------------------------------- finders


class _ActorFinder:
    def __init__(self, aliases: dict[str, str], adjectives: dict[str, str] | None = None, adjective_nouns=()):
        self.aliases = {a.lower(): v for a, v in aliases.items()}
        # "Turkish shelling", "Iraqi F-16s", "Russian and Syrian aircraft": a national
        # adjective before a military noun names that party.
        self.adjectives = {k.lower(): v for k, v in (adjectives or {}).items()}
        adj = literal_alternation(self.adjectives)
        noun = "|".join(adjective_nouns) or "(?!)"
        # (two words between only when neither names another side: "American Bradley fighting
        # vehicles", not "Syrian rebel supply convoys")
        two = r"(?:\s+(?!(?:rebels?|opposition|kurdish|islamist|jihadist|militia|militias|government|regime|army|pro-[\w-]+|anti-[\w-]+)\b)[\w-]+){2}"
        self.adjective = re.compile(lower_pattern(rf"\b({adj})(?=(?:\s+(?:and|or)\s+[\w.-]+|-[a-z]+)?(?:{two}|\s+[\w-]+)?\s+(?:{noun})\b)"))
        # "a drone believed to be Turkish": the adjective after the noun (the hedge is read apart)
        self.adjective_after = re.compile(lower_pattern(rf"\b(?:believed|thought|suspected|said|presumed)\s+to\s+(?:be|have\s+been)\s+({adj})\b"))
        self.noun_before = re.compile(lower_pattern(rf"\b(?:{noun})\s+(?:(?:is|was|were|are)\s+)?$"))
        # Short all-caps aliases (IS, SDF) must match case: "is" is a verb.
        exact = sorted((a for a in aliases if a.isupper() and len(a) <= 5), key=len, reverse=True)
        loose = sorted((a for a in aliases if not (a.isupper() and len(a) <= 5)), key=len, reverse=True)
        self.exact = re.compile(r"(?<![\w-])(?:" + literal_alternation(exact) + r")(?![\w]|-\d)")  # (not "KH-29" missiles)
        self.loose = re.compile(r"(?<![\w])(?:" + literal_alternation({a.lower() for a in loose}) + r")(?![\w])")
        self.exact_map = {a: aliases[a] for a in exact}

    def find(self, s: str) -> list[Mention]:
        # The loose and adjective patterns are matched on the lowercased text (no IGNORECASE).
        lower = lowercase(s)
        found = [Mention(m.start(), m.end(), self.exact_map[m.group(0)], m.group(0)) for m in self.exact.finditer(s)]
        found += [Mention(m.start(), m.end(), self.aliases[m.group(0)], s[m.start():m.end()]) for m in self.loose.finditer(lower)]
        found += [Mention(m.start(), m.end(), self.adjectives[m.group(1)], s[m.start():m.end()]) for m in self.adjective.finditer(lower)
                  if s[m.start():m.end()] != "us"]  # ("it hit us like an air raid": the pronoun)
        if " to be " in lower or " to have been " in lower:
            found += [Mention(m.start(1), m.end(1), self.adjectives[m.group(1)], s[m.start(1):m.end(1)]) for m in self.adjective_after.finditer(lower)
                      if self.noun_before.search(lower, max(0, m.start() - 40), m.start())]
        if "#" in s:
            # "#LebaneseArmy", "#IraqiArmy", "#FreeSyrianArmy": a hashtag's words run together
            for m in _CAMEL_HASHTAG.finditer(s):
                words = " ".join(_CAMEL_WORD.findall(m.group(1))).lower()
                value = self.aliases.get(words) if _FORCE_WORD_END.search(words) else None  # (not "#NorthernStorm", "#GeneralSecurity")
                if value is not None:
                    found.append(Mention(m.start(1), m.end(1), value, m.group(1)))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        out: list[Mention] = []
        for m in found:
            if out and m.start < out[-1].end:
                continue
            if out and m.text.lower().startswith("crusader") and lower[out[-1].end:m.start] == " " \
                    and out[-1].text.lower() in self.adjectives:
                # "the Russian crusader aircraft": IS's word for any foreign enemy, whose
                # nationality the adjective gives
                out[-1] = Mention(out[-1].start, m.end, out[-1].value, s[out[-1].start:m.end])
                continue
            if out and m.value == "national_forces" and out[-1].text.lower() in self.adjectives \
                    and _ONE_WORD_GAP.fullmatch(lower, out[-1].end, m.start):
                # "Turkish ground troops", "Iraqi special forces": the adjective's troops, not
                # the bare "troops" of the report's country
                out[-1] = Mention(out[-1].start, m.end, out[-1].value, s[out[-1].start:m.end])
                continue
            if m.text == "Coalition" and _ORGANISATION_BEFORE.search(s, max(0, m.start - 30), m.start) and not _is_title_case(s):
                continue  # "the Euphrates Civil Rights Coalition", "the Syria Campaign Coalition": an organisation's name
            if out and out[-1].text.lower() in self.adjectives and lower[out[-1].end:m.start] == " " and m.text.lower() not in self.adjectives \
                    and m.value not in ("unknown", "national_forces"):
                out[-1] = m  # "Lebanese Hezbollah positions", "Syrian opposition fighters": the group named, not the nation
                continue
            out.append(m)
        return out


_CAMEL_HASHTAG = re.compile(r"#((?:[A-Z][a-z]+){2,4})\b")
_CAMEL_WORD = re.compile(r"[A-Z][a-z]+")
_FORCE_WORD_END = re.compile(r"\b(?:army|forces?|police|militias?|mobili[sz]ation|units|coalition|guards?)$")


# Capitalised words before "Coalition" that make it an organisation's name, not the US-led
# coalition (whose name is "the Coalition", "the Global Coalition", "the International Coalition").
_ORGANISATION_BEFORE = re.compile(r"(?<=\S\s)\b(?!(?:The|Global|International|Western|Anti-ISIS|Anti-IS|Anti-Daesh|US-led|U\.S\.-led|American-led|Military|Arab|Islamic|Saudi-led"
                                  r"|Yesterday|Today|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
                                  r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?|May)\s+$)[A-Z][a-z][\w’'-]*[ \t]+$")  # (a word on the line above is no name's: "25 Jan\nCoalition drone hit")
_ONE_WORD_GAP = re.compile(r"\s+(?:(?:ground|special|elite|regular|armou?red|combat|infantry|commando|reserve)\s+)?")
_IRAQI_SECURITY_FORCES = re.compile(r"\bIraqi? Security Forces\b", re.IGNORECASE)


def _with_bracketed_names(mentions: list[Mention], text: str) -> list[Mention]:
    """"Popular Mobilisation (Hashed al-Shaabi) units": a group's other name in brackets right
    after it is one mention with it, so "Iraqi troops and Popular Mobilisation (...) units"
    still joins two groups."""
    out: list[Mention] = []
    for m in mentions:
        if out and out[-1].value == m.value and text[out[-1].end:m.start].strip() == "(" and text[m.end:m.end + 1] == ")":
            a = out[-1]
            out[-1] = Mention(a.start, m.end + 1, a.value, text[a.start:m.end + 1])
        else:
            out.append(m)
    return out


def _defined_abbreviations(mentions: list[Mention], text: str) -> dict[str, str]:
    """Abbreviations a report defines in brackets right after a group's name ("Iraqi Security
    Forces (ISF)"): each stands for that group wherever the report uses it (read on its own,
    "ISF" in a report about Syria would be the SDF's Internal Security Forces)."""
    return {b.text: a.value for a, b in zip(mentions, mentions[1:])
            if b.text.isupper() and text[a.end:b.start].strip() == "(" and text[b.end:b.end + 1] == ")"}


def lower_pattern(pattern: str) -> str:
    """A regex for lowercased text: letters lowered, escapes (\\W, \\S, \\D) kept. Matching a
    lowered pattern on lowercased text replaces re.IGNORECASE at a fraction of its cost."""
    return re.sub(r"\\.|[^\\]+", lambda m: m.group(0) if m.group(0)[0] == "\\" else m.group(0).lower(), pattern)


def lowercase(s: str) -> str:
    """s.lower() with the same offsets: matches on it index the original ("İ" would grow)."""
    lower = s.lower()
    return lower if len(lower) == len(s) else "".join(c.lower()[0] for c in s)


_LOWER_ARTICLES = frozenset(("al", "el", "ad", "ar", "as", "ash", "az", "ad-"))
_NAME_TAILS = frozenset(("zor", "zour", "zawr", "countryside", "basin", "dam"))  # lower-case last words of names ("Deir ez-zor", "Damascus countryside", "Yarmouk basin")
_NAME_JOINERS = frozenset(("", " ", "-"))
# Where a word that may start a name begins: a capital (checked again with str.isupper), an
# Arabic letter, or an article (which must come before a capital).
_NAME_START = re.compile(r"(?<![\w\u0600-\u06FF’'])(?:[A-Z\u00C0-\u00DE\u0100-\u024F\u0600-\u06FF]|(?i:al|el|ad|ar|as|ash|az)\b)")


@dataclass(frozen=True, slots=True)
class PlaceName:
    """A gazetteer name found in a sentence, before the report's provinces rank its places."""
    start: int
    end: int
    text: str
    ids: list[str]
    fuzzy: bool
    prefer: str | None  # "town", "admin1" or "countryside" (a town's, given as its province) when the words around say which


def find_places(s: str, gaz: Gazetteer, words: dict, context_admin1: frozenset[str]) -> list[PlaceMention]:
    """Place names in a sentence, each resolved to its most likely place ("the Anbar
    provincial capital": the province's capital town, Ramadi)."""
    return _with_capitals(s, rank_place_names(find_place_names(s, gaz, words), gaz, context_admin1), gaz)


def _with_capitals(s: str, places: list[PlaceMention], gaz: Gazetteer) -> list[PlaceMention]:
    """"the Anbar provincial capital", "the Idlib capital": the province's capital town."""
    if "capital" not in s.lower():
        return places
    out = []
    for p in places:
        of = _CAPITAL_OF_BEFORE.search(s, max(0, p.start - 40), p.start) if p.place.kind == "admin1" else None  # ("the capital of Idlib province")
        named = p.place.kind == "admin1" and _CAPITAL_AFTER.match(s, p.end) and (
            s[max(0, p.start - 4):p.start].lower() == "the " or _PROVINCE_S_CAPITAL.match(s, p.end))  # ("the Anbar provincial capital", "Hama province's capital")
        phrase = of.start() if of else (p.start - 4 if s[max(0, p.start - 4):p.start].lower() == "the " else p.start)
        capital = gaz.capital_of(p.place) if (of or named) and not _COUNTRYSIDE_OF_BEFORE.search(s, max(0, phrase - 30), max(0, phrase)) else None
        out.append(replace(p, place=capital) if capital is not None else p)  # (not "the countryside of Hama province's capital": the province's)
    return out


_CAPITAL_OF_BEFORE = re.compile(r"\bthe\s+(?:provincial\s+)?capital\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_COUNTRYSIDE_OF_BEFORE = re.compile(r"\bcountryside\s+(?:of|around)\s+(?:the\s+)?$", re.IGNORECASE)
_PROVINCE_S_CAPITAL = re.compile(r"\s+(?:province|governorate)['’]s\s+capital\b", re.IGNORECASE)
_CAPITAL_AFTER = re.compile(r"\s+(?:provincial\s+|province['’]s\s+|governorate['’]s\s+)?capital\b", re.IGNORECASE)


def rank_place_names(names: list[PlaceName], gaz: Gazetteer, context_admin1: frozenset[str]) -> list[PlaceMention]:
    out = []
    for n in names:
        place = gaz.rank(n.ids, context_admin1, "town" if n.prefer == "countryside" else n.prefer)[0]
        if n.prefer in ("admin1", "countryside") and place.kind not in ("admin1", "country"):
            province = gaz.admin1_place(place)
            if province is not None:
                place = province
        out.append(PlaceMention(n.start, n.end, place, n.text, n.fuzzy, "event", n.prefer == "countryside"))
    return out


# A local outlet named after its town ("Mayadin 24", "Deir ez-Zor 24", "Tadmur Monitor", "Kirkuk Now") at the start of a title or a source.
_LOCAL_OUTLET = re.compile(r"^\s*([A-Z][\w’' -]{1,30}?)\s+(?:24|Monitor|Eyes|Now|Voices)\b")

# The words around a name that say what it names.
_OUTLET_NAME_AFTER = re.compile(r"\s+(?:(?:[A-Z][a-z]+\s+){0,2}(?:News|Times|Post|Agency|Observer|TV|Radio|Network|Today|Herald|Tribune|Voices|Press|Now|Media|Channel|Eyes?|Watch|Monitor)\b|24\b"
                                r"|(?:[A-Z]+\s+){0,2}(?:NEWS|TIMES|POST|AGENCY|OBSERVER|RADIO|NETWORK|TODAY|HERALD|TRIBUNE|VOICES|PRESS|MEDIA|CHANNEL|EYES?|WATCH|MONITOR)\b)")  # ("Deir ez-Zor 24", "HAMA HUMANITARIAN NETWORK")
_COMMAND_NAME_AFTER = re.compile(r"\s+(?:Operations|Operation|Military)\s+(?:Command|Commands|Room|Headquarters|Council)\b")  # ("the Jarablus Military Council": a group)
_INSIDE_TOWN_BEFORE = re.compile(r"\b(?:[Ss]ouq|[Ss]ouk|[Ss]uq|[Ss]ooq|[Dd]awar|[Hh]arat|[Hh]ayy)\s+$")
_INSIDE_TOWN_AFTER = re.compile(r"['’]?s?\s+(?:and\s+[\w’'-]+\s+)?(?:market|square|street|road|mosque|hospital|school|bridge|provincial\s+(?:government|council|headquarters|building|complex|administration)|"
                                r"roundabout|bakery|stadium|hotel|souq|districts?|neighbou?rhoods?|quarter|highway|prison|jail|park|gardens?)\b")
_POSSESSIVE_AFTER = re.compile(r"['’]s\b|(?<=s)['’](?!\w)")  # (and the plural "the rebels' last bastion")
_RELATION_TO_BEFORE = re.compile(r"\b(?:response|reaction|protest|objection|opposition|reply|retaliation|answer)\s+(?:to|at|over|against|for)\s+$")  # (not "during Saturday's elections" or "a day before Monday's referendum", which date the event)
_POSSESSIVE_NON_EVENT = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,2}?(?:referendum|elections?|vote|polls?|summit|meeting|talks|conference|speech|statement|announcement|decision|visit|budget|census)\b")
_TWO_WORD_TOWN = re.compile(r"(?![AaEe]l[- ])[A-Z][\w’'-]+\s+[A-Z][\w’' -]+")  # ("the Tal Abyad market": the town's; not "the Al-Hal market")
_SITE_OWNER_BEFORE = re.compile(r"(?:\b[Tt]he|['’]s)\s+$")  # ("the Al-Hal market", "the city's Al-Hal market": a market's own name)
_PROVINCIAL_SITE = r"provincial\s+(?:government|council|headquarters|building|complex|administration)"
_TOWN_SITE_AFTER = re.compile(r"\s+(?:main\s+|central\s+|old\s+|grand\s+|national\s+)?(?:market|souq|square|mosque|hospital|bridge|bakery|roundabout|" + _PROVINCIAL_SITE + r")\b")  # ("the Tikrit provincial government compound": the town's)
_SITE_OF_TOWN_AFTER = re.compile(r"\s+(?:bridge|" + _PROVINCIAL_SITE + r")\b")  # ("the Al-Shuhayl bridge", "the Tikrit provincial council": a site named after its town is at it)
_DISTRICT_AFTER = re.compile(r"\s+district\b")
_QUARTER_AFTER = re.compile(r"\s+(?:neighbou?rhood|quarter)\b")
_DISTRICT_OF_PROVINCE = re.compile(r"\s+district\s+(?:of|in)\s+(?:the\s+)?(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)")


def _district_of_province(s: str, end: int, gaz) -> bool:
    """"the al-Azim district of Diyala province": a district of its own, in a province (but
    "the al-Qadisiya district of Tikrit" is a quarter of the town)."""
    m = _DISTRICT_OF_PROVINCE.match(s, end)
    return m is not None and (re.match(r"\s+(?:province|governorate)\b", s[m.end():m.end() + 15], re.IGNORECASE) is not None
                              or any(gaz.places[i].kind == "admin1" for i in gaz.candidates(m.group("name"))[0]))
_PART_OF_TOWN_AFTER = re.compile(r"\s+(?:district|neighbou?rhood|quarter|area)\s+(?:of|in)\s+(?:(?:the\s+)?(?:[Ee]ast|[Ww]est|[Nn]orth|[Ss]outh|[Cc]entral)\w*\s+)?(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)")
_DETERMINER_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_TOWN_BEFORE = re.compile(r"\b(?:town|city)\b(?![\w\s]*\bin\b)[\w\s]{0,20}$")  # (but "the largest town in X": X contains the town)
_PROVINCE_OF_BEFORE = re.compile(r"(?:province|governorate) of\s+$")
_ADMIN1_OF_BEFORE = re.compile(r"(?:province|governorate|countryside) of\s+(?:\w+\s+)?#?$")  # (also "the eastern countryside of #Deir_ez_Zor")
_RURAL_BEFORE = re.compile(r"\b(?:rural|countryside of)\s+(?:the\s+)?(?:[\w-]+\s+)?#?$")
_PLACES_IN_BEFORE = re.compile(r"\b(?:towns|villages|areas|parts|positions|cities) in\s+$")
# ("the nearby town of X", "near the village of X": a place beside the one the report is about)
_NEARBY_BEFORE = re.compile(r"\b(?:(?:nearby|neighbou?ring|adjacent|adjoining|next|other|another)\s+(?:\w+\s+)?|near\s+the\s+)(?:city|town|village) of\s+$")
_OFF_THE_CITY_AFTER = re.compile(r",\s+(?:(?:about|some|around|roughly|nearly|just)\s+)?(?:\d+\s*(?:km|kilomet(?:re|er)s|miles)\s+(?:\(\d+\s+miles\)\s+)?)?"
                                 r"(?:north|south|east|west)(?:-?(?:north|south|east|west))?(?:ern)?\s+of\s+the\s+city\b", re.IGNORECASE)
_TOWN_OF_BEFORE = re.compile(r"(?:city|town|village|neighbou?rhoods|districts|quarters|streets) of\s+$")  # ("the southern districts of Hasakah": the city)


_WORD_SETS: dict[tuple, frozenset[str]] = {}


def _word_set(words: dict, key: str) -> frozenset[str]:
    """A word list of the lexicon as a lower-cased set, built once."""
    cache_key = (id(words), key)
    found = _WORD_SETS.get(cache_key)
    if found is None:
        found = _WORD_SETS[cache_key] = frozenset(w.lower() for w in words.get(key, ()))
    return found


def _word_set_cased(words: dict, key: str) -> frozenset[str]:
    """A word list of the lexicon as a set, case kept (capitalised words of names)."""
    cache_key = (id(words), key, "cased")
    found = _WORD_SETS.get(cache_key)
    if found is None:
        found = _WORD_SETS[cache_key] = frozenset(words.get(key, ()))
    return found


def _in_group_name(s: str, start: int, end: int, heads: frozenset[str], tails: frozenset[str]) -> bool:
    """The word before the name is a group-name head, or the word after it a group-name tail
    (string slicing, not regexes: this runs for every name found)."""
    if start > 1 and s[start - 1] == " ":
        if s[s.rfind(" ", 0, start - 1) + 1:start - 1] in heads:
            return True
    if end < len(s) and s[end] == " ":
        after = s.find(" ", end + 1)
        if s[end + 1:after if after > 0 else len(s)].rstrip(",.;:)") in tails:
            return True
    return False


def _starts_name(token: str) -> bool:
    return token[0].isupper() or "\u0600" <= token[0] <= "\u06ff" or token.lower() in _LOWER_ARTICLES


def _name_run_end(s: str, toks: list) -> int:
    """The end of a run of name words ("Khan Tuman", "Tal al-Sabeen") from its first token."""
    end = toks[0].end()
    for nxt in _WORD.finditer(s, end):
        if s[end:nxt.start()] not in _NAME_JOINERS or not (_starts_name(nxt.group(0)) or nxt.group(0).lower() in _NAME_TAILS):
            break
        end = nxt.end()
    return end


_ROAD_AFTER_SUFFIX = re.compile(r"\W*(?:desert|countryside)\s+(?:road|highway|route|track)s?\b", re.IGNORECASE)  # "the Haditha–Baiji desert road": a road, no province
_LONG_LOWER_WORD = re.compile(r"\b[a-z][a-z’'-]{3,}\b")  # a lowercase word of four letters or more


def _is_title_case(s: str) -> bool:
    """A headline in Title Case ("Brutal Crackdown In Eastern Town"): hardly a lowercase word."""
    return len(s) < 200 and _LONG_LOWER_WORD.search(s) is None


def _in_title_run(s: str, start: int, end: int) -> bool:
    """The words around a capitalised word are capitalised too: a heading in Title Case inside
    the text ("... a Choice between Accepting Assads Terms or Total Annihilation")."""
    near = [w for w in _LONG_WORD.findall(s[max(0, start - 40):start]) if w not in _TITLE_SMALL_WORDS][-3:] + \
        [w for w in _LONG_WORD.findall(s[end:end + 40]) if w not in _TITLE_SMALL_WORDS][:3]
    return len(near) >= 3 and all(w[0].isupper() for w in near)


_FIRST_NAME_NEXT = re.compile(r" (?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December"
                              r"|Camp|Dam|Base|Airbase|Airport|Crossing|Road|Highway|District|Province|Governorate|City|Town|Village|Mountains?|Valley|Bridge|River|Desert|Plain|Area|Sector)\b)([A-Z][a-z]{2,})\b")
_PERSON_TITLE_BEFORE = re.compile(r"(?:\b(?:commander|leader|official|officer|spokes(?:man|woman|person)|chief|head|emir|named|called|identified\s+as|brother|son|father|cousin|colonel|general|major|captain|lieutenant|sheikh|mr\.?|dr\.?|minister|governor|mayor)|,)\s+$", re.IGNORECASE)
_ARTICLE_NAME = re.compile(r"(?:Al|El|Ar|As|Ad|Ash|At|Az|An|Ath)[- ]", re.IGNORECASE)


def _bare_article_name(span: str, names: list[str]) -> bool:
    """Whether `span` is only some place's name without its article ("Qasim" for Al-Qasim),
    and no place is called just that (a near-spelling, "Jasim", does not count)."""
    bare = [n for n in names if (a := _ARTICLE_NAME.match(n)) and n[a.end():].lower() == span.lower()]
    return bool(bare) and not any(n.lower() == span.lower() for n in names)
_CAPITALISED_NEXT = re.compile(r" (?-i:[A-Z][a-z]{2,})\b(?!\s*(?:province|governorate|district|countryside|city|town|village|camp|airport|base|airbase|road|highway|crossing)\b)")
_GIVEN_NAME_BEFORE = re.compile(r"(?<![\w’'-])([A-Z][a-z]{2,})\s(?:[aA][lr][- ]|[eE]l-)?$")  # ("Qasem Soleimani", "Walid al-Zahra")
_PERSON_ROLE_AFTER = re.compile(r"(?:,\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:spokes(?:man|woman|person)|official|commander|leader|head|chief|member|activist|resident|journalist|correspondent|director|officer|analyst|researcher|teacher|doctor|farmer|trader|mayor|governor|MP)\b"
                                r"|\s+(?:said|told|says|added|explained|stressed)\b)")
_TITLE_SMALL_WORDS = frozenset(("between", "with", "from", "into", "onto", "over", "after", "against", "amid", "near", "than", "that"))


_LONG_WORD = re.compile(r"\b[A-Za-z][a-z’'-]{3,}\b")


# Capitalised English function words that begin no place name (the gazetteer's loose
# matching would read "In Daraa" as Ain Dara).
_FUNCTION_WORDS = frozenset(("In", "On", "By", "For", "From", "To", "Of", "Into", "With", "After", "Before",
                             "Near", "Since", "Under", "Over", "And", "But", "Or", "If", "Across", "Inside", "Outside"))  # (not "As", "At": Arabic articles, "As Salman", "At Tall")


_PLACE_ANAPHOR_NOUN = re.compile(r"\bthe\s+(?:city|town|village|province|area|region)\b", re.IGNORECASE)
_TRAILING_TAGS = re.compile(r"(?<=[.!?…])(?:\s*#[\w’'-]+)+\s*$")
_TAGGED_BEFORE = re.compile(r"\b(?:under|via|using|tagged|hashtags?|with)\s+(?:the\s+)?(?:hashtags?\s+)?$", re.IGNORECASE)  # ("a video posted under #AlBaghdadi": a tag, no place)
_TWO_WORD_HASHTAG = re.compile(r"#([A-Z][a-z]+)([A-Z][a-z]{2,})\b")


def find_place_names(s: str, gaz: Gazetteer, words: dict) -> list[PlaceName]:
    """Place names in a sentence, longest match first. A Latin name must start with a capital
    ("hit" the verb is not Hit the town). Independent of the report, so computed once per
    sentence and ranked later."""
    if "#" in s:
        # "#AlBusayrah", "#AbuHamam": a two-word name run together in a hashtag, read as
        # "Al-Busayrah" (the same length, so offsets hold)
        closing = _TRAILING_TAGS.search(s)
        s = _TWO_WORD_HASHTAG.sub(lambda m: m.group(0) if gaz.candidates(m.group(1) + m.group(2))[0] or _TAGGED_BEFORE.search(s, max(0, m.start() - 16), m.start())
                                  or (closing is not None and m.start() >= closing.start()) else f"{m.group(1)}-{m.group(2)}", s)
    out: list[PlaceName] = []
    max_tokens = gaz.max_tokens
    generic_heads = _word_set(words, "generic_place_heads")
    group_heads, group_tails = _word_set_cased(words, "group_name_heads"), _word_set_cased(words, "group_name_tails")
    title_case = _is_title_case(s) if gaz.english_words else False
    pos = 0
    while True:
        # Only words that may start a name are visited (a capital or Arabic letter, or an
        # article before a capital); the words after one are read as far as a name may reach.
        found = _NAME_START.search(s, pos)
        if found is None:
            break
        word = _WORD.match(s, found.start())
        text = word.group(0)
        if text in _FUNCTION_WORDS:
            pos = word.end()  # "In Daraa, ...": a preposition, not the first word of Ain Dara
            continue
        article = text.lower() in _LOWER_ARTICLES and not (text == "as" and s[word.end():word.end() + 1] == " ")  # ("as Baghdad's forces advanced": English "as")
        toks = [word]
        if not (text[0].isupper() or "\u0600" <= text[0] <= "\u06ff"):
            following = _WORD.search(s, word.end())
            if following is None or not (article and following.group(0)[0].isupper()):
                pos = word.end()
                continue
        # How many words a name starting here may have: "The Syrian Observatory for Human"
        # is tried as "The Syrian" at most, since no place name of three words starts "The".
        if article:
            following = _WORD.search(s, word.end())
            limit = 1 + gaz.name_length_limit(following.group(0)) if following else 1
        else:
            limit = gaz.name_length_limit(text)
        limit = min(limit, max_tokens + 1)
        if limit < 2 and text.lower() in generic_heads:
            limit = 2  # (any generic head with no name of its own: "Tallet al-Hamra" is read with its next word, so neither is taken alone)
        # A name does not run across punctuation: "Al-Susah, Al-Shafa" is two names.
        if limit > 1:
            for nxt in _WORD.finditer(s, word.end()):
                if len(toks) >= limit or s[toks[-1].end():nxt.start()] not in _NAME_JOINERS:
                    break
                toks.append(nxt)
        hit = None
        for n in range(len(toks), 0, -1):
            last = toks[n - 1].group(0)
            if n > 1 and not (last[0].isupper() or last[0].isdigit() or "\u0600" <= last[0] <= "\u06ff" or last.lower() in _NAME_TAILS):
                continue
            span = s[word.start():toks[n - 1].end()]
            ids, fuzzy = gaz.candidates(span)
            if span.endswith(("'s", "’s")):
                # "Aleppo's Al-Shaar district" (and "Kirkuk's", not a fuzzy match of "Kirkuk's";
                # "Douma's streets", not "Doumas", a name of Damascus)
                own, own_fuzzy = gaz.candidates(span[:-2])
                if own and (not ids or fuzzy or not own_fuzzy):
                    ids, fuzzy = own, own_fuzzy
            if not ids and n == 1 and span.endswith("s") and span[0].isupper():
                # "Syrias Aleppo": a possessive whose apostrophe was lost (copied text)
                ids = [x for x in gaz.candidates(span[:-1])[0] if gaz.places[x].kind in ("country", "admin1")]
                fuzzy = False
            if ids and fuzzy and n == 1 and (len(toks) > 1 and toks[1].group(0)[0].isupper()
                                             or (_CAPITALISED_NEXT.match(s, toks[0].end()) and not span.endswith(("'s", "’s")))):
                break  # "Mahmoud Sangawi", "Qasem Soleimani": an inexact match on a first name is a person, not a town
            if ids and not fuzzy and n == 1 and _PERSON_TITLE_BEFORE.search(s, max(0, word.start() - 30), word.start()) \
                    and (surname := _FIRST_NAME_NEXT.match(s, toks[0].end())) and surname.group(1).lower() not in gaz.english_words \
                    and not gaz.candidates(surname.group(1))[0] and not span.lower().startswith(("al", "el")) \
                    and _bare_article_name(span, [gaz.places[x].name for x in ids]):
                break  # "a PMF commander, Qasim Muslih": a man's first name, not Al-Qasim without its article (not "Tarmiyah Police Chief")
            if ids and fuzzy and n == 1:
                given = _GIVEN_NAME_BEFORE.search(s, max(0, word.start() - 24), word.start())
                if given and given.group(1) not in _FUNCTION_WORDS and not gaz.candidates(given.group(1))[0]:
                    break  # "Qasem Soleimani": an inexact match after a given name is a surname
            if ids and all(x in gaz.landmark_towns for x in ids):
                given = _GIVEN_NAME_BEFORE.search(s, max(0, word.start() - 24), word.start())
                if given and given.group(1) not in _FUNCTION_WORDS and not gaz.candidates(given.group(1))[0]:
                    break  # "led by Walid al-Zahra": a man's family name, not Mosul's al-Zahra quarter
            if ids and fuzzy and all(gaz.places[x].kind == "country" for x in ids):
                break  # "the Palestinian camp", "Palestinian factions": a nationality, not a near-spelling of a country
            if ids and fuzzy and span.lower() in gaz.english_words and (
                    title_case or not s[:word.start()].strip(" \"“‘'([-") or _in_title_run(s, word.start(), word.end())):
                break  # "Thirty IS fighters were killed", "Brutal Crackdown": an English word, capitalised as first or in a title
            if ids:
                hit = (n, span, ids, fuzzy)
                break
        if (hit is None or hit[0] == 1) and len(toks) > 1 and text.lower() in generic_heads \
                and _starts_name(toks[1].group(0)):
            # "Khan Tuman", "Kafr Hamra": an unknown name of the Khan/Kafr kind. Neither its
            # head ("Khan" is also an alternate name of one village) nor its tail is the place.
            pos = _name_run_end(s, toks)
            continue
        if not hit:
            pos = word.end()
            continue
        n, span, ids, fuzzy = hit
        start, end = word.start(), toks[n - 1].end()
        pos = end
        if _words_re(words, "person_titles", r"(?<![\w.])(?:@@)\s+(?:[A-Z][\w’'-]+\s+){0,2}$", escape=True).search(s, max(0, start - 50), start):
            continue  # "Lieutenant General Qassim al-Mohammadi": a person's name, not Mahmudiyah
        if _FAMILY_NAME_SPEAKS_AFTER.match(s, end):
            continue  # "Kahil al-Ali, a tribal elder, said": a man's given name, not the village
        if _PERSON_ROLE_AFTER.match(s, end):
            given = _GIVEN_NAME_BEFORE.search(s, max(0, start - 24), start)
            if given and given.group(1) not in _FUNCTION_WORDS and not gaz.candidates(given.group(1))[0]:
                continue  # "Adnan Afrin, a spokesman for the SDF": a person's family name
        if _INSIDE_TOWN_BEFORE.search(s, max(0, start - 8), start):
            continue  # "Souq al-Hal", "Dawar al-Naim": a market, a roundabout inside a town (not Al-Hol camp)
        if _in_group_name(s, start, end, group_heads, group_tails):
            continue  # "Ahrar al-Sham", "Sham al-Islam", "Thuwar al-Raqqa": part of a group's name
        if s[end:end + 1] == " " and (_OUTLET_NAME_AFTER.match(s, end) or _COMMAND_NAME_AFTER.match(s, end)):
            continue  # "told Jordan Valley News", "Kirkuk Now": an outlet's name; "the Nineveh Operations Command": a command's
        if s.startswith((" ibn ", " bin ", " Ibn ", " Bin "), end) or s.endswith((" ibn ", " bin ", " Ibn ", " Bin "), max(0, start - 5), start):
            continue  # "the Khalid ibn al-Walid mosque": a man's name, not Khalidiya nor Al-Walid
        if s.startswith((" tribe", " clan"), end):
            continue  # "the Sunni Albu Nimr tribe": a tribe, not the village that bears its name
        if s.startswith((" river", " River"), end) and any(gaz.places[i].kind == "admin1" for i in ids):
            continue  # "the bridge over the Diyala river": the river, not the province named after it
        if _RIVER_GRADE_BEFORE.search(s, max(0, start - 8), start) and span.lower().endswith("zab"):
            continue  # "the Lesser Zab", "the Great Zab": a river, not the subdistrict named after it (but "Greater Idlib")
        after = s[end:end + 40].lower()
        if _INSIDE_TOWN_AFTER.match(after) and not _POSSESSIVE_AFTER.match(after) and not (
                # "patrols in Mayadin market", "at Kirkuk hospital": a known town's own market is in it
                _TOWN_SITE_AFTER.match(after) and not fuzzy and (
                    ((not _SITE_OWNER_BEFORE.search(s, max(0, start - 8), start) or _SITE_OF_TOWN_AFTER.match(after) or _TWO_WORD_TOWN.fullmatch(span))
                     and any(gaz.places[i].kind == "town" and gaz.places[i].source == "curated" for i in ids))
                    or any(i in gaz.landmark_towns for i in ids))) and not (  # ("the Ramouseh roundabout": in a known quarter)
                _DISTRICT_AFTER.match(after) and not fuzzy and any(gaz.places[i].kind == "town" or i in gaz.landmark_towns for i in ids)
                and (not _DETERMINER_BEFORE.search(s, max(0, start - 5), start) or _district_of_province(s, end, gaz)
                     or any((gaz.places[i].kind == "town" or i in gaz.landmark_towns) and gaz.places[i].source == "curated" for i in ids)
                     or any(gaz.places[i].kind == "town" and (gaz.places[i].population or 0) >= 10_000 for i in ids))) and not (  # ("crossed into the Afrin district": a town of its own)
                _QUARTER_AFTER.match(after) and not fuzzy and any(i in gaz.landmark_towns for i in ids)):  # "the Jurf al-Sakhar district", "the Karrada district"; "the al-Shaar neighbourhood": a city's known quarter
            # "the Al-Hal market", "the Tamim and Hawz districts": names inside a town (but
            # "Muqdadiya district", "in Tal Afar district": the town's own district)
            continue
        before = s[max(0, start - 30):start].lower()
        prefer = None
        if _TOWN_BEFORE.search(before) and not _PROVINCE_OF_BEFORE.search(before):
            prefer = "town"  # "the town and countryside of X" includes the town
        elif (_words_re(words, "admin1_suffixes", r"\W*(?:@@)\b").match(after) and not _ROAD_AFTER_SUFFIX.match(after)) or _ADMIN1_OF_BEFORE.search(before):
            # "the Baiji countryside", "the countryside of al-Malikiyah": the area around a town, in
            # its province (the dev gold's convention); but "the Afrin region" is the town's own
            region = re.match(r"\W*region\b", after)
            countryside = not region and (re.match(r"\W*countryside", after) or re.search(r"countryside of\s+(?:\w+\s+)?#?$", before))
            prefer = ("admin1" if any(gaz.places[i].kind == "admin1" for i in ids) or not (region or countryside)
                      else "countryside" if countryside else "town")
        elif (_words_re(words, "region_cues", r"\b(?:@@)\s+(?:the\s+)?$").search(before)
              or _PLACES_IN_BEFORE.search(before)) and not _QUARTER_OF_PART_BEFORE.search(before) and any(
                gaz.places[i].kind == "admin1" for i in ids) and not (
                before.endswith("central ") and span in _word_set_cased(words, "central_cities") and not _PLACES_IN_BEFORE.search(before)):
            # "across Deir ez-Zor", "western Anbar", "towns in Idlib": the province; but
            # "central Ramadi", "the Sakhour district of eastern Aleppo" are parts of the town.
            prefer = "admin1"
        elif _words_re(words, "town_suffixes", r"\W*(?:@@)\b").match(after) or _TOWN_OF_BEFORE.search(before):
            prefer = "town"
        if prefer == "admin1" and gaz.countryside and (_RURAL_BEFORE.search(before) or re.match(r"\W*countryside\b", after)):
            # "rural Damascus", "the Damascus countryside": a city-province's countryside is a province of its own
            around = [gaz.countryside[gaz.places[i].name] for i in ids if gaz.places[i].kind == "admin1" and gaz.places[i].name in gaz.countryside]
            ids = around[:1] or ids
        if len(ids) > 1 and gaz.landmark_towns and s.startswith((" district", " neighbourhood", " neighborhood", " quarter", " area"), end):
            # "the Yarmouk district of western Mosul": Mosul's quarter, not a town of that name elsewhere
            part = _PART_OF_TOWN_AFTER.match(s, end)
            town_ids = set(gaz.candidates(part.group("name"))[0]) if part else ()
            quarters = [i for i in ids if gaz.landmark_towns.get(i) in town_ids] if part else (
                [i for i in ids if i in gaz.landmark_towns] if _QUARTER_AFTER.match(s, end) else None)  # ("the Karama neighbourhood": a city's quarter, no village)
            if quarters:
                ids, prefer = quarters, None
        out.append(PlaceName(start, end, span, ids, fuzzy, prefer))
    # "Syria's Afrin region", "Iraq's Anbar province": the country only says where the place is
    return [n for i, n in enumerate(out) if not (
        n.text.endswith(("'s", "’s")) and i + 1 < len(out) and out[i + 1].start == n.end + 1
        and all(gaz.places[x].kind == "country" for x in n.ids))]


_VAGUE: dict[int, re.Pattern] = {}
# After a number: what makes it no count of people or things ("30 km", "five years").
_NOT_A_COUNT_AFTER = re.compile(r"\s*-?\s*(?:%|percent|per cent|km|kilomet|miles?|metres|meters|years?|months?|weeks?|days?|hours?|minutes?|o'clock|a\.m|p\.m|am\b|pm\b|sorties"
                                r"|(?:[\w-]+\s+)?(?:attempts|incidents|explosions|operations)\b)")  # "39 assassination attempts"
_SHARE_COUNTER_BEFORE = re.compile(r"short url(?:\s+\d+)?\s+$")  # its two counters
_RIVER_GRADE_BEFORE = re.compile(r"\b(?:Lesser|Little|Greater|Great|Upper|Lower)\s+$")
_LIST_NUMBER = re.compile(r"\d{1,2}(?:[).]|/(?:\d{1,2})?)\s")  # "2) ...", "3. ...", a thread's "3/ ..." or "2/5 ..."
_CLOCK_AFTER = re.compile(r":\d{2}\b")
_MODEL_BEFORE = re.compile(r"\b[a-z]{1,3}-$")
_DAY_MONTH = re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}(?![\d/])")  # "13/04 - Sheikh al-Hadid": a day, no count
_NUMERIC_DATE = re.compile(r"(?<!\d)\d{1,2}([-./])\d{1,2}\1(?:19|20)\d\d(?!\d)")
_BARE_COUNT_END = re.compile(r"\s*(?:more\b\s*)?(?:[.,;:)]|$|(?:in|on|at|near|and|including|when|after|as|during|across)\b)")  # (and "executed hundreds more, according to the UN")
_PHRASAL_OVER_BEFORE = re.compile(r"\b(?:hand(?:ed|s|ing)?|t(?:ook|aken|aking|akes?)|turn(?:ed|s|ing)?|pass(?:ed|es|ing)?|watch(?:ed|es|ing)?)\s+$")
_RELATED_AFTER = re.compile(r"\)?\s+related\b")
_UPPER_BOUND_BEFORE = re.compile(r"\b(?:nearly|almost|up to|fewer than|less than|at most)\s+$")
_HUNDREDS = re.compile(r"(a|one|\S+(?:[- ]\S+)?) (hundred|thousand|dozen)")
_NUMBER_WORD_SEPARATOR = re.compile(r"[- ]")
_UNIT_WORD = re.compile(r"[\w’'-]+")
_NEXT_UNIT_WORD = re.compile(r"\s+([\w’'-]+)")
_STATE_WORDS = frozenset(("dead", "killed"))  # counted alone ("15 dead"), but after a noun they say what befell it


def find_quantities(s: str, lex) -> list[Quantity]:
    out: list[Quantity] = []
    lower = lowercase(s)
    dates = None  # spans of numeric dates, found when a count is
    for m in _QUANTITY.finditer(lower):
        n1 = _number(m.group("n1"))
        if n1 is None:
            continue
        before = lower[max(0, m.start("n1") - 12):m.start("n1")]  # (the number's own: not "in March some 400 fighters")
        after = lower[m.end():m.end() + 12]
        if _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after):
            continue  # a day of a date
        if 1900 <= n1 <= 2100 and m.group("n1").isdigit():
            continue  # a year
        if (lower[max(0, m.start("n1") - 2):m.start("n1")][-1:] == ":" and lower[max(0, m.start("n1") - 2):m.start("n1") - 1].isdigit()) \
                or _CLOCK_AFTER.match(lower, m.end("n1")):
            continue  # "19:30": a time of day
        if _MODEL_BEFORE.search(lower, max(0, m.start("n1") - 4), m.start("n1")):
            continue  # "F-16", "Su-24", "T-72": a model, no count
        if _RELATED_AFTER.match(after) or _SHARE_COUNTER_BEFORE.search(lower, max(0, m.start("n1") - 30), m.start("n1")):
            continue  # "85 Related ...", "Get short URL 0 612": a web page's counters
        if _LIST_NUMBER.match(lower, m.start("n1")) and not lower[:m.start("n1")].strip(" -•*("):
            continue  # "2) Al-Quriyah: ...": an item's number
        if dates is None:
            dates = [d.span() for d in _NUMERIC_DATE.finditer(lower)] + [d.span() for d in _DAY_MONTH.finditer(lower)]
        if any(a <= m.start("n1") < b for a, b in dates):
            continue  # "23-04-2016 Child killed", "16.04.2017Get short URL": a date
        if _NOT_A_COUNT_AFTER.match(lower, m.end()):
            continue
        mod = (m.group("mod") or "").lower()
        if mod == "over" and _PHRASAL_OVER_BEFORE.search(lower, max(0, m.start() - 12), m.start()):
            mod = ""  # "handed over nine checkpoints": over belongs to the verb
        n2 = _number(m.group("n2")) if m.group("n2") else None
        q_end = m.end()
        if m.group("conn") == "and" and mod != "between":
            n2, q_end = None, m.end("n1")  # "rose to 13 and 106 injured": two counts, not a range
        low, high = _bounds(mod, n1, n2)
        unit, noun_end = _unit_after(s, q_end, lex)
        out.append(Quantity(m.start(), q_end, low, high, unit, noun_end))
    if id(lex) not in _VAGUE:
        _VAGUE[id(lex)] = re.compile(r"\b(?:" + literal_alternation(lex.vague_quantities) + r")\b")
    for m in _VAGUE[id(lex)].finditer(lower):
        if any(q.start <= m.start() < q.end for q in out):
            continue
        unit, noun_end = _unit_after(s, m.end(), lex)
        if unit is None and not _BARE_COUNT_END.match(lower, m.end()):
            continue  # "a few days", "several times": not a count of anything we measure
        noun_end = noun_end if unit is not None else m.end()  # "killing dozens." counts people
        value = lex.vague_quantities[m.group(0)]
        if _UPPER_BOUND_BEFORE.search(lower, max(0, m.start() - 16), m.start()):
            out.append(Quantity(m.start(), m.end(), None, value, unit, noun_end))  # "almost a dozen": null..12
        else:
            out.append(Quantity(m.start(), m.end(), value, None, unit, noun_end))
    out.sort(key=lambda q: q.start)
    for i in range(len(out) - 1):
        part, whole = out[i], out[i + 1]
        if part is not None and part.unit is None and whole.unit in ("checkpoints", "patrols", "vehicles") \
                and _PART_OF_WHOLE_GAP.fullmatch(lower, part.end, whole.start):
            # "withdrew from two of the four checkpoints it had manned": two checkpoints (but
            # "Two of the 15 people killed ... were children" counts the 15 killed)
            out[i], out[i + 1] = replace(part, unit=whole.unit, noun_end=whole.noun_end), None
    return [q for q in out if q is not None]


_PART_OF_WHOLE_GAP = re.compile(r"\s+of\s+(?:the|its|their|these|those)\s+")


def _number(text: str) -> int | None:
    t = text.lower().replace(",", "").strip()
    if t.isdigit():
        return int(t)
    m = _HUNDREDS.fullmatch(t)
    if m:
        base = 1 if m.group(1) in ("a", "one") else _number(m.group(1))
        return None if base is None else base * {"hundred": 100, "thousand": 1000, "dozen": 12}[m.group(2)]
    parts = _NUMBER_WORD_SEPARATOR.split(t)
    if all(p in _NUMBER_WORDS for p in parts):
        return sum(_NUMBER_WORDS[p] for p in parts)
    return None


def _bounds(mod: str, n1: int, n2: int | None) -> tuple[int | None, int | None]:
    if n2 is not None and n2 > n1:
        return n1, n2
    if mod in ("more than", "over"):
        return n1 + 1, None
    if mod in ("at least", "no fewer than", "no less than", "not fewer than", "not less than"):
        return n1, None
    if mod in ("nearly", "almost", "up to", "as many as", "fewer than", "less than", "at most", "no more than", "not more than"):
        return None, n1
    if mod in ("about", "around", "approximately", "roughly", "some", "an estimated"):
        return n1, None
    return n1, n1


def _unit_after(s: str, pos: int, lex) -> tuple[str | None, int]:
    """The unit of a count: the first known noun within five words after it
    ("60 IS fighters", "several Islamic State checkpoint guards", "five cars")."""
    for k, m in enumerate(_UNIT_WORD.finditer(s, pos, pos + 80)):
        if k >= 6:
            break
        w = m.group(0).lower().strip("’'")
        if k > 0 and (w.isdigit() or w in _NUMBER_WORDS):
            break  # another count begins: "Get short URL 2440 Over 100 civilians"
        if w in lex.units:
            # "checkpoint guards", "patrol members": the last noun of the compound counts.
            nxt = _NEXT_UNIT_WORD.match(s, m.end(), m.end() + 30)
            if nxt and nxt.group(1).lower() in lex.units and nxt.group(1).lower() not in _STATE_WORDS:  # (not "left three SDF fighters dead")
                continue
            return lex.units[w], m.end()
        if w in _word_set(lex.words, "uncounted_nouns"):
            break
        if w in ("of", "in", "on", "at", "by", "from", "and", "with", "were", "was", "have", "had"):
            if k > 0 and w != "of":
                break
    return None, pos


# ---------------------------------------------------------------- the extractor


@dataclass
class _Context:
    actor: str | None = None
    event_place: PlaceMention | None = None
    event_place_at: int = -1  # the sentence (count read) whose events set event_place
    destination: tuple | None = None  # (sentence count, place) where the last movement told was going
    town: PlaceMention | None = None
    focus: Place | None = None
    sides: tuple = ()  # the two parties last set against each other ("clashes between A and B"): "both sides"
    dateline_town: PlaceMention | None = None  # where the report was filed: "the city" when no other town is in view
    main_actor: str | None = None
    actors: object = None  # the report's actor finder, for a group named inside another word ("rebel-held")
    sdf_named: bool = False  # the report names the SDF (whose Anti-Terror Units are "counter-terrorism units" in Syria)
    country: str | None = None  # the country most places of the report are in
    statement_issuer: str | None = None  # who "said in a statement" last, for "... our fighters ..., the statement said"
    insurgent: str | None = None  # the insurgent group the report names most
    jihadist: str | None = None  # the jihadist group (IS or HTS) the report names most
    militia: str | None = None  # the militia (MILITIAS) the report names most
    in_history: bool = False  # the sentence before told history ("Nearly three thousand years ago, ...")
    history_line: int = -1  # the line (paragraph) it stood on
    striker: str | None = None  # the last party named striking
    region: PlaceMention | None = None  # the first town or province the report names
    province_told: tuple | None = None  # (sentence, province) when the last events told were a province's
    under_heading: bool = False  # the sentence is in a "Town:" paragraph of a bulletin
    last_time: object = None  # the last time expression an observation took ("the same day")
    previous_time: object = None  # the time the previous sentence's observations took, if any
    previous_sentence: str = ""
    previous_line: int = -1  # the paragraph (line) of the sentence before
    section_time: object = None  # the time a bulletin's opening line gives its items
    tally_title: bool = False  # the title counts the dead ("741 Iraqis killed in May")
    title_month: object = None  # the month a title names ("August 2019: IS claims 31 attacks"), for "during the month"
    line_time: tuple | None = None  # (line, time) of a bulletin line that opens with its date ("- 12 Nov: ...")
    abbreviations: dict | None = None  # "Iraqi Security Forces (ISF)": what the report says an abbreviation stands for
    strike_matched: bool = False  # an airstrike trigger matched in the sentence just read, observation or not
    names_iraqi_security_forces: bool = False  # the report says "Iraqi Security Forces": its "ISF" are Iraq's
    line: int = 0  # the line of the sentence being read
    line_town: tuple | None = None  # (line, town) of the last town named on a line
    # The sentence puts its event in a place the gazetteer lacks: "place", or "destination"
    # when it is only where a movement heads ("withdrew towards the village of X").
    unknown_place_named: str | None = None
    unknown_place_name: str | None = None  # that place's name as written ("Jub al-Kussa")
    unlocated: dict = field(default_factory=dict)  # the villages the gazetteer lacks the report named so far: name -> Place
    captured_by: dict = None  # place_id -> the group the report last said captured it
    gaz: Gazetteer | None = None
    blocs: tuple = ()  # the parties of one side (lexicon [allies])
    subject: str | None = None  # the first group the last sentence naming any named ("ISIL, which ..., was accused by rebels")
    subject_at: int = -9  # (the sentence that named it)
    year_told: tuple | None = None  # (line, sentence, year) of the last sentence that wrote a year
    operation_time: object = None  # when the operation the report told of was launched ("during the campaign")
    previous_strikes: tuple = ()  # the strikes the sentence before told
    subject_since_strikes: bool = False  # a sentence since the last strikes told opened with another group ("Rebels shelled ...")
    sentences_read: int = 0  # sentences read so far (how far back a strike was told)
    strikes_told_at: int = 0  # the sentence (count) that told strikes_told_last
    strikes_told_last: tuple = ()  # the strikes the last sentence that told strikes told (whose dead "killed in the strike" are)

    @property
    def previous_striker(self) -> str | None:
        """Who struck in the sentence before, if it reported a strike."""
        return next((o.actor for o in self.previous_strikes if o.actor != "unknown"), None)
    previous_attacker: str | None = None  # the group the sentence before told attacking ("IS militants stormed ...")
    report_attacker: str | None = None  # the insurgents the report last told attacking, in any sentence before
    town_pair: list = field(default_factory=list)  # the last two towns a sentence named: "both villages" after them
    camp: PlaceMention | None = None  # the place last named a camp ("the Yarmouk camp"): "the camp" after it
    attacked_post: tuple | None = None  # (sentence, the checkpoint or patrol observation of an attack it told)
    ground_force: str | None = None  # the group of the last troops, soldiers or army the sentence before named
    district: tuple | None = None  # (the town last named with its district, "Afrin district"; the sentence): "the district" after it
    named_speaker: str | None = None  # the last group named as the speaker ("..., Jaish al-Islam said"): "the group said" after it
    named_group: str | None = None  # the last group named by its name (no state, no plain "fighters"): "the group" after it
    last_mover: tuple | None = None  # (sentence, actor) of the last troop movement told: "the convoy" after it
    recent_town_small: bool = False  # the town just in view was called a town or village ("the town of X"), so not "the city"
    killing_told_at: int = -9  # the sentence (count) that last told a killing (whose dead "the bodies of the terrorists" are)
    recent_town_off_city: bool = False  # the town just in view was placed off "the city" ("In Dibis, 40 km north-west of the city")
    city: tuple | None = None  # (sentence, place) last named a city ("Raqqa city", "the city of Raqqa"): "the city" after it
    facilities: dict = field(default_factory=dict)  # "base" / "post" -> the place last named with one ("the Abu al-Duhur air base"): "the airport" after it
    area_strikes: set = field(default_factory=set)  # (sentence start, province) of strikes on a town's countryside
    country_subject: str | None = None  # the state the sentence before was about ("Turkey said ..."): "Its drones" after it
    striker_by_line: dict = field(default_factory=dict)  # the striker in view after each line's sentences
    strikers: tuple = ()  # the parties a sentence told striking together ("Russian and Syrian aircraft"), till another striker
    air_striker: str | None = None  # the last air force named striking, placed or not (whose are "the retaliatory strikes")
    air_striker_at: int = 0  # the sentence (count) that named it: it stays in view for AIR_STRIKER_IN_VIEW sentences
    strikers_by_line: dict = field(default_factory=dict)  # the joint strikers in view after each line's sentences (a table's rows)
    recent_town: PlaceMention | None = None  # the town the previous sentence named as "the city/town of X"
    unknown_group_at: int | None = None  # where the report first names unknown attackers ("unknown gunmen")
    story_time: object = None  # the first day or week the report dates an event by (the lead's "on Friday")
    owners: dict = None  # indicator -> the groups whose checkpoints or patrols the report last told of ("the patrols")
    recent_owners: dict = None  # the same, told of in the sentence before only
    issuer: str | None = None  # the group the title names first ("SDF Media Centre: ..."), whose "our forces" a statement tells of
    interviewee: str | None = None  # the group of the one a Q&A speaks with ("spoke with a brigadier-general of the Iraqi army"), whose "our forces" his answers tell of
    clock_line: int = -1  # the line a live blog's clock stamp opens, while its first sentence is read
    heading_time: object = None  # the time a bulletin's section heading gives its items ("1. SAFIRA — Friday 1 November")
    own_forces: dict = None  # "military police" -> the group the report named them of ("the SNA's Military Police")
    occupier: str | None = None  # the group the report calls an occupation ("the Turkish occupation")
    seen_places: set = None  # the place ids the sentences read so far named
    named_heads: dict = field(default_factory=dict)  # the last word of a group's name ("council" of the Manbij Military Council) -> the group
    quarter_names: frozenset = frozenset()  # names the report calls a neighbourhood ("the al-Jubairiya neighbourhood")


def extract_observations(report: Report, ref: Reference) -> list[Observation]:
    """All observations one report supports. Pure: the same report and reference data give
    the same list."""
    if report.published is None:
        return []
    lex = ref.lexicon
    words = lex.words
    gaz = ref.gazetteer
    actors = _actor_finder(ref, report.published)
    sentences = split_sentences(report.text)
    title = report.title or ""
    # Names are found once per sentence; the report's provinces then rank their places.
    title_names = find_place_names(title, gaz, words)
    title_mentions = actors.find(title)
    # ("Khalid bin al-Walid Army overruns Tasil": a group's name is no place)
    title_names = [n for n in title_names if not any(m.start < n.end and n.start < m.end for m in title_mentions)]
    sentence_names = [find_place_names(sent.text, gaz, words) for sent in sentences]
    if "neighbo" in report.text or "district" in report.text or "quarter" in report.text:
        sentence_names = _quarters_told(sentences, sentence_names, gaz)
    if gaz.landmark_towns:
        title_names, sentence_names = _quarters_of_named_cities(title_names, sentence_names, sentences, gaz, f"{title}\n{report.text}")
    speakers = _speaker_labels(report.text, gaz)
    if speakers:
        # "Khalid: In January, ...": an interview's speaker is no place (not Khalidiya)
        sentence_names = [[n for n in names if not ((lab := _SPEAKER_LABEL.match(sent.text)) and lab.group("name") in speakers
                                                    and n.start < lab.end())]
                          for sent, names in zip(sentences, sentence_names)]

    # Report-level context: provinces and the focus town named in the title and opening
    # (datelines included: they say which country the report is about), its country, and
    # the first place it names. Offsets are in "title. text".
    shift = len(title) + 2
    head_names = list(title_names)
    dateline_starts = set()
    for offset, dateline in _datelines(report.text, HEAD_CHARS):
        found = [_shifted(n, shift + offset) for n in find_place_names(dateline, gaz, words)]
        dateline_starts.update(n.start for n in found)
        head_names += found
    for sent, names in zip(sentences, sentence_names):
        if sent.start < HEAD_CHARS:
            head_names += [_shifted(n, shift + sent.start) for n in names]
    head_names.sort(key=lambda n: n.start)
    # (ranked first by the names only one province has: "al-Karama" beside "eastern Mosul" is
    # Mosul's quarter, not Raqqa's village, and must not bring Raqqa into the report's provinces)
    # (a province and its capital are one province: "Daraa")
    unambiguous = [n for n in head_names if len({gaz.places[i].admin1 or gaz.places[i].name for i in n.ids}) == 1]
    # (a province's namesake capital sets the province only in the title, a dateline or as the
    # first place named: "DARAA -" makes al-Balad Daraa's quarter, but "In Syria, the battle for
    # Aleppo raged on" in a report about Iraq brings no Aleppo village forward)
    # (and the first place the report names, unless the report names a country too: "After the
    # fall of Aleppo, IS shifted fighters east. In Iraq, Iraqi troops entered Hamdaniya")
    names_country = any(gaz.places[i].kind == "country" for n in head_names for i in n.ids[:1])
    focus_starts = frozenset(n.start for n in title_names) | dateline_starts | (frozenset(n.start for n in head_names[:1]) if not names_country else frozenset())
    head_places = rank_place_names(head_names, gaz, _report_admin1(rank_place_names(unambiguous, gaz, frozenset()), focus_starts))
    context_admin1 = _report_admin1(head_places, focus_starts)
    ctx = _Context()
    ctx.actors = actors
    ctx.captured_by = {}
    ctx.seen_places = set()
    ctx.owners = {}
    ctx.gaz = gaz
    ctx.blocs = lex.allied_blocs
    ctx.quarter_names = _quarter_names(report.text)
    if title and _BULLETIN_TITLE.search(title):
        given = find_time_expressions(title, report.published)
        ctx.section_time = given[0] if len(given) == 1 else None
    ctx.title_month = next((t for t in find_time_expressions(title, report.published) if t.precision == "month"), None) if title else None
    ctx.tally_title = bool(title) and _TALLY_TITLE.search(title) is not None  # ("UN: at least 741 Iraqis killed in May")
    ctx.country = _report_country(head_places, lebanese=_LEBANESE.search(title) is not None or _LEBANESE.search(report.text, 0, HEAD_CHARS) is not None)
    # (not a dateline's: where the reporter files from is no event place)
    head_text = f"{title}. {report.text[:HEAD_CHARS]}"
    origins = {q.start for p in head_places if _FROM_PLACE_BEFORE.search(head_text, max(0, p.start - 40), p.start)
               for q in _chain_from(head_places, head_text, p)}  # "evacuees from Fuaa and Kafraya"
    named = [p for p in head_places if p.start < shift + 600 and p.place.kind in ("town", "landmark", "admin1")
             and p.start not in dateline_starts and p.start not in origins
             and not _UNNAMED_PLACE_DIRECTION_BEFORE.search(head_text, max(0, p.start - 70), p.start)]
    ctx.region = named[0] if named else None
    ctx.dateline_town = next((replace(p, role="context") for p in head_places if p.start in dateline_starts and p.place.kind in ("town", "landmark")), None)
    title_places = [p for p in rank_place_names(title_names, gaz, context_admin1) if p.place.kind in ("town", "landmark")]
    title_places = [p for p in title_places if not p.fuzzy] or title_places  # ("Thread: Kirkuk live updates": not a near-spelling of Shaddadi)
    # ("Daesh pulls checkpoints to the city's edges, sends fighters to the Manbij front": where
    # fighters were sent is not the town the report is about)
    title_places = [p for p in title_places if not (_FRONT_AFTER.match(title, p.end) or _SENT_TO_BEFORE.search(title, max(0, p.start - 30), p.start))]
    # ("Militia convoy crosses from Al-Qaim into Al-Bukamal": the town reached, not the one left)
    title_places = [p for p in title_places if not (_FROM_BEFORE.search(title, max(0, p.start - 12), p.start)
                                                    and any(_INTO_BEFORE.search(title, max(0, q.start - 12), q.start) for q in title_places if q.start > p.end))] or title_places
    # ("After Manbij, Daesh tightens its grip on Raqqa": the fronted town is the earlier event's,
    # the story is of the town after it)
    # (not when the town after it is only where they go or look: "After Mosul, IS fighters flee to
    # Tal Afar", "After Tabqa, SDF sets sights on Raqqa"; nor "After Raqqa strikes, ...")
    title_places = [p for p in title_places if not (_FRONTED_EVENT_BEFORE.fullmatch(title, 0, p.start) and title.startswith(",", p.end)
                                                    and any(q.start > p.end and not _TITLE_GOAL_BEFORE.search(title, max(0, q.start - 25), q.start)
                                                            for q in title_places))] or title_places
    # ("North of Baghdad, Tarmiyah's orchards remain a haven": Baghdad only says where)
    title_places = [p for p in title_places if not _FRONTED_DIRECTION_BEFORE.search(title, max(0, p.start - 25), p.start)] or title_places
    # ("Baghdad condemns US strikes on Kataib Hezbollah sites": a government that speaks, no place of the story)
    # (and "Russia and Damascus set up joint checkpoint at Ain Issa": a government beside its ally)
    title_places = [p for p in title_places if not (p.text in _word_set_cased(words, "government_seats") and (
        _GOVERNMENT_ACTS_AFTER.match(lowercase(title), p.end) or _ALLY_AND_BEFORE.search(title, max(0, p.start - 20), p.start)))]
    # ("Deadly clashes in Sinjar's Khanasor": the town of the district that locates it)
    title_places = [p for p in title_places if not (p.text.endswith(("'s", "’s")) and any(
        q.start == p.end + 1 and not _INSIDE_TOWN_AFTER.match(title[q.end:q.end + 40].lower()) for q in title_places))] or title_places  # (not "Suwayda's Karama square")
    # ("sweep in Deir ez-Zor" over a story whose only Deir ez-Zor is "the eastern Deir ez-Zor
    # countryside": the province, not the city)
    title_places = [p for p in title_places if not (p.place.name == p.place.admin1 and _only_as_province(p.text, report.text))]
    if title_places:
        ctx.focus = title_places[0].place
        ctx.town = title_places[0]
    else:
        # "Mayadin 24 - Saturday updates" (a local outlet named "<town> 24", in the title or as
        # the source): its town is the one in view at the start ("came into town from Raqqa"),
        # and the report's when the text names it too ("the Hisbah emir of Mayadin"; not a
        # "Raqqa 24" post about Tabqa that names no Raqqa)
        outlet = _LOCAL_OUTLET.search(title) or _LOCAL_OUTLET.search(report.source or "")
        names = [n for n in find_place_names(outlet.group(1), gaz, words) if n.start == 0 and n.end == len(outlet.group(1))] if outlet else []
        if outlet and not outlet.group(0).endswith("24") and any(gaz.places[i].kind == "admin1" for n in names for i in n.ids):
            names = []  # ("Idlib Monitor Network": the province's outlet, no town's)
        local = [p for p in rank_place_names(names, gaz, context_admin1) if p.place.kind in ("town", "landmark")]
        if local:
            ctx.town = replace(local[0], role="context")
            ctx.country = ctx.country or local[0].place.country
            if any(local[0].place.place_id in n.ids for found in sentence_names for n in found) or outlet.group(0).strip().lower() in report.text.lower():
                ctx.focus = local[0].place  # (also when the post carries the outlet's header: "Mayadin 24 | Saturday 20 May")
    counts: dict[str, int] = {}
    # Groups are found once in the whole report; each sentence takes those within it.
    text_mentions = actors.find(report.text)
    ctx.abbreviations = _defined_abbreviations(text_mentions, report.text)
    ctx.names_iraqi_security_forces = _IRAQI_SECURITY_FORCES.search(report.text) is not None
    sentence_mentions = _with_bracketed_names(text_mentions, report.text)  # (the counts below count each name)
    mention_starts = [m.start for m in sentence_mentions]
    ctx.issuer = next((m.value for m in title_mentions if m.value not in ("unknown", "national_forces")), None)
    interview = _INTERVIEW_WITH.search(report.text, 0, HEAD_CHARS)
    # (the one who speaks with reporters is the subject: "The Iraqi army commander spoke with
    # reporters"; the one spoken with, the object: "Tigris Radio spoke with a brigadier-general
    # of the Iraqi army")
    line_start = report.text.rfind("\n", 0, interview.start()) + 1 if interview else 0
    speaker = next((m.value for m in reversed(text_mentions) if interview and line_start <= m.start and m.end <= interview.start()
                    and m.value not in ("unknown", "national_forces")), None) if interview else None
    ctx.interviewee = speaker or next((m.value for m in text_mentions if interview and interview.end() <= m.start <= interview.end() + 80
                                       and m.value not in ("unknown", "national_forces")), None)
    for text, ms in ((title, title_mentions), (report.text, text_mentions)):
        for m in ms:
            if m.value not in ("unknown", "national_forces") and not _BACKER_AFTER.match(text, m.end):  # ("US-backed SDF": the SDF's report)
                value = "iran_backed_militias" if ctx.country == "Syria" and m.value == "pmf" and _SHIA_MILITIA.match(m.text) else m.value
                counts[value] = counts.get(value, 0) + 1  # ("Shi'ite militias" fighting in Syria are Iran's proxies)
    ctx.main_actor = max(counts, key=counts.__getitem__) if counts else None
    ctx.sdf_named = "sdf" in counts
    # "Coalition airstrikes target ISIL in Syria and Iraq": whose strikes a release's items are
    ctx.striker = next((m.value for m in title_mentions if m.value not in ("unknown", "national_forces")
                        and (_TITLE_STRIKES_AFTER.match(title, m.end) or _TITLE_STRIKES_AFTER.search(" " + m.text))), None)
    if ctx.striker is None:
        # "U.S. and coalition military forces continued to attack ISIL terrorists in Syria and
        # Iraq": a strike release's lead names whose its items' strikes are
        ctx.striker = next((m.value for m in text_mentions if m.start < 600 and m.value in _FOREIGN_AIR_FORCES
                            and _CONTINUED_ATTACKS_AFTER.match(report.text, m.end)), None)
    # "the Turkish occupation army ... occupation drones targeted ...": whose occupation
    ctx.occupier = next((m.value for text, ms in ((title, title_mentions), (report.text, text_mentions)) for m in ms
                         if m.value not in ("unknown", "national_forces") and _OCCUPATION_AFTER.match(text, m.end)), None)
    ctx.unknown_group_at = next((m.start for m in text_mentions if m.value == "unknown" and m.text.lower() not in _BARE_GUNMEN), None)
    # (the PKK too: "Turkish jets neutralised Shingali and four other militants" in a report on
    # strikes against the PKK in Sinjar are the PKK's)
    insurgent_counts = {a: n for a, n in counts.items() if a in INSURGENTS or (a == "pkk" and ctx.country == "Iraq")}  # (in Syria the PKK is the SDF's)
    ctx.insurgent = max(insurgent_counts, key=insurgent_counts.__getitem__) if insurgent_counts else None
    jihadist_counts = {a: n for a, n in counts.items() if a in JIHADISTS}
    ctx.jihadist = max(jihadist_counts, key=jihadist_counts.__getitem__) if jihadist_counts else None
    militia_counts = {a: n for a, n in counts.items() if a in MILITIAS}
    ctx.militia = max(militia_counts, key=militia_counts.__getitem__) if militia_counts else None

    raw: list[tuple[Observation, bool]] = []
    heading: tuple[int, PlaceMention | None] | None = None  # (line, place) of a "Town:" heading
    # A heading line of its own ("1. Al-Mayadeen", "### Raqqa") places the lines under it,
    # up to the next heading line: (place or None for one we cannot place) or no section.
    section: tuple[PlaceMention | None] | None = None
    lines = report.text.split("\n")
    headings = {i: _section_heading(line, gaz, words, context_admin1, report.published) for i, line in enumerate(lines)
                if _SECTION_LINE.match(line)}
    # A log's stamp lines ("27 Nov 2024, 06:40", or bare days when the report has lines for two
    # days or more) date the posts under them; a bare date at the top, even repeated ("19 January
    # 2015", "January 19, 2015"), is the article's date line.
    # Lines "Wilayat Kirkuk – Tuesday 18 August", "Hajin - 12 March": one alone is an article's
    # dateline; two or more, for different days or places, head the sections of a log.
    datelined = []
    for i in [i for i, heading in headings.items() if heading[0] is None]:
        sm = _SECTION_LINE.match(lines[i])
        if sm.group("when") and not sm.group("mark") and "," not in sm.group("name"):
            when = _heading_time(sm.group("when"), report.published)
            if when is not None and when.precision == "day":
                datelined.append((i, sm.group("name"), sm.group("when"), when.start))
    if len({(name, day) for _i, name, _w, day in datelined}) >= 2:
        for i, name, when_text, _day in datelined:
            found = _heading_place(name, gaz, words, context_admin1)
            headings[i] = ("place", found, False, when_text) if found is not None else ("time", None, False, when_text)
    # An event table's row header ("08-June-2019 | Hama | Kafr Nabuda | Battles: Armed clash"):
    # the day and town of the notes under it; the row's type label is no event of its own.
    row_headers = set()
    for i, line in enumerate(lines):
        if "|" not in line or line.rstrip().endswith("."):
            continue
        following = next((x for x in itertools.islice(lines, i + 1, None) if x.strip()), "")
        preceding = next((x for x in reversed(lines[:i]) if x.strip()), "")
        # (not a table's own row, "14 Dec | Hajin | SDF | Took full control of the town.", whose
        # last cell tells the event: a header is followed by prose, not by the next row, nor is
        # it the last row under others of as many cells)
        row = _ROW_HEADER.match(line) if "|" not in following and preceding.count("|") != line.count("|") else None
        day = _HYPHENATED_DAY.sub(r"\1 \2 \3", row.group("day")) if row else None  # ("08-June-2019")
        if day is None or _heading_time(day, report.published) is None:
            continue
        row_headers.add(i)
        fields = [f.strip() for f in row.group("rest").split("|")]
        towns = [p for f in fields[:3] for p in rank_place_names(find_place_names(f, gaz, words), gaz, context_admin1)
                 if p.place.kind in ("town", "landmark") and p.start == 0]
        headings[i] = ("place", towns[-1], False, day) if towns else ("time", None, False, day)
    # A table's own row ("Entry 2. 10 Feb 2020 | Taftanaz airbase (Idlib) | Shelling | ... | 5
    # Turkish soldiers killed"): its day and place cells date and place what the row tells.
    row_cells: dict[int, tuple] = {}
    for i, line in enumerate(lines):
        if line.count("|") < 2 or i in row_headers:
            continue
        cells = [c.strip() for c in line.split("|")][:3]
        day = next((t for c in cells for t in find_time_expressions(_HYPHENATED_DAY.sub(r"\1 \2 \3", c), report.published)[:1]
                    if t.precision == "day" and t.start <= report.published), None)
        town = next((p for c in cells for p in rank_place_names(find_place_names(c, gaz, words), gaz, context_admin1)
                     if p.place.kind in ("town", "landmark") and p.start <= 2), None)
        if day is not None and town is not None and not (
                i < 3 and _is_byline(line, find_place_names(line, gaz, words), report.published)):
            row_cells[i] = (town, day)  # (but "SHRM | 29 March 2021 | Al-Hasakah" at the top is a byline)
    # A live blog's "23:55 - Iraqi state TV reports an airstrike ...": items of the report's day
    clock_lines = _clock_lines(lines)
    label_offsets = _item_labels(report.text)
    item_lines = {i for i, start in enumerate(itertools.accumulate((len(line) + 1 for line in lines), initial=0)) if start in label_offsets} if label_offsets else set()
    stamps = [i for i, line in enumerate(lines) if _STAMP_LINE.match(line)]
    if stamps:
        days = {t.start for i in stamps for t in find_time_expressions(lines[i], report.published)[:1]}
        for i in stamps:
            if len(days) >= 2 or _STAMP_LINE.match(lines[i]).group("clock"):
                headings[i] = ("time", None, False, lines[i])
    # (a post's header dates its post, up to the blank line after it, but heads no section: the
    # town in view stays, as a thread's posts go on about it; an article's prose after an
    # embedded post is the article's again)
    post_days: dict[int, object] = {}
    headers = [(i, post) for i, line in enumerate(lines) if "@" in line and (post := _POST_HEADER.match(line))]
    for k, (i, post) in enumerate(headers):
        day = _heading_time(post.group("when"), report.published) if post.group("when") else None
        day = day if day is not None and day.start != report.published else None  # (a post of the report's day adds nothing)
        post_days[i] = day
        # (a thread's post runs to the next header; one post embedded in an article, to its blank line)
        stop = headers[k + 1][0] if k + 1 < len(headers) else len(lines) if len(headers) > 1 else None
        for j in range(i + 1, stop if stop is not None else len(lines)):
            if stop is None and not lines[j].strip() and any(x.strip() for x in lines[i + 1:j]):
                break
            post_days[j] = day
    in_post = False
    # An upper-case line of its own is a heading ("HAJIN", "AL-MAYADIN") only in a bulletin
    # that has at least two such place headings; elsewhere it is more likely a dateline.
    # Upper-case lines head sections when two or more name places, or one does among other
    # upper-case headings ("KEY DEVELOPMENTS", "EAST MOSUL", "WESTERN AXIS (TAL AFAR)")
    caps_places = sum(1 for kind, _p, caps, _w in headings.values() if caps and kind == "place")
    caps_headings = caps_places >= 2 or (caps_places == 1 and sum(1 for kind, _p, caps, _w in headings.values() if caps and kind == "end") >= 2) \
        or len(datelined) >= 2 and sum(1 for kind, *_r in headings.values() if kind == "place") >= 2  # (a log of "TALBISEH, 14 June" sections: "CORRECTION" ends the last)
    section_line = -1
    row_place = None  # the place a table row put in view (for its own later sentences)
    claimed_range = None  # the observations of the last sentence that had any
    earlier_ranges: list[tuple[int, int]] = []  # ... and of the two such sentences before it
    range_lines: dict[tuple[int, int], int] = {}  # the paragraph each of those sentences is on
    sport = _is_sport_report(f"{title}\n{report.text}", words)
    previous_range = None  # the observations of the sentence just read
    toll_range = None  # ... or of the one before a label line
    outlook = False  # under an "OUTLOOK" or "RECOMMENDATIONS" heading
    highlights = False  # under a "HIGHLIGHTS" or "KEY DEVELOPMENTS" heading
    in_highlights: set[int] = set()  # raw indices of what the highlights said
    # A casualty table's header ("Location  Russian  Syrian gov.  Civilians killed") tells no
    # killing of its own: its rows are read apart, after the sentences (the strikes they told
    # say whose "air raids" a row's dead died in).
    tables = _table_layout(lines, words, actors)
    table_headers = {t[1] for t in tables}
    # ("Table 3. Combatants killed, by party (November 2016)" over a table: its title, no event of its own)
    table_headers |= {k for t in tables for k in (t[1] - 1, t[1] - 2) if k >= 0 and _TABLE_TITLE.match(lines[k])}
    title_key = _title_key(title) if title and len(sentences) > 3 else None
    title_copies: set[int] = set()  # raw indices of what a copy of the headline in the text said
    for sent, names in zip(sentences, sentence_names):
        if sent.line in table_headers:
            continue
        if sent.line in row_headers:
            section_line = sent.line
            kind, found, _caps, when = headings[sent.line]
            ctx.heading_time = _heading_time(when, report.published)
            section = (found,) if kind == "place" else None
            ctx.event_place = ctx.town = None
            continue
        if sent.line != section_line:
            section_line = sent.line
            kind, found, caps, when = headings.get(sent.line, (None, None, False, None))
            if caps and not caps_headings:
                kind = None  # a lone upper-case line is more likely a dateline
            if ctx.city is not None and sent.line in headings and _IN_THE_CITY_HEADING.match(lines[sent.line]):
                # ("INSIDE THE CITY": the city the report named as such)
                kind, found = "place", replace(ctx.city[1], role="event")
                ctx.event_place = ctx.town = found
            # "OUTLOOK", "RECOMMENDATIONS": what follows, up to the next heading, is forecast
            # and advice, not events
            if _OUTLOOK_HEADING.match(lines[sent.line]):
                outlook = True
            elif kind is not None:
                outlook = False
            if _HIGHLIGHTS_HEADING.match(lines[sent.line]):
                highlights = True
            elif sent.line in headings:
                highlights = False  # (any heading line ends them, a lone upper-case one too)
            if kind is not None:
                ctx.heading_time = _heading_time(when, report.published) if kind in ("place", "time") and when else None
            if sent.line in post_days:
                ctx.heading_time, in_post = post_days[sent.line], True
            elif in_post:
                in_post = False
                if kind is None:
                    ctx.heading_time = None
            if kind == "place":
                section = (found,)
            elif kind == "unknown":
                section = (None,)
            elif kind in ("end", "time"):
                section = None
                ctx.event_place = ctx.town = None  # (the last section's town is no longer in view)
        # Bulletins: "3) Al-Quriyah: The organisation executed a man ..." puts the whole
        # paragraph in Al-Quriyah; a heading we cannot place silences the paragraph rather
        # than put its events somewhere else.
        hm = _HEADING.match(sent.text) or _NUMBERED_CAPS_HEADING.match(sent.text)
        if hm and speakers and hm.group("name").strip() in speakers:
            hm = None  # "TNH:", "Khalid:": who speaks, not where
        if hm and any(w in _word_set_cased(words, "speaker_label_words") for w in hm.group("name").split()):
            hm = None  # "Civil Defence: 4 civilians were killed ...": who says it, not where
        if hm and any(m.value != "unknown" and m.text == hm.group("name").strip() for m in actors.find(hm.group("name"))) \
                and (_FIRST_PERSON_AFTER.match(sent.text, hm.end("name")) or not _names_place_exactly(hm.group("name").strip(), gaz)):
            # "Kataib Hezbollah: our heroes killed ...": a group that speaks, not a place; "-
            # Faylaq al-Rahman: 14 killed": the group a toll's item counts
            hm = None
        if not hm and (label := _PLACE_LABEL_SENTENCE.fullmatch(sent.text.strip())):
            hm = label  # ("Deir ez-Zor province. IS cells killed 14 SDF fighters ...": the paragraph's province)
        labelled = _LABELLED_HEADING.match(sent.text)
        if labelled:
            hm = labelled  # "Town: Tafas — 5 March.": the town, and the day the items took place
            given = find_time_expressions(sent.text[labelled.end("name"):], report.published)
            ctx.line_time = (sent.line, given[0]) if len(given) == 1 else None
        if hm:
            found = _heading_place(hm.group("name"), gaz, words, context_admin1)
            paren = _LABEL_PROVINCE_AFTER.match(sent.text, hm.end("name")) if found is not None else None
            if paren is not None:
                # "AL-RASHAD (Kirkuk): ...": the province only says which Al-Rashad; the item is the
                # town's ("DEIR EZZOR (Mayadin): ...": the town the province's label brackets)
                inner_town = _heading_place(paren.group(1), gaz, words, context_admin1) if found.place.kind == "admin1" or (
                    found.place.name == found.place.admin1) else None
                if inner_town is not None and inner_town.place.kind in ("town", "landmark") and inner_town.place.name != found.place.name:
                    found = inner_town
                    names = [n for n in names if not hm.start("name") <= n.start < hm.end("name")]  # (the province's label only says where the town is)
                names = [n for n in names if not hm.end("name") <= n.start < paren.end()]
            inner = _SUB_LABEL.match(sent.text, hm.end("name")) if found is None or found.place.kind in ("admin1", "town") else None
            if inner:
                # "Damascus Suburbs: Douma: 7 martyrs ...": the town under the province label
                near = {found.place.admin1 or found.place.name} if found is not None else set()
                town = _heading_place(inner.group("name"), gaz, words, context_admin1 | near)
                if town is not None and town.place.kind in ("town", "landmark"):
                    found = town
            if found and found.place.kind == "country":
                # "- Russia: Russian military police have patrolled the streets of Tabqa": a
                # country's item names its towns (as in a country's section)
                heading = None
                ctx.event_place = replace(found, start=-1, end=-1)
            elif found:
                heading = (sent.line, found)
            elif _looks_like_place_name(hm.group("name").strip()):
                heading = (sent.line, None)
            else:
                heading = None
        elif heading is not None and heading[0] != sent.line:
            heading = None
        if sent.line in row_cells and (ctx.line_time is None or ctx.line_time[0] != sent.line):
            # (the row's first sentence: later ones without a place of their own are there)
            ctx.event_place = row_place = replace(row_cells[sent.line][0], start=-1, end=-1, role="event")
            ctx.line_time = (sent.line, row_cells[sent.line][1])
        elif row_place is not None and sent.line not in row_cells:
            # (past the table, its last row's place is no longer in view: "Province | Russian air
            # strikes ... Idlib | 112", then "fighting centred on Kafr Nabudah ... seized the town")
            if ctx.event_place is row_place:
                ctx.event_place = None
            row_place = None
        under = heading
        if under is None and section is not None:
            # In a country's or province's section the sentences still name their towns.
            under = (sent.line, section[0]) if section[0] is None or section[0].place.kind in ("town", "landmark") else None
            if under is None and not (ctx.line_town is not None and ctx.line_town[0] == sent.line):
                # (but "- 14 Sep, Ain Issa: A drone struck a vehicle. Two SDF fighters were
                # killed.": the item's town, named earlier on its line)
                ctx.event_place = replace(section[0], start=-1, end=-1)
        if under is not None:
            if under[1] is None:
                continue
            ctx.event_place = replace(under[1], start=-1, end=-1)
        ctx.under_heading = under is not None
        if sent.line in item_lines and under is None and ctx.line != sent.line:
            ctx.event_place = None  # ("AL-BUKAMAL - Hisbah vehicles were out ..."): a digest's new item leaves the last item's town
        end = sent.start + len(sent.text)
        mentions = [Mention(m.start - sent.start, m.end - sent.start, m.value, m.text)
                    for m in sentence_mentions[bisect_left(mention_starts, sent.start):bisect_left(mention_starts, end)]
                    if m.end <= end]
        if ctx.line_time is None or ctx.line_time[0] != sent.line:
            lead = _LINE_DATE.match(sent.text)
            if lead is None and sent.line in item_lines:
                lead = _LABEL_DAY.match(sent.text)  # ("AL-BUKAMAL (Deir ez-Zor) - 9 April: On Monday, ...": the item's day)
            given = find_time_expressions(lead.group(0), report.published) if lead else []
            stamp = _LINE_STAMP.match(sent.text) if not given else None
            if stamp:
                # "[28 Jan 2017, 09:12] Regime helicopters dropped 6 barrel bombs this morning": the post's day
                given = [t for t in find_time_expressions(stamp.group("when"), report.published) if t.precision == "day"]
            numeric = _LINE_NUMERIC_DATE.match(sent.text) if not given else None
            if numeric:
                day = _numeric_day(numeric, report.published)
                given = [TimeExpression(day, day, "day", numeric.start("d"), numeric.end("m"), numeric.group(0))] if day else []
            if not given and sent.line in clock_lines and ctx.heading_time is None and ctx.section_time is None:
                weekday = _CLOCK_LINE.match(lines[sent.line]).group("weekday")  # ("Sun 0915 Unidentified drone hit ...": that Sunday)
                given = find_time_expressions(f"on {_WEEKDAY_NAMES[weekday[:3].lower()]}", report.published) if weekday else []
                given = given or [TimeExpression(report.published, report.published, "day", 0, 0, "")]
            ctx.line_time = (sent.line, given[0]) if len(given) == 1 else None
        ctx.line = sent.line
        ctx.clock_line = sent.line if sent.line in clock_lines and lines[sent.line].lstrip().startswith(sent.text[:12]) else -1
        time_before, town_before = ctx.last_time, ctx.town
        air_striker_before, striker_before = ctx.air_striker, ctx.striker
        ctx.strike_matched = False
        for mm in mentions:  # (the groups named so far by the last word of their names: "the council", "the 25th Division")
            head = mm.text.lower().rsplit(" ", 1)[-1]
            after = _CAPITAL_HEAD_AFTER.match(sent.text, mm.end) if head not in _GROUP_HEAD_NOUNS else None
            if after is not None:
                head = after.group(1).lower()  # ("the Shuhada al-Yarmouk Brigade": the name before the noun)
            if (" " in mm.text or after is not None) and head in _GROUP_HEAD_NOUNS and mm.value != "unknown":
                ctx.named_heads[head] = _group_code(mm.value, ctx)
            elif mm.text.lower().endswith(" military police") and mm.value not in ("unknown", "national_forces"):
                ctx.named_heads["military police"] = mm.value  # ("Russian military police ... The military police began patrolling")
        if outlook or _OUTLOOK_LABEL.match(sent.text) or (sport and _speaks_of_the_game(sent.text, words)):
            found_obs = []  # ("Next week: the ministry is due to announce ... more checkpoints")
        else:
            found_obs = _sentence_observations(report, sent, names, mentions, ref, actors, ctx, context_admin1)
        # (for a bare day in the next sentence: the sentence, read for its dated time only if needed)
        ctx.year_told = (sent.line, ctx.sentences_read, sent.text) if _YEAR_IN_TEXT.search(sent.text) else None
        # "The death toll from US air strikes on bases of Kataib Hezbollah has risen to 25 fighters":
        # fighters no group is named for are of the group the strikes hit, when the sentence names
        # that group and each striker hit one group only
        targets: dict[str, set] = {}
        for o, _e in found_obs:
            if o.indicator == "airstrike" and not o.negated and o.actor in AIR_FORCES and o.actor != "unknown" \
                    and o.counterpart not in STATE_FORCES | {None, "unknown"} and any(m.value == o.counterpart for m in mentions):
                targets.setdefault(o.actor, set()).add(o.counterpart)
        struck = {striker: next(iter(hit)) for striker, hit in targets.items() if len(hit) == 1}
        if struck:
            found_obs = [(replace(o, actor=struck[o.counterpart]) if o.indicator == "killing" and o.change == "killed" and o.actor == "unknown"
                          and o.counterpart in struck else o, e) for o, e in found_obs]
        blamed_here = _BLAMED_ON_HERE.search(sent.text) if found_obs and "blamed on" in sent.text else None
        if blamed_here:
            # "The killing of a farmer near Bartella, which officials blamed on IS, ...": the
            # killers the sentence itself names (jihadists only: blame between the government
            # and the rebels is partisan)
            blamed = next((x for x in mentions if x.start == blamed_here.end() and x.value in JIHADISTS), None)
            if blamed is not None and not _BLAME_RETRACTED.match(sent.text, blamed.end):
                # (only the killing of the blame's own clause: not "Two shepherds were shot dead near
                # Hajin, and a bombing in Raqqa, which officials blamed on IS, killed three")
                found_obs = [(replace(o, actor=blamed.value) if o.indicator == "killing" and o.change == "killed_by" and o.actor == "unknown"
                              and not _BLAME_CLAUSE_BREAK.search(sent.text, *sorted((o.trigger_start - sent.start, blamed_here.start())))
                              else o, e) for o, e in found_obs]
        ctx.seen_places.update(i for n in names for i in n.ids)
        lead = names[0] if names and names[0].start <= 2 else None
        ctx.country_subject = next((ref.lexicon.country_actors.get(gaz.places[i].name) for i in lead.ids if gaz.places[i].kind == "country"), None) \
            if lead is not None and _SUBJECT_VERB_AFTER.match(sent.text, lead.end) else None
        claim = _CLAIMED_ATTACK.search(sent.text) if claimed_range and ("laim" in sent.text or "out the" in sent.text or "behind" in sent.text) else None
        if claim and _NO_CLAIMANT_BEFORE.search(sent.text, max(0, claim.start() - 30), claim.start()):
            claim = None  # "no other party has claimed responsibility"
        blame = _BLAMED.search(sent.text) if claimed_range and claim is None and "blame" in sent.text else None
        if claim or blame:
            # "Twin bombings killed 23 people. Islamic State claimed the attack.", "The source
            # blamed Daesh remnants.": the killers
            claimant = next((x for x in reversed(mentions) if x.end <= claim.start() and x.value not in ("unknown", "national_forces")), None) if claim else \
                _blamed_group(mentions, sent.text, blame.end())
            # (a claim of plural deeds, "the abductions", "the attacks", reaches the sentences
            # before; "the bombing" is the last one told)
            reach = earlier_ranges if blame or _PLURAL_CLAIMED.search(claim.group(0)) else []
            if not reach and not any(raw[i][0].indicator == "killing" for i in range(*claimed_range)):
                # ("Three bombs exploded in Tal Tamr, killing 16. A truck bomb went off at a Kurdish
                # checkpoint ... Islamic State claimed the attack": the deaths of the attack told just before)
                reach = earlier_ranges[:1]
            if blame and range_lines.get(claimed_range) == sent.line and not _PLURAL_BLAMED.search(sent.text):
                # (a blame told in the paragraph of the last event reaches back within it: "Unknown
                # gunmen shot dead the mukhtar .... || On Thursday men stopped cars at a makeshift
                # checkpoint ... Security officials blamed IS sleeper cells" blames the checkpoint's
                # men, not the killers; a blame on its own, or of "both attacks", reaches as before)
                reach = [r for r in reach if range_lines.get(r) == sent.line]
            for i in _claimed_indices(claimed_range, reach, raw) if claimant else ():
                o, e = raw[i]
                if o.indicator == "killing" and o.change == "killed_by" and o.actor == "unknown":
                    raw[i] = (replace(o, actor=claimant.value), e)
                elif o.indicator == "killing" and o.change == "killed" and o.counterpart in (None, "unknown") and o.actor != claimant.value:
                    raw[i] = (replace(o, counterpart=claimant.value), e)
                elif o.indicator == "checkpoint" and o.actor == "unknown" and o.change in ("established", "present"):
                    raw[i] = (replace(o, actor=claimant.value), e)  # "Gunmen set up a fake checkpoint ... IS claimed the abductions"
                elif o.indicator in ("checkpoint", "patrol") and o.change == "attacked" and o.counterpart in (None, "unknown") and o.actor != claimant.value:
                    raw[i] = (replace(o, counterpart=claimant.value), e)  # ("A truck bomb went off at a Kurdish checkpoint. IS claimed the attack")
        if previous_range and not found_obs and _PARTY_UNKNOWN.search(sent.text):
            # "airstrikes struck Bustan al-Qasr; more than 30 people died. The party responsible
            # has not been identified.": not the striker carried from an earlier item
            for i in range(*previous_range):
                o, e = raw[i]
                if (o.indicator == "airstrike" or (o.indicator == "killing" and o.change == "killed_by")) and o.actor != "unknown" \
                        and not any(x.value == o.actor for x in actors.find(o.sentence)):
                    raw[i] = (replace(o, actor="unknown"), e)
            ctx.striker = None
        took_place = _TOOK_PLACE.match(sent.text) if previous_range and not found_obs else None
        when = [t for t in find_time_expressions(sent.text, report.published) if 0 <= t.span_start - took_place.end() <= 8 and t.start <= report.published] \
            if took_place else []
        if when:
            # "In Maskanah, the group executed two men ... The killings took place last week.":
            # the time of the events just told, when they gave none of their own
            for i in range(*previous_range):
                o, e = raw[i]
                if not e:
                    raw[i] = (replace(o, date_start=when[0].start, date_end=when[0].end, date_precision=when[0].precision), True)
        denial = _DENIES_THIS.search(sent.text) if found_obs and ";" in sent.text else None
        semi = sent.text.rfind(";", 0, denial.start()) if denial else -1
        if semi > 0 and _CLAIM_BEFORE_DENIAL.search(sent.text, 0, semi):
            # "Social media posts claimed IS had retaken Shirqat hospital; the operations command
            # denied this": the claim before the semicolon is denied
            found_obs = [(replace(o, negated=True), e) if o.trigger_end <= sent.start + semi and o.indicator != "killing" else (o, e)
                         for o, e in found_obs]
        denied_here = {o.indicator for o, _e in found_obs if o.negated}
        if previous_range and _DENIES_THIS.search(sent.text) and _CLAIM_BEFORE_DENIAL.search(ctx.previous_sentence) \
                and (not denied_here or _DENIES_THIS.match(sent.text)):
            # "Telegram channels claim General Security has withdrawn from Sahnaya. An Interior
            # Ministry spokesman denies this": the claim just told is denied (deaths are
            # seldom denied, the blame for them is); "This is false: no army unit has set foot
            # inside al-Balad" denies the claim and tells the denial again
            for i in range(*previous_range):
                o, e = raw[i]
                if not o.negated and o.indicator != "killing" and (not denied_here or o.indicator in denied_here):
                    raw[i] = (replace(o, negated=True), e)
        if toll_range and found_obs and not _NEW_EVENT_START.match(sent.text) \
                and not any(not _RELATIVE_OPENER.search(sent.text, 0, m.start) for m in mentions):
            # "IS bombings killed 148 people in Jableh and Tartus. The Observatory said 100 were
            # killed in Jableh and 48 in Tartus.": a breakdown of the toll just told, by the
            # same killers
            # (the killers of the toll: its perpetrator; after "were also killed", also the killers of
            # dead told by their group: "46 security personnel were killed in the IS raid. Twenty-two
            # civilians were also killed")
            also = _ALSO_KILLED.search(sent.text) is not None
            toll_killers = [(o.actor if o.change == "killed_by" else o.counterpart, o)
                            for o, _e in raw[toll_range[0]:toll_range[1]] if o.indicator == "killing" and not o.negated
                            and (o.change == "killed_by" or also) and (o.actor if o.change == "killed_by" else o.counterpart) not in (None, "unknown")]
            toll_killers = [k for k in toll_killers if k[1].change == "killed_by"] or toll_killers
            if toll_killers:
                killer, toll = toll_killers[0]
                found_obs = [(replace(o, actor=killer, manner=toll.manner), e)
                             if o.indicator == "killing" and o.change == "killed_by" and o.actor == "unknown" and o.manner == "unknown"
                             and o.date_start <= toll.date_end and toll.date_start <= o.date_end else (o, e)
                             for o, e in found_obs]
        among = _AMONG_THE_DEAD_WERE.match(sent.text) if toll_range and found_obs else None
        told = [o for o, _e in raw[toll_range[0]:toll_range[1]] if o.indicator == "killing" and not o.negated] if among else []
        if told and not any(x.value not in ("unknown", "national_forces") for x in mentions) \
                and not find_time_expressions(sent.text, report.published):
            # "IS cells killed 8 civilians in June. Among the civilians were two oil traders shot
            # dead in Al-Shuhayl": some of the dead just told, by the same hands, at the same time
            killer = next((o.actor if o.change == "killed_by" else o.counterpart for o in told
                           if (o.actor if o.change == "killed_by" else o.counterpart) not in (None, "unknown")), None)
            found_obs = [(replace(o, actor=killer or o.actor, manner=told[0].manner if killer else o.manner,
                                  date_start=told[0].date_start, date_end=told[0].date_end, date_precision=told[0].date_precision), e)
                         if o.indicator == "killing" and o.change == "killed_by" and o.actor == "unknown" else (o, e)
                         for o, e in found_obs]
        if ctx.jihadist is not None and ctx.jihadist == ctx.main_actor and not any(x.value == "unknown" for x in mentions):
            # "IS has answered with executions. Three men ... were beheaded in the main square":
            # in a report about a jihadist group, executions with no executioner named are its
            found_obs = [(replace(o, actor=ctx.jihadist), e) if o.indicator == "killing" and o.change == "killed_by"
                         and o.actor == "unknown" and o.manner == "execution" else (o, e) for o, e in found_obs]
        more = _N_MORE_KILLED.search(sent.text) if found_obs and claimed_range and " more" in sent.text else None
        last = next((o for o, _e in reversed(raw[claimed_range[0]:claimed_range[1]]) if o.indicator == "killing" and not o.negated), None) if more else None
        if last is not None and not any(x.value not in ("unknown", "national_forces") for x in mentions):
            # "... killed 13 soldiers. A second strike the same night ... killed four more": more
            # of the same dead, by the same hands (where the sentence names no party of its own)
            at = (sent.start + more.start(), sent.start + more.end())
            found_obs = [(_more_of(o, last, _number(more.group("n") or more.group("n2")), at), e) for o, e in found_obs]
        joined = _LEFT_WITH_THEM.search(sent.text) if found_obs and claimed_range and " with them" in sent.text else None
        went = next((o for o, _e in reversed(raw[claimed_range[0]:claimed_range[1]]) if o.indicator == "troop_movement"
                     and o.change == "departure" and not o.negated), None) if joined else None
        if went is not None and not any(x.value not in ("unknown", "national_forces") for x in mentions):
            # "... 400 fighters left Madaya on Friday. Dozens of fighters who had held out in
            # Zabadani were bussed out with them": the same side, on the same day
            found_obs = [(replace(o, actor=went.actor, date_start=went.date_start, date_end=went.date_end, date_precision=went.date_precision), e)
                         if o.indicator == "troop_movement" and o.change == "departure" and not e else (o, e) for o, e in found_obs]
        striker = _STRIKES_CARRIED_OUT_BY.search(sent.text) if (("strike" in sent.text or "raid" in sent.text) and (" by " in sent.text or " blam" in sent.text)) or "attribute" in sent.text else None
        if striker and _DENIED_THAT_BEFORE.search(sent.text, 0, striker.start()):
            striker = None  # ("The Pentagon denied the strikes were carried out by the coalition": no attribution; but
            # "Russia denied involvement, but the Observatory said the strikes were carried out by Russian warplanes" is one)
        striker = striker and next((x for x in mentions if 0 <= x.start - striker.end() <= 30 and x.value not in ("unknown", "national_forces")), None)
        # ("missiles hit a hospital in Azaz, killing 14 people. Turkey's foreign ministry blamed
        # Russian air strikes.": the deaths just told are blamed on the strikes)
        blamed = striker is not None and " blam" in sent.text and _BLAMED_STRIKES.search(sent.text) is not None
        if striker is not None:
            # "Air strikes hit the market ... The Observatory said the strikes were carried out by
            # Syrian government warplanes", "attributed a strike on a market ... to Russian
            # aircraft": the strikers of the strike just told and of the deaths it caused
            struck = {(o.place_id, o.date_start) for r in [claimed_range, *earlier_ranges[:1]] if r for o, _e in raw[r[0]:r[1]]
                      if o.indicator == "airstrike" and o.actor == "unknown"}
            strike_at = min((o.trigger_start - sent.start for o, _e in found_obs if o.indicator == "airstrike"), default=len(sent.text))
            # (the strike's own striker, named before it or as its agent: "Air strikes carried out by
            # Russian jets ..., with Damascus blaming coalition aircraft" stay Russia's)
            named_before_strike = {x.value for x in mentions if x.start < strike_at or _AGENT_MARK_BEFORE.search(sent.text, max(0, x.start - 20), x.start)}

            def _struck_by(o, here=False):
                # (a striker only the story's context gave yields to the one blamed here: "Syrian
                # jets bombed Anadan. In Kafr Hamra, an air strike hit a market; activists blamed Russian aircraft")
                # (nor does a party named only after the strike, the one it hit: "An air strike hit the
                # road ahead of a Turkish convoy ..., Turkey's defence ministry said, blaming Syrian
                # government aircraft")
                if (o.actor == "unknown" or (here and blamed and o.actor not in named_before_strike)) and not o.negated and (o.indicator == "airstrike" or (
                        o.indicator == "killing" and o.change == "killed_by" and (
                            o.manner == "airstrike" or (o.manner in (None, "unknown") and (o.place_id, o.date_start) in struck)
                            or (blamed and o.manner in (None, "unknown", "shelling"))))):  # ("missiles hit ... Turkey blamed Russian air strikes")
                    return replace(o, actor=striker.value, manner="airstrike" if o.indicator == "killing" else o.manner,
                                   counterpart=None if o.counterpart == striker.value else o.counterpart)  # (nobody strikes itself)
                return o
            struck_now = [(_struck_by(o, here=True), e) for o, e in found_obs]
            # ("attribute to Russian and Syrian aircraft": a strike for each party blamed)
            second = next((x for x in mentions if x.start > striker.end and re.fullmatch(r"\s+and\s+", sent.text[striker.end:x.start])
                           and x.value not in ("unknown", "national_forces", striker.value)), None)
            if second is not None:
                struck_now += [(replace(o, actor=second.value), e) for (o, e), (was, _w) in zip(struck_now, found_obs)
                               if o.indicator == "airstrike" and o.actor == striker.value and was.actor != striker.value]
            found_obs = struck_now
            # (and of the strike told a sentence or two before: "Six air strikes hit a school in
            # Hass. At least 26 civilians were killed. ... the strikes were carried out by ...")
            # (only past a sentence that told no strike of its own: not "Air strikes hit Ariha.
            # Turkish drones struck near Manbij. ... the strikes were carried out by Turkish drones")
            reach = [claimed_range] if claimed_range else []
            if claimed_range and not any(o.indicator == "airstrike" for o, _e in raw[claimed_range[0]:claimed_range[1]]):
                reach += [r for r in earlier_ranges[:1] if any(o.indicator == "airstrike" and o.actor == "unknown" for o, _e in raw[r[0]:r[1]])]
            for r in reach:
                for i in range(*r):
                    raw[i] = (_struck_by(raw[i][0]), raw[i][1])
        previous_range = (len(raw), len(raw) + len(found_obs)) if found_obs else None
        if found_obs or not sent.text.rstrip().endswith(":"):
            toll_range = previous_range  # (a label line, "Martyrs by governorate:", keeps the toll it breaks down)
        if found_obs:
            earlier_ranges = ([claimed_range] + earlier_ranges)[:2] if claimed_range else []
            claimed_range = (len(raw), len(raw) + len(found_obs))
            range_lines[claimed_range] = sent.line
            if highlights:
                in_highlights.update(range(len(raw), len(raw) + len(found_obs)))
        if title_key and len(sent.text) <= len(title) + 30 and _is_title_copy(_title_key(sent.text), title_key, sent.text.rstrip()[-1:] not in ".!?"):
            # the headline copied into the page: what the story tells again (and dates) is the story's
            title_copies.update(range(len(raw), len(raw) + len(found_obs)))
        raw.extend(found_obs)
        for o, _e in found_obs:
            if o.indicator == "control_change" and o.change == "captured" and not o.negated and o.place_id:
                ctx.captured_by[o.place_id] = o.actor
        ctx.previous_strikes = [o for o, _e in found_obs if o.indicator == "airstrike"]
        moved = [o.actor for o, _e in found_obs if o.indicator == "troop_movement" and not o.negated and o.actor not in (None, "unknown")]
        if moved:
            ctx.last_mover = (ctx.sentences_read, moved[-1])
        elif (convoy := _CONVOY_WORD.search(sent.text)) and not _AFTER_THE_CONVOY_BEFORE.search(sent.text.lower(), max(0, convoy.start() - 40), convoy.end() + 1):
            # (a convoy told with no movement read: whose it is is not known here; but "after the
            # buses left" only tells when, of the convoy already told)
            ctx.last_mover = None
        if any(o.indicator == "killing" and not o.negated for o, _e in found_obs):
            ctx.killing_told_at = ctx.sentences_read
        if found_obs:
            # (the province of the last events told, for "in the province" next: "the SDF imposed a
            # curfew across the eastern Deir ez-Zor countryside. ... 25 killed in the province")
            last = found_obs[-1][0]
            ctx.province_told = (ctx.sentences_read, gaz.places.get(last.place_id) if last.place_precision == "admin1" else None)
        ctx.sentences_read += 1
        flying = next((m.value for m in mentions if m.value in AIR_FORCES and m.value != "unknown"
                       and (_AIR_NOUN_AFTER.match(sent.text, m.end) or _AIR_NOUN_END.search(m.text))), None)
        if flying is None:
            # ("Syrian troops backed by tanks and helicopter gunships kept up their assault. ...
            # Helicopters fired rockets into Salaheddine": the backed force's own aircraft)
            backed = next((m for m in mentions if m.value in AIR_FORCES and m.value != "unknown" and (b := _BACKED_BY_AIRCRAFT.match(sent.text, m.end))
                           and not any(b.start() <= x.start < b.end() for x in mentions)), None)
            flying = backed.value if backed is not None else None
        if flying is not None:
            ctx.air_striker, ctx.air_striker_at = flying, ctx.sentences_read  # ("coalition jets are back. At least 6 strikes ... on Hajin": theirs)
        if _NO_STRIKES.search(sent.text) and not any(o.indicator == "airstrike" and not o.negated for o, _e in found_obs):
            # ("The coalition said it had carried out no strikes": no air force of the strikes to come)
            ctx.air_striker, ctx.striker = air_striker_before, striker_before
        if ctx.previous_strikes:  # (sentences between that tell no strike leave it in view: "Hours after the first raids, ...")
            ctx.strikes_told_last, ctx.strikes_told_at = ctx.previous_strikes, ctx.sentences_read
            ctx.subject_since_strikes = False
        elif mentions and _LEAD_GROUP.fullmatch(sent.text, 0, mentions[0].start) and mentions[0].value not in {o.actor for o in ctx.strikes_told_last}:
            ctx.subject_since_strikes = True  # (whose "they" the next sentence's is: "Rebels responded by shelling Mhardeh. They also hit ...")
        first = next((m for m in mentions if m.value not in ("unknown", "national_forces")), None)
        attacker_before = ctx.previous_attacker
        attack_by = next((_group_code(m.value, ctx) for m in mentions if m.value != "unknown" and _group_code(m.value, ctx)
                          and _ATTACKS_BY_BEFORE.search(sent.text, max(0, m.start - 40), m.start)), None) if " by " in sent.text else None  # ("23 attacks by Islamic State cells", "an attack by pro-government forces")
        if attack_by is None and "attempt by" in sent.text:
            # ("repelled an attempt by regime forces and the NDF to storm Tal Dahab": those who tried)
            attack_by = next((_group_code(m.value, ctx) for m in mentions if m.value != "unknown" and _group_code(m.value, ctx)
                              and sent.text.endswith(("attempt by ", "attempt by the "), 0, m.start)
                              and _ASSAULT_INFINITIVE.search(sent.text, m.end, m.end + 80)), None)
        if attack_by is None and "ttack" in sent.text:
            # ("Tribal fighters repelled an Islamic State attack": the attack's group, not the subject's)
            attack_by = next((_group_code(m.value, ctx) for m in mentions if m.value != "unknown" and _group_code(m.value, ctx)
                              and _NOMINAL_ATTACK_AFTER.match(sent.text, m.end) and _REPELLED_BEFORE.search(sent.text, max(0, m.start - 24), m.start)), None)
        # ("Islamic State fighters, several of them wearing explosive belts, attacked", "Islamic State (IS) fighters stormed")
        attack_verb = _words_re(words, "attack_verbs", r"(?:\s+\([^()]{1,12}\))?(?:\s+[\w’'-]+){0,4}?(?:,[^,.;]{1,60},)?\s+(?:@@)\b")
        ctx.previous_attacker = (attack_by or first.value) if first is not None and attack_verb.match(sent.text, first.end) else attack_by
        if ctx.previous_attacker is None:
            # ("Government forces fired rockets at Zamalka": the country's forces, named before any other group)
            state = next((m for m in mentions if m.value == "national_forces" and (first is None or m.end <= first.start)), None)
            if state is not None and attack_verb.match(sent.text, state.end):
                ctx.previous_attacker = _group_code(state.value, ctx)
        if ctx.previous_attacker in INSURGENTS or (attack_by is not None and attack_by == ctx.previous_attacker
                                                   and _GROUND_ATTACK_BY.search(sent.text)):
            # (not "coalition aircraft struck a building" nor "air raids by Russian jets"; but "beat
            # back an attack by pro-government forces")
            ctx.report_attacker = ctx.previous_attacker
        strikes_told = not found_obs and ctx.strike_matched and not _NO_STRIKES.search(sent.text)  # (not "said it had carried out no strikes")
        if strikes_told and first is not None:
            ctx.striker = first.value  # (and says whose strikes the items after it are)
        elif strikes_told and attacker_before in AIR_FORCES and attacker_before != "unknown":
            ctx.striker = attacker_before  # ("Coalition forces continued to attack ISIL. Officials reported details of the latest strikes")
        if ctx.story_time is None and not found_obs and (ctx.previous_attacker or strikes_told or _FIGHTING_BROKE_OUT.search(sent.text)):
            # a lead that tells an attack but yields no observation of its own still dates the
            # story ("On June 18, Coalition forces conducted 26 strikes against ISIS targets.",
            # "Fighting broke out on Friday between the YBS and the Rojava Peshmerga")
            ctx.story_time = next((t for t in find_time_expressions(sent.text, report.published)
                                   if t.precision in ("day", "week") and t.start <= report.published), None)
        recent = {}
        for ind in ("checkpoint", "patrol"):
            owners = [o.actor for o, _e in found_obs if o.indicator == ind and o.actor != "unknown" and not o.negated]
            if owners:
                ctx.owners[ind] = recent[ind] = tuple(dict.fromkeys(owners))
        ctx.recent_owners = recent
        if not found_obs and (sent.text.rstrip().endswith(":") or (
                ("otherwise" in sent.text or "efer" in sent.text or "elate" in sent.text) and _ITEMS_REFER.search(sent.text))):
            # "Deir ez-Zor 24 monitored the following events on Sunday:": the items' day
            given = find_time_expressions(sent.text, report.published)
            ctx.section_time = given[0] if len(given) == 1 else ctx.section_time
        ctx.previous_time = ctx.last_time if ctx.last_time is not time_before else None
        if ctx.town is not town_before and ctx.town is not None:
            # (a town that opens its line, after a clock stamp or tag at most, is the item's: "09:40 #Busayrah - ...")
            leads = 0 <= ctx.town.start <= 5 or _LINE_LEAD.fullmatch(sent.text, 0, max(0, ctx.town.start)) is not None
            ctx.line_town = (sent.line, replace(ctx.town, start=0) if leads else ctx.town)
        # a town the sentence just read named as "the city of X": "the city" in the next one is X
        # (but not "the nearby town of X", a second town beside the one the report is about)
        # or as the sentence's subject, its first words: "Al-Qusayr itself had been a stronghold of
        # Hezbollah. The group's fighters withdrew from the town": Al-Qusayr
        fronted = _FRONTED_IN.match(sent.text) if ctx.town is not None else None
        # (the town last in view may be "the town" itself: "entered the town of Jinderes ... after
        # three days of bombardment of the town": where the name was said)
        named_at = next((n.start for n in names if ctx.town.place.place_id in n.ids), ctx.town.start) \
            if ctx.town is not None and ctx.town.text.lower().startswith("the ") else (ctx.town.start if ctx.town is not None else 0)
        ctx.recent_town = ctx.town if (ctx.town is not town_before and ctx.town is not None and (
            named_at == 0 or (fronted and any(n.start == fronted.end() and ctx.town.place.place_id in n.ids for n in names))
            or _LEAD_PHRASE_THEN.fullmatch(sent.text, 0, named_at) is not None  # ("About 120 km to the east, Ras al-Ain remains contested": the subject)
            or _BATTLE_FOR_BEFORE.search(sent.text, max(0, named_at - 30), max(0, named_at)) is not None  # ("the battle for Ras al-Ain was continuing. The town ...")
            or (named_at == ctx.town.start and sent.text.startswith((" town", " city"), ctx.town.end))  # ("Clashes continued around Sinjar town. ... in the town")
            or (_TOWN_OF_BEFORE.search(sent.text[max(0, named_at - 12):max(0, named_at)].lower())
                and not sent.text[max(0, named_at - 12):max(0, named_at)].lower().endswith("village of ")  # ("the village of Hazima, north of the city": "the city" is another)
                                    and not _NEARBY_BEFORE.search(sent.text[max(0, named_at - 40):max(0, named_at)].lower())))) else None
        # ("after retaking the town of Al-Muhallabiya, south-east of the city": a town, not "the city")
        ctx.recent_town_small = ctx.recent_town is not None and sent.text[max(0, named_at - 12):max(0, named_at)].lower().endswith(("town of ", "village of "))
        named_end = next((n.end for n in names if n.start == named_at), None) if ctx.recent_town is not None else None
        ctx.recent_town_off_city = named_end is not None and _OFF_THE_CITY_AFTER.match(sent.text, named_end) is not None
        said = _SAID_IN_A_STATEMENT.search(sent.text) if "statement" in sent.text else None
        if said:
            # ("..., the YPG General Command said in a statement. '"Our fighters withdrew ..." the
            # statement said"': the group whose statement it is speaks of "our" forces)
            speaker = next((x for x in reversed(mentions) if x.end <= said.start() and said.start() - x.end <= 30
                            and x.value not in ("unknown", "national_forces")), None)
            ctx.statement_issuer = speaker.value if speaker else None
        ctx.previous_sentence, ctx.previous_line = sent.text, sent.line
        ctx.striker_by_line[sent.line] = ctx.striker
        if found_obs:
            told_strikers = tuple(dict.fromkeys(o.actor for o, _e in found_obs if o.indicator == "airstrike" and o.actor != "unknown"))
            ctx.strikers = told_strikers if len(told_strikers) > 1 else (ctx.strikers if not told_strikers else ())
        ctx.strikers_by_line[sent.line] = ctx.strikers
    # A movement or patrol of no known group says nothing about any group's presence.
    if in_highlights or title_copies:
        raw = _without_restated_highlights(raw, in_highlights | title_copies,
                                           undated_copies={i for i in title_copies if not raw[i][1]})
    if tables:
        from_tables = _casualty_table_observations(report, tables, lines, gaz, words, actors, text_mentions, context_admin1, ctx,
                                                   [o for o, _e in raw if o.indicator in ("airstrike", "killing") and not o.negated],
                                                   lex.vague_quantities)
        # (a row read as prose, "Talbiseh | Regime helicopters (barrel bombs) | 9 | 3", is the row's own strike)
        rows_read = {(o.indicator, o.span_start) for o, _e in from_tables}
        # (a prose reading of a row the table read is the row's own event, unless it names a
        # place of its own in the row: "... | Russian jets also struck Al-Rastan" in a notes cell)
        def _row_prose(o):
            return (o.indicator, o.span_start) in rows_read and not (o.place_name and o.place_name.lower() in report.text[o.span_start:o.span_end].lower()
                                                                     and not any(t.place_id == o.place_id for t, _e in from_tables if t.span_start == o.span_start))
        # ("Hajin ..... 37 ... coalition air strikes" under a list of deaths: the strikes read in
        # the line as prose are the killers', and the 37 are the dead, no count of strikes)
        dead_lines = {(o.place_id, o.span_start) for o, _e in from_tables if o.indicator == "killing"}
        raw = [(replace(o, quantity_low=None, quantity_high=None, unit=None) if o.indicator == "airstrike" and (o.place_id, o.span_start) in dead_lines
                and o.quantity_low is not None else o, e) for o, e in raw if not _row_prose(o)] + from_tables
    raw = _drop_title_dead_of_no_group(raw, title)
    out = [o for o in _drop_told_losses(_drop_general_strikes(_merge_within_report(raw), ctx.area_strikes))
           if not (o.actor == "unknown" and o.indicator in ("troop_movement", "patrol"))]
    # One observation per id (the id leaves out the count: "killed about 40 militants in Sinjar
    # and 30 in Karachok", the second place unresolved, reads twice as Sinjar's): the first told
    seen: set[str] = set()
    return [o for o in out if not (o.observation_id in seen or seen.add(o.observation_id))]


def _numeric_day(m: re.Match, published: date) -> date | None:
    """A "12/04" list date (see dates.numeric_day)."""
    y = m.group("y")
    year = (2000 + int(y) if len(y) == 2 else int(y)) if y else None
    return numeric_day(int(m.group("d")), int(m.group("m")), year, published)


_TABLE_RULE = re.compile(r"^[\s|:+=-]*-[\s|:+=-]*$")  # "-------------|-----------"
_WIDE_GAP = re.compile(r"\s{2,}|\t")
_TABLE_COUNT = re.compile(r"(\d{1,3}(?:,\d{3})*|\d+)")
_PLACE_COLUMN = re.compile(r"\b(?:location|place|town|village|city|area|locality|site|near|governorate|province|district|front|region|community|communities|municipality)s?\b", re.IGNORECASE)
_DATE_COLUMN = re.compile(r"(?:date|day|when|week|month|period|year)s?", re.IGNORECASE)  # (fullmatch: a column of times)
_PROVINCE_COLUMN = re.compile(r"\b(?:province|governorate|region)s?\b", re.IGNORECASE)
_BY_GROUP_BEFORE = re.compile(r"\b(?:in|by|from)\s+(?:the\s+)?$", re.IGNORECASE)
_DEATHS_ATTRIBUTED_TO = re.compile(r"\battribut\w*\s+(?:the\s+|these\s+|all\s+|most\s+)?(?:deaths|killings|casualties|them)?\s*to\s+"
                                   r"|\b(?:deaths|killings|casualties)\s+(?:were|was|are)\s+(?:all\s+)?(?:caused|committed|carried out|inflicted)\s+by\s+(?:the\s+)?", re.IGNORECASE)


_DIGIT = re.compile(r"\d")
_DEATHS_LIST_LINE = re.compile(r"^\W*(?P<label>[A-Za-z][^:|]{2,70}):\s*(?P<items>[^:|]+)$")
_PLACE_COUNT_ITEM = re.compile(r"^\s*(?P<place>[A-Z][\w’' ()-]{1,40}?)\s+(?P<n>\d{1,3}(?:,\d{3})*|\d+)\s*$")
# a list told down the lines under its label ("SDF FIGHTERS KILLED SINCE WEDNESDAY:" then
# "   Ras al-Ain ....... 38"): its label line, and each line's place and count after dot leaders
_SENTENCE_BREAK = re.compile(r"(?<=[a-z\d][.!?])\s+(?=[A-Z])")
_LIST_LABEL_LINE = re.compile(r"^\W*(?:\d{1,2}[).]\s*)?(?P<label>[A-Za-z][^:|]{2,90}):\s*$")
_TOTAL_ITEM = re.compile(r"\s*(?:grand\s+)?total\b", re.IGNORECASE)
_TOTAL_LINE = re.compile(r"^\s*[-*•]?\s*(?P<place>(?:grand\s+)?total\b[^.:\d\n]{0,40}?)\s*(?:[.…:]+\s*|\s+)(?P<n>\d{1,3}(?:,\d{3})*|\d+)"
                         r"(?:\s+(?:across|in|for)\b[^\d\n]{0,50})?\s*$", re.IGNORECASE)  # ("Total ..... 322 across the Damascus countryside")
_HEADER_DATES = re.compile(r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|\b(?:19|20)\d\d\b", re.IGNORECASE)  # ("Killed, 16 Sep - 17 Nov": a column's period, no count)
_CAPS_LABEL_LINE = re.compile(r"^\W*(?P<label>[A-Z][A-Z0-9 ,’'()/&-]{5,90}?)\s*$")  # ("CIVILIAN DEATHS RECORDED BY SUPPORTED FACILITIES, 18-20 FEB": a list's heading without a colon)
_LEADER_ITEM = re.compile(r"^\s*[-*•]?\s*(?P<place>[A-Z][\w’' ()-]{1,60}?(?:,[\w’' ()-]{1,60}?)?)\s*(?:\.{2,}|…+|:|\s{2,}|\t)\s*"
                          r"(?:(?P<q>at least|more than|over|about|around|some|approx\.?|nearly|almost|up to)\s+)?(?P<n>\d{1,3}(?:,\d{3})*|\d+|dozens|tens|scores|hundreds|several|a few)"
                          r"(?:\s*[-–]\s*\d{1,4})?"  # ("40-50": its lower bound)
                          r"(?:\s*\([^)\n]{1,40}\))?"  # ("dozens (count continuing)")
                          r"(?:\s*(?:\.{2,}|…+|[-–—|])\s*(?P<by>[A-Za-z][^\n]{1,80}?))?"  # ("Hajin ..... 37 ... coalition air strikes": by whom)
                          r"(?:[,;]\s+(?![\d(])[^\n]{1,200}?)?\s*$")  # ("Civilians: 11, three of them children. Most were hit by stray bullets": a note)
_DETAINED_COLUMN = re.compile(r"\b(?:detained|detainees?|arrests?|arrested|captives?|prisoners?)\b", re.IGNORECASE)
_PEOPLE_COLUMN = re.compile(r"\b(?:victims?|hostages?|detainees?|detained|abducted|kidnapped|captives?|people|persons|civilians)\b", re.IGNORECASE)
_ABDUCTION_LABEL = re.compile(r"\b(?:abduct\w*|kidnap\w*|arrest\w*|detention\w*|detain\w*)", re.IGNORECASE)
_LOSER_COLUMN = re.compile(r"(?:taken\s+)?from|lost\s+by|previous(?:ly)?(?:\s+held\s+by)?|former\s+holder|loser", re.IGNORECASE)
_NOTES_COLUMN = re.compile(r"(?:(?:main\s+)?(?:notes?|remarks?|comments?|details|sources?|observations?|charges?|accusations?|reasons?)|accused of)", re.IGNORECASE)
_EXCLUDED = re.compile(r"\bexclud\w*|\bnot\s+included\b|\bwithout\b", re.IGNORECASE)  # ("CIVILIANS EXCLUDED", "WOUNDED NOT INCLUDED")
_BY_PARTY_LABEL = re.compile(r"\bby\s+(?:party|perpetrator|side)\b|\bresponsible\b|\bperpetrators?\b", re.IGNORECASE)
_SIDE_COLUMN = re.compile(r"(?:sides?|groups?|forces?|factions?|belligerents?|combatants?|categor(?:y|ies))\s*[:*]?", re.IGNORECASE)  # a column of the parties whose dead the rows count
_CAUSE_COLUMN = re.compile(r"\b(?:cause|causes|perpetrators?|party|parties|responsible|killed by|by|attributed|attribution)\b", re.IGNORECASE)  # (and "Type / attributed to")
_BARE_TOTAL = re.compile(r"(?:grand\s+)?totals?:?", re.IGNORECASE)
_TOTAL_ROW = re.compile(r"\((?:all|all areas|total|whole)\b|\b(?:governorate|province)\b|\btotal\b", re.IGNORECASE)
_TABLE_VICTIM_NOUN = re.compile(r"\s*(?:\w+\s+)?(?:members?|fighters?|militants?|soldiers?|forces|troops|factions?|militiam[ae]n|personnel|police(?:m[ae]n)?|officers?)\b", re.IGNORECASE)
_FORMER_COMBATANTS = re.compile(r"\s*(?:\d+\s+)?(?:former|ex-)\s*(?:rebels|fighters|militants|jihadists|insurgents|combatants)\b", re.IGNORECASE)  # ("former rebels who had signed settlements": the rebels' dead)


def _group_code(value: str | None, ctx) -> str | None:
    """A group's code, with the bare "government"/"troops" read as the report country's forces."""
    return NATIONAL_FORCES.get(ctx.country or "") if value == "national_forces" else value


def _table_cells(line: str, n: int | None = None) -> list[str] | None:
    """The cells of a table line: "Rajo | 23 | 2" or "Maarat al-Numan     21     14"; given a
    header's width n, a "|" row may have empty cells ("Khan Touman | 9 | 2 |": no notes), its
    first (its place or label) not empty."""
    text = line.strip()
    if n is not None and "|" in text:
        cells = [c.strip() for c in text.split("|")]
        if cells and not cells[0] and text.startswith("|"):
            cells = cells[1:]
        if len(cells) == n + 1 and not cells[-1]:
            cells = cells[:-1]
        return cells if len(cells) == n and cells[0] else None
    if text.count("|") >= 1:
        cells = [c.strip() for c in text.strip("|").split("|")]
    else:
        cells = [c.strip() for c in _WIDE_GAP.split(text)]
    return cells if len(cells) >= 2 and all(cells) else None


def _title_key(text: str) -> str:
    return " ".join(_BYLINE_WORD.findall(text.lower()))


def _is_title_copy(key: str, title_key: str, headline_form: bool) -> bool:
    """The headline again in the page, word for word, or nearly when it stands as a headline
    with no full stop ("Army retakes Akashat in lightning desert push" under "Army retakes
    Akashat in desert push"; not a lead sentence that restates the headline with its totals)."""
    if key == title_key:
        return True
    if not headline_form:
        return False
    words, title_words = key.split(), set(title_key.split())
    return len(title_words) >= 4 and len(words) <= len(title_words) + 3 and len(title_words & set(words)) >= 0.85 * len(title_words)


_BY_PERPETRATOR = re.compile(r"\b(?:by\s+(?:perpetrator|party|parties|actor|responsible\s+party)|perpetrators?)\b", re.IGNORECASE)


_PARTY_ROWS_HEADER = re.compile(r"(?:perpetrators?|party|parties|actors?|killed by|responsible(?: party)?|by)\s*[:*]?", re.IGNORECASE)
_KILLINGS_BY_LABEL = re.compile(r"\bkillings\s+by\b", re.IGNORECASE)  # ("Killings by party": by whom, in an NGO's tables)
_UNKNOWN_ROW = re.compile(r"\s*(?:unknown|unidentified|other|others)\b", re.IGNORECASE)
_PERPETRATOR_LABEL = re.compile(r"\bperpetrat|\bkilled\s+by\b|\bresponsible\b", re.IGNORECASE)
_CIVILIAN_LABEL = re.compile(r"\bcivilian", re.IGNORECASE)
_TABLE_TITLE = re.compile(r"\s*table\s+\d+\b", re.IGNORECASE)  # ("Table 1. Air raids by party and location (November 2016)")


_NOT_WAR_DEATHS_LABEL = re.compile(r"\b(?:covid|coronavirus|cholera|disease|illness|road\s+(?:deaths|accidents|crashes|collisions)|traffic|accidents?|accidental|drown\w*|earthquake|flood\w*|natural)\b", re.IGNORECASE)


def _party_death_header(header: list[str], actors, words, by_perpetrator: bool, strikes: bool = False) -> list[str] | None:
    """Under a label of deaths, a header whose columns name parties or civilians ("SDF /
    ASAYISH | CIVILIANS | GOVERNMENT FORCES") counts each party's dead: the columns read as
    "<party> killed"; under a label of deaths by perpetrator ("Civilian deaths in April, by
    perpetrator:"), as "killed by <party>"; under a label of strikes ("Air raids by party and
    location", then "Location | Russian | Regime | Coalition"), as "<party> air strikes".
    None when no column after the first names one."""
    civilians = _word_set(words, "table_civilian_headers")
    out, named = [header[0]], False
    for c in header[1:]:
        low = lowercase(c).strip()
        if strikes:
            if any(m.value not in ("unknown", "national_forces") for m in actors.find(c)):
                out.append(f"{c} air strikes")
                named = True
            else:
                out.append(c)
            continue
        if low in _word_set(words, "table_victim_headers"):
            out.append(f"{c} killed")  # ("ASSASSINATIONS BY TOWN (June 2022)" over "Town | Victims | Remarks": the dead)
            named = True
        elif low in civilians or any(m.value != "unknown" for m in actors.find(c)):
            out.append(f"killed by {c}" if by_perpetrator and low not in civilians else f"{c} killed")
            named = True
        else:
            out.append(c)
    return out if named else None


def _is_control_column(cell: str, control_rx) -> bool:
    """A column's label naming who took the town ("Taken by", "Now held by"), not a row's
    cell that tells it ("seized by ISIS after army and police withdrew")."""
    label = re.sub(r"\s*\([^)]*\)$", "", lowercase(cell).strip(" :*"))  # ("Taken by (group)")
    return control_rx.fullmatch(label) is not None


def _table_layout(lines: list[str], words, actors) -> list[tuple]:
    """The monitoring tables and lists of deaths or strikes in a report's lines, found once:
    ("table", header line, header cells, [(line, cells) of its rows]) for a table whose header
    has a column of deaths or strikes ("Front | Enemy killed | Our martyrs", "Location  Deaths
    Incidents", "Governorate | IS killed | Russian air strikes"), and ("list", line, label,
    [(place, count) items]) for a list line ("Civilian deaths, last 24 hours: Kafr Nabl 7, Hish 4.").
    Their header and list lines tell nothing of their own; a table's rows are still read as
    sentences ("Rutba | Tue | Daesh attack on police HQ repelled | 5 policemen killed")."""
    death_rx = _words_re(words, "table_death_headers", r"\b(?:@@)\b", lowered=True)
    strike_rx = _words_re(words, "table_strike_headers", r"\b(?:@@)\b", lowered=True)
    control_rx = _words_re(words, "table_control_headers", r"\b(?:@@)\b", lowered=True)
    # (only lines that may head a table or list deaths are looked at closely)
    labelled = {i for i, line in enumerate(lines) if ("|" in line or "  " in line or ":" in line or _TABLE_TITLE.match(line) or _CAPS_LABEL_LINE.match(line)
                                                     or (len(line.strip()) <= 90 and not line.rstrip().endswith((".", ";"))
                                                         and any("|" in lines[k] for k in range(i + 1, min(i + 3, len(lines))))))  # (a table's label: "2. ASSASSINATIONS BY TOWN (June 2022)", not a sentence)
                and (death_rx.search(low := lowercase(line)) or strike_rx.search(low) or (("by" in low or "passed" in low) and control_rx.search(low)))}
    # ("Killings attributed to IS cells, by area:" over "AREA | SDF / ASAYISH | CIVILIANS | GOVERNMENT
    # FORCES": a table of each party's dead under a label of deaths)
    party_tables = {i + k for i in labelled for k in (1, 2) if i + k < len(lines) and "|" in lines[i + k]
                    and not lines[i].count("|") and all(not lines[m].strip() for m in range(i + 1, i + k))}
    labelled |= party_tables
    layout: list[tuple] = []
    i = 0
    while labelled and i < len(lines):
        header = _table_cells(lines[i]) if i in labelled and ("|" in lines[i] or "  " in lines[i]) else None
        # (a column's label, not a cell like "5 policemen killed")
        if header and i in party_tables and not any(death_rx.search(lowercase(c)) or strike_rx.search(lowercase(c)) for c in header):
            label = next((lines[k] for k in range(i - 1, max(-1, i - 3), -1) if lines[k].strip()), "")
            if _NOT_WAR_DEATHS_LABEL.search(label):
                i += 1
                continue  # ("Road deaths by town", "Deaths from COVID-19 by town": no one's killing)
            strikes = not death_rx.search(low_label := lowercase(label)) and strike_rx.search(low_label) is not None
            if _PARTY_ROWS_HEADER.fullmatch(header[0].strip()):
                # ("Civilian deaths by perpetrator" over "Perpetrator | Al-Mayadin | Deir ez-Zor
                # city", a row per party): read per cell, a party's deaths (or strikes) at a town
                rows = list(itertools.takewhile(lambda r: r[1] is not None and len(r[1]) == len(header),
                                                ((j, _table_cells(lines[j])) for j in range(i + 1, len(lines)))))
                if rows:
                    # (the rows are the killers under "Civilian deaths by perpetrator", the dead's own
                    # parties under "Combatants killed, by party")
                    killers = _CIVILIAN_LABEL.search(label) or _PERPETRATOR_LABEL.search(label) or _KILLINGS_BY_LABEL.search(label)
                    layout.append(("by_party", i, header, rows, "strikes" if strikes else ("killed_by" if killers else "killed")))
                    i += 1 + len(rows)
                    continue
            header = _party_death_header(header, actors, words, by_perpetrator=_BY_PERPETRATOR.search(label) is not None, strikes=strikes)
        if not header or not any(k > 0 and not _DIGIT.search(_HEADER_DATES.sub(" ", c)) and (death_rx.search(lowercase(c)) or strike_rx.search(lowercase(c))
                                                                   or _is_control_column(c, control_rx))
                                 for k, c in enumerate(header)):
            i += 1
            continue
        rows = []
        j = i + 1
        while j < len(lines):
            if _TABLE_RULE.match(lines[j]):
                j += 1
                continue
            cells = _table_cells(lines[j])
            if (cells is None or len(cells) < len(header)) and "|" in lines[j]:
                cells = _table_cells(lines[j], len(header))  # ("Khan Touman | 9 | 2 |": an empty notes cell)
            if cells is None or len(cells) != len(header):
                break
            rows.append((j, cells))
            j += 1
        if rows:
            layout.append(("table", i, header, rows))
            i = j
        else:
            i += 1
    for j in sorted(labelled):
        if (label := _LIST_LABEL_LINE.match(lines[j]) or _CAPS_LABEL_LINE.match(lines[j])) is not None and death_rx.search(lowercase(label.group("label"))):
            # (a list down the lines ends at its first other line: a blank, a total, a note)
            first = next((k for k in range(j + 1, min(j + 3, len(lines))) if lines[k].strip()), j + 1)  # (a blank line may follow the label)
            items = list(itertools.takewhile(lambda item: item[1] is not None and not _BARE_TOTAL.fullmatch(item[1].group("place")),
                                             ((k, _LEADER_ITEM.match(lines[k])) for k in range(first, len(lines)))))
            if len(items) >= 2:
                # (the label is the line's last sentence: "Government aircraft struck the enclave.
                # Deaths recorded on 20 February:" lists the strike's dead, not the government's)
                layout.append(("list", j, _SENTENCE_BREAK.split(label.group("label"))[-1], items))
            continue
        listed = _DEATHS_LIST_LINE.match(lines[j])
        if listed is None or not death_rx.search(lowercase(listed.group("label"))):
            continue
        items = [_PLACE_COUNT_ITEM.match(item) for item in re.split(r"[,;]", listed.group("items").rstrip(" ."))]
        if len(items) >= 2 and all(items):
            layout.append(("list", j, listed.group("label"), [(j, item) for item in items]))
    return layout


def _leader_count(item: re.Match, vague: dict[str, int]) -> int | None:
    """A list line's count: "41", "at least 150", "more than 60" (61, the codebook's lower
    bound), "dozens" (the vague-word table's)."""
    n = item.group("n").lower()
    if not n[0].isdigit():
        return vague.get(n)
    q = (item.groupdict().get("q") or "").lower()
    if q in ("nearly", "almost", "up to"):
        return None  # (only an upper bound: "nearly 50")
    return int(n.replace(",", "")) + (1 if q in ("more than", "over") else 0)


def _casualty_table_observations(report: Report, layout: list[tuple], lines: list[str], gaz, words, actors, text_mentions,
                                 context_admin1, ctx, told=(), vague=None) -> list[tuple[Observation, bool]]:
    """One killing (or strike) per row of a table's death (or strike) column, or per item of a
    list line, with its count, at its town (a province row at the province), dated by the
    time the lines above give (a list line's own first); `told`: the strikes and killings the
    report told in prose (a row restating a killing told, with its count, is that killing)."""
    told_dead = [o for o in told if o.indicator == "killing"]
    told = [o for o in told if o.indicator == "airstrike"]
    death_rx = _words_re(words, "table_death_headers", r"\b(?:@@)\b", lowered=True)
    strike_rx = _words_re(words, "table_strike_headers", r"\b(?:@@)\b", lowered=True)
    control_rx = _words_re(words, "table_control_headers", r"\b(?:@@)\b", lowered=True)
    offsets = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    out: list[tuple[Observation, bool]] = []
    for kind, i, header, rows in (t for t in layout if t[0] == "table"):
        # (the strikes a table counts are those of the striker named above it, not of one named later)
        ctx.striker = next((ctx.striker_by_line[k] for k in range(i, -1, -1) if ctx.striker_by_line.get(k)), ctx.striker)
        # ("Russian and Syrian government aircraft have carried out intensive air strikes ...
        # Town | Air strikes recorded (all parties)": a strike by each, their counts shared)
        joint = next((ctx.strikers_by_line[k] for k in range(i, -1, -1) if k in ctx.strikers_by_line), ())
        air_above = _AIR_WORD.search(lowercase(" ".join([report.title] + lines[max(0, i - 6):i]))) is not None
        readings = _table_column_readings(header, death_rx, strike_rx, words, actors, text_mentions, report, ctx, air_above,
                                          "\n".join(lines[max(0, i - 4):i]))
        above = _time_above(lines, i + 1, report.published)
        # ("Date | Location | Incident | Dead": the place and the day may stand in any column)
        # (a town's column before a province's: "Date | Province | Town / area | Incident | Killed")
        place_columns = [k for k, c in enumerate(header) if k not in readings and _PLACE_COLUMN.search(c)]
        at = next((k for k in place_columns if not _PROVINCE_COLUMN.search(header[k])), place_columns[0] if place_columns else 0)
        day = next((k for k, c in enumerate(header) if k not in readings and k != at and _DATE_COLUMN.fullmatch(c.strip())), None)
        by_province = bool(_PROVINCE_COLUMN.search(header[at]))
        notes = {k for k, c in enumerate(header) if _NOTES_COLUMN.fullmatch(c.strip())}
        perp_col = next((k for k, c in enumerate(header) if k not in readings and _PERPETRATOR_COLUMN.fullmatch(c.strip())), None)
        cause_col = next((k for k, c in enumerate(header) if k > 0 and k not in readings and _CAUSE_COLUMN.search(c)), None)
        # (rows of sides whose own dead are counted: not under "Civilians killed, by party responsible")
        above_label = next((line for line in reversed(lines[max(0, i - 2):i]) if line.strip()), "")  # (the label right above)
        sided = _SIDE_COLUMN.fullmatch(header[0].strip()) is not None and not place_columns
        civilians_counted = all(_CIVILIAN_LABEL.search(c) for c in header[1:]) or (
            _CIVILIAN_LABEL.search(above_label) and not _EXCLUDED.search(above_label))
        sides = sided and not civilians_counted and not _BY_PARTY_LABEL.search(above_label)  # (else the sides are the killers of civilians)
        if (_CAUSE_COLUMN.search(header[0]) or _DATE_COLUMN.fullmatch(header[0].strip()) or sided) and not _PLACE_COLUMN.search(header[at]):
            # "Cause | Deaths" rows of killers ("Coalition air strikes | 41"), or "Month | ..."
            # rows of times ("July 2017 | 830 | at least 210"), under a heading that names the
            # town ("Weekly civilian casualty tally — Raqqa city — 14 to 20 August", "RAQQA
            # CITY"): each row's dead at that town (a total row adds nothing)
            day = 0 if _DATE_COLUMN.fullmatch(header[0].strip()) else day
            heading = next((pl for line in reversed([x for x in lines[max(0, i - 6):i] if x.strip()][-4:])
                            if (pl := _table_place(line, False, gaz, words, context_admin1)) is not None), None)
            if heading is None and sided and ctx.focus is not None and ctx.focus.kind in ("town", "landmark"):
                heading = ctx.focus  # ("Side | Killed" rows of a report about Qamishli: each side's dead there)
            row_places = [heading if not _BARE_TOTAL.fullmatch(cells[0].strip()) else None for _j, cells in rows]
            at = None
        else:
            row_places = [_table_place(cells[at], by_province, gaz, words, context_admin1) for _j, cells in rows]
            if not by_province and _TOWN_COLUMN.search(header[at]) and any(p is not None and p.kind in ("town", "landmark") for p in row_places):
                # ("Teir Maalah | 6 | FSA fighters" among known towns under "Town": a village the
                # gazetteer lacks, kept by its name in its neighbours' province)
                province = gaz.admin1_place(next(p for p in row_places if p is not None and p.kind in ("town", "landmark")))
                row_places = [p if p is not None or not _TABLE_VILLAGE.fullmatch(cells[at].strip()) or _BARE_TOTAL.fullmatch(cells[at].strip())
                              or cells[at].strip().split()[0] in words["not_places"]
                              else (u.place if (u := _unlocated_place(cells[at].strip(), province, ctx)) is not None else None)
                              for p, (_j, cells) in zip(row_places, rows)]
        if at is not None and not by_province and None in row_places and _PLACE_COLUMN.search(header[at]):
            # ("Deir ez-Zor city and airport" over "Al-Hamidiya & Al-Ummal (IS) | Russian air
            # strikes | 11 civilians": the city's quarters, at the city the heading names; a row
            # it calls a village, "Al-Muraiya (IS-held village)", kept by its name)
            city_line = next(((line, pl) for line in [report.title] + [x for x in lines[max(0, i - 6):i] if x.strip()]
                              if (pl := _table_place(line, False, gaz, words, context_admin1)) is not None), (None, None))
            city = city_line[1] if not (city_line[0] and _COUNTRYSIDE_WORD.search(city_line[0])) else None  # (not "Idlib city and countryside")
            if city is not None and city.kind == "town" and (city.name in gaz.capitals.values() or (city.population or 0) >= 50000
                                                             or city.place_id in gaz.landmark_towns.values()):
                row_places = [p if p is not None or _BARE_TOTAL.fullmatch(cells[at].strip()) or not cells[at].strip()
                              or cells[at].strip().split()[0] in words["not_places"]
                              else ((u.place if (u := _unlocated_place(name.group(0), gaz.admin1_place(city), ctx)) is not None else None)
                                    if _VILLAGE_CELL.search(cells[at]) and (name := _TABLE_VILLAGE.match(cells[at].strip())) else city)
                              for p, (_j, cells) in zip(row_places, rows)]
        provinces = {p.admin1 for p in row_places if p is not None}
        # ("Date | Location | Taken by | From": who took each row's town, from whom)
        label_above = " ".join(x for x in lines[max(0, i - 3):i] if x.strip())
        taker_col = next((k for k, c in enumerate(header) if k > 0 and _is_control_column(c, control_rx)), None) \
            if not _ABDUCTION_LABEL.search(label_above) else None
        if taker_col is not None and _PEOPLE_COLUMN.search(header[taker_col - 1]):
            taker_col = None  # ("Victims | Taken by": people abducted, no town taken; not "Taken by | People displaced")
        loser_col = next((k for k, c in enumerate(header) if k > 0 and k != taker_col and _LOSER_COLUMN.fullmatch(c.strip())), None)
        # ("Turkish drone and air strikes in Sinjar district, 2022" over "Date | Location | Target
        # | Dead": each row is a strike of the striker the heading names, though no column counts them)
        above_text = lowercase(" ".join(x for x in lines[max(0, i - 6):i] if x.strip() and not x.rstrip().endswith((".", ":"))))  # (headings, not sentences)
        row_strikers = (joint or ((ctx.striker,) if ctx.striker and ctx.striker != "unknown" else ())) \
            if not any(r[0] == "airstrike" for r in readings.values()) and day is not None and strike_rx.search(above_text) \
            and "hunger strike" not in above_text and not any(_CAUSE_COLUMN.search(c) for c in header) else ()
        for (j, cells), place in zip(rows, row_places):
            if place is None and at is not None and _BARE_TOTAL.fullmatch(cells[at].strip()) and len(provinces) == 1:
                # ("TOTAL | 22 | 14" under towns of one province: the province's count)
                place = gaz.admin1_place(next(p for p in row_places if p is not None))
            if place is None:
                continue
            when = (_cell_time(cells[day], report.published) if day is not None else None) or above
            if taker_col is not None:
                losers = [_group_code(m.value, ctx) for m in actors.find(cells[loser_col])] if loser_col is not None else []
                loser = next((v for v in losers if v and v != "unknown"), None)
                takers = dict.fromkeys(v for m in actors.find(cells[taker_col]) if (v := _group_code(m.value, ctx)) and v not in ("unknown", loser))
                out.extend((_table_observation(report, ("control_change", "captured", taker, loser), place, when, None, lines[j], offsets[j], cells[taker_col]),
                            when is not None) for taker in takers)
            out.extend((_table_observation(report, ("airstrike", "strike", striker, None), place, when, None, lines[j], offsets[j], cells[at or 0]),
                        when is not None) for striker in row_strikers)
            struck_here = set()
            if cause_col is not None and _AIR_STRIKE_CAUSE.search(cells[cause_col]):
                # ("28 Apr | Surgical hospital | Kafr Nabl | Airstrike - GoS aircraft | 0": a strike
                # on the row's town, whether or not it killed anyone)
                struck_here = set(dict.fromkeys(v for m in actors.find(cells[cause_col])
                                                if (v := _group_code(m.value, ctx)) in AIR_FORCES and v != "unknown"))
                out.extend((_table_observation(report, ("airstrike", "strike", striker, None), place, when, None, lines[j], offsets[j], cells[cause_col]),
                            when is not None) for striker in struck_here)
            rest = " ; ".join(c for k, c in enumerate(cells) if k not in (at, day) and k not in readings and not _TABLE_COUNT.fullmatch(c)
                              and k not in notes)  # (not "taken by GoS forces, 12 Nov" in a notes column)
            summed = at is not None and re.search(r"\btotals?\b", cells[at], re.IGNORECASE) is not None
            party_col = next((k for k, c in enumerate(header) if _PARTY_HEADER.fullmatch(c.strip())), None)
            for col, (indicator, change, actor, counterpart, guessed) in readings.items():
                if summed and indicator == "airstrike":
                    continue  # a total of the strikes counted by town adds no strike of the province's (the dev gold's d09)
                for count, counted in (_cell_counts(cells[col], actors, vague or {}) if indicator == "killing" else [_cell_count(cells[col])]):
                    if count is None:
                        continue
                    row_change, row_actor, row_counterpart = change, actor, counterpart
                    if indicator == "killing" and guessed and change == "killed_by":
                        # (the dead of the strikes the report told at the row's town, or of the killers it told across the province)
                        row_actor = _striker_at(told, place) or _killer_told_in(told_dead, place) or actor
                    if indicator == "killing":
                        # (a cell's own words say whose dead first: "27 IS fighters", "6 civilians", "11 IS, 4 SDF")
                        said = f"{counted} ; {rest}" if counted else rest
                        if sided and not sides:
                            said = f"civilians ; {said}"  # (under "Civilians killed, by party responsible": each row's side killed them)
                        row_change, row_actor, row_counterpart = _row_dead(said, row_change, row_actor,
                                                                           row_counterpart, actors, ctx, side_rows=sides and not counted)
                        party = next((v for m in actors.find(cells[party_col]) if (v := _group_code(m.value, ctx)) not in (None, "unknown")), None) \
                            if party_col is not None and not counted and not sides and not _NOT_OWN_DEAD_HEADER.search(header[col]) \
                            and not _KILLINGS_BY_PARTY_ABOVE.search(lowercase(" ".join(lines[max(0, i - 3):i]))) else None  # (not under "Killings by party")
                        if party is not None:
                            # ("| Party | Killed |" over "| IS | 71 |": each party's own dead)
                            row_change, row_actor, row_counterpart = "killed", party, None
                        killer = next((v for m in actors.find(cells[perp_col]) if (v := _group_code(m.value, ctx))), None) if perp_col is not None else None
                        if killer is not None and _NOT_OWN_DEAD_HEADER.search(header[col]):
                            row_change, row_actor, row_counterpart = "killed_by", killer, None  # ("Perpetrator | Civilians killed" over "Russian forces | 41")
                        elif killer is not None and row_change == "killed_by":
                            row_actor = killer  # ("civilians | artillery shelling | government forces" under "Party responsible")
                        elif killer is not None and killer != row_actor:
                            row_counterpart = killer
                        if row_actor == "unknown" and row_change == "killed":
                            continue
                        if when is not None and any(o.place_id == place.place_id and o.quantity_low == count and o.date_start <= when.end
                                                    and when.start <= o.date_end and (row_change != "killed" or o.actor == "unknown" or (
                                                        o.change == "killed" and (o.actor == row_actor or any(o.actor in b and row_actor in b for b in ctx.blocs))))
                                                    for o in told_dead):  # (not the prose's three IS dead for the row's three SDF dead; but the army's for the PMF's)
                            continue  # ("16 Aug | Marea (market) | Shelling | 2" after the prose's two killed in Marea that day)
                    else:  # ("Kafr Nabl | 14 | Russian": the row's aircraft are the strikers)
                        # (only an air force strikes, and none named under "Reported result" or "Target":
                        # "ISIL tactical unit", "pro-regime tank" are what was hit)
                        by = " ; ".join(c for k, c in enumerate(cells) if k not in (at, day) and k not in readings and k not in notes
                                        and not _TABLE_COUNT.fullmatch(c) and not _RESULT_COLUMN.search(header[k]))
                        named = [m for m in actors.find(by) if m.value != "unknown" and _group_code(m.value, ctx) in AIR_FORCES] if by else []
                        row_actor = _group_code(named[0].value, ctx) if named else actor
                        if not named and guessed and len(joint) > 1:
                            out.extend((_table_observation(report, (indicator, row_change, striker, row_counterpart), place, when, None,
                                                           lines[j], offsets[j], cells[col]), when is not None) for striker in joint)
                            continue
                    out.append((_table_observation(report, (indicator, row_change, row_actor, row_counterpart), place, when, count,
                                                   lines[j], offsets[j], cells[col]), when is not None))
                    if indicator == "killing" and row_change == "killed_by" and row_actor in AIR_FORCES and row_actor != "unknown" \
                            and cause_col is not None and _AIR_STRIKE_CAUSE.search(cells[cause_col]) and row_actor not in struck_here \
                            and not any(o.place_id == place.place_id and o.actor == row_actor for o in told):
                        # ("Talbiseh | 11 | civilians | air strikes | Russian air force": the strikes that killed them)
                        out.append((_table_observation(report, ("airstrike", "strike", row_actor, None), place, when, None,
                                                       lines[j], offsets[j], cells[cause_col]), when is not None))
    for _kind, i, header, rows, reading in (t for t in layout if t[0] == "by_party"):
        towns = [_table_place(c, False, gaz, words, context_admin1) for c in header]
        when = _heading_time(lines[max(0, i - 1)], report.published) or _time_above(lines, i, report.published)
        for j, cells in rows:
            found = [m.value for m in actors.find(cells[0])]
            party = next((_group_code(v, ctx) for v in found if v != "unknown"), None)
            if party is None and reading == "killed_by" and (found or _UNKNOWN_ROW.match(cells[0])):
                party = "unknown"  # ("Unknown gunmen | 4 | 2", "Other / unidentified | 1 | 0": civilians killed by unknown hands)
            if party is None:
                continue
            for k in range(1, len(cells)):
                count = _cell_count(cells[k])[0] if towns[k] is not None else None
                if not count:
                    continue
                what = ("airstrike", "strike", party, None) if reading == "strikes" else ("killing", reading, party, None)
                out.append((_table_observation(report, what, towns[k], when, count, lines[j], offsets[j], cells[k]), when is not None))
    for kind, j, dated_label, items in (t for t in layout if t[0] == "list"):
        label = _DIGIT.sub("", dated_label)  # (a label's numbers are its date's, no party's count)
        readings = _table_column_readings(["", label], death_rx, strike_rx, words, actors, text_mentions, report, ctx, air_above=True)
        if 1 not in readings:
            continue
        indicator, change, actor, counterpart, guessed = readings[1]
        if indicator == "killing" and _WOUNDED_LABEL.search(label) and not _EXCLUDED.search(label):
            continue  # ("CASUALTIES (KILLED AND WOUNDED), 18-20 FEB" over "Hamouriyeh ... 141": not a count of the dead)
        when = _heading_time(dated_label, report.published) or _time_above(lines, j, report.published)
        # (not under "Killed and wounded in X:", whose counts hold the wounded too)
        label_place = _table_place(label, False, gaz, words, context_admin1) if indicator == "killing" and not _WOUNDED_LABEL.search(label) else None
        # ("Fighting ... in the eastern Deir ez-Zor countryside" over "TOLL SINCE 27 AUGUST:" and
        # its parties' lines: the place the lines above name, for a label that names none)
        party_place = label_place or (next((pl for line in [x for x in lines[max(0, j - 4):j] if x.strip()][::-1] + [report.title]
                                            if (pl := _table_place(line, False, gaz, words, context_admin1)) is not None), None)
                                      if indicator == "killing" and not _WOUNDED_LABEL.search(label) else None)
        after = items[-1][0] + 1 if items else None
        last = _TOTAL_LINE.match(lines[after]) if after is not None and after < len(lines) and items[-1][0] != j else None
        listed = items + ([(after, last)] if last is not None else [])
        killers, provinces, total = set(), set(), None
        for k, item in listed:
            if _TOTAL_ITEM.match(item.group("place")) and label_place is None:
                total = (k, item)  # ("TOTAL (whole enclave) . 127": read after the towns)
                continue
            place = _table_place(item.group("place"), False, gaz, words, context_admin1)
            if place is None and party_place is not None:
                # "CASUALTIES in and around Kobani since 16 September:" over "IS fighters ..... 219",
                # "Civilians ...... 20": each party's dead (the civilians' by whom the line or the
                # label names) at the label's town
                reading = _party_item_reading(item.group("place"), actors, words, ctx, actor)
                if reading is not None:
                    out.append((_table_observation(report, ("killing", *reading), party_place, when,
                                                   _leader_count(item, vague or {}), lines[k], offsets[k], item.group(0).strip()),
                                when is not None))
                continue
            if place is None:
                continue
            killer = (_striker_at(list(told) + [o for o, _e in out if o.indicator == "airstrike"], place) or actor) \
                if guessed and change == "killed_by" else actor  # (the strikes told at the town, in prose or a table)
            named_killer = next((m.value for m in actors.find(item.group("by"))), None) \
                if change == "killed_by" and "by" in item.groupdict() and item.group("by") else None
            killer = named_killer or killer  # ("Al-Susah ..... 9 ... IS (sniper fire)": the killers the line names)
            killers.add(killer)
            provinces.add(place.admin1)
            out.append((_table_observation(report, (indicator, change, killer, counterpart), place, when,
                                           _leader_count(item, vague or {}), lines[k], offsets[k], item.group(0).strip()),
                        when is not None))
            if indicator == "killing" and change == "killed_by" and killer != "unknown" and any(
                    o.manner == "airstrike" and o.actor == killer and o.change == "killed_by" and o.admin1 == place.admin1 for o in told_dead) \
                    and not any(o.place_id == place.place_id and o.actor == killer for o in told):
                # ("Warplanes and helicopters of the Assad regime killed at least 106 civilians
                # across Eastern Ghouta" over "Martyrs by town: Hamouriyeh ... 23": each town's dead
                # are of strikes on it)
                out.append((_table_observation(report, ("airstrike", "strike", killer, None), place, when, None,
                                               lines[k], offsets[k], item.group(0).strip()), when is not None))
        province = gaz.admin1_place(next(p for o, _e in out if (p := gaz.places.get(o.place_id)) is not None and p.admin1 in provinces)) \
            if total is not None and len(provinces) == 1 and len(killers) == 1 and indicator == "killing" else None
        if province is not None:
            # (the towns' total, all in one province: the province's count, beside the towns' own)
            k, item = total
            out.append((_table_observation(report, (indicator, change, killers.pop(), counterpart), province, when,
                                           _leader_count(item, vague or {}), lines[k], offsets[k], item.group(0).strip()), when is not None))
    return out


_COUNTRYSIDE_WORD = re.compile(r"\b(?:countryside|province|governorate|villages|rural|outskirts|surroundings)\b", re.IGNORECASE)
_VILLAGE_CELL = re.compile(r"\bvillage\b", re.IGNORECASE)
_TOWN_COLUMN = re.compile(r"\b(?:town|village|locality|location|place|community|communities)s?\b", re.IGNORECASE)
_TABLE_VILLAGE = re.compile(r"(?:[a-z]{1,3}-)?[A-Z][\w’'-]+(?:\s+(?:[a-z]{1,3}-)?[A-Z][\w’'-]+){0,2}")
_AIR_STRIKE_CAUSE = re.compile(r"\b(?:air\s?strikes?|air raids?|barrel bombs?|drone strikes?|bombing raids?|aerial bombardment)\b", re.IGNORECASE)
_PERPETRATOR_COLUMN = re.compile(r"(?:party\s+)?(?:responsible(?:\s+party)?|perpetrators?|killed\s+by|by|attributed\s+to|suspected\s+perpetrators?|alleged\s+perpetrators?)", re.IGNORECASE)
_WOUNDED_LABEL = re.compile(r"\b(?:wounded|injured|injuries)\b", re.IGNORECASE)
_SUB_COUNT_ITEM = re.compile(r"\b(?:among them|of them|of whom)\b", re.IGNORECASE)
_CIVILIAN_IN_ITEM = re.compile(r"\b(?:civilians?|residents|children)\b", re.IGNORECASE)  # (not "YPJ (Women's Protection Units)")
_CIVILIAN_ITEM = re.compile(r"\s*(?:civilians?|residents|people|children|women)\b", re.IGNORECASE)


_TRIBAL_FIGHTERS = re.compile(r"(?:sunni\s+|arab\s+)?tribal\s+fighters?", re.IGNORECASE)


def _tribal_in_syria(m: Mention, ctx) -> Mention:
    """"Tribal fighters" are Iraq's forces' Sunni allies in Iraq; in a report about Syria
    (the Arab tribes against the SDF in 2023) they are no codebook group."""
    return replace(m, value="unknown") if m.value == "iraqi_forces" and ctx.country == "Syria" and _TRIBAL_FIGHTERS.fullmatch(m.text) else m


def _party_item_reading(cell: str, actors, words, ctx, label_actor) -> tuple | None:
    """A death list's line that names a party ("IS fighters", "YPG and allied fighters": its
    dead) or civilians ("Civilians killed by IS shelling": killed by whom it names, else by
    whom the label does): (change, actor, counterpart); None for any other line, and for a
    part of another line's count ("Children among them: 5")."""
    if _SUB_COUNT_ITEM.search(cell):
        return None
    found = [_tribal_in_syria(m, ctx) for m in actors.find(cell)]
    named = [m for m in found if m.value not in ("unknown", "national_forces") or (m.value == "national_forces" and ctx.country)]
    if not named and found and found[0].start <= 2 and _TRIBAL_FIGHTERS.fullmatch(found[0].text) and not _CIVILIAN_IN_ITEM.search(cell):
        return ("killed", "unknown", None)  # ("Tribal fighters: 29" in Syria: a party of no codebook group)
    if _CIVILIAN_ITEM.match(cell):
        killer = next((_group_code(m.value, ctx) for m in named), None) or label_actor or "unknown"
        return ("killed_by", killer, None)
    if not named or named[0].start > 2 or len({m.value for m in named}) > 1 or _CIVILIAN_IN_ITEM.search(cell):
        return None  # (a party's dead only when the line starts with one party's name, and no civilians: "SDF fighters and civilians")
    return ("killed", _group_code(named[0].value, ctx), None)


_BARE_MONTH_CELL = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?(?:\s+\d{4})?", re.IGNORECASE)
_NUMERIC_DATE_CELL = re.compile(r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})(?:[/.](?P<y>\d{2}|\d{4}))?")


def _cell_time(cell: str, published: date):
    """A date cell's day: "24 Jul", "Mon 3 Nov", or a numeric "07/06"."""
    when = _heading_time(cell, published)
    if when is None and _BARE_MONTH_CELL.fullmatch(cell.strip()):
        when = _heading_time("in " + cell.strip(), published)  # (a "Month" column's "January": that month, the latest before the report)
    numeric = _NUMERIC_DATE_CELL.fullmatch(cell.strip()) if when is None else None
    day = _numeric_day(numeric, published) if numeric else None
    return TimeExpression(day, day, "day", 0, len(cell), cell) if day else when


def _table_place(cell: str, by_province: bool, gaz, words, context_admin1) -> Place | None:
    """The town a table row's (or list item's) place cell names; the province for a province
    row ("Idlib (all areas)", "Homs (east)" under "Governorate"); a landmark's town."""
    names = rank_place_names(find_place_names(cell, gaz, words), gaz, context_admin1)
    if context_admin1:
        # ("Herbel" in a table of villages north of Aleppo: not a near-spelling of Erbil in Iraq)
        countries = {gaz.places[gaz.admin1_ids[a]].country for a in context_admin1 if a in gaz.admin1_ids}
        names = [p for p in names if not (p.fuzzy and p.place.country not in countries)]
    places = [p.place for p in names if p.place.kind in ("town", "landmark", "admin1")]
    if by_province or _TOTAL_ROW.search(cell):
        places = [gaz.admin1_place(p) if p.kind != "admin1" else p for p in places]
    places = [p for p in places if p is not None]
    # ("Al-Hamidiya & Al-Ummal (IS)" in a Deir ez-Zor table: the city's quarter, not a village
    # of that name in Tartus)
    place = next((p for p in places if p.place_id in gaz.landmark_towns and p.admin1 in context_admin1), None) \
        if places and places[0].admin1 not in context_admin1 else None
    place = place or next(iter(places), None)
    if place is not None and place.kind == "landmark" and place.place_id in gaz.landmark_towns:
        place = gaz.places[gaz.landmark_towns[place.place_id]]
    return place


_PUBLISHED_STAMP = re.compile(r"\s*(?:published|posted|updated|last updated|issued|released)\s*(?:on\s*)?:", re.IGNORECASE)


def _time_above(lines: list[str], j: int, published: date):
    """A table's time: the nearest of the four lines above line `j` that gives one ("Results of
    the clashes in the past 24 hours:", "Period: Saturday 15 May - Friday 21 May 2021")."""
    above = [line for line in lines[max(0, j - 7):j] if line.strip()][-4:]
    for line in reversed(above):
        if _PUBLISHED_STAMP.match(line):
            continue  # ("Published: 5 March 2018" under "Reporting period: last week (...)": the page's day, not the table's)
        t = _heading_time(line, published)
        if t is not None:
            # ("Since the wave of assassinations began on 26 April, ... 170 killed:": from then to the report)
            return replace(t, end=published) if _SINCE_WORD.match(line) and t.end < published else t
    return None


def _table_observation(report: Report, reading: tuple, place: Place, when, count: int, line: str, line_start: int,
                       cell: str) -> Observation:
    """One killing or strike a table row (or a list line's item) tells: its count, at its town,
    over the table's time (else the report's day); the row is the evidence, the cell the trigger."""
    indicator, change, actor, counterpart = reading
    d0, d1, prec = (when.start, min(when.end, report.published), when.precision) if when else (report.published, report.published, "day")
    at = line_start + line.find(cell)
    return Observation(
        report_id=report.report_id, indicator=indicator, change=change, actor=actor,
        counterpart=None if counterpart == actor else counterpart, manner="unknown" if indicator == "killing" else None,
        place_id=place.place_id, place_name=place.name, admin1=place.admin1 if place.kind != "country" else None,
        country=place.country, latitude=place.latitude, longitude=place.longitude,
        place_precision=place.precision, origin_place_id=None, destination_place_id=None,
        origin_name=None, destination_name=None, date_start=d0, date_end=d1, date_precision=prec,
        quantity_low=count, quantity_high=count, unit="people" if indicator == "killing" else "strikes",
        hedged=False, negated=False, attribution=None,
        sentence=line.strip(), span_start=line_start, span_end=line_start + len(line),
        trigger=cell, trigger_start=at, trigger_end=at + len(cell), confidence=0.75)


def _table_column_readings(header, death_rx, strike_rx, words, actors, text_mentions, report, ctx, air_above: bool, above: str = "") -> dict[int, tuple]:
    """What each counting column of a table's header says: {column: (indicator, change, actor,
    counterpart)}. Whose dead: the group the header names ("Killed in IS attacks": killed by
    IS; "IS killed", "Gov't & allied killed": their dead), the report's own side ("Our
    martyrs", the title's group) or its enemy ("Enemy killed"), else people killed by whom the
    report attributes the deaths to, the party whose strikes it told, or the party the other
    columns count. Whose strikes: the party the header names ("Russian air strikes")."""
    own_words, enemy_words = _word_set(words, "table_own_dead"), _word_set(words, "table_enemy_dead")
    sides = [m.value for m in text_mentions if m.value not in ("unknown", "national_forces")]
    issuer = ctx.issuer
    enemy = next((v for v in sides if v != issuer), None)
    labels = {k: c for k, c in enumerate(header) if k > 0 and not _DIGIT.search(_HEADER_DATES.sub(" ", c))}  # (labels, not "5 policemen killed")
    deaths = [k for k, c in labels.items() if death_rx.search(lowercase(c))]
    # (a bare "Raids" column counts strikes only under words of the air, and never beside the
    # detained: "Security raids by the SDF ... Town | Raids | Detained")
    ground = _DETAINED_COLUMN.search(" | ".join(header)) is not None
    strikes = [k for k, c in labels.items() if strike_rx.search(lowercase(c)) and k not in deaths
               and not (lowercase(c).strip() == "raids" and (ground or not air_above))]
    readings: dict[int, tuple] = {}
    other_heads = [m for k, c in labels.items() if k not in deaths
                   for m in actors.find(c) if m.value not in ("unknown", "national_forces")]
    for col in strikes:
        named = [m for m in actors.find(header[col]) if m.value != "unknown" and _group_code(m.value, ctx)]
        striker = _group_code(named[0].value, ctx) if named else ctx.striker  # (or the row's: "Kafr Nabl | 14 | Russian")
        readings[col] = ("airstrike", "strike", striker or "unknown", None, not named)
    for col in deaths:
        head = header[col]
        head_words = set(lowercase(head).split())
        named = [m for m in actors.find(head) if m.value != "unknown" and _group_code(m.value, ctx)]
        if head_words & own_words and issuer:
            readings[col] = ("killing", "killed", issuer, enemy, False)
        elif head_words & enemy_words and enemy:
            readings[col] = ("killing", "killed", enemy, issuer, False)
        elif named and (_BY_GROUP_BEFORE.search(head, 0, named[0].start) or "civilian" in head.lower()):
            # ("Killed in IS attacks", "Civilian deaths (coalition)": the dead of the group's doing)
            readings[col] = ("killing", "killed_by", _group_code(named[0].value, ctx), None, False)
        elif named:
            readings[col] = ("killing", "killed", _group_code(named[0].value, ctx), None, False)
        else:
            # people killed ("Partners attribute the deaths to government and Russian forces")
            attributed = _DEATHS_ATTRIBUTED_TO.search(report.text)
            first = next((m for m in text_mentions if attributed and attributed.end() <= m.start <= attributed.end() + 5), None)
            by_above = _KILLINGS_BY_ABOVE.search(above) if first is None and above else None
            if by_above is not None:
                # ("1. EXECUTIONS BY ISIS" over "Town | Executed": the heading's killers)
                first = next((m for m in actors.find(above[by_above.end():by_above.end() + 40]) if m.value not in ("unknown", "national_forces")), None)
            struck = next((readings[k][2] for k in strikes if readings[k][2] != "unknown"), None) \
                if first is None and strike_rx.search(lowercase(head)) else None  # ("Civilians killed in these strikes": the column's striker)
            killer = (_group_code(first.value, ctx) if first else None) or struck or ctx.striker \
                or (other_heads[0].value if other_heads else "unknown")
            readings[col] = ("killing", "killed_by", killer, None, first is None and struck is None)
    return readings


_KILLINGS_BY_PARTY_ABOVE = re.compile(r"\bkillings?\s+by\b|\bby\s+(?:party|perpetrator)\b|responsib|perpetrat|caused\s+by")
_NOT_OWN_DEAD_HEADER = re.compile(r"civilian|people|resident|children|women|by\b|caused|responsib", re.IGNORECASE)  # ("Side | Civilians killed": those the side killed)
_PARTY_HEADER = re.compile(r"(?:party|side|group|faction|force|combatants?)s?", re.IGNORECASE)
_KILLINGS_BY_ABOVE = re.compile(r"\b(?:executions?|killings?|killed|executed|murders?)\s+(?:carried\s+out\s+|committed\s+)?by\s+(?:the\s+)?"
                                r"|\b(?:deaths?|killed|dead|casualties|victims)\b[^()\n]{0,40}\(\s*(?!(?:excluding|not including|except|other than|without|apart from|besides)\b)"
                                r"(?=[^()\n]{0,60}\b(?:bombardment|bombing|shelling|strikes?|raids?|attacks?|fire)\b)"
                                r"|\b(?:deaths?|killed|dead|casualties|fatalities)\s+in\s+(?=\S{2,30}?(?:-(?:attributed|claimed|linked|led))?\s+(?:attacks|bombings|ambushes|raids|operations)\b)", re.IGNORECASE)  # ("Civilian deaths by town (regime and Russian bombardment)", "Deaths in IS-attributed attacks, by district")


def _striker_at(told, place) -> str | None:
    """The one party the report said struck this place, if one."""
    strikers = {o.actor for o in told if o.place_id == place.place_id and o.actor != "unknown"}
    return strikers.pop() if len(strikers) == 1 else None


def _killer_told_in(told_dead, place) -> str | None:
    """The one party the report said killed people at this place or across its province
    ("Islamic State remnants killed 21 people across the governorate" over a table of each
    area's dead)."""
    killers = {o.actor for o in told_dead if o.change == "killed_by" and (
        o.place_id == place.place_id or (o.place_precision == "admin1" and o.admin1 == place.admin1))}
    # (not when the report also told killings there by unknown men: "31 people killed in
    # assassinations by unidentified gunmen across Daraa governorate", and three who died in
    # Military Security custody in Daraa city, over a table of assassinations by town)
    return killers.pop() if len(killers) == 1 and "unknown" not in killers else None


_MILITIA_FIGHTERS = re.compile(r"\s*(?:pro-government\s+|allied\s+)?(?:militia|militiamen)\b", re.IGNORECASE)  # ("Iran-backed militia" is a group of actors.csv)


def _row_dead(rest: str, change, actor, counterpart, actors, ctx, side_rows: bool = False) -> tuple:
    """A row's own word on whose dead its count is ("regime forces / NDF | 36", "Russian
    airstrikes (ISIS members) | 3") or who killed them ("civilians | Russian airstrikes");
    `side_rows`: the rows name the sides whose dead they count ("Side | Killed")."""
    found = actors.find(rest) if rest else []
    groups = [m for m in found if m.value != "unknown"]
    if not groups and ctx.militia and _MILITIA_FIGHTERS.match(rest or ""):
        return "killed", ctx.militia, (actor if change == "killed_by" and actor != "unknown" else counterpart)  # "22 militia fighters": the report's militia
    if groups:
        victims = next((m for m in groups if _TABLE_VICTIM_NOUN.search(m.text) or _TABLE_VICTIM_NOUN.match(rest, m.end)), None) \
            or (groups[0] if _FORMER_COMBATANTS.match(rest) or (side_rows and "civilian" not in rest.lower()) else None)
        killers = [m for m in groups if m is not victims]
        if victims is not None and "civilian" not in rest.lower():
            return "killed", _group_code(victims.value, ctx) or "unknown", (_group_code(killers[0].value, ctx) if killers else None)
        if killers:
            return "killed_by", _group_code(killers[0].value, ctx) or "unknown", None
    elif rest and change == "killed_by" and actor == "unknown" and ctx.striker and _AIR_WORD.search(lowercase(rest)):
        return change, ctx.striker, counterpart  # "civilians (air raids)" in a report whose strikes it told
    elif change == "killed_by" and (found or re.search(r"\bunknown\b", rest or "", re.IGNORECASE)):
        return change, "unknown", counterpart  # "Gunmen shoot farmers in orchard | 3 civilians | unknown": nobody named
    return change, actor, counterpart


_CELL_COUNT = re.compile(r"(?:(?P<q>about|around|some|approximately|approx\.?|at least|over|more than|nearly|almost)\s+)?(?P<n>\d{1,3}(?:,\d{3})+|\d+)\+?"
                         r"(?:\s+(?P<counted>(?:[a-z][\w’'-]*\s+){0,2}(?:people|persons|civilians|children|women|men|fighters|members|militants|soldiers|troops|"
                         r"policemen|police|officers|personnel|militiamen|jihadists|rebels|combatants|dead|killed)))?", re.IGNORECASE)


def _cell_counts(cell: str, actors, vague: dict[str, int] | None = None) -> list[tuple[int | None, str]]:
    """A deaths cell's counts: one ("at least 50 soldiers"), or one per group it lists
    ("11 IS, 4 SDF", each "N group"; "27 IS"), or a vague word's ("dozens": the codebook's 24)."""
    if vague and cell.strip().lower() in vague:
        return [(vague[cell.strip().lower()], "")]
    one = _cell_count(cell)
    bare = " ".join(_PARENTHESES.sub(" ", cell).split())  # ("5 IS (MoD claim)": the note aside)
    if one[0] is not None or not _LISTED_COUNTS.fullmatch(bare):
        return [one]
    parts = []
    for part in _LISTED_COUNT_SPLIT.split(bare):
        n, _, words = part.strip().partition(" ")
        if not n.isdigit() or not any(m.value != "unknown" for m in actors.find(words)):
            return [one]
        parts.append((int(n), f"{words} members"))
    return parts


_LISTED_COUNTS = re.compile(r"\d+\s+[^\d,;]{1,30}(?:(?:,|;|\band\b)\s*\d+\s+[^\d,;]{1,30})*")
_LISTED_COUNT_SPLIT = re.compile(r"\s*(?:,|;|\band\b)\s*")


_TRAILING_ASIDE = re.compile(r"\s*\([^()]*\)$|,?\s+(?:incl\.?|including|among them|of whom|of them)\s[^()]*$")  # ("22 militia fighters (Afghan and Iraqi)", "11 civilians, incl. 4 children")


def _cell_count(cell: str) -> tuple[int | None, str]:
    """A table cell's count ("36", "about 60", "more than 30"; codebook reading) and the words
    naming whom it counts ("at least 50 soldiers", "27 IS fighters"); None for "-", "0",
    "n/a" or a cell that is no count."""
    m = _CELL_COUNT.fullmatch(cell.strip()) or _CELL_COUNT.fullmatch(_TRAILING_ASIDE.sub("", cell.strip()))  # ("22 militia fighters (Afghan and Iraqi)")
    if not m:
        return None, ""
    n = int(m.group("n").replace(",", ""))
    q = (m.group("q") or "").lower()
    if n == 0 or q in ("nearly", "almost"):
        return None, ""
    return (n + 1 if q in ("over", "more than") else n), m.group("counted") or ""


def _without_restated_highlights(raw: list[tuple[Observation, bool]], in_highlights: set[int],
                                 undated_copies: frozenset | set = frozenset()) -> list[tuple[Observation, bool]]:
    """A sitrep's "KEY DEVELOPMENTS" restate items told below, often with the report's date and
    a different name for the place ("Wadi al-Shay (Kirkuk)" / "south of Kirkuk city"): a
    highlight with a twin in the body (same indicator, change, group, province, within a day)
    is that item, not another. A highlight the body does not repeat stays. An undated copy of
    the headline ("Two Peshmerga killed in IS attack north of Khanaqin", on the report's day)
    is the story's event told within a week of it."""
    body = [o for i, (o, _e) in enumerate(raw) if i not in in_highlights]

    def twin(h: Observation, days: int) -> bool:
        return any(b.indicator == h.indicator and b.change == h.change and b.actor == h.actor and b.negated == h.negated
                   and (b.admin1 or b.place_name) == (h.admin1 or h.place_name)
                   and b.date_start is not None and h.date_start is not None and abs((b.date_start - h.date_start).days) <= days
                   for b in body)
    return [(o, e) for i, (o, e) in enumerate(raw) if i not in in_highlights or not twin(o, STORY_DAYS if i in undated_copies else 1)]


LOSS_TOLD_DAYS = 7  # a loss this close to a capture of the same town is that change of hands


def _drop_told_losses(obs: list[Observation]) -> list[Observation]:
    """"Safira was lost because the brigades were fighting each other", in a report that tells
    the army took Safira: one change of hands, and `lost` is only for one whose gainer is not
    named (codebook)."""
    captures = [o for o in obs if o.indicator == "control_change" and o.change == "captured" and not o.negated and o.place_id]
    if not captures:
        return obs
    return [o for o in obs if not (
        o.indicator == "control_change" and o.change == "lost" and not o.negated and any(
            c.place_id == o.place_id and c.actor != o.actor and c.date_start is not None and o.date_start is not None
            and c.date_start - timedelta(days=LOSS_TOLD_DAYS) <= o.date_end and o.date_start <= c.date_end + timedelta(days=LOSS_TOLD_DAYS)
            for c in captures))]


def _drop_general_strikes(obs: list[Observation], areas: set[tuple[int, str]]) -> list[Observation]:
    """"Russian jets struck towns in Idlib and Homs provinces" followed by the towns struck:
    the general sentence adds no province-level strike of its own (but a town's countryside,
    `areas` by sentence start and province, is a place struck of its own)."""
    # (a town struck in another province does not make a province's strikes general: "the regime
    # struck western Aleppo ... and Wadi Barada near Damascus")
    town_provinces = {(o.actor, o.admin1) for o in obs if o.indicator == "airstrike" and o.place_precision == "town"}
    town_strikers = {actor for actor, _province in town_provinces}
    town_countries = {(o.actor, o.country) for o in obs if o.indicator == "airstrike" and o.place_precision == "town"}
    return [o for o in obs if not (o.indicator == "airstrike" and o.quantity_low is None and (o.span_start, o.place_id) not in areas  # (a counted province total stays)
                                   and ((o.place_precision == "admin1" and (o.actor, o.admin1) in town_provinces)
                                        or (o.place_precision == "country" and o.actor in town_strikers)))
            and not (o.indicator == "airstrike" and o.place_precision == "country" and (o.actor, o.country) in town_countries)]
    # ("18 airstrikes were conducted in Iraq" above the towns struck: a release's total, no strike of its own)


_ACTOR_FINDERS: dict[int, _ActorFinder] = {}


def _actor_finder(ref: Reference, published: date | None = None):
    # Compiled once per reference object (reference data is immutable after loading).
    key = id(ref.actor_aliases)
    if key not in _ACTOR_FINDERS:
        _ACTOR_FINDERS[key] = _ActorFinder(ref.actor_aliases, ref.lexicon.actor_adjectives,
                                           ref.lexicon.words.get("military_nouns", ()))
    finder = _ACTOR_FINDERS[key]
    dated = {a: actor for a, (actor, until) in ref.dated_actor_aliases.items() if published is not None and published.year < until}
    finder = _DatedActorFinder(finder, dated) if dated else finder
    return _AfterAssadFinder(finder) if published is not None and published >= ASSAD_FELL else finder


ASSAD_FELL = date(2024, 12, 8)
# After the fall, the old state's men are insurgents of no codebook group: "gunmen loyal to
# ousted president Bashar al-Assad", "remnants of the former regime", "Assad loyalists".
_LOYAL_TO_BEFORE = re.compile(r"(?:\bloyal(?:ists?)?\s+(?:to|of)|\bremnants?\s+of|\bholdouts?\s+of|\b(?:ousted|former|deposed|toppled|fallen|overthrown|defunct))"
                              r"\s+(?:the\s+)?(?:(?:ousted|former|deposed|toppled|fallen|old|previous|overthrown|defunct)\s+)?(?:(?:president|leader|ruler)\s+)?$", re.IGNORECASE)
_BEFORE_THE_FALL_YEAR = re.compile(r"\b(?:19[6-9]\d|20(?:0\d|1\d|2[0-3]))\b")  # (a year before the fall: the sentence tells the old state's past)
_LOYALISTS_AFTER = re.compile(r"(?:['’]s)?[\s-]+(?:loyalists?|remnants|holdouts)\b", re.IGNORECASE)


class _AfterAssadFinder:
    """The report's finder after 8 December 2024: the ousted state's loyalists are `unknown`
    (the state, `syrian_government`, is now the new government's)."""

    def __init__(self, finder):
        self._finder = finder

    def __getattr__(self, name):
        return getattr(self._finder, name)

    def find(self, s: str) -> list[Mention]:
        found = self._finder.find(s)
        if _BEFORE_THE_FALL_YEAR.search(s):
            return found  # ("Forces loyal to ousted president Bashar al-Assad killed 1,400 people in August 2013": the state's act then)
        return [replace(m, value="unknown") if m.value == "syrian_government" and (
                    _LOYAL_TO_BEFORE.search(s, max(0, m.start - 50), m.start) or _LOYALISTS_AFTER.match(s, m.end)) else m
                for m in found]


class _DatedActorFinder:
    """The report's finder when a name meant another actor in its time ("New Syrian Army" in
    2016: the rebels, not the state's "new Syrian army" of 2025): that name, as written, maps
    to the actor of the report's years."""

    def __init__(self, finder: _ActorFinder, dated: dict[str, str]):
        self._finder, self._dated = finder, dated

    def __getattr__(self, name):
        return getattr(self._finder, name)

    def find(self, s: str) -> list[Mention]:
        return [replace(m, value=self._dated[m.text]) if m.text in self._dated else m for m in self._finder.find(s)]


def _report_country(head_places: list[PlaceMention], lebanese: bool = True) -> str | None:
    """The country whose national forces "the army" are: where the opening's places are (Lebanon
    only in a report that says Lebanese or Lebanon: SANA's "The army set up checkpoints on the
    hills overlooking Arsal" is the Syrian army)."""
    votes: dict[str, int] = {}
    for p in head_places:
        if p.place.country in NATIONAL_FORCES and (lebanese or p.place.country != "Lebanon"):
            votes[p.place.country] = votes.get(p.place.country, 0) + (2 if p.place.kind != "country" else 1)
    return max(sorted(votes), key=lambda c: votes[c]) if votes else None


def _report_admin1(head_places: list[PlaceMention], focus_starts: frozenset[int] = frozenset()) -> frozenset[str]:
    names = set()
    for p in head_places:
        if p.fuzzy:
            continue  # an inexact match says nothing about where the report is
        if p.place.kind == "admin1":
            names.add(p.place.name)
        elif p.place.admin1 and (p.place.source == "curated" or (p.place.name == p.place.admin1 and p.start in focus_starts)):
            names.add(p.place.admin1)
    return frozenset(names)


# After a group's name: a source that speaks ("a military source", "an SDF spokesman"), or
# a place it holds ("the IS-held neighbourhood"): not a group acting in the sentence.
# After a group's name: it speaks or is a place's owner, it does not act ("an SDF source",
# "IS-held"). Matched on lowercased text.
_SOURCE_AFTER = re.compile(r"[\s-]*(?:and\s+(?:[\w-]+\s+){1,2}(?=sources?\b))?(?:(?:military|security|army|government|local|intelligence|medical|hospital)\s+)?(?:sources?|spokes(?:man|woman|person)|officials?|media|statements?|correspondents?|commanders? said)\b"
                           r"|-(?:held|controlled|run|besieged|occupied)\b"
                           r"|(?:['’]s|[\s-]+(?:linked|affiliated|run))\s+(?:[\w-]+\s+){0,2}(?:news\s+)?agency\b")  # "ISIS's Amaq news agency"
_NEIGHBOURING_BEFORE = re.compile(r"\bneighbou?ring\s+$")
_BASED_IN_BEFORE = re.compile(r"\b(?:based|headquartered|exiled|living|lives|live|sheltering|shelters)\s+in\s+(?:the\s+)?"
                              r"(?:(?:an?|the)\s+(?:[\w-]+\s+)?(?:camp|tent|village|house|flat|shelter)\s+(?:near|in|outside|at)\s+(?:the\s+)?)?$")  # "now lives in a camp near Ain Issa"
_IN_PLACES_CHAIN_BEFORE = re.compile(r"\b(?:in|from|of)\s+(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+)?,?\s+(?:and|or)\s+$")
_IN_PLACE_BEFORE = re.compile(r"\b(?:in|from|at|near|of|outside|inside)\s+(?:the\s+)?(?:[\w-]+\s+)?$")
_BARE_GUNMEN = frozenset(("gunmen", "gunman"))
_BASED_AFTER = re.compile(r"[\s-]based\b")
_POSSESSED_NON_PLACE_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?(?:request|requests|demand|demands|behalf|approval|permission|consent|invitation|decision"
                                        r"|policy|government(?!\s+(?:headquarters|buildings?|complex|compound|offices?|palace|house|seat))|allies|ally|envoy|ambassador|blessing|plea|orders|ministry|minister|president|foreign|spokesman|officials?)\b")  # ("Turkey's Defense Ministry said"; but "Kirkuk's provincial government headquarters" is in Kirkuk)
_COUNTRY_FORCES_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?(?:offensive|operation|incursion|invasion|intervention|campaign|army|troops|military|forces|force|proxies|militias?|allies|guards|soldiers|jets|warplanes|drones|aircraft|air force)\b")
# After a country's or capital's name: the words that make it a government acting, no place
# ("after Baghdad asked for air support", "Damascus has used its air force", "Damascus lost more than 40 troops").
_MEN_OF_AFTER = re.compile(r"\s+(?:from|of|belonging to|loyal to|affiliated with)\s+(?:the\s+)?")
_ALLY_AND_BEFORE = re.compile(r"\b(?:Russia|Moscow|Iran|Tehran|Turkey|Ankara|Washington)\s+and\s+$")
_GOVERNMENT_ACTS_AFTER = re.compile(r"(?:\s+and\s+[\w-]+)?\s+(?:(?:has|had|have|also|has also|again|repeatedly|strongly)\s+)*(?:denie[sd]|deny|dismiss(?:es|ed)?|said|says|claim(?:s|ed)|insist(?:s|ed)"
                                   r"|accuse[sd]|warn(?:s|ed)|announce[sd]|confirm(?:s|ed)|reject(?:s|ed)|vow(?:s|ed)|threaten(?:s|ed)|stated|condemn(?:s|ed)|denounce[sd]"
                                   r"|ask(?:s|ed)|request(?:s|ed)|agree[sd]|demand(?:s|ed)|urge[sd]|blame[sd]|call(?:s|ed) (?:for|on)|use[sd](?! to\b)"
                                   r"|lost\s+(?:(?:more than|at least|some|about|nearly|over|up to)\s+)?[\d,]+\s+(?:troops|soldiers|fighters|men|personnel))\b")
# After a country's or capital's name: a government turning its forces on someone ("the first
# time Damascus had turned its air force against the YPG"); only for seats and countries, as
# "SDF fighters who captured Manbij turned their guns on ..." is a place
_GOVERNMENT_TURNS_AFTER = re.compile(r"\s+(?:(?:has|had|have)\s+)?turn(?:s|ed)\s+(?:its|their)\s+(?:[\w-]+\s+)?(?:air\s+force|warplanes|jets|guns|artillery|army)\s+(?:against|on)\b")
# Before a country's or capital's name: a government addressed ("warned Damascus against
# endangering coalition personnel", "urged Ankara to"), no place
_GOVERNMENT_ADDRESSED_BEFORE = re.compile(r"\b(?:warn(?:s|ed|ing)?|urg(?:e|es|ed|ing)|accus(?:e|es|ed|ing)|press(?:es|ed|ing)?|call(?:s|ed|ing)?\s+on|critici[sz](?:e|es|ed|ing))\s+$")
_DEAL_WITH_BEFORE = re.compile(r"\b(?:deal|agreement|talks|negotiations|accord|understanding|arrangement|coordination|reconciliation|relations)\s+"
                               r"(?:[\w-]+\s+){0,2}?(?:between|with)\s+(?:[\w’'-]+\s+){0,5}?$")


def _possessed_non_place(lower: str, p: PlaceMention, seats: frozenset[str]) -> bool:
    end = p.end
    if not lower.endswith(("'s", "’s", "s'", "s’"), p.start, end):
        if not lower.startswith(("'s", "’s", "'", "’"), end):
            return False
        end += 2 if lower.startswith(("'s", "’s"), end) else 1
    return bool(_POSSESSED_NON_PLACE_AFTER.match(lower, end)) or (
        (p.place.kind == "country" or p.text.rstrip("s").rstrip("'’") in seats) and _COUNTRY_FORCES_AFTER.match(lower, end) is not None)  # "ended Turkey's offensive", "Baghdad's forces": an actor's


_AFTER_THE_BEFORE = re.compile(r"(?:,|\s\s)\s*(?:[\w-]+\s+){0,3}?(?:after|before|since|following)\s+the\s+$")  # (a masked aside leaves spaces)
_NOMINAL_CAPTURE = re.compile(r"(?:re)?(?:capture|taking|takeover|seizure|liberation|retaking|fall)\s+of\b")
_AROUND_PLACE = re.compile(r"\b(?:villages?|hamlets?|areas?|hills?|positions?|farms?|farmland|countryside|surroundings|posts?)\s+(?:[\w-]+\s+){0,2}?"
                           rf"(?:around|near|outside|surrounding|close to|{_COMPASS}\s+of)\s+(?:the\s+)?(?:town\s+of\s+|city\s+of\s+)?$")
_COUNTED_PLACES_TAKEN = re.compile(r"\s+(?:(?:more than|at least|some|about|around|nearly|over|almost)\s+)?(?:\d+|a dozen|dozens of|scores of|several|[a-z]+-?[a-z]*)\s+"
                                   r"(?:(?:towns?|villages?|hamlets?|localities|areas|settlements)(?:,?\s+(?:and|or)\s+)?)+\b[^.;]*?(?=,\s*(?:including|among them|such as)\b)")
_CONTROL_OF = re.compile(r"^\s*(?:full |complete |total |effective )?control (?:of|over)\s")
_DESCRIPTOR_AFTER = re.compile(r"\s+(?:affiliate|offshoot|branch|franchise|splinter group|spin-off|off-shoot)\b")
_DESCRIPTOR_BEFORE = re.compile(r",\s*(?:an?|the)\s+(?:former\s+)?$")
_GROUP_NOUN_GAP = re.compile(r"(?:\s+[\w-]+){0,2}")  # (the group described just before: "IS militants, an al Qaeda offshoot")
_NEAR_PLACE_BEFORE = re.compile(r"\b(?:near|around|along|outside|close to|on the outskirts of|on the edges? of)\s+(?:the\s+)?(?:town of\s+|city of\s+|village of\s+)?$")
_COUNTRY_PART_BEFORE = re.compile(r"\b(?:north|south|east|west)(?:ern)?\s+(?:part\s+)?of\s+(?:the\s+)?$")
_SENT_TO_UNNAMED_AFTER = re.compile(r"(?:\s+[\w’'-]+){0,6}?\s+(?:to|into)\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,2}?(?:base|air\s?base|airport|stretch|road|highway|checkpoint|post|outpost|positions?|hospital|prison|headquarters|site|facility|person|people|family|relatives)\b")  # (a place of its own we do not know: but "sent fighters to the front", "into the desert" leave the town in view)
_SENDING = re.compile(r"(?:sent|sending|dispatched|dispatching|rushed|rushing)\b")  # (also "rushed reinforcements to X")
_TO_HOLD = r"to\s+(?:help\s+)?(?:reinforce|defend|protect|bolster|hold)"  # what a force is sent to a town to do
_TO_REINFORCE_BEFORE = re.compile(r"\b" + _TO_HOLD + r"\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?$")
_TO_HOLD_IT_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,4}?" + _TO_HOLD + r"\s+it\b")  # ("had been sent to reinforce it": the town just named)
_TO_THE_TOWN_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,4}?(?:to|into)\s+the\s+(?:city|town|village|area|district)\b")  # "sent reinforcements to the city": the town in view
_ASIDE = re.compile(r",\s*(?:meanwhile|however|though|too|also|in turn|in addition|reportedly|by contrast|in contrast|for (?:its|their) part|on the other hand|according to [^,]{1,40}|(?:accompanied|escorted) by [^,]{1,40}|(?:mostly|mainly|largely|chiefly) (?:from|of) [^,]{1,50}|(?:once|formerly|previously|long|unheard of) [^,]{1,40}|(?:which|who)\s+(?:had\s+)?(?:used to|once|formerly|previously)\s[^,]{1,80}"
                    r"|(?:the\s+)?[\w .'’-]{1,30}?\s+(?:said|says|reported|added|claimed|stated))\s*,\s")
_ONCE_BEFORE = re.compile(r"\b(?:once|after|when|until|before|as soon as)\s+(?:[\w’'-]+\s+){0,5}$")
_PRESENT_MOVE = re.compile(r"(?:withdraw|leave|arrive|enter|pull|depart|deploy|return|move|retreat|head|take|seize|capture|hand)s?\b")
_CONDITION_BEFORE = re.compile(r"\b(?:if|unless|should)\s+(?:[\w’'-]+\s+){0,6}$")
_WEAPONS_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,4}?(?:car bombs?|bombs?|rockets?|missiles?|shells?|drones?|explosives?)\b")
_PRESENCE_NOUN_BEFORE = re.compile(r"\b(?:patrols?|checkpoints?)\b(?:\s+\S+){0,4}\s*$")
_PATROL_JUST_BEFORE = re.compile(r"\bpatrols?\s+(?:(?:has|have|had|was|were|also|then|later|again|now|still|often|regularly|daily|routinely|sometimes)\s+)*$")
_ARTICLE_JUST_BEFORE = re.compile(r"\b(?:the|a|an|its|their)\s+$")
# After a taking verb: a town taken ("Rebels backed by Turkish tanks captured the town of Jarablus",
# "militants in pickup trucks stormed the city"), not a time or manner ("tanks captured Sunday in
# Ramadi", "captured the previous week", "captured intact")
_TOWN_TAKEN_AFTER = re.compile(r"\s+(?:the\s+(?:[\w-]+\s+){0,3}?(?:town|city|village|district|airbase|base)\b|(?:al|el|ar|as|ad|ash|at|az)-[A-Z]|(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)\b)[A-Z])")
_BY_AFTER = re.compile(r"\s+(?:by|at)\b")  # "the patrol was stopped by ...", "... at a checkpoint": turned back
_WOUNDED_ONLY = re.compile(r"\b(?:wound(?:ed|ing)|injur(?:ed|ing))\b")
_DEATH_WORD = re.compile(r"\b(?:kill\w*|dead|died|death|deaths|assassinat\w*|slain|lives)\b")
_CHECKPOINT_WORD = re.compile(r"\b(?:checkpoints?|check\s?points?|roadblocks?)\b")
_CHECKPOINT_NOUN_BEFORE = re.compile(r"\b(?:checkpoints?|check\s?points?|roadblocks?|cps?)\b(?:\s+\S+){0,6}\s+$")
_CHECKPOINTS_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,3}?(?:checkpoints?|check\s?points?|roadblocks?)\b")
# A bulletin line that opens with its date: "- 12 Nov:", "Monday, Oct. 10 -", "3 March 2016 –".
# ("- 13 Sep (Mon), Al-Busayrah: ...": a weekday in brackets and the item's place may follow)
# A digest item's town label and day: "AL-BUKAMAL (Deir ez-Zor) - 9 April: ..."
_LABEL_DAY = re.compile(_LABEL_TOWNS + r"[ \t]+[-–—][ \t]+(?:(?:night|morning|evening)\s+of\s+)?\d{1,2}(?:-\d{1,2})?\s+[A-Z][a-z]+(?:\s+\d{4})?\s*:")
_LINE_DATE = re.compile(r"^\s*(?:[-*•·]\s*)?(?:\d{1,3}/(?:\d{1,3})?\s+)?(?:\w+,?\s+)?[\w.]+\s+[\w.]+(?:,?\s+\d{4})?(?:,?\s+\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?)?\s*(?:\([A-Z][a-z]{2,8}\.?\))?(?:,\s*[A-Z][\w’' -]{2,40}?(?:\s*\([^)]{0,40}\))?)?\s*(?::|-|–|—|\||[\U0001F550-\U0001F567⏰])\s")  # (a clock emoji: "Tue 17 May 🕘 ...")
_EVENT_TIME_AFTER_BEFORE = re.compile(r"\b(?:after|following|in the wake of|in response to|in retaliation for)\s+(?:the\s+|last\s+)?$", re.IGNORECASE)
_FIGHTERS_AMONG = re.compile(r"(?<!families of )(?<!relatives of )(?<!wives of )(?<!children of )\b(?:fighters|troops|soldiers|militants|rebels|gunmen|militiamen|jihadists)\b")
_RELATIVE_PERFECT_BEFORE = re.compile(r"\b(?:who|which|that)\s+(?:had|has|have)\s+[^,;.]*$")
_DEAL_TIME_BEFORE = re.compile(r"\b(?:under|following|after|as part of|in line with|according to)\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,2}?(?:deal|agreement|truce|ceasefire|accord|settlement)\s+(?:reached|signed|struck|agreed|announced|brokered)\s+(?:(?:on|at|in|over|last|earlier|late|early)\s+)*(?:the\s+)?$")
# A post's bracketed time stamp: "[28 Jan 2017, 09:12] ...", "(29/01/2017 19:30) ..."
_LINE_STAMP = re.compile(r"^\s*[\[(](?P<when>[^\[\]()\n]{4,40}?)[\])]\s")
# An event list's numeric day: "12/04 - Jindires - IED: ...", "12.04.2021 |" (day first, as the region writes it)
_LIST_LABEL = re.compile(r"^[^:.]{0,100}?(?:\s[-|–—]\s[^:.|–—]{1,40}){2,}:\s")  # date - place - type:
_LINE_NUMERIC_DATE = re.compile(r"^\s*(?:[-*•·]\s*)?(?:\d{1,2}[).]\s+)?(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?[\[(]?(?P<d>\d{1,2})[/.](?P<m>\d{1,2})(?:[/.](?P<y>\d{2}|\d{4}))?[\])]?(?:\s*(?::|-|–|—|\|)\s"
                                r"|\s+(?=[A-Z][\w’' -]{2,40}?(?:\s*\([^)]{0,40}\))?:\s))")  # "- 04/06 Thiban: ..." (a place heading after the day)
_AFTER_IT_BEFORE = re.compile(r"\b(?:days|weeks|months|years)\s+after\s+it\s+(?:had\s+|was\s+)?$")
_ACTIVE_TAKE = re.compile(r"(?:took|takes?|taking|taken|seiz(?:ed|es|e|ing)|captur(?:ed|es|e|ing)|retook|retakes?|recaptur\w*|overr[au]n\w*|storm\w*|liberat\w*)\b")
_IT_SUBJECT = re.compile(r"\bit\s+(?:had\s+|has\s+|was\s+)?$")
_BORDER_AFTER = re.compile(r"[\s-]+(?:border|frontier|borders)\b")
_BORDER_WITH_BEFORE = re.compile(r"\b(?:border|frontier)\s+(?:with|of)\s+(?:the\s+)?$")


def _is_border(lower: str, p: PlaceMention) -> bool:
    """"the Turkish border", "Turkey's border", "the border with Syria": a line, not a place."""
    return ("border" in lower[p.start:p.end] or "frontier" in lower[p.start:p.end] or bool(_BORDER_AFTER.match(lower, p.end))
            or bool(_BORDER_WITH_BEFORE.search(lower, max(0, p.start - 20), p.start)))


_OPERATION_LAUNCHED_IN = re.compile(r"\b(?:launched|launches|began|begun|started|opened)\s+(?:an?\s+|its\s+|their\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:operation|offensive|assault|campaign|attack)\s+(?:in|on|against|to\s+(?:take|capture|retake|seize))\b")
_FROM_DIRECTION_BEFORE = re.compile(r"\bfrom\s+the\s+direction\s+of\s+(?:the\s+(?:[\w-]+\s+)?(?:town|city|village)\s+of\s+)?$")  # (and "from the direction of the Syrian town of Al-Bukamal")
_FROM_PLACE_BEFORE = re.compile(_FROM_DIRECTION_BEFORE.pattern + r"|\b(?:residents|people|civilians|evacuees|families|displaced|refugees|fighters|militants|commanders?|members?|nationals?|jihadists?|leaders?|emirs?|volunteers|victims|all|both|originally|hailing|natives?"
                                r"|drivers|truckers|returnees|travell?ing|travell?ers|commuters|workers|labou?rers|farmers|shepherds|passengers|pilgrims|traders|merchants|students|contractors|engineers|weapons|arms|ammunition|supplies|goods|fuel|food"
                                r"|reinforcements|came|arrived|rushed|sent|dispatched|(?:flown|flew|brought|drove|driven|moved)\s+in)\s+(?:[a-z]+ly\s+)?from\s+(?:the\s+)?(?:(?:their|its|his|a|an)\s+(?:[\w-]+\s+)?(?:bases?|headquarters|positions?|barracks|camps?)\s+(?:near|outside|in|at)\s+(?:the\s+)?)?(?:[\w-]+\s+){0,2}?(?:(?:towns?|villages?|cities|city)\s+of\s+)?$", re.IGNORECASE)  # (also "Men from Tafas killed ...")
_MEN_FROM_BEFORE = re.compile(r"\b(?:men|youths|gunmen|locals|tribesmen)\s+from\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?$", re.IGNORECASE)
_CLEARED_PLACE_GAP = re.compile(r"\s+(?:the\s+)?(?:(?:town|city|village|area)\s+of\s+)?")
_LEFT_THINGS_AFTER = re.compile(r"\s+(?:by\b|behind\b|(?!with\b)(?:[\w-]+\s+){0,3}?(?:bodies|corpses|mines|landmines|explosives|booby[- ]traps|ieds)\b"
                                r"|(?:[\w-]+\s+){1,5}?(?:dead|killed|wounded|injured|homeless)\b)")  # ("fighting that left at least eight fighters dead")
_THERE_ARE_BEFORE = re.compile(r"\bthere\s+(?:are|were|is|was)\b[^,.;]{0,50}$")
_UNDER_CONTROL_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,3}under\s+(?:the\s+)?(?:\w+\s+)?control\b")
_PATROLS_SUBJECT_BEFORE = re.compile(r"\bpatrols?\s+(?:of\s+(?:the\s+)?[\w-]+(?:\s+and\s+(?:the\s+)?[\w-]+)?\s+)?"  # ("joint patrols of the army and police began moving through")
                                     r"(?:(?:are|is|were|was|have been|has been|had been|now|also|already|again|regularly|still|began|begun|started|continued)\s+)*$")
_LET_IN_BEFORE = re.compile(r"\b(?:let|lets|letting|allow\w*|permit\w*|refus\w*|agree\w*)\b(?:\s+[\w’'-]+){0,4}\s+$")  # (not "watched fighters enter": they did)
_WHO_BEFORE = re.compile(r"\b(?:who|whoever|that|which)\s+$")
_ONE_ATTACKER_BEFORE = re.compile(r"\b(?:an?|the)\s+(?:[\w-]+\s+)?(?:bomber|attacker|assassin|gunman|car\s+bomb|truck\s+bomb|vbied|drone|suicide\s+bomber)\s+$")
_PATROL_SENT_AFTER = re.compile(r"\s+(?:a|an|its|their|one|two|three|several)?\s*(?:[\w-]+\s+){0,2}?patrols?\b")
_SEARCH_VERB_BEFORE = re.compile(r"\b(?:search|check|inspect|stop|screen)\w*\s+(?:all\s+|every\s+|the\s+)?$")
_SEARCHED_BEFORE = re.compile(r"\b(?:search\w*|check\w*|inspect\w*|stop\w*|screen\w*|question\w*)\s+(?:all\s+|every\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:cars?|vehicles?|trucks?|buse?s?|people|civilians|residents|travell?ers|passengers|drivers|men|women|everyone|anyone)\s+$")
_STOPPED_BEFORE = re.compile(r"\b(?:stopped|ceased|halted|no longer)\s+$")
_NONE_LEFT = re.compile(r"\b(?:no|none of the|few|only|not a single|not one)\b(?:\s+[\w-]+){0,3}\s+left$")
# A group's own aircraft: "coalition jets", "Turkish combat drones" (not "intercepted drones")
_BACKED_BY_AIRCRAFT = re.compile(r"(?:\s+[\w-]+){0,2}?,?\s+(?:backed|supported|covered)\s+by\s+(?:[\w-]+\s+){0,4}?(?:helicopter gunships|helicopters|warplanes|jets|aircraft|air power|air force)\b", re.IGNORECASE)
_AIR_NOUN_AFTER = re.compile(r"\s+(?:(?![\w-]+(?:ed|ing)\s)[\w-]+\s+)?(?:jets|warplanes|war planes|aircraft|planes|drones|helicopters|bombers|air force)\b", re.IGNORECASE)
_AIR_NOUN_END = re.compile(r"(?:jets|warplanes|war planes|aircraft|planes|drones|helicopters|bombers|air force)$", re.IGNORECASE)  # (a mention "coalition jets")
# A sentence that goes on with the event of the one before: its subject points back to it.
_GROUND_ATTACK_BY = re.compile(r"\b(?:attacks?|assaults?|ambush(?:es)?|offensive)\s+(?:[\w-]+\s+)?by\b", re.IGNORECASE)  # (a ground attack's party: not "air raids by")
_NOMINAL_ATTACK_AFTER = re.compile(r"\s+(?:(?:suicide|fresh|new|major|large|dawn|night|surprise|failed|overnight)\s+)?attacks?\b")
_REPELLED_BEFORE = re.compile(r"\b(?:repelled|repulsed|foiled|thwarted|beat\s+back|fought\s+off|halted|stopped)\s+(?:an?|the|another)\s+$", re.IGNORECASE)  # (the attack others beat back, not one "anticipated" or "survived")
_GROUND_FORCE_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?(?:troops|soldiers|forces|units|personnel|convoys?|armou?r|tanks)\b")
_GROUND_FORCE_END = re.compile(r"\b(?:troops|soldiers|army|forces|units|personnel|convoys?|armou?r|tanks)$", re.IGNORECASE)
_CARRIER_VERB = re.compile(r"(?:flew|airlifted|ferried|brought in|bringing in|carried|transported|drove|driven|took|landed|dropped)\s")
_FOREIGN_STATES = frozenset({"turkey", "russia", "us_led_coalition", "israel"})  # forces abroad: "the troops" are theirs only when just told of
_ATTACKS_BY_BEFORE = re.compile(r"\b(?:attacks?|bombings?|raids?|ambush(?:es)?|assaults?)\s+(?:[\w-]+\s+)?by\s+(?:the\s+)?(?:[\w-]+\s+)?$", re.IGNORECASE)
_THE_ATTACKS_SUBJECT = re.compile(r"\W*(?:the|these|those)\s+(?:[\w-]+\s+)?(?:attacks|bombings|raids|ambushes|assaults)\s+(?:(?:have|had|also|reportedly)\s+)*$")
_CONTINUES = re.compile(r"(?:(?:sources|residents|witnesses|officials|activists|locals)\s+(?:say|said|says|reported|report)\s+(?:that\s+)?)?"
                        r"(?:they|the (?:attacks?|assaults?|raids?|strikes?|bombings?|blasts?|explosions?|ambush(?:es)?|clashes|fighting|operations?|campaign|sweep|shelling|militants"
                        r"|fighters|jihadists|gunmen|attackers|assailants|offensive|column|convoy|reinforcements)|at (?:the|that) time|back then|by then"
                        r"|(?:the\s+)?(?:[\w-]+\s+)?(?:source|spokesman|statement|official|monitor|observatory|commander)s?\s+(?:also\s+)?added)\b")  # "The source added that ..."
# "Regime artillery shelled Kafr Laha on Tuesday. Five civilians were killed.": a sentence that
# opens with the count of the dead tells the toll of the event before it
_DEAD_COUNT_START = re.compile(rf"[\W_]*(?:(?:at least|more than|some|about|around|nearly|over|up to|another|a further)\s+)?(?:{_NUM}|dozens|scores|hundreds|several)"
                               r"\s+(?:[\w-]+\s+){0,5}?(?:were|was|had\s+been|have\s+been|has\s+been)\s+(?:(?:reportedly|also|all)\s+)?(?:killed|shot dead|martyred)\b"
                               # ("Our teams have documented at least 210 dead in Zamalka")
                               rf"|[\W_]*(?:[\w-]+\s+){{1,4}}?(?:documented|recorded|counted|confirmed|registered)\s+(?:the\s+deaths?\s+of\s+)?(?:(?:at least|more than|some|about|around|nearly|over)\s+)?(?:{_NUM})\s+(?:[\w-]+\s+){{0,2}}?(?:dead|deaths|killed|bodies|martyrs)\b")
_PAST_NARRATIVE = re.compile(r"(?:withdrew|pulled (?:out|back)|fled|retreated|fell back|entered|arrived|were killed|was killed|died)(?:\s+(?:to|from|into|in|out of|toward|towards))?")
_ANOTHER_TIME_START = re.compile(r"\W*(?:earlier|later|previously|meanwhile|separately|elsewhere|throughout|during|over|since|overnight)\b")
_PAST_STRIKE_VERB = re.compile(r"\b(?:hit|struck|bombed|pounded|targeted|fell on)\b")
_ASSAULT_INFINITIVE = re.compile(r"\bto\s+(?:storm|advance|attack|seize|capture|take|retake|enter|infiltrate|break|overrun|assault|push)\b")
_TOLL_CAUSE = re.compile(r"\b(?:shell(?:ed|ing|s)?|attack(?:ed|s)?|storm(?:ed)?|clash(?:ed|es)?|fighting|fought|bomb(?:ed|ing|ings|s)?|raid(?:ed|s)?|ambush(?:ed|es)?|assault(?:ed|s)?"
                         r"|struck(?! (?:a|an) (?:deal|agreement|truce|bargain|chord|balance|blow)\b)|(?:air\s?|drone\s?)?strikes?|fired (?:on|at|rockets|shells|mortars|missiles)|blasts?|explosions?|offensive|battle|repelled)\b", re.IGNORECASE)
# ... unless the toll tells a cause of its own ("Five civilians were killed in a separate car bombing")
_OWN_CAUSE = re.compile(r"\b(?:when|after|by|separate|unrelated|bomb\w*|mines?|landmine|explosion|blast|clash\w*|fighting|strikes?|shelling|attack)\b")


_TOLL_TOLD_START = re.compile(r"[\W_]*(?:(?:[\w’'-]+\s+){0,4}?(?:put|puts|placed|places|gave|gives|estimated|estimates|raised|raises|said|say|says)\s+)?the\s+(?:death\s+)?toll\b")

def _is_toll_of_before(lower: str, names, ctx) -> bool:
    """A sentence that only counts the dead ("Five civilians were killed.") right after one that
    told an attack: that attack's toll (not after "Some 400 fighters had arrived on Thursday", nor
    with a place or cause of its own: "... were killed in a separate car bombing in Baghdad")."""
    head = _DEAD_COUNT_START.match(lower) or _TOLL_TOLD_START.match(lower)  # (or "Local sources put the death toll at 33")
    return head is not None and all(n.text in (ctx.previous_sentence or "") for n in names) and _OWN_CAUSE.search(lower, head.end()) is None \
        and _TOLL_CAUSE.search(ctx.previous_sentence or "") is not None


# "A senior IS leader was killed in one of the strikes": the strikes of the sentence before
_ONE_OF_THEM = re.compile(r"\b(?:in|during|by)\s+(?:(?:one|some|two|three|all|each|several|the last|the first|another)\s+of\s+(?:the|these|those)\s+"
                          r"(?:strikes|raids|air ?strikes|air raids|attacks|bombings|blasts|explosions|clashes)|the\s+(?:same\s+)?(?:blast|explosion|bombing|attack|ambush|assault))\b")
# ("also died in the blast": the blast the sentence before dated)
_LATER = re.compile(r"\b(?:(?:hours|minutes|moments) later|later (?:that|the same) (?:day|night)"
                    r"|(?P<next>the (?:following|next) day|a day later|the day after)"
                    r"|(?P<vague>(?:a few |several )?(?:days|weeks) later)"
                    rf"|(?:over|in|during|within) the (?:following|next) (?P<span>\d{{1,2}}|{_NUM_WORD}) days"
                    rf"|(?P<n>\d{{1,2}}|{_NUM_WORD}|a|one) days? (?P<dir>later|earlier))\b")
_SINCE_CLAUSE_END = re.compile(r"\bsince\b[^.;]{0,80}$", re.IGNORECASE)
_HOURS_LATER = re.compile(r"(?:hours|minutes|moments) later")
_DAY_BEFORE_WORDS = frozenset(("the previous day", "the day before", "the preceding day"))
_UNITS_AFTER = re.compile(rf"(?<!\bone )(?<!\bonce )(?<!\btwice )(?<!\btimes )\b(?:(?:more than|nearly|about|almost|over|just|some|less than)\s+)?(?P<n>\d{{1,2}}|{_NUM_WORD}|a|an)\s+(?P<unit>days?|weeks?|months?|years?)\s+after\b")
_AUXILIARIES = re.compile(r"\b(?:have|has|had|were|was|are|is|been|reportedly|also|all)\b")
_HOLDING_SINCE = re.compile(r"(?:(?:had|has|have)\s+(?:long\s+|fully\s+|effectively\s+)?)?(?:controlled|held|ruled|occupied|run)\s+(?:[\w-]+\s+){0,3}?since\s+(?:[a-z]+\s+)?(?:\d|january|february|march|april|may|june|july|august|september|october|november|december|last|early|late|mid)")
_HOLDING_SINCE_EVENT = re.compile(r"(?:(?:had|has|have)\s+(?:long\s+|fully\s+|effectively\s+)?)?(?:controlled|held|ruled|occupied|run)\s+(?:[\w-]+\s+){0,8}?since\s+")
_WHEN_AFTER_VICTIMS = re.compile(r"(?:\s+by\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,2}?)?\s+when\s+")
_HOLDING = re.compile(r"(?:had|has|have) (?:long |fully |effectively )?(?:controlled|held|ruled|occupied|run)\b|(?:been|remained|remains|stayed) (?:[\w-]+ )?(?:in|under)\b")


def _period_end(start: date, precision: str) -> date:
    """The last day of the month or year `start` begins (a day for day precision)."""
    if precision == "year":
        return date(start.year, 12, 31)
    if precision == "month":
        nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return nxt - timedelta(days=1)
    return start


_SINCE_CLAUSE = re.compile(r"\bsince\b[^,;.]*$")
# ", the SDF said." closing a sentence: who reports it, not who acts in it.
_TRAILING_SPEAKER = re.compile(r"\s+(?:said|says|reported|announced|claimed|stated|added|told [\w.]+)\b[^,;.]*\.?\s*$")
_SPEAKER_BEFORE = re.compile(r",\s*(?:the\s+)?$")
# The rest of a speaking body's name: ", the Russian Centre for the Reconciliation of Opposing Sides said"
_SPEAKER_NAME_TAIL = re.compile(r"(?:\s+(?:[A-Z][\w’'-]*|for|of|the|and|on|in))*")
# Parties with aircraft: a "raid" of anyone else is on the ground.
_STATEMENT_LABEL = re.compile(r"(\s+(?:statement|communiqu[eé]|release|MoD|ministry|command)\s*:|:)\s+(?:its\s+|the\s+)?(?:[\w-]+\s+)?(?:aircraft|jets|warplanes|planes|drones|helicopters)\b")
AIR_FORCES = frozenset({"us_led_coalition", "russia", "syrian_government", "iraqi_forces", "turkey", "israel", "lebanese_army", "unknown"})
_GROUND_RAID = re.compile(r"\b(?:troops|soldiers|commandos|special forces|ground forces|paratroopers|advisers)\s+(?:[\w-]+\s+){0,2}?(?:raided|raid|raiding|stormed)\b")
# "Joint SDF-coalition raids" with no aircraft named: raids on the ground, with the coalition's partners.
_AIRCRAFT_NAMED = re.compile(r"\b(?:air|jets?|(?:war)?planes?|aircraft|helicopters?|drones?|bombers?)\b")
_GROUND_WEAPON = re.compile(r"\b(?:shells?|shelling|shelled|artillery|mortars?|rockets?|missiles?|ieds?|mines?|car bombs?|roadside bombs?|explosive|gunmen|sniper|grenades?)\b")
# What "was struck" right after a strike told must name: a target, not a deal or a boy ("a deal was struck")
_TARGETS_LISTED = re.compile(r"(?:among\s+)?(?:the\s+)?(?P<noun>targets|sites|towns|villages|areas|neighbou?rhoods|districts|places)\s+(?:also\s+)?(?P<verb>included|include|hit|struck|targeted|bombed|raided)\b")
_STRUCK_TARGET_BEFORE = re.compile(r"\b(?:buildings?|stations?|facilit(?:y|ies)|checkpoints?|positions?|houses?|homes?|cars?|vehicles?|bridges?|bases?|depots?|silos?|markets?|hospitals?|"
                                   r"schools?|convoys?|headquarters|sites?|plants?|warehouses?|posts?|cent(?:re|er)s?|targets?|trucks?|bus|buses|camps?|offices?|compounds?|mosques?|hideouts?|tunnels?|fields?|refinery|airport)\b[^.;]{0,60}$")
_JOINT_RAID = re.compile(r"\bjoint\s+(?:[\w-]+[\s-]){0,2}?(?:sdf|ypg|cts|isf|peshmerga|army|police|ground|commando|special forces)\b[\w\s-]{0,25}?raids?\b")
_TITLE_STRIKES_AFTER = re.compile(r"(?:['’]s)?\s+(?:[\w-]+\s+)?(?:air\s?strikes?|air raids?|warplanes?|jets|aircraft|drones?|drone strikes?|bombers|strikes(?!\s+back))\b", re.IGNORECASE)
_TARGETS_NAMED_BEFORE = re.compile(r"\b(?:the|its|their|both|these|those)\s+(?:(?:targeted|struck|bombed|hit)\s+)?(?:targets|sites|facilities|locations)\b|\b(?:the|its|their)\s+[\w-]+\s+targets\b|\bof\s+the\s+(?:targets|sites|facilities|locations)\b")
_TARGETS_LAY = re.compile(r"(?:were|was|lay|are)\s+(?:(?:all|also)\s+)?(?:in|at|near|around|outside)\b|(?:also\s+)?includ")
_FOREIGN_AIR_FORCES = frozenset({"us_led_coalition", "russia", "turkey", "israel"})
_CONTINUED_ATTACKS_AFTER = re.compile(r"\s+(?:[\w.-]+\s+){0,3}?(?:continued|continue|continues)\s+to\s+(?:attack|strike|target|pound|bomb)\b", re.IGNORECASE)
_BARE_RAID = re.compile(r"(?:the\s+|this\s+|that\s+)?raids?")
_GROUND_RAID_TOLD = re.compile(r"\b(?:raided|stormed)\b[^.;]*\b(?:detain\w*|arrest\w*|seiz\w*)|\b(?:detain\w*|arrest\w*)\b[^.;]*\braid", re.IGNORECASE)
_AIR_WORD = re.compile(r"air|jet|plane|aircraft|helicopter|drone|bomb|sortie|f-1[568]|f-35|f/a-18|su-[23]\d|mig-2|sukhoi|rafale|reaper|mq-9|aviation|coalition(?![-\s](?:backed|supported|trained|allied|partnered|troops|soldiers|commandos|special|ground|advisers|advisors)\b)")  # ("Coalition-backed SDF raids": on the ground)
_BACKER_AFTER = re.compile(r"-(?:backed|supported|sponsored|funded|armed|trained|brokered|mediated|negotiated|guaranteed|supplied|made|built)\b")
_LEAD_PHRASE_THEN = re.compile(r"[A-Z][^,.;:]{2,60},\s+")  # a fronted phrase and its comma, before the sentence's subject
_AND_FROM_BEFORE = re.compile(r"\band\s+(?:also\s+)?from\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?$")
_ON_THEIR_WAY = re.compile(r"\b(?:head(?:ed|ing)|mov(?:ed|ing)|making\s+(?:their|its)\s+way|on\s+(?:their|its)\s+way)\b")
_RIVER_CROSSED = re.compile(r"\bcrossed the (?:\w+ )?(?:river|euphrates|tigris|khabur|zab)\b")
_FRONTED_SINCE_CLAUSE = re.compile(r"\W*(?:ever\s+)?(?:since|after|following|before|until)\s+(?![\w-]+ing\b)[^,;.]*,")  # (a clause with its own subject; not "After killing 15 civilians, IS ...")
_FRONTED_IN = re.compile(r"\s*(?:[-*•]\s+)?(?:In|At|Inside|Near|Outside)\s+(?:the\s+(?:town|city|village)\s+of\s+)?")  # "In Shingal (Sinjar), which ..., troops entered the town" (also as a list item, "- In ...")
_THAT_MONTH = re.compile(r"\b(?:(?:later|earlier|in|during) )?(?:that|the same) month\b")
_SAME_DAY_AS = re.compile(r"\s+(?:that|as|when)\b")
_SAME_DAY = re.compile(r"\b(?:on |later |early |late )?(?:the same|that) (?:day|night|evening|morning|afternoon)\b"
                       r"|\b(?:(?:about|some|around|roughly|nearly|only|just)\s+)?(?:an?|one|two|three|a few|several|[1-9]|1[0-2])\s+(?:hours?|minutes?)\s+later\b"
                       r"|\bon\s+(?:the|its)\s+(?:first|opening)\s+day\b"
                       r"|\bby\s+(?:evening|nightfall|dusk)\b")  # ("By evening the CTS said it had taken full control of Gogjali")  # ("Turkey launched an operation on 20 January. Turkish aircraft struck more than 100 targets on the first day")  # ("A Russian military police unit arrived about an hour later")
NATIONAL_FORCES = {"Syria": "syrian_government", "Iraq": "iraqi_forces", "Lebanon": "lebanese_army"}  # ("the army" of a report about Arsal)
_BARE_POLICE = re.compile(r"(?:the\s+)?(?:military\s+)?(?:police|policemen|police\s+units)", re.IGNORECASE)


@lru_cache(maxsize=4)
def _opposition_held_since(items: tuple[str, ...]) -> dict[str, date]:
    """The lexicon's "town|YYYY-MM-DD" items as {town: day} (gazetteer names; Qabasin has two entries there)."""
    return {name: date.fromisoformat(start) for name, _, start in (item.partition("|") for item in items)}


def _held_by_opposition(places, day, words) -> bool:
    """Every town in view is one the Turkish-backed opposition held on `day` (the report's day:
    a retrospective's past events are read against the map of its own time)."""
    since = _opposition_held_since(words.get("opposition_police_towns", ()))
    towns = [p for p in places if p.place.kind in ("town", "landmark")]
    return bool(towns) and all(p.place.name in since and since[p.place.name] <= day for p in towns)


_SDF_PROVINCES = frozenset({"Al-Hasakah", "Raqqa", "Deir ez-Zor", "Aleppo"})  # where the SDF's Asayish police
INSURGENTS = frozenset({"islamic_state", "hts", "opposition"})
JIHADISTS = frozenset({"islamic_state", "hts"})
MILITIAS = frozenset({"iran_backed_militias", "pmf"})  # what "the militias" stand for
_SHIA_MILITIA = re.compile(r"(?:(?:iraqi|afghan|pakistani|foreign)\s+)?shi(?:a|ia|'ite|’ite|ite)\s+militia", re.IGNORECASE)
STATE_FORCES = frozenset({"syrian_government", "iraqi_forces", "russia", "turkey", "us_led_coalition", "israel", "lebanese_army", "national_forces"})


def _national(ctx: _Context) -> str | None:
    return NATIONAL_FORCES.get(ctx.country or "")


_SPEAKERS: dict[tuple, tuple] = {}  # (id of the adjectives, id of the countries) -> (regex, possessive name -> party)


_ADJECTIVE_PARTIES: dict[int, dict[str, str]] = {}


_BELIEVED_PARTY = re.compile(r"\b(?:warplanes|jets|aircraft|planes|drones|helicopters)\s+(?:(?:that|which)\s+)?(?:(?:they|residents|activists|locals|witnesses|monitors|observers)\s+)?"
                             r"(?:believe|believed|believes|thought|suspected)\s+(?:to\s+be\s+|are\s+|were\s+|to\s+have\s+been\s+)(?P<adj>[A-Z][a-z]+)\b")


def _adjective_party(lex, word: str) -> str | None:
    """The party a national adjective names ("turkish" -> turkey), from lexicon.actor_adjectives."""
    table = _ADJECTIVE_PARTIES.get(id(lex))
    if table is None:
        table = _ADJECTIVE_PARTIES[id(lex)] = {k.lower(): v for k, v in lex.actor_adjectives.items()}
    return table.get(word)


def _national_speaker(lower: str, adjectives: dict[str, str], countries: dict[str, str]) -> tuple[int, str, bool] | None:
    """(where the reported clause starts, the party, whether only "its/their" forces are the
    party's) when a sentence opens with a state's officials speaking: "Turkish officials denied
    that troops ..." speak of Turkey's troops; "Turkey's defence ministry said that its troops
    ..." of Turkey's own (not of "government troops" it speaks about). `adjectives`: lowercased
    adjective -> party (the actor finder's); `countries`: country -> its forces
    (lexicon.speaker_countries)."""
    key = (id(adjectives), id(countries))
    cached = _SPEAKERS.get(key)
    if cached is None:
        by_name = {f"{c.lower()}{s}": v for c, v in countries.items() for s in ("'s", "’s")}
        adj = literal_alternation(set(adjectives) | set(by_name))
        rx = re.compile(
            rf"^(?:[\w'’-]+\s+){{0,3}}?(?P<adj>{adj})\s+(?:[\w-]+\s+)?(?:officials?|ministry|military|army|(?P<staff>general\s+staff)|sources?|spokes(?:man|woman|person)"
            r"|government|commanders?|president|defen[cs]e minister)\b[^,.;]{0,40}?\b(?:said|says|denied|denies|confirmed|confirms|announced"
            r"|announces|claimed|claims|insisted|stated|acknowledged)\b")
        cached = _SPEAKERS[key] = (rx, by_name)
    rx, by_name = cached
    m = rx.match(lower)
    if m is None:
        return None
    said = m.group("adj")
    # (a general staff speaks of its own as "its soldiers": "The Turkish General Staff said that
    # soldiers loyal to Assad had entered Manbij" are not Turkey's)
    return (m.end(), adjectives[said], m.group("staff") is not None) if said in adjectives else (m.end(), by_name[said], True)


_STATE_WORD_BEFORE = re.compile(r"\b(?:government|regime|state|interior|ministry|army|syrian)\b[^.;,]*$")
_STATE_NAMED = re.compile(r"(?:the\s+)?(?:government|regime|pro-government|syrian|iraqi)\b", re.IGNORECASE)
_OWN_FORCES_BEFORE = re.compile(r"\b(?:its|their|our)\s+$")
_OF_THE = re.compile(r"\s+of\s+(?:the\s+)?(?:so-called\s+)?[\"“‘']?")
_FRONTED_COUNTRY = re.compile(r"\s*(?:(?:In|Across|Inside|Over in)\s+(Iraq|Syria)\b|On the (Iraq|Syria)(?:i|n) side\b)")
_BUILDING_AFTER = re.compile(r"\s+(?:complex|compound|building|buildings|headquarters|offices|palace|hospital)\b")
_UNIFORM_AFTER = re.compile(r"\s+(?:uniforms?|fatigues|insignia)\b")
_BACKED_GAP = re.compile(r"\s+(?:[A-Z][\w-]+\s+)?")
_MEMBER_NOUNS = ("fighters", "forces", "members", "units", "troops", "militiamen", "gunmen", "soldiers", "mujahideen", "elements", "police", "policemen", "guards")


def _affiliated(s: str, mentions: list[Mention], words: dict, own_forces: dict | None = None) -> list[Mention]:
    """"SDF-affiliated security forces" are the SDF's; "Islamic State gunmen" and "Turkish
    soldiers" are one mention of the named group, not a second, generic one."""
    borrowed = _word_set(words, "borrowed_group_names")
    out: list[Mention] = []
    for mm in mentions:
        if own_forces and mm.value == "national_forces":
            before = s[max(0, mm.start - 20):mm.start].lower().split()
            named = own_forces.get(mm.text.lower().removeprefix("the ")) or (own_forces.get(f"{before[-1]} {mm.text.lower()}") if before else None)
            if named is not None:
                mm = replace(mm, value=named)  # "... the SNA's Military Police. The Military Police said": the SNA's
        prev = out[-1] if out else None
        if prev is not None:
            between = s[prev.end:mm.start]
            if re.fullmatch(r"-(?:affiliated|allied|linked|aligned|led|controlled|run)\s+(?:\w+\s+){0,2}", between):
                mm = replace(mm, value=prev.value)
            elif prev.value == "unknown" and mm.value not in ("national_forces", "unknown") \
                    and re.fullmatch(r",?\s+(?:allied|affiliated|aligned|linked)\s+(?:with|to)\s+(?:the\s+)?", between):
                out[-1] = replace(prev, value=mm.value)  # "Yazidi fighters allied with the Popular Mobilisation": the PMF's
            elif prev.text.lower().endswith(("-backed", "-supported")) and _BACKED_GAP.fullmatch(between):
                # "Turkish-backed Syrian rebels": the rebels; but "the Turkish-backed Military
                # Police": the backed faction's own police, not the state's
                value = prev.value if mm.value == "national_forces" and prev.value not in STATE_FORCES else mm.value
                out[-1] = replace(mm, start=prev.start, text=s[prev.start:mm.end], value=value)
                continue
            elif _OF_THE.fullmatch(between) and prev.text.lower().endswith(_MEMBER_NOUNS):
                out[-1] = replace(mm, start=prev.start, text=s[prev.start:mm.end])  # "tribal fighters of the PMF": the PMF's
                continue
            elif mm.value != prev.value and prev.value not in ("national_forces", "unknown") and len(between) <= 40 \
                    and _KNOWN_AS_BETWEEN.search(between):
                mm = replace(mm, value=prev.value)  # "the HTS morality police, once known locally as the Hisbah": HTS's
            elif mm.value != prev.value and prev.value not in ("national_forces", "unknown") and re.fullmatch(r"\s|['’]s\s", between) \
                    and mm.text.lower().removeprefix("the ") in borrowed:
                out[-1] = replace(prev, end=mm.end, text=s[prev.start:mm.end])  # "the HTS morality police": HTS's, not IS's
                continue
            elif mm.value == "national_forces" and prev.value not in ("national_forces", "unknown") \
                    and _SENDS_ITS_FORCE_BETWEEN.fullmatch(between.lower()):
                mm = replace(mm, value=prev.value)  # "the US-led coalition has maintained about 900 troops": its troops
            elif mm.value in ("national_forces", "unknown") and prev.value not in ("national_forces", "unknown") \
                    and _OWN_FORCE_BETWEEN.fullmatch(between.lower()):  # "Asayish security police", "the SDF's military police", "the SNA's Military Police"
                out[-1] = replace(prev, end=mm.end, text=s[prev.start:mm.end])
                modifier = [w for w in between.lower().split() if w.isalpha()]
                key = f"{modifier[-1]} {mm.text.lower()}" if modifier else mm.text.lower().removeprefix("the ")
                if own_forces is not None and mm.value == "national_forces" and " " in key:
                    own_forces[key] = prev.value  # later "the Military Police" are these
                continue
        out.append(mm)
    return out


# A group's own troops, counted after its verb: "the coalition has maintained about 900 troops",
# "Turkey sent 300 more soldiers".
_SENDS_ITS_FORCE_BETWEEN = re.compile(r"\s+(?:has\s+|have\s+|had\s+)?(?:also\s+|now\s+|still\s+)?(?:maintained|maintains|kept|keeps|deployed|deploys|sent|sends|stationed|stations|dispatched|dispatches|brought|brings|moved|moves)"
                                      r"\s+(?:about|around|some|nearly|almost|more than|over|at least|an estimated|up to)?\s*[\d,]+\s+(?:more\s+|additional\s+|extra\s+|[\w-]+\s+)?")
# Between a group and a generic force noun that is its own: "the SDF's military police",
# "the Syrian National Army's (SNA) Military Police", "Asayish security police".
_OWN_FORCE_BETWEEN = re.compile(r"\)?(?:['’]s)?\s?|\)?(?:['’]s)?\s(?:security|military|special|internal|local|elite|religious|morality)\s")
_KNOWN_AS_BETWEEN = re.compile(r"\b(?:known|referred to)\s+(?:locally\s+|widely\s+|simply\s+|popularly\s+)?as\s+[\"“‘']?(?:the\s+)?$|\b(?:dubbed|nicknamed)\s+[\"“‘']?(?:the\s+)?$")
_BY_BEFORE = re.compile(r"\bby\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}$")  # "killed by IS", "killed by an IS sleeper cell"
# A subject starts a clause: "Turkey captured", "..., and Iran sent" (not "air strikes in Syria killed").
_CLAUSE_START_BEFORE = re.compile(r"(?:^|[,;:(]|\b(?:and|that|when|after|as|while|but|since|because|then|meanwhile))\s*(?:the\s+)?$")


_ALLIES_AFTER = re.compile(r"(?:\s+and\s+(?:its|their|[a-z]+)?\s*(?:[a-z]+\s+)?(?:allies|partners))?")  # "the United States and five Arab allies launched"


_FACILITY_NAME = re.compile(r"\b(?:camp|air ?base|base|airport|dam|refinery|prison|crossing|zone|field|mount|mountains?|bridge|division|brigade|palace|reactor|shrine|mosque|university|citadel|castle|chevaliers|church|hospital|stadium|hill|tal|tell|tel)\b", re.IGNORECASE)


_LINE_LEAD = re.compile(r"\W*(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?)?\W*")  # "09:40 #", "- ", "3) "


_FIRST_PERSON_AFTER = re.compile(r"\W*(?:our|we|us|my|i)\b", re.IGNORECASE)


def _only_as_province(name: str, text: str) -> bool:
    """The text names `name` (a city that shares its province's name) and every time as the
    province: "the Deir ez-Zor countryside", "Raqqa province", "the province of Idlib"."""
    said = [m for m in re.finditer(rf"\b{re.escape(name)}\b", text, re.IGNORECASE)]
    return bool(said) and all(re.match(r"['’]?s?\s+(?:\w+\s+)?(?:countryside|province|governorate)\b", text[m.end():m.end() + 30], re.IGNORECASE)
                              or re.search(r"\b(?:countryside|province|governorate) of (?:the )?$", text[max(0, m.start() - 30):m.start()], re.IGNORECASE)
                              for m in said)


_QUARTER_WORD_AFTER = re.compile(r"\s+(?:district|neighbou?rhood|quarter)s?\b", re.IGNORECASE)
QUARTER_NEIGHBOUR_KM = 15  # a town this close to a city puts a report's bare name of one of its quarters in it


# "the Al-Zahraa neighbourhood of Homs", "Homs's Al-Zahraa district": a quarter the gazetteer lacks,
# told with its city
_QUARTER_OF_TOWN = re.compile(r"(?:\b[Tt]he\s+|['’]s\s+)(?P<name>(?:(?:[Aa]l|[Ee]l)-)?[A-Z][\w’'-]+(?:\s+(?:(?:al|el)-)?[A-Z][\w’'-]+){0,2})"
                              r"\s+(?:neighbou?rhood|district|quarter)\b(?:\s+of\s+)?")


def _quarters_told(sentences, sentence_names, gaz):
    """A quarter the report places in a town ("a checkpoint in the Al-Zahraa neighbourhood of
    Homs") is that town where the report names it again alone ("Security forces sealed off
    Al-Zahraa"). Only names the gazetteer does not know."""
    told: dict[str, list[str]] = {}
    for sent, names in zip(sentences, sentence_names):
        for m in _QUARTER_OF_TOWN.finditer(sent.text):
            name = m.group("name")
            known = gaz.candidates(name)[0]
            if name in told or any(i not in gaz.landmark_towns for i in known):
                continue  # (a quarter the gazetteer knows is read as such; but not another city's namesake: Mosul's al-Zahraa)
            if m.group(0)[:3].lower() == "the":  # "the X neighbourhood of <town>"
                town = next((n for n in names if n.start == m.end()), None) if m.group(0).endswith(" of ") else None
            else:  # "<town>'s X district"
                town = next((n for n in names if n.end == m.start()), None)
            if town is not None and any(gaz.places[i].kind == "town" for i in town.ids):
                towns = [i for i in town.ids if gaz.places[i].kind == "town"]
                if not any(gaz.landmark_towns.get(i) in towns for i in known):
                    told[name] = towns
    if not told:
        return sentence_names
    bare = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(told, key=len, reverse=True)) + r")(?![\w-])")
    out = []
    for sent, names in zip(sentences, sentence_names):
        if any(any(gaz.places[i].kind == "town" for i in n.ids) and not any(i in towns for towns in told.values() for i in n.ids)
               for n in names if not all(i in gaz.landmark_towns for i in n.ids)):
            out.append(names)  # ("Iraqi troops set up checkpoints in Al-Zahraa in eastern Mosul": the town the sentence names)
            continue
        spans = {m.span() for m in bare.finditer(sent.text) if not _FACILITY_NAMED_AFTER.match(sent.text, m.end())}  # (not "the Al-Nour mosque")
        names = [n for n in names if (n.start, n.end) not in spans or not all(i in gaz.landmark_towns for i in n.ids)]  # (not Mosul's al-Zahraa)
        extra = []
        for m in bare.finditer(sent.text):
            word = _QUARTER_WORD_AFTER.match(sent.text, m.end())
            if any(n.start < m.end() and m.start() < n.end for n in names) or _QUARTER_OF_TOWN.match(sent.text, max(0, m.start() - 4)) \
                    or (word is not None and sent.text.startswith(" of ", word.end())):
                continue  # (a name already read, or the quarter told with its town again)
            extra.append(PlaceName(m.start(), m.end(), m.group(0), told[m.group(0)], False, None))
        out.append(sorted(names + extra, key=lambda n: n.start) if extra else names)
    return out


def _quarters_of_named_cities(title_names, sentence_names, sentences, gaz, text: str):
    """A city's quarter ("al-Karama" of Mosul, "Jobar" of Damascus) is read as the quarter only
    in a report that names its city: Hasakah's own al-Zuhur is no quarter of Mosul, and the
    village of al-Karama near Raqqa is Raqqa's. (A base, airport or camp is distinctive enough
    to stand alone: "Camp Speicher" is Tikrit's.)"""
    named = {i for names in [title_names, *sentence_names] for n in names for i in n.ids}
    # (the provinces of the places the report names unambiguously)
    named_admin1 = {a for names in [title_names, *sentence_names] for n in names
                    if len(admins := {gaz.places[i].admin1 or gaz.places[i].name for i in n.ids}) == 1 for a in admins}

    neighbours: dict[str, bool] = {}

    def near(town) -> bool:
        # (a town the report names within a suburb's reach of the city: "#Jobar and #EinTarma"
        # in a report about Eastern Ghouta are Damascus's Jobar and its neighbour; once per city)
        if town not in neighbours:
            city = gaz.places[town]
            neighbours[town] = city.latitude is not None and any(
                (p := gaz.places[j]).kind == "town" and p.latitude is not None and j != town
                and distance_km(city.latitude, city.longitude, p.latitude, p.longitude) <= QUARTER_NEIGHBOUR_KM for j in named)
        return neighbours[town]

    def city_named(i):
        town = gaz.landmark_towns[i]
        # (also inside "the Baghdad Operations Command", but not "Abu Bakr al-Baghdadi")
        name = gaz.places[town].name  # (also in a dateline's capitals: "DARAA - ... al-Balad")
        return town in named or re.search(rf"\b(?:{re.escape(name)}|{re.escape(name.upper())})\b", text) is not None or near(town)

    def quarter(i):
        return i in gaz.landmark_towns and not _FACILITY_NAME.search(gaz.places[i].name)

    def keep(names, sentence=""):
        out = []
        for n in names:
            if any(quarter(i) for i in n.ids):
                ids = [i for i in n.ids if not quarter(i) or city_named(i)]
                if not ids or (len(ids) < len(n.ids) and _QUARTER_WORD_AFTER.match(sentence, n.end)
                               and not any(gaz.places[i].admin1 in named_admin1 for i in ids)):
                    continue  # ("al-Zuhur neighbourhood" in a report about Hasakah: not Mosul's; "the
                    # al-Hamidiya district" of Homs: neither Deir ez-Zor's quarter nor a village in Tartus;
                    # but "the Khalidiya district east of Ramadi" is the Anbar town)
                if any(quarter(i) for i in ids):
                    # ("the Tamim district in south-western Ramadi": Ramadi's quarter, not Kirkuk
                    # province's old name Al-Tamim)
                    ids = [i for i in ids if gaz.places[i].kind not in ("admin1", "country")]
                n = replace(n, ids=ids)
            out.append(n)
        return out
    return keep(title_names), [keep(names, sent.text) for names, sent in zip(sentence_names, sentences)]


_ACCUSED_BEFORE = re.compile(r"\b(?:accused|accuses|accusing|accuse|blamed|blames|blaming|blame)\s+$")
_ACCUSED_OF_AFTER = re.compile(r"\s+(?:of|for)\s+(?:[a-z]+ing\b|(?:the|an?)\s)")
_SAYS_ITS_FORCES = re.compile(r"(?:(?:['’]s)?\s+(?:military|army|armed forces|defen[cs]e ministry|ministry of defen[cs]e|general staff|air force))?\s+(?:has\s+|had\s+)?(?:said|says|announced|stated|confirmed|denied|denies|insisted|insists)\s+(?:that\s+)?(?:its|their)\s+")


_ITS_FORCE_NOUN = re.compile(r"(?:forces|troops|soldiers|units|army|military|jets|warplanes|aircraft|drones)\b")


def _country_actors(s: str, lower: str, names: list[PlaceName], mentions: list[Mention], gaz, lex) -> list[Mention]:
    """"Turkey captured Jarablus", "Iran sent fighters": a country that is the subject of an
    act is that state's party (lexicon country_actors), not a place."""
    added = []
    for n in names:
        code = next((lex.country_actors.get(gaz.places[i].name) for i in n.ids if gaz.places[i].kind == "country"), None)
        if code and not any(mm.start < n.end and n.start < mm.end for mm in mentions) and ((
                _CLAUSE_START_BEFORE.search(lower, max(0, n.start - 12), n.start) and _words_re(
                lex.words, "country_actor_verbs", r"\s+(?:(?:has|have|had|also|reportedly|then|later|now|recently|again)\s+)*(?:@@)\b",
                lowered=True).match(lower, _ALLIES_AFTER.match(lower, n.end).end()))
                or (_ACCUSED_BEFORE.search(lower, max(0, n.start - 12), n.start) and _ACCUSED_OF_AFTER.match(lower, n.end))):
            # ("Kurdish officials accused Turkey of killing 16 civilians": the accused state did it)
            added.append(Mention(n.start, n.end, code, n.text))
        own = _SAYS_ITS_FORCES.match(lower, n.end) if code else None
        force = _ITS_FORCE_NOUN.match(lower, own.end()) if own else None
        if force:
            # "Turkey said its troops had not withdrawn": the speaking state's own forces
            mentions = [mm for mm in mentions if not (mm.start == own.end() and mm.value in ("national_forces", "unknown"))]
            if not any(mm.start <= own.end() < mm.end for mm in mentions):
                added.append(Mention(own.end(), force.end(), code, s[own.end():force.end()]))
    return sorted(mentions + added, key=lambda mm: mm.start) if added else mentions


_INTERVIEW_WITH = re.compile(r"\b(?:spoke|talked|speaking|interviewed|an interview)\b[^.\n]{0,40}?\bwith\b")
_AVOID_BEFORE = re.compile(r"\b(?:avoid|avert|prevent|stop)(?:s|ed|ing)?\s+(?:a|an|any|the|further|more|another|new)?\s*(?:[\w-]+\s+)?$")
_DEAL_FOR_TO_BEFORE = re.compile(r"\b(?:deal|agreement|arrangement|plan|corridors?|guarantees?|permission|calls?|demands?|way)\b[^.;]{0,60}\bfor\s+(?:[\w-]+\s+){1,4}to\s+$")
_CAME_TO_DO_BEFORE = re.compile(r"\b(?:arrived|arriving|deployed|sent|dispatched|moved|headed|came|rushed|flown in|brought in)\b[^.;]{0,80}(?<!went on )(?<!moved on )(?<!going on )(?<!proceeded )(?<!managed )\bto\s+$")
_PLACE_NOUN_SOON = re.compile(r"\s+(?:the\s+)?(?:(?!(?:in|at|near|from|of|on|inside)\s)[\w’'-]+\s+){1,3}(?:district|neighbou?rhood|quarter|village|town|area|suburb|camp|hill|farms)\b")


def _people_after(lower: str, end: int, lex) -> bool:
    """The words after a verb name people: "captured rebels", "captured two IS fighters"."""
    words = lower[end:end + 40].split()[:3]
    if words and words[0] in ("by", "from", "in", "at", "on", "after", "during", "when"):
        return False  # "was captured by opposition fighters": the captors
    # (the object ends at a preposition: "captured Al-Hader from rebel factions" took a town)
    words = list(itertools.takewhile(lambda w: w not in ("by", "from", "in", "at", "on", "after", "during", "when", "near"), words))
    if _PLACE_NOUN_SOON.match(lower, end):
        return False  # "captured the Sheikh Saeed district": a place, whatever word names it
    nouns = lex.combatants | lex.civilians
    return any(w.strip(",.;:") in nouns for w in words)


def _clause_has(words: dict, key: str, lower: str) -> bool:
    """`lower`, a lowercased text, has a word of the lexicon list `key`."""
    return bool(_words_re(words, key, r"\b(?:@@)\b", lowered=True).search(lower))


_BYLINE_WORD = re.compile(r"[^\W\d_]+")


def _is_byline(s: str, names: list[PlaceName], published: date) -> bool:
    """"SHRM | 29 March 2021 | Al-Hasakah", "Al-Hasakah, 29 March 2021": a line of a place and
    a day (an outlet's name at most) says where the report was filed, not where its events
    are; "the town" after it may still be that place."""
    if len(s) > 70 or not names:
        return False
    times = find_time_expressions(s, published)
    if not any(t.precision == "day" for t in times):
        return False
    rest = s
    for a, b in [(n.start, n.end) for n in names] + [(t.span_start, t.span_end) for t in times]:
        rest = rest[:a] + " " * (b - a) + rest[b:]
    return len([w for w in _BYLINE_WORD.findall(rest) if w.lower() != "today"]) <= 1  # ("Kirkuk Today | Security | 20 May 2020")


_THE_STRIKE = re.compile(r"(?:\b(?:in|by|during|from)\s+|^\W*|[;:]\s*|\b(?:said|says|say|reported|added)\s+(?:that\s+)?)the\s+(?:(?P<adj>russian|turkish|american|u\.s\.|us|coalition|israeli)\s+)?(?:air\s*|drone\s+)?(?:strikes?|raids?|bombing)\b"
                         r"|(?:\b(?:when|as|after)\s+|^\W*)(?:(?:an?|the|one)\s+|(?<=when\s)(?=(?:missiles|(?:air\s*|drone\s+)?(?:strikes|raids))\s))(?:(?:air-launched|guided|cruise)\s+)?(?:missiles?|(?:barrel|guided|cluster|vacuum)\s+bombs?|(?P<raid>(?:air\s*|drone\s+)?(?:strikes?|raids?)))\s+(?:hit|struck|flattened|slammed|landed|fell|destroyed|levell?ed|tore|smashed|killed)\b")  # ("killed in the strike", "in the Russian strikes on X", "The strikes north of X killed", "The SDF said the bombing had killed")


_PARTY_IN_TRIGGER = re.compile(r"\b(?:coalition|russian|russia|american|u\.?s\.?|turkish|turkey|syrian|iraqi|israeli|regime|government)\b", re.IGNORECASE)

def _strike_told_before(out: list[tuple[Observation, bool]], told: list[Observation], named=frozenset(), the_raid: bool = False) -> list[tuple[Observation, bool]]:
    """"U.S. forces struck a facility near al-Mayadin on November 12. Eight militiamen were
    killed in the strike near al-Mayadin.": the strike just told, not another; its dead died
    on its day (unless this sentence dates them), and where it struck when their own sentence
    names no place ("The YPG said the strikes on Saturday had killed seven civilians")."""
    kept = []
    for o, explicit in out:
        prev = next((p for p in told if p.place_id == o.place_id and p.actor == o.actor), None) \
            or next((p for p in told if p.place_id == o.place_id), None)
        if prev is None and o.indicator in ("killing", "airstrike") and o.place_id not in named and len({p.place_id for p in told}) == 1:
            prev = told[0]
            o = replace(o, **{f: getattr(prev, f) for f in _PLACE_FIELDS})
        if prev is not None:
            same_days = (o.date_start, o.date_end) == (prev.date_start, prev.date_end)
            if o.indicator == "airstrike" and (same_days or not explicit) and (
                    o.actor == prev.actor or "unknown" in (o.actor, prev.actor) or not _PARTY_IN_TRIGGER.search(o.trigger)):
                continue  # (but not another party's named strike: "Coalition jets struck IS near Palmyra; the Russian strikes hit the ancient city")
            if o.indicator == "killing":
                # its strikers ("The strikes north of Muqdadiya killed 30"; not an unknown one over
                # "Russian jets may have been responsible"), and its day
                own = o.actor if o.change == "killed_by" else o.counterpart
                if the_raid and own not in (None, "unknown"):
                    kept.append((o, explicit))
                    continue  # ("IS gunmen killed three civilians when a raid hit their house": the killers it names)
                if (prev.actor != "unknown" or own not in AIR_FORCES) \
                        and not (o.change == "killed" and o.actor == prev.actor):  # (a side's dead are not its own strike's)
                    o = replace(o, **({"counterpart": prev.actor} if o.change == "killed" else {"actor": prev.actor} if o.change == "killed_by" else {}))
                if not explicit:
                    o = replace(o, date_start=prev.date_start, date_end=prev.date_end, date_precision=prev.date_precision)
                if prev.indicator == "airstrike" and o.manner in (None, "unknown", "clash"):
                    o = replace(o, manner="airstrike")  # ("killed when a raid flattened a house": the air raid's, not a ground raid's)
        kept.append((o, explicit))
    return kept


def _struck_group_dead(out: list[tuple[Observation, bool]], told: list[Observation], named: set) -> list[tuple[Observation, bool]]:
    """"U.S. aircraft struck militia buildings near Al-Bukamal ... A monitor said at least 22
    militia fighters were killed": the dead of the group just struck, placed by no town of
    their own sentence, died in that strike, where and when it struck."""
    kept = []
    for o, explicit in out:
        strikes = [t for t in told if o.indicator == "killing" and o.change == "killed" and t.counterpart == o.actor and o.place_id not in named
                   and t.place_precision == "town" and o.manner in (None, "unknown") and o.counterpart is None]
        if strikes and len({t.place_id for t in told}) == 1:  # (one place struck: not "between Abu Kamal and Al-Qaim")
            t = strikes[0]
            o = replace(o, **{f: getattr(t, f) for f in _PLACE_FIELDS}, counterpart=t.actor, manner="airstrike")
            if not explicit:
                o = replace(o, date_start=t.date_start, date_end=t.date_end, date_precision=t.date_precision)
        kept.append((o, explicit))
    return kept


# "In Baghdad, a PMF spokesman denied ...": where a speaker spoke (a seat of government), not where the story goes on
_IN_TOWN_START = re.compile(r"\W*In\s+(?:the\s+(?:capital|city\s+of)\s+)?")
_SPEAKER_THERE_AFTER = re.compile(r"\s*,\s*(?:(?:an?|the|his|her|its|their)\s+)?(?:[\w’'.-]+\s+){0,5}?(?:spokesm[ae]n|spokeswoman|spokesperson|officials?|ministers?|ministry|commanders?|sources?|statement|government|leaders?)\b"
                                  r"[^.;]{0,40}?\b(?:said|says|denied|denies|told|announced|insisted|confirmed|stressed|claimed|warned|added)\b")


def _in_view(s: str, p: PlaceMention, ctx, towns: list = (), seats: frozenset = frozenset()) -> bool:
    """Whether a town a sentence names becomes the town in view (what "the city" and undated
    events after it are about): not where people headed ("residents fled north toward
    Qamishli"), where a road leads ("off the road to Homs"), with a town already in view,
    where forces came from ("reinforcements flown in from Baghdad drove them back"), nor the
    district a town in view lies in ("fought for Sinuni ..., the worst violence in the Sinjar
    district since 2020": Sinuni stays in view), nor a seat of government where a speaker spoke
    ("In Baghdad, a PMF spokesman denied ..."; but "In Mosul, police officials said the city was
    tense": local sources, on their own city)."""
    return not (_TOWARD_BEFORE.search(s, max(0, p.start - 60), p.start)
                or _ROAD_TO_BEFORE.search(lowercase(s), max(0, p.start - 40), p.start)
                or ((ctx.town or ctx.event_place) and p.text in seats and _IN_TOWN_START.fullmatch(s, 0, p.start) and _SPEAKER_THERE_AFTER.match(s, p.end))
                or (_FROM_BEFORE.search(s, max(0, p.start - 12), p.start) and (ctx.town or ctx.event_place))
                or (_DISTRICT_AFTER.match(s, p.end) and any(
                    q is not None and q.place.place_id != p.place.place_id and q.place.admin2 == p.place.name
                    for q in (*towns, ctx.town))))



_TOTALS_HEADING = re.compile(r"\W*(?:totals?|cumulative totals?|summary)\b[^.]{0,80}$", re.IGNORECASE)  # (a heading line: "TOTALS FOR THE PERIOD (Diyala province)")
_YEAR_DIGITS = re.compile(r"\b(?:1[0-9]|20)\d\d\b|'\d\d\b")  # a time that names its year ("in May 1918"), not "in the autumn"
# "In 861 the caliph al-Mutawakkil was killed": a year of three digits, told as a year
_ANCIENT_YEAR = re.compile(r"\b(?:[Ii]n|[Bb]y|[Ss]ince|[Uu]ntil)\s+[1-9]\d{2}(?:\s*(?:AD|CE|BC|BCE))?(?=\s*(?:[,.;]|$)|\s+(?:AD|CE|BC|BCE|the|a|an|when|he|she|they|it)\b)")
_OLD_YEAR_NAMED = re.compile(r"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ff]rom|[Aa]round|[Cc]irca)\s+1[0-8]\d\d\b(?!\s*(?:GMT|UTC|[Ll]ocal|[Hh]ours|hrs|[AaPp]\.?[Mm]\b|[Hh]\b))(?![\s,]*(?:[\w-]+\s+){0,2}?(?:people|men|fighters|troops|soldiers|civilians|families|members|militants|km|kilomet|metres|meters|dollars|households|homes|houses|buildings))")
_OLD_YEAR = re.compile(r"\b1(?:[0-8]\d\d|9[0-8]\d)\b")  # a year before the wars ("in October 1925", "ninety years ago"): history, when the sentence has no later time


_ACCORD_LEFT_AFTER = re.compile(r"\s+(?:out\s+)?(?:of|from)\s+(?:the\s+|a\s+|its\s+)?(?:\d{4}\s+)?(?:[\w-]+\s+){0,2}?"
                                r"(?:deal|agreement|accord|treaty|talks|negotiations|ceasefire|truce|elections?|race|pact)\b")


_ITS_FORCES_START = re.compile(r"\W*(?:its|their)\s+((?:own\s+)?(?:drones|jets|warplanes|aircraft|planes|forces|troops|soldiers|artillery))\b")
_SUBJECT_VERB_AFTER = re.compile(r"\s+(?:(?:has|had|have|also|then)\s+)?(?:said|says|announced|vowed|warned|confirmed|stated|retaliated|responded|launched|began|claimed)\b")
_BORDER_PAIR_AFTER = re.compile(r"\s*[-–/]\s*[a-z]+\s+(?:border|frontier)\b")
_BORDER_PAIR_BEFORE = re.compile(r"\b[a-z]+\s*[-–/]\s*$")
_SPEECH_ADVERB = r"(?:separately|also|later|earlier|previously|again)"  # ("said separately that it had conducted four strikes")
_SPEAKERS_THEY = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:said|say|says|stated|claimed|announced|confirmed|insisted|insists|added|admitted)\s+(?:on\s+\w+\s+)?(?:" + _SPEECH_ADVERB + r"\s+)?(?:that\s+)?(?:(?:[\w-]+\s+){1,3}?of\s+(?=(?:its|their|our)\s))?(they|it|we|their|its|our)\b(?:\s+[\w-]+)?")  # (or "said three of its fighters died")


_LABOUR_STRIKE = re.compile(r"\b(?:workers|teachers|employees|unions?|traders|shopkeepers|merchants|nurses|doctors|lawyers|drivers|staff)\s+(?:[\w-]+\s+){0,3}?(?:staged|launched|resumed|began|begun|went on|called|held|declared|continued|started|are on|were on)\s+(?:(?:a|an|their|its|the|open-ended|general|partial|new|sit-in)\s+)*strikes?\b(?!\s+(?:on|against|targeting)\b)|\bstrikes?\s+over\s+(?:unpaid\s+)?(?:wages|salaries|pay)\b|\bgeneral strike\b|\bhunger strikes?\b")
_OTHER_STRIKES_START = re.compile(r"(?:the\s+)?(?:other|remaining|rest of the|additional)\s+strikes?\b")
_POSTS_TAKEN_COUNT_AFTER = re.compile(r"\s+(?:(?:at least|some|about|around|more than|nearly|almost|over)\s+)?(?:\d+|[a-z]+(?:-[a-z]+)?|all|most|several|many|some)\s+of\s+(?:them|these|those)\b")
_POSTS_NAMED = re.compile(r"\b(?:checkpoints?|posts?|outposts?|positions?|bases?|barracks|headquarters)\b")
_UNNAMED_AREAS_THAT_BEFORE = re.compile(r"\b(?:areas|regions|parts|territories|places|communities|localities)\s+(?:that|which)\s+(?:(?:have|has|had|recently|since|now|just|also)\s+)*$")

def _sentence_observations(report: Report, sent: Sentence, names: list[PlaceName], found: list[Mention],
                           ref: Reference, actors: _ActorFinder, ctx: _Context, context_admin1) -> list[tuple[Observation, bool]]:
    lex, gaz = ref.lexicon, ref.gazetteer
    words = lex.words
    s = sent.text
    lower = lowercase(s)
    cued = [group for _indicator, cue, group in lex.trigger_groups if cue is None or cue.search(lower) is not None]
    if len(names) > 1 and " in " in s and ("province" in lower or "governorate" in lower):
        names = _outside_their_province(s, names, gaz)
    # Villages the gazetteer lacks, named as such ("the villages of Badana and Tarjala"), are
    # places of their own; any other unknown name only keeps the last town from taking the event.
    villages = _unknown_villages(s, names, found, words, gaz, ctx.quarter_names) if cued else []
    if cued and ctx.unlocated:
        # a village the report named before ("near the village of Balyun"), named bare again
        # ("strikes in the Balyun area"): the same place
        villages += [_Village(m.start(), m.end(), m.group(0)) for m in _known_names_re(tuple(ctx.unlocated)).finditer(s)
                     if not any(n.start < m.end() and m.start() < n.end for n in [*names, *found, *villages])
                     and not _FACILITY_NAMED_AFTER.match(s, m.end())]  # (not "the Omar oil field" after "the village of Omar"; but "the Balyun area")
    ctx.unknown_place_named, ctx.unknown_place_name = _names_unknown_place(s, [*names, *villages], found, words, gaz, ctx.quarter_names) if cued else (None, None)
    if ("launch" in lower or "began" in lower or "started" in lower) and (launch := _OPERATION_LAUNCHED_IN.search(lower)):
        # ("A year ago today, Iraqi forces launched the operation to retake Mosul": for "during the
        # campaign"; its own time, not "Two years after IS seized Mosul in June 2014, ...")
        launch_times = [t for t in find_time_expressions(s, report.published) if not _SINCE_WORD.match(t.text)
                        and not (t.span_end <= launch.start() and re.search(r"\b(?:after|since|before)\b", lower[:t.span_start]))]
        ctx.operation_time = min(launch_times, key=lambda t: abs(t.span_start - launch.start()), default=ctx.operation_time)
    if not (names or found or cued):
        if " 1" in s and _OLD_YEAR.search(s) is not None and (_OLD_YEAR_NAMED.search(s) is not None or (
                (told := find_time_expressions(s, report.published)) and all(t.end.year < 1990 for t in told))):
            # ("The mountain had its own moment in 1925, when Sultan al-Atrash rose ...": what the
            # paragraph tells next is that year's)
            ctx.in_history, ctx.history_line = True, sent.line
        return []  # no trigger word, group or place: nothing to observe or carry on
    # ("The legion's soldiers kept a checkpoint at the Nabataean Arch": a subject of antiquity)
    historical = _words_re(words, "historical", r"\b(?:@@)\b").search(s) is not None or _HISTORY_SUBJECT_START.match(s) is not None
    old = " ago" in s or (" 1" in s and _OLD_YEAR.search(s) is not None)
    times = find_time_expressions(s, report.published) if historical or old or ctx.in_history else ()
    # (a relative time is the report's own, but a season or month beside an old year is that
    # year's: "in May 1918, ..., and returned in the autumn"; "On Monday, ... a town founded in 1920" is news)
    old_year_named = historical and any(t.start.year < 1990 and _YEAR_DIGITS.search(t.text) for t in times)
    ancient = (_ANCIENT_YEAR.search(s) is not None or (" 1" in s and _OLD_YEAR_NAMED.search(s) is not None)) \
        and not any(t.start.year >= 1990 for t in (times or find_time_expressions(s, report.published)))  # (also "In 1147 a Crusader army set out")
    if ancient and not historical and not old:
        return []  # ("In 861 the caliph was killed": this sentence only; the next is news again)
    if (historical and not any(t.start.year >= 1990 and (not old_year_named or _YEAR_DIGITS.search(t.text) or t.precision == "day") for t in times)) or (
            old and times and all(t.end.year < 1990 for t in times)) or ancient:
        # "Roman soldiers of the third century": history, not news (but "In July, gunmen killed two
        # Hisbah members near the castle where Mamluk defenders once repelled a Mongol army" is news)
        ctx.in_history, ctx.history_line = True, sent.line
        return []
    if ctx.in_history and ((not found and _PRONOUN_START.match(s)) or (not times and _HISTORY_SUBJECT_START.match(s)) or (
            sent.line == ctx.history_line and not times)):
        ctx.history_line = sent.line  # (the history goes on in this paragraph: "Inscriptions ... record the names of men killed on those patrols")
        # "The Assyrians set up checkpoints ... Their patrols guarded the crossings."; "... were
        # killed in October 1925. French troops set up checkpoints around the old city": the
        # same paragraph's sentences with no time of their own go on telling that history
        return []
    ctx.in_history = False
    # "IS fighters, according to residents, withdrew": an aside between a subject and its verb
    # is read as blank, so the trigger and its roles span it.
    asides = [a.span() for a in _ASIDE.finditer(lower)] if "," in lower else []
    scan = lower
    for a0, a1 in asides:
        # (an aside that ends a clause keeps its comma: "..., state television reported, and
        # Jaish al-Islam had removed its own checkpoints" is no gap of one trigger)
        closes = lower.startswith(("and ", "but ", "while ", "whereas "), a1)
        scan = scan[:a0] + " " * (a1 - a0 - 2) + (", " if closes else "  ") + scan[a1:]
    matches = []
    label_end = 0
    if ctx.line_time is not None and ctx.line_time[0] == sent.line and (_LINE_DATE.match(s) or _LINE_NUMERIC_DATE.match(s)):
        label = _LIST_LABEL.match(s)
        label_end = label.end() if label else 0  # "04 June 2022 | Diyala | Al-Adhaim | Air/drone strike: ..."
    if s.rstrip().rstrip('"”’\'').endswith("?"):
        cued = []  # "Has anyone been killed since the siege ended?": a question asserts nothing
    for group in cued:
        for trig in group:
            for m in trig.regex.finditer(s if trig.case_sensitive else scan):
                if m.end() > label_end:  # an event list's type label ("Killing:", "Air/drone strike:") is no event
                    matches.append((m.start(), m.end(), trig, m))
    ctx.strike_matched = any(t.indicator == "airstrike" and not t.after_strike for _a, _b, t, _m in matches)  # (a lead that tells strikes dates the story)
    if len(matches) > 1:
        matches = _dedupe_matches(matches)
    if not matches:
        # No trigger: nothing to observe here, but the last town and group named are carried
        # on ("the city", "the group" in a later sentence).
        found = [m for m in found if not _SOURCE_AFTER.match(lower, m.end, m.end + 20)]
        named = [m for m in found if m.value not in ("unknown", "national_forces")]
        _remember_named(ctx, named, lower)
        ctx.named_speaker = None  # (a speaker is "the group that said" only in the sentence right after its own)
        if "between" in lower:
            _remember_sides(lower, named, ctx)
        towns = [p for p in rank_place_names(names, gaz, context_admin1) if p.place.kind in ("town", "landmark")
                 and not any(mm.start < p.end and p.start < mm.end for mm in found)]
        # ("the ISIS-held town northeast of Mosul": Mosul only says where the town is)
        towns = [p for p in towns if not _DIRECTION_OF_BEFORE.search(s[max(0, p.start - 45):p.start].lower())] or towns
        # ("#Mayadeen #DeirEzzor", "Mayadin, Deir ez-Zor": the second names the first's province)
        towns = [p for p in towns if not any(q is not p and q.place.admin1 == p.place.name != q.place.name for q in towns)] or towns
        _remember_sites(s, towns, ctx)
        ctx.town_pair = towns[-2:] if len(towns) > 1 else ctx.town_pair
        government_seats = _word_set_cased(words, "government_seats")
        towns = [p for p in towns if _in_view(s, p, ctx, towns, government_seats)]
        towns = [p for p in towns if not _names_government(s, p, words)]  # ("Damascus controlled the entire city": no town in view)
        if towns:
            ctx.town = _place_role(towns[-1], s, words, _attribution(s, words)[1], ctx)
            if ctx.event_place is None and ctx.town.role == "event" and not _is_byline(s, names, report.published):
                ctx.event_place = ctx.town
            elif ctx.town.role == "event" and (launched := _OPERATION_LAUNCHED_IN.search(lower)) and launched.end() <= ctx.town.start:
                # "Turkey launched a military operation in the Afrin district. Turkish aircraft struck
                # more than 100 targets on the first day": where the operation is, not the last event's town
                ctx.event_place, ctx.event_place_at = ctx.town, ctx.sentences_read
                ctx.last_time = ctx.operation_time or ctx.last_time  # (and its day, for "on the first day")
        elif _TOTALS_HEADING.match(s):
            # "TOTALS FOR THE PERIOD (Diyala province)": the tallies under it are the province's,
            # not the last incident's town
            provinces = [p for p in rank_place_names(names, gaz, context_admin1) if p.place.kind == "admin1"]
            if provinces:
                ctx.event_place = replace(provinces[-1], role="context")
        return []
    seats = _word_set_cased(words, "government_seats")
    # "a military source", "an SDF spokesman" speak; they do not act in the sentence;
    # "traffic police" and "Roman soldiers" are no armed group of this war.
    mentions = [m for m in found if not (_SOURCE_AFTER.match(lower, m.end, m.end + 20) and not _VICTIM_OF_VERB_BEFORE.search(lower, max(0, m.start - 25), m.start))
                and not (_DESCRIPTOR_AFTER.match(lower, m.end) and (d := _DESCRIPTOR_BEFORE.search(lower, max(0, m.start - 8), m.start))
                         and any(x.end <= d.start() and _GROUP_NOUN_GAP.fullmatch(lower, x.end, d.start()) for x in found))  # "ISIL, an al Qaeda affiliate," (not "In their absence, the Air Force Intelligence branch has set up")
                and not any(a0 <= m.start < a1 for a0, a1 in asides)  # ", the SDF said," speaks
                and not _BACKER_AFTER.match(lower, m.end)  # "the U.S.-backed SDF": the SDF's, not the U.S.'s
                and not (m.value == "national_forces" and _BUILDING_AFTER.match(lower, m.end))  # "the government complex": no party
                and not _UNIFORM_AFTER.match(lower, m.end)  # "gunmen wearing Iraqi army uniforms": not the army
                and not _SPYING_FOR_BEFORE.search(lower, max(0, m.start - 35), m.start)  # (executed "for spying for the Rafidha army": the accusation's party acts in nothing)
                and not ((m.text.lower().endswith("ministry") or _MINISTRY_AFTER.match(lower, m.end)) and _TARGETED_SITE_BEFORE.search(lower, max(0, m.start - 30), m.start))  # ("a suicide bomber struck near the Syrian Defence Ministry": a site)
                and not (lower.endswith(("pro-", "anti-"), 0, m.start) and _COMMUNITY_AFTER.match(lower, m.end)
                         and not _FIRED_FROM_BEFORE.search(lower, max(0, m.start - 40), m.start))  # "evacuees from the pro-government villages of Foua": no party acts (but "mortar rounds fired from the pro-government villages")
                and not (m.text in seats and _TRAVEL_TO_BEFORE.search(lower, max(0, m.start - 20), m.start))  # "Assad fled to Moscow": a place
                and not (_TRAILING_SPEAKER.match(lower, _SPEAKER_NAME_TAIL.match(s, m.end).end())
                         and _SPEAKER_BEFORE.search(lower, max(0, m.start - 8), m.start))
                and not (m.value == "national_forces" and _words_re(
                    words, "civil_modifiers", r"\b(?:@@)\s+$", re.IGNORECASE).search(s[max(0, m.start - 25):m.start]))]
    # "Rebel commanders said they also entered Qabasin": the speakers' "they" is their group
    kept_ids = {id(x) for x in mentions} if len(mentions) < len(found) and " sa" in lower else None
    for m in (found if kept_ids is not None else ()):
        if id(m) not in kept_ids and m.value not in ("unknown", "national_forces") and _SOURCE_AFTER.match(lower, m.end, m.end + 20):
            they = _SPEAKERS_THEY.match(lower, m.end)
            if they and not any(x.start <= they.start(1) < x.end for x in mentions):
                mentions = sorted(mentions + [Mention(they.start(1), they.end(1), m.value, s[they.start(1):they.end(1)])], key=lambda x: x.start)
    if names and lex.country_actors:
        mentions = _country_actors(s, lower, names, mentions, gaz, lex)
    its = _ITS_FORCES_START.match(lower) if ctx.country_subject else None
    if its and not any(x.start <= its.start(1) < x.end for x in mentions):
        # "Turkey said it had retaliated. Its drones hit army positions around Saraqib": the state's
        mentions = sorted(mentions + [Mention(its.start(1), its.end(1), ctx.country_subject, s[its.start(1):its.end(1)])], key=lambda x: x.start)
    if "between" in lower:
        _remember_sides(lower, mentions, ctx)
    both = _BOTH_SIDES_ACT.search(lower) if ctx.sides and "sides" in lower else None
    if both and not any(x.start < both.end(1) and both.start() < x.end for x in mentions) \
            and not any(x.value not in ("unknown", "national_forces") for x in mentions if x.end <= both.start()):
        # "A ceasefire between the Peshmerga and the PMF held ... Under the deal, both sides
        # removed the checkpoints they had set up": the two parties set against each other last,
        # each its own party (joined as "A and B" are)
        a, b = ctx.sides
        first = both.group(1).rsplit(" ", 1)[0]
        mentions = sorted(mentions + [Mention(both.start(1), both.start(1) + len(first), a, first), Mention(both.end(1) - 5, both.end(1), b, "sides")],
                          key=lambda x: x.start)
    # A group's name is not a place ("al-Hisbah" is also a spelling of a town); an inexact or
    # loose match in another country than the report's is more likely a different word
    # ("Hamza al-Khatib" is a doctor in Aleppo, not Al Hamzah in Iraq).
    ranked = _with_capitals(s, rank_place_names(names, gaz, context_admin1), gaz)
    tags = _TRAILING_TAGS.search(s) if "#" in s else None
    own = [p for p in ranked if p.start < tags.start()] if tags is not None else []
    if own and not (all(_FROM_BEFORE.search(s, max(0, p.start - 12), p.start) for p in own) and _PLACE_ANAPHOR_NOUN.search(s)):
        # "... pulled out toward Al-Hawayij. #DeirEzzor #Syria": a post's closing tags name its
        # province or country, not where the event was, when the post names a place of its own
        # (but "Clashes east of the town. #Hajin", and "patrols began in the strip. #Golan")
        ranked = [p for p in ranked if not (p.start >= tags.start() and (p.place.kind in ("admin1", "country") or p.place.name == p.place.admin1))]
    # "In Syria, rebels lost Kinsabba" in a report about Iraq: the sentence's own country counts.
    countries = {ctx.country} | {p.place.name for p in ranked if p.place.kind == "country"}
    has_based = "based" in lower or "headquartered" in lower or "exiled" in lower or "living in" in lower or "lives in" in lower or "shelter" in lower
    places = [p for p in ranked
              if not any(mm.start < p.end and p.start < mm.end for mm in mentions)
              and not (has_based and (_BASED_AFTER.match(lower, p.end)  # "the Britain-based Observatory": where it sits, not the event
                                      or _BASED_IN_BEFORE.search(lower, max(0, p.start - 25), p.start)))  # "the Observatory, based in Britain"
              and not (p.place.kind == "country" and _NEIGHBOURING_BEFORE.search(lower, max(0, p.start - 14), p.start))  # "had worried neighbouring Turkey"
              and not _FUNERALS_IN_BEFORE.search(lower, max(0, p.start - 40), p.start)  # ("killed in the battle, judging by funerals held in Lebanon": where they were buried)
              and not (p.place.kind == "country" and p.place.name not in _WAR_COUNTRIES and _PARTY_COUNTRY_AFTER.match(lower, p.end)
                       and not _IN_PLACE_BEFORE.search(lower, max(0, p.start - 12), p.start))  # ("the heaviest losses Iran has suffered": a party, no place)
              and not (p.place.kind == "country" and _BACKER_AFTER.match(lower, p.end))  # "the Iran-backed Kataib Hezbollah": a backer, no place
              and not (p.place.kind == "country" and (len(ranked) > 1 or ctx.event_place is not None or ctx.town is not None)
                       and any(_POSSESSIVE_GAP.fullmatch(s, p.end, mm.start) or (p.text.endswith(("'s", "’s")) and s[p.end:mm.start] == " ")
                               for mm in mentions if mm.start >= p.end))  # "a commander of Lebanon's Hezbollah": whose group, no place (unless it is the only place: "Syria's rebels killed 12 soldiers")
              and not (p.place.kind == "country" and (_BORDER_PAIR_AFTER.match(lower, p.end) or (_BORDER_PAIR_BEFORE.search(lower, max(0, p.start - 30), p.start) and _BORDER_AFTER.match(lower, p.end))))  # "from the Syria-Lebanon border": a border, no country
              and not _possessed_non_place(lower, p, seats)  # "at Baghdad's request": a government, not a place
              and not (p.text in seats and _DEAL_WITH_BEFORE.search(lower, max(0, p.start - 70), p.start))  # "a deal between the SDF and Damascus"
              and not (p.text in seats and _ALLY_AND_BEFORE.search(s, max(0, p.start - 20), p.start))  # "Russia and Damascus set up a checkpoint"
              and not (_GOVERNMENT_ACTS_AFTER.match(lower, p.end) and not _IN_PLACE_BEFORE.search(lower, max(0, p.start - 12), p.start)
                       and not _IN_PLACES_CHAIN_BEFORE.search(lower, max(0, p.start - 40), p.start))  # ("activists in Douma and Mesraba said")  # "Turkey denies that ...", "Damascus and Moscow denied": governments (not "activists in Aleppo said")
              and not ((p.place.kind == "country" or p.text in seats) and (_GOVERNMENT_ADDRESSED_BEFORE.search(lower, max(0, p.start - 16), p.start)
                                                                          or _GOVERNMENT_TURNS_AFTER.match(lower, p.end)))
              and not (ctx.country and p.place.country not in countries and p.place.country != p.place.name
                       and (p.fuzzy or (p.place.place_id not in gaz.by_key.get(name_key(p.text), ()) and not p.area)))
              # an inexact match in a province the report is not about ("Maktab Khalid" is no Khalidiya in Anbar)
              and not (p.fuzzy and context_admin1 and p.place.kind in ("town", "landmark")
                       and p.place.admin1 not in context_admin1 and p.place.country not in countries - {ctx.country})
              # ("near Karachok in north-east Syria": not a near-spelling of a mountain in Iraq)
              and not (p.place.kind in ("town", "landmark") and (
                  (inside := _IN_COUNTRY_AFTER.match(s, p.end)) is not None and any(
                      q.start == inside.end() and q.place.kind == "country" and q.place.name != p.place.country for q in ranked)))]
    if villages:
        # each in the province the sentence names, else in that of the nearest town it names
        # (not one they came from: "IS fighters who fled Raqqa attacked the village of X"), else
        # in the one in view
        named_province = next((p.place for p in places if p.place.kind == "admin1" and p.role != "source"), None)
        towns = [p for p in places if p.place.kind in ("town", "landmark") and p.place.admin1
                 and not _CAME_FROM_TOWN_BEFORE.search(s, max(0, p.start - 40), p.start)]

        def province_of(v):
            # (a list-mate's or the province the name is put in: "Hass and Saraqib", "at Shir
            # Mughar in northern Hama province")
            anchor = next((p.place for p in places if p.start == v.anchor), None)
            if anchor is not None:
                return anchor if anchor.kind == "admin1" else gaz.admin1_place(anchor)
            if named_province is not None or not towns:
                return named_province or _province_in_view(ctx)
            return gaz.admin1_place(min(towns, key=lambda p: abs(p.start - v.start)).place)
        unlocated = [_unlocated_place(v.name, province_of(v), ctx, v.start, v.end) if v.name not in ctx.unlocated
                     else PlaceMention(v.start, v.end, ctx.unlocated[v.name], v.name, True, "event") for v in villages]
        ctx.unlocated.update((p.text, p.place) for p in unlocated if p is not None)
        places = sorted([*places, *(p for p in unlocated if p is not None)], key=lambda p: p.start)
    attribution, attr_span = _attribution(s, words)
    places = [_place_role(p, s, words, attr_span, ctx) for p in places]
    places = _landmarks_placed_by_town(s, places, gaz)
    places = _with_anaphors(s, places, ctx, words)
    if "'s " in s or "’s " in s:
        places = _on_town_outskirts(s, places)
    places = _with_province_anaphor(s, lower, places, ctx, gaz)
    places = _country_borders(s, places, gaz, words)
    # "Islamic State suicide bombers and gunmen": gunmen in one phrase with a group's men are its own
    mentions = [replace(mm, value=mentions[k - 1].value)
                if k > 0 and mm.value == "unknown" and mm.text.lower() in _BARE_GUNMEN
                and mentions[k - 1].value not in ("unknown", "national_forces")
                and _SAME_PHRASE_AND.fullmatch(lower, mentions[k - 1].end, mm.start)
                and not _FOUGHT_AFTER.match(lower, mm.end) else mm  # (not "SDF fighters and gunmen clashed": two sides)
                for k, mm in enumerate(mentions)]
    # "Gunmen in pick-up trucks flying black flags": the black banner is the Islamic State's
    if "black" in lower:
        mentions = [replace(mm, value="islamic_state") if mm.value == "unknown" and mm.text.lower() in _BARE_GUNMEN
                    and _BLACK_FLAGS_AFTER.match(lower, mm.end) else mm for mm in mentions]
    # "Turkish tanks and special forces": the adjective of the first noun is the second's too
    mentions = [replace(mm, value=mentions[k - 1].value)
                if k > 0 and mm.text.lower() in _BARE_FORCE_NOUNS and mentions[k - 1].value in STATE_FORCES - {"national_forces"}
                and _NATIONALITY_WORD.fullmatch(mentions[k - 1].text) and _ADJ_NOUN_AND_GAP.fullmatch(lower, mentions[k - 1].end, mm.start) else mm
                for k, mm in enumerate(mentions)]
    # "the gunmen" in a report about IS that has named no unknown attackers before: IS's gunmen.
    if ctx.insurgent is not None:
        # ("their gunmen": the group the sentence before was about, when an insurgent one)
        mentions = [replace(mm, value=ctx.subject if (lower.endswith(("their ", "its "), 0, mm.start) and ctx.subject in INSURGENTS)
                            else ctx.insurgent)
                    if mm.value == "unknown" and mm.text.lower() in _BARE_GUNMEN
                    and lower.endswith(("the ", "their ", "its "), 0, mm.start)
                    and (ctx.unknown_group_at is None or ctx.unknown_group_at > sent.start + mm.start) else mm
                    for mm in mentions]
    if ctx.named_heads and _HEAD_NOUN_ANAPHOR.search(lower):
        # "the Manbij Military Council ... the council said eight of its fighters were killed",
        # "council fighters set up checkpoints": the group whose name ends in that word
        heads = [(h.start(h.lastgroup), h.end(h.lastgroup), h.group(h.lastgroup)) for h in _HEAD_NOUN_ANAPHOR.finditer(lower)]
        extra = [Mention(a, b, ctx.named_heads[w], s[a:b]) for a, b, w in heads if ctx.named_heads.get(w)
                 and not any(x.start < b and a < x.end for x in mentions)]
        mentions = sorted(mentions + extra, key=lambda x: x.start) if extra else mentions
    for the_mp in (_THE_MILITARY_POLICE.finditer(lower) if "military police" in ctx.named_heads and "military police" in lower else ()):
        # ("the military police", "additional military police units" after "Russian military
        # police": theirs, not the state's army and police)
        a, b = the_mp.start(1), the_mp.end(1)
        if any(x.start < b and a < x.end and x.value == ctx.named_heads["military police"] for x in mentions):
            continue  # (the named force itself)
        mentions = sorted([x for x in mentions if not (x.start < b and a < x.end)] + [Mention(a, b, ctx.named_heads["military police"], s[a:b])],
                          key=lambda x: x.start)
    # Group anaphors ("the group") stand for the last group named before them.
    mentions = _resolve_actor_anaphors(s, mentions, words, ctx, lex.actor_anaphor_defaults)
    # ("Gunmen from Ahrar al-Sharqiya ... executed nine civilians": the faction's men, not unknown ones)
    mentions = [replace(x, value=y.value) if x.value == "unknown" and (of := _MEN_OF_AFTER.match(s, x.end)) is not None
                and (y := next((m for m in mentions if m.start == of.end() and m.value not in ("unknown", "national_forces")), None)) is not None
                else x for x in mentions]
    if ctx.previous_attacker is not None and ("attackers" in lower or "assailants" in lower):
        # "An ISIS cell attacked a checkpoint ... Coalition aircraft struck the attackers as they
        # fled": the attackers of the sentence before
        extra = [Mention(a.start(1), a.end(1), ctx.previous_attacker, s[a.start(1):a.end(1)]) for a in _THE_ATTACKERS.finditer(lower)
                 if not any(mm.start < a.end(1) and a.start(1) < mm.end for mm in mentions)]
        if extra:
            mentions = sorted(mentions + extra, key=lambda mm: mm.start)
    # "SDF-affiliated security forces" are the SDF's.
    if ctx.own_forces is None:
        ctx.own_forces = {}
    mentions = _affiliated(s, mentions, words, ctx.own_forces)
    # "the army", "security forces": the state forces of the country the report is about.
    # (but "Turkish officials denied that troops had massed": the speakers' own troops)
    speaker = _national_speaker(lower, actors.adjectives, lex.speaker_countries) if any(mm.value == "national_forces" for mm in mentions) else None
    national = _national(ctx)
    if any(mm.value == "national_forces" for mm in mentions):
        # "In Iraq, army and Hashd units were redeployed" in a report about Syria: the sentence's country
        fronted = _FRONTED_COUNTRY.match(s)
        country = fronted and (fronted.group(1) or fronted.group(2))  # ("On the Iraqi side of the frontier, government forces took Al-Qaim")
        if country in NATIONAL_FORCES:
            national = NATIONAL_FORCES[country]
        else:
            # "an army checkpoint on the outskirts of Al-Qaim" in a report about Syria: the forces
            # of the country every town the sentence names lies in (of Iraq or Syria: "the army"
            # in Arsal's hills is Lebanon's only where the report says so)
            countries = {p.place.country for p in places if p.role == "event" and p.end > 0 and p.place.kind in ("town", "landmark")}
            if len(countries) == 1 and (country := next(iter(countries))) in ("Iraq", "Syria") \
                    and ctx.ground_force not in set(NATIONAL_FORCES.values()) - {NATIONAL_FORCES[country]}:
                national = NATIONAL_FORCES[country]  # (not "Iraqi troops fought near Qaim. The army then entered Albu Kamal")
    if ctx.ground_force in _FOREIGN_STATES and ctx.ground_force != national and any(mm.value == "national_forces" for mm in mentions):
        # ("... killed seven Turkish soldiers near Saraqeb. The troops had arrived overnight": the
        # troops just told of, another state's, not the country's own)
        mentions = [replace(mm, value=ctx.ground_force) if mm.value == "national_forces" and mm.text.lower() in ("troops", "soldiers")
                    and lower.endswith("the ", 0, mm.start) and not lower[:max(0, mm.start - 4)].strip() else mm for mm in mentions]
    if ", whose " in lower:
        # "Russia, whose small military police unit deployed near Tal Rifaat": the state's own
        mentions = [replace(mm, value=owner) if mm.value == "national_forces" and (whose := _WHOSE_BEFORE.search(s, max(0, mm.start - 60), mm.start))
                    and (owner := lex.country_actors.get(whose.group(1)) or next((x.value for x in mentions if x.end == whose.end(1) and x.value not in ("unknown", "national_forces")), None))
                    else mm for mm in mentions]
    # (the speaker's forces, not "government troops" it speaks about; a country's own only as "its troops")
    mentions = [replace(mm, value=speaker[1] if speaker and mm.start >= speaker[0] and not _STATE_NAMED.match(mm.text)
                        and (not speaker[2] or _OWN_FORCES_BEFORE.search(lower, max(0, mm.start - 6), mm.start)) else national)
                if mm.value == "national_forces" else mm for mm in mentions]
    if ctx.abbreviations:
        mentions = [replace(mm, value=ctx.abbreviations[mm.text]) if mm.text in ctx.abbreviations else mm for mm in mentions]
    if ctx.country == "Iraq":
        # "Kurdish forces" in Iraq are the Peshmerga, not Syria's SDF
        mentions = [replace(mm, value="peshmerga") if mm.value == "sdf" and mm.text.lower().startswith(("kurdish", "the kurds")) else mm
                    for mm in mentions]
    elif ctx.country == "Syria":
        # "the PKK militia" of Turkish and IS statements in Syria is the YPG-led SDF
        # and "the ISF" is the Internal Security Forces (Asayish), not Iraq's Security Forces
        # (unless the report names Iraq's Security Forces, or the sentence is about a place in Iraq)
        iraqi_places = any(p.place.country == "Iraq" for p in places)
        iraq_in_view = "ISF" in ctx.abbreviations or ctx.names_iraqi_security_forces or iraqi_places
        # (but "a drone struck a vehicle near Sinjar, killing 2 YBS fighters": the PKK's Iraqi
        # affiliate, where every place the sentence names is in Iraq)
        # ("... in Dohuk province", "... in northern Iraq": also Iraq's)
        pkk_in_iraq = bool(places) and all(p.place.country == "Iraq" for p in places)
        if not iraqi_places:
            # "Shi'ite militias" fighting in Syria are Iran's proxies, not Iraq's PMF (named so)
            mentions = [replace(mm, value="iran_backed_militias") if mm.value == "pmf" and _SHIA_MILITIA.match(mm.text) else mm for mm in mentions]
            mentions = [_tribal_in_syria(mm, ctx) for mm in mentions]
        sdf_ground = ctx.sdf_named and bool(places) and all(p.place.admin1 in _word_set_cased(words, "sdf_provinces") for p in places if p.place.kind != "country")
        mentions = [replace(mm, value="sdf") if (mm.value == "pkk" and not pkk_in_iraq) or (mm.value == "iraqi_forces" and mm.text == "ISF" and not iraq_in_view)
                    or (sdf_ground and mm.text.lower().startswith(("counter-terror", "counterterror")) and mm.value == "syrian_government"
                        and not _STATE_WORD_BEFORE.search(lower, max(0, mm.start - 30), mm.start)) else mm
                    for mm in mentions]  # (and its "counter-terrorism units" where the SDF holds ground, in a report that names it)
        # and "internal security forces" are the SDF's Asayish only in the north-east ("units of
        # the Syrian internal security forces entered Douma": the government's)
        towns = [p for p in places if p.place.country == "Syria" and p.place.kind in ("town", "landmark", "admin1")]
        mentions = [replace(mm, value="syrian_government") if mm.value == "sdf" and "internal security" in mm.text.lower() and (
                        lower.endswith("syrian ", 0, mm.start) or (towns and not any(p.place.admin1 in _SDF_PROVINCES or p.place.name in _SDF_PROVINCES for p in towns)))
                    else mm for mm in mentions]
        # and a bare "military police" in a town the Turkish-backed opposition holds is the SNA's
        # ("The military police set up two new checkpoints" in al-Bab, 2019)
        if any(mm.value == "syrian_government" and _BARE_POLICE.fullmatch(mm.text) for mm in mentions) \
                and _held_by_opposition(towns or [p for p in (ctx.town, ctx.event_place) if p is not None], report.published, words):
            mentions = [replace(mm, value="opposition") if mm.value == "syrian_government" and _BARE_POLICE.fullmatch(mm.text) else mm
                        for mm in mentions]
        # and "tribal fighters" in Syria are no Iraqi tribal levies (Deir ez-Zor's tribes fight on every side)
        mentions = [replace(mm, value="unknown") if mm.value == "iraqi_forces" and "tribal" in mm.text.lower() and not iraq_in_view else mm
                    for mm in mentions]
    mentions = [mm for mm in mentions if mm.value is not None]
    if "work" in lower or "employ" in lower or "contract" in lower:
        # "a contractor working with the coalition was killed": who employs the victim, no party to the event
        mentions = [mm for mm in mentions if not _EMPLOYER_BEFORE.search(lower, max(0, mm.start - 60), mm.start)]
        matches = [x for x in matches if not (x[2].indicator == "airstrike" and _EMPLOYER_BEFORE.search(lower, max(0, x[0] - 70), x[0]))]

    kept = []
    for start, end, trig, m in matches:
        before = lower[max(0, start - 60):start]
        if _USED_TO_BEFORE.search(lower, max(0, start - 20), start):
            continue  # "IS cells used to set up fake checkpoints": a past habit, no change now
        if trig.indicator == "troop_movement" and lower.endswith(("since the ", "since their ", "since its "), 0, start) \
                and lower.startswith(("withdrawal", "pullout", "pull-out", "departure", "arrival"), start) \
                and not any((report.published - t.end).days <= 60 for t in find_time_expressions(s[end:_clause_end(s, end)], report.published)):
            continue  # "the first US strikes in Iraq since the withdrawal of American troops (in 2011)": a time, no movement told (but "since the withdrawal of IS fighters last week")
        if trig.indicator in ("checkpoint", "patrol") and (" that " in lower or " which " in lower) \
                and _NOUN_THAT_START.match(lower, start) and any(o[2].indicator == trig.indicator and o[0] <= start and o[1] > end for o in matches):
            continue  # ("Most of the checkpoints that the SDF had set up ... were removed on Sunday": which ones, not a second event)
        if "," in lower and _in_aside_relative(lower, start, trig, matches) \
                and not (trig.indicator == "control_change" and (_HOLDING_SINCE.match(lower, start)  # (", which rebels had held since April 2015,": dated)
                                                              or find_time_expressions(s[end:_clause_end(s, end)], report.published))):  # (", who took Mosul in June,")
            continue  # "Coalition aircraft, which flew hundreds of sorties during the battle, carried out no strikes"
        if trig.indicator == "troop_movement" and lower.startswith("abandon", start) and _ARTICLE_JUST_BEFORE.search(lower, max(0, start - 25), start):
            continue  # "an abandoned American base": a base, no movement
        if (demand := _DEMAND_THAT.search(lower, max(0, start - 120), start)) and not (
                demand.group(0).startswith("insist") and _TOLD_AS_FACT_AFTER_THAT.match(demand.group(0), demand.group(0).find("that"))):
            continue  # "demanded that six men linked to IS leave the town": an order, not a departure (but "insisted that its units had not entered": a statement)
        if trig.indicator == "troop_movement" and lower.startswith(("flee", "escap"), start) and _WHILE_BEFORE.search(lower, max(0, start - 30), start) \
                and (civ := _CIVILIAN_MOVERS.search(lower, 0, start)) and (not any(x.start < civ.start() and x.value != "unknown" for x in mentions)
                                                                           or _THEY_WERE_BEFORE.search(lower, max(0, start - 20), start)):
            continue  # "Seven civilians were shot dead by IS snipers while fleeing the town": the dead fled, no force moved
        if _WOULD_BE_FIRST_TIME.search(lower, max(0, start - 120), start):
            continue  # "If confirmed, it would be the first time Turkish troops have been killed by ...": the event told, weighed
        if trig.indicator in ("troop_movement", "control_change") and _WAITING_BEFORE.search(lower, max(0, start - 90), start):
            continue  # "they were waiting for reinforcements before pushing into the town": not yet
        if trig.indicator == "troop_movement" and trig.change == "departure" and _SENT_FROM_THEN_ARRIVED.match(lower, start):
            continue  # "Peshmerga reinforcements sent from Erbil arrived in the area": one arrival, from Erbil
        if trig.indicator == "troop_movement" and trig.change == "departure" and _THE_COUNTRY_AFTER.match(lower, end):
            continue  # "a day after Bashar al-Assad fled the country": no town left, no force moved
        if trig.indicator == "troop_movement" and _ACCORD_LEFT_AFTER.match(lower, end):
            continue  # "pulling out of the 2015 nuclear deal", "withdrew from the Astana talks": no troops moved
        fleeing = trig.indicator == "troop_movement" and lower.startswith(("flee", "escap", "slip", "sneak"), start) \
            and _TRYING_TO_BEFORE.search(lower, max(0, start - 25), start) is not None \
            and re.search(FORCES, lower[max(0, start - 50):start]) is not None and not _CIVILIAN_MOVERS.search(lower, max(0, start - 50), start)
        in_span = _words_re(words, "modals", r"\b(?:@@)\b").search(lower, start, end) if not trig.absence else None
        if in_span is not None and trig.indicator == "patrol" and _PATROL_SUBJECT.match(lower, start) and in_span.group(0) in ("blocked", "barred", "stopping"):
            in_span = None  # ("A US military patrol blocked a Russian patrol": what the patrol did, not a plan blocked)
        if (_is_plan(before, words) or in_span is not None
                or re.match(r"\s*(?:could|would|will|may|might)\b", lower[end:end + 10])
                or (_NOMINAL_CHANGE.match(lower, start) and _INDEFINITE_BEFORE.search(lower, max(0, start - 25), start)
                    and _NP_THEN_MODAL.match(lower, end))) and not _COMPLETED_OPERATION.match(lower, start) \
                and not fleeing \
                and not (trig.change == "attacked" and _ATTEMPT_BEFORE.search(before)):  # ("a column trying to flee al-Baaj ... was struck": they were on the move; "tried to seize YBS checkpoints": an attack made)
            continue  # "will deploy", "jets could resume strikes", "new checkpoints could add hours"
        if trig.indicator == "troop_movement" and _ALLOWING_TO_BEFORE.search(lower, max(0, start - 50), start):
            continue  # "opened a corridor allowing civilians to leave", "the ceasefire, allowing rebels to leave eastern Aleppo": a leave granted, not taken (but "allowing ISIS to seize Mosul" tells the capture)
        if trig.indicator == "killing" and _AVOID_BEFORE.search(lower, max(0, start - 30), start):
            continue  # "halted its advance to avoid the killing of hostages": what they would avoid
        if _DEAL_FOR_TO_BEFORE.search(lower, max(0, start - 120), start):
            continue  # "a deal has been reached for fighters and civilians to leave": what the deal allows, not done
        if _MODAL_PASSIVE_BY.search(lower, max(0, start - 80), start):
            continue  # "any ground push would likely be preceded by weeks of air and drone strikes": a forecast
        if _FORECAST_AFTER.match(lower, end):
            continue  # "Further Turkish drone strikes along the M4 are likely": a forecast
        if trig.indicator == "control_change" and _WHO_LIBERATED_BEFORE.search(lower, max(0, start - 30), start) \
                and not find_time_expressions(s[end:], report.published):
            continue  # "the men who liberated Amerli, Jurf al-Nasr and Tikrit do not need ...": who they are, no news
        if trig.indicator == "control_change" and lower.startswith("fell to", start) and _FELL_TO_FIRE.match(lower, end):
            continue  # "Two martyrs fell to a Daesh sniper": men killed, no place taken
        if trig.indicator == "airstrike" and (labour := _LABOUR_STRIKE.search(lower)) is not None and labour.start() <= start < labour.end():
            continue  # "Workers resumed their strikes at the factory", "Teachers launched strikes over unpaid salaries": no bombs
        if trig.indicator == "airstrike" and _OTHER_STRIKES_START.match(lower, start) and not _AIRCRAFT_NAMED.search(lower) \
                and not (ctx.strikes_told_last and ctx.sentences_read - ctx.strikes_told_at <= 2):
            continue  # ("Turkish howitzers pounded ... Other strikes hit Nairab": only after air strikes told, the rest of them)
        if trig.indicator == "control_change" and _POSTS_TAKEN_COUNT_AFTER.match(lower, end) \
                and _POSTS_NAMED.search(lower, max(0, start - 120), start):
            continue  # "attacking GoS checkpoints and positions, taking over at least 15 of them in Tafas, ...": posts taken, no town
        if trig.indicator == "control_change" and _UNNAMED_AREAS_THAT_BEFORE.search(lower, max(0, start - 60), start) \
                and not any(n.start > start - 60 for n in names) and "including" not in lower:
            continue  # "a convoy for areas that have recently come under GoS control": no place named changed hands
        if trig.indicator == "control_change" and _UNTIL_BEFORE.search(lower, max(0, start - 50), start):
            continue  # "The operation will continue until every inch of Anbar is liberated": not yet
        if trig.change == "present" and re.search(r",\s*(?:who|which|that)\s+(?:[\w-]+\s+){0,3}\w+$", lower[start:end]):
            continue  # "patrols by members of al-Hisbeh, who roam the streets": a description, not news
        if re.search(r"\b(?:prevent\w*|stop\w*|barr\w*|bann\w*|block\w*|forbid\w*)\b[^,.;]{0,60}\bfrom\s+$", before):
            continue  # "preventing men from leaving": no one left
        if trig.indicator == "troop_movement" and re.fullmatch(r"left|leave|leaves|leaving", lower[start:end]) and \
                re.match(r"\s+(?:(?:his|her|their|its)\b(?!\s+(?:last\s+|remaining\s+|main\s+)?(?:positions?|posts?|bases?|headquarters|barracks|strongholds?|outposts?|camps?|garrisons?)\b)|a|an|behind|them|him|it|no|some|several|mines|bodies|the bodies|something|nothing|everything|anything|little|traces?|scars?|marks?)\b", lower[end:end + 40]):
            continue  # "left his body on display", "leaving behind mines": nobody moved (but "left their positions around Manbij")
        if trig.indicator == "troop_movement" and lower[start:end] == "left" and _LEFT_THINGS_AFTER.match(lower, end):
            continue  # "explosives left by the militants", "left dozens of bodies behind them"
        if trig.indicator == "troop_movement" and lower[start:end] == "left" and (
                _THERE_ARE_BEFORE.search(lower, max(0, start - 60), start) or _UNDER_CONTROL_AFTER.match(lower, end)):
            continue  # "there are maybe 100 fighters left inside", "had left the town under the control of"
        if trig.indicator == "airstrike" and lower.startswith("strikes", start) and (start == 0 or lower.endswith(": ", 0, start)) \
                and not lower.startswith("strikes by", start) and ctx.air_striker is None and ctx.striker is None:
            continue  # a bare "Strikes targeted ..." with no air strike told before: maybe shelling's
        if trig.indicator == "troop_movement" and lower.startswith("enter", start) and end - start <= 6 and (
                _LET_IN_BEFORE.search(lower, max(0, start - 60), start) or _WHO_BEFORE.search(lower, max(0, start - 12), start)):
            continue  # "refused to let Kurdish fighters enter Kobani", "any IS fighter who enters Kobani will be killed": no one entered
        if trig.indicator == "troop_movement" and lower.startswith(("sent", "dispatched"), start) and _ONE_ATTACKER_BEFORE.search(lower, max(0, start - 30), start):
            continue  # "a suicide bomber sent by Islamic State blew himself up": an attacker, no troops moved
        if trig.indicator == "troop_movement" and _PATROL_SENT_AFTER.match(lower, end):
            continue  # "sent a patrol to Tafas": a patrol (see the patrol triggers), not a deployment
        if trig.indicator == "troop_movement" and trig.change == "transit" and _PATROLS_SUBJECT_BEFORE.search(lower, max(0, start - 40), start):
            continue  # "their patrols are moving through the old market": patrolling (see the patrol triggers), no troops passing
        if trig.indicator == "troop_movement" and (_SEARCHED_BEFORE.search(lower, max(0, start - 40), start) or (
                lower.endswith("ing", start, end) and _SEARCH_VERB_BEFORE.search(lower, max(0, start - 25), start))):
            continue  # "to search cars entering the town", "to search departing buses": the checkpoint's traffic, nobody deployed
        if trig.indicator == "troop_movement" and _STOPPED_BEFORE.search(lower, max(0, start - 20), start):
            continue  # "patrols have stopped entering Tafas": the patrols' change, nobody arrived
        if trig.indicator == "troop_movement" and lower[start:end] == "left" and _NONE_LEFT.search(lower, max(0, start - 50), end):
            continue  # "there were no IS checkpoints left in Jarablus": what remains, not who left
        passive = _PASSIVE_AUX_BEFORE.search(lower, max(0, start - 20), start + 12) if trig.indicator == "control_change" else None
        if passive is not None and _POSTS_SUBJECT_BEFORE.search(lower[max(0, passive.start() - 90):passive.start()].rsplit(",", 1)[-1]):
            continue  # "At least 10 army checkpoints on the edges of the town were overrun": posts attacked, no town taken
        if trig.indicator == "control_change" and _words_re(words, "taken_things", r"\b(?:@@)\s+$").search(lower, max(0, start - 25), start) \
                and not _TOWN_TAKEN_AFTER.match(s, end):
            continue  # "moved heavy equipment captured at the airbase": a thing taken, no place (not "backed by Turkish tanks captured Jarablus")
        if trig.indicator == "troop_movement" and lower.startswith("reinforc", start) and _CHECKPOINT_NOUN_BEFORE.search(lower, max(0, start - 60), start):
            continue  # "NDF checkpoints on the road were reinforced with tanks": the checkpoints grew
        if trig.indicator == "troop_movement" and (_CHECKPOINTS_AFTER.match(lower, end) or _CHECKPOINT_WORD.search(lower, start, end)):
            continue  # "has withdrawn most of its checkpoints": checkpoints, not troops
        if _ONCE_BEFORE.search(lower, max(0, start - 60), start) and (_PRESENT_MOVE.match(lower, start) or (
                lower.endswith(("has ", "have "), 0, start) and "as soon as" in lower[max(0, start - 60):start])):
            continue  # "once the military police withdraw", "as soon as the last terrorist has left": a time to come
        if trig.indicator == "killing" and lower.startswith(("dead ", "dead,", "killed "), start) and _PART_OF_THE_BEFORE.search(lower, max(0, start - 30), start) \
                and _WERE_AFTER_DEAD.match(lower, start + 4 if lower.startswith("dead", start) else start + 6):
            continue  # ("Most of the dead were civilians": who the dead just told were, no more deaths)
        if trig.indicator == "airstrike" and lower.endswith(("combat missions", "combat mission"), start, end) and not _AIR_FORCE_WORDS.search(lower, 0, start) \
                and not _AIR_CAMPAIGN_HINT.search(lower, 0, start) and not lower.startswith((" over ", " in the skies"), end):
            continue  # ("US special forces carried out combat missions alongside Iraqi troops": on the ground)
        if trig.indicator == "troop_movement" and lower.startswith(("sent ", "dispatched "), start) and _SENT_TO_HELP_AFTER.match(lower, end) \
                and not _AUX_JUST_BEFORE.search(lower, max(0, start - 12), start) \
                and any(t.indicator == "troop_movement" and a > end for a, _b, t, _m in matches):
            continue  # ("The second contingent of peshmerga sent to help defend Kobani pulled out on Thursday": who they are, not a movement now)
        if trig.indicator == "troop_movement" and _PREVENTED_FROM_BEFORE.search(lower, max(0, start - 110), start):
            continue  # ("to stop a convoy of IS fighters from reaching the group's territory": kept from moving)
        if trig.indicator == "troop_movement" and _AFTER_THE_CONVOY_BEFORE.search(lower, max(0, start - 50), start):
            continue  # ("Hours after the convoy left, army units entered Madaya": the convoy told before, here a time)
        if _CONDITION_BEFORE.search(lower, max(0, start - 60), start):
            continue  # "would send troops if the PKK does not leave": a condition, nothing happened
        if trig.indicator == "troop_movement" and _INTERCEPTED_BEFORE.search(lower, max(0, start - 70), start):
            continue  # "nine car bombs were destroyed before they reached our forces": they never arrived
        if trig.indicator == "troop_movement" and _DEAL_REACHED_BEFORE.search(lower, max(0, start - 40), start):
            continue  # "after the US-Russian agreement was reached": a deal, nobody arrived
        if trig.indicator == "troop_movement" and _SENDING.match(lower, start) and _WEAPONS_AFTER.match(lower, end):
            continue  # "sent at least six car bombs against the troops": weapons, not troops
        if trig.indicator == "troop_movement" and (lower.startswith(("return", "came back", "coming back"), start)
                                                    or _PATROL_JUST_BEFORE.search(lower, max(0, start - 40), start)) \
                and _PRESENCE_NOUN_BEFORE.search(lower, max(0, start - 50), start):
            continue  # "patrols have returned to the streets", "a patrol passed through": the patrol's own doing
        if trig.indicator == "troop_movement" and lower[start:end].endswith("ing") and _ARTICLE_JUST_BEFORE.search(lower, max(0, start - 6), start):
            continue  # "did not target the departing convoy": an adjective, no movement
        if trig.indicator in ("checkpoint", "patrol") and trig.change == "increase" and _ATTACKED_AFTER.match(lower, end):
            continue  # "Two more army checkpoints overrun": more attacks on checkpoints, not more checkpoints
        if trig.indicator == "control_change" and lower[start:end] in ("captured", "seized") and _people_after(lower, end, lex):
            continue  # "executed two captured rebels", "captured IS fighters": people taken, no place
        if trig.indicator == "control_change" and lower[start:end] in ("captured", "seized", "taken", "took") and _PEOPLE_TAKEN_BEFORE.search(lower, max(0, start - 60), start):
            continue  # "executed 160 soldiers it captured after seizing the base", "civilians they had seized as shields": people taken
        if trig.indicator == "control_change" and lower[start:end] == "captured" and _PEOPLE_CAPTURED_BEFORE.search(lower, max(0, start - 40), start) \
                and _NO_OBJECT_AFTER.match(lower, end):
            continue  # "160 Syrian soldiers captured after ...", "many were captured on the way": people taken
        if trig.indicator == "control_change" and _AFTER_IT_BEFORE.search(lower, max(0, start - 40), start):
            continue  # "seven months after it fell to the militants": a past capture we cannot date
        if trig.indicator == "control_change" and lower[start:end] == "cleared" and not any(
                n.start >= end and _CLEARED_PLACE_GAP.fullmatch(lower, end, n.start) for n in names):
            continue  # "cleared al-Busayrah" takes a town; "cleared the road", "cleared mines" do not
        if trig.indicator == "patrol" and trig.change == "stopped" and _BY_AFTER.match(lower, end):
            continue  # "the patrol was stopped by coalition forces / at a checkpoint": turned back, not ended
        if trig.indicator == "killing" and trig.manner == "assassination" and _WOUNDED_ONLY.search(lower) and not _DEATH_WORD.search(lower):
            continue  # "gunmen attacked an SDF checkpoint, wounding two members": nobody died
        if trig.indicator == "checkpoint" and trig.change in ("established", "present", "increase") \
                and _words_re(words, "civil_purposes", r"\b(?:@@)\b").search(lower):
            continue  # "checkpoints set up to manage traffic for the pilgrimage"
        if trig.indicator == "checkpoint" and _words_re(words, "civil_checkpoints", r"\b(?:@@)\s+check").search(lower[start:end + 12]):
            continue  # "speed checkpoints"
        if trig.indicator == "patrol" and (_words_re(words, "civil_checkpoints", r"\b(?:@@)\s+(?:police\s+)?patrol").search(lower, max(0, start - 20), end + 12)
                                            or _CIVIL_POLICE_PATROL.search(lower, max(0, start - 25), end + 12)):
            continue  # ("traffic patrols on the Idlib-Binnish road issued 300 fines", "highway police patrols")
        if trig.indicator in ("patrol", "checkpoint") and _AGREED_TO_BEFORE.search(lower, max(0, start - 90), start):
            continue  # ("Turkey and Russia agreed on Thursday to hold joint patrols on the M4": a plan)
        if trig.indicator == "killing" and _words_re(words, "killed_abstractions", r"[\s\"”’']*(?:the|a|an|any|all|his|her|their|its|this|that|our)?\s*(?:[\w-]+\s+)?(?:@@)\b", lowered=True).match(lower, end):
            continue  # "killed the deal", "killed the last excuse": a metaphor
        if trig.indicator == "killing" and _words_re(words, "non_violent", r"\b(?:@@)\b").search(
                lower[max(0, start - 90):end + (150 if lower.startswith(("body of", "bodies of"), start) else 30)]):  # (a body found "in the rubble ... after the earthquake")
            continue  # "the earthquake killed"
        if trig.indicator == "killing" and lower.startswith("bodies of the ", start) and ctx.sentences_read - ctx.killing_told_at <= 4 \
                and not find_quantities(s[:start], lex):
            continue  # ("The strikes resulted in the killing of five terrorists. ... The bodies of the terrorists were found": those dead)
        if trig.indicator == "airstrike" and _words_re(words, "non_strikes", r"\b(?:(?:dropp\w*|carry\w*|deliver\w*)\s+(?:[\w-]+\s+){0,3}?|(?:on|for)\s+(?:\w+\s+)?)(?:@@)\b").search(lower, start, end + 40):
            continue  # "flew dozens of sorties dropping water on the fires", "on reconnaissance missions", "aircraft dropped 22 tonnes of food"
        if trig.indicator == "airstrike" and _GROUND_FIRE_STRIKE.search(lower, start, end):
            continue  # "a coalition artillery strike": shelling, not from the air
        if trig.nominal and _is_nominal(lower, start, end) and _is_background(lower[:start], words) \
                and not (_VERB_IN_TRIGGER.search(lower, start, end) and (
                    _AFTER_EVENT_BEFORE.search(lower, max(0, start - 60), start)
                    or any((report.published - t.end).days <= 31 and t.precision == "day"
                           for t in find_time_expressions(s[end:_clause_end(s, end)], report.published)))):
            continue  # (but "a day after Moscow launched air strikes on al-Latamneh", "since Russia launched air strikes on al-Latamneh on Wednesday": dated strikes; not "since Russia launched air strikes in Syria")
        if re.search(r"\b(?:they|that|which|it|he|she|we)\s+(?:[\w-]+\s+){0,5}?had\b", lower[max(0, start - 12):end]) and \
                any(o is not None and o[2].indicator == trig.indicator and o[0] < start for o in matches) \
                and not (trig.indicator == "control_change" and _HOLDING_SINCE.match(lower, start)):
            # "took down the checkpoints they had set up": background of the news (but "the
            # crossing, which rebels had held since April 2015": a dated earlier change of hands)
            continue
        kept.append((start, end, trig, m))

    quantities = find_quantities(s, lex) if kept else []
    stamp = _CLOCK_LINE.match(s) if quantities and ctx.clock_line == sent.line else None
    if stamp:
        quantities = [q for q in quantities if q.start >= stamp.end("stamp")]  # ("0735 Syrian MoD: ...": a stamp, no count)
    if quantities and "|" in s:
        cells = [c.end() for c in _CLOCK_CELL.finditer(s)]
        quantities = [q for q in quantities if not any(q.start < e <= q.end + 3 for e in cells)]
    if quantities and names:
        # ("Division 17", "Brigade 93": a number inside a place's name counts nothing)
        quantities = [q for q in quantities if not any(n.start <= q.start and q.end <= n.end for n in names)]
    # Fill the roles first: only triggers that make an observation compete for the times
    # ("families fleeing" is no troop movement and must not take "On Saturday").
    framed = []
    for start, end, trig, m in kept:
        frames = [f for f in _frames(trig, s, scan, start, end, m, mentions, places, quantities, ctx, lex)
                  if f[0] is not None and f[3] is not None]
        if frames:
            framed.append((start, end, trig, m, frames))
    kept = [(start, end, trig, m) for start, end, trig, m, _f in framed]
    # (no frame, no observation: the times would date nothing)
    # In a dated bulletin item ("19 Nov 2016 – Bartella: ... killed by a sniper yesterday"),
    # relative times count from the item's day.
    line_day = ctx.line_time[1].start if (ctx.line_time is not None and ctx.line_time[0] == sent.line
                                          and ctx.line_time[1].start == ctx.line_time[1].end) else report.published
    if line_day == report.published and ctx.heading_time is not None and ctx.heading_time.start == ctx.heading_time.end <= report.published:
        line_day = ctx.heading_time.start  # (and in a live blog's post under "11 December, 21:15", "this afternoon" is that day's)
    times = find_time_expressions(s, line_day) if framed else []
    if times and line_day != report.published and any((line_day - t.start).days > 180 for t in times):
        # ("Tue 17 May 🕘 ... On Wed 18 May, jets struck": a date past the post's own day is not a
        # year before it; it is read against the report's day)
        own = {(t.span_start, t.span_end): t for t in find_time_expressions(s, report.published)}
        times = [own.get((t.span_start, t.span_end), t) if (line_day - t.start).days > 180 else t for t in times]
    # "set up checkpoints in Jalawla after Friday night's IED blast": that time is the blast's,
    # told to say what came after it (not the deaths "killed after Friday's car bomb" caused)
    event_times = [t for t in times if _POSSESSIVE_AFTER.match(s, t.span_end)
                   and _EVENT_TIME_AFTER_BEFORE.search(s, max(0, t.span_start - 25), t.span_start)] if times and ("'s" in s or "’s" in s) else []
    if times and framed and "since" in lower:
        # "Dozens of fighters who had held out in Zabadani since 2015 were bussed out": the
        # relative clause's time, not the bussing's
        first_trigger = min(st for st, *_r in framed)
        times = [t for t in times if not (t.span_end <= first_trigger and t.text.lower().startswith("since")
                                          and _RELATIVE_PERFECT_BEFORE.search(lower, 0, t.span_start))]
    if times and any(w in lower for w in (" deal ", " agreement ", " truce ", " ceasefire ", " accord ", " settlement ")):
        # "Under the deal reached at the weekend, the rebels handed over the camp": the deal's time
        times = [t for t in times if not _DEAL_TIME_BEFORE.search(lower, max(0, t.span_start - 60), t.span_start)]
    if times and ("'s" in s or "’s" in s):
        # "in Baghdad's response to last month's independence referendum": the vote's time, no event's
        times = [t for t in times if not (_POSSESSIVE_NON_EVENT.match(s, t.span_end)
                                          and _RELATION_TO_BEFORE.search(lower, max(0, t.span_start - 40), t.span_start))]
    stamp_line = _LINE_STAMP.match(s) is not None
    if len(times) > 1 and (stamp := _LINE_STAMP.match(s)) is not None:
        # "[30 Jan 2017, 11:02] A young man was shot dead ... yesterday evening": the stamp dates
        # the post; a time the post gives is its event's
        times = [t for t in times if t.span_start >= stamp.end()] or times
    if times and ("that year" in lower or "same year" in lower):
        # "in August 2014, and ... retook both towns in November of that year": 2014's November
        times = _in_that_year(s, times, ctx.last_time, ctx.previous_sentence)
    if len(times) > 1:
        # "In the summer of 2011, ... tanks stormed the city at the end of July": 2011's July
        times = _in_year_told(s, times)
    if times and ctx.year_told is not None and ctx.year_told[0] == sent.line and ctx.sentences_read - ctx.year_told[1] <= 1 \
            and not _YEAR_IN_TEXT.search(s) and any(t.precision == "day" and (report.published - t.start).days > 60 for t in times):
        # "Once the rebel factions had signed their deals in July 2018, the army turned on the
        # basin. Government forces took Sahm al-Jawlan on 27 July": 2018's 27 July (a time the
        # sentence before dated with its year: not "the 2011 uprising" nor "since 2020")
        told = [t for t in find_time_expressions(ctx.year_told[2], report.published)
                if _YEAR_IN_TEXT.search(t.text) and not _SINCE_WORD.match(t.text) and t.end.year == t.start.year]
        if told:
            times = _in_year_of_sentence_before(times, told[-1], report.published)
    if times and ("who" in lower or "which" in lower):
        # "local gunmen, many of them former fighters who had signed settlement deals in 2018,
        # attacked army checkpoints": the clause's time is its own, not the event's
        clauses = [c.span() for c in _WHICH_CLAUSE_TIME.finditer(lower)]
        times = [t for t in times if not any(c0 <= t.span_start and t.span_end <= c1 and c1 <= min((k[0] for k in kept), default=c1) for c0, c1 in clauses)] if clauses else times
    if asides and times:  # ", unheard of two years ago,": an aside's time dates no event
        times = [t for t in times if not any(a0 <= t.span_start < a1 for a0, a1 in asides)]
    if times and ("from" in lower or "compared" in lower or " as " in lower or "than" in lower or " time " in lower or "est " in lower):
        # "fewer than five checkpoints, down from twenty last year": the baseline's time
        # (but "changed hands for the first time in May 2015, when IS overran it": the when-clause's time)
        times = [t for t in times if re.match(r"\s*,?\s*when\b", lower[t.span_end:]) or not (
            ((b := _BASELINE_BEFORE.search(lower, max(0, t.span_start - 50), t.span_start))
             and not (b.group(0).startswith("for the") and not _SINCE_OR_YEARS.match(t.text.lower())))
            or (t.text.lower().startswith("since") and _SUPERLATIVE_SINCE_BEFORE.search(lower, max(0, t.span_start - 50), t.span_start)))]
        # (but "bombed targets for the first time early on Tuesday": the day of the first time)
    since_then = _SINCE_THEN.search(lower) if not times and "since" in lower else None
    if since_then:
        t = ctx.last_time
        if t is None and ctx.previous_sentence:
            # ("The fighting began on January 6. ... 67 fighters had been killed since then")
            given = find_time_expressions(ctx.previous_sentence, report.published)
            t = given[0] if len({(g.start, g.end) for g in given}) == 1 else None
        if t is not None and t.start <= line_day:
            # "Russian patrols have been driving through the streets since then": from the
            # time just told up to the report
            times = [type(t)(t.start, line_day, t.precision if t.precision != "week" else "day",
                             since_then.start(), since_then.end(), s[since_then.start():since_then.end()])]
    during_op = _DURING_THE_OPERATION.search(lower) if not times and ctx.operation_time is not None and "during the" in lower else None
    if during_op and ctx.operation_time.start <= line_day:
        # "A year ago today, Iraqi forces launched the operation to retake Mosul. ... strikes
        # killed at least 1,000 civilians during the campaign": from its launch to now
        t = ctx.operation_time
        times = [type(t)(t.start, line_day, "month", during_op.start(), during_op.end(), s[during_op.start():during_op.end()])]
    the_month = _THE_MONTH.search(lower) if not times and ("the month" in lower or "the quarter" in lower) else None
    if the_month:
        # "14 SDF members killed during the month", after "In August, ...": the month just told
        t = ctx.last_time if ctx.last_time is not None and ctx.last_time.precision == "month" else ctx.title_month
        if t is not None and t.start <= line_day:
            t0, t1, precision = t.start, t.end, t.precision
            if the_month.group("quarter") and (t1 - t0).days < 80:
                t = None  # (a quarter is no month just told)
            elif the_month.group("half"):  # "during the second half of the month": the 16th to its end
                t0, t1, precision = (t0, t0 + timedelta(days=14), "day") if the_month.group("half") == "first" else (t0 + timedelta(days=15), t1, "day")
            if t is not None:
                times = [type(t)(t0, t1, precision, the_month.start(), the_month.end(), s[the_month.start():the_month.end()])]
    that_month = _THAT_MONTH.search(lower) if "that month" in lower or "same month" in lower else None
    if that_month and ctx.last_time is not None and ctx.last_time.precision == "month" and ctx.last_time.start <= line_day \
            and not any(x.span_start <= that_month.start() < x.span_end for x in times):
        # "IS overran Sinjar in August 2014. ... the remains of 78 women whom the group killed
        # that month": the month just told
        t = ctx.last_time
        times = sorted(times + [type(t)(t.start, t.end, t.precision, that_month.start(), that_month.end(), s[that_month.start():that_month.end()])],
                       key=lambda x: x.span_start)
    same_day = _SAME_DAY.search(lower) if ("day" in lower or "night" in lower or "evening" in lower or "morning" in lower or " later" in lower) else None
    if same_day and ctx.operation_time is not None and not times and "day" in same_day.group(0) and ("first" in same_day.group(0) or "opening" in same_day.group(0)):
        # ("Turkey launched a military operation in Afrin on 20 January 2018. Turkish aircraft
        # struck more than 100 targets on the first day": the launch's day)
        t = ctx.operation_time
        times = [type(t)(t.start, t.start, "day", same_day.start(), same_day.end(), s[same_day.start():same_day.end()])]
    elif same_day and ctx.last_time is not None and not times:
        # "On the same day, GoS helicopters dropped barrel bombs": the date just given.
        t = ctx.last_time
        times = [type(t)(t.start, t.end, t.precision, same_day.start(), same_day.end(), s[same_day.start():same_day.end()])]
    elif same_day and times and not any(t.span_start <= same_day.start() < t.span_end for t in times):
        # "..., which the Peshmerga left on Tuesday, Iraqi army units entered the town the same
        # day": the day told before it in the sentence
        # (none before it in the sentence: the day told before, "... on Thursday. The group set up
        # checkpoints the same evening, and its patrols have been seen since this morning")
        told = [t for t in times if t.span_end <= same_day.start()] or (
            [ctx.last_time] if ctx.last_time is not None and not _SAME_DAY_AS.match(lower, same_day.end()) else [])  # (not "the same day that ...": a day told after)
        if told:
            t = told[-1]
            times = sorted(times + [type(t)(t.start, t.end, t.precision, same_day.start(), same_day.end(), s[same_day.start():same_day.end()])],
                           key=lambda x: x.span_start)
    if times and kept and ("later" in lower or "day after" in lower or "following day" in lower or "next day" in lower):
        # "entered Kafr Nabudah on Wednesday ... and took Qalaat al-Madiq the following day":
        # counted from the time before it in the sentence
        inner = _LATER.search(lower)
        anchor = next((t for t in reversed(times) if inner and t.span_end <= inner.start() and t.start == t.end), None)
        if anchor is not None and (inner.group("next") or inner.group("n")):
            days = 1 if inner.group("next") else (_number(inner.group("n")) or 0)
            shift = timedelta(days=-days if inner.group("dir") == "earlier" else days)
            times = sorted(times + [type(anchor)(anchor.start + shift, anchor.end + shift, anchor.precision,
                                                 inner.start(), inner.end(), inner.group(0))], key=lambda t: t.span_start)
    if kept and " after " in lower:
        # "Funerals continued today, three days after IS fighters stormed villages": the
        # after-clause's event is dated that long before the sentence's own time
        after = _UNITS_AFTER.search(lower)
        n = (1 if after.group("n") in ("a", "an") else _number(after.group("n"))) if after else None
        fronted = after is not None and not lower[:after.start()].strip(" \"'“‘-—–")
        if n and any(t.span_start >= after.end() and not (fronted and re.search(r"[,;]", lower[after.end():t.span_start])) for t in times):
            n = None  # ("two weeks after seizing Maarat al-Numan on January 28": its own date)
        if n:
            # (the sentence's own day, before the after-clause or, when it is fronted, after it:
            # "Four days after the prime minister declared victory in Mosul, police ... on Friday")
            anchor = next((t for t in reversed(times) if t.span_end <= after.start() and t.start == t.end), None) or \
                next((t for t in times if fronted and t.span_start >= after.end() and t.start == t.end), None)
            base = anchor.start if anchor is not None else line_day
            unit = after.group("unit")
            if unit.startswith("day"):
                day = base - timedelta(days=n)
                back = TimeExpression(day, day, "day", after.start(), after.end(), after.group(0))
            elif unit.startswith("week"):
                day = base - timedelta(days=7 * n)
                back = TimeExpression(day - timedelta(days=3), day + timedelta(days=3), "week", after.start(), after.end(), after.group(0))
            elif unit.startswith("year"):  # "Seven years after Mosul was retaken": that year
                back = TimeExpression(date(base.year - n, 1, 1), date(base.year - n, 12, 31), "year", after.start(), after.end(), after.group(0))
            else:
                y, mth = _shift_month(base.year, base.month, -n)
                back = TimeExpression(date(y, mth, 1), _period_end(date(y, mth, 1), "month"), "month", after.start(), after.end(), after.group(0))
            times = sorted(times + [back], key=lambda t: t.span_start)
    since_event = _SINCE_THE_EVENT.match(lower) if not times and kept and lower.startswith("since") else None
    t = ctx.last_time
    if since_event is not None and t is not None and t.precision in ("day", "week") and 0 <= (report.published - t.start).days <= 60:
        # "... were killed on Saturday in a gun battle. Since the clash, the Asayish has set up
        # new checkpoints": from the last day told (the clash's, when no other time came between)
        # up to the report
        times = [type(t)(t.start, report.published, t.precision, since_event.start(), since_event.end(), since_event.group(0))]
    if kept and times and ctx.previous_time is not None and ctx.previous_time.start == ctx.previous_time.end < report.published \
            and all(t.text.lower() in _DAY_BEFORE_WORDS for t in times):
        # "Troops entered the town on Thursday. The previous day, jets struck it": the day
        # before the one told, not before the report
        t = ctx.previous_time
        times = [type(t)(t.start - timedelta(days=1), t.end - timedelta(days=1), "day", x.span_start, x.span_end, x.text) for x in times[:1]]
    later = _LATER.search(lower) if not times and kept else None
    if later is not None:
        # "Hours later, ...", "The following day, ...": counted from the sentence before.
        t = ctx.previous_time
        if t is None:
            given = find_time_expressions(ctx.previous_sentence, report.published)
            t = given[0] if len({(g.start, g.end) for g in given}) == 1 else None  # ("yesterday, Monday": one day)
        if t is not None and ctx.story_time is not None and (ctx.story_time.start - t.end).days > 3 and _HOURS_LATER.match(later.group(0)) \
                and ctx.previous_sentence and _SINCE_CLAUSE_END.search(ctx.previous_sentence[:t.span_start]):
            # ("A car bomb killed 13 on Saturday. Turkish troops have patrolled the town since they
            # seized it on Oct. 13. Hours later, drones struck ...": hours after the story's day, not the
            # since-clause's; but "had entered Jarablus on Aug. 24. Hours later" is 24 August)
            t = ctx.story_time
        if t is not None and later.group("vague"):
            # "Days later, Turkish troops took Jarablus": within the month told, or the week
            # or weeks after the day told
            if t.start == t.end:
                weeks = "week" in later.group("vague")
                a, b = (7, 28) if weeks else (1, 7)
                times = [type(t)(t.start + timedelta(days=a), min(t.start + timedelta(days=b), report.published), "week",
                                 later.start(), later.end(), later.group(0))]
            else:
                times = [type(t)(t.start, t.end, t.precision, later.start(), later.end(), later.group(0))]
        elif t is not None and t.start == t.end and later.group("span") and t.start < report.published:
            # "On 23 February ... took al-Bab. Qabasin and Bza'a were taken over the following
            # two days": the days after the one told
            n = _number(later.group("span")) or 1
            times = [type(t)(t.start + timedelta(days=1), min(t.start + timedelta(days=n), report.published), "day",
                             later.start(), later.end(), later.group(0))]
        elif t is not None and t.start == t.end:
            days = 1 if later.group("next") or later.group("n") in ("a", "one") else (_number(later.group("n")) or 0) if later.group("n") else 0
            shift = timedelta(days=-days if later.group("dir") == "earlier" else days)
            times = [type(t)(t.start + shift, t.end + shift, t.precision, later.start(), later.end(), later.group(0))]
    one_of_them = not times and kept and " the " in lower and _ONE_OF_THEM.search(lower) is not None
    toll = not times and kept and all(k[2].indicator == "killing" for k in kept) and _is_toll_of_before(lower, names, ctx)
    # ("Government forces took Kafr Nabudah on Wednesday. Fighters of the NFL withdrew to the
    # north.": the paragraph's narrative goes on in the day its sentence before told)
    # (only the parties just told, named again: not "Russian jets hit Tabqa" after coalition
    # strikes, nor "Earlier, ...", "Throughout the week, ...")
    told_strikers = {o.actor for o in ctx.strikes_told_last} if ctx.strikes_told_last else set()
    named_air = {mm.value for mm in mentions if mm.value in AIR_FORCES and mm.value != "unknown"}
    strikes_retold = bool(told_strikers) and ctx.sentences_read - ctx.strikes_told_at <= 1 and _PAST_STRIKE_VERB.search(lower) is not None \
        and any(k[2].indicator == "airstrike" for k in kept) and bool(named_air) and named_air <= told_strikers \
        and not _ANOTHER_TIME_START.match(lower)
    narrative = not times and kept and ctx.previous_line == sent.line and ctx.previous_time is not None \
        and ctx.previous_time.precision == "day" and ctx.previous_time.start == ctx.previous_time.end \
        and all((k[2].indicator in ("troop_movement", "killing") and _PAST_NARRATIVE.fullmatch(lower, k[0], k[1]))
                # ("Coalition and Russian aircraft both struck the city on Thursday. The coalition hit a
                # depot near the old bridge": the strikes just told, in more detail)
                or (k[2].indicator in ("airstrike", "killing") and strikes_retold) for k in kept)
    if not times and kept and (_CONTINUES.match(lower) or (one_of_them and ctx.previous_time is not None) or toll or narrative):
        # "IS fighters attacked Haditha on Sunday. They killed 12 soldiers.": the same day,
        # the time the sentence before gave its events (or its only time; but "died in the
        # blast" only takes the time of a reported event).
        t = ctx.previous_time
        if t is None:
            given = find_time_expressions(ctx.previous_sentence, report.published)
            t = given[0] if len({(g.start, g.end) for g in given}) == 1 else None  # ("yesterday, Monday": one day)
        if t is not None:
            times = [type(t)(t.start, t.end, t.precision, 0, 0, "")]
    time_for = _assign_times(kept, times, s)
    for i, (start, _end, trig, _m) in enumerate(kept):
        since = _HOLDING_SINCE_EVENT.match(lower, start) if trig.indicator == "control_change" and i not in time_for else None
        if since:
            # "The YPG had controlled Afrin since government forces withdrew from the town in July
            # 2012": held since the time of the event the since-clause tells
            j = next((j for j, (start2, *_r) in enumerate(kept) if since.end() <= start2 and "," not in lower[since.end():start2]), None)
            if j is not None and j in time_for:
                time_for[i] = time_for[j]
    for i, (start, end, trig, _m) in enumerate(kept):
        when = _WHEN_AFTER_VICTIMS.match(lower, end) if trig.indicator == "killing" and (i not in time_for or time_for[i].span_start < start) else None
        if when:
            # "the remains of 78 women believed to have been executed by the militants when they
            # overran the area in August 2014": killed at the time of the when-clause's event
            j = next((j for j, (start2, *_r) in enumerate(kept) if when.end() <= start2 and not re.search(r"[.;,]", lower[when.end():start2])), None)
            if j is not None and j in time_for and time_for[j].span_start > when.end():
                time_for[i] = time_for[j]
    hedged = _clause_has(words, "hedges", lower)
    if hedged and "accused" in lower and framed:
        # "executed five men accused of spying": the victims' alleged crime, no doubt on the killing
        first_end = min(end for _s, end, *_r in framed)
        unhedged = lower
        for acc in _PERSON_ACCUSED_OF.finditer(lower, first_end):
            if acc.group(1) in lex.civilians or acc.group(1) in lex.combatants:
                unhedged = unhedged[:acc.start()] + " " * (acc.end() - acc.start()) + unhedged[acc.end():]
        hedged = _clause_has(words, "hedges", unhedged)

    out: list[tuple[Observation, bool]] = []
    used_places: list[PlaceMention] = []
    strike_obs: Observation | None = None
    # ("struck five facilities on Sunday, ..., in retaliation for a rocket attack ... on Friday":
    # the sentences after go on with the strikes' day, not the attack's)
    background_clause = _AFTER_CLAUSE.search(lower) if framed and "," in lower else None
    if background_clause is not None and not any(mt[0] < background_clause.start() for mt in matches):
        background_clause = None
    # ("captured al-Qaryatayn on Wednesday, pushing west from Palmyra, which they overran in May":
    # the relative clause's time dates its own event, not the story the next sentence goes on with)
    relative_clause = _RELATIVE_START.search(lower) if framed and ", wh" in lower else None
    if relative_clause is not None and not any(mt[0] < relative_clause.start() for mt in matches):
        relative_clause = None
    for idx, (start, end, trig, m, frames) in enumerate(framed):
        negated = _is_negated(scan, start, end, words) and not trig.absence  # ("denied, however, that ...")
        ended = None
        hedged_here = hedged
        if hedged and negated and not _clause_has(words, "hedges", _CLAIM_NOUN.sub(" ", lower)):
            hedged_here = False  # "the rumours ... are baseless": the claim is denied, not in doubt
        if negated and trig.change == "present" and _NO_LONGER.search(lower, max(0, start - 30), end + 15):
            # "Hisbah members no longer patrol the streets": presence that ended, not a denial
            negated, ended = False, {"patrol": "stopped", "checkpoint": "removed"}.get(trig.indicator)
        for frame in frames:
            actor, counterpart, manner, place_m, origin, dest, qty = frame[:7]
            if actor is None:
                continue
            if qty is not None and "," in lower and any(c.start() < qty.start < c.end() and c.end() <= start
                                                        for c in _WHICH_CLAUSE.finditer(lower)):
                qty = None  # "Coalition aircraft, which flew hundreds of sorties, carried out no strikes": not this event's count
            if place_m is None:
                continue
            texpr = time_for.get(idx) or _nearest_time(times, start, end, kept, idx, s)
            if texpr is not None and trig.indicator != "killing" and any(texpr is t for t in event_times) and start < texpr.span_start:
                # (what came after it: the sentence's own time, else the report's day, not the event's)
                others = [t for t in times if not any(t is e for e in event_times)]
                texpr = others[0] if len(others) == 1 else replace(texpr, start=line_day, end=line_day, precision="day")
            if texpr is None and len(times) == 1 and stamp_line and not event_times:
                texpr = times[0]  # (a post's one time, that another trigger of its sentence took: "[28 Jan] helicopters dropped barrel bombs on X on Thursday")
            if len(times) > 1 and place_m.end > end:
                # "regained control of Al-Izba on 1 September and of Dhiban on 6 September": the
                # time told right after the place is that place's
                own = next((x for x in times if 0 <= x.span_start - place_m.end <= 10 and not _PLACE_WORD_GAP.sub("", s[place_m.end:x.span_start]).strip(" ,")
                            and not (x.text.lower().startswith("since") and _HELD_STATE_BETWEEN.search(s, end, x.span_start))), None)
                if own is None and trig.indicator == "airstrike" and _LIST_COLON.search(s, end, place_m.start):
                    # "struck sites three times: near Al-Bukamal on 27 October, at a depot in Deir
                    # ez-Zor city on 8 November, and on Sunday in Al-Mayadin": the time of the place's own item
                    lo = max(s.rfind(",", end, place_m.start), s.rfind(":", end, place_m.start))
                    hi = _CLAUSE_SPLIT.search(s, place_m.end)
                    own = next((x for x in times if lo < x.span_start and x.span_end <= (hi.start() if hi else len(s))), None)
                texpr = own or texpr
            if texpr is None and times:
                # "since Monday, when twin bombings killed 23 people": the day the when-clause hangs on
                when = next((t for t in times if t.span_end <= start and _WHEN_CLAUSE.match(lower, t.span_end)
                             and not re.search(r"[;.]", lower[t.span_end:start])), None)
                if when is not None:
                    texpr = replace(when, end=_period_end(when.start, when.precision)) \
                        if when.text.lower().startswith(("since", "ever since")) else when
            if texpr is not None and texpr.start <= report.published and not (
                    trig.indicator == "control_change" and _HOLDING_SINCE_EVENT.match(lower, start)) and (  # (held since then: taken then)
                    (texpr.span_start >= end and _SINCE_CLAUSE.search(lower, end, texpr.span_start))
                    or (texpr.span_end <= start and _SINCE_CLAUSE.search(lower, max(0, texpr.span_start - 80), texpr.span_start))):
                # "IS has killed hundreds since it declared its caliphate in June 2014", "Since the
                # offensive began on June 19, 150 civilians have been killed": the time dates the
                # since-clause; the event beside it runs from then to the report.
                texpr = replace(texpr, end=max(texpr.end, report.published))
            if texpr is None and trig.indicator == "control_change" and _HOLDING_SINCE_EVENT.match(lower, start):
                continue  # ("have controlled Ras al-Ain since the 2019 offensive": held since a time not told, no change of hands now)
            if texpr is not None:
                if (background_clause is None or start < background_clause.end()) and (relative_clause is None or start < relative_clause.start()):
                    ctx.last_time = texpr
                    if ctx.story_time is None and texpr.precision in ("day", "week") and not (
                            texpr.text.lower().startswith(("since", "ever since")) and not s.startswith(("'s", "’s"), texpr.span_end)):
                        ctx.story_time = texpr  # (not "since 20 May": a span up to now is no day the story happened on; but "since Thursday's ambush")
                d0, d1, prec, explicit = texpr.start, texpr.end, texpr.precision, True
            elif ctx.line_time is not None and ctx.line_time[0] == sent.line:
                # the second sentence of "- 12 Nov: SDF units reached al-Hol. An SDF spokesman said ..."
                t = ctx.line_time[1]
                d0, d1, prec, explicit = t.start, t.end, t.precision, True
            elif ctx.heading_time is not None and not (ctx.story_time is not None and ctx.heading_time.start == ctx.heading_time.end == report.published):
                # the items under "1. SAFIRA — Friday 1 November" (a stamp of the report's own
                # day, "Sat 11 Apr 2020 | compiled 09:00", dates nothing the story has dated)
                t = ctx.heading_time
                d0, d1, prec, explicit = t.start, t.end, t.precision, _SECTION_DATED
            elif ctx.section_time is not None:
                # a bulletin's items, under "Deir ez-Zor 24 monitored the following events on Sunday:"
                t = ctx.section_time
                d0, d1, prec, explicit = t.start, t.end, t.precision, _SECTION_DATED  # (a time of its own wins in a merge)
            elif negated and trig.indicator == "airstrike" and ctx.strikes_told_last and ctx.sentences_read - ctx.strikes_told_at <= 2:
                # "Unidentified aircraft struck an SNA convoy this morning. The Russian MoD denied
                # that its jets had carried out the strike": the denial is of that strike, on its day
                told = ctx.strikes_told_last[-1]
                d0, d1, prec, explicit = told.date_start, told.date_end, told.date_precision, False
            elif (ctx.story_time is not None and (trig.indicator in _STORY_DATED or trig.change == "attacked") and not negated
                  and not _PRESENT_STATE.match(lower, start)  # ("the town remains contested": now, not on the lead's day)
                  and (report.published - ctx.story_time.end).days <= STORY_DAYS
                  and not _PERFECT_OR_PRESENT_BEFORE.search(lower, max(0, start - 30), start)
                  and not (lower.endswith("ing", start, end) and _WERE_BEFORE.search(lower, max(0, start - 20), start))):
                # "More than 100 Daesh terrorists were killed," after a lead dated Friday: an
                # undated event told in the past is the story's, on the day its lead gave (but
                # "have set up", "are massing" are now; a denial is dated by the report)
                t = ctx.story_time
                d0, d1, prec, explicit = t.start, t.end, t.precision, False
            elif (trig.indicator == "killing" and ctx.title_month is not None and ctx.tally_title and not negated
                  and 0 < (report.published - ctx.title_month.end).days <= TITLE_MONTH_DAYS):
                # "UN: at least 741 Iraqis killed in May ...": the tallies the report gives by
                # place ("Baghdad was the worst-affected governorate, with 390 civilians killed")
                # are the title's month's
                t = ctx.title_month
                d0, d1, prec, explicit = t.start, t.end, t.precision, False
            else:
                d0 = d1 = report.published
                prec, explicit = "day", False
            change = ended or frame_change(trig, frame)
            if trig.indicator == "control_change" and texpr is not None and _HOLDING.match(lower, start) \
                    and texpr.text.lower().startswith(("since", "ever since")):
                # "IS had controlled Hawija since June 2014": taken then, at that precision (the
                # whole of "since late 2017": September to December)
                inner = find_time_expressions(_SINCE_WORD.sub("", texpr.text, count=1), report.published)
                d1 = inner[0].end if inner and inner[0].start == d0 and inner[0].end <= report.published else _period_end(d0, prec)
            if trig.indicator == "killing" and _is_war_tally(lower, texpr, qty, report.published):
                continue
            if trig.indicator == "killing" and strike_obs is not None and manner in (None, "unknown") \
                    and lower.startswith("killing", start) and lower[:start].rstrip().endswith(","):
                # "F-16s struck hideouts in the desert east of Tuz, killing six IS members": the strike's dead, where it struck
                manner = "airstrike"
                if place_m.role != "event":
                    place_m = next((u for u in used_places if u.place.place_id == strike_obs.place_id), place_m)
            if trig.indicator == "killing" and manner == "airstrike" and strike_obs is not None:
                # "... died in the airstrikes": the strike's date; its striker killed them.
                if not explicit:
                    d0, d1, prec = strike_obs.date_start, strike_obs.date_end, strike_obs.date_precision
                    explicit = True
                if counterpart is None and change == "killed":
                    counterpart = strike_obs.actor
                if change == "killed_by" and actor in (strike_obs.counterpart, "unknown") and strike_obs.actor != "unknown":
                    actor = strike_obs.actor  # "struck an ISIS convoy, killing four drivers": the strikers killed
            place = place_m.place
            if place.kind == "landmark" and place.place_id in gaz.landmark_towns:
                place = gaz.places[gaz.landmark_towns[place.place_id]]  # "Qayyarah airbase (Q-West)": Qayyarah's
            used_places.append(place_m)
            confidence = 0.85
            if hedged_here:
                confidence -= 0.2
            if place_m.fuzzy:
                confidence -= 0.15
            if place_m.role == "context":
                confidence -= 0.1
            obs = Observation(
                report_id=report.report_id, indicator=trig.indicator, change=change,
                actor=actor, counterpart=None if counterpart == actor != "unknown" else counterpart, manner=manner,  # no one is their own counterpart
                place_id=place.place_id, place_name=place.name, admin1=place.admin1 if place.kind != "country" else None,
                country=place.country, latitude=place.latitude, longitude=place.longitude,
                place_precision=place.precision,
                origin_place_id=origin.place.place_id if origin else None,
                destination_place_id=dest.place.place_id if dest else None,
                origin_name=origin.place.name if origin else None,
                destination_name=dest.place.name if dest else None,
                date_start=d0, date_end=d1, date_precision=prec,
                quantity_low=qty.low if qty else None, quantity_high=qty.high if qty else None,
                unit=qty.unit if qty else None,
                hedged=hedged_here, negated=negated, attribution=attribution,
                sentence=s, span_start=sent.start, span_end=sent.start + len(s),
                trigger=s[start:end], trigger_start=sent.start + start, trigger_end=sent.start + end,
                confidence=round(max(0.05, confidence), 2),
            )
            if trig.indicator == "airstrike":
                if place_m.area:
                    ctx.area_strikes.add((obs.span_start, obs.place_id))
                strike_obs = strike_obs or obs
                if obs.actor != "unknown" and not obs.negated:  # ("The coalition said it had carried out no strikes": nobody's strikes to carry on)
                    ctx.striker = obs.actor
            elif trig.indicator == "killing" and strike_obs is not None and strike_obs.actor == "unknown" and obs.change == "killed_by" \
                    and obs.manner == "airstrike" and obs.actor != "unknown" and obs.actor in AIR_FORCES and not strike_obs.negated:
                # "An air strike hit a house, killing five civilians, according to residents, who
                # blamed Iraqi aircraft": whom the dead are blamed on struck
                was = strike_obs
                strike_obs = replace(was, actor=obs.actor, counterpart=None if was.counterpart == obs.actor else was.counterpart)
                out = [(strike_obs if o is was else o, e) for o, e in out]
            out.append((obs, explicit))

    out = _strikers_killed(out)
    out = _one_per_joint_event(_handovers(_one_per_sentence(_one_movement_per_sentence(out), report.published), lex.allied_blocs))
    out = _strikers_not_targets(out, lex.allied_blocs)
    out = _victims_not_killers(out)
    if (" when " in lower or " killing " in lower) and any(o.indicator in ("checkpoint", "patrol") and o.change == "attacked" for o, _e in out):
        out = _posts_dead(out, lower)
    if " killing " in lower and any(o.indicator == "airstrike" for o, _e in out) and _KILLING_UNNAMED.search(lower):
        out = _strikes_dead(out)
    if ctx.attacked_post is not None and ctx.sentences_read - ctx.attacked_post[0] <= 1 and _BARE_DEAD_START.match(lower) \
            and not any(mm.value not in ("unknown", "national_forces") for mm in mentions) and not _SEPARATE_EVENT.search(lower) \
            and all(p.place.place_id == ctx.attacked_post[1].place_id for p in places if p.role == "event"):
        # ("... an IS cell opened fire on the SDF checkpoint at the entrance of the town. One
        # fighter killed, two wounded.": the checkpoint's men, the attackers' doing)
        out = _dead_of_post(out, ctx.attacked_post[1], ("unknown",))
    post = _attacked_post(out)
    ctx.attacked_post = (ctx.sentences_read, post) if post is not None else ctx.attacked_post
    the_strike = _THE_STRIKE.search(lower) if ctx.strikes_told_last and out and ctx.sentences_read - ctx.strikes_told_at <= STRIKE_IN_VIEW else None
    # ("the Russian strikes on Ariha" are Russia's told strikes only, not the regime's told before)
    told = [o for o in ctx.strikes_told_last if not o.negated
            and (the_strike is None or the_strike.group("adj") is None or o.actor == _adjective_party(lex, the_strike.group("adj")))]
    if the_strike and told:
        # (a raid or strikes "when ... hit" may be the ground killers' own: only those the sentence names no killer for)
        out = _strike_told_before(out, told, {p.place.place_id for p in places}, the_raid=the_strike.group("raid") is not None)
    elif ctx.strikes_told_last and ctx.sentences_read - ctx.strikes_told_at <= STRIKE_IN_VIEW \
            and any(o.indicator == "killing" and o.change == "killed" for o, _e in out):
        out = _struck_group_dead(out, [o for o in ctx.strikes_told_last if not o.negated], {p.place.place_id for p in places})
    # Context for the sentences that follow.
    placed = [pm for pm in used_places if pm.place.kind in ("town", "landmark")]
    if out and ctx.focus is not None and all(o.indicator == "control_change" and o.date_end is not None
                                             and (report.published - o.date_end).days > BACKGROUND_DAYS for o, _e in out) \
            and placed and not any(pm.place.place_id == ctx.focus.place_id or pm.place.place_id in ctx.seen_places for pm in placed):
        # "Iraqi forces retook Ramadi, the provincial capital, in December": background about a
        # town the report had not named, told in a report about Hit; the sentences after it
        # are still about Hit
        return out
    if placed:
        ctx.event_place = replace(placed[0], role="event")
        ctx.event_place_at = ctx.sentences_read
    went = next((pm for o, _e in out if o.indicator == "troop_movement" and o.destination_place_id
                 for pm in places if pm.place.place_id == o.destination_place_id), None)
    # ("left Homs for Palmyra. Troops who arrived there": only when the sentence told nothing but
    # that movement; not "retook Palmyra after IS fighters fled toward Deir ez-Zor")
    if went is not None and all(o.indicator == "troop_movement" and o.change in ("departure", "redeployment") for o, _e in out):
        ctx.destination = (ctx.sentences_read, went)
    towns = [p for p in places if p.place.kind in ("town", "landmark")]
    towns = [p for p in towns if not _is_locator(s, p, places)] or towns  # "the town" later is not a locator
    towns = [p for p in towns if not _ROAD_NAME_AFTER.match(s, p.end)] or towns  # (nor the name of a road: "the Homs-Hama highway")
    government_seats = _word_set_cased(words, "government_seats")
    towns = [p for p in towns if _in_view(s, p, ctx, towns, government_seats)
             and not (p.role == "context" and _names_government(s, p, words))]  # (nor a government: "answers to Baghdad")
    current = {o.place_id for o, _e in out if o.date_end is not None and (report.published - o.date_end).days <= BACKGROUND_DAYS}
    if current and len(towns) > 1:
        # ("took Idlib city on Saturday, ..., after Raqqa fell to rebels in March 2013": the town
        # of the news stays in view, not one named for background)
        old = {o.place_id for o, _e in out if o.date_end is not None and (report.published - o.date_end).days > BACKGROUND_DAYS}
        towns = [p for p in towns if not (p.place.place_id in old and p.place.place_id not in current)] or towns
    if towns:
        ctx.town = towns[-1]
        if ctx.event_place is None and towns[-1].role == "event":
            ctx.event_place = towns[-1]
    # (not the source cited: "... left Douma, according to the Russian Centre for Reconciliation")
    _remember_named(ctx, [mm for mm in mentions if mm.value != "unknown" and not attr_span[0] <= mm.start < attr_span[1]], lower)
    # ("..., Jaish al-Islam said. The group said it had set up ...": the group that spoke)
    ctx.named_speaker = next((mm.value for mm in reversed(ctx.actors.find(attribution)) if mm.value not in ("unknown", "national_forces")), None) \
        if attribution and ctx.actors is not None else None
    return out


def _remember_named(ctx: _Context, named: list[Mention], lower: str = "") -> None:
    """The groups a sentence named, for the sentences after it ("the group", "they")."""
    if named:
        ctx.actor = named[-1].value
        ctx.subject = named[0].value
        ctx.subject_at = ctx.sentences_read
    # (the last force on the ground named: "... killed seven Turkish soldiers", for "The troops" next)
    # (not one inside a relative clause: "Turkish troops began withdrawing from their post, which has
    # been surrounded by Syrian government forces": the troops)
    clauses = [c.span() for c in _WHICH_CLAUSE_OPEN.finditer(lower)] if lower and ", wh" in lower else []
    forces = [m for m in named if _GROUND_FORCE_END.search(m.text) or (lower and _GROUND_FORCE_AFTER.match(lower, m.end))]  # (also "Israeli tanks": an adjective and its force)
    outside = [m for m in forces if not any(a <= m.start < b for a, b in clauses)]
    ctx.ground_force = (outside or forces)[-1].value if forces else None
    # (named by name, and not only as a preposition's object: "searching phones for contacts with the SDF")
    groups = [m for m in named if m.value not in STATE_FORCES and m.value != "peshmerga" and m.text.lower().rsplit(None, 1)[-1] not in _PLURAL_MEN
              and not (_PREPOSITION_BEFORE.search(lower, max(0, m.start - 9), m.start) and not _FORCE_NOUN_AFTER.match(lower, m.end)
                       and not _HANDED_TO_BEFORE.search(lower, max(0, m.start - 80), m.start))]  # (but "handed control of the town to HTS": the gainer)
    if groups:
        # (for "the group": "the militants ... looking for rebel fighters. ... the group took Albu
        # Kamal"; a jihadist group before the others it is named with: "the militants ambushed an
        # SDF patrol, the alliance said. ... the group dismantled its checkpoints")
        ctx.named_group = ([m for m in groups if m.value in JIHADISTS] or groups)[-1].value



_COUNTED_DEAD_TRIGGER = re.compile(r"(?:civilian\s+)?(?:dead|deaths|death toll|toll|bodies)")
_COUNTED_BY_BEFORE = re.compile(r"\b(?:counted|recorded|documented|registered|reported|put)\s+(?:(?:at least|some|about|around|more than|over|nearly)\s+)?(?:[\w,-]+\s+){1,3}$")


def _victims_not_killers(out: list[tuple[Observation, bool]]) -> list[tuple[Observation, bool]]:
    """"Police said 31 of their men were killed in the fighting, while the health directorate
    counted 15 civilian dead": a side whose own dead the sentence counts did not kill the
    civilians it only counts beside them."""
    victims = {o.actor for o, _e in out if o.indicator == "killing" and o.change == "killed" and not o.negated}
    if not victims:
        return out
    return [(replace(o, actor="unknown"), e)
            if o.indicator == "killing" and o.change == "killed_by" and o.actor in victims and _COUNTED_DEAD_TRIGGER.fullmatch(o.trigger.lower())
            and _COUNTED_BY_BEFORE.search(o.sentence.lower(), max(0, o.trigger_start - o.span_start - 50), o.trigger_start - o.span_start)
            else (o, e) for o, e in out]


_STRUCK_FORCES = re.compile(r"\b(?:positions?|troops|soldiers|forces|tanks?|bases?|convoys?|posts?|outposts?|checkpoints?|headquarters|vehicles|fighters|militants|units)\b", re.IGNORECASE)


def _strikers_not_targets(out: list[tuple[Observation, bool]], blocs) -> list[tuple[Observation, bool]]:
    """"The coalition hit a depot near the old bridge; the Russian strikes fell on the Al-Rumaila
    neighbourhood", "Russian and regime jets struck ...": two strikers of one sentence are not
    each other's targets when they are allies or the sentence names no forces struck (but
    "Syrian warplanes bombed Turkish troops, and Turkish drones struck Syrian army positions")."""
    strikers = {o.actor for o, _e in out if o.indicator == "airstrike" and not o.negated}
    if len(strikers) < 2:
        return out
    def mutual(o):
        return o.indicator == "airstrike" and o.counterpart in strikers and (
            any(o.actor in b and o.counterpart in b for b in blocs) or not _STRUCK_FORCES.search(o.sentence)) \
            and any(p.indicator == "airstrike" and p.actor == o.counterpart and p.counterpart == o.actor for p, _f in out)
    return [(replace(o, counterpart=None), e) if mutual(o) else (o, e) for o, e in out]


def _one_per_joint_event(out: list[tuple[Observation, bool]]) -> list[tuple[Observation, bool]]:
    """"Iraqi forces and the PMF retook Tal Afar": one change of hands, told once, with the
    group named first (the codebook: "one observation per change of hands"). Strikes stay one
    per striking party and killings one per side; joint patrols, checkpoints and movements stay
    one per group, as the keys we measure against want them."""
    seen: set = set()
    kept = []
    for obs, explicit in out:
        if obs.indicator in JOINT_EVENT_INDICATORS:
            key = (obs.indicator, obs.change, obs.trigger_start, obs.place_id, obs.date_start, obs.date_end, obs.negated)
            if key in seen:
                continue
            seen.add(key)
        kept.append((obs, explicit))
    return kept


JOINT_EVENT_INDICATORS = frozenset(("control_change",))


_PLACE_FIELDS = ("place_id", "place_name", "admin1", "country", "latitude", "longitude", "place_precision")


_PARTICIPLE_MOVE = re.compile(r"(?:advancing|moving|pushing|coming|heading|driving|travell?ing)\s+from\s+(?:the\s+)?(?:north|south|east|west)\w*\b")


def _one_movement_per_sentence(out: list[tuple[Observation, bool]]) -> list[tuple[Observation, bool]]:
    """"left the city on Sunday, heading for Deir ez-Zor": two triggers, one movement. The
    first keeps its place; a destination or count from the others fills what it lacks."""
    # "units heading for Hajin passed through Al-Shaddadi", "fighters fleeing Mosul crossed
    # through Tal Afar": one transit, with the other end filled in.
    # ("fighters advancing from the east reached the edges of Karma": the participle describes
    # the movers; the finite verb tells where they went)
    moves = [o for o, _e in out if o.indicator == "troop_movement"]
    if len(moves) > 1:
        described = [o for o in moves if _PARTICIPLE_MOVE.match(o.sentence, o.trigger_start - o.span_start)
                     and any(k is not o and k.actor == o.actor and k.trigger_start > o.trigger_end for k in moves)]
        out = [(o, e) for o, e in out if not any(o is d for d in described)]
    transit, transit_explicit = next(((o, e) for o, e in out if o.indicator == "troop_movement" and o.change == "transit"), (None, False))
    if transit is not None and transit.place_precision in ("admin1", "country") and any(
            o.indicator == "troop_movement" and o is not transit and o.actor == transit.actor and o.place_precision == "town" for o, _e in out):
        # "crossed into Syria's Idlib province on Thursday and arrived at positions near Darat
        # Izza on Friday": the town the movement reached, not the province it crossed into
        count = {"quantity_low": transit.quantity_low, "quantity_high": transit.quantity_high, "unit": transit.unit}
        out = [(replace(o, **count) if o.indicator == "troop_movement" and o.actor == transit.actor and o.quantity_low is None
                and o.quantity_high is None and transit.quantity_low is not None else o, e) for o, e in out if o is not transit]
        transit = None
    if transit is not None:
        others = [(o, e) for o, e in out if o.indicator == "troop_movement" and o is not transit and o.actor == transit.actor
                  and not (o.change == "transit" and o.trigger_start == transit.trigger_start)]  # ("through A and B": one transit each)
        fill = {}
        for o, e in others:
            if e and not transit_explicit:
                # "passed through Al-Bab on their way to Manbij last week": the time the other trigger took
                fill.update(date_start=o.date_start, date_end=o.date_end, date_precision=o.date_precision)
                transit_explicit = e
            if o.destination_place_id and not transit.destination_place_id:
                fill.update(destination_place_id=o.destination_place_id, destination_name=o.destination_name)
            if o.change == "departure" and o.place_id != transit.place_id and not transit.origin_place_id:
                fill.update(origin_place_id=o.place_id, origin_name=o.place_name)
            if o.quantity_low is not None and transit.quantity_low is None:
                fill.update(quantity_low=o.quantity_low, quantity_high=o.quantity_high, unit=o.unit)
        out = [(replace(o, **fill), transit_explicit) if o is transit else (o, e) for o, e in out if not any(o is x for x, _ in others)]
    kept: list[tuple[Observation, bool]] = []
    for obs, explicit in out:
        if obs.indicator == "troop_movement":
            same = next((i for i, (k, k_told) in enumerate(kept) if k.indicator == "troop_movement"
                         and k.actor == obs.actor and k.negated == obs.negated
                         and k.trigger_start != obs.trigger_start  # "withdrew from A and B": two departures
                         and {k.change, obs.change} <= {"departure", "redeployment"} | {k.change}
                         and not (k.change != obs.change and _one_after_another(k, obs))
                         # ("reinforced Ain Issa in mid-November, and on 14 November a convoy arrived in Tal Tamr": two, each with its time)
                         and not (explicit is True and k_told is True and (k.date_start, k.date_end) != (obs.date_start, obs.date_end))), None)
            if same is not None:
                k, k_explicit = kept[same]
                fill = {}
                if k.place_precision == "country" and obs.place_precision == "town" and k.change == obs.change == "arrival":
                    # "crossed into Syria ... and reached al-Mayadin": the town they reached
                    fill.update({f: getattr(obs, f) for f in _PLACE_FIELDS})
                    if k.destination_place_id == obs.place_id:
                        fill.update(destination_place_id=None, destination_name=None)
                elif k.destination_place_id is None and obs.destination_place_id is not None:
                    fill.update(destination_place_id=obs.destination_place_id, destination_name=obs.destination_name)
                elif k.destination_place_id is None and obs.place_id != k.place_id and obs.change == k.change:
                    fill.update(destination_place_id=obs.place_id, destination_name=obs.place_name)
                if k.quantity_low is None and obs.quantity_low is not None:
                    fill.update(quantity_low=obs.quantity_low, quantity_high=obs.quantity_high, unit=obs.unit)
                if not k_explicit and explicit:
                    # "sent reinforcements to Izraa last Thursday": the day the other trigger took
                    fill.update(date_start=obs.date_start, date_end=obs.date_end, date_precision=obs.date_precision)
                kept[same] = (replace(k, **fill), k_explicit or explicit)
                continue
        kept.append((obs, explicit))
    return kept


def _one_after_another(a: Observation, b: Observation) -> bool:
    """"Army units arrived in Bartella on Wednesday, but pulled out a few hours later": two
    movements, one after the other, not one movement's two ends."""
    first, second = sorted((a, b), key=lambda o: o.trigger_start)
    text, at = a.sentence, a.span_start  # (trigger offsets are the report's)
    return bool(_SEQUENCE_BETWEEN.search(text, first.trigger_end - at, second.trigger_start - at)
                or _LATER_AFTER.match(text, second.trigger_end - at))


_SEQUENCE_BETWEEN = re.compile(r"\b(?:but|then|later|afterwards|only to)\b")
_LATER_AFTER = re.compile(r"(?:\s+[\w-]+){0,5}?\s+(?:later|afterwards)\b")


_SECTION_DATED = "section"  # an observation dated by its bulletin section, not by a time of its own (truthy)


def _done_again(a: Observation, b: Observation) -> bool:
    """Two observations of one sentence on days apart are two events (a change of hands only when
    the later is told as done again: "retook")."""
    if a.trigger_start == b.trigger_start or not a.date_start or not b.date_start:
        return False
    first, later = (a, b) if a.trigger_start < b.trigger_start else (b, a)
    if not ((first.date_end or first.date_start) < later.date_start or (later.date_end or later.date_start) < first.date_start):
        return False
    if first.indicator in ("airstrike", "troop_movement", "checkpoint", "patrol"):
        return True  # ("struck Saraqib on 2 August and again on 5 August"; not the dead of one attack "who died in hospital on Tuesday")
    # (a change of hands told twice is one, unless taken again: "stormed Sukhnah on Sunday and took
    # full control of the town on Monday")
    return later.trigger.lower().startswith("re") or re.search(r"\bagain\b", later.sentence or "") is not None


def _one_per_sentence(out: list[tuple[Observation, bool]], published: date) -> list[tuple[Observation, bool]]:
    """One sentence states one thing once: two triggers for one indicator, group and place
    ("helicopters dropped barrel bombs") make one observation, with the date one of them
    gives. A state ("patrols roam") beside a change of the same presence ("stepped up their
    patrols") is not said separately. A strike and the deaths it caused share their date."""
    kept: list[tuple[Observation, bool]] = []
    for obs, explicit in out:
        same = next((i for i, (k, ke) in enumerate(kept) if (k.indicator, k.actor, k.place_id, k.negated)
                     == (obs.indicator, obs.actor, obs.place_id, obs.negated)
                     and (k.change == obs.change or "present" in (k.change, obs.change))
                     and (k.quantity_low is None or obs.quantity_low is None or k.quantity_low == obs.quantity_low)
                     # (not one trigger's list items dated apart: "near Al-Bukamal on 27 October, ..., and
                     # on Sunday at a site near Al-Bukamal")
                     and not (k.trigger_start == obs.trigger_start and ke is True and explicit is True and k.date_start != obs.date_start)
                     # (nor a deed done again on another day: "took Saraqib on 6 February ... and retook
                     # it on 2 March"; but "stormed Sukhnah on Sunday and took full control on Monday" is one)
                     and not (ke is True and explicit is True and _done_again(k, obs))), None)
        if same is None:
            kept.append((obs, explicit))
            continue
        k, k_explicit = kept[same]
        if k.change == "present" and obs.change != "present":
            k, k_explicit, obs, explicit = obs, explicit, k, k_explicit
        fill = {}
        if (not k_explicit or k_explicit is _SECTION_DATED) and explicit is True:
            fill.update(date_start=obs.date_start, date_end=obs.date_end, date_precision=obs.date_precision)
        if k.quantity_low is None and k.quantity_high is None and obs.quantity_low is not None:
            fill.update(quantity_low=obs.quantity_low, quantity_high=obs.quantity_high, unit=obs.unit)
        kept[same] = (replace(k, **fill), k_explicit or explicit)
    # "14 IS members have been killed by unknown gunmen, in assassinations the group blames on
    # apostates": uncounted dead of no named group beside named ones are the same dead.
    named_dead = {(o.place_id, o.manner) for o, _ in kept if o.indicator == "killing" and o.change == "killed" and o.actor != "unknown"}
    kept = [(o, e) for o, e in kept if not (o.indicator == "killing" and o.change == "killed" and o.actor == "unknown"
                                            and o.quantity_low is None and (o.place_id, o.manner) in named_dead)]
    # Deaths in an attack on a checkpoint or patrol ("a roadside bomb targeted an army patrol
    # near Tuz the same day, killing an officer"): the date the attack was given.
    for i, (o, e) in enumerate(kept):
        if o.indicator == "killing" and not e:
            dated = next((d for d, de in kept if de and d.indicator in ("checkpoint", "patrol") and d.change == "attacked"), None)
            if dated is not None:
                kept[i] = (replace(o, date_start=dated.date_start, date_end=dated.date_end, date_precision=dated.date_precision), True)
    # A strike and the deaths it caused: one date, whichever of them gives it.
    for kind, other in (("airstrike", "killing"), ("killing", "airstrike")):
        for i, (o, e) in enumerate(kept):
            if o.indicator != kind or e or (kind == "killing" and o.manner != "airstrike"):
                continue
            dated = next((d for d, de in kept if d.indicator == other and de and d.place_id == o.place_id
                          and (other == "airstrike" or d.manner == "airstrike")), None)
            if dated is not None:
                kept[i] = (replace(o, date_start=dated.date_start, date_end=dated.date_end, date_precision=dated.date_precision), True)
    # Deaths in strikes "over the past two years" are a tally, not an event of the report.
    kept = [(o, e) for o, e in kept if not (o.indicator == "killing" and _is_tally_span(o.date_start, o.date_end, published, True))]
    # "The SDF took Tabqa after IS fighters surrendered": one change of hands.
    captured = [(i, o) for i, (o, _) in enumerate(kept) if o.indicator == "control_change" and o.change == "captured"]
    drop = set()
    for j, (o, _) in enumerate(kept):
        if o.indicator == "control_change" and o.change == "lost":
            gain = next(((i, c) for i, c in captured if c.place_id == o.place_id and c.actor != o.actor), None)
            if gain is not None:
                i, c = gain
                if c.counterpart is None:
                    kept[i] = (replace(c, counterpart=o.actor), kept[i][1])
                drop.add(j)
    return [k for j, k in enumerate(kept) if j not in drop]


_INTO_TOWN_PART_AFTER = re.compile(r"\s+(?:the\s+)?(?:(?!and\s+(?:its|their)\b)[\w’'-]+\s+){0,3}?(?:quarters?|neighbou?rhoods?|districts?|suburbs?|outskirts|edges?|(?:northern|southern|eastern|western|central)\s+parts?)\b", re.IGNORECASE)


def _barrel_bombs_told(lower: str, start: int, end: int) -> bool:
    """Barrel bombs in the strike's own clause ("More than 40 barrel bombs fell on Zabadani",
    "killed by barrel bombs"; not "The raids hit Anadan, where barrel bombs had fallen a day earlier")."""
    at = lower.find("barrel bomb", max(0, start - 60), end + 150)  # (also "strikes on Saraqib, Binnish, Ariha and Kafr Nabl, most of them with barrel bombs")
    if at > end + 60 and (not _OF_THEM_WITH_BEFORE.search(lower, max(0, at - 30), at) or _BARREL_ELSEWHERE_AFTER.match(lower, at)):
        return False  # (not "..., with barrel bombs reported in Darayya": another town's)
    return at >= 0 and not _BARREL_CLAUSE_BREAK.search(lower, min(at, end), max(at, start))


_OF_THEM_WITH_BEFORE = re.compile(r"\b(?:of\s+them|all|mostly|largely)\s+(?:with|by|using)\s+(?:[\w-]+\s+){0,2}$")
_BARREL_ELSEWHERE_AFTER = re.compile(r"barrel\s+bombs?\s+(?:(?:were|was)\s+)?(?:reported|dropped|fell|falling|used)?\s*(?:in|on|over)\s+")


_BARREL_CLAUSE_BREAK = re.compile(r";|\b(?:where|which|while|after|before)\b")


def _strikers_killed(out: list[tuple[Observation, bool]]) -> list[tuple[Observation, bool]]:
    """"3 fighters and 2 civilians were killed when a drone hit one of its checkpoints" after
    "Turkish drones struck ...": the dead of the sentence's one strike are its striker's."""
    strikers = {o.actor for o, _ in out if o.indicator == "airstrike" and not o.negated and o.actor != "unknown"}
    if len(strikers) != 1:
        return out
    striker = next(iter(strikers))
    return [(replace(o, actor=striker) if o.change == "killed_by" and o.actor == "unknown"
             else replace(o, counterpart=striker) if o.change == "killed" and o.counterpart is None and o.actor != striker else o, e)
            if o.indicator == "killing" and o.manner == "airstrike" and not o.negated else (o, e) for o, e in out]


_AT_THE_SCENE_AFTER = re.compile(r"\s+(?:at|on)\s+the\s+(?:scene|site|spot)\b")


def _posts_dead(out: list[tuple[Observation, bool]], lower: str) -> list[tuple[Observation, bool]]:
    """"Two fighters were killed when IS gunmen attacked a checkpoint": the dead are the men of
    the checkpoint (or patrol) attacked, not the attackers, when nothing else names their side."""
    if _KILLED_WHEN_POST_ATTACKED.search(lower) or _POST_ATTACKED_KILLING.search(lower):
        post = _attacked_post(out)
        return out if post is None else _dead_of_post(out, post, ("unknown", post.counterpart))  # (the attackers' own only by a default)
    if _POST_BOMBED_KILLING.search(lower):
        post = _attacked_post(out, attacker_known=False)  # (a bomb's: "an IED detonated at the checkpoint ..., killing two guards")
        return out if post is None else _dead_of_post(out, post, ("unknown",))
    return out


def _strikes_dead(out: list[tuple[Observation, bool]]) -> list[tuple[Observation, bool]]:
    """"Iraqi F-16s struck militant positions south of Daquq, killing a number of fighters": a
    strike's unnamed dead, given the striker's side by default, are its target's men."""
    strike = next((o for o, _e in out if o.indicator == "airstrike" and not o.negated and o.counterpart not in (None, "unknown")
                   and o.actor != o.counterpart), None)
    if strike is None:
        return out
    return [(replace(o, actor=strike.counterpart, counterpart=strike.actor), e)
            if o.indicator == "killing" and o.change == "killed" and o.trigger_start > strike.trigger_start and (
                (o.actor == strike.actor and o.counterpart in (None, "unknown"))
                or (o.actor == "unknown" and o.counterpart == strike.counterpart))  # ("drones struck vehicles of the PMF ..., killing a brigade commander": the PMF's, not the PMF's doing)
            else (o, e) for o, e in out]


def _attacked_post(out: list[tuple[Observation, bool]], attacker_known: bool = True) -> Observation | None:
    """The checkpoint or patrol a sentence told attacked, with its owner (and attacker) known."""
    return next((o for o, _e in out if o.indicator in ("checkpoint", "patrol") and o.change == "attacked"
                 and o.actor != "unknown" and (not attacker_known or o.counterpart not in (None, "unknown"))), None)


def _dead_of_post(out: list[tuple[Observation, bool]], post: Observation, defaults: tuple) -> list[tuple[Observation, bool]]:
    """The sentence's own dead whose side was only a default (`defaults`) as the post's men, killed by its attackers."""
    return [(replace(o, actor=post.actor, counterpart=post.counterpart), e)
            if o.indicator == "killing" and o.change == "killed" and o.actor in defaults else (o, e) for o, e in out]


_SEPARATE_EVENT = re.compile(r"\b(?:separate|another|different|earlier|later)\b")
_KILLING_UNNAMED = re.compile(r",\s+killing\s+(?:(?:at least|more than|about|around|some|nearly|up to)\s+)?(?:a number of|several|dozens of|scores of|\w+)\s+"
                              r"(?:of\s+(?:the|its|their)\s+)?(?:(?:brigade|battalion|field|senior|local|military)\s+)?(?:fighters?|militants?|members?|men|gunmen|elements|commanders?|leaders?)\b")  # (the dead's side not named)
_POST_MEN = r"(?:fighters?|members?|soldiers?|men|guards?|personnel|policem[ae]n|troops)"  # a post's men, named by no side
_POST_ATTACKED = r"(?:attacked|ambushed|stormed|hit|struck|targeted|raided)\s+(?:an?|the|their|its|one of (?:their|its))\s+(?:[\w-]+\s+)?(?:checkpoints?|patrols?)\b"
_BARE_DEAD_START = re.compile(r"\W*(?:one|two|three|four|five|\d+)\s+" + _POST_MEN + r"\s+(?:(?:was|were)\s+)?(?:killed|dead|died)\b")
# ("a bomb exploded at a checkpoint ..., killing two guards": a post's men, with no attacker named)
_POST_BOMBED_KILLING = re.compile(r"\b(?:exploded|detonated|went off|blew up)\s+(?:at|near|beside|next to)\s+(?:an?|the)\s+(?:[\w-]+\s+)?(?:checkpoints?|patrols?)\b"
                                  r"[^.;]*?,\s+killing\s+(?:\w+\s+){1,2}?" + _POST_MEN + r"\b(?!\s+(?:of|from)\b)")
_POST_ATTACKED_KILLING = re.compile(r"\b" + _POST_ATTACKED + r"[^.;]*?,\s+killing\s+(?:\w+\s+){1,2}?" + _POST_MEN + r"\b(?!\s+(?:of|from)\b)")  # ("militants attacked a checkpoint ..., killing two fighters")
_KILLED_WHEN_POST_ATTACKED = re.compile(r"(?:^|[:;,.(]\s*|\b(?:and|but|while)\s+)[\w-]+\s+" + _POST_MEN + r"\s+(?:were\s+|was\s+)?(?:killed|died)\s+when\s+"
                                        r"(?:[\w-]+\s+){0,4}?" + _POST_ATTACKED)  # (a count and a bare noun: no side named)


def _handovers(out: list[tuple[Observation, bool]], blocs) -> list[tuple[Observation, bool]]:
    """"The SDF withdrew from Ras al-Ain and Turkish-backed fighters entered the town": one
    party leaves a town and another, of another side, enters it: the town changed hands."""
    left = [o for o, _ in out if o.indicator == "troop_movement" and o.change == "departure" and not o.negated]
    came = [(o, e) for o, e in out if o.indicator == "troop_movement" and o.change == "arrival" and not o.negated]
    have = {(o.place_id, o.actor) for o, _ in out if o.indicator == "control_change"}
    added = []
    for arrival, explicit in came:
        loser = next((d for d in left if d.place_id == arrival.place_id and d.actor not in (arrival.actor, "unknown")
                      and not any(d.actor in b and arrival.actor in b for b in blocs)), None)
        # (not Russian military police deployed as the deal's guarantors: they take no town)
        surrendered = loser is None and arrival.place_precision == "town" and arrival.actor != "russia" and (
            _SURRENDER.search(arrival.sentence) or _UNOPPOSED.search(
                arrival.sentence, arrival.trigger_end - arrival.span_start, arrival.trigger_end - arrival.span_start + 60))
        if (loser is None and not surrendered) or arrival.actor == "unknown" or (arrival.place_id, arrival.actor) in have:
            continue
        at = arrival.trigger_end - arrival.span_start
        if _INTO_TOWN_PART_AFTER.match(arrival.sentence, at):
            continue  # "entered the Qadisiya quarter ..., adding that Daesh pulled back toward the centre": a part of the town, not the town
        if _AT_THE_SCENE_AFTER.match(arrival.sentence, at):
            continue  # "Russian military police arrived at the scene, and the American vehicles later withdrew": a stand-off, no town taken
        # ("troops entered Nawa on Wednesday, a day after rebels there agreed to a surrender deal")
        added.append((replace(arrival, indicator="control_change", change="captured", counterpart=loser.actor if loser else None,
                              origin_place_id=None, origin_name=None, destination_place_id=None, destination_name=None,
                              quantity_low=None, quantity_high=None, unit=None), explicit))
        have.add((arrival.place_id, arrival.actor))
    out = out + added
    # "Federal police drove IS out of Hammam al-Alil, the ministry said, and raised the Iraqi
    # flag": the party driven out of a town in the sentence did not also take it there
    # (at the same time: "retook Palmyra from IS, ten months after the jihadists seized it" stays)
    losers = [(o.place_id, o.counterpart, o.date_start, o.date_end) for o, _ in out if o.indicator == "control_change"
              and o.change == "captured" and o.counterpart and not o.negated]
    return [(o, e) for o, e in out if not (o.indicator == "control_change" and o.change == "captured" and not o.negated and any(
        (o.place_id, o.actor) == (p, a) and o.date_start == d0 and o.date_end == d1 for p, a, d0, d1 in losers))]


def frame_change(trig: Trigger, frame) -> str:
    return frame[7] if len(frame) > 7 else trig.change


_OPPOSITE_CHANGES = frozenset(frozenset(p) for p in (("started", "stopped"), ("established", "removed"), ("increase", "decrease")))


_PASSIVE_AUX_BEFORE = re.compile(r"\b(?:were|was|had been|have been|has been)\s+(?=overrun|overran|seized|captured|taken|stormed)")
_POSTS_SUBJECT_BEFORE = re.compile(r"^\s*(?:(?:the|at least|some|about|around|more than|nearly|several|dozens of|[\d,]+|two|three|four|five|six|seven|eight|nine|ten|"
                                   r"army|regime|government|rebel|military|security|police|[a-z]+-held)\s+)*(?:checkpoints?|posts?|outposts?)\b"
                                   r"(?:\s+(?:on|at|in|near|along|around|of)\b[^.;]{0,60})?\s*$")  # (not "Mosul and two army bases were seized", "the Tabqa air base was captured")


def _dedupe_matches(matches):
    """One trigger per stretch of text per indicator and change; the longest wins."""
    matches.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    out = []
    for mt in matches:
        if any(o[2].indicator == mt[2].indicator and o[2].change == mt[2].change and mt[0] < o[1] and o[0] < mt[1] for o in out):
            continue
        out.append(mt)
    # "abandoned Ramadi to the jihadists" is a change of hands, not also a departure; "clashes
    # left 14 dead" is a toll.
    # Nor are "checkpoints ... have been abandoned" a departure: the checkpoints were removed.
    # ("buses took rebel fighters out of Harasta": a departure, not a taking of the town)
    carried = [mt for mt in out if mt[2].indicator == "troop_movement" and mt[3].group(0).lower().endswith(" out of")
               and mt[3].group(0).lower().startswith(("took ", "carried ", "ferried ", "transported "))]
    if carried:
        out = [mt for mt in out if not (mt[2].indicator == "control_change" and any(c[0] == mt[0] and mt[1] < c[1] for c in carried))]
    out = [mt for mt in out if not (mt[2].indicator == "troop_movement" and any(
        (o[2].indicator in ("control_change", "killing") or (o[2].indicator == "checkpoint" and o[2].change == "removed")
         or (o[2].indicator == "patrol" and o[2].change == "started" and o[3].group(0).lower().startswith("patrols ")))  # ("army patrols have been deployed": patrols, no troops arriving)
        and o[0] <= mt[0] < o[1] for o in out))]
    # A bare killing verb inside a longer killing trigger ("unknown gunmen targeted") is one trigger.
    # But a trend inside a state ("there are now fewer regime checkpoints") is the trend.
    final = []
    for mt in out:
        inside = [o for o in out if o is not mt and o[2].indicator == mt[2].indicator]
        if any(o[0] <= mt[0] and mt[1] <= o[1] and (o[1] - o[0]) > (mt[1] - mt[0])
               and not (o[2].change == "present" and mt[2].change != "present")
               and frozenset((o[2].change, mt[2].change)) not in _OPPOSITE_CHANGES for o in inside):
            continue  # (but "patrols have also resumed; they had been suspended": a start and a stop)
        if mt[2].change == "present" and any(o[0] < mt[1] and mt[0] < o[1] and o[2].change != "present" for o in inside):
            continue  # (or overlapping it: "began patrolling the town" is a start, not also a state)
        final.append(mt)
    return final


_NOUN_ENDING = re.compile(r"(?:ions?|strikes?|raids?|massacre|toll|bodies of|deaths? of|ings)$")
_NOMINAL_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|this|that|these|his|her|their|its|of)\s+(?:\w+\s+)?$")
_OF_AFTER = re.compile(r"\s+of\b")
_BACKGROUND_CLAUSE_SPLIT = re.compile(r"[,;:()\[\]“”\"]")
_CLAUSE_SPLIT = re.compile(r"[,;:.]")
_PARENTHESES = re.compile(r"\([^()]*\)")
_NEGATION_CLAUSE_SPLIT = re.compile(r"[,;:]|(?<!\b[a-z])\.|\bbut\b|\bwhile\b")  # (the periods of "u.s." end no clause)
# A denial governs the clause after it ("A spokesman denied that IS fighters had left").
_DENIAL_BEFORE = re.compile(r"\b(?:denied|denies|deny|denying|dismissed (?:claims|reports)|rejected (?:claims|reports)|refuted|no truth (?:to|in)|(?:wrongly|falsely|erroneously|incorrectly|mistakenly) (?:reported|said|stated|claimed|announced)|(?:not true|untrue) that)\b(?:\s+\S+){0,9}\s*$"
                            # "denied the allegations of the media of the organization that the army had withdrawn"
                            # ("denied on Wednesday reports circulating on social media that its fighters had begun withdrawing")
                            r"|\b(?:denied|denies|deny|denying|dismissed|rejected)\s+(?:(?:on|late on|early on)\s+\w+\s+|yesterday\s+|today\s+)?(?:the\s+)?(?:allegations?|claims?|reports?|rumou?rs?|accusations?)\b[^.;]{0,80}?\bthat\s+(?:\S+\s+){0,6}$"
                            # "denies categorically what has been circulated by suspicious pages that the gangs seized"
                            r"|\b(?:denied|denies|deny|denying)\s+(?:(?:categorically|strongly|flatly|firmly|completely|totally)\s+)?(?:what|the\s+(?:news|information|stories|reports|rumou?rs))\b(?:(?!\b(?:said|saying|adding|but|however|while)\b)[^.;]){0,100}?\b(?:that|about)\s+(?:the\s+)?(?:\S+\s+){0,6}$"
                            r"|\bnone of\b(?:\s+\S+){0,5}\s*$"  # "none of its personnel had been killed"
                            r"|\b(?:nobody|no one|not one|not a single (?:[\w-]+\s+){0,2}?(?:soldier|fighter|member|unit|militant|trooper))\s+(?:(?:from|of)\s+(?:\S+\s+){1,4})?(?:has|had|have|was|were|is|are)\s+(?:(?:yet|ever|so far|been)\s+)*$"  # "Nobody from the army has entered"
                            r"|\bno (?:sign|trace|evidence) of\b(?:\s+\S+){0,5}\s*$|\bnor\b(?:\s+\S+){0,5}\s*$")


_AFTER_EVENT_BEFORE = re.compile(r"\b(?:after|following)\s+(?:[\w.-]+\s+){0,4}$")  # (a clause of its own: "after Moscow launched ...", not "after the strikes")
_VERB_IN_TRIGGER = re.compile(r"\b(?:carried out|carry out|carrying out|carries out|conducted|conducting|launched|launching|staged|flew|flown|flying)\b")


def _is_nominal(lower: str, start: int, end: int) -> bool:
    """A noun trigger ("the killings", "coalition airstrikes"), not a verb or participle
    ("..., killing 26 people")."""
    t = lower[start:end]
    if _NOUN_ENDING.search(t):
        return True
    if t.endswith("ing"):
        return bool(_NOMINAL_DETERMINER_BEFORE.search(lower[max(0, start - 25):start]) or _OF_AFTER.match(lower[end:end + 5]))
    return False


def _is_background(before: str, words) -> bool:
    clause = _BACKGROUND_CLAUSE_SPLIT.split(before)[-1]
    last = clause.split()[-15:]
    text = " ".join(last)
    return bool(_words_re(words, "background", r"\b(?:@@)\b", escape=True).search(text))


_MODAL_PASSIVE_BY = re.compile(r"\b(?:will|would|could|might|may)\s+(?:\w+\s+)?be\s+[a-z]+(?:ed|en)\s+by\s+(?:[\w-]+\s+){0,5}$")


def _is_plan(before: str, words) -> bool:
    clause = _CLAUSE_SPLIT.split(before)[-1]
    last = " ".join(_MAY_DATE.sub(" ", clause).split()[-5:])  # "may" the month ("May 26", "on 14 May said") is no modal
    if _HEDGED_PAST.search(last):
        return False  # "may have withdrawn": a hedged past, not a plan
    if " will " in clause and _WILL_ONCE.search(clause):
        return True  # ("The army will deploy inside Harasta once the last bus has left": to come)
    if "whether" in clause and _words_re(words, "untold", r"\b(?:@@)\b").search(clause):
        return True  # ("He did not say whether anyone was killed")
    return bool(_words_re(words, "modals", r"\b(?:@@)\b").search(last))


_ALLOWING_TO_BEFORE = re.compile(r"\b(?:allowing|permitting|enabling)\s+(?:the\s+|its\s+|their\s+|some\s+|all\s+)?(?:[\w-]+\s+){1,3}?to\s+$")
_ATTEMPT_BEFORE = re.compile(r"\b(?:tried|attempted|trying|attempting|attempts?)\s+to\s+$")
_WILL_ONCE = re.compile(r"\bwill\s+(?:[\w-]+\s+){1,8}?(?:once|as soon as|after|when|until|before)\s+(?:[\w-]+\s+){0,6}$")
_DETERMINER_JUST_BEFORE = re.compile(r"\b(?:an?|the|its|their|one|two|three|several|many|some)\s+(?:(?:long|recently|newly|hastily|partly|now)[\w-]*\s+)?$")
_FORECAST_AFTER = re.compile(r"(?:(?!\b(?:said|says|which|that|who|but|and (?:more|others|further|additional|they|it|he|she|we))\b)[^.;:,]){0,80}?\b(?:are|is|remain|remains)\s+(?:(?:also|still|highly|very|more|most)\s+)?(?:likely|expected|possible|probable|anticipated|forecast)\b"
                             r"(?!\s+to\s+(?:have|rise|increase|climb|grow|mount))")  # ("the death toll is expected to rise": the deaths happened)
_PERSON_ACCUSED_OF = re.compile(r"\b([\w-]+)\s+(?:(?:who|whom)\s+(?:[\w-]+\s+){0,2}?)?(?:(?:were|was|are|is|they|it|he)\s+)?accused\s+of\b")
_SINCE_OR_YEARS = re.compile(r"since\b|in\b|\d{4}\b|(?:years|months|decades)\b")
_BASELINE_BEFORE = re.compile(r"\b(?:(?<!moved )(?<!brought )(?<!sent )(?<!rushed )(?<!came )(?<!coming )(?<!moving )(?<!bringing )(?:down|up)\s+from|compared\s+(?:with|to)|as against)\s+(?:[\w’'-]+\s+){0,6}$"
                              r"|\b(?:as (?:many|much|often) as|than)\s+(?:(?:it|they) (?:was|were|did)\s+)?(?:(?:in|during|at|before)\s+)?$"  # "twice as many as in the autumn"
                              r"|\b(?:as|than)\s+(?:it|they|we|there)\s+(?:did|was|were|had|used to)\s+(?:(?:in|during|at|before)\s+)?$"  # "twice as many patrols at night as they did last year"
                              r"|\bfor the (?:first|last) time\s+(?:in\s+)?$")  # "launched patrols last week for the first time since 2017"
# "112 strikes during the week, its highest weekly total since mid-August": since when it compares
# (not "the deadliest attack since September, when a roadside bomb killed four": that one's day)
_SUPERLATIVE_SINCE_BEFORE = re.compile(r"\b(?:highest|lowest|largest|biggest|heaviest|deadliest|worst|busiest|fewest|most)\s+(?:[\w-]+\s+){0,3}?(?:(?:it|they|we)\s+(?:had|has|have)\s+(?:ever\s+)?(?:recorded|seen|counted)\s+)?$")
_JOINT_WITH = re.compile(r"\s+with\s+(?:the\s+)?")
_CLAIM_NOUN = re.compile(r"\b(?:claims?|claimed|rumou?rs?|rumou?red|allegations?|allegedly)\b")
_PERFECT_OR_PRESENT_BEFORE = re.compile(r"\b(?:have|has|are|is|remain|remains|continue|continues|now|since)\s+(?:(?:been|also|reportedly|now|since|still|being)\s+)*$|\b(?:were|was)\s+being\s+$")  # ("were being redeployed": going on as told)
BACKGROUND_DAYS = 60  # a report's sentence all dated longer before it than this tells background
AIR_STRIKER_IN_VIEW = 4  # sentences after an air force is named striking that its strikes with no party of their own are its
STRIKE_IN_VIEW = 2  # sentences between a strike told and the sentence whose "the strike" or dead are it (at most)
TITLE_MONTH_DAYS = 40  # a title's month that ended at most this long before the report is the period its tallies cover
STORY_DAYS = 7  # a lead's day within a week of the report dates the story's undated events
_STORY_DATED = frozenset(("killing", "troop_movement", "airstrike", "control_change"))  # events, not standing presence (an attack on a checkpoint or patrol is an event too)
_WERE_BEFORE = re.compile(r"\b(?:were|was|are|is)\s+(?:(?:reportedly|still|now|also)\s+)*$")
_NO_LONGER = re.compile(r"\bno longer\b|\bnot\s+(?:[\w-]+\s+){0,4}?any\s?more\b")
_VICTIM_OF_VERB_BEFORE = re.compile(r"\b(?:killed|killing|kill|shot dead|gunned down|assassinated|executed|beheaded|murdered|kidnapped|abducted)\s+(?:an?|the|two|three|four|\d+)?\s*"
                                    r"(?:(?:senior|top|local|prominent|high-ranking|leading|former|military|security)\s+){0,2}$")  # ("shot dead an HTS security official": the victim, not a source)
_DEMAND_THAT = re.compile(r"\b(?:demand(?:s|ed|ing)?|insist(?:s|ed|ing)?|call(?:s|ed|ing)? on|urg(?:es|ed|ing)|order(?:s|ed|ing)?)\s+(?:[\w-]+\s+){0,3}?that\b(?:(?!,\s*(?:which|who|where)\b)[^.;])*$")  # (not into ", which the SDF captured")
_TOLD_AS_FACT_AFTER_THAT = re.compile(r"\bthat\s+(?:(?!(?:that|who|which)\b)[\w’'-]+\s+){0,6}?(?:had|has|have|was|were|did)\b(?!\s+to\b)")  # (not "is": "that IS fighters leave")
_MAY_DATE = re.compile(r"\bmay\s+\d|\d\s+may\b|\b(?:in|since|during|until|till|by|early|late|mid|of|last|this|next|through|throughout|from)[\s-]+may\b(?!\s+(?:be|have|not|also|well|still|never|soon|again|want|need|try|seek|face|lose|take|lead|become|move|launch|attack|withdraw|leave|return|come|go)\b)", re.IGNORECASE)  # (and "In May the PMF moved ...")
_NOT_DENIED = re.compile(r"\b(?:not|n't|never)\s+(?:\w+\s+)?(?:deny|denied|denying|dispute|disputed|rule out|ruled out)\b")
_NO_BEFORE = re.compile(r"\bno\s+(?:(?!(?:were|was|is|are|been|had|has|have|in|on|at|its|their|his|the|a|than|fewer|less|more|of|by|to|from|with|killed|dead|one)\b)[\w-]+\s+(?:or\s+|and\s+)?){1,4}$")  # ("no Russian or government air strikes"; not "no civilians were killed in its strike")
_NONE_WERE_BEFORE = re.compile(r"\bno\s+(?:(?!(?:more|fewer|less|than|longer|sooner|doubt|matter|one\s+knows)\b)[\w.-]+\s+){1,3}(?:of\s+(?:the\s+)?(?:(?!(?:who|that|which)\b)[\w’'.-]+\s+){1,5}?)?(?:were|was|have been|has been|had been|have|has|had)(?:\s+(?:yet|so far|ever))?\s+$")  # (and "no Syrian government troops have entered", "no U.S. ground troops had been sent", "no units of the Shi'ite PMF had passed through"; not "no news of the soldiers who had been killed")
_NOT_LESS_THAN = re.compile(r"\b(?:no|not) (?:fewer|less) than\b")
_HEDGED_PAST = re.compile(r"\b(?:may|might|could)\s+(?:well\s+)?(?:have|had)(?:\s+\w+)?\s*$")
# "Claims that Hezbollah withdrew from Qusayr are false": a claim the sentence denies.
_CLAIM_BEFORE = re.compile(r"\b(?:claims?|reports?|rumou?rs?|allegations?|lies|news|stories|story)\s+(?:(?:spread|circulated|circulating|published|posted|shared|made|promoted|on|in)\s+(?:by\s+)?[^.;]{0,60}?,?\s*)?(?:that|of|about)\b"
                           r"|\b(?:videos?|footage|clips?|photos?|pics|pictures|images|posts?|reports?|pages?|claims?|rumou?rs?)\s+(?:[\w-]+\s+){0,3}?"
                           r"(?:claiming|alleging|purporting to show|(?:going round|circulating|doing the rounds|shared)\s+of)(?:\s+that)?\b")  # ("the rumours spread by some media about")
_DENIED_AFTER = re.compile(r"(?:(?!,\s*(?:who|which)\s+(?:said|says|told|added|insisted|noted|stated)\b|,\s*(?:but|and|although)\b|\s(?:but|although|whereas)\s)[^.;]){0,100}?\b(?:is|are|was|were|proved|proven|prove|turned out to be|have proved|has proved)\s+(?:completely\s+|entirely\s+|totally\s+|to be\s+)?(?:false|untrue|not true|incorrect|not correct|baseless|fabricated|unfounded|lies|wrong|fake|doctored|old footage"
                           r"|from (?:last|an earlier|a previous|an older) \w+|from (?:january|february|march|april|may|june|july|august|september|october|november|december|(?:19|20)\d\d))\b")


_NOT_SEEN = re.compile(r"\bnot been (?:seen|spotted|sighted)\b")


_UNCLEAR_WHO = re.compile(r"\b(?:(?:not|never)\s+(?:yet\s+|immediately\s+|entirely\s+)?(?:clear|known|established)|unclear|unknown)\s+(?:which|who|whose|what)\b")


def _is_negated(lower: str, start: int, end: int, words) -> bool:
    before = lower[max(0, start - 130):start]
    if ")" in before:
        before = _PARENTHESES.sub(" ", before)  # ("Jets (coalition or Iraqi, can't tell which) pounded": the aside's doubt)
    before = _NEGATION_CLAUSE_SPLIT.split(before)[-1]
    if _NOT_DENIED.search(before):
        return False  # "did not deny that airstrikes had been carried out": a double negative
    if _UNCLEAR_WHO.search(before):
        return False  # "It is not clear which air force carried out the strike": who did it is in doubt, not that it happened
    span = lower[start:end]
    if ")" in span:
        span = _PARENTHESES.sub(" ", span)
        span = span[span.rfind(")") + 1:]  # (a ")" left closes an aside the trigger began in)
    window = _NOT_LESS_THAN.sub(" ", " ".join(before.split()[-3:]) + " " + span)  # "no fewer than 11": a count
    if _NOT_SEEN.search(span):
        window = _NOT_SEEN.sub(" ", window)  # the trigger "patrols have not been seen since Monday": they stopped
    if _words_re(words, "negations", r"(?:\b(?:@@)\b|n't\b)", escape=True).search(window):
        return True
    if _NO_BEFORE.search(before) or ("no " in before and _NONE_WERE_BEFORE.search(before)):
        return True  # "no Russian or government air strikes have hit Saraqib", "no Iraqi soldiers were killed"
    if _DENIAL_BEFORE.search(before):
        return True
    return bool(_CLAIM_BEFORE.search(before) and _DENIED_AFTER.match(lower, end))


_ATTRIBUTION_WORDS = re.compile(r"according to|said|says|told|reported|added|confirmed|quoted by")


def _attribution(s: str, words) -> tuple[str | None, tuple[int, int]]:
    """Who the sentence says it comes from, and the span of that phrase (places inside it are
    where the source is, not where the event is)."""
    if not _ATTRIBUTION_WORDS.search(s):
        return None, (-1, -1)  # most sentences cite no one: skip the six patterns below
    m = _ACCORDING_TO.search(s)
    if m:
        return m.group("src").strip(), (m.start(), m.end())
    m = _SOURCE_AT_END.search(s)
    if m and not _NOT_A_SOURCE.match(m.group("src")):
        return m.group("src").strip(), (m.start(), m.end())
    m = _SOURCE_SAID_AT_END.search(s)
    if m:
        return m.group("src").strip(), (m.start("src"), m.end())
    m = _A_SOURCE_SAID.search(s)
    if m:
        return m.group("src").strip(), (m.start("src"), m.end())
    m = _QUOTED_BY.search(s)
    if m:
        return m.group("src"), (m.start(), m.end())
    m = _NAME_SAID.search(s)
    if m and m.start() > len(s) * 0.4:
        return m.group("src").strip(), (m.start(), m.end())
    return None, (-1, -1)


# The six ways a sentence names its source, tried in this order.
_ACCORDING_TO = re.compile(r"\baccording to (?P<src>[^,.;“”\"]{3,80})")
_SOURCE_AT_END = re.compile(r",\s*(?:reported|said|according to|told)\s+(?P<src>[^,.;“”\"]{3,90})[.”\"]?\s*$")
_NOT_A_SOURCE = re.compile(r"(?:that|on|in|it|they|he|she)\b")
_SOURCE_SAID_AT_END = re.compile(r"[,”\"]\s*(?P<src>[^,.;“”\"]{2,60}?)\s+(?:said|says|told \w+|reported|added)\s*[.”\"]*\s*$")
_A_SOURCE_SAID = re.compile(r"(?:[,”\"]\s*|^)(?P<src>(?:an?|the|one)\s[^,.;“”\"]{2,80}?)\s+(?:said|says|told|reported|confirmed|added)\b")
_QUOTED_BY = re.compile(r"quoted by (?P<src>[A-Z][\w-]+(?: [A-Z][\w-]+){0,3})")
_NAME_SAID = re.compile(r"(?P<src>[A-Z][^,.;“”\"]{2,60}?)\s+(?:said|told|reported)\b")


_IN_COUNTRY_AFTER = re.compile(r",?\s+in\s+(?:the\s+)?(?:(?:north|south|east|west|central)[\w-]*\s+)?", re.IGNORECASE)


def _place_role(p: PlaceMention, s: str, words, attr_span, ctx: _Context) -> PlaceMention:
    if attr_span[0] <= p.start < attr_span[1]:
        return replace(p, role="source")
    if p.place.kind == "country" and _COUNTRY_OWNS_AFTER.match(s, p.end):
        return replace(p, role="context")  # "a militia loyal to Iran's Revolutionary Guards": whose force, not where
    if p.place.kind == "admin1" and _PLACES_OF_AFTER.match(s, p.end):
        return replace(p, role="context")  # "retook the Diyala towns of Jalawla and Saadiyah": the towns', no province-wide event
    if p.place.kind in ("town", "landmark") and (p.text.endswith(("'s", "’s")) or s.startswith(("'s ", "’s "), p.end)) \
            and _words_re(words, "place_as_government_nouns", r"(?:['’]s)?\s+(?:[\w-]+\s+)?(?:@@)\b").match(s, p.end):
        return replace(p, role="context")  # "in Baghdad's response to the referendum": the government, not where
    before = s[max(0, p.start - 45):p.start].lower()
    if _SPEAKING_IN_BEFORE.search(before):
        return replace(p, role="source")  # "the commander told reporters in Baquba": where he spoke
    if _names_government(s, p, words):
        # ("The Iraqi militia, which answers to Tehran as much as to Baghdad", "By 22 December
        # 2016, Damascus controlled the entire city": the government, not where)
        return replace(p, role="context")
    if _words_re(words, "source_nouns", r"\b(?:@@)\b(?:\s+[\w-]+){0,2}\s+(?:in|from|of|residing in|based in|living in)\s+(?:the\s+)?(?:city of\s+|town of\s+)?$").search(before) \
            and _ATTRIBUTION_WORDS.search(s, p.end):  # "an official in Raqqa said"; not "assassinated an official in Diban"
        if ctx.focus is not None and ctx.focus.place_id == p.place.place_id:
            return p  # the report's own town: the source is there and so is the news
        return replace(p, role="source")
    if (title := _OFFICIAL_TITLE_AFTER.match(s, p.end)) and _SAID_RIGHT_AFTER.match(s, title.end()):
        return replace(p, role="source")  # ("The Homs governor said troops had found the bodies ... on the town": who speaks)
    if _OFFICER_IN_BEFORE.search(before) and _SAID_RIGHT_AFTER.match(s, p.end):
        # "a police officer in Tikrit said": where he speaks (but "an army officer was killed in
        # Tikrit ..., police said": an officer is as often the victim, so only right before the verb)
        return replace(p, role="source")
    return p


def _names_government(s: str, p: PlaceMention, words: dict) -> bool:
    """A capital named for its government ("answers to Baghdad", "Damascus controlled ...")."""
    if p.place.kind != "town":
        return False
    if p.place.name == p.place.admin1 and p.place.name in _word_set_cased(words, "capital_cities") and (
            _GOVERNMENT_VERB_AFTER.match(s, p.end) or (not s[:p.start].strip(" \"“‘'") and _GOVERNMENTS_AND_AFTER.match(s, p.end))):
        return True  # ("Damascus and Moscow said ...", at a sentence's start)
    return _ANSWERS_TO_BEFORE.search(s[max(0, p.start - 45):p.start].lower()) is not None
_GOVERNMENT_VERB_AFTER = re.compile(r"\s+(?:now\s+|also\s+|has\s+|had\s+|have\s+)?(?:controlled|controls|says|said|announced|accused|accuses|denied|denies|insisted|insists|agreed|agrees|wants|demanded|claimed|claims|warned|warns|responded|condemned|rejected|promised|promises|hopes|hoped|blamed|blames)\b")
_GOVERNMENTS_AND_AFTER = re.compile(r"\s+(?:and|or)\s+[A-Z][a-z]+\s+(?:now\s+|also\s+)?(?:said|says|denied|denies|insisted|accused|blamed|claimed|rejected)\b")
_ANSWERS_TO_BEFORE = re.compile(r"\b(?:answers|answer|answerable|accountable|reports|report|beholden|loyal|subordinate)\s+(?:only\s+|directly\s+)?to\s+(?:[\w-]+\s+(?:as\s+much\s+as|and|or|rather\s+than|more\s+than)\s+(?:to\s+)?)?$")
_OFFICIAL_TITLE_AFTER = re.compile(r"(?:['’]s)?\s+(?:provincial\s+|deputy\s+)?(?:governor|mayor|police\s+chief|health\s+director)\b", re.IGNORECASE)
_PLACES_OF_AFTER = re.compile(r"\s+(?:towns|villages|cities)\s+of\b")
_OFFICER_IN_BEFORE = re.compile(r"\b(?:an?|the)\s+(?:(?:police|army|military|security|intelligence|senior)\s+)?officers?\s+(?:in|from|based in)\s+(?:the\s+)?$")
_SAID_RIGHT_AFTER = re.compile(r"\s*(?:,[^.;]{1,120}?,\s*|\s+who\s+[^,.;]{1,60}?\s+)?(?:said|says|told)\b")  # (", speaking on condition of anonymity because ..., said", "who asked not to be named said")


_COUNTRY_OWNS_AFTER = re.compile(r"(?:['’]s)?\s+(?:[A-Z][\w-]*\s+){0,2}(?:Revolutionary|Guards?|army|military|forces|troops|air force|navy|militias?|proxies|allies|intelligence|defen[cs]e ministry|foreign ministry|government|president|leader)\b")
_SPEAKING_IN_BEFORE = re.compile(r"\b(?:told|telling|briefed|addressing|addressed)\s+(?:reporters|journalists|the press|a news conference|a press conference|a press briefing)\s+(?:in|at)\s+(?:the\s+)?(?:city of\s+)?$"
                                 r"|\b(?:at|during)\s+a\s+(?:news|press)\s+conference\s+(?:in|at)\s+(?:the\s+)?$")
_BOTH_TOWNS = re.compile(r"\bboth (?:villages|towns|cities)\b|\b(?<=at |in )both(?:\s+(?:places|locations|sites|points|crossings))?(?=\s*(?:[.;,]|$))", re.IGNORECASE)  # (or "... at Al-Shuhail and Dhiban and set up checkpoints at both.")
_CAMP_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,2}?camp\b", re.IGNORECASE)  # "Yarmouk Palestinian refugee camp", "al-Hol camp"


_BORDER_WORDS = re.compile(r"\b(?:border|frontier|side)\b")


def _country_borders(s: str, places: list[PlaceMention], gaz: Gazetteer, words) -> list[PlaceMention]:
    """"toward the Syrian border": Syria, as a place a movement can head for."""
    if not _BORDER_WORDS.search(s):
        return places
    out = list(places)
    for pair in words["country_adjectives"]:
        adjective, country = pair.split(":")
        for m in re.finditer(rf"\bthe {adjective} (?:border|frontier|side)\b", s):
            place, _ = gaz.lookup(country)
            if place is not None and not any(p.start <= m.start() < p.end for p in places):
                out.append(PlaceMention(m.start(), m.end(), place, m.group(0), False, "event"))
    return sorted(out, key=lambda p: p.start)


_PROVINCE_ANAPHOR = re.compile(r"\b(?:across|throughout|anywhere in|all over|elsewhere in|in|around) the "
                                r"(?:(?:(?:north|south)?(?:east|west)ern|northern|southern|central|restive|embattled|war-torn|rebel-held|opposition-held)\s+)?"
                                r"(?P<noun>province|governorate)\b(?! of)")


def _landmarks_placed_by_town(s: str, places: list[PlaceMention], gaz: Gazetteer) -> list[PlaceMention]:
    """"the coalition base at the Al-Omar oil field, outside the town of Dhiban": a site that
    belongs to no town of ours is at the town the sentence puts it beside."""
    out = list(places)
    for i, p in enumerate(places):
        if p.place.kind != "landmark" or p.place.place_id in gaz.landmark_towns:
            continue
        beside = next((q for q in places if q.start > p.end and q.place.kind == "town" and _BESIDE_TOWN.fullmatch(s, p.end, q.start)), None)
        if beside is not None:
            out[i] = replace(p, place=beside.place)
    return out


_BESIDE_TOWN = re.compile(r"(?:\s+(?:oil|gas|field|base|airbase|air|camp|dam|airport|plant|facility|complex)){0,2},?\s+(?:just\s+)?(?:outside|near|beside|next to|close to|on the outskirts of)\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?", re.IGNORECASE)

_FUNERALS_IN_BEFORE = re.compile(r"\b(?:funerals?|buried|burial|mourned|mourners)\s+(?:(?:were|was)\s+)?(?:held\s+|took place\s+)?(?:in|at)\s+(?:the\s+)?(?:[\w-]+\s+)?$")
_WAR_COUNTRIES = frozenset(("Syria", "Iraq"))
_PARTY_COUNTRY_AFTER = re.compile(r"\s+(?:(?:has|have|had)\s+(?:also\s+)?)?(?:says|said|claims|claimed|denies|denied|suffered|lost|sent|deployed|launched|accused|blamed|warned|wants|insists|threatened|vowed|announced)\b")
_LOCATED_IN_BEFORE = re.compile(r"\b(?:in|across|throughout|of|near|around|outside|into|from|to|toward|towards)\s+(?:the\s+)?(?:[\w-]+\s+)?$")

def _with_province_anaphor(s: str, lower: str, places: list[PlaceMention], ctx: _Context, gaz: Gazetteer) -> list[PlaceMention]:
    """"across the province", "anywhere in the governorate": the province of the place the
    report is at (when the sentence names no province of its own)."""
    m = _PROVINCE_ANAPHOR.search(lower) if " province" in lower or " governorate" in lower else None
    if m is None or any(p.place.kind == "admin1" and not (p.start > m.end() and not _LOCATED_IN_BEFORE.search(lower, max(0, p.start - 25), p.start))
                        for p in places):
        return places  # (but not "..., and accused Damascus of stoking the unrest": no place, after the anaphor)
    anchor = ctx.event_place or ctx.region or ctx.town
    anchor_place = anchor.place if anchor is not None else ctx.focus
    if ctx.province_told is not None and ctx.province_told[1] is not None and ctx.sentences_read - ctx.province_told[0] <= 1:
        anchor_place = ctx.province_told[1]
    if anchor_place is None:
        return places
    province = anchor_place if anchor_place.kind == "admin1" else gaz.admin1_place(anchor_place)
    if province is None:
        return places
    pm = PlaceMention(m.start("noun"), m.end("noun"), province, s[m.start("noun"):m.end("noun")], False, "event")
    return sorted(places + [pm], key=lambda p: p.start)


_CAME_FROM_BEFORE = re.compile(r"\b(?:arrived|arriving|came|coming|crossed|crossing|rushed|(?:drove|driven|flown|flew|brought|called|moved) in|airlifted|sent|dispatched|deployed"
                               r"|redeployed|transferred|reinforcements)\s+(?:[\w-]+\s+){0,3}?from\s+(?:the\s+)?$", re.IGNORECASE)


def _names_district(s: str, p: PlaceMention) -> bool:
    """"Afrin district", "Sinjar District": the town named with its district."""
    return p.text.lower().endswith(" district") or _DISTRICT_AFTER.match(s[p.end:p.end + 12].lower()) is not None


def _remember_sites(s: str, towns: list[PlaceMention], ctx: _Context) -> None:
    """The town or site last named a camp ("the Yarmouk camp"), for "the camp" after it; and
    the one last named with a base or a post ("the Abu al-Duhur military air base", "an
    observation post at Shir Mughar"), for "the airport", "the base", "the post" after it."""
    camps = [p for p in towns if _CAMP_AFTER.match(s, p.end)] if "amp" in s else None
    if camps:
        ctx.camp = camps[-1]
    districts = [p for p in towns if _names_district(s, p)] if "istrict" in s else None
    if districts:
        ctx.district = (districts[-1], ctx.sentences_read)  # ("Afrin district", for "across the district" in the next sentence)
    if "base" in s or "airport" in s or "post" in s or "am" in s:
        for p in towns:
            kind = _FACILITY_AFTER.match(s, p.end) or _FACILITY_AT_BEFORE.search(s, max(0, p.start - 40), p.start) \
                or _FACILITY_NAME_END.search(p.text)  # (a site named by its kind: "the Haditha Dam")
            if kind is not None:
                noun = kind.group("kind").lower().replace(" ", "")
                ctx.facilities[noun] = ctx.facilities[_FACILITY_KINDS[noun]] = (p, ctx.sentences_read)  # (by its own noun, and by its kind)


FACILITY_IN_VIEW = 6  # sentences a base or post named stays "the base", "the post"
_FACILITY_KINDS = {"airport": "base-kind", "airbase": "base-kind", "base": "base-kind", "post": "post-kind", "outpost": "post-kind", "dam": "dam-kind"}
_FACILITY_KIND = r"(?P<kind>airport|air\s?base|base|post|outpost|dam)"  # the sites "the airport", "the base", "the post", "the dam" refer back to
_FACILITY_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,2}?" + _FACILITY_KIND + r"\b", re.IGNORECASE)
_FACILITY_AT_BEFORE = re.compile(r"\b" + _FACILITY_KIND + r"\s+(?:at|in|near|outside|of)\s+(?:the\s+)?(?:(?:town|village)\s+of\s+)?$", re.IGNORECASE)
_DISTRICT_OFFICE_AFTER = re.compile(r"['’]?\s+(?:police|hospital|council|governor|head|chief|court|office|officials?|mayor|administrator|administration|commissioner|authorities|directorate|health|education)\b", re.IGNORECASE)
_ITS_COUNTRYSIDE = re.compile(r"\b(?:its|the\s+(?:town|city)['’]s)\s+(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+)?(?:countryside|rural\s+areas)\b"
                             r"(?=\s*(?:[,.;:)]|$)|\s+(?:on|in|at|and|with|since|over|during|early|late|this|last|overnight|yesterday|today|throughout)\b)", re.IGNORECASE)  # (not "its countryside cells")
_FACILITY_NAME_END = re.compile(r"\s(?P<kind>airport|air\s?base|dam)$", re.IGNORECASE)
_FACILITY_NOUN = re.compile(r"\b" + _FACILITY_KIND + r"\b", re.IGNORECASE)
_STRIKES_SUBJECT_START = re.compile(r"\W*(?:the|these|those)\s+(?:[\w-]+\s+)?(?:raids|strikes|air\s*strikes|air raids|bombings|barrel bombs)\b", re.IGNORECASE)
_CITY_AFTER = re.compile(r"\s+city\b", re.IGNORECASE)
_CITY_OF_BEFORE = re.compile(r"\bcity\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_FACILITY_ANAPHOR = re.compile(r"\bthe\s+(?:(?:military|observation|turkish|army|besieged)\s+)?" + _FACILITY_KIND + r"\b(?!\s+(?:of|in|at|near)\b)", re.IGNORECASE)  # ("the dam complex": the Haditha Dam named before)


_RESIDENTS_OF_BEFORE = re.compile(r"\b(?:residents|inhabitants|locals|people)\s+(?:of|in|inside)\s+(?:the\s+)?(?:(?:town|city)\s+of\s+)?$", re.IGNORECASE)

def _with_anaphors(s: str, places: list[PlaceMention], ctx: _Context, words: dict) -> list[PlaceMention]:
    """"the city", "the town": the last town named before them, in this sentence or earlier."""
    out = list(places)
    for m in _words_re(words, "place_anaphors", r"\b(?:@@|(?<=left )town|(?<=ed )there(?!\s+(?:is|are|was|were|had|have|has)\b))\b").finditer(lowercase(s)):
        owner = next((p for p in places if p.start <= m.start() < p.end), None)
        if owner is not None and not (owner.place.kind == "country" and (owner.text.endswith(("'s", "’s")) or s.startswith(("'s ", "’s "), owner.end))):
            continue
        if owner is not None:
            out = [p for p in out if p is not owner]  # ("Iraq's second-largest city": the city, not the country)
        if re.match(r"\s+(?:(?:square|centre|center|hall|council|entrance|outskirts|market)\s+)?of\b", s[m.end():m.end() + 20]):
            continue  # "the town of X", "the town square of Tasil": X itself is named
        if any(0 <= p.start - m.end() <= 2 for p in places):
            continue  # "the northeastern city Qamishli": the town named right after
        before = [p for p in places if p.end <= m.start() and p.place.kind in ("town", "landmark")]
        if not m.group(0).endswith("camp"):
            # ("arrived at the Habbaniyah base east of Ramadi ... to retake the city": not the base)
            before = [p for p in before if not _BASE_NAMED_AFTER.match(s, p.end)] or before
        before = [p for p in before if not _is_locator(s, p, places)] or before  # ("from Qayyarah, 60 km south of Mosul")
        if _POSSESSIVE_OUTSKIRTS_AFTER.match(s, m.end()) and (on := re.search(r"\bon\s+$", s[max(0, m.start() - 4):m.start()])):
            # ("Albu Faraj on the city's northern edge": the city is not the village it locates)
            placed = {id(p) for p in _placed_on_outskirts(s, before, max(0, m.start() - 4) + on.start())}
            before = [p for p in before if id(p) not in placed]
        # ("checkpoints on the road linking Talbiseh to the Homs-Hama highway and patrols inside the town": not a road's name)
        off_road = [p for p in before if not (_ROAD_NAME_AFTER.match(s, p.end) or (_ROAD_NAME_BEFORE.search(s, max(0, p.start - 30), p.start)
                                                                                 and _ROAD_WORD_AFTER.match(s, p.end)))]
        before = off_road or before
        # ("arrived in Muqdadiya from Baquba and Baghdad ..., and set up checkpoints around the town": not where they came from)
        before = [p for p in before if not (re.search(r"\bfrom\s+(?:the\s+)?(?:[\w’'-]+\s+and\s+)?$", s[max(0, p.start - 30):p.start])
                                            and "," in s[p.end:m.start()])] or before
        # ("special forces units were flown in from Baghdad to reinforce the city's garrison": the city they came to)
        came_from = [q for p in before if _CAME_FROM_BEFORE.search(s, max(0, p.start - 50), p.start)
                     for q in _chain_from(before, s, p)]  # ("were rushed from Sulaimaniyah and Erbil")
        if came_from:
            before = [p for p in before if p not in came_from]
        if "," in s:  # (", who had been redeployed from the Latakia front, reached ... the city": not Latakia)
            before = [p for p in before if not any(c.start() < p.start < c.end() <= m.start() for c in _WHICH_CLAUSE.finditer(s))]
        spoken_from = [p for p in before if p.role == "source" or _SPEAKER_IN_BEFORE.search(s, max(0, p.start - 40), p.start)]
        before = [p for p in before if p not in spoken_from]
        if not before and ctx.town is not None and any(p.place.place_id == ctx.town.place.place_id for p in spoken_from):
            # "Activists in Saraqib report 15 air strikes on the town", Saraqib being the town in
            # view: where they speak from is the town (not "an official in Baqubah denied that
            # militiamen had entered the town", another town told before)
            before = [p for p in spoken_from if p.place.place_id == ctx.town.place.place_id][-1:]
        elif not before and (locals_ := [p for p in spoken_from if p.place.kind == "town" and _RESIDENTS_OF_BEFORE.search(s, max(0, p.start - 30), p.start)]):
            # "Residents of Raqqa said IS had rushed reinforcements from the city": where they live
            # (not "an official in Baqubah", who only sits there)
            before = locals_[-1:]
        # ("Residents of Tal Rifaat who fled to Azaz say the SDF mans checkpoints at the town's
        # entrances": not where they fled)
        before = [p for p in before if not _FLED_TO_BEFORE.search(s, max(0, p.start - 30), p.start)
                  and not _TOWARD_BEFORE.search(s, max(0, p.start - 60), p.start)]  # ("fled north toward Qamishli and ... parts of the city": not Qamishli)
        # ("an official in Baqubah denied that militiamen had entered the town": where he sits)
        focus = PlaceMention(0, 0, ctx.focus, ctx.focus.name, False, "event") if ctx.focus else None
        if ctx.line_town is not None and ctx.line_town[0] == ctx.line and ctx.line_town[1].start <= 5:
            # "2. Al-Shuhayl — SDF units reached ... The town remains contested": the item's town
            # (also under a dated heading: "1) MAARAT AL-NUMAN - TOLL REVISED. ... the town's market")
            focus = ctx.line_town[1]
        elif ctx.heading_time is not None and ctx.event_place is not None:
            focus = ctx.event_place  # under a dated post of a live blog, "the city" is the post's, not the title's
        elif ctx.under_heading and ctx.event_place is not None:
            focus = ctx.event_place  # in a "Town:" paragraph, "the town" is that town
        elif ctx.line_town is not None and ctx.line_time is not None and ctx.line_town[0] == ctx.line_time[0] == ctx.line:
            focus = ctx.line_town[1]  # "- 13 Nov: The SDF took al-Hol. IS had run the town since 2014."
        # ("AL-HASAKEH - Fighting for control of Ghweiran prison in the south of the city": the
        # dateline's town, when no other is in view, nor named in the sentence: not "BAGHDAD -
        # ... roads leading out of the city ..., a day after the fall of Mosul")
        dateline = ctx.dateline_town if ctx.dateline_town is not None and not any(
            p.place.kind in ("town", "landmark") and p.place.place_id != ctx.dateline_town.place.place_id for p in places) else None
        antecedent = before[-1] if before else (ctx.recent_town or focus or ctx.event_place or ctx.town or dateline)
        if m.group(0) == "there":
            # "there": a place this sentence named before it (a province or country too: "struck IS
            # positions in northern Iraq, and 20 militants were killed there"; not where they came
            # from), else the last event's place when the sentence before told one, else the town
            # last named ("In Ramadi, ... fought for a fourth day. Eight ... had been killed there")
            named = [p for p in places if p.end <= m.start() and p.role == "event" and not _FROM_BEFORE.search(s, max(0, p.start - 8), p.start)]
            told_last = ctx.event_place is not None and ctx.event_place_at == ctx.sentences_read - 1
            antecedent = named[-1] if named else (ctx.event_place if told_last else ctx.town or ctx.event_place)
            if not named and ctx.destination is not None and ctx.destination[0] == ctx.sentences_read - 1 \
                    and re.search(r"\b(?:arrived|arriving|deployed|stationed|reached|got)\s+$", lowercase(s)[max(0, m.start() - 12):m.start()]):
                antecedent = replace(ctx.destination[1], role="event")  # ("Reinforcements left Homs for Palmyra. Troops who arrived there ...")
        if not before and m.group(0) == "the city" and ctx.city is not None and ctx.sentences_read - ctx.city[0] <= 1 \
                and (ctx.recent_town is None or ctx.recent_town_small):
            antecedent = ctx.city[1]  # ("IS sent vehicles from Raqqa city north toward Ain Issa. ... leave through the northern exit of the city")
        elif not before and m.group(0) == "the city" and ctx.recent_town_off_city and antecedent is ctx.recent_town and focus is not None:
            antecedent = focus  # ("In Dibis, 40 km north-west of the city, ... . Police set up checkpoints across the city": the report's city)
        if m.group(0).endswith("camp"):
            # "the camp": the place last named a camp (none: an unnamed camp, somewhere else)
            camps = [p for p in before if _CAMP_AFTER.match(s, p.end)]
            antecedent = camps[-1] if camps else ctx.camp
        elif m.group(0) == "the district":
            # "the district": the district just named ("across the district" after "Afrin
            # district"), its town, else the town named before it in the sentence ("In Manbij,
            # ... across the district"); none, no place ("the district police chief" is a title)
            if _DISTRICT_OFFICE_AFTER.match(s, m.end()):
                continue
            districts = [p for p in before if _names_district(s, p)]
            # (a district named further back only when the report is about it: "Afrin operation:
            # weekly figures", not one named in passing two sentences before)
            named_before = [p for p in before if any(p is q for q in off_road)]  # (no road's name, nor where they came from)
            antecedent = districts[-1] if districts else named_before[-1] if named_before else (
                ctx.district[0] if ctx.district is not None and (ctx.sentences_read - ctx.district[1] <= 1 or (
                    ctx.focus is not None and ctx.focus.place_id == ctx.district[0].place.place_id)) else None)
        if antecedent is None:
            continue
        out.append(PlaceMention(m.start(), m.end(), antecedent.place, s[m.start():m.end()], antecedent.fuzzy, "event"))
    if ctx.facilities and ("base" in s or "airport" in s or "post" in s or "dam" in s):
        # "pulled back west of the airport" after "captured the Abu al-Duhur military air base":
        # that base's town (not when the sentence names a place right after it, or its own base)
        for m in _FACILITY_ANAPHOR.finditer(s):
            noun = m.group("kind").lower().replace(" ", "")
            entry = ctx.facilities.get(noun) or ctx.facilities.get(_FACILITY_KINDS[noun])  # ("the base": the one last named a base, else any)
            if entry is None:
                continue
            held, told_at = entry
            if ctx.sentences_read - told_at > FACILITY_IN_VIEW or any(p.start <= m.start() < p.end or 0 <= p.start - m.end() <= 2 for p in places) \
                    or any(p.end <= m.start() and p.place.kind in ("town", "landmark") and p.place.place_id != held.place.place_id
                           and not _TOWARD_BEFORE.search(s, max(0, p.start - 60), p.start) and not _FROM_BEFORE.search(s, max(0, p.start - 12), p.start)
                           for p in places) \
                    or _FACILITY_NOUN.search(s, 0, m.start()):
                continue  # (only one told in the last few sentences, and not after the sentence named another town or a base of
                # its own: "In Afrin, jets hit positions near the airport", "reached the Hamdan airbase ..., struck positions around the base")
            out.append(PlaceMention(m.start(), m.end(), held.place, s[m.start():m.end()], held.fuzzy, "event"))
    if "countryside" in s and ctx.gaz is not None:
        # "struck Maarat al-Numan and its eastern countryside": the town's countryside, given as
        # its province (as "the countryside of Maarat al-Numan" is)
        for m in _ITS_COUNTRYSIDE.finditer(s):
            town = next((p for p in reversed(out) if p.end <= m.start() and p.place.kind == "town"), None)
            province = ctx.gaz.admin1_place(town.place) if town is not None else None
            if province is not None:
                out = sorted(out + [PlaceMention(m.start(), m.end(), province, m.group(0), False, "event", True)], key=lambda p: p.start)
    _remember_sites(s, [p for p in out if p.place.kind in ("town", "landmark")], ctx)
    called_city = [p for p in places if p.place.kind == "town" and (_CITY_AFTER.match(s, p.end) or p.text.lower().endswith(" city") or _CITY_OF_BEFORE.search(s, max(0, p.start - 12), p.start)
                                                                   or (((p.place.population or 0) >= 50_000 or (p.place.population is None and p.place.source == "curated"))
                                                                       and (m_city := _INSIDE_THE_CITY.search(s, p.end)) is not None and m_city.start() - p.end <= 80
                                                                       and not _FROM_BEFORE.search(s, max(0, p.start - 12), p.start)))]  # (and "the eastern edge of Mosul ..., inside the city limits")
    if called_city:
        ctx.city = (ctx.sentences_read, replace(called_city[-1], role="context"))
    both = _BOTH_TOWNS.search(s) if "oth" in s else None
    if both and not any(p.start >= both.start() for p in places):
        # "pulled out toward the villages of Rankous and Flita. Warplanes bombed both villages": the two named last
        towns = [p for p in places if p.end <= both.start() and p.place.kind in ("town", "landmark")][-2:] or ctx.town_pair
        if len(towns) == 2 and towns[0].place != towns[1].place:
            out += [PlaceMention(both.start(), both.end(), t.place, s[both.start():both.end()], t.fuzzy, "event") for t in towns]
    towns = [p for p in places if p.place.kind in ("town", "landmark") and p.role == "event"]
    ctx.town_pair = towns[-2:] if len(towns) > 1 else ctx.town_pair
    return sorted(out, key=lambda p: p.start)


_BLACK_FLAGS_AFTER = re.compile(r"(?:\s+[\w-]+){0,4}?\s+(?:flying|waving|carrying|bearing|raising)\s+(?:the\s+)?black\s+(?:flags?|banners?)\b(?!\s+of\b)")
_MINISTRY_AFTER = re.compile(r"\s+(?:defen[cs]e\s+|interior\s+)?ministry\b")
_TARGETED_SITE_BEFORE = re.compile(r"\b(?:near|outside|at|targeting|targeted|hit|struck|attacked|on|into|in front of)\s+(?:the\s+)?(?:[\w-]+\s+)?$")
_SPYING_FOR_BEFORE = re.compile(r"\b(?:spying|spied|spy|informing|informers?|collaborating|collaborated|collaboration)\s+(?:for|with|to)\s+(?:the\s+)?[\"“]?(?:[\w-]+\s+)?$")
_COMMUNITY_AFTER = re.compile(r"\s+(?:villages?|towns?|areas?|neighbou?rhoods?|districts?|cities|city|communities|residents|civilians|families|population|protesters|demonstrators|media|outlets?|websites?|newspapers?|channels?|activists)\b")
_FIRED_FROM_BEFORE = re.compile(r"\b(?:fired|launched|shot|came|coming|shelling)\s+from\s+(?:the\s+)?(?:[\w-]+\s+)?pro-$")
_FROM_PHRASE_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3}$")
_AND_VERB_BETWEEN = re.compile(r"\band\s+(?:then\s+|later\s+|also\s+)?$|\band\s+(?:then\s+|later\s+)?[a-z]+ed\b")
_BASE_NAMED_AFTER = re.compile(r"\s+(?:air\s*base|airbase|base|airfield|airport|camp|dam|oil\s+field|gas\s+field)\b", re.IGNORECASE)
_FLED_TO_BEFORE = re.compile(r"\b(?:fled|escaped|were displaced|displaced|moved|now living|now live|living|sheltering|took refuge)\s+(?:to|in|into)\s+(?:the\s+)?(?:(?:town|city|village|camp)\s+of\s+)?$")
_DENIES_THIS = re.compile(r"\b(?:denied|denies|deny|rejected|rejects|dismissed|dismisses|refuted|refutes)\s+(?:this|that|these|it|the\s+(?:report|reports|claim|claims|rumou?rs?|allegations?))\b(?!\s+(?:\w+\s+){0,3}(?:had|has|have|was|were)\b)"
                          r"|^\W*(?:this|that|it|the\s+(?:report|claim)\s+)\s*is\s+(?:false|untrue|not\s+true|fake|baseless|fabricated)\b|^\W*(?:this|that|it|the\s+(?:report|post)\s+)\s*(?:was|proved|turned out to be)\s+(?:completely\s+|entirely\s+)?(?:false|untrue|wrong|incorrect|inaccurate|mistaken)\b(?!\s+about\b)(?![^.]*\b(?:claimed|claims|but)\b)", re.IGNORECASE)  # (a retraction; not "That was wrong, the ministry claimed")  # ("... claiming the army has entered al-Balad. This is false: ...")
_CLAIM_BEFORE_DENIAL = re.compile(r"\b(?:claim|claims|claimed|claiming)\b(?!\s+(?:the\s+)?(?:lives|life|responsibility))|\b(?:rumou?rs?|rumou?red|allegations?|allegedly|alleged|social media|telegram|pages close to|media close to)\b|\b(?:we|i)\s+(?:(?:had\s+|have\s+)?(?:wrongly|mistakenly|erroneously|earlier|previously)\s+)?(?:posted|reported|said|wrote|tweeted)\s+(?:\w+\s+){0,3}?that\b", re.IGNORECASE)  # ("Yesterday we posted that a Russian convoy left Amuda. That was wrong")
_WITNESS_FLED = re.compile(r"\b(?:who|residents?|families|civilians|people|he|she|they)\s+(?:had\s+|have\s+|has\s+)?(?:fled|escaped|were displaced|took refuge)\b")
_OUR_SPEAKER_NEAR = re.compile(r"\b(?:said|says|told|according to|commander|spokes(?:man|woman|person)|official)\b")


_PLURAL_MEN = frozenset(("militias", "militiamen", "fighters", "rebels", "factions", "troops", "gunmen", "units", "tribes"))
_WAR_WIDE = re.compile(r"\b(?:in|during|throughout) (?:the (?:syrian|iraqi|syria|iraq) (?:civil )?(?:war|conflict)|(?:syria|iraq)['’]s (?:\w+[- ])?(?:civil )?(?:war|conflict))\b"
                       r"|\bsince the (?:start|beginning|outbreak) of the (?:war|conflict|uprising|revolution|crisis)\b")
_TOLD_CHANGE_NOUNS = frozenset(("recapture", "capture", "fall", "liberation", "takeover", "seizure", "retaking"))
_POSSESSIVE_GAP = re.compile(r"(?:'s|’s)\s+")


_KILLED_AFTER = re.compile(r"\s+(?:(?:had|have|has|reportedly|then|also)\s+)*(?:killed|executed|shot|beheaded|massacred|murdered)\b")


_THE_MILITARY_POLICE = re.compile(r"\b((?:(?:the|additional|more|extra|further|other)\s+|(?<=said\s)|(?<=says\s)|(?<=that\s)|(?<=^))military\s+police)\b")  # (also "the ministry said military police began")
_GROUP_HEAD_NOUNS = ("council", "division", "brigade", "legion")
_CAPITAL_HEAD_AFTER = re.compile(r"\s+(Council|Division|Brigade|Legion)\b")
_HEAD_NOUN_ANAPHOR = re.compile(rf"\b(?:the\s+(?P<a>{'|'.join(_GROUP_HEAD_NOUNS)})\b(?!\s+of\b)|(?P<b>{'|'.join(_GROUP_HEAD_NOUNS)})(?=\s+(?:fighters|members|forces|units|commanders?)\b))")


_INDEFINITE_BEFORE = re.compile(r"\b(?:an?|any)\s+(?:[\w-]+\s+)?$")  # ("a militant takeover of the dam could ...": one that has not happened)
_NOMINAL_CHANGE = re.compile(r"(?:takeover|fall|capture|seizure|liberation|recapture)\s+of\b")
_NP_THEN_MODAL = re.compile(r"(?:\s+(?!(?:and|but|which|that|who|in|on|of|last)\b)[\w’'-]+){1,6}?\s+(?:could|would|might|will)\s+(?:not\s+)?(?:have\s+)?[a-z]+")  # ("a militant takeover of the dam could threaten Baghdad": what might be)
_PATROL_SUBJECT = re.compile(r"patrols?\b")
_SAME_BEFORE = re.compile(r"\b[Tt]he\s+same\s+$")


def _resolve_actor_anaphors(s: str, mentions: list[Mention], words, ctx: _Context,
                            defaults: dict[str, str] | None = None) -> list[Mention]:
    # "The same coalition took Idlib", after the alliance that seized Jisr al-Shughour: that
    # alliance, not the US-led coalition (unless it is the one told)
    told = ctx.subject or ctx.actor
    mentions = [replace(x, value=told) if x.value == "us_led_coalition" and told not in (None, "unknown", "us_led_coalition")
                and x.text.lower() == "coalition" and _SAME_BEFORE.search(s, max(0, x.start - 10), x.start) else x for x in mentions]
    out = list(mentions)
    defaults = defaults or {}
    pattern = _words_re(words, "actor_anaphors", r"\b(?:@@)\b", escape=True, lowered=True)
    for m in pattern.finditer(lowercase(s)):
        if any(x.start <= m.start() < x.end for x in mentions):
            continue
        of = _OF_THE.match(s, m.end())
        if of and any(x.start == of.end() for x in mentions):
            continue  # "militants of Hayat Tahrir al-Sham": the group named, not a second one
        owned = _POSSESSIVE_GAP.match(s, m.end())
        if owned and any(x.start == owned.end() and x.value not in ("unknown", "national_forces") for x in mentions):
            continue  # "the group's Hisbah patrols": the group the named arm belongs to, not the last one named
        prior = [x for x in mentions if x.end <= m.start() and x.value != "unknown"]
        if "mercenar" in m.group(0):
            # "the Turkish occupation and its mercenaries", "17 mercenaries killed": in Syria,
            # the Turkey-backed factions (SDF usage) or rebels (state media usage)
            # (but IS's in a report of IS's fighters: "strikes on the gatherings of the mercenaries in Al-Baghuz")
            value = "opposition" if ctx.occupier == "turkey" else ctx.jihadist
        elif m.group(0).startswith("our "):
            # "our forces": the group of the one quoted ("..., SDF commander Delil Amed told the
            # agency"), else the one that issues the statement, named in its title, else the
            # one the report names most
            low = lowercase(s)
            speakers = [x for x in mentions if x.start > m.end() and x.value not in ("unknown", "national_forces")
                        and _OUR_SPEAKER_NEAR.search(low, max(0, x.start - 40), min(len(low), x.end + 30))]
            told_in_statement = ctx.statement_issuer if _STATEMENT_SAID.search(s) else None  # ('"Our fighters withdrew ...," the statement said')
            value = speakers[-1].value if speakers else (ctx.issuer or told_in_statement or ctx.interviewee or ctx.main_actor)
        elif m.group(0).startswith(("its ", "their ")):
            # "ISIL ... has been accused by other rebels. Last month its fighters executed ...":
            # the subject of the sentence before, not the last group it named. A state has
            # soldiers, not "fighters": "before the army came, their fighters left" are IS's.

            if prior and prior[-1].value in STATE_FORCES and m.group(0).endswith(("fighters", "members")) \
                    and not _OWNED_TARGET_AFTER.match(s, prior[-1].end) \
                    and not _SPEAKERS_THEY.fullmatch(lowercase(s), prior[-1].end, m.end()) \
                    and not _TARGET_OF_BEFORE.search(_QUOTES.sub("", lowercase(s[max(0, prior[-1].start - 45):prior[-1].start]))):
                # ("ambushed an NDF patrol, killing three of its members", "attacked a checkpoint of
                # the 'apostate Iraqi army' and killed 4 of its members": the patrol's, the checkpoint's)
                prior = [x for x in prior if x.value not in STATE_FORCES] or (
                    [Mention(0, 0, ctx.insurgent, "")] if ctx.insurgent else prior)
            value = prior[-1].value if prior else (ctx.subject or ctx.actor or ctx.main_actor)
            if not prior and value in STATE_FORCES and m.group(0).startswith("its ") and m.group(0).endswith(("fighters", "members")) and ctx.insurgent \
                    and ctx.sentences_read - ctx.strikes_told_at <= 1 and value in {o.actor for o in ctx.strikes_told_last}:
                # ("A warplane, believed to be Russian, struck a building used by the group. ... six
                # of its members killed": the struck group's, not the air force's)
                value = ctx.insurgent
            if m.group(0).endswith("remnants") and value in STATE_FORCES and ctx.insurgent:
                value = ctx.insurgent  # "their remnants fled north": the beaten insurgents', never a state's
        elif "occupation" in m.group(0):
            value = ctx.occupier  # (named once as "the Turkish occupation")
        elif m.group(0).startswith(("the same", "these ", "those ", "similar ")):
            # "The same forces captured Qabasin": the group the sentence before was about
            # ("Hundreds of Shi'ite volunteers boarded buses in Najaf ... Similar convoys left Karbala")
            value = prior[-1].value if prior else (ctx.subject or ctx.actor)
        elif m.group(0).startswith("the group") and _DOCUMENTS_AFTER.match(lowercase(s), m.end()):
            continue  # ("The group documented the deaths of 23 people": a monitoring group counts, it is no party)
        elif m.group(0).startswith(("the group", "the terrorist group")):
            # "the group": the last armed group named that is no state's forces ("IS attacked
            # the army; the group had advanced ..."), in the sentence, else before it.
            # (nor a plural of men: "after government forces and Shiite militias retook Tikrit,
            # dozens of the group's fighters arrived": not the militias')
            groups = [x.value for x in prior if x.value not in STATE_FORCES and x.value != "peshmerga" and x.text.lower().rsplit(None, 1)[-1] not in _PLURAL_MEN]
            speaks = ctx.named_speaker if _SPEECH_AFTER.match(lowercase(s), m.end()) else None
            value = groups[-1] if groups else (speaks or ctx.named_group or (
                ctx.actor if ctx.actor and ctx.actor not in STATE_FORCES else (ctx.insurgent or ctx.actor or ctx.main_actor)))
            if value == "peshmerga":
                continue  # (a region's army is no "group")
        elif "militia" in m.group(0) or "paramilitar" in m.group(0):
            # "the militias", "militiamen", "the paramilitaries": the militia named last, else the report's; none
            # named, the group of the sentence's killing or movement stays unknown.
            if prior and prior[-1].end < m.start() and not s[prior[-1].end:m.start()].strip():
                continue  # ("National Defence Forces militiamen": the group just named, no other)
            militias = [x.value for x in prior if x.value in MILITIAS]
            value = militias[-1] if militias else ctx.militia
        elif m.group(0) in ("attackers", "assailants"):
            # "IS cell attacks SDF checkpoint; 1 SDF fighter and 2 attackers killed": the group
            # that attacked in this sentence (or the one before)
            attack = _words_re(words, "attack_verbs", r"(?:\s+(?:[\w’'-]+\s+){0,3}?)?(?:@@)\b")
            attackers = [x.value for x in prior if x.value not in ("unknown", "national_forces") and attack.match(s, x.end)]
            # (else the group the report last told attacking, else its insurgents: "Daesh gunmen
            # attacking police stations ... [later post] at least 48 attackers killed")
            before = ctx.previous_attacker if not ctx.previous_strikes else None  # (not the aircraft that struck)
            value = attackers[0] if attackers else (before or ctx.report_attacker or ctx.insurgent)
            if value is None:
                continue
        elif m.group(0) in ("the attackers", "the assailants"):
            # "Security forces killed 48 of the assailants": the insurgents who attacked, unless
            # the report only knows them as unknown gunmen (counted dead only: attackers who
            # "fled" after a raid are no troop movement)
            # (and "the attackers killed at least 37 civilians": the group the report last told attacking)
            killed = _KILLED_AFTER.match(s, m.end())
            if not s[max(0, m.start() - 4):m.start()].lower().endswith("of ") and not killed:
                continue
            insurgents = [x.value for x in prior if x.value in INSURGENTS]
            # ("... repelled an attack by regime forces. Nine of the attackers were killed": the
            # attackers the sentence before told)
            value = insurgents[-1] if insurgents else ("unknown" if ctx.unknown_group_at is not None else
                                                       (ctx.previous_attacker or ctx.report_attacker) if killed else (ctx.previous_attacker or ctx.insurgent))
            if value is None:
                continue
        elif "jihad" in m.group(0):
            # "jihadists": IS or HTS (never the rebels of the opposition), the one named last in
            # the sentence, else the one the report names most, else IS.
            jihadists = [x.value for x in prior if x.value in JIHADISTS]
            value = jihadists[-1] if jihadists else (ctx.jihadist or defaults.get(m.group(0)) or "islamic_state")
        else:
            # "militants": the insurgent group of the report, not the last
            # group named (which is often the army fighting them).
            insurgents = [x.value for x in prior if x.value in INSURGENTS]
            default = defaults.get(m.group(0))  # "the organization": IS in SOHR's usage
            if not insurgents and ctx.jihadist and "militant" in m.group(0):
                insurgents = [ctx.jihadist]  # "militants" in a report that names IS or HTS are theirs, not the rebels'
            # Never a state's forces: "militants left Ar-Rastan, the Russian Centre said" are rebels.
            if "suicide bomber" in m.group(0) and _CAUGHT_BEFORE.search(s[max(0, m.start() - 40):m.start()]) \
                    and not _WHO_ATTACKED_AFTER.match(s, m.end()):
                continue  # ("The SDF arrested a suicide bomber at a checkpoint": no attack, no attacker)
            if not insurgents and "suicide bomber" in m.group(0):
                # ("A suicide bomber drove a car into an SDF checkpoint": not the report's main
                # group, often the one bombed; a jihadist group the report names, else unknown)
                insurgents = [ctx.jihadist or "unknown"]
            value = insurgents[-1] if insurgents else (
                ctx.main_actor if ctx.main_actor in INSURGENTS else (
                    ctx.insurgent or default or (ctx.main_actor if ctx.main_actor not in STATE_FORCES | MILITIAS | {"peshmerga"} else "unknown")))  # (nor the Peshmerga)
        if value:
            out.append(Mention(m.start(), m.end(), value, s[m.start():m.end()]))
    return sorted(out, key=lambda x: x.start)


_CAUGHT_BEFORE = re.compile(r"\b(?:arrested|detained|caught|captured|stopped|intercepted|foiled|shot|killed|neutrali[sz]ed|apprehended|thwarted)\s+(?:an?\s+|the\s+|two\s+|three\s+)?(?:would-be\s+|suspected\s+|potential\s+)?$", re.IGNORECASE)
_WHO_ATTACKED_AFTER = re.compile(r"\s+who\s+(?:had\s+)?(?:attacked|blew|detonated|struck|rammed|targeted)\b", re.IGNORECASE)
_OCCUPATION_AFTER = re.compile(r"(?:\s+(?:state|army|forces|military))?\s+occupation\b", re.IGNORECASE)
_RELATIVE_START = re.compile(r",\s*(?:which|who|where|whose)\b")
_RELATIVE_CLAUSE = re.compile(r",\s*(?:which|who|where|whose)\b[^,;]*,")
_SAME_EVENT_AFTER_SEMICOLON = re.compile(r";\s*(?:both|targets|the\s+(?:attack|killings?|heaviest|targets?))\b", re.IGNORECASE)  # (a clause that places the same event: "; both were at the entrance of Tafas", "; the attack took place in Tafas")
_LOCATING_CLAUSE = re.compile(r",\s*(?:which|where)\s+(?:lies|lie|is|are|sits|stands|borders)\b")


_NOUN_THAT_START = re.compile(r"(?:check\s?points?|roadblocks?|patrols?)\s+(?:that|which)\s")
_CLAUSE_JOIN = re.compile(r",\s+(?:and|but|while|which|who|when|after)\b|;|\b(?:and|but)\s+(?:then|later|also)\b|\b(?:later|after|since|when|while|which|who)\b")
_TRAILING_STAMP = re.compile(r"\)?[\s.]*$")
_FRONTED_TIME_LEAD = re.compile(r"\W*(?:(?:also|meanwhile|separately|later|earlier|and|but|then|elsewhere|again|further|still|finally)\W+)+", re.IGNORECASE)


def _nearest_time(times, start, end, kept, idx, s: str = ""):
    """The sentence's time for a trigger given none: one event chain per sentence is the
    rule ("captured Mayadeen on Saturday after the militants withdrew"). "since" spans
    describe a state, not this event, and are not inherited; nor is a time with another
    trigger between it and this one ("the dismantling comes after X was bombed on Saturday")."""
    def blocked(t):
        if t.span_start <= 3 or _FRONTED_TIME_LEAD.fullmatch(s, 0, t.span_start):
            return False  # "In January 2016, IS stormed the suburb and killed 135 people", "On Monday an air raid hit ... as it passed through": a fronted time covers the sentence (also "Also on Thursday, ...")
        if _TRAILING_STAMP.fullmatch(s, t.span_end) and (s[:t.span_start].rstrip().endswith("(") or (
                s[:t.span_start].rstrip().endswith(",") and not _CLAUSE_JOIN.search(s, 0, t.span_start))):
            return False  # ("IS attack on an SDF checkpoint in Gharanij kills two fighters (8 September)": a closing date covers the line)
        lo, hi = (end, t.span_start) if t.span_start >= end else (t.span_end, start)
        if ";" in s[lo:hi] and own in ("checkpoint", "patrol") and t.span_start >= end:
            return True  # ("patrols have also resumed; they had been suspended in the summer", but "IED struck a patrol 18 Nov; 3 killed")
        # ("A Russian air strike on the market killed nine on Sunday": the strike and its
        # killing are one event and share the time)
        # (and "3 PMF fighters killed in an ambush on their patrol on 21 October", "Coalition
        # strikes destroyed an IS checkpoint near Haditha on Sunday": the attack's)
        return any(j != idx and lo <= k[0] and k[1] <= hi and not ({k[2].indicator, own} == {"airstrike", "killing"})
                   and not (own in ("killing", "airstrike") and k[2].change == "attacked")
                   and not (own == "killing" and k[2].change == "present")  # ("killed a member of an SDF patrol on 22 November": the patrol is who died, no event of its own)
                   for j, k in enumerate(kept))

    own = kept[idx][2].indicator if 0 <= idx < len(kept) else None

    def in_other_clause(t):
        # "In Tal Abyad, which the YPG captured two weeks ago, patrols have increased":
        # a relative clause's time is its own (and so is that of ", following the killing ...").
        return any(a <= t.span_start < b and not (a <= start < b) for a, b in clauses) or (
            t.span_start >= end and _FOLLOWING_CLAUSE.search(s, end, t.span_start) is not None)
    clauses = [c.span() for c in _RELATIVE_CLAUSE.finditer(s)] + [c.span() for c in _THAT_BEGAN.finditer(s) if not 0 <= c.start() - end <= 2] if s else []
    if s and ", " in s:
        # (a closing aside with no event of its own that names a year: "entered Raqqa, where the
        # group declared its capital in 2014", "... the Omari mosque, where the first protests of
        # 2011 broke out"; but "arrived in Tal Abyad, where they were greeted on Tuesday" is the arrival's day)
        clauses += [(c.start(), b) for c in _RELATIVE_START.finditer(s) if (b := _clause_end(s, c.end())) == len(s.rstrip(" .\n"))
                    and not any(c.start() <= k[0] < b for k in kept)
                    and all(_YEAR_IN_TEXT.search(t.text) for t in times if c.start() <= t.span_start < b)
                    and not re.match(r"\s+(?:they|it|he|she|we)\b", s[c.end():])]  # ("entered Qaim, where they raised the flag on 3 November 2017": theirs)
    cands = [t for t in times if not t.text.lower().startswith("since") and not blocked(t) and not in_other_clause(t)
             and not (t.span_start >= end and _UNITS_AFTER.match(t.text.lower()))]  # ("..., two days after the city was liberated": that event's)
    if not cands:
        return None
    return min(cands, key=lambda t: min(abs(t.span_start - end), abs(start - t.span_end)))


# "after clashes with rebel factions that began on Sunday night": the clashes' time (but "a
# presence that began in March 2017, when American vehicles first rolled into the city": the when-clause's too)
_WHEN_AFTER = re.compile(r",\s*when\b")
_THAT_BEGAN = re.compile(r"(?<!,)\s(?:that|which)\s+(?:had\s+)?(?:began|begun|started|erupted|broke out)\b[^,;.]*")
_FOLLOWING_CLAUSE = re.compile(r",\s*(?:following|amid|in the wake of|in retaliation for|in response to)\s+(?:the|a|an|his|her|their|its)\b"
                               r"|,\s*after\s+(?:the|a|an|his|her|their|its|it|they)\s+(?:[\w-]+\s+){0,3}?had\b")  # ", after the district had been captive of Daesh since June 2014"


_HELD_STATE_BETWEEN = re.compile(r"\b(?:had|has|have)\s+(?:held|controlled|occupied|manned|been\s+(?:stationed|based|deployed))\b")
_SPEECH_VERB_BEFORE = re.compile(r"\b(?:said|says|announced|reported|stated|confirmed|claimed|told\s+(?:[\w-]+\s+){1,3}?)\s*$")


_FOUNDED_BEFORE = re.compile(r"\b(?:formed|founded|created|established|proclaimed)\s+(?:[\w-]+\s+){0,3}?(?:in\s+|on\s+)?$", re.IGNORECASE)


def _assign_times(kept, times, s: str = "") -> dict:
    """Each time expression goes to the nearest trigger, a clause boundary (comma,
    semicolon) between them counting as far ("who drove IS out of Mosul last July, entered
    Al-Qaim earlier this month"); a trigger takes the nearest of those it was given."""
    given: dict[int, list] = {}
    began = [c.span() for c in _THAT_BEGAN.finditer(s)] if "that" in s or "which" in s else []
    # ("set up three checkpoints and imposed a curfew, which was lifted on Wednesday": the clause's own time)
    relative = [(c.start(), _clause_end(s, c.end())) for c in _RELATIVE_START.finditer(s)] if "," in s else []
    for t in times:
        best, dist = None, None
        for i, (start, end, _trig, _m) in enumerate(kept):
            if any(a <= t.span_start < b and not (a <= start < b or a < end <= b) for a, b in relative):
                continue
            if any(a <= t.span_start < b and not a <= start < b and not 0 <= a - end <= 2
                   and not (start >= b and _WHEN_AFTER.match(s, b)) for a, b in began):
                continue  # ("took the town, after clashes that began on Sunday night": the clashes')
            if t.span_start < end and start < t.span_end:
                # (but a time inside an aside the trigger spans, "patrols, which stopped after the
                # June 5 attack, resumed on Saturday", is the aside's)
                aside = start < t.span_start and s.count(",", start, t.span_start) % 2 == 1 and "," in s[t.span_end:end]
                if aside and _RELATIVE_START.search(s, start, t.span_start):
                    continue  # ("patrols, which were rarely seen last year, now pass through": not last year)
                d = 300 if aside else 0
            elif t.span_start >= end:
                if _FOLLOWING_CLAUSE.search(s, end, t.span_start) or _UNITS_AFTER.match(t.text.lower()) or (
                        t.text.lower().startswith("since") and _HELD_STATE_BETWEEN.search(s, end, t.span_start)):
                    # ("pulled its units out of the positions it had held around Tafas since 2021": the holding's time)
                    continue  # "launched patrols, following the killing of an officer on Sunday": the killing's time (and "..., a week after residents blocked a patrol": theirs)
                d = t.span_start - end + (200 if re.search(r"[,;]", s[end:t.span_start]) else 0)
            else:
                # ("taken by IS in May 2015 and retaken by the army in December": a time is its
                # own conjunct's, after its verb)
                d = start - t.span_end + (200 if re.search(r"[,;]", s[t.span_end:start]) else 0) \
                    + (100 if re.search(r"\band\b", s[t.span_end:start]) else 0) \
                    + (150 if _SPEECH_VERB_BEFORE.search(s, max(0, t.span_start - 40), t.span_start) else 0) \
                    + (500 if _FOUNDED_BEFORE.search(s, max(0, t.span_start - 40), t.span_start) and "," in s[t.span_end:start] else 0)  # ("the Khalid ibn al-Walid Army, the IS affiliate formed last year, seized ...": when the group was formed)
            if dist is None or d < dist:
                best, dist = i, d
        if best is not None:
            given.setdefault(best, []).append((dist, t))
    return {i: min(ts, key=lambda x: x[0])[1] for i, ts in given.items()}


# ---------------------------------------------------------------- roles


_EMPLOYER_BEFORE = re.compile(r"\b(?:contractors?|workers?|employees?|staff|interpreters?|translators?|engineers?|drivers?|guards?|technicians?)\s+"
                              r"(?:working|worked|who\s+worked|employed|contracted|hired)\s+(?:with|for|by)\s+(?:the\s+)?(?:[\w.]+-led\s+)?$")  # (the victim's employer; not "Gunmen working for the regime shot dead ...")
_STATEMENT_SAID = re.compile(r"\b(?:the|its|their)\s+statement\s+(?:said|says|added|read|stated)\b|\b(?:said|added)\s+the\s+statement\b"
                             r"|[\"”]\s*,?\s*(?:it|the\s+group)\s+(?:added|said)\b", re.IGNORECASE)  # ('"Our fighters repelled the attack," it added')
_SAID_IN_A_STATEMENT = re.compile(r"\b(?:said|says|announced|stated)\s+in\s+(?:a|an)\s+(?:[\w-]+\s+)?statement\b")


def _is_sport_report(text: str, words: dict) -> bool:
    """Three different sports words, one of them strong ("derby", "goalkeeper", "offside")."""
    lower = lowercase(text)
    strong_rx = _words_re(words, "sport_strong", r"\b(?:@@)\b", lowered=True)
    if strong_rx.search(lower) is None:
        return False  # (most reports: one scan, stopped at the first strong word of a sports report)
    strong = {m.group(0) for m in strong_rx.finditer(lower)}
    weak = {m.group(0) for m in _words_re(words, "sport_words", r"\b(?:@@)\b", lowered=True).finditer(lower)}
    return len(strong | weak) >= 3


def _speaks_of_the_game(s: str, words: dict) -> bool:
    """A sentence of a sports report about the game: a strong sports word, or two weak ones
    (not "The city was recaptured from IS in 2015, and the stadium was left in ruins")."""
    lower = lowercase(s)
    weak = len(_words_re(words, "sport_words", r"\b(?:@@)\b", lowered=True).findall(lower)) \
        + len(_words_re(words, "sport_game_words", r"\b(?:@@)\b", lowered=True).findall(lower))
    return weak >= 2 or _words_re(words, "sport_strong", r"\b(?:@@)\b", lowered=True).search(lower) is not None


_PLURAL_BLAMED = re.compile(r"\b(?:both|all|the|these|those)\s+(?:[\w-]+\s+)?(?:attacks|bombings|blasts|killings|assassinations|incidents)\b", re.IGNORECASE)
_PLURAL_CLAIMED = re.compile(r"(?:attacks|bombings|blasts|explosions|killings|assassinations|abductions|kidnappings|shootings|\bit|\bthem|responsibility)$", re.IGNORECASE)  # (or the deed not named again: "claimed it")


def _blamed_group(mentions, s: str, at: int):
    """The jihadist group a blame names: the first named after "blamed" ("blamed unknown
    gunmen, and the General Security said" blames no group), or the one unknown men are said
    to belong to ("blamed gunmen loyal to IS"). Blame between the government and rebels is
    partisan: only IS or HTS."""
    first = next((x for x in mentions if x.start >= at and x.start - at <= 30), None)
    if first is not None and first.value == "unknown":
        first = next((x for x in mentions if x.start > first.end and _BELONGING_GAP.fullmatch(s, first.end, x.start)), first)
    return first if first is not None and first.value in JIHADISTS else None


_BELONGING_GAP = re.compile(r"\s+(?:loyal|linked|affiliated|belonging|tied|connected)\s+(?:to|with)\s+(?:the\s+)?(?:so-called\s+)?", re.IGNORECASE)


def _claimed_indices(last: tuple[int, int], earlier: list[tuple[int, int]], raw: list) -> list[int]:
    """What a claim of responsibility covers: the observations of the last sentence that had
    any, and those of up to two sentences before it while none of them names a perpetrator
    ("The bodies of six drivers were found ... Gunmen set up the checkpoint ... IS claimed the
    abductions")."""
    out = list(range(*last))
    for start, end in earlier:
        if any(o.actor != "unknown" if (o.indicator == "airstrike" or o.change == "killed_by") else
               (o.indicator == "killing" and o.counterpart not in (None, "unknown")) for o, _e in raw[start:end]):
            break
        out.extend(range(start, end))
    return out


_OPENED_FIRE_AFTER = re.compile(r"\s+(?:(?:had|then|reportedly)\s+)*(?:opened fire|fired|shot)\b")  # ("when US troops opened fire ... at a Syrian army checkpoint": the shooters)
_PICTURES_OF_BEFORE = re.compile(r"\b(?:pictures|photos|photographs|portraits|posters|banners|images)\s+of\s+(?:(?:the|their|its|[\w-]+)\s+){0,3}$")
_FIGURES_FOR_BEFORE = re.compile(r"\b(?:figures|numbers|statistics|data)\s+(?:for|on)\s+(?:(?:the|their|its|[\w-]+)\s+){0,3}$")
_DOCUMENTS_AFTER = re.compile(r"\s+(?:(?:has|had|have|also|only)\s+)*(?:documented|recorded|counted|verified|registered|tallied|documents|records|counts)\s+"
                              r"(?:the\s+)?(?:deaths?|death toll|killing of|no\b|at\s+least|more\s+than|a\s+total|\d|casualties|incidents|violations|cases|arrests)")  # (a toll; not "documented the executions in a video")
_FORCE_NOUN_AFTER = re.compile(r"\s+(?:reinforcements|fighters|militants|members|units|forces|troops|convoys?|columns?)\b")  # ("arrival of IS reinforcements": the group, though after "of")
_HANDED_TO_BEFORE = re.compile(r"(?<!which )(?<!who )(?<!that )\b(?:(?:handed|hands|handing|turned|turns|turning)\b(?:\s+over)?[^.;,]{0,60}?|(?:fell|falls|fallen|falling|surrendered)\s+)to\s+(?:the\s+)?$")  # (not in a relative clause: "the Zenki movement, which handed over Atarib to HTS, said")
_FRONTED_CLAUSE = re.compile(r"\W*(?:after|before|when|as|while|once|since|although|though)\b[^,;]{0,120},")
_MEN_OF_BEFORE = re.compile(r"\b(?:fighters|members|troops|units|forces|militants|militiamen|gunmen|soldiers)\s+of\s+(?:the\s+)?$")
_ITS_NOUN = re.compile(r"(?:its|their)\s")
_ITS_BEFORE = re.compile(r"\b(?:its|their)\s+$")
_PREPOSITION_BEFORE = re.compile(r"\b(?:of|by|against|from|with|on|to|at|in)\s+(?:the\s+|an?\s+)?$")
_HELD_AFTER = re.compile(r"-(?:held|controlled|run|led|backed)\b")
_PARTY_UNKNOWN = re.compile(r"\b(?:party|side|group|perpetrators?|attackers?|aircraft|jets)\s+(?:responsible\s+)?(?:has|have|had|was|were)\s+not\s+(?:yet\s+)?been\s+identified"
                            r"|\b(?:not|un)(?:\s+immediately)?\s*clear\s+who\s+(?:carried out|was behind|were behind|launched|conducted|struck)", re.IGNORECASE)
_CLAIMED_ATTACK = re.compile(r"(?:\bclaim(?:ed|s)\s+(?:responsibility\s+for\s+)?|\b(?:carried out|was behind|were behind|conducted|staged)\s+)"
                            r"(?:the|both|those|these|that|this|(?:\w+day|yesterday|today|tonight|last\s+night)(?:\s+(?:morning|afternoon|evening|night))?['’]s)\s+(?:[\w-]+\s+)?"  # ("claimed Monday evening's bombing", not "Turkey's")
                            r"(?:attacks?|bombings?|blasts?|explosions?|assault|killings?|assassinations?|ambush|abductions?|kidnappings?|shootings?|massacre)\b"
                            r"|\bclaim(?:ed|s)\s+responsibility(?=\s*(?:[.;]|$|,\s+(?:according|the|a|an|in)\b|\s+(?:in|on|via|through)\s+(?:a|an|the|its)\b))"  # ("IS claims responsibility.")
                            r"|\bclaim(?:ed|s)\s+(?:it|them)\b(?!\s+(?:was|were|had|has|is|are|would|will|could)\b)", re.IGNORECASE)  # ("Daesh claimed it in a statement online.")
_PRISON = re.compile(r"(?:prisons?|jails?)")
_PRISON_TAKEN = re.compile(r"(?:took|taken|taking|takes)\s+over\b|(?:regain|retook|retake|recaptur|(?:took|taken|taking|seized|assumed|gained|regained)\s+(?:full\s+|complete\s+|total\s+)?control)")
_PRISON_PART = re.compile(r"\b(?:parts?|sections?|wings?|blocks?|escapees?|bus|buses|vans?|guards?)\b")
_SITE_OF_TOWN = re.compile(r"\b(?:complex|compound|building|headquarters|airport|airbase|base|hospital|university|district|neighbou?rhood|quarter)\s+(?:in|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,4}(?:(?:district|neighbou?rhood|quarter)\s+of\s+(?:the\s+)?)?(?:(?:eastern|western|northern|southern|central|old)\s+)?$")
_ALSO_VICTIMS_AFTER = re.compile(r"(?:(?!\bwhile\b|\bwhereas\b|\bothers\b)[^.;]){0,60}?\b(?:(?:were|was|had been|have been)\s+(?:also\s+)?(?:killed|wounded|injured)|died|perished)\b")
_FORMER_BEFORE = re.compile(r"\b(?:former|retired|ex-)\s*(?:[\w-]+\s+)?$")
_STRUCK_BEFORE = re.compile(r"(?:\b(?:struck|hit|targeted|attacked|bombed|rammed|ambushed|stormed|shelled|(?:tore|ripped) through)|\b(?:exploded|detonated|went off|blew (?:(?:himself|herself|itself|themselves) )?up)\b[^.;]{0,30}?\b(?:beside|next to|outside|near|at|in front of)"
                            r"|\b(?:drove|crashed|ploughed|plowed)\b[^.;]{0,40}?\binto|\b(?:fire|fired)\s+(?:on|at|upon)|\b(?:attacks?|assaults?|raids?)\s+(?:on|against))"
                            r"\s+(?:an?|the|one|two|several|one of (?:its|their|the))?\s*(?:joint\s+)?(?:[\w-]+\s+and\s+)?$")  # ("an attack on a joint army and PMF checkpoint")
_DENIED_THAT_BEFORE = re.compile(r"\b(?:denied|denies|deny|denying|rejected|dismissed)\s+(?:(?:claims|reports|allegations)\s+)?(?:that\s+)?$", re.IGNORECASE)
_AGENT_MARK_BEFORE = re.compile(r"\b(?:by|attributed\s+to|blamed\s+on)\s+(?:the\s+)?$", re.IGNORECASE)
_BLAMED_STRIKES = re.compile(r"\b(?:blamed|blaming|blames)\s+(?=(?:[\w-]+\s+){1,3}(?:air\s*strikes?|air raids?|warplanes|jets|aircraft|air\s+force|aviation|helicopters)\b)", re.IGNORECASE)
_STRIKES_CARRIED_OUT_BY = re.compile(
    _BLAMED_STRIKES.pattern + r"|\b(?:the|these|those|both)\s+(?:air\s*|aerial\s+)?(?:strikes?|raids?)\b[^.;]{0,80}?\b(?:was|were)\s+(?:\w+\s+)?(?:carried out|conducted|launched|flown|mounted)\s+by\s+(?:\w+\s+){0,3}?"
    r"|\battributed\s+(?:the|a|an|that|this|these|those)\s+(?:[\w-]+\s+)?(?:air\s*)?(?:strikes?|raids?)\b[^;]{0,120}?\bto\s+"
    r"|\b(?:air\s*)?(?:strikes?|raids?)\s+(?:that|which)\s+(?:[\w-]+\s+){0,4}?(?:attribute|attributes|attributed)\s+to\s+", re.IGNORECASE)  # ("airstrikes that local sources attribute to Russian and Syrian aircraft")
_NO_CLAIMANT_BEFORE = re.compile(r"\b(?:no|not|nobody|none|yet to|never)\b[^.;]*$", re.IGNORECASE)
_BLAME_RETRACTED = re.compile(r"[^.;]{0,40}?\bbut\b")  # ("which residents initially blamed on IS but police later traced to a land dispute")
_BLAME_CLAUSE_BREAK = re.compile(r";|,\s*(?:and|but|while|whereas|(?:(?:a|one|two|three|several|\d+)\s+)?(?:days?|hours?|weeks?)\s+(?:after|before))\b")  # (not "after Friday prayers")
_BLAMED_ON_HERE = re.compile(r"(?:,\s*which|\b(?:attacks?|killings?|murders?|assassinations?|bombings?|shootings?|ambush(?:es)?))\s+(?:[\w-]+\s+){0,3}?(?:(?:was|were|has been|have been|had been|is|are)\s+)?(?:widely\s+)?blamed\s+on\s+(?:the\s+)?")
_BLAMED = re.compile(r"\bblam(?:ed|es)\s+(?:the\s+(?:attack|killings?|bombing)\s+on\s+)?")
_ATTRIBUTED_TO = re.compile(r"\battributed to\s+(?:the\s+)?")
_COUNT_OF_BEFORE = re.compile(rf"(?:\d+|{_NUM_WORD}|several|dozens|scores|hundreds|tens)\s+of\s+(?:the\s+)?$")
_COUNT_JUST_BEFORE = re.compile(rf"(?:^|[\s:])(?:\d+|{_NUM_WORD})\s+$")  # ("Hospital source: 7 Daesh dead")
_WHEN_CLAUSE = re.compile(r",?\s*when\b")
_CLAUSE_BREAK = re.compile(r",\s*(?:when|where|as|while|after|before|since|because|although|though)\b|;")
_SPEAKER_IN_BEFORE = re.compile(r"\b(?:officials?|sources?|spokes(?:man|woman|person)|residents?|activists?|commanders?|officers?|journalists?|doctors?|correspondents?)\s+(?:based\s+)?in\s+(?:the\s+)?$", re.IGNORECASE)
_PRONOUN_IN = re.compile(r"\b(?:they|it|he|she|its|their)\b")  # ("..., where in January it executed 12 people": the group's own clause)
_PRONOUN_START = re.compile(r"[\s\"“‘']*(?:their|its|they|his|it|he)\b", re.IGNORECASE)
_HISTORY_SUBJECT_START = re.compile(r"[\s\"“‘']*the\s+(?:legion|empire|sultan|crusader|emperor|pharaoh|conqueror)s?(?:['’]s?)?\s", re.IGNORECASE)  # ("The legion's soldiers kept a checkpoint at the Nabataean Arch")
_ING = re.compile(r"[a-z]+ing\b")
_PARTICIPLE_CLAUSE_BEFORE = re.compile(r"\b(?:after|before|while|upon|since|when)\s+$")


# A speech verb right after a group, and the event told in what it says: "The SDF said a
# strike killed 11 people" (not "The SDF said it killed 3 militants": the group speaks of itself).
# ("announced the recapture of Rawa", "claimed the attack": a verb that can take the event as
# its object speaks of another's doing only before "that")
_SPEECH_WHEN = r"(?:\s+(?:on|late on|early on)\s+\w+|\s+in\s+a\s+statement|\s+(?:today|yesterday))?\s*,?\s+"  # ("said on Monday, ")
_SPEECH_AFTER = re.compile(r"(?:\s+(?:[\w-]+\s+){0,2}?(?:officials?|spokes(?:man|woman|person)|sources?|statement|groups|activists|media))?"  # ("A U.S. intelligence official told reporters")
                           r"(?:,\s+speaking\s+[^,.;]{1,50},)?"  # ("..., speaking on condition of anonymity, said")
                           r"\s+(?:" + _SPEECH_ADVERB + r"\s+)?(?:(?:said|says|say|stated|states|added|adds|told\s+(?:[\w.-]+\s+){0,3}?[\w.-]+)"
                           + _SPEECH_WHEN + r"(?:" + _SPEECH_ADVERB + r"\s+)?(?:that\s+)?|(?:reported|reports|announced|announces|claimed|claims|confirmed|confirms)" + _SPEECH_WHEN + r"that\s+)")  # ("said separately that it had conducted")
_SELF_REFERENCE = re.compile(r"(?:it|they|its|their|we|our|the group|the group's)\b")
_OWN_WORD = re.compile(r"\b(?:its|their|our|we)\b")


_AIRCRAFT_WORD = r"(?:aircraft|jets|warplanes|planes|drones)"
_BARE_AIRCRAFT_SUBJECT = re.compile(r"(?:^|[:,]\s*|\b(?:said|says|that)\s+)(?:its\s+|their\s+|the\s+)?" + _AIRCRAFT_WORD + r"\s+(?:have\s+|had\s+|also\s+)*$")
_UNNAMED_AIRCRAFT_WORD = re.compile(r"\b(?:unidentified|unknown|unmarked|foreign|enemy|hostile|other|rival)\b")
_BARE_AIRCRAFT_TRIGGER = re.compile(_AIRCRAFT_WORD + r"\b")
_AIR_FORCE_SPEAKS_AFTER = re.compile(r"(?:['’]s)?\s+(?:[\w-]+\s+){0,2}?(?:spokes(?:man|woman|person)|statement|said|says|command|officials?)\b")


def _speaks_before(lower: str, group_end: int, start: int) -> bool:
    """The group before a trigger only speaks of the event: a speech verb follows the group and
    the event is told in what it says, not of itself ("it", "its fighters")."""
    sp = _SPEECH_AFTER.match(lower, group_end)
    return sp is not None and sp.end() <= start and not _SELF_REFERENCE.match(lower, sp.end()) \
        and not _OWN_WORD.search(lower, sp.end(), _clause_end(lower, start))  # ("said no civilians were killed in its strike")


def _clause_end(lower: str, pos: int) -> int:
    stop = _CLAUSE_SPLIT.search(lower, pos)
    return stop.start() if stop else len(lower)


def _nearest_before(mentions, pos, limit=120, s: str | None = None):
    """The group named before `pos`; with the sentence given, a group named only as support
    ("backed by coalition airstrikes", "with Russian air support") is passed over."""
    # A mention may overlap the trigger ("Russian warplanes" in "warplanes struck").
    cands = [m for m in mentions if m.start <= pos and pos - m.end <= limit]
    if s is not None:
        main = [m for m in cands if not _is_supporting(s, m)]
        cands = main or cands
    return cands[-1] if cands else None


_SUPPORT_BEFORE = re.compile(r"(?:backed|supported|aided|helped|assisted|covered|accompanied|joined|escorted|trained|armed) by (?:the )?$|in support of (?:the )?$|, including (?:the )?$|(?<!affiliated )(?<!allied )(?<!aligned )(?<!associated )(?<!linked )(?<!face )(?<!clashes )(?<!clashed )(?<!battles )\b(?:with|alongside) (?:the )?(?:help of |support of |backing of )?(?:the )?$|\b(?:air|aerial) (?:support|cover) from (?:the )?$")
_SUPPORT_AFTER = re.compile(r"^(?:\s*(?:air support|support|backing|air cover|cover|allies|advisers|advisors)|-backed)\b")


_WITH_HELP_BEFORE = re.compile(r"\bwith the (?:help|support|backing|aid|cover) of\s+(?:[\w-]+\s+){0,3}$")
_SUPPORT_LIST = re.compile(r"\b(?:(?:backed|supported|aided|assisted|accompanied|joined|escorted) by|with the (?:help|support|backing|aid|cover) of"
                           r"|under (?:the )?cover of|(?:with|under) (?:[\w-]+ )?(?:air|aerial) (?:support|cover) (?:from|of))\b")


def _in_support_phrase(s: str, pos: int) -> bool:
    """`pos` is inside a "backed by ..." phrase of its clause."""
    before = s[max(0, pos - 120):pos]
    if " by " not in before and " By " not in before and " of " not in before and " from " not in before:
        return False  # the common case, decided without lowercasing
    if _SUPPORT_LIST.search(before[before.rfind(",") + 1:].lower()):
        return True
    # "backed by Turkish tanks, special forces and warplanes": a list of supporters, each a short
    # noun phrase between commas
    last = None
    for last in _SUPPORT_LIST.finditer(before.lower()):
        pass
    # (not a fronted "Backed by Russian air power, government forces captured Palmyra")
    return last is not None and before[:last.start()].rstrip()[-1:].isalnum() and all(
        len(piece.split()) <= 5 and not _LIST_PIECE_STOP.search(piece) for piece in before[last.end():].split(","))


_LIST_PIECE_STOP = re.compile(r"\b(?:said|says|who|which|that|while|as|after|before|when|captured|took|seized|entered|stormed|overran|retook|killed|struck|hit|attacked|shelled|withdrew|pulled|fled)\b", re.IGNORECASE)


def _is_supporting(s: str, m) -> bool:
    # Both patterns are written for lowercased text.
    if _SUPPORT_BEFORE.search(s[max(0, m.start - 40):m.start].lower()) or _SUPPORT_AFTER.match(s[m.end:m.end + 20].lower()):
        return True
    # "backed by coalition airstrikes and a contingent of Iraqi Kurdish peshmerga": any group
    # of the supporting phrase, up to the comma that closes it.
    return _in_support_phrase(s, m.start)


def _nearest_after(mentions, pos, limit=80):
    cands = [m for m in mentions if m.start >= pos and m.start - pos <= limit]
    return cands[0] if cands else None


# "taken over by Yazidi fighters allied with the PMF": the PMF's side did it
_BY_ALLIES_OF = re.compile(r"\bby\s+(?:[\w-]+\s+){1,3}(?:allied (?:with|to)|loyal to|affiliated (?:with|to)|linked to|belonging to|belong to)\s+(?:the\s+)?$")


_STRIKES_BLAMED_ON_BEFORE = re.compile(r"\b(?:strikes?|raids?|bombings?|bombardment)\s+(?:blamed\s+on|attributed\s+to)\s+(?:the\s+|a\s+|an\s+)?$")
_BY_AGENT_BEFORE = re.compile(r"\b(?:by|attributed\s+to|blamed\s+on)\s+(?:the\s+|a\s+|an\s+)?$")  # (inside a strike's words: "airstrikes attributed to GoS and Russian aircraft hit", "Jet strikes blamed on the Syrian regime hit"; not "struck facilities tied to attacks blamed on KH" after them: a target)


def _agent(mentions, s_lower, pos, limit=60):
    """The group after "by" that did it ("was bombed by the coalition"), not one that
    merely holds or backs something ("the last pocket held by IS")."""
    for m in mentions:
        if m.start >= pos and m.start - pos <= limit and (re.search(r"\bby\s+(?:the\s+|a\s+|an\s+)?$", s_lower[max(0, m.start - 8):m.start])
                                                          or _STRIKES_BLAMED_ON_BEFORE.search(s_lower, max(0, m.start - 40), m.start)  # ("Jet strikes blamed on the Syrian regime hit ..."; not "attacks blamed on KH")
                                                          or _BY_ALLIES_OF.search(s_lower, max(0, m.start - 60), m.start)) \
                and not re.search(r"\b(?:held|controlled|backed|supported|helped|assisted|escorted|covered|accompanied|led|run|manned|occupied|besieged|claimed|aided|used|shared|owned|built|set up|established|guarded|defended|garrisoned|frequented|housed|abandoned|evacuated|vacated|deserted|emptied|approved|authori[sz]ed|requested|sanctioned|condemned|denied|reported|confirmed|welcomed|coordinated)\s+by\s+(?:the\s+|a\s+|an\s+)?$", s_lower[max(0, m.start - 24):m.start]):
            return m
    return None


def _owner(mentions, s, start, end, noun_regex, setter_owns: bool = False):
    """The group that mans a checkpoint or runs a patrol: named just before the noun
    ("IS checkpoints", "an al-Hisbah patrol") or after it ("checkpoints manned by the SDF")."""
    nm = noun_regex.search(s, start, end + 1)
    if not nm:
        return None
    for m in reversed([x for x in mentions if x.end <= nm.start()]):
        between = s[m.end:nm.start()]
        if len(between) <= 25 and all(_OWNER_FILLER.fullmatch(w) for w in re.findall(r"[\w’'-]+", between)):
            return m
        if _AT_CHECKPOINT_GAP.fullmatch(between) and _HELD_BY_BEFORE.search(s, max(0, m.start - 40), m.start):
            return m  # ("hostages held by IS at a checkpoint", "screened by army intelligence at a checkpoint": the agent's post)
        break
    after = s[nm.end():nm.end() + 60].lower()
    mm = re.match(r"\s*(?:(?:are|is|were|was|being|now|still|mostly|largely|all)\s+)*(?:manned|run|operated|held|set up|erected|belonging|of|by)\s+(?:by\s+|to\s+)?(?:\w+\s+of\s+)?(?:the\s+|an?\s+)?"
                  r"(?:(?:apostate|rafidi|rafidhi|nusayri|crusader|safavid|so-called)\s+)?", after)  # ("a patrol of the apostate Iraqi army")
    if mm:
        for m in mentions:
            if nm.end() + mm.end() - 4 <= m.start <= nm.end() + mm.end():
                return m
    rel = _THAT_GROUP_SET_UP.match(after) if setter_owns else None
    if rel:
        # "dismantled the barricades and checkpoints that the armed groups had erected": theirs
        return next((m for m in mentions if m.start == nm.end() + rel.start("g")), None)
    poss = _ITS_NOUN_BEFORE.search(s, max(0, nm.start() - 30), nm.start()) if setter_owns else None
    prior = [m for m in mentions if m.end <= poss.start()] if poss else []
    if prior and prior[-1].value == "unknown":
        # "The SDF said a suicide bomber attacked its checkpoint": the group named before the
        # unnamed attacker, not the attacker
        return next((m for m in reversed(prior) if m.value not in ("unknown", "national_forces")), None)
    return None


_ITS_NOUN_BEFORE = re.compile(r"\b(?:its|their)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)


_THAT_GROUP_SET_UP = re.compile(r"\s*(?:(?:and|or)\s+(?:[\w-]+\s+)?(?:check\s?points?|roadblocks?|barricades?)\s+)?(?:that|which)\s+(?:the\s+)?(?P<g>[^,;.]{2,40}?)\s+(?:had\s+|have\s+|has\s+)?(?:set up|erected|manned|installed|built|established|put up|placed|run|ran|operated)\b")
_PEOPLE_RETURNED_BEFORE = re.compile(r"\b(?:men|fighters|gunmen|rebels|people|residents|families|members|youths|defectors|militants|hundreds|thousands|dozens)\b")
_TOWN_SUBJECT_GAP = re.compile(r"\s+(?:(?:has|have|had)\s+)?(?:(?:finally|now|officially|fully)\s+)?")
_FLAG_CEREMONY = re.compile(r"\b(?:ceremon\w*|anniversary|festival|before the match|during a visit|parade|inaugurat\w*|new term|holiday|evacuation day|angering|after a protest|during a protest|protesters)\b")
_FLAG_OVER_TOWN = re.compile(r"\s*(?:the\s+)?(?:(?:town|city|village|municipal\w*|government|citadel|castle|old city|central|main|ruins|last)\b|[a-z][\w-]*['’]s\b|(?-i:[A-Z])"
                             r"|(?:[\w-]+\s+){1,4}?(?:in|of)\s+(?-i:[A-Z]))", re.IGNORECASE)  # (also "over the al-Nuri mosque in Mosul", "over the stadium in Raqqa")
_ANY_MEN = re.compile(r"\b(?:" + _POST_MEN + r"|militants?|jihadists?|rebels?|gunmen|insurgents?|militiam[ae]n|officers?|conscripts?)\b")  # (a post's men, named by any side)
_ANOTHER_EVENT = re.compile(r"\b(?:separate|another|different)\b")
_INSURGENT_ADJECTIVE_BEFORE = re.compile(r"\b(?:an?|the|its|their|one|two|three|\d+|several)\s+(?:militant|jihadist|insurgent|terrorist|extremist)\s+$")
_POST_MEN_BEFORE = re.compile(r"\b(?:killing|killed|wounding|wounded|injuring|capturing|captured|took|taking|detaining|detained|abducting|abducted|seizing)\s+"
                              r"(?:(?:at\s+least|some|about|around|nearly|dozens\s+of|scores\s+of|several|a\s+number\s+of|all|most\s+of|\d+|[a-z]+(?:-[a-z]+)?)\s+)?(?:of\s+)?(?:the\s+|its\s+|their\s+)?$")
_FAMILY_NAME_SPEAKS_AFTER = re.compile(r"\s+(?:al|el|Al|El)-[A-Z][\w’'-]+(?:,\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:elder|leader|commander|spokesman|official|resident|activist|sheikh|member|fighter|chief|head|mukhtar|teacher|doctor|farmer)\b|\s+(?:said|says|told)\b)")
_AT_CHECKPOINT_GAP = re.compile(r"(?:\s+[\w-]+){0,2}?\s+at\s+(?:an?|the)\s+(?:[\w-]+\s+)?", re.IGNORECASE)
_HELD_BY_BEFORE = re.compile(r"\b(?:held|stopped|detained|screened|searched|checked|questioned|turned\s+back|harassed)\s+by\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?$", re.IGNORECASE)  # (not "killed by IS at a checkpoint": the attackers')


# Words that may stand between a group and its checkpoint: "an IS mobile checkpoint",
# "the regime's main checkpoint" (a verb between them means the group acts on it).
_OWNER_FILLER = re.compile(r"(?i:a|an|the|its|their|his|our|and|or|checkpoints?|patrols?|roadblocks?|new|main|permanent|temporary|mobile|makeshift|joint|"
                           r"military|security|police|religious|local|flying|fixed|foot|night|two|three|four|several|"
                           r"few|more|additional|extra|s|['’]s|[\w-]+-(?:run|manned|held|controlled|backed))|[A-Z][\w’'-]*")


_CHECKPOINT_NOUN = re.compile(r"check\s?points?|roadblocks?|road\s?blocks?|barricades?|(?:military|army|security) barriers?|hajez|hawajez", re.IGNORECASE)
_PATROL_NOUN = re.compile(r"patrol\w*", re.IGNORECASE)


_WHICH_CLAUSE_TIME = re.compile(r"\b(?:who|which)\b[^,;]*,")
_SOLIDARITY_BEFORE = re.compile(r"\b(?:in solidarity with|in support of|in protest (?:at|against|over)|in retaliation for|in revenge for|in response to)\s+(?:the\s+)?(?:(?:people|residents|events) (?:of|in)\s+)?$")
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?#?$")  # ("from #Kifri")
_TOOK_PLACE = re.compile(r"\W*(?:the|this|that|these|those|both)\s+(?:[\w-]+\s+)?(?:killings?|executions?|attacks?|assassinations?|strikes?|air\s?strikes?|raids?|bombings?|ambush|shootings?|incidents?)"
                         r"\s+(?:took place|happened|occurred|were carried out|was carried out)\b", re.IGNORECASE)
_NO_STRIKES = re.compile(r"\b(?:no|denied|denies|deny)\b[^.;]{0,30}\b(?:strikes?|raids?|air ?strikes?)\b", re.IGNORECASE)
_CLAUSE_AND = re.compile(r",\s+and\s+")
_WITHDREW_SOON = re.compile(r"(?:[\w’'-]+\s+){0,5}?(?:withdrew|fled|retreated|pulled out|escaped)\b")  # (a clause of others leaving)
_INTO_BEFORE = re.compile(r"\b(?:into|to|toward|towards|reach|reaches|reached|enter|enters|entered)\s+(?:the\s+)?$")
_LEFT_FOR_BEFORE = re.compile(r"\b(?:left|leave|leaves|leaving|departed|set off|set out|headed|heading|bound)\b[^,;.]{0,40}?\bfor\s+(?:the\s+)?$")
_WHICH_CLAUSE_OPEN = re.compile(r",\s*(?:which|who)\b[^,;]*")  # (to its comma or the sentence's end)
_WHICH_CLAUSE = re.compile(r",\s*(?:which|who)\b[^,;]*,")  # a description of what comes before it
_USED_TO_BEFORE = re.compile(r"\bused to\s+(?:[\w-]+\s+)?$")


def _in_aside_relative(lower: str, start: int, trig, matches) -> bool:
    """The trigger sits in a ", which ...," clause about its subject while the main clause
    has a trigger of the same indicator: the relative clause is background."""
    for c in _WHICH_CLAUSE.finditer(lower):
        if c.start() < start < c.end():
            return any(o is not None and o[2].indicator == trig.indicator and not (c.start() <= o[0] < c.end()) for o in matches)
    return False


_INTERCEPTED_BEFORE = re.compile(r"(?:\b(?:were|was|been)\s+(?:\w+\s+)?(?:destroyed|intercepted|killed|stopped|thwarted|blown up|detonated|foiled|repelled|repulsed|downed|shot down)"
                                 r"|\b(?:repelled|repulsed|stopped|intercepted|ambushed|destroyed|killed)\s+(?:the|them|it|him)\b)[^.;]{0,40}?\bbefore\s+(?:(?:they|it|he|the\s+(?!attackers|assailants|gunmen)\w+)\s+(?:could\s+)?)?$")  # (not "one fighter was killed before the attackers fled": others moved)
_DEAL_REACHED_BEFORE = re.compile(r"\b(?:agreement|deal|truce|ceasefire|cease-fire|understanding|settlement|accord|compromise|consensus)\s+(?:was|has been|had been|is|were|have been)\s+(?:finally\s+)?$")
_SUBJECT_GAP = re.compile(r"\)?(?:,\s*(?:the|a|an)\s[^,;]{1,60},)?(?:\s+[\w-]+){0,4}\s+")  # (", the strongest group in Idlib,": an apposition)


def _town_near_country(place: PlaceMention | None, places, lower: str) -> PlaceMention | None:
    """"crossed into Syria near Tal Abyad": the town where they crossed, not the country."""
    if place is None or place.place.kind != "country":
        return place
    border = _is_border(lower, place)  # ("reached the Syrian border west of Baaj", "... at Umm Jaris": the town places the border)
    near = next((p for p in places if place.end < p.start <= place.end + 40 and p.place.kind in ("town", "landmark")
                 and (_NEAR_PLACE_BEFORE.search(lower, max(0, p.start - 25), p.start)
                      or (border and p.place.name != p.place.admin1 and not _DISTANCE_BEFORE.search(lower, max(0, p.start - 45), p.start)
                          and (_DIRECTION_OF_BEFORE.search(lower[max(0, p.start - 45):p.start]) or lower.endswith(" at ", 0, p.start))))), None)
    # (not "the Syrian border 120 km west of Mosul" nor "north of Aleppo": a city that only gives the bearing)
    # ("rolled into Syria ... and drove Islamic State from the border town of Jarablus": the
    # town the same push took)
    took = next((p for p in places if p.start > place.end and p.place.kind in ("town", "landmark")
                 and _TOOK_TOWN_BEFORE.search(lower, place.end, p.start)), None) if near is None else None
    return near or took or place


_DISTANCE_BEFORE = re.compile(r"\d+\s*(?:km|kilometres|kilometers|miles)\b")
_TOOK_TOWN_BEFORE = re.compile(r"\band\s+(?:drove|pushed|expelled|ousted|seized|captured|took|entered|retook)\b[^.;]{0,60}$")


class _Movers(list):
    """The parties joined to a mover ("the army and the PMF"), and the count named with each
    ("3,000 army soldiers and more than 20,000 fighters of the PMF"), if any is."""

    def __init__(self, parties=()):
        super().__init__(parties)
        self.counts: dict = {}


_PARTY_COUNT_GAP = re.compile(r"\s+(?:[a-z]+\s+)?(?:(?:fighters|soldiers|troops|members|men|militiamen|personnel|units)\s+(?:of|from)\s+)?(?:the\s+)?")


def _party_counts(chain, quantities, lower) -> dict:
    """Each joined party's own count, right before its name ("3,000 army soldiers")."""
    counts = {}
    for x in chain:
        q = next((q for q in quantities if q.end <= x.start and _PARTY_COUNT_GAP.fullmatch(lower, q.end, x.start)), None)
        if q is not None:
            counts[x.value] = q
    return counts


def _each_mover(co_movers: _Movers, frames: list[tuple]) -> list[tuple]:
    """Frames for the first mover, repeated for each party joined to it (each with its own
    count where the text gives one per party)."""
    counts = co_movers.counts
    if counts:
        frames = [f[:6] + (counts.get(f[0]),) + f[7:] for f in frames]
        return frames + [(a,) + f[1:6] + (counts.get(a),) + f[7:] for a in dict.fromkeys(co_movers) for f in frames]
    return frames + [(a,) + tuple(f[1:]) for a in dict.fromkeys(co_movers) for f in frames]


_APPOSITION = re.compile(r",\s*(?:the|an?)\s[^,;()]{1,100},")
_IN_PREPOSITION_LIST_BEFORE = re.compile(r"\b(?:with|against|from|of|by)\s+(?:the\s+)?(?:[\w’'-]+\s+){1,6}(?:and|or)\s+(?:the\s+)?$")
_AMONG_THE_DEAD_WERE = re.compile(r"\W*among\s+(?:the|those)\s+(?:dead|killed|victims|civilians|casualties|fatalities|slain)\s+(?:were|was)\b", re.IGNORECASE)
_NEW_EVENT_START = re.compile(r"\W*(?:elsewhere|meanwhile|separately|in (?:a |another )?separate|in another|also on|earlier|later|on \w+day)\b", re.IGNORECASE)
_IN_LOCATOR = re.compile(r",?\s+in\s+(?:the\s+)?(?:(?:northern|southern|eastern|western|central)\s+)?")  # "Al-Qaim in Iraq", "Hit in western Anbar"
_RELATIVE_OPENER = re.compile(r",\s*(?:where|which|whose|who)\b")
_VIOLENCE_WORD = re.compile(r"kill|execut|massacr|attack|bomb|shell|strike|struck|behead|shot|murder|slaughter")


def _in_description_after(lower: str, end: int, x) -> bool:
    """A group named in a relative clause after the killing that tells of no violence: it
    describes a place ("48 in Tartus, where the regime's ally Russia keeps a naval base"); one
    that tells of violence ("the massacre at Camp Speicher, where IS executed 1,700 cadets")
    names the killers."""
    if x.start <= end:
        return False
    openers = list(_RELATIVE_OPENER.finditer(lower, end, x.start))
    return bool(openers) and not _VIOLENCE_WORD.search(lower, openers[-1].end(), _clause_end(lower, x.end))


_PEOPLE_TAKEN_BEFORE = re.compile(r"\b(?:soldiers|fighters|troops|members|men|civilians|people|prisoners|hostages|militants|officers|policemen|conscripts|recruits|cadets|residents|women|children|families|captives)\s+"
                                  r"(?:(?:that|whom?|which)\s+)?(?:it|they|he|she|the group|the militants|the jihadists)\s+(?:had\s+|has\s+|have\s+)?$")
_PEOPLE_CAPTURED_BEFORE = re.compile(r"\b(?:soldiers|fighters|troops|members|men|civilians|people|prisoners|hostages|militants|officers|policemen|conscripts|recruits|cadets"
                                     r"|many|most|some|dozens|hundreds|others|several)\s+(?:of them\s+)?(?:(?:were|was|had been|have been|being)\s+)?$")
_NO_OBJECT_AFTER = re.compile(r"\s*(?:[,.;:)]|$|(?:after|on|in|during|by|near|at|while|when|and|or|as|since|last|yesterday|earlier|alive|there)\b)")
_ATTACKERS_BEFORE = re.compile(r"\b(?:the|their)\s+(?:attackers|assailants|killers|gunmen|perpetrators|kidnappers|abductors)\s+(?:[\w\"“]+\s+){0,2}[\"“]?$")
_NON_PARTY_PRESENCE = re.compile(r"\b(?:un|u\.n\.|united nations|undof|unifil|unami|opcw|icrc|red crescent|red cross|aid|humanitarian|(?:un\s+)?observers?['’]?|monitors?['’]?)\s+(?:observer\s+|monitoring\s+|joint\s+)?(?:patrols?|checkpoints?)\b")
_THEY_START = re.compile(r"[\s\"“‘']*(?:they|it)\s+(?:(?:then|later|also|finally|subsequently|eventually|quickly)\s+)?[a-z]+(?:ed|ok|ew|zed)\b")  # "They seized", "It took"
_AND_VERB_BEFORE = re.compile(r"\band\s+(?:(?:have|has|had)\s+)?(?:then\s+|later\s+|also\s+|subsequently\s+|since\s+)?$")
_WHICH_THEY_BEFORE = re.compile(r",\s*(?:which|whom)\s+(?:they|it)\s+(?:had\s+|have\s+|has\s+)?(?:[a-z]+ly\s+)?$")
_DROVE_OUT_BEFORE = re.compile(r"\b(?:drove|driven|drive|drives|driving|expelled|expel|expels|expelling|ousted|oust|ousting|routed|evicted|chased|kicked|pushed|forced|forcing)\s+(?:out\s+)?(?:the\s+)?$")  # (their object: "rebels drove government forces out of Azaz")


_PARTICIPLE_POSSESSIVE_BEFORE = re.compile(r",\s+(?!during\b)[a-z]+ing\s+(?:their|its)\s+(?:[\w-]+\s+)?$")  # (", completing their takeover of")
_DECIDED_BEFORE = re.compile(r"\b(?:authori[sz]ed|authori[sz]ing|approved|approving|ordered|ordering|requested|requesting|called for|calling for|threatened|threatening)\s+(?:the\s+|new\s+|further\s+|more\s+)?(?:[\w-]+\s+)?$")
_ALONG_WITH_PLACES = re.compile(r",?\s*(?:along with|together with|as well as)\s+(?:the\s+)?(?:(?:nearby|neighbou?ring|adjacent|surrounding)\s+)?(?:(?:towns?|villages?|cit(?:y|ies)|districts?)\s+of\s+)?")
_CONTRAST_CLAUSE = re.compile(r",\s+(?:while|whereas|whilst)\s+(?!\w+ing\b)")


_HOLDER_ADJECTIVE_AFTER = re.compile(r"-(?:held|controlled|run|dominated|besieged)\b")

def _frames(trig: Trigger, s: str, lower: str, start: int, end: int, m, mentions, places, quantities, ctx, lex):
    """Role fillers for one trigger: a list of (actor, counterpart, manner, place, origin,
    destination, quantity[, change])."""
    contrast = _CONTRAST_CLAUSE.search(lower, end) if ", wh" in lower else None
    if contrast is not None:
        # "700 fighters left for Idlib, while 4,000 civilians were taken to a shelter at
        # Harjalleh": the contrasted clause's places are its own event's
        places = [p for p in places if p.start < contrast.start()]
    if trig.indicator == "troop_movement" and "-" in lower:
        # ("passing through government-held Khan Sheikhoun": who holds the town does not move)
        mentions = [mm for mm in mentions if not _HOLDER_ADJECTIVE_AFTER.match(lower, mm.end)]
    subject = _nearest_before(mentions, start, s=s)
    if subject is not None and trig.indicator in ("killing", "airstrike") and _speaks_before(lower, subject.end, start):
        # "The Iraqi government said 16 people were killed in the strikes": who speaks did not
        # strike (but "the Government of Iraq announced that Fallujah had been retaken": a
        # capture, like a checkpoint or a movement, is most often told by its own side)
        subject = None
    if subject is not None and "," in s[subject.end:start]:
        # "Peshmerga and Hashd forces, which drove the militants out of Jalawla, have set up a
        # checkpoint": the subject is before the relative clause, not inside it.
        rel = next((c for c in _RELATIVE_CLAUSE.finditer(s, 0, start) if c.start() < subject.start and c.end() <= start
                    and not s[c.end():start].strip(" ,").count(",")), None)
        if rel is not None:
            subject = _nearest_before(mentions, rel.start(), s=s) or subject
        else:
            # "Kataib Hezbollah, the Iran-backed militia targeted by American air strikes in
            # December, has set up two checkpoints": the subject is the group the apposition
            # describes, not a group inside it.
            appo = next((c for c in _APPOSITION.finditer(s, 0, start) if c.start() <= subject.start and c.end() <= start
                         and not s[c.end():start].count(",")), None)
            if appo is not None:
                head = _nearest_before(mentions, appo.start() + 1, s=s)
                if head is not None and head.end >= appo.start() - 1:
                    subject = head
    which_they = _WHICH_THEY_BEFORE.search(lower, max(0, start - 30), start) if subject is not None and ", wh" in lower else None
    if which_they is not None and subject.end <= which_they.start() and not any(
            re.fullmatch(r"\s*", lower[x.end:which_they.start()]) for x in mentions):  # (not "captured Tabqa from IS, which they had held": IS's)
        # "captured al-Qaryatayn from government forces, pushing west from Palmyra, which they
        # overran in May": "they" is the last group named as a subject, not one a preposition governs
        heads = [x for x in mentions if x.end <= which_they.start() and not _is_supporting(s, x)
                 and not _PREPOSITION_BEFORE.search(lower, max(0, x.start - 9), x.start)]
        subject = heads[-1] if heads else subject
    if subject is not None and _AND_VERB_BEFORE.search(lower, max(0, start - 20), start) \
            and (_PREPOSITION_BEFORE.search(lower, max(0, subject.start - 9), subject.start)
                 or _IN_PREPOSITION_LIST_BEFORE.search(lower, max(0, subject.start - 70), subject.start)):
        # "The Tiger Forces entered Kafr Nabudah after fighting with the National Front, and
        # took Qalaat al-Madiq": the verb after "and" shares the sentence's subject, not the
        # group the preposition governs (nor one of a fronted clause: "After the American
        # helicopters left, fighters of HTS, which controls the area, sealed off ... and set up")
        fronted = _FRONTED_CLAUSE.match(lower)
        heads = [x for x in mentions if x.end <= subject.start and not _is_supporting(s, x)
                 and (not _PREPOSITION_BEFORE.search(lower, max(0, x.start - 9), x.start) or _MEN_OF_BEFORE.search(lower, max(0, x.start - 24), x.start))
                 and not (fronted and x.end <= fronted.end())]
        subject = heads[0] if heads else subject
    elif subject is not None and _AND_VERB_BEFORE.search(lower, max(0, start - 20), start) and (
            _OWNED_TARGET_AFTER.match(lower, subject.end) or _DROVE_OUT_BEFORE.search(lower, max(0, subject.start - 20), subject.start)):
        # "fighters from Jabhat al-Nusra attacked army posts at the crossing and took it": the
        # attackers took it, not the owner of the posts they attacked ("Rebels drove government
        # forces out of Azaz, and have since set up their own checkpoints": the rebels')
        heads = [x for x in mentions if x.end <= subject.start and x.value != subject.value and not _is_supporting(s, x)
                 and not _OWNED_TARGET_AFTER.match(lower, x.end)]
        subject = heads[0] if heads else subject
    clause = _PARTICIPLE_CLAUSE_BEFORE.search(lower, max(0, start - 12), start) \
        if subject is not None and _ING.match(lower, start) else None
    if clause is not None:
        # "SDF announced the defeat of IS after taking Baghuz": who took it is the subject of
        # the clause before "after", not a group in its object ("of IS", "IS-held").
        heads = [x for x in mentions if x.end <= clause.start() and not _is_supporting(s, x)
                 and not _PREPOSITION_BEFORE.search(lower, max(0, x.start - 9), x.start)
                 and not _HELD_AFTER.match(lower, x.end)]
        if len(heads) > 1 and _COUNTED_NOUN_BEFORE.search(lower, max(0, heads[-1].start - 30), heads[-1].start):
            heads.pop()  # "IS executed 160 Syrian soldiers it captured after seizing the base": a counted object, not who seized it
        # ("The army captured the group's stronghold of Al-Shajara after taking Sahm al-Jawlan":
        # not the owner of what was taken)
        heads = [x for x in heads if not _POSSESSIVE_AFTER.match(s, x.end)] or heads
        subject = heads[-1] if heads else subject
    owning = _PARTICIPLE_POSSESSIVE_BEFORE.search(lower, max(0, start - 40), start) if subject is not None else None
    if owning is not None:
        # "IS fighters overran the government compound and the headquarters of the army's 8th
        # Brigade, completing their takeover of the city": "their" is the sentence's subject's
        heads = [x for x in mentions if x.end <= owning.start() and not _is_supporting(s, x)
                 and not _PREPOSITION_BEFORE.search(lower, max(0, x.start - 9), x.start)
                 and not _POSSESSIVE_AFTER.match(s, x.end) and not _SPEECH_AFTER.match(lower, x.end)]  # (not "The SDF said IS fighters ...")
        subject = heads[0] if heads else subject
    obj = _nearest_after([x for x in mentions if not _is_supporting(s, x)], end)
    agent = _agent(mentions, lower, end)
    context_actor = ctx.actor or ctx.main_actor
    if ctx.subject and _THEY_START.match(lower) and (subject is None or subject.start > start):
        # "... fighters from Nusra attacked army posts and took the crossing. They seized the town
        # on Sunday": the group the sentence before was about, not the last one it named
        context_actor = ctx.subject

    def pick(role):
        if role == "subject":
            return (agent or subject)
        if role == "object":
            return obj
        if role == "agent":
            return agent
        return None

    ind = trig.indicator
    if ind in ("checkpoint", "patrol") and _NON_PARTY_PRESENCE.search(lower, max(0, start - 25), end):
        return []  # "A UN patrol drove through the area": observers and aid workers are no party to the war
    if ind in ("checkpoint", "patrol"):
        noun = _CHECKPOINT_NOUN if ind == "checkpoint" else _PATROL_NOUN
        owner = _owner(mentions, s, start, end, noun, setter_owns=trig.change in ("removed", "attacked"))  # (not "the army now mans the checkpoints that the rebels had set up")
        if trig.actor_role == "subject":
            # (a checkpoint "set up by IS militants", "manned by the SDF": its own agent, not the sentence's subject)
            actor_m = (owner if owner is not None and owner.start > start else None) or subject or owner or agent
        elif trig.actor_role == "object":
            # "killed four policemen at a checkpoint": the policemen's; "SDF members killed by
            # IS at a checkpoint": the group named before, not the agent inside.
            inside = next((x for x in mentions if start < x.start < end and not _is_supporting(s, x)), None)
            if inside is not None and subject is not None and _BY_BEFORE.search(lower, max(0, inside.start - 25), inside.start):
                agent, inside = agent or inside, subject
            actor_m = owner or inside
        else:
            actor_m = owner or (subject if trig.change != "attacked" else None)
            if actor_m is None and trig.change != "attacked":
                # "The checkpoint is one of dozens the Hashd has manned": the group inside the phrase
                actor_m = next((x for x in mentions if start < x.start < end and not _is_supporting(s, x)), None)
            if actor_m is None and trig.change in ("removed", "decrease") and agent is not None and agent.start >= end:
                actor_m = agent  # ("3 checkpoints inside Afrin dismantled by the Sultan Murad Division": its own, no other owner named)
        attacker = agent or subject
        if actor_m is None and trig.change == "attacked" and subject is not None and subject.end <= start \
                and _PASSIVE_VICTIM_GAP.search(lower, subject.end, start) and _VICTIM_VERB_START.match(lower, start):
            # "A member of the Military Security branch was shot dead at a checkpoint ... by two
            # gunmen": the victim's own side mans it; the attackers are the agent, else unknown
            actor_m, attacker = subject, agent
            subject = None
        ours = next((x for x in mentions if x.text.lower().startswith("our ")), None) if " our " in lower[start - 1:end] else None
        if actor_m is None and trig.change == "attacked" and ours is not None:
            actor_m = Mention(start, start, ours.value, "")  # "mercenaries attacked one of our checkpoints": the statement's own
            if attacker is not None and attacker.value == ours.value:
                agent = subject = None
        if actor_m is None and trig.change == "attacked" and attacker is not None and _POSSESSIVE_NOUN.search(lower, start, end):
            if attacker.end <= start and not _CLAUSE_OPENER.search(lower, attacker.end, start):
                # "the PMF said IS fighters attacked one of its checkpoints": its owner is a group
                # other than the attackers (named before them, or the one in view)
                owner_m = next((x for x in reversed(mentions) if x.end <= attacker.start and x.value not in (attacker.value, "unknown")), None)
                owner_value = owner_m.value if owner_m else next((v for v in (ctx.actor, ctx.main_actor) if v and v != attacker.value), None)
            else:
                # "two heroes of the Federal Police who were martyred when a device targeted their patrol"
                owner_value = attacker.value
            if owner_value:
                actor_m = Mention(start, start, owner_value, "")
        if actor_m is None and ctx.insurgent and (nm := noun.search(s, start, end + 1)) and _INSURGENT_ADJECTIVE_BEFORE.search(lower, max(0, nm.start() - 30), nm.start()):
            actor_m = Mention(nm.start(), nm.start(), ctx.insurgent, "")  # "strikes destroyed a militant checkpoint": the insurgents' post
        if actor_m is None and trig.change == "attacked":
            # "gunmen attacked a checkpoint in Tafas, killing two soldiers", "seized checkpoints
            # ... and took dozens of soldiers prisoner": the post's men are its owners
            actor_m = next((x for x in mentions if x.start >= end and x.value != "unknown" and (attacker is None or x.value != attacker.value)
                            and _POST_MEN_BEFORE.search(lower, max(0, x.start - 45), x.start)
                            and _ANY_MEN.search(lower[x.start:x.end + 25])  # (men, not "capturing Hezbollah weapons stores")
                            and not _CLAUSE_END.search(lower, end, x.start) and not _ANOTHER_EVENT.search(lower, end, x.start)), None)
        told = None
        if actor_m is None and ctx.subject and ctx.sentences_read - ctx.subject_at <= 1 \
                and _ITS_NOUN.match(lower, start) or (actor_m is None and ctx.subject and ctx.sentences_read - ctx.subject_at <= 1
                                                      and _ITS_BEFORE.search(lower, max(0, start - 6), start)):
            # "HTS, meanwhile, has consolidated its rule. Its checkpoints still ring Idlib city":
            # the group the sentence before was about (not "Their checkpoints, set up by HTS, ...")
            if not re.search(r"\bby\s", lower[end:end + 40]):
                actor_m = Mention(start, start, ctx.subject, "")
        if actor_m is None:
            # "the patrols": those the report last told of; "fewer checkpoints than last year" in
            # the sentence after the army's checkpoints: the army's (or its patrols')
            told = ctx.owners.get(ind) if _DEFINITE_NOUN.search(lower, max(0, start - 20), end) else None
            recent = ctx.recent_owners or {}
            told = told or recent.get(ind) or recent.get("patrol" if ind == "checkpoint" else "checkpoint")
        # No owner named: the group the report is mostly about mans the checkpoints (but "the
        # patrols" are those the report just told of).
        actor = actor_m.value if actor_m else (told[0] if told else (ctx.main_actor or context_actor))
        counterpart = None
        if trig.change == "attacked":
            others = [x for x in (agent, subject, obj) if x is not None and (actor_m is None or x.start != actor_m.start)]
            counterpart = others[0].value if others else None
            if actor_m is None and counterpart == actor:
                actor = None
        if trig.change == "attacked" and counterpart is None and _VICTIM_VERB_START.match(lower, start) \
                and _CIVILIAN_SHOT_BEFORE.search(lower, max(0, start - 60), start) and not _ATTACK_WORD.search(lower) and not _ARMED_ATTACKERS.search(lower):
            return []  # "A civilian was shot dead at an army checkpoint": its guards shot him; no attack on it
        place = _event_place(trig, s, start, end, places, ctx)
        # "set up checkpoints inside Al-Mayadeen and Al-Quriyah": one observation per town.
        places_at = [place]
        if place is not None and place.role == "event" and place.place.kind in ("town", "landmark") and (
                place.start >= end or _CHECKPOINTS_IN.search(lower, max(0, place.start - 45), place.start)) \
                and not _BETWEEN_BEFORE.search(lower, max(0, place.start - 30), place.start):  # ("on the road between A and B": one event)
            # "set up checkpoints inside A and B", "IS checkpoints in A and B have dwindled"
            places_at = [p for p in _chain_from(places, s, place) if p.place.kind in ("town", "landmark")]
        unit = "checkpoints" if ind == "checkpoint" else "patrols"
        qty = _quantity_near(quantities, start, end, {unit})
        # "Turkish and Russian troops began joint patrols": one observation each.
        actors_ = [x.value for x in _conjoined(mentions, actor_m, s)] if actor_m is not None else list(told or [actor])
        joint = _JOINT_WITH.match(lower, end) if ind == "patrol" and "joint" in lower[max(0, start - 20):end] else None
        if joint is not None and actor_m is not None:
            # "Russian military police began joint patrols with Turkish troops": the partner patrols too
            partner = next((x for x in mentions if x.start == joint.end() and x.value != "unknown"), None)
            actors_ += [x.value for x in _conjoined(mentions, partner, s)] if partner is not None else []
        return [(a, counterpart, None, pl, None, None, qty) for a in dict.fromkeys(actors_) for pl in places_at]

    if ind == "airstrike":
        if _DECIDED_BEFORE.search(lower, max(0, start - 30), start):
            return []  # "Obama had authorised the strikes on Thursday night": a decision, not a strike
        if _STRIKES_PURPOSE_AFTER.match(lower, end):
            return []  # "The US strikes are intended to limit the advance of IS": what strikes are for, no strike
        told_striker = next((o.actor for o in reversed(ctx.strikes_told_last) if not o.negated and o.actor != "unknown"), None) \
            if trig.after_strike and ctx.sentences_read - ctx.strikes_told_at <= STRIKE_IN_VIEW else None
        targets_lay = trig.after_strike and _TARGETS_LAY.search(lower, start, end) is not None  # ("three of the targets were in X")
        # ("Among the towns hit were A, B and C", "Targets included A": the strikes' targets by name)
        listed = trig.after_strike and (lm := _TARGETS_LISTED.match(lower, start)) is not None \
            and (lm.group("noun") == "targets" or lm.group("verb") not in ("include", "included"))
        if targets_lay and not listed and not _TARGETS_NAMED_BEFORE.search(lower, max(0, start - 80), end):
            return []  # ("the main displacement sites were near Sarmada", "two were in Ariha by nightfall": no targets of the strike)
        if told_striker is None and targets_lay \
                and ctx.air_striker not in (None, "unknown") and ctx.sentences_read - ctx.air_striker_at <= 1:
            told_striker = ctx.air_striker  # ("U.S. jets struck five facilities in western Iraq and eastern Syria. Three of the targets were in ...")
        they = lower.startswith("they ", start)  # (the strikers told last, when no sentence since opened with another group)
        clause_end = _CLAUSE_END.search(lower, end)
        weapon = _GROUND_WEAPON.search(lower, start, clause_end.start() if clause_end else len(lower)) if they else _GROUND_WEAPON.search(lower)
        if trig.after_strike and (told_striker is None or weapon or (they and ctx.subject_since_strikes)
                                  or not (they or listed or _STRUCK_TARGET_BEFORE.search(lower, max(0, start - 70), end if targets_lay else start))):
            return []  # ("a checkpoint was struck" with no strike told just before, or by a shell or a mine)
        if subject is not None and _SPEAKER_OF_THE_STRIKES.match(s, subject.end) and (ctx.air_striker or ctx.striker) not in (None, "unknown", subject.value):
            subject = None  # "The Iraqi military said the strikes hit sites in Jurf al-Sakhar", after US strikes told: who tells, not who struck
        strikers = _strikers(mentions, s, start, end, agent, subject) if not trig.after_strike else [Mention(start, start, told_striker, "")]
        if not strikers and ":" in s[:end] and (label := _STATEMENT_LABEL.search(s, 0, end + 20)) is not None:
            # ("Coalition statement: aircraft struck ... near Bartella": the air force whose statement it is)
            strikers = [x for x in ctx.actors.find(s[:label.start(1)]) if x.end == label.start(1) and x.value in _FOREIGN_AIR_FORCES][:1]
        came_under = _CAME_UNDER_BEFORE.search(lower, max(0, start - 30), start) if strikers and agent is None else None
        if came_under is not None:
            # ("a Turkish military convoy ... came under an air raid near Heish": the convoy was
            # struck; but "came under Russian air strikes": the Russians struck)
            strikers = [x for x in strikers if x.start >= came_under.start()]
        clause_end = _CLAUSE_END.search(lower, end)
        believed = _BELIEVED_PARTY.search(s, start, clause_end.start() if clause_end else len(s)) \
            if not strikers and ("believ" in lower or "thought" in lower or "suspected" in lower) else None  # (in the strike's own clause)
        if believed and _adjective_party(lex, believed.group("adj").lower()):
            # "15 air strikes on the town, by warplanes they believe are Russian"
            strikers = [Mention(believed.start("adj"), believed.end("adj"), _adjective_party(lex, believed.group("adj").lower()), believed.group("adj"))]
        if not strikers and _THE_AIR_FORCE_BEFORE.search(lower, max(0, start - 20), end):
            # ("The air force bombed the town repeatedly": the country's own, where no other is named)
            country = next((p.place.country for p in places if p.role == "event" and p.place.kind in ("town", "landmark")), None) \
                or (ctx.focus.country if ctx.focus is not None else ctx.country)
            national = NATIONAL_FORCES.get(country)
            strikers = [Mention(start, start, national, "the air force")] if national else strikers
        if all(x.value == "unknown" for x in strikers) and (_BARE_AIRCRAFT_SUBJECT.search(lower, max(0, start - 25), start)
                                                          or _BARE_AIRCRAFT_TRIGGER.match(lower, start)) \
                and not _UNNAMED_AIRCRAFT_WORD.search(lower, max(0, start - 20), end):  # (not "unidentified aircraft")
            # "Coalition spokesman in Baghdad: aircraft carried out 14 strikes", "The coalition said
            # aircraft carried out 14 strikes": an air force that speaks of unnamed aircraft speaks of its own
            speaker = next((x for x in reversed(ctx.actors.find(s[:start])) if x.value in _FOREIGN_AIR_FORCES
                            and _AIR_FORCE_SPEAKS_AFTER.match(lower, x.end)), None)
            strikers = [speaker] if speaker is not None else strikers
        attributed = _ATTRIBUTED_TO.search(lower, end) if not strikers and "attributed to" in lower else None
        if attributed:
            # "between 120 and 150 airstrikes across Idlib, attributed to GoS and RU aircraft"
            first = next((x for x in mentions if x.start >= attributed.end() and x.start - attributed.end() <= 3), None)
            strikers = _conjoined(mentions, first, s) if first else strikers
        # "Syrian or Russian jets struck the hospital": one strike by either, whose striker the
        # report does not know (and the other is no target)
        alternatives = {x.value for st in strikers for x in mentions if x is not st and _is_alternative(s, st, x)}
        alternatives |= {st.value for st in strikers} if alternatives else set()
        if alternatives and len(strikers) == 1:
            strikers = [Mention(strikers[0].start, strikers[0].end, "unknown", strikers[0].text)]
        obj = None if obj is not None and obj.value in alternatives else obj
        target = obj if (obj and (not strikers or obj.value not in {x.value for x in strikers})) else None
        counterpart = target.value if target else None
        if counterpart is None:
            # "the YPG, backed by coalition airstrikes": the backed group is no target.
            backed = subject if subject is not None and _in_support_phrase(s, start) else None
            if backed is not None and _WITH_HELP_BEFORE.search(lower, max(0, start - 40), start) and mentions and mentions[0].start < backed.start:
                backed = mentions[0]  # "The army recaptured Palmyra from IS with the help of Russian strikes": the army is helped
            if (backed is None or backed.value in {y.value for y in strikers}) and strikers and mentions \
                    and mentions[0].value not in {y.value for y in strikers} and any(_is_supporting(s, x) for x in strikers):
                # "The SDF ... with heavy air support from the coalition, which has conducted hundreds of strikes"
                backed = mentions[0]
            cands = [x.value for x in mentions if x.value not in {y.value for y in strikers} | alternatives and x.value != "unknown"
                     and (backed is None or x.value != backed.value) and (backed is None or not _is_supporting(s, x))
                     and not _speaks_before(lower, x.end, start)]
            # None named in the sentence: the insurgents the report is about, whom strikes target
            # (not its main party, often the strikers' ally: "Russian jets struck ..." in a report
            # about the regime's offensive).
            striker_set = {y.value for y in strikers} | alternatives | ({ctx.striker} if not strikers and ctx.striker else set())
            counterpart = cands[0] if cands else next((a for a in (ctx.insurgent, ctx.main_actor) if a and a not in striker_set
                                                       and (backed is None or a != backed.value)), None)  # (nor the group the strikes back)
        targets = _strike_places(s, start, end, places, ctx)
        if len(targets) == 1 and targets[0] is not None and targets[0].role == "context":
            # "Coalition forces continued to attack ISIL in Iraq, conducting 11 strikes": the
            # country the sentence names, not the town in view (a release's total over the towns it lists)
            in_country = next((p for p in places if p.place.kind == "country" and p.role == "event"
                               and _IN_JUST_BEFORE.search(lower, max(0, p.start - 4), p.start)
                               and not (p.start > end and re.search(r"[,;]", s[end:p.start]))), None)  # (not an appositive's after the strikes: "..., the biggest against IS in Syria")
            targets = [in_country] if in_country is not None else targets
        qty = _quantity_near(quantities, start, end, {"strikes"})
        if len(targets) > 1:
            qty = None  # "14 strikes near Mosul, Tal Afar and Hit": a total, no town's count
        frames = []
        # "The strikes hit X": the striker named before in the report.
        air_striker = ctx.air_striker if ctx.sentences_read - ctx.air_striker_at <= AIR_STRIKER_IN_VIEW else None
        striker_values = [st.value for st in strikers] or [
            "unknown" if _UNIDENTIFIED_AIR.search(lower, max(0, start - 30), end + 30)
            # ("More than 40 barrel bombs fell on Zabadani": the state's helicopters drop them)
            else ("iraqi_forces" if ctx.country == "Iraq" else "syrian_government") if _barrel_bombs_told(lower, start, end)
            else ctx.striker or air_striker or "unknown"]  # ("unidentified warplanes": no one's)
        if striker_values == ["unknown"] and lower.startswith("strikes", start) and not _AIR_WORD.search(lower):
            return []  # ("12 strikes on Afrin" of no known air force, in no air word: shelling as likely)
        if striker_values == ["unknown"] and _BARE_RAID.match(lower, start) and not _AIR_WORD.search(lower, start, end) \
                and _GROUND_RAID_TOLD.search(ctx.previous_sentence or ""):
            return []  # ("the raid late on Thursday had targeted a cell", after "the service raided one of the group's sites": on the ground)
        named_air = next((st.value for st in strikers if st.value in AIR_FORCES and st.value != "unknown"), None)
        if named_air:
            ctx.air_striker, ctx.air_striker_at = named_air, ctx.sentences_read
            air_striker = named_air
        if not _AIR_WORD.search(lower, start, end) and not strikers and air_striker and striker_values[0] not in AIR_FORCES \
                and "strike" in lower[start:end]:
            # ("U.S. jets struck ... in eastern Syria, hours after a drone attack by a militia ...
            # The retaliatory strikes hit a depot in Deir ez-Zor": the air force's, not the militia's drone)
            striker_values = [air_striker]
        if not _AIR_WORD.search(lower, start, end) and (not any(v in AIR_FORCES for v in striker_values) or _GROUND_RAID.search(lower, start, end)):
            return []  # "the SDF carried out dozens of raids", "coalition troops raided a house": raids on the ground
        if _JOINT_RAID.search(lower, max(0, start - 40), end) and not _AIRCRAFT_NAMED.search(lower, max(0, start - 40), end):
            return []
        for value in striker_values:
            for pl in targets:
                frames.append((value, counterpart, None, pl, None, None, qty))
        return frames

    if ind == "killing":
        if _PICTURES_OF_BEFORE.search(lower, max(0, start - 60), start):
            return []  # ("residents holding pictures of fighters killed in the Turkish offensive": the dead of before, no killing told)
        if not quantities and _FIGURES_FOR_BEFORE.search(lower, max(0, start - 60), start):
            return []  # ("does not publish figures for soldiers killed by the ALF": no count, no killing told)
        return _killing_frames(trig, s, lower, start, end, m, mentions, places, quantities, ctx, lex, subject, agent)

    if ind == "troop_movement":
        getaway = _ATTACKERS_BEFORE.search(lower, max(0, start - 40), start)
        attack = _words_re(lex.words, "attack_verbs", r"(?:\s+(?:[\w’'-]+\s+){0,3}?)?(?:@@)\b") if getaway else None
        attackers = [x for x in mentions if getaway and x.end <= getaway.start() and x.value in INSURGENTS and attack.match(s, x.end)]
        if getaway and not attackers and ctx.previous_attacker in INSURGENTS and not lower[:getaway.start()].strip(" ,\"'“‘"):
            # ("ISIS militants attacked an army post near Al-Riyadh. The attackers withdrew toward
            # the Wadi al-Shay valley": the insurgents the sentence before told attacking)
            attackers = [Mention(getaway.start(), getaway.end(), ctx.previous_attacker, s[getaway.start():getaway.end()])]
        if getaway and not attackers:
            return []  # "the attackers fled", "the killers fled on a motorcycle": an attack's getaway, no force moving
        if _UNKNOWN_GETAWAY.search(lower, max(0, start - 160), start):
            return []  # "unknown gunmen shot dead an SDF member ..., and fled": their getaway
        if trig.change == "departure" and lower.endswith("ing", start, start + lower[start:end].find(" ") if " " in lower[start:end] else end) \
                and lower.endswith((" from", " out of"), start, end) and _ARRIVED_AFTER_FROM.match(lower, end):
            return []  # ("A column of 30 army vehicles travelling from Homs reached Palmyra": where it came from, told with the arrival)
        # ("IS militants attacked a checkpoint ...; one fighter was killed before the attackers
        # fled into the desert": the group that attacked withdrew)
        mover = attackers[0] if attackers else _mover(s, lower, start, end, mentions, subject, lex, ctx.insurgent)
        carried = next((x for x in mentions if start < x.start < end and x.value not in ("unknown", "national_forces")), None) \
            if _CARRIER_VERB.match(lower, start) else None
        if carried is not None:
            mover = carried  # ("US aircraft ferried Iraqi special forces troops into Baghdadi": the troops carried)
        if _GERUND_CLAUSE_BEFORE.search(lower, max(0, start - 10), start) and lower[start:end].endswith("ing"):
            # "IS executed residents before leaving": the one leaving is the main subject.
            named = [x for x in mentions if x.start < start and not _is_supporting(s, x)] or \
                [x for x in mentions if x.start > end and re.match(r"\s*,", s[end:end + 30])]
            mover = named[0] if named else mover
        if mover is False and ctx.last_mover is not None and ctx.sentences_read - ctx.last_mover[0] <= 3 \
                and _THE_CONVOY_BEFORE.search(lower, max(0, start - 50), start) and not _AFTER_THE_CONVOY_BEFORE.search(lower, max(0, start - 60), start):
            # ("The buses passed through Palmyra", after buses carrying IS fighters left Qara:
            # theirs, below; but "since the first buses departed on Wednesday" only tells when)
            mover = None
        if mover is False and ctx.subject and ctx.sentences_read - ctx.subject_at <= 1 and _PRONOUN_MOVER.fullmatch(lower, 0, start) \
                and not _CIVILIAN_MOVERS.search(lowercase(ctx.previous_sentence or "")) \
                and not (lower.lstrip(" \"“‘'").startswith("they") and _PEOPLE_NOT_FORCES.search(lowercase(ctx.previous_sentence or ""))) \
                and not _MOVED_THINGS_AFTER.match(lower, start + len(lower[start:end].split(" ", 1)[0])):
            # (not "They later moved him to Idlib prison", "It then moved the weapons", nor
            # "Rebel leaders met Russian officers. They then returned to Tafas")
            # "The Fourth Division appears to be stepping back. Last week it pulled its remaining
            # units out of ...": the group the sentence before was about moves
            mover, context_actor = None, ctx.subject
        if mover is False:
            return []
        actor = mover.value if mover else context_actor
        if mover is None and actor in INSURGENTS and _AIRLIFTED.search(lower, start, end + 5):
            # ("A military source said reinforcements had been flown into the city's military
            # airport": only a state flies its troops in)
            actor = _default_soldiers("soldiers", ctx) or actor
        if mover is None and ctx.last_mover is not None and ctx.sentences_read - ctx.last_mover[0] <= 3 \
                and _THE_CONVOY_BEFORE.search(lower, max(0, start - 50), start):
            actor = ctx.last_mover[1]  # ("A convoy carrying Nusra Front fighters left Arsal ... The convoy passed through Qara": theirs)
        # "Army units and Hashd volunteers reached Tikrit": a movement for each party
        chain = _conjoined(mentions, mover, s) if mover else []
        co_movers = _Movers(x.value for x in chain if x.value not in ("unknown", actor)) \
            if chain and _SUBJECT_GAP.fullmatch(lower, chain[-1].end, start) else _Movers()  # (the chain is the trigger's own subject)
        if co_movers:
            co_movers.counts = _party_counts(chain, quantities, lower)
        if (mover is None or mover.value == "unknown" or (mover.value in STATE_FORCES and _DEAL_BROKERED_BETWEEN.search(lower, mover.end, start))) \
                and (actor in (None, "unknown") or actor in STATE_FORCES | {"iran_backed_militias"}) \
                and _REJECTED_DEAL.search(lower, max(0, start - 160), start):
            # (also "Russian officers brokered a deal under which 21 fighters who rejected the
            # settlement were ... sent north": the brokers do not move)
            # "Dozens of local fighters who rejected the settlement left Daraa al-Balad": the rebels
            # a settlement with the state is made with, whoever else the report names
            actor = "opposition"
        elif mover is None and actor in STATE_FORCES and ctx.insurgent and (
                (_INSURGENT_NOUN.search(lower, max(0, start - 80), start) and not _STATE_NOUN.search(lower, max(0, start - 80), start))
                or (_CARRYING_INSURGENTS.match(lower, end) and not _STATE_NOUN.search(lower, end, end + 80))):
            actor = ctx.insurgent  # "4,000 fighters and their families were bused out": the rebels, not the last state named
        held = _HELD_DESTINATION_AFTER.match(lower, end) if mover is None and "-held" in lower else None
        holder = next((v for x in ctx.actors.find(s[held.start("g"):held.end("g")])
                       if (v := _group_code(x.value, ctx)) not in (None, "unknown", "national_forces")), None) if held else None
        if holder is not None:
            actor = holder  # ("about 2,200 people, among them some 400 fighters, left Madaya for rebel-held Idlib": rebels go where rebels hold)
        # ("crossed from the Baghouz area into Iraq": the origin inside the trigger's own words)
        origin = _place_after(places, s, start if lower.startswith(("crossed from", "crossing from"), start) else end,
                              r"(?:from|out of|left|leaving|abandoned|withdrew from|withdrawn from|pulled out of|fled)", floor=start)
        change = trig.change
        # Where they went: "toward X"; on arrival also "in X", "at X".
        dest = _place_after(places, s, end, r"(?:to|toward|towards|into|for|in the direction of|reach|reached|entered)"
                            + (r"|in|at|near" if change in ("arrival", "redeployment") else ""), floor=start)
        if change == "arrival" and dest is None and _TO_TERRAIN_AFTER.match(lower, end) \
                and not any(p.role == "event" and p.start >= end for p in places):
            return []  # ("IS cells have returned to the desert": into no town, not into the one in view)
        if change == "departure" and dest is None:
            # "withdrew on Sunday toward the desert south of the city and across the river toward
            # the villages of Al-Susah": where they went may come later in a departure's clause
            dest = _place_after(places, s, end, r"(?:toward|towards|in the direction of|bound for|heading for|headed for|en route to|on (?:their|its|the) way to)"
                                # ("sent a convoy of around 30 vehicles carrying troops and armour from Ceylanpinar into Ras al-Ain")
                                + (r"|to|into" if _SENDING.match(lower, start) else ""), limit=150, floor=start)
        if change == "departure" and mover is None and actor in (None, "syrian_government", "iran_backed_militias") and dest is not None and dest.place.admin1 == "Idlib" \
                and _INSURGENT_NOUN.search(lower, max(0, start - 80), start) and not _STATE_NOUN.search(lower, max(0, start - 80), start):
            # ("Around 620 people, among them 260 gunmen, left Moadamiyeh aboard buses heading for
            # the northern province of Idlib": the rebels' last province takes rebels, not the state's men)
            actor = "opposition"
        if change == "transit" and dest is not None and _RIVER_CROSSED.search(lower, start, end) \
                and _ON_THEIR_WAY.search(lower, end, dest.start):
            return []  # "crossed the Euphrates by boat and headed toward Anah": on their way, told by the departure
        if change == "transit" and dest is None and origin is not None and origin.place.kind in ("town", "landmark") \
                and 0 <= origin.start - end <= 12 and _RIVER_CROSSED.search(lower, start, end):
            # "crossed the Tigris from Sharqat": they left Sharqat (the river is no town they passed)
            return _each_mover(co_movers, [(actor, None, None, origin, None, None, _movers_count(quantities, lower, start, end), "departure")])
        if change == "departure":
            # "left Raqqa": Raqqa is the origin; "heading toward Iraq": Iraq is not.
            towards = re.search(r"\b(?:to|toward|towards|for|into)$", m.group(0).lower())
            direct = None if towards else _direct_object_place(places, s, end)
            origin = origin or direct or _place_before_departure(places, s, start)
            if origin is None and dest is not None:
                # Where they left is not where they went ("toward A, B and C"): choose
                # among the other places.
                chain = {p.place.place_id for p in _chain_from(places, s, dest)}
                # ("escaped toward Brigade 93 near Ain Issa": nor the town of the place they went to)
                chain.add(ctx.gaz.landmark_towns.get(dest.place.place_id) if ctx.gaz is not None else None)
                # (nor its province: "bound for Jarablus in the north of Aleppo governorate")
                others = [p for p in places if p.place.place_id not in chain
                          and not (p.place.kind == "admin1" and p.place.name == dest.place.admin1 and p.start > dest.start)]
                place = _event_place(trig, s, start, end, others, ctx)
            else:
                place = origin or _event_place(trig, s, start, end, places, ctx)
            if origin is None and place is not None and place.end <= start and _FROM_BEFORE.search(s, max(0, place.start - 12), place.start) \
                    and _CLAUSE_AND.search(s, place.end, start):
                # ("Reinforcements arrived from Baghdad ..., and the remaining attackers
                # withdrew toward the desert": another clause's origin, not where they left)
                place = _event_place(trig, s, start, end, [p for p in places if p is not place and (dest is None or p is not dest)], ctx)
            if dest is not None and place is not None and dest.place.place_id == place.place.place_id \
                    and not (place.role == "context" and _SENDING.match(lower, start)):
                dest = None  # (but "Turkey sent a convoy into Idlib" after a sentence about Idlib: sent where it went)
            if origin is not None and place is origin and origin.start >= end and origin.place.kind in ("town", "landmark"):
                # "IS fighters withdrew from Jarablus and al-Rai": a departure from each.
                chain = [p for p in _chain_from(places, s, origin) if p.place.kind in ("town", "landmark")
                         and (dest is None or p.place.place_id != dest.place.place_id)]
                # ("set off from Akashat in the southern desert and from Anah on the Euphrates": from each)
                chain += [p for p in places if origin.end < p.start <= origin.end + 80 and p.place.kind in ("town", "landmark")
                          and _AND_FROM_BEFORE.search(s, max(0, p.start - 20), p.start) and not re.search(r"[.;]", s[origin.end:p.start])
                          and (dest is None or p.place.place_id != dest.place.place_id) and not any(p is q for q in chain)]
                if len(chain) > 1:
                    qty = _movers_count(quantities, lower, start, end)
                    return _each_mover(co_movers, [(actor, None, None, pl, None, dest, qty) for pl in chain])
            sent_near = next((p for p in places if end < p.start <= end + 60 and _NEAR_PLACE_BEFORE.search(lower, max(0, p.start - 25), p.start)), None) \
                if origin is None and dest is None else None
            if origin is None and _SENDING.match(lower, start) and (dest is not None or sent_near is not None or ctx.unknown_place_named == "destination"
                                                                    or _TO_THE_TOWN_AFTER.match(lower, end) or _TO_HOLD_IT_AFTER.match(lower, end)):
                # "Hezbollah sent hundreds of fighters to Aleppo", "sent reinforcements near
                # Al-Qaim": they arrived where they were sent (a village we do not know: its
                # province, as for any event there).
                qty = _quantity_near(quantities, start - 80, end + 60, {"vehicles", "fighters"})
                if dest is not None and _HEADING_TOWARDS_BEFORE.search(lower, max(0, dest.start - 60), dest.start):
                    # "Its fighters were sent the same day toward the front at Deir ez-Zor airport":
                    # not there yet (README: "sent ... toward X" is a departure), from the town
                    # the sentence puts them in, else the one in view; none: no observation
                    here = next((p for p in places if p.end <= start and p.role == "event" and p.place.kind in ("town", "landmark")
                                 and p.place.place_id != dest.place.place_id), None) or ctx.town or ctx.event_place
                    if here is None or here.place.kind not in ("town", "landmark") or here.place.place_id == dest.place.place_id:
                        return []
                    return _each_mover(co_movers, [(actor, None, None, replace(here, role="context") if here.role != "event" else here, None, dest, qty, "departure")])
                if dest is not None and dest.place.kind == "country" and actor in INSURGENTS \
                        and _COUNTRY_PART_BEFORE.search(lower, max(0, dest.start - 40), dest.start):  # (not "Ankara sent troops into northern Syria": from Turkey; nor "sent to Libya")
                    # "21 fighters ... were put on buses and sent to the opposition-held north of
                    # Syria": they left the town the sentence is about, for that country's part
                    here = next((p for p in places if p.end <= start and p.role == "event" and p.place.kind in ("town", "landmark")), None) \
                        or ctx.town or ctx.event_place
                    if here is not None and here.place.kind in ("town", "landmark"):
                        return _each_mover(co_movers, [(actor, None, None, replace(here, role="event"), None, dest, qty, "departure")])
                return _each_mover(co_movers, [(actor, None, None, dest or sent_near or _event_place(None, s, start, end, places, ctx), None, None, qty, "arrival")])
            if origin is None and _SENDING.match(lower, start) and _SENT_TO_UNNAMED_AFTER.match(lower, end):
                return []  # ("PMF units rushed reinforcements to the stretch of highway": sent from nowhere told to a place we do not know)
        elif change in ("arrival", "redeployment"):
            later_clause = _CLAUSE_AND.search(s, end)
            if later_clause and not (dest is not None and dest.start < later_clause.start()) \
                    and _WITHDREW_SOON.match(lower, later_clause.end()):
                # ("arrived from Baghdad ..., and the attackers withdrew toward the desert": where others went)
                dest = None
                places = [p for p in places if p.start < later_clause.start()]
            direct = _direct_object_place(places, s, end)
            if origin is None and change == "arrival":
                # "Reinforcements from Salamiyah reached the village": they came from Salamiyah
                origin = next((p for p in reversed(places) if p.end <= start and _FROM_BEFORE.search(s, max(0, p.start - 12), p.start)
                               and not re.search(r"[.;,]", s[p.end:start])), None)
            # "arrived from al-Shaafa to reinforce the town": the origin is not where they arrived
            # ("drove in from Qamishli and Ras al-Ain": nor is any other place of the origin's list)
            left = _chain_from(places, s, origin) if origin is not None else []
            others = [p for p in places if not any(p is q for q in left)
                      and not (origin is not None and p.place.kind in ("country", "admin1") and _IN_LOCATOR.fullmatch(s, origin.end, p.start))]  # ("from Al-Qaim in Iraq")
            # ("Peshmerga units arrived from Erbil; a CTS unit was flown in from Baghdad": another
            # clause's origin is not where they arrived either)
            # ("airlifted reinforcements from Damascus into the airport": an origin inside the trigger's words)
            others = [p for p in others if not (start <= p.start < end and _FROM_BEFORE.search(s, max(0, p.start - 12), p.start))]
            if origin is not None:
                origins = [q for p in others if _FROM_BEFORE.search(s, max(0, p.start - 12), p.start)
                           and not _DISTANCE_FROM_BEFORE.search(s, max(0, p.start - 30), p.start)  # (not "at a base 10 km from Ramadi")
                           for q in _chain_from(places, s, p)]
                others = [p for p in others if not any(p is q for q in origins)]
            if change == "arrival" and dest is None and direct is None and lower.startswith(("returned to ", "returning to ", "went back to "), start) \
                    and _HOME_BASES_AFTER.match(lower, end):
                return []  # ("pulled out of Kobani and returned to the Kurdistan region": a place we cannot put, not the town they left)
            place = dest or direct or _event_place(trig, s, start, end, others, ctx)
            if change == "arrival" and place is not None and place.place.kind == "country":
                # "re-entered Syria via the Bab al-Salama crossing to reinforce Azaz": the town they came to hold
                held = next((p for p in places if p.start > end and p.place.kind in ("town", "landmark") and p.place.country == place.place.name
                             and _TO_REINFORCE_BEFORE.search(lower, max(0, p.start - 30), p.start)
                             and not re.search(r"[.;]", lower[end:p.start])), None)
                place = held or place
            if change == "redeployment" and dest is not None and place is dest and _HEADING_TOWARDS_BEFORE.search(lower, max(0, dest.start - 30), dest.start):
                # "fighters moved north toward Shirqat": on their way, not there; they left where they were
                # (where they were: named before the verb, not a place that only locates the
                # destination, "toward Tal Afar, west of Mosul"; none named: the town in view)
                candidates = [p for p in others if p is not dest and not _is_locator(s, p, places)]
                left_from = origin or _event_place(trig, s, start, end, candidates, ctx)
                if left_from is None or left_from.place.place_id == dest.place.place_id:
                    return []
                qty = _movers_count(quantities, lower, start, end)
                return _each_mover(co_movers, [(actor, None, None, left_from, None, dest, qty, "departure")])
            if dest is None and direct is None and _IT_OBJECT.match(lower, end):
                # "fighters left Dumayr for Jarablus, and government troops entered it": the town
                # named before, not where others went
                place = next((p for p in reversed(others) if p.end <= start and p.place.kind in ("town", "landmark")
                              and not _HEADING_TOWARDS_BEFORE.search(lower, max(0, p.start - 25), p.start)
                              and not _TOWARDS_BEFORE.search(lower, max(0, p.start - 30), p.start)), place)
            if dest is None and direct is None and change == "arrival" and _PART_OF_TOWN_OBJECT.match(lower, end) \
                    and (place is None or place.start > end + 40 or place.place.kind == "country"):
                # "Dozens of IS fighters entered the eastern districts at dawn, ... after crossing
                # from the Turkish side": a part of the town named before, else of the one in view
                town = [p for p in others if p.end <= start and p.place.kind in ("town", "landmark")]
                place = town[-1] if town else (replace(ctx.town, role="context") if ctx.town is not None else place)
            place = _town_near_country(place, others, lower)
            if place is not None and place.place.kind == "country" and origin is None and change == "redeployment":
                # "dismantled its checkpoints in Abu Kamal and moved fighters across the frontier
                # into Iraq": they left the town the sentence is about for another country
                origin = next((p for p in reversed(others) if p.end <= start and p.place.kind in ("town", "landmark")
                               and not _is_locator(s, p, places)), None)
            if place is not None and place.place.kind == "country" and origin is not None and origin.place.kind in ("town", "landmark"):
                # "crossed into Iraq from al-Shaddadi": a town left for another country
                qty = _movers_count(quantities, lower, start, end)
                return _each_mover(co_movers, [(actor, None, None, origin, None, place, qty, "departure")])
            if place is not None and (place is direct or place is dest) and place.place.kind in ("town", "landmark"):
                # "entered Busra al-Sham and Tafas": an arrival in each
                chain = [p for p in _chain_from(places, s, place) if p.place.kind in ("town", "landmark")
                         and (origin is None or p.place.place_id != origin.place.place_id)]
                if len(chain) > 1:
                    qty = _movers_count(quantities, lower, start, end)
                    return _each_mover(co_movers, [(actor, None, None, pl, origin, None, qty) for pl in chain])
            if change == "redeployment" and origin is not None and dest is not None and place is dest \
                    and _HEADING_TOWARDS_BEFORE.search(lower, max(0, dest.start - 25), dest.start):
                # "moved fighters from Hit towards Ramadi": they left Hit, heading for Ramadi
                return _each_mover(co_movers, [(actor, None, None, origin, None, dest, _movers_count(quantities, lower, start, end), "departure")])
            if change == "redeployment" and origin is not None and dest is None and direct is None \
                    and (place is None or place.role != "event" or (place.start > origin.end and _PURPOSE_CLAUSE.search(s, origin.end, place.start))):
                # (and "moved south from their base at Ain Issa on Tuesday, launching an offensive to
                # clear IS from the countryside north of Raqqa": the purpose's place is not where they went)
                # "units moved north on Monday from Qayyarah": a departure from the one place named
                return _each_mover(co_movers, [(actor, None, None, origin, None, None, _movers_count(quantities, lower, start, end), "departure")])
            if origin is not None and place is not None and origin.place.place_id == place.place.place_id:
                origin = None
            dest = None
        else:
            into = lower[start:end].endswith("into")  # "crossed into X": X is where they went
            through = _place_after(places, s, end, r"(?:through|via|across)") or (None if into else _direct_object_place(places, s, end))
            if through is None and dest is not None:
                # "crossed into Iraq from al-Shaddadi": a departure from the town named; "crossed
                # into Idlib": an arrival there.
                dest = _town_near_country(dest, places, lower)
                qty = _movers_count(quantities, lower, start, end)
                if origin is None and dest.place.kind == "country":
                    # "fighters had crossed into Syria toward Albu Kamal" in a report about Al-Qaim:
                    # they left the town in view for the other country
                    here = ctx.event_place or ctx.town
                    if here is not None and here.place.kind in ("town", "landmark") and here.place.country != dest.place.name:
                        origin = replace(here, role="context")
                if origin is not None and origin.place.place_id != dest.place.place_id and (
                        dest.place.kind in ("country", "admin1") or _HEADING_TOWARDS_BEFORE.search(lower, max(0, dest.start - 40), dest.start)):
                    return _each_mover(co_movers, [(actor, None, None, origin, None, dest, qty, "departure")])
                # ("a convoy of IS vehicles crossed into the city from Al-Qaim": they arrived in the town)
                return _each_mover(co_movers, [(actor, None, None, dest, origin if origin is not None and origin.place.place_id != dest.place.place_id else None,
                                                None, qty, "arrival")])
            place = through or _event_place(trig, s, start, end, places, ctx)
            chain = [p for p in _chain_from(places, s, through) if p.place.kind in ("town", "landmark")] if through is not None else []
            if len(chain) > 1:  # "passing through Al-Quriyah and Al-Mayadin": through each
                qty = _movers_count(quantities, lower, start, end)
                return _each_mover(co_movers, [(actor, None, None, pl, origin, dest, qty) for pl in chain])
        qty = _movers_count(quantities, lower, start, end)
        return _each_mover(co_movers, [(actor, None, None, place, origin if change != "departure" else None, dest, qty)])

    if ind == "control_change":
        if lower[start:end] in _TOLD_CHANGE_NOUNS and lower.endswith(("the ", "this ", "that ", "its "), 0, start) \
                and not _OF_AFTER.match(lower, end):
            return []  # "The recapture opens the road between Khanaqin and Baghdad": the change just told, no new one
        if lower[start:end] in ("recaptured", "captured", "liberated", "seized", "retaken", "newly captured", "newly liberated") \
                and re.search(r"\b(?:the|its|their)\s+(?:newly\s+|recently\s+)?$", lower[max(0, start - 14):start]):
            return []  # "began patrolling the recaptured Tamim and Hawz districts": the change told before, an adjective now
        if _CAME_TO_DO_BEFORE.search(lower, max(0, start - 120), start):
            return []  # "arrived in Tarmiyah from Baghdad on Monday to take charge of security": what they came for
        # Only a place changes hands: "seized citizens' homes" is not a control change.
        place = _control_place(s, lower, start, end, places, ctx, lex)
        if trig.change == "contested" and place is None:
            # "Control of Hajin had been contested since 10 September"; "control of the
            # cemetery area remains contested" (a part of the report's town).
            named = next((p for p in places if p.role == "event" and re.search(r"\bcontrol of\s+(?:the\s+)?$", lower[max(0, p.start - 20):p.start])), None)
            place = named or (replace(ctx.event_place, role="context") if ctx.event_place else None) or (
                PlaceMention(0, 0, ctx.focus, ctx.focus.name, False, "context") if ctx.focus else None)
        if place is None:
            return []
        # "IS seized Rawa, Anah and Al-Qaim": three changes of hands.
        places_taken = [place]
        if place.start >= end and place.role == "event":
            places_taken = [p for p in _chain_from(places, s, place) if p.place.kind != "country"]
            places_taken = [p for p in places_taken if not _is_locator(s, p, places)] or places_taken  # ("the Daraa town of Sheikh Miskin")
            along = _ALONG_WITH_PLACES.search(s, places_taken[-1].end, min(len(s), places_taken[-1].end + 90))
            head = next((p for p in places if along and p.start == along.end() and p.place.kind in ("town", "landmark")), None)
            if head is not None and not re.search(r"[.;]", s[places_taken[-1].end:along.start()]):
                # "seized Qaraqosh, Iraq's largest Christian town, overnight on Wednesday, along
                # with the nearby towns of Tal Kayf, Bartella and Karamlis": those too
                places_taken += [p for p in _chain_from(places, s, head) if p.place.kind in ("town", "landmark")]
        elif place.end <= start and place.role == "event":
            # "Jandairis and Rajo had fallen to ...": every town of the list before the verb
            places_taken = [p for p in _chain_to(places, s, place) if p.place.kind != "country"]
        tl = m.group(0).lower()
        if (tl.startswith(("been", "remained", "remains", "stayed")) and tl.endswith(("hands", "control"))) or (
                tl.startswith(("came", "comes", "come", "fell", "returned", "returns", "reverted", "passed", "went", "restoration", "return of", "extension"))
                and re.search(r"\b(?:control|rule|authority)\b", tl) and "control of" not in tl):
            # ("Douma came under government control", "the restoration of the Syrian government's control over Douma")
            # "had been in rebel hands since August 2012", "remained under IS control since 2014"
            holder = next((x.value for x in mentions if start <= x.start < end), None)
            if holder is None and tl.startswith(("came", "comes", "come", "returned", "returns", "reverted", "went")) and tl.endswith(("control", "rule")):
                holder = _adjective_party(lex, tl.rsplit(None, 2)[-2])  # ("came back under government control")
            return [(holder, None, None, pl, None, None, None) for pl in places_taken] if holder else []
        now_held = (("control" in tl or "hands" in tl) and (tl.startswith(("is now", "was now", "are now", "were now"))
                                                            or _BACK_IN_HANDS.match(tl) is not None)) \
            or _FULLY_UNDER_CONTROL.match(tl) is not None  # ('Ras al-Ain was "fully under the control" of Turkish forces')
        if now_held and (_WHETHER_BEFORE.search(lower, max(0, start - 60), start) or _HELD_SINCE_AFTER.match(lower, end)
                         or _YEARS_AFTER_BEFORE.search(lower, 0, start)):
            return []  # "It is unclear whether Ras al-Ain is now under the control of the SNA"; "..., as it has been since 2016": no change
        if now_held and tl.endswith("hands") and _FATE_OF_BEFORE.search(lower, max(0, place.start - 30), place.start):
            return []  # "The fate of Afrin is now in Turkish hands": what is in their hands is no town
        if now_held and tl.endswith(("control", "hands")):
            # "Ras al-Ain is now under Turkish control": the holder the words name ("The spring
            # is now in their hands": the group the sentence names before, else the one the
            # sentence before was about)
            said_by = next((x.value for x in reversed(mentions) if x.end <= start and x.value not in ("unknown", "national_forces")), None)
            holder = next((x.value for x in mentions if start <= x.start < end), None) or (
                (said_by or ctx.subject or context_actor) if tl.rsplit(None, 2)[-2] in ("their", "its") else _adjective_party(lex, tl.rsplit(None, 2)[-2]))
            if holder == "sdf" and ctx.country == "Iraq":
                holder = "peshmerga"  # ("Sinjar is now under Kurdish control": in Iraq, the Peshmerga's)
            return [(holder, None, None, pl, None, None, None) for pl in places_taken] if holder else []
        if tl.startswith("flag") and (_FLAG_CEREMONY.search(lower) or not _FLAG_OVER_TOWN.match(s, end)):
            return []  # (a flag raised at a ceremony, over a school or a stadium, or in a political act: no change of hands)
        if tl.startswith("flag"):
            # "The Syrian national flag was raised over Dumayr": the flag's party
            words_before = re.findall(r"[a-z’'-]+", lower[max(0, start - 30):start])[-2:]
            holder = next((p for w in reversed(words_before) if (p := _adjective_party(lex, w))), None) \
                or (_group_code("national_forces", ctx) if "national" in words_before else None)
            if holder or not mentions:
                return [(holder, None, None, pl, None, None, None) for pl in places_taken] if holder else []
        town_subject = any(p.end <= start and _TOWN_SUBJECT_GAP.fullmatch(lower, p.end, start) and "from " not in lower[max(0, p.start - 60):p.start]
                           and not re.search(r"\b(?:of|in)\s+(?:the\s+)?(?:[\w-]+\s+)?$", lower[max(0, p.start - 25):p.start]) for p in places_taken)
        if tl.endswith(("of the state", "of the homeland", "of the nation")) and not town_subject and _PEOPLE_RETURNED_BEFORE.search(lower, max(0, start - 120), start):
            return []  # ("500 young men from Rastan returned to the embrace of the homeland": people who settled, no town; but "Douma returned")
        if tl.endswith(("of the state", "of the homeland", "of the nation")):
            # "Busra al-Sham had returned to the embrace of the state" (state media): the state's
            holder = next((_group_code(x.value, ctx) for x in mentions if start <= x.start < end), None) or _group_code("national_forces", ctx)
            return [(holder, None, None, pl, None, None, None) for pl in places_taken] if holder else []
        if tl.startswith(("fell to", "falls to", "fall to", "falling to", "fallen to")) or "hands of" in tl or "control of" in tl and tl.startswith(("came", "comes", "come", "fell", "been", "remained", "remains", "stayed")) \
                or (now_held and tl.replace('"', "").replace("”", "").endswith("control of")):  # ("Ras al-Ain was now "completely under the control" of its forces")
            gainer = obj
            if gainer is None:
                return []
            gainers = [g.value for g in _conjoined(mentions, gainer, s) if g.value != "unknown"] or [gainer.value]
            return [(g, None, None, pl, None, None, None) for g in dict.fromkeys(gainers) for pl in places_taken]
        if tl.startswith("fall of"):
            # "the fall of Mosul to IS"; with no one it fell to ("since the fall of Baghuz"),
            # who gained it is not said.
            gainer = next((x for x in mentions if x.start > place.end and re.search(r"\bto\s+(?:the\s+)?$", lower[max(0, x.start - 8):x.start])), None)
            return [(gainer.value, None, None, place, None, None, None)] if gainer else []
        if "declared" in tl and tl.startswith(("was", "were", "been", "is", "are")):
            # "the area was declared free of ISIS": ISIS lost it; the gainer is the one named by "by", else the one in context
            loser = obj
            gainer = agent or (Mention(0, 0, ctx.actor, "") if ctx.actor and (loser is None or ctx.actor != loser.value) else None)
            if gainer is None:
                return [(loser.value, None, None, pl, None, None, None, "lost") for pl in places_taken] if loser else []
            return [(gainer.value, loser.value if loser else None, None, pl, None, None, None) for pl in places_taken]
        if tl.startswith(("were", "was", "is", "are")) and re.search(r"\bunder (?:its|their)\b", tl) and subject is not None:
            # ("The army announced on 14 April that Douma was under its full control": the announcer's)
            return [(subject.value, None, None, pl, None, None, None, "captured") for pl in places_taken]
        if tl.startswith(("were", "was", "been", "being")) or (trig.change == "lost" and tl.endswith(" from")):
            # "IS militants were driven out of Tikrit by Iraqi forces" ("Al-Bab was taken from
            # IS": the group after "from" lost it)
            gainer = agent
            loser = subject
            if tl.endswith(" from") and obj is not None and obj.start - end <= 6:
                # (and "the army announced that Saqlawiya had been liberated from Daesh": the
                # announcer liberated it)
                loser = obj
                if gainer is None and "liberat" in tl and subject is not None and subject.value != obj.value:
                    gainer = subject
            if gainer is None:
                return [(loser.value, None, None, pl, None, None, None, "lost") for pl in places_taken] if loser else []
            return [(gainer.value, loser.value if loser and loser.value != gainer.value else None, None, pl, None, None, None, "captured")
                    for pl in places_taken]
        if tl.startswith(("drove", "drive", "driven", "pushed", "pushing", "forced", "expelled", "ousted", "cleared")):
            # "The Hashd and the army drove the militants from Saadiya and Jalawla": each
            # gainer, each town.
            loser = next((x for x in mentions if start < x.start < end), None)
            gainer = agent or subject
            gainers = ([g.value for g in _conjoined(mentions, gainer, s) if g.value != "unknown"] or [gainer.value]) if gainer else [context_actor]
            return [(g, loser.value if loser else None, None, pl, None, None, None)
                    for g in dict.fromkeys(gainers) for pl in places_taken]
        if trig.change == "lost" and _HANDED_NAMED.match(tl) and not (start < place.start and place.end <= end):
            return []  # "handed Abu Ahmed over to the Iraqi authorities in Manbij": what was handed is no town
        if trig.change == "lost" and re.match(r"\s+by\b", lower[end:end + 4]) and agent is not None:
            # "Palmyra was lost by government forces in May", "the second provincial capital lost
            # by the regime": the agent of a passive "lost" is who lost it
            taker = obj if obj and obj is not agent and re.search(r"\bto\s+(?:the\s+)?(?:[\w-]+\s+)?$", lower[max(0, obj.start - 22):obj.start]) else None
            if taker is None:
                return [(agent.value, None, None, pl, None, None, None, "lost") for pl in places_taken]
            return [(taker.value, agent.value, None, pl, None, None, None, "captured") for pl in places_taken]
        if trig.change == "lost":
            loser = subject
            gainer = _agent(mentions, lower, end) or (obj if obj and re.search(r"\bto\s+(?:the\s+)?(?:[\w-]+\s+)?$", lower[max(0, obj.start - 22):obj.start]) else None)
            if gainer and loser and tl.startswith("hand") and any(
                    gainer.value in bloc and loser.value in bloc for bloc in lex.allied_blocs):
                return []  # "Saraya al-Salam handed over their positions to Asaib Ahl al-Haq": allies, no change of side
            if tl.startswith("hand") and start < place.start < end:
                # "handed Busra al-Sham and the Nasib crossing to government forces": each place handed
                places_taken = [p for p in places if start <= p.start < end and p.place.kind in ("town", "landmark") and p.role == "event"] or [place]
            elif tl.startswith("hand") and place.end <= start:
                # "factions in Ariha and Maarat al-Numan handed their positions to HTS": each town
                places_taken = [p for p in _chain_from(places, s, place) if p.place.kind in ("town", "landmark")] or [place]
            if gainer:
                return [(gainer.value, loser.value if loser else None, None, pl, None, None, None, "captured") for pl in places_taken]
            return [(loser.value if loser else context_actor, None, None, pl, None, None, None) for pl in places_taken]
        if trig.change == "contested":
            inside = [x for x in mentions if start <= x.start < end]  # "clashes between the SDF and IS ... for control"
            actor_m = subject or (inside[0] if inside else obj)
            other = obj if actor_m is subject else next((x for x in inside if x.value != actor_m.value), None) if inside else None
            if other is None and actor_m is not None:
                # "fighting between IS and government forces": the group joined to the first.
                other = next((x for x in mentions if x.start >= actor_m.end and x.value != actor_m.value
                              and _CONTEST_JOIN.fullmatch(lower, actor_m.end, x.start)), None)
            return [(actor_m.value if actor_m else context_actor, other.value if other else None, None, place, None, None, None)]
        nominal = _NOMINAL_CAPTURE.match(lower, start) is not None and _DETERMINER_JUST_BEFORE.search(lower, max(0, start - 8), start) is not None
        # ("Syrian troops recaptured Al-Qaryatayn from Islamic State ..., a week after the recapture of
        # Palmyra": not the group the main clause took the town from)
        taken_from = subject is not None and lower.endswith(("from ", "from the "), 0, subject.start)
        gainer = agent or (subject if not (nominal and taken_from and _AFTER_THE_BEFORE.search(lower, max(0, start - 40), start)) else None)
        if agent is None and tl.endswith("ing") and _GERUND_CLAUSE_BEFORE.search(lower, max(0, start - 10), start):
            # "The SDF declared the end of the Islamic State's caliphate after seizing Baghuz", "The
            # army shelled IS positions before taking Al-Mayadin": the one seizing is the main
            # clause's subject, not the owner in its object (but "Russia praised Syrian forces
            # after retaking Aleppo": the nearest group, as ever)
            named = [x for x in mentions if x.start < start and x.value != "unknown" and not _is_supporting(s, x)]
            owners = named[1:]
            if owners and len({x.value for x in owners}) == 1 and owners[0].value != named[0].value \
                    and any(_OWNER_OF_NOUN_AFTER.match(lower, x.end) for x in owners):
                gainer = named[0]
        if agent is None and subject is not None and subject.end <= start and _PASSIVE_JUST_BEFORE.search(lower, max(0, start - 16), start) \
                and tl.startswith(("overrun", "taken", "seized", "captured", "stormed", "retaken", "recaptured")):
            # ("the last regime garrison in the province, at the Tabqa airbase, was overrun": the
            # garrison's side lost it; no taker named)
            return [(subject.value, None, None, pl, None, None, None, "lost") for pl in places_taken]
        if gainer is None and tl.startswith("declared") and ("liberat" in tl or "clear" in tl or "free" in tl):
            # "Kurdish leaders declared Sinjar liberated after ... thousands of Peshmerga ...
            # drove out the IS fighters", "Peshmerga forces entered Bashiqa ..., and the KRSC
            # declared it cleared of IS militants": the liberators the sentence names
            gainer = next((x for x in mentions if x.value not in JIHADISTS | {"unknown", "national_forces"} and not _is_supporting(s, x)), None)
        if gainer is None and tl.startswith("declared") and place.place.country in NATIONAL_FORCES:
            # "Prime Minister al-Abadi declared that Tal Afar had been fully liberated": the state
            gainer = Mention(start, start, NATIONAL_FORCES[place.place.country], "")
        if gainer is not None and gainer.value in JIHADISTS and tl.startswith("declared") and "liberat" in tl:
            # "Iraqi forces drove the Islamic State group out of Al-Julan, and the commander
            # declared the city 'fully liberated'": the liberators are the other side
            # named before it (not "HTS declared Saraqib fully liberated")
            liberator = next((x for x in mentions if x.end <= gainer.start and x.value not in JIHADISTS and x.value != "unknown"
                              and not _is_supporting(s, x)), None)
            if liberator is not None:
                return [(liberator.value, gainer.value, None, pl, None, None, None, "captured") for pl in places_taken]
        if gainer is None and nominal:
            # "The recapture of Hit cut the group's last supply line": whoever the report said took it
            taker = ctx.captured_by.get(place.place.place_id)
            if taker is None:
                return []
            gainer = Mention(place.start, place.start, taker, "")
        loser = None
        fr = re.search(r"\bfrom\s+(?:the\s+)?", lower[end:end + 80])
        if fr:
            loser = next((x for x in mentions if end + fr.start() + 5 <= x.start <= end + fr.end()), None)
        if loser is None and obj and obj.start < place.start and obj.start >= end:
            loser = obj  # "took IS-held Raqqa"
        if gainer and loser and gainer.value == loser.value:
            # "... the second time that it has wrested the city from the jihadists": nobody takes a
            # town from itself; the gainer is the sentence's subject
            first = next((x for x in mentions if x.value != loser.value and x.start < start and not _is_supporting(s, x)), None) if fr else None
            if first is not None:
                gainer = first
            else:
                loser = None
        if gainer is None and loser is not None:
            # "the city had been liberated from Daesh": only the loser is named.
            return [(loser.value, None, None, pl, None, None, None, "lost") for pl in places_taken]
        if gainer is None and loser is None and all(ctx.captured_by.get(pl.place.place_id) for pl in places_taken):
            # '"Sinjar is liberated," Barzani said', after the report told the Peshmerga retook
            # Sinjar: the same change of hands, its taker the one told
            return [(ctx.captured_by[pl.place.place_id], None, None, pl, None, None, None) for pl in places_taken]
        if gainer is None:
            if context_actor in INSURGENTS and tl.startswith(("liberat", "freed")):
                # '"Baghouz has been liberated"' in a report about IS: IS lost it (whoever liberates
                # does not free a town from itself)
                return [(context_actor, None, None, pl, None, None, None, "lost") for pl in places_taken]
            return [(context_actor, loser.value if loser else None, None, pl, None, None, None) for pl in places_taken]
        # "The SDF and coalition forces captured Tabqa": one change of hands per gainer.
        gainers = [g.value for g in _conjoined(mentions, gainer, s) if g.value != "unknown" and not _is_supporting(s, g)] or [gainer.value]
        return [(g, loser.value if loser and loser.value != g else None, None, pl, None, None, None)
                for g in dict.fromkeys(gainers) for pl in places_taken]
    return []


_CONTEST_JOIN = re.compile(r"\s+(?:and|with|against|versus|vs\.?)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}")


# Between two groups of one subject: "and", a comma, "and fighters of Lebanon's" (Hezbollah)
_JOINED = re.compile(r"\s*(?:(?:reinforcements|units|troops|forces|fighters|soldiers|personnel)\s+)?(?:,|and|,\s*and|or|-|–|/|\()\s*(?:of\s+)?(?:the\s+)?(?:(?:its|their)\s+)?(?:[\w.]+-(?:backed|led|supported)\s+(?:[A-Z][\w-]+\s+)?)?(?:(?:allied|affiliated|partner|proxy)\s+(?:[A-Z][\w-]+\s+)?)?"  # "the Turkish army and allied Syrian rebels"
                     r"(?:(?:(?:(?:more than|some|about|around|nearly|at least|over)\s+)?\d[\d,]*\s+)?(?:[a-z]+\s+)?(?:fighters|forces|members|units|troops|militiamen|militias|militants|gunmen|soldiers|heroes|mujahideen|men|sons|brigades|elements) (?:of|from)\s+(?:the\s+)?(?:[A-Z][\w-]+['’]s\s+)?)?")  # "and tribal fighters of the PMF", "and fighters from Lebanon's Hezbollah", "and more than 20,000 fighters of the PMF"; "units of the army and of the PMF"


def _conjoined(mentions, m, s) -> list:
    """A group and those joined to it by "and": "the Iraqi army and the Hashd" (and the two
    parties "both sides" stand for)."""
    out = [m]
    i = next((k for k, x in enumerate(mentions) if x.start == m.start), -1)
    if i < 0:
        return out
    j = i - 1
    while j >= 0 and _joined(s, mentions[j], mentions[j + 1]):
        out.insert(0, mentions[j])
        j -= 1
    j = i + 1
    while j < len(mentions) and _joined(s, mentions[j - 1], mentions[j]):
        out.append(mentions[j])
        j += 1
    return out


def _joined(s: str, a: Mention, b: Mention) -> bool:
    return bool(_JOINED.fullmatch(s, a.end, b.start)) or (a.text in ("both", "the two") and b.text == "sides" and b.start > a.end)


def _remember_sides(lower: str, mentions: list[Mention], ctx: _Context) -> None:
    """The two parties set against each other: "clashes between the SDF and IS", "a ceasefire
    between Kurdish Peshmerga and Turkmen fighters of the PMF"."""
    for m in _BETWEEN.finditer(lower):
        clause_end = _clause_end(lower, m.end())
        named = [x for x in mentions if m.end() <= x.start < clause_end and x.value not in ("unknown", "national_forces")]
        pair = next(((a, b) for a, b in zip(named, named[1:]) if a.value != b.value and re.search(r"\band\b", lower[a.end:b.start])), None)
        if pair is not None and pair[0].start - m.end() <= 40:
            ctx.sides = (pair[0].value, pair[1].value)


_AIRCRAFT_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?(?:warplanes|jets|aircraft|helicopters|helicopter gunships|drones|planes|bombers|air forces?)\b", re.IGNORECASE)  # (or ending a group's name: "Coalition jets")


_AIR_AND_GAP = re.compile(r"(?:\s+(?:warplanes|jets|aircraft|helicopters|drones|planes|bombers|f-1[568]e?s|f-35s|sukhois|migs))?\s*(?:and|,|(or))\s*", re.IGNORECASE)  # ("Iraqi F-16s and coalition aircraft")


def _is_alternative(s: str, a: Mention, b: Mention) -> bool:
    """b is the other of an "A or B aircraft" pair (either struck) of striker a."""
    first, second = (a, b) if a.end <= b.start else (b, a)
    gap = _AIR_AND_GAP.fullmatch(s, first.end, second.start)
    return bool(gap) and gap.group(1) is not None


_AIRCRAFT_DENIED_BEFORE = re.compile(r"\b(?:no|neither|(?:denied|denies|deny) that)\s+$", re.IGNORECASE)  # ("NO Iraqi or coalition aircraft"; not "it was not clear whether Syrian or Russian jets")


def _strikers(mentions, s, start, end, agent, subject):
    # "with the US-led coalition bombing from above": the group right before the verb bombs
    adjacent = next((x for x in mentions if 0 <= start - x.end <= 1 or x.start <= start < x.end), None)
    if adjacent is not None and not agent and re.match(r"\s*(?:bomb|strik|raid|pound|shell)", s[max(start, adjacent.end):end].lower()):
        return _conjoined(mentions, adjacent, s)  # ("regime and Russian bombings": both)
    if agent:
        return _conjoined(mentions, agent, s)  # "pounded by Syrian and Russian warplanes": two strikers
    inside = [x for x in mentions if start <= x.start < end]
    by_inside = [x for x in inside if _BY_AGENT_BEFORE.search(s[max(0, x.start - 20):x.start].lower())]  # (or "attributed to GoS and Russian aircraft")
    if by_inside:
        return _conjoined(mentions, by_inside[0], s)  # "IS checkpoints were targeted by coalition aircraft"
    of_aircraft = [x for x in mentions if 0 <= x.start - end <= 25 and (_AIRCRAFT_OF_BEFORE.search(s, max(0, x.start - 30), x.start)
                                                                        or _DROPPED_FROM_BEFORE.search(s, max(0, x.start - 20), x.start))]
    if of_aircraft and not inside:
        return of_aircraft[:1]  # "a drone of the American occupation targeted their car"; "barrel bombs dropped from regime helicopters"
    if _in_support_phrase(s, start):
        # "the YPG, backed by US-led coalition airstrikes": the strikes are the coalition's
        named = [x for x in mentions if x.end >= start - 2 and x.start < end]
        return named[:1]
    if subject is not None and _VICTIMS_VERB.match(s[subject.end:start].lower()):
        subject = None  # "IS fighters were killed in an airstrike": the dead, not the strikers
    if subject is not None and _HIT_BY.search(s[subject.end:end].lower()):
        subject = None  # "an Asayish checkpoint was hit by a drone": the target, not the striker
    if subject is not None and _ATTACKED_OBJECT_BEFORE.search(s, max(0, subject.start - 25), subject.start):
        # "Coalition forces continued to attack ISIL terrorists in Iraq, using aircraft to
        # conduct 19 airstrikes": the attacked are the target; the clause's subject strikes
        # (not a group the strike was only coordinated with: "The raid, carried out in coordination
        # with the Syrian government, targeted the militants' command centres")
        subject = next((x for x in mentions if x.end <= subject.start and x.value != subject.value
                        and not _ATTACKED_OBJECT_BEFORE.search(s, max(0, x.start - 25), x.start) and not _is_supporting(s, x)), None)
    if subject is None:
        return inside[:1]
    # "Russian and Syrian aircraft": two strikers.
    out = [subject]
    prev = [x for x in mentions if x.end <= subject.start]
    joined = re.fullmatch(r"\s*(?:and|,|(or))\s*", s[prev[-1].end:subject.start]) if prev else None
    if joined and (joined.group(1) is None or _AIRCRAFT_DENIED_BEFORE.search(s, max(0, prev[-1].start - 30), prev[-1].start)):
        out.insert(0, prev[-1])
    nxt = next((x for x in mentions if x.start >= subject.end), None)
    gap = _AIR_AND_GAP.fullmatch(s, subject.end, nxt.start) if nxt is not None and nxt.end <= end and nxt.value != subject.value else None
    if gap and (_AIRCRAFT_AFTER.match(s, nxt.end) or _AIRCRAFT_AFTER.search(" " + nxt.text) or _STRIKE_NOUN_AFTER.match(s, nxt.end)) \
            and (gap.group(1) is None or _AIRCRAFT_DENIED_BEFORE.search(s, max(0, subject.start - 30), subject.start)):
        # ("Coalition jets and Iraqi helicopters struck": both; "no Iraqi or coalition aircraft
        # struck": neither, a denial of each; but "regime or Russian jets struck" is one strike
        # by either)
        out.append(nxt)
    return out


_STRIKE_NOUN_AFTER = re.compile(r"\s+(?:air\s?strikes?|air raids?|drone strikes?|strikes|bombing|bombings|bombardment)\b", re.IGNORECASE)  # ("Coalition and Iraqi air strikes": both)
_PASSIVE_VICTIM_GAP = re.compile(r"\b(?:was|were|has been|have been|had been)\s+(?:reportedly\s+)?$")
_ARMED_ATTACKERS = re.compile(r"\b(?:explo\w*|gunm[ae]n|snipers?|ieds?|assault\w*|mortars?|rockets?|shell\w*|grenades?)\b")  # (beside _ATTACK_WORD: an attack, not the guards' fire)
_CIVILIAN_SHOT_BEFORE = re.compile(r"\b(?:civilians?|man|woman|boy|girl|child|children|driver|farmer|shepherd|teenager|youth|resident|residents|people|person|motorist|passenger)\s+(?:was|were|has been|have been|had been)\s+(?:reportedly\s+)?$")
_VICTIM_VERB_START = re.compile(r"(?:shot|killed|wounded|injured|stabbed|assassinated|gunned down)\b")
_UNKNOWN_GETAWAY = re.compile(r"\b(?:unknown|unidentified|masked)\s+(?:gunmen|gunman|assailants|attackers|men)\b[^.;]*?,?\s+and\s+(?:then\s+)?$")
_DISTANCE_FROM_BEFORE = re.compile(r"\b(?:km|kms|kilomet(?:re|er)s?|miles?|met(?:re|er)s?)\s+(?:\(\d+\s+miles?\)\s+)?from\s+(?:the\s+)?$", re.IGNORECASE)
_BETWEEN = re.compile(r"\bbetween\s+")
_BOTH_SIDES_ACT = re.compile(r"\b(both\s+sides|the\s+two\s+sides)\s+(?:have\s+|had\s+|also\s+|then\s+|both\s+)*(?=(?:set|erected|established|removed|dismantled|withdrew|withdrawn|pulled|moved|deployed|sent|reinforced|began|started|stepped|agreed to (?:withdraw|remove|pull))\b)")
_LEBANESE = re.compile(r"\bLebanes|\bLebanon\b")
_IN_JUST_BEFORE = re.compile(r"\bin\s+$")
_ATTACKED_OBJECT_BEFORE = re.compile(r"\b(?:attack|attacks|attacked|attacking|target|targets|targeted|targeting)\s+(?:the\s+)?(?:[\w-]+\s+)?$", re.IGNORECASE)
_LEAD_GROUP = re.compile(r"\W*(?:the\s+)?(?:[\w-]+\s+)?")  # (a sentence whose first words are a group: its subject)
_CLAUSE_END = re.compile(r",\s*(?:where|which|who|when|while|as)\b|;")
_STRIKES_PURPOSE_AFTER = re.compile(r"\s+(?:are|is|were|was|have been|had been)\s+(?:[\w-]+ly\s+)?(?:intended|designed|meant|aimed|supposed)\s+to\b")
_SPEAKER_OF_THE_STRIKES = re.compile(r"\s+(?:\w+\s+)?(?:said|says|told\s+\w+|reported|announced|stated|added|confirmed|called|described|condemned|denounced|critici[sz]ed)\s+(?:that\s+)?(?:the|these|those)\s+"
                                     r"(?:[\w-]+\s+)?(?:strikes|air\s*strikes|raids|air\s+raids|bombings|attacks)\b", re.IGNORECASE)
_HIT_BY = re.compile(r"\b(?:was|were|been|being)\s+(?:\w+\s+)?(?:hit|struck|targeted|bombed|bombarded|raided|pounded|attacked)\s+(?:\w+\s+){0,2}?by\b")
_DROPPED_FROM_BEFORE = re.compile(r"\b(?:dropped|fired|launched)\s+(?:from|by)\s+(?:the\s+)?$", re.IGNORECASE)
_AIRCRAFT_OF_BEFORE = re.compile(r"\b(?:drones?|aircraft|warplanes?|jets?|helicopters?|planes?)\s+(?:belonging\s+to|of)\s+(?:the\s+)?$", re.IGNORECASE)
# After a group's name: the words that make it the dead of the sentence ("IS fighters were killed").
_VICTIMS_VERB = re.compile(r"(?:\s+(?!said\b|says\b|told\b|that\b)[\w-]+){0,3}?\s+(?:(?:were|was|are|is|have|has|had|been|being)\s+)*"
                           r"(?:killed|died|dead|wounded|injured|hurt|martyred|perished)\b")  # on lowercased text


_DIRECTION_OF_THE = re.compile(r"(?<=\bfrom )the\s+direction\s+of\s+")


def _place_after(places, s, pos, cue, limit=70, floor=0):
    """The first event place after `pos` that the cue introduces (read from `floor`, the
    trigger's start: "reinforcements from Hasakah arrived in X" gives no origin X)."""
    for p in places:
        if p.role != "event" or p.start < pos or p.start - pos > limit:
            continue
        before = s[max(0, p.start - 60, floor):p.start].lower()
        before = _DIRECTION_OF_THE.sub("", before)[-45:]  # ("from the direction of the Syrian town of Al-Bukamal": from it)
        if re.search(rf"\b{cue}\s+(?:the\s+)?(?:[\w-]+\s+){{0,5}}#?$", before) and not re.search(r"[.;]", before):  # ("from #Kifri")
            # Only the nearest cue counts: "toward Iraq from the town of X" puts X after "from".
            last_cue = list(re.finditer(r"\b(?:from|out of|bound for|heading for|headed for|to|toward|towards|into|for|through|via)\b", before))
            if last_cue and re.fullmatch(cue, last_cue[-1].group(0)) is None and not re.search(cue, last_cue[-1].group(0)):
                continue
            if _KIND_OF_AFTER.match(s, p.end) and _is_locator(s, p, places):
                continue  # "into the Syrian border town of Albu Kamal": the town, not Syria
            if p.text.lower().startswith(("the ", "there")) and re.search(_COMPASS + r"\s+of\s+$", before, re.IGNORECASE):
                continue  # "withdrew toward the desert south of the city": the city they left only locates where they went
            return p
    return None


def _direct_object_place(places, s, pos):
    for p in places:
        if p.role == "event" and 0 <= p.start - pos <= 12 and re.fullmatch(r"\s*(?:the\s+)?(?:town of\s+|city of\s+)?", s[pos:p.start].lower()):
            return p
    return None


def _place_before_departure(places, s, start):
    """"left Abu Kamal heading toward Iraq": the origin is named before the trigger."""
    for p in reversed(places):
        if p.role == "event" and p.end <= start and start - p.end <= 40 and re.search(
                r"\b(?:left|leaving|from|out of|abandoned|fled|withdrew from|pulled out of)\s+(?:the\s+)?(?:town of\s+|city of\s+)?$",
                s[max(0, p.start - 30):p.start].lower()):
            return p
    return None


# ("the road between Tuz Khurmatu and Kirkuk" is at either end: not away)
_ROAD_TO_BEFORE = re.compile(r"\b(?:roads?|highway|route|way)\s+(?:leading\s+)?(?:to|from)\s+(?:the\s+)?(?:\w+\s+(?:and|to)\s+)?$"
                             r"|\b(?:supply\s+(?:line|route)|main\s+route|corridor)\s+(?:between|linking|connecting)\s+(?:the\s+)?(?:(?:[\w’'-]+\s+){1,3}?(?:and|with|to)\s+)?$"
                             r"|\b(?:highway|motorway|road)\s+(?:that\s+(?:links|connects|joins)\s+|linking\s+|connecting\s+|joining\s+)(?:the\s+)?(?:(?:[\w’'-]+\s+){1,3}?(?:and|with|to)\s+)?$")  # (and "the highway linking Aleppo and Latakia")  # ("the main supply route between Raqqa and Mosul": a route, no event place)
_ROAD_NAME_AFTER = re.compile(r"\s*[-–—/]\s*(?:al-|Al-|el-)?[A-Z][\w’'-]*(?:\s+(?:ez-|al-|el-|az-)?[A-Za-z][\w’'-]*){0,2}?\s+(?:road|highway|motorway)\b")
_ROAD_NAME_BEFORE = re.compile(r"[A-Za-z][\w’'-]*\s*[-–—/]\s*$")
_ROAD_WORD_AFTER = re.compile(r"\s+(?:(?:international|main|desert|old|new|strategic|coastal)\s+)?(?:road|highway|motorway)\b")
_TOWARD_BEFORE = re.compile(r"\b(?:toward|towards|in the direction of|heading (?:to|for)|headed for|bound for|en route to|fled (?:to|into)|retreated (?:to|into))\s+(?:the\s+)?"
                            r"(?:(?:villages?|towns?|cit(?:y|ies)|areas?|desert|countryside|outskirts|region|mountains?)\s+of\s+)?(?:(?:al-|el-)?[A-Z][\w’'-]+(?:\s+(?:al-|el-)?[A-Z][\w’'-]+)?\s*(?:,|and)\s+)?$", re.IGNORECASE)  # "fled towards the villages of Al-Sayyal and Al-Hari"


_AFTER_CLAUSE = re.compile(r",\s+(?:(?:just|only|shortly|soon|hours|days|minutes|a day|a week|two days|three days)\s+)?(?:after|before)\s+(?:an?|the)\s+"
                           r"|,?\s+in (?:(?:retaliation|response|revenge) for|response to)\s+(?:(?:an?|the)\s+)?")


_NEXT_CLAUSE_BEFORE = re.compile(r"(?:;|,\s+(?:and|but|while|whereas))\s+$")
_SPEAKS_AFTER = re.compile(r"\s+(?:says|said|calls|called|accuses|accused|denies|denied|insists|insisted|demands|demanded|condemns|condemned|rejects|rejected|protests|protested|warns|warned|objects|objected)\b")


_TOWN_HERE_BEFORE = re.compile(r"(?:^[-•*\s]*|\b(?:village|town|outskirts|edge|area)s?\s+(?:of|near|outside)\s+|(?<!way )(?<!road )\b(?:near|outside)\s+(?:the\s+(?:village|town)\s+of\s+)?)$", re.IGNORECASE)


def _event_place(trig, s, start, end, places, ctx) -> PlaceMention | None:
    """Where the event happened: a place after a locative word near the trigger, else the
    nearest place in the sentence, else the last event place of the report."""
    events = [p for p in places if p.role == "event"]
    if trig is not None and trig.indicator != "troop_movement":
        # "a convoy carrying residents from Fuaa and Kafraya ... in Rashidin": where people
        # came from is not where the event happened (when the sentence names another place)
        # ("Young men from the town have stormed the checkpoint at the entrance of Tafas": where
        # the men came from, when the sentence names another place; "gunmen from Tafas attacked
        # an army checkpoint" alone is at Tafas)
        weak = [p for p in events if _MEN_FROM_BEFORE.search(s, max(0, p.start - 40), p.start)]
        weak = weak if any(p not in weak for p in events) else []
        origins = [q for p in events if p in weak or _FROM_PLACE_BEFORE.search(s, max(0, p.start - 70), p.start)
                   or (p.end <= start and ("," in s[p.end:start] or (" and " in s[p.end:start] and _INTO_X_FROM_BEFORE.search(s, max(0, p.start - 60), p.start)))
                       and re.search(r"\bfrom\s+(?:the\s+)?$", s[max(0, p.start - 12):p.start]))
                   for q in _chain_from(events, s, p)]  # (and "reinforcements arrived in A from B, ..., and the army set up checkpoints", "moved into A from B and tried to seize checkpoints": not at B)
        if origins and (any(p not in origins for p in events) or ctx.event_place is not None or ctx.town is not None):
            # ("The victims, all from Kirkuk, were shot dead at the roadside": where they came
            # from, not where they died, which the sentences before gave)
            events = [p for p in events if p not in origins]
        # "an ISIL commander from Iraq was among the dead": a country someone comes from
        events = [p for p in events if not (p.place.kind == "country" and p in origins)]
    # "a Saudi commander", "Tunisian fighters": a nationality, not where it happened
    events = [p for p in events if not (p.place.kind == "country" and _PERSON_NOUN_AFTER.match(s, p.end))]
    # ("deployed to Zilkan last December; Baghdad calls their presence a violation": the subject
    # of the next clause, who speaks, is not where they went)
    events = [p for p in events if not (p.start > end and _NEXT_CLAUSE_BEFORE.search(s, max(0, p.start - 12), p.start)
                                        and _SPEAKS_AFTER.match(s, p.end))]
    locators = [p for p in events if _is_locator(s, p, places)]  # "Deir Hafer east of Aleppo"
    # (a town that only names a road is no place the locator could locate: "on the Baghdad-Kirkuk
    # highway just south of Tuz Khurmatu" is at Tuz Khurmatu)
    if locators and any(p not in locators and not (_ROAD_NAME_AFTER.match(s, p.end) or (
            _ROAD_NAME_BEFORE.search(s, max(0, p.start - 30), p.start) and _ROAD_WORD_AFTER.match(s, p.end))) for p in events):
        if ctx.gaz is not None:
            # "in the Wadi al-Shay area, south of Hawija": an area with no town of its own is put
            # at the town that locates it, as "8 km north of al-Bab" is al-Bab
            # (and "Al-Amiriyah on the northern edge of Palmyra": a name that resolved to a place in
            # another country than the town that locates it is a village we do not know)
            events = [next((replace(p, place=q.place, fuzzy=q.fuzzy) for q in locators if q.place.kind == "town" and 0 <= q.start - p.end <= 30
                            and (_DIRECTION_OF_BEFORE.search(s[max(0, q.start - 45):q.start].lower())
                                 or _EDGE_OF_BEFORE.search(s[max(0, q.start - 45):q.start].lower()))), p)
                      if (p.place.kind == "landmark" and p.place.place_id not in ctx.gaz.landmark_towns
                          and not _BASE_NAMED_AFTER.match(s, p.end))  # (not "the T4 air base east of Homs": a base of its own)
                      or p.place.country != next((q.place.country for q in locators if q.start >= p.end), p.place.country) else p for p in events]
        events = [p for p in events if p not in locators]
    # "struck facilities in Deir ez-Zor province late on Thursday, hours after an attack on a
    # base near Hasakah killed a contractor": the after-clause's event is elsewhere
    later_clause = _AFTER_CLAUSE.search(s, end)
    if later_clause and (any(p.end <= later_clause.start() for p in events) or (
            later_clause.group(0).lstrip(", ").startswith("in ") and trig is not None and trig.indicator == "airstrike")):
        # (and "jets struck five facilities ..., in retaliation for a rocket attack at a base near
        # Kirkuk": the attack's place, not the strikes', even when the strikes' is not named)
        events = [p for p in events if p.start < later_clause.start()]
    # ("In Hawija district, gunmen shot dead the mukhtar of a village near Al-Abbasi", "Al-Abbasi
    # (Hawija district), Tue 9 Apr: ...": the district only says where the town is; not "the Abu
    # Ghraib district on Baghdad's western edge", nor a town the district's event only heads for,
    # comes from or names a road by: "in Tuz Khurmatu district ... on their way to Kirkuk")
    districts = [p for p in events if _names_district(s, p) and not s[max(0, p.start - 4):p.start].lower().endswith("the ")]
    if districts and any(p not in districts and p.place.kind in ("town", "landmark") and not p.text.endswith(("'s", "’s"))
                         and not _is_locator(s, p, places) and not _ROAD_NAME_AFTER.match(s, p.end)
                         and (p.start == 0 or _TOWN_HERE_BEFORE.search(s, max(0, p.start - 30), p.start)) for p in events):
        events = [p for p in events if p not in districts]
    # "Army reinforcements arrived from Idlib province over the weekend; one column was seen
    # moving north through Saraqeb": a place past a semicolon is the next clause's
    semi = s.find(";", end) if ";" in s[end:] else -1
    if semi >= 0 and not _SAME_EVENT_AFTER_SEMICOLON.match(s, semi):
        beyond = [p for p in events if p.start > semi]
        if beyond and (len(beyond) < len(events) or ctx.event_place is not None or ctx.town is not None):
            events = [p for p in events if p not in beyond]
    # "The Iraqi militia, which answers to Tehran as much as to Baghdad, said 22 of its fighters
    # were killed": a relative clause's place is its own (not one that locates: "which lies near Hajin")
    asides = [c.span() for c in _RELATIVE_CLAUSE.finditer(s) if not _LOCATING_CLAUSE.match(s, c.start())] if ", wh" in s else []
    aside_places = [p for p in events if any(a <= p.start < b and not a <= start < b for a, b in asides)]
    if aside_places and len(aside_places) < len(events):
        events = [p for p in events if p not in aside_places]
    # "a mountainous area north of Baghdad": the event is in an unnamed place Baghdad only
    # locates; "South of Mosul, army units moved ...": Mosul locates the sentence
    area_locators = [p for p in events if _UNNAMED_PLACE_DIRECTION_BEFORE.search(s, max(0, p.start - 70), p.start)]
    events = [p for p in events if p not in area_locators
              and not (p.start <= 16 and _FRONTED_DIRECTION_BEFORE.match(s[:p.start]) and s[p.end:p.end + 1] == ",")]
    # "checkpoints on the road to Raqqa", "fled north toward Mosul": a place the road or the
    # flight leads to locates, it is not where the event happened (when another place is known).
    lower = s.lower()
    away = [p for p in events if (_ROAD_TO_BEFORE.search(lower, max(0, p.start - 40), p.start)
                                  or (trig is not None and trig.indicator != "troop_movement"
                                      and _LEFT_FOR_BEFORE.search(lower, max(0, p.start - 50), p.start))  # ("left Sanamayn for Idlib, and the army set up checkpoints")
                                  or _SOLIDARITY_BEFORE.search(lower, max(0, p.start - 40), p.start)  # ("In solidarity with Sanamayn, gunmen attacked ... Tafas")
                                  or (trig is not None and trig.indicator != "troop_movement"
                                      and _TOWARD_BEFORE.search(s, max(0, p.start - 60), p.start)))]
    away = [q for p in away for q in _chain_from(events, s, p)]  # "toward Qayyarah and Mosul"
    # "near the Turkish border", "the border with Syria": the country only locates
    away += [p for p in events if p.place.kind == "country" and _is_border(lower, p)]
    # ("pounded towns across the eastern countryside, driving 300,000 people toward the Golan frontier")
    driven = _PEOPLE_DRIVEN.search(lower, end) if (trig is None or trig.indicator != "troop_movement") and "ing " in lower[end:] else None
    away += [p for p in events if driven is not None and p.start > driven.end()]
    # "..., said Abu Mazen, who escaped to the town of Thiban": where a witness fled to
    away += [p for p in events if _FLED_TO_BEFORE.search(s, max(0, p.start - 45), p.start) and _WITNESS_FLED.search(s, max(0, p.start - 70), p.start)]
    # "patrols have doubled since the Hawija ambush": a place that names an earlier event
    away += [p for p in events if _EVENT_NAME_AFTER.match(lower, p.end) and _SINCE_THE_BEFORE.search(lower, max(0, p.start - 25), p.start)]
    # "along the Palmyra–Deir ez-Zor road": the towns name a road (and locate the event only
    # when the sentence names no other place: "an IED on the Khanaqin–Jalawla road")
    road = [p for p in events if _ROAD_NAME_AFTER.match(s, p.end) or (
        _ROAD_NAME_BEFORE.search(s, max(0, p.start - 30), p.start) and _ROAD_WORD_AFTER.match(s, p.end))]
    if road and any(p not in road and p not in away and p.place.kind != "country" for p in events):
        events = [p for p in events if p not in road]
    if away and (any(p not in away and p.place.kind != "country" for p in events)
                 or ctx.event_place is not None or ctx.focus is not None or _anaphor_place(s, ctx) is not None):
        events = [p for p in events if p not in away]
    # "... the town of Talbiseh, north of Homs, where nine civilians were killed": the place
    # the "where" clause hangs on (not its locator).
    where = list(re.finditer(r",\s*where\b", s[:start]))
    if where:
        anchor = [p for p in events if p.end <= where[-1].start() and not _is_locator(s, p, places)]
        if anchor and not any(p.start > where[-1].end() and p.end <= start for p in events):
            return anchor[-1]
    # (a departure towards a village we do not know still leaves the town in view)
    # (where others went, "the remnants fled towards the villages of X", places no other event)
    unknown = ctx.unknown_place_named == "place" or (ctx.unknown_place_named == "destination" and trig is not None
                                                     and trig.indicator == "troop_movement" and trig.change != "departure")
    if unknown and events and ctx.gaz is not None and all(
            _DIRECTION_OF_BEFORE.search(lower[max(0, p.start - 45):p.start]) for p in events):
        # "sent reinforcements to al-Rashad, 20 km south of Kirkuk": a village we do not know is
        # put at the town that locates it, as "8 km north-west of al-Bab" is al-Bab
        return replace(events[0], role="context")
    if unknown and ctx.unknown_place_named == "place" and ctx.unknown_place_name and events and not ctx.under_heading \
            and all(p.place.kind in ("admin1", "country") for p in events):
        # "In Aleppo province, Turkish jets struck the village of Jub al-Kussa": the village, in that province
        province = next((p.place for p in events if p.place.kind == "admin1"), None)
        unlocated = _unlocated_place(ctx.unknown_place_name, province, ctx, bare_ok=province is not None)
        if unlocated is not None:
            return unlocated
    if ctx.under_heading:
        # In a "Town:" paragraph other names are mostly locators ("the Damascus-Homs
        # highway"); only a place the sentence puts the event in ("in X") overrides the heading.
        # Else the item's own label ("- 13 Sep (Mon), Al-Busayrah: Two gunmen ...").
        located = [p for p in events if re.search(r"\b(?:in|near|at|outside|into|around)\s+(?:the\s+)?(?:town of\s+|village of\s+)?$", s[max(0, p.start - 20):p.start].lower())
                   or (p.text.lower().startswith("the ") and ctx.line_town is not None and ctx.line_town[0] == ctx.line
                       and p.place.place_id == ctx.line_town[1].place.place_id)]  # ("1) MAARAT AL-NUMAN - ... the town's market": the item's town)
        # ("Damascus Suburbs: Douma: 7 martyrs": the last label, the town)
        events = located or [p for p in events if p.start <= 60 and _ITEM_LABEL_AFTER.match(s, p.end)
                             and not _LOWER_WORD.search(s, 0, p.start)][-1:]
    if events:
        # A town and its own province: the town ("in Mayadeen, also in Deir ez-Zor province").
        towns = {p.place.admin1 for p in events if p.place.kind in ("town", "landmark")}
        events = [p for p in events if not (p.place.kind == "admin1" and p.place.name in towns and not _region_cue(s, p))]
        # "(Idlib) HTS removed its checkpoint near Saraqib": a provincial capital's name beside
        # a town of its province names the province (unless "Idlib city", "the city of Idlib")
        events = [p for p in events if not (p.place.kind == "town" and p.place.name == p.place.admin1
                                            and any(q.place.kind in ("town", "landmark") and q.place.admin1 == p.place.name
                                                    and q.place.name != p.place.name for q in events)
                                            and not p.text.lower().startswith("the ")  # ("the city": the anaphor names the city)
                                            # ("the road between Kirkuk and Hawija", "Idlib and Saraqib": two towns)
                                            and not any(_TOWN_PAIR_JOIN.fullmatch(s, a.end, b.start) for q in events for a, b in ((p, q), (q, p)) if a.end <= b.start)
                                            and not _CITY_CUE_AFTER.match(s, p.end) and not _CITY_CUE_BEFORE.search(s, max(0, p.start - 25), p.start))]
        non_country = [p for p in events if p.place.kind != "country"]
        if not non_country:
            nationwide = [p for p in events if _NATIONWIDE_BEFORE.search(s, max(0, p.start - 25), p.start)]
            if nationwide:
                return nationwide[0]  # "94 people killed across Syria": the country, not the report's town
            # "killed 20 in eastern Syria": a country says little; the town or province the
            # report is about, when it lies in that country, says more.
            known = ctx.event_place or ctx.region
            if known is not None and known.place.country in {p.place.name for p in events}:
                return replace(known, role="context")
            non_country = events

        def dist(p):
            if p.start >= end and _LOCATIVE_GAP.fullmatch(s, end, p.start):
                return 1  # "and another man died in the village of Sheikh Mustafa": the place the verb is put in
            return 0 if (p.start < end and start < p.end) else min(abs(p.start - end), abs(start - p.end))
        if " and " in s[start:end]:
            # "one new checkpoint was reported near Al-Bab and one was dismantled in Jarablus":
            # a trigger that runs across two clauses is placed by the place right after it
            right_after = [p for p in non_country if p.start >= end and _LOCATIVE_GAP.fullmatch(s, end, p.start)]
            if right_after:
                return right_after[0]
        return min(non_country, key=dist)
    if unknown and not ctx.under_heading:  # (a bulletin's town has squares and quarters we do not know)
        # "killed in Abu Hassan": a village we cannot put on the map, not the last town
        # named; it is most likely in that town's province, so the province (no town's
        # change of hands, though).
        # (the town last named, even in a sentence that told nothing: "In Deir ez-Zor, IS cells
        # remained active. Gunmen attacked an SDF patrol in Al-Tayyana")
        province = _province_in_view(ctx)
        unlocated = _unlocated_place(ctx.unknown_place_name, province, ctx) if ctx.unknown_place_named == "place" and ctx.unknown_place_name else None
        if unlocated is not None:
            return unlocated
        if (trig is not None and trig.indicator == "control_change") or province is None:
            return None
        known = ctx.town or ctx.event_place or ctx.region
        return PlaceMention(known.start, known.end, province, province.name, False, "context")
    anaphor = _anaphor_place(s, ctx)
    if anaphor:
        return anaphor
    if ctx.event_place is not None:
        return replace(ctx.event_place, role="context")
    if ctx.focus is not None and ctx.town is not None:
        return replace(ctx.town, role="context")
    if ctx.region is not None and trig is not None and trig.indicator == "killing":
        # A death toll with no place in its sentence: the place the report opens with.
        return replace(ctx.region, role="context")
    if area_locators and ctx.gaz is not None and area_locators[0].place.kind in ("town", "landmark") and (trig is None or trig.indicator != "control_change") \
            and re.search(r"\b(?:desert|orchards?|valley|farms?|hills?)\s+(?:[\w-]+\s+){0,3}of\s+$", s[max(0, area_locators[0].start - 45):area_locators[0].start], re.IGNORECASE):
        # (not "a mountainous area north of Baghdad", which may lie in another province)
        # "patrols resumed in the desert west of Hit", with no town in view: in that town's province
        province = ctx.gaz.admin1_place(area_locators[0].place)
        if province is not None:
            return PlaceMention(area_locators[0].start, area_locators[0].end, province, province.name, False, "context")
    return None


_CAME_FROM_TOWN_BEFORE = re.compile(r"\b(?:from|fled|left|leaving|out of)\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?$", re.IGNORECASE)


def _province_in_view(ctx) -> Place | None:
    """The province of the town last named (or of the report's place), if any."""
    known = ctx.town or ctx.event_place or ctx.region
    if known is None or ctx.gaz is None:
        return None
    if known.place.kind in ("town", "landmark"):
        return ctx.gaz.admin1_place(known.place)
    return known.place if known.place.kind == "admin1" else None


def _unlocated_place(name: str, province: Place | None, ctx, start: int = 0, end: int = 0, bare_ok: bool = False) -> PlaceMention | None:
    """A village the sentence names that the gazetteer lacks ("killed in Jub al-Kussa"): kept
    by its name, in the province in view, with no coordinates (no map point is made up). A
    bare name a locative word alone cues ("?al-Ferdous") is kept unless a city is in view (a
    provincial capital, a town of 50,000 or one the gazetteer knows quarters of: then it may be
    one of its quarters, and None), but
    always when it begins as village names do ("Kafr Dael", "Tal Jabin") or (bare_ok) when the
    sentence puts it in a province."""
    if name.startswith("?"):
        name = name[1:]
        city = ctx.town or ctx.event_place
        if not (_VILLAGE_PREFIX.match(name) or bare_ok) and city is not None and city.place.kind == "town" and ctx.gaz is not None and (
                city.place.name in ctx.gaz.capitals.values() or (city.place.population or 0) >= 50000
                or city.place.place_id in ctx.gaz.landmark_towns.values()):  # (a town with quarters of its own: Fallujah, Qamishli, Tabqa)
            return None  # (with a city in view, "in al-Arbajiya" may be one of its quarters: the old province fallback)
    country = province.country if province is not None else ctx.country
    # (one id per village and country, whatever the province guessed for it, and one for
    # "Kafr Barqoum" and "Kafr-Barqoum": reports of one event merge)
    place = Place(f"{UNLOCATED_PLACE_PREFIX}{(country or 'unknown').lower().replace(' ', '-')}:{name_key(name)}", name,
                  province.name if province is not None else None, None, country, None, None, "town", source="unlocated")
    return PlaceMention(start, end, place, name, True, "event")


_TOWN_PAIR_JOIN = re.compile(r"\s*(?:,|and|or|to|-|–|—)\s*")
_CITY_CUE_AFTER = re.compile(r"\s+city\b", re.IGNORECASE)
_CITY_CUE_BEFORE = re.compile(r"\b(?:city|streets|centre|center|heart|entrances?|neighbou?rhoods?|districts?|quarters?)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_NATIONWIDE_BEFORE = re.compile(r"\b(?:across|throughout|all over|nationwide in)\s+(?:the\s+)?"  # ("across north-east Syria": a region of it too)
                                r"(?:(?:(?:north|south)(?:[- ]?(?:east|west))?|east|west|central)(?:ern)?\s+)?$", re.IGNORECASE)


_EVENT_NAME_AFTER = re.compile(r"\s+(?:ambush|attacks?|bombings?|massacre|offensive|battle|operation|assault|killings?|explosion|blast|uprising|clashes)\b")
_SINCE_THE_BEFORE = re.compile(r"\b(?:since|after|following|before|until|in the wake of|in response to)\s+(?:the\s+)?(?:last\s+|recent\s+|deadly\s+)?$")


_LOCATIVE_GAP = re.compile(r"\s+(?:in|at|near|outside|inside|around|from)\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?", re.IGNORECASE)


_PERSON_NOUN_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?(?:commanders?|officials?|fighters?|jihadists?|nationals?|citizens?|leaders?|emirs?|members?|militants?|volunteers?|mercenaries|preachers?|clerics?|judges?)\b", re.IGNORECASE)

_COMPASS_ADJ_BEFORE = re.compile(r"\b(?:(?:north|south)-?)?(?:east|west)ern\s+$|\b(?:northern|southern|central)\s+$")
_QUARTER_OF_PART_BEFORE = re.compile(r"\b(?:neighbou?rhoods?|districts?|quarters?)\s+of\s+(?:the\s+)?(?:north|south|east|west)(?:ern)?\s+$")


def _region_cue(s: str, p: PlaceMention) -> bool:
    before = s[max(0, p.start - 30):p.start].lower()
    if _QUARTER_OF_PART_BEFORE.search(before):
        return False  # ("the al-Sukkari neighbourhood of eastern Aleppo": the city's east, not the province's)
    return bool(re.search(r"\b(?:across|throughout|all over|parts of|western|eastern|northern|southern|central|countryside of|rural)\s+(?:the\s+)?(?:[\w-]+\s+)?$", before))


def _anaphor_place(s: str, ctx) -> PlaceMention | None:
    if ctx.under_heading and ctx.event_place is not None:
        return replace(ctx.event_place, role="context")  # "the town" of a "Town:" paragraph
    if ctx.town is not None and re.search(r"\bthe (?:city|town|village|border town|border city)\b", s, re.IGNORECASE):
        return replace(ctx.town, role="context")
    return None


_CLAIMED_BY_BEFORE = re.compile(r"\bclaimed\s+by\s+(?:the\s+)?$")
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+(?:the\s+)?(?:towns?\s+of\s+)?$")
_CHECKPOINTS_IN = re.compile(r"\b(?:checkpoints?|roadblocks?|patrols?)\s+(?:(?:in|inside|around|across)\s+(?:the\s+)?(?:towns?\s+of\s+)?"
                             r"|(?:at|on)\s+the\s+(?:main\s+)?(?:entrances?|outskirts|edges?)\s+(?:of|to)\s+)$")  # "checkpoints at the entrances of A and B"


def _chain_to(places, s, last: PlaceMention) -> list[PlaceMention]:
    """A place and those listed before it: "Jandairis and Rajo"."""
    chain = [last]
    for p in reversed(places):
        if p.end > chain[0].start:
            continue
        if _CHAIN_GAP.fullmatch(s[p.end:chain[0].start].lower()):
            chain.insert(0, p)
        else:
            break
    return chain


# Between two places of one list: "A, B and C", "the towns of A and B", "the Yarmouk camp and
# the neighbouring district of al-Hajar al-Aswad"
_CHAIN_GAP = re.compile(r"(?:\s+(?:on|last)\s+(?:\w+day|\d{1,2}\s+[a-z]+|[a-z]+\s+\d{1,2}))?"  # ("Kafr Nabl on Tuesday and the neighbouring town of Hass")
                        r"(?:[\s,]*(?:(?:camp|district|neighbou?rhood|quarter|town|city)\s*,?\s*)?(?:(?:and|or)\s+(?:of\s+)?)?"  # ("control of Jarjanaz on 20 December, and of Tell Mannas")
                        r"(?:the\s+)?(?:(?:neighbou?ring|nearby|adjacent|adjoining)\s+)?"
                        r"(?:towns? of\s+|city of\s+|villages? of\s+|(?:district|neighbou?rhood|quarter|camp) of\s+)?"
                        # (a listed place in its own locative phrase: "in the town of Markadah and on the outskirts
                        # of Shaddadi", "around Derik, on the outskirts of Kobani and in villages north of Qamishli")
                        r"|(?:\s*,\s*(?:and\s+)?|\s+(?:and|or)\s+)(?:on|in|at)\s+the\s+(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+|main\s+)?(?:outskirts|edges?|villages|entrances?|gates?)\s+(?:(?:north|south|east|west)(?:-?(?:east|west))?\s+)?of\s+"
                        r"(?:the\s+)?(?:towns? of\s+|city of\s+|villages? of\s+)?"
                        r"|\s+and\s+(?:at|in)\s+(?:the\s+)?(?:towns? of\s+|city of\s+|villages? of\s+)?)")  # ("checkpoints at Sinuni and at the northern entrance of Sinjar")


_LOCATOR_GAP = re.compile(r"\s+(?:in|near)\s+(?:the\s+)?(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+)?(?:(?:countryside|province|governorate)\s+of\s+)?")
_NEW_CLAUSE_AFTER = re.compile(r"\s+(?:(?:city|town)\s+)?(?:remained|remains|was|were|is|are|had|has|have|fell|falls|stayed|stays|residents|police|provinces|governorates|celebrated|fled)\b", re.IGNORECASE)
_PROVINCE_NOUN_AFTER = re.compile(r"(?:\s+(?:province|governorate|countryside))?")
_OUTSKIRTS_LINK = re.compile(r"\bthe\s+(?:(?:[a-z]+ern|main)\s+)?(?:outskirts|edges?|villages|entrances?|gates?)\b")
_LIST_END_AFTER = re.compile(r"\s*(?:[,.;)]|$|\s+(?:on|last|this|early|late|over|since|and|or|in|at|yesterday|overnight|today|tonight|with|after|before|during|"
                             r"city|town|village|killing|wounding|earlier|later)\b)")


_OWNER_OF_NOUN_AFTER = re.compile(r"(?:\s+(?:organi[sz]ation|group))?(?:['’]s\b|\s+(?:positions?|siege|caliphate|rule|defen[cs]es|lines|bastion|strongholds?|territory|pocket|enclave|fighters'|militants')\b)")  # ("the Islamic State organisation's caliphate", "IS positions")
_GERUND_CLAUSE_BEFORE = re.compile(r"\b(?:before|after|while|when|upon|by)\s+$")  # ("... after seizing", "by taking")


def _chain_from(places, s, first: PlaceMention) -> list[PlaceMention]:
    """A place and those listed after it: "Al-Susah, Al-Shafa and Al-Baghuz" (and the other
    town of "both towns", which stands at the same words)."""
    chain = [first]
    if _BOTH_TOWNS.match(s, first.start):
        chain += [p for p in places if p.start == first.start and p.end == first.end and p.place != first.place]
    last_end = first.end
    stepped = False  # (over a locator: a town that starts a new clause after it ends the list)
    for p in places:
        if p.start <= chain[-1].start or p.start < last_end:
            continue
        if re.fullmatch(r"\s*\(", s[last_end:p.start]) and s[p.end:p.end + 1] == ")":
            last_end = p.end + 1  # "Girê Spî (Tal Abyad) and Serêkaniyê": the other name, or where it is
            continue
        gap = s[last_end:p.start].lower()
        if _LOCATOR_GAP.fullmatch(gap) and p.place.kind in ("admin1", "town") and p.place != chain[-1].place:
            # "Khan Sheikhoun in southern Idlib and of the towns of Morek and Kafr Zita": the
            # province only places the one before it; the list goes on after it
            last_end = p.end + len(_PROVINCE_NOUN_AFTER.match(s, p.end).group(0))
            stepped = True
            continue
        if stepped and _NEW_CLAUSE_AFTER.match(s, p.end):
            break  # (but "Hit in Anbar and Ramadi remained ...": a new clause's subject)
        if _CHAIN_GAP.fullmatch(gap):
            if (_OUTSKIRTS_LINK.search(gap) or gap.endswith((" and at ", " and in "))) and not _LIST_END_AFTER.match(s, p.end):
                break  # ("..., and on the outskirts of Hasakah the coalition struck ...": a new clause's place, not the list's)
            chain.append(p)
            last_end = p.end
        else:
            break
    return chain


_TOWNS_HIT = re.compile(r";\s*(?:among\s+)?the\s+(?:towns|villages|areas|places|towns and villages)\s+(?:hit|struck|targeted|bombed|shelled)\s+(?:were|included|are|include)\s+", re.IGNORECASE)


def _strike_places(s, start, end, places, ctx) -> list[PlaceMention]:
    """Every place struck: "struck A, B and C" gives three; "hit X in Idlib province and
    the town of Y, north of Homs" gives X and Y (the province and Homs only locate them)."""
    stop = re.search(r";|,?\s+but\s+(?:no|not|none|never)\b|,\s*(?:where|which|who|when|while|as(?!\s+well\s+as\b)(?=\s+(?:the\s+)?[\w-]+\s+(?:[\w-]+\s+)?(?:units|forces|troops|fighters|militants|army|rebels)\b)|(?:[\w-]+\s+){0,3}?(?:said|says)\b|a\b|an\b)|\.\s", s[end:])  # (", activists said, and fighting continued in Jobar"; "but no strikes were reported around Kocho")
    limit = end + (stop.start() if stop else len(s) - end)
    if stop and re.fullmatch(r",\s*an?", stop.group(0)) and _SITE_LIST_AFTER.match(s, end + stop.end()):
        # ("hit a depot in Deir ez-Zor city, a site on the outskirts of Al-Mayadin and a position
        # near Al-Bukamal": a list of sites struck, not an apposition)
        more = _CLAUSE_STOP.search(s, end + stop.end())
        limit = more.start() if more else len(s)
    later_clause = _AFTER_CLAUSE.search(s, end, limit)  # (", hours after an attack on a base near Hasakah": not struck)
    limit = later_clause.start() if later_clause else limit
    listed = _TOWNS_HIT.match(s, limit) if stop and stop.group(0) == ";" else None
    if listed:
        # "30 airstrikes on the northern countryside of Aleppo; among the towns hit were
        # Hreitan, Anadan and Kafr Hamra": each town listed
        towns = [p for p in places if p.start >= listed.end() and p.place.kind in ("town", "landmark")]
        if towns:
            return list({p.place.place_id: p for p in towns}.values())
    after = [p for p in places if p.role == "event" and p.place.kind != "country" and end <= p.start < limit
             and not _is_locator(s, p, places) and not _FROM_BEFORE.search(s, max(0, p.start - 12), p.start)  # (not "flown in from Baghdad")
             and not _FROM_DIRECTION_BEFORE.search(s, max(0, p.start - 30), p.start)]  # (nor "entered Ras al-Ain from the direction of Tal Tamr")
    # ("struck Ras al-Ain and Tal Abyad, sending residents fleeing south towards Hasakah": where
    # people fled, not a place struck, beside the places struck)
    fled_to = [p for p in after if _TOWARD_BEFORE.search(s, max(0, p.start - 60), p.start) or _FLED_ACROSS_TO_BEFORE.search(s, max(0, p.start - 60), p.start)]
    driven = _PEOPLE_DRIVEN.search(s, end, limit)
    if driven:
        # ("pounded towns across the eastern countryside, driving 300,000 people toward the
        # Jordanian border and the Golan frontier": where people were driven, no town struck)
        fled_to += [p for p in after if p.start > driven.end() and p not in fled_to]
    after = [p for p in after if p not in fled_to] or ([] if driven else after)
    # ("hit an IS vehicle on the road to Al-Qaim": where the road leads, which only locates;
    # "to stop a convoy from reaching the group's territory near Albu Kamal": where it did not go)
    after = [p for p in after if not _ROAD_TO_BEFORE.search(lowercase(s), max(0, p.start - 40), p.start)
             and not _FROM_REACHING_BEFORE.search(s, max(0, p.start - 80), p.start)]
    towns = {p.place.admin1 for p in after if p.place.kind in ("town", "landmark")}
    after = [p for p in after if not (p.place.kind == "admin1" and p.place.name in towns and not p.area)]
    if ctx.gaz is not None:
        # "12 strikes in Wadi al-Shay, south-west of Kirkuk": an area with no town of its own
        # is struck at the town that locates it (as _event_place puts it)
        after = [next((replace(p, place=q.place, fuzzy=q.fuzzy) for q in places if q.place.kind == "town" and 0 <= q.start - p.end <= 30
                       and _DIRECTION_OF_BEFORE.search(s[max(0, q.start - 45):q.start].lower())), p)
                 if p.place.kind == "landmark" and p.place.place_id not in ctx.gaz.landmark_towns
                 and not _BASE_NAMED_AFTER.match(s, p.end) else p for p in after]
    list_colon = _LIST_COLON.search(s, end, limit)
    colon = list_colon.start() if list_colon else -1
    if colon > 0 and any(p.start > colon for p in after):
        # ("struck sites in Deir ez-Zor three times: near Al-Bukamal on 27 October, ..., and on
        # Sunday at a site near Al-Bukamal": the items, not their sum; a town struck in two items twice)
        after = [p for p in after if p.start > colon]
        return list({(p.place.place_id, s.count(",", end, p.start)): p for p in after}.values())
    if after:
        return list({p.place.place_id: p for p in after}.values())
    # ("struck facilities in eastern Syria on Thursday night, hours after a drone attack killed a
    # contractor at a base near Al-Hasakah": not where the other event was)
    later_clause = later_clause or _AFTER_CLAUSE.search(s, limit)  # (also after ", the Pentagon said,")
    place = _event_place(None, s, start, end, [p for p in places if p.start < later_clause.start()] if later_clause else places, ctx)
    if place is not None and later_clause and any(p.place.place_id == place.place.place_id for p in places if p.start >= later_clause.end()):
        return []  # (nor the report's town when it is that other event's place)
    if place is not None and place.role == "event" and place.end <= start and s[start:end].lower().startswith(("was ", "were ", "had been ", "have been ", "has been ")):
        # "sites in Al-Qaim and Akashat were also hit": each town of the list before the verb
        chain = [p for p in _chain_to(places, s, place) if p.place.kind in ("town", "landmark")]
        # (only a list of where the sites are, "in A and B"; not "a bridge linking Raqqa and Tabqa")
        if len(chain) > 1 and _SITES_IN_BEFORE.search(s, max(0, chain[0].start - 12), chain[0].start):
            return list({p.place.place_id: p for p in chain}.values())
    return [place] if place else []


_SITES_IN_BEFORE = re.compile(r"\b(?:in|near|around|outside|at)\s+(?:the\s+)?$", re.IGNORECASE)
_LIST_COLON = re.compile(r"(?<!\d):(?!\d)")  # a colon that opens a list (not "at 04:30")
_PLACE_WORD_GAP = re.compile(r"\b(?:city|town|village|province|governorate)\b")
_OTHER_SITE = re.compile(r",\s*(?:and\s+)?an?\s+(?:[\w-]+\s+)?(?:site|position|depot|base|facility|warehouse|building|house|compound|post|gathering|target|headquarters)s?\b")  # (", a site on the outskirts of X": another site struck, not a locator)
_SITE_LIST_AFTER = re.compile(r"\s+(?:[\w-]+\s+){1,8}?(?:in|on|near|outside|around|at)\b[^.;]{1,80}?\band\s+(?:an?|the)\s")  # (", a site ... near X and a position ...": a list of sites)
_CLAUSE_STOP = re.compile(r";|,\s*(?:where|which|who|when|while|(?:[\w-]+\s+){0,3}?(?:said|says)\b)|\.\s")


_THE_TOWN_GAP = re.compile(r"\s*[:,]\s*the\s+(?:town|village|city)\s*")
_BETWEEN_TOWNS_BEFORE = re.compile(r",\s*(?:(?:on|along)\s+the\s+(?:main\s+)?(?:road|highway|route)\s+)?(?:(?:halfway|midway|roughly|about|just)\s+)?between\s+(?:the\s+(?:towns?|cities)\s+of\s+)?(?:[\w’'-]+\s+){0,3}?(?:and\s+)?$")


_DISTRICT_WORD_AFTER = re.compile(r"\s+(?:district|sub-?district|nahiya|qada)\b", re.IGNORECASE)
_IN_DISTRICT_GAP = re.compile(r",?\s+in\s+(?:the\s+)?", re.IGNORECASE)


_APPOSED_TOWN_GAP = re.compile(r",\s+an?\s+[^,.;]*?\b(?:town|city|village|district)\s+[^,.;]*")


_INTO_X_FROM_BEFORE = re.compile(r"\b(?:into|to|reached|entered)\s+(?:the\s+)?[A-Z][\w’'-]+(?:\s+[\w’'-]+){0,2}\s+from\s+$")  # ("moved into Khanasor from Sinuni and ...")


_POSSESSIVE_OUTSKIRTS_AFTER = re.compile(rf"(?:['’]s)?\s+(?:(?:{_COMPASS}|immediate|southern|northern|far)\s+)?(?:edges?|outskirts|fringes?|periphery|suburbs)\b", re.IGNORECASE)
_VILLAGES_OF_BEFORE = re.compile(r"\b(?:villages?|hamlets?|neighbou?rhoods?|quarters?|farms?)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_AREA_NOUN = r"\s+(?:area|neighbou?rhood|quarter|villages?|farms)\b"
_AREA_WORD = re.compile(_AREA_NOUN, re.IGNORECASE)
_AREA_WORD_GAP = re.compile(r"(?:" + _AREA_NOUN + r")?\s*")  # ("the Albu Faraj area on the city's northern edge"); (not "the Abu Ghraib district on Baghdad's western edge", a district of its own)
_PLACE_CHAIN_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?")


def _on_town_outskirts(s: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """"the villages of Albu Ghanim and Soda on Ramadi's eastern outskirts", "Albu Faraj on
    the city's northern edge": places on a town's outskirts are put at the town (README:
    outskirts stay at their town)."""
    out = list(places)
    for q in places:
        after = _POSSESSIVE_OUTSKIRTS_AFTER.match(s, q.end) if q.place.kind in ("town", "landmark") else None
        if after is None or not (after.group(0)[:1] in "'’" or q.text.endswith(("'s", "’s"))):
            continue
        on = re.search(r"\bon\s+$", s[max(0, q.start - 4):q.start])
        if on is None:
            continue
        at = max(0, q.start - 4) + on.start()
        chain = _placed_on_outskirts(s, [p for p in places if p is not q], at)
        # (only villages or areas told as such: "the villages of A and B", "the Albu Faraj area";
        # "Douma on Damascus's eastern outskirts", "Bartella on Mosul's eastern outskirts" are towns of their own)
        if not chain or not (_VILLAGES_OF_BEFORE.search(s, max(0, chain[-1].start - 30), chain[-1].start)
                             or _AREA_WORD.match(s, chain[0].end)):
            continue
        chain_ids = {id(p) for p in chain}
        out = [replace(p, place=q.place, fuzzy=q.fuzzy) if id(p) in chain_ids else p for p in out]
    return out


def _placed_on_outskirts(s: str, places: list[PlaceMention], at: int) -> list[PlaceMention]:
    """The places ("A, B and C") standing right before "on" at `at`."""
    chain, edge = [], at
    for p in reversed([p for p in places if p.end <= edge]):
        if not (_AREA_WORD_GAP.fullmatch(s, p.end, edge) if not chain else _PLACE_CHAIN_GAP.fullmatch(s, p.end, edge)) or p.place.kind not in ("town", "landmark"):
            break
        chain.append(p)
        edge = p.start
    return chain


def _is_locator(s: str, p: PlaceMention, places) -> bool:
    """"Talbiseh, north of Homs": Homs only says where Talbiseh is."""
    before = s[max(0, p.start - 45):p.start].lower()
    between = _BETWEEN_TOWNS_BEFORE.search(before) if "between" in before else None
    if between is not None:
        # "hideouts in Al-Khalidiya, between Ramadi and Fallujah": the two towns place the first
        at = p.start - len(before) + between.start()
        return any(q.end <= at and (at - q.end <= 3 or _THE_TOWN_GAP.fullmatch(s, q.end, at)) and q.place.kind in ("town", "landmark")
                   for q in places if q is not p)  # (also "Qayrawan: the town, on the road between Sinjar and Baaj")
    if (_DIRECTION_OF_BEFORE.search(before) or _EDGE_OF_BEFORE.search(before)) and not _AND_EDGE_OF_BEFORE.search(before):  # ("Al-Amiriyah on the northern edge of Palmyra"; not "struck Muhambal and on the outskirts of Ariha": a place of its own)
        # (not "a depot in Deir ez-Zor city, a site on the outskirts of Al-Mayadin": another site)
        return any(q.end <= p.start and (p.start - q.end <= 45 or (p.start - q.end <= 90 and _APPOSED_TOWN_GAP.fullmatch(s, q.end, p.start)))
                   and not _OTHER_SITE.search(s, q.end, p.start) for q in places if q is not p)  # (and "Bartella, a mainly Christian and Shabak town 15 km east of Mosul")
    if p.place.kind == "landmark" and before.endswith((" in ", " in the ")) and any(
            q.end <= p.start and q.place.kind == "town" and q.place.name != q.place.admin1 and _IN_GAP.fullmatch(s, q.end, p.start)
            for q in places if q is not p):  # (not "struck Idlib in Jabal al-Zawiya": the province's city names the province)
        return True  # "the outskirts of Al-Bara and Ihsim in Jabal al-Zawiya": a town in a site names a region
    if _COUNTRYSIDE_AFTER.match(s, p.end) and before.endswith((" in ", " in the ")):
        # "the village of Al-Mansoura in Raqqa western countryside": Raqqa only says where
        return any(q.end <= p.start and re.fullmatch(r",?\s+in\s+(?:the\s+)?", s[q.end:p.start]) and q.place.kind in ("town", "landmark")
                   for q in places if q is not p)
    if p.place.kind == "town" and p.place.name == p.place.admin1 and (s[p.start - 1:p.start] in (",", "|") or before.endswith(("  ", ", ", "| "))) \
            and any(q.place.kind in ("town", "landmark") and q.place.admin1 == p.place.admin1 and q.place is not p.place and q.end <= p.start
                    and _CELL_GAP_BEFORE.fullmatch(s, q.end, p.start) for q in places if q is not p):
        return True  # "2022-04-01,al-Mayadin,Deir ez-Zor,unknown": the city's name in the province column
    if _KIND_OF_AFTER.match(s, p.end) and any(q.start >= p.end and q.place.kind in ("town", "landmark")
                                              and _KIND_OF_AFTER.fullmatch(s, p.end, q.start) for q in places if q is not p):
        return True  # "the strategic Daraa town of Sheikh Miskin": Daraa only says where the town is
    if before.endswith("(") and _CLOSING_PAREN.match(s, p.end):
        # "Saraqib (Idlib)", "Taftanaz airbase (Idlib)": the province in brackets says where the town is
        return any(q.end <= p.start and _SITE_BEFORE_BRACKET.fullmatch(s, q.end, p.start) and q.place.kind in ("town", "landmark") for q in places if q is not p)
    if p.place.kind == "admin1" and _COUNTRYSIDE_AFTER.match(s, p.end) and _APPOSED_PART_BEFORE.search(before):
        # "Azaz, northern Aleppo countryside: ...": the province's part in apposition says where the town is
        return any(q.place.kind in ("town", "landmark") and _APPOSED_PART_BEFORE.fullmatch(s[q.end:p.start].lower())
                   for q in places if q is not p and q.end <= p.start)
    if p.place.kind == "admin1" and _CELL_GAP_BEFORE.search(s, max(0, p.start - 45), p.start):
        # "| Tikrit | Salah al-Din | seized by ISIS |", "Tikrit, Salahuddin": the town's own province beside it
        return any(q.place.kind in ("town", "landmark") and q.place.admin1 == p.place.admin1 and q.end <= p.start
                   and _CELL_GAP_BEFORE.fullmatch(s, q.end, p.start) for q in places if q is not p)
    if _DISTRICT_WORD_AFTER.match(s, p.end) and before.rstrip().endswith((" in", " in the")):
        # "the village of Hass, in Maarat al-Numan district": the district says where the village is
        return any(q.end <= p.start and _IN_DISTRICT_GAP.fullmatch(s, q.end, p.start) and q.place.kind in ("town", "landmark")
                   for q in places if q is not p)
    if p.place.kind == "admin1" and _IN_PART_OF_BEFORE.search(before):
        # "Kafr Nabl in southern Idlib", "Markadah, in the southern countryside of Hasakah"
        return any(q.end <= p.start and p.start - q.end <= 45 and q.place.kind in ("town", "landmark")
                   and _IN_PART_OF_BEFORE.fullmatch(s[q.end:p.start].lower()) for q in places if q is not p)
    return False


_THE_ATTACKERS = re.compile(r"\b(?:struck|hit|targeted|pursued|chased|killed) (the (?:attackers|assailants))\b")  # (their object: not "the attackers fled")
_TRYING_TO_BEFORE = re.compile(r"\b(?:trying|attempting|tried|attempted)\s+to\s+$")
_FELL_TO_FIRE = re.compile(r"\s+(?:an?\s+|the\s+|enemy\s+)?(?:[\w-]+\s+){0,2}?(?:sniper|snipers|bullets?|gunfire|fire|shelling|shells?|mortars?|bombs?|mines?|landmines?|ieds?|strikes?|air\s?strikes?|drones?|rockets?|missiles?)\b")
_WHO_LIBERATED_BEFORE = re.compile(r"\b(?:men|fighters|heroes|forces|those|ones|troops|units)\s+who\s+(?:have\s+|had\s+)?$")
_UNTIL_BEFORE = re.compile(r"\buntil\s+(?:[\w-]+\s+){0,6}?(?:is|are|has been|have been|be)\s+(?:fully\s+|completely\s+)?$")
_FRONT_AFTER = re.compile(r"\s+(?:front|frontline|front line|fronts)\b", re.IGNORECASE)
_SENT_TO_BEFORE = re.compile(r"\b(?:sends?|sent|dispatch(?:es|ed)?|moves?|moved|redeploys?|redeployed)\s+(?:[\w-]+\s+){0,3}?(?:to|toward|towards)\s+(?:the\s+)?$", re.IGNORECASE)
_TRAVEL_TO_BEFORE = re.compile(r"\b(?:fled|flew|went|travell?ed|escaped|returned|moved|taken|sent|flown|arrived)\s+(?:back\s+)?(?:to|in|into)\s+$")
_COMPLETED_OPERATION = re.compile(r"(?:completed|concluded|finished|accomplished)\s+(?:the|its|their)\s+")  # ("completed the operation to liberate Palmyra": done, no plan)
_AND_EDGE_OF_BEFORE = re.compile(rf"\b(?:and|or)\s+(?:on|in|at)\s+the\s+(?:{_COMPASS}\s+)?(?:edges?|outskirts|fringes?|periphery)\s+of\s+(?:the\s+)?$")
_EDGE_OF_BEFORE = re.compile(rf"\bon\s+the\s+(?:{_COMPASS}\s+)?(?:edges?|outskirts|fringes?|periphery)\s+of\s+(?:the\s+)?$")
_APPOSED_PART_BEFORE = re.compile(rf",\s*(?:the\s+)?{_COMPASS}\s+$")
_SITE_BEFORE_BRACKET = re.compile(r"(?:\s+(?:airbase|air base|airport|military airport|base|crossing|border crossing|camp|dam|oil field|gas field|junction|roundabout|bridge))?\s*\(")
_KIND_OF_AFTER = re.compile(r"(?:['’]s)?\s+(?:(?:border|desert|frontline|front-line|riverside|farming|market|northern|southern|eastern|western|central|strategic|key|rebel-held|regime-held)\s+)?(?:town|city|village|hamlet|suburb|countryside town)\s+of\s+(?:the\s+)?")
_CLOSING_PAREN = re.compile(r"(?:\s+(?:province|governorate))?\s*\)")
_COUNTRYSIDE_AFTER = re.compile(rf"\s+(?:{_COMPASS}\s+)?(?:countryside|outskirts|province|governorate)\b", re.IGNORECASE)
_CELL_GAP_BEFORE = re.compile(r"(?:\s*[|,]\s*|[ \t]{2,})$")  # a table's column gap or an apposing comma
_DIRECTION_OF_BEFORE = re.compile(rf"(?:,\s*|\s){_DISTANCE}{_COMPASS}\s+of\s+$")
_FRONTED_DIRECTION_BEFORE = re.compile(rf"(?:further\s+|farther\s+|just\s+)?{_COMPASS}\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_UNNAMED_PLACE_DIRECTION_BEFORE = re.compile(
    r"\b(?:an?|the|their|its)\s+(?:(?:[\w-]+\s+){1,2}area|(?:[\w-]+\s+){0,2}(?:region|camp|desert|valley"
    rf"|hills?|mountains?|orchards?))\s+{_DISTANCE}{_COMPASS}\s+of\s+$", re.IGNORECASE)
# (a bare "the area north of Saraqib" is Saraqib's, as the README puts "north-west of X" at X)
# (but "an army checkpoint north of Samarra", "a village east of Hawija", "their positions
# west of Mosul": a small place next to the town, put at the town as an unknown village is)
_SUBJECT_APPOSITIVE_AFTER = re.compile(r"(?:\s*:\s*the\s+(?:town|village|city))?,[^.;]{1,80}?,\s*(?:(?:was|were|is|are|had|has|have)\b|(?=fell|falls|fallen|came under|passed to))")
_IN_PART_OF_BEFORE = re.compile(rf",?\s*in\s+(?:the\s+)?(?:{_COMPASS}\s+|central\s+)?(?:(?:countryside|outskirts|province|governorate|desert|part)\s+of\s+(?:the\s+)?)?$")


_ITEM_LABEL_AFTER = re.compile(r"(?:\s+(?:countryside|city|camp|area))?\s*(?:\([^()]{1,30}\))?(?:,\s*\d{1,2}\s+[A-Z][a-z]{2,8}(?:\s+\d{4})?)?\s*(?:[:–—]|\s-\s)")  # (also "2) KAFRANBEL - Government helicopters ...", "• Daquq, 4 June: A joint army-PMF search operation ...")
_LOWER_WORD = re.compile(r"\b(?!(?:on|and)\b)[a-z]{2,}\b")  # (an item's label is dates, weekdays and names)
_UNIDENTIFIED_AIR = re.compile(r"\b(?:unidentified|unknown|unmarked|unclaimed|mysterious)\s+(?:[\w-]+\s+)?(?:warplanes?|war planes?|jets?|aircraft|planes?|drones?|helicopters?|air ?strikes?|strikes?|air raids?)\b")
_SINCE_WORD = re.compile(r"^\s*(?:ever\s+)?since\s+", re.IGNORECASE)


def _in_that_year(s: str, times: list, before, previous: str = "") -> list:
    """A month "of that year" / "the same year" takes the year of the time told before it (in
    the sentence, else the last one the report gave)."""
    out = []
    for i, t in enumerate(times):
        anchor = times[i - 1].start.year if i > 0 else before.start.year if before is not None else None
        if i == 0 and (years := _YEAR_IN_TEXT.findall(s, 0, t.span_start) or _YEAR_IN_TEXT.findall(previous or "")):
            anchor = int(years[-1])  # ("the 2018 settlement under which ... in July of that year": a year named as a word's attribute; "The 2014 fall of Mosul shocked Baghdad. In June of that year ...")
        if anchor is not None and _THAT_YEAR.match(s, t.span_end) and t.precision in ("month", "day") and t.start.year != anchor:
            try:
                t = replace(t, start=t.start.replace(year=anchor), end=t.end.replace(year=anchor))
            except ValueError:  # (29 February)
                pass
        out.append(t)
    return out


_PRESENT_STATE = re.compile(r"(?:remains?|is|are)\b")
_DURING_THE_OPERATION = re.compile(r"\bduring the (?:whole |entire )?(?:campaign|operation|offensive|battle|assault)\b(?! (?:for|of|to|in|on|against)\b)")
_THE_MONTH = re.compile(r"\b(?:during|in|over|throughout|for|across) the (?:(?P<half>first|second|latter) half of the |(?:same |whole |entire )?)(?:month|(?P<quarter>quarter))\b(?! of)")  # (and "during the quarter" of "Quarterly analysis Q3 2020")
_SINCE_THEN = re.compile(r"\b(?:ever )?since (?:then|that (?:day|time|date)|that point)\b|(?:(?<=have )|(?<=has ))since\b(?!\s+(?:the|a|an|\d|january|february|march|april|may|june|july|august|september|october|november|december|last|early|late|mid)\b)")
_YEAR_IN_TEXT = re.compile(r"\b(?:19|20)\d\d\b")
_NOT_BARE_MONTH = re.compile(r"\b(?:last|this|next|previous|coming|ago|past|since|earlier|later)\b", re.IGNORECASE)
_REPORTED_BETWEEN = re.compile(r"\b(?:said|says|say|told|report|reported|according|published|issued|statement)\b", re.IGNORECASE)
_MONTH_PART = re.compile(r"\b(?:early|mid|middle|late|end|beginning|start|first|second|half)\b", re.IGNORECASE)
_MONTH_WORD = re.compile(r"\b" + _MONTH_ANY, re.IGNORECASE)


def _in_year_of_sentence_before(times: list, told, published: date) -> list:
    """A bare day ("on 27 July") right after a sentence of the same paragraph that dated its
    event with an earlier year ("in July 2018") is in that year, on or after that time."""
    out, year = [], told.start.year
    for t in times:
        if t.precision == "day" and t.start == t.end and t.start.year > year and _MONTH_WORD.search(t.text) and not _NOT_BARE_MONTH.search(t.text) \
                and (published - t.start).days > 60:  # (a day of the last weeks is news: "IS was founded in 2014. On 27 July gunmen ...", told in August)
            try:
                moved = replace(t, start=t.start.replace(year=year), end=t.end.replace(year=year))
                t = moved if moved.start >= told.start else t  # (not before the time told: "took Hajin in December 2018. On 23 March ...")
            except ValueError:  # (29 February)
                pass
        out.append(t)
    return out


def _in_year_told(s: str, times: list) -> list:
    """A month or day with no year, after a time with an explicit year earlier in the same
    sentence, is in that year (the report date would put it in the latest such month)."""
    out, told = [], None
    for t in times:
        if told is not None and _REPORTED_BETWEEN.search(s, told.span_end, t.span_start):
            told = None  # "photos from August 2013 ..., HRW said in a report issued in December"
        if _YEAR_IN_TEXT.search(t.text):
            # ("since 2017, and in November began": a span up to now tells no year)
            told = None if _SINCE_WORD.match(t.text) or t.end.year != t.start.year else t
        elif (told is not None and t.precision in ("month", "day", "week") and t.start.year != told.start.year
              and told.start.year < t.start.year and _MONTH_WORD.search(t.text) and not _NOT_BARE_MONTH.search(t.text)):
            try:
                end = t.end.replace(year=told.start.year)
                if t.precision == "month" and t.start.day == 1 and t.end.month == t.start.month \
                        and not _MONTH_PART.search(t.text):
                    # the whole month (it was cut at the report date when it was the report's month)
                    end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
                t = replace(t, start=t.start.replace(year=told.start.year), end=end)
            except ValueError:  # (29 February)
                pass
        out.append(t)
    return out


_THAT_YEAR = re.compile(r",?\s+(?:of\s+|in\s+)?(?:that|the same|that same) year\b", re.IGNORECASE)
_BOTH_TOWNS_AFTER = re.compile(r"\s+(?:control of\s+)?(?:both|the two|all three|all four|the three) (?:towns|cities|villages)\b")
_IT_TAKEN_OUT = re.compile(r"(?:drove|driven|drive|driving|expelled|ousted) (?:it|them)\b(?!(?: out)? (?:of|from)\b)"
                           r"|hand(?:ed|ing|s) it (?:over |back )?to\b"  # ("withdrew from Manbij, handing it to the army")
                           r"|declared it\b")  # ("moved into the Old City of Homs, and the army declared it 'free of terrorists'")
# Things one hands over that are no town ("seized a checkpoint near Manbij and handed it to the police").
_HANDED_THINGS = (r"(?:checkpoints?|posts?|positions?|bases?|vehicles?|cars?|trucks?|tanks?|weapons?|bod(?:y|ies)|prisoners?|captives?|detainees?"
                  r"|hostages?|suspects?|bombs?|drones?|aircraft|pilots?|files?|documents?|money|convoys?|shipments?|crossings?|airports?|dams?"
                  r"|prisons?|roads?|highways?|buildings?|hospitals?|schools?|mosques?|(?:oil|gas)\s+fields?|oilfields?|fields?|silos?|depots?"
                  r"|warehouses?|plants?|stations?|facilit(?:y|ies)|compounds?)")
_THING_HANDED = re.compile(rf"\b{_HANDED_THINGS}\b")  # (any thing named between the town and "handed it")
# ("an oil field near Manbij", "a military base outside the town of Manbij": the thing's own phrase before the town)
_A_THING_HANDED = re.compile(rf"\b(?:a|an|the)\s+(?:[\w-]+\s+)?{_HANDED_THINGS}\s+(?:[\w-]+\s+){{0,4}}$")
_IT_OBJECT = re.compile(r"\s+(?:it\b(?!\s+(?:was|is|had|has|would|will)\b)|its\s+(?:eastern|western|northern|southern|old|remaining|last)\s+(?:half|part|parts|side|bank|districts|neighbou?rhoods|quarters|city)\b)")  # "retook its eastern half"
_BATTLE_FOR_BEFORE = re.compile(r"\b(?:battle|fight|fighting|struggle|siege)\s+(?:for|of)\s+(?:the\s+)?$", re.IGNORECASE)
_HANDED_NAMED = re.compile(r"hand(?:ed|ing|s) (?!(?:over|back|it|the|its|their|control|full|security|military|administrative)\b)")  # ("handed Manbij over to"; not "handed over", "handed the town to")
_WHETHER_BEFORE = re.compile(r"\b(?:whether|if|unclear|not clear|uncertain)\b[^.;]*$")
_HELD_SINCE_AFTER = re.compile(r"[^.;]{0,60}?\b(?:as it has been|as it was|since\s+(?:(?:early|late|mid-?)\s*)?(?:[a-z]+\s+)?\d{4})\b")  # (not "since the SDF pulled out on Sunday")
_YEARS_AFTER_BEFORE = re.compile(r"\b(?:\w+|\d+)\s+(?:years?|months?)\s+(?:after|since)\b[^.;]*$")  # ("Two years after Operation Olive Branch, Afrin is now under Turkish control")
_PURPOSE_CLAUSE = re.compile(r",\s*(?:launching|beginning|starting|opening|in order to|as part of|to (?:clear|retake|recapture|attack|capture|liberate|push|drive|expel)\b)|\bin order to\b", re.IGNORECASE)
_PART_OF_TOWN_OBJECT = re.compile(r"\s*the\s+(?:(?:north|south|east|west)(?:ern|-eastern|-western|eastern|western)?|central|outer|inner|old)\s+(?:districts?|neighbou?rhoods?|quarters?|outskirts|suburbs?|parts?|edges?|side)\b(?!\s+of\b)")
_OF_TOWN_AFTER = re.compile(r"\s+(?:in|of)\s+(?:the\s+)?(?:(?:north|south|east|west)\w*\s+(?:part\s+)?(?:of\s+)?(?:the\s+)?)?(?:(?:city|town)\s+of\s+)?")
_DISTRICT_OBJECT = re.compile(r"\s*(?:the\s+)?(?:[\w’'-]+\s+){1,5}(?:districts?|neighbou?rhoods?|quarters?)\b")
_APPOSITIVE_BEFORE = re.compile(r",\s*(?:the\s+)?(?:provincial\s+)?(?:capital|centre|center|seat)\s+of\s+(?:the\s+)?$"
                                r"|,\s*(?:an?|the)\s+(?:[\w-]+\s+){0,5}(?:in|of)\s+(?:the\s+)?$|,\s*in\s+(?:the\s+)?$")


_VILLAGE_OF = re.compile(r"\b(?:village|hamlet)s?\s+of\s+\S")


_HANDED_POSITIONS = re.compile(r"hand(?:ed|ing|s)\s+(?:over\s+)?(?:their|its)\s+(?:[\w-]+\s+)?(?:positions?|bases?|posts?|checkpoints?|headquarters|points)\b")
_IN_BEFORE = re.compile(r"\bin\s+(?:the\s+)?$")


_FATE_OF_BEFORE = re.compile(r"\b(?:fate|future|destiny|fortunes?|security|decision)\s+of\s+(?:the\s+)?(?:[\w-]+\s+)?$", re.IGNORECASE)
# ("has been in rebel hands since 2012, and its spring supplies Damascus": another clause's place)
_NEW_CLAUSE = re.compile(r",\s+(?:and|but|while|whereas)\s")
_CLAUSE_VERB_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?(?:came|comes|was|were|is|are|remained|remains|has|had|have|celebrated|fell|saw|witnessed|suffered|stayed|lay|lies)\b")


_DIRECTION_APPOSITIVE = re.compile(r",\s*(?:(?:about|some|around)\s+)?(?:\d+\s*(?:km|kilometres|kilometers|miles)\s+)?(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+(?:of|edge of|outskirts of)\s+[^,.;]{1,40}")


_AND_IN_OF_AFTER = re.compile(r"\s+(?:and|in|of)\b")  # ("overran the checkpoints and the town", "... in Tal Rifaat": a town taken too)


def _control_place(s, lower, start, end, places, ctx, lex) -> PlaceMention | None:
    events = [p for p in places if p.role in ("event", "source") and p.place.kind != "country"]
    inside = [p for p in events if start < p.start and (p.end < end or (p.end == end and p.text.lower().startswith("the ")))]  # (also "handing the town": its last words)
    if inside:
        return inside[0]
    if (taken := _CHECKPOINTS_AFTER.match(lower, end)) and not _AND_IN_OF_AFTER.match(lower, taken.end()):
        return None  # ("East of Homs, IS fighters overran three army checkpoints": checkpoints taken, no town)
    # "the Qayyarah West airbase, which they seized in July": the place the clause is about.
    rel = re.search(r",?\s+(?:which|that)\s+(?:[\w’'-]+\s+){0,6}$", lower[max(0, start - 70):start])
    if rel:
        at = max(0, start - 70) + rel.start()
        # "Khan Sheikhun, the largest town in southern Idlib, which the army captured": the
        # name before the appositive, not the province that locates it
        head = [p for p in places if p.end <= at and re.fullmatch(r",\s*(?:the|a|an)\s+[^,.;]{0,60}", s[p.end:at])]
        if head and head[-1].place.kind != "country":
            return head[-1]
        antecedent = [p for p in events if p.end <= at and at - p.end <= 60 and not re.search(r"[.;,]", s[p.end:at])]
        if antecedent and _is_locator(s, antecedent[-1], places):
            # ("Zummar, north-west of Mosul, which the militants seized": the town the locator places)
            located = [p for p in events if p.end <= antecedent[-1].start and antecedent[-1].start - p.end <= 40
                       and p.place.kind in ("town", "landmark") and not _is_locator(s, p, places)
                       and s.startswith(",", p.end)  # (an appositive locator; not "lies 85 km south-west of Palmyra, which IS captured")
                       and not _FROM_BEFORE.search(s, max(0, p.start - 12), p.start)]  # (nor "set out from Homs, 160 km west of Palmyra, which ...")
            if located:
                return located[-1]
        if antecedent:
            return antecedent[-1]
        # ("the village of Ayyash, north-west of the suburb, which the monitor said remained
        # contested": the place a locating phrase describes)
        located = [p for p in events if p.end <= at and p.place.kind in ("town", "landmark") and _DIRECTION_APPOSITIVE.fullmatch(lower, p.end, at)]
        if located:
            return located[-1]
    if _HANDED_POSITIONS.match(lower, start):
        # "NFL factions in Ariha and Maarat al-Numan handed their positions to HTS": the towns
        # the handing side is in, within the clause
        clause_start = max([0] + [b.end() for b in re.finditer(r"[;:]|,\s(?!and\b)", lower[:start])])
        held_in = [p for p in events if clause_start <= p.start and p.end <= start and p.place.kind in ("town", "landmark")
                   and _IN_BEFORE.search(lower, max(0, p.start - 6), p.start)]
        if held_in:
            return held_in[0]
    if _BOTH_TOWNS_AFTER.match(lower, end):
        # "IS overran Jalawla and Saadiya in August 2014, and the Hashd retook both towns": the towns named before
        towns = [p for p in events if p.end <= start and p.place.kind in ("town", "landmark")]
        if len(towns) >= 2:
            return towns[-1]
    if _IT_TAKEN_OUT.match(lower, start):
        # "regime troops drove it out in March 2016": the group out of the town in view
        towns = [p for p in events if p.end <= start and p.place.kind in ("town", "landmark")]
        if lower.startswith("hand", start):
            # "withdrew from Manbij, handing it to government forces": the town, unless a thing
            # was named since ("seized a checkpoint near Manbij and handed it to the police")
            towns = [p for p in towns if not _THING_HANDED.search(lower, p.end, start)
                     and not _A_THING_HANDED.search(lower, max(0, p.start - 50), p.start)]
            if not towns:
                return None
        if towns:
            return replace(towns[-1], role="context")
        # ("soldiers moved into the Old City, and the army declared it free": where the event just told was)
        seen = (ctx.event_place or ctx.town) if lower.startswith("declared", start) else (ctx.town or ctx.event_place)
        return replace(seen, role="context") if seen else None
    it_subject = _IT_SUBJECT.search(lower, max(0, start - 12), start)
    if it_subject and "was" not in it_subject.group(0) and _ACTIVE_TAKE.match(lower, start) \
            and not any(0 <= it_subject.start() - p.end <= 12 for p in events):
        # "the coalition said it takes all reports seriously": "it" acts, it is no town taken
        # (but "the Tabqa airbase it seized last month": the place before is what it took)
        it_subject = None
    if it_subject and not any(0 <= p.start - end <= 30 for p in events):
        # "three months after it fell to Islamic State": the town named before, here or earlier
        towns = [p for p in events if p.end <= start and p.place.kind in ("town", "landmark")
                 and not _ROAD_TO_BEFORE.search(lower, max(0, p.start - 40), p.start)]
        towns = [p for p in towns if not _is_locator(s, p, places)] or towns
        if towns:
            return replace(towns[-1], role="context")
        if ctx.town is not None or ctx.event_place is not None:
            return replace(ctx.town or ctx.event_place, role="context")
    after = [p for p in events if p.start >= end and p.start - end <= 110
             and not re.search(r"[.;]", s[end:p.start])]
    counted = _COUNTED_PLACES_TAKEN.match(lower, end)
    if counted:
        # "captured more than 40 towns and villages in south-eastern Idlib, including Jarjanaz
        # and Tal Mannas": the towns named as taken (the count's region is only where they lie)
        named = [p for p in events if counted.end() <= p.start <= counted.end() + 100 and p.place.kind in ("town", "landmark")
                 and re.search(r",\s*(?:including|among them|such as)\s+(?:the\s+)?(?:towns?\s+of\s+|villages?\s+of\s+)?$", lower[max(0, p.start - 40):p.start])]
        if named:
            return named[0]
    if after:
        first = after[0]
        between = lower[end:first.start]
        # ("seized full control of the border town of X": the control phrase is no distance)
        between = _CONTROL_OF.sub(" ", between, count=1)
        if _AROUND_PLACE.search(between):
            return None  # "captured more than 300 villages around Kobani": not Kobani
        # ("recaptured the provincial government complex in the Dawasa district of western
        # Mosul": a site of the town, however long its description)
        held = lower.startswith(("been", "remained", "remains", "stayed", "has ", "had ", "have ", "is now", "was now", "are now", "were now"), start)
        # (a new clause: "captured several villages on Friday, and Maarat al-Numan came under shelling")
        new_clause = _NEW_CLAUSE.search(between) is not None and (held or _CLAUSE_VERB_AFTER.match(lower, first.end) is not None)
        words_between = len(between.split()) - (1 if _COMPASS_ADJ_BEFORE.search(between) else 0)  # ("districts of eastern Aleppo")
        if (words_between <= 6 and first.start - end <= 60 and not new_clause) or _SITE_OF_TOWN.search(between):
            thing = _words_re(lex.words, "non_territory", r"\b(?:@@)\b").search(between)
            if thing and not (_PRISON.fullmatch(thing.group(0)) and _PRISON_TAKEN.match(lower, start) and not _PRISON_PART.search(between)):
                return None  # "captured soldiers near X", "stormed a checkpoint near X", a jailbreak ("overran the prison, freeing inmates"; but "regained full control of the prison in Hasakah" is the town's)
            if _VILLAGE_OF.search(between) and _DIRECTION_OF_BEFORE.search(lower, max(0, first.start - 45), first.start):
                return None  # "captured the village of Mushayrifa, east of Ain Issa": a village we do not know, not the town
            return first
    if _IT_OBJECT.match(lower, end):
        # "ten months after the jihadists seized it": the town just spoken of, in this
        # sentence ("pulled out of Sinjar, and the Hashd took control of it") or before
        before = [p for p in events if p.end <= start and p.place.kind in ("town", "landmark")
                  and not _ROAD_TO_BEFORE.search(lower, max(0, p.start - 40), p.start)]  # (not "attacks on the roads leading to Karbala since it overran it")
        before = [p for p in before if not _is_locator(s, p, places)] or before  # ("took Tal Kayf, north of Mosul, ... who had held it")
        if before:
            return replace(before[-1], role="context")
        if ctx.town is not None or ctx.event_place is not None:
            return replace(ctx.town or ctx.event_place, role="context")
    if (dm := _DISTRICT_OBJECT.match(lower, end, end + 60)) and (of_town := _OF_TOWN_AFTER.match(lower, dm.end())):
        # "overran two government-held districts in the south of Hasakah city": the town they are in
        town = next((p for p in events if p.start == of_town.end() and p.place.kind in ("town", "landmark")), None)
        if town is not None:
            return town
    if _DISTRICT_OBJECT.match(lower, end, end + 60):
        # "In Raqqa, SDF fighters captured the al-Nahda district": a part of the town named
        town = [p for p in events if p.end <= start and p.place.kind in ("town", "landmark")]
        if town:
            return replace(town[-1], role="context")
        if ctx.town is not None:
            return replace(ctx.town, role="context")
    if re.match(r"\s*(?:the |full |complete )*(?:control of )?(?:the )?(?:(?:ancient|old|border|strategic|desert|riverside|northern|southern|eastern|western|small|besieged|embattled|key|nearby|palestinian|refugee|palestinian refugee) )?(?:city|town|village|area|region|enclave|camp)\b", lower[end:end + 50]):
        if ctx.unknown_place_named:
            # "recaptured the village of Kafr Nabouda": not the town named before, but that village
            if ctx.unknown_place_named == "place" and ctx.unknown_place_name:
                return _unlocated_place(ctx.unknown_place_name, _province_in_view(ctx), ctx)  # (None for a bare name: no town named before either)
            return None
        # the town this sentence named before ("Jurf al-Sakhar remains closed ... after the PMF
        # drove IS out of the area"), else the one in view
        town = [p for p in events if p.end <= start and p.place.kind in ("town", "landmark") and not _is_locator(s, p, places)]  # (not "60 km south of Mosul")
        if town:
            return town[-1]
        if ctx.town is not None:
            return replace(ctx.town, role="context")
    # "Ramadi, the capital of Anbar, fell to IS": the province only says where Ramadi is.
    # "Fallujah, 50 km west of Baghdad, was the first city to fall": nor does a place "west of" locate.
    before = [p for p in events if p.end <= start and start - p.end <= 40 and not _APPOSITIVE_BEFORE.search(lower, max(0, p.start - 45), p.start)
              and not _DIRECTION_OF_BEFORE.search(lower, max(0, p.start - 45), p.start)
              and not _ROAD_NAME_AFTER.match(s, p.end) and not (_ROAD_NAME_BEFORE.search(s, max(0, p.start - 30), p.start) and _ROAD_WORD_AFTER.match(s, p.end))]  # (not "on the Damascus-Deir ez-Zor highway")
    # ("| Tikrit | Salah al-Din | seized by ISIS |": the town, where the province only locates it)
    located = [p for p in before if not _is_locator(s, p, places)]
    gap_from = before[-1].end if before else start
    before = located or before
    if not located:
        # the subject before an appositive: "Fallujah, 50 km west of Baghdad, was ...",
        # "Qayrawan, on the road between Sinjar and Baaj, was captured" (its places only locate it)
        before = [p for p in events if p.start <= 5 and p.end <= start and _SUBJECT_APPOSITIVE_AFTER.match(lower, p.end)][:1] or before

    if before and re.search(r"\b(?:was|were|had been|has been|have been|is|remains?|remained)\b", lower[before[-1].end:end]) or (
            before and _place_is_subject(lower[before[-1].end:end])):
        return before[-1]
    if before and not lower[gap_from:start].strip(" :|-–—") and re.match(r"\s+by\b", lower[end:end + 4]):
        return before[-1]  # a headline's passive: "Khan al-Asal liberated by the revolutionaries" (a table's "Morek | captured by HTS")
    if ctx.under_heading and ctx.event_place is not None and ctx.event_place.place.kind in ("town", "landmark") and _NAMED_OBJECT.match(s, end):
        # "#Aleppo: regime forces have taken Sheikh Saeed and most of Salihin": quarters of the heading's town
        return replace(ctx.event_place, role="context")
    return None


_NAMED_OBJECT = re.compile(r"\s+(?:(?:the|most|all|parts?|much)\s+(?:of\s+)?)?(?:(?:al|el)-)?[A-Z]")


def _place_is_subject(text: str) -> bool:
    """"Mosul fell to / into the hands of IS", "Jarablus came under the control of",
    "Qaryatayn changed hands": the place named before the verb is what changed hands."""
    return bool(re.search(r"\b(?:(?:fell|falls|fall|falling|fallen) (?:to|(?:at|into|in) the hands of|under)|(?:came|comes|come) (?:back )?under"
                          r"|(?:returned|returns|reverted|passed|went back) (?:back )?(?:to|under)"
                          r"|(?:changed|changes|change|changing) hands)\b", text))


_NO_FORCE_MOVER_BEFORE = re.compile(r"\btraffic\s+(?:police|policemen|officers|cops|wardens)\b(?:\s+[\w-]+){0,4}\s+$"
                                    r"|(?:^|[,;:]\s*|\b(?:as soon as|when|after|until|before|as|once|while|and|but|since)\s+)(?:the|a)\s+(?:fighting|battle|clashes|war|violence|shelling|bombardment|fire|flames|front\s?line|front|news|crisis|floods?|water)\s+(?:has\s+|had\s+|have\s+)?$")
_ARMED_MEN = re.compile(r"\b(?:rebels|insurgents|combatants|commandos|mercenaries)\b(?!['’])")  # ("rebels and their families left": armed men move, with their kin)
FORCES = r"\b(?:fighters|troops|forces|garrison|militants|members|soldiers|units|reinforcements|convoys?|columns?|carloads|cars|vehicles|pickups|jihadists|militiamen|personnel|brigades?|battalions?|police|gunmen|army|militia|militias)\b"


_KIN_PHRASE = re.compile(r"\b(?:relatives|families|wives|widows|children|women)\s+(?:of|linked\s+to|affiliated\s+with|associated\s+with|tied\s+to)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3}?(?:fighters|members|militants|jihadists|men|soldiers)\b"
                         r"|\b(?:militia|militiamen['’]?s?|fighters['’]|soldiers['’]|jihadist|militants['’]|rebel)\s+(?:families|wives|widows|relatives)\b")  # (and "militia families have moved into houses")
_AND_THEIR_KIN = re.compile(r"\b(?:and|with|along with|together with|accompanied by)\s+(?:their|its)\s+(?:families|relatives|wives|dependants|dependents)(?:\s+and\s+children)?\b")
_THEY_AFTER_CONJUNCTION = re.compile(r"\b(?:after|before|when|as|since|until|once|because)\s+(?:they|it)\s+(?:had\s+|have\s+|has\s+|were\s+|was\s+)?(?:[a-z]+ly\s+)?$")
_ARMED_HEAD = re.compile(r"\b(?:fighters|troops|forces|soldiers|militants|militiamen|gunmen|jihadists|units|reinforcements|personnel|police|army|commandos|brigades?|battalions?)\b")
_CIVILIAN_CONVOY = re.compile(r"\b(?:convoys?|columns?|cars|vehicles|buses)\s+(?:of|carrying)\s+(?:[\w-]+\s+){0,2}?(?:civilians|residents|displaced|refugees|families|journalists|evacuees|people|wounded civilians)\b")
_KIN_OF = re.compile(r"\b(?:relatives|families|wives|widows|children|women)\s+(?:of|linked\s+to|affiliated\s+with|associated\s+with|tied\s+to)\b"
                     r"|\b(?:militia|militiamen['’]?s?|fighters['’]|soldiers['’]|jihadist|militants['’]|rebel)\s+(?:families|wives|widows|relatives)\b")  # ("women and children linked to IS fighters")
_RESCUERS = re.compile(r"\b(?:civil defen[cs]e|white helmets|rescue|medical|ambulance|fire(?:fighting)?|red crescent|aid|relief|humanitarian)\s+(?:units?|teams?|crews?|workers|personnel|convoys?|trucks|vehicles|brigades?)\b[^,;.]*$")
_MOVED_VERBS = frozenset(("moved", "moving", "sent", "sending", "transported", "relocated", "shifted", "bused", "bussed", "evacuated"))  # (verbs whose object is what moves)
_AIRCRAFT_MOVER_BEFORE = re.compile(r"\b(?:jets|planes|warplanes|aircraft|drones|helicopters|bombers)\s+(?:(?:had|have|has|were|was|already|later|then|also|finally)\s+)*$")
_KIN_OBJECT = re.compile(r"\s+(?:(?:some|the|their|its|his|several|dozens of|hundreds of|\d+)\s+)*(?:families|relatives|wives|widows|children|women|civilians)\b")  # ("moved some families of its fighters": kin, no force)
_WITNESSES_SAY = re.compile(r"\b(?:civilians|residents|villagers|people|inhabitants|refugees|displaced people|journalists)\s+(?:(?:of|in|from|inside)\s+(?:[\w’'-]+\s+){1,3}?)?(?:say|said|says|told|reported|report|described|recounted|saw)\b(?:\s+(?:that|how|us|reporters))?")
_WITH_KIN_ASIDE = re.compile(r"\s*(?:together with|along with|accompanied by|with|and)\s+(?:their|its|some of their)\s+(?:families|relatives|wives|wives and children|dependants|dependents)\s*")
_CIVILIAN_VEHICLES = re.compile(r"\b(?:ngo|aid|humanitarian|relief|civilian|commercial|private|un)\s+(?:vehicles|trucks|convoys?|cars|buses|lorries)\s+(?:(?:that|which|were|was|are|is|had|have)\s+)*$")
_WHOSE_BEFORE = re.compile(r"\b((?-i:[A-Z])[\w-]+(?:\s+(?-i:[A-Z])[\w-]+)?),\s*whose\s+(?:[\w-]+\s+){0,3}$")
_SENT_FROM_THEN_ARRIVED = re.compile(r"(?:sent|dispatched|brought)\s+(?:in\s+)?from\s+(?:the\s+)?(?:(?!(?:not|never|yet)\b)[\w’'-]+\s+){1,4}?(?:(?:on|late|early)\s+\w+\s+)?(?:have\s+|had\s+|has\s+)?(?:arrived|reached)\b(?!\s+(?:in|at|into)\s+the\s+(?:area|region|front|frontline|front\s+line)\b(?!\s+(?:of|near|around|outside)\b))")  # (not "arrived in the area": where they came from is the one place told)
_WOULD_BE_FIRST_TIME = re.compile(r"\b(?:would|will|could|might)\s+be\s+the\s+first\s+time\b(?![^.;]*,\s*(?:after|when|as|since|while)\b[^,.;]*$)[^.;]*$")  # (not into a closing ", after SDF fighters withdrew ...": told as fact)
_WAITING_BEFORE = re.compile(r"\b(?:(?:is|are|was|were|been|be)\s+waiting|(?:will|would|to|must|should)\s+wait|waits|wait)\s+for\b[^.;]{0,60}?\bbefore\s+$")  # (not "waited for reinforcements before entering": it happened)
_THE_COUNTRY_AFTER = re.compile(r"\s+(?:the\s+)?(?:country|abroad|overseas)\b")
_THEY_WERE_BEFORE = re.compile(r"\bthey\s+(?:were|was)\s+$")  # ("shot dead seven civilians while they were fleeing": the civilians fled)
_WHILE_BEFORE = re.compile(r"\b(?:while|as|when)\s+(?:they\s+(?:were|was)\s+|trying\s+to\s+|attempting\s+to\s+)?$")
_CIVILIAN_MOVERS = re.compile(r"\b(?:civilians|residents|relatives|families|displaced|refugees|villagers|people|inhabitants|children|women|prisoners|detainees|hostages|journalists|aid|ngo|humanitarian|anyone|anybody|everyone|motorists|drivers|travell?ers"
                              r"|employees|civil\s+servants|teachers|doctors|nurses|students|pupils|farmers|traders|shopkeepers|merchants|pilgrims|worshippers)\b")


# "The first convoy of buses left Nawa carrying about 400 people, among them some 150 fighters"
_CIVIL_POLICE_PATROL = re.compile(r"\b(?:highway|municipal|tourist|tourism|customs)\s+(?:police\s+)?patrols?\b")
_AGREED_TO_BEFORE = re.compile(r"\b(?:agreed|agree|agrees|plans?|planned|planning|decided|decide|decides|intends?|intended|expected|due|set)\b[^.;]{0,40}?\bto\s+"
                               r"(?:(?:hold|conduct|run|begin|start|launch|resume|carry out|set up|establish|deploy|mount)\s+(?:[\w-]+\s+){0,3})?$")  # (also when the trigger is the verb: "due to begin joint patrols")
_HOME_BASES_AFTER = re.compile(r"\s*(?:the|their|its|his)\s+(?:[\w-]+\s+){0,2}?(?:bases?|barracks|positions|homes?|region|country|villages|units|lines)\b")
_SENT_TO_HELP_AFTER = re.compile(r"\s+to\s+(?:help\s+)?(?:defend|fight|reinforce|support|protect|help|relieve|break)\b")
_AUX_JUST_BEFORE = re.compile(r"\b(?:was|were|been|is|are|be|has|have|had|being)\s+(?:[\w-]+\s+)?$")
_AIR_CAMPAIGN_HINT = re.compile(r"\brussian\s+(?:military|defen[cs]e ministry|mod|ministry of defen[cs]e)\b|\brussia(?:'s|’s)?\s+(?:military|defen[cs]e ministry)\b")
_AIR_FORCE_WORDS = re.compile(r"\b(?:air\s?force|aerospace|aviation|aircraft|warplanes?|jets?|planes?|helicopters?|drones?|bombers?)\b")
_PART_OF_THE_BEFORE = re.compile(r"\b(?:most|many|all|some|half|several|none|one|two|three|four|five|\d+)\s+of\s+(?:the|those)\s+$")
_WERE_AFTER_DEAD = re.compile(r",?\s+(?:were|was|are|is)\s+(?:(?:all|mostly|also)\s+)?(?:civilians|children|women|residents|farmers|shepherds)\b")  # (but "14 of the dead were Levant Front fighters" says whose dead)
_THE_AIR_FORCE_BEFORE = re.compile(r"(?:^|[^\w-]\s*)the\s+air\s+force\b(?!\s+of\b)")
_FLED_ACROSS_TO_BEFORE = re.compile(r"\b(?:fled|fleeing|escaped|escaping|were displaced|sought refuge)\b[^.;,]{0,40}?\b(?:to|into|in)\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?$", re.IGNORECASE)
_FROM_REACHING_BEFORE = re.compile(r"\bfrom\s+(?:reaching|entering|getting (?:to|into)|crossing (?:to|into)|joining|returning to)\b[^.;,]{0,70}$", re.IGNORECASE)
_PREVENTED_FROM_BEFORE = re.compile(r"\b(?:stop|stopped|stopping|prevent|prevented|preventing|block|blocked|blocking|bar|barred|keep|kept|halt|halted)\b[^.;]{0,90}\bfrom\s+$")
_ARRIVED_AFTER_FROM = re.compile(r"[^.;,]{0,40}?\s(?:reached|arrived|entered|rolled into|pulled into|drove into|moved into)\b")
_AFTER_THE_CONVOY_BEFORE = re.compile(r"\b(?:after|before|as|when|until|since|once)\s+the\s+(?:last\s+|first\s+|final\s+)?(?:[\w-]+\s+)?(?:convoy|column|buses|bus)\s+(?:had\s+|has\s+)?$")
_AIRLIFTED = re.compile(r"\b(?:flown|flew|airlifted|airlift|helicoptered)\b")
_CONVOY_WORD = re.compile(r"\b(?:convoys?|columns?|buses)\b", re.IGNORECASE)
_THE_CONVOY_BEFORE = re.compile(r"\bthe\s+(?:[\w-]+\s+)?(?:convoy|column|buses|coaches|vehicles|trucks)\s+(?:(?:then|later|also|had|has|have|was|were)\s+)*$")
_HELD_DESTINATION_AFTER = re.compile(r"[^.;]{0,60}?\b(?:for|to|towards?|into)\s+(?:the\s+)?(?P<g>[\w-]+)-(?:held|controlled)\b")
_CARRYING_INSURGENTS = re.compile(r"(?:\s+[\w-]+){0,4}?,?\s+(?:carrying|transporting|with)\s+[^.;]{0,60}?\b(?:fighters|militants|jihadists|rebels|gunmen|insurgents)\b")
_UNOPPOSED = re.compile(r"\b(?:without (?:any |meeting |facing |a )?(?:resistance|a fight|fighting|a shot (?:being )?fired)|unopposed)\b", re.IGNORECASE)
_HEADING_TOWARDS_BEFORE = re.compile(r"\b(?:toward|towards|in the direction of|heading (?:for|to))\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$")
_SURRENDER = re.compile(r"\b(?:surrender(?:ed|s)?|capitulat\w+|laid down (?:their )?(?:arms|weapons)|(?:reconciliation|settlement|surrender) (?:deal|agreement))\b", re.IGNORECASE)
_DEAL_BROKERED_BETWEEN = re.compile(r"\b(?:brokered|mediated|negotiated|under which|whereby)\b")
_REJECTED_DEAL = re.compile(r"\b(?:fighters|gunmen|men|militants|rebels|factions|groups)\s+(?:(?:who|that|which)\s+(?:had\s+)?(?:rejected|refused|opposed)(?:\s+to\s+(?:join|accept|sign|settle))?|opposed\s+to)"
                            r"\s+(?:the\s+|their\s+)?(?:[\w-]+\s+)?(?:settlement|deal|agreement|reconciliation|truce|surrender|status)\b")
_INSURGENT_NOUN = re.compile(r"\b(?:fighters|militants|jihadists|rebels|gunmen|insurgents)\b")
_STATE_NOUN = re.compile(r"\b(?:government|regime|army|pro-\w+|loyalist|troops|soldiers|police|military)\b")
_AID_GOODS = re.compile(r"\b(?:food|flour|bread|blankets|fuel|medicine|medical|aid|water|tents|supplies|relief|wheat|goods)\b")
_WAR_CARGO = re.compile(r"\b(?:artillery|guns?|weapons|arms|ammunition|tanks?|rockets?|missiles?|mortars?|fighters|troops|soldiers|militants|gunmen|munitions|launchers?)\b")
_CARGO_LIST_BEFORE = re.compile(r"\b(?:carrying|transporting|towing|loaded with|laden with)\s+[^;:.]*?,[^;:.]*\band\s+[^,;:.]*$")
_CARRYING = re.compile(r"\b(?:carrying|transporting|with)\b")
_CARRYING_MEMBERS = re.compile(r"\b(?:carrying|transporting)\s+(?:(?:two|three|four|five|six|\d+|several)\s+)?(?:members|fighters|commanders|officers)\s+of\s+(?:the\s+)?")
_INSIDE_AFTER = re.compile(r"\s+(?:inside|on board|in the (?:car|vehicle|truck))\b")
_BY_AFTER_PARTICIPLE = re.compile(r"\s+by\b")


_LAST_RELATIVE = re.compile(r"\b(?:who|which|that)\b(?![^,;]*\b(?:who|which|that)\b)[^,;]*$")


_ATTACKED_AFTER = re.compile(r"\s+(?:(?:were|was|have been|had been|are|is)\s+)?(?:overrun|attacked|stormed|captured|seized|destroyed|hit|targeted|ambushed|taken|bombed|shelled)\b")  # ("more checkpoints overrun": attacks on them)
_THAT_PERSONAL_SUBJECT = re.compile(r"that\s+(?:it|they|he|she|we)\b")  # ("reports that it had withdrawn": "that" opens what is said)
_SPEAKER_GAP = re.compile(r"(?:\s+(?:has|have|had|also|again|strongly|repeatedly|later|earlier))*\s+")  # (between a group and its speech verb: "The SDF has denied")


_WHEN_UNIT_CLAUSE = re.compile(r"\s*(?:when|as|after|while)\s+(?:an?|the|its|their)\s+(?:[\w-]+\s+){0,2}?(?:column|convoy|units?|reinforcements|vanguard|spearhead)\b")


_FIGHTING_FOR = re.compile(r"\s(?:fighting|who fight|who fought)\s+(?:for|on behalf of|on the side of|alongside)\s+(?:the\s+)?[^,.;]{0,40}?\s(?:(?:have|has|had)\s+)?$")
_ATTRIBUTIVE_BEFORE = re.compile(r"\b(?:from|the|of|by|against|on|at|with)\s+$")


# A count as an aside between the movers and their verb: "A convoy of Russian military police,
# about a dozen armoured vehicles, arrived"; "Russian military police, in some forty vehicles, arrived"
_COUNT_ASIDE = (rf"(?:in\s+)?(?:(?:around|about|roughly|nearly|almost|some|more than|at least|over|up to)\s+)?"
                rf"(?:a dozen|\d[\d,]*|(?:a|{_NUM_WORD})\s+(?:hundred|thousand)|{_NUM_WORD}|dozens|scores|hundreds|several)"
                # (of forces or their vehicles: not "two weeks later", "about ten officials")
                rf"(?=\s+(?:of\s+)?(?:[\w-]+\s+){{0,2}}?(?:{FORCES}|\b(?:tanks|armou?red|humvees|trucks|buses|men)\b))")

_REMAINS_BEFORE = re.compile(r"\b(?:(?:his|her|their|the|two|three|several)\s+(?:severed\s+)?heads|(?:his|her|its)\s+(?:severed\s+)?head|(?<!main )(?<!a )(?:his|her|their|the)\s+bod(?:y|ies)|(?:his|her|their|the)\s+(?:mortal\s+)?remains|corpses?|coffins?|caskets?)(?:\s+of\s+(?:the\s+)?(?:[\w’'-]+\s+){0,6}?[\w’'-]+)?\s+(?:(?:were|was|had been|have been|are|is|being|also|then|later)\s+)*$")
_RELATIVE_PRONOUN_END = re.compile(r"\b(?:who|which)\s*$")
_OBJECT_PREP_BEFORE = re.compile(r"\b(?:from|of|against|with|by|to|on|at)\s+(?:the\s+)?$")
_CARRIED_NOT_FIGHTING = re.compile(r"\b(?:wounded|injured|sick|captured|detained|arrested|prisoners?|detainees?|captives?|hostages?|pilots?|casualties|evacuees|patients)\b")
_FOR_TREATMENT_AFTER = re.compile(r"[^.;]{0,60}?\bfor (?:medical )?treatment\b")
_CIVILIANS_SENT_AFTER = re.compile(r"\s+(?:(?:thousands|hundreds|dozens|many|scores|tens of thousands)\s+of\s+)?(?:residents|civilians|families|people|refugees|inhabitants|villagers)\b(?!['’]s)")


def _mover(s, lower, start, end, mentions, subject, lex, insurgent=None):
    """The group that moves. False when the movers are civilians (evacuations and displacement
    are not troop movements)."""
    if lower.startswith(("took ", "carried ", "ferried ", "transported "), start) and lower[start:end].endswith(" out of"):
        # "A second convoy of green government buses took rebel fighters and their families out of
        # Harasta": the fighters carried move, not the buses' owner
        carried = next((mm for mm in mentions if start < mm.start < end), None)
        if carried is not None:
            return carried
    fighting_for = _FIGHTING_FOR.search(lower, max(0, start - 90), start)
    if fighting_for is not None:
        # ("Iran-backed militias fighting for the Syrian government have moved hundreds of
        # fighters": the named group moves, not the side it fights for)
        fighters = next((mm for mm in reversed(mentions) if mm.end <= fighting_for.start() and fighting_for.start() - mm.end <= 2
                         and mm.value not in ("unknown", "national_forces")), None)
        if fighters is not None:
            return fighters
    if lower.endswith("ing", start, end) and _ATTRIBUTIVE_BEFORE.search(lower, max(0, start - 10), start):
        # ("seized Heet from withdrawing rebel factions": the participle describes the group after it)
        described = next((mm for mm in mentions if 0 < mm.start - end <= 2), None)
        if described is not None:
            return described
    if lower.startswith(("fleeing", "escaping", "retreating", "withdrawing", "leaving", "heading", "travelling", "traveling", "driving", "moving", "crossing"), start) \
            and (hit := _HIT_OBJECT_BEFORE.search(lower, max(0, start - 50), start)) is not None \
            and not any(hit.start() <= mm.start < start for mm in mentions):
        return False  # ("helicopters attacked vehicles fleeing along the highway": the vehicles flee, not the helicopters; nobody named)
    if _BY_AFTER_PARTICIPLE.match(lower, end) and lower[start:end].endswith(("abandoned", "evacuated", "vacated", "deserted")):
        # "towns abandoned by jihadists and rebels": the ones who left follow "by"
        by = next((mm for mm in mentions if end < mm.start <= end + 12), None)
        if by is not None:
            return by
    if lower[start:end].endswith(" of") and not lower[start:end].endswith((" out of", " off of")):
        # "the deployment of Russian military police to X": the movers follow the noun (not "moving out of Aleppo")
        after = [mm for mm in mentions if end <= mm.start <= end + 40]
        if after:
            return after[0]
    # (a kin aside just before the verb: the forces it goes with may be named further back)
    kin_aside = _WITH_KIN_ASIDE.fullmatch(re.split(r"[,;:]", lower[max(0, start - 60):start].rstrip(" ,"))[-1]) is not None \
        and re.search(FORCES, lower[max(0, start - 200):start]) is not None
    window = lower[max(0, start - (200 if kin_aside else 80)):end + 40]
    verb = lower[start:end].split(" ", 1)[0]
    if verb in _MOVED_VERBS and _KIN_OBJECT.match(lower, start + len(verb)):
        return False  # "the group has moved some families of its foreign fighters into the town": families, not forces
    if lower.startswith(("airlifted", "flown", "evacuated", "medevaced"), start) and (
            _CARRIED_NOT_FIGHTING.search(re.split(r"[.;:]", lower[max(0, start - 70):start])[-1]) or _FOR_TREATMENT_AFTER.match(lower, end)):
        return False  # ("Wounded soldiers were airlifted to Damascus", "Captured IS fighters were airlifted to Baghdad": not a force deployed)
    if _SENDING.match(lower, start) and _CIVILIANS_SENT_AFTER.match(lower, end):
        return False  # ("killing 17 and sending residents pouring into Turkey": civilians fleeing, no force)
    if _REMAINS_BEFORE.search(lower, max(0, start - 70), start):
        return False  # ("his head sent to Baghdad", "the bodies of the soldiers were sent to Hama": the dead, no force)
    if _RESCUERS.search(lower, max(0, start - 60), start):
        return False  # "civil defense units were sent to the attack site": rescuers, not troops
    if _NO_FORCE_MOVER_BEFORE.search(lower, max(0, start - 80), start):
        # "Traffic police officers returned to the main junctions", "the patrols vanished as soon
        # as the fighting reached their streets": no armed force moves
        return False
    flying = _AIRCRAFT_MOVER_BEFORE.search(lower, max(0, start - 40), start)
    if flying and not _SUPPORT_LIST.search(lower, max(0, flying.start() - 40), flying.start()) \
            and not re.search(FORCES, lower[start:end + 30]):  # (not "backed by Russian jets pushed into", "helicopters landed troops")
        return False  # ("the coalition jets arrived after the Syrian planes had left": aircraft, no force on the ground)
    if _CIVILIAN_MOVERS.search(lower[max(0, start - 40):start + 60]) and not re.search(FORCES, window) and not _ARMED_MEN.search(window):
        return False
    if _CIVILIAN_VEHICLES.search(lower, max(0, start - 30), start):
        return False  # ("a written permit for all NGO vehicles heading to the Sinjar area": aid, no force)
    # "IS fighters remain in the town, and several thousand civilians fled": the movers are
    # the civilians of the trigger's own clause.
    own = _WITNESSES_SAY.sub(" ", re.split(r"[,;:]", lower[max(0, start - 60):start])[-1])  # ("residents say IS moved fighters": the residents only tell it)
    if kin_aside:
        own = ""  # ("buses carrying fighters ..., together with their families, left": the fighters, with their kin)
    elif "their " in own or "its " in own:
        # ("fighters and their families from Eastern Ghouta arrived": the fighters' kin go with them)
        own = _AND_THEIR_KIN.sub(" ", _WITNESSES_SAY.sub(" ", re.split(r"[,;:]", lower[max(0, start - 120):start])[-1]))[-60:]
    if _CIVILIAN_MOVERS.search(own) and (not (re.search(FORCES, own) or _ARMED_MEN.search(own)) or ((_KIN_OF.search(own) or _CIVILIAN_CONVOY.search(own))
                                                                         and not re.search(FORCES, _CIVILIAN_CONVOY.sub(" ", _KIN_PHRASE.sub(" ", own))))):
        return False  # "civilians fled", "relatives of IS fighters escaped", "a convoy of civilians heading into" (not "families of IS members and dozens of fighters arrived")
    # The movers are named in the clause before the trigger, as a group or as forces
    # ("a convoy of IS fighters left"); a minister who "arrived in Mosul" is no troop movement.
    # ("a convoy of 40 peshmerga vehicles carrying artillery pieces, machine guns and
    # ammunition left Erbil": the commas of the cargo list end no clause)
    cargo = _CARGO_LIST_BEFORE.search(lower, 0, start)
    if cargo and _AID_GOODS.search(cargo.group(0)) and not _WAR_CARGO.search(cargo.group(0)):
        return False  # ("a convoy of 30 trucks carrying food, blankets and fuel left Raqqa": aid, no force)
    # (a bracketed list is no clause: "Syrian army + allied militias (Hezbollah, Iraqi Nujaba,
    # IRGC advisers) ENTERED Al-Bukamal": the groups before it move)
    bracketed = [b.span() for b in _PARENTHESES.finditer(lower, 0, start)] if "(" in lower[:start] else []
    scan = lower[:cargo.start() if cargo else start]
    for a, b in bracketed:
        scan = scan[:a] + " " * (min(b, len(scan)) - a) + scan[b:]
    clause_start = max([0] + [mm.end() for mm in re.finditer(r"[;:]|,\s(?!and\b)|\b(?:who|which|that)\b", scan)])
    clause = lower[clause_start:start]
    in_clause = [mm for mm in mentions if clause_start <= mm.start < start and not _is_supporting(s, mm)]
    if bracketed:
        in_clause = [mm for mm in in_clause if not any(a <= mm.start < b for a, b in bracketed)] or in_clause
    # ("Iraqi forces seized Gogjali from IS militants on Monday and pushed into the Karama
    # neighbourhood": the losers of the first verb do not push on)
    in_clause = [mm for mm in in_clause if not (_FROM_PHRASE_BEFORE.search(lower, max(0, mm.start - 40), mm.start)
                                                and _AND_VERB_BETWEEN.search(lower, mm.end, start))] or in_clause
    if not in_clause and _THEY_AFTER_CONJUNCTION.search(clause):
        # "IS fighters now hold most of Yarmouk camp, five days after they pushed in from Hajar
        # al-Aswad": "they" of the subordinate clause is the main clause's subject
        heads = [mm for mm in mentions if mm.end <= clause_start and not _is_supporting(s, mm)
                 and not _PREPOSITION_BEFORE.search(lower, max(0, mm.start - 9), mm.start)]
        sides = {mm.value for mm in mentions if mm.end <= clause_start}
        if heads and len(sides) == 1:  # (not "The army shelled the rebels, hours after they withdrew": whose "they" is unclear)
            # (but "The first joint Russian-Turkish patrol ... shortly after it set off from": a patrol's round)
            return False if re.match(r"(?:[\s-]+[\w-]+){0,2}?\s+patrols?\b", lower[heads[0].end:heads[0].end + 40]) else heads[0]
    if in_clause and (who := _RELATIVE_PRONOUN_END.search(lower, max(0, clause_start - 8), clause_start)) is not None \
            and all(_OBJECT_PREP_BEFORE.search(lower, max(0, mm.start - 12), mm.start) for mm in in_clause):
        # "Syrian government forces who took Maskanah from IS on Saturday crossed into Raqqa
        # governorate": the relative clause's groups are its objects; the head moves
        head = next((mm for mm in reversed(mentions) if mm.end <= who.start() and not re.search(r"[;:.,]", lower[mm.end:who.start()])
                     and who.start() - mm.end <= 30), None)
        if head is not None:
            return head
    if in_clause:
        return in_clause[-1]
    if _WHEN_UNIT_CLAUSE.match(clause) and mentions and mentions[0].start < clause_start and not _is_supporting(s, mentions[0]) \
            and not lower.startswith(("'s", "’s"), mentions[0].end):
        # "Syrian government troops ... broke the siege of Deir ez-Zor, when an armoured column
        # advancing from the west reached the base": the column is the sentence's subject's
        return mentions[0]
    # The subject stands before an inserted clause: "SDF reinforcements, including vehicles of
    # the Manbij Military Council, passed through"; "Federal Police units that fought in the
    # Old City were being redeployed".
    rel = re.search(rf",\s*(?:who|which|(?:many|most|some|several|all) of them|mostly|mainly|estimated|numbering|believed|thought|(?:around|about|roughly|nearly|almost|some)(?=\s+\d)|{_COUNT_ASIDE}|(?P<part>including|among them|(?:part|a unit|a brigade|a faction|a wing|an arm|a branch) of)|backed by|led by|supported by|accompanied by|along with|together with|alongside|with|carrying|transporting|an?|the|(?<=\s)\d[\d,]*"
                    r"|[a-z]+ing\s+(?:alongside|with|under|for|beside))\b(?:[^,]|,(?=\d{3}))*,\s*(?:(?:have|has|had|were|was|are|is|been|reportedly|also|all)\s+)*$", lower[:start])
    if not _AUXILIARIES.sub("", clause).strip() and rel:
        if re.match(r",\s*with\b", rel.group(0)):
            # ", with ...,": the head before it moves when it is armed men or a group ("Turkish
            # troops, with air support from F-16s, entered"); not "Civilians, with the help of SDF
            # fighters, fled", "UN inspectors, with Russian military police, entered"
            head_start = max([0] + [mm.end() for mm in re.finditer(r"[;:.]|,\s(?!and\b)(?!\d)", lower[:rel.start()])])
            head = lower[head_start:rel.start()]
            carried = re.search(r"\b(?:convoys?|columns?|buses|vehicles)\b", head) and _ARMED_HEAD.search(rel.group(0)) \
                and not re.search(r"\b(?:help|support|backing|protection|escorts?|permission|agreement|approval|cover|guarding|checking|firing|watching)\b", rel.group(0))
            if _CIVILIAN_MOVERS.search(head) or _PEOPLE_NOT_FORCES.search(head) or not (_ARMED_HEAD.search(head) or _ARMED_MEN.search(head) or carried
                                                     or any(head_start <= mm.start < rel.start() for mm in mentions)):
                return False  # (but "A second convoy, with the remaining fighters and their families, left": the fighters it carries)
        before_rel = [mm for mm in mentions if mm.end <= rel.start()]
        if before_rel:
            return before_rel[-1]
        inside = [mm for mm in mentions if rel.start() <= mm.start < rel.end()]
        if inside and (rel.group("part")
                       or _CARRYING.search(rel.group(0))) and re.search(FORCES, rel.group(0)):
            # "8,000 people, including 3,000 Jaish al-Islam fighters, left"; "the last convoy,
            # 25 buses carrying Jaish al-Islam fighters and their families, left": the fighters move
            # ("the Shabak 30th Brigade, part of the Popular Mobilisation Forces, arrived": the PMF's)
            # ("The buses, carrying about 300 militants, left": militants of the group in context)
            if inside[-1].value != "unknown":
                return inside[-1]
            # (unnamed militants: the report's insurgents, never the state named last)
            if insurgent:
                return replace(inside[-1], value=insurgent)
            return None if rel.group("part") else False  # (unnamed "gunmen among them": the context's, which later rules may mend)
        head_start = max([0] + [mm.end() for mm in re.finditer(r"[;:.]|,\s(?!and\b)(?!\d)", lower[:rel.start()])])
        if not inside and ((re.match(r",\s*(?:along with|together with|accompanied by|alongside|with)\b", rel.group(0)) and re.search(FORCES, lower[head_start:rel.start()]))
                           or (rel.group("part") and _FIGHTERS_AMONG.search(rel.group(0)))):
            # "A first convoy carrying 1,200 fighters, along with several thousand family members,
            # left"; "about 2,200 people, among them some 400 fighters, left": fighters (of the
            # group in context) move (not a speaker named after the verb)
            return subject if subject is not None and subject.end <= rel.start() else None
    # (the last relative pronoun: "commanders said that IS fighters who fled Rawa": who fled)
    pronoun = _LAST_RELATIVE.search(lower, max(0, start - 200), start)
    if pronoun and not in_clause and not _THAT_PERSONAL_SUBJECT.match(lower, pronoun.start()):  # (not "reports that it had withdrawn": "that" opens what is said)
        # ("the regime forces, who fled": the comma before the pronoun opens the clause)
        head_start = max([0] + [mm.end() for mm in re.finditer(r"[;:,]", lower[:pronoun.start()].rstrip(" ,"))])
        head = [mm for mm in mentions if head_start <= mm.start < pronoun.start()]
        if head:
            return head[-1]
        if re.search(FORCES, lower[head_start:pronoun.start()]):
            return None  # "400 fighters who rejected the deal left": fighters, of the group in context
    if not clause.strip() and _PARTICIPLE_AFTER_COMMA.search(lower, max(0, start - 3), end) and clause_start >= 2 \
            and _MOTION_CLAUSE_END.search(lower, max(0, clause_start - 120), clause_start):
        # "The vehicles later continued west, passing through Al-Quriyah": the participle's
        # subject is the clause's before the comma
        prev_start = max([0] + [mm.end() for mm in re.finditer(r"[;:]|,\s(?!and\b)|\b(?:who|which|that)\b", lower[:clause_start - 2])])
        named = [mm for mm in mentions if prev_start <= mm.start < clause_start and not _is_supporting(s, mm)]
        if named:
            return named[0]
        if re.search(FORCES, lower[prev_start:clause_start]):
            return subject
    if not clause.strip() and _MOVED_PARTICIPLE.match(lower, start):
        # "Some 300 soldiers of the 104th Brigade, flown in from Qamishli, have joined the
        # defenders": the participle's movers are the noun phrase before its comma (not
        # "Captured soldiers, moved from Tabqa to Raqqa, were executed": prisoners; nor "Turkish
        # troops, deployed in Idlib since 2017, came under fire": a standing deployment)
        head_end = len(lower[:start].rstrip(" ,"))
        head_start = max([0] + [mm.end() for mm in re.finditer(r"[;:,.]|\b(?:and|but|while|as|said|says|that)\b", lower[:head_end])])
        aside = lower[start:_clause_end(lower, start)]
        if re.search(FORCES + r"(?:\s+[\w’'-]+){0,5}$", lower[head_start:head_end]) and not _CAPTIVES_HEAD.search(lower, head_start, head_end) \
                and not _STANDING_SINCE.search(aside):
            named = [mm for mm in mentions if head_start <= mm.start < head_end and not _is_supporting(s, mm)]
            return named[-1] if named else subject
    if re.search(FORCES, clause):
        return subject
    speech = re.search(r"\b(?:said|says|saying|announced|reported|claimed|stated|added|adding|confirmed|denied|denies)\b[^.;]*\bthat\s*$", lower[:clause_start]) \
        if re.match(r"\s*(?:it|they)\s", clause) else None
    if speech is not None:
        # "HTS, the dominant force in Idlib, said that it had sent hundreds of fighters": the group
        # that speaks ("The SDF denied reports on pro-government pages that it had withdrawn": not the pages')
        speaker = next((mm for mm in reversed(mentions) if mm.end <= speech.start() and _SPEAKER_GAP.fullmatch(lower, mm.end, speech.start())), None)
        return speaker or subject
    carried = _VEHICLES_CARRYING.match(lower, end) if _VEHICLE_HEAD.search(clause) else None
    if carried is not None:
        # "The buses had left Foua on Friday, carrying pro-government militiamen and their
        # families": the forces the vehicles carry move (not "buses carrying civilians")
        return next((mm for mm in mentions if carried.end() <= mm.start <= carried.end() + 20), None) or subject
    return False


_PEOPLE_NOT_FORCES = re.compile(r"\b(?:leaders?|officials?|delegations?|negotiators?|elders|notables|representatives|envoys?|ministers?|spokes(?:man|men|woman|person)|mediators?)\b")
_MOVED_THINGS_AFTER = re.compile(r"\s+(?:(?:him|her|them|it|weapons|arms|prisoners|detainees|hostages|captives|bodies|ammunition|equipment|families|civilians)\b"
                                 r"|the\s+(?:[\w-]+\s+)?(?:weapons|arms|prisoners|detainees|hostages|captives|bodies|ammunition|equipment|families|civilians|wounded)\b)")
_PRONOUN_MOVER = re.compile(r"\W*(?:(?:last|this|on|in|early|late|earlier|later|then|overnight|by)\b[^,;:]{0,30}?,?\s+)?(?:they|it)\s+(?:(?:have|has|had|then|later|also|reportedly|quietly|finally|eventually)\s+)*")  # ("Last week it pulled", "They withdrew")
_TO_TERRAIN_AFTER = re.compile(r"\s+(?:(?:back\s+)?(?:to|into)\s+)?(?:the\s+)?(?:open\s+|surrounding\s+|nearby\s+|eastern\s+|western\s+|northern\s+|southern\s+)?(?:desert|badia|mountains|hills|wilderness|steppe|valleys|orchards|farmland|caves|hideouts)\b")
_HIT_OBJECT_BEFORE = re.compile(r"\b(?:attacked|struck|hit|targeted|bombed|shelled|ambushed|intercepted|strafed|pounded)\s+(?:[\w-]+\s+){1,3}$")
_CAME_UNDER_BEFORE = re.compile(r"\b(?:came|comes|come|coming)\s+under\s+(?:an?\s+)?(?:[\w-]+\s+)?$")
_PEOPLE_DRIVEN = re.compile(r"\b(?:driving|sending|forcing|pushing|displacing|prompting)\s+(?:[\w,-]+\s+){0,5}?(?:people|residents|civilians|families|villagers|thousands|hundreds|inhabitants)\b")
_PASSIVE_JUST_BEFORE = re.compile(r"\b(?:was|were|been|being)\s+(?:(?:quickly|finally|eventually|also|then|soon|briefly|completely)\s+)?$")
_VEHICLE_HEAD = re.compile(r"\b(?:buses|coaches|trucks|lorries|vehicles|convoys?)\b")
_VEHICLES_CARRYING = re.compile(r"[^.;]{0,60}?\b(?:carrying|transporting|ferrying)\s+(?=(?:[\w-]+\s+){0,3}?(?:fighters|troops|soldiers|militants|jihadists|militiamen|gunmen|rebels|insurgents)\b)")
_CAPTIVES_HEAD = re.compile(r"\b(?:captured|detained|abducted|kidnapped|imprisoned)\s+(?:[\w-]+\s+){0,2}?(?:soldiers|troops|fighters|men|members|militants|policemen|officers|conscripts)\b|\b(?:prisoners?|hostages?|detainees?|captives?)\b")  # (not "IS fighters who captured Palmyra")
_STANDING_SINCE = re.compile(r"\bsince\s+(?:(?:early|late|mid)[\s-]+)?(?:19|20)\d\d\b|\bsince\s+(?:the\s+)?(?:start|beginning)\b|\bfor\s+(?:years|months)\b")  # (not "deployed to Aleppo since Sunday")
_MOVED_PARTICIPLE = re.compile(r"(?:flown|airlifted|bused|bussed|sent|dispatched|deployed|redeployed|brought|transferred|moved|rushed|ferried|trucked|withdrawn|pulled)\b")  # (a past participle opening its clause after a comma)
_MOTION_CLAUSE_END = re.compile(r"\b(?:continued|moved|drove|went|headed|pressed on|pushed on|advanced|returned|set off|set out|rolled|left|withdrew|pulled out|fled|retreated|carried|bused|bussed|evacuated)\b(?:\s+[\w’'-]+){0,16}\s*,\s*$")  # (a clause that moves its subject: "continued west,", "left their pocket in Yarmouk on Monday,")
_PARTICIPLE_AFTER_COMMA = re.compile(r",\s*(?:passing|crossing|moving|heading|driving|travell?ing|transiting|withdrawing|retreating|pulling|entering|reaching|arriving)\b")  # (not "leaving X with", "sending residents fleeing")


def _movers_count(quantities, lower, start, end):
    """How many moved: a count of fighters or vehicles near the trigger, but not the dead of
    another clause ("three soldiers were killed, before a Russian delegation arrived")."""
    # (the men before their vehicles: "some 400 fighters boarded 30 buses")
    q = _quantity_near(quantities, start - 80, end, {"vehicles", "fighters"})
    men = _quantity_near(quantities, start - 80, end, {"fighters"}) if q is not None and q.unit == "vehicles" else None
    if men is not None and men.end <= start and men.end <= q.start:
        q = men
    if q is not None and q.end <= start and _DEATH_BETWEEN.search(lower, q.end, start):
        return None
    if q is not None and _VICTIMS_VERB_BEFORE.search(lower, max(0, q.start - 40), q.start):
        return None  # "killing two rebels before withdrawing": the two are the dead, not the movers
    if q is not None and _OF_A_FAMILY.match(lower, q.noun_end):
        return None  # "sending tens of thousands of members of the Yazidi minority fleeing": civilians
    return q


_DEATH_BETWEEN = re.compile(r"\b(?:killed|dead|died|wounded|injured|executed|slain)\b")
_VICTIMS_VERB_BEFORE = re.compile(r"\b(?:killing|killed|kill|executing|executed|wounding|wounded|injuring|injured|capturing|captured|arresting|arrested|abducting|abducted|kidnapping|kidnapped)\s+(?:(?:at least|more than|some|about|around|nearly|another)\s+)?$")


def _quantity_near(quantities, start, end, units):
    best = None
    for q in quantities:
        if q.unit not in units:
            continue
        d = 0 if (q.start < end and start < q.end) else min(abs(q.start - end), abs(start - q.end))
        if d > 80:
            continue
        if best is None or d < best[0]:
            best = (d, q)
    return best[1] if best else None


_DEAD_BELONGING_AFTER = re.compile(r",\s*(?:[^,;.]{0,40},\s*)?(?:most|many|all|some|mostly|the majority)\s+(?:of\s+(?:them|whom)\s+)?"
                                   r"(?:belonging to|belonged to|members of|loyal to|affiliated with|fighters of)\s+(?:the\s+)?(?:[a-z]+['’]s\s+)?")
_ALL_MEMBERS_OF_AFTER = re.compile(r"(?:\s+(?:in|on|at|inside)\s+(?:the|a|an)\s+[\w-]+)?,\s*(?:all|both|mostly|most of them|each)\s+(?:members|fighters|militants|soldiers|commanders)\s+of\s+(?:the\s+)?")
_AMONG_THE_BEFORE = re.compile(r"\bamong\s+(?:the|those)\s+$")
_OF_THE_DEAD = re.compile(rf"\b(?P<n>\d+|{_NUM_WORD}|several|dozens)\s+of\s+(?P<dead>the\s+dead|those\s+killed|the\s+victims|the\s+fatalities)\s+(?:were|was)\s+")
_BREAKDOWN_NEXT = re.compile(rf"\s*(?:,\s*(?:and\s+|while\s+|whereas\s+)?|\s+(?:and|while|whereas)\s+)(?P<n>\d+|{_NUM_WORD}|several|the\s+rest|the\s+others)\s+(?:were|was)\s+")
_DEATH_CAUSE_WORD = re.compile(r"\b(?:killed|died|dead)\b")
_BREAKDOWN_PART_END = re.compile(r"[,;.]|\s+(?:and|while|whereas)\s+(?=\S+\s+(?:were|was)\b)|\s+(?:said|says|according)\b|$")


def _breakdown_parts(lower, breakdown, mentions, quantities, first) -> list:
    """"Forty-six of the dead were civilians, and seven were soldiers": the toll told before,
    broken down; each named group's part is that group's own dead, with its count (the
    civilians' part is the toll's, already told)."""
    out, at, n_start = [], breakdown.end(), breakdown.start("n")
    while True:
        stop = _BREAKDOWN_PART_END.search(lower, at)
        # (the part's group only as what the dead were: "seven were rebel fighters", not
        # "were civilians killed in Russian strikes" nor "were killed by IS snipers")
        group = next((x for x in mentions if at <= x.start < stop.start() and x.value not in ("unknown", "national_forces")), None) \
            if not _DEATH_CAUSE_WORD.search(lower, at, stop.start()) else None
        q = next((x for x in quantities if x.start <= n_start < x.end), None)
        if group is not None:
            perp = first[0] if first[7] == "killed_by" else first[1]
            perp = perp if perp not in (group.value, "unknown") else None
            out.append((group.value, perp, first[2], first[3], None, None, replace(q, unit="fighters", noun_end=group.end) if q else None, "killed"))
        nxt = _BREAKDOWN_NEXT.match(lower, stop.start())
        if nxt is None:
            return out
        at, n_start = nxt.end(), nxt.start("n")


_BACK_IN_HANDS = re.compile(r"(?:is|was|are|were) (?:now |finally |once again )?back (?:in|under)\b")  # ("Al-Ayadiya is back in government hands")
_FULLY_UNDER_CONTROL = re.compile(r"(?:is|was|are|were) [\"“]?(?:completely|fully|entirely|totally) under (?:the )?control[\"”]? of")
_RESULT_COLUMN = re.compile(r"\b(?:results?|targets?|hit|damage|destroyed|effects?|outcome)\b", re.IGNORECASE)
_LOSSES_PUT_AT = re.compile(r"['’]?s?\s+(?:own\s+)?(?:losses|casualties)\s+(?:(?:in|at|near|around)\s+[\w'’-]+(?:\s+[\w'’-]+)?\s+)?(?:at|to|reached)\s+(?:(?:at least|more than|about|around|some|nearly|over)\s+)?")
_NATIONALITY_ENDING = re.compile(r"(?:ian|ish|ese|i|an)$", re.IGNORECASE)  # ("Russian", "Turkish", "Iraqi": a nationality, not "regime" or "coalition")
_CO_VICTIM_JOIN = re.compile(r"\s*,?\s+and\s+(?:the\s+|other\s+|allied\s+)?")
_PAIR_JOIN = re.compile(r"\s+(?:[\w-]+\s+){0,2}?and\s+(?:the\s+|of\s+the\s+)?")
_FORMER_LATTER = re.compile(r"\s+(\w+)\s+of\s+the\s+former\s*(?:,\s*)?(?:and|,)\s+(\w+)\s+of\s+the\s+latter\b")


_RECORDED_BEFORE = re.compile(r"\b(?:documented|recorded|registered|counted|logged|tallied|verified|reported|monitored|noted|listed)\s+(?:[\w,-]+\s+){0,4}$")
_BODIES_FOUND_VERB = re.compile(r"(?:recovered|retrieved|pulled|found|discovered)\b")


def _killing_frames(trig, s, lower, start, end, m, mentions, places, quantities, ctx, lex, subject, agent):
    frames = _killing_frame(trig, s, lower, start, end, m, mentions, places, quantities, ctx, lex, subject, agent)
    if not frames:
        return frames
    if lower.startswith("killings", start) and _RECORDED_BEFORE.search(lower, max(0, start - 60), start):
        # ("The SDF documented five killings in Hajin", "Police recorded three killings in
        # Raqqa": who counts them neither killed nor died)
        counted = next((replace(q, unit="people") for q in quantities if 0 <= start - q.end <= 2), None)
        recorder = subject.value if subject is not None and subject.start < start else None
        return [("unknown", None) + f[2:6] + (f[6] or counted, "killed_by") if recorder is not None and recorder in (f[0], f[1]) else f
                for f in frames]
    if _BODIES_FOUND_VERB.match(lower, start):
        # "The police found two bodies in Hajin", "Rescuers recovered 13 bodies": who found
        # them did not kill them
        finder = subject.value if subject is not None and subject.start < start else None
        return [(("unknown",) + f[1:] if f[7] == "killed_by" and f[0] == finder else
                 f[:1] + (None,) + f[2:] if f[7] == "killed" and f[1] == finder else f) for f in frames]
    first = frames[0]
    if first[7] == "killed_by" and _PASSIVE_TAIL.match(lower, end):
        # a headline's "around 20 Daesh killed in the Rutba fighting": a group counted right
        # before the verb, with no noun, is the dead, not the killer
        counted = next((x for x in reversed(mentions) if x.end <= start and _COUNTED_GROUP_GAP.fullmatch(lower, x.end, start)), None)
        q = next((q for q in quantities if counted is not None and q.end <= counted.start and not lower[q.end:counted.start].strip()), None)
        if q is not None and counted.value == first[0] and counted.text.lower().rsplit(None, 1)[-1] not in _PLURAL_MEN:
            killer = agent.value if agent is not None and agent.start >= end and agent.value != counted.value else None
            return [(counted.value, killer, first[2], first[3], None, None, replace(q, unit="fighters", noun_end=counted.end), "killed")]
    labelled = _GROUP_TOLL_LINE.match(s) if ":" in s else None
    if labelled is not None and labelled.end("toll") >= end:
        # a toll list's item "- HTS: at least 40 killed": the labelled group's own dead
        # (the label is the group's name alone: not "Clashes near Hajin between SDF and IS: 12 killed")
        group = next((x for x in mentions if x.start <= labelled.start("label") + 2 and (
                          x.end >= labelled.end("label") - 2 or _ALLIES_TAIL.fullmatch(lower, x.end, labelled.end("label")))  # ("Regime forces and allied militias")
                      and x.value not in ("unknown", "national_forces")), None)
        if group is None:
            # ("- SDF and Deir ez-Zor Military Council: at least 112 killed": two names of one side)
            named = [x for x in mentions if labelled.start("label") <= x.start and x.end <= labelled.end("label")]
            if len(named) > 1 and len({x.value for x in named}) == 1 and named[0].value not in ("unknown", "national_forces") \
                    and named[0].start <= labelled.start("label") + 2 and named[-1].end >= labelled.end("label") - 2 \
                    and all(_LABEL_NAMES_JOIN.fullmatch(s, a.end, b.start) for a, b in zip(named, named[1:])):
                group = named[0]
        if group is not None:
            # (killed "in IS attacks": by whom, when the frame read it)
            killers = first[0] if first[7] == "killed_by" else first[1]
            # (the toll's own count, when a bracketed list of factions kept the frame from it)
            q = first[6] or next((replace(x, unit="fighters") for x in quantities if labelled.start("toll") <= x.start < labelled.end("toll")), None)
            return [(group.value, killers if killers not in (None, "unknown", group.value) else None, first[2], first[3], None, None, q, "killed")]
    fl = _FORMER_LATTER.match(lower, end) if "latter" in lower else None
    named = [x for x in mentions if x.end <= start and x.value not in ("unknown", "national_forces")] if fl else []
    # (the two groups joined by "and": "shared by SDF fighters and Syrian army soldiers")
    pair = next(((a, b) for a, b in reversed(list(zip(named, named[1:]))) if a.value != b.value and _PAIR_JOIN.fullmatch(lower, a.end, b.start)), None)
    if fl and pair:
        # ("a position shared by SDF fighters and Syrian army soldiers, killing three of the
        # former and two of the latter": each group's dead, by the count told for it)
        former, latter = pair
        killers = first[0] if first[7] == "killed_by" else first[1]
        killers = None if killers in ("unknown", former.value, latter.value) else killers  # (not one of the two the frame took for the other's killers)
        return [(g.value, killers, first[2], first[3], None, None,
                 Quantity(fl.start(n), fl.end(n), v, v, "fighters", fl.end(n)), "killed")
                for g, n, v in ((former, 1, _number(fl.group(1))), (latter, 2, _number(fl.group(2)))) if v is not None]
    breakdown = _OF_THE_DEAD.search(lower, max(0, start - 40)) if " of th" in lower else None
    if breakdown is not None and breakdown.start("dead") <= start < breakdown.end("dead"):
        parts = _breakdown_parts(lower, breakdown, mentions, quantities, first)
        if parts:
            return parts
    # "Eight SDF fighters and 15 IS militants were killed": one observation per side.
    groups = _victim_groups(s, lower, start, end, mentions, quantities, ctx, lex)
    if groups:
        # The killers: the subject of an active verb that is none of the victims ("Coalition
        # strikes killed 30 IS fighters and 12 civilians"); else each side's dead are the
        # other side's doing ("Eight SDF fighters and 15 IS militants were killed").
        perp = first[1] if first[7] == "killed" else first[0]
        sides = {g.value for g, _ in groups if g is not None}
        perp = perp if perp not in sides and perp != "unknown" else None
        active = groups[0][1].start >= end
        # ("Five PMF members and three Peshmerga were among the dead": one event's victims, not two
        # sides; but after "clashes between the SDF and IS", the dead of each side are the other's)
        fellow = _AMONG_THE_BEFORE.search(lower, max(0, start - 14), start) is not None and not (
            ctx.sides and sides <= set(ctx.sides) and "between" in (ctx.previous_sentence or "")
            and all(m.value in ctx.sides for m in mentions if m.value not in ("unknown", "national_forces")))

        def killers(g):
            other = None if fellow else next((h.value for h, _ in groups if h is not None and h.value != g.value), None)
            return (perp or other) if active else (other or perp)
        # ("15 gunmen, three soldiers and three civilians killed by army shelling": the agent
        # named for the civilians killed them, though the army's own men are among the dead)
        civilians_by = agent.value if agent is not None and agent.start >= end and agent.value not in ("unknown", "national_forces") else None
        return [(g.value, killers(g), first[2], first[3], None, None, q, "killed") if g is not None else
                (perp or civilians_by or "unknown", None, first[2], first[3], None, None, q, "killed_by") for g, q in groups]
    # "killed 96 people, among them 25 SDF members and 17 civilians": the toll's parts, one
    # killing per named group; the group is a victim, never the toll's perpetrator.
    parts = _toll_parts(s, lower, start, end, mentions, quantities, first[6])
    if parts:
        victims = {g.value for g, _ in parts}
        perpetrator = first[0] if first[7] == "killed_by" and first[0] not in victims else None
        total = (first[0] if first[0] not in victims else "unknown",) + tuple(first[1:])
        counted = first[6].low if first[6] is not None else None
        # (a toll its parts add up to, "57 people: 14 soldiers and 43 militia fighters", is those parts)
        whole = counted is not None and all(q is not None and q.low is not None for _g, q in parts) and sum(q.low for _g, q in parts) == counted
        return ([] if whole else [total]) + [(g.value, perpetrator, first[2], first[3], None, None, q, "killed") for g, q in parts]
    # "... killed across Deir ez-Zor, the majority of them in the towns of Diban, Al-Shuhail and
    # Al-Busayrah": the toll's towns, each a killing there (no count of its own)
    most = _MOST_OF_THEM_IN.search(lower, end)
    if most is not None and first[3] is not None and first[3].place.kind == "admin1":
        head = next((p for p in places if p.start == most.end() and p.place.kind in ("town", "landmark")), None)
        if head is not None:
            for town in _chain_from(places, s, head):
                if town.place.kind in ("town", "landmark"):
                    frames.append((first[0], first[1], first[2], town, None, None, None, first[7]))
    # "43 government soldiers had been killed ..., along with 39 opposition fighters": the
    # other side's dead too (by the first side)
    along = _ALONG_WITH_N.search(lower, end) if "along with" in lower or "as well as" in lower else None
    if along is not None and first[7] == "killed":
        group = next((x for x in mentions if along.end() <= x.start <= along.end() + 12 and x.value not in ("unknown", first[0])), None)
        n = _number(along.group("n").replace(",", "")) if group is not None else None
        if n is not None and re.search(r"\b(?:fighters|members|militants|soldiers|troops|rebels|militiamen|jihadists|elements|attackers|assailants)\b",
                                       lower[group.start:group.end + 20].split(",")[0]):
            q = Quantity(along.start("n"), along.end("n"), n, n, "fighters", group.end)
            frames.append((group.value, first[0], first[2], first[3], None, None, q, "killed"))
    # "19 pro-Iranian fighters: nine in Deir ez-Zor city, six in Al-Mayadin and four near
    # Al-Bukamal": a killing per town, and the total at the province the towns share
    part = _N_OF_THEM_IN.search(s, end) if " of them " in s else None
    town = next((p for p in places if part and p.start == part.end() and p.place.kind in ("town", "landmark")), None)
    if town is not None and first[3] is not None and first[3].place.place_id == town.place.place_id and first[6] is not None \
            and (n := _number(part.group("n").lower())) is not None and n < (first[6].low or 0) and ctx.gaz is not None:
        # "Six civilians were also killed, two of them by unknown gunmen in Diban": the six
        # across the province the report covers, two of them in Diban
        by = next((x for x in mentions if part.start("by") <= x.start < part.end("by")), None) if part.group("by") else None
        killer = (by.value if by is not None else first[0]) if first[7] == "killed_by" else first[0]
        province = ctx.gaz.admin1_place(town.place)
        whole = [first[:3] + (replace(first[3], place=province, area=False),) + first[4:]] if province is not None else []
        return whole + [(killer, first[1], first[2], town, None, None, Quantity(part.start("n"), part.end("n"), n, n, first[6].unit, part.end("n")), first[7])]
    with_counts = _places_with_counts(s, places)
    if with_counts:
        # "Diyala followed with 46 civilians killed, and Salahuddin with 31": each place's count
        unit = first[6].unit if first[6] is not None else None
        return [(first[0], first[1], first[2], p, None, None, Quantity(a, b, n, n, unit, b), first[7]) for n, p, a, b in with_counts]
    by_town = _town_parts(s, end, places, first[6])
    if by_town:
        provinces = {p.place.admin1 for _n, p, _a, _b in by_town}
        if len(provinces) == 1 and ctx.gaz is not None and first[3] is not None:
            frames[0] = first[:3] + (replace(first[3], place=ctx.gaz.admin1_place(by_town[0][1].place), area=False),) + first[4:]
        unit = first[6].unit if first[6] is not None else None
        return frames + [(first[0], first[1], first[2], p, None, None, Quantity(a, b, n, n, unit, b), first[7]) for n, p, a, b in by_town]
    # "executed three men in Hajin and two in Al-Susah": counts given per town.
    for mm in _AND_N_IN.finditer(s[end:]):
        at = end + mm.end()
        place = next((p for p in places if p.start == at and p.role == "event"), None)
        n = _number(mm.group("n"))
        if place is not None and n is not None and first[6] is not None:
            q = Quantity(end + mm.start("n"), end + mm.end("n"), n, n, first[6].unit, end + mm.end("n"))
            frames.append((first[0], first[1], first[2], place, None, None, q, first[7]))
    return frames


_LABEL_NAMES_JOIN = re.compile(r"\s*(?:,|and|&|/)\s*(?:the\s+)?")
_ALLIES_TAIL = re.compile(r"\s+and\s+(?:its\s+|their\s+)?(?:(?:allied|affiliated|loyalist|auxiliary)\s+(?:[\w-]+\s+){0,2}?(?:militias?|militiamen|forces|fighters|groups|factions|units)|allies)\s*")
# (a label may list the group's factions in brackets: "Opposition factions (Jaysh al-Islam, Faylaq al-Rahman, others): 38 killed")
_GROUP_TOLL_LINE = re.compile(r"^\W*(?P<label>[^:.;(]{2,40}?)\s*(?:\([^()]{1,80}\)\s*)?:\s*(?P<toll>(?:at least\s+|about\s+|some\s+|more than\s+|over\s+|nearly\s+)?\d[\d,]*\s+(?:were\s+)?(?:killed|dead)\b)")
_N_OF_THEM_IN = re.compile(rf",\s*(?P<n>\d+|{_NUM_WORD})\s+of\s+them\s+(?:(?:were\s+)?(?:killed\s+)?by\s+(?P<by>[^,.;]{{1,40}}?)\s+)?in\s+(?:the\s+)?(?:(?:town|village|city)\s+of\s+)?", re.IGNORECASE)
_EACH_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?")
_OTHER_PLACES = re.compile(r"(?:other|several|various|nearby|different|surrounding)\s+(?:villages|towns|areas|places|locations|parts)\b")
_TOWN_PART = re.compile(rf"(?:^|,|\band)\s*(?P<n>\d+|{_NUM_WORD})\s+(?P<each>each\s+)?(?:(?:others?|more)\s+)?(?:in|near|at|around|outside)\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?", re.IGNORECASE)


_WITH_COUNT_AFTER = re.compile(r"\s+(?:followed\s+|came\s+next\s+|next\s+)?with\s+(?:at least\s+|more than\s+|some\s+|about\s+)?(?P<n>\d[\d,]*)"
                               r"(?:\s+(?:[\w-]+\s+){0,2}?(?:killed|dead|deaths|victims|fatalities|casualties)\b)?(?=\s*(?:[,.;]|and\b|$))")  # (not "with 3 car bombs")


def _places_with_counts(s: str, places) -> list[tuple[int, PlaceMention, int, int]]:
    """A tally's places each "with" its count ("Diyala followed with 46 civilians killed, and
    Salahuddin with 31"): two or more, else none."""
    if " with " not in s:
        return []
    out = []
    for p in places:
        m = _WITH_COUNT_AFTER.match(s, p.end)
        if m is not None and p.place.kind in ("town", "landmark", "admin1"):
            out.append((int(m.group("n").replace(",", "")), p, m.start("n"), m.end("n")))
    return out if len(out) >= 2 else []


def _town_parts(s: str, end: int, places, total) -> list[tuple[int, PlaceMention, int, int]]:
    """A toll's towns after a colon ("19 fighters: nine in Deir ez-Zor city, six in Al-Mayadin
    and four near Al-Bukamal"): each part's count, town and the count's span; none unless they
    add up to the total."""
    list_colon = _LIST_COLON.search(s, end, end + 80)
    colon = list_colon.start() if list_colon else -1
    if colon < 0 or total is None or total.low is None or re.search(r"[.;]", s[end:colon]):
        return []
    stop = re.search(r"[.;]", s[colon:])
    tail = s[colon + 1:colon + stop.start() if stop else len(s)]
    parts, rest = [], 0
    for mm in _TOWN_PART.finditer(tail):
        at = colon + 1 + mm.end()
        place = next((p for p in places if p.start == at and p.place.kind in ("town", "landmark")), None)
        n = _number(mm.group("n").lower())
        if n is not None and place is None and _OTHER_PLACES.match(tail, mm.end()):
            rest += n  # ("... and 4 in other villages": counted, at no town)
            continue
        if place is None or n is None:
            return []
        parts.append((n, place, colon + 1 + mm.start("n"), colon + 1 + mm.end("n")))
        while mm.group("each"):  # ("one each in Al-Busayrah and Abu Hamam": that count in every town named)
            joint = _EACH_JOIN.match(s, place.end)
            place = joint and next((p for p in places if p.start == joint.end() and p.place.kind in ("town", "landmark")), None)
            if place is None:
                break
            parts.append((n, place, colon + 1 + mm.start("n"), colon + 1 + mm.end("n")))
    return parts if len(parts) >= 2 and sum(part[0] for part in parts) + rest == total.low else []


_NEXT_WORD = re.compile(r"\s+([a-z’'-]+)")  # (the word after a count: "19 pro-Iranian fighters")
_ALONG_WITH_N = re.compile(rf",\s*(?:along with|as well as)\s+(?:at least\s+|some\s+|about\s+)?(?P<n>\d[\d,]*|{_NUM_WORD})\s+")
_MOST_OF_THEM_IN = re.compile(r",\s*(?:the majority|most|many|some|several|a number|half) of (?:them|whom) (?:were )?(?:killed )?in (?:the )?(?:(?:towns?|villages?|cities|city) of )?")
_INJURED_AFTER = re.compile(r"\s+(?:(?:people|others|civilians)\s+)?(?:were\s+)?(?:injured|wounded|hurt)\b")
# Killing counts, compiled once (they hold the long number-word alternation).
_AND_N_IN = re.compile(rf"\band\s+(?P<n>\d+|{_NUM_WORD})\s+(?:others?\s+|more\s+)?in\s+"
                       r"(?:(?:the\s+)?(?:nearby\s+)?(?:villages?|hamlets?|farms?)\s+(?:around|near|outside)\s+|the\s+outskirts\s+of\s+)?")  # ("and three more in villages around Tal Abyad")
_ALSO_KILLED = re.compile(r"\b(?:were|was)\s+also\s+(?:killed|shot dead)\b|\balso\s+(?:died|perished)\b")
_NUMBER_OF_BEFORE = re.compile(r"\bnumber\s+of\s+(?:[\w-]+\s+){0,3}$")  # ("the number of Iraqi security personnel killed")
_NUMBER_REACHES = re.compile(r"\b(?:has|have|had)?\s*(?:rose|risen|rises|climbed|climbs|jumped|increased|reached|reaches)\s+(?:to\s+)?")
_NUMBER_OF_DEAD_BEFORE = re.compile(r"\b(?:bringing|raising|pushing|taking)\s+the\s+(?:total\s+)?(?:number|total|tally|count)\s+(?:of\s+(?:[\w-]+\s+){0,2})?$")
_TOTAL_TO_AFTER = re.compile(rf"[^.;]*?\bto\s+(?:(?:at least|more than|about|around|nearly|some)\s+)?(\d[\d,]*|{_NUM_WORD})\b")
_TOLL_REACHES = re.compile(rf"\b(?:rose|risen|rises|climbed|climbs|jumped|increased|reached|reaches|hit|stood|stands|is|was|at|of)\s+"
                           rf"(?:to\s+|at\s+)?(?:(?:at least|more than|over|nearly|about|around|no fewer than|no less than)\s+)?(?:\d[\d,]*|{_NUM_WORD})\b(?:\s+([a-z’'-]+))?")
_BARE_COUNT = re.compile(rf"(?:\d[\d,]*|{_NUM_WORD}|several|dozens|scores|hundreds)")
_BARE_COUNT_AFTER = re.compile(rf"\s*(?:(?:at least|more than|nearly|almost|about|around|some|over)\s+)?{_BARE_COUNT.pattern}\b")
_BARE_COUNT_BEFORE = re.compile(rf"{_BARE_COUNT.pattern}\s+(?:(?!\d|(?:{_NUM_WORD})\b)[\w’'-]+\s+){{0,2}}(?:(?:were|are|was|have been|had been|has been|reportedly)\s+)*$")
# After an active killing verb: its object, led by a determiner, naming people the lexicon has
# no word for ("killing the driver", "killing its three occupants").
_DETERMINED_OBJECT_AFTER = re.compile(rf"\s*(?:the|a|an|its|their|his|her|all|both)\s+(?:(?:{_BARE_COUNT.pattern})\s+)?[a-z’'-]{{3,}}\b")
_N_OF_THEM_AFTER = re.compile(rf"\s+(?:at least\s+|some\s+|about\s+)?(?P<n>\d+|{_NUM_WORD}|several|dozens)\s+of\s+them\b")
_N_OF_THEM_BEFORE = re.compile(rf"(?P<n>\d+|{_NUM_WORD}|several|dozens)\s+of\s+them\s+(?:were\s+|had\s+been\s+|have\s+been\s+)?(?:later\s+|then\s+|\w+ly\s+)?$")
_COUNTED_NOUN_BEFORE = re.compile(r"(?:\d|\b(?:" + "|".join(_NUMBER_WORDS) + r"|several|dozens|scores|hundreds|tens))\W+(?:(?!including\b|among\b|and\b|or\b)[\w’'-]+\W+){0,3}$")
_DEFINITE_NOUN = re.compile(r"\b(?:the|these|those|such)\s+(?:[\w-]+\s+)?(?:check\s?points?|roadblocks?|patrols?)\b")
_CLAUSE_OPENER = re.compile(r"[,;]|\b(?:who|which|that|when|after|as|while|before)\b")
_POSSESSIVE_NOUN = re.compile(r"\b(?:its|their)\s+(?:[\w-]+\s+)?(?:check\s?points?|roadblocks?|patrols?)\b")
_MARTYRS_OF = re.compile(r"\s+(?:of|from)\s+(?:the\s+)?(?:heroic\s+|brave\s+|valiant\s+)?")
_MANNED_BY_BEFORE = re.compile(r"\b(?:checkpoints?|posts?|outposts?|positions?|patrols?|bases?)\s+(?:manned|run|held|operated|guarded)\s+by\s+(?:the\s+)?$")  # "a checkpoint manned by the PMF"
_BOTH_SIDES_AFTER = re.compile(r"\s+(?:from|on|of)\s+both\s+sides\b")
_IN_GROUP_AFTER = re.compile(r"\s+(?:in|with)\s+(?:the\s+)?")
_GROUP_NOUN_END = re.compile(r"\b(?:Faction|Brigades?|Division|Battalion|Corps|Front|Legion|Regiment|Movement|Council)$", re.IGNORECASE)
_GROUP_NOUN_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?(?:faction|group|brigade|militia|movement|ranks|division|battalion|corps)\b")
_QUOTES = re.compile(r"[\"“”‘’']")  # (quotes aside: "a checkpoint of the \"apostate Iraqi army\"")
_TARGET_OF_BEFORE = re.compile(r"\b(?:positions?|bases?|posts?|outposts?|checkpoints?|headquarters|convoys?|barracks|patrols?|camps?|training camps?|(?:training\s+)?academy|depots?|gatherings?)\s+(?:of|belonging to)\s+(?:the\s+)?"
                               r"(?:(?:apostate|rafidi|rafidhi|nusayri|crusader|safavid|so-called|kurdish|kurdish-led|iraqi|syrian|turkish|russian|iranian|american|u\.s\.)\s+)?$")
_UNKNOWN_GUNMEN = re.compile(r"\b(?:unknown|unidentified|masked)\s+(?:gunm[ae]n|assailants?|attackers?|perpetrators?)\b")
_SHOT_WORD = re.compile(r"\b(?:shot|shooting|gunned|opened fire|fired)\b")  # (a shooting, not a bomb: who holds a checkpoint shot at it)
_ATTACK_WORD = re.compile(r"\b(?:attack\w*|bomb\w*|blast|explosion|suicide|ambush\w*|stormed)\b")  # (an attack at a checkpoint: its holders are no killers)
_AT_A_BEFORE = re.compile(r"\b(?:at|by)\s+(?:(?:an?|the|one of the)\s+)?$")  # ("shot dead at a Jaish al-Islam checkpoint")
_ATTACKS_ON_BEFORE = re.compile(r"\b(?:attacks?|assaults?|raids?)\s+(?:on|against)\s+(?:the\s+|an?\s+)?(?:[\w.-]+\s+(?:and|or)\s+)?$")  # ("attacks on U.S. and coalition personnel": targets, not killers)
_HURT_TOO_BEFORE = re.compile(r"\b(?:wounded|wounding|injured|injuring)\s+(?:(?!(?:in|by|when|after|during|as|at|on|from|with|and|the|a|an)\b|[\w.-]*ing\b)[\w.-]+\s{1,2}){0,4}(?:and\s+(?:\w+\s+)?)?$")  # (also "wounding four U.S. service members and two Iraqi personnel")
_FIRE_FROM_BEFORE = re.compile(r"\b(?:fired|fire|firing|shelling|shelled|shells?|rockets?|mortars?|mortar\s+rounds|rounds|shots|launched|sniper)\s+(?:[\w-]+\s+){0,2}?from\s+(?:the\s+|nearby\s+|a\s+)*$")  # (the side the fire came from)
_ARMOUR_AFTER = re.compile(r"\s+(?:tanks?|armou?red\s+(?:vehicles?|personnel carriers?)|apcs?|helicopters?|aircraft|jets?|drones?)\b")
_HIT_A_BEFORE = re.compile(r"\b(?:hit|struck|targeted|attacked|destroyed|ambushed|downed|shot down)\s+(?:an?|the|one|two|three|\d+)\s+$")
_OWNED_TARGET_AFTER = re.compile(r"\s+(?:(?:military|security|police|army|border|forward|front-?line)\s+)?(?:checkpoints?|check\s?points?|posts?|outposts?|bases?|positions?|convoys?|patrols?|headquarters|barracks|(?:training\s+)?(?:camps?|academy)|(?:vehicles?|cars?|trucks?|pick-?ups?|humvees?)\b(?![\s-]*(?:borne|bombs?)\b))")
_FOUND_BEFORE = re.compile(r"\b(?:found|find|finds|finding|discovered|discovering|recovered|recovering|retrieved|unearthed|exhumed|pulled out)\s+(?:the\s+)?$")
_OR_WOUNDED = re.compile(r"\s+or\s+(?:were\s+)?(?:seriously\s+)?(?:wounded|injured|hurt|maimed|arrested|detained|captured|abducted|missing)\b")
_ARRESTED_OR_BEFORE = re.compile(r"\b(?:arrested|detained|captured|abducted|wounded|injured)\s+or\s+$")
_GROUND_FIRE_STRIKE = re.compile(r"\b(?<!drone and )(?<!air and )(?<!aerial and )(?:artillery|mortar|tank|howitzer)\s+strikes?\b")  # (not "drone and artillery strikes": some from the air)
_OF_A_FAMILY = re.compile(r"\s+of\s+(?:(?:a|an|one|the|the same|his|her|their|a single)\s+)?(?:famil|(?:[\w'’-]+\s+){0,3}?(?:famil(?:y|ies)|tribes?|clans?|(?<!military )councils?|committees?|municipality|minority|minorities|community|communities|sect)\b)")  # ("members of the al-Hamdan family")
_AMONG_AFTER = re.compile(r"\s+among\s+(?:the\s+)?")  # ("the toll among the militants")
_MEMBERS_OF = re.compile(r"\bmembers\s+of\s+(?:(?:a|an|one|the|his|her|their|a single|one single)\s+)?(?:[\w-]+\s+)?$")


_PARTS_CUE = re.compile(rf"[,;(]?\s*(?:among them|among whom|of whom|of them|including)\b|:|\s*\((?=\s*(?:\d|{_NUM_WORD}\b))")  # "killed 59 combatants: 32 regime troops and 27 rebels"
_PART_THEN_AMONG = re.compile(r"[^,;.]{0,60}?,\s*(?P<part>[^,;.]{3,60}?)\s+(?:among them|among the dead)\b")
_MEMBERS_OF_AFTER = re.compile(r"\s+(?:members|fighters|militants|elements)\s+of\s+(?:the\s+)?$")


def _toll_parts(s, lower, start, end, mentions, quantities, toll=None):
    """Counted groups after "among them"/"including" that follows a killing, or that follows
    the toll before a passive verb ("Four people, including two members of the SNA's Military
    Police, were killed"): (group, count)."""
    cue = _PARTS_CUE.search(lower, end, end + 120)
    limit = len(lower)
    if cue is None and toll is not None and toll.noun_end <= start:
        cue = _PARTS_CUE.match(lower, toll.noun_end, start)
        limit = start
    told = _PART_THEN_AMONG.match(lower, end)
    if told is not None and (cue is None or cue.start() >= told.end("part")):
        after_cue, limit = told.start("part"), told.end("part")  # ("killing 16 people, two American soldiers among them")
    elif cue is not None:
        after_cue = cue.end()
    else:
        return []
    out = []
    for q in quantities:
        if q.start < after_cue or q.start - after_cue > 120 or q.unit != "fighters" or q.end > limit:
            continue
        # "25 SDF members" (the group inside the counted phrase) or "37 members of HTS"
        g = next((x for x in mentions if q.end <= x.start and (x.end <= q.noun_end or (
            x.start - q.end <= 30 and _MEMBERS_OF_AFTER.search(lower, q.end, x.start))) and x.value != "unknown"), None)
        if g is not None and all(g.value != h.value for h, _ in out):
            out.append((g, q))
    return out


def _victim_groups(s, lower, start, end, mentions, quantities, ctx, lex):
    """Counted groups joined by "and" before a passive killing verb ("Eight SDF fighters and
    15 IS militants were killed") or right after an active one ("killed 12 IS fighters and
    three SDF members"). Soldiers of no named group are the state's, militants the group in
    view ("ten militants and three soldiers"): (group, count) pairs, or none unless the groups differ."""
    after = [q for q in quantities if q.start >= end]
    listed = lower.startswith(":", end) or lower[max(0, end - 3):end].rstrip().endswith(":")  # ("killed: 4 Asayish members, 2 civilians": a list)
    one_first = _ONE_THEN_AND.match(lower, end) if after else None
    if one_first is not None and one_first.end() == after[0].start and lex.units.get(one_first.group("noun")) in ("people", "fighters"):
        # "killing a soldier and two civilians": one victim, counted by "a", then the others
        n = 1 if one_first.group("n") == "one" else None  # (no count for "a man": README)
        after = [Quantity(one_first.start("n"), one_first.end("n"), n, n, lex.units.get(one_first.group("noun")), one_first.end("noun")), *after]
    if after and _VICTIMS_START.fullmatch(lower, end, after[0].start):
        chain = [after[0]]
        for q in after[1:]:
            if not (_AND_BETWEEN.fullmatch(lower, chain[-1].noun_end, q.start) or (listed and re.fullmatch(r"\s*,\s*", lower[chain[-1].noun_end:q.start]))):
                break
            chain.append(q)
    else:
        chain = [q for q in quantities if q.end <= start and start - q.end <= 120]
    if chain:
        # "Three SDF fighters and a civilian were killed": one more victim, counted by "a"
        one = _AND_ONE_AFTER.match(lower, chain[-1].noun_end)
        unit = one and lex.units.get(one.group("noun"))
        if unit in ("people", "fighters") and (one.end() <= start or chain[-1].start >= end):
            n = 1 if one.group("n") == "one" else None  # (no count for "a man": README)
            chain.append(Quantity(one.start("n"), one.end("n"), n, n, unit, one.end()))
    out = []
    for k, q in enumerate(chain):
        if q.unit == "people" and (q.start >= end or (k and _AND_BETWEEN.fullmatch(lower, chain[k - 1].noun_end, q.start))
                                   or (k + 1 < len(chain) and _AND_BETWEEN.fullmatch(lower, q.noun_end, chain[k + 1].start))):
            out.append((None, q))  # "and 12 civilians", "Seven civilians and four SDF fighters were killed": by whoever killed the others
            continue
        if q.unit != "fighters":
            continue
        g = next((x for x in mentions if q.end <= x.start and x.end <= q.noun_end and x.value != "unknown"), None)
        of = _OF_THE.match(s, q.noun_end) if g is None else None
        if of is not None:
            g = next((x for x in mentions if x.start == of.end() and x.value != "unknown"), None)  # "17 members of HTS"
        if g is None:
            noun = lower[q.end:q.noun_end].split()
            value = _default_soldiers(noun[-1], ctx) if noun else None  # "militants": the group in view
            g = Mention(q.end, q.noun_end, value, s[q.end:q.noun_end]) if value else None
        if g is not None:
            out.append((g, q))
    if len(out) > 1 and len({g.value if g else None for g, _ in out}) == len(out) and any(g for g, _ in out) \
            and all(re.search(r"\b(?:and|as well as)\b", s[a[1].noun_end:b[1].start]) or ((listed or k + 2 < len(out)) and s[a[1].noun_end:b[1].start].strip() == ",")
                    for k, (a, b) in enumerate(zip(out, out[1:]))):  # (a comma joins all but the last pair: "45 IS fighters, 12 YPG fighters and 5 civilians")
        return out
    if len(out) > 1 and all(g is not None and g.value == out[0][0].value for g, _ in out) \
            and all(q.low is not None and q.low == q.high for _g, q in out) \
            and all(_AND_BETWEEN.fullmatch(lower, a[1].noun_end, b[1].start) for a, b in zip(out, out[1:])):
        # "three soldiers and two police officers were killed": one group's dead, counted together
        first = out[0][1]
        total = sum(q.low for _g, q in out)
        return [(out[0][0], replace(first, low=total, high=total, noun_end=out[-1][1].noun_end))]
    return []


_ONE_THEN_AND = re.compile(r"\s+(?P<n>an?|one)\s+(?:[\w-]+\s+)?(?P<noun>[\w-]+)\s+and\s+")
_ARMED_BODY_BEFORE = re.compile(r"\b(?:military|shura|security|defen[cs]e|war|revolutionary)\s+$")  # ("a Manbij Military Council member": the council's fighter; not "a council member", "Civil Council member")
_AND_ONE_AFTER = re.compile(r"\s*,?\s*and\s+(?P<n>an?|one)\s+(?:[\w-]+\s+){0,2}?(?P<noun>[\w-]+)\b")
_VICTIM_APPOSITION = re.compile(r",|\s[-–—]\s|\b(?:including|includes?|among|both|mostly)\b")
_FIGHTING_BROKE_OUT = re.compile(r"\b(?:[Ff]ighting|[Cc]lashes|[Bb]attles?|[Gg]unfights?|[Ff]irefights?|[Cc]onfrontations)\s+(?:[\w()’'-]+\s+){0,12}?"
                                 r"(?:broke out|erupted|raged|flared)\b")  # ("Armed clashes between the Iraqi army and the YBS broke out")
_CLASH_BETWEEN_BEFORE = re.compile(r"\b(?:clash(?:es)?|fighting|battles?|confrontations?|skirmishes|exchanges? of fire)\s+between\s+(?:[\w’'-]+\s+){0,5}?(?:and\s+(?:the\s+)?)?(?:[\w’'-]+\s+){0,3}$")
_CLASH_TOLL_BEFORE = re.compile(r"\b(?:clash(?:es)?|fighting|battles?|confrontations?|skirmishes)\s+(?:that|which)\s+(?:(?:has|have|had|reportedly)\s+)*$")
_LEADING_TIME = re.compile(r"(?:\s*,?\s*(?:yesterday|today|last night|overnight|tonight|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
                           r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|this (?:morning|afternoon|evening|week))(?:\s+(?:morning|afternoon|evening|night))?\s*,?)+\s*")
_MEMBERS_END_AFTER = re.compile(r"(?:\s+(?:fighters|members|militants|soldiers|troops|gunmen|militiamen|commanders|combatants|recruits|jihadists|policemen|officers|personnel))?"
                                r"\s*(?:[,.;)]|$|\s+(?:in|on|at|near|and|were|who|from|according|while|when|during|after|before)\b)")
_MOSTLY_OF_GROUP_AFTER = re.compile(r"\s*,\s*(?:(?:most|many|all|nearly all|almost all|the majority|both)\s+of\s+(?:them|whom)\s+(?:(?:were|being)\s+)?|mostly\s+)(?:former\s+|ex-)?")
_VICTIMS_START = re.compile(r"\s*:?\s*(?:(?:were|are|included|include|comprised)\s+|(?:(?:in|on|from|among)\s+(?:[\w’'-]+\s+){1,4}?)?at\s+)?"  # ("put the death toll at 15 rebels and three soldiers")
                            r"(?:(?:at least|more than|some|about|around|nearly|almost|over)\s+)?")
# Between two counted groups: "and", "and of", and after the allies counted with the first
# ("173 regime soldiers and members of loyalist militias, and of 158 fighters of HTS"; "61
# regime soldiers and members of loyal militias and of 44 fighters").
_AND_BETWEEN = re.compile(r"(?:(?:\s+of\s+(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+){0,2}?)?"
                          r"\s*,?\s+and\s+(?:members\s+of\s+)?(?:the\s+|its\s+|their\s+)?(?:allied|other|loyal|loyalist|pro-government|pro-regime|affiliated|foreign|local)\s+(?:[\w-]+\s+)?(?:factions|militias|militiamen|groups|fighters))?"
                          r"\s*,?\s*(?:and|as well as)\s+(?:of\s+)?(?:(?:at least|more than|some|about|around|nearly|almost|over)\s+)?")


_GUARDS_SHOT = re.compile(r"\b(?:fighters|guards|gunmen|members|men|soldiers|policemen|police)\s+(?:at|manning|of)\s+(?:a|the)\s+checkpoint\b[^.;]{0,80}?\b(?:shot|opened\s+fire|fired)\b")
_EXPLOSION = re.compile(r"\b(?:exploded|explodes|blew\s+up|detonated|went\s+off|blast|explosion|suicide\s+(?:bomber|attacker|car))\b")
_TRAINING_SITE_AFTER = re.compile(r"\s+(?:training\s+)?(?:academy|camp|college)\b")
_FORCE_ACADEMY = re.compile(r"\b(?:training\s+)?(?:academy|college|camp|school|centre|center)\s+(?:of|for|belonging\s+to)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:forces|army|police|security|peshmerga|asayish|militia|sdf|ypg|pmf)\b")


def _clock_lines(lines: list[str]) -> set[int]:
    """The lines of a live blog that open with a clock stamp (two at least). Bare four-digit
    stamps ("0735 ...") count only when one of them is plainly a time, with a leading zero or
    minutes other than :00 ("1500 Turkish-backed fighters entered Afrin" is a count)."""
    stamped = {i: m for i, line in enumerate(lines) if (m := _CLOCK_LINE.match(line))}
    four = [m.group("hhmm") for m in stamped.values() if m.group("hhmm")]
    if four and not any(h[0] == "0" or h[2:] != "00" for h in four) and not any(m.group("weekday") for m in stamped.values()):
        stamped = {i: m for i, m in stamped.items() if not m.group("hhmm")}
    return set(stamped) if len(stamped) >= 2 else set()


def _is_speaker_label(s: str, m) -> bool:
    """`m` opens the sentence as a label of who tells it: "SDF: 11 civilians killed ..."."""
    return m.start <= 1 and s.startswith(":", m.end)


def _target_owner(lower: str, mentions, m, trigger_end: int) -> bool:
    """`m` names whose a struck checkpoint or post was ("a checkpoint of the Levant Front rebel
    group", "a checkpoint manned by rebels"): the target's side, not the killers'."""
    head = next((x for x in mentions if x.value == m.value and x.end <= m.start
                 and re.fullmatch(r"[\s\w-]{0,25}", lower[x.end:m.start])), m)  # (the first name of "the Levant Front rebel group")
    window = lower[max(0, head.start - 60):trigger_end]  # (how this killing came about, not "days after a car bomb" elsewhere)
    if _EXPLOSION.search(window):
        pass  # ("a car bomb exploded at a checkpoint of the Levant Front ..., after guards fired on the vehicle": the bomb killed)
    elif _GUARDS_SHOT.search(window) or (_SHOT_WORD.search(window) and not _ATTACK_WORD.search(window)):
        return False  # ("a man was shot dead at a checkpoint of the Sultan Murad Division", "guards at a checkpoint opened fire": its men shot)
    return bool(_TARGET_OF_BEFORE.search(lower, max(0, head.start - 30), head.start)
                or _MANNED_BY_BEFORE.search(lower, max(0, head.start - 40), head.start))


# Men already held before "shot N of them" ("rounded up 40 men ... then shot 25 of them", "took
# some 1,700 cadets ... and shot hundreds of them", "pulled 20 pilgrims off a bus and shot 15 of them").
_CAPTIVES_BEFORE = re.compile(r"\b(?:(?:rounded|lined|herded)\s+(?:[\w-]+\s+)?up|lined\s+them|gathered|assembled|separated|marched|herded|captured|seized|abducted|kidnapped"
                              r"|detained|took\s+(?:[\w-]+\s+){0,2}?(?:\d[\d,]*|prisoners?|captives?|hostages?)|pulled\s+[^.;]{1,40}?\s+(?:off|out\s+of))\b[^.;]*$")


_CIVILIAN_NOUNS = frozenset(("civilians", "civilian", "residents", "villagers", "farmers", "shepherds", "children", "women", "people", "students", "workers"))
_DESCRIBED_AS_MEMBERS = re.compile(r"\s+(?:(?:whom|that|who)\s+)?(?:it|they|he|the\s+group|(?:the\s+)?[a-z.-]+(?:\s+(?![a-z]+ly\b)[a-z.-]+)?)\s+(?:described|accused|called|identified|branded|labell?ed)\s+"
                                   r"(?:them\s+|him\s+)?(?:as\s+)?(?:of\s+being\s+)?(?:an?\s+(?:senior\s+|local\s+|top\s+)?)?(?:(?:members|fighters|militants|operatives)\s+of\s+(?:the\s+)?(?=\S)"
                                   r"|(?=[a-z.-]+(?:\s+[a-z.-]+)?\s+(?:members|fighters|militants|operatives|cell\s+members|commanders?|emirs?|leaders?)\b))")  # (also "two men the SDF described as ISIS members")


_ACCORDING_TO_BEFORE = re.compile(r"\baccording\s+to\s+(?:[\w’'-]+\s+){0,2}$")
_FINITE_BEFORE_TRIGGER = re.compile(r"\b(?:were|was|had been|have been|has been|are|is)\s+(?:[\w-]+\s+)?$")  # ("Three of the seven soldiers were killed", not "Two of the 15 people killed ... were children")
_PART_OF_THE = re.compile(r"\s+of\s+(?:the|these|those|its|their)\s+")
_COUNTED_GROUP_GAP = re.compile(r"\s+(?:(?:were|was|have been|had been|are|reportedly|also)\s+)*")  # ("20 Daesh were killed")
_PASSIVE_TAIL = re.compile(r"\s*(?:$|[,.;:)(]|(?:in|on|at(?!\s+(?:least|most))|near|during|when|as|after|by|since|overnight|yesterday|today|this|last|while|across)\b)")  # (not "killed at least two", "killed over 20")


_ATTACKER_NOUN_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?(?:attack\w*|shell(?:ed|s|ing)?|(?:air\s?|drone\s+)?strikes?|struck|raid\w*|ambush\w*|bomb\w*|fire|fired|sniper|drone|rockets?|mortars?|storm\w*|execut\w*|kill\w*|gunmen|s?vbied|ied|counter-attack)\b", re.IGNORECASE)
_TARGET_PREP_BEFORE = re.compile(r"\b(?:on|against|at|targeting)\s+(?:an?\s+|the\s+)?$", re.IGNORECASE)
_CIV_COUNT_BEFORE = re.compile(r"\b(\d{1,4})\s+(?:civ|civs|civilians?)\.?\s+$", re.IGNORECASE)


def _killing_frame(trig, s, lower, start, end, m, mentions, places, quantities, ctx, lex, subject, agent):
    if s[start:end] == "KIA":
        # sitreps: "IED vs PMU patrol 23 JUN, 2 KIA / 3 WIA": the count before, of the
        # group named before in the sentence
        group = next((x for x in reversed(mentions) if x.end <= start and x.value != "unknown"), None)
        civ = _CIV_COUNT_BEFORE.search(s, max(0, start - 20), start)
        if civ is not None:
            # "| IED hit civilian vehicle near the town | 2 civ KIA": civilians, killed by whoever
            # the row names (else unknown)
            n = int(civ.group(1))
            killer = next((x.value for x in mentions if x.end <= start and x.value != "unknown"
                           and (_ATTACKER_NOUN_AFTER.match(s, x.end) or s[max(0, x.start - 3):x.start].lower() == "by ")
                           and not _TARGET_PREP_BEFORE.search(s, max(0, x.start - 12), x.start)), "unknown")
            return [(killer, None, trig.manner or _manner(lower, lex, start, end) or "unknown", _event_place(trig, s, start, end, places, ctx),
                     None, None, Quantity(start - len(civ.group(0)), start, n, n, "people", start), "killed_by")]
        if group is None:
            return []
        q = next((x for x in reversed(quantities) if x.end <= start and (start - x.end <= 3 or (
            group.start >= x.end and start - x.end <= 25 and not s[x.end:group.start].strip() and not s[group.end:start].strip()))), None)  # "4 PMF KIA"
        manner = trig.manner or _manner(lower, lex, start, end) or "unknown"
        return [(group.value, None, manner, _event_place(trig, s, start, end, places, ctx), None, None,
                 replace(q, unit="fighters") if q else None, "killed")]
    if _WAR_WIDE.search(lower) and not any(p.role == "event" and p.place.kind in ("town", "landmark", "admin1") for p in places):
        return []  # "Russia has so far lost 12 soldiers in the Syrian war": the whole war's toll, no town's event
    if lower[start:end] == "shot" and not _CAPTIVES_BEFORE.search(lower, max(0, start - 200), start):
        return []  # "shot more than 80 of them" kills only men already held ("rounded up ... and shot"); shot may wound
    victims = _victims(s, lower, start, end, lex)
    if victims is None:
        return []
    noun, v_start, v_end, combatant, side = victims
    if combatant and _CIVILIAN_BEFORE.search(lower, max(0, v_start - 25), v_start):
        combatant = False  # "the civilian night guard was killed": a civilian's trade
    if combatant and _FORMER_BEFORE.search(lower, max(0, v_start - 25), v_start) and not any(
            x.value in INSURGENTS and v_start - 25 <= x.start < v_end for x in mentions):
        combatant = False  # "executed 40 former police officers": civilians now (not "a former rebel commander who joined the army")
    if not combatant and noun in ("trainees", "trainee", "instructors") and (
            _FORCE_ACADEMY.search(lower) or any(0 <= v_start - x.end <= 1 or _TRAINING_SITE_AFTER.match(lower, x.end) for x in mentions if x.value != "unknown")):
        # "a strike hit a training academy of the internal security forces, killing 29 trainees and
        # instructors", "killed 12 police trainees", "hit a Peshmerga training camp, killing 3
        # trainees": the force's own (not "3 university instructors")
        combatant = True
    if combatant and _OF_A_FAMILY.match(lower, v_end):
        combatant = False  # "five members of the same family", "members of the Shaitat tribe": civilians
    # The victims' group: named inside the victim phrase ("60 IS fighters", "members of IS"),
    # or "its/their fighters" = the group named before.
    q = next((q for q in quantities if q.noun_end == v_end), None)
    if q is not None and not combatant and q.unit == "fighters":
        q = replace(q, unit="people")
    if noun in ("family", "families"):
        # "Eight members of one family": the members are counted, not the family.
        members = _MEMBERS_OF.search(lower, 0, v_start)
        counted = members and next((x for x in quantities if x.end <= members.start() and members.start() - x.end <= 2), None)
        if counted:
            q = replace(counted, unit="people", noun_end=v_end)
    if q is None:
        # "seven tribesmen", "70 Syrian regime and rebel fighters": the nearest count before
        # the noun, with nothing between them that starts another phrase.
        q = next((q for q in reversed(quantities) if q.end <= v_start and v_start - q.end <= 45
                  and not re.search(r"[,;]|\b(?:including|among|killed|wounded|injured|were|was|said)\b", lower[q.end:v_start])), None) or next(
            (q for q in quantities if q.start < v_start <= q.end + 1), None)
        if q is not None:
            q = replace(q, unit="fighters" if combatant else "people", noun_end=v_end)
    if q is None and side == "before":
        # a breakdown's item, "- Opposition fighters: 8. Killed in clashes ...": the count after its label
        q = next((x for x in quantities if v_end < x.start and x.end <= start and lower[v_end:x.start].strip() == ":"
                  and not lower[x.end:start].strip(" .")), None)
        if q is not None:
            q = replace(q, unit="fighters" if combatant else "people", noun_end=v_end)
    if q is None and noun in ("family", "families"):
        # "a family of six killed": the count of its members
        of = re.match(r"\s+of\s+", lower[v_end:v_end + 6])
        q = next((x for x in quantities if of and v_end <= x.start <= v_end + of.end() < x.end), None)
        if q is not None:
            q = replace(q, unit="people", noun_end=v_end)
    if q is None and side == "before":
        # "ambushed a group of terrorists ..., killing 15 and injuring dozens": the count
        # right after the verb counts the victims named before it.
        q = next((x for x in quantities if x.unit is None and (0 <= x.start - end <= 2 or (x.start > end and _DOT_LEADER.fullmatch(lower, end, x.start)))
                  and not _INJURED_AFTER.match(lower, x.end)), None)  # "3 Killed 40 Injured"
        if q is not None:
            q = replace(q, unit="fighters" if combatant else "people", noun_end=v_end)
    if q is None and (leader := _LEADER_COUNT_END.search(lower, end)) is not None:
        # "Civilians killed by government air raids ........ 27": a tally line's count
        q = next((x for x in quantities if x.start == leader.start(1)), None)
        if q is not None:
            q = replace(q, unit="fighters" if combatant else "people", noun_end=v_end)
    if q is not None and " of " in lower[max(0, q.start - 12):q.start] and _FINITE_BEFORE_TRIGGER.search(lower, v_end, start):
        # "Three of the seven soldiers were killed": the part, not the whole
        part = next((x for x in quantities if x.end <= q.start and _PART_OF_THE.fullmatch(lower, x.end, q.start)), None)
        if part is not None:
            q = replace(part, unit=q.unit, noun_end=q.noun_end)
    reached_count = False
    if q is None and _NUMBER_OF_BEFORE.search(lower, max(0, v_start - 30), v_start):
        # "The number of people killed in yesterday's raids ... has risen to 39": the count it reaches
        reached = _NUMBER_REACHES.search(lower, end, end + 160)
        q = next((x for x in quantities if reached and x.start == reached.end()), None)
        if q is not None:
            q, reached_count = replace(q, unit="fighters" if combatant else "people", noun_end=v_end), True
    them_after = _N_OF_THEM_AFTER.match(lower, end)
    if them_after:
        # "drove a car bomb into a gathering of PMF fighters, killing nine of them": the group
        # named last before the verb, by the one who drove it
        named = [x for x in mentions if x.value != "unknown" and x.end <= start]
        killer = agent or (named[0] if len(named) > 1 else None)  # the sentence's subject
        group0 = next((x for x in reversed(named) if killer is None or x.value != killer.value), None)
        if group0 is not None:
            word = them_after.group("n")
            n = _number(word) if word not in ("several", "dozens") else lex.vague_quantities[word]
            q = Quantity(end + them_after.start("n"), end + them_after.end("n"), n, n if word not in ("several", "dozens") else None, "fighters", end + them_after.end())
            manner = trig.manner or _manner(lower, lex, start, end) or "unknown"
            return [(group0.value, killer.value if killer else None, manner, _event_place(trig, s, start, end, places, ctx), None, None, q, "killed")]
    them = _N_OF_THEM_BEFORE.search(lower[max(0, start - 50):start])
    if them and side == "before":
        # "Syrian soldiers were ambushed ..., and 17 of them died": the first group named.
        named = [x for x in mentions if x.value != "unknown" and x.start < start]
        if named:
            n = _number(them.group("n")) if them.group("n") not in ("several", "dozens") else lex.vague_quantities[them.group("n")]
            q = Quantity(start, start, n, n if them.group("n") not in ("several", "dozens") else None, "fighters", v_end)
            group0 = named[0]
            perp = next((x for x in mentions if x.value not in ("unknown", group0.value)), None)
            manner = trig.manner or _manner(lower, lex, start, end) or "unknown"
            place = _event_place(trig, s, start, end, places, ctx)
            return [(group0.value, perp.value if perp else None, manner, place, None, None, q, "killed")]
    phrase_start = q.start if q and not (q.start > end and _LABEL_COUNT_AFTER.match(lower, end)) and not v_end < q.start < start \
        and not reached_count else max(0, v_start - 40)  # (not "IS fighters killed: 7", "- HTS members: 2. Assassinated", a count after its label)
    if side == "after":
        phrase_start = max(phrase_start, end)  # "The organisation executed a man": not the man's group
    group = None
    for x in mentions:
        if phrase_start <= x.start and x.end <= v_end + 1 and x.value != "unknown" and (
                x.end >= v_start or re.fullmatch(r"[\s’'s)/-]*(?:[\w-]+\s+){0,3}", s[x.end:v_start])  # (also "PKK/PYD members")
                and not re.search(r"[,;]|\b(?:said|says|were|was|have|had|are|is)\b", s[x.end:v_start])):
            group = x
    if group is not None and not combatant and noun in ("men", "man") and not s[group.end:v_start].strip() \
            and not (group.text.lower() in ctx.actors.adjectives and _NATIONALITY_ENDING.search(group.text)):
        combatant = True  # "two IS men", "three Hashd men": the group's members (not "four Russian men")
        if q is not None and q.unit in (None, "people"):
            q = replace(q, unit="fighters")
    if group is None:
        # "members of IS", "fighters loyal to President Bashar al-Assad"
        of = re.match(r"[\"”’']?\s+(?:of|from|loyal to|belonging to|affiliated (?:with|to)|allied (?:with|to)|linked to)\s+(?:(?:the|an?)\s+)?(?:rival\s+|local\s+|same\s+|so-called\s+|new\s+|newly[- ]formed\s+)?(?:[A-Z][a-z]+(?:ian|an|i|ese|ish)\s+)?"
                      r"(?:[A-Z][\w-]+\s+(?=(?:Military|Revolutionary|Security|Defen[cs]e|Civil|Border)\s))?[\"“‘']?"  # ("of the Raqqa Military Council")
                      r"(?:[\w.]+-(?:backed|led|supported)\s+)?(?:(?:[A-Z]\w+|government|state)['’]s\s+)?(?:(?:[\w-]+\s+){1,4}(?:known as|called|dubbed)\s+(?:the\s+)?)?", s[v_end:v_end + 80])  # "of the U.S.-backed SDF", "of the Kurdish security force known as the Asayish"
        if of:
            group = next((x for x in mentions if v_end + of.start() + 3 <= x.start <= v_end + of.end()), None)
        described = _DESCRIBED_AS_MEMBERS.match(lower, v_end) if group is None and noun not in _CIVILIAN_NOUNS else None  # (not "nine civilians it accused of being members of the PKK")
        if described is not None:
            # "executed six men it described as members of Islamic State cells": the group they are said to belong to
            group = next((x for x in mentions if x.start == described.end() and x.value not in ("unknown", "national_forces")), None)
            if group is not None:
                combatant = True
                if q is not None and q.unit in (None, "people"):
                    q = replace(q, unit="fighters")
        # (also after the place and day: "killed 31 people in Idlib province on Thursday, most of them HTS fighters")
        mostly = (_MOSTLY_OF_GROUP_AFTER.match(lower, v_end) or _MOSTLY_OF_GROUP_AFTER.search(lower, v_end, v_end + 80)) if group is None and side == "after" else None
        mostly = mostly if mostly is None or ";" not in lower[v_end:mostly.start()] else None
        if mostly is not None:
            # "killing several local gunmen, most of them former rebels", "15 people, all of
            # them IS fighters": the group the dead mostly belong to
            killers = {x.value for x in (subject, agent) if x is not None}
            group = next((x for x in mentions if x.start == mostly.end() and x.value not in ("unknown", "national_forces")
                          and _MEMBERS_END_AFTER.match(lower, x.end)  # (not "most of them IS relatives", "rebel sympathisers")
                          and not (re.search(r"\b(?:former|ex-)", mostly.group(0)) and (x.value in STATE_FORCES or x.value in killers))  # ("many of them former police officers": civilians now)
                          and x.value not in killers), None)  # (not the killers' own: "rebels killed 16 people, many of them police officers")
            if group is not None:
                combatant = True
                if q is not None and q.unit in (None, "people"):
                    q = replace(q, unit="fighters")
        inside = _IN_GROUP_AFTER.match(lower, v_end) if group is None else None
        if inside is not None:
            # "a commander in the Ahrar al-Sharqiya faction": the faction's own
            group = next((x for x in mentions if x.start == inside.end() and x.value != "unknown"
                          and (_GROUP_NOUN_AFTER.match(lower, x.end) or _GROUP_NOUN_END.search(x.text))), None)  # (or "in the Sultan Murad Division")
    if group is None and (belonging := _DEAD_BELONGING_AFTER.search(lower, end, end + 120)) is not None:
        # "23 fighters were killed in the raids, 16 of them non-Syrians, most belonging to Iran's
        # Quds Force": the group the dead are said to belong to
        group = next((x for x in mentions if belonging.end() <= x.start <= belonging.end() + 3 and x.value not in ("unknown", "national_forces")), None)
        if group is not None:
            combatant = True
            if q is not None and q.unit in (None, "people"):
                q = replace(q, unit="fighters")
    if group is None and (apposed := _ALL_MEMBERS_OF_AFTER.match(lower, v_end)) is not None:
        # "three people in the car, all members of the YBS, were killed": the group the apposition names
        group = next((x for x in mentions if x.start == apposed.end() and x.value not in ("unknown", "national_forces")), None)
        if group is not None:
            combatant = True
            if q is not None and q.unit in (None, "people"):
                q = replace(q, unit="fighters")
    if group is None and combatant and q is not None and (owner := next((x for x in mentions if x.end <= q.start and x.value not in ("unknown", "national_forces")
                                                                         and _LOSSES_PUT_AT.fullmatch(lower, x.end, q.start)), None)) is not None:
        # "A monitor puts SDF losses at 41 fighters killed": the dead are the losing group's
        group, combatant = owner, True
    if group is None and lower.endswith("losses", start, end):
        # "put rebel losses at 20": the group whose losses they are
        # (or "put losses among the attacking factions at 130": fighters, of a side named after "among")
        group = next((x for x in mentions if start <= x.start < end and x.value not in ("unknown", "national_forces")), None) or next(
            (x for x in mentions if (among := _AMONG_AFTER.match(lower, end)) and end < x.start <= among.end() + 12 and x.value not in ("unknown", "national_forces")), None)
        combatant = True
    if group is None and lower.startswith(("death toll", "toll"), start) and (among := _AMONG_AFTER.match(lower, end)):
        # "put the toll among the militants at 124": the militants' dead
        group = next((x for x in mentions if among.end() - 4 <= x.start <= among.end() and x.value != "unknown"), None)
        combatant = combatant or group is not None
    if group is None and lower.startswith("martyr", start):
        # "We mourn four martyrs of the tribal Hashd": the group's own dead
        of = _MARTYRS_OF.match(lower, end)
        group = next((x for x in mentions if of and x.start == of.end()), None)
        if group is not None:
            combatant = True
            if q is not None and q.unit in (None, "people"):
                q = replace(q, unit="fighters")
    if group is None and noun in ("attackers", "attacker", "assailants", "assailant"):
        # "repelled an IS attack on the town, killing 12 attackers": the attack's group
        group = next((x for x in mentions if x.end <= start and x.value != "unknown"
                      and _words_re(lex.words, "attack_nouns", r"\s+(?:@@)s?\b").match(lower, x.end)), None)
        if group is not None:
            combatant = True
            if q is not None and q.unit in (None, "people"):
                q = replace(q, unit="fighters")
    if group is None and re.search(r"\b(?:its|their|his)\s+(?:own\s+)?$", lower[max(0, v_start - 15):v_start]):
        group = _nearest_before(mentions, v_start)
        if group is not None and noun in ("men", "man"):
            combatant = True  # "the Peshmerga commander said 13 of his men had been killed": his fighters
        group = group or (Mention(0, 0, ctx.actor, "") if ctx.actor else None)
    if group is None and _INSIDE_AFTER.match(lower, v_end):
        # "struck a car carrying members of the SDF ..., killing all three people inside": the
        # vehicle's passengers, whose group the sentence named
        carried = next(reversed(list(_CARRYING_MEMBERS.finditer(lower, 0, start))), None)  # (the nearest before the killing)
        group = next((x for x in mentions if carried and carried.end() <= x.start <= carried.end() + 4 and x.value not in ("unknown", "national_forces")), None)
        if group is not None:
            combatant = True
            if q is not None and q.unit in (None, "people"):
                q = replace(q, unit="fighters")
    if trig.actor_role == "subject" and subject is not None and (group is None or group.start > end):
        # "Turkey has lost at least 68 soldiers", "Hezbollah lost a dozen men": the loser's own fighters
        group, combatant = subject, True
        if q is not None and q.unit in (None, "people"):
            q = replace(q, unit="fighters")
    # Perpetrator: "by X", the subject of "X killed ...", or unknown gunmen named in the sentence;
    # "in an attack claimed by the Islamic State group": the claimant.
    perp = agent or (next((x for x in mentions if _CLAIMED_BY_BEFORE.search(lower, max(0, x.start - 25), x.start)), None)
                     if "claimed by" in lower else None)
    breaks = [b.end() for b in _CLAUSE_BREAK.finditer(lower, 0, start)]
    breaks += [b.end() for b in _AFTER_CLAUSE.finditer(lower, 0, start)]  # (", hours after an attack on a base killed a contractor")
    clause_start = max(breaks) if breaks else 0
    if subject is not None and subject.start < clause_start and side == "after" and not _PRONOUN_IN.search(lower, clause_start, start):
        subject = None  # "PMF fighters set up checkpoints since Monday, when twin bombings killed 23": not the bombers
    if subject is not None and _OWNED_TARGET_AFTER.match(lower, subject.end) and _STRUCK_BEFORE.search(lower, max(0, subject.start - 75), subject.start):
        subject = None  # "a car bomb struck a rebel checkpoint, killing 42": the target's, not the killers'
    if subject is not None and not combatant and _target_owner(lower, mentions, subject, end):
        subject = None  # "a truck bomb exploded at a checkpoint of the Levant Front, killing 43 people": the target's
    if subject is not None and _ATTACKS_ON_BEFORE.search(lower, max(0, subject.start - 40), subject.start):
        subject = None  # "attacks on U.S. and coalition personnel ... that killed a contractor": the targets
    finders = _FOUND_BEFORE.search(lower, max(0, start - 30), start)  # "police found the bodies of": not the killers
    if perp is None and side == "after" and subject is not None and (group is None or subject.start != group.start) \
            and not finders:
        perp = subject
    if perp is None and trig.manner == "assassination":
        perp = subject
    if perp is None and not finders and noun not in ("attackers", "attacker", "assailants", "assailant"):
        # "an IS attack on an army checkpoint killed three soldiers": whose attack it was
        perp = next((x for x in mentions if x.end <= start and x.value != "unknown" and (group is None or x.value != group.value)
                     and _words_re(lex.words, "attack_nouns", r"\s+(?:@@)s?\b").match(lower, x.end)), None)
    if perp is None and not finders and not combatant and "checkpoint" in lower and _SHOT_WORD.search(lower) and not _ATTACK_WORD.search(lower) \
            and not _UNKNOWN_GUNMEN.search(lower) and not any(_OPENED_FIRE_AFTER.match(lower, x.end) for x in mentions):
        # "a child shot dead at a Jaish al-Islam checkpoint": the men who hold the checkpoint
        perp = next((x for x in mentions if x.start > end and x.value != "unknown" and _AT_A_BEFORE.search(lower, max(0, x.start - 12), x.start)
                     and _OWNED_TARGET_AFTER.match(lower, x.end)), None)
    if perp is None and not finders:
        # "killed in an HTS offensive", "killed by Turkish shelling", "when Daesh overran":
        # the other group the sentence names.
        # (within the killing's clause: "PMF fighters set up checkpoints since Monday, when
        # twin bombings killed 23 people" does not say who bombed)
        others = [x for x in mentions if (group is None or x.value != group.value) and x.value != "unknown"
                  and not (x.start <= v_start < x.end) and (x.start >= clause_start or x.start > end or side != "after")
                  and not (side == "before" and v_end <= x.start < start and _VICTIM_APPOSITION.search(s, v_end, x.start))  # ("500 people, both civilians and members of the security forces, had been killed": victims)
                  and not (side == "before" and v_end <= x.start < start and _CO_VICTIM_JOIN.fullmatch(lower, v_end, x.start))  # ("60 jihadists and rebels were killed": victims both)
                  and not (_OWNED_TARGET_AFTER.match(lower, x.end) and not _FIRE_FROM_BEFORE.search(lower, max(0, x.start - 45), x.start))  # ("a car bomb struck a rebel checkpoint": the target's; not "shelling from SNA positions", where it came from)
                  and not (not combatant and _target_owner(lower, mentions, x, end))  # ("exploded at a checkpoint of the Levant Front, killing 43 people")
                  and not _ATTACKS_ON_BEFORE.search(lower, max(0, x.start - 40), x.start)  # ("attacks on U.S. and coalition personnel": the targets)
                  and not _in_description_after(lower, end, x)  # ("48 in Tartus, where the regime's ally Russia keeps a base")
                  and not _speaks_before(lower, x.end, start)  # ("The SDF said a strike killed 11 people": the speaker)
                  and not (not combatant and _is_speaker_label(s, x) and not _FIRST_PERSON_AFTER.match(s, x.end))  # ("SDF: 11 civilians killed near Al-Malikiyah": who tells it; but "IS: 30 Iraqi soldiers killed" claims them)
                  and not (not combatant and x.start > end and _ALSO_VICTIMS_AFTER.match(lower, x.end))  # ("11 civilians died, and three SDF fighters were killed": victims too)
                  and not (x.start > end and _HURT_TOO_BEFORE.search(lower, max(0, x.start - 60), x.start))  # ("killed a contractor and wounded six other Americans")
                  and not (x.start > end and (lead := _FRONTED_SINCE_CLAUSE.match(lower)) and end <= lead.end() <= x.start)]  # ("Since the car bomb that killed dozens ..., Levant Front fighters have ...": the main clause's)
        if others:
            perp = min(others, key=lambda x: abs(x.start - end))
    perpetrator = perp.value if perp else None
    if perp is not None and group is None and not combatant and (_CLASH_BETWEEN_BEFORE.search(lower, max(0, perp.start - 70), perp.start)
                                                                 or _CLASH_TOLL_BEFORE.search(lower, max(0, start - 40), start)):
        # "clashes between the SDF and IS left 14 dead", "in fierce fighting that left dozens
        # dead": the dead of both sides, nobody's killing
        perpetrator = None
    manner = None
    if perpetrator is None and side == "after" and re.search(r"\b(?:they|it)\s+(?:(?:have|had|has|also|then|later|reportedly)\s+)*$",
                                                             lower[max(0, start - 30):start]):
        perpetrator = ctx.actor or ctx.main_actor  # "In August they beheaded ...": the group named before
        if ctx.strikes_told_last and ctx.sentences_read - ctx.strikes_told_at <= 1 and ctx.previous_sentence \
                and _STRIKES_SUBJECT_START.match(ctx.previous_sentence) and "they" in lower[max(0, start - 30):start]:
            # ("The raids hit Asayish positions in Hasakah. The monitor said they killed 10
            # civilians": the raids killed them, not the group they hit)
            perpetrator = ctx.strikes_told_last[-1].actor
            manner = "airstrike"
    if perpetrator is None and ctx.previous_attacker and (group is None or group.value != ctx.previous_attacker) \
            and all(phrase_start <= x.start and x.end <= v_end + 1 for x in mentions) \
            and _words_re(lex.words, "attack_nouns", r"\b(?:in|during|by)\s+(?:the|that|this)\s+(?:[\w-]+\s+)?(?:@@)\b").search(lower, end):
        perpetrator = ctx.previous_attacker  # "IS militants stormed a checkpoint. Five were killed in the attack."
    if perpetrator is None and ctx.previous_attacker and group is None and _is_toll_of_before(lower, places, ctx):
        perpetrator = ctx.previous_attacker  # "IS militants stormed a village on Monday. Five civilians were killed."
    if perpetrator is None and ctx.previous_attacker and _THE_ATTACKS_SUBJECT.match(lower[:start]):
        perpetrator = ctx.previous_attacker  # "... 23 attacks by Islamic State cells. The attacks killed 19 SDF members"
    if perpetrator is None and re.search(r"\b(?:unknown|unidentified|masked)\s+(?:gunm[ae]n|assailants?|attackers?|perpetrators?)\b", lower):
        perpetrator = "unknown"
    manner = manner or trig.manner or _manner(lower, lex, start, end) or ("airstrike" if perpetrator in ("us_led_coalition", "russia") else "unknown")
    if perpetrator is None and manner == "airstrike" and ctx.striker:
        perpetrator = ctx.striker  # "Strikes on the town killed 14 civilians"
    if perpetrator is None and manner == "unknown" and ctx.previous_striker and not [x for x in mentions if not _is_speaker_label(s, x)]:
        # "Regime helicopters dropped barrel bombs on the town. A woman was killed.": the
        # strike of the sentence before
        perpetrator, manner = ctx.previous_striker, "airstrike"
    if q is not None and q.unit is None:
        q = replace(q, unit="fighters" if combatant else "people")  # "the death toll rose to 13"
    if q is not None and (_OR_WOUNDED.match(lower, end) or _ARRESTED_OR_BEFORE.search(lower, max(0, start - 20), start)):
        q = None  # "dozens were killed or wounded", "16 were arrested or killed": how many died is not said
    # "killing 27 militants in Rawa": the place the victims are put in, else the nearest.
    at = re.match(r"\s+(?:in|near|at)\s+(?:the\s+)?(?:town of\s+|village of\s+|city of\s+)?", s[v_end:v_end + 40])
    place = (next((p for p in places if at and p.start == v_end + at.end() and p.role == "event"
                   and not (p.place.kind == "country" and _is_border(lower, p))), None)
             or _event_place(trig, s, start, end, places, ctx))
    if combatant and group is None and _BOTH_SIDES_AFTER.match(lower, v_end):
        # "clashes between the two largest rebel factions ..., with 40 fighters from both sides
        # killed": both sides one group's
        sides = {x.value for x in mentions if x.value not in ("unknown", "national_forces")}
        if len(sides) == 1:
            group = next(x for x in mentions if x.value in sides)
    bare_soldiers = group is not None and group.text.lower() in _STATE_SOLDIERS  # ("killing two soldiers": whose, the target says)
    if combatant and (group is None or bare_soldiers) and (side == "after" or noun in ("fighters", "members", "men", "guards", "soldiers", "militiamen", "personnel",
                                                                    "fighter", "member", "guard", "soldier", "militiaman")):
        # "An IS car bomb hit a PMF checkpoint, killing 12 fighters", "IS attacked a tribal
        # Hashd checkpoint near Anah; two fighters killed": the dead are the checkpoint's, and
        # whoever else the sentence names killed them.
        owner = next((x for x in reversed(mentions) if x.end <= start and x.value != "unknown"
                      and (_OWNED_TARGET_AFTER.match(lower, x.end) or _TARGET_OF_BEFORE.search(lower, max(0, x.start - 30), x.start)
                           or (_ARMOUR_AFTER.match(lower, x.end) and _HIT_A_BEFORE.search(lower, max(0, x.start - 30), x.start))  # ("hit a Turkish tank, killing one soldier")
                           or _MANNED_BY_BEFORE.search(lower, max(0, x.start - 40), x.start))), None)
        if owner is not None:
            group = owner
            if perp is not None and perp.value == owner.value:
                others = [x for x in mentions if x.value not in (owner.value, "unknown") and x.start < start]
                perpetrator = others[-1].value if others else ("unknown" if perpetrator == owner.value else perpetrator)
    if not combatant and side == "before":
        # "Dozens of Daesh killed": the count is of the group named right before the verb
        named = next((x for x in mentions if x.end <= start and not lower[x.end:start].strip()
                      and (_COUNT_OF_BEFORE.search(lower, max(0, x.start - 30), x.start)
                           or (lower.startswith("dead", start) and _COUNT_JUST_BEFORE.search(lower, max(0, x.start - 12), x.start)))
                      and x.value != "unknown"), None)
        if named is not None and (group is None or group.value == named.value):
            combatant, group = True, named
            if q is not None:
                q = replace(q, unit="fighters")
    if not combatant and group is not None and noun in _word_set(lex.words, "group_officials"):
        combatant = True  # "an IS judge": one of the group's own
        if q is not None and q.unit == "people":
            q = replace(q, unit="fighters")
    if combatant and group is None and noun in ("suspects", "suspect"):
        combatant = False  # ("police shot dead two robbery suspects": not "IS suspects")
        if q is not None and q.unit == "fighters":
            q = replace(q, unit="people")
    if combatant:
        actor = group.value if group else (perpetrator and None) or None
        if actor is None:
            actor = _default_soldiers(noun, ctx)
            if actor in _PRO_GOVERNMENT and perpetrator in _PRO_GOVERNMENT and perpetrator != actor and ctx.insurgent \
                    and noun in ("fighters", "militants", "members", "jihadists") and (manner == "airstrike" or _AIR_WORD.search(lower)):
                # ("Russia said its jets had carried out 64 strikes on militant convoys ..., killing
                # more than 300 fighters", Syrian troops named last: the struck insurgents')
                actor = ctx.insurgent
        if actor is None:
            # "12 Islamist fighters were killed in clashes with Kurdish militants": fighters
            # of a group the report does not name are still dead; their group is unknown.
            actor = "unknown"
        if perpetrator == actor and actor != "unknown":
            # "IS fighters attacked an army post, killing seven soldiers": the army names
            # where they died; the killers are the other group the sentence names.
            others = [x for x in mentions if x.value not in (actor, "unknown")]
            before = [x for x in others if x.start < start]
            perpetrator = (before[-1] if before else others[0]).value if others else None
        return [(actor, perpetrator, manner, place, None, None, q, "killed")]
    return [(perpetrator or "unknown", group.value if group else None, manner, place, None, None, q, "killed_by")]


_PRO_GOVERNMENT = frozenset({"syrian_government", "russia", "iran_backed_militias"})
_BARE_FORCE_NOUNS = frozenset(("special forces", "forces", "troops", "soldiers", "commandos"))
_NATIONALITY_WORD = re.compile(r"[A-Z][a-z]+(?:ish|ian|an|i|ese)")  # ("Turkish", "Russian", "American", "Iraqi")
_ADJ_NOUN_AND_GAP = re.compile(r"\s+(?:tanks|armour|armor|jets|warplanes|artillery|troops|soldiers|forces|units)\s+and\s+")
# Soldiers, police and officers by rank: the state's forces where no group is named.
_STATE_SOLDIERS = frozenset(("soldiers", "soldier", "troops", "conscripts", "cadets", "cadet", "servicemen", "officers", "officer", "policemen", "policeman",
                             "general", "generals", "lieutenant", "lieutenants", "colonel", "colonels", "brigadier", "brigadiers",
                             "sergeant", "sergeants", "corporal", "corporals", "major general", "brigadier general"))


def _default_soldiers(noun: str, ctx) -> str | None:
    if noun in _STATE_SOLDIERS:
        country = ctx.focus.country if ctx.focus is not None else ctx.country
        if country in NATIONAL_FORCES:
            return NATIONAL_FORCES[country]
    if noun in ("mercenaries", "mercenary", "terrorists", "terrorist", "takfiris", "khawarij"):
        # a statement's name for its enemy ("two mercenaries were neutralized" after "ISIS
        # mercenary cells"): the insurgent group the report names most
        return ctx.insurgent
    if noun in ("militants", "jihadists", "commanders") and ctx.insurgent and ctx.actor not in INSURGENTS:
        return ctx.insurgent  # "Russian jets struck ... 180 militants were eliminated": the insurgents', not the strikers'
    return ctx.actor if noun in ("fighters", "militants", "members", "jihadists", "commanders", "leader") else None


_QUOTE_THEN_SPEECH = re.compile(r"[,.!?]?[\"”’']\s*,?\s*(?:said|says|told|added|according)\b")


_SHARED_OBJECT_VERB = re.compile(r"\s+and\s+(?:abducted|enslaved|displaced|kidnapped|detained|tortured|raped|expelled)(?=\s+(?:thousands|hundreds|dozens|scores|at least|more than|\d+|many|several|some|the|their|its)\b)")


_COUNT_WORDS = frozenset(("at", "least", "more", "than", "over", "about", "around", "some", "nearly", "almost", "up", "to", "as", "many",
                          "of", "hundreds", "thousands", "dozens", "scores", "a", "an", "the", "dozen", "hundred", "thousand"))


_CIVILIAN_BEFORE = re.compile(r"\bcivilian\s+(?:[\w-]+\s+)?$")
_LEADER_COUNT_END = re.compile(r"(?:\.{2,}|…+)\s*(\d[\d,]*)\+?\s*$")  # (also "130+")
_DOT_LEADER = re.compile(r"\s*(?:\.{2,}|…+)\s*")  # ("Opposition fighters killed ........ 31": the count the dots lead to)
_LABEL_COUNT_AFTER = re.compile(r"\s*(?::|\.{2,}|…+)\s*(?:(?:more than|at least|about|around|nearly|over|some|up to)\s+)?\d[\d,]*\+?\s*(?:$|[,;(|])")  # ("IS fighters killed: 7", "Opposition fighters killed ....... 31")


_BLAMES_FOR_AFTER = re.compile(r"\s+(?:\w+\s+)?(?:blam(?:e|es|ed)|accus(?:e|es|ed)|hold|holds|held)\s+[^.;]{2,60}?\bfor\b(?!\s+(?:the|their|his|her|its)\b)")
_POLICE_AS_SOURCE_AFTER = re.compile(r"\s+(?:sources?|officials?|spokes\w+|chiefs?|stations?|statements?|headquarters|reports?|records?|figures|data|said|says|say|told)\b")


def _victims(s, lower, start, end, lex):
    """The people killed: a noun of the killing lexicon after an active verb ("killed 60 IS
    fighters") or before a passive one ("30 IS members have been killed")."""
    nouns = lex.combatants | lex.civilians
    if lower.startswith("body of", start) and not any(w in nouns for w in re.findall(r"[a-z’'-]+", lower[end:end + 40])):
        return "people", end, end, False, "after"  # ("The body of one of them was found": one person, whoever the noun)
    if _NUMBER_OF_DEAD_BEFORE.search(lower, max(0, start - 30), start) and (to := _TOTAL_TO_AFTER.search(lower, end, end + 120)):
        # "bringing the number killed across Deir ez-Zor province this week to 9": the total it reaches
        return "people", to.end(1), to.end(1), False, "after"
    if lower.startswith(("death toll", "toll"), start) or lower.endswith("losses", start, end):  # (also "put the toll among the militants at 124", "put rebel losses at 20")
        # "The death toll from the rocket attacks on Aleppo rose to 8 civilians": the count the
        # toll reaches, and its noun if one follows.
        toll = _TOLL_REACHES.search(lower[end:end + 150])
        if toll:
            if toll.group(1) in nouns:
                noun = toll.group(1)
                return noun, end + toll.start(1), end + toll.end(1), noun in lex.combatants and noun not in lex.civilians, "after"
            second = _NEXT_WORD.match(lower, end + toll.end(1)) if toll.group(1) else None
            if second is not None and second.group(1) in nouns:
                # "put the death toll at 19 pro-Iranian fighters": the noun after its modifier
                noun = second.group(1)
                return noun, second.start(1), second.end(1), noun in lex.combatants and noun not in lex.civilians, "after"
            at = end + (toll.start(1) - 1 if toll.group(1) else toll.end())
            return "people", at, at, False, "after"
    lead = _LEADING_TIME.match(lower, end)
    if lead and lead.end() > end:
        end = lead.end()  # "assassinated yesterday evening, Sunday, two members of ...": the victims follow the time
    shared = _SHARED_OBJECT_VERB.match(lower, end)
    if shared:
        end = shared.end()  # "killed and enslaved thousands of Yazidis": the object both verbs share
    after_text = lower[end:end + 70]
    quote_end = _QUOTE_THEN_SPEECH.search(after_text)
    if quote_end:
        after_text = after_text[:quote_end.start()]  # ('"The revolution has killed the fear," said a retired teacher': not the teacher)
    first_after = re.match(r"\s*:?\s*[\"“”]?\s*(?:(?:at least|more than|at most|up to|as many as|some|about|around|nearly|almost|over)\s+)?(\w+)", after_text)  # ("killed: 4 Asayish members", 'killed "more than 70 Daesh terrorists"')
    active = first_after is not None and first_after.group(1) not in ("by", "in", "on", "at", "during", "when", "after", "while", "as", "and", "near", "since", "over", "last", "this", "yesterday", "today", "earlier",
                                                                     "including", "incl", "among", "mostly", "there", "here", "nearby", "overnight", "instantly", "immediately", "outright")  # "69 civilians killed including 19 children"
    if active and _LABEL_COUNT_AFTER.match(after_text):
        active = False  # "IS fighters killed: 7", a tally's label: the victims are named before it
    candidates = []
    # A noun phrase inside the trigger itself: "left 11 people dead".
    inside = [w for w in re.finditer(r"[a-z’'-]+", lower[start:end]) if w.group(0) in nouns and w.start() > 0]
    if inside and re.match(r"(?:left|leaving|claim)", lower[start:end]):
        w = inside[-1]
        return w.group(0), start + w.start(), start + w.end(), w.group(0) in lex.combatants and w.group(0) not in lex.civilians, "after"
    if not inside and re.match(r"(?:left|leaving)\b", lower[start:end]):
        count = _BARE_COUNT.search(lower, start, end)  # "clashes left 14 dead": people, counted
        if count is not None:
            return "people", count.end(), count.end(), False, "after"
    words_after = list(re.finditer(r"[a-z’'-]+", after_text))
    head = [w.group(0) for w in words_after[:6] if w.group(0) not in _COUNT_WORDS and w.group(0) not in _NUMBER_WORDS][:2]
    if any(w in _word_set(lex.words, "animal_nouns") for w in head) and not any(w.group(0) in nouns for w in words_after[:8]):
        return None  # "sheep pox killed more than 300 sheep", "killed 40 stray dogs": animals, no one's death
    for k, w in enumerate(words_after):
        word = w.group(0)
        if k > 0 and "," in after_text[words_after[k - 1].end():w.start()] \
                and _BARE_COUNT_AFTER.search(after_text, 0, words_after[k - 1].end()):
            break  # "killing its three occupants, a local activist said": the counted victims end at the comma
        if word in nouns and _ACCORDING_TO_BEFORE.search(after_text, 0, w.start()):
            continue  # ("killed according to our reporter": who tells it, not the dead)
        if word in nouns:
            if re.match(r"\s+(?:were\s+|others\s+)?(?:injured|wounded|hurt)\b", after_text[w.end():]):
                break  # "killed 8 persons, 58 others injured": the 58 were not killed
            # "rebel fighters": the head is the last noun of the compound.
            while k + 1 < len(words_after) and words_after[k + 1].group(0) in nouns and \
                    re.fullmatch(r"\s+", after_text[w.end():words_after[k + 1].start()]):
                k += 1
                w = words_after[k]
            noun, w_start = w.group(0), w.start()
            if k > 0 and f"{words_after[k - 1].group(0)} {noun}" in lex.civilians:
                noun, w_start = f"{words_after[k - 1].group(0)} {noun}", words_after[k - 1].start()  # "a tribal leader"
            candidates.append(("after", noun, end + w_start, end + w.end()))
            break
        if word in ("by", "in", "on", "with", "near", "after", "during", "when") or word.startswith(("injur", "wound")):
            break
    before_text = lower[max(0, start - 160):start]
    # "nine civilians, among them four children, were killed": the nine.
    # ("nine civilians, four of them children, died": the nine; not "Of the 40 people inside,
    # ten of them children, 12 were killed", where a count follows the aside)
    before_text = re.sub(r"(?:,|\s[-–—])\s*(?:among them|including|mostly|most of them|of whom|many of them|both|(?:who|which) (?:include|included|includes))[^,–—]*?(?:,|\s[-–—]\s)", lambda mm: " " * len(mm.group(0)), before_text)
    before_text = re.sub(rf"(?:,|\s[-–—])\s*(?:\d[\d,]*|{_NUM_WORD}|several|some|all|half) of them[^,–—]*?(?:,|\s[-–—]\s)(?=\s*(?:(?:were|was|had been|have been|are|is|also|reportedly)\s+)*$)", lambda mm: " " * len(mm.group(0)), before_text)
    before_words = list(re.finditer(r"[a-z’'-]+", before_text))
    before_cand = None
    before_cand_counted = False
    base = max(0, start - 160)
    for w in reversed(before_words[-12:]):
        if w.group(0) in nouns:
            if w.group(0) == "police" and _POLICE_AS_SOURCE_AFTER.match(before_text, w.end()):
                continue  # ("Hospital and police sources: at least 41 killed": who tells it, not the dead)
            if _BLAMES_FOR_AFTER.match(before_text, w.end()):
                continue  # ("Local leaders blame IS cells for at least 10 assassinations": who blames, not the dead)
            if re.search(r"\b(?:including|among them|among whom|of whom|mostly|most of them|(?<!were )(?<!was )(?<!are )(?<!is )among)\s+(?:[\w’'-]+\s+){0,3}$", before_text[:w.start()]):
                continue  # "53 civilians including 21 children": a part, not the victims
                # (but "six children were among 19 civilians killed": the 19 are)
            cand = ("before", w.group(0), base + w.start(), base + w.end())
            prev = re.search(r"([a-z’'-]+)\s+$", before_text[:w.start()])
            if prev is not None and f"{prev.group(1)} {w.group(0)}" in lex.civilians and not _ARMED_BODY_BEFORE.search(before_text, 0, prev.start(1)):
                cand = ("before", f"{prev.group(1)} {w.group(0)}", base + prev.start(1), base + w.end())  # ("a staff member of an aid group was shot dead")
            if before_cand is None and (one := _ONE_MORE_BEFORE.search(before_text, max(0, w.start() - 24), w.start())) \
                    and _TOLD_DEATH.search(before_text, max(0, one.start() - 50), one.start()):
                before_cand = cand  # "Eleven civilians were killed in Saraqeb and another man died": one man, not the eleven
                break
            if before_cand is None:
                before_cand = cand
            # "At least 16 civilians including women and children were killed": the noun
            # that carries the count is the victims.
            if _COUNTED_NOUN_BEFORE.search(before_text[:w.start()]):
                before_cand = cand
                before_cand_counted = True
                break
    chosen = None
    if active and candidates:
        chosen = candidates[0]
    elif active and (bare := _BARE_COUNT_AFTER.match(after_text)) and re.match(r"\s+(?!(?:and|or|on|in|at|near|of|people|others)\b)[a-z]{3,}", after_text[bare.end():]) \
            and not before_cand_counted:
        chosen = None  # "killing more than 10 visitors": people counted after the verb, not a noun before it (but "a car carrying soldiers, killing two and ...": the soldiers)
    elif active and before_cand and not before_cand_counted and lower.endswith(("ing", "ed", "dead"), start, end) \
            and (obj := _DETERMINED_OBJECT_AFTER.match(after_text)) \
            and not _words_re(lex.words, "non_victims", r"\b(?:@@)\b").search(obj.group(0)):
        # "Gunmen opened fire on a car, killing its three occupants": whom the verb names,
        # not the gunmen before it
        return "people", end + obj.end(), end + obj.end(), False, "after"
    elif before_cand:
        chosen = before_cand
    elif candidates and re.match(r"\s*(?:of|among)\b", after_text):
        chosen = candidates[0]
    if chosen is None:
        # A bare count: "killing 15 and injuring dozens", "leaving 5 martyrs", "35 dead",
        # "15 young Assyrians had been killed" — people, counted by that number.
        after = _BARE_COUNT_AFTER.match(after_text)
        if active and after and not _INJURED_AFTER.match(after_text, after.end()):  # "7 dead 20 wounded"
            return "people", end + after.end(), end + after.end(), False, "after"
        before = _BARE_COUNT_BEFORE.search(lower[max(0, start - 60):start])
        if before and not _words_re(lex.words, "non_victims", r"\b(?:@@)\b").search(before.group(0)):
            at = max(0, start - 60) + before.start() + len(_BARE_COUNT.match(before.group(0)).group(0))
            return "people", at, at, False, "before"
        return None
    side, noun, v_start, v_end = chosen
    if noun in ("dead",):
        return None
    return noun, v_start, v_end, noun in lex.combatants and noun not in lex.civilians, side


# A victim counted alone after another count: "and another man", ", a child"
# (after a clause that told its own deaths, not in a list: "three soldiers, two policemen and a
# civilian were killed")
_ONE_MORE_BEFORE = re.compile(r"(?:\band|,)\s+(?:another|a|an|one more|a further)\s+(?:[a-z-]+\s+)?$")
_TOLD_DEATH = re.compile(r"\b(?:killed|died|dead|slain|lost their lives)\b")


_MANNER_PATTERNS: dict[int, re.Pattern] = {}


def _manner(lower: str, lex, start: int = 0, end: int = 0) -> str | None:
    """The manner whose cue stands nearest the trigger ("died in a Syrian air raid"); cues
    match at word starts, short ones as whole words. One pass: each manner is a named group."""
    pattern = _MANNER_PATTERNS.get(id(lex))
    if pattern is None:
        # The word boundary is tested once, before the alternatives (5x faster than in each).
        pattern = _MANNER_PATTERNS[id(lex)] = re.compile(r"\b(?:" + "|".join(
            f"(?P<{manner}>" + "|".join(re.escape(c) + (r"\b" if len(c) <= 4 else "") for c in cues) + ")"
            for manner, cues in lex.manners) + ")")
    best = None
    for m in pattern.finditer(lower):
        d = 0 if (m.start() < end and start < m.end()) else min(abs(m.start() - end), abs(start - m.end()))
        if best is None or d < best[0]:
            best = (d, m.lastgroup)
    return best[1] if best else None


# ---------------------------------------------------------------- merging


# A killing count over a longer span up to the report is a tally of the war, not an event. A
# span its own words give ("since January", "over the past year", "in 2021") may run longer
# than one a since-clause stretches to the report ("since it declared a caliphate in June last
# year"): year-to-date and year-long tallies are the report's ("since January" in December).
WAR_TALLY_DAYS = 250
WAR_TALLY_DAYS_OWN_SPAN = 400


def _is_tally_span(start: date, end: date, published: date, own_span: bool = False) -> bool:
    """"since 2014", "over the past two years": a long span that runs up to the report. A
    closed past period ("in 2014", "last year") dates an event at year precision instead."""
    days = WAR_TALLY_DAYS_OWN_SPAN if own_span else WAR_TALLY_DAYS
    return (end - start).days > days and (published - end).days <= 7
# Matched on the lowercased sentence.
_IN_THE_WAR = re.compile(r"\b(?:in|during|throughout)\s+(?:the|this|syria['’]?s|iraq['’]?s)\s+(?:(?:\d+|[a-z]+)[- ](?:year|month)s?[- ]old\s+|(?:\d+|[a-z]+)-(?:year|month)\s+)?"
                         r"(?:civil\s+)?(?:war|conflict)\b(?!\s+(?:against|on|with|between)\b)")
_FOUGHT_AFTER = re.compile(r"\s+(?:[a-z]+\s+)?(?:clash|fought|fight|battl|exchang|traded)")
_SAME_PHRASE_AND = re.compile(r"\s+(?:[a-z-]+\s+){0,2}and\s+")
_SUPERLATIVE_BEFORE = re.compile(r"\b(?:deadliest|bloodiest|worst|heaviest|largest|biggest|fiercest|first|most\s+\w+)\b[^.;]{0,60}$")
_SINCE_THE_WAR = re.compile(r"\bsince (?:then|the (?:start|beginning|outbreak) of the (?:war|conflict|uprising|revolt|crisis|revolution|civil war)"
                            r"|the (?:war|conflict|uprising|crisis) (?:began|started|erupted))")


def _spans_itself(texpr, published: date) -> bool:
    """Whether a time's own words give its span (not a since-clause stretching it)."""
    own = find_time_expressions(texpr.text, published)
    return bool(own) and own[0].end == texpr.end


def _is_war_tally(lower: str, texpr, qty, published: date) -> bool:
    """"Since 2011 more than 220,000 people have been killed": a count of the whole war,
    not an event of the report (`lower`: the lowercased sentence)."""
    if qty is not None and (qty.low or qty.high or 0) >= 10000:
        return True
    if texpr is not None and _DURING_THE_OPERATION.fullmatch(texpr.text.lower()):
        return False  # ("killed at least 1,000 civilians during the campaign": the toll of one operation told, not of the war)
    if texpr is not None and _is_tally_span(texpr.start, texpr.end, published, _spans_itself(texpr, published)):
        return True  # "since Moscow intervened in September 2015", "over the past four years"
    if texpr is None and _IN_THE_WAR.search(lower):
        return True  # "23 journalists killed in Syria's 30-month war", "killed in the conflict"
    since = _SINCE_THE_WAR.search(lower)
    if since and _SUPERLATIVE_BEFORE.search(lower, max(0, since.start() - 70), since.start()):
        return False  # "killed 215 people ..., in the deadliest day for the province since the war began": a comparison
    if since and since.group(0) == "since then" and texpr is not None:
        return False  # "Since then, ... where in January it executed 12 people": an event of its own day
        # (and "67 fighters had been killed since then", after "The fighting began on January 6":
        # a toll of the days since, which a long span would already have made a war tally)
    return bool(since)


_PART_OF_TOLD = re.compile(r"\b(?:\d+|[a-z]+)\s+of\s+(?:the|these|those)\s+(?:air\s*)?(?:strikes|raids|attacks|dead|deaths|victims|checkpoints|patrols)\b", re.IGNORECASE)


_ANOTHER_ATTACK_BEFORE = re.compile(r"\b(?:second|third|fourth|another|other|latest|new|separate|fresh)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
_TOLD_ATTACK_BEFORE = re.compile(r"\b(?:the|(?:last night|yesterday|today|this morning|(?:mon|tues|wednes|thurs|fri|satur|sun)day)['’]s)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)


def _merge_within_report(raw: list[tuple[Observation, bool]]) -> list[Observation]:
    """One event, one observation per report: a restatement (same indicator, change, group,
    place, denial and dates) is dropped, keeping the one with a count; a restatement with no
    date and no count of its own ("why they are picking off IS fighters") goes into one that
    has a date overlapping it; within a sentence, any restatement with no date of its own."""
    out: list[tuple[Observation, bool]] = []
    for obs, explicit in raw:
        if obs.indicator == "killing" and obs.quantity_low is not None and _GROUP_TOLL_LINE.match(obs.sentence) and any(
                (p.change, p.actor, p.quantity_low, p.admin1) == (obs.change, obs.actor, obs.quantity_low, obs.admin1)
                and p.date_start <= obs.date_end and obs.date_start <= p.date_end for p, _e in out):
            continue  # ("... 78 fighters of Faylaq al-Sham were killed ... - Faylaq al-Sham: 78 killed": the toll told again)
        key = (obs.indicator, obs.change, obs.actor, obs.place_id, obs.negated)
        merged = False
        for i, (prev, prev_explicit) in enumerate(out):
            if (prev.indicator, prev.change, prev.actor, prev.place_id, prev.negated) != key:
                continue
            same_span = (prev.date_start, prev.date_end) == (obs.date_start, obs.date_end)
            overlap = prev.date_start <= obs.date_end and obs.date_start <= prev.date_end
            same_sentence = prev.span_start == obs.span_start
            bare = (not explicit and obs.quantity_low is None and obs.quantity_high is None) or (
                not prev_explicit and prev.quantity_low is None and prev.quantity_high is None)
            # ("'With the liberation of Tal Afar ...,' Abadi said": the capture dated before)
            restated = obs.indicator == "control_change" and not explicit and bare and 0 <= (obs.date_start - prev.date_end).days <= 31
            # ("... who had held it since August 2014. Families fled when the militants overran
            # the town": an undated capture, in a report where another has since retaken the
            # town, is the earlier one told again)
            restated = restated or (obs.indicator == "control_change" and obs.change == "captured" and not explicit and bare
                                    and prev_explicit and prev.date_end < obs.date_start and any(
                                        o.indicator == "control_change" and o.change == "captured" and o.place_id == obs.place_id
                                        and o.actor != obs.actor and not o.negated and prev.date_end < o.date_start <= obs.date_end for o, _e in raw))
            # ("Coalition and Iraqi aircraft struck ... on Saturday and Sunday. The Iraqi Air Force
            # said its own jets carried out 12 of the strikes": the same strikes, counted)
            part = overlap and prev.span_start < obs.span_start and _PART_OF_TOLD.search(obs.sentence) is not None
            # ("Daesh gunmen attacked an army checkpoint south-west of Daquq late tonight. ... Toll
            # from last night's attack on the Daquq checkpoint rises to three": the attack told)
            part = part or (overlap and prev.span_start < obs.span_start and obs.change in ("attacked", "strike")
                            and (prev.date_end - prev.date_start).days <= 1 and (obs.date_end - obs.date_start).days <= 1
                            and _TOLD_ATTACK_BEFORE.search(obs.sentence, 0, max(0, obs.trigger_start - obs.span_start)) is not None
                            and not _ANOTHER_ATTACK_BEFORE.search(obs.sentence, 0, max(0, obs.trigger_start - obs.span_start)))  # (not "the second attack")
            if same_span or restated or part or (overlap and not (explicit and prev_explicit) and (same_sentence or bare)):
                if same_span and prev.quantity_low != obs.quantity_low and prev.quantity_low is not None and obs.quantity_low is not None:
                    continue  # different counts: separate statements
                better = obs if (_info(obs, explicit) > _info(prev, prev_explicit)) else prev
                if part and better is prev and prev.quantity_low is None and prev.quantity_high is None:
                    better = replace(prev, quantity_low=obs.quantity_low, quantity_high=obs.quantity_high, unit=obs.unit)
                out[i] = (better, explicit or prev_explicit if better is obs else prev_explicit)
                merged = True
                break
        if not merged:
            out.append((obs, explicit))
    # "IS attacked a Hashd checkpoint near Muqdadiya on Sunday. ... opened fire on the
    # checkpoint in the village of Al-Imam": a restatement with no time of its own, placed only
    # at the province (the village is unknown), is the town's event.
    towns = {(o.indicator, o.change, o.actor, o.negated, o.admin1) for o, _ in out if o.place_precision == "town"}
    out = [(o, e) for o, e in out if e or o.place_precision != "admin1" or o.admin1 is None
           or o.indicator not in ("checkpoint", "patrol", "troop_movement") or o.quantity_low is not None
           or (o.indicator, o.change, o.actor, o.negated, o.admin1) not in towns]
    # "Iraqi troops retook Al-Qaim on Friday. 'Al-Qaim has been liberated,' a general said.":
    # an undated loss of a town the report has someone else capture is that capture.
    taken = {o.place_id: o.actor for o, _ in out if o.indicator == "control_change" and o.change == "captured" and not o.negated}
    return [o for o, e in out if not (o.indicator == "control_change" and o.change == "lost" and not o.negated and not e
                                      and taken.get(o.place_id, o.actor) != o.actor)]


def _drop_title_dead_of_no_group(raw: list[tuple[Observation, bool]], title: str) -> list[tuple[Observation, bool]]:
    """"Two fighters killed in drone strike near Tal Tamr" (the title: no group, no day of its
    own) over "... on Thursday, killing two members of the Khabour Guards": the same dead, whose
    group the body names."""
    known_dead = {(o.place_id, o.quantity_low) for o, _e in raw if o.indicator == "killing" and o.change == "killed"
                  and o.actor != "unknown" and o.quantity_low is not None and not o.negated}
    return [(o, e) for o, e in raw if e or not (o.indicator == "killing" and o.change == "killed" and o.actor == "unknown"
                                                and o.sentence == title and (o.place_id, o.quantity_low) in known_dead)]


def _info(obs: Observation, explicit) -> tuple:
    # explicit: True (a time of its own), _SECTION_DATED (its bulletin section's), or False
    return (2 if explicit is True else 1 if explicit else 0, obs.quantity_low is not None or obs.quantity_high is not None, obs.confidence)



# ---------------------------------------------------------------- unresolved names

_LOCATIVE_NAME = re.compile(
    r"\b(?:in|near|at|outside|around|from|toward|towards|into|village of|town of|city of|district of|"
    r"neighbou?rhood of|outskirts of)\s+(?:the\s+)?(?P<name>(?:[a-z]{1,3}-)?[A-Z][\w’'-]+(?:\s+(?:[a-z]{1,3}-)?[A-Z][\w’'-]+){0,3})")


def find_unresolved_places(report: Report, ref: Reference) -> list[tuple[str, str]]:
    """Names the text puts a place in ("in Moadamiyet al-Sham", a bulletin heading) that
    the gazetteer cannot resolve, with their sentence: the list a user adds aliases from."""
    gaz, words = ref.gazetteer, ref.lexicon.words
    actors = _actor_finder(ref)
    known = _known_names(ref)
    out: dict[str, str] = {}
    for sent in split_sentences(report.text):
        names = [m.group("name") for m in _LOCATIVE_NAME.finditer(sent.text)]
        hm = _HEADING.match(sent.text)
        if hm and _looks_like_place_name(hm.group("name")):
            names.append(hm.group("name"))
        for name in names:
            name = re.sub(r"['’]s$", "", name.strip())
            if name.split()[0] in words["not_places"] or name in words["not_places"] or name in out:
                continue
            resolves = known.get(name)
            if resolves is None:
                if len(known) > 100_000:
                    known.clear()
                resolves = known[name] = bool(any(p.start == 0 and p.end == len(name) for p in find_places(name, gaz, words, frozenset()))
                                              or actors.find(name))
            if resolves:
                continue  # resolves as a whole (a part that resolves is still an unknown place)
            out[name] = sent.text
    return sorted(out.items())


# Per reference: whether a name resolves as a whole (a place or a group). The same town names
# come back in report after report; the reference is kept beside its cache, so its id stays its own.
_KNOWN_NAMES: dict[int, tuple[Reference, dict[str, bool]]] = {}


_FACILITY_NAMED_AFTER = re.compile(r"\s+(?:(?:oil|gas)\s+)?(?:fields?|oilfield|base|air\s?base|airport|camp|dam|crossing|hospital|prison|school|mosque|market|bridge|factory|plant|station|hotel|stadium)\b", re.IGNORECASE)


@lru_cache(maxsize=256)
def _known_names_re(names: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<![\w’'-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w’'-])")


class _Village(NamedTuple):
    start: int
    end: int
    name: str
    anchor: int = -1  # where the known place that gives its province starts (a list-mate, "in Hama province"), if any


def _unknown_villages(s: str, names: list[PlaceName], found: list[Mention], words, gaz: Gazetteer, quarters=frozenset()) -> list[_Village]:
    """Villages and towns the gazetteer does not know, named as such: "the village of X", "the
    villages of X, Y and Z", or listed with known towns ("seized Tasil, Adwan and Jillin").
    Not those a known town locates ("the village of X, 8 km north-west of al-Bab", "A, B and C
    on the eastern edge of Ramadi": README, "north-west of X" is X), nor a foreign country's
    ("the Turkish border town of Kilis"), nor a city's quarters listed together."""
    out: list[_Village] = []
    for m in _NAMED_VILLAGES.finditer(s):
        if _FOREIGN_SETTLEMENT_BEFORE.search(s, max(0, m.start() - 30), m.start("names")):
            continue
        listed = list(_VILLAGE_NAME.finditer(s, m.start("names"), m.end("names")))
        if m.group(0).startswith("outskirts"):
            # ("the outskirts of Iblin"; not a city's quarter, "the outskirts of Hay al-Tanak", nor a river)
            listed = [v for v in listed if not _NOT_A_VILLAGE_NAME.search(v.group(0))]
            if not listed:
                continue
        if not _located_by_known_town(s, m.start(), listed[-1].end(), names, gaz) or (
                m.group(0).startswith("town") and (near := _VILLAGE_LOCATOR_AFTER.match(s, listed[-1].end())) is not None
                and _COMPASS_OF_END.search(near.group(0)) is not None):
            # (but "the town of Otaybah, east of Damascus" is a town of its own, which a direction
            # from the city only locates; a village so placed is put at the town, README)
            out += [_Village(*v.span(), v.group(0)) for v in listed if _unknown_village_name(s, v, names, found, words, quarters)]
    for m in _NAME_LIST.finditer(s) if " and " in s else ():
        listed = list(_VILLAGE_NAME.finditer(s, m.start(), m.end()))
        known = [n for n in names if n.ids and any(n.start <= v.start() and v.end() <= n.end for v in listed)]
        if not known or len(known) >= len(listed) or any(x.start < m.end() and m.start() < x.end for x in found) \
                or _located_by_known_town(s, m.start(), m.end(), names, gaz) or _QUARTER_NOUN_AFTER.match(s, m.end()):
            continue
        if not all(any(gaz.places[i].kind == "town" for i in n.ids) for n in known):
            continue  # (towns only: not "Saudi Arabia and Uzbekistan", "in Iraq and Levant", "al-Midan and Sheikh Maqsoud" quarters)
        out += [_Village(*v.span(), v.group(0), known[0].start) for v in listed
                if not any(o.start == v.start() for o in out) and _unknown_village_name(s, v, names, found, words, quarters)]
    # "an observation post at Shir Mughar in northern Hama province": a name the sentence puts
    # in a province
    for m in _NAME_IN_PROVINCE.finditer(s) if " in " in s else ():
        v = _VILLAGE_NAME.match(s, m.start("name"))
        if v is not None and not any(o.start == v.start() for o in out) and any(
                n.start == m.end() and any(gaz.places[i].kind == "admin1" for i in n.ids) and _PROVINCE_WORD_AFTER.match(s, n.end) for n in names) \
                and _unknown_village_name(s, v, names, found, words, quarters):
            out.append(_Village(*v.span(), v.group(0), m.end()))
    return out


def _outside_their_province(s: str, names: list[PlaceName], gaz: Gazetteer) -> list[PlaceName]:
    """Without the names the sentence puts in a province none of their places lies in ("its
    headquarters at Karachok, in Hasakah province": not Iraq's Qarachogh; a village we do not
    know, read as such in that province)."""
    out = []
    for n in names:
        within = _IN_GAP.match(s, n.end)
        province = next((m for m in names if within and m.start == within.end() and _PROVINCE_WORD_AFTER.match(s, m.end)), None)
        admin1 = {gaz.places[i].admin1 for i in province.ids if gaz.places[i].kind == "admin1"} if province is not None else set()
        if admin1 and n.ids and all(gaz.places[i].kind in ("town", "landmark") and gaz.places[i].admin1 not in admin1 for i in n.ids):
            continue
        out.append(n)
    return out


_IN_GAP = re.compile(r",?\s+in\s+(?:the\s+)?(?:(?:north|south|east|west|central)[\w-]*\s+)?")  # ", in (the) (northern) ": before an area


def _unknown_village_name(s: str, v: re.Match, names, found, words, quarters) -> bool:
    """A name that may be a village we do not know: no known place or group, no quarter the
    report named, not opening with an English function word, adverb, month, demonym or title
    ("On Sunday", "Separately", "Assyrian Christians"), no possessive ("Assad's Alawite"), no
    acronym ("UN"), no site, outlet or body ("Al-Rasheed Hotel", "Al-Jazeera Sports Club")."""
    a, b = v.span()
    if any(n.start < b and a < n.end for n in names) or any(x.start < b and a < x.end for x in found) or v.group(0) in quarters:
        return False
    first = v.group(0).split()[0]
    if first in words["not_places"] or first.split("-")[-1] in words["not_places"] or first in _FUNCTION_WORDS or v.group(0) in words["not_places"]:
        return False  # (the first word: "Khirbet al-Arab" is a village)
    return not (v.group(0).endswith(("'s", "’s")) or s.startswith(("'s", "’s"), b) or v.group(0).isupper() or _SITE_NAME_END.search(v.group(0)))


def _located_by_known_town(s: str, start: int, end: int, names, gaz: Gazetteer) -> bool:
    """Named villages a known town right after them locates ("..., 8 km north-west of al-Bab",
    "on the eastern edge of Ramadi"; not a region: "on the edge of Eastern Ghouta"), or on a
    road between a known town and them."""
    near = _VILLAGE_LOCATOR_AFTER.match(s, end)
    return (near is not None and any(n.start == near.end() and any(gaz.places[i].kind in ("town", "landmark") for i in getattr(n, "ids", ())) for n in names)) \
        or _PAIR_BETWEEN_BEFORE.search(s, max(0, start - 60), start) is not None


_VILLAGE_LOCATOR_AFTER = re.compile(r",?\s+(?:(?:some|about|around|roughly|just)\s+)?(?:\d+\s*(?:km|kilometres|kilometers|miles)\s+)?"
                                    r"(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of|near|outside|close to|around|"
                                    r"on the (?:[\w-]+\s+)?(?:edges?|outskirts|fringes?) of|in the (?:[\w-]+\s+)?(?:countryside|outskirts|district) of)"
                                    r"\s+(?:the\s+)?(?:(?:town|city)\s+of\s+)?")
_COMPASS_OF_END = re.compile(r"(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of\s+(?:the\s+)?(?:(?:town|city)\s+of\s+)?$")
_PAIR_BETWEEN_BEFORE = re.compile(r"\bbetween\s+[^,;.]{2,40}\s+and\s+(?:the\s+)?(?:[\w-]+\s+)?$")
_FOREIGN_SETTLEMENT_BEFORE = re.compile(r"\b(?:Turkish|Lebanese|Jordanian|Iranian|Israeli|Saudi|Kuwaiti)\s+(?:[\w-]+\s+)?(?:villages?|towns?|city|hamlets?)\s+of\s")
_QUARTER_NOUN_AFTER = re.compile(r"\s+(?:neighbou?rhoods?|districts?|quarters?)\b", re.IGNORECASE)
_SITE_NAME_END = re.compile(r"\b(?:Hotel|Hill|Club|Hospital|School|Mosque|Church|Stadium|Square|Street|Road|Bridge|Dam|Camp|Base|Airport|Prison|Market|University|"
                            r"College|Council|Committee|Brigade|Division|Army|Front|Party|Movement|Forces|Union|Agency|News|TV|Channel|Radio|Network|Company|Field)$")
_VILLAGE_NAME = re.compile(r"(?:[a-z]{1,3}-)?[A-Z][\w’'-]+(?:\s+(?:[a-z]{1,3}-)?[A-Z][\w’'-]+){0,3}")
# "the village of Kafr Nabouda", "the town of al-Habeet": a place named as such (one name; _NAMED_VILLAGES reads lists)
_NAMED_SETTLEMENT = re.compile(r"\b(?:villages?|towns?|city|hamlets?)\s+of\s+(?P<name>" + _VILLAGE_NAME.pattern + ")")
_NAME_LIST = re.compile(r"(?<![\w’'-])" + _VILLAGE_NAME.pattern + r"(?:\s*,\s*" + _VILLAGE_NAME.pattern + r")*,?\s+and\s+" + _VILLAGE_NAME.pattern)
_NAME_IN_PROVINCE = re.compile(r"\b(?:in|at|near|outside)\s+(?P<name>" + _VILLAGE_NAME.pattern + r"),?\s+in\s+(?:the\s+)?(?:(?:north|south|east|west|central)[\w-]*\s+)?")
_PROVINCE_WORD_AFTER = re.compile(r"(?:['’]s)?\s+(?:[\w-]+\s+)?(?:province|governorate|countryside)\b", re.IGNORECASE)
_NOT_A_VILLAGE_NAME = re.compile(r"^(?:Hay|Hai|Hayy|Dahiyat|Dahiyet|Dahiya|Harat|Hara|Jamiat|Old|New|Left|Right)\b|\b(?:River|Valley|Mountains?|Desert|Plain|Lake|Dam|Highway|Road|Bank|Territory|Area|Region|Front)$")
_NAMED_VILLAGES = re.compile(r"\b(?:villages?|hamlets?|towns?|outskirts)\s+of\s+(?P<names>" + _VILLAGE_NAME.pattern + r"(?:\s*,\s*" + _VILLAGE_NAME.pattern
                             + r")*(?:,?\s+and\s+" + _VILLAGE_NAME.pattern + r")?)")
# (village names begin so: a bare unknown "in Kafr Dael" is a village, not a city's quarter)
_VILLAGE_PREFIX = re.compile(r"(?:Kafr|Kfar|Kefr|Tal|Tall|Tell|Tel|Deir|Dayr|Ain|Ayn|Khirbet|Khirbat|Beit|Bayt|Qasr|Jisr|Umm|Bir|Maarat|Ma'arat|Hazm|Arab|Sheikh|Abu|Al-Bu|Albu|Harat)\b")


def _names_unknown_place(s: str, names: list[PlaceName], found: list[Mention], words, gaz: Gazetteer, quarters=frozenset()) -> tuple[str | None, str | None]:
    """Whether the sentence names a village or town the gazetteer does not know ("the village
    of X", or a place-like name after a locative word: "to Al-Rashad", "in Abu Hassan"), and its
    name: ("place", name), or ("destination", None) when every such name follows "towards" or
    "to", else (None, None). The name is None for a site ("in Al-Rashid park"); it starts with
    "?" when only a locative word cues it (a bare "in al-Ferdous" may be a quarter of a city).
    A name the report called a neighbourhood (quarters) is part of the town in view, no other place."""
    kind = None
    named = list(_NAMED_SETTLEMENT.finditer(s)) + [m for m in _words_re(words, "generic_place_heads", _LOCATIVE_UNKNOWN).finditer(s)
                                                   if not _OUTLET_AFTER.match(s, m.end()) and not _SAID_IN_BEFORE.search(s, max(0, m.start() - 12), m.start("name"))]
    for m in named:
        a, b = m.span("name")
        if any(n.start < b and a < n.end for n in names) or any(x.start < b and a < x.end for x in found):
            continue
        if m.group("name") in quarters:
            continue  # ("... parts of the al-Jubairiya neighbourhood. Helicopters fired rockets at positions in al-Jubairiya")
        first = m.group("name").split()[0]
        if first in words["not_places"] or first.split("-")[-1] in words["not_places"]:
            continue
        if _located_by_known_town(s, a, b, names, gaz) and not _TOWARDS_BEFORE.search(s, max(0, m.start() - 20), a):
            continue  # "in the village of Sousian, 8 km north-west of al-Bab": placed by the town it is next to
        if not _TOWARDS_BEFORE.search(s, max(0, m.start() - 20), a):
            if _SITE_NOUN_AFTER.match(s, b) or _SITE_NAME_END.search(m.group("name")) or m.group("name").endswith(("'s", "’s")):
                return "place", None  # "in Al-Rashid park", "at Al-Rasheed Hotel": a site we cannot place, no village
            if _FOREIGN_SETTLEMENT_BEFORE.search(s, max(0, m.start() - 30), a):
                return "place", None  # ("the Turkish border town of Kilis": another country's)
            return "place", ("" if m.re is _NAMED_SETTLEMENT else "?") + m.group("name")
        kind = "destination"
    return kind, None


_SAID_IN_BEFORE = re.compile(r"\b(?:said|says|claimed|claims|reported|reports|wrote|published|announced|told)\s+in\s", re.IGNORECASE)  # ("claimed in al-Naba": an outlet)
_SITE_NOUN_AFTER = re.compile(r"\s+(?:park|square|street|road|roundabout|circle|hospital|prison|market|souq|mosque|church|school|university|stadium|bridge|"
                              r"neighbou?rhoods?|district|quarter|area|camp|base|airport|airbase|crossing|dam|field|oilfield|(?:oil|gas)\s+fields?|factory|plant|station|checkpoint|junction|"
                              r"highway|farms?|mountains?|hills?|valley)\b", re.IGNORECASE)
# "the al-Jubairiya neighbourhood", "the district of al-Dubbat": a name the report makes a part of a town
# (found from the noun, which is rare, so the whole text is not scanned for names)
_QUARTER_NOUNS = ("neighbourhood", "neighborhood", "district", "quarter")  # (found by str.find, which is fast)
_QUARTER_NOUN = re.compile(r"\b(?:neighbou?rhoods?|distric\w*|quarters?)\b")
_QUARTER_NAME_BEFORE = re.compile(r"\b(?:[Aa]l|[Ee]l)-[A-Z][\w’'-]+(?=\s+$)")
_QUARTER_NAME_AFTER = re.compile(r"\s+of\s+((?:[Aa]l|[Ee]l)-[A-Z][\w’'-]+)")


def _quarter_names(text: str) -> frozenset:
    names = set()
    for noun in _QUARTER_NOUNS:
        at = text.find(noun)
        while at >= 0:
            m = _QUARTER_NOUN.match(text, at)
            if m and (at == 0 or not text[at - 1].isalnum()):
                before = _QUARTER_NAME_BEFORE.search(text, max(0, at - 40), at)
                if before:
                    names.add(before.group(0))
                after = _QUARTER_NAME_AFTER.match(text, m.end())
                if after:
                    names.add(after.group(1))
            at = text.find(noun, at + len(noun))
    return frozenset(names)
_RELATIVE_TO_TOWN = re.compile(r",?\s+(?:(?:some|about|around|roughly)\s+)?(?:\d+\s*(?:km|kilometres|kilometers|miles)\s+)?(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of\s+(?:the\s+)?(?:(?:town|city)\s+of\s+)?")
_TOWARDS_BEFORE = re.compile(r"\b(?:towards?|to|for|in the direction of)\s+(?:the\s+)?(?:(?:[\w-]+\s+){0,2}(?:villages?|towns?|city|hamlets?)\s+of\s+)?$")  # (also "towards the IS-held town of X")


# "sent reinforcements to Al-Rashad", "killed in Abu Hassan": a name with an Arabic article or
# a place-name head (lexicon generic_place_heads, @@) after a locative word.
_LOCATIVE_UNKNOWN = (r"(?<!according )\b(?:in|near|at|into|outside|around|towards?|to)\s+(?P<name>(?:(?:[Aa]l|[Ee]l)-[A-Z][\w’'-]+"
                     r"|(?:@@)\s+(?:(?:al|el)-)?[A-Z][\w’'-]+)(?:\s+(?:(?:al|el)-)?[A-Z][\w’'-]+){0,2})")
# ... unless it names an outlet, or a part of a town ("in al-Midan and al-Ashrafiyeh neighborhoods")
_OUTLET_AFTER = re.compile(r"(?:\s+and\s+(?:(?:al|el)-)?[A-Z][\w’'-]+)?\s+(?:newspaper|daily|TV|television|channel|news|agency|website|network"
                           r"|neighbou?rhoods?|distric\w*|quarters?|square|street|road|market|hospital|mosque|school|university|prison|stadium)\b", re.IGNORECASE)


def _known_names(ref: Reference) -> dict[str, bool]:
    entry = _KNOWN_NAMES.get(id(ref))
    if entry is None or entry[0] is not ref:
        entry = _KNOWN_NAMES[id(ref)] = (ref, {})
    return entry[1]
