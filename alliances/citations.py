"""Check that the citations in ``data/`` point at real passages of the sources.

A citation has the form ``000 "locating phrase"`` (see ``data/README.md``).
The phrase must occur verbatim in the named source document once curly
quotes and dashes are straightened, so that every fact stays traceable.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .paths import SOURCES_DIR

CITATION = re.compile(r'\b(000|003|004)\s+"([^"]+)"')
SOURCE_FILES = {
    "000": "000_6d4cc91fd8c62704.txt",
    "003": "003_eab664e827ac67df.txt",
    "004": "004_b0085bd72197293b.txt",
}
_TRANSLATE = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                            "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """Straighten quotes and dashes, drop markdown escapes and emphasis, squeeze spaces."""
    text = text.translate(_TRANSLATE).replace("\\$", "$").replace("\\", "")
    text = text.replace("*", "")
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=None)
def source_text(source_id: str) -> str:
    """Return the normalised text of source ``000``, ``003`` or ``004``."""
    return normalise((SOURCES_DIR / SOURCE_FILES[source_id]).read_text(encoding="utf-8"))


def citations(text: str) -> list[tuple[str, str]]:
    """Return the ``(source_id, phrase)`` pairs cited in ``text``."""
    return CITATION.findall(text or "")


def missing_phrases(text: str) -> list[tuple[str, str]]:
    """Return the cited phrases in ``text`` that do not occur in their source."""
    return [(sid, phrase) for sid, phrase in citations(text)
            if normalise(phrase) not in source_text(sid)]
