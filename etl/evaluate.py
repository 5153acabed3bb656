"""Extraction quality, measured the way ../shared/tools/score.py and fakes_score.py measure it:
the reports go through a real refresh into a temporary database, and the public tables are
compared with the gold (same matching rules, so the numbers agree)."""
from __future__ import annotations

import csv
import json
import re
import tempfile
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import duckdb



ARTICLES = ("al", "el", "ad", "ar", "as", "ash", "az", "a", "e")
COLUMNS = ["indicator", "change", "actor", "place_name", "admin1", "date_start", "date_end", "quantity_low", "negated"]


def norm(s, extra: tuple[str, ...] = ()) -> str:
    if s is None or (isinstance(s, float) and s != s):
        return ""
    s = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9 ]", " ", s)
    return "".join(w for w in s.split() if w not in ARTICLES + extra)


def _as_list(v):
    return [] if v is None else v if isinstance(v, list) else [v]


def _d(s):
    return date.fromisoformat(str(s)[:10]) if s else None


def matches(e: dict, p: dict) -> bool:
    """Does prediction p satisfy expected observation e (dev-gold README, "How score.py matches")."""
    if p["indicator"] != e["indicator"]:
        return False
    chg, act = _as_list(e.get("change")), _as_list(e.get("actor"))
    if set(chg) == {"captured", "lost"} and len(chg) == 2 and len(act) >= 2:
        # one change of hands from either side: the first change with every actor but the last
        pairs = {(chg[0], a) for a in act[:-1]} | {(chg[1], act[-1])}
        if (p["change"], p["actor"]) not in pairs:
            return False
    else:
        if chg and p["change"] not in chg:
            return False
        if act and p["actor"] not in act:
            return False
    if bool(p.get("negated")) != bool(e.get("negated", False)):
        return False
    names = {norm(n) for n in _as_list(e.get("place"))}
    got = {norm(p.get("place_name"))}
    if e.get("admin1_ok") or e.get("precision") == "admin1":
        got.add(norm(p.get("admin1")))
    if names and not (names & got):
        return False
    tol = timedelta(days=e.get("tolerance_days", 1))
    es, ee = _d(e.get("date_start")), _d(e.get("date_end") or e.get("date_start"))
    ps, pe = _d(p.get("date_start")), _d(p.get("date_end") or p.get("date_start"))
    if es and (ps is None or pe < es - tol or ps > ee + tol):
        return False
    return True


def _refresh_and_query(records: list[dict], sql: str) -> list[tuple]:
    """Refresh the records into a throwaway database and return the rows of one query; the
    temporary directory goes with it (one per run would fill /tmp over many runs)."""
    from etl.refresh import refresh  # imported here: matching rules above need no pipeline

    with tempfile.TemporaryDirectory(prefix="presence-eval-") as tmp:
        path = Path(tmp) / "reports.jsonl"
        with open(path, "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        db = Path(tmp) / "eval.duckdb"
        refresh([path], db, progress=False)
        con = duckdb.connect(str(db), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()


def evaluate_gold(gold_path: Path, show_errors: bool = False) -> str:
    gold = [json.loads(line) for line in open(gold_path, encoding="utf-8") if line.strip()]
    rows = _refresh_and_query([{"id": g["id"], "title": g.get("title", ""), "published": g["published"],
                                "source": g.get("source", ""), "url": "https://eval.invalid/" + g["id"],
                                "text": g["text"]} for g in gold],
                              f"select r.url, {', '.join('o.' + c for c in COLUMNS)} from observations o "
                              "join reports r using (report_id) order by r.url, o.span_start, o.trigger_start")
    pred: dict[str, list[dict]] = {}
    for row in rows:
        pred.setdefault(row[0], []).append(dict(zip(COLUMNS, row[1:])))
    per: dict[str, list[int]] = {}
    tp = fp = fn = qty_ok = qty_n = 0
    errors = []
    for g in gold:
        ps = pred.get("https://eval.invalid/" + g["id"], [])
        used: set[int] = set()
        for e in g["expected"]:
            s = per.setdefault(e["indicator"], [0, 0, 0])
            hit = next((i for i, p in enumerate(ps) if i not in used and matches(e, p)), None)
            if hit is None:
                fn += 1
                s[2] += 1
                errors.append(("miss ", g["id"], e))
            else:
                used.add(hit)
                tp += 1
                s[0] += 1
                if e.get("quantity_low") is not None:
                    qty_n += 1
                    qty_ok += ps[hit]["quantity_low"] == e["quantity_low"]
        for i, p in enumerate(ps):
            if i not in used and not p["negated"]:
                fp += 1
                per.setdefault(p["indicator"], [0, 0, 0])[1] += 1
                errors.append(("extra", g["id"], p))

    def prf(t, f_p, f_n):
        pr = t / (t + f_p) if t + f_p else 0.0
        rc = t / (t + f_n) if t + f_n else 0.0
        return pr, rc, (2 * pr * rc / (pr + rc) if pr + rc else 0.0)

    lines = [f"{'indicator':15s} {'P':>5s} {'R':>5s} {'F1':>5s}   tp   fp   fn"]
    for ind, (t, f_p, f_n) in sorted(per.items()):
        pr, rc, f = prf(t, f_p, f_n)
        lines.append(f"{ind:15s} {pr:5.2f} {rc:5.2f} {f:5.2f} {t:4d} {f_p:4d} {f_n:4d}")
    pr, rc, f = prf(tp, fp, fn)
    lines.append(f"{'overall':15s} {pr:5.2f} {rc:5.2f} {f:5.2f} {tp:4d} {fp:4d} {fn:4d}")
    lines.append(f"quantity exact {qty_ok}/{qty_n}" + (f" ({qty_ok / qty_n:.2f})" if qty_n else "")
                 + f" over {len(gold)} reports")
    if show_errors:
        lines.append("")
        lines += [f"{kind} {gid} {json.dumps(o, default=str, ensure_ascii=False)}" for kind, gid, o in errors]
    return "\n".join(lines)


# FA-KES governorate names -> spellings accepted for them (as fakes_score.py accepts them).
GOVERNORATES = {
    "aleppo": ["aleppo", "halab"], "damascus": ["damascus", "dimashq", "rif dimashq", "damascus countryside", "rural damascus", "eastern ghouta", "ghouta"],
    "idlib": ["idlib", "idleb"], "deir ezzor": ["deir ezzor", "deir ez zor", "dayr az zawr", "deir al zour", "deir ez zour", "deir e zor", "deir el zor"],
    "raqqa": ["raqqa", "ar raqqah", "raqqah", "rakka"], "homs": ["homs", "hims"], "hasakeh": ["hasakeh", "hasaka", "hasakah", "al hasakah", "hassakeh"],
    "hama": ["hama", "hamah"], "daraa": ["daraa", "dara", "deraa", "dar a"], "lattakia": ["lattakia", "latakia", "al ladhiqiyah", "ladhiqiyah"],
    "quneitra": ["quneitra", "al qunaytirah", "qunaytirah"], "tartous": ["tartous", "tartus"],
}


def evaluate_fakes(csv_path: Path, split: str = "all", limit: int | None = None, show_errors: bool = False) -> str:
    """Over FA-KES articles with a casualty total > 0: share with a killing found, share with
    one in the right governorate, share whose largest count is the total (exact, within 10%).
    `show_errors` adds one line per article that misses, with the sentence of the largest count."""
    with open(csv_path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if split != "all":
        rows = [r for r in rows if (int(r["unit_id"]) % 2 == 1) == (split == "test")]
    rows = [r for r in rows if float(r["nb_civilians"] or 0) + float(r["nb_noncivilians"] or 0) > 0]
    if limit:
        rows = rows[:limit]
    records = []
    for r in rows:
        m, dd, yy = (int(x) for x in r["date"].split("/"))
        records.append({"id": r["unit_id"], "title": r["article_title"], "published": f"20{yy:02d}-{m:02d}-{dd:02d}",
                        "source": r["source"], "url": f"https://eval.invalid/fakes/{r['unit_id']}", "text": r["article_content"]})
    found_rows = _refresh_and_query(records, "select r.url, o.place_name, o.admin1, o.quantity_low, o.sentence from observations o "
                                    "join reports r using (report_id) where o.indicator = 'killing' and not o.negated")
    by: dict[str, list] = {}
    for url, place, admin1, q, sentence in found_rows:
        by.setdefault(url, []).append((place, admin1, q, sentence))
    n = len(rows)
    found = loc = exact = near = 0
    extra = ("governorate", "province")
    errors: list[str] = []
    for r in rows:
        obs = by.get(f"https://eval.invalid/fakes/{r['unit_id']}", [])
        total = float(r["nb_civilians"] or 0) + float(r["nb_noncivilians"] or 0)
        if not obs:
            errors.append(f"{r['unit_id']}  no killing found (gold {total:g} in {r['location']})")
            continue
        found += 1
        names = {norm(x, extra) for x in GOVERNORATES.get(r["location"], [r["location"]])}
        if any(norm(pl, extra) in names or norm(a1, extra) in names for pl, a1, _, _ in obs):
            loc += 1
        else:
            places = sorted({f"{pl} ({a1})" if a1 and a1 != pl else str(pl) for pl, a1, _, _ in obs})
            errors.append(f"{r['unit_id']}  governorate: gold {r['location']}, found {', '.join(places)}")
        counted = [(q, sentence) for _, _, q, sentence in obs if q is not None]
        if counted:
            best, sentence = max(counted, key=lambda c: c[0])
            exact += best == total
            near += abs(best - total) <= 0.1 * total
            if best != total:
                errors.append(f"{r['unit_id']}  count: gold {total:g}, largest {best} in: {sentence[:200]}")
        else:
            errors.append(f"{r['unit_id']}  count: gold {total:g}, no killing with a count")
    if not n:
        return "FA-KES: no articles with a casualty total"
    summary = (f"FA-KES {split}: {n} articles; killing found {found / n:.2f}, governorate right {loc / n:.2f}, "
               f"count exact {exact / n:.2f}, count within 10% {near / n:.2f}")
    return "\n".join([summary, "", *errors]) if show_errors else summary
