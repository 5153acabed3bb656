"""Where a refresh spends its time and memory.

    .venv/bin/python benchmarks/profile_refresh.py --n 10000 [--serial] [--profiler cprofile|pyinstrument]

Runs `etl.refresh.refresh` in this process over the first N generated reports (made by
generate.py under benchmarks/out/corpus if missing) into a new database, and prints:
- time per stage: the functions of etl.refresh/etl.load/etl.models are wrapped with timers
  (reading = time inside the read_reports generator; extraction = extract_observations, only
  visible with --serial, else it runs in the pool and shows as waiting on it);
- RSS over time: sampled every 0.1 s, with the peak in each stage;
- with --profiler, the top functions (cProfile by own time and cumulative time, or a
  pyinstrument tree).
--serial sets etl.refresh.PARALLEL_FROM so the extraction runs in this process (the profile
then covers it); without it the refresh runs as it does in production.
"""
from __future__ import annotations

import argparse
import functools
import os
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

STAGE = ["setup"]
TIMES: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
PEAK: dict[str, int] = defaultdict(int)


def rss_kb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Sampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.halt = threading.Event()
        self.timeline: list[tuple[float, int, str]] = []
        self.t0 = time.perf_counter()

    def run(self):
        import tracemalloc

        while not self.halt.is_set():
            kb = rss_kb()
            stage = STAGE[-1]
            PEAK[stage] = max(PEAK[stage], kb)
            py_kb = tracemalloc.get_traced_memory()[0] // 1024 if tracemalloc.is_tracing() else -1
            self.timeline.append((time.perf_counter() - self.t0, kb, stage, py_kb))
            self.halt.wait(0.1)


def timed(name: str, fn):
    @functools.wraps(fn)
    def wrapper(*a, **k):
        STAGE.append(name)
        t0 = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            TIMES[name] += time.perf_counter() - t0
            CALLS[name] += 1
            STAGE.pop()
    return wrapper


def timed_gen(name: str, fn):
    @functools.wraps(fn)
    def wrapper(*a, **k):
        it = iter(fn(*a, **k))
        while True:
            STAGE.append(name)
            t0 = time.perf_counter()
            try:
                item = next(it)
            except StopIteration:
                return
            finally:
                TIMES[name] += time.perf_counter() - t0
                STAGE.pop()
            CALLS[name] += 1
            yield item
    return wrapper


def instrument() -> None:
    import etl.load as load
    import etl.models as models
    import etl.refresh as refresh

    if hasattr(refresh, "read_reports"):
        refresh.read_reports = timed_gen("read_reports (generator)", refresh.read_reports)
    if hasattr(refresh, "extract_observations"):
        refresh.extract_observations = timed("extract_observations", refresh.extract_observations)
    if hasattr(refresh, "_extract_all"):
        refresh._extract_all = timed_gen("_extract_all (serial: extraction; pool: waiting)", refresh._extract_all)
    if hasattr(refresh, "default_reference"):
        refresh.default_reference = timed("default_reference (gazetteer etc.)", refresh.default_reference)
    if hasattr(refresh, "_report_row"):
        refresh._report_row = timed("_report_row (incl. sha256)", refresh._report_row)
    if hasattr(refresh, "_read_task"):
        refresh._read_task = timed("_read_task (serial: read + extract)", refresh._read_task)
    if hasattr(refresh, "source_files"):
        refresh.source_files = timed_gen("source_files (walk + stat)", refresh.source_files)
    run = getattr(refresh, "_Run", None)
    for name in ("_take_files", "_extract_reports", "_flush"):
        if run is not None and hasattr(run, name):
            setattr(run, name, timed(f"_Run.{name}", getattr(run, name)))
    if hasattr(models.Observation, "as_row"):
        models.Observation.as_row = timed("Observation.as_row", models.Observation.as_row)
    for name in ("open_working_copy", "load_places", "known_reports", "stored_reports", "file_stamps",
                 "delete_reports", "insert_batch", "rebuild_events", "save_file_stamps", "move_reports",
                 "publish", "remove_leftovers"):
        if hasattr(load, name):
            setattr(load, name, timed(f"load.{name}", getattr(load, name)))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=10_000)
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    p.add_argument("--serial", action="store_true", help="extract in this process (profilers see it)")
    p.add_argument("--profiler", choices=("none", "cprofile", "pyinstrument"), default="none")
    p.add_argument("--top", type=int, default=35)
    p.add_argument("--tracemalloc", action="store_true",
                   help="also trace Python allocations in the main process (RSS minus traced = native: DuckDB, ...)")
    p.add_argument("--db-from", type=Path, help="start from a copy of this database (an incremental run)")
    p.add_argument("--paths", nargs="*", help="read these instead of the first N generated reports")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)

    from benchmarks.generate import corpus_paths, generate

    corpus = args.out / "corpus"
    if args.paths:
        paths = args.paths
    else:
        generate(corpus, args.n, seed=args.seed)
        paths = corpus_paths(corpus, args.n)
    db = args.out / f"profile-{args.n}.duckdb"
    for f in db.parent.glob(db.name + "*"):
        f.unlink()
    if args.db_from:
        import shutil
        shutil.copyfile(args.db_from, db)
        os.sync()  # as bench_refresh.py: the copy on disk before the run, not flushed by its checkpoint

    import etl.refresh as refresh

    if args.serial:
        refresh.PARALLEL_FROM = 10 ** 12
    instrument()
    if args.tracemalloc:
        import tracemalloc
        tracemalloc.start(1)
        init = getattr(refresh, "_init_worker", None)

        def init_worker():  # the workers are not traced
            tracemalloc.stop()
            if init:
                init()
        refresh._init_worker = init_worker
    sampler = Sampler()
    sampler.start()
    profiler = None
    if args.profiler == "cprofile":
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
    elif args.profiler == "pyinstrument":
        import pyinstrument
        profiler = pyinstrument.Profiler(interval=0.005)
        profiler.start()
    STAGE.append("refresh (outside the wrapped stages)")
    t0 = time.perf_counter()
    summary = refresh.refresh(paths, db, progress=False)
    total = time.perf_counter() - t0
    STAGE.pop()
    if args.profiler == "cprofile":
        profiler.disable()
    elif args.profiler == "pyinstrument":
        profiler.stop()
    sampler.halt.set()
    sampler.join()

    print(f"\n{summary.line()}")
    print(f"total {total:.1f}s = {args.n / total:.0f} reports/s ({'serial' if args.serial else 'parallel as configured'})\n")
    print(f"{'stage':55} {'seconds':>9} {'share':>6} {'calls':>9} {'peak RSS':>9}")
    for name, sec in sorted(TIMES.items(), key=lambda kv: -kv[1]):
        print(f"{name:55} {sec:9.2f} {sec / total:6.1%} {CALLS[name]:9d} {PEAK.get(name, 0) / 1024:8.0f}M")
    print(f"{'(peak RSS outside the wrapped stages)':55} {'':9} {'':6} {'':9} {PEAK.get('refresh (outside the wrapped stages)', 0) / 1024:8.0f}M")
    print("\nRSS timeline (every ~10% of the run):")
    tl = sampler.timeline
    for i in [*range(0, len(tl), max(1, len(tl) // 12)), len(tl) - 1][:14]:
        t, kb, stage, py = tl[i]
        print(f"  {t:7.1f}s {kb / 1024:7.0f} MB" + (f" (Python objects {py / 1024:.0f} MB)" if py >= 0 else "") + f"  {stage}")
    if tl:
        t, kb, stage, py = max(tl, key=lambda x: x[1])
        print(f"  peak {kb / 1024:.0f} MB at {t:.1f}s in {stage}" + (f" (Python objects {py / 1024:.0f} MB)" if py >= 0 else ""))
    if args.tracemalloc:
        import tracemalloc
        snap = tracemalloc.take_snapshot()
        print("\nlargest Python allocations still alive at the end (by line):")
        for stat in snap.statistics("lineno")[:12]:
            print(f"  {stat.size / 1e6:8.1f} MB {stat.count:9d} blocks  {stat.traceback[0]}")
    if args.profiler == "cprofile":
        import pstats
        st = pstats.Stats(profiler)
        st.sort_stats("tottime").print_stats(args.top)
        st.sort_stats("cumtime").print_stats(args.top)
    elif args.profiler == "pyinstrument":
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
