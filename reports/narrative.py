"""The report's text: per area, paragraphs in the register of an administrative report.

Every figure comes from the metrics layer (`compute_periods` for the period and the one
before, the scorecard, the action lists) and is printed through `metrics.format`. The
upper level's figures (district before 01/7/2025, province after) are computed with that
level's filter, the communes' with level `xa`, as the article reports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from metrics import format as fmt
from metrics.engine import Db, Filters, Result, compute_periods
from metrics.model import AREAS
from metrics.rules import applied, warehouse_rules
from reports.forms import upper_units

W = {
    "upper": {
        "huyen": ("UBND huyện", "The district People's Committee"),
        "tinh": ("UBND tỉnh", "The provincial People's Committee"),
    },
    "chair": {
        "huyen": ("Chủ tịch UBND huyện", "The district chairman"),
        "tinh": ("Chủ tịch UBND tỉnh", "The provincial chairman"),
    },
}


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Narrative:
    period: str  # "năm 2019" / "từ 01/03/2019 đến 30/06/2019"
    upper_levels: list[tuple[str, str]]
    sections: list[Section]


def _w(key: str, lv: str, lang: str) -> str:
    return W[key][lv][1 if lang == "en" else 0]


def period_text(f: Filters, lang: str) -> str:
    if f.is_calendar_year:
        return f"{f.date_from.year}" if lang == "en" else f"năm {f.date_from.year}"
    a, b = fmt.day(f.date_from, lang), fmt.day(f.date_to, lang)
    return f"from {a} to {b}" if lang == "en" else f"từ {a} đến {b}"


def n(x: float | int | None, lang: str) -> str:
    return fmt.number(x, lang)


def pct(r: Result, lang: str) -> str:
    return fmt.percent(r.value, lang)


def ratio(r: Result, lang: str) -> str:
    """'7/9 (77,78%)'"""
    return f"{n(r.numerator, lang)}/{n(r.denominator, lang)} ({pct(r, lang)})"


def change(now: Result, prev: Result | None, lang: str) -> str:
    """' (tăng 3 so với kỳ trước)' for a count, in points for a rate; '' when not comparable."""
    if prev is None or now.value is None or prev.value is None:
        return ""
    sign, amount = fmt.change(now.value - prev.value, now.unit, lang)
    if now.unit == "rate":
        amount += " points" if lang == "en" else " điểm %"
    if sign == 0:
        return (
            " (unchanged on the previous period)"
            if lang == "en"
            else " (không đổi so với kỳ trước)"
        )
    if lang == "en":
        return f" ({'up' if sign > 0 else 'down'} {amount} on the previous period)"
    return f" ({'tăng' if sign > 0 else 'giảm'} {amount} so với kỳ trước)"


def target(r: Result, lang: str, basis: str = "") -> str:
    """', đạt yêu cầu (basis)' / ', chưa đạt yêu cầu …' / ''."""
    if r.target_met is None:
        return ""
    b = f" ({basis})" if basis else ""
    if lang == "en":
        return (
            f", meeting the legal minimum{b}" if r.target_met else f", below the legal minimum{b}"
        )
    return f", đạt yêu cầu{b}" if r.target_met else f", chưa đạt yêu cầu{b}"


def _basis(keys: tuple[str, ...], f: Filters, rules: tuple, lang: str, levels=None) -> str:
    rows = applied(keys, f.date_from, f.date_to, rules, levels)
    return "; ".join(dict.fromkeys(r.basis(lang).split(":")[0] for r in rows))


def _pair(f: Filters, level: str | None, db: Db, ids: list[str] | None = None):
    lf = replace(f, level=level)
    got = compute_periods(lf, {"now": lf, "prev": lf.previous()}, ids, db)
    return got["now"], got["prev"]


def build(
    filters: Filters, db: Db = None, lang: str = "vi", as_of: date | None = None
) -> Narrative:
    """The narrative of the report for the filters. `as_of` is the day the report states
    the status of long-standing cases ("hiện nay"); by default the period's end."""
    en = lang == "en"
    rules = warehouse_rules(db)
    uppers = [u for u in upper_units(filters, db) if filters.level in (None, u[0])]
    # the level reported as "the upper level": the district while it existed, else the province
    main_upper = next((lv for lv, _ in uppers if lv == "huyen"), uppers[0][0] if uppers else None)
    up, up_prev = _pair(filters, main_upper, db) if main_upper else ({}, {})
    xa, xa_prev = _pair(filters, "xa", db) if filters.level in (None, "xa") else ({}, {})
    al, al_prev = _pair(filters, filters.level, db)
    per = period_text(filters, lang)
    sections = []

    # ---- receptions & dialogues
    s = Section("receptions", AREAS["receptions"][1 if en else 0])
    if up:
        lv = main_upper
        cd = up["chair_reception_days"]
        months = len(filters.months())
        per_month = cd.value / months if cd.value is not None and months else None
        pm = fmt.number(
            per_month, lang, 0 if per_month is not None and per_month.is_integer() else 1
        )
        comp = up.get(f"{'district' if lv == 'huyen' else 'province'}_chair_compliance_rate")
        rule_key = ("chair_reception_days_per_month",)
        comp_txt = ""
        if comp is not None and comp.value is not None:
            basis = _basis(rule_key, filters, rules, lang, (lv,))
            comp_txt = (
                f"; months meeting the statutory minimum: {ratio(comp, lang)}{target(comp, lang, basis)}"
                if en
                else f"; số tháng đủ số ngày tiếp theo quy định: {ratio(comp, lang)}{target(comp, lang, basis)}"
            )
        d, att, op = up["dialogues"], up["dialogue_attendees"], up["dialogue_opinions"]
        if en:
            s.paragraphs.append(
                f"In {per}, {_w('chair', lv, lang).lower()} held scheduled citizen receptions on "
                f"{n(cd.value, lang)} days ({pm} days/month) with {n(up['chair_reception_citizens'].value, lang)} "
                f"citizens{change(cd, up_prev.get('chair_reception_days'), lang)}{comp_txt}. "
                f"{_w('upper', lv, lang)} held {n(d.value, lang)} direct meetings and dialogues/"
                f"{n(att.value, lang)} attendances, {n(op.value, lang)} opinions raised"
                f"{change(d, up_prev.get('dialogues'), lang)}."
            )
        else:
            s.paragraphs.append(
                f"Trong {per}, {_w('chair', lv, lang)} chủ trì tiếp định kỳ {n(cd.value, lang)} buổi "
                f"({pm} buổi/tháng) với {n(up['chair_reception_citizens'].value, lang)} lượt công dân"
                f"{change(cd, up_prev.get('chair_reception_days'), lang)}{comp_txt}. "
                f"{_w('upper', lv, lang)} tổ chức {n(d.value, lang)} cuộc tiếp xúc, đối thoại/"
                f"{n(att.value, lang)} lượt người tham dự, {n(op.value, lang)} lượt ý kiến tham gia"
                f"{change(d, up_prev.get('dialogues'), lang)}."
            )
    if xa:
        d, att, op = xa["dialogues"], xa["dialogue_attendees"], xa["dialogue_opinions"]
        wk = xa["commune_chair_compliance_rate"]
        cw = xa["communes_with_dialogue_rate"]
        basis_w = _basis(("chair_reception_days_per_week",), filters, rules, lang, ("xa",))
        if en:
            txt = (
                f"At commune level, {n(d.value, lang)} direct meetings and dialogues/"
                f"{n(att.value, lang)} attendances/{n(op.value, lang)} opinions were held"
                f"{change(d, xa_prev.get('dialogues'), lang)}; share of opinions answered "
                f"{pct(xa['dialogue_opinions_answered_rate'], lang)}."
            )
            if wk.value is not None:
                txt += (
                    f" Weeks in which the commune chairman held the scheduled reception: "
                    f"{ratio(wk, lang)}{target(wk, lang, basis_w)}."
                )
            if cw.value is not None:
                txt += f" Communes that held a dialogue: {n(cw.numerator, lang)}/{n(cw.denominator, lang)}{target(cw, lang)}."
        else:
            txt = (
                f"Cấp xã, thị trấn tổ chức tiếp xúc, đối thoại {n(d.value, lang)} cuộc/"
                f"{n(att.value, lang)} lượt người/{n(op.value, lang)} ý kiến tham gia"
                f"{change(d, xa_prev.get('dialogues'), lang)}; tỷ lệ ý kiến được trả lời "
                f"{pct(xa['dialogue_opinions_answered_rate'], lang)}."
            )
            if wk.value is not None:
                txt += (
                    f" Số tuần Chủ tịch UBND cấp xã tiếp công dân định kỳ theo quy định: "
                    f"{ratio(wk, lang)}{target(wk, lang, basis_w)}."
                )
            if cw.value is not None:
                txt += f" Số xã có tổ chức đối thoại: {n(cw.numerator, lang)}/{n(cw.denominator, lang)}{target(cw, lang)}."
        s.paragraphs.append(txt)
    sections.append(s)

    # ---- petitions
    s = Section("petitions", AREAS["petitions"][1 if en else 0])
    rec, act = al["petitions_received"], al["petitions_in_jurisdiction"]
    res, ont, ovd = (
        al["petitions_resolution_rate"],
        al["petitions_on_time_rate"],
        al["petitions_overdue_open"],
    )
    from metrics.model import PETITION_DEADLINES

    basis_p = _basis(PETITION_DEADLINES, filters, rules, lang)
    if en:
        s.paragraphs.append(
            f"{n(rec.value, lang)} petitions were received{change(rec, al_prev.get('petitions_received'), lang)}, "
            f"of which {n(act.value, lang)} eligible and within competence. Resolution rate "
            f"{pct(res, lang)}; resolved on time {pct(ont, lang)}{target(ont, lang, basis_p)}; "
            f"{n(ovd.value, lang)} petitions overdue and still open at the period end."
        )
    else:
        s.paragraphs.append(
            f"Tiếp nhận {n(rec.value, lang)} đơn thư{change(rec, al_prev.get('petitions_received'), lang)}, "
            f"trong đó {n(act.value, lang)} đơn đủ điều kiện xử lý, thuộc thẩm quyền. Tỷ lệ giải "
            f"quyết {pct(res, lang)}; giải quyết đúng hạn {pct(ont, lang)}{target(ont, lang, basis_p)}; "
            f"còn {n(ovd.value, lang)} đơn quá hạn chưa giải quyết tại cuối kỳ."
        )
    if main_upper:
        at = as_of or filters.date_to
        pf = Filters(
            filters.date_from,
            max(at, filters.date_from),
            filters.communes,
            main_upper,
            filters.units,
        )
        pr = compute_periods(pf, {"now": pf}, ["prolonged_cases_resolved_rate"], db)["now"][
            "prolonged_cases_resolved_rate"
        ]
        if pr.denominator:
            when = fmt.day(at, lang)
            s.paragraphs.append(
                f"As of {when}, {_w('upper', main_upper, lang)} had resolved "
                f"{n(pr.numerator, lang)}/{n(pr.denominator, lang)} complex, long-standing cases ({pct(pr, lang)})."
                if en
                else f"Tính đến ngày {when}, {_w('upper', main_upper, lang)} đã giải quyết xong "
                f"{n(pr.numerator, lang)}/{n(pr.denominator, lang)} vụ việc phức tạp, tồn đọng kéo dài ({pct(pr, lang)})."
            )
    sections.append(s)

    # ---- procedures & one-stop
    s = Section("procedures", AREAS["procedures"][1 if en else 0])
    parts = []
    if main_upper:
        t, c = up["procedures_total"], up["procedures_time_cut"]
        lvl = (
            ("cấp huyện" if main_upper == "huyen" else "cấp tỉnh")
            if not en
            else ("district" if main_upper == "huyen" else "province")
        )
        parts.append(
            f"{n(t.value, lang)} {lvl} procedures, {n(c.value, lang)} of them with cut processing times ({n(c.value, lang)}/{n(t.value, lang)})"
            if en
            else f"{n(t.value, lang)} TTHC {lvl}, {n(c.value, lang)} TTHC cắt giảm thời gian giải quyết ({n(c.value, lang)}/{n(t.value, lang)})"
        )
    if xa:
        t, c = xa["procedures_total"], xa["procedures_time_cut"]
        parts.append(
            f"{n(t.value, lang)} commune procedures, {n(c.value, lang)} with cut times"
            if en
            else f"{n(t.value, lang)} TTHC cấp xã, {n(c.value, lang)} TTHC giảm thời gian giải quyết"
        )
    if parts:
        s.paragraphs.append(
            ("Catalogue: " if en else "Về rà soát, cắt giảm thời gian giải quyết: ")
            + "; ".join(parts)
            + "."
        )
    desk = al["district_desk_procedures"]
    one = al["communes_one_stop_rate"]
    txt = ""
    if desk.value:
        txt = (
            f"The district desk serves {n(desk.value, lang)} procedures at the one-stop desk, of "
            f"{n(al['district_desk_agencies_specialised'].value, lang)} specialised offices and "
            f"{n(al['district_desk_agencies_vertical'].value, lang)} vertical branches. "
            if en
            else f"Bộ phận Tiếp nhận và Trả kết quả tiếp nhận, trả kết quả {n(desk.value, lang)} TTHC tại "
            f"Bộ phận một cửa, {n(al['district_desk_agencies_specialised'].value, lang)} cơ quan chuyên môn, "
            f"{n(al['district_desk_agencies_vertical'].value, lang)} đơn vị ngành dọc. "
        )
    if one.denominator:
        txt += (
            f"{n(one.numerator, lang)}/{n(one.denominator, lang)} communes apply the one-stop mechanism."
            if en
            else f"{n(one.numerator, lang)}/{n(one.denominator, lang)} xã thực hiện cơ chế một cửa."
        )
    if txt:
        s.paragraphs.append(txt)
    recv, solved = al["dossiers_received"], al["dossiers_resolved"]
    ot, late, ovd_d, apo = (
        al["dossiers_on_time_rate"],
        al["dossiers_late"],
        al["dossiers_overdue_open"],
        al["late_apology_rate"],
    )
    basis_o = _basis(("one_stop_decree",), filters, rules, lang)
    if en:
        s.paragraphs.append(
            f"Dossiers received: {n(recv.value, lang)}{change(recv, al_prev.get('dossiers_received'), lang)}; "
            f"resolved: {n(solved.value, lang)}, on time {pct(ot, lang)}{target(ot, lang, basis_o)}; "
            f"{n(late.value, lang)} late, {n(ovd_d.value, lang)} overdue and open at the period end; "
            f"late dossiers with an apology slip {pct(apo, lang)}{target(apo, lang)}."
        )
    else:
        s.paragraphs.append(
            f"Tiếp nhận {n(recv.value, lang)} hồ sơ{change(recv, al_prev.get('dossiers_received'), lang)}; "
            f"đã giải quyết {n(solved.value, lang)} hồ sơ, đúng hạn {pct(ot, lang)}{target(ot, lang, basis_o)}; "
            f"{n(late.value, lang)} hồ sơ trễ hạn, {n(ovd_d.value, lang)} hồ sơ quá hạn chưa giải quyết tại cuối kỳ; "
            f"hồ sơ trễ hạn có phiếu xin lỗi và hẹn lại ngày trả kết quả {pct(apo, lang)}{target(apo, lang)}."
        )
    sections.append(s)

    # ---- staff & discipline
    s = Section("staff", AREAS["staff"][1 if en else 0])
    adm, srv = al["staff_good_or_better_rate_admin"], al["staff_good_or_better_rate_service"]
    ins, sc, sa = (
        al["inspections"],
        al["surprise_inspected_communes"],
        al["surprise_inspected_agencies"],
    )
    fixed = al["violations_fixed_rate"]
    if en:
        s.paragraphs.append(
            f"At the year-end rating, staff of administrative bodies rated good or better: "
            f"{pct(adm, lang)}{change(adm, al_prev.get('staff_good_or_better_rate_admin'), lang)}; "
            f"in public service units: {pct(srv, lang)}. {n(ins.value, lang)} discipline inspections "
            f"were held, including surprise inspections of {n(sc.value, lang)} communes, "
            f"{n(sa.value, lang)} agencies; violations fixed {pct(fixed, lang)}."
        )
    else:
        s.paragraphs.append(
            f"Qua đánh giá cuối năm, số CB-CCVC ở cơ quan hành chính hoàn thành tốt nhiệm vụ trở lên "
            f"chiếm {pct(adm, lang)}{change(adm, al_prev.get('staff_good_or_better_rate_admin'), lang)}; "
            f"tại đơn vị sự nghiệp công lập chiếm {pct(srv, lang)}. Thực hiện {n(ins.value, lang)} cuộc "
            f"kiểm tra công vụ, trong đó kiểm tra đột xuất {n(sc.value, lang)} xã, {n(sa.value, lang)} cơ "
            f"quan, đơn vị; tỷ lệ vi phạm đã khắc phục {pct(fixed, lang)}."
        )
    sections.append(s)

    _score_section(filters, db, lang, sections)
    _actions_section(filters, db, lang, sections)
    return Narrative(per, uppers, sections)


def _names(db: Db) -> dict[str, str]:
    from metrics.periods import commune_units

    return {u.code: u.name for u in commune_units(db)}


def _score_section(filters: Filters, db: Db, lang: str, sections: list[Section]) -> None:
    """The score of the selection and the communes needing attention."""
    from metrics.scorecard import band_label, scorecard

    en = lang == "en"
    card = scorecard(filters, db)
    names = _names(db)
    s = Section("score", "Đánh giá chung" if not en else "Overall score")
    sel = card.selection
    if sel.score is None:
        s.paragraphs.append(
            "Not enough data for a score." if en else "Chưa đủ dữ liệu để tính điểm chung."
        )
    else:
        sc = fmt.number(sel.score, lang, 1)
        s.paragraphs.append(
            f"Score of the selection: {sc}/100 ({band_label(sel.band, lang)})."
            if en
            else f"Điểm đánh giá chung: {sc}/100 (xếp loại {band_label(sel.band, lang)})."
        )
    weak = [c for c in card.communes if c.band in ("can_chu_y", "can_cai_thien")]
    weak.sort(key=lambda c: (c.score is None, c.score or 0))
    if weak:
        items = ", ".join(
            f"{names.get(c.commune_code, c.commune_code)} ({fmt.number(c.score, lang, 1)})"
            for c in weak[:5]
        )
        s.paragraphs.append(
            f"Communes needing attention ({n(len(weak), lang)}): {items}."
            if en
            else f"Các xã cần chú ý, cải thiện ({n(len(weak), lang)} xã): {items}."
        )
    sections.append(s)


def _actions_section(filters: Filters, db: Db, lang: str, sections: list[Section]) -> None:
    """The action counts at the period end and the most overdue cases."""
    from metrics.actions import LISTS, action_counts, action_list, list_label

    en = lang == "en"
    counts = action_counts(filters, db)
    names = _names(db)
    s = Section("actions", "Việc cần xử lý" if not en else "Items to act on")
    items = [f"{list_label(k, lang).lower()}: {n(counts[k], lang)}" for k in LISTS]
    s.paragraphs.append(
        ("As of the period end, " if en else "Tại cuối kỳ, ") + "; ".join(items) + "."
    )
    for name, idcol in (("overdue_petitions", "petition_id"), ("overdue_dossiers", "dossier_id")):
        if not counts.get(name):
            continue
        worst = action_list(filters, name, db, limit=3)
        cases = ", ".join(
            f"{r[idcol]} ({names.get(r['commune_code'], r['commune_code'] or '—')}, "
            f"{n(r['days_overdue'], lang)} {'days' if en else 'ngày'})"
            for _, r in worst.iterrows()
        )
        s.paragraphs.append(
            f"Most overdue ({list_label(name, lang).lower()}): {cases}."
            if en
            else f"Quá hạn lâu nhất ({list_label(name, lang).lower()}): {cases}."
        )
    sections.append(s)
