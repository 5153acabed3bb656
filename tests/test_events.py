"""Events: one happening, many reports (constructed cases and order independence)."""
from __future__ import annotations

from datetime import date

import pandas as pd
from hypothesis import given, settings, strategies as st

from etl.events import build_events

BASE = dict(indicator="killing", change="killed", actor="islamic_state", counterpart="unknown",
            place_id="sy-hajin", place_name="Hajin", admin1="Deir ez-Zor", place_precision="town",
            latitude=34.69, longitude=40.83, date_precision="day", quantity_low=None, quantity_high=None,
            hedged=False, negated=False)


def obs(oid, report, source, published, start, end=None, **kw):
    row = {**BASE, "observation_id": oid, "report_id": report, "source": source, "published": published,
           "date_start": start, "date_end": end or start}
    row.update(kw)
    return row


def events_of(rows):
    events, links = build_events(pd.DataFrame(rows))
    return events, links


def test_three_outlets_one_killing_is_one_event_with_three_sources():
    # Reported on different days with relative dates that resolve to the same Saturday.
    rows = [obs("a", "r1", "Wire A", date(2015, 3, 9), date(2015, 3, 7), quantity_low=4, quantity_high=4),
            obs("b", "r2", "Monitor B", date(2015, 3, 8), date(2015, 3, 7), quantity_low=4, quantity_high=4),
            obs("c", "r3", "Paper C", date(2015, 3, 10), date(2015, 3, 8), quantity_low=4, quantity_high=4)]
    events, links = events_of(rows)
    assert len(events) == 1
    e = events.iloc[0]
    assert (e.n_reports, e.n_sources, e.quantity_best, e.corroboration) == (3, 3, 4, "several sources")
    assert (e.first_reported, e.last_reported) == (date(2015, 3, 8), date(2015, 3, 10))
    assert sorted(links.observation_id) == ["a", "b", "c"]


def test_a_different_killing_next_week_nearby_is_a_separate_event():
    rows = [obs("a", "r1", "Wire A", date(2015, 3, 9), date(2015, 3, 7), quantity_low=4),
            obs("b", "r2", "Wire A", date(2015, 3, 16), date(2015, 3, 14), quantity_low=2),
            obs("c", "r3", "Wire A", date(2015, 3, 16), date(2015, 3, 14), place_id="sy-al-susah", place_name="Al-Susah")]
    events, _ = events_of(rows)
    assert len(events) == 3


def test_reports_that_disagree_on_the_count_are_one_contested_event():
    rows = [obs("a", "r1", "Wire A", date(2015, 3, 9), date(2015, 3, 7), quantity_low=4, quantity_high=4),
            obs("b", "r2", "Monitor B", date(2015, 3, 9), date(2015, 3, 7), quantity_low=6, quantity_high=6)]
    events, _ = events_of(rows)
    assert len(events) == 1
    e = events.iloc[0]
    assert (e.quantity_low, e.quantity_high, e.corroboration) == (4, 6, "contested")


def test_opposite_directions_at_one_place_and_time_are_contested():
    rows = [obs("a", "r1", "Wire A", date(2015, 3, 9), date(2015, 3, 9), indicator="checkpoint", change="increase"),
            obs("b", "r2", "Monitor B", date(2015, 3, 9), date(2015, 3, 9), indicator="checkpoint", change="decrease")]
    events, _ = events_of(rows)
    assert list(events.corroboration) == ["contested", "contested"]


def test_province_tally_over_two_weeks_is_flagged_and_town_events_stay():
    rows = [obs("t1", "r1", "Wire A", date(2015, 1, 19), date(2015, 1, 10), quantity_low=2),
            obs("t2", "r1", "Wire A", date(2015, 1, 19), date(2015, 1, 14), quantity_low=3,
                place_id="sy-al-mayadin", place_name="Al-Mayadin"),
            obs("p", "r1", "Wire A", date(2015, 1, 19), date(2015, 1, 5), date(2015, 1, 19), quantity_low=31,
                place_id="sy-adm1-deir-ez-zor", place_name="Deir ez-Zor", place_precision="admin1", date_precision="week")]
    events, _ = events_of(rows)
    town = events[~events.is_summary]
    assert sorted(town.quantity_best) == [2, 3]
    assert list(events[events.is_summary].quantity_best) == [31]


def test_a_multi_week_town_tally_does_not_swallow_the_day_events_inside_it():
    rows = [obs("d", "r1", "Wire A", date(2015, 1, 19), date(2015, 1, 10), quantity_low=2),
            obs("w", "r2", "Wire B", date(2015, 1, 19), date(2015, 1, 1), date(2015, 1, 19), quantity_low=30, date_precision="week")]
    events, _ = events_of(rows)
    assert len(events) == 2
    assert set(events.is_summary) == {True, False}


def test_negated_observations_do_not_merge_with_affirmed_ones():
    rows = [obs("a", "r1", "Wire A", date(2015, 3, 9), date(2015, 3, 9), indicator="troop_movement", change="departure"),
            obs("b", "r2", "Wire B", date(2015, 3, 9), date(2015, 3, 9), indicator="troop_movement", change="departure", negated=True)]
    events, _ = events_of(rows)
    assert sorted(events.negated) == [False, True]


day = st.integers(min_value=0, max_value=20)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(day, st.sampled_from(["Wire A", "Monitor B", "Paper C"]),
                          st.sampled_from(["sy-hajin", "sy-al-susah"]), st.integers(1, 9)), min_size=1, max_size=12),
       st.randoms())
def test_same_observations_in_any_order_give_the_same_events(specs, rnd):
    rows = [obs(f"o{i}", f"r{i}", src, date(2015, 3, 25), date(2015, 3, 1 + d), quantity_low=q, place_id=pid)
            for i, (d, src, pid, q) in enumerate(specs)]
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    a, la = events_of(rows)
    b, lb = events_of(shuffled)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(la, lb)


# --- through the refresh and the database -------------------------------------------------

def _write(folder, name, date_, source, body):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f'---\ntitle: "{name}"\ndate: {date_}\nsource: "{source}"\n---\n{body}\n', encoding="utf-8")


def _events(db):
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select indicator, change, actor, place_name, date_start, date_end, quantity_low, "
                           "quantity_high, n_reports, n_sources, corroboration, is_summary from events "
                           "where not negated order by indicator, place_name, date_start").fetchall()
    finally:
        con.close()


def test_refresh_merges_three_outlets_into_one_event_and_updates_it_incrementally(tmp_path):
    from etl.refresh import refresh

    folder = tmp_path / "r"
    # Monday 2015-03-09, Sunday 03-08, Tuesday 03-10: each says when in its own words.
    _write(folder, "a.md", "2015-03-09", "Wire A", "Unknown gunmen shot dead four IS members in Hajin on Saturday.")
    _write(folder, "b.md", "2015-03-08", "Monitor B", "Four Islamic State fighters were killed by unidentified gunmen in Hajin yesterday.")
    _write(folder, "c.md", "2015-03-10", "Paper C", "Unknown assailants killed four Daesh members in Hajin on Saturday night.")
    db = tmp_path / "p.duckdb"
    refresh([folder], db, progress=False)
    killings = [e for e in _events(db) if e[0] == "killing"]
    assert len(killings) == 1
    assert killings[0][2:4] == ("islamic_state", "Hajin") and killings[0][8:11] == (3, 3, "several sources")
    # A fourth outlet with another count: the same event, now contested, low 4 high 6.
    _write(folder, "d.md", "2015-03-09", "Channel D", "Six IS members were killed by unknown gunmen in Hajin on Saturday.")
    summary = refresh([folder], db, progress=False)
    assert summary.reports_new == 1
    killings = [e for e in _events(db) if e[0] == "killing"]
    assert len(killings) == 1
    assert killings[0][6:11] == (4, 6, 4, 4, "contested")


def test_events_do_not_depend_on_the_order_reports_arrive_in(tmp_path):
    from etl.refresh import refresh

    texts = [("2015-03-09", "Wire A", "Unknown gunmen shot dead four IS members in Hajin on Saturday."),
             ("2015-03-08", "Monitor B", "Four IS fighters were killed by gunmen in Hajin yesterday."),
             ("2015-03-16", "Wire A", "Coalition jets struck Hajin on Sunday. Two IS members were killed by gunmen in Al-Susah on Saturday.")]
    one, two = tmp_path / "one", tmp_path / "two"
    for i, t in enumerate(texts):
        _write(one, f"{i}.md", *t)
    for i, t in enumerate(reversed(texts)):
        _write(two, f"{i}.md", *t)
    refresh([one], tmp_path / "one.duckdb", progress=False)
    # The other order, one report per refresh: incremental merging ends in the same events.
    for i in range(len(texts)):
        refresh([two / f"{j}.md" for j in range(i + 1)], tmp_path / "two.duckdb", progress=False)
    assert _events(tmp_path / "one.duckdb") == _events(tmp_path / "two.duckdb")


def test_a_refresh_rebuilds_only_the_date_segments_it_touched(tmp_path):
    from etl.refresh import refresh

    folder = tmp_path / "r"
    for name, day in (("a.md", "2015-03-07"), ("b.md", "2015-04-11"), ("c.md", "2015-05-16")):
        _write(folder, name, day, "Wire A", f"Unknown gunmen shot dead four IS members in Hajin on {day}.")
    db = tmp_path / "p.duckdb"
    assert refresh([folder], db, progress=False).events_rebuilt == 3
    before = _events(db)
    _write(folder, "d.md", "2015-04-12", "Monitor B", "Four IS fighters were killed by gunmen in Hajin on 2015-04-11.")
    assert refresh([folder], db, progress=False).events_rebuilt == 1  # April's, now with two sources
    after = _events(db)
    assert [e for e in after if e[4].month != 4] == [e for e in before if e[4].month != 4]
    assert [e[8:11] for e in after if e[4].month == 4] == [(2, 2, "several sources")]
