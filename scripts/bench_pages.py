"""Benchmark of every page and of many concurrent sessions, called from scripts/bench.py.

    python scripts/bench.py --only pages [--db PATH] [--page KEY ...] [--no-browser]
    python scripts/bench.py --only sessions [--db PATH] [--sessions 20]

`pages`: for each page of views/links.py, the AppTest script run for `?year=2025`, all
communes, cold (the first run in a fresh Python process) and warm (median of new sessions
in that process, its caches filled), then the time Chromium takes to draw the page's first
screen: cold (a fresh server, a new browser context), warm (a) on the warm server in a new
browser context (no HTTP cache: a forwarded link opened on a new device) and warm (b) on the
warm server in the same context (the browser's cache warm: a repeat visit).

`sessions`: N tabs of one Chromium process (one browser context each, so no shared cache
or cookies) open the landing link at the same moment; each times its first screen. Against
the dashboard, three rounds: new browsers on the cold server (the day's first visitors), new
browsers on the warm server, then returning visitors (each tab has opened the link once
before, one tab after the other, so its context's HTTP cache holds the app's scripts; after
a pause all open it again at the same moment). Then the same new-browser and returning
rounds against a bare Streamlit page with the same title and element keys
(scripts/bench_floor_app.py), on a server of its own started after the dashboard's is
stopped: the floor, what Streamlit and these browsers cost on this machine with nothing of
the dashboard. Each server's resident memory (its process and children, from /proc) is
sampled every 100 ms; the CPU seconds of the server and of the browser side are counted
over each round's timed part.

Figures are printed, not asserted: the machine is shared and noisy.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
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
BROWSER_TARGET_MS = {100: 1500}
SESSIONS_TARGET_S = 5.0
SESSIONS_MEMORY_TARGET_MB = 2048
DASHBOARD_APP = ROOT / "dashboard.py"
FLOOR_APP = ROOT / "scripts" / "bench_floor_app.py"
SETTLE_S = 10  # between rounds: the previous round's renderers wind down
RETURN_PAUSE_S = 3  # returning visitors: between the visits that fill the cache and the round


@dataclass(frozen=True)
class Screen:
    """A page's first screen: its title heading (`page_<key>` in views/i18n.py) and the
    elements of its first section."""

    selectors: tuple[str, ...]
    nth: tuple[tuple[str, int], ...] = field(default=())  # (selector, index) to wait for


MAIN = "[data-testid='stMain']"


def _cards(n: int) -> Screen:
    """The first `n` KPI cards of the page (the figures tab draws them first)."""
    card = '[class*="st-key-kpi-"] [data-testid="stMetricValue"]'
    return Screen((card,), ((card, n - 1),))


# The first section of each page, by the element keys its view gives (`st-key-…`).
SCREENS = {
    # the score, the action counts and three communes of the league
    "overview": Screen(
        (".st-key-ld_score", ".st-key-ld_actions"),
        (("[class*='st-key-ld_row_']", 2),),
    ),
    # the first section of the figures tab: its cards, in the page's order
    "receptions": _cards(5),
    "petitions": _cards(6),
    "procedures": _cards(9),
    "staff": _cards(2),
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
    return "—" if value is None or math.isnan(value) else f"{value:,.0f}"


def mark(value: float | None, target: float | None) -> str:
    if value is None or math.isnan(value) or target is None:
        return ""
    return "✓" if value < target else "✗"


# ----------------------------------------------------------------------------- AppTest


def apptest_child(key: str, db: Path, runs: int) -> None:
    """In a fresh process: the page's first script run, then `runs` warm ones, each in a
    new session; then, on a page with tabs, `runs` warm ones of each further tab (what a
    click on the tab waits for); one JSON line on stdout."""
    os.environ.update(bench_env(db))
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    from views.links import PAGE_TABS, PAGES

    _, path, _ = PAGES[key]

    def once(tab: str | None = None) -> tuple[float, str]:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        at.query_params["year"] = "2025"
        if tab:
            at.query_params["tab"] = tab
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
    tabs, tabs_first = {}, {}
    for tab in PAGE_TABS.get(key, ())[1:]:
        tabs_first[tab] = once(tab)[0]  # its own queries not cached yet
        tabs[tab] = statistics.median(once(tab)[0] for _ in range(runs))
    print(
        json.dumps(
            {
                "cold_ms": cold,
                "warm_ms": warm,
                "tabs_ms": tabs,
                "tabs_first_ms": tabs_first,
                "title": title,
            }
        )
    )


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
def server(db: Path, name: str, app: Path = DASHBOARD_APP) -> Iterator[str]:
    """A Streamlit server of `app` (the dashboard unless told) on `db`; its base URL."""
    tools = _browser_tools()
    assert tools is not None
    log = Path(tempfile.gettempdir()) / f"danvan-bench-{name}.log"
    with tools[2](db, log, bench_env(db), app=app) as url:
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


def drawn_script(key: str) -> str:
    """A script run in the page before its own: when every element of the first screen is
    in the document, the next animation frame (the frame that paints them) is stamped in
    `window.__drawn`, in ms from the navigation start. The browser's own clock: the polling
    of the test driver, which adds a round trip per element waited for, is left out."""
    screen = SCREENS[key]
    want = [{"sel": f"{MAIN} h1", "n": 1}]
    want += [{"sel": sel, "n": 1} for sel in screen.selectors]
    want += [{"sel": sel, "n": nth + 1} for sel, nth in screen.nth]
    return (
        "(() => { const want = " + json.dumps(want) + "; window.__drawn = null; let seen = false;"
        " const check = () => { if (seen) return;"
        " if (want.every(w => document.querySelectorAll(w.sel).length >= w.n)) { seen = true;"
        " requestAnimationFrame(() => { window.__drawn = performance.now(); }); } };"
        " new MutationObserver(check).observe(document, {subtree: true, childList: true}); })();"
    )


def read_drawn(page) -> float:
    """Seconds from the navigation start to the first screen painted (`drawn_script`)."""
    page.wait_for_function("window.__drawn !== null", timeout=TIMEOUT_MS)
    return page.evaluate("window.__drawn") / 1000


def visit(context, url: str, key: str) -> dict[str, float]:
    """Open the page in a new tab of `context`; seconds from the navigation to: the load
    event (`shell`: the app's HTML and scripts, before any element), the last message of
    the server's script run (`sent`: the last websocket frame before the run is seen to
    end), the first screen drawn (`first`) and the status widget gone (`done`)."""
    page = context.new_page()
    page.add_init_script(drawn_script(key))
    frames: list[float] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda _: frames.append(time.perf_counter())),
    )
    start = time.perf_counter()
    page.goto(url, timeout=TIMEOUT_MS)
    shell = time.perf_counter() - start
    wait_first_screen(page, key)
    first = time.perf_counter() - start
    drawn = read_drawn(page)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=TIMEOUT_MS)
    done = time.perf_counter() - start
    charts = page.locator(f"{MAIN} [data-testid='stPlotlyChart']").count()
    tables = page.locator(f"{MAIN} [data-testid='stDataFrame']").count()
    page.close()
    sent = max((f - start for f in frames if f - start <= done), default=float("nan"))
    return {
        "shell": shell,
        "sent": sent,
        "first": first,
        "drawn": drawn,
        "done": done,
        "charts": charts,
        "tables": tables,
    }


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
    out = {"cold": cold["first"], "cold_drawn": cold["drawn"]}
    out |= {"charts": cold["charts"], "tables": cold["tables"]}
    for name, runs in (("warm_new", fresh), ("warm_cached", cached)):
        out[name] = statistics.median(r["first"] for r in runs)
        for part in ("shell", "sent", "drawn", "done"):
            out[f"{name}_{part}"] = statistics.median(r[part] for r in runs)
    return out


def pages(db: Path, keys: list[str] | None, runs: int, repeat: int, browser: bool) -> None:
    refuse_outdated(db)
    scale = scale_of(db)
    app_target = APPTEST_TARGET_MS.get(scale or 0)
    browser_target = BROWSER_TARGET_MS.get(scale or 0)
    keys = keys or list(SCREENS)
    print(f"\npages, {QUERY}, all communes, scale {scale}; load average {load()}")
    app: dict[str, dict] = {}
    for key in keys:
        app[key] = apptest_page(key, db, runs)
        warm = statistics.median(app[key]["warm_ms"])
        tabs = ", ".join(
            f"{tab} {app[key]['tabs_first_ms'][tab]:,.0f}/{ms:,.0f}"
            for tab, ms in app[key]["tabs_ms"].items()
        )
        print(
            f"  AppTest {key:<11} cold {app[key]['cold_ms']:7,.0f} ms, warm {warm:5,.0f} ms"
            + (f"; each further tab, first/warm (ms): {tabs}" if tabs else "")
        )
    web: dict[str, dict] = {}
    tools = _browser_tools() if browser else None
    if tools:
        from playwright.sync_api import sync_playwright

        chromium, args, _ = tools
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=chromium, args=args)
            for key in keys:
                web[key] = browser_page(b, db, key, repeat)
                w = web[key]
                print(
                    f"  Chromium {key:<10} cold {w['cold']:.2f} s, "
                    f"warm new context {w['warm_new']:.2f} s (shell {w['warm_new_shell']:.2f}, "
                    f"sent {w['warm_new_sent']:.2f}, drawn {w['warm_new_drawn']:.2f}, "
                    f"done {w['warm_new_done']:.2f}), repeat visit {w['warm_cached']:.2f} s "
                    f"(drawn {w['warm_cached_drawn']:.2f})"
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
    at = f"< {app_target:.0f} ms" if app_target else "none"
    bt = f"< {browser_target:.0f} ms" if browser_target else "none"
    print(
        f"\nAppTest, ms: cold = first run in a fresh process; warm = median of {runs} new "
        f"sessions (target {at}); tab 1st / AT tab = the page's slowest further tab (by "
        f"`tab=` in the link; a domain page opens on its figures), its first run in the "
        f"process (its own queries not cached yet) / its warm run.\n"
        f"Chromium, ms to the first screen: cold = fresh server, new "
        f"context; (a) = warm server, new context (no HTTP cache); (b) = warm server, same "
        f"context (a repeat visit); medians of {repeat} (target {bt}).\nshell = the load "
        f"event (the app's HTML and scripts, before any element); sent = the server's last "
        f"message of the script run; done = the end of the run seen in the page.\n"
        f"Cr = seen by the test driver (it polls, one round trip per element); drawn = the "
        f"frame that paints the first screen, on the browser's own clock from the navigation "
        f"start (the figure the target is read against).\n"
    )
    cols = [
        ("AT cold", "cold_ms", None),
        ("AT warm", "warm", app_target),
        ("tab 1st", "slowest_tab_first", None),
        ("AT tab", "slowest_tab", app_target),
        ("Cr cold", "cold", None),
        ("drawn", "cold_drawn", None),
        ("Cr (a)", "warm_new", None),
        ("drawn", "warm_new_drawn", browser_target),
        ("shell", "warm_new_shell", None),
        ("sent", "warm_new_sent", None),
        ("done", "warm_new_done", None),
        ("Cr (b)", "warm_cached", None),
        ("drawn", "warm_cached_drawn", browser_target),
    ]
    if not web:
        cols = cols[:4]
    head = f"{'page':<11}" + "".join(
        f" {label:>8}" + ("  " if target else "") for label, _, target in cols
    )
    print(head)
    print("-" * len(head))
    for key in keys:
        row = {"cold_ms": app[key]["cold_ms"], "warm": statistics.median(app[key]["warm_ms"])}
        tabs = app[key]["tabs_ms"]
        row["slowest_tab"] = max(tabs.values()) if tabs else None
        first = app[key]["tabs_first_ms"]
        row["slowest_tab_first"] = max(first.values()) if first else None
        w = web.get(key, {})
        row |= {k: v * 1000 for k, v in w.items() if k not in ("charts", "tables")}
        line = f"{key:<11}"
        for _, name, target in cols:
            value = row.get(name)
            line += f" {fmt_ms(value):>8}"
            if target:
                line += f" {mark(value, target):1}"
        print(line + (f"  {w['charts']} charts, {w['tables']} tables" if w else ""))


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


def server_pid(app: Path = DASHBOARD_APP) -> int:
    """The streamlit server of `app` this process started (conftest's serve keeps its
    Popen): matched by the app's path on its command line, so two servers are told apart."""
    for pid in _children(os.getpid()):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in cmd and str(app).encode() in cmd:
            return pid
    raise RuntimeError(f"no streamlit server of {app.name} among this process's children")


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


def _cpu_s(pids: list[int]) -> float:
    """User and system CPU seconds the processes have used so far (/proc/<pid>/stat)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass
class Round:
    """One round of concurrent sessions: per session, seconds from the common start to
    the load event (shell), to the last websocket message before its first screen (sent)
    and to the first screen; the CPU seconds the server and the browser side used, the
    server's peak memory and the load average, all over the timed part only."""

    shell: list[float] = field(default_factory=list)
    sent: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    drawn: list[float] = field(default_factory=list)  # in the page, from its navigation start
    server_cpu: float = 0.0
    browser_cpu: float = 0.0
    peak_kb: int = 0
    load: str = ""


async def _wait_first_screen(page, key: str) -> None:
    screen = SCREENS[key]
    await page.get_by_role("heading", name=heading(key), level=1).wait_for(timeout=TIMEOUT_MS)
    for selector in screen.selectors:
        await page.locator(selector).first.wait_for(timeout=TIMEOUT_MS)
    for selector, nth in screen.nth:
        await page.locator(selector).nth(nth).wait_for(timeout=TIMEOUT_MS)


async def _round(
    browser, url: str, n: int, server: int, sampler: MemorySampler, returning: bool
) -> Round:
    """N new contexts and tabs, then every tab opens the link at once (the barrier: all
    navigations start in the same event-loop turn). `returning`: before that, each tab
    opens the link once, one after the other, untimed, until its first screen, and after a
    pause of RETURN_PAUSE_S the round opens it again in the same tab (a new navigation:
    the context's HTTP cache holds what the first visit fetched)."""
    contexts = [await browser.new_context(viewport=VIEWPORT) for _ in range(n)]
    tabs = [await c.new_page() for c in contexts]
    key = "overview"
    out = Round()
    # Per tab, the websocket frames received, each with the navigation that opened its
    # socket (0: the untimed visit, 1: the timed one), so a late frame of the first visit
    # never counts as a message of the timed one.
    frames: list[list[tuple[int, float]]] = [[] for _ in tabs]
    navigation = [0]

    def listen(i: int):
        def on_socket(ws) -> None:
            nav = navigation[0]
            ws.on("framereceived", lambda _: frames[i].append((nav, time.perf_counter())))

        return on_socket

    for i, tab in enumerate(tabs):
        await tab.add_init_script(drawn_script(key))
        tab.on("websocket", listen(i))
    if returning:
        for tab in tabs:
            await tab.goto(url, timeout=TIMEOUT_MS)
            await _wait_first_screen(tab, key)
        await asyncio.sleep(RETURN_PAUSE_S)
    navigation[0] = 1

    async def one(i: int, page) -> None:
        await page.goto(url, timeout=TIMEOUT_MS)
        out.shell.append(time.perf_counter() - start)
        await _wait_first_screen(page, key)
        out.first.append(time.perf_counter() - start)
        timed = [at for nav, at in frames[i] if nav == 1]
        out.sent.append(max(timed, default=float("nan")) - start)
        await page.wait_for_function("window.__drawn !== null", timeout=TIMEOUT_MS)
        out.drawn.append(await page.evaluate("window.__drawn") / 1000)

    # The browser side: every process this one started but the server (the Playwright
    # driver, Chromium and its renderers, which live as long as their contexts).
    others = [p for p in _tree(os.getpid()) if p not in _tree(server) and p != os.getpid()]
    cpu = _cpu_s(_tree(server)), _cpu_s(others)
    sampler.reset_peak()
    out.load = load()
    start = time.perf_counter()
    await asyncio.gather(*(one(i, t) for i, t in enumerate(tabs)))
    out.peak_kb = sampler.peak_kb
    others = [p for p in _tree(os.getpid()) if p not in _tree(server) and p != os.getpid()]
    out.server_cpu = _cpu_s(_tree(server)) - cpu[0]
    out.browser_cpu = _cpu_s(others) - cpu[1]
    for c in contexts:
        await c.close()
    return out


def _stats(times: list[float]) -> tuple[float, float, float]:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return statistics.median(ordered), p90, ordered[-1]


@dataclass
class Served:
    """The rounds run against one server, and its resident memory before and after."""

    rounds: dict[str, Round] = field(default_factory=dict)
    idle_kb: int = 0
    end_kb: int = 0


def serve_rounds(
    db: Path, app: Path, name: str, n: int, rounds: list[tuple[str, bool]], warm_up: bool
) -> Served:
    """A server of `app` and a Chromium process of its own; `rounds` of N sessions as
    (label, returning), each after SETTLE_S. `warm_up`: one untimed visit first (a new
    context, until its first screen), so the first round meets a warm server."""
    from playwright.async_api import async_playwright

    chromium, args, _ = _browser_tools()
    served = Served()
    with server(db, name, app) as base:
        pid = server_pid(app)
        sampler = MemorySampler(pid)
        sampler.start()
        time.sleep(0.5)
        served.idle_kb = sampler.last_kb

        async def main() -> None:
            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=chromium, args=args)
                if warm_up:
                    ctx = await browser.new_context(viewport=VIEWPORT)
                    page = await ctx.new_page()
                    await page.goto(base + QUERY, timeout=TIMEOUT_MS)
                    await _wait_first_screen(page, "overview")
                    await ctx.close()
                for label, returning in rounds:
                    await asyncio.sleep(SETTLE_S)
                    served.rounds[label] = await _round(
                        browser, base + QUERY, n, pid, sampler, returning
                    )
                await browser.close()

        asyncio.run(main())
        served.end_kb = sampler.last_kb
        sampler.stop()
    return served


DASH_COLD = "dashboard, cold server, new browsers"
DASH_WARM = "dashboard, warm server, new browsers"
DASH_BACK = "dashboard, returning visitors"
FLOOR_NEW = "floor, new browsers"
FLOOR_BACK = "floor, returning visitors"


def sessions(db: Path, n: int) -> None:
    refuse_outdated(db)
    if not _browser_tools():
        print("sessions: no Chromium or Playwright")
        return
    before = load()
    dash = serve_rounds(
        db,
        DASHBOARD_APP,
        "sessions",
        n,
        [(DASH_COLD, False), (DASH_WARM, False), (DASH_BACK, True)],
        warm_up=False,
    )
    floor = serve_rounds(
        db, FLOOR_APP, "sessions-floor", n, [(FLOOR_NEW, False), (FLOOR_BACK, True)], warm_up=True
    )
    after = load()
    scale = scale_of(db)
    print(
        f"\n{n} concurrent sessions of the landing page ({QUERY}), scale {scale}, on this machine"
        f" ({os.cpu_count()} cores); per server one Chromium process, per round {n} new browser"
        f" contexts (one tab each).\nload average before {before}, after {after}."
        f"\nRounds, in this order, {SETTLE_S} s apart:"
        f"\n  dashboard, cold server: the server's first {n} sessions; warm server: the next"
        f" {n}, in new contexts (no HTTP cache: a forwarded link opened on new devices);"
        f"\n  returning visitors: {n} new contexts each open the link once, one after the"
        f" other (untimed, until the first screen), then after {RETURN_PAUSE_S} s all open it"
        f" again in the same tab at the same moment (their HTTP cache holds the scripts);"
        f"\n  floor: a bare Streamlit page with the same title and the five element keys waited"
        f" for (scripts/bench_floor_app.py), nothing of the dashboard, on its own server started"
        f" after the dashboard's stopped and warmed by one visit; the same new-browser and"
        f" returning rounds.\nserver RSS (process tree), just started / at the end: dashboard"
        f" {dash.idle_kb / 1024:,.0f} / {dash.end_kb / 1024:,.0f} MB, floor"
        f" {floor.idle_kb / 1024:,.0f} / {floor.end_kb / 1024:,.0f} MB\n"
        f"seconds from the common start: first screen seen by the driver (median, p90, max);"
        f" drawn: median of the painted first screen on each tab's clock; medians of the "
        f"load event (shell) and of the last server message before the first screen (sent);"
        f"\nCPU seconds used during the round by the server and by the browser side; the"
        f" server's peak RSS and the load average at the round's common start.\n"
    )
    width = max(len(name) for name in (DASH_COLD, DASH_WARM, DASH_BACK, FLOOR_NEW, FLOOR_BACK))
    head = (
        f"{'round':<{width}} {'median':>7} {'':1} {'p90':>6} {'max':>6} {'drawn':>6} "
        f"{'shell':>6} {'sent':>6} "
        f"{'srv CPU':>8} {'browser CPU':>12} {'peak RSS MB':>12} {'':1}  load average at start"
    )
    print(head)
    print("-" * len(head))
    rows = [(name, r, True) for name, r in dash.rounds.items()]
    rows += [(name, r, False) for name, r in floor.rounds.items()]
    for name, r, targets in rows:
        median, p90, top = _stats(r.first)
        mb = r.peak_kb / 1024
        time_mark = mark(median, SESSIONS_TARGET_S) if targets else ""
        memory_mark = mark(mb, SESSIONS_MEMORY_TARGET_MB) if targets else ""
        print(
            f"{name:<{width}} {median:7.2f} {time_mark:1} {p90:6.2f} "
            f"{top:6.2f} {statistics.median(r.drawn):6.2f} "
            f"{statistics.median(r.shell):6.2f} {statistics.median(r.sent):6.2f} "
            f"{r.server_cpu:8.1f} {r.browser_cpu:12.1f} "
            f"{mb:12,.0f} {memory_mark:1}  {r.load}"
        )

    def ratio(a: str, b: str) -> str:
        da, db_ = _stats(dash.rounds[a].first)[0], _stats(floor.rounds[b].first)[0]
        return f"{da / db_:.1f}×" if db_ else "—"

    print(
        "dashboard median / floor median: new browsers (warm server) "
        f"{ratio(DASH_WARM, FLOOR_NEW)}, returning visitors {ratio(DASH_BACK, FLOOR_BACK)}"
    )
    print(
        f"targets (dashboard rows): median < {SESSIONS_TARGET_S:.0f} s, server memory "
        f"< {SESSIONS_MEMORY_TARGET_MB / 1024:.0f} GB"
    )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "apptest":
        apptest_child(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit("run through scripts/bench.py --only pages|sessions")
