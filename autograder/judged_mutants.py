"""Score the catalogue's mutants from their hidden probes alone, for `check`.

When every autograded cell of an assignment is judged outside the sandbox, a student's score on
it is the judge's verdict on the probes' data and nothing else (autograder.worker.judge_student:
`auto_score = round(fraction * points, 6)`; the notebooks' own test cells only feed feedback).
So a mutant, which differs from the reference in one edit of one module, is scored exactly by
running the probes on the solved modules with that edit (one sandbox per mutant, as grading
runs them) and judging the data against the reference's, under the course's seeds. That takes
seconds where a full grade runs every notebook; `check` still grades its samples (reference,
blank, one-bug, starter) through the whole pipeline, and `./run mutate` grades every mutant
through it.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
import os
from pathlib import Path
import queue
import shutil

from autograder.grade import StudentResult, host_data_dir, sandbox_environment
from autograder.grading_data import GradingData, probe_files
from autograder.judge import cache_dir, load_checks, load_reference, seeds
from autograder.manifest import Manifest
from autograder.mutate import student_name
from autograder.probes import ProbeRun, run_probes
from autograder.samples import apply_bug
from autograder.sandbox import Limits, choose_kind
from autograder.worker import Budgets


def all_cells_judged(manifest: Manifest, root: Path, max_scores: dict[str, float]) -> bool:
    """Does every autograded cell have a hidden probe (so probes alone decide its score)?"""
    checks = load_checks(root, manifest.id)
    return checks is not None and set(max_scores) <= set(checks.names)


def mutant_results(manifest: Manifest, root: Path, numbers: list[int], max_scores: dict[str, float],
                   scratch: Path, *, sandbox: str = "auto", jobs: int | None = None) -> dict[str, StudentResult]:
    """{student name: StudentResult} of the mutants `numbers`, scored from their probes. `root`:
    a course whose source is placed and whose reference probe data are cached (grade.main has
    run there); `max_scores`: {grade_id: points} of the autograded cells."""
    assignment = manifest.id
    checks = load_checks(root, assignment)
    reference = load_reference(cache_dir(root, assignment) / "reference.npz")
    chosen = seeds(root, assignment, checks.names)
    kind, limits, budgets = choose_kind(sandbox), Limits(), Budgets.for_manifest(manifest)
    data_dir = host_data_dir()
    data = GradingData(data_dir)
    source = root / "source" / assignment
    slots: queue.Queue[int] = queue.Queue()
    jobs = max(1, jobs or os.cpu_count() or 1)
    for slot in range(jobs):
        slots.put(slot)

    def one(number: int) -> tuple[str, StudentResult]:
        mutant = manifest.mutants[number - 1]
        student = student_name(number, mutant)
        folder = scratch / student / "files"
        shutil.copytree(source, folder, ignore=shutil.ignore_patterns("*.ipynb", "__pycache__",
                                                                      checks.path.name))
        path = folder / mutant.module
        path.write_text(apply_bug(path.read_text(), mutant))
        slot = slots.get()
        try:
            got = run_probes(ProbeRun(input_dir=folder, checks_file=checks.path,
                                      scratch=scratch / student / "probes", name=assignment, kind=kind,
                                      limits=limits, readable=probe_files(data_dir),
                                      env=sandbox_environment(data_dir), slot=slot,
                                      probe_timeout=budgets.cell, budget=budgets.notebook), chosen)
        finally:
            slots.put(slot)
        sources = {module: (folder / module).read_text(errors="replace")
                   for module in manifest.student_modules if (folder / module).is_file()}
        result = StudentResult(student, graded=True, max_scores=dict(max_scores))
        for grade_id, points in max_scores.items():
            verdict = checks.judge(grade_id, got[grade_id], reference.get(grade_id, {}), sources, data)
            result.scores[grade_id] = round(verdict.fraction * points, 6)
            result.judged[grade_id] = verdict.message
        result.total = sum(result.scores.values())
        shutil.rmtree(scratch / student, ignore_errors=True)
        return student, result

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return dict(pool.map(one, numbers))
