"""Command line: parses arguments and calls the verb's main(). Defaults live in each main()."""
import argparse
from pathlib import Path
import sys


def _assignments(ids):
    from autograder.manifest import assignment_ids
    return ids or assignment_ids()


def _place(args):
    from autograder.manifest import load_manifest
    from autograder.place import place
    from autograder.settings import COURSE_ROOT
    for assignment in _assignments(args.assignments):
        for path in place(load_manifest(assignment), COURSE_ROOT / "source" / assignment):
            print(path.relative_to(COURSE_ROOT))


def _release(args):
    from autograder import release
    for assignment in _assignments(args.assignments):
        print(release.main(assignment))


def _check(args):
    from autograder import check
    failed = [a for a in _assignments(args.assignments) if not check.main(a).passed]
    if failed:
        sys.exit(f"check failed for {', '.join(failed)}")


def _gradescope(args):
    from autograder import gradescope
    for assignment in _assignments(args.assignments):
        print(gradescope.main(assignment))


def _grade(args):
    from autograder import grade
    report = grade.main(args.assignment, submissions=args.submissions)
    if any(result.problems for result in report.results):
        sys.exit(1)


def _demo(args):
    from autograder import demo
    if not demo.main():
        sys.exit("demo: scores differ from the expected ones")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="./run", description="nndl course tooling (nbgrader in-process)")
    verbs = top.add_subparsers(dest="verb", required=True)
    for name, handler, help_text in [
        ("place", _place, "copy common helpers and borrowed modules into source/<id>/nndl"),
        ("release", _release, "build release/<id> from source/<id>, solutions stripped"),
        ("check", _check, "reference scores 100%%, blank 0, one bug loses exactly its points"),
        ("gradescope", _gradescope, "build exports/<id>_gradescope.zip, a Gradescope autograder"),
    ]:
        verb = verbs.add_parser(name, help=help_text)
        verb.add_argument("assignments", nargs="*", help="hw1 … (default: all)")
        verb.set_defaults(handler=handler)
    grade_verb = verbs.add_parser("grade", help="autograde submissions, export CSV and feedback")
    grade_verb.add_argument("assignment")
    grade_verb.add_argument("submissions", nargs="?", type=Path,
                            help="folder or zip with one folder or zip per student "
                                 "(default: what is already in submitted/)")
    grade_verb.set_defaults(handler=_grade)
    demo_verb = verbs.add_parser("demo", help="release, then grade a sample class of every assignment")
    demo_verb.set_defaults(handler=_demo)
    return top


def main(argv=None):
    args = parser().parse_args(argv)
    args.handler(args)
