"""A one-chapter Jupyter Book built with the book's own extension, for tests
that need settings the real book does not have (launch buttons, a broken
self-check file) without building and executing the whole book again."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT

CHAPTER = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": [
            "# A mini chapter\n\n## Section one\n\nKim writes that after 1958 the United States "
            "mattered less (004 \"after 1958 the U.S. factor became secondary\").\n\n"
            "## Section two\n\nThe end.\n"]},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
         "source": ["1 + 1"]},
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}

QUESTION = """\
- id: mini-one
  chapter: mini
  section: {section}
  kind: text
  prompt: After which year did the US factor become secondary, for Kim?
  answers: ["1958"]
  feedback: Look at the sentence above.
  explanation: >-
    After 1958 (004 "after 1958 the U.S. factor became secondary").
"""


def build(where: Path, repository: dict | None = None, launch: dict | None = None,
          section: str = "Section one") -> tuple[int, str, Path]:
    """Build the mini book in ``where``; return (exit code, log, html folder)."""
    (where / "book").mkdir(parents=True, exist_ok=True)
    (where / "book" / "mini.ipynb").write_text(json.dumps(CHAPTER), encoding="utf-8")
    shutil.copy(ROOT / "references.bib", where / "references.bib")
    questions = where / "selfcheck.yml"
    questions.write_text(QUESTION.format(section=section), encoding="utf-8")
    config = {
        "title": "Mini", "author": "Tests", "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "bibtex_bibfiles": ["references.bib"],
        "repository": repository or {"url": "", "branch": "main", "path_to_book": ""},
        "launch_buttons": launch or {"notebook_interface": "jupyterlab", "jupyterhub_url": "",
                                     "binderhub_url": "https://mybinder.org",
                                     "colab_url": "https://colab.research.google.com"},
        "html": {"use_issues_button": False, "use_edit_page_button": False},
        "sphinx": {"extra_extensions": ["alliances.sphinxext", "alliances.sphinx_selfcheck",
                                        "alliances.sphinx_launch"],
                   "config": {"alliances_selfcheck_file": str(questions),
                              "bibtex_reference_style": "author_year"}},
    }
    (where / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (where / "_toc.yml").write_text("format: jb-book\nroot: book/mini\n", encoding="utf-8")
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", "--all", "-W", "-n",
         "--keep-going", str(where)],
        cwd=where, capture_output=True, text=True, env={**os.environ, "ALLIANCES_RENDER": "book"},
        timeout=300)
    return proc.returncode, proc.stdout[-8000:] + proc.stderr[-8000:], where / "_build" / "html"
