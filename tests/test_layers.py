"""The package's architecture, read from its source (nothing is imported but
the package's own list of public names):

- every module belongs to one layer, and imports only modules of its own
  layer or of the layers below it; the import graph has no cycle;
- only the data layer reads files: no module above it imports the loaders or
  the project's paths, or calls a function that reads a file;
- no module reaches into another module's private names.
"""
from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

import alliances

PACKAGE = Path(alliances.__file__).resolve().parent

#: The layers, lowest first. ``grading`` is instructor-only (never shipped to
#: students; the student bundle leaves it out).
LAYERS = ("paths", "data", "model", "queries", "charts", "widgets", "exercises", "grading")
#: Build tooling (the Sphinx extensions, the PDF edition, the hub links): outside the layers, imported by none of them.
TOOLING = ("sphinxext", "sphinx_selfcheck", "sphinx_launch", "print_edition", "launch")
FACADE = "alliances"
#: Layers that take frames in and read no file.
NO_FILES = ("model", "queries", "charts", "widgets")
#: The data layer's modules that read files; nothing in ``NO_FILES`` imports them.
READERS = ("alliances.data", "alliances.data.loaders", "alliances.data.validation",
           "alliances.data.citations", "alliances.data.cache", "alliances.paths")
#: Calls that read a file.
READING_CALLS = {"open", "read_text", "read_bytes", "read_csv", "read_json", "read_table",
                 "read_excel", "read_parquet", "read_pickle", "read_fwf", "loadtxt", "genfromtxt"}
READING_MODULE_CALLS = {("json", "load"), ("pickle", "load"), ("nbformat", "read"), ("yaml", "safe_load")}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@lru_cache(maxsize=None)
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def layer_of(module: str) -> str:
    if module == FACADE:
        return "facade"
    top = module.split(".")[1]
    if top in TOOLING:
        return "tooling"
    if top in LAYERS:
        return top
    raise AssertionError(f"{module} belongs to no layer: put it in one of the folders {LAYERS}")


def resolve(name: str) -> str:
    """The module ``name`` is: a public short name (``alliances.triangle``) is the module it names."""
    prefix, _, rest = name.partition(".")
    head = rest.split(".")[0]
    if prefix == FACADE and head in alliances.PUBLIC_MODULES:
        return alliances.PUBLIC_MODULES[head] + rest[len(head):]
    return name


@lru_cache(maxsize=None)
def tree(module: str) -> ast.Module:
    return ast.parse(modules()[module].read_text(encoding="utf-8"), str(modules()[module]))


def imports(module: str) -> list[tuple[int, str, list[str]]]:
    """(line, module imported, names taken from it) for every import of a package module,
    at module level or inside a function."""
    is_package = modules()[module].name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    out = []
    for node in ast.walk(tree(module)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            names = [a.name for a in node.names]
            # ``from . import x`` takes a submodule when there is one
            subs = [f"{target}.{n}" for n in names if resolve(f"{target}.{n}") in modules()]
            rest = [n for n in names if resolve(f"{target}.{n}") not in modules()]
            out += [(node.lineno, s, []) for s in subs]
            if rest or not subs:
                out.append((node.lineno, target, rest))
    return [(line, resolve(t), names) for line, t, names in out
            if t == FACADE or t.startswith(FACADE + ".")]


def test_every_module_has_a_layer_and_imports_only_downwards():
    problems = []
    for module in modules():
        own = layer_of(module)
        for line, target, _ in imports(module):
            if target not in modules():
                problems.append(f"{module}:{line} imports {target}, which is not a module of the package")
                continue
            theirs = layer_of(target)
            if own == "facade":
                continue  # the public face may name any layer
            if theirs == "facade":
                problems.append(f"{module}:{line} imports the package's public face; import the module itself")
            elif theirs == "tooling":
                if own != "tooling":
                    problems.append(f"{module}:{line} imports the build tooling {target}")
            elif own == "tooling":
                if theirs not in ("paths", "data"):
                    problems.append(f"{module}:{line}: the build tooling imports the layer {theirs}")
            elif LAYERS.index(theirs) > LAYERS.index(own):
                problems.append(f"{module}:{line} ({own}) imports {target} ({theirs}), a layer above it")
    assert not problems, "\n".join(problems)


def test_the_import_graph_has_no_cycle():
    graph = {m: sorted({t for _, t, _ in imports(m) if t in modules() and t != m}) for m in modules()}
    state: dict[str, str] = {}
    cycles = []

    def visit(m, trail):
        state[m] = "open"
        for t in graph[m]:
            if state.get(t) == "open":
                cycles.append(" -> ".join(trail[trail.index(t):] + [t]))
            elif t not in state:
                visit(t, trail + [t])
        state[m] = "done"

    for m in graph:
        if m not in state:
            visit(m, [m])
    assert not cycles, "\n".join(cycles)


def test_only_the_data_layer_reads_files():
    problems = []
    for module in modules():
        if layer_of(module) not in NO_FILES:
            continue
        for line, target, _ in imports(module):
            if target in READERS:
                problems.append(f"{module}:{line} imports {target}: take frames in instead")
        for node in ast.walk(tree(module)):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            owner = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else ""
            if name in READING_CALLS or (owner, name) in READING_MODULE_CALLS:
                problems.append(f"{module}:{node.lineno} calls {owner + '.' if owner else ''}{name}()")
    assert not problems, "\n".join(problems)


def test_no_module_uses_another_modules_private_names():
    problems = []
    for module in modules():
        aliases = {}
        for node in ast.walk(tree(module)):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith(FACADE):
                        aliases[a.asname or a.name.split(".")[0]] = a.name
            elif isinstance(node, ast.ImportFrom):
                for a in node.names:
                    if a.name.startswith("_") and not a.name.startswith("__"):
                        problems.append(f"{module}:{node.lineno} imports the private name {a.name}")
                    aliases[a.asname or a.name] = a.name
        package_aliases = {alias for alias, name in aliases.items()
                           if any(resolve(t).endswith("." + name) or t == name for _, t, _ in imports(module))}
        for node in ast.walk(tree(module)):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in package_aliases
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                problems.append(f"{module}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(alliances.PUBLIC_MODULES))
def test_the_names_students_type_are_the_modules_themselves(name):
    """``from alliances import triangle`` and ``import alliances.triangle`` give
    the one module of the model layer (not a copy)."""
    import importlib
    target = importlib.import_module(alliances.PUBLIC_MODULES[name])
    assert getattr(alliances, name) is target
    assert importlib.import_module(f"alliances.{name}") is target
    assert target.__spec__.name == alliances.PUBLIC_MODULES[name]
