"""The course grader (instructor-only: never shipped to students).

    python -m alliances.grading SUBMISSIONS_DIR --out OUT_DIR      (or: make grade)

Threat model
------------
The student controls the whole submitted file and everything their answer
cells do at run time. They must not be able to: raise their score above
what their answers earn; read or derive the expected answers from anything
they receive or can reach while graded; change anything outside their own
temporary folder (the key, the package, the data, other submissions, the
output folder, the grader's own files); affect any other submission or any
later batch; reach the network; outlive their run; stop the batch. An
instructor grading on a Linux machine or a JupyterHub server needs no root
and no Docker.

How the grader meets it
-----------------------
1. **Two phases.** *Run*: the key's cells with the student's answer cells in
   place of the solutions execute in a sandbox (:mod:`.sandbox`,
   :mod:`.runner`); the run's only product is each ``answer_qN``, turned into
   plain JSON by a fixed serializer (:func:`alliances.exercises.answers.to_json`).
   *Check*: this process, which never runs student code, scores that JSON
   against the key (:mod:`.score`). Nothing the run prints is read, so
   rebinding or patching the checks, or rewriting ``sys.stdout``, changes
   nothing; a forged answer line can only hand in an answer.
2. **The sandbox** (bubblewrap): no network, its own PID namespace (nothing
   outlives the run), the interpreter, the virtual environment and the
   *student bundle* (the package without this folder, and the data) mounted
   read-only; the repository, the instructor sources, the key, the
   submissions and the output folder are not in it. Each submission runs in
   a fresh child of a fork server with namespaces of its own, a private
   size-limited ``/tmp``, limits on time per cell and per notebook, memory,
   processes, file size and output, all enforced outside the student's code.
   Run as root, the sandbox runs as ``nobody``. Where bubblewrap cannot run,
   the grader refuses; ``--no-sandbox`` grades anyway and marks every row
   ``unsandboxed``.
3. **The key stays here.** Expected answers are computed by :mod:`.key` from
   the data and the models; students' in-class checks compare salted PBKDF2
   hashes (``alliances/exercises/answer_hashes.json``) and give hints that do
   not reveal the answer.
4. **No lost row.** Every file gets a row or a listed reason; one hostile or
   slow submission costs only itself; results are written atomically; the
   same submissions give byte-identical outputs.

What it does not protect against: a student who finds the answer by
legitimate reasoning from the data (that is the exercise); a student who
enumerates a small answer space with the in-class check (as they could by
trying each option in class: the grade is the sandboxed run's, not the
check's); collusion between students (identical answer cells are flagged,
not judged); a kernel or bubblewrap vulnerability; an instructor who grades
with ``--no-sandbox``.
"""
