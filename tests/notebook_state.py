"""The saved widget state of a committed notebook, checked in nbval's own kernel.

Strict nbval runs every notebook once and compares each cell's output with the
committed one. The book is built from the committed notebooks without running
them again (``execute_notebooks: "off"``), and it also shows the widgets'
*saved state* (``metadata.widgets``), which nbval does not compare. This
plugin adds one test item after the last cell of each notebook: in the same
kernel, after nbval has run every cell, it asks ipywidgets for the state of
every widget and compares it with the state saved in the notebook. A notebook
not re-executed (``make execute``) after a change to the code, the data or
the notebook fails here or in nbval, so no stale output reaches the book.

Widget ids are random, and nbformat saves the widgets sorted by id, so both
states are compared as sets of widgets, each written out with the widgets it
refers to in place of their ids (and Altair's random element ids masked, as
nbval's sanitizer does for cell outputs).

Loaded for every pytest run by ``pytest.ini`` (``-p notebook_state``).
"""
from __future__ import annotations

import json
import re

import pytest

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: Runs in the notebook's kernel; binds no name in the notebook's namespace.
ASK_KERNEL = ("(lambda json, widgets: print(json.dumps(widgets.Widget.get_manager_state("
              "drop_defaults=False))))(__import__('json'), __import__('ipywidgets'))")
REFERENCE = re.compile(r"^IPY_MODEL_([0-9a-f]{32})$")
MASKS = ((re.compile(r"altair-viz-[0-9a-f]{32}"), "altair-viz-ID"), (re.compile(r"at 0x[0-9a-f]+"), "at 0xADDR"))
TIMEOUT = 60


def canonical(state: dict) -> list[str]:
    """The widgets of a manager state (``{"state": {id: model}}``) as sorted
    JSON texts, each with the widgets it refers to written out in place of their ids."""
    models = state.get("state", {})
    texts: dict[str, str] = {}

    def value(v):
        if isinstance(v, str):
            ref = REFERENCE.match(v)
            if ref and ref.group(1) in models:
                return {"widget": model(ref.group(1))}
            for pattern, mask in MASKS:
                v = pattern.sub(mask, v)
            return v
        if isinstance(v, list):
            return [value(x) for x in v]
        if isinstance(v, dict):
            return {k: value(x) for k, x in v.items()}
        return v

    def model(model_id: str) -> str:
        if model_id not in texts:
            texts[model_id] = "(a reference cycle)"
            m = models[model_id]
            texts[model_id] = json.dumps({"model": m["model_name"], "module": m["model_module"],
                                          "state": value(m["state"])}, sort_keys=True, ensure_ascii=False)
        return texts[model_id]

    return sorted(model(model_id) for model_id in models)


def kernel_state(kernel) -> dict:
    """The widget state of nbval's running kernel."""
    msg_id = kernel.execute_cell_input(ASK_KERNEL, allow_stdin=False)
    kernel.await_reply(msg_id, timeout=TIMEOUT)
    out = []
    while True:
        msg = kernel.get_message(stream="iopub", timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            raise AssertionError("the kernel could not report its widgets: "
                                 + "\n".join(msg["content"]["traceback"]))
        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    return json.loads("".join(out))


def difference(saved: list[str], running: list[str]) -> str:
    """Which widgets differ, and in which fields (for the failure message)."""
    new = [json.loads(w) for w in running if w not in saved]
    old = [json.loads(w) for w in saved if w not in running]
    lines = [f"{len(new)} widget(s) of the run are not saved as they are; {len(old)} saved widget(s) "
             f"are not in the run."]
    for widget in new[:3]:
        same_kind = [w for w in old if w["model"] == widget["model"]]
        if not same_kind:
            lines.append(f"- a {widget['model']} that the notebook does not save")
            continue
        closest = max(same_kind, key=lambda w: sum(w["state"].get(k) == v for k, v in widget["state"].items()))
        fields = [k for k in widget["state"] if closest["state"].get(k) != widget["state"][k]]
        for k in fields[:3]:
            lines.append(f"- {widget['model']}.{k}: saved {str(closest['state'].get(k))[:200]!r}, "
                         f"now {str(widget['state'][k])[:200]!r}")
    return "\n".join(lines)


class WidgetState(pytest.Item):
    """After the notebook's last cell: the widgets in the kernel are the widgets saved in the notebook."""

    def runtest(self):
        notebook = self.parent
        saved = canonical(notebook.nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}))
        running = canonical(kernel_state(notebook.kernel))
        if saved != running:
            raise AssertionError(f"{notebook.fspath}: the saved widget state is stale; run "
                                 f"`make execute` and commit.\n" + difference(saved, running))

    def reportinfo(self):
        return self.path, None, f"{self.parent.name}::widget state"


def pytest_collection_modifyitems(session, config, items):
    """Insert a :class:`WidgetState` item after the last cell of each notebook nbval collected."""
    from nbval.plugin import IPyNbCell
    last = {}
    for i, item in enumerate(items):
        if isinstance(item, IPyNbCell):
            last[item.parent] = i
    for notebook, i in sorted(last.items(), key=lambda kv: -kv[1]):
        items.insert(i + 1, WidgetState.from_parent(notebook, name="widget state"))
