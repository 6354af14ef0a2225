"""Charts of the report as static images: Plotly figures from the metrics layer, drawn to
PNG by kaleido in the system Chromium, placed in the DOCX (and so the PDF) with a caption.

The figure builders are the dashboard's own (`views.charts`), so a chart in the report
reads like the chart on screen. Kaleido 1.x drives a Chromium; it is pointed at the system
browser (`DANVAN_CHROMIUM`, else `/usr/bin/chromium`) and never downloads one.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from metrics.engine import Db, Filters, compute, compute_by
from metrics.periods import commune_units

CHROMIUM = os.environ.get("DANVAN_CHROMIUM", "/usr/bin/chromium")
WIDTH, HEIGHT, SCALE = 900, 420, 2
FONT = "Liberation Serif, Times New Roman, serif"

TEXT = {
    "dossiers": (
        "Hồ sơ TTHC tiếp nhận, đã giải quyết và tỷ lệ đúng hạn theo tháng",
        "Dossiers received, resolved and the on-time rate by month",
    ),
    "receptions": (
        "Số buổi tiếp công dân và số cuộc đối thoại theo tháng",
        "Reception days and dialogues by month",
    ),
    "communes": (
        "Tỷ lệ hồ sơ giải quyết đúng hạn theo xã",
        "Dossiers resolved on time by commune",
    ),
    "overall": ("Chung", "Overall"),
    "caption": ("Biểu đồ {n}. {title}", "Chart {n}. {title}"),
}


def _t(key: str, lang: str) -> str:
    return TEXT[key][1 if lang == "en" else 0]


@dataclass(frozen=True)
class Chart:
    key: str
    caption: str
    png: bytes
    width_mm: float = 160  # on the page; the text block is 165 mm wide


def browser() -> str:
    """The Chromium kaleido drives; a clear error when there is none (never a download)."""
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not path:
        raise RuntimeError(
            f"Chromium is needed for the report charts: none at {CHROMIUM} "
            "(apt-get install chromium, or set DANVAN_CHROMIUM)"
        )
    return path


def figures(filters: Filters, db: Db, lang: str) -> list[tuple[str, object]]:
    """(key, Plotly figure) of the charts the view has data for, in report order."""
    from views import charts as vc

    out: list[tuple[str, object]] = []
    ids = ["dossiers_received", "dossiers_resolved", "dossiers_on_time_rate"]
    ids += ["reception_days", "dialogues"]
    months = compute_by(filters, "month", ids, db)
    if any(m["dossiers_received"].value for m in months.values()):
        fig = vc.monthly_combo(
            months,
            "dossiers_received",
            "dossiers_on_time_rate",
            lang,
            None,
            bar2_id="dossiers_resolved",
        )
        out.append(("dossiers", fig))
    if any(m["reception_days"].value or m["dialogues"].value for m in months.values()):
        fig = vc.monthly_combo(months, "reception_days", None, lang, None, bar2_id="dialogues")
        out.append(("receptions", fig))
    if filters.level in (None, "xa") and len(filters.communes) != 1:
        kid = "dossiers_on_time_rate"
        by_commune = compute_by(filters, "commune", [kid], db)
        if sum(1 for r in by_commune.values() if kid in r and r[kid].value is not None) > 1:
            names = {u.code: u.name for u in commune_units(db)}
            overall = compute(filters, [kid], db)[kid]
            fig = vc.ranked_by_commune(
                by_commune, kid, names, overall, lang, None, _t("overall", lang)
            )
            out.append(("communes", fig))
    return out


def _style(fig, key: str) -> dict:
    height = HEIGHT if key != "communes" else max(HEIGHT, int(fig.layout.height or HEIGHT))
    fig.update_layout(
        font={"family": FONT, "size": 15},
        paper_bgcolor="white",
        plot_bgcolor="white",
        width=WIDTH,
        height=height,
        margin={"l": 20, "r": 20, "t": 20, "b": 20},
    )
    fig.update_xaxes(showgrid=False, linecolor="#444")
    fig.update_yaxes(gridcolor="#ddd")
    return {"format": "png", "width": WIDTH, "height": height, "scale": SCALE}


async def _draw(figs: list[tuple[object, dict]]) -> list[bytes]:
    import kaleido

    # one browser for all the charts: starting Chromium is the slow part
    async with kaleido.Kaleido(n=1, path=browser(), mathjax=False, timeout=60) as k:
        return [await k.calc_fig(fig, opts=opts) for fig, opts in figs]


def to_png(figs: list[tuple[str, object]]) -> list[bytes]:
    """The figures as PNG bytes, drawn in one Chromium session."""
    if not figs:
        return []
    jobs = [(fig, _style(fig, key)) for key, fig in figs]
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_draw(jobs))
    # called from inside an event loop: draw in a worker thread with its own loop
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _draw(jobs)).result()


WIDTHS_MM = {"communes": 140}  # the tall commune ranking a little narrower


def charts_of(figs: list[tuple[str, object]], pngs: list[bytes], lang: str) -> list[Chart]:
    return [
        Chart(
            key,
            _t("caption", lang).format(n=i, title=_t(key, lang)),
            png,
            WIDTHS_MM.get(key, 160),
        )
        for i, ((key, _), png) in enumerate(zip(figs, pngs, strict=True), start=1)
    ]


def build(filters: Filters, db: Db = None, lang: str = "vi") -> list[Chart]:
    """The report's charts for the view (2 to 3, fewer when the data has none)."""
    figs = figures(filters, db, lang)
    return charts_of(figs, to_png(figs), lang)


def start(filters: Filters, db: Db = None, lang: str = "vi"):
    """Build the figures now and draw them in a background thread (Chromium's start-up
    overlaps the report's other queries); `.result()` gives the charts."""
    from concurrent.futures import ThreadPoolExecutor

    figs = figures(filters, db, lang)
    pool = ThreadPoolExecutor(1, thread_name_prefix="report-charts")
    future = pool.submit(lambda: charts_of(figs, to_png(figs), lang))
    pool.shutdown(wait=False)
    return future
