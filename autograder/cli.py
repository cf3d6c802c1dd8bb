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


def _mutate(args):
    from autograder import mutate
    if bool(args.assignments) == args.all:
        sys.exit("mutate: name assignments (hw3 …) or give --all")
    if args.secrets:
        from autograder import secrets_audit
        from autograder.manifest import assignment_ids
        reports = secrets_audit.main(args.assignments or assignment_ids(),
                                     secrets_audit.audit_secrets(args.secrets), functions=args.function)
        failed = [report.assignment for report in reports if not report.passed]
        if failed:
            sys.exit(f"mutate --secrets: verdicts hang on the secret, or contradict the catalogue, "
                     f"for {', '.join(failed)}")
        return
    reports = mutate.main(args.assignments or None, sample=args.sample, seed=args.seed,
                          jobs=args.jobs, brief=args.all, functions=args.function,
                          secret=args.secret)
    failed = [report.assignment for report in reports if not report.passed]
    if failed:
        sys.exit(f"mutate failed for {', '.join(failed)}")


def _gradescope(args):
    from autograder import gradescope
    for assignment in _assignments(args.assignments):
        print(gradescope.main(assignment))


def _grade(args):
    from dataclasses import replace
    from autograder import grade
    from autograder.manifest import load_manifest
    from autograder.sandbox import GiB, Limits, SandboxUnavailable
    from autograder.worker import Budgets
    budgets = Budgets.for_manifest(load_manifest(args.assignment), cell=args.cell_timeout,
                                   notebook=args.notebook_timeout, student=args.student_timeout)
    limits = Limits() if args.memory is None else replace(Limits(), memory=int(args.memory * GiB))
    if args.times is not None:
        from autograder.lateness import read_times_csv
        try:
            read_times_csv(args.times)
        except (OSError, ValueError) as error:
            sys.exit(f"grade: not grading: {error}")
    try:
        report = grade.main(args.assignment, submissions=args.submissions, jobs=args.jobs,
                            sandbox="none" if args.unsandboxed else "auto", budgets=budgets,
                            limits=limits, resume=args.resume, times=args.times)
    except SandboxUnavailable as error:
        sys.exit(f"grade: not grading: {error}")
    except KeyboardInterrupt:
        sys.exit(130)
    if report.sandbox == "none":
        print("grade: graded UNSANDBOXED (--unsandboxed): student code ran as you", file=sys.stderr)
    if any(result.problems for result in report.results):
        sys.exit(1)


def _bench(args):
    from autograder import bench
    bench.main(args.parts, quick=args.quick)


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
    mutate_verb = verbs.add_parser(
        "mutate", help="grade the manifest's catalogue of student bugs: each must lose its cells")
    mutate_verb.add_argument("assignments", nargs="*", help="hw1 …")
    mutate_verb.add_argument("--all", action="store_true",
                             help="every assignment, one line each with its kill rate")
    mutate_verb.add_argument("--sample", type=int, metavar="N",
                             help="grade N mutants per assignment, drawn with --seed")
    mutate_verb.add_argument("--seed", type=int, default=0, help="seed of --sample (default 0)")
    mutate_verb.add_argument("--function", action="append", metavar="NAME",
                             help="only the mutants of this function (e.g. TwoLayerNet.loss; repeatable)")
    mutate_verb.add_argument("--jobs", "-j", type=int, default=None,
                             help="students graded at once (default: the cores)")
    mutate_verb.add_argument("--secret", metavar="TEXT",
                             help="grade under this grading secret instead of the course's own, to "
                                  "audit that verdicts do not depend on the probes' seeds (a test "
                                  "value: other users can read a command line)")
    mutate_verb.add_argument("--secrets", type=int, metavar="N",
                             help="instead: run only the hidden probes of each mutant under N fixed "
                                  "test secrets, and report the mutants whose judged cells differ "
                                  "between secrets or from the catalogue")
    mutate_verb.set_defaults(handler=_mutate)
    grade_verb = verbs.add_parser("grade", help="autograde submissions, export CSV and feedback")
    grade_verb.add_argument("assignment")
    grade_verb.add_argument("submissions", nargs="?", type=Path,
                            help="folder or zip with one folder or zip per student "
                                 "(default: what is already in submitted/)")
    grade_verb.add_argument("--jobs", "-j", type=int, default=None,
                            help="students graded at once, one sandbox each (default: the cores)")
    grade_verb.add_argument("--times", type=Path, metavar="CSV",
                            help="hand-in times (columns student,submitted; ISO 8601 with zone) "
                                 "to report lateness from; default: nbgrader's timestamp.txt")
    grade_verb.add_argument("--resume", action="store_true",
                            help="skip students already graded with the same files and settings")
    grade_verb.add_argument("--cell-timeout", type=int, metavar="S", help="seconds a cell may run")
    grade_verb.add_argument("--notebook-timeout", type=int, metavar="S",
                            help="seconds a notebook may run in all")
    grade_verb.add_argument("--student-timeout", type=int, metavar="S",
                            help="seconds all of a student's notebooks may run")
    grade_verb.add_argument("--memory", type=float, metavar="GIB",
                            help="memory each sandboxed process may use (default 4)")
    grade_verb.add_argument("--unsandboxed", action="store_true",
                            help="run student code WITHOUT a sandbox, as you (it can read your "
                                 "files and the network); only where no sandbox is possible")
    grade_verb.set_defaults(handler=_grade)
    bench_verb = verbs.add_parser("bench", help="speed figures as ratios against their floors")
    bench_verb.add_argument("parts", nargs="*", help="grade, knn, linear, net, start, notebooks (default: all)")
    bench_verb.add_argument("--quick", action="store_true", help="small sizes, for CI")
    bench_verb.set_defaults(handler=_bench)
    demo_verb = verbs.add_parser("demo", help="release, then grade a sample class of every assignment")
    demo_verb.set_defaults(handler=_demo)
    return top


def main(argv=None):
    args = parser().parse_args(argv)
    args.handler(args)
