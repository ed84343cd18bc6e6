"""The data layer: the only part of the package that reads files.

* :mod:`.loaders` - one validated loader per CSV file of ``data/`` (``load_events()``, ...);
* :mod:`.schemas` and :mod:`.validation` - the column contracts and their checks;
* :mod:`.citations` - the citation pattern, and checks against the source documents;
* :mod:`.dates` - partial ISO dates (``1958``, ``1958-07``) and the periods they name;
* :mod:`.values` - blank cells and ``;``-separated id lists;
* :mod:`.vocabulary` - closed vocabularies, and the one table of triangle codes.
* :mod:`.cache` - what the package builds once per machine and keeps (the live charts'
  Vega bundle), and the one atomic file write.

Students type ``from alliances import data`` and ``data.load_events()``; the
names below are that public face. Layers above the data read no file: they
take the frames these loaders return.
"""
from .dates import PARTIAL_DATE, partial_date, period_end
from .loaders import (LOADERS, load, load_actor_names, load_actors, load_alignment_cases,
                      load_alliance_spans, load_disputes, load_events, load_explanations,
                      load_quantities, load_source_documents, load_treaties, load_treaty_atop,
                      load_triangle_periods, load_two_chinas_two_koreas)
from .schemas import SPECS, Col, schema_for
from .validation import DataError, validate
from .values import is_blank, split_ids, text
from .vocabulary import END_STATUS, RELATION_VALUES, THEME_CODES, TRIANGLE_CODES, TRIANGLES, YES_NO

__all__ = [
    "PARTIAL_DATE", "partial_date", "period_end",
    "LOADERS", "load", "load_actor_names", "load_actors", "load_alignment_cases",
    "load_alliance_spans", "load_disputes", "load_events", "load_explanations",
    "load_quantities", "load_source_documents", "load_treaties", "load_treaty_atop",
    "load_triangle_periods", "load_two_chinas_two_koreas",
    "SPECS", "Col", "schema_for", "DataError", "validate",
    "is_blank", "split_ids", "text",
    "END_STATUS", "RELATION_VALUES", "THEME_CODES", "TRIANGLE_CODES", "TRIANGLES", "YES_NO",
]
