"""Every state the triangle explorer can show, computed from the models.

One row per preset (:mod:`alliances.model.presets`) and sign pattern, with
everything :mod:`alliances.model.triangle` and :mod:`alliances.model.vu` say
about it. The kernel-free explorer stores these rows in its chart, so the
static figure cannot disagree with the model.
"""
from __future__ import annotations

import pandas as pd

from ..model import triangle as tri
from ..model import vu
from ..model.presets import PRESETS


def state_key(preset: str, ab: str, ac: str, bc: str) -> str:
    """The key that ties the rows of one state together (``PRC/USSR/DPRK|amity|...``)."""
    return "|".join((preset, ab, ac, bc))


def explorer_states(d_threat: str = "constant") -> pd.DataFrame:
    """One row per preset and sign pattern, with everything the model says.

    Columns: ``state``, ``preset``, ``a``, ``b``, ``c``, ``ab``, ``ac``,
    ``bc``, ``pattern``, ``author``, ``role_a``/``role_b``/``role_c``,
    ``balanced``, ``sum_type``, ``description`` (the model's
    :meth:`~alliances.model.triangle.Reading.describe`), ``explanation``
    (:func:`alliances.model.vu.explain`) and ``predictions`` (the tuple of
    :class:`~alliances.model.vu.Prediction` objects of :func:`alliances.model.vu.predict`).
    """
    rows = []
    for p in PRESETS:
        for ab, ac, bc in tri.all_sign_patterns():
            t = p.triangle(ab, ac, bc)
            reading = tri.read(t)
            rows.append({
                "state": state_key(p.key, ab, ac, bc), "preset": p.key,
                "a": t.a, "b": t.b, "c": t.c, "ab": ab, "ac": ac, "bc": bc,
                "pattern": reading.pattern.value,
                "author": tri.PATTERN_AUTHOR[reading.pattern],
                "role_a": reading.roles[t.a].value, "role_b": reading.roles[t.b].value,
                "role_c": reading.roles[t.c].value, "balanced": reading.balanced,
                "sum_type": vu.sum_type(t).value, "description": reading.describe(),
                "explanation": vu.explain(t, d_threat),
                "predictions": tuple(vu.predict(t, d_threat)),
            })
    return pd.DataFrame(rows)
