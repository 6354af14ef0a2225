"""The report as a workbook: the narrative on the first sheet, one sheet per form.

Every text cell is written with `write_string`, so a value starting with = + - @ stays text
and is never a formula; numbers are numbers with the unit's Excel format.
"""

from __future__ import annotations

import io

import xlsxwriter

from metrics.format import xlsx_format
from reports.forms import NOT_IN_DATA, FilledForm


def render(context: dict, forms: list[FilledForm], lang: str) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    head = wb.add_format(
        {"bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter"}
    )
    cell = wb.add_format({"border": 1})
    num = wb.add_format({"border": 1, "num_format": xlsx_format("count", lang)})
    total = wb.add_format({"border": 1, "bold": True, "num_format": xlsx_format("count", lang)})
    miss = wb.add_format({"border": 1, "italic": True, "font_color": "#777777"})

    ws = wb.add_worksheet("Báo cáo" if lang != "en" else "Report")
    ws.set_column(0, 0, 110)
    row = 0
    for key in ("issuer", "title", "subtitle"):
        ws.write_string(row, 0, str(context[key]), bold)
        row += 1
    for s in context["sections"]:
        row += 1
        ws.write_string(row, 0, s["title"], bold)
        for p in s["paragraphs"]:
            row += 1
            ws.write_string(row, 0, p, wrap)
    missing = NOT_IN_DATA[1 if lang == "en" else 0]
    for form in forms:
        lay = form.layout
        ws = wb.add_worksheet(
            lay.code.replace("/", "-").replace("Biểu số ", "").replace("Biểu ", "")[:31]
        )
        ws.write_string(0, 0, f"{lay.code} ({lay.basis})", bold)
        ws.write_string(1, 0, lay.title_of(lang), bold)
        ws.write_string(2, 0, str(context["period_line"]))
        ws.write_string(4, 0, "TT", head)
        ws.write_string(4, 1, "Đơn vị" if lang != "en" else "Unit", head)
        ws.write_string(6, 0, "(1)", head)
        ws.write_string(6, 1, "(2)", head)
        ws.set_column(1, 1, 34)
        ws.set_column(2, 1 + len(lay.columns), 13)
        for j, c in enumerate(lay.columns, start=2):
            ws.write_string(4, j, c.group_label(lang), head)
            ws.write_string(5, j, c.label(lang), head)
            ws.write_string(6, j, f"({c.no})", head)
        for i, r in enumerate(form.rows):
            x = 7 + i
            ws.write_string(x, 0, "" if r.total else str(i + 1), cell)
            ws.write_string(x, 1, str(r.unit), cell)
            for j, c in enumerate(lay.columns, start=2):
                v = r.values.get(c.no)
                if v is None:
                    ws.write_string(x, j, missing, miss)
                else:
                    ws.write_number(x, j, v, total if r.total else num)
        if lay.note_of(lang):
            ws.write_string(8 + len(form.rows), 0, lay.note_of(lang))
    wb.close()
    return buf.getvalue()
