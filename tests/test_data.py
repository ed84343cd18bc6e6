"""The data files: they load, every citation is real, ATOP is copied exactly,
and broken copies fail with messages that name file, row and column."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from alliances import data
from alliances.data.citations import citations, missing_phrases
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
    assert list(data.load_treaties()["treaty_id"]) == [f"T{i}" for i in range(1, 24)]
    assert sorted(data.load_events()["event_id"]) == [f"E{i:03d}" for i in range(1, 135)]


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
