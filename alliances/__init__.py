"""Shared logic of the teaching module on alliances among communist states.

Modules:

* :mod:`alliances.data` - validated loaders for the CSV files in ``data/``;
* :mod:`alliances.triangle` - the strategic triangle (patterns, roles, balance);
* :mod:`alliances.vu` - Vu's triangular theory of alliance formation;
* :mod:`alliances.two_criteria` - the op-ed's two-criteria alliance rule;
* :mod:`alliances.history` - triangle periods with their events and treaties;
* :mod:`alliances.explorer` - the kernel-free triangle explorer and history player;
* :mod:`alliances.treaties` - treaty provisions side by side with ATOP's coding;
* :mod:`alliances.charts` - one module of figure functions per chapter;
* :mod:`alliances.widgets` - the ipywidgets versions used in live notebooks;
* :mod:`alliances.exercises`, :mod:`alliances.grade` - exercise checks and the grader;
* :mod:`alliances.rendering` - how charts render in the book and in JupyterLab;
* :mod:`alliances.citations` - checks that citations point at real passages;
* :mod:`alliances.sphinxext` - serves the book's JavaScript locally.
"""
from .rendering import setup_notebook

__all__ = ["setup_notebook"]
