"""The part of the grader that runs inside the sandbox, next to student code.

    python runner.py            (started by :mod:`alliances.grading.sandbox`, never by hand)

It is copied alone into the sandbox, which also holds the student bundle
(the package without the grader, the data), the interpreter and the
virtual environment, all read-only. It imports only the standard library,
IPython and, from the bundle, :mod:`alliances.exercises.answers`.

**The fork server.** The process started in the sandbox imports the heavy
libraries once (pandas, Altair, IPython, the package, its data), makes itself
undumpable (no process may read or write its memory) and then reads jobs,
one JSON line each, from standard input. For each job it forks a child that
never returns to it:

1. the child closes every inherited file descriptor but the job's result
   pipe, and points standard input, output and error at ``/dev/null``;
2. it enters new user, mount, PID, network, IPC and UTS namespaces and forks
   again: the grandchild is process 1 of a PID namespace of its own, so every
   process the student starts dies with it and none can see or signal the
   fork server, the grader or another job;
3. the grandchild mounts a fresh, size-limited ``/tmp`` and ``/dev/shm``
   (the only writable places) and a fresh ``/proc``, sets resource limits
   (address space, file size, processes, open files, CPU seconds), re-seeds
   the random generators, and runs the cells in an IPython shell;
4. after each answer cell it serializes ``answer_qN`` with the fixed
   serializer and writes it to the result pipe, so answers survive a later
   crash or time-out.

The fork server relays what each job writes, tagged with the job id and
capped in size, and enforces the time limits from outside the job: a cell
that runs past its limit is first interrupted (``SIGALRM`` in the job), and
the whole job is killed when it does not stop. A job can forge only its own
result lines, which the grader reads as no more than the student's answers.
"""
from __future__ import annotations

import ctypes
import json
import os
import select
import signal
import sys
import time

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE = 1, 4

LINE_CAP = 6_000_000          # longest line a job may write (an answer is at most 4 MB)
DEFAULT_RESULT_CAP = 24_000_000   # bytes a job may write to its result pipe in all
GRACE = 2.0                   # seconds a cell gets after its alarm before the job is killed

_libc = ctypes.CDLL(None, use_errno=True)


class CellTimeout(BaseException):
    """Raised in a job's cell by the alarm when the cell runs past its limit."""


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


# ---------------------------------------------------------------------------
# The fork server
# ---------------------------------------------------------------------------

def preload() -> None:
    """Import what every job needs, once, before any job runs."""
    os.environ.setdefault("ALLIANCES_RENDER", "book")
    import IPython.core.interactiveshell  # noqa: F401
    import pandas  # noqa: F401
    import altair  # noqa: F401
    import alliances.exercises.answers  # noqa: F401
    from alliances import data
    from alliances.charts.rendering import setup_notebook
    from alliances.exercises import CHAPTER_ORDER
    import importlib
    for name in CHAPTER_ORDER:
        try:
            importlib.import_module(f"alliances.exercises.{name}")
        except ImportError:
            pass
    for name in dir(data):
        if name.startswith("load_") and callable(getattr(data, name)):
            try:
                getattr(data, name)()
            except Exception:  # a loader the data do not support here: the job will say
                pass
    setup_notebook()


def serve() -> None:
    """Read jobs from standard input until it closes; answer on standard output."""
    sandboxed = os.environ.get("ALLIANCES_UNSANDBOXED") != "1"
    preload()
    _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    channel = os.fdopen(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)  # nothing but the channel reaches the grader
    _send(channel, {"ready": True, "pid": os.getpid()})
    for line in sys.stdin.buffer:
        try:
            job = json.loads(line)
        except ValueError:
            continue
        run_job(job, channel, sandboxed)


def _send(channel, message: dict) -> None:
    channel.write((json.dumps(message) + "\n").encode("utf-8"))


def run_job(job: dict, channel, sandboxed: bool) -> None:
    """Fork a job, relay what it writes, enforce its time limits, report its end."""
    jid = job.get("job")
    limits = job.get("limits", {})
    cell_limit = float(limits.get("cell", 30))
    notebook_limit = float(limits.get("notebook", 180))
    result_cap = int(limits.get("result_bytes", DEFAULT_RESULT_CAP))
    read_fd, write_fd = os.pipe()
    ctl_read, ctl_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the job's first process: it never returns
        try:
            _job_process(job, write_fd, ctl_write, sandboxed)
        finally:
            os._exit(70)
    os.close(write_fd)
    os.close(ctl_write)
    inner = _read_inner_pid(ctl_read)
    os.close(ctl_read)
    start = time.monotonic()
    notebook_deadline = start + notebook_limit
    cell_deadline = None
    current_cell = None
    received = 0
    buffer = b""
    reason = ""
    while True:
        now = time.monotonic()
        deadline = min(d for d in (notebook_deadline, cell_deadline) if d is not None)
        if now >= deadline:
            reason = ("cell timeout" if cell_deadline is not None and now >= cell_deadline
                      and cell_deadline <= notebook_deadline else "notebook timeout")
            break
        ready, _, _ = select.select([read_fd], [], [], deadline - now)
        if not ready:
            continue
        chunk = os.read(read_fd, 65536)
        if not chunk:
            break
        received += len(chunk)
        if received > result_cap:
            reason = "too much output"
            break
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            text = line.decode("utf-8", "replace")
            _send(channel, {"job": jid, "child": text})
            event = _parse(text)
            if "start" in event and isinstance(event.get("cell"), int):
                current_cell = event["cell"]
                cell_deadline = time.monotonic() + cell_limit + GRACE
            elif "end" in event:
                cell_deadline = None
        if len(buffer) > LINE_CAP:
            reason = "too much output"
            break
    if reason:
        for target in (inner, pid):
            if target:
                try:
                    os.kill(target, signal.SIGKILL)
                except OSError:
                    pass
    os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    _send(channel, {"job": jid, "end": True, "reason": reason, "code": code,
                    "cell": current_cell, "seconds": round(time.monotonic() - start, 3)})


def _read_inner_pid(fd: int) -> int:
    ready, _, _ = select.select([fd], [], [], 10)
    data = os.read(fd, 32) if ready else b""
    try:
        return int(data.decode().strip() or 0)
    except ValueError:
        return 0


def _parse(text: str) -> dict:
    if len(text) > 500 or not text.startswith("{"):  # answers are long; events are short
        return {}
    try:
        event = json.loads(text)
    except ValueError:
        return {}
    return event if isinstance(event, dict) else {}


# ---------------------------------------------------------------------------
# One job
# ---------------------------------------------------------------------------

def _job_process(job: dict, write_fd: int, ctl_write: int, sandboxed: bool) -> None:
    """The job's first process: isolate, then fork the job's process 1 and wait for it."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    _close_others({0, 1, 2, write_fd, ctl_write})
    uid, gid = os.getuid(), os.getgid()
    _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # to write its own uid_map; the server stays undumpable
    if sandboxed:
        _check(_libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET
                             | CLONE_NEWIPC | CLONE_NEWUTS), "unshare")
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
    else:
        os.setsid()
    inner = os.fork()
    if inner == 0:
        os.close(ctl_write)
        try:
            _job_init(job, write_fd, sandboxed)
        finally:
            os._exit(71)
    os.write(ctl_write, f"{inner}\n".encode())
    os.close(ctl_write)
    os.close(write_fd)
    _, status = os.waitpid(inner, 0)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF if os.WIFEXITED(status)
             else 128 + os.WTERMSIG(status))


def _close_others(keep: set[int]) -> None:
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


def _job_init(job: dict, write_fd: int, sandboxed: bool) -> None:
    """Process 1 of the job: its own /tmp and /proc, its limits, then the cells."""
    import resource

    limits = job.get("limits", {})
    os.setsid()  # a group of its own: kill(0, ...) reaches no process outside the job
    if sandboxed:
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        _check(_libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "mount private")
        size = f"size={int(limits.get('file_mb', 64))}m,mode=0777".encode()
        _check(_libc.mount(b"tmpfs", b"/tmp", b"tmpfs", MS_NOSUID | MS_NODEV, size), "mount /tmp")
        _check(_libc.mount(b"tmpfs", b"/dev/shm", b"tmpfs", MS_NOSUID | MS_NODEV, b"size=16m"),
               "mount /dev/shm")
        _check(_libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None),
               "mount /proc")
        work = "/tmp/work"
    else:
        import tempfile
        work = tempfile.mkdtemp(prefix="alliances-unsandboxed-")
    os.makedirs(work, exist_ok=True)
    os.makedirs(os.path.join(os.path.dirname(work), "home"), exist_ok=True)
    os.chdir(work)
    os.environ["HOME"] = os.path.join(os.path.dirname(work), "home")
    os.environ["TMPDIR"] = os.path.dirname(work)
    mem = int(limits.get("memory_mb", 3072)) * 1024 * 1024
    file_size = int(limits.get("file_mb", 64)) * 1024 * 1024
    cpu = int(float(limits.get("notebook", 180)) + 5)
    for name, value in ((resource.RLIMIT_AS, mem), (resource.RLIMIT_FSIZE, file_size),
                        (resource.RLIMIT_NPROC, int(limits.get("processes", 32))),
                        (resource.RLIMIT_NOFILE, 256), (resource.RLIMIT_CORE, 0),
                        (resource.RLIMIT_CPU, cpu)):
        try:
            resource.setrlimit(name, (value, value))
        except (ValueError, OSError):
            pass
    _reseed()
    run_cells(job.get("cells", []), write_fd, float(limits.get("cell", 30)))
    os._exit(0)


def _reseed() -> None:
    import random
    random.seed(0)
    try:
        import numpy
        numpy.random.seed(0)
    except ImportError:
        pass


_JOB_PID = [0]


def _emit(fd: int, message: dict) -> None:
    if os.getpid() != _JOB_PID[0]:
        os._exit(0)  # a process the student's code forked never speaks for the job
    data = (json.dumps(message, allow_nan=False) + "\n").encode("utf-8")
    while data:
        written = os.write(fd, data)
        data = data[written:]


def _end_other_processes() -> None:
    """After each cell, no process the cell started lives on: the job is process 1 of
    its own PID namespace, so ``kill(-1)`` reaches exactly the others in it."""
    if os.getpid() != 1:
        return  # not in a namespace of our own (--no-sandbox): -1 would reach far too much
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _alarm(signum, frame):
    raise CellTimeout()


def run_cells(cells: list[dict], fd: int, cell_limit: float) -> None:
    """Run the cells in order; report each cell's end and each answer."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config
    from alliances.exercises.answers import MAX_ANSWER_CHARS, Unreadable, to_json

    _JOB_PID[0] = os.getpid()
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell(config=config)
    shell.display_formatter.active_types = ["text/plain"]
    for index, cell in enumerate(cells):
        qid = cell.get("qid")
        _emit(fd, {"cell": index, "start": True})
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, cell_limit)
        error = None
        timed_out = False
        try:
            result = shell.run_cell(cell.get("source", ""), store_history=False, silent=False)
            failure = result.error_before_exec or result.error_in_exec
            if isinstance(failure, CellTimeout):
                timed_out = True
            elif failure is not None:
                error = _describe(failure)
        except CellTimeout:
            timed_out = True
        except BaseException as err:  # the shell itself failed on this cell
            error = _describe(err)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if os.getpid() != _JOB_PID[0]:
            os._exit(0)  # a fork of the student's that finished the cell: it goes no further
        _end_other_processes()
        _emit(fd, {"cell": index, "end": True, "error": error, "timeout": timed_out})
        if qid and not timed_out and error is None:
            _report_answer(fd, qid, shell.user_ns, to_json, Unreadable, MAX_ANSWER_CHARS,
                           cell_limit)
    _emit(fd, {"done": True})


def _report_answer(fd, qid, namespace, to_json, unreadable, cap, cell_limit) -> None:
    name = f"answer_{qid}"
    signal.setitimer(signal.ITIMER_REAL, cell_limit)
    try:
        if name not in namespace:
            message = {"answer": qid, "missing": True}
        else:
            value = to_json(namespace[name])
            text = json.dumps(value, allow_nan=False)
            if len(text) > cap:
                message = {"answer": qid, "unreadable": "the answer is too large"}
            else:
                message = {"answer": qid, "value": value}
    except unreadable as why:
        message = {"answer": qid, "unreadable": str(why)}
    except CellTimeout:
        message = {"answer": qid, "unreadable": "reading the answer took too long"}
    except BaseException as err:
        message = {"answer": qid, "unreadable": f"reading it raised {type(err).__name__}"}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    _emit(fd, message)


def _describe(err: BaseException) -> dict:
    text = ""
    try:
        text = str(err)
    except BaseException:
        pass
    return {"type": type(err).__name__[:80], "message": text[:300]}


if __name__ == "__main__":
    serve()
