"""Does stripping remove every solution, keep the scaffolding, and refuse bad markers?"""
import textwrap

import pytest

from autograder.strip import keep_solutions, solution_lines, strip_solutions


def dedent(text):
    return textwrap.dedent(text).lstrip("\n")


def test_one_region_becomes_a_stub_at_its_indentation():
    source = dedent("""
        def f(x):
            \"\"\"Doc.\"\"\"
            # TODO: double it.
            ### BEGIN SOLUTION
            y = 2 * x
            ### END SOLUTION
            return y
        """)
    assert strip_solutions(source, "m.py") == dedent("""
        def f(x):
            \"\"\"Doc.\"\"\"
            # TODO: double it.
            raise NotImplementedError("implement f in m.py")
            return y
        """)


def test_several_regions_and_nested_indentation():
    """Are regions inside methods and loops stubbed at their own indentation?"""
    source = dedent("""
        class Net:
            def loss(self, x):
                for layer in self.layers:
                    if layer:
                        ### BEGIN SOLUTION
                        x = layer(x)
                        ### END SOLUTION
                return x

        def g():
            ### BEGIN SOLUTION
            return 1
            ### END SOLUTION
        """)
    stripped = strip_solutions(source, "/course/source/hw/nndl/m.py", "nndl/m.py")
    assert '                raise NotImplementedError("implement Net.loss in nndl/m.py")\n' in stripped
    assert '    raise NotImplementedError("implement g in nndl/m.py")\n' in stripped
    assert "x = layer(x)" not in stripped and "return 1" not in stripped
    assert "for layer in self.layers:" in stripped and "return x" in stripped
    compile(stripped, "m.py", "exec")


def test_text_without_regions_is_unchanged():
    source = "def f():\n    return 1\n"
    assert strip_solutions(source, "m.py") == source


@pytest.mark.parametrize("source, where, complaint", [
    ("### BEGIN SOLUTION\nx = 1\n", "m.py:1", "never closed"),
    ("x = 1\n### END SOLUTION\n", "m.py:2", "without BEGIN"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", "m.py:2", "inside the region"),
    ("    ### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n", "m.py:3", "indented differently"),
    ("x = 1  ### BEGIN SOLUTION\n", "m.py:1", "alone on its line"),
    ("### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS\n", "m.py:1", "belong in notebooks"),
])
def test_bad_markers_raise_with_file_and_line(source, where, complaint):
    with pytest.raises(ValueError) as error:
        strip_solutions(source, "m.py")
    assert where in str(error.value) and complaint in str(error.value)


def test_keep_solutions_drops_only_the_markers():
    source = "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n"
    assert keep_solutions(source, "m.py") == "def f():\n    return 1\n"


def test_solution_lines_skip_blanks_and_comments():
    source = "### BEGIN SOLUTION\n# hint\n\ny = 2 * x\n### END SOLUTION\nz = 1\n"
    assert solution_lines(source, "m.py") == ["y = 2 * x"]


def test_a_starter_replaces_the_solution_in_the_release():
    """Tuned hyperparameters: the release gets the weak starter, the reference (which runs
    both, the solution last) keeps its own."""
    source = dedent("""
        ### BEGIN STARTER
        HYPER = dict(learning_rate=1e-6, reg=0.25)
        ### END STARTER
        ### BEGIN SOLUTION
        HYPER = dict(learning_rate=1e-3, reg=0.25)
        ### END SOLUTION
        """)
    assert strip_solutions(source, "tuned.py") == "HYPER = dict(learning_rate=1e-6, reg=0.25)\n"
    assert keep_solutions(source, "tuned.py") == "HYPER = dict(learning_rate=1e-3, reg=0.25)\n"
    assert solution_lines(source, "tuned.py") == ["HYPER = dict(learning_rate=1e-3, reg=0.25)"]
    namespace = {}
    exec(source, namespace)
    assert namespace["HYPER"]["learning_rate"] == 1e-3


@pytest.mark.parametrize("text", [
    "### BEGIN STARTER\nx = 1\n### END STARTER\nx = 2\n",
    "### BEGIN STARTER\nx = 1\n### END STARTER\n",
    "### BEGIN STARTER\nx = 1\n### BEGIN SOLUTION\nx = 2\n### END SOLUTION\n",
    "### BEGIN SOLUTION\nx = 2\n### END STARTER\n"])
def test_a_starter_not_right_before_a_solution_is_refused(text):
    with pytest.raises(ValueError, match="STARTER"):
        strip_solutions(text, "tuned.py")
