"""The report a leader takes to the meeting: narrative, forms annex, DOCX / PDF / XLSX.

`make(filters, fmt, db, lang, as_of, template)` returns the file's bytes (the DOCX and PDF
with 2–3 charts drawn as images, `reports.charts`); `context()` gives
what the Word template shows. Figures come only from the metrics layer.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from metrics.engine import Db, Filters
from reports import forms as forms_mod
from reports import narrative

FORMATS = ("docx", "pdf", "xlsx")
REFORM_DAY = date(2025, 7, 1)


def issuer(filters: Filters, db: Db, uppers: list[tuple[str, str]]) -> tuple[str, str]:
    """(parent line, issuing body) for the header: the district before the reform, the
    province after it, or the one commune selected."""
    if len(filters.communes) == 1:
        from metrics.periods import commune_units

        names = {u.code: u.name for u in commune_units(db)}
        name = names.get(filters.communes[0], filters.communes[0])
        parent = next((nm for lv, nm in uppers if lv == "huyen"), uppers[0][1] if uppers else "")
        return (f"UBND {parent}".upper() if parent else "", f"UBND {name}".upper())
    levels = dict(uppers)
    if filters.date_to < REFORM_DAY and "huyen" in levels:
        return (f"UBND {levels.get('tinh', '')}".upper(), f"UBND {levels['huyen']}".upper())
    if "tinh" in levels:
        return ("", f"UBND {levels['tinh'].split(' / ')[-1]}".upper())
    return ("", "ỦY BAN NHÂN DÂN")


def context(filters: Filters, db: Db, lang: str = "vi", as_of: date | None = None) -> dict:
    nv = narrative.build(filters, db, lang, as_of)
    parent, body = issuer(filters, db, nv.upper_levels)
    body_short = body.removeprefix("UBND ").title()
    body_short = body_short[:1].lower() + body_short[1:]
    en = lang == "en"
    return {
        "issuer_parent": parent,
        "issuer": body,
        "number": "No: …/BC-UBND" if en else "Số: …/BC-UBND",
        "place_date": "…, date … month … year …" if en else "…, ngày … tháng … năm …",
        "title": "REPORT" if en else "BÁO CÁO",
        "subtitle": (
            f"Results of government mass-mobilisation work, {body_short}, {nv.period}"
            if en
            else f"Kết quả công tác dân vận chính quyền {body_short} {nv.period}"
        ),
        "period_line": nv.period,
        "sections": [
            {"title": f"{i}. {s.title}", "paragraphs": s.paragraphs}
            for i, s in enumerate(nv.sections, 1)
        ],
        "recipients": "- As above;\n- Archive." if en else "- Như trên;\n- Lưu: VT.",
        "sign_for": "ON BEHALF OF THE PEOPLE'S COMMITTEE" if en else "TM. ỦY BAN NHÂN DÂN",
        "sign_title": "CHAIRMAN" if en else "CHỦ TỊCH",
        "narrative": nv,
    }


def make(
    filters: Filters,
    out_format: str,
    db: Db = None,
    lang: str = "vi",
    as_of: date | None = None,
    template: Path | None = None,
    layouts: Path = forms_mod.LAYOUTS,
    with_charts: bool = True,
) -> bytes:
    """The report's file. The DOCX and PDF carry the charts (drawn in Chromium by kaleido);
    `with_charts=False` leaves them out."""
    if out_format not in FORMATS:
        raise ValueError(f"unknown format {out_format!r}")
    pending = None
    if out_format != "xlsx" and with_charts:
        from reports import charts as charts_mod

        pending = charts_mod.start(filters, db, lang)
    ctx = context(filters, db, lang, as_of)
    filled = forms_mod.fill_all(filters, db, lang, layouts)
    if out_format == "xlsx":
        from reports.xlsx_out import render as xlsx

        return xlsx(ctx, filled, lang)
    from reports.docx_out import render as docx

    data = docx(ctx, filled, lang, template, pending.result() if pending else [])
    if out_format == "pdf":
        from reports.pdf_out import docx_to_pdf

        return docx_to_pdf(data)
    return data
