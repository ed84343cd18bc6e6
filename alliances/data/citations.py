"""Citations: the one pattern, and checks that they point at real passages.

A citation has the form ``000 "locating phrase"`` (see ``data/README.md``).
The phrase must occur verbatim in the named source document once curly
quotes and dashes are straightened, so that every fact stays traceable.
This module reads the source documents (``../shared/sources``); it is the
data layer's loader for them.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..paths import SOURCES_DIR

SOURCE_FILES = {
    "000": "000_6d4cc91fd8c62704.txt",
    "003": "003_eab664e827ac67df.txt",
    "004": "004_b0085bd72197293b.txt",
}
#: ``000 "phrase"``: the source id and the phrase, the one pattern of a citation.
CITATION = re.compile(r'\b(' + "|".join(SOURCE_FILES) + r')\s+"([^"]+)"')
#: What a ``source`` cell may cite besides the three documents.
ATOP_CITATION = "ATOP v4.01"
_TRANSLATE = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                            "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """Straighten quotes and dashes, drop markdown escapes and emphasis, squeeze spaces."""
    text = text.translate(_TRANSLATE).replace("\\$", "$").replace("\\", "")
    text = text.replace("*", "")
    return re.sub(r"\s+", " ", text)


def citations(text: str) -> list[tuple[str, str]]:
    """Return the ``(source_id, phrase)`` pairs cited in ``text``."""
    return CITATION.findall(text or "")


def is_cited(text: str) -> bool:
    """True when ``text`` holds a citation of a source document or of ATOP."""
    return bool(CITATION.search(text or "")) or ATOP_CITATION in (text or "")


@lru_cache(maxsize=None)
def source_text(source_id: str) -> str:
    """Return the normalised text of source ``000``, ``003`` or ``004``."""
    return normalise((SOURCES_DIR / SOURCE_FILES[source_id]).read_text(encoding="utf-8"))


def missing_phrases(text: str) -> list[tuple[str, str]]:
    """Return the cited phrases in ``text`` that do not occur in their source."""
    return [(sid, phrase) for sid, phrase in citations(text)
            if normalise(phrase) not in source_text(sid)]
