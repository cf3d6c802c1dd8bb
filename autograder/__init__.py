"""Instructor tooling for the nndl course: one module per verb (see autograder/cli.py).

Importing the package skips one optional import that costs 0.7-2 s in every process that
imports nbformat (so nbgrader, nbconvert, nbclient): jsonschema's `_format` module imports
`rfc3987_syntax` when it is installed (jupyter-events pulls it in through
`jsonschema[format-nongpl]`), and that module builds a lark Earley grammar at import. It only
backs the "iri"/"iri-reference" checks of jsonschema's optional FormatChecker, which nbformat
never uses (its Draft4Validator runs without a format checker) and nothing the tooling runs
(nbgrader's API, nbconvert, nbclient) uses either. Marking the module absent makes jsonschema
skip those two checks, as it does when the package is not installed. A process that imported
it already keeps it.
"""
import sys

sys.modules.setdefault("rfc3987_syntax", None)
