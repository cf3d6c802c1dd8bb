"""mutate --secrets: would the catalogue's verdicts be the same under another course secret?

The course secret decides only the seeds of the hidden probes (autograder.judge.seeds), and so
only the judged cells: in-kernel cells are seeded by the notebooks themselves, and a judged
cell's score is the judge's verdict alone (autograder.worker.judge_student). So to see whether a
mutant's outcome hangs on the secret, running the probes is enough: for each secret, the
reference solution's probe data (in a sandbox, as grading computes them) and each mutant's
(its one edit applied to the solved source, in a sandbox), judged as grading judges them.

A probe that never reads its `rng` (the tuning cells' training runs, seeded 0) gets the same
inputs under every secret: it is left out (`seeded_probes`), which keeps the audit to seconds per
mutant. A mutant is *stable* when it loses the same seeded judged cells under every secret; it
*agrees* when, under every secret, it loses each of them that its `loses` names and none outside
`loses` + `may_lose`. `mutate` (one full grade, notebooks included) stays the authority on the
in-kernel and seed-free cells, which no secret changes.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
import inspect
from pathlib import Path
import textwrap
import shutil
import sys
import tempfile

from autograder.course import copy_assignment
from autograder.grade import host_data_dir, sandbox_environment
from autograder.grading_data import GradingData, probe_files
from autograder.judge import CheckError, Checks, load_checks, pin_secret, seeds
from autograder.manifest import Manifest, Mutant, load_manifest
from autograder.place import place
from autograder.probes import ProbeRun, run_probes
from autograder.samples import apply_bug
from autograder.sandbox import Limits, choose_kind
from autograder.settings import COURSE_ROOT
from autograder.worker import Budgets


def audit_secrets(count: int) -> list[str]:
    """`count` fixed, distinct test secrets (never a course's: these are printed and public)."""
    return [f"audit-secret-{number}" for number in range(1, count + 1)]


def seeded_probes(checks: Checks) -> list[str]:
    """The probes whose code reads their `rng` argument (the others draw nothing from the secret)."""
    seeded = []
    for name in checks.names:
        tree = ast.parse(textwrap.dedent(inspect.getsource(getattr(checks.module, f"probe_{name}"))))
        function = tree.body[0]
        argument = function.args.args[0].arg if function.args.args else None
        if any(isinstance(node, ast.Name) and node.id == argument for node in ast.walk(function)):
            seeded.append(name)
    return seeded


@dataclass
class SecretOutcome:
    number: int
    mutant: Mutant
    judged: tuple[str, ...]                                  # the seeded cells the judge scores
    lost: dict[str, tuple[str, ...]] = field(default_factory=dict)   # secret -> judged cells lost

    @property
    def stable(self) -> bool:
        return len(set(self.lost.values())) <= 1

    @property
    def disagreements(self) -> list[str]:
        """Where a secret's verdict contradicts the catalogue (judged cells only)."""
        must = set(self.mutant.loses) & set(self.judged)
        allowed = set(self.mutant.loses) | set(self.mutant.may_lose)
        found = []
        for secret, lost in self.lost.items():
            kept = sorted(must - set(lost))
            extra = sorted(set(lost) - allowed)
            if kept:
                found.append(f"{secret}: kept {', '.join(kept)}")
            if extra:
                found.append(f"{secret}: also lost {', '.join(extra)}")
        return found

    def line(self) -> str:
        here = f"#{self.number:<3} {self.mutant.function}: {self.mutant.why}"
        if self.stable and not self.disagreements:
            return f"  stable   {here}: {', '.join(next(iter(self.lost.values()), ())) or 'no judged cell'}"
        always = set.intersection(*map(set, self.lost.values())) if self.lost else set()
        outcomes = "; ".join([f"always {', '.join(c for c in self.judged if c in always) or 'none'}"] + [
            f"{secret} also {', '.join(c for c in lost if c not in always)}"
            for secret, lost in self.lost.items() if set(lost) != always])
        verdict = "FLAKY   " if not self.stable else "WRONG   "
        return f"  {verdict} {here}: {outcomes}" + (
            f" [{'; '.join(self.disagreements)}]" if self.disagreements else "")


@dataclass
class SecretsReport:
    assignment: str
    secrets: list[str]
    outcomes: list[SecretOutcome] = field(default_factory=list)
    seed_free: list[str] = field(default_factory=list)      # judged cells whose probe ignores rng

    @property
    def failures(self) -> list[str]:
        """Mutants whose judged verdicts differ between secrets or contradict the catalogue."""
        return [o.line().strip() for o in self.outcomes if not o.stable or o.disagreements]

    @property
    def passed(self) -> bool:
        return not self.failures


def _mutant_folder(source: Path, manifest: Manifest, mutant: Mutant, dest: Path) -> Path:
    """The solved source (helpers placed), with the mutant's one edit: what its probes import."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("*.ipynb", "__pycache__", "hidden_checks.py"))
    path = dest / mutant.module
    path.write_text(apply_bug(path.read_text(), mutant))
    return dest


def run_assignment(assignment: str, secrets: list[str], *, root: Path = COURSE_ROOT,
                   functions: list[str] | None = None, sandbox: str = "auto") -> SecretsReport:
    """Judge the probes of every catalogued mutant (of `functions`, if given) under each secret."""
    root = Path(root)
    manifest = load_manifest(assignment, root)
    report = SecretsReport(assignment, list(secrets))
    checks = load_checks(root, assignment)
    numbers = [number for number, mutant in enumerate(manifest.mutants, start=1)
               if not functions or mutant.function in functions]
    if checks is None or not numbers:
        return report
    kind, limits = choose_kind(sandbox), Limits()
    budgets = Budgets.for_manifest(manifest)
    data_dir = host_data_dir()
    data = GradingData(data_dir)
    with tempfile.TemporaryDirectory(prefix="nndl-secrets-") as scratch_name:
        scratch = Path(scratch_name)
        course = scratch / "course"
        copy_assignment(assignment, course, root, with_release=False)
        source = course / "source" / assignment
        place(manifest, source, course)
        checks = load_checks(course, assignment)
        folders = {number: _mutant_folder(source, manifest, manifest.mutants[number - 1],
                                          scratch / f"mutant-{number:03d}") for number in numbers}

        def probe_run(folder: Path, name: str) -> ProbeRun:
            return ProbeRun(input_dir=folder, checks_file=checks.path, scratch=scratch / "probes" / name,
                            name=assignment, kind=kind, limits=limits, readable=probe_files(data_dir),
                            env=sandbox_environment(data_dir), probe_timeout=budgets.cell,
                            budget=budgets.notebook)

        seeded = seeded_probes(checks)
        report.seed_free = [name for name in checks.names if name not in seeded]
        for number in numbers:
            report.outcomes.append(SecretOutcome(number, manifest.mutants[number - 1], tuple(seeded)))
        for index, secret in enumerate(secrets):
            pin_secret(course, secret)
            chosen = seeds(course, assignment, seeded)
            reference = run_probes(probe_run(source, f"reference-{index}"), chosen)
            broken = sorted(name for name, result in reference.items() if not result.ok)
            if broken:
                raise CheckError(f"{assignment}: under secret {secret!r} the reference solution fails "
                                 f"the probes of {', '.join(broken)}")
            want = {name: result.data for name, result in reference.items()}
            for outcome in report.outcomes:
                folder = folders[outcome.number]
                got = run_probes(probe_run(folder, f"{outcome.number}-{index}"), chosen)
                sources = {module: (folder / module).read_text() for module in manifest.student_modules}
                outcome.lost[secret] = tuple(
                    name for name in seeded
                    if checks.judge(name, got[name], want.get(name, {}), sources, data).fraction < 1.0)
            print(f"  {assignment}: judged {len(numbers)} mutants under secret {index + 1}/{len(secrets)}",
                  file=sys.stderr, flush=True)
    return report


def main(assignments: list[str], secrets: list[str], *, root: Path = COURSE_ROOT,
         functions: list[str] | None = None) -> list[SecretsReport]:
    reports = []
    for assignment in assignments:
        report = run_assignment(assignment, secrets, root=root, functions=functions)
        reports.append(report)
        print(f"secrets {assignment} ({len(secrets)} secrets: {', '.join(secrets)}; probes that "
              f"ignore their rng, left out: {', '.join(report.seed_free) or 'none'}):")
        print("\n".join(outcome.line() for outcome in report.outcomes))
        flaky = sum(not o.stable for o in report.outcomes)
        print(f"{assignment}: {len(report.outcomes) - len(report.failures)}/{len(report.outcomes)} mutants "
              f"judged alike under every secret and as catalogued; {flaky} flaky")
        sys.stdout.flush()
    return reports
