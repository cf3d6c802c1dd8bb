"""The first cell of every release notebook: sets the assignment up on Google Colab, and does
nothing anywhere else (Jupyter on a student's machine, nbgrader, the course's grader).

Written once here; autograder/colab.py makes the cell from this file (everything below this
docstring, then `_nndl_colab_setup("<id>")`) and release puts it first in each notebook.

On Colab (`google.colab` importable, not under a grader) the cell
1. mounts Google Drive at /content/drive;
2. finds the assignment folder: My Drive/nndl/<id> if it is there, else the first folder (by
   path) at most four levels under My Drive whose nndl/manifest.toml has `id = "<id>"`;
   when there is none it prints how to put it there and stops (an exception ends Run All);
3. pip-installs the pins of the folder's environment.yml that this runtime lacks or has at
   another version, except Colab's own front end and kernel (jupyterlab, notebook, ipykernel:
   replacing those breaks the session); when an installed package was already imported, it
   asks for a restart (Runtime > Restart session) and a second run of the cell, which then
   installs nothing;
4. changes into the folder and puts it first on sys.path, so `import nndl` finds its modules.
NNDL_DRIVE names another folder to search instead of My Drive (the tests use it). The first
line is a Colab form title: Colab shows the title and hides the code (a comment elsewhere).
"""
#@title Google Colab setup: run this cell first (anywhere else it does nothing) { display-mode: "form" }
# Google Colab only: mount your Drive, find this assignment's folder, install the course's
# package versions and work in that folder. Anywhere else this cell does nothing.
def _nndl_colab_setup(assignment):
    import os
    import sys
    if os.environ.get("NBGRADER_EXECUTION"):   # set by nbgrader and by the course's grader
        return
    try:
        from google.colab import drive
    except ImportError:
        return
    import importlib.metadata
    import pathlib
    import subprocess
    import tomllib

    drive.mount("/content/drive")
    root = pathlib.Path(os.environ.get("NNDL_DRIVE", "/content/drive/MyDrive"))

    def holds_assignment(folder):
        try:
            manifest = tomllib.loads((folder / "nndl" / "manifest.toml").read_text())
        except (OSError, ValueError):
            return False
        return manifest.get("id") == assignment

    default = root / "nndl" / assignment
    found = [default] if holds_assignment(default) else sorted(
        path.parent.parent for depth in range(5)
        for path in root.glob("*/" * depth + "nndl/manifest.toml")
        if holds_assignment(path.parent.parent))
    if not found:
        message = (f"No folder of {assignment} in your Google Drive ({root}). Upload the "
                   f"assignment folder you were given (the one holding this notebook, nndl/ and "
                   f"environment.yml) to My Drive as nndl/{assignment} (any folder works: it is "
                   "found by its nndl/manifest.toml), open the notebook from there, then run "
                   "this cell again.")
        print(message)
        raise FileNotFoundError(message)
    folder = found[0]
    if len(found) > 1:
        print(f"{len(found)} copies of {assignment} in your Drive; using {folder}")

    pins, in_pip, pip_indent = [], False, 0   # the `- pip:` list of environment.yml
    for line in (folder / "environment.yml").read_text().splitlines():
        item = line.split("#", 1)[0].strip()
        indent = len(line) - len(line.lstrip())
        if item == "- pip:":
            in_pip, pip_indent = True, indent
        elif in_pip and item and indent <= pip_indent:
            in_pip = False
        elif in_pip and item.startswith("- "):
            pins.append(item[2:].strip())
    colab_own = {"jupyterlab", "notebook", "ipykernel"}
    missing = []
    for pin in pins:
        name, _, version = pin.split(";")[0].strip().partition("==")
        if name.lower() in colab_own:
            continue
        try:
            if importlib.metadata.version(name) == version:
                continue
        except importlib.metadata.PackageNotFoundError:
            pass
        missing.append(pin)
    if missing:
        print("Installing the course's versions:", " ".join(missing))
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", *missing])
        modules = {}   # distribution -> its top-level modules (scikit-learn -> sklearn)
        for module, names in importlib.metadata.packages_distributions().items():
            for name in names:
                modules.setdefault(name.lower(), []).append(module)
        loaded = [pin.split("==")[0] for pin in missing
                  if any(m in sys.modules for m in modules.get(pin.split("==")[0].lower(), []))]
        if loaded:
            print(f"{', '.join(loaded)} changed version after being imported: Runtime > "
                  "Restart session, then run this cell again.")

    os.chdir(folder)
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    print(f"Working in {folder}")
