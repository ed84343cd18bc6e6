"""Shared logic of the teaching module on alliances among communist states.

The package is built in layers; each imports only the layers below it, and
only the data layer reads files (``tests/test_layers.py`` enforces both):

1. :mod:`alliances.data` - loaders, schemas, validation, dates, citations;
2. :mod:`alliances.model` - the pure models: triangle, Vu's theory, the
   op-ed's two-criteria rule, the explorer's presets, the phases;
3. :mod:`alliances.queries` - functions over the loaded frames: history,
   treaties, phases, cases, explorer states;
4. :mod:`alliances.charts` - frames in, Altair charts out (and how they render);
5. :mod:`alliances.widgets` - ipywidgets over the charts and models, for live notebooks;
6. :mod:`alliances.exercises` - the exercise checks that ship to students;
7. :mod:`alliances.grading` - instructor-only, never shipped.

:mod:`alliances.paths` (where files live) sits below every layer;
:mod:`alliances.sphinxext` is build tooling, outside them.

This module is the package's public face and imports nothing eagerly, so that
importing one module loads only what that module needs (the triangle model
loads neither pandas, Altair nor ipywidgets). Chapters call
``alliances.setup_notebook()``; students type ``from alliances import data,
triangle, vu, two_criteria`` (:data:`PUBLIC_MODULES` says where each lives).
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

#: The short names students and exercise notebooks use, and the module each one is.
#: ``alliances.triangle`` *is* ``alliances.model.triangle`` (the same module
#: object), however it is imported: ``from alliances import triangle``,
#: ``import alliances.triangle`` or ``from alliances.triangle import Triangle``.
PUBLIC_MODULES = {
    "data": "alliances.data",
    "triangle": "alliances.model.triangle",
    "vu": "alliances.model.vu",
    "two_criteria": "alliances.model.two_criteria",
}

__all__ = ["setup_notebook", *PUBLIC_MODULES]


class _PublicName(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports ``alliances.<public name>`` as the module it names."""

    def find_spec(self, fullname, path=None, target=None):
        prefix, _, name = fullname.partition(".")
        if prefix != __name__ or name not in PUBLIC_MODULES or PUBLIC_MODULES[name] == fullname:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        module = importlib.import_module(PUBLIC_MODULES[spec.name.partition(".")[2]])
        spec.loader_state = module.__spec__
        return module

    def exec_module(self, module):
        # The target module has run already; importlib has just given it the
        # alias's spec, so give it back its own.
        module.__spec__ = module.__spec__.loader_state


if not any(isinstance(finder, _PublicName) for finder in sys.meta_path):
    sys.meta_path.append(_PublicName())


def setup_notebook() -> None:
    """Configure Altair and pandas for this notebook's context
    (:func:`alliances.charts.rendering.setup_notebook`); live charts take
    their Vega bundle from the data layer's cache (:mod:`alliances.data.cache`),
    so only the first live kernel on a machine builds it."""
    from .charts.rendering import setup_notebook as setup
    from .data.cache import kept_text
    setup(store=kept_text)


def __getattr__(name: str):
    if name in PUBLIC_MODULES:
        module = importlib.import_module(PUBLIC_MODULES[name])
        globals()[name] = module
        return module
    raise AttributeError(f"module 'alliances' has no attribute {name!r}")
