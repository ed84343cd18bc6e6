"""Stand-in that makes ``import rfc3987_syntax`` fail fast, for the grader only.

The grader puts ``alliances/_grader_shim`` first on ``PYTHONPATH`` of the
processes it starts (pytest and the notebook kernel). jsonschema imports the
real package, if present, only to check the ``iri`` string format; importing
it builds a parser and costs about 2.5 s of CPU in every process that imports
jsonschema (nbformat and altair both do). Nothing the grader runs uses that
format, so the grader skips it. Outside the grader this folder is never on the
path and the real package is used.
"""
raise ImportError("rfc3987_syntax is disabled in the grader's processes (see alliances/_grader_shim)")
