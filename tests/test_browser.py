"""The dashboard in a real browser: `streamlit run` on the fixture database, driven by
Debian's Chromium through Playwright. Skips only when /usr/bin/chromium is missing or
Playwright cannot launch it. A screenshot lands in test-output/.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.dashboard_db import make_fixture_db

PROJECT = Path(__file__).resolve().parent.parent
DASHBOARD = PROJECT / "dashboard.py"
OUTPUT = PROJECT / "test-output"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               "--disable-quic"]
TIMEOUT_MS = 30_000

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(url: str, proc: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    pytest.fail(f"streamlit did not answer within {seconds} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium package)")
    with sync_api.sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                  args=LAUNCH_ARGS)
        except sync_api.Error as exc:
            pytest.skip(f"playwright cannot launch {CHROMIUM}: {exc}")
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, browser):
    """`streamlit run dashboard.py` on 127.0.0.1 with the fixture database; always stopped."""
    folder = tmp_path_factory.mktemp("browser")
    db = make_fixture_db(folder / "presence.duckdb")
    port = free_port()
    log = folder / "streamlit.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(DASHBOARD),
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=PROJECT, env={**os.environ, "PRESENCE_DB": str(db)},
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_healthy(url, proc, log)
        yield url
    finally:
        # The server runs in its own process group (start_new_session): stop just that one.
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.fixture
def page(browser, server):
    """A fresh page; any alert/confirm/prompt dialog (injected script running) fails the test."""
    context = browser.new_context(viewport={"width": 1500, "height": 1800})
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()
    assert not dialogs, f"a dialog opened: something executed report text: {dialogs}"


MAIN_CHART = '[data-testid="stMain"] [data-testid="stVegaLiteChart"]'


def open_dashboard(page, url: str) -> None:
    page.goto(url)
    expect(page.locator(MAIN_CHART).first).to_be_visible()
    expect(evidence_text(page).first).to_be_visible()


def evidence_text(page):
    """The evidence rows rendered with st.text (in the DOM, unlike the canvas data grid)."""
    return page.locator('.st-key-evidence_text [data-testid="stText"]')


def town_tag(page, name: str):
    """A chosen town's chip in the sidebar's Towns multiselect."""
    return page.locator(f'[data-testid="stSidebar"] [data-tag][aria-label="{name}"]')


def evidence_contents(page) -> str:
    return "\n".join(evidence_text(page).all_inner_texts())


def test_page_loads_with_chart_and_evidence(page, server):
    open_dashboard(page, server)
    chart = page.locator(MAIN_CHART).first
    expect(chart.locator("svg, canvas").first).to_be_visible()
    expect(chart.locator('[aria-label*="week of: 2015-01-19"]').first).to_be_attached()
    expect(page.get_by_text("Last refresh: 2015-01-21 06:00 (ok)")).to_be_visible()
    expect(evidence_text(page)).to_have_count(9)
    assert "IS checkpoints have «dwindled» in Al-Bokamel." in evidence_contents(page)
    assert "town=abu_kamal" in page.url and "period=week" in page.url
    # The warm-up chart (sent before the imports, a pixel high) is gone once the run ends.
    expect(page.locator('[data-testid="stSidebar"] [data-testid="stVegaLiteChart"]')).to_have_count(0)
    OUTPUT.mkdir(exist_ok=True)
    page.wait_for_timeout(500)  # let vega finish drawing before the picture
    page.screenshot(path=str(OUTPUT / "dashboard.png"), full_page=True)


def test_picking_another_town_changes_the_evidence(page, server):
    open_dashboard(page, server)
    towns = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    towns.locator("input").click()
    page.keyboard.type("Al-Qaim")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(evidence_text(page)).to_have_count(12)
    # Remove Abu Kamal: only Al-Qaim's three observations remain.
    towns.get_by_role("button", name="Remove Abu Kamal").click()
    expect(evidence_text(page)).to_have_count(3)
    text = evidence_contents(page)
    assert "Unknown gunmen «killed» 4 Iraqi soldiers in Al-Qaim on Monday." in text
    assert "NEGATED" in text and "· Abu Kamal ·" not in text
    expect(page).to_have_url(re.compile(r"town=al_qaim"))
    assert "abu_kamal" not in page.url


def test_a_link_with_query_params_reproduces_the_view(page, server):
    open_dashboard(page, server + "?town=al_mayadin&indicator=patrol&period=month"
                               "&from=2014-11-01&to=2015-01-15")
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(town_tag(page, "Al-Mayadin")).to_be_visible()
    expect(sidebar.get_by_text("Monthly")).to_be_visible()
    expect(evidence_text(page)).to_have_count(3)
    text = evidence_contents(page)
    assert "IS patrols in Al-Mayadin have «decreased» sharply." in text
    assert "· Abu Kamal ·" not in text
    assert "period=month" in page.url and "town=al_mayadin" in page.url


def test_clicking_a_bar_narrows_the_evidence_to_its_week(page, server):
    open_dashboard(page, server)
    chart = page.locator(MAIN_CHART).first
    # First panel: checkpoint events; the week of 2015-01-19 holds two of them.
    chart.locator('[role="graphics-symbol"][aria-label*="week of: 2015-01-19"]').first.click()
    expect(page.get_by_text("Narrowed to the week of 2015-01-19, checkpoint")).to_be_visible()
    expect(evidence_text(page)).to_have_count(2)
    assert "«dismantled»" in evidence_contents(page)


def test_hostile_report_text_is_shown_literally_and_never_runs(page, server):
    open_dashboard(page, server)
    expect(evidence_text(page).first).to_contain_text("<script>alert(1)</script>")
    expect(evidence_text(page).first).to_contain_text("<img src=x onerror=alert(2)>")
    expect(evidence_text(page).first).to_contain_text("[click](http://evil.invalid)")
    page.wait_for_timeout(1000)  # give any injected handler the chance to fire
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator('a[href*="evil.invalid"], a[href^="javascript:"]').count() == 0
    injected = page.evaluate(
        "() => [...document.querySelectorAll('script')]"
        ".filter(s => s.textContent.includes('alert(')).length")
    assert injected == 0
    assert page.locator("b", has_text="Breaking").count() == 0
    OUTPUT.mkdir(exist_ok=True)
    page.locator('[data-testid="stHeading"]', has_text="Evidence").evaluate(
        "e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    page.screenshot(path=str(OUTPUT / "dashboard-evidence.png"))


def test_clicking_a_town_on_the_map_selects_it(page, server):
    open_dashboard(page, server)
    page.get_by_role("tab", name="Map").click()  # only the open tab runs: the map is drawn now
    town_map = page.locator('[data-testid="stVegaLiteChart"]',
                            has=page.locator('[aria-label*="town: Al-Mayadin"]'))
    expect(town_map).to_be_visible()
    town_map.locator('[role="graphics-symbol"][aria-label*="town: Al-Mayadin"]').first.click()
    expect(town_tag(page, "Al-Mayadin")).to_be_visible()
    expect(page).to_have_url(re.compile(r"town=al_mayadin"))
