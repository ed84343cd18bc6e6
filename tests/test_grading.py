"""The grader, run for real (``python -m alliances.grading``) on a class of attacks.

The class (``tests/fixtures/grading/make_fixtures.py``) holds ordinary students,
one submission per attack of the threat model and one per file-format case.
It is graded twice, sandboxed, by the real command: on this machine, then on a
real Dask cluster (a scheduler and two workers on loopback). The tests read the
gradebooks, the feedback and the structured results, and check that nothing
outside the output folder changed, that no process was left behind, that no
connection reached a port the test listens on, and that the two runs wrote
the same bytes.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "grading"
sys.path.insert(0, str(FIXTURES))
import make_fixtures  # noqa: E402

LIMITS = ["--cell-timeout", "5", "--timeout", "12", "--workers", "2"]
SKIP_DIRS = {".git", "_build", "node_modules", ".pytest_cache", ".hypothesis", "__pycache__",
             "grading-out"}


def tree_digest(top: Path) -> dict[str, str]:
    """Path -> content hash of every file under ``top`` (caches and builds left out)."""
    out = {}
    for folder, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not (folder == str(top)
                                                                  and d == ".venv")]
        for name in files:
            if name.endswith(".pyc"):
                continue
            path = Path(folder) / name
            if path.is_symlink():
                out[str(path)] = "-> " + os.readlink(path)
                continue
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def venv_digest() -> dict[str, tuple]:
    """The virtual environment's files by size and modification time (it is large)."""
    out = {}
    venv = Path(sys.prefix)
    for folder, dirs, files in os.walk(venv):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            if not name.endswith(".pyc"):
                st = (Path(folder) / name).lstat()
                out[os.path.join(folder, name)] = (st.st_size, st.st_mtime_ns)
    return out


class Canary:
    """A TCP server on 127.0.0.1 that records every connection it gets."""

    def __init__(self, port: int):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.connections = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                pass

    def close(self):
        self.stopped.set()
        self.thread.join()
        self.sock.close()


def our_processes(marker: str) -> list[str]:
    """Processes whose command line names ``marker`` (this test's own temporary folder)."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if any(marker in part for part in proc.info["cmdline"] or []):
                found.append(" ".join(proc.info["cmdline"])[:200])
        except (psutil.Error, TypeError):
            pass
    return found


def still_running(marker: str, within: float = 10.0) -> list[str]:
    """The processes naming ``marker`` that have not exited ``within`` seconds. A killed
    sandbox's inner bwrap gets its SIGKILL from the kernel when its parent dies
    (``--die-with-parent``), a moment after the parent has been reaped; this waits for that
    (a condition polled, not a fixed sleep) and returns what is still there."""
    deadline = time.monotonic() + within
    while (found := our_processes(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def sandbox_marker(pid: int) -> str:
    """What the command line of every sandbox that process ``pid`` started contains."""
    return f"alliances-sandbox-of-{pid}"


def grade(subs: Path, out: Path, tmp: Path, *extra: str, left: list | None = None
          ) -> subprocess.CompletedProcess:
    """Run the grader; when ``left`` is given, add to it the processes of the grader's
    sandboxes still alive once it has exited."""
    env = {**os.environ, "TMPDIR": str(tmp)}
    with subprocess.Popen([sys.executable, "-m", "alliances.grading", str(subs), "--out",
                           str(out), *LIMITS, *extra], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env) as proc:
        stdout, stderr = proc.communicate(timeout=600)
    if left is not None:
        left += still_running(sandbox_marker(proc.pid))
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def dask_cluster(base: Path, env: dict):
    """A real Dask scheduler and two single-thread workers on 127.0.0.1, each its own
    process; yields (address, the processes started). On exit every one is stopped."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).parent / "dask")
    started = []
    with open(base / "dask.log", "w") as log:
        try:
            started.append(subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port",
                                             str(port), "--no-dashboard"], env=env, stdout=log,
                                            stderr=log, start_new_session=True))
            for n in range(2):
                started.append(subprocess.Popen([dask, "worker", address, "--nthreads", "1",
                                                 "--no-nanny", "--no-dashboard", "--name", f"w{n}",
                                                 "--memory-limit", "0"], env=env, stdout=log,
                                                stderr=log, start_new_session=True))
            with Client(address, timeout="60s") as client:
                client.wait_for_workers(2, timeout=120)
                workers = sorted(w["name"] for w in client.scheduler_info()["workers"].values())
            assert workers == ["w0", "w1"], workers
            yield address, started
        finally:
            # one at a time, workers first: stopped together, or a worker after its
            # scheduler, a process can wait half a minute for the other to answer
            for proc in reversed(started):
                try:
                    os.killpg(proc.pid, 15)
                    proc.wait(timeout=30)
                except OSError:
                    pass
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, 9)
                    proc.wait()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The fixture class graded twice, first on this machine, then on a Dask cluster
    (scheduler and two workers); the state of the world before and after."""
    base = tmp_path_factory.mktemp("grading")
    tmp = base / "tmp"
    tmp.mkdir()
    subs = base / "submissions"
    names = make_fixtures.build(subs)
    (subs / "F18_symlink_to_the_key.ipynb").symlink_to(
        ROOT / "book" / "exercises" / "triangles_exercises.ipynb")
    before = {"repo": tree_digest(ROOT), "subs": tree_digest(subs), "venv": venv_digest()}
    canary = Canary(make_fixtures.CANARY_PORT)
    left: list[str] = []
    try:
        first = grade(subs, base / "out", tmp, left=left)
        with dask_cluster(base, {**os.environ, "TMPDIR": str(tmp)}) as (address, cluster):
            second = grade(subs, base / "out-dask", tmp, "--scheduler", address)
        # every process the cluster started, and every sandbox its workers started, is gone
        cluster_exits = [p.poll() for p in cluster]
        left += still_running(address)
        for proc in cluster[1:]:
            left += still_running(sandbox_marker(proc.pid))
    finally:
        canary.close()
    after = {"repo": tree_digest(ROOT), "subs": tree_digest(subs), "venv": venv_digest()}
    return {"base": base, "subs": subs, "out": base / "out", "dask": base / "out-dask",
            "first": first, "second": second, "before": before, "after": after,
            "names": names + ["F18_symlink_to_the_key.ipynb"], "canary": canary.connections,
            "left": left, "tmp": tmp, "cluster_exits": cluster_exits}


def rows(path: Path) -> dict[str, dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return {r["submission"]: r for r in csv.DictReader(f)}


def feedback(graded, name: str) -> str:
    stem = name.rsplit(".ipynb", 1)[0]
    return (graded["out"] / "feedback" / f"{stem}.md").read_text(encoding="utf-8")


def result(graded, name: str) -> dict:
    return json.loads((graded["out"] / "results" / f"{name}.json").read_text(encoding="utf-8"))


# --- the command ran, twice, and said what it did ------------------------------------

def test_the_command_finishes_and_summarises(graded):
    for run in (graded["first"], graded["second"]):
        assert run.returncode == 0, run.stdout + run.stderr
        assert "graded 44 submission(s)" in run.stdout
        assert "not graded: 8 file(s)" in run.stdout and "skipped: 3 file(s)" in run.stdout
        assert "F03_empty.ipynb: empty file" in run.stdout
        assert "F18_symlink_to_the_key.ipynb: a symbolic link" in run.stdout


def test_course_gradebook_equals_the_expected_one(graded):
    expected = (FIXTURES / "expected_gradebook.csv").read_text(encoding="utf-8")
    assert (graded["out"] / "gradebook.csv").read_text(encoding="utf-8") == expected


def test_triangles_gradebook_equals_the_expected_one(graded):
    expected = (FIXTURES / "expected_triangles.csv").read_text(encoding="utf-8")
    assert (graded["out"] / "triangles" / "gradebook.csv").read_text(encoding="utf-8") == expected


def test_every_file_has_a_row_or_a_listed_reason(graded):
    with open(graded["out"] / "files.csv", encoding="utf-8", newline="") as f:
        listed = [r["file"].lstrip("'") for r in csv.DictReader(f)]
    assert sorted(listed) == sorted(graded["names"])
    book = rows(graded["out"] / "gradebook.csv")
    skipped = {".DS_Store", ".ipynb_checkpoints/01_correct-checkpoint.ipynb",
               "F18_symlink_to_the_key.ipynb"}
    assert {name.lstrip("'") for name in book} == set(graded["names"]) - skipped
    for name in book:
        assert (graded["out"] / "feedback").rglob("*.md")


def test_the_dask_run_writes_the_same_bytes_as_the_local_run(graded):
    """The second run, on a Dask cluster, wrote every file the first, local, run wrote, byte
    for byte (and the first run equals the expected gradebooks above, on every suite run)."""
    first, second = graded["out"], graded["dask"]
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert len(names) > 50, names
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_every_process_of_the_dask_cluster_was_stopped(graded):
    assert len(graded["cluster_exits"]) == 3 and None not in graded["cluster_exits"]


# --- no cheat raises a grade ----------------------------------------------------------

@pytest.mark.parametrize("cheat", ["A01_rebinds_the_checks", "A02_patches_the_checker_modules",
                                   "A03_rewrites_stdout", "A15_forges_result_lines",
                                   "08_edited_check_cells"])
def test_cheats_earn_no_more_than_their_answers(graded, cheat):
    book = rows(graded["out"] / "triangles" / "gradebook.csv")
    honest = book["02_partly_correct.ipynb"]
    cheater = book[f"{cheat}.ipynb"]
    assert int(cheater["total"]) <= int(honest["total"]) == 2
    if cheat != "A02_patches_the_checker_modules":  # A02 forges every answer as "pivot"
        assert [cheater[q] for q in honest if q.startswith("q")] == [
            honest[q] for q in honest if q.startswith("q")]


def test_expected_answers_cannot_be_called_or_imported(graded):
    text = feedback(graded, "A04_calls_expected_answer_functions")
    assert "cannot import name 'expected_q1'" in text
    assert "No module named 'alliances.grading'" in text
    assert result(graded, "A04_calls_expected_answer_functions.ipynb")["total"] == 6


def answer_dict(graded, name: str, qid: str) -> dict:
    answer = result(graded, name)["questions"][qid]["answer"]
    return {k: v for k, v in answer["__dict__"]}


def test_the_sandbox_holds_no_key_and_no_classmate(graded):
    found = answer_dict(graded, "A05_reads_the_key_from_disk.ipynb", "q7")
    assert found["repo"] == [".venv"]  # the repository is not there, only the venv
    assert "grading" not in found["package"]
    assert "answer_hashes.json" not in found["exercises"]
    assert found["hits"] == []
    assert found["alliances.grading"] == found["alliances.grading.key"] == "ModuleNotFoundError"
    assert found["expected"] == []


def test_the_sandbox_sees_no_other_process_and_a_clean_environment(graded):
    found = answer_dict(graded, "A06_reads_environment_and_classmates.ipynb", "q7")
    assert found["pids"] == [1] and found["ppid"] == 0 and found["uid"] != 0
    assert found["cmdlines"] == [f"{sys.executable} -B -s /grader/runner.py "]
    everything = json.dumps(found)
    for secret in (str(graded["subs"]), str(graded["out"]), str(graded["base"]), "submissions",
                   "01_correct", str(ROOT / "book")):
        assert secret not in everything


def test_writes_outside_the_runs_own_folder_all_failed(graded):
    planted = answer_dict(graded, "A08_plants_sitecustomize_and_pth.ipynb", "q7")
    assert planted and all(path.startswith("/tmp/") for path in planted), planted
    tried = answer_dict(graded, "A09_remounts_read_write.ipynb", "q7")
    assert tried["write"] == "OSError"
    assert all(tried[k] == -1 for k in ("/course", "/", "/usr", "umount /course"))


def test_nothing_outside_the_output_folder_changed(graded):
    assert graded["before"]["repo"] == graded["after"]["repo"]
    assert graded["before"]["subs"] == graded["after"]["subs"]
    assert graded["before"]["venv"] == graded["after"]["venv"]
    planted = [p for p in graded["tmp"].rglob("*") if make_fixtures.MARKER in p.name]
    assert planted == []
    assert not list(Path("/tmp").glob(f"*{make_fixtures.MARKER}*"))


def test_no_connection_reached_the_network(graded):
    assert graded["canary"] == 0
    assert result(graded, "A10_opens_sockets.ipynb")["total"] == 10  # its assert held


def test_no_process_is_left(graded):
    assert graded["left"] == []


def test_the_process_check_can_fail(tmp_path):
    """The marker search above finds a live sandbox (so an empty list means something)."""
    from alliances.exercises.bundle import write_bundle
    from alliances.grading.sandbox import Sandbox
    write_bundle(tmp_path / "bundle", for_grading=True)
    tmp_path.chmod(0o755)
    with Sandbox(tmp_path / "bundle") as sandbox:
        assert our_processes(sandbox_marker(os.getpid()))
        assert sandbox.proc.poll() is None
    assert still_running(sandbox_marker(os.getpid())) == []


def test_later_submissions_are_not_affected_by_planted_files(graded):
    book = rows(graded["out"] / "triangles" / "gradebook.csv")
    for name in ("F01_UPPER_CASE.IPYNB", "F13_no_metadata.ipynb", "01_correct.ipynb"):
        assert book[name]["total"] == "10" and book[name]["status"] == "ok"


# --- one hostile or slow submission costs only itself ---------------------------------

def test_limits_cost_only_the_question_that_broke_them(graded):
    book = rows(graded["out"] / "triangles" / "gradebook.csv")
    assert (book["05_infinite_loop.ipynb"]["q3"], book["05_infinite_loop.ipynb"]["total"]) == ("0", "8")
    assert (book["A17_ignores_the_alarm.ipynb"]["q3"], book["A17_ignores_the_alarm.ipynb"]["total"]) == ("0", "8")
    assert book["06_memory_hog.ipynb"]["status"] == "memory limit in q4"
    assert book["A11_fork_bomb.ipynb"]["status"].startswith("error in q3: BlockingIOError")
    assert book["A13_calls_os_exit.ipynb"]["total"] == "9"
    assert "q2" in book["A13_calls_os_exit.ipynb"]["status"]
    assert book["A12_prints_50_MB.ipynb"]["total"] == "10"
    assert book["A07_daemon_outlives_the_run.ipynb"]["total"] == "10"
    assert book["A19_fills_the_disk.ipynb"]["status"] == ("error in q7: OSError: [Errno 28] No "
                                                          "space left on device")


def test_a_notebook_over_its_time_limit_keeps_the_questions_that_finished(graded):
    r = result(graded, "A18_slow_cells_over_the_notebook_limit.ipynb")
    finished = [q for q, v in r["questions"].items() if v["result"] == "correct"]
    assert finished == ["q1", "q2", "q3"]
    assert "ran over its total time limit (12 s)" in r["questions"]["q4"]["message"]


def test_feedback_explains_what_went_wrong(graded):
    assert "Q3: not graded: your answer cell ran over the time limit" in feedback(
        graded, "05_infinite_loop")
    assert "Q2: your answer cell raised an error (ValueError" in feedback(graded, "04_exception")
    assert "no answer cell tagged q3" in feedback(graded, "07_missing_answer_cell")
    assert "ran out of memory" in feedback(graded, "06_memory_hog")
    assert "Not graded: invalid JSON" in feedback(graded, "F10_malformed_json")
    assert "Q1: not yet — there is no answer yet" in feedback(graded, "03_blank")
    assert "the text is too long" in feedback(graded, "A16_unreadable_answers")
    assert "nested too deeply" in feedback(graded, "A16_unreadable_answers")


def test_feedback_carries_the_checks_messages_and_not_the_answers(graded):
    text = feedback(graded, "02_partly_correct")
    assert "Q1: correct" in text
    assert "Q4: not yet — the chart's mark is 'point'" in text
    assert "Total: 2 of 12 points" in text
    assert "Both patrons were rivals by then" in text  # the written answer, as written
    graded_part = text.split("## Written")[0]
    for secret in ("T12", "romantic triangle'", "E064, E086"):
        assert secret not in graded_part.replace("Q1: correct", "")


# --- files as they arrive ----------------------------------------------------------------

def test_readable_files_are_graded_with_a_note(graded):
    book = rows(graded["out"] / "gradebook.csv")
    notes = {
        "F01_UPPER_CASE.IPYNB": "upper-case .IPYNB",
        "F02_renamed.ipynb.txt": "extra ending after .ipynb",
        "F05_format_3.ipynb": "converted from notebook format 3",
        "F06_utf8_bom.ipynb": "byte-order mark",
        "F07_windows_1252.ipynb": "Windows-1252",
        "F08_utf16.ipynb": "UTF-16",
        "F13_no_metadata.ipynb": "recognised by its cells",
        "F14_metadata_names_another_exercise.ipynb": "graded as triangles",
    }
    for name, note in notes.items():
        assert book[name]["total"] == "10" and note in book[name]["notes"], name
    assert book["F09_huge_saved_outputs.ipynb"]["total"] == "10"
    assert "Ménage à trois" in feedback(graded, "F07_windows_1252")


def test_unreadable_files_get_a_precise_reason(graded):
    book = rows(graded["out"] / "gradebook.csv")
    reasons = {
        "F03_empty.ipynb": "empty file (0 bytes)",
        "F04_zipped.ipynb": "a zip archive",
        "F04b_zipped.zip": "a zip archive",
        "F10_malformed_json.ipynb": "invalid JSON",
        "F11_not_a_notebook.ipynb": "not a notebook (text that is not JSON)",
        "F15_a_pdf.ipynb": "a PDF",
        "F16_html_export.ipynb": "an HTML export",
        "F17_json_bomb.ipynb": "nested too deeply",
    }
    for name, reason in reasons.items():
        assert reason in book[name]["status"], name


def test_duplicates_and_copies_are_flagged(graded):
    book = rows(graded["out"] / "gradebook.csv")
    for name in ("F12_dup_alice.ipynb", "F12_dup_alice (1).ipynb"):
        assert "duplicate: 2 files for one student" in book[name]["notes"]
    assert "identical answer cells to 08_edited_check_cells.ipynb" in book[
        "02_partly_correct.ipynb"]["notes"]


def test_csv_cells_that_look_like_formulas_are_neutralised(graded):
    for path in graded["out"].rglob("*.csv"):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                assert not any(cell.startswith(("=", "+", "@")) for cell in row), (path, row)
    assert "'=HYPERLINK(1)+2.ipynb" in rows(graded["out"] / "gradebook.csv")


def test_every_exercise_has_its_gradebook(graded):
    for name, total in (("sino_soviet", "12"), ("bloc_reactions", "11"), ("korea_1961", "11"),
                        ("exceptions", "11")):
        book = rows(graded["out"] / name / "gradebook.csv")
        assert [r["total"] for r in book.values()] == [total], name


# --- the output folder ---------------------------------------------------------------

def test_an_unwritable_output_folder_fails_before_grading(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "x.ipynb").write_text("{}")
    run = grade(subs, blocker / "out", tmp_path)
    assert run.returncode == 2
    assert "cannot write into the output folder" in run.stderr and "Nothing was graded" in run.stderr
    assert "graded" not in run.stdout


def test_an_empty_submissions_folder_is_an_error(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    run = grade(subs, tmp_path / "out", tmp_path)
    assert run.returncode == 2 and "no submissions" in run.stderr
    assert not (tmp_path / "out" / "gradebook.csv").exists()


def test_without_bubblewrap_the_grader_refuses_and_says_what_to_do(tmp_path):
    subs = tmp_path / "subs"
    make_fixtures.build_one(subs / "01_correct.ipynb")
    env = {**os.environ, "ALLIANCES_BWRAP": str(tmp_path / "no-bwrap-here")}
    run = subprocess.run([sys.executable, "-m", "alliances.grading", str(subs), "--out",
                          str(tmp_path / "out")], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=120)
    assert run.returncode == 2
    assert "bubblewrap (bwrap) is not installed" in run.stderr and "--no-sandbox" in run.stderr
    assert not (tmp_path / "out" / "gradebook.csv").exists()


def test_no_sandbox_grades_and_marks_every_row_unsandboxed(tmp_path):
    subs = tmp_path / "subs"
    make_fixtures.build_one(subs / "01_correct.ipynb")
    run = grade(subs, tmp_path / "out", tmp_path, "--no-sandbox")
    assert run.returncode == 0, run.stderr
    assert "WITHOUT THE SANDBOX" in run.stdout
    book = rows(tmp_path / "out" / "gradebook.csv")
    assert [(r["total"], r["sandbox"]) for r in book.values()] == [("10", "unsandboxed")]
    assert "Graded without the sandbox" in (tmp_path / "out" / "feedback" /
                                            "01_correct.md").read_text()


def test_a_dead_fork_server_costs_only_its_own_row():
    """A sandbox that fails on a submission (its fork server killed from outside, say)
    gives that row a reason and the batch goes on."""
    from alliances.grading.batch import grade_submission
    from alliances.grading.sandbox import JobResult, Limits
    from alliances.grading.submissions import read_folder
    import tempfile

    class DeadSandbox:
        def run(self, cells, limits):
            return JobResult(reason="sandbox failure")

    with tempfile.TemporaryDirectory() as tmp:
        make_fixtures.build_one(Path(tmp) / "01_correct.ipynb")
        from alliances.grading.batch import key_notebook
        subs, _ = read_folder(Path(tmp), {"triangles": key_notebook("triangles")})
    r = grade_submission(subs[0], DeadSandbox(), Limits())
    assert r.total == 0 and all(q.result == "not graded" for q in r.questions.values())
    assert all("sandbox failed" in q.message for q in r.questions.values())
