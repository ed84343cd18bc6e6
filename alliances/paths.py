"""Where the project's files live, resolved from the package location."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
BOOK_DIR = ROOT / "book"
#: The three source documents sit in ``../shared/sources`` beside the clone.
SOURCES_DIR = Path(os.environ.get("ALLIANCES_SOURCES", ROOT.parent / "shared" / "sources"))
ATOP_EXTRACT = SOURCES_DIR.parent / "data" / "atop_v4_extract.csv"
#: The browser that prints the PDF edition and drives the browser tests: Debian's
#: chromium-headless-shell (``make browser`` installs it; ``CHROMIUM`` overrides it).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium-headless-shell")
