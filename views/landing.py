"""Blocks of the landing page: the selection's score, the league table, the action counts,
the methodology. Each takes what the metrics layer computed and only lays it out; every
link comes from views/links.py, every number from metrics.format."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import format as fmt
from metrics.model import KPIS
from views import links
from views.i18n import t
from views.text import literal

BAND_COLORS = {"tot": "green", "can_chu_y": "orange", "can_cai_thien": "red"}
LEAGUE_ROWS = 3  # drawn on the first screen; the rest behind "all communes"
FEW_RECORDS = "few_records"  # the reason the metrics layer gives for "ít dữ liệu"


def score_text(score: float | None, lang: str) -> str:
    return fmt.number(score, lang, 1) if score is not None else fmt.MISSING


def band_markdown(band: str | None, lang: str) -> str:
    """The band as an inline coloured badge (Markdown), empty without a score."""
    from metrics.scorecard import band_label

    if band not in BAND_COLORS:
        return ""
    return f":{BAND_COLORS[band]}-badge[{literal(band_label(band, lang))}]"


def kpi_label(kpi_id: str, lang: str) -> str:
    return KPIS[kpi_id].label(lang) if kpi_id in KPIS else kpi_id


def kept_count(c) -> int:
    return sum(1 for ind in c.indicators.values() if ind.kept)


def no_score_text(c, lang: str) -> str:
    from metrics.scorecard import config

    return t("ld_no_score", lang, n=config().min_indicators, kept=kept_count(c))


def note(method: list[dict], note_id: str) -> str | None:
    return next((m["text"] for m in method if m["kind"] == "note" and m["id"] == note_id), None)


def selection_score(card, method: list[dict], lang: str) -> None:
    """The pooled score of the selection and its band, or "—" with the reason; the note on
    why it can fall below every commune's score is its help."""
    sel = card.selection
    with st.container(border=True, key="ld_score"):
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.metric(
                t("ld_score", lang),
                score_text(sel.score, lang),
                help=note(method, "selection"),
                width="content",
            )
            if sel.score is not None:
                st.markdown(band_markdown(sel.band, lang), width="content")
        if sel.score is None:
            st.caption(no_score_text(sel, lang))


def change_text(change: int | None, lang: str) -> tuple[str, str]:
    """(arrow, tooltip) of a rank change; empty when none or zero."""
    if not change:
        return "", ""
    if change > 0:
        return f":green[▲{change}]", t("ld_rank_up", lang, n=change)
    return f":red[▼{-change}]", t("ld_rank_down", lang, n=-change)


def pulled_text(c, lang: str) -> str:
    """The KPI labels that pulled the score down, then the indicators left out for too few
    records ("ít dữ liệu"), never shown as 0."""
    parts = []
    if c.pulled_down_by:
        labels = ", ".join(kpi_label(k, lang) for k in c.pulled_down_by)
        parts.append(f"{t('ld_pulled', lang)}: {labels}")
    few = [kpi_label(k, lang) for k, ind in c.indicators.items() if ind.reason == FEW_RECORDS]
    if few:
        parts.append(f"{t('ld_few_data', lang)}: " + ", ".join(few))
    if c.score is None:
        parts.insert(0, no_score_text(c, lang))
    return " · ".join(parts)


def league_row(c, name: str, lang: str) -> None:
    """One commune: rank, name, score, band and rank change on one line, the reasons below."""
    with st.container(border=True, key=f"ld_row_{c.commune_code}", gap="small"):
        rank = f"#{c.rank}" if c.rank is not None else f"{fmt.MISSING} ({t('ld_unranked', lang)})"
        arrow, _ = change_text(c.rank_change, lang)
        head = [f"**{rank} {literal(name)}**", f"**{score_text(c.score, lang)}**"]
        head += [x for x in (band_markdown(c.band, lang), arrow) if x]
        st.markdown(" · ".join(head[:2]) + " " + " ".join(head[2:]))
        why = pulled_text(c, lang)
        if why:
            st.caption(literal(why))


def league(card, names: dict[str, str], lang: str) -> None:
    """The communes worst first (equal scores in the metrics layer's order), unscored last."""
    scored = sorted((c for c in card.communes if c.score is not None), key=lambda c: c.score)
    rows = scored + [c for c in card.communes if c.score is None]
    st.markdown(f"**{t('ld_league', lang)}**")
    for c in rows[:LEAGUE_ROWS]:
        league_row(c, names.get(c.commune_code, c.commune_code), lang)
    if len(rows) > LEAGUE_ROWS:
        label = t("ld_all_communes", lang, n=fmt.number(len(rows), lang))
        rest = st.expander(label, key="ld_all", on_change="rerun")
        if rest.open:  # drawn when opened: a province has a hundred communes and more
            with rest:
                for c in rows[LEAGUE_ROWS:]:
                    league_row(c, names.get(c.commune_code, c.commune_code), lang)


def action_counts(counts: dict[str, int], lists: list[str], filters, lang: str) -> None:
    """One link per action list, its count first, opening the list's own page."""
    from metrics.actions import list_label

    st.markdown(f"**{t('ld_actions', lang)}**")
    with st.container(horizontal=True, key="ld_actions", gap="small"):
        for name in lists:
            st.page_link(
                links.PAGES["actions"][0],
                label=f"**{fmt.number(counts.get(name), lang)}** {t(f'ac_{name}', lang)}",
                query_params=links.params(filters, lang, {"list": name}),
                help=list_label(name, lang),
            )


def methodology(method: list[dict], lang: str) -> None:
    """Each indicator with its weight, target, legal basis and when it counts; then how the
    score and bands work and the note on the pooled score, one click away."""
    shown = st.expander(
        t("ld_methodology", lang), icon=":material/menu_book:", key="ld_method", on_change="rerun"
    )
    if not shown.open:  # drawn when opened, like the definitions
        return
    with shown:
        lines = []
        for m in method:
            if m["kind"] != "indicator":
                continue
            bits = [t("ld_weight", lang, w=fmt.number(m["weight"], lang, 1))]
            if m.get("target"):
                bits.append(literal(m["target"]))
            if m.get("basis"):
                bits.append(f"{t('legal_basis', lang)}: {literal(m['basis'])}")
            bits.append(literal(m["kept_when"]))
            lines.append(f"- **{literal(m['label'])}** — " + " · ".join(bits))
        st.markdown("\n".join(lines))
        for m in method:
            if m["kind"] == "note":
                st.markdown(f"**{literal(m['label'])}.** {literal(m['text'])}")


def service_index(rows: list[dict], names: dict[str, str], lang: str) -> None:
    """The 766 service index the portal published per unit and month, beside the score
    (shown when an office imported it), with the file it came from."""
    if not rows:
        return
    from data.contract import SERVICE_INDEX_SCORES

    with st.expander(t("ld_766", lang), icon=":material/leaderboard:"):
        frame = pd.DataFrame(
            [
                {
                    t("commune", lang): names.get(r["unit_code"], r["unit_code"]),
                    t("month", lang): fmt.month(f"{r['year']:04d}-{r['month']:02d}", lang),
                    **{
                        (label_en if lang == "en" else label_vi): fmt.number(r[key], lang, 2)
                        for key, label_vi, label_en in SERVICE_INDEX_SCORES
                    },
                    t("ld_766_total", lang): fmt.number(r["total"], lang, 2),
                    t("ld_source", lang): r["source_file"],
                }
                for r in rows
            ]
        )
        st.dataframe(frame, hide_index=True, width="stretch", key="ld_766_table")
