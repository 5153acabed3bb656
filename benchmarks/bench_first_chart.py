"""First chart visible after navigation, on a cold dashboard server (issue 5: <= 3 s).

    .venv/bin/python benchmarks/bench_first_chart.py [--runs 5] [--db PATH] [--out DIR]

Each run starts `streamlit run dashboard.py` anew (a cold server: the dashboard script has
never run in it, nothing is imported or cached yet), waits until it answers its health check,
launches Debian's Chromium through Playwright with a fresh profile (no HTTP or code cache),
and then times, from just before `page.goto(url)`:
- shell: Streamlit's app container attached (the page's JavaScript runs);
- title: the dashboard's title visible (the script is running and streaming);
- chart: the first Vega-Lite chart visible with its canvas or SVG drawn (the target).
After the cold navigation, a second page in a new browser context on the same (now warm)
server gives the warm time for comparison. Browser start-up is not timed (it is not part of
a navigation). The database is the demo reports (data/reports) refreshed into OUT, unless
--db names one. Prints one table; rows also go to OUT/first-chart.json.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
DASHBOARD = ROOT / "dashboard.py"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
TARGET_S = 3.0
# In the main area: the dashboard's warm-up chart (a pixel high, at the bottom of the
# sidebar until the first run ends) does not count.
CHART = '[data-testid="stMain"] [data-testid="stVegaLiteChart"]'
DRAWN = f"{CHART} canvas, {CHART} svg"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_db(out: Path) -> Path:
    """The demo reports refreshed into OUT/first-chart/presence.duckdb (a new file each run,
    so the current extractor's output is measured)."""
    db = out / "first-chart" / "presence.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    for p in db.parent.glob("presence.duckdb*"):
        p.unlink()
    done = subprocess.run([sys.executable, "-m", "etl", "refresh", "--reports", str(ROOT / "data" / "reports"),
                           "--db", str(db), "--quiet"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the demo refresh failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return db


class Server:
    """`streamlit run dashboard.py` on loopback in its own process group."""

    def __init__(self, db: Path, log_path: Path, script: Path = DASHBOARD):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = log_path
        with open(log_path, "w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(script),
                 "--server.port", str(self.port), "--server.address", "127.0.0.1",
                 "--server.headless", "true", "--browser.gatherUsageStats", "false",
                 "--server.fileWatcherType", "none"],
                cwd=ROOT, env={**os.environ, "PRESENCE_DB": str(db)},
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_healthy(self, seconds: float = 60) -> float:
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return time.perf_counter() - t0
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"streamlit did not answer within {seconds} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def navigate(browser, url: str, timeout_ms: int = 60_000) -> dict[str, float]:
    """Seconds from just before page.goto to the shell, the title and the first drawn chart."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(timeout_ms)
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        marks = {}
        page.locator('[data-testid="stApp"]').first.wait_for(state="attached")
        marks["shell"] = time.perf_counter() - t0
        page.get_by_role("heading", name="Armed-group presence by town").wait_for(state="visible")
        marks["title"] = time.perf_counter() - t0
        page.locator(DRAWN).first.wait_for(state="visible")
        marks["chart"] = time.perf_counter() - t0
        return marks
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=5, help="cold servers to start (default 5)")
    p.add_argument("--db", type=Path, help="database to show (default: the demo reports, refreshed)")
    p.add_argument("--out", type=Path, default=HERE / "out")
    p.add_argument("--json", type=Path, help="default OUT/first-chart.json")
    p.add_argument("--script", type=Path, default=DASHBOARD,
                   help="the Streamlit script (default dashboard.py; e.g. a minimal page to compare)")
    args = p.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing (install Debian's chromium package)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    db = args.db or demo_db(args.out)
    log(f"database {db}")
    runs = []
    with sync_playwright() as playwright:
        for i in range(args.runs):
            server = Server(db, args.out / f"first-chart-server-{i}.log", args.script)
            try:
                healthy = server.wait_healthy()
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
                try:
                    load_before = os.getloadavg()[0]
                    cold = navigate(browser, server.url)
                    warm = navigate(browser, server.url)
                finally:
                    browser.close()
            finally:
                server.stop()
            run = {"run": i + 1, "server_start_s": round(healthy, 3),
                   **{f"cold_{k}_s": round(v, 3) for k, v in cold.items()},
                   **{f"warm_{k}_s": round(v, 3) for k, v in warm.items()},
                   "loadavg": round(load_before, 2)}
            runs.append(run)
            log(f"run {i + 1}: cold chart {cold['chart']:.2f} s (shell {cold['shell']:.2f}, title "
                f"{cold['title']:.2f}); warm chart {warm['chart']:.2f} s; loadavg {load_before:.1f}")
    cold_charts = [r["cold_chart_s"] for r in runs]
    summary = {
        "runs": runs, "target_s": TARGET_S,
        "cold_chart_median_s": statistics.median(cold_charts), "cold_chart_max_s": max(cold_charts),
        "warm_chart_median_s": statistics.median(r["warm_chart_s"] for r in runs),
        "cold_title_median_s": statistics.median(r["cold_title_s"] for r in runs),
        "cold_shell_median_s": statistics.median(r["cold_shell_s"] for r in runs),
    }
    (args.json or args.out / "first-chart.json").write_text(json.dumps(summary, indent=1))
    print(f"\nfirst chart after navigation, cold server ({os.cpu_count()} cores, "
          f"{time.strftime('%Y-%m-%d %H:%M')}, {len(runs)} runs, db {db.name})\n")
    print("| run | shell s | title s | first chart s (cold) | first chart s (warm) | loadavg |")
    print("|-----|---------|---------|----------------------|----------------------|---------|")
    for r in runs:
        print(f"| {r['run']} | {r['cold_shell_s']:.2f} | {r['cold_title_s']:.2f} | {r['cold_chart_s']:.2f} "
              f"| {r['warm_chart_s']:.2f} | {r['loadavg']:.1f} |")
    ok = summary["cold_chart_median_s"] <= TARGET_S
    print(f"\ncold first chart: median {summary['cold_chart_median_s']:.2f} s, max "
          f"{summary['cold_chart_max_s']:.2f} s (target <= {TARGET_S:.0f} s: {'yes' if ok else 'NO'}); "
          f"warm median {summary['warm_chart_median_s']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
