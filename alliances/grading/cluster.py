"""Grade on an existing Dask cluster: one task per submission, each in a sandbox on its worker.

    python -m alliances.grading SUBMISSIONS --out OUT --scheduler tcp://HOST:8786

The grader reads the folder and writes every output itself; only the
grading of each submission (its answer cells in, its result out, both plain
data) runs on the cluster. Each worker process keeps its own student bundle
and one sandboxed fork server per worker thread, started on its first task,
so every task still runs in the sandbox of :mod:`alliances.grading.sandbox`.
The workers need the course's environment (this repository installed, with
bubblewrap): start them from the same image or virtual environment, e.g.
with dask-jobqueue on Slurm or the Dask Kubernetes operator.
"""
from __future__ import annotations

import atexit
import tempfile
import threading
from pathlib import Path
from typing import Callable

from .batch import Result, grade_submission
from .sandbox import Limits, Sandbox, check_available
from .submissions import Submission

_STATE: dict = {}
_LOCK = threading.Lock()


def _sandbox(sandboxed: bool) -> Sandbox:
    """This worker thread's sandbox (the worker's bundle is written once)."""
    from ..exercises.bundle import write_bundle

    with _LOCK:
        if "bundle" not in _STATE:
            if sandboxed:
                check_available()
            tmp = Path(tempfile.mkdtemp(prefix="alliances-worker-"))
            tmp.chmod(0o755)
            write_bundle(tmp / "bundle", for_grading=True)
            _STATE["bundle"] = tmp / "bundle"
            _STATE["sandboxes"] = {}
            atexit.register(_stop_all)
        key = (threading.get_ident(), sandboxed)
        if key not in _STATE["sandboxes"]:
            _STATE["sandboxes"][key] = Sandbox(_STATE["bundle"], sandboxed)
        return _STATE["sandboxes"][key]


def _stop_all() -> None:
    for sb in _STATE.get("sandboxes", {}).values():
        sb.stop()


def grade_task(payload: dict, limits: dict, sandboxed: bool) -> dict:
    """The task a Dask worker runs: one submission's answers in, its result out."""
    sub = Submission.from_payload(payload)
    label = "bubblewrap" if sandboxed else "unsandboxed"
    return grade_submission(sub, _sandbox(sandboxed), Limits(**limits), label).as_dict()


def grade_on_cluster(subs: list[Submission], scheduler: str, limits: Limits, sandboxed: bool,
                     on_result: Callable[[Result], None] | None = None) -> list[Result]:
    """Grade the gradable submissions on the cluster at ``scheduler``; results in order."""
    from dataclasses import asdict

    from distributed import Client, as_completed

    label = "bubblewrap" if sandboxed else "unsandboxed"
    results: dict[str, Result] = {}
    for sub in subs:
        if not sub.gradable:
            results[sub.name] = grade_submission(sub, None, limits, label)
            if on_result:
                on_result(results[sub.name])
    todo = [s for s in subs if s.gradable]
    with Client(scheduler, timeout="60s") as client:
        futures = {client.submit(grade_task, s.payload(), asdict(limits), sandboxed,
                                 pure=False, key=f"alliances-grade-{i}"): s
                   for i, s in enumerate(todo)}
        for fut in as_completed(futures):
            sub = futures[fut]
            results[sub.name] = Result.from_dict(fut.result())
            if on_result:
                on_result(results[sub.name])
    return [results[s.name] for s in subs]
