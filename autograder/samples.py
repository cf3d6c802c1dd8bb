"""Sample submissions made from the source: the reference, the blank release, one bug (a
manifest `one_bug` or a catalogued `mutants` entry), a corrupt notebook. `check`, `mutate` and
`demo` grade them; the tests use them too."""
from pathlib import Path
import shutil

from autograder.manifest import Manifest, Mutant, OneBug

_JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")


def reference_submission(manifest: Manifest, root: Path, dest: Path) -> Path:
    """The source folder as a student would hand it in: notebooks and solved modules."""
    shutil.copytree(root / "source" / manifest.id, dest, ignore=_JUNK)
    return dest


def blank_submission(manifest: Manifest, root: Path, dest: Path) -> Path:
    """The release, untouched."""
    shutil.copytree(root / "release" / manifest.id, dest, ignore=_JUNK)
    return dest


def bug_name(bug: OneBug | Mutant) -> str:
    return f"mutant {bug.function}" if isinstance(bug, Mutant) else "one_bug"


def apply_bug(text: str, bug: OneBug | Mutant) -> str:
    """The module text with the bug's edit; the `find` text must occur exactly once."""
    count = text.count(bug.find)
    if count != 1:
        raise ValueError(f"{bug_name(bug)}: {bug.find.strip()!r} occurs {count} times in "
                         f"{bug.module}, expected once")
    return text.replace(bug.find, bug.replace)


def one_bug_submission(manifest: Manifest, bug: OneBug | Mutant, root: Path, dest: Path) -> Path:
    """The release notebooks with the solved modules, one of them edited by `bug` (a one_bug
    or a mutant)."""
    blank_submission(manifest, root, dest)
    for module in manifest.student_modules:
        text = (root / "source" / manifest.id / module).read_text()
        (dest / module).write_text(apply_bug(text, bug) if module == bug.module else text)
    return dest


def corrupt_submission(manifest: Manifest, root: Path, dest: Path) -> Path:
    """The reference, with its first notebook cut off half-way (as an interrupted upload)."""
    reference_submission(manifest, root, dest)
    notebook = dest / manifest.notebooks[0]
    data = notebook.read_bytes()
    notebook.write_bytes(data[: len(data) // 2])
    return dest


def starter_modules(manifest: Manifest, root: Path) -> list[str]:
    """The student modules that give students starting values (a STARTER region), e.g.
    nndl/tuned.py's weak hyperparameters."""
    from autograder.strip import BEGIN_STARTER
    return [module for module in manifest.student_modules
            if BEGIN_STARTER in (root / "source" / manifest.id / module).read_text()]


def starter_submission(manifest: Manifest, root: Path, dest: Path) -> Path:
    """The reference with the release's starting values (the STARTER regions) instead of its
    tuned ones: what a student who never tunes hands in. Needs root/release/<id>."""
    reference_submission(manifest, root, dest)
    for module in starter_modules(manifest, root):
        shutil.copyfile(root / "release" / manifest.id / module, dest / module)
    return dest
