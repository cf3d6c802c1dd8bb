# The nbgrader CLI and formgrader look for this file in the course root (this folder).
# Every setting lives in autograder/nbgrader_config.py.
import os

load_subconfig(os.path.join(os.path.dirname(__file__), "autograder", "nbgrader_config.py"))  # noqa: F821
