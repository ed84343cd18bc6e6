"""Start the sandbox (bubblewrap around the fork server) and run jobs in it.

The sandbox sees, read-only, only what a student already has or needs to run
Python: the interpreter, the virtual environment, the *student bundle* (the
package without :mod:`alliances.grading`, and the data; see
:mod:`alliances.exercises.bundle`) and the runner script. The repository, the
instructor sources, the key, the submissions folder, the output folder, the
home directory and the network are not in it. Its environment is empty but
for a few fixed variables. Run as root, the grader starts the sandbox as the
unprivileged user ``nobody``, so that process limits apply.

A :class:`Sandbox` is one fork server; the grader keeps one per worker and
sends it one job at a time (see :mod:`alliances.grading.runner` for what
happens inside).
"""
from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

RUNNER = Path(__file__).resolve().parent / "runner.py"
LAUNCHER = Path(__file__).resolve().parent / "launch.py"
#: bubblewrap: ``$ALLIANCES_BWRAP``, else the one on the PATH.
BWRAP = os.environ.get("ALLIANCES_BWRAP") or shutil.which("bwrap") or "/usr/bin/bwrap"
NOBODY = 65534
#: Seconds the fork server may take to import everything and say it is ready.
START_TIMEOUT = 120.0
#: Seconds beyond a job's notebook limit before the grader gives up on the server.
SERVER_GRACE = 20.0
#: Bytes of one line the grader reads from the server.
LINE_LIMIT = 32_000_000
ETC_FILES = ("/etc/ld.so.cache", "/etc/localtime", "/etc/passwd", "/etc/group",
             "/etc/nsswitch.conf", "/etc/hosts")

SANDBOX_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "HOME": "/tmp/home",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONNOUSERSITE": "1",
    "ALLIANCES_RENDER": "book",
    "MPLBACKEND": "agg",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "IPYTHONDIR": "/tmp/ipython",
    "JUPYTER_PLATFORM_DIRS": "1",
}


class SandboxUnavailable(RuntimeError):
    """bubblewrap cannot run here; the message says what to do."""


@dataclass(frozen=True)
class Limits:
    """What one job may use."""

    cell_timeout: float = 30.0       # seconds per cell
    timeout: float = 120.0           # seconds for the whole notebook
    memory_mb: int = 3072            # address space of the job's processes
    file_mb: int = 64                # its /tmp, and the largest file it may write
    processes: int = 32              # processes and threads at once
    result_mb: int = 24              # what it may write to the grader

    def as_job(self) -> dict:
        return {"cell": self.cell_timeout, "notebook": self.timeout,
                "memory_mb": self.memory_mb, "file_mb": self.file_mb,
                "processes": self.processes, "result_bytes": self.result_mb * 1024 * 1024}


@dataclass
class JobResult:
    """What came back from one job: the lines it wrote, and how it ended."""

    lines: list[str] = field(default_factory=list)
    reason: str = ""          # "", "cell timeout", "notebook timeout", "too much output",
                              # "sandbox failure"
    code: int | None = None   # exit code of the job (negative: killed by that signal)
    cell: int | None = None   # the cell that was running when it ended, if known


def _log_file():
    """Where the fork server's own errors go: ``$ALLIANCES_GRADE_LOG`` (a debugging aid
    for instructors) or nowhere. Never a place the gradebook is read from."""
    path = os.environ.get("ALLIANCES_GRADE_LOG")
    return open(path, "ab") if path else subprocess.DEVNULL


def _reachable_tmp() -> str:
    """A temporary folder that ``nobody`` can reach (every folder above it searchable)."""
    import stat
    for candidate in (tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm"):
        path = Path(candidate).resolve()
        if path.is_dir() and all(p.stat().st_mode & stat.S_IXOTH for p in (path, *path.parents)):
            return str(path)
    raise SandboxUnavailable("no temporary folder that the unprivileged user can reach")


def _dropping_privileges() -> bool:
    return os.geteuid() == 0


def check_available() -> None:
    """Raise :class:`SandboxUnavailable` unless bubblewrap can build our sandbox here."""
    if sys.platform != "linux":
        raise SandboxUnavailable(
            "the grader's sandbox needs Linux (bubblewrap and user namespaces); this is "
            f"{sys.platform}. Grade on a Linux machine or the course's JupyterHub server, or "
            "pass --no-sandbox to grade without one (every row is then marked unsandboxed).")
    if not Path(BWRAP).exists():
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed. Install it (Debian/Ubuntu: "
            "sudo apt-get install bubblewrap; `make grade` does this when run as root), or pass "
            "--no-sandbox to grade without a sandbox (every row is then marked unsandboxed).")
    probe = [BWRAP, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
             "--dev", "/dev", "--proc", "/proc", "/bin/true"]
    kwargs = {"user": NOBODY, "group": NOBODY, "extra_groups": []} if _dropping_privileges() else {}
    try:
        proc = subprocess.run(probe, capture_output=True, text=True, timeout=30, **kwargs)
    except (OSError, subprocess.SubprocessError) as err:
        raise SandboxUnavailable(f"bubblewrap could not start ({err}).") from None
    if proc.returncode != 0:
        raise SandboxUnavailable(
            "bubblewrap cannot create a sandbox here: " + (proc.stderr.strip() or
            f"exit code {proc.returncode}") + ". It needs unprivileged user namespaces "
            "(sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces > 0; some "
            "container runtimes forbid them). Ask the server's administrator, or pass "
            "--no-sandbox to grade without a sandbox (every row is then marked unsandboxed).")


class Sandbox:
    """One fork server in its sandbox (or, with ``sandboxed=False``, without one)."""

    def __init__(self, bundle: Path, sandboxed: bool = True):
        self.bundle = Path(bundle)
        self.sandboxed = sandboxed
        self.proc: subprocess.Popen | None = None
        self._buffer = b""
        self._stage: Path | None = None
        self._next_job = 0
        self.starts = 0

    # --- starting and stopping -------------------------------------------

    def _command(self, fds: list[int]) -> list[str]:
        """The bubblewrap command line (and, run as root, the launcher before it)."""
        python = sys.executable
        prefixes = sorted({Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()},
                          key=lambda p: len(str(p)))
        # what the sandbox binds from the host: (host folder, path inside)
        binds = [(prefix, prefix) for prefix in prefixes] + [(self.bundle.resolve(),
                                                             Path("/course"))]
        launcher: list[str] = []
        sources = {inside: host for host, inside in binds}
        if _dropping_privileges():
            stage = Path(tempfile.mkdtemp(prefix="alliances-stage-", dir=_reachable_tmp()))
            stage.chmod(0o755)
            self._stage = stage
            launcher = [sys.executable, "-I", "-S", str(LAUNCHER), "--uid", str(NOBODY),
                        "--gid", str(NOBODY)]
            for n, (host, inside) in enumerate(binds):
                mountpoint = stage / f"p{n}"
                mountpoint.mkdir()
                sources[inside] = mountpoint
                launcher += ["--bind", str(host), str(mountpoint)]
            launcher.append("--")
        # the host name names the grader's process, so a test can find every sandbox it started
        cmd = [BWRAP, "--unshare-all", "--die-with-parent", "--new-session",
               "--hostname", f"alliances-sandbox-of-{os.getpid()}", "--clearenv"]
        for name, value in SANDBOX_ENV.items():
            cmd += ["--setenv", name, value]
        cmd += ["--setenv", "PYTHONPATH", "/course"]
        for top in ("/usr", "/bin", "/lib", "/lib64", "/lib32", "/sbin"):
            path = Path(top)
            if path.is_symlink():
                cmd += ["--symlink", os.readlink(top), top]
            elif path.is_dir():
                cmd += ["--ro-bind", top, top]
        for etc in ETC_FILES:
            cmd += ["--ro-bind-try", etc, etc]
        for _, inside in binds:
            cmd += ["--ro-bind", str(sources[inside]), str(inside)]
        fd = os.open(RUNNER, os.O_RDONLY)
        fds.append(fd)
        cmd += ["--ro-bind-data", str(fd), "/grader/runner.py",
                "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
                "--remount-ro", "/tmp", "--remount-ro", "/dev", "--remount-ro", "/",
                "--chdir", "/", python, "-B", "-s", "/grader/runner.py"]
        return launcher + cmd

    def start(self) -> None:
        """Start the fork server and wait until it has imported everything."""
        self.stop()
        self.starts += 1
        fds: list[int] = []
        try:
            if self.sandboxed:
                cmd = self._command(fds)
                kwargs = {}
                env = {}
            else:
                cmd = [sys.executable, "-B", "-s", str(RUNNER)]
                kwargs = {}
                env = {**SANDBOX_ENV, "PYTHONPATH": str(self.bundle),
                       "ALLIANCES_UNSANDBOXED": "1", "HOME": tempfile.gettempdir()}
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=_log_file(), pass_fds=fds, env=env,
                                         start_new_session=True, **kwargs)
        finally:
            for fd in fds:
                os.close(fd)
        self._buffer = b""
        message = self._read_message(time.monotonic() + START_TIMEOUT)
        if not message or not message.get("ready"):
            self.stop()
            raise SandboxUnavailable("the grader's sandbox did not start (its fork server "
                                     "exited before it was ready)")

    def stop(self) -> None:
        """Stop the fork server and everything in its sandbox."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            proc.stdin.close()
        except OSError:
            pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            proc.kill()
        except OSError:
            pass
        proc.wait()
        proc.stdout.close()
        if self._stage is not None:
            for mountpoint in self._stage.iterdir():  # empty: the mounts lived in the launcher
                mountpoint.rmdir()
            self._stage.rmdir()
            self._stage = None

    def __enter__(self) -> "Sandbox":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- jobs --------------------------------------------------------------

    def run(self, cells: list[dict], limits: Limits) -> JobResult:
        """Run one job (a list of ``{"source", "qid"}`` cells); never raises."""
        try:
            if self.proc is None or self.proc.poll() is not None:
                self.start()
            return self._run(cells, limits)
        except (OSError, SandboxUnavailable, ValueError) as err:
            self.stop()
            return JobResult(reason="sandbox failure", code=None, cell=None,
                             lines=[json.dumps({"grader": str(err)[:200]})])

    def _run(self, cells: list[dict], limits: Limits) -> JobResult:
        self._next_job += 1
        jid = self._next_job
        job = {"job": jid, "cells": cells, "limits": limits.as_job()}
        self.proc.stdin.write((json.dumps(job) + "\n").encode("utf-8"))
        self.proc.stdin.flush()
        deadline = time.monotonic() + limits.timeout + SERVER_GRACE
        result = JobResult()
        while True:
            message = self._read_message(deadline)
            if message is None:  # the server died or hung: restart it for the next job
                self.stop()
                result.reason = result.reason or "sandbox failure"
                return result
            if message.get("job") != jid:
                continue
            if "child" in message and isinstance(message["child"], str):
                result.lines.append(message["child"])
            elif message.get("end"):
                result.reason = str(message.get("reason") or "")
                code = message.get("code")
                result.code = code if isinstance(code, int) else None
                cell = message.get("cell")
                result.cell = cell if isinstance(cell, int) else None
                return result

    def _read_message(self, deadline: float) -> dict | None:
        """The next JSON line from the server, or None (it died, or the deadline passed)."""
        fd = self.proc.stdout.fileno()
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not sel.select(remaining):
                    return None
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    return None
                self._buffer += chunk
                if len(self._buffer) > LINE_LIMIT:
                    return None
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except ValueError:
            return {}
        return message if isinstance(message, dict) else {}
