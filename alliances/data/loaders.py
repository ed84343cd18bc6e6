"""Load the CSV files in ``data/``: the only code of the package that reads them.

Each loader reads one file, validates it against its declared contract
(:mod:`.schemas`, :func:`.validation.validate`) and returns a typed DataFrame,
a fresh copy on every call. The column contracts are documented in
``data/README.md``.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..paths import DATA_DIR
from .validation import validate


@lru_cache(maxsize=None)
def _load(filename: str, data_dir: str) -> pd.DataFrame:
    actor_ids: frozenset[str] = frozenset()
    treaty_ids: frozenset[str] = frozenset()
    if filename != "actors.csv":
        actor_ids = frozenset(_load("actors.csv", data_dir)["actor_id"])
    if filename not in ("actors.csv", "treaties.csv"):
        treaty_ids = frozenset(_load("treaties.csv", data_dir)["treaty_id"])
    return validate(Path(data_dir) / filename, actor_ids, treaty_ids)


def load(filename: str, data_dir: Path | str = DATA_DIR) -> pd.DataFrame:
    """Load ``data_dir/filename`` validated; returns a fresh copy each call."""
    return _load(filename, str(data_dir)).copy()


def load_actors(data_dir=DATA_DIR) -> pd.DataFrame:
    """States and movements: ``actor_id``, names, bloc, ideology, COW code."""
    return load("actors.csv", data_dir)


def load_treaties(data_dir=DATA_DIR) -> pd.DataFrame:
    """Treaties T1-T23 with dates, terms and provisions."""
    return load("treaties.csv", data_dir)


def load_treaty_atop(data_dir=DATA_DIR) -> pd.DataFrame:
    """ATOP 4.01 coding keyed to ``treaty_id``."""
    return load("treaty_atop.csv", data_dir)


def load_disputes(data_dir=DATA_DIR) -> pd.DataFrame:
    """Where the sources (and ATOP) disagree, with both readings."""
    return load("disputes.csv", data_dir)


def load_alliance_spans(data_dir=DATA_DIR) -> pd.DataFrame:
    """Each reading's dating of each alliance."""
    return load("alliance_spans.csv", data_dir)


def load_events(data_dir=DATA_DIR) -> pd.DataFrame:
    """The dated timeline, 1945-2025, sorted by date."""
    return load("events.csv", data_dir).sort_values(["date_date", "event_id"], kind="stable").reset_index(drop=True)


def load_alignment_cases(data_dir=DATA_DIR) -> pd.DataFrame:
    """The dyads and periods the op-ed classifies with its two criteria."""
    return load("alignment_cases.csv", data_dir)


def load_triangle_periods(data_dir=DATA_DIR) -> pd.DataFrame:
    """Relations on each side of each triangle, period by period."""
    return load("triangle_periods.csv", data_dir).sort_values(["triangle_id", "order"], kind="stable").reset_index(drop=True)


def load_two_chinas_two_koreas(data_dir=DATA_DIR) -> pd.DataFrame:
    """Relations among the two Chinas, the two Koreas and the United States, as Kim draws them, by period."""
    return load("two_chinas_two_koreas.csv", data_dir)


def load_source_documents(data_dir=DATA_DIR) -> pd.DataFrame:
    """The three source documents: what each is and the date of its "present"."""
    return load("source_documents.csv", data_dir)


def load_quantities(data_dir=DATA_DIR) -> pd.DataFrame:
    """Numbers the sources give: aid, withdrawals, troops, casualties."""
    return load("quantities.csv", data_dir)


def load_explanations(data_dir=DATA_DIR) -> pd.DataFrame:
    """Evidence for and against each explanation of the 1961 treaties."""
    return load("explanations.csv", data_dir)


def load_actor_names(data_dir=DATA_DIR) -> dict[str, str]:
    """Each actor's chart label: ``actor_id`` -> ``short_name`` (``actors.csv``)."""
    actors = load_actors(data_dir)
    return dict(zip(actors["actor_id"], actors["short_name"]))


LOADERS = {
    "actors.csv": load_actors, "treaties.csv": load_treaties,
    "treaty_atop.csv": load_treaty_atop, "disputes.csv": load_disputes,
    "alliance_spans.csv": load_alliance_spans, "events.csv": load_events,
    "alignment_cases.csv": load_alignment_cases,
    "triangle_periods.csv": load_triangle_periods, "quantities.csv": load_quantities,
    "explanations.csv": load_explanations,
    "two_chinas_two_koreas.csv": load_two_chinas_two_koreas,
    "source_documents.csv": load_source_documents,
}
