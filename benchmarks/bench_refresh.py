"""Benchmarks of issue 8 ("Fast at a million"): one table.

    .venv/bin/python benchmarks/bench_refresh.py            # 1k and 10k reports
    .venv/bin/python benchmarks/bench_refresh.py --full     # and 100k (tens of minutes)

Rows (README.md beside this file says what each means):
- cold refresh at each size: reports/s of `python -m etl refresh` into a new database, run in
  a child process and timed from outside (interpreter start to exit), beside a baseline in
  this process (read the same files, one compiled regex over each text) and their ratio;
- peak memory of that refresh: sum of PSS over the child and its worker processes, sampled
  from /proc every 0.2 s (shared pages of forked workers counted once), and the exact peak
  RSS of the main refresh process and of its largest worker from getrusage(RUSAGE_SELF /
  RUSAGE_CHILDREN) inside the child;
- incremental: 10 new reports into the largest database, (a) the scheduled way: the whole
  corpus given again, (b) only the new files given; three rounds of both, the median reported;
- FA-KES dev articles (real text): full refresh, and extraction alone in this process;
- dashboard queries at 1,000,000 observations: p50/p95 of each etl.queries function a page
  view calls, 30 calls each, on the process's kept DuckDB instance (as the dashboard runs
  them), and whole page views on a new instance (the first after a refresh).
Generated data goes under benchmarks/out/ (git-ignored) unless --out says otherwise.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out"
FAKES_CSV = ROOT.parent / "shared" / "data" / "fakes-dev" / "fakes-dev.csv"

TARGET_REFRESH_RATE = 1000.0  # reports/s end to end
TARGET_PEAK_MB = 300.0  # at 100k reports
TARGET_INCREMENTAL_S = 2.0  # +10 reports into 100k
INCREMENTAL_ROUNDS = 3  # rounds of the two incremental runs; the rows give the median
TARGET_QUERY_MS = 50.0  # p95 at 1M observations
TARGET_EXTRACT_RATE = 500.0  # reports/s per core on FA-KES
# The baseline: one compiled regex over each text.
BASELINE_REGEX = re.compile(
    r"\b(?:checkpoints?|patrols?|killed|air ?strikes?|captured|seized|arrived|left)\b", re.IGNORECASE)
READ_SUFFIXES = (".md", ".txt", ".markdown")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- child process

def child_main(result_path: str, cli_args: list[str]) -> int:
    """Run `python -m etl CLI_ARGS` in this process; write timing and rusage as JSON."""
    t0 = time.perf_counter()
    import etl.read  # noqa: F401  (the modules a refresh imports, timed apart from the run)
    import etl.refresh  # noqa: F401
    from etl.__main__ import main as etl_main

    t_import = time.perf_counter() - t0
    rc = etl_main(cli_args)
    seconds = time.perf_counter() - t0
    self_ru = resource.getrusage(resource.RUSAGE_SELF)
    children_ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    Path(result_path).write_text(json.dumps({
        "rc": rc, "seconds": seconds, "import_seconds": t_import,
        "maxrss_self_kb": self_ru.ru_maxrss, "maxrss_children_kb": children_ru.ru_maxrss,
        "cpu_self_s": self_ru.ru_utime + self_ru.ru_stime,
        "cpu_children_s": children_ru.ru_utime + children_ru.ru_stime,
    }))
    return rc


# --------------------------------------------------------------------------- memory sampler

def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += _children(p)
    return seen


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Peak of the summed PSS of a process and its descendants, sampled from /proc."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self.peak_procs = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            pids = _tree(self.pid)
            total = sum(_pss_kb(p) for p in pids)
            if total > self.peak_kb:
                self.peak_kb, self.peak_procs = total, len(pids)
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def run_refresh(cli_args: list[str], work: Path, name: str) -> dict:
    """`python -m etl CLI_ARGS` in a child process: wall time, rusage, PSS peak, summary."""
    result = work / f"{name}.result.json"
    result.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(result), "--", *cli_args]
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    sampler.stop()
    info = json.loads(result.read_text()) if result.exists() else {}
    info.update({"load": max(load_before, os.getloadavg()[0]), "wall": wall, "returncode": proc.returncode, "stdout": out, "stderr": err[-2000:],
                 "tree_pss_peak_kb": sampler.peak_kb, "tree_procs": sampler.peak_procs})
    m = re.search(r"(\d+) reports seen, (\d+) new.*?(\d+) rejected, (\d+) observations added", out)
    if m:
        info.update(seen=int(m.group(1)), new=int(m.group(2)), rejected=int(m.group(3)),
                    observations=int(m.group(4)))
    (work / f"{name}.run.json").write_text(json.dumps({k: v for k, v in info.items() if k != "stdout"} | {"stdout": out[-2000:]}))
    if proc.returncode != 0:
        log(f"{name}: refresh failed (exit {proc.returncode}): {err.strip()[-500:]}")
    return info


def projected_rate(n: int, r: dict) -> float:
    """Reports/s the run would reach with every core to itself: the CPU it used, spread over
    the cores, but never faster than its busiest single process (the main one)."""
    main, workers = r.get("cpu_self_s", 0.0), r.get("cpu_children_s", 0.0)
    cores = os.cpu_count() or 1
    busy = max(main, (main + workers) / cores)
    return n / busy if busy else 0.0


def remove_db(db: Path) -> None:
    for p in db.parent.glob(db.name + "*"):
        p.unlink(missing_ok=True)


# --------------------------------------------------------------------------- baseline

def _files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            out += [f for f in sorted(p.rglob("*")) if f.suffix in READ_SUFFIXES
                    and not any(part.startswith(".") for part in f.relative_to(p).parts) and f.is_file()]
        else:
            out.append(p)
    return out


def baseline(paths: list[str]) -> dict:
    """Read the same files (walked the same way) and run one compiled regex over each text."""
    t0 = time.perf_counter()
    n = hits = 0
    for f in _files(paths):
        text = f.read_text(encoding="utf-8")
        hits += sum(1 for _ in BASELINE_REGEX.finditer(text))
        n += 1
    seconds = time.perf_counter() - t0
    return {"n": n, "seconds": seconds, "rate": n / seconds if seconds else 0.0, "hits": hits}


# --------------------------------------------------------------------------- table

@dataclasses.dataclass
class Row:
    measure: str
    size: str
    result: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    ok: str = ""
    note: str = ""


class RowLog(list):
    """The rows so far, also written to a JSON file after each one (a run that dies late
    keeps what it measured)."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path

    def append(self, row: Row) -> None:
        super().append(row)
        self.path.write_text(json.dumps([dataclasses.asdict(r) for r in self], indent=1))


def verdict(good: bool | None) -> str:
    return "" if good is None else ("yes" if good else "NO")


def print_table(rows: list[Row], file=sys.stdout) -> None:
    head = Row("measure", "size", "result", "baseline", "ratio", "target", "ok", "note")
    cols = [f.name for f in dataclasses.fields(Row)]
    widths = {c: max(len(getattr(r, c)) for r in [head, *rows]) for c in cols}
    line = lambda r: "| " + " | ".join(getattr(r, c).ljust(widths[c]) for c in cols) + " |"  # noqa: E731
    print(line(head), file=file)
    print("|" + "|".join("-" * (widths[c] + 2) for c in cols) + "|", file=file)
    for r in rows:
        print(line(r), file=file)


def mb(kb: float) -> str:
    return f"{kb / 1024:.0f} MB"


# --------------------------------------------------------------------------- sections

def bench_sizes(sizes: list[int], out: Path, seed: int, rows: list[Row], incremental: bool) -> None:
    from benchmarks.generate import corpus_paths, generate

    corpus = out / "corpus"
    largest = max(sizes)
    log(f"generating up to {largest:,} reports under {corpus} (reused when already there)")
    t0 = time.perf_counter()
    stats = generate(corpus, largest, seed=seed)
    log(f"  wrote {stats['written']:,}, reused {stats['skipped']:,} ({time.perf_counter() - t0:.0f}s)")
    db_largest = None
    for n in sorted(sizes):
        paths = corpus_paths(corpus, n)
        log(f"{n:,} reports: baseline (read + one regex, this process)")
        base = baseline(paths)
        db = out / f"refresh-{n}.duckdb"
        remove_db(db)
        log(f"{n:,} reports: cold refresh (child process)")
        r = run_refresh(["refresh", "--reports", *paths, "--db", str(db), "--quiet"], out, f"refresh-{n}")
        ok = r["returncode"] == 0
        rate = n / r["wall"] if ok else 0.0
        in_rate = n / r["seconds"] if ok and r.get("seconds") else 0.0
        log(f"  {rate:.0f} reports/s end to end ({r['wall']:.1f}s), baseline {base['rate']:.0f}/s")
        rows.append(Row(
            "cold refresh, reports/s", f"{n:,}", f"{rate:,.0f}" if ok else f"FAILED ({r['returncode']})",
            f"{base['rate']:,.0f}", f"{rate / base['rate']:.3f}" if ok and base["rate"] else "",
            f">= {TARGET_REFRESH_RATE:,.0f}", verdict(rate >= TARGET_REFRESH_RATE) if ok else "NO",
            f"{r['wall']:.1f}s wall; refresh() {in_rate:,.0f}/s after {r.get('import_seconds', 0):.1f}s "
            f"imports; CPU main {r.get('cpu_self_s', 0):.0f}s + workers {r.get('cpu_children_s', 0):.0f}s "
            f"(= {projected_rate(n, r):,.0f}/s on {os.cpu_count()} idle cores); "
            f"{r.get('observations', '?')} obs; loadavg {r['load']:.1f}"))
        pss = r["tree_pss_peak_kb"]
        rows.append(Row(
            "peak memory of the refresh", f"{n:,}", mb(pss), "", "",
            f"<= {TARGET_PEAK_MB:.0f} MB" if n >= 100_000 else "", verdict(pss / 1024 <= TARGET_PEAK_MB) if n >= 100_000 else "",
            f"peak of summed PSS (/proc, 0.2s samples; {r['tree_procs']} process(es) at that moment); "
            f"peak RSS main {mb(r.get('maxrss_self_kb', 0))}, largest worker {mb(r.get('maxrss_children_kb', 0))} (getrusage)"))
        if ok:
            db_largest = (n, db, paths)
    if not incremental or db_largest is None:
        return
    n, db, paths = db_largest
    inc_db = out / f"incremental-{n}.duckdb"
    remove_db(inc_db)
    shutil.copyfile(db, inc_db)
    # Written to disk before timing: a scheduled job's database is not a fresh copy, and the
    # copy's unwritten pages would otherwise be flushed by the run's first checkpoint (~0.3 s).
    os.sync()
    # Three rounds, each adding 10 reports the scheduled way and 10 more with only the new
    # files named; the row gives the median (a 1-2 s run is at the mercy of one page-cache miss
    # or one busy moment), and the note all three.
    runs: dict[str, list[dict]] = {"a": [], "b": []}
    for k in range(INCREMENTAL_ROUNDS):
        extra_a, extra_b = out / f"extra-a{k}", out / f"extra-b{k}"
        shutil.rmtree(extra_a, ignore_errors=True)
        shutil.rmtree(extra_b, ignore_errors=True)
        generate(extra_a, 10, start=10_000_000 + 20 * k, seed=seed)
        generate(extra_b, 10, start=10_000_010 + 20 * k, seed=seed)
        given = [*paths, *(str(out / f"extra-{x}{j}") for j in range(k) for x in "ab"), str(extra_a)]
        log(f"incremental round {k + 1}: +10 reports into {n + 20 * k:,}, whole corpus given")
        runs["a"].append(run_refresh(["refresh", "--reports", *given, "--db", str(inc_db), "--quiet"], out, f"incremental-a{k}"))
        os.sync()  # (the run before's writes reach the disk before the next run, as between scheduled runs)
        log(f"incremental round {k + 1}: +10 reports into {n + 20 * k + 10:,}, only the new files given")
        runs["b"].append(run_refresh(["refresh", "--reports", str(extra_b), "--db", str(inc_db), "--quiet"], out, f"incremental-b{k}"))
        os.sync()
    for label, key in (("incremental +10, corpus re-scanned", "a"), ("incremental +10, new files only", "b")):
        done = runs[key]
        ok = all(r["returncode"] == 0 and r.get("new") == 10 for r in done)
        walls = [r["wall"] for r in done]
        mid = sorted(walls)[len(walls) // 2]
        r = next(r for r in done if r["wall"] == mid)
        rows.append(Row(
            label, f"{n:,}+10", f"{mid:.2f} s" if ok else "FAILED", "", "",
            f"<= {TARGET_INCREMENTAL_S:.0f} s", verdict(ok and mid <= TARGET_INCREMENTAL_S),
            f"median of {len(walls)} rounds ({', '.join(f'{w:.2f}' for w in walls)} s); that run: "
            f"refresh() {r.get('seconds', 0) - r.get('import_seconds', 0):.2f}s after {r.get('import_seconds', 0):.1f}s imports; "
            f"{r.get('new', '?')} new, {r.get('seen', '?')} seen; CPU {r.get('cpu_self_s', 0) + r.get('cpu_children_s', 0):.1f}s; "
            f"PSS peak {mb(r['tree_pss_peak_kb'])}, main RSS peak {mb(r.get('maxrss_self_kb', 0))}; loadavg {r['load']:.1f}"))


def bench_fakes(csv_path: Path, out: Path, rows: list[Row]) -> None:
    if not csv_path.exists():
        rows.append(Row("FA-KES dev, full refresh", "-", "skipped", note=f"{csv_path} not found"))
        rows.append(Row("FA-KES dev, extraction only", "-", "skipped", note=f"{csv_path} not found"))
        return
    db = out / "fakes.duckdb"
    remove_db(db)
    log("FA-KES: full refresh (child process)")
    r = run_refresh(["refresh", "--reports", str(csv_path), "--csv-columns", "fakes", "--db", str(db), "--quiet"],
                    out, "fakes")
    n = r.get("seen", 0)
    ok = r["returncode"] == 0 and n
    rate = n / r["wall"] if ok else 0.0
    rows.append(Row("FA-KES dev, full refresh, reports/s", f"{n}", f"{rate:,.0f}" if ok else "FAILED", "", "", "", "",
                    f"{r['wall']:.1f}s wall incl. {r.get('import_seconds', 0):.1f}s imports; "
                    f"refresh() {n / max(1e-9, r.get('seconds', 0) - r.get('import_seconds', 0)):,.0f}/s; "
                    f"{r.get('observations', '?')} obs; loadavg {r['load']:.1f}"))
    log("FA-KES: extraction alone, one process")
    from etl.extract import extract_observations
    from etl.models import Report
    from etl.read import FAKES_COLUMNS, read_reports
    from etl.reference import default_reference

    ref = default_reference()
    reports = [x for x in read_reports([str(csv_path)], csv_columns=dict(FAKES_COLUMNS), csv_date_format="%m/%d/%y")
               if isinstance(x, Report)]
    extract_observations(reports[0], ref)  # one-time compilation outside the timing
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    n_obs = sum(len(extract_observations(rep, ref)) for rep in reports)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    rate = len(reports) / seconds
    avg_kb = sum(len(rep.text) for rep in reports) / len(reports) / 1000
    rows.append(Row("FA-KES dev, extraction only, reports/s", f"{len(reports)}", f"{rate:,.0f}", "", "",
                    f">= {TARGET_EXTRACT_RATE:.0f} /core", verdict(rate >= TARGET_EXTRACT_RATE),
                    f"one process, {cpu:.1f}s CPU in {seconds:.1f}s; {n_obs} obs; texts avg {avg_kb:.1f} KB; "
                    f"loadavg {os.getloadavg()[0]:.1f}"))


def bench_extract_generated(out: Path, seed: int, rows: list[Row], n: int = 500) -> None:
    """Extraction alone on generated reports: separates extractor cost from the rest."""
    from benchmarks.generate import corpus_paths, generate
    from etl.extract import extract_observations
    from etl.models import Report
    from etl.read import read_reports
    from etl.reference import default_reference

    corpus = out / "corpus"
    generate(corpus, 1000, seed=seed)
    ref = default_reference()
    t0 = time.perf_counter()
    reports = [x for x in read_reports(corpus_paths(corpus, n)) if isinstance(x, Report)]
    read_s = time.perf_counter() - t0
    extract_observations(reports[0], ref)
    t0 = time.perf_counter()
    n_obs = sum(len(extract_observations(rep, ref)) for rep in reports)
    seconds = time.perf_counter() - t0
    rows.append(Row("generated, extraction only, reports/s", f"{len(reports)}", f"{len(reports) / seconds:,.0f}",
                     "", "", f">= {TARGET_EXTRACT_RATE:.0f} /core", verdict(len(reports) / seconds >= TARGET_EXTRACT_RATE),
                     f"one process; {n_obs / len(reports):.1f} obs/report; read_reports alone {len(reports) / read_s:,.0f}/s"))


QUERY_DB_VERSION = "1"


def query_db(out: Path, n_obs: int) -> Path:
    from benchmarks import make_query_db

    db = out / f"queries-{n_obs}.duckdb"
    meta = out / f"queries-{n_obs}.meta.json"
    schema = "".join(p.read_text() for p in [ROOT / "etl" / "schema.sql", *sorted((ROOT / "etl" / "migrations").glob("*.sql"))]
                     if p.exists())
    want = {"version": QUERY_DB_VERSION, "observations": n_obs, "schema": schema,
            "maker": (HERE / "make_query_db.py").read_text()}
    if db.exists() and meta.exists() and json.loads(meta.read_text()) == want:
        log(f"query database {db} reused")
        return db
    log(f"building the query database: {n_obs:,} observations -> {db}")
    info = make_query_db.build(db, n_obs, log=log)
    log(f"  built in {info['seconds']:.0f}s, {info['bytes'] / 1e6:.0f} MB")
    meta.write_text(json.dumps(want))
    return db


def _time(fn, reps: int, before=None) -> tuple[list[float], object]:
    """`reps` timed calls of fn after one warm-up call; `before` runs untimed before each."""
    if before:
        before()
    result = fn()  # warm-up: imports and first compilation, not timed
    times = []
    for _ in range(reps):
        if before:
            before()
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times, result


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


EVIDENCE_ROWS = 100  # dashboard.EVIDENCE_ROWS: the newest evidence rows a page shows


def bench_queries(out: Path, n_obs: int, reps: int, rows: list[Row]) -> None:
    from etl import queries
    from etl.queries import Filters

    db = str(query_db(out, n_obs))
    summary = queries.summarise_database(db)
    first, last = summary["first_event_date"], summary["last_event_date"]
    towns = queries.list_towns(db, Filters(precisions=("town",)))
    busiest = towns["place_id"].iloc[0]
    busiest_name = towns["place_name"].iloc[0]
    median = towns["place_id"].iloc[len(towns) // 2]
    # The default page view (dashboard.state_from_url): full date range, towns only, the most
    # active town chosen, confidence 0, hedged included, weekly periods.
    page = Filters(date_from=first, date_to=last, precisions=("town",), place_ids=(busiest,))
    scope = dataclasses.replace(page, place_ids=None)
    confident = dataclasses.replace(page, min_confidence=0.7, include_hedged=False)
    week = last - timedelta(days=last.weekday())
    # (label, on the default page view, call[, untimed before each call]): the calls
    # dashboard.main makes for its first tab, in its order; then the other tabs'.
    calls = [
        ("summarise_database (header)", True, lambda: queries.summarise_database(db)),
        ("get_last_refresh (header)", True, lambda: queries.get_last_refresh(db)),
        ("list_actors (sidebar)", True, lambda: queries.list_actors(db)),
        ("list_towns: town list (sidebar)", True, lambda: queries.list_towns(db, Filters(precisions=("town",)))),
        ("count_left_out_by_precision (sidebar)", True, lambda: queries.count_left_out_by_precision(db, scope)),
        (f"series_by_period week, busiest town ({busiest_name})", True,
         lambda: queries.series_by_period(db, page, "week")),
        ("series_by_period week, median town", False,
         lambda: queries.series_by_period(db, dataclasses.replace(page, place_ids=(median,)), "week")),
        (f"list_evidence, busiest town, newest {EVIDENCE_ROWS}", True,
         lambda: queries.list_evidence(db, page, limit=EVIDENCE_ROWS)),
        ("count_evidence, busiest town (showing N of M)", True, lambda: queries.count_evidence(db, page)),
        (f"list_evidence, busiest town, newest {EVIDENCE_ROWS}, first view (links not cached yet)", False,
         lambda: queries.list_evidence(db, page, limit=EVIDENCE_ROWS), queries.forget_cached_links),
        ("list_evidence, one week + indicator (click)", False,
         lambda: queries.list_evidence(db, page, period_start=week, period="week", indicator="killing",
                                       limit=EVIDENCE_ROWS)),
        ("count_evidence, one week + indicator (click)", False,
         lambda: queries.count_evidence(db, page, period_start=week, period="week", indicator="killing")),
        (f"list_evidence, confidence >= 0.7, no hedged, newest {EVIDENCE_ROWS}", False,
         lambda: queries.list_evidence(db, confident, limit=EVIDENCE_ROWS)),
        ("count_evidence, confidence >= 0.7, no hedged", False, lambda: queries.count_evidence(db, confident)),
        ("list_towns: map data", False, lambda: queries.list_towns(db, scope)),
        ("what_changed", False, lambda: queries.what_changed(db, scope)),
        ("list_summary_tallies (what changed)", False, lambda: queries.list_summary_tallies(db, scope)),
        ("list_quiet_towns (what changed)", False, lambda: queries.list_quiet_towns(db, scope)),
        ("list_refresh_runs (health)", False, lambda: queries.list_refresh_runs(db)),
        ("list_rejected_inputs (health)", False, lambda: queries.list_rejected_inputs(db)),
        ("list_unresolved_places (health)", False, lambda: queries.list_unresolved_places(db)),
    ]
    page_p50 = 0.0
    for label, on_page, fn, *before in calls:
        log(f"query: {label} x{reps}")
        try:
            # Untimed before each call: the links cache of a town shown is made by a thread
            # after its first view (the user reads the page meanwhile); wait for it.
            times, result = _time(fn, reps, before[0] if before else queries.wait_for_cached_links)
        except Exception as e:  # a renamed function or a schema change: say so, go on
            rows.append(Row(f"query: {label}", f"{n_obs:,} obs", "ERROR", note=f"{type(e).__name__}: {e}"[:120]))
            continue
        p50, p95 = pct(times, 0.5), pct(times, 0.95)
        if on_page:
            page_p50 += p50
        n_rows = len(result) if hasattr(result, "__len__") else result
        rows.append(Row(f"query: {label}", f"{n_obs:,} obs", f"p50 {p50:.1f} / p95 {p95:.1f} ms", "", "",
                        f"p95 <= {TARGET_QUERY_MS:.0f} ms", verdict(p95 <= TARGET_QUERY_MS),
                        f"{reps} calls, {n_rows} rows returned; loadavg {os.getloadavg()[0]:.1f}"))
    rows.append(Row("query: default page view, sum of p50", f"{n_obs:,} obs", f"{page_p50:.0f} ms", note=
                    "the Town view tab's calls on the process's kept instance (other tabs run when opened; "
                    "the dashboard also caches results)"))
    # The first page view after a refresh published a new file: the instance is opened anew,
    # with nothing in its cache (nor any town's links).
    page_calls = [fn for _, on_page, fn, *_ in calls if on_page]
    cold = []
    for _ in range(max(3, reps // 6)):
        queries.close_connections()
        t0 = time.perf_counter()
        for fn in page_calls:
            fn()
        cold.append((time.perf_counter() - t0) * 1000)
    rows.append(Row("query: default page view on a new instance, total", f"{n_obs:,} obs",
                    f"p50 {pct(cold, 0.5):.0f} / max {max(cold):.0f} ms", note=
                    f"{len(cold)} page views, each after close_connections() (as after a refresh); "
                    f"loadavg {os.getloadavg()[0]:.1f}"))
    log("export: list_evidence, busiest town, all rows")
    times, result = _time(lambda: queries.list_evidence(db, page), max(3, reps // 6))
    rows.append(Row("export: list_evidence, busiest town, all rows", f"{n_obs:,} obs",
                    f"p50 {pct(times, 0.5):.0f} ms", note=f"{len(result)} rows; built only when a download is clicked"))


# --------------------------------------------------------------------------- main

def parse_sizes(text: str) -> list[int]:
    out = []
    for part in text.split(","):
        part = part.strip().lower()
        if not part:
            continue
        mult = 1000 if part.endswith("k") else 1_000_000 if part.endswith("m") else 1
        out.append(int(float(part.rstrip("km")) * mult))
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child_main(argv[1], argv[3:] if argv[2:3] == ["--"] else argv[2:])
    p = argparse.ArgumentParser(description="Issue 8 benchmarks: prints one table.")
    p.add_argument("--sizes", default="1k,10k", help="cold refresh sizes, comma-separated (default 1k,10k)")
    p.add_argument("--full", action="store_true", help="add 100k to the sizes (tens of minutes)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where generated data goes (default benchmarks/out/)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--fakes", type=Path, default=FAKES_CSV)
    p.add_argument("--query-observations", type=int, default=1_000_000)
    p.add_argument("--reps", type=int, default=30, help="calls per dashboard query (default 30)")
    p.add_argument("--skip-refresh", action="store_true")
    p.add_argument("--skip-incremental", action="store_true")
    p.add_argument("--skip-fakes", action="store_true")
    p.add_argument("--skip-queries", action="store_true")
    p.add_argument("--json", type=Path, help="write the rows as JSON here as they come (default OUT/last-run.json)")
    args = p.parse_args(argv)
    sizes = parse_sizes(args.sizes)
    if args.full and 100_000 not in sizes:
        sizes.append(100_000)
    args.out.mkdir(parents=True, exist_ok=True)
    # One snapshot of the code for the whole run: etl/ may change while a long run goes on,
    # and modules imported at different times would not fit together.
    import etl.extract  # noqa: F401
    import etl.queries  # noqa: F401
    import etl.read  # noqa: F401
    import etl.reference  # noqa: F401
    import etl.refresh  # noqa: F401

    rows = RowLog(args.json or args.out / "last-run.json")
    t0 = time.perf_counter()
    sections = []
    if not args.skip_refresh and sizes:
        sections.append(("refresh", lambda: bench_sizes(sizes, args.out, args.seed, rows,
                                                        incremental=not args.skip_incremental)))
    if not args.skip_fakes:
        sections.append(("FA-KES", lambda: bench_fakes(args.fakes, args.out, rows)))
        sections.append(("extraction", lambda: bench_extract_generated(args.out, args.seed, rows)))
    if not args.skip_queries:
        sections.append(("queries", lambda: bench_queries(args.out, args.query_observations, args.reps, rows)))
    for name, run in sections:
        try:
            run()
        except Exception as e:  # one broken section must not cost the rows of the others
            log(f"{name}: {type(e).__name__}: {e}")
            rows.append(Row(f"{name} section", "-", "ERROR", note=f"{type(e).__name__}: {e}"[:160]))
    log(f"done in {time.perf_counter() - t0:.0f}s")
    print(f"\npresence benchmarks ({os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"{time.strftime('%Y-%m-%d %H:%M')})\n")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
