"""Treaties: provisions side by side (the sources' reading beside ATOP's
coding), the terms of a treaty's life, and the 1950 treaty's Article 6
arithmetic.

:data:`PROVISIONS` is the one table that pairs a column of
``data/treaties.csv`` (what the three sources say) with a variable of
``data/treaty_atop.csv`` (the ATOP 4.01 coding), following the ATOP
extract's README. :func:`compare` builds from it the tidy table behind every
comparison in the book (the Sino-Soviet chapter's grid, the 1961 chapter's
kernel-free comparer and its live widget): one row per provision, treaty and
reading, each cell with the file and column it came from, so a test can
trace it back.

Nothing is interpreted: an empty cell stays "not stated" (sources) or
"empty" (ATOP); a provision one side has no column for is "no such variable";
ATOP codes are shown with their codes beside the words.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..data.dates import period_end
from ..data.values import NOT_STATED, is_blank, split_ids, text

#: The treaties the chapter "1961: two treaties with North Korea" compares, in date order.
CHAPTER_TREATIES = ("T2", "T4", "T11", "T12")
#: The treaties the Sino-Soviet chapter compares: the 1950 treaty and the 1953 US-ROK treaty.
SSA_AND_US_ROK = ("T2", "T4")

SOURCES, ATOP = "sources", "ATOP"
READINGS = (SOURCES, ATOP)
FILES = {SOURCES: "treaties.csv", ATOP: "treaty_atop.csv"}
ORIGIN_LABEL = {SOURCES: "sources (treaties.csv)", ATOP: "ATOP v4.01 (treaty_atop.csv)"}
SILENT = NOT_STATED
NOT_CODED = "no such variable"
NO_ATOP = "no ATOP record"
EMPTY = "empty"


@dataclass(frozen=True)
class Provision:
    """One provision, and the column that holds it on each side (``None``: no such column)."""

    concept: str
    sources: str | None
    atop: str | None

    def field(self, reading: str) -> str | None:
        return self.sources if reading == SOURCES else self.atop


PROVISIONS: tuple[Provision, ...] = (
    Provision("Instrument", "short_name", None),
    Provision("Parties", "parties", "members"),
    Provision("Signed / begins", "signed", "begin"),
    Provision("In force from", "in_force", None),
    Provision("Ended", "ended", "end"),
    Provision("How it ended", "end_how", None),
    Provision("Fixed term", "term_years", "length"),
    Provision("Automatic renewal", "renewal_years", "renewlgt"),
    Provision("Renewal rule", "renewal_rule", None),
    Provision("Defence obligation", "defence_obligation", "defense"),
    Provision("Defence article", "defence_article", None),
    Provision("What triggers it", "defence_wording", None),
    Provision("Escape clause / conditional defence", "escape_clause", "defcon"),
    Provision("Any obligation conditional", None, "conditio"),
    Provision("Territory defined", "territory_defined", None),
    Provision("Threat named", "threat_named", "statthr1"),
    Provision("Pledge not to join hostile alliances", "no_hostile_alliance_pledge", "noothall"),
    Provision("Consultation", None, "consul"),
    Provision("Non-aggression", None, "nonagg"),
    Provision("Offensive support", None, "offense"),
    Provision("Military aid provision (ordinal code)", None, "milaid"),
    Provision("Economic aid provision (ordinal code)", None, "ecaid"),
    Provision("In force at the newest source's present", "in_force_today", "ineffect"),
)

#: What a column holds (treaties.csv: data/README.md; ATOP: its codebook summary).
MEANING = {
    "short_name": "name used in this book",
    "parties": "actor ids",
    "members": "ATOP members (COW state abbreviations)",
    "signed": "date of signature",
    "begin": "date the alliance begins",
    "in_force": "date of entry into force",
    "ended": "when it ended",
    "end_how": "how it ended (or still in force)",
    "end": "when ATOP ends the alliance (empty = in effect)",
    "term_years": "fixed term in years",
    "length": "fixed term in months (0 = none)",
    "renewal_years": "automatic renewal period in years",
    "renewlgt": "automatic renewal period in months (0 = none)",
    "renewal_rule": "how renewal works (our words)",
    "defence_obligation": "military help if a party is attacked",
    "defense": "1 = active military support if a partner is attacked",
    "defence_article": "article holding the pledge",
    "defence_wording": "what triggers the pledge (our words)",
    "escape_clause": "explicit, weak or none",
    "defcon": "1 = the defence obligation itself is conditional",
    "conditio": "1 = at least one obligation is conditional",
    "territory_defined": "does the text limit the pledge to a territory?",
    "threat_named": "adversary named in the text",
    "statthr1": "COW code of a state named as threat (0 = none)",
    "no_hostile_alliance_pledge": "a pledge not to join hostile alliances",
    "noothall": "1 = members promise not to join conflicting alliances",
    "consul": "1 = consultation in crises",
    "nonagg": "1 = a non-aggression pledge",
    "offense": "1 = offensive military support",
    "milaid": "military aid provision (ATOP's ordinal code)",
    "ecaid": "economic aid provision (ATOP's ordinal code)",
    "in_force_today": "yes / no as of the newest source",
    "ineffect": "1 = in effect at the end of ATOP's coverage",
}

#: ATOP's 0/1 variables.
BINARY = {"defense", "offense", "neutral", "nonagg", "consul", "conditio", "defcon",
          "noothall", "ineffect"}

COLUMNS = ["order", "concept", "treaty_id", "treaty", "atopid", "reading", "origin", "file",
           "field", "raw", "value", "meaning", "column"]


def source_value(field: str, raw) -> str:
    """A cell of ``treaties.csv`` as the comparison shows it."""
    if is_blank(raw):
        return SILENT
    if field in ("term_years", "renewal_years"):
        return f"{float(raw):g} years"
    return str(raw)


def atop_value(field: str, raw, cow_names: dict[int, str]) -> str:
    """A cell of ``treaty_atop.csv`` as the comparison shows it: words, with the code."""
    if is_blank(raw):
        return "empty (still in effect)" if field == "end" else EMPTY
    if field in BINARY:
        return f"{'yes' if int(raw) == 1 else 'no'} ({int(raw)})"
    if field in ("length", "renewlgt"):
        return "none (0)" if int(raw) == 0 else f"{int(raw)} months"
    if field == "statthr1":
        return "none (0)" if int(raw) == 0 else f"{cow_names.get(int(raw), 'COW ' + str(raw))} ({int(raw)})"
    if field in ("milaid", "ecaid"):
        return f"code {int(raw)}"
    return str(raw)


def _first(frame: pd.DataFrame, treaty_id: str) -> pd.Series | None:
    rows = frame[frame["treaty_id"] == treaty_id]
    return None if rows.empty else rows.iloc[0]


def compare(treaties: pd.DataFrame, atop: pd.DataFrame, actors: pd.DataFrame,
            treaty_ids=CHAPTER_TREATIES) -> pd.DataFrame:
    """Provisions of ``treaty_ids`` side by side, the sources' reading beside ATOP's.

    Frames as the loaders return them (``treaties.csv``, ``treaty_atop.csv``,
    ``actors.csv``, for the names of COW codes). One row per provision,
    treaty and reading, in the order of :data:`PROVISIONS` and of
    ``treaty_ids``: ``concept``, ``treaty`` (short name), ``atopid`` (missing
    where ATOP has no record), ``reading`` (``sources``/``ATOP``), ``origin``
    (the reading and its file), ``file`` and ``field`` (where the cell comes
    from; ``field`` is ``""`` for "no such variable"), ``raw`` (the cell as
    loaded, ``None`` when empty or absent), ``value`` (the text shown),
    ``meaning`` and ``column`` (``T2 · sources``, ``T2 · ATOP 3200``: the
    header of a wide table). An unknown id raises ``KeyError``.
    """
    treaty_ids = list(dict.fromkeys(treaty_ids))
    unknown = [t for t in treaty_ids if t not in set(treaties["treaty_id"])]
    if unknown:
        raise KeyError(f"unknown treaty ids: {unknown}")
    cow_names = {int(c): str(n) for c, n in zip(actors["cow_code"], actors["short_name"]) if pd.notna(c)}
    rows = []
    for order, provision in enumerate(PROVISIONS):
        for tid in treaty_ids:
            record = {SOURCES: _first(treaties, tid), ATOP: _first(atop, tid)}
            atopid = None if record[ATOP] is None else int(record[ATOP]["atopid"])
            for reading in READINGS:
                field = provision.field(reading)
                raw = None
                if field is None:
                    value = NOT_CODED
                elif record[reading] is None:
                    value = NO_ATOP
                else:
                    raw = None if is_blank(record[reading][field]) else record[reading][field]
                    value = (source_value(field, raw) if reading == SOURCES
                             else atop_value(field, raw, cow_names))
                header = f"{tid} · {SOURCES}" if reading == SOURCES else (
                    f"{tid} · ATOP {atopid}" if atopid is not None else f"{tid} · ATOP")
                rows.append({"order": order, "concept": provision.concept, "treaty_id": tid,
                             "treaty": str(record[SOURCES]["short_name"]), "atopid": atopid,
                             "reading": reading, "origin": ORIGIN_LABEL[reading],
                             "file": FILES[reading], "field": field or "", "raw": raw,
                             "value": value, "meaning": MEANING.get(field, ""), "column": header})
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["atopid"] = out["atopid"].astype("Int64")
    return out


def compare_wide(long: pd.DataFrame) -> pd.DataFrame:
    """:func:`compare` laid out for reading: provisions down, treaty and reading across."""
    wide = long.pivot(index=["order", "concept"], columns="column", values="value")
    wide = wide.reset_index().drop(columns="order").set_index("concept")
    wide.columns.name = None
    return wide[list(dict.fromkeys(long["column"]))]


# --------------------------------------------------------------------------
# The life of a treaty, and the 1950 treaty's Article 6
# --------------------------------------------------------------------------

def treaty_terms(treaties: pd.DataFrame, ids=("T2", "T8")) -> pd.DataFrame:
    """Each treaty's life as a span: signed to the last day of the period its
    ``ended`` names (``treaties.csv``)."""
    rows = treaties[treaties["treaty_id"].isin(ids)]
    out = pd.DataFrame({
        "treaty_id": rows["treaty_id"].astype(str),
        "short_name": rows["short_name"].astype(str),
        "signed": rows["signed"].astype(str),
        "ended": rows["ended"].map(text),
        "end_how": rows["end_how"].map(text),
        "start": rows["signed_date"],
        "end": pd.to_datetime([period_end(e) for e in rows["ended"]]),
        "source": rows["source"].astype(str),
    })
    return out.reset_index(drop=True)


def _terms(quantities: pd.DataFrame, measure: str) -> pd.Series:
    rows = quantities[(quantities["topic"] == "SSA treaty terms")
                      & quantities["measure"].str.startswith(measure)]
    if rows.empty:
        raise KeyError(f"no 'SSA treaty terms' row of quantities.csv starts with {measure!r}")
    return rows.iloc[0]


def expiry(treaty: pd.Series) -> pd.Timestamp:
    """Entry into force plus the fixed term (project arithmetic)."""
    return treaty["in_force_date"] + pd.DateOffset(years=int(treaty["term_years"]))


def notice_deadline(treaties: pd.DataFrame, quantities: pd.DataFrame, treaty_id: str = "T2") -> pd.Timestamp:
    """The last day for notice under Article 6: the expiry less the notice period
    (``quantities.csv``, topic ``SSA treaty terms``)."""
    treaty = _first(treaties, treaty_id)
    notice = _terms(quantities, "notice required")
    return expiry(treaty) - pd.DateOffset(years=int(notice["value"]))


def article6_dates(treaties: pd.DataFrame, quantities: pd.DataFrame, events: pd.DataFrame,
                   treaty_id: str = "T2") -> pd.DataFrame:
    """Check the treaty's end dates against its own Article 6 (project arithmetic).

    Entry into force plus the fixed term gives the expiry; the expiry minus
    the notice period (``quantities.csv``) gives the last day for notice.
    Each computed date is set beside the date the data record for it.
    """
    t = _first(treaties, treaty_id)
    notice = _terms(quantities, "notice required")
    ends, deadline = expiry(t), notice_deadline(treaties, quantities, treaty_id)
    related = events[events["treaty_id"].map(lambda v: treaty_id in split_ids(v))]
    notice_event = related[related["title"].str.contains("notice", case=False)].iloc[0]
    expiry_event = related[related["title"].str.contains("expires", case=False)].iloc[0]
    rows = [
        {"step": "entry into force (treaties.csv in_force)", "computed": "",
         "recorded": str(t["in_force"]), "agrees": ""},
        {"step": f"+ fixed term of {t['term_years']:g} years = expiry", "computed": f"{ends:%Y-%m-%d}",
         "recorded": f"{t['ended']} (treaties.csv ended); {expiry_event['date']} ({expiry_event['event_id']})",
         "agrees": "yes" if f"{ends:%Y-%m-%d}" == t["ended"] == expiry_event["date"] else "no"},
        {"step": f"- notice period of {notice['value']:g} year = last day for notice",
         "computed": f"{deadline:%Y-%m-%d}",
         "recorded": f"{notice_event['date']} ({notice_event['event_id']}: {notice_event['title']})",
         "agrees": "yes" if f"{deadline:%Y-%m-%d}" == notice_event["date"] else "no"},
    ]
    return pd.DataFrame(rows)


def end_readings(spans: pd.DataFrame, quantities: pd.DataFrame, treaties: pd.DataFrame,
                 dyad: str = "PRC-USSR", treaty_id: str = "T2") -> pd.DataFrame:
    """Each reading's dating of the alliance, plus Kim's "working alliance".

    The spans come from ``alliance_spans.csv``. Kim gives the working
    alliance only as a length ("about eight years", ``quantities.csv``) with
    no end date; the span for it is the project's arithmetic (INF): signing
    date plus that length.
    """
    rows = spans[spans["dyad"] == dyad]
    out = pd.DataFrame({
        "reading": [f"{r} ({b})" for r, b in zip(rows["reading"], rows["basis"])],
        "start_text": rows["start"].astype(str),
        "end_text": rows["end"].map(text),
        "start": rows["start_date"],
        "end": [period_end(e) for e in rows["end"]],
        "note": ["end given to the year only; bar runs to the year's end" if p == "year" else ""
                 for p in rows["end_precision"]],
        "source": rows["source"].astype(str),
    })
    work = quantities[(quantities["topic"] == "SSA treaty terms")
                      & quantities["measure"].str.startswith("life of the SSA as a working alliance")]
    if len(work):
        q = work.iloc[0]
        signed = _first(treaties, treaty_id)["signed_date"]
        end = signed + pd.DateOffset(years=int(q["value"]))
        out = pd.concat([out, pd.DataFrame([{
            "reading": "004 (working alliance)", "start_text": signed.strftime("%Y-%m-%d"),
            "end_text": f"about {end.year} (INF)", "start": signed, "end": end,
            "note": f"INF: signing date plus Kim's 'about {q['value']:g} {q['unit']}'; Kim gives no end date",
            "source": str(q["source"])}])], ignore_index=True)
    out["end"] = pd.to_datetime(out["end"])
    return out.reset_index(drop=True)
