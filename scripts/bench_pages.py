"""Benchmark of every page and of many concurrent sessions, called from scripts/bench.py.

    python scripts/bench.py --only pages [--db PATH] [--page KEY ...] [--no-browser]
    python scripts/bench.py --only sessions [--db PATH] [--sessions 20]

`pages`: for each page of views/links.py, the AppTest script run for `?year=2025`, all
communes, cold (the first run in a fresh Python process) and warm (median of new sessions
in that process, its caches filled), then the time Chromium takes to draw the page's first
screen: cold (a fresh server, a new browser context), warm (a) on the warm server in a new
browser context (no HTTP cache: a forwarded link opened on a new device) and warm (b) on the
warm server in the same context (the browser's cache warm: a repeat visit).

`sessions`: one server, N pages of one Chromium process (one browser context each, so no
shared cache or cookies) open the landing link at the same moment; each times its first
screen. Two rounds: on the cold server (the day's first visitors), then on the warm one. The
server's resident memory (its process and children, from /proc) is sampled every 100 ms.

Figures are printed, not asserted: the machine is shared and noisy.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from views.i18n import t  # noqa: E402

TIMEOUT_MS = 180_000
VIEWPORT = {"width": 390, "height": 844}  # a phone: what a leader opens a forwarded link on
QUERY = "?year=2025"
# Targets of the issue: a warm script run by scale, the first screen in Chromium warm.
APPTEST_TARGET_MS = {100: 300, 1000: 1000}
BROWSER_TARGET_S = {100: 1.5}
SESSIONS_TARGET_S = 5.0
SESSIONS_MEMORY_TARGET_MB = 2048


@dataclass(frozen=True)
class Screen:
    """A page's first screen: its title heading (`page_<key>` in views/i18n.py) and the
    elements of its first section."""

    selectors: tuple[str, ...]
    nth: tuple[tuple[str, int], ...] = field(default=())  # (selector, index) to wait for


MAIN = "[data-testid='stMain']"


def _cards(*ids: str) -> tuple[str, ...]:
    return tuple(f'.st-key-kpi-{kid} [data-testid="stMetricValue"]' for kid in ids)


# The first section of each page, by the element keys its view gives (`st-key-…`).
SCREENS = {
    # the score, the action counts and three communes of the league
    "overview": Screen(
        (".st-key-ld_score", ".st-key-ld_actions"),
        (("[class*='st-key-ld_row_']", 2),),
    ),
    # the reception cards
    "receptions": Screen(
        _cards(
            "reception_days",
            "reception_citizens",
            "reception_cases",
            "chair_reception_days",
            "chair_reception_citizens",
        ),
    ),
    # the six petition cards
    "petitions": Screen(
        _cards(
            "petitions_received",
            "petitions_in_jurisdiction",
            "petitions_resolution_rate",
            "petitions_on_time_rate",
            "petitions_overdue_open",
            "prolonged_cases_resolved_rate",
        ),
    ),
    # the nine dossier cards
    "procedures": Screen(
        _cards(
            "dossiers_received",
            "dossiers_resolved",
            "dossiers_on_time_rate",
            "dossiers_early_rate",
            "dossiers_late",
            "dossiers_overdue_open",
            "dossiers_online_rate",
            "dossiers_avg_days",
            "late_apology_rate",
        ),
    ),
    # the two rating cards
    "staff": Screen(
        _cards("staff_good_or_better_rate_admin", "staff_good_or_better_rate_service"),
    ),
    # the import tab: the template download and the upload box
    "data": Screen((".st-key-data_template", ".st-key-data_upload_box")),
    # the first list: its table (a table carries no key class), or the notice it is empty
    "actions": Screen(
        (f"{MAIN} [data-testid='stDataFrame'], [data-testid='stAlertContentSuccess']",),
    ),
    # the three "prepare" buttons
    "report": Screen(
        (".st-key-report_docx_make", ".st-key-report_pdf_make", ".st-key-report_xlsx_make"),
    ),
    # the accounts table
    "admin": Screen((f"{MAIN} [data-testid='stDataFrame']",)),
}


def scale_of(db: Path) -> int | None:
    from data.warehouse import read_meta

    value = read_meta(db).get("demo_scale")
    return int(value) if value and value.isdigit() else None


def refuse_outdated(db: Path) -> None:
    """The dashboard rebuilds an outdated demo warehouse in place: never let a benchmark
    write to the file it measures."""
    from data.warehouse import needs_upgrade

    if needs_upgrade(db):
        sys.exit(f"{db} is outdated for this code: the dashboard would rebuild it; stopping")


def bench_env(db: Path) -> dict[str, str]:
    """The server's (and AppTest's) environment: the warehouse, and an accounts file of its
    own that does not exist, so every page opens without login (local mode)."""
    accounts = Path(tempfile.gettempdir()) / "danvan-bench-no-accounts.db"
    accounts.unlink(missing_ok=True)
    return {"DANVAN_DB": str(db), "DANVAN_ACCOUNTS": str(accounts)}


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def fmt_ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def mark(value: float | None, target: float | None) -> str:
    if value is None or target is None:
        return ""
    return "✓" if value < target else "✗"


# ----------------------------------------------------------------------------- AppTest


def apptest_child(key: str, db: Path, runs: int) -> None:
    """In a fresh process: the page's first script run, then `runs` warm ones, each in a
    new session; one JSON line on stdout."""
    os.environ.update(bench_env(db))
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    from views.links import PAGES

    _, path, _ = PAGES[key]

    def once() -> tuple[float, str]:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        at.query_params["year"] = "2025"
        # Before a session's first run, AppTest.switch_page finds a page by its file name
        # only ("report_page", not the URL path "report"): name the page's hash (that of
        # its URL path, as st.Page computes it) so each run is a new session's first run.
        at._page_hash = calc_hash(path or key)
        start = time.perf_counter()
        at.run()
        ms = (time.perf_counter() - start) * 1000
        if at.exception:
            raise RuntimeError(f"{key}: {at.exception[0].value}")
        return ms, at.title[0].value if at.title else ""

    cold, title = once()
    warm = [once()[0] for _ in range(runs)]
    print(json.dumps({"cold_ms": cold, "warm_ms": warm, "title": title}))


def apptest_page(key: str, db: Path, runs: int) -> dict:
    out = subprocess.run(
        [sys.executable, str(Path(__file__)), "apptest", key, str(db), str(runs)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        tail = (out.stderr or out.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"AppTest run of {key} failed: {' | '.join(tail)}")
    result = json.loads(lines[-1])
    if result["title"] != heading(key):
        raise RuntimeError(f"AppTest opened {result['title']!r}, not the {key} page")
    return result


# ----------------------------------------------------------------------------- Chromium


def _browser_tools():
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    try:
        from conftest import CHROMIUM, LAUNCH_ARGS, serve
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        return None
    if not Path(CHROMIUM).exists():
        return None
    return CHROMIUM, LAUNCH_ARGS, serve


@contextlib.contextmanager
def server(db: Path, name: str) -> Iterator[str]:
    tools = _browser_tools()
    assert tools is not None
    log = Path(tempfile.gettempdir()) / f"danvan-bench-{name}.log"
    with tools[2](db, log, bench_env(db)) as url:
        yield url


def heading(key: str) -> str:
    return t(f"page_{key}", "vi")


def wait_first_screen(page, key: str) -> None:
    screen = SCREENS[key]
    page.get_by_role("heading", name=heading(key), level=1).wait_for(timeout=TIMEOUT_MS)
    for selector in screen.selectors:
        page.locator(selector).first.wait_for(timeout=TIMEOUT_MS)
    for selector, nth in screen.nth:
        page.locator(selector).nth(nth).wait_for(timeout=TIMEOUT_MS)


def visit(context, url: str, key: str) -> tuple[float, float, float]:
    """Open the page in a new tab of `context`: seconds to the first screen, to the end of
    the script run (the status widget gone) and to the load event (the app's shell: its
    HTML and scripts loaded, before the server has sent any element)."""
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, timeout=TIMEOUT_MS)
    shell = time.perf_counter() - start
    wait_first_screen(page, key)
    first = time.perf_counter() - start
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=TIMEOUT_MS)
    done = time.perf_counter() - start
    page.close()
    return first, done, shell


def browser_page(browser, db: Path, key: str, repeat: int) -> dict:
    """A fresh server for the cold visit; then `repeat` visits each in a new context (a),
    and `repeat` repeat visits in one context whose cache a first visit filled (b)."""
    from views.links import PAGE_PATHS

    with server(db, f"page-{key}") as base:
        url = base + PAGE_PATHS[key] + QUERY
        ctx = browser.new_context(viewport=VIEWPORT)
        cold = visit(ctx, url, key)
        ctx.close()
        fresh = []
        for _ in range(repeat):
            ctx = browser.new_context(viewport=VIEWPORT)
            fresh.append(visit(ctx, url, key))
            ctx.close()
        ctx = browser.new_context(viewport=VIEWPORT)
        visit(ctx, url, key)  # fills this context's HTTP cache
        cached = [visit(ctx, url, key) for _ in range(repeat)]
        ctx.close()
    return {
        "cold": cold[0],
        "warm_new": statistics.median(r[0] for r in fresh),
        "warm_new_done": statistics.median(r[1] for r in fresh),
        "warm_new_shell": statistics.median(r[2] for r in fresh),
        "warm_cached": statistics.median(r[0] for r in cached),
        "warm_cached_shell": statistics.median(r[2] for r in cached),
    }


def pages(db: Path, keys: list[str] | None, runs: int, repeat: int, browser: bool) -> None:
    refuse_outdated(db)
    scale = scale_of(db)
    app_target = APPTEST_TARGET_MS.get(scale or 0)
    browser_target = BROWSER_TARGET_S.get(scale or 0)
    keys = keys or list(SCREENS)
    print(f"\npages, {QUERY}, all communes, scale {scale}; load average {load()}")
    app: dict[str, dict] = {}
    for key in keys:
        app[key] = apptest_page(key, db, runs)
        warm = statistics.median(app[key]["warm_ms"])
        print(f"  AppTest {key:<11} cold {app[key]['cold_ms']:7,.0f} ms, warm {warm:5,.0f} ms")
    web: dict[str, dict] = {}
    tools = _browser_tools() if browser else None
    if tools:
        from playwright.sync_api import sync_playwright

        chromium, args, _ = tools
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=chromium, args=args)
            for key in keys:
                web[key] = browser_page(b, db, key, repeat)
                print(
                    f"  Chromium {key:<10} cold {web[key]['cold']:.2f} s, "
                    f"warm new context {web[key]['warm_new']:.2f} s, "
                    f"repeat visit {web[key]['warm_cached']:.2f} s"
                )
            b.close()
    elif browser:
        print("  (no Chromium or Playwright: browser columns left empty)")
    print(f"load average after: {load()}")
    print_pages_table(keys, app, web, app_target, browser_target, runs, repeat)


def print_pages_table(
    keys: list[str],
    app: dict[str, dict],
    web: dict[str, dict],
    app_target: float | None,
    browser_target: float | None,
    runs: int,
    repeat: int,
) -> None:
    at = f"< {app_target:.0f} ms" if app_target else "no target"
    bt = f"< {browser_target:.1f} s" if browser_target else "no target"
    print(
        f"\nAppTest, ms: cold = first run in a fresh process; warm = median of {runs} new "
        f"sessions (target {at}).\nChromium, ms to the first screen: cold = fresh server, new "
        f"context; (a) = warm server, new context (no HTTP cache); (b) = warm server, same "
        f"context (a repeat visit); medians of {repeat} (target {bt}); shell = the load event "
        f"(the app's HTML and scripts, before any element); done = the script run finished.\n"
    )
    head = (
        f"{'page':<11} {'AT cold':>8} {'AT warm':>8} {'':1}  {'Cr cold':>8} "
        f"{'Cr (a)':>7} {'':1} {'shell':>6} {'done':>7}  {'Cr (b)':>7} {'':1} {'shell':>6}"
    )
    print(head)
    print("-" * len(head))
    target = browser_target * 1000 if browser_target else None
    for key in keys:
        a = app[key]
        warm = statistics.median(a["warm_ms"])
        w = web.get(key, {})

        def ms(name: str, w: dict = w) -> float | None:
            return w[name] * 1000 if name in w else None

        print(
            f"{key:<11} {fmt_ms(a['cold_ms']):>8} {fmt_ms(warm):>8} {mark(warm, app_target):1}  "
            f"{fmt_ms(ms('cold')):>8} "
            f"{fmt_ms(ms('warm_new')):>7} {mark(ms('warm_new'), target):1} "
            f"{fmt_ms(ms('warm_new_shell')):>6} {fmt_ms(ms('warm_new_done')):>7}  "
            f"{fmt_ms(ms('warm_cached')):>7} {mark(ms('warm_cached'), target):1} "
            f"{fmt_ms(ms('warm_cached_shell')):>6}"
        )


# ----------------------------------------------------------------------------- sessions


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # the parent pid is the second field after the command name in parentheses
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            kids.append(int(entry))
    return kids


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def server_pid() -> int:
    """The streamlit server this process started (conftest's serve keeps its Popen)."""
    for pid in _children(os.getpid()):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in cmd:
            return pid
    raise RuntimeError("no streamlit server among this process's children")


class MemorySampler(threading.Thread):
    """The resident memory of a process tree every 100 ms (the tree itself every second)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.last_kb = pid, 0, 0
        self._halt = threading.Event()

    def run(self) -> None:
        tree, refreshed = _tree(self.pid), time.monotonic()
        while not self._halt.is_set():
            if time.monotonic() - refreshed > 1:
                tree, refreshed = _tree(self.pid), time.monotonic()
            self.last_kb = sum(_rss_kb(p) for p in tree)
            self.peak_kb = max(self.peak_kb, self.last_kb)
            self._halt.wait(0.1)

    def reset_peak(self) -> None:
        self.peak_kb = self.last_kb

    def stop(self) -> None:
        self._halt.set()
        self.join()


async def _round(browser, url: str, n: int) -> list[float]:
    """N new contexts and tabs, then every tab opens the link at once (the barrier: all
    navigations start in the same event-loop turn); seconds from then to each first screen."""
    contexts = [await browser.new_context(viewport=VIEWPORT) for _ in range(n)]
    tabs = [await c.new_page() for c in contexts]
    key = "overview"
    screen = SCREENS[key]

    async def one(page) -> float:
        await page.goto(url, timeout=TIMEOUT_MS)
        await page.get_by_role("heading", name=heading(key), level=1).wait_for(timeout=TIMEOUT_MS)
        for selector in screen.selectors:
            await page.locator(selector).first.wait_for(timeout=TIMEOUT_MS)
        for selector, nth in screen.nth:
            await page.locator(selector).nth(nth).wait_for(timeout=TIMEOUT_MS)
        return time.perf_counter() - start

    start = time.perf_counter()
    times = await asyncio.gather(*(one(t) for t in tabs))
    for c in contexts:
        await c.close()
    return list(times)


def _stats(times: list[float]) -> tuple[float, float, float]:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return statistics.median(ordered), p90, ordered[-1]


def sessions(db: Path, n: int) -> None:
    refuse_outdated(db)
    tools = _browser_tools()
    if not tools:
        print("sessions: no Chromium or Playwright")
        return
    from playwright.async_api import async_playwright

    chromium, args, _ = tools
    before = load()
    results: dict[str, tuple[list[float], int, str]] = {}
    with server(db, "sessions") as base:
        sampler = MemorySampler(server_pid())
        sampler.start()
        time.sleep(0.5)
        idle_kb = sampler.last_kb

        async def main() -> None:
            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=chromium, args=args)
                for name in ("cold server", "warm server"):
                    sampler.reset_peak()
                    at_start = load()
                    times = await _round(browser, base + QUERY, n)
                    results[name] = (times, sampler.peak_kb, at_start)
                await browser.close()

        asyncio.run(main())
        end_kb = sampler.last_kb
        sampler.stop()
    after = load()
    scale = scale_of(db)
    print(
        f"\n{n} concurrent sessions of the landing page ({QUERY}), scale {scale}, one server,"
        f"\none Chromium process with {n} browser contexts (one tab each), on this machine"
        f" ({os.cpu_count()} cores).\nload average before {before}, after {after}."
        f"\nserver RSS (process tree): just started, no session yet {idle_kb / 1024:,.0f} MB, "
        f"at the end {end_kb / 1024:,.0f} MB"
    )
    head = (
        f"{'round':<12} {'median s':>9} {'':1} {'p90 s':>6} {'max s':>6} {'peak RSS MB':>12} {'':1}"
    )
    print(head)
    print("-" * len(head))
    for name, (times, peak_kb, at_start) in results.items():
        median, p90, top = _stats(times)
        mb = peak_kb / 1024
        print(
            f"{name:<12} {median:9.2f} {mark(median, SESSIONS_TARGET_S):1} {p90:6.2f} "
            f"{top:6.2f} {mb:12,.0f} {mark(mb, SESSIONS_MEMORY_TARGET_MB):1}  {at_start}"
        )
    print(
        f"targets: median < {SESSIONS_TARGET_S:.0f} s, server memory "
        f"< {SESSIONS_MEMORY_TARGET_MB / 1024:.0f} GB"
    )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "apptest":
        apptest_child(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit("run through scripts/bench.py --only pages|sessions")
