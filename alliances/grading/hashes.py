"""Write the table of salted answer hashes that the in-class checks compare.

    python -m alliances.grading.hashes          # (re)write alliances/exercises/answer_hashes.json
    python -m alliances.grading.hashes --check  # exit 1 if the table is not current

The table holds, per exercise and question, a random salt and the PBKDF2 hash
of the canonical right answer; never the answer. Salts are kept when the
table is rewritten, so the same key gives the same file. Rewrite it whenever
the data or the key change (a test fails until you do).
"""
from __future__ import annotations

import argparse
import json
import secrets
import sys

from ..exercises import HASHES_FILE
from ..exercises.answers import answer_hash
from .key import all_keys


def table(old: dict | None = None) -> dict:
    """The hash table for the current key, reusing the salts of ``old``."""
    old = old or {}
    out: dict[str, dict] = {}
    for name, key in all_keys().items():
        rows = {}
        for qid, target in key.targets.items():
            if target is None:
                continue
            salt = old.get(name, {}).get(qid, {}).get("salt") or secrets.token_hex(16)
            rows[qid] = {"salt": salt, "hash": answer_hash(name, qid, target, salt)}
        out[name] = rows
    return out


def render(tab: dict) -> str:
    return json.dumps(tab, indent=1, sort_keys=True) + "\n"


def current_text() -> str:
    try:
        return HASHES_FILE.read_text(encoding="utf-8")
    except OSError:
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check that the table is current")
    args = parser.parse_args(argv)
    text = current_text()
    old = json.loads(text) if text else {}
    new = render(table(old))
    if args.check:
        if new != text:
            print(f"{HASHES_FILE} is not current: run python -m alliances.grading.hashes")
            return 1
        print(f"{HASHES_FILE} is current")
        return 0
    HASHES_FILE.write_text(new, encoding="utf-8")
    print(f"wrote {HASHES_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
