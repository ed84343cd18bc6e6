"""The data files: they load, every citation is real, ATOP is copied exactly,
and broken copies fail with messages that name file, row and column."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from alliances import data
from alliances.data.citations import citations, missing_phrases, normalise, source_text
from alliances.paths import ATOP_EXTRACT, DATA_DIR


@pytest.mark.parametrize("filename", sorted(data.LOADERS))
def test_every_file_loads_typed(filename):
    frame = data.LOADERS[filename]()
    assert len(frame) > 0
    for name, col in data.SPECS[filename].items():
        if col.kind == "date":
            assert pd.api.types.is_datetime64_any_dtype(frame[f"{name}_date"])


@pytest.mark.parametrize("filename", sorted(data.LOADERS))
def test_every_cited_phrase_occurs_in_its_source(filename):
    with open(DATA_DIR / filename, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    bad = [(line, miss) for line, row in enumerate(rows, start=2)
           for miss in missing_phrases(" ".join(v or "" for v in row.values()))]
    assert not bad, bad[:5]
    cited = sum(bool(citations(row["source"])) or "ATOP" in row["source"] for row in rows)
    assert cited == len(rows)


def test_the_factsheet_inventory_is_complete():
    """T1-T23 and E001-E134 as in the factsheet; the book's own events are numbered on from E135."""
    assert list(data.load_treaties()["treaty_id"]) == [f"T{i}" for i in range(1, 24)]
    events = sorted(data.load_events()["event_id"])
    assert events[:134] == [f"E{i:03d}" for i in range(1, 135)]
    assert events == [f"E{i:03d}" for i in range(1, len(events) + 1)]


def test_atop_rows_are_copied_exactly_from_the_extract():
    ours = pd.read_csv(DATA_DIR / "treaty_atop.csv", dtype=str, keep_default_na=False)
    theirs = pd.read_csv(ATOP_EXTRACT, dtype=str, keep_default_na=False)
    merged = theirs.merge(ours, on="atopid", suffixes=("", "_ours"))
    assert len(merged) == len(theirs) == len(ours)
    for column in theirs.columns.drop("atopid"):
        assert (merged[column] == merged[f"{column}_ours"]).all(), column


def test_sources_disagree_and_both_readings_are_kept():
    spans = data.load_alliance_spans()
    sino_soviet = spans[spans["dyad"] == "PRC-USSR"]
    assert {"000", "ATOP"} <= set(sino_soviet["reading"])
    assert sino_soviet["end_date"].dt.year.nunique() > 1
    assert data.load_disputes()["dispute_id"].str.startswith("I-").sum() == 20


# --- broken copies --------------------------------------------------------

def _broken_copy(tmp_path: Path, filename: str, line: int, column: str, value: str) -> Path:
    for name in data.LOADERS:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    path = tmp_path / filename
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0].keys())
    rows[line - 2][column] = value
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return tmp_path


BROKEN = [
    ("events.csv", 5, "actors", "PRC;ATLANTIS", "unknown actor id"),
    ("events.csv", 7, "date", "1950-13-01", "not a date"),
    ("events.csv", 9, "date_end", "1900", "is before"),
    ("triangle_periods.csv", 3, "ab", "friendly", "not one of amity"),
    ("treaties.csv", 4, "source", "", "empty, but a value is required"),
    ("treaties.csv", 6, "treaty_id", "T2", "duplicate value"),
    ("alignment_cases.csv", 2, "partner", "XYZ", "unknown actor id"),
    ("treaty_atop.csv", 3, "treaty_id", "T99", "unknown treaty id"),
    ("quantities.csv", 2, "value", "lots", "not a number"),
    ("alliance_spans.csv", 2, "source", "my memory", "no citation"),
    ("alliance_spans.csv", 3, "end_status", "ongoing", "not one of stated, in force, not stated"),
    ("alliance_spans.csv", 4, "end_status", "", "empty, but a value is required"),
]


@pytest.mark.parametrize("filename,line,column,value,message", BROKEN)
def test_a_broken_row_is_reported_by_file_row_and_column(tmp_path, filename, line, column, value,
                                                          message):
    directory = _broken_copy(tmp_path, filename, line, column, value)
    with pytest.raises(data.DataError) as err:
        data.load(filename, directory)
    text = str(err.value)
    assert f"{filename}: row {line}, column '{column}'" in text
    assert message in text


def _line(filename: str, column: str, value: str) -> int:
    """CSV line number (header = 1) of the row whose ``column`` is ``value``."""
    with open(DATA_DIR / filename, newline="", encoding="utf-8") as f:
        return next(line for line, row in enumerate(csv.DictReader(f), start=2) if row[column] == value)


def _span_lines(status):
    """CSV line numbers (header = 1) of the rows of alliance_spans.csv with this end_status."""
    with open(DATA_DIR / "alliance_spans.csv", newline="", encoding="utf-8") as f:
        return [line for line, row in enumerate(csv.DictReader(f), start=2) if row["end_status"] == status]


def test_end_statuses_are_all_in_use():
    assert all(_span_lines(status) for status in data.END_STATUS)


@pytest.mark.parametrize("status,column,value,message", [
    ("stated", "end_status", "in force", "'in force', but column 'end' holds"),
    ("stated", "end_status", "not stated", "'not stated', but column 'end' holds"),
    ("in force", "end_status", "stated", "'stated', but column 'end' is empty"),
    ("not stated", "end_status", "stated", "'stated', but column 'end' is empty"),
    ("in force", "end", "2030", "'in force', but column 'end' holds '2030'"),
    ("not stated", "end", "1975", "'not stated', but column 'end' holds '1975'"),
])
def test_end_and_end_status_must_agree(tmp_path, status, column, value, message):
    """An end date is given exactly on the rows whose end_status is 'stated'."""
    line = _span_lines(status)[-1]
    directory = _broken_copy(tmp_path, "alliance_spans.csv", line, column, value)
    with pytest.raises(data.DataError) as err:
        data.load("alliance_spans.csv", directory)
    (problem,) = str(err.value).splitlines()
    assert problem.startswith(f"alliance_spans.csv: row {line}, column 'end_status': ")
    assert message in problem


def test_a_malformed_end_status_is_reported_once(tmp_path):
    line = _span_lines("stated")[0]
    directory = _broken_copy(tmp_path, "alliance_spans.csv", line, "end_status", "Stated")
    with pytest.raises(data.DataError) as err:
        data.load("alliance_spans.csv", directory)
    (problem,) = str(err.value).splitlines()
    assert f"row {line}, column 'end_status'" in problem and "not one of" in problem


def test_a_missing_column_is_reported(tmp_path):
    for name in data.LOADERS:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    frame = pd.read_csv(tmp_path / "actors.csv", dtype=str).drop(columns=["short_name"])
    frame.to_csv(tmp_path / "actors.csv", index=False)
    with pytest.raises(data.DataError, match="actors.csv: header: column 'short_name' is missing"):
        data.load("actors.csv", tmp_path)


# --- one dyad, several triangles -----------------------------------------------

def _interior(start: str, end: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The years a period certainly covers: from the end of its start's period
    to the start of its end's ("late 1956 to 1958" certainly covers 1957)."""
    return data.period_end(start) + pd.Timedelta(days=1), data.partial_date(end)[0]


def _sides(periods: pd.DataFrame | None = None) -> list[dict]:
    """Every side of every period as a row: dyad, relation, basis, dispute ids.

    A period with no end (its end is vague) is taken to run at most to the
    start of the next period of its triangle.
    """
    periods = data.load_triangle_periods() if periods is None else periods
    rows = []
    for tid, group in periods.sort_values(["triangle_id", "order"]).groupby("triangle_id"):
        starts = list(group["start"])[1:] + ["2025"]
        for r, next_start in zip(group.itertuples(), starts):
            corners = dict(zip("abc", (r.a, r.b, r.c)))
            end = r.end if pd.notna(r.end) else next_start
            for side in ("ab", "ac", "bc"):
                rel = getattr(r, side)
                rows.append({"period_id": r.period_id, "triangle_id": tid,
                             "dyad": "-".join(sorted((corners[side[0]], corners[side[1]]))),
                             "relation": None if pd.isna(rel) else rel,
                             "basis": getattr(r, f"{side}_basis"),
                             "disputes": set(data.split_ids(r.disputes)),
                             "span": _interior(r.start, end)})
    return rows


def _pairs() -> list[dict]:
    """The rows of ``two_chinas_two_koreas.csv`` in the form of :func:`_sides`."""
    return [{"period_id": r.relation_id, "triangle_id": "CK", "dyad": "-".join(sorted((r.a, r.b))),
             "relation": None if pd.isna(r.relation) else r.relation, "basis": r.basis,
             "disputes": set(data.split_ids(r.disputes)),
             "span": _interior(r.start, r.end if pd.notna(r.end) else "2025")}
            for r in data.load_two_chinas_two_koreas().itertuples()]


def _clashes(rows: list[dict]) -> list[tuple[str, str, str]]:
    """Pairs of periods of different triangles that code the same dyad in
    overlapping years differently, with no dispute id in common. A side left
    empty (the sources are silent) clashes only with a side coded as stated."""
    out = []
    for i, x in enumerate(rows):
        for y in rows[i + 1:]:
            if x["triangle_id"] == y["triangle_id"] or x["dyad"] != y["dyad"]:
                continue
            if min(x["span"][1], y["span"][1]) <= max(x["span"][0], y["span"][0]):
                continue  # no year in common
            if x["relation"] == y["relation"] or x["disputes"] & y["disputes"]:
                continue
            silent = [z for z in (x, y) if z["relation"] is None]
            if silent and all(z["basis"] == "INF" for z in (x, y) if z["relation"] is not None):
                continue
            out.append((x["dyad"], x["period_id"], y["period_id"]))
    return out


def test_one_dyad_in_overlapping_periods_agrees_or_carries_a_dispute():
    """The same pair of states, in years two triangles share, has one relation,
    or both periods cite the dispute that explains why not (e.g. KOR-5 and
    GP-2 on China-USSR in 1957: dispute I-8). The relations of the two Chinas
    and the two Koreas are checked against the triangles too."""
    assert not _clashes(_sides() + _pairs())


def test_the_overlap_check_catches_a_clash(tmp_path):
    """Dropping the dispute ids from KOR-5 makes its enmity clash with GP-2's amity."""
    directory = _broken_copy(tmp_path, "triangle_periods.csv",
                             _line("triangle_periods.csv", "period_id", "KOR-5"), "disputes", "")
    rows = _sides(data.load("triangle_periods.csv", directory))
    assert {("GP-2", "KOR-5"), ("KOR-5", "VN-2")} <= {tuple(sorted(c[1:])) for c in _clashes(rows)}


def test_dispute_ids_cited_by_periods_exist():
    known = set(data.load_disputes()["dispute_id"])
    cited = {d for v in data.load_triangle_periods()["disputes"] for d in data.split_ids(v)}
    assert cited and cited <= known, cited - known


def test_a_period_break_at_1991_cites_the_collapse_dispute():
    """No source dates the Soviet collapse (I-17): a period of a triangle with
    the Soviet Union or Russia that starts or ends in 1991 says so."""
    periods = data.load_triangle_periods()
    at_1991 = periods[((periods["start"] == "1991") | (periods["end"] == "1991"))
                      & periods[["a", "b", "c"]].isin(["USSR", "RUS"]).any(axis=1)]
    assert len(at_1991) >= 3
    for r in at_1991.itertuples():
        assert "I-17" in data.split_ids(r.disputes), r.period_id


def test_a_span_on_a_treaty_is_dated_by_that_treaty():
    """A reading whose basis is 'treaty' names the treaty, starts in the year it
    was signed, and ends (if it ends) when the treaty did: the op-ed's 1969,
    a border war, is an alignment reading, not a treaty one."""
    treaties = data.load_treaties().set_index("treaty_id")
    spans = data.load_alliance_spans()
    on_treaty = spans[spans["basis"] == "treaty"]
    assert len(on_treaty) >= 5
    for s in on_treaty.itertuples():
        assert pd.notna(s.treaty_id), s.span_id
        t = treaties.loc[s.treaty_id]
        assert s.start[:4] == t["signed"][:4], s.span_id
        if s.end_status == "stated":
            assert pd.notna(t["ended"]) and s.end == t["ended"], s.span_id
        if s.end_status == "in force":
            assert pd.isna(t["ended"]), s.span_id
    assert spans.set_index("span_id").loc["PRC-USSR-000", "basis"] == "alignment"


def test_figures_credited_to_beijing_in_1964_come_from_its_statement():
    """A number filed as made public by Beijing in 1964 cites the passage that
    reports the 1964 statement and nothing Kim writes after it; Kim's own $10
    billion (Q28), the sentence after the passage, is not credited to Beijing."""
    text = source_text("004")
    start = text.index(normalise("In 1964, Beijing made known"))
    last = normalise("many of the weapons sold were out of date")
    end = text.index(last, start) + len(last)
    quantities = data.load_quantities().set_index("quantity_id")
    credited = quantities[quantities["note"].str.contains("Beijing made public in 1964", na=False)]
    assert len(credited) >= 2
    for qid, r in credited.iterrows():
        where = [text.index(normalise(ph)) for _, ph in citations(r["source"])]
        assert any(start <= w < end for w in where) and max(where) < end, qid
    q28 = quantities.loc["Q28"]
    assert text.index(normalise(citations(q28["source"])[0][1])) >= end
    assert "1964" not in q28["topic"] and qid != "Q28" and "own" in q28["note"]
