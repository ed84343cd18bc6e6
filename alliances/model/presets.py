"""The explorer's presets: which actors stand at corners A, B and C.

The kernel-free explorer (:mod:`alliances.charts.triangle_explorer`) and the
live one (:mod:`alliances.widgets.triangles`) offer the same presets, from here.
"""
from __future__ import annotations

from dataclasses import dataclass

from .triangle import Triangle


@dataclass(frozen=True)
class Preset:
    """Three actors at corners A, B and C, and the label a menu shows."""

    key: str
    label: str
    a: str
    b: str
    c: str

    def triangle(self, ab: str, ac: str, bc: str) -> Triangle:
        """The preset's corners with the sides ``ab``, ``ac`` and ``bc``."""
        return Triangle(self.a, self.b, self.c, ab, ac, bc)


PRESETS = (
    Preset("PRC/USSR/DPRK", "A China, B USSR, C North Korea", "PRC", "USSR", "DPRK"),
    Preset("USSR/PRC/DRV", "A USSR, B China, C North Vietnam (Vu's probe)", "USSR", "PRC", "DRV"),
    Preset("US/PRC/USSR", "A US, B China, C USSR", "US", "PRC", "USSR"),
    Preset("A/B/C", "generic A, B, C", "A", "B", "C"),
)
PRESET_BY_KEY = {p.key: p for p in PRESETS}
#: The state both explorers open on: the tug of war over North Korea after 1956.
DEFAULT = ("PRC/USSR/DPRK", "enmity", "amity", "amity")


def preset(key: str) -> Preset:
    """The preset named ``key``; ``KeyError`` with the choices otherwise."""
    try:
        return PRESET_BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown preset {key!r}; choose one of {list(PRESET_BY_KEY)}") from None


def preset_triangle(key: str, ab: str, ac: str, bc: str) -> Triangle:
    """The triangle of preset ``key`` with the given sides."""
    return preset(key).triangle(ab, ac, bc)
