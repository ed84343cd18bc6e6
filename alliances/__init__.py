"""Shared logic of the teaching module on alliances among communist states.

Modules:

* :mod:`alliances.data` - validated loaders for the CSV files in ``data/``;
* :mod:`alliances.triangle` - the strategic triangle (patterns, roles, balance);
* :mod:`alliances.vu` - Vu's triangular theory of alliance formation;
* :mod:`alliances.two_criteria` - the op-ed's two-criteria alliance rule;
* :mod:`alliances.rendering` - how charts render in the book and in JupyterLab;
* :mod:`alliances.citations` - checks that citations point at real passages;
* :mod:`alliances.sphinxext` - serves the book's JavaScript locally.
"""
from .rendering import setup_notebook

__all__ = ["setup_notebook"]
